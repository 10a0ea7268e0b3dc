#!/usr/bin/env python3
"""A shared memory under load: `hexalign serve` over SQLite and over
PostgreSQL, side by side with the in-process look-up. Prints figures; not
a test.

  bench/tm-serve-bench.py [--build DIR] [--units N] [--backends sqlite,pg]
                          [--clients 1,8,32] [--requests R] [--soak SECS]

For each backend: the import of N six-language units (bench/tm-gen.py from
the UN Parallel Corpus v1.0 dev set, cached under /tmp/hexalign-tm-bench/,
see tm-gen.py for the corpus and its disclaimer) with `hexalign tm import`;
the in-process look-up (`tm lookup --timing`, en->zh, --min 70 --max 5) of
the generated queries, p50/p99; then one `hexalign serve` on the memory and
R look-ups over HTTP (GET /api/tm/lookup, keep-alive connections from
127.0.0.1) at each number of concurrent clients, p50/p99 and requests per
second; then the same through the tmserver route Weblate uses. With
--soak, 8 clients for SECS seconds while the server's resident memory is
sampled every 10 s: the growth after the first minute is what a leak would
show.

PostgreSQL is a throw-away cluster (tests/pg_cluster.py) with
shared_buffers 1GB on this machine's disk, fsync on.
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(root, 'tests'))
import pg_cluster  # noqa: E402

LANGS = 'en,zh,ar,fr,ru,es'
CACHE = '/tmp/hexalign-tm-bench'


def pct(v, p):
    v = sorted(v)
    if not v:
        return float('nan')
    return v[min(len(v) - 1, int(p / 100.0 * len(v)))]


def memory_tmx(n):
    base = os.path.join(CACHE, 'mem-%d-%s' % (n, LANGS.replace(',', '-')))
    if not os.path.exists(base + '.tmx'):
        print('generating %d units...' % n, file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(root, 'bench',
                                                     'tm-gen.py'), str(n),
                        base + '.tmx.part', base + '.tsv', '--langs', LANGS],
                       check=True)
        os.rename(base + '.tmx.part', base + '.tmx')
    queries = [l.rstrip('\n').split('\t', 1)[1]
               for l in open(base + '.tsv', encoding='utf-8') if '\t' in l]
    return base + '.tmx', queries


def timed(cmd, **kw):
    t = time.monotonic()
    p = subprocess.run(['/usr/bin/time', '-f', '%M'] + cmd,
                       capture_output=True, text=True, **kw)
    wall = time.monotonic() - t
    if p.returncode:
        sys.exit('%s: %s' % (' '.join(cmd[:3]), p.stderr[-2000:]))
    kb = int(p.stderr.strip().splitlines()[-1])
    return wall, kb / 1024.0, p


class Server:
    def __init__(self, exe, db, tokens):
        self.p = subprocess.Popen(
            [exe, 'serve', '--db', db, '--listen', '127.0.0.1:0',
             '--tokens', tokens, '--public-read'],
            stderr=subprocess.PIPE, text=True)
        line = self.p.stderr.readline()
        m = re.search(r'serving (http://[^ \n]+)', line)
        if not m:
            self.p.kill()
            sys.exit('serve did not start: ' + line + self.p.stderr.read())
        u = urllib.parse.urlparse(m.group(1))
        self.host, self.port = u.hostname, u.port
        threading.Thread(target=self.p.stderr.read, daemon=True).start()

    def rss_mb(self):
        for l in open('/proc/%d/status' % self.p.pid):
            if l.startswith('VmRSS:'):
                return int(l.split()[1]) / 1024.0
        return float('nan')

    def stop(self):
        self.p.terminate()
        self.p.wait()


def load(srv, paths, clients, until=None):
    """GET each path (split among the clients, each on one keep-alive
    connection): the latencies in ms, the wall time, errors."""
    lat, errors = [], []
    lock = threading.Lock()

    def client(mine):
        c = http.client.HTTPConnection(srv.host, srv.port, timeout=60)
        got = []
        i = 0
        while True:
            if until is None:
                if i >= len(mine):
                    break
                path = mine[i]
            else:
                if time.monotonic() >= until:
                    break
                path = mine[i % len(mine)]
            i += 1
            t = time.perf_counter()
            try:
                c.request('GET', path)
                r = c.getresponse()
                body = r.read()
                if r.status != 200:
                    with lock:
                        errors.append('%d %s' % (r.status, body[:100]))
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    errors.append(str(e))
                c = http.client.HTTPConnection(srv.host, srv.port,
                                               timeout=60)
                continue
            got.append((time.perf_counter() - t) * 1000.0)
        with lock:
            lat.extend(got)

    t = time.monotonic()
    th = [threading.Thread(target=client, args=(paths[k::clients],))
          for k in range(clients)]
    for x in th:
        x.start()
    for x in th:
        x.join()
    return lat, time.monotonic() - t, errors


def bench_backend(args, name, db, tmx, queries, exe, tokens):
    print('== %s, %d units (%s)' % (name, args.units, LANGS), flush=True)
    wall, mb, p = timed([exe, 'tm', 'import', '-q', '--db', db, tmx])
    print('import: %.1f s = %.0f units/s, client peak RSS %.0f MB' %
          (wall, args.units / wall, mb))
    qfile = tempfile.NamedTemporaryFile('w', suffix='.q', delete=False)
    qs = queries[:args.requests]
    qfile.write('\n'.join(qs) + '\n')
    qfile.close()
    wall, mb, p = timed([exe, 'tm', 'lookup', '--db', db, '-s', 'en', '-t',
                         'zh', '--min', '70', '--max', '5', '--json',
                         '--timing', '-f', qfile.name])
    ms = [json.loads(l)['ms'] for l in p.stdout.splitlines() if l.strip()]
    os.unlink(qfile.name)
    print('in-process: %d look-ups, p50 %.2f ms, p99 %.2f ms '
          '(%.1f s wall with open, peak RSS %.0f MB)' %
          (len(ms), pct(ms, 50), pct(ms, 99), wall, mb))
    srv = Server(exe, db, tokens)
    try:
        paths = ['/api/tm/lookup?' + urllib.parse.urlencode(
            {'source': 'en', 'target': 'zh', 'q': q, 'min': 70, 'max': 5})
            for q in qs]
        load(srv, paths[:50], 1)  # warm the caches
        for c in args.clients:
            lat, w, errs = load(srv, paths, c)
            print('http %2d clients: %d look-ups, p50 %.2f ms, p99 %.2f ms, '
                  '%.0f req/s, %d errors%s' %
                  (c, len(lat), pct(lat, 50), pct(lat, 99), len(lat) / w,
                   len(errs), (' (%s)' % errs[0]) if errs else ''))
        tms = ['/tmserver/en/zh_Hans/unit/%s?%s' % (
            urllib.parse.quote(q[:500].replace('\r', ' ').encode(), b''),
            urllib.parse.urlencode({'min_similarity': 75,
                                    'max_candidates': 3})) for q in qs]
        lat, w, errs = load(srv, tms, 8)
        print('tmserver 8 clients: p50 %.2f ms, p99 %.2f ms, %.0f req/s, '
              '%d errors' % (pct(lat, 50), pct(lat, 99), len(lat) / w,
                             len(errs)))
        if args.soak:
            soak(srv, paths, args.soak)
    finally:
        srv.stop()


def soak(srv, paths, secs):
    samples = []
    stop = time.monotonic() + secs
    th = threading.Thread(target=lambda: samples.append(
        load(srv, paths, 8, until=stop)))
    t0 = time.monotonic()
    th.start()
    rss = []
    while th.is_alive():
        rss.append((time.monotonic() - t0, srv.rss_mb()))
        th.join(10)
    lat, w, errs = samples[0]
    after1 = [r for t, r in rss if t >= 60] or [rss[-1][1]]
    print('soak %d s at 8 clients: %d look-ups, p99 %.2f ms, %d errors; '
          'RSS %.1f MB at start, %.1f MB after 1 min, %.1f MB max, %.1f MB '
          'at the end' % (secs, len(lat), pct(lat, 99), len(errs), rss[0][1],
                          after1[0], max(r for _, r in rss), rss[-1][1]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(root, 'build'))
    ap.add_argument('--units', type=int, default=1000000)
    ap.add_argument('--backends', default='sqlite,pg')
    ap.add_argument('--clients', default='1,8,32')
    ap.add_argument('--requests', type=int, default=2000)
    ap.add_argument('--soak', type=int, default=0)
    args = ap.parse_args()
    args.clients = [int(c) for c in args.clients.split(',')]
    exe = os.path.join(os.path.abspath(args.build), 'hexalign')
    os.makedirs(CACHE, exist_ok=True)
    tmx, queries = memory_tmx(args.units)
    random.Random(1).shuffle(queries)
    while len(queries) < args.requests:
        queries += queries
    work = tempfile.mkdtemp(prefix='hexalign-serve-bench-', dir=CACHE)
    tokens = os.path.join(work, 'tokens')
    open(tokens, 'w').close()
    print('build: %s, %s' % (args.build, subprocess.run(
        ['git', '-C', root, 'log', '-1', '--format=%h %cd', '--date=iso'],
        capture_output=True, text=True).stdout.strip()))
    try:
        for b in args.backends.split(','):
            if b == 'sqlite':
                bench_backend(args, 'SQLite', os.path.join(work, 'm.db'),
                              tmx, queries, exe, tokens)
            elif b == 'pg':
                with pg_cluster.Cluster(settings={
                        'shared_buffers': '1GB', 'max_wal_size': '4GB'}) as pg:
                    bench_backend(args, 'PostgreSQL', pg.new_db(), tmx,
                                  queries, exe, tokens)
            else:
                sys.exit('unknown backend ' + b)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
