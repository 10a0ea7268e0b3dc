/*
 * serve.h - `hexalign serve`: a local HTTP server over a memory, with a
 * JSON API and pages for reviewing alignments (review.h) and for look-ups
 * and concordance (tm.h) in a browser. The routes are listed in README.md
 * ("hexalign serve"). Not a public web server: it binds the loopback
 * address by default, answers one request at a time, and writes no file
 * a client names.
 */
#ifndef HEXALIGN_SERVE_H
#define HEXALIGN_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "review.h"
#include "tm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hx_serve hx_serve;

typedef struct hx_serve_options {
	/** "ADDR:PORT", "[V6ADDR]:PORT" or "PORT"; default "127.0.0.1:8080";
	 * port 0 picks a free one (hx_serve_get_url() names it). */
	const char *listen;
	/** Request bodies over this many bytes get 413; default 1 MiB. */
	size_t max_body;
	/** Reviews open at once (hx_serve_add_review_take() and POST
	 * /api/reviews); more get 503. Default 32. */
	size_t max_reviews;
} hx_serve_options;

HX_EXTERN void hx_serve_options_init(hx_serve_options *opts);

/**
 * A server over `tm` (borrowed; NULL: no memory, so the document list is
 * empty and loading, look-ups and saving answer 409), not yet listening.
 * HX_EINVAL for a listen string that is not ADDR:PORT; HX_ENOMEM.
 */
HX_EXTERN int hx_serve_new(hx_serve **out, hx_tm *tm,
			   const hx_serve_options *opts, hx_error *err);

/**
 * Open `r` for review before the server starts; the server owns it from
 * now on, even on failure. *id (may be NULL) gets its id in
 * /api/reviews/ID; the first review added is "0". HX_ELIMIT when
 * max_reviews are open; HX_EINVAL once started.
 */
HX_EXTERN int hx_serve_add_review_take(size_t *id, hx_serve *s, hx_review *r,
				       hx_error *err);

/**
 * Listen and answer requests on a thread of the server's until
 * hx_serve_free(). The caller must not use `tm` meanwhile. HX_EIO when
 * the address cannot be listened on (in use, not local); HX_EINVAL when
 * already started.
 */
HX_EXTERN int hx_serve_start(hx_serve *s, hx_error *err);

/** "http://ADDR:PORT/" once started (the port picked for 0), else NULL. */
HX_EXTERN const char *hx_serve_get_url(const hx_serve *s);

/** Stop (a request under way is finished first) and free; NULL is fine.
 * Edits not saved are lost. */
HX_EXTERN void hx_serve_free(hx_serve *s);

#ifdef __cplusplus
}
#endif
#endif
