/*
 * termbase-tbx.c - TBX input through libxml2's tree parser: TBX 2008
 * (<martif>: termEntry, langSet, tig/ntig) and TBX v3 (<tbx>:
 * conceptEntry, langSec, termSec), data categories written either as
 * <termNote type="..."> (TBX 2008, v3 DCA style) or as elements of that
 * name (v3 DCT style), in any namespace.
 *
 * A tree, not a stream as for TMX: term bases are small (the largest
 * real sample is half a megabyte), and a tree lets a term take the notes
 * and definitions of its language and concept, which may come after it.
 * The parser never loads a DTD (every LISA sample names one that is not
 * shipped), never touches the network, and stops at the first entity
 * declaration, before any reference to it could expand. libxml2 reports
 * to this module only; it prints nothing. The rules for what a term may
 * be (statuses, white space, NFC) are termbase.c's.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "base/error-private.h"
#include "base/text.h"
#include "check/termbase-private.h"
#include "check/termbase-tbx.h"

typedef struct sbuf {
	char *p;
	size_t len, cap;
} sbuf;

/* What libxml2 said, collected by the handlers below. */
typedef struct xml_report {
	bool failed, entity, nomem;
	int line;
	char msg[300];
} xml_report;

typedef struct tbx {
	hx_termbase *tb;
	const char *name;
	hx_error *err;
} tbx;

/* What a level (concept, language, term) says about its terms. */
typedef struct cats {
	sbuf note;
	char *status, *pos, *type, *definition, *context;
} cats;

static int sbuf_add(sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *p;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(p = realloc(b->p, cap)))
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static void cats_free(cats *c)
{
	free(c->note.p);
	free(c->status);
	free(c->pos);
	free(c->type);
	free(c->definition);
	free(c->context);
}

/* ---- libxml2's reports --------------------------------------------------- */

#if LIBXML_VERSION >= 21200
static void on_error(void *ctx, const xmlError *e)
#else
static void on_error(void *ctx, xmlErrorPtr e)
#endif
{
	xml_report *r = ctx;

	if (!e || e->level < XML_ERR_ERROR)
		return;
	if (e->code == XML_ERR_NO_MEMORY)
		r->nomem = true;
	if (r->failed)
		return; /* the first error explains; the rest follow from it */
	r->failed = true;
	r->line = e->line;
	hx__tb_clip(r->msg, sizeof(r->msg),
		    e->message ? e->message : "malformed XML");
}

/* A few messages bypass the structured channel; they would be printed. */
static void on_generic(void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void on_generic(void *ctx, const char *fmt, ...)
{
	xml_report *r = ctx;
	va_list ap;

	if (r->failed)
		return;
	r->failed = true;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	hx__tb_clip(r->msg, sizeof(r->msg), r->msg);
}

/*
 * Called for every <!ENTITY> of the internal subset, general or
 * parameter, before the parser can use it. TBX needs no entities, and
 * declaring them is how entity bombs and external-file reads begin, so
 * the parse stops here, whatever the libxml2 version would do with them.
 */
static void refuse_entity(void *ctx, const xmlChar *name, int type,
			  const xmlChar *public_id, const xmlChar *system_id,
			  xmlChar *content)
{
	xmlParserCtxtPtr ctxt = ctx;
	xml_report *r = ctxt->_private;

	(void)type;
	(void)public_id;
	(void)system_id;
	(void)content;
	if (!r->entity) {
		r->entity = true;
		r->line = xmlSAX2GetLineNumber(ctxt);
		hx__tb_clip(r->msg, 41, name ? (const char *)name : "");
	}
	xmlStopParser(ctxt);
}

/* ---- the tree -------------------------------------------------------------
 */

static bool is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name);
}

static long line_of(const xmlNode *n)
{
	long l = xmlGetLineNo(n);
	return l > 0 ? l : 1;
}

static int nomem(tbx *x)
{
	return hx__error_set(x->err, HX_ENOMEM, "%s: out of memory", x->name);
}

/* The text of n and its descendants. An entity reference can only be one
 * that nothing declares (declarations are refused); its text is unknown. */
static int text_of(tbx *x, const xmlNode *n, sbuf *b)
{
	int rc;

	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			const char *s = (const char *)c->content;
			if (s && sbuf_add(b, s, strlen(s)) < 0)
				return nomem(x);
		} else if (c->type == XML_ENTITY_REF_NODE) {
			char name[48];
			return hx__error_set(
			    x->err, HX_EFORMAT,
			    "%s:%ld: entity '&%s;' is not defined (TBX "
			    "knows only &lt; &gt; &amp; &quot; &apos; and "
			    "character references)",
			    x->name, line_of(c),
			    hx__tb_clip(name, 41, (const char *)c->name));
		} else if (c->type == XML_ELEMENT_NODE) {
			if ((rc = text_of(x, c, b)) < 0)
				return rc;
		}
	}
	return HX_OK;
}

/* The text of n as a malloc'd string in *out (NULL when empty). */
static int text_dup(tbx *x, const xmlNode *n, char **out)
{
	sbuf b = {0};
	int rc;

	*out = NULL;
	if ((rc = text_of(x, n, &b)) < 0) {
		free(b.p);
		return rc;
	}
	*out = b.p;
	return HX_OK;
}

/* Keep the first value of a single-valued category. */
static int keep(tbx *x, const xmlNode *n, char **slot)
{
	return *slot ? HX_OK : text_dup(x, n, slot);
}

static int add_note(tbx *x, const xmlNode *n, cats *c)
{
	char *s;
	int rc;

	if ((rc = text_dup(x, n, &s)) < 0 || !s)
		return rc;
	if ((c->note.len && sbuf_add(&c->note, "; ", 2) < 0) ||
	    sbuf_add(&c->note, s, strlen(s)) < 0)
		rc = nomem(x);
	free(s);
	return rc;
}

/*
 * A data category on n, if n is one: <termNote|descrip|admin type="T">
 * (TBX 2008, v3 DCA) or <T> (v3 DCT), and <note>. Returns 1 when n was
 * one, 0 when not, or a negative status.
 */
static int category(tbx *x, const xmlNode *n, cats *c)
{
	const char *cat = (const char *)n->name;
	xmlChar *type = NULL;
	int rc = 1;

	if (is(n, "note"))
		return (rc = add_note(x, n, c)) < 0 ? rc : 1;
	if (is(n, "termNote") || is(n, "descrip") || is(n, "admin")) {
		if (!(type = xmlGetProp(n, BAD_CAST "type")))
			return 0;
		cat = (const char *)type;
	}
	if (!strcmp(cat, "administrativeStatus") ||
	    !strcmp(cat, "normativeAuthorization"))
		rc = keep(x, n, &c->status);
	else if (!strcmp(cat, "partOfSpeech"))
		rc = keep(x, n, &c->pos);
	else if (!strcmp(cat, "termType"))
		rc = keep(x, n, &c->type);
	else if (!strcmp(cat, "definition"))
		rc = keep(x, n, &c->definition);
	else if (!strcmp(cat, "context"))
		rc = keep(x, n, &c->context);
	else if (!strcmp(cat, "usageNote"))
		rc = add_note(x, n, c);
	else
		rc = 0;
	xmlFree(type);
	return rc < 0 ? rc : rc == 0 ? 0 : 1;
}

/* The categories among n's children and inside their groups
 * (descripGrp, adminGrp, termNoteGrp, termGrp), not below. */
static int level_cats(tbx *x, const xmlNode *n, cats *c)
{
	int rc;

	for (const xmlNode *k = n->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if ((rc = category(x, k, c)) < 0)
			return rc;
		if (rc == 0 && strlen((const char *)k->name) > 3 &&
		    !strcmp((const char *)k->name +
				strlen((const char *)k->name) - 3,
			    "Grp") &&
		    (rc = level_cats(x, k, c)) < 0)
			return rc;
	}
	return HX_OK;
}

/* The <term> of a tig or termSec, or of an ntig's termGrp. */
static const xmlNode *find_term(const xmlNode *n)
{
	for (const xmlNode *k = n->children; k; k = k->next) {
		if (is(k, "term"))
			return k;
		if (is(k, "termGrp")) {
			const xmlNode *t = find_term(k);
			if (t)
				return t;
		}
	}
	return NULL;
}

static const char *first(const char *a, const char *b, const char *c)
{
	return a ? a : b ? b : c;
}

/* Notes of the term, then of its language, then of its concept. */
static int join_notes(tbx *x, sbuf *out, const cats *t, const cats *l,
		      const cats *e)
{
	const cats *all[3] = {t, l, e};

	for (int i = 0; i < 3; i++) {
		if (!all[i]->note.len)
			continue;
		if ((out->len && sbuf_add(out, "; ", 2) < 0) ||
		    sbuf_add(out, all[i]->note.p, all[i]->note.len) < 0)
			return nomem(x);
	}
	return HX_OK;
}

static int read_term(tbx *x, size_t concept, const char *lang,
		     const xmlNode *tig, const cats *lc, const cats *ec)
{
	const xmlNode *term = find_term(tig);
	cats tc = {0};
	sbuf notes = {0};
	hx__term_in in;
	char *text = NULL;
	int rc;

	if (!term)
		return hx__error_set(x->err, HX_EFORMAT,
				     "%s:%ld: <%s> without a <term>", x->name,
				     line_of(tig), (const char *)tig->name);
	if ((rc = text_dup(x, term, &text)) < 0)
		goto done;
	/* An empty <term/> is how MultiTerm exports a language that has no
	 * term yet (44 of them in the SDL sample): nothing to keep. */
	if (!text || !text[strspn(text, " \t\r\n")])
		goto done;
	if ((rc = level_cats(x, tig, &tc)) < 0 ||
	    (rc = join_notes(x, &notes, &tc, lc, ec)) < 0)
		goto done;
	memset(&in, 0, sizeof(in));
	in.lang = lang;
	in.text = text ? text : "";
	in.status = tc.status;
	in.pos = tc.pos;
	in.type = tc.type;
	in.definition = first(tc.definition, lc->definition, ec->definition);
	in.context = tc.context;
	in.note = notes.p;
	in.line = (size_t)line_of(term);
	rc = hx__tb_term_add(x->tb, concept, &in, x->err);
done:
	free(text);
	free(notes.p);
	cats_free(&tc);
	return rc;
}

static int read_lang(tbx *x, size_t concept, const xmlNode *ls, const cats *ec)
{
	xmlChar *lang = xmlGetNsProp(ls, BAD_CAST "lang", XML_XML_NAMESPACE);
	cats lc = {0};
	int rc;

	if (!lang || !*lang) {
		rc =
		    hx__error_set(x->err, HX_EFORMAT,
				  "%s:%ld: <%s> without xml:lang (every "
				  "language section names its language)",
				  x->name, line_of(ls), (const char *)ls->name);
		goto done;
	}
	if ((rc = level_cats(x, ls, &lc)) < 0)
		goto done;
	for (const xmlNode *k = ls->children; k; k = k->next)
		if ((is(k, "tig") || is(k, "ntig") || is(k, "termSec")) &&
		    (rc = read_term(x, concept, (const char *)lang, k, &lc,
				    ec)) < 0)
			goto done;
	rc = HX_OK;
done:
	xmlFree(lang);
	cats_free(&lc);
	return rc;
}

static int read_entry(tbx *x, const xmlNode *e)
{
	xmlChar *id = xmlGetProp(e, BAD_CAST "id");
	cats ec = {0};
	size_t concept;
	int rc;

	if ((rc = hx__tb_concept_new(x->tb, (const char *)id, &concept,
				     x->err)) < 0 ||
	    (rc = level_cats(x, e, &ec)) < 0)
		goto done;
	for (const xmlNode *k = e->children; k; k = k->next)
		if ((is(k, "langSet") || is(k, "langSec")) &&
		    (rc = read_lang(x, concept, k, &ec)) < 0)
			goto done;
	rc = HX_OK;
done:
	xmlFree(id);
	cats_free(&ec);
	return rc;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *k = n->children; k; k = k->next)
		if (is(k, name))
			return k;
	return NULL;
}

static int read_doc(tbx *x, const xmlDoc *doc)
{
	const xmlNode *root = xmlDocGetRootElement(doc), *text, *body;
	const char *entry;
	char name[48];
	int rc;

	if (!root)
		return hx__error_set(x->err, HX_EFORMAT, "%s: no root element",
				     x->name);
	/* The entry element tells the versions apart; either is taken in
	 * either root, as converters mix them. */
	if (!is(root, "martif") && !is(root, "tbx"))
		return hx__error_set(
		    x->err, HX_EFORMAT,
		    "%s:%ld: root element <%s>, not <martif> (TBX 2008) or "
		    "<tbx> (TBX v3): not a TBX document",
		    x->name, line_of(root),
		    hx__tb_clip(name, 41, (const char *)root->name));
	if (!(text = child(root, "text")) || !(body = child(text, "body")))
		return hx__error_set(
		    x->err, HX_EFORMAT, "%s:%ld: <%s> without <text><body>",
		    x->name, line_of(root), (const char *)root->name);
	entry = is(root, "tbx") ? "conceptEntry" : "termEntry";
	for (const xmlNode *k = body->children; k; k = k->next)
		if ((is(k, entry) || is(k, "termEntry") ||
		     is(k, "conceptEntry")) &&
		    (rc = read_entry(x, k)) < 0)
			return rc;
	return HX_OK;
}

/* Why the parse failed, most specific cause first. */
static int parse_failed(tbx *x, const xml_report *r, xmlParserCtxtPtr ctxt)
{
	const xmlError *last = xmlCtxtGetLastError(ctxt);

	if (r->entity)
		return hx__error_set(x->err, HX_EFORMAT,
				     "%s:%d: the DOCTYPE declares entity '%s': "
				     "entities are refused (TBX needs none)",
				     x->name, r->line > 0 ? r->line : 1,
				     r->msg);
	if (r->nomem)
		return nomem(x);
	if (r->failed) {
		/* libxml2 says "indicate encoding"; say how. */
		bool enc = strstr(r->msg, "not proper UTF-8") != NULL;
		return hx__error_set(
		    x->err, HX_EFORMAT, "%s:%d: %s%s", x->name,
		    r->line > 0 ? r->line : 1, r->msg,
		    enc ? " (the file is not UTF-8: name its encoding in the "
			  "XML declaration, <?xml version=\"1.0\" "
			  "encoding=\"...\"?>, or convert it)"
			: "");
	}
	return hx__error_set(x->err, HX_EFORMAT, "%s:%d: malformed XML",
			     x->name, last && last->line > 0 ? last->line : 1);
}

/*
 * No XML_PARSE_NOENT (entities would be substituted), no DTDLOAD, DTDATTR
 * or DTDVALID (the DTD would be read), no HUGE (libxml2's limits on depth
 * and text size stay on), NONET in case anything still tries.
 */
int hx__tbx_read(hx_termbase *tb, const char *data, size_t len, hx_error *err)
{
	const int options = XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
	xmlStructuredErrorFunc old_s;
	xmlGenericErrorFunc old_g;
	void *old_sctx, *old_gctx;
	xmlParserCtxtPtr ctxt;
	xml_report r;
	xmlDocPtr doc;
	tbx x = {tb, hx__tb_name(tb), err};
	int rc;

	if (len > INT_MAX)
		return hx__error_set(err, HX_ELIMIT, "%s: larger than %d bytes",
				     x.name, INT_MAX);
	memset(&r, 0, sizeof(r));
	xmlInitParser();
	/* The thread's handlers catch what libxml2 raises outside the
	 * context (an encoding it cannot convert); they are given back. */
	old_s = xmlStructuredError;
	old_sctx = xmlStructuredErrorContext;
	old_g = xmlGenericError;
	old_gctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(&r, on_error);
	xmlSetGenericErrorFunc(&r, on_generic);
	if (!(ctxt = xmlNewParserCtxt())) {
		rc = nomem(&x);
		goto restore;
	}
	ctxt->_private = &r;
	ctxt->sax->entityDecl = refuse_entity;
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, x.name, NULL, options);
	if (!doc || r.entity || r.failed || !ctxt->wellFormed)
		rc = parse_failed(&x, &r, ctxt);
	else
		rc = read_doc(&x, doc);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
restore:
	xmlSetStructuredErrorFunc(old_sctx, old_s);
	xmlSetGenericErrorFunc(old_gctx, old_g);
	return rc;
}
