#!/bin/sh
# Alignment quality on the gold sets in ../shared/data/gold-align, scored
# with ../shared/eval/align-score (strict and lax P/R/F1):
#   Champollion EN-ZH (hand-aligned UN, Hansard, Sinorama documents), the
#   UN document alone, and the EN-ZH Bible (verse-derived gold).
#   usage: bench/align-quality.sh [BUILD_DIR] [extra align options...]
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
[ $# -gt 0 ] && shift
shared=../shared
score=$shared/eval/align-score
champ=$shared/data/gold-align/champollion-en-zh/utf8
bible=$shared/data/gold-align/bertalign-bible-en-zh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/gold" "$tmp/test"
for g in "$champ"/*.gold.align; do
	name=$(basename "$g" .gold.align)
	if [ -f "$champ/$name.e.txt" ]; then
		e=$champ/$name.e.txt c=$champ/$name.c.txt
	else
		e=$champ/${name}e.txt c=$champ/${name}c.txt
	fi
	cp "$g" "$tmp/gold/$name"
	start=$(date +%s.%N)
	"$build/hexalign" align -q --presegmented -l en,zh --format beads "$@" \
		"$e" "$c" > "$tmp/test/$name"
	end=$(date +%s.%N)
	printf '%s: %s s\n' "$name" "$(echo "$end - $start" | bc)"
done
echo "== Champollion EN-ZH, 4 documents"
"$score" "$tmp/gold" "$tmp/test"
echo "== Champollion EN-ZH, UN19930101_020"
"$score" "$tmp/gold/UN19930101_020" "$tmp/test/UN19930101_020"
echo "== Bible EN-ZH (5000/6301 sentences)"
start=$(date +%s.%N)
"$build/hexalign" align -q --presegmented -l en,zh --format beads "$@" \
	"$bible/en/001" "$bible/zh/001" > "$tmp/bible"
end=$(date +%s.%N)
printf 'time: %s s\n' "$(echo "$end - $start" | bc)"
"$score" "$bible/gold/001.align" "$tmp/bible"
