/*
 * review.h - an alignment a person corrects: rows of the language versions
 * of one document side by side, edited by join, split, move, edit and
 * confirm (each undoable), then saved into the memory in place of the
 * document's units, or written as TMX. `hexalign serve` drives it from a
 * browser; a script can drive it the same way. Not for aligning (that is
 * multialign.h) nor for look-ups (tm.h).
 *
 * A review holds rows; a row holds, for each language, zero or more
 * sentences in document order, a score (0..1, the aligner's, or 1 once a
 * person confirmed the row) and a confirmed flag. A row with sentences in
 * one language only is a sentence with no counterpart. Rows are numbered
 * from 0 in document order; an operation that adds or removes a row
 * renumbers those after it. Sentences are numbered from 0 within a cell.
 */
#ifndef HEXALIGN_REVIEW_H
#define HEXALIGN_REVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "multialign.h"
#include "tm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hx_review hx_review;

/**
 * A review of the units of `m`: one row per unit hx_multialign_write()
 * would write (sentences with no counterpart included), in pivot order,
 * with its lowest score over the languages. `name` names the document in
 * the memory (the origin hx_multialign_store() would give; NULL: that
 * one). Returns HX_OK or HX_ENOMEM.
 */
HX_EXTERN int hx_review_from_multialign(hx_review **out, const hx_multialign *m,
					const char *name, hx_error *err);

/**
 * A review of the units the memory holds for the document `origin` (as
 * listed by hx_tm_origins()), in stored order, with their stored scores
 * (x-score-LANG; the row's is the lowest) and reviewed flags (x-reviewed
 * "yes": confirmed). The pivot is the first language of the units'
 * x-source-file-LANG props (as the aligner stores them), else the first
 * met. A unit holds each language's sentences joined, so a cell is one
 * sentence unless the unit was saved from a review (x-sentences-LANG).
 * HX_ENOTFOUND when the memory has no unit of it; HX_ENOMEM; HX_EIO.
 */
HX_EXTERN int hx_review_load(hx_review **out, hx_tm *tm, const char *origin,
			     hx_error *err);

HX_EXTERN void hx_review_free(hx_review *r);

HX_EXTERN const char *hx_review_get_name(const hx_review *r);
HX_EXTERN size_t hx_review_lang_count(const hx_review *r);
/** Language k (0: the pivot). */
HX_EXTERN const char *hx_review_get_lang(const hx_review *r, size_t k);
HX_EXTERN size_t hx_review_row_count(const hx_review *r);
/** Sentences of language k in row i. */
HX_EXTERN size_t hx_review_sentence_count(const hx_review *r, size_t i,
					  size_t k);
/** Sentence s of language k in row i (borrowed until the next change). */
HX_EXTERN const char *hx_review_get_sentence(const hx_review *r, size_t i,
					     size_t k, size_t s);
HX_EXTERN double hx_review_get_score(const hx_review *r, size_t i);
HX_EXTERN bool hx_review_is_confirmed(const hx_review *r, size_t i);
/** Changes since creation or the last save (undo counts back). */
HX_EXTERN bool hx_review_is_modified(const hx_review *r);

/*
 * Edits. Each returns HX_OK, or HX_EINVAL with a message saying what is
 * wrong ("row 12: no row after it to join") and changes nothing. A row
 * that an edit changes becomes unconfirmed with score 1 if a person made
 * it (join, split, edit) - the person's choice is the evidence - but stays
 * unconfirmed until hx_review_confirm().
 */

/** Join row i with row i + 1: each language's sentences, in order. */
HX_EXTERN int hx_review_join(hx_review *r, size_t i, hx_error *err);

/**
 * Split row i before sentence s of language k (1 <= s < count): the
 * sentences from s on of language k, and of every other language the
 * sentences from the matching point given in at[] (at[k] is ignored; at
 * NULL: the other languages stay in row i), move to a new row i + 1.
 */
HX_EXTERN int hx_review_split(hx_review *r, size_t i, size_t k, size_t s,
			      const size_t *at, hx_error *err);

/**
 * Move one sentence of language k across a row boundary: dir -1 moves the
 * first sentence of row i to the end of row i - 1, +1 moves the last
 * sentence of row i to the start of row i + 1. A row left with no sentence
 * in any language is removed.
 */
HX_EXTERN int hx_review_move(hx_review *r, size_t i, size_t k, int dir,
			     hx_error *err);

/**
 * Replace the text of language k in row i by `text` (UTF-8, one
 * sentence; empty: the row has no sentence in k). HX_EINVAL for invalid
 * UTF-8 or a control character other than tab.
 */
HX_EXTERN int hx_review_edit(hx_review *r, size_t i, size_t k, const char *text,
			     hx_error *err);

/** Mark row i confirmed (or not) by a person. */
HX_EXTERN int hx_review_confirm(hx_review *r, size_t i, bool on, hx_error *err);

/** Take back the last edit. HX_ENOTFOUND when there is none. */
HX_EXTERN int hx_review_undo(hx_review *r, hx_error *err);

/** Who saves and when: written into the units. */
typedef struct hx_review_save_options {
	const char *reviewer; /**< changeid; NULL: "unknown" */
	/** changedate, TMX form YYYYMMDDThhmmssZ; NULL: now (or
	 * SOURCE_DATE_EPOCH when set) */
	const char *date;
	/** hx_review_write_tmx(): also write rows with text in one
	 * language only (as units marked x-no-counterpart, as the aligner's
	 * TMX does); default true. The memory holds units of two languages
	 * or more, so hx_review_save() never stores such a row. */
	bool keep_lone;
} hx_review_save_options;

HX_EXTERN void hx_review_save_options_init(hx_review_save_options *opts);

/** Counts a save reports. */
typedef struct hx_review_save_stats {
	size_t removed;	  /**< units of the document taken out */
	size_t added;	  /**< units stored */
	size_t confirmed; /**< of them, confirmed by a person */
} hx_review_save_stats;

/**
 * Replace the document's units in the memory by the review's rows, in one
 * transaction: all or nothing. Confirmed rows are stored with
 * x-reviewed=yes, their reviewer and date (changeid, changedate) and
 * score 1; the others keep their scores and x-reviewed=no. Look-ups rank a
 * reviewed unit above an unreviewed one of the same score and never
 * penalise it (hx_tm_match.penalty). A row of several sentences in a
 * language keeps where they start (x-sentences-LANG), so that
 * hx_review_load() gives the same rows back. *stats may be NULL. Returns
 * HX_OK (the review is no longer modified); HX_EINVAL for a date not
 * YYYYMMDDThhmmssZ; or what the store returns (HX_EIO for a read-only
 * memory), the memory then as it was.
 */
HX_EXTERN int hx_review_save(hx_review_save_stats *stats, hx_review *r,
			     hx_tm *tm, const hx_review_save_options *opts,
			     hx_error *err);

/**
 * The rows as TMX 1.4b at path ("-": stdout), whole or not at all: each
 * row a <tu> with the props hx_review_save() stores, confirmed ones with
 * changeid and changedate; the origin props go in the header. Returns
 * HX_OK, HX_EINVAL (a bad date), or what hx_tmx_writer_open(),
 * hx_tmx_writer_add_meta() and hx_tmx_writer_close() return.
 */
HX_EXTERN int hx_review_write_tmx(const hx_review *r, const char *path,
				  const hx_review_save_options *opts,
				  hx_error *err);

/**
 * The review as one JSON object:
 *   {"name": S, "langs": [S...], "modified": B, "undo": N,
 *    "rows": [{"row": N, "score": F, "confirmed": B,
 *              "cells": [[S...], ...]}]}
 * cells[k] are the sentences of langs[k]; "undo" is how many edits can
 * be undone; scores have two decimals. Rows from `first`, at most `max`
 * (0: all). HX_EIO when writing fails.
 */
HX_EXTERN int hx_review_write_json(FILE *f, const hx_review *r, size_t first,
				   size_t max, hx_error *err);

#ifdef __cplusplus
}
#endif
#endif
