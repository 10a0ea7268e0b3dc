/*
 * read.h - readers: plain text, DOCX, HTML and PDF files into an hx_doc.
 *
 * Readers never trust their input: sizes are capped, XML is parsed without
 * network access or external entities, zip entries are checked, and any
 * failure names the file and, where it can, the line or byte offset.
 */
#ifndef HEXALIGN_READ_H
#define HEXALIGN_READ_H

#include <stddef.h>
#include "doc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hx_format {
	/** By content (zip, %PDF-, HTML), then by extension. */
	HX_FORMAT_AUTO = 0,
	HX_FORMAT_TXT,
	HX_FORMAT_DOCX,
	HX_FORMAT_HTML,
	/** PDF with a text layer (poppler): blocks carry page and position;
	 * running headers, footers and page numbers are dropped. Encrypted,
	 * broken and image-only files give HX_EFORMAT. */
	HX_FORMAT_PDF
} hx_format;

/** How a plain-text file lays out its paragraphs. */
typedef enum hx_txt_lines {
	/** A line is a paragraph, as Word's "save as text" writes them (the
	 * default). A line that only continues the one before is joined to
	 * it: the line before ended in white space and this one starts in
	 * lower case or with "(" and has no label, or this one starts with
	 * the sentence's own full stop (". Next"). */
	HX_TXT_LINES_PARAGRAPHS = 0,
	/** Lines are wrapped at a width (PDF extracts, e-mail): a blank line
	 * or a list item ("1. ", "a) ", "• ") starts a paragraph, other line
	 * ends are joined; "coordi-" + "nation" loses its hyphen. */
	HX_TXT_LINES_WRAPPED
} hx_txt_lines;

typedef struct hx_read_options {
	hx_format format;
	/** Largest input file accepted, bytes (default 256 MiB). */
	size_t max_input;
	/** Largest total uncompressed size of zip entries read (default 512
	 * MiB). */
	size_t max_uncompressed;
	/** Plain text only: what a line is (default: a paragraph). */
	hx_txt_lines txt_lines;
} hx_read_options;

/** Fill *opts with the defaults. */
HX_EXTERN void hx_read_options_init(hx_read_options *opts);

/** Parse a format name: "txt", "docx", "html", "pdf", "auto". -1 if unknown. */
HX_EXTERN int hx_format_parse(const char *name);

/**
 * Read the file at `path` ("-" is stdin) into a new document.
 * `opts` may be NULL for defaults. Returns HX_OK, HX_ENOTFOUND, HX_EIO,
 * HX_EFORMAT (malformed input, invalid UTF-8, empty file), HX_ELIMIT
 * (input or zip entry too large) or HX_ENOMEM.
 */
HX_EXTERN int hx_read_file(hx_doc **out, const char *path,
			   const hx_read_options *opts, hx_error *err);

/**
 * Read `len` bytes at `data` as a document named `name`. The same codes
 * as hx_read_file. With HX_FORMAT_AUTO the content decides.
 */
HX_EXTERN int hx_read_memory(hx_doc **out, const char *name, const void *data,
			     size_t len, const hx_read_options *opts,
			     hx_error *err);

#ifdef __cplusplus
}
#endif
#endif
