#!/usr/bin/env python3
"""`hexalign serve` through its JSON API, as a script or a page uses it:
the documents, a review opened, each edit and undo, save, TMX, look-up and
concordance; then bad input of every kind (malformed and random bodies,
unknown ids and rows, an oversized body, wrong methods and types, another
Host), each a 4xx JSON error that changes neither the review nor the
memory, with the server still up.

  serve-api.py HEXALIGN TESTS_DIR
"""
import os
import random
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_util as su  # noqa: E402

exe, tests = sys.argv[1], sys.argv[2]
t = su.Tap()
tmp = tempfile.mkdtemp(prefix='hexalign-serve-api-')
db = os.path.join(tmp, 'mem.db')
su.align_db(exe, tests, db)
srv = su.Server(exe, 'serve', '--db', db, '--listen', '127.0.0.1:0')
t.ok(srv.url.startswith('http://127.0.0.1:'), 'serving on ' + srv.url)


def err_json(st, out, want, what):
    t.ok(st == want and isinstance(out, dict) and
         isinstance(out.get('error'), str) and out['error'],
         '%s: %d with an error message (%d %r)' % (what, want, st,
                                                    str(out)[:120]))


try:
    st, docs, _ = srv.req('GET', '/api/documents')
    t.ok(st == 200 and len(docs['documents']) == 1 and
         docs['documents'][0]['units'] > 10 and docs['open'] == [],
         'documents: the aligned UDHR, nothing open')
    name = docs['documents'][0]['name']

    st, o, _ = srv.req('POST', '/api/reviews', {'document': name})
    t.ok(st in (200, 201) and o['name'] == name, 'review opened')
    rid = o['id']
    base = '/api/reviews/%s' % rid
    st, o2, _ = srv.req('POST', '/api/reviews', {'document': name})
    t.ok(o2.get('id') == rid, 'the same document opens as the same review')

    st, rev, _ = srv.req('GET', base)
    rows = rev['rows']
    t.ok(st == 200 and rev['langs'][:2] == ['en', 'zh'] and len(rows) > 10,
         'review JSON: %d rows, en and zh' % len(rows))
    st, part, _ = srv.req('GET', base + '?first=2&max=3')
    t.ok(st == 200 and [r['row'] for r in part['rows']] == [2, 3, 4],
         'first/max page the rows')

    def op(body):
        return srv.req('POST', base + '/ops', body)

    def cells(r):
        return [list(c) for c in r['cells']]

    n = len(rows)
    # Join and split two 1-1 rows in a row.
    one = [len(r['cells'][0]) == 1 and len(r['cells'][1]) == 1 for r in rows]
    j = next(i for i in range(n - 1) if one[i] and one[i + 1])
    st, a, _ = op({'op': 'join', 'row': j})
    t.ok(st == 200 and len(a['rows']) == n - 1 and
         a['rows'][j]['cells'][0] == rows[j]['cells'][0] +
         rows[j + 1]['cells'][0], 'join: rows %d and %d become one' % (j, j + 1))
    st, a, _ = op({'op': 'undo'})
    t.ok(st == 200 and [cells(r) for r in a['rows']] ==
         [cells(r) for r in rows], 'undo: back as it was')

    st, a, _ = op({'op': 'join', 'row': j})
    st, a, _ = op({'op': 'split', 'row': j, 'lang': 0, 'at': 1, 'at_zh': 1})
    t.ok(st == 200 and [cells(r) for r in a['rows']] ==
         [cells(r) for r in rows],
         'split (with at_zh) takes the joined row apart again')
    st, a, _ = op({'op': 'split', 'row': j, 'lang': 'en', 'at': 1})
    t.ok(st == 400, 'split of a row with one sentence: 400')
    op({'op': 'undo'})
    op({'op': 'undo'})
    st, a, _ = srv.req('GET', base)
    t.ok(a['rows'] == rows, 'two undos: as loaded')

    st, a, _ = op({'op': 'move', 'row': 2, 'lang': 'zh', 'dir': -1})
    t.ok(st == 200 and a['rows'][1]['cells'][1] == rows[1]['cells'][1] +
         rows[2]['cells'][1][:1], 'move: the first zh sentence of row 2 '
         'goes to the end of row 1')
    st, a, _ = op({'op': 'undo'})
    t.ok([cells(r) for r in a['rows']] == [cells(r) for r in rows],
         'undo the move')

    # The row to correct: the first 1-1 pair past the title.
    fix = next(i for i, r in enumerate(rows) if i > 3 and
               len(r['cells'][0]) == 1 and len(r['cells'][1]) == 1)
    en = rows[fix]['cells'][0][0]
    new_zh = '人人有权享有经过审校的译文。'
    st, a, _ = op({'op': 'edit', 'row': fix, 'lang': 1, 'text': new_zh})
    t.ok(st == 200 and a['rows'][fix]['cells'][1] == [new_zh] and
         a['modified'], 'edit: the zh text replaced')
    st, a, _ = op({'op': 'confirm', 'row': fix, 'on': True})
    t.ok(st == 200 and a['rows'][fix]['confirmed'], 'confirm the row')
    before_errors = a

    # ---- bad input: nothing changes ------------------------------------
    snap = su.memory(exe, db, os.path.join(tmp, 'before.tmx'))
    err_json(*srv.req('POST', base + '/ops', raw=b'{"op": "join", "row": ')[:2],
             400, 'malformed JSON')
    err_json(*srv.req('POST', base + '/ops', raw=b'[1,2]')[:2], 400,
             'an array, not an object')
    err_json(*srv.req('POST', base + '/ops', raw=b'{"op":"join","row":0} x')[:2],
             400, 'trailing text')
    err_json(*srv.req('POST', base + '/ops', raw=b'{"op":"edit","row":0,'
                      b'"lang":0,"text":"\xff\xfe"}')[:2], 400,
             'invalid UTF-8 in a string')
    err_json(*srv.req('POST', base + '/ops',
                      raw=b'{"a":' + b'[' * 100000 + b']' * 100000 +
                      b'}')[:2], 400,
             'deep nesting')
    err_json(*op({'op': 'join', 'row': 100000})[:2], 400, 'unknown row')
    err_json(*op({'op': 'join', 'row': -1})[:2], 400, 'negative row')
    err_json(*op({'op': 'join', 'row': 1.5})[:2], 400, 'fractional row')
    err_json(*op({'op': 'join', 'row': '1'})[:2], 400, 'row as a string')
    err_json(*op({'op': 'join', 'row': len(a['rows']) - 1})[:2], 400,
             'join the last row')
    err_json(*op({'op': 'fold', 'row': 0})[:2], 400, 'unknown op')
    err_json(*op({'row': 0})[:2], 400, 'no op')
    err_json(*op({'op': 'move', 'row': 1, 'lang': 0, 'dir': 2})[:2], 400,
             'move by 2')
    err_json(*op({'op': 'move', 'row': 1, 'lang': 'xx', 'dir': 1})[:2],
             400, 'unknown language')
    err_json(*op({'op': 'split', 'row': fix, 'lang': 0, 'at': 9})[:2], 400,
             'split past the sentences')
    err_json(*op({'op': 'edit', 'row': 1, 'lang': 0, 'text': 'a\x01b'})[:2],
             400, 'edit with a control character')
    err_json(*op({'op': 'edit', 'row': 1, 'lang': 0, 'text': 'a\x00b'})[:2],
             400, 'edit with U+0000')
    err_json(*op({'op': 'confirm', 'row': 1, 'on': 'yes'})[:2], 400,
             'confirm with a string')
    err_json(*srv.req('POST', '/api/reviews/999/ops', {'op': 'undo'})[:2],
             404, 'unknown review id')
    err_json(*srv.req('GET', '/api/reviews/abc')[:2], 404, 'id not a number')
    err_json(*srv.req('GET', base + '/frob')[:2], 404, 'unknown route')
    err_json(*srv.req('POST', '/api/reviews', {'document': 'nope'})[:2],
             404, 'unknown document')
    err_json(*srv.req('POST', '/api/reviews', {'doc': name})[:2], 400,
             'no document field')
    err_json(*srv.req('POST', base + '/ops', raw=b'{"op":"' +
                      b'x' * (2 << 20) + b'"}')[:2], 413, 'a 2 MiB body')
    err_json(*srv.req('GET', base + '/ops')[:2], 405, 'GET on ops')
    st, out, hdr = srv.req('DELETE', '/api/documents')
    err_json(st, out, 405, 'DELETE documents')
    t.ok(hdr.get('Allow') == 'GET', '405 names the method allowed')
    err_json(*srv.req('PUT', base + '/save', {'reviewer': 'x'})[:2], 405,
             'PUT on save')
    err_json(*srv.req('POST', base + '/ops', raw=b'{"op":"undo"}',
                      ctype='text/plain')[:2], 415, 'text/plain body')
    err_json(*srv.req('POST', base + '/save',
                      {'reviewer': 'x', 'tmx': '/tmp/x.tmx'})[:2], 400,
             'save refuses a server-side path')
    err_json(*srv.req('POST', base + '/save', {'reviewer': 'a\nb'})[:2],
             400, 'reviewer with a newline')
    err_json(*srv.req('GET', '/api/lookup?src=en&q=x')[:2], 400,
             'look-up without tgt')
    err_json(*srv.req('GET', '/api/lookup?src=en&tgt=zh&q=%FF%FE')[:2],
             400, 'look-up of invalid UTF-8')
    err_json(*srv.req('GET', '/api/lookup?src=en&tgt=zh&q=x&min=500')[:2],
             400, 'look-up min 500')
    err_json(*srv.req('GET', '/api/documents',
                      headers={'Host': 'evil.example:80'})[:2], 403,
             'another Host (DNS rebinding)')
    err_json(*srv.req('GET', '/nope')[:2], 404, 'unknown page')

    st, after, _ = srv.req('GET', base)
    t.ok(after == before_errors, 'the review is as before the errors')
    t.ok(su.memory(exe, db, os.path.join(tmp, 'after.tmx')) == snap,
         'the memory is as before the errors')

    # Random and mutated bodies: a 4xx or an edit, never a crash or 5xx;
    # the edits they make are undone after.
    rnd = random.Random(15)
    seeds = [b'{"op":"split","row":3,"lang":1,"at":1,"at_en":1}',
             b'{"op":"edit","row":2,"lang":"zh","text":"\\ud83d\\ude00"}',
             b'{"op":"move","row":1,"lang":0,"dir":-1}',
             b'{"document":"x","op":"join","row":4}']
    worst = 0
    for i in range(300):
        if i % 3 == 0:
            raw = bytes(rnd.randrange(256) for _ in range(rnd.randrange(64)))
        else:
            b = bytearray(rnd.choice(seeds))
            for _ in range(rnd.randrange(1, 4)):
                b[rnd.randrange(len(b))] = rnd.randrange(256)
            raw = bytes(b)
        for path in (base + '/ops', '/api/reviews'):
            st, out, _ = srv.req('POST', path, raw=raw)
            worst = max(worst, st)
    t.ok(worst < 500 and srv.alive(), 'random bodies: no 5xx, server up')
    worst = 0
    for i in range(100):
        q = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 40)))
        for route in ('lookup', 'concord'):
            st, out, _ = srv.req('GET', '/api/%s?src=%s&tgt=zh&q=%s' % (
                route, rnd.choice(['en', 'zh', 'xx', 'e%00n']),
                urllib.parse.quote(q)))
            worst = max(worst, st)
        st, out, _ = srv.req('GET', base + '?first=%d&max=%s' % (
            rnd.randrange(10 ** 6), rnd.choice(['1', '0', '-1', 'x', ''])))
        worst = max(worst, st)
    t.ok(worst < 500 and srv.alive(), 'random queries: no 5xx, server up')
    for _ in range(400):
        st, a, _ = srv.req('GET', base)
        if a['undo'] <= before_errors['undo']:
            break
        op({'op': 'undo'})
    st, a, _ = srv.req('GET', base)
    t.ok(a['rows'] == before_errors['rows'], 'undo takes the random edits '
         'back')
    t.ok(su.memory(exe, db, os.path.join(tmp, 'after.tmx')) == snap,
         'the memory is as before the random bodies')

    # ---- TMX, save, look-up ------------------------------------------
    st, tmx, hdr = srv.req('GET', base + '/tmx?reviewer=tester')
    t.ok(st == 200 and b'<tmx' in tmx and new_zh.encode() in tmx and
         'attachment' in (hdr.get('Content-Disposition') or ''),
         'TMX download holds the edit')

    st, s, _ = srv.req('POST', base + '/save', {'reviewer': 'tester'})
    t.ok(st == 200 and s['added'] > 10 and s['confirmed'] == 1 and
         s['removed'] > 10, 'save: %r' % (s,))
    st, a, _ = srv.req('GET', base)
    t.ok(not a['modified'], 'saved review is not modified')

    q = urllib.parse.urlencode({'src': 'en', 'tgt': 'zh', 'q': en})
    st, lk, _ = srv.req('GET', '/api/lookup?' + q)
    t.ok(st == 200 and lk['matches'] and
         lk['matches'][0]['target'] == new_zh and
         lk['matches'][0]['score'] == 100 and
         lk['matches'][0]['origin'] == name,
         'API look-up: the corrected pair at 100, with its document')
    q = urllib.parse.urlencode({'src': 'en', 'tgt': 'zh', 'q': 'right'})
    st, cc, _ = srv.req('GET', '/api/concord?' + q)
    m0 = cc['matches'][0] if st == 200 and cc['matches'] else {}
    t.ok(m0 and m0['source'].encode()[m0['start']:m0['end']].lower() ==
         b'right' and m0['origin'] == name, 'concordance with the span')
    for page in ('/', '/review?id=' + rid, '/search', '/style.css'):
        st, body, _ = srv.req('GET', page)
        t.ok(st == 200 and len(body) > 100, 'page ' + page)
finally:
    rc = srv.stop()
t.ok(rc == 0, 'SIGTERM stops the server, exit 0 (%r)' % rc)

line = su.lookup_from_line(exe, db, en, new_zh)
t.ok(line and 'points off' not in line,
     'CLI look-up shows the corrected pair, no penalty (%r)' % line)
ex = su.run(exe, 'tm', 'export', '--db', db, '-o', os.path.join(tmp, 'x.tmx'))
x = open(os.path.join(tmp, 'x.tmx'), encoding='utf-8').read()
t.ok(ex.returncode == 0 and 'x-reviewed' in x and 'tester' in x,
     'the unit is marked reviewed, by tester')

# align --review without a memory: the alignment is review "0"; saving is
# refused, the TMX is there.
srv = su.Server(exe, 'align', '-l', 'en,zh', '--review', '--listen',
                '127.0.0.1:0', *[os.path.join(tests, f) for f in su.UDHR])
try:
    st, docs, _ = srv.req('GET', '/api/documents')
    t.ok(st == 200 and docs['documents'] == [] and
         [o['id'] for o in docs['open']] == ['0'] and not docs['memory'],
         'align --review: the alignment open as "0", no memory')
    st, a, _ = srv.req('GET', '/api/reviews/0')
    t.ok(st == 200 and len(a['rows']) > 10, 'its rows')
    err_json(*srv.req('POST', '/api/reviews/0/save', {'reviewer': 'x'})[:2],
             409, 'save without a memory')
    st, tmx, _ = srv.req('GET', '/api/reviews/0/tmx')
    t.ok(st == 200 and b'<tmx' in tmx, 'the TMX download works')
finally:
    rc = srv.stop()
t.ok(rc == 0 and not srv.p.stdout.read(), 'align --review: nothing on '
     'stdout, exit 0')
t.done()
