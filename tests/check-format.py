#!/usr/bin/env python3
"""Fail when a C file of the project is not laid out as .clang-format says.

usage: check-format.py CLANG_FORMAT SOURCE_ROOT
"""
import glob
import os
import subprocess
import sys

cf, root = sys.argv[1], sys.argv[2]
files = []
for pattern in ('src/**/*.[ch]', 'include/**/*.h', 'tests/*.[ch]', 'fuzz/*.c', 'bench/*.c'):
    files += glob.glob(os.path.join(root, pattern), recursive=True)
if not files:
    print('no C files found under', root)
    sys.exit(1)
p = subprocess.run([cf, '--dry-run', '--Werror', '--style=file'] + sorted(files),
                   capture_output=True, text=True, cwd=root)
sys.stdout.write(p.stderr[:20000])
print('%d files checked' % len(files))
sys.exit(1 if p.returncode else 0)
