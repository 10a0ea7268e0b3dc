/*
 * tm-codes.h - what pre-translation needs of a unit's stored inline
 * codes: for each placeholder U+E000 + k of a segment, the TMX element
 * it was (bpt, ept, ph...) and the attribute that pairs it (i) or names
 * it (x), so a match's target codes can be put on the new source's.
 */
#ifndef HX_TM_CODES_H
#define HX_TM_CODES_H

#include <stddef.h>
#include <stdint.h>

#include <hexalign/tm.h>
#include <hexalign/tmx.h>

typedef struct hx__tm_code {
	hx_tmx_code_kind kind;
	char pair[24]; /* i for bpt/ept, x for ph/it ("" when absent) */
} hx__tm_code;

/* The codes of unit's segment in lang into *out (malloc'd, NULL and 0
 * when it has none). HX_OK, HX_EFORMAT (unreadable), HX_ENOMEM, or the
 * store's error. */
int hx__tm_unit_codes(hx__tm_code **out, size_t *n, hx_tm *tm, int64_t unit,
		      const char *lang, hx_error *err);

#endif
