/*
 * srx.c - loading SRX 2.0 segmentation rules (LISA Segmentation Rules
 * eXchange, https://www.gala-global.org/srx-20 ) into compiled ICU
 * regular expressions, and choosing the rules for one language. It checks
 * a rule file thoroughly at load time, so that a bad regex is reported
 * with its line once instead of failing later on some text; it does not
 * apply rules to text (segment.c does).
 *
 * Rule files come from users and from other tools (OmegaT, Okapi,
 * LanguageTool), so the XML is read without network access or entity
 * expansion, and the regexes, written for Java's engine, are compiled by
 * ICU, whose syntax is close to Java's (\p{Lu}, possessive quantifiers,
 * \Q..\E, bounded look-behind all work).
 */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <unicode/ustring.h>

#include "base/error-private.h"
#include "segment/srx.h"

#define SRX20_NS "http://www.lisa.org/srx20"

/* A rule file is a few hundred kilobytes at most (LanguageTool's, the
 * largest in use, is 160 KB); refuse anything absurdly larger before
 * handing it to the XML parser. */
#define SRX_MAX_BYTES (16u << 20)

/* ICU counts match work in steps of roughly a millisecond; a rule that
 * needs a second on one position is broken (catastrophic backtracking),
 * and failing beats hanging. */
#define RULE_TIME_LIMIT 1000

extern const unsigned char hx__srx_default[];
extern const size_t hx__srx_default_len;

struct langrule {
	char *name;
	struct hx_srx_rule *rules;
	size_t n, cap;
};

struct langmap {
	URegularExpression *pattern; /* languagepattern */
	size_t rule;		     /* index into langrules */
};

struct hx_srx {
	bool cascade;
	struct langrule *langrules;
	size_t nlangrules, caplangrules;
	struct langmap *maps;
	size_t nmaps, capmaps;
};

void hx_srx_free(hx_srx *srx)
{
	if (!srx)
		return;
	for (size_t i = 0; i < srx->nlangrules; i++) {
		struct langrule *lr = &srx->langrules[i];
		for (size_t j = 0; j < lr->n; j++)
			uregex_close(lr->rules[j].re);
		free(lr->rules);
		free(lr->name);
	}
	free(srx->langrules);
	for (size_t i = 0; i < srx->nmaps; i++)
		uregex_close(srx->maps[i].pattern);
	free(srx->maps);
	free(srx);
}

/* Grow *arr (of *cap elements of size sz) so that one more fits. */
static bool grow(void **arr, size_t *cap, size_t n, size_t sz)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 8;
	p = realloc(*arr, ncap * sz);
	if (!p)
		return false;
	*arr = p;
	*cap = ncap;
	return true;
}

/* An element of SRX itself: files written by Okapi mix in their own
 * namespace (okpsrx:options, okpsrx:sample), which SRX says to ignore.
 * Files without a namespace are accepted too; older OmegaT wrote them. */
static bool is_srx(const xmlNode *n, const char *name)
{
	if (n->type != XML_ELEMENT_NODE)
		return false;
	if (n->ns && strcmp((const char *)n->ns->href, SRX20_NS) != 0)
		return false;
	return strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (is_srx(c, name))
			return c;
	return NULL;
}

static char *attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetNoNsProp(n, (const xmlChar *)name);
}

/*
 * Compile a UTF-8 pattern. On failure returns NULL with *st set; the
 * caller words the message, since only it knows where the pattern is.
 */
static URegularExpression *compile(const char *pat, uint32_t flags,
				   UErrorCode *st)
{
	URegularExpression *re = NULL;
	UParseError pe;
	UChar *u = NULL;
	int32_t ulen = 0;

	if (!*pat)
		pat = "(?:)"; /* ICU refuses an empty pattern */
	u_strFromUTF8(NULL, 0, &ulen, pat, -1, st);
	if (*st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(*st))
		return NULL;
	*st = U_ZERO_ERROR;
	u = malloc(((size_t)ulen + 1) * sizeof(*u));
	if (!u) {
		*st = U_MEMORY_ALLOCATION_ERROR;
		return NULL;
	}
	u_strFromUTF8(u, ulen + 1, NULL, pat, -1, st);
	if (U_SUCCESS(*st))
		re = uregex_open(u, ulen, flags, &pe, st); /* copies u */
	free(u);
	if (U_FAILURE(*st)) {
		uregex_close(re);
		return NULL;
	}
	return re;
}

/* The text of <beforebreak>/<afterbreak>; a missing element is the empty
 * pattern, which matches everywhere (SRX 2.0, section 2.5). */
static char *pattern_text(const xmlNode *n)
{
	char *s;

	if (!n)
		return (char *)xmlStrdup((const xmlChar *)"");
	s = (char *)xmlNodeGetContent(n);
	return s ? s : (char *)xmlStrdup((const xmlChar *)"");
}

/*
 * Rewrite the two Java habits found in SRX files in the wild that ICU
 * refuses: a lone "}" (Java reads it as a literal; Okapi's
 * alternate-default.srx has "<0}") and "+" or "*" inside a look-behind
 * (Java 8 accepted them with a silent bound; LanguageTool's segment.srx
 * has "(?<=[XVI]+)"), which become {1,16} and {0,16}. Only tried when
 * ICU refuses the pattern as written, so correct patterns are untouched.
 * Returns NULL when out of memory.
 */
static char *java_compat(const char *p)
{
	size_t n = strlen(p);
	char *out = malloc(n * 6 + 1), *o = out;
	unsigned char behind[64] = {0}; /* per open group: a look-behind? */
	int depth = 0, inbehind = 0, cls = 0;

	if (!out)
		return NULL;
	while (*p) {
		char c = *p;

		if (c == '\\' && p[1] == 'Q') {
			const char *e = strstr(p, "\\E");
			size_t k = e ? (size_t)(e - p) + 2 : strlen(p);
			memcpy(o, p, k);
			o += k;
			p += k;
			continue;
		}
		if (c == '\\' && p[1]) {
			*o++ = *p++;
			*o++ = *p++;
			continue;
		}
		if (cls) {
			cls += c == '[' ? 1 : c == ']' ? -1 : 0;
			*o++ = *p++;
			continue;
		}
		switch (c) {
		case '[':
			cls = 1;
			*o++ = *p++;
			if (*p == '^')
				*o++ = *p++;
			continue;
		case '(': {
			bool lb = strncmp(p, "(?<=", 4) == 0 ||
				  strncmp(p, "(?<!", 4) == 0;
			if (depth < 64)
				behind[depth] = lb;
			depth++;
			inbehind += lb;
			break;
		}
		case ')':
			if (depth > 0 && --depth < 64)
				inbehind -= behind[depth];
			break;
		case '{': {
			/* A quantifier {n}, {n,}, {n,m} is copied whole. */
			size_t k = 1;
			while (p[k] >= '0' && p[k] <= '9')
				k++;
			if (k > 1 && p[k] == ',')
				for (k++; p[k] >= '0' && p[k] <= '9'; k++)
					;
			if (k > 1 && p[k] == '}') {
				memcpy(o, p, k + 1);
				o += k + 1;
				p += k + 1;
				continue;
			}
			break;
		}
		case '}':
			*o++ = '\\';
			break;
		case '+':
		case '*':
			if (inbehind > 0 && o > out &&
			    !strchr("+*?}(|", o[-1])) {
				o += sprintf(o, c == '+' ? "{1,16}" : "{0,16}");
				p++;
				continue;
			}
			break;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

/*
 * Check one part alone, so that an error names it; *fixed is the pattern
 * to use (the part itself, or its Java-compatible rewrite).
 */
static int check_part(char **fixed, const char *name, const xmlNode *rule,
		      const xmlNode *part, const char *what, const char *pat,
		      hx_error *err)
{
	UErrorCode st = U_ZERO_ERROR, st2 = U_ZERO_ERROR;
	URegularExpression *re = compile(pat, 0, &st);
	char *alt = NULL;

	*fixed = NULL;
	if (!re && st != U_MEMORY_ALLOCATION_ERROR) {
		if (!(alt = java_compat(pat)))
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		re = compile(alt, 0, &st2);
	}
	if (re) {
		uregex_close(re);
		*fixed = alt ? alt : strdup(pat);
		return *fixed ? HX_OK
			      : hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	free(alt);
	if (st == U_MEMORY_ALLOCATION_ERROR || st2 == U_MEMORY_ALLOCATION_ERROR)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	return hx__error_set(
	    err, HX_EFORMAT, "%s:%ld: bad regular expression in %s: %s", name,
	    xmlGetLineNo(part ? part : rule), what, u_errorName(st));
}

static int load_rule(struct langrule *lr, const char *name, const xmlNode *node,
		     hx_error *err)
{
	const xmlNode *bnode = child(node, "beforebreak");
	const xmlNode *anode = child(node, "afterbreak");
	char *brk = attr(node, "break");
	char *before = pattern_text(bnode);
	char *after = pattern_text(anode);
	char *combined = NULL, *fb = NULL, *fa = NULL;
	struct hx_srx_rule *r;
	UErrorCode st = U_ZERO_ERROR;
	int rc;

	if (!before || !after) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto fail;
	}
	if (brk && strcmp(brk, "yes") != 0 && strcmp(brk, "no") != 0) {
		rc = hx__error_set(err, HX_EFORMAT,
				   "%s:%ld: rule break=\"%s\", expected "
				   "\"yes\" or \"no\"",
				   name, xmlGetLineNo(node), brk);
		goto fail;
	}
	if ((rc = check_part(&fb, name, node, bnode, "beforebreak", before,
			     err)) < 0 ||
	    (rc = check_part(&fa, name, node, anode, "afterbreak", after,
			     err)) < 0)
		goto fail;
	if (!grow((void **)&lr->rules, &lr->cap, lr->n, sizeof(*lr->rules))) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto fail;
	}
	/* The look-ahead keeps AFTER out of the match, so a match's end is
	 * the candidate break and the next search can start right there. */
	combined = malloc(strlen(fb) + strlen(fa) + 16);
	if (!combined) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto fail;
	}
	sprintf(combined, "(?:%s)(?=%s)", fb, fa);
	r = &lr->rules[lr->n];
	r->brk = !brk || strcmp(brk, "yes") == 0; /* SRX default is yes */
	r->line = xmlGetLineNo(node);
	r->re = compile(combined, 0, &st);
	if (!r->re) {
		/* Both parts compiled alone; together they can still fail,
		 * e.g. a \Q without \E swallowing the look-ahead. */
		rc = st == U_MEMORY_ALLOCATION_ERROR
			 ? hx__error_set(err, HX_ENOMEM, "out of memory")
			 : hx__error_set(err, HX_EFORMAT,
					 "%s:%ld: bad regular expression in "
					 "rule: %s",
					 name, r->line, u_errorName(st));
		goto fail;
	}
	uregex_setTimeLimit(r->re, RULE_TIME_LIMIT, &st);
	lr->n++;
	rc = HX_OK;
fail:
	free(combined);
	free(fb);
	free(fa);
	xmlFree(brk);
	xmlFree(before);
	xmlFree(after);
	return rc;
}

static int load_langrules(hx_srx *srx, const char *name, const xmlNode *lrs,
			  hx_error *err)
{
	for (const xmlNode *n = lrs->children; n; n = n->next) {
		struct langrule *lr;
		char *lrname;
		int rc;

		if (!is_srx(n, "languagerule"))
			continue;
		lrname = attr(n, "languagerulename");
		if (!lrname)
			return hx__error_set(err, HX_EFORMAT,
					     "%s:%ld: languagerule without "
					     "languagerulename",
					     name, xmlGetLineNo(n));
		for (size_t i = 0; i < srx->nlangrules; i++) {
			if (strcmp(srx->langrules[i].name, lrname) == 0) {
				rc = hx__error_set(
				    err, HX_EFORMAT,
				    "%s:%ld: languagerule \"%s\" defined "
				    "twice",
				    name, xmlGetLineNo(n), lrname);
				xmlFree(lrname);
				return rc;
			}
		}
		if (!grow((void **)&srx->langrules, &srx->caplangrules,
			  srx->nlangrules, sizeof(*srx->langrules))) {
			xmlFree(lrname);
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		}
		lr = &srx->langrules[srx->nlangrules++];
		memset(lr, 0, sizeof(*lr));
		lr->name = strdup(lrname);
		xmlFree(lrname);
		if (!lr->name)
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		for (const xmlNode *r = n->children; r; r = r->next)
			if (is_srx(r, "rule") &&
			    (rc = load_rule(lr, name, r, err)) < 0)
				return rc;
	}
	return HX_OK;
}

static int load_map(hx_srx *srx, const char *name, const xmlNode *n,
		    hx_error *err)
{
	char *pat = attr(n, "languagepattern");
	char *lrname = attr(n, "languagerulename");
	UErrorCode st = U_ZERO_ERROR;
	struct langmap *m;
	size_t i;
	int rc;

	if (!pat || !lrname) {
		rc = hx__error_set(err, HX_EFORMAT,
				   "%s:%ld: languagemap needs languagepattern "
				   "and languagerulename",
				   name, xmlGetLineNo(n));
		goto fail;
	}
	for (i = 0; i < srx->nlangrules; i++)
		if (strcmp(srx->langrules[i].name, lrname) == 0)
			break;
	if (i == srx->nlangrules) {
		rc = hx__error_set(err, HX_EFORMAT,
				   "%s:%ld: languagemap names languagerule "
				   "\"%s\", which is not defined",
				   name, xmlGetLineNo(n), lrname);
		goto fail;
	}
	if (!grow((void **)&srx->maps, &srx->capmaps, srx->nmaps,
		  sizeof(*srx->maps))) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto fail;
	}
	m = &srx->maps[srx->nmaps];
	m->rule = i;
	m->pattern = compile(pat, 0, &st);
	if (!m->pattern) {
		rc =
		    st == U_MEMORY_ALLOCATION_ERROR
			? hx__error_set(err, HX_ENOMEM, "out of memory")
			: hx__error_set(err, HX_EFORMAT,
					"%s:%ld: bad regular expression in "
					"languagepattern: %s",
					name, xmlGetLineNo(n), u_errorName(st));
		goto fail;
	}
	srx->nmaps++;
	rc = HX_OK;
fail:
	xmlFree(pat);
	xmlFree(lrname);
	return rc;
}

/* SRX 2.0 puts <languagemap> directly in <maprules>; SRX 1.0 wrapped them
 * in <maprule>. Reading both costs one loop. */
static int load_maps(hx_srx *srx, const char *name, const xmlNode *maprules,
		     hx_error *err)
{
	int rc;

	for (const xmlNode *n = maprules->children; n; n = n->next) {
		if (is_srx(n, "languagemap")) {
			if ((rc = load_map(srx, name, n, err)) < 0)
				return rc;
		} else if (is_srx(n, "maprule")) {
			if ((rc = load_maps(srx, name, n, err)) < 0)
				return rc;
		}
	}
	return HX_OK;
}

/* Entity declarations are how XML bombs and external-file reads get in;
 * an SRX file has no use for them. */
static bool has_entities(const xmlDoc *doc)
{
	const xmlDtd *dtd = doc->intSubset;

	return dtd && (dtd->entities || dtd->pentities);
}

static int load_doc(hx_srx *srx, const char *name, const xmlDoc *doc,
		    hx_error *err)
{
	const xmlNode *root = xmlDocGetRootElement(doc);
	const xmlNode *header, *body, *n;
	char *cascade;
	int rc;

	if (has_entities(doc))
		return hx__error_set(err, HX_EFORMAT,
				     "%s: DOCTYPE with entity declarations "
				     "refused",
				     name);
	if (!root || !is_srx(root, "srx"))
		return hx__error_set(
		    err, HX_EFORMAT,
		    "%s:%ld: not an SRX 2.0 file: root element is <%s>, "
		    "expected <srx xmlns=\"" SRX20_NS "\">",
		    name, root ? xmlGetLineNo(root) : 1L,
		    root ? (const char *)root->name : "");
	header = child(root, "header");
	if (header && (cascade = attr(header, "cascade"))) {
		srx->cascade = strcmp(cascade, "yes") == 0;
		xmlFree(cascade);
	}
	body = child(root, "body");
	if (!body)
		return hx__error_set(err, HX_EFORMAT,
				     "%s:%ld: <srx> without <body>", name,
				     xmlGetLineNo(root));
	if ((n = child(body, "languagerules")) &&
	    (rc = load_langrules(srx, name, n, err)) < 0)
		return rc;
	if ((n = child(body, "maprules")) &&
	    (rc = load_maps(srx, name, n, err)) < 0)
		return rc;
	return HX_OK;
}

int hx_srx_load_memory(hx_srx **out, const char *name, const char *data,
		       size_t len, hx_error *err)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	hx_srx *srx = NULL;
	int rc;

	assert(out && name && (data || !len));
	*out = NULL;
	if (len > SRX_MAX_BYTES)
		return hx__error_set(err, HX_ELIMIT,
				     "%s: %zu bytes, more than an SRX file "
				     "may have (%u)",
				     name, len, SRX_MAX_BYTES);
	srx = calloc(1, sizeof(*srx));
	ctxt = xmlNewParserCtxt();
	if (!srx || !ctxt) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto fail;
	}
	/* NONET: no fetching of DTDs; no NOENT/DTDLOAD, so entities are
	 * never expanded nor loaded; the library never prints. */
	doc = xmlCtxtReadMemory(ctxt, data ? data : "", (int)len, name, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
	if (!doc) {
		const xmlError *xe = xmlCtxtGetLastError(ctxt);
		char msg[200] = "not well-formed XML";
		size_t ml;

		if (xe && xe->message) {
			snprintf(msg, sizeof(msg), "%s", xe->message);
			ml = strlen(msg);
			while (ml &&
			       (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
				msg[--ml] = '\0';
		}
		rc = hx__error_set(err, HX_EFORMAT, "%s:%d: %s", name,
				   xe ? xe->line : 1, msg);
		goto fail;
	}
	if ((rc = load_doc(srx, name, doc, err)) < 0)
		goto fail;
	*out = srx;
	srx = NULL;
	rc = HX_OK;
fail:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	hx_srx_free(srx);
	return rc;
}

int hx_srx_load(hx_srx **out, const char *path, hx_error *err)
{
	FILE *f = NULL;
	char *data = NULL;
	size_t len = 0, cap = 0, got;
	int rc;

	assert(out && path);
	*out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return hx__error_set(err,
				     errno == ENOENT ? HX_ENOTFOUND : HX_EIO,
				     "%s: %s", path, strerror(errno));
	do {
		if (len == cap) {
			char *p;
			if (cap >= SRX_MAX_BYTES) {
				rc = hx__error_set(err, HX_ELIMIT,
						   "%s: larger than an SRX "
						   "file may be (%u bytes)",
						   path, SRX_MAX_BYTES);
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			if (!(p = realloc(data, cap))) {
				rc = hx__error_set(err, HX_ENOMEM,
						   "out of memory");
				goto fail;
			}
			data = p;
		}
		got = fread(data + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	if (ferror(f)) {
		rc = hx__error_set(err, HX_EIO, "%s: read error", path);
		goto fail;
	}
	rc = hx_srx_load_memory(out, path, data, len, err);
fail:
	free(data);
	fclose(f);
	return rc;
}

int hx_srx_load_default(hx_srx **out, hx_error *err)
{
	return hx_srx_load_memory(out, "hexalign.srx",
				  (const char *)hx__srx_default,
				  hx__srx_default_len, err);
}

int hx__srx_select(const struct hx_srx_rule ***rules, size_t *n,
		   const hx_srx *srx, const char *lang, hx_error *err)
{
	const struct hx_srx_rule **list = NULL;
	URegularExpression *re = NULL;
	UErrorCode st = U_ZERO_ERROR;
	UChar ulang[64];
	size_t total = 0, k = 0;
	int32_t ulen;
	int rc;

	assert(rules && n && srx && lang);
	*rules = NULL;
	*n = 0;
	u_strFromUTF8(ulang, 64, &ulen, lang, -1, &st);
	if (U_FAILURE(st) || ulen >= 64)
		return hx__error_set(err, HX_EINVAL,
				     "language \"%s\" is not a language code",
				     lang);
	for (size_t i = 0; i < srx->nmaps; i++)
		total += srx->langrules[srx->maps[i].rule].n;
	list = malloc((total ? total : 1) * sizeof(*list));
	if (!list)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (size_t i = 0; i < srx->nmaps; i++) {
		const struct langrule *lr = &srx->langrules[srx->maps[i].rule];
		bool hit;

		/* The loaded pattern is shared and holds match state, so
		 * match with a private clone. */
		re = uregex_clone(srx->maps[i].pattern, &st);
		uregex_setText(re, ulang, ulen, &st);
		hit = uregex_matches(re, 0, &st);
		uregex_close(re);
		re = NULL;
		if (U_FAILURE(st)) {
			rc = hx__error_set(err, HX_ENOMEM,
					   "matching languagepattern: %s",
					   u_errorName(st));
			goto fail;
		}
		if (!hit)
			continue;
		for (size_t j = 0; j < lr->n; j++)
			list[k++] = &lr->rules[j];
		if (!srx->cascade)
			break;
	}
	*rules = list;
	*n = k;
	return HX_OK;
fail:
	free(list);
	return rc;
}
