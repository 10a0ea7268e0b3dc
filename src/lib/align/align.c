/*
 * align.c - sentence alignment: two sequences of sentences -> beads.
 *
 * Model. A bead groups a source sentences with b target sentences
 * (a, b in 0..3, the ten shapes of `shapes` below). Its cost is low when
 * its words translate each other, its lengths fit the pair's length ratio,
 * and it respects paragraph structure; the alignment is the sequence of
 * beads of least total cost, found by dynamic programming over (i, j)
 * (Gale and Church 1993, "A program for aligning sentences in bilingual
 * corpora", Computational Linguistics 19(1), section 3).
 *
 * Lexical evidence replaces Gale-Church's length-only model, which fails
 * between English and Chinese. As in Champollion (Ma 2006, "Champollion: a
 * robust parallel text sentence aligner", LREC), a sentence is a bag of
 * words weighted by inverse document frequency within its own document,
 * so rare content words and anchors count and function words barely do.
 * Every sentence gets a "cover": the ids of words on the other side it
 * can be matched with (its own words, for identical tokens such as names
 * and Latin acronyms in Chinese text; their lexicon translations; its
 * typed anchors, see anchor.c). The similarity of a bead is the weighted
 * share of the words of both sides that the other side covers: 1 when
 * everything is accounted for, 0 when nothing is.
 *
 * Chinese has no spaces: it is cut into words by forward maximum matching
 * against the lexicon's Chinese side (unknown characters stand alone),
 * which is all the lexicon needs.
 *
 * Lexicon learning: after a first alignment, word pairs that co-occur in
 * confident beads far more than chance (Dice coefficient, as in Smadja et
 * al. 1996 and Moore 2002's second pass) are added to the covers and the
 * pair is aligned again, so document terms missing from the dictionary
 * ("CWG-COP" written out, 利益攸关方 / stakeholders) count.
 *
 * Two levels. When both sides have paragraphs (blocks), the blocks are
 * aligned first with the same model, each block one unit, so paragraph
 * labels ("1.1", "a)"), headings and whole-paragraph vocabulary decide;
 * sentences are then aligned only inside block beads (rect_ok()), so no
 * bead can join sentences of paragraphs that do not correspond. Inside a
 * level, beads that span a paragraph start or an inline label still pay
 * (structure_cost()), which keeps pre-segmented text with inline
 * paragraph numbers in shape too.
 *
 * Speed. Full dynamic programming is O(n m). Here pass 1 runs in a band
 * around the diagonal the cumulative character lengths predict (1-1 and
 * skips only), widened and rerun when its path comes near the band's edge;
 * pass 2 runs all shapes in a narrow band around pass 1's path. Both are
 * linear in document length for a fixed band.
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>

#include <hexalign/align.h>

#include "align/anchor.h"
#include "align/lexicon.h"
#include "base/error-private.h"
#include "base/intern.h"
#include "base/text.h"
#include "segment/sentences.h"

/* Bead shapes (source count, target count) and their prior costs. 1-1 is
 * by far the most frequent bead in real translations (about 90% in Gale
 * and Church's and in the Champollion gold); the others pay for their
 * rarity. The values were set on the Champollion UN/Hansard/Sinorama gold
 * and the Bible (../shared/data/gold-align), see the closing notes. */
static const struct shape {
	int a, b;
	double prior;
} shapes[] = {
    {1, 1, 0.0}, {1, 0, 0.0},  {0, 1, 0.0},  {1, 2, 0.25}, {2, 1, 0.25},
    {2, 2, 0.6}, {1, 3, 0.55}, {3, 1, 0.55}, {2, 3, 1.1},  {3, 2, 1.1},
};
#define NSHAPES (sizeof(shapes) / sizeof(shapes[0]))

/* The cost of a bead mixes two views of how well its sides explain each
 * other (COST_MIX weighs them): the coverage of each sentence (one badly
 * covered sentence makes a bead expensive, so a stray heading is left
 * out rather than glued to a neighbour) and the coverage of the bead as a
 * whole (short sentences with few dictionary words do not sink a bead
 * that is right overall). COV_SMOOTH keeps a sentence with almost no
 * weighted words from counting as fully uncovered. */
#define COST_MIX   0.6
#define COV_SMOOTH 2.0
/* Leaving a sentence unaligned costs SKIP_COST in pass 1; then the median
 * uncovered share of a sentence in pass 1's 1-1 beads plus SKIP_MARGIN, kept
 * within [SKIP_MIN, SKIP_MAX] (see calibrate()). */
#define SKIP_COST   0.72
#define SKIP_MARGIN 0.2
#define SKIP_MIN    0.5
#define SKIP_MAX    1.0
/* Weight of the squared log ratio of bead lengths (in characters, against
 * the document pair's own ratio), and its smoothing in characters: short
 * sentences vary more (Gale and Church 1993, section 2, found the
 * variance of lengths grows with length; a constant added to both sides
 * has the same effect on a ratio). */
#define LEN_WEIGHT 0.35
#define LEN_SMOOTH 12.0
/* Once the pair's own length model is fitted (fit_length()), the penalty
 * is the squared z-score of the log ratio, capped at LEN_Z_CAP (a bad fit
 * is evidence, not proof), less LEN_Z_EVEN (a bead whose lengths fit
 * better than that earns a bonus over leaving its sentences out), scaled
 * by LEN_Z_SCALE. Set on the UN dev set pairs with joins and omissions
 * (bench/align-un.sh) against Champollion and the Bible. */
#define LEN_Z_CAP 16.0
/* The bonus is paid once per bead at this weight (per-sentence weight 1
 * would be (a + b) / 2). Scaled with the bead's size, the bonus paid a 1-3
 * bead for taking in a Chinese sub-heading or a table fragment that the
 * other side leaves out (Champollion 0.943 -> 0.947, Bible 0.906 ->
 * 0.907; UN joins of sentences stay >= 0.98, see bench/align-un.txt). */
#define LEN_BONUS_BEAD 0.6
#define LEN_Z_EVEN     4.0
#define LEN_Z_SCALE    0.08
/* Structure: a bead spanning two paragraphs (or an inline paragraph
 * label), starting a paragraph on one side only, whose paragraph labels
 * agree or disagree, pairing a heading with body text. */
#define CROSS_COST 1.2
/* A paragraph label written inside the text (pre-segmented input keeps
 * "9." at the start of a line) is weaker evidence of a paragraph start
 * than a real one: a joined line carries the next label inline. */
#define INLINE_LABEL_COST 0.2
#define START_COST	  0.35
#define LABEL_BONUS	  0.6
#define LABEL_COST	  0.8
#define HEADING_COST	  0.3
/* Learning: a word pair seen together in at least LEARN_MIN beads with a
 * Dice coefficient of LEARN_DICE or more joins the covers; one round. */
#define LEARN_MIN    3
#define LEARN_DICE   0.4
#define LEARN_PASSES 1

#define BAND_MIN       30
#define BAND2	       8
#define MAX_ANCHOR_TOK 64

struct feat {
	uint32_t *tok; /* unique token ids, sorted */
	float *tw;     /* weight of each (count x idf) */
	uint32_t ntok;
	/* Source sentences only: the ids on the target side each token can
	 * match (itself, its translations, learned partners): cov[c] is
	 * matched by token covk[c]. */
	uint32_t *cov;
	uint8_t *covk;
	uint32_t ncov;
	float wsum;
	float chars;
	size_t block;
	bool bstart, heading;
	const char *label;
	/* A label at the start of the sentence itself ("22.", "(a)"), as in
	 * pre-segmented text where paragraph numbers stay inline. */
	char plabel[16];
};

/* A set of token positions of one sentence (sentences keep at most
 * MAX_TOK tokens, see side_weights). */
struct m128 {
	uint64_t w[2];
};

#define MAX_TOK 128

/* Pair masks for the cells of pass 2's band: for source x and target y,
 * xy = tokens of x matched in y, yx = tokens of y matched by x. */
struct pcache {
	size_t *ylo, *ny, *base;
	struct m128 *xy, *yx;
	size_t n;
};

/* Block bead k covers source sentences [s0[k], s1[k]) and target
 * sentences [t0[k], t1[k]); rs/rt give each sentence its k. */
struct rects {
	size_t n;
	size_t *s0, *s1, *t0, *t1;
	size_t *rs, *rt;
};

struct side {
	const hx_sentences *s;
	struct feat *f;
	size_t n;
	double chars_total;
	double *cum; /* cum[i]: chars of sentences before i */
};

struct aligner {
	struct side side[2];
	hx__intern *voc;
	const hx_lexicon *lex;
	double ratio; /* target chars per source char */
	double skip;  /* cost of an unaligned sentence, see calibrate() */
	/* The pair's length model, see fit_length(). */
	bool len_on;
	double len_mu, len_a, len_b;
	double *logtab[2];
	bool structure;
	/* stamp[id]: which tokens of the current source sentence match id */
	struct m128 *stamp;
	size_t nstamp;
	struct pcache pc;
	/* Two-level alignment: the block beads, as rectangles of sentence
	 * ranges a sentence bead must stay inside (NULL: one level). */
	const struct rects *rects;
};

struct hx_alignment {
	hx_bead *v;
	size_t n;
	double confidence;
	double same_doc;
};

void hx_align_options_init(hx_align_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->learn = true;
	opts->structure = true;
}

/* ---- features ---------------------------------------------------------- */

struct tokbuf {
	uint32_t *v;
	size_t n, cap;
};

static bool tb_push(struct tokbuf *b, uint32_t id)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		uint32_t *v = realloc(b->v, cap * sizeof(*v));
		if (!v)
			return false;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = id;
	return true;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

static bool is_han(uint32_t c)
{
	UErrorCode st = U_ZERO_ERROR;
	return uscript_getScript((UChar32)c, &st) == USCRIPT_HAN;
}

static bool word_char(uint32_t c)
{
	return u_isalpha((UChar32)c) ||
	       u_hasBinaryProperty((UChar32)c, UCHAR_DIACRITIC) ||
	       u_charType((UChar32)c) == U_NON_SPACING_MARK ||
	       u_charType((UChar32)c) == U_COMBINING_SPACING_MARK;
}

static int add_word(struct aligner *al, struct tokbuf *b, const char *lang,
		    const char *w, size_t len)
{
	char key[256];
	size_t n = hx__word_key(key, sizeof(key), lang, w, len);
	if (!n)
		return HX_OK;
	int64_t id = hx__intern_add(al->voc, key, n);
	if (id < 0 || !tb_push(b, (uint32_t)id))
		return HX_ENOMEM;
	return HX_OK;
}

/* Chinese: forward maximum matching of a Han run against the lexicon side
 * that holds Chinese; characters it does not know stand alone. */
static int add_han_run(struct aligner *al, struct tokbuf *b, int lexside,
		       const char *s, size_t len)
{
	size_t maxc = al->lex ? hx__lex_max_chars(al->lex, lexside) : 1;
	size_t i = 0;

	if (maxc > 8)
		maxc = 8;
	if (maxc < 1)
		maxc = 1;
	while (i < len) {
		size_t ends[9] = {0}, k = 0, j = i, take;
		ends[0] = i;
		while (j < len && k < maxc) {
			hx__utf8_next(s, len, &j);
			ends[++k] = j;
		}
		take = 1;
		for (size_t c = k; c > 1 && al->lex; c--)
			if (hx__lex_find(al->lex, lexside, s + i,
					 ends[c] - i) >= 0) {
				take = c;
				break;
			}
		int64_t id = hx__intern_add(al->voc, s + i, ends[take] - i);
		if (id < 0 || !tb_push(b, (uint32_t)id))
			return HX_ENOMEM;
		i = ends[take];
	}
	return HX_OK;
}

static int tokenize(struct aligner *al, struct tokbuf *b, const char *lang,
		    int lexside, const char *s, size_t len)
{
	bool unspaced = hx__lang_unspaced(lang);
	size_t i = 0;
	int rc;

	while (i < len) {
		size_t start = i;
		uint32_t c = hx__utf8_next(s, len, &i);
		if (unspaced && is_han(c)) {
			size_t end = i;
			while (end < len) {
				size_t k = end;
				if (!is_han(hx__utf8_next(s, len, &k)))
					break;
				end = k;
			}
			if ((rc = add_han_run(al, b, lexside, s + start,
					      end - start)) < 0)
				return rc;
			i = end;
			continue;
		}
		if (!word_char(c) || is_han(c))
			continue;
		size_t end = i;
		bool latin = c < 0x250;
		while (end < len) {
			size_t k = end;
			uint32_t d = hx__utf8_next(s, len, &k);
			if (!word_char(d) || is_han(d) ||
			    (unspaced && d >= 0x250))
				break;
			end = k;
		}
		/* Latin words inside Chinese text are keyed as English, so
		 * they meet the same word in the English version. */
		const char *wl = unspaced && latin ? "en" : lang;
		if ((rc = add_word(al, b, wl, s + start, end - start)) < 0)
			return rc;
		i = end;
	}
	return HX_OK;
}

static int add_anchors(struct aligner *al, struct tokbuf *b, const char *lang,
		       const char *s, size_t len)
{
	hx__anchor *a = NULL;
	size_t n = 0;
	int rc = HX_OK;

	if (hx__anchors_find(&a, &n, lang, s, len) < 0)
		return HX_ENOMEM;
	for (size_t k = 0; k < n && k < MAX_ANCHOR_TOK; k++) {
		char key[10];
		key[0] = '\x01';
		key[1] = (char)a[k].type;
		memcpy(key + 2, &a[k].key, 8);
		int64_t id = hx__intern_add(al->voc, key, sizeof(key));
		if (id < 0 || !tb_push(b, (uint32_t)id)) {
			rc = HX_ENOMEM;
			break;
		}
	}
	free(a);
	return rc;
}

/* A paragraph label opening a sentence: "22. ", "1.1 ", "(a) ", "b) ",
 * "(iii) ", also after an opening quote and with full-width brackets.
 * Writes the label's letters and digits ("22", "1.1", "a") into buf;
 * returns its length, 0 when there is none. A label must be followed by
 * white space, so "3.5 per cent" is not one but "3. The" is. */
static size_t label_scan(const char *s, size_t len, char *buf, size_t cap)
{
	size_t i = 0, n = 0, k;
	bool paren = false;
	uint32_t c;

	while (i < len) { /* opening quotes */
		k = i;
		c = hx__utf8_next(s, len, &k);
		if (c != '"' && c != 0x201C && c != 0x2018 && c != 0xAB &&
		    c != '\'')
			break;
		i = k;
	}
	if (i < len) {
		k = i;
		c = hx__utf8_next(s, len, &k);
		if (c == '(' || c == 0xFF08)
			paren = true, i = k;
	}
	size_t alnum = 0;
	bool digits = false, letters = false;
	while (i < len && n + 2 < cap) {
		k = i;
		c = hx__utf8_next(s, len, &k);
		if (c >= '0' && c <= '9') {
			digits = true;
		} else if (c >= 'a' && c <= 'z') {
			letters = true;
		} else if (c == '.' && alnum && !paren && k < len &&
			   s[k] >= '0' && s[k] <= '9') {
			/* 1.1: a dot between digits belongs to the label */
		} else {
			break;
		}
		buf[n++] = (char)c;
		alnum++;
		i = k;
	}
	if (!alnum || (digits && letters) || (letters && alnum > 4) ||
	    (digits && alnum > 6) || i >= len)
		return 0;
	k = i;
	c = hx__utf8_next(s, len, &k);
	if (paren ? (c != ')' && c != 0xFF09)
		  : (c != '.' && c != ')' && !(digits && hx__is_space(c))))
		return 0;
	if (!hx__is_space(c)) {
		if (k >= len)
			return 0;
		size_t k2 = k;
		if (!hx__is_space(hx__utf8_next(s, len, &k2)))
			return 0;
	}
	/* A bare number followed by a space ("1992 was") is not a label:
	 * require the dot or bracket for numbers over 3 digits. */
	if (digits && hx__is_space(c) && alnum > 3)
		return 0;
	buf[n] = '\0';
	return n;
}

/* label_scan() writes as it goes: a failed scan must leave no half
 * label behind ("et" of "et que" is not a label). */
static size_t leading_label(const char *s, size_t len, char *buf, size_t cap)
{
	size_t n = label_scan(s, len, buf, cap);
	if (!n)
		buf[0] = '\0';
	return n;
}

static size_t count_chars(const char *s, size_t len)
{
	size_t i = 0, n = 0;
	while (i < len)
		if (!hx__is_space(hx__utf8_next(s, len, &i)))
			n++;
	return n;
}

/* Tokens of every sentence of one side, sorted and counted; weights wait
 * for the document frequencies. */
static int side_tokens(struct aligner *al, int sd, struct tokbuf *b)
{
	struct side *S = &al->side[sd];
	const char *lang = hx_sentences_get_lang(S->s);
	/* The lexicon side that holds this side's language. */
	int lexside = sd == 0 ? HX_LEX_SRC : HX_LEX_TGT;
	int rc;

	S->cum[0] = 0;
	for (size_t i = 0; i < S->n; i++) {
		const struct hx__sentence *x = &S->s->v[i];
		struct feat *f = &S->f[i];
		b->n = 0;
		if ((rc = tokenize(al, b, lang, lexside, x->text, x->len)) <
			0 ||
		    (rc = add_anchors(al, b, lang, x->text, x->len)) < 0)
			return rc;
		if (b->n)
			qsort(b->v, b->n, sizeof(*b->v), cmp_u32);
		f->tok = malloc((b->n + 1) * sizeof(*f->tok));
		f->tw = malloc((b->n + 1) * sizeof(*f->tw));
		if (!f->tok || !f->tw)
			return HX_ENOMEM;
		for (size_t k = 0; k < b->n; k++) {
			if (f->ntok && f->tok[f->ntok - 1] == b->v[k]) {
				f->tw[f->ntok - 1] += 1;
				continue;
			}
			f->tok[f->ntok] = b->v[k];
			f->tw[f->ntok++] = 1;
		}
		f->chars = (float)count_chars(x->text, x->len);
		f->block = x->block;
		f->bstart = i == 0 || S->s->v[i - 1].block != x->block;
		f->heading = x->heading;
		f->label = x->label;
		leading_label(x->text, x->len, f->plabel, sizeof(f->plabel));
		S->chars_total += f->chars;
		S->cum[i + 1] = S->chars_total;
	}
	return HX_OK;
}

/* idf within the side's own document: log(1 + N / df). A sentence keeps
 * its MAX_TOK heaviest tokens (only very long ones lose any: the lightest,
 * function words), so a token set fits in a 128-bit mask. */
struct tokw {
	uint32_t id;
	float w;
};

static int cmp_tokw_w(const void *x, const void *y)
{
	float a = ((const struct tokw *)x)->w, b = ((const struct tokw *)y)->w;
	return a > b ? -1 : a < b;
}

static int cmp_tokw_id(const void *x, const void *y)
{
	uint32_t a = ((const struct tokw *)x)->id,
		 b = ((const struct tokw *)y)->id;
	return a < b ? -1 : a > b;
}

static int side_weights(struct aligner *al, int sd)
{
	struct side *S = &al->side[sd];
	size_t nv = hx__intern_count(al->voc);
	uint32_t *df = calloc(nv + 1, sizeof(*df));
	struct tokw *tmp = NULL;
	size_t tcap = 0;

	if (!df)
		return HX_ENOMEM;
	for (size_t i = 0; i < S->n; i++)
		for (uint32_t k = 0; k < S->f[i].ntok; k++)
			df[S->f[i].tok[k]]++;
	for (size_t i = 0; i < S->n; i++) {
		struct feat *f = &S->f[i];
		for (uint32_t k = 0; k < f->ntok; k++) {
			double idf = log(1.0 + (double)S->n / df[f->tok[k]]);
			f->tw[k] = (float)(f->tw[k] * idf);
		}
		if (f->ntok > MAX_TOK) {
			if (f->ntok > tcap) {
				struct tokw *t =
				    realloc(tmp, f->ntok * sizeof(*t));
				if (!t) {
					free(tmp);
					free(df);
					return HX_ENOMEM;
				}
				tmp = t, tcap = f->ntok;
			}
			for (uint32_t k = 0; k < f->ntok; k++)
				tmp[k].id = f->tok[k], tmp[k].w = f->tw[k];
			qsort(tmp, f->ntok, sizeof(*tmp), cmp_tokw_w);
			qsort(tmp, MAX_TOK, sizeof(*tmp), cmp_tokw_id);
			f->ntok = MAX_TOK;
			for (uint32_t k = 0; k < f->ntok; k++)
				f->tok[k] = tmp[k].id, f->tw[k] = tmp[k].w;
		}
		f->wsum = 0;
		for (uint32_t k = 0; k < f->ntok; k++)
			f->wsum += f->tw[k];
	}
	free(tmp);
	free(df);
	return HX_OK;
}

/* Which ids occur on side sd: a translation counts only when the other
 * document has the word. */
static uint8_t *side_present(struct aligner *al, int sd)
{
	size_t nv = hx__intern_count(al->voc);
	uint8_t *p = calloc(nv + 1, 1);
	if (!p)
		return NULL;
	for (size_t i = 0; i < al->side[sd].n; i++)
		for (uint32_t k = 0; k < al->side[sd].f[i].ntok; k++)
			p[al->side[sd].f[i].tok[k]] = 1;
	return p;
}

static int cover_push(struct feat *f, uint32_t *cap, uint32_t id, uint32_t k)
{
	if (f->ncov == *cap) {
		uint32_t nc = *cap ? *cap * 2 : 64;
		uint32_t *c = realloc(f->cov, nc * sizeof(*c));
		if (!c)
			return HX_ENOMEM;
		f->cov = c;
		uint8_t *ck = realloc(f->covk, nc);
		if (!ck)
			return HX_ENOMEM;
		f->covk = ck;
		*cap = nc;
	}
	f->cov[f->ncov] = id;
	f->covk[f->ncov++] = (uint8_t)k;
	return HX_OK;
}

/* The cover of every source sentence: for each token, itself (identical
 * tokens: names, acronyms, anchors) and its lexicon translations that
 * occur in the target document. Lexicons are symmetric, so the target
 * side needs no cover of its own. */
/* The translations of one source word, as ids of words of the target
 * document; computed once per distinct word (memo), since a word recurs
 * in many sentences. */
struct trans_memo {
	uint32_t *off; /* per voc id: start in ids, UINT32_MAX: not yet */
	uint32_t *len;
	struct tokbuf ids;
};

static int word_trans(struct aligner *al, struct trans_memo *m,
		      const uint8_t *other, uint32_t id)
{
	size_t klen, nt;

	if (m->off[id] != UINT32_MAX)
		return HX_OK;
	m->off[id] = (uint32_t)m->ids.n;
	m->len[id] = 0;
	const char *key = hx__intern_str(al->voc, id, &klen);
	int64_t lid = hx__lex_find(al->lex, HX_LEX_SRC, key, klen);
	if (lid < 0)
		return HX_OK;
	const uint32_t *tr =
	    hx__lex_trans(al->lex, HX_LEX_SRC, (uint32_t)lid, &nt);
	for (size_t t = 0; t < nt; t++) {
		size_t tl;
		const char *tk = hx__lex_key(al->lex, HX_LEX_TGT, tr[t], &tl);
		int64_t vid = hx__intern_find(al->voc, tk, tl);
		if (vid < 0 || !other[vid])
			continue;
		if (!tb_push(&m->ids, (uint32_t)vid))
			return HX_ENOMEM;
		m->len[id]++;
	}
	return HX_OK;
}

static int source_covers(struct aligner *al)
{
	struct side *S = &al->side[0];
	size_t nv = hx__intern_count(al->voc);
	uint8_t *other = side_present(al, 1);
	struct trans_memo m = {malloc((nv + 1) * sizeof(uint32_t)),
			       malloc((nv + 1) * sizeof(uint32_t)),
			       {0}};
	int rc = HX_ENOMEM;

	if (!other || !m.off || !m.len)
		goto done;
	memset(m.off, 0xff, (nv + 1) * sizeof(uint32_t));
	rc = HX_OK;
	for (size_t i = 0; i < S->n && rc == HX_OK; i++) {
		struct feat *f = &S->f[i];
		uint32_t cap = 0;
		for (uint32_t k = 0; k < f->ntok && rc == HX_OK; k++) {
			uint32_t id = f->tok[k];
			if (other[id])
				rc = cover_push(f, &cap, id, k);
			if (!al->lex || rc < 0 ||
			    (rc = word_trans(al, &m, other, id)) < 0)
				continue;
			for (uint32_t t = 0; t < m.len[id] && rc == HX_OK; t++)
				rc = cover_push(f, &cap, m.ids.v[m.off[id] + t],
						k);
		}
	}
done:
	free(other);
	free(m.off);
	free(m.len);
	free(m.ids.v);
	return rc;
}

/* Cognates between two Latin-script languages: "preamble" / "préambule",
 * "information" / "información". Words whose keys agree on their first
 * COGNATE_LEN letters once accents are removed count as translations;
 * between English, French and Spanish this finds the shared Latin and
 * Greek vocabulary of official texts that bilingual dictionaries often
 * list only partly (Simard, Foster and Isabelle 1992, "Using cognates to
 * align sentences in bilingual corpora", used 4-letter prefixes). */
#define COGNATE_LEN 5

static bool latin_lang(const char *lang)
{
	static const char *const l[] = {"en", "fr", "es", "de",
					"it", "pt", "nl", NULL};
	for (const char *const *p = l; *p; p++)
		if (!strncmp(lang, *p, 2))
			return true;
	return false;
}

/* The cognate key of a word key: its first COGNATE_LEN letters without
 * accents; 0 when the word is shorter (short words are too often false
 * friends) or not Latin. */
static size_t cognate_key(char *out, const char *key, size_t len)
{
	const UNormalizer2 *nfd;
	UErrorCode st = U_ZERO_ERROR;
	size_t i = 0, n = 0, letters = 0;

	nfd = unorm2_getNFDInstance(&st);
	if (U_FAILURE(st))
		return 0;
	while (i < len && letters < COGNATE_LEN) {
		uint32_t c = hx__utf8_next(key, len, &i);
		UChar d[8];
		st = U_ZERO_ERROR;
		int32_t dn =
		    unorm2_getDecomposition(nfd, (UChar32)c, d, 8, &st);
		if (dn > 0 && U_SUCCESS(st) && d[0] < 0x80)
			c = d[0];
		if (c < 'a' || c > 'z')
			return 0;
		out[n++] = (char)c;
		letters++;
	}
	return letters == COGNATE_LEN ? n : 0;
}

/* Add to every source cover the target words that are cognates of its
 * tokens. Keys are looked up in a table of the target vocabulary. */
static int add_cognates(struct aligner *al)
{
	const char *sl = hx_sentences_get_lang(al->side[0].s);
	const char *tl = hx_sentences_get_lang(al->side[1].s);
	hx__intern *ck = NULL;
	uint32_t *first = NULL, *next = NULL; /* chains of target ids */
	size_t nv = hx__intern_count(al->voc);
	uint8_t *seen = NULL;
	int rc = HX_ENOMEM;

	if (!latin_lang(sl) || !latin_lang(tl))
		return HX_OK;
	if (!(ck = hx__intern_new()) ||
	    !(first = malloc((nv + 1) * sizeof(*first))) ||
	    !(next = malloc((nv + 1) * sizeof(*next))) ||
	    !(seen = calloc(nv + 1, 1)))
		goto done;
	memset(first, 0xff, (nv + 1) * sizeof(*first));
	for (size_t y = 0; y < al->side[1].n; y++) {
		const struct feat *f = &al->side[1].f[y];
		for (uint32_t k = 0; k < f->ntok; k++) {
			uint32_t id = f->tok[k];
			size_t len;
			char c[COGNATE_LEN * 4 + 1];
			if (seen[id])
				continue;
			seen[id] = 1;
			const char *key = hx__intern_str(al->voc, id, &len);
			size_t cn = cognate_key(c, key, len);
			if (!cn)
				continue;
			int64_t cid = hx__intern_add(ck, c, cn);
			if (cid < 0)
				goto done;
			next[id] = first[cid];
			first[cid] = id;
		}
	}
	for (size_t x = 0; x < al->side[0].n; x++) {
		struct feat *f = &al->side[0].f[x];
		uint32_t cap = f->ncov;
		for (uint32_t k = 0; k < f->ntok; k++) {
			size_t len;
			char c[COGNATE_LEN * 4 + 1];
			const char *key =
			    hx__intern_str(al->voc, f->tok[k], &len);
			size_t cn = cognate_key(c, key, len);
			int64_t cid = cn ? hx__intern_find(ck, c, cn) : -1;
			if (cid < 0)
				continue;
			for (uint32_t t = first[cid]; t != UINT32_MAX;
			     t = next[t])
				if (t != f->tok[k] &&
				    cover_push(f, &cap, t, k) < 0)
					goto done;
		}
	}
	rc = HX_OK;
done:
	hx__intern_free(ck);
	free(first);
	free(next);
	free(seen);
	return rc;
}

/* ---- bead similarity --------------------------------------------------- */

static void m_set(struct m128 *m, uint32_t k)
{
	m->w[k >> 6] |= 1ULL << (k & 63);
}

static double m_weight(const struct m128 *m, const float *tw)
{
	double w = 0;
	for (int h = 0; h < 2; h++)
		for (uint64_t x = m->w[h]; x; x &= x - 1)
			w += tw[h * 64 + __builtin_ctzll(x)];
	return w;
}

static void stamp_row(struct aligner *al, size_t x, bool on)
{
	const struct feat *f = &al->side[0].f[x];
	for (uint32_t c = 0; c < f->ncov; c++) {
		if (on)
			m_set(&al->stamp[f->cov[c]], f->covk[c]);
		else
			al->stamp[f->cov[c]].w[0] = al->stamp[f->cov[c]].w[1] =
			    0;
	}
}

/* With source sentence x stamped: which of its tokens target y matches,
 * and which of y's tokens it matches. O(tokens of y). */
static void pair_masks(const struct aligner *al, size_t y, struct m128 *xy,
		       struct m128 *yx)
{
	const struct feat *f = &al->side[1].f[y];
	xy->w[0] = xy->w[1] = yx->w[0] = yx->w[1] = 0;
	for (uint32_t k = 0; k < f->ntok; k++) {
		const struct m128 *st = &al->stamp[f->tok[k]];
		if (st->w[0] | st->w[1]) {
			xy->w[0] |= st->w[0];
			xy->w[1] |= st->w[1];
			m_set(yx, k);
		}
	}
}

static void pcache_free(struct pcache *pc)
{
	free(pc->ylo);
	free(pc->ny);
	free(pc->base);
	free(pc->xy);
	free(pc->yx);
	memset(pc, 0, sizeof(*pc));
}

/* Fill the pair cache for every (x, y) a bead of the band can hold: a
 * bead ending at (i, j) with shape (a, b) pairs x in [i-a, i) with y in
 * [j-b, j), and (i-a, j-b) is in the band too. */
static int pcache_fill(struct aligner *al, const size_t *lo, const size_t *hi)
{
	struct pcache *pc = &al->pc;
	size_t n = al->side[0].n, m = al->side[1].n, total = 0;

	pcache_free(pc);
	pc->n = n;
	pc->ylo = malloc((n + 1) * sizeof(size_t));
	pc->ny = malloc((n + 1) * sizeof(size_t));
	pc->base = malloc((n + 1) * sizeof(size_t));
	if (!pc->ylo || !pc->ny || !pc->base)
		return HX_ENOMEM;
	for (size_t x = 0; x < n; x++) {
		size_t top = x + 4 <= n ? x + 4 : n;
		size_t yl = lo[x], yh = hi[top];
		if (yh > m)
			yh = m;
		pc->ylo[x] = yl;
		pc->ny[x] = yh > yl ? yh - yl : 0;
		pc->base[x] = total;
		total += pc->ny[x];
	}
	pc->xy = malloc((total + 1) * sizeof(*pc->xy));
	pc->yx = malloc((total + 1) * sizeof(*pc->yx));
	if (!pc->xy || !pc->yx)
		return HX_ENOMEM;
	for (size_t x = 0; x < n; x++) {
		stamp_row(al, x, true);
		for (size_t k = 0; k < pc->ny[x]; k++)
			pair_masks(al, pc->ylo[x] + k, &pc->xy[pc->base[x] + k],
				   &pc->yx[pc->base[x] + k]);
		stamp_row(al, x, false);
	}
	return HX_OK;
}

static bool pcache_get(const struct pcache *pc, size_t x, size_t y,
		       const struct m128 **xy, const struct m128 **yx)
{
	if (!pc->ny || x >= pc->n || y < pc->ylo[x] ||
	    y >= pc->ylo[x] + pc->ny[x])
		return false;
	*xy = &pc->xy[pc->base[x] + (y - pc->ylo[x])];
	*yx = &pc->yx[pc->base[x] + (y - pc->ylo[x])];
	return true;
}

/* Logs of smoothed lengths, tabulated: lengths are whole characters and
 * the DP asks for the same few thousand values millions of times. */
#define LOG_TAB 4096

static double log_len(const struct aligner *al, int side, double c)
{
	size_t k = (size_t)c;
	if (k < LOG_TAB && (double)k == c)
		return al->logtab[side][k];
	return log(side ? c + LEN_SMOOTH * al->ratio
			: (c + LEN_SMOOTH) * al->ratio);
}

static double len_penalty(const struct aligner *al, double ca, double cb)
{
	double r = log_len(al, 1, cb) - log_len(al, 0, ca);
	if (!al->len_on)
		return r * r;
	r -= al->len_mu;
	double z2 = r * r / (al->len_a + al->len_b / (ca + cb + 1));
	if (z2 > LEN_Z_CAP)
		z2 = LEN_Z_CAP;
	return (z2 - LEN_Z_EVEN) * LEN_Z_SCALE;
}

/* Similarity of source [i, i+a) with target [j, j+b): the weighted share
 * of the tokens of both sides matched across. Pairs come from the cache;
 * a pair outside it (pass 1, 1-1 only) uses the stamped current row. */
static double bead_sim(struct aligner *al, size_t i, int a, size_t j, int b,
		       double *lenpen, double *uncov)
{
	struct m128 ym[3] = {{{0, 0}}, {{0, 0}}, {{0, 0}}};
	double wa = 0, wb = 0, ca = 0, cb = 0, w = 0, u = 0;

	for (int y = 0; y < b; y++) {
		const struct feat *fb = &al->side[1].f[j + (size_t)y];
		wb += fb->wsum;
		cb += fb->chars;
	}
	for (int x = 0; x < a; x++) {
		const struct feat *fa = &al->side[0].f[i + (size_t)x];
		struct m128 xm = {{0, 0}};
		wa += fa->wsum;
		ca += fa->chars;
		for (int y = 0; y < b; y++) {
			const struct m128 *xy, *yx;
			struct m128 t1, t2;
			if (!pcache_get(&al->pc, i + (size_t)x, j + (size_t)y,
					&xy, &yx)) {
				pair_masks(al, j + (size_t)y, &t1, &t2);
				xy = &t1, yx = &t2;
			}
			xm.w[0] |= xy->w[0], xm.w[1] |= xy->w[1];
			ym[y].w[0] |= yx->w[0], ym[y].w[1] |= yx->w[1];
		}
		double mw = m_weight(&xm, fa->tw);
		w += mw;
		u += 1.0 - (mw + COV_SMOOTH) / (fa->wsum + COV_SMOOTH);
	}
	for (int y = 0; y < b; y++) {
		const struct feat *fb = &al->side[1].f[j + (size_t)y];
		double mw = m_weight(&ym[y], fb->tw);
		w += mw;
		u += 1.0 - (mw + COV_SMOOTH) / (fb->wsum + COV_SMOOTH);
	}
	*uncov = u;
	*lenpen = len_penalty(al, ca, cb);
	return wa + wb > 0 ? w / (wa + wb) : 0;
}

/* The label a sentence starts with: its block's, at a block start, else
 * one written at the start of the sentence. "" when none. */
static const char *label_of(const struct feat *f)
{
	if (f->bstart && f->label[0])
		return f->label;
	return f->plabel;
}

static double structure_cost(struct aligner *al, size_t i, int a, size_t j,
			     int b)
{
	const struct feat *fa = &al->side[0].f[i], *fb = &al->side[1].f[j];
	double c = 0;

	if (!al->structure)
		return 0;
	/* A paragraph (or an inline paragraph label) inside a bead: beads
	 * do not span paragraphs in real translations. */
	for (int x = 1; x < a; x++) {
		const struct feat *f = &al->side[0].f[i + (size_t)x];
		if (f->bstart)
			c += CROSS_COST;
		else if (f->plabel[0])
			c += INLINE_LABEL_COST;
	}
	for (int y = 1; y < b; y++) {
		const struct feat *f = &al->side[1].f[j + (size_t)y];
		if (f->bstart)
			c += CROSS_COST;
		else if (f->plabel[0])
			c += INLINE_LABEL_COST;
	}
	if (fa->bstart != fb->bstart)
		c += START_COST;
	const char *la = label_of(fa), *lb = label_of(fb);
	if (la[0] && lb[0])
		c += strcmp(la, lb) ? LABEL_COST : -LABEL_BONUS;
	else if (la[0] || lb[0])
		c += START_COST;
	if (fa->bstart && fb->bstart && fa->heading != fb->heading)
		c += HEADING_COST;
	return c;
}

static double bead_cost(struct aligner *al, size_t i, int a, size_t j, int b,
			double prior)
{
	double lenpen, sim, uncov;

	if (a == 0 || b == 0)
		return al->skip * (a + b);
	sim = bead_sim(al, i, a, j, b, &lenpen, &uncov);
	/* A bad length fit costs per sentence; a good one earns its bonus
	 * once per bead, so gluing a short line whose length changes little
	 * does not buy a bigger bonus. */
	double lw = lenpen < 0 ? LEN_BONUS_BEAD : (a + b) / 2.0;
	return COST_MIX * uncov + (1 - COST_MIX) * (a + b) * (1.0 - sim) / 2 +
	       lw * LEN_WEIGHT * lenpen + prior +
	       structure_cost(al, i, a, j, b);
}

/* ---- banded dynamic programme ------------------------------------------ */

struct band {
	size_t *lo, *hi; /* per row i in 0..n, inclusive column range */
	size_t *base;	 /* offset of row i in the cell arrays */
	size_t cells;
};

static void band_free(struct band *bd)
{
	free(bd->lo);
	free(bd->hi);
	free(bd->base);
	memset(bd, 0, sizeof(*bd));
}

static int band_alloc(struct band *bd, size_t n)
{
	bd->lo = malloc((n + 1) * sizeof(size_t));
	bd->hi = malloc((n + 1) * sizeof(size_t));
	bd->base = malloc((n + 1) * sizeof(size_t));
	return bd->lo && bd->hi && bd->base ? HX_OK : HX_ENOMEM;
}

static void band_finish(struct band *bd, size_t n, size_t m)
{
	/* Monotone edges keep every cell reachable from (0,0) and able to
	 * reach (n,m). */
	bd->lo[0] = 0;
	bd->hi[n] = m;
	for (size_t i = 1; i <= n; i++)
		if (bd->lo[i] < bd->lo[i - 1])
			bd->lo[i] = bd->lo[i - 1];
	for (size_t i = n; i-- > 0;)
		if (bd->hi[i] > bd->hi[i + 1])
			bd->hi[i] = bd->hi[i + 1];
	for (size_t i = 0; i <= n; i++) {
		if (i > 0 && bd->hi[i] < bd->lo[i])
			bd->hi[i] = bd->lo[i];
		if (i > 0 && bd->lo[i] > bd->hi[i - 1] + 3)
			bd->lo[i] =
			    bd->hi[i - 1] + 3 > m ? m : bd->hi[i - 1] + 3;
	}
	bd->lo[n] = bd->lo[n] > m ? m : bd->lo[n];
	bd->cells = 0;
	for (size_t i = 0; i <= n; i++) {
		bd->base[i] = bd->cells;
		bd->cells += bd->hi[i] - bd->lo[i] + 1;
	}
}

/* Whether a bead of a source and b target sentences from (pi, pj) lies
 * inside one block bead. */
static bool rect_ok(const struct rects *r, size_t pi, size_t a, size_t pj,
		    size_t b)
{
	size_t k = a ? r->rs[pi] : r->rt[pj];
	if (a && r->rs[pi + a - 1] != k)
		return false;
	if (b && (r->rt[pj] != k || r->rt[pj + b - 1] != k))
		return false;
	return r->s0[k] <= pi && pi + a <= r->s1[k] && r->t0[k] <= pj &&
	       pj + b <= r->t1[k];
}

/* The band of a two-level alignment: row i may reach the target ranges of
 * every block bead whose source range contains i. */
static int rect_band(struct aligner *al, struct band *bd)
{
	const struct rects *r = al->rects;
	size_t n = al->side[0].n, m = al->side[1].n;

	if (band_alloc(bd, n) < 0)
		return HX_ENOMEM;
	for (size_t i = 0; i <= n; i++)
		bd->lo[i] = SIZE_MAX, bd->hi[i] = 0;
	for (size_t k = 0; k < r->n; k++)
		for (size_t i = r->s0[k]; i <= r->s1[k]; i++) {
			if (r->t0[k] < bd->lo[i])
				bd->lo[i] = r->t0[k];
			if (r->t1[k] > bd->hi[i])
				bd->hi[i] = r->t1[k];
		}
	for (size_t i = 0; i <= n; i++)
		if (bd->lo[i] == SIZE_MAX)
			bd->lo[i] = 0, bd->hi[i] = m;
	band_finish(bd, n, m);
	return HX_OK;
}

/* Run the DP over the band with shapes[0..nshapes). On success *path
 * holds the bead ends (i, j, shape) from (n, m) back to (0, 0), reversed
 * into order. Returns the number of beads or a negative status. */
struct step {
	size_t i, j;
	int shape;
};

static long run_dp(struct aligner *al, const struct band *bd, size_t nshapes,
		   struct step **path)
{
	size_t n = al->side[0].n, m = al->side[1].n;
	double *cost = malloc(bd->cells * sizeof(*cost));
	int8_t *back = malloc(bd->cells);
	long np = 0;

	*path = NULL;
	if (!cost || !back) {
		free(cost);
		free(back);
		return HX_ENOMEM;
	}
	for (size_t i = 0; i <= n; i++) {
		/* Without a pair cache (pass 1: 1-1 beads only), the one
		 * source sentence of the beads ending in row i is stamped. */
		bool stamp = !al->pc.ny && i > 0;
		if (stamp)
			stamp_row(al, i - 1, true);
		for (size_t j = bd->lo[i]; j <= bd->hi[i]; j++) {
			size_t c = bd->base[i] + (j - bd->lo[i]);
			double best = i == 0 && j == 0 ? 0 : INFINITY;
			int bs = -1;
			for (size_t s = 0; s < nshapes; s++) {
				size_t a = (size_t)shapes[s].a,
				       b = (size_t)shapes[s].b;
				if (a > i || b > j)
					continue;
				size_t pi = i - a, pj = j - b;
				if (pj < bd->lo[pi] || pj > bd->hi[pi])
					continue;
				if (al->rects &&
				    !rect_ok(al->rects, pi, a, pj, b))
					continue;
				double pc =
				    cost[bd->base[pi] + (pj - bd->lo[pi])];
				if (!(pc < INFINITY) || pc >= best)
					continue;
				double t =
				    pc + bead_cost(al, pi, (int)a, pj, (int)b,
						   shapes[s].prior);
				if (t < best)
					best = t, bs = (int)s;
			}
			cost[c] = best;
			back[c] = (int8_t)bs;
		}
		if (stamp)
			stamp_row(al, i - 1, false);
	}
	/* Trace back from (n, m). */
	struct step *p = malloc((n + m + 1) * sizeof(*p));
	if (!p) {
		free(cost);
		free(back);
		return HX_ENOMEM;
	}
	size_t i = n, j = m;
	while (i > 0 || j > 0) {
		int s = back[bd->base[i] + (j - bd->lo[i])];
		if (s < 0)
			break; /* unreachable: cannot happen with a
				  monotone band */
		p[np].i = i, p[np].j = j, p[np].shape = s;
		np++;
		i -= (size_t)shapes[s].a;
		j -= (size_t)shapes[s].b;
	}
	for (long k = 0; k < np / 2; k++) {
		struct step t = p[k];
		p[k] = p[np - 1 - k];
		p[np - 1 - k] = t;
	}
	free(cost);
	free(back);
	*path = p;
	return np;
}

/* Pass 1 band: around the diagonal of cumulative lengths. */
static int diag_band(struct aligner *al, struct band *bd, size_t w)
{
	size_t n = al->side[0].n, m = al->side[1].n, j = 0;
	const double *cs = al->side[0].cum, *ct = al->side[1].cum;
	double scale = al->side[0].chars_total > 0
			   ? al->side[1].chars_total / al->side[0].chars_total
			   : 1;

	if (band_alloc(bd, n) < 0)
		return HX_ENOMEM;
	for (size_t i = 0; i <= n; i++) {
		double target = cs[i] * scale;
		while (j < m && ct[j + 1] <= target)
			j++;
		size_t c = j;
		if (i == n)
			c = m;
		bd->lo[i] = c > w ? c - w : 0;
		bd->hi[i] = c + w < m ? c + w : m;
	}
	band_finish(bd, n, m);
	return HX_OK;
}

/* A band of w cells around a path. */
static int path_band_w(struct aligner *al, struct band *bd,
		       const struct step *p, long np, size_t w)
{
	size_t n = al->side[0].n, m = al->side[1].n;

	if (band_alloc(bd, n) < 0)
		return HX_ENOMEM;
	for (size_t i = 0; i <= n; i++)
		bd->lo[i] = SIZE_MAX, bd->hi[i] = 0;
	size_t pi = 0, pj = 0;
	for (long k = -1; k < np; k++) {
		size_t ci = k < 0 ? 0 : p[k].i, cj = k < 0 ? 0 : p[k].j;
		/* Every cell the bead passes, not only its end. */
		for (size_t i = pi; i <= ci; i++) {
			size_t r0 = i > w ? i - w : 0;
			size_t r1 = i + w < n ? i + w : n;
			size_t jl = pj > w ? pj - w : 0;
			size_t jh = cj + w < m ? cj + w : m;
			for (size_t r = r0; r <= r1; r++) {
				if (jl < bd->lo[r])
					bd->lo[r] = jl;
				if (jh > bd->hi[r])
					bd->hi[r] = jh;
			}
		}
		pi = ci, pj = cj;
	}
	for (size_t i = 0; i <= n; i++)
		if (bd->lo[i] == SIZE_MAX)
			bd->lo[i] = 0, bd->hi[i] = m;
	band_finish(bd, n, m);
	return HX_OK;
}

/* Pass 2 band: BAND2 around a path. */
static int path_band(struct aligner *al, struct band *bd, const struct step *p,
		     long np)
{
	return path_band_w(al, bd, p, np, BAND2);
}

/* Costs as log-probabilities for the posterior: a bead costing POST_T
 * more than another is e times less likely. Chosen with the bead model's
 * fit (bench/align-calibrate.py): held-out log loss 0.0636, 0.0627 and
 * 0.0651 at 0.1, 0.15 and 0.2. */
#define POST_T 0.15

static double log_add(double x, double y)
{
	if (x == -INFINITY)
		return y;
	if (y == -INFINITY)
		return x;
	return x > y ? x + log1p(exp(y - x)) : y + log1p(exp(x - y));
}

/* The posterior probability of each bead of the path over all paths in
 * the band (forward-backward, costs as log-probabilities): a bead that
 * nearly-as-cheap alternatives compete with is doubtful even when it is
 * the cheapest. bc holds the cost of every (cell, shape), INFINITY where
 * the shape does not fit. */
static int path_posterior(const struct band *bd, size_t nshapes,
			  const float *bc, size_t n, size_t m,
			  const struct step *p, long np, double *post)
{
	double *fw = malloc(bd->cells * sizeof(*fw));
	double *bw = malloc(bd->cells * sizeof(*bw));
	if (!fw || !bw) {
		free(fw);
		free(bw);
		return HX_ENOMEM;
	}
	for (size_t c = 0; c < bd->cells; c++)
		fw[c] = bw[c] = -INFINITY;
	fw[0] = 0;
	for (size_t i = 0; i <= n; i++)
		for (size_t j = bd->lo[i]; j <= bd->hi[i]; j++) {
			size_t c = bd->base[i] + (j - bd->lo[i]);
			for (size_t s = 0; s < nshapes; s++) {
				float k = bc[c * nshapes + s];
				if (!(k < INFINITY))
					continue;
				size_t pi = i - (size_t)shapes[s].a,
				       pj = j - (size_t)shapes[s].b;
				fw[c] = log_add(
				    fw[c],
				    fw[bd->base[pi] + (pj - bd->lo[pi])] -
					k / POST_T);
			}
		}
	bw[bd->base[n] + (m - bd->lo[n])] = 0;
	for (size_t i = n + 1; i-- > 0;)
		for (size_t j = bd->hi[i] + 1; j-- > bd->lo[i];) {
			size_t c = bd->base[i] + (j - bd->lo[i]);
			if (bw[c] == -INFINITY)
				continue;
			for (size_t s = 0; s < nshapes; s++) {
				float k = bc[c * nshapes + s];
				if (!(k < INFINITY))
					continue;
				size_t pi = i - (size_t)shapes[s].a,
				       pj = j - (size_t)shapes[s].b;
				size_t q = bd->base[pi] + (pj - bd->lo[pi]);
				bw[q] = log_add(bw[q], bw[c] - k / POST_T);
			}
		}
	double z = fw[bd->base[n] + (m - bd->lo[n])];
	for (long k = 0; k < np; k++) {
		size_t i = p[k].i, j = p[k].j, s = (size_t)p[k].shape;
		size_t c = bd->base[i] + (j - bd->lo[i]);
		size_t pi = i - (size_t)shapes[s].a,
		       pj = j - (size_t)shapes[s].b;
		double lp = fw[bd->base[pi] + (pj - bd->lo[pi])] -
			    bc[c * nshapes + s] / POST_T + bw[c] - z;
		post[k] = lp > 0 ? 1 : exp(lp);
	}
	free(fw);
	free(bw);
	return HX_OK;
}

/* The posterior of each bead of the final path (post[k] for bead k): over
 * the DP's band narrowed to POST_W cells around the path, where all but
 * negligible alternatives lie; the whole band would cost as much again as
 * the DP. */
#define POST_W 4

static int bead_posterior(struct aligner *al, const struct band *bd,
			  const struct step *p, long np, double *post)
{
	size_t n = al->side[0].n, m = al->side[1].n;
	struct band nb = {0};
	float *bc = NULL;
	int rc = HX_ENOMEM;

	if (path_band_w(al, &nb, p, np, POST_W) < 0)
		goto done;
	/* Both bands are monotone and hold the path: so does their
	 * intersection, and a bead inside it is in the pair cache. */
	nb.cells = 0;
	for (size_t i = 0; i <= n; i++) {
		if (bd->lo[i] > nb.lo[i])
			nb.lo[i] = bd->lo[i];
		if (bd->hi[i] < nb.hi[i])
			nb.hi[i] = bd->hi[i];
		if (nb.hi[i] < nb.lo[i])
			nb.hi[i] = nb.lo[i];
		nb.base[i] = nb.cells;
		nb.cells += nb.hi[i] - nb.lo[i] + 1;
	}
	if (!(bc = malloc(nb.cells * NSHAPES * sizeof(*bc))))
		goto done;
	for (size_t i = 0; i <= n; i++)
		for (size_t j = nb.lo[i]; j <= nb.hi[i]; j++) {
			size_t c = nb.base[i] + (j - nb.lo[i]);
			for (size_t s = 0; s < NSHAPES; s++) {
				size_t a = (size_t)shapes[s].a,
				       b = (size_t)shapes[s].b;
				float *k = &bc[c * NSHAPES + s];
				*k = INFINITY;
				if (a > i || b > j)
					continue;
				size_t pi = i - a, pj = j - b;
				if (pj < nb.lo[pi] || pj > nb.hi[pi] ||
				    (al->rects &&
				     !rect_ok(al->rects, pi, a, pj, b)))
					continue;
				*k = (float)bead_cost(al, pi, (int)a, pj,
						      (int)b, shapes[s].prior);
			}
		}
	rc = path_posterior(&nb, NSHAPES, bc, n, m, p, np, post);
done:
	free(bc);
	band_free(&nb);
	return rc;
}

/* Sets *post for the np beads of path: np, or a negative status. */
static long posterior_of(struct aligner *al, const struct band *bd,
			 const struct step *path, long np, double **post)
{
	free(*post);
	if (!(*post = malloc(((size_t)np + 1) * sizeof(**post))))
		return HX_ENOMEM;
	int rc = bead_posterior(al, bd, path, np, *post);
	return rc < 0 ? rc : np;
}

/* Whether pass 1's path came within 2 cells of a band edge that is not a
 * document edge: then the band was too narrow. */
static bool touches_edge(const struct band *bd, const struct step *p, long np,
			 size_t m)
{
	for (long k = 0; k < np; k++) {
		size_t i = p[k].i, j = p[k].j;
		if ((bd->lo[i] > 0 && j < bd->lo[i] + 2) ||
		    (bd->hi[i] < m && j + 2 > bd->hi[i]))
			return true;
	}
	return false;
}

/* The cost of leaving a sentence unaligned, set from the document itself:
 * how well a sentence is covered depends on the lexicon's reach into the
 * text (a modern UN report is covered far better by CC-CEDICT than the
 * King James Bible), so a fixed threshold is too strict for one and too
 * lax for the other. A sentence is left out when it is explained clearly
 * worse than the median sentence of pass 1's 1-1 beads. */
static int cmp_dbl(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

/* The length model of this document pair, learned from pass 1's 1-1 beads
 * (Gale and Church 1993 fit one per language pair from a corpus; a
 * document pair has its own: a report with tables differs from a
 * resolution). The log ratio of smoothed lengths has median mu and a
 * variance that shrinks with length, e2 = A + B / length (Gale and
 * Church's variance grows with length in characters, so the ratio's
 * shrinks); fitted by least squares after dropping the worst tenth of
 * the beads, which pass 1 may have got wrong. */
struct lobs {
	double r, l, e2;
};

static int cmp_lobs(const void *x, const void *y)
{
	double a = ((const struct lobs *)x)->e2,
	       b = ((const struct lobs *)y)->e2;
	return a < b ? -1 : a > b;
}

static void fit_length(struct aligner *al, const struct step *p, long np)
{
	struct lobs *o = malloc(((size_t)np + 1) * sizeof(*o));
	double *r = malloc(((size_t)np + 1) * sizeof(*r));
	size_t n = 0;

	if (!o || !r)
		goto done;
	for (long k = 0; k < np; k++) {
		if (p[k].shape != 0)
			continue;
		const struct feat *fa = &al->side[0].f[p[k].i - 1],
				  *fb = &al->side[1].f[p[k].j - 1];
		o[n].r = log_len(al, 1, fb->chars) - log_len(al, 0, fa->chars);
		o[n].l = fa->chars + fb->chars + 1;
		r[n] = o[n].r;
		n++;
	}
	if (n < 20)
		goto done;
	qsort(r, n, sizeof(*r), cmp_dbl);
	double mu = r[n / 2];
	for (size_t k = 0; k < n; k++)
		o[k].e2 = (o[k].r - mu) * (o[k].r - mu);
	qsort(o, n, sizeof(*o), cmp_lobs);
	size_t keep = n - n / 10;
	/* Least squares e2 = A + B x, x = 1/l, over the kept beads. */
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	for (size_t k = 0; k < keep; k++) {
		double x = 1.0 / o[k].l, y = o[k].e2;
		sx += x, sy += y, sxx += x * x, sxy += x * y;
	}
	double den = keep * sxx - sx * sx;
	double B = den > 0 ? (keep * sxy - sx * sy) / den : 0;
	if (B < 0)
		B = 0;
	double A = (sy - B * sx) / keep;
	if (A < 1e-3)
		A = 1e-3;
	al->len_on = true;
	al->len_mu = mu, al->len_a = A, al->len_b = B;
done:
	free(o);
	free(r);
}

static void calibrate(struct aligner *al, const struct step *p, long np)
{
	double *u = malloc(((size_t)np + 1) * sizeof(*u)), lenpen, unc;
	size_t n = 0;

	if (!u)
		return; /* keep the default */
	for (long k = 0; k < np; k++) {
		if (p[k].shape != 0)
			continue;
		stamp_row(al, p[k].i - 1, true);
		bead_sim(al, p[k].i - 1, 1, p[k].j - 1, 1, &lenpen, &unc);
		stamp_row(al, p[k].i - 1, false);
		u[n++] = unc / 2;
	}
	fit_length(al, p, np);
	if (n >= 5) {
		qsort(u, n, sizeof(*u), cmp_dbl);
		double s = u[n / 2] + SKIP_MARGIN;
		al->skip = s < SKIP_MIN	  ? SKIP_MIN
			   : s > SKIP_MAX ? SKIP_MAX
					  : s;
	}
	free(u);
}

/* ---- learning ---------------------------------------------------------- */

struct pair_count {
	uint64_t key; /* src id << 32 | tgt id */
	uint32_t n;
};

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* Dice over the beads of a first alignment: a pair (e, f) of words seen
 * together in at least 2 beads with Dice >= 0.6 joins the covers. Only
 * tokens rare enough to be content words take part. */
static int add_pairs(uint64_t **pairs, size_t *npairs, size_t *cap,
		     const struct feat *fa, const struct feat *fb,
		     uint32_t *const *cnt)
{
	for (uint32_t t = 0; t < fa->ntok; t++) {
		if (cnt[0][fa->tok[t]] < LEARN_MIN)
			continue;
		for (uint32_t u = 0; u < fb->ntok; u++) {
			if (cnt[1][fb->tok[u]] < LEARN_MIN)
				continue;
			if (*npairs == *cap) {
				size_t nc = *cap ? *cap * 2 : 4096;
				uint64_t *x = realloc(*pairs, nc * sizeof(*x));
				if (!x)
					return HX_ENOMEM;
				*pairs = x, *cap = nc;
			}
			(*pairs)[(*npairs)++] =
			    (uint64_t)fa->tok[t] << 32 | fb->tok[u];
		}
	}
	return HX_OK;
}

static int learn(struct aligner *al, const struct step *p, long np)
{
	size_t nv = hx__intern_count(al->voc);
	uint32_t *cnt[2] = {calloc(nv + 1, sizeof(uint32_t)),
			    calloc(nv + 1, sizeof(uint32_t))};
	uint64_t *pairs = NULL;
	size_t npairs = 0, cap = 0;
	int rc = HX_OK;

	if (!cnt[0] || !cnt[1]) {
		rc = HX_ENOMEM;
		goto done;
	}
	/* Round 0 counts the beads each word is in; round 1 lists the pairs,
	 * only of words seen in LEARN_MIN beads or more: no pair of rarer
	 * words can qualify, and leaving them out keeps the list short. */
	for (int round = 0; round < 2; round++) {
		for (long k = 0; k < np; k++) {
			const struct shape *sh = &shapes[p[k].shape];
			if (!sh->a || !sh->b || sh->a + sh->b > 3)
				continue;
			size_t i = p[k].i, j = p[k].j;
			size_t i0 = i - (size_t)sh->a, j0 = j - (size_t)sh->b;
			for (size_t x = i0; x < i; x++) {
				struct feat *fa = &al->side[0].f[x];
				if (round == 0)
					for (uint32_t t = 0; t < fa->ntok; t++)
						cnt[0][fa->tok[t]]++;
				for (size_t y = j0; y < j; y++) {
					struct feat *fb = &al->side[1].f[y];
					if (round == 0) {
						if (x == i0)
							for (uint32_t u = 0;
							     u < fb->ntok; u++)
								cnt[1]
								   [fb->tok
									[u]]++;
						continue;
					}
					if ((rc = add_pairs(&pairs, &npairs,
							    &cap, fa, fb,
							    cnt)) < 0)
						goto done;
				}
			}
		}
	}
	if (npairs)
		qsort(pairs, npairs, sizeof(*pairs), cmp_u64);
	/* Learned links, as (src id, tgt id), then added to the covers. */
	struct tokbuf links = {0};
	for (size_t k = 0; k < npairs;) {
		size_t e = k;
		while (e < npairs && pairs[e] == pairs[k])
			e++;
		uint32_t c = (uint32_t)(e - k);
		uint32_t s = (uint32_t)(pairs[k] >> 32),
			 t = (uint32_t)(pairs[k] & 0xffffffffu);
		double dice = 2.0 * c / (cnt[0][s] + cnt[1][t]);
		if (c >= LEARN_MIN && dice >= LEARN_DICE && s != t) {
			if (!tb_push(&links, s) || !tb_push(&links, t)) {
				rc = HX_ENOMEM;
				free(links.v);
				goto done;
			}
		}
		k = e;
	}
	/* Apply: every source token with a learned partner can now match
	 * it. Links are few (tens to hundreds), so a scan per sentence is
	 * cheap next to the dynamic programme. */
	for (size_t i = 0; i < al->side[0].n && links.n && rc == HX_OK; i++) {
		struct feat *f = &al->side[0].f[i];
		uint32_t ccap = f->ncov;
		for (size_t l = 0; l < links.n && rc == HX_OK; l += 2) {
			uint32_t *hit = bsearch(&links.v[l], f->tok, f->ntok,
						sizeof(*f->tok), cmp_u32);
			if (hit)
				rc = cover_push(f, &ccap, links.v[l + 1],
						(uint32_t)(hit - f->tok));
		}
	}
	free(links.v);
done:
	free(cnt[0]);
	free(cnt[1]);
	free(pairs);
	return rc;
}

/* ---- driver ------------------------------------------------------------ */

static void aligner_free(struct aligner *al)
{
	for (int sd = 0; sd < 2; sd++) {
		for (size_t i = 0; i < al->side[sd].n && al->side[sd].f; i++) {
			free(al->side[sd].f[i].tok);
			free(al->side[sd].f[i].tw);
			free(al->side[sd].f[i].cov);
			free(al->side[sd].f[i].covk);
		}
		free(al->side[sd].f);
		free(al->side[sd].cum);
	}
	hx__intern_free(al->voc);
	free(al->stamp);
	free(al->logtab[0]);
	free(al->logtab[1]);
	pcache_free(&al->pc);
}

/* What a good bead's similarity is in this document pair: the median of
 * the 1-1 beads, kept within [SCORE_SIM_LO, SCORE_SIM_HI] so that a pair
 * the lexicon covers poorly (en-ru) is not all doubt. Bead features are
 * similarities over it (bead_features()). */
#define SCORE_SIM_LO 0.15
#define SCORE_SIM_HI 0.35

static double good_sim(struct aligner *al, const struct step *p, long np)
{
	double *v = malloc(((size_t)np + 1) * sizeof(*v)), lenpen, unc, m;
	size_t n = 0;

	if (!v)
		return SCORE_SIM_HI;
	for (long k = 0; k < np; k++)
		if (p[k].shape == 0)
			v[n++] = bead_sim(al, p[k].i - 1, 1, p[k].j - 1, 1,
					  &lenpen, &unc);
	if (n < 5) {
		free(v);
		return SCORE_SIM_HI;
	}
	qsort(v, n, sizeof(*v), cmp_dbl);
	m = v[n / 2];
	free(v);
	return m < SCORE_SIM_LO	  ? SCORE_SIM_LO
	       : m > SCORE_SIM_HI ? SCORE_SIM_HI
				  : m;
}

/* Similarity of one source and one target sentence, cached or not. */
static double pair_sim(struct aligner *al, size_t i, size_t j)
{
	double lenpen, unc, sim;
	stamp_row(al, i, true);
	sim = bead_sim(al, i, 1, j, 1, &lenpen, &unc);
	stamp_row(al, i, false);
	return sim;
}

/* The evidence about one bead that its probability is computed from (see
 * bead_prob()): each is 0..1 or about that. */
enum {
	F_SIM,	 /* similarity over the pair's typical 1-1 similarity */
	F_UNCOV, /* mean uncovered share of its sentences */
	F_LEN,	 /* squared length z-score, capped, over its cap */
	F_NULL,	 /* a 1-0 or 0-1 bead */
	F_MN,	 /* a bead of more than two sentences */
	F_VOUCH, /* headings or equal labels starting together */
	F_NEAR,	 /* null bead: best similarity of its sentence nearby */
	F_SHORT, /* few characters on the shorter side */
	F_POST,	 /* posterior over all paths (path_posterior()) */
	F_POST2, /* its square: the model is steeper near 1 */
	NFEAT
};

static void bead_features(struct aligner *al, size_t i, int a, size_t j, int b,
			  double good, double *f)
{
	size_t n = al->side[0].n, m = al->side[1].n;
	double lenpen, uncov, sim;

	memset(f, 0, NFEAT * sizeof(*f));
	if (!a || !b) {
		/* How well the lone sentence matches a sentence around the
		 * place it was left out at: a strong match says the gap is
		 * a misalignment, not an omission. */
		double best = 0;
		for (int d = -2; d <= 2; d++) {
			double s;
			if (a) {
				long y = (long)j + d;
				if (y < 0 || (size_t)y >= m)
					continue;
				s = pair_sim(al, i, (size_t)y);
			} else {
				long x = (long)i + d;
				if (x < 0 || (size_t)x >= n)
					continue;
				s = pair_sim(al, (size_t)x, j);
			}
			if (s > best)
				best = s;
		}
		f[F_NULL] = 1;
		f[F_NEAR] = best / good > 2 ? 2 : best / good;
		f[F_UNCOV] = 1;
		const struct feat *x =
		    a ? &al->side[0].f[i] : &al->side[1].f[j];
		f[F_SHORT] = 1.0 / (1.0 + x->chars / 20.0);
		return;
	}
	sim = bead_sim(al, i, a, j, b, &lenpen, &uncov);
	f[F_SIM] = sim / good > 2 ? 2 : sim / good;
	f[F_UNCOV] = uncov / (a + b);
	f[F_LEN] = al->len_on ? lenpen / LEN_Z_SCALE + LEN_Z_EVEN : lenpen;
	f[F_LEN] = f[F_LEN] > LEN_Z_CAP ? 1 : f[F_LEN] / LEN_Z_CAP;
	f[F_MN] = a + b > 2;
	const struct feat *fa = &al->side[0].f[i], *fb = &al->side[1].f[j];
	const char *la = label_of(fa), *lb = label_of(fb);
	f[F_VOUCH] = (fa->bstart && fb->bstart && fa->heading && fb->heading) ||
		     (la[0] && !strcmp(la, lb));
	double ca = 0, cb = 0;
	for (int x = 0; x < a; x++)
		ca += al->side[0].f[i + (size_t)x].chars;
	for (int y = 0; y < b; y++)
		cb += al->side[1].f[j + (size_t)y].chars / al->ratio;
	f[F_SHORT] = 1.0 / (1.0 + (ca < cb ? ca : cb) / 20.0);
}

/* Logistic weights over the features, bias last: fitted by
 * `bench/align-calibrate.py fit` on related pairs of the shared gold sets
 * (Champollion, the Bible, UN dev set pairs with joins and omissions in
 * five languages), so that a bead scored s is right with probability about s
 * (bench/align-reliability.txt). An unrelated pair's beads are capped by
 * the document model instead (path_to_alignment()). */
static const double bead_w[NFEAT + 1] = {
    0.1134,  /* F_SIM */
    -0.2725, /* F_UNCOV */
    -0.4740, /* F_LEN */
    -1.1245, /* F_NULL */
    -0.1300, /* F_MN */
    -0.1375, /* F_VOUCH */
    -0.4536, /* F_NEAR */
    0.0930,  /* F_SHORT */
    2.0204,  /* F_POST */
    3.1483,  /* F_POST2 */
    -0.1233, /* bias */
};

static double bead_prob(const double *f)
{
	double z = bead_w[NFEAT];
	for (int k = 0; k < NFEAT; k++)
		z += bead_w[k] * f[k];
	return 1.0 / (1.0 + exp(-z));
}

/* ---- same document ----------------------------------------------------- */

/* Whether the two texts are versions of one document. In a translation
 * almost every 1-1 bead shares clearly more with its partner than a
 * sentence shares with the sentences a few places away; in two different
 * documents, even two reports made from one template, most beads are no
 * better than such shifted pairs. The measure is the share of 1-1 beads
 * whose similarity beats the 90th percentile of shifted pairs' (offsets
 * of 3 to 6 sentences), and the share of sentences left unaligned. */
#define SHIFT_Q 0.9

static void doc_evidence(struct aligner *al, const struct step *p, long np,
			 double *above, double *nulls)
{
	size_t m = al->side[1].n, nb = 0, ns = 0, nn = 0, na = 0, tot = 0;
	double *sh = malloc(((size_t)np * 4 + 1) * sizeof(*sh));
	double *bs = malloc(((size_t)np + 1) * sizeof(*bs));

	*above = 0, *nulls = 1;
	if (!sh || !bs)
		goto done;
	for (long k = 0; k < np; k++) {
		const struct shape *s = &shapes[p[k].shape];
		tot += (size_t)(s->a + s->b);
		if (!s->a || !s->b)
			nn += (size_t)(s->a + s->b);
		if (p[k].shape != 0)
			continue;
		size_t i = p[k].i - 1, j = p[k].j - 1;
		bs[nb++] = pair_sim(al, i, j);
		static const int off[4] = {-6, -3, 3, 6};
		for (int d = 0; d < 4; d++) {
			long y = (long)j + off[d];
			if (y >= 0 && (size_t)y < m)
				sh[ns++] = pair_sim(al, i, (size_t)y);
		}
	}
	*nulls = tot ? (double)nn / (double)tot : 1;
	if (nb < 3 || ns < 3)
		goto done;
	qsort(sh, ns, sizeof(*sh), cmp_dbl);
	double q = sh[(size_t)(SHIFT_Q * (double)(ns - 1))];
	for (size_t k = 0; k < nb; k++)
		na += bs[k] > q;
	/* Beads over the whole text, not only the 1-1 ones. */
	*above = (double)na / (double)(np > 0 ? np : 1);
done:
	free(sh);
	free(bs);
}

/* Related pairs of the shared sets have above >= 0.59 (Champollion's
 * 198706005 lowest, the UN pairs >= 0.67), unrelated ones <= 0.33 (seed
 * 004 against 001, two reports from one template): the likelihood is 0.5
 * half way, at 0.46, and steep (bench/align-calibrate.py fit prints both
 * ends); many unaligned sentences lower it. */
static const double doc_w[3] = {15.0, -3.0, -15.0 * 0.46 + 3.0 * 0.1};

static double same_document(double above, double nulls)
{
	double z = doc_w[2] + doc_w[0] * above + doc_w[1] * nulls;
	return 1.0 / (1.0 + exp(-z));
}

/* HEXALIGN_ALIGN_FEATURES=FILE appends every bead with its features to
 * FILE: how bench/align-calibrate.py fits the weights above. */
static void dump_features(const hx_alignment *res, const double *feat,
			  double above, double nulls)
{
	const char *path = getenv("HEXALIGN_ALIGN_FEATURES");
	FILE *f;
	if (!path || !(f = fopen(path, "a")))
		return;
	fprintf(f, "doc\t%.6f\t%.6f\t%.6f\n", above, nulls, res->same_doc);
	for (size_t k = 0; k < res->n; k++) {
		const hx_bead *b = &res->v[k];
		fprintf(f, "%zu\t%zu\t%zu\t%zu\t%.5f", b->src_start, b->src_n,
			b->tgt_start, b->tgt_n, b->score);
		for (int x = 0; x < NFEAT; x++)
			fprintf(f, "\t%.5f", feat[k * NFEAT + (size_t)x]);
		fputc('\n', f);
	}
	fclose(f);
}

static int path_to_alignment(struct aligner *al, const struct step *p,
			     const double *post, long np, hx_alignment **out,
			     hx_error *err)
{
	hx_alignment *res = calloc(1, sizeof(*res));
	double wsum = 0, wtot = 0, above, nulls;
	double *feat = NULL;

	if (!res || !(res->v = malloc(((size_t)np + 1) * sizeof(hx_bead))) ||
	    !(feat = malloc(((size_t)np + 1) * NFEAT * sizeof(*feat)))) {
		if (res)
			free(res->v);
		free(res);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	double good = good_sim(al, p, np);
	doc_evidence(al, p, np, &above, &nulls);
	res->same_doc = same_document(above, nulls);
	for (long k = 0; k < np; k++) {
		const struct shape *sh = &shapes[p[k].shape];
		hx_bead *bd = &res->v[res->n++];
		double *f = &feat[k * NFEAT];
		bd->src_n = (size_t)sh->a;
		bd->tgt_n = (size_t)sh->b;
		bd->src_start = p[k].i - bd->src_n;
		bd->tgt_start = p[k].j - bd->tgt_n;
		bead_features(al, bd->src_start, sh->a, bd->tgt_start, sh->b,
			      good, f);
		f[F_POST] = post ? post[k] : 1;
		f[F_POST2] = f[F_POST] * f[F_POST];
		bd->score = bead_prob(f);
		/* A side with no sentences: nothing to be right about. */
		if (!al->side[0].n || !al->side[1].n)
			bd->score = 0;
		/* Two different documents: no bead of them is likely. */
		if (res->same_doc < 0.5 && bd->score > 0.49)
			bd->score = 0.49;
		wsum += bd->score * (sh->a + sh->b);
		wtot += sh->a + sh->b;
	}
	res->confidence = wtot > 0 ? wsum / wtot : 0;
	dump_features(res, feat, above, nulls);
	free(feat);
	*out = res;
	return HX_OK;
}

static int align_impl(hx_alignment **out, const hx_sentences *src,
		      const hx_sentences *tgt, const hx_lexicon *lex,
		      const hx_align_options *opts, bool two_level,
		      hx_error *err);

static void rects_free(struct rects *r)
{
	free(r->s0);
	free(r->s1);
	free(r->t0);
	free(r->t1);
	free(r->rs);
	free(r->rt);
	memset(r, 0, sizeof(*r));
}

/* One sentence per block: the block's sentences joined. *map gets, per
 * block, the index of its first sentence (and a final entry n). */
static int block_side(hx_sentences **out, size_t **map, size_t *nb,
		      const hx_sentences *s, hx_error *err)
{
	bool spaced = !hx__lang_unspaced(s->lang);
	char *buf = NULL;
	size_t cap = 0, k = 0;
	int rc;

	*map = malloc((s->n + 1) * sizeof(**map));
	if (!*map)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if ((rc = hx_sentences_new(out, s->lang, err)) < 0)
		return rc;
	*nb = 0;
	while (k < s->n) {
		size_t e = k, len = 0;
		while (e < s->n && s->v[e].block == s->v[k].block)
			len += s->v[e++].len + 1;
		if (len + 1 > cap) {
			char *nbuf = realloc(buf, len + 1);
			if (!nbuf) {
				free(buf);
				return hx__error_set(err, HX_ENOMEM,
						     "out of memory");
			}
			buf = nbuf, cap = len + 1;
		}
		len = 0;
		for (size_t x = k; x < e; x++) {
			if (x > k && spaced)
				buf[len++] = ' ';
			memcpy(buf + len, s->v[x].text, s->v[x].len);
			len += s->v[x].len;
		}
		(*map)[(*nb)++] = k;
		rc = hx_sentences_add(*out, buf, len, *nb, s->v[k].label,
				      s->v[k].heading, s->v[k].line, err);
		if (rc < 0) {
			free(buf);
			return rc;
		}
		k = e;
	}
	(*map)[*nb] = s->n;
	free(buf);
	return HX_OK;
}

static size_t count_blocks(const hx_sentences *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += i == 0 || s->v[i].block != s->v[i - 1].block;
	return n;
}

/* Level one: align blocks (paragraphs, headings, cells) with the same
 * model, each block one unit; its beads become the rectangles level two
 * aligns sentences in. Skipped (r->n stays 0) when either side is one
 * block, as pre-segmented text is. */
static int block_rects(struct rects *r, const hx_sentences *src,
		       const hx_sentences *tgt, const hx_lexicon *lex,
		       const hx_align_options *opts, hx_error *err)
{
	hx_sentences *bs[2] = {NULL, NULL};
	size_t *map[2] = {NULL, NULL}, nb[2];
	hx_alignment *ba = NULL;
	int rc;

	if (count_blocks(src) < 2 || count_blocks(tgt) < 2)
		return HX_OK;
	if ((rc = block_side(&bs[0], &map[0], &nb[0], src, err)) < 0 ||
	    (rc = block_side(&bs[1], &map[1], &nb[1], tgt, err)) < 0 ||
	    (rc = align_impl(&ba, bs[0], bs[1], lex, opts, false, err)) < 0)
		goto done;
	size_t nk = hx_alignment_count(ba);
	rc = hx__error_set(err, HX_ENOMEM, "out of memory");
	if (!(r->s0 = malloc((nk + 1) * sizeof(size_t))) ||
	    !(r->s1 = malloc((nk + 1) * sizeof(size_t))) ||
	    !(r->t0 = malloc((nk + 1) * sizeof(size_t))) ||
	    !(r->t1 = malloc((nk + 1) * sizeof(size_t))) ||
	    !(r->rs = malloc((src->n + 1) * sizeof(size_t))) ||
	    !(r->rt = malloc((tgt->n + 1) * sizeof(size_t))))
		goto done;
	for (size_t k = 0; k < nk; k++) {
		const hx_bead *b = hx_alignment_get(ba, k);
		r->s0[k] = map[0][b->src_start];
		r->s1[k] = map[0][b->src_start + b->src_n];
		r->t0[k] = map[1][b->tgt_start];
		r->t1[k] = map[1][b->tgt_start + b->tgt_n];
		for (size_t x = r->s0[k]; x < r->s1[k]; x++)
			r->rs[x] = k;
		for (size_t y = r->t0[k]; y < r->t1[k]; y++)
			r->rt[y] = k;
	}
	r->n = nk;
	rc = HX_OK;
done:
	if (rc < 0)
		rects_free(r);
	hx_alignment_free(ba);
	hx_sentences_free(bs[0]);
	hx_sentences_free(bs[1]);
	free(map[0]);
	free(map[1]);
	return rc;
}

static int align_impl(hx_alignment **out, const hx_sentences *src,
		      const hx_sentences *tgt, const hx_lexicon *lex,
		      const hx_align_options *opts, bool two_level,
		      hx_error *err)
{
	struct rects rects = {0};
	struct aligner al;
	struct tokbuf b = {0};
	struct band bd = {0};
	struct step *path = NULL;
	double *post = NULL;
	hx_align_options def;
	long np = 0;
	int rc;

	assert(out && src && tgt);
	*out = NULL;
	if (!opts) {
		hx_align_options_init(&def);
		opts = &def;
	}
	memset(&al, 0, sizeof(al));
	al.lex = lex;
	al.structure = opts->structure;
	al.side[0].s = src;
	al.side[1].s = tgt;
	rc = HX_ENOMEM;
	if (!(al.voc = hx__intern_new()))
		goto fail;
	for (int sd = 0; sd < 2; sd++) {
		struct side *S = &al.side[sd];
		S->n = hx_sentences_count(S->s);
		S->f = calloc(S->n + 1, sizeof(*S->f));
		S->cum = calloc(S->n + 2, sizeof(*S->cum));
		if (!S->f || !S->cum)
			goto fail;
		if ((rc = side_tokens(&al, sd, &b)) < 0)
			goto fail;
	}
	for (int sd = 0; sd < 2; sd++)
		if ((rc = side_weights(&al, sd)) < 0)
			goto fail;
	if ((rc = source_covers(&al)) < 0 || (rc = add_cognates(&al)) < 0)
		goto fail;
	rc = HX_ENOMEM;
	al.nstamp = hx__intern_count(al.voc) + 1;
	if (!(al.stamp = calloc(al.nstamp, sizeof(*al.stamp))))
		goto fail;
	al.skip = SKIP_COST;
	al.ratio = al.side[0].chars_total > 0 && al.side[1].chars_total > 0
		       ? al.side[1].chars_total / al.side[0].chars_total
		       : 1;
	rc = HX_ENOMEM;
	for (int sd = 0; sd < 2; sd++) {
		if (!(al.logtab[sd] = malloc(LOG_TAB * sizeof(double))))
			goto fail;
		for (size_t k = 0; k < LOG_TAB; k++)
			al.logtab[sd][k] =
			    log(sd ? (double)k + LEN_SMOOTH * al.ratio
				   : ((double)k + LEN_SMOOTH) * al.ratio);
	}

	if (two_level && al.structure) {
		rc = block_rects(&rects, src, tgt, lex, opts, err);
		if (rc < 0)
			goto fail;
		if (rects.n)
			al.rects = &rects;
	}
	size_t n = al.side[0].n, m = al.side[1].n;
	int passes = opts->learn ? 1 + LEARN_PASSES : 1;
	if (al.rects) {
		/* Sentences inside block beads: the rectangles are the band,
		 * every shape from the first pass. */
		for (int pass = 0; pass < passes; pass++) {
			if (pass == 1)
				calibrate(&al, path, np);
			if (pass >= 1 && (rc = learn(&al, path, np)) < 0)
				goto fail;
			if ((rc = rect_band(&al, &bd)) < 0 ||
			    (!al.pc.ny &&
			     (rc = pcache_fill(&al, bd.lo, bd.hi)) < 0))
				goto fail;
			free(path);
			path = NULL;
			np = run_dp(&al, &bd, NSHAPES, &path);
			if (np >= 0 && pass + 1 == passes)
				np = posterior_of(&al, &bd, path, np, &post);
			band_free(&bd);
			if (np < 0) {
				rc = (int)np;
				goto fail;
			}
			/* Learning changes the covers: refill the cache. */
			if (pass + 1 < passes)
				pcache_free(&al.pc);
		}
		rc = path_to_alignment(&al, path, post, np, out, err);
		goto done;
	}

	/* Pass 1: 1-1 and skips in a band that grows until the path keeps
	 * clear of its edges. */
	size_t w = BAND_MIN + (n > m ? n : m) / 50;
	for (;;) {
		if ((rc = diag_band(&al, &bd, w)) < 0)
			goto fail;
		np = run_dp(&al, &bd, 3, &path);
		if (np < 0) {
			rc = (int)np;
			goto fail;
		}
		if (w >= (n > m ? n : m) || !touches_edge(&bd, path, np, m))
			break;
		free(path);
		path = NULL;
		band_free(&bd);
		w *= 2;
	}
	band_free(&bd);
	calibrate(&al, path, np);
	for (int pass = 0; pass < passes; pass++) {
		if (pass >= 1 && (rc = learn(&al, path, np)) < 0)
			goto fail;
		if ((rc = path_band(&al, &bd, path, np)) < 0 ||
		    (rc = pcache_fill(&al, bd.lo, bd.hi)) < 0)
			goto fail;
		free(path);
		path = NULL;
		np = run_dp(&al, &bd, NSHAPES, &path);
		if (np >= 0 && pass + 1 == passes)
			np = posterior_of(&al, &bd, path, np, &post);
		band_free(&bd);
		if (np < 0) {
			rc = (int)np;
			goto fail;
		}
	}
	rc = path_to_alignment(&al, path, post, np, out, err);
done:
	free(path);
	free(post);
	free(b.v);
	aligner_free(&al);
	rects_free(&rects);
	return rc;
fail:
	free(path);
	free(post);
	free(b.v);
	band_free(&bd);
	aligner_free(&al);
	rects_free(&rects);
	if (rc == HX_ENOMEM)
		return hx__error_set(err, rc, "out of memory");
	return rc;
}

int hx_align_run(hx_alignment **out, const hx_sentences *src,
		 const hx_sentences *tgt, const hx_lexicon *lex,
		 const hx_align_options *opts, hx_error *err)
{
	assert(out && src && tgt);
	*out = NULL;
	return align_impl(out, src, tgt, lex, opts, true, err);
}

size_t hx_alignment_count(const hx_alignment *a)
{
	return a->n;
}

const hx_bead *hx_alignment_get(const hx_alignment *a, size_t i)
{
	return i < a->n ? &a->v[i] : NULL;
}

double hx_alignment_confidence(const hx_alignment *a)
{
	return a->confidence;
}

double hx_alignment_same_document(const hx_alignment *a)
{
	return a->same_doc;
}

bool hx_alignment_unrelated(const hx_alignment *a)
{
	return a->same_doc < 0.5;
}

void hx_alignment_free(hx_alignment *a)
{
	if (!a)
		return;
	free(a->v);
	free(a);
}
