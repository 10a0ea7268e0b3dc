#!/usr/bin/env python3
"""Check that real TMX readers take a TMX file written by hexalign.

usage: check-tmx.py [--reader all|translate-toolkit|omegat]
                    [--source en] [--target fr] [--max-segments N]
                    [--keep DIR]
                    (TMX EXPECTED_UNITS | --generate PROGRAM [--generate-arg ARG])

translate-toolkit: Translate Toolkit's own TMX parser
  (translate.storage.tmx.tmxfile.parsefile) must read EXPECTED_UNITS units,
  and each unit's source and target (its first two tuvs) must equal the
  segment texts.
omegat: OmegaT (console-translate) gets a project whose source file holds
  the TMX's --source segments plus one sentence that is in no unit, and
  the TMX in tm/auto/; every segment must come out as its --target text
  (OmegaT fills exact tm/auto matches) and the extra sentence untouched.

--generate PROGRAM runs `PROGRAM OUT.tmx [ARG...]`, which must write the
TMX and print its number of units (tests/readers/tmx-sample.c does; its
ARG is a UN Parallel Corpus devset folder for a memory of 2562 units).

Exit status: 0 passed, 1 failed, 77 the reader(s) asked for are not
installed (meson counts 77 as skipped), 2 usage.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

SKIP = 77
XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'
# Debian's translate-toolkit lives in the system Python's dist-packages,
# which another python3 on PATH (pyenv, venv) does not see.
SYSTEM_PYTHON = '/usr/bin/python3'
OMEGAT_JAR = os.environ.get('OMEGAT_JAR', '/usr/share/omegat/OmegaT.jar')
CONTROL = 'This sentence of the hexalign reader check is in no unit.'


def have_translate_toolkit():
    try:
        from translate.storage import tmx  # noqa: F401
        return True
    except ImportError:
        return False


def omegat_command():
    java = shutil.which('java')
    if java and os.path.exists(OMEGAT_JAR):
        return [java, '-jar', OMEGAT_JAR]
    # /usr/bin/omegat is a shell wrapper around the same jar.
    wrapper = shutil.which('omegat')
    return [wrapper] if wrapper else None


def read_units(path):
    """[(tuid, [(lang, text)...])] as the XML says, from the stdlib parser
    (which fetches no DTD and expands no external entity)."""
    units = []
    for tu in ET.parse(path).getroot().iter('tu'):
        tuvs = [(tuv.get(XML_LANG), ''.join(tuv.find('seg').itertext()))
                for tuv in tu.findall('tuv')]
        units.append((tu.get('tuid'), tuvs))
    return units


def check_translate_toolkit(path, units, expected):
    from translate.storage import tmx
    t0 = time.monotonic()
    store = tmx.tmxfile.parsefile(path)
    got = list(store.units)
    took = time.monotonic() - t0
    problems = []
    if len(got) != expected:
        problems.append('read %d units, expected %d' % (len(got), expected))
    for i, (u, (tuid, tuvs)) in enumerate(zip(got, units), 1):
        want = [t for _, t in tuvs[:2]] + [None] * (2 - len(tuvs[:2]))
        if u.source != want[0] or (want[1] is not None and
                                   u.target != want[1]):
            problems.append('unit %d (%s): read %r -> %r, want %r -> %r' %
                            (i, tuid, u.source, u.target, want[0], want[1]))
    from translate.__version__ import sver
    print('# translate-toolkit %s: %d units read in %.2f s' %
          (sver, len(got), took))
    return problems


def omegat_project(root, tmx_path, source, target, pairs):
    for d in ('source', 'target', 'tm/auto', 'glossary', 'dictionary',
              'omegat'):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    shutil.copy(tmx_path, os.path.join(root, 'tm', 'auto', 'hexalign.tmx'))
    # No sentence segmentation: each paragraph is one segment, so each
    # is looked up whole, as the unit holds it. Tokenizers are left to
    # OmegaT's per-language default.
    with open(os.path.join(root, 'omegat.project'), 'w',
              encoding='utf-8') as f:
        f.write('''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>%s</source_lang>
    <target_lang>%s</target_lang>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
''' % (source.upper(), target.upper()))
    paras = [s for s, _ in pairs] + [CONTROL]
    with open(os.path.join(root, 'source', 'doc.txt'), 'w',
              encoding='utf-8') as f:
        f.write('\n\n'.join(paras) + '\n')


def check_omegat(path, units, source, target, keep, limit):
    # Segments OmegaT's text filter keeps whole: one line, no tab. A
    # source seen twice keeps every target it was given.
    wanted = {}
    for _, tuvs in units:
        d = dict(tuvs)
        s, t = d.get(source), d.get(target)
        if s and t and s.strip() == s and not any(c in s for c in '\n\r\t'):
            wanted.setdefault(s, set()).add(t)
    pairs = list(wanted.items())[:limit]
    if not pairs:
        return ['no unit has single-line %s and %s segments' %
                (source, target)]
    root = keep or tempfile.mkdtemp(prefix='hx-omegat-')
    problems = []
    try:
        omegat_project(root, path, source, target, pairs)
        cfg = os.path.join(root, 'config')
        os.makedirs(cfg, exist_ok=True)
        env = dict(os.environ, JAVA_TOOL_OPTIONS='-Djava.awt.headless=true')
        cmd = omegat_command() + [root, '--mode=console-translate',
                                  '--config-dir=' + cfg, '--no-team',
                                  '--disable-project-locking', '--quiet']
        t0 = time.monotonic()
        p = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=600)
        took = time.monotonic() - t0
        out = os.path.join(root, 'target', 'doc.txt')
        if p.returncode != 0 or not os.path.exists(out):
            sys.stdout.write(p.stdout[-3000:] + p.stderr[-3000:])
            return ['omegat exited %d, target %s' %
                    (p.returncode, 'written' if os.path.exists(out)
                     else 'missing')]
        with open(out, encoding='utf-8') as f:
            got = [x.strip('\n') for x in f.read().split('\n\n')]
        want = [t for _, t in pairs] + [CONTROL]
        if len(got) != len(want):
            problems.append('target has %d paragraphs, expected %d' %
                            (len(got), len(want)))
        for (src, targets), g in zip(pairs, got):
            if g not in targets:
                problems.append('%r came out as %r, want %r' %
                                (src, g, sorted(targets)[0]))
        if got and got[-1] != CONTROL:
            problems.append('the sentence in no unit changed: %r' % got[-1])
        print('# omegat: %d segments looked up in tm/auto in %.2f s '
              '(%s -> %s)' % (len(pairs), took, source, target))
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('tmx', nargs='?')
    ap.add_argument('expected', nargs='?', type=int)
    ap.add_argument('--generate', metavar='PROGRAM')
    ap.add_argument('--generate-arg', metavar='ARG', action='append',
                    default=[])
    ap.add_argument('--reader', default='all',
                    choices=['all', 'translate-toolkit', 'omegat'])
    ap.add_argument('--source', default='en')
    ap.add_argument('--target', default='fr')
    ap.add_argument('--max-segments', type=int, default=500,
                    help='OmegaT looks up at most this many (default 500)')
    ap.add_argument('--keep', metavar='DIR',
                    help='build the OmegaT project in DIR and keep it')
    a = ap.parse_args()
    if bool(a.generate) == bool(a.tmx) or (a.tmx and a.expected is None):
        ap.error('give TMX EXPECTED_UNITS or --generate PROGRAM')

    want_tt = a.reader in ('all', 'translate-toolkit')
    if (want_tt and not have_translate_toolkit() and
            not os.environ.get('HX_CHECK_TMX_REEXEC') and
            os.path.exists(SYSTEM_PYTHON) and
            os.path.realpath(sys.executable) !=
            os.path.realpath(SYSTEM_PYTHON)):
        os.environ['HX_CHECK_TMX_REEXEC'] = '1'
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON] + sys.argv)

    readers = []
    if want_tt:
        if have_translate_toolkit():
            readers.append('translate-toolkit')
        else:
            print('# translate-toolkit not installed (Debian package '
                  'translate-toolkit)')
    if a.reader in ('all', 'omegat'):
        if omegat_command():
            readers.append('omegat')
        else:
            print('# OmegaT not installed (Debian package omegat)')
    if not readers:
        return SKIP

    tmpdir = None
    path, expected = a.tmx, a.expected
    if a.generate:
        tmpdir = tempfile.mkdtemp(prefix='hx-readers-')
        path = os.path.join(tmpdir, 'sample.tmx')
        p = subprocess.run([a.generate, path] + a.generate_arg,
                           capture_output=True, text=True)
        if p.returncode != 0:
            sys.stdout.write(p.stdout + p.stderr)
            return 1
        expected = int(p.stdout.split()[0])
    try:
        try:
            units = read_units(path)
        except (ET.ParseError, OSError) as e:
            print('not ok - %s: %s' % (path, e))
            return 1
        failed = False
        if len(units) != expected:
            print('not ok - the file has %d <tu>, expected %d' %
                  (len(units), expected))
            failed = True
        for r in readers:
            if r == 'translate-toolkit':
                problems = check_translate_toolkit(path, units, expected)
            else:
                problems = check_omegat(path, units, a.source, a.target,
                                        a.keep, a.max_segments)
            for pr in problems:
                print('#   ' + pr)
            print('%s - %s reads %s' % ('not ok' if problems else 'ok', r,
                                        os.path.basename(path)))
            failed = failed or bool(problems)
        return 1 if failed else 0
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
