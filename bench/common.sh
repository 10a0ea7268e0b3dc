# Sourced by the bench scripts (sh): a private copy of the binary, and
# the generated en-zh memory they share.

# bench_snapshot BUILD TAG: copy BUILD's hexalign and its library
# (RUNPATH $ORIGIN) under $cache, so that a rebuild during the run cannot
# mix two builds; sets hx and snap, and removes the copy at exit.
bench_snapshot() {
	[ -x "$1/hexalign" ] || { echo "build $1 first" >&2; exit 2; }
	snap=$(mktemp -d "$cache/$2-bin.XXXXXX")
	trap 'rm -rf "$snap"' EXIT
	cp "$1/hexalign" "$snap/"
	[ -e "$1/libhexalign.so.0" ] && cp -L "$1/libhexalign.so.0" "$snap/"
	hx=$snap/hexalign
}

# bench_memory N TAG: N generated en-zh units (bench/tm-gen.py) as a TMX
# and imported into $cache/TAG-N-en-zh.db; sets tmx and db. A memory an
# older schema made is refused by this build: it is imported again.
bench_memory() {
	tmx=$cache/mem-$1-en-zh.tmx
	if [ ! -s "$tmx" ]; then
		echo "generating $1 units (en,zh)..." >&2
		$py bench/tm-gen.py "$1" "$tmx.part" "$cache/mem-$1-en-zh.tsv" --langs en,zh
		mv "$tmx.part" "$tmx"
	fi
	db=$cache/$2-$1-en-zh.db
	if [ ! -s "$db" ] || [ "$tmx" -nt "$db" ] ||
		! "$hx" tm stats --db "$db" >/dev/null 2>&1; then
		rm -f "$db" "$db-wal" "$db-shm"
		echo "importing $tmx..." >&2
		/usr/bin/time -f '%e' -o "$cache/$2-time" "$hx" tm import --db "$db" "$tmx" >&2
		echo "import: $(cat "$cache/$2-time") s"
	fi
}
