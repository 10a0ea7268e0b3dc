/*
 * read-docx.c - the DOCX reader: the text of a WordprocessingML document
 * as the reader of the printed page sees it, one block per paragraph,
 * with tracked changes accepted, field results instead of field codes,
 * automatic numbering rendered into the label and heading levels taken
 * from the paragraph styles. Footnotes and endnotes follow the body.
 * It is not a converter: layout, text boxes, drawings, equations and
 * headers/footers are left out, and nothing is ever written back.
 *
 * The file is hostile until proven otherwise: zip entries that would
 * escape a directory make the whole file refused, every entry is inflated
 * under a cap (the header's size is not trusted), the caps add up across
 * entries, and XML is parsed without network, entity substitution or DTD
 * loading; any DOCTYPE is refused, as Word never writes one.
 *
 * Inline formatting: every piece of text met is noted with its run's
 * bold, italic, underline and vertical alignment and the link it sits
 * in; once the paragraph is read, what most of its text has is its usual
 * look and the rest becomes inline codes (pairs, properly nested, the
 * link outermost), beside note references, fields (the result as one
 * code: its words are the field's, not the translator's), tabs and
 * breaks (hx_inline in doc.h). The text itself is not changed by it.
 *
 * Block `line` numbers: in the body, the 1-based index of the paragraph
 * among all w:p met in document order (table cells and empty paragraphs
 * included); for notes, the same count restarted in footnotes.xml or
 * endnotes.xml (separator notes included), so a message can point at the
 * Nth paragraph of that part.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>
#include <zip.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "base/inline.h"
#include "base/text.h"
#include "read/read-private.h"

#define W_NS	    "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_NS_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define MAX_LVL	    9
#define MAX_FIELDS  64 /* complex fields nested deeper are all hidden */
#define MAX_CHAIN   32 /* basedOn hops: breaks cycles in broken styles */

enum part_mode { MODE_BODY, MODE_FOOTNOTE, MODE_ENDNOTE };

enum num_fmt {
	FMT_DECIMAL,
	FMT_DECIMAL_ZERO,
	FMT_LOWER_LETTER,
	FMT_UPPER_LETTER,
	FMT_LOWER_ROMAN,
	FMT_UPPER_ROMAN,
	FMT_BULLET,
	FMT_NONE,
	FMT_CHINESE,
	FMT_CHINESE_LEGAL,
	FMT_IDEO_DIGITAL,
	FMT_IDEO_TRADITIONAL,
	FMT_CIRCLE,
	FMT_FULLWIDTH
};

enum sym_font { FONT_TEXT, FONT_SYMBOL, FONT_WINGDINGS };

struct style {
	char *id;
	char *based_on;
	int heading; /* level from the name ("heading 2", "Title"), or 0 */
	int outline; /* w:outlineLvl, -1 when absent */
	int num_id;  /* w:numPr/w:numId, -1 when absent */
	int ilvl;    /* w:numPr/w:ilvl, -1 when absent */
	/* The same after following basedOn, see resolve_styles(). */
	int r_heading;
	int r_num_id;
	int r_ilvl;
};

struct lvl {
	bool defined;
	bool legal; /* w:isLgl: every level shown in decimal */
	enum num_fmt fmt;
	enum sym_font font;
	int start;
	char *text;   /* w:lvlText, NULL when absent */
	char *pstyle; /* w:pStyle: the paragraph style tied to this level */
};

struct counters {
	int cur[MAX_LVL];
	bool used[MAX_LVL];
};

struct abstract_num {
	int id;
	char *style_link; /* w:numStyleLink: levels live in a list style */
	struct lvl lvl[MAX_LVL];
	struct counters cnt;
};

struct num {
	int id;
	int abstract_id;
	bool own; /* has overrides, so counts apart from its abstractNum */
	int start_over[MAX_LVL]; /* -1 when none */
	struct lvl over[MAX_LVL];
	struct counters cnt;
};

struct note_ref {
	int id;
	size_t rank; /* order met, then the printed number (1-based) */
};

struct buf {
	char *s;
	size_t len, cap;
};

/* Formatting bits of a run, in the order pairs nest (outermost first). */
enum {
	F_BOLD = 1,
	F_ITALIC = 2,
	F_UNDERLINE = 4,
	F_SUB = 8,
	F_SUP = 16,
	F_NBITS = 5
};

/* A piece of a paragraph's text as met: text with the formatting of its
 * run and the link it sits in (type < 0), or a lone code (type >= 0). */
struct ev {
	size_t start, end;
	unsigned fmt, link; /* link: 1-based among the paragraph's, 0 none */
	int type;	    /* hx_inline_type, or -1 for text */
	char *data, *disp;  /* owned; text: its run's w:rPr as XML or NULL */
};

struct reader {
	hx_doc *doc;
	const char *name;
	const hx_read_options *opts;
	hx_error *err;
	zip_t *za;
	size_t total; /* bytes inflated so far, against max_uncompressed */

	struct style *styles; /* sorted by id for bsearch */
	size_t nstyles;
	const struct style *default_style;
	struct abstract_num *abs;
	size_t nabs;
	struct num *nums;
	size_t nnums;

	enum part_mode mode;
	size_t para; /* paragraphs met in the current part */
	struct buf text, label;

	/* Complex fields: shown only between "separate" and "end". */
	unsigned fld_depth, fld_hidden, fld_overflow;
	bool fld_in_result[MAX_FIELDS];
	/* The field is a page number (PAGEREF, PAGE, NUMPAGES) inside
	 * another field, as in a table of contents: its result stays hidden,
	 * since a page number is layout, differs between the language
	 * versions and would end up in the memory ("Introduction 3"). A
	 * page number in running text is kept (as a field code), so a
	 * merged translation keeps the field. fld_instr: an instruction was
	 * met. */
	bool fld_page[MAX_FIELDS], fld_instr[MAX_FIELDS];

	/*
	 * Note references from the body, footnotes [0] and endnotes [1]:
	 * first in order met, then ranked by rank_refs() for the labels.
	 */
	struct note_ref *refs[2];
	size_t nrefs[2], caprefs[2];
	const char *note_label; /* label of the note being read */

	/* The paragraph's pieces (struct ev), the links met in it (their
	 * start tags as XML) and the run being read. */
	struct ev *evs;
	size_t nevs, capevs;
	char **links;
	size_t nlinks, caplinks;
	unsigned cur_fmt, cur_link;
	const xmlNode *cur_rpr;
	/* Text inside a field's result belongs to the field's code: where
	 * the outermost complex field's result began, and fldSimple depth. */
	size_t fld_start;
	unsigned in_simple;
	struct buf instr; /* the outermost complex field's instruction */
	hx_inline *codes;
	size_t ncodes, capcodes;
};

/* What one XML parse met; libxml2 callbacks reach it by ctxt->_private. */
struct xml_guard {
	bool doctype;
	int line;      /* of the first error, 0 if none */
	char msg[256]; /* the first error: later ones are often its echoes */
};

static int oom(struct reader *r)
{
	return hx__error_set(r->err, HX_ENOMEM, "out of memory");
}

static bool buf_add(struct buf *b, const char *s, size_t n)
{
	if (n > SIZE_MAX / 2 - b->len)
		return false;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *ns;

		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(ns = realloc(b->s, cap)))
			return false;
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return true;
}

static bool buf_put(struct buf *b, uint32_t c)
{
	char u[4];

	return buf_add(b, u, hx__utf8_put(u, c));
}

static bool buf_str(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

/* An element as XML text (children too when deep), or NULL. */
static char *node_xml(const xmlNode *n, bool deep)
{
	xmlBufferPtr b = xmlBufferCreate();
	xmlNode *copy = deep ? (xmlNode *)n : xmlCopyNode((xmlNode *)n, 2);
	char *s = NULL;

	if (b && copy && xmlNodeDump(b, n->doc, copy, 0, 0) >= 0) {
		const char *c = (const char *)xmlBufferContent(b);
		size_t len = strlen(c);
		/* A shallow copy dumps as <x .../>: make it a start tag. */
		if (!deep && len >= 2 && c[len - 2] == '/' &&
		    (s = malloc(len))) {
			memcpy(s, c, len - 2);
			s[len - 2] = '>';
			s[len - 1] = '\0';
		} else if (deep || !(len >= 2 && c[len - 2] == '/')) {
			s = strdup(c);
		}
	}
	if (!deep)
		xmlFreeNode(copy);
	xmlBufferFree(b);
	return s;
}

/* ---- small XML helpers ------------------------------------------------ */

static bool is_w_ns(const xmlNs *ns)
{
	return ns && (!strcmp((const char *)ns->href, W_NS) ||
		      !strcmp((const char *)ns->href, W_NS_STRICT));
}

static bool is_w(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && is_w_ns(n->ns) &&
	       !strcmp((const char *)n->name, name);
}

/* A borrowed attribute value: w:NAME, or NAME without namespace. */
static const char *wattr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		if (strcmp((const char *)a->name, name) ||
		    (a->ns && !is_w_ns(a->ns)))
			continue;
		if (a->children && a->children->type == XML_TEXT_NODE &&
		    !a->children->next && a->children->content)
			return (const char *)a->children->content;
		return "";
	}
	return NULL;
}

static const xmlNode *wchild(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is_w(c, name))
			return c;
	return NULL;
}

static const char *wchild_val(const xmlNode *n, const char *name)
{
	const xmlNode *c = wchild(n, name);

	return c ? wattr(c, "val") : NULL;
}

/* An on/off property such as <w:vanish/>: present and not switched off. */
static bool wflag(const xmlNode *n, const char *name)
{
	const xmlNode *c = wchild(n, name);
	const char *v;

	if (!c)
		return false;
	v = wattr(c, "val");
	return !v ||
	       !(!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "off"));
}

/* An on/off attribute such as w:default="1". */
static bool wattr_on(const xmlNode *n, const char *name)
{
	const char *v = wattr(n, name);

	return v && (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "on"));
}

/* A bounded integer attribute; def when absent or not a number. */
static int int_val(const char *s, int lo, int hi, int def)
{
	char *end;
	long v;

	if (!s || !*s)
		return def;
	v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return def;
	return (int)v;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* ---- zip access ------------------------------------------------------- */

/*
 * Entry names go into messages: keep them printable and short, since the
 * name is chosen by whoever made the file.
 */
static void clean_name(char *out, size_t size, const char *in)
{
	size_t n = strnlen(in, size - 1), i;
	bool utf8 = hx__utf8_valid(in, n, NULL);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		out[i] = c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8)
			     ? '?'
			     : (char)c;
	}
	out[i] = '\0';
}

/*
 * A name that is absolute or climbs with ".." would write outside the
 * target directory if anyone ever extracted the file: such an archive was
 * made to attack, so none of it is read.
 */
static bool name_escapes(const char *s)
{
	if (s[0] == '/' || s[0] == '\\')
		return true;
	if (((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')) &&
	    s[1] == ':')
		return true;
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, "/\\");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p += n;
		if (*p)
			p++;
	}
	return false;
}

static int check_entries(struct reader *r)
{
	zip_int64_t n = zip_get_num_entries(r->za, 0);
	char clean[128];

	for (zip_int64_t i = 0; i < n; i++) {
		const char *s =
		    zip_get_name(r->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
		if (!s)
			return hx__error_set(r->err, HX_EFORMAT,
					     "%s: zip entry %lld has no name",
					     r->name, (long long)i);
		if (name_escapes(s)) {
			clean_name(clean, sizeof(clean), s);
			return hx__error_set(
			    r->err, HX_EFORMAT,
			    "%s: zip entry '%s' escapes the archive", r->name,
			    clean);
		}
	}
	return HX_OK;
}

static int too_big(struct reader *r, const char *part)
{
	return hx__error_set(r->err, HX_ELIMIT,
			     "%s: %s: uncompressed size exceeds limit of %zu "
			     "bytes",
			     r->name, part, r->opts->max_uncompressed);
}

/*
 * Inflate one entry into *out (NUL-terminated). The cap is what is left
 * of max_uncompressed; the inflated count is checked as it grows, because
 * a zip bomb's header may declare any size it likes. A missing entry
 * gives HX_OK with *out NULL when optional.
 */
static int read_entry(struct reader *r, const char *part, bool optional,
		      char **out, size_t *out_len)
{
	size_t cap = r->opts->max_uncompressed - r->total, len = 0, size;
	zip_file_t *zf = NULL;
	char *buf = NULL, *nb;
	zip_int64_t idx, got;
	zip_stat_t st;
	int rc;

	/* Keep cap + 2 from wrapping when the caller asked for no limit. */
	if (cap > SIZE_MAX / 4)
		cap = SIZE_MAX / 4;
	*out = NULL;
	*out_len = 0;
	idx = zip_name_locate(r->za, part, ZIP_FL_ENC_RAW);
	if (idx < 0) {
		if (optional)
			return HX_OK;
		return hx__error_set(r->err, HX_EFORMAT, "%s: %s missing",
				     r->name, part);
	}
	zip_stat_init(&st);
	if (zip_stat_index(r->za, (zip_uint64_t)idx, 0, &st) == 0 &&
	    (st.valid & ZIP_STAT_SIZE) && st.size > cap)
		return too_big(r, part);
	if (!(zf = zip_fopen_index(r->za, (zip_uint64_t)idx, 0))) {
		rc =
		    hx__error_set(r->err, HX_EFORMAT, "%s: %s: cannot open: %s",
				  r->name, part, zip_strerror(r->za));
		goto fail;
	}
	/* Trust the declared size only as a first guess for the buffer. */
	size = (st.valid & ZIP_STAT_SIZE) && st.size < cap ? st.size + 1 : cap;
	if (size < 4096)
		size = 4096;
	if (size > (size_t)64 << 20)
		size = (size_t)64 << 20;
	if (size > cap + 2)
		size = cap + 2; /* room to see one byte too many, and the NUL */
	if (!(buf = malloc(size))) {
		rc = oom(r);
		goto fail;
	}
	for (;;) {
		if (len + 1 == size) {
			size = size > cap / 2 ? cap + 2 : size * 2;
			if (!(nb = realloc(buf, size))) {
				rc = oom(r);
				goto fail;
			}
			buf = nb;
		}
		got = zip_fread(zf, buf + len, size - len - 1);
		if (got < 0) {
			rc = hx__error_set(
			    r->err, HX_EFORMAT, "%s: %s: cannot inflate: %s",
			    r->name, part, zip_file_strerror(zf));
			goto fail;
		}
		if (got == 0)
			break;
		len += (size_t)got;
		if (len > cap) {
			rc = too_big(r, part);
			goto fail;
		}
	}
	buf[len] = '\0';
	zip_fclose(zf);
	r->total += len;
	*out = buf;
	*out_len = len;
	return HX_OK;
fail:
	if (zf)
		zip_fclose(zf);
	free(buf);
	return rc;
}

/* ---- XML parsing -------------------------------------------------------- */

/*
 * Called by libxml2 at "<!DOCTYPE name ...", before any internal subset is
 * read: stopping here is what keeps entity bombs from ever expanding.
 */
static void refuse_doctype(void *ctx, const xmlChar *name,
			   const xmlChar *external_id, const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xml_guard *guard = ctxt->_private;

	(void)name;
	(void)external_id;
	(void)system_id;
	guard->doctype = true;
	xmlStopParser(ctxt);
}

#if LIBXML_VERSION >= 21200
static void keep_first_error(void *ctx, const xmlError *e)
#else
static void keep_first_error(void *ctx, xmlErrorPtr e)
#endif
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xml_guard *guard = ctxt ? ctxt->_private : NULL;

	if (!guard || guard->line || !e || e->level < XML_ERR_ERROR)
		return;
	guard->line = e->line > 0 ? e->line : 1;
	snprintf(guard->msg, sizeof(guard->msg), "%s",
		 e->message ? e->message : "unknown error");
}

static int parse_xml(struct reader *r, const char *part, const char *data,
		     size_t len, xmlDoc **out)
{
	struct xml_guard guard = {0};
	xmlParserCtxtPtr ctxt = NULL;
	int rc;

	*out = NULL;
	if (len > INT_MAX)
		return too_big(r, part); /* libxml2 takes an int length */
	if (len == 0)
		return hx__error_set(r->err, HX_EFORMAT,
				     "%s: %s:1: malformed XML: empty part",
				     r->name, part);
	xmlInitParser();
	if (!(ctxt = xmlCreateMemoryParserCtxt(data, (int)len)))
		return oom(r);
	/*
	 * NOERROR/NOWARNING and our own structured handler keep libxml2 from
	 * printing. Never NOENT, DTDLOAD or HUGE.
	 */
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	ctxt->_private = &guard;
	ctxt->sax->internalSubset = refuse_doctype;
	ctxt->sax->serror = keep_first_error;
	xmlParseDocument(ctxt);
	if (guard.doctype) {
		rc = hx__error_set(r->err, HX_EFORMAT,
				   "%s: %s: DOCTYPE not allowed (Word never "
				   "writes one; entity expansion refused)",
				   r->name, part);
		goto fail;
	}
	if (!ctxt->wellFormed || !ctxt->myDoc) {
		if (!guard.line)
			snprintf(guard.msg, sizeof(guard.msg), "unknown error");
		for (size_t n = strlen(guard.msg);
		     n &&
		     (guard.msg[n - 1] == '\n' || guard.msg[n - 1] == ' ');)
			guard.msg[--n] = '\0';
		rc = hx__error_set(
		    r->err, HX_EFORMAT, "%s: %s:%d: malformed XML: %s", r->name,
		    part, guard.line ? guard.line : 1, guard.msg);
		goto fail;
	}
	*out = ctxt->myDoc;
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);
	return HX_OK;
fail:
	if (ctxt->myDoc)
		xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);
	return rc;
}

/* Inflate and parse a part; *out is NULL when an optional part is absent. */
static int load_part(struct reader *r, const char *part, bool optional,
		     xmlDoc **out)
{
	char *data;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = read_entry(r, part, optional, &data, &len)) < 0 || !data)
		return rc;
	rc = parse_xml(r, part, data, len, out);
	free(data);
	return rc;
}

/* ---- styles.xml --------------------------------------------------------- */

/* "heading 3" (the built-in name, whatever the UI language), "Heading3". */
static int heading_from_name(const char *s)
{
	if (!s)
		return 0;
	if (!strcasecmp(s, "title"))
		return 1;
	if (strncasecmp(s, "heading", 7))
		return 0;
	s += 7;
	while (*s == ' ')
		s++;
	if (s[0] >= '1' && s[0] <= '9' && !s[1])
		return s[0] - '0';
	return 0;
}

static int cmp_style(const void *a, const void *b)
{
	return strcmp(((const struct style *)a)->id,
		      ((const struct style *)b)->id);
}

static const struct style *find_style(const struct reader *r, const char *id)
{
	struct style key;

	if (!id || !r->nstyles)
		return NULL;
	key.id = (char *)id;
	return bsearch(&key, r->styles, r->nstyles, sizeof(key), cmp_style);
}

/*
 * Settle each style's heading level and numbering once, walking basedOn:
 * the nearest style that says something wins, as in Word's inheritance.
 */
static void resolve_styles(struct reader *r)
{
	for (size_t i = 0; i < r->nstyles; i++) {
		struct style *s = &r->styles[i];
		const struct style *t = s;
		bool have_heading = false, have_num = false;

		s->r_heading = 0;
		s->r_num_id = -1;
		s->r_ilvl = -1;
		for (int hop = 0; t && hop < MAX_CHAIN; hop++) {
			if (!have_heading && t->outline >= 0) {
				s->r_heading =
				    t->outline < 9 ? t->outline + 1 : 0;
				have_heading = true;
			} else if (!have_heading && t->heading) {
				s->r_heading = t->heading;
				have_heading = true;
			}
			if (!have_num && t->num_id >= 0) {
				s->r_num_id = t->num_id;
				s->r_ilvl = t->ilvl;
				have_num = true;
			}
			if (have_heading && have_num)
				break;
			t = find_style(r, t->based_on);
		}
	}
}

static int load_styles(struct reader *r)
{
	const xmlNode *root, *n, *ppr, *numpr;
	xmlDoc *xd = NULL;
	const char *def_id = NULL;
	char *def_copy = NULL;
	size_t cap = 0;
	int rc;

	if ((rc = load_part(r, "word/styles.xml", true, &xd)) < 0 || !xd)
		return rc;
	root = xmlDocGetRootElement(xd);
	for (n = root ? root->children : NULL; n; n = n->next) {
		const char *type, *id;
		struct style *s;

		if (!is_w(n, "style"))
			continue;
		type = wattr(n, "type");
		id = wattr(n, "styleId");
		/* Numbering styles are kept for w:numStyleLink. */
		if (!id || (type && strcmp(type, "paragraph") &&
			    strcmp(type, "numbering")))
			continue;
		if (r->nstyles == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct style *ns = realloc(r->styles, nc * sizeof(*ns));
			if (!ns) {
				rc = oom(r);
				goto fail;
			}
			r->styles = ns;
			cap = nc;
		}
		s = &r->styles[r->nstyles];
		memset(s, 0, sizeof(*s));
		s->id = strdup(id);
		s->based_on = dup_or_null(wchild_val(n, "basedOn"));
		r->nstyles++;
		if (!s->id || (wchild_val(n, "basedOn") && !s->based_on)) {
			rc = oom(r);
			goto fail;
		}
		s->heading = heading_from_name(wchild_val(n, "name"));
		if (!s->heading && (!type || !strcmp(type, "paragraph")))
			s->heading = heading_from_name(id);
		ppr = wchild(n, "pPr");
		s->outline = int_val(wchild_val(ppr, "outlineLvl"), 0, 9, -1);
		numpr = wchild(ppr, "numPr");
		s->num_id = int_val(wchild_val(numpr, "numId"), 0, INT_MAX, -1);
		s->ilvl =
		    int_val(wchild_val(numpr, "ilvl"), 0, MAX_LVL - 1, -1);
		if ((!type || !strcmp(type, "paragraph")) &&
		    wattr_on(n, "default") && !def_id)
			def_id = id;
	}
	if (def_id && !(def_copy = strdup(def_id))) {
		rc = oom(r);
		goto fail;
	}
	if (r->nstyles)
		qsort(r->styles, r->nstyles, sizeof(*r->styles), cmp_style);
	resolve_styles(r);
	r->default_style = find_style(r, def_copy);
	free(def_copy);
	xmlFreeDoc(xd);
	return HX_OK;
fail:
	xmlFreeDoc(xd);
	return rc;
}

/* ---- numbering.xml ------------------------------------------------------ */

static enum num_fmt parse_fmt(const char *s)
{
	static const struct {
		const char *name;
		enum num_fmt fmt;
	} fmts[] = {
	    {"decimal", FMT_DECIMAL},
	    {"decimalZero", FMT_DECIMAL_ZERO},
	    {"lowerLetter", FMT_LOWER_LETTER},
	    {"upperLetter", FMT_UPPER_LETTER},
	    {"lowerRoman", FMT_LOWER_ROMAN},
	    {"upperRoman", FMT_UPPER_ROMAN},
	    {"bullet", FMT_BULLET},
	    {"none", FMT_NONE},
	    {"chineseCounting", FMT_CHINESE},
	    {"chineseCountingThousand", FMT_CHINESE},
	    {"japaneseCounting", FMT_CHINESE},
	    {"taiwaneseCounting", FMT_CHINESE},
	    {"taiwaneseCountingThousand", FMT_CHINESE},
	    {"chineseLegalSimplified", FMT_CHINESE_LEGAL},
	    {"ideographDigital", FMT_IDEO_DIGITAL},
	    {"taiwaneseDigital", FMT_IDEO_DIGITAL},
	    {"japaneseDigitalTenThousand", FMT_IDEO_DIGITAL},
	    {"ideographTraditional", FMT_IDEO_TRADITIONAL},
	    {"decimalEnclosedCircle", FMT_CIRCLE},
	    {"decimalEnclosedCircleChinese", FMT_CIRCLE},
	    {"decimalFullWidth", FMT_FULLWIDTH},
	    {"decimalFullWidth2", FMT_FULLWIDTH},
	};

	for (size_t i = 0; s && i < sizeof(fmts) / sizeof(*fmts); i++)
		if (!strcmp(s, fmts[i].name))
			return fmts[i].fmt;
	/* Other scripts' counting systems fall back to digits. */
	return FMT_DECIMAL;
}

static enum sym_font parse_font(const xmlNode *lvl)
{
	const xmlNode *fonts = wchild(wchild(lvl, "rPr"), "rFonts");
	const char *f;

	if (!fonts)
		return FONT_TEXT;
	if (!(f = wattr(fonts, "ascii")) && !(f = wattr(fonts, "hAnsi")))
		return FONT_TEXT;
	if (!strncasecmp(f, "Wingdings", 9))
		return FONT_WINGDINGS;
	if (!strcasecmp(f, "Symbol"))
		return FONT_SYMBOL;
	return FONT_TEXT;
}

static void free_lvl(struct lvl *l)
{
	free(l->text);
	free(l->pstyle);
	memset(l, 0, sizeof(*l));
}

static bool parse_lvl(struct lvl *l, const xmlNode *n)
{
	const char *text = wchild_val(n, "lvlText");
	const char *ps = wchild_val(n, "pStyle");

	free_lvl(l);
	l->defined = true;
	/* ECMA-376 17.9.26: an absent w:start means zero. */
	l->start = int_val(wchild_val(n, "start"), 0, 1000000, 0);
	l->fmt = parse_fmt(wchild_val(n, "numFmt"));
	l->legal = wflag(n, "isLgl");
	l->font = parse_font(n);
	l->text = dup_or_null(text);
	l->pstyle = dup_or_null(ps);
	return (!text || l->text) && (!ps || l->pstyle);
}

/*
 * Lookups go through sorted arrays: a hostile file with a million lists
 * and a million numbered paragraphs must not cost a million squared.
 */
static int cmp_num(const void *a, const void *b)
{
	int x = ((const struct num *)a)->id, y = ((const struct num *)b)->id;

	return (x > y) - (x < y);
}

static int cmp_abstract(const void *a, const void *b)
{
	int x = ((const struct abstract_num *)a)->id;
	int y = ((const struct abstract_num *)b)->id;

	return (x > y) - (x < y);
}

static struct num *find_num(const struct reader *r, int id)
{
	struct num key;

	if (!r->nnums)
		return NULL;
	key.id = id;
	return bsearch(&key, r->nums, r->nnums, sizeof(key), cmp_num);
}

static struct abstract_num *find_abstract(const struct reader *r, int id)
{
	struct abstract_num key;

	if (!r->nabs)
		return NULL;
	key.id = id;
	return bsearch(&key, r->abs, r->nabs, sizeof(key), cmp_abstract);
}

static int load_numbering(struct reader *r)
{
	size_t cap_abs = 0, cap_nums = 0;
	const xmlNode *root, *n, *c;
	xmlDoc *xd = NULL;
	int rc;

	if ((rc = load_part(r, "word/numbering.xml", true, &xd)) < 0 || !xd)
		return rc;
	root = xmlDocGetRootElement(xd);
	for (n = root ? root->children : NULL; n; n = n->next) {
		if (is_w(n, "abstractNum")) {
			struct abstract_num *a;
			const char *link = wchild_val(n, "numStyleLink");

			if (r->nabs == cap_abs) {
				size_t nc = cap_abs ? cap_abs * 2 : 16;
				void *p = realloc(r->abs, nc * sizeof(*r->abs));
				if (!p)
					goto nomem;
				r->abs = p;
				cap_abs = nc;
			}
			a = &r->abs[r->nabs++];
			memset(a, 0, sizeof(*a));
			a->id =
			    int_val(wattr(n, "abstractNumId"), 0, INT_MAX, -1);
			if (link && !(a->style_link = strdup(link)))
				goto nomem;
			for (c = n->children; c; c = c->next) {
				int i;
				if (!is_w(c, "lvl"))
					continue;
				i = int_val(wattr(c, "ilvl"), 0, MAX_LVL - 1,
					    -1);
				if (i >= 0 && !parse_lvl(&a->lvl[i], c))
					goto nomem;
			}
		} else if (is_w(n, "num")) {
			struct num *m;

			if (r->nnums == cap_nums) {
				size_t nc = cap_nums ? cap_nums * 2 : 16;
				void *p =
				    realloc(r->nums, nc * sizeof(*r->nums));
				if (!p)
					goto nomem;
				r->nums = p;
				cap_nums = nc;
			}
			m = &r->nums[r->nnums++];
			memset(m, 0, sizeof(*m));
			m->id = int_val(wattr(n, "numId"), 0, INT_MAX, -1);
			m->abstract_id = int_val(wchild_val(n, "abstractNumId"),
						 0, INT_MAX, -1);
			for (int i = 0; i < MAX_LVL; i++)
				m->start_over[i] = -1;
			for (c = n->children; c; c = c->next) {
				const xmlNode *l;
				int i;
				if (!is_w(c, "lvlOverride"))
					continue;
				i = int_val(wattr(c, "ilvl"), 0, MAX_LVL - 1,
					    -1);
				if (i < 0)
					continue;
				m->own = true;
				m->start_over[i] =
				    int_val(wchild_val(c, "startOverride"), 0,
					    1000000, -1);
				if ((l = wchild(c, "lvl")) &&
				    !parse_lvl(&m->over[i], l))
					goto nomem;
			}
		}
	}
	if (r->nnums)
		qsort(r->nums, r->nnums, sizeof(*r->nums), cmp_num);
	if (r->nabs)
		qsort(r->abs, r->nabs, sizeof(*r->abs), cmp_abstract);
	xmlFreeDoc(xd);
	return HX_OK;
nomem:
	xmlFreeDoc(xd);
	return oom(r);
}

/*
 * The abstractNum behind a numId. One that only links to a list style
 * (w:numStyleLink) takes its levels from the num that style points to;
 * one hop only, so a cycle cannot loop.
 */
static struct abstract_num *abstract_of(const struct reader *r,
					const struct num *m)
{
	struct abstract_num *a = find_abstract(r, m->abstract_id);
	const struct style *s;
	const struct num *m2;

	if (a && a->style_link && (s = find_style(r, a->style_link)) &&
	    s->num_id > 0 && (m2 = find_num(r, s->num_id)))
		return find_abstract(r, m2->abstract_id);
	return a;
}

/* ---- number formatting -------------------------------------------------- */

static bool fmt_decimal(struct buf *b, int n)
{
	char s[16];

	snprintf(s, sizeof(s), "%d", n);
	return buf_str(b, s);
}

static bool fmt_roman(struct buf *b, int n, bool upper)
{
	static const struct {
		int v;
		const char *s;
	} r[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
		 {90, "xc"},  {50, "l"},   {40, "xl"}, {10, "x"},   {9, "ix"},
		 {5, "v"},    {4, "iv"},   {1, "i"}};

	if (n <= 0 || n >= 4000)
		return fmt_decimal(b, n);
	for (size_t i = 0; i < sizeof(r) / sizeof(*r); i++)
		for (; n >= r[i].v; n -= r[i].v)
			for (const char *p = r[i].s; *p; p++)
				if (!buf_put(b, upper ? (uint32_t)(*p - 32)
						      : (uint32_t)*p))
					return false;
	return true;
}

/* Word's letters: a..z, then aa..zz, aaa..: the letter repeats. */
static bool fmt_letter(struct buf *b, int n, bool upper)
{
	int reps;

	if (n <= 0 || (reps = (n - 1) / 26 + 1) > 16)
		return fmt_decimal(b, n);
	for (int i = 0; i < reps; i++)
		if (!buf_put(b, (uint32_t)((upper ? 'A' : 'a') + (n - 1) % 26)))
			return false;
	return true;
}

/*
 * Chinese counting below 10^4: 十一, 二十, 一百零五, 一千零一十. The
 * leading 一 of 一十 is dropped in everyday counting, kept in the legal
 * (financial) digits 壹拾.
 */
static bool fmt_chinese_small(struct buf *b, int n, bool legal, bool omit_one)
{
	static const uint32_t plain[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09,
					 0x56DB, 0x4E94, 0x516D, 0x4E03,
					 0x516B, 0x4E5D};
	static const uint32_t fin[] = {0x96F6, 0x58F9, 0x8D30, 0x53C1, 0x8086,
				       0x4F0D, 0x9646, 0x67D2, 0x634C, 0x7396};
	static const uint32_t unit_plain[] = {0x5343, 0x767E, 0x5341, 0};
	static const uint32_t unit_fin[] = {0x4EDF, 0x4F70, 0x62FE, 0};
	const uint32_t *dig = legal ? fin : plain;
	const uint32_t *unit = legal ? unit_fin : unit_plain;
	int d[4] = {n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10};
	bool started = false, zero = false;

	for (int i = 0; i < 4; i++) {
		if (!d[i]) {
			zero = started;
			continue;
		}
		if (zero && !buf_put(b, 0x96F6)) /* 零 */
			return false;
		zero = false;
		if (!(i == 2 && !started && d[i] == 1 && omit_one && !legal) &&
		    !buf_put(b, dig[d[i]]))
			return false;
		if (unit[i] && !buf_put(b, unit[i]))
			return false;
		started = true;
	}
	return true;
}

static bool fmt_chinese(struct buf *b, int n, bool legal)
{
	if (n == 0)
		return buf_put(b, legal ? 0x96F6 : 0x3007);
	if (n < 0 || n >= 100000000)
		return fmt_decimal(b, n);
	if (n >= 10000) {
		if (!fmt_chinese_small(b, n / 10000, legal, true) ||
		    !buf_put(b, 0x4E07)) /* 万 */
			return false;
		n %= 10000;
		if (!n)
			return true;
		if (n < 1000 && !buf_put(b, 0x96F6))
			return false;
		return fmt_chinese_small(b, n, legal, false); /* 一万零一十 */
	}
	return fmt_chinese_small(b, n, legal, true);
}

static bool fmt_digits(struct buf *b, int n, const uint32_t *digits)
{
	char s[16];

	if (n < 0)
		return fmt_decimal(b, n);
	snprintf(s, sizeof(s), "%d", n);
	for (const char *p = s; *p; p++)
		if (!buf_put(b, digits[*p - '0']))
			return false;
	return true;
}

static bool fmt_number(struct buf *b, int n, enum num_fmt fmt)
{
	static const uint32_t ideo[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
					0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
	static const uint32_t full[] = {0xFF10, 0xFF11, 0xFF12, 0xFF13, 0xFF14,
					0xFF15, 0xFF16, 0xFF17, 0xFF18, 0xFF19};
	/* 甲乙丙丁戊己庚辛壬癸, the ten heavenly stems. */
	static const uint32_t stems[] = {0x7532, 0x4E59, 0x4E19, 0x4E01,
					 0x620A, 0x5DF1, 0x5E9A, 0x8F9B,
					 0x58EC, 0x7678};

	switch (fmt) {
	case FMT_NONE:
	case FMT_BULLET:
		return true;
	case FMT_DECIMAL_ZERO:
		if (n >= 0 && n < 10 && !buf_str(b, "0"))
			return false;
		return fmt_decimal(b, n);
	case FMT_LOWER_LETTER:
	case FMT_UPPER_LETTER:
		return fmt_letter(b, n, fmt == FMT_UPPER_LETTER);
	case FMT_LOWER_ROMAN:
	case FMT_UPPER_ROMAN:
		return fmt_roman(b, n, fmt == FMT_UPPER_ROMAN);
	case FMT_CHINESE:
	case FMT_CHINESE_LEGAL:
		return fmt_chinese(b, n, fmt == FMT_CHINESE_LEGAL);
	case FMT_IDEO_DIGITAL:
		return fmt_digits(b, n, ideo);
	case FMT_FULLWIDTH:
		return fmt_digits(b, n, full);
	case FMT_IDEO_TRADITIONAL:
		if (n >= 1 && n <= 10)
			return buf_put(b, stems[n - 1]);
		return fmt_decimal(b, n);
	case FMT_CIRCLE:
		if (n >= 1 && n <= 20)
			return buf_put(b, 0x2460 + (uint32_t)n - 1);
		return fmt_decimal(b, n);
	case FMT_DECIMAL:
		break;
	}
	return fmt_decimal(b, n);
}

/*
 * Bullets drawn from the Symbol and Wingdings fonts are stored as the
 * font's byte, often moved into the private use area (U+F0xx). Shown as
 * such they mean nothing outside that font, so the common ones become
 * their Unicode look-alikes and any other private-use glyph becomes "•".
 */
static uint32_t map_bullet(uint32_t c, enum sym_font font)
{
	static const struct {
		uint32_t from, to;
	} wingdings[] = {
	    {0x71, 0x2751}, /* q  ❑ */
	    {0x76, 0x2756}, /* v  ❖ */
	    {0xD8, 0x27A2}, /* Ø  ➢ */
	    {0xFC, 0x2713}, /* ü  ✓ */
	    {0xA7, 0x25AA}, /* §  ▪ */
	    {0x6E, 0x25A0}, /* n  ■ */
	    {0x6C, 0x25CF}, /* l  ● */
	};
	bool pua = c >= 0xF000 && c <= 0xF0FF;
	uint32_t b = pua ? c - 0xF000 : c;

	if (font == FONT_WINGDINGS && b < 0x100)
		for (size_t i = 0; i < sizeof(wingdings) / sizeof(*wingdings);
		     i++)
			if (wingdings[i].from == b)
				return wingdings[i].to;
	if (font == FONT_SYMBOL && b == 0xB7)
		return 0x2022;
	return pua ? 0x2022 : c;
}

static const struct lvl *eff_lvl(const struct num *m,
				 const struct abstract_num *a, int i)
{
	return m->over[i].defined ? &m->over[i] : &a->lvl[i];
}

/*
 * Advance the counters of list numId at level ilvl and render its label
 * into r->label. Counters belong to the abstractNum, so lists that share
 * one continue each other as in Word, unless the num overrides a level
 * (a restarted list), which then counts on its own.
 */
static bool number_paragraph(struct reader *r, int num_id, int ilvl)
{
	struct num *m = find_num(r, num_id);
	const struct lvl *l, *lk;
	struct abstract_num *a;
	struct counters *cnt;
	const char *p;

	r->label.len = 0;
	if (!m || !(a = abstract_of(r, m)))
		return true;
	cnt = m->own ? &m->cnt : &a->cnt;
	l = eff_lvl(m, a, ilvl);
	if (!l->defined)
		return true;
	for (int i = 0; i < MAX_LVL; i++) {
		int start = m->start_over[i] >= 0 ? m->start_over[i]
						  : eff_lvl(m, a, i)->start;
		if (i == ilvl)
			cnt->cur[i] = cnt->used[i] && cnt->cur[i] < 1000000
					  ? cnt->cur[i] + 1
					  : start;
		else if (!cnt->used[i] || i > ilvl)
			cnt->cur[i] = start;
		if (i >= ilvl)
			cnt->used[i] = i == ilvl;
	}
	if (!l->text)
		return true;
	for (p = l->text; *p;) {
		if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
			int k = p[1] - '1';
			lk = eff_lvl(m, a, k);
			if (!fmt_number(&r->label, cnt->cur[k],
					l->legal && lk->fmt != FMT_NONE
					    ? FMT_DECIMAL
					    : lk->fmt))
				return false;
			p += 2;
		} else if (l->fmt == FMT_BULLET) {
			size_t i = 0, n = strlen(p);
			uint32_t c = hx__utf8_next(p, n, &i);
			if (!buf_put(&r->label, map_bullet(c, l->font)))
				return false;
			p += i;
		} else {
			if (!buf_add(&r->label, p, 1))
				return false;
			p++;
		}
	}
	return true;
}

/* The level of a list tied to a style by w:lvl/w:pStyle, or 0. */
static int lvl_of_style(const struct reader *r, int num_id, const char *id)
{
	const struct num *m = find_num(r, num_id);
	const struct abstract_num *a = m ? abstract_of(r, m) : NULL;

	for (int i = 0; a && id && i < MAX_LVL; i++)
		if (a->lvl[i].pstyle && !strcmp(a->lvl[i].pstyle, id))
			return i;
	return 0;
}

/* ---- walking the document ----------------------------------------------- */

static int note_ref(struct reader *r, const xmlNode *n, int which)
{
	int id = int_val(wattr(n, "id"), INT_MIN, INT_MAX, INT_MIN);

	/* A custom mark ("*") is typed in the text and takes no number. */
	if (id == INT_MIN || wattr_on(n, "customMarkFollows"))
		return HX_OK;
	if (r->nrefs[which] == r->caprefs[which]) {
		size_t nc = r->caprefs[which] ? r->caprefs[which] * 2 : 32;
		struct note_ref *p = realloc(r->refs[which], nc * sizeof(*p));
		if (!p)
			return oom(r);
		r->refs[which] = p;
		r->caprefs[which] = nc;
	}
	r->refs[which][r->nrefs[which]].id = id;
	r->refs[which][r->nrefs[which]].rank = r->nrefs[which];
	r->nrefs[which]++;
	return HX_OK;
}

static void field_char(struct reader *r, const char *type)
{
	if (!type)
		return;
	if (!strcmp(type, "begin")) {
		if (r->fld_depth >= MAX_FIELDS) {
			r->fld_overflow++;
			return;
		}
		r->fld_page[r->fld_depth] = r->fld_instr[r->fld_depth] = false;
		r->fld_in_result[r->fld_depth++] = false;
		r->fld_hidden++;
	} else if (!strcmp(type, "separate")) {
		if (r->fld_overflow || !r->fld_depth ||
		    r->fld_in_result[r->fld_depth - 1])
			return;
		r->fld_in_result[r->fld_depth - 1] = true;
		if (!r->fld_page[r->fld_depth - 1])
			r->fld_hidden--;
	} else if (!strcmp(type, "end")) {
		if (r->fld_overflow) {
			r->fld_overflow--;
			return;
		}
		if (!r->fld_depth)
			return; /* a stray end: nothing to close */
		--r->fld_depth;
		if (!r->fld_in_result[r->fld_depth] ||
		    r->fld_page[r->fld_depth])
			r->fld_hidden--;
	}
}

/* Whether a field instruction gives a page number. */
static bool is_page_field(const char *instr)
{
	static const char *const names[] = {"PAGEREF", "PAGE", "NUMPAGES",
					    "SECTIONPAGES"};
	size_t n;

	if (!instr)
		return false;
	while (*instr == ' ')
		instr++;
	n = strcspn(instr, " \\");
	for (size_t k = 0; k < sizeof(names) / sizeof(*names); k++)
		if (strlen(names[k]) == n && !strncasecmp(instr, names[k], n))
			return true;
	return false;
}

static int depth_limit(struct reader *r, const char *part)
{
	return hx__error_set(r->err, HX_ELIMIT,
			     "%s: %s: elements nested deeper than %d", r->name,
			     part, HX__XML_MAX_DEPTH);
}

static const char *part_name(const struct reader *r)
{
	return r->mode == MODE_BODY	  ? "word/document.xml"
	       : r->mode == MODE_FOOTNOTE ? "word/footnotes.xml"
					  : "word/endnotes.xml";
}

/* Whether name is one of the space-separated words of list. */
static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

/* Elements whose content is not part of the accepted, printed text. */
static bool skip_inline(const char *name)
{
	return in_list("pPr rPr del moveFrom instrText delText delInstrText "
		       "txbxContent drawing pict object sdtPr sdtEndPr "
		       "footnoteRef endnoteRef separator continuationSeparator "
		       "annotationRef commentReference softHyphen sym rt "
		       "fldData p tbl",
		       name);
}

/* Note a piece of the paragraph; false when memory runs out. */
static bool ev_add(struct reader *r, size_t start, int type, char *data,
		   const char *disp)
{
	struct ev *e;

	if (hx__grow((void **)&r->evs, &r->capevs, r->nevs + 1,
		     sizeof(*r->evs)) < 0) {
		free(data);
		return false;
	}
	e = &r->evs[r->nevs];
	memset(e, 0, sizeof(*e));
	e->start = start;
	e->end = r->text.len;
	e->fmt = r->cur_fmt;
	e->link = r->cur_link;
	e->type = type;
	e->data = data;
	if (disp && !(e->disp = strdup(disp))) {
		free(data);
		return false;
	}
	r->nevs++;
	return true;
}

/* Text from `start` to the end of the text so far, unless a field's
 * result holds it (the field's code does). */
static bool ev_text(struct reader *r, size_t start)
{
	char *rpr = NULL;

	if (r->text.len == start || r->in_simple || r->fld_depth)
		return true;
	if (r->cur_fmt && r->cur_rpr && !(rpr = node_xml(r->cur_rpr, true)))
		return false;
	return ev_add(r, start, -1, rpr, NULL);
}

/* A lone code for what was just appended from `start`. */
static bool ev_code(struct reader *r, size_t start, hx_inline_type type,
		    const xmlNode *n)
{
	char *data;

	if (r->in_simple || r->fld_depth)
		return true;
	if (!(data = node_xml(n, true)))
		return false;
	return ev_add(r, start, (int)type, data, NULL);
}

/* The formatting bits a run's w:rPr gives it. */
static unsigned run_fmt(const xmlNode *rpr)
{
	const char *u = wchild_val(rpr, "u"),
		   *va = wchild_val(rpr, "vertAlign");
	unsigned f = 0;

	if (wflag(rpr, "b"))
		f |= F_BOLD;
	if (wflag(rpr, "i"))
		f |= F_ITALIC;
	if (wchild(rpr, "u") && (!u || strcmp(u, "none")))
		f |= F_UNDERLINE;
	if (va && !strcmp(va, "subscript"))
		f |= F_SUB;
	if (va && !strcmp(va, "superscript"))
		f |= F_SUP;
	return f;
}

/* A complex field's char: the outermost field's result becomes one code
 * when it ends. */
static bool field_event(struct reader *r, const xmlNode *n, bool show)
{
	const char *type = wattr(n, "fldCharType");
	bool outer_end = type && !strcmp(type, "end") && r->fld_depth == 1 &&
			 !r->fld_overflow;
	bool outer_sep = type && !strcmp(type, "separate") &&
			 r->fld_depth == 1 && !r->fld_overflow;

	if (type && !strcmp(type, "begin") && !r->fld_depth)
		r->instr.len = 0;
	field_char(r, type);
	if (outer_sep)
		r->fld_start = r->text.len;
	if (outer_end && show) {
		size_t start =
		    r->fld_start <= r->text.len ? r->fld_start : r->text.len;
		char *data = strdup(r->instr.s ? r->instr.s : "");
		if (!data)
			return false;
		if (!ev_add(r, start, HX_INLINE_FIELD, data, NULL))
			return false;
	}
	if (outer_end)
		r->fld_start = 0;
	return true;
}

/* Append the text under a paragraph (runs, insertions, links, fields). */
static int walk_inline(struct reader *r, const xmlNode *node, bool shown,
		       int depth)
{
	int rc;

	if (depth > HX__XML_MAX_DEPTH)
		return depth_limit(r, part_name(r));
	for (const xmlNode *n = node->children; n; n = n->next) {
		const char *name = (const char *)n->name;
		bool show = shown && !r->fld_hidden && !r->fld_overflow;
		size_t at = r->text.len;
		bool ok = true;

		/* The first words of a field's instruction say whether it is
		 * a page number. */
		if (n->type == XML_ELEMENT_NODE && is_w_ns(n->ns) &&
		    !strcmp(name, "instrText") && r->fld_depth &&
		    !r->fld_overflow && !r->fld_instr[r->fld_depth - 1]) {
			const xmlNode *t = n->children;
			if (t && t->type == XML_TEXT_NODE && t->content &&
			    strspn((const char *)t->content, " ") <
				strlen((const char *)t->content)) {
				r->fld_instr[r->fld_depth - 1] = true;
				r->fld_page[r->fld_depth - 1] =
				    r->fld_depth > 1 &&
				    is_page_field((const char *)t->content);
			}
		}
		/* The instruction of the outermost field, for its code. */
		if (n->type == XML_ELEMENT_NODE && is_w_ns(n->ns) &&
		    !strcmp(name, "instrText") && r->fld_depth == 1) {
			for (const xmlNode *t = n->children; t && ok;
			     t = t->next)
				if (t->type == XML_TEXT_NODE && t->content)
					ok = buf_str(&r->instr,
						     (const char *)t->content);
			if (!ok)
				return oom(r);
			continue;
		}
		/* Other vocabularies (mc:, m:, v:, w14:) hold no body text. */
		if (n->type != XML_ELEMENT_NODE || !is_w_ns(n->ns) ||
		    skip_inline(name))
			continue;
		if (!strcmp(name, "t")) {
			for (const xmlNode *t = n->children; show && t && ok;
			     t = t->next)
				if ((t->type == XML_TEXT_NODE ||
				     t->type == XML_CDATA_SECTION_NODE) &&
				    t->content)
					ok = buf_str(&r->text,
						     (const char *)t->content);
			ok = ok && ev_text(r, at);
		} else if (!strcmp(name, "tab") || !strcmp(name, "ptab")) {
			ok = !show || (buf_str(&r->text, "\t") &&
				       ev_code(r, at, HX_INLINE_TAB, n));
		} else if (!strcmp(name, "br") || !strcmp(name, "cr")) {
			/*
			 * A page break opening a paragraph is layout; kept as
			 * "\n" it would hide a typed label that follows it.
			 */
			const char *type = wattr(n, "type");
			bool layout = type && strcmp(type, "textWrapping");
			ok = !show || (layout && !r->text.len) ||
			     (buf_str(&r->text, "\n") &&
			      ev_code(r, at, HX_INLINE_BREAK, n));
		} else if (!strcmp(name, "noBreakHyphen")) {
			ok = !show ||
			     (buf_put(&r->text, 0x2011) && ev_text(r, at));
		} else if (!strcmp(name, "fldChar")) {
			ok = field_event(r, n, show);
		} else if (!strcmp(name, "footnoteReference") ||
			   !strcmp(name, "endnoteReference")) {
			if (show && r->mode == MODE_BODY &&
			    (rc = note_ref(r, n, name[0] == 'e')) < 0)
				return rc;
			ok = !show || r->mode != MODE_BODY ||
			     ev_code(r, at,
				     name[0] == 'e' ? HX_INLINE_ENDNOTE
						    : HX_INLINE_FOOTNOTE,
				     n);
		} else if (!strcmp(name, "r")) {
			/* Hidden text is not printed, but its fields count. */
			const xmlNode *rpr = wchild(n, "rPr"), *saved_rpr;
			bool vanish = wflag(rpr, "vanish");
			unsigned saved = r->cur_fmt;
			saved_rpr = r->cur_rpr;
			r->cur_fmt = run_fmt(rpr);
			r->cur_rpr = rpr;
			rc = walk_inline(r, n, shown && !vanish, depth + 1);
			r->cur_fmt = saved;
			r->cur_rpr = saved_rpr;
			if (rc < 0)
				return rc;
		} else if (!strcmp(name, "hyperlink") && !r->cur_link) {
			char *tag = node_xml(n, false);
			if (!tag)
				return oom(r);
			if (hx__grow((void **)&r->links, &r->caplinks,
				     r->nlinks + 1, sizeof(*r->links)) < 0) {
				free(tag);
				return oom(r);
			}
			r->links[r->nlinks++] = tag;
			r->cur_link = (unsigned)r->nlinks;
			rc = walk_inline(r, n, shown, depth + 1);
			r->cur_link = 0;
			if (rc < 0)
				return rc;
		} else if (!strcmp(name, "fldSimple")) {
			bool outer = !r->in_simple && !r->fld_depth;
			if (r->fld_depth && is_page_field(wattr(n, "instr")))
				continue; /* a contents entry's page number */
			r->in_simple++;
			rc = walk_inline(r, n, shown, depth + 1);
			r->in_simple--;
			if (rc < 0)
				return rc;
			if (outer && show && r->text.len > at) {
				const char *in = wattr(n, "instr");
				char *data = strdup(in ? in : "");
				ok = data &&
				     ev_add(r, at, HX_INLINE_FIELD, data, NULL);
			}
		} else {
			/* ins, moveTo, smartTag, sdt... */
			if ((rc = walk_inline(r, n, shown, depth + 1)) < 0)
				return rc;
		}
		if (!ok)
			return oom(r);
	}
	return HX_OK;
}

/* ---- inline codes from the pieces ------------------------------------ */

static const hx_inline_type fmt_type[F_NBITS] = {
    HX_INLINE_BOLD, HX_INLINE_ITALIC, HX_INLINE_UNDERLINE, HX_INLINE_SUBSCRIPT,
    HX_INLINE_SUPERSCRIPT};

static hx_inline *code_add(struct reader *r, hx_inline_kind kind,
			   hx_inline_type type, size_t at, unsigned id)
{
	hx_inline *c;

	if (hx__grow((void **)&r->codes, &r->capcodes, r->ncodes + 1,
		     sizeof(*r->codes)) < 0)
		return NULL;
	c = &r->codes[r->ncodes++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->type = type;
	c->start = c->end = at;
	c->id = id;
	c->data = c->disp = "";
	return c;
}

/* One open pair on the stack: a formatting bit or the link. */
struct open {
	unsigned bit; /* F_* or 0 for the link */
	size_t code;  /* index of its OPEN in r->codes */
};

/* Close stack entries down to `keep`, at `at`. */
static bool close_to(struct reader *r, struct open *st, size_t *n, size_t keep,
		     size_t at)
{
	while (*n > keep) {
		hx_inline *o = &r->codes[st[--*n].code];
		unsigned id = o->id;
		hx_inline_type type = o->type;
		o->end = at;
		if (!code_add(r, HX_INLINE_CLOSE, type, at, id))
			return false;
	}
	return true;
}

/*
 * The paragraph's pieces as codes, offsets relative to `off` (where its
 * text starts after a typed label; codes inside the label go). The usual
 * look is what at least half of the text bytes have: a heading set in
 * bold gets no bold code, the bold word in a plain paragraph gets one.
 * Codes hold borrowed strings until owned_codes() copies them in
 * hx_doc_add_block_codes().
 */
static bool build_codes(struct reader *r, size_t off)
{
	size_t on[F_NBITS] = {0}, total = 0, nst = 0;
	struct open st[F_NBITS + 1];
	unsigned usual = 0, next_id = 1;

	r->ncodes = 0;
	for (size_t i = 0; i < r->nevs; i++) {
		const struct ev *e = &r->evs[i];
		if (e->type >= 0)
			continue;
		total += e->end - e->start;
		for (int b = 0; b < F_NBITS; b++)
			if (e->fmt & (1u << b))
				on[b] += e->end - e->start;
	}
	for (int b = 0; b < F_NBITS; b++)
		if (on[b] * 2 >= total && total)
			usual |= 1u << b;
	for (size_t i = 0; i < r->nevs; i++) {
		const struct ev *e = &r->evs[i];
		size_t s = e->start > off ? e->start - off : 0;
		size_t en = e->end > off ? e->end - off : 0;
		struct open want[F_NBITS + 1];
		size_t nw = 0, same = 0;

		if (e->type >= 0) {
			hx_inline *c;
			if (e->end <= off && e->end > e->start)
				continue; /* in the label */
			if (!(c = code_add(r, HX_INLINE_STANDALONE,
					   (hx_inline_type)e->type, s,
					   next_id++)))
				return false;
			c->end = en;
			c->data = e->data ? e->data : "";
			/* The text it stands for, as the plain text has it. */
			c->disp = e->disp ? e->disp : "";
			continue;
		}
		if (e->end <= off)
			continue;
		if (e->link)
			want[nw++] = (struct open){0, e->link};
		for (int b = 0; b < F_NBITS; b++)
			if ((e->fmt & ~usual) & (1u << b))
				want[nw++] = (struct open){1u << b, 0};
		while (same < nst && same < nw &&
		       st[same].bit == want[same].bit &&
		       (st[same].bit || r->codes[st[same].code].data ==
					    r->links[want[same].code - 1]))
			same++;
		if (!close_to(r, st, &nst, same, s))
			return false;
		for (size_t k = same; k < nw; k++) {
			hx_inline_type t =
			    want[k].bit ? fmt_type[__builtin_ctz(want[k].bit)]
					: HX_INLINE_LINK;
			hx_inline *c =
			    code_add(r, HX_INLINE_OPEN, t, s, next_id++);
			if (!c)
				return false;
			c->data = want[k].bit ? (e->data ? e->data : "")
					      : r->links[want[k].code - 1];
			st[nst++] = (struct open){want[k].bit, r->ncodes - 1};
		}
	}
	return close_to(r, st, &nst, 0,
			r->text.len > off ? r->text.len - off : 0);
}

/* The text a STANDALONE stands for, now that the text is complete. */
static bool code_disps(struct reader *r, const char *text, char **store)
{
	size_t k = 0;

	for (size_t i = 0; i < r->ncodes; i++) {
		hx_inline *c = &r->codes[i];
		if (c->kind != HX_INLINE_STANDALONE || c->end <= c->start)
			continue;
		if (!(store[k] = malloc(c->end - c->start + 1)))
			return false;
		memcpy(store[k], text + c->start, c->end - c->start);
		store[k][c->end - c->start] = '\0';
		c->disp = store[k++];
	}
	return true;
}

static void ev_reset(struct reader *r)
{
	for (size_t i = 0; i < r->nevs; i++) {
		free(r->evs[i].data);
		free(r->evs[i].disp);
	}
	r->nevs = 0;
	for (size_t i = 0; i < r->nlinks; i++)
		free(r->links[i]);
	r->nlinks = 0;
	r->ncodes = 0;
	r->cur_link = 0;
	r->cur_fmt = 0;
	r->cur_rpr = NULL;
}

/* hx_doc_add_block_codes() with the paragraph's codes (from `off`). */
static int add_coded(struct reader *r, hx_block_kind kind, int level,
		     const char *label, size_t label_len, const char *text,
		     size_t len, size_t off, size_t line)
{
	char **disp = NULL;
	size_t ndisp = 0;
	int rc;

	if (!build_codes(r, off))
		return oom(r);
	for (size_t i = 0; i < r->ncodes; i++)
		ndisp += r->codes[i].kind == HX_INLINE_STANDALONE;
	if (ndisp && !(disp = calloc(ndisp, sizeof(*disp))))
		return oom(r);
	if (disp && !code_disps(r, text, disp))
		rc = oom(r);
	else
		rc = hx_doc_add_block_codes(r->doc, kind, level, label,
					    label_len, text, len, line,
					    r->codes, r->ncodes, r->err);
	for (size_t i = 0; i < ndisp; i++)
		free(disp[i]);
	free(disp);
	ev_reset(r);
	return rc;
}

static hx_block_kind kind_of_typed_label(const char *label)
{
	return label[0] >= '0' && label[0] <= '9' ? HX_BLOCK_PARAGRAPH
						  : HX_BLOCK_LIST_ITEM;
}

static int paragraph(struct reader *r, const xmlNode *p, bool in_table)
{
	const xmlNode *ppr = wchild(p, "pPr"), *numpr = wchild(ppr, "numPr");
	const struct style *st = NULL;
	hx_block_kind kind = HX_BLOCK_PARAGRAPH;
	size_t line = ++r->para, label_len, off = 0;
	const char *label = "", *text;
	int level = 0, num_id = -1, ilvl, rc;

	r->text.len = 0;
	r->label.len = 0;
	ev_reset(r);
	if ((rc = walk_inline(r, p, true, 1)) < 0)
		return rc;
	if (r->mode != MODE_BODY) {
		kind = r->mode == MODE_FOOTNOTE ? HX_BLOCK_FOOTNOTE
						: HX_BLOCK_ENDNOTE;
		text = r->text.s ? r->text.s : "";
		return add_coded(r, kind, 0, r->note_label,
				 strlen(r->note_label), text, r->text.len, 0,
				 line);
	}

	if (ppr && wchild(ppr, "pStyle"))
		st = find_style(r, wchild_val(ppr, "pStyle"));
	else
		st = r->default_style;
	if (st)
		level = st->r_heading;
	if (wchild(ppr, "outlineLvl")) {
		int o = int_val(wchild_val(ppr, "outlineLvl"), 0, 9, 9);
		level = o < 9 ? o + 1 : 0;
	}

	/* The paragraph's own numPr wins over its style's; numId 0 = none. */
	ilvl = int_val(wchild_val(numpr, "ilvl"), 0, MAX_LVL - 1, -1);
	if (wchild(numpr, "numId"))
		num_id = int_val(wchild_val(numpr, "numId"), 0, INT_MAX, 0);
	else if (st && st->r_num_id >= 0)
		num_id = st->r_num_id;
	if (ilvl < 0 && st && st->r_num_id == num_id)
		ilvl = st->r_ilvl >= 0 ? st->r_ilvl
				       : lvl_of_style(r, num_id, st->id);
	if (ilvl < 0)
		ilvl = 0;
	if (num_id > 0 && !number_paragraph(r, num_id, ilvl))
		return oom(r);

	text = r->text.s ? r->text.s : "";
	if (r->label.len) {
		label = r->label.s;
		label_len = r->label.len;
		if (!level && !in_table) {
			kind = HX_BLOCK_LIST_ITEM;
			level = ilvl + 1;
		}
	} else {
		/* Hand-typed "1.1<tab>Text" carries its label in the text. */
		hx__label_split(text, r->text.len, &label_len, &off);
		label = text;
		if (label_len && !level)
			kind = kind_of_typed_label(text + strspn(text, " "));
	}
	if (level && kind != HX_BLOCK_LIST_ITEM)
		kind = HX_BLOCK_HEADING;
	if (in_table) {
		kind = HX_BLOCK_TABLE_CELL;
		level = 0;
	}
	if (kind == HX_BLOCK_PARAGRAPH)
		level = 0;
	return add_coded(r, kind, level, label, label_len, text + off,
			 r->text.len - off, off, line);
}

/* Elements between paragraphs that hold nothing to read. */
static bool skip_block(const char *name)
{
	return in_list("sectPr del moveFrom tblPr tblGrid trPr tcPr sdtPr "
		       "sdtEndPr altChunk customXmlPr txbxContent",
		       name);
}

/* Paragraphs in order, through tables, rows, cells, sdt and customXml. */
static int walk_blocks(struct reader *r, const xmlNode *node, bool in_table,
		       int depth)
{
	int rc;

	if (depth > HX__XML_MAX_DEPTH)
		return depth_limit(r, part_name(r));
	for (const xmlNode *n = node->children; n; n = n->next) {
		const char *name = (const char *)n->name;

		if (n->type != XML_ELEMENT_NODE || !is_w_ns(n->ns) ||
		    skip_block(name))
			continue;
		if (!strcmp(name, "p"))
			rc = paragraph(r, n, in_table);
		else
			rc = walk_blocks(r, n, in_table || !strcmp(name, "tbl"),
					 depth + 1);
		if (rc < 0)
			return rc;
	}
	return HX_OK;
}

/* Paragraphs under n as walk_blocks would meet them, for the line count. */
static size_t count_paragraphs(const xmlNode *n, int depth)
{
	size_t count = 0;

	for (const xmlNode *c = n->children; c && depth < HX__XML_MAX_DEPTH;
	     c = c->next) {
		if (c->type != XML_ELEMENT_NODE || !is_w_ns(c->ns) ||
		    skip_block((const char *)c->name))
			continue;
		count += is_w(c, "p") ? 1 : count_paragraphs(c, depth + 1);
	}
	return count;
}

static void reset_fields(struct reader *r)
{
	r->fld_depth = r->fld_hidden = r->fld_overflow = 0;
}

static int read_body(struct reader *r)
{
	const xmlNode *root, *body;
	xmlDoc *xd = NULL;
	int rc;

	if ((rc = load_part(r, "word/document.xml", false, &xd)) < 0)
		return rc;
	root = xmlDocGetRootElement(xd);
	if (!root || !is_w(root, "document")) {
		rc = hx__error_set(r->err, HX_EFORMAT,
				   "%s: word/document.xml: root element is "
				   "not w:document",
				   r->name);
		goto fail;
	}
	r->mode = MODE_BODY;
	r->para = 0;
	reset_fields(r);
	if ((body = wchild(root, "body")))
		rc = walk_blocks(r, body, false, 1);
fail:
	xmlFreeDoc(xd);
	return rc;
}

static int cmp_ref_id(const void *a, const void *b)
{
	const struct note_ref *x = a, *y = b;

	if (x->id != y->id)
		return (x->id > y->id) - (x->id < y->id);
	return (x->rank > y->rank) - (x->rank < y->rank);
}

static int cmp_ref_only_id(const void *a, const void *b)
{
	const struct note_ref *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_ref_rank(const void *a, const void *b)
{
	const struct note_ref *x = a, *y = b;

	return (x->rank > y->rank) - (x->rank < y->rank);
}

/*
 * Turn the references met into printed numbers: a note is numbered by
 * its first reference, a second reference to it takes no new number.
 * Leaves the array sorted by id for bsearch. O(n log n) on any input.
 */
static void rank_refs(struct note_ref *refs, size_t *n)
{
	size_t k = 0;

	if (!*n)
		return;
	qsort(refs, *n, sizeof(*refs), cmp_ref_id);
	for (size_t i = 0; i < *n; i++)
		if (!k || refs[k - 1].id != refs[i].id)
			refs[k++] = refs[i];
	qsort(refs, k, sizeof(*refs), cmp_ref_rank);
	for (size_t i = 0; i < k; i++)
		refs[i].rank = i + 1;
	qsort(refs, k, sizeof(*refs), cmp_ref_id);
	*n = k;
}

/*
 * Notes in the order of the part (Word keeps it the order of reference).
 * The label is the note's number as printed: its rank among the notes
 * the body refers to; a note nothing refers to keeps an empty label.
 */
static int read_notes(struct reader *r, enum part_mode mode)
{
	const char *part =
	    mode == MODE_FOOTNOTE ? "word/footnotes.xml" : "word/endnotes.xml";
	const char *elem = mode == MODE_FOOTNOTE ? "footnote" : "endnote";
	int which = mode == MODE_ENDNOTE;
	const struct note_ref *ref;
	struct note_ref key;
	const xmlNode *root;
	xmlDoc *xd = NULL;
	char num[24];
	int rc;

	if ((rc = load_part(r, part, true, &xd)) < 0 || !xd)
		return rc;
	rank_refs(r->refs[which], &r->nrefs[which]);
	r->mode = mode;
	r->para = 0;
	reset_fields(r);
	root = xmlDocGetRootElement(xd);
	for (const xmlNode *n = root ? root->children : NULL; n; n = n->next) {
		const char *type;
		int id;

		if (!is_w(n, elem))
			continue;
		type = wattr(n, "type");
		id = int_val(wattr(n, "id"), INT_MIN, INT_MAX, -1);
		if ((type && strcmp(type, "normal")) || id < 0) {
			r->para += count_paragraphs(n, 1);
			continue;
		}
		num[0] = '\0';
		key.id = id;
		key.rank = 0;
		if (r->nrefs[which] &&
		    (ref = bsearch(&key, r->refs[which], r->nrefs[which],
				   sizeof(key), cmp_ref_only_id)))
			snprintf(num, sizeof(num), "%zu", ref->rank);
		r->note_label = num;
		if ((rc = walk_blocks(r, n, false, 1)) < 0)
			break;
	}
	r->note_label = NULL;
	xmlFreeDoc(xd);
	return rc;
}

static void reader_free(struct reader *r)
{
	for (size_t i = 0; i < r->nstyles; i++) {
		free(r->styles[i].id);
		free(r->styles[i].based_on);
	}
	free(r->styles);
	for (size_t i = 0; i < r->nabs; i++) {
		free(r->abs[i].style_link);
		for (int k = 0; k < MAX_LVL; k++)
			free_lvl(&r->abs[i].lvl[k]);
	}
	free(r->abs);
	for (size_t i = 0; i < r->nnums; i++)
		for (int k = 0; k < MAX_LVL; k++)
			free_lvl(&r->nums[i].over[k]);
	free(r->nums);
	ev_reset(r);
	free(r->evs);
	free(r->links);
	free(r->codes);
	free(r->instr.s);
	free(r->text.s);
	free(r->label.s);
	free(r->refs[0]);
	free(r->refs[1]);
	if (r->za)
		zip_discard(r->za);
}

int hx__read_docx(hx_doc *doc, const char *name, const unsigned char *data,
		  size_t len, const hx_read_options *opts, hx_error *err)
{
	struct reader r = {0};
	zip_source_t *src = NULL;
	zip_error_t zerr;
	int rc;

	r.doc = doc;
	r.name = name;
	r.opts = opts;
	r.err = err;
	zip_error_init(&zerr);
	if (!(src = zip_source_buffer_create(data, len, 0, &zerr))) {
		rc = oom(&r);
		goto fail;
	}
	if (!(r.za = zip_open_from_source(src, ZIP_RDONLY, &zerr))) {
		zip_source_free(src);
		if (zip_error_code_zip(&zerr) == ZIP_ER_NOZIP)
			rc = hx__error_set(err, HX_EFORMAT,
					   "%s: not a zip archive", name);
		else
			rc = hx__error_set(err, HX_EFORMAT,
					   "%s: not a valid zip archive: %s",
					   name, zip_error_strerror(&zerr));
		goto fail;
	}
	if ((rc = check_entries(&r)) < 0)
		goto fail;
	if (zip_name_locate(r.za, "word/document.xml", ZIP_FL_ENC_RAW) < 0) {
		rc = hx__error_set(err, HX_EFORMAT,
				   "%s: word/document.xml missing", name);
		goto fail;
	}
	if ((rc = load_styles(&r)) < 0 || (rc = load_numbering(&r)) < 0 ||
	    (rc = read_body(&r)) < 0 ||
	    (rc = read_notes(&r, MODE_FOOTNOTE)) < 0 ||
	    (rc = read_notes(&r, MODE_ENDNOTE)) < 0)
		goto fail;
	rc = HX_OK;
fail:
	zip_error_fini(&zerr);
	reader_free(&r);
	return rc;
}
