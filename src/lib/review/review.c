/*
 * review/ - an alignment a person corrects (review.h): the rows of one
 * document's language versions, the edits on them and their undo, and
 * the rows written out: into the memory in place of the document's units,
 * as TMX, as JSON for a front-end. Not for aligning (align/) nor for
 * look-ups (tm/); the rows come from the one and go into the other.
 *
 * Undo keeps, for each edit, only the rows it replaced (one or two) and
 * how many rows took their place: an edit is "rows [at, at + n_old)
 * became n_new rows", so memory grows with the edits, not with the
 * document, and a review of thousands of rows undoes as cheaply as one of
 * ten. The deepest MAX_UNDO edits are kept.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hexalign/json.h>
#include <hexalign/review.h>

#include "align/multialign-private.h"
#include "base/error-private.h"
#include "base/grow.h"
#include "base/text.h"
#include "formats/tmx-private.h"
#include "tm/tm-doc.h"

#define MAX_LANGS 16
#define MAX_UNDO  10000

/* The sentences of one language in one row. */
struct cell {
	char **s;
	size_t n;
};

struct rrow {
	struct cell c[MAX_LANGS];
	/* each language's score with the pivot (< 0: none), the
	 * aligner's or the memory's */
	double ls[MAX_LANGS];
	bool confirmed;
	bool made; /* by a person (join, split, edit): score 1 */
};

/* Rows [at, at + n_new) were old[0, n_old) before the edit. */
struct undo {
	size_t at, n_new, n_old;
	struct rrow old[2];
};

struct hx_review {
	char *name;
	char *lang[MAX_LANGS];
	size_t nlang;
	/* where the units come from (x-source-file-LANG,
	 * x-document-symbol): every unit saved carries them */
	hx_tmx_prop *props;
	size_t nprops;
	struct rrow *rows;
	size_t nrows, cap;
	struct undo *undo;
	size_t nundo, undocap;
	/* edits since creation less those undone, and that count at the
	 * last save (SIZE_MAX: a state no undo returns to) */
	size_t depth, saved;
};

static void cell_free(struct cell *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->s[i]);
	free(c->s);
	c->s = NULL, c->n = 0;
}

static void row_free(const hx_review *r, struct rrow *w)
{
	for (size_t k = 0; k < r->nlang; k++)
		cell_free(&w->c[k]);
}

static void row_init(struct rrow *w)
{
	memset(w, 0, sizeof(*w));
	for (size_t k = 0; k < MAX_LANGS; k++)
		w->ls[k] = -1;
}

/* Append s[0, len) to a cell. */
static int cell_add(struct cell *c, const char *s, size_t len)
{
	char **v = realloc(c->s, (c->n + 1) * sizeof(*v));
	if (!v)
		return -1;
	c->s = v;
	if (!(c->s[c->n] = strndup(s, len)))
		return -1;
	c->n++;
	return 0;
}

/* Sentences [from, to) of src appended to dst. */
static int cell_add_range(struct cell *dst, const struct cell *src, size_t from,
			  size_t to)
{
	for (size_t i = from; i < to; i++)
		if (cell_add(dst, src->s[i], strlen(src->s[i])) < 0)
			return -1;
	return 0;
}

static int row_copy(const hx_review *r, struct rrow *dst,
		    const struct rrow *src)
{
	row_init(dst);
	memcpy(dst->ls, src->ls, sizeof(dst->ls));
	dst->confirmed = src->confirmed;
	dst->made = src->made;
	for (size_t k = 0; k < r->nlang; k++)
		if (cell_add_range(&dst->c[k], &src->c[k], 0, src->c[k].n) <
		    0) {
			row_free(r, dst);
			return -1;
		}
	return 0;
}

static bool row_empty(const hx_review *r, const struct rrow *w)
{
	for (size_t k = 0; k < r->nlang; k++)
		if (w->c[k].n)
			return false;
	return true;
}

/* What a person made: the evidence is theirs, not the aligner's. */
static void row_made(struct rrow *w)
{
	w->made = true;
	w->confirmed = false;
}

static void undo_free(const hx_review *r, struct undo *u)
{
	for (size_t i = 0; i < u->n_old; i++)
		row_free(r, &u->old[i]);
}

void hx_review_free(hx_review *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrows; i++)
		row_free(r, &r->rows[i]);
	for (size_t i = 0; i < r->nundo; i++)
		undo_free(r, &r->undo[i]);
	for (size_t i = 0; i < r->nprops; i++) {
		free((char *)r->props[i].type);
		free((char *)r->props[i].value);
	}
	for (size_t k = 0; k < r->nlang; k++)
		free(r->lang[k]);
	free(r->props);
	free(r->rows);
	free(r->undo);
	free(r->name);
	free(r);
}

static int add_prop(hx_review *r, const char *type, const char *value)
{
	hx_tmx_prop *v = realloc(r->props, (r->nprops + 1) * sizeof(*v));
	if (!v)
		return -1;
	r->props = v;
	char *t = strdup(type), *x = strdup(value);
	if (!t || !x) {
		free(t), free(x);
		return -1;
	}
	r->props[r->nprops++] = (hx_tmx_prop){t, x};
	return 0;
}

/* A new row at the end, taken over (zeroed in *w on success). */
static int push_row(hx_review *r, struct rrow *w)
{
	if (hx__grow((void **)&r->rows, &r->cap, r->nrows + 1,
		     sizeof(*r->rows)) < 0)
		return -1;
	r->rows[r->nrows++] = *w;
	row_init(w);
	return 0;
}

/* A sentence as a row holds it: on one line, as the TMX and TSV outputs
 * write it. */
static int cell_add_line(struct cell *c, const char *s, size_t len)
{
	if (cell_add(c, s, len) < 0)
		return -1;
	for (char *p = c->s[c->n - 1]; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return 0;
}

int hx_review_from_multialign(hx_review **out, const hx_multialign *m,
			      const char *name, hx_error *err)
{
	hx_review *r;
	struct rrow w;
	char buf[256];
	size_t start[MAX_LANGS], n[MAX_LANGS];
	double score[MAX_LANGS];

	assert(out && m);
	*out = NULL;
	row_init(&w);
	if (!(r = calloc(1, sizeof(*r))))
		goto oom;
	r->nlang = hx_multialign_count(m);
	assert(r->nlang <= MAX_LANGS);
	if (!name)
		name = hx__multialign_origin(m, buf, sizeof(buf));
	if (!(r->name = strdup(name)))
		goto oom;
	for (size_t k = 0; k < r->nlang; k++)
		if (!(r->lang[k] = strdup(hx_multialign_get_lang(m, k))))
			goto oom;
	/* The origin props hx_multialign_store() gives each unit. */
	for (size_t k = 0; k < r->nlang; k++) {
		char type[48];
		const char *path = m->in[k].path, *base = strrchr(path, '/');
		snprintf(type, sizeof(type), "x-source-file-%s", r->lang[k]);
		if (add_prop(r, type, base ? base + 1 : path) < 0)
			goto oom;
	}
	for (size_t k = 0; k < r->nlang; k++)
		if (m->in[k].doc &&
		    hx_doc_symbol(m->in[k].doc, buf, sizeof(buf))) {
			if (add_prop(r, "x-document-symbol", buf) < 0)
				goto oom;
			break;
		}
	for (size_t ri = 0; ri < m->nrows; ri++) {
		hx__multialign_row(m, ri, start, n, score);
		for (size_t k = 0; k < r->nlang; k++) {
			const hx_sentences *s = m->in[k].sents;
			w.ls[k] = score[k];
			for (size_t i = 0; i < n[k]; i++) {
				size_t len;
				const char *t =
				    hx_sentences_get(s, start[k] + i, &len);
				if (cell_add_line(&w.c[k], t, len) < 0)
					goto oom;
			}
		}
		if (push_row(r, &w) < 0)
			goto oom;
	}
	*out = r;
	return HX_OK;
oom:
	if (r)
		row_free(r, &w);
	hx_review_free(r);
	return hx__error_set(err, HX_ENOMEM, "out of memory");
}

/* Loading: the units of one origin, read twice: first for the languages
 * (the pivot first, from the order of the x-source-file-LANG props the
 * aligner writes) and the origin props, then for the rows. */
struct load {
	hx_review *r;
	bool rows; /* the second pass */
	bool seen; /* a unit, in the first */
	int rc;
	hx_error *err;
};

static int lang_index(hx_review *r, const char *lang, bool add)
{
	char l[16];
	hx_tm_lang_norm(l, sizeof(l), lang);
	for (size_t k = 0; k < r->nlang; k++)
		if (!strcmp(r->lang[k], l))
			return (int)k;
	if (!add || r->nlang == MAX_LANGS)
		return -1;
	if (!(r->lang[r->nlang] = strdup(l)))
		return -2;
	return (int)r->nlang++;
}

static bool is_origin_prop(const char *type)
{
	return !strncmp(type, "x-source-file-", 14) ||
	       !strcmp(type, "x-document-symbol");
}

static bool yes(const char *v)
{
	return !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1");
}

/* A stored text back into its sentences: x-sentences-LANG, when saved
 * from a review, lists where the second and later ones start. Without it,
 * or when it does not fit the text, the text is one sentence. */
static int split_stored(struct cell *c, const char *text, const char *starts)
{
	size_t len = strlen(text), at[256], n = 0;
	const char *p = starts;

	while (p && *p && n < 256) {
		char *end;
		unsigned long long v = strtoull(p, &end, 10);
		if (end == p || v == 0 || v >= len || (n && v <= at[n - 1])) {
			n = 0;
			break;
		}
		at[n++] = (size_t)v;
		p = *end == ',' ? end + 1 : end;
		if (*end && *end != ',') {
			n = 0;
			break;
		}
	}
	size_t from = 0;
	for (size_t i = 0; i <= n; i++) {
		size_t to = i < n ? at[i] : len;
		size_t e = to;
		while (e > from && text[e - 1] == ' ')
			e--;
		if (cell_add(c, text + from, e - from) < 0)
			return -1;
		from = to;
	}
	return 0;
}

static int on_load_unit(void *payload, const struct hx__tm_doc_unit *u)
{
	struct load *l = payload;
	hx_review *r = l->r;
	struct rrow w;
	int k;

	if (!l->rows) {
		/* The languages in the order of the origin props, then
		 * the others as they come; the props of the first unit. */
		bool first = !l->seen;
		l->seen = true;
		for (size_t i = 0; i < u->nprops; i++) {
			const char *t = u->props[i].type;
			if (!is_origin_prop(t))
				continue;
			if (!strncmp(t, "x-source-file-", 14) &&
			    lang_index(r, t + 14, true) == -2)
				return HX_ENOMEM;
			if (first && add_prop(r, t, u->props[i].value) < 0)
				return HX_ENOMEM;
		}
		for (size_t i = 0; i < u->n; i++)
			if (lang_index(r, u->lang[i], true) == -2)
				return HX_ENOMEM;
		return HX_OK;
	}
	row_init(&w);
	const char *starts[MAX_LANGS] = {0};
	for (size_t i = 0; i < u->nprops; i++) {
		const char *t = u->props[i].type, *v = u->props[i].value;
		if (!strcmp(t, "x-reviewed"))
			w.confirmed = yes(v);
		else if (!strncmp(t, "x-score-", 8) &&
			 (k = lang_index(r, t + 8, false)) >= 0)
			w.ls[k] = strtod(v, NULL);
		else if (!strncmp(t, "x-sentences-", 12) &&
			 (k = lang_index(r, t + 12, false)) >= 0)
			starts[k] = v;
	}
	for (size_t i = 0; i < u->n; i++)
		if ((k = lang_index(r, u->lang[i], false)) >= 0 &&
		    split_stored(&w.c[k], u->text[i], starts[k]) < 0)
			goto oom;
	if (push_row(r, &w) < 0)
		goto oom;
	return HX_OK;
oom:
	row_free(r, &w);
	return HX_ENOMEM;
}

int hx_review_load(hx_review **out, hx_tm *tm, const char *origin,
		   hx_error *err)
{
	struct load l = {0};
	int rc;

	assert(out && tm && origin);
	*out = NULL;
	if (!(l.r = calloc(1, sizeof(*l.r))) || !(l.r->name = strdup(origin))) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto fail;
	}
	l.err = err;
	if ((rc = hx__tm_doc_foreach(tm, origin, on_load_unit, &l, err)) < 0)
		goto fail;
	if (!l.r->nlang) {
		rc = hx__error_set(err, HX_ENOTFOUND,
				   "the memory has no unit of '%s'", origin);
		goto fail;
	}
	l.rows = true;
	if ((rc = hx__tm_doc_foreach(tm, origin, on_load_unit, &l, err)) < 0)
		goto fail;
	*out = l.r;
	return HX_OK;
fail:
	if (rc == HX_ENOMEM)
		hx__error_set(err, rc, "out of memory");
	hx_review_free(l.r);
	return rc;
}

const char *hx_review_get_name(const hx_review *r)
{
	assert(r);
	return r->name;
}

size_t hx_review_lang_count(const hx_review *r)
{
	assert(r);
	return r->nlang;
}

const char *hx_review_get_lang(const hx_review *r, size_t k)
{
	assert(r);
	return k < r->nlang ? r->lang[k] : NULL;
}

size_t hx_review_row_count(const hx_review *r)
{
	assert(r);
	return r->nrows;
}

size_t hx_review_sentence_count(const hx_review *r, size_t i, size_t k)
{
	assert(r);
	return i < r->nrows && k < r->nlang ? r->rows[i].c[k].n : 0;
}

const char *hx_review_get_sentence(const hx_review *r, size_t i, size_t k,
				   size_t s)
{
	assert(r);
	if (i >= r->nrows || k >= r->nlang || s >= r->rows[i].c[k].n)
		return NULL;
	return r->rows[i].c[k].s[s];
}

/* The score of a language present in row w besides the pivot. */
static double lang_score(const struct rrow *w, size_t k)
{
	return w->confirmed || w->made ? 1 : w->ls[k];
}

static double row_score(const hx_review *r, const struct rrow *w)
{
	double low = 2;
	if (w->confirmed || w->made)
		return 1;
	for (size_t k = 1; k < r->nlang; k++)
		if (w->c[k].n && w->ls[k] >= 0 && w->ls[k] < low)
			low = w->ls[k];
	/* A sentence with no counterpart was paired with nothing. */
	return low <= 1 ? low : 0;
}

double hx_review_get_score(const hx_review *r, size_t i)
{
	assert(r);
	return i < r->nrows ? row_score(r, &r->rows[i]) : 0;
}

bool hx_review_is_confirmed(const hx_review *r, size_t i)
{
	assert(r);
	return i < r->nrows && r->rows[i].confirmed;
}

bool hx_review_is_modified(const hx_review *r)
{
	assert(r);
	return r->depth != r->saved;
}

/*
 * Every edit ends here: rows [at, at + n_old) become nw[0, n_new), taken
 * over; the rows replaced go onto the undo stack. Fails (ENOMEM) before
 * changing anything; nw is then the caller's to free.
 */
static int replace_rows(hx_review *r, size_t at, size_t n_old, struct rrow *nw,
			size_t n_new, bool record, hx_error *err)
{
	size_t need = r->nrows - n_old + n_new;

	assert(n_old <= 2 && at + n_old <= r->nrows);
	if (need > r->nrows &&
	    hx__grow((void **)&r->rows, &r->cap, need, sizeof(*r->rows)) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if (record && r->nundo < MAX_UNDO &&
	    hx__grow((void **)&r->undo, &r->undocap, r->nundo + 1,
		     sizeof(*r->undo)) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if (record && r->nundo == MAX_UNDO) {
		/* The oldest edit can no longer be undone. */
		undo_free(r, &r->undo[0]);
		memmove(r->undo, r->undo + 1, --r->nundo * sizeof(*r->undo));
	}
	struct undo u;
	memset(&u, 0, sizeof(u));
	u.at = at, u.n_new = n_new, u.n_old = n_old;
	for (size_t i = 0; i < n_old; i++)
		u.old[i] = r->rows[at + i];
	memmove(r->rows + at + n_new, r->rows + at + n_old,
		(r->nrows - at - n_old) * sizeof(*r->rows));
	for (size_t i = 0; i < n_new; i++)
		r->rows[at + i] = nw[i];
	r->nrows = need;
	if (record) {
		r->undo[r->nundo++] = u;
		if (r->depth < r->saved)
			r->saved = SIZE_MAX; /* past the save, another way */
		r->depth++;
	} else {
		undo_free(r, &u);
	}
	return HX_OK;
}

static int no_row(const hx_review *r, size_t i, hx_error *err)
{
	return hx__error_set(err, HX_EINVAL,
			     "row %zu: no such row (the review has %zu)", i,
			     r->nrows);
}

static int check_row_lang(const hx_review *r, size_t i, size_t k, hx_error *err)
{
	if (i >= r->nrows)
		return no_row(r, i, err);
	if (k >= r->nlang)
		return hx__error_set(err, HX_EINVAL,
				     "row %zu: no language %zu (the review "
				     "has %zu)",
				     i, k, r->nlang);
	return HX_OK;
}

static int oom_rows(hx_review *r, struct rrow *w, size_t n, hx_error *err)
{
	for (size_t i = 0; i < n; i++)
		row_free(r, &w[i]);
	return hx__error_set(err, HX_ENOMEM, "out of memory");
}

int hx_review_join(hx_review *r, size_t i, hx_error *err)
{
	struct rrow w;
	int rc;

	assert(r);
	if (i >= r->nrows)
		return no_row(r, i, err);
	if (i + 1 >= r->nrows)
		return hx__error_set(err, HX_EINVAL,
				     "row %zu: no row after it to join", i);
	if (row_copy(r, &w, &r->rows[i]) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	const struct rrow *b = &r->rows[i + 1];
	for (size_t k = 0; k < r->nlang; k++)
		if (cell_add_range(&w.c[k], &b->c[k], 0, b->c[k].n) < 0)
			return oom_rows(r, &w, 1, err);
	row_made(&w);
	if ((rc = replace_rows(r, i, 2, &w, 1, true, err)) < 0)
		row_free(r, &w);
	return rc;
}

int hx_review_split(hx_review *r, size_t i, size_t k, size_t s,
		    const size_t *at, hx_error *err)
{
	struct rrow w[2];
	int rc;

	assert(r);
	if ((rc = check_row_lang(r, i, k, err)) < 0)
		return rc;
	const struct rrow *o = &r->rows[i];
	if (s < 1 || s >= o->c[k].n)
		return hx__error_set(
		    err, HX_EINVAL,
		    "row %zu: cannot split %s before sentence %zu: it has %zu "
		    "(split between 1 and %zu)",
		    i, r->lang[k], s, o->c[k].n, o->c[k].n ? o->c[k].n - 1 : 0);
	for (size_t j = 0; at && j < r->nlang; j++)
		if (j != k && at[j] > o->c[j].n)
			return hx__error_set(err, HX_EINVAL,
					     "row %zu: cannot split %s before "
					     "sentence %zu: it has %zu",
					     i, r->lang[j], at[j], o->c[j].n);
	row_init(&w[0]);
	row_init(&w[1]);
	for (size_t j = 0; j < r->nlang; j++) {
		size_t cut = j == k ? s : at ? at[j] : o->c[j].n;
		if (cell_add_range(&w[0].c[j], &o->c[j], 0, cut) < 0 ||
		    cell_add_range(&w[1].c[j], &o->c[j], cut, o->c[j].n) < 0)
			return oom_rows(r, w, 2, err);
	}
	row_made(&w[0]);
	row_made(&w[1]);
	if ((rc = replace_rows(r, i, 1, w, 2, true, err)) < 0)
		oom_rows(r, w, 2, NULL);
	return rc;
}

int hx_review_move(hx_review *r, size_t i, size_t k, int dir, hx_error *err)
{
	struct rrow w[2];
	int rc;

	assert(r);
	if ((rc = check_row_lang(r, i, k, err)) < 0)
		return rc;
	if (dir != -1 && dir != 1)
		return hx__error_set(err, HX_EINVAL,
				     "row %zu: direction %d (-1: up, +1: down)",
				     i, dir);
	if (dir < 0 && i == 0)
		return hx__error_set(err, HX_EINVAL,
				     "row %zu: no row before it to move to", i);
	if (dir > 0 && i + 1 >= r->nrows)
		return hx__error_set(err, HX_EINVAL,
				     "row %zu: no row after it to move to", i);
	if (!r->rows[i].c[k].n)
		return hx__error_set(err, HX_EINVAL,
				     "row %zu: no sentence in %s to move", i,
				     r->lang[k]);
	size_t lo = dir < 0 ? i - 1 : i;
	if (row_copy(r, &w[0], &r->rows[lo]) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if (row_copy(r, &w[1], &r->rows[lo + 1]) < 0)
		return oom_rows(r, w, 1, err);
	struct cell *a = &w[0].c[k], *b = &w[1].c[k];
	if (dir < 0) {
		/* b's first sentence to the end of a */
		if (cell_add(a, b->s[0], strlen(b->s[0])) < 0)
			return oom_rows(r, w, 2, err);
		free(b->s[0]);
		memmove(b->s, b->s + 1, --b->n * sizeof(*b->s));
	} else {
		/* a's last sentence to the start of b */
		if (cell_add(b, "", 0) < 0)
			return oom_rows(r, w, 2, err);
		free(b->s[b->n - 1]);
		memmove(b->s + 1, b->s, (b->n - 1) * sizeof(*b->s));
		b->s[0] = a->s[--a->n];
	}
	w[0].confirmed = w[1].confirmed = false;
	size_t keep = 0;
	for (size_t x = 0; x < 2; x++)
		if (!row_empty(r, &w[x]))
			w[keep++] = w[x];
		else
			row_free(r, &w[x]);
	if ((rc = replace_rows(r, lo, 2, w, keep, true, err)) < 0)
		oom_rows(r, w, keep, NULL);
	return rc;
}

/* One sentence a person typed: UTF-8, on one line. */
static int check_text(size_t i, const char *lang, const char *text,
		      hx_error *err)
{
	size_t len = strlen(text), bad;
	if (!hx__utf8_valid(text, len, &bad))
		return hx__error_set(err, HX_EINVAL,
				     "row %zu: the %s text is not UTF-8 (byte "
				     "%zu)",
				     i, lang, bad);
	for (size_t c = 0; c < len; c++) {
		unsigned char ch = (unsigned char)text[c];
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return hx__error_set(err, HX_EINVAL,
					     "row %zu: the %s text holds a "
					     "control character (byte %zu: "
					     "0x%02x)",
					     i, lang, c, ch);
	}
	return HX_OK;
}

int hx_review_edit(hx_review *r, size_t i, size_t k, const char *text,
		   hx_error *err)
{
	struct rrow w;
	int rc;

	assert(r && text);
	if ((rc = check_row_lang(r, i, k, err)) < 0 ||
	    (rc = check_text(i, r->lang[k], text, err)) < 0)
		return rc;
	if (row_copy(r, &w, &r->rows[i]) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	cell_free(&w.c[k]);
	if (text[0] && cell_add(&w.c[k], text, strlen(text)) < 0)
		return oom_rows(r, &w, 1, err);
	row_made(&w);
	if ((rc = replace_rows(r, i, 1, &w, 1, true, err)) < 0)
		row_free(r, &w);
	return rc;
}

int hx_review_confirm(hx_review *r, size_t i, bool on, hx_error *err)
{
	struct rrow w;
	int rc;

	assert(r);
	if (i >= r->nrows)
		return no_row(r, i, err);
	if (row_copy(r, &w, &r->rows[i]) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	w.confirmed = on;
	if ((rc = replace_rows(r, i, 1, &w, 1, true, err)) < 0)
		row_free(r, &w);
	return rc;
}

int hx_review_undo(hx_review *r, hx_error *err)
{
	assert(r);
	if (!r->nundo)
		return hx__error_set(err, HX_ENOTFOUND, "nothing to undo");
	struct undo u = r->undo[r->nundo - 1];
	/* Never grows past what the edit held, so it cannot fail. */
	int rc = replace_rows(r, u.at, u.n_new, u.old, u.n_old, false, err);
	assert(rc == HX_OK);
	(void)rc;
	r->nundo--;
	r->depth--;
	return HX_OK;
}

void hx_review_save_options_init(hx_review_save_options *opts)
{
	assert(opts);
	memset(opts, 0, sizeof(*opts));
	opts->keep_lone = true;
}

/* The changedate: as given (checked), SOURCE_DATE_EPOCH, or now. */
static int save_date(char *buf, size_t size, const char *given, hx_error *err)
{
	if (given) {
		bool ok =
		    strlen(given) == 16 && given[8] == 'T' && given[15] == 'Z';
		for (size_t i = 0; ok && i < 15; i++)
			ok = i == 8 || (given[i] >= '0' && given[i] <= '9');
		if (!ok)
			return hx__error_set(err, HX_EINVAL,
					     "date '%s': expected "
					     "YYYYMMDDThhmmssZ",
					     given);
		snprintf(buf, size, "%s", given);
		return HX_OK;
	}
	if (hx__tmx_source_date(buf, size))
		return HX_OK;
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y%m%dT%H%M%SZ", &tm);
	return HX_OK;
}

/* One row as a unit: its texts (each language's sentences joined as the
 * language writes them) and its props. */
struct unit_out {
	const char *lang[MAX_LANGS], *text[MAX_LANGS];
	hx_tmx_tuv tuv[MAX_LANGS];
	size_t nt;
	hx_tmx_prop *p;
	size_t np;
	char *buf[MAX_LANGS];
	char type[MAX_LANGS][2][32], val[MAX_LANGS][2][16];
	char missing[256];
	char *starts[MAX_LANGS];
};

static void unit_out_free(struct unit_out *u)
{
	for (size_t k = 0; k < MAX_LANGS; k++) {
		free(u->buf[k]);
		free(u->starts[k]);
	}
	free(u->p);
}

static char *join_cell(const struct cell *c, const char *lang, char **starts)
{
	bool spaced = strncmp(lang, "zh", 2) != 0;
	size_t len = 0;
	for (size_t i = 0; i < c->n; i++)
		len += strlen(c->s[i]) + 1;
	char *s = malloc(len + 1), *p = s;
	char *st = c->n > 1 ? malloc(c->n * 21) : NULL;
	size_t sn = 0;
	if (!s || (c->n > 1 && !st)) {
		free(s), free(st);
		return NULL;
	}
	for (size_t i = 0; i < c->n; i++) {
		if (i && spaced)
			*p++ = ' ';
		if (i)
			sn += (size_t)sprintf(st + sn, "%s%zu", sn ? "," : "",
					      (size_t)(p - s));
		size_t l = strlen(c->s[i]);
		memcpy(p, c->s[i], l);
		p += l;
	}
	*p = '\0';
	*starts = st;
	return s;
}

static int row_unit(const hx_review *r, const struct rrow *w,
		    struct unit_out *u)
{
	size_t n = 0;

	memset(u, 0, sizeof(*u));
	if (!(u->p = malloc((r->nprops + 3 * r->nlang + 2) * sizeof(*u->p))))
		return -1;
	u->missing[0] = '\0';
	for (size_t k = 0; k < r->nlang; k++) {
		if (!w->c[k].n) {
			n += (size_t)snprintf(
			    u->missing + n,
			    n < sizeof(u->missing) ? sizeof(u->missing) - n : 0,
			    "%s%s", n ? "," : "", r->lang[k]);
			continue;
		}
		if (!(u->buf[k] =
			  join_cell(&w->c[k], r->lang[k], &u->starts[k])))
			return -1;
		if (!u->buf[k][0])
			continue;
		u->lang[u->nt] = r->lang[k];
		u->text[u->nt] = u->buf[k];
		u->tuv[u->nt++] =
		    (hx_tmx_tuv){r->lang[k], u->buf[k], strlen(u->buf[k])};
		double sc = lang_score(w, k);
		if (k && sc >= 0) {
			snprintf(u->type[k][0], 32, "x-score-%s", r->lang[k]);
			snprintf(u->val[k][0], 16, "%.2f", sc);
			u->p[u->np++] =
			    (hx_tmx_prop){u->type[k][0], u->val[k][0]};
		}
		if (u->starts[k]) {
			snprintf(u->type[k][1], 32, "x-sentences-%s",
				 r->lang[k]);
			u->p[u->np++] =
			    (hx_tmx_prop){u->type[k][1], u->starts[k]};
		}
	}
	u->p[u->np++] =
	    (hx_tmx_prop){"x-reviewed", w->confirmed ? "yes" : "no"};
	if (u->missing[0])
		u->p[u->np++] = (hx_tmx_prop){"x-no-counterpart", u->missing};
	for (size_t i = 0; i < r->nprops; i++)
		u->p[u->np++] = r->props[i];
	return 0;
}

int hx_review_save(hx_review_save_stats *stats, hx_review *r, hx_tm *tm,
		   const hx_review_save_options *opts, hx_error *err)
{
	hx_review_save_options o;
	hx_tm_batch *b = NULL;
	hx_tm_import_stats st;
	hx_review_save_stats out = {0};
	struct unit_out u;
	char date[32];
	int rc;

	assert(r && tm);
	if (!opts) {
		hx_review_save_options_init(&o);
		opts = &o;
	}
	const char *who = opts->reviewer ? opts->reviewer : "unknown";
	if ((rc = save_date(date, sizeof(date), opts->date, err)) < 0)
		return rc;
	if ((rc = hx__tm_batch_begin_replace(&b, tm, r->name, &out.removed,
					     err)) < 0)
		return rc;
	for (size_t i = 0; i < r->nrows; i++) {
		const struct rrow *w = &r->rows[i];
		if (row_unit(r, w, &u) < 0) {
			unit_out_free(&u);
			rc = hx__error_set(err, HX_ENOMEM, "out of memory");
			goto fail;
		}
		/* The memory holds units of two languages or more: a
		 * sentence alone translates nothing. */
		if (u.nt >= 2) {
			rc = hx__tm_batch_add_changed(
			    b, u.lang, u.text, u.nt, u.p, u.np,
			    w->confirmed ? who : NULL,
			    w->confirmed ? date : NULL, err);
			out.confirmed += w->confirmed && rc == HX_OK;
		}
		unit_out_free(&u);
		if (rc < 0)
			goto fail;
	}
	rc = hx_tm_batch_commit(b, &st, err);
	b = NULL; /* the commit frees the batch, failed or not */
	if (rc < 0)
		return rc;
	out.added = st.added;
	r->saved = r->depth;
	if (stats)
		*stats = out;
	return HX_OK;
fail:
	hx_tm_batch_free(b);
	return rc;
}

int hx_review_write_tmx(const hx_review *r, const char *path,
			const hx_review_save_options *opts, hx_error *err)
{
	hx_review_save_options o;
	hx_tmx_writer *w = NULL;
	hx_tmx_header hdr = {0};
	struct unit_out u;
	char date[32], cdate[32];
	int rc;

	assert(r && path);
	if (!opts) {
		hx_review_save_options_init(&o);
		opts = &o;
	}
	if (!r->nlang)
		return hx__error_set(err, HX_EINVAL, "the review is empty");
	const char *who = opts->reviewer ? opts->reviewer : "unknown";
	if ((rc = save_date(date, sizeof(date), opts->date, err)) < 0)
		return rc;
	/* The same review, the same file (SOURCE_DATE_EPOCH). */
	hdr.creationdate = hx__tmx_source_date(cdate, sizeof(cdate));
	hdr.srclang = r->lang[0];
	hdr.props = r->props;
	hdr.nprops = r->nprops;
	if ((rc = hx_tmx_writer_open(&w, path, &hdr, err)) < 0)
		return rc;
	for (size_t i = 0; i < r->nrows; i++) {
		const struct rrow *x = &r->rows[i];
		if (row_unit(r, x, &u) < 0) {
			unit_out_free(&u);
			hx_tmx_writer_free(w);
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		}
		/* Per-unit props only: the origin ones are the header's. */
		hx_tmx_tu tu = {u.tuv, u.nt, u.p, u.np - r->nprops, NULL};
		hx_tmx_tu_meta meta = {0};
		if (x->confirmed)
			meta.changeid = who, meta.changedate = date;
		rc = HX_OK;
		if (u.nt >= 2 || (u.nt == 1 && opts->keep_lone))
			rc = hx_tmx_writer_add_meta(w, &tu, NULL, &meta, err);
		unit_out_free(&u);
		if (rc < 0) {
			hx_tmx_writer_free(w);
			return rc;
		}
	}
	return hx_tmx_writer_close(w, err);
}

int hx_review_write_json(FILE *f, const hx_review *r, size_t first, size_t max,
			 hx_error *err)
{
	assert(f && r);
	fputs("{\"name\": ", f);
	hx_json_write_string(f, r->name, strlen(r->name));
	fputs(", \"langs\": [", f);
	for (size_t k = 0; k < r->nlang; k++) {
		if (k)
			fputs(", ", f);
		hx_json_write_string(f, r->lang[k], strlen(r->lang[k]));
	}
	fprintf(f, "], \"modified\": %s, \"undo\": %zu, \"rows\": [",
		hx_review_is_modified(r) ? "true" : "false", r->nundo);
	size_t end = max && first < r->nrows && max < r->nrows - first
			 ? first + max
			 : r->nrows;
	for (size_t i = first; i < end; i++) {
		const struct rrow *w = &r->rows[i];
		fprintf(f,
			"%s{\"row\": %zu, \"score\": %.2f, \"confirmed\": "
			"%s, \"cells\": [",
			i > first ? ", " : "", i, row_score(r, w),
			w->confirmed ? "true" : "false");
		for (size_t k = 0; k < r->nlang; k++) {
			fputs(k ? ", [" : "[", f);
			for (size_t s = 0; s < w->c[k].n; s++) {
				if (s)
					fputs(", ", f);
				hx_json_write_string(f, w->c[k].s[s],
						     strlen(w->c[k].s[s]));
			}
			fputc(']', f);
		}
		fputs("]}", f);
	}
	fputs("]}\n", f);
	if (fflush(f) != 0 || ferror(f))
		return hx__error_set(err, HX_EIO, "cannot write the review");
	return HX_OK;
}
