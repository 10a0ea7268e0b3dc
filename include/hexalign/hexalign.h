/*
 * hexalign.h - the public API of libhexalign, the one header to include.
 */
#ifndef HEXALIGN_H
#define HEXALIGN_H

#include "error.h"
#include "doc.h"
#include "read.h"
#include "segment.h"
#include "align.h"
#include "multialign.h"
#include "tmx.h"
#include "match.h"
#include "check.h"
#include "json.h"
#include "tm.h"
#include "pretranslate.h"
#include "review.h"
#include "xliff.h"
#include "termbase.h"
#include "termmatch.h"
#include "serve.h"
#include "terms.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The library version, "MAJOR.MINOR.PATCH". */
HX_EXTERN const char *hx_version(void);

#ifdef __cplusplus
}
#endif
#endif
