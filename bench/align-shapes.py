#!/usr/bin/env python3
"""Strict recall of each bead shape: GOLD_DIR TEST_DIR (bead files with the
same names, the format of ../shared/eval/align-score). Prints one line,
"1-1 1790/1800 2-1 ...", shapes in a fixed order."""
import collections
import os
import re
import sys

BEAD = re.compile(r'^\s*\[([0-9,\s]*)\]\s*:\s*\[([0-9,\s]*)\]\s*$')
ORDER = ['1-1', '2-1', '1-2', '2-2', '3-1', '1-3', '1-0', '0-1']


def beads(path):
    out = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = BEAD.match(line)
            if m:
                side = lambda s: tuple(int(x) for x in s.replace(' ', '')
                                       .split(',') if x)
                out.append((side(m.group(1)), side(m.group(2))))
    return out


def main():
    gold_dir, test_dir = sys.argv[1], sys.argv[2]
    hit, tot = collections.Counter(), collections.Counter()
    for n in sorted(os.listdir(gold_dir)):
        test = set(beads(os.path.join(test_dir, n)))
        for g in beads(os.path.join(gold_dir, n)):
            k = '%d-%d' % (len(g[0]), len(g[1]))
            tot[k] += 1
            hit[k] += g in test
    print(' '.join('%s %d/%d' % (k, hit[k], tot[k]) for k in ORDER if tot[k]))


if __name__ == '__main__':
    main()
