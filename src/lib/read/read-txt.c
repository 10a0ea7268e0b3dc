/*
 * read-txt.c - plain text, as Word's "save as text" writes council
 * documents: a line is a paragraph, a label before a tab is the paragraph
 * number, and export artefacts ([bookmark: ...], [image: ...], rules of
 * underscores) are noise to drop. Encodings: UTF-8 with or without BOM,
 * UTF-16 LE/BE with BOM; line ends LF, CRLF or CR.
 */
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/text.h"
#include "read/read-private.h"

/* Line number (1-based) of byte offset off. */
static size_t line_of(const char *s, size_t off)
{
	size_t line = 1;
	for (size_t i = 0; i < off; i++)
		if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n'))
			line++;
	return line;
}

/* A rule drawn with one repeated character: "_____", "-----", "=====". */
static bool is_separator(const char *s, size_t n)
{
	size_t count = 0;
	char c = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if (s[i] != '_' && s[i] != '-' && s[i] != '=' && s[i] != '*')
			return false;
		if (c && s[i] != c)
			return false;
		c = s[i];
		count++;
	}
	return count >= 3;
}

/*
 * Remove "[bookmark: name]" and "[image: ...]" markers in place; Word's
 * text export writes them wherever the anchor was, even before a label.
 */
static size_t strip_artefacts(char *s, size_t n)
{
	static const char *const marks[] = {"[bookmark:", "[image:"};
	size_t r = 0, w = 0;

	while (r < n) {
		bool hit = false;
		if (s[r] == '[') {
			for (size_t k = 0; k < 2 && !hit; k++) {
				size_t m = strlen(marks[k]);
				char *close;
				if (n - r < m || memcmp(s + r, marks[k], m))
					continue;
				close = memchr(s + r, ']', n - r);
				if (!close)
					continue;
				r = (size_t)(close - s) + 1;
				hit = true;
			}
		}
		if (!hit)
			s[w++] = s[r++];
	}
	return w;
}

/*
 * Text exports lose paragraph styles; a heading is recognised by shape:
 * a whole-number or Chinese-numeral label and a short text that does not
 * end like a sentence ("1	Introduction", "一	引言").
 */
static bool looks_like_heading(const char *label, size_t label_len,
			       const char *text, size_t text_len)
{
	static const char *const enders[] = {".",  ":",	 ";",  ",", "。",
					     "：", "；", "，", "?", "？"};
	bool numeric = label_len > 0;

	for (size_t i = 0; i < label_len; i++)
		if (label[i] == '.' || label[i] == ')' || label[i] == '(' ||
		    (label[i] >= 'a' && label[i] <= 'z') ||
		    (label[i] >= 'A' && label[i] <= 'Z') || label[i] == '-')
			numeric = false;
	if (label_len == 3 && (unsigned char)label[0] == 0xE2)
		numeric = false; /* –, • and other bullets */
	if (!numeric || text_len > 120)
		return false;
	for (size_t k = 0; k < sizeof(enders) / sizeof(*enders); k++) {
		size_t e = strlen(enders[k]);
		if (text_len >= e && !memcmp(text + text_len - e, enders[k], e))
			return false;
	}
	return true;
}

static hx_block_kind kind_of(const char *label, size_t n)
{
	uint32_t c;
	size_t i = 0;

	if (n == 0)
		return HX_BLOCK_PARAGRAPH;
	c = hx__utf8_next(label, n, &i);
	if (c >= '0' && c <= '9')
		return HX_BLOCK_PARAGRAPH; /* numbered paragraph */
	return HX_BLOCK_LIST_ITEM;
}

static int add_line(hx_doc *doc, char *s, size_t n, size_t line, hx_error *err)
{
	size_t label_len, off;
	hx_block_kind kind;

	n = strip_artefacts(s, n);
	if (is_separator(s, n))
		return HX_OK;
	hx__label_split(s, n, &label_len, &off);
	kind = kind_of(s, label_len);
	{
		/* Trim the label's leading spaces for the heading test. */
		const char *l = s;
		size_t ln = label_len;
		while (ln && *l == ' ')
			l++, ln--;
		if (looks_like_heading(l, ln, s + off, n - off))
			kind = HX_BLOCK_HEADING;
	}
	return hx_doc_add_block(doc, kind, kind == HX_BLOCK_HEADING ? 1 : 0, s,
				label_len, s + off, n - off, line, err);
}

int hx__read_txt(hx_doc *doc, const char *name, const unsigned char *data,
		 size_t len, const hx_read_options *opts, hx_error *err)
{
	char *text = NULL, *conv = NULL;
	size_t tlen = 0, bad, line = 1, start;
	int rc = HX_OK;

	(void)opts;
	if (len >= 2 && (data[0] == 0xFF || data[0] == 0xFE) &&
	    (data[1] == 0xFF || data[1] == 0xFE) && data[0] != data[1]) {
		bool be = data[0] == 0xFE;
		rc = hx__utf16_to_utf8(&conv, &tlen, data + 2, len - 2, be,
				       &bad);
		if (rc == HX_EFORMAT)
			return hx__error_set(
			    err, rc, "%s: invalid UTF-16%s at byte offset %zu",
			    name, be ? "BE" : "LE", bad + 2);
		if (rc < 0)
			return hx__error_set(err, rc, "out of memory");
		text = conv;
	} else {
		if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB &&
		    data[2] == 0xBF)
			data += 3, len -= 3;
		if (!hx__utf8_valid((const char *)data, len, &bad))
			return hx__error_set(
			    err, HX_EFORMAT,
			    "%s:%zu: invalid UTF-8 at byte offset %zu", name,
			    line_of((const char *)data, bad), bad);
		if (!(conv = malloc(len + 1)))
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		memcpy(conv, data, len);
		conv[len] = '\0';
		text = conv;
		tlen = len;
	}
	{
		const char *nul = memchr(text, '\0', tlen);
		if (nul) {
			rc = hx__error_set(
			    err, HX_EFORMAT,
			    "%s:%zu: NUL byte at offset %zu: binary file, or "
			    "UTF-16 without a byte order mark",
			    name, line_of(text, (size_t)(nul - text)),
			    (size_t)(nul - text));
			goto done;
		}
	}
	start = 0;
	for (size_t i = 0; i <= tlen; i++) {
		if (i < tlen && text[i] != '\n' && text[i] != '\r')
			continue;
		if ((rc = add_line(doc, text + start, i - start, line, err)) <
		    0)
			goto done;
		if (i < tlen && text[i] == '\r' && i + 1 < tlen &&
		    text[i + 1] == '\n')
			i++;
		start = i + 1;
		line++;
	}
done:
	free(conv);
	return rc;
}
