/*
 * docx-write.c - the draft DOCX of a pre-translation and the DOCX of a
 * merge: a copy of the original in which chosen body paragraphs get new
 * text. Every zip entry but the parts holding chosen paragraphs
 * (word/document.xml, footnotes.xml, endnotes.xml) is copied byte for byte
 * (compressed data included); in those only the chosen paragraphs' runs
 * change, so styles, numbering, sections, headers and anything the reader
 * does not understand survive as Word wrote them.
 *
 * Paragraphs are counted exactly as read-docx.c counts them (hx_block
 * line), walking the same elements in the same order, the count restarted
 * in each notes part with separator notes counted; the two must stay in
 * step, which tests/test-pretranslate.c checks on the fixtures.
 *
 * What is kept and why. A paragraph's w:pPr carries its style and its
 * automatic numbering, so it stays. The first visible text run's w:rPr
 * gives the new runs their font and size: a sentence translated as a whole
 * cannot keep word-level formatting (bold on one word) anyway. Runs that
 * hold a drawing, a text box, an embedded object or a note reference are
 * kept where they were, emptied of text; so is a note's own mark
 * (w:footnoteRef), which is why a note keeps its text's leading space
 * rather than a typed label. A paragraph holding an equation or
 * a field is not touched at all: their text sits between the sentence's
 * words, and no placement of a translated sentence around them is right.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/tree.h>
#include <zip.h>

#include <hexalign/hexalign.h>
#include <hexalign/pretranslate.h>

#include "base/error-private.h"
#include "base/inline.h"
#include "base/text.h"
#include "formats/docx-write.h"
#include "formats/xml-safe.h"
#include "read/read-private.h"

#define W_NS	    "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_NS_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define M_NS	    "http://schemas.openxmlformats.org/officeDocument/2006/math"
#define R_NS                                                                   \
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define MAX_DOCX_INPUT ((size_t)256 << 20)
#define MAX_PART       ((size_t)512 << 20)
#define MAX_DEPTH      256

static const char *const kept_names[HX_DOCX_KEPT_NKINDS] = {
    "text box", "equation", "embedded object", "field"};

const char *hx_docx_kept_name(hx_docx_kept kind)
{
	return kind < HX_DOCX_KEPT_NKINDS ? kept_names[kind] : "content";
}

static const char *const part_names[HX_DOCX_NPARTS] = {
    "word/document.xml", "word/footnotes.xml", "word/endnotes.xml"};
/* Root element of each part, and the note element of notes parts. */
static const char *const part_roots[HX_DOCX_NPARTS] = {"document", "footnotes",
						       "endnotes"};
static const char *const part_notes[HX_DOCX_NPARTS] = {NULL, "footnote",
						       "endnote"};

const char *hx_docx_part_name(hx_docx_part part)
{
	return part < HX_DOCX_NPARTS ? part_names[part] : part_names[0];
}

hx_docx_part hx_docx_part_of(hx_block_kind k)
{
	return k == HX_BLOCK_FOOTNOTE  ? HX_DOCX_FOOTNOTES
	       : k == HX_BLOCK_ENDNOTE ? HX_DOCX_ENDNOTES
				       : HX_DOCX_BODY;
}

struct writer {
	const char *name;
	hx_error *err;
	const hx_docx_para *paras;
	size_t n, next; /* paras[next] is the next paragraph to replace */
	size_t para;	/* paragraphs met, as read-docx.c counts them */
	hx_docx_part part;
	bool frozen; /* in a separator note: counted, never replaced */
	hx_docx_fill_stats st;
	xmlNs *w_ns; /* the document's w: namespace */
	xmlDoc *doc;
	xmlNode *cur; /* the paragraph being replaced */
};

static bool is_w_ns(const xmlNs *ns)
{
	return ns && (!strcmp((const char *)ns->href, W_NS) ||
		      !strcmp((const char *)ns->href, W_NS_STRICT));
}

static bool is_w(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && is_w_ns(n->ns) &&
	       !strcmp((const char *)n->name, name);
}

static bool is_m(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns &&
	       !strcmp((const char *)n->ns->href, M_NS) &&
	       !strcmp((const char *)n->name, name);
}

static bool name_in(const char *name, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(name, *set))
			return true;
	return false;
}

/* read-docx.c's skip_block(): containers between paragraphs whose
 * paragraphs it does not count. */
static bool skipped_block(const xmlNode *n)
{
	static const char *const set[] = {
	    "sectPr",	   "del",	  "moveFrom", "tblPr",	  "tblGrid",
	    "trPr",	   "tcPr",	  "sdtPr",    "sdtEndPr", "altChunk",
	    "customXmlPr", "txbxContent", NULL};

	return name_in((const char *)n->name, set);
}

/* ---- what a paragraph holds ------------------------------------------ */

static bool field_begin(const xmlNode *n)
{
	xmlChar *v;
	bool begin;

	if (!is_w(n, "fldChar"))
		return false;
	v = xmlGetNsProp((xmlNode *)n, BAD_CAST "fldCharType", n->ns->href);
	begin = v && !strcmp((const char *)v, "begin");
	xmlFree(v);
	return begin;
}

/* Count what the draft keeps untouched under n, in paragraph `para`. */
static void note_kept(struct writer *w, const xmlNode *n, bool in_math,
		      int depth)
{
	for (const xmlNode *c = n->children; c && depth < MAX_DEPTH;
	     c = c->next) {
		int k = -1;
		bool math = in_math;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_w(c, "txbxContent"))
			k = HX_DOCX_KEPT_TEXTBOX;
		else if ((is_m(c, "oMathPara") || is_m(c, "oMath")) &&
			 !in_math) {
			k = HX_DOCX_KEPT_EQUATION;
			math = true;
		} else if (is_w(c, "object"))
			k = HX_DOCX_KEPT_OBJECT;
		else if (is_w(c, "fldSimple") || field_begin(c))
			k = HX_DOCX_KEPT_FIELD;
		if (k >= 0) {
			w->st.kept[k]++;
			if (!w->st.kept_first[k]) {
				w->st.kept_first[k] = w->para;
				w->st.kept_part[k] = w->part;
			}
		}
		note_kept(w, c, math, depth + 1);
	}
}

static bool has_desc(const xmlNode *n, bool (*pred)(const xmlNode *), int depth)
{
	for (const xmlNode *c = n->children; c && depth < MAX_DEPTH;
	     c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    (pred(c) || has_desc(c, pred, depth + 1)))
			return true;
	return false;
}

/* Text entwined with something that is not text: leave the paragraph. */
static bool entwined(const xmlNode *n)
{
	return is_m(n, "oMath") || is_m(n, "oMathPara") || is_w(n, "fldChar") ||
	       is_w(n, "fldSimple") || is_w(n, "instrText");
}

/* A run or part of one that must stay in place (not text). */
static bool holds_object(const xmlNode *n)
{
	static const char *const set[] = {"drawing",
					  "pict",
					  "object",
					  "footnoteReference",
					  "endnoteReference",
					  "footnoteRef",
					  "endnoteRef",
					  "separator",
					  "continuationSeparator",
					  "commentReference",
					  "txbxContent",
					  "ruby",
					  NULL};

	if (n->type != XML_ELEMENT_NODE)
		return false;
	if (!is_w_ns(n->ns))
		return true; /* mc:AlternateContent, w14:, v: ... */
	return name_in((const char *)n->name, set);
}

/* Elements of a paragraph that carry its text and are replaced. */
static bool text_container(const xmlNode *n)
{
	static const char *const set[] = {
	    "r",      "hyperlink", "ins", "del",       "moveFrom",
	    "moveTo", "smartTag",  "sdt", "customXml", "proofErr",
	    "dir",    "bdo",	   NULL};

	return is_w_ns(n->ns) && name_in((const char *)n->name, set);
}

struct text {
	char *s;
	size_t len, cap;
	bool oom;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->oom)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t nc = (t->len + n + 1) * 2;
		char *ns = realloc(t->s, nc);
		if (!ns) {
			t->oom = true;
			return;
		}
		t->s = ns;
		t->cap = nc;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

/* The paragraph's visible text as read-docx.c gathers it, enough to find
 * a typed label ("1.1<tab>") at its start. */
static void gather(struct text *t, const xmlNode *n, int depth)
{
	static const char *const skip[] = {
	    "pPr",     "rPr",	  "del",     "moveFrom", "instrText",
	    "delText", "drawing", "pict",    "object",	 "txbxContent",
	    "sdtPr",   "rt",	  "fldData", NULL};

	for (const xmlNode *c = n->children; c && depth < MAX_DEPTH;
	     c = c->next) {
		if (c->type != XML_ELEMENT_NODE || !is_w_ns(c->ns) ||
		    name_in((const char *)c->name, skip))
			continue;
		if (is_w(c, "t")) {
			xmlChar *s = xmlNodeGetContent(c);
			if (s)
				text_add(t, (const char *)s,
					 strlen((const char *)s));
			xmlFree(s);
		} else if (is_w(c, "tab")) {
			text_add(t, "\t", 1);
		} else {
			gather(t, c, depth + 1);
		}
	}
}

/* Whether a w:t holds more than white space. */
static bool shows_text(const xmlNode *t)
{
	xmlChar *s = xmlNodeGetContent(t);
	bool shows = s && s[strspn((const char *)s, " \t\r\n")];

	xmlFree(s);
	return shows;
}

/* The w:rPr of the first run that shows text, or NULL. White space alone
 * does not count: a note's mark is followed by a run holding a space,
 * often without the formatting of the text after it. */
static const xmlNode *first_rpr(const xmlNode *n, bool *found, int depth)
{
	for (const xmlNode *c = n->children; c && depth < MAX_DEPTH;
	     c = c->next) {
		const xmlNode *r;
		if (c->type != XML_ELEMENT_NODE || !is_w_ns(c->ns) ||
		    is_w(c, "del") || is_w(c, "moveFrom") || is_w(c, "pPr"))
			continue;
		if (is_w(c, "r")) {
			const xmlNode *rpr = NULL, *t = NULL;
			for (const xmlNode *k = c->children; k; k = k->next) {
				if (is_w(k, "rPr"))
					rpr = k;
				if (is_w(k, "t") && !t && shows_text(k))
					t = k;
			}
			bool hidden = false;
			for (const xmlNode *k = rpr ? rpr->children : NULL; k;
			     k = k->next)
				hidden = hidden || is_w(k, "vanish");
			if (t && !hidden) {
				*found = true;
				return rpr;
			}
			continue;
		}
		r = first_rpr(c, found, depth + 1);
		if (*found)
			return r;
	}
	return NULL;
}

/* ---- building new runs ----------------------------------------------- */

/* Children of CT_RPr (ECMA-376 part 1, 17.3.2.28) after w:highlight in
 * the schema's sequence: a highlight goes before the first of them, as
 * Word refuses (repairs) properties out of order. */
static bool after_highlight(const xmlNode *n)
{
	static const char *const set[] = {"u",
					  "effect",
					  "bdr",
					  "shd",
					  "fitText",
					  "vertAlign",
					  "rtl",
					  "cs",
					  "em",
					  "lang",
					  "eastAsianLayout",
					  "specVanish",
					  "oMath",
					  "rPrChange",
					  NULL};

	return is_w_ns(n->ns) && name_in((const char *)n->name, set);
}

/* A deep copy that uses the namespaces in scope at the paragraph rather
 * than declaring them again on every copied w:rPr. */
static xmlNode *clone(struct writer *w, const xmlNode *n)
{
	xmlNode *c = NULL;

	if (xmlDOMWrapCloneNode(NULL, w->doc, (xmlNode *)n, &c, w->doc, w->cur,
				1, 0) != 0) {
		xmlFreeNode(c);
		return NULL;
	}
	return c;
}

static xmlNode *new_rpr(struct writer *w, const xmlNode *base, bool highlight)
{
	xmlNode *rpr =
	    base ? clone(w, base)
		 : xmlNewDocNode(w->doc, w->w_ns, BAD_CAST "rPr", NULL);
	xmlNode *c, *next, *hl;

	if (!rpr)
		return NULL;
	for (c = rpr->children; c; c = next) {
		next = c->next;
		if (is_w(c, "highlight") || is_w(c, "vanish")) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
	if (!highlight)
		return rpr;
	if (!(hl =
		  xmlNewDocNode(w->doc, w->w_ns, BAD_CAST "highlight", NULL)) ||
	    !xmlNewNsProp(hl, w->w_ns, BAD_CAST "val", BAD_CAST "yellow")) {
		xmlFreeNode(hl);
		xmlFreeNode(rpr);
		return NULL;
	}
	for (c = rpr->children;
	     c && !(c->type == XML_ELEMENT_NODE && after_highlight(c));
	     c = c->next)
		;
	if (c ? !xmlAddPrevSibling(c, hl) : !xmlAddChild(rpr, hl)) {
		xmlFreeNode(hl);
		xmlFreeNode(rpr);
		return NULL;
	}
	return rpr;
}

/* Text into run r: w:t pieces, tabs as w:tab, line breaks as w:br. */
static bool put_text(struct writer *w, xmlNode *r, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i;
		while (j < len && s[j] != '\t' && s[j] != '\n')
			j++;
		if (j > i) {
			xmlNode *t =
			    xmlNewDocNode(w->doc, w->w_ns, BAD_CAST "t", NULL);
			xmlNode *tx =
			    t ? xmlNewDocTextLen(w->doc, BAD_CAST(s + i),
						 (int)(j - i))
			      : NULL;
			if (!tx || !xmlAddChild(t, tx)) {
				xmlFreeNode(tx);
				xmlFreeNode(t);
				return false;
			}
			xmlNodeSetSpacePreserve(t, 1);
			if (!xmlAddChild(r, t)) {
				xmlFreeNode(t);
				return false;
			}
		}
		if (j < len) {
			xmlNode *b = xmlNewDocNode(
			    w->doc, w->w_ns,
			    BAD_CAST(s[j] == '\t' ? "tab" : "br"), NULL);
			if (!b || !xmlAddChild(r, b)) {
				xmlFreeNode(b);
				return false;
			}
			j++;
		}
		i = j;
	}
	return true;
}

static xmlNode *new_run(struct writer *w, const xmlNode *base_rpr,
			const char *s, size_t len, bool highlight)
{
	xmlNode *r = xmlNewDocNode(w->doc, w->w_ns, BAD_CAST "r", NULL);
	xmlNode *rpr = r ? new_rpr(w, base_rpr, highlight) : NULL;

	if (!rpr || !xmlAddChild(r, rpr)) {
		xmlFreeNode(rpr);
		xmlFreeNode(r);
		return NULL;
	}
	if (!put_text(w, r, s, len)) {
		xmlFreeNode(r);
		return NULL;
	}
	return r;
}

/* Strip a run that holds an object of its text; the run stays. */
static void strip_text(xmlNode *r)
{
	for (xmlNode *k = r->children, *kn; k; k = kn) {
		kn = k->next;
		if (is_w(k, "t") || is_w(k, "tab") || is_w(k, "br") ||
		    is_w(k, "cr") || is_w(k, "noBreakHyphen")) {
			xmlUnlinkNode(k);
			xmlFreeNode(k);
		}
	}
}

struct keep {
	xmlNode **v;
	size_t n, cap;
};

/* Move the runs holding objects out of a container about to go (a link,
 * an insertion), emptied of their text, onto k. */
static bool salvage(xmlNode *n, struct keep *k, int depth)
{
	for (xmlNode *c = n->children, *next; c && depth < MAX_DEPTH;
	     c = next) {
		next = c->next;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!is_w(c, "r")) {
			if (!salvage(c, k, depth + 1))
				return false;
			continue;
		}
		if (!has_desc(c, holds_object, 0))
			continue;
		if (k->n == k->cap) {
			size_t nc = k->cap ? k->cap * 2 : 8;
			xmlNode **nv = realloc(k->v, nc * sizeof(*nv));
			if (!nv)
				return false;
			k->v = nv;
			k->cap = nc;
		}
		strip_text(c);
		xmlUnlinkNode(c);
		k->v[k->n++] = c;
	}
	return true;
}

static int oom(struct writer *w)
{
	return hx__error_set(w->err, HX_ENOMEM, "out of memory");
}

/* ---- coded pieces ---------------------------------------------------- */

/* The run property of each formatting type and where CT_RPr's sequence
 * (ECMA-376 part 1, 17.3.2.28) puts it: before the first of `before`. */
static const struct {
	const char *name, *val;
	const char *const *before;
} fmt_prop[] = {
    {"b", NULL, (const char *const[]){"bCs",	    "i",
				      "iCs",	    "caps",
				      "smallCaps",  "strike",
				      "dstrike",    "outline",
				      "shadow",	    "emboss",
				      "imprint",    "noProof",
				      "snapToGrid", "vanish",
				      "webHidden",  "color",
				      "spacing",    "w",
				      "kern",	    "position",
				      "sz",	    "szCs",
				      "highlight",  "u",
				      "effect",	    "bdr",
				      "shd",	    "fitText",
				      "vertAlign",  "rtl",
				      "cs",	    "em",
				      "lang",	    "eastAsianLayout",
				      "specVanish", "oMath",
				      NULL}},
    {"i", NULL,
     (const char *const[]){
	 "iCs",	       "caps",	   "smallCaps",	 "strike",
	 "dstrike",    "outline",  "shadow",	 "emboss",
	 "imprint",    "noProof",  "snapToGrid", "vanish",
	 "webHidden",  "color",	   "spacing",	 "w",
	 "kern",       "position", "sz",	 "szCs",
	 "highlight",  "u",	   "effect",	 "bdr",
	 "shd",	       "fitText",  "vertAlign",	 "rtl",
	 "cs",	       "em",	   "lang",	 "eastAsianLayout",
	 "specVanish", "oMath",	   NULL}},
    {"u", "single",
     (const char *const[]){"effect", "bdr", "shd", "fitText", "vertAlign",
			   "rtl", "cs", "em", "lang", "eastAsianLayout",
			   "specVanish", "oMath", NULL}},
    {"vertAlign", "subscript",
     (const char *const[]){"rtl", "cs", "em", "lang", "eastAsianLayout",
			   "specVanish", "oMath", NULL}},
    {"vertAlign", "superscript",
     (const char *const[]){"rtl", "cs", "em", "lang", "eastAsianLayout",
			   "specVanish", "oMath", NULL}},
};

static void rpr_drop(xmlNode *rpr, const char *name)
{
	for (xmlNode *c = rpr->children, *next; c; c = next) {
		next = c->next;
		if (is_w(c, name)) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
}

static bool rpr_put(struct writer *w, xmlNode *rpr, int t)
{
	xmlNode *e = xmlNewDocNode(w->doc, w->w_ns, BAD_CAST fmt_prop[t].name,
				   NULL),
		*c;

	rpr_drop(rpr, fmt_prop[t].name);
	if (!e ||
	    (fmt_prop[t].val && !xmlNewNsProp(e, w->w_ns, BAD_CAST "val",
					      BAD_CAST fmt_prop[t].val))) {
		xmlFreeNode(e);
		return false;
	}
	for (c = rpr->children;
	     c && !(c->type == XML_ELEMENT_NODE && is_w_ns(c->ns) &&
		    name_in((const char *)c->name, fmt_prop[t].before));
	     c = c->next)
		;
	if (c ? !xmlAddPrevSibling(c, e) : !xmlAddChild(rpr, e)) {
		xmlFreeNode(e);
		return false;
	}
	return true;
}

/* An attribute value `name="..."` in an element's start tag as text. */
static char *tag_attr(const char *tag, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = tag; (p = strstr(p, name)); p += n) {
		if (p == tag || p[-1] != ' ' || p[n] != '=' || p[n + 1] != '"')
			continue;
		const char *v = p + n + 2, *e = strchr(v, '"');
		if (!e)
			return NULL;
		char *s = malloc((size_t)(e - v) + 1);
		if (s) {
			memcpy(s, v, (size_t)(e - v));
			s[e - v] = '\0';
		}
		return s;
	}
	return NULL;
}

/* A w:hyperlink like the one a link code's data shows. */
static xmlNode *new_link(struct writer *w, const char *data)
{
	xmlNode *h = xmlNewDocNode(w->doc, w->w_ns, BAD_CAST "hyperlink", NULL);
	xmlNs *r = xmlSearchNsByHref(w->doc, w->cur, BAD_CAST R_NS);
	char *id = tag_attr(data, "r:id"), *anchor = tag_attr(data, "w:anchor");
	bool ok = h != NULL;

	if (ok && id && r)
		ok = xmlNewNsProp(h, r, BAD_CAST "id", BAD_CAST id) != NULL;
	if (ok && anchor)
		ok = xmlNewNsProp(h, w->w_ns, BAD_CAST "anchor",
				  BAD_CAST anchor) != NULL;
	free(id);
	free(anchor);
	if (!ok) {
		xmlFreeNode(h);
		return NULL;
	}
	return h;
}

/* The paragraph's next run holding a note reference, after `from`. */
static xmlNode *next_note_run(xmlNode *p, int *seen)
{
	int k = 0;

	for (xmlNode *c = p->children; c; c = c->next) {
		if (!is_w(c, "r"))
			continue;
		for (const xmlNode *e = c->children; e; e = e->next)
			if (is_w(e, "footnoteReference") ||
			    is_w(e, "endnoteReference")) {
				if (k++ == *seen) {
					(*seen)++;
					return c;
				}
				break;
			}
	}
	return NULL;
}

/* Put node n where the coded text has got to: in the open link, else
 * before the anchor. */
static bool place(xmlNode *anchor, xmlNode *link, xmlNode *n)
{
	return link ? xmlAddChild(link, n) != NULL
		    : xmlAddPrevSibling(anchor, n) != NULL;
}

/* Write a coded piece (hx_docx_piece) before anchor. */
static bool put_coded(struct writer *w, xmlNode *p, xmlNode *anchor,
		      const xmlNode *base, const hx_docx_piece *pc,
		      int *notes_seen)
{
	int on[5] = {0};
	bool used[5] = {false};
	xmlNode *link = NULL;
	size_t i = 0, at = 0;

	/* Formatting the codes carry is not the paragraph's: the first
	 * run's bold must not make the whole sentence bold. */
	for (size_t k = 0; k < pc->ncodes; k++)
		if (pc->codes[k].type <= HX_INLINE_SUPERSCRIPT)
			used[pc->codes[k].type] = true;
	while (at <= pc->len) {
		size_t here = i;
		uint32_t c =
		    i < pc->len ? hx__utf8_next(pc->text, pc->len, &i) : 0;
		bool code = here < pc->len && hx__is_code_char(c);
		if (!code && here < pc->len)
			continue;
		if (here > at) {
			xmlNode *r = new_run(w, base, pc->text + at, here - at,
					     pc->highlight);
			xmlNode *rpr = r ? r->children : NULL;
			bool ok = rpr != NULL;
			for (int t = 0; ok && t < 5; t++) {
				if (used[t] && !on[t])
					rpr_drop(rpr, fmt_prop[t].name);
				if (on[t])
					ok = rpr_put(w, rpr, t);
			}
			if (!ok || !place(anchor, link, r)) {
				xmlFreeNode(r);
				return false;
			}
		}
		at = i;
		if (!code)
			break;
		c -= HX__CODE_BASE;
		if (c >= pc->ncodes)
			continue;
		const hx_inline *k = &pc->codes[c];
		if (k->type <= HX_INLINE_SUPERSCRIPT) {
			if (k->kind == HX_INLINE_OPEN)
				on[k->type]++;
			else if (k->kind == HX_INLINE_CLOSE && on[k->type])
				on[k->type]--;
		} else if (k->type == HX_INLINE_LINK) {
			if (k->kind == HX_INLINE_CLOSE) {
				link = NULL;
			} else if (k->kind == HX_INLINE_OPEN && !link) {
				if (!(link = new_link(w, k->data)) ||
				    !xmlAddPrevSibling(anchor, link)) {
					xmlFreeNode(link);
					return false;
				}
			}
		} else if (k->kind == HX_INLINE_STANDALONE) {
			xmlNode *n = NULL;
			const char *t = k->type == HX_INLINE_TAB     ? "\t"
					: k->type == HX_INLINE_BREAK ? "\n"
								     : k->disp;
			if (k->type == HX_INLINE_FOOTNOTE ||
			    k->type == HX_INLINE_ENDNOTE) {
				if ((n = next_note_run(p, notes_seen))) {
					xmlUnlinkNode(n);
					if (!place(anchor, link, n)) {
						xmlFreeNode(n);
						return false;
					}
				}
				continue;
			}
			if (*t && (!(n = new_run(w, base, t, strlen(t),
						 pc->highlight)) ||
				   !place(anchor, link, n))) {
				xmlFreeNode(n);
				return false;
			}
		}
	}
	return true;
}

static int replace(struct writer *w, xmlNode *p, const hx_docx_para *np)
{
	struct text t = {0};
	struct keep k = {0};
	size_t label_len = 0, off = 0;
	const xmlNode *base;
	xmlNode *anchor = NULL, *rpr_copy = NULL;
	bool found = false, numbered = false;
	int rc = HX_OK, notes_seen = 0;

	if (has_desc(p, entwined, 0)) {
		w->st.refused++;
		return HX_OK;
	}
	gather(&t, p, 0);
	if (t.oom)
		goto oom;
	/* Numbered paragraphs show their label from w:numPr; only others
	 * carry one typed in (read-docx.c splits it off the same way). */
	for (const xmlNode *c = is_w(p->children, "pPr") ? p->children->children
							 : NULL;
	     c; c = c->next)
		numbered = numbered || is_w(c, "numPr");
	/* A note's text follows its mark after a space, typed in its own
	 * run or in the first text run; notes carry no typed label (the
	 * reader splits none off). */
	if (t.s && w->part != HX_DOCX_BODY)
		off = strspn(t.s, " \t");
	else if (t.s && !numbered)
		hx__label_split(t.s, t.len, &label_len, &off);
	/* The rPr is copied before its run goes. */
	base = first_rpr(p, &found, 0);
	w->cur = p;
	if (base && !(rpr_copy = clone(w, base)))
		goto oom;
	if (!(anchor = xmlNewDocNode(w->doc, w->w_ns, BAD_CAST "r", NULL)))
		goto oom;
	for (xmlNode *c = p->children, *next; c; c = next) {
		next = c->next;
		if (c->type != XML_ELEMENT_NODE || !text_container(c))
			continue;
		if (is_w(c, "r") && has_desc(c, holds_object, 0)) {
			strip_text(c); /* stays where it is */
			continue;
		}
		if (!anchor->parent && !xmlAddPrevSibling(c, anchor))
			goto oom;
		if (!is_w(c, "r") && !salvage(c, &k, 0))
			goto oom;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	if (!anchor->parent) {
		xmlNode *first = p->children;
		while (first && is_w(first, "pPr"))
			first = first->next;
		if (first ? !xmlAddPrevSibling(first, anchor)
			  : !xmlAddChild(p, anchor))
			goto oom;
	}
	if (off) {
		xmlNode *r = new_run(w, rpr_copy, t.s, off, false);
		if (!r || !xmlAddPrevSibling(anchor, r)) {
			xmlFreeNode(r);
			goto oom;
		}
	}
	for (size_t i = 0; i < np->npieces; i++) {
		const hx_docx_piece *pc = &np->pieces[i];
		xmlNode *r;
		if (pc->ncodes) {
			if (!put_coded(w, p, anchor, rpr_copy, pc, &notes_seen))
				goto oom;
			continue;
		}
		r = new_run(w, rpr_copy, pc->text, pc->len, pc->highlight);
		if (!r || !xmlAddPrevSibling(anchor, r)) {
			xmlFreeNode(r);
			goto oom;
		}
	}
	/* Objects that sat inside links or insertions follow the text. */
	for (size_t i = 0; i < k.n; i++) {
		if (!xmlAddPrevSibling(anchor, k.v[i]))
			goto oom;
		k.v[i] = NULL;
	}
	w->st.replaced++;
	goto done;
oom:
	rc = oom(w);
done:
	for (size_t i = 0; i < k.n; i++)
		xmlFreeNode(k.v[i]);
	free(k.v);
	if (anchor) {
		xmlUnlinkNode(anchor);
		xmlFreeNode(anchor);
	}
	xmlFreeNode(rpr_copy);
	free(t.s);
	return rc;
}

/* A note the reader reads: no type or type "normal", an id >= 0. */
static bool normal_note(const xmlNode *n)
{
	xmlChar *type =
	    xmlGetNsProp((xmlNode *)n, BAD_CAST "type", n->ns->href);
	xmlChar *id = xmlGetNsProp((xmlNode *)n, BAD_CAST "id", n->ns->href);
	char *end = NULL;
	long v = id ? strtol((const char *)id, &end, 10) : -1;
	bool ok = (!type || !strcmp((const char *)type, "normal")) && id &&
		  end != (char *)id && !*end && v >= 0;

	xmlFree(type);
	xmlFree(id);
	return ok;
}

/* Paragraphs in read-docx.c's order; replace those asked for. */
static int walk(struct writer *w, xmlNode *node, int depth)
{
	int rc;

	if (depth > MAX_DEPTH)
		return hx__error_set(w->err, HX_ELIMIT,
				     "%s: %s: elements nested deeper than %d",
				     w->name, part_names[w->part], MAX_DEPTH);
	for (xmlNode *n = node->children, *next; n; n = next) {
		next = n->next;
		if (n->type != XML_ELEMENT_NODE || !is_w_ns(n->ns) ||
		    skipped_block(n))
			continue;
		if (part_notes[w->part] && depth == 1 &&
		    is_w(n, part_notes[w->part])) {
			/* read_notes() in read-docx.c: only normal notes
			 * with an id are read; the others only count. */
			w->frozen = !normal_note(n);
			rc = walk(w, n, depth + 1);
			w->frozen = false;
			if (rc < 0)
				return rc;
			continue;
		}
		if (!is_w(n, "p")) {
			if ((rc = walk(w, n, depth + 1)) < 0)
				return rc;
			continue;
		}
		w->para++;
		note_kept(w, n, false, 0);
		if (w->next < w->n && w->paras[w->next].para == w->para &&
		    !w->frozen) {
			if ((rc = replace(w, n, &w->paras[w->next])) < 0)
				return rc;
			w->next++;
		}
	}
	return HX_OK;
}

/* ---- the archive ----------------------------------------------------- */

/* An entry that would land outside the folder it is extracted to. */
static bool escapes(const char *s)
{
	if (s[0] == '/' || s[0] == '\\' || (s[0] && s[1] == ':'))
		return true;
	for (const char *p = s; (p = strstr(p, "..")); p += 2)
		if ((p == s || p[-1] == '/' || p[-1] == '\\') &&
		    (p[2] == '\0' || p[2] == '/' || p[2] == '\\'))
			return true;
	return false;
}

static int read_all(unsigned char **out, size_t *len, const char *path,
		    hx_error *err)
{
	unsigned char *buf = NULL;
	struct stat sb;
	FILE *f;
	int rc = HX_OK;

	*out = NULL;
	if (!(f = fopen(path, "rb")))
		return hx__error_set(err,
				     errno == ENOENT ? HX_ENOTFOUND : HX_EIO,
				     "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode))
		rc = hx__error_set(err, HX_EIO, "%s: not a regular file", path);
	else if ((size_t)sb.st_size > MAX_DOCX_INPUT)
		rc = hx__error_set(err, HX_ELIMIT, "%s: larger than %zu bytes",
				   path, MAX_DOCX_INPUT);
	else if (!(buf = malloc((size_t)sb.st_size + 1)))
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
	else if (fread(buf, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size)
		rc = hx__error_set(err, HX_EIO, "%s: read failed", path);
	fclose(f);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	*len = (size_t)sb.st_size;
	return HX_OK;
}

/* Inflate a part under a cap; the header's size is not trusted. */
static int inflate_part(char **out, size_t *len, zip_t *za, zip_int64_t idx,
			const char *name, const char *part, hx_error *err)
{
	zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap), *nb;
	zip_int64_t got;
	int rc = HX_OK;

	*out = NULL;
	if (!zf || !buf) {
		rc = zf ? hx__error_set(err, HX_ENOMEM, "out of memory")
			: hx__error_set(err, HX_EFORMAT, "%s: %s: %s", name,
					part, zip_strerror(za));
		goto done;
	}
	while ((got = zip_fread(zf, buf + n, cap - n)) > 0) {
		n += (size_t)got;
		if (n > MAX_PART) {
			rc = hx__error_set(err, HX_ELIMIT,
					   "%s: %s: uncompressed size exceeds "
					   "limit of %zu bytes",
					   name, part, MAX_PART);
			goto done;
		}
		if (n == cap) {
			if (!(nb = realloc(buf, cap * 2))) {
				rc = hx__error_set(err, HX_ENOMEM,
						   "out of memory");
				goto done;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (got < 0) {
		rc = hx__error_set(err, HX_EFORMAT, "%s: %s: cannot inflate",
				   name, part);
		goto done;
	}
	*out = buf;
	*len = n;
	buf = NULL;
done:
	if (zf)
		zip_fclose(zf);
	free(buf);
	return rc;
}

static bool same_file(const char *a, const char *b)
{
	struct stat x, y;

	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev &&
	       x.st_ino == y.st_ino;
}

/*
 * Part w->part with w->paras[0..n) replaced, serialised into *out
 * (xmlFree'd by the caller); *out stays NULL when nothing was asked of
 * the part, which is then copied as it is (its kept content counted all
 * the same).
 */
static int rewrite(struct writer *w, const char *data, size_t len,
		   xmlChar **out, int *out_len)
{
	const char *part = part_names[w->part];
	char where[600];
	xmlDoc *doc = NULL;
	xmlNode *root, *top = NULL;
	int rc;

	*out = NULL;
	snprintf(where, sizeof(where), "%s: %s", w->name, part);
	if ((rc = hx__xml_parse_safe(&doc, where, data, len, w->err)) < 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (!is_w(root, part_roots[w->part])) {
		rc = hx__error_set(w->err, HX_EFORMAT,
				   "%s: root element is not w:%s", where,
				   part_roots[w->part]);
		goto done;
	}
	w->w_ns = root->ns;
	w->doc = doc;
	w->para = 0;
	if (w->part != HX_DOCX_BODY)
		top = root;
	for (xmlNode *c = root->children; c && !top; c = c->next)
		if (is_w(c, "body"))
			top = c;
	if (top && (rc = walk(w, top, 1)) < 0)
		goto done;
	if (w->next < w->n) {
		rc = hx__error_set(w->err, HX_EFORMAT,
				   "%s: no paragraph %zu to replace (the part "
				   "has %zu%s)",
				   where, w->paras[w->next].para, w->para,
				   w->part != HX_DOCX_BODY
				       ? ", separator notes included"
				       : "");
		goto done;
	}
	if (w->n) {
		xmlDocDumpMemoryEnc(doc, out, out_len, "UTF-8");
		if (!*out)
			rc = oom(w);
	}
done:
	xmlFreeDoc(doc);
	return rc;
}

static int zip_fail(const char *path, zip_t *za, hx_error *err)
{
	return hx__error_set(err, HX_EIO, "%s: cannot write: %s", path,
			     zip_strerror(za));
}

static bool para_before(const hx_docx_para *a, const hx_docx_para *b)
{
	return a->part != b->part ? a->part < b->part : a->para < b->para;
}

int hx_docx_fill(const char *in_path, const char *out_path,
		 const hx_docx_para *paras, size_t n, hx_docx_fill_stats *stats,
		 hx_error *err)
{
	struct writer w = {0};
	unsigned char *data = NULL;
	char *part = NULL;
	xmlChar *xml[HX_DOCX_NPARTS] = {NULL};
	int xml_len[HX_DOCX_NPARTS] = {0};
	zip_int64_t idx[HX_DOCX_NPARTS];
	zip_source_t *src = NULL;
	zip_t *za = NULL, *zo = NULL;
	zip_error_t ze;
	size_t len = 0, plen = 0, first = 0;
	zip_int64_t count;
	zip_stat_t st;
	int rc, zerr = 0;

	assert(in_path && out_path && (paras || !n));
	if (stats)
		memset(stats, 0, sizeof(*stats));
	for (size_t i = 0; i < n; i++)
		if (paras[i].part >= HX_DOCX_NPARTS ||
		    (i && !para_before(&paras[i - 1], &paras[i])))
			return hx__error_set(err, HX_EINVAL,
					     "paragraphs to replace must be "
					     "sorted by part and paragraph, "
					     "and distinct (%zu after %zu)",
					     paras[i].para,
					     i ? paras[i - 1].para : 0);
	if (same_file(in_path, out_path))
		return hx__error_set(err, HX_EINVAL,
				     "%s: the output would overwrite the "
				     "original",
				     out_path);
	w.name = in_path;
	w.err = err;
	zip_error_init(&ze);
	if ((rc = read_all(&data, &len, in_path, err)) < 0)
		goto done;
	if (!(src = zip_source_buffer_create(data, len, 0, &ze)) ||
	    !(za = zip_open_from_source(src, ZIP_RDONLY, &ze))) {
		zip_source_free(src);
		rc = hx__error_set(err, HX_EFORMAT, "%s: not a DOCX (%s)",
				   in_path, zip_error_strerror(&ze));
		goto done;
	}
	count = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < count; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
		if (!name || escapes(name)) {
			rc = hx__error_set(err, HX_EFORMAT,
					   "%s: zip entry %lld escapes the "
					   "archive",
					   in_path, (long long)i);
			goto done;
		}
	}
	/* Each part in turn, with its run of paras. Notes parts are read
	 * even with nothing to replace, for the kept content they hold. */
	for (int k = 0; k < HX_DOCX_NPARTS; k++) {
		size_t end = first;
		while (end < n && paras[end].part == (hx_docx_part)k)
			end++;
		idx[k] = zip_name_locate(za, part_names[k], 0);
		if (idx[k] < 0 && (k == HX_DOCX_BODY || end > first)) {
			rc = hx__error_set(err, HX_EFORMAT, "%s: %s missing",
					   in_path, part_names[k]);
			goto done;
		}
		w.part = (hx_docx_part)k;
		w.paras = paras + first;
		w.n = end - first;
		w.next = 0;
		first = end;
		if (idx[k] < 0)
			continue;
		if ((rc = inflate_part(&part, &plen, za, idx[k], in_path,
				       part_names[k], err)) < 0 ||
		    (rc = rewrite(&w, part, plen, &xml[k], &xml_len[k])) < 0)
			goto done;
		free(part);
		part = NULL;
	}

	/* libzip writes the new archive beside out_path and renames it
	 * into place in zip_close(); zip_discard() leaves nothing. */
	if (!(zo = zip_open(out_path, ZIP_CREATE | ZIP_TRUNCATE, &zerr))) {
		zip_error_t e;
		zip_error_init_with_code(&e, zerr);
		rc = hx__error_set(err, HX_EIO, "%s: cannot create: %s",
				   out_path, zip_error_strerror(&e));
		zip_error_fini(&e);
		goto done;
	}
	for (zip_int64_t i = 0; i < count; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
		zip_source_t *s = NULL;
		zip_int64_t k;
		zip_stat_init(&st);
		zip_stat_index(za, (zip_uint64_t)i, 0, &st);
		for (int p = 0; p < HX_DOCX_NPARTS && !s; p++)
			if (i == idx[p] && xml[p])
				s = zip_source_buffer(
				    zo, xml[p], (zip_uint64_t)xml_len[p], 0);
		/* Start 0, length -1: the compressed bytes, as they are. */
		if (!s)
			s = zip_source_zip(zo, za, (zip_uint64_t)i, 0, 0, -1);
		if (!s || (k = zip_file_add(zo, name, s, 0)) < 0) {
			zip_source_free(s);
			rc = zip_fail(out_path, zo, err);
			goto done;
		}
		if (st.valid & ZIP_STAT_MTIME)
			zip_file_set_mtime(zo, (zip_uint64_t)k, st.mtime, 0);
	}
	if (zip_close(zo) < 0) {
		rc = zip_fail(out_path, zo, err);
		goto done;
	}
	zo = NULL;
	if (stats)
		*stats = w.st;
	rc = HX_OK;
done:
	if (zo)
		zip_discard(zo);
	if (za)
		zip_discard(za);
	zip_error_fini(&ze);
	for (int k = 0; k < HX_DOCX_NPARTS; k++)
		xmlFree(xml[k]);
	free(part);
	free(data);
	return rc;
}

/* ---- the draft of a pre-translation ---------------------------------- */

int hx__draft_init(hx__draft *d, size_t nsegs, hx_error *err)
{
	memset(d, 0, sizeof(*d));
	if (nsegs && (!(d->paras = calloc(nsegs, sizeof(*d->paras))) ||
		      !(d->pieces = calloc(nsegs * 2, sizeof(*d->pieces))))) {
		hx__draft_fini(d);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	return HX_OK;
}

void hx__draft_add(hx__draft *d, const char *sep, const char *text,
		   bool highlight)
{
	if (d->npc > d->first && *sep) {
		d->pieces[d->npc].text = sep;
		d->pieces[d->npc].len = strlen(sep);
		d->pieces[d->npc++].highlight = false;
	}
	d->pieces[d->npc].text = text;
	d->pieces[d->npc].len = strlen(text);
	d->pieces[d->npc++].highlight = highlight;
}

void hx__draft_add_coded(hx__draft *d, const char *sep, const char *text,
			 bool highlight, const hx_inline *codes, size_t n)
{
	hx__draft_add(d, sep, text, highlight);
	d->pieces[d->npc - 1].codes = codes;
	d->pieces[d->npc - 1].ncodes = n;
}

void hx__draft_close(hx__draft *d, hx_docx_part part, size_t para, bool keep)
{
	if (keep) {
		d->paras[d->np].part = part;
		d->paras[d->np].para = para;
		d->paras[d->np].pieces = d->pieces + d->first;
		d->paras[d->np++].npieces = d->npc - d->first;
	} else {
		d->npc = d->first;
	}
	d->first = d->npc;
}

void hx__draft_fini(hx__draft *d)
{
	free(d->paras);
	free(d->pieces);
	memset(d, 0, sizeof(*d));
}

int hx_pt_write_docx(const hx_pt *pt, const char *in_path, const char *out_path,
		     hx_docx_fill_stats *stats, hx_error *err)
{
	const char *join = hx_pt_joiner(hx_pt_get_tgt(pt));
	size_t n = hx_pt_count(pt);
	char **owned = NULL; /* coded sources, alive until the fill */
	hx__draft d;
	int rc;

	if ((rc = hx__draft_init(&d, n, err)) < 0)
		return rc;
	if (n && !(owned = calloc(n, sizeof(*owned)))) {
		hx__draft_fini(&d);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n;) {
		const hx_pt_segment *s = hx_pt_get(pt, i);
		size_t j = i;
		bool any = false;
		while (j < n && hx_pt_get(pt, j)->block == s->block)
			j++;
		for (size_t k = i; k < j; k++) {
			const hx_pt_segment *g = hx_pt_get(pt, k);
			/* A source sentence beside a target one still
			 * needs its space. */
			bool both =
			    k > i && g->target && hx_pt_get(pt, k - 1)->target;
			any = any || g->target;
			if (g->target_coded) {
				hx__draft_add_coded(
				    &d, both ? join : " ", g->target_coded,
				    g->score < 100, g->codes, g->ncodes);
			} else if (!g->target && g->ncodes) {
				/* An untranslated sentence keeps its own
				 * runs beside translated ones. */
				if (!hx__inline_coded(&owned[k], g->source,
						      strlen(g->source),
						      g->codes, g->ncodes)) {
					rc = hx__error_set(err, HX_ENOMEM,
							   "out of memory");
					goto done;
				}
				hx__draft_add_coded(&d, " ", owned[k], false,
						    g->codes, g->ncodes);
			} else
				hx__draft_add(&d, both ? join : " ",
					      g->target ? g->target : g->source,
					      g->target && g->score < 100);
		}
		hx__draft_close(&d, hx_docx_part_of(s->kind), s->para, any);
		i = j;
	}
	rc = hx_docx_fill(in_path, out_path, d.paras, d.np, stats, err);
done:
	for (size_t k = 0; owned && k < n; k++)
		free(owned[k]);
	free(owned);
	hx__draft_fini(&d);
	return rc;
}
