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
#include "base/inline.h"
#include "base/text.h"
#include "read/doc-private.h"

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
		hx__inline_free((hx_inline *)doc->blocks[i].codes,
				doc->blocks[i].ncodes);
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

/* Where offset o of the trimmed text t[0..len) lands in its NFC form nfc:
 * the same place when NFC changed nothing (nearly always), else the
 * length of the NFC of the text before it. */
static int nfc_offset(size_t *out, const char *t, size_t len, const char *nfc,
		      size_t o)
{
	size_t n;
	char *p;
	int rc;

	if (strlen(nfc) == len && !memcmp(nfc, t, len)) {
		*out = o;
		return HX_OK;
	}
	if ((rc = hx__nfc(&p, &n, t, o)) < 0)
		return rc;
	free(p);
	*out = n;
	return HX_OK;
}

/*
 * The codes of a block moved from the text as given to the text kept:
 * offsets clamped to the trimmed part [ts, te) and shifted, then carried
 * through NFC. A pair that ends up empty and a STANDALONE whose text was
 * trimmed away go.
 */
static int move_codes(hx_block *b, const char *text, size_t ts, size_t te,
		      const hx_inline *codes, size_t n, hx_error *err)
{
	hx_inline *v = NULL;
	size_t k = 0;
	int rc = HX_OK;

	if (!n)
		return HX_OK;
	if (!(v = calloc(n, sizeof(*v))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		hx_inline c = codes[i];
		size_t s = c.start < ts ? ts : c.start > te ? te : c.start;
		size_t e = c.end < ts ? ts : c.end > te ? te : c.end;
		bool had_text = c.end > c.start;
		if (c.kind == HX_INLINE_CLOSE) {
			size_t j = k;
			while (j-- > 0 && !(v[j].kind == HX_INLINE_OPEN &&
					    v[j].id == c.id))
				;
			if (j == (size_t)-1)
				continue; /* its OPEN went */
			if (v[j].start == v[j].end) {
				/* Empty: drop the OPEN too (nothing was put
				 * after it but codes of the same place). */
				free((char *)v[j].data);
				free((char *)v[j].disp);
				memmove(&v[j], &v[j + 1],
					(k - j - 1) * sizeof(*v));
				k--;
				continue;
			}
		}
		if ((c.kind == HX_INLINE_OPEN && e <= s) ||
		    (c.kind == HX_INLINE_STANDALONE && had_text && e <= s))
			continue;
		if ((rc = nfc_offset(&c.start, text + ts, te - ts, b->text,
				     s - ts)) < 0 ||
		    (rc = nfc_offset(&c.end, text + ts, te - ts, b->text,
				     e - ts)) < 0)
			goto fail;
		if (c.kind == HX_INLINE_CLOSE)
			c.end = c.start;
		c.data = c.disp = NULL;
		v[k] = c;
		if (!hx__inline_set(&v[k++], codes[i].data, codes[i].disp)) {
			rc = hx__error_set(err, HX_ENOMEM, "out of memory");
			goto fail;
		}
	}
	b->codes = k ? v : NULL;
	b->ncodes = k;
	if (!k)
		free(v);
	return HX_OK;
fail:
	hx__inline_free(v, k);
	return rc < 0 ? rc : HX_ENOMEM;
}

int hx_doc_add_block(hx_doc *doc, hx_block_kind kind, int level,
		     const char *label, size_t label_len, const char *text,
		     size_t text_len, size_t line, hx_error *err)
{
	return hx_doc_add_block_codes(doc, kind, level, label, label_len, text,
				      text_len, line, NULL, 0, err);
}

int hx_doc_add_block_codes(hx_doc *doc, hx_block_kind kind, int level,
			   const char *label, size_t label_len,
			   const char *text, size_t text_len, size_t line,
			   const hx_inline *codes, size_t ncodes, hx_error *err)
{
	const char *given = text;
	char *t = NULL, *l = NULL;
	hx_block *b;
	int rc;

	assert(doc && (text || !text_len) && (codes || !ncodes));
	if (!text)
		return HX_OK;
	for (size_t i = 0; i < ncodes; i++)
		if (codes[i].start > text_len || codes[i].end > text_len ||
		    codes[i].end < codes[i].start)
			return hx__error_set(err, HX_EINVAL,
					     "%s:%zu: inline code %zu lies "
					     "outside the text",
					     doc->path, line, i);
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
	b->codes = NULL;
	b->ncodes = 0;
	b->page = 0;
	b->x = b->y = 0;
	if ((rc = move_codes(b, given, (size_t)(text - given),
			     (size_t)(text - given) + text_len, codes, ncodes,
			     err)) < 0) {
		doc->n--;
		t = (char *)b->text;
		l = (char *)b->label;
		goto fail;
	}
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

void hx__doc_set_origin(hx_doc *doc, size_t i, unsigned page, double x,
			double y)
{
	assert(doc && i < doc->n);
	doc->blocks[i].page = page;
	doc->blocks[i].x = x;
	doc->blocks[i].y = y;
}
