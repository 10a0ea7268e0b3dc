/*
 * test-tmx-read.c - the TMX reader: memories written by other tools
 * (OmegaT, Translate Toolkit, Okapi, TRADOS, and the LISA TMX Compliance
 * Kit, whose expected texts are checked exactly), our own writer's output
 * read back, every kind of bad and hostile input (malformed, truncated,
 * not TMX, entity bombs, external entities, limits), and a 200,000-unit
 * memory read in constant memory. The fixtures are in data/tmx/read/ (see
 * data/tmx/SOURCE.md). Throughout, libxml2 must print nothing: stderr is
 * captured and checked at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/globals.h>
#include <libxml/xmlerror.h>

#include <hexalign/hexalign.h>

#include "../src/lib/base/text.h"
#include "tap.h"

/* The UTF-8 of placeholder n (n < 64): U+E000 + n. */
#define P0 "\xEE\x80\x80"
#define P1 "\xEE\x80\x81"
#define P2 "\xEE\x80\x82"
#define P3 "\xEE\x80\x83"
#define P4 "\xEE\x80\x84"
#define R  "\xEF\xBF\xBD" /* U+FFFD */

/* One tuv from a string literal. */
#define TUV(lang, text)                                                        \
	{                                                                      \
		lang, text, sizeof(text) - 1                                   \
	}

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* Under valgrind the peak RSS is mostly valgrind's (its shadow memory
 * grows with every byte the heap touches); memcheck judges the heap. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif

#ifdef UNDER_ASAN
/* <sanitizer/allocator_interface.h>: live heap bytes, quarantine not
 * included. */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

static char rdir[1024];	   /* data/tmx/read */
static char scratch[1024]; /* a private temporary directory */

/* ---- collecting what the reader delivers ------------------------------ */

typedef struct ccode {
	int kind;
	char *content, *i, *x, *type, *pos, *assoc;
	size_t end;
} ccode;

typedef struct ctuv {
	char *lang, *text;
	size_t len;
	ccode *codes;
	size_t ncodes;
	char *creationdate, *creationid, *changedate, *changeid;
	char **props; /* "type=value" */
	size_t nprops;
	char **notes;
	size_t nnotes;
} ctuv;

typedef struct cunit {
	char *tuid, *srclang, *creationdate, *creationid, *changedate,
	    *changeid;
	size_t line, pua;
	ctuv *tuvs;
	size_t ntuvs;
	char **props;
	size_t nprops;
	char **notes;
	size_t nnotes;
} cunit;

typedef struct got {
	cunit *u;
	size_t n, cap;
	char *hdr[10]; /* version, srclang, adminlang, datatype, segtype,
			  o_tmf, creationtool, creationtoolversion,
			  creationdate */
	bool hdr_seen;
	size_t stop_at; /* stop (return stop_rc) at this unit, 1-based */
	int stop_rc;
} got;

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static char **dup_props(const hx_tmx_prop *p, size_t n)
{
	char **out = calloc(n + 1, sizeof(*out));

	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(p[i].type) + strlen(p[i].value) + 2;
		out[i] = malloc(len);
		snprintf(out[i], len, "%s=%s", p[i].type, p[i].value);
	}
	return out;
}

static char **dup_notes(const char *const *notes, size_t n)
{
	char **out = calloc(n + 1, sizeof(*out));

	for (size_t i = 0; i < n; i++)
		out[i] = strdup(notes[i]);
	return out;
}

static int collect(void *payload, const hx_tmx_header_read *h,
		   const hx_tmx_unit *tu, hx_error *err)
{
	got *g = payload;
	cunit *u;

	if (!g->hdr_seen) {
		const char *f[] = {h->version,	    h->srclang,
				   h->adminlang,    h->datatype,
				   h->segtype,	    h->o_tmf,
				   h->creationtool, h->creationtoolversion,
				   h->creationdate};
		for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
			g->hdr[i] = dup_or_null(f[i]);
		g->hdr_seen = true;
	}
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 8;
		g->u = realloc(g->u, g->cap * sizeof(*g->u));
	}
	u = &g->u[g->n++];
	memset(u, 0, sizeof(*u));
	u->tuid = dup_or_null(tu->tuid);
	u->srclang = dup_or_null(tu->srclang);
	u->creationdate = dup_or_null(tu->creationdate);
	u->creationid = dup_or_null(tu->creationid);
	u->changedate = dup_or_null(tu->changedate);
	u->changeid = dup_or_null(tu->changeid);
	u->line = tu->line;
	u->pua = tu->pua_replaced;
	u->props = dup_props(tu->props, tu->nprops);
	u->nprops = tu->nprops;
	u->notes = dup_notes(tu->notes, tu->nnotes);
	u->nnotes = tu->nnotes;
	u->ntuvs = tu->ntuvs;
	u->tuvs = calloc(tu->ntuvs + 1, sizeof(*u->tuvs));
	for (size_t i = 0; i < tu->ntuvs; i++) {
		const hx_tmx_tuv_read *v = &tu->tuvs[i];
		ctuv *c = &u->tuvs[i];
		c->lang = strdup(v->lang);
		c->text = malloc(v->len + 1);
		memcpy(c->text, v->text, v->len + 1);
		c->len = v->len;
		c->creationdate = dup_or_null(v->creationdate);
		c->creationid = dup_or_null(v->creationid);
		c->changedate = dup_or_null(v->changedate);
		c->changeid = dup_or_null(v->changeid);
		c->props = dup_props(v->props, v->nprops);
		c->nprops = v->nprops;
		c->notes = dup_notes(v->notes, v->nnotes);
		c->nnotes = v->nnotes;
		c->ncodes = v->ncodes;
		c->codes = calloc(v->ncodes + 1, sizeof(*c->codes));
		for (size_t k = 0; k < v->ncodes; k++) {
			c->codes[k].kind = v->codes[k].kind;
			c->codes[k].content = strdup(v->codes[k].content);
			c->codes[k].i = dup_or_null(v->codes[k].i);
			c->codes[k].x = dup_or_null(v->codes[k].x);
			c->codes[k].type = dup_or_null(v->codes[k].type);
			c->codes[k].pos = dup_or_null(v->codes[k].pos);
			c->codes[k].assoc = dup_or_null(v->codes[k].assoc);
			c->codes[k].end = v->codes[k].end;
		}
	}
	if (g->stop_at && g->n == g->stop_at) {
		snprintf(err->message, sizeof(err->message), "stopped by test");
		err->code = g->stop_rc;
		return g->stop_rc;
	}
	return HX_OK;
}

static void free_strs(char **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

static void got_free(got *g)
{
	for (size_t i = 0; i < g->n; i++) {
		cunit *u = &g->u[i];
		free(u->tuid);
		free(u->srclang);
		free(u->creationdate);
		free(u->creationid);
		free(u->changedate);
		free(u->changeid);
		free_strs(u->props, u->nprops);
		free_strs(u->notes, u->nnotes);
		for (size_t k = 0; k < u->ntuvs; k++) {
			ctuv *c = &u->tuvs[k];
			free(c->lang);
			free(c->text);
			free(c->creationdate);
			free(c->creationid);
			free(c->changedate);
			free(c->changeid);
			free_strs(c->props, c->nprops);
			free_strs(c->notes, c->nnotes);
			for (size_t j = 0; j < c->ncodes; j++) {
				free(c->codes[j].content);
				free(c->codes[j].i);
				free(c->codes[j].x);
				free(c->codes[j].type);
				free(c->codes[j].pos);
				free(c->codes[j].assoc);
			}
			free(c->codes);
		}
		free(u->tuvs);
	}
	free(g->u);
	for (size_t i = 0; i < sizeof(g->hdr) / sizeof(g->hdr[0]); i++)
		free(g->hdr[i]);
	memset(g, 0, sizeof(*g));
}

static const char *path_of(const char *name)
{
	static char buf[4][1200];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", rdir, name);
	return buf[k];
}

/* Read data/tmx/read/NAME into g. */
static int load(got *g, const char *name, const hx_tmx_read_options *o,
		hx_error *err)
{
	memset(g, 0, sizeof(*g));
	hx_error_init(err);
	return hx_tmx_read(path_of(name), o, collect, g, err);
}

static const ctuv *tuv_of(const cunit *u, const char *lang)
{
	for (size_t i = 0; u && i < u->ntuvs; i++)
		if (!strcasecmp(u->tuvs[i].lang, lang))
			return &u->tuvs[i];
	return NULL;
}

static const cunit *unit_by_tuid(const got *g, const char *tuid)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->u[i].tuid && !strcmp(g->u[i].tuid, tuid))
			return &g->u[i];
	return NULL;
}

static const char *text_of(const cunit *u, const char *lang)
{
	const ctuv *v = tuv_of(u, lang);

	return v ? v->text : NULL;
}

/* "FILE:LINE: " at the start of a message, for the file in rdir. */
static bool names_line(const hx_error *err, const char *name, int line)
{
	char want[1300];

	snprintf(want, sizeof(want), "%s:%d: ", path_of(name), line);
	return !strncmp(err->message, want, strlen(want));
}

static bool any_text_has(const got *g, const char *needle)
{
	for (size_t i = 0; i < g->n; i++)
		for (size_t k = 0; k < g->u[i].ntuvs; k++)
			if (strstr(g->u[i].tuvs[k].text, needle))
				return true;
	return false;
}

/* ---- reading expected texts ------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The Compliance Kit's expected text: one segment a line, UTF-8 with or
 * without BOM, or UTF-16LE with BOM. Returns the lines (NULL-terminated,
 * CR dropped) or NULL. */
static char **expected_lines(const char *name, size_t *n)
{
	size_t len, cap = 8;
	char *raw = slurp(path_of(name), &len), *s = raw, *line;
	char **out;

	*n = 0;
	if (!raw)
		return NULL;
	if (len >= 2 && (unsigned char)raw[0] == 0xFF &&
	    (unsigned char)raw[1] == 0xFE) {
		size_t ulen, bad;
		char *u;
		if (hx__utf16_to_utf8(&u, &ulen, (unsigned char *)raw + 2,
				      len - 2, false, &bad) < 0) {
			free(raw);
			return NULL;
		}
		free(raw);
		raw = s = u;
	} else if (len >= 3 && !memcmp(raw, "\xEF\xBB\xBF", 3)) {
		s += 3;
	}
	out = calloc(cap, sizeof(*out));
	while ((line = strsep(&s, "\n"))) {
		size_t l = strlen(line);
		if (!l && !s)
			break;
		if (l && line[l - 1] == '\r')
			line[--l] = '\0';
		if (*n + 1 >= cap)
			out = realloc(out, (cap *= 2) * sizeof(*out));
		out[(*n)++] = strdup(line);
		out[*n] = NULL;
	}
	free(raw);
	return out;
}

/* Every tuv of `lang` in the file, in order, against the kit's list. */
static void check_kit_text(const got *g, const char *lang, const char *txt)
{
	size_t n, k = 0;
	char **want = expected_lines(txt, &n);
	bool same = want && n > 0;

	for (size_t i = 0; same && i < g->n; i++) {
		const char *t = text_of(&g->u[i], lang);
		if (!t)
			continue;
		if (k >= n || strcmp(t, want[k])) {
			printf("#   unit %zu (%s): got '%s', want '%s'\n",
			       i + 1, lang, t, k < n ? want[k] : "(nothing)");
			same = false;
		}
		k++;
	}
	ok(same && k == n, "%s: the %zu %s texts are the kit's", txt, n, lang);
	free_strs(want, n);
}

/* The segment as the original document had it: each placeholder replaced
 * by its code's content (nothing for <hi>), text escaped as HTML, which is
 * how the kit's ImportTest2A.htm shows it. */
static char *rebuild_html(const ctuv *v)
{
	size_t cap = 4 * v->len + 1, o = 0;
	char *out = malloc(cap + 4096);

	for (size_t i = 0; i < v->len; i++) {
		const unsigned char *u = (const unsigned char *)v->text + i;
		const char *rep = NULL;
		char one[2] = {(char)*u, 0};
		if (u[0] == 0xEE && u[1] == 0x80 && u[2] >= 0x80 &&
		    u[2] < 0x80 + v->ncodes) {
			rep = v->codes[u[2] - 0x80].content;
			i += 2;
		} else if (*u == '&') {
			rep = "&amp;";
		} else if (*u == '<') {
			rep = "&lt;";
		} else if (*u == '>') {
			rep = "&gt;";
		} else if (*u == '"') {
			rep = "&quot;";
		} else {
			rep = one;
		}
		memcpy(out + o, rep, strlen(rep));
		o += strlen(rep);
	}
	out[o] = '\0';
	return out;
}

/* The <p> paragraphs of the kit's .htm, Latin-1 (windows-1252 without
 * its 0x80-0x9F extras) converted to UTF-8. */
static char **html_paragraphs(const char *name, size_t *n)
{
	size_t len, cap = 16;
	char *raw = slurp(path_of(name), &len), *p, *utf8, *o;
	char **out;

	*n = 0;
	if (!raw)
		return NULL;
	utf8 = o = malloc(2 * len + 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)raw[i];
		if (c < 0x80) {
			*o++ = (char)c;
		} else {
			*o++ = (char)(0xC0 | c >> 6);
			*o++ = (char)(0x80 | (c & 0x3F));
		}
	}
	*o = '\0';
	free(raw);
	out = calloc(cap, sizeof(*out));
	for (p = utf8; (p = strstr(p, "<p>"));) {
		char *end = strstr(p, "</p>");
		if (!end)
			break;
		out[(*n)++] = strndup(p + 3, (size_t)(end - p - 3));
		p = end;
	}
	free(utf8);
	return out;
}

static void check_kit_html(const got *g, const char *lang, const char *htm)
{
	size_t n;
	char **want = html_paragraphs(htm, &n);
	char *r[7] = {NULL};
	char joined[512];
	bool same;

	if (!want || n != 6 || g->n != 7) {
		ok(0, "%s: 6 paragraphs, 7 units (got %zu, %zu)", htm, n, g->n);
		free_strs(want, n);
		return;
	}
	for (size_t i = 0; i < 7; i++) {
		const ctuv *v = tuv_of(&g->u[i], lang);
		r[i] = v ? rebuild_html(v) : strdup("");
	}
	/* The kit's fourth paragraph is the two sentences of units 4 and 5,
	 * an <it> opening in one and closing in the other. */
	snprintf(joined, sizeof(joined), "%s %s", r[3], r[4]);
	same = !strcmp(r[0], want[0]) && !strcmp(r[1], want[1]) &&
	       !strcmp(r[2], want[2]) && !strcmp(joined, want[3]) &&
	       !strcmp(r[5], want[4]) && !strcmp(r[6], want[5]);
	ok(same, "%s: codes put back give the kit's document", htm);
	if (!same)
		for (size_t i = 0; i < 7; i++)
			printf("#   %zu: %s\n", i, r[i]);
	for (size_t i = 0; i < 7; i++)
		free(r[i]);
	free_strs(want, n);
}

/* ---- files written by other tools ------------------------------------ */

static void test_omegat(void)
{
	hx_error err;
	got g;
	int rc;

	rc = load(&g, "test-omegat.tmx", NULL, &err);
	is_int(rc, HX_OK, "test-omegat.tmx reads (%s)", err.message);
	is_int(g.n, 4, "test-omegat.tmx: 4 units");
	is_str(g.hdr[0], "1.1", "header: version 1.1");
	is_str(g.hdr[1], "en", "header: srclang");
	is_str(g.hdr[2], "EN-US", "header: adminlang");
	is_str(g.hdr[3], "plaintext", "header: datatype");
	is_str(g.hdr[4], "paragraph", "header: segtype");
	is_str(g.hdr[5], "OmegaT TMX", "header: o-tmf");
	is_str(g.hdr[6], "OmegaT", "header: creationtool");
	is_str(g.hdr[7], "2.1.3", "header: creationtoolversion");
	ok(g.hdr_seen && !g.hdr[8], "header: no creationdate");
	if (g.n == 4) {
		is_int(g.u[1].ntuvs, 3, "unit 2: 3 tuvs (TMX 1.1 'lang')");
		is_str(g.u[1].tuvs[1].lang, "en-US", "unit 2: tuv 2 en-US");
		is_str(text_of(&g.u[1], "en-US"), "lang1", "unit 2: en-US");
		is_str(text_of(&g.u[1], "be"), "tr1", "unit 2: be");
		is_str(text_of(&g.u[3], "en-GB"), "lang3", "unit 4: en-GB");
		ok(g.u[0].line == 14 && g.u[1].line == 22 &&
		       g.u[2].line == 33 && g.u[3].line == 44,
		   "units at lines 14 22 33 44 (got %zu %zu %zu %zu)",
		   g.u[0].line, g.u[1].line, g.u[2].line, g.u[3].line);
		ok(!g.u[0].tuid && !g.u[0].srclang && !g.u[0].nprops,
		   "unit 1: no tuid, srclang or props");
	}
	got_free(&g);

	rc = load(&g, "en-US_en-GB_fr_sr.tmx", NULL, &err);
	is_int(rc, HX_OK, "en-US_en-GB_fr_sr.tmx reads (%s)", err.message);
	is_str(g.hdr[6], "Translate Toolkit", "written by Translate Toolkit");
	ok(g.n == 1 && g.u[0].ntuvs == 4 &&
	       !strcmp(g.u[0].tuvs[0].lang, "en-US") &&
	       !strcmp(g.u[0].tuvs[1].lang, "en-GB") &&
	       !strcmp(g.u[0].tuvs[2].lang, "fr") &&
	       !strcmp(g.u[0].tuvs[3].lang, "sr"),
	   "one unit en-US en-GB fr sr, in file order");
	if (g.n == 1) {
		is_str(text_of(&g.u[0], "en-US"), "XXx", "en-US text");
		is_str(text_of(&g.u[0], "sr"), "ZZZ", "sr text");
	}
	got_free(&g);

	rc = load(&g, "test-SMP.tmx", NULL, &err);
	is_int(rc, HX_OK, "test-SMP.tmx reads (%s)", err.message);
	if (g.n == 1) {
		/* U+1D400..U+1D405, MATHEMATICAL BOLD CAPITAL A..F: outside
		 * the BMP, and NFC leaves them alone. */
		is_str(text_of(&g.u[0], "en"),
		       "\xF0\x9D\x90\x80\xF0\x9D\x90\x81\xF0\x9D\x90\x82",
		       "supplementary-plane text, en");
		is_str(text_of(&g.u[0], "be"),
		       "\xF0\x9D\x90\x83\xF0\x9D\x90\x84\xF0\x9D\x90\x85",
		       "supplementary-plane text, be");
		is_int(g.u[0].tuvs[0].len, 12, "4 bytes each");
	} else {
		ok(0, "test-SMP.tmx: one unit (got %zu)", g.n);
	}
	got_free(&g);

	rc = load(&g, "test-multiple-tuv14.tmx", NULL, &err);
	is_int(rc, HX_OK, "test-multiple-tuv14.tmx reads (%s)", err.message);
	is_int(g.n, 3, "test-multiple-tuv14.tmx: 3 units");
	if (g.n == 3) {
		is_int(g.u[0].ntuvs, 8, "unit 1: 8 tuvs");
		/* Two tuvs of one language: both kept, in order. */
		ok(!strcmp(g.u[0].tuvs[4].lang, "FR-CA") &&
		       !strcmp(g.u[0].tuvs[5].lang, "FR-CA") &&
		       !strcmp(g.u[0].tuvs[4].text,
			       "fr_CA Bonjour le monde\xC2\xA0!") &&
		       !strcmp(g.u[0].tuvs[5].text,
			       "fr_CA Bonjour tout le monde\xC2\xA0!"),
		   "unit 1: both FR-CA tuvs, NBSP kept");
		is_str(text_of(&g.u[0], "ES"), "\xC2\xA1Hola Mundo!",
		       "unit 1: ES");
		is_str(text_of(&g.u[2], "ES"),
		       "Es una oraci\xC3\xB3n en ingl\xC3\xA9s.", "unit 3: ES");
	}
	got_free(&g);

	rc = load(&g, "empty.tmx", NULL, &err);
	ok(rc == HX_OK && g.n == 0, "empty.tmx: no units, no error (%s)",
	   err.message);
	got_free(&g);
}

/*
 * OmegaT's two "invalid" memories are well-formed XML, and OmegaT reads
 * both (its TmxReader2 test only checks that it does not throw), so they
 * are read here too. invalid.tmx has <bpt>/<ept> that do not pair (an
 * <ept i="1"> first, two <bpt i="1">): the codes are kept as written, so
 * putting them back gives back the file's own markup. test-omegat-invalid
 * is TMX 1.1 with one xml:lang among its lang attributes, as OmegaT 6
 * itself writes.
 */
static void test_omegat_invalid(void)
{
	hx_error err;
	got g;
	int rc;

	rc = load(&g, "invalid.tmx", NULL, &err);
	is_int(rc, HX_OK, "invalid.tmx (unpaired codes) reads (%s)",
	       err.message);
	if (g.n == 1 && g.u[0].ntuvs == 2) {
		const ctuv *v = &g.u[0].tuvs[0];
		is_str(v->text,
		       "\n\t\t\t\t\t" P0 "\n\t\t\t\t\t" P1 "\n\t\t\t\t\t" P2
		       "\n\t\t\t\t\t" P3 "\n\t\t\t\t",
		       "invalid.tmx: four placeholders, white space kept");
		ok(v->ncodes == 4 && v->codes[0].kind == HX_TMX_CODE_EPT &&
		       v->codes[1].kind == HX_TMX_CODE_IT &&
		       v->codes[2].kind == HX_TMX_CODE_BPT &&
		       v->codes[3].kind == HX_TMX_CODE_BPT,
		   "invalid.tmx: ept it bpt bpt");
		if (v->ncodes == 4) {
			is_str(v->codes[0].content, "</b>", "ept content");
			is_str(v->codes[0].i, "1", "ept i");
			is_str(v->codes[1].content, "</LI>", "it content");
			is_str(v->codes[2].type, "struct", "bpt type");
			ok(v->codes[2].x == NULL, "bpt 1: no x");
			is_str(v->codes[3].x, "1", "bpt 2: x");
			is_str(v->codes[3].content, "<b>", "bpt 2 content");
		}
	} else {
		ok(0, "invalid.tmx: one unit of two tuvs (got %zu)", g.n);
	}
	got_free(&g);

	rc = load(&g, "test-omegat-invalid.tmx", NULL, &err);
	is_int(rc, HX_OK, "test-omegat-invalid.tmx reads (%s)", err.message);
	if (g.n == 4) {
		is_str(text_of(&g.u[1], "en"), "First part", "unit 2: en");
		is_str(text_of(&g.u[1], "en-US"), "lang1",
		       "unit 2: xml:lang in a TMX 1.1 file is taken");
	} else {
		ok(0, "test-omegat-invalid.tmx: 4 units (got %zu)", g.n);
	}
	got_free(&g);
}

static void test_compliance_kit(void)
{
	hx_error err;
	got g;
	int rc;

	/* 1A: UTF-16LE; tabs and spaces written as character references. */
	rc = load(&g, "ImportTest1A.tmx", NULL, &err);
	is_int(rc, HX_OK, "ImportTest1A.tmx (UTF-16LE) reads (%s)",
	       err.message);
	check_kit_text(&g, "en-us", "ImportTest1A.txt");
	check_kit_text(&g, "fr-ca", "ImportTest1A_fr-ca.txt");
	got_free(&g);

	/* 1B: white space and single quotes around attribute values; the
	 * language is passed on as written. */
	rc = load(&g, "ImportTest1B.tmx", NULL, &err);
	is_int(rc, HX_OK, "ImportTest1B.tmx reads (%s)", err.message);
	check_kit_text(&g, "eN-uS", "ImportTest1B.txt");
	check_kit_text(&g, "fR-Ca", "ImportTest1B_fr-ca.txt");
	got_free(&g);

	/* 1C: five languages per unit, in varying order. */
	rc = load(&g, "ImportTest1C.tmx", NULL, &err);
	is_int(rc, HX_OK, "ImportTest1C.tmx reads (%s)", err.message);
	ok(g.n == 3 && g.u[0].ntuvs == 5 && g.u[1].ntuvs == 5 &&
	       g.u[2].ntuvs == 5,
	   "ImportTest1C.tmx: 3 units of 5 tuvs");
	check_kit_text(&g, "en-us", "ImportTest1C.txt");
	check_kit_text(&g, "fr-ca", "ImportTest1C_fr-ca.txt");
	got_free(&g);

	/* 1D: UTF-8 with BOM, characters and character references mixed;
	 * 1F and 1G the same in UTF-16LE and UTF-16BE, 1H in US-ASCII with
	 * references only. */
	rc = load(&g, "ImportTest1D.tmx", NULL, &err);
	is_int(rc, HX_OK, "ImportTest1D.tmx (UTF-8 BOM) reads (%s)",
	       err.message);
	check_kit_text(&g, "en-us", "ImportTest1D.txt");
	check_kit_text(&g, "en-gb", "ImportTest1D_en-gb.txt");
	got_free(&g);
	rc = load(&g, "ImportTest1F.tmx", NULL, &err);
	is_int(rc, HX_OK, "ImportTest1F.tmx (UTF-16LE) reads (%s)",
	       err.message);
	check_kit_text(&g, "en-us", "ImportTest1F.txt");
	got_free(&g);
	rc = load(&g, "ImportTest1G.tmx", NULL, &err);
	is_int(rc, HX_OK, "ImportTest1G.tmx (UTF-16BE) reads (%s)",
	       err.message);
	check_kit_text(&g, "en-us", "ImportTest1G.txt");
	check_kit_text(&g, "en-gb", "ImportTest1G_en-gb.txt");
	got_free(&g);
	rc = load(&g, "ImportTest1H.tmx", NULL, &err);
	is_int(rc, HX_OK, "ImportTest1H.tmx (US-ASCII) reads (%s)",
	       err.message);
	check_kit_text(&g, "en-us", "ImportTest1H.txt");
	got_free(&g);

	/* 1I: U+3000 IDEOGRAPHIC SPACE; the Japanese list is UTF-16. */
	rc = load(&g, "ImportTest1I.tmx", NULL, &err);
	is_int(rc, HX_OK, "ImportTest1I.tmx reads (%s)", err.message);
	check_kit_text(&g, "en-us", "ImportTest1I.txt");
	check_kit_text(&g, "ja-jp", "ImportTest1I_ja-jp.txt");
	got_free(&g);

	/* 1L: comments everywhere, every attribute, notes and props at
	 * both levels, a <ude> in the header. */
	rc = load(&g, "ImportTest1L.tmx", NULL, &err);
	is_int(rc, HX_OK, "ImportTest1L.tmx reads (%s)", err.message);
	is_str(g.hdr[4], "block", "1L header: segtype");
	is_str(g.hdr[3], "html", "1L header: datatype");
	is_str(g.hdr[8], "20020523T091200Z", "1L header: creationdate");
	if (g.n == 1 && g.u[0].ntuvs == 3) {
		const cunit *u = &g.u[0];
		is_str(u->tuid, "tu001", "1L: tuid");
		is_str(u->srclang, "en-us", "1L: tu srclang");
		ok(!strcmp(u->creationdate, "20020523T091200Z") &&
		       !strcmp(u->creationid, "ys") &&
		       !strcmp(u->changedate, "20020523T091200Z") &&
		       !strcmp(u->changeid, "ys"),
		   "1L: tu dates and ids");
		ok(u->nnotes == 2 &&
		       !strcmp(u->notes[0], "Text of tu note 1") &&
		       !strcmp(u->notes[1], "Text of tu note 2"),
		   "1L: tu notes");
		ok(u->nprops == 1 && !strcmp(u->props[0], "myPropeType=Data"),
		   "1L: tu prop");
		ok(u->line == 32,
		   "1L: the <tu> start tag ends on line 32 "
		   "(got %zu)",
		   u->line);
		is_str(u->tuvs[0].lang, "en-us", "1L: tuv 1 en-us");
		ok(u->tuvs[0].nnotes == 2 && u->tuvs[0].nprops == 1 &&
		       !strcmp(u->tuvs[0].notes[0], "Text of tuv en note 1"),
		   "1L: tuv 1 notes and prop");
		ok(!strcmp(u->tuvs[0].creationid, "ys") &&
		       !strcmp(u->tuvs[0].changedate, "20020523T091200Z"),
		   "1L: tuv attributes");
		ok(u->tuvs[1].nprops == 2 && u->tuvs[1].nnotes == 2,
		   "1L: tuv fr: 2 props, 2 notes");
		is_str(text_of(u, "fr"), "Texte du segment.", "1L: fr text");
		is_str(text_of(u, "en-gb"), "Text of the segment.",
		       "1L: en-gb text");
	} else {
		ok(0, "1L: one unit of 3 tuvs (got %zu)", g.n);
	}
	got_free(&g);

	/* 2A: <bpt>/<ept>, <it> across units, <ph>, <hi>, in UTF-16; the
	 * kit gives the documents the codes came from. */
	rc = load(&g, "ImportTest2A.tmx", NULL, &err);
	is_int(rc, HX_OK, "ImportTest2A.tmx reads (%s)", err.message);
	check_kit_html(&g, "en-us", "ImportTest2A.htm");
	check_kit_html(&g, "fr-ca", "ImportTest2A_fr-ca.htm");
	if (g.n == 7) {
		const ctuv *v = tuv_of(&g.u[0], "en-us");
		is_str(v ? v->text : NULL,
		       "The big " P0 "black" P1 " " P2 "cat" P3 " sleeps.",
		       "2A unit 1: placeholders");
		ok(v && v->ncodes == 4 && v->codes[0].kind == HX_TMX_CODE_BPT &&
		       !strcmp(v->codes[0].i, "1") &&
		       !strcmp(v->codes[0].x, "1") &&
		       !strcmp(v->codes[0].type, "bold") &&
		       v->codes[1].kind == HX_TMX_CODE_EPT &&
		       !strcmp(v->codes[1].i, "1") && !v->codes[1].type,
		   "2A unit 1: bpt i=1 x=1 type=bold, ept i=1");
		v = tuv_of(&g.u[6], "en-us");
		is_str(v ? v->text : NULL,
		       "Some text with " P0 "a part highlighted.",
		       "2A unit 7: <hi> text stays in the segment");
		ok(v && v->ncodes == 1 && v->codes[0].kind == HX_TMX_CODE_HI &&
		       !strcmp(v->codes[0].content, "") &&
		       !strcmp(v->codes[0].type, "special-part"),
		   "2A unit 7: <hi> code, empty content, type kept");
		is_str(g.u[6].tuvs[0].lang, "FR-CA",
		       "2A unit 7: French first, as in the file");
	}
	got_free(&g);

	/* 2C: <sub> inside <ph>, <hi>, all codes in one segment. */
	rc = load(&g, "ImportTest2C.tmx", NULL, &err);
	is_int(rc, HX_OK, "ImportTest2C.tmx reads (%s)", err.message);
	if (g.n == 1) {
		const ctuv *v = tuv_of(&g.u[0], "en-us");
		is_str(v ? v->text : NULL,
		       P0 P1 "Click " P2 " to " P3 "start." P4,
		       "2C en-us: five codes");
		ok(v && v->ncodes == 5 && v->codes[0].kind == HX_TMX_CODE_IT &&
		       v->codes[1].kind == HX_TMX_CODE_BPT &&
		       v->codes[2].kind == HX_TMX_CODE_PH &&
		       v->codes[3].kind == HX_TMX_CODE_HI &&
		       v->codes[4].kind == HX_TMX_CODE_EPT,
		   "2C: it bpt ph hi ept");
		if (v && v->ncodes == 5) {
			is_str(v->codes[2].content,
			       "<IMG SRC=\"here.png\" ALT=\"Start Here!\">",
			       "2C: <sub> text is the code's content");
			is_str(v->codes[0].content, "<I>", "2C: it content");
			is_str(v->codes[0].pos, "begin", "2C: it pos");
			is_str(v->codes[2].assoc, "b", "2C: ph assoc");
			is_int((long long)v->codes[3].end,
			       (long long)strlen(P0 P1 "Click " P2 " to " P3
						       "start"),
			       "2C: hi end");
			is_str(v->codes[1].x, "2", "2C: bpt x");
		}
		is_str(text_of(&g.u[0], "fr"),
		       P0 P1 "Cliquez " P2 " pour " P3 "commencer." P4,
		       "2C fr");
	} else {
		ok(0, "2C: one unit (got %zu)", g.n);
	}
	got_free(&g);
}

static void test_okapi(void)
{
	hx_error err;
	got g;
	int rc;

	rc = load(&g, "Paragraph_TM.tmx", NULL, &err);
	is_int(rc, HX_OK, "Paragraph_TM.tmx reads (%s)", err.message);
	is_int(g.n, 7, "Paragraph_TM.tmx: 7 units");
	if (g.n == 7) {
		const cunit *u = &g.u[0];
		const ctuv *v = tuv_of(u, "en-us");
		is_str(u->tuid, "ACDetectionCheckFailedAction0", "unit 1 tuid");
		ok(u->nprops == 3 &&
		       !strcmp(u->props[0],
			       "Txt::FileName=StringInfoForTest3.info") &&
		       !strcmp(u->props[2], "Att::Test=TestValue"),
		   "unit 1: three tu props");
		ok(v && v->nprops == 3 &&
		       !strcmp(v->props[1],
			       "Txt::GroupName="
			       "InletLinePrimeFluidTooSoonAction0"),
		   "unit 1: three tuv props");
		is_str(v ? v->text : NULL,
		       P0 "1." P1 "Confirm that the AC line is in the AC fluid "
			  "detector." P2 P3 "2." P4 "Touch Retry.",
		       "unit 1 en-us with <ph> placeholders");
		ok(v && v->ncodes == 5 &&
		       !strcmp(v->codes[0].content, "#![PG 0 1]") &&
		       !strcmp(v->codes[1].content, "\\t") &&
		       !strcmp(v->codes[1].x, "2") &&
		       v->codes[4].kind == HX_TMX_CODE_PH,
		   "unit 1: <ph> contents and x");
		v = tuv_of(&g.u[1], "de-de");
		is_str(v ? v->text : NULL,
		       "Zur Fortsetzung " P0
		       "des Verfahrens 'Wiederholen' dr\xC3\xBC"
		       "cken.",
		       "unit 2 de-de with <ut>");
		ok(v && v->ncodes == 1 && v->codes[0].kind == HX_TMX_CODE_UT &&
		       !strcmp(v->codes[0].content, " ut content de"),
		   "unit 2: <ut> content");
		is_int(u->line, 3, "unit 1 on line 3 (CRLF file)");
	}
	got_free(&g);

	rc = load(&g, "html_test.tmx", NULL, &err);
	is_int(rc, HX_OK, "html_test.tmx (TRADOS, UTF-16LE, CRLF) reads (%s)",
	       err.message);
	is_int(g.n, 11, "html_test.tmx: 11 units");
	is_str(g.hdr[6], "TRADOS Translator's Workbench for Windows",
	       "html_test.tmx: creationtool");
	if (g.n == 11) {
		const ctuv *v = tuv_of(&g.u[3], "EN-US");
		is_str(text_of(&g.u[0], "EN-US"),
		       "start &lt; of &lt; body text",
		       "unit 1: escaped twice in the file, once in the text");
		ok(g.u[0].line == 64 && g.u[1].line == 73,
		   "units at lines 64, 73 (got %zu, %zu)", g.u[0].line,
		   g.u[1].line);
		is_str(g.u[0].creationid, "BATCH_ANALYZER",
		       "unit 1 creationid");
		is_str(v ? v->text : NULL,
		       "To view this click " P0 "This is a link" P1 " here",
		       "unit 4: link");
		ok(v && v->ncodes == 2 &&
		       !strcmp(v->codes[0].content, "<a href=\"page1.htm\">") &&
		       !strcmp(v->codes[0].type, "link") &&
		       !strcmp(v->codes[1].content, "</a>"),
		   "unit 4: <bpt>/<ept> contents");
		is_str(text_of(&g.u[8], "EN-US"),
		       "end of \xC2\xA9 body &amp; text", "unit 9: copyright");
		v = tuv_of(&g.u[9], "FR-FR");
		ok(v && v->ncodes == 1 && v->codes[0].kind == HX_TMX_CODE_IT &&
		       !strcmp(v->codes[0].content, "<a href=\"link.htm\">"),
		   "unit 10: <it>");
		ok(!strcmp(g.u[10].changedate, "20081205T021213Z") &&
		       !strcmp(g.u[10].changeid, "BATCH_ANALYZER"),
		   "unit 11: changedate, changeid");
	}
	got_free(&g);
}

/* ---- synthetic cases -------------------------------------------------- */

static void test_codes(void)
{
	const cunit *u;
	const ctuv *v;
	hx_error err;
	got g;
	int rc;

	rc = load(&g, "codes.tmx", NULL, &err);
	is_int(rc, HX_OK, "codes.tmx reads (%s)", err.message);
	is_str(g.hdr[8], "20260101T000000Z", "codes.tmx: header date");

	u = unit_by_tuid(&g, "hi");
	v = tuv_of(u, "en");
	is_str(v ? v->text : NULL,
	       "See " P0 "article " P1 "1 of " P2 "the Declaration" P3 ".",
	       "<hi> holding a <ph>; <sub> in a <bpt>");
	if (v && v->ncodes == 4) {
		ok(v->codes[0].kind == HX_TMX_CODE_HI &&
		       !strcmp(v->codes[0].type, "bold") &&
		       !strcmp(v->codes[0].x, "9"),
		   "<hi>: kind, type, x");
		is_int((long long)v->codes[0].end,
		       (long long)strlen("See " P0 "article " P1 "1"),
		       "<hi>: its end, after the <ph> inside it");
		ok(v->codes[1].end == 0 && !v->codes[1].pos &&
		       !v->codes[1].assoc,
		   "<ph>: no end, no pos, no assoc");
		ok(v->codes[1].kind == HX_TMX_CODE_PH &&
		       !strcmp(v->codes[1].content, "<br/>"),
		   "<ph> inside <hi> is a code of its own");
		is_str(v->codes[2].content, "<a href=\"UDHR\">",
		       "<sub> text in the <bpt>'s content");
	} else {
		ok(0, "4 codes (got %zu)", v ? v->ncodes : 0);
	}
	ok(u && u->line == 5 && !strcmp(u->srclang, "en") &&
	       !strcmp(u->creationdate, "20260102T030405Z") &&
	       !strcmp(u->creationid, "alice") &&
	       !strcmp(u->changedate, "20260103T000000Z") &&
	       !strcmp(u->changeid, "bob"),
	   "tu attributes and line");
	ok(v && !strcmp(v->creationdate, "20260104T000000Z") &&
	       !strcmp(v->creationid, "carol") &&
	       !strcmp(v->changedate, "20260105T000000Z") &&
	       !strcmp(v->changeid, "dave"),
	   "tuv attributes");

	v = tuv_of(unit_by_tuid(&g, "empty-codes"), "en");
	ok(v && !strcmp(v->text, "A" P0 "B" P1 "C" P2) && v->ncodes == 3 &&
	       !strcmp(v->codes[0].content, "") &&
	       !strcmp(v->codes[1].content, "") &&
	       !strcmp(v->codes[1].i, "2") &&
	       v->codes[2].kind == HX_TMX_CODE_IT &&
	       !strcmp(v->codes[2].content, ""),
	   "empty codes: placeholders, empty contents");

	v = tuv_of(unit_by_tuid(&g, "nested"), "en");
	ok(v && !strcmp(v->text, P0 "link" P1) && v->ncodes == 2 &&
	       !strcmp(v->codes[0].content,
		       "{\\field{\\*\\fldinst HYPERLINK \"x\"!}}") &&
	       !strcmp(v->codes[1].content, "}"),
	   "codes nested in a <sub> are content, not placeholders");

	is_str(text_of(unit_by_tuid(&g, "cdata"), "en"),
	       "R&D <1> and " P0 "more", "CDATA is text; <ut> a code");
	/* e + U+0301 composes; U+F900 (a CJK compatibility ideograph,
	 * past the Private Use Area) becomes U+8C48 under NFC. */
	is_str(text_of(unit_by_tuid(&g, "nfc"), "fr"),
	       "Dignit\xC3\xA9 \xE8\xB1\x88", "text is NFC");
	is_str(text_of(unit_by_tuid(&g, "pua"), "en"),
	       R " bullet " R " apple " R P0,
	       "literal U+E000, U+F0B7, U+F8FF cannot pass for placeholders");
	u = unit_by_tuid(&g, "pua");
	is_int(u ? (long long)u->pua : -1, 3,
	       "the unit says 3 private-use characters were replaced");
	/* Past runs of eight bytes, next to full-width punctuation (EF BC
	 * 8C, not private use). */
	is_str(text_of(unit_by_tuid(&g, "pua-long"), "en"),
	       "12345678" R "abcdefgh\xEF\xBC\x8C" R "12345678901234567" R,
	       "private-use characters anywhere in a long text");
	is_str(text_of(unit_by_tuid(&g, "unknown"), "en"), "Text inside kept",
	       "unknown elements looked through; comment, PI dropped");

	u = unit_by_tuid(&g, "sloppy");
	ok(u && u->ntuvs == 3, "a <tuv> without <seg> is left out (got %zu)",
	   u ? u->ntuvs : 0);
	is_str(text_of(u, "en"), "  two  spaces ", "white space kept");
	ok(u && u->nprops == 1 && !strcmp(u->props[0], "late=after the tuv") &&
	       u->nnotes == 1 && !strcmp(u->notes[0], "late note"),
	   "<tu> prop and note after a <tuv> belong to the <tu>");
	is_str(text_of(u, "fr-CA"), "both", "xml:lang wins over lang");
	is_str(text_of(u, "es"), "old",
	       "TMX 1.1 lang; a <seg> inside an unknown element ignored");

	u = unit_by_tuid(&g, "props");
	ok(u && u->nnotes == 1 && u->nprops == 2 &&
	       !strcmp(u->props[0], "x-doc=A/RES/217(III)") &&
	       !strcmp(u->props[1], "=no type"),
	   "tu props; a prop without type has type \"\"");
	v = tuv_of(u, "en");
	ok(v && v->len == 0 && !strcmp(v->text, "") && v->nnotes == 2 &&
	       !strcmp(v->notes[0], "tuv note 1") && !strcmp(v->notes[1], "") &&
	       v->nprops == 1 && !strcmp(v->props[0], "x-src=eng.html"),
	   "<seg/>: empty text; empty <note/>");
	v = tuv_of(u, "fr");
	ok(v && v->nnotes == 1 && !strcmp(v->notes[0], "after the seg") &&
	       v->nprops == 1 && !strcmp(v->props[0], "x-src=fra.html"),
	   "tuv note after the seg");
	got_free(&g);
}

static void test_encodings(void)
{
	hx_error err;
	got want, g;
	int rc;

	rc = load(&want, "un-six.tmx", NULL, &err);
	is_int(rc, HX_OK, "un-six.tmx (UTF-8) reads (%s)", err.message);
	is_int(want.n, 2, "un-six.tmx: 2 units");
	if (want.n == 2)
		is_str(text_of(&want.u[1], "zh"),
		       "人人生而自由,在尊严和权利上一律平等。他们赋有理性和"
		       "良心,并应以兄弟关系的精神相对待。",
		       "UDHR article 1, Chinese");
	for (int be = 0; be < 2; be++) {
		const char *name = be ? "un-utf16be.tmx" : "un-utf16le.tmx";
		bool same;
		rc = load(&g, name, NULL, &err);
		is_int(rc, HX_OK, "%s reads (%s)", name, err.message);
		same = g.n == want.n;
		for (size_t i = 0; same && i < g.n; i++) {
			same = g.u[i].ntuvs == want.u[i].ntuvs &&
			       g.u[i].line == want.u[i].line;
			for (size_t k = 0; same && k < g.u[i].ntuvs; k++)
				same = !strcmp(g.u[i].tuvs[k].text,
					       want.u[i].tuvs[k].text) &&
				       !strcmp(g.u[i].tuvs[k].lang,
					       want.u[i].tuvs[k].lang);
		}
		ok(same, "%s: the same six languages as UTF-8, same lines",
		   name);
		got_free(&g);
	}
	rc = load(&g, "un-latin1.tmx", NULL, &err);
	is_int(rc, HX_OK, "un-latin1.tmx (ISO-8859-1) reads (%s)", err.message);
	if (g.n == 2) {
		is_str(text_of(&g.u[0], "fr"), text_of(&want.u[1], "fr"),
		       "ISO-8859-1: French");
		is_str(text_of(&g.u[1], "es"),
		       "Art\xC3\xAD"
		       "culo 1",
		       "ISO-8859-1: Spanish");
	} else {
		ok(0, "un-latin1.tmx: 2 units (got %zu)", g.n);
	}
	got_free(&g);
	got_free(&want);

	/* Bytes the declared encoding cannot decode: libxml2 raises these
	 * outside any parser context, where it would print them. */
	rc = load(&g, "bad-shift-jis.tmx", NULL, &err);
	ok(rc == HX_EFORMAT && names_line(&err, "bad-shift-jis.tmx", 2) &&
	       strstr(err.message, "conversion"),
	   "undecodable Shift_JIS: FILE:2 (%s)", err.message);
	got_free(&g);
	rc = load(&g, "utf16-lone-surrogate.tmx", NULL, &err);
	ok(rc == HX_EFORMAT &&
	       names_line(&err, "utf16-lone-surrogate.tmx", 2) &&
	       strstr(err.message, "conversion"),
	   "UTF-16 with a lone surrogate: FILE:2 (%s)", err.message);
	got_free(&g);
	/* libxml2 quotes 50 bytes of an unterminated comment, cutting a
	 * character (found by fuzzing): the message must stay UTF-8. */
	rc = load(&g, "comment-cut-utf8.tmx", NULL, &err);
	ok(rc == HX_EFORMAT && names_line(&err, "comment-cut-utf8.tmx", 3) &&
	       strstr(err.message, "Comment not terminated") &&
	       hx__utf8_valid(err.message, strlen(err.message), NULL),
	   "a message quoting a cut character is still UTF-8 (%s)",
	   err.message);
	got_free(&g);
	/* UCS-4 in the unusual 2143 byte order: refused by libxml2 while
	 * it creates the parser, before any reader handler exists. */
	rc = load(&g, "ucs4-2143.tmx", NULL, &err);
	ok(rc == HX_EFORMAT && names_line(&err, "ucs4-2143.tmx", 1) &&
	       strstr(err.message, "encoding"),
	   "UCS-4 2143: refused at FILE:1 (%s)", err.message);
	got_free(&g);
}

static void test_bad_input(void)
{
	hx_tmx_read_options o;
	hx_error err;
	got g;
	int rc;

	rc = load(&g, "malformed.tmx", NULL, &err);
	is_int(rc, HX_EFORMAT, "malformed.tmx: HX_EFORMAT");
	ok(names_line(&err, "malformed.tmx", 10) &&
	       strstr(err.message, "mismatch"),
	   "malformed XML: libxml2's message at FILE:10 (%s)", err.message);
	got_free(&g);

	rc = load(&g, "truncated.tmx", NULL, &err);
	is_int(rc, HX_EFORMAT, "truncated.tmx: HX_EFORMAT");
	ok(names_line(&err, "truncated.tmx", 18) &&
	       strstr(err.message, "truncated"),
	   "truncated: FILE:18 says so (%s)", err.message);
	ok(!any_text_has(&g, "братства"),
	   "the cut Russian segment is not delivered");
	got_free(&g);

	rc = load(&g, "not-tmx.xhtml", NULL, &err);
	ok(rc == HX_EFORMAT && names_line(&err, "not-tmx.xhtml", 3) &&
	       strstr(err.message, "<html>") && g.n == 0,
	   "XHTML: not TMX, at its root (%s)", err.message);
	got_free(&g);

	rc = load(&g, "no-body.tmx", NULL, &err);
	ok(rc == HX_EFORMAT && names_line(&err, "no-body.tmx", 2) &&
	       strstr(err.message, "<body>"),
	   "no <body> (%s)", err.message);
	got_free(&g);

	rc = load(&g, "no-seg.tmx", NULL, &err);
	ok(rc == HX_EFORMAT && names_line(&err, "no-seg.tmx", 9) &&
	       strstr(err.message, "<seg>"),
	   "a <tu> without <seg> (%s)", err.message);
	is_int(g.n, 1, "the unit before it was delivered");
	got_free(&g);

	rc = load(&g, "two-segs.tmx", NULL, &err);
	ok(rc == HX_EFORMAT && names_line(&err, "two-segs.tmx", 8) &&
	       strstr(err.message, "second <seg>") && g.n == 0,
	   "two <seg> in a <tuv> (%s)", err.message);
	got_free(&g);

	rc = load(&g, "no-lang.tmx", NULL, &err);
	ok(rc == HX_EFORMAT && names_line(&err, "no-lang.tmx", 7) &&
	       strstr(err.message, "language") && g.n == 0,
	   "xml:lang=\"\" is no language (%s)", err.message);
	got_free(&g);

	rc = load(&g, "empty-file.tmx", NULL, &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "empty file") &&
	       !strncmp(err.message, path_of("empty-file.tmx"),
			strlen(path_of("empty-file.tmx"))),
	   "empty file (%s)", err.message);
	got_free(&g);
	hx_error_init(&err);
	rc = hx_tmx_read_memory("mem.tmx", "", 0, NULL, collect, &g, &err);
	ok(rc == HX_EFORMAT && !strcmp(err.message, "mem.tmx: empty file"),
	   "empty memory (%s)", err.message);

	rc = load(&g, "does-not-exist.tmx", NULL, &err);
	ok(rc == HX_ENOTFOUND && strstr(err.message, strerror(ENOENT)) &&
	       strstr(err.message, "does-not-exist.tmx"),
	   "missing file: HX_ENOTFOUND with strerror (%s)", err.message);
	hx_error_init(&err);
	rc = hx_tmx_read(rdir, NULL, collect, &g, &err);
	ok(rc == HX_EIO && strstr(err.message, strerror(EISDIR)),
	   "a directory: HX_EIO (%s)", err.message);
	got_free(&g);

	/* Reading /proc/self/mem from offset 0 fails with EIO: a read
	 * error, not the end of the file. */
	if (access("/proc/self/mem", R_OK) == 0) {
		hx_error_init(&err);
		rc = hx_tmx_read("/proc/self/mem", NULL, collect, &g, &err);
		ok(rc == HX_EIO && strstr(err.message, "read failed") &&
		       strstr(err.message, strerror(EIO)),
		   "a failing read: HX_EIO with strerror (%s)", err.message);
		got_free(&g);
	}

	/* err may be NULL. */
	rc = hx_tmx_read(path_of("malformed.tmx"), NULL, collect, &g, NULL);
	is_int(rc, HX_EFORMAT, "NULL err: the status still comes back");
	got_free(&g);

	hx_tmx_read_options_init(&o);
	o.max_seg = 100;
	rc = load(&g, "un-six.tmx", &o, &err);
	ok(rc == HX_ELIMIT && names_line(&err, "un-six.tmx", 14) &&
	       strstr(err.message, "max_seg"),
	   "a <seg> over max_seg: HX_ELIMIT at its line (%s)", err.message);
	is_int(g.n, 1, "the short unit before it was delivered");
	got_free(&g);

	hx_tmx_read_options_init(&o);
	o.max_input = 1000;
	rc = load(&g, "un-six.tmx", &o, &err);
	ok(rc == HX_ELIMIT && strstr(err.message, "max_input") && g.n == 0,
	   "a file over max_input: HX_ELIMIT before reading (%s)", err.message);
	got_free(&g);
}

/* Entities: declared ones are refused, none is ever expanded or loaded. */
static void test_entities(void)
{
	struct timespec t0, t1;
	hx_error err;
	got g;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = load(&g, "billion-laughs.tmx", NULL, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ok(rc == HX_EFORMAT && strstr(err.message, "entit") &&
	       names_line(&err, "billion-laughs.tmx", 18),
	   "billion laughs: refused at the reference (%s)", err.message);
	ok(!any_text_has(&g, "lollol"), "billion laughs: nothing expanded");
	printf("# billion laughs refused in %.3f s\n",
	       (double)(t1.tv_sec - t0.tv_sec) +
		   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	got_free(&g);

	rc = load(&g, "billion-laughs-late.tmx", NULL, &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "declares entity") &&
	       !any_text_has(&g, "lollol"),
	   "billion laughs after 40 units: refused (%s)", err.message);
	got_free(&g);

	rc = load(&g, "xxe-passwd.tmx", NULL, &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "'xxe'"),
	   "external entity: refused (%s)", err.message);
	ok(!any_text_has(&g, "root:"), "/etc/passwd never read into text");
	got_free(&g);

	rc = load(&g, "xxe-parameter.tmx", NULL, &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "'passwd'") &&
	       !any_text_has(&g, "root:"),
	   "external parameter entity: refused (%s)", err.message);
	got_free(&g);

	rc = load(&g, "undeclared-entity.tmx", NULL, &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "nbsp") &&
	       names_line(&err, "undeclared-entity.tmx", 7) && g.n == 0,
	   "undeclared &nbsp; with an unread DTD: refused (%s)", err.message);
	got_free(&g);

	rc = load(&g, "predefined-redeclared.tmx", NULL, &err);
	ok(rc == HX_OK && g.n == 1 && !strcmp(g.u[0].tuvs[0].text, "R&D < 20%"),
	   "redeclared &lt; &amp; (XML 1.0 4.6) read as predefined (%s)",
	   err.message);
	got_free(&g);
}

/* ---- the callback, stdin, memory -------------------------------------- */

/* The caller's own libxml2 error handler: the read must neither call it
 * nor lose it, and the callback runs with it in place. */
static int caller_handler_calls;

#if LIBXML_VERSION >= 21200
static void caller_handler(void *ctx, const xmlError *e)
#else
static void caller_handler(void *ctx, xmlErrorPtr e)
#endif
{
	(void)ctx;
	(void)e;
	caller_handler_calls++;
}

static int handler_seen(void *payload, const hx_tmx_header_read *h,
			const hx_tmx_unit *tu, hx_error *err)
{
	(void)h;
	(void)tu;
	(void)err;
	*(int *)payload += xmlStructuredError == caller_handler;
	return HX_OK;
}

static void test_callback_and_sources(void)
{
	hx_tmx_read_options o;
	hx_error err;
	size_t len;
	char *data;
	got g;
	int rc, saved, fd, p[2], seen = 0;

	xmlSetStructuredErrorFunc(NULL, caller_handler);
	hx_error_init(&err);
	rc = hx_tmx_read(path_of("test-omegat.tmx"), NULL, handler_seen, &seen,
			 &err);
	ok(rc == HX_OK && seen == 4,
	   "the callback runs with the caller's libxml2 handler (%d of 4)",
	   seen);
	rc = hx_tmx_read(path_of("bad-shift-jis.tmx"), NULL, handler_seen,
			 &seen, &err);
	ok(rc == HX_EFORMAT && caller_handler_calls == 0 &&
	       xmlStructuredError == caller_handler,
	   "a failed read leaves the caller's handler alone (%d calls)",
	   caller_handler_calls);
	xmlSetStructuredErrorFunc(NULL, NULL);

	memset(&g, 0, sizeof(g));
	g.stop_at = 2;
	g.stop_rc = -42;
	hx_error_init(&err);
	rc = hx_tmx_read(path_of("test-omegat.tmx"), NULL, collect, &g, &err);
	ok(rc == -42 && g.n == 2, "callback's status stops the read (%d, %zu)",
	   rc, g.n);
	is_str(err.message, "stopped by test", "the callback's err is kept");
	got_free(&g);

	memset(&g, 0, sizeof(g));
	g.stop_at = 1;
	g.stop_rc = 7;
	rc = hx_tmx_read(path_of("test-omegat.tmx"), NULL, collect, &g, &err);
	ok(rc == 7 && g.n == 1, "a positive status stops it too (%d)", rc);
	got_free(&g);

	/* "-" is standard input: first a regular file, then a pipe. */
	saved = dup(STDIN_FILENO);
	fd = open(path_of("test-omegat.tmx"), O_RDONLY);
	dup2(fd, STDIN_FILENO);
	close(fd);
	memset(&g, 0, sizeof(g));
	rc = hx_tmx_read("-", NULL, collect, &g, &err);
	ok(rc == HX_OK && g.n == 4, "\"-\" reads standard input (%s)",
	   err.message);
	got_free(&g);

	data = slurp(path_of("un-six.tmx"), &len);
	if (pipe(p) == 0) {
		/* Under the pipe's 64 KiB buffer: no writer thread needed. */
		ok(write(p[1], data, len) == (ssize_t)len, "pipe filled");
		close(p[1]);
		dup2(p[0], STDIN_FILENO);
		close(p[0]);
		hx_tmx_read_options_init(&o);
		o.max_input = len - 1;
		memset(&g, 0, sizeof(g));
		hx_error_init(&err);
		rc = hx_tmx_read("-", &o, collect, &g, &err);
		ok(rc == HX_ELIMIT &&
		       !strcmp(err.message, "standard input: larger than "
					    "1961 bytes (max_input)"),
		   "a pipe over max_input: HX_ELIMIT (%s)", err.message);
		got_free(&g);
	}
	dup2(saved, STDIN_FILENO);
	close(saved);

	memset(&g, 0, sizeof(g));
	hx_error_init(&err);
	rc = hx_tmx_read_memory("un-six.tmx", data, len, NULL, collect, &g,
				&err);
	ok(rc == HX_OK && g.n == 2 && g.u[1].ntuvs == 6,
	   "hx_tmx_read_memory (%s)", err.message);
	got_free(&g);
	hx_tmx_read_options_init(&o);
	o.max_input = len - 1;
	rc = hx_tmx_read_memory("un-six.tmx", data, len, &o, collect, &g, &err);
	ok(rc == HX_ELIMIT, "memory over max_input: HX_ELIMIT (%s)",
	   err.message);
	got_free(&g);
	/* Memory that is cut: the message names the name given. */
	rc = hx_tmx_read_memory("cut.tmx", data, len / 2, NULL, collect, &g,
				&err);
	ok(rc == HX_EFORMAT && !strncmp(err.message, "cut.tmx:", 8) &&
	       strstr(err.message, "truncated"),
	   "memory cut in half (%s)", err.message);
	got_free(&g);
	free(data);
}

/* A <seg> of exactly max_seg bytes passes, one more fails; 6400 codes
 * pass (the last is U+F8FF), 6401 do not. */
static void test_limits(void)
{
	static const char head[] =
	    "<tmx version=\"1.4\"><header/><body><tu><tuv xml:lang=\"en\">"
	    "<seg>";
	static const char tail[] = "</seg></tuv></tu></body></tmx>";
	hx_tmx_read_options o;
	size_t cap = 6401 * 5 + 200, n;
	char *doc = malloc(cap);
	hx_error err;
	got g;
	int rc;

	if (!doc) {
		ok(0, "out of memory");
		return;
	}
	hx_tmx_read_options_init(&o);
	is_int(o.max_input, (size_t)4 << 30, "default max_input 4 GiB");
	is_int(o.max_seg, 1 << 20, "default max_seg 1 MiB");

	o.max_seg = 50;
	for (int extra = 0; extra < 2; extra++) {
		n = (size_t)sprintf(doc, "%s", head);
		memset(doc + n, 'a', 50 + (size_t)extra);
		n += 50 + (size_t)extra;
		n += (size_t)sprintf(doc + n, "%s", tail);
		memset(&g, 0, sizeof(g));
		hx_error_init(&err);
		rc = hx_tmx_read_memory("limit.tmx", doc, n, &o, collect, &g,
					&err);
		if (!extra)
			ok(rc == HX_OK && g.n == 1 && g.u[0].tuvs[0].len == 50,
			   "a <seg> of max_seg bytes reads (%s)", err.message);
		else
			ok(rc == HX_ELIMIT &&
			       !strcmp(err.message, "limit.tmx:1: <seg> "
						    "longer than 50 bytes "
						    "(max_seg)"),
			   "one byte more: HX_ELIMIT (%s)", err.message);
		got_free(&g);
	}

	for (int extra = 0; extra < 2; extra++) {
		n = (size_t)sprintf(doc, "%s", head);
		for (int i = 0; i < 6400 + extra; i++)
			n += (size_t)sprintf(doc + n, "<ph/>");
		n += (size_t)sprintf(doc + n, "%s", tail);
		memset(&g, 0, sizeof(g));
		hx_error_init(&err);
		rc = hx_tmx_read_memory("codes.tmx", doc, n, NULL, collect, &g,
					&err);
		if (!extra)
			ok(rc == HX_OK && g.n == 1 &&
			       g.u[0].tuvs[0].ncodes == 6400 &&
			       g.u[0].tuvs[0].len == 6400 * 3 &&
			       !strcmp(g.u[0].tuvs[0].text + 6399 * 3,
				       "\xEF\xA3\xBF"),
			   "6400 codes: the last placeholder is U+F8FF (%s)",
			   err.message);
		else
			ok(rc == HX_ELIMIT && strstr(err.message, "6400"),
			   "6401 codes: HX_ELIMIT (%s)", err.message);
		got_free(&g);
	}
	free(doc);

	/* A <tu> of 300,000 empty <tuv>s: no string is long, the unit is
	 * (every element counts toward its 16 MiB). */
	cap = 300000 * 32 + 200;
	if ((doc = malloc(cap))) {
		n = (size_t)sprintf(doc, "<tmx><body><tu>");
		for (int i = 0; i < 300000; i++)
			n += (size_t)sprintf(
			    doc + n, "<tuv xml:lang=\"en\"><seg/></tuv>");
		n += (size_t)sprintf(doc + n, "</tu></body></tmx>");
		memset(&g, 0, sizeof(g));
		hx_error_init(&err);
		rc = hx_tmx_read_memory("wide.tmx", doc, n, NULL, collect, &g,
					&err);
		ok(rc == HX_ELIMIT &&
		       !strcmp(err.message, "wide.tmx:1: <tu> larger than "
					    "16777216 bytes") &&
		       g.n == 0,
		   "a unit of 300,000 tuvs: HX_ELIMIT (%s)", err.message);
		got_free(&g);
		free(doc);
	}
}

/* ---- our writer's output ---------------------------------------------- */

static void test_round_trip(void)
{
	static const hx_tmx_tuv tuvs1[] = {
	    TUV("en", "R&D <Cascades 2, 3> \"quoted\" 'apos' >> & <<"),
	    TUV("fr", "Tab\there,\ttwice"),
	    TUV("zh", "人人生而自由,在尊严和权利上一律平等。他们赋有理性和良心,"
		      "并应以兄弟关系的精神相对待。"),
	    TUV("ar", "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وقد "
		      "وهبوا عقلاً وضميرًا وعليهم أن يعامل بعضهم بعضًا بروح "
		      "الإخاء."),
	};
	static const hx_tmx_tuv tuvs2[] = {
	    TUV("en", "line one\r\nline two\r\n"), TUV("ru", "  Статья 1 "),
	    TUV("es", "Art\xC3\xAD"
		      "culo 1"),
	    TUV("fr", "Dignite\xCC\x81"), /* NFD in, NFC out */
	};
	static const hx_tmx_prop props[] = {{"x-document", "S/2015/159"},
					    {"x-quote", "a \"b\" & <c>"}};
	const hx_tmx_tu units[] = {
	    {tuvs1, 4, props, 2, "r1"},
	    {tuvs2, 4, NULL, 0, NULL},
	};
	hx_tmx_header h = {.srclang = "en", .creationdate = "20260101T120000Z"};
	hx_tmx_writer *w = NULL;
	char path[1200];
	hx_error err;
	got g;
	int rc;

	snprintf(path, sizeof(path), "%s/round-trip.tmx", scratch);
	hx_error_init(&err);
	rc = hx_tmx_writer_open(&w, path, &h, &err);
	for (size_t i = 0; rc == HX_OK && i < 2; i++)
		rc = hx_tmx_writer_add(w, &units[i], &err);
	if (w)
		rc = rc == HX_OK ? hx_tmx_writer_close(w, &err)
				 : (hx_tmx_writer_free(w), rc);
	is_int(rc, HX_OK, "the writer wrote round-trip.tmx (%s)", err.message);

	memset(&g, 0, sizeof(g));
	rc = hx_tmx_read(path, NULL, collect, &g, &err);
	is_int(rc, HX_OK, "and the reader reads it (%s)", err.message);
	is_int(g.n, 2, "two units");
	is_str(g.hdr[0], "1.4", "version 1.4");
	is_str(g.hdr[6], "hexalign", "creationtool hexalign");
	is_str(g.hdr[8], "20260101T120000Z", "creationdate");
	is_str(g.hdr[1], "en", "srclang");
	if (g.n == 2) {
		const cunit *u = &g.u[0];
		bool same = u->ntuvs == 4;
		for (size_t k = 0; same && k < 4; k++)
			same = !strcmp(u->tuvs[k].lang, tuvs1[k].lang) &&
			       u->tuvs[k].len == tuvs1[k].len &&
			       !memcmp(u->tuvs[k].text, tuvs1[k].text,
				       tuvs1[k].len) &&
			       u->tuvs[k].ncodes == 0;
		ok(same, "unit 1: & < > \" ' tabs, Chinese, Arabic back as "
			 "written");
		is_str(u->tuid, "r1", "unit 1: tuid");
		ok(u->nprops == 2 &&
		       !strcmp(u->props[0], "x-document=S/2015/159") &&
		       !strcmp(u->props[1], "x-quote=a \"b\" & <c>"),
		   "unit 1: props");
		u = &g.u[1];
		is_str(text_of(u, "en"), "line one\r\nline two\r\n",
		       "CRLF survives (the writer escapes CR)");
		is_str(text_of(u, "ru"), "  Статья 1 ", "spaces at the ends");
		is_str(text_of(u, "es"),
		       "Art\xC3\xAD"
		       "culo 1",
		       "Spanish");
		is_str(text_of(u, "fr"), "Dignit\xC3\xA9",
		       "NFD written, NFC read");
		ok(!u->tuid && u->nprops == 0, "unit 2: no tuid, no props");
	}
	got_free(&g);
}

/* ---- 200,000 units in constant memory ---------------------------------- */

typedef struct big {
	size_t n, bad_text, bad_line;
	size_t heap0, heap_peak; /* under ASan: live heap bytes */
	const size_t *lines;	 /* expected line of each <tu> */
	size_t nlines;
	char want[256];
} big;

static int count_big(void *payload, const hx_tmx_header_read *h,
		     const hx_tmx_unit *tu, hx_error *err)
{
	big *b = payload;
	char want[64];

	(void)h;
	(void)err;
	snprintf(want, sizeof(want), "u%zu", b->n);
	if (tu->ntuvs != 3 || !tu->tuid || strcmp(tu->tuid, want))
		b->bad_text++;
	else if (b->n % 997 == 0) {
		snprintf(b->want, sizeof(b->want),
			 "第%zu条 人人生而自由,在尊严和权利上一律平等。", b->n);
		if (strcmp(tu->tuvs[1].text, b->want))
			b->bad_text++;
	}
	if (b->n >= b->nlines || tu->line != b->lines[b->n])
		b->bad_line++;
#ifdef UNDER_ASAN
	if (b->n % 1000 == 0) {
		size_t now = __sanitizer_get_current_allocated_bytes();
		if (now > b->heap_peak)
			b->heap_peak = now;
	}
#endif
	b->n++;
	return HX_OK;
}

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* The line of each "<tu" start tag, straight from the bytes. */
static size_t *tu_lines(const char *path, size_t want, size_t *n)
{
	FILE *f = fopen(path, "r");
	size_t *out = calloc(want + 1, sizeof(*out)), line = 0;
	char buf[4096];

	*n = 0;
	while (f && fgets(buf, sizeof(buf), f)) {
		const char *p = buf + strspn(buf, " ");
		line++;
		if (!strncmp(p, "<tu ", 4) || !strncmp(p, "<tu>", 4)) {
			if (*n < want)
				out[*n] = line;
			(*n)++;
		}
	}
	if (f)
		fclose(f);
	return out;
}

static void test_constant_memory(void)
{
	const size_t N = 200000;
	hx_tmx_header h = {.srclang = "en"};
	struct timespec t0, t1;
	hx_tmx_writer *w = NULL;
	char path[1200], en[256], zh[256], ar[256], tuid[32];
	long before, after;
	size_t nlines;
	size_t *lines;
	hx_error err;
	big b;
	got g;
	int rc;
	double secs;

	snprintf(path, sizeof(path), "%s/big.tmx", scratch);
	hx_error_init(&err);
	rc = hx_tmx_writer_open(&w, path, &h, &err);
	for (size_t i = 0; rc == HX_OK && i < N; i++) {
		hx_tmx_tuv tuvs[3] = {
		    {"en", en, 0}, {"zh", zh, 0}, {"ar", ar, 0}};
		hx_tmx_tu tu = {tuvs, 3, NULL, 0, tuid};
		snprintf(tuid, sizeof(tuid), "u%zu", i);
		tuvs[0].len = (size_t)snprintf(
		    en, sizeof(en),
		    "Article %zu: all human beings are born free and equal in "
		    "dignity and rights.",
		    i);
		tuvs[1].len = (size_t)snprintf(
		    zh, sizeof(zh),
		    "第%zu条 人人生而自由,在尊严和权利上一律平等。", i);
		tuvs[2].len = (size_t)snprintf(
		    ar, sizeof(ar), "المادة %zu: يولد جميع الناس أحرارًا", i);
		rc = hx_tmx_writer_add(w, &tu, &err);
	}
	if (w)
		rc = rc == HX_OK ? hx_tmx_writer_close(w, &err)
				 : (hx_tmx_writer_free(w), rc);
	is_int(rc, HX_OK, "200,000 units written (%s)", err.message);
	lines = tu_lines(path, N, &nlines);
	ok(nlines == N && lines[N - 1] > 10 * 65535,
	   "the file has %zu <tu>, the last at line %zu", nlines, lines[N - 1]);

	/* Warm up: ICU's normalisation data and libxml2's tables are
	 * loaded once per process and are not the reader's to answer for. */
	load(&g, "un-six.tmx", NULL, &err);
	got_free(&g);

	memset(&b, 0, sizeof(b));
	b.lines = lines;
	b.nlines = nlines;
	before = maxrss_kb();
#ifdef UNDER_ASAN
	b.heap0 = b.heap_peak = __sanitizer_get_current_allocated_bytes();
#endif
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = hx_tmx_read(path, NULL, count_big, &b, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	after = maxrss_kb();
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	is_int(rc, HX_OK, "the 200,000-unit file reads (%s)", err.message);
	ok(b.n == N && b.bad_text == 0,
	   "every unit, in order, texts right (%zu units, %zu wrong)", b.n,
	   b.bad_text);
	ok(b.bad_line == 0,
	   "every unit's line is its <tu>'s, past line 65535 too (%zu wrong)",
	   b.bad_line);
#ifdef UNDER_ASAN
	/* ASan's quarantine holds freed memory back on purpose, so the
	 * peak RSS measures ASan; its count of live heap bytes, sampled
	 * every 1000 units, measures the reader. */
	ok(b.heap_peak - b.heap0 < 20u << 20,
	   "live heap grew by %zu KiB at most reading 200,000 units (< 20 "
	   "MiB; RSS, which ASan inflates, by %ld KiB)",
	   (b.heap_peak - b.heap0) >> 10, after - before);
#else
	if (UNDER_VALGRIND())
		printf("ok %d - peak RSS # SKIP under valgrind (grew %ld "
		       "KiB)\n",
		       ++tap_n, after - before);
	else
		ok(after - before < 20 * 1024,
		   "peak RSS grew by %ld KiB reading 200,000 units (< 20 "
		   "MiB)",
		   after - before);
#endif
	printf("# read %zu units in %.2f s: %.0f units/s\n", b.n, secs,
	       secs > 0 ? (double)b.n / secs : 0.0);
	free(lines);
	unlink(path);
}

/* ---- main ---------------------------------------------------------- */

static int rm_entry(const char *p, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* What the header-props callback saw, unit by unit. */
struct hprops_seen {
	size_t units, nprops, unit_props;
	char first[3][64];
	bool stable; /* the same props, unchanged, at every unit */
};

static int on_hprops(void *payload, const hx_tmx_header_read *h,
		     const hx_tmx_unit *tu, hx_error *err)
{
	struct hprops_seen *c = payload;
	(void)err;
	if (!c->units++) {
		c->nprops = h->nprops;
		for (size_t i = 0; i < h->nprops && i < 3; i++)
			snprintf(c->first[i], sizeof(c->first[i]), "%s=%s",
				 h->props[i].type, h->props[i].value);
		c->stable = true;
	} else {
		for (size_t i = 0; i < h->nprops && i < 3; i++) {
			char b[64];
			snprintf(b, sizeof(b), "%s=%s", h->props[i].type,
				 h->props[i].value);
			c->stable &= !strcmp(b, c->first[i]);
		}
		c->stable &= h->nprops == c->nprops;
	}
	c->unit_props += tu->nprops;
	return HX_OK;
}

/* The header's props reach the callback with every unit (hexalign align
 * names its files and the document symbol there); its notes and <ude>s
 * do not, and they are not taken for the units' own. */
static void test_header_props(void)
{
	static const char doc[] =
	    "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header "
	    "srclang=\"en\" segtype=\"sentence\" o-tmf=\"x\" "
	    "adminlang=\"en\" datatype=\"plaintext\" creationtool=\"t\" "
	    "creationtoolversion=\"1\">"
	    "<note>not a prop</note>"
	    "<prop type=\"x-source-file-en\">C26-15-E.docx</prop>"
	    "<ude name=\"u\"><map unicode=\"#xE000\" code=\"#x01\"/></ude>"
	    "<prop type=\"x-document-symbol\">C26/15 &amp; Add.1</prop>"
	    "<prop>no type</prop></header><body>"
	    "<tu><prop type=\"x-score-zh\">0.40</prop>"
	    "<tuv xml:lang=\"en\"><seg>a</seg></tuv>"
	    "<tuv xml:lang=\"zh\"><seg>b</seg></tuv></tu>"
	    "<tu><tuv xml:lang=\"en\"><seg>c</seg></tuv></tu>"
	    "</body></tmx>";
	struct hprops_seen c = {0};
	hx_error err;

	hx_error_init(&err);
	is_int(hx_tmx_read_memory("hprops.tmx", doc, sizeof(doc) - 1, NULL,
				  on_hprops, &c, &err),
	       HX_OK, "header props: read (%s)", err.message);
	is_int(c.units, 2, "header props: two units");
	is_int(c.nprops, 3, "header props: three, notes and ude left out");
	is_str(c.first[0], "x-source-file-en=C26-15-E.docx",
	       "header props: the file name");
	is_str(c.first[1], "x-document-symbol=C26/15 & Add.1",
	       "header props: the symbol, unescaped");
	is_str(c.first[2], "=no type", "header props: a prop without type");
	ok(c.stable, "header props: the same with every unit");
	is_int(c.unit_props, 1, "header props: not among the units' own");
}

int main(int argc, char **argv)
{
	char errpath[1200];
	const char *tmp = getenv("TMPDIR");
	int saved_err, fd;
	struct stat st;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DATA/TMX\n", argv[0]);
		return 2;
	}
	snprintf(rdir, sizeof(rdir), "%s/read", argv[1]);
	snprintf(scratch, sizeof(scratch), "%s/hx-tmx-read-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(scratch)) {
		perror(scratch);
		return 1;
	}
	/* Whatever reaches stderr from here on is a library printing. */
	snprintf(errpath, sizeof(errpath), "%s/stderr", scratch);
	fflush(stderr);
	saved_err = dup(STDERR_FILENO);
	fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, STDERR_FILENO);
	close(fd);

	test_constant_memory();
	test_omegat();
	test_omegat_invalid();
	test_compliance_kit();
	test_okapi();
	test_codes();
	test_encodings();
	test_bad_input();
	test_entities();
	test_callback_and_sources();
	test_limits();
	test_round_trip();
	test_header_props();

	fflush(stderr);
	dup2(saved_err, STDERR_FILENO);
	close(saved_err);
	ok(stat(errpath, &st) == 0 && st.st_size == 0,
	   "nothing was printed on stderr (%lld bytes)", (long long)st.st_size);
	if (st.st_size) {
		size_t len;
		char *s = slurp(errpath, &len);
		printf("# stderr: %.500s\n", s ? s : "");
		free(s);
	}
	nftw(scratch, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	return done_testing();
}
