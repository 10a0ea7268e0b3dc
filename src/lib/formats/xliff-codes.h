/*
 * xliff-codes.h - how each kind of inline code is spelt in XLIFF, one
 * table for the writer and the reader: 2.1 <pc>/<ph> type and subType
 * (XLIFF 2.1 section 4.3.1.36-37: xlf:b, xlf:i, xlf:u, xlf:lb are the
 * spec's own, the rest hexalign's "hx:" values), 1.2 <g>/<x> ctype
 * (XLIFF 1.2 section 2.6.1; "x-" values are user-defined).
 */
#ifndef HX_XLIFF_CODES_H
#define HX_XLIFF_CODES_H

#include <string.h>

#include <hexalign/doc.h>

struct hx__xliff_code_name {
	const char *v2_type, *v2_sub, *v1_ctype;
};

static const struct hx__xliff_code_name hx__xliff_code_names[] = {
    [HX_INLINE_BOLD] = {"fmt", "xlf:b", "bold"},
    [HX_INLINE_ITALIC] = {"fmt", "xlf:i", "italic"},
    [HX_INLINE_UNDERLINE] = {"fmt", "xlf:u", "underlined"},
    [HX_INLINE_SUBSCRIPT] = {"fmt", "hx:sub", "x-subscript"},
    [HX_INLINE_SUPERSCRIPT] = {"fmt", "hx:sup", "x-superscript"},
    [HX_INLINE_LINK] = {"link", NULL, "link"},
    [HX_INLINE_FOOTNOTE] = {"other", "hx:footnote", "x-footnote"},
    [HX_INLINE_ENDNOTE] = {"other", "hx:endnote", "x-endnote"},
    [HX_INLINE_FIELD] = {"other", "hx:field", "x-field"},
    [HX_INLINE_TAB] = {"fmt", "hx:tab", "x-tab"},
    [HX_INLINE_BREAK] = {"fmt", "xlf:lb", "lb"},
};

/* The type an XLIFF code names: 2.x by subType (type alone for links),
 * 1.2 by ctype; HX_INLINE_NTYPES when it names none of hexalign's. */
static inline hx_inline_type
hx__xliff_code_type(const char *type, const char *sub, const char *ctype)
{
	for (int i = 0; i < HX_INLINE_NTYPES; i++) {
		const struct hx__xliff_code_name *c = &hx__xliff_code_names[i];
		if (ctype ? !strcmp(ctype, c->v1_ctype)
		    : sub ? c->v2_sub && !strcmp(sub, c->v2_sub)
			  : type && !c->v2_sub && !strcmp(type, c->v2_type))
			return (hx_inline_type)i;
	}
	return HX_INLINE_NTYPES;
}

#endif
