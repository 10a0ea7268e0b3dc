/*
 * terms-corpus.c - a memory or an aligned TMX file read whole into RAM
 * for the term miner, which passes over the units several times (once
 * per language, then once per candidate). Not a look-up path: hx_tm
 * answers those from its index without reading everything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/tm.h>
#include <hexalign/tmx.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "terms/terms-private.h"
#include "tm/tm-doc.h"

static int lang_index(struct hx__corpus *c, const char *lang)
{
	char buf[16];
	hx_tm_lang_norm(buf, sizeof(buf), lang);
	for (size_t i = 0; i < c->nlangs; i++)
		if (!strcmp(c->lang[i], buf))
			return (int)i;
	if (c->nlangs == HX__TERMS_LANGS)
		return -1; /* more languages than a unit holds: left out */
	snprintf(c->lang[c->nlangs], sizeof(c->lang[0]), "%s", buf);
	if (!strcmp(buf, "en"))
		c->en = (int)c->nlangs;
	return (int)c->nlangs++;
}

static int add_unit(struct hx__corpus *c, int64_t id, const char *const *lang,
		    const char *const *text, const size_t *len, size_t n)
{
	struct hx__tunit *u;

	if (hx__grow((void **)&c->u, &c->cap, c->n + 1, sizeof(*c->u)) < 0)
		return HX_ENOMEM;
	u = &c->u[c->n++];
	memset(u, 0, sizeof(*u));
	u->id = id;
	for (size_t i = 0; i < n; i++) {
		int l = lang_index(c, lang[i]);
		if (l < 0 || u->text[l] || !len[i])
			continue;
		if (!(u->text[l] = strndup(text[i], len[i])))
			return HX_ENOMEM;
		u->len[l] = (uint32_t)len[i];
	}
	if (c->en >= 0 && u->text[c->en])
		c->nen++;
	return HX_OK;
}

static int on_tm_unit(void *payload, const struct hx__tm_doc_unit *du)
{
	size_t len[16];
	for (size_t i = 0; i < du->n; i++)
		len[i] = strlen(du->text[i]);
	return add_unit(payload, du->id, du->lang, du->text, len, du->n);
}

static int on_tmx_unit(void *payload, const hx_tmx_header_read *hdr,
		       const hx_tmx_unit *tu, hx_error *err)
{
	struct hx__corpus *c = payload;
	const char *lang[16], *text[16];
	size_t len[16], n = 0;
	(void)hdr;
	for (size_t i = 0; i < tu->ntuvs && n < 16; i++, n++) {
		lang[n] = tu->tuvs[i].lang;
		text[n] = tu->tuvs[i].text;
		len[n] = tu->tuvs[i].len;
	}
	if (add_unit(c, (int64_t)c->n + 1, lang, text, len, n) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	return HX_OK;
}

/* A memory is a SQLite file (its 16-byte header) or a PostgreSQL
 * database; anything else is read as TMX, whose reader says what is
 * wrong with a file that is neither. */
static int is_memory(const char *path, hx_error *err)
{
	char head[16] = {0};
	FILE *f;

	if (!strncmp(path, "postgres://", 11) ||
	    !strncmp(path, "postgresql://", 13))
		return 1;
	if (!strcmp(path, "-"))
		return 0;
	if (!(f = fopen(path, "rb")))
		return hx__error_set(err,
				     errno == ENOENT ? HX_ENOTFOUND : HX_EIO,
				     "%s: %s", path, strerror(errno));
	size_t n = fread(head, 1, sizeof(head), f);
	fclose(f);
	return n == 16 && !memcmp(head, "SQLite format 3", 16);
}

int hx__corpus_load(struct hx__corpus *c, const char *path, hx_error *err)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->en = -1;
	if ((rc = is_memory(path, err)) < 0)
		return rc;
	if (rc) {
		hx_tm_options o;
		hx_tm *tm = NULL;
		hx_tm_options_init(&o);
		o.readonly = true;
		if ((rc = hx_tm_open(&tm, path, &o, err)) < 0)
			return rc;
		rc = hx__tm_unit_foreach(tm, on_tm_unit, c, err);
		hx_tm_free(tm);
		if (rc == HX_ENOMEM)
			hx__error_set(err, rc, "out of memory");
	} else {
		hx_tmx_read_options o;
		hx_tmx_read_options_init(&o);
		rc = hx_tmx_read(path, &o, on_tmx_unit, c, err);
	}
	if (rc < 0)
		goto fail;
	if (!c->n) {
		rc = hx__error_set(err, HX_EFORMAT,
				   "%s: the memory holds no units", path);
		goto fail;
	}
	if (!c->nen) {
		char list[128] = "";
		size_t k = 0;
		for (size_t i = 0; i < c->nlangs && k + 20 < sizeof(list); i++)
			k +=
			    (size_t)snprintf(list + k, sizeof(list) - k, "%s%s",
					     i ? ", " : "", c->lang[i]);
		rc = hx__error_set(err, HX_EFORMAT,
				   "%s: no English segments (it has %s)", path,
				   k ? list : "no language");
		goto fail;
	}
	return HX_OK;
fail:
	hx__corpus_free(c);
	return rc;
}

void hx__corpus_free(struct hx__corpus *c)
{
	for (size_t i = 0; i < c->n; i++)
		for (size_t l = 0; l < HX__TERMS_LANGS; l++)
			free(c->u[i].text[l]);
	free(c->u);
	memset(c, 0, sizeof(*c));
	c->en = -1;
}
