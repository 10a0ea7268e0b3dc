/*
 * error.c - filling the caller-owned hx_error. Messages are formatted once,
 * at the point of failure, where the file name and position are known.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/error-private.h"

void hx_error_init(hx_error *err)
{
	if (!err)
		return;
	err->code = HX_OK;
	err->message[0] = '\0';
}

const char *hx_status_str(int code)
{
	switch (code) {
	case HX_OK:
		return "ok";
	case HX_EINVAL:
		return "invalid argument";
	case HX_ENOTFOUND:
		return "not found";
	case HX_EIO:
		return "input/output error";
	case HX_ENOMEM:
		return "out of memory";
	case HX_EFORMAT:
		return "format error";
	case HX_ELIMIT:
		return "limit exceeded";
	}
	return "unknown error";
}

int hx__error_set(hx_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}
