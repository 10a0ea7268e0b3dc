/*
 * sentences.c - one side of an alignment: the sentences of a document in
 * order, each with the block it came from, that block's label and kind,
 * and its source line. Built from an hx_doc by segmenting every block, or
 * sentence by sentence for pre-segmented input. It holds text; the
 * features the aligner computes from it live in align.c.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/align.h>
#include <hexalign/segment.h>

#include "base/error-private.h"
#include "base/text.h"
#include "segment/sentences.h"

void hx_sentences_free(hx_sentences *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].text);
		free(s->v[i].label);
	}
	free(s->v);
	free(s->lang);
	free(s);
}

int hx_sentences_new(hx_sentences **out, const char *lang, hx_error *err)
{
	hx_sentences *s;

	assert(out && lang);
	*out = NULL;
	if (!(s = calloc(1, sizeof(*s))) || !(s->lang = strdup(lang))) {
		free(s);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	*out = s;
	return HX_OK;
}

int hx_sentences_add(hx_sentences *s, const char *text, size_t len,
		     size_t block, const char *label, bool heading, size_t line,
		     hx_error *err)
{
	struct hx__sentence *v;
	size_t bad;

	assert(s && (text || !len));
	if (!hx__utf8_valid(text, len, &bad))
		return hx__error_set(err, HX_EINVAL,
				     "sentence %zu: invalid UTF-8 at byte %zu",
				     s->n + 1, bad);
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		if (!(v = realloc(s->v, cap * sizeof(*v))))
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		s->v = v;
		s->cap = cap;
	}
	v = &s->v[s->n];
	memset(v, 0, sizeof(*v));
	v->text = malloc(len + 1);
	v->label = strdup(label ? label : "");
	if (!v->text || !v->label) {
		free(v->text);
		free(v->label);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	memcpy(v->text, text, len);
	v->text[len] = '\0';
	v->len = len;
	v->block = block;
	v->heading = heading;
	v->line = line;
	s->n++;
	return HX_OK;
}

int hx_sentences_from_doc(hx_sentences **out, const hx_doc *doc,
			  const char *lang, const struct hx_srx *srx,
			  hx_error *err)
{
	hx_segmenter *seg = NULL;
	hx_sentences *s = NULL;
	hx_span *spans = NULL;
	size_t n;
	int rc;

	assert(out && doc && lang);
	*out = NULL;
	if ((rc = hx_sentences_new(&s, lang, err)) < 0)
		return rc;
	if ((rc = hx_segmenter_new(&seg, lang, srx, err)) < 0)
		goto fail;
	for (size_t i = 0; i < hx_doc_count(doc); i++) {
		const hx_block *b = hx_doc_get_block(doc, i);
		if ((rc = hx_segmenter_split(&spans, &n, seg, b->text,
					     b->text_len, err)) < 0)
			goto fail;
		for (size_t k = 0; k < n; k++) {
			rc = hx_sentences_add(
			    s, b->text + spans[k].start,
			    spans[k].end - spans[k].start, i, b->label,
			    b->kind == HX_BLOCK_HEADING, b->line, err);
			if (rc < 0)
				goto fail;
		}
		free(spans);
		spans = NULL;
	}
	hx_segmenter_free(seg);
	*out = s;
	return HX_OK;
fail:
	free(spans);
	hx_segmenter_free(seg);
	hx_sentences_free(s);
	return rc;
}

size_t hx_sentences_count(const hx_sentences *s)
{
	return s->n;
}

const char *hx_sentences_get(const hx_sentences *s, size_t i, size_t *len)
{
	if (i >= s->n)
		return NULL;
	if (len)
		*len = s->v[i].len;
	return s->v[i].text;
}

const char *hx_sentences_get_lang(const hx_sentences *s)
{
	return s->lang;
}

size_t hx_sentences_get_line(const hx_sentences *s, size_t i)
{
	return i < s->n ? s->v[i].line : 0;
}

const char *hx_sentences_get_label(const hx_sentences *s, size_t i)
{
	return i < s->n ? s->v[i].label : "";
}

/* Pre-segmented input: one sentence a line. Empty lines are kept as empty
 * sentences, so that line numbers stay the sentence indices gold
 * alignments refer to. UTF-8 (BOM or not) or UTF-16 with BOM; LF or CRLF. */
int hx_sentences_read_lines(hx_sentences **out, const char *path,
			    const char *lang, hx_error *err)
{
	hx_sentences *s = NULL;
	unsigned char *data = NULL;
	char *conv = NULL;
	const char *p;
	size_t len = 0, cap = 0, bad, line = 0;
	FILE *f;
	int rc;

	assert(out && path && lang);
	*out = NULL;
	f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return hx__error_set(err,
				     errno == ENOENT ? HX_ENOTFOUND : HX_EIO,
				     "%s: %s", path, strerror(errno));
	for (;;) {
		if (len == cap) {
			size_t nc = cap ? cap * 2 : 65536;
			unsigned char *d = realloc(data, nc);
			if (!d) {
				rc = hx__error_set(err, HX_ENOMEM,
						   "out of memory");
				goto fail;
			}
			data = d, cap = nc;
		}
		size_t got = fread(data + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc =
		    hx__error_set(err, HX_EIO, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (len == 0) {
		rc = hx__error_set(err, HX_EFORMAT, "%s: empty file", path);
		goto fail;
	}
	p = (const char *)data;
	if (len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) ||
			 (data[0] == 0xFE && data[1] == 0xFF))) {
		size_t clen;
		if ((rc = hx__utf16_to_utf8(&conv, &clen, data + 2, len - 2,
					    data[0] == 0xFE, &bad)) < 0) {
			rc = hx__error_set(err, rc,
					   "%s: invalid UTF-16 at byte %zu",
					   path, bad + 2);
			goto fail;
		}
		p = conv, len = clen;
	} else if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
		p += 3, len -= 3;
	}
	if ((rc = hx_sentences_new(&s, lang, err)) < 0)
		goto fail;
	const char *begin = p;
	while (len > 0) {
		const char *nl = memchr(p, '\n', len);
		size_t n = nl ? (size_t)(nl - p) : len;
		size_t t = n;
		line++;
		if (t && p[t - 1] == '\r')
			t--;
		if (!hx__utf8_valid(p, t, &bad)) {
			rc = hx__error_set(
			    err, HX_EFORMAT,
			    "%s:%zu: invalid UTF-8 at byte offset "
			    "%zu",
			    path, line, (size_t)(p - begin) + bad);
			goto fail;
		}
		/* Pre-segmented text is one paragraph: block 0, so no
		 * structure is imposed. */
		if ((rc = hx_sentences_add(s, p, t, 0, "", false, line, err)) <
		    0)
			goto fail;
		if (!nl)
			break;
		p += n + 1, len -= n + 1;
	}
	if (f != stdin)
		fclose(f);
	free(data);
	free(conv);
	*out = s;
	return HX_OK;
fail:
	if (f != stdin)
		fclose(f);
	free(data);
	free(conv);
	hx_sentences_free(s);
	return rc;
}
