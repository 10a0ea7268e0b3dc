#!/usr/bin/env python3
"""Output that cannot be written is an error, not silent loss: each command
that prints to standard output, run with it on /dev/full, must exit
non-zero and say so on stderr (TAP).

  check-stdout-full.py HEXALIGN SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile

exe, src = sys.argv[1], sys.argv[2]
tmx = os.path.join(src, 'tests', 'data', 'tm', 'cwg-cop.tmx')
if not os.path.exists('/dev/full'):
    print('1..0 # SKIP no /dev/full')
    sys.exit(0)
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 'm.db')
    subprocess.run([exe, 'tm', 'import', '-q', '--db', db, tmx], check=True)
    cases = [
        ['tm', 'lookup', '--db', db, '-s', 'en', '-t', 'zh',
         'The Council is invited to note the report.'],
        ['tm', 'concord', '--json', '--db', db, '-s', 'en', '-t', 'zh',
         'council'],
        ['--help'],
    ]
    print('1..%d' % len(cases))
    for k, c in enumerate(cases, 1):
        with open('/dev/full', 'w') as full:
            p = subprocess.run([exe] + c, stdout=full, stderr=subprocess.PIPE,
                               text=True)
        ok = p.returncode != 0 and 'standard output' in p.stderr
        print('%s %d - %s (exit %d: %s)' % ('ok' if ok else 'not ok', k,
              ' '.join(c[:2]), p.returncode, p.stderr.strip()[:80]))
