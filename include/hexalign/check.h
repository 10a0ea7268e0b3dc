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
} hx_check_pair;

/**
 * The bilingual checks on n pairs from `src_lang` to `tgt_lang`: numbers,
 * dates and document symbols that differ, empty, untranslated or copied
 * targets, and, over the whole list, one source translated differently
 * and one target standing for different sources. Texts must be valid
 * UTF-8. Returns HX_OK or HX_ENOMEM.
 */
HX_EXTERN int hx_check_pairs(hx_findings *out, hx_checker *ck,
			     const char *src_lang, const char *tgt_lang,
			     const hx_check_pair *pairs, size_t n,
			     hx_error *err);

#ifdef __cplusplus
}
#endif
#endif
