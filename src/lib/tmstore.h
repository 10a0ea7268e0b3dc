/*
 * tmstore.h - the storage interface under the translation memory. tm.c
 * holds the logic (normalising, indexing, matching); a backend only keeps
 * rows. SQLite (tmstore-sqlite.c) is the embedded one; a server database
 * for a team sharing one memory implements the same operations.
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
typedef int (*hx__seg_cb)(void *payload, int64_t seg, int64_t unit,
			  const char *lang, const char *text, size_t len);

struct hx__store_ops {
	void (*close)(hx__store *st);
	int (*begin)(hx__store *st, hx_error *err); /* a writing transaction */
	int (*commit)(hx__store *st, hx_error *err);
	void (*rollback)(hx__store *st);
	/* *unit = 0 when a unit with that hash exists (a duplicate). */
	int (*add_unit)(hx__store *st, const struct hx__unit_meta *m,
			int64_t *unit, hx_error *err);
	int (*add_seg)(hx__store *st, int64_t unit, const char *lang,
		       const char *text, size_t len, const char *codes,
		       int64_t *seg, hx_error *err);
	/* One chunk of the posting list of gram g in language lang; chunk
	 * numbers 0, 1, ... within one transaction (the backend makes them
	 * unique across transactions). */
	int (*add_postings)(hx__store *st, const char *lang, uint32_t g,
			    uint32_t chunk, const unsigned char *blob,
			    size_t len, uint32_t n, hx_error *err);
	/* Total postings of a gram (without reading them). */
	int (*count_postings)(hx__store *st, const char *lang, uint32_t g,
			      uint64_t *n, hx_error *err);
	int (*get_postings)(hx__store *st, const char *lang, uint32_t g,
			    hx__postings_cb cb, void *payload, hx_error *err);
	/* The text and unit of a segment. The text is valid until the next
	 * call. */
	int (*get_seg)(hx__store *st, int64_t seg, const char **text,
		       size_t *len, int64_t *unit, char lang[16],
		       hx_error *err);
	/* The segment of a unit in lang (*text NULL when none). */
	int (*get_unit_seg)(hx__store *st, int64_t unit, const char *lang,
			    const char **text, size_t *len, hx_error *err);
	int (*get_origin)(hx__store *st, int64_t unit, const char **origin,
			  hx_error *err);
	/* Every segment of lang (exhaustive look-ups, export). */
	int (*foreach_seg)(hx__store *st, const char *lang, hx__seg_cb cb,
			   void *payload, hx_error *err);
	int (*foreach_unit_seg)(hx__store *st, int64_t unit, hx__seg_cb cb,
				void *payload, hx_error *err);
	int (*foreach_unit)(hx__store *st, hx__seg_cb cb, void *payload,
			    hx_error *err);
	int (*counts)(hx__store *st, size_t *units, size_t *segs,
		      char langs[16][16], size_t per_lang[16], size_t *nlangs,
		      hx_error *err);
	/* Done reading for now: release what holds a snapshot. */
	void (*idle)(hx__store *st);
};

struct hx__store {
	const struct hx__store_ops *ops;
};

/* Open the SQLite backend. */
int hx__store_sqlite_open(hx__store **out, const char *path, bool readonly,
			  bool create, int busy_ms, hx_error *err);

/* The schema version this hexalign writes and reads. */
#define HX_TM_SCHEMA 2

#endif
