/*
 * tm-results-write.c - look-up and concordance results as a person reads
 * them (text) or a program does (one JSON object per line), a look-up or
 * a file of them run and written in one go, and the memory's statistics:
 * what the CLI prints and what a server answers, written in one place.
 */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hexalign/json.h>
#include <hexalign/match.h>
#include <hexalign/tm.h>

#include "base/error-private.h"

/* The query against the match source, as [-source-]{+query+}; nothing
 * when it cannot be made (out of memory). */
static void write_diff(FILE *f, const char *lang, const char *query,
		       size_t qlen, const char *source, bool json)
{
	char *out = NULL;
	size_t olen = 0;

	if (hx_match_diff_render(&out, &olen, lang, query, qlen, source,
				 strlen(source), NULL) < 0)
		return;
	if (json)
		hx_json_write_string(f, out, olen);
	else
		fwrite(out, 1, olen, f);
	free(out);
}

static void json_field(FILE *f, const char *name, const char *s)
{
	fprintf(f, ",\"%s\":", name);
	hx_json_write_string(f, s, strlen(s));
}

static void write_json(FILE *f, const hx_tm_match *m, const char *lang,
		       const char *query, size_t len, const char *kinds,
		       double ms)
{
	fputs("{\"query\":", f);
	hx_json_write_string(f, query, len);
	fprintf(f, ",\"score\":%d", m->score);
	json_field(f, "source", m->source);
	json_field(f, "target", m->target);
	json_field(f, "origin", m->origin);
	json_field(f, "differs", kinds);
	fputs(",\"diff\":", f);
	write_diff(f, lang, query, len, m->source, true);
	fprintf(f, ",\"unit\":%lld", (long long)m->unit);
	if (m->penalty) {
		fprintf(f, ",\"penalty\":%d", m->penalty);
		json_field(f, "penalty_reason", m->penalty_reason);
	}
	if (ms >= 0)
		fprintf(f, ",\"ms\":%.3f", ms);
	fputs("}\n", f);
}

static void write_text(FILE *f, const hx_tm_match *m, const char *lang,
		       const char *query, size_t len, const char *kinds)
{
	/* What differs is the text's business, before any penalty. */
	int similar = m->score + m->penalty;
	fprintf(f, "  %3d  %s\n       %s\n", m->score, m->source, m->target);
	if (similar < 100) {
		fputs("       diff: ", f);
		write_diff(f, lang, query, len, m->source, false);
		fputc('\n', f);
	}
	fprintf(f, "       from: %s%s%s",
		m->origin[0] ? m->origin : "(unknown)",
		kinds[0] && similar < 100 ? "; differs in: " : "",
		similar < 100 ? kinds : "");
	if (m->penalty)
		fprintf(f, "; %d points off: %s", m->penalty,
			m->penalty_reason);
	fputc('\n', f);
}

int hx_tm_results_write(FILE *f, const hx_tm_results *r, const char *lang,
			const char *query, size_t len,
			const hx_tm_write_options *o, hx_error *err)
{
	size_t n = hx_tm_results_count(r);
	char kinds[64];

	if (!o->json)
		fprintf(f, "%.*s\n", (int)len, query);
	if (!n && !o->json)
		fprintf(f, "  (no match at %d%% or more)\n", o->min_score);
	/* One line for a query without a match too, so that the output of a
	 * file of queries lines up with them; ms as on a match. */
	if (!n && o->json) {
		fputs("{\"query\":", f);
		hx_json_write_string(f, query, len);
		fputs(",\"score\":null,\"matches\":0", f);
		if (o->ms >= 0)
			fprintf(f, ",\"ms\":%.3f", o->ms);
		fputs("}\n", f);
	}
	for (size_t i = 0; i < n; i++) {
		const hx_tm_match *m = hx_tm_results_get(r, i);
		hx_match_diff_kinds_str(kinds, sizeof(kinds), m->diff_kinds);
		if (o->json)
			write_json(f, m, lang, query, len, kinds, o->ms);
		else
			write_text(f, m, lang, query, len, kinds);
	}
	if (ferror(f))
		return hx__error_set(err, HX_EIO, "writing the results: %s",
				     strerror(errno));
	return HX_OK;
}

int hx_tm_concord_write(FILE *f, const hx_tm_results *r, const char *term,
			size_t len, bool json, hx_error *err)
{
	for (size_t i = 0; i < hx_tm_results_count(r); i++) {
		const hx_tm_match *m = hx_tm_results_get(r, i);
		size_t s, e;
		hx_tm_results_span(r, i, &s, &e);
		if (json) {
			fputs("{\"term\":", f);
			hx_json_write_string(f, term, len);
			json_field(f, "source", m->source);
			fprintf(f, ",\"start\":%zu,\"end\":%zu", s, e);
			json_field(f, "target", m->target);
			json_field(f, "origin", m->origin);
			fputs("}\n", f);
			continue;
		}
		fprintf(f, "%.*s[[%.*s]]%s\n    %s\n", (int)s, m->source,
			(int)(e - s), m->source + s, m->source + e, m->target);
	}
	if (ferror(f))
		return hx__error_set(err, HX_EIO, "writing the results: %s",
				     strerror(errno));
	return HX_OK;
}

void hx_tm_query_options_init(hx_tm_query_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	hx_tm_lookup_options_init(&opts->lookup);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int hx_tm_lookup_write(FILE *f, hx_tm *tm, const char *src, const char *tgt,
		       const char *query, size_t len,
		       const hx_tm_query_options *opts, hx_error *err)
{
	hx_tm_write_options wo = {opts->json, opts->lookup.min_score, -1};
	hx_tm_results *r = NULL;
	hx_error e;
	int rc;

	assert(f && tm && src && tgt && query && opts);
	double t0 = now_ms();
	if ((rc = hx_tm_lookup(&r, tm, src, tgt, query, len, &opts->lookup,
			       err)) < 0)
		return rc;
	if (opts->timing)
		wo.ms = now_ms() - t0;
	hx_error_init(&e);
	if ((rc = hx_tm_results_write(f, r, src, query, len, &wo, &e)) < 0)
		hx__error_set(err, rc, "%s: %s",
			      opts->out_name ? opts->out_name : "output",
			      e.message);
	hx_tm_results_free(r);
	return rc;
}

int hx_tm_lookup_file(size_t *failed_line, FILE *f, hx_tm *tm, const char *src,
		      const char *tgt, const char *path,
		      const hx_tm_query_options *opts, hx_error *err)
{
	FILE *in;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int rc = HX_OK;

	assert(failed_line && path);
	*failed_line = 0;
	in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!in)
		return hx__error_set(err,
				     errno == ENOENT ? HX_ENOTFOUND : HX_EIO,
				     "%s: %s", path, strerror(errno));
	while ((n = getline(&line, &cap, in)) >= 0) {
		lineno++;
		/* Files written on Windows end their lines in CR LF. */
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (!n)
			continue;
		if ((rc = hx_tm_lookup_write(f, tm, src, tgt, line, (size_t)n,
					     opts, err)) < 0) {
			*failed_line = lineno;
			break;
		}
	}
	free(line);
	if (in != stdin)
		fclose(in);
	return rc;
}

int hx_tm_stats_write(FILE *f, const hx_tm_stats *st, hx_error *err)
{
	fprintf(f,
		"units      %zu\nsegments   %zu\nfile       %lld "
		"bytes\nschema     %d\nlanguages ",
		st->units, st->segments, (long long)st->file_bytes,
		st->schema_version);
	for (size_t i = 0; i < st->nlangs; i++)
		fprintf(f, " %s:%zu", st->langs[i], st->per_lang[i]);
	fputc('\n', f);
	if (ferror(f))
		return hx__error_set(err, HX_EIO, "writing the statistics: %s",
				     strerror(errno));
	return HX_OK;
}
