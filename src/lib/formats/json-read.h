/*
 * json-read.h - a JSON object read from untrusted text (an HTTP request
 * body): its top-level members as scalars, for a caller that wants a few
 * named fields. Not a document model: nested arrays and objects are
 * checked and kept as the text they span, which the caller may parse in
 * turn (hx__json_array_parse(), hx__json_object_parse()).
 */
#ifndef HX_JSON_READ_H
#define HX_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

#include <hexalign/error.h>

typedef enum hx__json_kind {
	HX__JSON_NULL,
	HX__JSON_BOOL,
	HX__JSON_NUMBER,
	HX__JSON_STRING,
	HX__JSON_NESTED /* an array or object: raw, raw_len */
} hx__json_kind;

struct hx__json_member {
	const char *key; /* UTF-8, unescaped */
	hx__json_kind kind;
	const char *str; /* HX__JSON_STRING: unescaped, NUL-terminated */
	size_t len;	 /* its length (it may hold U+0000) */
	double num;
	bool b;
	/* HX__JSON_NESTED: its text, '[' or '{' to the closing bracket,
	 * borrowed from the text parsed */
	const char *raw;
	size_t raw_len;
};

struct hx__json_object {
	struct hx__json_member *m;
	size_t n;
	char *buf; /* every key and string */
};

/*
 * Parse s[0, len) as one JSON object (RFC 8259; white space around it).
 * HX_EFORMAT with the byte offset for anything else (invalid UTF-8, a
 * lone surrogate, nesting deeper than 64, trailing text); HX_ENOMEM.
 * On failure *o holds nothing.
 */
int hx__json_object_parse(struct hx__json_object *o, const char *s, size_t len,
			  hx_error *err);
/* The same for one JSON array: its elements as members keyed "". */
int hx__json_array_parse(struct hx__json_object *o, const char *s, size_t len,
			 hx_error *err);
void hx__json_object_free(struct hx__json_object *o);
/* The last member named key, or NULL. */
const struct hx__json_member *
hx__json_object_get(const struct hx__json_object *o, const char *key);

#endif
