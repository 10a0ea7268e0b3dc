/*
 * tmx.h - writing TMX 1.4b translation memories.
 *
 * The writer streams: units are written as they are added, so a memory of
 * any size is written in constant memory. Output to a file goes to a
 * temporary file beside it, renamed into place by hx_tmx_writer_close(), so
 * a failed or interrupted run never leaves a half-written TMX behind.
 */
#ifndef HEXALIGN_TMX_H
#define HEXALIGN_TMX_H

#include <stddef.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A <prop type="TYPE">VALUE</prop>. */
typedef struct hx_tmx_prop {
	const char *type;
	const char *value;
} hx_tmx_prop;

/** The <header> attributes. NULL fields take the defaults shown. */
typedef struct hx_tmx_header {
	const char *srclang;	  /**< BCP 47, required ("en") */
	const char *adminlang;	  /**< "en" */
	const char *datatype;	  /**< "plaintext" */
	const char *segtype;	  /**< "sentence" */
	const char *o_tmf;	  /**< "hexalign" */
	const char *creationdate; /**< "YYYYMMDDThhmmssZ"; NULL: now (UTC) */
	const hx_tmx_prop *props; /**< header props, borrowed */
	size_t nprops;
} hx_tmx_header;

/** One <tuv>: UTF-8 text, escaped by the writer. */
typedef struct hx_tmx_tuv {
	const char *lang; /**< BCP 47 */
	const char *text;
	size_t len;
} hx_tmx_tuv;

/** One <tu>. */
typedef struct hx_tmx_tu {
	const hx_tmx_tuv *tuvs;
	size_t ntuvs;
	const hx_tmx_prop *props;
	size_t nprops;
	const char *tuid; /**< optional */
} hx_tmx_tu;

typedef struct hx_tmx_writer hx_tmx_writer;

/**
 * Start a TMX at `path` ("-" is stdout). Returns HX_OK, HX_EINVAL (no
 * srclang), HX_EIO (the temporary file cannot be created) or HX_ENOMEM.
 */
HX_EXTERN int hx_tmx_writer_open(hx_tmx_writer **out, const char *path,
				 const hx_tmx_header *hdr, hx_error *err);

/** Add one unit. HX_EINVAL for invalid UTF-8 or a unit without tuvs. */
HX_EXTERN int hx_tmx_writer_add(hx_tmx_writer *w, const hx_tmx_tu *tu,
				hx_error *err);

/**
 * Finish the document and move it into place. On failure nothing is left
 * at `path`. The writer is freed either way.
 */
HX_EXTERN int hx_tmx_writer_close(hx_tmx_writer *w, hx_error *err);

/** Abandon: remove the temporary file and free. NULL is fine. */
HX_EXTERN void hx_tmx_writer_free(hx_tmx_writer *w);

#ifdef __cplusplus
}
#endif
#endif
