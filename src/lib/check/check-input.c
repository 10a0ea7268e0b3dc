/*
 * check-input.c - what the bilingual checks read: the pairs of an aligned
 * TMX, of a translated XLIFF, or of a document aligned here with its
 * translation, each pair pointing at the line an editor would open. For
 * TMX and XLIFF the two sides are also made documents (one block a
 * segment, at its line), so the one-language checks read the target.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hexalign/hexalign.h>

#include "base/error-private.h"

struct hx_check_input {
	hx_check_pair *v;
	size_t n, cap;
	/* texts are copied: the TMX reader lends them for one callback */
	char **owned;
	size_t nowned;
	hx_doc *doc[2]; /* source, target: TMX and XLIFF only */
	/* an XLIFF's pairs borrow its segments' codes */
	hx_xliff *xliff;
	char lang[2][32];
};

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s ? s : "", n);
		d[n] = '\0';
	}
	return d;
}

static int pairs_add(hx_check_input *p, const char *file, size_t line,
		     const char *src, size_t sl, const char *tgt, size_t tl)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		hx_check_pair *v = realloc(p->v, cap * sizeof(*v));
		char **o = realloc(p->owned, 2 * cap * sizeof(*o));
		if (v)
			p->v = v;
		if (o)
			p->owned = o;
		if (!v || !o)
			return -1;
		p->cap = cap;
	}
	char *s = dup_n(src, sl), *t = dup_n(tgt, tl);
	if (!s || !t) {
		free(s);
		free(t);
		return -1;
	}
	p->owned[p->nowned++] = s;
	p->owned[p->nowned++] = t;
	p->v[p->n++] = (hx_check_pair){.file = file,
				       .line = line,
				       .src = s,
				       .src_len = sl,
				       .tgt = t,
				       .tgt_len = tl};
	return 0;
}

void hx_check_input_free(hx_check_input *p)
{
	if (!p)
		return;
	hx_doc_free(p->doc[0]);
	hx_doc_free(p->doc[1]);
	hx_xliff_free(p->xliff);
	for (size_t i = 0; i < p->nowned; i++)
		free(p->owned[i]);
	free(p->owned);
	free(p->v);
	free(p);
}

/* "en" matches "en", "en-US", "EN_gb". */
static bool lang_is(const char *tag, const char *want)
{
	size_t n = strlen(want);
	if (strncasecmp(tag, want, n))
		return false;
	return tag[n] == '\0' || tag[n] == '-' || tag[n] == '_';
}

struct tmx_ctx {
	hx_check_input *pairs;
	const char *path, *src, *tgt;
	hx_doc *src_doc, *tgt_doc;
};

static int on_unit(void *payload, const hx_tmx_header_read *hdr,
		   const hx_tmx_unit *tu, hx_error *err)
{
	struct tmx_ctx *c = payload;
	const hx_tmx_tuv_read *s = NULL, *t = NULL;

	(void)hdr;
	for (size_t i = 0; i < tu->ntuvs; i++) {
		if (!s && lang_is(tu->tuvs[i].lang, c->src))
			s = &tu->tuvs[i];
		else if (!t && lang_is(tu->tuvs[i].lang, c->tgt))
			t = &tu->tuvs[i];
	}
	if (!s || !t)
		return HX_OK; /* this unit does not hold the pair */
	if (pairs_add(c->pairs, c->path, tu->line, s->text, s->len, t->text,
		      t->len) < 0 ||
	    hx_doc_add_block(c->src_doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0,
			     s->text, s->len, tu->line, err) < 0 ||
	    hx_doc_add_block(c->tgt_doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0,
			     t->text, t->len, tu->line, err) < 0) {
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	return HX_OK;
}

/* The language of one side of an XLIFF: the option, else the file's,
 * normalised as the memory stores it ("zh-CN" -> "zh"). NULL (with a
 * message) when neither names a usable code. */
static int xliff_lang(char *buf, size_t size, const char *given,
		      const char *in_file, const char *path, const char *side,
		      const char *opt, hx_error *err)
{
	if (given)
		in_file = given;
	else if (!in_file || !*in_file)
		return hx__error_set(err, HX_EINVAL,
				     "%s: the file names no %s language; "
				     "give %s LANG",
				     path, side, opt);
	hx_tm_lang_norm(buf, size, in_file);
	if (!hx_lang_code_valid(buf))
		return hx__error_set(err, HX_EINVAL,
				     "%s: %s language '%s' is not a language "
				     "code; give %s LANG",
				     path, side, in_file, opt);
	return HX_OK;
}

/* Every segment of an XLIFF becomes a pair pointing at its <target>
 * line; a segment without a target (not translated yet) is an empty
 * target at its <source> line, which bi-empty reports. The pair's codes
 * are the segment's, borrowed from x (kept with the pairs). The targets also
 * make a document for the one-language checks, with the same lines. */
static int xliff_pairs(hx_check_input *p, hx_doc *src_doc, hx_doc *tgt_doc,
		       const hx_xliff *x, const char *path, hx_error *err)
{
	for (size_t i = 0; i < hx_xliff_count(x); i++) {
		const hx_xliff_seg *g = hx_xliff_get(x, i);
		const char *t = g->target ? g->target : "";
		size_t line = g->target ? g->target_line : g->source_line;
		size_t sl = strlen(g->source), tl = strlen(t);
		if (pairs_add(p, path, line, g->source, sl, t, tl) < 0) {
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		}
		hx_check_pair *q = &p->v[p->n - 1];
		q->src_coded = g->source_coded;
		q->src_codes = g->source_codes;
		q->nsrc_codes = g->nsource_codes;
		if (g->target) {
			q->tgt_coded = g->target_coded;
			q->tgt_codes = g->target_codes;
			q->ntgt_codes = g->ntarget_codes;
		}
		int rc =
		    hx_doc_add_block(src_doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0,
				     g->source, sl, g->source_line, err);
		if (rc < 0 ||
		    (rc = hx_doc_add_block(tgt_doc, HX_BLOCK_PARAGRAPH, 0, NULL,
					   0, t, tl, line, err)) < 0)
			return rc;
	}
	return HX_OK;
}

/* The sentences [start, start+n) of one side, joined as the language
 * writes them (no space between Chinese sentences). */
static char *join(const hx_sentences *s, size_t start, size_t n, size_t *len)
{
	bool spaced = strncmp(hx_sentences_get_lang(s), "zh", 2) != 0;
	size_t total = 1;
	char *b, *p;

	for (size_t k = 0; k < n; k++) {
		size_t l;
		hx_sentences_get(s, start + k, &l);
		total += l + 1;
	}
	if (!(b = p = malloc(total)))
		return NULL;
	for (size_t k = 0; k < n; k++) {
		size_t l;
		const char *t = hx_sentences_get(s, start + k, &l);
		if (k && spaced)
			*p++ = ' ';
		memcpy(p, t, l);
		p += l;
	}
	*p = '\0';
	*len = (size_t)(p - b);
	return b;
}

static int input_new(hx_check_input **out, const char *src_lang,
		     const char *tgt_lang, hx_error *err)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if (src_lang)
		snprintf((*out)->lang[0], sizeof((*out)->lang[0]), "%s",
			 src_lang);
	if (tgt_lang)
		snprintf((*out)->lang[1], sizeof((*out)->lang[1]), "%s",
			 tgt_lang);
	return HX_OK;
}

int hx_check_input_tmx(hx_check_input **out, const char *path,
		       const char *src_lang, const char *tgt_lang,
		       hx_error *err)
{
	hx_check_input *in = NULL;
	int rc;

	assert(out && path && src_lang && tgt_lang);
	*out = NULL;
	if ((rc = input_new(&in, src_lang, tgt_lang, err)) < 0)
		return rc;
	struct tmx_ctx tc = {in, path, src_lang, tgt_lang, NULL, NULL};
	if ((rc = hx_doc_new(&in->doc[0], path, err)) < 0 ||
	    (rc = hx_doc_new(&in->doc[1], path, err)) < 0)
		goto fail;
	tc.src_doc = in->doc[0];
	tc.tgt_doc = in->doc[1];
	if ((rc = hx_tmx_read(path, NULL, on_unit, &tc, err)) < 0)
		goto fail;
	if (!in->n) {
		rc = hx__error_set(err, HX_ENOTFOUND,
				   "%s: no unit holds both '%s' and '%s'", path,
				   src_lang, tgt_lang);
		goto fail;
	}
	*out = in;
	return HX_OK;
fail:
	hx_check_input_free(in);
	return rc;
}

int hx_check_input_xliff(hx_check_input **out, const char *path,
			 const char *src_lang, const char *tgt_lang,
			 hx_error *err)
{
	hx_check_input *in = NULL;
	hx_xliff *x = NULL;
	int rc;

	assert(out && path);
	*out = NULL;
	if ((rc = hx_xliff_read(&x, path, err)) < 0)
		return rc;
	if ((rc = input_new(&in, NULL, NULL, err)) < 0 ||
	    (rc = xliff_lang(in->lang[0], sizeof(in->lang[0]), src_lang,
			     hx_xliff_get_src(x), path, "source", "-s", err)) <
		0 ||
	    (rc = xliff_lang(in->lang[1], sizeof(in->lang[1]), tgt_lang,
			     hx_xliff_get_tgt(x), path, "target", "-t", err)) <
		0 ||
	    (rc = hx_doc_new(&in->doc[0], path, err)) < 0 ||
	    (rc = hx_doc_new(&in->doc[1], path, err)) < 0 ||
	    (rc = xliff_pairs(in, in->doc[0], in->doc[1], x, path, err)) < 0)
		goto fail;
	if (!in->n) {
		rc = hx__error_set(err, HX_ENOTFOUND, "%s: no segment to check",
				   path);
		goto fail;
	}
	in->xliff = x; /* the pairs borrow its codes */
	*out = in;
	return HX_OK;
fail:
	hx_xliff_free(x);
	hx_check_input_free(in);
	return rc;
}

/* Make pairs of the beads that have both sides. */
static int bead_pairs(hx_check_input *in, const hx_alignment *al,
		      const hx_sentences *ss, const hx_sentences *ts,
		      const char *tgt_path, hx_error *err)
{
	for (size_t i = 0; i < hx_alignment_count(al); i++) {
		const hx_bead *b = hx_alignment_get(al, i);
		size_t sl, tl;
		char *s, *t;
		/* 1-0 and 0-1 beads are where the aligner found no partner,
		 * not proof of a missing translation: left out. */
		if (!b->src_n || !b->tgt_n)
			continue;
		s = join(ss, b->src_start, b->src_n, &sl);
		t = join(ts, b->tgt_start, b->tgt_n, &tl);
		int bad = !s || !t ||
			  pairs_add(in, tgt_path,
				    hx_sentences_get_line(ts, b->tgt_start), s,
				    sl, t, tl) < 0;
		free(s);
		free(t);
		if (bad)
			return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	return HX_OK;
}

int hx_check_input_align(hx_check_input **out, const hx_doc *src,
			 const char *src_lang, const hx_doc *tgt,
			 const char *tgt_lang,
			 const hx_check_align_options *opts, hx_error *err)
{
	hx_check_input *in = NULL;
	hx_sentences *ss = NULL, *ts = NULL;
	hx_alignment *al = NULL;
	hx_lexicon *lex = NULL;
	hx_align_options ao;
	int rc;

	assert(out && src && src_lang && tgt && tgt_lang);
	*out = NULL;
	hx_align_options_init(&ao);
	if ((rc = input_new(&in, src_lang, tgt_lang, err)) < 0 ||
	    (rc = hx_sentences_from_doc(&ss, src, src_lang, NULL, err)) < 0 ||
	    (rc = hx_sentences_from_doc(&ts, tgt, tgt_lang, NULL, err)) < 0)
		goto done;
	if (opts && opts->lexicon_dir &&
	    (rc = hx_lexicon_load_pair(&lex, opts->lexicon_dir, src_lang,
				       tgt_lang, err)) < 0 &&
	    rc != HX_ENOTFOUND)
		goto done;
	if ((rc = hx_align_run(&al, ss, ts, lex, &ao, err)) < 0)
		goto done;
	if (hx_alignment_unrelated(al) && opts && opts->warn) {
		char msg[1024];
		snprintf(msg, sizeof(msg),
			 "%s and %s may not be versions of the same document "
			 "(same-document likelihood %.2f)",
			 hx_doc_get_path(src), hx_doc_get_path(tgt),
			 hx_alignment_same_document(al));
		opts->warn(opts->payload, msg);
	}
	rc = bead_pairs(in, al, ss, ts, hx_doc_get_path(tgt), err);
done:
	hx_alignment_free(al);
	hx_lexicon_free(lex);
	hx_sentences_free(ss);
	hx_sentences_free(ts);
	if (rc < 0) {
		hx_check_input_free(in);
		return rc;
	}
	*out = in;
	return HX_OK;
}

const hx_check_pair *hx_check_input_pairs(const hx_check_input *in, size_t *n)
{
	assert(in && n);
	*n = in->n;
	return in->v;
}

const hx_doc *hx_check_input_get_doc(const hx_check_input *in, int side)
{
	assert(in && (side == 0 || side == 1));
	return in->doc[side];
}

const char *hx_check_input_get_lang(const hx_check_input *in, int side)
{
	assert(in && (side == 0 || side == 1));
	return in->lang[side];
}
