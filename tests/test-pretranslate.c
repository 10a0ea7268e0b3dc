/*
 * test-pretranslate.c - pre-translation on a realistic case: a memory
 * built by aligning the UDHR in English and Chinese (the real `hexalign
 * align`) plus the CWG-COP units, and a new report sharing part of its
 * text (tests/data/pretranslate/udhr-report.docx, made by make-docx.py).
 * Checks the band counts, what each kind of segment gets, the draft DOCX
 * (paragraphs in step with the reader, every other zip entry unchanged,
 * text box/equation/field kept) and the merge round trip with its
 * refusals. A second report (udhr-notes.docx) carries UDHR sentences in
 * footnotes and an endnote: they are pre-translated in the draft and
 * merged like body paragraphs, and a merge takes its segments in any
 * order. Also word counting and band limits.
 *
 * usage: test-pretranslate HEXALIGN TESTS_DIR
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include <hexalign/hexalign.h>

#include "tap.h"

static char tmpdir[] = "/tmp/hx-test-pt-XXXXXX";
static const char *tests_dir;

static const char *path_in(const char *dir, const char *name)
{
	static char buf[8][1024];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

#define TMP(n)	path_in(tmpdir, n)
#define DATA(n) path_in(tests_dir, n)

static void test_counting(void)
{
	size_t w, c;

	hx_pt_count_text("Everyone has the right to life.", 31, &w, &c);
	is_int(w, 6, "English words");
	is_int(c, 26, "characters without spaces");
	hx_pt_count_text("1,200.5 self-determination don't", 32, &w, &c);
	is_int(w, 3,
	       "numbers, hyphens and apostrophes inside words count once");
	hx_pt_count_text("人人有权享有国籍。", strlen("人人有权享有国籍。"), &w,
			 &c);
	is_int(w, 8, "Chinese: one word per character, punctuation none");
	is_int(c, 9, "Chinese characters with the full stop");
	hx_pt_count_text("CWG-COP会议 (2024)", strlen("CWG-COP会议 (2024)"), &w,
			 &c);
	is_int(w, 4, "mixed Latin, Han and a number");
	hx_pt_count_text("", 0, &w, &c);
	is_int(w + c, 0, "empty text");
}

static void test_bands(void)
{
	static const struct {
		int score;
		hx_pt_band band;
	} cases[] = {
	    {101, HX_PT_CONTEXT}, {100, HX_PT_EXACT},  {99, HX_PT_95},
	    {95, HX_PT_95},	  {94, HX_PT_85},      {85, HX_PT_85},
	    {84, HX_PT_75},	  {75, HX_PT_75},      {74, HX_PT_50},
	    {50, HX_PT_50},	  {49, HX_PT_NOMATCH}, {0, HX_PT_NOMATCH}};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		is_int(hx_pt_band_of(cases[i].score), cases[i].band,
		       "score %d is band %s", cases[i].score,
		       hx_pt_band_name(cases[i].band));
	is_str(hx_pt_band_name(HX_PT_REPETITION), "repetition", "band name");
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	if (rc != 0)
		printf("# failed (%d): %s\n", rc, cmd);
	return rc;
}

static const hx_pt_segment *by_id(const hx_pt *pt, const char *id)
{
	for (size_t i = 0; i < hx_pt_count(pt); i++)
		if (!strcmp(hx_pt_get(pt, i)->id, id))
			return hx_pt_get(pt, i);
	return NULL;
}

static const hx_block *by_line(const hx_doc *d, size_t line)
{
	for (size_t i = 0; i < hx_doc_count(d); i++)
		if (hx_doc_get_block(d, i)->line == line)
			return hx_doc_get_block(d, i);
	return NULL;
}

static char *entry(zip_t *z, const char *name, zip_uint64_t *len)
{
	zip_stat_t st;
	zip_file_t *f;
	char *buf;

	if (zip_stat(z, name, 0, &st) != 0 || !(f = zip_fopen(z, name, 0)))
		return NULL;
	buf = malloc(st.size + 1);
	*len = (zip_uint64_t)zip_fread(f, buf, st.size);
	buf[*len] = '\0';
	zip_fclose(f);
	return buf;
}

static bool is_text_part(const char *name)
{
	return !strcmp(name, "word/document.xml") ||
	       !strcmp(name, "word/footnotes.xml") ||
	       !strcmp(name, "word/endnotes.xml");
}

/* Every entry of a in b, in the same order, unchanged except the parts
 * holding paragraphs. */
static void check_entries(const char *a_path, const char *b_path)
{
	int e;
	zip_t *a = zip_open(a_path, ZIP_RDONLY, &e);
	zip_t *b = zip_open(b_path, ZIP_RDONLY, &e);
	zip_int64_t n = a ? zip_get_num_entries(a, 0) : -1;
	bool same = true;

	ok(a && b, "both archives open");
	if (!a || !b)
		return;
	is_int(zip_get_num_entries(b, 0), n, "same number of zip entries");
	for (zip_int64_t i = 0; i < n; i++) {
		const char *na = zip_get_name(a, (zip_uint64_t)i, 0);
		const char *nb = zip_get_name(b, (zip_uint64_t)i, 0);
		zip_uint64_t la = 0, lb = 0;
		char *da, *db;
		if (!nb || strcmp(na, nb)) {
			same = false;
			continue;
		}
		if (is_text_part(na))
			continue;
		da = entry(a, na, &la);
		db = entry(b, nb, &lb);
		if (!da || !db || la != lb || memcmp(da, db, la))
			same = false;
		free(da);
		free(db);
	}
	ok(same, "every other entry copied unchanged, in order");
	zip_discard(a);
	zip_discard(b);
}

/* Occurrences of needle in a part of docx. */
static int has_in(const char *docx, const char *part, const char *needle)
{
	int e, n = 0;
	zip_t *z = zip_open(docx, ZIP_RDONLY, &e);
	zip_uint64_t len;
	char *d = z ? entry(z, part, &len) : NULL;

	for (char *p = d; p && (p = strstr(p, needle)); p++)
		n++;
	free(d);
	if (z)
		zip_discard(z);
	return n;
}

static int has(const char *docx, const char *needle)
{
	return has_in(docx, "word/document.xml", needle);
}

/* Whether a part is the same in two archives. */
static bool same_part(const char *a_path, const char *b_path, const char *part)
{
	int e;
	zip_t *a = zip_open(a_path, ZIP_RDONLY, &e);
	zip_t *b = zip_open(b_path, ZIP_RDONLY, &e);
	zip_uint64_t la = 0, lb = 0;
	char *da = a ? entry(a, part, &la) : NULL;
	char *db = b ? entry(b, part, &lb) : NULL;
	bool same = da && db && la == lb && !memcmp(da, db, la);

	free(da);
	free(db);
	if (a)
		zip_discard(a);
	if (b)
		zip_discard(b);
	return same;
}

/* A block's text by kind and line: notes restart the line count. */
static const char *text_at(const hx_doc *d, hx_block_kind k, size_t line)
{
	for (size_t i = 0; d && i < hx_doc_count(d); i++) {
		const hx_block *b = hx_doc_get_block(d, i);
		if (b->kind == k && b->line == line)
			return b->text;
	}
	return "(no such block)";
}

static void test_draft(const hx_pt *pt, const hx_doc *orig, const char *docx)
{
	hx_docx_fill_stats st;
	hx_doc *d = NULL;
	hx_error err;
	const char *out = TMP("draft.docx");

	hx_error_init(&err);
	is_int(hx_pt_write_docx(pt, docx, out, &st, &err), HX_OK,
	       "draft DOCX written");
	is_int(st.replaced, 11, "eleven paragraphs get target text");
	is_int(st.refused, 2, "two (equation, field) left whole");
	is_int(st.kept[HX_DOCX_KEPT_TEXTBOX], 1, "a text box kept");
	is_int(st.kept_first[HX_DOCX_KEPT_TEXTBOX], 12, "in paragraph 12");
	is_int(st.kept[HX_DOCX_KEPT_EQUATION], 1, "an equation kept");
	is_int(st.kept[HX_DOCX_KEPT_FIELD], 1, "a field kept");
	check_entries(docx, out);
	is_int(has(out, "<w:txbxContent><w:p><w:r><w:t>Box: see annex."), 1,
	       "the text box is there, untranslated");
	is_int(has(out, "<m:oMath>"), 1, "the equation is there");
	is_int(has(out, "w:instr=\" PAGE \""), 1, "the field is there");
	is_int(has(out, "<w:highlight w:val=\"yellow\"/>"), 4,
	       "four fuzzy sentences highlighted");
	is_int(hx_read_file(&d, out, NULL, &err), HX_OK, "the draft reads");
	if (!d)
		return;
	is_int(hx_doc_count(d), hx_doc_count(orig),
	       "as many blocks as the original");
	is_str(by_line(d, 1)->text, "第十二条", "heading translated");
	is_int(by_line(d, 1)->kind, HX_BLOCK_HEADING, "and still a heading");
	is_str(by_line(d, 4)->label, "1.", "automatic numbering kept");
	is_str(by_line(d, 4)->text, "人人有权享有和平集会和结社的自由。",
	       "fuzzy match's target in place");
	is_str(by_line(d, 6)->label, "1.1", "typed label kept");
	is_str(by_line(d, 6)->text,
	       "全权代表大会第180号决议（2022年，布加勒斯特，修订版）适用。",
	       "target with the new number");
	is_str(by_line(d, 9)->text, by_line(orig, 9)->text,
	       "a paragraph without match stays as it was");
	is_int(by_line(d, 10)->kind, HX_BLOCK_TABLE_CELL, "table cell");
	is_str(by_line(d, 10)->text, "人人有权享有国籍。", "cell translated");
	is_str(by_line(d, 12)->text,
	       "人人得有单独的财产所有权以及同他人合有的所有权。",
	       "text beside the text box translated");
	is_str(by_line(d, 13)->text, by_line(orig, 13)->text,
	       "paragraph with an equation untouched");
	hx_doc_free(d);
	is_int(hx_pt_write_docx(pt, docx, docx, &st, &err), HX_EINVAL,
	       "refuses to overwrite the original");
}

static void test_merge(const hx_pt *pt, const char *docx)
{
	hx_xliff_write_options o;
	hx_docx_fill_stats st;
	hx_xliff *x = NULL;
	hx_doc *d = NULL;
	hx_error err;
	char sum[64], cmd[2048];

	hx_error_init(&err);
	hx_xliff_checksum(sum, sizeof(sum), docx, &err);
	hx_xliff_write_options_init(&o);
	o.original = docx;
	o.checksum = sum;
	is_int(hx_xliff_write(pt, TMP("r.xlf"), &o, &err), HX_OK,
	       "XLIFF written");
	is_int(hx_xliff_read(&x, TMP("r.xlf"), &err), HX_OK, "and read");
	if (!x)
		return;
	is_int(hx_xliff_count(x), hx_pt_count(pt), "every segment read back");
	is_int(hx_xliff_merge(x, docx, TMP("merged.docx"), &st, &err), HX_OK,
	       "merged");
	is_int(hx_read_file(&d, TMP("merged.docx"), NULL, &err), HX_OK,
	       "merged DOCX reads");
	if (d) {
		is_str(
		    by_line(d, 2)->text,
		    "任何人的私生活、家庭、住宅和通信不得任意干涉,他的荣誉和名"
		    "誉不得加以攻击。人人有权享受法律保护,以免受这种干涉或攻击"
		    "。",
		    "two sentences joined the Chinese way");
		is_str(by_line(d, 16)->text,
		       "人人在各国境内有权自由迁徙和居住。",
		       "75-84 target merged");
		hx_doc_free(d);
	}
	check_entries(docx, TMP("merged.docx"));
	is_int(has(TMP("merged.docx"), "w:highlight"), 0,
	       "a merge highlights nothing");

	/* Another document: refused, nothing written. */
	snprintf(cmd, sizeof(cmd), "cp %s %s && printf x >> %s", docx,
		 TMP("edited.docx"), TMP("edited.docx"));
	run(cmd);
	is_int(
	    hx_xliff_merge(x, TMP("edited.docx"), TMP("bad.docx"), &st, &err),
	    HX_EFORMAT, "a changed DOCX is refused");
	ok(strstr(err.message, "does not match") != NULL, "says so: %s",
	   err.message);
	ok(access(TMP("bad.docx"), F_OK) != 0, "nothing written");
	hx_xliff_free(x);
	x = NULL;

	/* An XLIFF edited into invalid XML (a closing tag mistyped):
	 * refused with the line of the damage. */
	{
		FILE *f = fopen(TMP("r.xlf"), "rb"), *g;
		static char buf[1 << 20];
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
		char *p, want[64];
		int line = 1;

		if (f)
			fclose(f);
		buf[n] = '\0';
		p = strstr(buf, "</target>");
		for (char *q = buf; p && q < p; q++)
			line += *q == '\n';
		if (p)
			memcpy(p, "</targex>", 9);
		if ((g = fopen(TMP("broken.xlf"), "wb"))) {
			fwrite(buf, 1, n, g);
			fclose(g);
		}
		snprintf(want, sizeof(want), "broken.xlf:%d: malformed XML",
			 line);
		is_int(hx_xliff_read(&x, TMP("broken.xlf"), &err), HX_EFORMAT,
		       "invalid XLIFF refused");
		ok(x == NULL && strstr(err.message, want) != NULL,
		   "with FILE:LINE (%s): %s", want, err.message);
	}
}

#define FN3  "任何人不得加以酷刑,或施以残忍的、不人道的或侮辱性的待遇或刑罚。"
#define FN3B "任何人不得加以任意逮捕、拘禁或放逐。"
#define EN3  "法律之前人人平等,并有权享受法律的平等保护,不受任何歧视。"

/* The XLIFF of pt, written with the checksum of docx, read back. */
static hx_xliff *xliff_of(const hx_pt *pt, const char *docx, const char *name)
{
	hx_xliff_write_options o;
	hx_xliff *x = NULL;
	hx_error err;
	char sum[64];

	hx_error_init(&err);
	hx_xliff_checksum(sum, sizeof(sum), docx, &err);
	hx_xliff_write_options_init(&o);
	o.original = docx;
	o.checksum = sum;
	if (hx_xliff_write(pt, TMP(name), &o, &err) < 0 ||
	    hx_xliff_read(&x, TMP(name), &err) < 0)
		printf("# %s: %s\n", name, err.message);
	return x;
}

/* merge finds the original where the XLIFF names it, else beside the
 * XLIFF (the two moved together), else says where it looked. */
static void test_find_original(const hx_pt *pt)
{
	hx_xliff_write_options o;
	hx_xliff *x = NULL;
	hx_error err;
	char *path = NULL;
	FILE *f;

	hx_error_init(&err);
	hx_xliff_write_options_init(&o);
	o.original = "gone/report.docx";
	if (hx_xliff_write(pt, TMP("fo.xlf"), &o, &err) < 0 ||
	    hx_xliff_read(&x, TMP("fo.xlf"), &err) < 0) {
		ok(0, "set-up: %s", err.message);
		return;
	}
	is_int(hx_xliff_find_original(&path, x, TMP("fo.xlf"), &err),
	       HX_ENOTFOUND, "original nowhere: not found");
	ok(!path && strstr(err.message, "'gone/report.docx'") &&
	       strstr(err.message, "beside the XLIFF"),
	   "the message names the original and where it looked: %s",
	   err.message);
	if ((f = fopen(TMP("report.docx"), "w")))
		fclose(f);
	is_int(hx_xliff_find_original(&path, x, TMP("fo.xlf"), &err), HX_OK,
	       "found beside the XLIFF by its file name");
	is_str(path ? path : "", TMP("report.docx"), "that path");
	free(path);
	hx_xliff_free(x);
}

/* The merge sorts segments by id: pt's segments written in reverse
 * order (units and sentences) merge into the same DOCX. */
static void test_merge_order(const hx_pt *pt, const char *docx,
			     const char *merged)
{
	size_t n = hx_pt_count(pt);
	hx_pt_segment *rev = calloc(n, sizeof(*rev));
	hx_docx_fill_stats st;
	hx_pt *back = NULL;
	hx_xliff *x = NULL;
	hx_error err;

	hx_error_init(&err);
	for (size_t i = 0; i < n; i++) {
		rev[i] = *hx_pt_get(pt, n - 1 - i);
		rev[i].repeat_of = SIZE_MAX;
	}
	is_int(hx_pt_from_segments(&back, rev, n, "en", "zh", 75, &err), HX_OK,
	       "segments in reverse order");
	x = back ? xliff_of(back, docx, "rev.xlf") : NULL;
	ok(x && hx_xliff_count(x) == n &&
	       !strcmp(hx_xliff_get(x, 0)->id, "en3s1") &&
	       !strcmp(hx_xliff_get(x, n - 1)->id, "p1s1"),
	   "the XLIFF holds them last first");
	is_int(x ? hx_xliff_merge(x, docx, TMP("rev.docx"), &st, &err) : -1,
	       HX_OK, "merged out of document order: %s",
	       x ? err.message : "no XLIFF");
	ok(same_part(merged, TMP("rev.docx"), "word/document.xml") &&
	       same_part(merged, TMP("rev.docx"), "word/footnotes.xml") &&
	       same_part(merged, TMP("rev.docx"), "word/endnotes.xml"),
	   "into the same body, footnotes and endnotes as in order");
	hx_xliff_free(x);
	hx_pt_free(back);
	back = NULL;

	/* An id hexalign never writes, or writes otherwise ("fn03s1"):
	 * no place for it, refused, nothing written. */
	rev[0].id = "fn03s1";
	hx_pt_from_segments(&back, rev, n, "en", "zh", 75, &err);
	x = back ? xliff_of(back, docx, "badid.xlf") : NULL;
	is_int(x ? hx_xliff_merge(x, docx, TMP("badid.docx"), &st, &err) : 0,
	       HX_EFORMAT, "an id naming no paragraph is refused");
	ok(strstr(err.message, "'fn03s1' names no paragraph") != NULL,
	   "says which: %s", err.message);
	ok(access(TMP("badid.docx"), F_OK) != 0, "nothing written");
	hx_xliff_free(x);
	hx_pt_free(back);
	free(rev);
}

/* Footnotes and an endnote (udhr-notes.docx): draft and merge. */
static void test_notes(hx_tm *tm)
{
	const char *docx = DATA("data/pretranslate/udhr-notes.docx");
	const char *draft = TMP("notes-draft.docx");
	const char *merged = TMP("notes-merged.docx");
	hx_docx_fill_stats st;
	hx_pt_options po;
	hx_doc *doc = NULL, *d = NULL;
	hx_pt *pt = NULL;
	hx_xliff *x = NULL;
	hx_error err;
	const hx_pt_segment *s;

	hx_error_init(&err);
	hx_pt_options_init(&po);
	if (hx_read_file(&doc, docx, NULL, &err) < 0 ||
	    hx_pretranslate(&pt, doc, tm, "en", "zh", &po, &err) < 0) {
		ok(0, "notes: %s", err.message);
		hx_doc_free(doc);
		return;
	}
	s = by_id(pt, "fn3s1");
	ok(s && s->kind == HX_BLOCK_FOOTNOTE && s->score == 100 && s->target &&
	       !strcmp(s->target, FN3),
	   "footnote paragraph 3 (after the two separators): exact");
	s = by_id(pt, "fn3s2");
	ok(s && s->score >= 75 && s->score < 100 && s->target,
	   "its second sentence: fuzzy (%d)", s ? s->score : -1);
	s = by_id(pt, "fn4s1");
	ok(s && s->score == 100, "second footnote: exact");
	s = by_id(pt, "en3s1");
	ok(s && s->kind == HX_BLOCK_ENDNOTE && s->score == 100,
	   "endnote: exact");

	is_int(hx_pt_write_docx(pt, docx, draft, &st, &err), HX_OK,
	       "draft with notes written: %s", err.message);
	is_int(st.replaced, 4, "two body paragraphs, a footnote, an endnote");
	is_int(st.refused, 1, "the footnote with a field left whole");
	is_int(st.kept[HX_DOCX_KEPT_FIELD], 1, "its field kept");
	ok(st.kept_part[HX_DOCX_KEPT_FIELD] == HX_DOCX_FOOTNOTES &&
	       st.kept_first[HX_DOCX_KEPT_FIELD] == 4,
	   "in footnotes paragraph 4");
	check_entries(docx, draft);
	is_int(has_in(draft, "word/footnotes.xml", "<w:footnoteRef/>"), 2,
	       "both footnote marks kept");
	is_int(has_in(draft, "word/footnotes.xml",
		      "<w:footnoteRef/></w:r><w:r><w:rPr><w:rFonts"),
	       1, "the mark first, then the space with the text's formatting");
	ok(has_in(draft, "word/footnotes.xml", "<w:separator/>") == 1 &&
	       has_in(draft, "word/footnotes.xml",
		      "<w:continuationSeparator/>") == 1,
	   "separator notes untouched");
	is_int(has_in(draft, "word/footnotes.xml", "<w:highlight"), 1,
	       "the fuzzy footnote sentence highlighted");
	is_int(has_in(draft, "word/footnotes.xml",
		      "<w:sz w:val=\"20\"/><w:highlight w:val=\"yellow\"/>"),
	       1, "in the footnote text's size");
	is_int(has_in(draft, "word/endnotes.xml", "<w:endnoteRef/>"), 1,
	       "endnote mark kept");
	ok(has(draft, "<w:footnoteReference w:id=\"1\"/>") == 1 &&
	       has(draft, "<w:footnoteReference w:id=\"2\"/>") == 1 &&
	       has(draft, "<w:endnoteReference w:id=\"1\"/>") == 1,
	   "the body's note references kept");
	is_int(hx_read_file(&d, draft, NULL, &err), HX_OK, "the draft reads");
	is_int(d ? hx_doc_count(d) : 0, hx_doc_count(doc),
	       "as many blocks as the original");
	is_str(text_at(d, HX_BLOCK_FOOTNOTE, 3), FN3 FN3B,
	       "footnote translated, sentences joined the Chinese way");
	is_str(text_at(d, HX_BLOCK_ENDNOTE, 3), EN3, "endnote translated");
	is_str(text_at(d, HX_BLOCK_FOOTNOTE, 4),
	       text_at(doc, HX_BLOCK_FOOTNOTE, 4),
	       "the footnote with a field stays as it was");
	is_str(text_at(d, HX_BLOCK_PARAGRAPH, 3),
	       text_at(doc, HX_BLOCK_PARAGRAPH, 3),
	       "a body paragraph without match stays as it was");
	hx_doc_free(d);
	d = NULL;

	x = xliff_of(pt, docx, "notes.xlf");
	is_int(x ? hx_xliff_merge(x, docx, merged, &st, &err) : -1, HX_OK,
	       "notes merged");
	is_int(hx_read_file(&d, merged, NULL, &err), HX_OK, "and read");
	is_str(text_at(d, HX_BLOCK_FOOTNOTE, 3), FN3 FN3B,
	       "footnote targets merged");
	is_str(text_at(d, HX_BLOCK_ENDNOTE, 3), EN3, "endnote target merged");
	is_int(has_in(merged, "word/footnotes.xml", "w:highlight"), 0,
	       "a merge highlights nothing in notes either");
	check_entries(docx, merged);
	hx_doc_free(d);
	hx_xliff_free(x);

	test_merge_order(pt, docx, merged);
	hx_pt_free(pt);
	hx_doc_free(doc);
}

static void test_realistic(void)
{
	/* "Page 1" (a field result) is 50 against "Article 1": one token of
	 * two differs. */
	/* p15s1 repeats an exact match: a repetition by default, as CAT
	 * tools count it (exact with exact_over_repetitions). */
	static const size_t want_seg[HX_PT_NBANDS] = {2, 7, 2, 1, 1, 2, 1, 2};
	hx_tm_options to;
	hx_pt_options po;
	hx_pt_analysis a;
	hx_doc *doc = NULL;
	hx_tm *tm = NULL;
	hx_pt *pt = NULL, *again = NULL;
	hx_error err;
	const hx_pt_segment *s;
	const char *docx = DATA("data/pretranslate/udhr-report.docx");

	hx_error_init(&err);
	hx_tm_options_init(&to);
	hx_pt_options_init(&po);
	if (hx_read_file(&doc, docx, NULL, &err) < 0 ||
	    hx_tm_open(&tm, TMP("m.db"), &to, &err) < 0) {
		ok(0, "set-up: %s", err.message);
		hx_doc_free(doc);
		return;
	}
	is_int(hx_pretranslate(&pt, doc, tm, "en", "zh", &po, &err), HX_OK,
	       "pre-translated");
	if (!pt)
		goto done;
	hx_pt_analyse(&a, pt);
	for (int b = 0; b < HX_PT_NBANDS; b++)
		is_int(a.band[b].segments, want_seg[b], "band %s: segments",
		       hx_pt_band_name((hx_pt_band)b));
	is_int(a.total.segments, 18, "18 segments");
	is_int(a.total.words, 181, "181 words");
	is_int(a.band[HX_PT_CONTEXT].words, 25, "context words");

	s = by_id(pt, "p1s1");
	ok(s && s->score == 101 && s->band == HX_PT_CONTEXT,
	   "heading followed by its memory neighbour: context");
	s = by_id(pt, "p2s2");
	ok(s && s->score == 100 && s->band == HX_PT_EXACT,
	   "exact, but the next sentence is not the memory's: not context");
	s = by_id(pt, "p6s1");
	ok(s && s->score == 99 && s->numbers_fixed && s->target &&
	       strstr(s->target, "第180号决议") && !strstr(s->target, "179"),
	   "179 -> 180 replaced in the target");
	s = by_id(pt, "p7s1");
	ok(s && s->score == 99 && !s->numbers_fixed && s->numbers_unfixed &&
	       s->target && !strcmp(s->target, "第一条"),
	   "a number written in Chinese numerals is not guessed: %s",
	   s && s->target ? s->target : "(none)");
	s = by_id(pt, "p11s1");
	ok(s && s->band == HX_PT_REPETITION && s->repeat_of != SIZE_MAX &&
	       !strcmp(hx_pt_get(pt, s->repeat_of)->id, "p9s1"),
	   "a sentence met before is a repetition of its first occurrence");
	s = by_id(pt, "p15s1");
	ok(s && s->band == HX_PT_REPETITION && s->repeat_of != SIZE_MAX &&
	       s->score == 100 && s->target,
	   "a repeated exact match is a repetition, its target filled");
	po.exact_over_repetitions = true;
	hx_pretranslate(&again, doc, tm, "en", "zh", &po, &err);
	s = again ? by_id(again, "p15s1") : NULL;
	ok(s && s->band == HX_PT_EXACT,
	   "exact_over_repetitions: the repeated exact match stays exact");
	hx_pt_analyse(&a, again);
	is_int(a.band[HX_PT_EXACT].segments, 8, "then 8 exact");
	is_int(a.band[HX_PT_REPETITION].segments, 1, "and 1 repetition");
	hx_pt_free(again);
	again = NULL;
	po.exact_over_repetitions = false;
	s = by_id(pt, "p8s1");
	ok(s && s->band == HX_PT_50 && !s->target && s->match_source,
	   "below --min: counted, no target");
	s = by_id(pt, "p16s1");
	ok(s && s->band == HX_PT_75 && s->target, "75-84 gets a target");
	s = by_id(pt, "p14s2");
	ok(s && s->band == HX_PT_50 && !s->target &&
	       !strcmp(s->source, "Page 1"),
	   "field result is a segment of its own (50 against 'Article 1')");

	hx_pretranslate(&again, doc, tm, "en", "zh", &po, &err);
	ok(again && hx_pt_count(again) == hx_pt_count(pt),
	   "a second run: same segments");
	for (size_t i = 0; again && i < hx_pt_count(pt); i++)
		if (strcmp(hx_pt_get(pt, i)->id, hx_pt_get(again, i)->id))
			ok(0, "ids are stable (%zu)", i);
	hx_pt_free(again);

	test_draft(pt, doc, docx);
	test_merge(pt, docx);
	test_find_original(pt);
	test_notes(tm);
done:
	hx_pt_free(pt);
	hx_tm_free(tm);
	hx_doc_free(doc);
}

/* Numbers of a 99 match carried into its target: inside Chinese and
 * Arabic dates too, and a paragraph number the new source lacks taken
 * off the target. */
static void test_transfer(void)
{
	static const char *const langs[] = {"en", "zh", "ar", "fr", "ru", "es"};
	static const char *const units[][6] = {
	    {"The meeting was held on 24 and 25 October 2013.",
	     "会议于2013年10月24和25日举行。",
	     "عُقد الاجتماع يومي 24 و25 تشرين الأول/أكتوبر 2013.",
	     "La réunion s'est tenue les 24 et 25 octobre 2013.",
	     "Совещание состоялось 24 и 25 октября 2013 года.",
	     "La reunión se celebró los días 24 y 25 de octubre de 2013."},
	    {"39. The Council noted the report of the Working Group.",
	     "39. 理事会注意到工作组的报告。",
	     "39. أحاط المجلس علماً بتقرير الفريق العامل.",
	     "39. Le Conseil a pris note du rapport du Groupe de travail.",
	     "39. Совет принял к сведению доклад Рабочей группы.",
	     "39. El Consejo tomó nota del informe del Grupo de Trabajo."},
	    {"A budget of 1,250,000 Swiss francs was approved for 2024.",
	     "为2024年核准了1,250,000瑞士法郎的预算。",
	     "ووفق على ميزانية قدرها 1 250 000 فرنك سويسري لعام 2024.",
	     "Un budget de 1 250 000 francs suisses a été approuvé pour "
	     "2024.",
	     "На 2024 год был утвержден бюджет в размере 1 250 000 "
	     "швейцарских франков.",
	     "Se aprobó un presupuesto de 1.250.000 francos suizos para "
	     "2024."},
	    {"The rate rose by 2.5 per cent in 2013.", "2013年比率上升了2.5%。",
	     "وارتفع المعدل بنسبة ٢٫٥ في المائة في عام ٢٠١٣.",
	     "Le taux a augmenté de 2,5 % en 2013.",
	     "В 2013 году ставка выросла на 2,5 процента.",
	     "En 2013 la tasa aumentó un 2,5 por ciento."}};
	static const struct {
		const char *tgt, *query, *want;
	} cases[] = {
	    {"zh", "The meeting was held on 14 and 15 October 2025.",
	     "会议于2025年10月14和15日举行。"},
	    {"ar", "The meeting was held on 14 and 15 October 2025.",
	     "عُقد الاجتماع يومي 14 و15 تشرين الأول/أكتوبر 2025."},
	    {"fr", "The meeting was held on 14 and 15 October 2025.",
	     "La réunion s'est tenue les 14 et 15 octobre 2025."},
	    {"zh", "The Council noted the report of the Working Group.",
	     "理事会注意到工作组的报告。"},
	    {"ar", "The Council noted the report of the Working Group.",
	     "أحاط المجلس علماً بتقرير الفريق العامل."},
	    {"fr", "A budget of 1,300,000 Swiss francs was approved for 2026.",
	     "Un budget de 1 300 000 francs suisses a été approuvé pour "
	     "2026."},
	    {"zh", "A budget of 1,300,000 Swiss francs was approved for 2026.",
	     "为2026年核准了1,300,000瑞士法郎的预算。"},
	    {"ru", "The meeting was held on 14 and 15 October 2025.",
	     "Совещание состоялось 14 и 15 октября 2025 года."},
	    {"es", "The meeting was held on 14 and 15 October 2025.",
	     "La reunión se celebró los días 14 y 15 de octubre de 2025."},
	    {"ru", "The Council noted the report of the Working Group.",
	     "Совет принял к сведению доклад Рабочей группы."},
	    {"es", "The Council noted the report of the Working Group.",
	     "El Consejo tomó nota del informe del Grupo de Trabajo."},
	    {"ru", "A budget of 1,300,000 Swiss francs was approved for 2026.",
	     "На 2026 год был утвержден бюджет в размере 1 300 000 "
	     "швейцарских франков."},
	    {"es", "A budget of 1,300,000 Swiss francs was approved for 2026.",
	     "Se aprobó un presupuesto de 1.300.000 francos suizos para "
	     "2026."},
	    {"ru", "The rate rose by 3.75 per cent in 2015.",
	     "В 2015 году ставка выросла на 3,75 процента."},
	    {"es", "The rate rose by 3.75 per cent in 2015.",
	     "En 2015 la tasa aumentó un 3,75 por ciento."},
	    {"fr", "The rate rose by 3.75 per cent in 2015.",
	     "Le taux a augmenté de 3,75 % en 2015."},
	    {"ar", "The rate rose by 3.75 per cent in 2015.",
	     "وارتفع المعدل بنسبة ٣٫٧٥ في المائة في عام ٢٠١٥."},
	    {"zh", "The rate rose by 3.75 per cent in 2015.",
	     "2015年比率上升了3.75%。"}};
	hx_tm_options to;
	hx_tm *tm = NULL;
	hx_tm_batch *b = NULL;
	hx_error err;

	hx_error_init(&err);
	hx_tm_options_init(&to);
	to.create = true;
	if (hx_tm_open(&tm, TMP("transfer.db"), &to, &err) < 0 ||
	    hx_tm_batch_begin(&b, tm, "transfer", &err) < 0) {
		ok(0, "set-up: %s", err.message);
		hx_tm_free(tm);
		return;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++)
		hx_tm_batch_add(b, langs, units[i], 6, &err);
	if (hx_tm_batch_commit(b, NULL, &err) < 0) {
		ok(0, "commit: %s", err.message);
		hx_tm_free(tm);
		return;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		hx_doc *doc = NULL;
		hx_pt *pt = NULL;
		const hx_pt_segment *s;
		hx_doc_new(&doc, "new.txt", &err);
		hx_doc_add_block(doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0,
				 cases[i].query, strlen(cases[i].query), 1,
				 &err);
		hx_pretranslate(&pt, doc, tm, "en", cases[i].tgt, NULL, &err);
		s = pt && hx_pt_count(pt) == 1 ? hx_pt_get(pt, 0) : NULL;
		is_str(s && s->target ? s->target : "(none)", cases[i].want,
		       "%s: %s", cases[i].tgt, cases[i].query);
		if (strncmp(cases[i].query, "The Council", 11))
			ok(s && s->numbers_fixed && !s->numbers_unfixed,
			   "marked fixed (score %d)", s ? s->score : -1);
		hx_pt_free(pt);
		hx_doc_free(doc);
	}
	hx_tm_free(tm);
}

static void test_options(void)
{
	hx_pt_options po;
	hx_tm_options to;
	hx_doc *doc = NULL;
	hx_tm *tm = NULL;
	hx_pt *pt = NULL;
	hx_error err;

	hx_error_init(&err);
	hx_tm_options_init(&to);
	hx_pt_options_init(&po);
	is_int(po.min_score, 75, "default minimum 75");
	hx_doc_new(&doc, "x", &err);
	hx_doc_add_block(doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0, "Hello.", 6, 1,
			 &err);
	hx_tm_open(&tm, TMP("m.db"), &to, &err);
	po.min_score = 101;
	is_int(hx_pretranslate(&pt, doc, tm, "en", "zh", &po, &err), HX_EINVAL,
	       "min above 100 refused");
	ok(pt == NULL, "nothing returned");
	hx_tm_free(tm);
	hx_doc_free(doc);
}

static void on_note(void *payload, const char *message)
{
	char *last = payload;
	snprintf(last, 256, "%s", message);
}

/* The file workflow, the report's format names and the draft's notes. */
static void test_file_calls(void)
{
	hx_pt_file_options fo;
	hx_pt_report_format f = HX_PT_REPORT_TEXT;
	hx_docx_fill_stats st;
	hx_pt *pt = NULL;
	hx_error err;
	char last[256] = "";

	hx_error_init(&err);
	hx_pt_file_options_init(&fo);
	is_int(fo.pt.min_score, 75, "file options: min 75");
	is_int(hx_pretranslate_file(&pt, DATA("data/html/udhr/eng.html"),
				    TMP("m.db"), "en", "zh", &fo, &err),
	       HX_OK, "pretranslate a file");
	ok(pt && hx_pt_count(pt) > 10, "its sentences");
	is_int(hx_pt_write_xliff(pt, DATA("data/html/udhr/eng.html"),
				 TMP("f.xlf"), HX_XLIFF_21, &err),
	       HX_OK, "its XLIFF, with the checksum");
	hx_pt_free(pt);
	pt = NULL;
	is_int(hx_pretranslate_file(&pt, DATA("data/html/udhr/eng.html"),
				    TMP("none.db"), "en", "zh", &fo, &err),
	       HX_ENOTFOUND, "a memory that is not there");
	ok(pt == NULL, "nothing returned");

	ok(hx_pt_report_format_of_path(&f, "a/r.htm") == HX_OK &&
	       f == HX_PT_REPORT_HTML,
	   "report .htm");
	ok(hx_pt_report_format_of_path(&f, "a.d/report") == HX_EINVAL &&
	       f == HX_PT_REPORT_HTML,
	   "a folder's dot is no extension");
	ok(hx_pt_report_format_parse(&f, "text") == HX_OK &&
	       f == HX_PT_REPORT_TEXT,
	   "report 'text'");

	memset(&st, 0, sizeof(st));
	st.kept[HX_DOCX_KEPT_EQUATION] = 2;
	st.kept_first[HX_DOCX_KEPT_EQUATION] = 3;
	st.kept_part[HX_DOCX_KEPT_EQUATION] = HX_DOCX_FOOTNOTES;
	hx_docx_kept_foreach(&st, "n.docx", on_note, last);
	is_str(last,
	       "n.docx: footnotes paragraph 3: 2 equations kept untouched "
	       "(not pre-translated)",
	       "the draft's note on what it kept");
}

int main(int argc, char **argv)
{
	char cmd[4096];

	if (argc < 3) {
		fprintf(stderr,
			"usage: test-pretranslate HEXALIGN TESTS_DIR\n");
		return 2;
	}
	tests_dir = argv[2];
	if (!mkdtemp(tmpdir))
		return 1;
	test_counting();
	test_bands();
	snprintf(cmd, sizeof(cmd),
		 "%s align -q -o %s --db %s %s %s >/dev/null 2>&1 && "
		 "%s tm import --db %s %s >/dev/null 2>&1",
		 argv[1], TMP("udhr.tmx"), TMP("m.db"),
		 DATA("data/html/udhr/eng.html"),
		 DATA("data/html/udhr/cmn_hans.html"), argv[1], TMP("m.db"),
		 DATA("data/tm/cwg-cop.tmx"));
	is_int(run(cmd), 0, "memory built: UDHR en-zh aligned, CWG-COP units");
	test_realistic();
	test_transfer();
	test_options();
	test_file_calls();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	return done_testing();
}
