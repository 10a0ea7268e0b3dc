/*
 * error.h - status codes and the caller-owned error object.
 *
 * Every fallible hexalign call returns HX_OK (0) or a negative hx_status
 * and, when given an hx_error, fills it with a message that names the
 * file, the line or byte offset, and what was expected.
 */
#ifndef HEXALIGN_ERROR_H
#define HEXALIGN_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(HX_BUILDING_LIBRARY)
#define HX_EXTERN __attribute__((visibility("default")))
#else
#define HX_EXTERN
#endif

/** Status codes. Callers branch on these; the detail is in hx_error. */
typedef enum hx_status {
	HX_OK = 0,
	HX_EINVAL = -1,	   /**< bad argument or unusable option */
	HX_ENOTFOUND = -2, /**< a file or entry does not exist */
	HX_EIO = -3,	   /**< reading or writing failed */
	HX_ENOMEM = -4,	   /**< out of memory */
	HX_EFORMAT = -5,   /**< the input is not what it claims to be */
	HX_ELIMIT = -6	   /**< the input exceeds a safety limit */
} hx_status;

/**
 * A caller-owned error. Initialise with hx_error_init(); the library fills
 * it on failure. `message` is UTF-8 and never NULL-terminated short of its
 * size: it always holds a terminated string, possibly empty.
 */
typedef struct hx_error {
	int code;	   /**< the hx_status of the failure */
	char message[512]; /**< "FILE:LINE: what is wrong" or "FILE: ..." */
} hx_error;

/** Reset *err to "no error". */
HX_EXTERN void hx_error_init(hx_error *err);

/** A short English name for a status code ("format error"...). */
HX_EXTERN const char *hx_status_str(int code);

#ifdef __cplusplus
}
#endif
#endif
