#!/usr/bin/env python3
"""The TMX `hexalign align` writes, checked against the standard and by
real readers.

  check-align-tmx.py HEXALIGN TESTS_DIR dtd
      align the UDHR in six languages, validate the TMX against the
      TMX 1.4b DTD (tests/data/tmx/tmx14.dtd) with xmllint, and check
      that every <tu> holds all six languages or names those it lacks
      in an x-no-counterpart prop (and that some do: the UDHR has
      sentences in one language only)
  check-align-tmx.py HEXALIGN TESTS_DIR reader READER TARGET
      align the UDHR en-TARGET and hand the TMX to a real reader with
      tests/readers/check-tmx.py (exit 77, skipped, when it is missing)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

LANGS = [('en', 'eng'), ('zh', 'cmn_hans'), ('ar', 'arb'), ('fr', 'fra'),
         ('ru', 'rus'), ('es', 'spa')]


def align(exe, tests, langs, out):
    files = [os.path.join(tests, 'data', 'html', 'udhr', f + '.html')
             for l, f in LANGS if l in langs]
    p = subprocess.run([exe, 'align', '-q', '-o', out] + files,
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit('hexalign align failed: %s' % p.stderr)


def main():
    exe, tests, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    tmp = tempfile.mkdtemp()
    try:
        out = os.path.join(tmp, 'udhr.tmx')
        if mode == 'dtd':
            align(exe, tests, [l for l, f in LANGS], out)
            xmllint = shutil.which('xmllint')
            if not xmllint:
                print('xmllint missing (Debian libxml2-utils)')
                return 1
            dtd = os.path.join(tests, 'data', 'tmx', 'tmx14.dtd')
            p = subprocess.run([xmllint, '--noout', '--nonet', '--dtdvalid',
                                dtd, out], capture_output=True, text=True)
            if p.returncode != 0:
                print(p.stderr)
                return 1
            text = open(out, encoding='utf-8').read()
            units = re.findall(r'<tu>(.*?)</tu>', text, re.S)
            # A unit holds the pivot and a translation, or says with
            # x-no-counterpart exactly which of the six it lacks.
            all_langs = [l for l, f in LANGS]
            bad, lone = [], 0
            for u in units:
                have = re.findall(r'<tuv xml:lang="([^"]+)">', u)
                m = re.search(r'<prop type="x-no-counterpart">([^<]*)</prop>',
                              u)
                lacks = [l for l in all_langs if l not in have]
                if m:
                    lone += 1
                    if m.group(1).split(',') != lacks:
                        bad.append(u)
                elif 'en' not in have or len(have) < 2 or lacks:
                    bad.append(u)
            print('%d units, DTD-valid, %d with some language missing, '
                  '%d that do not say which' % (len(units), lone, len(bad)))
            six = sum(1 for u in units if u.count('<tuv') == 6)
            print('%d units in all six languages' % six)
            return 0 if units and not bad and lone and \
                six * 10 >= len(units) * 8 else 1
        reader, target = sys.argv[4], sys.argv[5]
        align(exe, tests, ['en', target], out)
        n = open(out, encoding='utf-8').read().count('<tu>')
        check = os.path.join(tests, 'readers', 'check-tmx.py')
        return subprocess.run([sys.executable, check, '--reader', reader,
                               '--source', 'en', '--target', target,
                               out, str(n)]).returncode
    finally:
        shutil.rmtree(tmp)


if __name__ == '__main__':
    sys.exit(main())
