/*
 * segment.h - sentence segmentation: ICU's sentence break iterator, with
 * SRX 2.0 rules on top that veto or add breaks.
 *
 * hexalign ships default rules for the six UN languages (compiled in from
 * dictionaries/hexalign.srx); any SRX 2.0 file can replace them.
 */
#ifndef HEXALIGN_SEGMENT_H
#define HEXALIGN_SEGMENT_H

#include <stddef.h>
#include "doc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A set of SRX 2.0 rules. */
typedef struct hx_srx hx_srx;

/** Load an SRX 2.0 file. HX_EFORMAT names the line of a bad rule. */
HX_EXTERN int hx_srx_load(hx_srx **out, const char *path, hx_error *err);

/** Load SRX from memory; `name` is used in messages. */
HX_EXTERN int hx_srx_load_memory(hx_srx **out, const char *name,
				 const char *data, size_t len, hx_error *err);

/** The built-in rules (dictionaries/hexalign.srx). */
HX_EXTERN int hx_srx_load_default(hx_srx **out, hx_error *err);

/** Free; NULL is fine. */
HX_EXTERN void hx_srx_free(hx_srx *srx);

/** A segmenter for one language. */
typedef struct hx_segmenter hx_segmenter;

/**
 * Create a segmenter for `lang` ("en", "zh", ...: a BCP 47 code) using
 * the rules in `srx` (borrowed; must outlive the segmenter), or the
 * built-in rules when srx is NULL.
 */
HX_EXTERN int hx_segmenter_new(hx_segmenter **out, const char *lang,
			       const hx_srx *srx, hx_error *err);

/** Free; NULL is fine. */
HX_EXTERN void hx_segmenter_free(hx_segmenter *seg);

/** A sentence: byte offsets [start, end) into the text it was cut from. */
typedef struct hx_span {
	size_t start;
	size_t end;
} hx_span;

/**
 * Split UTF-8 `text` into sentences. On success *spans (caller frees with
 * free()) holds *n spans with surrounding white space trimmed; empty
 * sentences are left out.
 */
HX_EXTERN int hx_segmenter_split(hx_span **spans, size_t *n, hx_segmenter *seg,
				 const char *text, size_t len, hx_error *err);

#ifdef __cplusplus
}
#endif
#endif
