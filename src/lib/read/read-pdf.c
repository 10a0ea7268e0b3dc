/*
 * read-pdf.c - PDF through poppler-glib: the text layer of each page,
 * character by character with its box and font size, rebuilt into
 * paragraphs. What a PDF does not say (where a paragraph ends, which
 * column comes first, what is a running header) is inferred here from
 * geometry alone; nothing is taken from pdftotext's own heuristics.
 *
 * Not for: scanned pages (no text layer: an error asks for OCR),
 * forms, annotations, tables as tables (cells come out as lines), or
 * password-protected files.
 *
 * Steps: pieces (poppler's lines, split at wide gaps) per page; columns
 * found from a vertical gutter free of text; pieces on one baseline of
 * one column merged into lines, in reading order; lines in the top and
 * bottom margin bands that repeat on most pages (digits aside), and bare
 * page numbers there, dropped; lines grouped into paragraphs by the
 * vertical gap, the font size and a short last line ending a sentence.
 */
#include <assert.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>
#include <unicode/uchar.h>
#include <unicode/ushape.h>
#include <unicode/ustring.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "base/text.h"
#include "read/doc-private.h"
#include "read/read-private.h"

/* Margin bands where running headers and footers live: the top and
 * bottom tenth of the page (ITU/UN templates put them within 2 cm). */
#define BAND 0.10

typedef struct piece {
	char *text; /* UTF-8, owned */
	size_t len;
	double x0, y0, x1, y1; /* points, from the page's top-left */
	double size;	       /* the largest font size in it */
	unsigned page;	       /* 1-based */
	int col;	       /* -1 spans the columns, else 0/1 */
	bool drop;	       /* header, footer or page number */
} piece;

typedef struct plist {
	piece *v;
	size_t n, cap;
} plist;

typedef struct sbuf {
	char *s;
	size_t n, cap;
} sbuf;

static bool sb_add(sbuf *b, const char *s, size_t n)
{
	if (hx__grow((void **)&b->s, &b->cap, b->n + n + 1, 1) < 0)
		return false;
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
	return true;
}

static void plist_clear(plist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static bool is_cjk(uint32_t c)
{
	return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
	       (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x2FFFF);
}

static bool is_rtl(uint32_t c)
{
	return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
	       (c >= 0xFE70 && c <= 0xFEFF);
}

/* The last code point of s[0..n) (valid UTF-8). */
static uint32_t last_cp(const char *s, size_t n, size_t *at)
{
	size_t i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > 0)
		i--;
	*at = i;
	{
		size_t j = i;
		return n ? hx__utf8_next(s, n, &j) : 0;
	}
}

/*
 * Fold Arabic presentation forms (U+FB50..U+FDFF, U+FE70..U+FEFF), which
 * some producers put in the text layer instead of the letters, back to
 * the letters, so the text compares equal to the source after NFC.
 * In place when nothing is folded; else *out is a new string.
 */
static int unshape(char **out, const char *s, size_t n)
{
	UChar *u = NULL, *v = NULL;
	int32_t ulen = 0, vlen;
	UErrorCode e = U_ZERO_ERROR;
	bool any = false;
	int rc = HX_ENOMEM;

	*out = NULL;
	for (size_t i = 0; i < n && !any;) {
		uint32_t c = hx__utf8_next(s, n, &i);
		any = (c >= 0xFB50 && c <= 0xFDFF) ||
		      (c >= 0xFE70 && c <= 0xFEFF && c != 0xFEFF);
	}
	if (!any)
		return HX_OK;
	if (!(u = malloc((n + 1) * sizeof(*u))) ||
	    !(v = malloc((2 * n + 1) * sizeof(*v))))
		goto done;
	u_strFromUTF8(u, (int32_t)n + 1, &ulen, s, (int32_t)n, &e);
	if (U_FAILURE(e))
		goto done;
	vlen =
	    u_shapeArabic(u, ulen, v, (int32_t)(2 * n + 1),
			  U_SHAPE_LETTERS_UNSHAPE | U_SHAPE_LAMALEF_RESIZE, &e);
	if (U_FAILURE(e))
		goto done;
	{
		int32_t blen = 0;
		char *b = malloc(4 * (size_t)vlen + 1);
		if (!b)
			goto done;
		u_strToUTF8(b, 4 * vlen + 1, &blen, v, vlen, &e);
		if (U_FAILURE(e)) {
			free(b);
			goto done;
		}
		*out = b;
	}
	rc = HX_OK;
done:
	free(u);
	free(v);
	return rc;
}

/*
 * Whether the space poppler puts between the end of s and c is only the
 * gap LibreOffice and Word leave between Chinese and Latin letters or
 * digits ("Asian autospace"): Chinese text has no space there ("第1306号",
 * "在Abdelaziz先生"), while a space beside punctuation may be real.
 */
static bool autospace(const char *s, size_t n, uint32_t c)
{
	size_t at;
	uint32_t last = last_cp(s, n, &at);
	bool han_last = is_cjk(last) && u_isalpha((UChar32)last);
	bool han_c = is_cjk(c) && u_isalpha((UChar32)c);
	bool lat_last = last < 0x2E80 && u_isalnum((UChar32)last);
	bool lat_c = c < 0x2E80 && u_isalnum((UChar32)c);

	return (han_last && lat_c) || (lat_last && han_c);
}

static int add_piece(plist *l, sbuf *b, double x0, double y0, double x1,
		     double y1, double size, unsigned page)
{
	piece *p;
	size_t n = b->n;

	while (n && b->s[n - 1] == ' ')
		n--;
	if (!n || x1 <= x0)
		goto reset;
	if (hx__grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)) < 0)
		return HX_ENOMEM;
	p = &l->v[l->n];
	memset(p, 0, sizeof(*p));
	if (unshape(&p->text, b->s, n) < 0)
		return HX_ENOMEM;
	if (!p->text) {
		if (!(p->text = malloc(n + 1)))
			return HX_ENOMEM;
		memcpy(p->text, b->s, n);
		p->text[n] = '\0';
	}
	p->len = strlen(p->text);
	p->x0 = x0, p->y0 = y0, p->x1 = x1, p->y1 = y1;
	p->size = size;
	p->page = page;
	l->n++;
reset:
	b->n = 0;
	return HX_OK;
}

/*
 * The pieces of one page: poppler's text cut at its line breaks and at
 * gaps wider than two font sizes (a label before its tab stop, the two
 * halves of a line across a gutter), each with the union of its glyph
 * boxes. Poppler gives one box per character of the page text.
 */
static int page_pieces(plist *l, PopplerPage *page, unsigned pno)
{
	PopplerRectangle *rects = NULL;
	guint nrects = 0;
	GList *attrs = NULL, *a;
	char *text = NULL;
	sbuf b = {0};
	double x0 = 0, y0 = 0, x1 = 0, y1 = 0, size = 0, prev_x1 = 0;
	size_t len, i = 0;
	guint k = 0;
	bool open = false, space = false;
	int rc = HX_OK;

	text = poppler_page_get_text(page);
	if (!text || !poppler_page_get_text_layout(page, &rects, &nrects))
		goto done;
	attrs = poppler_page_get_text_attributes(page);
	a = attrs;
	len = strlen(text);
	while (i < len && k < nrects) {
		size_t at = i;
		uint32_t c = hx__utf8_next(text, len, &i);
		PopplerRectangle *r;
		double fs = 0;

		/* Poppler wraps right-to-left runs in embedding controls
		 * (U+202B ... U+202C) after putting them in logical order.
		 * They have no box in the layout (the boxes are one per
		 * character of the text without them), and the text wants the
		 * letters only. */
		if (c == 0x200E || c == 0x200F ||
		    (c >= 0x202A && c <= 0x202E) ||
		    (c >= 0x2066 && c <= 0x2069))
			continue;
		r = &rects[k++];

		while (a && ((PopplerTextAttributes *)a->data)->end_index <
				(int)k - 1)
			a = a->next;
		if (a && ((PopplerTextAttributes *)a->data)->start_index <=
			     (int)k - 1)
			fs = ((PopplerTextAttributes *)a->data)->font_size;
		if (c == '\n' || c == '\r') {
			if ((rc = add_piece(l, &b, x0, y0, x1, y1, size, pno)) <
			    0)
				goto done;
			open = space = false;
			continue;
		}
		/* A note reference: a digit set smaller and raised after
		 * text. DOCX readers keep these out of the text (an inline
		 * code), and so does this one. */
		if (open && c >= '0' && c <= '9' && fs > 0 && fs < 0.8 * size &&
		    fmax(r->y1, r->y2) < y1 - 0.2 * size)
			continue;
		/* A bullet drawn from a symbol font's private-use area
		 * (LibreOffice's OpenSymbol gives U+F095): a bullet. */
		if (!open && c >= 0xE000 && c <= 0xF8FF) {
			c = 0x2022;
			if (!sb_add(&b, "\xE2\x80\xA2", 3))
				goto nomem;
			x0 = fmin(r->x1, r->x2), y0 = fmin(r->y1, r->y2);
			x1 = fmax(r->x1, r->x2), y1 = fmax(r->y1, r->y2);
			prev_x1 = x1;
			size = fs > 0 ? fs : y1 - y0;
			open = true;
			continue;
		}
		if (hx__is_space(c) || c == '\t') {
			space = open;
			continue;
		}
		if (open && (r->x1 - prev_x1 > 2 * (fs > 0 ? fs : size) ||
			     r->y1 < y0 || r->y1 > y1 + (y1 - y0))) {
			if ((rc = add_piece(l, &b, x0, y0, x1, y1, size, pno)) <
			    0)
				goto done;
			open = space = false;
		}
		if (space && b.n && autospace(b.s, b.n, c))
			space = false;
		/* A wide gap early in a line is a tab after a label ("1.1",
		 * "a)"): hx__label_split() needs the tab to take it. */
		if (space &&
		    !sb_add(&b,
			    (b.n <= 12 && r->x1 - prev_x1 > 0.6 * fs) ||
				    r->x1 - prev_x1 > 1.2 * fs
				? "\t"
				: " ",
			    1))
			goto nomem;
		space = false;
		if (!sb_add(&b, text + at, i - at))
			goto nomem;
		if (!open) {
			x0 = fmin(r->x1, r->x2), y0 = fmin(r->y1, r->y2);
			x1 = fmax(r->x1, r->x2), y1 = fmax(r->y1, r->y2);
			size = 0;
			open = true;
		}
		x0 = fmin(x0, fmin(r->x1, r->x2));
		y0 = fmin(y0, fmin(r->y1, r->y2));
		x1 = fmax(x1, fmax(r->x1, r->x2));
		y1 = fmax(y1, fmax(r->y1, r->y2));
		prev_x1 = fmax(r->x1, r->x2);
		if (fs > size)
			size = fs;
		if (size <= 0)
			size = y1 - y0;
	}
	rc = add_piece(l, &b, x0, y0, x1, y1, size, pno);
	goto done;
nomem:
	rc = HX_ENOMEM;
done:
	free(b.s);
	g_free(rects);
	g_free(text);
	if (attrs)
		poppler_page_free_text_attributes(attrs);
	return rc;
}

/* Whether most letters of the page's pieces [from, to) are RTL. */
static bool page_rtl(const plist *l, size_t from, size_t to)
{
	size_t rtl = 0, ltr = 0;

	for (size_t p = from; p < to; p++)
		for (size_t i = 0; i < l->v[p].len;) {
			uint32_t c =
			    hx__utf8_next(l->v[p].text, l->v[p].len, &i);
			if (is_rtl(c))
				rtl++;
			else if (u_isalpha((UChar32)c))
				ltr++;
		}
	return rtl > ltr;
}

/*
 * Two columns: a strip in the middle 40% of the page that no piece of
 * the body covers but those spanning the page (a title), with body text
 * on both sides. Pieces left of it get column 0, right of it 1, and the
 * ones across it -1. Returns whether the page has two columns.
 */
static bool find_columns(plist *l, size_t from, size_t to, double w, double h)
{
	int bins = (int)ceil(w), best = 0, run = 0, best_end = 0;
	int *cover;
	size_t body = 0, left = 0, right = 0;
	double gx;

	if (bins <= 0 || bins > 100000 ||
	    !(cover = calloc((size_t)bins, sizeof(*cover))))
		return false;
	for (size_t p = from; p < to; p++) {
		piece *q = &l->v[p];
		if (q->y1 < h * BAND || q->y0 > h * (1 - BAND))
			continue;
		body++;
		for (int x = (int)q->x0; x < (int)ceil(q->x1) && x < bins; x++)
			if (x >= 0)
				cover[x]++;
	}
	for (int x = (int)(w * 0.3); x < (int)(w * 0.7) && x < bins; x++) {
		/* Up to a tenth of the pieces may cross (titles, tables). */
		if ((size_t)cover[x] * 10 <= body)
			run++;
		else
			run = 0;
		if (run > best)
			best = run, best_end = x;
	}
	free(cover);
	if (best < 8 || body < 6)
		return false;
	gx = best_end - best / 2.0;
	for (size_t p = from; p < to; p++) {
		piece *q = &l->v[p];
		q->col = q->x1 <= gx ? 0 : q->x0 >= gx ? 1 : -1;
		left += q->col == 0;
		right += q->col == 1;
	}
	if (left < 3 || right < 3) {
		for (size_t p = from; p < to; p++)
			l->v[p].col = 0;
		return false;
	}
	return true;
}

/* Reading order: column group (spanning pieces above the columns,
 * first column, second, spanning below), then baseline, then x. */
static int order_key(const piece *p)
{
	return p->col;
}

static int cmp_line(const piece *p, const piece *q, bool rtl)
{
	double dy = p->y1 - q->y1, tol = 0.4 * fmin(p->size, q->size);

	if (order_key(p) != order_key(q))
		return order_key(p) < order_key(q) ? -1 : 1;
	if (fabs(dy) > tol)
		return dy < 0 ? -1 : 1;
	if (p->x0 != q->x0)
		return (p->x0 < q->x0) != rtl ? -1 : 1;
	return 0;
}

/* Stable insertion sort: a page holds hundreds of pieces, mostly in
 * order already, and qsort() has no payload for the direction. */
static void sort_pieces(piece *v, size_t n, bool rtl)
{
	for (size_t i = 1; i < n; i++) {
		piece t = v[i];
		size_t j = i;
		while (j > 0 && cmp_line(&v[j - 1], &t, rtl) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = t;
	}
}

/*
 * Merge the pieces [from, to) of one page (sorted) that share a baseline
 * into one piece: a gap of more than 0.6 font size is a tab (a label and
 * its text, which hx__label_split() then takes apart), a smaller one a
 * space.
 */
/* Whether s alone is a paragraph label ("1.1", "a)", "•"): what
 * hx__label_split() takes before a tab. */
static bool is_label(const char *s, size_t n)
{
	char buf[24];
	size_t label_len, off;

	if (n + 3 > sizeof(buf))
		return false;
	memcpy(buf, s, n);
	memcpy(buf + n, "\tX", 3);
	hx__label_split(buf, n + 2, &label_len, &off);
	return label_len == n;
}

static int merge_lines(plist *l, size_t from, size_t *to, bool rtl)
{
	size_t w = from;

	for (size_t r = from; r < *to; r++) {
		piece *p = &l->v[r];
		if (w > from) {
			piece *q = &l->v[w - 1];
			double tol = 0.4 * fmin(p->size, q->size);
			double gap = rtl ? q->x0 - p->x1 : p->x0 - q->x1;
			/* Far apart on one baseline is a table row: its cells
			 * stay apart, unless the left one is a label. */
			bool near = gap <= 2 * fmax(p->size, q->size) ||
				    is_label(q->text, q->len);
			if (q->col == p->col && fabs(q->y1 - p->y1) <= tol &&
			    near) {
				char *t = malloc(q->len + p->len + 2);
				if (!t)
					return HX_ENOMEM;
				memcpy(t, q->text, q->len);
				t[q->len] = gap > 0.6 * fmax(p->size, q->size)
						? '\t'
						: ' ';
				memcpy(t + q->len + 1, p->text, p->len + 1);
				free(q->text);
				free(p->text);
				p->text = NULL;
				q->text = t;
				q->len += p->len + 1;
				q->x0 = fmin(q->x0, p->x0);
				q->x1 = fmax(q->x1, p->x1);
				q->y0 = fmin(q->y0, p->y0);
				q->y1 = fmax(q->y1, p->y1);
				q->size = fmax(q->size, p->size);
				continue;
			}
		}
		l->v[w++] = *p;
	}
	*to = w;
	return HX_OK;
}

/*
 * A bare page number: "3", "- 3 -", "– 3 –", "Page 3", "page 3 of 12",
 * "3/12", "第3页", "iii" is not (roman numerals are too often labels).
 */
static bool is_page_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	static const char *const pre[] = {"Page", "page",   "PAGE", "p.",
					  "Стр.", "Página", "第"};

	while (i < n && (s[i] == ' ' || s[i] == '-' || s[i] == '\t'))
		i++;
	if (n - i >= 3 && !memcmp(s + i, "\xE2\x80\x93", 3))
		i += 3; /* – */
	while (i < n && s[i] == ' ')
		i++;
	for (size_t k = 0; k < sizeof(pre) / sizeof(*pre); k++) {
		size_t m = strlen(pre[k]);
		if (n - i >= m && !memcmp(s + i, pre[k], m)) {
			i += m;
			break;
		}
	}
	while (i < n && s[i] == ' ')
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (!digits || digits > 5)
		return false;
	while (i < n && s[i] == ' ')
		i++;
	if (i < n && (s[i] == '/' || (n - i >= 2 && !memcmp(s + i, "of", 2)))) {
		i += s[i] == '/' ? 1 : 2;
		while (i < n && s[i] == ' ')
			i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (n - i >= 3 && !memcmp(s + i, "\xE9\xA1\xB5", 3))
		i += 3; /* 页 */
	while (i < n && (s[i] == ' ' || s[i] == '-'))
		i++;
	if (n - i >= 3 && !memcmp(s + i, "\xE2\x80\x93", 3))
		i += 3;
	while (i < n && s[i] == ' ')
		i++;
	return i == n;
}

/* s with digits and white space taken out, for comparing headers across
 * pages ("C26/15-E - 2 -" and "C26/15-E - 3 -" are one header). */
static char *header_key(const char *s, size_t n)
{
	char *k = malloc(n + 1);
	size_t w = 0;

	if (!k)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] >= '0' && s[i] <= '9') && s[i] != ' ' &&
		    s[i] != '\t')
			k[w++] = s[i];
	k[w] = '\0';
	return k;
}

/*
 * Mark running headers and footers: a line in a margin band whose text,
 * digits aside, is in the same band on at least half the pages (and on
 * two at least), and any bare page number in a band.
 */
static int drop_running(plist *l, const double *heights, unsigned npages)
{
	char **keys = calloc(l->n ? l->n : 1, sizeof(*keys));
	int rc = HX_OK;

	if (!keys)
		return HX_ENOMEM;
	for (size_t i = 0; i < l->n; i++) {
		piece *p = &l->v[i];
		double h = heights[p->page - 1];
		int band = p->y1 < h * BAND	    ? 1
			   : p->y0 > h * (1 - BAND) ? 2
						    : 0;
		if (!band)
			continue;
		if (is_page_number(p->text, p->len)) {
			p->drop = true;
			continue;
		}
		if (!(keys[i] = header_key(p->text, p->len))) {
			rc = HX_ENOMEM;
			goto done;
		}
		/* The band rides in the key so a header never matches a
		 * footer. */
		keys[i][0] = keys[i][0] ? keys[i][0] : (char)('0' + band);
	}
	for (size_t i = 0; i < l->n; i++) {
		unsigned pages = 0, last = 0;
		if (!keys[i] || l->v[i].drop)
			continue;
		for (size_t j = 0; j < l->n; j++)
			if (keys[j] && l->v[j].page != last &&
			    !strcmp(keys[i], keys[j]))
				pages++, last = l->v[j].page;
		if (pages >= 2 && pages * 2 >= npages)
			for (size_t j = i; j < l->n; j++)
				if (keys[j] && !strcmp(keys[i], keys[j]))
					l->v[j].drop = true;
	}
done:
	for (size_t i = 0; i < l->n; i++)
		free(keys[i]);
	free(keys);
	return rc;
}

/* The font size most of the text is set in: the body size. */
static double body_size(const plist *l)
{
	double best = 0;
	size_t best_n = 0;

	for (size_t i = 0; i < l->n; i++) {
		size_t n = 0;
		if (l->v[i].drop || l->v[i].size == best)
			continue;
		for (size_t j = 0; j < l->n; j++)
			if (!l->v[j].drop &&
			    fabs(l->v[j].size - l->v[i].size) < 0.25)
				n += l->v[j].len;
		if (n > best_n)
			best_n = n, best = l->v[i].size;
	}
	return best;
}

/* Whether the word before the hyphen at s[at] is a prefix English
 * writes with a hyphen ("cross-community", "self-assessment",
 * "non-State"), never a place where a dictionary breaks a word. */
static bool compound_prefix(const char *s, size_t at)
{
	static const char *const pre[] = {
	    "cross", "self",   "non", "multi", "well", "ex",  "long",
	    "short", "follow", "co",  "Cross", "Self", "Non", "Multi"};
	for (size_t k = 0; k < sizeof(pre) / sizeof(*pre); k++) {
		size_t m = strlen(pre[k]);
		if (at >= m && !memcmp(s + at - m, pre[k], m) &&
		    (at == m || s[at - m - 1] == ' ' || s[at - m - 1] == '('))
			return true;
	}
	return false;
}

/* Whether the word broken at s[at] ("cross-" + "community") appears
 * with its hyphen inside a line elsewhere in the document: then the
 * hyphen is the word's own. */
static bool hyphenated_elsewhere(const plist *l, const char *s, size_t at,
				 const char *next, size_t nlen)
{
	size_t a = at, e = 0;
	char buf[128];

	while (a > 0 && s[a - 1] != ' ' && s[a - 1] != '\t' && s[a - 1] != '(')
		a--;
	while (e < nlen && next[e] != ' ' && next[e] != ',' && next[e] != '.' &&
	       next[e] != ';' && next[e] != ':' && next[e] != ')')
		e++;
	if (at - a + 1 + e >= sizeof(buf) || at == a || !e)
		return false;
	memcpy(buf, s + a, at - a + 1);
	memcpy(buf + at - a + 1, next, e);
	buf[at - a + 1 + e] = '\0';
	for (size_t i = 0; i < l->n; i++)
		if (!l->v[i].drop && strstr(l->v[i].text, buf))
			return true;
	return false;
}

/*
 * Append line p to the paragraph in b. The line break becomes: nothing
 * after a soft hyphen; nothing, with the hyphen dropped, after "-" that
 * follows a letter when the next line starts with a lower-case letter
 * ("coordi-/nation"); the hyphen kept and no space when the next line
 * starts otherwise ("CWG-/COP", "2025-/2026"), since a capital or digit
 * after a hyphen is nearly always a compound or a range. A word broken
 * at its own hyphen before a lower-case letter ("long-/term") loses it:
 * unless the document writes the word with its hyphen inside a line
 * elsewhere ("cross-community"): the PDF alone cannot tell the two apart.
 * Nothing goes between lines when either side is CJK (Chinese has no spaces,
 * even beside Latin words or digits in running text); else a space.
 */
static bool join_line(sbuf *b, const piece *p, const plist *l)
{
	size_t at, j = 0;
	uint32_t last, first;

	if (!b->n)
		return sb_add(b, p->text, p->len);
	last = last_cp(b->s, b->n, &at);
	first = hx__utf8_next(p->text, p->len, &j);
	if (last == 0xAD) {
		b->n = at;
		return sb_add(b, p->text, p->len);
	}
	if (last == '-' || last == 0x2010) {
		size_t at2;
		uint32_t before = at ? last_cp(b->s, at, &at2) : 0;
		if (u_isalpha((UChar32)before) && u_islower((UChar32)first) &&
		    !hyphenated_elsewhere(l, b->s, at, p->text, p->len) &&
		    !compound_prefix(b->s, at))
			b->n = at;
		return sb_add(b, p->text, p->len);
	}
	if ((is_cjk(last) || is_cjk(first)) && !sb_add(b, "", 0))
		return false;
	if (!(is_cjk(last) || is_cjk(first)) && !sb_add(b, " ", 1))
		return false;
	return sb_add(b, p->text, p->len);
}

static bool ends_sentence(const char *s, size_t n)
{
	size_t at;
	uint32_t c = last_cp(s, n, &at);
	return c == '.' || c == '!' || c == '?' || c == ':' || c == ';' ||
	       c == 0x3002 || c == 0xFF1A || c == 0xFF1B || c == 0xFF01 ||
	       c == 0xFF1F || c == 0x061F || c == 0x06D4;
}

/*
 * A paragraph number without its tab: "1.", "2.10", "a)" then a space
 * and a capital (or a CJK character). "1.5 million" and "2025 was" stay
 * text: the word after them is lower-case.
 */
static bool numbered(const char *s, size_t n)
{
	size_t i = 0, d = 0, j;
	uint32_t c;

	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
		d += s[i] != '.', i++;
	if (!d && i + 1 < n && s[i] >= 'a' && s[i] <= 'z' && s[i + 1] == ')')
		i += 2, d = 1;
	else if (d && i < n && s[i] == ')')
		i++;
	if (!d || i > 8 || i >= n || s[i] != ' ')
		return false;
	if (s[i - 1] != '.' && s[i - 1] != ')' && !memchr(s, '.', i))
		return false; /* a bare number: a year, a count */
	j = i + 1;
	c = hx__utf8_next(s, n, &j);
	return u_isupper((UChar32)c) || is_cjk(c);
}

static int emit(hx_doc *doc, sbuf *b, const piece *first, bool heading,
		double x, hx_error *err)
{
	size_t label_len, off, before = hx_doc_count(doc);
	int rc;

	if (!b->n)
		return HX_OK;
	hx__label_split(b->s, b->n, &label_len, &off);
	if (!label_len && (numbered(b->s, b->n) ||
			   (b->n > 4 && !memcmp(b->s, "\xE2\x80\xA2 ", 4)))) {
		/* "2.10 The text": the tab after a wide label can shrink
		 * to less than a space in the PDF. */
		*strchr(b->s, ' ') = '\t';
		hx__label_split(b->s, b->n, &label_len, &off);
	}
	/* A label is a paragraph number or a list marker, as in DOCX. */
	rc = hx_doc_add_block(doc,
			      heading ? HX_BLOCK_HEADING : HX_BLOCK_PARAGRAPH,
			      heading ? 1 : 0, b->s, label_len, b->s + off,
			      b->n - off, before + 1, err);
	if (rc >= 0 && hx_doc_count(doc) > before)
		hx__doc_set_origin(doc, before, first->page, x, first->y0);
	b->n = 0;
	return rc;
}

/* Whether p starts with a label and its tab: a new list item or
 * numbered paragraph, even with no space above it. */
static bool starts_labelled(const piece *p)
{
	const char *tab = memchr(p->text, '\t', p->len);
	return tab && is_label(p->text, (size_t)(tab - p->text));
}

/* The right edge of p's column on p's page: the end of its longest
 * line. */
static double right_edge(const plist *l, const piece *p)
{
	double x1 = p->x1;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].page == p->page && l->v[i].col == p->col &&
		    !l->v[i].drop && l->v[i].x1 > x1)
			x1 = l->v[i].x1;
	return x1;
}

/*
 * Lines into paragraphs. A new paragraph starts at a font size change,
 * at a vertical gap wider than the paragraph's own line spacing (or,
 * for its second line, than 1.35 times the font size), at a line that
 * starts with a label and its tab, at a line that starts left of the
 * paragraph (a table cell, the text after a list), and after a line
 * that ends a sentence well short of the column's right edge. Across a
 * column or page break a paragraph goes on when its last line did not
 * end a sentence and reached 60% of the column (ragged-right text and
 * orphan control leave the last line short of the edge).
 */
static int build_blocks(hx_doc *doc, const plist *l, hx_error *err)
{
	double body = body_size(l), spacing = 0, colx1 = 0, x = 0;
	const piece *prev = NULL, *first = NULL;
	sbuf b = {0};
	bool heading = false;
	int rc = HX_OK;

	for (size_t i = 0; i < l->n; i++) {
		const piece *p = &l->v[i];
		bool big = p->size > body * 1.15 && body > 0, brk = false;
		if (p->drop || !p->len)
			continue;
		if (prev) {
			bool same_flow = prev->page == p->page &&
					 prev->col == p->col &&
					 p->y0 >= prev->y0;
			double d = p->y1 - prev->y1;
			if (fabs(p->size - prev->size) > 0.5 ||
			    (same_flow && d < 0.5 * p->size) ||
			    starts_labelled(p) ||
			    (same_flow && p->x0 < x - 0.5 * p->size))
				brk = true;
			else if (same_flow) {
				double lim = spacing > 0 ? spacing * 1.15
							 : p->size * 1.35;
				if (d > lim)
					brk = true;
				else if (ends_sentence(prev->text, prev->len) &&
					 prev->x1 < colx1 - 0.2 * (colx1 - x))
					brk = true;
			} else if (ends_sentence(prev->text, prev->len) ||
				   prev->x1 <
				       right_edge(l, prev) -
					   0.4 * (right_edge(l, prev) - x)) {
				brk = true;
			}
			if (!brk && same_flow && d > 0 &&
			    (spacing == 0 || d < spacing))
				spacing = d;
		}
		if (brk || !prev) {
			if ((rc = emit(doc, &b, first, heading, x, err)) < 0)
				goto done;
			first = p;
			heading = big;
			spacing = 0;
			x = p->x0;
			colx1 = p->x1;
		}
		/* The right edge of the text: the widest line seen in
		 * this column of this page. */
		if (p->x1 > colx1)
			colx1 = p->x1;
		if (p->x0 < x)
			x = p->x0;
		if (!join_line(&b, p, l)) {
			rc = hx__error_set(err, HX_ENOMEM, "out of memory");
			goto done;
		}
		prev = p;
	}
	rc = emit(doc, &b, first, heading, x, err);
done:
	free(b.s);
	return rc;
}

/* Poppler reports through g_log and, for syntax errors, its own error
 * callback; neither belongs on hexalign's stderr: the reader's own error
 * says what is wrong. */
static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg,
		  gpointer data)
{
	(void)domain, (void)level, (void)msg, (void)data;
}

int hx__read_pdf(hx_doc *doc, const char *name, const unsigned char *data,
		 size_t len, const hx_read_options *opts, hx_error *err)
{
	PopplerDocument *pdf = NULL;
	GError *gerr = NULL;
	GBytes *bytes = NULL;
	plist l = {0};
	double *widths = NULL, *heights = NULL;
	unsigned npages;
	guint h1, h2;
	int rc = HX_OK;

	(void)opts;
	h1 = g_log_set_handler("Poppler", G_LOG_LEVEL_MASK, quiet, NULL);
	h2 = g_log_set_handler("GLib-GObject", G_LOG_LEVEL_MASK, quiet, NULL);
	if (len < 5 || memcmp(data, "%PDF-", 5)) {
		rc = hx__error_set(err, HX_EFORMAT,
				   "%s: not a PDF (no %%PDF- header)", name);
		goto done;
	}
	bytes = g_bytes_new_static(data, len);
	pdf = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	if (!pdf) {
		if (gerr && gerr->domain == POPPLER_ERROR &&
		    gerr->code == POPPLER_ERROR_ENCRYPTED)
			rc = hx__error_set(err, HX_EFORMAT,
					   "%s: encrypted; hexalign cannot "
					   "read password-protected PDF",
					   name);
		else
			rc = hx__error_set(
			    err, HX_EFORMAT, "%s: broken PDF: %s", name,
			    gerr && gerr->message ? gerr->message
						  : "cannot be opened");
		goto done;
	}
	npages = (unsigned)poppler_document_get_n_pages(pdf);
	if (npages == 0) {
		rc = hx__error_set(err, HX_EFORMAT, "%s: broken PDF: no pages",
				   name);
		goto done;
	}
	if (!(widths = calloc(npages, sizeof(*widths))) ||
	    !(heights = calloc(npages, sizeof(*heights))))
		goto nomem;
	for (unsigned pg = 0; pg < npages; pg++) {
		PopplerPage *page = poppler_document_get_page(pdf, (int)pg);
		size_t from = l.n, to;
		bool rtl;
		if (!page)
			continue;
		poppler_page_get_size(page, &widths[pg], &heights[pg]);
		rc = page_pieces(&l, page, pg + 1);
		g_object_unref(page);
		if (rc < 0)
			goto nomem;
		to = l.n;
		rtl = page_rtl(&l, from, to);
		find_columns(&l, from, to, widths[pg], heights[pg]);
		if (rtl)
			for (size_t p = from; p < to; p++)
				if (l.v[p].col >= 0)
					l.v[p].col = 1 - l.v[p].col;
		/* Spanning pieces above the columns come first, those
		 * below last: give them the group before or after. */
		{
			double top = 1e9;
			for (size_t p = from; p < to; p++)
				if (l.v[p].col >= 0 && l.v[p].y0 < top)
					top = l.v[p].y0;
			for (size_t p = from; p < to; p++)
				if (l.v[p].col < 0)
					l.v[p].col = l.v[p].y1 <= top ? -1 : 2;
		}
		sort_pieces(l.v + from, to - from, rtl);
		if ((rc = merge_lines(&l, from, &to, rtl)) < 0)
			goto nomem;
		l.n = to;
	}
	if (l.n == 0) {
		rc = hx__error_set(err, HX_EFORMAT,
				   "%s: no text layer: image-only PDF (needs "
				   "OCR)",
				   name);
		goto done;
	}
	if ((rc = drop_running(&l, heights, npages)) < 0)
		goto nomem;
	rc = build_blocks(doc, &l, err);
	goto done;
nomem:
	rc = hx__error_set(err, HX_ENOMEM, "out of memory");
done:
	plist_clear(&l);
	free(widths);
	free(heights);
	if (gerr)
		g_error_free(gerr);
	if (pdf)
		g_object_unref(pdf);
	if (bytes)
		g_bytes_unref(bytes);
	g_log_remove_handler("Poppler", h1);
	g_log_remove_handler("GLib-GObject", h2);
	return rc;
}
