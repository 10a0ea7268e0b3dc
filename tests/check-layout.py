#!/usr/bin/env python3
"""Fail when the layout of the sources breaks one of its two rules.

usage: check-layout.py SOURCE_ROOT

1. The command line (src/cli/) includes only the public headers
   (<hexalign/...>) and its own: what it needs of the library is API.
2. The files of src/lib/ depend on each other one way: A depends on B
   when A calls a private (hx__) function that B defines, declared in a
   header A includes;
   no file reaches itself through that relation (no two modules that
   call into each other, so each can be read, tested and replaced from
   the bottom up).
"""
import os
import re
import sys

root = sys.argv[1]
bad = []

cli = os.path.join(root, 'src', 'cli')
for f in sorted(os.listdir(cli)):
    if not f.endswith(('.c', '.h')):
        continue
    for n, line in enumerate(open(os.path.join(cli, f)), 1):
        m = re.match(r'\s*#\s*include\s*"([^"]+)"', line)
        if m and os.path.dirname(m.group(1)):
            bad.append('src/cli/%s:%d: includes "%s" (only <hexalign/...> '
                       'and src/cli headers)' % (f, n, m.group(1)))

lib = os.path.join(root, 'src', 'lib')
files = {}
for d, _, fs in os.walk(lib):
    for f in fs:
        if f.endswith(('.c', '.h')):
            p = os.path.join(d, f)
            files[os.path.relpath(p, lib)] = open(p, encoding='utf-8').read()

decl = re.compile(r'^[a-zA-Z_][\w \*]*?\b(hx__\w+)\s*\(', re.M)
defs = {}  # function -> .c file defining it
for name, text in files.items():
    if name.endswith('.c'):
        for m in re.finditer(r'^[a-zA-Z_][\w \*]*?\b(hx__\w+)\s*\([^;{]*\)\s*\{',
                             text, re.M):
            defs[m.group(1)] = name
declares = {h: set(decl.findall(t)) for h, t in files.items() if h.endswith('.h')}


def headers(text):
    return re.findall(r'^\s*#\s*include\s*"([^"]+)"', text, re.M)


def closure(name, seen):
    for h in headers(files[name]):
        if h in files and h not in seen:
            seen.add(h)
            closure(h, seen)
    return seen


deps = {}
for name in files:
    if not name.endswith('.c'):
        continue
    deps[name] = set()
    for h in closure(name, set()):
        for fn in declares.get(h, ()):
            other = defs.get(fn)
            if other and other != name and \
                    re.search(r'\b%s\s*\(' % fn, files[name]):
                deps[name].add(other)

# Depth-first search for a cycle.
state = {}
for start in sorted(deps):
    stack = [(start, iter(sorted(deps[start])))]
    path = [start]
    state[start] = 1 if start not in state else state[start]
    if state[start] == 2:
        continue
    while stack:
        node, it = stack[-1]
        nxt = next(it, None)
        if nxt is None:
            state[node] = 2
            stack.pop()
            path.pop()
            continue
        if state.get(nxt) == 1:
            cyc = path[path.index(nxt):] + [nxt]
            bad.append('src/lib: a cycle: ' + ' -> '.join(cyc))
            state[nxt] = 2
            continue
        if state.get(nxt) is None:
            state[nxt] = 1
            stack.append((nxt, iter(sorted(deps[nxt]))))
            path.append(nxt)

for b in bad:
    print(b)
print('%d library files, %d dependencies, %d problems' %
      (len(deps), sum(len(v) for v in deps.values()), len(bad)))
sys.exit(1 if bad else 0)
