/*
 * varint.h - the LEB128 varints of the memory's blobs (posting lists,
 * the import's runs, segment and compact-form rows): seven bits a byte,
 * low first, the high bit set on every byte but the last.
 */
#ifndef HX_VARINT_H
#define HX_VARINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* v at b (room for 10 bytes); returns the bytes written. */
static inline size_t hx__varint_put(unsigned char *b, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		b[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (unsigned char)v;
	return n;
}

/* The varint at b[*i], advancing *i, never reading past len: false when
 * it runs over (a damaged blob), with *v what was read. */
static inline bool hx__varint_next(const unsigned char *b, size_t len,
				   size_t *i, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; *i < len && shift < 64; shift += 7) {
		unsigned char c = b[(*i)++];
		*v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return true;
	}
	return false;
}

/* The same where a damaged blob may give garbage but never a read out of
 * bounds (the look-up's inner loop). */
static inline uint64_t hx__varint_get(const unsigned char *b, size_t len,
				      size_t *i)
{
	uint64_t v;
	hx__varint_next(b, len, i, &v);
	return v;
}

#endif
