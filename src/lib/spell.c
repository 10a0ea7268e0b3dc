/*
 * spell.c - spelling: the hunspell glue (open a dictionary, check,
 * suggest, stem, accept words) and the `spelling` rule, which decides
 * which words of a paragraph are worth asking hunspell about. It is not a
 * grammar checker and knows nothing of terms: the term base's words reach
 * it through hx__speller_add like any other accepted word.
 *
 * What is not asked, because a dictionary cannot know it and a false
 * alarm costs an editor's trust: words inside URLs, e-mail addresses,
 * document symbols and codes (anchor.c); words glued to digits ("5Rights",
 * "SG17"); words with a capital after the first letter (UNICEF, WeProtect,
 * PoP); capitalised words inside a sentence (proper names: "Zarooni");
 * words of another script than the language's (a Latin name in Russian
 * text); single letters.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hunspell/hunspell.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <hexalign/doc.h>

#include "check-private.h"
#include "error-private.h"
#include "spell.h"
#include "text.h"

struct hx__speller {
	Hunhandle *h;
};

/* Dictionary file names tried in order, and the Debian package. */
static const struct dict {
	const char *lang;
	const char *names[3];
	const char *package;
} dicts[] = {
    {"en", {"en_US", NULL}, "hunspell-en-us"},
    {"fr", {"fr_FR", "fr", NULL}, "hunspell-fr"},
    {"es", {"es_ES", "es", NULL}, "hunspell-es"},
    {"ru", {"ru_RU", "ru", NULL}, "hunspell-ru"},
    {"ar", {"ar", "ar_SA", NULL}, "hunspell-ar"},
};

static const struct dict *dict_of(const char *lang)
{
	for (size_t i = 0; i < sizeof(dicts) / sizeof(*dicts); i++)
		if (!strncmp(lang, dicts[i].lang, 2) &&
		    (!lang[2] || lang[2] == '-' || lang[2] == '_'))
			return &dicts[i];
	return NULL;
}

const char *hx__speller_package(const char *lang)
{
	const struct dict *d = dict_of(lang);
	return d ? d->package : NULL;
}

int hx__speller_open(hx__speller **out, const char *dir, const char *lang,
		     hx_error *err)
{
	const struct dict *d = dict_of(lang);
	char aff[4096] = "", dic[4096];
	hx__speller *sp;

	assert(out && lang);
	*out = NULL;
	if (!d)
		return hx__error_set(err, HX_EINVAL,
				     "no spelling dictionary for '%s' (only "
				     "en, fr, es, ru, ar are spell-checked)",
				     lang);
	if (!dir)
		dir = "/usr/share/hunspell";
	for (size_t k = 0; d->names[k]; k++) {
		snprintf(aff, sizeof(aff), "%s/%s.aff", dir, d->names[k]);
		snprintf(dic, sizeof(dic), "%s/%s.dic", dir, d->names[k]);
		if (access(aff, R_OK) == 0 && access(dic, R_OK) == 0)
			break;
		aff[0] = '\0';
	}
	if (!aff[0])
		return hx__error_set(err, HX_ENOTFOUND,
				     "%s/%s.dic: no hunspell dictionary for "
				     "'%s': install the Debian package %s",
				     dir, d->names[0], d->lang, d->package);
	if (!(sp = calloc(1, sizeof(*sp))) ||
	    !(sp->h = Hunspell_create(aff, dic))) {
		free(sp);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	/* Every text in the library is UTF-8; a legacy 8-bit dictionary
	 * would need conversion on every call, and Debian's are UTF-8. */
	const char *enc = Hunspell_get_dic_encoding(sp->h);
	if (!enc || strcmp(enc, "UTF-8")) {
		hx__speller_free(sp);
		return hx__error_set(err, HX_EFORMAT,
				     "%s: dictionary encoding %s, not UTF-8",
				     aff, enc ? enc : "unknown");
	}
	*out = sp;
	return HX_OK;
}

void hx__speller_free(hx__speller *sp)
{
	if (!sp)
		return;
	Hunspell_destroy(sp->h);
	free(sp);
}

/* Hunspell wants NUL-terminated words and refuses long ones anyway. */
#define MAX_WORD 200

static bool copy_word(char *buf, const char *w, size_t len)
{
	if (len >= MAX_WORD)
		return false;
	memcpy(buf, w, len);
	buf[len] = '\0';
	return true;
}

bool hx__speller_check(hx__speller *sp, const char *word, size_t len)
{
	char w[MAX_WORD];

	if (!copy_word(w, word, len))
		return true; /* nothing hunspell could judge */
	return Hunspell_spell(sp->h, w) != 0;
}

int hx__speller_add(hx__speller *sp, const char *word, size_t len)
{
	char w[MAX_WORD];

	if (copy_word(w, word, len) && len)
		Hunspell_add(sp->h, w);
	return HX_OK;
}

size_t hx__speller_suggest(hx__speller *sp, const char *word, size_t len,
			   char *buf, size_t size)
{
	char w[MAX_WORD], **list = NULL;
	size_t n = 0;
	int k;

	assert(buf && size);
	buf[0] = '\0';
	if (!copy_word(w, word, len))
		return 0;
	k = Hunspell_suggest(sp->h, &list, w);
	if (k > 0 && list[0]) {
		n = strlen(list[0]);
		if (n >= size)
			n = size - 1;
		memcpy(buf, list[0], n);
		buf[n] = '\0';
	}
	if (list)
		Hunspell_free_list(sp->h, &list, k);
	return n;
}

void hx__speller_stems_free(char **stems, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(stems[i]);
	free(stems);
}

int hx__speller_stem(hx__speller *sp, const char *word, size_t len,
		     char ***stems, size_t *n)
{
	char w[MAX_WORD], **list = NULL, **v = NULL;
	int k;

	assert(stems && n);
	*stems = NULL;
	*n = 0;
	if (!copy_word(w, word, len))
		return HX_OK;
	k = Hunspell_stem(sp->h, &list, w);
	if (k > 0 && !(v = calloc((size_t)k, sizeof(*v))))
		goto nomem;
	for (int i = 0; i < k; i++)
		if (!(v[i] = strdup(list[i]))) {
			hx__speller_stems_free(v, (size_t)i);
			goto nomem;
		}
	if (list)
		Hunspell_free_list(sp->h, &list, k);
	*stems = v;
	*n = k > 0 ? (size_t)k : 0;
	return HX_OK;
nomem:
	if (list)
		Hunspell_free_list(sp->h, &list, k);
	return HX_ENOMEM;
}

/* --- The spelling rule --------------------------------------------- */

/* A letter of a word: letters and the marks that sit on them (Arabic
 * harakat, combining accents). */
static bool is_wordchar(uint32_t c)
{
	int t;

	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	t = u_charType((UChar32)c);
	return u_isalpha((UChar32)c) || t == U_NON_SPACING_MARK ||
	       t == U_COMBINING_SPACING_MARK;
}

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
	char sug[MAX_WORD];
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
		if (!is_wordchar(ch)) {
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
			if (d && is_wordchar(d)) {
				e = q;
				continue;
			}
			if (d && (is_apostrophe(d) || d == '-') && q < p->len) {
				size_t r = q;
				if (is_wordchar(hx__utf8_next(t, p->len, &r))) {
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
