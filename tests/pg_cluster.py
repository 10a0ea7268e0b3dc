#!/usr/bin/env python3
"""A throw-away PostgreSQL cluster for tests and benchmarks: initdb and
pg_ctl in a temporary folder, as an unprivileged user (initdb refuses
root: when run as root the cluster belongs to 'postgres' or 'nobody'),
listening on a Unix socket in that folder only, trust authentication for
the superuser 'hexalign'. Stopped and removed when done.

As a module:
    with pg_cluster.Cluster() as pg:
        conninfo = pg.new_db()      # a fresh empty database
As a command (runs CMD with HX_TEST_PG set to the conninfo of the
cluster's 'postgres' database and PGHOST/PGUSER/PGPORT for psql):
    pg_cluster.py CMD ARGS...

No PostgreSQL server binaries (Debian package postgresql): exit 1 with a
message, not a skip: CI installs it, so a missing one is a setup error.
"""
import atexit
import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

SUPERUSER = 'hexalign'


def bindir():
    """The folder of initdb/pg_ctl: pg_config's, else the newest
    /usr/lib/postgresql/N/bin (Debian keeps them off PATH)."""
    for d in sorted(glob.glob('/usr/lib/postgresql/*/bin'),
                    key=lambda p: int(p.split('/')[-2]) if
                    p.split('/')[-2].isdigit() else 0, reverse=True):
        if os.path.exists(os.path.join(d, 'initdb')):
            return d
    w = shutil.which('initdb')
    return os.path.dirname(w) if w else None


class Cluster:
    def __init__(self, port=5432, settings=None):
        self.bin = bindir()
        if not self.bin:
            raise RuntimeError('no PostgreSQL server (initdb) found: '
                               'install the Debian package postgresql')
        self.port = port
        self.settings = settings or {}
        self.dir = tempfile.mkdtemp(prefix='hexalign-pg-')
        os.chmod(self.dir, 0o755)
        self.data = os.path.join(self.dir, 'data')
        self.log = os.path.join(self.dir, 'log')
        self.user = None
        if os.geteuid() == 0:
            for name in ('postgres', 'nobody'):
                try:
                    self.user = pwd.getpwnam(name)
                    break
                except KeyError:
                    pass
            os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)
        self.ndb = 0

    def _demote(self):
        if self.user:
            os.setgroups([])
            os.setgid(self.user.pw_gid)
            os.setuid(self.user.pw_uid)

    def _run(self, *args):
        env = dict(os.environ, LC_ALL='C.UTF-8')
        if self.user:
            env['HOME'] = self.dir
        p = subprocess.run(list(args), capture_output=True, text=True,
                           preexec_fn=self._demote, env=env, cwd=self.dir)
        if p.returncode:
            raise RuntimeError('%s: %s%s' % (' '.join(args), p.stdout,
                                             p.stderr))
        return p

    def start(self):
        self._run(os.path.join(self.bin, 'initdb'), '-D', self.data, '-U',
                  SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8',
                  '--no-sync')
        opts = ["-c listen_addresses=''", '-k ' + self.dir,
                '-p %d' % self.port, '-c fsync=on']
        opts += ['-c %s=%s' % kv for kv in self.settings.items()]
        self._run(os.path.join(self.bin, 'pg_ctl'), '-D', self.data, '-l',
                  self.log, '-w', '-t', '60', '-o', ' '.join(opts), 'start')
        # A script that dies on an exception leaves no server behind.
        atexit.register(self.__exit__, None)
        return self

    def stop(self, mode='fast'):
        try:
            self._run(os.path.join(self.bin, 'pg_ctl'), '-D', self.data,
                      '-m', mode, '-w', 'stop')
        except RuntimeError:
            pass

    def conninfo(self, db='postgres'):
        return 'host=%s port=%d user=%s dbname=%s' % (self.dir, self.port,
                                                     SUPERUSER, db)

    def psql(self, sql, db='postgres'):
        p = subprocess.run([os.path.join(self.bin, 'psql'), '-X', '-q',
                            '-v', 'ON_ERROR_STOP=1', '-At', '-d',
                            self.conninfo(db), '-c', sql],
                           capture_output=True, text=True)
        if p.returncode:
            raise RuntimeError('psql: ' + p.stderr)
        return p.stdout

    def new_db(self, prefix='hx'):
        """A fresh empty database: its conninfo."""
        self.ndb += 1
        name = '%s_%d_%d' % (prefix, os.getpid(), self.ndb)
        self.psql('CREATE DATABASE %s TEMPLATE template0' % name)
        return self.conninfo(name)

    def env(self):
        return {'HX_TEST_PG': self.conninfo(), 'PGHOST': self.dir,
                'PGPORT': str(self.port), 'PGUSER': SUPERUSER,
                'PGDATABASE': 'postgres'}

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if os.path.exists(self.dir):
            self.stop()
            shutil.rmtree(self.dir, ignore_errors=True)


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with Cluster() as pg:
            env = dict(os.environ, **pg.env())
            return subprocess.run(argv, env=env).returncode
    except RuntimeError as e:
        print('pg_cluster: %s' % e, file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
