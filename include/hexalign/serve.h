/*
 * serve.h - `hexalign serve`: a local HTTP server over a memory, with a
 * JSON API and pages for reviewing alignments (review.h) and for look-ups
 * and concordance (tm.h) in a browser. The routes are listed in README.md
 * ("hexalign serve"). It also answers a team memory API (/api/tm/...)
 * and the amaGama/tmserver routes (/tmserver/...) that Weblate and
 * Virtaal-style clients call. Without a tokens file it binds only the
 * loopback address and refuses writes to the memory; with one, every API
 * call wants a token (hx_serve_token_new()). It answers look-ups on
 * several threads (hx_serve_options.threads), everything else one at a
 * time, and writes no file a client names. TLS is a reverse proxy's job.
 */
#ifndef HEXALIGN_SERVE_H
#define HEXALIGN_SERVE_H

#include <stdbool.h>
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
	/** The tokens file (one "SHA256-HEX read|write NAME" a line, '#'
	 * comments), read by hx_serve_new(); NULL: no tokens, so the server
	 * listens on a loopback address only and refuses writes to the
	 * memory (POST /api/tm/units, /api/tm/import) with 403. */
	const char *tokens;
	/** With tokens: reads (look-ups, concordance, stats, export) need no
	 * token, as Weblate's tmserver client sends none. */
	bool public_read;
	/** A TMX upload (POST /api/tm/import) over this many bytes gets 413;
	 * it goes to a temporary file as it arrives, never into memory.
	 * Default 512 MiB. */
	size_t max_upload;
	/** Seconds a connection may stay idle before it is closed, so a
	 * client that stops sending does not keep its slot; default 30. */
	unsigned timeout_s;
	/** Threads answering requests; default 1. With more, look-ups,
	 * batches, concordance, stats and the tmserver routes run at once,
	 * each thread on a read-only handle of its own on the memory
	 * (hx_tm_open_again()); writes, reviews and exports one at a time. */
	unsigned threads;
} hx_serve_options;

HX_EXTERN void hx_serve_options_init(hx_serve_options *opts);

/**
 * A server over `tm` (borrowed; NULL: no memory, so the document list is
 * empty and loading, look-ups and saving answer 409), not yet listening.
 * HX_EINVAL for a listen string that is not ADDR:PORT, or an address that
 * is not loopback without opts->tokens; what reading the tokens file
 * gives (HX_ENOTFOUND, HX_EIO, HX_EFORMAT "FILE:LINE: ..."); HX_ENOMEM.
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

/** What a token may do. */
typedef enum hx_serve_rights {
	HX_SERVE_READ = 1, /**< look-ups, concordance, stats, export */
	HX_SERVE_WRITE = 2 /**< all that, and adding to the memory */
} hx_serve_rights;

/** A token's text and NUL: 64 hex digits (32 random bytes). */
#define HX_SERVE_TOKEN_SIZE 65

/**
 * Make a token: 32 bytes from getrandom(), written to `token` as hex (it
 * is shown once: the file keeps only its SHA-256), and a line
 * "SHA256-HEX RIGHTS NAME" appended to the tokens file at `path` (made,
 * mode 0600, when absent). `name` says whose it is: 1 to 100 printable
 * bytes. HX_EINVAL for a bad name; HX_EIO when the file cannot be
 * written or no random bytes come.
 */
HX_EXTERN int hx_serve_token_new(char token[HX_SERVE_TOKEN_SIZE],
				 const char *path, const char *name,
				 hx_serve_rights rights, hx_error *err);

#ifdef __cplusplus
}
#endif
#endif
