/*
 * terms-write.c - mined candidates written out: TBX-Basic for a term base
 * (every term "admitted", for an editor to promote or drop), a JSON array
 * for scripts, and an HTML page to review them in a browser. Only
 * writing: what the numbers mean is terms-mine.c's.
 *
 * TBX: the TBX v3 core structure (ISO 30042:2019) in the DCA style of
 * TBX-Basic, <tbx type="TBX-Basic" style="dca">, conceptEntry > langSec
 * > termSec > term, with termNote type="administrativeStatus" valued
 * admittedTerm-admn-sts (the TBX-Basic picklist: preferredTerm-,
 * admittedTerm-, notRecommendedTerm-, obsoleteTerm-admn-sts), an example
 * as descrip type="context", and the evidence in a <note>. Text is
 * escaped as for HTML (&, <, >, "), which is XML's escaping too.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <hexalign/json.h>

#include "base/error-private.h"
#include "formats/html.h"
#include "terms/terms-private.h"

static void esc(FILE *f, const char *s)
{
	hx__html_text(f, s, strlen(s), false);
}

static void write_tbx(FILE *f, const hx_terms *t, const char *name)
{
	size_t en;
	size_t n = hx_terms_units(t, &en);

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<tbx style=\"dca\" type=\"TBX-Basic\" xml:lang=\"en\" "
		   "xmlns=\"urn:iso:std:iso:30042:ed-2\">\n"
		   "\t<tbxHeader>\n\t\t<fileDesc>\n\t\t\t<sourceDesc>\n"
		   "\t\t\t\t<p>Term candidates mined by hexalign terms mine "
		   "from ");
	esc(f, name);
	fprintf(f,
		" (%zu units, %zu with English), for review: every term is "
		"admitted until an editor decides.</p>\n"
		"\t\t\t</sourceDesc>\n\t\t</fileDesc>\n\t</tbxHeader>\n"
		"\t<text>\n\t\t<body>\n",
		n, en);
	for (size_t i = 0; i < t->ncand; i++) {
		const hx_terms_candidate *c = &t->cand[i];
		fprintf(f, "\t\t\t<conceptEntry id=\"c%zu\">\n", i + 1);
		fprintf(f, "\t\t\t\t<langSec xml:lang=\"en\">\n"
			   "\t\t\t\t\t<termSec>\n\t\t\t\t\t\t<term>");
		esc(f, c->text);
		fprintf(f, "</term>\n\t\t\t\t\t\t<termNote "
			   "type=\"administrativeStatus\">admittedTerm-admn-"
			   "sts</termNote>\n");
		if (c->acronym)
			fprintf(f, "\t\t\t\t\t\t<termNote type=\"termType\">"
				   "acronym</termNote>\n");
		if (c->nexamples) {
			fprintf(f, "\t\t\t\t\t\t<descrip type=\"context\">");
			esc(f, c->examples[0].source);
			fprintf(f, "</descrip>\n");
		}
		fprintf(f,
			"\t\t\t\t\t\t<note>%zu occurrences in %zu units; "
			"C-value %.2f%s; units",
			c->freq, c->units, c->cvalue,
			c->general ? ", a general English word" : "");
		for (size_t x = 0; x < c->nexamples; x++)
			fprintf(f, "%s %lld", x ? "," : "",
				(long long)c->examples[x].unit);
		fprintf(f, "</note>\n\t\t\t\t\t</termSec>\n"
			   "\t\t\t\t</langSec>\n");
		for (size_t k = 0; k < c->ntrans; k++) {
			const hx_terms_translation *tr = &c->trans[k];
			fprintf(f, "\t\t\t\t<langSec xml:lang=\"");
			esc(f, tr->lang);
			fprintf(f, "\">\n\t\t\t\t\t<termSec>\n"
				   "\t\t\t\t\t\t<term>");
			esc(f, tr->text);
			fprintf(f,
				"</term>\n\t\t\t\t\t\t<termNote "
				"type=\"administrativeStatus\">admittedTerm-"
				"admn-sts</termNote>\n"
				"\t\t\t\t\t\t<note>in %zu of the %zu units of "
				"the English term; Dice %.2f; confidence "
				"%.2f</note>\n"
				"\t\t\t\t\t</termSec>\n\t\t\t\t</langSec>\n",
				tr->freq, tr->units, tr->dice, tr->confidence);
		}
		fprintf(f, "\t\t\t</conceptEntry>\n");
	}
	fprintf(f, "\t\t</body>\n\t</text>\n</tbx>\n");
}

static void jstr(FILE *f, const char *s)
{
	hx_json_write_string(f, s, strlen(s));
}

static void write_json(FILE *f, const hx_terms *t)
{
	fprintf(f, "[");
	for (size_t i = 0; i < t->ncand; i++) {
		const hx_terms_candidate *c = &t->cand[i];
		fprintf(f, "%s\n{\"rank\":%zu,\"term\":", i ? "," : "", i + 1);
		jstr(f, c->text);
		fprintf(f,
			",\"words\":%zu,\"frequency\":%zu,\"units\":%zu,"
			"\"cvalue\":%.2f,\"score\":%.2f,\"general\":%s,"
			"\"acronym\":%s,\"translations\":{",
			c->words, c->freq, c->units, c->cvalue, c->score,
			c->general ? "true" : "false",
			c->acronym ? "true" : "false");
		for (size_t k = 0; k < c->ntrans; k++) {
			const hx_terms_translation *tr = &c->trans[k];
			fprintf(f, "%s", k ? "," : "");
			jstr(f, tr->lang);
			fprintf(f, ":{\"term\":");
			jstr(f, tr->text);
			fprintf(f,
				",\"frequency\":%zu,\"units\":%zu,"
				"\"dice\":%.3f,\"confidence\":%.3f}",
				tr->freq, tr->units, tr->dice, tr->confidence);
		}
		fprintf(f, "},\"examples\":[");
		for (size_t x = 0; x < c->nexamples; x++) {
			fprintf(f, "%s{\"unit\":%lld,\"source\":", x ? "," : "",
				(long long)c->examples[x].unit);
			jstr(f, c->examples[x].source);
			fprintf(f, "}");
		}
		fprintf(f, "]}");
	}
	fprintf(f, "\n]\n");
}

/* Sorting by a click on a column head: numbers as numbers. */
static const char sort_js[] =
    "document.querySelectorAll('th').forEach(function(th,i){"
    "th.onclick=function(){var tb=th.closest('table').tBodies[0];"
    "var rows=Array.from(tb.rows);var d=th.dataset.d=th.dataset.d=='1'?"
    "'-1':'1';rows.sort(function(a,b){var x=a.cells[i].dataset.v||"
    "a.cells[i].textContent,y=b.cells[i].dataset.v||b.cells[i]."
    "textContent;var p=parseFloat(x),q=parseFloat(y);if(!isNaN(p)&&"
    "!isNaN(q))return (p-q)*d;return x.localeCompare(y)*d;});"
    "rows.forEach(function(r){tb.appendChild(r);});};});";

static void write_html(FILE *f, const hx_terms *t, const char *name)
{
	size_t nl = hx_terms_lang_count(t);

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		   "<meta charset=\"utf-8\">\n<title>Term candidates: ");
	esc(f, name);
	fprintf(f, "</title>\n<style>\nbody{font-family:sans-serif;margin:1em}"
		   "table{border-collapse:collapse}th,td{border:1px solid "
		   "#ccc;padding:.2em .4em;vertical-align:top}th{cursor:"
		   "pointer;background:#eee}.c{color:#666;font-size:.8em}"
		   ".low{color:#a00}\n</style>\n</head>\n<body>\n"
		   "<h1>Term candidates: ");
	esc(f, name);
	fprintf(f, "</h1>\n<p>Click a column head to sort. Every term is a "
		   "candidate for review; a translation's confidence is under "
		   "it (red: under 0.5).</p>\n<table>\n<thead><tr><th>#</th>"
		   "<th>English</th><th>frequency</th><th>C-value</th>");
	for (size_t l = 1; l < nl; l++) {
		fprintf(f, "<th>");
		esc(f, hx_terms_lang(t, l));
		fprintf(f, "</th>");
	}
	fprintf(f, "<th>example</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < t->ncand; i++) {
		const hx_terms_candidate *c = &t->cand[i];
		fprintf(f, "<tr><td>%zu</td><td>", i + 1);
		esc(f, c->text);
		fprintf(f, "</td><td>%zu</td><td>%.2f</td>", c->freq,
			c->cvalue);
		for (size_t l = 1; l < nl; l++) {
			const char *lang = hx_terms_lang(t, l);
			const hx_terms_translation *tr = NULL;
			for (size_t k = 0; k < c->ntrans; k++)
				if (!strcmp(c->trans[k].lang, lang))
					tr = &c->trans[k];
			if (!tr) {
				fprintf(f, "<td data-v=\"\"></td>");
				continue;
			}
			fprintf(f, "<td lang=\"");
			esc(f, lang);
			fprintf(f, "\">");
			esc(f, tr->text);
			fprintf(f,
				"<div class=\"c%s\">%.2f (%zu/%zu)</div></td>",
				tr->confidence < 0.5 ? " low" : "",
				tr->confidence, tr->freq, tr->units);
		}
		fprintf(f, "<td class=\"c\">");
		if (c->nexamples) {
			fprintf(f, "%lld: ", (long long)c->examples[0].unit);
			esc(f, c->examples[0].source);
		}
		fprintf(f, "</td></tr>\n");
	}
	fprintf(f,
		"</tbody>\n</table>\n<script>%s</script>\n</body>\n</html>\n",
		sort_js);
}

int hx_terms_write(FILE *f, const hx_terms *t, const char *name,
		   hx_terms_format fmt, hx_error *err)
{
	assert(f && t);
	if (!name)
		name = "memory";
	if (fmt == HX_TERMS_JSON)
		write_json(f, t);
	else if (fmt == HX_TERMS_HTML)
		write_html(f, t, name);
	else
		write_tbx(f, t, name);
	if (fflush(f) != 0 || ferror(f))
		return hx__error_set(err, HX_EIO, "output: %s",
				     strerror(errno ? errno : EIO));
	return HX_OK;
}
