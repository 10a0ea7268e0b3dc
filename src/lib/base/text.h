/*
 * text.h - UTF-8 helpers shared inside the library: validation with the
 * offset of the first bad byte, NFC normalisation through ICU, and the
 * decoding of UTF-16 input.
 */
#ifndef HX_TEXT_H
#define HX_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Check UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
 * Returns true when valid; otherwise *bad is the byte offset of the first
 * invalid sequence.
 */
bool hx__utf8_valid(const char *s, size_t len, size_t *bad);

/* A letter of a word: letters and the marks that sit on them (Arabic
 * harakat, combining accents). */
bool hx__is_letter(uint32_t c);

/**
 * Decode one code point at s[*i] (valid UTF-8 assumed), advancing *i.
 */
uint32_t hx__utf8_next(const char *s, size_t len, size_t *i);

/** Append code point c as UTF-8 to buf (needs 4 bytes); returns bytes written.
 */
size_t hx__utf8_put(char *buf, uint32_t c);

/** The four hex digits at s (a JSON \\u escape) as a number, or -1. */
int32_t hx__hex4(const char *s);

/**
 * Normalise valid UTF-8 to NFC. *out is malloc'd, NUL-terminated.
 * Returns 0 or a negative hx_status (HX_ENOMEM, HX_EFORMAT).
 */
int hx__nfc(char **out, size_t *out_len, const char *s, size_t len);

/**
 * Whether s is NFC already by a quick test that needs no conversion:
 * true only when it is (every character valid UTF-8 in the BMP, NFC
 * quick-check Yes and combining class 0); false says nothing.
 */
bool hx__nfc_quick(const char *s, size_t len);

/**
 * Convert UTF-16 (little- or big-endian, without BOM) to UTF-8. *out is
 * malloc'd. Returns 0, HX_ENOMEM, or HX_EFORMAT with *bad the byte offset
 * of an unpaired surrogate.
 */
int hx__utf16_to_utf8(char **out, size_t *out_len, const unsigned char *s,
		      size_t len, bool big_endian, size_t *bad);

/** Unicode White_Space (ASCII, NBSP, U+2000..U+200A, ideographic space...). */
bool hx__is_space(uint32_t c);

#endif
