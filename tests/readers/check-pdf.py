#!/usr/bin/env python3
"""Acceptance test of the PDF reader: a council document exported to PDF
by LibreOffice must segment like the DOCX it came from.

For each DOCX, `soffice --headless --convert-to pdf` makes the PDF at test
time; `hexalign segment` runs on both, and the sentences are compared as
multisets after white-space normalisation (runs of white space to one
space, trimmed; U+2011 read as "-", which a PDF cannot tell apart). Precision = matched / PDF sentences, recall = matched /
DOCX sentences, F1 their harmonic mean; each must reach --min (0.98).

Usage: check-pdf.py HEXALIGN TESTS_DIR [--min F] [--keep DIR]
Speaks TAP; exits 77 (skipped) when soffice is not installed.
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

DOCS = [('en', 'data/pdf/report-en.docx'),
        ('zh', 'data/pdf/report-zh.docx'),
        ('en', 'data/docx/lo-report.docx')]


def sentences(hexalign, path, lang):
    out = subprocess.run([hexalign, 'segment', '-q', '-l', lang, path],
                         check=True, capture_output=True, text=True).stdout
    # A PDF's text layer maps one glyph to one character: LibreOffice
    # draws U+2011 (non-breaking hyphen) with the hyphen's glyph and
    # writes it back as U+002D, so the two compare equal here.
    norm = (re.sub(r'\s+', ' ', s).strip().replace('\u2011', '-')
            for s in out.split('\n'))
    return [s for s in norm if s]


def f1(ref, hyp):
    """Sentence F1 of hyp against ref: exact matches, as multisets."""
    r, h = collections.Counter(ref), collections.Counter(hyp)
    match = sum((r & h).values())
    if not ref or not hyp or not match:
        return 0.0, 0.0, 0.0
    p, rc = match / len(hyp), match / len(ref)
    return p, rc, 2 * p * rc / (p + rc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('hexalign')
    ap.add_argument('tests')
    ap.add_argument('--min', type=float, default=0.98)
    ap.add_argument('--keep', help='leave the PDFs in DIR')
    a = ap.parse_args()
    soffice = shutil.which('soffice')
    if not soffice:
        print('1..0 # SKIP soffice is not installed')
        return 77
    work = tempfile.mkdtemp(prefix='hx-check-pdf-')
    failed = 0
    print(f'1..{len(DOCS)}')
    try:
        prof = os.path.join(work, 'profile')
        for i, (lang, rel) in enumerate(DOCS, 1):
            docx = os.path.join(a.tests, rel)
            subprocess.run([soffice, f'-env:UserInstallation=file://{prof}',
                            '--headless', '--convert-to', 'pdf', '--outdir',
                            work, docx], check=True,
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            pdf = os.path.join(work, os.path.basename(docx)[:-5] + '.pdf')
            if a.keep:
                os.makedirs(a.keep, exist_ok=True)
                shutil.copy(pdf, a.keep)
            ref = sentences(a.hexalign, docx, lang)
            hyp = sentences(a.hexalign, pdf, lang)
            p, r, f = f1(ref, hyp)
            ok = f >= a.min
            failed += not ok
            print(f'{"ok" if ok else "not ok"} {i} - {rel}: sentence F1 '
                  f'{f:.4f} (P {p:.4f} R {r:.4f}; {len(ref)} DOCX, '
                  f'{len(hyp)} PDF sentences; min {a.min})')
            if not ok:
                rs, hs = collections.Counter(ref), collections.Counter(hyp)
                for s in list((rs - hs).elements())[:10]:
                    print(f'#   DOCX only: {s}')
                for s in list((hs - rs).elements())[:10]:
                    print(f'#   PDF only:  {s}')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
