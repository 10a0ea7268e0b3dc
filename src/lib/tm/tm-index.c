/*
 * tm-index.c - the accumulator that builds the memory's posting lists
 * during an import (tm-index.h says how the index is laid out): (gram,
 * unit) pairs in partitions, sorted into runs when memory is full, the
 * runs merged gram by gram on a second thread while the first stores the
 * chunks, so every row reaches SQLite once, in key order.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "base/varint.h"
#include "tm/tm-index.h"

int hx__bytes_room(struct hx__bytes *x, size_t more)
{
	void *b = x->b;
	if (hx__grow(&b, &x->cap, x->n + more, 1) < 0)
		return HX_ENOMEM;
	x->b = b;
	return HX_OK;
}

void hx__accum_free(struct hx__accum *a)
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

int hx__accum_lang(struct hx__accum *a, const char *lang)
{
	for (size_t i = 0; i < a->nlangs; i++)
		if (!strcmp(a->langs[i], lang))
			return (int)i;
	if (a->nlangs == MAX_LANGS)
		return -1;
	if (!(a->parts[a->nlangs] = calloc(256, sizeof(struct hx__part))))
		return -2;
	snprintf(a->langs[a->nlangs], 16, "%s", lang);
	return (int)a->nlangs++;
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
static int run_write(struct hx__accum *a, const unsigned char *b, size_t n,
		     struct hx__run_at *at, hx_error *err)
{
	at->len = n;
	if (!a->file) {
		at->off = (long long)a->mem.n;
		if (hx__bytes_room(&a->mem, n) < 0)
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
static int run_spill(struct hx__accum *a, hx_error *err)
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
int hx__accum_run(struct hx__accum *a, hx_error *err)
{
	struct hx__bytes out = {0}, ent = {0};
	uint64_t *tmp = NULL;
	size_t tmpcap = 0;
	int rc = HX_OK;

	if (!a->pairs && a->nruns)
		return HX_OK;
	if (a->nruns == 1 && !a->file && (rc = run_spill(a, err)) < 0)
		return rc;
	struct hx__run_at *at =
	    realloc(a->at, (a->nruns + 1) * MAX_LANGS * 256 * sizeof(*at));
	if (!at)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	a->at = at;
	at += a->nruns * MAX_LANGS * 256;
	memset(at, 0, MAX_LANGS * 256 * sizeof(*at));
	for (size_t l = 0; l < a->nlangs && rc == HX_OK; l++) {
		for (size_t p = 0; p < 256 && rc == HX_OK; p++) {
			struct hx__part *pt = &a->parts[l][p];
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
				if (hx__bytes_room(&out, (e - i) * 6 + 40) <
					0 ||
				    hx__bytes_room(&ent, (e - i) * 6) < 0) {
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
	struct hx__accum *a;
	struct hx__bytes buf, blob;
	struct cursor *cur;
	uint32_t *gp;
};

static int merge_part(struct merger *m, size_t l, size_t p,
		      struct hx__bytes *out, hx_error *err)
{
	struct hx__accum *a = m->a;
	struct hx__bytes *buf = &m->buf, *blob = &m->blob;
	struct cursor *cur = m->cur;
	uint32_t *gp = m->gp;

	/* This partition of every run, side by side. */
	size_t total = 0;
	for (size_t r = 0; r < a->nruns; r++)
		total += a->at[(r * MAX_LANGS + l) * 256 + p].len;
	buf->n = 0;
	out->n = 0;
	if (hx__bytes_room(buf, total + 1) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (size_t r = 0; r < a->nruns; r++) {
		const struct hx__run_at *x =
		    &a->at[(r * MAX_LANGS + l) * 256 + p];
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
			if (hx__bytes_room(blob, c->elen + 10) < 0)
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
		if (hx__bytes_room(out, blob->n + 30) < 0)
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
	struct hx__bytes out;
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
	struct hx__accum *a = mp->m.a;
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
static int insert_part(struct hx__accum *a, hx__store *st, size_t l,
		       const struct hx__bytes *out, hx_error *err)
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
int hx__accum_write(struct hx__accum *a, hx__store *st, hx_error *err)
{
	struct merge_pipe mp = {.m = {.a = a}};
	pthread_t th;
	int rc = HX_OK;

	if ((rc = hx__accum_run(a, err)) < 0)
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
