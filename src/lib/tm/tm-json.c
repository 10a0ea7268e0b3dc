/*
 * tm-json.c - the small JSON the memory keeps in a unit's rows: props
 * [["type","value"],...], notes ["note",...] and a segment's inline codes,
 * written at import and read back by look-ups (penalties) and export. Not
 * a general JSON parser: it reads what these writers wrote.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "tm/tm-json.h"

static void jput(struct hx__jbuf *j, const char *s, size_t n)
{
	if (j->oom)
		return;
	if (j->len + n + 1 > j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 256;
		while (cap < j->len + n + 1)
			cap *= 2;
		char *x = realloc(j->s, cap);
		if (!x) {
			j->oom = true;
			return;
		}
		j->s = x, j->cap = cap;
	}
	memcpy(j->s + j->len, s, n);
	j->len += n;
	j->s[j->len] = '\0';
}

static void jstr(struct hx__jbuf *j, const char *s)
{
	jput(j, "\"", 1);
	for (; s && *s; s++) {
		char e[8];
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			e[0] = '\\', e[1] = (char)c;
			jput(j, e, 2);
		} else if (c < 0x20) {
			snprintf(e, sizeof(e), "\\u%04x", c);
			jput(j, e, 6);
		} else {
			jput(j, s, 1);
		}
	}
	jput(j, "\"", 1);
}

char *hx__props_json(struct hx__jbuf *j, const hx_tmx_prop *p, size_t n)
{
	if (!n)
		return NULL;
	j->len = 0;
	jput(j, "[", 1);
	for (size_t i = 0; i < n; i++) {
		jput(j, i ? ",[" : "[", i ? 2 : 1);
		jstr(j, p[i].type);
		jput(j, ",", 1);
		jstr(j, p[i].value);
		jput(j, "]", 1);
	}
	jput(j, "]", 1);
	return j->oom ? NULL : strdup(j->s);
}

char *hx__notes_json(struct hx__jbuf *j, const char *const *notes, size_t n)
{
	if (!n)
		return NULL;
	j->len = 0;
	jput(j, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			jput(j, ",", 1);
		jstr(j, notes[i]);
	}
	jput(j, "]", 1);
	return j->oom ? NULL : strdup(j->s);
}

/* One JSON string at *p (at its opening quote) unescaped into *o. */
bool hx__json_str(const char **p, char **o)
{
	const char *s = *p + 1;

	for (; *s != '"'; s++) {
		if (!*s || (unsigned char)*s < 0x20)
			return false;
		if (*s != '\\') {
			*(*o)++ = *s;
			continue;
		}
		s++;
		const char *simple = strchr("\"\\/bfnrt", *s);
		if (*s && simple) {
			*(*o)++ = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
			continue;
		}
		if (*s != 'u')
			return false;
		int32_t v = hx__hex4(s + 1);
		if (v < 0)
			return false;
		uint32_t cp = (uint32_t)v;
		s += 4;
		if (cp >= 0xD800 && cp <= 0xDFFF)
			cp = 0xFFFD; /* jstr() never splits a character */
		*o += hx__utf8_put(*o, cp);
	}
	*(*o)++ = '\0';
	*p = s + 1;
	return true;
}

const char *hx__json_skip_ws(const char *j)
{
	while (*j == ' ' || *j == '\n' || *j == '\t' || *j == '\r')
		j++;
	return j;
}

/* The start of a stored JSON array: *strs gets a buffer that holds every
 * string of j unescaped (never longer than its JSON form with quotes),
 * and *j moves past the '[' and white space. Returns HX_OK to go on, 1
 * when there is nothing (j NULL or ""), HX_ENOMEM or HX_EFORMAT (*strs
 * NULL then). */
int hx__json_array_open(const char **j, char **strs)
{
	*strs = NULL;
	if (!*j || !**j)
		return 1;
	if (!(*strs = malloc(strlen(*j) + 1)))
		return HX_ENOMEM;
	*j = hx__json_skip_ws(*j);
	if (*(*j)++ != '[') {
		free(*strs);
		*strs = NULL;
		return HX_EFORMAT;
	}
	*j = hx__json_skip_ws(*j);
	return HX_OK;
}

/*
 * unit.props or unit.notes as hx__props_json() and hx__notes_json() wrote them:
 * [["type","value"],...] when `pairs`, ["note",...] otherwise. *v gets
 * the strings in order (two per prop), all in one buffer *strs, each
 * unescaped with its NUL; an empty or NULL j is no strings.
 */
int hx__strings_parse(const char *j, bool pairs, const char ***v, size_t *n,
		      char **strs)
{
	size_t cap = 0;
	char *o;

	*v = NULL, *n = 0;
	int rc = hx__json_array_open(&j, strs);
	if (rc != HX_OK)
		return rc == 1 ? HX_OK : rc;
	o = *strs;
	while (*j != ']') {
		size_t want = pairs ? 2 : 1;
		if (pairs && *j++ != '[')
			goto bad;
		for (size_t k = 0; k < want; k++) {
			j = hx__json_skip_ws(j);
			if (k && *j++ != ',')
				goto bad;
			j = hx__json_skip_ws(j);
			if (*j != '"')
				goto bad;
			if (*n == cap) {
				size_t nc = cap ? cap * 2 : 8;
				const char **x = realloc(*v, nc * sizeof(*x));
				if (!x) {
					free(*v), free(*strs);
					*v = NULL, *strs = NULL, *n = 0;
					return HX_ENOMEM;
				}
				*v = x, cap = nc;
			}
			(*v)[(*n)++] = o;
			if (!hx__json_str(&j, &o))
				goto bad;
		}
		j = hx__json_skip_ws(j);
		if (pairs && *j++ != ']')
			goto bad;
		j = hx__json_skip_ws(j);
		if (*j == ',')
			j = hx__json_skip_ws(j + 1);
		else if (*j != ']')
			goto bad;
	}
	return HX_OK;
bad:
	free(*v), free(*strs);
	*v = NULL, *strs = NULL, *n = 0;
	return HX_EFORMAT;
}

char *hx__codes_json(struct hx__jbuf *j, const hx_tmx_tuv_read *t)
{
	static const char *const kind[] = {"",	 "bpt", "ept", "ph",
					   "it", "hi",	"ut"};
	if (!t->ncodes)
		return NULL;
	j->len = 0;
	jput(j, "[", 1);
	for (size_t i = 0; i < t->ncodes; i++) {
		const hx_tmx_code *c = &t->codes[i];
		jput(j, i ? ",[" : "[", i ? 2 : 1);
		jstr(j, c->kind >= 1 && c->kind <= 6 ? kind[c->kind] : "");
		jput(j, ",", 1);
		jstr(j, c->content);
		jput(j, ",", 1);
		jstr(j, c->i);
		jput(j, ",", 1);
		jstr(j, c->x);
		jput(j, ",", 1);
		jstr(j, c->type);
		/* [kind, content, i, x, type(, pos, assoc(, end))]: what
		 * schema 3 memories hold, and TMX 1.4b's rest when present. */
		if (c->pos || c->assoc || c->kind == HX_TMX_CODE_HI) {
			jput(j, ",", 1);
			jstr(j, c->pos);
			jput(j, ",", 1);
			jstr(j, c->assoc);
		}
		if (c->kind == HX_TMX_CODE_HI && c->end != HX_TMX_END_UNKNOWN) {
			char e[24];
			jput(j, e,
			     (size_t)snprintf(e, sizeof(e), ",%zu", c->end));
		}
		jput(j, "]", 1);
	}
	jput(j, "]", 1);
	return j->oom ? NULL : strdup(j->s);
}
