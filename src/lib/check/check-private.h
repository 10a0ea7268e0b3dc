/*
 * check-private.h - the findings framework (checker.c) as the rules
 * (check-typo.c, check-spell.c, check-bi.c, check-term.c, check-codes.c)
 * and the entry
 * points (check.c) see it: the rule numbers, the paragraph a rule looks
 * at, one way to report a finding, and the checker's dictionaries.
 */
#ifndef HX_CHECK_PRIVATE_H
#define HX_CHECK_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include <hexalign/check.h>

#include "align/anchor.h"

/* Indices into the rule table of check.c, in its order. */
enum hx__rule {
	HX_R_TERM_DEPRECATED,
	HX_R_TERM_VARIANT,
	HX_R_SPELLING,
	HX_R_DOUBLE_WORD,
	HX_R_DOUBLE_SPACE,
	HX_R_BRACKET,
	HX_R_QUOTE,
	HX_R_ZH_PUNCT,
	HX_R_DIGIT_WIDTH,
	HX_R_BI_TERM_MISSING,
	HX_R_BI_NUMBER,
	HX_R_BI_DATE,
	HX_R_BI_SYMBOL,
	HX_R_BI_UNTRANSLATED,
	HX_R_BI_EMPTY,
	HX_R_BI_SAME,
	HX_R_BI_INCONSISTENT_TARGET,
	HX_R_BI_INCONSISTENT_SOURCE,
	HX_R_BI_CODE_MISSING,
	HX_R_BI_CODE_EXTRA,
	HX_R_BI_CODE_ORDER,
	HX_R_BI_CODE_NESTING,
	HX_R_COUNT
};

/* A paragraph or segment under check, with the anchors (anchor.c) found
 * in it: URLs, e-mail addresses and document symbols are never reported
 * inside, and the bilingual rules compare them. */
struct hx__para {
	const char *file;
	size_t line;
	size_t col_base; /* code points before text[0] on its line (label) */
	const char *text;
	size_t len;
	const char *lang; /* "en", "zh", ... */
	const hx__anchor *anchors;
	size_t nanchors;
};

/* One run of checks: where findings go, and the first failure, sticky so
 * that the rules need not test every report. */
struct hx__ctx {
	hx_checker *ck;
	hx_findings *out;
	int rc;
};

bool hx__on(const struct hx__ctx *c, enum hx__rule r);

/* Report text[start, end) of p under rule r; the message is printf-style.
 * suggestion may be NULL. On failure c->rc is set. */
void hx__report(struct hx__ctx *c, enum hx__rule r, const struct hx__para *p,
		size_t start, size_t end, const char *suggestion,
		const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Report at the start of p something that is not in p's text (a number
 * of the source missing from the target): `found` is copied. */
void hx__report_other(struct hx__ctx *c, enum hx__rule r,
		      const struct hx__para *p, const char *found,
		      size_t found_len, const char *suggestion, const char *fmt,
		      ...) __attribute__((format(printf, 7, 8)));

/* Report at byte `at` of p something that is not p's text there (an
 * inline code, which the plain text does not show): `found` is copied
 * and tells findings at one place apart. */
void hx__report_at(struct hx__ctx *c, enum hx__rule r, const struct hx__para *p,
		   size_t at, const char *found, size_t found_len,
		   const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Whether [start, end) touches a URL, e-mail address or document symbol
 * of p, or, with latin, a Latin-script code (acronyms, CWG-COP). */
bool hx__protected(const struct hx__para *p, size_t start, size_t end,
		   bool latin);

/* The interned copy of a file name in f, and its index (findings sort
 * by file in the order the names came); NULL when memory runs out. */
const char *hx__findings_file(hx_findings *f, const char *name, size_t *idx);

/* Code points in s[0, n). */
size_t hx__cp_count(const char *s, size_t n);

/* The term base and the matcher of lang, built on first use; NULL
 * when there is no term base or it has no term in lang. */
const struct hx_termbase *hx__checker_termbase(const hx_checker *ck);
struct hx_termmatch *hx__checker_matcher(hx_checker *ck, const char *lang);

/* The spelling dictionary of lang, loaded on first use; NULL when there
 * is none (hx_checker_spell_ready says why). */
struct hx__speller *hx__checker_speller(hx_checker *ck, const char *lang);

#endif
