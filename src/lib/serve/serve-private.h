/*
 * serve-private.h - what the files of `hexalign serve` share: the
 * server's state, the writing of JSON answers and errors, and the
 * reading of request bodies and query arguments (serve-answer.c). serve.c
 * routes and answers the review API and the pages; serve-tm.c the team
 * memory API and the tmserver routes. Not for the transport (http.h).
 */
#ifndef HX_SERVE_PRIVATE_H
#define HX_SERVE_PRIVATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include <hexalign/serve.h>

#include "formats/json-read.h"
#include "serve/http.h"

struct open_review;
struct hx__tokens;

struct hx_serve {
	hx_tm *tm;
	size_t max_body, max_reviews, max_upload;
	unsigned timeout_s;
	struct hx__tokens *tokens; /* NULL: none, local use only */
	bool public_read;
	char addr[64];
	unsigned port;
	char url[96];
	struct open_review *rv;
	size_t nrv, next_id;
	struct hx__http *http;
	/* Requests are answered on several threads (threads > 1): look-ups
	 * on readers, handles of their own on the memory, one request at a
	 * time each; everything else, s->tm included, under lock. */
	unsigned threads;
	pthread_mutex_t lock, readers_lock;
	pthread_cond_t reader_free;
	hx_tm **readers;
	bool *reader_busy;
	size_t nreaders;
};

/* A response body as it is written. */
struct hx__serve_body {
	FILE *f;
	char *buf;
	size_t len;
};

bool hx__serve_body_open(struct hx__serve_body *b);
/* Close b into rs (the body is taken); rs keeps its 500 when writing
 * failed. */
void hx__serve_body_send(struct hx__serve_body *b, struct hx__http_response *rs,
			 int status, const char *type);
/* Close and drop b. */
void hx__serve_body_drop(struct hx__serve_body *b);

/* s as a JSON string literal. */
void hx__serve_json_str(FILE *f, const char *s);
/* rs becomes {"error": MESSAGE} with status. */
void hx__serve_fail(struct hx__http_response *rs, int status, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));
/* The same for a library status and its error (400 for bad input, 404,
 * 413, else 500). */
void hx__serve_fail_rc(struct hx__http_response *rs, int rc, const hx_error *e);

/* A whole number 0 <= n <= max from text (a query argument). */
bool hx__serve_parse_size(size_t *out, const char *s, size_t max);
/* The POST body as a JSON object; false when rs holds the error. */
bool hx__serve_read_body(struct hx__json_object *o,
			 const struct hx__http_request *rq,
			 struct hx__http_response *rs, size_t max_body);
/* A string member (no U+0000 in it); NULL when absent or not one. */
const char *hx__serve_get_str(const struct hx__json_object *o, const char *key);
/* A name from the network as it goes into the memory (a reviewer, an
 * origin): at most 200 bytes, no control characters. */
bool hx__serve_name_ok(const char *s);
/* A temporary file's name into path (made, empty); false when rs holds
 * the error. */
bool hx__serve_tmpfile(char *path, size_t size, struct hx__http_response *rs);
/* The TMX file at path into rs as a download named NAME.tmx. */
void hx__serve_send_tmx(struct hx__http_response *rs, const char *path,
			const char *name);
/* GET look-up or concordance: source (or src), target (or tgt), q, min,
 * max into {"query", "src", "tgt", "matches": [...]}. */
void hx__serve_search(hx_serve *s, const struct hx__http_request *rq,
		      struct hx__http_response *rs, bool concord);

/* The most matches a look-up answers with (max, max_candidates). */
#define HX__SERVE_MAX_MATCHES 100

/* The matches of one look-up (or concordance, lo->max of them) as a
 * JSON array to `to`, as hx_tm_results_write() writes each. What the
 * look-up returns. */
int hx__serve_write_matches(FILE *to, hx_tm *tm, const char *src,
			    const char *tgt, const char *q,
			    const hx_tm_lookup_options *lo, bool concord,
			    hx_error *e);

/* true when rq's method is want; else rs holds the 405. */
bool hx__serve_method_is(const struct hx__http_request *rq,
			 struct hx__http_response *rs, const char *want);

/* The team memory API and the tmserver routes (serve-tm.c): true when
 * path is one of theirs, rs then holding the answer. */
bool hx__serve_tm_route(hx_serve *s, const struct hx__http_request *rq,
			struct hx__http_response *rs);
/* Where a request's body goes: a TMX upload to a file. */
enum hx__http_body hx__serve_tm_body_to(const hx_serve *s,
					const struct hx__http_request *rq);
/* Whether the route is a write to the memory (units, import). */
bool hx__serve_tm_is_write(const struct hx__http_request *rq);

#endif
