/*
 * check-spell.c - the `spelling` rule: which words of a paragraph are
 * worth asking the speller (spell.c) about. It is not a grammar checker
 * and knows nothing of terms.
 *
 * What is not asked, because a dictionary cannot know it and a false
 * alarm costs an editor's trust: words inside URLs, e-mail addresses,
 * document symbols and codes (anchor.c); words glued to digits ("5Rights",
 * "SG17"); words with a capital after the first letter (UNICEF, WeProtect,
 * PoP); capitalised words inside a sentence (proper names: "Zarooni");
 * words of another script than the language's (a Latin name in Russian
 * text); single letters.
 */
#include <stdbool.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <hexalign/doc.h>

#include "base/text.h"
#include "check/check-private.h"
#include "check/check-rules.h"
#include "check/spell.h"

static bool is_apostrophe(uint32_t c)
{
	return c == '\'' || c == 0x2019;
}

/* Whether the script of c is the one lang is written in. */
static bool script_of_lang(uint32_t c, const char *lang)
{
	UScriptCode want = !strncmp(lang, "ru", 2)   ? USCRIPT_CYRILLIC
			   : !strncmp(lang, "ar", 2) ? USCRIPT_ARABIC
						     : USCRIPT_LATIN;
	UErrorCode ec = U_ZERO_ERROR;
	UScriptCode s = uscript_getScript((UChar32)c, &ec);

	return U_SUCCESS(ec) && s == want;
}

/* Whether the word at [s, e) opens its sentence: nothing but spaces,
 * quotes, brackets or a label before it since the last . ! ? or the start
 * of the paragraph. */
static bool sentence_start(const char *t, size_t s)
{
	while (s > 0) {
		size_t i = s - 1;
		while (i > 0 && ((unsigned char)t[i] & 0xC0) == 0x80)
			i--;
		size_t j = i;
		uint32_t c = hx__utf8_next(t, s, &j);
		if (c == '.' || c == '!' || c == '?' || c == 0x2013 ||
		    c == 0x2014 || c == 0x2022)
			return true;
		if (!hx__is_space(c) && !u_ispunct((UChar32)c))
			return false;
		s = i;
	}
	return true;
}

static bool roman(const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr("ivxlcdm", w[i] | 0x20))
			return false;
	return n > 0 && n <= 6;
}

static void check_word(struct hx__ctx *c, const struct hx__para *p,
		       hx__speller *sp, size_t s, size_t e)
{
	const char *t = p->text;
	char sug[HX__SPELL_MAX_WORD];
	size_t i = s, n = 0;
	bool upper_inside = false, first_upper = false, foreign = false;

	while (i < e) {
		uint32_t ch = hx__utf8_next(t, e, &i);
		if (u_isupper((UChar32)ch) || u_istitle((UChar32)ch)) {
			if (n == 0)
				first_upper = true;
			else
				upper_inside = true;
		}
		if (u_isalpha((UChar32)ch) && !script_of_lang(ch, p->lang))
			foreign = true;
		n++;
	}
	if (n < 2 || upper_inside || foreign)
		return;
	if (first_upper && !sentence_start(t, s))
		return;
	if (hx__protected(p, s, e, true))
		return;
	if (hx__speller_check(sp, t + s, e - s))
		return;
	/* "ii", "xii": list numbers; "párr.", "cf.": abbreviations */
	if (roman(t + s, e - s) || (n <= 4 && e < p->len && t[e] == '.'))
		return;
	/* A compound is right when its parts are ("child-centred"). */
	bool parts_ok = false;
	for (size_t a = s, k = s; k <= e; k++) {
		if (k < e && t[k] != '-')
			continue;
		if (a == s && k == e)
			break; /* no hyphen */
		parts_ok = k > a && hx__speller_check(sp, t + a, k - a);
		if (!parts_ok)
			break;
		a = k + 1;
	}
	if (parts_ok)
		return;
	hx__speller_suggest(sp, t + s, e - s, sug, sizeof(sug));
	if (sug[0])
		hx__report(c, HX_R_SPELLING, p, s, e, sug,
			   "unknown word '%.*s', did you mean '%s'?",
			   (int)(e - s), t + s, sug);
	else
		hx__report(c, HX_R_SPELLING, p, s, e, NULL,
			   "unknown word '%.*s'", (int)(e - s), t + s);
}

void hx__check_spelling(struct hx__ctx *c, const struct hx__para *p)
{
	const char *t = p->text;
	hx__speller *sp;
	size_t i = 0;

	if (!hx__on(c, HX_R_SPELLING) ||
	    !(sp = hx__checker_speller(c->ck, p->lang)))
		return;
	/* A paragraph in another language (a quotation, a target left in
	 * the source language: another rule's business) is not misspelt
	 * word by word. Only paragraphs long enough for the detector. */
	if (p->len >= 60) {
		const char *det = hx_lang_detect(p->text, p->len);
		if (det && strncmp(det, p->lang, 2))
			return;
	}
	while (i < p->len && !c->rc) {
		size_t s = i, nx = i;
		uint32_t ch = hx__utf8_next(t, p->len, &nx);
		if (!hx__is_letter(ch)) {
			i = nx;
			continue;
		}
		/* A word: letters, with single apostrophes or hyphens
		 * between letters ("l'Union", "child-centred"). */
		size_t e = nx;
		bool digit_glued = false;
		for (;;) {
			size_t q = e;
			uint32_t d =
			    e < p->len ? hx__utf8_next(t, p->len, &q) : 0;
			if (d && hx__is_letter(d)) {
				e = q;
				continue;
			}
			if (d && (is_apostrophe(d) || d == '-') && q < p->len) {
				size_t r = q;
				if (hx__is_letter(
					hx__utf8_next(t, p->len, &r))) {
					e = q;
					continue;
				}
			}
			if (d >= '0' && d <= '9')
				digit_glued = true;
			break;
		}
		if (s > 0 && t[s - 1] >= '0' && t[s - 1] <= '9')
			digit_glued = true;
		if (!digit_glued)
			check_word(c, p, sp, s, e);
		i = e;
	}
}
