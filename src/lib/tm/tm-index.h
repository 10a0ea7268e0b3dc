/*
 * tm-index.h - the n-gram index of the memory: the keys of its posting
 * lists, and the accumulator an import fills and writes them with
 * (tm-index.c). tm-import.c adds to it; tm-lookup.c reads the lists by the
 * same keys.
 *
 * Index. Every segment is cut into the tokens the score counts (match.c),
 * and the ones that are not punctuation are its index tokens, by their
 * loose form (case-folded, every number one class). The memory keeps, per
 * language, the posting list of every index-token unigram (concordance)
 * and bigram (fuzzy look-up), of every number as written, and of the
 * loose form of the whole segment: the units whose segment holds it. A
 * fuzzy look-up counts, for each unit, the query bigrams its segment
 * shares; by the q-gram lemma (Ukkonen 1992, "Approximate string-matching
 * with q-grams and maximal matches", Theoretical Computer Science 92) a
 * segment within edit distance d of a query shares at least (n - 1) - 2d
 * of its n - 1 bigrams (an edit destroys at most two, and dropping
 * punctuation from both sides does not add edits), so each candidate has
 * a best possible score, from that count and from the two lengths, and
 * candidates are scored exactly best bound first until no bound left can
 * beat the results. Bigrams held by more than a fixed number of segments
 * ("of the", "的") are skipped, but for the rarest two: they select
 * little and cost the most to read; each skipped bigram counts as shared
 * in the bound, so the filter stays safe. The whole-segment gram finds
 * exact and number-only matches even when every bigram is frequent.
 *
 * Posting lists: unit numbers delta-coded as varints (each segment's
 * token count, for the bound, is kept once per unit apart from them),
 * one chunk per gram per import, so an import never rewrites what earlier
 * imports stored. An import collects (gram, unit) pairs in memory, 256
 * partitions by gram, sorts each partition (a radix sort over a megabyte or
 * two, in cache) into a compressed run when memory is full, and at the end
 * merges the runs gram by gram: every row reaches SQLite once, in key order.
 */
#ifndef HX_TM_INDEX_H
#define HX_TM_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <hexalign/error.h>

#include "tm/match-private.h"
#include "tm/tmstore.h"

/* Index tokens per segment (longer segments index their start). */
#define MAX_INDEX_TOK 512
/* Tokens of a segment kept in compact form (longer ones are scored from
 * their text alone). */
#define MAX_TOKS 4096
/* Languages of one import (the store allows 63). */
#define MAX_LANGS 64

static inline uint32_t hx__mix32(uint32_t h)
{
	/* The 32-bit finaliser of MurmurHash3 (Appleby, public domain). */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/* Unigrams (concordance) and numbers as written have the top bit clear,
 * bigrams and whole segments set. A collision between two grams only
 * adds candidates, which the exact score then rejects. */
static inline uint32_t hx__uni_key(uint32_t t)
{
	return hx__mix32(t ^ 0x9e3779b9u) & 0x7fffffffu;
}

static inline uint32_t hx__num_key(uint32_t num)
{
	return hx__mix32(num ^ 0x5bd1e995u) & 0x7fffffffu;
}

static inline uint32_t hx__bi_key(uint32_t a, uint32_t b)
{
	return (hx__mix32(a * 31u + hx__mix32(b)) | 0x80000000u);
}

static inline uint32_t hx__full_key(uint32_t loose)
{
	return hx__mix32(loose ^ 0x27d4eb2fu) | 0x80000000u;
}

/* The bigrams of a segment's index tokens (whole tokens, not parts);
 * one token alone is a bigram with nothing. Returns how many. */
static inline size_t hx__bigrams(const struct hx__index_tok *t, size_t n,
				 uint32_t *g)
{
	size_t k = 0, prev = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		if (t[i].part)
			continue;
		if (prev != SIZE_MAX)
			g[k++] = hx__bi_key(t[prev].key, t[i].key);
		prev = i;
	}
	if (!k && prev != SIZE_MAX)
		g[k++] = hx__bi_key(t[prev].key, 0);
	return k;
}

/* The compact token forms are stored little-endian, so that a memory
 * file moves between machines (as SQLite files do); a no-op on most. */
static inline void hx__le16(uint16_t *v, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	for (size_t i = 0; i < n; i++)
		v[i] = (uint16_t)(v[i] << 8 | v[i] >> 8);
#else
	(void)v, (void)n;
#endif
}

/* A growable byte buffer. */
struct hx__bytes {
	unsigned char *b;
	size_t n, cap;
};

int hx__bytes_room(struct hx__bytes *x, size_t more);

/* Pairs of one partition: gram << 32 | (unit - first unit of the run). */
struct hx__part {
	uint64_t *v;
	size_t n, cap;
};

/* Where one partition's run lies in the run file. */
struct hx__run_at {
	long long off;
	size_t len;
};

struct hx__accum {
	struct hx__part *parts[MAX_LANGS]; /* 256 each, by gram >> 24 */
	struct hx__bytes lens[MAX_LANGS];  /* token count by unit - base */
	int64_t base;			   /* the import's first unit */
	char langs[MAX_LANGS][16];
	size_t nlangs;
	int64_t first; /* the first unit of the run being collected */
	size_t pairs;  /* pairs held */
	/* Sorted runs: kept in memory while there is one, in a temporary
	 * file when there are more. */
	struct hx__run_at *at; /* [run][lang][256] */
	size_t nruns;
	struct hx__bytes mem;
	FILE *file;
	long long file_len;
};

void hx__accum_free(struct hx__accum *a);

/* The index of lang among the import's languages, added when new; -1 when
 * there are MAX_LANGS already, -2 when memory runs out. */
int hx__accum_lang(struct hx__accum *a, const char *lang);

static inline int hx__accum_add(struct hx__accum *a, int lang, uint32_t g,
				uint32_t off)
{
	struct hx__part *p = &a->parts[lang][g >> 24];
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap + p->cap / 2 : 1024;
		uint64_t *v = realloc(p->v, cap * sizeof(*v));
		if (!v)
			return HX_ENOMEM;
		p->v = v, p->cap = cap;
	}
	p->v[p->n++] = (uint64_t)g << 32 | off;
	a->pairs++;
	return HX_OK;
}

/* Sort what is held into a run (in memory, or the run file when there are
 * more). */
int hx__accum_run(struct hx__accum *a, hx_error *err);

/* Write every gram of the runs to the store, one chunk per gram, in
 * (language, gram) order. */
int hx__accum_write(struct hx__accum *a, hx__store *st, hx_error *err);

#endif
