#!/bin/sh
# Term matching speed: a ~50,000-word English document against a
# 2,000-term base, matched in one pass (termmatch.h), as `hexalign check`
# does for its term rules. Target: <= 0.5 s.
#   usage: bench/check-speed.sh [BUILD_DIR]   (default: build)
# The document: the English seed (C26/15-E, ../shared/seeds/004_*.txt)
# followed by UN Parallel Corpus v1.0 dev set sentences
# (../shared/data/un-docs/unpc-v1.0-devset) up to 50,000 words. The term
# base: the English terms of tm/cwg-cop.tbx plus the most frequent word
# 2- and 3-grams of the dev set that neither start nor end with a function
# word (a TSV written here), 2,000 terms in all. The driver is
# bench/termmatch-bench.c; it prints the best of 5 runs, then the same
# with a crude plural stemmer (the stem pass hunspell would plug into).
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
seed=$(ls ../shared/seeds/004_*.txt)
unpc=../shared/data/un-docs/unpc-v1.0-devset/UNv1.0.devset.en
drv="$build/bench/termmatch-bench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x "$drv" ] || { echo "build $build first (ninja -C $build bench/termmatch-bench)" >&2; exit 2; }

{ cat "$seed"; cat "$unpc"; } | awk '{ n += NF; print } n >= 50000 { exit }' > "$tmp/doc.txt"

real=$("$build/bench/termmatch-bench" "$tmp/doc.txt" tm/cwg-cop.tbx | awk '/^terms:/ { print $2 }')
python3 - "$unpc" $((2000 - real)) > "$tmp/ngrams.tsv" <<'PY'
import collections, re, sys
stop = set('''a an and are as at be by for from has have in is it its of on or
that the this to was were which with not their they all been who will also
its these those such other any than more most can may should shall would'''.split())
words = re.findall(r"[A-Za-z][A-Za-z'-]*", open(sys.argv[1], encoding='utf-8').read())
count = collections.Counter()
for n in (2, 3):
    for i in range(len(words) - n + 1):
        g = words[i:i + n]
        if g[0].lower() in stop or g[-1].lower() in stop:
            continue
        count[' '.join(g).lower()] += 1
print('concept\tlanguage\tterm\tstatus')
for i, (g, _) in enumerate(count.most_common(int(sys.argv[2]))):
    print(f'n{i}\ten\t{g}\tadmitted')
PY

echo "== exact and normalised forms"
"$drv" "$tmp/doc.txt" tm/cwg-cop.tbx "$tmp/ngrams.tsv"
echo "== with a stemmer (plural -s)"
"$drv" --plural "$tmp/doc.txt" tm/cwg-cop.tbx "$tmp/ngrams.tsv"
