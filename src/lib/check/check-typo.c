/*
 * check-typo.c - typography rules that need no dictionary: doubled words,
 * double spaces, unpaired brackets and quotation marks, ASCII punctuation
 * inside Chinese text, full-width digits among ASCII ones. Each looks at
 * one paragraph (the digit rule at one document) and knows the habits of
 * UN and ITU documents that would otherwise be false alarms: inline
 * enumerations "1) ... 2) ..." close a bracket nobody opened, French
 * "nous nous" is grammar, numbers repeat in tables ("10 10").
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <unicode/uchar.h>

#include "base/text.h"
#include "check/check-private.h"
#include "check/check-rules.h"

static bool is_han(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

/* CJK and full-width punctuation: 、。，（）《》「」：；！？ ... */
static bool is_cjk_punct(uint32_t c)
{
	return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) ||
	       (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
	       (c >= 0xFF5B && c <= 0xFF65) || c == 0x201C || c == 0x201D;
}

static bool is_digit(uint32_t c)
{
	return u_isdigit((UChar32)c);
}

/* The code point before byte offset i, and where it starts. */
static uint32_t cp_before(const char *t, size_t i, size_t *start)
{
	size_t s = i, k;
	if (!i) {
		*start = 0;
		return 0;
	}
	s--;
	while (s > 0 && ((unsigned char)t[s] & 0xC0) == 0x80)
		s--;
	k = s;
	*start = s;
	return hx__utf8_next(t, i, &k);
}

/* --- Doubled words ----------------------------------------------------- */

/* Doubles that grammar wants: "that that", "had had" in English, the
 * reflexive "nous nous", "vous vous" and "en en" (en en faisant) in
 * French. */
static bool legit_double(const char *lang, const char *w, size_t n)
{
	static const char *const en[] = {"that", "had", NULL};
	static const char *const fr[] = {"nous", "vous", "en", NULL};
	const char *const *list = !strncmp(lang, "en", 2)   ? en
				  : !strncmp(lang, "fr", 2) ? fr
							    : NULL;
	for (size_t i = 0; list && list[i]; i++)
		if (strlen(list[i]) == n && !strncmp(list[i], w, n))
			return true;
	return false;
}

/* Case-insensitive equality of two words (ICU simple case folding). */
static bool same_word(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0, j = 0;
	while (i < na && j < nb) {
		uint32_t x = hx__utf8_next(a, na, &i);
		uint32_t y = hx__utf8_next(b, nb, &j);
		if (u_foldCase((UChar32)x, U_FOLD_CASE_DEFAULT) !=
		    u_foldCase((UChar32)y, U_FOLD_CASE_DEFAULT))
			return false;
	}
	return i == na && j == nb;
}

struct word {
	size_t s, e;
	bool digit, han, upper_first, all_upper;
};

/* The next word at or after *i: letters and digits. */
static bool next_word(const struct hx__para *p, size_t *i, struct word *w)
{
	const char *t = p->text;
	size_t k = *i, nx;
	uint32_t c;

	while (k < p->len) {
		nx = k;
		c = hx__utf8_next(t, p->len, &nx);
		if (hx__is_letter(c) || is_digit(c))
			break;
		k = nx;
	}
	if (k >= p->len)
		return false;
	*w = (struct word){k, k, false, false, false, true};
	bool first = true;
	while (k < p->len) {
		nx = k;
		c = hx__utf8_next(t, p->len, &nx);
		if (!hx__is_letter(c) && !is_digit(c))
			break;
		w->digit |= is_digit(c);
		w->han |= is_han(c) || c >= 0x3040;
		if (first)
			w->upper_first = u_isupper((UChar32)c);
		if (u_islower((UChar32)c))
			w->all_upper = false;
		first = false;
		k = nx;
	}
	w->e = k;
	*i = k;
	return true;
}

/* Whether byte s opens a sentence: only spaces and quotes since the
 * paragraph start or a . ! ? */
static bool sentence_start(const char *t, size_t s)
{
	size_t st;
	while (s > 0) {
		uint32_t c = cp_before(t, s, &st);
		if (c == '.' || c == '!' || c == '?')
			return true;
		if (!hx__is_space(c) && c != '"' && c != 0x201C && c != '(')
			return false;
		s = st;
	}
	return true;
}

static bool only_spaces(const char *t, size_t s, size_t e)
{
	if (s == e)
		return false;
	for (size_t i = s; i < e;) {
		if (!hx__is_space(hx__utf8_next(t, e, &i)))
			return false;
	}
	return true;
}

static void double_words(struct hx__ctx *c, const struct hx__para *p)
{
	struct word prev = {0}, w;
	size_t i = 0;
	bool have = false;

	while (next_word(p, &i, &w) && !c->rc) {
		const char *t = p->text;
		if (have && !w.digit && !prev.digit && !w.han && !prev.han &&
		    only_spaces(t, prev.e, w.s) &&
		    same_word(t + prev.s, prev.e - prev.s, t + w.s,
			      w.e - w.s) &&
		    /* "Bora Bora", "Walla Walla": a name, unless it opens a
		     * sentence ("The The") or is shouted */
		    (!w.upper_first || w.all_upper ||
		     sentence_start(t, prev.s)) &&
		    !legit_double(p->lang, t + w.s, w.e - w.s) &&
		    !hx__protected(p, prev.s, w.e, false))
			hx__report(c, HX_R_DOUBLE_WORD, p, prev.s, w.e, NULL,
				   "'%.*s' written twice", (int)(w.e - w.s),
				   t + w.s);
		prev = w;
		have = true;
	}
}

/* --- Double spaces ----------------------------------------------------- */

static void double_spaces(struct hx__ctx *c, const struct hx__para *p)
{
	const char *t = p->text;

	for (size_t i = 0; i < p->len; i++) {
		if (t[i] != ' ' || i + 1 >= p->len || t[i + 1] != ' ')
			continue;
		size_t e = i;
		while (e < p->len && t[e] == ' ')
			e++;
		/* trailing white space of a paragraph is the reader's to drop
		 */
		if (e < p->len && i > 0)
			hx__report(c, HX_R_DOUBLE_SPACE, p, i, e, " ",
				   "%zu spaces in a row", e - i);
		i = e;
	}
}

/* --- Brackets and quotation marks -------------------------------------- */

struct pair {
	uint32_t open, close;
};

static const struct pair brackets[] = {
    {'(', ')'},	      {'[', ']'},	{'{', '}'},	  {0xFF08, 0xFF09},
    {0x3010, 0x3011}, {0xFF3B, 0xFF3D}, {0x3014, 0x3015}, {0x3016, 0x3017},
};

/* „ (Russian, German) closes with “ or ”; “ closes with ”. */
static const struct pair quotes[] = {
    {0x201C, 0x201D}, {0x201E, 0x201C}, {0x201E, 0x201D}, {0x00AB, 0x00BB},
    {0x300C, 0x300D}, {0x300E, 0x300F}, {0x300A, 0x300B}, {0x3008, 0x3009},
};

#define MAX_DEPTH 64

struct open {
	uint32_t c;
	size_t s, e;
};

/* Whether the close at byte i ends an inline enumerator: "1)", "a)",
 * "iii)", "1.2)" after the start, a space or punctuation. */
static bool enumerator_before(const char *t, size_t i)
{
	size_t s = i, n = 0, letters = 0, st;
	while (s > 0) {
		uint32_t c = cp_before(t, s, &st);
		if (c < 0x80 && ((c >= '0' && c <= '9') || c == '.' ||
				 ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))) {
			letters += (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
			s = st;
			n++;
			continue;
		}
		break;
	}
	if (n == 0 || n > 4)
		return false;
	if (letters > 0) {
		/* a single letter, or a small roman numeral */
		bool roman = true;
		for (size_t k = s; k < i; k++)
			roman &= strchr("ivxIVX", t[k]) != NULL;
		if (letters != n || (n > 1 && !roman))
			return false;
	}
	if (s == 0)
		return true;
	uint32_t b = cp_before(t, s, &st);
	return hx__is_space(b) || u_ispunct((UChar32)b) || is_han(b);
}

static int closes(const struct pair *tab, size_t n, uint32_t open,
		  uint32_t close)
{
	for (size_t k = 0; k < n; k++)
		if (tab[k].open == open && tab[k].close == close)
			return 1;
	return 0;
}

static bool is_open(const struct pair *tab, size_t n, uint32_t c)
{
	for (size_t k = 0; k < n; k++)
		if (tab[k].open == c)
			return true;
	return false;
}

static bool is_close(const struct pair *tab, size_t n, uint32_t c)
{
	for (size_t k = 0; k < n; k++)
		if (tab[k].close == c)
			return true;
	return false;
}

/* One pass of a stack over the paragraph for one table of pairs. */
static void pairs_pass(struct hx__ctx *c, const struct hx__para *p,
		       const struct pair *tab, size_t ntab, enum hx__rule r)
{
	const char *t = p->text;
	struct open st[MAX_DEPTH];
	size_t depth = 0, i = 0;

	while (i < p->len && !c->rc) {
		size_t s = i;
		uint32_t ch = hx__utf8_next(t, p->len, &i);
		/* “ opens, except where a „ waits for it */
		bool can_close = is_close(tab, ntab, ch);
		bool can_open = is_open(tab, ntab, ch);
		if (!can_close && !can_open)
			continue;
		if (hx__protected(p, s, i, false))
			continue;
		if (can_close && depth &&
		    closes(tab, ntab, st[depth - 1].c, ch)) {
			depth--;
			continue;
		}
		if (can_open) {
			if (depth == MAX_DEPTH)
				return; /* not prose */
			st[depth++] = (struct open){ch, s, i};
			continue;
		}
		/* with no '(' waiting, "1)" is an inline enumerator */
		if ((ch == ')' || ch == 0xFF09) && !depth &&
		    enumerator_before(t, s))
			continue;
		/* A close that matches an open further down: what lies
		 * above it was never closed. */
		size_t k = depth;
		while (k > 0 && !closes(tab, ntab, st[k - 1].c, ch))
			k--;
		if (k > 0) {
			for (size_t j = depth; j-- > k;)
				hx__report(c, r, p, st[j].s, st[j].e, NULL,
					   "'%.*s' is not closed",
					   (int)(st[j].e - st[j].s),
					   t + st[j].s);
			depth = k - 1;
			continue;
		}
		hx__report(c, r, p, s, i, NULL, "'%.*s' without its opening",
			   (int)(i - s), t + s);
	}
	for (size_t j = 0; j < depth; j++)
		hx__report(c, r, p, st[j].s, st[j].e, NULL,
			   "'%.*s' is not closed", (int)(st[j].e - st[j].s),
			   t + st[j].s);
}

/* ASCII '"' has no direction: an odd count leaves one alone. Inch marks
 * after a digit (3.5") are not quotes. */
static void ascii_quotes(struct hx__ctx *c, const struct hx__para *p)
{
	size_t n = 0, last = 0;
	for (size_t i = 0; i < p->len; i++) {
		if (p->text[i] != '"' || hx__protected(p, i, i + 1, false))
			continue;
		if (i > 0 && p->text[i - 1] >= '0' && p->text[i - 1] <= '9')
			continue;
		n++;
		last = i;
	}
	if (n % 2)
		hx__report(c, HX_R_QUOTE, p, last, last + 1, NULL,
			   "'\"' without its partner (%zu in the paragraph)",
			   n);
}

/* --- ASCII punctuation in Chinese -------------------------------------- */

static uint32_t fullwidth_of(uint32_t c)
{
	switch (c) {
	case '.':
		return 0x3002; /* 。 */
	default:
		return c - 0x21 + 0xFF01;
	}
}

static bool zh_side(uint32_t c)
{
	return is_han(c) || is_cjk_punct(c);
}

static void zh_punct(struct hx__ctx *c, const struct hx__para *p)
{
	const char *t = p->text;

	if (strncmp(p->lang, "zh", 2))
		return;
	for (size_t i = 0; i < p->len && !c->rc; i++) {
		char ch = t[i];
		size_t st, k;
		uint32_t prev = 0, next = 0;
		bool bad;

		if (!strchr(",;:?!().", ch) || !ch)
			continue;
		for (k = i; k > 0;) {
			prev = cp_before(t, k, &st);
			if (!hx__is_space(prev))
				break;
			k = st;
			prev = 0;
		}
		for (k = i + 1; k < p->len;) {
			next = hx__utf8_next(t, p->len, &k);
			if (!hx__is_space(next))
				break;
			next = 0;
		}
		switch (ch) {
		case '(':
			bad = is_han(prev);
			break;
		case ')':
			bad = zh_side(next) && !enumerator_before(t, i);
			break;
		case '.':
			bad = is_han(prev) && (!next || zh_side(next));
			break;
		default:
			bad = is_han(prev) && (!next || zh_side(next));
		}
		if (!bad || hx__protected(p, i, i + 1, false))
			continue;
		char sug[4];
		size_t n = hx__utf8_put(sug, fullwidth_of((unsigned char)ch));
		sug[n] = '\0';
		hx__report(c, HX_R_ZH_PUNCT, p, i, i + 1, sug,
			   "ASCII '%c' in Chinese text, use '%s'", ch, sug);
	}
}

void hx__check_typo(struct hx__ctx *c, const struct hx__para *p)
{
	if (hx__on(c, HX_R_DOUBLE_WORD))
		double_words(c, p);
	if (hx__on(c, HX_R_DOUBLE_SPACE))
		double_spaces(c, p);
	if (hx__on(c, HX_R_BRACKET))
		pairs_pass(c, p, brackets, sizeof(brackets) / sizeof(*brackets),
			   HX_R_BRACKET);
	if (hx__on(c, HX_R_QUOTE)) {
		pairs_pass(c, p, quotes, sizeof(quotes) / sizeof(*quotes),
			   HX_R_QUOTE);
		ascii_quotes(c, p);
	}
	if (hx__on(c, HX_R_ZH_PUNCT))
		zh_punct(c, p);
}

/* --- Digit widths ------------------------------------------------------ */

static bool is_fw_digit(uint32_t c)
{
	return c >= 0xFF10 && c <= 0xFF19;
}

void hx__check_digit_width(struct hx__ctx *c, const struct hx__para *ps,
			   size_t n)
{
	size_t ascii = 0, full = 0;

	if (!hx__on(c, HX_R_DIGIT_WIDTH))
		return;
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < ps[k].len;) {
			uint32_t ch = hx__utf8_next(ps[k].text, ps[k].len, &i);
			ascii += ch >= '0' && ch <= '9';
			full += is_fw_digit(ch);
		}
	if (!ascii || !full)
		return;
	for (size_t k = 0; k < n && !c->rc; k++) {
		const struct hx__para *p = &ps[k];
		for (size_t i = 0; i < p->len;) {
			size_t s = i, e;
			char sug[32];
			size_t m = 0;
			if (!is_fw_digit(hx__utf8_next(p->text, p->len, &i)))
				continue;
			for (e = s; e < p->len;) {
				size_t nx = e;
				uint32_t d =
				    hx__utf8_next(p->text, p->len, &nx);
				if (!is_fw_digit(d))
					break;
				if (m < sizeof(sug) - 1)
					sug[m++] = (char)('0' + d - 0xFF10);
				e = nx;
			}
			sug[m] = '\0';
			hx__report(c, HX_R_DIGIT_WIDTH, p, s, e, sug,
				   "full-width digits '%.*s' in a document "
				   "written with ASCII digits",
				   (int)(e - s), p->text + s);
			i = e;
		}
	}
}
