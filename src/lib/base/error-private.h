/*
 * error-private.h - how library modules fill an hx_error.
 */
#ifndef HX_ERROR_PRIVATE_H
#define HX_ERROR_PRIVATE_H

#include <hexalign/error.h>

/**
 * Fill err (may be NULL) with code and a printf-style message and return
 * code, so callers can write `return hx__error_set(err, HX_EIO, ...)`.
 */
int hx__error_set(hx_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
