/*
 * read-private.h - the readers behind hx_read_memory(), one per format.
 *
 * Each reader appends blocks to a fresh document; `name` is the file name
 * for messages. On failure the caller frees the document.
 */
#ifndef HX_READ_PRIVATE_H
#define HX_READ_PRIVATE_H

#include <hexalign/read.h>

int hx__read_txt(hx_doc *doc, const char *name, const unsigned char *data,
		 size_t len, const hx_read_options *opts, hx_error *err);
int hx__read_docx(hx_doc *doc, const char *name, const unsigned char *data,
		  size_t len, const hx_read_options *opts, hx_error *err);
int hx__read_html(hx_doc *doc, const char *name, const unsigned char *data,
		  size_t len, const hx_read_options *opts, hx_error *err);
int hx__read_pdf(hx_doc *doc, const char *name, const unsigned char *data,
		 size_t len, const hx_read_options *opts, hx_error *err);

/**
 * Split a leading label off a paragraph's text: "1.1\tText", "a)\tText",
 * "–\tText", "一\tText", "(iii) Text". On return *label_len is the label's
 * length in bytes (0 if none) and *text_off where the text starts.
 * Shared by every reader whose input carries labels inline.
 */
void hx__label_split(const char *s, size_t len, size_t *label_len,
		     size_t *text_off);

/* Sanity limits shared by the XML-based readers. */
#define HX__XML_MAX_DEPTH 256

#endif
