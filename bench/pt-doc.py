#!/usr/bin/env python3
"""The 2,000-paragraph DOCX the pre-translation benches read.

usage: pt-doc.py OUT.docx [--coded]

Sentences of the UN Parallel Corpus v1.0 dev set (../shared/data/un-docs,
see its SOURCE.md), one paragraph each, in dev-set order: 1,200 sentences
the memory of bench/tm-gen.py holds as they are, 400 with one word changed
(fuzzy), 200 held out (no match), 200 of those repeated. --coded writes
the same text with formatting in every paragraph: its second word bold,
its third underlined, its last three italic (a paragraph of under six
words: all bold, which is its usual look and so no code).
"""
import os
import random
import sys
import zipfile

W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
BOLD = '<w:rPr><w:b/></w:rPr>'
UNDER = '<w:rPr><w:u w:val="single"/></w:rPr>'
ITALIC = '<w:rPr><w:i/></w:rPr>'


def esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def run(text, rpr=''):
    return ('<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>' %
            (rpr, esc(text)) if text else '')


def plain(p):
    return '<w:p>%s</w:p>' % run(p)


def coded(p):
    w = p.split(' ')
    if len(w) < 6:
        return '<w:p>%s</w:p>' % run(p, BOLD)
    return '<w:p>%s%s%s%s%s%s</w:p>' % (
        run(w[0] + ' '), run(w[1], BOLD), run(' '), run(w[2], UNDER),
        run(' ' + ' '.join(w[3:-3]) + ' '), run(' '.join(w[-3:]), ITALIC))


def paragraphs():
    dev = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                       '..', 'shared', 'data', 'un-docs',
                       'unpc-v1.0-devset', 'UNv1.0.devset.en')
    lines = [l.strip() for l in open(dev, encoding='utf-8')]
    mem, held = lines[:2362], lines[2362:]
    rnd = random.Random(6)

    def fuzz(s):
        w = s.split()
        if len(w) > 3:
            w[rnd.randrange(1, len(w))] = 'notably'
        return ' '.join(w)
    paras = mem[:1200] + [fuzz(s) for s in mem[1200:1600]] + held[:200]
    paras += rnd.sample(paras, 200)
    return [p for p in paras if p]


def main():
    out = sys.argv[1]
    make = coded if '--coded' in sys.argv[2:] else plain
    body = ''.join(make(p) for p in paragraphs())
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', HEAD +
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr('_rels/.rels', HEAD +
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr('word/document.xml', HEAD +
                   '<w:document xmlns:w="%s"><w:body>%s</w:body></w:document>'
                   % (W, body))


if __name__ == '__main__':
    main()
