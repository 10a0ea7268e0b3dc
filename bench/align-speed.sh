#!/bin/sh
# Alignment speed and peak memory on a long document pair: the EN-ZH Bible
# of ../shared/data/gold-align/bertalign-bible-en-zh (5000 English and
# 6301 Chinese sentences, pre-segmented), best of 3 runs.
# Reference (same machine, issue #3): hunalign with a CC-CEDICT
# dictionary, 2.4 s and 96 MB.
#   usage: bench/align-speed.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
b=../shared/data/gold-align/bertalign-bible-en-zh
[ -x "$build/hexalign" ] || { echo "build $build first" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
best=""
for run in 1 2 3; do
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$build/hexalign" align -q \
		--presegmented -l en,zh --format beads "$b/en/001" "$b/zh/001" \
		> "$tmp/beads"
	read -r secs kb < "$tmp/time"
	if [ -z "$best" ] || [ "$(echo "$secs < $best" | bc)" = 1 ]; then
		best=$secs mem=$kb
	fi
done
n=$(($(wc -l < "$b/en/001") + $(wc -l < "$b/zh/001")))
awk -v s="$best" -v m="$mem" -v n="$n" 'BEGIN {
	printf "bible en-zh: %d sentences in %.2f s = %.0f sentences/s, peak memory %.1f MB\n",
		n, s, n / s, m / 1024 }'
