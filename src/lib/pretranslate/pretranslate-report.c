/*
 * pretranslate-report.c - the analysis of a pre-translation as a manager
 * reads it: a text table, JSON for scripts, or one self-contained HTML
 * page (a table and a bar chart drawn with CSS, no script, nothing
 * fetched), so it can be mailed or opened from a share. It formats counts
 * made by pretranslate.c and decides nothing.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <hexalign/hexalign.h>
#include <hexalign/pretranslate.h>

#include "base/error-private.h"
#include "formats/html.h"

static const char *const labels[HX_PT_NBANDS] = {"Context match (101%)",
						 "Exact match (100%)",
						 "95-99%",
						 "85-94%",
						 "75-84%",
						 "50-74%",
						 "No match",
						 "Repetitions"};

/* Bar colours, best leverage darkest. */
static const char *const colours[HX_PT_NBANDS] = {
    "#1b5e20", "#2e7d32", "#558b2f", "#9e9d24",
    "#f9a825", "#ef6c00", "#c62828", "#1565c0"};

static void text_report(FILE *f, const hx_pt_analysis *a, size_t penalised,
			const char *title)
{
	if (title)
		fprintf(f, "Analysis of %s\n\n", title);
	fprintf(f, "%-22s %9s %9s %11s %7s\n", "band", "segments", "words",
		"characters", "words%");
	for (int b = 0; b < HX_PT_NBANDS; b++) {
		const hx_pt_counts *c = &a->band[b];
		double pc = a->total.words ? 100.0 * (double)c->words /
						 (double)a->total.words
					   : 0.0;
		fprintf(f, "%-22s %9zu %9zu %11zu %6.1f%%\n", labels[b],
			c->segments, c->words, c->characters, pc);
	}
	fprintf(f, "%-22s %9zu %9zu %11zu %6.1f%%\n", "Total",
		a->total.segments, a->total.words, a->total.characters,
		a->total.words ? 100.0 : 0.0);
	if (penalised)
		fprintf(f,
			"\n%zu segment%s lost points for matches from "
			"unreviewed alignments (x-score under 0.9)\n",
			penalised, penalised == 1 ? "" : "s");
}

static size_t penalised(const hx_pt *pt)
{
	size_t n = 0;

	for (size_t i = 0; i < hx_pt_count(pt); i++)
		n += hx_pt_get(pt, i)->penalty > 0;
	return n;
}

static void json_counts(FILE *f, const hx_pt_counts *c)
{
	fprintf(f, "\"segments\": %zu, \"words\": %zu, \"characters\": %zu",
		c->segments, c->words, c->characters);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The counts, and the segments whose match lost points for coming from
 * an unreviewed alignment, so that a script can say why a sentence the
 * memory holds is not counted as exact. */
static void json_report(FILE *f, const hx_pt *pt, const hx_pt_analysis *a)
{
	bool first = true;

	fputs("{\"bands\": [", f);
	for (int b = 0; b < HX_PT_NBANDS; b++) {
		fprintf(f, "%s\n  {\"band\": \"%s\", ", b ? "," : "",
			hx_pt_band_name((hx_pt_band)b));
		json_counts(f, &a->band[b]);
		fputc('}', f);
	}
	fputs("],\n \"total\": {", f);
	json_counts(f, &a->total);
	fputs("},\n \"penalised\": [", f);
	for (size_t i = 0; i < hx_pt_count(pt); i++) {
		const hx_pt_segment *s = hx_pt_get(pt, i);
		if (!s->penalty)
			continue;
		fprintf(f, "%s\n  {\"id\": ", first ? "" : ",");
		json_string(f, s->id);
		fprintf(f,
			", \"score\": %d, \"penalty\": %d, "
			"\"penalty_reason\": ",
			s->score, s->penalty);
		json_string(f, s->penalty_reason);
		fputc('}', f);
		first = false;
	}
	fputs("]}\n", f);
}

static void html_cell(FILE *f, const char *s)
{
	fputs("<td>", f);
	if (s)
		hx__html_text(f, s, strlen(s), false);
	fputs("</td>", f);
}

/* Every segment: what a project manager checks a band's count against,
 * and what a translator sees before opening the XLIFF. */
static void html_segments(FILE *f, const hx_pt *pt)
{
	fputs("<h2>Segments</h2>\n<table class=\"segs\">\n<tr><th>#</th>"
	      "<th>Id</th><th>Band</th><th>Score</th><th>Words</th>"
	      "<th>Source</th><th>Target</th><th>Note</th></tr>\n",
	      f);
	for (size_t i = 0; i < hx_pt_count(pt); i++) {
		const hx_pt_segment *s = hx_pt_get(pt, i);
		char score[16];
		fprintf(f,
			"<tr style=\"border-left:.4em solid %s\">"
			"<td class=\"n\">%zu</td>",
			colours[s->band], i + 1);
		html_cell(f, s->id);
		fprintf(f, "<td>%s</td>", labels[s->band]);
		snprintf(score, sizeof(score), "%d", s->score);
		fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%zu</td>",
			s->score ? score : "", s->words);
		html_cell(f, s->source);
		html_cell(f, s->target);
		fputs("<td>", f);
		if (s->repeat_of != SIZE_MAX)
			fprintf(f, "repeats #%zu. ", s->repeat_of + 1);
		if (s->numbers_fixed)
			fputs("numbers replaced from the new source. ", f);
		if (s->numbers_unfixed)
			fputs("<b>numbers differ: check them</b>. ", f);
		if (s->penalty_reason) {
			fprintf(f, "%d points off: ", s->penalty);
			hx__html_text(f, s->penalty_reason,
				      strlen(s->penalty_reason), false);
			fputs(". ", f);
		}
		if (s->origin && *s->origin) {
			fputs("from ", f);
			hx__html_text(f, s->origin, strlen(s->origin), false);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void html_report(FILE *f, const hx_pt *pt, const hx_pt_analysis *a,
			const char *title)
{
	size_t most = 1;

	for (int b = 0; b < HX_PT_NBANDS; b++)
		if (a->band[b].words > most)
			most = a->band[b].words;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n<title>Pre-translation analysis",
	      f);
	if (title) {
		fputs(": ", f);
		hx__html_text(f, title, strlen(title), false);
	}
	fputs("</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:2em;color:#222}\n"
	      "table{border-collapse:collapse;margin:1em 0}\n"
	      "th,td{padding:.3em .8em;border-bottom:1px solid #ccc}\n"
	      "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	      "tr.total td{font-weight:bold;border-top:2px solid #222}\n"
	      ".chart{width:40em}\n"
	      ".row{display:flex;align-items:center;margin:.2em 0}\n"
	      ".lab{width:11em;font-size:.9em}\n"
	      ".bar{height:1.2em}\n"
	      ".val{margin-left:.5em;font-size:.8em}\n"
	      "table.segs td{vertical-align:top;font-size:.9em}\n"
	      "</style>\n</head>\n<body>\n<h1>Pre-translation analysis</h1>\n",
	      f);
	fputs("<p>", f);
	if (title) {
		fputs("Document: <b>", f);
		hx__html_text(f, title, strlen(title), false);
		fputs("</b>. ", f);
	}
	fprintf(f,
		"%s &rarr; %s, pre-translated from %d%%. Words: Chinese "
		"counted in characters.</p>\n",
		hx_pt_get_src(pt), hx_pt_get_tgt(pt), hx_pt_get_min(pt));
	fputs("<table>\n<tr><th>Band</th><th>Segments</th><th>Words</th>"
	      "<th>Characters</th><th>% of words</th></tr>\n",
	      f);
	for (int b = 0; b < HX_PT_NBANDS; b++) {
		const hx_pt_counts *c = &a->band[b];
		fprintf(f,
			"<tr><td>%s</td><td class=\"n\">%zu</td>"
			"<td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
			"<td class=\"n\">%.1f</td></tr>\n",
			labels[b], c->segments, c->words, c->characters,
			a->total.words
			    ? 100.0 * (double)c->words / (double)a->total.words
			    : 0.0);
	}
	fprintf(f,
		"<tr class=\"total\"><td>Total</td><td class=\"n\">%zu</td>"
		"<td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
		"<td class=\"n\">%s</td></tr>\n</table>\n",
		a->total.segments, a->total.words, a->total.characters,
		a->total.words ? "100.0" : "0.0");
	fputs("<h2>Words per band</h2>\n<div class=\"chart\">\n", f);
	for (int b = 0; b < HX_PT_NBANDS; b++) {
		const hx_pt_counts *c = &a->band[b];
		fprintf(f,
			"<div class=\"row\"><span class=\"lab\">%s</span>"
			"<span class=\"bar\" style=\"width:%.1f%%;"
			"background:%s\"></span><span class=\"val\">%zu"
			"</span></div>\n",
			labels[b], 70.0 * (double)c->words / (double)most,
			colours[b], c->words);
	}
	fputs("</div>\n", f);
	html_segments(f, pt);
	fputs("</body>\n</html>\n", f);
}

int hx_pt_report_format_parse(hx_pt_report_format *out, const char *name)
{
	assert(out && name);
	if (!strcmp(name, "json"))
		*out = HX_PT_REPORT_JSON;
	else if (!strcmp(name, "html") || !strcmp(name, "htm"))
		*out = HX_PT_REPORT_HTML;
	else if (!strcmp(name, "txt") || !strcmp(name, "text"))
		*out = HX_PT_REPORT_TEXT;
	else
		return HX_EINVAL;
	return HX_OK;
}

int hx_pt_report_format_of_path(hx_pt_report_format *out, const char *path)
{
	const char *dot = strrchr(path, '.');

	/* "a.d/report" has no extension: the dot is a folder's. */
	if (!dot || strchr(dot, '/'))
		return HX_EINVAL;
	return hx_pt_report_format_parse(out, dot + 1);
}

int hx_pt_report_write(FILE *f, const hx_pt *pt, hx_pt_report_format fmt,
		       const char *title, hx_error *err)
{
	hx_pt_analysis a;

	assert(f && pt);
	hx_pt_analyse(&a, pt);
	errno = 0;
	switch (fmt) {
	case HX_PT_REPORT_JSON:
		json_report(f, pt, &a);
		break;
	case HX_PT_REPORT_HTML:
		html_report(f, pt, &a, title);
		break;
	default:
		text_report(f, &a, penalised(pt), title);
	}
	if (ferror(f))
		return hx__error_set(err, HX_EIO, "report: write failed (%s)",
				     strerror(errno ? errno : EIO));
	return HX_OK;
}
