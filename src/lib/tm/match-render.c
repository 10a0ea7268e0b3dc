/*
 * match-render.c - a match as an editor reads it: which kinds of
 * difference it has, in words, and the query against the match source
 * with the edits marked, as the look-up output and a server show them.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/match.h>

#include "base/error-private.h"

const char *hx_match_diff_kinds_str(char *buf, size_t size, unsigned k)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {{HX_MATCH_DIFF_NUMBERS, "numbers"},
		     {HX_MATCH_DIFF_PUNCT, "punctuation"},
		     {HX_MATCH_DIFF_CASE, "case"},
		     {HX_MATCH_DIFF_SPACE, "spacing"},
		     {HX_MATCH_DIFF_TAGS, "tags"},
		     {HX_MATCH_DIFF_WORDS, "words"}};
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (k & names[i].bit)
			n += (size_t)snprintf(buf + n, n < size ? size - n : 0,
					      "%s%s", n ? "," : "",
					      names[i].name);
	return buf;
}

int hx_match_diff_render(char **out, size_t *len, const char *lang,
			 const char *query, size_t qlen, const char *source,
			 size_t slen, hx_error *err)
{
	hx_match_seg *q = NULL, *s = NULL;
	hx_diff *d = NULL;
	size_t n = 0;
	FILE *m;
	int rc;

	assert(out && len && lang && query && source);
	*out = NULL, *len = 0;
	if ((rc = hx_match_seg_new(&q, lang, query, qlen, err)) < 0 ||
	    (rc = hx_match_seg_new(&s, lang, source, slen, err)) < 0 ||
	    (rc = hx_match_diff(&d, &n, q, s, err)) < 0)
		goto done;
	if (!(m = open_memstream(out, len))) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto done;
	}
	size_t sp = 0, qp = 0;
	for (size_t i = 0; i < n; i++) {
		/* The space between runs: the source's as it is, but before an
		 * insertion the query's (the source has none there), and after
		 * one the query's where the source has none (an insertion at
		 * the start: "{+Today+} [-The-]{+the+}"). */
		bool ins = d[i].op == HX_DIFF_INSERT;
		if (!ins && d[i].s_start > sp)
			fwrite(source + sp, 1, d[i].s_start - sp, m);
		else if ((ins || (i && d[i - 1].op == HX_DIFF_INSERT)) &&
			 d[i].q_start > qp)
			fwrite(query + qp, 1, d[i].q_start - qp, m);
		switch (d[i].op) {
		case HX_DIFF_SAME:
			fwrite(source + d[i].s_start, 1,
			       d[i].s_end - d[i].s_start, m);
			break;
		case HX_DIFF_DELETE:
			fprintf(m, "[-%.*s-]", (int)(d[i].s_end - d[i].s_start),
				source + d[i].s_start);
			break;
		case HX_DIFF_INSERT:
			fprintf(m, "{+%.*s+}", (int)(d[i].q_end - d[i].q_start),
				query + d[i].q_start);
			break;
		case HX_DIFF_REPLACE:
			fprintf(m, "[-%.*s-]{+%.*s+}",
				(int)(d[i].s_end - d[i].s_start),
				source + d[i].s_start,
				(int)(d[i].q_end - d[i].q_start),
				query + d[i].q_start);
			break;
		}
		if (d[i].op != HX_DIFF_INSERT)
			sp = d[i].s_end;
		if (d[i].op != HX_DIFF_DELETE)
			qp = d[i].q_end;
	}
	if (sp < slen)
		fwrite(source + sp, 1, slen - sp, m);
	fclose(m);
	rc = HX_OK;
done:
	free(d);
	hx_match_seg_free(q);
	hx_match_seg_free(s);
	return rc;
}
