/*
 * pt-numbers.c - the new source's numbers carried into the target of a
 * match that differs from it in numbers only (a 99), and a paragraph
 * number the memory's sentence had taken off a target whose new source
 * has none. Finding the match is pretranslate.c's job; this module only
 * rewrites its target, and only where every change is certain.
 *
 * Numbers are read as digit runs in any of the scripts UN documents use
 * (ASCII, Arabic-Indic, Eastern Arabic-Indic, full-width) with group and
 * decimal separators (1,250,000 / 1 250 000 / 1.250.000 / 1,5): a
 * separator followed by exactly three digits groups, any other ends the
 * integer part. So a date inside a Chinese or Arabic target
 * ("2013年10月24和25日", "24 و25 تشرين الأول/أكتوبر 2013") gives its
 * numbers up one by one, and each is replaced where it is written.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "base/error-private.h"
#include "base/text.h"
#include "pretranslate/pt-numbers.h"

#define NUM_MAX 40

struct num {
	size_t start, end; /* bytes */
	char val[NUM_MAX]; /* "1250000", "1.5": ASCII, no grouping */
	uint32_t zero;	   /* the script's zero: '0', U+0660, ... */
	char group[4];	   /* the group separator as written, "" none */
	char dec[4];	   /* the decimal separator as written, "" none */
};

static uint32_t zero_of(uint32_t c)
{
	static const uint32_t zeros[] = {'0', 0x0660, 0x06F0, 0xFF10};
	for (size_t i = 0; i < sizeof(zeros) / sizeof(*zeros); i++)
		if (c >= zeros[i] && c <= zeros[i] + 9)
			return zeros[i];
	return 0;
}

static bool is_sep(uint32_t c)
{
	return c == ',' || c == '.' || c == ' ' || c == 0x00A0 || c == 0x202F ||
	       c == 0x2009 || c == 0x066B || c == 0x066C || c == '\'';
}

/* Digits of one script starting at byte i: how many, and where after. */
static size_t digits_at(const char *s, size_t len, size_t i, uint32_t zero,
			size_t *after)
{
	size_t n = 0, j = i, k;

	while (j < len) {
		k = j;
		uint32_t c = hx__utf8_next(s, len, &k);
		if (c < zero || c > zero + 9)
			break;
		n++;
		j = k;
	}
	*after = j;
	return n;
}

static void put_digits(char *val, size_t *vn, const char *s, size_t from,
		       size_t to)
{
	while (from < to && *vn + 1 < NUM_MAX) {
		uint32_t c = hx__utf8_next(s, to, &from);
		val[(*vn)++] = (char)('0' + (c - zero_of(c)));
	}
	val[*vn] = 0;
}

/* All numbers of s, in order. A digit run glued to a Latin letter
 * ("SG17", "A4") is part of a name, not a number. */
static int scan(struct num **out, size_t *n, const char *s, size_t len)
{
	size_t cap = 8, i = 0, prev_end = 0;
	uint32_t prev = 0;
	struct num *v = malloc(cap * sizeof(*v));

	*out = NULL;
	*n = 0;
	if (!v)
		return HX_ENOMEM;
	while (i < len) {
		size_t at = i, after, vn = 0;
		uint32_t c = hx__utf8_next(s, len, &i), zero = zero_of(c);
		bool latin_before =
		    prev_end == at && prev < 0x80 &&
		    ((prev | 0x20) >= 'a' && (prev | 0x20) <= 'z');
		prev = c;
		prev_end = i;
		if (!zero || latin_before)
			continue;
		struct num x = {.start = at, .zero = zero};
		digits_at(s, len, at, zero, &after);
		put_digits(x.val, &vn, s, at, after);
		/* Groups, then at most one decimal part. */
		for (;;) {
			size_t j = after, sep_end, d_end;
			uint32_t sc;
			if (j >= len)
				break;
			sep_end = j;
			sc = hx__utf8_next(s, len, &sep_end);
			if (!is_sep(sc))
				break;
			size_t nd = digits_at(s, len, sep_end, zero, &d_end);
			if (!nd)
				break;
			size_t seplen = sep_end - j;
			if (nd == 3 && !x.dec[0] &&
			    (!x.group[0] ||
			     (strlen(x.group) == seplen &&
			      !memcmp(x.group, s + j, seplen)))) {
				memcpy(x.group, s + j, seplen < 4 ? seplen : 3);
				put_digits(x.val, &vn, s, sep_end, d_end);
				after = d_end;
				continue;
			}
			/* A space never separates decimals; "24 25" are two
			 * numbers. */
			if (sc == ' ' || sc == 0x00A0 || sc == 0x202F ||
			    sc == 0x2009 || x.dec[0] ||
			    (x.group[0] && strlen(x.group) == seplen &&
			     !memcmp(x.group, s + j, seplen)))
				break;
			memcpy(x.dec, s + j, seplen < 4 ? seplen : 3);
			if (vn + 1 < NUM_MAX)
				x.val[vn++] = '.';
			put_digits(x.val, &vn, s, sep_end, d_end);
			after = d_end;
			break;
		}
		x.end = after;
		if (*n == cap) {
			struct num *t = realloc(v, (cap *= 2) * sizeof(*v));
			if (!t) {
				free(v);
				return HX_ENOMEM;
			}
			v = t;
		}
		v[(*n)++] = x;
		i = after;
		prev = '0';
		prev_end = after;
	}
	*out = v;
	return HX_OK;
}

static size_t count_val(const struct num *v, size_t n, const char *val,
			const struct num **last)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].val, val)) {
			c++;
			if (last)
				*last = &v[i];
		}
	return c;
}

/* new value `val` written the way `like` is: its script, its group and
 * decimal separators. Returns the length written into buf. */
static size_t render(char *buf, const char *val, const struct num *like)
{
	const char *dot = strchr(val, '.');
	size_t ni = dot ? (size_t)(dot - val) : strlen(val), o = 0;

	for (size_t i = 0; i < ni; i++) {
		if (i && like->group[0] && (ni - i) % 3 == 0) {
			memcpy(buf + o, like->group, strlen(like->group));
			o += strlen(like->group);
		}
		o += hx__utf8_put(buf + o,
				  like->zero + (uint32_t)(val[i] - '0'));
	}
	if (dot) {
		const char *d = like->dec[0] ? like->dec : ".";
		memcpy(buf + o, d, strlen(d));
		o += strlen(d);
		for (const char *p = dot + 1; *p; p++)
			o += hx__utf8_put(buf + o,
					  like->zero + (uint32_t)(*p - '0'));
	}
	buf[o] = 0;
	return o;
}

struct repl {
	size_t start, end;
	char with[NUM_MAX * 8];
};

static int cmp_repl(const void *x, const void *y)
{
	const struct repl *a = x, *b = y;
	return (a->start < b->start) - (a->start > b->start); /* last first */
}

/* Numbers inside [from, to). */
static size_t span(const struct num *v, size_t n, size_t from, size_t to,
		   size_t *first)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].start >= from && v[i].end <= to && c++ == 0)
			*first = i;
	return c;
}

int hx__pt_fix_numbers(char **out, bool *certain, const char *src,
		       const char *query, const char *msrc, const char *target,
		       hx_error *err)
{
	hx_match_seg *q = NULL, *s = NULL;
	struct num *qn = NULL, *sn = NULL, *tn = NULL;
	struct repl *rs = NULL;
	size_t nq, ns, nt, nd = 0, nr = 0;
	hx_diff *d = NULL;
	int rc;

	assert(out && certain && src && query && msrc && target);
	*out = NULL;
	*certain = false;
	if ((rc = hx_match_seg_new(&q, src, query, strlen(query), err)) < 0 ||
	    (rc = hx_match_seg_new(&s, src, msrc, strlen(msrc), err)) < 0 ||
	    (rc = hx_match_diff(&d, &nd, q, s, err)) < 0)
		goto done;
	if (scan(&qn, &nq, query, strlen(query)) < 0 ||
	    scan(&sn, &ns, msrc, strlen(msrc)) < 0 ||
	    scan(&tn, &nt, target, strlen(target)) < 0 ||
	    !(rs = calloc(ns + 1, sizeof(*rs))))
		goto oom;
	for (size_t i = 0; i < nd; i++) {
		size_t fq = 0, fs = 0, cq, cs;
		if (d[i].op == HX_DIFF_SAME)
			continue;
		cq = span(qn, nq, d[i].q_start, d[i].q_end, &fq);
		cs = span(sn, ns, d[i].s_start, d[i].s_end, &fs);
		if (cq != cs)
			goto done; /* a number added or dropped */
		for (size_t k = 0; k < cs; k++) {
			const struct num *x = &qn[fq + k], *y = &sn[fs + k];
			const struct num *t = NULL;
			if (!strcmp(x->val, y->val))
				continue;
			/* The old number must say which target number it is:
			 * once in the memory's source, once in its target,
			 * and not changed twice. */
			if (count_val(sn, ns, y->val, NULL) != 1 ||
			    count_val(tn, nt, y->val, &t) != 1 || !t ||
			    nr >= ns)
				goto done;
			rs[nr].start = t->start;
			rs[nr].end = t->end;
			render(rs[nr].with, x->val, t);
			nr++;
		}
	}
	if (!nr)
		goto done;
	qsort(rs, nr, sizeof(*rs), cmp_repl);
	{
		size_t len = strlen(target), extra = 0;
		char *r;
		for (size_t i = 0; i < nr; i++)
			extra += strlen(rs[i].with);
		if (!(r = malloc(len + extra + 1)))
			goto oom;
		memcpy(r, target, len + 1);
		for (size_t i = 0; i < nr; i++) {
			size_t wl = strlen(rs[i].with);
			memmove(r + rs[i].start + wl, r + rs[i].end,
				strlen(r + rs[i].end) + 1);
			memcpy(r + rs[i].start, rs[i].with, wl);
		}
		*out = r;
		*certain = true;
	}
	goto done;
oom:
	rc = hx__error_set(err, HX_ENOMEM, "out of memory");
done:
	free(rs);
	free(qn);
	free(sn);
	free(tn);
	free(d);
	hx_match_seg_free(q);
	hx_match_seg_free(s);
	return rc;
}

size_t hx__pt_para_number(const char *s)
{
	size_t i = 0, groups = 0;

	if (s[0] == '(')
		i++;
	for (;;) {
		size_t n = 0;
		while (s[i + n] >= '0' && s[i + n] <= '9')
			n++;
		if (!n || n > 3)
			return 0;
		i += n;
		groups++;
		if (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
			i++;
			continue;
		}
		break;
	}
	if (s[i] != '.' && s[i] != ')')
		return 0;
	i++;
	if (s[i] != ' ' && s[i] != '\t')
		return 0;
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	return s[i] ? i : 0;
}
