/*
 * lexicon.c - bilingual word lists (dictionaries/lexicon/ TSV files) and the
 * word keys under which both the lexicon and document words are compared.
 *
 * Keys. Lexicons list base forms ("child", "enfant"), documents inflect
 * ("children's", "enfants"). Rather than a full morphological analysis
 * (hunspell is too slow to call for every token of a long document), both
 * sides are reduced by the same light stemmer, so whatever it does to a
 * base form it also does to the inflected form: English loses plural and
 * -ed/-ing endings and a final e (in the manner of the first step of
 * Porter 1980); French and Spanish lose a plural s/x and are cut to 7
 * characters; Russian is cut to 5, Arabic loses the article and common
 * proclitics and is cut to 5. Truncation as a stemmer for alignment
 * follows the observation that prefixes of 4-7 characters separate words
 * of inflected languages about as well as real stems do (Och and Ney
 * 2003, section 6, used word classes; hunalign and Bleualign use
 * truncation in the same spirit). Chinese keys are the words themselves.
 *
 * Storage: one intern table per side and, per id, the list of translation
 * ids on the other side, in both directions.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "align/lexicon.h"
#include "base/error-private.h"
#include "base/intern.h"
#include "base/text.h"

struct idlist {
	uint32_t *v;
	uint32_t n, cap;
};

struct side {
	hx__intern *words;
	struct idlist *trans; /* per id */
	size_t ntrans_cap;
	size_t max_chars;
};

struct hx_lexicon {
	struct side side[2];
	char *lang[2];
	size_t npairs;
};

bool hx__lang_unspaced(const char *lang)
{
	return lang && (!strncmp(lang, "zh", 2) || !strncmp(lang, "ja", 2));
}

static bool ends(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && !memcmp(s + n - k, suf, k);
}

/* Cut UTF-8 s[0..n) to at most `chars` code points; returns the new n. */
static size_t cut_chars(const char *s, size_t n, size_t chars)
{
	size_t i = 0, c = 0;
	while (i < n && c < chars) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		c++;
	}
	return i;
}

static size_t stem_en(char *s, size_t n)
{
	if (ends(s, n, "'s"))
		n -= 2;
	else if (ends(s, n, "\xe2\x80\x99s")) /* ’s */
		n -= 4;
	if (n > 4 && ends(s, n, "ies"))
		s[n - 3] = 'y', n -= 2;
	else if (n > 4 && ends(s, n, "sses"))
		n -= 2;
	else if (n > 5 && ends(s, n, "ing"))
		n -= 3;
	else if (n > 4 && ends(s, n, "ied"))
		s[n - 3] = 'y', n -= 2;
	else if (n > 4 && ends(s, n, "ed"))
		n -= 2;
	else if (n > 4 && ends(s, n, "es"))
		n -= 2;
	else if (n > 3 && ends(s, n, "s") && !ends(s, n, "ss") &&
		 !ends(s, n, "us") && !ends(s, n, "is"))
		n -= 1;
	if (n > 3 && s[n - 1] == 'e')
		n--;
	/* Doubled final consonant of "planned", "committed". */
	if (n > 4 && s[n - 1] == s[n - 2] && strchr("bdgmnprt", s[n - 1]))
		n--;
	return n;
}

static size_t stem_romance(char *s, size_t n)
{
	if (n > 3 && (s[n - 1] == 's' || s[n - 1] == 'x'))
		n--;
	return cut_chars(s, n, 7);
}

/* Arabic proclitics: w- "and", f- "so", b- "with", k- "as", l- "for", and
 * the article al-, in the combinations official text uses. Longest first. */
static const char *const ar_prefixes[] = {
    "\xd9\x88\xd8\xa8\xd8\xa7\xd9\x84", /* وبال */
    "\xd9\x88\xd8\xa7\xd9\x84",		/* وال */
    "\xd8\xa8\xd8\xa7\xd9\x84",		/* بال */
    "\xd9\x83\xd8\xa7\xd9\x84",		/* كال */
    "\xd9\x81\xd8\xa7\xd9\x84",		/* فال */
    "\xd9\x84\xd9\x84",			/* لل */
    "\xd8\xa7\xd9\x84",			/* ال */
    "\xd9\x88",				/* و */
    NULL};

static size_t stem_ar(char *s, size_t n)
{
	for (const char *const *p = ar_prefixes; *p; p++) {
		size_t k = strlen(*p);
		/* Keep at least three letters (6 bytes) after the prefix. */
		if (n >= k + 6 && !memcmp(s, *p, k)) {
			memmove(s, s + k, n - k);
			n -= k;
			break;
		}
	}
	return cut_chars(s, n, 5);
}

size_t hx__word_key(char *out, size_t cap, const char *lang, const char *w,
		    size_t len)
{
	size_t i = 0, n = 0;
	bool ar = lang && !strncmp(lang, "ar", 2);

	if (cap < 5)
		return 0;
	while (i < len) {
		uint32_t c = hx__utf8_next(w, len, &i);
		if (ar) {
			if ((c >= 0x064B && c <= 0x0652) || c == 0x0640 ||
			    c == 0x0670)
				continue; /* harakat, tatweel, dagger alef */
			if (c == 0x0623 || c == 0x0625 || c == 0x0622 ||
			    c == 0x0671)
				c = 0x0627; /* alef with hamza/madda -> alef */
			else if (c == 0x0649)
				c = 0x064A; /* alef maqsura -> yeh */
			else if (c == 0x0629)
				c = 0x0647; /* teh marbuta -> heh */
		} else {
			c = (uint32_t)u_foldCase((UChar32)c,
						 U_FOLD_CASE_DEFAULT);
			if (c == 0x0451)
				c = 0x0435; /* ё -> е */
			else if (c == 0x2019)
				c = '\'';
		}
		if (n + 4 >= cap)
			break;
		n += hx__utf8_put(out + n, c);
	}
	if (!lang || !strncmp(lang, "en", 2))
		n = stem_en(out, n);
	else if (!strncmp(lang, "fr", 2) || !strncmp(lang, "es", 2))
		n = stem_romance(out, n);
	else if (!strncmp(lang, "ru", 2))
		n = cut_chars(out, n, 5);
	else if (ar)
		n = stem_ar(out, n);
	out[n] = '\0';
	return n;
}

void hx_lexicon_free(hx_lexicon *lex)
{
	if (!lex)
		return;
	for (int s = 0; s < 2; s++) {
		struct side *sd = &lex->side[s];
		size_t nw = sd->words ? hx__intern_count(sd->words) : 0;
		for (size_t i = 0; i < nw && i < sd->ntrans_cap; i++)
			free(sd->trans[i].v);
		free(sd->trans);
		hx__intern_free(sd->words);
		free(lex->lang[s]);
	}
	free(lex);
}

static bool idlist_add(struct idlist *l, uint32_t id)
{
	for (uint32_t k = 0; k < l->n; k++)
		if (l->v[k] == id)
			return true;
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 2;
		uint32_t *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return false;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = id;
	return true;
}

static int64_t side_add(struct side *sd, const char *key, size_t len)
{
	int64_t id = hx__intern_add(sd->words, key, len);
	if (id < 0)
		return -1;
	if ((size_t)id >= sd->ntrans_cap) {
		size_t cap = sd->ntrans_cap ? sd->ntrans_cap * 2 : 1024;
		struct idlist *t = realloc(sd->trans, cap * sizeof(*t));
		if (!t)
			return -1;
		memset(t + sd->ntrans_cap, 0,
		       (cap - sd->ntrans_cap) * sizeof(*t));
		sd->trans = t;
		sd->ntrans_cap = cap;
	}
	size_t chars = 0;
	for (size_t i = 0; i < len; i++)
		chars += ((unsigned char)key[i] & 0xC0) != 0x80;
	if (chars > sd->max_chars)
		sd->max_chars = chars;
	return id;
}

/* One line "A<TAB>B": the file's left column is the file's first language.
 * `swap` when the caller's source is the file's second language. */
static int add_line(hx_lexicon *lex, const char *line, size_t len, bool swap,
		    const char *path, size_t lineno, hx_error *err)
{
	const char *tab = memchr(line, '\t', len);
	char k[2][256];
	size_t kn[2];
	int64_t id[2];

	if (!tab || tab == line || tab + 1 == line + len ||
	    memchr(tab + 1, '\t', (size_t)(line + len - tab - 1)))
		return hx__error_set(err, HX_EFORMAT,
				     "%s:%zu: expected WORD<TAB>WORD", path,
				     lineno);
	const char *col[2] = {line, tab + 1};
	size_t cl[2] = {(size_t)(tab - line), (size_t)(line + len - tab - 1)};
	if (swap) {
		const char *t = col[0];
		size_t tl = cl[0];
		col[0] = col[1], cl[0] = cl[1];
		col[1] = t, cl[1] = tl;
	}
	for (int s = 0; s < 2; s++) {
		kn[s] = hx__word_key(k[s], sizeof(k[s]), lex->lang[s], col[s],
				     cl[s]);
		if (!kn[s])
			return HX_OK; /* nothing left of it: skip */
	}
	for (int s = 0; s < 2; s++)
		if ((id[s] = side_add(&lex->side[s], k[s], kn[s])) < 0)
			return hx__error_set(err, HX_ENOMEM, "out of memory");
	if (!idlist_add(&lex->side[0].trans[id[0]], (uint32_t)id[1]) ||
	    !idlist_add(&lex->side[1].trans[id[1]], (uint32_t)id[0]))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	lex->npairs++;
	return HX_OK;
}

static int load_file(hx_lexicon *lex, const char *path, bool swap,
		     hx_error *err)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0, lineno = 0, bad;
	ssize_t n;
	int rc = HX_OK;

	if (!f)
		return hx__error_set(err,
				     errno == ENOENT ? HX_ENOTFOUND : HX_EIO,
				     "%s: %s", path, strerror(errno));
	while ((n = getline(&line, &cap, f)) >= 0) {
		size_t len = (size_t)n;
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (!len || line[0] == '#')
			continue;
		if (!hx__utf8_valid(line, len, &bad)) {
			rc = hx__error_set(err, HX_EFORMAT,
					   "%s:%zu: invalid UTF-8 at byte %zu",
					   path, lineno, bad + 1);
			break;
		}
		if ((rc = add_line(lex, line, len, swap, path, lineno, err)) <
		    0)
			break;
	}
	if (rc == HX_OK && ferror(f))
		rc =
		    hx__error_set(err, HX_EIO, "%s: %s", path, strerror(errno));
	free(line);
	fclose(f);
	return rc;
}

static int lex_new(hx_lexicon **out, const char *src, const char *tgt,
		   hx_error *err)
{
	hx_lexicon *lex = calloc(1, sizeof(*lex));
	*out = NULL;
	if (!lex)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (int s = 0; s < 2; s++) {
		lex->side[s].words = hx__intern_new();
		lex->lang[s] = strdup(s ? tgt : src);
		if (!lex->side[s].words || !lex->lang[s]) {
			hx_lexicon_free(lex);
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		}
	}
	*out = lex;
	return HX_OK;
}

int hx_lexicon_load(hx_lexicon **out, const char *path, const char *src_lang,
		    const char *tgt_lang, hx_error *err)
{
	hx_lexicon *lex;
	int rc;

	assert(out && path && src_lang && tgt_lang);
	if ((rc = lex_new(&lex, src_lang, tgt_lang, err)) < 0)
		return rc;
	if ((rc = load_file(lex, path, false, err)) < 0) {
		hx_lexicon_free(lex);
		return rc;
	}
	*out = lex;
	return HX_OK;
}

int hx_lexicon_load_pair(hx_lexicon **out, const char *dir,
			 const char *src_lang, const char *tgt_lang,
			 hx_error *err)
{
	char path[4096];
	hx_lexicon *lex;
	int rc;

	assert(out && dir && src_lang && tgt_lang);
	*out = NULL;
	/* The file for a pair is named after its columns: en-zh.tsv holds
	 * English on the left. A zh->en alignment reads it swapped. */
	for (int swap = 0; swap < 2; swap++) {
		snprintf(path, sizeof(path), "%s/%.8s-%.8s.tsv", dir,
			 swap ? tgt_lang : src_lang,
			 swap ? src_lang : tgt_lang);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		fclose(f);
		if ((rc = lex_new(&lex, src_lang, tgt_lang, err)) < 0)
			return rc;
		if ((rc = load_file(lex, path, swap, err)) < 0) {
			hx_lexicon_free(lex);
			return rc;
		}
		*out = lex;
		return HX_OK;
	}
	return hx__error_set(err, HX_ENOTFOUND,
			     "%s: no lexicon for %s-%s (%s-%s.tsv)", dir,
			     src_lang, tgt_lang, src_lang, tgt_lang);
}

size_t hx_lexicon_count(const hx_lexicon *lex)
{
	return lex ? lex->npairs : 0;
}

int64_t hx__lex_find(const hx_lexicon *lex, int side, const char *key,
		     size_t len)
{
	return hx__intern_find(lex->side[side].words, key, len);
}

const uint32_t *hx__lex_trans(const hx_lexicon *lex, int side, uint32_t id,
			      size_t *n)
{
	const struct idlist *l = &lex->side[side].trans[id];
	*n = l->n;
	return l->v;
}

const char *hx__lex_key(const hx_lexicon *lex, int side, uint32_t id,
			size_t *len)
{
	return hx__intern_str(lex->side[side].words, id, len);
}

size_t hx__lex_max_chars(const hx_lexicon *lex, int side)
{
	return lex->side[side].max_chars;
}
