/*
 * termbase.c - the term base: storage, the rules every format shares
 * (language codes, statuses, white space, NFC) and the look-ups. Reading
 * a file (format detection, TSV) is termbase-load.c, TBX termbase-tbx.c;
 * both fill the store through termbase-private.h. This module does not
 * search text for terms (termmatch.c) and does not write term bases.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hexalign/termbase.h>
#include <hexalign/tm.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "base/text.h"
#include "check/termbase-private.h"

#define POOL_CHUNK ((size_t)64 << 10)

/* Strings live in chunks that never move, so hx_term can point into
 * them while the term base grows. */
typedef struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
} chunk;

typedef struct concept {
	const char *id;
	size_t first, n; /* into terms, once sorted */
}
concept;

struct hx_termbase {
	char *name;
	chunk *pool;
	hx_term *terms;
	size_t nterms, cterms;
	concept *concepts;
	size_t nconcepts, cconcepts;
	const char **langs;
	size_t nlangs, clangs;
	/* TSV rows find their concept by id: open addressing, 1-based
	 * concept indexes, 0 empty. */
	size_t *ids;
	size_t cids;
};

const char *hx_term_status_str(hx_term_status status)
{
	switch (status) {
	case HX_TERM_PREFERRED:
		return "preferred";
	case HX_TERM_ADMITTED:
		return "admitted";
	case HX_TERM_DEPRECATED:
		return "deprecated";
	case HX_TERM_SUPERSEDED:
		return "superseded";
	case HX_TERM_UNSPECIFIED:
		break;
	}
	return "unspecified";
}

/* ---- storage ------------------------------------------------------------ */

/* A NUL-terminated copy of s[0..n) in the pool, or NULL without memory. */
static char *pool_dup(hx_termbase *tb, const char *s, size_t n)
{
	chunk *c = tb->pool;
	char *p;

	if (n >= SIZE_MAX - sizeof(chunk) - POOL_CHUNK)
		return NULL;
	if (!c || c->size - c->used < n + 1) {
		size_t size = n + 1 > POOL_CHUNK ? n + 1 : POOL_CHUNK;
		if (!(c = malloc(sizeof(chunk) + size)))
			return NULL;
		c->next = tb->pool;
		c->used = 0;
		c->size = size;
		tb->pool = c;
	}
	p = c->data + c->used;
	memcpy(p, s, n);
	p[n] = '\0';
	c->used += n + 1;
	return p;
}

const char *hx__tb_name(const hx_termbase *tb)
{
	return tb->name;
}

const char *hx__tb_clip(char *buf, size_t size, const char *s)
{
	size_t n = strlen(s), off = 0, bad;

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memmove(buf, s, n); /* s may be buf */
	buf[n] = '\0';
	/* libxml2 quotes raw input bytes in some messages. */
	while (off < n && !hx__utf8_valid(buf + off, n - off, &bad)) {
		buf[off + bad] = '?';
		off += bad + 1;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20)
			buf[i] = ' ';
	while (n && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return buf;
}

static int nomem(const hx_termbase *tb, hx_error *err)
{
	return hx__error_set(err, HX_ENOMEM, "%s: out of memory", tb->name);
}

int hx__tb_new(hx_termbase **out, const char *name, hx_error *err)
{
	hx_termbase *tb;

	*out = NULL;
	if (!(tb = calloc(1, sizeof(*tb))) || !(tb->name = strdup(name))) {
		free(tb);
		return hx__error_set(err, HX_ENOMEM, "%s: out of memory", name);
	}
	*out = tb;
	return HX_OK;
}

int hx__tb_concept_new(hx_termbase *tb, const char *id, size_t *c,
		       hx_error *err)
{
	char num[32];
	concept *k;

	if (hx__grow((void **)&tb->concepts, &tb->cconcepts, tb->nconcepts + 1,
		     sizeof(*tb->concepts)) < 0)
		return nomem(tb, err);
	if (!id || !*id) {
		snprintf(num, sizeof(num), "#%zu", tb->nconcepts + 1);
		id = num;
	}
	k = &tb->concepts[tb->nconcepts];
	memset(k, 0, sizeof(*k));
	if (!(k->id = pool_dup(tb, id, strlen(id))))
		return nomem(tb, err);
	*c = tb->nconcepts++;
	return HX_OK;
}

static uint64_t fnv64(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The concept with this id, made when it is new (TSV rows). */
int hx__tb_concept_by_id(hx_termbase *tb, const char *id, size_t *c,
			 hx_error *err)
{
	size_t mask, i;
	int rc;

	if (tb->nconcepts + 1 > tb->cids / 2) {
		size_t n = tb->cids ? tb->cids * 2 : 64;
		size_t *ids = calloc(n, sizeof(*ids));
		if (!ids)
			return nomem(tb, err);
		for (size_t k = 0; k < tb->cids; k++) {
			size_t v = tb->ids[k];
			if (!v)
				continue;
			for (i = fnv64(tb->concepts[v - 1].id) & (n - 1);
			     ids[i]; i = (i + 1) & (n - 1))
				;
			ids[i] = v;
		}
		free(tb->ids);
		tb->ids = ids;
		tb->cids = n;
	}
	mask = tb->cids - 1;
	for (i = fnv64(id) & mask; tb->ids[i]; i = (i + 1) & mask)
		if (!strcmp(tb->concepts[tb->ids[i] - 1].id, id)) {
			*c = tb->ids[i] - 1;
			return HX_OK;
		}
	if ((rc = hx__tb_concept_new(tb, id, c, err)) < 0)
		return rc;
	tb->ids[i] = *c + 1;
	return HX_OK;
}

/* The language's one stored copy, so that terms can share it and callers
 * can compare codes with strcmp(). */
static const char *lang_intern(hx_termbase *tb, const char *raw)
{
	char norm[32];
	char *p;

	hx_tm_lang_norm(norm, sizeof(norm), raw);
	for (size_t i = 0; i < tb->nlangs; i++)
		if (!strcmp(tb->langs[i], norm))
			return tb->langs[i];
	if (hx__grow((void **)&tb->langs, &tb->clangs, tb->nlangs + 1,
		     sizeof(*tb->langs)) < 0 ||
	    !(p = pool_dup(tb, norm, strlen(norm))))
		return NULL;
	return tb->langs[tb->nlangs++] = p;
}

/*
 * Copy s into the pool with white space runs made one space and the ends
 * trimmed (TBX files are pretty-printed: a term or a definition may be
 * broken over lines), in NFC. "" and NULL give NULL; *bad is set when s
 * is not UTF-8 (callers then name the line).
 */
static int tidy_dup(hx_termbase *tb, const char *s, const char **out, bool *bad)
{
	size_t len, i = 0, n = 0, at;
	char *tmp, *nfc = NULL;
	bool space = false;
	int rc;

	*out = NULL;
	*bad = false;
	if (!s || !*s)
		return HX_OK;
	len = strlen(s);
	if (!hx__utf8_valid(s, len, &at)) {
		*bad = true;
		return HX_EFORMAT;
	}
	if (!(tmp = malloc(len + 1)))
		return HX_ENOMEM;
	while (i < len) {
		size_t start = i;
		uint32_t c = hx__utf8_next(s, len, &i);
		if (hx__is_space(c)) {
			space = n > 0;
			continue;
		}
		if (space)
			tmp[n++] = ' ';
		space = false;
		memcpy(tmp + n, s + start, i - start);
		n += i - start;
	}
	if (n == 0) {
		free(tmp);
		return HX_OK;
	}
	if ((rc = hx__nfc(&nfc, &len, tmp, n)) < 0) {
		free(tmp);
		return rc;
	}
	*out = pool_dup(tb, nfc, len);
	free(nfc);
	free(tmp);
	return *out ? HX_OK : HX_ENOMEM;
}

/*
 * A status as TBX or a person writes it. ISO 12620's picklist values end
 * in "Term-admn-sts" (preferredTerm-admn-sts); TBX-Basic v3 and TSV files
 * use the bare words; normativeAuthorization uses "preferredTerm". The
 * normative values (standardized, legal, regulated: a standards body or a
 * law requires the term) are what an editor must use, so preferred.
 */
static bool status_parse(const char *s, hx_term_status *st)
{
	static const struct {
		const char *word;
		hx_term_status st;
	} words[] = {
	    {"preferred", HX_TERM_PREFERRED},
	    {"admitted", HX_TERM_ADMITTED},
	    {"deprecated", HX_TERM_DEPRECATED},
	    {"superseded", HX_TERM_SUPERSEDED},
	    {"standardized", HX_TERM_PREFERRED},
	    {"legal", HX_TERM_PREFERRED},
	    {"regulated", HX_TERM_PREFERRED},
	};
	char w[40];
	size_t n = strlen(s);

	if (n >= sizeof(w))
		return false;
	memcpy(w, s, n + 1);
	if (n > 9 && !strcasecmp(w + n - 9, "-admn-sts"))
		w[n -= 9] = '\0';
	if (n > 4 && !strcasecmp(w + n - 4, "term"))
		w[n -= 4] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcasecmp(w, words[i].word)) {
			*st = words[i].st;
			return true;
		}
	return false;
}

int hx__tb_term_add(hx_termbase *tb, size_t c, const hx__term_in *in,
		    hx_error *err)
{
	const char **fields[8];
	const char *raw[8] = {in->text,	      in->status, in->pos,     in->type,
			      in->definition, in->note,	  in->context, NULL};
	char a[64], b[96];
	hx_term *t;
	bool bad;
	int rc;

	assert(c < tb->nconcepts && in->lang && in->text);
	if (hx__grow((void **)&tb->terms, &tb->cterms, tb->nterms + 1,
		     sizeof(*tb->terms)) < 0)
		return nomem(tb, err);
	t = &tb->terms[tb->nterms];
	memset(t, 0, sizeof(*t));
	fields[0] = &t->text;
	fields[1] = &t->status_text;
	fields[2] = &t->pos;
	fields[3] = &t->type;
	fields[4] = &t->definition;
	fields[5] = &t->note;
	fields[6] = &t->context;
	for (int f = 0; f < 7; f++) {
		if ((rc = tidy_dup(tb, raw[f], fields[f], &bad)) == HX_OK)
			continue;
		if (bad)
			return hx__error_set(err, HX_EFORMAT,
					     "%s:%zu: invalid UTF-8", tb->name,
					     in->line);
		return rc == HX_ENOMEM ? nomem(tb, err)
				       : hx__error_set(err, rc,
						       "%s:%zu: cannot be "
						       "normalised to NFC",
						       tb->name, in->line);
	}
	if (!t->text)
		return hx__error_set(err, HX_EFORMAT, "%s:%zu: empty term",
				     tb->name, in->line);
	if (t->status_text && !status_parse(t->status_text, &t->status))
		return hx__error_set(
		    err, HX_EFORMAT,
		    "%s:%zu: unknown status '%s' of term '%s' (expected "
		    "preferred, admitted, deprecated or superseded, or a TBX "
		    "value such as deprecatedTerm-admn-sts)",
		    tb->name, in->line, hx__tb_clip(a, 61, t->status_text),
		    hx__tb_clip(b, 81, t->text));
	if (!*in->lang)
		return hx__error_set(
		    err, HX_EFORMAT, "%s:%zu: term '%s' without a language",
		    tb->name, in->line, hx__tb_clip(b, 81, t->text));
	/* BCP 47 tags are ASCII letters, digits and hyphens (RFC 5646
	 * section 2.1; '_' as POSIX locales write it is taken too). */
	if (strspn(in->lang,
		   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"
		   "YZ0123456789-_") != strlen(in->lang) ||
	    strlen(in->lang) > 35)
		return hx__error_set(err, HX_EFORMAT,
				     "%s:%zu: '%s' is not a language code "
				     "(expected a BCP 47 tag such as en, "
				     "zh-CN)",
				     tb->name, in->line,
				     hx__tb_clip(a, 41, in->lang));
	if (!(t->lang = lang_intern(tb, in->lang)))
		return nomem(tb, err);
	t->len = strlen(t->text);
	t->concept = tb->concepts[c].id;
	t->concept_index = c;
	t->line = in->line;
	tb->nterms++;
	return HX_OK;
}

void hx_termbase_free(hx_termbase *tb)
{
	chunk *c, *next;

	if (!tb)
		return;
	for (c = tb->pool; c; c = next) {
		next = c->next;
		free(c);
	}
	free(tb->terms);
	free(tb->concepts);
	free(tb->langs);
	free(tb->ids);
	free(tb->name);
	free(tb);
}

/* Group the terms by concept, so a concept's terms are one run, keeping
 * file order inside each (a counting sort: stable, and linear). Concepts
 * without a term (a TBX entry with only a definition) stay, empty. */
int hx__tb_finish(hx_termbase *tb, hx_error *err)
{
	hx_term *sorted;
	size_t at = 0;

	for (size_t i = 0; i < tb->nterms; i++)
		tb->concepts[tb->terms[i].concept_index].n++;
	for (size_t c = 0; c < tb->nconcepts; c++) {
		tb->concepts[c].first = at;
		at += tb->concepts[c].n;
		tb->concepts[c].n = 0;
	}
	if (!(sorted = malloc(tb->nterms * sizeof(*sorted))))
		return nomem(tb, err);
	for (size_t i = 0; i < tb->nterms; i++) {
		concept *k = &tb->concepts[tb->terms[i].concept_index];
		sorted[k->first + k->n++] = tb->terms[i];
	}
	free(tb->terms);
	tb->terms = sorted;
	tb->cterms = tb->nterms;
	return HX_OK;
}

/* ---- look-ups ----------------------------------------------------------- */

size_t hx_termbase_count(const hx_termbase *tb)
{
	assert(tb);
	return tb->nterms;
}

const hx_term *hx_termbase_term(const hx_termbase *tb, size_t i)
{
	assert(tb && i < tb->nterms);
	return &tb->terms[i];
}

size_t hx_termbase_concept_count(const hx_termbase *tb)
{
	assert(tb);
	return tb->nconcepts;
}

const char *hx_termbase_concept_id(const hx_termbase *tb, size_t c)
{
	assert(tb && c < tb->nconcepts);
	return tb->concepts[c].id;
}

size_t hx_termbase_concept_terms(const hx_termbase *tb, size_t c, size_t *n)
{
	assert(tb && c < tb->nconcepts && n);
	*n = tb->concepts[c].n;
	return tb->concepts[c].first;
}

size_t hx_termbase_lang_count(const hx_termbase *tb)
{
	assert(tb);
	return tb->nlangs;
}

const char *hx_termbase_lang(const hx_termbase *tb, size_t i)
{
	assert(tb && i < tb->nlangs);
	return tb->langs[i];
}

bool hx_termbase_has_lang(const hx_termbase *tb, const char *lang)
{
	char norm[32];

	assert(tb && lang);
	hx_tm_lang_norm(norm, sizeof(norm), lang);
	for (size_t i = 0; i < tb->nlangs; i++)
		if (!strcmp(tb->langs[i], norm))
			return true;
	return false;
}

int hx_termbase_require_lang(const hx_termbase *tb, const char *lang,
			     hx_error *err)
{
	char have[256] = "", want[24];
	size_t n = 0;

	assert(tb && lang);
	if (hx_termbase_has_lang(tb, lang))
		return HX_OK;
	for (size_t i = 0; i < tb->nlangs && n < sizeof(have) - 1; i++) {
		int w = snprintf(have + n, sizeof(have) - n, "%s%s",
				 i ? ", " : "", tb->langs[i]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	return hx__error_set(err, HX_ENOTFOUND,
			     "%s: no terms in '%s' (the term base has %s)",
			     tb->name, hx__tb_clip(want, 21, lang), have);
}

const hx_term *hx_termbase_preferred(const hx_termbase *tb, size_t c,
				     const char *lang)
{
	const hx_term *usable = NULL;
	const concept *k;
	char norm[32];

	assert(tb && c < tb->nconcepts && lang);
	hx_tm_lang_norm(norm, sizeof(norm), lang);
	k = &tb->concepts[c];
	for (size_t i = k->first; i < k->first + k->n; i++) {
		const hx_term *t = &tb->terms[i];
		if (strcmp(t->lang, norm))
			continue;
		if (t->status == HX_TERM_PREFERRED)
			return t;
		if (!usable && (t->status == HX_TERM_UNSPECIFIED ||
				t->status == HX_TERM_ADMITTED))
			usable = t;
	}
	return usable;
}

const hx_term *hx_termbase_suggest(const hx_termbase *tb, const hx_term *t)
{
	const concept *k;
	const hx_term *best;

	assert(tb && t && t->concept_index < tb->nconcepts);
	if (t->status == HX_TERM_PREFERRED)
		return NULL;
	k = &tb->concepts[t->concept_index];
	for (size_t i = k->first; i < k->first + k->n; i++) {
		const hx_term *o = &tb->terms[i];
		if (o != t && o->lang == t->lang &&
		    o->status == HX_TERM_PREFERRED && o->type && t->type &&
		    !strcmp(o->type, t->type))
			return o;
	}
	best = hx_termbase_preferred(tb, t->concept_index, t->lang);
	return best == t ? NULL : best;
}
