#!/usr/bin/env python3
"""Score hexalign's sentence segmenter on the pySBD / Pragmatic Segmenter
"golden rules" cases (tests/data/segmentation/*.jsonl, MIT; see SOURCE.md).

All cases go through one process of the segment-cases driver (a small
program linking the library), so a run takes well under a second.

  golden-rules.py DRIVER DATADIR            check: every case listed in
                                            DATADIR/expected-pass.txt must
                                            still pass; prints pass rates
  golden-rules.py DRIVER DATADIR --report   table: hexalign vs no SRX rules
  golden-rules.py DRIVER DATADIR --failures [--lang xx]
                                            show each failing case
  golden-rules.py DRIVER DATADIR --write-expected
                                            rewrite expected-pass.txt

"no SRX rules" is the same driver with DATADIR/empty.srx, an SRX file
without rules: ICU's break iterator with the segmenter's built-in passes
(inline lists, quotations) and the plain-text reader's cleaning, which run
whatever the rules. It shows what the SRX rules add.

Cases whose text holds a line break are counted apart ("multi-line"): they
come from text exports and PDF extracts, where Pragmatic Segmenter first
joins lines ("clean"). hexalign does that cleaning in its plain-text
reader, so these cases go through it as a document would: the driver reads
the text as a .txt file and segments each block. A case with the option
doc_type "pdf" is read as wrapped lines (HX_TXT_LINES_WRAPPED), the others
as Word's text export, a line a paragraph.

DATADIR/known-failures.txt lists the cases hexalign fails on purpose, with
why: text cleaning a segmenter cannot do, cases that contradict each
other, a convention the UN's own text does not follow. The report's
"without known failures" column leaves them out; a listed case that
passes is reported, and the check fails, so the list stays true.

The report's exact-text column counts only the cases whose expected sentences
all occur verbatim in the text: the others also ask for text cleaning
(white space collapsed, markup removed, `` quotes rewritten, lines
joined), which a segmenter that returns spans of its input cannot do.
"""
import argparse
import json
import os
import subprocess
import sys

LANGS = ('en', 'zh', 'ar', 'fr', 'ru', 'es')


def load_cases(datadir):
    cases = []
    for fname in sorted(os.listdir(datadir)):
        if not fname.endswith('.jsonl'):
            continue
        stem = fname[:-len('.jsonl')]
        with open(os.path.join(datadir, fname), encoding='utf-8') as f:
            for line in f:
                d = json.loads(line)
                if d['language'] not in LANGS:
                    continue
                d['id'] = '%s:%d' % (stem, d['case'])
                d['multiline'] = '\n' in d['text'] or '\r' in d['text']
                cases.append(d)
    return cases


def escape(s):
    return (s.replace('\\', '\\\\').replace('\n', '\\n')
            .replace('\r', '\\r').replace('\t', '\\t'))


def unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == '\\' and i + 1 < len(s):
            i += 1
            c = {'n': '\n', 'r': '\r', 't': '\t'}.get(s[i], s[i])
        out.append(c)
        i += 1
    return ''.join(out)


def reader_mode(case):
    if not case['multiline']:
        return ''
    if (case.get('options') or {}).get('doc_type') == 'pdf':
        return '/wrapped'
    return '/txt'


def run(driver, cases, srx=None):
    cmd = [driver] + (['--srx', srx] if srx else [])
    inp = ''.join('%s%s\t%s\n' % (c['language'], reader_mode(c),
                                   escape(c['text']))
                  for c in cases)
    p = subprocess.run(cmd, input=inp.encode('utf-8'),
                       stdout=subprocess.PIPE, check=True)
    lines = p.stdout.decode('utf-8').split('\n')[:-1]
    if len(lines) != len(cases):
        sys.exit('golden-rules: driver printed %d results for %d cases'
                 % (len(lines), len(cases)))
    # A TAB inside a segment is escaped, so splitting on TAB is safe.
    return [[unescape(s).strip() for s in l.split('\t')] if l else []
            for l in lines]


def passes(case, got):
    want = [s.strip() for s in case['expected'] if s.strip()]
    return [s for s in got if s] == want


def tally(cases, results):
    t = {}
    for c, got in zip(cases, results):
        key = (c['language'], c['multiline'])
        n, ok = t.get(key, (0, 0))
        t[key] = (n + 1, ok + passes(c, got))
    return t


def exact_text(case):
    return all(s.strip() in case['text'] for s in case['expected']
               if s.strip())


def load_known(datadir):
    known = {}
    path = os.path.join(datadir, 'known-failures.txt')
    if os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            for line in f:
                if line.strip() and not line.startswith('#'):
                    cid, why = line.rstrip('\n').split('\t', 1)
                    known[cid] = why
    return known


def pct(ok, n):
    return '%d/%d (%.0f%%)' % (ok, n, 100.0 * ok / n) if n else '-'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('driver')
    ap.add_argument('datadir')
    ap.add_argument('--srx', help='rules to use instead of the built-in')
    ap.add_argument('--report', action='store_true')
    ap.add_argument('--failures', action='store_true')
    ap.add_argument('--lang')
    ap.add_argument('--write-expected', action='store_true')
    a = ap.parse_args()

    cases = load_cases(a.datadir)
    if a.lang:
        cases = [c for c in cases if c['language'] == a.lang]
    got = run(a.driver, cases, a.srx)
    mine = tally(cases, got)
    expected_path = os.path.join(a.datadir, 'expected-pass.txt')

    known = load_known(a.datadir)
    if a.report:
        icu = tally(cases, run(a.driver, cases,
                               os.path.join(a.datadir, 'empty.srx')))
        ex = tally(*zip(*[(c, g) for c, g in zip(cases, got)
                          if exact_text(c)]))
        kn = tally(*zip(*[(c, g) for c, g in zip(cases, got)
                          if c['id'] not in known]))
        print('%-5s %-10s %5s  %-16s %-16s %-16s %s' %
              ('lang', 'kind', 'cases', 'hexalign', 'no SRX rules',
               'exact-text', 'without known failures'))
        for ml in (False, True):
            tot = [0] * 7
            for lang in LANGS:
                if (lang, ml) not in mine:
                    continue
                row = (mine[(lang, ml)] + (icu[(lang, ml)][1],) +
                       ex.get((lang, ml), (0, 0)) +
                       kn.get((lang, ml), (0, 0)))
                tot = [x + y for x, y in zip(tot, row)]
                print('%-5s %-10s %5d  %-16s %-16s %-16s %s' % (
                    lang, 'multi-line' if ml else 'one-line', row[0],
                    pct(row[1], row[0]), pct(row[2], row[0]),
                    pct(row[4], row[3]), pct(row[6], row[5])))
            print('%-5s %-10s %5d  %-16s %-16s %-16s %s' % (
                'all', 'multi-line' if ml else 'one-line', tot[0],
                pct(tot[1], tot[0]), pct(tot[2], tot[0]),
                pct(tot[4], tot[3]), pct(tot[6], tot[5])))
        print()
        for lang in LANGS:
            n = sum(mine.get((lang, ml), (0, 0))[0] for ml in (False, True))
            ok = sum(mine.get((lang, ml), (0, 0))[1]
                     for ml in (False, True))
            kk = sum(kn.get((lang, ml), (0, 0))[0] for ml in (False, True))
            kok = sum(kn.get((lang, ml), (0, 0))[1]
                      for ml in (False, True))
            print('%-3s all cases %-16s without known failures %s' %
                  (lang, pct(ok, n), pct(kok, kk)))
        reasons = {}
        for cid, why in known.items():
            reasons[why] = reasons.get(why, 0) + 1
        print()
        print('known failures (%d):' % len(known))
        for why, k in sorted(reasons.items(), key=lambda x: -x[1]):
            print('  %3d  %s' % (k, why))
        return 0

    if a.failures:
        for c, g in zip(cases, got):
            if passes(c, g):
                continue
            print('== %s [%s]%s' % (c['id'], c['language'],
                                    ' (multi-line)' if c['multiline'] else ''))
            print('text: %r' % c['text'])
            want = [s.strip() for s in c['expected'] if s.strip()]
            for s in want:
                print('  want: %s' % s)
            for s in g:
                print('  %s  got: %s' % (' ' if s in want else '!', s))
        return 0

    if a.write_expected:
        with open(expected_path, 'w') as f:
            f.write('# Cases of the *.jsonl files here that hexalign passes;\n'
                    '# tests/golden-rules.py fails when one stops passing.\n'
                    '# Regenerate with --write-expected after an'
                    ' improvement.\n')
            for c, g in zip(cases, got):
                if passes(c, g):
                    f.write(c['id'] + '\n')
        return 0

    for (lang, ml), (n, ok) in sorted(mine.items()):
        print('# %s %s: %s' % (lang, 'multi-line' if ml else 'one-line',
                               pct(ok, n)))
    must = set()
    with open(expected_path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                must.add(line)
    bad = 0
    for c, g in zip(cases, got):
        if c['id'] in known and passes(c, g):
            print('known failure passes (take it out of '
                  'known-failures.txt): %s' % c['id'])
            bad += 1
        if c['id'] in must and not passes(c, g):
            print('regression: %s [%s]: %r' % (c['id'], c['language'], g))
            bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
