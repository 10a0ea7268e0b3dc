/*
 * termbase.c - the term base: storage, the rules every format shares
 * (language codes, statuses, white space, NFC), the TSV reader, and the
 * look-ups. TBX parsing is in termbase-tbx.c. This module does not search
 * text for terms (termmatch.c) and does not write term bases.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <hexalign/termbase.h>
#include <hexalign/tm.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "base/text.h"
#include "check/termbase-private.h"

#define DEFAULT_MAX_INPUT ((size_t)256 << 20)
#define POOL_CHUNK	  ((size_t)64 << 10)

/* Strings live in chunks that never move, so hx_term can point into
 * them while the term base grows. */
typedef struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
} chunk;

typedef struct concept {
	const char *id;
	size_t first, n; /* into terms, once sorted */
}
concept;

struct hx_termbase {
	char *name;
	chunk *pool;
	hx_term *terms;
	size_t nterms, cterms;
	concept *concepts;
	size_t nconcepts, cconcepts;
	const char **langs;
	size_t nlangs, clangs;
	/* TSV rows find their concept by id: open addressing, 1-based
	 * concept indexes, 0 empty. */
	size_t *ids;
	size_t cids;
};

void hx_termbase_options_init(hx_termbase_options *opts)
{
	assert(opts);
	memset(opts, 0, sizeof(*opts));
	opts->format = HX_TERMBASE_AUTO;
	opts->max_input = DEFAULT_MAX_INPUT;
}

const char *hx_term_status_str(hx_term_status status)
{
	switch (status) {
	case HX_TERM_PREFERRED:
		return "preferred";
	case HX_TERM_ADMITTED:
		return "admitted";
	case HX_TERM_DEPRECATED:
		return "deprecated";
	case HX_TERM_SUPERSEDED:
		return "superseded";
	case HX_TERM_UNSPECIFIED:
		break;
	}
	return "unspecified";
}

/* ---- storage ------------------------------------------------------------ */

/* A NUL-terminated copy of s[0..n) in the pool, or NULL without memory. */
static char *pool_dup(hx_termbase *tb, const char *s, size_t n)
{
	chunk *c = tb->pool;
	char *p;

	if (n >= SIZE_MAX - sizeof(chunk) - POOL_CHUNK)
		return NULL;
	if (!c || c->size - c->used < n + 1) {
		size_t size = n + 1 > POOL_CHUNK ? n + 1 : POOL_CHUNK;
		if (!(c = malloc(sizeof(chunk) + size)))
			return NULL;
		c->next = tb->pool;
		c->used = 0;
		c->size = size;
		tb->pool = c;
	}
	p = c->data + c->used;
	memcpy(p, s, n);
	p[n] = '\0';
	c->used += n + 1;
	return p;
}

const char *hx__tb_name(const hx_termbase *tb)
{
	return tb->name;
}

const char *hx__tb_clip(char *buf, size_t size, const char *s)
{
	size_t n = strlen(s), off = 0, bad;

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memmove(buf, s, n); /* s may be buf */
	buf[n] = '\0';
	/* libxml2 quotes raw input bytes in some messages. */
	while (off < n && !hx__utf8_valid(buf + off, n - off, &bad)) {
		buf[off + bad] = '?';
		off += bad + 1;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20)
			buf[i] = ' ';
	while (n && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return buf;
}

static int nomem(const hx_termbase *tb, hx_error *err)
{
	return hx__error_set(err, HX_ENOMEM, "%s: out of memory", tb->name);
}

int hx__tb_concept_new(hx_termbase *tb, const char *id, size_t *c,
		       hx_error *err)
{
	char num[32];
	concept *k;

	if (hx__grow((void **)&tb->concepts, &tb->cconcepts, tb->nconcepts + 1,
		     sizeof(*tb->concepts)) < 0)
		return nomem(tb, err);
	if (!id || !*id) {
		snprintf(num, sizeof(num), "#%zu", tb->nconcepts + 1);
		id = num;
	}
	k = &tb->concepts[tb->nconcepts];
	memset(k, 0, sizeof(*k));
	if (!(k->id = pool_dup(tb, id, strlen(id))))
		return nomem(tb, err);
	*c = tb->nconcepts++;
	return HX_OK;
}

static uint64_t fnv64(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The concept with this id, made when it is new (TSV rows). */
static int concept_by_id(hx_termbase *tb, const char *id, size_t *c,
			 hx_error *err)
{
	size_t mask, i;
	int rc;

	if (tb->nconcepts + 1 > tb->cids / 2) {
		size_t n = tb->cids ? tb->cids * 2 : 64;
		size_t *ids = calloc(n, sizeof(*ids));
		if (!ids)
			return nomem(tb, err);
		for (size_t k = 0; k < tb->cids; k++) {
			size_t v = tb->ids[k];
			if (!v)
				continue;
			for (i = fnv64(tb->concepts[v - 1].id) & (n - 1);
			     ids[i]; i = (i + 1) & (n - 1))
				;
			ids[i] = v;
		}
		free(tb->ids);
		tb->ids = ids;
		tb->cids = n;
	}
	mask = tb->cids - 1;
	for (i = fnv64(id) & mask; tb->ids[i]; i = (i + 1) & mask)
		if (!strcmp(tb->concepts[tb->ids[i] - 1].id, id)) {
			*c = tb->ids[i] - 1;
			return HX_OK;
		}
	if ((rc = hx__tb_concept_new(tb, id, c, err)) < 0)
		return rc;
	tb->ids[i] = *c + 1;
	return HX_OK;
}

/* The language's one stored copy, so that terms can share it and callers
 * can compare codes with strcmp(). */
static const char *lang_intern(hx_termbase *tb, const char *raw)
{
	char norm[32];
	char *p;

	hx_tm_lang_norm(norm, sizeof(norm), raw);
	for (size_t i = 0; i < tb->nlangs; i++)
		if (!strcmp(tb->langs[i], norm))
			return tb->langs[i];
	if (hx__grow((void **)&tb->langs, &tb->clangs, tb->nlangs + 1,
		     sizeof(*tb->langs)) < 0 ||
	    !(p = pool_dup(tb, norm, strlen(norm))))
		return NULL;
	return tb->langs[tb->nlangs++] = p;
}

/*
 * Copy s into the pool with white space runs made one space and the ends
 * trimmed (TBX files are pretty-printed: a term or a definition may be
 * broken over lines), in NFC. "" and NULL give NULL; *bad is set when s
 * is not UTF-8 (callers then name the line).
 */
static int tidy_dup(hx_termbase *tb, const char *s, const char **out, bool *bad)
{
	size_t len, i = 0, n = 0, at;
	char *tmp, *nfc = NULL;
	bool space = false;
	int rc;

	*out = NULL;
	*bad = false;
	if (!s || !*s)
		return HX_OK;
	len = strlen(s);
	if (!hx__utf8_valid(s, len, &at)) {
		*bad = true;
		return HX_EFORMAT;
	}
	if (!(tmp = malloc(len + 1)))
		return HX_ENOMEM;
	while (i < len) {
		size_t start = i;
		uint32_t c = hx__utf8_next(s, len, &i);
		if (hx__is_space(c)) {
			space = n > 0;
			continue;
		}
		if (space)
			tmp[n++] = ' ';
		space = false;
		memcpy(tmp + n, s + start, i - start);
		n += i - start;
	}
	if (n == 0) {
		free(tmp);
		return HX_OK;
	}
	if ((rc = hx__nfc(&nfc, &len, tmp, n)) < 0) {
		free(tmp);
		return rc;
	}
	*out = pool_dup(tb, nfc, len);
	free(nfc);
	free(tmp);
	return *out ? HX_OK : HX_ENOMEM;
}

/*
 * A status as TBX or a person writes it. ISO 12620's picklist values end
 * in "Term-admn-sts" (preferredTerm-admn-sts); TBX-Basic v3 and TSV files
 * use the bare words; normativeAuthorization uses "preferredTerm". The
 * normative values (standardized, legal, regulated: a standards body or a
 * law requires the term) are what an editor must use, so preferred.
 */
static bool status_parse(const char *s, hx_term_status *st)
{
	static const struct {
		const char *word;
		hx_term_status st;
	} words[] = {
	    {"preferred", HX_TERM_PREFERRED},
	    {"admitted", HX_TERM_ADMITTED},
	    {"deprecated", HX_TERM_DEPRECATED},
	    {"superseded", HX_TERM_SUPERSEDED},
	    {"standardized", HX_TERM_PREFERRED},
	    {"legal", HX_TERM_PREFERRED},
	    {"regulated", HX_TERM_PREFERRED},
	};
	char w[40];
	size_t n = strlen(s);

	if (n >= sizeof(w))
		return false;
	memcpy(w, s, n + 1);
	if (n > 9 && !strcasecmp(w + n - 9, "-admn-sts"))
		w[n -= 9] = '\0';
	if (n > 4 && !strcasecmp(w + n - 4, "term"))
		w[n -= 4] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcasecmp(w, words[i].word)) {
			*st = words[i].st;
			return true;
		}
	return false;
}

int hx__tb_term_add(hx_termbase *tb, size_t c, const hx__term_in *in,
		    hx_error *err)
{
	const char **fields[8];
	const char *raw[8] = {in->text,	      in->status, in->pos,     in->type,
			      in->definition, in->note,	  in->context, NULL};
	char a[64], b[96];
	hx_term *t;
	bool bad;
	int rc;

	assert(c < tb->nconcepts && in->lang && in->text);
	if (hx__grow((void **)&tb->terms, &tb->cterms, tb->nterms + 1,
		     sizeof(*tb->terms)) < 0)
		return nomem(tb, err);
	t = &tb->terms[tb->nterms];
	memset(t, 0, sizeof(*t));
	fields[0] = &t->text;
	fields[1] = &t->status_text;
	fields[2] = &t->pos;
	fields[3] = &t->type;
	fields[4] = &t->definition;
	fields[5] = &t->note;
	fields[6] = &t->context;
	for (int f = 0; f < 7; f++) {
		if ((rc = tidy_dup(tb, raw[f], fields[f], &bad)) == HX_OK)
			continue;
		if (bad)
			return hx__error_set(err, HX_EFORMAT,
					     "%s:%zu: invalid UTF-8", tb->name,
					     in->line);
		return rc == HX_ENOMEM ? nomem(tb, err)
				       : hx__error_set(err, rc,
						       "%s:%zu: cannot be "
						       "normalised to NFC",
						       tb->name, in->line);
	}
	if (!t->text)
		return hx__error_set(err, HX_EFORMAT, "%s:%zu: empty term",
				     tb->name, in->line);
	if (t->status_text && !status_parse(t->status_text, &t->status))
		return hx__error_set(
		    err, HX_EFORMAT,
		    "%s:%zu: unknown status '%s' of term '%s' (expected "
		    "preferred, admitted, deprecated or superseded, or a TBX "
		    "value such as deprecatedTerm-admn-sts)",
		    tb->name, in->line, hx__tb_clip(a, 61, t->status_text),
		    hx__tb_clip(b, 81, t->text));
	if (!*in->lang)
		return hx__error_set(
		    err, HX_EFORMAT, "%s:%zu: term '%s' without a language",
		    tb->name, in->line, hx__tb_clip(b, 81, t->text));
	/* BCP 47 tags are ASCII letters, digits and hyphens (RFC 5646
	 * section 2.1; '_' as POSIX locales write it is taken too). */
	if (strspn(in->lang,
		   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"
		   "YZ0123456789-_") != strlen(in->lang) ||
	    strlen(in->lang) > 35)
		return hx__error_set(err, HX_EFORMAT,
				     "%s:%zu: '%s' is not a language code "
				     "(expected a BCP 47 tag such as en, "
				     "zh-CN)",
				     tb->name, in->line,
				     hx__tb_clip(a, 41, in->lang));
	if (!(t->lang = lang_intern(tb, in->lang)))
		return nomem(tb, err);
	t->len = strlen(t->text);
	t->concept = tb->concepts[c].id;
	t->concept_index = c;
	t->line = in->line;
	tb->nterms++;
	return HX_OK;
}

void hx_termbase_free(hx_termbase *tb)
{
	chunk *c, *next;

	if (!tb)
		return;
	for (c = tb->pool; c; c = next) {
		next = c->next;
		free(c);
	}
	free(tb->terms);
	free(tb->concepts);
	free(tb->langs);
	free(tb->ids);
	free(tb->name);
	free(tb);
}

/* ---- TSV ---------------------------------------------------------------- */

enum {
	COL_CONCEPT,
	COL_LANG,
	COL_TERM,
	COL_STATUS,
	COL_NOTE,
	COL_POS,
	COL_DEF,
	NCOLS
};

static const char *const col_names[NCOLS] = {
    "concept", "language", "term", "status", "note", "pos", "definition",
};

#define MAX_FIELDS 64

/* Split line (NUL-terminated, modified in place) at tabs. A field a
 * spreadsheet quoted ("a ""b""") is unquoted. */
static size_t split(char *line, char **f)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		char *tab = strchr(p, '\t');
		if (tab)
			*tab = '\0';
		if (n < MAX_FIELDS) {
			size_t len = strlen(p);
			if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
				char *w = p, *r = p + 1;
				p[len - 1] = '\0';
				while (*r) {
					if (r[0] == '"' && r[1] == '"')
						r++;
					*w++ = *r++;
				}
				*w = '\0';
			}
			f[n] = p;
		}
		n++;
		if (!tab)
			return n;
		p = tab + 1;
	}
}

static int tsv_header(hx_termbase *tb, char **f, size_t nf, size_t line,
		      int *col, hx_error *err)
{
	char clip[48];

	for (int k = 0; k < NCOLS; k++)
		col[k] = -1;
	for (size_t i = 0; i < nf && i < MAX_FIELDS; i++) {
		char *name = f[i];
		size_t n = strlen(name);
		int k;
		while (*name == ' ')
			name++, n--;
		while (n && name[n - 1] == ' ')
			name[--n] = '\0';
		if (!n)
			continue;
		if (!strcasecmp(name, "lang"))
			name = "language";
		for (k = 0; k < NCOLS && strcasecmp(name, col_names[k]); k++)
			;
		if (k == NCOLS)
			return hx__error_set(
			    err, HX_EFORMAT,
			    "%s:%zu: unknown column '%s' in the header "
			    "(expected concept, language, term, and optionally "
			    "status, note, pos, definition, tab-separated)",
			    tb->name, line, hx__tb_clip(clip, 41, name));
		if (col[k] >= 0)
			return hx__error_set(err, HX_EFORMAT,
					     "%s:%zu: column '%s' twice in the "
					     "header",
					     tb->name, line, col_names[k]);
		col[k] = (int)i;
	}
	for (int k = COL_CONCEPT; k <= COL_TERM; k++)
		if (col[k] < 0)
			return hx__error_set(
			    err, HX_EFORMAT,
			    "%s:%zu: the header has no '%s' column (a TSV term "
			    "base starts with a line such as "
			    "'concept<TAB>language<TAB>term<TAB>status<TAB>"
			    "note')",
			    tb->name, line, col_names[k]);
	return HX_OK;
}

static int tsv_row(hx_termbase *tb, char **f, size_t nf, size_t line,
		   const int *col, hx_error *err)
{
	const char *v[NCOLS];
	hx__term_in in;
	int need = 0, rc;
	size_t c = 0;

	for (int k = COL_CONCEPT; k <= COL_TERM; k++)
		if (col[k] > need)
			need = col[k];
	if (nf > MAX_FIELDS || nf < (size_t)need + 1)
		return hx__error_set(
		    err, HX_EFORMAT,
		    "%s:%zu: %zu tab-separated field%s, the header asks for "
		    "at least %d (concept, language and term)",
		    tb->name, line, nf, nf == 1 ? "" : "s", need + 1);
	for (int k = 0; k < NCOLS; k++)
		v[k] = col[k] >= 0 && (size_t)col[k] < nf && *f[col[k]]
			   ? f[col[k]]
			   : NULL;
	for (int k = COL_CONCEPT; k <= COL_LANG; k++)
		if (!v[k])
			return hx__error_set(err, HX_EFORMAT,
					     "%s:%zu: empty %s field", tb->name,
					     line, col_names[k]);
	if ((rc = concept_by_id(tb, v[COL_CONCEPT], &c, err)) < 0)
		return rc;
	memset(&in, 0, sizeof(in));
	in.lang = v[COL_LANG];
	in.text = v[COL_TERM] ? v[COL_TERM] : "";
	in.status = v[COL_STATUS];
	in.note = v[COL_NOTE];
	in.pos = v[COL_POS];
	in.definition = v[COL_DEF];
	in.line = line;
	return hx__tb_term_add(tb, c, &in, err);
}

/* data is UTF-8 (BOM already skipped), NUL-terminated at len. */
static int tsv_read(hx_termbase *tb, char *data, size_t len, hx_error *err)
{
	char *f[MAX_FIELDS];
	int col[NCOLS];
	bool header = false;
	size_t line = 0, bad;
	char *p = data, *end = data + len;
	int rc;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *e = nl ? nl : end;
		size_t nf, n;
		line++;
		*e = '\0';
		if (e > p && e[-1] == '\r')
			*--e = '\0';
		n = (size_t)(e - p);
		if (memchr(p, '\0', n))
			return hx__error_set(err, HX_EFORMAT,
					     "%s:%zu: NUL byte (a binary file, "
					     "or UTF-16 without a byte order "
					     "mark?)",
					     tb->name, line);
		if (!hx__utf8_valid(p, n, &bad))
			return hx__error_set(
			    err, HX_EFORMAT,
			    "%s:%zu: invalid UTF-8 at byte %zu "
			    "of the line (save the file as "
			    "UTF-8)",
			    tb->name, line, bad + 1);
		if (p[strspn(p, " \t")] == '\0' || p[0] == '#') {
			p = nl ? nl + 1 : end;
			continue;
		}
		nf = split(p, f);
		if (!header) {
			if ((rc = tsv_header(tb, f, nf, line, col, err)) < 0)
				return rc;
			header = true;
		} else if ((rc = tsv_row(tb, f, nf, line, col, err)) < 0) {
			return rc;
		}
		p = nl ? nl + 1 : end;
	}
	return HX_OK;
}

/* ---- loading ------------------------------------------------------------ */

static bool is_utf16_bom(const unsigned char *d, size_t len)
{
	return len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) ||
			    (d[0] == 0xFE && d[1] == 0xFF));
}

/* XML starts with '<' after a BOM and white space, in UTF-8 or UTF-16. */
static bool looks_xml(const unsigned char *d, size_t len)
{
	size_t i = 0, step = 1;

	if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
		i = 3;
	else if (is_utf16_bom(d, len))
		i = 2, step = 2;
	for (; i + step <= len; i += step) {
		unsigned c = d[i];
		if (step == 2) /* the character's low byte, either order */
			c = d[0] == 0xFF ? d[i] | d[i + 1] << 8
					 : d[i + 1] | d[i] << 8;
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return c == '<';
	}
	return false;
}

static int tsv_load(hx_termbase *tb, const char *data, size_t len,
		    hx_error *err)
{
	const unsigned char *d = (const unsigned char *)data;
	char *copy = NULL;
	size_t n = len, bad;
	int rc;

	if (is_utf16_bom(d, len)) {
		rc = hx__utf16_to_utf8(&copy, &n, d + 2, len - 2, d[0] == 0xFE,
				       &bad);
		if (rc == HX_ENOMEM)
			return nomem(tb, err);
		if (rc < 0)
			return hx__error_set(err, HX_EFORMAT,
					     "%s: invalid UTF-16 (unpaired "
					     "surrogate at byte %zu)",
					     tb->name, bad + 2);
	} else {
		if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
			data += 3, n -= 3;
		if (!(copy = malloc(n + 1)))
			return nomem(tb, err);
		memcpy(copy, data, n);
		copy[n] = '\0';
	}
	rc = tsv_read(tb, copy, n, err);
	free(copy);
	return rc;
}

/* Group the terms by concept, so a concept's terms are one run, keeping
 * file order inside each (a counting sort: stable, and linear). Concepts
 * without a term (a TBX entry with only a definition) stay, empty. */
static int finish(hx_termbase *tb, hx_error *err)
{
	hx_term *sorted;
	size_t at = 0;

	for (size_t i = 0; i < tb->nterms; i++)
		tb->concepts[tb->terms[i].concept_index].n++;
	for (size_t c = 0; c < tb->nconcepts; c++) {
		tb->concepts[c].first = at;
		at += tb->concepts[c].n;
		tb->concepts[c].n = 0;
	}
	if (!(sorted = malloc(tb->nterms * sizeof(*sorted))))
		return nomem(tb, err);
	for (size_t i = 0; i < tb->nterms; i++) {
		concept *k = &tb->concepts[tb->terms[i].concept_index];
		sorted[k->first + k->n++] = tb->terms[i];
	}
	free(tb->terms);
	tb->terms = sorted;
	tb->cterms = tb->nterms;
	return HX_OK;
}

/* Nothing but a byte order mark and white space (in UTF-8 or UTF-16). */
static bool is_blank(const unsigned char *d, size_t len)
{
	bool utf16 = is_utf16_bom(d, len);
	size_t i = utf16 ? 2 : 0;

	if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
		i = 3;
	for (; i < len; i++)
		if (!(d[i] == ' ' || d[i] == '\t' || d[i] == '\r' ||
		      d[i] == '\n' || (utf16 && d[i] == 0)))
			return false;
	return true;
}

int hx_termbase_load_memory(hx_termbase **out, const char *name,
			    const char *data, size_t len,
			    const hx_termbase_options *opts, hx_error *err)
{
	hx_termbase_options def;
	const unsigned char *d = (const unsigned char *)data;
	hx_termbase *tb = NULL;
	hx_termbase_format format;
	int rc;

	assert(out && name && (data || !len));
	*out = NULL;
	if (!opts) {
		hx_termbase_options_init(&def);
		opts = &def;
	}
	if (len > opts->max_input)
		return hx__error_set(err, HX_ELIMIT,
				     "%s: larger than %zu bytes (max_input)",
				     name, opts->max_input);
	if (!(tb = calloc(1, sizeof(*tb))) || !(tb->name = strdup(name))) {
		rc = hx__error_set(err, HX_ENOMEM, "%s: out of memory", name);
		goto fail;
	}
	if (is_blank(d, len)) {
		rc = hx__error_set(err, HX_EFORMAT, "%s: empty file", name);
		goto fail;
	}
	format = opts->format;
	if (format == HX_TERMBASE_AUTO)
		format = looks_xml(d, len) ? HX_TERMBASE_TBX : HX_TERMBASE_TSV;
	rc = format == HX_TERMBASE_TBX ? hx__tbx_read(tb, data, len, err)
				       : tsv_load(tb, data, len, err);
	if (rc < 0)
		goto fail;
	if (!tb->nterms) {
		rc = hx__error_set(err, HX_EFORMAT, "%s: no terms in the file",
				   name);
		goto fail;
	}
	if ((rc = finish(tb, err)) < 0)
		goto fail;
	*out = tb;
	return HX_OK;
fail:
	hx_termbase_free(tb);
	return rc;
}

int hx_termbase_load(hx_termbase **out, const char *path,
		     const hx_termbase_options *opts, hx_error *err)
{
	hx_termbase_options def;
	FILE *f = NULL;
	char *data = NULL;
	size_t len = 0, cap = 0, got;
	struct stat st;
	int rc;

	assert(out && path);
	*out = NULL;
	if (!opts) {
		hx_termbase_options_init(&def);
		opts = &def;
	}
	if (!(f = fopen(path, "rb"))) {
		int e = errno;
		return hx__error_set(
		    err, e == ENOENT || e == ENOTDIR ? HX_ENOTFOUND : HX_EIO,
		    "%s: cannot open (%s)", path, strerror(e));
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = hx__error_set(err, HX_EIO, "%s: is a directory", path);
		goto fail;
	}
	do {
		if (len == cap) {
			char *p;
			if (cap > opts->max_input) {
				rc = hx__error_set(err, HX_ELIMIT,
						   "%s: larger than %zu bytes "
						   "(max_input)",
						   path, opts->max_input);
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			if (!(p = realloc(data, cap))) {
				rc = hx__error_set(err, HX_ENOMEM,
						   "%s: out of memory", path);
				goto fail;
			}
			data = p;
		}
		got = fread(data + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	if (ferror(f)) {
		rc = hx__error_set(err, HX_EIO, "%s: read failed", path);
		goto fail;
	}
	rc = hx_termbase_load_memory(out, path, data, len, opts, err);
fail:
	fclose(f);
	free(data);
	return rc;
}

/* ---- look-ups ----------------------------------------------------------- */

size_t hx_termbase_count(const hx_termbase *tb)
{
	assert(tb);
	return tb->nterms;
}

const hx_term *hx_termbase_term(const hx_termbase *tb, size_t i)
{
	assert(tb && i < tb->nterms);
	return &tb->terms[i];
}

size_t hx_termbase_concept_count(const hx_termbase *tb)
{
	assert(tb);
	return tb->nconcepts;
}

const char *hx_termbase_concept_id(const hx_termbase *tb, size_t c)
{
	assert(tb && c < tb->nconcepts);
	return tb->concepts[c].id;
}

size_t hx_termbase_concept_terms(const hx_termbase *tb, size_t c, size_t *n)
{
	assert(tb && c < tb->nconcepts && n);
	*n = tb->concepts[c].n;
	return tb->concepts[c].first;
}

size_t hx_termbase_lang_count(const hx_termbase *tb)
{
	assert(tb);
	return tb->nlangs;
}

const char *hx_termbase_lang(const hx_termbase *tb, size_t i)
{
	assert(tb && i < tb->nlangs);
	return tb->langs[i];
}

bool hx_termbase_has_lang(const hx_termbase *tb, const char *lang)
{
	char norm[32];

	assert(tb && lang);
	hx_tm_lang_norm(norm, sizeof(norm), lang);
	for (size_t i = 0; i < tb->nlangs; i++)
		if (!strcmp(tb->langs[i], norm))
			return true;
	return false;
}

int hx_termbase_require_lang(const hx_termbase *tb, const char *lang,
			     hx_error *err)
{
	char have[256] = "", want[24];
	size_t n = 0;

	assert(tb && lang);
	if (hx_termbase_has_lang(tb, lang))
		return HX_OK;
	for (size_t i = 0; i < tb->nlangs && n < sizeof(have) - 1; i++) {
		int w = snprintf(have + n, sizeof(have) - n, "%s%s",
				 i ? ", " : "", tb->langs[i]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	return hx__error_set(err, HX_ENOTFOUND,
			     "%s: no terms in '%s' (the term base has %s)",
			     tb->name, hx__tb_clip(want, 21, lang), have);
}

const hx_term *hx_termbase_preferred(const hx_termbase *tb, size_t c,
				     const char *lang)
{
	const hx_term *usable = NULL;
	const concept *k;
	char norm[32];

	assert(tb && c < tb->nconcepts && lang);
	hx_tm_lang_norm(norm, sizeof(norm), lang);
	k = &tb->concepts[c];
	for (size_t i = k->first; i < k->first + k->n; i++) {
		const hx_term *t = &tb->terms[i];
		if (strcmp(t->lang, norm))
			continue;
		if (t->status == HX_TERM_PREFERRED)
			return t;
		if (!usable && (t->status == HX_TERM_UNSPECIFIED ||
				t->status == HX_TERM_ADMITTED))
			usable = t;
	}
	return usable;
}

const hx_term *hx_termbase_suggest(const hx_termbase *tb, const hx_term *t)
{
	const concept *k;
	const hx_term *best;

	assert(tb && t && t->concept_index < tb->nconcepts);
	if (t->status == HX_TERM_PREFERRED)
		return NULL;
	k = &tb->concepts[t->concept_index];
	for (size_t i = k->first; i < k->first + k->n; i++) {
		const hx_term *o = &tb->terms[i];
		if (o != t && o->lang == t->lang &&
		    o->status == HX_TERM_PREFERRED && o->type && t->type &&
		    !strcmp(o->type, t->type))
			return o;
	}
	best = hx_termbase_preferred(tb, t->concept_index, t->lang);
	return best == t ? NULL : best;
}
