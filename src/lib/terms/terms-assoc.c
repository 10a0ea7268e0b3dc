/*
 * terms-assoc.c - which target n-gram translates a source term: over the
 * aligned units, the n-gram of the target language whose units best
 * coincide with the term's, by the Dice coefficient 2|A∩B| / (|A| + |B|)
 * (Dice 1945; as used for translation spotting by Smadja, McKeown and
 * Hatzivassiloglou 1996, "Translating collocations for bilingual
 * lexicons", Computational Linguistics 22(1)). Dice rather than
 * log-likelihood (Dunning 1993): it is bounded, so it reads as a score
 * and a threshold means the same for a rare term and a frequent one, and
 * it favours the full name over a fragment that also occurs elsewhere
 * ("Conseil de sécurité", not "sécurité").
 *
 * Target n-grams: Chinese by characters, 2 to 12 of them (a Latin word
 * inside counts as one); other languages by words, 1 to 7, not opening
 * or closing with an article or preposition, Arabic with its proclitics
 * split and words keyed by a light stem (lexicon.c) so that "المجلس" and
 * "ومجلس" count as one. The document frequency of every target n-gram is
 * counted once per language (hx__assoc_new): memory grows with the
 * distinct n-grams of the language, about 20 MB for the 2,562 units of
 * the UN dev set in Chinese, and each term then reads only its units.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "base/text.h"
#include "terms/terms-private.h"

/* Open addressing on 64-bit keys (0 is empty). */
struct hmap {
	uint64_t *k;
	uint32_t *v, *last;
	size_t cap, n;
};

static int hmap_init(struct hmap *m, size_t cap)
{
	m->cap = cap;
	m->n = 0;
	m->k = calloc(cap, sizeof(*m->k));
	m->v = calloc(cap, sizeof(*m->v));
	m->last = calloc(cap, sizeof(*m->last));
	return m->k && m->v && m->last ? HX_OK : HX_ENOMEM;
}

static void hmap_free(struct hmap *m)
{
	free(m->k);
	free(m->v);
	free(m->last);
	memset(m, 0, sizeof(*m));
}

static size_t hmap_find(const struct hmap *m, uint64_t k)
{
	size_t i = (size_t)(k * 0x9e3779b97f4a7c15ull) & (m->cap - 1);
	while (m->k[i] && m->k[i] != k)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* The slot of k, made when absent; SIZE_MAX on no memory. */
static size_t hmap_put(struct hmap *m, uint64_t k, bool *made)
{
	size_t i;
	*made = false;
	if (2 * (m->n + 1) > m->cap) {
		struct hmap g;
		if (hmap_init(&g, m->cap * 2) < 0) {
			hmap_free(&g);
			return SIZE_MAX;
		}
		for (size_t j = 0; j < m->cap; j++) {
			if (!m->k[j])
				continue;
			size_t s = hmap_find(&g, m->k[j]);
			g.k[s] = m->k[j], g.v[s] = m->v[j],
			g.last[s] = m->last[j];
		}
		g.n = m->n;
		hmap_free(m);
		*m = g;
	}
	i = hmap_find(m, k);
	if (!m->k[i]) {
		m->k[i] = k;
		m->n++;
		*made = true;
	}
	return i;
}

struct hx__assoc {
	const struct hx__corpus *c;
	int l;
	const char *lang;
	bool zh;
	struct hmap df;
	size_t nunits; /* units with English and l */
	struct hx__tword *w;
	size_t nw, wcap;
	hx_match_seg *seg;
};

static bool is_han(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

/* One target n-gram: words [i, i+n) of the current unit. */
typedef int (*gram_fn)(void *payload, uint64_t h, size_t i, size_t n);

/* Every n-gram of the words in a->w, to fn. */
static int grams(struct hx__assoc *a, const char *text, gram_fn fn,
		 void *payload)
{
	size_t maxn = a->zh ? 12 : 7;
	for (size_t i = 0; i < a->nw; i++) {
		uint64_t h = 0x51ed270b27e1ull;
		size_t han = 0;
		if (!a->w[i].key)
			continue;
		if (!a->zh && hx__tgt_stop(a->lang, text + a->w[i].start,
					   a->w[i].end - a->w[i].start))
			continue;
		for (size_t n = 1; n <= maxn && i + n <= a->nw; n++) {
			const struct hx__tword *t = &a->w[i + n - 1];
			int rc;
			if (!t->key)
				break;
			h = hx__tmix(h, t->key);
			if (a->zh) {
				size_t k = t->start;
				uint32_t c = hx__utf8_next(text, t->end, &k);
				han += is_han(c);
				/* one Han character is rarely a term */
				if (n == 1 && han)
					continue;
			} else if (hx__tgt_stop(a->lang, text + t->start,
						t->end - t->start)) {
				continue;
			}
			if ((rc = fn(payload, h, i, n)) < 0)
				return rc;
		}
	}
	return HX_OK;
}

static int words_of(struct hx__assoc *a, size_t u, hx_error *err)
{
	const struct hx__tunit *tu = &a->c->u[u];
	return hx__twords(&a->w, &a->nw, &a->wcap, &a->seg, a->lang,
			  tu->text[a->l], tu->len[a->l], !a->zh, err);
}

struct df_walk {
	struct hx__assoc *a;
	uint32_t unit; /* 1-based, for the per-unit dedupe */
};

static int on_df(void *payload, uint64_t h, size_t i, size_t n)
{
	struct df_walk *d = payload;
	bool made;
	size_t s = hmap_put(&d->a->df, h, &made);
	(void)i, (void)n;
	if (s == SIZE_MAX)
		return HX_ENOMEM;
	if (d->a->df.last[s] != d->unit)
		d->a->df.last[s] = d->unit, d->a->df.v[s]++;
	return HX_OK;
}

void hx__assoc_free(struct hx__assoc *a)
{
	if (!a)
		return;
	hmap_free(&a->df);
	free(a->w);
	hx_match_seg_free(a->seg);
	free(a);
}

int hx__assoc_new(struct hx__assoc **out, const struct hx__corpus *c, int l)
{
	struct hx__assoc *a = calloc(1, sizeof(*a));
	hx_error e;
	int rc = HX_ENOMEM;

	*out = NULL;
	if (!a || hmap_init(&a->df, 1 << 16) < 0)
		goto fail;
	a->c = c, a->l = l, a->lang = c->lang[l];
	a->zh = !strncmp(a->lang, "zh", 2);
	for (size_t u = 0; u < c->n; u++) {
		struct df_walk d = {a, (uint32_t)u + 1};
		if (!c->u[u].text[l] || !c->u[u].text[c->en])
			continue;
		a->nunits++;
		if ((rc = words_of(a, u, &e)) < 0 ||
		    (rc = grams(a, c->u[u].text[l], on_df, &d)) < 0)
			goto fail;
	}
	*out = a;
	return HX_OK;
fail:
	hx__assoc_free(a);
	return rc;
}

/* An n-gram co-occurring with the term: where it was first seen. */
struct cand {
	uint64_t h;
	uint32_t a, unit, i, n;
	double dice;
};

struct run_walk {
	struct hx__assoc *a;
	struct hmap m; /* h -> index into v */
	struct cand *v;
	size_t nv, cap;
	uint32_t unit;
};

static int on_run(void *payload, uint64_t h, size_t i, size_t n)
{
	struct run_walk *r = payload;
	bool made;
	size_t s = hmap_put(&r->m, h, &made);
	if (s == SIZE_MAX)
		return HX_ENOMEM;
	if (made) {
		if (hx__grow((void **)&r->v, &r->cap, r->nv + 1,
			     sizeof(*r->v)) < 0)
			return HX_ENOMEM;
		r->m.v[s] = (uint32_t)r->nv;
		r->v[r->nv++] = (struct cand){
		    h, 0, r->unit - 1, (uint32_t)i, (uint32_t)n, 0};
	}
	if (r->m.last[s] != r->unit) {
		r->m.last[s] = r->unit;
		r->v[r->m.v[s]].a++;
	}
	return HX_OK;
}

static int by_dice(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	if (a->dice != b->dice)
		return a->dice < b->dice ? 1 : -1;
	if (a->n != b->n)
		return a->n < b->n ? 1 : -1;
	return a->h < b->h ? -1 : a->h > b->h;
}

/* The keys of candidate c's words, and its text as written. */
static int cand_keys(struct hx__assoc *a, const struct cand *c, uint64_t *keys,
		     char **text, hx_error *err)
{
	const struct hx__tunit *tu = &a->c->u[c->unit];
	int rc;
	if ((rc = words_of(a, c->unit, err)) < 0)
		return rc;
	assert(c->i + c->n <= a->nw);
	for (size_t k = 0; k < c->n; k++)
		keys[k] = a->w[c->i + k].key;
	if (text) {
		size_t s = a->w[c->i].start, e = a->w[c->i + c->n - 1].end;
		if (!(*text = strndup(tu->text[a->l] + s, e - s)))
			return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	return HX_OK;
}

/* The most frequent way an n-gram is written in the units ("المجتمع
 * الدولي" rather than the "والمجتمع الدولي" met first): the key folds
 * proclitics, case and endings, the answer should not. */
struct surf_walk {
	struct hx__assoc *a;
	const char *text;
	uint64_t target;
	uint64_t sh[16];
	uint32_t cnt[16], unit[16], i[16], n[16];
	size_t ns;
	uint32_t cur;
};

static int on_surf(void *payload, uint64_t h, size_t i, size_t n)
{
	struct surf_walk *s = payload;
	const struct hx__tword *w = s->a->w;
	uint64_t sh;
	size_t k;
	if (h != s->target)
		return HX_OK;
	sh = hx__thash(s->text + w[i].start, w[i + n - 1].end - w[i].start);
	for (k = 0; k < s->ns && s->sh[k] != sh; k++)
		;
	if (k == s->ns) {
		if (s->ns == 16)
			return HX_OK;
		s->sh[k] = sh, s->cnt[k] = 0, s->unit[k] = s->cur;
		s->i[k] = (uint32_t)i, s->n[k] = (uint32_t)n;
		s->ns++;
	}
	s->cnt[k]++;
	return HX_OK;
}

static int surface(struct hx__assoc *a, const uint32_t *units, size_t nunits,
		   struct cand *c, hx_error *err)
{
	struct surf_walk s = {.a = a, .target = c->h};
	int rc;
	for (size_t k = 0; k < nunits; k++) {
		const struct hx__tunit *tu = &a->c->u[units[k]];
		if (!tu->text[a->l])
			continue;
		s.text = tu->text[a->l];
		s.cur = units[k];
		if ((rc = words_of(a, units[k], err)) < 0 ||
		    (rc = grams(a, s.text, on_surf, &s)) < 0)
			return rc;
	}
	size_t best = 0;
	for (size_t k = 1; k < s.ns; k++)
		if (s.cnt[k] > s.cnt[best])
			best = k;
	if (s.ns)
		c->unit = s.unit[best], c->i = s.i[best], c->n = s.n[best];
	return HX_OK;
}

static bool contains(const uint64_t *big, size_t nb, const uint64_t *small,
		     size_t ns)
{
	for (size_t i = 0; i + ns <= nb; i++)
		if (!memcmp(big + i, small, ns * sizeof(*big)))
			return true;
	return false;
}

/* How many of the best are looked at for a longer form or another
 * answer: the rest score too low to matter. */
#define TOP 40

int hx__assoc_run(struct hx__assoc *a, const uint32_t *units, size_t nunits,
		  struct hx__answer *ans, size_t max, size_t *nans,
		  size_t *with_lang, hx_error *err)
{
	struct run_walk r = {a, {0}, NULL, 0, 0, 0};
	uint64_t keys[TOP][12];
	bool taken[TOP] = {false};
	size_t nl = 0, ntop;
	int rc;

	*nans = 0;
	*with_lang = 0;
	if ((rc = hmap_init(&r.m, 1 << 12)) < 0)
		goto nomem;
	for (size_t k = 0; k < nunits; k++) {
		const struct hx__tunit *tu = &a->c->u[units[k]];
		if (!tu->text[a->l])
			continue;
		nl++;
		r.unit = units[k] + 1;
		if ((rc = words_of(a, units[k], err)) < 0)
			goto done;
		if ((rc = grams(a, tu->text[a->l], on_run, &r)) < 0)
			goto nomem;
	}
	*with_lang = nl;
	/* Dice over the units: |A| the term's units with a segment in the
	 * language, |B| those of the n-gram, |A∩B| both. Seen once is no
	 * evidence. */
	size_t keep = 0;
	for (size_t k = 0; k < r.nv; k++) {
		struct cand *c = &r.v[k];
		size_t s = hmap_find(&a->df, c->h);
		uint32_t df = a->df.k[s] ? a->df.v[s] : c->a;
		if (c->a < 2 && nl > 1)
			continue;
		c->dice = 2.0 * c->a / (double)(nl + df);
		r.v[keep++] = *c;
	}
	qsort(r.v, keep, sizeof(*r.v), by_dice);
	ntop = keep < TOP ? keep : TOP;
	for (size_t k = 0; k < ntop; k++)
		if ((rc = cand_keys(a, &r.v[k], keys[k], NULL, err)) < 0)
			goto done;
	while (*nans < max) {
		size_t best = SIZE_MAX;
		for (size_t k = 0; k < ntop && best == SIZE_MAX; k++)
			if (!taken[k])
				best = k;
		if (best == SIZE_MAX)
			break;
		/* A longer n-gram holding the best that keeps nine tenths of
		 * its score is the fuller form: "儿童在线保护", not "在线保护".
		 */
		for (bool grew = true; grew;) {
			grew = false;
			for (size_t k = 0; k < ntop; k++) {
				if (taken[k] || r.v[k].n <= r.v[best].n ||
				    r.v[k].dice < 0.9 * r.v[best].dice ||
				    !contains(keys[k], r.v[k].n, keys[best],
					      r.v[best].n))
					continue;
				best = k, grew = true;
				break;
			}
		}
		/* The answer, and every n-gram it overlaps, are used up: a
		 * second answer is another rendering, not a fragment. */
		for (size_t k = 0; k < ntop; k++)
			if (k == best ||
			    contains(keys[best], r.v[best].n, keys[k],
				     r.v[k].n) ||
			    contains(keys[k], r.v[k].n, keys[best],
				     r.v[best].n))
				taken[k] = true;
		struct hx__answer *an = &ans[*nans];
		an->freq = r.v[best].a;
		an->dice = r.v[best].dice;
		an->example = a->c->u[r.v[best].unit].id;
		if ((rc = surface(a, units, nunits, &r.v[best], err)) < 0 ||
		    (rc = cand_keys(a, &r.v[best], keys[best], &an->text,
				    err)) < 0)
			goto done;
		an->example = a->c->u[r.v[best].unit].id;
		(*nans)++;
	}
	rc = HX_OK;
	goto done;
nomem:
	if (rc == HX_ENOMEM)
		hx__error_set(err, rc, "out of memory");
done:
	if (rc < 0) {
		for (size_t k = 0; k < *nans; k++)
			free(ans[k].text);
		*nans = 0;
	}
	hmap_free(&r.m);
	free(r.v);
	return rc;
}
