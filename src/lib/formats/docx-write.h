/*
 * docx-write.h - building the paragraph list hx_docx_fill() takes, shared
 * by the draft of a pre-translation (docx-write.c) and the merge of an
 * XLIFF (pretranslate-merge.c): sentences appended one by one, joined,
 * grouped by paragraph.
 */
#ifndef HX_DOCX_WRITE_H
#define HX_DOCX_WRITE_H

#include <stdbool.h>
#include <stddef.h>

#include <hexalign/pretranslate.h>
#include <hexalign/xliff.h>

typedef struct hx__draft {
	hx_docx_para *paras;
	hx_docx_piece *pieces;
	size_t np, npc, first; /* first: the open paragraph's first piece */
} hx__draft;

/** Room for nsegs sentences (and their joiners). HX_OK or HX_ENOMEM. */
int hx__draft_init(hx__draft *d, size_t nsegs, hx_error *err);

/** Append a sentence to the open paragraph, after `sep` ("" for none)
 * when it is not the paragraph's first. Strings are borrowed. */
void hx__draft_add(hx__draft *d, const char *sep, const char *text,
		   bool highlight);

/** hx__draft_add() of coded text with its codes (borrowed). */
void hx__draft_add_coded(hx__draft *d, const char *sep, const char *text,
			 bool highlight, const hx_inline *codes, size_t n);

/** Close the paragraph as paragraph `para` of `part`; keep false drops
 * it. */
void hx__draft_close(hx__draft *d, hx_docx_part part, size_t para, bool keep);

void hx__draft_fini(hx__draft *d);

/**
 * The merge behind hx_xliff_merge(): segs[0..n) of the XLIFF at xlf_path
 * (for messages), target language tgt (may be NULL), into the DOCX at
 * docx_path, written to out_path. The segments may come in any order:
 * they are put in document order by their ids.
 */
int hx__xliff_merge_segs(const char *xlf_path, const char *tgt,
			 const hx_xliff_seg *segs, size_t n,
			 const char *docx_path, const char *out_path,
			 hx_docx_fill_stats *stats, hx_error *err);

#endif
