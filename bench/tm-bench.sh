#!/bin/sh
# Translation memory benchmark: import time, database size, look-up latency
# (p50/p99), peak memory of the look-up and recall of the index against
# --exhaustive, on memories of N units built by bench/tm-gen.py from the UN
# Parallel Corpus v1.0 dev set (Ziemski et al. 2016; see tm-gen.py for the
# corpus disclaimer and how units are varied), EN -> ZH, --min 70 --max 5.
# Targets (issue): import <= 60 s at 1M units; look-up two orders of
# magnitude faster than Translate Toolkit (bench/tm-tt-reference.py).
#   usage: bench/tm-bench.sh [--langs en,zh,...] [BUILD_DIR] [SIZES...]
#          (default build, sizes 100000 1000000, all six languages)
# Generated memories, queries and --exhaustive results are cached under
# /tmp/hexalign-tm-bench/ (the latter per memory and per version of the
# scorer, src/lib/tm/match.c, which alone decides them);
# TM_BENCH_FRESH=1 recomputes the --exhaustive results; TM_BENCH_KEEP=1
# keeps the memory files (run-N-LANGS.db) for a closer look. --exhaustive runs on
# every query up to 100k units and on a sample of 60 (every 5th) above.
set -eu
cd "$(dirname "$0")/.."
langs=en,zh,ar,fr,ru,es
if [ "${1:-}" = --langs ]; then
	langs=$2
	shift 2
fi
build=${1:-build}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- 100000 1000000
[ -x "$build/hexalign" ] || { echo "build $build first" >&2; exit 2; }
cache=/tmp/hexalign-tm-bench
mkdir -p "$cache"
py=${PYTHON:-python3}
# A private copy of the binary and its library (RUNPATH $ORIGIN), so that a
# rebuild during the run (it takes minutes at 1M) cannot mix two builds:
# a memory written by one build and read by the next can be unreadable.
snap=$(mktemp -d "$cache/bin.XXXXXX")
trap 'rm -rf "$snap"' EXIT
cp "$build/hexalign" "$snap/"
[ -e "$build/libhexalign.so.0" ] && cp -L "$build/libhexalign.so.0" "$snap/"
hx=$snap/hexalign
bin_id=$(cat "$snap"/* | md5sum | cut -c1-12)
lname=$(echo "$langs" | tr , -)
echo "build: $build, $(git log -1 --format='%h %cd' --date=iso 2>/dev/null)$(
	git status --porcelain -- src include 2>/dev/null | grep -q . &&
	echo ' + uncommitted changes'), binary $bin_id"

for n in "$@"; do
	base=$cache/mem-$n-$lname
	if [ ! -s "$base.tmx" ] || [ bench/tm-gen.py -nt "$base.tmx" ]; then
		echo "generating $n units ($langs)..." >&2
		$py bench/tm-gen.py "$n" "$base.tmx.part" "$base.tsv" \
			--langs "$langs"
		mv "$base.tmx.part" "$base.tmx"
	fi
	cut -f2 "$base.tsv" > "$base.q"
	tmxmb=$(du -m "$base.tmx" | cut -f1)

	db=$cache/run-$n-$lname.db
	rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
	/usr/bin/time -f '%e %M' -o "$cache/time" "$hx" tm import --db "$db" \
		"$base.tmx" 2> "$cache/import.err" || {
		cat "$cache/import.err" >&2; exit 1; }
	read -r isecs ikb < "$cache/time"
	icounts=$(grep -o '[0-9]* units read.*' "$cache/import.err" || true)
	dbmb=$(du -m "$db" | cut -f1)

	/usr/bin/time -f '%e %M' -o "$cache/time" "$hx" tm lookup --db "$db" \
		-s en -t zh --min 70 --max 5 --json --timing -f "$base.q" \
		> "$base.ours" 2> "$cache/lookup.err" || {
		cat "$cache/lookup.err" >&2; exit 1; }
	read -r lsecs lkb < "$cache/time"

	# Ground truth: --exhaustive on all queries (<= 100k) or every 5th.
	if [ "$n" -le 100000 ]; then
		cp "$base.tsv" "$base.sample.tsv"
	else
		awk 'NR % 5 == 1' "$base.tsv" > "$base.sample.tsv"
	fi
	cut -f2 "$base.sample.tsv" > "$base.sample.q"
	sq=$(wc -l < "$base.sample.q")
	ex=$base.exhaustive-m$(md5sum src/lib/tm/match.c | cut -c1-12).jsonl
	if [ ! -s "$ex" ] || [ "$base.tmx" -nt "$ex" ] || \
	   [ -n "${TM_BENCH_FRESH:-}" ]; then
		echo "running --exhaustive on $sq queries of $n units..." >&2
		/usr/bin/time -f '%e %M' -o "$cache/time.ex" "$hx" tm lookup \
			--db "$db" -s en -t zh --min 70 --max 5 --json --timing \
			--exhaustive -f "$base.sample.q" > "$ex.part"
		mv "$ex.part" "$ex"
		cp "$cache/time.ex" "$ex.time"
	fi
	read -r esecs ekb < "$ex.time"

	echo "== $n units, $langs, en->zh (TMX $tmxmb MB)"
	awk -v s="$isecs" -v kb="$ikb" -v db="$dbmb" -v n="$n" 'BEGIN {
		printf "import: %.2f s = %.0f units/s, peak memory %.1f MB; database %d MB\n",
			s, n / s, kb / 1024, db }'
	echo "import: $icounts"
	awk -v s="$lsecs" -v kb="$lkb" -v q="$(wc -l < "$base.q")" 'BEGIN {
		printf "lookup: %d queries in %.2f s wall (open included), peak RSS %.1f MB\n",
			q, s, kb / 1024 }'
	awk -v s="$esecs" -v kb="$ekb" -v q="$sq" 'BEGIN {
		printf "exhaustive: %d queries in %.1f s wall, peak RSS %.1f MB\n",
			q, s, kb / 1024 }'
	$py bench/tm-report.py "$base.tsv" "$base.ours" "$ex" --label "$n"
	[ -n "${TM_BENCH_KEEP:-}" ] || rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
done
