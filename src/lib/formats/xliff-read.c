/*
 * xliff-read.c - reading an XLIFF back for the merge: the ids, sources and
 * targets of its segments (XLIFF 2.x segments, XLIFF 1.2 trans-units),
 * the original document it names and that document's checksum; and the
 * merge itself, which hands the targets to the DOCX writer. It is not a
 * general XLIFF library: inline codes are flattened to their text (and
 * kept beside it as coded text, for the merge and the check), and notes,
 * matches and alt-trans are ignored.
 *
 * An XLIFF comes back from outside (a translator's CAT tool, a mail
 * attachment), so it is parsed without network, DTD or entity
 * substitution, any DOCTYPE is refused, and every error names the line.
 */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/tree.h>

#include <hexalign/hexalign.h>
#include <hexalign/xliff.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "base/inline.h"
#include "base/text.h"
#include "formats/xliff-codes.h"
#include "formats/docx-write.h"
#include "formats/xml-safe.h"

#define XLIFF2_NS_PREFIX "urn:oasis:names:tc:xliff:document:2."
#define XLIFF1_NS	 "urn:oasis:names:tc:xliff:document:1.2"
#define MDA_NS		 "urn:oasis:names:tc:xliff:metadata:2.0"
#define MAX_XLIFF	 ((long)256 << 20)

struct hx_xliff {
	hx_xliff_seg *segs;
	size_t n, cap;
	char *path, *version, *src, *tgt, *original, *checksum;
};

void hx_xliff_free(hx_xliff *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->n; i++) {
		free((char *)x->segs[i].id);
		free((char *)x->segs[i].unit_id);
		free((char *)x->segs[i].source);
		free((char *)x->segs[i].target);
		free((char *)x->segs[i].state);
		free((char *)x->segs[i].target_coded);
		free((char *)x->segs[i].source_coded);
		hx__inline_free((hx_inline *)x->segs[i].target_codes,
				x->segs[i].ntarget_codes);
		hx__inline_free((hx_inline *)x->segs[i].source_codes,
				x->segs[i].nsource_codes);
	}
	free(x->segs);
	free(x->path);
	free(x->version);
	free(x->src);
	free(x->tgt);
	free(x->original);
	free(x->checksum);
	free(x);
}

size_t hx_xliff_count(const hx_xliff *x)
{
	return x->n;
}

const hx_xliff_seg *hx_xliff_get(const hx_xliff *x, size_t i)
{
	return i < x->n ? &x->segs[i] : NULL;
}

const char *hx_xliff_get_version(const hx_xliff *x)
{
	return x->version;
}

const char *hx_xliff_get_src(const hx_xliff *x)
{
	return x->src;
}

const char *hx_xliff_get_tgt(const hx_xliff *x)
{
	return x->tgt;
}

const char *hx_xliff_get_original(const hx_xliff *x)
{
	return x->original;
}

int hx_xliff_find_original(char **out, const hx_xliff *x,
			   const char *xliff_path, hx_error *err)
{
	const char *orig, *slash;
	char *path;
	size_t d, n;

	assert(out && x && xliff_path);
	*out = NULL;
	if (!(orig = x->original) || !*orig)
		return hx__error_set(err, HX_ENOTFOUND,
				     "%s: names no original document",
				     xliff_path);
	/* As written at pre-translation: relative to where that ran. */
	if (access(orig, R_OK) == 0) {
		if (!(*out = strdup(orig)))
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		return HX_OK;
	}
	/* Beside the XLIFF, under the name it gives or its last part: the
	 * two files were moved together. */
	slash = strrchr(xliff_path, '/');
	d = slash ? (size_t)(slash - xliff_path) + 1 : 0;
	for (int k = 0; k < 2; k++) {
		const char *name = orig;
		if (k == 1) {
			const char *b = strrchr(orig, '/');
			if (!b)
				break;
			name = b + 1;
		}
		if (name[0] == '/')
			continue;
		n = d + strlen(name) + 1;
		if (!(path = malloc(n)))
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		memcpy(path, xliff_path, d);
		memcpy(path + d, name, n - d);
		if (access(path, R_OK) == 0) {
			*out = path;
			return HX_OK;
		}
		free(path);
	}
	return hx__error_set(err, HX_ENOTFOUND,
			     "%s: its original document '%s' is neither there "
			     "nor beside the XLIFF",
			     xliff_path, orig);
}

const char *hx_xliff_get_checksum(const hx_xliff *x)
{
	return x->checksum;
}

/* ---- parsing --------------------------------------------------------- */

static int load(xmlDoc **out, const char *path, hx_error *err)
{
	char *data = NULL;
	long size;
	FILE *f;
	int rc;

	*out = NULL;
	if (!(f = fopen(path, "rb")))
		return hx__error_set(err,
				     errno == ENOENT ? HX_ENOTFOUND : HX_EIO,
				     "%s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		rc = hx__error_set(err, HX_EIO, "%s: cannot read", path);
		goto done;
	}
	if (size > MAX_XLIFF) {
		rc = hx__error_set(err, HX_ELIMIT, "%s: larger than %ld bytes",
				   path, MAX_XLIFF);
		goto done;
	}
	if (!(data = malloc((size_t)size + 1))) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto done;
	}
	if (fread(data, 1, (size_t)size, f) != (size_t)size) {
		rc = hx__error_set(err, HX_EIO, "%s: read failed", path);
		goto done;
	}
	rc = hx__xml_parse_safe(out, path, data, (size_t)size, err);
done:
	fclose(f);
	free(data);
	return rc;
}

/* ---- walking the tree ------------------------------------------------ */

struct walk {
	hx_xliff *x;
	const char *path;
	hx_error *err;
	bool v1;
};

static bool in_ns(const xmlNode *n, const char *name, bool v1)
{
	if (n->type != XML_ELEMENT_NODE || !n->ns ||
	    strcmp((const char *)n->name, name))
		return false;
	return v1 ? !strcmp((const char *)n->ns->href, XLIFF1_NS)
		  : !strncmp((const char *)n->ns->href, XLIFF2_NS_PREFIX,
			     strlen(XLIFF2_NS_PREFIX));
}

static const xmlNode *child(const xmlNode *n, const char *name, bool v1)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (in_ns(c, name, v1))
			return c;
	return NULL;
}

/* A copy of an attribute (without namespace), or NULL when absent. */
static char *attr_dup(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp((xmlNode *)n, BAD_CAST name);
	char *s = v ? strdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

static int oom(struct walk *w)
{
	return hx__error_set(w->err, HX_ENOMEM, "out of memory");
}

static int bad(struct walk *w, const xmlNode *n, const char *what)
{
	return hx__error_set(w->err, HX_EFORMAT, "%s:%ld: %s", w->path,
			     xmlGetLineNo(n), what);
}

/* The text of an element, inline codes reduced to the text they hold. */
static char *text_of(const xmlNode *n)
{
	xmlChar *t = xmlNodeGetContent(n);
	char *s = strdup(t ? (const char *)t : "");

	xmlFree(t);
	return s;
}

/* Coded text being gathered from a <source> or <target>. */
struct coded {
	char *s;
	size_t len, cap;
	hx_inline *codes;
	size_t n, capc;
	bool oom;
};

static void coded_add(struct coded *c, const char *s, size_t n)
{
	if (c->oom ||
	    hx__grow((void **)&c->s, &c->cap, c->len + n + 1, 1) < 0) {
		c->oom = true;
		return;
	}
	memcpy(c->s + c->len, s, n);
	c->len += n;
	c->s[c->len] = '\0';
}

static void coded_code(struct coded *c, hx_inline_kind kind, const xmlNode *n,
		       bool v1)
{
	char *id = attr_dup(n, "id"), *type = attr_dup(n, "type");
	char *sub = attr_dup(n, "subType"), *ctype = attr_dup(n, "ctype");
	char *disp = attr_dup(n, v1 ? "equiv-text" : "disp");
	char u[4];
	hx_inline *k;

	if (!id && kind != HX_INLINE_STANDALONE)
		id = attr_dup(n, "startRef"); /* 2.x <ec startRef> */
	if (!id)
		id = attr_dup(n, "rid"); /* 1.2 <ex rid> */
	if (c->oom || c->n >= HX__CODE_MAX ||
	    hx__grow((void **)&c->codes, &c->capc, c->n + 1,
		     sizeof(*c->codes)) < 0) {
		c->oom = c->oom || c->n < HX__CODE_MAX;
		goto done;
	}
	k = &c->codes[c->n];
	memset(k, 0, sizeof(*k));
	k->kind = kind;
	k->type =
	    hx__xliff_code_type(type, sub, v1 ? (ctype ? ctype : "") : NULL);
	k->id = id ? (unsigned)strtoul(id, NULL, 10) : 0;
	if (!hx__inline_set(k, "", disp)) {
		free((char *)k->data);
		free((char *)k->disp);
		c->oom = true;
		goto done;
	}
	coded_add(c, u, hx__utf8_put(u, HX__CODE_BASE + (uint32_t)c->n++));
done:
	free(id);
	free(type);
	free(sub);
	free(ctype);
	free(disp);
}

/* Elements that are one lone code, a pair's start or end on their own,
 * or a pair around content, in XLIFF 2.x and 1.2. */
static void gather(struct coded *c, const xmlNode *n, bool v1, int depth)
{
	for (const xmlNode *k = n->children; k && depth < 64; k = k->next) {
		const char *name = (const char *)k->name;
		if (k->type == XML_TEXT_NODE ||
		    k->type == XML_CDATA_SECTION_NODE) {
			if (k->content)
				coded_add(c, (const char *)k->content,
					  strlen((const char *)k->content));
			continue;
		}
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp(name, v1 ? "g" : "pc")) {
			coded_code(c, HX_INLINE_OPEN, k, v1);
			gather(c, k, v1, depth + 1);
			coded_code(c, HX_INLINE_CLOSE, k, v1);
		} else if (!strcmp(name, v1 ? "bx" : "sc") ||
			   (v1 && !strcmp(name, "bpt"))) {
			coded_code(c, HX_INLINE_OPEN, k, v1);
		} else if (!strcmp(name, v1 ? "ex" : "ec") ||
			   (v1 && !strcmp(name, "ept"))) {
			coded_code(c, HX_INLINE_CLOSE, k, v1);
		} else if (!strcmp(name, v1 ? "x" : "ph") ||
			   (v1 &&
			    (!strcmp(name, "ph") || !strcmp(name, "it")))) {
			coded_code(c, HX_INLINE_STANDALONE, k, v1);
		} else if (!(v1 && !strcmp(name, "sub"))) {
			gather(c, k, v1, depth + 1); /* mrk, 1.2 mrk */
		}
	}
}

/* The coded form of a <source> or <target>, when it has codes. */
static bool coded_of(const xmlNode *n, bool v1, const char **text,
		     const hx_inline **codes, size_t *ncodes)
{
	struct coded c = {0};

	gather(&c, n, v1, 0);
	if (c.oom || !c.n) {
		hx__inline_free(c.codes, c.n);
		free(c.s);
		return !c.oom;
	}
	*text = c.s;
	*codes = c.codes;
	*ncodes = c.n;
	return true;
}

/* The states that mean a person finished the target (XLIFF 2.1 section
 * 4.3.1.42 "state"; XLIFF 1.2 state values, and approved="yes"). */
static bool finished(bool v1, const char *state, const xmlNode *seg)
{
	static const char *const v2_done[] = {"translated", "reviewed",
					      "final"};
	static const char *const v1_done[] = {"translated", "signed-off",
					      "final"};
	const char *const *done = v1 ? v1_done : v2_done;

	for (size_t i = 0; state && i < 3; i++)
		if (!strcmp(state, done[i]))
			return true;
	if (v1) {
		char *a = attr_dup(seg, "approved");
		bool yes = a && !strcmp(a, "yes");
		free(a);
		return yes;
	}
	return false;
}

static int add_seg(struct walk *w, const xmlNode *seg, const char *unit_id)
{
	const xmlNode *src = child(seg, "source", w->v1);
	const xmlNode *tgt = child(seg, "target", w->v1);
	hx_xliff *x = w->x;
	hx_xliff_seg *s;
	char *id;

	if (!src)
		return bad(w, seg, "segment without <source>");
	if (!(id = attr_dup(seg, "id")))
		return bad(w, seg,
			   w->v1 ? "trans-unit without id"
				 : "segment without id (not written by "
				   "hexalign pretranslate?)");
	if (x->n == x->cap) {
		size_t nc = x->cap ? x->cap * 2 : 64;
		hx_xliff_seg *ns = realloc(x->segs, nc * sizeof(*ns));
		if (!ns) {
			free(id);
			return oom(w);
		}
		x->segs = ns;
		x->cap = nc;
	}
	s = &x->segs[x->n++];
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->line = (size_t)xmlGetLineNo(seg);
	s->source_line = (size_t)xmlGetLineNo(src);
	s->target_line = tgt ? (size_t)xmlGetLineNo(tgt) : 0;
	if (!(s->unit_id = strdup(unit_id ? unit_id : "")) ||
	    !(s->source = text_of(src)) || (tgt && !(s->target = text_of(tgt))))
		return oom(w);
	if (!hx__utf8_valid(s->source, strlen(s->source), NULL) ||
	    (s->target && !hx__utf8_valid(s->target, strlen(s->target), NULL)))
		return bad(w, seg, "text is not UTF-8");
	if (!coded_of(src, w->v1, &s->source_coded, &s->source_codes,
		      &s->nsource_codes) ||
	    (tgt && !coded_of(tgt, w->v1, &s->target_coded, &s->target_codes,
			      &s->ntarget_codes)))
		return oom(w);
	s->state = w->v1 ? (tgt ? attr_dup(tgt, "state") : NULL)
			 : attr_dup(seg, "state");
	s->finished = finished(w->v1, s->state, seg) && s->target &&
		      s->target[strspn(s->target, " \t\r\n")];
	return HX_OK;
}

/* Units (2.x) or groups (1.2) nest; segments and trans-units are their
 * leaves. */
static int walk(struct walk *w, const xmlNode *n, const char *unit_id,
		int depth)
{
	int rc;

	if (depth > 64)
		return bad(w, n, "groups nested deeper than 64");
	for (const xmlNode *c = n->children; c; c = c->next) {
		char *id = NULL;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (in_ns(c, w->v1 ? "trans-unit" : "segment", w->v1)) {
			if ((rc = add_seg(w, c, unit_id)) < 0)
				return rc;
			continue;
		}
		if (!in_ns(c, "group", w->v1) &&
		    !(!w->v1 && in_ns(c, "unit", false)) &&
		    !in_ns(c, "body", w->v1))
			continue;
		if (!in_ns(c, "body", w->v1) && !(id = attr_dup(c, "id")) &&
		    !w->v1)
			return bad(w, c, "unit without id");
		rc = walk(w, c, id ? id : unit_id, depth + 1);
		free(id);
		if (rc < 0)
			return rc;
	}
	return HX_OK;
}

/* What hexalign recorded about the original in a <file>. */
static int file_meta(struct walk *w, const xmlNode *file)
{
	hx_xliff *x = w->x;

	if (!x->original && !(x->original = attr_dup(file, "original")) &&
	    xmlHasProp((xmlNode *)file, BAD_CAST "original"))
		return oom(w);
	if (w->v1) {
		const xmlNode *h = child(file, "header", true);
		const xmlNode *skl = h ? child(h, "skl", true) : NULL;
		const xmlNode *ef =
		    skl ? child(skl, "external-file", true) : NULL;
		if (ef && !x->checksum)
			x->checksum = attr_dup(ef, "crc");
		if (!x->src)
			x->src = attr_dup(file, "source-language");
		if (!x->tgt)
			x->tgt = attr_dup(file, "target-language");
		return HX_OK;
	}
	for (const xmlNode *m = file->children; m; m = m->next) {
		if (m->type != XML_ELEMENT_NODE || !m->ns ||
		    strcmp((const char *)m->ns->href, MDA_NS))
			continue;
		for (const xmlNode *g = m->children; g; g = g->next)
			for (const xmlNode *e = g->children; e; e = e->next) {
				xmlChar *type;
				if (e->type != XML_ELEMENT_NODE)
					continue;
				type = xmlGetNoNsProp((xmlNode *)e,
						      BAD_CAST "type");
				if (type &&
				    !strcmp((const char *)type, "checksum") &&
				    !x->checksum)
					x->checksum = text_of(e);
				xmlFree(type);
			}
	}
	return HX_OK;
}

static int cmp_id(const void *a, const void *b)
{
	const hx_xliff_seg *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

/* Two segments with one id would merge into one place twice. */
static int check_unique(struct walk *w)
{
	const hx_xliff_seg **v;
	hx_xliff *x = w->x;
	int rc = HX_OK;

	if (x->n < 2)
		return HX_OK;
	if (!(v = malloc(x->n * sizeof(*v))))
		return oom(w);
	for (size_t i = 0; i < x->n; i++)
		v[i] = &x->segs[i];
	qsort(v, x->n, sizeof(*v), cmp_id);
	for (size_t i = 1; i < x->n; i++)
		if (!strcmp(v[i]->id, v[i - 1]->id)) {
			const hx_xliff_seg *a =
			    v[i]->line < v[i - 1]->line ? v[i - 1] : v[i];
			rc = hx__error_set(w->err, HX_EFORMAT,
					   "%s:%zu: segment id '%s' used "
					   "twice",
					   w->path, a->line, a->id);
			break;
		}
	free(v);
	return rc;
}

int hx_xliff_read(hx_xliff **out, const char *path, hx_error *err)
{
	struct walk w = {0};
	const xmlNode *root;
	xmlDoc *doc = NULL;
	hx_xliff *x;
	int rc;

	assert(out && path);
	*out = NULL;
	if ((rc = load(&doc, path, err)) < 0)
		return rc;
	if (!(x = calloc(1, sizeof(*x)))) {
		xmlFreeDoc(doc);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	w.x = x;
	w.path = path;
	w.err = err;
	root = xmlDocGetRootElement(doc);
	if (!root || strcmp((const char *)root->name, "xliff") || !root->ns) {
		rc = hx__error_set(err, HX_EFORMAT,
				   "%s:%ld: not XLIFF (root element is not "
				   "xliff in an XLIFF namespace)",
				   path, root ? xmlGetLineNo(root) : 1L);
		goto fail;
	}
	w.v1 = in_ns(root, "xliff", true);
	if (!w.v1 && !in_ns(root, "xliff", false)) {
		rc = bad(&w, root, "unknown XLIFF namespace");
		goto fail;
	}
	rc = HX_ENOMEM;
	if (!(x->path = strdup(path)) ||
	    !(x->version = attr_dup(root, "version")))
		goto fail_oom;
	if (!w.v1 && (!(x->src = attr_dup(root, "srcLang")) ||
		      ((x->tgt = attr_dup(root, "trgLang")), false)))
		goto fail_oom;
	for (const xmlNode *f = root->children; f; f = f->next) {
		if (!in_ns(f, "file", w.v1))
			continue;
		if ((rc = file_meta(&w, f)) < 0 ||
		    (rc = walk(&w, f, NULL, 0)) < 0)
			goto fail;
	}
	if ((rc = check_unique(&w)) < 0)
		goto fail;
	xmlFreeDoc(doc);
	*out = x;
	return HX_OK;
fail_oom:
	rc = hx__error_set(err, HX_ENOMEM, "out of memory");
fail:
	xmlFreeDoc(doc);
	hx_xliff_free(x);
	return rc;
}

/* ---- merge ----------------------------------------------------------- */

int hx_xliff_merge(const hx_xliff *x, const char *docx_path,
		   const char *out_path, hx_docx_fill_stats *stats,
		   hx_error *err)
{
	char sum[64];
	int rc;

	assert(x && docx_path && out_path);
	if ((rc = hx_xliff_checksum(sum, sizeof(sum), docx_path, err)) < 0)
		return rc;
	if (x->checksum && strcmp(sum, x->checksum))
		return hx__error_set(err, HX_EFORMAT,
				     "%s: does not match %s: it was made from "
				     "a document with checksum %s, this one "
				     "has %s (edited or another file?)",
				     x->path, docx_path, x->checksum, sum);
	return hx__xliff_merge_segs(x->path, x->tgt, x->segs, x->n, docx_path,
				    out_path, stats, err);
}
