#!/usr/bin/env python3
"""Make UN test documents with many-to-one beads and omissions, and a gold.

The UN Parallel Corpus dev set (../shared/data/un-docs/unpc-v1.0-devset) is
six-way parallel, one sentence a line: line n of every language is the same
sentence. From it this script makes, for a pair en-X, documents whose gold
alignment is known but is no longer 1-1:

  2-1  two English sentences, one X sentence (the X side joined)
  1-2  one English sentence, two X sentences (the English side joined)
  3-1, 1-3  the same with three
  2-2  English a | b+c against X a+b | c (no finer bead exists)
  1-0, 0-1  a run of 1-3 lines deleted on one side ("omissions")

Joining uses a space, or nothing for Chinese, as translators' text does.
Whole source documents (by the .ids file) are kept together, and
consecutive documents are grouped into files of at least --min-lines lines.
The choices come from a seeded generator, so a run is repeatable.

usage: align-un-synth.py OUT_DIR [--pairs en-zh,en-ar,...] [--omit]
                         [--seed N] [--min-lines N]
Writes OUT_DIR/PAIR/NAME.{src,tgt,gold} (gold in the bead format of
../shared/eval/align-score) and prints the bead counts by shape.
"""
import argparse
import collections
import os
import random
import re
import sys

DEVSET = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                      'shared', 'data', 'un-docs', 'unpc-v1.0-devset')

# Probability that a bead starting here takes each shape (the rest is 1-1).
# Set well above real UN rates (Gale and Church 1993 saw 2-1 and 1-2 in about
# 9% of beads) so that every shape is seen hundreds of times per pair.
SHAPES = [((2, 1), 0.06), ((1, 2), 0.05), ((3, 1), 0.01), ((1, 3), 0.015),
          ((2, 2), 0.015)]
OMIT_P = 0.012  # a deletion run starts here (each side)


def read_lines(lang):
    with open(os.path.join(DEVSET, 'UNv1.0.devset.' + lang),
              encoding='utf-8') as f:
        return [l.rstrip('\n') for l in f]


def documents(min_lines):
    """Line ranges [a, b) of consecutive source documents, grouped."""
    with open(os.path.join(DEVSET, 'UNv1.0.devset.ids'),
              encoding='utf-8') as f:
        ids = [l.split()[0] for l in f]
    files, start = [], 0
    for i in range(1, len(ids) + 1):
        if i == len(ids) or (ids[i] != ids[i - 1] and
                             i - start >= min_lines):
            if i == len(ids) and files and i - start < min_lines // 2:
                files[-1] = (files[-1][0], i)  # a short tail joins the last
            else:
                files.append((start, i))
            start = i
    return files


def join(parts, lang):
    return ('' if lang == 'zh' else ' ').join(parts)


# A sentence a translator would join to the next ends like one (closing
# quotes and brackets aside); a heading, a list label or a table cell does
# not ("Agenda item 9", "Liechtenstein").
SENTENCE_END = re.compile(r'[.!?;:\u3002\uff01\uff1f\uff1b\uff1a]'
                          r'[\s"\'\u201d\u2019)\]\u00bb]*$')


def joinable(src, k, n):
    """Lines k .. k+n-2 of the English all end as sentences."""
    return all(SENTENCE_END.search(src[x]) for x in range(k, k + n - 1))


def make(src, tgt, tlang, a, b, rng, omit, sentences_only=False):
    """One document from lines [a, b): source lines, target lines, beads."""
    s_out, t_out, gold = [], [], []
    k = a
    while k < b:
        if omit and rng.random() < 2 * OMIT_P:
            run = min(rng.randint(1, 3), b - k)
            keep_src = rng.random() < 0.5
            for x in range(run):
                if keep_src:  # kept in the source, deleted from the target
                    gold.append(([len(s_out)], []))
                    s_out.append(src[k + x])
                else:
                    gold.append(([], [len(t_out)]))
                    t_out.append(tgt[k + x])
            k += run
            continue
        r, shape = rng.random(), (1, 1)
        for sh, p in SHAPES:
            if r < p:
                shape = sh
                break
            r -= p
        n = max(shape)
        if k + n > b or (sentences_only and n > 1 and
                         not joinable(src, k, 3 if shape == (2, 2) else n)):
            shape, n = (1, 1), 1
        lines_s, lines_t = src[k:k + n], tgt[k:k + n]
        if shape == (2, 2):
            if k + 3 > b:
                shape, n = (1, 1), 1
                lines_s, lines_t = src[k:k + 1], tgt[k:k + 1]
            else:
                n = 3
                s_new = [src[k], join(src[k + 1:k + 3], 'en')]
                t_new = [join(tgt[k:k + 2], tlang), tgt[k + 2]]
                gold.append(([len(s_out), len(s_out) + 1],
                             [len(t_out), len(t_out) + 1]))
                s_out += s_new
                t_out += t_new
                k += 3
                continue
        if shape[0] == 1 and n > 1:
            s_new, t_new = [join(lines_s, 'en')], lines_t
        elif shape[1] == 1 and n > 1:
            s_new, t_new = lines_s, [join(lines_t, tlang)]
        else:
            s_new, t_new = lines_s, lines_t
        gold.append((list(range(len(s_out), len(s_out) + len(s_new))),
                     list(range(len(t_out), len(t_out) + len(t_new)))))
        s_out += s_new
        t_out += t_new
        k += n
    return s_out, t_out, gold


def bead_str(bead):
    return '[%s]:[%s]' % (', '.join(map(str, bead[0])),
                          ', '.join(map(str, bead[1])))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--pairs', default='en-zh,en-ar,en-fr,en-ru,en-es')
    ap.add_argument('--omit', action='store_true',
                    help='also delete runs of lines on either side')
    ap.add_argument('--seed', type=int, default=13)
    ap.add_argument('--sentence-joins', action='store_true',
                    help='join only lines that end as sentences, never a '
                    'heading, label or table cell to its neighbour')
    ap.add_argument('--min-lines', type=int, default=150)
    args = ap.parse_args()
    en = read_lines('en')
    for pair in args.pairs.split(','):
        slang, tlang = pair.split('-')
        if slang != 'en':
            sys.exit('align-un-synth: pairs are en-X')
        tgt = read_lines(tlang)
        rng = random.Random('%d-%s-%d' % (args.seed, pair, args.omit))
        d = os.path.join(args.out, pair)
        os.makedirs(d, exist_ok=True)
        count = collections.Counter()
        for n, (a, b) in enumerate(documents(args.min_lines)):
            s, t, gold = make(en, tgt, tlang, a, b, rng, args.omit,
                              args.sentence_joins)
            name = os.path.join(d, '%02d' % n)
            for ext, lines in (('src', s), ('tgt', t),
                               ('gold', map(bead_str, gold))):
                with open(name + '.' + ext, 'w', encoding='utf-8') as f:
                    f.write('\n'.join(lines) + '\n')
            count.update('%d-%d' % (len(g[0]), len(g[1])) for g in gold)
        print(pair, ' '.join('%s:%d' % kv for kv in sorted(count.items())))


if __name__ == '__main__':
    main()
