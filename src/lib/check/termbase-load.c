/*
 * termbase-load.c - reading a term base file: the size limit, the format
 * (TBX when it starts with '<', else TSV), and the TSV reader that editors'
 * spreadsheets need (UTF-8 or UTF-16 with BOM, CRLF, quoted fields, #
 * comments). What a reader finds goes into the store through
 * termbase-private.h, which applies the rules every format shares.
 */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <hexalign/termbase.h>

#include "base/error-private.h"
#include "base/text.h"
#include "check/termbase-private.h"
#include "check/termbase-tbx.h"

#define DEFAULT_MAX_INPUT ((size_t)256 << 20)

void hx_termbase_options_init(hx_termbase_options *opts)
{
	assert(opts);
	memset(opts, 0, sizeof(*opts));
	opts->format = HX_TERMBASE_AUTO;
	opts->max_input = DEFAULT_MAX_INPUT;
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
			    hx__tb_name(tb), line, hx__tb_clip(clip, 41, name));
		if (col[k] >= 0)
			return hx__error_set(err, HX_EFORMAT,
					     "%s:%zu: column '%s' twice in the "
					     "header",
					     hx__tb_name(tb), line,
					     col_names[k]);
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
			    hx__tb_name(tb), line, col_names[k]);
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
		    hx__tb_name(tb), line, nf, nf == 1 ? "" : "s", need + 1);
	for (int k = 0; k < NCOLS; k++)
		v[k] = col[k] >= 0 && (size_t)col[k] < nf && *f[col[k]]
			   ? f[col[k]]
			   : NULL;
	for (int k = COL_CONCEPT; k <= COL_LANG; k++)
		if (!v[k])
			return hx__error_set(
			    err, HX_EFORMAT, "%s:%zu: empty %s field",
			    hx__tb_name(tb), line, col_names[k]);
	if ((rc = hx__tb_concept_by_id(tb, v[COL_CONCEPT], &c, err)) < 0)
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
					     hx__tb_name(tb), line);
		if (!hx__utf8_valid(p, n, &bad))
			return hx__error_set(
			    err, HX_EFORMAT,
			    "%s:%zu: invalid UTF-8 at byte %zu "
			    "of the line (save the file as "
			    "UTF-8)",
			    hx__tb_name(tb), line, bad + 1);
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
			return hx__error_set(err, HX_ENOMEM,
					     "%s: out of memory",
					     hx__tb_name(tb));
		if (rc < 0)
			return hx__error_set(err, HX_EFORMAT,
					     "%s: invalid UTF-16 (unpaired "
					     "surrogate at byte %zu)",
					     hx__tb_name(tb), bad + 2);
	} else {
		if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
			data += 3, n -= 3;
		if (!(copy = malloc(n + 1)))
			return hx__error_set(err, HX_ENOMEM,
					     "%s: out of memory",
					     hx__tb_name(tb));
		memcpy(copy, data, n);
		copy[n] = '\0';
	}
	rc = tsv_read(tb, copy, n, err);
	free(copy);
	return rc;
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
	if ((rc = hx__tb_new(&tb, name, err)) < 0)
		goto fail;
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
	if (!hx_termbase_count(tb)) {
		rc = hx__error_set(err, HX_EFORMAT, "%s: no terms in the file",
				   name);
		goto fail;
	}
	if ((rc = hx__tb_finish(tb, err)) < 0)
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
