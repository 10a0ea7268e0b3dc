#!/usr/bin/env python3
"""Build the labelled test set of `hexalign check` (tests/data/check/eval/).

Real text with errors injected at random (fixed seed), each injection
labelled in a sidecar file NAME.labels: LINE<TAB>RULE<TAB>what was done.
Sources (see SOURCE.md): the CWG-COP council reports of ../shared/seeds/
and sentences of the UN Parallel Corpus v1.0 dev set
(../shared/data/un-docs/unpc-v1.0-devset/).

Monolingual files are one paragraph a line; bilingual files are TMX with
one <tu> a line, so a label's LINE is the line of the unit, as `hexalign
check --tmx` reports it. Errors are injected into the target only.

usage: make-set.py SHARED_DIR OUT_DIR   (the output is committed; rerun
only to change the set, and review the diff)
"""
import html
import os
import random
import re
import sys

HAN = re.compile(r'[\u4e00-\u9fff]')


def read_lines(path):
    with open(path, encoding='utf-8') as f:
        return f.read().split('\n')


class Injector:
    def __init__(self, rnd, lang):
        self.rnd, self.lang = rnd, lang

    def words(self, line, minlen, lower=True):
        out = []
        for m in re.finditer(r"[^\W\d_]+", line):
            w = m.group()
            if len(w) < minlen or (lower and not w.islower()):
                continue
            # not inside URLs, symbols or codes
            s, e = m.start(), m.end()
            left = line[max(0, s - 1):s]
            right = line[e:e + 1]
            if left in '/.@-_' and left or right in '/@-_' and right:
                continue
            out.append(m)
        return out

    def spelling(self, line):
        ws = self.words(line, 6)
        if not ws:
            return None
        m = self.rnd.choice(ws)
        w = m.group()
        i = self.rnd.randrange(1, len(w) - 2)
        if w[i] == w[i + 1]:
            return None
        bad = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        return line[:m.start()] + bad + line[m.end():], 'swapped letters: %s -> %s' % (w, bad)

    def double_word(self, line):
        ws = [m for m in self.words(line, 3) if m.group() not in ('that', 'had', 'nous', 'vous')]
        if not ws:
            return None
        m = self.rnd.choice(ws)
        return line[:m.end()] + ' ' + m.group() + line[m.end():], 'doubled: %s' % m.group()

    def double_space(self, line):
        idx = [m.start() for m in re.finditer(r'(?<=\S) (?=\S)', line)]
        if not idx:
            return None
        i = self.rnd.choice(idx)
        return line[:i] + '  ' + line[i + 1:], 'double space at %d' % i

    def bracket(self, line):
        closes = [i for i, c in enumerate(line) if c in ')）']
        if not closes or '(' not in line and '（' not in line:
            return None
        i = self.rnd.choice(closes)
        return line[:i] + line[i + 1:], 'deleted %s' % line[i]

    def quote(self, line):
        if '”' in line:
            i = line.rindex('”')
            return line[:i] + line[i + 1:], 'deleted ”'
        ws = self.words(line, 4)
        if not ws or self.lang == 'zh':
            return None
        m = self.rnd.choice(ws)
        return line[:m.start()] + '“' + line[m.start():], 'unpaired “ before %s' % m.group()

    def zh_punct(self, line):
        idx = [m.start() for m in re.finditer(r'(?<=[\u4e00-\u9fff])[，；：](?=[\u4e00-\u9fff])', line)]
        if not idx:
            return None
        i = self.rnd.choice(idx)
        rep = {'，': ',', '；': ';', '：': ':'}[line[i]]
        return line[:i] + rep + line[i + 1:], '%s -> %s' % (line[i], rep)

    def digit_width(self, line):
        ms = list(re.finditer(r'\d{2,4}', line))
        if not ms:
            return None
        m = self.rnd.choice(ms)
        fw = ''.join(chr(ord(c) - 0x30 + 0xFF10) for c in m.group())
        return line[:m.start()] + fw + line[m.end():], 'full-width %s' % m.group()

    def variant(self, line):
        ms = list(re.finditer(r'CWG-COP', line))
        if not ms:
            return None
        m = self.rnd.choice(ms)
        v = self.rnd.choice(['CWGCOP', 'CWG COP'])
        return line[:m.start()] + v + line[m.end():], 'CWG-COP -> %s' % v


MONO_RULES = {
    'spelling': 'spelling', 'typo-double-word': 'double_word',
    'typo-double-space': 'double_space', 'typo-bracket': 'bracket',
    'typo-quote': 'quote', 'typo-zh-ascii-punct': 'zh_punct',
    'typo-digit-width': 'digit_width', 'term-variant': 'variant',
}

PLAN = {
    'en': {'spelling': 12, 'typo-double-word': 10, 'typo-double-space': 10,
           'typo-bracket': 8, 'typo-quote': 6, 'term-variant': 6},
    'zh': {'typo-bracket': 8, 'typo-quote': 6, 'typo-zh-ascii-punct': 12,
           'typo-digit-width': 1, 'term-variant': 8, 'typo-double-space': 4},
    'fr': {'spelling': 12, 'typo-double-word': 8, 'typo-double-space': 8, 'typo-bracket': 5},
    'es': {'spelling': 12, 'typo-double-word': 8, 'typo-double-space': 8, 'typo-bracket': 5},
    'ru': {'spelling': 12, 'typo-double-word': 8, 'typo-double-space': 8, 'typo-bracket': 5},
}


def inject_mono(rnd, lang, lines, plan):
    inj = Injector(rnd, lang)
    labels, used = [], set()
    for rule, n in plan.items():
        cand = [i for i, l in enumerate(lines) if l.strip() and i not in used]
        rnd.shuffle(cand)
        done = 0
        for i in cand:
            if done == n:
                break
            r = getattr(inj, MONO_RULES[rule])(lines[i])
            if not r:
                continue
            lines[i], what = r
            used.add(i)
            labels.append((i + 1, rule, what))
            done += 1
    return lines, sorted(labels)


def write_labels(path, labels, header):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('# %s\n# LINE<TAB>RULE<TAB>what was injected\n' % header)
        for line, rule, what in labels:
            f.write('%d\t%s\t%s\n' % (line, rule, what))


class BiInjector:
    def __init__(self, rnd, tl):
        self.rnd, self.tl = rnd, tl

    def number(self, s, t):
        ms = [m for m in re.finditer(r'(?<![\d.,/])\d{1,4}(?![\d.,/年月日])', t) if m.start() > 4]
        if not ms:
            return None
        m = self.rnd.choice(ms)
        v = str(int(m.group()) + self.rnd.choice([1, 2, 10]))
        return t[:m.start()] + v + t[m.end():], 'number %s -> %s' % (m.group(), v)

    def date(self, s, t):
        if self.tl == 'zh':
            ms = list(re.finditer(r'(\d{1,2})日', t))
        else:
            ms = list(re.finditer(r'\b(\d{1,2}) (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)', t))
        if not ms:
            return None
        m = self.rnd.choice(ms)
        d = int(m.group(1))
        nd = str(d + 1 if d < 28 else d - 1)
        return t[:m.start(1)] + nd + t[m.end(1):], 'day %d -> %s' % (d, nd)

    def symbol(self, s, t):
        ms = list(re.finditer(r'\b[A-Z]{1,5}(?:/[A-Z0-9.]+)*/(\d+)\b', t))
        if not ms:
            return None
        m = self.rnd.choice(ms)
        n = str(int(m.group(1)) + 1)
        return t[:m.start(1)] + n + t[m.end(1):], 'symbol %s -> +1' % m.group()

    def empty(self, s, t):
        return '', 'emptied'

    def same(self, s, t):
        return s, 'target = source'

    def untranslated(self, s, t):
        if self.tl != 'zh':
            return None
        w = s.rsplit(' ', 1)
        if len(w) < 2 or len(s.split()) < 4:
            return None
        return w[0], 'target = source without its last word'


BI_PLAN = {
    'zh': {'bi-number': 12, 'bi-date': 6, 'bi-symbol': 4, 'bi-empty': 5,
           'bi-same-as-source': 5, 'bi-untranslated': 5, 'typo-bracket': 5,
           'typo-zh-ascii-punct': 6, 'bi-inconsistent-target': 4},
    'fr': {'bi-number': 12, 'bi-date': 6, 'bi-symbol': 4, 'bi-empty': 5,
           'bi-same-as-source': 5, 'typo-double-word': 6, 'typo-double-space': 6,
           'typo-bracket': 5, 'bi-inconsistent-target': 4},
}

BI_FUN = {'bi-number': 'number', 'bi-date': 'date', 'bi-symbol': 'symbol',
          'bi-empty': 'empty', 'bi-same-as-source': 'same',
          'bi-untranslated': 'untranslated'}


def make_bi(rnd, shared, out, tl, n):
    d = os.path.join(shared, 'data/un-docs/unpc-v1.0-devset/UNv1.0.devset.')
    en, tg = read_lines(d + 'en'), read_lines(d + tl)
    idx = [i for i in range(min(len(en), len(tg))) if en[i].strip() and tg[i].strip()]
    # half with digits, so the number rules have something to look at
    dig = [i for i in idx if re.search(r'\d', en[i])]
    rest = [i for i in idx if i not in set(dig)]
    pick = sorted(rnd.sample(dig, n // 2) + rnd.sample(rest, n - n // 2))
    pairs = [[en[i], tg[i]] for i in pick]
    bi, mono = BiInjector(rnd, tl), Injector(rnd, tl)
    labels, used = [], set()
    extra = []
    for rule, k in BI_PLAN[tl].items():
        order = [i for i in range(len(pairs)) if i not in used]
        rnd.shuffle(order)
        done = 0
        for i in order:
            if done == k:
                break
            s, t = pairs[i]
            if rule == 'bi-inconsistent-target':
                if len(t) < 10:
                    continue
                extra.append((i, [s, t[:-1] if tl == 'zh' else t.rstrip('.') + ' ;']))
                used.add(i)
                done += 1
                continue
            if rule in BI_FUN:
                r = getattr(bi, BI_FUN[rule])(s, t)
            else:
                r = getattr(mono, MONO_RULES[rule])(t)
            if not r:
                continue
            pairs[i][1], what = r
            used.add(i)
            labels.append((i, rule, what))
            done += 1
    # units: the pairs, then the second translations of repeated sources
    units = [p for p in pairs] + [u for _, u in extra]
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<tmx version="1.4">\n'
            '<header srclang="en" datatype="plaintext" segtype="sentence" '
            'adminlang="en" o-tmf="hexalign-test" creationtool="make-set.py" '
            'creationtoolversion="1"/>\n<body>\n')
    first = head.count('\n') + 1
    name = 'bi-en-%s.tmx' % tl
    with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
        f.write(head)
        for s, t in units:
            f.write('<tu><tuv xml:lang="en"><seg>%s</seg></tuv><tuv xml:lang="%s"><seg>%s</seg></tuv></tu>\n'
                    % (html.escape(s, False), tl, html.escape(t, False)))
        f.write('</body>\n</tmx>\n')
    lab = [(first + i, r, w) for i, r, w in labels]
    for k, (i, _) in enumerate(extra):
        lab.append((first + len(pairs) + k, 'bi-inconsistent-target',
                    'second translation of the source at line %d' % (first + i)))
    write_labels(os.path.join(out, name + '.labels'), sorted(lab),
                 'UN Parallel Corpus v1.0 dev set, en-%s, %d units' % (tl, len(units)))


def main():
    shared, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(20260101)
    seeds = sorted(os.listdir(os.path.join(shared, 'seeds')))
    seed_lines = {f: read_lines(os.path.join(shared, 'seeds', f)) for f in seeds}
    d = os.path.join(shared, 'data/un-docs/unpc-v1.0-devset/UNv1.0.devset.')
    for lang in PLAN:
        if lang == 'en':
            src = seed_lines[seeds[4]] + [l for l in rnd.sample(read_lines(d + 'en'), 150)]
            header = 'seed 004 (C26/15, CWG-COP report) lines 1-%d, then 150 UN Parallel Corpus dev-set sentences' % len(seed_lines[seeds[4]])
        elif lang == 'zh':
            src = sum((seed_lines[s] for s in seeds[:4]), [])
            header = 'seeds 000-003 (CWG-COP reports in Chinese), concatenated'
        else:
            src = rnd.sample(read_lines(d + lang), 200)
            header = '200 UN Parallel Corpus dev-set sentences'
        lines, labels = inject_mono(rnd, lang, list(src), PLAN[lang])
        name = 'mono-%s.txt' % lang
        with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines).rstrip('\n') + '\n')
        write_labels(os.path.join(out, name + '.labels'), labels, header)
    for tl in ('zh', 'fr'):
        make_bi(rnd, shared, out, tl, 200)


main()
