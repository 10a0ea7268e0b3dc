/*
 * json.h - JSON string literals as the library and the command line
 * write them, so that every JSON output escapes alike.
 */
#ifndef HEXALIGN_JSON_H
#define HEXALIGN_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Write s[0, len) to f as a JSON string literal, quotes included: '"',
 * '\\', newline, return and tab escaped by name, other control characters
 * by their code point, the rest (UTF-8) as it is.
 */
HX_EXTERN void hx_json_write_string(FILE *f, const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
