/*
 * tmstore.h - the storage interface under the translation memory. tm.c
 * holds the logic (normalising, indexing, matching); a backend only keeps
 * rows. SQLite (tmstore-sqlite.c) is the embedded one; PostgreSQL
 * (tmstore-pg.c) the server database a team shares one memory in. Both
 * implement every operation with the same behaviour.
 */
#ifndef HX_TMSTORE_H
#define HX_TMSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hexalign/error.h>

typedef struct hx__store hx__store;

/* A unit's metadata, as stored (JSON strings for props and notes). */
struct hx__unit_meta {
	uint64_t hash; /* of its (language, text) pairs: duplicates */
	const char *origin, *tuid, *creationdate, *creationid, *changedate,
	    *changeid, *props, *notes;
};

typedef int (*hx__postings_cb)(void *payload, const unsigned char *blob,
			       size_t len, uint32_t n);
/* A segment: its unit, language and text. */
typedef int (*hx__seg_cb)(void *payload, int64_t unit, const char *lang,
			  const char *text, size_t len);
typedef int (*hx__id_cb)(void *payload, int64_t id);
typedef int (*hx__toks_cb)(void *payload, int64_t unit, const void *toks,
			   size_t len);
/* An origin's name and how many units it has. */
typedef int (*hx__origin_cb)(void *payload, const char *name, size_t units);

/*
 * Units are numbered by the caller (1, 2, ... in the order they are
 * added, see next_unit); a unit has at most one segment per language, so
 * (unit, language) names a segment, and posting lists hold unit numbers.
 */
struct hx__store_ops {
	void (*close)(hx__store *st);
	int (*begin)(hx__store *st, hx_error *err); /* a writing transaction */
	int (*commit)(hx__store *st, hx_error *err);
	void (*rollback)(hx__store *st);
	/* The number the next unit gets: one more than the largest. */
	int (*next_unit)(hx__store *st, int64_t *unit, hx_error *err);
	/* The hash of every unit, for finding duplicates. */
	int (*foreach_hash)(hx__store *st, hx__id_cb cb, void *payload,
			    hx_error *err);
	int (*add_unit)(hx__store *st, int64_t unit,
			const struct hx__unit_meta *m, hx_error *err);
	int (*add_seg)(hx__store *st, int64_t unit, const char *lang,
		       const char *text, size_t len, const char *codes,
		       hx_error *err);
	/* The segment's tokens in a compact form (tm.c's business), read
	 * back by get_toks without the text. */
	int (*add_toks)(hx__store *st, int64_t unit, const char *lang,
			const void *toks, size_t len, hx_error *err);
	/* One chunk of the posting list of gram g in language lang; chunk
	 * numbers 0, 1, ... within one transaction (the backend makes them
	 * unique across transactions). Chunks of one transaction come in
	 * ascending (lang, g) order. */
	int (*add_postings)(hx__store *st, const char *lang, uint32_t g,
			    uint32_t chunk, const unsigned char *blob,
			    size_t len, uint32_t n, hx_error *err);
	/* The token counts of the segments in lang of units first,
	 * first + 1, ... (n of them; a unit without a segment there has
	 * any value), replacing what was stored for them. */
	int (*put_lens)(hx__store *st, const char *lang, int64_t first,
			const unsigned char *v, size_t n, hx_error *err);
	/* Every token count of lang stored: *v (malloc'd, indexed by
	 * unit, 0 where none) and *n; *v NULL when there are none. */
	int (*get_lens)(hx__store *st, const char *lang, unsigned char **v,
			size_t *n, hx_error *err);
	/* Total postings of a gram (without reading them). */
	int (*count_postings)(hx__store *st, const char *lang, uint32_t g,
			      uint64_t *n, hx_error *err);
	int (*get_postings)(hx__store *st, const char *lang, uint32_t g,
			    hx__postings_cb cb, void *payload, hx_error *err);
	/* Optional (NULL: the caller loops over the two above): the totals
	 * of ng grams at once (n[i] for g[i]), and every chunk of ng grams,
	 * the grams in any order. A server database answers each in one
	 * round trip instead of one per gram (about 80 per look-up). */
	int (*count_postings_many)(hx__store *st, const char *lang,
				   const uint32_t *g, size_t ng, uint64_t *n,
				   hx_error *err);
	int (*get_postings_many)(hx__store *st, const char *lang,
				 const uint32_t *g, size_t ng,
				 hx__postings_cb cb, void *payload,
				 hx_error *err);
	/* The segment of a unit in lang (*text NULL when none); valid until
	 * the next call. */
	int (*get_seg)(hx__store *st, int64_t unit, const char *lang,
		       const char **text, size_t *len, hx_error *err);
	/* The inline codes of a unit's segment in lang, as add_seg was
	 * given them (*codes NULL when none); valid until the next call. */
	int (*get_codes)(hx__store *st, int64_t unit, const char *lang,
			 const char **codes, hx_error *err);
	int (*get_toks)(hx__store *st, int64_t unit, const char *lang,
			const void **toks, size_t *len, hx_error *err);
	/* Every compact form of lang, by unit. */
	int (*foreach_toks)(hx__store *st, const char *lang, hx__toks_cb cb,
			    void *payload, hx_error *err);
	int (*get_origin)(hx__store *st, int64_t unit, const char **origin,
			  hx_error *err);
	/* A unit's metadata as add_unit was given it (origin "" when none,
	 * hash not read), all valid until the next call; HX_ENOTFOUND when
	 * there is no such unit. */
	int (*get_meta)(hx__store *st, int64_t unit, struct hx__unit_meta *m,
			hx_error *err);
	/* Every segment of lang (exhaustive look-ups), by unit. */
	int (*foreach_seg)(hx__store *st, const char *lang, hx__seg_cb cb,
			   void *payload, hx_error *err);
	/* Every unit (export), then the segments of one. */
	int (*foreach_unit)(hx__store *st, hx__id_cb cb, void *payload,
			    hx_error *err);
	int (*foreach_unit_seg)(hx__store *st, int64_t unit, hx__seg_cb cb,
				void *payload, hx_error *err);
	int (*counts)(hx__store *st, size_t *units, size_t *segs,
		      char langs[16][16], size_t per_lang[16], size_t *nlangs,
		      hx_error *err);
	/* Every origin with at least one unit, in name order. */
	int (*foreach_origin)(hx__store *st, hx__origin_cb cb, void *payload,
			      hx_error *err);
	/* The units of one origin, by number. */
	int (*foreach_origin_unit)(hx__store *st, const char *origin,
				   hx__id_cb cb, void *payload, hx_error *err);
	/* In the writing transaction, before any unit is added: take out
	 * every unit of origin (*removed of them), for good. Posting lists
	 * and compact forms may go on naming a removed unit; readers skip
	 * a unit without segments, and no later unit gets its number
	 * (next_unit stays above it). */
	int (*remove_origin)(hx__store *st, const char *origin, size_t *removed,
			     hx_error *err);
	/* The schema version of the file (HX_TM_SCHEMA or
	 * HX_TM_SCHEMA_REMOVED). */
	int (*schema)(hx__store *st);
	/* How much memory the backend's own cache should take from now. */
	void (*cache_hint)(hx__store *st, size_t bytes);
	/* Done reading for now: release what holds a snapshot. */
	void (*idle)(hx__store *st);
	/* Optional (NULL: the memory is the file at its path, and its size
	 * is the file's): the bytes the memory takes, for hx_tm_stats.
	 * PostgreSQL: its tables with their indexes and TOAST. */
	int (*file_bytes)(hx__store *st, int64_t *bytes, hx_error *err);
};

struct hx__store {
	const struct hx__store_ops *ops;
};

/* Open the SQLite backend. */
int hx__store_sqlite_open(hx__store **out, const char *path, bool readonly,
			  bool create, int busy_ms, hx_error *err);

/* Open the PostgreSQL backend on the database conninfo names (a URI or
 * libpq key=value pairs); the memory's tables are in its current schema.
 * create: make them when the schema has none of them (HX_ENOTFOUND
 * otherwise); HX_EIO when the server cannot be reached; HX_EFORMAT for
 * tables of another program or of a newer hexalign. */
int hx__store_pg_open(hx__store **out, const char *conninfo, bool readonly,
		      bool create, int busy_ms, hx_error *err);

/* Whether path names a PostgreSQL database: a postgresql:// or
 * postgres:// URI, or a libpq conninfo string (its first token
 * KEYWORD=... with a keyword libpq knows, all of it parsed by libpq) that
 * is not an existing file. */
bool hx__store_is_pg(const char *path);

/* conninfo as a name for messages, postgresql://user@host:port/dbname:
 * never its password. malloc'd; NULL when out of memory. */
char *hx__store_pg_name(const char *conninfo);

/* The schema version this hexalign writes and reads. */
#define HX_TM_SCHEMA 4
/* A memory some units were removed from: the tables of schema 4, and a
 * floor under the next unit number (meta 'unit_floor') that a reader of
 * schema 4 would not honour: it would give a new unit the number of a
 * removed one, which posting lists and compact forms still name. A memory
 * moves to it with its first removal; this hexalign reads both. */
#define HX_TM_SCHEMA_REMOVED 5

#endif
