/*
 * doc.c - the document model: an append-only array of blocks. Readers
 * build it; every later stage only reads it. Text is validated and put in
 * NFC here, once, so no other stage has to.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/doc.h>

#include "base/error-private.h"
#include "base/text.h"

struct hx_doc {
	char *path;
	char *lang;
	hx_block *blocks;
	size_t n, cap;
};

const char *hx_block_kind_str(hx_block_kind kind)
{
	switch (kind) {
	case HX_BLOCK_PARAGRAPH:
		return "paragraph";
	case HX_BLOCK_HEADING:
		return "heading";
	case HX_BLOCK_LIST_ITEM:
		return "list-item";
	case HX_BLOCK_TABLE_CELL:
		return "table-cell";
	case HX_BLOCK_FOOTNOTE:
		return "footnote";
	case HX_BLOCK_ENDNOTE:
		return "endnote";
	}
	return "paragraph";
}

int hx_doc_new(hx_doc **out, const char *path, hx_error *err)
{
	hx_doc *doc;

	assert(out);
	*out = NULL;
	if (!(doc = calloc(1, sizeof(*doc))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if (!(doc->path = strdup(path ? path : "-"))) {
		free(doc);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	*out = doc;
	return HX_OK;
}

void hx_doc_free(hx_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->n; i++) {
		free((char *)doc->blocks[i].text);
		free((char *)doc->blocks[i].label);
	}
	free(doc->blocks);
	free(doc->path);
	free(doc->lang);
	free(doc);
}

/* Trim Unicode white space at both ends of valid UTF-8. */
static void trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len, i = 0, start = 0, end = 0;

	while (i < n) {
		size_t at = i;
		if (!hx__is_space(hx__utf8_next(p, n, &i))) {
			start = at;
			break;
		}
		start = i;
	}
	end = start;
	for (i = start; i < n;) {
		if (!hx__is_space(hx__utf8_next(p, n, &i)))
			end = i;
	}
	*s = p + start;
	*len = end > start ? end - start : 0;
}

static int copy_nfc(char **out, const hx_doc *doc, const char *what,
		    const char *s, size_t len, size_t line, hx_error *err)
{
	size_t bad, outlen;
	int rc;

	if (!hx__utf8_valid(s, len, &bad))
		return hx__error_set(err, HX_EFORMAT,
				     "%s:%zu: invalid UTF-8 in %s", doc->path,
				     line, what);
	if ((rc = hx__nfc(out, &outlen, s, len)) < 0)
		return hx__error_set(err, rc, "%s:%zu: cannot normalise %s",
				     doc->path, line, what);
	return HX_OK;
}

int hx_doc_add_block(hx_doc *doc, hx_block_kind kind, int level,
		     const char *label, size_t label_len, const char *text,
		     size_t text_len, size_t line, hx_error *err)
{
	char *t = NULL, *l = NULL;
	hx_block *b;
	int rc;

	assert(doc && (text || !text_len));
	if (!text)
		return HX_OK;
	if (!hx__utf8_valid(text, text_len, NULL))
		return copy_nfc(&t, doc, "text", text, text_len, line, err);
	trim(&text, &text_len);
	if (text_len == 0)
		return HX_OK;
	if (doc->n == doc->cap) {
		size_t cap = doc->cap ? doc->cap * 2 : 64;
		hx_block *nb = realloc(doc->blocks, cap * sizeof(*nb));
		if (!nb)
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		doc->blocks = nb;
		doc->cap = cap;
	}
	if ((rc = copy_nfc(&t, doc, "text", text, text_len, line, err)) < 0)
		goto fail;
	if (label)
		trim(&label, &label_len);
	if ((rc = copy_nfc(&l, doc, "label", label ? label : "",
			   label ? label_len : 0, line, err)) < 0)
		goto fail;
	b = &doc->blocks[doc->n++];
	b->kind = kind;
	b->level = level;
	b->text = t;
	b->text_len = strlen(t);
	b->label = l;
	b->line = line;
	return HX_OK;
fail:
	free(t);
	free(l);
	return rc;
}

size_t hx_doc_count(const hx_doc *doc)
{
	assert(doc);
	return doc->n;
}

const hx_block *hx_doc_get_block(const hx_doc *doc, size_t i)
{
	assert(doc);
	return i < doc->n ? &doc->blocks[i] : NULL;
}

const char *hx_doc_get_path(const hx_doc *doc)
{
	assert(doc);
	return doc->path;
}

const char *hx_doc_get_lang(const hx_doc *doc)
{
	assert(doc);
	return doc->lang;
}

int hx_doc_set_lang(hx_doc *doc, const char *lang, hx_error *err)
{
	char *l = NULL;

	assert(doc);
	if (lang && !(l = strdup(lang)))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	free(doc->lang);
	doc->lang = l;
	return HX_OK;
}
