/*
 * segment/ - hx_doc into sentences: SRX rules (srx.c) on top of ICU's
 * break iterator (segment.c), and a document's sentences in order as the
 * aligner takes them (sentences.c).
 *
 * segment.c - splitting a block of text into sentences. ICU's sentence
 * break iterator (UAX #29, with the locale's abbreviation suppressions
 * turned on by "@ss=standard") proposes breaks; SRX rules then veto them
 * or add new ones. This file applies rules to text; reading and checking
 * rule files is srx.c's job, and deciding what a block is (paragraph,
 * heading, list item) is the reader's.
 *
 * How the two meet. Every position p of the text gets at most one SRX
 * decision: the one of the first rule, in SRX order, whose pattern
 * "(?:BEFORE)(?=AFTER)" has a match ending at p (SRX 2.0, section 2.5:
 * rules are tried in order and the first that matches wins). Where no rule
 * decides, ICU's answer stands. Rules and ICU disagree about where in the
 * white space between two sentences the break lies (ICU after the spaces,
 * most SRX files before them), so positions are compared after moving
 * them left over white space: "Mr. |Smith" and "Mr.| Smith" are the same
 * candidate. Segments are trimmed, so the choice never shows.
 *
 * Finding the matches. Each rule scans the whole text once with
 * uregex_find(). After a match starting at s, the next search starts one
 * character after s, not at the match's end: rules that begin with
 * context ("\s[A-Z]\.", initials) would otherwise miss the second of two
 * overlapping places ("J. R. R. Tolkien"). The cost is that a rule whose
 * BEFORE can span long stretches (".*x") rescans them from every start;
 * ICU's time limit, set at load, stops a pathological one. A match from a
 * given start still reports one end only (the regex engine's first
 * choice), so a greedy BEFORE such as "([A-Z]\.)+" decides at the end of
 * the run only; hexalign's own rules are written without such loops.
 *
 * The text is converted to UTF-16 once per call, because that is ICU's
 * native form and its fast path for both the break iterator and the
 * regex engine; a table maps UTF-16 indexes back to byte offsets.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/utf8.h>

#include "base/error-private.h"
#include "segment/srx.h"

struct seg_rule {
	URegularExpression *re; /* a private clone of the loaded rule */
	bool brk;
};

struct hx_segmenter {
	hx_srx *own; /* the built-in rules, when the caller gave none */
	UBreakIterator *bi;
	struct seg_rule *rules;
	size_t nrules;
};

/* Per-position marks. RULE_* are set by the first rule that decides. */
enum { ICU_BREAK = 1, RULE_YES = 2, RULE_NO = 4 };

static const UChar empty[1];

/* Same limit as srx.c: see RULE_TIME_LIMIT there. Clones do not inherit
 * the limit, so it is set again. */
#define RULE_TIME_LIMIT 1000

void hx_segmenter_free(hx_segmenter *seg)
{
	if (!seg)
		return;
	for (size_t i = 0; i < seg->nrules; i++)
		uregex_close(seg->rules[i].re);
	free(seg->rules);
	ubrk_close(seg->bi);
	hx_srx_free(seg->own);
	free(seg);
}

/* "en" -> "en@ss=standard": ICU's sentence iterator then suppresses
 * breaks after the abbreviations listed in its locale data (CLDR
 * segmentations/SentenceBreak exceptions: "Mr.", "Dr.", "e.g."...). */
static int open_iterator(UBreakIterator **bi, const char *lang, hx_error *err)
{
	char loc[ULOC_FULLNAME_CAPACITY + 32];
	UErrorCode st = U_ZERO_ERROR;
	int32_t parsed = 0;

	uloc_forLanguageTag(lang, loc, ULOC_FULLNAME_CAPACITY, &parsed, &st);
	if (U_FAILURE(st) || parsed <= 0) {
		st = U_ZERO_ERROR;
		snprintf(loc, ULOC_FULLNAME_CAPACITY, "%s", lang);
	}
	uloc_setKeywordValue("ss", "standard", loc, (int32_t)sizeof(loc), &st);
	if (U_FAILURE(st))
		return hx__error_set(err, HX_EINVAL, "language \"%s\": %s",
				     lang, u_errorName(st));
	*bi = ubrk_open(UBRK_SENTENCE, loc, NULL, 0, &st);
	if (U_FAILURE(st))
		return hx__error_set(err, HX_EINVAL,
				     "no sentence break iterator for \"%s\": "
				     "%s",
				     lang, u_errorName(st));
	return HX_OK;
}

int hx_segmenter_new(hx_segmenter **out, const char *lang, const hx_srx *srx,
		     hx_error *err)
{
	const struct hx_srx_rule **sel = NULL;
	hx_segmenter *seg = NULL;
	size_t nsel = 0;
	int rc;

	assert(out && lang);
	*out = NULL;
	if (!*lang)
		return hx__error_set(err, HX_EINVAL, "empty language code");
	seg = calloc(1, sizeof(*seg));
	if (!seg)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if ((rc = open_iterator(&seg->bi, lang, err)) < 0)
		goto fail;
	if (!srx) {
		if ((rc = hx_srx_load_default(&seg->own, err)) < 0)
			goto fail;
		srx = seg->own;
	}
	if ((rc = hx__srx_select(&sel, &nsel, srx, lang, err)) < 0)
		goto fail;
	seg->rules = calloc(nsel ? nsel : 1, sizeof(*seg->rules));
	if (!seg->rules) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < nsel; i++) {
		UErrorCode st = U_ZERO_ERROR;

		seg->rules[i].brk = sel[i]->brk;
		seg->rules[i].re = uregex_clone(sel[i]->re, &st);
		if (U_SUCCESS(st))
			uregex_setTimeLimit(seg->rules[i].re, RULE_TIME_LIMIT,
					    &st);
		if (U_FAILURE(st)) {
			uregex_close(seg->rules[i].re);
			rc = hx__error_set(err, HX_ENOMEM, "preparing rule: %s",
					   u_errorName(st));
			goto fail;
		}
		seg->nrules++;
	}
	free(sel);
	*out = seg;
	return HX_OK;
fail:
	free(sel);
	hx_segmenter_free(seg);
	return rc;
}

static bool is_space(UChar c)
{
	return u_isUWhiteSpace(c);
}

/* What one call works on; freed together. */
struct work {
	UChar *u;	     /* the text in UTF-16 */
	int32_t n;	     /* its length */
	size_t *off;	     /* off[i]: byte offset of u[i]; off[n] = len */
	int32_t *key;	     /* key[p]: p moved left over white space */
	unsigned char *mark; /* ICU_BREAK | RULE_* at key positions */
};

static void work_free(struct work *w)
{
	free(w->u);
	free(w->off);
	free(w->key);
	free(w->mark);
}

/* Decode UTF-8 into w->u; ill-formed bytes become U+FFFD, so that bad
 * input segments instead of failing (the readers validate anyway). */
static int work_init(struct work *w, const char *text, size_t len)
{
	int32_t i = 0, len32 = (int32_t)len;

	memset(w, 0, sizeof(*w));
	w->u = malloc((len + 1) * sizeof(*w->u));
	w->off = malloc((len + 1) * sizeof(*w->off));
	w->key = malloc((len + 1) * sizeof(*w->key));
	w->mark = calloc(len + 1, 1);
	if (!w->u || !w->off || !w->key || !w->mark)
		return HX_ENOMEM;
	while (i < len32) {
		int32_t start = i;
		UChar32 c;

		U8_NEXT(text, i, len32, c);
		if (c < 0)
			c = 0xFFFD;
		w->off[w->n] = (size_t)start;
		if (U_IS_BMP(c)) {
			w->u[w->n++] = (UChar)c;
		} else {
			w->u[w->n++] = U16_LEAD(c);
			w->off[w->n] = (size_t)start;
			w->u[w->n++] = U16_TRAIL(c);
		}
	}
	w->off[w->n] = len;
	for (int32_t p = 0; p <= w->n; p++)
		w->key[p] = p > 0 && is_space(w->u[p - 1]) ? w->key[p - 1] : p;
	return HX_OK;
}

/* Record, for every place rule r matches, its decision unless an earlier
 * rule already decided there. */
static int apply_rule(struct work *w, const struct seg_rule *r, hx_error *err)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t from = 0;

	uregex_setText(r->re, w->u, w->n, &st);
	while (U_SUCCESS(st) && from <= w->n && uregex_find(r->re, from, &st)) {
		int32_t s = uregex_start(r->re, 0, &st);
		int32_t e = uregex_end(r->re, 0, &st);
		unsigned char *m;

		if (U_FAILURE(st))
			break;
		m = &w->mark[w->key[e]];
		if (!(*m & (RULE_YES | RULE_NO)))
			*m |= r->brk ? RULE_YES : RULE_NO;
		from = s + 1;
		if (from < w->n && U16_IS_TRAIL(w->u[from]))
			from++;
	}
	/* Leave no pointer to the caller's text behind in the clone. */
	uregex_setText(r->re, empty, 0, &(UErrorCode){U_ZERO_ERROR});
	if (U_FAILURE(st))
		return hx__error_set(
		    err,
		    st == U_REGEX_TIME_OUT || st == U_REGEX_STACK_OVERFLOW
			? HX_ELIMIT
			: HX_ENOMEM,
		    "applying a segmentation rule: %s", u_errorName(st));
	return HX_OK;
}

static int find_icu_breaks(struct work *w, UBreakIterator *bi, hx_error *err)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t b;

	ubrk_setText(bi, w->u, w->n, &st);
	if (U_FAILURE(st))
		return hx__error_set(err, HX_ENOMEM, "break iterator: %s",
				     u_errorName(st));
	for (b = ubrk_first(bi); b != UBRK_DONE; b = ubrk_next(bi))
		w->mark[w->key[b]] |= ICU_BREAK;
	ubrk_setText(bi, empty, 0, &st);
	return HX_OK;
}

/* Force the decision at key position p, over ICU and every SRX rule. */
static void force(struct work *w, int32_t p, bool brk)
{
	unsigned char *m = &w->mark[w->key[p]];

	*m = (unsigned char)((*m & ~(RULE_YES | RULE_NO)) |
			     (brk ? RULE_YES : RULE_NO));
}

/*
 * Inline enumerations: "1. The first item 2. The second item", "a) one
 * b) two", "1.) first 2.) second". A block may hold a list's items in
 * one run (text exports, slides); each item then starts a sentence and
 * its label belongs to it. A list starts at the block's start, after a
 * sentence end ("... the store. w) hello x) hello") or where the same
 * kind of label restarts from 1, and mid-block only when its next item
 * follows. Only labels that continue the list's own sequence count
 * (after "1." the next must be "2.", then "3."...), so "1. The Council
 * noted resolution 5. The ..." is not cut at "5.". This is Pragmatic
 * Segmenter's rule for
 * numbered and alphabetical lists (its golden rules 48-56), written here
 * as a sequence check because SRX patterns cannot count.
 */
enum label_form { LABEL_DOT, LABEL_PAREN, LABEL_DOT_PAREN };

static bool is_latin_end(UChar c);
static bool is_closing(UChar c);
static bool is_break(unsigned char m);

/* Parse a label at u[i]: a number of up to 3 digits or one lower-case
 * ASCII letter, then "." or ")" or ".)", then white space. Returns the
 * index after the label's punctuation, or -1. */
static int32_t parse_label(const struct work *w, int32_t i, int *value,
			   bool *letter, enum label_form *form)
{
	int32_t j = i;
	int v = 0;

	if (j < w->n && w->u[j] >= 'a' && w->u[j] <= 'z') {
		*letter = true;
		v = w->u[j++] - 'a' + 1;
	} else {
		*letter = false;
		while (j < w->n && j - i < 3 && w->u[j] >= '0' &&
		       w->u[j] <= '9')
			v = v * 10 + (w->u[j++] - '0');
		if (j == i || (j < w->n && w->u[j] >= '0' && w->u[j] <= '9'))
			return -1;
	}
	if (j < w->n && w->u[j] == '.' && j + 1 < w->n && w->u[j + 1] == ')')
		*form = LABEL_DOT_PAREN, j += 2;
	else if (j < w->n && w->u[j] == '.')
		*form = LABEL_DOT, j++;
	else if (j < w->n && w->u[j] == ')')
		*form = LABEL_PAREN, j++;
	else
		return -1;
	if (j >= w->n || !is_space(w->u[j]))
		return -1;
	*value = v;
	return j;
}

/* Whether the label at u[p] follows a sentence terminator and white
 * space: "... store. w) hello" (or "art. 5.": see starts_sentence). */
static bool after_sentence_end(const struct work *w, int32_t p)
{
	int32_t q = p;

	while (q > 0 && is_space(w->u[q - 1]))
		q--;
	if (q == p || q == 0)
		return false;
	while (q > 0 && is_closing(w->u[q - 1]) && w->u[q - 1] != ')')
		q--;
	return q > 0 && is_latin_end(w->u[q - 1]);
}

/*
 * Whether the word before u[p] names what a number refers to
 * ("paragraph 6.", "resolution 5.", "p. 55."): then the number ends a
 * reference, it is not the label of a list item.
 */
static bool after_reference_word(const struct work *w, int32_t p)
{
	static const char *const words[] = {
	    "paragraph", "paragraphs", "para",	 "paras",     "resolution",
	    "decision",	 "section",    "annex",	 "article",   "chapter",
	    "page",	 "pages",      "p",	 "pp",	      "no",
	    "number",	 "rule",       "table",	 "figure",    "fig",
	    "step",	 "part",       "point",	 "document",  "recommendation",
	    "question",	 "goal",       "target", "objective", "phase",
	    "version",	 "rev",	       "and",	 "or",	      "to",
	    "of",	 "in"};
	int32_t e = p, b;
	char word[20];

	while (e > 0 && is_space(w->u[e - 1]))
		e--;
	if (e > 0 && w->u[e - 1] == '.')
		e--; /* "p." */
	for (b = e; b > 0 && u_isalpha(w->u[b - 1]); b--)
		;
	if (e == b || e - b >= (int32_t)sizeof(word))
		return false;
	for (int32_t i = b; i < e; i++) {
		if (w->u[i] > 0x7F)
			return false;
		word[i - b] = (char)u_tolower(w->u[i]);
	}
	word[e - b] = '\0';
	for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
		if (!strcmp(word, words[k]))
			return true;
	return false;
}

/* Whether a sentence starts at u[p], as ICU and the SRX rules have
 * decided so far: after "adopted. " but not after "art. ". */
static bool starts_sentence(const struct work *w, int32_t p)
{
	return after_sentence_end(w, p) && is_break(w->mark[w->key[p]]);
}

/* Whether a label of the same kind numbered value + 1 follows the one
 * ending at u[from] before the list restarts (a label of that kind
 * numbered value or lower). */
static bool list_goes_on(const struct work *w, int32_t from, int value,
			 bool letter, enum label_form form)
{
	enum label_form f;
	bool l;
	int v;

	for (int32_t i = from; i + 1 < w->n; i++) {
		if (!is_space(w->u[i]) || is_space(w->u[i + 1]))
			continue;
		if (parse_label(w, i + 1, &v, &l, &f) < 0 || l != letter ||
		    f != form || after_reference_word(w, i + 1))
			continue;
		if (v == value + 1)
			return true;
		if (v <= value)
			return false;
	}
	return false;
}

static void mark_inline_list(struct work *w)
{
	enum label_form form = LABEL_DOT, f;
	bool letter = false, l, in_list = false;
	int32_t first = 0, end;
	int value = 0, v;

	while (first < w->n && is_space(w->u[first]))
		first++;
	/* A bullet before the first label ("• 9. ...") is handled by the
	 * SRX rules: items after bullets are cut at the bullets. */
	for (int32_t p = first; p < w->n; p++) {
		bool same;

		if (p > first && (!is_space(w->u[p - 1]) || is_space(w->u[p])))
			continue;
		if ((end = parse_label(w, p, &v, &l, &f)) < 0)
			continue;
		same = in_list && l == letter && f == form;
		if (p > first && after_reference_word(w, p))
			continue;
		if (same && v == value + 1) {
			/* The next item of the list. */
			force(w, p, true);
		} else if (p == first ||
			   ((after_sentence_end(w, p) || (same && v == 1)) &&
			    list_goes_on(w, end, v, l, f))) {
			/* A list starts: at the block's start, or after a
			 * sentence or where the same kind of label starts
			 * again from 1, when its next item follows. */
			if (p > first)
				force(w, p, true);
			in_list = true;
			letter = l;
			form = f;
		} else {
			/* No list, but a label opening a sentence is not a
			 * sentence of its own: "... adopted. 1. The Council".
			 */
			if (starts_sentence(w, p))
				force(w, end, false);
			continue;
		}
		force(w, end, false);
		value = v;
		p = end - 1;
	}
}

/*
 * Quotations. A sentence end inside a short quotation ('"The Queen! The
 * Queen!" and the gardeners...') does not end the sentence around it;
 * Pragmatic Segmenter protects text between quotation marks the same way
 * (its "between punctuation" rule). Quotes are paired here: an opening
 * mark, then the nearest closing mark within QUOTE_MAX code units and
 * before a line break. A straight or right single quote with a letter
 * after it is an apostrophe ("they'll", "wasn’t") and closes nothing.
 * Only the Latin terminators are affected: Chinese 。！？ inside “” keep
 * ending sentences, as the Chinese rules want. Longer quotations (a
 * resolution's paragraph quoted whole) keep their sentences, which the
 * aligner needs.
 */
#define QUOTE_MAX 400

static UChar closing_quote(const struct work *w, int32_t i)
{
	UChar c = w->u[i], prev = i > 0 ? w->u[i - 1] : ' ';
	bool after_space = i == 0 || is_space(prev) || prev == '(' ||
			   prev == '[' || prev == 0x2014 || prev == 0x2013 ||
			   (prev == '-' && i > 1 && w->u[i - 2] == '-');

	switch (c) {
	case 0x201C: /* “ */
		return 0x201D;
	case 0x00AB: /* « */
		return 0x00BB;
	case 0x2018: /* ‘ */
		return after_space ? 0x2019 : 0;
	case '"':
	case '\'':
		return after_space && i + 1 < w->n && !is_space(w->u[i + 1])
			   ? c
			   : 0;
	case '`': /* `` TeX-style opening quote, closed by ' */
		return after_space ? '\'' : 0;
	}
	return 0;
}

static bool is_latin_end(UChar c)
{
	return c == '.' || c == '!' || c == '?' || c == 0x2026;
}

static bool is_closing(UChar c)
{
	int8_t t = u_charType(c);

	return t == U_END_PUNCTUATION || t == U_FINAL_PUNCTUATION ||
	       c == '\'' || c == '"';
}

/* The index of the mark closing the quotation opened at u[i], or -1. */
static int32_t find_close(const struct work *w, int32_t i, UChar close)
{
	int32_t lim = i + QUOTE_MAX < w->n ? i + QUOTE_MAX : w->n;

	for (int32_t j = i + 1; j < lim; j++) {
		UChar c = w->u[j];
		bool letter_after = j + 1 < w->n && u_isalnum(w->u[j + 1]);

		if (c == '\n' || c == '\r' || c == 0x2029 || c == 0x3002 ||
		    c == 0xFF01 || c == 0xFF1F)
			return -1;
		if (c != close)
			continue;
		if ((close == '\'' || close == 0x2019) && letter_after)
			continue; /* an apostrophe */
		/* '"' with a space before and a letter after opens the next
		 * quotation: the one at i was never closed. */
		if (close == '"' && is_space(w->u[j - 1]) && letter_after)
			return -1;
		return j;
	}
	return -1;
}

static void mark_quotes(struct work *w)
{
	for (int32_t i = 0; i < w->n; i++) {
		UChar close = closing_quote(w, i);
		int32_t j;

		if (!close || (j = find_close(w, i, close)) < 0)
			continue;
		/* Between the marks, no break after a terminator and the
		 * closing marks of a quotation inside this one. */
		for (int32_t p = i + 1; p < j; p++) {
			int32_t r = p + 1;

			if (!is_latin_end(w->u[p]) || is_latin_end(w->u[r]))
				continue;
			while (r < j && is_closing(w->u[r]))
				r++;
			force(w, r, false);
		}
		i = j;
	}
}

/*
 * A line break inside a block (a DOCX manual line break, U+2028) that
 * cuts a sentence: the next line starts in lower case ("It was a cold" /
 * "night in the city."). ICU ends a sentence at every line break; here
 * the sentence goes on, with the break inside it (the readers keep it as
 * an inline code). A line that starts in upper case, a digit or a
 * Chinese character keeps its break: a heading, an address line.
 */
static void mark_line_breaks(struct work *w)
{
	for (int32_t i = 0; i < w->n; i++) {
		int32_t j = i + 1;

		if (w->u[i] != '\n' && w->u[i] != 0x2028)
			continue;
		if (i > 0 && is_latin_end(w->u[i - 1]))
			continue;
		while (j < w->n && is_space(w->u[j]) && w->u[j] != '\n')
			j++;
		if (j < w->n && (u_islower(w->u[j]) || w->u[j] == '('))
			force(w, j, false);
	}
}

static bool is_break(unsigned char m)
{
	if (m & RULE_YES)
		return true;
	if (m & RULE_NO)
		return false;
	return m & ICU_BREAK;
}

int hx_segmenter_split(hx_span **spans, size_t *n, hx_segmenter *seg,
		       const char *text, size_t len, hx_error *err)
{
	hx_span *out = NULL;
	struct work w;
	size_t k = 0, cap = 0;
	int32_t start = 0;
	int rc;

	assert(spans && n && seg && (text || !len));
	*spans = NULL;
	*n = 0;
	if (len >= INT32_MAX / 2)
		return hx__error_set(err, HX_ELIMIT,
				     "a block of %zu bytes is too long to "
				     "segment",
				     len);
	if (work_init(&w, text ? text : "", len) < 0) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = find_icu_breaks(&w, seg->bi, err)) < 0)
		goto fail;
	for (size_t i = 0; i < seg->nrules; i++)
		if ((rc = apply_rule(&w, &seg->rules[i], err)) < 0)
			goto fail;
	mark_quotes(&w);
	mark_inline_list(&w);
	mark_line_breaks(&w);
	for (int32_t p = 1; p <= w.n; p++) {
		int32_t a = start, b = p;

		if (p < w.n && (w.key[p] != p || !is_break(w.mark[p])))
			continue;
		start = p;
		while (a < b && is_space(w.u[a]))
			a++;
		while (b > a && is_space(w.u[b - 1]))
			b--;
		if (a == b)
			continue;
		if (k == cap) {
			hx_span *q;
			cap = cap ? cap * 2 : 16;
			if (!(q = realloc(out, cap * sizeof(*out)))) {
				rc = hx__error_set(err, HX_ENOMEM,
						   "out of memory");
				goto fail;
			}
			out = q;
		}
		out[k].start = w.off[a];
		out[k].end = w.off[b];
		k++;
	}
	work_free(&w);
	*spans = out;
	*n = k;
	return HX_OK;
fail:
	work_free(&w);
	free(out);
	return rc;
}
