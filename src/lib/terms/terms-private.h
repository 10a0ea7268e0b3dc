/*
 * terms-private.h - what the files of terms/ share: the memory read into
 * RAM (terms-corpus.c), the n-gram keys both the miner and the term base
 * check count with (terms-ngram.c), and the inside of the result handles
 * that terms-write.c writes.
 */
#ifndef HX_TERMS_PRIVATE_H
#define HX_TERMS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hexalign/match.h>
#include <hexalign/terms.h>

#define HX__TERMS_LANGS 16

/* One unit: its segments by corpus language index (NULL where none). */
struct hx__tunit {
	int64_t id;
	char *text[HX__TERMS_LANGS];
	uint32_t len[HX__TERMS_LANGS];
};

struct hx__corpus {
	char lang[HX__TERMS_LANGS][16];
	size_t nlangs;
	int en; /* index of English, -1 when none */
	struct hx__tunit *u;
	size_t n, cap;
	size_t nen; /* units with English */
};

/* Read a memory or a TMX file (by content) into c; HX_EFORMAT when it
 * holds no unit or no English. */
int hx__corpus_load(struct hx__corpus *c, const char *path, hx_error *err);
void hx__corpus_free(struct hx__corpus *c);

/* A word of a segment: its bytes and the 64-bit hash of its key. */
struct hx__tword {
	uint32_t start, end;
	uint64_t key; /* 0: a break (punctuation, number, code) */
};

/* The words of text in lang, in order, breaks included, into *w (grown,
 * *cap its room); *n set. Hyphenated words ("CWG-COP") are one word.
 * Keys: case-folded (English, Chinese) or as the lexicon keys them
 * (lexicon.h: Arabic proclitics split, light stems), so that inflected
 * forms count as one. seg is scratch (may hold NULL). */
int hx__twords(struct hx__tword **w, size_t *n, size_t *cap, hx_match_seg **seg,
	       const char *lang, const char *text, size_t len, bool stem,
	       hx_error *err);

/* Whether a folded English word is a stop word, and whether it may stand
 * inside a term ("of", "and", "on"...). */
bool hx__en_stop(const char *w, size_t len, bool *inner);
/* Whether a word of lang may not open or close a translation. */
bool hx__tgt_stop(const char *lang, const char *w, size_t len);

uint64_t hx__thash(const char *s, size_t len);
static inline uint64_t hx__tmix(uint64_t h, uint64_t k)
{
	h ^= k + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h ? h : 1;
}

/* The association of the translations of one source n-gram: given the
 * units (indexes into c) holding it, the best target n-gram in language
 * index l, by Dice against the units that lack it. The best maximal one
 * into *tr (text malloc'd into *text); false when none is good enough.
 * alt_skip (may be 0): a key no answer may contain (check-base: the
 * preferred term). Runs per call over every unit of c for the df. */
struct hx__assoc;
int hx__assoc_new(struct hx__assoc **out, const struct hx__corpus *c, int l);
void hx__assoc_free(struct hx__assoc *a);
/* Up to max answers, best first: texts malloc'd, counts, Dice. */
struct hx__answer {
	char *text;
	size_t freq;
	double dice;
	int64_t example;
};
int hx__assoc_run(struct hx__assoc *a, const uint32_t *units, size_t nunits,
		  struct hx__answer *ans, size_t max, size_t *nans,
		  size_t *with_lang, hx_error *err);

struct hx_terms {
	struct hx__corpus c;
	hx_terms_candidate *cand;
	size_t ncand;
	/* what the candidates point into */
	hx_terms_translation *trans;
	hx_terms_example *ex;
	char **strs;
	size_t nstrs, strs_cap;
};

struct hx_terms_check {
	hx_terms_finding *f;
	size_t n, cap;
	hx_terms_alt *alts;
	size_t nalts, alts_cap;
	char **strs;
	size_t nstrs, strs_cap;
};

#endif
