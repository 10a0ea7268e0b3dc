/*
 * align.h - sentence alignment of the language versions of a document.
 *
 * The aligner takes two sequences of sentences (each sentence knows the
 * block it came from and that block's label) and returns beads: groups of
 * 0-3 source sentences matched with 0-3 target sentences, in order, with a
 * confidence score. Evidence: bilingual lexicons (shipped, and learned from
 * the document pair itself), typed anchors (numbers, dates, document
 * symbols, Latin-script tokens, URLs), paragraph structure and labels, and
 * length ratios calibrated per language pair.
 */
#ifndef HEXALIGN_ALIGN_H
#define HEXALIGN_ALIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "doc.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A bilingual word list for one language pair. */
typedef struct hx_lexicon hx_lexicon;

/**
 * Load a lexicon: UTF-8 TSV, one pair a line, "SOURCE_WORD<TAB>TARGET_WORD"
 * ('#' lines are comments). `src_lang`/`tgt_lang` say which side is which
 * (a file for en-zh read with src "zh" and tgt "en" is used reversed).
 * Returns HX_OK, HX_ENOTFOUND, HX_EIO, HX_EFORMAT (FILE:LINE) or HX_ENOMEM.
 */
HX_EXTERN int hx_lexicon_load(hx_lexicon **out, const char *path,
			      const char *src_lang, const char *tgt_lang,
			      hx_error *err);

/**
 * Load the shipped lexicon for a pair from directory `dir` (the project's
 * dictionaries/lexicon/): it looks for "SRC-TGT.tsv" then "TGT-SRC.tsv".
 * HX_ENOTFOUND when neither exists.
 */
HX_EXTERN int hx_lexicon_load_pair(hx_lexicon **out, const char *dir,
				   const char *src_lang, const char *tgt_lang,
				   hx_error *err);

/** Number of pairs. */
HX_EXTERN size_t hx_lexicon_count(const hx_lexicon *lex);

/** Free; NULL is fine. */
HX_EXTERN void hx_lexicon_free(hx_lexicon *lex);

/**
 * One side of an alignment: sentences in document order. Build it with
 * hx_sentences_new() and hx_sentences_add(), or from a document with
 * hx_sentences_from_doc().
 */
typedef struct hx_sentences hx_sentences;

HX_EXTERN int hx_sentences_new(hx_sentences **out, const char *lang,
			       hx_error *err);

/**
 * Append a sentence (copied). `block` is the index of the block it came
 * from (sentences of one block share it), `label` the block's label ("" or
 * NULL for none), `heading` whether that block is a heading, `line` its
 * source line for messages.
 */
HX_EXTERN int hx_sentences_add(hx_sentences *s, const char *text, size_t len,
			       size_t block, const char *label, bool heading,
			       size_t line, hx_error *err);

/** Segment every block of `doc` (srx NULL: the built-in rules). */
struct hx_srx;
HX_EXTERN int hx_sentences_from_doc(hx_sentences **out, const hx_doc *doc,
				    const char *lang, const struct hx_srx *srx,
				    hx_error *err);

/**
 * Read pre-segmented text: one sentence a line (UTF-8 with or without BOM,
 * UTF-16 with BOM; LF or CRLF). Empty lines are kept as empty sentences so
 * indices match the file's lines. Returns HX_OK, HX_ENOTFOUND, HX_EIO,
 * HX_EFORMAT (FILE:LINE: invalid UTF-8; empty file) or HX_ENOMEM.
 */
HX_EXTERN int hx_sentences_read_lines(hx_sentences **out, const char *path,
				      const char *lang, hx_error *err);

HX_EXTERN size_t hx_sentences_count(const hx_sentences *s);
HX_EXTERN const char *hx_sentences_get(const hx_sentences *s, size_t i,
				       size_t *len);
HX_EXTERN const char *hx_sentences_get_lang(const hx_sentences *s);
/** Source line of sentence i (0 when unknown). */
HX_EXTERN size_t hx_sentences_get_line(const hx_sentences *s, size_t i);
/** Label of the block of sentence i ("" when none). */
HX_EXTERN const char *hx_sentences_get_label(const hx_sentences *s, size_t i);
HX_EXTERN void hx_sentences_free(hx_sentences *s);

/** A bead: src[src_start, src_start+src_n) <-> tgt[tgt_start, +tgt_n). */
typedef struct hx_bead {
	size_t src_start, src_n;
	size_t tgt_start, tgt_n;
	double score; /**< confidence, 0 (none) .. 1 (certain) */
} hx_bead;

typedef struct hx_align_options {
	/** Learn a lexicon from the pair and re-align (default true). */
	bool learn;
	/** Use paragraph (block) structure and labels (default true). */
	bool structure;
} hx_align_options;

HX_EXTERN void hx_align_options_init(hx_align_options *opts);

/** The result: beads covering both sides in order. */
typedef struct hx_alignment hx_alignment;

/**
 * Align `src` with `tgt`. `lex` may be NULL (anchors, identical tokens
 * and length only). Returns HX_OK, HX_EINVAL or HX_ENOMEM.
 */
HX_EXTERN int hx_align_run(hx_alignment **out, const hx_sentences *src,
			   const hx_sentences *tgt, const hx_lexicon *lex,
			   const hx_align_options *opts, hx_error *err);

HX_EXTERN size_t hx_alignment_count(const hx_alignment *a);
HX_EXTERN const hx_bead *hx_alignment_get(const hx_alignment *a, size_t i);
/**
 * Overall confidence: the mean bead score weighted by sentences, 0..1. Low
 * values (< 0.3) mean the two sides are probably not the same document.
 */
HX_EXTERN double hx_alignment_confidence(const hx_alignment *a);

/**
 * How likely the two sides are versions of one document, 0..1 (see the
 * README, "How confidence is computed"). When it is under 0.5 every bead
 * score has been capped below 0.5 too.
 */
HX_EXTERN double hx_alignment_same_document(const hx_alignment *a);

/**
 * True when the pair is probably not two versions of one document
 * (hx_alignment_same_document() < 0.5): a front-end warns, naming both
 * files, and refuses to store the beads in a memory unless told to.
 */
HX_EXTERN bool hx_alignment_unrelated(const hx_alignment *a);
HX_EXTERN void hx_alignment_free(hx_alignment *a);

/** Most language versions aligned at once: the pivot and five others. */
#define HX_ALIGN_MAX_SIDES 6

/**
 * A group of pivot sentences and, for each other language, the sentences
 * aligned with them: the unit of a multilingual TMX. tgt_n[k] == 0 when
 * language k has no counterpart for this group.
 */
typedef struct hx_group {
	size_t src_start, src_n;
	size_t tgt_start[HX_ALIGN_MAX_SIDES - 1];
	size_t tgt_n[HX_ALIGN_MAX_SIDES - 1];
	double score[HX_ALIGN_MAX_SIDES - 1]; /**< 0 when tgt_n is 0 */
} hx_group;

/**
 * Merge npairs alignments of the same pivot (nsrc sentences) with other
 * languages into groups: the finest partition of the pivot that every
 * alignment respects, so no group splits a bead of any pair. Target
 * sentences aligned with nothing in the pivot (0-1 beads) have no group.
 * *out (free with free()) holds *n groups in order. Returns HX_OK,
 * HX_EINVAL (an alignment does not cover nsrc pivot sentences) or
 * HX_ENOMEM.
 */
HX_EXTERN int hx_align_merge(hx_group **out, size_t *n,
			     const hx_alignment *const *pairs, size_t npairs,
			     size_t nsrc, hx_error *err);

#ifdef __cplusplus
}
#endif
#endif
