/*
 * tm-lookup.h - what the handle (tm.c) asks of the look-up: to let go of
 * the caches it keeps in the handle.
 */
#ifndef HX_TM_LOOKUP_H
#define HX_TM_LOOKUP_H

#include <hexalign/tm.h>

/* Free the look-up's scratch and caches in tm (not tm itself). */
void hx__tm_lookup_free(hx_tm *tm);

#endif
