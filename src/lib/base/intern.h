/*
 * intern.h - a string interning table: each distinct byte string gets a
 * dense id (0, 1, 2, ...), so later stages compare words as integers. Used
 * by the lexicon and the aligner; not a general-purpose map.
 */
#ifndef HX_INTERN_H
#define HX_INTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hx__intern hx__intern;

hx__intern *hx__intern_new(void);
void hx__intern_free(hx__intern *t);

/* The id of s[0..len), adding it when new. -1 on out of memory. */
int64_t hx__intern_add(hx__intern *t, const char *s, size_t len);

/* The id of s[0..len), or -1 when absent. */
int64_t hx__intern_find(const hx__intern *t, const char *s, size_t len);

/* The string of an id (NUL-terminated, borrowed). */
const char *hx__intern_str(const hx__intern *t, uint32_t id, size_t *len);

size_t hx__intern_count(const hx__intern *t);

#endif
