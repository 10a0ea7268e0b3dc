/*
 * sha256.h - SHA-256 (FIPS 180-4), for the server's API tokens: the
 * tokens file keeps their hashes only. Not for anything that wants a
 * keyed MAC or a password hash; a token is 32 random bytes, so a plain
 * hash is enough to keep the file from giving the tokens away.
 */
#ifndef HX_SHA256_H
#define HX_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define HX__SHA256_SIZE 32

struct hx__sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	unsigned char block[64];
	size_t fill; /* bytes waiting in block */
};

void hx__sha256_init(struct hx__sha256 *c);
void hx__sha256_update(struct hx__sha256 *c, const void *data, size_t n);
void hx__sha256_final(struct hx__sha256 *c, unsigned char out[HX__SHA256_SIZE]);
/* The hash of data[0, n) in one call. */
void hx__sha256(unsigned char out[HX__SHA256_SIZE], const void *data, size_t n);
/* The hash as 64 lower-case hex digits and a NUL. */
void hx__sha256_hex(char out[2 * HX__SHA256_SIZE + 1], const void *data,
		    size_t n);

#endif
