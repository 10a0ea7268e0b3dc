/*
 * serve-tm.c - the team memory API of `hexalign serve` (/api/tm/...:
 * languages, stats, look-ups one at a time and in batches, concordance,
 * units added, a TMX imported from an upload, the memory exported) and
 * the amaGama/tmserver routes (/tmserver/...) that Weblate and
 * Virtaal-style clients call. Every answer is JSON but the export; every
 * error a 4xx/5xx with {"error": "..."} that leaves the memory as it was.
 * Not for who may call what (serve.c checks tokens before routing here)
 * nor for the transport (http-mhd.c).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hexalign/doc.h>
#include <hexalign/json.h>
#include <hexalign/tm.h>

#include "base/error-private.h"
#include "base/text.h"
#include "serve/serve-private.h"

/* The most segments in one batch look-up, and units in one POST. */
#define MAX_BATCH 1000
#define MAX_UNITS 10000
/* amaGama and Translate Toolkit's tmserver (tmdb.py) defaults. */
#define TMSERVER_MIN 75
#define TMSERVER_MAX 3

static bool have_tm(const hx_serve *s, struct hx__http_response *rs)
{
	if (s->tm)
		return true;
	hx__serve_fail(rs, 409, "the server has no memory (--db)");
	return false;
}

/* A number member in [lo, hi], def when absent; false when rs holds the
 * error. */
static bool get_num(size_t *out, const struct hx__json_object *o,
		    const char *key, size_t def, size_t lo, size_t hi,
		    struct hx__http_response *rs)
{
	const struct hx__json_member *m = hx__json_object_get(o, key);

	if (!m) {
		*out = def;
		return true;
	}
	if (m->kind != HX__JSON_NUMBER || m->num != floor(m->num) ||
	    m->num < (double)lo || m->num > (double)hi) {
		hx__serve_fail(rs, 400,
			       "\"%s\": want a whole number %zu to %zu", key,
			       lo, hi);
		return false;
	}
	*out = (size_t)m->num;
	return true;
}

/* A language code member; false when rs holds the error. */
static bool get_lang(const char **out, const struct hx__json_object *o,
		     const char *key, struct hx__http_response *rs)
{
	*out = hx__serve_get_str(o, key);
	if (*out && hx_lang_tag_valid(*out))
		return true;
	hx__serve_fail(rs, 400, "\"%s\": want a language code (en, zh, ...)",
		       key);
	return false;
}

/* The array member key, parsed; n at most max (413 beyond). false when
 * rs holds the error. */
static bool get_array(struct hx__json_object *a,
		      const struct hx__json_object *o, const char *key,
		      size_t max, struct hx__http_response *rs)
{
	const struct hx__json_member *m = hx__json_object_get(o, key);
	hx_error e;

	if (!m || m->kind != HX__JSON_NESTED || m->raw[0] != '[') {
		hx__serve_fail(rs, 400, "\"%s\": missing or not an array", key);
		return false;
	}
	hx_error_init(&e);
	if (hx__json_array_parse(a, m->raw, m->raw_len, &e) < 0) {
		hx__serve_fail_rc(rs, e.code, &e);
		return false;
	}
	if (a->n > max) {
		hx__serve_fail(rs, 413,
			       "\"%s\": %zu of them, over the %zu a "
			       "request may hold",
			       key, a->n, max);
		hx__json_object_free(a);
		return false;
	}
	return true;
}

/* ---- reads ------------------------------------------------------- */

static bool stats(hx_tm_stats *st, hx_serve *s, struct hx__http_response *rs)
{
	hx_error e;
	int rc;

	hx_error_init(&e);
	if ((rc = hx_tm_stats_get(st, s->tm, &e)) < 0) {
		hx__serve_fail_rc(rs, rc, &e);
		return false;
	}
	return true;
}

static void api_languages(hx_serve *s, struct hx__http_response *rs)
{
	struct hx__serve_body b;
	hx_tm_stats st;

	if (!have_tm(s, rs) || !stats(&st, s, rs) || !hx__serve_body_open(&b))
		return;
	fputs("{\"languages\":[", b.f);
	for (size_t i = 0; i < st.nlangs; i++) {
		fputs(i ? ",{\"code\":" : "{\"code\":", b.f);
		hx__serve_json_str(b.f, st.langs[i]);
		fprintf(b.f, ",\"segments\":%zu}", st.per_lang[i]);
	}
	fputs("]}\n", b.f);
	hx__serve_body_send(&b, rs, 200, "application/json");
}

static void api_stats(hx_serve *s, struct hx__http_response *rs)
{
	struct hx__serve_body b;
	hx_tm_stats st;

	if (!have_tm(s, rs) || !stats(&st, s, rs) || !hx__serve_body_open(&b))
		return;
	fprintf(b.f, "{\"units\":%zu,\"segments\":%zu,\"languages\":{",
		st.units, st.segments);
	for (size_t i = 0; i < st.nlangs; i++) {
		if (i)
			fputc(',', b.f);
		hx__serve_json_str(b.f, st.langs[i]);
		fprintf(b.f, ":%zu", st.per_lang[i]);
	}
	fprintf(b.f, "},\"file_bytes\":%lld,\"schema_version\":%d}\n",
		(long long)st.file_bytes, st.schema_version);
	hx__serve_body_send(&b, rs, 200, "application/json");
}

/* POST /api/tm/lookup: {"source", "target", "segments": [...], "min",
 * "max"} -> {"source", "target", "results": [[match...] per segment]}. */
static void api_batch(hx_serve *s, const struct hx__http_request *rq,
		      struct hx__http_response *rs)
{
	struct hx__json_object o, a = {0};
	hx_tm_lookup_options lo;
	const char *src, *tgt;
	struct hx__serve_body b;
	size_t min, max;
	hx_error e;
	int rc;

	if (!have_tm(s, rs) || !hx__serve_read_body(&o, rq, rs, s->max_body))
		return;
	hx_tm_lookup_options_init(&lo);
	if (!get_lang(&src, &o, "source", rs) ||
	    !get_lang(&tgt, &o, "target", rs) ||
	    !get_num(&min, &o, "min", (size_t)lo.min_score, 0, 100, rs) ||
	    !get_num(&max, &o, "max", lo.max, 1, HX__SERVE_MAX_MATCHES, rs) ||
	    !get_array(&a, &o, "segments", MAX_BATCH, rs))
		goto done;
	lo.min_score = (int)min, lo.max = max;
	for (size_t i = 0; i < a.n; i++)
		if (a.m[i].kind != HX__JSON_STRING || !a.m[i].len ||
		    strlen(a.m[i].str) != a.m[i].len) {
			hx__serve_fail(rs, 400,
				       "\"segments\"[%zu]: want a string, not "
				       "empty, without U+0000",
				       i);
			goto done;
		}
	if (!hx__serve_body_open(&b))
		goto done;
	fputs("{\"source\":", b.f);
	hx__serve_json_str(b.f, src);
	fputs(",\"target\":", b.f);
	hx__serve_json_str(b.f, tgt);
	fputs(",\"results\":[", b.f);
	hx_error_init(&e);
	for (size_t i = 0; i < a.n; i++) {
		if (i)
			fputc(',', b.f);
		rc = hx__serve_write_matches(b.f, s->tm, src, tgt, a.m[i].str,
					     &lo, false, &e);
		if (rc < 0) {
			hx__serve_body_drop(&b);
			hx__serve_fail_rc(rs, rc, &e);
			goto done;
		}
	}
	fputs("]}\n", b.f);
	hx__serve_body_send(&b, rs, 200, "application/json");
done:
	hx__json_object_free(&a);
	hx__json_object_free(&o);
}

static void api_export(hx_serve *s, const struct hx__http_request *rq,
		       struct hx__http_response *rs)
{
	const char *src = rq->arg(rq, "source"), *tgt = rq->arg(rq, "target");
	char path[4096], name[64];
	size_t units;
	hx_error e;
	int rc;

	if (!have_tm(s, rs))
		return;
	if (!src != !tgt ||
	    (src && (!hx_lang_tag_valid(src) || !hx_lang_tag_valid(tgt)))) {
		hx__serve_fail(rs, 400,
			       "source and target: both language codes, or "
			       "neither for every language");
		return;
	}
	if (!hx__serve_tmpfile(path, sizeof(path), rs))
		return;
	hx_error_init(&e);
	if ((rc = hx_tm_export_tmx(s->tm, path, src, tgt, &units, &e)) < 0) {
		hx__serve_fail_rc(rs, rc, &e);
	} else {
		snprintf(name, sizeof(name),
			 src ? "memory-%.16s-%.16s" : "memory", src, tgt);
		hx__serve_send_tmx(rs, path, name);
	}
	unlink(path);
}

/* ---- writes ------------------------------------------------------ */

/* One unit {"en": "...", "zh": "..."} into the batch; false when rs
 * holds the error. */
static bool add_unit(hx_tm_batch *batch, const struct hx__json_member *u,
		     size_t i, struct hx__http_response *rs)
{
	struct hx__json_object o;
	const char *langs[16], *texts[16];
	hx_error e;
	bool ok = false;
	int rc;

	hx_error_init(&e);
	if (u->kind != HX__JSON_NESTED || u->raw[0] != '{' ||
	    hx__json_object_parse(&o, u->raw, u->raw_len, &e) < 0) {
		hx__serve_fail(rs, 400,
			       "\"units\"[%zu]: want an object "
			       "{\"LANG\": \"TEXT\", ...}",
			       i);
		return false;
	}
	if (o.n < 2 || o.n > 16) {
		hx__serve_fail(rs, 400,
			       "\"units\"[%zu]: want 2 to 16 languages", i);
		goto done;
	}
	for (size_t k = 0; k < o.n; k++) {
		const struct hx__json_member *m = &o.m[k];
		if (!hx_lang_tag_valid(m->key) || m->kind != HX__JSON_STRING ||
		    strlen(m->str) != m->len) {
			hx__serve_fail(rs, 400,
				       "\"units\"[%zu]: \"%.40s\": want a "
				       "language code and a string without "
				       "U+0000",
				       i, m->key);
			goto done;
		}
		langs[k] = m->key, texts[k] = m->str;
	}
	if ((rc = hx_tm_batch_add(batch, langs, texts, o.n, &e)) < 0) {
		hx__serve_fail(rs, rc == HX_EINVAL ? 400 : 500,
			       "\"units\"[%zu]: %s", i, e.message);
		goto done;
	}
	ok = true;
done:
	hx__json_object_free(&o);
	return ok;
}

static void stats_reply(struct hx__http_response *rs, const char *origin,
			const hx_tm_import_stats *st)
{
	struct hx__serve_body b;

	if (!hx__serve_body_open(&b))
		return;
	fputs("{\"origin\":", b.f);
	hx__serve_json_str(b.f, origin);
	fprintf(b.f,
		",\"units\":%zu,\"added\":%zu,\"duplicates\":%zu,"
		"\"skipped\":%zu,\"segments\":%zu}\n",
		st->units_read, st->added, st->duplicates, st->skipped,
		st->segments);
	hx__serve_body_send(&b, rs, 200, "application/json");
}

/* POST /api/tm/units: {"origin", "units": [{"en": .., "zh": ..}, ...]}
 * in one batch: all or nothing. */
static void api_units(hx_serve *s, const struct hx__http_request *rq,
		      struct hx__http_response *rs)
{
	struct hx__json_object o, a = {0};
	hx_tm_import_stats st = {0};
	hx_tm_batch *batch = NULL;
	const char *origin;
	hx_error e;
	int rc;

	if (!have_tm(s, rs) || !hx__serve_read_body(&o, rq, rs, s->max_body))
		return;
	origin = hx__serve_get_str(&o, "origin");
	if (!hx__json_object_get(&o, "origin"))
		origin = "api";
	if (!origin || !*origin || !hx__serve_name_ok(origin)) {
		hx__serve_fail(rs, 400,
			       "\"origin\": want a name of 1 to 200 bytes, no "
			       "control characters");
		goto done;
	}
	if (!get_array(&a, &o, "units", MAX_UNITS, rs))
		goto done;
	hx_error_init(&e);
	if ((rc = hx_tm_batch_begin(&batch, s->tm, origin, &e)) < 0) {
		hx__serve_fail_rc(rs, rc, &e);
		goto done;
	}
	for (size_t i = 0; i < a.n; i++)
		if (!add_unit(batch, &a.m[i], i, rs))
			goto done;
	rc = hx_tm_batch_commit(batch, &st, &e);
	batch = NULL; /* committed or not, it is gone */
	if (rc < 0) {
		hx__serve_fail_rc(rs, rc, &e);
		goto done;
	}
	st.units_read = a.n;
	stats_reply(rs, origin, &st);
done:
	hx_tm_batch_free(batch);
	hx__json_object_free(&a);
	hx__json_object_free(&o);
}

/* An origin from the query as a file name (the import names the units
 * after their file): no '/', nothing hidden. */
static bool origin_ok(const char *s)
{
	return *s && *s != '.' && !strchr(s, '/') && hx__serve_name_ok(s);
}

/* POST /api/tm/import?origin=NAME: the body, a TMX, is in a file of its
 * own already (http-mhd.c streamed it there). */
static void api_import(hx_serve *s, const struct hx__http_request *rq,
		       struct hx__http_response *rs)
{
	const char *origin = rq->arg(rq, "origin");
	hx_tm_import_stats st;
	char path[4400], *msg;
	size_t dirlen;
	hx_error e;
	int rc;

	if (!have_tm(s, rs))
		return;
	if (rq->body_too_large) {
		hx__serve_fail(rs, 413, "the upload is over %zu bytes",
			       s->max_upload);
		return;
	}
	if (!rq->body_path || !rq->body_len) {
		hx__serve_fail(rs, 400, "the body is empty: send the TMX");
		return;
	}
	if (!origin)
		origin = "upload.tmx";
	if (!origin_ok(origin)) {
		hx__serve_fail(rs, 400,
			       "origin: a file name of at most 200 bytes, no "
			       "'/', no control characters, not starting "
			       "with '.'");
		return;
	}
	dirlen = (size_t)(strrchr(rq->body_path, '/') - rq->body_path);
	snprintf(path, sizeof(path), "%.*s/%s", (int)dirlen, rq->body_path,
		 origin);
	if (rename(rq->body_path, path) != 0) {
		hx__serve_fail(rs, 500, "the upload: %s", strerror(errno));
		return;
	}
	hx_error_init(&e);
	if ((rc = hx_tm_import_tmx(s->tm, (const char *const[]){path}, 1, &st,
				   NULL, NULL, &e)) < 0) {
		/* "FILE:LINE: what" with the file as the client named it,
		 * not where the server put it. */
		msg = e.message;
		if (!strncmp(msg, path, dirlen + 1))
			memmove(msg, msg + dirlen + 1,
				strlen(msg + dirlen + 1) + 1);
		hx__serve_fail_rc(rs, rc, &e);
		return;
	}
	stats_reply(rs, origin, &st);
}

/* ---- tmserver / amaGama ------------------------------------------ */

/* A language code as Weblate sends it ("zh_Hans", "pt_BR") as a tag
 * ("zh-Hans"), which the memory matches as hx_tm_lookup() does. */
static bool tmserver_lang(char *buf, size_t size, const char *s, size_t n)
{
	if (!n || n >= size)
		return false;
	for (size_t i = 0; i < n; i++)
		buf[i] = s[i] == '_' ? '-' : s[i];
	buf[n] = '\0';
	return hx_lang_tag_valid(buf);
}

static void tmserver_languages(hx_serve *s, struct hx__http_response *rs)
{
	struct hx__serve_body b;
	hx_tm_stats st;

	if (!have_tm(s, rs) || !stats(&st, s, rs) || !hx__serve_body_open(&b))
		return;
	/* Units hold any number of languages: each is a source and a target
	 * to every other. */
	for (int list = 0; list < 2; list++) {
		fputs(list ? "],\"targetLanguages\":["
			   : "{\"sourceLanguages\":[",
		      b.f);
		for (size_t i = 0; i < st.nlangs; i++) {
			if (i)
				fputc(',', b.f);
			hx__serve_json_str(b.f, st.langs[i]);
		}
	}
	fputs("]}\n", b.f);
	hx__serve_body_send(&b, rs, 200, "application/json");
}

/* A query argument as a number in [lo, hi], def when absent. */
static bool arg_num(size_t *out, const struct hx__http_request *rq,
		    const char *name, size_t def, size_t lo, size_t hi,
		    struct hx__http_response *rs)
{
	const char *a = rq->arg(rq, name);

	*out = def;
	if (!a)
		return true;
	if (hx__serve_parse_size(out, a, hi) && *out >= lo)
		return true;
	hx__serve_fail(rs, 400, "%s wants %zu to %zu", name, lo, hi);
	return false;
}

/* GET /tmserver/SRC/TGT/unit/TEXT: the matches as Translate Toolkit's
 * tmserver answers them, a list of {source, target, quality, rank}. */
static void tmserver_unit(hx_serve *s, const struct hx__http_request *rq,
			  struct hx__http_response *rs, const char *rest)
{
	char src[32], tgt[32];
	size_t n1 = strcspn(rest, "/"), n2, min, max;
	const char *text;
	hx_tm_lookup_options lo;
	hx_tm_results *res = NULL;
	struct hx__serve_body b;
	hx_error e;
	int rc;

	n2 = rest[n1] ? strcspn(rest + n1 + 1, "/") : 0;
	text = rest + n1 + 1 + n2;
	if (!rest[n1] || strncmp(text, "/unit/", 6)) {
		hx__serve_fail(rs, 404, "no such route: %.200s", rq->path);
		return;
	}
	text += 6;
	if (!tmserver_lang(src, sizeof(src), rest, n1) ||
	    !tmserver_lang(tgt, sizeof(tgt), rest + n1 + 1, n2)) {
		hx__serve_fail(rs, 400,
			       "want language codes (en, zh_Hans, "
			       "pt_BR, zh-CN, ...)");
		return;
	}
	if (!*text || !hx__utf8_valid(text, strlen(text), NULL)) {
		hx__serve_fail(rs, 400, "the text: empty or not UTF-8");
		return;
	}
	if (!have_tm(s, rs) ||
	    !arg_num(&min, rq, "min_similarity", TMSERVER_MIN, 0, 100, rs) ||
	    !arg_num(&max, rq, "max_candidates", TMSERVER_MAX, 1,
		     HX__SERVE_MAX_MATCHES, rs))
		return;
	hx_tm_lookup_options_init(&lo);
	lo.min_score = (int)min, lo.max = max;
	hx_error_init(&e);
	rc = hx_tm_lookup(&res, s->tm, src, tgt, text, strlen(text), &lo, &e);
	if (rc < 0) {
		hx__serve_fail_rc(rs, rc, &e);
		return;
	}
	if (!hx__serve_body_open(&b)) {
		hx_tm_results_free(res);
		return;
	}
	fputc('[', b.f);
	for (size_t i = 0; i < hx_tm_results_count(res); i++) {
		const hx_tm_match *m = hx_tm_results_get(res, i);
		fputs(i ? ",{\"source\":" : "{\"source\":", b.f);
		hx__serve_json_str(b.f, m->source);
		fputs(",\"target\":", b.f);
		hx__serve_json_str(b.f, m->target);
		fprintf(b.f, ",\"quality\":%d,\"rank\":%zu}", m->score, i + 1);
	}
	fputs("]\n", b.f);
	hx_tm_results_free(res);
	hx__serve_body_send(&b, rs, 200, "application/json");
}

/* ---- routing ----------------------------------------------------- */

bool hx__serve_tm_is_write(const struct hx__http_request *rq)
{
	return !strcmp(rq->method, "POST") &&
	       (!strcmp(rq->path, "/api/tm/units") ||
		!strcmp(rq->path, "/api/tm/import"));
}

enum hx__http_body hx__serve_tm_body_to(const hx_serve *s,
					const struct hx__http_request *rq)
{
	if (!strcmp(rq->method, "POST") && !strcmp(rq->path, "/api/tm/import"))
		return HX__HTTP_BODY_FILE;
	return HX__HTTP_BODY_MEMORY;
}

bool hx__serve_tm_route(hx_serve *s, const struct hx__http_request *rq,
			struct hx__http_response *rs)
{
	const char *p = rq->path;
	bool get = !strcmp(rq->method, "GET");

	if (!strncmp(p, "/tmserver/", 10)) {
		if (hx__serve_method_is(rq, rs, "GET")) {
			if (!strcmp(p + 10, "languages/") ||
			    !strcmp(p + 10, "languages"))
				tmserver_languages(s, rs);
			else
				tmserver_unit(s, rq, rs, p + 10);
		}
		return true;
	}
	if (strncmp(p, "/api/tm/", 8))
		return false;
	p += 8;
	if (!strcmp(p, "lookup")) {
		if (get)
			hx__serve_search(s, rq, rs, false);
		else if (hx__serve_method_is(rq, rs, "POST"))
			api_batch(s, rq, rs);
		if (!get && strcmp(rq->method, "POST"))
			rs->allow = "GET, POST";
	} else if (!strcmp(p, "concord")) {
		if (hx__serve_method_is(rq, rs, "GET"))
			hx__serve_search(s, rq, rs, true);
	} else if (!strcmp(p, "languages")) {
		if (hx__serve_method_is(rq, rs, "GET"))
			api_languages(s, rs);
	} else if (!strcmp(p, "stats")) {
		if (hx__serve_method_is(rq, rs, "GET"))
			api_stats(s, rs);
	} else if (!strcmp(p, "export")) {
		if (hx__serve_method_is(rq, rs, "GET"))
			api_export(s, rq, rs);
	} else if (!strcmp(p, "units")) {
		if (hx__serve_method_is(rq, rs, "POST"))
			api_units(s, rq, rs);
	} else if (!strcmp(p, "import")) {
		if (hx__serve_method_is(rq, rs, "POST"))
			api_import(s, rq, rs);
	} else {
		hx__serve_fail(rs, 404, "no such route: %.200s", rq->path);
	}
	return true;
}
