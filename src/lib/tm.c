/*
 * tm.c - the translation memory: importing units, the n-gram index, and
 * exact, fuzzy and concordance look-ups. Storage is behind tmstore.h; the
 * scores come from match.c.
 *
 * Index. Every segment is reduced to index tokens (words folded to lower
 * case, every number one token "#", punctuation dropped; in Chinese, each
 * character a token) and the memory keeps, per language, the posting list
 * of every token unigram and bigram: the ids of the segments that hold it.
 * A fuzzy look-up counts, for each segment, the query bigrams it shares;
 * by the q-gram lemma (Ukkonen 1992, "Approximate string-matching with
 * q-grams and maximal matches", Theoretical Computer Science 92) a
 * segment within edit distance d of a query of n tokens shares at least
 * (n - 1) - 2d of its bigrams, so a score threshold gives a count
 * threshold, and only the segments sharing the most bigrams are scored
 * exactly. Bigrams held by more than a fixed share of the memory ("of
 * the", "的") are skipped: they select nothing and cost the most to read;
 * the count threshold is lowered by one for each skipped bigram so that
 * the filter stays safe.
 *
 * Posting lists are written in chunks, delta-coded as varints (one or two
 * bytes per entry in practice), one chunk per gram per import, so an
 * import never rewrites what earlier imports stored.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <hexalign/hexalign.h>
#include <hexalign/tm.h>

#include "error-private.h"
#include "text.h"
#include "tmstore.h"

/* Bigrams in more segments than this are not read (see above). */
#define STOP_POSTINGS 20000
/* Candidates scored exactly per look-up, best counts first. */
#define MAX_CANDIDATES 2000
/* Postings held in memory during an import before they are written. */
#define FLUSH_POSTINGS (16u << 20)
/* Index tokens per segment (longer segments index their start). */
#define MAX_INDEX_TOK 512

struct hx_tm {
	hx__store *st;
	char *path;
};

void hx_tm_options_init(hx_tm_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->busy_timeout_ms = 2000;
}

void hx_tm_lookup_options_init(hx_tm_lookup_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->min_score = 70;
	opts->max = 5;
}

int hx_tm_open(hx_tm **out, const char *path, const hx_tm_options *opts,
	       hx_error *err)
{
	hx_tm_options def;
	hx_tm *tm;
	int rc;

	assert(out && path);
	*out = NULL;
	if (!opts) {
		hx_tm_options_init(&def);
		opts = &def;
	}
	if (!(tm = calloc(1, sizeof(*tm))) || !(tm->path = strdup(path))) {
		free(tm);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	if ((rc = hx__store_sqlite_open(&tm->st, path, opts->readonly,
					opts->create, opts->busy_timeout_ms,
					err)) < 0) {
		free(tm->path);
		free(tm);
		return rc;
	}
	*out = tm;
	return HX_OK;
}

void hx_tm_free(hx_tm *tm)
{
	if (!tm)
		return;
	tm->st->ops->close(tm->st);
	free(tm->path);
	free(tm);
}

const char *hx_tm_lang_norm(char *buf, size_t size, const char *lang)
{
	char low[64];
	size_t n = 0;

	for (; lang[n] && n + 1 < sizeof(low); n++)
		low[n] = (char)(lang[n] >= 'A' && lang[n] <= 'Z'
				    ? lang[n] - 'A' + 'a'
				: lang[n] == '_' ? '-'
						 : lang[n]);
	low[n] = '\0';
	size_t p = strcspn(low, "-");
	if (p == 2 && !strncmp(low, "zh", 2)) {
		const char *rest = low + 2;
		/* Traditional Chinese is another written language for a
		 * memory: Hant script, or the regions that write it. */
		if (strstr(rest, "-hant") || !strcmp(rest, "-tw") ||
		    !strcmp(rest, "-hk") || !strcmp(rest, "-mo")) {
			snprintf(buf, size, "zh-Hant");
			return buf;
		}
	}
	snprintf(buf, size, "%.*s", (int)(p < 8 ? p : 8), low);
	return buf;
}

/* ---- index tokens ------------------------------------------------------ */

static uint32_t mix32(uint32_t h)
{
	/* The 32-bit finaliser of MurmurHash3 (Appleby, public domain). */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static bool is_han_cp(uint32_t c)
{
	UErrorCode st = U_ZERO_ERROR;
	UScriptCode sc = uscript_getScript((UChar32)c, &st);
	return sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA ||
	       sc == USCRIPT_KATAKANA;
}

/* Index tokens of text as 32-bit hashes; *starts and *ends (may be NULL) get
 * byte offsets. Returns the count (at most cap). */
static size_t index_tokens(const char *text, size_t len, uint32_t *tok,
			   size_t *starts, size_t *ends, uint32_t *exact,
			   size_t cap)
{
	size_t i = 0, n = 0;

	while (i < len && n < cap) {
		size_t s = i;
		uint32_t c = hx__utf8_next(text, len, &i);
		if (exact)
			exact[n] = 0;
		if (c >= HX_TMX_CODE_BASE && c <= 0xF8FF) {
			tok[n] = mix32(0x7a6u ^ c);
		} else if (is_han_cp(c)) {
			tok[n] = mix32((uint32_t)u_foldCase((UChar32)c, 0));
		} else if (u_isalnum((UChar32)c)) {
			bool digits = u_isdigit((UChar32)c);
			uint32_t h = 2166136261u;
			size_t e = i;
			/* Digits inside a word hash as one class too: "483A"
			 * and "484A" must meet ("2013-483A" is a symbol whose
			 * number changes). */
			h = (h ^ (u_isdigit((UChar32)c)
				      ? (uint32_t)'0'
				      : (uint32_t)u_foldCase((UChar32)c, 0))) *
			    16777619u;
			while (e < len) {
				size_t k = e;
				uint32_t d = hx__utf8_next(text, len, &k);
				if (!u_isalnum((UChar32)d) || is_han_cp(d))
					break;
				digits &= u_isdigit((UChar32)d) != 0;
				h = (h ^ (u_isdigit((UChar32)d)
					      ? (uint32_t)'0'
					      : (uint32_t)u_foldCase((UChar32)d,
								     0))) *
				    16777619u;
				e = k;
			}
			/* "179" and "180" are one token: a match that differs
			 * only in numbers must be found. The number itself is
			 * kept apart, to rank the same number first. */
			tok[n] = digits ? mix32(0x23u) : mix32(h);
			if (digits && exact) {
				uint32_t x = 2166136261u;
				for (size_t k = s; k < e; k++)
					x = (x ^ (unsigned char)text[k]) *
					    16777619u;
				exact[n] = mix32(x) | 1u;
			}
			i = e;
		} else {
			continue;
		}
		if (starts)
			starts[n] = s;
		if (ends)
			ends[n] = i;
		n++;
	}
	return n;
}

/* Gram keys: unigrams (for concordance) and bigrams (for fuzzy). The top
 * bit tells them apart. */
static uint32_t uni_key(uint32_t t)
{
	return mix32(t ^ 0x9e3779b9u) & 0x7fffffffu;
}

/* A number as written ("179"), apart from its class token. */
static uint32_t num_key(uint32_t exact)
{
	return mix32(exact ^ 0x5bd1e995u) & 0x7fffffffu;
}

static uint32_t bi_key(uint32_t a, uint32_t b)
{
	return (mix32(a * 31u + mix32(b)) | 0x80000000u);
}

/* ---- postings accumulator (import) ------------------------------------- */

/* (gram, segment) pairs are appended as they come, then sorted by gram
 * (a stable LSD radix sort, so segments stay in ascending order) and
 * written gram by gram: sequential writes into memory, and rows reach the
 * B-tree in key order, which is what makes a bulk load fast in SQLite. */
struct pair {
	uint64_t key; /* lang index << 32 | gram */
	uint32_t seg;
	uint8_t len; /* index tokens of the segment, at most 255 */
};

struct accum {
	struct pair *v, *tmp;
	size_t n, cap;
	size_t total;
	char langs[64][16];
	size_t nlangs;
	uint32_t flushes;
};

static void accum_free(struct accum *a)
{
	free(a->v);
	free(a->tmp);
	memset(a, 0, sizeof(*a));
}

static int accum_lang(struct accum *a, const char *lang)
{
	for (size_t i = 0; i < a->nlangs; i++)
		if (!strcmp(a->langs[i], lang))
			return (int)i;
	if (a->nlangs == 64)
		return -1;
	snprintf(a->langs[a->nlangs], 16, "%s", lang);
	return (int)a->nlangs++;
}

static int accum_add(struct accum *a, int lang, uint32_t g, uint32_t seg,
		     uint8_t len)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 1 << 16;
		struct pair *v = realloc(a->v, cap * sizeof(*v));
		if (!v)
			return HX_ENOMEM;
		a->v = v, a->cap = cap;
	}
	a->v[a->n].key = ((uint64_t)lang << 32) | g;
	a->v[a->n].len = len;
	a->v[a->n++].seg = seg;
	a->total++;
	return HX_OK;
}

static void radix_sort(struct pair *v, struct pair *tmp, size_t n, int bits)
{
	size_t count[1 << 16];
	for (int shift = 0; shift < bits; shift += 16) {
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(v[i].key >> shift) & 0xffff]++;
		size_t sum = 0;
		for (size_t d = 0; d < (1 << 16); d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(v[i].key >> shift) & 0xffff]++] = v[i];
		struct pair *t = v;
		memcpy(v, tmp, n * sizeof(*v));
		(void)t;
	}
}

static size_t put_varint(unsigned char *b, uint32_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		b[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (unsigned char)v;
	return n;
}

static int accum_flush(struct accum *a, hx__store *st, hx_error *err)
{
	unsigned char *buf = NULL;
	size_t cap = 0;
	int rc = HX_OK;

	if (!a->n)
		return HX_OK;
	free(a->tmp);
	if (!(a->tmp = malloc(a->n * sizeof(*a->tmp))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	/* 32 gram bits and up to 6 language bits. */
	radix_sort(a->v, a->tmp, a->n, 48);
	free(a->tmp);
	a->tmp = NULL;
	for (size_t i = 0; i < a->n && rc == HX_OK;) {
		size_t e = i;
		while (e < a->n && a->v[e].key == a->v[i].key)
			e++;
		if ((e - i) * 6 > cap) {
			cap = (e - i) * 6;
			unsigned char *b = realloc(buf, cap);
			if (!b) {
				free(buf);
				return hx__error_set(err, HX_ENOMEM,
						     "out of memory");
			}
			buf = b;
		}
		size_t len = 0;
		uint32_t prev = 0, n = 0;
		for (size_t k = i; k < e; k++) {
			if (n && a->v[k].seg == prev)
				continue; /* a gram twice in one segment */
			/* Each entry: the segment (delta varint) and its
			 * length, so a look-up can bound a candidate's score
			 * before it reads the segment. */
			len += put_varint(buf + len, a->v[k].seg - prev);
			buf[len++] = a->v[k].len;
			prev = a->v[k].seg;
			n++;
		}
		rc = st->ops->add_postings(st, a->langs[a->v[i].key >> 32],
					   (uint32_t)a->v[i].key, a->flushes,
					   buf, len, n, err);
		i = e;
	}
	free(buf);
	a->n = 0;
	a->total = 0;
	a->flushes++;
	return rc;
}

/* ---- import ------------------------------------------------------------- */

struct hx_tm_batch {
	hx_tm *tm;
	char *origin;
	struct accum acc;
	hx_tm_import_stats stats;
	uint32_t tok[MAX_INDEX_TOK], exact[MAX_INDEX_TOK];
	bool open;
};

static uint64_t fnv64(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

int hx_tm_batch_begin(hx_tm_batch **out, hx_tm *tm, const char *origin,
		      hx_error *err)
{
	hx_tm_batch *b;
	int rc;

	assert(out && tm);
	*out = NULL;
	if (!(b = calloc(1, sizeof(*b))) ||
	    (origin && !(b->origin = strdup(origin)))) {
		free(b);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	b->tm = tm;
	if ((rc = tm->st->ops->begin(tm->st, err)) < 0) {
		free(b->origin);
		free(b);
		return rc;
	}
	b->open = true;
	*out = b;
	return HX_OK;
}

void hx_tm_batch_free(hx_tm_batch *b)
{
	if (!b)
		return;
	if (b->open)
		b->tm->st->ops->rollback(b->tm->st);
	accum_free(&b->acc);
	free(b->origin);
	free(b);
}

static int index_seg(hx_tm_batch *b, const char *lang, const char *text,
		     size_t len, int64_t seg, hx_error *err)
{
	int li = accum_lang(&b->acc, lang);
	size_t n = index_tokens(text, len, b->tok, NULL, NULL, b->exact,
				MAX_INDEX_TOK);

	if (li < 0)
		return hx__error_set(err, HX_EINVAL,
				     "more than 64 languages in one import");
	if ((uint64_t)seg > UINT32_MAX)
		return hx__error_set(err, HX_ELIMIT,
				     "the memory is full (4 billion segments)");
	uint8_t l8 = n > 255 ? 255 : (uint8_t)n;
	for (size_t k = 0; k < n; k++) {
		if (accum_add(&b->acc, li, uni_key(b->tok[k]), (uint32_t)seg,
			      l8) < 0 ||
		    (k + 1 < n &&
		     accum_add(&b->acc, li, bi_key(b->tok[k], b->tok[k + 1]),
			       (uint32_t)seg, l8) < 0) ||
		    (b->exact[k] && accum_add(&b->acc, li, num_key(b->exact[k]),
					      (uint32_t)seg, l8) < 0))
			return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	if (n == 1 &&
	    accum_add(&b->acc, li, bi_key(b->tok[0], 0), (uint32_t)seg, l8) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	return HX_OK;
}

/* A unit in full, with its metadata; hx_tm_batch_add is the plain case. */
struct unit_in {
	const char *const *langs;
	const char *const *texts;
	const size_t *lens;
	const char *const *codes;
	size_t n;
	struct hx__unit_meta meta;
};

static int add_unit(hx_tm_batch *b, const struct unit_in *u, hx_error *err)
{
	hx__store *st = b->tm->st;
	char norm[16][16];
	size_t order[16], n = 0;
	int64_t unit, seg;
	int rc;

	b->stats.units_read++;
	/* Languages normalised; a second segment in the same language (a
	 * TMX with two en-US and en-GB tuvs both "en") keeps the first. */
	for (size_t i = 0; i < u->n && n < 16; i++) {
		char l[16];
		hx_tm_lang_norm(l, sizeof(l), u->langs[i]);
		bool dup = false;
		for (size_t k = 0; k < n; k++)
			dup |= !strcmp(norm[order[k]], l);
		if (dup || !u->lens[i])
			continue;
		memcpy(norm[i], l, sizeof(l));
		order[n++] = i;
	}
	if (n < 2) {
		b->stats.skipped++;
		return HX_OK;
	}
	/* The unit's identity: its languages and texts, in language order,
	 * so the same unit from two files is one. */
	for (size_t x = 1; x < n; x++)
		for (size_t y = x;
		     y > 0 && strcmp(norm[order[y - 1]], norm[order[y]]) > 0;
		     y--) {
			size_t t = order[y];
			order[y] = order[y - 1];
			order[y - 1] = t;
		}
	uint64_t h = 1469598103934665603ULL;
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		h = fnv64(h, norm[i], strlen(norm[i]) + 1);
		h = fnv64(h, u->texts[i], u->lens[i]);
		h = fnv64(h, "\0", 1);
	}
	struct hx__unit_meta m = u->meta;
	m.hash = h & 0x7fffffffffffffffULL;
	if (!m.origin)
		m.origin = b->origin;
	if ((rc = st->ops->add_unit(st, &m, &unit, err)) < 0)
		return rc;
	if (!unit) {
		b->stats.duplicates++;
		return HX_OK;
	}
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		if ((rc = st->ops->add_seg(
			 st, unit, norm[i], u->texts[i], u->lens[i],
			 u->codes ? u->codes[i] : NULL, &seg, err)) < 0 ||
		    (rc = index_seg(b, norm[i], u->texts[i], u->lens[i], seg,
				    err)) < 0)
			return rc;
		b->stats.segments++;
	}
	b->stats.added++;
	if (b->acc.total > FLUSH_POSTINGS &&
	    (rc = accum_flush(&b->acc, st, err)) < 0)
		return rc;
	return HX_OK;
}

int hx_tm_batch_add(hx_tm_batch *b, const char *const *langs,
		    const char *const *texts, size_t n, hx_error *err)
{
	size_t lens[16];
	struct unit_in u = {0};

	assert(b && b->open);
	if (n > 16)
		n = 16;
	for (size_t i = 0; i < n; i++) {
		size_t bad;
		lens[i] = strlen(texts[i]);
		if (!hx__utf8_valid(texts[i], lens[i], &bad))
			return hx__error_set(err, HX_EINVAL,
					     "segment %zu: invalid UTF-8 at "
					     "byte %zu",
					     i + 1, bad);
	}
	u.langs = langs, u.texts = texts, u.lens = lens, u.n = n;
	return add_unit(b, &u, err);
}

int hx_tm_batch_commit(hx_tm_batch *b, hx_tm_import_stats *stats, hx_error *err)
{
	int rc;

	assert(b && b->open);
	if ((rc = accum_flush(&b->acc, b->tm->st, err)) < 0 ||
	    (rc = b->tm->st->ops->commit(b->tm->st, err)) < 0) {
		hx_tm_batch_free(b);
		return rc;
	}
	b->open = false;
	if (stats)
		*stats = b->stats;
	hx_tm_batch_free(b);
	return HX_OK;
}

/* JSON for props and notes: [["type","value"],...] and ["note",...]. */
struct jbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void jput(struct jbuf *j, const char *s, size_t n)
{
	if (j->oom)
		return;
	if (j->len + n + 1 > j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 256;
		while (cap < j->len + n + 1)
			cap *= 2;
		char *x = realloc(j->s, cap);
		if (!x) {
			j->oom = true;
			return;
		}
		j->s = x, j->cap = cap;
	}
	memcpy(j->s + j->len, s, n);
	j->len += n;
	j->s[j->len] = '\0';
}

static void jstr(struct jbuf *j, const char *s)
{
	jput(j, "\"", 1);
	for (; s && *s; s++) {
		char e[8];
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			e[0] = '\\', e[1] = (char)c;
			jput(j, e, 2);
		} else if (c < 0x20) {
			snprintf(e, sizeof(e), "\\u%04x", c);
			jput(j, e, 6);
		} else {
			jput(j, s, 1);
		}
	}
	jput(j, "\"", 1);
}

static char *props_json(struct jbuf *j, const hx_tmx_prop *p, size_t n)
{
	if (!n)
		return NULL;
	j->len = 0;
	jput(j, "[", 1);
	for (size_t i = 0; i < n; i++) {
		jput(j, i ? ",[" : "[", i ? 2 : 1);
		jstr(j, p[i].type);
		jput(j, ",", 1);
		jstr(j, p[i].value);
		jput(j, "]", 1);
	}
	jput(j, "]", 1);
	return j->oom ? NULL : strdup(j->s);
}

static char *notes_json(struct jbuf *j, const char *const *notes, size_t n)
{
	if (!n)
		return NULL;
	j->len = 0;
	jput(j, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			jput(j, ",", 1);
		jstr(j, notes[i]);
	}
	jput(j, "]", 1);
	return j->oom ? NULL : strdup(j->s);
}

static char *codes_json(struct jbuf *j, const hx_tmx_tuv_read *t)
{
	static const char *const kind[] = {"",	 "bpt", "ept", "ph",
					   "it", "hi",	"ut"};
	if (!t->ncodes)
		return NULL;
	j->len = 0;
	jput(j, "[", 1);
	for (size_t i = 0; i < t->ncodes; i++) {
		const hx_tmx_code *c = &t->codes[i];
		jput(j, i ? ",[" : "[", i ? 2 : 1);
		jstr(j, c->kind >= 1 && c->kind <= 6 ? kind[c->kind] : "");
		jput(j, ",", 1);
		jstr(j, c->content);
		jput(j, ",", 1);
		jstr(j, c->i);
		jput(j, ",", 1);
		jstr(j, c->x);
		jput(j, ",", 1);
		jstr(j, c->type);
		jput(j, "]", 1);
	}
	jput(j, "]", 1);
	return j->oom ? NULL : strdup(j->s);
}

struct import_ctx {
	hx_tm_batch *b;
	struct jbuf j;
	hx_tm_progress_cb progress;
	void *payload;
};

static int on_unit(void *payload, const hx_tmx_header_read *hdr,
		   const hx_tmx_unit *tu, hx_error *err)
{
	struct import_ctx *c = payload;
	const char *langs[16], *texts[16];
	size_t lens[16];
	char *codes[16] = {0};
	struct unit_in u = {0};
	size_t n = tu->ntuvs < 16 ? tu->ntuvs : 16;
	int rc;

	(void)hdr;
	for (size_t i = 0; i < n; i++) {
		langs[i] = tu->tuvs[i].lang;
		texts[i] = tu->tuvs[i].text;
		lens[i] = tu->tuvs[i].len;
		codes[i] = codes_json(&c->j, &tu->tuvs[i]);
	}
	u.langs = langs, u.texts = texts, u.lens = lens, u.n = n;
	u.codes = (const char *const *)codes;
	u.meta.tuid = tu->tuid;
	u.meta.creationdate = tu->creationdate;
	u.meta.creationid = tu->creationid;
	u.meta.changedate = tu->changedate;
	u.meta.changeid = tu->changeid;
	char *props = props_json(&c->j, tu->props, tu->nprops);
	char *notes = notes_json(&c->j, tu->notes, tu->nnotes);
	u.meta.props = props;
	u.meta.notes = notes;
	rc = add_unit(c->b, &u, err);
	free(props);
	free(notes);
	for (size_t i = 0; i < n; i++)
		free(codes[i]);
	if (c->j.oom)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if (c->progress && c->b->stats.units_read % 10000 == 0)
		c->progress(c->payload, c->b->stats.units_read, 0);
	return rc;
}

int hx_tm_import_tmx(hx_tm *tm, const char *const *paths, size_t npaths,
		     hx_tm_import_stats *stats, hx_tm_progress_cb progress,
		     void *payload, hx_error *err)
{
	struct import_ctx c = {0};
	int rc;

	assert(tm && (paths || !npaths));
	if (stats)
		memset(stats, 0, sizeof(*stats));
	if ((rc = hx_tm_batch_begin(&c.b, tm, NULL, err)) < 0)
		return rc;
	c.progress = progress;
	c.payload = payload;
	for (size_t i = 0; i < npaths; i++) {
		const char *base = strrchr(paths[i], '/');
		free(c.b->origin);
		c.b->origin = strdup(base ? base + 1 : paths[i]);
		if (!c.b->origin) {
			rc = hx__error_set(err, HX_ENOMEM, "out of memory");
			goto fail;
		}
		if ((rc = hx_tmx_read(paths[i], NULL, on_unit, &c, err)) < 0)
			goto fail;
	}
	free(c.j.s);
	return hx_tm_batch_commit(c.b, stats, err);
fail:
	free(c.j.s);
	hx_tm_batch_free(c.b);
	return rc;
}

/* ---- results ------------------------------------------------------------ */

struct hx_tm_results {
	hx_tm_match *v;
	size_t *start, *end;
	size_t n, cap;
};

static int results_add(hx_tm_results *r, int score, unsigned kinds,
		       const char *src, size_t slen, const char *tgt,
		       size_t tlen, const char *origin, int64_t unit,
		       size_t start, size_t end)
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
		r->cap = cap;
	}
	hx_tm_match *m = &r->v[r->n];
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

/* ---- fuzzy look-up ------------------------------------------------------- */

struct cand {
	uint32_t seg;
	uint16_t count, bonus; /* shared bigrams; same numbers */
	uint8_t len;
	int8_t bound; /* highest score it can reach (0..100) */
};

struct counter {
	struct cand *t;
	size_t nslots, used;
	bool bonus; /* the list being read counts as a number match */
};

static int counter_bump(struct counter *c, uint32_t seg, uint8_t len)
{
	if (c->used * 2 >= c->nslots) {
		size_t n = c->nslots ? c->nslots * 2 : 4096;
		struct cand *old = c->t;
		size_t on = c->nslots;
		if (!(c->t = calloc(n, sizeof(*c->t)))) {
			c->t = old;
			return HX_ENOMEM;
		}
		c->nslots = n;
		c->used = 0;
		for (size_t i = 0; i < on; i++)
			if (old[i].seg) {
				size_t m = n - 1, k = mix32(old[i].seg) & m;
				while (c->t[k].seg)
					k = (k + 1) & m;
				c->t[k] = old[i];
				c->used++;
			}
		free(old);
	}
	size_t m = c->nslots - 1, k = mix32(seg) & m;
	while (c->t[k].seg && c->t[k].seg != seg)
		k = (k + 1) & m;
	if (!c->t[k].seg) {
		c->t[k].seg = seg;
		c->t[k].len = len;
		c->used++;
	}
	if (c->bonus)
		c->t[k].bonus++;
	else
		c->t[k].count++;
	return HX_OK;
}

/* One posting entry at b[i]: the segment (a varint delta added to *seg)
 * and its length byte. Returns where the next entry starts. A damaged
 * blob cannot read past len. */
static size_t next_entry(const unsigned char *b, size_t len, size_t i,
			 uint32_t *seg, uint8_t *l8)
{
	uint32_t d = 0;
	int shift = 0;
	while (i < len && (b[i] & 0x80) && shift < 32) {
		d |= (uint32_t)(b[i++] & 0x7f) << shift;
		shift += 7;
	}
	if (i < len)
		d |= (uint32_t)b[i++] << (shift < 32 ? shift : 0);
	*seg += d;
	*l8 = i < len ? b[i++] : 0;
	return i;
}

static int on_postings(void *payload, const unsigned char *b, size_t len,
		       uint32_t n)
{
	struct counter *c = payload;
	uint32_t v = 0;
	uint8_t l8;
	size_t i = 0;
	(void)n;
	while (i < len) {
		i = next_entry(b, len, i, &v, &l8);
		if (counter_bump(c, v, l8) < 0)
			return HX_ENOMEM;
	}
	return HX_OK;
}

static int cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	if (a->bound != b->bound)
		return a->bound < b->bound ? 1 : -1;
	if (a->bonus != b->bonus)
		return a->bonus < b->bonus ? 1 : -1;
	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return a->seg < b->seg ? -1 : a->seg > b->seg;
}

static int cmp_match(const void *x, const void *y)
{
	const hx_tm_match *a = x, *b = y;
	if (a->score != b->score)
		return a->score < b->score ? 1 : -1;
	return a->unit < b->unit ? -1 : a->unit > b->unit;
}

/* Score one stored segment against the query; keep it if it reaches min
 * and has a target. */
static int consider(hx_tm *tm, hx_tm_results *r, const hx_match_seg *q,
		    const char *src, const char *tgt, int min, int64_t seg,
		    const char *text, size_t len, int64_t unit, hx_error *err)
{
	hx_match_seg *s = NULL;
	unsigned kinds = 0;
	const char *t, *origin;
	size_t tlen;
	int rc, score;
	char *copy = strndup(text, len);

	if (!copy)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if ((rc = hx_match_seg_new(&s, src, copy, len, err)) < 0) {
		free(copy);
		return rc;
	}
	score = hx_match_score(q, s, min, &kinds);
	hx_match_seg_free(s);
	(void)seg;
	if (score < min) {
		free(copy);
		return HX_OK;
	}
	if ((rc = tm->st->ops->get_unit_seg(tm->st, unit, tgt, &t, &tlen,
					    err)) < 0 ||
	    !t) {
		free(copy);
		return rc;
	}
	char *tcopy = strndup(t, tlen);
	if (!tcopy ||
	    (rc = tm->st->ops->get_origin(tm->st, unit, &origin, err)) < 0) {
		free(copy);
		free(tcopy);
		return tcopy ? rc
			     : hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	rc = results_add(r, score, kinds, copy, len, tcopy, tlen, origin, unit,
			 0, 0);
	free(copy);
	free(tcopy);
	return rc < 0 ? hx__error_set(err, rc, "out of memory") : HX_OK;
}

struct exh_ctx {
	hx_tm *tm;
	hx_tm_results *r;
	const hx_match_seg *q;
	const char *src, *tgt;
	int min;
	hx_error *err;
};

static int on_exh_seg(void *payload, int64_t seg, int64_t unit,
		      const char *lang, const char *text, size_t len)
{
	struct exh_ctx *c = payload;
	(void)lang;
	return consider(c->tm, c->r, c->q, c->src, c->tgt, c->min, seg, text,
			len, unit, c->err);
}

/* The max-th best score so far (results are unsorted while collected);
 * -1 while there are fewer than max. At most MAX_CANDIDATES results. */
static int best_n(const hx_tm_results *r, size_t max)
{
	int v[MAX_CANDIDATES];
	size_t n = r->n < MAX_CANDIDATES ? r->n : MAX_CANDIDATES;
	if (n < max)
		return -1;
	for (size_t i = 0; i < n; i++)
		v[i] = r->v[i].score;
	/* Partial selection: the max largest to the front. */
	for (size_t i = 0; i < max; i++)
		for (size_t j = i + 1; j < n; j++)
			if (v[j] > v[i]) {
				int t = v[i];
				v[i] = v[j];
				v[j] = t;
			}
	return v[max - 1];
}

static void keep_best(hx_tm_results *r, size_t max)
{
	if (r->n)
		qsort(r->v, r->n, sizeof(*r->v), cmp_match);
	while (max && r->n > max) {
		r->n--;
		free((char *)r->v[r->n].source);
		free((char *)r->v[r->n].target);
		free((char *)r->v[r->n].origin);
	}
}

int hx_tm_lookup(hx_tm_results **out, hx_tm *tm, const char *src,
		 const char *tgt, const char *query, size_t len,
		 const hx_tm_lookup_options *opts, hx_error *err)
{
	hx_tm_lookup_options def;
	hx_tm_results *r;
	hx_match_seg *q = NULL;
	struct counter cnt = {0};
	uint32_t tok[MAX_INDEX_TOK], exact[MAX_INDEX_TOK];
	char sl[16], tl[16];
	int rc;

	assert(out && tm && src && tgt && query);
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
	int min = opts->min_score < 1 ? 1 : opts->min_score;
	if (opts->exhaustive) {
		struct exh_ctx c = {tm, r, q, sl, tl, min, err};
		if ((rc = tm->st->ops->foreach_seg(tm->st, sl, on_exh_seg, &c,
						   err)) < 0)
			goto fail;
		goto done;
	}
	size_t n =
	    index_tokens(query, len, tok, NULL, NULL, exact, MAX_INDEX_TOK);
	if (n == 0)
		goto done;
	/* Largest edit distance a match >= min can have: a stored segment is
	 * at most n * 100 / min tokens long (longer ones score less). */
	size_t dmax = (size_t)((double)n * (100 - min) / min);
	size_t ngrams = n > 1 ? n - 1 : 1, skipped = 0;
	for (size_t k = 0; k < ngrams; k++) {
		uint32_t g =
		    n > 1 ? bi_key(tok[k], tok[k + 1]) : bi_key(tok[0], 0);
		uint64_t total;
		if ((rc = tm->st->ops->count_postings(tm->st, sl, g, &total,
						      err)) < 0)
			goto fail;
		if (total > STOP_POSTINGS) {
			skipped++;
			continue;
		}
		if (total && (rc = tm->st->ops->get_postings(
				  tm->st, sl, g, on_postings, &cnt, err)) < 0) {
			if (rc == HX_ENOMEM)
				hx__error_set(err, rc, "out of memory");
			goto fail;
		}
	}
	/* Numbers as written: a bonus that ranks the same numbers first. */
	cnt.bonus = true;
	for (size_t k = 0; k < n; k++) {
		uint64_t total;
		if (!exact[k])
			continue;
		uint32_t g = num_key(exact[k]);
		if ((rc = tm->st->ops->count_postings(tm->st, sl, g, &total,
						      err)) < 0)
			goto fail;
		if (total && total <= STOP_POSTINGS &&
		    (rc = tm->st->ops->get_postings(tm->st, sl, g, on_postings,
						    &cnt, err)) < 0)
			goto fail;
	}
	cnt.bonus = false;
	/* The q-gram count filter, lowered for every skipped gram, then
	 * each candidate's best possible score from its count and length:
	 * at least |n - len| edits, and at least half the bigrams it misses
	 * (an edit destroys at most two). */
	long need = (long)ngrams - 2 * (long)dmax - (long)skipped;
	if (need < 1)
		need = 1;
	size_t nc = 0;
	for (size_t i = 0; i < cnt.nslots; i++) {
		struct cand *c = &cnt.t[i];
		if (!c->seg || c->count < (uint32_t)need)
			continue;
		size_t l = c->len < 255 ? c->len : (n > 255 ? n : 255);
		size_t big = l > n ? l : n;
		double dl = l > n ? (double)(l - n) : (double)(n - l);
		long missing = (long)ngrams - (long)c->count - (long)skipped;
		double dq = missing > 0 ? missing / 2.0 : 0;
		double d = dl > dq ? dl : dq;
		int bound = (int)(100.0 * (1.0 - d / (double)big)) + 1;
		if (bound > 100)
			bound = 100;
		if (bound < min)
			continue;
		c->bound = (int8_t)bound;
		cnt.t[nc++] = *c;
	}
	if (nc)
		qsort(cnt.t, nc, sizeof(*cnt.t), cmp_cand);
	if (nc > MAX_CANDIDATES)
		nc = MAX_CANDIDATES;
	for (size_t i = 0; i < nc; i++) {
		const char *text;
		size_t tlen;
		int64_t unit;
		char lang[16];
		/* Candidates come best bound first: once max results reach
		 * the next bound, no candidate left can beat them. */
		if (opts->max && r->n >= opts->max &&
		    best_n(r, opts->max) >= cnt.t[i].bound)
			break;
		if ((rc = tm->st->ops->get_seg(tm->st, cnt.t[i].seg, &text,
					       &tlen, &unit, lang, err)) < 0 ||
		    (rc = consider(tm, r, q, sl, tl, min, cnt.t[i].seg, text,
				   tlen, unit, err)) < 0)
			goto fail;
	}
done:
	tm->st->ops->idle(tm->st);
	keep_best(r, opts->max);
	free(cnt.t);
	hx_match_seg_free(q);
	*out = r;
	return HX_OK;
fail:
	tm->st->ops->idle(tm->st);
	free(cnt.t);
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
	uint32_t v = 0;
	uint8_t l8;
	size_t i = 0;
	(void)n;
	while (i < len) {
		i = next_entry(b, len, i, &v, &l8);
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 1024;
			uint32_t *x = realloc(p->v, cap * sizeof(*x));
			if (!x)
				return HX_ENOMEM;
			p->v = x, p->cap = cap;
		}
		p->v[p->n++] = v;
	}
	return HX_OK;
}

static int cmp_u32v(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

int hx_tm_concord(hx_tm_results **out, hx_tm *tm, const char *src,
		  const char *tgt, const char *term, size_t len, size_t max,
		  hx_error *err)
{
	uint32_t tok[64];
	struct post_set best = {0}, other = {0};
	hx_tm_results *r;
	char sl[16], tl[16];
	size_t *tmap = NULL, ftlen;
	char *fterm = NULL;
	int rc = HX_OK;

	assert(out && tm && src && tgt && term);
	*out = NULL;
	hx_tm_lang_norm(sl, sizeof(sl), src);
	hx_tm_lang_norm(tl, sizeof(tl), tgt);
	size_t n = index_tokens(term, len, tok, NULL, NULL, NULL, 64);
	if (!n)
		return hx__error_set(err, HX_EINVAL,
				     "concordance: '%.*s' has no word to look "
				     "for",
				     (int)len, term);
	if (!(r = calloc(1, sizeof(*r))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	/* Candidates: segments holding every token of the term, from the
	 * smallest posting list down. */
	for (size_t k = 0; k < n; k++) {
		other.n = 0;
		if ((rc = tm->st->ops->get_postings(tm->st, sl, uni_key(tok[k]),
						    on_set, &other, err)) < 0)
			goto fail;
		if (other.n)
			qsort(other.v, other.n, sizeof(*other.v), cmp_u32v);
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
		int64_t unit;
		char lang[16];
		if ((rc = tm->st->ops->get_seg(tm->st, best.v[i], &text, &tlen,
					       &unit, lang, err)) < 0)
			goto fail;
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
			rc = tm->st->ops->get_unit_seg(tm->st, unit, tl, &t,
						       &ttl, err);
			if (rc == HX_OK && t) {
				char *tc = strndup(t, ttl);
				rc = tm->st->ops->get_origin(tm->st, unit,
							     &origin, err);
				if (rc == HX_OK && tc &&
				    results_add(r, 100, 0, copy, tlen, tc, ttl,
						origin, unit, hs, he) < 0)
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

/* ---- stats and export --------------------------------------------------- */

int hx_tm_stats_get(hx_tm_stats *s, hx_tm *tm, hx_error *err)
{
	FILE *f;

	assert(s && tm);
	memset(s, 0, sizeof(*s));
	s->schema_version = HX_TM_SCHEMA;
	if ((f = fopen(tm->path, "rb"))) {
		fseek(f, 0, SEEK_END);
		s->file_bytes = ftell(f);
		fclose(f);
	}
	return tm->st->ops->counts(tm->st, &s->units, &s->segments, s->langs,
				   s->per_lang, &s->nlangs, err);
}

struct export_ctx {
	hx_tm *tm;
	hx_tmx_writer *w;
	const char *src, *tgt;
	size_t units;
	hx_error *err;
	/* the unit being collected */
	char *text[16];
	char lang[16][16];
	size_t n;
};

static int on_unit_seg(void *payload, int64_t seg, int64_t unit,
		       const char *lang, const char *text, size_t len)
{
	struct export_ctx *c = payload;
	(void)seg, (void)unit;
	if (c->n == 16)
		return HX_OK;
	if (c->src && strcmp(lang, c->src) && strcmp(lang, c->tgt))
		return HX_OK;
	if (!(c->text[c->n] = strndup(text, len)))
		return HX_ENOMEM;
	snprintf(c->lang[c->n], 16, "%s", lang);
	c->n++;
	return HX_OK;
}

static int on_export_unit(void *payload, int64_t seg, int64_t unit,
			  const char *lang, const char *text, size_t len)
{
	struct export_ctx *c = payload;
	hx_tmx_tuv tuv[16];
	int rc;

	(void)unit, (void)lang, (void)text, (void)len;
	c->n = 0;
	rc = c->tm->st->ops->foreach_unit_seg(c->tm->st, seg, on_unit_seg, c,
					      c->err);
	if (rc == HX_OK && c->n >= 2) {
		/* The pivot first when there is one. */
		size_t k = 0;
		for (size_t i = 0; i < c->n; i++)
			if (c->src && !strcmp(c->lang[i], c->src))
				tuv[k++] = (hx_tmx_tuv){c->lang[i], c->text[i],
							strlen(c->text[i])};
		for (size_t i = 0; i < c->n; i++)
			if (!c->src || strcmp(c->lang[i], c->src))
				tuv[k++] = (hx_tmx_tuv){c->lang[i], c->text[i],
							strlen(c->text[i])};
		hx_tmx_tu tu = {tuv, k, NULL, 0, NULL};
		if (!c->src || k == 2) {
			rc = hx_tmx_writer_add(c->w, &tu, c->err);
			if (rc == HX_OK)
				c->units++;
		}
	}
	for (size_t i = 0; i < c->n; i++)
		free(c->text[i]);
	c->n = 0;
	return rc;
}

int hx_tm_export_tmx(hx_tm *tm, const char *path, const char *src,
		     const char *tgt, size_t *units, hx_error *err)
{
	struct export_ctx c = {0};
	hx_tmx_header hdr = {0};
	char sl[16], tl[16];
	int rc;

	assert(tm && path);
	if (src && tgt) {
		c.src = hx_tm_lang_norm(sl, sizeof(sl), src);
		c.tgt = hx_tm_lang_norm(tl, sizeof(tl), tgt);
	}
	hdr.srclang = c.src ? c.src : "*all*";
	if ((rc = hx_tmx_writer_open(&c.w, path, &hdr, err)) < 0)
		return rc;
	c.tm = tm;
	c.err = err;
	/* foreach_unit passes the unit id as the segment argument. */
	rc = tm->st->ops->foreach_unit(tm->st, on_export_unit, &c, err);
	if (rc < 0) {
		if (rc == HX_ENOMEM)
			hx__error_set(err, rc, "out of memory");
		hx_tmx_writer_free(c.w);
		return rc;
	}
	if (units)
		*units = c.units;
	return hx_tmx_writer_close(c.w, err);
}
