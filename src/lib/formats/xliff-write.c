/*
 * xliff-write.c - a pre-translation as XLIFF 2.1 (core + matches module
 * + metadata for the original's checksum) or XLIFF 1.2 (alt-trans), for
 * translators' CAT tools. It writes what pretranslate.c decided; reading
 * an XLIFF back is xliff-read.c's job.
 *
 * Inline codes: 2.1 writes a pair as <pc> and a lone code as <ph>, the
 * original XML of each in the unit's <originalData>; 1.2 writes <g> and
 * <x/>. A code's id is its paragraph's code id, so source and target
 * name it alike; a pair cut by a sentence boundary appears in two
 * segments of one unit, and 2.1 wants ids unique in a unit, so its
 * later halves are "ID_SENTENCE".
 *
 * The document is built in memory with libxml2's text writer and written
 * beside its destination, then renamed into place: a pre-translation is a
 * few megabytes at most, and a half-written XLIFF handed to a translator
 * is worse than none.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>

#include <hexalign/hexalign.h>
#include <hexalign/xliff.h>

#include "base/error-private.h"
#include "base/inline.h"
#include "base/text.h"
#include "formats/xliff-codes.h"

#define XLIFF2_NS "urn:oasis:names:tc:xliff:document:2.0"
#define MTC_NS	  "urn:oasis:names:tc:xliff:matches:2.0"
#define MDA_NS	  "urn:oasis:names:tc:xliff:metadata:2.0"
#define XLIFF1_NS "urn:oasis:names:tc:xliff:document:1.2"

void hx_xliff_write_options_init(hx_xliff_write_options *opts)
{
	assert(opts);
	memset(opts, 0, sizeof(*opts));
}

int hx_xliff_checksum(char *buf, size_t size, const char *path, hx_error *err)
{
	uint64_t h = 0xcbf29ce484222325u;
	unsigned char block[65536];
	unsigned long long total = 0;
	size_t got;
	FILE *f;

	assert(buf && path);
	if (!(f = fopen(path, "rb")))
		return hx__error_set(err,
				     errno == ENOENT ? HX_ENOTFOUND : HX_EIO,
				     "%s: %s", path, strerror(errno));
	while ((got = fread(block, 1, sizeof(block), f)) > 0) {
		for (size_t i = 0; i < got; i++)
			h = (h ^ block[i]) * 0x100000001b3u;
		total += got;
	}
	if (ferror(f)) {
		fclose(f);
		return hx__error_set(err, HX_EIO, "%s: read failed", path);
	}
	fclose(f);
	snprintf(buf, size, "fnv1a64-%016llx-%llu", (unsigned long long)h,
		 total);
	return HX_OK;
}

/* ---- output ---------------------------------------------------------- */

/*
 * Write data to path through PATH.tmp.PID.N and rename(): readers of path
 * see the old file or the new one, never a part.
 */
static int replace_file(const char *path, const void *data, size_t len,
			hx_error *err)
{
	size_t n = strlen(path) + 48;
	char *tmp = malloc(n);
	int fd = -1, e;

	if (!tmp)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (unsigned k = 0; fd < 0 && k < 100; k++) {
		snprintf(tmp, n, "%s.tmp.%ld.%u", path, (long)getpid(), k);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0)
		goto fail;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, (const char *)data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return HX_OK;
fail:
	e = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return hx__error_set(err, HX_EIO, "%s: cannot write (%s)", path,
			     strerror(e));
}

struct out {
	xmlTextWriterPtr w;
	char *buf; /* scratch for cleaned text */
	size_t cap;
	bool bad; /* a libxml2 call failed (memory) */
};

/*
 * XML 1.0 (section 2.2) forbids most C0 controls and U+FFFE/U+FFFF even as
 * character references; a Word field or a cell mark can leave one in the
 * text, so each becomes U+FFFD rather than an unreadable file.
 */
static const char *clean(struct out *o, const char *s)
{
	size_t len = strlen(s), k = 0;

	if (len * 3 + 1 > o->cap) {
		char *b = realloc(o->buf, len * 3 + 1);
		if (!b) {
			o->bad = true;
			return "";
		}
		o->buf = b;
		o->cap = len * 3 + 1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool ctl = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
		bool nonchar = c == 0xEF && i + 2 < len &&
			       (unsigned char)s[i + 1] == 0xBF &&
			       (unsigned char)s[i + 2] >= 0xBE;
		if (ctl || nonchar) {
			memcpy(o->buf + k, "\xEF\xBF\xBD", 3);
			k += 3;
			i += nonchar ? 2 : 0;
		} else {
			o->buf[k++] = (char)c;
		}
	}
	o->buf[k] = '\0';
	return o->buf;
}

static void start(struct out *o, const char *name)
{
	if (xmlTextWriterStartElement(o->w, BAD_CAST name) < 0)
		o->bad = true;
}

static void end(struct out *o)
{
	if (xmlTextWriterEndElement(o->w) < 0)
		o->bad = true;
}

static void attr(struct out *o, const char *name, const char *value)
{
	if (xmlTextWriterWriteAttribute(o->w, BAD_CAST name,
					BAD_CAST clean(o, value)) < 0)
		o->bad = true;
}

static void text_elem(struct out *o, const char *name, const char *lang,
		      const char *text)
{
	start(o, name);
	if (lang)
		attr(o, "xml:lang", lang);
	if (xmlTextWriterWriteString(o->w, BAD_CAST clean(o, text)) < 0)
		o->bad = true;
	end(o);
}

/* The XLIFF id of code c of segment s: the pair's id, "ID_N" when an
 * earlier segment of the unit has that id too (a cut pair). `first` is
 * the unit's first segment. */
static void code_id(char *buf, size_t size, const hx_pt *pt, size_t first,
		    size_t si, const hx_inline *c)
{
	for (size_t i = first; i < si; i++) {
		const hx_pt_segment *e = hx_pt_get(pt, i);
		for (size_t k = 0; k < e->ncodes; k++)
			if (e->codes[k].id == c->id) {
				snprintf(buf, size, "%u_%zu", c->id,
					 hx_pt_get(pt, si)->sentence);
				return;
			}
	}
	snprintf(buf, size, "%u", c->id);
}

/* Indentation inside mixed content would be text: none from here to the
 * element's end. */
static void indent(struct out *o, bool on)
{
	if (xmlTextWriterSetIndent(o->w, on) < 0)
		o->bad = true;
}

/*
 * Coded text (placeholders U+E000 + k for s->codes[k]) as the content of
 * element `name`: 2.1 <pc>/<ph> with dataRef to originalData "d" + id
 * when the code has data, 1.2 <g>/<x/>. A placeholder past the codes is
 * dropped; a CLOSE whose OPEN is not open is dropped too, and pairs still
 * open at the end are closed, so the XML is whatever the text holds.
 */
static void coded_inner(struct out *o, const hx_pt *pt, size_t first, size_t si,
			const char *coded, bool v1)
{
	const hx_pt_segment *s = hx_pt_get(pt, si);
	size_t len = strlen(coded), i = 0, at = 0, depth = 0;
	unsigned open[64];
	char id[48], ref[56];

	indent(o, false);
	while (at < len) {
		size_t here = i;
		uint32_t c = i < len ? hx__utf8_next(coded, len, &i) : 0;
		bool code = i <= len && here < len && hx__is_code_char(c);
		if (!code && here < len)
			continue;
		if (here > at) {
			char *piece = malloc(here - at + 1);
			if (!piece) {
				o->bad = true;
				break;
			}
			memcpy(piece, coded + at, here - at);
			piece[here - at] = '\0';
			if (xmlTextWriterWriteString(
				o->w, BAD_CAST clean(o, piece)) < 0)
				o->bad = true;
			free(piece);
		}
		at = i;
		if (!code)
			break;
		c -= HX__CODE_BASE;
		if (c >= s->ncodes)
			continue;
		const hx_inline *k = &s->codes[c];
		const struct hx__xliff_code_name *nm =
		    &hx__xliff_code_names[k->type < HX_INLINE_NTYPES
					      ? k->type
					      : HX_INLINE_FIELD];
		code_id(id, sizeof(id), pt, first, si, k);
		if (k->kind == HX_INLINE_CLOSE) {
			if (depth && open[depth - 1] == k->id) {
				end(o);
				depth--;
			}
			continue;
		}
		if (k->kind == HX_INLINE_OPEN && depth == 64)
			continue;
		start(o, v1 ? (k->kind == HX_INLINE_OPEN ? "g" : "x")
			    : (k->kind == HX_INLINE_OPEN ? "pc" : "ph"));
		attr(o, "id", id);
		if (v1) {
			attr(o, "ctype", nm->v1_ctype);
			if (k->kind == HX_INLINE_STANDALONE && *k->disp)
				attr(o, "equiv-text", k->disp);
		} else {
			attr(o, "type", nm->v2_type);
			if (nm->v2_sub)
				attr(o, "subType", nm->v2_sub);
			if (k->kind == HX_INLINE_STANDALONE && *k->disp)
				attr(o, "disp", k->disp);
			if (*k->data) {
				snprintf(ref, sizeof(ref), "d%s", id);
				attr(o,
				     k->kind == HX_INLINE_OPEN ? "dataRefStart"
							       : "dataRef",
				     ref);
			}
		}
		if (k->kind == HX_INLINE_OPEN)
			open[depth++] = k->id;
		else
			end(o);
	}
	while (depth--)
		end(o);
}

static void coded_elem(struct out *o, const char *name, const char *lang,
		       const hx_pt *pt, size_t first, size_t si,
		       const char *coded, bool v1)
{
	start(o, name);
	if (lang)
		attr(o, "xml:lang", lang);
	coded_inner(o, pt, first, si, coded, v1);
	end(o);
	indent(o, true);
}

/* The unit's <originalData>: the XML of every code that has some. */
static void v2_original_data(struct out *o, const hx_pt *pt, size_t from,
			     size_t to)
{
	char id[48], ref[56];
	bool any = false;

	for (size_t i = from; i < to; i++) {
		const hx_pt_segment *s = hx_pt_get(pt, i);
		for (size_t k = 0; k < s->ncodes; k++) {
			const hx_inline *c = &s->codes[k];
			if (c->kind == HX_INLINE_CLOSE || !*c->data)
				continue;
			if (!any)
				start(o, "originalData");
			any = true;
			code_id(id, sizeof(id), pt, from, i, c);
			snprintf(ref, sizeof(ref), "d%s", id);
			start(o, "data");
			attr(o, "id", ref);
			if (xmlTextWriterWriteString(
				o->w, BAD_CAST clean(o, c->data)) < 0)
				o->bad = true;
			end(o);
		}
	}
	if (any)
		end(o);
}

/* A segment's source or target, coded when it has codes. */
static void seg_text(struct out *o, const char *name, const char *lang,
		     const hx_pt *pt, size_t first, size_t si, bool target,
		     bool v1)
{
	const hx_pt_segment *s = hx_pt_get(pt, si);
	char *coded = NULL;

	if (!s->ncodes) {
		text_elem(o, name, lang, target ? s->target : s->source);
		return;
	}
	if (target && s->target_coded) {
		coded_elem(o, name, lang, pt, first, si, s->target_coded, v1);
		return;
	}
	if (!hx__inline_coded(&coded, target ? s->target : s->source,
			      strlen(target ? s->target : s->source),
			      target ? NULL : s->codes,
			      target ? 0 : s->ncodes)) {
		o->bad = true;
		return;
	}
	coded_elem(o, name, lang, pt, first, si, coded, v1);
	free(coded);
}

static void attr_int(struct out *o, const char *name, int v)
{
	char b[16];

	snprintf(b, sizeof(b), "%d", v);
	attr(o, name, b);
}

/* The hx: word for how the target came about. */
static const char *how(const hx_pt_segment *s)
{
	if (s->band == HX_PT_CONTEXT)
		return "context";
	if (s->band == HX_PT_EXACT)
		return "exact";
	if (s->band == HX_PT_REPETITION)
		return "repetition";
	/* The formatting did not come with the match: a reviser must put
	 * the codes where they belong. */
	if (s->codes_appended)
		return "codes-appended";
	/* The memory holds the sentence, but from an alignment nobody
	 * checked: not an exact match, not a fuzzy one either. */
	if (s->penalty && s->score + s->penalty == 100)
		return "unreviewed-exact";
	if (s->numbers_fixed)
		return "numbers-fixed";
	if (s->numbers_unfixed)
		return "numbers-differ";
	return "fuzzy";
}

/* A repetition of an exact or context match carries that match's
 * target, as trusted as the first occurrence's. */
static bool approved(const hx_pt_segment *s)
{
	return s->target &&
	       (s->band == HX_PT_CONTEXT || s->band == HX_PT_EXACT ||
		(s->band == HX_PT_REPETITION && s->score >= 100));
}

/* ---- XLIFF 2.1 ------------------------------------------------------- */

static void meta(struct out *o, const char *type, const char *value)
{
	start(o, "mda:meta");
	attr(o, "type", type);
	if (xmlTextWriterWriteString(o->w, BAD_CAST clean(o, value)) < 0)
		o->bad = true;
	end(o);
}

/* Why a match lost points, in words a translator reads. */
static void penalty_words(char *buf, size_t size, const hx_pt_segment *s)
{
	snprintf(buf, size, "%d points off the match: %s", s->penalty,
		 s->penalty_reason ? s->penalty_reason : "not reviewed");
}

/* A note per target whose match lost points, for translators whose tool
 * shows notes but not match metadata. */
static void v2_notes(struct out *o, const hx_pt *pt, size_t from, size_t to)
{
	char buf[160];
	bool any = false;

	for (size_t i = from; i < to; i++) {
		const hx_pt_segment *s = hx_pt_get(pt, i);
		if (!s->target || !s->penalty)
			continue;
		if (!any)
			start(o, "notes");
		any = true;
		start(o, "note");
		attr(o, "category", "hexalign");
		attr(o, "appliesTo", "target");
		snprintf(buf, sizeof(buf), "%s: ", s->id);
		size_t n = strlen(buf);
		penalty_words(buf + n, sizeof(buf) - n, s);
		if (xmlTextWriterWriteString(o->w, BAD_CAST clean(o, buf)) < 0)
			o->bad = true;
		end(o);
	}
	if (any)
		end(o);
}

static void v2_unit(struct out *o, const hx_pt *pt, size_t from, size_t to)
{
	const hx_pt_segment *first = hx_pt_get(pt, from);
	bool any = false;
	char buf[80];

	start(o, "unit");
	attr(o, "id", first->unit_id);
	for (size_t i = from; i < to; i++)
		any = any || (hx_pt_get(pt, i)->target &&
			      hx_pt_get(pt, i)->match_source);
	if (any) {
		start(o, "mtc:matches");
		for (size_t i = from; i < to; i++) {
			const hx_pt_segment *s = hx_pt_get(pt, i);
			if (!s->target || !s->match_source)
				continue;
			start(o, "mtc:match");
			snprintf(buf, sizeof(buf), "%sm1", s->id);
			attr(o, "id", buf);
			snprintf(buf, sizeof(buf), "#%s", s->id);
			attr(o, "ref", buf);
			/* similarity is the texts', matchQuality the
			 * match's as a whole (the matches module, XLIFF 2.1
			 * section 5.3): a penalty lowers only the latter. */
			int sim = s->score + s->penalty;
			attr_int(o, "similarity", sim > 100 ? 100 : sim);
			if (s->penalty)
				attr_int(o, "matchQuality", s->score);
			if (s->origin && *s->origin)
				attr(o, "origin", s->origin);
			attr(o, "type", "tm");
			snprintf(buf, sizeof(buf), "hx:%s", how(s));
			attr(o, "subType", buf);
			if (s->penalty) {
				start(o, "mda:metadata");
				start(o, "mda:metaGroup");
				attr(o, "category", "hexalign");
				snprintf(buf, sizeof(buf), "%d", s->penalty);
				meta(o, "penalty", buf);
				meta(o, "penalty-reason",
				     s->penalty_reason ? s->penalty_reason
						       : "");
				end(o);
				end(o);
			}
			text_elem(o, "source", NULL, s->match_source);
			text_elem(o, "target", NULL, s->target);
			end(o);
		}
		end(o);
	}
	v2_notes(o, pt, from, to);
	v2_original_data(o, pt, from, to);
	for (size_t i = from; i < to; i++) {
		const hx_pt_segment *s = hx_pt_get(pt, i);
		start(o, "segment");
		attr(o, "id", s->id);
		if (s->target) {
			attr(o, "state",
			     approved(s) ? "translated" : "initial");
			snprintf(buf, sizeof(buf), "hx:%s", how(s));
			attr(o, "subState", buf);
		}
		seg_text(o, "source", NULL, pt, from, i, false, false);
		if (s->target)
			seg_text(o, "target", NULL, pt, from, i, true, false);
		end(o);
	}
	end(o);
}

static void write_v2(struct out *o, const hx_pt *pt, const char *original,
		     const char *checksum)
{
	char min[16];

	start(o, "xliff");
	attr(o, "xmlns", XLIFF2_NS);
	attr(o, "xmlns:mtc", MTC_NS);
	attr(o, "xmlns:mda", MDA_NS);
	attr(o, "version", "2.1");
	attr(o, "srcLang", hx_pt_get_src(pt));
	attr(o, "trgLang", hx_pt_get_tgt(pt));
	start(o, "file");
	attr(o, "id", "f1");
	attr(o, "original", original);
	start(o, "skeleton");
	attr(o, "href", original);
	end(o);
	start(o, "mda:metadata");
	start(o, "mda:metaGroup");
	attr(o, "category", "hexalign");
	meta(o, "tool", "hexalign");
	meta(o, "tool-version", hx_version());
	if (checksum)
		meta(o, "checksum", checksum);
	snprintf(min, sizeof(min), "%d", hx_pt_get_min(pt));
	meta(o, "min-score", min);
	end(o);
	end(o);
	for (size_t i = 0, n = hx_pt_count(pt); i < n;) {
		size_t j = i + 1;
		while (j < n && !strcmp(hx_pt_get(pt, j)->unit_id,
					hx_pt_get(pt, i)->unit_id))
			j++;
		v2_unit(o, pt, i, j);
		i = j;
	}
	end(o);
	end(o);
}

/* ---- XLIFF 1.2 ------------------------------------------------------- */

static void v1_unit(struct out *o, const hx_pt *pt, size_t si)
{
	const hx_pt_segment *s = hx_pt_get(pt, si);
	const char *src = hx_pt_get_src(pt), *tgt = hx_pt_get_tgt(pt);
	static const char *const qual[] = {
	    "exact-match", "exact-match", "fuzzy-match", "fuzzy-match",
	    "fuzzy-match", "fuzzy-match", "fuzzy-match", "leveraged-inherited"};

	start(o, "trans-unit");
	attr(o, "id", s->id);
	if (s->target)
		attr(o, "approved", approved(s) ? "yes" : "no");
	seg_text(o, "source", src, pt, si, si, false, true);
	if (s->target && s->ncodes) {
		/* The state goes on the element coded_elem() opens: write
		 * it by hand here instead. */
		start(o, "target");
		attr(o, "xml:lang", tgt);
		attr(o, "state",
		     approved(s) ? "translated" : "needs-review-translation");
		attr(o, "state-qualifier", qual[s->band]);
		char *coded = NULL;
		const char *t = s->target_coded;
		if (!t && hx__inline_coded(&coded, s->target, strlen(s->target),
					   NULL, 0))
			t = coded;
		if (t)
			coded_inner(o, pt, si, si, t, true);
		free(coded);
		end(o);
		indent(o, true);
	} else if (s->target) {
		start(o, "target");
		attr(o, "xml:lang", tgt);
		attr(o, "state",
		     approved(s) ? "translated" : "needs-review-translation");
		attr(o, "state-qualifier",
		     s->numbers_fixed && s->band != HX_PT_REPETITION
			 ? "leveraged-tm"
			 : qual[s->band]);
		if (xmlTextWriterWriteString(o->w,
					     BAD_CAST clean(o, s->target)) < 0)
			o->bad = true;
		end(o);
	}
	if (s->target) {
		char why[160] = "";
		if (s->penalty) {
			strcpy(why, "; ");
			penalty_words(why + 2, sizeof(why) - 2, s);
		}
		start(o, "note");
		attr(o, "from", "hexalign");
		if (xmlTextWriterWriteFormatString(
			o->w, "%s match (%d%%)%s%s", how(s),
			s->score > 100 ? 101 : s->score,
			s->numbers_fixed ? ", numbers replaced from the source"
					 : "",
			clean(o, why)) < 0)
			o->bad = true;
		end(o);
		if (s->match_source) {
			start(o, "alt-trans");
			attr_int(o, "match-quality", s->score);
			if (s->origin && *s->origin)
				attr(o, "origin", s->origin);
			text_elem(o, "source", src, s->match_source);
			text_elem(o, "target", tgt, s->target);
			end(o);
		}
	}
	end(o);
}

static void write_v1(struct out *o, const hx_pt *pt, const char *original,
		     const char *checksum)
{
	start(o, "xliff");
	attr(o, "xmlns", XLIFF1_NS);
	attr(o, "version", "1.2");
	start(o, "file");
	attr(o, "original", original);
	attr(o, "source-language", hx_pt_get_src(pt));
	attr(o, "target-language", hx_pt_get_tgt(pt));
	attr(o, "datatype", "x-docx");
	attr(o, "tool-id", "hexalign");
	start(o, "header");
	start(o, "skl");
	start(o, "external-file");
	attr(o, "href", original);
	if (checksum)
		attr(o, "crc", checksum);
	end(o);
	end(o);
	start(o, "tool");
	attr(o, "tool-id", "hexalign");
	attr(o, "tool-name", "hexalign");
	attr(o, "tool-version", hx_version());
	end(o);
	end(o);
	start(o, "body");
	for (size_t i = 0, n = hx_pt_count(pt); i < n; i++) {
		const hx_pt_segment *s = hx_pt_get(pt, i);
		if (i == 0 ||
		    strcmp(s->unit_id, hx_pt_get(pt, i - 1)->unit_id)) {
			if (i)
				end(o);
			start(o, "group");
			attr(o, "id", s->unit_id);
		}
		v1_unit(o, pt, i);
	}
	if (hx_pt_count(pt))
		end(o);
	end(o);
	end(o);
	end(o);
}

int hx_xliff_write(const hx_pt *pt, const char *path,
		   const hx_xliff_write_options *opts, hx_error *err)
{
	hx_xliff_write_options def;
	struct out o = {0};
	xmlBufferPtr xb = NULL;
	const char *original;
	int rc = HX_OK;

	assert(pt && path);
	if (!opts) {
		hx_xliff_write_options_init(&def);
		opts = &def;
	}
	original = opts->original ? opts->original : "document";
	if (opts->checksum &&
	    !hx__utf8_valid(opts->checksum, strlen(opts->checksum), NULL))
		return hx__error_set(err, HX_EINVAL,
				     "%s: checksum is not UTF-8", path);
	if (!hx__utf8_valid(original, strlen(original), NULL))
		return hx__error_set(err, HX_EINVAL,
				     "%s: the original's name is not UTF-8",
				     path);
	xmlInitParser();
	if (!(xb = xmlBufferCreate()) || !(o.w = xmlNewTextWriterMemory(xb, 0)))
		goto oom;
	if (xmlTextWriterSetIndent(o.w, 1) < 0 ||
	    xmlTextWriterSetIndentString(o.w, BAD_CAST " ") < 0 ||
	    xmlTextWriterStartDocument(o.w, "1.0", "UTF-8", NULL) < 0)
		goto oom;
	if (opts->version == HX_XLIFF_12)
		write_v1(&o, pt, original, opts->checksum);
	else
		write_v2(&o, pt, original, opts->checksum);
	if (o.bad || xmlTextWriterEndDocument(o.w) < 0)
		goto oom;
	xmlFreeTextWriter(o.w);
	o.w = NULL;
	if (!strcmp(path, "-")) {
		size_t len = (size_t)xmlBufferLength(xb);
		if (fwrite(xmlBufferContent(xb), 1, len, stdout) != len ||
		    fflush(stdout) != 0)
			rc = hx__error_set(err, HX_EIO,
					   "standard output: write failed");
	} else {
		rc = replace_file(path, xmlBufferContent(xb),
				  (size_t)xmlBufferLength(xb), err);
	}
	goto done;
oom:
	rc = hx__error_set(err, HX_ENOMEM, "%s: out of memory", path);
done:
	if (o.w)
		xmlFreeTextWriter(o.w);
	if (xb)
		xmlBufferFree(xb);
	free(o.buf);
	return rc;
}
