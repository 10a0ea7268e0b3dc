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
#include "base/grow.h"
#include "base/inline.h"
#include "base/text.h"
#include "pretranslate/pt-numbers.h"
#include "tm/tm-codes.h"

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
	free((char *)s->target_coded);
	hx__inline_free((hx_inline *)s->codes, s->ncodes);
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

/* Whether the pair opened by b->codes[i] and closed at its `end` overlaps
 * [s, e). */
static bool pair_in(const hx_inline *c, size_t s, size_t e)
{
	return c->start < e && c->end > s;
}

/*
 * The codes of block b that fall into the sentence [s, e), offsets made
 * relative to s, into *out. A pair that crosses the sentence's boundary
 * is cut there: each sentence gets a whole pair of its own (same id and
 * type), so every segment's codes nest properly on their own, as XLIFF
 * wants inside a segment, and the draft puts the formatting back on both
 * halves. A lone code belongs to the sentence it starts in, one right at
 * a sentence's end (a note reference after its full stop) to that one.
 */
static int sentence_codes(hx_inline **out, size_t *n, const hx_block *b,
			  size_t s, size_t e)
{
	hx_inline *v = NULL;
	size_t cap = 0, k = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < b->ncodes; i++) {
		hx_inline c = b->codes[i];
		if (c.kind == HX_INLINE_CLOSE) {
			size_t j = i;
			while (j-- > 0 &&
			       !(b->codes[j].kind == HX_INLINE_OPEN &&
				 b->codes[j].id == c.id))
				;
			if (j == (size_t)-1 || !pair_in(&b->codes[j], s, e))
				continue;
			c.start = c.end = (c.start < e ? c.start : e) - s;
		} else if (c.kind == HX_INLINE_OPEN) {
			if (!pair_in(&c, s, e))
				continue;
			c.start = (c.start > s ? c.start : s) - s;
			c.end = (c.end < e ? c.end : e) - s;
		} else {
			if (c.start < s || c.start > e ||
			    (c.start == e && c.end > c.start))
				continue;
			c.start -= s;
			c.end = (c.end < e ? c.end : e) - s;
		}
		if (hx__grow((void **)&v, &cap, k + 1, sizeof(*v)) < 0)
			goto oom;
		v[k] = c;
		if (!hx__inline_set(&v[k++], c.data, c.disp))
			goto oom;
	}
	*out = v;
	*n = k;
	return HX_OK;
oom:
	hx__inline_free(v, k);
	return HX_ENOMEM;
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
		if (b->ncodes &&
		    sentence_codes((hx_inline **)&s->codes, &s->ncodes, b,
				   spans[k].start, spans[k].end) < 0)
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

/* One sentence again: the same text with the same codes in the same
 * places (their data aside), or its target's codes would be wrong. */
static bool same_segment(const hx_pt_segment *a, const hx_pt_segment *b)
{
	if (strcmp(a->source, b->source) || a->ncodes != b->ncodes)
		return false;
	for (size_t k = 0; k < a->ncodes; k++)
		if (a->codes[k].kind != b->codes[k].kind ||
		    a->codes[k].type != b->codes[k].type ||
		    a->codes[k].start != b->codes[k].start ||
		    a->codes[k].end != b->codes[k].end)
			return false;
	return true;
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
		       !same_segment(&pt->segs[tab[h]], &pt->segs[i]))
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

/* ---- the memory's codes on the new source ---------------------------- */

/* Index of the CLOSE of the pair opened by codes[o], or n. */
static size_t close_of(const hx_inline *codes, size_t n, size_t o)
{
	for (size_t i = o + 1; i < n; i++)
		if (codes[i].kind == HX_INLINE_CLOSE &&
		    codes[i].id == codes[o].id)
			return i;
	return n;
}

/* The k-th code of `kind` group: pairs (OPEN) or lone codes. */
static size_t nth_code(const hx_inline *codes, size_t n, bool lone, size_t k)
{
	for (size_t i = 0; i < n; i++)
		if ((lone ? codes[i].kind == HX_INLINE_STANDALONE
			  : codes[i].kind == HX_INLINE_OPEN) &&
		    !k--)
			return i;
	return n;
}

static bool tm_lone(hx_tmx_code_kind k)
{
	return k == HX_TMX_CODE_PH || k == HX_TMX_CODE_IT ||
	       k == HX_TMX_CODE_UT;
}

/*
 * The memory target's placeholders renumbered onto the new source's
 * codes, into *out: the source's j-th pair is the memory source's j-th
 * bpt (in its text's order), whose i names the target's bpt and ept; its
 * j-th lone code the memory source's j-th ph/it/ut, whose x (or, without
 * one, the order) names the target's. false when that does not give each
 * code exactly one place with every pair opened before it closes:
 * differing counts, a <hi>, an unpaired code.
 */
static bool map_codes(char **out, const hx_pt_segment *s, const char *msrc,
		      const char *mtgt, const hx__tm_code *sc, size_t nsc,
		      const hx__tm_code *tc, size_t ntc)
{
	size_t nb = 0, nl = 0, want_b = 0, want_l = 0, len = strlen(mtgt),
	       o = 0;
	size_t lone_seen = 0;
	const hx__tm_code *bseq[64], *lseq[64];
	unsigned char used[256] = {0};
	char *d;

	*out = NULL;
	if (s->ncodes > sizeof(used))
		return false;
	for (size_t i = 0; i < s->ncodes; i++) {
		want_b += s->codes[i].kind == HX_INLINE_OPEN;
		want_l += s->codes[i].kind == HX_INLINE_STANDALONE;
	}
	/* The memory source's codes in the order its text has them. */
	for (size_t i = 0, n = strlen(msrc); i < n;) {
		uint32_t c = hx__utf8_next(msrc, n, &i);
		if (!hx__is_code_char(c) || c - HX__CODE_BASE >= nsc)
			continue;
		const hx__tm_code *k = &sc[c - HX__CODE_BASE];
		if (k->kind == HX_TMX_CODE_BPT && nb < 64)
			bseq[nb++] = k;
		else if (tm_lone(k->kind) && nl < 64)
			lseq[nl++] = k;
		else if (k->kind != HX_TMX_CODE_EPT)
			return false;
	}
	if (nb != want_b || nl != want_l)
		return false;
	if (!(d = malloc(len + 3 * s->ncodes + 1)))
		return false;
	for (size_t i = 0; i < len;) {
		size_t at = i, mine = s->ncodes;
		uint32_t c = hx__utf8_next(mtgt, len, &i);
		if (!hx__is_code_char(c)) {
			memcpy(d + o, mtgt + at, i - at);
			o += i - at;
			continue;
		}
		if (c - HX__CODE_BASE >= ntc)
			goto fail;
		const hx__tm_code *k = &tc[c - HX__CODE_BASE];
		if (k->kind == HX_TMX_CODE_BPT || k->kind == HX_TMX_CODE_EPT) {
			for (size_t j = 0; j < nb && mine == s->ncodes; j++)
				if (!strcmp(bseq[j]->pair, k->pair) && *k->pair)
					mine = nth_code(s->codes, s->ncodes,
							false, j);
			if (mine < s->ncodes && k->kind == HX_TMX_CODE_EPT)
				mine = close_of(s->codes, s->ncodes, mine);
		} else if (tm_lone(k->kind)) {
			size_t j = lone_seen++;
			for (size_t q = 0; *k->pair && q < nl; q++)
				if (!strcmp(lseq[q]->pair, k->pair))
					j = q;
			mine = nth_code(s->codes, s->ncodes, true, j);
		}
		if (mine >= s->ncodes || used[mine]++)
			goto fail;
		/* A CLOSE before its OPEN is no placement at all. */
		if (s->codes[mine].kind == HX_INLINE_CLOSE) {
			size_t j = mine;
			while (j-- > 0 &&
			       !(s->codes[j].kind == HX_INLINE_OPEN &&
				 s->codes[j].id == s->codes[mine].id))
				;
			if (j == (size_t)-1 || !used[j])
				goto fail;
		}
		o += hx__utf8_put(d + o, HX__CODE_BASE + (uint32_t)mine);
	}
	for (size_t i = 0; i < s->ncodes; i++)
		if (!used[i])
			goto fail;
	d[o] = '\0';
	*out = d;
	return true;
fail:
	free(d);
	return false;
}

static bool has_code_char(const char *s)
{
	for (size_t i = 0, n = strlen(s); i < n;)
		if (hx__is_code_char(hx__utf8_next(s, n, &i)))
			return true;
	return false;
}

/* s (NULL: "") without its placeholders; NULL: no memory. */
static char *dup_plain(const char *s)
{
	char *d = NULL;

	return hx__inline_plain(&d, s ? s : "", NULL, 0) ? d : NULL;
}

/* The target without the memory's placeholders, the source's codes
 * after it: every code kept, none placed. */
static bool append_codes(char **out, const hx_pt_segment *s, const char *mtgt)
{
	char *plain = dup_plain(mtgt), *d;
	size_t o;

	*out = NULL;
	if (!plain)
		return false;
	o = strlen(plain);
	if (!(d = realloc(plain, o + 3 * s->ncodes + 1))) {
		free(plain);
		return false;
	}
	for (size_t k = 0; k < s->ncodes && k < HX__CODE_MAX; k++)
		o += hx__utf8_put(d + o, HX__CODE_BASE + (uint32_t)k);
	d[o] = '\0';
	*out = d;
	return true;
}

/* Give a target the source's codes (see hx_pt_segment.target_coded). */
static int place_codes(hx_pt *pt, hx_pt_segment *s, hx_tm *tm,
		       const hx_tm_match *best, hx_error *err)
{
	hx__tm_code *sc = NULL, *tc = NULL;
	size_t nsc = 0, ntc = 0;
	char *coded = NULL, *plain = NULL;
	bool any = false;
	int rc = HX_OK;

	any = has_code_char(s->target);
	if (any &&
	    ((rc = hx__tm_unit_codes(&sc, &nsc, tm, best->unit, pt->src, err)) <
		 0 ||
	     (rc = hx__tm_unit_codes(&tc, &ntc, tm, best->unit, pt->tgt, err)) <
		 0))
		goto done;
	if (!any ||
	    !map_codes(&coded, s, best->source, s->target, sc, nsc, tc, ntc)) {
		if (!append_codes(&coded, s, s->target))
			goto oom;
		s->codes_appended = true;
		if (s->score > 99)
			s->score = 99;
	}
	if (!hx__inline_plain(&plain, coded, s->codes, s->ncodes))
		goto oom;
	free((char *)s->target);
	s->target = plain;
	s->target_coded = coded;
	coded = NULL;
	goto done;
oom:
	rc = hx__error_set(err, HX_ENOMEM, "out of memory");
done:
	free(coded);
	free(sc);
	free(tc);
	return rc;
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
	/* A sentence with codes is asked for as the memory keeps coded
	 * text (placeholders in order), so a unit with the same codes
	 * scores 100; a plain unit scores better asked for plainly, and
	 * then loses its 100 below when its target cannot take the codes. */
	if (s->ncodes) {
		hx_tm_results *plain = NULL;
		char *q = NULL;
		if (!hx__inline_coded(&q, s->source, strlen(s->source),
				      s->codes, s->ncodes))
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		rc = hx_tm_lookup(&r, tm, pt->src, pt->tgt, q, strlen(q), &lo,
				  err);
		free(q);
		if (rc < 0)
			return rc;
		if (!hx_tm_results_count(r) ||
		    hx_tm_results_get(r, 0)->score < 100) {
			if ((rc = hx_tm_lookup(&plain, tm, pt->src, pt->tgt,
					       s->source, strlen(s->source),
					       &lo, err)) < 0) {
				hx_tm_results_free(r);
				return rc;
			}
			if (hx_tm_results_count(plain) &&
			    (!hx_tm_results_count(r) ||
			     hx_tm_results_get(plain, 0)->score >
				 hx_tm_results_get(r, 0)->score)) {
				hx_tm_results_free(r);
				r = plain;
			} else {
				hx_tm_results_free(plain);
			}
		}
	} else if ((rc = hx_tm_lookup(&r, tm, pt->src, pt->tgt, s->source,
				      strlen(s->source), &lo, err)) < 0) {
		return rc;
	}
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
	/* People read the memory's source in the XLIFF and the report:
	 * its placeholders are no text (the match's own codes are not
	 * written; the target carries the new source's). */
	if (!(s->match_source = dup_plain(best->source)) ||
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
	if (s->ncodes) {
		if ((rc = place_codes(pt, s, tm, best, err)) < 0)
			goto done;
	} else if (has_code_char(s->target)) {
		/* The memory's formatting has nowhere to go in a plain
		 * sentence; its placeholders must not reach the XLIFF
		 * or the draft as characters. */
		char *plain = dup_plain(s->target);
		if (!plain)
			goto oom;
		free((char *)s->target);
		s->target = plain;
	}
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
	s->codes_appended = f->codes_appended;
	pt->extra[i] = pt->extra[s->repeat_of];
	if ((f->target && !(s->target = strdup(f->target))) ||
	    (f->match_source && !(s->match_source = strdup(f->match_source))) ||
	    (f->origin && !(s->origin = strdup(f->origin))) ||
	    (f->penalty_reason &&
	     !(s->penalty_reason = strdup(f->penalty_reason))) ||
	    (f->target_coded && !(s->target_coded = strdup(f->target_coded))))
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
		s->target_coded = NULL;
		s->codes = NULL;
		s->ncodes = 0;
		if (g->repeat_of != SIZE_MAX && g->repeat_of >= i) {
			hx_pt_free(pt);
			return hx__error_set(err, HX_EINVAL,
					     "segment %zu: repeat_of %zu is "
					     "not an earlier segment",
					     i, g->repeat_of);
		}
		s->ncodes = g->ncodes;
		if (!g->id || !g->unit_id || !g->source ||
		    !(s->id = strdup(g->id)) ||
		    !(s->unit_id = strdup(g->unit_id)) ||
		    !(s->source = strdup(g->source)) ||
		    (g->target && !(s->target = strdup(g->target))) ||
		    (g->match_source &&
		     !(s->match_source = strdup(g->match_source))) ||
		    (g->origin && !(s->origin = strdup(g->origin))) ||
		    (g->penalty_reason &&
		     !(s->penalty_reason = strdup(g->penalty_reason))) ||
		    (g->target_coded &&
		     !(s->target_coded = strdup(g->target_coded))) ||
		    !hx__inline_dup((hx_inline **)&s->codes, g->codes,
				    g->ncodes)) {
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
