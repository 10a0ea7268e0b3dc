/*
 * fuzz-tbx.c - libFuzzer target for term bases: hostile TBX (malformed
 * XML, entity bombs, any encoding, any nesting of entries, languages and
 * terms) and TSV must load or fail cleanly. A loaded term base must keep
 * its promises (every term whole, non-empty, in valid UTF-8, in a concept
 * that lists it), and the matcher built from it is run over the input
 * itself, so termmatch.c sees hostile terms and hostile text too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "check-utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_termbase(const hx_termbase *tb)
{
	size_t nt = hx_termbase_count(tb), nc = hx_termbase_concept_count(tb);
	size_t seen = 0;

	if (nt == 0) /* the loader refuses a term base without terms */
		abort();
	for (size_t i = 0; i < nt; i++) {
		const hx_term *t = hx_termbase_term(tb, i);
		if (!t->text || !*t->text || !t->lang || !t->concept ||
		    t->concept_index >= nc || check_utf8(t->text) != t->len ||
		    strcmp(t->concept,
			   hx_termbase_concept_id(tb, t->concept_index)))
			abort();
		check_utf8(t->status_text);
		check_utf8(t->pos);
		check_utf8(t->type);
		check_utf8(t->definition);
		check_utf8(t->note);
		check_utf8(t->context);
		check_utf8(t->lang);
		if (t->status > HX_TERM_SUPERSEDED ||
		    !hx_termbase_has_lang(tb, t->lang))
			abort();
		hx_termbase_suggest(tb, t);
	}
	for (size_t c = 0; c < nc; c++) {
		size_t n, first = hx_termbase_concept_terms(tb, c, &n);
		if (first + n > nt)
			abort();
		for (size_t k = first; k < first + n; k++)
			if (hx_termbase_term(tb, k)->concept_index != c)
				abort();
		seen += n;
		for (size_t l = 0; l < hx_termbase_lang_count(tb); l++) {
			const hx_term *p = hx_termbase_preferred(
			    tb, c, hx_termbase_lang(tb, l));
			if (p && p->concept_index != c)
				abort();
		}
	}
	if (seen != nt) /* every term in exactly one concept */
		abort();
}

/* The matcher of the first language over the input: hits must lie in it,
 * in order, on character boundaries. */
static void check_matcher(const hx_termbase *tb, const uint8_t *data,
			  size_t size)
{
	const char *text = (const char *)data;
	hx_termmatch *m = NULL;
	hx_term_hit *h = NULL;
	size_t n = 0;
	hx_error err;

	hx_error_init(&err);
	if (hx_termmatch_new(&m, tb, hx_termbase_lang(tb, 0), NULL, &err))
		abort(); /* the language is there */
	if (hx_termmatch_run(&h, &n, m, text, size, &err) == HX_OK) {
		for (size_t i = 0; i < n; i++) {
			if (h[i].start >= h[i].end || h[i].end > size ||
			    h[i].term >= hx_termbase_count(tb) ||
			    (i && h[i].start < h[i - 1].end) ||
			    (data[h[i].start] & 0xC0) == 0x80 ||
			    (h[i].end < size &&
			     (data[h[i].end] & 0xC0) == 0x80))
				abort();
		}
	} else if (err.code != HX_EINVAL) {
		abort(); /* only invalid UTF-8 may fail here */
	}
	hx_term_hits_free(h);
	hx_termmatch_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hx_termbase *tb = NULL;
	hx_error err;

	hx_error_init(&err);
	if (hx_termbase_load_memory(&tb, "fuzz.tbx", (const char *)data, size,
				    NULL, &err) != HX_OK) {
		/* A failure always says what went wrong, in UTF-8. */
		if (tb || err.code == HX_OK || !err.message[0])
			abort();
		check_utf8(err.message);
		return 0;
	}
	check_termbase(tb);
	if (size <= 65536)
		check_matcher(tb, data, size);
	hx_termbase_free(tb);
	return 0;
}
