/*
 * tm-import-xliff.c - finished translations back into the memory: the
 * segments of an XLIFF (2.x or 1.2, from hexalign or any CAT tool) whose
 * state says a person translated them, stored as units like an aligned
 * TMX's; and the choice between a TMX and an XLIFF import by the files'
 * root element. Reading XLIFF is formats/xliff-read.c's job, storing the
 * batch tm-import.c's.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>
#include <hexalign/tm.h>
#include <hexalign/xliff.h>

#include "base/error-private.h"

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
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
			const char *texts[2] = {s->source, s->target};
			hx_tmx_prop prop = {"x-xliff-state",
					    s->state ? s->state : "approved"};
			if (!s->finished) {
				unfinished++;
				continue;
			}
			if ((rc = hx_tm_batch_add_props(b, langs, texts, 2,
							&prop, 1, err)) < 0) {
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
