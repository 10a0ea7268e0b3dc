/*
 * docsym.c - the document symbol a council or UN document carries near
 * its top ("Document C26/15-E", "A/RES/70/1"), so a memory built from it
 * can say where a unit came from. The symbol is the first document-symbol
 * anchor (anchor.c) in the opening blocks; the language suffix of ITU
 * symbols ("-E", "-C") is dropped, since every language version carries
 * the same document.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/doc.h>

#include "align/anchor.h"

/* Symbols sit in the masthead: the first blocks of the document. */
#define SYMBOL_BLOCKS 40

size_t hx_doc_symbol(const hx_doc *doc, char *buf, size_t size)
{
	const char *lang = hx_doc_get_lang(doc);

	assert(doc && buf && size);
	buf[0] = '\0';
	for (size_t i = 0; i < hx_doc_count(doc) && i < SYMBOL_BLOCKS; i++) {
		const hx_block *b = hx_doc_get_block(doc, i);
		hx__anchor *a = NULL;
		size_t n = 0;
		if (hx__anchors_find(&a, &n, lang ? lang : "en", b->text,
				     b->text_len) < 0)
			return 0;
		for (size_t k = 0; k < n; k++) {
			if (a[k].type != HX_ANCHOR_SYMBOL)
				continue;
			size_t len = a[k].end - a[k].start;
			const char *s = b->text + a[k].start;
			if (len > 2 && s[len - 2] == '-' &&
			    strchr("ECAFRS", s[len - 1]))
				len -= 2;
			if (len >= size)
				len = size - 1;
			memcpy(buf, s, len);
			buf[len] = '\0';
			free(a);
			return len;
		}
		free(a);
	}
	return 0;
}
