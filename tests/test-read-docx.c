/*
 * test-read-docx.c - the DOCX reader on hand-made fixtures (see
 * data/docx/make-fixtures.py): every block of basic.docx checked exactly,
 * a Chinese document with typed labels, and each kind of hostile or
 * broken file refused with a message that names the file and the fault.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "tap.h"

static const char *dir;

static int read_fixture(hx_doc **doc, const char *name,
			const hx_read_options *opts, hx_error *err)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	hx_error_init(err);
	return hx_read_file(doc, path, opts, err);
}

struct want {
	hx_block_kind kind;
	int level;
	const char *label;
	const char *text;
	size_t line;
};

static const struct want basic[] = {
    {HX_BLOCK_HEADING, 1, "1", "Introduction", 1},
    {HX_BLOCK_LIST_ITEM, 2, "1.1", "First point with a\ttab and a\nbreak.", 2},
    {HX_BLOCK_LIST_ITEM, 3, "1.1.1", "Deeper point.", 3},
    {HX_BLOCK_LIST_ITEM, 2, "1.2", "Second point.", 4},
    {HX_BLOCK_HEADING, 2, "", "Background", 5},
    {HX_BLOCK_PARAGRAPH, 0, "", "The council approved the plan.", 6},
    {HX_BLOCK_PARAGRAPH, 0, "", "Page 7 of 12", 7},
    {HX_BLOCK_LIST_ITEM, 1, "a)", "Alpha item.", 8},
    {HX_BLOCK_LIST_ITEM, 1, "b)", "Beta item.", 9},
    {HX_BLOCK_LIST_ITEM, 1, "(i)", "Roman item.", 10},
    {HX_BLOCK_LIST_ITEM, 2, "I.", "Upper roman item.", 11},
    {HX_BLOCK_LIST_ITEM, 1, "•", "Symbol bullet.", 12},
    {HX_BLOCK_LIST_ITEM, 2, "o", "Hollow bullet.", 13},
    {HX_BLOCK_LIST_ITEM, 3, "▪", "Square bullet.", 14},
    {HX_BLOCK_LIST_ITEM, 1, "一、", "第一项。", 15},
    {HX_BLOCK_LIST_ITEM, 1, "二、", "第二项。", 16},
    {HX_BLOCK_LIST_ITEM, 1, "十一、", "第十一项。", 17},
    {HX_BLOCK_TABLE_CELL, 0, "", "A1", 18},
    {HX_BLOCK_TABLE_CELL, 0, "", "B1", 19},
    {HX_BLOCK_TABLE_CELL, 0, "", "A2", 20},
    {HX_BLOCK_TABLE_CELL, 0, "", "B2 line one", 21},
    {HX_BLOCK_TABLE_CELL, 0, "", "B2 line two", 22},
    {HX_BLOCK_PARAGRAPH, 0, "2.3", "Typed label text.", 23},
    /* paragraph 24 is empty: no block, but it is counted */
    {HX_BLOCK_PARAGRAPH, 0, "", "non\u2011breaking hyphen", 25},
    {HX_BLOCK_PARAGRAPH, 0, "", "Visible.", 26},
    {HX_BLOCK_PARAGRAPH, 0, "", "Moved new text.", 27},
    {HX_BLOCK_HEADING, 2, "", "Annex", 28},
    {HX_BLOCK_HEADING, 1, "", "Report title", 29},
    {HX_BLOCK_HEADING, 1, "", "Unnumbered heading", 30},
    {HX_BLOCK_PARAGRAPH, 0, "", "Cyclic style.", 31},
    {HX_BLOCK_PARAGRAPH, 0, "", "Contents entry", 32},
    {HX_BLOCK_PARAGRAPH, 0, "", "Last entry after field", 33},
    {HX_BLOCK_LIST_ITEM, 1, "一百一十、", "第一百一十项。", 34},
    {HX_BLOCK_LIST_ITEM, 1, "一万零一十、", "第一万零一十项。", 35},
    /* notes: line counts w:p in their part, separators included */
    {HX_BLOCK_FOOTNOTE, 0, "1", "First footnote text.", 3},
    {HX_BLOCK_FOOTNOTE, 0, "2", "Second footnote, first paragraph.", 4},
    {HX_BLOCK_FOOTNOTE, 0, "2", "Second footnote, second paragraph.", 5},
    {HX_BLOCK_ENDNOTE, 0, "1", "The endnote text.", 3},
};

static void check_blocks(const hx_doc *doc, const char *name,
			 const struct want *w, size_t n)
{
	is_int(hx_doc_count(doc), n, "%s: block count", name);
	for (size_t i = 0; i < n && i < hx_doc_count(doc); i++) {
		const hx_block *b = hx_doc_get_block(doc, i);
		is_str(b->text, w[i].text, "%s[%zu] text", name, i);
		is_str(b->label, w[i].label, "%s[%zu] label '%s'", name, i,
		       w[i].label);
		is_str(hx_block_kind_str(b->kind), hx_block_kind_str(w[i].kind),
		       "%s[%zu] kind", name, i);
		is_int(b->level, w[i].level, "%s[%zu] level", name, i);
		is_int(b->line, w[i].line, "%s[%zu] line", name, i);
	}
}

/* No block may carry text the reader was told to drop. */
static void check_dropped(const hx_doc *doc)
{
	static const char *const gone[] = {
	    "rejected", "old", "PAGE",		"NUMPAGES",	 "TOC",
	    "Hidden",	"x=1", "Text box text", "Fallback text", "\xC2\xAD",
	};

	for (size_t k = 0; k < sizeof(gone) / sizeof(*gone); k++) {
		bool found = false;
		for (size_t i = 0; i < hx_doc_count(doc); i++)
			if (strstr(hx_doc_get_block(doc, i)->text, gone[k]))
				found = true;
		ok(!found, "'%s' is not in any block", gone[k]);
	}
}

/* A block's codes in one line: "(bold#1@4-11 )bold#1@11 !tab#3@5-6". */
static const char *codes_str(const hx_block *b)
{
	static char buf[1024];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < b->ncodes && o < sizeof(buf) - 64; i++) {
		const hx_inline *c = &b->codes[i];
		char k = c->kind == HX_INLINE_OPEN    ? '('
			 : c->kind == HX_INLINE_CLOSE ? ')'
						      : '!';
		if (c->kind == HX_INLINE_CLOSE)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o,
					      "%s%c%s#%u@%zu", i ? " " : "", k,
					      hx_inline_type_str(c->type),
					      c->id, c->start);
		else
			o += (size_t)snprintf(buf + o, sizeof(buf) - o,
					      "%s%c%s#%u@%zu-%zu", i ? " " : "",
					      k, hx_inline_type_str(c->type),
					      c->id, c->start, c->end);
	}
	return buf;
}

/* The block whose text starts with `prefix`, or NULL. */
static const hx_block *find_block(const hx_doc *doc, const char *prefix)
{
	for (size_t i = 0; i < hx_doc_count(doc); i++) {
		const hx_block *b = hx_doc_get_block(doc, i);
		if (!strncmp(b->text, prefix, strlen(prefix)))
			return b;
	}
	return NULL;
}

static void check_codes(const hx_doc *doc, const char *prefix, const char *want)
{
	const hx_block *b = find_block(doc, prefix);

	ok(b != NULL, "block '%s' found", prefix);
	if (b)
		is_str(codes_str(b), want, "codes of '%s'", prefix);
}

/* lo-report.docx, made by LibreOffice: its formatting as inline codes,
 * the text as it always was. */
static void lo_report(void)
{
	hx_doc *doc = NULL;
	hx_error err;
	int rc = read_fixture(&doc, "lo-report.docx", NULL, &err);
	const hx_block *b;

	is_int(rc, HX_OK, "read lo-report.docx: %s", err.message);
	if (!doc)
		return;
	check_codes(doc, "Report of", "");
	check_codes(doc, "The Council adopted",
		    "(bold#1@4-11 )bold#1@11 (italic#2@24-41 )italic#2@41");
	check_codes(doc, "Details are", "(link#1@19-41 )link#1@41");
	check_codes(doc, "The budget", "!footnote#1@23-23");
	check_codes(doc, "Cell two", "(bold#1@5-8 )bold#1@8");
	check_codes(doc, "First item", "");
	check_codes(doc, "See document", "");
	b = find_block(doc, "The Council adopted");
	if (b) {
		is_str(b->text,
		       "The Council adopted the programme of work for 2025.",
		       "the text keeps no trace of the codes");
		ok(b->ncodes && strstr(b->codes[0].data, "<w:b/>") != NULL,
		   "a bold code keeps its run's w:rPr: %s",
		   b->ncodes ? b->codes[0].data : "");
	}
	b = find_block(doc, "Details are");
	if (b && b->ncodes)
		ok(strstr(b->codes[0].data, "r:id=\"rId2\"") != NULL,
		   "a link keeps its start tag: %s", b->codes[0].data);
	hx_doc_free(doc);
}

static void expect_error(const char *name, const hx_read_options *opts,
			 int code, const char *needle)
{
	hx_doc *doc = NULL;
	hx_error err;
	int rc = read_fixture(&doc, name, opts, &err);

	is_int(rc, code, "%s fails with %s", name, hx_status_str(code));
	ok(doc == NULL, "%s gives no document", name);
	ok(strstr(err.message, name) && strstr(err.message, needle),
	   "%s message names file and '%s': %s", name, needle, err.message);
	hx_doc_free(doc);
}

int main(int argc, char **argv)
{
	static const struct want chinese[] = {
	    {HX_BLOCK_HEADING, 1, "", "理事会保护上网儿童工作组主席的报告", 1},
	    {HX_BLOCK_HEADING, 1, "1", "引言", 2},
	    {HX_BLOCK_PARAGRAPH, 0, "1.1",
	     "理事会保护上网儿童工作组（CWG-COP）第18次会议于2022年1月12日"
	     "通过Zoom平台在线举行。约有100名与会者代表相关国家政府、私营部门、"
	     "民间团体、学术界、国际组织和政府间组织远程参加了会议。会议由"
	     "Abdelaziz Alzarooni先生（阿拉伯联合酋长国）主持。",
	     3},
	    {HX_BLOCK_HEADING, 1, "2", "开幕致辞", 4},
	    {HX_BLOCK_PARAGRAPH, 0, "2.1",
	     "国际电联秘书长赵厚麟先生在虚拟会议室宣布会议开幕，并对所有与会者"
	     "表示欢迎。",
	     5},
	    {HX_BLOCK_LIST_ITEM, 0, "–",
	     "尼日利亚联邦共和国的文件：与保护上网儿童有关的活动", 6},
	    {HX_BLOCK_LIST_ITEM, 0, "–",
	     "摩洛哥王国数字化发展署的文件：“数字化文化/保护上网儿童”计划项目",
	     7},
	    {HX_BLOCK_LIST_ITEM, 1, "一、", "会上介绍了以下文件：", 8},
	};
	hx_read_options opts;
	hx_doc *doc = NULL;
	hx_error err;
	int rc;

	dir = argc > 1 ? argv[1] : "tests/data/docx";

	rc = read_fixture(&doc, "basic.docx", NULL, &err);
	is_int(rc, HX_OK, "read basic.docx: %s", err.message);
	if (doc) {
		check_blocks(doc, "basic.docx", basic,
			     sizeof(basic) / sizeof(*basic));
		check_dropped(doc);
		is_str(hx_doc_detect_lang(doc), "en", "basic.docx is English");
	}
	hx_doc_free(doc);
	doc = NULL;

	lo_report();
	rc = read_fixture(&doc, "basic.docx", NULL, &err);
	if (doc) {
		check_codes(doc, "First point", "!tab#1@18-19 !break#2@28-29");
		check_codes(doc, "Page 7", "!field#1@5-6 !field#2@10-12");
		check_codes(doc, "The council approved", "!footnote#1@29-29");
	}
	hx_doc_free(doc);
	doc = NULL;

	rc = read_fixture(&doc, "chinese.docx", NULL, &err);
	is_int(rc, HX_OK, "read chinese.docx: %s", err.message);
	if (doc) {
		check_blocks(doc, "chinese.docx", chinese,
			     sizeof(chinese) / sizeof(*chinese));
		is_str(hx_doc_detect_lang(doc), "zh",
		       "chinese.docx is Chinese");
	}
	hx_doc_free(doc);
	doc = NULL;

	/* The format is forced: a .docx name alone must not be trusted. */
	hx_read_options_init(&opts);
	opts.format = HX_FORMAT_DOCX;
	expect_error("not-a-zip.docx", &opts, HX_EFORMAT,
		     ": not a zip archive");
	expect_error("empty.docx", NULL, HX_EFORMAT, "empty file");
	expect_error("no-document.docx", NULL, HX_EFORMAT,
		     ": word/document.xml missing");
	expect_error("dotdot.docx", NULL, HX_EFORMAT,
		     ": zip entry '../evil.txt' escapes the archive");
	expect_error("entity-bomb.docx", NULL, HX_EFORMAT,
		     ": word/document.xml: DOCTYPE not allowed");
	expect_error("malformed.docx", NULL, HX_EFORMAT,
		     ": word/document.xml:4: malformed XML: ");

	/* Zip bombs: a small cap shows the reader counts what it inflates. */
	hx_read_options_init(&opts);
	opts.max_uncompressed = (size_t)1 << 20;
	expect_error("bomb.docx", &opts, HX_ELIMIT,
		     ": word/document.xml: uncompressed size exceeds limit of "
		     "1048576 bytes");
	expect_error("total.docx", &opts, HX_ELIMIT,
		     ": word/document.xml: uncompressed size exceeds limit of "
		     "1048576 bytes");
	/* Its headers claim 100 bytes: only counting while inflating catches
	 * it. */
	expect_error("bomb-lying.docx", &opts, HX_ELIMIT,
		     ": word/document.xml: uncompressed size exceeds limit of "
		     "1048576 bytes");

	/* Under the default limits the same bomb reads: the cap was the cause.
	 */
	rc = read_fixture(&doc, "bomb.docx", NULL, &err);
	is_int(rc, HX_OK, "bomb.docx reads under the default cap: %s",
	       err.message);
	hx_doc_free(doc);

	/* A table of contents: the entries' page numbers (PAGEREF fields
	 * inside the TOC field) are layout and dropped; a PAGEREF in
	 * running text stays, as its field code. */
	rc = read_fixture(&doc, "toc.docx", NULL, &err);
	is_int(rc, HX_OK, "toc.docx reads: %s", err.message);
	if (rc == HX_OK) {
		const hx_block *b1 = hx_doc_get_block(doc, 1),
			       *b2 = hx_doc_get_block(doc, 2),
			       *b4 = hx_doc_get_block(doc, 4);
		is_str(b1 ? b1->text : "", "Introduction",
		       "contents entry without its page number");
		is_str(b1 ? b1->label : "", "1", "contents entry's number");
		is_str(b2 ? b2->text : "", "CWG-COP activities",
		       "second entry without its page number");
		is_str(b4 ? b4->text : "",
		       "As set out on page 14, the Group met.",
		       "a page reference in running text is kept");
		ok(b4 && b4->ncodes == 1 &&
		       b4->codes[0].type == HX_INLINE_FIELD,
		   "as a field code");
	}
	hx_doc_free(doc);
	return done_testing();
}
