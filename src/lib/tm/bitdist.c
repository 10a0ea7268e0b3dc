/*
 * bitdist.c - Levenshtein distance by bit vectors: Myers (1999), "A fast
 * bit-vector algorithm for approximate string matching based on dynamic
 * programming", Journal of the ACM 46(3), in the form for the distance
 * between two whole sequences and for patterns longer than a machine word
 * given by Hyyrö (2003), "A bit-vector algorithm for computing
 * Levenshtein and Damerau edit distances", Nordic Journal of Computing
 * 10 (the blocks of 64 rows as in Myers' section 4). One column of the dynamic
 * programming table is two bit vectors of vertical differences (+1, -1), so a
 * text symbol costs a few word operations per 64 pattern symbols instead of one
 * cell per symbol.
 *
 * The alphabet is 16-bit symbols; the pattern's symbols map to their
 * match vectors through a table indexed by the symbol itself.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tm/bitdist.h"

struct hx__bitdist {
	size_t m, words;
	uint16_t slot[65536]; /* symbol -> 1 + its row of peq, 0: none */
	uint64_t *peq;	      /* [distinct symbol][words] */
	uint64_t *col;	      /* scratch: pv and mv, [2][words] */
};

hx__bitdist *hx__bitdist_new(const uint16_t *pattern, size_t m)
{
	hx__bitdist *p = calloc(1, sizeof(*p));
	size_t w = (m + 63) / 64, nd = 0;

	if (!p)
		return NULL;
	p->m = m;
	p->words = w ? w : 1;
	p->peq = calloc((m + 1) * p->words, sizeof(uint64_t));
	p->col = calloc(2 * p->words, sizeof(uint64_t));
	if (!p->peq || !p->col || m > 65535) {
		hx__bitdist_free(p);
		return NULL;
	}
	for (size_t i = 0; i < m; i++) {
		uint16_t c = pattern[i];
		if (!p->slot[c])
			p->slot[c] = (uint16_t)++nd;
		p->peq[(p->slot[c] - 1) * p->words + i / 64] |= 1ULL
								<< (i % 64);
	}
	return p;
}

void hx__bitdist_free(hx__bitdist *p)
{
	if (!p)
		return;
	free(p->peq);
	free(p->col);
	free(p);
}

size_t hx__bitdist_distance(const hx__bitdist *p, const uint16_t *text,
			    size_t n)
{
	size_t w = p->words, m = p->m, score = m;
	uint64_t *pv = p->col, *mv = p->col + w;
	const uint64_t *none = p->peq + m * w; /* a zero row */
	uint64_t last = m ? 1ULL << ((m - 1) % 64) : 0;

	if (!m)
		return n;
	if (w == 1) {
		/* A pattern of one word (queries up to 64 tokens, most of
		 * them): the same steps with the column in registers. */
		uint64_t v = ~0ULL, x = 0;
		for (size_t j = 0; j < n; j++) {
			uint16_t s = p->slot[text[j]];
			uint64_t e = s ? p->peq[s - 1] : 0;
			uint64_t xv = e | x;
			uint64_t xh = (((e & v) + v) ^ v) | e;
			uint64_t ph = x | ~(xh | v), mh = v & xh;
			score += (ph & last) ? 1 : 0;
			score -= (mh & last) ? 1 : 0;
			ph = ph << 1 | 1;
			mh <<= 1;
			v = mh | ~(xv | ph);
			x = ph & xv;
		}
		return score;
	}
	for (size_t b = 0; b < w; b++)
		pv[b] = ~0ULL, mv[b] = 0;
	for (size_t j = 0; j < n; j++) {
		uint16_t s = p->slot[text[j]];
		const uint64_t *eq = s ? p->peq + (s - 1) * w : none;
		/* Row 0 of the table is 0, 1, 2...: the horizontal
		 * difference entering the first block is +1. */
		uint64_t hp_in = 1, hm_in = 0;
		for (size_t b = 0; b < w; b++) {
			uint64_t e = eq[b], v = pv[b], x = mv[b];
			uint64_t xv = e | x;
			/* A -1 entering from the block above acts as a match
			 * in its first row (Myers 1999, section 4). */
			if (hm_in)
				e |= 1;
			uint64_t xh = (((e & v) + v) ^ v) | e;
			uint64_t ph = x | ~(xh | v), mh = v & xh;
			if (b == w - 1) {
				if (ph & last)
					score++;
				else if (mh & last)
					score--;
			}
			uint64_t ph_out = ph >> 63, mh_out = mh >> 63;
			ph = ph << 1 | hp_in;
			mh = mh << 1 | hm_in;
			hp_in = ph_out, hm_in = mh_out;
			pv[b] = mh | ~(xv | ph);
			mv[b] = ph & xv;
		}
	}
	return score;
}
