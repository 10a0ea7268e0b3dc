/*
 * tmstore-sqlite.c - the embedded backend of the translation memory: one
 * SQLite file in WAL mode, so look-ups go on while an import writes, and
 * an import is one transaction, so a failed or interrupted one leaves the
 * file as it was (SQLite's atomic commit: sqlite.org/atomiccommit.html).
 *
 * The file says it is ours through PRAGMA application_id and which schema
 * it has through PRAGMA user_version; a file from a newer hexalign is
 * refused rather than misread. Only rows live here: what a gram or a
 * normal form is, is tm.c's business.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "error-private.h"
#include "tmstore.h"

/* "hxTM" */
#define APP_ID 0x6878544d

enum {
	Q_ADD_UNIT,
	Q_ADD_SEG,
	Q_ADD_POST,
	Q_COUNT_POST,
	Q_GET_POST,
	Q_GET_SEG,
	Q_GET_UNIT_SEG,
	Q_GET_ORIGIN,
	Q_FOREACH_SEG,
	Q_FOREACH_UNIT_SEG,
	Q_FOREACH_UNIT,
	Q_MAX
};

static const char *const sql[Q_MAX] = {
    "INSERT OR IGNORE INTO unit(hash, origin, tuid, creationdate, "
    "creationid, changedate, changeid, props, notes) "
    "VALUES (?,?,?,?,?,?,?,?,?)",
    "INSERT INTO seg(unit, lang, text, codes) VALUES (?,?,?,?)",
    "INSERT INTO post(lang, g, seq, n, ids) VALUES (?,?,?,?,?)",
    "SELECT coalesce(sum(n), 0) FROM post WHERE lang = ? AND g = ?",
    "SELECT ids, n FROM post WHERE lang = ? AND g = ?",
    "SELECT text, unit, lang FROM seg WHERE id = ?",
    "SELECT text FROM seg WHERE unit = ? AND lang = ? LIMIT 1",
    "SELECT coalesce(origin, '') FROM unit WHERE id = ?",
    "SELECT id, unit, text, lang FROM seg WHERE lang = ? ORDER BY id",
    "SELECT id, unit, text, lang FROM seg WHERE unit = ? ORDER BY id",
    "SELECT id, 0, '', '' FROM unit ORDER BY id",
};

static const char schema[] =
    "CREATE TABLE unit(id INTEGER PRIMARY KEY, hash INTEGER NOT NULL "
    "UNIQUE, origin TEXT, tuid TEXT, creationdate TEXT, creationid TEXT, "
    "changedate TEXT, changeid TEXT, props TEXT, notes TEXT);"
    "CREATE TABLE seg(id INTEGER PRIMARY KEY, unit INTEGER NOT NULL "
    "REFERENCES unit(id), lang TEXT NOT NULL, text TEXT NOT NULL, codes "
    "TEXT);"
    "CREATE INDEX seg_unit ON seg(unit, lang);"
    /* Posting lists of the n-gram index, in chunks (one per import or
     * flush): ids are delta-coded varints of segment ids. */
    "CREATE TABLE post(lang TEXT NOT NULL, g INTEGER NOT NULL, seq "
    "INTEGER NOT NULL, n INTEGER NOT NULL, ids BLOB NOT NULL, PRIMARY "
    "KEY(lang, g, seq)) WITHOUT ROWID;"
    /* The next posting chunk number, so an import need not search. */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER) WITHOUT ROWID;"
    "INSERT INTO meta VALUES('next_chunk', 0);";

struct sq {
	hx__store base;
	sqlite3 *db;
	sqlite3_stmt *q[Q_MAX];
	char *path;
	bool in_tx, readonly;
	int64_t chunk_base;
};

static int db_error(struct sq *s, hx_error *err, const char *what)
{
	int code = sqlite3_errcode(s->db);
	int st = HX_EIO;
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return hx__error_set(err, HX_EIO,
				     "%s: the memory is locked by another "
				     "import; try again when it has finished",
				     s->path);
	if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
		st = HX_EFORMAT;
	return hx__error_set(err, st, "%s: %s: %s", s->path, what,
			     sqlite3_errmsg(s->db));
}

static sqlite3_stmt *stmt(struct sq *s, int q, hx_error *err)
{
	if (!s->q[q] &&
	    sqlite3_prepare_v3(s->db, sql[q], -1, SQLITE_PREPARE_PERSISTENT,
			       &s->q[q], NULL) != SQLITE_OK) {
		db_error(s, err, "cannot prepare a query");
		return NULL;
	}
	sqlite3_reset(s->q[q]);
	sqlite3_clear_bindings(s->q[q]);
	return s->q[q];
}

static void sq_close(hx__store *st)
{
	struct sq *s = (struct sq *)st;
	if (!s)
		return;
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	for (int i = 0; i < Q_MAX; i++)
		sqlite3_finalize(s->q[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static void sq_rollback(hx__store *st);

static int sq_begin(hx__store *st, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	if (s->readonly || sqlite3_db_readonly(s->db, "main") == 1)
		return hx__error_set(err, HX_EIO, "%s: the memory is read-only",
				     s->path);
	/* IMMEDIATE takes the write lock now: a second import waits for
	 * the busy timeout and then fails before it has done any work. */
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_error(s, err, "cannot start an import");
	s->in_tx = true;
	sqlite3_stmt *q;
	s->chunk_base = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT value FROM meta WHERE key = "
			       "'next_chunk'",
			       -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		s->chunk_base = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	/* Chunks of one import are far fewer than 2^20 (one per flush). */
	char up[128];
	snprintf(up, sizeof(up),
		 "UPDATE meta SET value = %lld WHERE key = 'next_chunk'",
		 (long long)(s->chunk_base + (1 << 20)));
	if (sqlite3_exec(s->db, up, NULL, NULL, NULL) != SQLITE_OK) {
		int rc = db_error(s, err, "cannot start an import");
		sq_rollback(st);
		return rc;
	}
	return HX_OK;
}

static int sq_commit(hx__store *st, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int rc = db_error(s, err, "cannot commit the import");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->in_tx = false;
		return rc;
	}
	s->in_tx = false;
	return HX_OK;
}

static void sq_rollback(hx__store *st)
{
	struct sq *s = (struct sq *)st;
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = false;
}

static void bind_text(sqlite3_stmt *q, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(q, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

static int sq_add_unit(hx__store *st, const struct hx__unit_meta *m,
		       int64_t *unit, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q = stmt(s, Q_ADD_UNIT, err);
	if (!q)
		return HX_EIO;
	sqlite3_bind_int64(q, 1, (sqlite3_int64)m->hash);
	bind_text(q, 2, m->origin);
	bind_text(q, 3, m->tuid);
	bind_text(q, 4, m->creationdate);
	bind_text(q, 5, m->creationid);
	bind_text(q, 6, m->changedate);
	bind_text(q, 7, m->changeid);
	bind_text(q, 8, m->props);
	bind_text(q, 9, m->notes);
	if (sqlite3_step(q) != SQLITE_DONE)
		return db_error(s, err, "cannot store a unit");
	*unit = sqlite3_changes(s->db) ? sqlite3_last_insert_rowid(s->db) : 0;
	return HX_OK;
}

static int sq_add_seg(hx__store *st, int64_t unit, const char *lang,
		      const char *text, size_t len, const char *codes,
		      int64_t *seg, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q = stmt(s, Q_ADD_SEG, err);
	if (!q)
		return HX_EIO;
	sqlite3_bind_int64(q, 1, unit);
	sqlite3_bind_text(q, 2, lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, text, (int)len, SQLITE_STATIC);
	bind_text(q, 4, codes);
	if (sqlite3_step(q) != SQLITE_DONE)
		return db_error(s, err, "cannot store a segment");
	*seg = sqlite3_last_insert_rowid(s->db);
	return HX_OK;
}

/* Chunks of one import are numbered from the transaction's base: one more
 * than the largest chunk number in the memory, read when the transaction
 * starts, so no insert has to look for the gram's last chunk. */
static int sq_add_postings(hx__store *st, const char *lang, uint32_t g,
			   uint32_t chunk, const unsigned char *blob,
			   size_t len, uint32_t n, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q = stmt(s, Q_ADD_POST, err);
	if (!q)
		return HX_EIO;
	sqlite3_bind_text(q, 1, lang, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, g);
	sqlite3_bind_int64(q, 3, s->chunk_base + chunk);
	sqlite3_bind_int64(q, 4, n);
	sqlite3_bind_blob(q, 5, blob, (int)len, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		return db_error(s, err, "cannot store the index");
	return HX_OK;
}

static int sq_count_postings(hx__store *st, const char *lang, uint32_t g,
			     uint64_t *n, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q = stmt(s, Q_COUNT_POST, err);
	if (!q)
		return HX_EIO;
	sqlite3_bind_text(q, 1, lang, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, g);
	if (sqlite3_step(q) != SQLITE_ROW)
		return db_error(s, err, "cannot read the index");
	*n = (uint64_t)sqlite3_column_int64(q, 0);
	return HX_OK;
}

static int sq_get_postings(hx__store *st, const char *lang, uint32_t g,
			   hx__postings_cb cb, void *payload, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q = stmt(s, Q_GET_POST, err);
	int r, rc;
	if (!q)
		return HX_EIO;
	sqlite3_bind_text(q, 1, lang, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, g);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(q, 0);
		size_t len = (size_t)sqlite3_column_bytes(q, 0);
		if ((rc = cb(payload, b, len,
			     (uint32_t)sqlite3_column_int64(q, 1))) < 0)
			return rc;
	}
	if (r != SQLITE_DONE)
		return db_error(s, err, "cannot read the index");
	return HX_OK;
}

static int sq_get_seg(hx__store *st, int64_t seg, const char **text,
		      size_t *len, int64_t *unit, char lang[16], hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q = stmt(s, Q_GET_SEG, err);
	if (!q)
		return HX_EIO;
	sqlite3_bind_int64(q, 1, seg);
	if (sqlite3_step(q) != SQLITE_ROW)
		return hx__error_set(err, HX_EFORMAT,
				     "%s: segment %lld is indexed but missing",
				     s->path, (long long)seg);
	*text = (const char *)sqlite3_column_text(q, 0);
	*len = (size_t)sqlite3_column_bytes(q, 0);
	*unit = sqlite3_column_int64(q, 1);
	snprintf(lang, 16, "%s", (const char *)sqlite3_column_text(q, 2));
	return HX_OK;
}

static int sq_get_unit_seg(hx__store *st, int64_t unit, const char *lang,
			   const char **text, size_t *len, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q = stmt(s, Q_GET_UNIT_SEG, err);
	int r;
	if (!q)
		return HX_EIO;
	sqlite3_bind_int64(q, 1, unit);
	sqlite3_bind_text(q, 2, lang, -1, SQLITE_STATIC);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		*text = (const char *)sqlite3_column_text(q, 0);
		*len = (size_t)sqlite3_column_bytes(q, 0);
		return HX_OK;
	}
	*text = NULL;
	*len = 0;
	return r == SQLITE_DONE ? HX_OK
				: db_error(s, err, "cannot read a unit");
}

static int sq_get_origin(hx__store *st, int64_t unit, const char **origin,
			 hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q = stmt(s, Q_GET_ORIGIN, err);
	if (!q)
		return HX_EIO;
	sqlite3_bind_int64(q, 1, unit);
	*origin = "";
	if (sqlite3_step(q) == SQLITE_ROW)
		*origin = (const char *)sqlite3_column_text(q, 0);
	return HX_OK;
}

static int run_foreach(struct sq *s, sqlite3_stmt *q, hx__seg_cb cb,
		       void *payload, hx_error *err)
{
	int r, rc;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(q, 2);
		const char *l = (const char *)sqlite3_column_text(q, 3);
		if ((rc = cb(payload, sqlite3_column_int64(q, 0),
			     sqlite3_column_int64(q, 1), l ? l : "", t ? t : "",
			     (size_t)sqlite3_column_bytes(q, 2))) < 0)
			return rc;
	}
	return r == SQLITE_DONE ? HX_OK
				: db_error(s, err, "cannot read the memory");
}

/* Iterations use their own statements: the callback may call get_*. */
static int fresh(struct sq *s, const char *text, sqlite3_stmt **q,
		 hx_error *err)
{
	if (sqlite3_prepare_v2(s->db, text, -1, q, NULL) != SQLITE_OK)
		return db_error(s, err, "cannot prepare a query");
	return HX_OK;
}

static int sq_foreach_seg(hx__store *st, const char *lang, hx__seg_cb cb,
			  void *payload, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q;
	int rc;
	if ((rc = fresh(s, sql[Q_FOREACH_SEG], &q, err)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, lang, -1, SQLITE_STATIC);
	rc = run_foreach(s, q, cb, payload, err);
	sqlite3_finalize(q);
	return rc;
}

static int sq_foreach_unit_seg(hx__store *st, int64_t unit, hx__seg_cb cb,
			       void *payload, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q;
	int rc;
	if ((rc = fresh(s, sql[Q_FOREACH_UNIT_SEG], &q, err)) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, unit);
	rc = run_foreach(s, q, cb, payload, err);
	sqlite3_finalize(q);
	return rc;
}

static int sq_foreach_unit(hx__store *st, hx__seg_cb cb, void *payload,
			   hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q;
	int rc;
	if ((rc = fresh(s, sql[Q_FOREACH_UNIT], &q, err)) < 0)
		return rc;
	rc = run_foreach(s, q, cb, payload, err);
	sqlite3_finalize(q);
	return rc;
}

static int sq_counts(hx__store *st, size_t *units, size_t *segs,
		     char langs[16][16], size_t per_lang[16], size_t *nlangs,
		     hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q;
	int rc;

	*units = *segs = *nlangs = 0;
	if ((rc = fresh(s, "SELECT count(*) FROM unit", &q, err)) < 0)
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW)
		*units = (size_t)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if ((rc = fresh(s,
			"SELECT lang, count(*) AS c FROM seg GROUP BY lang "
			"ORDER BY c DESC, lang",
			&q, err)) < 0)
		return rc;
	while (sqlite3_step(q) == SQLITE_ROW) {
		size_t c = (size_t)sqlite3_column_int64(q, 1);
		*segs += c;
		if (*nlangs < 16) {
			snprintf(langs[*nlangs], 16, "%s",
				 (const char *)sqlite3_column_text(q, 0));
			per_lang[(*nlangs)++] = c;
		}
	}
	sqlite3_finalize(q);
	return HX_OK;
}

/* Reset every statement: one left on a row keeps its read transaction
 * open, and a reader would go on seeing the memory as it was then. */
static void sq_idle(hx__store *st)
{
	struct sq *s = (struct sq *)st;
	for (int i = 0; i < Q_MAX; i++)
		if (s->q[i])
			sqlite3_reset(s->q[i]);
}

static const struct hx__store_ops sqlite_ops = {
    sq_close,	     sq_begin,
    sq_commit,	     sq_rollback,
    sq_add_unit,     sq_add_seg,
    sq_add_postings, sq_count_postings,
    sq_get_postings, sq_get_seg,
    sq_get_unit_seg, sq_get_origin,
    sq_foreach_seg,  sq_foreach_unit_seg,
    sq_foreach_unit, sq_counts,
    sq_idle,
};

static int pragma_int(sqlite3 *db, const char *p, int *v)
{
	sqlite3_stmt *q;
	char buf[64];
	snprintf(buf, sizeof(buf), "PRAGMA %s", p);
	if (sqlite3_prepare_v2(db, buf, -1, &q, NULL) != SQLITE_OK)
		return -1;
	int r = sqlite3_step(q);
	*v = r == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	sqlite3_finalize(q);
	return r == SQLITE_ROW ? 0 : -1;
}

/* A new file gets the schema; an existing one must be ours and no newer
 * than this hexalign. */
static int check_schema(struct sq *s, bool readonly, hx_error *err)
{
	int app = 0, ver = 0, ntables = 0;
	sqlite3_stmt *q;

	if (pragma_int(s->db, "application_id", &app) < 0)
		return hx__error_set(err, HX_EFORMAT,
				     "%s: not a hexalign memory (%s)", s->path,
				     sqlite3_errmsg(s->db));
	pragma_int(s->db, "user_version", &ver);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT count(*) FROM sqlite_master WHERE "
			       "type = 'table'",
			       -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		ntables = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (app == 0 && ntables == 0) {
		if (readonly)
			return hx__error_set(err, HX_EFORMAT,
					     "%s: the memory is empty",
					     s->path);
		char ddl[4096];
		/* 8 KiB pages: posting lists and segments are mostly larger
		 * than a quarter of a 4 KiB page, which sends them to
		 * overflow pages. */
		sqlite3_exec(s->db, "PRAGMA page_size = 8192", NULL, NULL,
			     NULL);
		snprintf(ddl, sizeof(ddl),
			 "BEGIN;%sPRAGMA application_id = %d;"
			 "PRAGMA user_version = %d;COMMIT;",
			 schema, APP_ID, HX_TM_SCHEMA);
		if (sqlite3_exec(s->db, ddl, NULL, NULL, NULL) != SQLITE_OK)
			return db_error(s, err, "cannot create the memory");
		return HX_OK;
	}
	if (app != APP_ID)
		return hx__error_set(err, HX_EFORMAT,
				     "%s: not a hexalign memory (an SQLite "
				     "database of another program)",
				     s->path);
	if (ver > HX_TM_SCHEMA)
		return hx__error_set(err, HX_EFORMAT,
				     "%s: made by a newer hexalign (schema %d; "
				     "this one reads up to %d)",
				     s->path, ver, HX_TM_SCHEMA);
	/* Schema 1 was a posting format of the first development builds,
	 * never shipped: reading it would answer every query with nothing. */
	if (ver < HX_TM_SCHEMA)
		return hx__error_set(
		    err, HX_EFORMAT,
		    "%s: made by an older hexalign (schema %d; "
		    "this one reads %d): import its TMX again",
		    s->path, ver, HX_TM_SCHEMA);
	return HX_OK;
}

int hx__store_sqlite_open(hx__store **out, const char *path, bool readonly,
			  bool create, int busy_ms, hx_error *err)
{
	struct sq *s;
	struct stat sb;
	int flags, rc;

	*out = NULL;
	if (stat(path, &sb) < 0) {
		if (errno != ENOENT || !create || readonly)
			return hx__error_set(
			    err, errno == ENOENT ? HX_ENOTFOUND : HX_EIO,
			    "%s: %s", path, strerror(errno));
	} else if (!S_ISREG(sb.st_mode)) {
		return hx__error_set(err, HX_EFORMAT,
				     "%s: not a hexalign memory (not a file)",
				     path);
	}
	if (!(s = calloc(1, sizeof(*s))) || !(s->path = strdup(path))) {
		free(s);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	s->base.ops = &sqlite_ops;
	s->readonly = readonly;
	flags = readonly
		    ? SQLITE_OPEN_READONLY
		    : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		rc = hx__error_set(err, HX_EIO, "%s: cannot open: %s", path,
				   s->db ? sqlite3_errmsg(s->db)
					 : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 0);
	sqlite3_busy_timeout(s->db, busy_ms);
	if ((rc = check_schema(s, readonly, err)) < 0)
		goto fail;
	if (!readonly &&
	    sqlite3_exec(s->db,
			 "PRAGMA journal_mode = WAL; PRAGMA synchronous = "
			 "NORMAL; PRAGMA foreign_keys = OFF",
			 NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_error(s, err, "cannot set up the memory");
		goto fail;
	}
	sqlite3_exec(s->db, "PRAGMA cache_size = -65536", NULL, NULL, NULL);
	*out = &s->base;
	return HX_OK;
fail:
	sq_close(&s->base);
	return rc;
}
