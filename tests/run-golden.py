#!/usr/bin/env python3
"""Golden tests: run the real hexalign CLI and diff its output.

Each case is a folder tests/golden/<command>/<case>/ holding:
  cmd      the arguments (shell syntax), paths relative to tests/
  stdout   the expected standard output
  stderr   the expected standard error (optional; absent means empty)
  status   the expected exit code (optional; absent means 0)
  setup    commands run before cmd, one per line (optional): each line is
           arguments for hexalign, like cmd; a failing setup fails the case,
           except a line starting with "!", which must fail

In setup and cmd, {tmp} is a fresh temporary folder for the case (a memory
to build, say); in the outputs the folder's path reads {tmp} again.

usage: run-golden.py HEXALIGN GOLDEN_DIR [--update] [--pg] [CASE_PREFIX...]
--update rewrites the expected files from the current output (review the
diff before committing).

--pg runs the cases that use a memory ({tmp}/NAME.db) on PostgreSQL
instead: a throw-away cluster (pg_cluster.py), a fresh database per memory
and case in place of each {tmp}/NAME.db, and in the outputs the database
reads {tmp}/NAME.db again, so the same expected files hold for both
backends. PG_ONLY_SQLITE lists the cases that are about files.
"""
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile


# Cases whose subject is the memory as a file: not run with --pg.
PG_ONLY_SQLITE = {
    'tm/not-a-memory': 'a file that is not a memory',
    'tm/missing-memory': 'a file that does not exist',
    'tm/import-truncated-unchanged': 'the file compared byte for byte',
    'align/db-unrelated-not-created': 'no file made',
    'pretranslate/missing-memory': 'a file that does not exist',
}
# The size `tm stats` gives is the file's or the tables': with --pg it is
# compared as a number of bytes, not as that number.
FILE_BYTES = re.compile(rb'(?m)^(file +)[0-9]+( bytes)$')
DB_RE = re.compile(r'\{tmp\}/([A-Za-z0-9_]+)\.db(?![A-Za-z0-9_.-])')


def pg_shown(conninfo):
    """How hexalign names the database conninfo in its messages."""
    kv = dict(x.split('=', 1) for x in conninfo.split())
    return 'postgresql://%s@%s:%s/%s' % (kv['user'], kv['host'], kv['port'],
                                         kv['dbname'])


def main():
    exe, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    update = '--update' in sys.argv[3:]
    pg = None
    if update and '--pg' in sys.argv[3:]:
        print('--update writes what SQLite gives: not with --pg')
        return 2
    if '--pg' in sys.argv[3:]:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import pg_cluster
        pg = pg_cluster.Cluster().start()
    try:
        return run(exe, root, update, pg,
                   [a for a in sys.argv[3:] if a not in ('--update', '--pg')])
    finally:
        if pg:
            pg.__exit__(None)


def run(exe, root, update, pg, only):
    cases = sorted(os.path.join(dp) for dp, dn, fn in os.walk(root) if 'cmd' in fn)
    if only:
        cases = [c for c in cases
                 if any(os.path.relpath(c, root).startswith(o) for o in only)]
    if pg:
        def uses_db(c):
            text = ''.join(open(os.path.join(c, f), encoding='utf-8').read()
                           for f in ('cmd', 'setup')
                           if os.path.exists(os.path.join(c, f)))
            return DB_RE.search(text) is not None
        cases = [c for c in cases if uses_db(c) and
                 os.path.relpath(c, root) not in PG_ONLY_SQLITE]
    if not cases:
        print('no golden cases under', root)
        return 1
    failed = 0
    print('1..%d' % len(cases))
    for n, case in enumerate(cases, 1):
        name = os.path.relpath(case, root)
        tmp = tempfile.mkdtemp(prefix='hexalign-golden-')
        dbs = {}  # {tmp}/NAME.db: the conninfo of its database

        def sub(a):
            if pg:
                def db(m):
                    if m.group(0) not in dbs:
                        dbs[m.group(0)] = pg.new_db('g%d_%s' % (n, m.group(1)))
                    return dbs[m.group(0)]
                a = [DB_RE.sub(db, x) for x in a]
            return [x.replace('{tmp}', tmp) for x in a]
        setup_failed = None
        setup = os.path.join(case, 'setup')
        if os.path.exists(setup):
            for line in open(setup, encoding='utf-8'):
                if not line.strip():
                    continue
                must_fail = line.startswith('!')
                sp = subprocess.run([exe] + sub(shlex.split(line.lstrip('!'))),
                                    capture_output=True, cwd=os.path.dirname(root))
                if (sp.returncode != 0) != must_fail:
                    setup_failed = '%s: %s' % (line.strip(), sp.stderr.decode('utf-8', 'replace'))
                    break
        args = shlex.split(open(os.path.join(case, 'cmd'), encoding='utf-8').read())
        p = subprocess.run([exe] + sub(args), capture_output=True, cwd=os.path.dirname(root))
        shutil.rmtree(tmp, ignore_errors=True)
        def unsub(b):
            for path, ci in dbs.items():
                for shown in (ci, pg_shown(ci)):
                    b = b.replace(shown.encode(), path.encode())
            return b.replace(tmp.encode(), b'{tmp}')
        got = {'stdout': unsub(p.stdout), 'stderr': unsub(p.stderr),
               'status': b'%d\n' % p.returncode}
        if setup_failed:
            failed += 1
            print('not ok %d - %s (setup failed: %s)' % (n, name, setup_failed))
            continue
        if update:
            for k, v in got.items():
                path = os.path.join(case, k)
                if v in (b'', b'0\n') and k != 'stdout':
                    if os.path.exists(path):
                        os.remove(path)
                    continue
                open(path, 'wb').write(v)
        bad = []
        for k in ('stdout', 'stderr', 'status'):
            path = os.path.join(case, k)
            want = open(path, 'rb').read() if os.path.exists(path) else \
                (b'0\n' if k == 'status' else b'')
            if pg:
                want = FILE_BYTES.sub(rb'\1N\2', want)
                got[k] = FILE_BYTES.sub(rb'\1N\2', got[k])
            if want != got[k]:
                bad.append(k)
                diff = difflib.unified_diff(
                    want.decode('utf-8', 'replace').splitlines(True),
                    got[k].decode('utf-8', 'replace').splitlines(True),
                    'expected/' + k, 'actual/' + k)
                sys.stdout.writelines('# ' + line for line in diff)
        if bad:
            failed += 1
            print('not ok %d - %s (%s differ)' % (n, name, ', '.join(bad)))
        else:
            print('ok %d - %s' % (n, name))
    return 1 if failed else 0


sys.exit(main())
