/*
 * xliff.h - XLIFF for pre-translations: write a pre-translation as XLIFF
 * 2.1 (with the matches module) or 1.2 (alt-trans), and read an XLIFF
 * back, after translators finish in their CAT tool, to merge its targets
 * into the original DOCX.
 *
 * Ids are stable: a unit is a paragraph ("p12"), a segment one of its
 * sentences ("p12s2"), numbered from the document's structure, so the
 * merge finds each paragraph again however the CAT tool reorders or
 * rewrites the file. The XLIFF names the original document and its
 * checksum; the merge refuses a DOCX that is not the same file.
 */
#ifndef HEXALIGN_XLIFF_H
#define HEXALIGN_XLIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "pretranslate.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hx_xliff_version {
	HX_XLIFF_21 = 0, /**< XLIFF 2.1, matches module mtc: */
	HX_XLIFF_12	 /**< XLIFF 1.2, alt-trans */
} hx_xliff_version;

typedef struct hx_xliff_write_options {
	hx_xliff_version version;
	/** The original document as the XLIFF names it (file/@original,
	 * the skeleton reference); NULL: the pre-translated doc's path. */
	const char *original;
	/** Its checksum (hx_xliff_checksum()); NULL: none written. */
	const char *checksum;
} hx_xliff_write_options;

HX_EXTERN void hx_xliff_write_options_init(hx_xliff_write_options *opts);

/**
 * Write pt to path ("-": standard output) through a temporary file
 * renamed into place. XLIFF 2.1: one unit per paragraph, one segment per
 * sentence; a target when the match reaches min_score (state "translated"
 * for context and exact matches, "initial" otherwise; subState
 * hx:context, hx:exact, hx:fuzzy, hx:repetition, hx:numbers-fixed), and
 * the match in mtc:matches (similarity, origin, type "tm"). XLIFF 1.2:
 * one group per paragraph, one trans-unit per sentence, state and
 * state-qualifier (exact-match, fuzzy-match, leveraged-tm,
 * leveraged-inherited), alt-trans with match-quality; context and exact
 * matches are approved. Returns HX_OK, HX_EINVAL, HX_EIO, HX_ENOMEM.
 */
HX_EXTERN int hx_xliff_write(const hx_pt *pt, const char *path,
			     const hx_xliff_write_options *opts, hx_error *err);

/**
 * hx_xliff_write() of pt to out_path ("-": standard output) naming the
 * document at doc_path as its original, with that file's checksum (so
 * the merge knows its DOCX). Returns HX_OK or what hx_xliff_checksum()
 * and hx_xliff_write() return.
 */
HX_EXTERN int hx_pt_write_xliff(const hx_pt *pt, const char *doc_path,
				const char *out_path, hx_xliff_version version,
				hx_error *err);

/**
 * The checksum the XLIFF records for a file: "fnv1a64-" and 16 hex
 * digits of FNV-1a (64 bit) over its bytes, then "-" and its size.
 * Written NUL-terminated into buf (48 bytes suffice). It tells a changed
 * document from the original; it is no defence against forgery.
 */
HX_EXTERN int hx_xliff_checksum(char *buf, size_t size, const char *path,
				hx_error *err);

/** One segment of an XLIFF read back. */
typedef struct hx_xliff_seg {
	const char *id;	     /**< segment (2.x) or trans-unit (1.2) id */
	const char *unit_id; /**< unit (2.x) or group (1.2) id */
	const char *source;
	const char *target; /**< NULL when the segment has none */
	size_t line;	    /**< where it starts in the XLIFF */
	size_t source_line; /**< the line of its <source> */
	size_t target_line; /**< the line of its <target>, 0 without one */
	/** The state as written (2.x segment/@state, 1.2 target/@state),
	 * NULL when there is none. */
	const char *state;
	/** A finished translation: 2.x state translated, reviewed or final;
	 * 1.2 state translated, signed-off or final, or the trans-unit
	 * approved="yes"; and a non-empty target. */
	bool finished;
	/** The target's inline codes (2.x pc, ph, sc/ec; 1.2 g, x, bx/ex,
	 * ph...): the target with placeholders U+E000 + k for
	 * target_codes[k], whose id is the number the XLIFF id starts with
	 * ("3" and "3_2" are code 3), or, for an id that does not start
	 * with a digit ("a1", as other tools write them), 1000000 + the
	 * index of that string among such ids of the segment, one table
	 * for source and target, so the source's "a1" and the target's
	 * "a1" are the same code. A pair's end on its own is numbered by
	 * the start it ends (2.x <ec startRef>; 1.2 <ex>, <ept> by rid
	 * when they have one, else by id, as their <bx>, <bpt>). Type from
	 * subType or ctype (HX_INLINE_NTYPES when unknown), data "" and
	 * offsets 0. NULL and 0 when the target has none. The source's the
	 * same way. */
	const char *target_coded, *source_coded;
	const hx_inline *target_codes, *source_codes;
	size_t ntarget_codes, nsource_codes;
} hx_xliff_seg;

typedef struct hx_xliff hx_xliff;

/**
 * Read an XLIFF 2.x or 1.2 file: parsed without network access, DTD or
 * entity expansion (a DOCTYPE is refused). Inline codes in source and
 * target are reduced to their text (and kept as coded text beside it).
 * Returns HX_OK, HX_ENOTFOUND, HX_EIO, HX_EFORMAT ("FILE:LINE: what is
 * wrong": malformed XML, not XLIFF, a segment without id, duplicate
 * ids; a malformed code, at its element's line: a pc, ph, sc, g, x, bx,
 * 1.2 ph, bpt or it without id, an ec, ex or ept ending no start opened
 * before it in that source or target, a sc, bx or bpt never ended there
 * (2.x isolated="yes" codes excepted), two codes of one kind with one
 * id there), HX_ENOMEM.
 */
HX_EXTERN int hx_xliff_read(hx_xliff **out, const char *path, hx_error *err);
HX_EXTERN void hx_xliff_free(hx_xliff *x);

HX_EXTERN size_t hx_xliff_count(const hx_xliff *x);
HX_EXTERN const hx_xliff_seg *hx_xliff_get(const hx_xliff *x, size_t i);
/** "2.1", "2.0", "1.2"... as the file says. */
HX_EXTERN const char *hx_xliff_get_version(const hx_xliff *x);
HX_EXTERN const char *hx_xliff_get_src(const hx_xliff *x);
/** The target language, or NULL when the file names none. */
HX_EXTERN const char *hx_xliff_get_tgt(const hx_xliff *x);
/** The original document as written by hx_xliff_write, or NULL. */
HX_EXTERN const char *hx_xliff_get_original(const hx_xliff *x);
/**
 * Where the original document is: the path the XLIFF names (relative to
 * where pre-translation ran), else beside the XLIFF at xliff_path under
 * that path or its file name. *out is malloc'd. HX_ENOTFOUND (saying
 * where it looked) when the XLIFF names none or none of them is readable;
 * HX_ENOMEM.
 */
HX_EXTERN int hx_xliff_find_original(char **out, const hx_xliff *x,
				     const char *xliff_path, hx_error *err);
/** Its checksum, or NULL when the file carries none. */
HX_EXTERN const char *hx_xliff_get_checksum(const hx_xliff *x);

/**
 * Write out_path: the DOCX at docx_path with each paragraph's text (body,
 * footnotes, endnotes) replaced by its segments' targets, joined
 * (hx_pt_joiner); a segment without target keeps its source; paragraphs
 * none of whose segments has a target are not touched. Segments may come
 * in any order (a CAT tool may reorder units): their ids put them back in
 * document order. Refuses (HX_EFORMAT, nothing written) a DOCX whose
 * checksum differs from the one the XLIFF records, and ids that do not
 * name a paragraph. stats may be NULL. Otherwise the codes of
 * hx_docx_fill().
 */
HX_EXTERN int hx_xliff_merge(const hx_xliff *x, const char *docx_path,
			     const char *out_path, hx_docx_fill_stats *stats,
			     hx_error *err);

#ifdef __cplusplus
}
#endif
#endif
