/*
 * spell.c - the hunspell glue: open a dictionary, check, suggest, stem,
 * accept words. No hunspell type leaves this file. Which words of a
 * paragraph are worth asking about is the spelling rule's business
 * (check-spell.c); the term base's words reach a speller through
 * hx__speller_add like any other accepted word.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hunspell/hunspell.h>
#include <unicode/uchar.h>

#include <hexalign/doc.h>

#include "base/error-private.h"
#include "base/text.h"
#include "check/spell.h"

/* Suggestions: hunspell's own search costs 0.1-0.3 s a word with the
 * large Russian, French and Spanish dictionaries (its n-gram pass reads
 * the whole word list), which made a 10,000-word document take seconds.
 * The misspellings editors make are mostly one edit away (a swapped,
 * missing, extra or wrong letter), so those candidates are tried first,
 * in the order hunspell tries them, each a Hunspell_spell (microseconds),
 * with the letters of the dictionary's TRY line. Only when none is a word
 * does hunspell's full search run, for the first FULL_SEARCHES such
 * words of a speller (3: about a second); what it finds for them (names,
 * words the dictionary lacks: "Sharmarke" -> "Shawarma") is seldom what
 * the writer meant. Every answer is cached per word. */
#define FULL_SEARCHES 3
#define MAX_TRY	      96

struct sug {
	char *word, *sug; /* sug "" when there is none */
};

struct hx__speller {
	Hunhandle *h;
	uint32_t try_cps[MAX_TRY]; /* lower-case letters of TRY */
	size_t ntry;
	struct sug *cache; /* open addressing, ncache slots, power of 2 */
	size_t ncache, nused;
	size_t full_left;   /* hunspell full searches still allowed */
	size_t unsuggested; /* words left without one for that reason */
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

/* The TRY line of the .aff file: the letters hunspell substitutes and
 * inserts, most frequent first. Capitals, digits and punctuation are
 * left out: a capital inside a word is not what a typist mistypes. No
 * TRY line (or an unreadable file): no one-edit candidates, only
 * hunspell's search. */
static void read_try(hx__speller *sp, const char *aff)
{
	char line[1024];
	FILE *f = fopen(aff, "rb");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line), i = 3;
		if (strncmp(line, "TRY", 3) ||
		    (line[3] != ' ' && line[3] != '\t'))
			continue;
		while (i < n && (line[i] == ' ' || line[i] == '\t'))
			i++;
		while (i < n && sp->ntry < MAX_TRY) {
			uint32_t c = hx__utf8_next(line, n, &i);
			if (u_isalpha((UChar32)c) && !u_isupper((UChar32)c))
				sp->try_cps[sp->ntry++] = c;
		}
		break;
	}
	fclose(f);
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
	read_try(sp, aff);
	sp->full_left = FULL_SEARCHES;
	*out = sp;
	return HX_OK;
}

void hx__speller_free(hx__speller *sp)
{
	if (!sp)
		return;
	for (size_t i = 0; i < sp->ncache; i++) {
		free(sp->cache[i].word);
		free(sp->cache[i].sug);
	}
	free(sp->cache);
	Hunspell_destroy(sp->h);
	free(sp);
}

size_t hx__speller_unsuggested(const hx__speller *sp)
{
	return sp->unsuggested;
}

/* Hunspell wants NUL-terminated words and refuses long ones anyway. */
#define MAX_WORD HX__SPELL_MAX_WORD

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

/* FNV-1a over the word's bytes. */
static size_t hash_word(const char *w)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (; *w; w++)
		h = (h ^ (unsigned char)*w) * 0x100000001b3u;
	return (size_t)h;
}

static struct sug *cache_find(hx__speller *sp, const char *w)
{
	if (!sp->ncache)
		return NULL;
	for (size_t i = hash_word(w) & (sp->ncache - 1);;
	     i = (i + 1) & (sp->ncache - 1)) {
		if (!sp->cache[i].word || !strcmp(sp->cache[i].word, w))
			return &sp->cache[i];
	}
}

/* Remember sug for w; out of memory only means asking again later. */
static void cache_put(hx__speller *sp, const char *w, const char *sug)
{
	struct sug *e;

	if (2 * (sp->nused + 1) > sp->ncache) {
		size_t nc = sp->ncache ? 2 * sp->ncache : 64;
		struct sug *old = sp->cache, *v = calloc(nc, sizeof(*v));
		size_t on = sp->ncache;
		if (!v)
			return;
		sp->cache = v;
		sp->ncache = nc;
		for (size_t i = 0; i < on; i++)
			if (old[i].word)
				*cache_find(sp, old[i].word) = old[i];
		free(old);
	}
	e = cache_find(sp, w);
	if (e->word)
		return;
	e->word = strdup(w);
	e->sug = strdup(sug);
	if (!e->word || !e->sug) {
		free(e->word);
		free(e->sug);
		e->word = e->sug = NULL;
		return;
	}
	sp->nused++;
}

#define MAX_CPS 64

/* Encode cps[0..n) as UTF-8 into buf (MAX_WORD bytes); false when it
 * does not fit. */
static bool encode(char *buf, const uint32_t *cps, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (k + 5 >= MAX_WORD)
			return false;
		k += hx__utf8_put(buf + k, cps[i]);
	}
	buf[k] = '\0';
	return true;
}

static bool try_word(hx__speller *sp, const uint32_t *cps, size_t n, char *out)
{
	return n > 0 && encode(out, cps, n) && Hunspell_spell(sp->h, out);
}

/* The first word one edit away, in hunspell's order of trying (swapped
 * neighbours, an extra letter, a forgotten one, a wrong one, two words
 * run together), into out; false when there is none. */
static bool one_edit(hx__speller *sp, const char *w, char *out)
{
	uint32_t cps[MAX_CPS], c[MAX_CPS + 1];
	size_t n = 0, len = strlen(w);

	for (size_t i = 0; i < len;) {
		if (n == MAX_CPS)
			return false;
		cps[n++] = hx__utf8_next(w, len, &i);
	}
	for (size_t i = 0; i + 1 < n; i++) {
		memcpy(c, cps, n * sizeof(*c));
		c[i] = cps[i + 1];
		c[i + 1] = cps[i];
		if (cps[i] != cps[i + 1] && try_word(sp, c, n, out))
			return true;
	}
	for (size_t i = 0; i < n && n > 2; i++) {
		memcpy(c, cps, i * sizeof(*c));
		memcpy(c + i, cps + i + 1, (n - i - 1) * sizeof(*c));
		if (try_word(sp, c, n - 1, out))
			return true;
	}
	for (size_t i = 0; i <= n; i++) {
		memcpy(c, cps, i * sizeof(*c));
		memcpy(c + i + 1, cps + i, (n - i) * sizeof(*c));
		for (size_t t = 0; t < sp->ntry; t++) {
			c[i] = sp->try_cps[t];
			if (try_word(sp, c, n + 1, out))
				return true;
		}
	}
	for (size_t i = 0; i < n; i++) {
		memcpy(c, cps, n * sizeof(*c));
		for (size_t t = 0; t < sp->ntry; t++) {
			if (sp->try_cps[t] == cps[i])
				continue;
			c[i] = sp->try_cps[t];
			if (try_word(sp, c, n, out))
				return true;
		}
	}
	for (size_t i = 2; i + 2 <= n; i++) {
		char a[MAX_WORD], b[MAX_WORD];
		size_t la, lb;
		if (!try_word(sp, cps, i, a) ||
		    !try_word(sp, cps + i, n - i, b))
			continue;
		la = strlen(a);
		lb = strlen(b);
		if (la + 1 + lb >= MAX_WORD)
			continue;
		memcpy(out, a, la);
		out[la] = ' ';
		memcpy(out + la + 1, b, lb + 1);
		return true;
	}
	return false;
}

/* hunspell's full search, first suggestion into out ("" when none). */
static void full_search(hx__speller *sp, const char *w, char *out)
{
	char **list = NULL;
	int k = Hunspell_suggest(sp->h, &list, w);

	out[0] = '\0';
	if (k > 0 && list[0] && strlen(list[0]) < MAX_WORD)
		strcpy(out, list[0]);
	if (list)
		Hunspell_free_list(sp->h, &list, k);
}

/* A capitalised word ("Empresa") is suggested capitalised ("Impresa"):
 * the candidates take their letters from TRY, which are lower case. */
static void capitalise(char *sug, const char *w)
{
	size_t i = 0, j = 0, n = strlen(sug);
	uint32_t c, first = hx__utf8_next(w, strlen(w), &i);
	char head[8];

	if (!n || !u_isupper((UChar32)first))
		return;
	c = hx__utf8_next(sug, n, &j);
	if (!u_islower((UChar32)c))
		return;
	size_t k = hx__utf8_put(head, (uint32_t)u_toupper((UChar32)c));
	if (k != j || k == 0)
		return; /* another length: left as it is */
	memcpy(sug, head, k);
}

size_t hx__speller_suggest(hx__speller *sp, const char *word, size_t len,
			   char *buf, size_t size)
{
	char w[MAX_WORD], sug[MAX_WORD];
	const struct sug *hit;
	size_t n;

	assert(buf && size);
	buf[0] = '\0';
	if (!copy_word(w, word, len))
		return 0;
	if ((hit = cache_find(sp, w)) && hit->word) {
		snprintf(sug, sizeof(sug), "%s", hit->sug);
	} else if (!one_edit(sp, w, sug)) {
		sug[0] = '\0';
		if (sp->full_left) {
			sp->full_left--;
			full_search(sp, w, sug);
		} else {
			sp->unsuggested++;
		}
		cache_put(sp, w, sug);
	} else {
		cache_put(sp, w, sug);
	}
	capitalise(sug, w);
	n = strlen(sug);
	if (n >= size)
		n = size - 1;
	memcpy(buf, sug, n);
	buf[n] = '\0';
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
