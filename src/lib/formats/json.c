/*
 * json.c - JSON as the library writes it (string literals for every JSON
 * output: findings, look-ups, segments, reviews) and as it reads it from
 * untrusted text: one object's top-level members (json-read.h), what the
 * server needs of a request body. Not a general document model.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/json.h>

#include "base/error-private.h"
#include "base/text.h"
#include "formats/json-read.h"

void hx_json_write_string(FILE *f, const char *s, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (c < 0x20)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

/* Deeper nesting is refused rather than recursed into: the reader runs on
 * text from the network. */
#define MAX_DEPTH 64

struct jparse {
	const char *s;
	size_t len, i;
	char *out; /* next free byte of the object's buffer */
	const char *what;
};

static void ws(struct jparse *p)
{
	while (p->i < p->len && p->s[p->i] && strchr(" \t\n\r", p->s[p->i]))
		p->i++;
}

static bool eat(struct jparse *p, char c)
{
	ws(p);
	if (p->i < p->len && p->s[p->i] == c) {
		p->i++;
		return true;
	}
	return false;
}

/* The \u escape at p->i (past the backslash and 'u'), a surrogate pair
 * taken whole: the code point, or -1. */
static int32_t uescape(struct jparse *p)
{
	if (p->len - p->i < 4)
		return -1;
	int32_t hi = hx__hex4(p->s + p->i);
	p->i += 4;
	if (hi < 0 || (hi >= 0xDC00 && hi <= 0xDFFF))
		return -1;
	if (hi < 0xD800 || hi > 0xDBFF)
		return hi;
	if (p->len - p->i < 6 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u')
		return -1;
	int32_t lo = hx__hex4(p->s + p->i + 2);
	if (lo < 0xDC00 || lo > 0xDFFF)
		return -1;
	p->i += 6;
	return 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
}

/* A string at p->i (its opening quote), unescaped into p->out when keep. */
static bool jstring(struct jparse *p, bool keep, const char **str, size_t *slen)
{
	char *o = p->out;

	p->what = "a string";
	if (!eat(p, '"'))
		return false;
	size_t start = p->i;
	for (;;) {
		if (p->i >= p->len)
			return false;
		unsigned char c = (unsigned char)p->s[p->i];
		if (c == '"')
			break;
		if (c < 0x20)
			return false;
		if (c != '\\') {
			*o++ = (char)c;
			p->i++;
			continue;
		}
		if (++p->i >= p->len)
			return false;
		c = (unsigned char)p->s[p->i++];
		const char *simple = c ? strchr("\"\\/bfnrt", c) : NULL;
		if (simple) {
			*o++ = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
		} else if (c == 'u') {
			int32_t cp = uescape(p);
			if (cp < 0)
				return false;
			o += hx__utf8_put(o, (uint32_t)cp);
		} else {
			return false;
		}
	}
	if (!hx__utf8_valid(p->s + start, p->i - start, NULL))
		return false;
	p->i++;
	if (keep) {
		*slen = (size_t)(o - p->out);
		*o++ = '\0';
		*str = p->out;
		p->out = o;
	}
	return true;
}

/* RFC 8259 section 6: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool jnumber(struct jparse *p, double *v)
{
	size_t i = p->i;
	const char *s = p->s;
	char tmp[64];

	p->what = "a number";
	if (i < p->len && s[i] == '-')
		i++;
	if (i >= p->len || s[i] < '0' || s[i] > '9')
		return false;
	if (s[i] == '0')
		i++;
	else
		while (i < p->len && s[i] >= '0' && s[i] <= '9')
			i++;
	if (i < p->len && s[i] == '.') {
		if (++i >= p->len || s[i] < '0' || s[i] > '9')
			return false;
		while (i < p->len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < p->len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= p->len || s[i] < '0' || s[i] > '9')
			return false;
		while (i < p->len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i - p->i >= sizeof(tmp))
		return false;
	memcpy(tmp, s + p->i, i - p->i);
	tmp[i - p->i] = '\0';
	*v = strtod(tmp, NULL);
	p->i = i;
	return true;
}

static bool word(struct jparse *p, const char *w)
{
	size_t n = strlen(w);
	if (p->len - p->i < n || memcmp(p->s + p->i, w, n))
		return false;
	p->i += n;
	return true;
}

static bool jvalue(struct jparse *p, struct hx__json_member *m, int depth);

/* An array or object below the top, checked and skipped. */
static bool jnested(struct jparse *p, int depth)
{
	struct hx__json_member skip;
	bool obj = p->s[p->i] == '{';
	char close = obj ? '}' : ']';

	p->what = "nesting of at most 64 levels";
	if (depth >= MAX_DEPTH)
		return false;
	p->i++;
	if (eat(p, close))
		return true;
	do {
		const char *k;
		size_t kl;
		if (obj && (!jstring(p, false, &k, &kl) || !eat(p, ':')))
			return false;
		if (!jvalue(p, &skip, depth + 1))
			return false;
	} while (eat(p, ','));
	p->what = obj ? "',' or '}'" : "',' or ']'";
	return eat(p, close);
}

static bool jvalue(struct jparse *p, struct hx__json_member *m, int depth)
{
	ws(p);
	p->what = "a value";
	if (p->i >= p->len)
		return false;
	switch (p->s[p->i]) {
	case '"':
		m->kind = HX__JSON_STRING;
		return jstring(p, depth == 1, &m->str, &m->len);
	case '{':
	case '[':
		m->kind = HX__JSON_NESTED;
		m->raw = p->s + p->i;
		if (!jnested(p, depth))
			return false;
		m->raw_len = (size_t)(p->s + p->i - m->raw);
		return true;
	case 't':
	case 'f':
		m->kind = HX__JSON_BOOL;
		m->b = p->s[p->i] == 't';
		return word(p, m->b ? "true" : "false");
	case 'n':
		m->kind = HX__JSON_NULL;
		return word(p, "null");
	default:
		m->kind = HX__JSON_NUMBER;
		return jnumber(p, &m->num);
	}
}

/* The members of an object, or the elements of an array (keyed ""),
 * past its opening bracket, to its closing one. */
static int elements(struct jparse *p, struct hx__json_object *o, bool array)
{
	size_t cap = 0;

	do {
		struct hx__json_member m = {0};
		size_t kl;
		if (array)
			m.key = "";
		else if (!jstring(p, true, &m.key, &kl))
			return HX_EFORMAT;
		p->what = "':'";
		if ((!array && !eat(p, ':')) || !jvalue(p, &m, 1))
			return HX_EFORMAT;
		if (o->n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct hx__json_member *x =
			    realloc(o->m, nc * sizeof(*x));
			if (!x)
				return HX_ENOMEM;
			o->m = x, cap = nc;
		}
		o->m[o->n++] = m;
	} while (eat(p, ','));
	p->what = array ? "',' or ']'" : "',' or '}'";
	return eat(p, array ? ']' : '}') ? HX_OK : HX_EFORMAT;
}

static int members(struct jparse *p, struct hx__json_object *o, bool array)
{
	int rc;

	p->what = array ? "'['" : "'{'";
	if (!eat(p, array ? '[' : '{'))
		return HX_EFORMAT;
	if (!eat(p, array ? ']' : '}') && (rc = elements(p, o, array)) < 0)
		return rc;
	ws(p);
	p->what = "the end of the text";
	return p->i == p->len ? HX_OK : HX_EFORMAT;
}

static int parse(struct hx__json_object *o, const char *s, size_t len,
		 bool array, hx_error *err)
{
	struct jparse p = {s, len, 0, NULL, NULL};
	int rc;

	memset(o, 0, sizeof(*o));
	/* Unescaped text is never longer than its escaped form, and each
	 * string has two quotes to give for its NUL. */
	if (!(o->buf = malloc(len + 1)))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	p.out = o->buf;
	rc = members(&p, o, array);
	if (rc == HX_OK)
		return HX_OK;
	hx__json_object_free(o);
	if (rc == HX_ENOMEM)
		return hx__error_set(err, rc, "out of memory");
	return hx__error_set(err, HX_EFORMAT,
			     "malformed JSON at byte %zu: expected %s", p.i,
			     p.what ? p.what : "a value");
}

int hx__json_object_parse(struct hx__json_object *o, const char *s, size_t len,
			  hx_error *err)
{
	return parse(o, s, len, false, err);
}

int hx__json_array_parse(struct hx__json_object *o, const char *s, size_t len,
			 hx_error *err)
{
	return parse(o, s, len, true, err);
}

void hx__json_object_free(struct hx__json_object *o)
{
	if (!o)
		return;
	free(o->m);
	free(o->buf);
	memset(o, 0, sizeof(*o));
}

const struct hx__json_member *
hx__json_object_get(const struct hx__json_object *o, const char *key)
{
	for (size_t i = o->n; i-- > 0;)
		if (!strcmp(o->m[i].key, key))
			return &o->m[i];
	return NULL;
}
