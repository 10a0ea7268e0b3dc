#!/usr/bin/env python3
"""The review page of `hexalign serve` in headless Chromium, driven as a
person would: the UDHR EN-ZH aligned into a memory, opened from the first
page, then join, split, move, edit, confirm and undo by buttons and by
keys, the filter, save, and the look-up page; afterwards the memory read
with the CLI returns the corrected pair, reviewed. Screenshots go to
$HEXALIGN_SCREENSHOTS when it is set. Skipped (TAP) only when Chromium,
chromedriver or Selenium is not installed.

  serve-browser.py HEXALIGN TESTS_DIR
"""
import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_util as su  # noqa: E402

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
DRIVER = '/usr/bin/chromedriver'
if not os.path.exists(DRIVER):
    DRIVER = shutil.which('chromedriver')
webdriver = su.import_selenium()
if webdriver:
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
if not (CHROMIUM and DRIVER and webdriver):
    print('1..0 # SKIP chromium, chromedriver or python3-selenium is not '
          'installed')
    sys.exit(0)

exe, tests = sys.argv[1], sys.argv[2]
shots = os.environ.get('HEXALIGN_SCREENSHOTS')
t = su.Tap()
tmp = tempfile.mkdtemp(prefix='hexalign-serve-browser-')
db = os.path.join(tmp, 'mem.db')
su.align_db(exe, tests, db)
srv = su.Server(exe, 'serve', '--db', db, '--listen', '127.0.0.1:0')

opts = webdriver.ChromeOptions()
opts.binary_location = CHROMIUM
for a in ('--headless=new', '--no-sandbox', '--disable-gpu',
          '--disable-dev-shm-usage', '--window-size=1400,1000',
          '--user-data-dir=' + os.path.join(tmp, 'profile')):
    opts.add_argument(a)
drv = webdriver.Chrome(service=Service(DRIVER), options=opts)


def wait(cond, what, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            v = cond()
            if v:
                return v
        except Exception:  # the page is being redrawn
            pass
        time.sleep(0.1)
    return t.ok(False, 'timed out waiting: ' + what)


def shot(name):
    if shots:
        os.makedirs(shots, exist_ok=True)
        drv.save_screenshot(os.path.join(shots, name + '.png'))


def review():
    return srv.req('GET', '/api/reviews/0')[1]


def cells():
    return [[list(c) for c in r['cells']] for r in review()['rows']]


def dom_rows():
    return drv.execute_script("return document.querySelectorAll('#body tr')"
                              ".length")


def status():
    return drv.find_element(By.ID, 'status').text


def keys(*k):
    ActionChains(drv).send_keys(*k).perform()


def chord(mod, key):
    ActionChains(drv).key_down(mod).send_keys(key).key_up(mod).perform()


def cell(row, lang):
    return drv.find_element(
        By.CSS_SELECTOR, "#row-%d td.cell[data-lang='%d']" % (row, lang))


def synced():
    """The page has drawn the server's last answer."""
    u = review()
    return drv.find_element(By.ID, 'counts').text.endswith(
        'undo %d' % u['undo']) and dom_rows() == len(u['rows'])


def select(row, lang, sent=0):
    def go():
        c = cell(row, lang)
        spans = c.find_elements(By.CSS_SELECTOR, '.sent')
        (spans[sent] if spans else c).click()
        return 'sel' in drv.find_element(By.ID, 'row-%d' % row) \
            .get_attribute('class')
    wait(synced, 'the page drawn')
    wait(go, 'row %d selected' % row)


try:
    drv.get(srv.url + '/')
    btn = wait(lambda: drv.find_element(By.CSS_SELECTOR,
                                        'button.open-review'),
               'the document list')
    shot('01-documents')
    btn.click()
    wait(lambda: drv.find_elements(By.ID, 'row-0'), 'the review page')
    orig = cells()
    n = len(orig)
    t.ok(n > 10 and dom_rows() == n, 'review page: %d rows drawn' % n)
    low = drv.find_elements(By.CSS_SELECTOR, '#body tr.low, #body tr.lone')
    t.ok(all(r['score'] < 0.9 or sum(1 for c in r['cells'] if c) < 2
             for r in review()['rows']
             if 'row-%d' % r['row'] in [e.get_attribute('id') for e in low])
         , 'highlighted rows are the doubtful or lone ones (%d)' % len(low))
    shot('02-review')

    # Join by key, undo by button, on two 1-1 rows in a row.
    def one(r):
        return len(r[0]) == 1 and len(r[1]) == 1
    j = next(i for i in range(n - 1) if one(orig[i]) and one(orig[i + 1]))
    select(j, 0)
    keys('J')
    t.ok(wait(lambda: len(cells()) == n - 1 and dom_rows() == n - 1,
              'join'), 'J joins rows %d and %d' % (j, j + 1))
    shot('03-joined')
    drv.find_element(By.ID, 'btn-undo').click()
    t.ok(wait(lambda: cells() == orig and dom_rows() == n, 'undo'),
         'the Undo button takes the join back')

    # Join by button, split by key before the sentence of the second.
    select(j, 0)
    drv.find_element(By.ID, 'btn-join').click()
    t.ok(wait(lambda: len(cells()) == n - 1, 'join by button'),
         'the Join button joins')
    select(j, 0, 1)
    keys('S')
    t.ok(wait(lambda: cells() == orig, 'split'),
         'S splits the joined row back into the two it was')
    keys('u')
    keys('u')
    wait(lambda: len(cells()) == n and cells() == orig, 'two undos')

    # Move: the first zh sentence of row 2 to row 1 (Alt-Up), Ctrl-Z.
    select(2, 1)
    chord(Keys.ALT, Keys.ARROW_UP)
    t.ok(wait(lambda: cells()[1][1] == orig[1][1] + orig[2][1][:1],
              'move up'), 'Alt-Up moves a sentence to the row above')
    shot('04-moved')
    chord(Keys.CONTROL, 'z')
    t.ok(wait(lambda: cells() == orig, 'ctrl-z'), 'Ctrl-Z undoes the move')
    select(1, 1)
    drv.find_element(By.ID, 'btn-down').click()
    t.ok(wait(lambda: cells()[2][1] == orig[1][1][-1:] + orig[2][1],
              'move down'), 'the Move down button moves one down')
    drv.find_element(By.ID, 'btn-undo').click()
    wait(lambda: cells() == orig, 'undo the move down')

    # Edit and confirm the first 1-1 row past the title.
    fix = next(i for i, r in enumerate(orig) if i > 3 and
               len(r[0]) == 1 and len(r[1]) == 1)
    en = orig[fix][0][0]
    new_zh = '人人有权享有浏览器里校对过的译文。'
    select(fix, 1)
    keys('E')
    ta = wait(lambda: cell(fix, 1).find_element(By.TAG_NAME, 'textarea'),
              'the editor')
    chord(Keys.CONTROL, 'a')
    ta.send_keys(Keys.DELETE)
    ta.send_keys(new_zh)
    shot('05-editing')
    chord(Keys.CONTROL, Keys.ENTER)
    t.ok(wait(lambda: cells()[fix][1] == [new_zh] and
              cell(fix, 1).text == new_zh, 'edit'),
         'E edits the cell, Ctrl-Enter keeps it')
    keys('C')
    t.ok(wait(lambda: review()['rows'][fix]['confirmed'] and 'confirmed' in
              drv.find_element(By.ID, 'row-%d' % fix).get_attribute('class'),
              'confirm'), 'C confirms the row')
    drv.find_element(By.ID, 'btn-confirm').click()
    wait(lambda: not review()['rows'][fix]['confirmed'], 'unconfirm')
    drv.find_element(By.ID, 'btn-confirm').click()
    t.ok(wait(lambda: review()['rows'][fix]['confirmed'], 'confirm again'),
         'the Confirm button toggles it')
    shot('06-confirmed')

    # The filter hides rows at or over the threshold (not the selected).
    drv.find_element(By.ID, 'filter-on').click()
    under = sum(1 for r in review()['rows'] if r['score'] < 0.9)
    t.ok(wait(lambda: dom_rows() <= under + 1, 'filter'),
         'filter: %d rows under 0.9 shown' % under)
    shot('07-filtered')
    drv.find_element(By.ID, 'filter-on').click()
    wait(lambda: dom_rows() == n, 'filter off')

    # TMX link and save.
    rv = drv.find_element(By.ID, 'reviewer')
    rv.send_keys('browser-tester')
    rv.send_keys(Keys.TAB)
    href = drv.find_element(By.ID, 'tmx').get_attribute('href')
    t.ok('/api/reviews/0/tmx?reviewer=browser-tester' in href,
         'the TMX link names the reviewer')
    drv.find_element(By.ID, 'btn-save').click()
    t.ok(wait(lambda: status().startswith('saved'), 'save'),
         'Save: ' + status())
    t.ok(not review()['modified'], 'saved: not modified')
    shot('08-saved')

    # The look-up page finds the corrected pair with its document.
    drv.get(srv.url + '/search')
    q = wait(lambda: drv.find_element(By.ID, 'q'), 'the search page')
    q.send_keys(en)
    q.send_keys(Keys.ENTER)
    m = wait(lambda: drv.find_element(By.CSS_SELECTOR, '#results .match'),
             'a match')
    t.ok(m and new_zh in m.text and 'from ' in m.text,
         'the look-up page shows the corrected pair and its document')
    q.clear()
    words = en.split()
    words[len(words) // 2] = 'zzzz'
    q.send_keys(' '.join(words))
    drv.find_element(By.ID, 'min').clear()
    drv.find_element(By.ID, 'min').send_keys('50')
    drv.find_element(By.ID, 'go').click()
    t.ok(wait(lambda: drv.find_elements(By.CSS_SELECTOR,
                                        '#results ins, #results del'),
              'marked differences'), 'a fuzzy match marks what differs')
    shot('09-lookup')
    drv.find_element(By.CSS_SELECTOR, 'input[value=concord]').click()
    q.clear()
    q.send_keys('dignity')
    drv.find_element(By.ID, 'go').click()
    t.ok(wait(lambda: drv.find_elements(By.CSS_SELECTOR, '#results mark'),
              'concordance'), 'concordance marks the term')
    shot('10-concordance')
    logs = [e for e in drv.get_log('browser') if e['level'] == 'SEVERE']
    t.ok(not logs, 'no errors in the browser console %r' % logs[:3])
finally:
    drv.quit()
    rc = srv.stop()
t.ok(rc == 0, 'the server stops cleanly')

line = su.lookup_from_line(exe, db, en, new_zh)
t.ok(line and 'points off' not in line,
     'CLI look-up returns the corrected pair, no penalty (%r)' % line)
su.run(exe, 'tm', 'export', '--db', db, '-o', os.path.join(tmp, 'x.tmx'))
x = open(os.path.join(tmp, 'x.tmx'), encoding='utf-8').read()
unit = next((u for u in re.findall(r'<tu[ >].*?</tu>', x, re.S)
             if new_zh in u), '')
t.ok('x-reviewed' in unit and 'yes' in unit and 'browser-tester' in unit,
     'the unit is marked reviewed, by browser-tester')
t.done()
