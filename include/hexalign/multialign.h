/*
 * multialign.h - the whole alignment workflow of a document: read the
 * language versions (the first is the pivot), segment them, align each
 * with the pivot, and write the units as TMX, TSV, bead lines or an HTML
 * review page, or store them in a memory. `hexalign align` is this and
 * argument parsing; a server or a script needs no more.
 */
#ifndef HEXALIGN_MULTIALIGN_H
#define HEXALIGN_MULTIALIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "align.h"
#include "error.h"
#include "tm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The language versions of one document, read and aligned. */
typedef struct hx_multialign hx_multialign;

/** What a warning is about, so a front-end can choose which to show. */
typedef enum hx_multialign_warning {
	/** a language given does not look like the text's */
	HX_MULTIALIGN_WARN_LANG,
	/** no lexicon for a pair: aligned on anchors and length alone */
	HX_MULTIALIGN_WARN_LEXICON,
	/** sentence counts differ threefold: parts may be missing */
	HX_MULTIALIGN_WARN_COUNTS,
	/** a pair may not be two versions of one document */
	HX_MULTIALIGN_WARN_UNRELATED
} hx_multialign_warning;

/**
 * Called for each warning, in input order, with a one-line message naming
 * the files ("A.html: -l says 'fr' but the text looks like 'en'"); the
 * message is borrowed for the call.
 */
typedef void (*hx_multialign_warn_fn)(void *payload, hx_multialign_warning kind,
				      const char *message);

typedef struct hx_multialign_options {
	/** The language of each file (n entries; NULL, or a NULL entry:
	 * detected from the text). Borrowed for the call. */
	const char *const *langs;
	/** The files hold one sentence a line (every language given). */
	bool presegmented;
	/** The bilingual lexicons (hx_lexicon_load_pair()); NULL: none. */
	const char *lexicon_dir;
	/** Segmentation rules; NULL: the built-in ones. */
	const struct hx_srx *srx;
	/** Options of each pairwise alignment. */
	hx_align_options align;
	/** Warnings (NULL: none are reported). */
	hx_multialign_warn_fn warn;
	void *payload;
} hx_multialign_options;

HX_EXTERN void hx_multialign_options_init(hx_multialign_options *opts);

/**
 * Read paths[0..n) (2 to HX_ALIGN_MAX_SIDES), segment them (unless
 * presegmented) and align each of paths[1..n) with paths[0]. A pair that
 * may not be one document is a warning, not an error: see
 * hx_multialign_unrelated(). Returns HX_OK; HX_EINVAL (n out of range; a
 * language neither given nor detectable; presegmented without languages);
 * what hx_read_file(), hx_sentences_read_lines(), hx_lexicon_load_pair()
 * (but HX_ENOTFOUND, a warning) and hx_align_run() return.
 */
HX_EXTERN int hx_multialign_files(hx_multialign **out, const char *const *paths,
				  size_t n, const hx_multialign_options *opts,
				  hx_error *err);

HX_EXTERN void hx_multialign_free(hx_multialign *m);

/** How many files: the pivot and the others. */
HX_EXTERN size_t hx_multialign_count(const hx_multialign *m);

/** The language of file i, as given or detected. */
HX_EXTERN const char *hx_multialign_get_lang(const hx_multialign *m, size_t i);

/** The alignment of file i (1 <= i < count) with the pivot. */
HX_EXTERN const hx_alignment *hx_multialign_get_pair(const hx_multialign *m,
						     size_t i);

/**
 * The first file that may not be a version of the pivot's document
 * (hx_alignment_unrelated(), or a side without sentences); 0 when every
 * pair looks like one document. A front-end should not store the units
 * of such a set unless told to.
 */
HX_EXTERN size_t hx_multialign_unrelated(const hx_multialign *m);

/** Output forms of hx_multialign_write(). */
typedef enum hx_multialign_format {
	HX_MULTIALIGN_TMX,   /**< TMX 1.4b, one <tu> per group */
	HX_MULTIALIGN_TSV,   /**< texts, scores, languages lacking */
	HX_MULTIALIGN_HTML,  /**< a self-contained review page */
	HX_MULTIALIGN_BEADS, /**< "[0]:[0, 1]" lines; two files only */
} hx_multialign_format;

/**
 * The form named `name` ("tmx", "tsv", "html", "beads") into *out.
 * Returns HX_OK, or HX_EINVAL (*out untouched) for any other name.
 */
HX_EXTERN int hx_multialign_format_parse(hx_multialign_format *out,
					 const char *name);

/**
 * Write the units: one per group of pivot sentences, with the sentences
 * of each other language aligned with it and its score (x-score-LANG),
 * and one for each sentence aligned with nothing (marked
 * x-no-counterpart), in pivot order. A pairing scoring under min_score
 * (0..1, as printed: two decimals) is dropped, never a sentence with no
 * counterpart. The TMX header names the files and the document symbol;
 * SOURCE_DATE_EPOCH, when set, is its creation date.
 *
 * HX_MULTIALIGN_TMX goes to `path` ("-": stdout), whole or not at all
 * (hx_tmx_writer_open()); the other forms go to `f`. Returns HX_OK;
 * HX_EINVAL (beads of more than two files, or no stream for the form);
 * HX_EIO; HX_ENOMEM.
 */
HX_EXTERN int hx_multialign_write(FILE *f, const char *path,
				  const hx_multialign *m,
				  hx_multialign_format format, double min_score,
				  hx_error *err);

/**
 * Store the units of two languages or more (a sentence alone translates
 * nothing) in `tm`, in one batch named after the document symbol (else
 * the pivot's file name), each with its scores and the origin props
 * (x-source-file-LANG, x-document-symbol), as `tm import` keeps a TMX.
 * *stats (may be NULL) gets the counts. Returns what hx_tm_batch_begin(),
 * hx_tm_batch_add_props() and hx_tm_batch_commit() return; on failure the
 * memory is as it was.
 */
HX_EXTERN int hx_multialign_store(hx_tm_import_stats *stats,
				  const hx_multialign *m, hx_tm *tm,
				  double min_score, hx_error *err);

/**
 * hx_multialign_store() into the memory at db_path, created when it does
 * not exist: what `align --db` does. Returns what hx_tm_open() and
 * hx_multialign_store() return; on failure the memory is as it was.
 */
HX_EXTERN int hx_multialign_store_db(hx_tm_import_stats *stats,
				     const hx_multialign *m,
				     const char *db_path, double min_score,
				     hx_error *err);

/**
 * hx_multialign_store_db(), unless a pair may not be versions of one
 * document (hx_multialign_unrelated()) and `force` is false: then
 * HX_EINVAL naming both files and the memory untouched.
 */
HX_EXTERN int hx_multialign_store_checked(hx_tm_import_stats *stats,
					  const hx_multialign *m,
					  const char *db_path, double min_score,
					  bool force, hx_error *err);

typedef struct hx_multialign_import_options {
	hx_multialign_options align; /**< how the files are read, aligned */
	double min_score;	     /**< pairings below it are not stored */
	bool force;		     /**< store unrelated-looking pairs too */
} hx_multialign_import_options;

HX_EXTERN void
hx_multialign_import_options_init(hx_multialign_import_options *opts);

/**
 * The language versions of one finished document (paths[0] the pivot)
 * aligned and stored in the memory at db_path with their scores:
 * hx_multialign_files() then hx_multialign_store_checked(). What
 * `tm import A.docx B.docx` does.
 */
HX_EXTERN int hx_multialign_import_db(hx_tm_import_stats *stats,
				      const char *const *paths, size_t n,
				      const char *db_path,
				      const hx_multialign_import_options *opts,
				      hx_error *err);

#ifdef __cplusplus
}
#endif
#endif
