/*
 * tm/ - the translation memory: a handle on a store (tmstore.h, SQLite in
 * tmstore-sqlite.c, PostgreSQL in tmstore-pg.c), importing units (tm-import.c)
 * into an n-gram index (tm-index.h), exact, fuzzy and concordance look-ups
 * (tm-lookup.c), with the fuzzy scores of match.c.
 *
 * tm.c - the handle: open and free, statistics, and export back to TMX.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>
#include <hexalign/tm.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "formats/tmx-private.h"
#include "tm/tm-doc.h"
#include "tm/tm-json.h"
#include "tm/tm-lookup.h"
#include "tm/tm-private.h"
#include "tm/tmstore.h"

void hx_tm_options_init(hx_tm_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->busy_timeout_ms = 2000;
}

int hx_tm_open(hx_tm **out, const char *path, const hx_tm_options *opts,
	       hx_error *err)
{
	hx_tm_options def;
	hx_tm *tm;
	int rc;

	assert(out && path);
	*out = NULL;
	if (!opts) {
		hx_tm_options_init(&def);
		opts = &def;
	}
	/* A database is named in messages without its password. */
	bool pg = hx__store_is_pg(path);
	if (!(tm = calloc(1, sizeof(*tm))) ||
	    !(tm->path = pg ? hx__store_pg_name(path) : strdup(path)) ||
	    !(tm->where = strdup(path))) {
		if (tm)
			free(tm->path);
		free(tm);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	rc = (pg ? hx__store_pg_open : hx__store_sqlite_open)(
	    &tm->st, path, opts->readonly, opts->create, opts->busy_timeout_ms,
	    err);
	if (rc < 0) {
		free(tm->path);
		free(tm->where);
		free(tm);
		return rc;
	}
	*out = tm;
	return HX_OK;
}

int hx_tm_open_again(hx_tm **out, const hx_tm *tm, const hx_tm_options *opts,
		     hx_error *err)
{
	hx_tm_options o;

	assert(out && tm);
	if (opts)
		o = *opts;
	else
		hx_tm_options_init(&o);
	o.create = false;
	return hx_tm_open(out, tm->where, &o, err);
}

const char *hx_tm_name(const hx_tm *tm)
{
	assert(tm);
	return tm->path;
}

void hx_tm_free(hx_tm *tm)
{
	if (!tm)
		return;
	tm->st->ops->close(tm->st);
	hx__tm_lookup_free(tm);
	free(tm->path);
	free(tm->where);
	free(tm);
}

int hx_tm_stats_get(hx_tm_stats *s, hx_tm *tm, hx_error *err)
{
	FILE *f;

	assert(s && tm);
	if (tm->importing)
		return hx__error_set(err, HX_EINVAL,
				     "%s: the handle is importing: commit "
				     "or free the batch first",
				     tm->path);
	memset(s, 0, sizeof(*s));
	s->schema_version = tm->st->ops->schema(tm->st);
	if (tm->st->ops->file_bytes) {
		int rc = tm->st->ops->file_bytes(tm->st, &s->file_bytes, err);
		if (rc < 0)
			return rc;
	} else if ((f = fopen(tm->path, "rb"))) {
		fseek(f, 0, SEEK_END);
		s->file_bytes = ftell(f);
		fclose(f);
	}
	return tm->st->ops->counts(tm->st, &s->units, &s->segments, s->langs,
				   s->per_lang, &s->nlangs, err);
}

struct export_ctx {
	hx_tm *tm;
	hx_tmx_writer *w;
	const char *src, *tgt;
	size_t units;
	hx_error *err;
	/* the unit being collected */
	char *text[16];
	char lang[16][16];
	size_t n;
	/* the codes of each segment, parsed from seg.codes */
	hx_tmx_code *codes[16];
	size_t ncodes[16];
	char *strs[16];
};

/*
 * seg.codes as hx__codes_json() wrote it: [[kind, content, i, x, type, pos,
 * assoc, end], ...], the last three only in memories that kept them. ""
 * is an absent attribute (codes_json cannot tell them apart). The strings
 * go into one buffer: unescaped, each with its NUL, they never take more
 * bytes than their JSON form with its quotes.
 */
static int codes_parse(const char *j, hx_tmx_code **out, size_t *n, char **strs)
{
	static const char *const kinds[] = {"bpt", "ept", "ph",
					    "it",  "hi",  "ut"};
	hx_tmx_code *v = NULL;
	size_t cap = 0;
	char *o;

	*out = NULL, *n = 0;
	int rc = hx__json_array_open(&j, strs);
	if (rc != HX_OK)
		return rc == 1 ? HX_OK : rc;
	o = *strs;
	while (*j == '[') {
		hx_tmx_code c = {0};
		const char *f[7] = {0};
		int nf = 0;
		c.end = HX_TMX_END_UNKNOWN;
		j++;
		for (;;) {
			j = hx__json_skip_ws(j);
			if (*j == '"' && nf < 7) {
				f[nf++] = o;
				if (!hx__json_str(&j, &o))
					goto bad;
			} else if (*j >= '0' && *j <= '9' && nf == 7) {
				char *e;
				c.end = (size_t)strtoull(j, &e, 10);
				j = e, nf++;
			} else if (!strncmp(j, "null", 4) && nf < 7) {
				j += 4, nf++;
			} else {
				goto bad;
			}
			j = hx__json_skip_ws(j);
			if (*j == ']')
				break;
			if (*j++ != ',')
				goto bad;
		}
		j++;
		for (size_t k = 0; f[0] && k < 6; k++)
			if (!strcmp(f[0], kinds[k]))
				c.kind =
				    (hx_tmx_code_kind)(HX_TMX_CODE_BPT + k);
		if (!c.kind || nf < 5)
			goto bad;
		c.content = f[1] ? f[1] : "";
		const char **attr[] = {&c.i, &c.x, &c.type, &c.pos, &c.assoc};
		for (int k = 0; k < 5; k++)
			*attr[k] = f[k + 2] && *f[k + 2] ? f[k + 2] : NULL;
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			hx_tmx_code *x = realloc(v, nc * sizeof(*v));
			if (!x) {
				free(v);
				free(*strs);
				*strs = NULL;
				return HX_ENOMEM;
			}
			v = x, cap = nc;
		}
		v[(*n)++] = c;
		j = hx__json_skip_ws(j);
		if (*j == ',')
			j++;
		j = hx__json_skip_ws(j);
	}
	if (*j != ']')
		goto bad;
	*out = v;
	return HX_OK;
bad:
	free(v);
	free(*strs);
	*strs = NULL;
	*n = 0;
	return HX_EFORMAT;
}

static int on_unit_seg(void *payload, int64_t unit, const char *lang,
		       const char *text, size_t len)
{
	struct export_ctx *c = payload;
	(void)unit;
	if (c->n == 16)
		return HX_OK;
	if (c->src && strcmp(lang, c->src) && strcmp(lang, c->tgt))
		return HX_OK;
	char *t = strndup(text, len);
	if (!t)
		return HX_ENOMEM;
	/* In language order, as they were given. */
	size_t i = c->n++;
	while (i > 0 && strcmp(c->lang[i - 1], lang) > 0) {
		c->text[i] = c->text[i - 1];
		memcpy(c->lang[i], c->lang[i - 1], 16);
		i--;
	}
	c->text[i] = t;
	snprintf(c->lang[i], 16, "%s", lang);
	return HX_OK;
}

/* The codes of the collected segments, read once the iteration is over
 * (get_codes reuses one statement). */
static int export_codes(struct export_ctx *c, int64_t unit)
{
	for (size_t i = 0; i < c->n; i++) {
		const char *json;
		int rc = c->tm->st->ops->get_codes(c->tm->st, unit, c->lang[i],
						   &json, c->err);
		if (rc < 0)
			return rc;
		rc =
		    codes_parse(json, &c->codes[i], &c->ncodes[i], &c->strs[i]);
		if (rc == HX_EFORMAT)
			return hx__error_set(c->err, rc,
					     "%s: unit %lld (%s): the inline "
					     "codes stored are not readable",
					     c->tm->path, (long long)unit,
					     c->lang[i]);
		if (rc < 0)
			return rc;
	}
	return HX_OK;
}

/* What the memory kept of a unit besides its segments, for the <tu>:
 * props, notes, tuid and the unit's own dates and creators. */
struct export_meta {
	hx_tmx_prop *props;
	size_t nprops;
	const char **pstr, **notes;
	size_t nnotes;
	char *pbuf, *nbuf, *tuid;
	hx_tmx_tu_meta m;
	char *attr[4];
};

static void export_meta_free(struct export_meta *e)
{
	free(e->props);
	free(e->pstr);
	free(e->notes);
	free(e->pbuf);
	free(e->nbuf);
	free(e->tuid);
	for (int i = 0; i < 4; i++)
		free(e->attr[i]);
	memset(e, 0, sizeof(*e));
}

static int export_meta(struct export_ctx *c, int64_t unit,
		       struct export_meta *e)
{
	struct hx__unit_meta m;
	size_t np;
	int rc;

	memset(e, 0, sizeof(*e));
	if ((rc = c->tm->st->ops->get_meta(c->tm->st, unit, &m, c->err)) < 0)
		return rc;
	const char *attr[4] = {m.creationdate, m.creationid, m.changedate,
			       m.changeid};
	/* Copied: the next read of the store reuses the row. */
	if ((m.tuid && *m.tuid && !(e->tuid = strdup(m.tuid))))
		return HX_ENOMEM;
	for (int i = 0; i < 4; i++)
		if (attr[i] && *attr[i] && !(e->attr[i] = strdup(attr[i])))
			return HX_ENOMEM;
	if ((rc = hx__strings_parse(m.props, true, &e->pstr, &np, &e->pbuf)) ==
		HX_OK &&
	    (rc = hx__strings_parse(m.notes, false, &e->notes, &e->nnotes,
				    &e->nbuf)) == HX_OK &&
	    np && !(e->props = malloc(np / 2 * sizeof(*e->props))))
		rc = HX_ENOMEM;
	if (rc == HX_EFORMAT)
		return hx__error_set(c->err, rc,
				     "%s: unit %lld: the props or notes stored "
				     "are not readable",
				     c->tm->path, (long long)unit);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i + 1 < np; i += 2)
		e->props[e->nprops++] =
		    (hx_tmx_prop){e->pstr[i], e->pstr[i + 1]};
	e->m.notes = e->notes;
	e->m.nnotes = e->nnotes;
	e->m.creationdate = e->attr[0];
	e->m.creationid = e->attr[1];
	e->m.changedate = e->attr[2];
	e->m.changeid = e->attr[3];
	return HX_OK;
}

static int on_export_unit(void *payload, int64_t unit)
{
	struct export_ctx *c = payload;
	hx_tmx_tuv tuv[16];
	hx_tmx_codes codes[16];
	struct export_meta em = {0};
	int rc;

	c->n = 0;
	rc = c->tm->st->ops->foreach_unit_seg(c->tm->st, unit, on_unit_seg, c,
					      c->err);
	if (rc == HX_OK && c->n >= 2 && (!c->src || c->n == 2))
		rc = export_codes(c, unit);
	if (rc == HX_OK && c->n >= 2) {
		/* The pivot first when there is one. */
		size_t k = 0;
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < c->n; i++) {
				bool pivot =
				    c->src && !strcmp(c->lang[i], c->src);
				if (pivot != (pass == 0))
					continue;
				tuv[k] = (hx_tmx_tuv){c->lang[i], c->text[i],
						      strlen(c->text[i])};
				codes[k++] =
				    (hx_tmx_codes){c->codes[i], c->ncodes[i]};
			}
		if (!c->src || k == 2)
			rc = export_meta(c, unit, &em);
		hx_tmx_tu tu = {tuv, k, em.props, em.nprops, em.tuid};
		if (rc == HX_OK && (!c->src || k == 2)) {
			rc = hx_tmx_writer_add_meta(c->w, &tu, codes, &em.m,
						    c->err);
			if (rc == HX_OK)
				c->units++;
		}
		export_meta_free(&em);
	}
	for (size_t i = 0; i < c->n; i++) {
		free(c->text[i]);
		free(c->codes[i]);
		free(c->strs[i]);
		c->codes[i] = NULL, c->strs[i] = NULL, c->ncodes[i] = 0;
	}
	c->n = 0;
	return rc;
}

int hx_tm_export_tmx(hx_tm *tm, const char *path, const char *src,
		     const char *tgt, size_t *units, hx_error *err)
{
	struct export_ctx c = {0};
	hx_tmx_header hdr = {0};
	char sl[16], tl[16];
	int rc;

	assert(tm && path);
	if (tm->importing)
		return hx__error_set(err, HX_EINVAL,
				     "%s: the handle is importing: commit "
				     "or free the batch first",
				     tm->path);
	if (src && tgt) {
		c.src = hx_tm_lang_norm(sl, sizeof(sl), src);
		c.tgt = hx_tm_lang_norm(tl, sizeof(tl), tgt);
	}
	hdr.srclang = c.src ? c.src : "*all*";
	/* The same memory, the same file (SOURCE_DATE_EPOCH). */
	char date[32];
	hdr.creationdate = hx__tmx_source_date(date, sizeof(date));
	if ((rc = hx_tmx_writer_open(&c.w, path, &hdr, err)) < 0)
		return rc;
	c.tm = tm;
	c.err = err;
	rc = tm->st->ops->foreach_unit(tm->st, on_export_unit, &c, err);
	if (rc < 0) {
		if (rc == HX_ENOMEM)
			hx__error_set(err, rc, "out of memory");
		hx_tmx_writer_free(c.w);
		return rc;
	}
	if (units)
		*units = c.units;
	return hx_tmx_writer_close(c.w, err);
}

struct origins_ctx {
	hx_tm_origin_fn fn;
	void *payload;
};

static int on_origin(void *payload, const char *name, size_t units)
{
	struct origins_ctx *c = payload;
	return c->fn(c->payload, name, units);
}

int hx_tm_origins(hx_tm *tm, hx_tm_origin_fn fn, void *payload, hx_error *err)
{
	struct origins_ctx c = {fn, payload};
	int rc;

	assert(tm && fn);
	if (tm->importing)
		return hx__error_set(err, HX_EINVAL,
				     "%s: the handle is importing: commit "
				     "or free the batch first",
				     tm->path);
	rc = tm->st->ops->foreach_origin(tm->st, on_origin, &c, err);
	tm->st->ops->idle(tm->st);
	return rc;
}

/* The ids first, then each unit: a unit's reads reuse the statements
 * the walk over the ids would hold. */
struct ids {
	int64_t *v;
	size_t n, cap;
};

static int on_doc_id(void *payload, int64_t id)
{
	struct ids *ids = payload;
	if (hx__grow((void **)&ids->v, &ids->cap, ids->n + 1, sizeof(*ids->v)) <
	    0)
		return HX_ENOMEM;
	ids->v[ids->n++] = id;
	return HX_OK;
}

struct doc_unit {
	struct hx__tm_doc_unit u;
	char lang[16][16];
	char *text[16];
};

static int on_doc_seg(void *payload, int64_t unit, const char *lang,
		      const char *text, size_t len)
{
	struct doc_unit *d = payload;
	(void)unit;
	if (d->u.n == 16)
		return HX_OK; /* (a unit holds at most 16) */
	if (!(d->text[d->u.n] = strndup(text, len)))
		return HX_ENOMEM;
	snprintf(d->lang[d->u.n], sizeof(d->lang[0]), "%s", lang);
	d->u.lang[d->u.n] = d->lang[d->u.n];
	d->u.text[d->u.n] = d->text[d->u.n];
	d->u.n++;
	return HX_OK;
}

/* Unit id read into d (props as pairs, parsed from their JSON), then to
 * fn. */
static int doc_unit(hx_tm *tm, int64_t id, hx__tm_doc_fn fn, void *payload,
		    hx_error *err)
{
	struct doc_unit d = {0};
	struct hx__unit_meta meta;
	hx_tmx_prop *props = NULL;
	const char **v = NULL;
	char *strs = NULL;
	size_t n = 0;
	int rc;

	d.u.id = id;
	if ((rc = tm->st->ops->foreach_unit_seg(tm->st, id, on_doc_seg, &d,
						err)) < 0 ||
	    (rc = tm->st->ops->get_meta(tm->st, id, &meta, err)) < 0)
		goto done;
	if (meta.props && meta.props[0]) {
		rc = hx__strings_parse(meta.props, true, &v, &n, &strs);
		if (rc == HX_EFORMAT)
			n = 0, rc = HX_OK; /* not ours: as if none */
		if (rc < 0)
			goto done;
	}
	if (n / 2 && !(props = malloc(n / 2 * sizeof(*props)))) {
		rc = HX_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i + 1 < n; i += 2)
		props[i / 2] = (hx_tmx_prop){v[i], v[i + 1]};
	d.u.props = props;
	d.u.nprops = n / 2;
	rc = fn(payload, &d.u);
done:
	for (size_t i = 0; i < d.u.n; i++)
		free(d.text[i]);
	free(props);
	free(v);
	free(strs);
	return rc;
}

/* The walk of hx__tm_doc_foreach() over one origin's ids, or every id
 * when origin is NULL. */
static int units_foreach(hx_tm *tm, const char *origin, hx__tm_doc_fn fn,
			 void *payload, hx_error *err)
{
	struct ids ids = {0};
	int rc;

	assert(tm && fn);
	if (tm->importing)
		return hx__error_set(err, HX_EINVAL,
				     "%s: the handle is importing: commit "
				     "or free the batch first",
				     tm->path);
	if (origin)
		rc = tm->st->ops->foreach_origin_unit(tm->st, origin, on_doc_id,
						      &ids, err);
	else
		rc = tm->st->ops->foreach_unit(tm->st, on_doc_id, &ids, err);
	for (size_t i = 0; rc == HX_OK && i < ids.n; i++)
		rc = doc_unit(tm, ids.v[i], fn, payload, err);
	tm->st->ops->idle(tm->st);
	free(ids.v);
	if (rc == HX_ENOMEM)
		hx__error_set(err, rc, "out of memory");
	return rc;
}

int hx__tm_doc_foreach(hx_tm *tm, const char *origin, hx__tm_doc_fn fn,
		       void *payload, hx_error *err)
{
	assert(origin);
	return units_foreach(tm, origin, fn, payload, err);
}

int hx__tm_unit_foreach(hx_tm *tm, hx__tm_doc_fn fn, void *payload,
			hx_error *err)
{
	return units_foreach(tm, NULL, fn, payload, err);
}
