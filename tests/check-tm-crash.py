#!/usr/bin/env python3
"""The memory survives what happens to imports in real life: the import
process killed half-way (kill -9), and the disk filling up (a file size
limit). Each time the memory must be exactly as before, still readable,
and `hexalign tm` must say what went wrong.

  check-tm-crash.py HEXALIGN TESTS_DIR
"""
import fcntl
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time

n_ok = 0
n_fail = 0


def ok(cond, msg):
    global n_ok, n_fail
    if cond:
        n_ok += 1
        print('ok %d - %s' % (n_ok + n_fail, msg))
    else:
        n_fail += 1
        print('not ok %d - %s' % (n_ok + n_fail, msg))


def big_tmx(path, n):
    # Sentences of the shipped fixture, numbered so every unit is new.
    with open(path, 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">'
                '<header creationtool="t" creationtoolversion="1" '
                'segtype="sentence" o-tmf="t" adminlang="en" srclang="en" '
                'datatype="plaintext"/><body>\n')
        for i in range(n):
            f.write('<tu><tuv xml:lang="en"><seg>The Council adopted '
                    'resolution %d on child online protection.</seg></tuv>'
                    '<tuv xml:lang="zh"><seg>理事会通过了关于保护上网儿童的第%d号'
                    '决议。</seg></tuv></tu>\n' % (i, i))
        f.write('</body></tmx>\n')


def stats(exe, db):
    p = subprocess.run([exe, 'tm', 'stats', '--db', db], capture_output=True,
                       text=True)
    return p.returncode, p.stdout


def main():
    exe, tests = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix='hexalign-crash-')
    db = os.path.join(tmp, 'm.db')
    fixture = os.path.join(tests, 'data', 'tm', 'cwg-cop.tmx')
    p = subprocess.run([exe, 'tm', 'import', '-q', '--db', db, fixture])
    ok(p.returncode == 0, 'the fixture imports')
    rc, before = stats(exe, db)
    big = os.path.join(tmp, 'big.tmx')
    big_tmx(big, 300000)

    # Killed half-way.
    proc = subprocess.Popen([exe, 'tm', 'import', '-q', '--db', db, big])
    time.sleep(1.5)
    still = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    ok(still, 'the big import was still running when killed')
    rc, after = stats(exe, db)
    ok(rc == 0 and after == before,
       'after kill -9 the memory is as it was')
    q = subprocess.run([exe, 'tm', 'lookup', '--db', db, '-s', 'en', '-t',
                        'zh', 'The Council is invited to note the report.'],
                       capture_output=True, text=True)
    ok(q.returncode == 0 and '请理事会注意本报告。' in q.stdout,
       'and answers look-ups')

    # The disk fills up: the import fails with a message, nothing stored.
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        size = os.path.getsize(db) + os.path.getsize(db + '-wal') \
            if os.path.exists(db + '-wal') else os.path.getsize(db)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 200000,) * 2)
    p = subprocess.run([exe, 'tm', 'import', '-q', '--db', db, big],
                       capture_output=True, text=True, preexec_fn=limit)
    ok(p.returncode == 1, 'a full disk fails the import (status %d)' %
       p.returncode)
    # The first write to fail may be the memory's or the import's
    # temporary files' (in TMPDIR): either is named.
    ok(('hexalign: ' + db in p.stderr or 'temporary file' in p.stderr) and
       'nothing was imported' in p.stderr and db in p.stderr,
       'with a message: %r' % p.stderr.strip()[:200])
    rc, after = stats(exe, db)
    ok(rc == 0 and after == before, 'and the memory is as it was')

    # A new memory is built in NEW.importing and appears whole or not at
    # all: killed half-way, there is no memory, and the next import
    # starts again from nothing.
    new = os.path.join(tmp, 'new.db')
    proc = subprocess.Popen([exe, 'tm', 'import', '-q', '--db', new, big])
    time.sleep(1.5)
    still = proc.poll() is None
    building = os.path.exists(new + '.importing')
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    ok(still and building, 'a new memory was being built when killed')
    ok(not os.path.exists(new), 'after kill -9 there is no new memory')
    p = subprocess.run([exe, 'tm', 'import', '-q', '--db', new, fixture],
                       capture_output=True, text=True)
    rc, got = stats(exe, new)
    ok(p.returncode == 0 and rc == 0 and got == before.replace(db, new),
       'the next import makes it from nothing: %r' % (p.stderr[:200],))
    ok(not os.path.exists(new + '.importing'),
       'and leaves no file behind')

    # Two imports of one new memory at once: the second waits for the
    # lock as long as it would for an existing memory (2 s), then says
    # why. The first is played by this script, holding the lock a
    # running import holds, so the timing cannot race.
    new2 = os.path.join(tmp, 'new2.db')
    with open(new2 + '.importing', 'w') as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        t0 = time.time()
        p = subprocess.run([exe, 'tm', 'import', '-q', '--db', new2, fixture],
                           capture_output=True, text=True)
        waited = time.time() - t0
        ok(p.returncode == 1 and 'another import is creating' in p.stderr
           and waited >= 1.9,
           'a second import of a new memory waits, then fails: %r (%.1f s)'
           % (p.stderr.strip()[:200], waited))
        ok(not os.path.exists(new2), 'and makes no memory')
    p = subprocess.run([exe, 'tm', 'import', '-q', '--db', new2, fixture],
                       capture_output=True, text=True)
    ok(p.returncode == 0 and not os.path.exists(new2 + '.importing'),
       'once the lock is free, the import makes it')

    # The disk fills up while a new memory is built: no memory is left
    # but an empty one, and no temporary file.
    new3 = os.path.join(tmp, 'new3.db')

    def limit_new():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (3000000,) * 2)
    p = subprocess.run([exe, 'tm', 'import', '-q', '--db', new3, big],
                       capture_output=True, text=True, preexec_fn=limit_new)
    ok(p.returncode == 1 and 'nothing was imported' in p.stderr,
       'a full disk fails the import of a new memory: %r' %
       p.stderr.strip()[:200])
    rc, got = stats(exe, new3)
    ok(not os.path.exists(new3 + '.importing') and
       (rc != 0 or 'units      0' in got),
       'and leaves no memory but an empty one: %r' % got[:80])

    subprocess.run(['rm', '-rf', tmp])
    print('1..%d' % (n_ok + n_fail))
    return 1 if n_fail else 0


if __name__ == '__main__':
    sys.exit(main())
