#!/usr/bin/env python3
"""Inline formatting survives a round trip through real tools.

usage: check-codes.py HEXALIGN TESTS_DIR

tests/data/docx/lo-report.docx (made by LibreOffice, see lo-report.md) is
pre-translated into French against a memory built here with `tm import`
from a TMX whose units carry bpt/ept, as XLIFF 2.1 and 1.2. The XLIFF 2.1
validates against the OASIS schemas (xmllint). In each XLIFF the target of
the bold/italic sentence is edited (words changed, codes kept), `merge`
writes the DOCX, and LibreOffice converts the merged DOCX to HTML: the
bold word is still <b>, the italic phrase <i>. Then a paragraph whose
first sentence the memory has and whose second (bold and italic too) it
has not: in the draft DOCX and after merge the untranslated sentence keeps
its bold and italic.

Exit status: 0 passed, 1 failed, 77 LibreOffice is not installed.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext"
 segtype="sentence" adminlang="en" o-tmf="x" creationtool="t"
 creationtoolversion="1"/><body>
<tu><tuv xml:lang="en"><seg>The <bpt i="1">&lt;b&gt;</bpt>Council<ept i="1">&lt;/b&gt;</ept> adopted the <bpt i="2">&lt;i&gt;</bpt>programme of work<ept i="2">&lt;/i&gt;</ept> for 2025.</seg></tuv>
<tuv xml:lang="fr"><seg>Le <bpt i="1">&lt;b&gt;</bpt>Conseil<ept i="1">&lt;/b&gt;</ept> a adopté le <bpt i="2">&lt;i&gt;</bpt>programme de travail<ept i="2">&lt;/i&gt;</ept> pour 2025.</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>The Council is invited to note the report.</seg></tuv>
<tuv xml:lang="fr"><seg>Le Conseil est invité à prendre note du rapport.</seg></tuv></tu>
</body></tmx>
"""


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit('failed: %s\n%s%s' % (' '.join(cmd), p.stdout, p.stderr))
    return p


def main():
    hexalign, tests = sys.argv[1], sys.argv[2]
    soffice = shutil.which('soffice')
    if not soffice:
        print('soffice missing')
        return 77
    docx = os.path.join(tests, 'data', 'docx', 'lo-report.docx')
    failed = 0
    with tempfile.TemporaryDirectory() as d:
        tmx = os.path.join(d, 'm.tmx')
        with open(tmx, 'w', encoding='utf-8') as f:
            f.write(TMX)
        db = os.path.join(d, 'm.db')
        run([hexalign, 'tm', 'import', '--db', db, tmx])
        for ver in ('2.1', '1.2'):
            xlf = os.path.join(d, 'r%s.xlf' % ver)
            run([hexalign, 'pretranslate', '--db', db, '-s', 'en', '-t',
                 'fr', docx, '-o', xlf, '--xliff', ver])
            text = open(xlf, encoding='utf-8').read()
            if ver == '2.1':
                schema = os.path.join(tests, 'data', 'xliff', '2.1',
                                      'matches.xsd')
                p = subprocess.run(['xmllint', '--noout', '--nonet',
                                    '--schema', schema, xlf],
                                   capture_output=True, text=True)
                ok = p.returncode == 0
                print('%s - XLIFF 2.1 with codes is valid %s' %
                      ('ok' if ok else 'not ok', p.stderr.strip()[-200:]))
                failed += not ok
            # The translator's edit: other words, the codes kept.
            edited = text.replace('>Conseil<', '>CONSEIL<', 1)
            edited = edited.replace('programme de travail<',
                                    'plan de travail<', 1)
            ok = edited != text
            print('%s - %s: the target was edited' %
                  ('ok' if ok else 'not ok', ver))
            failed += not ok
            with open(xlf, 'w', encoding='utf-8') as f:
                f.write(edited)
            out = os.path.join(d, 'merged%s.docx' % ver.replace('.', ''))
            run([hexalign, 'merge', xlf, '-o', out])
            run([soffice, '--headless', '--convert-to', 'html', '--outdir',
                 d, out], timeout=180,
                env=dict(os.environ, HOME=d))
            html = open(out[:-5] + '.html', encoding='utf-8',
                        errors='replace').read()
            for tag, word in (('b', 'CONSEIL'), ('i', 'plan de travail')):
                ok = re.search(r'<%s>\s*%s\s*</%s>' % (tag, word, tag),
                               html) is not None
                print('%s - %s: "%s" is <%s> after merge' %
                      ('ok' if ok else 'not ok', ver, word, tag))
                failed += not ok
            ok = '<b>Le' not in html and '<b>a adopt' not in html
            print('%s - %s: the rest of the sentence is not bold' %
                  ('ok' if ok else 'not ok', ver))
            failed += not ok
        failed += mixed_paragraph(hexalign, tests, soffice, db, d)
    return 1 if failed else 0


def to_html(soffice, path, d):
    run([soffice, '--headless', '--convert-to', 'html', '--outdir', d,
         path], timeout=180, env=dict(os.environ, HOME=d))
    return open(path[:-5] + '.html', encoding='utf-8',
                errors='replace').read()


def mixed_paragraph(hexalign, tests, soffice, db, d):
    """A paragraph whose first sentence the memory has and whose second,
    bold and italic too, it has not: the untranslated sentence keeps its
    runs in the draft and after merge. The DOCX is made by LibreOffice
    from lo-report.fodt with that paragraph changed."""
    failed = 0
    fodt = open(os.path.join(tests, 'data', 'docx', 'lo-report.fodt'),
                encoding='utf-8').read()
    extra = (' The <text:span text:style-name="B">Secretariat</text:span>'
             ' will report in <text:span text:style-name="I">May</text:span>'
             '.</text:p>')
    first = 'for 2025.</text:p>'
    if first not in fodt:
        print('not ok - lo-report.fodt has its bold paragraph')
        return 1
    src = os.path.join(d, 'mixed.fodt')
    with open(src, 'w', encoding='utf-8') as f:
        f.write(fodt.replace(first, 'for 2025.' + extra, 1))
    run([soffice, '--headless', '--convert-to', 'docx', '--outdir', d, src],
        timeout=180, env=dict(os.environ, HOME=d))
    docx = os.path.join(d, 'mixed.docx')
    for ver in ('2.1', '1.2'):
        xlf = os.path.join(d, 'mixed%s.xlf' % ver)
        draft = os.path.join(d, 'draft%s.docx' % ver.replace('.', ''))
        run([hexalign, 'pretranslate', '-q', '--db', db, '-s', 'en', '-t',
             'fr', docx, '-o', xlf, '--xliff', ver, '--docx', draft])
        merged = os.path.join(d, 'mixedm%s.docx' % ver.replace('.', ''))
        run([hexalign, 'merge', xlf, '-o', merged])
        for what, path in (('draft', draft), ('merge', merged)):
            html = to_html(soffice, path, d)
            for tag, word in (('b', 'Conseil'), ('b', 'Secretariat'),
                              ('i', 'May')):
                ok = re.search(r'<%s>\s*%s\s*</%s>' % (tag, word, tag),
                               html) is not None
                print('%s - %s %s: "%s" is <%s> in a paragraph half '
                      'translated' % ('ok' if ok else 'not ok', ver, what,
                                      word, tag))
                failed += not ok
    return failed


if __name__ == '__main__':
    sys.exit(main())
