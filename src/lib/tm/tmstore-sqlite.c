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
 *
 * Keys are integers so that every table is a rowid B-tree, the fastest
 * kind in SQLite, and an import appends to them: the segments of a unit
 * are one row keyed by the unit, the compact forms of a language one row
 * per group of 16 units in a table of that language's, a posting-list
 * chunk row lang << 57 | gram << 25 | chunk, the token counts one row per
 * 65536 units of a language. Rows are few and full because every row
 * costs an insert: an import of a million six-language units makes
 * 9 million rows (6.5 million of them posting lists) where one row per
 * segment and per form made 19 million. The rows of a unit and of a group
 * are gathered here and inserted when the next one starts (or at commit,
 * or before a read in the import's own transaction). Languages and
 * origins are small tables of their own. Nothing is indexed twice: duplicates
 * are found by the caller from the unit hashes (a UNIQUE index on a random
 * 64-bit hash costs a random B-tree insert per unit, which is what made the
 * import of schema 2 slow down as the memory grew).
 *
 * A new memory is built apart: in PATH.importing, without the WAL (its
 * rollback journal in memory: pages past the end of the file at the start
 * of a transaction are never journaled, so it stays small) and without
 * syncing, then synced once, switched to WAL and linked to PATH. Every
 * page is written once instead of twice (WAL, then checkpoint), and PATH
 * appears whole or not at all. An flock() on PATH.importing keeps a
 * second import of the same new memory waiting, as the write lock does
 * for an existing one; a builder that was killed leaves the file behind,
 * unlocked, and the next import starts it again from nothing.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "base/varint.h"
#include "tm/tmstore-langs.h"
#include "tm/tmstore.h"

/* "hxTM" */
#define APP_ID 0x6878544d

/* Languages per memory (6 bits of a key; id 0 is never used). */
#define MAX_LANGS HX__STORE_MAX_LANGS

enum {
	Q_ADD_UNIT,
	Q_ADD_SEG,
	Q_ADD_POST,
	Q_COUNT_POST,
	Q_GET_POST,
	Q_GET_SEG,
	Q_GET_CODES,
	Q_GET_ORIGIN,
	Q_GET_META,
	Q_ADD_LANG,
	Q_ADD_ORIGIN,
	Q_FIND_ORIGIN,
	Q_MAX
};

static const char *const sql[Q_MAX] = {
    "INSERT INTO unit(id, hash, origin, tuid, creationdate, creationid, "
    "changedate, changeid, props, notes) VALUES (?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO seg(unit, texts) VALUES (?,?)",
    "INSERT INTO post(k, n, ids) VALUES (?,?,?)",
    "SELECT coalesce(sum(n), 0) FROM post WHERE k BETWEEN ? AND ?",
    "SELECT ids, n FROM post WHERE k BETWEEN ? AND ?",
    "SELECT texts FROM seg WHERE unit = ?",
    "SELECT texts FROM seg WHERE unit = ?",
    "SELECT coalesce(o.name, '') FROM unit u LEFT JOIN origin o ON "
    "o.id = u.origin WHERE u.id = ?",
    "SELECT coalesce(o.name, ''), u.tuid, u.creationdate, u.creationid, "
    "u.changedate, u.changeid, u.props, u.notes FROM unit u LEFT JOIN "
    "origin o ON o.id = u.origin WHERE u.id = ?",
    "INSERT INTO lang(id, code) VALUES (?,?)",
    "INSERT INTO origin(name) VALUES (?)",
    "SELECT id FROM origin WHERE name = ?",
};

static const char schema[] =
    "CREATE TABLE lang(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);"
    "CREATE TABLE origin(id INTEGER PRIMARY KEY, name TEXT NOT NULL "
    "UNIQUE);"
    "CREATE TABLE unit(id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, "
    "origin INTEGER REFERENCES origin(id), tuid TEXT, creationdate TEXT, "
    "creationid TEXT, changedate TEXT, changeid TEXT, props TEXT, notes "
    "TEXT);"
    /* A unit's segments in one row (one insert per unit, not one per
     * language): see seg_next() for the layout. */
    "CREATE TABLE seg(unit INTEGER PRIMARY KEY, texts BLOB NOT NULL);"
    /* The tokens of each segment, compact, apart from the text, are in
     * a table per language, tokN for language id N (made with the
     * language): a look-up rejects most candidates from these small rows
     * alone, reads one language's, and an import appends to each. */
    /* Posting lists of the n-gram index in chunks (one per import or
     * flush), k = lang << 57 | gram << 25 | chunk: ids are delta-coded
     * varints of unit numbers. */
    "CREATE TABLE post(k INTEGER PRIMARY KEY, n INTEGER NOT NULL, ids "
    "BLOB NOT NULL);"
    /* Token counts of segments by unit, for the bound of a look-up:
     * k = lang << 40 | unit >> 16, v a byte per unit of that range. */
    "CREATE TABLE lens(k INTEGER PRIMARY KEY, v BLOB NOT NULL);"
    /* The next posting chunk number, so an import need not search. */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER) WITHOUT ROWID;"
    "INSERT INTO meta VALUES('next_chunk', 0);";

/* Posting-list rows go in by POST_BATCH in one statement: within a
 * statement SQLite's cursor stays at the end of the table, where each
 * next row goes, instead of descending from the root for every row (a
 * third less time for the 6.5 million rows of a 1M-unit import). Rows
 * wait here for their batch. */
#define POST_BATCH 64

struct post_pend {
	int64_t key[POST_BATCH];
	uint32_t count[POST_BATCH];
	size_t at[POST_BATCH], len[POST_BATCH];
	unsigned char *b;
	size_t n, bytes, cap;
};

/* A row being gathered: key -1 when there is none. */
struct pend {
	int64_t key, last;
	unsigned char *b;
	size_t n, cap;
};

struct sq {
	hx__store base;
	sqlite3 *db;
	sqlite3_stmt *q[Q_MAX];
	char *path;
	bool in_tx, readonly;
	/* A new memory being built: the file, and a descriptor of it that
	 * holds the flock (-1 otherwise). */
	char *build;
	int build_fd;
	int busy_ms;
	int64_t chunk_base;
	/* The language table, as read (ids 1..nlangs may have gaps). */
	hx__store_langs langs;
	/* Statements on the tables of compact forms, by language id: adding
	 * (0) and reading (1) one. */
	sqlite3_stmt *tq[2][MAX_LANGS + 1];
	/* Rows being gathered: the segments of the last unit added, and
	 * per language the compact forms of a group of units. */
	struct pend seg_pend, tok_pend[MAX_LANGS + 1];
	struct post_pend post_pend;
	sqlite3_stmt *post_q; /* the batch insert */
	bool pending;	      /* some row is being gathered */
	/* The origin of the last unit added, and its id. */
	char *last_origin;
	int64_t last_origin_id;
	int schema; /* the file's user_version */
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
	if (code == SQLITE_FULL)
		st = HX_EIO;
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

/* Iterations use their own statements: the callback may call get_*. */
static int fresh(struct sq *s, const char *text, sqlite3_stmt **q,
		 hx_error *err)
{
	if (sqlite3_prepare_v2(s->db, text, -1, q, NULL) != SQLITE_OK)
		return db_error(s, err, "cannot prepare a query");
	return HX_OK;
}

/* (Re)read the language table: after a rollback, or when a reader meets
 * a language an import added since. */
static int load_langs(struct sq *s, hx_error *err)
{
	sqlite3_stmt *q;
	int rc, r;
	memset(s->langs, 0, sizeof(s->langs));
	if ((rc = fresh(s, "SELECT id, code FROM lang", &q, err)) < 0)
		return rc;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0);
		if (id >= 1 && id <= MAX_LANGS)
			snprintf(s->langs[id], 16, "%s",
				 (const char *)sqlite3_column_text(q, 1));
	}
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? HX_OK
				: db_error(s, err, "cannot read the memory");
}

/* The id of lang; 0 when the memory has no such language (and add is
 * false). */
static int lang_id(struct sq *s, const char *lang, bool add, int *id,
		   hx_error *err)
{
	int rc;
	if ((*id = hx__store_langs_find(s->langs, lang)))
		return HX_OK;
	if ((rc = load_langs(s, err)) < 0)
		return rc;
	if ((*id = hx__store_langs_find(s->langs, lang)) || !add)
		return HX_OK;
	int free_id = hx__store_langs_free_id(s->langs);
	if (!free_id)
		return hx__error_set(err, HX_ELIMIT,
				     "%s: a memory holds at most %d "
				     "languages",
				     s->path, MAX_LANGS);
	sqlite3_stmt *q = stmt(s, Q_ADD_LANG, err);
	if (!q)
		return HX_EIO;
	sqlite3_bind_int(q, 1, free_id);
	sqlite3_bind_text(q, 2, lang, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		return db_error(s, err, "cannot store a language");
	char ddl[128];
	snprintf(ddl, sizeof(ddl),
		 "CREATE TABLE IF NOT EXISTS tok%d(unit INTEGER PRIMARY KEY, "
		 "toks BLOB NOT NULL)",
		 free_id);
	if (sqlite3_exec(s->db, ddl, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(s, err, "cannot store a language");
	snprintf(s->langs[free_id], 16, "%s", lang);
	*id = free_id;
	return HX_OK;
}

static void db_disconnect(struct sq *s);
static int pragma_int(sqlite3 *db, const char *p, int *v);
static void toks_stmts_free(struct sq *s);
static int settle(struct sq *s, hx_error *err);
static int post_flush(struct sq *s, hx_error *err);
static void pend_drop(struct sq *s);
static void pend_free(struct sq *s);
static void build_drop(struct sq *s);
static int build_publish(struct sq *s, bool reopen, hx_error *err);

static void sq_close(hx__store *st)
{
	struct sq *s = (struct sq *)st;
	if (!s)
		return;
	if (s->in_tx && s->db)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	/* A memory opened to be created exists once closed, empty if
	 * nothing was imported (a killed process leaves none). */
	hx_error ignore;
	hx_error_init(&ignore);
	if (s->build && s->db)
		build_publish(s, false, &ignore);
	db_disconnect(s);
	build_drop(s);
	pend_free(s);
	free(s->last_origin);
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
	/* Chunks of one import are far fewer than 2^12 (one per flush);
	 * 2^25 chunk numbers allow 8192 imports, and then the memory says
	 * so (hexalign tm export and import again renumber it). */
	char up[128];
	if (s->chunk_base + (1 << 12) > (1 << 25)) {
		sq_rollback(st);
		return hx__error_set(err, HX_ELIMIT,
				     "%s: too many imports into one memory; "
				     "export it and import it again",
				     s->path);
	}
	snprintf(up, sizeof(up),
		 "UPDATE meta SET value = %lld WHERE key = 'next_chunk'",
		 (long long)(s->chunk_base + (1 << 12)));
	int rc;
	if (sqlite3_exec(s->db, up, NULL, NULL, NULL) != SQLITE_OK ||
	    (rc = load_langs(s, err)) < 0) {
		rc = db_error(s, err, "cannot start an import");
		sq_rollback(st);
		return rc;
	}
	return HX_OK;
}

static int sq_commit(hx__store *st, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	int rc;
	if ((rc = settle(s, err)) < 0) {
		sq_rollback(st);
		return rc;
	}
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_error(s, err, "cannot commit the import");
		sq_rollback(st);
		return rc;
	}
	s->in_tx = false;
	/* A removal may have moved the file to HX_TM_SCHEMA_REMOVED. */
	pragma_int(s->db, "user_version", &s->schema);
	if (s->build)
		return build_publish(s, true, err);
	return HX_OK;
}

static void sq_rollback(hx__store *st)
{
	struct sq *s = (struct sq *)st;
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = false;
	/* Languages and the origin added in the transaction are gone, and
	 * the tables of compact forms of the languages, and the rows being
	 * gathered. */
	toks_stmts_free(s);
	pend_drop(s);
	memset(s->langs, 0, sizeof(s->langs));
	free(s->last_origin);
	s->last_origin = NULL;
}

static int sq_next_unit(hx__store *st, int64_t *unit, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q;
	int rc;
	/* Above every unit there is and every unit removed (see
	 * HX_TM_SCHEMA_REMOVED). */
	if ((rc = fresh(s,
			"SELECT max(coalesce(max(id), 0), coalesce((SELECT "
			"value FROM meta WHERE key = 'unit_floor'), 0)) + 1 "
			"FROM unit",
			&q, err)) < 0)
		return rc;
	if (sqlite3_step(q) != SQLITE_ROW) {
		rc = db_error(s, err, "cannot read the memory");
		sqlite3_finalize(q);
		return rc;
	}
	*unit = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return HX_OK;
}

/* The one integer column of every row of query text, to cb. */
static int foreach_int_bound(struct sq *s, const char *text, const char *arg,
			     hx__id_cb cb, void *payload, hx_error *err)
{
	sqlite3_stmt *q;
	int rc, r;
	if ((rc = fresh(s, text, &q, err)) < 0)
		return rc;
	if (arg)
		sqlite3_bind_text(q, 1, arg, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(q)) == SQLITE_ROW)
		if ((rc = cb(payload, sqlite3_column_int64(q, 0))) < 0) {
			sqlite3_finalize(q);
			return rc;
		}
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? HX_OK
				: db_error(s, err, "cannot read the memory");
}

static int foreach_int(struct sq *s, const char *text, hx__id_cb cb,
		       void *payload, hx_error *err)
{
	return foreach_int_bound(s, text, NULL, cb, payload, err);
}

static int sq_foreach_hash(hx__store *st, hx__id_cb cb, void *payload,
			   hx_error *err)
{
	return foreach_int((struct sq *)st, "SELECT hash FROM unit", cb,
			   payload, err);
}

static void bind_text(sqlite3_stmt *q, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(q, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

static int origin_id(struct sq *s, const char *origin, int64_t *id,
		     hx_error *err)
{
	sqlite3_stmt *q;
	if (s->last_origin && !strcmp(s->last_origin, origin)) {
		*id = s->last_origin_id;
		return HX_OK;
	}
	if (!(q = stmt(s, Q_FIND_ORIGIN, err)))
		return HX_EIO;
	sqlite3_bind_text(q, 1, origin, -1, SQLITE_STATIC);
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(q, 0);
	} else if (r == SQLITE_DONE) {
		if (!(q = stmt(s, Q_ADD_ORIGIN, err)))
			return HX_EIO;
		sqlite3_bind_text(q, 1, origin, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			return db_error(s, err, "cannot store a unit");
		*id = sqlite3_last_insert_rowid(s->db);
	} else {
		return db_error(s, err, "cannot store a unit");
	}
	free(s->last_origin);
	if (!(s->last_origin = strdup(origin)))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	s->last_origin_id = *id;
	return HX_OK;
}

static int sq_add_unit(hx__store *st, int64_t unit,
		       const struct hx__unit_meta *m, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	int64_t oid = 0;
	int rc;
	if (m->origin && (rc = origin_id(s, m->origin, &oid, err)) < 0)
		return rc;
	sqlite3_stmt *q = stmt(s, Q_ADD_UNIT, err);
	if (!q)
		return HX_EIO;
	sqlite3_bind_int64(q, 1, unit);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)m->hash);
	if (m->origin)
		sqlite3_bind_int64(q, 3, oid);
	else
		sqlite3_bind_null(q, 3);
	bind_text(q, 4, m->tuid);
	bind_text(q, 5, m->creationdate);
	bind_text(q, 6, m->creationid);
	bind_text(q, 7, m->changedate);
	bind_text(q, 8, m->changeid);
	bind_text(q, 9, m->props);
	bind_text(q, 10, m->notes);
	if (sqlite3_step(q) != SQLITE_DONE)
		return db_error(s, err, "cannot store a unit");
	return HX_OK;
}

/* The statement adding (which 0) or reading (1) a compact form of
 * language lid. */
static sqlite3_stmt *toks_stmt(struct sq *s, int which, int lid, hx_error *err)
{
	sqlite3_stmt **q = &s->tq[which][lid];
	if (!*q) {
		char text[96];
		snprintf(text, sizeof(text),
			 which ? "SELECT unit, toks FROM tok%d WHERE unit <= ? "
				 "ORDER BY unit DESC LIMIT 1"
			       : "INSERT INTO tok%d(unit, toks) VALUES (?,?)",
			 lid);
		if (sqlite3_prepare_v3(s->db, text, -1,
				       SQLITE_PREPARE_PERSISTENT, q,
				       NULL) != SQLITE_OK) {
			db_error(s, err, "cannot prepare a query");
			return NULL;
		}
	}
	sqlite3_reset(*q);
	return *q;
}

/* The statements on tables that a rollback may take away. */
static void toks_stmts_free(struct sq *s)
{
	for (int w = 0; w < 2; w++)
		for (int i = 0; i <= MAX_LANGS; i++) {
			sqlite3_finalize(s->tq[w][i]);
			s->tq[w][i] = NULL;
		}
}

static int pend_room(struct pend *p, size_t more)
{
	void *b = p->b;
	if (hx__grow(&b, &p->cap, p->n + more, 1) < 0)
		return HX_ENOMEM;
	p->b = b;
	return HX_OK;
}

/*
 * A seg row holds a unit's segments one after the other: language id
 * (a byte), text length (varint), the text, a NUL, codes length + 1
 * (varint, 0 for none), the codes and a NUL. The NULs let a caller take
 * a text or codes as a C string, in place.
 */
struct seg_ent {
	int lid;
	const char *text, *codes;
	size_t len;
};

/* The next segment of row b[0..n) at *i; false at the end (or where the
 * row is damaged: the rest is not read). */
static bool seg_next(const unsigned char *b, size_t n, size_t *i,
		     struct seg_ent *e)
{
	uint64_t len, clen;
	if (*i >= n)
		return false;
	e->lid = b[(*i)++];
	if (!hx__varint_next(b, n, i, &len) || len >= n - *i)
		return false;
	e->text = (const char *)b + *i;
	e->len = (size_t)len;
	*i += (size_t)len + 1;
	if (!hx__varint_next(b, n, i, &clen) || (clen && clen > n - *i))
		return false;
	e->codes = clen ? (const char *)b + *i : NULL;
	*i += (size_t)clen;
	return true;
}

/* Insert p's row (key, blob) with q, an INSERT of those two, if it has
 * one; it has none after. */
static int pend_insert(struct sq *s, sqlite3_stmt *q, struct pend *p,
		       hx_error *err)
{
	if (!q)
		return HX_EIO;
	sqlite3_bind_int64(q, 1, p->key);
	sqlite3_bind_blob(q, 2, p->b, (int)p->n, SQLITE_STATIC);
	p->key = -1;
	p->n = 0;
	if (sqlite3_step(q) != SQLITE_DONE)
		return db_error(s, err, "cannot store a segment");
	return HX_OK;
}

static int seg_flush(struct sq *s, hx_error *err)
{
	if (s->seg_pend.key < 0)
		return HX_OK;
	return pend_insert(s, stmt(s, Q_ADD_SEG, err), &s->seg_pend, err);
}

/*
 * Compact forms go in groups of the units of one import that share
 * unit >> TOK_GROUP_BITS, keyed by the first of them: a row is entries of
 * unit - first (a byte), byte length (varint) and the form. One insert
 * per group, not per segment; a look-up that reads one form reads its
 * group's row, a few hundred bytes.
 */
#define TOK_GROUP_BITS 4

static int toks_flush(struct sq *s, int lid, hx_error *err)
{
	if (s->tok_pend[lid].key < 0)
		return HX_OK;
	return pend_insert(s, toks_stmt(s, 0, lid, err), &s->tok_pend[lid],
			   err);
}

/* Every row being gathered into the store: before a commit, and before
 * a read in the import's own transaction. */
static int settle(struct sq *s, hx_error *err)
{
	int rc;
	if ((rc = seg_flush(s, err)) < 0 || (rc = post_flush(s, err)) < 0)
		return rc;
	for (int l = 1; l <= MAX_LANGS; l++)
		if ((rc = toks_flush(s, l, err)) < 0)
			return rc;
	s->pending = false;
	return HX_OK;
}

/* Rows gathered are forgotten (a rollback). */
static void pend_drop(struct sq *s)
{
	s->seg_pend.key = -1;
	s->seg_pend.n = 0;
	s->post_pend.n = s->post_pend.bytes = 0;
	for (int l = 0; l <= MAX_LANGS; l++) {
		s->tok_pend[l].key = -1;
		s->tok_pend[l].n = 0;
	}
	s->pending = false;
}

static void pend_free(struct sq *s)
{
	free(s->seg_pend.b);
	free(s->post_pend.b);
	for (int l = 0; l <= MAX_LANGS; l++)
		free(s->tok_pend[l].b);
}

#define SETTLE(s, err)                                                         \
	do {                                                                   \
		int settle_rc_;                                                \
		if ((s)->pending && (settle_rc_ = settle((s), (err))) < 0)     \
			return settle_rc_;                                     \
	} while (0)

/* The next entry of a group row b[0..n) at *i: its unit's offset from
 * the group's first unit, and its form; false at the end (or where the
 * row is damaged). */
static bool tok_next(const unsigned char *b, size_t n, size_t *i, int64_t *off,
		     const void **toks, size_t *len)
{
	uint64_t l;
	if (*i >= n)
		return false;
	*off = b[(*i)++];
	if (!hx__varint_next(b, n, i, &l) || l > n - *i)
		return false;
	*toks = b + *i;
	*len = (size_t)l;
	*i += (size_t)l;
	return true;
}

static int sq_foreach_toks(hx__store *st, const char *lang, hx__toks_cb cb,
			   void *payload, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q;
	int lid, rc, r;
	SETTLE(s, err);
	if ((rc = lang_id(s, lang, false, &lid, err)) < 0 || !lid)
		return rc;
	char text[64];
	snprintf(text, sizeof(text), "SELECT unit, toks FROM tok%d", lid);
	if ((rc = fresh(s, text, &q, err)) < 0)
		return rc;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t first = sqlite3_column_int64(q, 0);
		const unsigned char *b = sqlite3_column_blob(q, 1);
		size_t n = (size_t)sqlite3_column_bytes(q, 1);
		int64_t off;
		const void *t;
		size_t l;
		for (size_t i = 0; tok_next(b, n, &i, &off, &t, &l);)
			if ((rc = cb(payload, first + off, t, l)) < 0) {
				sqlite3_finalize(q);
				return rc;
			}
	}
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? HX_OK
				: db_error(s, err, "cannot read the memory");
}

static int sq_add_seg(hx__store *st, int64_t unit, const char *lang,
		      const char *text, size_t len, const char *codes,
		      hx_error *err)
{
	struct sq *s = (struct sq *)st;
	struct pend *p = &s->seg_pend;
	size_t clen = codes ? strlen(codes) + 1 : 0;
	int lid, rc;
	if ((rc = lang_id(s, lang, true, &lid, err)) < 0)
		return rc;
	if (p->key != unit && (rc = seg_flush(s, err)) < 0)
		return rc;
	if (pend_room(p, 1 + 20 + len + 1 + clen) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	p->key = unit;
	s->pending = true;
	p->b[p->n++] = (unsigned char)lid;
	p->n += hx__varint_put(p->b + p->n, len);
	memcpy(p->b + p->n, text, len);
	p->n += len;
	p->b[p->n++] = '\0';
	p->n += hx__varint_put(p->b + p->n, clen);
	if (clen) {
		memcpy(p->b + p->n, codes, clen); /* with its NUL */
		p->n += clen;
	}
	return HX_OK;
}

static int sq_add_toks(hx__store *st, int64_t unit, const char *lang,
		       const void *toks, size_t toks_len, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	int lid, rc;
	if ((rc = lang_id(s, lang, true, &lid, err)) < 0)
		return rc;
	struct pend *p = &s->tok_pend[lid];
	if (p->key >= 0 &&
	    (unit >> TOK_GROUP_BITS != p->key >> TOK_GROUP_BITS ||
	     unit <= p->last) &&
	    (rc = toks_flush(s, lid, err)) < 0)
		return rc;
	if (pend_room(p, 1 + 10 + toks_len) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if (p->key < 0)
		p->key = unit;
	p->last = unit;
	s->pending = true;
	p->b[p->n++] = (unsigned char)(unit - p->key);
	p->n += hx__varint_put(p->b + p->n, toks_len);
	memcpy(p->b + p->n, toks, toks_len);
	p->n += toks_len;
	return HX_OK;
}

/* The segment (text, or codes when `codes`) or the compact form (`toks`)
 * of unit in lang: *p NULL when there is none, or when the memory has no
 * such language. Valid until the statement's next use. */
static int get_cell(struct sq *s, int which, int64_t unit, const char *lang,
		    bool toks, const void **p, size_t *len, hx_error *err)
{
	int lid, rc;
	*p = NULL;
	if (len)
		*len = 0;
	SETTLE(s, err);
	if ((rc = lang_id(s, lang, false, &lid, err)) < 0 || !lid)
		return rc;
	sqlite3_stmt *q =
	    toks ? toks_stmt(s, 1, lid, err) : stmt(s, which, err);
	if (!q)
		return HX_EIO;
	sqlite3_bind_int64(q, 1, unit);
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(q, toks ? 1 : 0);
		size_t n = (size_t)sqlite3_column_bytes(q, toks ? 1 : 0);
		size_t l = 0;
		if (toks) {
			int64_t first = sqlite3_column_int64(q, 0), off;
			const void *t;
			size_t tl;
			for (size_t i = 0; tok_next(b, n, &i, &off, &t, &tl);)
				if (first + off == unit) {
					*p = t;
					l = tl;
					break;
				}
		} else {
			struct seg_ent e;
			for (size_t i = 0; seg_next(b, n, &i, &e);)
				if (e.lid == lid) {
					*p = which == Q_GET_CODES ? e.codes
								  : e.text;
					l = which == Q_GET_CODES ? 0 : e.len;
					break;
				}
		}
		if (len)
			*len = l;
		return HX_OK;
	}
	return r == SQLITE_DONE ? HX_OK
				: db_error(s, err, "cannot read a unit");
}

static int sq_get_toks(hx__store *st, int64_t unit, const char *lang,
		       const void **toks, size_t *len, hx_error *err)
{
	return get_cell((struct sq *)st, -1, unit, lang, true, toks, len, err);
}

#define LENS_BITS 16

static int sq_put_lens(hx__store *st, const char *lang, int64_t first,
		       const unsigned char *v, size_t n, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	unsigned char *row = NULL;
	sqlite3_stmt *get = NULL, *put = NULL;
	int lid, rc;
	if ((rc = lang_id(s, lang, true, &lid, err)) < 0)
		return rc;
	if ((rc = fresh(s, "SELECT v FROM lens WHERE k = ?", &get, err)) < 0 ||
	    (rc = fresh(s, "INSERT OR REPLACE INTO lens(k, v) VALUES (?,?)",
			&put, err)) < 0)
		goto done;
	if (!(row = malloc((size_t)1 << LENS_BITS))) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto done;
	}
	/* Range by range: what is stored, overwritten where v says. */
	for (size_t i = 0; i < n && rc == HX_OK;) {
		int64_t u = first + (int64_t)i;
		int64_t k = (int64_t)lid << 40 | u >> LENS_BITS;
		size_t at = (size_t)(u & ((1 << LENS_BITS) - 1)), have = 0;
		size_t take = ((size_t)1 << LENS_BITS) - at;
		if (take > n - i)
			take = n - i;
		sqlite3_reset(get);
		sqlite3_bind_int64(get, 1, k);
		int r = sqlite3_step(get);
		if (r == SQLITE_ROW) {
			have = (size_t)sqlite3_column_bytes(get, 0);
			if (have > (size_t)1 << LENS_BITS)
				have = (size_t)1 << LENS_BITS;
			if (have)
				memcpy(row, sqlite3_column_blob(get, 0), have);
		} else if (r != SQLITE_DONE) {
			rc = db_error(s, err, "cannot read the memory");
			break;
		}
		if (have < at)
			memset(row + have, 0, at - have);
		memcpy(row + at, v + i, take);
		size_t len = at + take > have ? at + take : have;
		sqlite3_reset(get);
		sqlite3_reset(put);
		sqlite3_bind_int64(put, 1, k);
		sqlite3_bind_blob(put, 2, row, (int)len, SQLITE_STATIC);
		if (sqlite3_step(put) != SQLITE_DONE)
			rc = db_error(s, err, "cannot store the index");
		i += take;
	}
done:
	free(row);
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	return rc;
}

static int sq_get_lens(hx__store *st, const char *lang, unsigned char **out,
		       size_t *nout, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q;
	unsigned char *v = NULL;
	size_t n = 0;
	int lid, rc, r;
	*out = NULL;
	*nout = 0;
	SETTLE(s, err);
	if ((rc = lang_id(s, lang, false, &lid, err)) < 0 || !lid)
		return rc;
	if ((rc = fresh(s, "SELECT k, v FROM lens WHERE k BETWEEN ? AND ?", &q,
			err)) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, (int64_t)lid << 40);
	sqlite3_bind_int64(q, 2, ((int64_t)lid << 40) + ((int64_t)1 << 40) - 1);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t k =
		    sqlite3_column_int64(q, 0) & (((int64_t)1 << 40) - 1);
		size_t len = (size_t)sqlite3_column_bytes(q, 1);
		if (len > (size_t)1 << LENS_BITS || k > ((int64_t)1 << 22))
			continue; /* damaged */
		size_t at = (size_t)k << LENS_BITS;
		if (at + len > n) {
			unsigned char *x = realloc(v, at + len);
			if (!x) {
				free(v);
				sqlite3_finalize(q);
				return hx__error_set(err, HX_ENOMEM,
						     "out of memory");
			}
			memset(x + n, 0, at + len - n);
			v = x, n = at + len;
		}
		if (len)
			memcpy(v + at, sqlite3_column_blob(q, 1), len);
	}
	sqlite3_finalize(q);
	if (r != SQLITE_DONE) {
		free(v);
		return db_error(s, err, "cannot read the memory");
	}
	*out = v;
	*nout = n;
	return HX_OK;
}

static int64_t post_key(int lid, uint32_t g, int64_t chunk)
{
	return (int64_t)((uint64_t)lid << 57 | (uint64_t)g << 25 |
			 (uint64_t)chunk);
}

/* The posting-list rows waiting, into the store: a full batch in one
 * statement, fewer (at the end) one by one. */
static int post_flush(struct sq *s, hx_error *err)
{
	struct post_pend *pp = &s->post_pend;
	sqlite3_stmt *q;
	size_t i = 0;
	if (pp->n == POST_BATCH) {
		if (!s->post_q) {
			char text[64 + POST_BATCH * 8];
			size_t k = (size_t)snprintf(
			    text, sizeof(text),
			    "INSERT INTO post(k, n, ids) VALUES (?,?,?)");
			for (int r = 1; r < POST_BATCH; r++)
				k += (size_t)snprintf(
				    text + k, sizeof(text) - k, ",(?,?,?)");
			if (sqlite3_prepare_v3(s->db, text, -1,
					       SQLITE_PREPARE_PERSISTENT,
					       &s->post_q, NULL) != SQLITE_OK)
				return db_error(s, err,
						"cannot prepare a query");
		}
		q = s->post_q;
		sqlite3_reset(q);
		for (int r = 0; r < POST_BATCH; r++) {
			sqlite3_bind_int64(q, 3 * r + 1, pp->key[r]);
			sqlite3_bind_int64(q, 3 * r + 2, pp->count[r]);
			sqlite3_bind_blob(q, 3 * r + 3, pp->b + pp->at[r],
					  (int)pp->len[r], SQLITE_STATIC);
		}
		i = POST_BATCH;
		if (sqlite3_step(q) != SQLITE_DONE) {
			pp->n = pp->bytes = 0;
			return db_error(s, err, "cannot store the index");
		}
	}
	for (; i < pp->n; i++) {
		if (!(q = stmt(s, Q_ADD_POST, err)))
			return HX_EIO;
		sqlite3_bind_int64(q, 1, pp->key[i]);
		sqlite3_bind_int64(q, 2, pp->count[i]);
		sqlite3_bind_blob(q, 3, pp->b + pp->at[i], (int)pp->len[i],
				  SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE) {
			pp->n = pp->bytes = 0;
			return db_error(s, err, "cannot store the index");
		}
	}
	pp->n = pp->bytes = 0;
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
	struct post_pend *pp = &s->post_pend;
	int lid, rc;
	if (chunk >= (1 << 12))
		return hx__error_set(err, HX_ELIMIT,
				     "%s: an import of more than %d index "
				     "chunks",
				     s->path, 1 << 12);
	if ((rc = lang_id(s, lang, true, &lid, err)) < 0)
		return rc;
	void *b = pp->b;
	if (hx__grow(&b, &pp->cap, pp->bytes + len, 1) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	pp->b = b;
	memcpy(pp->b + pp->bytes, blob, len);
	pp->key[pp->n] = post_key(lid, g, s->chunk_base + chunk);
	pp->count[pp->n] = n;
	pp->at[pp->n] = pp->bytes;
	pp->len[pp->n] = len;
	pp->bytes += len;
	pp->n++;
	s->pending = true;
	return pp->n == POST_BATCH ? post_flush(s, err) : HX_OK;
}

/* The statement q bound to the key range of gram g in lang; NULL with
 * *rc = HX_OK when the memory has no such language. */
static sqlite3_stmt *gram_range(struct sq *s, int which, const char *lang,
				uint32_t g, int *rc, hx_error *err)
{
	int lid;
	*rc = lang_id(s, lang, false, &lid, err);
	if (*rc < 0 || !lid)
		return NULL;
	sqlite3_stmt *q = stmt(s, which, err);
	if (!q) {
		*rc = HX_EIO;
		return NULL;
	}
	sqlite3_bind_int64(q, 1, post_key(lid, g, 0));
	sqlite3_bind_int64(q, 2, post_key(lid, g, (1 << 25) - 1));
	return q;
}

static int sq_count_postings(hx__store *st, const char *lang, uint32_t g,
			     uint64_t *n, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	int rc;
	sqlite3_stmt *q = gram_range(s, Q_COUNT_POST, lang, g, &rc, err);
	*n = 0;
	if (!q)
		return rc;
	if (sqlite3_step(q) != SQLITE_ROW)
		return db_error(s, err, "cannot read the index");
	*n = (uint64_t)sqlite3_column_int64(q, 0);
	return HX_OK;
}

static int sq_get_postings(hx__store *st, const char *lang, uint32_t g,
			   hx__postings_cb cb, void *payload, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	int r, rc;
	sqlite3_stmt *q = gram_range(s, Q_GET_POST, lang, g, &rc, err);
	if (!q)
		return rc;
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

static int sq_get_seg(hx__store *st, int64_t unit, const char *lang,
		      const char **text, size_t *len, hx_error *err)
{
	return get_cell((struct sq *)st, Q_GET_SEG, unit, lang, false,
			(const void **)text, len, err);
}

static int sq_get_codes(hx__store *st, int64_t unit, const char *lang,
			const char **codes, hx_error *err)
{
	return get_cell((struct sq *)st, Q_GET_CODES, unit, lang, false,
			(const void **)codes, NULL, err);
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

static int sq_get_meta(hx__store *st, int64_t unit, struct hx__unit_meta *m,
		       hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q = stmt(s, Q_GET_META, err);
	const char **col[] = {&m->origin,     &m->tuid,	      &m->creationdate,
			      &m->creationid, &m->changedate, &m->changeid,
			      &m->props,      &m->notes};
	int r;

	memset(m, 0, sizeof(*m));
	if (!q)
		return HX_EIO;
	sqlite3_bind_int64(q, 1, unit);
	if ((r = sqlite3_step(q)) != SQLITE_ROW) {
		if (r == SQLITE_DONE)
			return hx__error_set(err, HX_ENOTFOUND,
					     "%s: no unit %lld", s->path,
					     (long long)unit);
		return db_error(s, err, "cannot read a unit");
	}
	for (int i = 0; i < 8; i++)
		*col[i] = (const char *)sqlite3_column_text(q, i);
	return HX_OK;
}

/* The segments of every row of q (unit, texts) in language lid (0:
 * all), to cb. */
static int run_segs(struct sq *s, sqlite3_stmt *q, int lid, hx__seg_cb cb,
		    void *payload, hx_error *err)
{
	int r, rc;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t unit = sqlite3_column_int64(q, 0);
		const unsigned char *b = sqlite3_column_blob(q, 1);
		size_t n = (size_t)sqlite3_column_bytes(q, 1);
		struct seg_ent e;
		for (size_t i = 0; seg_next(b, n, &i, &e);) {
			if (lid && e.lid != lid)
				continue;
			if (e.lid < 1 || e.lid > MAX_LANGS)
				continue;
			if (!s->langs[e.lid][0] &&
			    (rc = load_langs(s, err)) < 0)
				return rc;
			if ((rc = cb(payload, unit, s->langs[e.lid], e.text,
				     e.len)) < 0)
				return rc;
		}
	}
	return r == SQLITE_DONE ? HX_OK
				: db_error(s, err, "cannot read the memory");
}

static int sq_foreach_seg(hx__store *st, const char *lang, hx__seg_cb cb,
			  void *payload, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q;
	int lid, rc;
	SETTLE(s, err);
	if ((rc = lang_id(s, lang, false, &lid, err)) < 0 || !lid)
		return rc;
	if ((rc = fresh(s, "SELECT unit, texts FROM seg", &q, err)) < 0)
		return rc;
	rc = run_segs(s, q, lid, cb, payload, err);
	sqlite3_finalize(q);
	return rc;
}

static int sq_foreach_unit_seg(hx__store *st, int64_t unit, hx__seg_cb cb,
			       void *payload, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q;
	int rc;
	SETTLE(s, err);
	if ((rc = fresh(s, "SELECT unit, texts FROM seg WHERE unit = ?", &q,
			err)) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, unit);
	rc = run_segs(s, q, 0, cb, payload, err);
	sqlite3_finalize(q);
	return rc;
}

static int sq_foreach_unit(hx__store *st, hx__id_cb cb, void *payload,
			   hx_error *err)
{
	return foreach_int((struct sq *)st, "SELECT id FROM unit ORDER BY id",
			   cb, payload, err);
}

static int sq_counts(hx__store *st, size_t *units, size_t *segs,
		     char langs[16][16], size_t per_lang[16], size_t *nlangs,
		     hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q;
	int rc;

	*units = *segs = *nlangs = 0;
	SETTLE(s, err);
	if ((rc = fresh(s, "SELECT count(*) FROM unit", &q, err)) < 0)
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW)
		*units = (size_t)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	/* Segments by language: every row's headers (the texts are
	 * skipped, not decoded). */
	size_t by_lid[MAX_LANGS + 1] = {0};
	int r;
	if ((rc = fresh(s, "SELECT texts FROM seg", &q, err)) < 0)
		return rc;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(q, 0);
		size_t n = (size_t)sqlite3_column_bytes(q, 0);
		struct seg_ent e;
		for (size_t i = 0; seg_next(b, n, &i, &e);)
			if (e.lid >= 1 && e.lid <= MAX_LANGS)
				by_lid[e.lid]++;
	}
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return db_error(s, err, "cannot read the memory");
	if ((rc = load_langs(s, err)) < 0)
		return rc;
	/* Most segments first, then by code (as tm stats prints them). */
	for (;;) {
		int best = 0;
		for (int l = 1; l <= MAX_LANGS; l++)
			if (by_lid[l] && s->langs[l][0] &&
			    (!best || by_lid[l] > by_lid[best] ||
			     (by_lid[l] == by_lid[best] &&
			      strcmp(s->langs[l], s->langs[best]) < 0)))
				best = l;
		if (!best)
			break;
		*segs += by_lid[best];
		if (*nlangs < 16) {
			snprintf(langs[*nlangs], 16, "%s", s->langs[best]);
			per_lang[(*nlangs)++] = by_lid[best];
		}
		by_lid[best] = 0;
	}
	return HX_OK;
}

static int sq_foreach_origin(hx__store *st, hx__origin_cb cb, void *payload,
			     hx_error *err)
{
	struct sq *s = (struct sq *)st;
	sqlite3_stmt *q;
	int rc, r;
	SETTLE(s, err);
	/* unit.origin has no index (see the top of the file): one pass
	 * over the units, which a listing of documents can afford. */
	if ((rc = fresh(s,
			"SELECT o.name, count(*) FROM unit u JOIN origin o ON "
			"o.id = u.origin GROUP BY u.origin ORDER BY o.name",
			&q, err)) < 0)
		return rc;
	while ((r = sqlite3_step(q)) == SQLITE_ROW)
		if ((rc = cb(payload, (const char *)sqlite3_column_text(q, 0),
			     (size_t)sqlite3_column_int64(q, 1))) != 0) {
			sqlite3_finalize(q);
			return rc;
		}
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? HX_OK
				: db_error(s, err, "cannot read the memory");
}

static int sq_foreach_origin_unit(hx__store *st, const char *origin,
				  hx__id_cb cb, void *payload, hx_error *err)
{
	struct sq *s = (struct sq *)st;
	SETTLE(s, err);
	return foreach_int_bound(
	    s,
	    "SELECT id FROM unit WHERE origin = (SELECT id "
	    "FROM origin WHERE name = ?) ORDER BY id",
	    origin, cb, payload, err);
}

/* Run one statement of the removal with the origin bound to ?1. */
static int remove_step(struct sq *s, const char *text, const char *origin,
		       hx_error *err)
{
	sqlite3_stmt *q;
	int rc;
	if ((rc = fresh(s, text, &q, err)) < 0)
		return rc;
	if (origin)
		sqlite3_bind_text(q, 1, origin, -1, SQLITE_STATIC);
	int r = sqlite3_step(q);
	sqlite3_finalize(q);
	return r == SQLITE_DONE || r == SQLITE_ROW
		   ? HX_OK
		   : db_error(s, err, "cannot remove the units");
}

/*
 * A unit is removed for real from unit and seg, the tables every reader
 * starts from (export, statistics, duplicates) or ends at (a look-up or
 * concordance reads the segment of each candidate and drops one without).
 * The posting lists and the grouped compact forms are left as they are:
 * rewriting them would cost as much as an import, and what they still
 * say of a removed unit only makes a candidate that is then dropped.
 */
static int sq_remove_origin(hx__store *st, const char *origin, size_t *removed,
			    hx_error *err)
{
	struct sq *s = (struct sq *)st;
	int rc;
	char up[64];
	assert(s->in_tx);
	*removed = 0;
	SETTLE(s, err);
	if ((rc = remove_step(s,
			      "INSERT OR REPLACE INTO meta(key, value) SELECT "
			      "'unit_floor', max(coalesce(max(id), 0), "
			      "coalesce((SELECT value FROM meta WHERE key = "
			      "'unit_floor'), 0)) FROM unit",
			      NULL, err)) < 0 ||
	    (rc =
		 remove_step(s,
			     "DELETE FROM seg WHERE unit IN (SELECT id FROM "
			     "unit WHERE origin = (SELECT id FROM origin WHERE "
			     "name = ?1))",
			     origin, err)) < 0 ||
	    (rc = remove_step(s,
			      "DELETE FROM unit WHERE origin = (SELECT id FROM "
			      "origin WHERE name = ?1)",
			      origin, err)) < 0)
		return rc;
	*removed = (size_t)sqlite3_changes(s->db);
	if (*removed && s->schema < HX_TM_SCHEMA_REMOVED) {
		/* Inside the transaction: a failed save leaves the
		 * version as it was with the units. */
		snprintf(up, sizeof(up), "PRAGMA user_version = %d",
			 HX_TM_SCHEMA_REMOVED);
		if ((rc = remove_step(s, up, NULL, err)) < 0)
			return rc;
	}
	return HX_OK;
}

static int sq_schema(hx__store *st)
{
	return ((struct sq *)st)->schema;
}

/* Reset every statement: one left on a row keeps its read transaction
 * open, and a reader would go on seeing the memory as it was then. */
static void sq_idle(hx__store *st)
{
	struct sq *s = (struct sq *)st;
	for (int i = 0; i < Q_MAX; i++)
		if (s->q[i])
			sqlite3_reset(s->q[i]);
	for (int w = 0; w < 2; w++)
		for (int i = 0; i <= MAX_LANGS; i++)
			if (s->tq[w][i])
				sqlite3_reset(s->tq[w][i]);
}

static void sq_cache_hint(hx__store *st, size_t bytes)
{
	struct sq *s = (struct sq *)st;
	char q[64];
	snprintf(q, sizeof(q), "PRAGMA cache_size = -%zu", bytes / 1024);
	sqlite3_exec(s->db, q, NULL, NULL, NULL);
#ifdef __GLIBC__
	/* The pages SQLite let go of are small blocks in the middle of the
	 * heap: without this they stay resident (60 MB of a look-up
	 * process's peak at 1M units). */
	malloc_trim(0);
#endif
}

static const struct hx__store_ops sqlite_ops = {
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .next_unit = sq_next_unit,
    .foreach_hash = sq_foreach_hash,
    .add_unit = sq_add_unit,
    .add_seg = sq_add_seg,
    .add_toks = sq_add_toks,
    .add_postings = sq_add_postings,
    .put_lens = sq_put_lens,
    .get_lens = sq_get_lens,
    .count_postings = sq_count_postings,
    .get_postings = sq_get_postings,
    .get_seg = sq_get_seg,
    .get_codes = sq_get_codes,
    .get_toks = sq_get_toks,
    .foreach_toks = sq_foreach_toks,
    .get_origin = sq_get_origin,
    .get_meta = sq_get_meta,
    .foreach_seg = sq_foreach_seg,
    .foreach_unit = sq_foreach_unit,
    .foreach_unit_seg = sq_foreach_unit_seg,
    .counts = sq_counts,
    .foreach_origin = sq_foreach_origin,
    .foreach_origin_unit = sq_foreach_origin_unit,
    .remove_origin = sq_remove_origin,
    .schema = sq_schema,
    .cache_hint = sq_cache_hint,
    .idle = sq_idle,
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
		/* 16 KiB pages: a six-language unit's segments (2-3 KB)
		 * and the short posting lists fit several to a page with
		 * little left over, and no unit's row overflows. */
		sqlite3_exec(s->db, "PRAGMA page_size = 16384", NULL, NULL,
			     NULL);
		snprintf(ddl, sizeof(ddl),
			 "BEGIN;%sPRAGMA application_id = %d;"
			 "PRAGMA user_version = %d;COMMIT;",
			 schema, APP_ID, HX_TM_SCHEMA);
		if (sqlite3_exec(s->db, ddl, NULL, NULL, NULL) != SQLITE_OK)
			return db_error(s, err, "cannot create the memory");
		s->schema = HX_TM_SCHEMA;
		return HX_OK;
	}
	if (app != APP_ID)
		return hx__error_set(err, HX_EFORMAT,
				     "%s: not a hexalign memory (an SQLite "
				     "database of another program)",
				     s->path);
	if (ver > HX_TM_SCHEMA_REMOVED)
		return hx__error_set(err, HX_EFORMAT,
				     "%s: made by a newer hexalign (schema %d; "
				     "this one reads up to %d)",
				     s->path, ver, HX_TM_SCHEMA_REMOVED);
	/* Schemas 1 to 3 were formats of development builds, never
	 * shipped: reading them would answer every query with nothing. */
	if (ver < HX_TM_SCHEMA)
		return hx__error_set(
		    err, HX_EFORMAT,
		    "%s: made by an older hexalign (schema %d; "
		    "this one reads %d): import its TMX again",
		    s->path, ver, HX_TM_SCHEMA);
	s->schema = ver;
	return HX_OK;
}

/* Connect to file (the memory, or the new memory being built) and set
 * the connection up. */
static int db_connect(struct sq *s, const char *file, int flags, hx_error *err)
{
	int rc;
	if (sqlite3_open_v2(file, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK)
		return hx__error_set(
		    err, HX_EIO, "%s: cannot open: %s", s->path,
		    s->db ? sqlite3_errmsg(s->db) : "out of memory");
	sqlite3_extended_result_codes(s->db, 0);
	sqlite3_busy_timeout(s->db, s->busy_ms);
	if ((rc = check_schema(s, s->readonly, err)) < 0)
		return rc;
	/* A memory being built has no reader and no file until it is
	 * whole: nothing to journal to disk, nothing to sync but once. */
	const char *mode =
	    s->build ? "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = "
		       "OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA "
		       "foreign_keys = OFF"
		     : "PRAGMA journal_mode = WAL; PRAGMA synchronous = "
		       "NORMAL; PRAGMA foreign_keys = OFF";
	if (!s->readonly &&
	    sqlite3_exec(s->db, mode, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(s, err, "cannot set up the memory");
	/* 64 MiB of page cache. The file is read, not mapped: a mapping
	 * saves the copy from the system's cache, but every page a look-up
	 * touches would count in the process's resident memory. */
	sqlite3_exec(s->db, "PRAGMA cache_size = -65536", NULL, NULL, NULL);
	return HX_OK;
}

static void db_disconnect(struct sq *s)
{
	toks_stmts_free(s);
	sqlite3_finalize(s->post_q);
	s->post_q = NULL;
	for (int i = 0; i < Q_MAX; i++) {
		sqlite3_finalize(s->q[i]);
		s->q[i] = NULL;
	}
	sqlite3_close(s->db);
	s->db = NULL;
}

/* Whether fd is the file that name names now. */
static bool same_file(int fd, const char *name)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat(name, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Let go of the file a new memory was built in, and of its lock. */
static void build_drop(struct sq *s)
{
	if (s->build_fd >= 0) {
		if (same_file(s->build_fd, s->build))
			unlink(s->build);
		close(s->build_fd); /* and the flock with it */
	}
	s->build_fd = -1;
	free(s->build);
	s->build = NULL;
}

/* Take the lock of a new memory at s->path (waiting as long as a busy
 * memory is waited for), and start it empty. *exists: the memory was
 * made meanwhile by the import that held the lock: open it instead. */
static int build_start(struct sq *s, bool *exists, hx_error *err)
{
	size_t n = strlen(s->path);
	struct stat sb;
	*exists = false;
	if (!(s->build = malloc(n + sizeof(".importing"))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	memcpy(s->build, s->path, n);
	memcpy(s->build + n, ".importing", sizeof(".importing"));
	for (int waited = 0;;) {
		int fd = open(s->build, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			return hx__error_set(err, HX_EIO,
					     "%s: cannot create: %s", s->build,
					     strerror(errno));
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			/* The name may have been unlinked or made anew
			 * while we waited: the lock counts only on the
			 * file it names. */
			if (same_file(fd, s->build)) {
				s->build_fd = fd;
				break;
			}
			close(fd);
			continue;
		}
		close(fd);
		if (errno != EWOULDBLOCK && errno != EINTR)
			return hx__error_set(err, HX_EIO, "%s: cannot lock: %s",
					     s->build, strerror(errno));
		if (waited >= s->busy_ms)
			return hx__error_set(
			    err, HX_EIO,
			    "%s: another import is creating this memory; try "
			    "again when it has finished",
			    s->path);
		struct timespec ts = {0, 20 * 1000000};
		nanosleep(&ts, NULL);
		waited += 20;
	}
	if (stat(s->path, &sb) == 0) {
		build_drop(s);
		*exists = true;
		return HX_OK;
	}
	/* What a killed import left is no memory: start from nothing. */
	if (ftruncate(s->build_fd, 0) < 0)
		return hx__error_set(err, HX_EIO, "%s: %s", s->build,
				     strerror(errno));
	return HX_OK;
}

/* The new memory is complete: on disk, in WAL mode, at its path; the
 * connection then goes on with it there. */
static int build_publish(struct sq *s, bool reopen, hx_error *err)
{
	int rc = HX_OK;
	if (sqlite3_exec(s->db,
			 "PRAGMA locking_mode = NORMAL; PRAGMA "
			 "journal_mode = WAL",
			 NULL, NULL, NULL) != SQLITE_OK)
		rc = db_error(s, err, "cannot finish the memory");
	db_disconnect(s); /* checkpoints and removes the -wal file */
	if (rc == HX_OK && fdatasync(s->build_fd) < 0)
		rc = hx__error_set(err, HX_EIO, "%s: cannot write: %s",
				   s->build, strerror(errno));
	/* link() never replaces a file: one made at PATH meanwhile by
	 * something that ignores the lock is not lost. */
	if (rc == HX_OK && link(s->build, s->path) < 0) {
		if (errno == EEXIST)
			rc = hx__error_set(
			    err, HX_EIO,
			    "%s: made by another program while this import "
			    "ran; nothing was imported",
			    s->path);
		else if ((errno == EPERM || errno == ENOTSUP) &&
			 rename(s->build, s->path) == 0)
			; /* a file system without hard links */
		else
			rc = hx__error_set(err, HX_EIO, "%s: cannot create: %s",
					   s->path, strerror(errno));
	}
	if (rc == HX_OK) {
		/* The folder's entry is durable too. */
		char *dir = strdup(s->path),
		     *slash = dir ? strrchr(dir, '/') : NULL;
		if (slash)
			*(slash == dir ? slash + 1 : slash) = '\0';
		int dfd =
		    dir ? open(slash ? dir : ".", O_RDONLY | O_CLOEXEC) : -1;
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	if (rc < 0) {
		/* The memory is as it was: none. Start empty again. */
		hx_error ignore;
		hx_error_init(&ignore);
		if (ftruncate(s->build_fd, 0) < 0 ||
		    db_connect(s, s->build, SQLITE_OPEN_READWRITE, &ignore) < 0)
			build_drop(s);
		return rc;
	}
	build_drop(s);
	return reopen ? db_connect(s, s->path, SQLITE_OPEN_READWRITE, err)
		      : HX_OK;
}

int hx__store_sqlite_open(hx__store **out, const char *path, bool readonly,
			  bool create, int busy_ms, hx_error *err)
{
	struct sq *s;
	struct stat sb;
	int rc;

	*out = NULL;
	bool fresh = false;
	if (stat(path, &sb) < 0) {
		if (errno != ENOENT || !create || readonly)
			return hx__error_set(
			    err, errno == ENOENT ? HX_ENOTFOUND : HX_EIO,
			    "%s: %s", path, strerror(errno));
		fresh = true;
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
	s->build_fd = -1;
	s->busy_ms = busy_ms;
	pend_drop(s);
	if (fresh) {
		bool exists;
		if ((rc = build_start(s, &exists, err)) < 0)
			goto fail;
		fresh = !exists;
	}
	rc = db_connect(s, fresh ? s->build : path,
			readonly ? SQLITE_OPEN_READONLY
				 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			err);
	if (rc < 0)
		goto fail;
	*out = &s->base;
	return HX_OK;
fail:
	sq_close(&s->base);
	return rc;
}
