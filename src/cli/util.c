/*
 * util.c - message, JSON and progress helpers for the CLI. Kept out of the
 * library: the library never prints.
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "util.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("hexalign: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_json_string(FILE *f, const char *s, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (c < 0x20)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

bool cli_progress_enabled(bool quiet)
{
	return !quiet && isatty(STDERR_FILENO);
}

void cli_progress(const char *verb, const char *name, size_t done, size_t total)
{
	fprintf(stderr, "\r\033[K%s %s: %zu/%zu", verb, name, done, total);
	fflush(stderr);
}

void cli_progress_end(void)
{
	fputs("\r\033[K", stderr);
	fflush(stderr);
}
