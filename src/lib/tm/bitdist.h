/*
 * bitdist.h - edit distance between two sequences of 16-bit symbols, bit
 * parallel: the translation memory's first check of a candidate, on the
 * compact token forms it stores (see tm.c).
 */
#ifndef HX_BITDIST_H
#define HX_BITDIST_H

#include <stddef.h>
#include <stdint.h>

/* A pattern prepared once and compared with many texts. */
typedef struct hx__bitdist hx__bitdist;

/* NULL when out of memory. m may be 0. */
hx__bitdist *hx__bitdist_new(const uint16_t *pattern, size_t m);
void hx__bitdist_free(hx__bitdist *p);

/* The Levenshtein distance between the pattern and text[0..n). */
size_t hx__bitdist_distance(const hx__bitdist *p, const uint16_t *text,
			    size_t n);

#endif
