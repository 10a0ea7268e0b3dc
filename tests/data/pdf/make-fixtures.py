#!/usr/bin/env python3
"""Write the PDF fixtures of tests/test-read-pdf.c and tests/readers/check-pdf.py.

Each document is written as a flat ODT (FODT) by hand, so what it holds
is easy to see, then LibreOffice turns it into DOCX and/or PDF:

    soffice --headless --convert-to pdf X.fodt

The bad inputs (truncated, image-only, encrypted) come from the same
documents. Needs soffice and the fonts of .ci/bootstrap (DejaVu for
Latin/Arabic, WenQuanYi Micro Hei for Chinese).

Usage: make-fixtures.py [OUTDIR]   (default: this script's directory)
"""
import base64
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
TXT = os.path.join(HERE, '..', 'txt')

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:xlink="http://www.w3.org/1999/xlink"')


def fodt(body, header=None, footer=None, lang='en', rtl=False, columns=1,
         font='DejaVu Sans'):
    """A flat ODT: A4, 11pt body, 14pt bold headings, optional running
    header and footer (footer may hold <text:page-number/>)."""
    country = {'en': 'GB', 'zh': 'CN', 'ar': 'EG'}[lang]
    if lang == 'zh':
        tp = (f'style:font-name="DejaVu Sans" style:font-name-asian="{font}" fo:font-size="11pt" '
              f'style:font-size-asian="11pt" style:language-asian="zh" '
              f'style:country-asian="CN"')
        hp = 'fo:font-size="14pt" style:font-size-asian="14pt" ' \
             'fo:font-weight="bold" style:font-weight-asian="bold"'
    elif lang == 'ar':
        tp = (f'style:font-name="DejaVu Sans" style:font-name-complex="{font}" fo:font-size="11pt" '
              f'style:font-size-complex="11pt" style:language-complex="ar" '
              f'style:country-complex="EG"')
        hp = 'fo:font-size="14pt" style:font-size-complex="14pt" ' \
             'fo:font-weight="bold" style:font-weight-complex="bold"'
    else:
        tp = (f'style:font-name="{font}" fo:font-size="11pt" '
              f'fo:language="{lang}" fo:country="{country}"')
        hp = 'fo:font-size="14pt" fo:font-weight="bold"'
    wm = 'style:writing-mode="rl-tb" fo:text-align="start"' if rtl else ''
    cols = ''
    if columns > 1:
        cols = (f'<style:columns fo:column-count="{columns}" '
                f'fo:column-gap="1cm"/>')
    hf = ''
    if header:
        hf += f'<style:header><text:p text:style-name="HF">{header}</text:p></style:header>'
    if footer:
        hf += f'<style:footer><text:p text:style-name="HF">{footer}</text:p></style:footer>'
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document {NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="{font}" svg:font-family="&apos;{font}&apos;"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties {wm}/>
  <style:text-properties {tp}/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph">
  <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.25cm" {wm}>
   <style:tab-stops><style:tab-stop style:position="1cm"/></style:tab-stops>
  </style:paragraph-properties>
 </style:style>
 <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="1">
  <style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.25cm" fo:keep-with-next="always"/>
  <style:text-properties {hp}/>
 </style:style>
 <style:style style:name="HF" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:text-align="center" fo:margin-bottom="0cm"/>
  <style:text-properties fo:font-size="9pt" style:font-size-asian="9pt" style:font-size-complex="9pt"/>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.2cm" fo:margin-bottom="1.2cm" fo:margin-left="2cm" fo:margin-right="2cm" {'style:writing-mode="rl-tb"' if rtl else ''}>{cols}</style:page-layout-properties>
  <style:header-style><style:header-footer-properties fo:min-height="0.5cm" fo:margin-bottom="0.6cm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:min-height="0.5cm" fo:margin-top="0.6cm"/></style:footer-style>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1">{hf}</style:master-page>
</office:master-styles>
<office:body><office:text>
{body}
</office:text></office:body></office:document>
'''


def para(text, label=None):
    t = escape(text)
    if label:
        t = f'{escape(label)}<text:tab/>{t}'
    return f'<text:p text:style-name="Standard">{t}</text:p>'


def heading(text, label=None):
    t = escape(text)
    if label:
        t = f'{escape(label)}<text:tab/>{t}'
    return f'<text:h text:style-name="Heading_20_1" text:outline-level="1">{t}</text:h>'


def seed_body(name):
    """A seed text as a council report: "N\\tTitle" lines and short
    unlabelled lines without a full stop become headings, "N.N\\tText"
    numbered paragraphs, the rest plain paragraphs. Word's export
    artefacts ([bookmark: x], rules) go."""
    out = []
    with open(os.path.join(TXT, name), encoding='utf-8') as f:
        for line in f:
            line = re.sub(r'\[(bookmark|image):[^\]]*\]', '', line).strip()
            if not line or re.fullmatch(r'[_\-=*]{3,}', line):
                continue
            m = re.match(r'^(\S{1,8})\t\s*(.*)$', line)
            label, text = (m.group(1), m.group(2)) if m else (None, line)
            if not text:
                continue
            short = len(text) < 60 and not re.search(r'[.。:：;；,，]$', text)
            if label and re.fullmatch(r'\d+|[一二三四五六七八九十]+', label) and short:
                out.append(heading(text, label))
            elif not label and short and re.match(r'[A-Z]', text) and \
                    len(text.split()) <= 6:
                out.append(heading(text))
            else:
                out.append(para(text, label))
    return '\n'.join(out)


def udhr(lang, n):
    """The first n paragraphs of the UDHR preamble (udhr-LANG.txt, one a
    line; see SOURCE.md)."""
    with open(os.path.join(HERE, f'udhr-{lang}.txt'), encoding='utf-8') as f:
        return [line.strip() for line in f][:n]


def png(w, h):
    """A grey w x h PNG, no text in it."""
    raw = b''.join(b'\0' + bytes([128, 128, 128]) * w for _ in range(h))

    def chunk(t, d):
        c = struct.pack('>I', len(d)) + t + d
        return c + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    return (b'\x89PNG\r\n\x1a\n' +
            chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))


def soffice(src, fmt, outdir):
    prof = tempfile.mkdtemp(prefix='hx-lo-')
    try:
        subprocess.run(['soffice', f'-env:UserInstallation=file://{prof}',
                        '--headless', '--convert-to', fmt, '--outdir',
                        outdir, src], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    finally:
        shutil.rmtree(prof, ignore_errors=True)


HYPHEN = ('The secretariat ensured close coordi-<text:line-break/>nation '
          'with the CWG-<text:line-break/>COP and the Member States; the '
          'plan for 2025-<text:line-break/>2026 covers the imple-'
          '<text:line-break/>mentation of the cross-<text:line-break/>border '
          'projects.')

LOREM_EN = [
    'The Council Working Group met twice during the period under review.',
    'Member States reported on national strategies, on the training of '
    'teachers and parents and on the work of national helplines.',
    'The secretariat presented the outcomes of the regional workshops and '
    'the new guidelines for industry, which were welcomed by the Group.',
    'Several delegations asked for more information on the costs of the '
    'programme and on its evaluation, which will be given at the next '
    'meeting of the Group in September.',
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    work = tempfile.mkdtemp(prefix='hx-pdf-')
    docs = {
        'report-en': fodt(seed_body('seed-en-004.txt'),
                          header='C26/15-E – Report on child online protection',
                          footer='- <text:page-number text:select-page="current">1</text:page-number> -'),
        'report-zh': fodt(seed_body('seed-zh-000.txt'), lang='zh',
                          font='WenQuanYi Micro Hei',
                          header='C26/15-C 保护上网儿童工作组报告',
                          footer='<text:page-number text:select-page="current">1</text:page-number>'),
        'two-column': fodt(heading('Two columns') + '\n' + '\n'.join(
            para(p, f'{i + 1}.') for i, p in enumerate(LOREM_EN * 4)),
            columns=2),
        'arabic': fodt('\n'.join(para(p) for p in udhr('ar', 3)), lang='ar',
                       rtl=True),
        'chinese': fodt('\n'.join(para(p) for p in udhr('zh', 3)), lang='zh',
                        font='WenQuanYi Micro Hei'),
        'hyphen': fodt(f'<text:p text:style-name="Standard">{HYPHEN}</text:p>'),
        'image-only': fodt(
            '<text:p text:style-name="Standard"><draw:frame draw:name="img" '
            'text:anchor-type="as-char" svg:width="4cm" svg:height="3cm">'
            '<draw:image><office:binary-data>' +
            base64.b64encode(png(40, 30)).decode() +
            '</office:binary-data></draw:image></draw:frame></text:p>'),
    }
    for name, xml in docs.items():
        src = os.path.join(work, name + '.fodt')
        with open(src, 'w', encoding='utf-8') as f:
            f.write(xml)
        soffice(src, 'pdf', out)
        if name.startswith('report-'):
            soffice(src, 'docx', out)
    # Encrypted: the same hyphen page, with an open password.
    opts = json.dumps({'EncryptFile': {'type': 'boolean', 'value': 'true'},
                       'DocumentOpenPassword': {'type': 'string',
                                                'value': 'secret'}})
    enc = os.path.join(work, 'encrypted.fodt')
    shutil.copy(os.path.join(work, 'hyphen.fodt'), enc)
    soffice(enc, 'pdf:writer_pdf_Export:' + opts, out)
    # Truncated: the first 40% of the report, cut inside its first page's
    # content stream, as a broken download would be.
    with open(os.path.join(out, 'report-en.pdf'), 'rb') as f:
        data = f.read()
    with open(os.path.join(out, 'truncated.pdf'), 'wb') as f:
        f.write(data[:len(data) * 2 // 5])
    shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
