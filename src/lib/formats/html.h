/*
 * html.h - text into the HTML pages the library writes (the alignment
 * review page, the check and pre-translation reports).
 */
#ifndef HX_HTML_H
#define HX_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Write s[0, n) to f with <, >, & and " escaped, and ' too when apos
 * (for text that may land in a single-quoted attribute). */
void hx__html_text(FILE *f, const char *s, size_t n, bool apos);

#endif
