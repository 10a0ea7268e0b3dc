#!/usr/bin/env python3
"""Recall and precision of `hexalign check` per rule on the labelled set
tests/data/check/eval/, with Translate Toolkit's pofilter side by side on
the bilingual files for the checks it has.

Each file NAME has NAME.labels (errors injected by make-set.py) and may
have NAME.real (errors the real text already had, found by review): lines
LINE<TAB>RULE<TAB>note. A finding is scored by (file, line, rule): two
findings of one rule on one line count once, a finding with no label is a
false alarm, a label with no finding a miss.

usage: check-eval.py HEXALIGN EVAL_DIR [--no-pofilter] [--min-recall R]
With --min-recall, exit 1 when a rule with labels falls below R (a test).
"""
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

# pofilter test -> the hexalign rules it stands for
POFILTER = {
    'numbers': 'bi-number+date+symbol',
    'doublewords': 'typo-double-word',
    'brackets': 'typo-bracket',
    'untranslated': 'bi-empty',
    'blank': 'bi-empty',
    'unchanged': 'bi-same-as-source',
    'doublespacing': 'typo-double-space',
}
DIGIT_RULES = ('bi-number', 'bi-date', 'bi-symbol')


def labels(path):
    out = set()
    for p in (path + '.labels', path + '.real'):
        if not os.path.exists(p):
            continue
        for line in open(p, encoding='utf-8'):
            if line.startswith('#') or not line.strip():
                continue
            f = line.rstrip('\n').split('\t')
            out.add((int(f[0]), f[1]))
    return out


def run_hexalign(exe, path, name):
    if name.startswith('mono-'):
        lang = name[5:7]
        args = ['check', '-l', lang, '--format', 'json', path]
    else:
        tl = name[6:8]
        args = ['check', '--tmx', path, '-s', 'en', '-t', tl, '--format', 'json']
    p = subprocess.run([exe] + args, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit('%s: %s' % (name, p.stderr))
    return {(json.loads(l)['line'], json.loads(l)['rule']) for l in p.stdout.splitlines()}


def po_escape(s):
    return s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n').replace('\t', '\\t')


def tmx_units(path):
    """(line, source, target) of the one-unit-a-line TMX make-set.py writes."""
    import html
    import re
    out = []
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        m = re.match(r'<tu><tuv xml:lang="en"><seg>(.*?)</seg></tuv><tuv xml:lang="\w+"><seg>(.*?)</seg></tuv></tu>', line)
        if m:
            out.append((n, html.unescape(m.group(1)), html.unescape(m.group(2))))
    return out


def run_pofilter(path, name):
    """pofilter's findings as (line, rule-group) on a PO made of the TMX."""
    tl = name[6:8]
    tmp = tempfile.mkdtemp(prefix='hexalign-eval-')
    try:
        po = os.path.join(tmp, 'in.po')
        with open(po, 'w', encoding='utf-8') as f:
            f.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: %s\\n"\n\n' % tl)
            for line, s, t in tmx_units(path):
                f.write('#: %s:%d\nmsgid "%s"\nmsgstr "%s"\n\n' % (name, line, po_escape(s), po_escape(t)))
        out = os.path.join(tmp, 'out.po')
        cmd = ['pofilter', '--progress=none', '--language=' + tl]
        for t in POFILTER:
            cmd += ['-t', t]
        p = subprocess.run(cmd + [po, out], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit('pofilter: %s' % p.stderr)
        found, tests, loc = set(), [], None
        for l in open(out, encoding='utf-8'):
            if l.startswith('# (pofilter) '):
                tests.append(l[13:].split(':')[0].strip())
            elif l.startswith('#: '):
                loc = int(l.rsplit(':', 1)[1])
            elif l.startswith('msgid') and loc is not None:
                for t in tests:
                    found.add((loc, POFILTER[t]))
                tests, loc = [], None
        return found
    finally:
        shutil.rmtree(tmp)


def group_digits(pairs):
    return {(l, 'bi-number+date+symbol' if r in DIGIT_RULES else r) for l, r in pairs}


def score(found, want):
    per = collections.defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    for k in found:
        per[k[1]][0 if k in want else 1] += 1
    for k in want - found:
        per[k[1]][2] += 1
    return per


def fmt(tp, fp, fn):
    p = '%.2f' % (tp / (tp + fp)) if tp + fp else '-'
    r = '%.2f' % (tp / (tp + fn)) if tp + fn else '-'
    return p, r


def main():
    exe, root = sys.argv[1], sys.argv[2]
    use_po = '--no-pofilter' not in sys.argv and shutil.which('pofilter')
    min_recall = None
    if '--min-recall' in sys.argv:
        min_recall = float(sys.argv[sys.argv.index('--min-recall') + 1])
    names = sorted(n for n in os.listdir(root) if n.endswith(('.txt', '.tmx')))
    total = collections.defaultdict(lambda: [0, 0, 0])
    bi_hx = collections.defaultdict(lambda: [0, 0, 0])
    bi_po = collections.defaultdict(lambda: [0, 0, 0])
    for name in names:
        path = os.path.join(root, name)
        want = {(name,) + k for k in labels(path)}
        found = {(name,) + k for k in run_hexalign(exe, path, name)}
        for rule, v in score({(f[0] + ':' + str(f[1]), f[2]) for f in found},
                             {(w[0] + ':' + str(w[1]), w[2]) for w in want}).items():
            for i in range(3):
                total[rule][i] += v[i]
        if name.startswith('bi-') and use_po:
            w = group_digits({(l, r) for _, l, r in want})
            h = group_digits({(l, r) for _, l, r in found})
            po = run_pofilter(path, name)
            rules = set(POFILTER.values())
            for rule, v in score({k for k in h if k[1] in rules}, {k for k in w if k[1] in rules}).items():
                for i in range(3):
                    bi_hx[(name, rule)][i] += v[i]
            for rule, v in score(po, {k for k in w if k[1] in rules}).items():
                for i in range(3):
                    bi_po[(name, rule)][i] += v[i]
    print('hexalign check on %s (%d files)' % (root, len(names)))
    print('%-26s %5s %5s %5s %6s %6s' % ('rule', 'TP', 'FP', 'FN', 'P', 'R'))
    bad = []
    for rule in sorted(total):
        tp, fp, fn = total[rule]
        p, r = fmt(tp, fp, fn)
        print('%-26s %5d %5d %5d %6s %6s' % (rule, tp, fp, fn, p, r))
        if min_recall is not None and tp + fn and tp / (tp + fn) < min_recall:
            bad.append(rule)
    if use_po:
        print('\nbilingual files, side by side with pofilter (target checks it has)')
        print('%-14s %-24s %-17s %-17s' % ('file', 'rule', 'hexalign P/R', 'pofilter P/R'))
        for key in sorted(set(bi_hx) | set(bi_po)):
            a = fmt(*bi_hx[key]) if key in bi_hx else ('-', '-')
            b = fmt(*bi_po[key]) if key in bi_po else ('-', '-')
            print('%-14s %-24s %-17s %-17s' % (key[0], key[1], '%s / %s' % a, '%s / %s' % b))
    if bad:
        print('recall under %.2f: %s' % (min_recall, ', '.join(bad)))
        return 1
    return 0


sys.exit(main())
