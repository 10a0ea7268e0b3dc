/*
 * serve-answer.c - what every route of `hexalign serve` writes and reads:
 * JSON answers and {"error": ...} refusals, request bodies and query
 * arguments, downloads through a temporary file, and the look-up and
 * concordance answers that the pages, the review API and the team
 * memory API share. Not for routing (serve.c, serve-tm.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <hexalign/doc.h>
#include <hexalign/json.h>
#include <hexalign/tm.h>

#include "base/error-private.h"
#include "base/text.h"
#include "formats/json-read.h"
#include "serve/serve-private.h"

bool hx__serve_body_open(struct hx__serve_body *b)
{
	b->buf = NULL, b->len = 0;
	b->f = open_memstream(&b->buf, &b->len);
	return b->f != NULL;
}

/* Close b into rs (the body is taken); 500 when writing failed. */
void hx__serve_body_send(struct hx__serve_body *b, struct hx__http_response *rs,
			 int status, const char *type)
{
	bool bad = ferror(b->f) != 0;
	if (fclose(b->f) != 0 || bad) {
		free(b->buf);
		return; /* rs keeps its "out of memory" 500 */
	}
	rs->status = status, rs->type = type;
	rs->body = b->buf, rs->len = b->len;
}

void hx__serve_body_drop(struct hx__serve_body *b)
{
	fclose(b->f);
	free(b->buf);
}

void hx__serve_fail(struct hx__http_response *rs, int status, const char *fmt,
		    ...)
{
	char msg[600];
	struct hx__serve_body b;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!hx__serve_body_open(&b))
		return;
	fputs("{\"error\": ", b.f);
	hx_json_write_string(b.f, msg, strlen(msg));
	fputs("}\n", b.f);
	hx__serve_body_send(&b, rs, status, "application/json");
}

/* What a library status means to a client. */
static int http_status(int rc)
{
	switch (rc) {
	case HX_EINVAL:
	case HX_EFORMAT:
		return 400;
	case HX_ENOTFOUND:
		return 404;
	case HX_ELIMIT:
		return 413;
	default:
		return 500;
	}
}

void hx__serve_fail_rc(struct hx__http_response *rs, int rc, const hx_error *e)
{
	hx__serve_fail(rs, http_status(rc), "%s",
		       e->message[0] ? e->message : hx_status_str(rc));
}

void hx__serve_json_str(FILE *f, const char *s)
{
	hx_json_write_string(f, s, strlen(s));
}

bool hx__serve_parse_size(size_t *out, const char *s, size_t max)
{
	size_t v = 0;

	if (!s || !*s || strlen(s) > 9)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (size_t)(*s - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* ---- request bodies ---------------------------------------------- */

/* The POST body as a JSON object; false when rs holds the error. */
bool hx__serve_read_body(struct hx__json_object *o,
			 const struct hx__http_request *rq,
			 struct hx__http_response *rs, size_t max_body)
{
	hx_error e;

	if (rq->body_too_large) {
		hx__serve_fail(rs, 413, "the request body is over %zu bytes",
			       max_body);
		return false;
	}
	/* A page elsewhere can post text/plain here without asking (CORS
	 * "simple" request), but not application/json. */
	if (!rq->content_type ||
	    strncasecmp(rq->content_type, "application/json", 16) != 0) {
		hx__serve_fail(rs, 415,
			       "the request body must be application/json");
		return false;
	}
	hx_error_init(&e);
	if (hx__json_object_parse(o, rq->body, rq->body_len, &e) < 0) {
		hx__serve_fail_rc(rs, e.code, &e);
		return false;
	}
	return true;
}

/* Member `key` as a whole number in [0, max]; absent gives def when def
 * is not NULL. false when rs holds the error. */

const char *hx__serve_get_str(const struct hx__json_object *o, const char *key)
{
	const struct hx__json_member *m = hx__json_object_get(o, key);

	if (!m || m->kind != HX__JSON_STRING || strlen(m->str) != m->len)
		return NULL;
	return m->str;
}

/* A reviewer's name as it goes into the units: short, printable. */
bool hx__serve_name_ok(const char *s)
{
	if (strlen(s) > 200)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* The whole file f into rs; false on failure. */
static bool slurp(struct hx__http_response *rs, FILE *f, const char *type)
{
	struct hx__serve_body b;
	char chunk[8192];
	size_t n;

	if (!hx__serve_body_open(&b))
		return false;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, b.f);
	if (ferror(f)) {
		hx__serve_body_drop(&b);
		return false;
	}
	hx__serve_body_send(&b, rs, 200, type);
	return true;
}

bool hx__serve_tmpfile(char *path, size_t size, struct hx__http_response *rs)
{
	const char *tmpdir = getenv("TMPDIR");
	int fd;

	snprintf(path, size, "%s/hexalign-serve-XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		hx__serve_fail(rs, 500, "a temporary file: %s",
			       strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

void hx__serve_send_tmx(struct hx__http_response *rs, const char *path,
			const char *name)
{
	char *disposition = rs->disposition_buf;
	FILE *f = fopen(path, "rb");

	if (!f || !slurp(rs, f, "application/x-tmx+xml; charset=utf-8"))
		hx__serve_fail(rs, 500, "reading the TMX back: %s",
			       strerror(errno));
	if (f)
		fclose(f);
	if (rs->status != 200)
		return;
	/* A file name a browser takes as it is: the name with anything but
	 * [A-Za-z0-9._-] made '_'. */
	size_t n = snprintf(disposition, sizeof(rs->disposition_buf),
			    "attachment; filename=\"");
	for (; *name && n < sizeof(rs->disposition_buf) - 8; name++, n++) {
		char c = *name;
		bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '.' || c == '-';
		disposition[n] = keep ? c : '_';
	}
	snprintf(disposition + n, sizeof(rs->disposition_buf) - n, ".tmx\"");
	rs->disposition = disposition;
}

/* src, tgt and q of a look-up or concordance; false when rs holds the
 * error. */
static bool query_args(const struct hx__http_request *rq,
		       struct hx__http_response *rs, const char **src,
		       const char **tgt, const char **q)
{
	/* source and target as in the rest of /api/tm/, src and tgt as
	 * the pages send them. */
	*src = rq->arg(rq, "source"), *tgt = rq->arg(rq, "target");
	if (!*src)
		*src = rq->arg(rq, "src");
	if (!*tgt)
		*tgt = rq->arg(rq, "tgt");
	*q = rq->arg(rq, "q");
	if (!*src || !*tgt || !*q || !**q) {
		hx__serve_fail(rs, 400, "source, target and q are wanted");
		return false;
	}
	if (!hx__utf8_valid(*q, strlen(*q), NULL)) {
		hx__serve_fail(rs, 400, "q is not UTF-8");
		return false;
	}
	if (!hx_lang_tag_valid(*src) || !hx_lang_tag_valid(*tgt)) {
		hx__serve_fail(rs, 400,
			       "src and tgt want language codes (en, zh, ...)");
		return false;
	}
	return true;
}

/* The JSON lines (one object each) of the results writers as one array;
 * n: how many results there are (without any, the writer's one line says
 * so and is left out). */
static void lines_as_array(FILE *to, const char *lines, size_t len, size_t n)
{
	fputc('[', to);
	for (const char *p = lines, *end = lines + len; n && p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (p != lines)
			fputc(',', to);
		fwrite(p, 1, l, to);
		p += l + 1;
	}
	fputc(']', to);
}

int hx__serve_write_matches(FILE *to, hx_tm *tm, const char *src,
			    const char *tgt, const char *q,
			    const hx_tm_lookup_options *lo, bool concord,
			    hx_error *e)
{
	hx_tm_write_options wo = {true, lo->min_score, -1};
	hx_tm_results *res = NULL;
	struct hx__serve_body lines;
	size_t n;
	int rc;

	rc = concord
		 ? hx_tm_concord(&res, tm, src, tgt, q, strlen(q), lo->max, e)
		 : hx_tm_lookup(&res, tm, src, tgt, q, strlen(q), lo, e);
	if (rc < 0)
		return rc;
	if (!hx__serve_body_open(&lines)) {
		hx_tm_results_free(res);
		return hx__error_set(e, HX_ENOMEM, "out of memory");
	}
	rc = concord
		 ? hx_tm_concord_write(lines.f, res, q, strlen(q), true, e)
		 : hx_tm_results_write(lines.f, res, src, q, strlen(q), &wo, e);
	n = hx_tm_results_count(res);
	hx_tm_results_free(res);
	if (fclose(lines.f) != 0 && rc == HX_OK)
		rc = hx__error_set(e, HX_ENOMEM, "out of memory");
	if (rc == HX_OK)
		lines_as_array(to, lines.buf, lines.len, n);
	free(lines.buf);
	return rc;
}

void hx__serve_search(hx_serve *s, const struct hx__http_request *rq,
		      struct hx__http_response *rs, bool concord)
{
	const char *src, *tgt, *q, *a;
	hx_tm_lookup_options lo;
	struct hx__serve_body b;
	size_t v;
	hx_error e;
	int rc;

	if (!s->tm) {
		hx__serve_fail(rs, 409,
			       "the server has no memory to look up (--db)");
		return;
	}
	if (!query_args(rq, rs, &src, &tgt, &q))
		return;
	hx_tm_lookup_options_init(&lo);
	if (concord)
		lo.max = 50;
	if ((a = rq->arg(rq, "min"))) {
		if (!hx__serve_parse_size(&v, a, 100)) {
			hx__serve_fail(rs, 400, "min wants 0 to 100");
			return;
		}
		lo.min_score = (int)v;
	}
	if ((a = rq->arg(rq, "max"))) {
		if (!hx__serve_parse_size(&v, a, HX__SERVE_MAX_MATCHES) || !v) {
			hx__serve_fail(rs, 400, "max wants 1 to %d",
				       HX__SERVE_MAX_MATCHES);
			return;
		}
		lo.max = v;
	}
	if (!hx__serve_body_open(&b))
		return;
	fputs("{\"query\":", b.f);
	hx__serve_json_str(b.f, q);
	fputs(",\"src\":", b.f);
	hx__serve_json_str(b.f, src);
	fputs(",\"tgt\":", b.f);
	hx__serve_json_str(b.f, tgt);
	fputs(",\"matches\":", b.f);
	hx_error_init(&e);
	if ((rc = hx__serve_write_matches(b.f, s->tm, src, tgt, q, &lo, concord,
					  &e)) < 0) {
		hx__serve_body_drop(&b);
		hx__serve_fail_rc(rs, rc, &e);
		return;
	}
	fputs("}\n", b.f);
	hx__serve_body_send(&b, rs, 200, "application/json");
}

bool hx__serve_method_is(const struct hx__http_request *rq,
			 struct hx__http_response *rs, const char *want)
{
	if (!strcmp(rq->method, want))
		return true;
	rs->allow = want;
	hx__serve_fail(rs, 405, "%s wants %s", rq->path, want);
	return false;
}
