#!/usr/bin/env python3
"""The team memory API of `hexalign serve` as a script, a CAT tool and
Weblate use it: every /api/tm/ route on a memory built from the shipped
UDHR, batch look-ups against single ones, units added and found, a TMX of
a few MB uploaded (streamed to a file) and found, the export read back as
TMX; the /tmserver/ routes with exactly the request Weblate's tmserver
client sends; tokens (none, bad, read, write) on reads and writes and
--public-read; the server without tokens; and bad input of every kind,
each a 4xx JSON error that leaves the memory as it was, with the server
still up.

  serve-tm-api.py HEXALIGN TESTS_DIR
"""
import hashlib
import os
import re
import socket
import sys
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_util as su  # noqa: E402

exe, tests = sys.argv[1], sys.argv[2]
backend = sys.argv[3] if len(sys.argv) > 3 else 'sqlite'
t = su.Tap()
tmp = tempfile.mkdtemp(prefix='hexalign-serve-tm-')
# The servers' temporary files go here, where the test can watch them.
os.environ['TMPDIR'] = os.path.join(tmp, 'tmpdir')
os.mkdir(os.environ['TMPDIR'])
db, pg = su.memory_db(tmp, backend)
aligned = os.path.join(tmp, 'udhr.tmx')
su.align_db(exe, tests, db, aligned)
XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'


def pairs(tmx_bytes, a='en', b='zh'):
    """The (a, b) segment pairs of a TMX."""
    out = []
    for tu in ET.fromstring(tmx_bytes).iter('tu'):
        segs = {}
        for tuv in tu.iter('tuv'):
            seg = tuv.find('seg')
            segs[tuv.get(XML_LANG)] = ''.join(seg.itertext())
        if a in segs and b in segs:
            out.append((segs[a], segs[b]))
    return out


udhr = pairs(open(aligned, 'rb').read())
long_pairs = [p for p in udhr if len(p[0]) > 60]
en0, zh0 = long_pairs[0]

# ---- tokens --------------------------------------------------------
tokfile = os.path.join(tmp, 'tokens')
p = su.run(exe, 'serve', '--new-token', 'alice (translator)', '--rights',
           'write', '--tokens', tokfile)
wtok = p.stdout.strip()
p2 = su.run(exe, 'serve', '--new-token', 'weblate', '--rights', 'read',
            '--tokens', tokfile)
rtok = p2.stdout.strip()
text = open(tokfile).read()
t.ok(p.returncode == 0 and p2.returncode == 0 and
     re.fullmatch('[0-9a-f]{64}', wtok) and re.fullmatch('[0-9a-f]{64}', rtok)
     and wtok != rtok, '--new-token prints a 64-hex token, once each')
t.ok(wtok not in text and rtok not in text and
     hashlib.sha256(wtok.encode()).hexdigest() + '  write  alice' in text and
     hashlib.sha256(rtok.encode()).hexdigest() + '  read  weblate' in text,
     'the tokens file holds SHA-256 hashes and rights, not the tokens')
t.ok(os.stat(tokfile).st_mode & 0o777 == 0o600, 'the tokens file is made '
     'mode 0600')
with open(tokfile, 'w') as f:  # comments and blank lines are allowed
    f.write('# hexalign serve tokens\n\n   # indented\n' + text)
p = su.run(exe, 'serve', '--new-token', 'x', '--rights', 'admin', '--tokens',
           tokfile)
t.ok(p.returncode == 2, '--rights admin: usage error')

W = {'Authorization': 'Bearer ' + wtok}
R = {'Authorization': 'Bearer ' + rtok}
BAD = {'Authorization': 'Bearer ' + '0' * 64}


def err_json(st, out, want, what):
    return t.ok(st == want and isinstance(out, dict) and
                isinstance(out.get('error'), str) and out['error'],
                '%s: %d with an error message (%d %r)' % (
                    what, want, st, str(out)[:160]))


def q(**kw):
    return urllib.parse.urlencode(kw)


def weblate_get(srv, src, tgt, text, min_similarity=75, max_candidates=10,
                headers=None):
    """The request Weblate's TMServerTranslation.download_translations
    sends: "{url}/{src}/{tgt}/unit/{quoted text}" with the two params."""
    url = srv.url + '/tmserver'
    path = '{}/{}/{}/unit/{}'.format(
        url, src, tgt,
        urllib.parse.quote(text[:500].replace('\r', ' ').encode(), safe=''))
    params = urllib.parse.urlencode({'max_candidates': max_candidates,
                                     'min_similarity': min_similarity})
    return srv.req('GET', path[len(srv.url):] + '?' + params,
                   headers=headers)


def tmp_left():
    """What is left in the servers' TMPDIR once the request is over (the
    server tidies up just after its answer is sent)."""
    for _ in range(100):
        left = os.listdir(os.environ['TMPDIR'])
        if not left:
            break
        time.sleep(0.05)
    return left


srv = su.Server(exe, 'serve', '--db', db, '--listen', '127.0.0.1:0',
                '--tokens', tokfile)
try:
    # ---- reads -----------------------------------------------------
    st, langs, _ = srv.req('GET', '/api/tm/languages', headers=R)
    codes = {x['code']: x['segments'] for x in langs.get('languages', [])}
    t.ok(st == 200 and codes.get('en', 0) > 50 and codes.get('zh', 0) > 50,
         'languages: en and zh with their segments %r' % codes)
    st, stats, _ = srv.req('GET', '/api/tm/stats', headers=R)
    t.ok(st == 200 and stats['units'] == len(udhr) and
         stats['languages'] == codes and stats['segments'] == sum(
             codes.values()), 'stats: %d units, the same languages' %
         stats.get('units', -1))

    st, one, _ = srv.req('GET', '/api/tm/lookup?' +
                         q(source='en', target='zh', q=en0), headers=R)
    m = one['matches'][0] if st == 200 and one['matches'] else {}
    t.ok(m.get('score') == 100 and m.get('target') == zh0 and
         m.get('source') == en0, 'GET look-up: the UDHR pair at 100')
    st, old, _ = srv.req('GET', '/api/lookup?' + q(src='en', tgt='zh', q=en0),
                         headers=R)
    t.ok(st == 200 and old['matches'] == one['matches'],
         '/api/lookup (the pages\') answers the same')

    segs = [en0, long_pairs[1][0], long_pairs[2][0][:-5] + ' now.',
            'Nothing in this text is in the declaration, zebra quartz.']
    st, batch, _ = srv.req('POST', '/api/tm/lookup',
                           {'source': 'en', 'target': 'zh', 'segments': segs,
                            'min': 60, 'max': 4}, headers=R)
    singles = []
    for sg in segs:
        _, o, _ = srv.req('GET', '/api/tm/lookup?' + q(
            source='en', target='zh', q=sg, min=60, max=4), headers=R)
        singles.append(o['matches'])
    t.ok(st == 200 and len(batch['results']) == len(segs) and
         batch['results'] == singles,
         'batch look-up of %d segments equals the single look-ups' %
         len(segs))
    t.ok(batch['results'][3] == [] and batch['results'][2] and
         batch['results'][2][0]['score'] < 100,
         'batch: a fuzzy match, and none for the unrelated text')

    st, cc, _ = srv.req('GET', '/api/tm/concord?' + q(
        source='en', target='zh', q='dignity'), headers=R)
    t.ok(st == 200 and cc['matches'] and all(
        'dignity' in x['source'].lower() for x in cc['matches']),
        'concordance: %d units with "dignity"' % len(cc.get('matches', [])))

    # ---- tmserver, as Weblate asks -----------------------------------
    st, tl, hdr = srv.req('GET', '/tmserver/languages/', headers=R)
    t.ok(st == 200 and set(tl['sourceLanguages']) >= {'en', 'zh'} and
         set(tl['targetLanguages']) >= {'en', 'zh'},
         'tmserver languages/: sourceLanguages, targetLanguages')
    st, lst, hdr = weblate_get(srv, 'en', 'zh_Hans', en0, headers=R)
    first = lst[0] if st == 200 and isinstance(lst, list) and lst else {}
    t.ok(st == 200 and (hdr.get('Content-Type') or '').startswith(
        'application/json') and isinstance(lst, list),
        'tmserver unit: a JSON list')
    t.ok(set(first) == {'source', 'target', 'quality', 'rank'} and
         first['source'] == en0 and first['target'] == zh0 and
         first['quality'] == 100 and first['rank'] == 1 and
         isinstance(first['quality'], int),
         'tmserver unit en -> zh_Hans: source, target, quality 100, rank 1')
    fuzzy = long_pairs[3][0].replace(' the ', ' a ', 1)
    st, lst, _ = weblate_get(srv, 'en', 'zh_Hans', fuzzy, min_similarity=50,
                             max_candidates=3, headers=R)
    t.ok(st == 200 and 1 <= len(lst) <= 3 and
         [x['rank'] for x in lst] == list(range(1, len(lst) + 1)) and
         all(lst[i]['quality'] >= lst[i + 1]['quality']
             for i in range(len(lst) - 1)) and
         all(50 <= x['quality'] <= 100 for x in lst) and
         lst[0]['target'] == long_pairs[3][1],
         'tmserver fuzzy: at most 3, best first, ranks 1.. (%r)' %
         [(x['quality'], x['rank']) for x in lst])
    st, lst, _ = weblate_get(srv, 'zh', 'en', zh0, headers=R)
    t.ok(st == 200 and lst and lst[0]['source'] == zh0 and
         lst[0]['target'] == en0, 'tmserver zh -> en: Chinese source')
    st, lst, _ = weblate_get(srv, 'en', 'zh-CN', en0, headers=R)
    t.ok(st == 200 and lst and lst[0]['target'] == zh0,
         'tmserver en -> zh-CN')
    st, lst, _ = weblate_get(srv, 'en_US', 'zh_Hans',
                             'zebra quartz xylophone', headers=R)
    t.ok(st == 200 and lst == [], 'tmserver: no match is []')
    st, lst, _ = srv.req('GET', '/tmserver/en/zh/unit/' + urllib.parse.quote(
        en0, safe=''), headers=R)
    t.ok(st == 200 and len(lst) <= 3 and lst[0]['quality'] == 100,
         'tmserver defaults (min_similarity 75, max_candidates 3)')

    # ---- tokens: none, bad, read, write -------------------------------
    reads = [('GET', '/api/tm/stats', None),
             ('GET', '/tmserver/languages/', None),
             ('POST', '/api/tm/lookup', {'source': 'en', 'target': 'zh',
                                         'segments': ['Preamble']})]
    for method, path, body in reads:
        st, o, hdr = srv.req(method, path, body)
        t.ok(st == 401 and (hdr.get('WWW-Authenticate') or '').startswith(
            'Bearer') and 'error' in o,
            '%s %s without a token: 401, WWW-Authenticate: Bearer' %
            (method, path))
        st, o, hdr = srv.req(method, path, body, headers=BAD)
        t.ok(st == 401 and 'invalid_token' in (
            hdr.get('WWW-Authenticate') or ''), '%s %s with a bad token: '
            '401' % (method, path))
        st1, _, _ = srv.req(method, path, body, headers=R)
        st2, _, _ = srv.req(method, path, body, headers=W)
        t.ok(st1 == 200 and st2 == 200, '%s %s with a read or write token: '
             '200' % (method, path))
    st, o, _ = srv.req('GET', '/api/tm/stats',
                       headers={'Authorization': 'Basic ' + rtok})
    t.ok(st == 401, 'a token under another scheme than Bearer: 401')
    st, o, _ = srv.req('GET', '/api/tm/stats',
                       headers={'Authorization': 'Bearer ' + rtok[:-1]})
    t.ok(st == 401, 'a token one digit short: 401')

    new_units = [{'en': 'Path a/b? 100% sure, the fox said.',
                  'zh': '狐狸说：路径 a/b？百分之百确定。'},
                 {'en': 'The team memory answers over HTTP.',
                  'zh': '团队记忆库通过 HTTP 回答。', 'fr':
                  'La mémoire d\'équipe répond en HTTP.'}]
    body = {'origin': 'api-test', 'units': new_units}
    st, o, hdr = srv.req('POST', '/api/tm/units', body)
    t.ok(st == 401 and 'Bearer' in (hdr.get('WWW-Authenticate') or ''),
         'add units without a token: 401')
    st, o, _ = srv.req('POST', '/api/tm/units', body, headers=BAD)
    t.ok(st == 401, 'add units with a bad token: 401')
    err_json(*srv.req('POST', '/api/tm/units', body, headers=R)[:2], 403,
             'add units with a read token')
    st, o, _ = srv.req('POST', '/api/tm/import', raw=su.tmx_doc([('a b', 'c')]),
                       ctype='application/x-tmx+xml', headers=R)
    t.ok(st == 403, 'import with a read token: 403')
    st, o, _ = srv.req('GET', '/api/tm/stats', headers=R)
    t.ok(st == 200 and o['units'] == len(udhr), 'refused writes stored '
         'nothing')
    st, docs, _ = srv.req('GET', '/api/documents', headers=R)
    doc = {'document': docs['documents'][0]['name']} if st == 200 else {}
    st1, _, _ = srv.req('POST', '/api/reviews', doc, headers=R)
    st2, _, _ = srv.req('POST', '/api/reviews', doc, headers=W)
    t.ok(st1 == 403 and st2 in (200, 201), 'with tokens, opening a review '
         'wants a write token (%d, %d)' % (st1, st2))
    st, page, _ = srv.req('GET', '/search')
    t.ok(st == 200 and b'<html' in page.lower(), 'the pages need no token')

    # ---- writes ----------------------------------------------------
    st, o, _ = srv.req('POST', '/api/tm/units', body, headers=W)
    t.ok(st == 200 and o['added'] == 2 and o['duplicates'] == 0 and
         o['origin'] == 'api-test', 'add units with a write token: %r' % o)
    st, o, _ = srv.req('POST', '/api/tm/units', body, headers=W)
    t.ok(st == 200 and o['added'] == 0 and o['duplicates'] == 2,
         'the same units again: 2 duplicates')
    st, lk, _ = srv.req('GET', '/api/tm/lookup?' + q(
        source='en', target='zh', q=new_units[0]['en']), headers=R)
    m = lk['matches'][0] if st == 200 and lk['matches'] else {}
    t.ok(m.get('score') == 100 and m.get('target') == new_units[0]['zh'] and
         m.get('origin') == 'api-test', 'an added unit is found, with its '
         'origin')
    st, lst, _ = weblate_get(srv, 'en', 'zh_Hans', new_units[0]['en'],
                             headers=R)
    t.ok(st == 200 and lst and lst[0]['source'] == new_units[0]['en'] and
         lst[0]['quality'] == 100, "tmserver: a text with '/', '?', '%'")
    st, lst, _ = weblate_get(srv, 'fr', 'zh_Hans', new_units[1]['fr'],
                             headers=R)
    t.ok(st == 200 and lst and lst[0]['target'] == new_units[1]['zh'],
         'tmserver fr -> zh_Hans on a three-language unit')

    # A TMX of a few MB, streamed to a file as it comes.
    big = [('Synthetic sentence %d about the shipment of %d crates to '
            'warehouse %d in the northern district.' % (i, i * 7, i % 97),
            '关于向北区%d号仓库运送%d箱货物的第%d个合成句子。' %
            (i % 97, i * 7, i)) for i in range(20000)]
    doc = su.tmx_doc(big)
    t0 = time.time()
    st, o, _ = srv.req('POST', '/api/tm/import?origin=big-upload.tmx',
                       raw=doc, ctype='application/x-tmx+xml', headers=W)
    secs = time.time() - t0
    t.ok(st == 200 and o['added'] == len(big) and o['units'] == len(big) and
         o['origin'] == 'big-upload.tmx',
         'import a %.1f MB TMX upload: %s units added (%.1f s)' %
         (len(doc) / 1e6, o.get('added'), secs))
    st, lk, _ = srv.req('GET', '/api/tm/lookup?' + q(
        source='en', target='zh', q=big[12345][0]), headers=R)
    m = lk['matches'][0] if st == 200 and lk['matches'] else {}
    t.ok(m.get('score') == 100 and m.get('target') == big[12345][1] and
         m.get('origin') == 'big-upload.tmx', 'a unit of the upload is found')
    t.ok(not tmp_left(), 'no upload left in the temporary directory')

    # Streamed: half an upload is in a file on the server before the
    # rest is sent.
    doc2 = su.tmx_doc(big[:3000], 'en', 'de')
    s = socket.create_connection(('127.0.0.1', int(srv.url.rsplit(':', 1)[1])))
    s.sendall(('POST /api/tm/import?origin=slow.tmx HTTP/1.1\r\n'
               'Host: %s\r\nAuthorization: Bearer %s\r\n'
               'Content-Type: application/x-tmx+xml\r\n'
               'Content-Length: %d\r\n\r\n' % (
                   srv.url.split('//')[1], wtok, len(doc2))).encode())
    half = len(doc2) // 2
    s.sendall(doc2[:half])
    size = 0
    for _ in range(100):
        time.sleep(0.05)
        files = [os.path.join(dp, f) for dp, _, fs in
                 os.walk(os.environ['TMPDIR']) for f in fs]
        size = sum(os.path.getsize(f) for f in files)
        if size >= half:
            break
    s.sendall(doc2[half:])
    s.settimeout(60)
    answer = b''
    while b'}' not in answer:
        chunk = s.recv(4096)
        if not chunk:
            break
        answer += chunk
    s.close()
    t.ok(size >= half and b' 200 ' in answer.split(b'\r\n')[0] and
         b'"added":3000' in answer,
         'the upload goes to a file as it comes (%d of %d bytes there '
         'halfway), then imports' % (size, len(doc2)))
    t.ok(not tmp_left(), 'and the file is gone after')

    # Export.
    st, ex, hdr = srv.req('GET', '/api/tm/export?source=en&target=zh',
                          headers=R)
    got = pairs(ex) if st == 200 else []
    t.ok(st == 200 and 'attachment' in (hdr.get('Content-Disposition') or '')
         and len(got) == len(udhr) + len(new_units) + len(big) and
         (new_units[0]['en'], new_units[0]['zh']) in got and big[7] in got,
         'export en-zh: a TMX of %d units, the added ones in it' % len(got))
    st, ex, _ = srv.req('GET', '/api/tm/export', headers=R)
    t.ok(st == 200 and ('La mémoire d\'équipe répond en HTTP.',
                        new_units[1]['zh']) in pairs(ex, 'fr', 'zh'),
         'export of every language keeps the French')

    # ---- bad input: the memory unchanged ------------------------------
    snap = su.memory(exe, db, os.path.join(tmp, 'before.tmx'))
    U, B = '/api/tm/units', '/api/tm/lookup'
    err_json(*srv.req('POST', U, raw=b'{"units": [', headers=W)[:2], 400,
             'malformed JSON')
    err_json(*srv.req('POST', U, raw=b'[1]', headers=W)[:2], 400,
             'an array, not an object')
    err_json(*srv.req('POST', U, {'units': 'x'}, headers=W)[:2], 400,
             'units not an array')
    err_json(*srv.req('POST', U, {'units': [
        {'en': 'A new good unit, stored only with the next.', 'zh': '新'},
        {'en': 'only one language'}]}, headers=W)[:2], 400,
        'a unit with one language after a good one (nothing stored)')
    err_json(*srv.req('POST', U, {'units': [{'en': 'x', 'zh': 5}]},
                      headers=W)[:2], 400, 'a text that is a number')
    err_json(*srv.req('POST', U, {'units': [{'e n': 'x', 'zh': 'y'}]},
                      headers=W)[:2], 400, 'a language that is no code')
    err_json(*srv.req('POST', U, {'origin': 'a\nb', 'units': []},
                      headers=W)[:2], 400, 'an origin with a newline')
    err_json(*srv.req('POST', U, raw=b'{"units":[]}', ctype='text/plain',
                      headers=W)[:2], 415, 'text/plain units')
    err_json(*srv.req('POST', U, raw=b'{"units":["' + b'x' * (2 << 20) +
                      b'"]}', headers=W)[:2], 413, 'a 2 MiB JSON body')
    err_json(*srv.req('POST', B, {'source': 'en', 'target': 'zh',
                                  'segments': ['a'] * 1001}, headers=R)[:2],
             413, 'a batch of 1001 segments')
    err_json(*srv.req('POST', B, {'source': 'en', 'target': 'zh',
                                  'segments': ['a', 3]}, headers=R)[:2],
             400, 'a segment that is a number')
    err_json(*srv.req('POST', B, {'source': 'en', 'target': 'zh',
                                  'segments': ['a'], 'max': 1000},
                      headers=R)[:2], 400, 'batch max 1000')
    err_json(*srv.req('POST', B, {'target': 'zh', 'segments': ['a']},
                      headers=R)[:2], 400, 'batch without a source')
    err_json(*srv.req('GET', '/api/tm/lookup?' + q(
        source='en', target='zh', q='x', max=500), headers=R)[:2], 400,
        'look-up max 500')
    err_json(*srv.req('GET', '/api/tm/lookup?' + q(
        source='en', target='zh', q='x' * 20000), headers=R)[:2], 414,
        'a 20 kB query string')
    err_json(*srv.req('GET', '/api/tm/export?source=en', headers=R)[:2], 400,
             'export with a source and no target')
    bad_tmx = su.tmx_doc([('good', '好')]).replace(b'</body>', b'<tu><tuv>')
    st, o, _ = srv.req('POST', '/api/tm/import?origin=bad.tmx', raw=bad_tmx,
                       ctype='application/x-tmx+xml', headers=W)
    err_json(st, o, 400, 'a bad TMX upload')
    t.ok(isinstance(o, dict) and re.match(r'bad\.tmx:\d+: ', o.get('error',
                                                                    '')),
         'its error is the parser\'s "FILE:LINE: what": %r' % o.get('error'))
    err_json(*srv.req('POST', '/api/tm/import', raw=b'', headers=W)[:2], 400,
             'an empty upload')
    err_json(*srv.req('POST', '/api/tm/import?origin=../x.tmx',
                      raw=su.tmx_doc([('a', 'b')]), headers=W)[:2], 400,
             'an origin with a path')
    err_json(*srv.req('POST', '/api/tm/import', raw=b'not xml at all',
                      headers=W)[:2], 400, 'an upload that is not XML')
    err_json(*srv.req('GET', '/api/tm/nope', headers=R)[:2], 404,
             'unknown route')
    err_json(*srv.req('GET', '/tmserver/en/zh/nounit/x', headers=R)[:2], 404,
             'unknown tmserver route')
    st, o, hdr = srv.req('DELETE', U, headers=W)
    err_json(st, o, 405, 'DELETE units')
    t.ok(hdr.get('Allow') == 'POST', '405 names the method allowed')
    err_json(*srv.req('GET', U, headers=W)[:2], 405, 'GET units')
    err_json(*srv.req('PUT', '/api/tm/lookup', raw=b'{}', headers=W)[:2],
             405, 'PUT look-up')
    err_json(*srv.req('POST', '/tmserver/languages/', raw=b'{}',
                      headers=W)[:2], 405, 'POST tmserver languages')
    err_json(*weblate_get(srv, 'e!n', 'zh', 'x', headers=R)[:2], 400,
             'tmserver: a language that is no code')
    err_json(*weblate_get(srv, 'en', 'zh', 'x', max_candidates=1000,
                          headers=R)[:2], 400, 'tmserver max_candidates 1000')
    err_json(*weblate_get(srv, 'en', 'zh', 'x', min_similarity=101,
                          headers=R)[:2], 400, 'tmserver min_similarity 101')
    err_json(*srv.req('GET', '/tmserver/en/zh/unit/%FF%FE', headers=R)[:2],
             400, 'tmserver: a text that is not UTF-8')
    t.ok(su.memory(exe, db, os.path.join(tmp, 'after.tmx')) == snap,
         'the memory is as before the errors (tm stats, tm export)')
    t.ok(srv.alive() and srv.req('GET', '/api/tm/stats', headers=R)[0] == 200,
         'the server still answers')

    # An idle connection is not kept for ever (--timeout, default 30 s):
    # tested on its own server below with a short one.
finally:
    rc = srv.stop()
t.ok(rc == 0, 'SIGTERM stops the server, exit 0 (%r)' % rc)

# ---- --public-read, a small upload limit, a short timeout -------------
srv = su.Server(exe, 'serve', '--db', db, '--listen', '127.0.0.1:0',
                '--tokens', tokfile, '--public-read', '--max-upload', '1',
                '--timeout', '2')
try:
    st, lst, _ = weblate_get(srv, 'en', 'zh_Hans', en0)
    t.ok(st == 200 and lst and lst[0]['target'] == zh0,
         '--public-read: Weblate\'s request without a token answers')
    st, o, _ = srv.req('GET', '/api/tm/stats')
    t.ok(st == 200, '--public-read: stats without a token')
    st, o, _ = srv.req('POST', '/api/tm/units', {'units': []})
    t.ok(st == 401, '--public-read: writes still want a token')
    snap = su.memory(exe, db, os.path.join(tmp, 'before2.tmx'))
    st, o, _ = srv.req('POST', '/api/tm/import', raw=su.tmx_doc(big[:8000]),
                       ctype='application/x-tmx+xml', headers=W)
    err_json(st, o, 413, 'an upload over --max-upload 1 (MiB)')
    t.ok(su.memory(exe, db, os.path.join(tmp, 'after2.tmx')) == snap,
         'the memory is as before the oversized upload')
    s = socket.create_connection(('127.0.0.1', int(srv.url.rsplit(':', 1)[1])))
    s.sendall(b'GET /api/tm/stats HTTP/1.1\r\nHost: x\r\n')
    s.settimeout(20)
    t0 = time.time()
    try:
        got = s.recv(100)
    except OSError:
        got = None
    waited = time.time() - t0
    s.close()
    t.ok(got == b'' and waited < 15,
         '--timeout 2: a client that stops sending is cut off (%.1f s)' %
         waited)
    t.ok(srv.alive() and srv.req('GET', '/api/tm/stats')[0] == 200,
         'the server still answers')
finally:
    rc = srv.stop()
t.ok(rc == 0, 'and stops cleanly, exit 0 (%r)' % rc)

# ---- without tokens: local only, and no TM writes ----------------------
srv = su.Server(exe, 'serve', '--db', db, '--listen', '127.0.0.1:0')
try:
    st, o, _ = srv.req('GET', '/api/tm/stats')
    t.ok(st == 200, 'no tokens: reads as before')
    st, o, _ = srv.req('POST', '/api/tm/units', {'units': new_units})
    t.ok(st == 403 and '--tokens' in o.get('error', ''),
         'no tokens: add units is 403 "start the server with --tokens"')
    st, o, _ = srv.req('POST', '/api/tm/import', raw=su.tmx_doc([('a', 'b')]))
    t.ok(st == 403 and '--tokens' in o.get('error', ''),
         'no tokens: import is 403')
    st, o, _ = srv.req('POST', '/api/tm/lookup', {
        'source': 'en', 'target': 'zh', 'segments': [en0]})
    t.ok(st == 200 and o['results'][0][0]['target'] == zh0,
         'no tokens: batch look-up works')
finally:
    rc = srv.stop()
t.ok(rc == 0, 'and stops cleanly, exit 0 (%r)' % rc)
p = su.run(exe, 'serve', '--db', db, '--listen', '0.0.0.0:0')
t.ok(p.returncode == 2 and '--tokens' in p.stderr,
     'listening on 0.0.0.0 without --tokens is refused: %r' %
     p.stderr.strip()[:120])
bad = os.path.join(tmp, 'bad-tokens')
with open(bad, 'w') as f:
    f.write('# ok\nnot-a-hash write x\n')
p = su.run(exe, 'serve', '--db', db, '--tokens', bad, '--listen',
           '127.0.0.1:0')
t.ok(p.returncode != 0 and 'bad-tokens:2:' in p.stderr,
     'a bad tokens file names its line: %r' % p.stderr.strip()[:120])
if pg:
    pg.__exit__(None)
t.done()
