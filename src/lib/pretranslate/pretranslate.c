/*
 * pretranslate/ - a new document against the memory: matches and the
 * analysis (pretranslate.c), the report (pretranslate-report.c), and the
 * merge of a translated XLIFF back into the DOCX (pretranslate-merge.c).
 *
 * pretranslate.c - a new document against the memory: its sentences, the
 * best match of each, context matches, repetitions, numbers carried over
 * from the new source into a near-exact target, and the counts of the
 * analysis. Writing the results (XLIFF, DOCX, reports) is other modules'
 * job; this one only decides.
 *
 * Context (101) needs to know what the memory saw around a sentence. The
 * memory keeps no neighbours, but an aligned document is stored as
 * consecutive units of one origin, so an exact match whose neighbours'
 * exact matches are the units just before and after its own, from the same
 * origin, is a sentence the memory has seen in this very context: that is
 * the definition CAT tools use (same previous and next segment), checked
 * without a schema change.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>
#include <hexalign/pretranslate.h>

#include "base/error-private.h"
#include "base/text.h"
#include "pretranslate/pt-numbers.h"

/* Look-ups go this low so the analysis can fill its 50-74 band. Every
 * distinct sentence costs one look-up on the caller's one handle (so the
 * memory's cache of compact forms, loaded on a handle's second look-up,
 * serves them all); repetitions copy their first occurrence and the
 * context check reuses the exact units each look-up returned. At 1M units
 * 2,000 segments take ~5 s (bench/pretranslate-speed.sh), against 66 s
 * before the memory found exact matches through a whole-segment gram. */
#define ANALYSIS_MIN 50
/* Exact matches kept per sentence for the context check: the same source
 * may be stored in several units with different neighbours. */
#define MAX_EXACT 4

struct seg_extra {
	int64_t exact[MAX_EXACT]; /* units of the exact matches */
	size_t nexact;
};

struct hx_pt {
	hx_pt_segment *segs;
	struct seg_extra *extra;
	size_t n, cap;
	char src[16], tgt[16];
	int min;
	bool exact_over_rep; /* hx_pt_options.exact_over_repetitions */
};

static const char *const band_names[HX_PT_NBANDS] = {
    "context", "exact", "95-99",    "85-94",
    "75-84",   "50-74", "no-match", "repetition"};

const char *hx_pt_band_name(hx_pt_band band)
{
	return band < HX_PT_NBANDS ? band_names[band] : "no-match";
}

hx_pt_band hx_pt_band_of(int score)
{
	if (score > 100)
		return HX_PT_CONTEXT;
	if (score == 100)
		return HX_PT_EXACT;
	if (score >= 95)
		return HX_PT_95;
	if (score >= 85)
		return HX_PT_85;
	if (score >= 75)
		return HX_PT_75;
	if (score >= 50)
		return HX_PT_50;
	return HX_PT_NOMATCH;
}

void hx_pt_options_init(hx_pt_options *opts)
{
	assert(opts);
	memset(opts, 0, sizeof(*opts));
	opts->min_score = 75;
}

const char *hx_pt_joiner(const char *lang)
{
	return lang && (!strncmp(lang, "zh", 2) || !strncmp(lang, "ja", 2))
		   ? ""
		   : " ";
}

/* ---- counting words -------------------------------------------------- */

static bool is_ideograph(uint32_t c)
{
	return (c >= 0x3040 && c <= 0x30FF) || /* kana */
	       (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* Punctuation and symbols that end a word: ASCII, Latin-1, General
 * Punctuation, CJK punctuation, fullwidth forms, Arabic marks. */
static bool is_punct(uint32_t c)
{
	if (c < 0x80)
		return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			 (c >= 'A' && c <= 'Z'));
	return (c >= 0xA1 && c <= 0xBF && c != 0xAA && c != 0xB5 &&
		c != 0xBA) ||
	       c == 0xD7 || c == 0xF7 || (c >= 0x2010 && c <= 0x205E) ||
	       (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) ||
	       (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
	       (c >= 0xFF5B && c <= 0xFF65) || c == 0x060C || c == 0x061B ||
	       c == 0x061F || (c >= 0x066A && c <= 0x066D) || c == 0x06D4 ||
	       (c >= 0xE000 && c <= 0xF8FF); /* inline-code placeholders */
}

/* Marks inside a word rather than between words: "1,200.5", "don't",
 * "self-determination" count once, as CAT tools count them. */
static bool is_joiner(uint32_t c)
{
	return c == '.' || c == ',' || c == '\'' || c == '-' || c == 0x2019 ||
	       c == 0x2011;
}

void hx_pt_count_text(const char *s, size_t len, size_t *words,
		      size_t *characters)
{
	size_t w = 0, ch = 0, i = 0;
	bool in_word = false;

	while (i < len) {
		uint32_t c = hx__utf8_next(s, len, &i);
		if (hx__is_space(c)) {
			in_word = false;
			continue;
		}
		ch++;
		if (is_ideograph(c)) {
			w++;
			in_word = false;
		} else if (is_punct(c)) {
			/* A joiner keeps the word going only between two of
			 * its characters. */
			if (in_word && is_joiner(c) && i < len) {
				size_t j = i;
				uint32_t d = hx__utf8_next(s, len, &j);
				if (!hx__is_space(d) && !is_punct(d) &&
				    !is_ideograph(d))
					continue;
			}
			in_word = false;
		} else if (!in_word) {
			w++;
			in_word = true;
		}
	}
	*words = w;
	*characters = ch;
}

/* ---- the result ------------------------------------------------------ */

static void seg_fini(hx_pt_segment *s)
{
	free((char *)s->id);
	free((char *)s->unit_id);
	free((char *)s->source);
	free((char *)s->target);
	free((char *)s->match_source);
	free((char *)s->origin);
	free((char *)s->penalty_reason);
}

void hx_pt_free(hx_pt *pt)
{
	if (!pt)
		return;
	for (size_t i = 0; i < pt->n; i++)
		seg_fini(&pt->segs[i]);
	free(pt->segs);
	free(pt->extra);
	free(pt);
}

size_t hx_pt_count(const hx_pt *pt)
{
	assert(pt);
	return pt->n;
}

const hx_pt_segment *hx_pt_get(const hx_pt *pt, size_t i)
{
	assert(pt);
	return i < pt->n ? &pt->segs[i] : NULL;
}

const char *hx_pt_get_src(const hx_pt *pt)
{
	return pt->src;
}

const char *hx_pt_get_tgt(const hx_pt *pt)
{
	return pt->tgt;
}

int hx_pt_get_min(const hx_pt *pt)
{
	return pt->min;
}

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static char *dup0(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A new zeroed segment at the end, or NULL when memory runs out. */
static hx_pt_segment *push(hx_pt *pt)
{
	if (pt->n == pt->cap) {
		size_t nc = pt->cap ? pt->cap * 2 : 64;
		hx_pt_segment *ns = realloc(pt->segs, nc * sizeof(*ns));
		struct seg_extra *ne;
		if (!ns)
			return NULL;
		pt->segs = ns;
		if (!(ne = realloc(pt->extra, nc * sizeof(*ne))))
			return NULL;
		pt->extra = ne;
		pt->cap = nc;
	}
	memset(&pt->segs[pt->n], 0, sizeof(pt->segs[0]));
	memset(&pt->extra[pt->n], 0, sizeof(pt->extra[0]));
	pt->segs[pt->n].repeat_of = SIZE_MAX;
	return &pt->segs[pt->n++];
}

static hx_pt *pt_new(const char *src, const char *tgt, int min)
{
	hx_pt *pt = calloc(1, sizeof(*pt));

	if (!pt)
		return NULL;
	hx_tm_lang_norm(pt->src, sizeof(pt->src), src);
	hx_tm_lang_norm(pt->tgt, sizeof(pt->tgt), tgt);
	pt->min = min;
	return pt;
}

/* Band and target rules once scores and repetitions are known. */
static void settle(hx_pt *pt)
{
	for (size_t i = 0; i < pt->n; i++) {
		hx_pt_segment *s = &pt->segs[i];
		hx_pt_band b = hx_pt_band_of(s->score);
		if (s->repeat_of != SIZE_MAX && b != HX_PT_CONTEXT &&
		    (b != HX_PT_EXACT || !pt->exact_over_rep))
			b = HX_PT_REPETITION;
		s->band = b;
		hx_pt_count_text(s->source, strlen(s->source), &s->words,
				 &s->characters);
	}
}

/* ---- segments of the document ---------------------------------------- */

static const char *unit_prefix(hx_block_kind k)
{
	return k == HX_BLOCK_FOOTNOTE  ? "fn"
	       : k == HX_BLOCK_ENDNOTE ? "en"
				       : "p";
}

static int add_block(hx_pt *pt, const hx_doc *doc, size_t bi, hx_segmenter *sg,
		     hx_error *err)
{
	const hx_block *b = hx_doc_get_block(doc, bi);
	const hx_block *prev = bi ? hx_doc_get_block(doc, bi - 1) : NULL;
	hx_span *spans = NULL;
	size_t n = 0;
	char unit[48], id[96];
	int rc;

	if ((rc = hx_segmenter_split(&spans, &n, sg, b->text, b->text_len,
				     err)) < 0)
		return rc;
	/* Readers give each paragraph its own line; any format that does
	 * not (two blocks on one line) still gets unique ids. */
	if (prev && prev->line == b->line &&
	    !strcmp(unit_prefix(prev->kind), unit_prefix(b->kind)))
		snprintf(unit, sizeof(unit), "%s%zub%zu", unit_prefix(b->kind),
			 b->line, bi);
	else
		snprintf(unit, sizeof(unit), "%s%zu", unit_prefix(b->kind),
			 b->line);
	for (size_t k = 0; k < n; k++) {
		hx_pt_segment *s = push(pt);
		if (!s)
			goto oom;
		snprintf(id, sizeof(id), "%ss%zu", unit, k + 1);
		s->block = bi;
		s->para = b->line;
		s->sentence = k + 1;
		s->kind = b->kind;
		if (!(s->id = strdup(id)) || !(s->unit_id = strdup(unit)) ||
		    !(s->source = dupn(b->text + spans[k].start,
				       spans[k].end - spans[k].start)))
			goto oom;
	}
	free(spans);
	return HX_OK;
oom:
	free(spans);
	return hx__error_set(err, HX_ENOMEM, "out of memory");
}

/* Repetitions: an open-addressing table of first occurrences by text. */
static uint64_t fnv(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

static int mark_repetitions(hx_pt *pt, hx_error *err)
{
	size_t cap = 16, *tab;

	while (cap < pt->n * 2)
		cap *= 2;
	if (!(tab = malloc(cap * sizeof(*tab))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (size_t i = 0; i < cap; i++)
		tab[i] = SIZE_MAX;
	for (size_t i = 0; i < pt->n; i++) {
		size_t h = (size_t)fnv(pt->segs[i].source) & (cap - 1);
		while (tab[h] != SIZE_MAX &&
		       strcmp(pt->segs[tab[h]].source, pt->segs[i].source))
			h = (h + 1) & (cap - 1);
		if (tab[h] == SIZE_MAX)
			tab[h] = i;
		else
			pt->segs[i].repeat_of = tab[h];
	}
	free(tab);
	return HX_OK;
}

/* ---- look-ups -------------------------------------------------------- */

/* Two leading paragraph numbers (hx__pt_para_number() lengths) alike. */
static bool same_label(const char *a, size_t la, const char *b, size_t lb)
{
	while (la && (a[la - 1] == ' ' || a[la - 1] == '\t'))
		la--;
	while (lb && (b[lb - 1] == ' ' || b[lb - 1] == '\t'))
		lb--;
	return la == lb && !memcmp(a, b, la);
}

static int lookup(hx_pt *pt, size_t i, hx_tm *tm, hx_error *err)
{
	hx_pt_segment *s = &pt->segs[i];
	struct seg_extra *x = &pt->extra[i];
	hx_tm_lookup_options lo;
	hx_tm_results *r = NULL;
	const hx_tm_match *best;
	int rc;

	hx_tm_lookup_options_init(&lo);
	lo.min_score = pt->min < ANALYSIS_MIN ? pt->min : ANALYSIS_MIN;
	lo.max = MAX_EXACT;
	if ((rc = hx_tm_lookup(&r, tm, pt->src, pt->tgt, s->source,
			       strlen(s->source), &lo, err)) < 0)
		return rc;
	if (!hx_tm_results_count(r))
		goto done;
	best = hx_tm_results_get(r, 0);
	s->score = best->score;
	s->diff_kinds = best->diff_kinds;
	s->penalty = best->penalty;
	for (size_t k = 0; k < hx_tm_results_count(r); k++) {
		const hx_tm_match *m = hx_tm_results_get(r, k);
		if (m->score == 100 && strcmp(m->origin, best->origin) == 0)
			x->exact[x->nexact++] = m->unit;
	}
	rc = HX_ENOMEM;
	if (!(s->match_source = dup0(best->source)) ||
	    !(s->origin = dup0(best->origin)) ||
	    (best->penalty &&
	     !(s->penalty_reason = dup0(best->penalty_reason))))
		goto oom;
	rc = HX_OK;
	if (s->score < pt->min)
		goto done;
	/* A paragraph number the memory's sentence had ("39. ") and the
	 * new one has not comes off the target too, when the target starts
	 * with the same number; the numbers are then compared without it. */
	const char *msrc = best->source, *mtgt = best->target;
	size_t ls = hx__pt_para_number(msrc), lt = hx__pt_para_number(mtgt);
	if (ls && lt && !hx__pt_para_number(s->source) &&
	    same_label(msrc, ls, mtgt, lt)) {
		msrc += ls;
		mtgt += lt;
	}
	/* The numbers are the text's business: a 99 lowered for its
	 * alignment still differs from the new source in numbers only. */
	if (s->score + s->penalty == 99 &&
	    (s->diff_kinds & HX_MATCH_DIFF_NUMBERS) &&
	    !(s->diff_kinds & (HX_MATCH_DIFF_WORDS | HX_MATCH_DIFF_TAGS))) {
		char *fixed = NULL;
		bool certain;
		if ((rc = hx__pt_fix_numbers(&fixed, &certain, pt->src,
					     s->source, msrc, mtgt, err)) < 0)
			goto done;
		s->numbers_fixed = certain;
		s->numbers_unfixed = !certain;
		s->target = fixed;
	}
	if (!s->target && !(s->target = dup0(mtgt)))
		goto oom;
done:
	hx_tm_results_free(r);
	return rc;
oom:
	hx_tm_results_free(r);
	return hx__error_set(err, HX_ENOMEM, "out of memory");
}

/* A repetition takes its first occurrence's match. */
static int copy_match(hx_pt *pt, size_t i, hx_error *err)
{
	hx_pt_segment *s = &pt->segs[i];
	const hx_pt_segment *f = &pt->segs[s->repeat_of];

	s->score = f->score;
	s->diff_kinds = f->diff_kinds;
	s->numbers_fixed = f->numbers_fixed;
	s->numbers_unfixed = f->numbers_unfixed;
	s->penalty = f->penalty;
	pt->extra[i] = pt->extra[s->repeat_of];
	if ((f->target && !(s->target = strdup(f->target))) ||
	    (f->match_source && !(s->match_source = strdup(f->match_source))) ||
	    (f->origin && !(s->origin = strdup(f->origin))) ||
	    (f->penalty_reason &&
	     !(s->penalty_reason = strdup(f->penalty_reason))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	return HX_OK;
}

/* Whether one of a's exact units sits at offset d from one of b's. */
static bool adjacent(const struct seg_extra *a, const struct seg_extra *b,
		     int64_t d)
{
	for (size_t i = 0; i < a->nexact; i++)
		for (size_t j = 0; j < b->nexact; j++)
			if (b->exact[j] - a->exact[i] == d)
				return true;
	return false;
}

static bool same_origin(const hx_pt_segment *a, const hx_pt_segment *b)
{
	return a->origin && b->origin && !strcmp(a->origin, b->origin);
}

static void mark_context(hx_pt *pt)
{
	if (pt->n < 2)
		return;
	for (size_t i = 0; i < pt->n; i++) {
		const hx_pt_segment *s = &pt->segs[i];
		bool ok = s->score == 100;
		if (ok && i > 0)
			ok = pt->segs[i - 1].score >= 100 &&
			     same_origin(s, &pt->segs[i - 1]) &&
			     adjacent(&pt->extra[i], &pt->extra[i - 1], -1);
		if (ok && i + 1 < pt->n)
			ok = pt->segs[i + 1].score >= 100 &&
			     same_origin(s, &pt->segs[i + 1]) &&
			     adjacent(&pt->extra[i], &pt->extra[i + 1], 1);
		/* The neighbours compare with >= 100: one already
		 * promoted to 101 is still an exact match. */
		if (ok)
			pt->segs[i].score = 101;
	}
}

int hx_pretranslate(hx_pt **out, const hx_doc *doc, hx_tm *tm, const char *src,
		    const char *tgt, const hx_pt_options *opts, hx_error *err)
{
	hx_pt_options def;
	hx_segmenter *sg = NULL;
	hx_pt *pt = NULL;
	size_t nb;
	int rc;

	assert(out && doc && tm && src && tgt);
	*out = NULL;
	if (!opts) {
		hx_pt_options_init(&def);
		opts = &def;
	}
	if (opts->min_score < 0 || opts->min_score > 100)
		return hx__error_set(err, HX_EINVAL,
				     "minimum score %d is not within 0-100",
				     opts->min_score);
	if (!(pt = pt_new(src, tgt, opts->min_score)))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	pt->exact_over_rep = opts->exact_over_repetitions;
	if ((rc = hx_segmenter_new(&sg, pt->src, opts->srx, err)) < 0)
		goto fail;
	nb = hx_doc_count(doc);
	for (size_t i = 0; i < nb; i++)
		if ((rc = add_block(pt, doc, i, sg, err)) < 0)
			goto fail;
	if ((rc = mark_repetitions(pt, err)) < 0)
		goto fail;
	for (size_t i = 0; i < pt->n; i++) {
		rc = pt->segs[i].repeat_of == SIZE_MAX ? lookup(pt, i, tm, err)
						       : copy_match(pt, i, err);
		if (rc < 0)
			goto fail;
		if (opts->progress && (i % 64 == 0 || i + 1 == pt->n))
			opts->progress(opts->payload, i + 1, pt->n);
	}
	mark_context(pt);
	settle(pt);
	hx_segmenter_free(sg);
	*out = pt;
	return HX_OK;
fail:
	hx_segmenter_free(sg);
	hx_pt_free(pt);
	return rc;
}

int hx_pt_from_segments(hx_pt **out, const hx_pt_segment *segs, size_t n,
			const char *src, const char *tgt, int min_score,
			hx_error *err)
{
	hx_pt *pt;

	assert(out && (segs || !n) && src && tgt);
	*out = NULL;
	if (!(pt = pt_new(src, tgt, min_score)))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const hx_pt_segment *g = &segs[i];
		hx_pt_segment *s = push(pt);
		if (!s)
			goto oom;
		*s = *g;
		s->id = s->unit_id = s->source = s->target = NULL;
		s->match_source = s->origin = s->penalty_reason = NULL;
		if (g->repeat_of != SIZE_MAX && g->repeat_of >= i) {
			hx_pt_free(pt);
			return hx__error_set(err, HX_EINVAL,
					     "segment %zu: repeat_of %zu is "
					     "not an earlier segment",
					     i, g->repeat_of);
		}
		if (!g->id || !g->unit_id || !g->source ||
		    !(s->id = strdup(g->id)) ||
		    !(s->unit_id = strdup(g->unit_id)) ||
		    !(s->source = strdup(g->source)) ||
		    (g->target && !(s->target = strdup(g->target))) ||
		    (g->match_source &&
		     !(s->match_source = strdup(g->match_source))) ||
		    (g->origin && !(s->origin = strdup(g->origin))) ||
		    (g->penalty_reason &&
		     !(s->penalty_reason = strdup(g->penalty_reason)))) {
			if (!g->id || !g->unit_id || !g->source) {
				hx_pt_free(pt);
				return hx__error_set(err, HX_EINVAL,
						     "segment %zu: id, unit_id "
						     "and source are required",
						     i);
			}
			goto oom;
		}
	}
	settle(pt);
	*out = pt;
	return HX_OK;
oom:
	hx_pt_free(pt);
	return hx__error_set(err, HX_ENOMEM, "out of memory");
}

void hx_pt_analyse(hx_pt_analysis *a, const hx_pt *pt)
{
	assert(a && pt);
	memset(a, 0, sizeof(*a));
	for (size_t i = 0; i < pt->n; i++) {
		const hx_pt_segment *s = &pt->segs[i];
		hx_pt_counts *c = &a->band[s->band];
		c->segments++;
		c->words += s->words;
		c->characters += s->characters;
		a->total.segments++;
		a->total.words += s->words;
		a->total.characters += s->characters;
	}
}
