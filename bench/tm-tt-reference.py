#!/usr/bin/python3
"""Reference for `hexalign tm lookup`: Translate Toolkit's matcher on the
same memory and queries.

    usage: /usr/bin/python3 bench/tm-tt-reference.py [BUILD_DIR] [N]
           (default build, N = 10000 units)

Runs with the Debian translate-toolkit of /usr/bin/python3 (dist-packages),
with python3-levenshtein (C Levenshtein.distance) when present.

Memory: the N-unit memory of bench/tm-gen.py (UN Parallel Corpus v1.0 dev
set, Ziemski et al. 2016; the corpus disclaimer is in tm-gen.py), cached in
/tmp/hexalign-tm-bench/ and shared with bench/tm-bench.sh, reduced to its
EN -> ZH pairs: a PO store (translate.storage.pypo, msgid English, msgstr
Chinese, also written to /tmp/hexalign-tm-bench/mem-N.po) for
translate.search.match.matcher(store, max_candidates=5, min_similarity=70,
max_length=L), run twice: L = 1000 and L = 70. max_length is the length
limit of the candidates considered (and where Levenshtein is cut); its
default, 70 characters, skips almost every UN sentence (most are longer),
which makes it fast but blind; 1000 is the value translate.tools.pretranslate
gives its TM matcher, and the fair reference. The matcher is a linear scan
of the units within the length window, so within that window its recall is
complete by construction. Its scores are character Levenshtein percentages;
hexalign's are on words (Chinese characters), so the kinds of queries
answered and the agreement on the best match are compared, not scores.

Then hexalign on the same memory (all six languages imported, looked up EN
-> ZH with --min 70 --max 5 --json --timing) and the ratio of the mean and
median ms per query. The issue's figures: Translate Toolkit about 34 ms per
query at 10k units; hexalign two orders of magnitude faster at the same
recall.
"""

import atexit
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CACHE = "/tmp/hexalign-tm-bench"
# 1000: what translate.tools.pretranslate uses; 70: the matcher's default.
MAX_LENGTHS = (1000, 70)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def pct(v, p):
    v = sorted(v)
    k = max(0, min(len(v) - 1, -(-p * len(v) // 100) - 1))
    return v[int(k)]


def pairs(tmx):
    for _, el in ET.iterparse(tmx):
        if el.tag == "tu":
            d = {}
            for tuv in el.findall("tuv"):
                d[tuv.get(XML_LANG)] = tuv.findtext("seg") or ""
            if d.get("en") and d.get("zh"):
                yield d["en"], d["zh"]
            el.clear()


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    if not os.path.isabs(build):
        build = os.path.join(ROOT, build)
    os.makedirs(CACHE, exist_ok=True)
    # A private copy of the binary and its library (RUNPATH $ORIGIN), so
    # that a rebuild during the run cannot mix two builds.
    snap = tempfile.mkdtemp(prefix="bin.", dir=CACHE)
    atexit.register(shutil.rmtree, snap, True)
    for f in ("hexalign", "libhexalign.so.0"):
        if os.path.exists(os.path.join(build, f)):
            shutil.copy(os.path.join(build, f), snap)
    hx = os.path.join(snap, "hexalign")
    base = os.path.join(CACHE, "mem-%d-en-zh-ar-fr-ru-es" % n)
    gen = os.path.join(HERE, "tm-gen.py")
    if not os.path.exists(base + ".tmx") or \
            os.path.getmtime(gen) > os.path.getmtime(base + ".tmx"):
        subprocess.run([sys.executable, gen, str(n), base + ".tmx.part",
                        base + ".tsv"], check=True)
        os.replace(base + ".tmx.part", base + ".tmx")
    queries = []
    with open(base + ".tsv", encoding="utf-8") as f:
        for line in f:
            kind, q = line.rstrip("\n").split("\t", 1)
            queries.append((kind, q))

    # ---- Translate Toolkit
    from translate.__version__ import sver
    from translate.search import lshtein
    from translate.search.match import matcher
    from translate.storage import base as ttbase, pypo

    # translate-toolkit 3.8.4's matcher keeps (similarity, unit) tuples in a
    # heap, so two candidates of equal similarity make heapq compare units,
    # which have no order: TypeError: '<' not supported between instances
    # of 'TranslationUnit' and 'TranslationUnit' (match.py, matches(), the
    # heapreplace line) on the first query with a tie. Give units an order
    # (by source) so that ties do not crash; it costs only on ties.
    if not hasattr(ttbase.TranslationUnit, "__lt__") or \
            ttbase.TranslationUnit.__lt__ is object.__lt__:
        ttbase.TranslationUnit.__lt__ = lambda a, b: (
            len(a.source), a.source) < (len(b.source), b.source)

    t0 = time.perf_counter()
    store = pypo.pofile()
    for en, zh in pairs(base + ".tmx"):
        u = store.addsourceunit(en)
        u.target = zh
    with open(os.path.join(CACHE, "mem-%d.po" % n), "wb") as f:
        store.serialize(f)
    t1 = time.perf_counter()
    native = lshtein.distance is lshtein.native_distance
    print("Translate Toolkit %s (%s Levenshtein), %d units EN->ZH: store "
          "built in %.1f s" % (sver, "C" if native else "pure-Python",
                               len(store.units) - 1, t1 - t0))
    tt = []  # (max_length, ms list, top sources)
    for max_length in MAX_LENGTHS:
        t1 = time.perf_counter()
        m = matcher(store, max_candidates=5, min_similarity=70,
                    max_length=max_length)
        t2 = time.perf_counter()
        lab = "TT max_length=%d" % max_length
        tt_ms = []
        tt_found = collections.OrderedDict()
        tt_top = {}
        tt_exact = 0
        for kind, q in queries:
            s = time.perf_counter()
            res = m.matches(q)
            tt_ms.append((time.perf_counter() - s) * 1000)
            c = tt_found.setdefault(kind, [0, 0, 0])
            c[1] += 1
            if res:
                c[0] += 1
                c[2] += len(res)
                tt_top[q] = [str(r.source) for r in res]
                notes = res[0].getnotes()
                if kind == "exact" and notes.strip().endswith("100%"):
                    tt_exact += 1
        print("%s: matcher init %.2f s, %d candidates; ms per query: p50 "
              "%.2f  p99 %.2f  mean %.2f  max %.2f  (%d queries)"
              % (lab, t2 - t1, len(m.candidates.units), pct(tt_ms, 50),
                 pct(tt_ms, 99), sum(tt_ms) / len(tt_ms), max(tt_ms),
                 len(tt_ms)))
        print("%s: found a match >= 70: " % lab + "  ".join(
            "%s %d/%d" % (k, v[0], v[1]) for k, v in tt_found.items()) +
            "   (matches shown: " + " ".join(
            "%s %.2f" % (k, v[2] / max(1, v[1])) for k, v in
            tt_found.items()) + " per query)")
        print("%s: exact queries answered with 100%%: %d/%d"
              % (lab, tt_exact, tt_found.get("exact", [0, 0])[1]))
        sys.stdout.flush()
        tt.append((max_length, tt_ms, tt_top))

    # ---- hexalign on the same memory
    db = os.path.join(CACHE, "tt-ref-%d.db" % n)
    for ext in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db + ext):
            os.remove(db + ext)
    qfile = base + ".q"
    with open(qfile, "w", encoding="utf-8") as f:
        for _, q in queries:
            f.write(q + "\n")
    s = time.perf_counter()
    subprocess.run([hx, "tm", "import", "-q", "--db", db, base + ".tmx"],
                   check=True)
    imp = time.perf_counter() - s
    out = base + ".tt-ref.ours"
    s = time.perf_counter()
    with open(out, "w") as f:
        subprocess.run([hx, "tm", "lookup", "--db", db, "-s", "en", "-t",
                        "zh", "--min", "70", "--max", "5", "--json",
                        "--timing", "-f", qfile], stdout=f, check=True)
    wall = time.perf_counter() - s
    print("hexalign: import %.2f s; %d queries in %.3f s wall (process "
          "start and open included, %.2f ms per query)"
          % (imp, len(queries), wall, wall * 1000 / len(queries)))
    sys.stdout.flush()
    subprocess.run([sys.executable, os.path.join(HERE, "tm-report.py"),
                    base + ".tsv", out, "--label", "hexalign"], check=True)
    import json
    hx_ms = {}
    hx_top = {}
    with open(out, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            hx_ms.setdefault(r["query"], r["ms"])
            if r.get("score") is not None:
                hx_top.setdefault(r["query"], []).append(r["source"])
    ms = list(hx_ms.values())
    hmean, hp50 = sum(ms) / len(ms), pct(ms, 50)
    hwall = wall * 1000 / len(queries)
    for max_length, tt_ms, tt_top in tt:
        tmean, tp50 = sum(tt_ms) / len(tt_ms), pct(tt_ms, 50)
        print("ratio TT max_length=%d / hexalign: mean %.2f / %.3f = %.3gx;"
              "  p50 %.2f / %.3f = %.3gx;  vs hexalign incl. process start "
              "%.3gx" % (max_length, tmean, hmean, tmean / hmean, tp50, hp50,
                         tp50 / hp50, tmean / hwall))
        # Agreement on the best match: queries both answer, TT's best
        # source among hexalign's five, and the reverse.
        both = [q for _, q in queries if q in hx_top and q in tt_top]
        a = sum(1 for q in both if tt_top[q][0] in hx_top[q])
        b = sum(1 for q in both if hx_top[q][0] in tt_top[q])
        print("  best-match agreement on the %d queries both answer: TT's "
              "best in hexalign's 5: %d; hexalign's best in TT's 5: %d"
              % (len(both), a, b))
    for ext in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db + ext):
            os.remove(db + ext)


if __name__ == "__main__":
    main()
