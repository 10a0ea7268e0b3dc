/*
 * inline.h - inline codes (hx_inline, doc.h) as every stage handles them:
 * copied and freed, and turned into "coded text", where each code is one
 * private-use character U+E000 + k (k its index) at its place, as the
 * memory keeps TMX codes. Coded text is what the memory is asked with and
 * what carries a target's codes to the writers; it is not for people.
 */
#ifndef HX_INLINE_H
#define HX_INLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hexalign/doc.h>

#define HX__CODE_BASE 0xE000u
#define HX__CODE_MAX  6400u /* U+E000..U+F8FF */

/* A deep copy of v[0..n) into *out (NULL when n is 0). false: no memory. */
bool hx__inline_dup(hx_inline **out, const hx_inline *v, size_t n);

/* Free v[0..n) and its strings; NULL is fine. */
void hx__inline_free(hx_inline *v, size_t n);

/* Set a code's strings to copies (NULL is ""). false: no memory. */
bool hx__inline_set(hx_inline *c, const char *data, const char *disp);

/* Whether c is a placeholder character. */
static inline bool hx__is_code_char(uint32_t c)
{
	return c >= HX__CODE_BASE && c < HX__CODE_BASE + HX__CODE_MAX;
}

/*
 * text[0..len) with codes[0..n) put in as placeholders: code k as
 * U+E000 + k at its start, a STANDALONE in place of the text it stands
 * for. *out is malloc'd and NUL-terminated. false: no memory.
 */
bool hx__inline_coded(char **out, const char *text, size_t len,
		      const hx_inline *codes, size_t n);

/*
 * The plain text of coded text s: pair placeholders dropped, a
 * STANDALONE's placeholder replaced by the text it stood for in `codes`
 * (its disp); placeholders past n dropped. *out is malloc'd.
 */
bool hx__inline_plain(char **out, const char *s, const hx_inline *codes,
		      size_t n);

#endif
