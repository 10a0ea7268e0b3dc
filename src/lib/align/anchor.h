/*
 * anchor.h - typed anchors: the pieces of a sentence that survive
 * translation unchanged in meaning and nearly unchanged in form, found in
 * any of the six UN languages and reduced to a language-independent key so
 * the aligner can match them only against anchors of their own type.
 *
 * Private to the library (the aligner and, later, the checker use it).
 */
#ifndef HX_ANCHOR_H
#define HX_ANCHOR_H

#include <stddef.h>
#include <stdint.h>

typedef enum hx__anchor_type {
	HX_ANCHOR_NUMBER = 1, /* 179, 1 200,5 / 1,200.5, 一百七十九, ３ */
	HX_ANCHOR_DATE,	      /* 30 September 2024 = 2024年9月30日 = ... */
	HX_ANCHOR_SYMBOL,     /* document symbols: C26/15-E, A/RES/70/1 */
	HX_ANCHOR_LATIN,      /* Latin-script token: CWG-COP, SG17, UNICEF */
	HX_ANCHOR_URL	      /* URLs and e-mail addresses */
} hx__anchor_type;

typedef struct hx__anchor {
	hx__anchor_type type;
	/* Equal keys <=> same type and same normalised value, whatever the
	 * language or script the anchor was written in. */
	uint64_t key;
	size_t start, end; /* byte offsets into the text */
} hx__anchor;

/*
 * Find the anchors of UTF-8 `text` written in `lang` ("en", "zh", "ar",
 * "fr", "ru", "es"; others are treated like "en"). *out (caller frees
 * with free()) holds *n anchors in text order; *out may be NULL when *n is
 * 0. Returns 0 or HX_ENOMEM.
 */
int hx__anchors_find(hx__anchor **out, size_t *n, const char *lang,
		     const char *text, size_t len);

/*
 * The normalised value of an anchor, for explanations and tests
 * ("number:179", "date:2024-09-30", "symbol:A/RES/70/1",
 * "latin:cwg-cop", "url:https://itu.int/cop"), written NUL-terminated
 * into buf (truncated to size). Returns the length it needed.
 */
size_t hx__anchor_describe(char *buf, size_t size, const char *text,
			   const hx__anchor *a, const char *lang);

#endif
