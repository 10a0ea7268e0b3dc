/*
 * pretranslate-file.c - pre-translation as a front-end runs it on files:
 * the document read, the memory opened read-only, the rules loaded, the
 * XLIFF written with the checksum that lets the merge recognise its
 * document, and what the draft DOCX left in the source language said in
 * words. `hexalign pretranslate` is this and argument parsing. The
 * matching itself is pretranslate.c's.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include <hexalign/pretranslate.h>
#include <hexalign/read.h>
#include <hexalign/xliff.h>

void hx_pt_file_options_init(hx_pt_file_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	hx_pt_options_init(&opts->pt);
	opts->format = HX_FORMAT_AUTO;
}

int hx_pretranslate_file(hx_pt **out, const char *doc_path, const char *db_path,
			 const char *src, const char *tgt,
			 const hx_pt_file_options *opts, hx_error *err)
{
	hx_pt_options po = opts->pt;
	hx_read_options ro;
	hx_tm_options to;
	hx_srx *srx = NULL;
	hx_doc *doc = NULL;
	hx_tm *tm = NULL;
	int rc;

	assert(out && doc_path && db_path && src && tgt && opts);
	*out = NULL;
	hx_read_options_init(&ro);
	ro.format = opts->format;
	hx_tm_options_init(&to);
	to.readonly = true;
	if ((opts->srx_path &&
	     (rc = hx_srx_load(&srx, opts->srx_path, err)) < 0) ||
	    (rc = hx_read_file(&doc, doc_path, &ro, err)) < 0 ||
	    (rc = hx_tm_open(&tm, db_path, &to, err)) < 0)
		goto done;
	if (srx)
		po.srx = srx;
	rc = hx_pretranslate(out, doc, tm, src, tgt, &po, err);
done:
	hx_tm_free(tm);
	hx_doc_free(doc);
	hx_srx_free(srx);
	return rc;
}

int hx_pt_write_xliff(const hx_pt *pt, const char *doc_path,
		      const char *out_path, hx_xliff_version version,
		      hx_error *err)
{
	hx_xliff_write_options xo;
	char sum[64];
	int rc;

	assert(pt && doc_path && out_path);
	if ((rc = hx_xliff_checksum(sum, sizeof(sum), doc_path, err)) < 0)
		return rc;
	hx_xliff_write_options_init(&xo);
	xo.version = version;
	xo.original = doc_path;
	xo.checksum = sum;
	return hx_xliff_write(pt, out_path, &xo, err);
}

void hx_docx_kept_foreach(const hx_docx_fill_stats *st, const char *name,
			  hx_pt_note_fn fn, void *payload)
{
	char msg[512];

	assert(st && name && fn);
	for (int k = 0; k < HX_DOCX_KEPT_NKINDS; k++) {
		if (!st->kept[k])
			continue;
		snprintf(msg, sizeof(msg),
			 "%s: %sparagraph %zu: %zu %s%s kept untouched (not "
			 "pre-translated)",
			 name,
			 st->kept_part[k] == HX_DOCX_FOOTNOTES	? "footnotes "
			 : st->kept_part[k] == HX_DOCX_ENDNOTES ? "endnotes "
								: "",
			 st->kept_first[k], st->kept[k],
			 hx_docx_kept_name((hx_docx_kept)k),
			 st->kept[k] > 1 ? "s" : "");
		fn(payload, msg);
	}
	if (st->refused) {
		snprintf(msg, sizeof(msg),
			 "%s: %zu paragraph%s holding an equation or a field "
			 "left in the source language",
			 name, st->refused, st->refused > 1 ? "s" : "");
		fn(payload, msg);
	}
}
