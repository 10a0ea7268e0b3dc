#!/bin/sh
# What inline formatting costs pre-translation: one 2,000-paragraph DOCX
# written twice, plain and with formatting in every paragraph (its second
# word bold, its third underlined, its last three italic; a paragraph of
# under six words all bold), the same text in both,
# pre-translated EN -> ZH against the memory of bench/tm-gen.py (N
# generated UN units from the UN Parallel Corpus v1.0 dev set; see
# tm-gen.py for the corpus and its disclaimer), with the XLIFF, the draft
# DOCX and the report written. The memory is plain, as one made by
# aligning past documents is: a formatted sentence is looked up coded,
# then plain, and the codes are put on the target.
#   usage: bench/pretranslate-codes.sh [BUILD_DIR] [UNITS]
#          (default build, 100000 units)
# The document (bench/pt-doc.py) is the one of pretranslate-speed.sh:
# 1,200 memory sentences, 400 with one word changed, 200 held out, 200
# repeated.
# Files are cached under /tmp/hexalign-tm-bench/ (ptc-* files).
# Measured 2026-12-07 (2 cores, build at 6d17df2 + the draft fix, 100k
# units; another build ran at the same time, so read the CPU time):
#   plain  2000 segments, 0 pc/ph:     3.77 s, CPU 1.41 user + 0.50 sys
#   coded  2000 segments, 10188 pc/ph: 9.37 s, CPU 3.45 user + 0.83 sys
# Formatting costs 2.2x the CPU: a formatted sentence that has no coded
# 100% in the memory is looked up twice (coded, then plain). Bands: the
# 1,080 exact matches of formatted sentences become 99 (codes appended,
# never a 100 against a plain memory); all other bands are unchanged.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-100000}
cache=/tmp/hexalign-tm-bench
mkdir -p "$cache"
py=${PYTHON:-python3}
. bench/common.sh
bench_snapshot "$build" ptc
echo "build: $build, $(git log -1 --format='%h %cd' --date=iso 2>/dev/null)"
bench_memory "$n" ptc
$py bench/pt-doc.py "$cache/ptc-plain.docx"
$py bench/pt-doc.py "$cache/ptc-coded.docx" --coded

out=$cache/ptc-out
mkdir -p "$out"
echo "memory: $n units (plain, en-zh)"
for kind in plain coded; do
	doc=$cache/ptc-$kind.docx
	# The first run warms the page cache; the second is measured.
	"$hx" pretranslate --db "$db" -s en -t zh -q "$doc" -o "$out/$kind.xlf" >/dev/null
	/usr/bin/time -f '%e %M %U %S' -o "$cache/ptc-time" "$hx" pretranslate \
		--db "$db" -s en -t zh -q "$doc" -o "$out/$kind.xlf" \
		--docx "$out/$kind.zh.docx" --report "$out/$kind.json"
	read -r secs kb usr sys < "$cache/ptc-time"
	$py - "$out/$kind.json" "$out/$kind.xlf" "$kind" "$secs" "$usr" "$sys" "$kb" <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1]))
x = open(sys.argv[2], encoding='utf-8').read()
kind, secs, usr, sys_, kb = sys.argv[3:8]
segs = r['total']['segments']
codes = len(re.findall(r'<(?:pc|ph) ', x))
bands = ', '.join('%s %d' % (b['band'], b['segments']) for b in r['bands'])
print('%-6s %d segments, %d pc/ph in the XLIFF: %s s (CPU %s user, %s sys), '
      '%.2f ms a segment, peak %d MiB' % (kind, segs, codes, secs, usr, sys_,
      1000 * float(secs) / segs, int(kb) // 1024))
print('       bands: ' + bands)
PY
done
