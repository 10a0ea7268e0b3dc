/*
 * review.c - an alignment a person corrects (review.h). Placeholder: the
 * functions exist so that callers compile; the edits come next.
 */
#include <assert.h>
#include <stdlib.h>

#include <hexalign/review.h>

#include "base/error-private.h"

struct hx_review {
	int unused;
};

int hx_review_from_multialign(hx_review **out, const hx_multialign *m,
			      const char *name, hx_error *err)
{
	assert(out && m);
	*out = NULL;
	(void)name;
	return hx__error_set(err, HX_EINVAL, "not yet");
}

int hx_review_load(hx_review **out, hx_tm *tm, const char *origin,
		   hx_error *err)
{
	assert(out && tm && origin);
	*out = NULL;
	return hx__error_set(err, HX_EINVAL, "not yet");
}

void hx_review_free(hx_review *r)
{
	free(r);
}

const char *hx_review_get_name(const hx_review *r)
{
	return "";
}

size_t hx_review_lang_count(const hx_review *r)
{
	return 0;
}

const char *hx_review_get_lang(const hx_review *r, size_t k)
{
	return NULL;
}

size_t hx_review_row_count(const hx_review *r)
{
	return 0;
}

size_t hx_review_sentence_count(const hx_review *r, size_t i, size_t k)
{
	return 0;
}

const char *hx_review_get_sentence(const hx_review *r, size_t i, size_t k,
				   size_t s)
{
	return NULL;
}

double hx_review_get_score(const hx_review *r, size_t i)
{
	return 0;
}

bool hx_review_is_confirmed(const hx_review *r, size_t i)
{
	return false;
}

bool hx_review_is_modified(const hx_review *r)
{
	return false;
}

int hx_review_join(hx_review *r, size_t i, hx_error *err)
{
	return hx__error_set(err, HX_EINVAL, "not yet");
}

int hx_review_split(hx_review *r, size_t i, size_t k, size_t s,
		    const size_t *at, hx_error *err)
{
	return hx__error_set(err, HX_EINVAL, "not yet");
}

int hx_review_move(hx_review *r, size_t i, size_t k, int dir, hx_error *err)
{
	return hx__error_set(err, HX_EINVAL, "not yet");
}

int hx_review_edit(hx_review *r, size_t i, size_t k, const char *text,
		   hx_error *err)
{
	return hx__error_set(err, HX_EINVAL, "not yet");
}

int hx_review_confirm(hx_review *r, size_t i, bool on, hx_error *err)
{
	return hx__error_set(err, HX_EINVAL, "not yet");
}

int hx_review_undo(hx_review *r, hx_error *err)
{
	return hx__error_set(err, HX_ENOTFOUND, "not yet");
}

void hx_review_save_options_init(hx_review_save_options *opts)
{
	opts->reviewer = NULL;
	opts->date = NULL;
	opts->keep_lone = true;
}

int hx_review_save(hx_review_save_stats *stats, hx_review *r, hx_tm *tm,
		   const hx_review_save_options *opts, hx_error *err)
{
	return hx__error_set(err, HX_EINVAL, "not yet");
}

int hx_review_write_tmx(const hx_review *r, const char *path,
			const hx_review_save_options *opts, hx_error *err)
{
	return hx__error_set(err, HX_EINVAL, "not yet");
}

int hx_review_write_json(FILE *f, const hx_review *r, size_t first, size_t max,
			 hx_error *err)
{
	return hx__error_set(err, HX_EINVAL, "not yet");
}
