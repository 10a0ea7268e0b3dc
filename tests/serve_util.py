"""What the `hexalign serve` tests share: TAP lines, a memory made by
`hexalign align --db` from the shipped UDHR, a server started on a free
port and stopped, and JSON requests to it.
"""
import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request

UDHR = ('data/html/udhr/eng.html', 'data/html/udhr/cmn_hans.html')


def import_selenium():
    """selenium's webdriver, or None. Debian's python3-selenium is for
    /usr/bin/python3: another interpreter (a pyenv one running meson)
    hands the script over to that one once."""
    try:
        from selenium import webdriver
        return webdriver
    except ImportError:
        pass
    system = '/usr/bin/python3'
    if (os.path.exists(system) and not os.environ.get('HEXALIGN_REEXEC') and
            os.path.realpath(sys.executable) != os.path.realpath(system)):
        os.environ['HEXALIGN_REEXEC'] = '1'
        sys.stdout.flush()
        os.execv(system, [system] + sys.argv)
    return None


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, msg):
        self.n += 1
        if not cond:
            self.failed += 1
        print('%s %d - %s' % ('ok' if cond else 'not ok', self.n, msg),
              flush=True)
        return cond

    def done(self):
        print('1..%d' % self.n)
        sys.exit(1 if self.failed else 0)


def run(exe, *args, env=None):
    e = dict(os.environ, SOURCE_DATE_EPOCH='1767225600')
    e.update(env or {})
    return subprocess.run([exe] + list(args), capture_output=True,
                          text=True, env=e)


def align_db(exe, tests, db, tmx=None):
    p = run(exe, 'align', '-q', '-l', 'en,zh', '--db', db, '-o',
            tmx or db + '.tmx', *[os.path.join(tests, f) for f in UDHR])
    if p.returncode:
        raise RuntimeError('align: ' + p.stderr)


def lookup_from_line(exe, db, en, target):
    """`tm lookup` of en: the 'from:' line of the match whose target is
    target (where a penalty would be named), or None."""
    p = run(exe, 'tm', 'lookup', '--db', db, '-s', 'en', '-t', 'zh', en)
    lines = p.stdout.splitlines()
    for i, l in enumerate(lines):
        if l.strip() == target:
            for m in lines[i + 1:i + 3]:
                if m.strip().startswith('from:'):
                    return m.strip()
    return None


def memory(exe, db, path):
    """What the memory holds, as text to compare: stats and the export."""
    p = run(exe, 'tm', 'export', '--db', db, '-o', path)
    st = run(exe, 'tm', 'stats', '--db', db).stdout
    body = open(path, encoding='utf-8').read() if p.returncode == 0 else ''
    # The file size moves with SQLite's page reuse, not with the units.
    st = '\n'.join(l for l in st.splitlines() if not l.startswith('file'))
    return st + '\n' + body


def tmx_doc(units, lang_a='en', lang_b='zh'):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
           '<header creationtool="test" creationtoolversion="1" '
           'segtype="sentence" o-tmf="test" adminlang="en" srclang="en" '
           'datatype="plaintext"/>\n<body>\n']
    for a, b in units:
        out.append('<tu><tuv xml:lang="%s"><seg>%s</seg></tuv>'
                   '<tuv xml:lang="%s"><seg>%s</seg></tuv></tu>\n' %
                   (lang_a, a, lang_b, b))
    out.append('</body>\n</tmx>\n')
    return ''.join(out).encode()


def memory_db(tmp, backend, pg=None, name='mem'):
    """A memory to make: (path or conninfo, cluster). On 'pg' a fresh
    database of pg, or of a cluster started here (the caller stops it)."""
    if backend != 'pg':
        return os.path.join(tmp, name + '.db'), None
    if pg is None:
        import pg_cluster
        pg = pg_cluster.Cluster().start()
    return pg.new_db(), pg


class Server:
    """`hexalign ARGS...` serving on a free port; url once it says so."""

    def __init__(self, exe, *args):
        self.p = subprocess.Popen([exe] + list(args),
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        self.url = None
        self.stderr = []
        got = threading.Event()

        def read():
            for line in self.p.stderr:
                self.stderr.append(line)
                if line.startswith('hexalign: serving ') and not self.url:
                    self.url = line.split()[2].rstrip('/')
                    got.set()
            got.set()

        threading.Thread(target=read, daemon=True).start()
        got.wait(120)
        if not self.url:
            self.stop()
            raise RuntimeError('no URL: ' + ''.join(self.stderr))

    def alive(self):
        return self.p.poll() is None

    def stop(self):
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(60)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        return self.p.returncode

    def req(self, method, path, body=None, raw=None, ctype=None,
            headers=None):
        """(status, parsed JSON or bytes, headers)."""
        data = raw if raw is not None else (
            None if body is None else json.dumps(body).encode())
        h = dict(headers or {})
        if data is not None:
            h['Content-Type'] = ctype or 'application/json'
        r = urllib.request.Request(self.url + path, data=data,
                                   method=method, headers=h)
        try:
            with urllib.request.urlopen(r, timeout=120) as resp:
                status, out, hdr = resp.status, resp.read(), resp.headers
        except urllib.error.HTTPError as e:
            status, out, hdr = e.code, e.read(), e.headers
        if (hdr.get('Content-Type') or '').startswith('application/json'):
            try:
                out = json.loads(out)
            except ValueError:
                pass
        return status, out, hdr
