#!/usr/bin/env python3
"""Write the DOCX fixtures of the pre-translation tests.

udhr-report.docx is a "new report" that shares part of its text with the
Universal Declaration of Human Rights (tests/data/html/udhr/, aligned into
the memory by the tests) and with the CWG-COP sentences of
tests/data/tm/cwg-cop.tmx: exact sentences in their original order (context
matches), sentences edited by a word or two (fuzzy), a number changed (99,
numbers replaced), new sentences (no match), repetitions, a table, automatic
numbering, a typed label, and the content a pre-translation must leave alone:
a text box, an equation and a field. The parts are written by hand so each
construct is present exactly once and the output is deterministic.

udhr-notes.docx is a shorter report whose footnotes and endnote carry UDHR
sentences too, as Word writes notes: separator and continuation-separator
notes first (ids -1 and 0), then numbered notes, each opening with its mark
(w:footnoteRef in a superscript run) and a space in a run of its own. The
body refers to the notes; one footnote holds an exact sentence and a fuzzy
one, another an exact sentence beside a field (left whole), the endnote an
exact sentence.

Usage: make-docx.py [OUTDIR]   (default: this script's directory)
"""
import os
import sys
import zipfile

W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
NS = (f'xmlns:w="{W}" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"')
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
DATE = (2025, 1, 1, 0, 0, 0)

CONTENT_TYPES = HEAD + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '</Types>')
RELS = HEAD + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '</Relationships>')
DOC_RELS = HEAD + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
    '</Relationships>')
STYLES = HEAD + f'''<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr><w:sz w:val="22"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
</w:styles>
'''
NUMBERING = HEAD + f'''<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>
'''
RPR = '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/><w:sz w:val="24"/><w:lang w:val="en-GB"/></w:rPr>'


def esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def r(text, rpr=RPR):
    return f'<w:r>{rpr}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'


def p(*content, style=None, num=False):
    props = ''
    if style:
        props += f'<w:pStyle w:val="{style}"/>'
    if num:
        props += '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
    return f'<w:p><w:pPr>{props}</w:pPr>{"".join(content)}</w:p>'


TEXTBOX = (
    '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
    '<wp:extent cx="1828800" cy="457200"/><wp:docPr id="1" name="Text Box 1"/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
    '<a:ext cx="1828800" cy="457200"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
    '<wps:txbx><w:txbxContent><w:p><w:r><w:t>Box: see annex.</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
    '<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')
EQUATION = ('<m:oMath><m:r><m:t>E</m:t></m:r><m:r><m:t>=</m:t></m:r>'
            '<m:r><m:t>m</m:t></m:r><m:sSup><m:e><m:r><m:t>c</m:t></m:r></m:e>'
            '<m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup></m:oMath>')
FIELD = ('<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')

NEW = 'The secretariat will circulate the revised schedule of meetings before the end of the year.'

BODY = [
    # 1-2: UDHR article 12 as it is: exact, in the memory's order (context).
    p(r('Article 12'), style='Heading1'),
    p(r('No one shall be subjected to arbitrary interference with his privacy, '
        'family, home or correspondence, nor to attacks upon his honour and reputation. '),
      r('Everyone has the right to the protection of the law against such interference or attacks.')),
    # 3-5: article 20, one word dropped (fuzzy) in a numbered list.
    p(r('Article 20'), style='Heading1'),
    p(r('Everyone has the right to freedom of assembly and association.'), num=True),
    p(r('No one may be compelled to belong to an association.'), num=True),
    # 6: a typed label and a changed number (99, numbers replaced).
    p(r('1.1\tResolution 180 (Rev. Bucharest, 2022) of the Plenipotentiary Conference applies.')),
    # 7: a heading whose number has no certain counterpart in Chinese.
    p(r('Article 31'), style='Heading1'),
    # 8: near a CWG-COP sentence; 9: new text.
    p(r('The Council is invited to note the report and to provide guidance.')),
    p(r(NEW)),
    # 10-11: a table: an exact sentence and a repetition.
    '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="4500"/>'
    '<w:gridCol w:w="4500"/></w:tblGrid><w:tr>'
    f'<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>{p(r("Everyone has the right to a nationality."))}</w:tc>'
    f'<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>{p(r(NEW))}</w:tc>'
    '</w:tr></w:tbl>',
    # 12: a text box beside an exact sentence: the box stays as it is.
    p(r('Everyone has the right to own property alone as well as in association with others. '),
      TEXTBOX),
    # 13: an exact sentence around an equation, 14: around a field: left whole.
    p(r('Everyone has the right to life, liberty and the security of person. '), EQUATION),
    p(r('No one shall be arbitrarily deprived of his property. Page '), FIELD),
    # 15: an exact sentence met before (still exact), 16: fuzzy, three words off.
    p(r('Everyone has the right to a nationality.')),
    p(r('Everyone has the right to freedom of movement and residence within each State.')),
]


def document():
    return HEAD + f'<w:document {NS}>\n<w:body>\n' + '\n'.join(BODY) + \
        '\n<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body>\n</w:document>\n'


def write(path, parts):
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(zipfile.ZipInfo(name, DATE), data,
                       compress_type=zipfile.ZIP_DEFLATED)


NOTES_CT = (
    '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
    '<Override PartName="/word/endnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>')
NOTES_RELS = (
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes" Target="endnotes.xml"/>'
    '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>')
NOTES_STYLES = (
    '<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="20"/></w:rPr></w:style>\n'
    '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>\n'
    '<w:style w:type="paragraph" w:styleId="EndnoteText"><w:name w:val="endnote text"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="20"/></w:rPr></w:style>\n'
    '<w:style w:type="character" w:styleId="EndnoteReference"><w:name w:val="endnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>\n')
SETTINGS = HEAD + (
    f'<w:settings xmlns:w="{W}"><w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    '<w:endnotePr><w:endnote w:id="-1"/><w:endnote w:id="0"/></w:endnotePr></w:settings>\n')
NOTE_RPR = '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/><w:sz w:val="20"/><w:lang w:val="en-GB"/></w:rPr>'


def ref(kind, nid):
    return (f'<w:r><w:rPr><w:rStyle w:val="{kind.capitalize()}Reference"/></w:rPr>'
            f'<w:{kind}Reference w:id="{nid}"/></w:r>')


def note(kind, nid, *content):
    """A numbered note: its mark, a space in a run of its own, the text."""
    style = 'FootnoteText' if kind == 'footnote' else 'EndnoteText'
    return (f'<w:{kind} w:id="{nid}"><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
            f'<w:r><w:rPr><w:rStyle w:val="{kind.capitalize()}Reference"/></w:rPr><w:{kind}Ref/></w:r>'
            f'<w:r><w:t xml:space="preserve"> </w:t></w:r>{"".join(content)}</w:p></w:{kind}>')


def notes_part(kind, notes):
    seps = (f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
            f'<w:r><w:separator/></w:r></w:p></w:{kind}>'
            f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
            f'<w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>')
    return HEAD + f'<w:{kind}s {NS}>\n{seps}\n' + '\n'.join(notes) + f'\n</w:{kind}s>\n'


# Footnotes.xml paragraphs 1-2 are the separators, so the notes' own
# paragraphs are 3 and 4 (ids fn3s1, fn3s2, fn4s1...).
FOOTNOTES = [
    # 3: an exact sentence, and one with its last word changed (fuzzy).
    note('footnote', 1, r('No one shall be subjected to torture or to cruel, inhuman or '
                          'degrading treatment or punishment. ', NOTE_RPR),
         r('No one shall be subjected to arbitrary arrest, detention or expulsion.', NOTE_RPR)),
    # 4: an exact sentence beside a field: left whole.
    note('footnote', 2, r('Everyone has the right to a nationality. See page ', NOTE_RPR),
         FIELD, r('.', NOTE_RPR)),
]
ENDNOTES = [
    # 3: an exact sentence.
    note('endnote', 1, r('All are equal before the law and are entitled without any '
                         'discrimination to equal protection of the law.', NOTE_RPR)),
]
NOTES_BODY = [
    p(r('Article 4'), style='Heading1'),
    # 2: exact, with a footnote reference at its end.
    p(r('No one shall be held in slavery or servitude; slavery and the slave trade '
        'shall be prohibited in all their forms.'), ref('footnote', 1)),
    # 3: new text, an endnote reference, then a second footnote reference.
    p(r(NEW), ref('endnote', 1), r(' '), ref('footnote', 2)),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    write(os.path.join(out, 'udhr-report.docx'), [
        ('[Content_Types].xml', CONTENT_TYPES), ('_rels/.rels', RELS),
        ('word/_rels/document.xml.rels', DOC_RELS), ('word/document.xml', document()),
        ('word/styles.xml', STYLES), ('word/numbering.xml', NUMBERING)])
    notes_doc = HEAD + f'<w:document {NS}>\n<w:body>\n' + '\n'.join(NOTES_BODY) + \
        '\n<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body>\n</w:document>\n'
    write(os.path.join(out, 'udhr-notes.docx'), [
        ('[Content_Types].xml', CONTENT_TYPES.replace('</Types>', NOTES_CT + '</Types>')),
        ('_rels/.rels', RELS),
        ('word/_rels/document.xml.rels', DOC_RELS.replace('</Relationships>',
                                                          NOTES_RELS + '</Relationships>')),
        ('word/document.xml', notes_doc),
        ('word/styles.xml', STYLES.replace('</w:styles>', NOTES_STYLES + '</w:styles>')),
        ('word/numbering.xml', NUMBERING), ('word/settings.xml', SETTINGS),
        ('word/footnotes.xml', notes_part('footnote', FOOTNOTES)),
        ('word/endnotes.xml', notes_part('endnote', ENDNOTES))])


if __name__ == '__main__':
    main()
