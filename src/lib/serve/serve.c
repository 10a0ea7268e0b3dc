/*
 * serve.c - what `hexalign serve` answers: the JSON API over a memory
 * and its open reviews (documents, reviews and their edits, save, TMX,
 * look-up, concordance) and the pages built into the library. Every
 * error is a 4xx/5xx with {"error": "..."} and changes nothing. Not the
 * HTTP transport (http-mhd.c) nor the review logic (review.h).
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <hexalign/doc.h>
#include <hexalign/json.h>
#include <hexalign/review.h>
#include <hexalign/serve.h>
#include <hexalign/tm.h>

#include "base/error-private.h"
#include "base/text.h"
#include "formats/json-read.h"
#include "serve/http.h"

/* The pages, compiled in by gen-embed.py (meson.build). */
extern const unsigned char hx__page_index[], hx__page_review[],
    hx__page_search[], hx__page_style[], hx__page_common[];
extern const size_t hx__page_index_len, hx__page_review_len,
    hx__page_search_len, hx__page_style_len, hx__page_common_len;

struct open_review {
	size_t id;
	hx_review *r;
};

struct hx_serve {
	hx_tm *tm;
	size_t max_body, max_reviews;
	char addr[64];
	unsigned port;
	char url[96];
	struct open_review *rv;
	size_t nrv, next_id;
	struct hx__http *http;
	/* The TMX download's Content-Disposition, until it is sent: requests
	 * are answered one at a time. */
	char disposition[160];
};

/* A response body as it is written. */
struct body {
	FILE *f;
	char *buf;
	size_t len;
};

static bool body_open(struct body *b)
{
	b->buf = NULL, b->len = 0;
	b->f = open_memstream(&b->buf, &b->len);
	return b->f != NULL;
}

/* Close b into rs (the body is taken); 500 when writing failed. */
static void body_send(struct body *b, struct hx__http_response *rs, int status,
		      const char *type)
{
	bool bad = ferror(b->f) != 0;
	if (fclose(b->f) != 0 || bad) {
		free(b->buf);
		return; /* rs keeps its "out of memory" 500 */
	}
	rs->status = status, rs->type = type;
	rs->body = b->buf, rs->len = b->len;
}

static void fail(struct hx__http_response *rs, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct hx__http_response *rs, int status, const char *fmt, ...)
{
	char msg[600];
	struct body b;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!body_open(&b))
		return;
	fputs("{\"error\": ", b.f);
	hx_json_write_string(b.f, msg, strlen(msg));
	fputs("}\n", b.f);
	body_send(&b, rs, status, "application/json");
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

static void fail_rc(struct hx__http_response *rs, int rc, const hx_error *e)
{
	fail(rs, http_status(rc), "%s",
	     e->message[0] ? e->message : hx_status_str(rc));
}

static void json_str(FILE *f, const char *s)
{
	hx_json_write_string(f, s, strlen(s));
}

/* A whole number 0 <= n <= max from text (a query argument). */
static bool parse_size(size_t *out, const char *s, size_t max)
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

static struct open_review *find_review(hx_serve *s, const char *id)
{
	size_t n;

	if (!parse_size(&n, id, (size_t)-1))
		return NULL;
	for (size_t i = 0; i < s->nrv; i++)
		if (s->rv[i].id == n)
			return &s->rv[i];
	return NULL;
}

static int add_review(size_t *id, hx_serve *s, hx_review *r, hx_error *err)
{
	if (s->nrv >= s->max_reviews) {
		hx_review_free(r);
		return hx__error_set(err, HX_ELIMIT,
				     "%zu reviews are open, the most the "
				     "server keeps",
				     s->nrv);
	}
	if (!s->rv && !(s->rv = calloc(s->max_reviews, sizeof(*s->rv)))) {
		hx_review_free(r);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	s->rv[s->nrv].id = s->next_id++;
	s->rv[s->nrv].r = r;
	if (id)
		*id = s->rv[s->nrv].id;
	s->nrv++;
	return HX_OK;
}

/* ---- request bodies ---------------------------------------------- */

/* The POST body as a JSON object; false when rs holds the error. */
static bool read_body(struct hx__json_object *o,
		      const struct hx__http_request *rq,
		      struct hx__http_response *rs, size_t max_body)
{
	hx_error e;

	if (rq->body_too_large) {
		fail(rs, 413, "the request body is over %zu bytes", max_body);
		return false;
	}
	/* A page elsewhere can post text/plain here without asking (CORS
	 * "simple" request), but not application/json. */
	if (!rq->content_type ||
	    strncasecmp(rq->content_type, "application/json", 16) != 0) {
		fail(rs, 415, "the request body must be application/json");
		return false;
	}
	hx_error_init(&e);
	if (hx__json_object_parse(o, rq->body, rq->body_len, &e) < 0) {
		fail_rc(rs, e.code, &e);
		return false;
	}
	return true;
}

/* Member `key` as a whole number in [0, max]; absent gives def when def
 * is not NULL. false when rs holds the error. */
static bool get_index(size_t *out, const struct hx__json_object *o,
		      const char *key, const size_t *def, size_t max,
		      struct hx__http_response *rs)
{
	const struct hx__json_member *m = hx__json_object_get(o, key);

	if (!m && def) {
		*out = *def;
		return true;
	}
	if (!m || m->kind != HX__JSON_NUMBER || !(m->num >= 0) ||
	    m->num != floor(m->num) || m->num > (double)max) {
		fail(rs, 400, "\"%s\": %s", key,
		     m ? "want a whole number in range" : "missing");
		return false;
	}
	*out = (size_t)m->num;
	return true;
}

/* A string member (no U+0000 in it); NULL when absent or not one. */
static const char *get_str(const struct hx__json_object *o, const char *key)
{
	const struct hx__json_member *m = hx__json_object_get(o, key);

	if (!m || m->kind != HX__JSON_STRING || strlen(m->str) != m->len)
		return NULL;
	return m->str;
}

/* Member "lang": an index into the review's languages or a code. */
static bool get_lang(size_t *k, const struct hx__json_object *o,
		     const hx_review *r, struct hx__http_response *rs)
{
	size_t n = hx_review_lang_count(r);
	const char *code = get_str(o, "lang");

	if (code) {
		for (size_t i = 0; i < n; i++)
			if (!strcmp(hx_review_get_lang(r, i), code)) {
				*k = i;
				return true;
			}
		fail(rs, 400, "\"lang\": the review has no language '%.40s'",
		     code);
		return false;
	}
	return get_index(k, o, "lang", NULL, n ? n - 1 : 0, rs);
}

/* ---- the API ----------------------------------------------------- */

struct origins {
	FILE *f;
	size_t n;
};

static int origin_item(void *payload, const char *origin, size_t units)
{
	struct origins *o = payload;

	fputs(o->n++ ? ",{\"name\":" : "{\"name\":", o->f);
	json_str(o->f, origin);
	fprintf(o->f, ",\"units\":%zu}", units);
	return 0;
}

static void api_documents(hx_serve *s, struct hx__http_response *rs)
{
	struct origins o = {NULL, 0};
	struct body b;
	hx_error e;
	int rc;

	if (!body_open(&b))
		return;
	o.f = b.f;
	fputs("{\"documents\":[", b.f);
	hx_error_init(&e);
	if (s->tm && (rc = hx_tm_origins(s->tm, origin_item, &o, &e)) < 0) {
		fclose(b.f);
		free(b.buf);
		fail_rc(rs, rc, &e);
		return;
	}
	fputs("],\"open\":[", b.f);
	for (size_t i = 0; i < s->nrv; i++) {
		const hx_review *r = s->rv[i].r;
		fprintf(b.f, "%s{\"id\":\"%zu\",\"name\":", i ? "," : "",
			s->rv[i].id);
		json_str(b.f, hx_review_get_name(r));
		fprintf(b.f, ",\"rows\":%zu,\"modified\":%s}",
			hx_review_row_count(r),
			hx_review_is_modified(r) ? "true" : "false");
	}
	fprintf(b.f, "],\"memory\":%s}\n", s->tm ? "true" : "false");
	body_send(&b, rs, 200, "application/json");
}

static void open_reply(struct hx__http_response *rs, size_t id,
		       const hx_review *r, int status)
{
	struct body b;

	if (!body_open(&b))
		return;
	fprintf(b.f, "{\"id\":\"%zu\",\"name\":", id);
	json_str(b.f, hx_review_get_name(r));
	fprintf(b.f, ",\"rows\":%zu}\n", hx_review_row_count(r));
	body_send(&b, rs, status, "application/json");
}

static void api_open(hx_serve *s, const struct hx__json_object *o,
		     struct hx__http_response *rs)
{
	const char *name = get_str(o, "document");
	hx_review *r = NULL;
	hx_error e;
	size_t id;
	int rc;

	if (!name) {
		fail(rs, 400, "\"document\": missing or not a string");
		return;
	}
	/* One review per document: two would overwrite each other's save. */
	for (size_t i = 0; i < s->nrv; i++)
		if (!strcmp(hx_review_get_name(s->rv[i].r), name)) {
			open_reply(rs, s->rv[i].id, s->rv[i].r, 200);
			return;
		}
	if (!s->tm) {
		fail(rs, 409, "the server has no memory to load from (--db)");
		return;
	}
	if (s->nrv >= s->max_reviews) {
		fail(rs, 503, "%zu reviews are open, the most the server keeps",
		     s->nrv);
		return;
	}
	hx_error_init(&e);
	if ((rc = hx_review_load(&r, s->tm, name, &e)) < 0) {
		fail_rc(rs, rc, &e);
		return;
	}
	if ((rc = add_review(&id, s, r, &e)) < 0) {
		fail_rc(rs, rc, &e);
		return;
	}
	open_reply(rs, id, r, 201);
}

static void review_json(struct hx__http_response *rs, const hx_review *r,
			size_t first, size_t max)
{
	struct body b;
	hx_error e;
	int rc;

	if (!body_open(&b))
		return;
	hx_error_init(&e);
	if ((rc = hx_review_write_json(b.f, r, first, max, &e)) < 0) {
		fclose(b.f);
		free(b.buf);
		fail_rc(rs, rc, &e);
		return;
	}
	body_send(&b, rs, 200, "application/json");
}

static void api_review(const struct hx__http_request *rq,
		       struct open_review *orv, struct hx__http_response *rs)
{
	const char *first = rq->arg(rq, "first"), *max = rq->arg(rq, "max");
	size_t f = 0, m = 0;

	if ((first && !parse_size(&f, first, (size_t)-1)) ||
	    (max && !parse_size(&m, max, (size_t)-1))) {
		fail(rs, 400, "first and max want whole numbers");
		return;
	}
	review_json(rs, orv->r, f, m);
}

/* split's other languages: "at_LANG": S for each that moves too. */
static bool split_points(size_t *at, const struct hx__json_object *o,
			 const hx_review *r, size_t row, size_t k,
			 struct hx__http_response *rs)
{
	for (size_t j = 0; j < hx_review_lang_count(r); j++) {
		char key[40];
		size_t n = hx_review_sentence_count(r, row, j);
		snprintf(key, sizeof(key), "at_%s", hx_review_get_lang(r, j));
		at[j] = n; /* absent: all stay in the row */
		if (j != k && !get_index(&at[j], o, key, &n, n, rs))
			return false;
	}
	return true;
}

static void api_op(struct open_review *orv, const struct hx__json_object *o,
		   struct hx__http_response *rs)
{
	hx_review *r = orv->r;
	const char *op = get_str(o, "op");
	size_t nrows = hx_review_row_count(r), row = 0, k = 0, at = 0;
	size_t *points = NULL;
	hx_error e;
	int rc;

	hx_error_init(&e);
	if (!op) {
		fail(rs, 400, "\"op\": missing or not a string");
		return;
	}
	if (!strcmp(op, "undo")) {
		if ((rc = hx_review_undo(r, &e)) == HX_ENOTFOUND) {
			fail(rs, 409, "nothing to undo");
			return;
		}
		goto done;
	}
	if (!nrows) {
		fail(rs, 400, "the review has no rows");
		return;
	}
	if (!get_index(&row, o, "row", NULL, nrows - 1, rs))
		return;
	if (!strcmp(op, "join")) {
		rc = hx_review_join(r, row, &e);
	} else if (!strcmp(op, "confirm")) {
		const struct hx__json_member *on = hx__json_object_get(o, "on");
		if (on && on->kind != HX__JSON_BOOL) {
			fail(rs, 400, "\"on\": want true or false");
			return;
		}
		rc = hx_review_confirm(r, row, on ? on->b : true, &e);
	} else if (!strcmp(op, "split") || !strcmp(op, "move") ||
		   !strcmp(op, "edit")) {
		if (!get_lang(&k, o, r, rs))
			return;
		if (!strcmp(op, "split")) {
			size_t n = hx_review_sentence_count(r, row, k);
			if (!get_index(&at, o, "at", NULL, n, rs))
				return;
			points = calloc(hx_review_lang_count(r) + 1,
					sizeof(*points));
			if (!points) {
				fail(rs, 500, "out of memory");
				return;
			}
			if (!split_points(points, o, r, row, k, rs)) {
				free(points);
				return;
			}
			rc = hx_review_split(r, row, k, at, points, &e);
			free(points);
		} else if (!strcmp(op, "move")) {
			const struct hx__json_member *d =
			    hx__json_object_get(o, "dir");
			if (!d || d->kind != HX__JSON_NUMBER ||
			    (d->num != 1 && d->num != -1)) {
				fail(rs, 400, "\"dir\": want -1 or 1");
				return;
			}
			rc = hx_review_move(r, row, k, d->num < 0 ? -1 : 1, &e);
		} else {
			const char *text = get_str(o, "text");
			if (!text) {
				fail(rs, 400,
				     "\"text\": missing, not a string "
				     "or holding U+0000");
				return;
			}
			rc = hx_review_edit(r, row, k, text, &e);
		}
	} else {
		fail(rs, 400,
		     "\"op\": '%.40s' is none of join, split, move, edit, "
		     "confirm, undo",
		     op);
		return;
	}
done:
	if (rc < 0) {
		/* An edit the review refuses is the client's mistake. */
		fail(rs, rc == HX_ENOMEM ? 500 : 400, "%s",
		     e.message[0] ? e.message : hx_status_str(rc));
		return;
	}
	review_json(rs, r, 0, 0);
}

/* A reviewer's name as it goes into the units: short, printable. */
static bool reviewer_ok(const char *s)
{
	if (strlen(s) > 200)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static void api_save(hx_serve *s, struct open_review *orv,
		     const struct hx__json_object *o,
		     struct hx__http_response *rs)
{
	const struct hx__json_member *rm = hx__json_object_get(o, "reviewer");
	hx_review_save_options so;
	hx_review_save_stats st = {0};
	struct body b;
	hx_error e;
	int rc;

	/* A path from the network would let any client write any file the
	 * server may: the TMX is a download instead. */
	if (hx__json_object_get(o, "tmx")) {
		fail(rs, 400,
		     "\"tmx\": the server writes no file a client "
		     "names; GET /api/reviews/ID/tmx downloads it");
		return;
	}
	hx_review_save_options_init(&so);
	if (rm && rm->kind != HX__JSON_NULL) {
		so.reviewer = get_str(o, "reviewer");
		if (!so.reviewer || !reviewer_ok(so.reviewer)) {
			fail(rs, 400,
			     "\"reviewer\": want a name of at most "
			     "200 bytes, no control characters");
			return;
		}
		if (!*so.reviewer)
			so.reviewer = NULL;
	}
	if (!s->tm) {
		fail(rs, 409,
		     "the server has no memory to save into (--db); "
		     "download the TMX instead");
		return;
	}
	hx_error_init(&e);
	if ((rc = hx_review_save(&st, orv->r, s->tm, &so, &e)) < 0) {
		fail_rc(rs, rc, &e);
		return;
	}
	if (!body_open(&b))
		return;
	fprintf(b.f, "{\"removed\":%zu,\"added\":%zu,\"confirmed\":%zu}\n",
		st.removed, st.added, st.confirmed);
	body_send(&b, rs, 200, "application/json");
}

/* The whole file at path into rs; false on failure. */
static bool slurp(struct hx__http_response *rs, FILE *f)
{
	struct body b;
	char chunk[8192];
	size_t n;

	if (!body_open(&b))
		return false;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, b.f);
	if (ferror(f)) {
		fclose(b.f);
		free(b.buf);
		return false;
	}
	body_send(&b, rs, 200, "application/x-tmx+xml; charset=utf-8");
	return true;
}

static void api_tmx(hx_serve *s, const struct hx__http_request *rq,
		    struct open_review *orv, struct hx__http_response *rs)
{
	char *disposition = s->disposition;
	const char *tmpdir = getenv("TMPDIR"), *name;
	hx_review_save_options so;
	char path[4096];
	hx_error e;
	FILE *f = NULL;
	int fd, rc;

	hx_review_save_options_init(&so);
	so.reviewer = rq->arg(rq, "reviewer");
	if (so.reviewer && !reviewer_ok(so.reviewer)) {
		fail(rs, 400,
		     "reviewer: at most 200 bytes, no control "
		     "characters");
		return;
	}
	snprintf(path, sizeof(path), "%s/hexalign-serve-XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		fail(rs, 500, "a temporary file: %s", strerror(errno));
		return;
	}
	close(fd);
	hx_error_init(&e);
	if ((rc = hx_review_write_tmx(orv->r, path, &so, &e)) < 0)
		fail_rc(rs, rc, &e);
	else if (!(f = fopen(path, "rb")) || !slurp(rs, f))
		fail(rs, 500, "reading the TMX back: %s", strerror(errno));
	if (f)
		fclose(f);
	unlink(path);
	if (rs->status != 200)
		return;
	/* A file name a browser takes as it is: the document's name with
	 * anything but [A-Za-z0-9._-] made '_'. */
	name = hx_review_get_name(orv->r);
	size_t n = snprintf(disposition, sizeof(s->disposition),
			    "attachment; filename=\"");
	for (; *name && n < sizeof(s->disposition) - 8; name++, n++) {
		char c = *name;
		bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '.' || c == '-';
		disposition[n] = keep ? c : '_';
	}
	snprintf(disposition + n, sizeof(s->disposition) - n, ".tmx\"");
	rs->disposition = disposition;
}

/* src, tgt and q of a look-up or concordance; false when rs holds the
 * error. */
static bool query_args(const struct hx__http_request *rq,
		       struct hx__http_response *rs, const char **src,
		       const char **tgt, const char **q)
{
	*src = rq->arg(rq, "src"), *tgt = rq->arg(rq, "tgt");
	*q = rq->arg(rq, "q");
	if (!*src || !*tgt || !*q || !**q) {
		fail(rs, 400, "src, tgt and q are wanted");
		return false;
	}
	if (!hx__utf8_valid(*q, strlen(*q), NULL)) {
		fail(rs, 400, "q is not UTF-8");
		return false;
	}
	if (!hx_lang_tag_valid(*src) || !hx_lang_tag_valid(*tgt)) {
		fail(rs, 400, "src and tgt want language codes (en, zh, ...)");
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

static void api_search(hx_serve *s, const struct hx__http_request *rq,
		       struct hx__http_response *rs, bool concord)
{
	const char *src, *tgt, *q, *a;
	hx_tm_lookup_options lo;
	hx_tm_write_options wo = {true, 0, -1};
	hx_tm_results *res = NULL;
	struct body lines, b;
	size_t v, n;
	hx_error e;
	int rc;

	if (!s->tm) {
		fail(rs, 409, "the server has no memory to look up (--db)");
		return;
	}
	if (!query_args(rq, rs, &src, &tgt, &q))
		return;
	hx_tm_lookup_options_init(&lo);
	if (concord)
		lo.max = 50;
	if ((a = rq->arg(rq, "min"))) {
		if (!parse_size(&v, a, 100)) {
			fail(rs, 400, "min wants 0 to 100");
			return;
		}
		lo.min_score = (int)v;
	}
	if ((a = rq->arg(rq, "max"))) {
		if (!parse_size(&v, a, 1000) || !v) {
			fail(rs, 400, "max wants 1 to 1000");
			return;
		}
		lo.max = v;
	}
	wo.min_score = lo.min_score;
	hx_error_init(&e);
	rc =
	    concord
		? hx_tm_concord(&res, s->tm, src, tgt, q, strlen(q), lo.max, &e)
		: hx_tm_lookup(&res, s->tm, src, tgt, q, strlen(q), &lo, &e);
	if (rc < 0) {
		fail_rc(rs, rc, &e);
		return;
	}
	if (!body_open(&lines)) {
		hx_tm_results_free(res);
		return;
	}
	rc = concord ? hx_tm_concord_write(lines.f, res, q, strlen(q), true, &e)
		     : hx_tm_results_write(lines.f, res, src, q, strlen(q), &wo,
					   &e);
	n = hx_tm_results_count(res);
	hx_tm_results_free(res);
	if (fclose(lines.f) != 0 || rc < 0 || !body_open(&b)) {
		free(lines.buf);
		return;
	}
	fputs("{\"query\":", b.f);
	json_str(b.f, q);
	fputs(",\"src\":", b.f);
	json_str(b.f, src);
	fputs(",\"tgt\":", b.f);
	json_str(b.f, tgt);
	fputs(",\"matches\":", b.f);
	lines_as_array(b.f, lines.buf, lines.len, n);
	fputs("}\n", b.f);
	free(lines.buf);
	body_send(&b, rs, 200, "application/json");
}

/* ---- routing ----------------------------------------------------- */

/* On the loopback address, a request must name this server: a page on
 * another site that got its name resolved to 127.0.0.1 (DNS rebinding)
 * sends its own host name. */
static bool host_ok(const hx_serve *s, const char *host)
{
	static const char *const local[] = {"127.0.0.1", "localhost", "[::1]"};
	char want[96];

	if (strncmp(s->addr, "127.", 4) && strcmp(s->addr, "::1"))
		return true;
	if (!host) /* HTTP/1.0: libmicrohttpd refuses 1.1 without one */
		return true;
	for (size_t i = 0; i < sizeof(local) / sizeof(*local); i++) {
		snprintf(want, sizeof(want), "%s:%u", local[i], s->port);
		if (!strcasecmp(host, want))
			return true;
	}
	return false;
}

static bool page(const char *path, struct hx__http_response *rs)
{
	static const struct {
		const char *path, *type;
		const unsigned char *data;
		const size_t *len;
	} pages[] = {
	    {"/", "text/html; charset=utf-8", hx__page_index,
	     &hx__page_index_len},
	    {"/review", "text/html; charset=utf-8", hx__page_review,
	     &hx__page_review_len},
	    {"/search", "text/html; charset=utf-8", hx__page_search,
	     &hx__page_search_len},
	    {"/style.css", "text/css; charset=utf-8", hx__page_style,
	     &hx__page_style_len},
	    {"/common.js", "text/javascript; charset=utf-8", hx__page_common,
	     &hx__page_common_len},
	};

	for (size_t i = 0; i < sizeof(pages) / sizeof(*pages); i++)
		if (!strcmp(path, pages[i].path)) {
			rs->status = 200, rs->type = pages[i].type;
			rs->static_body = pages[i].data;
			rs->len = *pages[i].len;
			return true;
		}
	return false;
}

static bool method_is(const struct hx__http_request *rq,
		      struct hx__http_response *rs, const char *want)
{
	if (!strcmp(rq->method, want))
		return true;
	rs->allow = want;
	fail(rs, 405, "%s wants %s", rq->path, want);
	return false;
}

/* /api/reviews/ID[/what] */
static void route_review(hx_serve *s, const struct hx__http_request *rq,
			 struct hx__http_response *rs, const char *rest)
{
	char id[24];
	size_t n = strcspn(rest, "/");
	const char *what = rest + n;
	struct open_review *orv;
	struct hx__json_object o;

	if (!n || n >= sizeof(id)) {
		fail(rs, 404, "no review '%.*s'", (int)(n > 40 ? 40 : n), rest);
		return;
	}
	memcpy(id, rest, n);
	id[n] = '\0';
	bool known = !*what || !strcmp(what, "/ops") ||
		     !strcmp(what, "/save") || !strcmp(what, "/tmx");
	if (!known) {
		fail(rs, 404, "no such route: %.200s", rq->path);
		return;
	}
	bool get = !*what || !strcmp(what, "/tmx");
	if (!method_is(rq, rs, get ? "GET" : "POST"))
		return;
	if (!(orv = find_review(s, id))) {
		fail(rs, 404, "no review '%s' is open", id);
		return;
	}
	if (!*what) {
		api_review(rq, orv, rs);
		return;
	}
	if (get) {
		api_tmx(s, rq, orv, rs);
		return;
	}
	if (!read_body(&o, rq, rs, s->max_body))
		return;
	if (!strcmp(what, "/ops"))
		api_op(orv, &o, rs);
	else
		api_save(s, orv, &o, rs);
	hx__json_object_free(&o);
}

static void handle(void *payload, const struct hx__http_request *rq,
		   struct hx__http_response *rs)
{
	hx_serve *s = payload;
	const char *p = rq->path;
	struct hx__json_object o;

	if (!host_ok(s, rq->host)) {
		fail(rs, 403, "Host '%.100s' is not this server", rq->host);
		return;
	}
	if (!strncmp(p, "/api/reviews/", 13)) {
		route_review(s, rq, rs, p + 13);
	} else if (!strcmp(p, "/api/reviews")) {
		if (method_is(rq, rs, "POST") &&
		    read_body(&o, rq, rs, s->max_body)) {
			api_open(s, &o, rs);
			hx__json_object_free(&o);
		}
	} else if (!strcmp(p, "/api/documents")) {
		if (method_is(rq, rs, "GET"))
			api_documents(s, rs);
	} else if (!strcmp(p, "/api/lookup") || !strcmp(p, "/api/concord")) {
		if (method_is(rq, rs, "GET"))
			api_search(s, rq, rs, p[5] == 'c');
	} else if (!strcmp(rq->method, "GET") && page(p, rs)) {
		return;
	} else if (!strcmp(p, "/favicon.ico")) {
		rs->status = 204, rs->len = 0; /* no icon, and no 404 logged */
	} else if (!strncmp(p, "/api/", 5)) {
		fail(rs, 404, "no such route: %.200s", p);
	} else {
		struct hx__http_response probe = *rs;
		if (page(p, &probe))
			method_is(rq, rs, "GET");
		else
			fail(rs, 404, "no such page: %.200s", p);
	}
}

/* ---- the server -------------------------------------------------- */

void hx_serve_options_init(hx_serve_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->listen = "127.0.0.1:8080";
	opts->max_body = 1 << 20;
	opts->max_reviews = 32;
}

/* "ADDR:PORT", "[V6]:PORT" or "PORT" into s->addr and s->port. */
static int parse_listen(hx_serve *s, const char *l, hx_error *err)
{
	const char *colon = strrchr(l, ':'), *a = l, *port = l;
	size_t alen = 0, p;

	if (colon) {
		port = colon + 1;
		alen = (size_t)(colon - l);
		if (alen >= 2 && l[0] == '[' && l[alen - 1] == ']')
			a = l + 1, alen -= 2;
		else if (memchr(l, ':', alen))
			goto bad; /* a bare IPv6 address wants brackets */
	}
	if (!parse_size(&p, port, 65535) || alen >= sizeof(s->addr))
		goto bad;
	if (colon && !alen)
		goto bad;
	if (alen) {
		memcpy(s->addr, a, alen);
		s->addr[alen] = '\0';
	} else {
		strcpy(s->addr, "127.0.0.1");
	}
	s->port = (unsigned)p;
	return HX_OK;
bad:
	return hx__error_set(err, HX_EINVAL,
			     "listen: '%.100s' is not ADDR:PORT "
			     "(127.0.0.1:8080, [::1]:0, 8080)",
			     l);
}

int hx_serve_new(hx_serve **out, hx_tm *tm, const hx_serve_options *opts,
		 hx_error *err)
{
	hx_serve_options def;
	hx_serve *s;
	int rc;

	assert(out);
	*out = NULL;
	if (!opts) {
		hx_serve_options_init(&def);
		opts = &def;
	}
	if (!(s = calloc(1, sizeof(*s))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	s->tm = tm;
	s->max_body = opts->max_body ? opts->max_body : 1 << 20;
	s->max_reviews = opts->max_reviews ? opts->max_reviews : 32;
	if ((rc = parse_listen(
		 s, opts->listen ? opts->listen : "127.0.0.1:8080", err)) < 0) {
		free(s);
		return rc;
	}
	*out = s;
	return HX_OK;
}

int hx_serve_add_review_take(size_t *id, hx_serve *s, hx_review *r,
			     hx_error *err)
{
	assert(s && r);
	if (s->http) {
		hx_review_free(r);
		return hx__error_set(err, HX_EINVAL,
				     "reviews are added before the server "
				     "starts");
	}
	return add_review(id, s, r, err);
}

int hx_serve_start(hx_serve *s, hx_error *err)
{
	int rc;

	assert(s);
	if (s->http)
		return hx__error_set(err, HX_EINVAL, "already started");
	if ((rc = hx__http_start(&s->http, s->addr, (uint16_t)s->port,
				 s->max_body, handle, s, err)) < 0)
		return rc;
	s->port = hx__http_port(s->http);
	snprintf(s->url, sizeof(s->url),
		 strchr(s->addr, ':') ? "http://[%s]:%u/" : "http://%s:%u/",
		 s->addr, s->port);
	return HX_OK;
}

const char *hx_serve_get_url(const hx_serve *s)
{
	return s->http ? s->url : NULL;
}

void hx_serve_free(hx_serve *s)
{
	if (!s)
		return;
	hx__http_stop(s->http);
	for (size_t i = 0; i < s->nrv; i++)
		hx_review_free(s->rv[i].r);
	free(s->rv);
	free(s);
}
