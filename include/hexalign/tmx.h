/*
 * tmx.h - writing TMX 1.4b translation memories.
 *
 * The writer streams: units are written as they are added, so a memory of
 * any size is written in constant memory. Output to a file goes to a
 * temporary file beside it, renamed into place by hx_tmx_writer_close(), so
 * a failed or interrupted run never leaves a half-written TMX behind.
 */
#ifndef HEXALIGN_TMX_H
#define HEXALIGN_TMX_H

#include <stddef.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A <prop type="TYPE">VALUE</prop>. */
typedef struct hx_tmx_prop {
	const char *type;
	const char *value;
} hx_tmx_prop;

/** The <header> attributes. NULL fields take the defaults shown. */
typedef struct hx_tmx_header {
	const char *srclang;	  /**< BCP 47, required ("en") */
	const char *adminlang;	  /**< "en" */
	const char *datatype;	  /**< "plaintext" */
	const char *segtype;	  /**< "sentence" */
	const char *o_tmf;	  /**< "hexalign" */
	const char *creationdate; /**< "YYYYMMDDThhmmssZ"; NULL: now (UTC) */
	const hx_tmx_prop *props; /**< header props, borrowed */
	size_t nprops;
} hx_tmx_header;

/** One <tuv>: UTF-8 text, escaped by the writer. */
typedef struct hx_tmx_tuv {
	const char *lang; /**< BCP 47 */
	const char *text;
	size_t len;
} hx_tmx_tuv;

/** One <tu>. */
typedef struct hx_tmx_tu {
	const hx_tmx_tuv *tuvs;
	size_t ntuvs;
	const hx_tmx_prop *props;
	size_t nprops;
	const char *tuid; /**< optional */
} hx_tmx_tu;

typedef struct hx_tmx_writer hx_tmx_writer;

/**
 * Start a TMX at `path` ("-" is stdout: written as it goes, never closed,
 * and what was sent stays sent if a later step fails). Returns HX_OK;
 * HX_EINVAL for a missing srclang, a language tag not shaped like BCP 47,
 * a segtype the DTD does not allow, a creationdate not YYYYMMDDThhmmssZ,
 * an empty datatype or o-tmf, a prop without type or value; HX_EIO when
 * the temporary file PATH.tmp.XXXXXX cannot be created (its mode follows
 * the umask); HX_ENOMEM.
 */
HX_EXTERN int hx_tmx_writer_open(hx_tmx_writer **out, const char *path,
				 const hx_tmx_header *hdr, hx_error *err);

/**
 * Add one unit. Text may hold any Unicode; characters XML 1.0 forbids
 * (C0 controls but tab, LF, CR; U+FFFE, U+FFFF) are written as U+FFFD, CR
 * as &#13;. A tuv's text may be NULL when len is 0. Returns HX_OK;
 * HX_EINVAL (invalid UTF-8, with unit, tuv and byte offset; a unit
 * without tuvs; a bad language tag) or HX_ELIMIT (a string over 1 MiB):
 * the unit is not written and the writer stays usable; HX_EIO or
 * HX_ENOMEM: the writer has failed for good and close reports it.
 */
HX_EXTERN int hx_tmx_writer_add(hx_tmx_writer *w, const hx_tmx_tu *tu,
				hx_error *err);

typedef struct hx_tmx_code hx_tmx_code;

/** The inline codes of one tuv (see hx_tmx_code below), borrowed. */
typedef struct hx_tmx_codes {
	const hx_tmx_code *codes; /**< NULL when n is 0 */
	size_t n;
} hx_tmx_codes;

/**
 * Add one unit whose texts hold inline-code placeholders: `codes` has
 * tu->ntuvs entries (NULL: no codes anywhere, as hx_tmx_writer_add), and
 * each placeholder U+E000 + k (k < codes[t].n) in the text of tuv t is
 * written as the TMX 1.4b element of codes[t].codes[k]: its content
 * escaped, the attributes the DTD allows for that element in the DTD's
 * order, a <hi> around the text from its placeholder to its `end`
 * (HX_TMX_END_UNKNOWN or past the text: to the end of the segment; <hi>s
 * nest, one closing early closes those inside it). A <bpt> or <ept>
 * without `i`, or an <it> whose `pos` is not "begin" or "end", is written
 * as a <ph> with its content, so the document stays valid against the
 * DTD. Other private-use characters are written as they are; a code that
 * no placeholder names is not written. Returns as hx_tmx_writer_add, and
 * HX_EINVAL for a code of unknown kind or with invalid UTF-8, or codes[t]
 * with n > 0 and NULL codes.
 */
HX_EXTERN int hx_tmx_writer_add_coded(hx_tmx_writer *w, const hx_tmx_tu *tu,
				      const hx_tmx_codes *codes, hx_error *err);

/**
 * What a <tu> may carry besides its tuvs, props and tuid: <note> texts
 * (written after the props) and the unit's own attributes, written as
 * given: the DTD makes them CDATA, and a memory gives back what another
 * tool wrote. NULL and 0 fields are left out.
 */
typedef struct hx_tmx_tu_meta {
	const char *const *notes;
	size_t nnotes;
	const char *creationdate, *creationid, *changedate, *changeid;
} hx_tmx_tu_meta;

/**
 * hx_tmx_writer_add_coded() with `meta` (NULL: none). Returns as it does,
 * and HX_EINVAL for a NULL note, an empty attribute or invalid UTF-8 in
 * either, HX_ELIMIT for one over 1 MiB.
 */
HX_EXTERN int hx_tmx_writer_add_meta(hx_tmx_writer *w, const hx_tmx_tu *tu,
				     const hx_tmx_codes *codes,
				     const hx_tmx_tu_meta *meta, hx_error *err);

/**
 * Finish the document and move it into place. On failure nothing is left
 * at `path`. The writer is freed either way.
 */
HX_EXTERN int hx_tmx_writer_close(hx_tmx_writer *w, hx_error *err);

/** Abandon: remove the temporary file and free. NULL is fine. */
HX_EXTERN void hx_tmx_writer_free(hx_tmx_writer *w);

/* ---- reading --------------------------------------------------------- */

/**
 * Inline codes (<bpt>, <ept>, <ph>, <it>, <hi>, <ut>) inside a <seg> are
 * replaced in the text by one placeholder character each, U+E000 + n for
 * the n-th code of the segment (n < 6400), so matching sees them as
 * single tokens; the code itself is kept in `codes` so that a writer can
 * put it back.
 */
#define HX_TMX_CODE_BASE 0xE000

typedef enum hx_tmx_code_kind {
	HX_TMX_CODE_BPT = 1,
	HX_TMX_CODE_EPT,
	HX_TMX_CODE_PH,
	HX_TMX_CODE_IT,
	HX_TMX_CODE_HI, /**< <hi>: the placeholder marks where it opened */
	HX_TMX_CODE_UT
} hx_tmx_code_kind;

/** Where a <hi> closes when nobody knows (a memory stored before `end`
 * was kept): at the end of the segment. */
#define HX_TMX_END_UNKNOWN ((size_t)-1)

/**
 * One inline code: its kind and its original content (the element's
 * text, e.g. "&lt;b&gt;" unescaped to "<b>"; the text of a <sub> in it is
 * part of the content, the <sub> element is not kept), and its attributes
 * i/x/type/pos/assoc when present (NULL otherwise). A <hi>'s content is
 * segment text, so `content` is "" and `end` is the byte offset in the
 * tuv's text where </hi> stood (after its placeholder; nested <hi>s
 * nest); for other kinds `end` is 0.
 */
struct hx_tmx_code {
	hx_tmx_code_kind kind;
	const char *content;
	const char *i, *x, *type;
	const char *pos;   /**< <it pos="begin|end"> */
	const char *assoc; /**< <ph assoc="p|f|b"> */
	size_t end;	   /**< <hi>: where it closes, or HX_TMX_END_UNKNOWN */
};

/** A <tuv> as read: language as written in the file, text NFC UTF-8 with
 * placeholders, its codes, and its own attributes. */
typedef struct hx_tmx_tuv_read {
	const char *lang;
	const char *text;
	size_t len;
	const hx_tmx_code *codes;
	size_t ncodes;
	const char *creationdate, *creationid, *changedate, *changeid;
	const hx_tmx_prop *props;
	size_t nprops;
	const char *const *notes;
	size_t nnotes;
} hx_tmx_tuv_read;

/** A <tu> as read. Everything is borrowed and valid only during the
 * callback. `line` is the line of the <tu> start tag. */
typedef struct hx_tmx_unit {
	const hx_tmx_tuv_read *tuvs;
	size_t ntuvs;
	const hx_tmx_prop *props;
	size_t nprops;
	const char *const *notes;
	size_t nnotes;
	const char *tuid, *srclang;
	const char *creationdate, *creationid, *changedate, *changeid;
	size_t line;
	/** Private-use characters (U+E000..U+F8FF) in the unit's segment
	 * text, replaced by U+FFFD since they would read as placeholders. */
	size_t pua_replaced;
} hx_tmx_unit;

/** The <header> as read (borrowed, valid during the callbacks). */
typedef struct hx_tmx_header_read {
	const char *version; /**< the <tmx version> attribute */
	const char *srclang, *adminlang, *datatype, *segtype, *o_tmf;
	const char *creationtool, *creationtoolversion, *creationdate;
	/** the header's <prop>s (a type "" when the file gave none; hexalign
	 * align names its files and the document symbol there) */
	const hx_tmx_prop *props;
	size_t nprops;
} hx_tmx_header_read;

/**
 * Called for each <tu>; return HX_OK to go on, or a negative status to
 * stop reading (hx_tmx_read then returns it, with err as the callback
 * left it).
 */
typedef int (*hx_tmx_unit_cb)(void *payload, const hx_tmx_header_read *hdr,
			      const hx_tmx_unit *tu, hx_error *err);

typedef struct hx_tmx_read_options {
	/** Largest file accepted, bytes (default 4 GiB). */
	size_t max_input;
	/** Largest <seg>, bytes (default 1 MiB). */
	size_t max_seg;
} hx_tmx_read_options;

HX_EXTERN void hx_tmx_read_options_init(hx_tmx_read_options *opts);

/**
 * Stream the TMX file at `path` ("-" is stdin), calling cb for each unit,
 * in constant memory (libxml2 text reader; no network, no external
 * entities, no DTD loading). Encodings other than UTF-8 declared in the
 * XML declaration (UTF-16 with BOM, ISO-8859-1, ...) are converted.
 * Returns HX_OK; HX_ENOTFOUND/HX_EIO; HX_EFORMAT with "FILE:LINE: what is
 * wrong" for malformed XML, a file that is not TMX, a <tu> without any
 * <seg>, a <tuv> without a language; HX_ELIMIT; or the callback's status.
 * Units already delivered stay delivered: a caller that needs all or
 * nothing (the memory) wraps the read in a transaction.
 */
HX_EXTERN int hx_tmx_read(const char *path, const hx_tmx_read_options *opts,
			  hx_tmx_unit_cb cb, void *payload, hx_error *err);

/** The same from memory; `name` is used in messages. */
HX_EXTERN int hx_tmx_read_memory(const char *name, const char *data, size_t len,
				 const hx_tmx_read_options *opts,
				 hx_tmx_unit_cb cb, void *payload,
				 hx_error *err);

#ifdef __cplusplus
}
#endif
#endif
