/*
 * terms.h - terminology mined from a translation memory: English term
 * candidates ranked by termhood, each with the translation the aligned
 * units give it in every other language of the memory; and a term base
 * checked against how the memory actually translates its terms.
 *
 * The candidates are for an editor to review (they are written with the
 * status "admitted"), not a term base to trust blindly: every translation
 * carries its co-occurrence count and a confidence, and the units it was
 * seen in. Checking documents against a term base is check.h's business.
 */
#ifndef HEXALIGN_TERMS_H
#define HEXALIGN_TERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "termbase.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hx_terms hx_terms;

typedef struct hx_terms_options {
	size_t max_terms; /**< candidates kept, best first (default 100) */
	size_t min_freq;  /**< occurrences a candidate needs (default 3) */
	/** hunspell dictionaries, for the general-English test of single
	 * words (NULL: /usr/share/hunspell; without en_US no word is taken
	 * as general). */
	const char *dict_dir;
	/** Units of one candidate read for its translations: a sample, so
	 * that "United Nations" in a million units costs no more than a
	 * rarer term (default 2000). */
	size_t max_units;
} hx_terms_options;

HX_EXTERN void hx_terms_options_init(hx_terms_options *opts);

/** The translation of a candidate in one language. Strings borrowed. */
typedef struct hx_terms_translation {
	const char *lang; /**< normalised, as the memory stores it */
	const char *text; /**< as written in one of the units */
	/** units holding both the candidate and this translation */
	size_t freq;
	/** units of the candidate that have a segment in lang */
	size_t units;
	double dice; /**< Dice coefficient over the units (0..1] */
	/** An estimate of the chance that text is right, in [0, 1]; see
	 * bench/terms-eval.py for how it compares with a hand-made list. */
	double confidence;
} hx_terms_translation;

/** A unit a candidate occurs in: its id (memory unit id, or the 1-based
 * number of the <tu> in a TMX file) and its English segment. */
typedef struct hx_terms_example {
	int64_t unit;
	const char *source;
} hx_terms_example;

/** One English candidate. Everything borrowed from the result. */
typedef struct hx_terms_candidate {
	/** as written in one unit (not at the start of a sentence when
	 * another occurrence is not) */
	const char *text;
	size_t words;
	size_t freq;   /**< occurrences */
	size_t units;  /**< units it occurs in */
	double cvalue; /**< C-value (Frantzi et al. 2000), see terms-mine.c */
	/** The ranking score: cvalue, lowered for a general English word. */
	double score;
	bool general; /**< a single word the general dictionary knows */
	bool acronym; /**< written in capitals: "ITU", "CWG-COP" */
	const hx_terms_translation *trans; /**< one per language found */
	size_t ntrans;
	const hx_terms_example *examples; /**< at most 3 */
	size_t nexamples;
} hx_terms_candidate;

/**
 * Mine the memory at path: a hexalign memory (SQLite) or a TMX file,
 * told apart by content. Returns HX_OK with *out set; HX_ENOTFOUND (no
 * such file); HX_EFORMAT ("FILE:LINE: ..." for malformed TMX; "FILE: the
 * memory holds no units"; "FILE: no English segments (it has fr, zh)");
 * HX_EIO; HX_ENOMEM.
 */
HX_EXTERN int hx_terms_mine(hx_terms **out, const char *path,
			    const hx_terms_options *opts, hx_error *err);

HX_EXTERN void hx_terms_free(hx_terms *t);

HX_EXTERN size_t hx_terms_count(const hx_terms *t);
/** Candidate i (< hx_terms_count()), best first; borrowed. */
HX_EXTERN const hx_terms_candidate *hx_terms_get(const hx_terms *t, size_t i);
/** The units read, and those with an English segment. */
HX_EXTERN size_t hx_terms_units(const hx_terms *t, size_t *english);
/** The languages of the memory (en first), borrowed. */
HX_EXTERN size_t hx_terms_lang_count(const hx_terms *t);
HX_EXTERN const char *hx_terms_lang(const hx_terms *t, size_t i);

typedef enum hx_terms_format {
	HX_TERMS_TBX = 0, /**< TBX-Basic (TBX v3 DCA), status admitted */
	HX_TERMS_JSON,	  /**< a JSON array, one candidate a line */
	HX_TERMS_HTML	  /**< a self-contained review page */
} hx_terms_format;

/**
 * Write the candidates to f. `name` (the input's name) goes into the
 * TBX header and the page title. HX_EIO when writing fails.
 */
HX_EXTERN int hx_terms_write(FILE *f, const hx_terms *t, const char *name,
			     hx_terms_format fmt, hx_error *err);

/** One alternative rendering check-base found. Borrowed. */
typedef struct hx_terms_alt {
	const char *text;
	size_t count;
	int64_t example; /**< a unit that has it */
} hx_terms_alt;

/** A preferred term the memory translates otherwise. Borrowed. */
typedef struct hx_terms_finding {
	const char *concept;
	const char *lang;
	const char *source;	  /**< the English term */
	const char *preferred;	  /**< the preferred term in lang */
	size_t units;		  /**< units with the English term and lang */
	size_t otherwise;	  /**< of them, without the preferred term */
	const hx_terms_alt *alts; /**< most frequent first, at most 3 */
	size_t nalts;
	int64_t example; /**< a unit translating otherwise */
} hx_terms_finding;

typedef struct hx_terms_check hx_terms_check;

/**
 * For each concept of tb with an English term and a preferred term in a
 * language L of the memory at path: the units whose English holds the
 * English term and whose L segment lacks the preferred term (matched
 * case-insensitively, inflections folded as the aligner's lexicon keys
 * do). Returns what hx_terms_mine() returns for the memory.
 */
HX_EXTERN int hx_terms_check_base(hx_terms_check **out, const hx_termbase *tb,
				  const char *path,
				  const hx_terms_options *opts, hx_error *err);
HX_EXTERN void hx_terms_check_free(hx_terms_check *c);
HX_EXTERN size_t hx_terms_check_count(const hx_terms_check *c);
HX_EXTERN const hx_terms_finding *hx_terms_check_get(const hx_terms_check *c,
						     size_t i);
/** Findings as text lines or JSON lines. HX_EIO when writing fails. */
HX_EXTERN int hx_terms_check_write(FILE *f, const hx_terms_check *c, bool json,
				   hx_error *err);

#ifdef __cplusplus
}
#endif
#endif
