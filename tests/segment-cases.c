/*
 * segment-cases.c - a batch driver for golden-rules.py: reads cases
 * "LANG<TAB>TEXT" from stdin, one per line, and prints for each one line
 * holding its segments separated by TABs. In both directions backslash,
 * newline, carriage return and tab inside a text are escaped as \\, \n,
 * \r and \t. One process for all cases keeps the run fast, and the
 * segmenter of one language is kept across cases.
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

int main(int argc, char **argv)
{
	char lang[32] = "", *line = NULL, *tab;
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
		if (strcmp(lang, line) != 0) {
			hx_segmenter_free(seg);
			seg = NULL;
			snprintf(lang, sizeof(lang), "%s", line);
			if (hx_segmenter_new(&seg, lang, srx, &err) < 0)
				goto fail;
		}
		len = unescape(tab + 1);
		if (hx_segmenter_split(&spans, &n, seg, tab + 1, len, &err) < 0)
			goto fail;
		for (size_t i = 0; i < n; i++) {
			if (i)
				putchar('\t');
			put_escaped(tab + 1 + spans[i].start,
				    spans[i].end - spans[i].start);
		}
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
