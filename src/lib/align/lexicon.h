/*
 * lexicon.h - what the aligner needs from a lexicon beyond the public API:
 * word keys (the normal form both the lexicon and the documents' words are
 * reduced to before they are compared) and look-ups by side.
 */
#ifndef HX_LEXICON_H
#define HX_LEXICON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hexalign/align.h>

enum { HX_LEX_SRC = 0, HX_LEX_TGT = 1 };

/*
 * The key of word w[0..len) in `lang`: case-folded, Arabic diacritics and
 * tatweel removed, alef and yeh forms unified, Cyrillic ё as е, then a
 * light stem (see lexicon.c). Writes at most cap-1 bytes plus NUL into
 * out; returns the length, 0 when nothing is left.
 */
size_t hx__word_key(char *out, size_t cap, const char *lang, const char *w,
		    size_t len);

/* Whether lang is written without spaces between words (zh). */
bool hx__lang_unspaced(const char *lang);

/* The id of a key on one side, or -1. */
int64_t hx__lex_find(const hx_lexicon *lex, int side, const char *key,
		     size_t len);

/* The translations (ids on the other side) of id on side. */
const uint32_t *hx__lex_trans(const hx_lexicon *lex, int side, uint32_t id,
			      size_t *n);

/* The key string of an id on a side. */
const char *hx__lex_key(const hx_lexicon *lex, int side, uint32_t id,
			size_t *len);

/* Longest key on a side, in code points (bounds maximum matching). */
size_t hx__lex_max_chars(const hx_lexicon *lex, int side);

#endif
