/*
 * xml-safe.c - libxml2 set up for input from outside: what xml-safe.h
 * promises, in one place for the modules that read XLIFF and rewrite
 * DOCX parts.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "base/error-private.h"
#include "formats/xml-safe.h"

struct guard {
	bool doctype;
	int line;
	char msg[200];
};

/* Stopping at the DOCTYPE keeps any internal subset, and so any entity
 * bomb, from being read at all; neither XLIFF nor WordprocessingML ever
 * needs one. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext,
		       const xmlChar *sys)
{
	xmlParserCtxtPtr c = ctx;

	(void)name;
	(void)ext;
	(void)sys;
	((struct guard *)c->_private)->doctype = true;
	xmlStopParser(c);
}

/* Only the first error: later ones are mostly its echoes. */
#if LIBXML_VERSION >= 21200
static void on_error(void *ctx, const xmlError *e)
#else
static void on_error(void *ctx, xmlErrorPtr e)
#endif
{
	xmlParserCtxtPtr c = ctx;
	struct guard *g = c ? c->_private : NULL;
	size_t n;

	if (!g || g->line || !e || e->level < XML_ERR_ERROR)
		return;
	g->line = e->line > 0 ? e->line : 1;
	snprintf(g->msg, sizeof(g->msg), "%s",
		 e->message ? e->message : "unknown error");
	n = strlen(g->msg);
	while (n && (g->msg[n - 1] == '\n' || g->msg[n - 1] == ' '))
		g->msg[--n] = '\0';
}

int hx__xml_parse_safe(xmlDoc **out, const char *where, const char *data,
		       size_t len, hx_error *err)
{
	struct guard g = {0};
	xmlParserCtxtPtr c;
	int rc = HX_OK;

	*out = NULL;
	if (len > INT_MAX)
		return hx__error_set(err, HX_ELIMIT, "%s: larger than %d bytes",
				     where, INT_MAX);
	if (len == 0)
		return hx__error_set(err, HX_EFORMAT,
				     "%s:1: malformed XML: empty", where);
	xmlInitParser();
	if (!(c = xmlCreateMemoryParserCtxt(data, (int)len)))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	/* Never NOENT, DTDLOAD or HUGE. */
	xmlCtxtUseOptions(c, XML_PARSE_NONET | XML_PARSE_NOERROR |
				 XML_PARSE_NOWARNING);
	c->_private = &g;
	c->sax->internalSubset = on_doctype;
	c->sax->serror = on_error;
	xmlParseDocument(c);
	if (g.doctype)
		rc = hx__error_set(err, HX_EFORMAT,
				   "%s: DOCTYPE not allowed (entity expansion "
				   "refused)",
				   where);
	else if (!c->wellFormed || !c->myDoc)
		rc = hx__error_set(err, HX_EFORMAT, "%s:%d: malformed XML: %s",
				   where, g.line ? g.line : 1,
				   g.line ? g.msg : "unknown error");
	if (rc == HX_OK) {
		*out = c->myDoc;
		c->myDoc = NULL;
	}
	if (c->myDoc)
		xmlFreeDoc(c->myDoc);
	xmlFreeParserCtxt(c);
	return rc;
}
