/*
 * tmx-read.c - streaming TMX 1.1 to 1.4 input through libxml2's
 * xmlTextReader.
 *
 * One <tu> at a time is collected into buffers that are reused for the
 * next one, handed to the caller's callback and forgotten, so memory is
 * bounded by the largest unit, never by the file. Inline codes become the
 * placeholders of tmx.h. The parser never substitutes or loads entities,
 * never loads a DTD and never touches the network, and a document that
 * declares entities is refused. This module does not write TMX
 * (tmx-write.c), does not decompress, and does not judge what it reads
 * beyond the structure TMX needs (language tags and dates are passed on
 * as written; storing and matching are the memory's business).
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include <hexalign/hexalign.h>

#include "base/error-private.h"
#include "base/text.h"

/* An absent string in the unit's arena. */
#define NONE SIZE_MAX

/* tmx.h: placeholders are U+E000 + n with n < 6400, the whole Private Use
 * Area of the BMP (U+E000..U+F8FF). */
#define MAX_CODES 6400

/* A unit may hold this many times max_seg (several languages, props,
 * notes, codes), and never less than UNIT_FLOOR, so that a small max_seg
 * chosen for segments does not also refuse ordinary six-language units.
 * Its strings and the records that describe them (a <tu> of a million
 * empty <tuv>s is large too) count; the buffers' doubling can take twice
 * that. */
#define UNIT_FACTOR 16
#define UNIT_FLOOR  ((size_t)16 << 20)

/* xmlTextReader node lines are 16 bits; 65535 means "this or later". */
#define BIG_LINE 65535

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

typedef struct sbuf {
	char *p;
	size_t len, cap;
} sbuf;

/* The attributes this reader keeps, as indexes into the arrays below. */
enum {
	A_TUID,
	A_SRCLANG,
	A_CREATIONDATE,
	A_CREATIONID,
	A_CHANGEDATE,
	A_CHANGEID,
	A_XMLLANG,
	A_LANG,
	A_COUNT
};

static const char *const attr_names[A_COUNT] = {
    "tuid",	  "srclang",  "creationdate", "creationid",
    "changedate", "changeid", "xml:lang",     "lang",
};

/* While a unit is collected its strings live in one arena and are named
 * by offset, because the arena moves when it grows; pointers are made
 * only when the unit is handed out. */
typedef struct prop_b {
	size_t type, value;
	bool tu; /* belongs to the <tu>, not to the current <tuv> */
} prop_b;

typedef struct note_b {
	size_t text;
	bool tu;
} note_b;

typedef struct code_b {
	hx_tmx_code_kind kind;
	size_t content, i, x, type, pos, assoc;
	size_t end; /* <hi>: in rd->seg, then in the NFC text; NONE: open */
} code_b;

typedef struct tuv_b {
	size_t attr[A_COUNT];
	size_t text, len, line;
	size_t code0, ncodes, prop0, nprops, note0, nnotes;
	bool has_seg;
} tuv_b;

/* The header's strings, named by offset into harena while it grows. */
enum {
	H_VERSION,
	H_SRCLANG,
	H_ADMINLANG,
	H_DATATYPE,
	H_SEGTYPE,
	H_OTMF,
	H_CREATIONTOOL,
	H_CREATIONTOOLVERSION,
	H_CREATIONDATE,
	H_COUNT
};

static const char *const header_names[H_COUNT] = {
    "version", "srclang",      "adminlang",	      "datatype",     "segtype",
    "o-tmf",   "creationtool", "creationtoolversion", "creationdate",
};

/* Where the bytes come from: a file descriptor or memory. */
typedef struct source {
	int fd;
	const char *mem;
	size_t len, pos;
	size_t total, limit;
	int io_errno;
	bool over;
} source;

typedef struct reader {
	const char *name;
	xmlTextReaderPtr xr;
	source src;
	size_t max_seg, unit_limit;
	hx_tmx_unit_cb cb;
	void *payload;
	hx_error *err;
	/* The thread's libxml2 error handlers, see run(). */
	xmlStructuredErrorFunc old_structured;
	void *old_structured_ctx;
	xmlGenericErrorFunc old_generic;
	void *old_generic_ctx;

	/* The first error libxml2 reported, kept by on_xml_error(). */
	bool xml_failed, xml_in_doc, xml_nomem, xml_truncated;
	int xml_line;
	char xml_msg[320];
	char generic_msg[160]; /* the first unstructured one, if any */

	int type; /* of the node the reader is on, set by next() */

	/* Line bookkeeping, see element_line(). */
	bool ws_now, ws_before;
	size_t ws_line_now, ws_line_before;

	/* The header, kept for the whole read: its attributes, and its
	 * props as (type, value) offset pairs. */
	sbuf harena;
	size_t hoff[H_COUNT];
	size_t *hprops;
	size_t nhprops, chprops;
	hx_tmx_prop *ohprops;
	hx_tmx_header_read hdr;
	bool seen_header, seen_body;

	/* The unit being collected. */
	sbuf arena, seg;
	size_t unit_bytes, seg_bytes;
	size_t tu_attr[A_COUNT], tu_line;
	tuv_b *tuvs;
	size_t ntuvs, ctuvs;
	code_b *codes;
	size_t ncodes, ccodes;
	size_t pua; /* private-use characters replaced in the unit */
	prop_b *props;
	size_t nprops, cprops;
	note_b *notes;
	size_t nnotes, cnotes;

	/* What the callback sees, rebuilt for each unit. */
	hx_tmx_tuv_read *otuvs;
	size_t cotuvs;
	hx_tmx_code *ocodes;
	size_t cocodes;
	hx_tmx_prop *oprops;
	size_t coprops;
	const char **onotes;
	size_t conotes;
} reader;

void hx_tmx_read_options_init(hx_tmx_read_options *opts)
{
	const uint64_t four_gib = (uint64_t)4 << 30;

	assert(opts);
	memset(opts, 0, sizeof(*opts));
	opts->max_input = four_gib > SIZE_MAX ? SIZE_MAX : (size_t)four_gib;
	opts->max_seg = (size_t)1 << 20;
}

/* ---- small containers ------------------------------------------------ */

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			return -1;
		n *= 2;
	}
	if (!(q = realloc(*p, n * size)))
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

static int sbuf_add(sbuf *b, const char *s, size_t n)
{
	if (n > SIZE_MAX - b->len - 1 ||
	    grow((void **)&b->p, &b->cap, b->len + n + 1, 1) < 0)
		return -1;
	if (n) /* s may be NULL then */
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

/* ---- errors ---------------------------------------------------------- */

static int nomem(reader *rd)
{
	return hx__error_set(rd->err, HX_ENOMEM, "%s: out of memory", rd->name);
}

/*
 * Make s fit for a message, which is one line of UTF-8 (error.h): control
 * characters become spaces, invalid or cut UTF-8 becomes '?', trailing
 * white space goes. libxml2 quotes the input in some messages, a fixed
 * number of bytes of it ("Comment not terminated <!--..."), which may
 * end inside a character.
 */
static void tidy(char *s)
{
	size_t n = strlen(s), off = 0, bad;

	while (off < n && !hx__utf8_valid(s + off, n - off, &bad)) {
		s[off + bad] = '?';
		off += bad + 1;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20)
			s[i] = ' ';
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
}

/* A name from the document for a message: at most 40 bytes. */
static const char *clip(char out[48], const char *s)
{
	snprintf(out, 41, "%s", s ? s : "");
	tidy(out);
	return out;
}

/*
 * libxml2 reports through here instead of printing. Only errors count:
 * warnings (a relative namespace URI, say) do not make a TMX unreadable.
 * The first error of the document itself is kept; one raised inside an
 * entity's replacement text has no file and the entity's own line, so a
 * later error with the document's line replaces it.
 */
#if LIBXML_VERSION >= 21200
static void on_xml_error(void *ctx, const xmlError *e)
#else
static void on_xml_error(void *ctx, xmlErrorPtr e)
#endif
{
	reader *rd = ctx;
	bool in_doc;

	if (!e || e->level < XML_ERR_ERROR)
		return;
	if (e->code == XML_ERR_NO_MEMORY)
		rd->xml_nomem = true;
	in_doc = e->file != NULL;
	if (rd->xml_failed && (rd->xml_in_doc || !in_doc))
		return;
	rd->xml_failed = true;
	rd->xml_in_doc = in_doc;
	rd->xml_line = e->line;
	/* libxml2's push parser (under the text reader) reports a document
	 * that stops before its end as "Extra content at the end of the
	 * document", the message it also uses for content after the root
	 * element; only the parser's state tells the two apart. */
	rd->xml_truncated =
	    e->code == XML_ERR_DOCUMENT_END && e->domain == XML_FROM_PARSER &&
	    e->ctxt &&
	    ((xmlParserCtxtPtr)e->ctxt)->instate != XML_PARSER_EPILOG;
	snprintf(rd->xml_msg, sizeof(rd->xml_msg), "%s",
		 e->message ? e->message : "malformed XML");
	tidy(rd->xml_msg);
}

/* A few libxml2 messages bypass the structured handlers
 * ("xmlParseChunk: encoder error"); one is kept in case nothing better
 * explains the failure. */
static void on_xml_generic(void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void on_xml_generic(void *ctx, const char *fmt, ...)
{
	reader *rd = ctx;
	va_list ap;

	if (rd->generic_msg[0])
		return;
	va_start(ap, fmt);
	vsnprintf(rd->generic_msg, sizeof(rd->generic_msg), fmt, ap);
	va_end(ap);
	tidy(rd->generic_msg);
}

static void handlers_ours(reader *rd)
{
	xmlSetStructuredErrorFunc(rd, on_xml_error);
	xmlSetGenericErrorFunc(rd, on_xml_generic);
}

static void handlers_theirs(reader *rd)
{
	xmlSetStructuredErrorFunc(rd->old_structured_ctx, rd->old_structured);
	xmlSetGenericErrorFunc(rd->old_generic_ctx, rd->old_generic);
}

/* The reader stopped or libxml2 complained: say why, most specific
 * cause first. */
static int read_failed(reader *rd)
{
	if (rd->src.io_errno)
		return hx__error_set(rd->err, HX_EIO, "%s: read failed (%s)",
				     rd->name, strerror(rd->src.io_errno));
	if (rd->src.over)
		return hx__error_set(rd->err, HX_ELIMIT,
				     "%s: larger than %zu bytes (max_input)",
				     rd->name, rd->src.limit);
	if (rd->src.total == 0)
		return hx__error_set(rd->err, HX_EFORMAT, "%s: empty file",
				     rd->name);
	if (rd->xml_nomem)
		return nomem(rd);
	if (rd->xml_failed && rd->xml_truncated)
		return hx__error_set(rd->err, HX_EFORMAT,
				     "%s:%d: unexpected end of file (the "
				     "document is truncated)",
				     rd->name, rd->xml_line);
	/* An input conversion error comes without a line: the parser's
	 * is close, it stopped where the bytes could not be decoded. */
	if (rd->xml_failed && rd->xml_line <= 0)
		rd->xml_line = xmlTextReaderGetParserLineNumber(rd->xr);
	if (rd->xml_failed && rd->xml_line <= 0)
		rd->xml_line = 1; /* before the parser had a line: the first */
	if (rd->xml_failed)
		return hx__error_set(rd->err, HX_EFORMAT, "%s:%d: %s", rd->name,
				     rd->xml_line, rd->xml_msg);
	if (rd->generic_msg[0])
		return hx__error_set(rd->err, HX_EFORMAT, "%s:%d: %s", rd->name,
				     xmlTextReaderGetParserLineNumber(rd->xr),
				     rd->generic_msg);
	return hx__error_set(rd->err, HX_EFORMAT, "%s:%d: malformed XML",
			     rd->name,
			     xmlTextReaderGetParserLineNumber(rd->xr));
}

/* ---- input ----------------------------------------------------------- */

/* libxml2 prints an I/O error when this returns -1, and the library never
 * prints; so a failed read or the size limit ends the input as if at end
 * of file, and read_failed() names the real cause. */
static int src_read(void *ctx, char *buf, int len)
{
	source *s = ctx;
	size_t n;

	if (len <= 0 || s->io_errno || s->over)
		return 0;
	if (s->mem) {
		n = s->len - s->pos < (size_t)len ? s->len - s->pos
						  : (size_t)len;
		memcpy(buf, s->mem + s->pos, n);
		s->pos += n;
	} else {
		ssize_t r;
		do
			r = read(s->fd, buf, (size_t)len);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			s->io_errno = errno;
			return 0;
		}
		n = (size_t)r;
	}
	if (n > s->limit - s->total) {
		s->over = true;
		return 0;
	}
	s->total += n;
	return (int)n;
}

/* ---- walking the document -------------------------------------------- */

/*
 * The line of the element the reader is on. libxml2 stores the line where
 * the start tag ends, in 16 bits. Past line 65535 the reader's own parser
 * position is ahead of the node by up to a chunk, so the line comes from
 * the white space before the tag instead: XML_PARSE_BIG_LINES keeps full
 * line numbers for text nodes, and a white-space node ends on the line
 * where the next tag starts. Only when there is no such node (tags glued
 * together past line 65535) is the parser's position used.
 */
static size_t element_line(reader *rd)
{
	xmlNodePtr node = xmlTextReaderCurrentNode(rd->xr);
	int l;

	if (node && node->line < BIG_LINE)
		return node->line;
	if (rd->ws_before && rd->ws_line_before)
		return rd->ws_line_before;
	l = xmlTextReaderGetParserLineNumber(rd->xr);
	return l > 0 ? (size_t)l : 0;
}

static bool is_predefined(const xmlChar *name)
{
	static const char *const names[] = {"lt", "gt", "amp", "quot", "apos"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp((const char *)name, names[i]))
			return true;
	return false;
}

typedef struct entity_scan {
	const xmlChar *first;
} entity_scan;

static void entity_found(void *payload, void *data, const xmlChar *name)
{
	entity_scan *scan = data;

	(void)payload;
	if (!scan->first && !is_predefined(name))
		scan->first = name;
}

/*
 * TMX needs no entities, and declaring them is how entity bombs (billion
 * laughs) and external-file reads (XXE) begin. libxml2 already neither
 * substitutes nor loads them here and caps amplification; refusing the
 * declaration makes that independent of the library's version and
 * options. Redeclaring a predefined entity is allowed by XML 1.0 section
 * 4.6 and harmless (libxml2 always uses its own).
 */
static int check_doctype(reader *rd)
{
	xmlDtdPtr dtd = (xmlDtdPtr)xmlTextReaderCurrentNode(rd->xr);
	entity_scan scan = {NULL};
	char name[48];

	if (!dtd || dtd->type != XML_DTD_NODE)
		return HX_OK;
	if (dtd->entities)
		xmlHashScan(dtd->entities, entity_found, &scan);
	if (!scan.first && dtd->pentities)
		xmlHashScan(dtd->pentities, entity_found, &scan);
	if (!scan.first)
		return HX_OK;
	return hx__error_set(rd->err, HX_EFORMAT,
			     "%s:%d: the DOCTYPE declares entity '%s': "
			     "entities are refused (TMX needs none)",
			     rd->name, xmlTextReaderGetParserLineNumber(rd->xr),
			     clip(name, (const char *)scan.first));
}

/*
 * Move to the next node: 1, 0 at the end of the document, or a negative
 * status with the error set. Every node passes here, including those of
 * skipped elements, so the checks below see the whole document.
 */
static int next(reader *rd)
{
	int r = xmlTextReaderRead(rd->xr), type;
	char name[48];

	if (r < 0 || rd->xml_failed || rd->src.io_errno || rd->src.over)
		return read_failed(rd);
	if (r == 0)
		return 0;
	/* Kept: xmlTextReaderNodeType() looks at a text node's every byte
	 * to tell white space, and every loop here asks for the type. */
	type = rd->type = xmlTextReaderNodeType(rd->xr);
	rd->ws_before = rd->ws_now;
	rd->ws_line_before = rd->ws_line_now;
	rd->ws_now = type == XML_READER_TYPE_WHITESPACE ||
		     type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
	if (rd->ws_now) {
		long l = xmlGetLineNo(xmlTextReaderCurrentNode(rd->xr));
		rd->ws_line_now = l > 0 ? (size_t)l : 0;
	}
	if (type == XML_READER_TYPE_DOCUMENT_TYPE &&
	    (r = check_doctype(rd)) < 0)
		return r;
	if (type == XML_READER_TYPE_ENTITY_REFERENCE)
		/* Only an undeclared entity gets here (declared ones are
		 * refused above); libxml2 lets it pass when the document has
		 * an external DTD it did not read. */
		return hx__error_set(
		    rd->err, HX_EFORMAT,
		    "%s:%d: entity '&%s;' is not defined (TMX knows only "
		    "&lt; &gt; &amp; &quot; &apos; and character references)",
		    rd->name, xmlTextReaderGetParserLineNumber(rd->xr),
		    clip(name, (const char *)xmlTextReaderConstName(rd->xr)));
	return 1;
}

static bool is(reader *rd, const char *name)
{
	const xmlChar *n = xmlTextReaderConstName(rd->xr);

	return n && !strcmp((const char *)n, name);
}

static bool at_end_of(reader *rd, int depth)
{
	return rd->type == XML_READER_TYPE_END_ELEMENT &&
	       xmlTextReaderDepth(rd->xr) == depth;
}

static int truncated(reader *rd, const char *inside)
{
	return hx__error_set(
	    rd->err, HX_EFORMAT, "%s:%d: unexpected end of file inside <%s>",
	    rd->name, xmlTextReaderGetParserLineNumber(rd->xr), inside);
}

/* Read past the element the reader is on, whatever it holds. */
static int skip(reader *rd)
{
	int depth = xmlTextReaderDepth(rd->xr), r;

	if (xmlTextReaderIsEmptyElement(rd->xr))
		return HX_OK;
	while ((r = next(rd)) > 0)
		if (at_end_of(rd, depth))
			return HX_OK;
	return r < 0 ? r : truncated(rd, "element");
}

/* ---- collecting a unit ----------------------------------------------- */

static int unit_limit(reader *rd, size_t line)
{
	return hx__error_set(rd->err, HX_ELIMIT,
			     "%s:%zu: <tu> larger than %zu bytes", rd->name,
			     line, rd->unit_limit);
}

/* Account n more bytes to the unit; false when it is over its limit. */
static bool spend(reader *rd, size_t n)
{
	if (n > rd->unit_limit - rd->unit_bytes)
		return false;
	rd->unit_bytes += n;
	return true;
}

/* Append a NUL-terminated string to the arena: its offset, or NONE when
 * memory runs out. */
static size_t arena_str(reader *rd, const char *s, size_t n)
{
	size_t off = rd->arena.len;

	if (sbuf_add(&rd->arena, s, n) < 0 || sbuf_add(&rd->arena, "", 1) < 0)
		return NONE;
	return off;
}

/*
 * Store into out[] (indexed like attr_names) those attributes of the
 * current element whose bit is set in want. The others are ignored: TMX
 * has many (usagecount, o-encoding...) that the memory does not use. One
 * pass over the attributes rather than a look-up per name, because <tu>
 * and <tuv> are most of the elements of a memory.
 */
static int read_attrs(reader *rd, size_t *out, unsigned want, size_t line)
{
	xmlTextReaderPtr xr = rd->xr;
	int r;

	for (int i = 0; i < A_COUNT; i++)
		out[i] = NONE;
	for (r = xmlTextReaderMoveToFirstAttribute(xr); r == 1;
	     r = xmlTextReaderMoveToNextAttribute(xr)) {
		const char *n = (const char *)xmlTextReaderConstName(xr);
		const char *v = (const char *)xmlTextReaderConstValue(xr);
		size_t len;
		for (int i = 0; n && v && i < A_COUNT; i++) {
			if (!(want & 1u << i) || strcmp(n, attr_names[i]))
				continue;
			len = strlen(v);
			if (!spend(rd, len + 1)) {
				xmlTextReaderMoveToElement(xr);
				return unit_limit(rd, line);
			}
			if ((out[i] = arena_str(rd, v, len)) == NONE) {
				xmlTextReaderMoveToElement(xr);
				return nomem(rd);
			}
		}
	}
	xmlTextReaderMoveToElement(xr);
	return r < 0 ? read_failed(rd) : HX_OK;
}

/* An attribute's value into the arena, or NONE when absent. */
static int read_one_attr(reader *rd, const char *name, size_t *out, size_t line)
{
	xmlChar *v = xmlTextReaderGetAttribute(rd->xr, BAD_CAST name);
	size_t len;

	*out = NONE;
	if (!v)
		return rd->xml_nomem ? nomem(rd) : HX_OK;
	len = strlen((const char *)v);
	if (!spend(rd, len + 1)) {
		xmlFree(v);
		return unit_limit(rd, line);
	}
	*out = arena_str(rd, (const char *)v, len);
	xmlFree(v);
	return *out == NONE ? nomem(rd) : HX_OK;
}

/*
 * The text of the element the reader is on (a <prop>, a <note>), all of
 * its descendants' text included, into the arena. `what` names it in
 * messages.
 */
static int read_text(reader *rd, size_t *out, const char *what, size_t line)
{
	int depth = xmlTextReaderDepth(rd->xr), r;
	size_t start = rd->arena.len, n = 0;

	*out = NONE;
	if (!xmlTextReaderIsEmptyElement(rd->xr)) {
		while ((r = next(rd)) > 0 && !at_end_of(rd, depth)) {
			int type = rd->type;
			const char *v;
			size_t len;
			if (type != XML_READER_TYPE_TEXT &&
			    type != XML_READER_TYPE_CDATA &&
			    type != XML_READER_TYPE_WHITESPACE &&
			    type != XML_READER_TYPE_SIGNIFICANT_WHITESPACE)
				continue;
			v = (const char *)xmlTextReaderConstValue(rd->xr);
			len = v ? strlen(v) : 0;
			if (len > rd->max_seg - n)
				return hx__error_set(
				    rd->err, HX_ELIMIT,
				    "%s:%zu: <%s> longer than %zu bytes "
				    "(max_seg)",
				    rd->name, line, what, rd->max_seg);
			if (!spend(rd, len))
				return unit_limit(rd, line);
			if (sbuf_add(&rd->arena, v, len) < 0)
				return nomem(rd);
			n += len;
		}
		if (r < 0)
			return r;
		if (r == 0)
			return truncated(rd, what);
	}
	if (!spend(rd, 1))
		return unit_limit(rd, line);
	if (sbuf_add(&rd->arena, "", 1) < 0)
		return nomem(rd);
	*out = start;
	return HX_OK;
}

static int add_prop(reader *rd, bool tu, size_t line)
{
	prop_b *p;
	int rc;

	if (!spend(rd, sizeof(prop_b) + sizeof(hx_tmx_prop)))
		return unit_limit(rd, line);
	if (grow((void **)&rd->props, &rd->cprops, rd->nprops + 1,
		 sizeof(*rd->props)) < 0)
		return nomem(rd);
	p = &rd->props[rd->nprops];
	p->tu = tu;
	if ((rc = read_one_attr(rd, "type", &p->type, line)) < 0 ||
	    (rc = read_text(rd, &p->value, "prop", line)) < 0)
		return rc;
	rd->nprops++;
	return HX_OK;
}

static int add_note(reader *rd, bool tu, size_t line)
{
	note_b *n;
	int rc;

	if (!spend(rd, sizeof(note_b) + sizeof(char *)))
		return unit_limit(rd, line);
	if (grow((void **)&rd->notes, &rd->cnotes, rd->nnotes + 1,
		 sizeof(*rd->notes)) < 0)
		return nomem(rd);
	n = &rd->notes[rd->nnotes];
	n->tu = tu;
	if ((rc = read_text(rd, &n->text, "note", line)) < 0)
		return rc;
	rd->nnotes++;
	return HX_OK;
}

static int seg_limit(reader *rd, size_t line)
{
	return hx__error_set(rd->err, HX_ELIMIT,
			     "%s:%zu: <seg> longer than %zu bytes (max_seg)",
			     rd->name, line, rd->max_seg);
}

/* Account n bytes to the segment (text and codes alike). */
static bool seg_spend(reader *rd, size_t n)
{
	if (n > rd->max_seg - rd->seg_bytes)
		return false;
	rd->seg_bytes += n;
	return true;
}

/*
 * Segment text goes to rd->seg. A character of U+E000..U+F8FF already in
 * the text would read as a placeholder to everyone downstream (the
 * matcher charges it as a tag; a writer putting codes back would look up
 * a code that is not there), so it becomes U+FFFD: a visible trace that
 * cannot be mistaken for markup. The cost: symbol-font characters from
 * Word (U+F0xx) and TMX's own <ude> maps, which use this range, are lost;
 * tmx.h gives every character of it to placeholders. They are counted, so
 * that the loss is reported rather than silent.
 */
static int seg_text(reader *rd, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;

	for (; i < n; i++) {
		/* Eight bytes at a time while none is EE or more: a byte b
		 * is when its high bit is set and (b & 7F) + 12 carries into
		 * bit 7 (no carry crosses bytes: 7F + 12 < 100). */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, u + i, 8);
			if ((((w & 0x7f7f7f7f7f7f7f7fULL) +
			      0x1212121212121212ULL) &
			     w & 0x8080808080808080ULL) != 0)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		/* UTF-8 of U+E000..U+EFFF is EE xx xx, of U+F000..U+F8FF
		 * EF 80..A3 xx; libxml2 hands out valid UTF-8 only. */
		bool pua = i + 2 < n &&
			   (u[i] == 0xEE || (u[i] == 0xEF && u[i + 1] <= 0xA3));
		if (!pua)
			continue;
		if (sbuf_add(&rd->seg, s + run, i - run) < 0 ||
		    sbuf_add(&rd->seg, REPLACEMENT, 3) < 0)
			return -1;
		rd->pua++;
		i += 2;
		run = i + 1;
	}
	return sbuf_add(&rd->seg, s + run, n - run);
}

static hx_tmx_code_kind code_kind(reader *rd)
{
	static const struct {
		const char *name;
		hx_tmx_code_kind kind;
	} kinds[] = {
	    {"bpt", HX_TMX_CODE_BPT}, {"ept", HX_TMX_CODE_EPT},
	    {"ph", HX_TMX_CODE_PH},   {"it", HX_TMX_CODE_IT},
	    {"hi", HX_TMX_CODE_HI},   {"ut", HX_TMX_CODE_UT},
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (is(rd, kinds[i].name))
			return kinds[i].kind;
	return 0;
}

/* A code starts: its placeholder into the text, its attributes into the
 * arena. Its content follows in the arena as the caller reads it. */
static int code_start(reader *rd, tuv_b *v, hx_tmx_code_kind kind,
		      size_t seg_line)
{
	size_t line = element_line(rd);
	char ph[4];
	code_b *c;
	int rc;

	if (v->ncodes >= MAX_CODES)
		return hx__error_set(rd->err, HX_ELIMIT,
				     "%s:%zu: more than %d inline codes in "
				     "one <seg>",
				     rd->name, line, MAX_CODES);
	if (!seg_spend(rd, 3))
		return seg_limit(rd, seg_line);
	if (!spend(rd, sizeof(code_b) + sizeof(hx_tmx_code)))
		return unit_limit(rd, rd->tu_line);
	if (grow((void **)&rd->codes, &rd->ccodes, rd->ncodes + 1,
		 sizeof(*rd->codes)) < 0 ||
	    sbuf_add(&rd->seg, ph,
		     hx__utf8_put(ph, HX_TMX_CODE_BASE + (uint32_t)v->ncodes)) <
		0)
		return nomem(rd);
	c = &rd->codes[rd->ncodes];
	c->kind = kind;
	if ((rc = read_one_attr(rd, "i", &c->i, line)) < 0 ||
	    (rc = read_one_attr(rd, "x", &c->x, line)) < 0 ||
	    (rc = read_one_attr(rd, "type", &c->type, line)) < 0 ||
	    (rc = read_one_attr(rd, "pos", &c->pos, line)) < 0 ||
	    (rc = read_one_attr(rd, "assoc", &c->assoc, line)) < 0)
		return rc;
	c->end = kind == HX_TMX_CODE_HI ? NONE : 0;
	c->content = rd->arena.len;
	rd->ncodes++;
	v->ncodes++;
	return HX_OK;
}

static int code_end(reader *rd)
{
	if (!spend(rd, 1))
		return unit_limit(rd, rd->tu_line);
	return sbuf_add(&rd->arena, "", 1) < 0 ? nomem(rd) : HX_OK;
}

/* </hi>: the innermost <hi> of the tuv still open ends here. */
static void hi_close(reader *rd, tuv_b *v)
{
	for (size_t k = v->ncodes; k-- > 0;) {
		code_b *c = &rd->codes[v->code0 + k];
		if (c->kind == HX_TMX_CODE_HI && c->end == NONE) {
			c->end = rd->seg.len;
			return;
		}
	}
}

/* An end already moved into the result. */
#define MAPPED ((SIZE_MAX >> 1) + 1)

/*
 * NFC piece by piece, cut where a <hi> closes, so that each end has an
 * exact offset in the result (NFC can change the length of what precedes
 * it). A mark right after a </hi> then stays uncomposed with the letter
 * inside, which is how the file had it anyway.
 */
static int nfc_pieces(reader *rd, tuv_b *v, char **out, size_t *out_len)
{
	sbuf b = {0};
	size_t from = 0;
	int rc = HX_OK;

	for (;;) {
		size_t to = rd->seg.len, len;
		char *nfc;
		for (size_t k = 0; k < v->ncodes; k++) {
			const code_b *c = &rd->codes[v->code0 + k];
			if (c->kind == HX_TMX_CODE_HI && c->end != NONE &&
			    c->end > from && c->end < to)
				to = c->end;
		}
		if ((rc = hx__nfc(&nfc, &len, rd->seg.p + from, to - from)) < 0)
			break;
		rc = sbuf_add(&b, nfc, len) < 0 ? HX_ENOMEM : HX_OK;
		free(nfc);
		if (rc < 0)
			break;
		for (size_t k = 0; k < v->ncodes; k++) {
			code_b *c = &rd->codes[v->code0 + k];
			if (c->kind == HX_TMX_CODE_HI && c->end == to)
				c->end = b.len | MAPPED;
		}
		if (to == rd->seg.len)
			break;
		from = to;
	}
	/* MAPPED kept an end from being moved twice (NFC may lengthen). */
	for (size_t k = 0; k < v->ncodes; k++) {
		code_b *c = &rd->codes[v->code0 + k];
		if (c->kind == HX_TMX_CODE_HI && c->end != NONE)
			c->end &= ~MAPPED;
	}
	if (rc < 0) {
		free(b.p);
		return rc;
	}
	*out = b.p ? b.p : strdup("");
	*out_len = b.len;
	return *out ? HX_OK : HX_ENOMEM;
}

/* The NFC of rd->seg into the arena as the tuv's text. ASCII is NFC
 * already and is by far the common case in UN memories' English side;
 * most Chinese, Russian and Arabic text passes the quick test. */
static int seg_finish(reader *rd, tuv_b *v, size_t line)
{
	size_t n = rd->seg.len, len;
	bool hi = false;
	char *nfc = NULL;
	int rc;

	for (size_t k = 0; k < v->ncodes; k++) {
		code_b *c = &rd->codes[v->code0 + k];
		if (c->kind == HX_TMX_CODE_HI && c->end == NONE)
			c->end = n; /* cannot happen in well-formed XML */
		hi |= c->kind == HX_TMX_CODE_HI;
	}
	if (hx__nfc_quick(rd->seg.p, n)) {
		len = n;
	} else if ((rc = hi ? nfc_pieces(rd, v, &nfc, &len)
			    : hx__nfc(&nfc, &len, rd->seg.p, n)) < 0) {
		return rc == HX_ENOMEM
			   ? nomem(rd)
			   : hx__error_set(rd->err, rc,
					   "%s:%zu: <seg> cannot be normalised "
					   "to NFC",
					   rd->name, line);
	}
	if (!spend(rd, len + 1)) {
		free(nfc);
		return unit_limit(rd, line);
	}
	v->text = arena_str(rd, nfc ? nfc : rd->seg.p, len);
	v->len = len;
	free(nfc);
	return v->text == NONE ? nomem(rd) : HX_OK;
}

/*
 * A <seg>: text and inline codes, in document order. Inside a code
 * (<bpt>, <ept>, <ph>, <it>, <ut>) everything, <sub> and anything nested
 * in it included, is the code's content. <hi> is different: its
 * placeholder marks where it opens and its content stays segment text,
 * with codes of its own. Elements TMX does not define inside <seg> are
 * looked through (their text is kept).
 */
static int read_seg(reader *rd, tuv_b *v)
{
	int depth = xmlTextReaderDepth(rd->xr), code_depth = -1, r, rc;
	size_t line = element_line(rd);

	rd->seg.len = 0;
	rd->seg_bytes = 0;
	v->has_seg = true;
	v->line = line;
	v->code0 = rd->ncodes;
	v->ncodes = 0;
	if (rd->seg.p)
		rd->seg.p[0] = '\0';
	if (!xmlTextReaderIsEmptyElement(rd->xr)) {
		while ((r = next(rd)) > 0 && !at_end_of(rd, depth)) {
			int type = rd->type;
			hx_tmx_code_kind kind;
			const char *s;
			size_t n;

			if (type == XML_READER_TYPE_ELEMENT) {
				if (code_depth >= 0 || !(kind = code_kind(rd)))
					continue;
				if ((rc = code_start(rd, v, kind, line)) < 0)
					return rc;
				if (kind == HX_TMX_CODE_HI ||
				    xmlTextReaderIsEmptyElement(rd->xr)) {
					if ((rc = code_end(rd)) < 0)
						return rc;
					if (kind == HX_TMX_CODE_HI &&
					    xmlTextReaderIsEmptyElement(rd->xr))
						hi_close(rd, v);
				} else {
					code_depth = xmlTextReaderDepth(rd->xr);
				}
				continue;
			}
			if (type == XML_READER_TYPE_END_ELEMENT) {
				if (code_depth >= 0 &&
				    xmlTextReaderDepth(rd->xr) == code_depth) {
					code_depth = -1;
					if ((rc = code_end(rd)) < 0)
						return rc;
				} else if (code_depth < 0 && is(rd, "hi")) {
					hi_close(rd, v);
				}
				continue;
			}
			if (type != XML_READER_TYPE_TEXT &&
			    type != XML_READER_TYPE_CDATA &&
			    type != XML_READER_TYPE_WHITESPACE &&
			    type != XML_READER_TYPE_SIGNIFICANT_WHITESPACE)
				continue;
			s = (const char *)xmlTextReaderConstValue(rd->xr);
			n = s ? strlen(s) : 0;
			if (!seg_spend(rd, n))
				return seg_limit(rd, line);
			if (code_depth >= 0) {
				if (!spend(rd, n))
					return unit_limit(rd, rd->tu_line);
				if (sbuf_add(&rd->arena, s, n) < 0)
					return nomem(rd);
			} else if (seg_text(rd, s, n) < 0) {
				return nomem(rd);
			}
		}
		if (r < 0)
			return r;
		if (r == 0)
			return truncated(rd, "seg");
	}
	return seg_finish(rd, v, line);
}

static int read_tuv(reader *rd)
{
	int depth = xmlTextReaderDepth(rd->xr), r, rc;
	size_t line = element_line(rd);
	unsigned want = 1u << A_CREATIONDATE | 1u << A_CREATIONID |
			1u << A_CHANGEDATE | 1u << A_CHANGEID |
			1u << A_XMLLANG | 1u << A_LANG;
	tuv_b *v;

	if (!spend(rd, sizeof(tuv_b) + sizeof(hx_tmx_tuv_read)))
		return unit_limit(rd, rd->tu_line);
	if (grow((void **)&rd->tuvs, &rd->ctuvs, rd->ntuvs + 1,
		 sizeof(*rd->tuvs)) < 0)
		return nomem(rd);
	v = &rd->tuvs[rd->ntuvs++];
	memset(v, 0, sizeof(*v));
	v->text = NONE;
	v->prop0 = rd->nprops;
	v->note0 = rd->nnotes;
	v->code0 = rd->ncodes;
	if ((rc = read_attrs(rd, v->attr, want, line)) < 0)
		return rc;
	/* xml:lang in TMX 1.4, lang in the older versions; tools mix them
	 * (OmegaT 6 writes version="1.1" with xml:lang), so either is
	 * taken whatever the version says, xml:lang first. xml:lang="" is XML's
	 * "no language" (XML 1.0 section 2.12). */
	if (v->attr[A_XMLLANG] == NONE || !rd->arena.p[v->attr[A_XMLLANG]])
		v->attr[A_XMLLANG] = v->attr[A_LANG];
	if (v->attr[A_XMLLANG] == NONE || !rd->arena.p[v->attr[A_XMLLANG]])
		return hx__error_set(rd->err, HX_EFORMAT,
				     "%s:%zu: <tuv> without a language "
				     "(xml:lang or lang)",
				     rd->name, line);
	if (xmlTextReaderIsEmptyElement(rd->xr))
		return HX_OK;
	while ((r = next(rd)) > 0 && !at_end_of(rd, depth)) {
		if (rd->type != XML_READER_TYPE_ELEMENT)
			continue;
		/* Nothing below adds a tuv, so v stays put. */
		if (is(rd, "seg")) {
			if (v->has_seg)
				return hx__error_set(
				    rd->err, HX_EFORMAT,
				    "%s:%zu: second <seg> in one <tuv>",
				    rd->name, element_line(rd));
			rc = read_seg(rd, v);
		} else if (is(rd, "prop")) {
			rc = add_prop(rd, false, element_line(rd));
		} else if (is(rd, "note")) {
			rc = add_note(rd, false, element_line(rd));
		} else {
			rc = skip(rd);
		}
		if (rc < 0)
			return rc;
	}
	if (r < 0)
		return r;
	if (r == 0)
		return truncated(rd, "tuv");
	v->nprops = rd->nprops - v->prop0;
	v->nnotes = rd->nnotes - v->note0;
	return HX_OK;
}

static const char *str(const reader *rd, size_t off)
{
	return off == NONE ? NULL : rd->arena.p + off;
}

/* A <prop> without its required type gets "", never NULL: hx_tmx_prop
 * has no "absent" for it, and callers compare it with strcmp(). */
static const char *prop_type(const reader *rd, size_t off)
{
	return off == NONE ? "" : rd->arena.p + off;
}

/*
 * Hand the unit out. A <tuv> without <seg> is left out (it has no text to
 * offer; the DTD requires the <seg>, but a reader that drops one empty
 * <tuv> loses nothing). The <tu>'s own props and notes may come anywhere
 * among its <tuv>s in a sloppy file; they are listed first.
 */
static int deliver(reader *rd)
{
	size_t ntuvs = 0, np = 0, nn = 0, nc = 0;
	hx_tmx_unit u;
	int rc;

	for (size_t i = 0; i < rd->ntuvs; i++)
		ntuvs += rd->tuvs[i].has_seg;
	if (!ntuvs)
		return hx__error_set(rd->err, HX_EFORMAT,
				     "%s:%zu: <tu> without any <tuv> holding "
				     "a <seg>",
				     rd->name, rd->tu_line);
	if (grow((void **)&rd->otuvs, &rd->cotuvs, ntuvs, sizeof(*rd->otuvs)) <
		0 ||
	    grow((void **)&rd->ocodes, &rd->cocodes, rd->ncodes + 1,
		 sizeof(*rd->ocodes)) < 0 ||
	    grow((void **)&rd->oprops, &rd->coprops, rd->nprops + 1,
		 sizeof(*rd->oprops)) < 0 ||
	    grow((void **)&rd->onotes, &rd->conotes, rd->nnotes + 1,
		 sizeof(*rd->onotes)) < 0)
		return nomem(rd);

	for (size_t i = 0; i < rd->nprops; i++)
		if (rd->props[i].tu) {
			rd->oprops[np].type = prop_type(rd, rd->props[i].type);
			rd->oprops[np++].value = str(rd, rd->props[i].value);
		}
	for (size_t i = 0; i < rd->nnotes; i++)
		if (rd->notes[i].tu)
			rd->onotes[nn++] = str(rd, rd->notes[i].text);
	memset(&u, 0, sizeof(u));
	u.props = rd->oprops;
	u.nprops = np;
	u.notes = rd->onotes;
	u.nnotes = nn;

	ntuvs = 0;
	for (size_t i = 0; i < rd->ntuvs; i++) {
		const tuv_b *b = &rd->tuvs[i];
		hx_tmx_tuv_read *o;
		if (!b->has_seg)
			continue;
		o = &rd->otuvs[ntuvs++];
		memset(o, 0, sizeof(*o));
		o->lang = str(rd, b->attr[A_XMLLANG]);
		o->text = str(rd, b->text);
		o->len = b->len;
		o->creationdate = str(rd, b->attr[A_CREATIONDATE]);
		o->creationid = str(rd, b->attr[A_CREATIONID]);
		o->changedate = str(rd, b->attr[A_CHANGEDATE]);
		o->changeid = str(rd, b->attr[A_CHANGEID]);
		o->codes = rd->ocodes + nc;
		o->ncodes = b->ncodes;
		for (size_t k = 0; k < b->ncodes; k++, nc++) {
			const code_b *c = &rd->codes[b->code0 + k];
			rd->ocodes[nc].kind = c->kind;
			rd->ocodes[nc].content = str(rd, c->content);
			rd->ocodes[nc].i = str(rd, c->i);
			rd->ocodes[nc].x = str(rd, c->x);
			rd->ocodes[nc].type = str(rd, c->type);
			rd->ocodes[nc].pos = str(rd, c->pos);
			rd->ocodes[nc].assoc = str(rd, c->assoc);
			rd->ocodes[nc].end = c->end;
		}
		o->props = rd->oprops + np;
		o->nprops = b->nprops;
		for (size_t k = 0; k < b->nprops; k++, np++) {
			const prop_b *p = &rd->props[b->prop0 + k];
			rd->oprops[np].type = prop_type(rd, p->type);
			rd->oprops[np].value = str(rd, p->value);
		}
		o->notes = rd->onotes + nn;
		o->nnotes = b->nnotes;
		for (size_t k = 0; k < b->nnotes; k++)
			rd->onotes[nn++] =
			    str(rd, rd->notes[b->note0 + k].text);
	}
	u.tuvs = rd->otuvs;
	u.ntuvs = ntuvs;
	u.tuid = str(rd, rd->tu_attr[A_TUID]);
	u.srclang = str(rd, rd->tu_attr[A_SRCLANG]);
	u.creationdate = str(rd, rd->tu_attr[A_CREATIONDATE]);
	u.creationid = str(rd, rd->tu_attr[A_CREATIONID]);
	u.changedate = str(rd, rd->tu_attr[A_CHANGEDATE]);
	u.changeid = str(rd, rd->tu_attr[A_CHANGEID]);
	u.line = rd->tu_line;
	u.pua_replaced = rd->pua;
	/* The callback may use libxml2 itself (a filter writing TMX as it
	 * reads): its errors are its own business, not this read's. */
	handlers_theirs(rd);
	rc = rd->cb(rd->payload, &rd->hdr, &u, rd->err);
	handlers_ours(rd);
	return rc;
}

/* A <tuv>'s props and notes are contiguous in rd->props/rd->notes, since
 * nothing else is collected while inside it; the <tu>'s own are flagged
 * and gathered by deliver(). */
static int read_tu(reader *rd)
{
	int depth = xmlTextReaderDepth(rd->xr), r, rc;
	unsigned want = 1u << A_TUID | 1u << A_SRCLANG | 1u << A_CREATIONDATE |
			1u << A_CREATIONID | 1u << A_CHANGEDATE |
			1u << A_CHANGEID;

	rd->arena.len = 0;
	rd->unit_bytes = 0;
	rd->ntuvs = rd->ncodes = rd->nprops = rd->nnotes = 0;
	rd->pua = 0;
	rd->tu_line = element_line(rd);
	if ((rc = read_attrs(rd, rd->tu_attr, want, rd->tu_line)) < 0)
		return rc;
	if (!xmlTextReaderIsEmptyElement(rd->xr)) {
		while ((r = next(rd)) > 0 && !at_end_of(rd, depth)) {
			if (rd->type != XML_READER_TYPE_ELEMENT)
				continue;
			if (is(rd, "tuv"))
				rc = read_tuv(rd);
			else if (is(rd, "prop"))
				rc = add_prop(rd, true, element_line(rd));
			else if (is(rd, "note"))
				rc = add_note(rd, true, element_line(rd));
			else
				rc = skip(rd);
			if (rc < 0)
				return rc;
		}
		if (r < 0)
			return r;
		if (r == 0)
			return truncated(rd, "tu");
	}
	return deliver(rd);
}

static int read_body(reader *rd)
{
	int depth = xmlTextReaderDepth(rd->xr), r, rc;

	rd->seen_body = true;
	if (xmlTextReaderIsEmptyElement(rd->xr))
		return HX_OK;
	while ((r = next(rd)) > 0 && !at_end_of(rd, depth)) {
		if (rd->type != XML_READER_TYPE_ELEMENT)
			continue;
		if ((rc = is(rd, "tu") ? read_tu(rd) : skip(rd)) != HX_OK)
			return rc;
	}
	return r < 0 ? r : r == 0 ? truncated(rd, "body") : HX_OK;
}

static int header_attr(reader *rd, int h)
{
	xmlChar *v =
	    xmlTextReaderGetAttribute(rd->xr, BAD_CAST header_names[h]);
	int rc = HX_OK;

	if (!v)
		return rd->xml_nomem ? nomem(rd) : HX_OK;
	rd->hoff[h] = rd->harena.len;
	if (sbuf_add(&rd->harena, (const char *)v,
		     strlen((const char *)v) + 1) < 0)
		rc = nomem(rd);
	xmlFree(v);
	return rc;
}

/* Point rd->hdr into harena, which may have moved. */
static void header_point(reader *rd)
{
	const char **fields[H_COUNT] = {
	    &rd->hdr.version,	   &rd->hdr.srclang,
	    &rd->hdr.adminlang,	   &rd->hdr.datatype,
	    &rd->hdr.segtype,	   &rd->hdr.o_tmf,
	    &rd->hdr.creationtool, &rd->hdr.creationtoolversion,
	    &rd->hdr.creationdate,
	};

	for (int h = 0; h < H_COUNT; h++)
		*fields[h] =
		    rd->hoff[h] == NONE ? NULL : rd->harena.p + rd->hoff[h];
	for (size_t i = 0; i < rd->nhprops; i++) {
		rd->ohprops[i].type = rd->harena.p + rd->hprops[2 * i];
		rd->ohprops[i].value = rd->harena.p + rd->hprops[2 * i + 1];
	}
	rd->hdr.props = rd->ohprops;
	rd->hdr.nprops = rd->nhprops;
}

/* The header's props, collected as a unit's are, then moved into harena
 * for the whole read. */
static int header_props(reader *rd)
{
	int depth = xmlTextReaderDepth(rd->xr), r, rc;

	rd->arena.len = 0;
	rd->unit_bytes = 0;
	rd->nprops = 0;
	if (xmlTextReaderIsEmptyElement(rd->xr))
		return HX_OK;
	while ((r = next(rd)) > 0 && !at_end_of(rd, depth)) {
		if (rd->type != XML_READER_TYPE_ELEMENT)
			continue;
		rc = is(rd, "prop") ? add_prop(rd, true, element_line(rd))
				    : skip(rd);
		if (rc < 0)
			return rc;
	}
	if (r < 0)
		return r;
	if (r == 0)
		return truncated(rd, "header");
	if (grow((void **)&rd->hprops, &rd->chprops, 2 * rd->nprops + 1,
		 sizeof(*rd->hprops)) < 0 ||
	    !(rd->ohprops = calloc(rd->nprops + 1, sizeof(*rd->ohprops))))
		return nomem(rd);
	for (size_t i = 0; i < rd->nprops; i++) {
		const char *t = prop_type(rd, rd->props[i].type);
		const char *v = str(rd, rd->props[i].value);
		rd->hprops[2 * i] = rd->harena.len;
		if (sbuf_add(&rd->harena, t, strlen(t) + 1) < 0)
			return nomem(rd);
		rd->hprops[2 * i + 1] = rd->harena.len;
		if (sbuf_add(&rd->harena, v ? v : "", v ? strlen(v) + 1 : 1) <
		    0)
			return nomem(rd);
	}
	rd->nhprops = rd->nprops;
	rd->nprops = 0;
	return HX_OK;
}

/* The <header>'s attributes and props; its notes and <ude>s are
 * skipped. */
static int read_header(reader *rd)
{
	int rc;

	if (rd->seen_header) /* a second one: not TMX, but harmless */
		return skip(rd);
	rd->seen_header = true;
	for (int h = H_SRCLANG; h < H_COUNT; h++)
		if ((rc = header_attr(rd, h)) < 0)
			return rc;
	rc = header_props(rd);
	header_point(rd);
	return rc;
}

static int read_tmx(reader *rd)
{
	int depth = xmlTextReaderDepth(rd->xr), r, rc;
	size_t line = element_line(rd);

	if ((rc = header_attr(rd, H_VERSION)) < 0)
		return rc;
	header_point(rd);
	if (!xmlTextReaderIsEmptyElement(rd->xr)) {
		while ((r = next(rd)) > 0 && !at_end_of(rd, depth)) {
			if (rd->type != XML_READER_TYPE_ELEMENT)
				continue;
			if (is(rd, "header"))
				rc = read_header(rd);
			else if (is(rd, "body"))
				rc = read_body(rd);
			else
				rc = skip(rd);
			if (rc != HX_OK)
				return rc;
		}
		if (r < 0)
			return r;
		if (r == 0)
			return truncated(rd, "tmx");
	}
	if (!rd->seen_body)
		return hx__error_set(rd->err, HX_EFORMAT,
				     "%s:%zu: <tmx> without <body>", rd->name,
				     line);
	return HX_OK;
}

static int read_document(reader *rd)
{
	int r, rc;

	while ((r = next(rd)) > 0) {
		if (rd->type != XML_READER_TYPE_ELEMENT)
			continue;
		if (!is(rd, "tmx")) {
			char name[48];
			return hx__error_set(
			    rd->err, HX_EFORMAT,
			    "%s:%zu: root element <%s>, not <tmx>: not a TMX "
			    "document",
			    rd->name, element_line(rd),
			    clip(name,
				 (const char *)xmlTextReaderConstName(rd->xr)));
		}
		if ((rc = read_tmx(rd)) != HX_OK)
			return rc;
	}
	if (r < 0)
		return r;
	/* libxml2 reports a document without a root element itself; this is
	 * a guard should a version of it not. */
	if (!rd->seen_body)
		return read_failed(rd);
	return HX_OK;
}

/*
 * Run the reader over rd->src. Not xmlReaderForFile(): it would
 * decompress gzip on its own (a way around max_input) and takes neither
 * stdin nor memory beyond INT_MAX bytes; one I/O callback serves all
 * three.
 *
 * No XML_PARSE_NOENT (entities would be substituted), no DTDLOAD,
 * DTDATTR or DTDVALID (the DTD would be fetched), no NOBLANKS (white
 * space between inline codes is text), NONET in case anything still
 * tries, BIG_LINES for line numbers past 65535 (see element_line()).
 */
static int run(reader *rd)
{
	const int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES;
	int rc;

	xmlInitParser();
	/* libxml2 prints what it cannot hand to a parser context's handler:
	 * errors raised while the context is made (an unsupported encoding
	 * seen in the first bytes), input conversion errors, a few plain
	 * messages. The thread's handlers catch those while the parser
	 * runs; they are thread-local in libxml2 and given back, around
	 * the callback too, so nothing is shared or left behind. */
	rd->old_structured = xmlStructuredError;
	rd->old_structured_ctx = xmlStructuredErrorContext;
	rd->old_generic = xmlGenericError;
	rd->old_generic_ctx = xmlGenericErrorContext;
	handlers_ours(rd);
	rd->xr =
	    xmlReaderForIO(src_read, NULL, &rd->src, rd->name, NULL, options);
	if (!rd->xr) {
		rc = rd->src.total || rd->xml_failed ? read_failed(rd)
						     : nomem(rd);
		handlers_theirs(rd);
		return rc;
	}
	xmlTextReaderSetStructuredErrorHandler(rd->xr, on_xml_error, rd);
	rc = read_document(rd);
	xmlFreeTextReader(rd->xr);
	rd->xr = NULL;
	handlers_theirs(rd);
	return rc;
}

static void reader_free(reader *rd)
{
	free(rd->harena.p);
	free(rd->hprops);
	free(rd->ohprops);
	free(rd->arena.p);
	free(rd->seg.p);
	free(rd->tuvs);
	free(rd->codes);
	free(rd->props);
	free(rd->notes);
	free(rd->otuvs);
	free(rd->ocodes);
	free(rd->oprops);
	free(rd->onotes);
}

static void reader_init(reader *rd, const char *name,
			const hx_tmx_read_options *opts, hx_tmx_unit_cb cb,
			void *payload, hx_error *err)
{
	hx_tmx_read_options def;

	if (!opts) {
		hx_tmx_read_options_init(&def);
		opts = &def;
	}
	memset(rd, 0, sizeof(*rd));
	rd->name = name;
	rd->src.fd = -1;
	for (int h = 0; h < H_COUNT; h++)
		rd->hoff[h] = NONE;
	rd->src.limit = opts->max_input;
	rd->max_seg = opts->max_seg;
	rd->unit_limit = opts->max_seg > SIZE_MAX / UNIT_FACTOR
			     ? SIZE_MAX
			     : opts->max_seg * UNIT_FACTOR;
	if (rd->unit_limit < UNIT_FLOOR)
		rd->unit_limit = UNIT_FLOOR;
	rd->cb = cb;
	rd->payload = payload;
	rd->err = err;
}

int hx_tmx_read(const char *path, const hx_tmx_read_options *opts,
		hx_tmx_unit_cb cb, void *payload, hx_error *err)
{
	bool is_stdin;
	struct stat st;
	reader rd;
	int rc;

	assert(path && cb);
	is_stdin = !strcmp(path, "-");
	reader_init(&rd, is_stdin ? "standard input" : path, opts, cb, payload,
		    err);
	if (is_stdin) {
		rd.src.fd = STDIN_FILENO;
	} else if ((rd.src.fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		int e = errno;
		return hx__error_set(
		    err, e == ENOENT || e == ENOTDIR ? HX_ENOTFOUND : HX_EIO,
		    "%s: cannot open (%s)", path, strerror(e));
	}
	if (fstat(rd.src.fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			rc = hx__error_set(err, HX_EIO, "%s: cannot read (%s)",
					   rd.name, strerror(EISDIR));
			goto out;
		}
		/* A regular file says its size: refuse it before reading. */
		if (S_ISREG(st.st_mode) &&
		    (uintmax_t)st.st_size > rd.src.limit) {
			rc = hx__error_set(err, HX_ELIMIT,
					   "%s: larger than %zu bytes "
					   "(max_input)",
					   rd.name, rd.src.limit);
			goto out;
		}
	}
	rc = run(&rd);
out:
	if (!is_stdin)
		close(rd.src.fd);
	reader_free(&rd);
	return rc;
}

int hx_tmx_read_memory(const char *name, const char *data, size_t len,
		       const hx_tmx_read_options *opts, hx_tmx_unit_cb cb,
		       void *payload, hx_error *err)
{
	reader rd;
	int rc;

	assert(cb && (data || len == 0));
	reader_init(&rd, name ? name : "(memory)", opts, cb, payload, err);
	if (len > rd.src.limit)
		return hx__error_set(err, HX_ELIMIT,
				     "%s: larger than %zu bytes (max_input)",
				     rd.name, rd.src.limit);
	if (len == 0)
		return hx__error_set(err, HX_EFORMAT, "%s: empty file",
				     rd.name);
	rd.src.mem = data;
	rd.src.len = len;
	rc = run(&rd);
	reader_free(&rd);
	return rc;
}
