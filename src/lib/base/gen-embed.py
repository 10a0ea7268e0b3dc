#!/usr/bin/env python3
"""Embed a data file into C as a byte array: gen-embed.py SYMBOL IN OUT.

Used at build time so that the shipped SRX rules compile into the library.
"""
import sys

sym, src, dst = sys.argv[1:4]
data = open(src, 'rb').read()
with open(dst, 'w') as f:
    f.write('/* generated from %s by gen-embed.py; do not edit */\n' % src.split('/')[-1])
    f.write('#include <stddef.h>\n')
    f.write('extern const unsigned char %s[];\nextern const size_t %s_len;\n' % (sym, sym))
    f.write('const unsigned char %s[] = {\n' % sym)
    for i in range(0, len(data), 16):
        f.write(''.join('%d,' % b for b in data[i:i + 16]) + '\n')
    f.write('0};\nconst size_t %s_len = %d;\n' % (sym, len(data)))
