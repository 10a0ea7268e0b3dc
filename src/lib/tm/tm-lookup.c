/*
 * tm-lookup.c - reading the memory: exact and fuzzy look-ups through the
 * n-gram index (tm-index.h says how it is built and why a look-up never
 * scans), and concordance. The scores come from match.c; the handle keeps
 * its scratch and the compact token forms from one look-up to the next.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <hexalign/hexalign.h>
#include <hexalign/tm.h>

#include "base/error-private.h"
#include "base/text.h"
#include "base/varint.h"
#include "tm/bitdist.h"
#include "tm/match-private.h"
#include "tm/tm-index.h"
#include "tm/tm-json.h"
#include "tm/tm-lookup.h"
#include "tm/tm-private.h"
#include "tm/tmstore.h"

/* Bigrams in more segments than this are not read (see above)... */
#define STOP_POSTINGS 5000
/* ...but for this many of the rarest of a query. */
#define ALWAYS_READ 2
/* Before the last round of a look-up, only candidates that can reach
 * this are scored. */
#define PRELIM 90
/* Bigrams of a query short enough to read all its lists. */
#define SHORT_QUERY 8
/* Most bigram postings one look-up reads. */
#define MAX_READ 4000000
/* Candidates checked per round of a look-up, best bounds first (2000 lost
 * a 70 match at 1M units behind others of higher bound). */
#define MAX_CANDIDATES 5000

/* Look-ups in one language before its compact forms are loaded: a single
 * look-up is faster without. */
#define CACHE_AFTER 2
/* Most memory the cache takes (bytes): above this, forms are read. With
 * it loaded, SQLite's own page cache shrinks to CACHE_SQLITE: what is left
 * to read then is a few rows per look-up. 1M English segments of the
 * benchmark take 111 MB, Chinese 162 MB. */
#define CACHE_MAX     ((size_t)176 << 20)
#define CACHE_SQLITE  ((size_t)8 << 20)
#define CACHE_DEFAULT ((size_t)64 << 20)

void hx_tm_lookup_options_init(hx_tm_lookup_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->min_score = 70;
	opts->max = 5;
}

static bool is_han_cp(uint32_t c)
{
	UErrorCode st = U_ZERO_ERROR;
	UScriptCode sc = uscript_getScript((UChar32)c, &st);
	return sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA ||
	       sc == USCRIPT_KATAKANA;
}

/* ---- results ------------------------------------------------------------ */

struct hx_tm_results {
	hx_tm_match *v;
	size_t *start, *end;
	/* among equal scores, higher first: REVIEWED_TIE when a person
	 * reviewed the unit, plus the same numbers */
	int *tie;
	size_t n, cap;
};

static int results_add(hx_tm_results *r, int score, unsigned kinds,
		       const char *src, size_t slen, const char *tgt,
		       size_t tlen, const char *origin, int64_t unit,
		       size_t start, size_t end, int tie)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		hx_tm_match *v = realloc(r->v, cap * sizeof(*v));
		if (!v)
			return HX_ENOMEM;
		r->v = v;
		size_t *s = realloc(r->start, cap * sizeof(*s));
		if (!s)
			return HX_ENOMEM;
		r->start = s;
		size_t *e = realloc(r->end, cap * sizeof(*e));
		if (!e)
			return HX_ENOMEM;
		r->end = e;
		int *t = realloc(r->tie, cap * sizeof(*t));
		if (!t)
			return HX_ENOMEM;
		r->tie = t;
		r->cap = cap;
	}
	hx_tm_match *m = &r->v[r->n];
	memset(m, 0, sizeof(*m));
	m->score = score;
	m->diff_kinds = kinds;
	m->unit = unit;
	m->source = strndup(src, slen);
	m->target = strndup(tgt, tlen);
	m->origin = strdup(origin ? origin : "");
	if (!m->source || !m->target || !m->origin) {
		free((char *)m->source);
		free((char *)m->target);
		free((char *)m->origin);
		return HX_ENOMEM;
	}
	r->start[r->n] = start;
	r->end[r->n] = end;
	r->tie[r->n] = tie;
	r->n++;
	return HX_OK;
}

void hx_tm_results_free(hx_tm_results *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free((char *)r->v[i].source);
		free((char *)r->v[i].target);
		free((char *)r->v[i].origin);
	}
	free(r->v);
	free(r->start);
	free(r->end);
	free(r->tie);
	free(r);
}

size_t hx_tm_results_count(const hx_tm_results *r)
{
	return r->n;
}

const hx_tm_match *hx_tm_results_get(const hx_tm_results *r, size_t i)
{
	return i < r->n ? &r->v[i] : NULL;
}

void hx_tm_results_span(const hx_tm_results *r, size_t i, size_t *start,
			size_t *end)
{
	*start = i < r->n ? r->start[i] : 0;
	*end = i < r->n ? r->end[i] : 0;
}

static int cmp_result(const void *x, const void *y, void *payload)
{
	const hx_tm_results *r = payload;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	if (r->v[a].score != r->v[b].score)
		return r->v[a].score < r->v[b].score ? 1 : -1;
	if (r->tie[a] != r->tie[b])
		return r->tie[a] < r->tie[b] ? 1 : -1;
	return r->v[a].unit < r->v[b].unit ? -1 : r->v[a].unit > r->v[b].unit;
}

/* Best first (score, then same numbers, then the older unit), at most max
 * (0: all). */
static int keep_best(hx_tm_results *r, size_t max)
{
	if (!r->n)
		return HX_OK; /* (qsort_r and memcpy want real pointers) */
	size_t *idx = malloc((r->n + 1) * sizeof(*idx));
	hx_tm_match *v = malloc((r->n + 1) * sizeof(*v));
	int *tie = malloc((r->n + 1) * sizeof(*tie));
	if (!idx || !v || !tie) {
		free(idx), free(v), free(tie);
		return HX_ENOMEM;
	}
	for (size_t i = 0; i < r->n; i++)
		idx[i] = i;
	qsort_r(idx, r->n, sizeof(*idx), cmp_result, r);
	for (size_t i = 0; i < r->n; i++)
		v[i] = r->v[idx[i]], tie[i] = r->tie[idx[i]];
	memcpy(r->v, v, r->n * sizeof(*v));
	memcpy(r->tie, tie, r->n * sizeof(*tie));
	free(idx), free(v), free(tie);
	while (max && r->n > max) {
		r->n--;
		free((char *)r->v[r->n].source);
		free((char *)r->v[r->n].target);
		free((char *)r->v[r->n].origin);
	}
	return HX_OK;
}

/* ---- fuzzy look-up ------------------------------------------------------- */

enum { READ_BIGRAM, READ_NUMBER, READ_FULL };

struct reader {
	struct scan *s;
	struct lens_cache *lens;
	int kind;
	size_t postings; /* read so far (statistics) */
};

static int scan_grow(struct scan *s, uint64_t u)
{
	size_t cap = s->cap ? s->cap : 1 << 16;
	while (cap <= u)
		cap *= 2;
	struct scan_unit *e = realloc(s->e, cap * sizeof(*e));
	if (!e)
		return HX_ENOMEM;
	s->e = e;
	memset(s->e + s->cap, 0, (cap - s->cap) * sizeof(*e));
	s->cap = cap;
	return HX_OK;
}

/* Count one posting list into the scan: an array by unit number, which
 * costs one memory access per posting where a hash table costs a probe
 * sequence; units never met stay zero pages. */
static int on_postings(void *payload, const unsigned char *b, size_t len,
		       uint32_t n)
{
	struct reader *rd = payload;
	struct scan *s = rd->s;
	uint64_t u = 0;
	size_t i = 0;

	(void)n;
	const struct lens_cache *lc = rd->lens;
	while (i < len) {
		u += hx__varint_get(b, len, &i);
		if (u > UINT32_MAX)
			break; /* damaged: nothing past it is meaningful */
		if (u >= s->cap && scan_grow(s, u) < 0)
			return HX_ENOMEM;
		/* First met: nothing counted yet (every list counts). */
		if (!s->e[u].cnt && !s->e[u].bonus) {
			if (s->ntouched == s->tcap) {
				size_t cap = s->tcap ? s->tcap * 2 : 4096;
				uint32_t *t =
				    realloc(s->touched, cap * sizeof(*t));
				if (!t)
					return HX_ENOMEM;
				s->touched = t, s->tcap = cap;
			}
			s->touched[s->ntouched++] = (uint32_t)u;
			/* 0: unknown (past the counts read: the memory
			 * grew), and the bound does without. */
			if (u >= lc->n)
				rd->lens->stale = true;
			s->e[u].len = u < lc->n ? lc->v[u] : 0;
		}
		if (rd->kind == READ_BIGRAM) {
			if (s->e[u].cnt < 255)
				s->e[u].cnt++;
		} else if (rd->kind == READ_NUMBER) {
			if ((s->e[u].bonus & NUMS) < NUMS)
				s->e[u].bonus++;
		} else {
			s->e[u].bonus |= FULL;
		}
		rd->postings++;
	}
	return HX_OK;
}

static void scan_clear(struct scan *s)
{
	for (size_t i = 0; i < s->ntouched; i++) {
		uint32_t u = s->touched[i];
		s->e[u] = (struct scan_unit){0};
	}
	s->ntouched = 0;
}

struct cand {
	uint32_t unit;
	uint8_t count, bonus;
	int8_t bound; /* highest score it can reach (0..100) */
};

/* The max best scores so far, best first, to stop when no candidate left
 * can enter them. A score counts twice and once more when the unit was
 * reviewed (rank()), since a reviewed unit ranks above an unreviewed one
 * of its score: a candidate stops only when it could not enter even as a
 * reviewed unit, so a reviewed unit is never cut by unreviewed ties. */
struct top {
	int v[64];
	size_t n, max;
};

#define REVIEWED_TIE 0x100

static int rank(int score, bool reviewed)
{
	return 2 * score + reviewed;
}

/* The best rank a candidate that can score at most `bound` may take. */
static int rank_bound(int bound)
{
	return rank(bound, true);
}

static void top_add(struct top *t, int score)
{
	size_t i;
	if (!t->max)
		return;
	if (t->n < t->max)
		i = t->n++;
	else if (t->v[t->max - 1] < score)
		i = t->max - 1;
	else
		return;
	t->v[i] = score;
	while (i > 0 && t->v[i - 1] < t->v[i]) {
		int x = t->v[i - 1];
		t->v[i - 1] = t->v[i];
		t->v[i] = x;
		i--;
	}
}

/* An x-score prop's value: a number 0..1, else -1 (a value another
 * tool wrote for its own reasons). */
static double score_value(const char *v)
{
	char *end;
	double x = strtod(v, &end);
	while (*end == ' ')
		end++;
	return end != v && !*end && x >= 0 && x <= 1 ? x : -1;
}

static bool yes(const char *v)
{
	return !strcasecmp(v, "yes") || !strcasecmp(v, "true") ||
	       !strcmp(v, "1");
}

/*
 * The penalty of a unit looked up from language sl into tl, from its props
 * (JSON, as stored): CAT tools lower a match from an unverified source so
 * that a translator never takes it for a checked 100% (memoQ and Trados
 * call it a penalty, for alignments and for untrusted memories). The
 * aligner writes x-score-LANG for each language but the pivot, the
 * confidence of its pairing with the pivot; a pair of two languages that
 * were each aligned with the pivot is as doubtful as the weaker of the
 * two pairings, so the lower one counts.
 */
static int unit_penalty(const char *props, const char *sl, const char *tl,
			int *penalty, bool *is_reviewed, char *why, size_t size)
{
	const char **v;
	size_t n;
	char *strs;
	double low = 2;
	bool reviewed = false;
	int rc;

	*penalty = 0;
	*is_reviewed = false;
	why[0] = '\0';
	rc = hx__strings_parse(props, true, &v, &n, &strs);
	if (rc == HX_EFORMAT)
		return HX_OK; /* not ours to judge: no penalty */
	if (rc < 0)
		return rc;
	for (size_t i = 0; i + 1 < n; i += 2) {
		char l[16];
		double x;
		if (!strcmp(v[i], "x-reviewed"))
			reviewed |= yes(v[i + 1]);
		if (strncmp(v[i], "x-score-", 8))
			continue;
		hx_tm_lang_norm(l, sizeof(l), v[i] + 8);
		if ((!strcmp(l, sl) || !strcmp(l, tl)) &&
		    (x = score_value(v[i + 1])) >= 0 && x < low)
			low = x;
	}
	free(v);
	free(strs);
	*is_reviewed = reviewed;
	if (reviewed || low >= 0.9)
		return HX_OK;
	*penalty = low < 0.5 ? HX_TM_PENALTY_LOW : HX_TM_PENALTY_DOUBT;
	snprintf(why, size, "alignment score %.2f, not reviewed", low);
	return HX_OK;
}

/* Score the src segment text of unit against the query; keep it if it
 * reaches min, after the penalty of its alignment, and the unit has a
 * tgt segment. */
static int consider(hx_tm *tm, hx_tm_results *r, struct top *top,
		    const hx_match_seg *q, const char *src, const char *tgt,
		    int min, int64_t unit, const char *text, size_t len,
		    int tie, hx_error *err)
{
	unsigned kinds = 0;
	const char *t;
	struct hx__unit_meta meta;
	char why[64];
	size_t tlen;
	int rc, score, penalty;
	bool reviewed;

	if ((rc = hx__match_seg_reuse(&tm->seg, text, len, err)) < 0)
		return rc;
	score = hx_match_score(q, tm->seg, min, &kinds);
	if (score < min)
		return HX_OK;
	/* The source is copied before the next read reuses its row. */
	char *copy = strndup(text, len);
	if (!copy)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if ((rc = tm->st->ops->get_seg(tm->st, unit, tgt, &t, &tlen, err)) <
		0 ||
	    !t) {
		free(copy);
		return rc;
	}
	char *tcopy = strndup(t, tlen);
	if (!tcopy ||
	    (rc = tm->st->ops->get_meta(tm->st, unit, &meta, err)) < 0 ||
	    (rc = unit_penalty(meta.props, src, tgt, &penalty, &reviewed, why,
			       sizeof(why))) < 0) {
		free(copy);
		free(tcopy);
		return tcopy && rc != HX_ENOMEM
			   ? rc
			   : hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	rc = HX_OK;
	if (score - penalty >= min) {
		/* Corrected by a person, it comes before what nobody
		 * checked at the same score (review.h). */
		rc = results_add(r, score - penalty, kinds, copy, len, tcopy,
				 tlen, meta.origin, unit, 0, 0,
				 tie | (reviewed ? REVIEWED_TIE : 0));
		if (rc == HX_OK) {
			hx_tm_match *m = &r->v[r->n - 1];
			m->penalty = penalty;
			memcpy(m->penalty_reason, why, sizeof(why));
			top_add(top, rank(score - penalty, reviewed));
		}
	}
	free(copy);
	free(tcopy);
	if (rc < 0)
		return hx__error_set(err, rc, "out of memory");
	return HX_OK;
}

struct exh_ctx {
	hx_tm *tm;
	hx_tm_results *r;
	struct top *top;
	const hx_match_seg *q;
	const char *src, *tgt;
	int min;
	hx_error *err;
};

static int on_exh_seg(void *payload, int64_t unit, const char *lang,
		      const char *text, size_t len)
{
	struct exh_ctx *c = payload;
	(void)lang;
	return consider(c->tm, c->r, c->top, c->q, c->src, c->tgt, c->min, unit,
			text, len, 0, c->err);
}

/* Distinct values of v (n of them, small), in place; returns how many. */
static size_t distinct(uint32_t *v, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < k && !seen; j++)
			seen = v[j] == v[i];
		if (!seen)
			v[k++] = v[i];
	}
	return k;
}

struct gram_count {
	uint32_t g;
	uint64_t n;
};

static int cmp_gram_count(const void *x, const void *y)
{
	const struct gram_count *a = x, *b = y;
	return a->n < b->n ? -1 : a->n > b->n;
}

/* What a look-up reads: its bigrams rarest first, and its numbers. */
struct plan {
	struct gram_count gc[MAX_INDEX_TOK];
	size_t ng, next; /* bigrams; the next one to read */
	size_t read;	 /* bigrams read (an empty list is read too) */
	size_t nums;	 /* number lists read */
	size_t postings; /* bigram postings read */
};

/* Read the whole-segment gram and the numbers, and order the bigrams. */
/* The totals of n grams' lists, in one request when the store can. */
static int count_many(hx__store *st, const char *sl, const uint32_t *g,
		      size_t n, uint64_t *totals, hx_error *err)
{
	int rc = HX_OK;
	if (st->ops->count_postings_many)
		return st->ops->count_postings_many(st, sl, g, n, totals, err);
	for (size_t k = 0; k < n && rc == HX_OK; k++)
		rc = st->ops->count_postings(st, sl, g[k], &totals[k], err);
	return rc;
}

/* The lists of n grams to on_postings (in any order: it only counts). */
static int get_many(hx__store *st, const char *sl, const uint32_t *g, size_t n,
		    struct reader *rd, hx_error *err)
{
	int rc = HX_OK;
	if (st->ops->get_postings_many)
		return st->ops->get_postings_many(st, sl, g, n, on_postings, rd,
						  err);
	for (size_t k = 0; k < n && rc == HX_OK; k++)
		rc = st->ops->get_postings(st, sl, g[k], on_postings, rd, err);
	return rc;
}

static int plan_query(hx_tm *tm, const char *sl, const hx_match_seg *q,
		      const char *query, struct reader *rd, struct plan *p,
		      hx_error *err)
{
	struct hx__index_tok tok[MAX_INDEX_TOK];
	uint32_t grams[MAX_INDEX_TOK], nums[MAX_INDEX_TOK];
	hx__store *st = tm->st;
	int rc;

	size_t n = hx__match_seg_index(q, query, tok, MAX_INDEX_TOK);
	size_t ng = distinct(grams, hx__bigrams(tok, n, grams));
	size_t nn = 0;
	for (size_t k = 0; k < n; k++)
		if (tok[k].num)
			nums[nn++] = hx__num_key(tok[k].num);
	nn = distinct(nums, nn);
	memset(p, 0, sizeof(*p));
	/* The whole segment: exact and number-only matches, always. */
	rd->kind = READ_FULL;
	if ((rc = st->ops->get_postings(
		 st, sl, hx__full_key(hx__match_seg_loose_hash(q)), on_postings,
		 rd, err)) < 0)
		return rc;
	/* The totals of the numbers' lists and of the bigrams', at once. */
	uint32_t keys[2 * MAX_INDEX_TOK];
	uint64_t totals[2 * MAX_INDEX_TOK];
	memcpy(keys, nums, nn * sizeof(*keys));
	memcpy(keys + nn, grams, ng * sizeof(*keys));
	if ((rc = count_many(st, sl, keys, nn + ng, totals, err)) < 0)
		return rc;
	/* Numbers as written: a bonus that ranks the same numbers first. */
	size_t nread = 0;
	for (size_t k = 0; k < nn; k++) {
		if (totals[k] > STOP_POSTINGS)
			continue;
		p->nums++;
		if (totals[k])
			keys[nread++] = nums[k];
	}
	rd->kind = READ_NUMBER;
	if ((rc = get_many(st, sl, keys, nread, rd, err)) < 0)
		return rc;
	for (size_t k = 0; k < ng; k++) {
		p->gc[k].g = grams[k];
		p->gc[k].n = totals[nn + k];
	}
	qsort(p->gc, ng, sizeof(*p->gc), cmp_gram_count);
	p->ng = ng;
	return HX_OK;
}

/* Read the next bigram lists, rarest first, up to about `budget`
 * postings (at least ALWAYS_READ lists in all; none above STOP_POSTINGS
 * after those). Returns HX_OK; p->next == p->ng when nothing is left. */
/* The best a unit in none of the `read` bigram lists read can score
 * against a query of nq tokens: it is at least x = read / 2 edits away,
 * and at best nq + x long, so 1 - x / (nq + x) (+1 for rounding). */
static int untouched_best(size_t read, size_t nq)
{
	return (int)(100 * (2 * nq) / (2 * nq + read)) + 1;
}

/* A list longer than STOP_POSTINGS is read only for a short query, and
 * while a unit in none of the lists read could still reach min: "1.
 * Opening of the meeting." may share nothing with a 71 match but "of
 * the". (At 70, in theory, so may a long one: a third of its tokens
 * changed, evenly spread, leave no bigram whole. Reading every list of
 * every query would cost several times the look-up, for the 0.1% of
 * matches measured to be missed, bench/tm-bench.sh.) */
static bool may_read(const struct plan *p, const struct gram_count *g,
		     size_t nq, int min)
{
	return g->n <= STOP_POSTINGS || p->read < ALWAYS_READ ||
	       (p->ng <= SHORT_QUERY && untouched_best(p->read, nq) >= min &&
		p->postings + g->n <= MAX_READ);
}

static int plan_read(hx_tm *tm, const char *sl, struct reader *rd,
		     struct plan *p, size_t budget, size_t nq, int min,
		     hx_error *err)
{
	uint32_t sel[MAX_INDEX_TOK];
	size_t got = 0, nsel = 0;
	/* Which lists depends on their lengths alone: choose, then read
	 * them together. */
	while (p->next < p->ng) {
		const struct gram_count *g = &p->gc[p->next];
		bool must = p->read < ALWAYS_READ;
		if (!must &&
		    (!may_read(p, g, nq, min) || (got && got + g->n > budget)))
			break;
		if (g->n)
			sel[nsel++] = g->g;
		got += g->n;
		p->postings += g->n;
		p->read++;
		p->next++;
	}
	rd->kind = READ_BIGRAM;
	return get_many(tm->st, sl, sel, nsel, rd, err);
}

/* Nothing more worth reading: every list left is too long. */
static bool plan_done(const struct plan *p, size_t nq, int min)
{
	return p->next == p->ng || !may_read(p, &p->gc[p->next], nq, min);
}

/* Candidates best first (bound, then same numbers): a counting sort, since
 * there can be 10^5 of them and only 101 x 64 keys. */
static int sort_cands(struct cand **v, size_t n)
{
	enum { KEYS = 101 * 64 };
	size_t *count = calloc(KEYS + 1, sizeof(*count));
	struct cand *out = malloc((n + 1) * sizeof(*out));
	if (!count || !out) {
		free(count);
		free(out);
		return HX_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const struct cand *c = &(*v)[i];
		count[(100 - c->bound) * 64 + (63 - (c->bonus & NUMS))]++;
	}
	size_t sum = 0;
	for (size_t k = 0; k < KEYS; k++) {
		size_t x = count[k];
		count[k] = sum;
		sum += x;
	}
	for (size_t i = 0; i < n; i++) {
		const struct cand *c = &(*v)[i];
		out[count[(100 - c->bound) * 64 + (63 - (c->bonus & NUMS))]++] =
		    *c;
	}
	free(count);
	free(*v);
	*v = out;
	return HX_OK;
}

/* The best score unit u can reach: at least |nq - ns| edits, and at
 * least half the bigrams it misses (an edit destroys at most two) of the
 * `grams` bigrams, `unread` of which count as shared. */
static int cand_bound(const struct scan *s, uint32_t u, size_t nq, size_t grams,
		      size_t unread, size_t nums, int min)
{
	size_t ns = s->e[u].len;
	uint8_t b = s->e[u].bonus;
	/* Above 98 only what differs in numbers, punctuation or case at
	 * most: the same loose form, the whole-segment gram; 100 only with
	 * the same numbers too. */
	int cap = !(b & FULL) ? 98 : (size_t)(b & NUMS) >= nums ? 100 : 99;
	if (!ns)
		return cap; /* length unknown: no bound but the cap */
	if (ns >= 255 && nq > ns)
		ns = nq; /* at least 255: as long as the query */
	size_t big = ns > nq ? ns : nq;
	size_t dl = ns > nq ? ns - nq : nq - ns;
	long missing = (long)grams - (long)unread - (long)s->e[u].cnt;
	/* 2d >= missing and d >= dl, in halves to stay in integers. */
	size_t d2 = missing > 0 ? (size_t)missing : 0;
	if (2 * dl > d2)
		d2 = 2 * dl;
	/* Most units share a bigram or two: below min without dividing. */
	if (!(b & FULL) &&
	    (d2 >= 2 * big ||
	     100 * (2 * big - d2) < (size_t)(min > 0 ? min - 1 : 0) * 2 * big))
		return 0;
	int bound = (int)(100 * (2 * big - d2) / (2 * big)) + 1;
	if (b & FULL)
		bound = cap;
	return bound > cap ? cap : bound;
}

/* The cache's memory: one anonymous mapping of CACHE_MAX bytes, of which
 * only what is written becomes resident, in huge pages where the system
 * allows (its reads are random, one or two per candidate: 4 KiB pages
 * would cost a TLB miss on most). at[] first, then v[]. */
static int cache_map(struct toks_cache *c, size_t nat)
{
	void *p = mmap(NULL, CACHE_MAX, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return HX_ENOMEM;
#ifdef MADV_HUGEPAGE
	madvise(p, CACHE_MAX, MADV_HUGEPAGE);
#endif
	size_t atb = (nat * sizeof(uint32_t) + 63) & ~(size_t)63;
	c->region = p;
	c->at = p;
	c->nat = nat;
	c->v = (uint16_t *)((char *)p + atb);
	c->cap = (CACHE_MAX - atb) / sizeof(uint16_t);
	c->n = 0;
	return HX_OK;
}

static void cache_unmap(struct toks_cache *c)
{
	if (c->region)
		munmap(c->region, CACHE_MAX);
	c->region = NULL;
	c->at = NULL, c->v = NULL;
	c->nat = c->n = c->cap = 0;
}

static int on_cache_toks(void *payload, int64_t unit, const void *toks,
			 size_t len)
{
	struct toks_cache *c = payload;
	size_t ns = len / 2;
	if (unit < 0 || unit > UINT32_MAX)
		return HX_OK;
	/* A unit added since the cache was made is read from the store;
	 * past the room, so is the rest. */
	if ((size_t)unit >= c->nat || c->n + ns + 1 > c->cap)
		return HX_OK;
	if (!c->n)
		c->v[c->n++] = 0; /* offset 0 means none */
	c->at[unit] = (uint32_t)c->n;
	c->v[c->n] = (uint16_t)(ns < 65535 ? ns : 65535);
	memcpy(c->v + c->n + 1, toks, (ns < 65535 ? ns : 65535) * 2);
	hx__le16(c->v + c->n + 1, ns < 65535 ? ns : 65535);
	c->n += 1 + (ns < 65535 ? ns : 65535);
	return HX_OK;
}

/* Candidates are units all over the cache: ask for the forms of those a
 * few places ahead (and their places, further ahead) so that the memory
 * latency overlaps the distance computations instead of adding to them. */
static void prefetch_forms(const struct toks_cache *c, const struct cand *v,
			   size_t n, size_t i)
{
	if (!c->loaded)
		return;
	if (i + 16 < n && v[i + 16].unit < c->nat)
		__builtin_prefetch(&c->at[v[i + 16].unit]);
	if (i + 4 < n && v[i + 4].unit < c->nat && c->at[v[i + 4].unit])
		__builtin_prefetch(c->v + c->at[v[i + 4].unit]);
}

/* Count a look-up in lang; load the cache on the CACHE_AFTER-th. A cache
 * that cannot be had (too big, no memory) is simply not used. */
/* The token counts of lang, read if they are not (a failure leaves
 * none: every count unknown, which only makes the bound looser). */
static void lens_use(hx_tm *tm, const char *lang)
{
	struct lens_cache *c = &tm->lens;
	hx_error err;
	if (c->loaded && !c->stale && !strcmp(c->lang, lang))
		return;
	free(c->v);
	c->v = NULL;
	c->n = 0;
	c->stale = false;
	c->loaded = true;
	snprintf(c->lang, sizeof(c->lang), "%s", lang);
	hx_error_init(&err);
	if (tm->st->ops->get_lens(tm->st, lang, &c->v, &c->n, &err) < 0) {
		c->v = NULL;
		c->n = 0;
	}
}

static void cache_use(hx_tm *tm, const char *lang)
{
	struct toks_cache *c = &tm->cache;
	hx_error err;
	if (strcmp(c->lang, lang)) {
		cache_unmap(c);
		memset(c, 0, sizeof(*c));
		snprintf(c->lang, sizeof(c->lang), "%s", lang);
	}
	if (c->loaded || c->failed || ++c->uses < CACHE_AFTER)
		return;
	hx_error_init(&err);
	/* The scan reads every page once: the page cache cannot help. */
	tm->st->ops->cache_hint(tm->st, CACHE_SQLITE);
	int64_t next = 0;
	if (tm->st->ops->next_unit(tm->st, &next, &err) < 0 || next <= 0 ||
	    (size_t)next * 4 + 4096 > CACHE_MAX ||
	    cache_map(c, (size_t)next) < 0 ||
	    tm->st->ops->foreach_toks(tm->st, lang, on_cache_toks, c, &err) <
		0) {
		cache_unmap(c);
		c->failed = true;
		tm->st->ops->cache_hint(tm->st, CACHE_DEFAULT);
		return;
	}
	c->loaded = true;
}

/* Score one candidate: first the distance over its compact form, at
 * most the score's (loosely equal tokens, and 16-bit collisions, pair for
 * free), which ends most candidates with their text unread; then the
 * real score. */
static int verify(hx_tm *tm, hx_tm_results *r, struct top *top,
		  const hx_match_seg *q, const hx__bitdist *bd, uint16_t *buf,
		  const char *sl, const char *tl, int min, const struct cand *c,
		  size_t *prefiltered, size_t *verified, hx_error *err)
{
	const void *toks;
	const char *text;
	size_t len, nq = hx_match_seg_count(q);
	int rc;

	if (bd) {
		const struct toks_cache *tc = &tm->cache;
		const uint16_t *form = NULL;
		size_t ns = 0;
		if (tc->loaded && c->unit < tc->nat && tc->at[c->unit]) {
			form = tc->v + tc->at[c->unit] + 1;
			ns = tc->v[tc->at[c->unit]];
		} else {
			if ((rc = tm->st->ops->get_toks(tm->st, c->unit, sl,
							&toks, &len, err)) < 0)
				return rc;
			ns = len / 2;
			if (toks && ns <= MAX_TOKS) {
				memcpy(buf, toks, ns * 2);
				hx__le16(buf, ns);
				form = buf;
			}
		}
		if (form && ns <= MAX_TOKS) {
			size_t d = hx__bitdist_distance(bd, form, ns);
			size_t big = ns > nq ? ns : nq;
			int most = d >= big ? 0 : (int)(100 * (big - d) / big);
			if (most < min ||
			    (top->max && top->n == top->max &&
			     top->v[top->max - 1] >= rank_bound(most))) {
				(*prefiltered)++;
				return HX_OK;
			}
		}
	}
	if ((rc = tm->st->ops->get_seg(tm->st, c->unit, sl, &text, &len, err)) <
	    0)
		return rc;
	(*verified)++;
	if (!text)
		return HX_OK;
	return consider(tm, r, top, q, sl, tl, min, c->unit, text, len,
			c->bonus & NUMS, err);
}

int hx_tm_lookup(hx_tm_results **out, hx_tm *tm, const char *src,
		 const char *tgt, const char *query, size_t len,
		 const hx_tm_lookup_options *opts, hx_error *err)
{
	hx_tm_lookup_options def;
	hx_tm_results *r;
	hx_match_seg *q = NULL;
	struct cand *cand = NULL;
	struct scan *s = &tm->scan;
	struct reader rd = {.s = s};
	struct top top = {0};
	char sl[16], tl[16];
	size_t read = 0, skipped = 0, nc = 0, verified = 0, prefiltered = 0,
	       rounds = 1;
	struct plan plan;
	hx__bitdist *bd = NULL;
	uint16_t *buf = NULL;
	int rc;

	assert(out && tm && src && tgt && query);
	if (tm->importing)
		return hx__error_set(err, HX_EINVAL,
				     "%s: the handle is importing: commit "
				     "or free the batch first",
				     tm->path);
	*out = NULL;
	if (!opts) {
		hx_tm_lookup_options_init(&def);
		opts = &def;
	}
	hx_tm_lang_norm(sl, sizeof(sl), src);
	hx_tm_lang_norm(tl, sizeof(tl), tgt);
	if (!(r = calloc(1, sizeof(*r))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if ((rc = hx_match_seg_new(&q, sl, query, len, err)) < 0)
		goto fail;
	if (hx__match_seg_prepare(q) < 0) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto fail;
	}
	int min = opts->min_score < 1 ? 1 : opts->min_score;
	top.max = opts->max <= 64 ? opts->max : 0;
	if (opts->exhaustive) {
		struct exh_ctx c = {tm, r, &top, q, sl, tl, min, err};
		if ((rc = tm->st->ops->foreach_seg(tm->st, sl, on_exh_seg, &c,
						   err)) < 0)
			goto fail;
		goto done;
	}
	size_t nq = hx_match_seg_count(q);
	if (!nq)
		goto done;
	cache_use(tm, sl);
	lens_use(tm, sl);
	rd.lens = &tm->lens;
	uint16_t *qt = malloc((nq + 1) * sizeof(*qt));
	size_t nqt =
	    qt && nq <= MAX_TOKS ? hx__match_seg_loose16(q, qt, nq) : 0;
	if (!qt || (nqt && (!(bd = hx__bitdist_new(qt, nqt)) ||
			    !(buf = malloc(MAX_TOKS * sizeof(*buf)))))) {
		free(qt);
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto fail;
	}
	free(qt);
	if ((rc = plan_query(tm, sl, q, query, &rd, &plan, err)) < 0)
		goto read_fail;
	/*
	 * Rounds: read the rarest bigram lists, score the best candidates,
	 * and read on only while a unit in none of the lists read could
	 * still beat the results. Such a unit misses every bigram read, so
	 * it is at least x = read / 2 edits away, and at best as long as
	 * the query plus x: it scores at most 1 - x / (nq + x). A list not
	 * read counts as shared in every bound, so a candidate's bound only
	 * falls as more is read, and one left behind stays behind.
	 */
	for (size_t budget = 4096;; budget *= 4) {
		if ((rc = plan_read(tm, sl, &rd, &plan, budget, nq, min, err)) <
		    0)
			goto read_fail;
		bool last = plan_done(&plan, nq, min);
		size_t unread = plan.ng - plan.read;
		nc = 0;
		free(cand);
		if (!(cand = malloc((s->ntouched + 1) * sizeof(*cand)))) {
			rc = hx__error_set(err, HX_ENOMEM, "out of memory");
			goto fail;
		}
		for (size_t i = 0; i < s->ntouched; i++) {
			uint32_t u = s->touched[i];
			if (s->e[u].bonus & DONE)
				continue;
			int bound = cand_bound(s, u, nq, plan.read + unread,
					       unread, plan.nums, min);
			if (bound >= min)
				cand[nc++] =
				    (struct cand){u, s->e[u].cnt, s->e[u].bonus,
						  (int8_t)bound};
		}
		if ((rc = sort_cands(&cand, nc)) < 0) {
			rc = hx__error_set(err, rc, "out of memory");
			goto fail;
		}
		if (nc > MAX_CANDIDATES)
			nc = MAX_CANDIDATES;
		/* Before the last round only the likeliest: they set the
		 * bar the rest must pass. */
		int gate = last || min > PRELIM ? min : PRELIM, left = 0;
		for (size_t i = 0; i < nc; i++) {
			/* Candidates come best bound first: once max
			 * results reach the next bound, none left can beat
			 * them. */
			if (top.max && top.n == top.max &&
			    top.v[top.max - 1] >= rank_bound(cand[i].bound))
				break;
			if (cand[i].bound < gate) {
				left = cand[i].bound;
				break;
			}
			s->e[cand[i].unit].bonus |= DONE;
			prefetch_forms(&tm->cache, cand, nc, i);
			if ((rc = verify(tm, r, &top, q, bd, buf, sl, tl, min,
					 &cand[i], &prefiltered, &verified,
					 err)) < 0)
				goto fail;
		}
		if (last)
			break;
		/* The score a unit must reach to enter: the last one's,
		 * or one more when that one was reviewed. */
		int beat = top.max && top.n == top.max
			       ? (top.v[top.max - 1] + 1) / 2
			       : min;
		if (untouched_best(plan.read, nq) < beat && left < beat)
			break;
		rounds++;
	}
	read = plan.read;
	skipped = plan.ng - plan.read;
	if (0) {
	read_fail:
		if (rc == HX_ENOMEM)
			hx__error_set(err, rc, "out of memory");
		goto fail;
	}
done:
	scan_clear(s);
	if (getenv("HEXALIGN_TM_DEBUG"))
		fprintf(stderr,
			"tm: %zu tokens, %zu bigrams read, %zu skipped, %zu "
			"postings, %zu rounds, %zu rejected by tokens, %zu "
			"scored, %zu kept\n",
			hx_match_seg_count(q), read, skipped, rd.postings,
			rounds, prefiltered, verified, r->n);
	tm->st->ops->idle(tm->st);
	hx__bitdist_free(bd);
	free(buf);
	free(cand);
	hx_match_seg_free(q);
	if (keep_best(r, opts->max) < 0) {
		hx_tm_results_free(r);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	*out = r;
	return HX_OK;
fail:
	scan_clear(s);
	tm->st->ops->idle(tm->st);
	hx__bitdist_free(bd);
	free(buf);
	free(cand);
	hx_match_seg_free(q);
	hx_tm_results_free(r);
	return rc;
}

/* ---- concordance ------------------------------------------------------------
 */

/* Case-folded copy of s with, per output byte, the input offset it came
 * from, so a hit in the folded text maps back to the original. */
static char *fold(const char *s, size_t len, size_t **map, size_t *out_len)
{
	char *f = malloc(len * 4 + 1);
	size_t *m = malloc((len * 4 + 1) * sizeof(*m));
	size_t i = 0, n = 0;

	if (!f || !m) {
		free(f);
		free(m);
		return NULL;
	}
	while (i < len) {
		size_t at = i;
		uint32_t c = hx__utf8_next(s, len, &i);
		char b[4];
		size_t k = hx__utf8_put(b, (uint32_t)u_foldCase((UChar32)c, 0));
		for (size_t x = 0; x < k; x++) {
			f[n] = b[x];
			m[n++] = at;
		}
	}
	f[n] = '\0';
	m[n] = len;
	*map = m;
	*out_len = n;
	return f;
}

static bool word_edge(const char *s, size_t len, size_t at, bool before)
{
	if (before) {
		if (at == 0)
			return true;
		size_t k = at - 1;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		size_t j = k;
		uint32_t c = hx__utf8_next(s, len, &j);
		return !u_isalnum((UChar32)c) || is_han_cp(c);
	}
	if (at >= len)
		return true;
	size_t j = at;
	uint32_t c = hx__utf8_next(s, len, &j);
	return !u_isalnum((UChar32)c) || is_han_cp(c);
}

struct post_set {
	uint32_t *v;
	size_t n, cap;
	bool oom;
};

static int on_set(void *payload, const unsigned char *b, size_t len, uint32_t n)
{
	struct post_set *p = payload;
	uint64_t v = 0;
	size_t i = 0;
	(void)n;
	while (i < len) {
		v += hx__varint_get(b, len, &i);
		if (v > UINT32_MAX)
			break;
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 1024;
			uint32_t *x = realloc(p->v, cap * sizeof(*x));
			if (!x)
				return HX_ENOMEM;
			p->v = x, p->cap = cap;
		}
		p->v[p->n++] = (uint32_t)v;
	}
	return HX_OK;
}

int hx_tm_concord(hx_tm_results **out, hx_tm *tm, const char *src,
		  const char *tgt, const char *term, size_t len, size_t max,
		  hx_error *err)
{
	struct hx__index_tok tok[64];
	struct gram_count gc[64];
	hx_match_seg *ts = NULL;
	struct post_set best = {0}, other = {0};
	hx_tm_results *r;
	char sl[16], tl[16];
	size_t *tmap = NULL, ftlen;
	char *fterm = NULL;
	int rc = HX_OK;

	assert(out && tm && src && tgt && term);
	if (tm->importing)
		return hx__error_set(err, HX_EINVAL,
				     "%s: the handle is importing: commit "
				     "or free the batch first",
				     tm->path);
	*out = NULL;
	hx_tm_lang_norm(sl, sizeof(sl), src);
	hx_tm_lang_norm(tl, sizeof(tl), tgt);
	if ((rc = hx_match_seg_new(&ts, sl, term, len, err)) < 0)
		return rc;
	size_t nt = hx__match_seg_index(ts, term, tok, 64), n = 0;
	hx_match_seg_free(ts);
	for (size_t k = 0; k < nt; k++)
		if (!tok[k].part)
			gc[n++].g = hx__uni_key(tok[k].key);
	if (!n)
		return hx__error_set(err, HX_EINVAL,
				     "concordance: '%.*s' has no word to look "
				     "for",
				     (int)len, term);
	if (!(r = calloc(1, sizeof(*r))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	/* Candidates: units holding every token of the term, from the
	 * smallest posting list up; lists are in unit order (chunks in
	 * import order), so two intersect by merging. */
	for (size_t k = 0; k < n; k++)
		if ((rc = tm->st->ops->count_postings(tm->st, sl, gc[k].g,
						      &gc[k].n, err)) < 0)
			goto fail;
	qsort(gc, n, sizeof(*gc), cmp_gram_count);
	for (size_t k = 0; k < n; k++) {
		other.n = 0;
		if ((rc = tm->st->ops->get_postings(tm->st, sl, gc[k].g, on_set,
						    &other, err)) < 0)
			goto fail;
		if (k == 0) {
			struct post_set t = best;
			best = other;
			other = t;
			continue;
		}
		size_t a = 0, b = 0, w = 0;
		while (a < best.n && b < other.n) {
			if (best.v[a] < other.v[b])
				a++;
			else if (best.v[a] > other.v[b])
				b++;
			else {
				best.v[w++] = best.v[a];
				a++, b++;
			}
		}
		best.n = w;
		if (!w)
			break;
	}
	fterm = fold(term, len, &tmap, &ftlen);
	if (!fterm) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto fail;
	}
	bool spaced = strncmp(sl, "zh", 2) != 0;
	for (size_t i = 0; i < best.n && (!max || r->n < max); i++) {
		if (i && best.v[i] == best.v[i - 1])
			continue;
		const char *text, *t, *origin;
		size_t tlen, ttl, *map, flen;
		int64_t unit = best.v[i];
		if ((rc = tm->st->ops->get_seg(tm->st, unit, sl, &text, &tlen,
					       err)) < 0)
			goto fail;
		if (!text)
			continue;
		char *copy = strndup(text, tlen);
		char *ft = copy ? fold(copy, tlen, &map, &flen) : NULL;
		if (!ft) {
			free(copy);
			rc = hx__error_set(err, HX_ENOMEM, "out of memory");
			goto fail;
		}
		const char *hit = ft;
		bool found = false;
		size_t hs = 0, he = 0;
		while ((hit = strstr(hit, fterm))) {
			hs = map[hit - ft];
			he = map[hit - ft + ftlen];
			if (!spaced || (word_edge(copy, tlen, hs, true) &&
					word_edge(copy, tlen, he, false))) {
				found = true;
				break;
			}
			hit++;
		}
		free(ft);
		free(map);
		if (found) {
			rc = tm->st->ops->get_seg(tm->st, unit, tl, &t, &ttl,
						  err);
			if (rc == HX_OK && t) {
				char *tc = strndup(t, ttl);
				rc = tm->st->ops->get_origin(tm->st, unit,
							     &origin, err);
				if (rc == HX_OK && tc &&
				    results_add(r, 100, 0, copy, tlen, tc, ttl,
						origin, unit, hs, he, 0) < 0)
					rc = hx__error_set(err, HX_ENOMEM,
							   "out of memory");
				free(tc);
			}
		}
		free(copy);
		if (rc < 0)
			goto fail;
	}
	tm->st->ops->idle(tm->st);
	free(best.v);
	free(other.v);
	free(fterm);
	free(tmap);
	*out = r;
	return HX_OK;
fail:
	tm->st->ops->idle(tm->st);
	free(best.v);
	free(other.v);
	free(fterm);
	free(tmap);
	hx_tm_results_free(r);
	return rc;
}

void hx__tm_lookup_free(hx_tm *tm)
{
	free(tm->scan.e);
	free(tm->scan.touched);
	cache_unmap(&tm->cache);
	free(tm->lens.v);
	hx_match_seg_free(tm->seg);
}
