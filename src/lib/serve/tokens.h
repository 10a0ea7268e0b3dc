/*
 * tokens.h - the API tokens of `hexalign serve`: a file of their SHA-256
 * hashes with the rights of each, loaded once, and the check of the
 * token a request presents. Not for what a route needs (serve.c decides
 * that) nor for sessions or users: a token is all there is.
 */
#ifndef HX_SERVE_TOKENS_H
#define HX_SERVE_TOKENS_H

#include <stddef.h>

#include <hexalign/serve.h>

struct hx__tokens;

/* Read the tokens file. HX_ENOTFOUND, HX_EIO, HX_EFORMAT ("FILE:LINE:
 * ...") for a line that is not "SHA256-HEX read|write NAME"; HX_ENOMEM. */
int hx__tokens_load(struct hx__tokens **out, const char *path, hx_error *err);
void hx__tokens_free(struct hx__tokens *t);

/* The rights of token[0, len), 0 when it is none of the file's. The time
 * it takes does not depend on which stored hash, if any, it matches. */
int hx__tokens_check(const struct hx__tokens *t, const char *token, size_t len);

#endif
