/*
 * http.h - the HTTP server under `hexalign serve`, as the rest of the
 * library sees it: a request (method, path, query arguments, a body in
 * memory or, for an upload, in a temporary file) in, a response (status,
 * type, body) out, on the server's own threads (one, or a pool).
 * http-mhd.c is the libmicrohttpd glue behind it; nothing else names
 * libmicrohttpd. Not for routing (serve.c).
 */
#ifndef HX_SERVE_HTTP_H
#define HX_SERVE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hexalign/error.h>

/* Where a request's body goes, decided once its headers are in. */
enum hx__http_body {
	HX__HTTP_BODY_MEMORY, /* up to max_body, in body */
	HX__HTTP_BODY_FILE,   /* up to max_upload, in the file body_path */
	HX__HTTP_BODY_DROP    /* read and dropped: the answer is a refusal */
};

struct hx__http_request {
	const char *method;	   /* "GET", "POST", ... */
	const char *path;	   /* without the query, %-decoded */
	const char *content_type;  /* NULL when absent */
	const char *host;	   /* the Host header, NULL when absent */
	const char *authorization; /* the Authorization header, or NULL */
	const char *body;	   /* NUL-terminated, body_len bytes */
	size_t body_len;
	/* HX__HTTP_BODY_FILE: the file of body_len bytes, alone in a
	 * directory of its own that goes when the request is answered (the
	 * handler may rename the file inside it); else NULL. */
	const char *body_path;
	bool body_too_large; /* more than the limit came: no body */
	/* A query argument, decoded; NULL when absent. */
	const char *(*arg)(const struct hx__http_request *rq, const char *name);
	void *conn; /* for arg() */
};

struct hx__http_response {
	int status;
	const char *type;		  /* Content-Type */
	char *body;			  /* malloc'd and taken, or NULL */
	const unsigned char *static_body; /* borrowed, when body is NULL */
	size_t len;
	const char *allow;	 /* 405: the Allow header */
	const char *disposition; /* Content-Disposition, or NULL */
	const char *challenge;	 /* 401: the WWW-Authenticate header */
	/* Room for a disposition made for this response: answers of
	 * several threads are under way at once. */
	char disposition_buf[160];
};

/* Fill rs from rq; runs on a thread of the server's (several at once when
 * config.threads > 1). */
typedef void (*hx__http_handler)(void *payload,
				 const struct hx__http_request *rq,
				 struct hx__http_response *rs);
/* Where rq's body goes; rq has no body yet. */
typedef enum hx__http_body (*hx__http_body_fn)(
    void *payload, const struct hx__http_request *rq);

struct hx__http;

struct hx__http_config {
	const char *addr; /* "127.0.0.1", "::1", "0.0.0.0"... */
	uint16_t port;	  /* 0: any free one */
	size_t max_body, max_upload;
	/* The path and the query together; longer gets 414. */
	size_t max_target;
	unsigned timeout_s; /* a connection idle this long is closed */
	/* Threads answering requests (each connection on one of them); fn
	 * and body_to are called on several at once when more than 1. */
	unsigned threads;
	hx__http_handler fn;
	hx__http_body_fn body_to; /* NULL: always memory */
	void *payload;
};

/*
 * Listen as c says and answer requests on a thread of the server's.
 * HX_EINVAL for an address that is not one; HX_EIO when it cannot listen.
 */
int hx__http_start(struct hx__http **out, const struct hx__http_config *c,
		   hx_error *err);
/* The port listened on (the one picked when 0 was asked for). */
uint16_t hx__http_port(const struct hx__http *h);
/* Stop (requests under way are finished first) and free; NULL is fine. */
void hx__http_stop(struct hx__http *h);

#endif
