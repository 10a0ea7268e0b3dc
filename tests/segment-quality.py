#!/usr/bin/env python3
"""Segmentation quality on real UN text, hexalign against ICU alone and
against other SRX files. Run by hand (it reads ../shared, outside the
tree), not by meson test:

  tests/segment-quality.py DRIVER [--srx FILE]...

DRIVER is the segment-cases program (tests/segment-cases.c). The text is
the UN Parallel Corpus v1.0 development set (../shared/data/un-docs,
Ziemski et al., LREC 2016; one sentence per line, six-way parallel).

Two figures per language:
  split   sentences (lines) that the segmenter cuts in two or more: every
          one is a false break, since a line is one sentence;
  F1      lines ending in sentence punctuation are joined 8 at a time into
          paragraphs (Chinese without a space), segmented, and scored with
          ../shared/eval/segment-score (which ignores paragraph labels).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, '..', '..', 'shared')
DEVSET = os.path.join(SHARED, 'data', 'un-docs', 'unpc-v1.0-devset',
                      'UNv1.0.devset.')
SCORE = os.path.join(SHARED, 'eval', 'segment-score')
LANGS = ('en', 'fr', 'es', 'ru', 'zh', 'ar')
END = re.compile(r'[.!?。！？؟]["”’»)）」』]*$')


def esc(s):
    return s.replace('\\', '\\\\').replace('\t', '\\t')


def run(driver, srx, lang, texts):
    cmd = [driver] + (['--srx', srx] if srx else [])
    inp = ''.join('%s\t%s\n' % (lang, esc(t)) for t in texts)
    out = subprocess.run(cmd, input=inp.encode('utf-8'),
                         stdout=subprocess.PIPE, check=True).stdout
    return [l.split('\t') for l in out.decode('utf-8').split('\n')[:-1]]


def f1(gold, test):
    with tempfile.TemporaryDirectory() as d:
        g, t = os.path.join(d, 'gold'), os.path.join(d, 'test')
        with open(g, 'w', encoding='utf-8') as f:
            f.write(''.join(s + '\n' for s in gold))
        with open(t, 'w', encoding='utf-8') as f:
            f.write(''.join(s.replace('\\t', ' ') + '\n' for s in test))
        out = subprocess.run([SCORE, g, t], stdout=subprocess.PIPE,
                             check=True).stdout.decode().split()
        return float(out[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('driver')
    ap.add_argument('--srx', action='append', default=[])
    a = ap.parse_args()
    configs = [('hexalign', None),
               ('ICU alone', os.path.join(HERE, 'data', 'segmentation',
                                          'empty.srx'))]
    configs += [(os.path.basename(s), s) for s in a.srx]
    print('%-4s %6s  ' % ('lang', 'lines') +
          '  '.join('%-22s' % name for name, _ in configs))
    print('%-4s %6s  ' % ('', '') +
          '  '.join('%-22s' % 'split   F1 (8 joined)' for _ in configs))
    for lang in LANGS:
        with open(DEVSET + lang, encoding='utf-8') as f:
            lines = [l.strip() for l in f if l.strip()]
        ended = [l for l in lines if END.search(l)]
        sep = '' if lang == 'zh' else ' '
        paras = [sep.join(ended[i:i + 8]) for i in range(0, len(ended), 8)]
        cells = []
        for _, srx in configs:
            split = sum(len(o) > 1 for o in run(a.driver, srx, lang, lines))
            segs = [s for o in run(a.driver, srx, lang, paras) for s in o]
            cells.append('%5d   %.3f' % (split, f1(ended, segs)))
        print('%-4s %6d  ' % (lang, len(lines)) +
              '  '.join('%-22s' % c for c in cells))
    return 0


if __name__ == '__main__':
    sys.exit(main())
