/*
 * fuzz-tmx.c - libFuzzer target for the TMX reader: hostile memories
 * (malformed XML, entity bombs, any encoding, codes nested every way)
 * must read or fail cleanly, and every unit delivered must be whole: the
 * callback touches every string and checks that each placeholder in a
 * text names one of its codes, so a sanitizer sees any bad pointer or
 * length.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "check-utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touch(const char *s)
{
	if (!s)
		return 0;
	check_utf8(s);
	return strlen(s);
}

static size_t touch_props(const hx_tmx_prop *p, size_t n)
{
	size_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += touch(p[i].type) + touch(p[i].value);
	return sum;
}

static size_t touch_notes(const char *const *notes, size_t n)
{
	size_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += touch(notes[i]);
	return sum;
}

/* Placeholders U+E000 + n must be n < ncodes, each code met once, in
 * order, and the text must be exactly len bytes. */
static void check_text(const hx_tmx_tuv_read *v)
{
	const unsigned char *u = (const unsigned char *)v->text;
	size_t next = 0;

	if (touch(v->text) != v->len)
		abort();
	for (size_t i = 0; i + 2 < v->len; i++) {
		unsigned c;
		if (u[i] != 0xEE && !(u[i] == 0xEF && u[i + 1] <= 0xA3))
			continue;
		c = ((u[i] & 0x0Fu) << 12 | (u[i + 1] & 0x3Fu) << 6 |
		     (u[i + 2] & 0x3Fu)) -
		    HX_TMX_CODE_BASE;
		if (c != next++ || c >= v->ncodes)
			abort();
		i += 2;
	}
	if (next != v->ncodes)
		abort();
}

static int on_unit(void *payload, const hx_tmx_header_read *h,
		   const hx_tmx_unit *tu, hx_error *err)
{
	size_t *sum = payload;

	(void)err;
	*sum += touch(h->version) + touch(h->srclang) + touch(h->adminlang) +
		touch(h->datatype) + touch(h->segtype) + touch(h->o_tmf) +
		touch(h->creationtool) + touch(h->creationtoolversion) +
		touch(h->creationdate);
	*sum += touch(tu->tuid) + touch(tu->srclang) + touch(tu->creationdate) +
		touch(tu->creationid) + touch(tu->changedate) +
		touch(tu->changeid) + tu->line;
	*sum += touch_props(tu->props, tu->nprops) +
		touch_notes(tu->notes, tu->nnotes);
	if (tu->ntuvs == 0)
		abort(); /* the reader promises at least one */
	for (size_t i = 0; i < tu->ntuvs; i++) {
		const hx_tmx_tuv_read *v = &tu->tuvs[i];
		if (!v->lang || !*v->lang)
			abort();
		*sum += touch(v->lang) + touch(v->creationdate) +
			touch(v->creationid) + touch(v->changedate) +
			touch(v->changeid);
		*sum += touch_props(v->props, v->nprops) +
			touch_notes(v->notes, v->nnotes);
		check_text(v);
		for (size_t k = 0; k < v->ncodes; k++) {
			const hx_tmx_code *c = &v->codes[k];
			if (c->kind < HX_TMX_CODE_BPT ||
			    c->kind > HX_TMX_CODE_UT)
				abort();
			if (!c->content)
				abort();
			*sum += touch(c->content) + touch(c->i) + touch(c->x) +
				touch(c->type);
		}
	}
	return HX_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hx_tmx_read_options opts;
	size_t sum = 0;
	hx_error err;

	/* A small max_seg reaches the limit paths with small inputs. */
	hx_tmx_read_options_init(&opts);
	opts.max_seg = 4096;
	hx_error_init(&err);
	if (hx_tmx_read_memory("fuzz.tmx", (const char *)data, size, &opts,
			       on_unit, &sum, &err) != HX_OK) {
		/* A failure always says what went wrong, in UTF-8. */
		if (err.code == HX_OK || !err.message[0])
			abort();
		check_utf8(err.message);
	}
	return 0;
}
