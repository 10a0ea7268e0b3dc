/*
 * match.h - fuzzy match scores between two segments of the same language,
 * and the word-level difference that explains them.
 *
 * The score is defined as 100 * (1 - d / max(|a|, |b|)) where |x| is the
 * number of tokens of x and d the edit distance (insertions, deletions,
 * substitutions, each 1) between the token sequences; tokens are words
 * (ICU word boundaries) for space-delimited languages and characters for
 * Chinese; spaces are not tokens. Then:
 *  - identical token sequences score 100 (a difference in white space
 *    only still scores 100, with HX_MATCH_DIFF_SPACE set);
 *  - sequences that differ only in numbers, punctuation or case score 99
 *    (and the match says which), so a pre-translation can fix the
 *    numbers; any other edit scores at most 98, however long the segment;
 *  - each inline-code placeholder (U+E000...) that differs costs a
 *    penalty of 1 point, on top of its edit, and caps the score at 99.
 * Scores are integers 0..100; hx_match_score returns HX_ENOMEM (negative)
 * if memory runs out, which is below any threshold.
 */
#ifndef HEXALIGN_MATCH_H
#define HEXALIGN_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What kind of difference a near-100 match has (bit set). */
enum {
	HX_MATCH_DIFF_NUMBERS = 1,
	HX_MATCH_DIFF_PUNCT = 2,
	HX_MATCH_DIFF_CASE = 4,
	HX_MATCH_DIFF_SPACE = 8,
	HX_MATCH_DIFF_TAGS = 16,
	HX_MATCH_DIFF_WORDS = 32
};

/** One step of the difference of a query against a match source. */
typedef enum hx_diff_op {
	HX_DIFF_SAME = 0,
	HX_DIFF_INSERT, /**< in the query, not in the source */
	HX_DIFF_DELETE, /**< in the source, not in the query */
	HX_DIFF_REPLACE /**< query token(s) in place of source token(s) */
} hx_diff_op;

typedef struct hx_diff {
	hx_diff_op op;
	size_t q_start, q_end; /**< byte offsets into the query */
	size_t s_start, s_end; /**< byte offsets into the source */
} hx_diff;

/** A tokenised segment, reusable for many comparisons. */
typedef struct hx_match_seg hx_match_seg;

/** Tokenise UTF-8 text of language `lang` ("zh" -> characters). */
HX_EXTERN int hx_match_seg_new(hx_match_seg **out, const char *lang,
			       const char *text, size_t len, hx_error *err);
HX_EXTERN void hx_match_seg_free(hx_match_seg *s);
/** Number of tokens. */
HX_EXTERN size_t hx_match_seg_count(const hx_match_seg *s);

/**
 * Score q against s (0..100); *diff_kinds (may be NULL) gets the
 * HX_MATCH_DIFF_* bits. `min` lets the scorer give up early: when the
 * score is certainly below min it returns a value below min (not
 * necessarily exact). Length alone bounds the score, so most candidates
 * are rejected in O(1).
 */
HX_EXTERN int hx_match_score(const hx_match_seg *q, const hx_match_seg *s,
			     int min, unsigned *diff_kinds);

/**
 * The difference of q against s, as runs of tokens (adjacent tokens of
 * one kind are merged). *out (free with free()) holds *n steps.
 */
HX_EXTERN int hx_match_diff(hx_diff **out, size_t *n, const hx_match_seg *q,
			    const hx_match_seg *s, hx_error *err);

/**
 * The kinds of difference in `kinds` (HX_MATCH_DIFF_* bits) as words,
 * comma-separated in a fixed order ("numbers,punctuation"), into buf;
 * "" for none. Returns buf.
 */
HX_EXTERN const char *hx_match_diff_kinds_str(char *buf, size_t size,
					      unsigned kinds);

/**
 * The query against a match source with the edits marked, as the look-up
 * shows it: deleted source text as [-...-], inserted query text as
 * {+...+}, a replacement as both. *out (free with free()) holds *len
 * bytes, NUL-terminated. Returns HX_OK, or what hx_match_seg_new() and
 * hx_match_diff() return (HX_ENOMEM).
 */
HX_EXTERN int hx_match_diff_render(char **out, size_t *len, const char *lang,
				   const char *query, size_t qlen,
				   const char *source, size_t slen,
				   hx_error *err);

#ifdef __cplusplus
}
#endif
#endif
