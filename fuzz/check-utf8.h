/*
 * check-utf8.h - the fuzz targets' own UTF-8 oracle, independent of the
 * library's (a bug shared by both would hide): RFC 3629, no overlongs,
 * surrogates or code points past U+10FFFF; abort() on anything else.
 * Returns the length, so a sanitizer sees every byte read.
 */
#ifndef HX_FUZZ_CHECK_UTF8_H
#define HX_FUZZ_CHECK_UTF8_H

#include <stddef.h>
#include <stdlib.h>

static inline size_t check_utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str, *start = s;

	if (!str)
		return 0;
	while (*s) {
		unsigned c = *s, n, cp;
		if (c < 0x80) {
			s++;
			continue;
		}
		n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : 0;
		if (!n || c > 0xF4)
			abort();
		cp = c & (0x3Fu >> n);
		for (unsigned k = 1; k <= n; k++) {
			if ((s[k] & 0xC0) != 0x80)
				abort();
			cp = cp << 6 | (s[k] & 0x3Fu);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			abort();
		s += n + 1;
	}
	return (size_t)(s - start);
}

#endif
