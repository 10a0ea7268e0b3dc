/*
 * spell.h - hunspell behind a small interface: open the dictionary of one
 * of the UN languages, check, suggest, stem, accept extra words. No
 * hunspell type leaves spell.c. The term matcher uses the stems to see
 * inflected forms ("stakeholders", "Resolutions") as the term.
 */
#ifndef HX_SPELL_H
#define HX_SPELL_H

#include <stdbool.h>
#include <stddef.h>

#include <hexalign/error.h>

typedef struct hx__speller hx__speller;

/* The longest word (bytes, with its NUL) a speller checks or suggests;
 * longer ones are taken as spelt right. */
#define HX__SPELL_MAX_WORD 200

/*
 * Open the dictionary of `lang` ("en", "fr", "es", "ru", "ar") in `dir`
 * (NULL: /usr/share/hunspell). HX_ENOTFOUND names the Debian package
 * that provides it; HX_EINVAL for a language without one (zh);
 * HX_EFORMAT for a dictionary not in UTF-8; HX_ENOMEM.
 */
int hx__speller_open(hx__speller **out, const char *dir, const char *lang,
		     hx_error *err);

void hx__speller_free(hx__speller *sp);

/* Whether the word (UTF-8) is spelt right. */
bool hx__speller_check(hx__speller *sp, const char *word, size_t len);

/* Accept a word from now on. HX_OK or HX_ENOMEM. */
int hx__speller_add(hx__speller *sp, const char *word, size_t len);

/* The first suggestion for a misspelt word into buf (NUL-terminated);
 * returns its length, 0 when there is none. A word one edit away from
 * the misspelling is found quickly; hunspell's slow full search runs for
 * a few words per speller only (see spell.c). Answers are cached. */
size_t hx__speller_suggest(hx__speller *sp, const char *word, size_t len,
			   char *buf, size_t size);

/* How many distinct words got no suggestion because the full searches
 * of this speller were used up. */
size_t hx__speller_unsuggested(const hx__speller *sp);

/*
 * The stems of a word ("stakeholders" -> "stakeholder"): *stems (free
 * with hx__speller_stems_free) holds *n NUL-terminated strings, none
 * when hunspell knows no stem. HX_OK or HX_ENOMEM.
 */
int hx__speller_stem(hx__speller *sp, const char *word, size_t len,
		     char ***stems, size_t *n);

void hx__speller_stems_free(char **stems, size_t n);

/* The Debian package holding the dictionary of lang, NULL when none. */
const char *hx__speller_package(const char *lang);

#endif
