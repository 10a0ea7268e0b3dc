/*
 * check-write.c - findings as an editor or a script reads them:
 * compiler-style lines, one JSON object a line, or an HTML report grouped
 * by rule with each finding in its context.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <hexalign/check.h>
#include <hexalign/json.h>

#include "base/error-private.h"
#include "formats/html.h"

static void write_text(FILE *f, const hx_findings *fs)
{
	for (size_t i = 0; i < hx_findings_count(fs); i++) {
		const hx_finding *x = hx_findings_get(fs, i);
		fprintf(f, "%s:%zu:%zu: %s: %s [%s]\n", x->file, x->line,
			x->column, hx_severity_str(x->severity), x->message,
			x->rule);
	}
}

static void json_field(FILE *f, const char *name, const char *v, bool comma)
{
	fprintf(f, "\"%s\":", name);
	hx_json_write_string(f, v, strlen(v));
	if (comma)
		fputc(',', f);
}

static void write_json(FILE *f, const hx_findings *fs)
{
	for (size_t i = 0; i < hx_findings_count(fs); i++) {
		const hx_finding *x = hx_findings_get(fs, i);
		fputc('{', f);
		json_field(f, "file", x->file, true);
		fprintf(f, "\"line\":%zu,\"column\":%zu,", x->line, x->column);
		json_field(f, "rule", x->rule, true);
		json_field(f, "severity", hx_severity_str(x->severity), true);
		json_field(f, "message", x->message, true);
		json_field(f, "found", x->found, true);
		json_field(f, "suggestion", x->suggestion, false);
		fputs("}\n", f);
	}
}

static void html_str(FILE *f, const char *s)
{
	hx__html_text(f, s, strlen(s), true);
}

/* Around a finding, this many bytes of its paragraph are shown, cut at
 * a character boundary. */
#define HTML_CONTEXT 160

static size_t back_to_char(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static void html_context(FILE *f, const hx_finding *x)
{
	const char *t = x->context;
	size_t len = strlen(t), s = x->context_start, e = x->context_end;
	size_t a = s > HTML_CONTEXT ? back_to_char(t, s - HTML_CONTEXT) : 0;
	size_t b =
	    len - e > HTML_CONTEXT ? back_to_char(t, e + HTML_CONTEXT) : len;

	if (a > 0)
		fputs("…", f);
	hx__html_text(f, t + a, s - a, true);
	if (e > s) {
		fputs("<mark>", f);
		hx__html_text(f, t + s, e - s, true);
		fputs("</mark>", f);
	}
	hx__html_text(f, t + e, b - e, true);
	if (b < len)
		fputs("…", f);
}

static void write_html(FILE *f, const hx_findings *fs, const char *const *files,
		       size_t nfiles)
{
	size_t n = hx_findings_count(fs), by_sev[3] = {0};

	for (size_t i = 0; i < n; i++)
		by_sev[hx_findings_get(fs, i)->severity]++;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	      "charset=\"utf-8\">\n<title>hexalign check</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:1em}"
	      "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}"
	      "td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;"
	      "text-align:left}"
	      "th{background:#eee}"
	      "td.loc{white-space:nowrap;font-family:monospace}"
	      "mark{background:#ffd54f}"
	      "span.error{color:#b00020;font-weight:bold}"
	      "span.warning{color:#a15c00}"
	      "span.info{color:#555}"
	      "p.d{color:#444}\n"
	      "</style>\n</head>\n<body>\n<h1>hexalign check</h1>\n<p>",
	      f);
	fprintf(f,
		"%zu findings: %zu errors, %zu warnings, %zu notes. Files: ", n,
		by_sev[HX_SEVERITY_ERROR], by_sev[HX_SEVERITY_WARNING],
		by_sev[HX_SEVERITY_INFO]);
	for (size_t i = 0; i < nfiles; i++) {
		fputs(i ? ", <code>" : "<code>", f);
		html_str(f, files[i]);
		fputs("</code>", f);
	}
	fputs(".</p>\n", f);
	for (size_t r = 0; r < hx_rule_count(); r++) {
		const hx_rule *rule = hx_rule_get(r);
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			k += !strcmp(hx_findings_get(fs, i)->rule, rule->id);
		if (!k)
			continue;
		fprintf(f, "<h2 id=\"%s\">%s <small>(%zu, %s)</small></h2>\n",
			rule->id, rule->id, k, hx_severity_str(rule->severity));
		fputs("<p class=\"d\">", f);
		html_str(f, rule->description);
		fputs("</p>\n<table>\n<tr><th>where</th><th>what</th>"
		      "<th>context</th><th>suggestion</th></tr>\n",
		      f);
		for (size_t i = 0; i < n; i++) {
			const hx_finding *x = hx_findings_get(fs, i);
			if (strcmp(x->rule, rule->id))
				continue;
			fputs("<tr><td class=\"loc\">", f);
			html_str(f, x->file);
			fprintf(
			    f, ":%zu:%zu</td><td><span class=\"%s\">%s</span> ",
			    x->line, x->column, hx_severity_str(x->severity),
			    hx_severity_str(x->severity));
			html_str(f, x->message);
			fputs("</td><td>", f);
			html_context(f, x);
			fputs("</td><td>", f);
			html_str(f, x->suggestion);
			fputs("</td></tr>\n", f);
		}
		fputs("</table>\n", f);
	}
	if (!n)
		fputs("<p>No findings.</p>\n", f);
	fputs("</body>\n</html>\n", f);
}

int hx_findings_format_parse(hx_findings_format *out, const char *name)
{
	assert(out && name);
	if (!strcmp(name, "text"))
		*out = HX_FINDINGS_TEXT;
	else if (!strcmp(name, "json"))
		*out = HX_FINDINGS_JSON;
	else if (!strcmp(name, "html"))
		*out = HX_FINDINGS_HTML;
	else
		return HX_EINVAL;
	return HX_OK;
}

int hx_findings_write(FILE *f, const hx_findings *fs, hx_findings_format format,
		      const char *const *files, size_t nfiles, hx_error *err)
{
	assert(f && fs && (files || !nfiles));
	switch (format) {
	case HX_FINDINGS_TEXT:
		write_text(f, fs);
		break;
	case HX_FINDINGS_JSON:
		write_json(f, fs);
		break;
	case HX_FINDINGS_HTML:
		write_html(f, fs, files, nfiles);
		break;
	default:
		return hx__error_set(err, HX_EINVAL, "unknown findings format");
	}
	return HX_OK;
}
