/*
 * terms-mine.c - English term candidates from the aligned units of a
 * memory, ranked by termhood, each with its translation in every other
 * language (terms-assoc.c). The output is a list for an editor to
 * review; nothing here decides what the organisation's terms are.
 *
 * Candidates are n-grams of 1 to 5 words that neither start nor end with
 * a stop word (terms-ngram.c), hold no number and no punctuation, and
 * have only "of", "and", "on", "for", "in", "the", "to" inside ("Council
 * Working Group on Child Online Protection"). Termhood is the C-value of
 * Frantzi, Ananiadou and Mima (2000), "Automatic recognition of
 * multi-word terms: the C-value/NC-value method", Int. J. on Digital
 * Libraries 3(2):115-130:
 *
 *     C(a) = w(a) f(a)                          a not nested
 *     C(a) = w(a) (f(a) - 1/P(Ta) sum f(b))     b in Ta, the candidates
 *                                               that hold a
 *
 * with w(a) = log2(|a| + 1) instead of log2 |a|, so that single words
 * rank too (the variant of Barrón-Cedeño et al. 2009, "Automatic
 * extraction of terms in Spanish", CICLing). Against general English:
 * Debian ships no general English frequency list (apt-cache search finds
 * none), so the proxy is membership of the hunspell en_US dictionary
 * (hunspell-en-us, from SCOWL): a single lower-case word it knows
 * ("report", "development") is general English and its score is divided
 * by ten; a word it does not know ("cybersecurity"), an acronym ("ITU")
 * and a multi-word candidate keep theirs.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "check/spell.h"
#include "terms/terms-private.h"

#define MAXW	       5
#define GENERAL_FACTOR 0.1

void hx_terms_options_init(hx_terms_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->max_terms = 100;
	opts->min_freq = 3;
	opts->max_units = 2000;
}

/* A candidate while counting. */
struct ecand {
	uint64_t h;
	uint32_t freq, nunits, last; /* last: 1-based unit, for nunits */
	uint32_t unit, i, n;	     /* first occurrence, not sentence-initial
					when there is one */
	double nest_sum;
	uint32_t nest_n, nest_max;
	double cvalue, score;
	bool general, acronym;
	uint32_t *units; /* pass 2, for the chosen ones */
	size_t nu, ucap;
};

struct emap {
	uint64_t *k;
	uint32_t *v;
	size_t cap, n;
};

static size_t emap_slot(const struct emap *m, uint64_t k)
{
	size_t i = (size_t)(k * 0x9e3779b97f4a7c15ull) & (m->cap - 1);
	while (m->k[i] && m->k[i] != k)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int emap_grow(struct emap *m)
{
	struct emap g = {calloc(m->cap * 2, sizeof(uint64_t)),
			 calloc(m->cap * 2, sizeof(uint32_t)), m->cap * 2,
			 m->n};
	if (!g.k || !g.v) {
		free(g.k);
		free(g.v);
		return HX_ENOMEM;
	}
	for (size_t j = 0; j < m->cap; j++)
		if (m->k[j]) {
			size_t s = emap_slot(&g, m->k[j]);
			g.k[s] = m->k[j], g.v[s] = m->v[j];
		}
	free(m->k);
	free(m->v);
	*m = g;
	return HX_OK;
}

struct miner {
	struct hx__corpus *c;
	struct emap map;
	struct ecand *v;
	size_t nv, cap;
	struct hx__tword *w;
	size_t nw, wcap;
	bool *stop, *inner;
	size_t scap;
	hx_match_seg *seg;
};

/* The words of unit u's English, with their stop-word flags. */
static int en_words(struct miner *m, size_t u, hx_error *err)
{
	const struct hx__tunit *tu = &m->c->u[u];
	const char *t = tu->text[m->c->en];
	int rc = hx__twords(&m->w, &m->nw, &m->wcap, &m->seg, "en", t,
			    tu->len[m->c->en], false, err);
	if (rc < 0)
		return rc;
	size_t cap = m->scap;
	if (hx__grow((void **)&m->stop, &m->scap, m->nw + 1, 1) < 0 ||
	    hx__grow((void **)&m->inner, &cap, m->nw + 1, 1) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (size_t i = 0; i < m->nw; i++) {
		const struct hx__tword *w = &m->w[i];
		size_t len = w->end - w->start;
		m->stop[i] = m->inner[i] = false;
		if (!w->key)
			continue;
		/* one letter ("a", "b" of a list) is never a term word */
		if (len == 1) {
			m->stop[i] = true;
			continue;
		}
		m->stop[i] = hx__en_stop(t + w->start, len, &m->inner[i]);
	}
	return HX_OK;
}

typedef int (*en_gram_fn)(struct miner *m, size_t u, uint64_t h, size_t i,
			  size_t n);

static int en_grams(struct miner *m, size_t u, en_gram_fn fn)
{
	for (size_t i = 0; i < m->nw; i++) {
		uint64_t h = 0x7e57ull;
		if (!m->w[i].key || m->stop[i])
			continue;
		for (size_t n = 1; n <= MAXW && i + n <= m->nw; n++) {
			size_t j = i + n - 1;
			int rc;
			if (!m->w[j].key || (m->stop[j] && !m->inner[j]))
				break;
			h = hx__tmix(h, m->w[j].key);
			if (m->stop[j])
				continue; /* may go on, may not end here */
			if ((rc = fn(m, u, h, i, n)) < 0)
				return rc;
		}
	}
	return HX_OK;
}

static int on_count(struct miner *m, size_t u, uint64_t h, size_t i, size_t n)
{
	size_t s;
	struct ecand *c;

	if (2 * (m->map.n + 1) > m->map.cap && emap_grow(&m->map) < 0)
		return HX_ENOMEM;
	s = emap_slot(&m->map, h);
	if (!m->map.k[s]) {
		if (hx__grow((void **)&m->v, &m->cap, m->nv + 1,
			     sizeof(*m->v)) < 0)
			return HX_ENOMEM;
		m->map.k[s] = h;
		m->map.v[s] = (uint32_t)m->nv;
		m->map.n++;
		m->v[m->nv++] = (struct ecand){.h = h,
					       .unit = (uint32_t)u,
					       .i = (uint32_t)i,
					       .n = (uint32_t)n};
	}
	c = &m->v[m->map.v[s]];
	c->freq++;
	if (c->last != u + 1)
		c->last = (uint32_t)u + 1, c->nunits++;
	if (c->i == 0 && i > 0)
		c->unit = (uint32_t)u, c->i = (uint32_t)i;
	return HX_OK;
}

static struct ecand *find(struct miner *m, uint64_t h)
{
	size_t s = emap_slot(&m->map, h);
	return m->map.k[s] ? &m->v[m->map.v[s]] : NULL;
}

static int on_collect(struct miner *m, size_t u, uint64_t h, size_t i, size_t n)
{
	struct ecand *c = find(m, h);
	(void)i, (void)n;
	if (!c || !c->ucap || (c->nu && c->units[c->nu - 1] == u))
		return HX_OK; /* ucap 0: not chosen */
	if (hx__grow((void **)&c->units, &c->ucap, c->nu + 1,
		     sizeof(*c->units)) < 0)
		return HX_ENOMEM;
	c->units[c->nu++] = (uint32_t)u;
	return HX_OK;
}

static bool is_acronym(const char *s, size_t len)
{
	size_t up = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 'a' && ch <= 'z')
			return false;
		up += ch >= 'A' && ch <= 'Z';
	}
	return up >= 2;
}

static int by_score(const void *x, const void *y)
{
	const struct ecand *a = *(struct ecand *const *)x,
			   *b = *(struct ecand *const *)y;
	if (a->score != b->score)
		return a->score < b->score ? 1 : -1;
	if (a->freq != b->freq)
		return a->freq < b->freq ? 1 : -1;
	return a->h < b->h ? -1 : a->h > b->h;
}

static char *keep(hx_terms *t, char *s)
{
	if (!s || hx__grow((void **)&t->strs, &t->strs_cap, t->nstrs + 1,
			   sizeof(*t->strs)) < 0) {
		free(s);
		return NULL;
	}
	return t->strs[t->nstrs++] = s;
}

/* The confidence of a translation: its Dice, discounted for little
 * evidence (a+1 units: one unit more is a full point of doubt). The
 * shape and the 0.8 band were checked on bench/terms-gold.tsv (see
 * bench/terms-eval.py for the figures). */
static double confidence(double dice, size_t a)
{
	double c = dice * (double)a / ((double)a + 1.0);
	return c > 1 ? 1 : c;
}

static int mine(hx_terms *t, const hx_terms_options *o, hx_error *err)
{
	struct hx__corpus *c = &t->c;
	struct miner m = {c, {0}, NULL, 0, 0, NULL, 0, 0, NULL, NULL, 0, NULL};
	struct ecand **rank = NULL;
	hx__speller *sp = NULL;
	hx_error serr;
	size_t nr = 0, nsel;
	int rc = HX_ENOMEM;

	m.map.cap = 1 << 16;
	m.map.k = calloc(m.map.cap, sizeof(uint64_t));
	m.map.v = calloc(m.map.cap, sizeof(uint32_t));
	if (!m.map.k || !m.map.v)
		goto nomem;
	for (size_t u = 0; u < c->n; u++) {
		if (!c->u[u].text[c->en])
			continue;
		if ((rc = en_words(&m, u, err)) < 0)
			goto done;
		if ((rc = en_grams(&m, u, on_count)) < 0)
			goto nomem;
	}
	/* Nesting: each frequent candidate adds its frequency to the
	 * frequent candidates inside it (C-value's Ta). */
	for (size_t k = 0; k < m.nv; k++) {
		struct ecand e = m.v[k];
		uint64_t keys[MAXW];
		if (e.freq < o->min_freq || e.n < 2)
			continue;
		if ((rc = en_words(&m, e.unit, err)) < 0)
			goto done;
		for (size_t j = 0; j < e.n; j++)
			keys[j] = m.w[e.i + j].key;
		for (size_t i = 0; i < e.n; i++) {
			uint64_t h = 0x7e57ull;
			for (size_t n = 1; i + n <= e.n; n++) {
				h = hx__tmix(h, keys[i + n - 1]);
				if (n == e.n)
					break;
				struct ecand *s = find(&m, h);
				if (s && s->freq >= o->min_freq) {
					s->nest_sum += e.freq, s->nest_n++;
					if (e.freq > s->nest_max)
						s->nest_max = e.freq;
				}
			}
		}
	}
	if (hx__speller_open(&sp, o->dict_dir, "en", &serr) < 0)
		sp = NULL; /* no dictionary: no word is taken as general */
	if (!(rank = malloc((m.nv + 1) * sizeof(*rank))))
		goto nomem;
	for (size_t k = 0; k < m.nv; k++) {
		struct ecand *e = &m.v[k];
		const char *s;
		size_t len;
		/* Four times in five inside one longer candidate: a piece
		 * of it ("Nations" of "United Nations"), not a term. */
		if (e->freq < o->min_freq || e->nest_max * 5 >= e->freq * 4)
			continue;
		double w = log2((double)e->n + 1.0);
		e->cvalue = e->nest_n ? w * (e->freq - e->nest_sum / e->nest_n)
				      : w * e->freq;
		if ((rc = en_words(&m, e->unit, err)) < 0)
			goto done;
		s = c->u[e->unit].text[c->en] + m.w[e->i].start;
		len = m.w[e->i + e->n - 1].end - m.w[e->i].start;
		e->acronym = e->n == 1 && is_acronym(s, len);
		if (e->n == 1 && !e->acronym && sp) {
			char low[HX__SPELL_MAX_WORD];
			if (len < sizeof(low)) {
				for (size_t i = 0; i < len; i++)
					low[i] =
					    (char)(s[i] >= 'A' && s[i] <= 'Z'
						       ? s[i] - 'A' + 'a'
						       : s[i]);
				e->general = hx__speller_check(sp, low, len);
			}
		}
		e->score = e->cvalue * (e->general ? GENERAL_FACTOR : 1.0);
		if (e->score > 0)
			rank[nr++] = e;
	}
	qsort(rank, nr, sizeof(*rank), by_score);
	nsel = nr < o->max_terms ? nr : o->max_terms;
	for (size_t k = 0; k < nsel; k++) {
		rank[k]->ucap = 4;
		if (!(rank[k]->units = malloc(4 * sizeof(uint32_t))))
			goto nomem;
	}
	for (size_t u = 0; u < c->n; u++) {
		if (!c->u[u].text[c->en])
			continue;
		if ((rc = en_words(&m, u, err)) < 0)
			goto done;
		if ((rc = en_grams(&m, u, on_collect)) < 0)
			goto nomem;
	}
	/* The result: candidates, then their translations per language. */
	size_t nother = c->nlangs - 1;
	t->cand = calloc(nsel + 1, sizeof(*t->cand));
	t->trans = calloc(nsel * nother + 1, sizeof(*t->trans));
	t->ex = calloc(nsel * 3 + 1, sizeof(*t->ex));
	if (!t->cand || !t->trans || !t->ex)
		goto nomem;
	for (size_t k = 0; k < nsel; k++) {
		struct ecand *e = rank[k];
		hx_terms_candidate *tc = &t->cand[k];
		const char *src = c->u[e->unit].text[c->en];
		if ((rc = en_words(&m, e->unit, err)) < 0)
			goto done;
		size_t s = m.w[e->i].start, end = m.w[e->i + e->n - 1].end;
		if (!(tc->text = keep(t, strndup(src + s, end - s))))
			goto nomem;
		tc->words = e->n, tc->freq = e->freq, tc->units = e->nunits;
		tc->cvalue = e->cvalue, tc->score = e->score;
		tc->general = e->general, tc->acronym = e->acronym;
		tc->trans = &t->trans[k * nother];
		tc->examples = &t->ex[k * 3];
		for (size_t x = 0; x < e->nu && x < 3; x++) {
			t->ex[k * 3 + x].unit = c->u[e->units[x]].id;
			t->ex[k * 3 + x].source = c->u[e->units[x]].text[c->en];
			tc->nexamples++;
		}
	}
	t->ncand = nsel;
	for (size_t l = 0; l < c->nlangs; l++) {
		struct hx__assoc *a = NULL;
		if ((int)l == c->en)
			continue;
		if ((rc = hx__assoc_new(&a, c, (int)l)) < 0)
			goto nomem;
		for (size_t k = 0; k < nsel; k++) {
			struct ecand *e = rank[k];
			hx_terms_candidate *tc = &t->cand[k];
			struct hx__answer an;
			size_t nans, with;
			size_t nu = e->nu < o->max_units ? e->nu : o->max_units;
			rc = hx__assoc_run(a, e->units, nu, &an, 1, &nans,
					   &with, err);
			if (rc < 0) {
				hx__assoc_free(a);
				goto done;
			}
			if (!nans)
				continue;
			/* Under a fifth of the units: a word that happens to
			 * be near, not a translation. */
			if (an.dice < 0.2) {
				free(an.text);
				continue;
			}
			hx_terms_translation *tr =
			    (hx_terms_translation *)&tc->trans[tc->ntrans++];
			tr->lang = c->lang[l];
			if (!(tr->text = keep(t, an.text))) {
				hx__assoc_free(a);
				goto nomem;
			}
			tr->freq = an.freq, tr->units = with,
			tr->dice = an.dice;
			tr->confidence = confidence(an.dice, an.freq);
		}
		hx__assoc_free(a);
	}
	rc = HX_OK;
	goto done;
nomem:
	rc = hx__error_set(err, HX_ENOMEM, "out of memory");
done:
	for (size_t k = 0; k < m.nv; k++)
		free(m.v[k].units);
	free(m.v);
	free(m.map.k);
	free(m.map.v);
	free(m.w);
	free(m.stop);
	free(m.inner);
	hx_match_seg_free(m.seg);
	hx__speller_free(sp);
	free(rank);
	return rc;
}

int hx_terms_mine(hx_terms **out, const char *path,
		  const hx_terms_options *opts, hx_error *err)
{
	hx_terms_options o;
	hx_terms *t;
	int rc;

	assert(out && path);
	*out = NULL;
	if (!opts)
		hx_terms_options_init(&o);
	else
		o = *opts;
	if (!o.max_units)
		o.max_units = 2000;
	if (!(t = calloc(1, sizeof(*t))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if ((rc = hx__corpus_load(&t->c, path, err)) < 0 ||
	    (rc = mine(t, &o, err)) < 0)
		goto fail;
	*out = t;
	return HX_OK;
fail:
	hx_terms_free(t);
	return rc;
}

void hx_terms_free(hx_terms *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nstrs; i++)
		free(t->strs[i]);
	free(t->strs);
	free(t->cand);
	free(t->trans);
	free(t->ex);
	hx__corpus_free(&t->c);
	free(t);
}

size_t hx_terms_count(const hx_terms *t)
{
	assert(t);
	return t->ncand;
}

const hx_terms_candidate *hx_terms_get(const hx_terms *t, size_t i)
{
	assert(t && i < t->ncand);
	return &t->cand[i];
}

size_t hx_terms_units(const hx_terms *t, size_t *english)
{
	assert(t);
	if (english)
		*english = t->c.nen;
	return t->c.n;
}

size_t hx_terms_lang_count(const hx_terms *t)
{
	assert(t);
	return t->c.nlangs;
}

const char *hx_terms_lang(const hx_terms *t, size_t i)
{
	assert(t && i < t->c.nlangs);
	/* English first, the rest in the order they were met */
	if (i == 0)
		return "en";
	size_t k = 0;
	for (size_t l = 0; l < t->c.nlangs; l++)
		if ((int)l != t->c.en && ++k == i)
			return t->c.lang[l];
	return "";
}
