/*
 * doc.h - the document model every reader produces.
 *
 * A document is a sequence of blocks (paragraph, heading, list item, table
 * cell, footnote). Each block holds its text in UTF-8 NFC, its label (the
 * paragraph number or list marker, kept apart from the text), its kind and
 * where it came from, so later stages can point at it in messages.
 * Formatting inside a block (a bold word, a link, a footnote reference)
 * is not in the text: it rides beside it as inline codes at byte offsets,
 * so every stage that only wants words sees the same text as before.
 */
#ifndef HEXALIGN_DOC_H
#define HEXALIGN_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hx_block_kind {
	HX_BLOCK_PARAGRAPH = 0,
	HX_BLOCK_HEADING,
	HX_BLOCK_LIST_ITEM,
	HX_BLOCK_TABLE_CELL,
	HX_BLOCK_FOOTNOTE,
	HX_BLOCK_ENDNOTE
} hx_block_kind;

/** The name of a block kind: "paragraph", "heading", ... */
HX_EXTERN const char *hx_block_kind_str(hx_block_kind kind);

/** What an inline code is: the start or end of a pair, or a lone code. */
typedef enum hx_inline_kind {
	HX_INLINE_OPEN = 0,  /**< a pair starts (bold on) */
	HX_INLINE_CLOSE,     /**< the pair with the same id ends */
	HX_INLINE_STANDALONE /**< a footnote reference, a field, a tab */
} hx_inline_kind;

/** What an inline code stands for. */
typedef enum hx_inline_type {
	HX_INLINE_BOLD = 0,
	HX_INLINE_ITALIC,
	HX_INLINE_UNDERLINE,
	HX_INLINE_SUBSCRIPT,
	HX_INLINE_SUPERSCRIPT,
	HX_INLINE_LINK,	    /**< w:hyperlink */
	HX_INLINE_FOOTNOTE, /**< w:footnoteReference */
	HX_INLINE_ENDNOTE,  /**< w:endnoteReference */
	HX_INLINE_FIELD,    /**< w:fldSimple or a complex field's result */
	HX_INLINE_TAB,	    /**< w:tab inside the text */
	HX_INLINE_BREAK,    /**< w:br inside the text */
	HX_INLINE_NTYPES
} hx_inline_type;

/** "bold", "italic", "underline", "subscript", "superscript", "link",
 * "footnote", "endnote", "field", "tab", "break". */
HX_EXTERN const char *hx_inline_type_str(hx_inline_type type);

/** The type named s (as hx_inline_type_str() spells it), or
 * HX_INLINE_NTYPES when none is. */
HX_EXTERN hx_inline_type hx_inline_type_parse(const char *s);

/**
 * One inline code, borrowed from its block (or segment). Offsets are
 * bytes into the text the code belongs to. An OPEN sits at `start` and
 * its pair closes at `end` (where the CLOSE with the same id sits); a
 * CLOSE has start == end; a STANDALONE stands for the text [start, end)
 * ("\t", a field's result; empty for a note reference). Codes come in
 * document order, pairs properly nested.
 */
typedef struct hx_inline {
	hx_inline_kind kind;
	hx_inline_type type;
	size_t start, end;
	unsigned id;	  /**< 1-based; an OPEN and its CLOSE share it */
	const char *data; /**< the original XML (a w:rPr, the w:hyperlink
			       start tag, the element), "" if none */
	const char *disp; /**< a STANDALONE: the text it stands for
			       ("\\t", the field's result, "" for a note
			       reference); "" for pairs */
} hx_inline;

/**
 * One block, a read-only view owned by its document. `text` and `label`
 * are NUL-terminated UTF-8 in NFC; `label` is "" when the block has none.
 */
typedef struct hx_block {
	hx_block_kind kind;
	int level;	   /**< heading or list level, 1-based; 0 if none */
	const char *text;  /**< the text, without its label */
	size_t text_len;   /**< bytes in text */
	const char *label; /**< "1.1", "a)", "–", "一", or "" */
	size_t line;	   /**< 1-based source line (text) or paragraph index */
	/** Inline codes into `text` (DOCX runs whose formatting differs
	 * from the paragraph's usual one, links, note references, fields,
	 * tabs and breaks), in document order; NULL and 0 when none. */
	const hx_inline *codes;
	size_t ncodes;
	/** PDF: the 1-based page of the block's first line (`line` is then
	 * the block's 1-based ordinal in the document); 0 for formats
	 * without pages. */
	unsigned page;
	/** PDF: the block's top-left corner in points (1/72 inch) from the
	 * page's top-left corner; 0, 0 without pages. */
	double x, y;
} hx_block;

/** An opaque document. */
typedef struct hx_doc hx_doc;

/**
 * Create an empty document named `path` (used in messages; may be "-").
 * Returns HX_OK or HX_ENOMEM.
 */
HX_EXTERN int hx_doc_new(hx_doc **out, const char *path, hx_error *err);

/** Free a document; NULL is fine. */
HX_EXTERN void hx_doc_free(hx_doc *doc);

/**
 * Append a block. `text` and `label` (label may be NULL) are copied and
 * normalised to NFC; surrounding white space of the text is trimmed and
 * runs of white space inside are kept as they are. A block whose text is
 * empty after trimming is not added (returns HX_OK).
 * Returns HX_OK, HX_ENOMEM, or HX_EFORMAT if either is not valid UTF-8.
 */
HX_EXTERN int hx_doc_add_block(hx_doc *doc, hx_block_kind kind, int level,
			       const char *label, size_t label_len,
			       const char *text, size_t text_len, size_t line,
			       hx_error *err);

/**
 * hx_doc_add_block() with inline codes whose offsets point into `text`
 * as given (before trimming and NFC): they are moved with the text, a
 * pair left empty and a STANDALONE whose text was trimmed away are
 * dropped. Strings are copied. Returns as hx_doc_add_block(), and
 * HX_EINVAL for an offset past text_len (a CLOSE without its OPEN is
 * dropped).
 */
HX_EXTERN int hx_doc_add_block_codes(hx_doc *doc, hx_block_kind kind, int level,
				     const char *label, size_t label_len,
				     const char *text, size_t text_len,
				     size_t line, const hx_inline *codes,
				     size_t ncodes, hx_error *err);

/** Number of blocks. */
HX_EXTERN size_t hx_doc_count(const hx_doc *doc);

/** Block i (0-based), borrowed; NULL when out of range. */
HX_EXTERN const hx_block *hx_doc_get_block(const hx_doc *doc, size_t i);

/** The path the document was created with, borrowed. */
HX_EXTERN const char *hx_doc_get_path(const hx_doc *doc);

/** The document language ("en", "zh", ...) or NULL when not set. */
HX_EXTERN const char *hx_doc_get_lang(const hx_doc *doc);

/** Set the document language (copied). NULL clears it. */
HX_EXTERN int hx_doc_set_lang(hx_doc *doc, const char *lang, hx_error *err);

/**
 * Guess the language of UTF-8 text among the six UN languages: script
 * first (Han -> zh, Arabic -> ar, Cyrillic -> ru), then stop words for
 * Latin script (en, fr, es). Returns a static string, or NULL when the
 * text has no letters.
 */
HX_EXTERN const char *hx_lang_detect(const char *text, size_t len);

/**
 * Whether s is shaped like a language code: two or three lower-case
 * letters, optionally a region or script after '-' or '_' ("zh-Hans",
 * "en_GB").
 */
HX_EXTERN bool hx_lang_code_valid(const char *s);

/**
 * Whether s is shaped like a BCP 47 tag as written into xml:lang: two or
 * three lower-case letters, then any number of subtags of 1 to 8 letters
 * or digits, each after '-' ("zh-Hant-TW"; not "en_GB", which
 * hx_lang_code_valid() takes). What `hexalign align` accepts for -l,
 * since its languages go into TMX as they are given.
 */
HX_EXTERN bool hx_lang_tag_valid(const char *s);

/**
 * The document symbol in the opening blocks ("C26/15", "A/RES/70/1"),
 * without the ITU language suffix, written NUL-terminated into buf.
 * Returns its length, 0 when the document shows none.
 */
HX_EXTERN size_t hx_doc_symbol(const hx_doc *doc, char *buf, size_t size);

/** hx_lang_detect over the first blocks of a document. */
HX_EXTERN const char *hx_doc_detect_lang(const hx_doc *doc);

#ifdef __cplusplus
}
#endif
#endif
