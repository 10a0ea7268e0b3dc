#!/usr/bin/env python3
"""Figures of one `hexalign tm lookup --json --timing` run (helper of
bench/tm-bench.sh and bench/tm-tt-reference.py).

    usage: bench/tm-report.py QUERIES.tsv OURS.jsonl [EXHAUSTIVE.jsonl]
                              [--label L] [--max 5] [--min 70]

Prints p50/p99 look-up ms (the "ms" of each query), the queries of each kind
that found a match >= min, the share of exact queries answered with 100, and
with EXHAUSTIVE (the same queries, or a sample of them, with --exhaustive):
recall = found / total, where for each query and rank r < max the
exhaustive result r (score >= min) is found if our result r has the same
score. Our score can only be lower or missing; a higher one, an exact query
not answered with 100, or a query missing from the output is reported as
an anomaly.
"""

import argparse
import collections
import json
import sys


def load(path):
    by = collections.OrderedDict()
    bad = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
            except ValueError:
                bad += 1
                continue
            by.setdefault(r["query"], []).append(r)
    return by, bad


def pct(v, p):
    """Nearest-rank percentile."""
    if not v:
        return float("nan")
    v = sorted(v)
    k = max(0, min(len(v) - 1, -(-p * len(v) // 100) - 1))
    return v[int(k)]


def scores(rows, lo):
    return [r["score"] for r in rows if r.get("score") is not None
            and r["score"] >= lo]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("queries")
    ap.add_argument("ours")
    ap.add_argument("exhaustive", nargs="?")
    ap.add_argument("--label", default="")
    ap.add_argument("--max", type=int, default=5)
    ap.add_argument("--min", type=int, default=70)
    a = ap.parse_args()
    lab = a.label + ": " if a.label else ""

    qs = []
    with open(a.queries, encoding="utf-8") as f:
        for line in f:
            kind, q = line.rstrip("\n").split("\t", 1)
            qs.append((kind, q))
    ours, bad = load(a.ours)
    anomalies = []
    if bad:
        anomalies.append("%d output lines are not JSON" % bad)
    missing = [q for _, q in qs if q not in ours]
    if missing:
        anomalies.append("%d queries have no output line, e.g. %r"
                         % (len(missing), missing[0][:80]))

    ms = [rows[0]["ms"] for rows in ours.values() if "ms" in rows[0]]
    print("%slook-up ms per query: p50 %.3f  p99 %.3f  mean %.3f  max %.3f"
          "  (%d queries)" % (lab, pct(ms, 50), pct(ms, 99),
                              sum(ms) / max(1, len(ms)), max(ms or [0]),
                              len(ms)))

    per = collections.OrderedDict()
    exact100 = exact_n = 0
    for kind, q in qs:
        p = per.setdefault(kind, [0, 0, 0])
        p[1] += 1
        s = scores(ours.get(q, []), a.min)
        if s:
            p[0] += 1
            p[2] += len(s)
        if kind == "exact":
            exact_n += 1
            if s and s[0] == 100:
                exact100 += 1
            elif q in ours:
                anomalies.append("exact query not answered with 100 (best "
                                 "%s): %r" % (s[0] if s else None, q[:100]))
    print("%sfound a match >= %d: " % (lab, a.min) + "  ".join(
        "%s %d/%d" % (k, v[0], v[1]) for k, v in per.items()) +
        "   (matches shown: " + " ".join(
        "%s %.2f" % (k, v[2] / max(1, v[1])) for k, v in per.items()) +
        " per query)")
    print("%sexact queries answered with 100: %d/%d = %.1f%%"
          % (lab, exact100, exact_n, 100.0 * exact100 / max(1, exact_n)))

    if a.exhaustive:
        ex, bad = load(a.exhaustive)
        kind_of = dict((q, k) for k, q in qs)
        found = total = 0
        byk = collections.OrderedDict()
        exms = []
        misses = []
        for q, erows in ex.items():
            if "ms" in erows[0]:
                exms.append(erows[0]["ms"])
            es = scores(erows, a.min)[:a.max]
            os_ = scores(ours.get(q, []), a.min)[:a.max]
            k = kind_of.get(q, "?")
            bk = byk.setdefault(k, [0, 0])
            for r, s in enumerate(es):
                total += 1
                bk[1] += 1
                o = os_[r] if r < len(os_) else None
                if o == s:
                    found += 1
                    bk[0] += 1
                else:
                    misses.append((k, r, s, o, q))
                if o is not None and o > s:
                    anomalies.append("rank %d scores %d with the index but "
                                     "%d exhaustive: %r" % (r, o, s, q[:100]))
        print("%srecall vs --exhaustive: %d/%d = %.2f%%  on %d queries  ("
              % (lab, found, total, 100.0 * found / max(1, total), len(ex)) +
              " ".join("%s %d/%d" % (k, v[0], v[1]) for k, v in byk.items())
              + ");  exhaustive ms p50 %.1f p99 %.1f"
              % (pct(exms, 50), pct(exms, 99)))
        for k, r, s, o, q in misses[:8]:
            print("%s  miss: %s rank %d exhaustive %d ours %s: %s"
                  % (lab, k, r, s, o, q[:90]))
        if len(misses) > 8:
            print("%s  ... %d misses in all" % (lab, len(misses)))
    for x in anomalies[:10]:
        print("%sANOMALY %s" % (lab, x))
    if len(anomalies) > 10:
        print("%sANOMALY ... %d in all" % (lab, len(anomalies)))


if __name__ == "__main__":
    main()
