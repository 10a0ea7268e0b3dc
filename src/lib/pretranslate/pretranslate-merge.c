/*
 * pretranslate-merge.c - the merge of a pre-translation's XLIFF back into
 * its DOCX: the segments' ids name the paragraph each came from, so they
 * are put back in document order, grouped by paragraph and handed to
 * hx_docx_fill(). Reading the XLIFF is xliff-read.c's job, writing the
 * DOCX docx-write.c's; this module only places the segments.
 *
 * A CAT tool may write units in another order (sorted by id as strings,
 * "p10" before "p2"; moved by a translator; split files joined), so the
 * order of the file is not trusted: ids are parsed into numbers and
 * sorted. They are made by pretranslate.c's add_block(): "p12s2" is
 * sentence 2 of body paragraph 12, "fn3s1" / "en3s1" of paragraph 3 of
 * footnotes.xml / endnotes.xml, and "p12b5s1" block 5 of a second block
 * on line 12 (formats other than DOCX only).
 *
 * A target's inline codes name the paragraph's codes by id; what they
 * were (a link's relationship id) is read again from the DOCX itself,
 * not trusted to the XLIFF, which a 1.2 file cannot carry anyway.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>
#include <hexalign/xliff.h>

#include "base/error-private.h"
#include "formats/docx-write.h"

struct key {
	hx_docx_part part;
	size_t line, block, sentence; /* block: 0 none, else bN + 1 */
	const hx_xliff_seg *seg;
};

/* A decimal number without leading zero (a lone "0" when zero_ok), as
 * add_block() prints them, so one place has one spelling. */
static bool number(const char **p, size_t *v, bool zero_ok)
{
	const char *s = *p;
	size_t n = 0;

	if (*s < '0' || *s > '9' || (*s == '0' && !zero_ok))
		return false;
	if (*s == '0') {
		*v = 0;
		*p = s + 1;
		return s[1] < '0' || s[1] > '9';
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > (SIZE_MAX - 9) / 10)
			return false;
		n = n * 10 + (size_t)(*s - '0');
	}
	*v = n;
	*p = s;
	return true;
}

/* "p12s2", "fn3s1", "en3s1", "p12b5s1"; false for any other id. */
static bool parse_id(const char *id, struct key *k)
{
	const char *p = id;

	memset(k, 0, sizeof(*k));
	if (!strncmp(p, "fn", 2)) {
		k->part = HX_DOCX_FOOTNOTES;
		p += 2;
	} else if (!strncmp(p, "en", 2)) {
		k->part = HX_DOCX_ENDNOTES;
		p += 2;
	} else if (*p == 'p') {
		k->part = HX_DOCX_BODY;
		p++;
	} else {
		return false;
	}
	if (!number(&p, &k->line, false))
		return false;
	if (*p == 'b') {
		p++;
		if (!number(&p, &k->block, true) || k->block == SIZE_MAX)
			return false;
		k->block++;
	}
	return *p++ == 's' && number(&p, &k->sentence, false) && !*p;
}

static int cmp_size(size_t a, size_t b)
{
	return (a > b) - (a < b);
}

static int cmp_key(const void *x, const void *y)
{
	const struct key *a = x, *b = y;
	int c;

	if ((c = cmp_size(a->part, b->part)) ||
	    (c = cmp_size(a->line, b->line)) ||
	    (c = cmp_size(a->block, b->block)))
		return c;
	return cmp_size(a->sentence, b->sentence);
}

/* The block of paragraph `line` of part, or NULL. */
static const hx_block *block_at(const hx_doc *doc, hx_docx_part part,
				size_t line)
{
	for (size_t i = 0, n = doc ? hx_doc_count(doc) : 0; i < n; i++) {
		const hx_block *b = hx_doc_get_block(doc, i);
		if (b->line == line && hx_docx_part_of(b->kind) == part)
			return b;
	}
	return NULL;
}

/* Codes read from the XLIFF (a target's, or an untranslated source's)
 * with the data of the paragraph's codes of the same id (borrowed from
 * doc), into *out (free() the array only). */
static bool with_data(hx_inline **out, const hx_inline *codes, size_t n,
		      const hx_block *b)
{
	hx_inline *v = calloc(n, sizeof(*v));

	if (!(*out = v))
		return false;
	for (size_t k = 0; k < n; k++) {
		v[k] = codes[k];
		for (size_t j = 0; b && j < b->ncodes; j++)
			if (b->codes[j].id == v[k].id &&
			    b->codes[j].kind != HX_INLINE_CLOSE) {
				v[k].data = b->codes[j].data;
				/* The paragraph knows its codes' types
				 * better than an XLIFF tool that renamed
				 * them. */
				v[k].type = b->codes[j].type;
				break;
			}
	}
	return true;
}

int hx__xliff_merge_segs(const char *xlf_path, const char *tgt,
			 const hx_xliff_seg *segs, size_t n,
			 const char *docx_path, const char *out_path,
			 hx_docx_fill_stats *stats, hx_error *err)
{
	const char *join = hx_pt_joiner(tgt);
	struct key *keys = NULL;
	hx_inline **codes = NULL;
	hx_doc *doc = NULL;
	bool coded = false;
	hx__draft d;
	int rc;

	assert(xlf_path && (segs || !n) && docx_path && out_path);
	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (n && !(keys = calloc(n, sizeof(*keys))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (!parse_id(segs[i].id, &keys[i])) {
			rc = hx__error_set(err, HX_EFORMAT,
					   "%s:%zu: segment id '%s' names no "
					   "paragraph (not written by hexalign "
					   "pretranslate?)",
					   xlf_path, segs[i].line, segs[i].id);
			free(keys);
			return rc;
		}
		keys[i].seg = &segs[i];
	}
	if (n)
		qsort(keys, n, sizeof(*keys), cmp_key);
	for (size_t i = 0; i < n; i++)
		coded = coded || segs[i].ntarget_codes || segs[i].nsource_codes;
	if (coded) {
		hx_read_options ro;
		hx_read_options_init(&ro);
		ro.format = HX_FORMAT_DOCX;
		if ((rc = hx_read_file(&doc, docx_path, &ro, err)) < 0) {
			free(keys);
			return rc;
		}
		if (!(codes = calloc(n, sizeof(*codes)))) {
			hx_doc_free(doc);
			free(keys);
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		}
	}
	if ((rc = hx__draft_init(&d, n, err)) < 0)
		goto done;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		bool any = false;
		while (j < n && keys[j].part == keys[i].part &&
		       keys[j].line == keys[i].line)
			j++;
		for (size_t k = i; k < j; k++) {
			const hx_xliff_seg *s = keys[k].seg;
			bool has = s->target && *s->target;
			any = any || has;
			/* A sentence left untranslated keeps its runs
			 * beside translated ones. */
			const char *text =
			    has ? s->target_coded : s->source_coded;
			const hx_inline *sc =
			    has ? s->target_codes : s->source_codes;
			size_t nc = has ? s->ntarget_codes : s->nsource_codes;
			if (nc) {
				if (!with_data(&codes[k], sc, nc,
					       block_at(doc, keys[k].part,
							keys[k].line))) {
					rc = hx__error_set(err, HX_ENOMEM,
							   "out of memory");
					goto fail;
				}
				hx__draft_add_coded(&d, join, text, false,
						    codes[k], nc);
				continue;
			}
			hx__draft_add(&d, join, has ? s->target : s->source,
				      false);
		}
		hx__draft_close(&d, keys[i].part, keys[i].line, any);
		i = j;
	}
	rc = hx_docx_fill(docx_path, out_path, d.paras, d.np, stats, err);
fail:
	hx__draft_fini(&d);
done:
	for (size_t i = 0; codes && i < n; i++)
		free(codes[i]);
	free(codes);
	hx_doc_free(doc);
	free(keys);
	return rc;
}
