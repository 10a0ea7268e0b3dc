/*
 * tm-doc.h - one document's units in the memory, read back in full and
 * replaced in one transaction: what a review (review.c) needs of the
 * memory beyond the public look-ups. Not for look-ups or import.
 */
#ifndef HX_TM_DOC_H
#define HX_TM_DOC_H

#include <stddef.h>
#include <stdint.h>

#include <hexalign/tm.h>

/* One unit of a document as the memory holds it (all borrowed for the
 * call): its segments, by normalised language, and its props. */
struct hx__tm_doc_unit {
	int64_t id;
	size_t n;
	const char *lang[16];
	const char *text[16];
	const hx_tmx_prop *props;
	size_t nprops;
};

typedef int (*hx__tm_doc_fn)(void *payload, const struct hx__tm_doc_unit *u);

/* The units of origin, in stored order, to fn (which stops the walk with
 * a negative value, returned). HX_OK also when there is none. */
int hx__tm_doc_foreach(hx_tm *tm, const char *origin, hx__tm_doc_fn fn,
		       void *payload, hx_error *err);

/* Every unit of the memory, in stored order, as hx__tm_doc_foreach()
 * gives one document's (terms-mine.c reads the whole memory). */
int hx__tm_unit_foreach(hx_tm *tm, hx__tm_doc_fn fn, void *payload,
			hx_error *err);

/* hx_tm_batch_begin(), whose transaction first takes every unit of origin
 * out (*removed of them): a commit replaces the document by the units
 * added, a failure or hx_tm_batch_free() leaves it as it was. */
int hx__tm_batch_begin_replace(hx_tm_batch **out, hx_tm *tm, const char *origin,
			       size_t *removed, hx_error *err);

/* hx_tm_batch_add_props() with the unit's changeid and changedate (NULL:
 * none), as a TMX <tu> has them: who corrected it, and when. */
int hx__tm_batch_add_changed(hx_tm_batch *b, const char *const *langs,
			     const char *const *texts, size_t n,
			     const hx_tmx_prop *props, size_t nprops,
			     const char *changeid, const char *changedate,
			     hx_error *err);

/* The same with the texts' inline codes: placeholder U+E000 + k of text
 * i stands for codes[i].codes[k] (codes NULL: no codes anywhere). */
int hx__tm_batch_add_full(hx_tm_batch *b, const char *const *langs,
			  const char *const *texts, const hx_tmx_codes *codes,
			  size_t n, const hx_tmx_prop *props, size_t nprops,
			  const char *changeid, const char *changedate,
			  hx_error *err);

#endif
