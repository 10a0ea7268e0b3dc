/*
 * pretranslate.h - pre-translation of a new document against the memory:
 * every sentence gets its best match, the document gets an analysis (how
 * much of it the memory already covers, in the bands CAT tools report),
 * and a draft DOCX can be written with the matched sentences in the target
 * language.
 *
 * The result is a plain list of segments, one per sentence of the
 * document in reading order, each naming the paragraph it came from, so
 * writers (XLIFF, DOCX, reports) need nothing else.
 */
#ifndef HEXALIGN_PRETRANSLATE_H
#define HEXALIGN_PRETRANSLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "doc.h"
#include "error.h"
#include "read.h"
#include "segment.h"
#include "tm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The analysis bands, in the order reports list them. */
typedef enum hx_pt_band {
	HX_PT_CONTEXT = 0, /**< 101: exact, and so are its neighbours */
	HX_PT_EXACT,	   /**< 100 */
	HX_PT_95,	   /**< 95-99 */
	HX_PT_85,	   /**< 85-94 */
	HX_PT_75,	   /**< 75-84 */
	HX_PT_50,	   /**< 50-74 */
	HX_PT_NOMATCH,	   /**< below 50, or nothing in the memory */
	HX_PT_REPETITION,  /**< the same source met earlier in the document */
	HX_PT_NBANDS
} hx_pt_band;

/** "context", "exact", "95-99", "85-94", "75-84", "50-74", "no-match",
 * "repetition". */
HX_EXTERN const char *hx_pt_band_name(hx_pt_band band);

/** The band of a score 0..101 (no repetition). */
HX_EXTERN hx_pt_band hx_pt_band_of(int score);

/** One sentence of the document and what the memory made of it. */
typedef struct hx_pt_segment {
	/**
	 * Stable id from the position in the document: "p12s2" is the second
	 * sentence of body paragraph 12 (hx_block.line, table cells and empty
	 * paragraphs counted); footnotes "fn3s1", endnotes "en3s1", where 3
	 * is the paragraph's index in word/footnotes.xml or endnotes.xml
	 * (separator notes counted, as hx_block.line counts them). The
	 * unit id is the same without "sN".
	 */
	const char *id;
	const char *unit_id;
	size_t block;	 /**< index of its block in the document */
	size_t para;	 /**< hx_block.line of that block */
	size_t sentence; /**< 1-based within the block */
	hx_block_kind kind;
	const char *source; /**< the sentence, NUL-terminated */
	/** The best match's target, numbers fixed when `numbers_fixed`; for
	 * a repetition, the target of its first occurrence. NULL when the
	 * score is below min_score. */
	const char *target;
	int score;	  /**< best match score, 101 for context, 0 if none */
	hx_pt_band band;  /**< the band it is counted in */
	size_t repeat_of; /**< index of the first occurrence, or SIZE_MAX */
	const char *match_source; /**< memory source of the match, or NULL */
	const char *origin;	  /**< where the match came from ("" if none) */
	unsigned diff_kinds;	  /**< HX_MATCH_DIFF_* of the match */
	/** A 99 match differing only in numbers whose target numbers were
	 * replaced by the new source's, each mapping being certain. */
	bool numbers_fixed;
	/** Numbers differ but could not be mapped with certainty: the target
	 * still holds the memory's numbers. */
	bool numbers_unfixed;
	size_t words;	   /**< words; Chinese: characters */
	size_t characters; /**< characters without white space */
	/** Points the match lost for coming from an unreviewed alignment
	 * (hx_tm_match.penalty), already taken off `score`; its reason, or
	 * NULL when there is none. A repetition takes its first
	 * occurrence's. */
	int penalty;
	const char *penalty_reason;
	/** The sentence's inline codes, offsets into `source` (a pair that
	 * crosses a sentence boundary is cut into one pair per sentence,
	 * each keeping the pair's id); NULL and 0 when it has none, and
	 * then nothing below is set. */
	const hx_inline *codes;
	size_t ncodes;
	/** The target with the codes put in as placeholders U+E000 + k for
	 * codes[k] (`target` is the same without them); NULL without a
	 * target or codes. The memory's codes are put on the source's by
	 * order and kind (TMX bpt/ept by their i, ph by x or order). */
	const char *target_coded;
	/** The match's codes could not be put on the source's: the target
	 * has the source's codes appended at its end, and the score is at
	 * most 99, so the segment is never taken for a perfect match. */
	bool codes_appended;
} hx_pt_segment;

typedef struct hx_pt_options {
	int min_score;	   /**< lowest score pre-translated (default 75) */
	const hx_srx *srx; /**< segmentation rules, NULL: built-in */
	/** Count a second or later occurrence that is itself an exact (100)
	 * match as exact, not as a repetition. Default false: repetitions
	 * take precedence over 100% matches, as Trados and memoQ count them
	 * by default (memoQ's "Repetitions take precedence over 100%
	 * matches"); a context match (101) is never a repetition. */
	bool exact_over_repetitions;
	/** Called after each block (may be NULL). */
	hx_tm_progress_cb progress;
	void *payload;
} hx_pt_options;

HX_EXTERN void hx_pt_options_init(hx_pt_options *opts);

typedef struct hx_pt hx_pt;

/**
 * Segment `doc` (source language src) and look every sentence up in `tm`
 * for a target in tgt. Bands: context (101) is an exact match whose
 * document neighbours (previous and next sentence; one at either end of
 * the document) are exact matches of the memory units stored next to its
 * own, from the same origin, i.e. the memory saw the same context;
 * repetition is a sentence met earlier in the document that is not itself
 * a context match (nor, with exact_over_repetitions, an exact one); the
 * first occurrence keeps its band.
 * Look-ups go down to score 50 so the analysis can fill every band; only
 * matches >= min_score get a target. Returns HX_OK, HX_EINVAL (bad
 * options), HX_ENOMEM, or the look-up's error.
 */
HX_EXTERN int hx_pretranslate(hx_pt **out, const hx_doc *doc, hx_tm *tm,
			      const char *src, const char *tgt,
			      const hx_pt_options *opts, hx_error *err);

HX_EXTERN void hx_pt_free(hx_pt *pt);

/** How hx_pretranslate_file() reads and matches. */
typedef struct hx_pt_file_options {
	/** min_score, progress; srx when srx_path is NULL. */
	hx_pt_options pt;
	/** An SRX 2.0 file of segmentation rules (hx_srx_load()); NULL:
	 * pt.srx. */
	const char *srx_path;
	/** The document's format; HX_FORMAT_AUTO by default. */
	hx_format format;
} hx_pt_file_options;

HX_EXTERN void hx_pt_file_options_init(hx_pt_file_options *opts);

/**
 * Load the rules, read the document at doc_path, open the memory at
 * db_path read-only and hx_pretranslate() the one against the other;
 * nothing but the result outlives the call. Returns HX_OK or what
 * hx_srx_load(), hx_read_file(), hx_tm_open() and hx_pretranslate()
 * return, in that order.
 */
HX_EXTERN int hx_pretranslate_file(hx_pt **out, const char *doc_path,
				   const char *db_path, const char *src,
				   const char *tgt,
				   const hx_pt_file_options *opts,
				   hx_error *err);

HX_EXTERN size_t hx_pt_count(const hx_pt *pt);
/** Segment i, borrowed; NULL when out of range. */
HX_EXTERN const hx_pt_segment *hx_pt_get(const hx_pt *pt, size_t i);
/** The languages and min_score the result was made with, borrowed. */
HX_EXTERN const char *hx_pt_get_src(const hx_pt *pt);
HX_EXTERN const char *hx_pt_get_tgt(const hx_pt *pt);
HX_EXTERN int hx_pt_get_min(const hx_pt *pt);

/**
 * Build a result from segments made elsewhere (tests, other tools): the
 * strings are copied, bands and counts recomputed from score and
 * repeat_of (repetitions ahead of exact matches, the default order).
 */
HX_EXTERN int hx_pt_from_segments(hx_pt **out, const hx_pt_segment *segs,
				  size_t n, const char *src, const char *tgt,
				  int min_score, hx_error *err);

/** Counts of one band. */
typedef struct hx_pt_counts {
	size_t segments, words, characters;
} hx_pt_counts;

typedef struct hx_pt_analysis {
	hx_pt_counts band[HX_PT_NBANDS];
	hx_pt_counts total;
} hx_pt_analysis;

HX_EXTERN void hx_pt_analyse(hx_pt_analysis *a, const hx_pt *pt);

/**
 * Words and characters of UTF-8 text as the analysis counts them: a word
 * is a run of letters, digits and joining marks between spaces and
 * punctuation, except that every Han, Hiragana or Katakana character is a
 * word; characters are code points other than white space.
 */
HX_EXTERN void hx_pt_count_text(const char *s, size_t len, size_t *words,
				size_t *characters);

typedef enum hx_pt_report_format {
	HX_PT_REPORT_TEXT = 0,
	HX_PT_REPORT_JSON,
	HX_PT_REPORT_HTML
} hx_pt_report_format;

/**
 * The report format named `name`: "txt" or "text", "json", "html" or
 * "htm". Returns HX_OK, or HX_EINVAL (*out untouched) for any other.
 */
HX_EXTERN int hx_pt_report_format_parse(hx_pt_report_format *out,
					const char *name);

/**
 * The report format a file name's extension names ("r.html"), as
 * hx_pt_report_format_parse() reads it. HX_EINVAL when it has none.
 */
HX_EXTERN int hx_pt_report_format_of_path(hx_pt_report_format *out,
					  const char *path);

/**
 * Write the analysis to f: a text table, JSON
 * {"bands": [{"band", "segments", "words", "characters"}...], "total":
 * {...}}, or a self-contained HTML page (table and CSS bar chart, no
 * script). `title` names the document (may be NULL). HX_EIO when writing
 * fails.
 */
HX_EXTERN int hx_pt_report_write(FILE *f, const hx_pt *pt,
				 hx_pt_report_format fmt, const char *title,
				 hx_error *err);

/* ---- the draft DOCX ------------------------------------------------ */

/** A piece of new paragraph text, written as one run. */
typedef struct hx_docx_piece {
	const char *text;
	size_t len;
	bool highlight; /**< w:highlight yellow: a reviser must check it */
	/** With codes, text is coded: placeholder U+E000 + k stands for
	 * codes[k]. The text between is written as runs with the pairs
	 * around it applied (bold, italic, underline, sub/superscript on
	 * the run's properties; a link as a w:hyperlink with the r:id or
	 * w:anchor of its data); a tab or break as w:tab or w:br; a note
	 * reference moves its run (the paragraph's next one) to its place;
	 * a field's result is written as text. */
	const hx_inline *codes;
	size_t ncodes;
} hx_docx_piece;

/** The parts of a DOCX whose paragraphs hx_docx_fill() replaces. */
typedef enum hx_docx_part {
	HX_DOCX_BODY = 0,  /**< word/document.xml */
	HX_DOCX_FOOTNOTES, /**< word/footnotes.xml */
	HX_DOCX_ENDNOTES,  /**< word/endnotes.xml */
	HX_DOCX_NPARTS
} hx_docx_part;

/** "word/document.xml", "word/footnotes.xml", "word/endnotes.xml". */
HX_EXTERN const char *hx_docx_part_name(hx_docx_part part);

/** The part a block of kind k was read from. */
HX_EXTERN hx_docx_part hx_docx_part_of(hx_block_kind k);

/** New text for paragraph `para` (hx_block.line) of `part`. */
typedef struct hx_docx_para {
	size_t para;
	const hx_docx_piece *pieces;
	size_t npieces;
	hx_docx_part part; /**< last, so {para, pieces, n} means the body */
} hx_docx_para;

/** What hx_docx_fill() left alone. */
typedef enum hx_docx_kept {
	HX_DOCX_KEPT_TEXTBOX = 0, /**< w:txbxContent */
	HX_DOCX_KEPT_EQUATION,	  /**< m:oMath, m:oMathPara */
	HX_DOCX_KEPT_OBJECT,	  /**< w:object, w:drawing, w:pict */
	HX_DOCX_KEPT_FIELD,	  /**< w:fldChar, w:fldSimple */
	HX_DOCX_KEPT_NKINDS
} hx_docx_kept;

/** "text box", "equation", "embedded object", "field". */
HX_EXTERN const char *hx_docx_kept_name(hx_docx_kept kind);

typedef struct hx_docx_fill_stats {
	size_t replaced; /**< paragraphs given new text */
	/** Occurrences of content kept untouched, per kind, in the body and
	 * the notes, and the first paragraph (hx_block.line) each kind was
	 * met in (0: none), in part kept_part[kind]. */
	size_t kept[HX_DOCX_KEPT_NKINDS];
	size_t kept_first[HX_DOCX_KEPT_NKINDS];
	/** Paragraphs asked for that were not replaced because they hold
	 * an equation or a field (their text is entwined with it). */
	size_t refused;
	hx_docx_part kept_part[HX_DOCX_KEPT_NKINDS];
} hx_docx_fill_stats;

/**
 * Copy the DOCX at in_path to out_path, every zip entry unchanged except
 * the parts (word/document.xml, footnotes.xml, endnotes.xml) that have
 * paragraphs listed, where each listed paragraph gets the new text: its
 * w:pPr (style, numbering) stays, a label typed at its start ("1.1<tab>")
 * stays, the text runs are replaced by one run per piece carrying the
 * first text run's w:rPr, and runs holding drawings, text boxes, objects
 * or note references and note marks stay where they were. In a note, the
 * space typed between the note mark and the text stays instead of a
 * label; separator notes are never touched. A paragraph holding an
 * equation or a field is left whole. `paras` must be sorted by part, then
 * by para. The output is
 * written to a temporary file renamed into place; on failure nothing is
 * written. stats may be NULL. Returns HX_OK, HX_EINVAL (in and out the
 * same file), HX_ENOTFOUND, HX_EFORMAT (not a DOCX, zip entry escaping
 * the archive, malformed XML), HX_ELIMIT, HX_EIO, HX_ENOMEM.
 */
HX_EXTERN int hx_docx_fill(const char *in_path, const char *out_path,
			   const hx_docx_para *paras, size_t n,
			   hx_docx_fill_stats *stats, hx_error *err);

/**
 * The draft of a pre-translation: hx_docx_fill() with every paragraph
 * (body, footnote, endnote) that has a target for at least one
 * sentence; sentences
 * without a target stay in the source language; fuzzy matches (below
 * 100) are highlighted.
 */
HX_EXTERN int hx_pt_write_docx(const hx_pt *pt, const char *in_path,
			       const char *out_path, hx_docx_fill_stats *stats,
			       hx_error *err);

/** A note for the user, borrowed for the call. */
typedef void (*hx_pt_note_fn)(void *payload, const char *message);

/**
 * Say what a draft left in the source language, one message each (in
 * kind order, then the refused paragraphs): "NAME: footnotes paragraph
 * 3: 2 text boxes kept untouched (not pre-translated)", "NAME: 1
 * paragraph holding an equation or a field left in the source
 * language". `name` names the document.
 */
HX_EXTERN void hx_docx_kept_foreach(const hx_docx_fill_stats *st,
				    const char *name, hx_pt_note_fn fn,
				    void *payload);

/**
 * How sentences of language lang are joined back into a paragraph: ""
 * for Chinese and Japanese, " " otherwise.
 */
HX_EXTERN const char *hx_pt_joiner(const char *lang);

#ifdef __cplusplus
}
#endif
#endif
