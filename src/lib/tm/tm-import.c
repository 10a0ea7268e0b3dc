/*
 * tm-import.c - adding units to the memory: a batch (one transaction)
 * normalises languages and texts, skips exact duplicates and units of one
 * language, and runs on three threads: the caller (or the TMX parser)
 * fills blocks of units, an indexer cuts them into the grams of
 * tm-index.h, a writer stores the rows; at commit the posting lists are
 * written once, in key order. hx_tm_import_tmx() streams TMX files in.
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hexalign/hexalign.h>
#include <hexalign/tm.h>

#include "base/error-private.h"
#include "base/text.h"
#include "base/varint.h"
#include "tm/match-private.h"
#include "tm/tm-doc.h"
#include "tm/tm-index.h"
#include "tm/tm-json.h"
#include "tm/tm-private.h"
#include "tm/tmstore.h"

/* (gram, unit) pairs held in memory during an import before they are
 * sorted into a run (8 bytes each). */
#define FLUSH_PAIRS (24u << 20)

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
	struct hx__bytes
	    forms; /* the indexer's: unit, language, compact form */
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
	struct hx__accum acc;
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

/* A batch; with `removed`, one that first takes origin's units out, in
 * its transaction and before the ids and hashes are read, so that the
 * units added again are not duplicates of the ones removed. */
static int batch_begin(hx_tm_batch **out, hx_tm *tm, const char *origin,
		       size_t *removed, hx_error *err)
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
	if ((removed && (rc = tm->st->ops->remove_origin(tm->st, origin,
							 removed, err)) < 0) ||
	    (rc = tm->st->ops->next_unit(tm->st, &b->next_unit, err)) < 0 ||
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

int hx_tm_batch_begin(hx_tm_batch **out, hx_tm *tm, const char *origin,
		      hx_error *err)
{
	return batch_begin(out, tm, origin, NULL, err);
}

int hx__tm_batch_begin_replace(hx_tm_batch **out, hx_tm *tm, const char *origin,
			       size_t *removed, hx_error *err)
{
	assert(origin && removed);
	*removed = 0;
	return batch_begin(out, tm, origin, removed, err);
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
	hx__accum_free(&b->acc);
	free(b->seen.v);
	hx_match_seg_free(b->seg);
	free(b->origin);
	free(b);
}

static int index_seg(hx_tm_batch *b, const char *lang, const char *text,
		     size_t len, int64_t unit, hx_error *err)
{
	struct hx__accum *a = &b->acc;
	int li = hx__accum_lang(a, lang), rc;

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
	hx__le16(b->toks, b->ntoks);
	size_t n = hx__match_seg_index(b->seg, text, b->tok, MAX_INDEX_TOK);
	size_t ng = hx__bigrams(b->tok, n, b->grams);
	uint32_t off = (uint32_t)(unit - a->first);
	uint64_t at = (uint64_t)(unit - a->base);
	struct hx__bytes *lens = &a->lens[li];

	/* The token count by unit (a unit without a segment in this
	 * language leaves a gap, never read), for the whole import: the
	 * store keeps them apart from the posting lists. */
	if (at >= lens->n) {
		if (hx__bytes_room(lens, at + 1 - lens->n) < 0)
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		memset(lens->b + lens->n, 1, at + 1 - lens->n);
		lens->n = at + 1;
	}
	lens->b[at] = (unsigned char)(ntok > 255 ? 255 : ntok ? ntok : 1);
	rc = hx__accum_add(a, li,
			   hx__full_key(hx__match_seg_loose_hash(b->seg)), off);
	for (size_t k = 0; k < n && rc == HX_OK; k++) {
		rc = hx__accum_add(a, li, hx__uni_key(b->tok[k].key), off);
		if (rc == HX_OK && b->tok[k].num)
			rc = hx__accum_add(a, li, hx__num_key(b->tok[k].num),
					   off);
	}
	for (size_t k = 0; k < ng && rc == HX_OK; k++)
		rc = hx__accum_add(a, li, b->grams[k], off);
	if (rc < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	return HX_OK;
}

/* The indexer: every segment of a block, then a run when memory is full
 * (between units, so that a run holds whole units). */
static int index_block(hx_tm_batch *b, struct block *blk, hx_error *err)
{
	struct hx__accum *a = &b->acc;
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
			struct hx__bytes *f = &blk->forms;
			uint16_t n = (uint16_t)b->ntoks;
			if (hx__bytes_room(f, sizeof(struct form) +
						  2 * (size_t)n) < 0)
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
		if ((rc = hx__accum_run(a, err)) < 0)
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
	const struct hx__bytes *f = &blk->forms;
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
	    (rc = hx__accum_write(&b->acc, b->tm->st, err)) < 0 ||
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

int hx_tm_batch_add_props(hx_tm_batch *b, const char *const *langs,
			  const char *const *texts, size_t n,
			  const hx_tmx_prop *props, size_t nprops,
			  hx_error *err)
{
	return hx__tm_batch_add_changed(b, langs, texts, n, props, nprops, NULL,
					NULL, err);
}

int hx__tm_batch_add_changed(hx_tm_batch *b, const char *const *langs,
			     const char *const *texts, size_t n,
			     const hx_tmx_prop *props, size_t nprops,
			     const char *changeid, const char *changedate,
			     hx_error *err)
{
	return hx__tm_batch_add_full(b, langs, texts, NULL, n, props, nprops,
				     changeid, changedate, err);
}

int hx__tm_batch_add_full(hx_tm_batch *b, const char *const *langs,
			  const char *const *texts, const hx_tmx_codes *codes,
			  size_t n, const hx_tmx_prop *props, size_t nprops,
			  const char *changeid, const char *changedate,
			  hx_error *err)
{
	size_t lens[16];
	char *cj[16] = {0};
	struct unit_in u = {0};
	struct hx__jbuf j = {0};
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
	u.meta.changeid = changeid, u.meta.changedate = changedate;
	u.meta.props = hx__props_json(&j, props, nprops);
	rc = nprops && !u.meta.props ? HX_ENOMEM : HX_OK;
	for (size_t i = 0; codes && i < n && rc == HX_OK; i++) {
		/* Stored as a TMX tuv's codes are, so look-up, code mapping
		 * and export read them alike. */
		hx_tmx_tuv_read t = {.codes = codes[i].codes,
				     .ncodes = codes[i].n};
		if (codes[i].n && !(cj[i] = hx__codes_json(&j, &t)))
			rc = HX_ENOMEM;
	}
	u.codes = codes ? (const char *const *)cj : NULL;
	if (rc == HX_OK)
		rc = add_unit(b, &u, err);
	else
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		free(cj[i]);
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
	struct hx__jbuf j;
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
		codes[i] = hx__codes_json(&c->j, &tu->tuvs[i]);
	}
	u.langs = langs, u.texts = texts, u.lens = lens, u.n = n;
	u.codes = (const char *const *)codes;
	u.meta.tuid = tu->tuid;
	u.meta.creationdate = tu->creationdate;
	u.meta.creationid = tu->creationid;
	u.meta.changedate = tu->changedate;
	u.meta.changeid = tu->changeid;
	if ((rc = with_origin(c, hdr, tu, &np)) == HX_OK) {
		props = hx__props_json(&c->j, c->props, np);
		notes = hx__notes_json(&c->j, tu->notes, tu->nnotes);
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

int hx_tm_batch_set_origin(hx_tm_batch *b, const char *origin, hx_error *err)
{
	char *o = NULL;

	assert(b);
	if (origin && !(o = strdup(origin)))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	free(b->origin);
	b->origin = o;
	return HX_OK;
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
		if ((rc = hx_tm_batch_set_origin(
			 c.b, base ? base + 1 : paths[i], err)) < 0)
			goto fail;
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
