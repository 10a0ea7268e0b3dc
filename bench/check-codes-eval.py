#!/usr/bin/env python3
"""How often check --xliff's code rules are right, on pre-translated text.

Measured 2026-12-07 on the 2,000-paragraph coded.xlf (1,603 targets with
codes, all pc; 10,188 codes in the file), N 300: 0 false alarms as written;
drop-pc 75/75, extra-ph 75/75, swap 75/75 found, 0 findings outside the
damaged segment. No ph in that document, so drop-ph is not measured there
(tests/test-check-codes.c covers it).

usage: bench/check-codes-eval.py HEXALIGN XLIFF [N]

XLIFF is a pre-translation with codes in its targets (the coded.xlf that
bench/pretranslate-codes.sh leaves in /tmp/hexalign-tm-bench/ptc-out/).
First the file as it is: every bi-code-* finding there is a false alarm
(hexalign wrote the targets with all their codes). Then N segments (default
300) each get one damage of one kind: a <pc> dropped (its text kept), a
<ph> dropped, an extra <ph/>, two pcs swapped; each damaged file is checked
and the finding expected for its segment counted (bi-code-missing, -missing,
-extra, -order), and any other bi-code-* finding in it is a false alarm.
"""
import random
import re
import subprocess
import sys
import tempfile

CODE = re.compile(r'<pc [^>]*/>|<pc [^>]*>([^<]*)</pc>|<ph [^>]*/>')
EXPECT = {'drop-pc': 'bi-code-missing', 'drop-ph': 'bi-code-missing',
          'extra-ph': 'bi-code-extra', 'swap': 'bi-code-order'}


def findings(hx, path):
    p = subprocess.run([hx, 'check', '--xliff', path], capture_output=True,
                       text=True)
    out = []
    for line in p.stdout.splitlines():
        m = re.match(r'.*?:(\d+):\d+: \w+: .*\[(bi-code-[a-z]+)\]$', line)
        if m:
            out.append((int(m.group(1)), m.group(2)))
    return out


def damage(target, kind, rnd):
    # codes without codes inside: <pc/> (hexalign writes an empty pair so),
    # <pc>text</pc>, <ph/>
    codes = list(CODE.finditer(target))
    pcs = [m for m in codes if m.group(0).startswith('<pc')]
    if kind == 'drop-pc' and pcs:
        m = rnd.choice(pcs)
        return target[:m.start()] + (m.group(1) or '') + target[m.end():]
    if kind == 'drop-ph':
        phs = [m for m in codes if m.group(0).startswith('<ph')]
        if phs:
            m = rnd.choice(phs)
            return target[:m.start()] + target[m.end():]
    if kind == 'extra-ph':
        i = target.index('>') + 1
        return target[:i] + '<ph id="99" type="fmt" subType="xlf:lb"/>' + \
            target[i:]
    if kind == 'swap' and len(codes) >= 2:
        # two codes exchange places, texts kept: the codes reordered
        a, b = codes[0], codes[1]
        return (target[:a.start()] + b.group(0) + target[a.end():b.start()] +
                a.group(0) + target[b.end():])
    return None


def main():
    hx, xlf = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    lines = open(xlf, encoding='utf-8').read().split('\n')
    base = findings(hx, xlf)
    print('as written: %d segment targets with codes, %d bi-code findings '
          '(false alarms)' % (sum(bool(re.search(r'<target>.*<p[ch] ', l))
                                  for l in lines), len(base)))
    rnd = random.Random(17)
    cands = [i for i, l in enumerate(lines)
             if re.search(r'<target>.*<p[ch] .*</target>', l)]
    kinds = list(EXPECT)
    got = {k: [0, 0] for k in kinds}
    false = 0
    with tempfile.TemporaryDirectory() as d:
        path = d + '/x.xlf'
        for t in range(n):
            kind = kinds[t % len(kinds)]
            i = rnd.choice(cands)
            s, e = lines[i].index('<target>'), lines[i].index('</target>')
            new = damage(lines[i][s:e], kind, rnd)
            if new is None:
                continue
            mod = list(lines)
            mod[i] = lines[i][:s] + new + lines[i][e:]
            with open(path, 'w', encoding='utf-8') as f:
                f.write('\n'.join(mod))
            fs = findings(hx, path)
            got[kind][1] += 1
            got[kind][0] += any(ln == i + 1 and r == EXPECT[kind]
                                for ln, r in fs)
            false += sum(1 for ln, r in fs if ln != i + 1)
    for k in kinds:
        print('%-9s %3d/%3d damaged segments found by %s' %
              (k, got[k][0], got[k][1], EXPECT[k]))
    print('findings outside the damaged segment (false alarms): %d' % false)


if __name__ == '__main__':
    main()
