/*
 * check-term.c - terminology rules: variants of one term across a set of
 * documents (term-variant), found by normalisation whether or not a term
 * base lists them. The codes of these documents (CWG-COP, WeProtect,
 * SCORT, Alzarooni in Chinese text) are the anchors anchor.c calls Latin;
 * two written forms with one key are one term written two ways, and the
 * form most of the set uses is the one to suggest.
 *
 * The key folds case and full-width forms and drops hyphens, dots, spaces
 * and joiners, so "CWG-COP", "CWGCOP", "CWG COP", "cwg-cop" and
 * "ＣＷＧ－ＣＯＰ" meet. The form shown keeps what a reader sees, except
 * that the non-breaking hyphen U+2011 and U+2010 are written '-': they
 * are the same term, not an error. "CWG COP" is two anchors; a pair of
 * anchors with a space or dash between them is a candidate only when its
 * key is the key of a one-token form somewhere in the set.
 *
 * With a term base (termbase.h, matched by termmatch.h in one pass): a
 * deprecated or superseded term is term-deprecated, with the concept's
 * preferred term; a term written otherwise than the term base writes it
 * (case, width, joined or split, an en dash) is term-variant; a source
 * term whose concept has target terms none of which is in the target
 * segment is bi-term-missing.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include <hexalign/termbase.h>
#include <hexalign/termmatch.h>

#include "base/text.h"
#include "check/check-private.h"
#include "check/check-rules.h"

struct occ {
	size_t para, start, end;
	char *form;
	char *key;
	bool joined;
	bool dropped; /* part of a joined occurrence */
};

struct occs {
	struct occ *v;
	size_t n, cap;
};

static bool ignorable(uint32_t c)
{
	return c == 0xAD || (c >= 0x200B && c <= 0x200D) || c == 0x2060 ||
	       c == 0xFEFF;
}

static uint32_t narrow(uint32_t c)
{
	return c >= 0xFF01 && c <= 0xFF5E ? c - 0xFF01 + 0x21 : c;
}

static bool keyless(uint32_t c)
{
	return c == '-' || c == '.' || c == ' ' || c == 0xA0 ||
	       (c >= 0x2010 && c <= 0x2013) || c == 0x2212 || c == 0xFF0D;
}

/* The form and the key of text [s, e). */
static int normalise(const char *t, size_t s, size_t e, char **form, char **key)
{
	char *f = malloc(e - s + 1), *k = malloc(4 * (e - s) + 1);
	size_t nf = 0, nk = 0;

	if (!f || !k) {
		free(f);
		free(k);
		return HX_ENOMEM;
	}
	for (size_t i = s; i < e;) {
		size_t st = i;
		uint32_t c = hx__utf8_next(t, e, &i);
		if (ignorable(c))
			continue;
		if (c == 0x2010 || c == 0x2011) {
			f[nf++] = '-';
		} else {
			memcpy(f + nf, t + st, i - st);
			nf += i - st;
		}
		c = narrow(c);
		if (keyless(c))
			continue;
		nk += hx__utf8_put(
		    k + nk,
		    (uint32_t)u_foldCase((UChar32)c, U_FOLD_CASE_DEFAULT));
	}
	f[nf] = k[nk] = '\0';
	*form = f;
	*key = k;
	return HX_OK;
}

static int occ_add(struct occs *o, size_t para, const char *t, size_t s,
		   size_t e, bool joined)
{
	struct occ x = {para, s, e, NULL, NULL, joined, false};

	if (o->n == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 64;
		struct occ *v = realloc(o->v, cap * sizeof(*v));
		if (!v)
			return HX_ENOMEM;
		o->v = v;
		o->cap = cap;
	}
	if (normalise(t, s, e, &x.form, &x.key) < 0)
		return HX_ENOMEM;
	/* one letter ("C", "a") is a list item or a variable, no term */
	if (hx__cp_count(x.key, strlen(x.key)) < 2) {
		free(x.form);
		free(x.key);
		return HX_OK;
	}
	o->v[o->n++] = x;
	return HX_OK;
}

/* What may stand between the two parts of a term written apart. */
static bool joint(const char *t, size_t s, size_t e)
{
	size_t i = s, n = 0;
	while (i < e) {
		uint32_t c = hx__utf8_next(t, e, &i);
		if (!(c == ' ' || c == 0xA0 || c == 0x2012 || c == 0x2013 ||
		      c == 0x2212 || c == 0xFF0D || ignorable(c)))
			return false;
		n++;
	}
	return n >= 1 && n <= 2;
}

static int cmp_key(const void *a, const void *b)
{
	const struct occ *x = a, *y = b;
	int r = strcmp(x->key, y->key);
	if (r)
		return r;
	if (x->para != y->para)
		return x->para < y->para ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void occs_free(struct occs *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].form);
		free(o->v[i].key);
	}
	free(o->v);
}

static bool has_key(const struct occs *o, size_t n_single, const char *key)
{
	size_t lo = 0, hi = n_single;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = strcmp(o->v[mid].key, key);
		if (!r)
			return true;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool capitals(const char *f)
{
	size_t len = strlen(f);
	for (size_t q = 0; q < len;)
		if (u_islower((UChar32)hx__utf8_next(f, len, &q)))
			return false;
	return true;
}

/* Report the occurrences of a group [g, h) whose form is not the most
 * used one. */
static void report_group(struct hx__ctx *c, const struct hx__para *ps,
			 const struct occs *o, size_t g, size_t h)
{
	size_t best = g, best_n = 0;

	/* "The" and "the", "Space" and "space": a word of a sentence in
	 * another language, capitalised or not, is no term written two
	 * ways. A term has no all-small form here (CWG-COP, WeProtect). */
	for (size_t k = g; k < h; k++) {
		const char *f = o->v[k].form;
		size_t len = strlen(f);
		bool small = true;
		for (size_t q = 0; q < len;)
			small &= !u_isupper((UChar32)hx__utf8_next(f, len, &q));
		if (small && !o->v[k].dropped)
			return;
	}

	for (size_t k = g; k < h; k++) {
		size_t cnt = 0;
		if (o->v[k].dropped)
			continue;
		/* ties go to the first form seen in the documents */
		for (size_t j = g; j < h; j++)
			cnt += !o->v[j].dropped &&
			       !strcmp(o->v[j].form, o->v[k].form);
		if (cnt > best_n) {
			best = k;
			best_n = cnt;
		}
	}
	/* the term base's usable form wins over the count */
	const hx_termbase *tb = hx__checker_termbase(c->ck);
	const char *pref = best_n ? o->v[best].form : NULL;
	for (size_t i = 0; tb && i < hx_termbase_count(tb); i++) {
		const hx_term *t = hx_termbase_term(tb, i);
		char *f, *k;
		if (t->status == HX_TERM_DEPRECATED ||
		    t->status == HX_TERM_SUPERSEDED ||
		    normalise(t->text, 0, t->len, &f, &k) < 0)
			continue;
		bool hit = !strcmp(k, o->v[g].key);
		free(k);
		if (hit) {
			pref = t->text;
			free(f);
			break;
		}
		free(f);
	}
	if (!pref)
		return;
	for (size_t k = g; k < h && !c->rc; k++) {
		const struct occ *x = &o->v[k];
		if (x->dropped || !strcmp(x->form, pref) ||
		    (pref != o->v[best].form && capitals(x->form) &&
		     !capitals(pref)))
			continue; /* "COUNCIL" in a heading in capitals */
		if (pref != o->v[best].form)
			hx__report(c, HX_R_TERM_VARIANT, &ps[x->para], x->start,
				   x->end, pref,
				   "'%s' is written '%s' in the term base",
				   x->form, pref);
		else
			hx__report(
			    c, HX_R_TERM_VARIANT, &ps[x->para], x->start,
			    x->end, pref,
			    "'%s' is written '%s' elsewhere (%zu time%s)",
			    x->form, pref, best_n, best_n == 1 ? "" : "s");
	}
}

void hx__check_variants(struct hx__ctx *c, const struct hx__para *ps, size_t n)
{
	struct occs o = {0};
	size_t nsingle;

	if (!hx__on(c, HX_R_TERM_VARIANT))
		return;
	for (size_t p = 0; p < n && !c->rc; p++)
		for (size_t i = 0; i < ps[p].nanchors; i++)
			if (ps[p].anchors[i].type == HX_ANCHOR_LATIN &&
			    occ_add(&o, p, ps[p].text, ps[p].anchors[i].start,
				    ps[p].anchors[i].end, false) < 0)
				c->rc = HX_ENOMEM;
	nsingle = o.n;
	if (!c->rc && nsingle)
		qsort(o.v, nsingle, sizeof(*o.v), cmp_key);
	/* "CWG COP": two anchors that together make a known key */
	for (size_t p = 0; p < n && !c->rc; p++)
		for (size_t i = 0; i + 1 < ps[p].nanchors; i++) {
			const hx__anchor *a = &ps[p].anchors[i], *b = a + 1;
			struct occ tmp;
			if (a->type != HX_ANCHOR_LATIN ||
			    b->type != HX_ANCHOR_LATIN ||
			    !joint(ps[p].text, a->end, b->start))
				continue;
			if (normalise(ps[p].text, a->start, b->end, &tmp.form,
				      &tmp.key) < 0) {
				c->rc = HX_ENOMEM;
				break;
			}
			bool known = has_key(&o, nsingle, tmp.key);
			free(tmp.form);
			free(tmp.key);
			if (known && occ_add(&o, p, ps[p].text, a->start,
					     b->end, true) < 0)
				c->rc = HX_ENOMEM;
		}
	/* the parts of a term written apart are not terms of their own */
	for (size_t k = nsingle; k < o.n && !c->rc; k++)
		for (size_t j = 0; j < nsingle; j++) {
			struct occ *x = &o.v[j];
			if (x->para == o.v[k].para &&
			    x->start >= o.v[k].start && x->end <= o.v[k].end)
				x->dropped = true;
		}
	if (!c->rc && o.n)
		qsort(o.v, o.n, sizeof(*o.v), cmp_key);
	for (size_t g = 0; g < o.n && !c->rc;) {
		size_t h = g + 1;
		while (h < o.n && !strcmp(o.v[h].key, o.v[g].key))
			h++;
		report_group(c, ps, &o, g, h);
		g = h;
	}
	occs_free(&o);
}

/* --- With a term base ------------------------------------------------ */

/* A hit that differs from its term only by the non-breaking hyphen (or
 * U+2010), white space or invisible marks, or by inflection, is the
 * term. En dashes and minus signs are not hyphens. */
static bool same_term(const struct hx__para *p, const hx_term_hit *h)
{
	unsigned real = h->diff & (HX_TERM_DIFF_CASE | HX_TERM_DIFF_WIDTH |
				   HX_TERM_DIFF_JOIN);
	if (real)
		return false;
	if (h->diff & HX_TERM_DIFF_DASH)
		for (size_t i = h->start; i < h->end;) {
			uint32_t c = hx__utf8_next(p->text, h->end, &i);
			if (c == 0x2012 || c == 0x2013 || c == 0x2212)
				return false;
		}
	return true;
}

static bool inflected_case_only(const hx_term_hit *h)
{
	/* "Stakeholders" opening a sentence: case and inflection, no
	 * variant */
	return (h->diff & HX_TERM_DIFF_INFLECTION) &&
	       !(h->diff & ~(HX_TERM_DIFF_INFLECTION | HX_TERM_DIFF_CASE));
}

static bool latin_only(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* What to write instead of a deprecated term: a usable term of its
 * concept of the same kind (an acronym for "CWGCOP", a full form for a
 * full form), else the concept's preferred term. */
static const hx_term *replacement(const hx_termbase *tb, const hx_term *t,
				  const char *lang)
{
	const hx_term *best = NULL;
	size_t n, first = hx_termbase_concept_terms(tb, t->concept_index, &n);

	for (size_t i = first; i < first + n; i++) {
		const hx_term *u = hx_termbase_term(tb, i);
		if (strcmp(u->lang, t->lang) ||
		    u->status == HX_TERM_DEPRECATED ||
		    u->status == HX_TERM_SUPERSEDED)
			continue;
		bool same_kind = t->type && u->type ? !strcmp(t->type, u->type)
						    : latin_only(t->text) ==
							  latin_only(u->text);
		if (same_kind && (!best || (u->status == HX_TERM_PREFERRED &&
					    best->status != HX_TERM_PREFERRED)))
			best = u;
	}
	return best ? best : hx_termbase_preferred(tb, t->concept_index, lang);
}

/* Whether the text of a hit has no small letter (a heading in capitals).
 */
static bool shouted(const struct hx__para *p, const hx_term_hit *h)
{
	for (size_t i = h->start; i < h->end;)
		if (u_islower((UChar32)hx__utf8_next(p->text, h->end, &i)))
			return false;
	return true;
}

void hx__check_terms(struct hx__ctx *c, const struct hx__para *p)
{
	const hx_termbase *tb = hx__checker_termbase(c->ck);
	hx_termmatch *m;
	hx_term_hit *hits = NULL;
	size_t n = 0;

	if (!tb ||
	    (!hx__on(c, HX_R_TERM_DEPRECATED) && !hx__on(c, HX_R_TERM_VARIANT)))
		return;
	if (!(m = hx__checker_matcher(c->ck, p->lang)))
		return;
	if (hx_termmatch_run(&hits, &n, m, p->text, p->len, NULL) < 0)
		return; /* text the readers produced is valid UTF-8 */
	for (size_t i = 0; i < n && !c->rc; i++) {
		const hx_term_hit *h = &hits[i];
		const hx_term *t = hx_termbase_term(tb, h->term);
		int ln = (int)(h->end - h->start);
		const char *w = p->text + h->start;
		if (hx__protected(p, h->start, h->end, false))
			continue;
		if (t->status == HX_TERM_DEPRECATED ||
		    t->status == HX_TERM_SUPERSEDED) {
			const hx_term *pref = replacement(tb, t, p->lang);
			if (pref)
				hx__report(c, HX_R_TERM_DEPRECATED, p, h->start,
					   h->end, pref->text,
					   "%s term '%.*s', use '%s'",
					   hx_term_status_str(t->status), ln, w,
					   pref->text);
			else
				hx__report(c, HX_R_TERM_DEPRECATED, p, h->start,
					   h->end, NULL, "%s term '%.*s'",
					   hx_term_status_str(t->status), ln,
					   w);
			continue;
		}
		if (same_term(p, h) || inflected_case_only(h))
			continue;
		/* A capital opening a sentence or a heading in capitals is
		 * no variant of a term written small. */
		if ((h->diff & ~(unsigned)HX_TERM_DIFF_INFLECTION) ==
			HX_TERM_DIFF_CASE &&
		    ((t->text[0] >= 'a' && t->text[0] <= 'z') || shouted(p, h)))
			continue;
		hx__report(c, HX_R_TERM_VARIANT, p, h->start, h->end, t->text,
			   "'%.*s' is written '%s' in the term base", ln, w,
			   t->text);
	}
	hx_term_hits_free(hits);
}

void hx__check_pair_terms(struct hx__ctx *c, const struct hx__para *src,
			  const struct hx__para *tgt)
{
	const hx_termbase *tb = hx__checker_termbase(c->ck);
	hx_termmatch *ms, *mt;
	hx_term_hit *hs = NULL, *ht = NULL;
	size_t ns = 0, nt = 0;

	if (!tb || !hx__on(c, HX_R_BI_TERM_MISSING) || !tgt->len)
		return;
	if (!(ms = hx__checker_matcher(c->ck, src->lang)) ||
	    !(mt = hx__checker_matcher(c->ck, tgt->lang)))
		return;
	if (hx_termmatch_run(&hs, &ns, ms, src->text, src->len, NULL) < 0 ||
	    hx_termmatch_run(&ht, &nt, mt, tgt->text, tgt->len, NULL) < 0)
		goto done;
	for (size_t i = 0; i < ns && !c->rc; i++) {
		const hx_term *t = hx_termbase_term(tb, hs[i].term);
		const hx_term *want =
		    hx_termbase_preferred(tb, t->concept_index, tgt->lang);
		bool seen = false;
		if (!want)
			continue; /* the term base has no target term */
		for (size_t k = 0; k < nt && !seen; k++)
			seen =
			    hx_termbase_term(tb, ht[k].term)->concept_index ==
			    t->concept_index;
		for (size_t k = 0; k < i && !seen; k++)
			seen =
			    hx_termbase_term(tb, hs[k].term)->concept_index ==
			    t->concept_index; /* reported once */
		if (seen)
			continue;
		hx__report_other(
		    c, HX_R_BI_TERM_MISSING, tgt, src->text + hs[i].start,
		    hs[i].end - hs[i].start, want->text,
		    "source term '%.*s' without '%s' in the target",
		    (int)(hs[i].end - hs[i].start), src->text + hs[i].start,
		    want->text);
	}
done:
	hx_term_hits_free(hs);
	hx_term_hits_free(ht);
}
