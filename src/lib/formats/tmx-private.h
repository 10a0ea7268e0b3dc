/*
 * tmx-private.h - what the library's TMX producers (the alignment's
 * output, the memory's export) share beyond the public writer.
 */
#ifndef HX_TMX_PRIVATE_H
#define HX_TMX_PRIVATE_H

#include <stddef.h>

/* The creation date SOURCE_DATE_EPOCH pins (reproducible-builds.org), as
 * a TMX date in buf, so that the same input gives the same file; NULL
 * when it is not set (the writer then takes the time now). */
const char *hx__tmx_source_date(char *buf, size_t size);

#endif
