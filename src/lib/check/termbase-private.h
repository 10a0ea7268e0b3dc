/*
 * termbase-private.h - how the format readers (termbase-tbx.c, the TSV
 * reader in termbase-load.c) fill a term base: they hand over concepts and
 * terms as the file writes them, and termbase.c normalises, checks and
 * stores them, so every format gets the same rules and messages. The
 * store calls no reader.
 */
#ifndef HX_TERMBASE_PRIVATE_H
#define HX_TERMBASE_PRIVATE_H

#include <stddef.h>

#include <hexalign/termbase.h>

/* A term as read, before normalisation. Strings are NUL-terminated and
 * borrowed for the call; any may be NULL but lang and text. */
typedef struct hx__term_in {
	const char *lang, *text, *status, *pos, *type;
	const char *definition, *note, *context;
	size_t line;
} hx__term_in;

/* An empty term base; name is what messages call its file. HX_ENOMEM. */
int hx__tb_new(hx_termbase **out, const char *name, hx_error *err);

/* The name messages give the file ("standard input", a path). */
const char *hx__tb_name(const hx_termbase *tb);

/* A new concept with the given id (NULL: none), its index in *c. */
int hx__tb_concept_new(hx_termbase *tb, const char *id, size_t *c,
		       hx_error *err);

/* The concept with this id, made when it is new (TSV rows). */
int hx__tb_concept_by_id(hx_termbase *tb, const char *id, size_t *c,
			 hx_error *err);

/*
 * Add a term to concept c. The text is trimmed, its white space runs made
 * one space and it is put in NFC; the language is normalised; the status
 * is parsed. HX_EFORMAT with "NAME:LINE: ..." for an empty term, invalid
 * UTF-8 or an unknown status.
 */
int hx__tb_term_add(hx_termbase *tb, size_t c, const hx__term_in *in,
		    hx_error *err);

/* s made fit for a one-line message in buf (s may be buf): cut at a
 * character boundary to fit size bytes, invalid UTF-8 made '?', control
 * characters spaces, trailing spaces dropped. Returns buf. */
const char *hx__tb_clip(char *buf, size_t size, const char *s);

/* Done reading: group the terms by concept for the look-ups. */
int hx__tb_finish(hx_termbase *tb, hx_error *err);

#endif
