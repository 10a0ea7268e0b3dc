/*
 * grow.h - the one growth rule for the library's plain arrays: capacity
 * doubles (from 16), and an overflowing size is a failure, not a wrap.
 */
#ifndef HX_GROW_H
#define HX_GROW_H

#include <stdint.h>
#include <stdlib.h>

/* Make *p (of *cap elements of size bytes) hold at least need elements.
 * Returns 0, or -1 with *p and *cap unchanged when memory runs out. */
static inline int hx__grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			return -1;
		n *= 2;
	}
	if (!(q = realloc(*p, n * size)))
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

#endif
