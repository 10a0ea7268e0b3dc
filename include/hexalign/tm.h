/*
 * tm.h - the translation memory: units of aligned segments in any number
 * of languages, stored in an embedded database, with exact, fuzzy and
 * concordance look-ups.
 *
 * The store is a SQLite file (WAL mode: readers keep working while an
 * import runs). Each import is one transaction, so an interrupted or
 * failed import leaves the memory as it was. Look-ups never scan the
 * memory: an index of token n-grams narrows the candidates, which are then
 * scored exactly (match.h).
 */
#ifndef HEXALIGN_TM_H
#define HEXALIGN_TM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "match.h"
#include "tmx.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hx_tm hx_tm;

typedef struct hx_tm_options {
	bool readonly; /**< open for look-ups only */
	bool create;   /**< create the file when it does not exist */
	/** Milliseconds to wait for another writer (default 2000). */
	int busy_timeout_ms;
} hx_tm_options;

HX_EXTERN void hx_tm_options_init(hx_tm_options *opts);

/**
 * Open (or create) the memory at path. HX_ENOTFOUND when it does not exist
 * and create is false; HX_EFORMAT when the file is not a hexalign memory
 * or comes from a newer version of hexalign; HX_EIO otherwise.
 *
 * A path that is a PostgreSQL URI (postgresql://..., postgres://...) or a
 * libpq conninfo string (host=... dbname=..., and no file of that name)
 * opens a memory in that database instead: its tables in the current
 * schema, made when create is true and the schema has none (HX_ENOTFOUND
 * otherwise); HX_EIO when the server cannot be reached or another writer
 * holds the memory longer than busy_timeout_ms.
 */
HX_EXTERN int hx_tm_open(hx_tm **out, const char *path,
			 const hx_tm_options *opts, hx_error *err);
HX_EXTERN void hx_tm_free(hx_tm *tm);

/**
 * The memory's name for messages (borrowed, valid until hx_tm_free): its
 * path, or a database as postgresql://user@host:port/dbname, never with
 * the password of the conninfo it was opened with.
 */
HX_EXTERN const char *hx_tm_name(const hx_tm *tm);

/**
 * Another handle on the memory tm is open on (the same file or database,
 * opts as for hx_tm_open(), create ignored), for another thread: a handle
 * is used by one thread at a time, and handles see each other's commits.
 */
HX_EXTERN int hx_tm_open_again(hx_tm **out, const hx_tm *tm,
			       const hx_tm_options *opts, hx_error *err);

/**
 * Normalise a language code the way the memory stores it: the primary
 * subtag in lower case ("en-US", "EN" -> "en"; "zh-CN", "zh-Hans", "zh-SG"
 * -> "zh"), except Traditional Chinese ("zh-TW", "zh-HK", "zh-MO",
 * "zh-Hant" -> "zh-Hant"). Writes into buf (16 bytes suffice).
 */
HX_EXTERN const char *hx_tm_lang_norm(char *buf, size_t size, const char *lang);

/** Counts an import reports. */
typedef struct hx_tm_import_stats {
	size_t units_read; /**< <tu> elements seen */
	size_t added;	   /**< new units stored */
	size_t duplicates; /**< units already in the memory (or repeated) */
	size_t skipped;	   /**< units with fewer than two languages */
	size_t segments;   /**< segments stored */
	/** private-use characters (U+E000..U+F8FF) in the TMX text, replaced
	 * by U+FFFD since they would read as inline-code placeholders */
	size_t pua_replaced;
	/** XLIFF segments left out: not finished (hx_xliff_seg.finished) */
	size_t unfinished;
} hx_tm_import_stats;

/** Called now and then during long operations (may be NULL). */
typedef void (*hx_tm_progress_cb)(void *payload, size_t done, size_t total);

/**
 * Import TMX files in one transaction: all of them or nothing. `origin`
 * names the source of each unit in look-up results (NULL: the file name).
 * Returns HX_OK, a TMX reading error (nothing is stored), HX_EIO (disk
 * full, read-only file, "locked by another import" after the busy
 * timeout).
 */
HX_EXTERN int hx_tm_import_tmx(hx_tm *tm, const char *const *paths,
			       size_t npaths, hx_tm_import_stats *stats,
			       hx_tm_progress_cb progress, void *payload,
			       hx_error *err);

/** An import of units built by the caller (the aligner's output). */
typedef struct hx_tm_batch hx_tm_batch;

HX_EXTERN int hx_tm_batch_begin(hx_tm_batch **out, hx_tm *tm,
				const char *origin, hx_error *err);
/**
 * Add one unit: n segments in n languages (codes need not be normal). A
 * unit with fewer than two non-empty segments is counted as skipped and
 * not stored. Returns HX_OK, HX_EINVAL (invalid UTF-8), HX_ENOMEM, or a
 * store error.
 */
HX_EXTERN int hx_tm_batch_add(hx_tm_batch *b, const char *const *langs,
			      const char *const *texts, size_t n,
			      hx_error *err);

/**
 * hx_tm_batch_add() with the unit's props (borrowed), kept as a TMX
 * unit's are: look-ups read x-score-LANG and x-reviewed from them (see
 * hx_tm_match.penalty), `tm export` writes them back. HX_EINVAL also for
 * a prop whose type or value is NULL or not UTF-8.
 */
HX_EXTERN int hx_tm_batch_add_props(hx_tm_batch *b, const char *const *langs,
				    const char *const *texts, size_t n,
				    const hx_tmx_prop *props, size_t nprops,
				    hx_error *err);
/** Commit (stats may be NULL) and free. On failure nothing is stored. */
HX_EXTERN int hx_tm_batch_commit(hx_tm_batch *b, hx_tm_import_stats *stats,
				 hx_error *err);
/** Roll back and free; NULL is fine. */
HX_EXTERN void hx_tm_batch_free(hx_tm_batch *b);
/** The origin of the units added from now on (NULL: none), so one batch
 * can hold several documents. HX_OK or HX_ENOMEM. */
HX_EXTERN int hx_tm_batch_set_origin(hx_tm_batch *b, const char *origin,
				     hx_error *err);

/**
 * Import the finished translations of XLIFF 2.x and 1.2 files
 * (hx_xliff_seg.finished: a state saying a person translated, reviewed
 * or signed it off) in one transaction: all files or nothing. Each unit
 * has the file's source and target language, the file name as origin and
 * the prop x-xliff-state. Segments not finished are counted as skipped.
 * Returns HX_OK; what hx_xliff_read() returns ("FILE:LINE: ..."); HX_EINVAL
 * for a file that names no source or target language; HX_EIO; HX_ENOMEM.
 */
HX_EXTERN int hx_tm_import_xliff(hx_tm *tm, const char *const *paths,
				 size_t npaths, hx_tm_import_stats *stats,
				 hx_error *err);

/**
 * hx_tm_import_tmx() or hx_tm_import_xliff(), chosen by the root element
 * of the files (<tmx> or <xliff>); TMX and XLIFF files cannot be mixed in
 * one import (HX_EINVAL names the first that differs).
 */
HX_EXTERN int hx_tm_import_files(hx_tm *tm, const char *const *paths,
				 size_t npaths, hx_tm_import_stats *stats,
				 hx_tm_progress_cb progress, void *payload,
				 hx_error *err);

/** One look-up result; strings are owned by the result set. */
typedef struct hx_tm_match {
	int score;	     /**< 0..100 (match.h), less `penalty` */
	unsigned diff_kinds; /**< HX_MATCH_DIFF_* */
	const char *source;  /**< the stored source segment */
	const char *target;  /**< its target-language segment */
	const char *origin;  /**< document or file it came from ("" if none) */
	int64_t unit;	     /**< unit id in the memory */
	/**
	 * Points already taken off `score` because the unit comes from an
	 * alignment nobody checked, as CAT tools lower matches from
	 * unverified sources: its alignment score (the x-score-LANG prop of
	 * the target language, or of the source when the target is the
	 * pivot; the lower of the two when both have one) under 0.9 costs
	 * HX_TM_PENALTY_DOUBT, under 0.5 HX_TM_PENALTY_LOW. None when the unit
	 * has a prop x-reviewed "yes", "true" or "1", or no such score.
	 * Results are ordered and cut at min_score after the penalty.
	 */
	int penalty;
	/** Why, e.g. "alignment score 0.62, not reviewed" ("" if none). */
	char penalty_reason[64];
} hx_tm_match;

/** The penalties of hx_tm_match.penalty. */
#define HX_TM_PENALTY_DOUBT 5
#define HX_TM_PENALTY_LOW   10

typedef struct hx_tm_lookup_options {
	int min_score;	 /**< default 70 */
	size_t max;	 /**< default 5 */
	bool exhaustive; /**< score every unit (for measuring recall) */
} hx_tm_lookup_options;

HX_EXTERN void hx_tm_lookup_options_init(hx_tm_lookup_options *opts);

typedef struct hx_tm_results hx_tm_results;

/**
 * The best matches of `query` (source language src) that have a segment
 * in tgt, best first. HX_OK with zero results when nothing reaches
 * min_score.
 */
HX_EXTERN int hx_tm_lookup(hx_tm_results **out, hx_tm *tm, const char *src,
			   const char *tgt, const char *query, size_t len,
			   const hx_tm_lookup_options *opts, hx_error *err);

/**
 * Every unit whose src segment contains `term` (whole words for spaced
 * languages, any substring in Chinese), case-insensitively, with its tgt
 * segment; at most `max` (0: no limit). score is 100 for each; the
 * term's place in source is given by hx_tm_results_span().
 */
HX_EXTERN int hx_tm_concord(hx_tm_results **out, hx_tm *tm, const char *src,
			    const char *tgt, const char *term, size_t len,
			    size_t max, hx_error *err);

HX_EXTERN size_t hx_tm_results_count(const hx_tm_results *r);
HX_EXTERN const hx_tm_match *hx_tm_results_get(const hx_tm_results *r,
					       size_t i);
/** Concordance: where the term is in result i's source (byte offsets). */
HX_EXTERN void hx_tm_results_span(const hx_tm_results *r, size_t i,
				  size_t *start, size_t *end);
HX_EXTERN void hx_tm_results_free(hx_tm_results *r);

/** How look-up results are written (hx_tm_results_write()). */
typedef struct hx_tm_write_options {
	bool json;     /**< one JSON object per match, else text */
	int min_score; /**< named in the text when nothing matched */
	double ms;     /**< look-up time added to each JSON line; < 0: none */
} hx_tm_write_options;

/**
 * Look-up results for `query` (source language `lang`, which the marked
 * differences are tokenised by) to f: as text (score, source, target,
 * the differences marked, where the unit comes from and any penalty with
 * its reason), or one JSON object per match with the same fields (a line
 * with "matches":0 when there is none). HX_EIO when writing fails.
 */
HX_EXTERN int hx_tm_results_write(FILE *f, const hx_tm_results *r,
				  const char *lang, const char *query,
				  size_t len, const hx_tm_write_options *o,
				  hx_error *err);

/**
 * Concordance results for `term` to f: each source with the term marked
 * [[so]] and its target under it, or one JSON object per unit with the
 * term's byte span in the source.
 */
HX_EXTERN int hx_tm_concord_write(FILE *f, const hx_tm_results *r,
				  const char *term, size_t len, bool json,
				  hx_error *err);

/** A look-up as a front-end runs and writes it. */
typedef struct hx_tm_query_options {
	hx_tm_lookup_options lookup;
	bool json;   /**< hx_tm_write_options.json */
	bool timing; /**< JSON: each line gets the look-up's time in ms */
	/** Names the stream in a write error ("standard output");
	 * NULL: "output". */
	const char *out_name;
} hx_tm_query_options;

HX_EXTERN void hx_tm_query_options_init(hx_tm_query_options *opts);

/**
 * hx_tm_lookup() then hx_tm_results_write() to f. Returns HX_OK, what
 * the look-up returns, or HX_EIO when writing fails (the message starts
 * with opts->out_name).
 */
HX_EXTERN int hx_tm_lookup_write(FILE *f, hx_tm *tm, const char *src,
				 const char *tgt, const char *query, size_t len,
				 const hx_tm_query_options *opts,
				 hx_error *err);

/**
 * hx_tm_lookup_write() for each line of the file at path ("-": standard
 * input) that is not empty once its line end (LF or CR LF) is cut, in
 * order, stopping at the first failure; *failed_line is then its
 * 1-based number (0 when the file could not be opened or nothing
 * failed). Returns HX_OK, HX_ENOTFOUND or HX_EIO (the file cannot be
 * opened), or what hx_tm_lookup_write() returns.
 */
HX_EXTERN int hx_tm_lookup_file(size_t *failed_line, FILE *f, hx_tm *tm,
				const char *src, const char *tgt,
				const char *path,
				const hx_tm_query_options *opts, hx_error *err);

/** What the memory holds. */
typedef struct hx_tm_stats {
	size_t units;
	size_t segments;
	size_t nlangs;
	char langs[16][16];  /**< the languages, most segments first */
	size_t per_lang[16]; /**< segments per language */
	int64_t file_bytes;  /**< size of the database file */
	int schema_version;
} hx_tm_stats;

HX_EXTERN int hx_tm_stats_get(hx_tm_stats *st, hx_tm *tm, hx_error *err);

/**
 * The statistics as `tm stats` prints them, a "name value" line each
 * (languages as LANG:SEGMENTS). HX_EIO when writing fails.
 */
HX_EXTERN int hx_tm_stats_write(FILE *f, const hx_tm_stats *st, hx_error *err);

/**
 * Export units to TMX (src, tgt NULL: every language; otherwise only
 * units with both, with those two tuvs). Inline codes kept at import are
 * written back as TMX 1.4b elements (hx_tmx_writer_add_coded). The header's
 * creationdate is SOURCE_DATE_EPOCH when that is set, else now.
 */
HX_EXTERN int hx_tm_export_tmx(hx_tm *tm, const char *path, const char *src,
			       const char *tgt, size_t *units, hx_error *err);

/**
 * The documents the memory holds: calls fn(payload, origin, units) for
 * each origin name that has units, in name order (units removed by
 * hx_review_save() no longer count). Stops and returns fn's value when it
 * is non-zero. Returns HX_OK, HX_EINVAL (the handle is importing) or
 * HX_EIO.
 */
typedef int (*hx_tm_origin_fn)(void *payload, const char *origin, size_t units);
HX_EXTERN int hx_tm_origins(hx_tm *tm, hx_tm_origin_fn fn, void *payload,
			    hx_error *err);

#ifdef __cplusplus
}
#endif
#endif
