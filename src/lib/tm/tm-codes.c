/*
 * tm-codes.c - a unit's stored inline codes, reduced to what a mapping
 * onto a new source needs (tm-codes.h). The full codes, content and all,
 * are the export's business (tm.c); this reads only kind and pairing.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "tm/tm-codes.h"
#include "tm/tm-json.h"
#include "tm/tm-private.h"

/* seg.codes as hx__codes_json() writes it: [[kind, content, i, x, ...],
 * ...], trailing fields strings, nulls or a number. */
static int parse(hx__tm_code **out, size_t *n, const char *j)
{
	static const char *const kinds[] = {"bpt", "ept", "ph",
					    "it",  "hi",  "ut"};
	hx__tm_code *v = NULL;
	size_t cap = 0;
	char *strs = NULL, *o;
	int rc = hx__json_array_open(&j, &strs);

	if (rc != HX_OK)
		return rc == 1 ? HX_OK : rc;
	o = strs;
	while (*j == '[') {
		hx__tm_code c = {0};
		const char *f[4] = {0};
		int nf = 0;
		j++;
		for (;;) {
			j = hx__json_skip_ws(j);
			if (*j == '"') {
				char *at = o;
				if (!hx__json_str(&j, &o))
					goto bad;
				if (nf < 4)
					f[nf] = at;
			} else if (!strncmp(j, "null", 4)) {
				j += 4;
			} else if (*j >= '0' && *j <= '9') {
				while (*j >= '0' && *j <= '9')
					j++;
			} else {
				goto bad;
			}
			nf++;
			j = hx__json_skip_ws(j);
			if (*j == ']')
				break;
			if (*j++ != ',')
				goto bad;
		}
		j = hx__json_skip_ws(j + 1);
		for (size_t k = 0; f[0] && k < 6; k++)
			if (!strcmp(f[0], kinds[k]))
				c.kind =
				    (hx_tmx_code_kind)(HX_TMX_CODE_BPT + k);
		if (!c.kind)
			goto bad;
		/* bpt/ept pair by i; ph and it are named by x, if at all. */
		const char *p = c.kind <= HX_TMX_CODE_EPT ? f[2] : f[3];
		if (p)
			strncpy(c.pair, p, sizeof(c.pair) - 1);
		if (hx__grow((void **)&v, &cap, *n + 1, sizeof(*v)) < 0) {
			free(v);
			free(strs);
			*n = 0;
			return HX_ENOMEM;
		}
		v[(*n)++] = c;
		if (*j == ',')
			j = hx__json_skip_ws(j + 1);
	}
	if (*j != ']')
		goto bad;
	free(strs);
	*out = v;
	return HX_OK;
bad:
	free(v);
	free(strs);
	*n = 0;
	return HX_EFORMAT;
}

int hx__tm_unit_codes(hx__tm_code **out, size_t *n, hx_tm *tm, int64_t unit,
		      const char *lang, hx_error *err)
{
	const char *json = NULL;
	int rc;

	assert(out && n && tm && lang);
	*out = NULL;
	*n = 0;
	if ((rc = tm->st->ops->get_codes(tm->st, unit, lang, &json, err)) < 0)
		return rc;
	if ((rc = parse(out, n, json)) == HX_EFORMAT)
		return hx__error_set(err, rc,
				     "%s: unit %lld (%s): the inline codes "
				     "stored are not readable",
				     tm->path, (long long)unit, lang);
	if (rc < 0)
		return hx__error_set(err, rc, "out of memory");
	return HX_OK;
}
