/*
 * http.h - the HTTP server under `hexalign serve`, as the rest of the
 * library sees it: a request (method, path, query arguments, whole body)
 * in, a response (status, type, body) out, one request at a time on the
 * server's own thread. http-mhd.c is the libmicrohttpd glue behind it;
 * nothing else names libmicrohttpd. Not for routing (serve.c).
 */
#ifndef HX_SERVE_HTTP_H
#define HX_SERVE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hexalign/error.h>

struct hx__http_request {
	const char *method;	  /* "GET", "POST", ... */
	const char *path;	  /* without the query */
	const char *content_type; /* NULL when absent */
	const char *host;	  /* the Host header, NULL when absent */
	const char *body;	  /* NUL-terminated, body_len bytes */
	size_t body_len;
	bool body_too_large; /* more than max_body came: body is empty */
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
};

/* Fill rs from rq; runs on the server's thread, never two at once. */
typedef void (*hx__http_handler)(void *payload,
				 const struct hx__http_request *rq,
				 struct hx__http_response *rs);

struct hx__http;

/*
 * Listen on addr ("127.0.0.1", "::1", "0.0.0.0"...) and port (0: any
 * free one) and answer requests on a thread of the server's. HX_EINVAL
 * for an address that is not one; HX_EIO when it cannot listen.
 */
int hx__http_start(struct hx__http **out, const char *addr, uint16_t port,
		   size_t max_body, hx__http_handler fn, void *payload,
		   hx_error *err);
/* The port listened on (the one picked when 0 was asked for). */
uint16_t hx__http_port(const struct hx__http *h);
/* Stop (requests under way are finished first) and free; NULL is fine. */
void hx__http_stop(struct hx__http *h);

#endif
