/*
 * xml-safe.h - parsing untrusted XML with libxml2 for the pre-translation
 * modules (XLIFF read back, the DOCX draft's document.xml): no network,
 * no DTD, no entity substitution, a DOCTYPE refused outright, and the
 * first error reported with its line.
 */
#ifndef HX_XML_SAFE_H
#define HX_XML_SAFE_H

#include <stddef.h>

#include <libxml/tree.h>

#include <hexalign/error.h>

/**
 * Parse data[0..len) into *out (free with xmlFreeDoc). `where` starts
 * every message: "FILE" or "FILE: PART", then ":LINE: malformed XML:
 * ...". Returns HX_OK, HX_EFORMAT, HX_ELIMIT (over 2 GiB), HX_ENOMEM.
 */
int hx__xml_parse_safe(xmlDoc **out, const char *where, const char *data,
		       size_t len, hx_error *err);

#endif
