#!/usr/bin/env python3
"""Speed of `hexalign serve` on a 1,000-row alignment: the review JSON
over HTTP, the review page until its last row is drawn (headless Chromium,
when installed), one edit, and a save into the memory. Prints figures;
not a test.

  bench/serve-bench.py [BUILD_DIR] [ROWS]
"""
import os
import shutil
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(root, 'tests'))
import serve_util as su  # noqa: E402

# Before anything starts: it may hand the script to another python.
webdriver = su.import_selenium() if shutil.which('chromium') else None
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, 'build')
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
exe = os.path.join(build, 'hexalign')
tmp = tempfile.mkdtemp(prefix='hexalign-serve-bench-')
en, zh = os.path.join(tmp, 'en.txt'), os.path.join(tmp, 'zh.txt')
with open(en, 'w') as f, open(zh, 'w') as g:
    for i in range(rows):
        f.write('The Council adopted resolution %d on the protection of '
                'children online in session %d.\n' % (i, i % 17))
        g.write('理事会在第%d届会议上通过了关于上网儿童保护的第%d号决议。\n'
                % (i % 17, i))
db = os.path.join(tmp, 'mem.db')
p = su.run(exe, 'align', '-q', '--presegmented', '-l', 'en,zh', '--db', db,
           '-o', os.path.join(tmp, 'a.tmx'), en, zh)
if p.returncode:
    sys.exit('align: ' + p.stderr)
srv = su.Server(exe, 'serve', '--db', db, '--listen', '127.0.0.1:0')
try:
    name = srv.req('GET', '/api/documents')[1]['documents'][0]['name']
    rid = srv.req('POST', '/api/reviews', {'document': name})[1]['id']
    base = '/api/reviews/' + rid
    t0 = time.perf_counter()
    n = len(srv.req('GET', base)[1]['rows'])
    t_json = time.perf_counter() - t0
    t0 = time.perf_counter()
    srv.req('POST', base + '/ops', {'op': 'confirm', 'row': 5})
    t_op = time.perf_counter() - t0
    t_page = None
    if webdriver and shutil.which('chromedriver'):
        from selenium.webdriver.chrome.service import Service
        o = webdriver.ChromeOptions()
        for a in ('--headless=new', '--no-sandbox',
                  '--user-data-dir=' + os.path.join(tmp, 'profile')):
            o.add_argument(a)
        d = webdriver.Chrome(service=Service(shutil.which('chromedriver')),
                             options=o)
        try:
            d.get(srv.url + '/')  # the browser started and warm
            t0 = time.perf_counter()
            d.get(srv.url + '/review?id=' + rid)
            while not d.execute_script(
                    "return !!document.getElementById('row-%d')" % (n - 1)):
                time.sleep(0.005)
            t_page = time.perf_counter() - t0
        finally:
            d.quit()
    t0 = time.perf_counter()
    st = srv.req('POST', base + '/save', {'reviewer': 'bench'})[1]
    t_save = time.perf_counter() - t0
finally:
    srv.stop()
print('rows                 %d' % n)
print('review JSON (GET)    %.1f ms' % (t_json * 1e3))
print('one edit (confirm)   %.1f ms' % (t_op * 1e3))
print('review page drawn    %s' % ('%.1f ms' % (t_page * 1e3) if t_page
                                   else 'n/a (no chromium)'))
print('save                 %.1f ms (%r)' % (t_save * 1e3, st))
