#!/usr/bin/env python3
"""Check that real tools take what `hexalign pretranslate` writes.

usage: check-pretranslate.py HEXALIGN TESTS_DIR --reader R [--keep DIR]

The case is the realistic one of tests/test-pretranslate.c: a memory built by
`hexalign align` from the UDHR in English and Chinese plus the CWG-COP units,
and tests/data/pretranslate/udhr-report.docx pre-translated into Chinese.

translate-toolkit: Translate Toolkit's XLIFF parser
  (translate.storage.xliff.xlifffile) reads the XLIFF 1.2: as many units as
  hexalign wrote, the same ids, as many translated units (approved context
  and exact matches) and as many units with a target as the file holds.
omegat: OmegaT (console-translate; Debian's 3.6 has an XLIFF 1.2 filter,
  no XLIFF 2) opens a project whose source file is the XLIFF 1.2, and writes
  it back with every trans-unit, well-formed.
libreoffice: `soffice --headless --convert-to txt` opens the draft DOCX and
  the merged DOCX; their paragraphs carry, in order, the Chinese targets
  where hexalign put them and the English where it left the source. The
  text export leaves notes out (it prints only their marks), so the draft
  and merge of udhr-notes.docx are converted to ODT, whose content.xml
  holds each footnote and endnote body where its mark is: each carries its
  targets (the footnote holding a field keeps its English).

Exit status: 0 passed, 1 failed, 77 the reader is not installed (meson:
skipped), 2 usage.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

SKIP = 77
SYSTEM_PYTHON = '/usr/bin/python3'
OMEGAT_JAR = os.environ.get('OMEGAT_JAR', '/usr/share/omegat/OmegaT.jar')
X1 = '{urn:oasis:names:tc:xliff:document:1.2}'


def have_translate_toolkit():
    try:
        from translate.storage import xliff  # noqa: F401
        return True
    except ImportError:
        return False


def hexalign(exe, tests, *args):
    p = subprocess.run([exe] + list(args), cwd=tests, capture_output=True,
                       text=True)
    if p.returncode != 0:
        raise RuntimeError('hexalign %s: %s' % (' '.join(args), p.stderr))
    return p


def build_case(exe, tests, tmp):
    db = os.path.join(tmp, 'm.db')
    hexalign(exe, tests, 'align', '-q', '-o', os.path.join(tmp, 'u.tmx'),
             '--db', db, 'data/html/udhr/eng.html',
             'data/html/udhr/cmn_hans.html')
    hexalign(exe, tests, 'tm', 'import', '--db', db, 'data/tm/cwg-cop.tmx')
    docx = os.path.join(tmp, 'udhr-report.docx')
    shutil.copy(os.path.join(tests, 'data/pretranslate/udhr-report.docx'),
                docx)
    for v, name in (('1.2', 'r12.xlf'), ('2.1', 'r21.xlf')):
        hexalign(exe, tmp, 'pretranslate', '--db', db, '-s', 'en', '-t',
                 'zh', '-q', '--xliff', v, 'udhr-report.docx', '-o', name,
                 '--docx', 'draft.docx')
    hexalign(exe, tmp, 'merge', 'r21.xlf', '-o', 'merged.docx')
    shutil.copy(os.path.join(tests, 'data/pretranslate/udhr-notes.docx'),
                os.path.join(tmp, 'udhr-notes.docx'))
    hexalign(exe, tmp, 'pretranslate', '--db', db, '-s', 'en', '-t', 'zh',
             '-q', 'udhr-notes.docx', '-o', 'notes.xlf', '--docx',
             'notes-draft.docx')
    hexalign(exe, tmp, 'merge', 'notes.xlf', '-o', 'notes-merged.docx')
    return tmp


def our_units(path):
    """[(id, has_target, approved)] as the XLIFF 1.2 says."""
    out = []
    for tu in ET.parse(path).getroot().iter(X1 + 'trans-unit'):
        t = tu.find(X1 + 'target')
        out.append((tu.get('id'), t is not None and bool(t.text),
                    tu.get('approved') == 'yes'))
    return out


def check_translate_toolkit(case):
    from translate.storage import xliff
    from translate.__version__ import sver
    path = os.path.join(case, 'r12.xlf')
    units = our_units(path)
    store = xliff.xlifffile.parsefile(path)
    got = [u for u in store.units if not u.isheader()]
    problems = []
    if len(got) != len(units):
        problems.append('read %d units, the file has %d' %
                        (len(got), len(units)))
    ids = [u.getid() for u in got]
    if [i for i, _, _ in units] != [i.split('\x04')[-1] for i in ids]:
        problems.append('ids differ: %r' % ids[:5])
    want_tr = sum(1 for _, t, a in units if t and a)
    want_tg = sum(1 for _, t, _ in units if t)
    tr = sum(1 for u in got if u.istranslated())
    tg = sum(1 for u in got if u.target)
    if tr != want_tr:
        problems.append('%d translated units, expected %d' % (tr, want_tr))
    if tg != want_tg:
        problems.append('%d units with a target, expected %d' % (tg, want_tg))
    print('# translate-toolkit %s: %d units, %d translated, %d with target'
          % (sver, len(got), tr, tg))
    return problems


def check_omegat(case, keep):
    java = shutil.which('java')
    root = keep or tempfile.mkdtemp(prefix='hx-omegat-pt-')
    try:
        for d in ('source', 'target', 'tm/auto', 'glossary', 'dictionary',
                  'omegat', 'config'):
            os.makedirs(os.path.join(root, d), exist_ok=True)
        shutil.copy(os.path.join(case, 'r12.xlf'),
                    os.path.join(root, 'source', 'report.xlf'))
        with open(os.path.join(root, 'omegat.project'), 'w') as f:
            f.write('''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat><project version="1.0">
<source_dir>__DEFAULT__</source_dir><target_dir>__DEFAULT__</target_dir>
<tm_dir>__DEFAULT__</tm_dir><glossary_dir>__DEFAULT__</glossary_dir>
<glossary_file>__DEFAULT__</glossary_file>
<dictionary_dir>__DEFAULT__</dictionary_dir>
<source_lang>EN</source_lang><target_lang>ZH</target_lang>
<sentence_seg>false</sentence_seg>
<support_default_translations>true</support_default_translations>
<remove_tags>false</remove_tags>
</project></omegat>
''')
        env = dict(os.environ, JAVA_TOOL_OPTIONS='-Djava.awt.headless=true')
        p = subprocess.run([java, '-jar', OMEGAT_JAR, root,
                            '--mode=console-translate',
                            '--config-dir=' + os.path.join(root, 'config'),
                            '--no-team', '--disable-project-locking',
                            '--quiet'], env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=600)
        out = os.path.join(root, 'target', 'report.xlf')
        if p.returncode != 0 or not os.path.exists(out):
            sys.stdout.write(p.stdout[-2000:] + p.stderr[-2000:])
            return ['omegat exited %d, target %s' %
                    (p.returncode, 'written' if os.path.exists(out)
                     else 'missing')]
        want = [i for i, _, _ in our_units(os.path.join(case, 'r12.xlf'))]
        try:
            got = [i for i, _, _ in our_units(out)]
        except ET.ParseError as e:
            return ['OmegaT wrote invalid XML: %s' % e]
        stats = open(os.path.join(root, 'omegat', 'project_stats.txt'),
                     encoding='utf-8').read()
        total = [line for line in stats.splitlines()
                 if line.startswith('Total:')]
        print('# omegat: project opened, %d trans-units written back; %s' %
              (len(got), ' '.join(total[0].split()) if total else '?'))
        return [] if got == want else ['trans-units written back: %r' % got]
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def soffice_lines(docx, outdir):
    p = subprocess.run(['soffice', '--headless', '--norestore',
                        '-env:UserInstallation=file://' + outdir + '/profile',
                        '--convert-to', 'txt:Text (encoded):UTF8',
                        '--outdir', outdir, docx],
                       capture_output=True, text=True, timeout=300)
    txt = os.path.join(outdir, os.path.splitext(os.path.basename(docx))[0] +
                       '.txt')
    if p.returncode != 0 or not os.path.exists(txt):
        raise RuntimeError('soffice failed: %s %s' % (p.stdout, p.stderr))
    with open(txt, encoding='utf-8-sig') as f:
        return [line.strip() for line in f.read().splitlines()]


def expected_paragraphs(xlf):
    """Paragraphs in document order from the XLIFF 2.1: (id, whether a
    segment has a target, target-or-source texts, source texts)."""
    ns = '{urn:oasis:names:tc:xliff:document:2.0}'
    out = []
    for unit in ET.parse(xlf).getroot().iter(ns + 'unit'):
        parts, sources, any_t = [], [], False
        for seg in unit.findall(ns + 'segment'):
            t, s = seg.find(ns + 'target'), seg.find(ns + 'source')
            any_t = any_t or t is not None
            parts.append((t if t is not None else s).text)
            sources.append(s.text)
        out.append((unit.get('id'), any_t, parts, sources))
    return out


def soffice_notes(docx, outdir):
    """[(note-class, body text)] in the order LibreOffice places them."""
    p = subprocess.run(['soffice', '--headless', '--norestore',
                        '-env:UserInstallation=file://' + outdir + '/profile',
                        '--convert-to', 'odt', '--outdir', outdir, docx],
                       capture_output=True, text=True, timeout=300)
    odt = os.path.join(outdir, os.path.splitext(os.path.basename(docx))[0] +
                       '.odt')
    if p.returncode != 0 or not os.path.exists(odt):
        raise RuntimeError('soffice failed: %s %s' % (p.stdout, p.stderr))
    t = '{urn:oasis:names:tc:opendocument:xmlns:text:1.0}'
    with zipfile.ZipFile(odt) as z:
        root = ET.fromstring(z.read('content.xml'))
    return [(n.get(t + 'note-class'),
             ''.join(n.find(t + 'note-body').itertext()))
            for n in root.iter(t + 'note')]


def check_notes(case, root):
    """Footnotes and the endnote of udhr-notes.docx, drafted and merged."""
    problems = []
    want = {'footnote': [], 'endnote': []}
    for uid, any_t, parts, sources in expected_paragraphs(
            os.path.join(case, 'notes.xlf')):
        if uid.startswith(('fn', 'en')):
            # fn4 holds a field: hexalign leaves it whole (and says so);
            # its second sentence ends in the PAGE field's result, which
            # LibreOffice computes again.
            want['footnote' if uid[0] == 'f' else 'endnote'].append(
                (uid, sources[:1] if uid == 'fn4' else parts))
    for name in ('notes-draft.docx', 'notes-merged.docx'):
        got = soffice_notes(os.path.join(case, name), root)
        for cls in ('footnote', 'endnote'):
            bodies = [b for c, b in got if c == cls]
            if len(bodies) != len(want[cls]):
                problems.append('%s: %d %ss, expected %d' %
                                (name, len(bodies), cls, len(want[cls])))
                continue
            for (uid, parts), body in zip(want[cls], bodies):
                if not all(p in body for p in parts):
                    problems.append('%s: %s %s: %r lacks %r' %
                                    (name, cls, uid, body[:60], parts))
        zh = sum(1 for _, b in got if any('\u4e00' <= c <= '\u9fff'
                                           for c in b))
        print('# libreoffice: %s: %d notes, %d with Chinese' %
              (name, len(got), zh))
    return problems


def check_libreoffice(case, keep):
    root = keep or tempfile.mkdtemp(prefix='hx-lo-pt-')
    problems = []
    try:
        paras = expected_paragraphs(os.path.join(case, 'r21.xlf'))
        orig = [x for x in soffice_lines(
            os.path.join(case, 'udhr-report.docx'), root) if x]
        for name in ('draft.docx', 'merged.docx'):
            lines = [x for x in soffice_lines(os.path.join(case, name), root)
                     if x]
            k = 0
            for uid, any_t, parts, sources in paras:
                # Paragraphs with an equation or a field stay in English
                # (hexalign says so); p13 and p14 of make-docx.py.
                if uid in ('p13', 'p14'):
                    parts, any_t = sources, False
                want = parts[0]
                while k < len(lines) and want not in lines[k]:
                    k += 1
                if k == len(lines):
                    problems.append('%s: paragraph %s (%r) not found in '
                                    'order' % (name, uid, want[:40]))
                    break
                if any_t and not all(p in lines[k] for p in parts):
                    problems.append('%s: paragraph %s: %r lacks %r' %
                                    (name, uid, lines[k][:60], parts))
                k += 1
            # The same paragraph structure as the original shows.
            if len(lines) != len(orig):
                problems.append('%s: %d lines, the original %d' %
                                (name, len(lines), len(orig)))
            zh = sum(1 for x in lines if any('\u4e00' <= c <= '\u9fff'
                                             for c in x))
            print('# libreoffice: %s: %d lines, %d with Chinese' %
                  (name, len(lines), zh))
        problems += check_notes(case, root)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('hexalign')
    ap.add_argument('tests')
    ap.add_argument('--reader', required=True,
                    choices=['translate-toolkit', 'omegat', 'libreoffice'])
    ap.add_argument('--keep', metavar='DIR')
    a = ap.parse_args()
    if (a.reader == 'translate-toolkit' and not have_translate_toolkit() and
            not os.environ.get('HX_CHECK_PT_REEXEC') and
            os.path.exists(SYSTEM_PYTHON) and
            os.path.realpath(sys.executable) !=
            os.path.realpath(SYSTEM_PYTHON)):
        os.environ['HX_CHECK_PT_REEXEC'] = '1'
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON] + sys.argv)
    if a.reader == 'translate-toolkit' and not have_translate_toolkit():
        print('# translate-toolkit not installed (Debian translate-toolkit)')
        return SKIP
    if a.reader == 'omegat' and not (shutil.which('java') and
                                     os.path.exists(OMEGAT_JAR)):
        print('# OmegaT not installed (Debian omegat)')
        return SKIP
    if a.reader == 'libreoffice' and not shutil.which('soffice'):
        print('# LibreOffice not installed (Debian libreoffice-writer; '
              '.ci/bootstrap installs it): skipped')
        return SKIP
    tmp = tempfile.mkdtemp(prefix='hx-readers-pt-')
    try:
        case = build_case(os.path.abspath(a.hexalign),
                          os.path.abspath(a.tests), tmp)
        if a.reader == 'translate-toolkit':
            problems = check_translate_toolkit(case)
        elif a.reader == 'omegat':
            problems = check_omegat(case, a.keep)
        else:
            problems = check_libreoffice(case, a.keep)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for pr in problems:
        print('#   ' + pr)
    print('%s - %s takes the pre-translation' %
          ('not ok' if problems else 'ok', a.reader))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
