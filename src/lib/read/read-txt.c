/*
 * read-txt.c - plain text, as Word's "save as text" writes council
 * documents: a line is a paragraph, a label before a tab is the paragraph
 * number, and export artefacts ([bookmark: ...], [image: ...], rules of
 * underscores) are noise to drop. Encodings: UTF-8 with or without BOM,
 * UTF-16 LE/BE with BOM; line ends LF, CRLF or CR.
 *
 * Text also arrives wrapped at a width (PDF extracts, e-mail), and even a
 * Word export carries manual line breaks inside a sentence and typed
 * tables of contents. Those are cleaned here, before the segmenter: a
 * sentence cut by a line end is joined again, dot leaders and the page
 * numbers after them are dropped. The segmenter only ever sees whole
 * paragraphs.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "base/error-private.h"
#include "base/grow.h"
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

static bool is_rule_char(char c)
{
	return c == '_' || c == '-' || c == '=' || c == '*' || c == '/' ||
	       c == '~' || c == '#';
}

/* A rule drawn with one repeated character: "_____", "-----", "=====",
 * "/////". */
static bool is_separator(const char *s, size_t n)
{
	size_t count = 0;
	char c = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if (!is_rule_char(s[i]))
			return false;
		if (c && s[i] != c)
			return false;
		c = s[i];
		count++;
	}
	return count >= 3;
}

/*
 * Drop a rule of 5 or more of one character glued to the text at the
 * start or end of a line ("/////Header starts here"): banner decoration
 * of text exports, never words.
 */
static size_t strip_rules(char *s, size_t n)
{
	size_t i = 0, j = n;

	while (i < n && s[i] == ' ')
		i++;
	if (i < n && is_rule_char(s[i])) {
		size_t k = i;
		while (k < n && s[k] == s[i])
			k++;
		if (k - i >= 5 && k < n) {
			memmove(s + i, s + k, n - k);
			n -= k - i;
			j = n;
		}
	}
	while (j > 0 && s[j - 1] == ' ')
		j--;
	if (j > 0 && is_rule_char(s[j - 1])) {
		size_t k = j;
		while (k > 0 && s[k - 1] == s[j - 1])
			k--;
		if (j - k >= 5 && k > 0)
			n = k;
	}
	return n;
}

/* A page reference of a table of contents: "5", "16-17", "xii". */
static bool is_page_ref(const char *s, size_t n)
{
	size_t digits = 0, roman = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (strchr("ivxlc", s[i]))
			roman++;
		else if (s[i] != '-' || i == 0 || i + 1 == n)
			return false;
	}
	return n > 0 && n <= 12 && (digits == 0 || roman == 0);
}

/*
 * A typed table-of-contents line, "About Me.......5" or "Chapter 2 ....
 * 6": the dot leader and the page number are layout, the title is the
 * text. A leader is 4 or more dots (or 2 or more "…") followed by a page
 * reference, or 8 or more dots ending the line.
 */
static size_t strip_leader(const char *s, size_t n)
{
	size_t end = n, page, dots = 0, run;

	while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	page = end;
	while (page > 0 && s[page - 1] != ' ' && s[page - 1] != '.' &&
	       s[page - 1] != '\t' &&
	       !(page >= 3 && !memcmp(s + page - 3, "\xe2\x80\xa6", 3)))
		page--;
	if (page == end || !is_page_ref(s + page, end - page))
		page = end; /* no page number: the leader must be long */
	run = page;
	while (run > 0 && (s[run - 1] == ' ' || s[run - 1] == '\t'))
		run--;
	for (;;) {
		if (run > 0 && s[run - 1] == '.')
			run--, dots++;
		else if (run >= 3 && !memcmp(s + run - 3, "\xe2\x80\xa6", 3))
			run -= 3, dots += 2;
		else
			break;
	}
	if (dots < 4 || (page == end && dots < 8) || run == 0)
		return n;
	while (run > 0 && (s[run - 1] == ' ' || s[run - 1] == '\t'))
		run--;
	return run;
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

/* Add one paragraph, its artefacts and rules already stripped by
 * read_lines(). */
static int add_line(hx_doc *doc, char *s, size_t n, size_t line, hx_error *err)
{
	size_t label_len, off;
	hx_block_kind kind;

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

/* The paragraph being built from one or more lines. */
struct para {
	char *buf;
	size_t len, cap;
	size_t line;	  /* line of its first line */
	bool trailing_ws; /* its last line ended in a space */
};

static int para_put(struct para *p, const char *s, size_t n)
{
	void *buf = p->buf;

	if (hx__grow(&buf, &p->cap, p->len + n + 1, 1) < 0)
		return HX_ENOMEM;
	p->buf = buf;
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	return HX_OK;
}

static void para_trim_end(struct para *p)
{
	while (p->len &&
	       (p->buf[p->len - 1] == ' ' || p->buf[p->len - 1] == '\t'))
		p->len--;
}

static int para_flush(hx_doc *doc, struct para *p, hx_error *err)
{
	int rc = HX_OK;

	if (p->len)
		rc = add_line(doc, p->buf, p->len, p->line, err);
	p->len = 0;
	return rc;
}

/* The last code point of s[0..n), or 0. */
static uint32_t last_char(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	i = n - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return hx__utf8_next(s, n, &i);
}

static bool is_cjk(uint32_t c)
{
	return (c >= 0x3000 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x2FFFF);
}

/*
 * Whether a wrapped line starts a list item: a bullet, "1. ", "1.2 ",
 * "a) ", "(iii) " - a new paragraph, not the rest of the line before.
 */
static bool starts_item(const char *s, size_t n)
{
	size_t i = 0, k = 0;
	uint32_t c;

	if (n == 0)
		return false;
	c = hx__utf8_next(s, n, &k);
	if ((c == 0x2022 || c == 0x25AA || c == 0x25CF || c == 0x25E6 ||
	     c == 0x2043 || c == 0x27A2 || c == 0xF0B7 || c == '-' ||
	     c == '*' || c == 0x2013) &&
	    k < n && s[k] == ' ')
		return true;
	if (s[0] == '(') {
		for (i = 1; i < n && i < 6 &&
			    ((s[i] >= 'a' && s[i] <= 'z') ||
			     (s[i] >= '0' && s[i] <= '9'));
		     i++)
			;
		return i > 1 && i + 1 < n && s[i] == ')' && s[i + 1] == ' ';
	}
	if (s[0] >= '0' && s[0] <= '9') {
		while (i < n && ((s[i] >= '0' && s[i] <= '9') ||
				 (s[i] == '.' && i + 1 < n && s[i + 1] >= '0' &&
				  s[i + 1] <= '9')))
			i++;
		if (i < n && (s[i] == '.' || s[i] == ')'))
			i++;
		else if (!memchr(s, '.', i))
			return false; /* "2012 was" is text; "1.2 Scope" a label
				       */
		return i + 1 < n && s[i] == ' ' && i <= 8;
	}
	if ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))
		return n > 3 && (s[1] == ')' || s[1] == '.') && s[2] == ' ';
	return false;
}

/* Whether s starts with a sentence's own terminator: ". Next", ".". */
static bool starts_terminator(const char *s, size_t n)
{
	return n > 0 && (s[0] == '.' || s[0] == '!' || s[0] == '?') &&
	       (n == 1 || s[1] == ' ');
}

/*
 * Whether line s (leading spaces skipped) continues paragraph p rather
 * than starting one. A Word export puts a paragraph on a line, so only
 * a sure continuation joins: the sentence's own full stop, or a line in
 * lower case after a line that ended in a space (a manual line break in
 * the middle of a sentence). Wrapped text joins every line but a list
 * item.
 */
static bool continues(const struct para *p, const char *s, size_t n,
		      size_t label_len, hx_txt_lines mode)
{
	size_t k = 0;
	uint32_t c;

	if (p->len == 0 || n == 0 || label_len)
		return false;
	if (starts_terminator(s, n))
		return true;
	if (mode == HX_TXT_LINES_WRAPPED)
		return !starts_item(s, n);
	c = hx__utf8_next(s, n, &k);
	return p->trailing_ws && (u_islower((UChar32)c) || c == '(');
}

/* Append line s to p, with the space a line end stood for. */
static int join(struct para *p, const char *s, size_t n)
{
	size_t k = 0;
	uint32_t before, after;

	para_trim_end(p);
	before = last_char(p->buf, p->len);
	after = hx__utf8_next(s, n, &k);
	if (starts_terminator(s, n) || (is_cjk(before) && is_cjk(after)))
		return para_put(p, s, n);
	if (before == '-' && p->len >= 2 &&
	    u_isalpha((UChar32)last_char(p->buf, p->len - 1))) {
		/* A word cut at the line end: "coordi-" + "nation" loses the
		 * hyphen; "CWG-" + "COP" keeps it. */
		if (u_islower((UChar32)after))
			p->len--;
		return para_put(p, s, n);
	}
	if (para_put(p, " ", 1) < 0)
		return HX_ENOMEM;
	return para_put(p, s, n);
}

static bool is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\f' && s[i] != '\v')
			return false;
	return true;
}

static int read_lines(hx_doc *doc, char *text, size_t tlen, hx_txt_lines mode,
		      hx_error *err)
{
	struct para p = {0};
	size_t start = 0, line = 1;
	int rc = HX_OK;

	for (size_t i = 0; i <= tlen && rc >= 0; i++) {
		char *s = text + start;
		size_t n, label_len, off, skip = 0;
		bool trailing, toc;

		if (i < tlen && text[i] != '\n' && text[i] != '\r')
			continue;
		n = strip_artefacts(s, i - start);
		trailing = n > 0 && s[n - 1] == ' ';
		n = strip_rules(s, n);
		{
			size_t title = strip_leader(s, n);
			toc = title < n;
			n = title;
		}
		if (is_blank(s, n) || is_separator(s, n)) {
			rc = para_flush(doc, &p, err);
		} else if (toc) {
			/* A contents entry is a paragraph of its own, never a
			 * line of a wrapped one. */
			if ((rc = para_flush(doc, &p, err)) >= 0)
				rc = add_line(doc, s, n, line, err);
		} else {
			hx__label_split(s, n, &label_len, &off);
			while (skip < n && s[skip] == ' ')
				skip++;
			if (continues(&p, s + skip, n - skip, label_len,
				      mode)) {
				if (join(&p, s + skip, n - skip) < 0)
					rc = hx__error_set(err, HX_ENOMEM,
							   "out of memory");
			} else if ((rc = para_flush(doc, &p, err)) >= 0) {
				p.line = line;
				if (para_put(&p, s, n) < 0)
					rc = hx__error_set(err, HX_ENOMEM,
							   "out of memory");
			}
			p.trailing_ws = trailing;
		}
		if (i < tlen && text[i] == '\r' && i + 1 < tlen &&
		    text[i + 1] == '\n')
			i++;
		start = i + 1;
		line++;
	}
	if (rc >= 0)
		rc = para_flush(doc, &p, err);
	free(p.buf);
	return rc;
}

int hx__read_txt(hx_doc *doc, const char *name, const unsigned char *data,
		 size_t len, const hx_read_options *opts, hx_error *err)
{
	char *text = NULL, *conv = NULL;
	size_t tlen = 0, bad;
	int rc = HX_OK;

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
	rc = read_lines(doc, text, tlen,
			opts ? opts->txt_lines : HX_TXT_LINES_PARAGRAPHS, err);
done:
	free(conv);
	return rc;
}
