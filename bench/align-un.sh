#!/bin/sh
# Alignment quality on UN text with many-to-one beads and omissions: makes
# the documents with bench/align-un-synth.py from the UN Parallel Corpus dev
# set (six languages), aligns every en-X pair, and prints strict/lax P/R/F1
# (../shared/eval/align-score) per pair, with joins only and with joins plus
# omissions, and the strict recall of each bead shape.
#   usage: bench/align-un.sh [BUILD_DIR] [extra align options...]
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
[ $# -gt 0 ] && shift
score=../shared/eval/align-score
pairs=${PAIRS:-en-zh,en-ar,en-fr,en-ru,en-es}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# joins/omit: only lines that end as sentences are joined, as translators
# join sentences (the sets the targets are measured on); joins-any/omit-any:
# any neighbouring lines, headings and list labels included.
for mode in joins omit joins-any omit-any; do
	flag=""
	case $mode in omit*) flag=--omit ;; esac
	case $mode in *-any) ;; *) flag="$flag --sentence-joins" ;; esac
	python3 bench/align-un-synth.py "$tmp/$mode" --pairs "$pairs" $flag \
		>/dev/null
	for p in $(echo "$pairs" | tr , ' '); do
		d=$tmp/$mode/$p
		t=${p#en-}
		mkdir -p "$d/gold" "$d/test"
		start=$(date +%s.%N)
		for g in "$d"/*.gold; do
			n=$(basename "$g" .gold)
			cp "$g" "$d/gold/$n"
			"$build/hexalign" align -q --presegmented -l "en,$t" \
				--format beads "$@" "$d/$n.src" "$d/$n.tgt" \
				>"$d/test/$n"
		done
		end=$(date +%s.%N)
		f1=$("$score" "$d/gold" "$d/test" | awk '/^strict/ {print $7}')
		lax=$("$score" "$d/gold" "$d/test" | awk '/^lax/ {print $7}')
		shapes=$(python3 bench/align-shapes.py "$d/gold" "$d/test")
		printf '%-9s %-5s strict F1 %s  lax F1 %s  %5.2f s  %s\n' \
			"$mode" "$p" "$f1" "$lax" "$(echo "$end - $start" | bc)" \
			"$shapes"
	done
done
