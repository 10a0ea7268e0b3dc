/*
 * sentences.h - the inside of hx_sentences, for the aligner.
 */
#ifndef HX_SENTENCES_H
#define HX_SENTENCES_H

#include <stdbool.h>
#include <stddef.h>

struct hx__sentence {
	char *text;
	size_t len;
	size_t block;
	char *label;
	bool heading;
	size_t line;
};

struct hx_sentences {
	char *lang;
	struct hx__sentence *v;
	size_t n, cap;
};

#endif
