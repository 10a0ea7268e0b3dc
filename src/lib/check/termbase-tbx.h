/*
 * termbase-tbx.h - the TBX reader (termbase-tbx.c), for the loader.
 */
#ifndef HX_TERMBASE_TBX_H
#define HX_TERMBASE_TBX_H

#include <stddef.h>

#include <hexalign/termbase.h>

/* Read TBX (either version) from memory into tb. */
int hx__tbx_read(hx_termbase *tb, const char *data, size_t len, hx_error *err);

#endif
