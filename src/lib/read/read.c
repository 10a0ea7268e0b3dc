/*
 * read/ - files into hx_doc: format detection and the limits every format
 * shares (read.c), one reader per format (read-txt.c, read-docx.c,
 * read-html.c, read-pdf.c), paragraph labels (label.c) and the document itself
 * (doc.c).
 *
 * read.c - the front door of the readers: load a file with a size cap,
 * decide its format (content first, then extension), hand it to the
 * reader for that format. Limits that apply to every format live here.
 */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <hexalign/read.h>

#include "base/error-private.h"
#include "read/read-private.h"

void hx_read_options_init(hx_read_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->format = HX_FORMAT_AUTO;
	opts->max_input = (size_t)256 << 20;
	opts->max_uncompressed = (size_t)512 << 20;
}

int hx_format_parse(const char *name)
{
	if (!strcmp(name, "auto"))
		return HX_FORMAT_AUTO;
	if (!strcmp(name, "txt") || !strcmp(name, "text"))
		return HX_FORMAT_TXT;
	if (!strcmp(name, "docx"))
		return HX_FORMAT_DOCX;
	if (!strcmp(name, "html") || !strcmp(name, "xhtml"))
		return HX_FORMAT_HTML;
	if (!strcmp(name, "pdf"))
		return HX_FORMAT_PDF;
	return -1;
}

static bool has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);
	return n > e && strcasecmp(name + n - e, ext) == 0;
}

/* Case-insensitive prefix test after a BOM and leading white space. */
static bool starts_with_tag(const unsigned char *d, size_t len, const char *tag)
{
	size_t i = 0, t = strlen(tag);

	if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
		i = 3;
	while (i < len &&
	       (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	return len - i >= t && strncasecmp((const char *)d + i, tag, t) == 0;
}

static hx_format sniff(const char *name, const unsigned char *d, size_t len)
{
	if (len >= 4 && memcmp(d, "PK\x03\x04", 4) == 0)
		return HX_FORMAT_DOCX;
	if (len >= 5 && memcmp(d, "%PDF-", 5) == 0)
		return HX_FORMAT_PDF;
	if (has_ext(name, ".docx"))
		return HX_FORMAT_DOCX;
	if (has_ext(name, ".pdf"))
		return HX_FORMAT_PDF;
	if (has_ext(name, ".html") || has_ext(name, ".htm") ||
	    has_ext(name, ".xhtml"))
		return HX_FORMAT_HTML;
	if (starts_with_tag(d, len, "<!doctype html") ||
	    starts_with_tag(d, len, "<html"))
		return HX_FORMAT_HTML;
	if (starts_with_tag(d, len, "<?xml") && len < ((size_t)1 << 30) &&
	    memmem(d, len < 4096 ? len : 4096, "<html", 5))
		return HX_FORMAT_HTML;
	return HX_FORMAT_TXT;
}

int hx_read_memory(hx_doc **out, const char *name, const void *data, size_t len,
		   const hx_read_options *opts, hx_error *err)
{
	hx_read_options defaults;
	hx_doc *doc = NULL;
	hx_format fmt;
	int rc;

	assert(out && name && (data || !len));
	*out = NULL;
	if (!opts) {
		hx_read_options_init(&defaults);
		opts = &defaults;
	}
	if (len == 0)
		return hx__error_set(err, HX_EFORMAT, "%s: empty file", name);
	if (len > opts->max_input)
		return hx__error_set(
		    err, HX_ELIMIT,
		    "%s: file is larger than the limit of %zu bytes", name,
		    opts->max_input);
	if ((rc = hx_doc_new(&doc, name, err)) < 0)
		return rc;
	fmt = opts->format ? opts->format : sniff(name, data, len);
	switch (fmt) {
	case HX_FORMAT_DOCX:
		rc = hx__read_docx(doc, name, data, len, opts, err);
		break;
	case HX_FORMAT_HTML:
		rc = hx__read_html(doc, name, data, len, opts, err);
		break;
	case HX_FORMAT_PDF:
		rc = hx__read_pdf(doc, name, data, len, opts, err);
		break;
	default:
		rc = hx__read_txt(doc, name, data, len, opts, err);
		break;
	}
	if (rc < 0)
		goto fail;
	if (hx_doc_count(doc) == 0) {
		rc = hx__error_set(err, HX_EFORMAT, "%s: no text found", name);
		goto fail;
	}
	*out = doc;
	return HX_OK;
fail:
	hx_doc_free(doc);
	return rc;
}

/* Read all of f, refusing more than max bytes. */
static int slurp(unsigned char **out, size_t *out_len, FILE *f,
		 const char *path, size_t max, hx_error *err)
{
	unsigned char *buf = NULL, *nb;
	size_t cap = 0, len = 0, got;
	int rc;

	*out = NULL;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > max + 1)
				cap = max + 1;
			if (len == cap) {
				rc = hx__error_set(err, HX_ELIMIT,
						   "%s: file is larger than "
						   "the limit of %zu bytes",
						   path, max);
				goto fail;
			}
			if (!(nb = realloc(buf, cap))) {
				rc = hx__error_set(err, HX_ENOMEM,
						   "out of memory");
				goto fail;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f)) {
				rc = hx__error_set(err, HX_EIO, "%s: %s", path,
						   strerror(errno));
				goto fail;
			}
			break;
		}
	}
	if (len > max) {
		rc = hx__error_set(
		    err, HX_ELIMIT,
		    "%s: file is larger than the limit of %zu bytes", path,
		    max);
		goto fail;
	}
	*out = buf;
	*out_len = len;
	return HX_OK;
fail:
	free(buf);
	return rc;
}

int hx_read_file(hx_doc **out, const char *path, const hx_read_options *opts,
		 hx_error *err)
{
	hx_read_options defaults;
	unsigned char *data = NULL;
	size_t len = 0;
	struct stat st;
	FILE *f;
	int rc;

	assert(out && path);
	*out = NULL;
	if (!opts) {
		hx_read_options_init(&defaults);
		opts = &defaults;
	}
	if (strcmp(path, "-") == 0) {
		f = stdin;
	} else {
		if (!(f = fopen(path, "rb")))
			return hx__error_set(
			    err, errno == ENOENT ? HX_ENOTFOUND : HX_EIO,
			    "%s: cannot open: %s", path, strerror(errno));
		if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
			fclose(f);
			return hx__error_set(err, HX_EIO, "%s: is a directory",
					     path);
		}
	}
	rc = slurp(&data, &len, f, path, opts->max_input, err);
	if (f != stdin)
		fclose(f);
	if (rc < 0)
		return rc;
	rc = hx_read_memory(out, path, data ? data : (unsigned char *)"", len,
			    opts, err);
	free(data);
	return rc;
}
