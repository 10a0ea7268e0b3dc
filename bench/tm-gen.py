#!/usr/bin/env python3
"""Benchmark translation memory for `hexalign tm`, built from real UN sentences.

    usage: bench/tm-gen.py N OUT.tmx QUERIES.tsv [--langs en,zh,ar,fr,ru,es]
                           [--seed S] [--queries Q]

Writes OUT.tmx (TMX 1.4, N units, one <tuv> per language of --langs, source
language en) and QUERIES.tsv (kind<TAB>English query, about Q = 300 lines).

Data: the six-way parallel development set of the United Nations Parallel
Corpus v1.0, ../shared/data/un-docs/unpc-v1.0-devset/ (2562 lines; line n of
every UNv1.0.devset.LANG file is the same sentence). Acknowledgement and
citation: United Nations; Michal Ziemski, Marcin Junczys-Dowmunt and Bruno
Pouliquen (2016), "The United Nations Parallel Corpus v1.0", LREC 2016.
The corpus terms require its disclaimer to be kept with it; here it is:

    The United Nations Parallel Corpus is made available without warranty of
    any kind, explicit or implied. The United Nations specifically makes no
    warranties or representations as to the accuracy or completeness of the
    information contained in the United Nations Corpus. Under no
    circumstances shall the United Nations be liable for any loss,
    liability, injury or damage incurred or suffered that is claimed to have
    resulted from the use of the United Nations Corpus. The use of the United
    Nations Corpus is at the user's sole risk. The user specifically
    acknowledges and agrees that the United Nations is not liable for the
    conduct of any user. If the user is dissatisfied with any of the material
    provided in the United Nations Corpus, the user's sole and exclusive
    remedy is to discontinue using the United Nations Corpus.

Memory. Lines 1..2362 of the dev set are the memory's sentences; the last
200 lines are held out (the "none" queries come from them). A memory of N
units holds every memory sentence once (when N allows), then units made by
variation that keeps the unit a plausible translation in every language at
once:

  * numbers: a number (a run of ASCII digits, or of Arabic-Indic digits in
    Arabic, that is not part of a grouped or decimal number such as 1,000 /
    1 000 / 10.5) is a candidate only if it occurs the same number of times
    in every language of the unit; it is then replaced everywhere, in every
    language, by another number of as many digits (a year by a year), in the
    digit style each occurrence had. Line 122, where the Chinese has
    12月24日 for "29 January" (a real translation error), thus keeps its
    29 unchanged; the year 2015, present in all six, can change.
  * months: the one word-level substitution that can be made consistently
    without a dictionary. Month names are recognised in each language (en
    January, fr janvier, es enero, ru января / январе / январь ... by case,
    zh 1月, ar كانون الثاني/يناير with its Levantine and Egyptian names, with
    or without the space after the slash); a month is a candidate only if
    every language of the unit names the same months the same number of
    times, and it is then replaced in every language by another month, in
    the same grammatical case in Russian and the same capitalisation.
  * recombination: a unit is sentence i + sentence j of the memory joined in
    every language (a space between them; nothing in Chinese, whose
    sentences end in 。 or a closing character already); in 30% of these
    one of the two sentences is varied as above first.

  No other English word or span is substituted: other substitutions (names
  of countries, organs, committees...) would need a six-language dictionary
  with inflection (Russian and Arabic case, French and Spanish gender
  agreement), and a change made in English only would make the unit a wrong
  translation. So word-level variation is limited to numbers and months,
  and the remaining growth comes from recombination.

  Units are unique by their English text (the importer would skip exact
  duplicates and N would not be N). Output is deterministic for a seed.

Queries (kind<TAB>query), about a quarter of each kind:
  exact  the English of a stored unit (expect 100);
  near   a stored English segment with one number changed (expect 99) or one
         word deleted; never itself a stored segment;
  fuzzy  a stored English segment with 2-4 words removed or two adjacent
         words swapped (several edits);
  none   a held-out dev-set sentence (last 200 lines) that is not stored; it
         may still have fuzzy matches in boilerplate ("Sixty-ninth session").
"""

import argparse
import hashlib
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEVSET = os.path.normpath(os.path.join(
    HERE, "..", "..", "shared", "data", "un-docs", "unpc-v1.0-devset"))
ALL_LANGS = ["en", "zh", "ar", "fr", "ru", "es"]
HELD_OUT = 200

# ---------------------------------------------------------------- numbers

AR_DIGITS = "٠١٢٣٤٥٦٧٨٩"
TO_ASCII = str.maketrans(AR_DIGITS, "0123456789")
TO_AR = str.maketrans("0123456789", AR_DIGITS)
# A digit run that is not glued to another digit run by a group or decimal
# separator (1,000  1 000  1.000  10.5  1'000); NBSP, NNBSP, thin space too.
SEP = ".,'\u00a0\u202f\u2009 "
RUN_RE = re.compile(r"[0-9]+|[٠-٩]+")
DIGITS = frozenset("0123456789" + AR_DIGITS)


def numbers(text):
    """[(start, end, ascii value, arabic-indic?)] of the free numbers."""
    out = []
    n = len(text)
    for m in RUN_RE.finditer(text):
        s, e = m.span()
        if s and text[s - 1] in DIGITS:
            continue  # 12٣: mixed styles, not a number of one style
        if e < n and text[e] in DIGITS:
            continue
        if s >= 2 and text[s - 1] in SEP and text[s - 2] in DIGITS:
            continue
        if e + 1 < n and text[e] in SEP and text[e + 1] in DIGITS:
            continue
        v = m.group()
        out.append((s, e, v.translate(TO_ASCII), v[0] in AR_DIGITS))
    return out


def number_candidates(unit):
    """Values that occur equally often (>= 1) in every language."""
    counts = None
    for text in unit.values():
        c = {}
        for _, _, v, _ in numbers(text):
            c[v] = c.get(v, 0) + 1
        counts = c if counts is None else {
            v: n for v, n in counts.items() if c.get(v) == n}
        if not counts:
            return []
    return sorted(counts)


def new_number(rng, v):
    n = len(v)
    for _ in range(20):
        if n == 4 and 1945 <= int(v) <= 2035:
            w = str(rng.randint(1990, 2030))
        elif n == 1:
            w = str(rng.randint(1, 9))
        else:
            w = str(rng.randint(10 ** (n - 1), 10 ** n - 1))
        if w != v:
            return w
    return None


def replace_number(text, v, w):
    parts, last = [], 0
    for s, e, val, ar in numbers(text):
        if val == v:
            parts.append(text[last:s])
            parts.append(w.translate(TO_AR) if ar else w)
            last = e
    parts.append(text[last:])
    return "".join(parts)


# ----------------------------------------------------------------- months

EN_M = ["January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"]
FR_M = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
        "août", "septembre", "octobre", "novembre", "décembre"]
ES_M = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
        "agosto", "septiembre", "octubre", "noviembre", "diciembre"]
# Russian: nominative, genitive, dative, prepositional, instrumental.
RU_M = []
for stem in ["январ", "феврал", None, "апрел", None, "июн", "июл", None,
             "сентябр", "октябр", "ноябр", "декабр"]:
    if stem:
        RU_M.append([stem + e for e in ("ь", "я", "ю", "е", "ем")])
    else:
        RU_M.append(None)
RU_M[2] = ["март", "марта", "марту", "марте", "мартом"]
RU_M[4] = ["май", "мая", "маю", "мае", "маем"]
RU_M[7] = ["август", "августа", "августу", "августе", "августом"]
# Arabic, as UN Arabic writes them: Levantine name/Egyptian name.
AR_LEV = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز",
          "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"]
AR_EGY = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيه", "يوليه",
          "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
AR_EGY_ALT = {3: ["إبريل"], 5: ["يونيو"], 6: ["يوليو"]}


def _word_alt(words):
    return "|".join(sorted((re.escape(w) for w in words), key=len,
                           reverse=True))


def _cap_forms(words):
    return words + [w[0].upper() + w[1:] for w in words]


# Per language: regex, and a function match -> (month index, form tag).
_en_re = re.compile(r"\b(" + _word_alt(EN_M) + r")\b")
_fr_re = re.compile(r"\b(" + _word_alt(_cap_forms(FR_M)) + r")\b")
_es_re = re.compile(r"\b(" + _word_alt(_cap_forms(ES_M)) + r")\b")
_ru_all = [f for forms in RU_M for f in forms]
_ru_re = re.compile(r"\b(" + _word_alt(_cap_forms(_ru_all)) + r")\b")
_zh_re = re.compile(r"(?<![0-9０-９])(1[0-2]|[1-9])月")
_ar_egy_all = [(i, e) for i, e in enumerate(AR_EGY)] + [
    (i, e) for i, alts in AR_EGY_ALT.items() for e in alts]
_ar_re = re.compile(r"(" + _word_alt(AR_LEV) + r")\s?/\s?(" +
                    _word_alt([e for _, e in _ar_egy_all]) + r")(?!\w)")


def months(lang, text):
    """[(start, end, month 0-11, form)] of the month names in text."""
    out = []
    if lang == "en":
        for m in _en_re.finditer(text):
            out.append((m.start(), m.end(), EN_M.index(m.group(1)), None))
    elif lang in ("fr", "es"):
        table = FR_M if lang == "fr" else ES_M
        rx = _fr_re if lang == "fr" else _es_re
        for m in rx.finditer(text):
            w = m.group(1)
            out.append((m.start(), m.end(), table.index(w.lower()),
                        w[0].isupper()))
    elif lang == "ru":
        for m in _ru_re.finditer(text):
            w = m.group(1)
            lw = w.lower()
            for i, forms in enumerate(RU_M):
                if lw in forms:
                    out.append((m.start(), m.end(), i,
                                (forms.index(lw), w[0].isupper())))
                    break
    elif lang == "zh":
        for m in _zh_re.finditer(text):
            out.append((m.start(), m.end(), int(m.group(1)) - 1, None))
    elif lang == "ar":
        for m in _ar_re.finditer(text):
            lev = AR_LEV.index(m.group(1))
            egy = [i for i, e in _ar_egy_all if e == m.group(2)][0]
            if lev == egy:
                out.append((m.start(), m.end(), lev, None))
            else:
                # A mismatched pair: no month the other languages can match.
                out.append((m.start(), m.end(), -1, None))
    return out


def month_form(lang, i, form):
    if lang == "en":
        return EN_M[i]
    if lang in ("fr", "es"):
        w = (FR_M if lang == "fr" else ES_M)[i]
        return w[0].upper() + w[1:] if form else w
    if lang == "ru":
        case, cap = form
        w = RU_M[i][case]
        return w[0].upper() + w[1:] if cap else w
    if lang == "zh":
        return "%d月" % (i + 1)
    if lang == "ar":
        return AR_LEV[i] + "/" + AR_EGY[i]
    raise ValueError(lang)


def month_candidates(unit):
    """Months named equally often in every language (and English names no
    month the others do not)."""
    ref = None
    for lang, text in unit.items():
        c = {}
        for _, _, i, _ in months(lang, text):
            c[i] = c.get(i, 0) + 1
        if ref is None:
            ref = c
        elif c != ref:
            return []
    return sorted(i for i in ref if i >= 0) if ref else []


def replace_month(lang, text, i, j):
    parts, last = [], 0
    for s, e, k, form in months(lang, text):
        if k == i:
            parts.append(text[last:s])
            parts.append(month_form(lang, j, form))
            last = e
    parts.append(text[last:])
    return "".join(parts)


# -------------------------------------------------------------- variation

def vary(rng, unit, tries=2, cands=None):
    """unit with 1..tries consistent changes, or None if it has no
    variable number or month. cands: its (numbers, months) if known."""
    nums, mons = cands or (number_candidates(unit), month_candidates(unit))
    if not nums and not mons:
        return None
    out = dict(unit)
    for _ in range(rng.randint(1, tries)):
        if mons and (not nums or rng.random() < 0.25):
            i = rng.choice(mons)
            present = set(mons)
            j = rng.choice([m for m in range(12) if m not in present] or
                           [m for m in range(12) if m != i])
            out = {l: replace_month(l, t, i, j) for l, t in out.items()}
            mons = month_candidates(out)
        elif nums:
            v = rng.choice(nums)
            w = new_number(rng, v)
            if w is None or w in nums:
                continue
            out = {l: replace_number(t, v, w) for l, t in out.items()}
            nums = number_candidates(out)
    return out


def join(a, b):
    out = {}
    for lang in a:
        sep = "" if lang == "zh" else " "
        out[lang] = a[lang].rstrip() + sep + b[lang].lstrip()
    return out


def key(text):
    return hashlib.blake2b(text.encode(), digest_size=8).digest()


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------- queries

WORD_RE = re.compile(r"\w", re.UNICODE)


def near_query(rng, en, stored):
    """en with one number changed, else one word deleted."""
    nums = [n for n in numbers(en) if not n[3]]
    if nums and rng.random() < 0.6:
        s, e, v, _ = rng.choice(nums)
        w = new_number(rng, v)
        if w:
            q = en[:s] + w + en[e:]
            if key(q) not in stored:
                return q
    words = en.split()
    idx = [k for k, w in enumerate(words) if WORD_RE.search(w)]
    if len(words) < 4 or not idx:
        return None
    k = rng.choice(idx)
    q = " ".join(words[:k] + words[k + 1:])
    return None if key(q) in stored else q


def fuzzy_query(rng, en, stored):
    words = en.split()
    if len(words) < 8:
        return None
    n = rng.randint(2, 4)
    for _ in range(n):
        if rng.random() < 0.3:
            k = rng.randrange(len(words) - 1)
            words[k], words[k + 1] = words[k + 1], words[k]
        else:
            del words[rng.randrange(len(words))]
    q = " ".join(words)
    return None if key(q) in stored or q == en else q


# ------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("queries")
    ap.add_argument("--langs", default=",".join(ALL_LANGS))
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--queries-n", "--nq", dest="nq", type=int, default=300)
    ap.add_argument("--single", type=float, default=0.4,
                    help="share of generated units that are one varied "
                    "sentence (the rest: two sentences joined)")
    a = ap.parse_args()
    langs = a.langs.split(",")
    if "en" not in langs or len(langs) < 2 or any(
            l not in ALL_LANGS for l in langs):
        sys.exit("--langs: en and at least one of " + ",".join(ALL_LANGS))
    rng = random.Random(a.seed)

    lines = {}
    for lang in langs:
        with open(os.path.join(DEVSET, "UNv1.0.devset." + lang),
                  encoding="utf-8") as f:
            lines[lang] = f.read().split("\n")[:2562]
    total = len(lines["en"])
    sents = [{l: lines[l][i].strip() for l in langs} for i in range(total)]
    mem = [s for s in sents[:total - HELD_OUT] if all(s.values())]
    held = sents[total - HELD_OUT:]
    variable = []  # (sentence, its candidates)
    for s in mem:
        c = (number_candidates(s), month_candidates(s))
        if c[0] or c[1]:
            variable.append((s, c))
    var_of = {id(s): c for s, c in variable}

    stored = set()
    units_en = []  # English of the units, for the queries
    n_kind = {"sentence": 0, "varied": 0, "joined": 0, "joined+varied": 0}

    out = open(a.out, "w", encoding="utf-8", buffering=1 << 20)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<tmx version="1.4">\n'
              '<header creationtool="hexalign-bench-tm-gen" '
              'creationtoolversion="1" datatype="plaintext" '
              'segtype="sentence" adminlang="en" srclang="en" '
              'o-tmf="unpc-v1.0-devset"/>\n<body>\n')

    def emit(unit, kind):
        k = key(unit["en"])
        if k in stored:
            return False
        stored.add(k)
        units_en.append(unit["en"])
        n_kind[kind] += 1
        tu = ['<tu tuid="%d">' % len(units_en)]
        for lang in langs:
            tu.append('<tuv xml:lang="%s"><seg>%s</seg></tuv>'
                      % (lang, xml_escape(unit[lang])))
        tu.append("</tu>\n")
        out.write("".join(tu))
        return True

    base = list(mem)
    rng.shuffle(base)
    for s in base[:a.n]:
        emit(s, "sentence")
    misses = 0
    while len(units_en) < a.n:
        if rng.random() < a.single:
            s, c = rng.choice(variable)
            u = vary(rng, s, cands=c)
            kind = "varied"
        else:
            # Sentence i + sentence j; in 30% of them one of the two is
            # varied first (same changes as a single varied sentence).
            pair = [rng.choice(mem), rng.choice(mem)]
            kind = "joined"
            if rng.random() < 0.3:
                k = rng.randrange(2)
                c = var_of.get(id(pair[k]))
                if c:
                    pair[k] = vary(rng, pair[k], cands=c)
                    kind = "joined+varied"
            u = join(pair[0], pair[1])
        if u is None or not emit(u, kind):
            misses += 1
            if misses > 50 * a.n + 1000:
                sys.exit("tm-gen: cannot make %d distinct units" % a.n)
    out.write("</body>\n</tmx>\n")
    out.close()

    # Queries.
    per = a.nq // 4
    qs = []
    seen = set()

    def add(kind, q):
        if q and "\t" not in q and q not in seen:
            seen.add(q)
            qs.append((kind, q))
            return True
        return False

    order = list(range(len(units_en)))
    rng.shuffle(order)
    it = iter(order)
    got = 0
    while got < per:
        got += add("exact", units_en[next(it)])
    got = 0
    while got < per:
        got += add("near", near_query(rng, units_en[next(it)], stored))
    got = 0
    while got < per:
        got += add("fuzzy", fuzzy_query(rng, units_en[next(it)], stored))
    none = [s["en"] for s in held if s["en"] and key(s["en"]) not in stored]
    rng.shuffle(none)
    for q in none[:a.nq - 3 * per]:
        add("none", q)
    with open(a.queries, "w", encoding="utf-8") as f:
        for kind, q in qs:
            f.write(kind + "\t" + q + "\n")
    print("tm-gen: %d units (%s) in %s, langs %s; %d queries in %s"
          % (len(units_en), ", ".join("%s %d" % kv for kv in n_kind.items()),
             a.out, ",".join(langs), len(qs), a.queries), file=sys.stderr)


if __name__ == "__main__":
    main()
