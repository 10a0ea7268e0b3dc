#!/usr/bin/env python3
"""Write the DOCX fixtures of tests/test-read-docx.c.

The parts are written by hand rather than saved from a word processor so
that every construct the reader handles (styles, numbering, fields,
tracked changes, notes, hostile archives) is present exactly once and is
easy to see. Output is deterministic: fixed timestamps, fixed order.

Usage: make-fixtures.py [OUTDIR]   (default: this script's directory)
"""
import os
import struct
import sys
import zipfile
import zlib

W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
NS = (f'xmlns:w="{W}" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"')
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
DATE = (2022, 1, 12, 0, 0, 0)

CONTENT_TYPES = HEAD + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>')
RELS = HEAD + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '</Relationships>')


def r(text, space=True):
    attr = ' xml:space="preserve"' if space else ''
    return f'<w:r><w:t{attr}>{text}</w:t></w:r>'


def p(*content, style=None, num=None, ppr=''):
    props = ''
    if style:
        props += f'<w:pStyle w:val="{style}"/>'
    if num:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    props += ppr
    return f'<w:p><w:pPr>{props}<w:tabs><w:tab w:val="left" w:pos="567"/></w:tabs></w:pPr>{"".join(content)}</w:p>'


def document(body):
    return HEAD + f'<w:document {NS}>\n<w:body>\n' + '\n'.join(body) + \
        '\n<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body>\n</w:document>\n'


STYLES = HEAD + f'''<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
 <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>
 <w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="AnnexHeading"><w:name w:val="Annex Heading"/><w:basedOn w:val="Heading2"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Loop1"><w:name w:val="Loop 1"/><w:basedOn w:val="Loop2"/></w:style>
<w:style w:type="paragraph" w:styleId="Loop2"><w:name w:val="Loop 2"/><w:basedOn w:val="Loop1"/></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/></w:style>
</w:styles>
'''


def lvl(ilvl, fmt, text, start=1, font=None):
    rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>' if font else ''
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>{rpr}</w:lvl>')


NUMBERING = HEAD + f'''<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0">{lvl(0, "decimal", "%1")}{lvl(1, "decimal", "%1.%2")}{lvl(2, "decimal", "%1.%2.%3")}</w:abstractNum>
<w:abstractNum w:abstractNumId="1">{lvl(0, "lowerLetter", "%1)")}</w:abstractNum>
<w:abstractNum w:abstractNumId="2">{lvl(0, "lowerRoman", "(%1)")}{lvl(1, "upperRoman", "%2.")}</w:abstractNum>
<w:abstractNum w:abstractNumId="3">{lvl(0, "bullet", "&#xF0B7;", font="Symbol")}{lvl(1, "bullet", "o", font="Courier New")}{lvl(2, "bullet", "&#xF0A7;", font="Wingdings")}</w:abstractNum>
<w:abstractNum w:abstractNumId="4">{lvl(0, "chineseCounting", "%1、")}</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="4"/></w:num>
<w:num w:numId="6"><w:abstractNumId w:val="4"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="11"/></w:lvlOverride></w:num>
<w:num w:numId="7"><w:abstractNumId w:val="4"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="110"/></w:lvlOverride></w:num>
<w:num w:numId="8"><w:abstractNumId w:val="4"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="10010"/></w:lvlOverride></w:num>
</w:numbering>
'''

FLD_BEGIN = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
FLD_SEP = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
FLD_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
TEXTBOX = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>'
           '<w:txbxContent><w:p><w:r><w:t>Text box text</w:t></w:r></w:p></w:txbxContent>'
           '</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>'
           '<w:t>Fallback text</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>'
           '</mc:AlternateContent></w:r>')


def cell(*paras):
    return '<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>' + ''.join(paras) + '</w:tc>'


BASIC_BODY = [
    # 1: heading numbered through its style
    p(r('Introduction'), style='Heading1'),
    # 2..4: multi-level decimal list, tab and break inside
    p(r('First point with a'), '<w:r><w:tab/><w:t>tab and a</w:t><w:br/><w:t>break.</w:t></w:r>', num=(1, 1)),
    p(r('Deeper point.'), num=(1, 2)),
    p(r('Second point.'), num=(1, 1)),
    # 5: heading without numbering
    p(r('Background'), style='Heading2'),
    # 6: tracked changes and a footnote reference
    p(r('The council '), '<w:ins w:id="1" w:author="A" w:date="2022-01-12T00:00:00Z">' + r('approved') + '</w:ins>',
      '<w:del w:id="2" w:author="A" w:date="2022-01-12T00:00:00Z"><w:r><w:delText>rejected</w:delText></w:r></w:del>',
      r(' the plan'), '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="2"/></w:r>',
      r('.')),
    # 7: complex field and simple field
    p(r('Page '), FLD_BEGIN, '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>', FLD_SEP,
      r('7'), FLD_END, r(' of '),
      '<w:fldSimple w:instr=" NUMPAGES ">' + r('12') + '</w:fldSimple>'),
    # 8..9: lowerLetter, 10..11: lowerRoman/upperRoman
    p(r('Alpha item.'), num=(2, 0)),
    p(r('Beta item.'), num=(2, 0)),
    p(r('Roman item.'), num=(3, 0)),
    p(r('Upper roman item.'), num=(3, 1)),
    # 12..14: bullets from Symbol, Courier New and Wingdings
    p(r('Symbol bullet.'), num=(4, 0)),
    p(r('Hollow bullet.'), num=(4, 1)),
    p(r('Square bullet.'), num=(4, 2)),
    # 15..17: Chinese counting, and a restarted list at 11
    p(r('第一项。'), num=(5, 0)),
    p(r('第二项。'), num=(5, 0)),
    p(r('第十一项。'), num=(6, 0)),
    # 18..22: a 2x2 table, the last cell has two paragraphs
    '<w:tbl><w:tblPr><w:tblW w:w="4000" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>'
    '<w:tr>' + cell(p(r('A1'))) + cell(p(r('B1'))) + '</w:tr>'
    '<w:tr>' + cell(p(r('A2'))) + cell(p(r('B2 line one')), p(r('B2 line two'))) + '</w:tr></w:tbl>',
    # 23: typed label after a page break; 24: empty paragraph
    p('<w:r><w:br w:type="page"/><w:t>2.3</w:t></w:r><w:r><w:tab/><w:t>Typed label text.</w:t></w:r>'),
    p(),
    # 25: special characters
    p(r('non'), '<w:r><w:noBreakHyphen/><w:t>breaking</w:t><w:softHyphen/>'
      '<w:sym w:font="Symbol" w:char="F0E0"/><w:t xml:space="preserve"> hyphen</w:t></w:r>'),
    # 26: a text box, an equation and hidden text are not read
    p(TEXTBOX, r('Visible.'), '<m:oMath><m:r><m:t>x=1</m:t></m:r></m:oMath>',
      '<w:r><w:rPr><w:vanish/></w:rPr><w:t>Hidden.</w:t></w:r>'),
    # 27: moves, a second footnote, the first again, and an endnote
    p(r('Moved '), '<w:moveFrom w:id="3" w:author="A">' + r('old') + '</w:moveFrom>',
      '<w:moveTo w:id="4" w:author="A">' + r('new') + '</w:moveTo>',
      '<w:r><w:footnoteReference w:id="3"/></w:r>', r(' text.'),
      '<w:r><w:footnoteReference w:id="2"/></w:r>',  # a second reference: no new number
      '<w:r><w:endnoteReference w:id="1"/></w:r>'),
    # 28: a heading level inherited through basedOn; 29: Title
    p(r('Annex'), style='AnnexHeading'),
    p(r('Report title'), style='Title'),
    # 30: a paragraph that opts out of its style's numbering; 31: a style cycle
    p(r('Unnumbered heading'), style='Heading1', ppr='<w:numPr><w:numId w:val="0"/></w:numPr>'),
    p(r('Cyclic style.'), style='Loop1'),
    # 32: a field whose result spans paragraphs: instruction hidden
    p(FLD_BEGIN, '<w:r><w:instrText>TOC \\o "1-3"</w:instrText></w:r>', FLD_SEP, r('Contents entry')),
    p(r('Last entry'), FLD_END, r(' after field')),
    # 34..35: larger Chinese numbers
    p(r('第一百一十项。'), num=(7, 0)),
    p(r('第一万零一十项。'), num=(8, 0)),
]


def notes(kind, entries):
    ref = 'footnoteRef' if kind == 'footnote' else 'endnoteRef'
    out = [HEAD + f'<w:{kind}s xmlns:w="{W}">',
           f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>',
           f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>']
    for nid, paras in entries:
        body = ''.join(
            p((f'<w:r><w:{ref}/></w:r>' if i == 0 else '') + r((' ' if i == 0 else '') + t))
            for i, t in enumerate(paras))
        out.append(f'<w:{kind} w:id="{nid}">{body}</w:{kind}>')
    out.append(f'</w:{kind}s>\n')
    return '\n'.join(out)


FOOTNOTES = notes('footnote', [(2, ['First footnote text.']),
                               (3, ['Second footnote, first paragraph.',
                                    'Second footnote, second paragraph.'])])
ENDNOTES = notes('endnote', [(1, ['The endnote text.'])])


def write_zip(path, entries):
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode() if isinstance(data, str) else data)


def docx(path, body_xml, extra=(), styles=STYLES, numbering=NUMBERING):
    entries = [('[Content_Types].xml', CONTENT_TYPES), ('_rels/.rels', RELS)]
    if styles:
        entries.append(('word/styles.xml', styles))
    if numbering:
        entries.append(('word/numbering.xml', numbering))
    entries.append(('word/document.xml', body_xml))
    entries.extend(extra)
    write_zip(path, entries)


CHINESE = [
    p(r('理事会保护上网儿童工作组主席的报告'), style='Title'),
    p(r('1'), '<w:r><w:tab/></w:r>', r('引言'), style='Heading1',
      ppr='<w:numPr><w:numId w:val="0"/></w:numPr>'),
    p(r('1.1'), '<w:r><w:tab/></w:r>', r('理事会保护上网儿童工作组（CWG-COP）第18次会议于2022年1月12日通过Zoom平台在线举行。'
      '约有100名与会者代表相关国家政府、私营部门、民间团体、学术界、国际组织和政府间组织远程参加了会议。'
      '会议由Abdelaziz Alzarooni先生（阿拉伯联合酋长国）主持。')),
    p(r('2'), '<w:r><w:tab/></w:r>', r('开幕致辞'), style='Heading1',
      ppr='<w:numPr><w:numId w:val="0"/></w:numPr>'),
    p(r('2.1'), '<w:r><w:tab/></w:r>', r('国际电联秘书长赵厚麟先生在虚拟会议室宣布会议开幕，并对所有与会者表示欢迎。')),
    p(r('–'), '<w:r><w:tab/></w:r>', r('尼日利亚联邦共和国的文件：与保护上网儿童有关的活动')),
    p('<w:bookmarkStart w:id="0" w:name="OLE_LINK7"/>', r('–'), '<w:r><w:tab/></w:r>',
      r('摩洛哥王国数字化发展署的文件：“数字化文化/保护上网儿童”计划项目'), '<w:bookmarkEnd w:id="0"/>'),
    p(r('会上介绍了以下文件：'), num=(5, 0)),
]


def deflate_raw(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def lying_zip(path, name, data, claimed):
    """A one-entry zip whose headers claim `claimed` bytes, not len(data)."""
    comp = deflate_raw(data)
    crc = zlib.crc32(data)
    fname = name.encode()
    local = struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, 0, 8, 0, 0x5421,
                        crc, len(comp), claimed, len(fname), 0) + fname
    central = struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 20, 20, 0, 8, 0,
                          0x5421, crc, len(comp), claimed, len(fname), 0, 0,
                          0, 0, 0, 0) + fname
    end = struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 1, 1, len(central),
                      len(local) + len(comp), 0)
    with open(path, 'wb') as f:
        f.write(local + comp + central + end)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    j = lambda n: os.path.join(out, n)

    docx(j('basic.docx'), document(BASIC_BODY),
         [('word/footnotes.xml', FOOTNOTES), ('word/endnotes.xml', ENDNOTES)])
    docx(j('chinese.docx'), document(CHINESE))

    with open(j('not-a-zip.docx'), 'w') as f:
        f.write('This is a plain text file with a .docx name.\n')
    open(j('empty.docx'), 'wb').close()
    write_zip(j('no-document.docx'), [('[Content_Types].xml', CONTENT_TYPES),
                                      ('word/styles.xml', STYLES)])
    docx(j('dotdot.docx'), document([p(r('Innocent text.'))]),
         [('../evil.txt', 'owned\n')])

    # 4 MiB of spaces inside w:t deflate to a few KiB: honest headers,
    # then headers that claim 100 bytes (the reader must count itself).
    big = document([p('<w:r><w:t xml:space="preserve">x' + ' ' * (4 << 20) + 'y</w:t></w:r>')])
    docx(j('bomb.docx'), big)
    lying_zip(j('bomb-lying.docx'), 'word/document.xml', big.encode(), 100)
    # Two parts of 600 KiB each: each fits a 1 MiB cap, together not.
    pad = '<!--' + ' ' * (600 << 10) + '-->'
    docx(j('total.docx'), document([p(r('Padded.'))]) + pad,
         styles=STYLES + pad)

    laughs = '<!DOCTYPE w:document [\n<!ENTITY lol "lol">\n' + ''.join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)) + ']>\n'
    docx(j('entity-bomb.docx'), HEAD + laughs + document([p(r('&lol9;'))])[len(HEAD):])

    # The first run bold: the draft's runs are cloned from its properties
    # (a once-crashing case: nodes built outside the document freed its
    # dictionary's names).
    docx(j('bold-first.docx'), document([
        p('<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">The Council</w:t></w:r>',
          r(' met in Geneva today.')),
        p(r('A plain paragraph.'))]))

    # A table of contents as Word writes it: a TOC field whose result
    # holds one paragraph per entry, each with a nested PAGEREF field
    # giving the page; and a PAGEREF in running text.
    def fld(instr, result):
        return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                f'<w:r><w:t>{result}</w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>')

    def toc(n, title, page, first=False, last=False):
        begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                 '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>') if first else ''
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if last else ''
        return (f'<w:p><w:pPr><w:pStyle w:val="TOC1"/><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9629"/></w:tabs></w:pPr>{begin}'
                f'<w:hyperlink w:anchor="_Toc{n}" w:history="1">{r(str(n))}<w:r><w:tab/></w:r>{r(title)}<w:r><w:tab/></w:r>'
                + fld('PAGEREF _Toc%d \\h' % n, page) + f'</w:hyperlink>{end}</w:p>')

    docx(j('toc.docx'), document([
        p(r('Contents')),
        toc(1, 'Introduction', '3', first=True),
        toc(2, 'CWG-COP activities', '14', last=True),
        p(r('Introduction'), style='Heading1'),
        p(r('As set out on page '), fld('PAGEREF _Toc2 \\h', '14'), r(', the Group met.'))]))

    docx(j('malformed.docx'), HEAD + f'<w:document {NS}>\n<w:body>\n<w:p><w:r><w:t>Hello</w:r></w:p>\n')


if __name__ == '__main__':
    main()
