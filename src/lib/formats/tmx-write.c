/*
 * formats/ - the exchange formats read and written: TMX (tmx-read.c,
 * tmx-write.c), XLIFF (xliff-read.c, xliff-write.c), the DOCX draft
 * (docx-write.c), safe XML parsing (xml-safe.c), HTML and JSON text
 * (html.c, json.c). TBX is read by check/termbase-tbx.c, next to the
 * term base it fills.
 *
 * tmx-write.c - streaming TMX 1.4b output through libxml2's xmlTextWriter.
 *
 * Units are checked (UTF-8, language tags, required attributes) before any
 * of their bytes reach the output, then written at once, so memory stays
 * bounded by the largest unit and a rejected unit leaves the writer usable.
 * A file is written beside its destination and renamed into place by
 * hx_tmx_writer_close(). This module does not read TMX and knows nothing
 * of alignment: it writes what it is given.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include <hexalign/hexalign.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "base/text.h"
#include "formats/tmx-private.h"

struct hx_tmx_writer {
	char *path; /* destination; NULL for standard output */
	char *tmp;  /* the temporary file, only while it exists */
	FILE *f;
	xmlTextWriterPtr xw;
	int io_errno;  /* first failed write, 0 if none */
	bool discard;  /* abandoning: drop whatever libxml2 still flushes */
	hx_error fail; /* once set, every later call reports it */
	size_t nadded; /* hx_tmx_writer_add() calls, to name units */
	char *buf;     /* scratch: the cleaned text of one string */
	size_t cap;
	char *raw; /* scratch: one inline code as markup */
	size_t rlen, rcap;
};

/* libxml2 refuses a text node or attribute value longer than
 * XML_MAX_TEXT_LENGTH (10,000,000 bytes) unless the reader asks for
 * XML_PARSE_HUGE, and other parsers have limits of their kind; a TMX
 * segment is a sentence or a paragraph, so 1 MiB leaves room to spare. */
#define MAX_TEXT ((size_t)1 << 20)

/* XML 1.0 section 2.2 (Char) leaves out most C0 controls and U+FFFE,
 * U+FFFF; a document holding them, even as &#1;, is not well-formed. */
#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

static const char *name(const hx_tmx_writer *w)
{
	return w->path ? w->path : "standard output";
}

/* Keep the error so close() and later adds report it: after a failed
 * write or allocation the document is incomplete and must not be kept. */
static int stick(hx_tmx_writer *w, hx_error *err)
{
	if (err)
		*err = w->fail;
	return w->fail.code;
}

static int io_fail(hx_tmx_writer *w, hx_error *err, const char *what, int e)
{
	if (!w->fail.code)
		hx__error_set(&w->fail, HX_EIO, "%s: %s (%s)", name(w), what,
			      strerror(e));
	return stick(w, err);
}

/* The text writer fails only when memory runs out, because out_write()
 * never reports an error to it; a failed write shows as io_errno. */
static int xml_fail(hx_tmx_writer *w, hx_error *err)
{
	if (w->io_errno)
		return io_fail(w, err, "write failed", w->io_errno);
	if (!w->fail.code)
		hx__error_set(&w->fail, HX_ENOMEM, "%s: out of memory",
			      name(w));
	return stick(w, err);
}

/* libxml2 prints I/O errors on stderr when a write callback returns -1,
 * and the library never prints; so the errno is kept here, the bytes are
 * reported as taken, and add()/close() turn it into HX_EIO. */
static int out_write(void *ctx, const char *buf, int len)
{
	hx_tmx_writer *w = ctx;

	if (w->discard || w->io_errno || len <= 0)
		return len;
	errno = 0;
	if (fwrite(buf, 1, (size_t)len, w->f) != (size_t)len)
		w->io_errno = errno ? errno : EIO;
	return len;
}

/* A printable ASCII excerpt of s for messages, which must stay UTF-8. */
static const char *show(char out[40], const char *s)
{
	size_t i;

	for (i = 0; s[i] && i < 32; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7F ? s[i] : '?';
	strcpy(out + i, s[i] ? "..." : "");
	return out;
}

/* The BCP 47 skeleton (RFC 5646, section 2.1): subtags of 1-8 ASCII
 * letters and digits joined by single hyphens. Whether the subtags are
 * registered is the caller's business. */
static bool lang_valid(const char *s)
{
	size_t n = 0;

	if (!s || !*s)
		return false;
	for (;; s++) {
		char c = *s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9')) {
			if (++n > 8)
				return false;
		} else if (c == '-' || c == '\0') {
			if (n == 0)
				return false;
			if (c == '\0')
				return true;
			n = 0;
		} else {
			return false;
		}
	}
}

/* TMX 1.4b section 3.1 "Date": ISO 8601 basic format, UTC. */
static bool date_valid(const char *s)
{
	static const char shape[] = "DDDDDDDDTDDDDDDZ";

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'D' ? s[i] < '0' || s[i] > '9'
				    : s[i] != shape[i])
			return false;
	return true;
}

static bool segtype_valid(const char *s)
{
	return !strcmp(s, "block") || !strcmp(s, "paragraph") ||
	       !strcmp(s, "sentence") || !strcmp(s, "phrase");
}

static bool str_valid(const char *s)
{
	return s && hx__utf8_valid(s, strlen(s), NULL);
}

/*
 * Copy valid UTF-8 s into w->buf, NUL-terminated, replacing each character
 * XML 1.0 forbids with U+FFFD. Replacing rather than dropping keeps a
 * visible trace where the source had something (a Word cell mark U+0007,
 * a vertical tab for a line break) and never glues two words together;
 * tab, LF and CR are legal and kept (libxml2 writes CR as &#13; so it
 * survives end-of-line normalisation).
 */
static int clean(hx_tmx_writer *w, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t need = 1, o = 0;

	if (len > SIZE_MAX / 3 - 1)
		return -1;
	for (size_t i = 0; i < len; i++)
		need += u[i] < 0x20 ? 3 : 1;
	if (need > w->cap) {
		char *b = realloc(w->buf, need);
		if (!b)
			return -1;
		w->buf = b;
		w->cap = need;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = u[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			memcpy(w->buf + o, REPLACEMENT, 3);
			o += 3;
		} else if (c == 0xEF && i + 2 < len && u[i + 1] == 0xBF &&
			   (u[i + 2] == 0xBE || u[i + 2] == 0xBF)) {
			memcpy(w->buf + o, REPLACEMENT, 3);
			o += 3;
			i += 2;
		} else {
			w->buf[o++] = (char)c;
		}
	}
	w->buf[o] = '\0';
	return 0;
}

static int put_attr(hx_tmx_writer *w, const char *attr, const char *value)
{
	if (clean(w, value, strlen(value)) < 0)
		return -1;
	return xmlTextWriterWriteAttribute(w->xw, BAD_CAST attr,
					   BAD_CAST w->buf);
}

static int put_prop(hx_tmx_writer *w, const hx_tmx_prop *p)
{
	if (xmlTextWriterStartElement(w->xw, BAD_CAST "prop") < 0 ||
	    put_attr(w, "type", p->type) < 0 ||
	    clean(w, p->value, strlen(p->value)) < 0 ||
	    xmlTextWriterWriteString(w->xw, BAD_CAST w->buf) < 0)
		return -1;
	return xmlTextWriterEndElement(w->xw);
}

static int props_check(const hx_tmx_prop *props, size_t n, const char *where,
		       hx_error *err)
{
	size_t bad;

	assert(props || n == 0);
	for (size_t i = 0; i < n; i++) {
		const hx_tmx_prop *p = &props[i];
		if (!p->type || !*p->type || !str_valid(p->type))
			return hx__error_set(err, HX_EINVAL,
					     "%s: prop %zu: type must be "
					     "non-empty UTF-8",
					     where, i + 1);
		if (!p->value)
			return hx__error_set(err, HX_EINVAL,
					     "%s: prop %zu (%s): value is NULL",
					     where, i + 1, p->type);
		if (strlen(p->value) > MAX_TEXT)
			return hx__error_set(err, HX_ELIMIT,
					     "%s: prop %zu (%s): value longer "
					     "than %zu bytes",
					     where, i + 1, p->type, MAX_TEXT);
		if (!hx__utf8_valid(p->value, strlen(p->value), &bad))
			return hx__error_set(err, HX_EINVAL,
					     "%s: prop %zu (%s): invalid UTF-8 "
					     "at byte offset %zu",
					     where, i + 1, p->type, bad);
	}
	return HX_OK;
}

/* The header with the defaults of tmx.h filled in, and checked. */
typedef struct header {
	const char *srclang, *adminlang, *datatype, *segtype, *o_tmf;
	char date[17];
	const hx_tmx_prop *props;
	size_t nprops;
} header;

static int header_check(header *h, const hx_tmx_header *in, const char *path,
			hx_error *err)
{
	char s[40], where[600];

	if (!in || !in->srclang || !*in->srclang)
		return hx__error_set(err, HX_EINVAL,
				     "%s: TMX header: srclang is required",
				     path);
	h->srclang = in->srclang;
	h->adminlang = in->adminlang ? in->adminlang : "en";
	h->datatype = in->datatype ? in->datatype : "plaintext";
	h->segtype = in->segtype ? in->segtype : "sentence";
	h->o_tmf = in->o_tmf ? in->o_tmf : "hexalign";
	h->props = in->props;
	h->nprops = in->nprops;

	/* TMX 1.4b section 3.1: srclang may be "*all*", meaning any tuv
	 * can be the source. */
	if (strcmp(h->srclang, "*all*") && !lang_valid(h->srclang))
		return hx__error_set(err, HX_EINVAL,
				     "%s: TMX header: srclang '%s' is not a "
				     "language tag",
				     path, show(s, h->srclang));
	if (!lang_valid(h->adminlang))
		return hx__error_set(err, HX_EINVAL,
				     "%s: TMX header: adminlang '%s' is not a "
				     "language tag",
				     path, show(s, h->adminlang));
	if (!segtype_valid(h->segtype))
		return hx__error_set(err, HX_EINVAL,
				     "%s: TMX header: segtype '%s' is not "
				     "block, paragraph, sentence or phrase",
				     path, show(s, h->segtype));
	if (!*h->datatype || !str_valid(h->datatype))
		return hx__error_set(err, HX_EINVAL,
				     "%s: TMX header: datatype must be "
				     "non-empty UTF-8",
				     path);
	if (!*h->o_tmf || !str_valid(h->o_tmf))
		return hx__error_set(err, HX_EINVAL,
				     "%s: TMX header: o-tmf must be non-empty "
				     "UTF-8",
				     path);
	if (in->creationdate) {
		if (!date_valid(in->creationdate))
			return hx__error_set(err, HX_EINVAL,
					     "%s: TMX header: creationdate "
					     "'%s' is not YYYYMMDDThhmmssZ",
					     path, show(s, in->creationdate));
		memcpy(h->date, in->creationdate, sizeof(h->date));
	} else {
		time_t now = time(NULL);
		struct tm tm;
		if (!gmtime_r(&now, &tm) ||
		    !strftime(h->date, sizeof(h->date), "%Y%m%dT%H%M%SZ", &tm))
			return hx__error_set(err, HX_EINVAL,
					     "%s: cannot format the current "
					     "time",
					     path);
	}
	snprintf(where, sizeof(where), "%s: TMX header", path);
	return props_check(h->props, h->nprops, where, err);
}

/* Attributes in the order of the DTD's ATTLIST, which is also the order
 * TMX 1.4b section 3.2 lists them; XML does not care, readers of the file
 * do. */
static int header_write(hx_tmx_writer *w, const header *h)
{
	xmlTextWriterPtr xw = w->xw;

	/* Indentation only from <tmx> on: with it, libxml2 breaks the
	 * DOCTYPE over two lines, legal but not what readers expect to see. */
	if (xmlTextWriterStartDocument(xw, "1.0", "UTF-8", NULL) < 0 ||
	    xmlTextWriterWriteDTD(xw, BAD_CAST "tmx", NULL,
				  BAD_CAST "tmx14.dtd", NULL) < 0 ||
	    xmlTextWriterWriteRaw(xw, BAD_CAST "\n") < 0 ||
	    xmlTextWriterSetIndent(xw, 1) < 0 ||
	    xmlTextWriterSetIndentString(xw, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartElement(xw, BAD_CAST "tmx") < 0 ||
	    put_attr(w, "version", "1.4") < 0 ||
	    xmlTextWriterStartElement(xw, BAD_CAST "header") < 0 ||
	    put_attr(w, "creationtool", "hexalign") < 0 ||
	    put_attr(w, "creationtoolversion", hx_version()) < 0 ||
	    put_attr(w, "segtype", h->segtype) < 0 ||
	    put_attr(w, "o-tmf", h->o_tmf) < 0 ||
	    put_attr(w, "adminlang", h->adminlang) < 0 ||
	    put_attr(w, "srclang", h->srclang) < 0 ||
	    put_attr(w, "datatype", h->datatype) < 0 ||
	    put_attr(w, "creationdate", h->date) < 0)
		return -1;
	for (size_t i = 0; i < h->nprops; i++)
		if (put_prop(w, &h->props[i]) < 0)
			return -1;
	if (xmlTextWriterEndElement(xw) < 0 ||
	    xmlTextWriterStartElement(xw, BAD_CAST "body") < 0)
		return -1;
	return 0;
}

/* Fill buf with 6 characters from [A-Za-z0-9] for a temporary name. */
static void random_suffix(char buf[7], unsigned attempt)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[6];

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		/* No entropy yet (early boot): O_EXCL still guarantees
		 * uniqueness, the name only has to differ per attempt. */
		struct timespec ts;
		uint64_t x;
		clock_gettime(CLOCK_REALTIME, &ts);
		x = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32) ^
		    (uint64_t)attempt * 0x9E3779B97F4A7C15u;
		for (size_t i = 0; i < sizeof(r); i++, x >>= 8)
			r[i] = (unsigned char)x;
	}
	for (size_t i = 0; i < sizeof(r); i++)
		buf[i] = set[r[i] % (sizeof(set) - 1)];
	buf[6] = '\0';
}

/*
 * Create PATH.tmp.XXXXXX beside path. Not mkstemp(): it creates the file
 * 0600, and widening that needs umask(), which is process-wide and so
 * racy in a library; open() with 0666 and O_EXCL gets the mode a plain
 * fopen() would (umask applied by the kernel) with the same uniqueness.
 */
static int tmp_open(hx_tmx_writer *w, const char *path, hx_error *err)
{
	size_t n = strlen(path) + sizeof(".tmp.XXXXXX");
	char *tmp;
	int fd = -1, e = 0;

	if (!(w->path = strdup(path)) || !(tmp = malloc(n)))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (unsigned attempt = 0; attempt < 100; attempt++) {
		char suffix[7];
		random_suffix(suffix, attempt);
		snprintf(tmp, n, "%s.tmp.%s", path, suffix);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || (e = errno) != EEXIST)
			break;
	}
	if (fd < 0) {
		free(tmp);
		return io_fail(w, err, "cannot create temporary file", e);
	}
	w->tmp = tmp;
	if (!(w->f = fdopen(fd, "w"))) {
		e = errno;
		close(fd);
		return io_fail(w, err, "cannot open temporary file", e);
	}
	return HX_OK;
}

int hx_tmx_writer_open(hx_tmx_writer **out, const char *path,
		       const hx_tmx_header *hdr, hx_error *err)
{
	hx_tmx_writer *w = NULL;
	xmlOutputBufferPtr ob;
	header h;
	int rc;

	assert(out && path);
	*out = NULL;
	memset(&h, 0, sizeof(h));
	if ((rc = header_check(&h, hdr,
			       strcmp(path, "-") ? path : "standard output",
			       err)) < 0)
		return rc;
	if (!(w = calloc(1, sizeof(*w))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	hx_error_init(&w->fail);
	if (!strcmp(path, "-"))
		w->f = stdout;
	else if ((rc = tmp_open(w, path, err)) < 0)
		goto fail;

	xmlInitParser();
	/* No close callback: the FILE is closed by close()/free(), where
	 * its errors are checked. */
	if (!(ob = xmlOutputBufferCreateIO(out_write, NULL, w, NULL))) {
		rc = xml_fail(w, err);
		goto fail;
	}
	if (!(w->xw = xmlNewTextWriter(ob))) {
		xmlOutputBufferClose(ob);
		rc = xml_fail(w, err);
		goto fail;
	}
	if (header_write(w, &h) < 0 || w->io_errno) {
		rc = xml_fail(w, err);
		goto fail;
	}
	*out = w;
	return HX_OK;
fail:
	hx_tmx_writer_free(w);
	return rc;
}

/* ---- inline codes ------------------------------------------------------ */

static const char *const kind_name[] = {"",   "bpt", "ept", "ph",
					"it", "hi",  "ut"};

static int codes_check(const hx_tmx_tu *tu, const hx_tmx_codes *codes,
		       const char *where, hx_error *err)
{
	for (size_t t = 0; codes && t < tu->ntuvs; t++) {
		if (codes[t].n && !codes[t].codes)
			return hx__error_set(err, HX_EINVAL,
					     "%s: tuv %zu: codes are NULL",
					     where, t + 1);
		for (size_t k = 0; k < codes[t].n; k++) {
			const hx_tmx_code *c = &codes[t].codes[k];
			const char *s[] = {c->content, c->i,   c->x,
					   c->type,    c->pos, c->assoc};
			if (c->kind < HX_TMX_CODE_BPT ||
			    c->kind > HX_TMX_CODE_UT)
				return hx__error_set(err, HX_EINVAL,
						     "%s: tuv %zu: code %zu: "
						     "unknown kind %d",
						     where, t + 1, k + 1,
						     (int)c->kind);
			for (size_t a = 0; a < sizeof(s) / sizeof(*s); a++) {
				if (s[a] && strlen(s[a]) > MAX_TEXT)
					return hx__error_set(
					    err, HX_ELIMIT,
					    "%s: tuv %zu: code %zu longer "
					    "than %zu bytes",
					    where, t + 1, k + 1, MAX_TEXT);
				if (s[a] && !str_valid(s[a]))
					return hx__error_set(
					    err, HX_EINVAL,
					    "%s: tuv %zu: code %zu: invalid "
					    "UTF-8",
					    where, t + 1, k + 1);
			}
		}
	}
	return HX_OK;
}

static int raw_add(hx_tmx_writer *w, const char *s, size_t n)
{
	void *r = w->raw;
	if (hx__grow(&r, &w->rcap, w->rlen + n + 1, 1) < 0)
		return -1;
	w->raw = r;
	memcpy(w->raw + w->rlen, s, n);
	w->rlen += n;
	w->raw[w->rlen] = '\0';
	return 0;
}

/* s cleaned of what XML forbids, then escaped as xmlTextWriter escapes
 * text (& < > and CR; " too in attribute values). */
static int raw_escaped(hx_tmx_writer *w, const char *s, bool attr)
{
	if (clean(w, s, strlen(s)) < 0)
		return -1;
	for (const char *p = w->buf; *p; p++) {
		const char *e = NULL;
		switch (*p) {
		case '&':
			e = "&amp;";
			break;
		case '<':
			e = "&lt;";
			break;
		case '>':
			e = "&gt;";
			break;
		case '\r':
			e = "&#13;";
			break;
		case '"':
			e = attr ? "&quot;" : NULL;
			break;
		}
		if (e ? raw_add(w, e, strlen(e)) < 0 : raw_add(w, p, 1) < 0)
			return -1;
	}
	return 0;
}

static int raw_attr(hx_tmx_writer *w, const char *name, const char *value)
{
	if (!value)
		return 0;
	if (raw_add(w, " ", 1) < 0 || raw_add(w, name, strlen(name)) < 0 ||
	    raw_add(w, "=\"", 2) < 0 || raw_escaped(w, value, true) < 0)
		return -1;
	return raw_add(w, "\"", 1);
}

/* The element of one code, from the DTD: bpt (i, x, type), ept (i), ph
 * (x, assoc, type), it (pos, x, type), ut (x), hi (x, type; content is
 * the segment's, so only the start tag here). */
static int code_write(hx_tmx_writer *w, const hx_tmx_code *c)
{
	hx_tmx_code_kind k = c->kind;
	bool pos_ok =
	    c->pos && (!strcmp(c->pos, "begin") || !strcmp(c->pos, "end"));
	int rc = 0;

	if (((k == HX_TMX_CODE_BPT || k == HX_TMX_CODE_EPT) && !c->i) ||
	    (k == HX_TMX_CODE_IT && !pos_ok))
		k = HX_TMX_CODE_PH;
	w->rlen = 0;
	if (raw_add(w, "<", 1) < 0 ||
	    raw_add(w, kind_name[k], strlen(kind_name[k])) < 0)
		return -1;
	switch (k) {
	case HX_TMX_CODE_BPT:
		rc = raw_attr(w, "i", c->i) | raw_attr(w, "x", c->x) |
		     raw_attr(w, "type", c->type);
		break;
	case HX_TMX_CODE_EPT:
		rc = raw_attr(w, "i", c->i);
		break;
	case HX_TMX_CODE_PH:
		rc = raw_attr(w, "x", c->x) | raw_attr(w, "assoc", c->assoc) |
		     raw_attr(w, "type", c->type);
		break;
	case HX_TMX_CODE_IT:
		rc = raw_attr(w, "pos", c->pos) | raw_attr(w, "x", c->x) |
		     raw_attr(w, "type", c->type);
		break;
	case HX_TMX_CODE_HI:
		rc = raw_attr(w, "x", c->x) | raw_attr(w, "type", c->type);
		break;
	case HX_TMX_CODE_UT:
		rc = raw_attr(w, "x", c->x);
		break;
	}
	if (rc < 0)
		return -1;
	if (k == HX_TMX_CODE_HI)
		rc = raw_add(w, ">", 1);
	else if (!c->content || !*c->content)
		rc = raw_add(w, "/>", 2);
	else if (raw_add(w, ">", 1) < 0 ||
		 raw_escaped(w, c->content, false) < 0 ||
		 raw_add(w, "</", 2) < 0 ||
		 raw_add(w, kind_name[k], strlen(kind_name[k])) < 0)
		rc = -1;
	else
		rc = raw_add(w, ">", 1);
	if (rc < 0)
		return -1;
	return xmlTextWriterWriteRaw(w->xw, BAD_CAST w->raw);
}

static int text_write(hx_tmx_writer *w, const char *s, size_t n)
{
	if (!n)
		return 0;
	if (clean(w, s, n) < 0)
		return -1;
	return xmlTextWriterWriteString(w->xw, BAD_CAST w->buf);
}

/* The open <hi>s, innermost last: close those ending at or before `at`
 * (and whatever is inside them). Returns how many stay open, or -1. */
static long hi_close(hx_tmx_writer *w, const hx_tmx_code *const *open,
		     size_t nopen, size_t at)
{
	size_t keep = nopen;

	for (size_t i = 0; i < nopen; i++)
		if (open[i]->end <= at) {
			keep = i;
			break;
		}
	for (size_t i = nopen; i > keep; i--)
		if (xmlTextWriterWriteRaw(w->xw, BAD_CAST "</hi>") < 0)
			return -1;
	return (long)keep;
}

/*
 * A segment's content with its codes put back. The markup of codes goes
 * out raw, built here, because xmlTextWriter indents child elements and
 * whitespace inside a <seg> is text. <hi>s are nested by construction:
 * at most one per placeholder, so the stack of open ones is bounded by
 * the number of codes.
 */
static int seg_write(hx_tmx_writer *w, const char *text, size_t len,
		     const hx_tmx_codes *codes)
{
	const hx_tmx_code **open = NULL;
	size_t nopen = 0, run = 0, i = 0;
	int rc = -1;

	if (codes->n && !(open = malloc(codes->n * sizeof(*open))))
		return -1;
	while (i < len) {
		size_t at = i;
		bool ends = false;
		for (size_t k = 0; k < nopen; k++)
			ends |= open[k]->end <= at;
		if (ends) {
			long left;
			if (text_write(w, text + run, at - run) < 0 ||
			    (left = hi_close(w, open, nopen, at)) < 0)
				goto out;
			nopen = (size_t)left;
			run = at;
		}
		uint32_t cp = hx__utf8_next(text, len, &i);
		if (cp < HX_TMX_CODE_BASE || cp - HX_TMX_CODE_BASE >= codes->n)
			continue;
		const hx_tmx_code *c = &codes->codes[cp - HX_TMX_CODE_BASE];
		if (text_write(w, text + run, at - run) < 0 ||
		    code_write(w, c) < 0)
			goto out;
		run = i;
		if (c->kind == HX_TMX_CODE_HI)
			open[nopen++] = c;
	}
	if (text_write(w, text + run, len - run) < 0 ||
	    hi_close(w, open, nopen, SIZE_MAX) < 0)
		goto out;
	rc = 0;
out:
	free(open);
	return rc;
}

/* A note or an attribute of the unit, named `what` in messages: what
 * props_check() asks of a prop's value, and an attribute must not be
 * empty. */
static int meta_str_check(const char *s, const char *what, bool attr,
			  const char *where, hx_error *err)
{
	size_t bad;

	if (!s || (attr && !*s))
		return hx__error_set(err, HX_EINVAL, "%s: %s is %s", where,
				     what, s ? "empty" : "NULL");
	if (strlen(s) > MAX_TEXT)
		return hx__error_set(err, HX_ELIMIT,
				     "%s: %s longer than %zu bytes", where,
				     what, MAX_TEXT);
	if (!hx__utf8_valid(s, strlen(s), &bad))
		return hx__error_set(err, HX_EINVAL,
				     "%s: %s: invalid UTF-8 at byte offset %zu",
				     where, what, bad);
	return HX_OK;
}

static const char *const meta_attr_names[] = {"creationdate", "creationid",
					      "changedate", "changeid"};

static int meta_check(const hx_tmx_tu_meta *m, const char *where, hx_error *err)
{
	const char *attrs[] = {m->creationdate, m->creationid, m->changedate,
			       m->changeid};
	char what[32];
	int rc;

	assert(m->notes || m->nnotes == 0);
	for (size_t i = 0; i < m->nnotes; i++) {
		snprintf(what, sizeof(what), "note %zu", i + 1);
		if ((rc = meta_str_check(m->notes[i], what, false, where,
					 err)) < 0)
			return rc;
	}
	for (size_t i = 0; i < 4; i++)
		if (attrs[i] &&
		    (rc = meta_str_check(attrs[i], meta_attr_names[i], true,
					 where, err)) < 0)
			return rc;
	return HX_OK;
}

/* Check everything about tu before a byte of it is written, so a rejected
 * unit leaves no trace in the document. */
static int tu_check(hx_tmx_writer *w, const hx_tmx_tu *tu,
		    const hx_tmx_codes *codes, const hx_tmx_tu_meta *meta,
		    hx_error *err)
{
	char where[600], s[40];
	size_t bad;
	int rc;

	if (tu->tuid && *tu->tuid && strlen(tu->tuid) <= 64 &&
	    str_valid(tu->tuid))
		snprintf(where, sizeof(where), "%s: unit %zu (tuid %s)",
			 name(w), w->nadded, tu->tuid);
	else
		snprintf(where, sizeof(where), "%s: unit %zu", name(w),
			 w->nadded);
	if (tu->tuid && !*tu->tuid)
		return hx__error_set(err, HX_EINVAL, "%s: tuid is empty",
				     where);
	if (tu->tuid && strlen(tu->tuid) > MAX_TEXT)
		return hx__error_set(err, HX_ELIMIT,
				     "%s: tuid longer than %zu bytes", where,
				     MAX_TEXT);
	if (tu->tuid && !hx__utf8_valid(tu->tuid, strlen(tu->tuid), &bad))
		return hx__error_set(err, HX_EINVAL,
				     "%s: tuid: invalid UTF-8 at byte offset "
				     "%zu",
				     where, bad);
	if (tu->ntuvs == 0)
		return hx__error_set(err, HX_EINVAL, "%s: no tuv", where);
	assert(tu->tuvs);
	if ((rc = props_check(tu->props, tu->nprops, where, err)) < 0)
		return rc;
	for (size_t i = 0; i < tu->ntuvs; i++) {
		const hx_tmx_tuv *v = &tu->tuvs[i];
		if (!lang_valid(v->lang))
			return hx__error_set(err, HX_EINVAL,
					     "%s: tuv %zu: '%s' is not a "
					     "language tag",
					     where, i + 1,
					     v->lang ? show(s, v->lang)
						     : "(null)");
		if (!v->text && v->len)
			return hx__error_set(err, HX_EINVAL,
					     "%s: tuv %zu (%s): text is NULL",
					     where, i + 1, v->lang);
		if (v->len > MAX_TEXT)
			return hx__error_set(err, HX_ELIMIT,
					     "%s: tuv %zu (%s): text of %zu "
					     "bytes, more than %zu",
					     where, i + 1, v->lang, v->len,
					     MAX_TEXT);
		if (v->len && !hx__utf8_valid(v->text, v->len, &bad))
			return hx__error_set(err, HX_EINVAL,
					     "%s: tuv %zu (%s): invalid UTF-8 "
					     "at byte offset %zu",
					     where, i + 1, v->lang, bad);
	}
	if (meta && (rc = meta_check(meta, where, err)) < 0)
		return rc;
	return codes_check(tu, codes, where, err);
}

static int tu_write(hx_tmx_writer *w, const hx_tmx_tu *tu,
		    const hx_tmx_codes *codes, const hx_tmx_tu_meta *meta)
{
	xmlTextWriterPtr xw = w->xw;

	if (xmlTextWriterStartElement(xw, BAD_CAST "tu") < 0 ||
	    (tu->tuid && put_attr(w, "tuid", tu->tuid) < 0))
		return -1;
	if (meta) {
		const char *v[] = {meta->creationdate, meta->creationid,
				   meta->changedate, meta->changeid};
		for (size_t i = 0; i < 4; i++)
			if (v[i] && put_attr(w, meta_attr_names[i], v[i]) < 0)
				return -1;
	}
	/* DTD: <!ELEMENT tu ((note|prop)*, tuv+)>, props come first. */
	for (size_t i = 0; i < tu->nprops; i++)
		if (put_prop(w, &tu->props[i]) < 0)
			return -1;
	for (size_t i = 0; meta && i < meta->nnotes; i++)
		if (xmlTextWriterStartElement(xw, BAD_CAST "note") < 0 ||
		    clean(w, meta->notes[i], strlen(meta->notes[i])) < 0 ||
		    xmlTextWriterWriteString(xw, BAD_CAST w->buf) < 0 ||
		    xmlTextWriterEndElement(xw) < 0)
			return -1;
	for (size_t i = 0; i < tu->ntuvs; i++) {
		const hx_tmx_tuv *v = &tu->tuvs[i];
		if (xmlTextWriterStartElement(xw, BAD_CAST "tuv") < 0 ||
		    put_attr(w, "xml:lang", v->lang) < 0 ||
		    xmlTextWriterStartElement(xw, BAD_CAST "seg") < 0)
			return -1;
		if (codes && codes[i].n
			? seg_write(w, v->text, v->len, &codes[i]) < 0
			: clean(w, v->text ? v->text : "", v->len) < 0 ||
			      xmlTextWriterWriteString(xw, BAD_CAST w->buf) < 0)
			return -1;
		if (xmlTextWriterEndElement(xw) < 0 ||
		    xmlTextWriterEndElement(xw) < 0)
			return -1;
	}
	return xmlTextWriterEndElement(xw);
}

int hx_tmx_writer_add(hx_tmx_writer *w, const hx_tmx_tu *tu, hx_error *err)
{
	return hx_tmx_writer_add_coded(w, tu, NULL, err);
}

int hx_tmx_writer_add_coded(hx_tmx_writer *w, const hx_tmx_tu *tu,
			    const hx_tmx_codes *codes, hx_error *err)
{
	return hx_tmx_writer_add_meta(w, tu, codes, NULL, err);
}

int hx_tmx_writer_add_meta(hx_tmx_writer *w, const hx_tmx_tu *tu,
			   const hx_tmx_codes *codes,
			   const hx_tmx_tu_meta *meta, hx_error *err)
{
	int rc;

	assert(w && tu);
	if (w->fail.code)
		return stick(w, err);
	w->nadded++;
	if ((rc = tu_check(w, tu, codes, meta, err)) < 0)
		return rc;
	if (tu_write(w, tu, codes, meta) < 0 || w->io_errno)
		return xml_fail(w, err);
	return HX_OK;
}

/* Flush, sync and rename; the caller frees w whatever happens. */
static int commit(hx_tmx_writer *w, hx_error *err)
{
	FILE *f = w->f;

	if (f == stdout) {
		/* Not fsync: stdout may be a pipe or a terminal. */
		errno = 0;
		if (fflush(stdout) != 0 || ferror(stdout))
			return io_fail(w, err, "write failed",
				       errno ? errno : EIO);
		return HX_OK;
	}
	if (fflush(f) != 0)
		return io_fail(w, err, "write failed", errno);
	/* Without the fsync a crash after the rename can leave an empty
	 * file where the old memory was (ext4 delayed allocation). */
	if (fsync(fileno(f)) != 0)
		return io_fail(w, err, "fsync failed", errno);
	w->f = NULL;
	if (fclose(f) != 0)
		return io_fail(w, err, "close failed", errno);
	if (rename(w->tmp, w->path) != 0)
		return io_fail(w, err, "cannot rename into place", errno);
	free(w->tmp);
	w->tmp = NULL; /* it is the destination now: free() must not unlink */
	return HX_OK;
}

int hx_tmx_writer_close(hx_tmx_writer *w, hx_error *err)
{
	int rc;

	assert(w);
	if (w->fail.code) {
		rc = stick(w, err);
		goto out;
	}
	/* EndDocument closes <body> and <tmx>; Flush empties libxml2's
	 * buffer into w->f, whose own errors commit() checks. */
	if (xmlTextWriterEndDocument(w->xw) < 0 ||
	    xmlTextWriterFlush(w->xw) < 0) {
		rc = xml_fail(w, err);
		goto out;
	}
	xmlFreeTextWriter(w->xw);
	w->xw = NULL;
	if (w->io_errno) {
		rc = io_fail(w, err, "write failed", w->io_errno);
		goto out;
	}
	rc = commit(w, err);
out:
	hx_tmx_writer_free(w);
	return rc;
}

void hx_tmx_writer_free(hx_tmx_writer *w)
{
	if (!w)
		return;
	w->discard = true;
	if (w->xw)
		xmlFreeTextWriter(w->xw);
	if (w->f && w->f != stdout)
		fclose(w->f);
	if (w->tmp)
		unlink(w->tmp);
	free(w->tmp);
	free(w->path);
	free(w->buf);
	free(w->raw);
	free(w);
}

const char *hx__tmx_source_date(char *buf, size_t size)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	struct tm tm;

	if (!epoch || !*epoch)
		return NULL;
	time_t t = (time_t)strtoll(epoch, NULL, 10);
	if (!gmtime_r(&t, &tm) || !strftime(buf, size, "%Y%m%dT%H%M%SZ", &tm))
		return NULL;
	return buf;
}
