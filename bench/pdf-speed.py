#!/usr/bin/env python3
"""Pages per second of the PDF reader (`hexalign segment` on a large PDF).

The PDF is made by LibreOffice from the English seed report repeated N
times (tests/data/pdf/make-fixtures.py's FODT writer), so it has the
running header, page-number footer, headings and numbered paragraphs of
the fixtures. Not run by the test suite.

Usage: bench/pdf-speed.py [BUILD_DIR] [REPEATS]   (default build 20)
"""
import importlib.util
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'build')
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    spec = importlib.util.spec_from_file_location(
        'mf', os.path.join(ROOT, 'tests/data/pdf/make-fixtures.py'))
    mf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mf)
    work = tempfile.mkdtemp(prefix='hx-pdf-bench-')
    body = '\n'.join([mf.seed_body('seed-en-004.txt')] * repeats)
    src = os.path.join(work, 'big.fodt')
    with open(src, 'w', encoding='utf-8') as f:
        f.write(mf.fodt(body, header='C26/15-E – Report',
                        footer='- <text:page-number text:select-page='
                        '"current">1</text:page-number> -'))
    mf.soffice(src, 'pdf', work)
    pdf = os.path.join(work, 'big.pdf')
    pages = int(next(line.split()[1] for line in subprocess.run(
        ['pdfinfo', pdf], capture_output=True, text=True).stdout.splitlines()
        if line.startswith('Pages:')))
    hexalign = os.path.join(build, 'hexalign')
    best = None
    for _ in range(3):
        t = time.perf_counter()
        out = subprocess.run([hexalign, 'segment', '-q', pdf], check=True,
                             capture_output=True).stdout
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    nsent = out.count(b'\n')
    print(f'{pages} pages, {os.path.getsize(pdf)} bytes, '
          f'{nsent} sentences: best of 3 {best:.3f} s, '
          f'{pages / best:.1f} pages/s')


if __name__ == '__main__':
    main()
