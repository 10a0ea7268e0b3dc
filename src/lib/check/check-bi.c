/*
 * check-bi.c - bilingual rules on aligned segment pairs: numbers, dates
 * and document symbols that one side has and the other lacks (compared by
 * the language-independent keys of anchor.c, so 2024年9月30日 is 30
 * September 2024 and 第179号决议 is Resolution 179), empty, untranslated
 * or copied targets, and over a whole list of pairs the same source
 * translated in two ways or one translation for two sources. Finding the
 * pairs (a TMX, the aligner) is the caller's business.
 *
 * A number counts as missing only when it is written in digits: "twenty-
 * third meeting" is 第二十三次会议 and the English side has no anchor for
 * it, so a Chinese numeral with no partner says nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "base/text.h"
#include "check/check-private.h"
#include "check/check-rules.h"

static bool has_digit(const char *t, size_t s, size_t e)
{
	for (size_t i = s; i < e;)
		if (u_isdigit((UChar32)hx__utf8_next(t, e, &i)))
			return true;
	return false;
}

static enum hx__rule rule_of(hx__anchor_type t)
{
	return t == HX_ANCHOR_NUMBER ? HX_R_BI_NUMBER
	       : t == HX_ANCHOR_DATE ? HX_R_BI_DATE
				     : HX_R_BI_SYMBOL;
}

static const char *what(hx__anchor_type t)
{
	return t == HX_ANCHOR_NUMBER ? "number"
	       : t == HX_ANCHOR_DATE ? "date"
				     : "document symbol";
}

static bool compared(hx__anchor_type t)
{
	return t == HX_ANCHOR_NUMBER || t == HX_ANCHOR_DATE ||
	       t == HX_ANCHOR_SYMBOL;
}

/* Small numbers are often words on one side: "Article premier" is
 * Article 1, "two meetings" is 2次会议. The stems of 1 to 12, cardinal and
 * ordinal, in the Latin- and Cyrillic-script UN languages, as a word
 * starts with them after case folding (so "première", "segundo",
 * "второго" count). Arabic number words are left out: their agreement
 * forms are too many for a list of stems. */
static const char *const number_words[13][12] = {
    [1] = {"one", "first", "un", "une", "premier", "première", "uno", "una",
	   "primer", "один", "одна", "перв"},
    [2] = {"two", "second", "deux", "dos", "segund", "два", "две", "втор"},
    [3] = {"three", "third", "trois", "tres", "tercer", "три", "трет"},
    [4] = {"four", "quatre", "quatri", "cuatro", "cuart", "четыр", "четвер"},
    [5] = {"five", "fifth", "cinq", "cinco", "quint", "пят"},
    [6] = {"six", "seis", "sext", "шест"},
    [7] = {"seven", "sept", "siete", "séptim", "sem", "седьм"},
    [8] = {"eight", "huit", "ocho", "octav", "восем", "восьм"},
    [9] = {"nine", "ninth", "neuf", "neuv", "nueve", "noven", "девят"},
    [10] = {"ten", "dix", "diez", "décim", "десят"},
    [11] = {"eleven", "onze", "once", "undécim", "одиннадцат"},
    [12] = {"twelve", "twelfth", "douze", "doce", "duodécim", "двенадцат"},
};

/* Whether the value of number anchor a (as anchor.c describes it) is
 * written as a word somewhere in p. */
static bool as_word(const struct hx__para *p, const char *text,
		    const hx__anchor *a, const char *lang)
{
	char d[64];
	unsigned long v;
	char *end;

	hx__anchor_describe(d, sizeof(d), text, a, lang);
	if (strncmp(d, "number:", 7))
		return false;
	v = strtoul(d + 7, &end, 10);
	if (*end || v < 1 || v > 12)
		return false;
	for (size_t i = 0, prev = 0; i < p->len;) {
		size_t s = i;
		uint32_t c = hx__utf8_next(p->text, p->len, &i);
		bool starts =
		    u_isalpha((UChar32)c) && !u_isalpha((UChar32)prev);
		prev = c;
		if (!starts)
			continue;
		for (size_t k = 0; k < 12 && number_words[v][k]; k++) {
			const char *w = number_words[v][k];
			size_t j = s, q = 0;
			while (w[q] && j < p->len) {
				size_t wq = q;
				uint32_t x = hx__utf8_next(w, strlen(w), &wq);
				uint32_t y = hx__utf8_next(p->text, p->len, &j);
				if (u_foldCase((UChar32)x,
					       U_FOLD_CASE_DEFAULT) !=
				    u_foldCase((UChar32)y, U_FOLD_CASE_DEFAULT))
					break;
				q = wq;
			}
			if (!w[q])
				return true;
		}
	}
	return false;
}

/* A paragraph number opening the segment ("6. France encourages..."):
 * language versions number paragraphs apart from the sentence, and the
 * UN's own sentence files keep it on one side only. */
static bool paragraph_number(const struct hx__para *p, const hx__anchor *a)
{
	const char *t = p->text;
	size_t i;

	for (i = 0; i < a->start; i++)
		if (t[i] != ' ' && t[i] != '\t')
			return false;
	i = a->end;
	return i + 1 < p->len && (t[i] == '.' || t[i] == ')') &&
	       (t[i + 1] == ' ' || t[i + 1] == '\t');
}

/* "10.18 a.m." is 10时18分 and "10 h 18": a decimal whose two parts are
 * both numbers of the other side is a time, not a missing number. */
static bool split_time(const struct hx__para *from, const hx__anchor *a,
		       const struct hx__para *to)
{
	const char *t = from->text + a->start;
	size_t n = a->end - a->start, dot = 0, k = 0;
	bool hit[2] = {false, false};
	char part[2][8];

	for (size_t i = 0; i < n; i++)
		if (t[i] == '.') {
			if (dot)
				return false;
			dot = i;
		} else if (t[i] < '0' || t[i] > '9') {
			return false;
		}
	if (!dot || dot > 2 || n - dot - 1 != 2)
		return false;
	snprintf(part[0], sizeof(part[0]), "%u", (unsigned)atoi(t));
	snprintf(part[1], sizeof(part[1]), "%u", (unsigned)atoi(t + dot + 1));
	for (size_t i = 0; i < to->nanchors; i++) {
		const hx__anchor *b = &to->anchors[i];
		char d[32];
		if (b->type != HX_ANCHOR_NUMBER)
			continue;
		hx__anchor_describe(d, sizeof(d), to->text, b, to->lang);
		for (k = 0; k < 2; k++)
			hit[k] |= !strcmp(d + 7, part[k]);
	}
	return hit[0] && hit[1];
}

/* "1 January 1994" and "1er janvier", "22 May 2015" and "5月22日": one
 * side drops the year the sentence gives elsewhere. A date of the other
 * side with the same month and day and no year is the same date. */
static bool same_day(const struct hx__para *from, const hx__anchor *a,
		     const struct hx__para *to)
{
	char d[48], e[48];

	hx__anchor_describe(d, sizeof(d), from->text, a, from->lang);
	if (strlen(d) < 10)
		return false;
	for (size_t i = 0; i < to->nanchors; i++) {
		const hx__anchor *b = &to->anchors[i];
		if (b->type != HX_ANCHOR_DATE)
			continue;
		hx__anchor_describe(e, sizeof(e), to->text, b, to->lang);
		/* "date:--MM-DD" against "date:YYYY-MM-DD", either way */
		const char *x = strstr(d, "--") ? d : e;
		const char *y = x == d ? e : d;
		size_t ly = strlen(y);
		if (x != y && strstr(x, "--") && !strstr(y, "--") && ly >= 6 &&
		    !strcmp(x + 7, y + ly - 5))
			return true;
	}
	return false;
}

/* How many anchors of a's type and key p holds. */
static size_t count_key(const struct hx__para *p, const hx__anchor *a)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nanchors; i++)
		n += p->anchors[i].type == a->type &&
		     p->anchors[i].key == a->key;
	return n;
}

/* Anchors of `from` that `to` has fewer of; reported at the target. */
static void missing(struct hx__ctx *c, const struct hx__para *from,
		    const struct hx__para *to, const struct hx__para *tgt,
		    bool from_source)
{
	for (size_t i = 0; i < from->nanchors && !c->rc; i++) {
		const hx__anchor *a = &from->anchors[i];
		size_t seen = 0;
		if (!compared(a->type) || !hx__on(c, rule_of(a->type)))
			continue;
		if (a->type == HX_ANCHOR_NUMBER &&
		    (!has_digit(from->text, a->start, a->end) ||
		     paragraph_number(from, a)))
			continue;
		/* the k-th occurrence is missing when the other side has
		 * fewer than k */
		for (size_t j = 0; j <= i; j++)
			seen += from->anchors[j].type == a->type &&
				from->anchors[j].key == a->key;
		if (count_key(to, a) >= seen)
			continue;
		if (a->type == HX_ANCHOR_NUMBER &&
		    (as_word(to, from->text, a, from->lang) ||
		     split_time(from, a, to)))
			continue;
		if (a->type == HX_ANCHOR_DATE && same_day(from, a, to))
			continue;
		const char *t = from->text + a->start;
		int n = (int)(a->end - a->start);
		if (from_source)
			hx__report_other(c, rule_of(a->type), tgt, t,
					 a->end - a->start, NULL,
					 "%s '%.*s' of the source is not in "
					 "the target",
					 what(a->type), n, t);
		else
			hx__report(c, rule_of(a->type), tgt, a->start, a->end,
				   NULL, "%s '%.*s' is not in the source",
				   what(a->type), n, t);
	}
}

/* Whether [s, e) looks like a code: digits, or two capitals ("CWG-COP",
 * "SG17", "UNICEF"), not a word ("Council") that a Latin anchor in
 * Chinese text may also be. */
static bool is_code(const char *t, size_t s, size_t e)
{
	size_t caps = 0;
	for (size_t i = s; i < e;) {
		uint32_t c = hx__utf8_next(t, e, &i);
		if (u_isdigit((UChar32)c))
			return true;
		caps += u_isupper((UChar32)c) != 0;
	}
	return caps >= 2;
}

/* Whether [s, e) is inside a URL, symbol or code of p. */
static bool untranslatable(const struct hx__para *p, size_t s, size_t e)
{
	if (hx__protected(p, s, e, false))
		return true;
	for (size_t i = 0; i < p->nanchors; i++) {
		const hx__anchor *a = &p->anchors[i];
		if (a->type == HX_ANCHOR_LATIN && a->start < e && a->end > s)
			return is_code(p->text, a->start, a->end);
	}
	return false;
}

/* Words worth translating: three letters or more, with a small letter,
 * outside codes, symbols and URLs ("CWG-COP", "C26/15" travel as they
 * are). */
static size_t words_to_translate(const struct hx__para *p, UScriptCode *script)
{
	size_t i = 0, words = 0;
	*script = USCRIPT_INVALID_CODE;

	while (i < p->len) {
		size_t s = i, e;
		uint32_t c = hx__utf8_next(p->text, p->len, &i);
		if (!u_isalpha((UChar32)c))
			continue;
		size_t letters = 1,
		       lower = u_islower((UChar32)c) || !u_isupper((UChar32)c);
		UErrorCode ec = U_ZERO_ERROR;
		UScriptCode sc = uscript_getScript((UChar32)c, &ec);
		for (e = i; e < p->len;) {
			size_t nx = e;
			uint32_t d = hx__utf8_next(p->text, p->len, &nx);
			if (!u_isalpha((UChar32)d))
				break;
			letters++;
			lower += u_islower((UChar32)d);
			e = nx;
		}
		i = e;
		/* Han has no small letters and one character is a word */
		bool han = sc == USCRIPT_HAN;
		if ((han || (letters >= 3 && lower)) &&
		    !untranslatable(p, s, e)) {
			words++;
			if (*script == USCRIPT_INVALID_CODE)
				*script = sc;
		}
	}
	return words;
}

/* The script a language is written in. */
static UScriptCode lang_script(const char *lang)
{
	if (!strncmp(lang, "zh", 2))
		return USCRIPT_HAN;
	if (!strncmp(lang, "ru", 2))
		return USCRIPT_CYRILLIC;
	if (!strncmp(lang, "ar", 2))
		return USCRIPT_ARABIC;
	return USCRIPT_LATIN;
}

/* Text with white space runs made one space, for comparing. */
static char *squeeze(const char *t, size_t len, size_t *out_len)
{
	char *s = malloc(len + 1);
	size_t n = 0;
	bool space = false;

	if (!s)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t st = i;
		uint32_t c = hx__utf8_next(t, len, &i);
		if (hx__is_space(c)) {
			space = n > 0;
			continue;
		}
		if (space)
			s[n++] = ' ';
		space = false;
		memcpy(s + n, t + st, i - st);
		n += i - st;
	}
	s[n] = '\0';
	*out_len = n;
	return s;
}

static bool blank(const struct hx__para *p)
{
	for (size_t i = 0; i < p->len;)
		if (!hx__is_space(hx__utf8_next(p->text, p->len, &i)))
			return false;
	return true;
}

void hx__check_pair(struct hx__ctx *c, const struct hx__para *src,
		    const struct hx__para *tgt)
{
	UScriptCode ss, ts;
	size_t sw, tw, a, b;
	char *x, *y;

	if (blank(src))
		return;
	if (blank(tgt)) {
		hx__report_other(c, HX_R_BI_EMPTY, tgt, "", 0, NULL,
				 "the target is empty; the source is '%.*s'",
				 (int)(src->len > 60 ? 60 : src->len),
				 src->text);
		return;
	}
	sw = words_to_translate(src, &ss);
	tw = words_to_translate(tgt, &ts);
	if (!(x = squeeze(src->text, src->len, &a)) ||
	    !(y = squeeze(tgt->text, tgt->len, &b))) {
		free(x);
		c->rc = HX_ENOMEM;
		return;
	}
	bool same = a == b && !memcmp(x, y, a);
	free(x);
	free(y);
	/* Between languages of one script, "Article 2" and "Introduction"
	 * are the same words in both: a copy is suspect from three words. */
	bool one_script = lang_script(src->lang) == lang_script(tgt->lang);
	if (same) {
		if (sw >= (one_script ? 3u : 1u))
			hx__report(c, HX_R_BI_SAME, tgt, 0, tgt->len, NULL,
				   "the target is the source, untranslated");
		return;
	}
	/* A target whose words are all in the source's script, where the
	 * two languages use different scripts: left in the source language.
	 * Between two Latin-script languages the script cannot tell, and
	 * short segments are names and titles more often than not. */
	if (tw && sw && ts != USCRIPT_INVALID_CODE &&
	    lang_script(src->lang) != lang_script(tgt->lang) &&
	    ts == lang_script(src->lang)) {
		UScriptCode want = lang_script(tgt->lang);
		bool any = false;
		for (size_t i = 0; i < tgt->len && !any;) {
			UErrorCode ec = U_ZERO_ERROR;
			uint32_t ch = hx__utf8_next(tgt->text, tgt->len, &i);
			any = uscript_getScript((UChar32)ch, &ec) == want &&
			      u_isalpha((UChar32)ch);
		}
		if (!any)
			hx__report(c, HX_R_BI_UNTRANSLATED, tgt, 0, tgt->len,
				   NULL,
				   "the target has no %s text: left "
				   "untranslated?",
				   uscript_getName(want));
	}
	missing(c, src, tgt, tgt, true);
	missing(c, tgt, src, tgt, false);
}

/* --- Consistency over the list --------------------------------------- */

struct keyed {
	char *key; /* squeezed text */
	size_t len;
	size_t i; /* pair index */
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int r = memcmp(x->key, y->key, n);
	if (r)
		return r;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static void keyed_free(struct keyed *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].key);
	free(v);
}

/* Group pairs by one side (`by`), and report a pair whose other side
 * differs from the first of its group's. */
static void consistency(struct hx__ctx *c, const struct hx__para *by,
			const struct hx__para *other,
			const struct hx__para *tgt, size_t n, enum hx__rule r)
{
	struct keyed *v = calloc(n ? n : 1, sizeof(*v));
	char *o1 = NULL, *o2 = NULL;
	size_t m = 0;

	if (!v) {
		c->rc = HX_ENOMEM;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		UScriptCode sc;
		if (blank(&by[i]) || blank(&other[i]) ||
		    !words_to_translate(&by[i], &sc))
			continue;
		if (!(v[m].key = squeeze(by[i].text, by[i].len, &v[m].len))) {
			c->rc = HX_ENOMEM;
			goto done;
		}
		v[m++].i = i;
	}
	if (m)
		qsort(v, m, sizeof(*v), cmp_keyed);
	for (size_t g = 0; g < m && !c->rc;) {
		size_t h = g + 1, a, b;
		while (h < m && v[h].len == v[g].len &&
		       !memcmp(v[h].key, v[g].key, v[g].len))
			h++;
		const struct hx__para *first = &other[v[g].i];
		if (!(o1 = squeeze(first->text, first->len, &a))) {
			c->rc = HX_ENOMEM;
			goto done;
		}
		for (size_t k = g + 1; k < h; k++) {
			const struct hx__para *p = &other[v[k].i];
			if (!(o2 = squeeze(p->text, p->len, &b))) {
				c->rc = HX_ENOMEM;
				goto done;
			}
			if (a != b || memcmp(o1, o2, a)) {
				const struct hx__para *at = &tgt[v[k].i];
				if (r == HX_R_BI_INCONSISTENT_TARGET)
					hx__report(c, r, at, 0, at->len, o1,
						   "this source is translated "
						   "differently at line %zu",
						   tgt[v[g].i].line);
				else
					hx__report(c, r, at, 0, at->len, NULL,
						   "this translation stands "
						   "for another source at line "
						   "%zu: '%.*s'",
						   tgt[v[g].i].line,
						   (int)(a > 80 ? 80 : a), o1);
			}
			free(o2);
			o2 = NULL;
		}
		free(o1);
		o1 = NULL;
		g = h;
	}
done:
	free(o1);
	free(o2);
	keyed_free(v, m);
}

void hx__check_consistency(struct hx__ctx *c, const struct hx__para *src,
			   const struct hx__para *tgt, size_t n)
{
	if (hx__on(c, HX_R_BI_INCONSISTENT_TARGET))
		consistency(c, src, tgt, tgt, n, HX_R_BI_INCONSISTENT_TARGET);
	if (hx__on(c, HX_R_BI_INCONSISTENT_SOURCE))
		consistency(c, tgt, src, tgt, n, HX_R_BI_INCONSISTENT_SOURCE);
}
