/*
 * check.h - quality checks for editors: terminology, spelling, typography
 * in any document, and mismatches between language versions, reported as
 * findings that point at a file, a line and a column.
 *
 * A checker holds the rule selection, the spelling dictionaries and the
 * extra accepted words; it checks a set of documents (hx_check_docs) or a
 * list of aligned segment pairs (hx_check_pairs) and appends findings to
 * an hx_findings list the caller owns. The checks never print; how the
 * findings are shown (compiler-style lines, JSON, HTML) is the caller's
 * business.
 */
#ifndef HEXALIGN_CHECK_H
#define HEXALIGN_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "doc.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hx_severity {
	HX_SEVERITY_INFO = 0,
	HX_SEVERITY_WARNING,
	HX_SEVERITY_ERROR
} hx_severity;

/** "info", "warning", "error". */
HX_EXTERN const char *hx_severity_str(hx_severity s);

/** One rule: a stable id ("term-deprecated"), its severity, what it finds. */
typedef struct hx_rule {
	const char *id;
	hx_severity severity;
	const char *description;
} hx_rule;

/** Number of rules; hx_rule_get(i) for i below it, in a fixed order. */
HX_EXTERN size_t hx_rule_count(void);

/** Rule i (borrowed, static); NULL when out of range. */
HX_EXTERN const hx_rule *hx_rule_get(size_t i);

/** The rule with this id, or NULL. */
HX_EXTERN const hx_rule *hx_rule_find(const char *id);

/**
 * One finding, a read-only view owned by its list. Strings are UTF-8 and
 * never NULL ("" when there is nothing to say).
 */
typedef struct hx_finding {
	const char *file; /**< as the document or pair named it */
	size_t
	    line; /**< source line (text), paragraph (DOCX), <tu> line (TMX) */
	size_t column; /**< 1-based, code points into the paragraph text after
			  its label */
	const char *rule; /**< the rule id */
	hx_severity severity;
	const char *message; /**< "deprecated term 'CWGCOP', use 'CWG-COP'" */
	const char *found;   /**< the text at fault */
	const char *suggestion; /**< the fix, or "" */
	const char *context;	/**< the paragraph or segment */
	size_t context_start;	/**< bytes of `found` inside context */
	size_t context_end;
} hx_finding;

/** A list of findings. */
typedef struct hx_findings hx_findings;

/** An empty list. Returns HX_OK or HX_ENOMEM. */
HX_EXTERN int hx_findings_new(hx_findings **out, hx_error *err);

/** Free; NULL is fine. */
HX_EXTERN void hx_findings_free(hx_findings *f);

/** Number of findings. */
HX_EXTERN size_t hx_findings_count(const hx_findings *f);

/** Finding i (borrowed), NULL when out of range. */
HX_EXTERN const hx_finding *hx_findings_get(const hx_findings *f, size_t i);

/**
 * Sort by file (in the order the files first appeared), line, column,
 * rule: the order a person reads them in.
 */
HX_EXTERN void hx_findings_sort(hx_findings *f);

/** The highest severity in the list; -1 when it is empty. */
HX_EXTERN int hx_findings_max_severity(const hx_findings *f);

typedef struct hx_check_options {
	/** Where hunspell dictionaries (LANG.aff, LANG.dic) live; NULL:
	 * /usr/share/hunspell. */
	const char *dict_dir;
	/** A folder of domain word lists, LANG.txt (one word a line, '#'
	 * comments), loaded with each dictionary; NULL: none. */
	const char *wordlist_dir;
} hx_check_options;

/** Fill *opts with the defaults. */
HX_EXTERN void hx_check_options_init(hx_check_options *opts);

/** Rule selection, dictionaries, accepted words. */
typedef struct hx_checker hx_checker;

/** A checker with every rule on. `opts` may be NULL. HX_OK or HX_ENOMEM. */
HX_EXTERN int hx_checker_new(hx_checker **out, const hx_check_options *opts,
			     hx_error *err);

/** Free; NULL is fine. */
HX_EXTERN void hx_checker_free(hx_checker *ck);

/**
 * Keep only the rules of a comma-separated list ("spelling,typo-*": an id,
 * or a prefix with '*'). Returns HX_OK or HX_EINVAL naming an id that is
 * no rule (the selection is then unchanged).
 */
HX_EXTERN int hx_checker_only(hx_checker *ck, const char *list, hx_error *err);

/** Turn off the rules of a list, as hx_checker_only() reads it. */
HX_EXTERN int hx_checker_ignore(hx_checker *ck, const char *list,
				hx_error *err);

/** Whether rule `id` is on. */
HX_EXTERN bool hx_checker_is_on(const hx_checker *ck, const char *id);

struct hx_termbase;

/**
 * Check terminology against `tb` (borrowed: it must outlive the checker;
 * NULL turns it off): deprecated and superseded terms (term-deprecated,
 * with the preferred term), terms written in another form than the term
 * base's (term-variant: case, width, hyphen/space/none, dashes; the
 * non-breaking hyphen is the same term), and source terms whose target
 * equivalent is missing from a pair (bi-term-missing). Every term becomes
 * an accepted word for spelling. Returns HX_OK or HX_ENOMEM.
 */
HX_EXTERN int hx_checker_set_termbase(hx_checker *ck,
				      const struct hx_termbase *tb,
				      hx_error *err);

/**
 * Accept `word` (UTF-8) as correctly spelt in `lang` ("en", "fr", ...).
 * Words of several parts ("CWG-COP", "child online protection") are
 * accepted part by part. Returns HX_OK, HX_EFORMAT (invalid UTF-8) or
 * HX_ENOMEM.
 */
HX_EXTERN int hx_checker_add_word(hx_checker *ck, const char *lang,
				  const char *word, size_t len, hx_error *err);

/**
 * Accept every word of a list file (UTF-8, one a line, '#' comments).
 * Returns HX_OK, HX_ENOTFOUND, HX_EIO, HX_EFORMAT (FILE:LINE) or
 * HX_ENOMEM.
 */
HX_EXTERN int hx_checker_load_wordlist(hx_checker *ck, const char *lang,
				       const char *path, hx_error *err);

/**
 * Load the spelling dictionary of `lang` now. HX_OK when it is there;
 * HX_ENOTFOUND with a message naming the Debian package to install
 * ("hunspell-ru") when it is not; HX_EINVAL for a language hexalign does
 * not spell-check (Chinese). The checks call this themselves and skip
 * spelling in a language whose dictionary is missing; call it first to
 * tell the user why.
 */
HX_EXTERN int hx_checker_spell_ready(hx_checker *ck, const char *lang,
				     hx_error *err);

/**
 * The number of distinct unknown words reported without a suggestion
 * because finding one would have been slow: a word one edit away from a
 * misspelling is always found, but hunspell's full search (0.1-0.3 s a
 * word) runs for the first three other words of each language only.
 */
HX_EXTERN size_t hx_checker_unsuggested(const hx_checker *ck);

/**
 * Check n documents as one set: each in its language (langs[i]; NULL:
 * the document's own, else detected), and across the set for variants of
 * one term. Findings are appended to `out`. Returns HX_OK, HX_ENOMEM or
 * HX_EIO (a word list that cannot be read).
 */
HX_EXTERN int hx_check_docs(hx_findings *out, hx_checker *ck,
			    const hx_doc *const *docs, const char *const *langs,
			    size_t n, hx_error *err);

/** One aligned pair of segments; findings point at the target. */
typedef struct hx_check_pair {
	const char *file; /**< the target document, or the TMX */
	size_t line;	  /**< the target's line, or the <tu>'s */
	const char *src;
	size_t src_len;
	const char *tgt; /**< may be NULL when tgt_len is 0 */
	size_t tgt_len;
	/** The inline codes of both sides (bi-code-* rules), all borrowed;
	 * zero (NULL, 0) when a side has none, so a pair initialised with
	 * the six fields above has no codes. Codes come in the order they
	 * stand in the text; two are the same code when id and kind (OPEN,
	 * CLOSE, STANDALONE) are, and their offsets are not read.
	 * `src_coded` (may be NULL) is the source as coded text: code k is
	 * the character U+E000 + k at its place, as in hx_xliff_seg. When
	 * the target's coded text without its placeholders is the target,
	 * a finding points at its code's place; otherwise at the start. */
	const char *src_coded, *tgt_coded;
	const hx_inline *src_codes, *tgt_codes;
	size_t nsrc_codes, ntgt_codes;
} hx_check_pair;

/**
 * The bilingual checks on n pairs from `src_lang` to `tgt_lang`: numbers,
 * dates and document symbols that differ, empty, untranslated or copied
 * targets, inline codes missing from the target, extra, reordered or
 * ill-nested there (when either side has codes), and, over the whole
 * list, one source translated differently and one target standing for
 * different sources. Texts must be valid UTF-8. Returns HX_OK or
 * HX_ENOMEM.
 */
HX_EXTERN int hx_check_pairs(hx_findings *out, hx_checker *ck,
			     const char *src_lang, const char *tgt_lang,
			     const hx_check_pair *pairs, size_t n,
			     hx_error *err);

/** Forms of hx_findings_write(). */
typedef enum hx_findings_format {
	HX_FINDINGS_TEXT, /**< FILE:LINE:COL: SEVERITY: MESSAGE [RULE] */
	HX_FINDINGS_JSON, /**< one object a line: file, line, column, rule,
			     severity, message, found, suggestion */
	HX_FINDINGS_HTML  /**< a report grouped by rule, in context */
} hx_findings_format;

/**
 * The form named `name` ("text", "json", "html") into *out. Returns HX_OK,
 * or HX_EINVAL (*out untouched) for any other name.
 */
HX_EXTERN int hx_findings_format_parse(hx_findings_format *out,
				       const char *name);

/**
 * Write the findings (in their order: hx_findings_sort() first) to f.
 * `files` (nfiles entries) are the inputs the HTML report names. Returns
 * HX_OK, or HX_EINVAL for an unknown format.
 */
HX_EXTERN int hx_findings_write(FILE *f, const hx_findings *fs,
				hx_findings_format format,
				const char *const *files, size_t nfiles,
				hx_error *err);

/**
 * Pairs for hx_check_pairs() read from a bilingual file or made by
 * aligning a document with its translation; for a TMX or an XLIFF also
 * the two sides as documents (a block a segment, at its line) for
 * hx_check_docs().
 */
typedef struct hx_check_input hx_check_input;

/**
 * The pairs of every <tu> of a TMX that holds both languages ("en" takes
 * "en-US" too), each at the <tu>'s line. Returns HX_OK; HX_ENOTFOUND when
 * no unit holds both; what hx_tmx_read() returns.
 */
HX_EXTERN int hx_check_input_tmx(hx_check_input **out, const char *path,
				 const char *src_lang, const char *tgt_lang,
				 hx_error *err);

/**
 * The segments of an XLIFF 2.x or 1.2, each at its <target> line (a
 * segment not translated yet is an empty target at its <source> line).
 * src_lang/tgt_lang NULL: the file's, normalised as the memory stores
 * them. Returns HX_OK; HX_EINVAL when a language is neither given nor a
 * code in the file; HX_ENOTFOUND when there is no segment; what
 * hx_xliff_read() returns.
 */
HX_EXTERN int hx_check_input_xliff(hx_check_input **out, const char *path,
				   const char *src_lang, const char *tgt_lang,
				   hx_error *err);

/** A warning while aligning (borrowed for the call). */
typedef void (*hx_check_warn_fn)(void *payload, const char *message);

typedef struct hx_check_align_options {
	const char *lexicon_dir; /**< hx_lexicon_load_pair(); NULL: none */
	hx_check_warn_fn warn;	 /**< "A and B may not be versions ..." */
	void *payload;
} hx_check_align_options;

/**
 * Segment src and tgt, align them and make a pair of every bead with both
 * sides, at the target's line (1-0 and 0-1 beads are left out: no partner
 * found is no proof of a missing translation). opts may be NULL. Returns
 * HX_OK or what hx_sentences_from_doc(), hx_lexicon_load_pair() (but
 * HX_ENOTFOUND) and hx_align_run() return.
 */
HX_EXTERN int hx_check_input_align(hx_check_input **out, const hx_doc *src,
				   const char *src_lang, const hx_doc *tgt,
				   const char *tgt_lang,
				   const hx_check_align_options *opts,
				   hx_error *err);

/** The pairs (*n of them), borrowed from in. */
HX_EXTERN const hx_check_pair *hx_check_input_pairs(const hx_check_input *in,
						    size_t *n);

/** Side 0 (source) or 1 (target) as a document; NULL for aligned pairs. */
HX_EXTERN const hx_doc *hx_check_input_get_doc(const hx_check_input *in,
					       int side);

/** The language of side 0 or 1. */
HX_EXTERN const char *hx_check_input_get_lang(const hx_check_input *in,
					      int side);

HX_EXTERN void hx_check_input_free(hx_check_input *in);

/* ---- a whole check, as a front-end runs it ---------------------------- */

/** Most documents one session checks. */
#define HX_CHECK_MAX_FILES 256

/** What a session reads and how; every string is borrowed and must
 * outlive the session. */
typedef struct hx_check_session_options {
	/** Dictionaries and the shipped word lists (hx_checker_new()). */
	hx_check_options check;
	/** hx_checker_only() and hx_checker_ignore() lists; NULL: all. */
	const char *rules, *ignore;
	/** A term base file (hx_termbase_load()); NULL: none. */
	const char *termbase;
	/** More accepted words (hx_checker_load_wordlist()), loaded for
	 * every language checked. */
	const char *const *wordlists;
	size_t nwordlists;
	/** Language of the files; NULL: each file's, detected (else en). */
	const char *lang;
	/** The translation of the one file: aligned with it, then the
	 * pairs checked; target_lang is its language. */
	const char *target, *target_lang;
	/** A TMX (source_lang and target_lang both needed) or an XLIFF
	 * (languages from the file unless given) to check instead of
	 * files: its pairs, and its target side as a document. */
	const char *tmx, *xliff, *source_lang;
	/** Lexicons for aligning `target` (hx_check_align_options). */
	const char *lexicon_dir;
	/** Warnings: a missing dictionary, a language without terms, a
	 * pair that may be two documents. NULL: none are reported. */
	hx_check_warn_fn warn;
	void *payload;
} hx_check_session_options;

HX_EXTERN void hx_check_session_options_init(hx_check_session_options *opts);

/** A check of one set of inputs and its findings. */
typedef struct hx_check_session hx_check_session;

/**
 * Validate the options for files[0..nfiles) (borrowed, must outlive the
 * session) and set up the checker and its rule selection; nothing is
 * read yet. Returns HX_OK; HX_EINVAL for options that make no check (a
 * language that is no code, inputs that exclude each other, a TMX
 * without both languages, more than HX_CHECK_MAX_FILES files, a rule
 * list naming no rule), the message saying which; HX_ENOTFOUND when
 * there is nothing to check; HX_ENOMEM.
 */
HX_EXTERN int hx_check_session_new(hx_check_session **out,
				   const char *const *files, size_t nfiles,
				   const hx_check_session_options *opts,
				   hx_error *err);

/**
 * Load the term base, read the inputs, prepare each language checked
 * (its dictionary, the word lists, a warning when the dictionary or the
 * term base's terms are missing), run hx_check_docs() (on the target
 * side alone for a TMX or an XLIFF) and hx_check_pairs(), and sort the
 * findings. Call once. Returns HX_OK or what those calls return.
 */
HX_EXTERN int hx_check_session_run(hx_check_session *s, hx_error *err);

/** The findings (borrowed; sorted after hx_check_session_run()). */
HX_EXTERN const hx_findings *
hx_check_session_get_findings(const hx_check_session *s);

/** The checker (borrowed), e.g. for hx_checker_unsuggested(). */
HX_EXTERN const hx_checker *
hx_check_session_get_checker(const hx_check_session *s);

/** The input names, *n of them, as hx_findings_write() lists them. */
HX_EXTERN const char *const *
hx_check_session_get_files(const hx_check_session *s, size_t *n);

/** Free; NULL is fine. */
HX_EXTERN void hx_check_session_free(hx_check_session *s);

#ifdef __cplusplus
}
#endif
#endif
