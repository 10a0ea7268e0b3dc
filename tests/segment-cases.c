/*
 * segment-cases.c - a batch driver for golden-rules.py: reads cases
 * "LANG<TAB>TEXT" from stdin, one per line, and prints for each one line
 * holding its segments separated by TABs. In both directions backslash,
 * newline, carriage return and tab inside a text are escaped as \\, \n,
 * \r and \t. One process for all cases keeps the run fast, and the
 * segmenter of one language is kept across cases.
 *
 * "LANG/txt" or "LANG/wrapped" instead of LANG sends the text through
 * the plain-text reader first (a line is a paragraph, or lines are
 * wrapped), as a document would go, and segments each of its blocks; a
 * block's label is printed before its first sentence, after a space.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

static size_t unescape(char *s)
{
	char *o = s;

	for (char *p = s; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			*o++ = *p == 'n'   ? '\n'
			       : *p == 't' ? '\t'
			       : *p == 'r' ? '\r'
					   : *p;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return (size_t)(o - s);
}

static void put_escaped(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		default:
			putchar(s[i]);
		}
	}
}

/* Print spans of s TAB-separated; `label` goes before the first one. */
static void print_spans(const char *s, const hx_span *spans, size_t n,
			const char *label, bool more)
{
	for (size_t i = 0; i < n; i++) {
		if (i || more)
			putchar('\t');
		if (i == 0 && label && *label) {
			put_escaped(label, strlen(label));
			putchar(' ');
		}
		put_escaped(s + spans[i].start, spans[i].end - spans[i].start);
	}
}

static int read_and_split(hx_segmenter *seg, const char *text, size_t len,
			  const char *mode, hx_error *err)
{
	hx_read_options opts;
	hx_doc *doc = NULL;
	bool more = false;
	int rc;

	hx_read_options_init(&opts);
	opts.format = HX_FORMAT_TXT;
	opts.txt_lines = strcmp(mode, "wrapped") == 0 ? HX_TXT_LINES_WRAPPED
						      : HX_TXT_LINES_PARAGRAPHS;
	if (len == 0)
		return 0;
	if ((rc = hx_read_memory(&doc, "case.txt", text, len, &opts, err)) < 0)
		return rc;
	for (size_t b = 0; b < hx_doc_count(doc) && rc >= 0; b++) {
		const hx_block *blk = hx_doc_get_block(doc, b);
		hx_span *spans;
		size_t n;

		if ((rc = hx_segmenter_split(&spans, &n, seg, blk->text,
					     blk->text_len, err)) < 0)
			break;
		print_spans(blk->text, spans, n, blk->label, more);
		more = more || n > 0;
		free(spans);
	}
	hx_doc_free(doc);
	return rc;
}

int main(int argc, char **argv)
{
	char lang[32] = "", *line = NULL, *tab, *mode;
	hx_segmenter *seg = NULL;
	hx_srx *srx = NULL;
	size_t cap = 0, len, n;
	hx_span *spans;
	hx_error err;
	int rc = 1;

	hx_error_init(&err);
	if (argc == 3 && strcmp(argv[1], "--srx") == 0) {
		if (hx_srx_load(&srx, argv[2], &err) < 0) {
			fprintf(stderr, "segment-cases: %s\n", err.message);
			return 1;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: segment-cases [--srx FILE] < CASES\n");
		return 2;
	}
	while (getline(&line, &cap, stdin) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (!(tab = strchr(line, '\t')))
			continue;
		*tab = '\0';
		mode = strchr(line, '/');
		if (mode)
			*mode++ = '\0';
		if (strcmp(lang, line) != 0) {
			hx_segmenter_free(seg);
			seg = NULL;
			snprintf(lang, sizeof(lang), "%s", line);
			if (hx_segmenter_new(&seg, lang, srx, &err) < 0)
				goto fail;
		}
		len = unescape(tab + 1);
		if (mode) {
			if (read_and_split(seg, tab + 1, len, mode, &err) < 0)
				goto fail;
			putchar('\n');
			continue;
		}
		if (hx_segmenter_split(&spans, &n, seg, tab + 1, len, &err) < 0)
			goto fail;
		print_spans(tab + 1, spans, n, NULL, false);
		putchar('\n');
		free(spans);
	}
	rc = 0;
fail:
	if (rc)
		fprintf(stderr, "segment-cases: %s\n", err.message);
	free(line);
	hx_segmenter_free(seg);
	hx_srx_free(srx);
	return rc;
}
