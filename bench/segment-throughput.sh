#!/bin/sh
# Segmentation throughput of `hexalign segment`, in MB/s of UTF-8 input,
# per language, on the UN Parallel Corpus v1.0 dev set (../shared/data):
# each language file (one sentence per line) is joined into paragraphs of
# 8 sentences so the segmenter has real work, and repeated to about 20 MB.
#   usage: bench/segment-throughput.sh [BUILD_DIR]   (default: build)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
data=../shared/data/un-docs/unpc-v1.0-devset
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x "$build/hexalign" ] || { echo "build $build first" >&2; exit 2; }
printf '%-4s %10s %8s %8s\n' lang bytes seconds MB/s
for lang in en zh ar fr ru es; do
	in="$tmp/in.$lang"
	# 8 sentences per paragraph; zh is joined without a space.
	sep=" "; [ "$lang" = zh ] && sep=""
	awk -v sep="$sep" '{ p = p (NR % 8 == 1 ? "" : sep) $0 } NR % 8 == 0 { print p; p = "" }' \
		"$data/UNv1.0.devset.$lang" > "$tmp/para.$lang"
	: > "$in"
	while [ "$(wc -c < "$in")" -lt 20000000 ]; do cat "$tmp/para.$lang" >> "$in"; done
	bytes=$(wc -c < "$in")
	start=$(date +%s.%N)
	"$build/hexalign" segment -q -l "$lang" "$in" > /dev/null
	end=$(date +%s.%N)
	awk -v l="$lang" -v b="$bytes" -v s="$start" -v e="$end" \
		'BEGIN { t = e - s; printf "%-4s %10d %8.2f %8.2f\n", l, b, t, b / t / 1e6 }'
done
