/*
 * inline.c - inline codes as data: copies, frees, and the coded text
 * (placeholders U+E000 + k) that the memory and the writers share. Where
 * codes come from (the DOCX reader) and how they are written (XLIFF,
 * DOCX) is other modules' business.
 */
#include <stdlib.h>
#include <string.h>

#include "base/inline.h"
#include "base/text.h"

static const char *const type_names[HX_INLINE_NTYPES] = {
    "bold",	"italic",  "underline", "subscript", "superscript", "link",
    "footnote", "endnote", "field",	"tab",	     "break"};

const char *hx_inline_type_str(hx_inline_type type)
{
	return type < HX_INLINE_NTYPES ? type_names[type] : "other";
}

hx_inline_type hx_inline_type_parse(const char *s)
{
	for (int i = 0; s && i < HX_INLINE_NTYPES; i++)
		if (!strcmp(s, type_names[i]))
			return (hx_inline_type)i;
	return HX_INLINE_NTYPES;
}

bool hx__inline_set(hx_inline *c, const char *data, const char *disp)
{
	c->data = strdup(data ? data : "");
	c->disp = strdup(disp ? disp : "");
	return c->data && c->disp;
}

void hx__inline_free(hx_inline *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free((char *)v[i].data);
		free((char *)v[i].disp);
	}
	free(v);
}

bool hx__inline_dup(hx_inline **out, const hx_inline *v, size_t n)
{
	hx_inline *d;

	*out = NULL;
	if (!n)
		return true;
	if (!(d = calloc(n, sizeof(*d))))
		return false;
	for (size_t i = 0; i < n; i++) {
		d[i] = v[i];
		d[i].data = d[i].disp = NULL;
		if (!hx__inline_set(&d[i], v[i].data, v[i].disp)) {
			hx__inline_free(d, n);
			return false;
		}
	}
	*out = d;
	return true;
}

bool hx__inline_coded(char **out, const char *text, size_t len,
		      const hx_inline *codes, size_t n)
{
	size_t at = 0, o = 0;
	char *s = malloc(len + 3 * n + 1);

	*out = NULL;
	if (!s)
		return false;
	for (size_t i = 0; i < n && i < HX__CODE_MAX; i++) {
		size_t p = codes[i].start < len ? codes[i].start : len;
		if (p > at) {
			memcpy(s + o, text + at, p - at);
			o += p - at;
			at = p;
		}
		o += hx__utf8_put(s + o, HX__CODE_BASE + (uint32_t)i);
		if (codes[i].kind == HX_INLINE_STANDALONE && codes[i].end > at)
			at = codes[i].end < len ? codes[i].end : len;
	}
	if (len > at) {
		memcpy(s + o, text + at, len - at);
		o += len - at;
	}
	s[o] = '\0';
	*out = s;
	return true;
}

bool hx__inline_plain(char **out, const char *s, const hx_inline *codes,
		      size_t n)
{
	size_t len = strlen(s), extra = 0, i = 0, o = 0;
	char *d;

	for (size_t k = 0; k < n; k++)
		if (codes[k].kind == HX_INLINE_STANDALONE)
			extra += strlen(codes[k].disp);
	if (!(d = malloc(len + extra + 1)))
		return false;
	while (i < len) {
		size_t at = i;
		uint32_t c = hx__utf8_next(s, len, &i);
		if (!hx__is_code_char(c)) {
			memcpy(d + o, s + at, i - at);
			o += i - at;
			continue;
		}
		c -= HX__CODE_BASE;
		if (c < n && codes[c].kind == HX_INLINE_STANDALONE) {
			size_t m = strlen(codes[c].disp);
			/* A second copy of one code has no room reserved. */
			if (m > extra)
				m = extra;
			memcpy(d + o, codes[c].disp, m);
			o += m;
			extra -= m;
		}
	}
	d[o] = '\0';
	*out = d;
	return true;
}
