/*
 * tm-private.h - the inside of an hx_tm handle, shared by the files of the
 * memory: tm.c (open, free, stats, export), tm-import.c (which holds the
 * store while a batch runs) and tm-lookup.c (whose per-handle caches live
 * here so that they outlast one look-up).
 */
#ifndef HX_TM_PRIVATE_H
#define HX_TM_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hexalign/match.h>

#include "tm/tmstore.h"

/* Per-handle scratch of the fuzzy look-up, kept from one look-up to the
 * next: by unit number, the bigrams shared, number matches (and 0x80 for
 * the whole-segment gram) and the segment's token count. */
/* Bits of scan.bonus besides the count of numbers. */
#define FULL 0x80 /* in the whole-segment list */
#define DONE 0x40 /* scored already */
#define NUMS 0x3f

struct scan_unit {
	uint8_t cnt, bonus, len; /* together: one cache line per unit */
};

struct scan {
	struct scan_unit *e; /* by unit */
	size_t cap;
	uint32_t *touched;
	size_t ntouched, tcap;
};

/* The compact forms of one language held in memory: a handle that serves
 * many look-ups reads them once, and then scores most candidates without
 * a read. at[unit] is where unit's form starts in v ([count, tokens...]),
 * 0 for none (units added since are read from the store). */
struct toks_cache {
	char lang[16];
	void *region; /* at and v, one mapping (see cache_map) */
	uint32_t *at;
	size_t nat;
	uint16_t *v;
	size_t n, cap;
	unsigned uses; /* look-ups in lang before it was loaded */
	bool loaded, failed;
};

/* The token counts of one language's segments, by unit, read once per
 * handle (1 MB per million units) and again when a posting names a unit
 * past them (the memory grew). */
struct lens_cache {
	char lang[16];
	unsigned char *v;
	size_t n;
	bool loaded, stale;
};

struct hx_tm {
	hx__store *st;
	char *path;
	char *where; /* as opened (a conninfo may hold a password) */
	struct scan scan;
	struct toks_cache cache;
	struct lens_cache lens;
	/* A batch's threads hold the store: the handle waits for its
	 * commit (or its end) before anything else. */
	bool importing;
	hx_match_seg *seg; /* a candidate's tokens */
};

#endif
