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
#include "serve/serve-private.h"
#include "serve/tokens.h"

/* The pages, compiled in by gen-embed.py (meson.build). */
extern const unsigned char hx__page_index[], hx__page_review[],
    hx__page_search[], hx__page_style[], hx__page_common[];
extern const size_t hx__page_index_len, hx__page_review_len,
    hx__page_search_len, hx__page_style_len, hx__page_common_len;

struct open_review {
	size_t id;
	hx_review *r;
};

static struct open_review *find_review(hx_serve *s, const char *id)
{
	size_t n;

	if (!hx__serve_parse_size(&n, id, (size_t)-1))
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
		hx__serve_fail(rs, 400, "\"%s\": %s", key,
			       m ? "want a whole number in range" : "missing");
		return false;
	}
	*out = (size_t)m->num;
	return true;
}

/* A string member (no U+0000 in it); NULL when absent or not one. */
/* Member "lang": an index into the review's languages or a code. */
static bool get_lang(size_t *k, const struct hx__json_object *o,
		     const hx_review *r, struct hx__http_response *rs)
{
	size_t n = hx_review_lang_count(r);
	const char *code = hx__serve_get_str(o, "lang");

	if (code) {
		for (size_t i = 0; i < n; i++)
			if (!strcmp(hx_review_get_lang(r, i), code)) {
				*k = i;
				return true;
			}
		hx__serve_fail(rs, 400,
			       "\"lang\": the review has no language '%.40s'",
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
	hx__serve_json_str(o->f, origin);
	fprintf(o->f, ",\"units\":%zu}", units);
	return 0;
}

static void api_documents(hx_serve *s, struct hx__http_response *rs)
{
	struct origins o = {NULL, 0};
	struct hx__serve_body b;
	hx_error e;
	int rc;

	if (!hx__serve_body_open(&b))
		return;
	o.f = b.f;
	fputs("{\"documents\":[", b.f);
	hx_error_init(&e);
	if (s->tm && (rc = hx_tm_origins(s->tm, origin_item, &o, &e)) < 0) {
		hx__serve_body_drop(&b);
		hx__serve_fail_rc(rs, rc, &e);
		return;
	}
	fputs("],\"open\":[", b.f);
	for (size_t i = 0; i < s->nrv; i++) {
		const hx_review *r = s->rv[i].r;
		fprintf(b.f, "%s{\"id\":\"%zu\",\"name\":", i ? "," : "",
			s->rv[i].id);
		hx__serve_json_str(b.f, hx_review_get_name(r));
		fprintf(b.f, ",\"rows\":%zu,\"modified\":%s}",
			hx_review_row_count(r),
			hx_review_is_modified(r) ? "true" : "false");
	}
	fprintf(b.f, "],\"memory\":%s}\n", s->tm ? "true" : "false");
	hx__serve_body_send(&b, rs, 200, "application/json");
}

static void open_reply(struct hx__http_response *rs, size_t id,
		       const hx_review *r, int status)
{
	struct hx__serve_body b;

	if (!hx__serve_body_open(&b))
		return;
	fprintf(b.f, "{\"id\":\"%zu\",\"name\":", id);
	hx__serve_json_str(b.f, hx_review_get_name(r));
	fprintf(b.f, ",\"rows\":%zu}\n", hx_review_row_count(r));
	hx__serve_body_send(&b, rs, status, "application/json");
}

static void api_open(hx_serve *s, const struct hx__json_object *o,
		     struct hx__http_response *rs)
{
	const char *name = hx__serve_get_str(o, "document");
	hx_review *r = NULL;
	hx_error e;
	size_t id;
	int rc;

	if (!name) {
		hx__serve_fail(rs, 400,
			       "\"document\": missing or not a string");
		return;
	}
	/* One review per document: two would overwrite each other's save. */
	for (size_t i = 0; i < s->nrv; i++)
		if (!strcmp(hx_review_get_name(s->rv[i].r), name)) {
			open_reply(rs, s->rv[i].id, s->rv[i].r, 200);
			return;
		}
	if (!s->tm) {
		hx__serve_fail(rs, 409,
			       "the server has no memory to load from (--db)");
		return;
	}
	if (s->nrv >= s->max_reviews) {
		hx__serve_fail(
		    rs, 503, "%zu reviews are open, the most the server keeps",
		    s->nrv);
		return;
	}
	hx_error_init(&e);
	if ((rc = hx_review_load(&r, s->tm, name, &e)) < 0) {
		hx__serve_fail_rc(rs, rc, &e);
		return;
	}
	if ((rc = add_review(&id, s, r, &e)) < 0) {
		hx__serve_fail_rc(rs, rc, &e);
		return;
	}
	open_reply(rs, id, r, 201);
}

static void review_json(struct hx__http_response *rs, const hx_review *r,
			size_t first, size_t max)
{
	struct hx__serve_body b;
	hx_error e;
	int rc;

	if (!hx__serve_body_open(&b))
		return;
	hx_error_init(&e);
	if ((rc = hx_review_write_json(b.f, r, first, max, &e)) < 0) {
		hx__serve_body_drop(&b);
		hx__serve_fail_rc(rs, rc, &e);
		return;
	}
	hx__serve_body_send(&b, rs, 200, "application/json");
}

static void api_review(const struct hx__http_request *rq,
		       struct open_review *orv, struct hx__http_response *rs)
{
	const char *first = rq->arg(rq, "first"), *max = rq->arg(rq, "max");
	size_t f = 0, m = 0;

	if ((first && !hx__serve_parse_size(&f, first, (size_t)-1)) ||
	    (max && !hx__serve_parse_size(&m, max, (size_t)-1))) {
		hx__serve_fail(rs, 400, "first and max want whole numbers");
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
	const char *op = hx__serve_get_str(o, "op");
	size_t nrows = hx_review_row_count(r), row = 0, k = 0, at = 0;
	size_t *points = NULL;
	hx_error e;
	int rc;

	hx_error_init(&e);
	if (!op) {
		hx__serve_fail(rs, 400, "\"op\": missing or not a string");
		return;
	}
	if (!strcmp(op, "undo")) {
		if ((rc = hx_review_undo(r, &e)) == HX_ENOTFOUND) {
			hx__serve_fail(rs, 409, "nothing to undo");
			return;
		}
		goto done;
	}
	if (!nrows) {
		hx__serve_fail(rs, 400, "the review has no rows");
		return;
	}
	if (!get_index(&row, o, "row", NULL, nrows - 1, rs))
		return;
	if (!strcmp(op, "join")) {
		rc = hx_review_join(r, row, &e);
	} else if (!strcmp(op, "confirm")) {
		const struct hx__json_member *on = hx__json_object_get(o, "on");
		if (on && on->kind != HX__JSON_BOOL) {
			hx__serve_fail(rs, 400, "\"on\": want true or false");
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
				hx__serve_fail(rs, 500, "out of memory");
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
				hx__serve_fail(rs, 400,
					       "\"dir\": want -1 or 1");
				return;
			}
			rc = hx_review_move(r, row, k, d->num < 0 ? -1 : 1, &e);
		} else {
			const char *text = hx__serve_get_str(o, "text");
			if (!text) {
				hx__serve_fail(
				    rs, 400,
				    "\"text\": missing, not a string "
				    "or holding U+0000");
				return;
			}
			rc = hx_review_edit(r, row, k, text, &e);
		}
	} else {
		hx__serve_fail(
		    rs, 400,
		    "\"op\": '%.40s' is none of join, split, move, edit, "
		    "confirm, undo",
		    op);
		return;
	}
done:
	if (rc < 0) {
		/* An edit the review refuses is the client's mistake. */
		hx__serve_fail(rs, rc == HX_ENOMEM ? 500 : 400, "%s",
			       e.message[0] ? e.message : hx_status_str(rc));
		return;
	}
	review_json(rs, r, 0, 0);
}

static void api_save(hx_serve *s, struct open_review *orv,
		     const struct hx__json_object *o,
		     struct hx__http_response *rs)
{
	const struct hx__json_member *rm = hx__json_object_get(o, "reviewer");
	hx_review_save_options so;
	hx_review_save_stats st = {0};
	struct hx__serve_body b;
	hx_error e;
	int rc;

	/* A path from the network would let any client write any file the
	 * server may: the TMX is a download instead. */
	if (hx__json_object_get(o, "tmx")) {
		hx__serve_fail(rs, 400,
			       "\"tmx\": the server writes no file a client "
			       "names; GET /api/reviews/ID/tmx downloads it");
		return;
	}
	hx_review_save_options_init(&so);
	if (rm && rm->kind != HX__JSON_NULL) {
		so.reviewer = hx__serve_get_str(o, "reviewer");
		if (!so.reviewer || !hx__serve_name_ok(so.reviewer)) {
			hx__serve_fail(rs, 400,
				       "\"reviewer\": want a name of at most "
				       "200 bytes, no control characters");
			return;
		}
		if (!*so.reviewer)
			so.reviewer = NULL;
	}
	if (!s->tm) {
		hx__serve_fail(rs, 409,
			       "the server has no memory to save into (--db); "
			       "download the TMX instead");
		return;
	}
	hx_error_init(&e);
	if ((rc = hx_review_save(&st, orv->r, s->tm, &so, &e)) < 0) {
		hx__serve_fail_rc(rs, rc, &e);
		return;
	}
	if (!hx__serve_body_open(&b))
		return;
	fprintf(b.f, "{\"removed\":%zu,\"added\":%zu,\"confirmed\":%zu}\n",
		st.removed, st.added, st.confirmed);
	hx__serve_body_send(&b, rs, 200, "application/json");
}

static void api_tmx(hx_serve *s, const struct hx__http_request *rq,
		    struct open_review *orv, struct hx__http_response *rs)
{
	hx_review_save_options so;
	char path[4096];
	hx_error e;
	int rc;

	hx_review_save_options_init(&so);
	so.reviewer = rq->arg(rq, "reviewer");
	if (so.reviewer && !hx__serve_name_ok(so.reviewer)) {
		hx__serve_fail(rs, 400,
			       "reviewer: at most 200 bytes, no control "
			       "characters");
		return;
	}
	if (!hx__serve_tmpfile(path, sizeof(path), rs))
		return;
	hx_error_init(&e);
	if ((rc = hx_review_write_tmx(orv->r, path, &so, &e)) < 0)
		hx__serve_fail_rc(rs, rc, &e);
	else
		hx__serve_send_tmx(rs, path, hx_review_get_name(orv->r));
	unlink(path);
}

/* ---- routing ----------------------------------------------------- */

static bool is_loopback(const char *addr)
{
	return !strncmp(addr, "127.", 4) || !strcmp(addr, "::1");
}

/* On the loopback address, a request must name this server: a page on
 * another site that got its name resolved to 127.0.0.1 (DNS rebinding)
 * sends its own host name. */
static bool host_ok(const hx_serve *s, const char *host)
{
	static const char *const local[] = {"127.0.0.1", "localhost", "[::1]"};
	char want[96];

	if (!is_loopback(s->addr))
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
		hx__serve_fail(rs, 404, "no review '%.*s'",
			       (int)(n > 40 ? 40 : n), rest);
		return;
	}
	memcpy(id, rest, n);
	id[n] = '\0';
	bool known = !*what || !strcmp(what, "/ops") ||
		     !strcmp(what, "/save") || !strcmp(what, "/tmx");
	if (!known) {
		hx__serve_fail(rs, 404, "no such route: %.200s", rq->path);
		return;
	}
	bool get = !*what || !strcmp(what, "/tmx");
	if (!hx__serve_method_is(rq, rs, get ? "GET" : "POST"))
		return;
	if (!(orv = find_review(s, id))) {
		hx__serve_fail(rs, 404, "no review '%s' is open", id);
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
	if (!hx__serve_read_body(&o, rq, rs, s->max_body))
		return;
	if (!strcmp(what, "/ops"))
		api_op(orv, &o, rs);
	else
		api_save(s, orv, &o, rs);
	hx__json_object_free(&o);
}

/* ---- access ------------------------------------------------------ */

enum access {
	ACCESS_OK,
	ACCESS_NO_TOKEN,  /* 401 */
	ACCESS_BAD_TOKEN, /* 401 */
	ACCESS_READ_ONLY, /* 403: a read token on a write */
	ACCESS_LOCAL_TM	  /* 403: a write to the memory without --tokens */
};

/* Who may do what. Pages and their files need nothing: they hold no
 * data. With tokens, every API call wants one (reads none under
 * public_read), and a POST other than the batch look-up is a write.
 * Without tokens the server is local and trusts its user as before, but
 * the team memory API takes no write: those want --tokens. */
static enum access access_of(const hx_serve *s,
			     const struct hx__http_request *rq)
{
	const char *p = rq->path, *auth = rq->authorization;
	bool api = !strncmp(p, "/api/", 5) || !strncmp(p, "/tmserver", 9);
	bool write = strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD") &&
		     strcmp(p, "/api/tm/lookup");
	int rights;

	if (!s->tokens)
		return hx__serve_tm_is_write(rq) ? ACCESS_LOCAL_TM : ACCESS_OK;
	if (!api || (!write && s->public_read))
		return ACCESS_OK;
	if (!auth || strncasecmp(auth, "Bearer ", 7))
		return ACCESS_NO_TOKEN;
	auth += 7;
	auth += strspn(auth, " ");
	rights = hx__tokens_check(s->tokens, auth, strcspn(auth, " \t"));
	if (!rights)
		return ACCESS_BAD_TOKEN;
	return write && rights != HX_SERVE_WRITE ? ACCESS_READ_ONLY : ACCESS_OK;
}

/* false when rs holds the refusal. The token itself goes nowhere: not
 * into the answer, not into any log. */
static bool access_ok(const hx_serve *s, const struct hx__http_request *rq,
		      struct hx__http_response *rs)
{
	switch (access_of(s, rq)) {
	case ACCESS_OK:
		return true;
	case ACCESS_NO_TOKEN:
		hx__serve_fail(rs, 401,
			       "this call wants a token "
			       "(Authorization: Bearer TOKEN)");
		rs->challenge = "Bearer realm=\"hexalign\"";
		return false;
	case ACCESS_BAD_TOKEN:
		hx__serve_fail(rs, 401, "the token is not one of the server's");
		rs->challenge =
		    "Bearer realm=\"hexalign\", error=\"invalid_token\"";
		return false;
	case ACCESS_READ_ONLY:
		hx__serve_fail(rs, 403, "this call wants a write token");
		return false;
	case ACCESS_LOCAL_TM:
		hx__serve_fail(rs, 403,
			       "the memory takes no writes from the API unless "
			       "the server has tokens: start the server with "
			       "--tokens");
		return false;
	}
	return false;
}

/* An upload the answer refuses anyway is read and dropped, not stored. */
static enum hx__http_body body_to(void *payload,
				  const struct hx__http_request *rq)
{
	hx_serve *s = payload;
	enum hx__http_body to = hx__serve_tm_body_to(s, rq);

	if (to == HX__HTTP_BODY_FILE &&
	    (!host_ok(s, rq->host) || access_of(s, rq) != ACCESS_OK))
		return HX__HTTP_BODY_DROP;
	return to;
}

static void route(hx_serve *s, const struct hx__http_request *rq,
		  struct hx__http_response *rs)
{
	const char *p = rq->path;
	struct hx__json_object o;

	if (!strncmp(p, "/api/reviews/", 13)) {
		route_review(s, rq, rs, p + 13);
	} else if (!strcmp(p, "/api/reviews")) {
		if (hx__serve_method_is(rq, rs, "POST") &&
		    hx__serve_read_body(&o, rq, rs, s->max_body)) {
			api_open(s, &o, rs);
			hx__json_object_free(&o);
		}
	} else if (!strcmp(p, "/api/documents")) {
		if (hx__serve_method_is(rq, rs, "GET"))
			api_documents(s, rs);
	} else if (!strcmp(p, "/api/lookup") || !strcmp(p, "/api/concord")) {
		if (hx__serve_method_is(rq, rs, "GET"))
			hx__serve_search(s, rq, rs, p[5] == 'c');
	} else if (hx__serve_tm_route(s, rq, rs)) {
		return;
	} else if (!strcmp(rq->method, "GET") && page(p, rs)) {
		return;
	} else if (!strcmp(p, "/favicon.ico")) {
		rs->status = 204, rs->len = 0; /* no icon, and no 404 logged */
	} else if (!strncmp(p, "/api/", 5)) {
		hx__serve_fail(rs, 404, "no such route: %.200s", p);
	} else {
		struct hx__http_response probe = *rs;
		if (page(p, &probe))
			hx__serve_method_is(rq, rs, "GET");
		else
			hx__serve_fail(rs, 404, "no such page: %.200s", p);
	}
}

/* What a reader may answer: the routes that only read the memory and
 * nothing else of the server's (the export, which is long and rare, and
 * the review routes stay under the lock). */
static bool reader_route(const struct hx__http_request *rq)
{
	static const char *const get[] = {
	    "/api/lookup",	   "/api/concord",  "/api/tm/lookup",
	    "/api/tm/concord",	   "/api/tm/stats", "/api/tm/languages",
	    "/tmserver/languages/"};
	const char *p = rq->path;

	if (!strcmp(rq->method, "POST"))
		return !strcmp(p, "/api/tm/lookup");
	if (strcmp(rq->method, "GET"))
		return false;
	for (size_t i = 0; i < sizeof(get) / sizeof(*get); i++)
		if (!strcmp(p, get[i]))
			return true;
	return !strncmp(p, "/tmserver/", 10) && strstr(p, "/unit/");
}

static size_t reader_take(hx_serve *s)
{
	size_t i;

	pthread_mutex_lock(&s->readers_lock);
	for (;;) {
		for (i = 0; i < s->nreaders && s->reader_busy[i]; i++)
			;
		if (i < s->nreaders)
			break;
		pthread_cond_wait(&s->reader_free, &s->readers_lock);
	}
	s->reader_busy[i] = true;
	pthread_mutex_unlock(&s->readers_lock);
	return i;
}

static void reader_give(hx_serve *s, size_t i)
{
	pthread_mutex_lock(&s->readers_lock);
	s->reader_busy[i] = false;
	pthread_cond_signal(&s->reader_free);
	pthread_mutex_unlock(&s->readers_lock);
}

static void handle(void *payload, const struct hx__http_request *rq,
		   struct hx__http_response *rs)
{
	hx_serve *s = payload;

	/* Both read only what does not change once the server started. */
	if (!host_ok(s, rq->host)) {
		hx__serve_fail(rs, 403, "Host '%.100s' is not this server",
			       rq->host);
		return;
	}
	if (!access_ok(s, rq, rs))
		return;
	if (s->nreaders && reader_route(rq)) {
		/* The routes take the memory from the server: a copy whose
		 * memory is the reader's, and nothing else of it is
		 * written by these routes. */
		size_t i = reader_take(s);
		hx_serve view = *s;
		view.tm = s->readers[i];
		route(&view, rq, rs);
		reader_give(s, i);
		return;
	}
	pthread_mutex_lock(&s->lock);
	route(s, rq, rs);
	pthread_mutex_unlock(&s->lock);
}

/* ---- the server -------------------------------------------------- */

void hx_serve_options_init(hx_serve_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->listen = "127.0.0.1:8080";
	opts->max_body = 1 << 20;
	opts->max_reviews = 32;
	opts->max_upload = (size_t)512 << 20;
	opts->timeout_s = 30;
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
	if (!hx__serve_parse_size(&p, port, 65535) || alen >= sizeof(s->addr))
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
	s->max_upload = opts->max_upload ? opts->max_upload : (size_t)512 << 20;
	s->timeout_s = opts->timeout_s ? opts->timeout_s : 30;
	s->public_read = opts->public_read;
	s->threads = opts->threads ? opts->threads : 1;
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->readers_lock, NULL);
	pthread_cond_init(&s->reader_free, NULL);
	if ((rc = parse_listen(
		 s, opts->listen ? opts->listen : "127.0.0.1:8080", err)) < 0)
		goto fail;
	if (opts->tokens &&
	    (rc = hx__tokens_load(&s->tokens, opts->tokens, err)) < 0)
		goto fail;
	/* Without tokens anyone who reaches the port may read the memory
	 * and edit the reviews: only this machine may reach it. */
	if (!s->tokens && !is_loopback(s->addr)) {
		rc = hx__error_set(err, HX_EINVAL,
				   "listening on %s, which is not a loopback "
				   "address, wants a tokens file (--tokens)",
				   s->addr);
		goto fail;
	}
	*out = s;
	return HX_OK;
fail:
	hx_serve_free(s);
	return rc;
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

/* A read-only handle on the memory per thread. */
static int open_readers(hx_serve *s, hx_error *err)
{
	hx_tm_options o;
	int rc;

	if (!(s->readers = calloc(s->threads, sizeof(*s->readers))) ||
	    !(s->reader_busy = calloc(s->threads, sizeof(*s->reader_busy))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	hx_tm_options_init(&o);
	o.readonly = true;
	for (; s->nreaders < s->threads; s->nreaders++)
		if ((rc = hx_tm_open_again(&s->readers[s->nreaders], s->tm, &o,
					   err)) < 0)
			return rc;
	return HX_OK;
}

int hx_serve_start(hx_serve *s, hx_error *err)
{
	int rc;

	assert(s);
	if (s->http)
		return hx__error_set(err, HX_EINVAL, "already started");
	struct hx__http_config c = {
	    .addr = s->addr,
	    .port = (uint16_t)s->port,
	    .max_body = s->max_body,
	    .max_upload = s->max_upload,
	    /* A look-up's q, a tmserver unit's text (Weblate sends at most
	     * 500 characters, 4.5 KB %-encoded), with room to spare. */
	    .max_target = 16384,
	    .timeout_s = s->timeout_s,
	    .threads = s->threads,
	    .fn = handle,
	    .body_to = body_to,
	    .payload = s,
	};
	if (s->threads > 1 && s->tm && (rc = open_readers(s, err)) < 0)
		return rc;
	if ((rc = hx__http_start(&s->http, &c, err)) < 0)
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
	hx__tokens_free(s->tokens);
	for (size_t i = 0; i < s->nreaders; i++)
		hx_tm_free(s->readers[i]);
	free(s->readers);
	free(s->reader_busy);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->readers_lock);
	pthread_cond_destroy(&s->reader_free);
	free(s);
}
