/*
 * termmatch.h - find every occurrence of every term of one language in a
 * text, in one pass, however many terms there are.
 *
 * The terms are compiled once into a multi-pattern automaton (Aho and
 * Corasick 1975) over normalised code points; a text is then read once.
 * Normalisation makes the spellings of one term meet: case folding, the
 * compatibility forms (full-width Latin and digits, ligatures), the
 * hyphens and dashes U+2010, U+2011, U+2012, U+2013, U+2212 and '-' taken
 * as one, a hyphen, a space or nothing between two parts taken as the
 * same ("CWG-COP" = "CWG COP" = "CWGCOP"), soft hyphens and zero-width
 * joiners ignored. A hit says how the text differs from the term as the
 * term base writes it, so a caller can tell "CWG COP" (a variant) from
 * "CWG‑COP" with a non-breaking hyphen (the same term). Optionally a stem
 * callback (hunspell, say) lets inflected forms count: "stakeholders"
 * for the term "stakeholder".
 *
 * Deciding which hits are errors is not this module's business (that is
 * the checks'); nor is reading term bases (termbase.h).
 */
#ifndef HEXALIGN_TERMMATCH_H
#define HEXALIGN_TERMMATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "termbase.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hx_termmatch hx_termmatch;

/**
 * Receives one stem of a word; sink is the one the matcher passed.
 * stem is UTF-8, len bytes, borrowed for the call.
 */
typedef void (*hx_termmatch_stem_add)(void *sink, const char *stem, size_t len);

/**
 * A stemmer: call add(sink, ...) for each stem of word (UTF-8, len bytes,
 * as written in the text or the term: the matcher folds case itself),
 * most likely first, and return HX_OK, or a negative hx_status to stop
 * the match with that status (set err). Adding nothing means "no stem
 * known": the word stays as it is. With hunspell: Hunspell_stem(), add
 * each result, Hunspell_free_list().
 */
typedef int (*hx_termmatch_stem_fn)(void *payload, const char *word, size_t len,
				    hx_termmatch_stem_add add, void *sink,
				    hx_error *err);

enum {
	/** Report every hit, overlapping ones included, instead of the
	 * longest where hits overlap. */
	HX_TERMMATCH_ALL = 1u << 0,
};

typedef struct hx_termmatch_options {
	unsigned flags; /**< HX_TERMMATCH_* */
	/** A stemmer for inflected forms, or NULL (the default): terms then
	 * match as written, modulo the normalisation above. */
	hx_termmatch_stem_fn stem;
	void *stem_payload;
} hx_termmatch_options;

HX_EXTERN void hx_termmatch_options_init(hx_termmatch_options *opts);

/**
 * Compile the terms of tb in lang (normalised: "en-GB" is "en"), all
 * statuses, deprecated ones included: finding those is the point. The
 * term base must outlive the matcher; the options are copied (the stem
 * payload must stay valid).
 *
 * Returns HX_OK; HX_ENOTFOUND when tb has no term in lang (err says which
 * languages it has); HX_ENOMEM; or the status of a failing stem callback.
 */
HX_EXTERN int hx_termmatch_new(hx_termmatch **out, const hx_termbase *tb,
			       const char *lang,
			       const hx_termmatch_options *opts, hx_error *err);

/**
 * Compile n terms given as UTF-8 strings (copied); a hit's term is then an
 * index into terms. A string that normalises to nothing (only spaces or
 * dashes) never matches. HX_EINVAL when a term is not valid UTF-8.
 */
HX_EXTERN int hx_termmatch_new_strings(hx_termmatch **out,
				       const char *const *terms, size_t n,
				       const hx_termmatch_options *opts,
				       hx_error *err);

HX_EXTERN void hx_termmatch_free(hx_termmatch *m);

/** How a hit's text differs from its term as written (bits). */
enum {
	HX_TERM_DIFF_CASE = 1u << 0,  /**< "cwg-cop" */
	HX_TERM_DIFF_WIDTH = 1u << 1, /**< full-width "ＣＷＧ", ligatures */
	HX_TERM_DIFF_JOIN = 1u << 2,  /**< hyphen/space/nothing: "CWG COP" */
	HX_TERM_DIFF_DASH = 1u << 3,  /**< another hyphen or dash: U+2011 */
	HX_TERM_DIFF_SPACE = 1u << 4, /**< other white space (NBSP, two) */
	HX_TERM_DIFF_IGNORABLE = 1u << 5, /**< soft hyphen, zero-width joiner */
	HX_TERM_DIFF_INFLECTION = 1u << 6 /**< matched through the stemmer */
};

/** One occurrence of a term. */
typedef struct hx_term_hit {
	size_t start, end; /**< bytes [start, end) of the text as given */
	/** The term: an index for hx_termbase_term() (or into the strings).
	 * When several terms normalise alike ("CWG-COP" preferred, "CWGCOP"
	 * deprecated), the one the text writes exactly, else the one it
	 * differs least from (fewest HX_TERM_DIFF_* bits), else the first. */
	size_t term;
	unsigned diff; /**< HX_TERM_DIFF_* bits; 0 = exactly as written */
} hx_term_hit;

/**
 * Find the terms in text (UTF-8, len bytes; NFC is what the library's
 * readers produce and what terms are stored in). Hits are whole words
 * where the text's script separates words (Latin, Cyrillic, Arabic...: a
 * term is not found inside a longer word; a change from letters to digits
 * counts as a word edge, as in "CWG-COP2015"), and anywhere in Chinese,
 * Japanese and other scripts written without spaces. Where hits overlap,
 * the longest is kept (ties: the leftmost) unless HX_TERMMATCH_ALL.
 *
 * *hits (free with hx_term_hits_free()) holds *n hits in text order; it
 * is NULL when *n is 0. Returns HX_OK; HX_EINVAL when text is not valid
 * UTF-8 (err gives the byte offset); HX_ENOMEM; or the status of a
 * failing stem callback.
 */
HX_EXTERN int hx_termmatch_run(hx_term_hit **hits, size_t *n,
			       const hx_termmatch *m, const char *text,
			       size_t len, hx_error *err);

HX_EXTERN void hx_term_hits_free(hx_term_hit *hits);

/** The number of terms the matcher was built from, matchable or not. */
HX_EXTERN size_t hx_termmatch_count(const hx_termmatch *m);

#ifdef __cplusplus
}
#endif
#endif
