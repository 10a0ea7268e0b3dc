/*
 * tm-import-xliff.c - finished translations back into the memory: the
 * segments of an XLIFF (2.x or 1.2, from hexalign or any CAT tool) whose
 * state says a person translated them, stored as units like an aligned
 * TMX's; and the choice between a TMX and an XLIFF import by the files'
 * root element. Reading XLIFF is formats/xliff-read.c's job, storing the
 * batch tm-import.c's.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>
#include <hexalign/tm.h>
#include <hexalign/xliff.h>

#include "base/error-private.h"
#include "tm/tm-doc.h"

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/* TMX 1.4b type attribute values (section 3.7.3 for bpt, ph) for the
 * kinds of code that have one. */
static const char *tmx_type(hx_inline_type t)
{
	switch (t) {
	case HX_INLINE_BOLD:
		return "bold";
	case HX_INLINE_ITALIC:
		return "italic";
	case HX_INLINE_UNDERLINE:
		return "ulined";
	case HX_INLINE_LINK:
		return "link";
	case HX_INLINE_FOOTNOTE:
		return "fnote";
	case HX_INLINE_ENDNOTE:
		return "enote";
	case HX_INLINE_BREAK:
		return "lb";
	default:
		return NULL;
	}
}

/* A segment side's XLIFF codes as the TMX codes the memory keeps: a
 * pair's start and end as bpt/ept paired by i, a lone code as ph named
 * by x, the XLIFF id the number in both; ids[] holds the strings. */
struct side {
	hx_tmx_code *v;
	char (*ids)[16];
};

static bool side_make(struct side *d, const hx_inline *c, size_t n)
{
	d->v = n ? calloc(n, sizeof(*d->v)) : NULL;
	d->ids = n ? calloc(n, sizeof(*d->ids)) : NULL;
	if (n && (!d->v || !d->ids))
		return false;
	for (size_t k = 0; k < n; k++) {
		snprintf(d->ids[k], sizeof(d->ids[k]), "%u", c[k].id);
		d->v[k].kind = c[k].kind == HX_INLINE_OPEN    ? HX_TMX_CODE_BPT
			       : c[k].kind == HX_INLINE_CLOSE ? HX_TMX_CODE_EPT
							      : HX_TMX_CODE_PH;
		d->v[k].content = "";
		if (c[k].kind == HX_INLINE_STANDALONE)
			d->v[k].x = d->ids[k];
		else
			d->v[k].i = d->ids[k];
		if (c[k].kind != HX_INLINE_CLOSE)
			d->v[k].type = tmx_type(c[k].type);
	}
	return true;
}

static void side_free(struct side *d)
{
	free(d->v);
	free(d->ids);
}

/* One finished segment into the batch, with its codes when it has some,
 * so that the same formatted sentence is an exact match next time. */
static int add_seg(hx_tm_batch *b, const char *const langs[2],
		   const hx_xliff_seg *s, const hx_tmx_prop *prop,
		   hx_error *err)
{
	const char *texts[2] = {s->source, s->target};
	struct side sd[2] = {{0}};
	hx_tmx_codes codes[2] = {{0}};
	int rc;

	if (!s->nsource_codes && !s->ntarget_codes)
		return hx_tm_batch_add_props(b, langs, texts, 2, prop, 1, err);
	if (!side_make(&sd[0], s->source_codes, s->nsource_codes) ||
	    !side_make(&sd[1], s->target_codes, s->ntarget_codes)) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto done;
	}
	if (s->nsource_codes)
		texts[0] = s->source_coded;
	if (s->ntarget_codes)
		texts[1] = s->target_coded;
	codes[0] = (hx_tmx_codes){sd[0].v, s->nsource_codes};
	codes[1] = (hx_tmx_codes){sd[1].v, s->ntarget_codes};
	rc = hx__tm_batch_add_full(b, langs, texts, codes, 2, prop, 1, NULL,
				   NULL, err);
done:
	side_free(&sd[0]);
	side_free(&sd[1]);
	return rc;
}

int hx_tm_import_xliff(hx_tm *tm, const char *const *paths, size_t npaths,
		       hx_tm_import_stats *stats, hx_error *err)
{
	hx_tm_batch *b = NULL;
	hx_xliff *x = NULL;
	size_t unfinished = 0;
	int rc;

	assert(tm && (paths || !npaths));
	if (stats)
		memset(stats, 0, sizeof(*stats));
	if ((rc = hx_tm_batch_begin(&b, tm, NULL, err)) < 0)
		return rc;
	for (size_t i = 0; i < npaths; i++) {
		const char *langs[2];
		if ((rc = hx_xliff_read(&x, paths[i], err)) < 0)
			goto fail;
		langs[0] = hx_xliff_get_src(x);
		langs[1] = hx_xliff_get_tgt(x);
		if (!langs[0] || !langs[1] || !*langs[0] || !*langs[1]) {
			rc = hx__error_set(err, HX_EINVAL,
					   "%s: names no %s language "
					   "(srcLang/trgLang, or source-/"
					   "target-language in 1.2)",
					   paths[i],
					   langs[0] && *langs[0] ? "target"
								 : "source");
			goto fail;
		}
		if ((rc = hx_tm_batch_set_origin(b, base_name(paths[i]), err)) <
		    0)
			goto fail;
		for (size_t k = 0; k < hx_xliff_count(x); k++) {
			const hx_xliff_seg *s = hx_xliff_get(x, k);
			hx_tmx_prop prop = {"x-xliff-state",
					    s->state ? s->state : "approved"};
			if (!s->finished) {
				unfinished++;
				continue;
			}
			if ((rc = add_seg(b, langs, s, &prop, err)) < 0) {
				char why[sizeof(err->message)];
				snprintf(why, sizeof(why), "%s",
					 err ? err->message : "");
				hx__error_set(err, rc, "%s:%zu: %s", paths[i],
					      s->line, why);
				goto fail;
			}
		}
		hx_xliff_free(x);
		x = NULL;
	}
	rc = hx_tm_batch_commit(b, stats, err);
	if (rc == HX_OK && stats) {
		stats->units_read += unfinished;
		stats->unfinished = unfinished;
	}
	return rc;
fail:
	hx_xliff_free(x);
	hx_tm_batch_free(b);
	return rc;
}

/* "tmx", "xliff", or "" from the first element of the file; a file that
 * cannot be read gives "" and the TMX importer says what is wrong. */
static void root_of(char *out, size_t size, const char *path)
{
	unsigned char buf[4096];
	char a[4096];
	size_t n, m = 0, i = 0;
	FILE *f = fopen(path, "rb");

	out[0] = 0;
	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	/* UTF-16 markup is ASCII with a zero byte beside each character. */
	bool wide = n >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) ||
			       (buf[0] == 0xFE && buf[1] == 0xFF));
	for (size_t k = 0; k < n; k++)
		if (!wide || buf[k])
			a[m++] = (char)buf[k];
	while (i < m) {
		char *lt = memchr(a + i, '<', m - i);
		if (!lt)
			break;
		i = (size_t)(lt - a) + 1;
		if (i < m && (a[i] == '?' || a[i] == '!'))
			continue; /* declaration, comment, DOCTYPE */
		size_t k = 0;
		while (i + k < m && k + 1 < size &&
		       (a[i + k] == '_' || a[i + k] == '-' || a[i + k] == ':' ||
			(a[i + k] >= 'a' && a[i + k] <= 'z') ||
			(a[i + k] >= 'A' && a[i + k] <= 'Z') ||
			(a[i + k] >= '0' && a[i + k] <= '9')))
			k++;
		memcpy(out, a + i, k);
		out[k] = 0;
		/* A prefixed root (<x:xliff>) is named by its local part. */
		char *colon = strchr(out, ':');
		if (colon)
			memmove(out, colon + 1, strlen(colon));
		break;
	}
}

int hx_tm_import_files(hx_tm *tm, const char *const *paths, size_t npaths,
		       hx_tm_import_stats *stats, hx_tm_progress_cb progress,
		       void *payload, hx_error *err)
{
	char first[32] = "", root[32];

	assert(tm && (paths || !npaths));
	for (size_t i = 0; i < npaths; i++) {
		root_of(root, sizeof(root), paths[i]);
		bool xl = !strcmp(root, "xliff");
		if (i == 0)
			strcpy(first, xl ? "xliff" : "tmx");
		else if (xl != !strcmp(first, "xliff"))
			return hx__error_set(err, HX_EINVAL,
					     "%s is %s and %s is not: import "
					     "TMX and XLIFF files separately",
					     xl ? paths[i] : paths[0], "XLIFF",
					     xl ? paths[0] : paths[i]);
	}
	if (!strcmp(first, "xliff"))
		return hx_tm_import_xliff(tm, paths, npaths, stats, err);
	return hx_tm_import_tmx(tm, paths, npaths, stats, progress, payload,
				err);
}
