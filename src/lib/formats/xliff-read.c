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

/*
 * Code ids as numbers, one table per segment so that its source and its
 * target agree: an id that starts with digits is their number ("3" and
 * hexalign's "3_2" for a cut pair are both 3); any other ("a1", as other
 * tools write them) is ID_OTHER + the index of the distinct string.
 */
#define ID_OTHER 1000000u

struct ids {
	char **v;
	size_t n, cap;
};

static void ids_free(struct ids *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
}

/* false: no memory. */
static bool id_number(unsigned *out, struct ids *t, const char *id)
{
	if (id[0] >= '0' && id[0] <= '9') {
		*out = (unsigned)strtoul(id, NULL, 10);
		return true;
	}
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], id)) {
			*out = ID_OTHER + (unsigned)i;
			return true;
		}
	if (hx__grow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v)) < 0 ||
	    !(t->v[t->n] = strdup(id)))
		return false;
	*out = ID_OTHER + (unsigned)t->n++;
	return true;
}

/* Where a code came from: a start on its own (<sc>, <bx>, <bpt>) waits
 * for its end in the same <source> or <target>. */
enum origin { FROM_WRAP = 0, FROM_START, FROM_CLOSED, FROM_ISOLATED };

/* Coded text being gathered from a <source> or <target>. */
struct coded {
	char *s;
	size_t len, cap;
	hx_inline *codes;
	size_t n, capc;
	/* per code: its origin and element, for the checks below */
	unsigned char *origin;
	const xmlNode **node;
	size_t capo, capn;
	struct ids *ids;
	const char *side; /* "source", "target" */
	bool oom;
	/* the first malformed code: its element and what is wrong */
	const xmlNode *bad_at;
	char bad_what[200];
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

static bool has_bad(const struct coded *c)
{
	return c->bad_at != NULL;
}

static void coded_bad(struct coded *c, const xmlNode *n, const char *fmt,
		      const char *a, const char *b)
{
	if (has_bad(c))
		return;
	c->bad_at = n;
	snprintf(c->bad_what, sizeof(c->bad_what), fmt, a, b);
}

static bool attr_is(const xmlNode *n, const char *name, const char *value)
{
	char *v = attr_dup(n, name);
	bool yes = v && !strcmp(v, value);

	free(v);
	return yes;
}

/*
 * The attribute naming the code of element n and kind: the id, but for
 * a pair's end on its own the start it ends (2.x <ec startRef>, or its
 * id when isolated), and 1.2 bx/ex and bpt/ept pair by rid when they
 * have one (an <ex>'s own id differs from its <bx>'s). NULL when absent,
 * with *attr the name that was looked for.
 */
static char *code_key(const xmlNode *n, hx_inline_kind kind, bool v1,
		      bool isolated, const char **attr)
{
	const char *name = (const char *)n->name;
	char *v;

	*attr = "id";
	if (!v1) {
		if (kind == HX_INLINE_CLOSE && !strcmp(name, "ec") && !isolated)
			*attr = "startRef";
		return attr_dup(n, *attr);
	}
	if (strcmp(name, "bx") && strcmp(name, "ex") && strcmp(name, "bpt") &&
	    strcmp(name, "ept"))
		return attr_dup(n, "id");
	/* a start must have its id, rid or not: XLIFF 1.2 requires it */
	if (kind == HX_INLINE_OPEN && !xmlHasProp((xmlNode *)n, BAD_CAST "id"))
		return NULL;
	if ((v = attr_dup(n, "rid")))
		return v;
	if (!(v = attr_dup(n, "id")))
		*attr = "rid or id";
	return v;
}

/* Whether code `key` of this kind is already in c (ids are unique per
 * kind in one <source> or <target>). */
static bool coded_has(const struct coded *c, hx_inline_kind kind, unsigned key)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->codes[i].kind == kind && c->codes[i].id == key)
			return true;
	return false;
}

/* The end of a start on its own: the latest such start of that id still
 * open. false when none is. */
static bool coded_close(struct coded *c, unsigned key)
{
	for (size_t i = c->n; i-- > 0;)
		if (c->origin[i] == FROM_START &&
		    c->codes[i].kind == HX_INLINE_OPEN &&
		    c->codes[i].id == key) {
			c->origin[i] = FROM_CLOSED;
			return true;
		}
	return false;
}

static void coded_code(struct coded *c, hx_inline_kind kind, const xmlNode *n,
		       bool v1, enum origin from)
{
	const char *name = (const char *)n->name, *key_attr;
	bool isolated =
	    !v1 && from != FROM_WRAP && attr_is(n, "isolated", "yes");
	char *id = code_key(n, kind, v1, isolated, &key_attr);
	char *type = attr_dup(n, "type"), *sub = attr_dup(n, "subType");
	char *ctype = attr_dup(n, "ctype");
	char *disp = attr_dup(n, v1 ? "equiv-text" : "disp");
	unsigned key = 0;
	char u[4];
	hx_inline *k;

	if (c->oom || has_bad(c))
		goto done;
	if (!id) {
		coded_bad(c, n, "<%s> without %s", name, key_attr);
		goto done;
	}
	if (!id_number(&key, c->ids, id)) {
		c->oom = true;
		goto done;
	}
	/* A <pc>'s end is the same element as its start: no second look. */
	if (!(from == FROM_WRAP && kind == HX_INLINE_CLOSE) &&
	    coded_has(c, kind, key)) {
		coded_bad(c, n, "code id '%s' used twice in one <%s>", id,
			  c->side);
		goto done;
	}
	if (from == FROM_START && kind == HX_INLINE_CLOSE && !isolated &&
	    !coded_close(c, key)) {
		coded_bad(c, n,
			  "<%s> ends '%s', which no start before it opens",
			  name, id);
		goto done;
	}
	if (c->n >= HX__CODE_MAX ||
	    hx__grow((void **)&c->codes, &c->capc, c->n + 1,
		     sizeof(*c->codes)) < 0 ||
	    hx__grow((void **)&c->origin, &c->capo, c->n + 1,
		     sizeof(*c->origin)) < 0 ||
	    hx__grow((void **)&c->node, &c->capn, c->n + 1, sizeof(*c->node)) <
		0) {
		c->oom = c->oom || c->n < HX__CODE_MAX;
		goto done;
	}
	k = &c->codes[c->n];
	memset(k, 0, sizeof(*k));
	k->kind = kind;
	k->type =
	    hx__xliff_code_type(type, sub, v1 ? (ctype ? ctype : "") : NULL);
	k->id = key;
	c->origin[c->n] = isolated ? FROM_ISOLATED
			  : from == FROM_START && kind == HX_INLINE_CLOSE
			      ? FROM_CLOSED
			      : (unsigned char)from;
	c->node[c->n] = n;
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
			coded_code(c, HX_INLINE_OPEN, k, v1, FROM_WRAP);
			gather(c, k, v1, depth + 1);
			coded_code(c, HX_INLINE_CLOSE, k, v1, FROM_WRAP);
		} else if (!strcmp(name, v1 ? "bx" : "sc") ||
			   (v1 && !strcmp(name, "bpt"))) {
			coded_code(c, HX_INLINE_OPEN, k, v1, FROM_START);
		} else if (!strcmp(name, v1 ? "ex" : "ec") ||
			   (v1 && !strcmp(name, "ept"))) {
			coded_code(c, HX_INLINE_CLOSE, k, v1, FROM_START);
		} else if (!strcmp(name, v1 ? "x" : "ph") ||
			   (v1 &&
			    (!strcmp(name, "ph") || !strcmp(name, "it")))) {
			coded_code(c, HX_INLINE_STANDALONE, k, v1, FROM_WRAP);
		} else if (!(v1 && !strcmp(name, "sub"))) {
			gather(c, k, v1, depth + 1); /* mrk, 1.2 mrk */
		}
	}
}

/* A start on its own that nothing ended in its <source> or <target>
 * (an isolated one ends in another segment: not this reader's
 * business). */
static void check_closed(struct coded *c)
{
	for (size_t i = 0; i < c->n && !has_bad(c); i++) {
		char *id;
		if (c->origin[i] != FROM_START)
			continue;
		id = attr_dup(c->node[i], "id");
		c->bad_at = c->node[i];
		snprintf(c->bad_what, sizeof(c->bad_what),
			 "<%s id=\"%s\"> is never ended in its <%s>",
			 (const char *)c->node[i]->name, id ? id : "", c->side);
		free(id);
	}
}

/*
 * The coded form of a <source> or <target>, when it has codes, its ids
 * numbered by the segment's table. HX_OK; HX_ENOMEM; HX_EFORMAT for a
 * malformed code, *bad_at and bad_what saying where and what.
 */
static int coded_of(const xmlNode *n, bool v1, struct ids *ids,
		    const char **text, const hx_inline **codes, size_t *ncodes,
		    const xmlNode **bad_at, char *bad_what, size_t bad_size)
{
	struct coded c = {0};
	int rc = HX_OK;

	c.ids = ids;
	c.side = (const char *)n->name;
	gather(&c, n, v1, 0);
	check_closed(&c);
	if (c.oom || has_bad(&c) || !c.n) {
		rc = c.oom ? HX_ENOMEM : has_bad(&c) ? HX_EFORMAT : HX_OK;
		if (has_bad(&c)) {
			*bad_at = c.bad_at;
			snprintf(bad_what, bad_size, "%s", c.bad_what);
		}
		hx__inline_free(c.codes, c.n);
		free(c.s);
	} else {
		*text = c.s;
		*codes = c.codes;
		*ncodes = c.n;
	}
	free(c.origin);
	free(c.node);
	return rc;
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
	struct ids ids = {0};
	const xmlNode *bad_at = NULL;
	char *id, what[200];
	int rc;

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
	rc = coded_of(src, w->v1, &ids, &s->source_coded, &s->source_codes,
		      &s->nsource_codes, &bad_at, what, sizeof(what));
	if (rc == HX_OK && tgt)
		rc = coded_of(tgt, w->v1, &ids, &s->target_coded,
			      &s->target_codes, &s->ntarget_codes, &bad_at,
			      what, sizeof(what));
	ids_free(&ids);
	if (rc == HX_EFORMAT)
		return bad(w, bad_at, what);
	if (rc < 0)
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
