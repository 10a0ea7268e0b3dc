/*
 * read-html.c - the HTML and XHTML reader: the text of a web page as its
 * reader sees it, one block per paragraph, heading, list item or table
 * cell, in document order, with list numbers rendered into the label and
 * the heading level kept. It is not a browser: CSS is ignored (so
 * display:none text is read), scripts never run, images, forms and
 * embedded media are left out, and nothing is written back.
 *
 * HTML goes through libxml2's forgiving HTML parser. A file that says it is
 * XHTML (an XML declaration, the XHTML namespace, or a DOCTYPE with an
 * internal subset) is parsed as XML first,
 * without network, DTD loading or entity substitution, and any entity
 * declaration stops the parse: that is what keeps entity bombs from ever
 * expanding. XHTML that is not well-formed is read again as HTML, since
 * much of what is labelled XHTML on the web is not.
 *
 * Block `line` numbers are the source line of the element that holds the
 * text; text that follows a nested block gets the line libxml2 gives its
 * text node (where that text ends). libxml2's HTML parser stops counting
 * at 65535, so later HTML lines all read 65535; XHTML has no such cap.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "base/error-private.h"
#include "base/text.h"
#include "read/read-private.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"
/* The HTML standard's encoding prescan looks at the first 1024 bytes. */
#define PRESCAN	  1024
#define MAX_LABEL 32

/* How an element shapes the text flow. */
enum el_class {
	EL_INLINE, /* its text joins the surrounding block */
	EL_BLOCK,  /* its own block: p, li, h1, td... */
	EL_BOX,	   /* a container: its loose text forms anonymous blocks */
	EL_LIST,   /* ol, ul, menu, dir: a container that numbers its items */
	EL_DROP	   /* not text a reader sees: script, head, svg... */
};

/* The block currently collecting text, and what it becomes when flushed. */
struct owner {
	hx_block_kind kind;
	int level;
	bool pre;	    /* keep white space as written */
	bool label_pending; /* label not yet given to an emitted block */
	bool takes_label;   /* may inherit the label of an empty <li> */
	char label[MAX_LABEL];
	size_t line; /* the element's line, for runs that start it */
};

/* The nearest enclosing list, which numbers its <li> children. */
struct list {
	bool ordered;
	bool reversed;
	char type; /* '1', 'a', 'A', 'i', 'I' */
	long next;
};

struct walker {
	hx_doc *doc;
	const char *name;
	hx_error *err;
	struct owner cur;
	struct list *list;
	int list_depth;
	char *buf; /* the text of the current run */
	size_t len, cap;
	size_t run_line; /* line of the run's first text, 0 before it */
	bool space;	 /* white space seen but not yet written */
	bool tab;	 /* ... and it contained a tab (a label separator) */
};

static int oom(struct walker *w)
{
	return hx__error_set(w->err, HX_ENOMEM, "out of memory");
}

static int put(struct walker *w, const char *s, size_t n)
{
	if (w->cap - w->len < n) {
		size_t cap = w->cap ? w->cap : 256;
		char *nb;

		while (cap - w->len < n) {
			if (cap > SIZE_MAX / 2)
				return oom(w);
			cap *= 2;
		}
		if (!(nb = realloc(w->buf, cap)))
			return oom(w);
		w->buf = nb;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	return HX_OK;
}

static size_t line_of(const xmlNode *node)
{
	long l = xmlGetLineNo(node);
	return l > 0 ? (size_t)l : 0;
}

static bool is_html_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * Append text the way a browser lays it out: outside <pre>, every run of
 * white space is one space, written lazily before the next visible
 * character so that it never starts a run, follows a line break or ends a
 * block. A run holding a tab is kept as a tab, the separator of
 * "1.\tText" labels; flush() turns the tabs it does not split on back into
 * spaces.
 */
static int add_text(struct walker *w, const char *s, size_t n,
		    const xmlNode *from)
{
	size_t i = 0, start;
	int rc;

	if (n && !w->run_line)
		w->run_line = line_of(from);
	if (w->cur.pre)
		return put(w, s, n);
	while (i < n) {
		if (is_html_space((unsigned char)s[i])) {
			w->space = true;
			if (s[i] == '\t')
				w->tab = true;
			i++;
			continue;
		}
		if (w->space && w->len && w->buf[w->len - 1] != '\n') {
			if ((rc = put(w, w->tab ? "\t" : " ", 1)) < 0)
				return rc;
		}
		w->space = w->tab = false;
		for (start = i; i < n && !is_html_space((unsigned char)s[i]);)
			i++;
		if ((rc = put(w, s + start, i - start)) < 0)
			return rc;
	}
	return HX_OK;
}

static int add_break(struct walker *w)
{
	w->space = w->tab = false;
	return put(w, "\n", 1);
}

/* Emit the run collected so far as a block of the current owner. */
static int flush(struct walker *w)
{
	struct owner *o = &w->cur;
	size_t before = hx_doc_count(w->doc), label_len = 0, off = 0;
	const char *label = NULL;
	size_t line = w->run_line ? w->run_line : o->line;
	int rc = HX_OK;

	if (!w->len)
		goto done;
	if (o->label_pending) {
		label = o->label;
		label_len = strlen(o->label);
	} else if (!o->pre && o->kind == HX_BLOCK_PARAGRAPH &&
		   memchr(w->buf, '\t', w->len)) {
		/* Only a tab marks a typed label; "1.5 million" is text. */
		hx__label_split(w->buf, w->len, &label_len, &off);
		if (label_len)
			label = w->buf;
		else
			off = 0;
	}
	if (!o->pre) {
		for (size_t i = off; i < w->len; i++)
			if (w->buf[i] == '\t')
				w->buf[i] = ' ';
	}
	rc = hx_doc_add_block(w->doc, o->kind, o->level, label, label_len,
			      w->buf + off, w->len - off, line, w->err);
	/* An empty run is dropped and leaves the label for the next one. */
	if (hx_doc_count(w->doc) > before)
		o->label_pending = false;
done:
	w->len = 0;
	w->run_line = 0;
	w->space = w->tab = false;
	return rc;
}

static bool name_is(const xmlNode *n, const char *name)
{
	return xmlStrcasecmp(n->name, (const xmlChar *)name) == 0;
}

static enum el_class classify(const xmlNode *n)
{
	static const char *const drop[] = {
	    "head",  "script", "style",	 "noscript", "template",
	    "svg",   "iframe", "object", "embed",    "canvas",
	    "audio", "video",  "select", "textarea", "datalist",
	    "title", "rt",     "rp",	 "noembed"};
	static const char *const block[] = {
	    "p",       "h1",	     "h2",  "h3",	  "h4",	     "h5",
	    "h6",      "li",	     "dd",  "dt",	  "td",	     "th",
	    "caption", "blockquote", "pre", "figcaption", "address", "legend",
	    "summary", "listing",    "xmp", "plaintext"};
	static const char *const box[] = {
	    "html",   "body",	  "div",    "section",	"article",  "header",
	    "footer", "main",	  "aside",  "nav",	"form",	    "fieldset",
	    "figure", "details",  "dl",	    "table",	"thead",    "tbody",
	    "tfoot",  "tr",	  "hgroup", "center",	"hr",	    "search",
	    "dialog", "frameset", "frame",  "noframes", "colgroup", "optgroup"};
	size_t i;

	if (xmlHasProp(n, (const xmlChar *)"hidden"))
		return EL_DROP;
	for (i = 0; i < sizeof(drop) / sizeof(*drop); i++)
		if (name_is(n, drop[i]))
			return EL_DROP;
	if (name_is(n, "ol") || name_is(n, "ul") || name_is(n, "menu") ||
	    name_is(n, "dir"))
		return EL_LIST;
	for (i = 0; i < sizeof(block) / sizeof(*block); i++)
		if (name_is(n, block[i]))
			return EL_BLOCK;
	for (i = 0; i < sizeof(box) / sizeof(*box); i++)
		if (name_is(n, box[i]))
			return EL_BOX;
	return EL_INLINE;
}

static char *prop(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* Parse an integer attribute; false when absent or not a number. */
static bool prop_long(const xmlNode *n, const char *name, long *out)
{
	char *v = prop(n, name), *end;
	bool ok = false;

	if (v) {
		long x = strtol(v, &end, 10);
		while (*end && is_html_space((unsigned char)*end))
			end++;
		if (end != v && !*end && x > -1000000000L && x < 1000000000L) {
			*out = x;
			ok = true;
		}
	}
	xmlFree(v);
	return ok;
}

/*
 * Render an item number as CSS list-style-type would: lower/upper-alpha
 * is bijective base 26 (z, aa, ab...), roman stops at 3999 and both fall
 * back to decimal outside their range, as browsers do.
 */
static void format_number(char *out, size_t size, long v, char type)
{
	static const char *const roman[] = {"m",  "cm", "d",  "cd", "c",
					    "xc", "l",	"xl", "x",  "ix",
					    "v",  "iv", "i"};
	static const int value[] = {1000, 900, 500, 400, 100, 90, 50,
				    40,	  10,  9,   5,	 4,   1};
	char tmp[MAX_LABEL - 1]; /* room for the final "." */
	size_t n = 0;

	if ((type == 'a' || type == 'A') && v >= 1) {
		char rev[MAX_LABEL - 1];
		for (; v > 0 && n < sizeof(rev) - 1; v = (v - 1) / 26)
			rev[n++] =
			    (char)((type == 'a' ? 'a' : 'A') + (v - 1) % 26);
		for (size_t i = 0; i < n; i++)
			tmp[i] = rev[n - 1 - i];
		tmp[n] = '\0';
	} else if ((type == 'i' || type == 'I') && v >= 1 && v < 4000) {
		for (size_t i = 0; i < 13; i++)
			for (; v >= value[i]; v -= value[i])
				for (const char *r = roman[i]; *r; r++)
					tmp[n++] = type == 'I' ? *r - 32 : *r;
		tmp[n] = '\0';
	} else {
		snprintf(tmp, sizeof(tmp), "%ld", v);
	}
	snprintf(out, size, "%s.", tmp);
}

static void list_init(struct list *l, const xmlNode *n)
{
	char *type;
	long start;

	memset(l, 0, sizeof(*l));
	l->ordered = name_is(n, "ol");
	l->type = '1';
	if (!l->ordered)
		return;
	if ((type = prop(n, "type"))) {
		if (strlen(type) == 1 && strchr("1aAiI", type[0]))
			l->type = type[0];
		xmlFree(type);
	}
	l->reversed = xmlHasProp(n, (const xmlChar *)"reversed") != NULL;
	if (prop_long(n, "start", &start)) {
		l->next = start;
	} else if (l->reversed) {
		/* Counting down ends at 1 by default: start at the count. */
		for (const xmlNode *c = n->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE && name_is(c, "li"))
				l->next++;
	} else {
		l->next = 1;
	}
}

/* The owner an element's own text goes to. */
static void owner_init(struct walker *w, struct owner *o, const xmlNode *n,
		       enum el_class cls)
{
	const struct owner *parent = &w->cur;

	memset(o, 0, sizeof(*o));
	o->kind = HX_BLOCK_PARAGRAPH;
	o->pre = parent->pre || name_is(n, "pre") || name_is(n, "listing") ||
		 name_is(n, "xmp") || name_is(n, "plaintext");
	o->line = line_of(n);
	o->takes_label = cls == EL_BOX || cls == EL_BLOCK;
	if (cls != EL_BLOCK)
		return;
	if (n->name[0] && (n->name[0] == 'h' || n->name[0] == 'H') &&
	    n->name[1] >= '1' && n->name[1] <= '6' && !n->name[2]) {
		o->kind = HX_BLOCK_HEADING;
		o->level = n->name[1] - '0';
		o->takes_label = false;
	} else if (name_is(n, "td") || name_is(n, "th")) {
		o->kind = HX_BLOCK_TABLE_CELL;
		o->takes_label = false;
	} else if (name_is(n, "li")) {
		struct list *l = w->list;
		long value;

		o->kind = HX_BLOCK_LIST_ITEM;
		o->level = w->list_depth ? w->list_depth : 1;
		o->takes_label = false;
		o->label_pending = true;
		if (!l) {
			o->label_pending = false;
		} else if (!l->ordered) {
			snprintf(o->label, sizeof(o->label), "\u2022");
		} else {
			if (prop_long(n, "value", &value))
				l->next = value;
			format_number(o->label, sizeof(o->label), l->next,
				      l->type);
			l->next += l->reversed ? -1 : 1;
		}
	}
}

static const char *entity_text(const xmlNode *n, char *buf)
{
	const htmlEntityDesc *e = htmlEntityLookup(n->name);

	/*
	 * XHTML with a DOCTYPE leaves &nbsp; and friends as references to an
	 * external DTD we never load: resolve them from the HTML table.
	 */
	if (!e)
		return "";
	buf[hx__utf8_put(buf, e->value)] = '\0';
	return buf;
}

static int walk(struct walker *w, const xmlNode *parent, int depth);

static int walk_element(struct walker *w, const xmlNode *n, int depth)
{
	enum el_class cls;
	struct owner saved, child;
	struct list list, *saved_list;
	bool handed = false;
	int rc;

	if (depth > HX__XML_MAX_DEPTH)
		return hx__error_set(w->err, HX_ELIMIT,
				     "%s:%zu: elements nested deeper than %d",
				     w->name, line_of(n), HX__XML_MAX_DEPTH);
	if (name_is(n, "br"))
		return add_break(w);
	cls = classify(n);
	if (cls == EL_DROP)
		return HX_OK;
	if (cls == EL_INLINE)
		return walk(w, n, depth);

	if ((rc = flush(w)) < 0)
		return rc;
	saved = w->cur;
	saved_list = w->list;
	owner_init(w, &child, n, cls);
	/*
	 * <li><p>Text</p></li>: the item has no text of its own, so its
	 * number goes to the first block inside it rather than being lost.
	 */
	if (saved.label_pending && child.takes_label && cls != EL_LIST) {
		child.kind = saved.kind;
		child.level = saved.level;
		memcpy(child.label, saved.label, sizeof(child.label));
		child.label_pending = true;
		saved.label_pending = false;
		handed = true;
	}
	if (cls == EL_LIST) {
		list_init(&list, n);
		w->list = &list;
		w->list_depth++;
	}
	w->cur = child;
	/*
	 * The element's own line: libxml2's HTML parser dates a text node by
	 * where the text ends, which is only good enough for the loose text
	 * that follows a nested block.
	 */
	w->run_line = child.line;
	rc = walk(w, n, depth);
	if (rc == HX_OK)
		rc = flush(w);
	if (cls == EL_LIST)
		w->list_depth--;
	/* A child that emitted nothing gives the label back. */
	if (handed && w->cur.label_pending)
		saved.label_pending = true;
	w->list = saved_list;
	w->cur = saved;
	return rc;
}

static int walk(struct walker *w, const xmlNode *parent, int depth)
{
	char ent[8];
	int rc = HX_OK;

	for (const xmlNode *n = parent->children; n && rc == HX_OK;
	     n = n->next) {
		switch (n->type) {
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (n->content)
				rc = add_text(w, (const char *)n->content,
					      strlen((const char *)n->content),
					      n);
			break;
		case XML_ENTITY_REF_NODE: {
			const char *t = entity_text(n, ent);
			rc = add_text(w, t, strlen(t), n);
			break;
		}
		case XML_ELEMENT_NODE:
			rc = walk_element(w, n, depth + 1);
			break;
		default:
			break; /* comments, processing instructions */
		}
	}
	return rc;
}

/* Keep the primary language subtag of <html lang="zh-Hans">: "zh". */
static int take_lang(hx_doc *doc, const xmlNode *root, hx_error *err)
{
	char *v = prop(root, "lang");
	char sub[4];
	size_t n = 0;
	int rc = HX_OK;

	if (!v)
		v = (char *)xmlGetNsProp(root, (const xmlChar *)"lang",
					 XML_XML_NAMESPACE);
	if (!v)
		v = prop(root, "xml:lang");
	if (!v)
		return HX_OK;
	while (n < 3 && ((v[n] | 32) >= 'a' && (v[n] | 32) <= 'z')) {
		sub[n] = (char)(v[n] | 32);
		n++;
	}
	sub[n] = '\0';
	if (n >= 2 && (v[n] == '\0' || v[n] == '-' || v[n] == '_'))
		rc = hx_doc_set_lang(doc, sub, err);
	xmlFree(v);
	return rc;
}

/* ---- parsing ------------------------------------------------------------ */

#if LIBXML_VERSION >= 21200
static void ignore_error(void *ctx, const xmlError *e)
#else
static void ignore_error(void *ctx, xmlErrorPtr e)
#endif
{
	/* The library never prints; HTML errors are recovered from anyway. */
	(void)ctx;
	(void)e;
}

/*
 * Errors libxml2 raises without a parser context, chiefly bytes the
 * chosen encoding cannot decode, go to its generic handler, which prints.
 * The parse is cut short there, so the reader reports it rather than
 * returning half the text.
 */
static void note_io_error(void *ctx, const char *msg, ...)
{
	(void)msg;
	*(bool *)ctx = true;
}

/*
 * Called at every <!ENTITY ...> of an internal subset, before any
 * reference to it can be expanded.
 */
static void refuse_entity(void *ctx, const xmlChar *name, int type,
			  const xmlChar *public_id, const xmlChar *system_id,
			  xmlChar *content)
{
	xmlParserCtxtPtr ctxt = ctx;

	(void)name;
	(void)type;
	(void)public_id;
	(void)system_id;
	(void)content;
	*(bool *)ctxt->_private = true;
	xmlStopParser(ctxt);
}

static bool ci_prefix(const unsigned char *s, size_t len, const char *p)
{
	size_t n = strlen(p);
	return len >= n && strncasecmp((const char *)s, p, n) == 0;
}

static const unsigned char *find_ci(const unsigned char *s, size_t len,
				    const char *what)
{
	size_t n = strlen(what);

	for (size_t i = 0; i + n <= len; i++)
		if (ci_prefix(s + i, len - i, what))
			return s + i;
	return NULL;
}

/*
 * XML is chosen by an XML declaration, the XHTML namespace, or a DOCTYPE
 * with an internal subset: the HTML parser would show such a subset as
 * text, and only the XML path can refuse the entities it declares.
 */
static bool looks_xhtml(const unsigned char *d, size_t len)
{
	static const char ns1[] = "xmlns=\"" XHTML_NS "\"";
	static const char ns2[] = "xmlns='" XHTML_NS "'";
	const unsigned char *dt, *end;
	size_t i = 0, scan = len < 4096 ? len : 4096;

	if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
		i = 3;
	while (i < len && is_html_space(d[i]))
		i++;
	if (len - i >= 5 && memcmp(d + i, "<?xml", 5) == 0)
		return true;
	if (memmem(d, scan, ns1, sizeof(ns1) - 1) ||
	    memmem(d, scan, ns2, sizeof(ns2) - 1))
		return true;
	if (!(dt = find_ci(d, scan, "<!doctype")))
		return false;
	end = d + scan;
	for (dt += 9; dt < end && *dt != '>' && *dt != '['; dt++)
		;
	return dt < end && *dt == '[';
}

/*
 * Parse as XML. Returns HX_OK with *out set, HX_OK with *out NULL when the
 * text is not well-formed (the caller tries HTML), or an error.
 */
static int parse_xhtml(xmlDoc **out, const char *name, const unsigned char *d,
		       size_t len, hx_error *err)
{
	xmlParserCtxtPtr ctxt;
	bool entity = false;
	int rc = HX_OK;

	*out = NULL;
	if (!(ctxt = xmlCreateMemoryParserCtxt((const char *)d, (int)len)))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	/* Never NOENT, DTDLOAD or HUGE: no expansion, no fetching. */
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
	ctxt->_private = &entity;
	ctxt->sax->entityDecl = refuse_entity;
	ctxt->sax->serror = ignore_error;
	xmlParseDocument(ctxt);
	if (entity) {
		rc = hx__error_set(err, HX_EFORMAT,
				   "%s: the DOCTYPE declares entities; refused "
				   "(entity expansion is never done)",
				   name);
	} else if (ctxt->wellFormed && ctxt->myDoc) {
		*out = ctxt->myDoc;
		ctxt->myDoc = NULL;
	}
	if (ctxt->myDoc)
		xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);
	return rc;
}

/*
 * The encoding to decode HTML with, decided here rather than by libxml2,
 * whose HTML parser defaults to Latin-1: a BOM wins, then a <meta> charset
 * in the first 1024 bytes, then UTF-8. Latin-1 and ASCII labels mean
 * windows-1252, as in the WHATWG Encoding standard; a UTF-16 label in a
 * file that is readable as ASCII means UTF-8.
 */
static void sniff_encoding(const unsigned char *d, size_t len, char *enc,
			   size_t size, size_t *bom)
{
	const unsigned char *p, *tag,
	    *end = d + (len < PRESCAN ? len : PRESCAN);
	size_t n = 0;

	*bom = 0;
	snprintf(enc, size, "UTF-8");
	if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
		*bom = 3;
		return;
	}
	if (len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) ||
			 (d[0] == 0xFE && d[1] == 0xFF))) {
		*bom = 2;
		snprintf(enc, size, d[0] == 0xFF ? "UTF-16LE" : "UTF-16BE");
		return;
	}
	for (p = d; (p = find_ci(p, (size_t)(end - p), "charset")); p += 7) {
		/* It must sit inside a <meta ...> tag. */
		for (tag = p; tag > d && tag[-1] != '<' && tag[-1] != '>';)
			tag--;
		if (tag == d || tag[-1] != '<' ||
		    !ci_prefix(tag, (size_t)(end - tag), "meta"))
			continue;
		p += 7;
		while (p < end && (is_html_space(*p) || *p == '='))
			p++;
		while (p < end && (*p == '"' || *p == '\''))
			p++;
		while (p + n < end && n < size - 1 &&
		       (((p[n] | 32) >= 'a' && (p[n] | 32) <= 'z') ||
			(p[n] >= '0' && p[n] <= '9') || p[n] == '-' ||
			p[n] == '_' || p[n] == '.' || p[n] == ':'))
			n++;
		if (!n)
			return;
		memcpy(enc, p, n);
		enc[n] = '\0';
		break;
	}
	if (!strncasecmp(enc, "utf-16", 6))
		snprintf(enc, size, "UTF-8");
	else if (!strcasecmp(enc, "iso-8859-1") || !strcasecmp(enc, "latin1") ||
		 !strcasecmp(enc, "us-ascii") || !strcasecmp(enc, "ascii"))
		snprintf(enc, size, "windows-1252");
}

static int parse_html(xmlDoc **out, const unsigned char *d, size_t len,
		      hx_error *err)
{
	htmlParserCtxtPtr ctxt;
	xmlCharEncodingHandlerPtr h;
	char enc[40];
	size_t bom;

	*out = NULL;
	sniff_encoding(d, len, enc, sizeof(enc), &bom);
	if (!(h = xmlFindCharEncodingHandler(enc)))
		snprintf(enc, sizeof(enc), "UTF-8"); /* an unknown label */
	else
		xmlCharEncCloseFunc(h);
	if (!(ctxt = htmlNewParserCtxt()))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	ctxt->sax->serror = ignore_error;
	/* IGNORE_ENC: the encoding decided above is final. */
	*out = htmlCtxtReadMemory(
	    ctxt, (const char *)d + bom, (int)(len - bom), NULL, enc,
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
		HTML_PARSE_IGNORE_ENC);
	htmlFreeParserCtxt(ctxt);
	return HX_OK;
}

int hx__read_html(hx_doc *doc, const char *name, const unsigned char *data,
		  size_t len, const hx_read_options *opts, hx_error *err)
{
	xmlGenericErrorFunc old_handler;
	void *old_ctx;
	bool io_error = false;
	struct walker w = {0};
	xmlDoc *xd = NULL;
	xmlNode *root;
	int rc = HX_OK;

	(void)opts; /* the caller has applied max_input */
	if (len > INT_MAX)
		return hx__error_set(err, HX_ELIMIT,
				     "%s: too large for the HTML parser", name);
	xmlInitParser();
	/*
	 * The generic handler is per thread in libxml2; it is swapped only
	 * for the parse and put back, so no state outlives the call.
	 */
	old_handler = xmlGenericError;
	old_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(&io_error, note_io_error);
	if (looks_xhtml(data, len))
		rc = parse_xhtml(&xd, name, data, len, err);
	if (rc == HX_OK && !xd)
		rc = parse_html(&xd, data, len, err);
	xmlSetGenericErrorFunc(old_ctx, old_handler);
	if (rc < 0)
		goto fail;
	if (io_error) {
		rc = hx__error_set(err, HX_EFORMAT,
				   "%s: the text cannot be decoded in its "
				   "declared encoding",
				   name);
		goto fail;
	}
	if (!xd || !(root = xmlDocGetRootElement(xd))) {
		rc = hx__error_set(err, HX_EFORMAT, "%s: not an HTML document",
				   name);
		goto fail;
	}
	if ((rc = take_lang(doc, root, err)) < 0)
		goto fail;
	w.doc = doc;
	w.name = name;
	w.err = err;
	w.cur.kind = HX_BLOCK_PARAGRAPH;
	w.cur.line = 1;
	if ((rc = walk_element(&w, root, 1)) < 0)
		goto fail;
	rc = flush(&w);
fail:
	free(w.buf);
	xmlFreeDoc(xd);
	return rc;
}
