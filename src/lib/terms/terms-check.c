/*
 * terms-check.c - a term base against the memory: for each concept with
 * an English term and a preferred term in another language, the units
 * whose English holds the English term but whose translation lacks the
 * preferred one, and what they say instead (the same association as
 * the miner's, terms-assoc.c, over those units only). It reports; it
 * does not judge which rendering is right.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/json.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "terms/terms-private.h"

struct seq {
	uint64_t k[32];
	size_t n;
};

/* The keys of a term's words in lang, as the units' are keyed. */
static int term_seq(struct seq *s, struct hx__tword **w, size_t *nw,
		    size_t *cap, hx_match_seg **seg, const char *lang,
		    const char *text, bool stem, hx_error *err)
{
	int rc =
	    hx__twords(w, nw, cap, seg, lang, text, strlen(text), stem, err);
	s->n = 0;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < *nw && s->n < 32; i++)
		if ((*w)[i].key)
			s->k[s->n++] = (*w)[i].key;
	return HX_OK;
}

static bool has_seq(const struct hx__tword *w, size_t nw, const struct seq *s)
{
	if (!s->n)
		return false;
	for (size_t i = 0; i + s->n <= nw; i++) {
		size_t k = 0;
		while (k < s->n && w[i + k].key == s->k[k])
			k++;
		if (k == s->n)
			return true;
	}
	return false;
}

static char *keep(hx_terms_check *c, char *s)
{
	if (!s || hx__grow((void **)&c->strs, &c->strs_cap, c->nstrs + 1,
			   sizeof(*c->strs)) < 0) {
		free(s);
		return NULL;
	}
	return c->strs[c->nstrs++] = s;
}

struct ctx {
	hx_terms_check *out;
	struct hx__corpus *c;
	const hx_terms_options *o;
	struct hx__tword *w;
	size_t nw, wcap;
	hx_match_seg *seg;
	uint32_t *hit, *miss;
	size_t nhit, nmiss;
	/* per unit: whether its English was keyed yet; its words */
	struct hx__assoc *assoc[HX__TERMS_LANGS];
};

static int check_lang(struct ctx *x, const hx_termbase *tb, size_t concept,
		      const hx_term *en, const struct seq *ens, int l,
		      hx_error *err)
{
	struct hx__corpus *c = x->c;
	const char *lang = c->lang[l];
	const hx_term *p = hx_termbase_preferred(tb, concept, lang);
	bool zh = !strncmp(lang, "zh", 2);
	struct seq ps;
	int rc;

	if (!p)
		return HX_OK;
	if ((rc = term_seq(&ps, &x->w, &x->nw, &x->wcap, &x->seg, lang, p->text,
			   !zh, err)) < 0)
		return rc;
	x->nmiss = 0;
	size_t units = 0;
	for (size_t k = 0; k < x->nhit; k++) {
		const struct hx__tunit *u = &c->u[x->hit[k]];
		if (!u->text[l])
			continue;
		units++;
		if ((rc = hx__twords(&x->w, &x->nw, &x->wcap, &x->seg, lang,
				     u->text[l], u->len[l], !zh, err)) < 0)
			return rc;
		if (!has_seq(x->w, x->nw, &ps))
			x->miss[x->nmiss++] = x->hit[k];
	}
	if (!x->nmiss)
		return HX_OK;
	if (!x->assoc[l] && (rc = hx__assoc_new(&x->assoc[l], c, l)) < 0)
		return hx__error_set(err, rc, "out of memory");
	struct hx__answer ans[3];
	size_t nans = 0, with;
	size_t nu = x->nmiss < x->o->max_units ? x->nmiss : x->o->max_units;
	if ((rc = hx__assoc_run(x->assoc[l], x->miss, nu, ans, 3, &nans, &with,
				err)) < 0)
		return rc;
	hx_terms_check *o = x->out;
	if (hx__grow((void **)&o->f, &o->cap, o->n + 1, sizeof(*o->f)) < 0 ||
	    hx__grow((void **)&o->alts, &o->alts_cap, o->nalts + nans + 1,
		     sizeof(*o->alts)) < 0) {
		for (size_t i = 0; i < nans; i++)
			free(ans[i].text);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	hx_terms_finding *f = &o->f[o->n++];
	memset(f, 0, sizeof(*f));
	f->concept = hx_termbase_concept_id(tb, concept);
	f->lang = lang;
	f->source = en->text;
	f->preferred = p->text;
	f->units = units;
	f->otherwise = x->nmiss;
	f->example = c->u[x->miss[0]].id;
	/* alts point into o->alts, which may move: kept as an offset
	 * until the end (hx_terms_check_base). */
	f->alts = (const hx_terms_alt *)(uintptr_t)o->nalts;
	for (size_t i = 0; i < nans; i++) {
		hx_terms_alt *a = &o->alts[o->nalts];
		if (!(a->text = keep(o, ans[i].text))) {
			for (size_t j = i + 1; j < nans; j++)
				free(ans[j].text);
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		}
		a->count = ans[i].freq;
		a->example = ans[i].example;
		o->nalts++, f->nalts++;
	}
	return HX_OK;
}

static int check(hx_terms_check *out, const hx_termbase *tb,
		 struct hx__corpus *c, const hx_terms_options *o, hx_error *err)
{
	struct ctx x = {out, c, o, NULL, 0, 0, NULL, NULL, NULL, 0, 0, {0}};
	int rc = HX_OK;

	if (!(x.hit = malloc((c->n + 1) * sizeof(*x.hit))) ||
	    !(x.miss = malloc((c->n + 1) * sizeof(*x.miss)))) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t k = 0; k < hx_termbase_concept_count(tb) && rc == HX_OK;
	     k++) {
		const hx_term *en = hx_termbase_preferred(tb, k, "en");
		struct seq ens;
		if (!en)
			continue;
		if ((rc = term_seq(&ens, &x.w, &x.nw, &x.wcap, &x.seg, "en",
				   en->text, false, err)) < 0)
			break;
		x.nhit = 0;
		for (size_t u = 0; u < c->n; u++) {
			if (!c->u[u].text[c->en])
				continue;
			if ((rc = hx__twords(&x.w, &x.nw, &x.wcap, &x.seg, "en",
					     c->u[u].text[c->en],
					     c->u[u].len[c->en], false, err)) <
			    0)
				goto done;
			if (has_seq(x.w, x.nw, &ens))
				x.hit[x.nhit++] = (uint32_t)u;
		}
		for (size_t l = 0; l < c->nlangs && rc == HX_OK; l++)
			if ((int)l != c->en)
				rc = check_lang(&x, tb, k, en, &ens, (int)l,
						err);
	}
done:
	for (size_t l = 0; l < HX__TERMS_LANGS; l++)
		hx__assoc_free(x.assoc[l]);
	free(x.w);
	free(x.hit);
	free(x.miss);
	hx_match_seg_free(x.seg);
	return rc;
}

int hx_terms_check_base(hx_terms_check **out, const hx_termbase *tb,
			const char *path, const hx_terms_options *opts,
			hx_error *err)
{
	struct hx__corpus c;
	hx_terms_options o;
	hx_terms_check *r;
	int rc;

	assert(out && tb && path);
	*out = NULL;
	if (!opts)
		hx_terms_options_init(&o);
	else
		o = *opts;
	if (!o.max_units)
		o.max_units = 2000;
	if (!(r = calloc(1, sizeof(*r))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if ((rc = hx__corpus_load(&c, path, err)) < 0) {
		free(r);
		return rc;
	}
	rc = check(r, tb, &c, &o, err);
	/* The languages point into c: copied before it goes. */
	for (size_t i = 0; rc == HX_OK && i < r->n; i++) {
		r->f[i].alts = r->alts + (uintptr_t)r->f[i].alts;
		if (!(r->f[i].lang = keep(r, strdup(r->f[i].lang))))
			rc = hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	hx__corpus_free(&c);
	if (rc < 0) {
		hx_terms_check_free(r);
		return rc;
	}
	*out = r;
	return HX_OK;
}

void hx_terms_check_free(hx_terms_check *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nstrs; i++)
		free(c->strs[i]);
	free(c->strs);
	free(c->f);
	free(c->alts);
	free(c);
}

size_t hx_terms_check_count(const hx_terms_check *c)
{
	assert(c);
	return c->n;
}

const hx_terms_finding *hx_terms_check_get(const hx_terms_check *c, size_t i)
{
	assert(c && i < c->n);
	return &c->f[i];
}

static void jstr(FILE *f, const char *s)
{
	hx_json_write_string(f, s, strlen(s));
}

int hx_terms_check_write(FILE *f, const hx_terms_check *c, bool json,
			 hx_error *err)
{
	assert(f && c);
	for (size_t i = 0; i < c->n; i++) {
		const hx_terms_finding *x = &c->f[i];
		if (json) {
			fprintf(f, "{\"concept\":");
			jstr(f, x->concept);
			fprintf(f, ",\"lang\":");
			jstr(f, x->lang);
			fprintf(f, ",\"source\":");
			jstr(f, x->source);
			fprintf(f, ",\"preferred\":");
			jstr(f, x->preferred);
			fprintf(f,
				",\"units\":%zu,\"otherwise\":%zu,\"example\":"
				"%lld,\"alternatives\":[",
				x->units, x->otherwise, (long long)x->example);
			for (size_t k = 0; k < x->nalts; k++) {
				fprintf(f, "%s{\"text\":", k ? "," : "");
				jstr(f, x->alts[k].text);
				fprintf(f, ",\"count\":%zu,\"example\":%lld}",
					x->alts[k].count,
					(long long)x->alts[k].example);
			}
			fprintf(f, "]}\n");
			continue;
		}
		fprintf(f,
			"%s: %s: \"%s\" -> \"%s\": %zu of %zu units translate "
			"otherwise (e.g. unit %lld)",
			x->concept, x->lang, x->source, x->preferred,
			x->otherwise, x->units, (long long)x->example);
		for (size_t k = 0; k < x->nalts; k++)
			fprintf(f, "%s \"%s\" (%zu, unit %lld)",
				k ? "," : "; instead:", x->alts[k].text,
				x->alts[k].count,
				(long long)x->alts[k].example);
		fprintf(f, "\n");
	}
	if (fflush(f) != 0 || ferror(f))
		return hx__error_set(err, HX_EIO, "output: write failed");
	return HX_OK;
}
