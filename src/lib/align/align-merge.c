/*
 * align-merge.c - from pairwise alignments with one pivot to multilingual
 * groups. Each pair's beads cut the pivot into ranges; a group boundary is
 * allowed only where every pair has a bead boundary, so a group never
 * splits a bead and each language's part of it is whole sentences that
 * were aligned together. A pivot sentence no language aligned (1-0 in
 * every pair) still forms a group of its own, with no counterparts.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/align.h>

#include "base/error-private.h"

int hx_align_merge(hx_group **out, size_t *n, const hx_alignment *const *pairs,
		   size_t npairs, size_t nsrc, hx_error *err)
{
	unsigned char *cut = NULL; /* cut[k]: a boundary before pivot k */
	hx_group *g = NULL;
	size_t ng = 0;

	assert(out && n && (pairs || !npairs));
	*out = NULL;
	*n = 0;
	if (npairs > HX_ALIGN_MAX_SIDES - 1)
		return hx__error_set(err, HX_EINVAL,
				     "align: at most %d languages besides "
				     "the pivot",
				     HX_ALIGN_MAX_SIDES - 1);
	if (!(cut = malloc(nsrc + 1)))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	memset(cut, 1, nsrc + 1);
	for (size_t p = 0; p < npairs; p++) {
		size_t next = 0;
		for (size_t i = 0; i < hx_alignment_count(pairs[p]); i++) {
			const hx_bead *b = hx_alignment_get(pairs[p], i);
			if (!b->src_n)
				continue;
			if (b->src_start != next) {
				free(cut);
				return hx__error_set(
				    err, HX_EINVAL,
				    "align: alignment %zu does not cover the "
				    "pivot in order",
				    p + 1);
			}
			for (size_t k = 1; k < b->src_n; k++)
				cut[b->src_start + k] = 0;
			next = b->src_start + b->src_n;
		}
		if (next != nsrc) {
			free(cut);
			return hx__error_set(
			    err, HX_EINVAL,
			    "align: alignment %zu covers %zu of "
			    "%zu pivot sentences",
			    p + 1, next, nsrc);
		}
	}
	if (!(g = calloc(nsrc + 1, sizeof(*g)))) {
		free(cut);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	for (size_t k = 0; k < nsrc; k++) {
		if (cut[k] || !ng) {
			g[ng].src_start = k;
			ng++;
		}
		g[ng - 1].src_n++;
	}
	/* Each bead with pivot sentences falls inside one group: add its
	 * target sentences and its score, weighted by its size. */
	for (size_t p = 0; p < npairs; p++) {
		size_t gi = 0;
		double *wsum = calloc(ng + 1, sizeof(double));
		if (!wsum) {
			free(cut);
			free(g);
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		}
		for (size_t i = 0; i < hx_alignment_count(pairs[p]); i++) {
			const hx_bead *b = hx_alignment_get(pairs[p], i);
			if (!b->src_n || !b->tgt_n)
				continue;
			while (g[gi].src_start + g[gi].src_n <= b->src_start)
				gi++;
			hx_group *x = &g[gi];
			if (!x->tgt_n[p])
				x->tgt_start[p] = b->tgt_start;
			/* Beads are in order, so the group's target part
			 * is contiguous up to 0-1 beads in between, which
			 * belong to nothing and are left inside. */
			x->tgt_n[p] = b->tgt_start + b->tgt_n - x->tgt_start[p];
			x->score[p] += b->score * (double)(b->src_n + b->tgt_n);
			wsum[gi] += (double)(b->src_n + b->tgt_n);
		}
		for (size_t k = 0; k < ng; k++)
			if (wsum[k] > 0)
				g[k].score[p] /= wsum[k];
		free(wsum);
	}
	free(cut);
	*out = g;
	*n = ng;
	return HX_OK;
}
