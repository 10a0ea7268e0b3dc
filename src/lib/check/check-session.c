/*
 * check-session.c - one run of the checks as a front-end asks for it:
 * the options validated, the checker set up (rules, term base, each
 * language's dictionary and word lists), the inputs read (documents, a
 * document and its translation, a TMX or an XLIFF) and checked, the
 * findings sorted. `hexalign check` is this and argument parsing; a
 * server needs no more. Writing the findings is check-write.c's business.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/check.h>
#include <hexalign/read.h>
#include <hexalign/termbase.h>

#include "base/error-private.h"

struct hx_check_session {
	hx_check_session_options o; /* strings borrowed from the caller */
	const char *const *files;
	size_t nfiles;
	hx_checker *ck;
	hx_findings *fs;
	hx_termbase *tb;
	hx_check_input *bi;
	/* The documents read (files, then the target), the documents
	 * checked and their languages (room for the files and two more),
	 * the names the HTML report lists. */
	hx_doc **docs;
	const hx_doc **checked;
	const char **langs;
	const char **names;
	size_t ndocs, nnames;
};

void hx_check_session_options_init(hx_check_session_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	hx_check_options_init(&opts->check);
}

/* The combinations of inputs that make one check; the messages name the
 * options as `hexalign check` spells them, the words its users read. */
static int validate(const hx_check_session_options *o, size_t nfiles,
		    hx_error *err)
{
	const char *langs[] = {o->lang, o->target_lang, o->source_lang};

	for (size_t i = 0; i < 3; i++)
		if (langs[i] && !hx_lang_code_valid(langs[i]))
			return hx__error_set(err, HX_EINVAL,
					     "'%s' is not a language code (en, "
					     "zh, ar, fr, ru, es, ...)",
					     langs[i]);
	if (!!o->tmx + !!o->target + !!o->xliff > 1)
		return hx__error_set(err, HX_EINVAL,
				     "--tmx, --xliff and --target exclude "
				     "each other");
	if (o->xliff && nfiles)
		return hx__error_set(err, HX_EINVAL,
				     "--xliff FILE wants no other file");
	if (o->tmx && (!o->source_lang || !o->target_lang || nfiles))
		return hx__error_set(err, HX_EINVAL,
				     "--tmx FILE wants -s LANG and -t LANG "
				     "and no other file");
	if (o->target && (!o->target_lang || nfiles != 1))
		return hx__error_set(err, HX_EINVAL,
				     "--target FILE wants -t LANG and exactly "
				     "one source FILE");
	if (!o->tmx && !o->xliff && !nfiles)
		return hx__error_set(err, HX_ENOTFOUND, "no file to check");
	if (nfiles > HX_CHECK_MAX_FILES)
		return hx__error_set(err, HX_EINVAL, "at most %d files at once",
				     HX_CHECK_MAX_FILES);
	return HX_OK;
}

int hx_check_session_new(hx_check_session **out, const char *const *files,
			 size_t nfiles, const hx_check_session_options *opts,
			 hx_error *err)
{
	hx_check_session *s = NULL;
	int rc;

	assert(out && opts && (files || !nfiles));
	*out = NULL;
	if ((rc = validate(opts, nfiles, err)) < 0)
		return rc;
	if (!(s = calloc(1, sizeof(*s))) ||
	    !(s->docs = calloc(nfiles + 2, sizeof(*s->docs))) ||
	    !(s->checked = calloc(nfiles + 2, sizeof(*s->checked))) ||
	    !(s->langs = calloc(nfiles + 2, sizeof(*s->langs))) ||
	    !(s->names = calloc(nfiles + 1, sizeof(*s->names)))) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto fail;
	}
	s->o = *opts;
	s->files = files;
	s->nfiles = nfiles;
	if ((rc = hx_checker_new(&s->ck, &opts->check, err)) < 0 ||
	    (rc = hx_findings_new(&s->fs, err)) < 0)
		goto fail;
	if ((opts->rules &&
	     (rc = hx_checker_only(s->ck, opts->rules, err)) < 0) ||
	    (opts->ignore &&
	     (rc = hx_checker_ignore(s->ck, opts->ignore, err)) < 0))
		goto fail;
	*out = s;
	return HX_OK;
fail:
	hx_check_session_free(s);
	return rc;
}

void hx_check_session_free(hx_check_session *s)
{
	if (!s)
		return;
	hx_check_input_free(s->bi);
	for (size_t i = 0; s->docs && i < s->ndocs; i++)
		hx_doc_free(s->docs[i]);
	free(s->docs);
	free(s->checked);
	free(s->langs);
	free(s->names);
	hx_findings_free(s->fs);
	hx_checker_free(s->ck);
	hx_termbase_free(s->tb);
	free(s);
}

/* "WHY; WHAT FOLLOWS" to the caller's warning callback. */
static void warn(const hx_check_session *s, const char *why,
		 const char *follows)
{
	char buf[sizeof(((hx_error *)0)->message) + 64];

	if (!s->o.warn)
		return;
	snprintf(buf, sizeof(buf), "%s; %s", why, follows);
	s->o.warn(s->o.payload, buf);
}

/* Read one file into the next document slot, in `lang` (NULL: the
 * text's, else English). */
static int read_doc(hx_check_session *s, const char *path, const char *lang,
		    hx_error *err)
{
	int rc = hx_read_file(&s->docs[s->ndocs], path, NULL, err);

	if (rc < 0)
		return rc;
	if (!lang)
		lang = hx_doc_detect_lang(s->docs[s->ndocs]);
	s->langs[s->ndocs] = lang ? lang : "en";
	s->checked[s->ndocs] = s->docs[s->ndocs];
	s->names[s->nnames++] = path;
	s->ndocs++;
	return HX_OK;
}

static int read_inputs(hx_check_session *s, hx_error *err)
{
	const hx_check_session_options *o = &s->o;
	int rc;

	for (size_t i = 0; i < s->nfiles; i++)
		if ((rc = read_doc(s, s->files[i], o->lang, err)) < 0)
			return rc;
	if (o->target) {
		hx_check_align_options ao = {o->lexicon_dir, o->warn,
					     o->payload};
		if ((rc = read_doc(s, o->target, o->target_lang, err)) < 0)
			return rc;
		return hx_check_input_align(&s->bi, s->docs[0], s->langs[0],
					    s->docs[1], s->langs[1], &ao, err);
	}
	if (o->tmx || o->xliff) {
		const char *path = o->tmx ? o->tmx : o->xliff;
		rc = o->tmx ? hx_check_input_tmx(&s->bi, path, o->source_lang,
						 o->target_lang, err)
			    : hx_check_input_xliff(&s->bi, path, o->source_lang,
						   o->target_lang, err);
		if (rc < 0)
			return rc;
		s->ndocs = 0; /* no file was read: the validation saw to it */
		for (int side = 0; side < 2; side++) {
			s->checked[side] = hx_check_input_get_doc(s->bi, side);
			s->langs[side] = hx_check_input_get_lang(s->bi, side);
		}
		s->names[s->nnames++] = path;
	}
	return HX_OK;
}

/* Each language checked once: its dictionary, or a warning why spelling
 * is skipped (a language hexalign does not spell, Chinese, needs none);
 * the word lists given, which must load; the term base's terms in it. */
static int prepare_lang(hx_check_session *s, const char *lang, hx_error *err)
{
	hx_error e;
	int rc;

	hx_error_init(&e);
	if (hx_checker_is_on(s->ck, "spelling")) {
		rc = hx_checker_spell_ready(s->ck, lang, &e);
		if (rc == HX_ENOTFOUND || rc == HX_EFORMAT)
			warn(s, e.message, "spelling not checked");
		for (size_t i = 0; rc == HX_OK && i < s->o.nwordlists; i++)
			if ((rc = hx_checker_load_wordlist(
				 s->ck, lang, s->o.wordlists[i], err)) < 0)
				return rc;
	}
	hx_error_init(&e);
	if (s->tb && hx_termbase_require_lang(s->tb, lang, &e) < 0)
		warn(s, e.message, "terms not checked in it");
	return HX_OK;
}

int hx_check_session_run(hx_check_session *s, hx_error *err)
{
	const hx_check_pair *pairs = NULL;
	size_t npairs = 0, ndocs, first;
	int rc;

	assert(s);
	if (s->o.termbase &&
	    ((rc = hx_termbase_load(&s->tb, s->o.termbase, NULL, err)) < 0 ||
	     (rc = hx_checker_set_termbase(s->ck, s->tb, err)) < 0))
		return rc;
	if ((rc = read_inputs(s, err)) < 0)
		return rc;
	if (s->bi)
		pairs = hx_check_input_pairs(s->bi, &npairs);
	/* A memory or an XLIFF is checked as a translation: its target side
	 * alone is read for typography and spelling. */
	bool bilingual_file = s->o.tmx || s->o.xliff;
	ndocs = bilingual_file ? 2 : s->ndocs;
	first = bilingual_file ? 1 : 0;
	for (size_t i = first; i < ndocs; i++) {
		bool seen = false;
		for (size_t k = first; k < i; k++)
			seen |= !strcmp(s->langs[k], s->langs[i]);
		if (!seen && (rc = prepare_lang(s, s->langs[i], err)) < 0)
			return rc;
	}
	if ((rc = hx_check_docs(s->fs, s->ck, s->checked + first,
				s->langs + first, ndocs - first, err)) < 0 ||
	    (s->bi &&
	     (rc = hx_check_pairs(s->fs, s->ck, s->langs[0], s->langs[1], pairs,
				  npairs, err)) < 0))
		return rc;
	hx_findings_sort(s->fs);
	return HX_OK;
}

const hx_findings *hx_check_session_get_findings(const hx_check_session *s)
{
	assert(s);
	return s->fs;
}

const hx_checker *hx_check_session_get_checker(const hx_check_session *s)
{
	assert(s);
	return s->ck;
}

const char *const *hx_check_session_get_files(const hx_check_session *s,
					      size_t *n)
{
	assert(s && n);
	*n = s->nnames;
	return s->names;
}
