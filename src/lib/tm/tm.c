/*
 * tm.c - the translation memory: importing units, the n-gram index, and
 * exact, fuzzy and concordance look-ups. Storage is behind tmstore.h; the
 * scores come from match.c.
 *
 * Index. Every segment is cut into the tokens the score counts (match.c),
 * and the ones that are not punctuation are its index tokens, by their
 * loose form (case-folded, every number one class). The memory keeps, per
 * language, the posting list of every index-token unigram (concordance)
 * and bigram (fuzzy look-up), of every number as written, and of the
 * loose form of the whole segment: the units whose segment holds it. A
 * fuzzy look-up counts, for each unit, the query bigrams its segment
 * shares; by the q-gram lemma (Ukkonen 1992, "Approximate string-matching
 * with q-grams and maximal matches", Theoretical Computer Science 92) a
 * segment within edit distance d of a query shares at least (n - 1) - 2d
 * of its n - 1 bigrams (an edit destroys at most two, and dropping
 * punctuation from both sides does not add edits), so each candidate has
 * a best possible score, from that count and from the two lengths, and
 * candidates are scored exactly best bound first until no bound left can
 * beat the results. Bigrams held by more than a fixed number of segments
 * ("of the", "的") are skipped, but for the rarest two: they select
 * little and cost the most to read; each skipped bigram counts as shared
 * in the bound, so the filter stays safe. The whole-segment gram finds
 * exact and number-only matches even when every bigram is frequent.
 *
 * Posting lists: unit numbers delta-coded as varints (each segment's
 * token count, for the bound, is kept once per unit apart from them),
 * one chunk per gram per import, so an import never rewrites what earlier
 * imports stored. An import collects (gram, unit) pairs in memory, 256
 * partitions by gram, sorts each partition (a radix sort over a megabyte or
 * two, in cache) into a compressed run when memory is full, and at the end
 * merges the runs gram by gram: every row reaches SQLite once, in key order.
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <hexalign/hexalign.h>
#include <hexalign/tm.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "base/text.h"
#include "base/varint.h"
#include "tm/bitdist.h"
#include "tm/match-private.h"
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
/* (gram, unit) pairs held in memory during an import before they are
 * sorted into a run (8 bytes each). */
#define FLUSH_PAIRS (24u << 20)
/* Index tokens per segment (longer segments index their start). */
#define MAX_INDEX_TOK 512
/* Tokens of a segment kept in compact form (longer ones are scored from
 * their text alone). */
#define MAX_TOKS 4096
/* Languages of one import (the store allows 63). */
#define MAX_LANGS 64

/* Per-handle scratch of the fuzzy look-up, kept from one look-up to the
 * next: by unit number, the bigrams shared, number matches (and 0x80 for
 * the whole-segment gram) and the segment's token count. */
/* Bits of scan.bonus besides the count of numbers. */
#define FULL 0x80 /* in the whole-segment list */
#define DONE 0x40 /* scored already */
#define NUMS 0x3f

struct scan_unit {
	uint8_t cnt, bonus, len; /* together: one cache line per unit */
};

struct scan {
	struct scan_unit *e; /* by unit */
	size_t cap;
	uint32_t *touched;
	size_t ntouched, tcap;
};

/* The compact forms of one language held in memory: a handle that serves
 * many look-ups reads them once, and then scores most candidates without
 * a read. at[unit] is where unit's form starts in v ([count, tokens...]),
 * 0 for none (units added since are read from the store). */
struct toks_cache {
	char lang[16];
	void *region; /* at and v, one mapping (see cache_map) */
	uint32_t *at;
	size_t nat;
	uint16_t *v;
	size_t n, cap;
	unsigned uses; /* look-ups in lang before it was loaded */
	bool loaded, failed;
};

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

/* The token counts of one language's segments, by unit, read once per
 * handle (1 MB per million units) and again when a posting names a unit
 * past them (the memory grew). */
struct lens_cache {
	char lang[16];
	unsigned char *v;
	size_t n;
	bool loaded, stale;
};

static void cache_unmap(struct toks_cache *c);

struct hx_tm {
	hx__store *st;
	char *path;
	struct scan scan;
	struct toks_cache cache;
	struct lens_cache lens;
	/* A batch's threads hold the store: the handle waits for its
	 * commit (or its end) before anything else. */
	bool importing;
	hx_match_seg *seg; /* a candidate's tokens */
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
	free(tm->scan.e);
	free(tm->scan.touched);
	cache_unmap(&tm->cache);
	free(tm->lens.v);
	hx_match_seg_free(tm->seg);
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

/* ---- gram keys ------------------------------------------------------------
 */

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

/* Unigrams (concordance) and numbers as written have the top bit clear,
 * bigrams and whole segments set. A collision between two grams only
 * adds candidates, which the exact score then rejects. */
static uint32_t uni_key(uint32_t t)
{
	return mix32(t ^ 0x9e3779b9u) & 0x7fffffffu;
}

static uint32_t num_key(uint32_t num)
{
	return mix32(num ^ 0x5bd1e995u) & 0x7fffffffu;
}

static uint32_t bi_key(uint32_t a, uint32_t b)
{
	return (mix32(a * 31u + mix32(b)) | 0x80000000u);
}

static uint32_t full_key(uint32_t loose)
{
	return mix32(loose ^ 0x27d4eb2fu) | 0x80000000u;
}

/* The bigrams of a segment's index tokens (whole tokens, not parts);
 * one token alone is a bigram with nothing. Returns how many. */
static size_t bigrams(const struct hx__index_tok *t, size_t n, uint32_t *g)
{
	size_t k = 0, prev = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		if (t[i].part)
			continue;
		if (prev != SIZE_MAX)
			g[k++] = bi_key(t[prev].key, t[i].key);
		prev = i;
	}
	if (!k && prev != SIZE_MAX)
		g[k++] = bi_key(t[prev].key, 0);
	return k;
}

/* The compact token forms are stored little-endian, so that a memory
 * file moves between machines (as SQLite files do); a no-op on most. */
static void le16(uint16_t *v, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	for (size_t i = 0; i < n; i++)
		v[i] = (uint16_t)(v[i] << 8 | v[i] >> 8);
#else
	(void)v, (void)n;
#endif
}

/* ---- postings accumulator (import) ------------------------------------- */

/* A growable byte buffer. */
struct bytes {
	unsigned char *b;
	size_t n, cap;
};

static int bytes_room(struct bytes *x, size_t more)
{
	void *b = x->b;
	if (hx__grow(&b, &x->cap, x->n + more, 1) < 0)
		return HX_ENOMEM;
	x->b = b;
	return HX_OK;
}

/* Pairs of one partition: gram << 32 | (unit - first unit of the run). */
struct part {
	uint64_t *v;
	size_t n, cap;
};

/* Where one partition's run lies in the run file. */
struct run_at {
	long long off;
	size_t len;
};

struct accum {
	struct part *parts[MAX_LANGS]; /* 256 each, by gram >> 24 */
	struct bytes lens[MAX_LANGS];  /* token count by unit - base */
	int64_t base;		       /* the import's first unit */
	char langs[MAX_LANGS][16];
	size_t nlangs;
	int64_t first; /* the first unit of the run being collected */
	size_t pairs;  /* pairs held */
	/* Sorted runs: kept in memory while there is one, in a temporary
	 * file when there are more. */
	struct run_at *at; /* [run][lang][256] */
	size_t nruns;
	struct bytes mem;
	FILE *file;
	long long file_len;
};

static void accum_free(struct accum *a)
{
	for (size_t l = 0; l < MAX_LANGS; l++) {
		if (a->parts[l])
			for (size_t p = 0; p < 256; p++)
				free(a->parts[l][p].v);
		free(a->parts[l]);
		free(a->lens[l].b);
	}
	free(a->at);
	free(a->mem.b);
	if (a->file)
		fclose(a->file);
	memset(a, 0, sizeof(*a));
}

static int accum_lang(struct accum *a, const char *lang)
{
	for (size_t i = 0; i < a->nlangs; i++)
		if (!strcmp(a->langs[i], lang))
			return (int)i;
	if (a->nlangs == MAX_LANGS)
		return -1;
	if (!(a->parts[a->nlangs] = calloc(256, sizeof(struct part))))
		return -2;
	snprintf(a->langs[a->nlangs], 16, "%s", lang);
	return (int)a->nlangs++;
}

static inline int accum_add(struct accum *a, int lang, uint32_t g, uint32_t off)
{
	struct part *p = &a->parts[lang][g >> 24];
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap + p->cap / 2 : 1024;
		uint64_t *v = realloc(p->v, cap * sizeof(*v));
		if (!v)
			return HX_ENOMEM;
		p->v = v, p->cap = cap;
	}
	p->v[p->n++] = (uint64_t)g << 32 | off;
	a->pairs++;
	return HX_OK;
}

/* Sort v by gram, units ascending within a gram: pairs come in unit
 * order, and a stable LSD radix sort on the 24 low gram bits (two passes
 * of 12) keeps it; the top 8 bits are the partition's. */
static void sort_part(uint64_t *v, uint64_t *tmp, size_t n)
{
	size_t count[1 << 12];
	for (int shift = 32; shift < 56; shift += 12) {
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(v[i] >> shift) & 0xfff]++;
		size_t sum = 0;
		for (size_t d = 0; d < (1 << 12); d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(v[i] >> shift) & 0xfff]++] = v[i];
		uint64_t *t = v;
		v = tmp;
		tmp = t;
	}
	/* Two passes: the sorted pairs are back in the caller's v. */
}

/* An unnamed temporary file in $TMPDIR (or /tmp): the runs and compact
 * forms of a big import are larger than memory should hold. */
static FILE *temp_file(hx_error *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(path, sizeof(path), "%s/hexalign-import-XXXXXX", dir);
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
	if (fd >= 0)
		unlink(path);
	if (!f) {
		hx__error_set(err, HX_EIO,
			      "%s: cannot create a temporary file for the "
			      "import: %s (TMPDIR chooses the folder)",
			      dir, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

/* Append run bytes to the memory buffer or the file. */
static int run_write(struct accum *a, const unsigned char *b, size_t n,
		     struct run_at *at, hx_error *err)
{
	at->len = n;
	if (!a->file) {
		at->off = (long long)a->mem.n;
		if (bytes_room(&a->mem, n) < 0)
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		if (n)
			memcpy(a->mem.b + a->mem.n, b, n);
		a->mem.n += n;
		return HX_OK;
	}
	at->off = a->file_len;
	if (n && fwrite(b, 1, n, a->file) != n)
		return hx__error_set(err, HX_EIO,
				     "cannot write the import's temporary "
				     "file: %s",
				     strerror(errno));
	a->file_len += (long long)n;
	return HX_OK;
}

/* The second run moves the first to a temporary file: the runs of a big
 * import are larger than memory should hold. */
static int run_spill(struct accum *a, hx_error *err)
{
	if (!(a->file = temp_file(err)))
		return HX_EIO;
	if (a->mem.n && fwrite(a->mem.b, 1, a->mem.n, a->file) != a->mem.n)
		return hx__error_set(err, HX_EIO,
				     "cannot write the import's temporary "
				     "file: %s",
				     strerror(errno));
	a->file_len = (long long)a->mem.n;
	free(a->mem.b);
	memset(&a->mem, 0, sizeof(a->mem));
	return HX_OK;
}

/*
 * Sort what is held into a run. A run, per language and partition, is a
 * sequence of grams: varint gram delta, varint count, varint last unit,
 * varint byte length, then the entries (varint unit delta from the one
 * before, the first from 0).
 */
static int accum_run(struct accum *a, hx_error *err)
{
	struct bytes out = {0}, ent = {0};
	uint64_t *tmp = NULL;
	size_t tmpcap = 0;
	int rc = HX_OK;

	if (!a->pairs && a->nruns)
		return HX_OK;
	if (a->nruns == 1 && !a->file && (rc = run_spill(a, err)) < 0)
		return rc;
	struct run_at *at =
	    realloc(a->at, (a->nruns + 1) * MAX_LANGS * 256 * sizeof(*at));
	if (!at)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	a->at = at;
	at += a->nruns * MAX_LANGS * 256;
	memset(at, 0, MAX_LANGS * 256 * sizeof(*at));
	for (size_t l = 0; l < a->nlangs && rc == HX_OK; l++) {
		for (size_t p = 0; p < 256 && rc == HX_OK; p++) {
			struct part *pt = &a->parts[l][p];
			if (pt->n > tmpcap) {
				free(tmp);
				tmpcap = pt->n;
				if (!(tmp = malloc(tmpcap * sizeof(*tmp)))) {
					rc = hx__error_set(err, HX_ENOMEM,
							   "out of memory");
					break;
				}
			}
			sort_part(pt->v, tmp, pt->n);
			out.n = 0;
			uint32_t gprev = 0;
			for (size_t i = 0; i < pt->n;) {
				uint32_t g = (uint32_t)(pt->v[i] >> 32);
				size_t e = i;
				while (e < pt->n &&
				       (uint32_t)(pt->v[e] >> 32) == g)
					e++;
				/* Entries first: the header says their
				 * length. */
				if (bytes_room(&out, (e - i) * 6 + 40) < 0 ||
				    bytes_room(&ent, (e - i) * 6) < 0) {
					rc = hx__error_set(err, HX_ENOMEM,
							   "out of memory");
					break;
				}
				unsigned char *en = ent.b;
				size_t m = 0, cnt = 0;
				uint64_t prev = 0, u = 0;
				for (size_t k = i; k < e; k++) {
					uint32_t off = (uint32_t)pt->v[k];
					u = (uint64_t)a->first + off;
					if (cnt && u == prev)
						continue; /* twice in one */
					m += hx__varint_put(en + m, u - prev);
					prev = u;
					cnt++;
				}
				out.n +=
				    hx__varint_put(out.b + out.n, g - gprev);
				out.n += hx__varint_put(out.b + out.n, cnt);
				out.n += hx__varint_put(out.b + out.n, prev);
				out.n += hx__varint_put(out.b + out.n, m);
				memcpy(out.b + out.n, en, m);
				out.n += m;
				gprev = g;
				i = e;
			}
			if (rc == HX_OK)
				rc = run_write(a, out.b, out.n,
					       &at[l * 256 + p], err);
			pt->n = 0;
		}
	}
	free(tmp);
	free(out.b);
	free(ent.b);
	a->nruns++;
	a->pairs = 0;
	return rc;
}

/* One run's gram list being merged. */
struct cursor {
	const unsigned char *b;
	size_t len, i;
	uint32_t g; /* current gram */
	uint64_t cnt, last;
	size_t elen; /* its entries' bytes, at b + i */
	bool done;
};

static void cursor_next(struct cursor *c, uint32_t *gprev)
{
	if (c->i >= c->len) {
		c->done = true;
		return;
	}
	*gprev += (uint32_t)hx__varint_get(c->b, c->len, &c->i);
	c->g = *gprev;
	c->cnt = hx__varint_get(c->b, c->len, &c->i);
	c->last = hx__varint_get(c->b, c->len, &c->i);
	c->elen = (size_t)hx__varint_get(c->b, c->len, &c->i);
	if (c->elen > c->len - c->i)
		c->elen = c->len - c->i;
}

/* The merge of one partition of one language: every gram of it, in gram
 * order, as records in out (varint gram, varint count, varint length,
 * then the list). */
struct merger {
	struct accum *a;
	struct bytes buf, blob;
	struct cursor *cur;
	uint32_t *gp;
};

static int merge_part(struct merger *m, size_t l, size_t p, struct bytes *out,
		      hx_error *err)
{
	struct accum *a = m->a;
	struct bytes *buf = &m->buf, *blob = &m->blob;
	struct cursor *cur = m->cur;
	uint32_t *gp = m->gp;

	/* This partition of every run, side by side. */
	size_t total = 0;
	for (size_t r = 0; r < a->nruns; r++)
		total += a->at[(r * MAX_LANGS + l) * 256 + p].len;
	buf->n = 0;
	out->n = 0;
	if (bytes_room(buf, total + 1) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (size_t r = 0; r < a->nruns; r++) {
		const struct run_at *x = &a->at[(r * MAX_LANGS + l) * 256 + p];
		if (a->file) {
			if (fseeko(a->file, (off_t)x->off, SEEK_SET) < 0 ||
			    (x->len && fread(buf->b + buf->n, 1, x->len,
					     a->file) != x->len))
				return hx__error_set(err, HX_EIO,
						     "cannot read the import's "
						     "temporary file");
		} else if (x->len) {
			memcpy(buf->b + buf->n, a->mem.b + x->off, x->len);
		}
		cur[r] = (struct cursor){.b = buf->b + buf->n, .len = x->len};
		gp[r] = 0;
		buf->n += x->len;
	}
	for (size_t r = 0; r < a->nruns; r++) {
		/* Pointers into buf are stable now. */
		cursor_next(&cur[r], &gp[r]);
	}
	for (;;) {
		uint32_t g = UINT32_MAX;
		bool any = false;
		for (size_t r = 0; r < a->nruns; r++)
			if (!cur[r].done && (!any || cur[r].g < g))
				g = cur[r].g, any = true;
		if (!any)
			return HX_OK;
		/* Runs are in unit order: their lists of g concatenate, each
		 * first delta rebased. */
		blob->n = 0;
		uint64_t n = 0, last = 0;
		for (size_t r = 0; r < a->nruns; r++) {
			struct cursor *c = &cur[r];
			if (c->done || c->g != g)
				continue;
			if (bytes_room(blob, c->elen + 10) < 0)
				return hx__error_set(err, HX_ENOMEM,
						     "out of memory");
			size_t j = c->i;
			uint64_t u0 = hx__varint_get(c->b, c->i + c->elen, &j);
			blob->n += hx__varint_put(blob->b + blob->n, u0 - last);
			memcpy(blob->b + blob->n, c->b + j, c->i + c->elen - j);
			blob->n += c->i + c->elen - j;
			n += c->cnt;
			last = c->last;
			c->i += c->elen;
			cursor_next(c, &gp[r]);
		}
		if (bytes_room(out, blob->n + 30) < 0)
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		out->n += hx__varint_put(out->b + out->n, g);
		out->n += hx__varint_put(out->b + out->n, n);
		out->n += hx__varint_put(out->b + out->n, blob->n);
		memcpy(out->b + out->n, blob->b, blob->n);
		out->n += blob->n;
	}
}

/*
 * The end of an import is the merge of the runs and the inserts of its
 * rows, one after the other for each partition: a second thread merges
 * while this one inserts what it merged before (two slots, taken in
 * turn), so the end takes the longer of the two, not their sum.
 */
struct slot {
	struct bytes out;
	bool full;
	int rc;
};

struct merge_pipe {
	struct merger m;
	struct slot slot[2];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop; /* the inserting side failed */
	hx_error err;
};

static void *merger_main(void *arg)
{
	struct merge_pipe *mp = arg;
	struct accum *a = mp->m.a;
	for (size_t k = 0; k < a->nlangs * 256; k++) {
		struct slot *sl = &mp->slot[k & 1];
		pthread_mutex_lock(&mp->mu);
		while (sl->full && !mp->stop)
			pthread_cond_wait(&mp->cv, &mp->mu);
		bool stop = mp->stop;
		pthread_mutex_unlock(&mp->mu);
		if (stop)
			break;
		int rc =
		    merge_part(&mp->m, k / 256, k % 256, &sl->out, &mp->err);
		pthread_mutex_lock(&mp->mu);
		sl->rc = rc;
		sl->full = true;
		pthread_cond_broadcast(&mp->cv);
		pthread_mutex_unlock(&mp->mu);
		if (rc < 0)
			break;
	}
	return NULL;
}

/* The records of one merged partition into the store. */
static int insert_part(struct accum *a, hx__store *st, size_t l,
		       const struct bytes *out, hx_error *err)
{
	for (size_t i = 0; i < out->n;) {
		uint32_t g = (uint32_t)hx__varint_get(out->b, out->n, &i);
		uint64_t n = hx__varint_get(out->b, out->n, &i);
		size_t len = (size_t)hx__varint_get(out->b, out->n, &i);
		int rc = st->ops->add_postings(
		    st, a->langs[l], g, 0, out->b + i, len, (uint32_t)n, err);
		if (rc < 0)
			return rc;
		i += len;
	}
	return HX_OK;
}

/* Write every gram of the runs to the store, one chunk per gram, in
 * (language, gram) order. */
static int accum_write(struct accum *a, hx__store *st, hx_error *err)
{
	struct merge_pipe mp = {.m = {.a = a}};
	pthread_t th;
	int rc = HX_OK;

	if ((rc = accum_run(a, err)) < 0)
		return rc;
	if (!(mp.m.cur = calloc(a->nruns ? a->nruns : 1, sizeof(*mp.m.cur))) ||
	    !(mp.m.gp = calloc(a->nruns ? a->nruns : 1, sizeof(*mp.m.gp)))) {
		free(mp.m.cur);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	hx_error_init(&mp.err);
	pthread_mutex_init(&mp.mu, NULL);
	pthread_cond_init(&mp.cv, NULL);
	bool threaded = pthread_create(&th, NULL, merger_main, &mp) == 0;
	for (size_t k = 0; k < a->nlangs * 256 && rc == HX_OK; k++) {
		struct slot *sl = &mp.slot[k & 1];
		if (threaded) {
			pthread_mutex_lock(&mp.mu);
			while (!sl->full)
				pthread_cond_wait(&mp.cv, &mp.mu);
			pthread_mutex_unlock(&mp.mu);
			if (sl->rc < 0)
				rc = hx__error_set(err, sl->rc, "%s",
						   mp.err.message);
		} else {
			rc = merge_part(&mp.m, k / 256, k % 256, &sl->out, err);
		}
		if (rc == HX_OK)
			rc = insert_part(a, st, k / 256, &sl->out, err);
		pthread_mutex_lock(&mp.mu);
		sl->full = false;
		mp.stop = rc < 0;
		pthread_cond_broadcast(&mp.cv);
		pthread_mutex_unlock(&mp.mu);
	}
	if (threaded)
		pthread_join(th, NULL);
	pthread_mutex_destroy(&mp.mu);
	pthread_cond_destroy(&mp.cv);
	/* The token counts, by unit, apart from the lists (a look-up
	 * reads a language's once, not once in every posting). */
	for (size_t l = 0; l < a->nlangs && rc == HX_OK; l++)
		if (a->lens[l].n)
			rc = st->ops->put_lens(st, a->langs[l], a->base,
					       a->lens[l].b, a->lens[l].n, err);
	free(mp.m.cur);
	free(mp.m.gp);
	free(mp.m.buf.b);
	free(mp.m.blob.b);
	free(mp.slot[0].out.b);
	free(mp.slot[1].out.b);
	return rc;
}

/* ---- import ------------------------------------------------------------- */

/* The hashes of the units in the memory and of those added: an
 * open-addressing set (0 is the empty slot; hashes have their top bit
 * cleared and 0 is taken as 1). */
struct hset {
	uint64_t *v;
	size_t cap, n;
};

static int hset_add(struct hset *h, uint64_t x, bool *had)
{
	if (!x)
		x = 1;
	if ((h->n + 1) * 2 > h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 1 << 16;
		uint64_t *v = calloc(cap, sizeof(*v));
		if (!v)
			return HX_ENOMEM;
		for (size_t i = 0; i < h->cap; i++)
			if (h->v[i]) {
				size_t k = (h->v[i] * 0x9e3779b97f4a7c15ULL) &
					   (cap - 1);
				while (v[k])
					k = (k + 1) & (cap - 1);
				v[k] = h->v[i];
			}
		free(h->v);
		h->v = v, h->cap = cap;
	}
	size_t k = (x * 0x9e3779b97f4a7c15ULL) & (h->cap - 1);
	while (h->v[k] && h->v[k] != x)
		k = (k + 1) & (h->cap - 1);
	*had = h->v[k] == x;
	if (!*had) {
		h->v[k] = x;
		h->n++;
	}
	return HX_OK;
}

static int on_hash(void *payload, int64_t hash)
{
	bool had;
	return hset_add(payload, (uint64_t)hash, &had);
}

/*
 * An import runs on three threads, in a pipeline of blocks of whole
 * units: this one reads (the TMX parser, NFC, the unit hashes for
 * duplicates) and writes each unit and its segments into a block; the
 * indexer tokenises every segment, collects its postings and adds the
 * compact forms to the block; the writer stores the block's rows (units,
 * segments, forms) and hands it back for reuse. The connection is the
 * writer's alone while the pipeline runs (SQLite's multi-thread mode: one
 * thread at a time), and blocks pass in order, so every table is
 * appended to in unit order. On two cores the three keep both busy: the
 * parser and the writer together weigh about what the indexer does.
 */
#define BLOCK_BYTES   (1u << 20)
#define BLOCKS_QUEUED 4	 /* waiting for the indexer */
#define BLOCKS_MAX    12 /* in the pipeline at all */

struct block {
	unsigned char *b;
	size_t n, cap;
	struct bytes forms; /* the indexer's: unit, language, compact form */
	struct block *next;
};

/* A record in a block: this header, then len bytes, padded to 8. A unit:
 * its hash, then its eight metadata strings; a segment: the text and its
 * codes. A string is a 32-bit length (NO_STR for none), its bytes and a
 * NUL. */
enum { REC_UNIT, REC_SEG };
#define NO_STR UINT32_MAX

struct rec {
	int64_t unit;
	uint32_t len;
	uint32_t kind;
	char lang[16];
};

/* A compact form in a block's forms: this header, then n tokens. */
struct form {
	int64_t unit;
	uint16_t n;
	char lang[16];
};

struct queue {
	struct block *head, *tail;
	size_t n;
};

struct pipe {
	pthread_t indexer, writer;
	bool started, end, indexed; /* no more blocks; the indexer is done */
	pthread_mutex_t mu;
	pthread_cond_t work, write, room;
	struct queue to_index, to_write, spare;
	struct block *cur; /* being filled */
	size_t blocks;	   /* allocated */
	int rc;		   /* the first error of a thread, its message in err */
	hx_error err, ierr, werr;
};

struct hx_tm_batch {
	hx_tm *tm;
	char *origin;
	struct accum acc;
	struct hset seen;
	int64_t next_unit;
	hx_tm_import_stats stats;
	struct pipe pipe;
	hx_match_seg *seg;
	struct hx__index_tok tok[MAX_INDEX_TOK];
	uint32_t grams[MAX_INDEX_TOK];
	uint16_t toks[MAX_TOKS]; /* the segment's compact form */
	size_t ntoks;		 /* 0: none (too long) */
	bool open;
};

/* A unit's identity hash over its (language, text) pairs, eight bytes a
 * step (a byte at a time was 4% of an import): each step multiplies by
 * the golden-ratio constant 2^64 / phi and folds the high half down, a
 * bijection of h for a given word, so texts that differ in one word never
 * meet; the length ends each piece. Words are read little-endian, so a
 * memory hashes alike on every machine. */
static uint64_t unit_hash_step(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ h >> 32;
}

static uint64_t unit_hash(uint64_t h, const char *s, size_t n)
{
	uint64_t w;
	size_t len = n;
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		w = __builtin_bswap64(w);
#endif
		h = unit_hash_step(h, w);
	}
	w = 0;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)(unsigned char)s[i] << (8 * i);
	h = unit_hash_step(h, w);
	return unit_hash_step(h, len);
}

/* The final mix of MurmurHash3 (fmix64): every bit of h reaches every
 * bit of the result, so its low bits index the duplicate set well. */
static uint64_t unit_hash_end(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ h >> 33;
}

int hx_tm_batch_begin(hx_tm_batch **out, hx_tm *tm, const char *origin,
		      hx_error *err)
{
	hx_tm_batch *b;
	int rc;

	assert(out && tm);
	*out = NULL;
	if (tm->importing)
		return hx__error_set(err, HX_EINVAL,
				     "%s: the handle is importing: commit "
				     "or free the batch first",
				     tm->path);
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
	if ((rc = tm->st->ops->next_unit(tm->st, &b->next_unit, err)) < 0 ||
	    (rc = tm->st->ops->foreach_hash(tm->st, on_hash, &b->seen, err)) <
		0) {
		if (rc == HX_ENOMEM)
			hx__error_set(err, rc, "out of memory");
		hx_tm_batch_free(b);
		return rc;
	}
	b->acc.first = -1; /* the first unit indexed */
	b->acc.base = -1;
	*out = b;
	return HX_OK;
}

static void pipe_stop(struct pipe *p);

void hx_tm_batch_free(hx_tm_batch *b)
{
	if (!b)
		return;
	pipe_stop(&b->pipe);
	b->tm->importing = false;
	if (b->open)
		b->tm->st->ops->rollback(b->tm->st);
	accum_free(&b->acc);
	free(b->seen.v);
	hx_match_seg_free(b->seg);
	free(b->origin);
	free(b);
}

static int index_seg(hx_tm_batch *b, const char *lang, const char *text,
		     size_t len, int64_t unit, hx_error *err)
{
	struct accum *a = &b->acc;
	int li = accum_lang(a, lang), rc;

	if (li == -2)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if (li < 0)
		return hx__error_set(err, HX_EINVAL,
				     "more than %d languages in one import",
				     MAX_LANGS);
	if ((uint64_t)unit > UINT32_MAX)
		return hx__error_set(err, HX_ELIMIT,
				     "the memory is full (4 billion units)");
	if ((rc = hx__match_seg_reuse(&b->seg, text, len, err)) < 0)
		return rc;
	size_t ntok = hx_match_seg_count(b->seg);
	b->ntoks = ntok <= MAX_TOKS
		       ? hx__match_seg_loose16(b->seg, b->toks, MAX_TOKS)
		       : 0;
	le16(b->toks, b->ntoks);
	size_t n = hx__match_seg_index(b->seg, text, b->tok, MAX_INDEX_TOK);
	size_t ng = bigrams(b->tok, n, b->grams);
	uint32_t off = (uint32_t)(unit - a->first);
	uint64_t at = (uint64_t)(unit - a->base);
	struct bytes *lens = &a->lens[li];

	/* The token count by unit (a unit without a segment in this
	 * language leaves a gap, never read), for the whole import: the
	 * store keeps them apart from the posting lists. */
	if (at >= lens->n) {
		if (bytes_room(lens, at + 1 - lens->n) < 0)
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		memset(lens->b + lens->n, 1, at + 1 - lens->n);
		lens->n = at + 1;
	}
	lens->b[at] = (unsigned char)(ntok > 255 ? 255 : ntok ? ntok : 1);
	rc = accum_add(a, li, full_key(hx__match_seg_loose_hash(b->seg)), off);
	for (size_t k = 0; k < n && rc == HX_OK; k++) {
		rc = accum_add(a, li, uni_key(b->tok[k].key), off);
		if (rc == HX_OK && b->tok[k].num)
			rc = accum_add(a, li, num_key(b->tok[k].num), off);
	}
	for (size_t k = 0; k < ng && rc == HX_OK; k++)
		rc = accum_add(a, li, b->grams[k], off);
	if (rc < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	return HX_OK;
}

/* The indexer: every segment of a block, then a run when memory is full
 * (between units, so that a run holds whole units). */
static int index_block(hx_tm_batch *b, struct block *blk, hx_error *err)
{
	struct accum *a = &b->acc;
	int64_t last = -1;
	int rc;
	for (size_t i = 0; i < blk->n;) {
		struct rec r;
		uint32_t tlen;
		memcpy(&r, blk->b + i, sizeof(r));
		const unsigned char *at = blk->b + i + sizeof(r);
		i += (sizeof(r) + r.len + 7) & ~(size_t)7;
		if (r.kind != REC_SEG)
			continue;
		memcpy(&tlen, at, 4);
		const char *text = (const char *)at + 4;
		if (a->first < 0)
			a->first = r.unit;
		if (a->base < 0)
			a->base = r.unit;
		if ((rc = index_seg(b, r.lang, text, tlen, r.unit, err)) < 0)
			return rc;
		if (b->ntoks) {
			struct bytes *f = &blk->forms;
			uint16_t n = (uint16_t)b->ntoks;
			if (bytes_room(f, sizeof(struct form) + 2 * (size_t)n) <
			    0)
				return hx__error_set(err, HX_ENOMEM,
						     "out of memory");
			struct form fm = {r.unit, n, {0}};
			memcpy(fm.lang, r.lang, sizeof(fm.lang));
			memcpy(f->b + f->n, &fm, sizeof(fm));
			memcpy(f->b + f->n + sizeof(fm), b->toks,
			       2 * (size_t)n);
			f->n += sizeof(fm) + 2 * (size_t)n;
		}
		last = r.unit;
	}
	if (last >= 0 && a->pairs > FLUSH_PAIRS) {
		if ((rc = accum_run(a, err)) < 0)
			return rc;
		a->first = -1; /* the next unit's */
	}
	return HX_OK;
}

static void q_push(struct queue *q, struct block *blk)
{
	blk->next = NULL;
	if (q->tail)
		q->tail->next = blk;
	else
		q->head = blk;
	q->tail = blk;
	q->n++;
}

static struct block *q_pop(struct queue *q)
{
	struct block *blk = q->head;
	if (blk) {
		if (!(q->head = blk->next))
			q->tail = NULL;
		q->n--;
		/* Out of the queue for good: a block held as the one being
		 * filled must not lead into the queue (free_blocks follows
		 * next). */
		blk->next = NULL;
	}
	return blk;
}

/* A thread's error ends the pipeline: the first one is kept. Called with
 * p->mu held. */
static void pipe_fail(struct pipe *p, int rc, const hx_error *e)
{
	if (p->rc == HX_OK) {
		p->rc = rc;
		hx__error_set(&p->err, rc, "%s", e->message);
	}
	pthread_cond_broadcast(&p->work);
	pthread_cond_broadcast(&p->write);
	pthread_cond_broadcast(&p->room);
}

static void *indexer(void *arg)
{
	hx_tm_batch *b = arg;
	struct pipe *p = &b->pipe;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		struct block *blk;
		while (!(blk = q_pop(&p->to_index)) && !p->end)
			pthread_cond_wait(&p->work, &p->mu);
		bool failed = p->rc < 0;
		if (!blk) {
			p->indexed = true;
			pthread_cond_signal(&p->write);
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		pthread_cond_signal(&p->room); /* a place in the queue */
		pthread_mutex_unlock(&p->mu);
		int rc = failed ? HX_OK : index_block(b, blk, &p->ierr);
		pthread_mutex_lock(&p->mu);
		if (rc < 0)
			pipe_fail(p, rc, &p->ierr);
		q_push(&p->to_write, blk);
		pthread_cond_signal(&p->write);
		pthread_mutex_unlock(&p->mu);
	}
}

/* A string of a unit record at *at: NULL for none. */
static const char *rec_str(const unsigned char **at)
{
	uint32_t n;
	memcpy(&n, *at, 4);
	*at += 4;
	if (n == NO_STR)
		return NULL;
	const char *str = (const char *)*at;
	*at += n + 1;
	return str;
}

/* The writer's part: a block's rows into the store. */
static int write_block(hx_tm_batch *b, struct block *blk, hx_error *err)
{
	hx__store *st = b->tm->st;
	int rc;
	for (size_t i = 0; i < blk->n;) {
		struct rec r;
		memcpy(&r, blk->b + i, sizeof(r));
		const unsigned char *at = blk->b + i + sizeof(r);
		i += (sizeof(r) + r.len + 7) & ~(size_t)7;
		if (r.kind == REC_UNIT) {
			struct hx__unit_meta m;
			memcpy(&m.hash, at, 8);
			at += 8;
			m.origin = rec_str(&at);
			m.tuid = rec_str(&at);
			m.creationdate = rec_str(&at);
			m.creationid = rec_str(&at);
			m.changedate = rec_str(&at);
			m.changeid = rec_str(&at);
			m.props = rec_str(&at);
			m.notes = rec_str(&at);
			rc = st->ops->add_unit(st, r.unit, &m, err);
		} else {
			uint32_t tlen;
			memcpy(&tlen, at, 4);
			const char *text = (const char *)at + 4;
			const unsigned char *c = at + 4 + tlen + 1;
			rc = st->ops->add_seg(st, r.unit, r.lang, text, tlen,
					      rec_str(&c), err);
		}
		if (rc < 0)
			return rc;
	}
	const struct bytes *f = &blk->forms;
	for (size_t i = 0; i < f->n;) {
		struct form fm;
		memcpy(&fm, f->b + i, sizeof(fm));
		i += sizeof(fm);
		if ((rc = st->ops->add_toks(st, fm.unit, fm.lang, f->b + i,
					    2 * (size_t)fm.n, err)) < 0)
			return rc;
		i += 2 * (size_t)fm.n;
	}
	return HX_OK;
}

static void *writer(void *arg)
{
	hx_tm_batch *b = arg;
	struct pipe *p = &b->pipe;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		struct block *blk;
		while (!(blk = q_pop(&p->to_write)) && !p->indexed)
			pthread_cond_wait(&p->write, &p->mu);
		bool failed = p->rc < 0;
		pthread_mutex_unlock(&p->mu);
		if (!blk)
			return NULL;
		int rc = failed ? HX_OK : write_block(b, blk, &p->werr);
		pthread_mutex_lock(&p->mu);
		if (rc < 0)
			pipe_fail(p, rc, &p->werr);
		blk->n = 0;
		blk->forms.n = 0;
		q_push(&p->spare, blk);
		pthread_cond_signal(&p->room);
		pthread_mutex_unlock(&p->mu);
	}
}

static int pipe_start(hx_tm_batch *b, hx_error *err)
{
	struct pipe *p = &b->pipe;
	hx_error_init(&p->err);
	hx_error_init(&p->ierr);
	hx_error_init(&p->werr);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->write, NULL);
	pthread_cond_init(&p->room, NULL);
	if (pthread_create(&p->indexer, NULL, indexer, b) != 0)
		goto fail;
	if (pthread_create(&p->writer, NULL, writer, b) != 0) {
		pthread_mutex_lock(&p->mu);
		p->end = true;
		pthread_cond_signal(&p->work);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->indexer, NULL);
		goto fail;
	}
	p->started = true;
	b->tm->importing = true;
	return HX_OK;
fail:
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->write);
	pthread_cond_destroy(&p->room);
	return hx__error_set(err, HX_ENOMEM,
			     "cannot start the import's threads");
}

static void free_blocks(struct block *x)
{
	while (x) {
		struct block *n = x->next;
		free(x->b);
		free(x->forms.b);
		free(x);
		x = n;
	}
}

/* Hand over the block being filled (and wait while the queue is full).
 * Returns a thread's error, if one had one. */
static int pipe_push(struct pipe *p, hx_error *err)
{
	pthread_mutex_lock(&p->mu);
	if (p->cur && p->cur->n) {
		while (p->to_index.n >= BLOCKS_QUEUED && p->rc == HX_OK)
			pthread_cond_wait(&p->room, &p->mu);
		q_push(&p->to_index, p->cur);
		p->cur = NULL;
		pthread_cond_signal(&p->work);
	}
	int rc = p->rc;
	pthread_mutex_unlock(&p->mu);
	if (rc < 0)
		hx__error_set(err, rc, "%s", p->err.message);
	return rc;
}

/* The threads finish what they have and end. */
static int pipe_finish(struct pipe *p, hx_error *err)
{
	int rc = pipe_push(p, err);
	if (!p->started)
		return rc;
	pthread_mutex_lock(&p->mu);
	p->end = true;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->indexer, NULL);
	pthread_join(p->writer, NULL);
	p->started = false;
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->write);
	pthread_cond_destroy(&p->room);
	if (rc == HX_OK && p->rc < 0)
		rc = hx__error_set(err, p->rc, "%s", p->err.message);
	return rc;
}

static void pipe_stop(struct pipe *p)
{
	hx_error ignore;
	if (p->started) {
		pthread_mutex_lock(&p->mu);
		if (p->rc == HX_OK)
			p->rc = HX_EINVAL; /* stop working: nothing is kept */
		pthread_mutex_unlock(&p->mu);
		pipe_finish(p, &ignore);
	}
	free_blocks(p->to_index.head);
	free_blocks(p->to_write.head);
	free_blocks(p->spare.head);
	free_blocks(p->cur);
	memset(&p->to_index, 0, sizeof(p->to_index));
	memset(&p->to_write, 0, sizeof(p->to_write));
	memset(&p->spare, 0, sizeof(p->spare));
	p->cur = NULL;
}

/* Room for need more bytes in the block being filled (a block from the
 * spares, or a new one while there are fewer than BLOCKS_MAX). */
static int pipe_room(hx_tm_batch *b, size_t need, hx_error *err)
{
	struct pipe *p = &b->pipe;
	int rc;
	if (!p->started && (rc = pipe_start(b, err)) < 0)
		return rc;
	if (!p->cur) {
		pthread_mutex_lock(&p->mu);
		while (!p->spare.head && p->blocks >= BLOCKS_MAX &&
		       p->rc == HX_OK)
			pthread_cond_wait(&p->room, &p->mu);
		p->cur = q_pop(&p->spare);
		rc = p->rc;
		if (!p->cur && rc == HX_OK)
			p->blocks++;
		pthread_mutex_unlock(&p->mu);
		if (rc < 0)
			return hx__error_set(err, rc, "%s", p->err.message);
		if (!p->cur && !(p->cur = calloc(1, sizeof(*p->cur))))
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		p->cur->n = 0;
	}
	struct block *blk = p->cur;
	if (blk->n + need > blk->cap) {
		size_t cap = blk->cap ? blk->cap : BLOCK_BYTES;
		while (cap < blk->n + need)
			cap *= 2;
		unsigned char *x = realloc(blk->b, cap);
		if (!x)
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		blk->b = x, blk->cap = cap;
	}
	return HX_OK;
}

/* A string of a record: its 32-bit length n (NO_STR: none), then n
 * bytes and a NUL; returns where it ends. */
static unsigned char *put_str(unsigned char *at, const char *str, size_t n)
{
	uint32_t n32 = str ? (uint32_t)n : NO_STR;
	memcpy(at, &n32, 4);
	at += 4;
	if (str) {
		memcpy(at, str, n + 1);
		at += n + 1;
	}
	return at;
}

/* A unit's row into the block being filled. */
static int pipe_unit(hx_tm_batch *b, int64_t unit,
		     const struct hx__unit_meta *m, hx_error *err)
{
	const char *str[8] = {m->origin,     m->tuid,	    m->creationdate,
			      m->creationid, m->changedate, m->changeid,
			      m->props,	     m->notes};
	size_t slen[8], len = 8;
	int rc;
	for (int k = 0; k < 8; k++) {
		slen[k] = str[k] ? strlen(str[k]) : 0;
		len += 4 + (str[k] ? slen[k] + 1 : 0);
	}
	if (len > UINT32_MAX)
		return hx__error_set(err, HX_ELIMIT,
				     "unit %lld: metadata of %zu bytes, at "
				     "most 4 GiB",
				     (long long)unit, len);
	size_t need = (sizeof(struct rec) + len + 7) & ~(size_t)7;
	if ((rc = pipe_room(b, need, err)) < 0)
		return rc;
	struct block *blk = b->pipe.cur;
	struct rec r = {unit, (uint32_t)len, REC_UNIT, {0}};
	memcpy(blk->b + blk->n, &r, sizeof(r));
	unsigned char *at = blk->b + blk->n + sizeof(r);
	memcpy(at, &m->hash, 8);
	at += 8;
	for (int k = 0; k < 8; k++)
		at = put_str(at, str[k], slen[k]);
	blk->n += need;
	return HX_OK;
}

/* One segment into the block being filled. */
static int pipe_put(hx_tm_batch *b, int64_t unit, const char *lang,
		    const char *text, size_t len, const char *codes,
		    hx_error *err)
{
	size_t clen = codes ? strlen(codes) : 0;
	size_t body = 4 + len + 1 + 4 + (codes ? clen + 1 : 0);
	int rc;
	if (body > UINT32_MAX)
		return hx__error_set(err, HX_ELIMIT,
				     "unit %lld: a segment of %zu bytes, at "
				     "most 4 GiB",
				     (long long)unit, len);
	size_t need = (sizeof(struct rec) + body + 7) & ~(size_t)7;
	if ((rc = pipe_room(b, need, err)) < 0)
		return rc;
	struct block *blk = b->pipe.cur;
	struct rec r = {unit, (uint32_t)body, REC_SEG, {0}};
	/* lang is a normalised code, shorter than 16. */
	memcpy(r.lang, lang, strnlen(lang, sizeof(r.lang) - 1));
	memcpy(blk->b + blk->n, &r, sizeof(r));
	unsigned char *at = blk->b + blk->n + sizeof(r);
	uint32_t l32 = (uint32_t)len;
	memcpy(at, &l32, 4);
	memcpy(at + 4, text, len);
	at[4 + len] = '\0';
	put_str(at + 4 + len + 1, codes, clen);
	blk->n += need;
	return HX_OK;
}

/* A unit is complete: a full block goes to the indexer. */
static int pipe_unit_done(hx_tm_batch *b, hx_error *err)
{
	struct pipe *p = &b->pipe;
	if (p->cur && p->cur->n >= BLOCK_BYTES)
		return pipe_push(p, err);
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
	char norm[16][16];
	size_t order[16], n = 0;
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
		h = unit_hash(h, norm[i], strlen(norm[i]));
		h = unit_hash(h, u->texts[i], u->lens[i]);
	}
	h = unit_hash_end(h);
	struct hx__unit_meta m = u->meta;
	bool had;
	m.hash = h & 0x7fffffffffffffffULL;
	if (!m.origin)
		m.origin = b->origin;
	if (hset_add(&b->seen, m.hash, &had) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if (had) {
		b->stats.duplicates++;
		return HX_OK;
	}
	int64_t unit = b->next_unit;
	if ((rc = pipe_unit(b, unit, &m, err)) < 0)
		return rc;
	b->next_unit++;
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		if ((rc = pipe_put(b, unit, norm[i], u->texts[i], u->lens[i],
				   u->codes ? u->codes[i] : NULL, err)) < 0)
			return rc;
		b->stats.segments++;
	}
	b->stats.added++;
	return pipe_unit_done(b, err);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int hx_tm_batch_commit(hx_tm_batch *b, hx_tm_import_stats *stats, hx_error *err)
{
	int rc;

	assert(b && b->open);
	/* HEXALIGN_TM_DEBUG: where the end of an import goes (bench/). */
	bool debug = getenv("HEXALIGN_TM_DEBUG") != NULL;
	double t0 = debug ? now_s() : 0, t1 = 0, t3 = 0;
	if ((rc = pipe_finish(&b->pipe, err)) < 0 ||
	    (debug && (t1 = now_s()) < 0) ||
	    (rc = accum_write(&b->acc, b->tm->st, err)) < 0 ||
	    (debug && (t3 = now_s()) < 0) ||
	    (rc = b->tm->st->ops->commit(b->tm->st, err)) < 0) {
		hx_tm_batch_free(b);
		return rc;
	}
	if (debug)
		fprintf(stderr,
			"tm import: indexer and writer done %.2f s after the "
			"reader, index %.2f s (%zu runs), commit %.2f s\n",
			t1 - t0, t3 - t1, b->acc.nruns, now_s() - t3);
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

/* One JSON string at *p (at its opening quote) unescaped into *o. */
static bool json_str(const char **p, char **o)
{
	const char *s = *p + 1;

	for (; *s != '"'; s++) {
		if (!*s || (unsigned char)*s < 0x20)
			return false;
		if (*s != '\\') {
			*(*o)++ = *s;
			continue;
		}
		s++;
		const char *simple = strchr("\"\\/bfnrt", *s);
		if (*s && simple) {
			*(*o)++ = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
			continue;
		}
		if (*s != 'u')
			return false;
		uint32_t cp = 0;
		for (int k = 1; k <= 4; k++) {
			char h = s[k];
			int d = h >= '0' && h <= '9'   ? h - '0'
				: h >= 'a' && h <= 'f' ? h - 'a' + 10
				: h >= 'A' && h <= 'F' ? h - 'A' + 10
						       : -1;
			if (d < 0)
				return false;
			cp = cp << 4 | (uint32_t)d;
		}
		s += 4;
		if (cp >= 0xD800 && cp <= 0xDFFF)
			cp = 0xFFFD; /* jstr() never splits a character */
		*o += hx__utf8_put(*o, cp);
	}
	*(*o)++ = '\0';
	*p = s + 1;
	return true;
}

static const char *skip_ws(const char *j)
{
	while (*j == ' ' || *j == '\n' || *j == '\t' || *j == '\r')
		j++;
	return j;
}

/* The start of a stored JSON array: *strs gets a buffer that holds every
 * string of j unescaped (never longer than its JSON form with quotes),
 * and *j moves past the '[' and white space. Returns HX_OK to go on, 1
 * when there is nothing (j NULL or ""), HX_ENOMEM or HX_EFORMAT (*strs
 * NULL then). */
static int json_array_open(const char **j, char **strs)
{
	*strs = NULL;
	if (!*j || !**j)
		return 1;
	if (!(*strs = malloc(strlen(*j) + 1)))
		return HX_ENOMEM;
	*j = skip_ws(*j);
	if (*(*j)++ != '[') {
		free(*strs);
		*strs = NULL;
		return HX_EFORMAT;
	}
	*j = skip_ws(*j);
	return HX_OK;
}

/*
 * unit.props or unit.notes as props_json() and notes_json() wrote them:
 * [["type","value"],...] when `pairs`, ["note",...] otherwise. *v gets
 * the strings in order (two per prop), all in one buffer *strs, each
 * unescaped with its NUL; an empty or NULL j is no strings.
 */
static int strings_parse(const char *j, bool pairs, const char ***v, size_t *n,
			 char **strs)
{
	size_t cap = 0;
	char *o;

	*v = NULL, *n = 0;
	int rc = json_array_open(&j, strs);
	if (rc != HX_OK)
		return rc == 1 ? HX_OK : rc;
	o = *strs;
	while (*j != ']') {
		size_t want = pairs ? 2 : 1;
		if (pairs && *j++ != '[')
			goto bad;
		for (size_t k = 0; k < want; k++) {
			j = skip_ws(j);
			if (k && *j++ != ',')
				goto bad;
			j = skip_ws(j);
			if (*j != '"')
				goto bad;
			if (*n == cap) {
				size_t nc = cap ? cap * 2 : 8;
				const char **x = realloc(*v, nc * sizeof(*x));
				if (!x) {
					free(*v), free(*strs);
					*v = NULL, *strs = NULL, *n = 0;
					return HX_ENOMEM;
				}
				*v = x, cap = nc;
			}
			(*v)[(*n)++] = o;
			if (!json_str(&j, &o))
				goto bad;
		}
		j = skip_ws(j);
		if (pairs && *j++ != ']')
			goto bad;
		j = skip_ws(j);
		if (*j == ',')
			j = skip_ws(j + 1);
		else if (*j != ']')
			goto bad;
	}
	return HX_OK;
bad:
	free(*v), free(*strs);
	*v = NULL, *strs = NULL, *n = 0;
	return HX_EFORMAT;
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
		/* [kind, content, i, x, type(, pos, assoc(, end))]: what
		 * schema 3 memories hold, and TMX 1.4b's rest when present. */
		if (c->pos || c->assoc || c->kind == HX_TMX_CODE_HI) {
			jput(j, ",", 1);
			jstr(j, c->pos);
			jput(j, ",", 1);
			jstr(j, c->assoc);
		}
		if (c->kind == HX_TMX_CODE_HI && c->end != HX_TMX_END_UNKNOWN) {
			char e[24];
			jput(j, e,
			     (size_t)snprintf(e, sizeof(e), ",%zu", c->end));
		}
		jput(j, "]", 1);
	}
	jput(j, "]", 1);
	return j->oom ? NULL : strdup(j->s);
}

int hx_tm_batch_add_props(hx_tm_batch *b, const char *const *langs,
			  const char *const *texts, size_t n,
			  const hx_tmx_prop *props, size_t nprops,
			  hx_error *err)
{
	size_t lens[16];
	struct unit_in u = {0};
	struct jbuf j = {0};
	int rc;

	assert(b && b->open && (props || !nprops));
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
	for (size_t i = 0; i < nprops; i++)
		if (!props[i].type || !props[i].value ||
		    !hx__utf8_valid(props[i].type, strlen(props[i].type),
				    NULL) ||
		    !hx__utf8_valid(props[i].value, strlen(props[i].value),
				    NULL))
			return hx__error_set(err, HX_EINVAL,
					     "prop %zu: type and value must "
					     "be UTF-8",
					     i + 1);
	u.langs = langs, u.texts = texts, u.lens = lens, u.n = n;
	u.meta.props = props_json(&j, props, nprops);
	if (nprops && !u.meta.props) {
		free(j.s);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	rc = add_unit(b, &u, err);
	free((char *)u.meta.props);
	free(j.s);
	return rc;
}

int hx_tm_batch_add(hx_tm_batch *b, const char *const *langs,
		    const char *const *texts, size_t n, hx_error *err)
{
	return hx_tm_batch_add_props(b, langs, texts, n, NULL, 0, err);
}

struct import_ctx {
	hx_tm_batch *b;
	struct jbuf j;
	hx_tmx_prop *props; /* a unit's props and its origin's */
	size_t cprops;
	hx_tm_progress_cb progress;
	void *payload;
};

/* The header props that say where a unit came from: the files hexalign
 * align read and the document symbol. Other header props describe the
 * file, not its units, and would cost every unit their bytes. */
static bool origin_prop(const char *type)
{
	return !strncmp(type, "x-source-file", 13) ||
	       !strcmp(type, "x-document-symbol");
}

/* c->props: the unit's own props, then its file's origin props that the
 * unit does not override, so that the origin survives an import that
 * mixes files and comes back with `tm export`. */
static int with_origin(struct import_ctx *c, const hx_tmx_header_read *hdr,
		       const hx_tmx_unit *tu, size_t *n)
{
	size_t need = tu->nprops + hdr->nprops + 1, k = 0;

	if (need > c->cprops) {
		hx_tmx_prop *p = realloc(c->props, need * sizeof(*p));
		if (!p)
			return HX_ENOMEM;
		c->props = p, c->cprops = need;
	}
	for (size_t i = 0; i < tu->nprops; i++)
		c->props[k++] = tu->props[i];
	for (size_t i = 0; i < hdr->nprops; i++) {
		bool own = false;
		if (!origin_prop(hdr->props[i].type))
			continue;
		for (size_t t = 0; t < tu->nprops && !own; t++)
			own = !strcmp(tu->props[t].type, hdr->props[i].type);
		if (!own)
			c->props[k++] = hdr->props[i];
	}
	*n = k;
	return HX_OK;
}

static int on_unit(void *payload, const hx_tmx_header_read *hdr,
		   const hx_tmx_unit *tu, hx_error *err)
{
	struct import_ctx *c = payload;
	const char *langs[16], *texts[16];
	size_t lens[16];
	char *codes[16] = {0};
	struct unit_in u = {0};
	size_t n = tu->ntuvs < 16 ? tu->ntuvs : 16, np;
	char *props = NULL, *notes = NULL;
	int rc;

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
	if ((rc = with_origin(c, hdr, tu, &np)) == HX_OK) {
		props = props_json(&c->j, c->props, np);
		notes = notes_json(&c->j, tu->notes, tu->nnotes);
		u.meta.props = props;
		u.meta.notes = notes;
		rc = add_unit(c->b, &u, err);
		c->b->stats.pua_replaced += tu->pua_replaced;
	}
	free(props);
	free(notes);
	for (size_t i = 0; i < n; i++)
		free(codes[i]);
	if (c->j.oom || rc == HX_ENOMEM)
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
	free(c.props);
	return hx_tm_batch_commit(c.b, stats, err);
fail:
	free(c.j.s);
	free(c.props);
	hx_tm_batch_free(c.b);
	return rc;
}

/* ---- results ------------------------------------------------------------ */

struct hx_tm_results {
	hx_tm_match *v;
	size_t *start, *end;
	int *tie; /* among equal scores, higher first: same numbers */
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
 * can enter them. */
struct top {
	int v[64];
	size_t n, max;
};

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
			int *penalty, char *why, size_t size)
{
	const char **v;
	size_t n;
	char *strs;
	double low = 2;
	bool reviewed = false;
	int rc;

	*penalty = 0;
	why[0] = '\0';
	rc = strings_parse(props, true, &v, &n, &strs);
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
	    (rc = unit_penalty(meta.props, src, tgt, &penalty, why,
			       sizeof(why))) < 0) {
		free(copy);
		free(tcopy);
		return tcopy && rc != HX_ENOMEM
			   ? rc
			   : hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	rc = HX_OK;
	if (score - penalty >= min) {
		rc = results_add(r, score - penalty, kinds, copy, len, tcopy,
				 tlen, meta.origin, unit, 0, 0, tie);
		if (rc == HX_OK) {
			hx_tm_match *m = &r->v[r->n - 1];
			m->penalty = penalty;
			memcpy(m->penalty_reason, why, sizeof(why));
			top_add(top, score - penalty);
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
static int plan_query(hx_tm *tm, const char *sl, const hx_match_seg *q,
		      const char *query, struct reader *rd, struct plan *p,
		      hx_error *err)
{
	struct hx__index_tok tok[MAX_INDEX_TOK];
	uint32_t grams[MAX_INDEX_TOK], nums[MAX_INDEX_TOK];
	hx__store *st = tm->st;
	int rc;

	size_t n = hx__match_seg_index(q, query, tok, MAX_INDEX_TOK);
	size_t ng = distinct(grams, bigrams(tok, n, grams));
	size_t nn = 0;
	for (size_t k = 0; k < n; k++)
		if (tok[k].num)
			nums[nn++] = num_key(tok[k].num);
	nn = distinct(nums, nn);
	memset(p, 0, sizeof(*p));
	/* The whole segment: exact and number-only matches, always. */
	rd->kind = READ_FULL;
	if ((rc = st->ops->get_postings(st, sl,
					full_key(hx__match_seg_loose_hash(q)),
					on_postings, rd, err)) < 0)
		return rc;
	/* Numbers as written: a bonus that ranks the same numbers first. */
	rd->kind = READ_NUMBER;
	for (size_t k = 0; k < nn; k++) {
		uint64_t total;
		if ((rc = st->ops->count_postings(st, sl, nums[k], &total,
						  err)) < 0)
			return rc;
		if (total > STOP_POSTINGS)
			continue;
		p->nums++;
		if (total && (rc = st->ops->get_postings(
				  st, sl, nums[k], on_postings, rd, err)) < 0)
			return rc;
	}
	for (size_t k = 0; k < ng; k++) {
		p->gc[k].g = grams[k];
		if ((rc = st->ops->count_postings(st, sl, grams[k], &p->gc[k].n,
						  err)) < 0)
			return rc;
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
	size_t got = 0;
	int rc;
	rd->kind = READ_BIGRAM;
	while (p->next < p->ng) {
		const struct gram_count *g = &p->gc[p->next];
		bool must = p->read < ALWAYS_READ;
		if (!must &&
		    (!may_read(p, g, nq, min) || (got && got + g->n > budget)))
			break;
		if (g->n && (rc = tm->st->ops->get_postings(
				 tm->st, sl, g->g, on_postings, rd, err)) < 0)
			return rc;
		got += g->n;
		p->postings += g->n;
		p->read++;
		p->next++;
	}
	return HX_OK;
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
	le16(c->v + c->n + 1, ns < 65535 ? ns : 65535);
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
				le16(buf, ns);
				form = buf;
			}
		}
		if (form && ns <= MAX_TOKS) {
			size_t d = hx__bitdist_distance(bd, form, ns);
			size_t big = ns > nq ? ns : nq;
			int most = d >= big ? 0 : (int)(100 * (big - d) / big);
			if (most < min || (top->max && top->n == top->max &&
					   top->v[top->max - 1] >= most)) {
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
			    top.v[top.max - 1] >= cand[i].bound)
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
		int beat =
		    top.max && top.n == top.max ? top.v[top.max - 1] + 1 : min;
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
			gc[n++].g = uni_key(tok[k].key);
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

/* ---- stats and export --------------------------------------------------- */

int hx_tm_stats_get(hx_tm_stats *s, hx_tm *tm, hx_error *err)
{
	FILE *f;

	assert(s && tm);
	if (tm->importing)
		return hx__error_set(err, HX_EINVAL,
				     "%s: the handle is importing: commit "
				     "or free the batch first",
				     tm->path);
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
	/* the codes of each segment, parsed from seg.codes */
	hx_tmx_code *codes[16];
	size_t ncodes[16];
	char *strs[16];
};

/*
 * seg.codes as codes_json() wrote it: [[kind, content, i, x, type, pos,
 * assoc, end], ...], the last three only in memories that kept them. ""
 * is an absent attribute (codes_json cannot tell them apart). The strings
 * go into one buffer: unescaped, each with its NUL, they never take more
 * bytes than their JSON form with its quotes.
 */
static int codes_parse(const char *j, hx_tmx_code **out, size_t *n, char **strs)
{
	static const char *const kinds[] = {"bpt", "ept", "ph",
					    "it",  "hi",  "ut"};
	hx_tmx_code *v = NULL;
	size_t cap = 0;
	char *o;

	*out = NULL, *n = 0;
	int rc = json_array_open(&j, strs);
	if (rc != HX_OK)
		return rc == 1 ? HX_OK : rc;
	o = *strs;
	while (*j == '[') {
		hx_tmx_code c = {0};
		const char *f[7] = {0};
		int nf = 0;
		c.end = HX_TMX_END_UNKNOWN;
		j++;
		for (;;) {
			j = skip_ws(j);
			if (*j == '"' && nf < 7) {
				f[nf++] = o;
				if (!json_str(&j, &o))
					goto bad;
			} else if (*j >= '0' && *j <= '9' && nf == 7) {
				char *e;
				c.end = (size_t)strtoull(j, &e, 10);
				j = e, nf++;
			} else if (!strncmp(j, "null", 4) && nf < 7) {
				j += 4, nf++;
			} else {
				goto bad;
			}
			j = skip_ws(j);
			if (*j == ']')
				break;
			if (*j++ != ',')
				goto bad;
		}
		j++;
		for (size_t k = 0; f[0] && k < 6; k++)
			if (!strcmp(f[0], kinds[k]))
				c.kind =
				    (hx_tmx_code_kind)(HX_TMX_CODE_BPT + k);
		if (!c.kind || nf < 5)
			goto bad;
		c.content = f[1] ? f[1] : "";
		const char **attr[] = {&c.i, &c.x, &c.type, &c.pos, &c.assoc};
		for (int k = 0; k < 5; k++)
			*attr[k] = f[k + 2] && *f[k + 2] ? f[k + 2] : NULL;
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			hx_tmx_code *x = realloc(v, nc * sizeof(*v));
			if (!x) {
				free(v);
				free(*strs);
				*strs = NULL;
				return HX_ENOMEM;
			}
			v = x, cap = nc;
		}
		v[(*n)++] = c;
		j = skip_ws(j);
		if (*j == ',')
			j++;
		j = skip_ws(j);
	}
	if (*j != ']')
		goto bad;
	*out = v;
	return HX_OK;
bad:
	free(v);
	free(*strs);
	*strs = NULL;
	*n = 0;
	return HX_EFORMAT;
}

static int on_unit_seg(void *payload, int64_t unit, const char *lang,
		       const char *text, size_t len)
{
	struct export_ctx *c = payload;
	(void)unit;
	if (c->n == 16)
		return HX_OK;
	if (c->src && strcmp(lang, c->src) && strcmp(lang, c->tgt))
		return HX_OK;
	char *t = strndup(text, len);
	if (!t)
		return HX_ENOMEM;
	/* In language order, as they were given. */
	size_t i = c->n++;
	while (i > 0 && strcmp(c->lang[i - 1], lang) > 0) {
		c->text[i] = c->text[i - 1];
		memcpy(c->lang[i], c->lang[i - 1], 16);
		i--;
	}
	c->text[i] = t;
	snprintf(c->lang[i], 16, "%s", lang);
	return HX_OK;
}

/* The codes of the collected segments, read once the iteration is over
 * (get_codes reuses one statement). */
static int export_codes(struct export_ctx *c, int64_t unit)
{
	for (size_t i = 0; i < c->n; i++) {
		const char *json;
		int rc = c->tm->st->ops->get_codes(c->tm->st, unit, c->lang[i],
						   &json, c->err);
		if (rc < 0)
			return rc;
		rc =
		    codes_parse(json, &c->codes[i], &c->ncodes[i], &c->strs[i]);
		if (rc == HX_EFORMAT)
			return hx__error_set(c->err, rc,
					     "%s: unit %lld (%s): the inline "
					     "codes stored are not readable",
					     c->tm->path, (long long)unit,
					     c->lang[i]);
		if (rc < 0)
			return rc;
	}
	return HX_OK;
}

/* What the memory kept of a unit besides its segments, for the <tu>:
 * props, notes, tuid and the unit's own dates and creators. */
struct export_meta {
	hx_tmx_prop *props;
	size_t nprops;
	const char **pstr, **notes;
	size_t nnotes;
	char *pbuf, *nbuf, *tuid;
	hx_tmx_tu_meta m;
	char *attr[4];
};

static void export_meta_free(struct export_meta *e)
{
	free(e->props);
	free(e->pstr);
	free(e->notes);
	free(e->pbuf);
	free(e->nbuf);
	free(e->tuid);
	for (int i = 0; i < 4; i++)
		free(e->attr[i]);
	memset(e, 0, sizeof(*e));
}

static int export_meta(struct export_ctx *c, int64_t unit,
		       struct export_meta *e)
{
	struct hx__unit_meta m;
	size_t np;
	int rc;

	memset(e, 0, sizeof(*e));
	if ((rc = c->tm->st->ops->get_meta(c->tm->st, unit, &m, c->err)) < 0)
		return rc;
	const char *attr[4] = {m.creationdate, m.creationid, m.changedate,
			       m.changeid};
	/* Copied: the next read of the store reuses the row. */
	if ((m.tuid && *m.tuid && !(e->tuid = strdup(m.tuid))))
		return HX_ENOMEM;
	for (int i = 0; i < 4; i++)
		if (attr[i] && *attr[i] && !(e->attr[i] = strdup(attr[i])))
			return HX_ENOMEM;
	if ((rc = strings_parse(m.props, true, &e->pstr, &np, &e->pbuf)) ==
		HX_OK &&
	    (rc = strings_parse(m.notes, false, &e->notes, &e->nnotes,
				&e->nbuf)) == HX_OK &&
	    np && !(e->props = malloc(np / 2 * sizeof(*e->props))))
		rc = HX_ENOMEM;
	if (rc == HX_EFORMAT)
		return hx__error_set(c->err, rc,
				     "%s: unit %lld: the props or notes stored "
				     "are not readable",
				     c->tm->path, (long long)unit);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i + 1 < np; i += 2)
		e->props[e->nprops++] =
		    (hx_tmx_prop){e->pstr[i], e->pstr[i + 1]};
	e->m.notes = e->notes;
	e->m.nnotes = e->nnotes;
	e->m.creationdate = e->attr[0];
	e->m.creationid = e->attr[1];
	e->m.changedate = e->attr[2];
	e->m.changeid = e->attr[3];
	return HX_OK;
}

static int on_export_unit(void *payload, int64_t unit)
{
	struct export_ctx *c = payload;
	hx_tmx_tuv tuv[16];
	hx_tmx_codes codes[16];
	struct export_meta em = {0};
	int rc;

	c->n = 0;
	rc = c->tm->st->ops->foreach_unit_seg(c->tm->st, unit, on_unit_seg, c,
					      c->err);
	if (rc == HX_OK && c->n >= 2 && (!c->src || c->n == 2))
		rc = export_codes(c, unit);
	if (rc == HX_OK && c->n >= 2) {
		/* The pivot first when there is one. */
		size_t k = 0;
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < c->n; i++) {
				bool pivot =
				    c->src && !strcmp(c->lang[i], c->src);
				if (pivot != (pass == 0))
					continue;
				tuv[k] = (hx_tmx_tuv){c->lang[i], c->text[i],
						      strlen(c->text[i])};
				codes[k++] =
				    (hx_tmx_codes){c->codes[i], c->ncodes[i]};
			}
		if (!c->src || k == 2)
			rc = export_meta(c, unit, &em);
		hx_tmx_tu tu = {tuv, k, em.props, em.nprops, em.tuid};
		if (rc == HX_OK && (!c->src || k == 2)) {
			rc = hx_tmx_writer_add_meta(c->w, &tu, codes, &em.m,
						    c->err);
			if (rc == HX_OK)
				c->units++;
		}
		export_meta_free(&em);
	}
	for (size_t i = 0; i < c->n; i++) {
		free(c->text[i]);
		free(c->codes[i]);
		free(c->strs[i]);
		c->codes[i] = NULL, c->strs[i] = NULL, c->ncodes[i] = 0;
	}
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
	if (tm->importing)
		return hx__error_set(err, HX_EINVAL,
				     "%s: the handle is importing: commit "
				     "or free the batch first",
				     tm->path);
	if (src && tgt) {
		c.src = hx_tm_lang_norm(sl, sizeof(sl), src);
		c.tgt = hx_tm_lang_norm(tl, sizeof(tl), tgt);
	}
	hdr.srclang = c.src ? c.src : "*all*";
	/* SOURCE_DATE_EPOCH (reproducible-builds.org) pins the creation
	 * date, as hexalign align does: the same memory, the same file. */
	char date[32];
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	if (epoch && *epoch) {
		time_t t = (time_t)strtoll(epoch, NULL, 10);
		struct tm tmv;
		if (gmtime_r(&t, &tmv) &&
		    strftime(date, sizeof(date), "%Y%m%dT%H%M%SZ", &tmv))
			hdr.creationdate = date;
	}
	if ((rc = hx_tmx_writer_open(&c.w, path, &hdr, err)) < 0)
		return rc;
	c.tm = tm;
	c.err = err;
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
