/*
 * match-private.h - what the translation memory's index (tm.c) takes from
 * the scorer: the same tokens, so that what the index counts is what the
 * score counts.
 */
#ifndef HX_MATCH_PRIVATE_H
#define HX_MATCH_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hexalign/match.h>

/* An index token: a token that is not punctuation, by its loose hash
 * (case-folded, numbers as one class), with the hash of its digits when it
 * holds a number (0 otherwise). part: one piece of a joined word
 * ("Assemblée" of "l'Assemblée"), for whole-word search only. */
struct hx__index_tok {
	uint32_t key, num;
	bool part;
};

/* hx_match_seg_new() into *s, reusing its memory (*s may be NULL). */
int hx__match_seg_reuse(hx_match_seg **s, const char *text, size_t len,
			hx_error *err);

/* The index tokens of s (text is the text it was made from), at most cap;
 * returns how many. */
size_t hx__match_seg_index(const hx_match_seg *s, const char *text,
			   struct hx__index_tok *out, size_t cap);

/* Prepare q, a query scored against many segments, for a cheaper
 * rejection of those far from it (HX_ENOMEM when memory is short; the
 * query works unprepared too). hx__match_seg_reuse() undoes it. */
int hx__match_seg_prepare(hx_match_seg *q);

/* Each token's loose form in 16 bits (at most cap); returns how many.
 * Two tokens with different loose forms may share these 16 bits, so an
 * edit distance over them is at most the real one: a bound, as the
 * translation memory uses it. */
size_t hx__match_seg_loose16(const hx_match_seg *s, uint16_t *out, size_t cap);

/* One hash of every token's loose form: equal for two segments whose
 * difference is only numbers, punctuation, case or white space. */
uint32_t hx__match_seg_loose_hash(const hx_match_seg *s);

/* Token i of s: its byte span and flags (HX__TOK_NUMBER, HX__TOK_PUNCT,
 * HX__TOK_TAG; none for a word). */
enum { HX__TOK_NUMBER = 1, HX__TOK_PUNCT = 2, HX__TOK_TAG = 4 };
void hx__match_seg_token(const hx_match_seg *s, size_t i, size_t *start,
			 size_t *end, unsigned *flags);

#endif
