#!/usr/bin/env python3
"""One memory shared by two `hexalign serve` processes, as a team runs it,
on SQLite (one file) or PostgreSQL (a throw-away cluster, pg_cluster.py):

- a unit added through server A is answered by server B straight away, by
  the JSON API and by the tmserver route Weblate calls;
- server A killed with SIGKILL in the middle of a TMX import, while a
  client goes on adding units one request at a time: every unit A
  acknowledged is in the memory, the import is all there or not at all,
  server B answered throughout, and A starts again on the same memory.

  serve-shared.py HEXALIGN TESTS_DIR sqlite|pg
"""
import json
import os
import random
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_util as su  # noqa: E402

exe, tests, backend = sys.argv[1], sys.argv[2], sys.argv[3]
t = su.Tap()
tmp = tempfile.mkdtemp(prefix='hexalign-serve-shared-')
db, pg = su.memory_db(tmp, backend)
servers = []


def serve(*extra):
    s = su.Server(exe, 'serve', '--db', db, '--listen', '127.0.0.1:0',
                  '--tokens', tokens, *extra)
    servers.append(s)
    return s


def auth(tok):
    return {'Authorization': 'Bearer ' + tok}


def lookup(srv, segs, tok):
    """The best target of each English segment in zh, exact only."""
    st, out, _ = srv.req('POST', '/api/tm/lookup',
                         {'source': 'en', 'target': 'zh', 'segments': segs,
                          'min': 100, 'max': 1}, headers=auth(tok))
    if st != 200:
        raise RuntimeError('batch look-up: %d %s' % (st, out))
    return [r[0]['target'] if r else None for r in out['results']]


def units_count(srv, tok):
    st, out, _ = srv.req('GET', '/api/tm/stats', headers=auth(tok))
    return out['units'] if st == 200 else None


def make_tmx(path, n):
    with open(path, 'wb') as f:
        f.write(su.tmx_doc(
            ('Imported sentence number %d about the protection of children '
             'online.' % i, '关于保护上网儿童的第%d个导入句子。' % i)
            for i in range(n)))


try:
    su.align_db(exe, tests, db, os.path.join(tmp, 'udhr.tmx'))
    tokens = os.path.join(tmp, 'tokens')
    p = su.run(exe, 'serve', '--new-token', 'alice', '--rights', 'write',
               '--tokens', tokens)
    t.ok(p.returncode == 0 and p.stdout.strip(), 'a write token made')
    wtok = p.stdout.strip().split()[-1]

    a, b = serve(), serve()
    base = units_count(b, wtok)
    t.ok(base and base > 10, 'B sees the aligned UDHR: %s units' % base)

    st, out, _ = a.req('POST', '/api/tm/units',
                       {'origin': 'shared-test', 'units': [
                           {'en': 'The shared memory answers at once.',
                            'zh': '共享记忆库立即作答。'}]}, headers=auth(wtok))
    t.ok(st == 200, 'A stores a unit (%d %s)' % (st, out))
    t.ok(lookup(b, ['The shared memory answers at once.'], wtok) ==
         ['共享记忆库立即作答。'], 'B answers the unit A just stored')
    q = urllib.parse.quote('The shared memory answers at once.'.encode(), b'')
    st, out, _ = b.req('GET', '/tmserver/en/zh_Hans/unit/%s?%s' % (
        q, urllib.parse.urlencode({'max_candidates': 3,
                                   'min_similarity': 75})),
        headers=auth(wtok))
    t.ok(st == 200 and isinstance(out, list) and out and
         out[0]['target'] == '共享记忆库立即作答。' and out[0]['quality'] == 100
         and out[0]['rank'] == 1,
         'B answers it through the tmserver route: %s' % str(out)[:200])

    # Many clients at once on a server with 4 threads: every answer is
    # the one a look-up alone gives, while a writer adds units.
    c = serve('--threads', '4')
    udhr = [l.split('\t')[0] for l in su.run(
        exe, 'tm', 'export', '--db', db, '-o', '-').stdout.split('<seg>')[1:]]
    segs = [x.split('</seg>')[0] for x in udhr][0:80:2]
    alone = lookup(c, segs, wtok)
    wrong, errors = [], []

    def reader(k):
        for i in range(30):
            q = segs[(k * 7 + i) % len(segs)]
            try:
                got = lookup(c, [q], wtok)
            except (OSError, RuntimeError) as e:
                errors.append(str(e))
                continue
            if got != [alone[segs.index(q)]]:
                wrong.append(q)

    def writer():
        for i in range(20):
            st, _, _ = c.req('POST', '/api/tm/units', {
                'origin': 'concurrent', 'units': [
                    {'en': 'Written while reading %d.' % i,
                     'zh': '边读边写%d。' % i}]}, headers=auth(wtok))
            if st != 200:
                errors.append('write %d' % st)

    th = [threading.Thread(target=reader, args=(k,)) for k in range(8)]
    th.append(threading.Thread(target=writer))
    for x in th:
        x.start()
    for x in th:
        x.join(300)
    t.ok(not wrong and not errors and all(alone),
         '8 clients and a writer at once: 240 look-ups as alone, %d wrong, '
         '%d errors %s' % (len(wrong), len(errors), errors[:2]))
    t.ok(lookup(b, ['Written while reading %d.' % i for i in range(20)],
                wtok) == ['边读边写%d。' % i for i in range(20)],
         'the 20 units written meanwhile are all there, seen from B')
    c.stop()

    # SIGKILL of A during an import, units being added meanwhile.
    big = os.path.join(tmp, 'big.tmx')
    nbig = 30000
    make_tmx(big, nbig)
    # How long an import of it takes here (this build, this backend), so
    # that the kill lands in the middle of one.
    cal = su.memory_db(tmp, backend, pg, 'cal')[0]
    t0 = time.monotonic()
    p = su.run(exe, 'tm', 'import', '-q', '--db', cal, big)
    took = time.monotonic() - t0
    t.ok(p.returncode == 0, 'the same import takes %.2f s by itself' % took)
    acked, stop = [], threading.Event()
    before = units_count(b, wtok)

    def adder():
        i = 0
        while not stop.is_set():
            en = 'Acknowledged unit %d of the crash test.' % i
            try:
                st, _, _ = a.req('POST', '/api/tm/units', {
                    'origin': 'crash', 'units': [
                        {'en': en, 'zh': '崩溃测试的第%d个确认单元。' % i}]},
                    headers=auth(wtok))
            except OSError:
                return
            if st == 200:
                acked.append(i)
            i += 1

    imp = {}

    def importer():
        try:
            imp['st'] = a.req('POST', '/api/tm/import',
                              raw=open(big, 'rb').read(),
                              ctype='application/x-tmx+xml',
                              headers=auth(wtok))[0]
        except OSError as e:
            imp['err'] = str(e)

    th = [threading.Thread(target=adder), threading.Thread(target=importer)]
    for x in th:
        x.start()
    time.sleep(took * (0.4 + 0.3 * random.random()))
    a.p.kill()
    a.p.wait()
    stop.set()
    for x in th:
        x.join(60)
    t.ok(b.alive() and units_count(b, wtok) is not None,
         'B answered after A was killed')
    after = units_count(b, wtok)
    texts = ['Acknowledged unit %d of the crash test.' % i for i in acked]
    found = lookup(b, texts, wtok) if texts else []
    t.ok(all(found), 'every unit A acknowledged is stored: %d of %d' %
         (sum(1 for f in found if f), len(acked)))
    added = after - before
    extra = added - len(acked)
    # At most one unit was in flight when A died (its answer lost).
    t.ok(extra in (0, 1, nbig, nbig + 1),
         'the import is all there or not at all: %d units added, %d '
         'acknowledged, import %s' % (added, len(acked), imp or 'cut off'))

    a2 = serve()
    t.ok(lookup(a2, ['The shared memory answers at once.'], wtok) ==
         ['共享记忆库立即作答。'], 'A starts again on the same memory')
    if extra >= nbig:
        got = lookup(a2, ['Imported sentence number 17 about the protection '
                          'of children online.'], wtok)
        t.ok(got == ['关于保护上网儿童的第17个导入句子。'],
             'the committed import is whole')
finally:
    for s in servers:
        s.stop()
    if pg:
        pg.__exit__(None)
t.done()
