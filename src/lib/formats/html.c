/*
 * html.c - escaping text for the HTML pages the library writes. One
 * function, so that every page escapes alike.
 */
#include "formats/html.h"

void hx__html_text(FILE *f, const char *s, size_t n, bool apos)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			if (apos) {
				fputs("&#39;", f);
				break;
			}
			fputc(s[i], f);
			break;
		default:
			fputc(s[i], f);
		}
	}
}
