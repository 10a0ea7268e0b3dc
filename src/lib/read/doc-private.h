/*
 * doc-private.h - what readers may set on a block after adding it that
 * the public hx_doc_add_block() does not take: where on a page it stood.
 */
#ifndef HX_DOC_PRIVATE_H
#define HX_DOC_PRIVATE_H

#include <hexalign/doc.h>

/** Set block i's page (1-based) and its top-left x, y in PDF points from
 * the page's top-left. i must be a block of doc. */
void hx__doc_set_origin(hx_doc *doc, size_t i, unsigned page, double x,
			double y);

#endif
