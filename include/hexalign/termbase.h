/*
 * termbase.h - term bases: concepts, and for each concept the terms that
 * name it in each language, with the status an editor must respect
 * (preferred, admitted, deprecated, superseded).
 *
 * Two formats are read: TBX (ISO 30042), both the 2008 form with a
 * <martif> root that CAT tools export (TBX-Basic, TBX-Default and the
 * LISA samples) and TBX v3 (2019) with a <tbx> root; and a plain TSV file
 * that editors can keep in a spreadsheet. The whole term base is held in
 * memory: term bases are small next to the documents they check. This
 * module only reads; finding terms in a text is termmatch.h, judging a
 * document against them is the checks' business.
 */
#ifndef HEXALIGN_TERMBASE_H
#define HEXALIGN_TERMBASE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hx_termbase hx_termbase;

/** What the term base says about using a term. */
typedef enum hx_term_status {
	/** No status given: usable, like an admitted term. */
	HX_TERM_UNSPECIFIED = 0,
	/** The term to use. TBX's normative statuses (standardizedTerm,
	 * legalTerm, regulatedTerm) are read as preferred too; the value as
	 * written stays in hx_term.status_text. */
	HX_TERM_PREFERRED,
	HX_TERM_ADMITTED,   /**< acceptable, though not the first choice */
	HX_TERM_DEPRECATED, /**< not to be used */
	HX_TERM_SUPERSEDED  /**< was right once, replaced by another */
} hx_term_status;

/**
 * One term. Every string is UTF-8 in NFC, owned by the term base and valid
 * until hx_termbase_free(); fields that the file does not give are NULL,
 * except those marked "never NULL".
 */
typedef struct hx_term {
	/** The concept's id as written (termEntry/@id, TSV column concept),
	 * or "#N" (the concept's 1-based position) when it has none. Never
	 * NULL. */
	const char *concept;
	size_t concept_index; /**< 0-based, < hx_termbase_concept_count() */
	/** The language, normalised as hx_tm_lang_norm() does ("en-US" ->
	 * "en", "zh-CN" -> "zh"). Never NULL. */
	const char *lang;
	/** The term: white space runs made one space, trimmed. Never NULL,
	 * never empty. */
	const char *text;
	size_t len; /**< strlen(text) */
	hx_term_status status;
	/** The status as the file writes it ("deprecatedTerm-admn-sts"). */
	const char *status_text;
	const char *pos;  /**< part of speech ("noun") */
	const char *type; /**< termType ("acronym", "fullForm", "synonym") */
	/** The definition: the term's own, else its language's, else the
	 * concept's. */
	const char *definition;
	/** Notes for the editor (TBX <note>, usageNote; TSV column note),
	 * term level first then language and concept level, joined by "; ".
	 */
	const char *note;
	const char *context; /**< an example of use (descrip type="context") */
	size_t line;	     /**< where the term is in the file (1-based) */
} hx_term;

/** The format of a term base file. */
typedef enum hx_termbase_format {
	HX_TERMBASE_AUTO = 0, /**< by content: XML is TBX, anything else TSV */
	HX_TERMBASE_TBX,
	HX_TERMBASE_TSV
} hx_termbase_format;

typedef struct hx_termbase_options {
	hx_termbase_format format; /**< default HX_TERMBASE_AUTO */
	/** Larger files are refused with HX_ELIMIT (default 256 MiB). */
	size_t max_input;
} hx_termbase_options;

HX_EXTERN void hx_termbase_options_init(hx_termbase_options *opts);

/**
 * Read a term base.
 *
 * TBX: termEntry (v3: conceptEntry) -> langSet (langSec) -> tig, ntig
 * (termGrp) or termSec -> term. The status is termNote
 * type="administrativeStatus" or "normativeAuthorization" (or the v3
 * element <administrativeStatus>), as a plain word (preferred, admitted,
 * deprecated, superseded) or a TBX value (preferredTerm-admn-sts...); part
 * of speech, termType, definition, note, usageNote and context are kept.
 * An empty <term/> (MultiTerm's export of a language without a term yet)
 * is left out. The encoding is the one the XML declaration names (UTF-8 without
 * one; UTF-16 with a byte order mark). Entities are refused where they are
 * declared (no entity bomb can expand, no external file is read), no DTD
 * is loaded and nothing is fetched from the network.
 *
 * TSV: UTF-8 (byte order mark allowed; UTF-16 with a BOM is converted),
 * LF or CRLF; lines starting with '#' and blank lines are skipped. The
 * first other line is the header naming the columns, in any order:
 * concept, language and term are required; status, note, pos,
 * definition may follow. Rows with the same concept are one concept.
 *
 * Returns HX_OK with *out set; otherwise *out is NULL and err says
 * "FILE:LINE: what is wrong": HX_ENOTFOUND (no such file), HX_EIO,
 * HX_ENOMEM, HX_ELIMIT (max_input), HX_EFORMAT (empty file, malformed
 * XML, not TBX, a language missing on a langSet, an empty TSV term, an
 * unknown status, invalid UTF-8, a TSV row without the required fields,
 * a file with no term at all).
 */
HX_EXTERN int hx_termbase_load(hx_termbase **out, const char *path,
			       const hx_termbase_options *opts, hx_error *err);

/** As hx_termbase_load() on len bytes of memory; name is used in messages.
 */
HX_EXTERN int hx_termbase_load_memory(hx_termbase **out, const char *name,
				      const char *data, size_t len,
				      const hx_termbase_options *opts,
				      hx_error *err);

/** Free the term base and every string it handed out; NULL is fine. */
HX_EXTERN void hx_termbase_free(hx_termbase *tb);

/** The number of terms, all languages. */
HX_EXTERN size_t hx_termbase_count(const hx_termbase *tb);

/**
 * Term i (i < hx_termbase_count()), borrowed. Terms are grouped by concept,
 * in the order concepts first appear, and in file order within one.
 */
HX_EXTERN const hx_term *hx_termbase_term(const hx_termbase *tb, size_t i);

/** The number of concepts (TBX entries; distinct TSV concept ids). */
HX_EXTERN size_t hx_termbase_concept_count(const hx_termbase *tb);

/** The id of concept c, as hx_term.concept gives it. */
HX_EXTERN const char *hx_termbase_concept_id(const hx_termbase *tb, size_t c);

/** The index of the first term of concept c and, in *n, how many it has. */
HX_EXTERN size_t hx_termbase_concept_terms(const hx_termbase *tb, size_t c,
					   size_t *n);

/** The number of languages, and language i (normalised, borrowed), in the
 * order they first appear. */
HX_EXTERN size_t hx_termbase_lang_count(const hx_termbase *tb);
HX_EXTERN const char *hx_termbase_lang(const hx_termbase *tb, size_t i);

/** Whether any term is in lang (normalised first: "en-GB" asks for "en"). */
HX_EXTERN bool hx_termbase_has_lang(const hx_termbase *tb, const char *lang);

/**
 * HX_OK when the term base has terms in lang; otherwise HX_ENOTFOUND and
 * err says "NAME: no terms in 'fr' (the term base has en, zh)", the
 * message a command shows when asked to check a language the term base
 * does not cover.
 */
HX_EXTERN int hx_termbase_require_lang(const hx_termbase *tb, const char *lang,
				       hx_error *err);

/**
 * The term to use for concept c in lang: its first preferred term, else
 * its first term with no status or admitted. NULL when the concept has no
 * term in lang or only deprecated and superseded ones. Borrowed.
 */
HX_EXTERN const hx_term *hx_termbase_preferred(const hx_termbase *tb, size_t c,
					       const char *lang);

/**
 * The term to suggest in place of t (a deprecated or superseded term, say):
 * a preferred term of t's concept in t's language with t's termType (an
 * acronym for an acronym: "CWG-COP" for "CWGCOP", not the full name),
 * else hx_termbase_preferred(). NULL when t is preferred itself, or when
 * there is nothing to suggest. Borrowed.
 */
HX_EXTERN const hx_term *hx_termbase_suggest(const hx_termbase *tb,
					     const hx_term *t);

/** "preferred", "admitted", "deprecated", "superseded" or "unspecified". */
HX_EXTERN const char *hx_term_status_str(hx_term_status status);

#ifdef __cplusplus
}
#endif
#endif
