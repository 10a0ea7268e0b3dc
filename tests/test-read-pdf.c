/*
 * test-read-pdf.c - the PDF reader on fixtures LibreOffice made (see
 * data/pdf/make-fixtures.py): a five-page report whose running header
 * and page-number footer must go, headings and labels, hyphenation at
 * line ends, a two-column page, Chinese without spurious spaces, block
 * origins; and every bad input (encrypted, truncated, image-only, empty,
 * no pages, not a PDF) refused with HX_EFORMAT and a message naming the
 * file and the fault.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "tap.h"

static const char *dir;

static int read_fixture(hx_doc **doc, const char *name, hx_error *err)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	hx_error_init(err);
	return hx_read_file(doc, path, NULL, err);
}

/* The fixture read, with a test that it read; NULL when it did not. */
static hx_doc *open_ok(const char *name)
{
	hx_doc *doc = NULL;
	hx_error err;
	int rc = read_fixture(&doc, name, &err);

	is_int(rc, HX_OK, "%s reads (%s)", name, err.message);
	return rc ? NULL : doc;
}

/* The first block whose text holds s, or NULL. */
static const hx_block *find_in(const hx_doc *doc, const char *s)
{
	for (size_t i = 0; i < hx_doc_count(doc); i++) {
		const hx_block *b = hx_doc_get_block(doc, i);
		if (strstr(b->text, s))
			return b;
	}
	return NULL;
}

/* The first block labelled s, or NULL. */
static const hx_block *find_label(const hx_doc *doc, const char *s)
{
	for (size_t i = 0; i < hx_doc_count(doc); i++) {
		const hx_block *b = hx_doc_get_block(doc, i);
		if (!strcmp(b->label, s))
			return b;
	}
	return NULL;
}

/* The first block whose text starts with s, or NULL. */
static const hx_block *find(const hx_doc *doc, const char *s)
{
	for (size_t i = 0; i < hx_doc_count(doc); i++) {
		const hx_block *b = hx_doc_get_block(doc, i);
		if (!strncmp(b->text, s, strlen(s)))
			return b;
	}
	return NULL;
}

static void report_en(void)
{
	const hx_block *b;
	bool header = false, number = false, ordinals = true;
	unsigned last_page = 0;
	hx_doc *doc = open_ok("report-en.pdf");

	if (!doc)
		return;
	for (size_t i = 0; i < hx_doc_count(doc); i++) {
		b = hx_doc_get_block(doc, i);
		if (strstr(b->text, "Report on child online protection"))
			header = true;
		if (b->text[0] == '-' && b->text_len <= 5)
			number = true;
		if (b->line != i + 1 || b->page < last_page)
			ordinals = false;
		last_page = b->page;
	}
	ok(!header, "the running header is dropped on every page");
	ok(!number, "the page-number footer (- N -) is dropped");
	ok(ordinals, "line is the block's ordinal, pages never go back");
	is_int(last_page, 5, "the last block is on page 5");
	b = find(doc, "Introduction");
	ok(b && b->kind == HX_BLOCK_HEADING && b->level == 1 &&
	       !strcmp(b->label, "1"),
	   "'1 Introduction' is a level-1 heading labelled 1");
	b = find(doc, "The ITU Council Working Group");
	ok(b && b->kind == HX_BLOCK_PARAGRAPH && !strcmp(b->label, "1.1") &&
	       b->page == 1 && b->x > 50 && b->x < 60 && b->y > 600 &&
	       b->y < 640,
	   "paragraph 1.1: label, page 1, origin near (57, 623)");
	b = find_label(doc, "2.10");
	ok(b && !strcmp(b->text, "The main results of the meeting were:"),
	   "'2.10 The main...' takes its label without a visible tab");
	b = find(doc, "to facilitate the contribution");
	ok(b && !strcmp(b->label, "–") && b->page == 2,
	   "a list item continued on page 2 keeps its dash label");
	b = find(doc, "The Working Group welcomed continued coordination");
	ok(b && strstr(b->text, "technical work related to artificial"),
	   "a paragraph broken by a page break is one block");
	b = find(doc, "The meeting reaffirmed the importance of inclusive");
	ok(b && strstr(b->text, "cross-community"),
	   "a line-end hyphen after 'cross' stays (compound prefix)");
	b = find_in(doc,
		    "The meetings highlighted the importance of "
		    "whole-of-government and multi-stakeholder approaches");
	ok(b != NULL, "hyphenated compounds read as written");
	hx_doc_free(doc);
}

static void report_zh(void)
{
	const hx_block *b;
	bool header = false, number = false;
	hx_doc *doc = open_ok("report-zh.pdf");

	if (!doc)
		return;
	for (size_t i = 0; i < hx_doc_count(doc); i++) {
		b = hx_doc_get_block(doc, i);
		if (strstr(b->text, "保护上网儿童工作组报告"))
			header = true;
		if (!strcmp(b->text, "1") || !strcmp(b->text, "2"))
			number = true;
	}
	ok(!header && !number, "Chinese running header and page numbers go");
	b = find(doc, "引言");
	ok(b && b->kind == HX_BLOCK_HEADING && !strcmp(b->label, "一"),
	   "'一 引言' is a heading labelled 一");
	b = find(
	    doc,
	    "根据国际电联理事会第1306号决议（C09，最后修正C24）和全权"
	    "代表大会第179号决议（2022年，布加勒斯特，修订版），本文件介绍了"
	    "理事会保护上网儿童工作组（CWG-COP）主席");
	ok(b != NULL, "no space between Chinese and digits or Latin, nor at "
		      "line ends");
	b = find(doc, "独联体国家");
	ok(b && !strcmp(b->label, "–") && b->page == 2,
	   "a list item at the top of page 2 starts its own block");
	hx_doc_free(doc);
}

static void hyphen(void)
{
	hx_doc *doc = open_ok("hyphen.pdf");

	if (!doc)
		return;
	is_int(hx_doc_count(doc), 1, "one paragraph");
	is_str(hx_doc_get_block(doc, 0)->text,
	       "The secretariat ensured close coordination with the CWG-COP "
	       "and the Member States; the plan for 2025-2026 covers the "
	       "implementation of the cross-border projects.",
	       "line-end hyphens: joined before lower case, kept before a "
	       "capital, a digit, and after a compound prefix");
	hx_doc_free(doc);
}

static void two_column(void)
{
	bool order = true;
	hx_doc *doc = open_ok("two-column.pdf");

	if (!doc)
		return;
	is_int(hx_doc_count(doc), 17, "a heading and 16 numbered paragraphs");
	is_str(hx_doc_get_block(doc, 0)->text, "Two columns", "the title");
	ok(hx_doc_get_block(doc, 0)->kind == HX_BLOCK_HEADING,
	   "the title is a heading");
	for (size_t i = 1; i < hx_doc_count(doc); i++) {
		char want[24];
		snprintf(want, sizeof(want), "%zu.", i);
		if (strcmp(hx_doc_get_block(doc, i)->label, want))
			order = false;
	}
	ok(order, "paragraphs 1. to 16. in order: left column, then right");
	ok(hx_doc_count(doc) == 17 && hx_doc_get_block(doc, 15)->x > 300 &&
	       hx_doc_get_block(doc, 14)->x < 100,
	   "paragraph 15. opens the right column");
	hx_doc_free(doc);
}

static void chinese(void)
{
	/* UDHR preamble, Simplified Chinese (data/pdf/SOURCE.md). */
	static const char *const want[] = {
	    "鉴于对人类家庭所有成员的固有尊严及其平等的和不移的权利的承认,"
	    "乃是世界自由、正义与和平的基础,",
	    "鉴于对人权的无视和侮蔑已发展为野蛮暴行,这些暴行玷污了人类的良心,"
	    "而一个人人享有言论和信仰自由并免予恐惧和匮乏的世界的来临,"
	    "已被宣布为普通人民的最高愿望,",
	    "鉴于为使人类不致迫不得已铤而走险对暴政和压迫进行反叛,"
	    "有必要使人权受法治的保护,"};
	hx_doc *doc = open_ok("chinese.pdf");

	if (!doc)
		return;
	is_int(hx_doc_count(doc), 3, "three paragraphs");
	for (size_t i = 0; i < 3 && i < hx_doc_count(doc); i++)
		is_str(hx_doc_get_block(doc, i)->text, want[i],
		       "UDHR zh paragraph %zu equals the source", i + 1);
	hx_doc_free(doc);
}

/*
 * Arabic: what poppler-glib 22.12 gives for LibreOffice's right-to-left
 * PDF is not yet the source text (the first line is lost by poppler's
 * page text, lam-alef ligatures come back as alef-lam, some word spaces
 * go). Checked here: it reads, and no bidi control or presentation form
 * reaches the text; the equality with the source is a TAP TODO.
 */
static void arabic(void)
{
	static const char want[] =
	    "ولما كان تناسي حقوق الإنسان وازدراؤها قد أفضيا إلى أعمال "
	    "همجية آذت الضمير الإنساني. وكان غاية ما يرنو إليه عامة البشر "
	    "انبثاق عالم يتمتع فيه الفرد بحرية القول والعقيدة ويتحرر من "
	    "الفزع والفاقة.";
	bool clean = true, found = false;
	hx_doc *doc = open_ok("arabic.pdf");

	if (!doc)
		return;
	for (size_t i = 0; i < hx_doc_count(doc); i++) {
		const char *t = hx_doc_get_block(doc, i)->text;
		/* U+202A..U+202E are E2 80 AA..AE; U+FE70..U+FEFF are
		 * EF B9 B0..EF BB BF. */
		for (const char *c = t; *c; c++)
			if ((c[0] == '\xE2' && c[1] == '\x80' &&
			     (unsigned char)c[2] >= 0xAA &&
			     (unsigned char)c[2] <= 0xAE) ||
			    (c[0] == '\xEF' &&
			     (c[1] == '\xB9' || c[1] == '\xBA' ||
			      c[1] == '\xBB')))
				clean = false;
		if (!strcmp(t, want))
			found = true;
	}
	ok(clean, "no bidi controls nor presentation forms in the text");
	tap_n++;
	printf("%sok %d - UDHR ar paragraph 2 equals the source # TODO poppler "
	       "text order for right-to-left PDF\n",
	       found ? "" : "not ", tap_n);
	hx_doc_free(doc);
}

static void bad(const char *name, const char *what)
{
	hx_doc *doc = NULL;
	hx_error err;
	int rc = read_fixture(&doc, name, &err);

	is_int(rc, HX_EFORMAT, "%s: HX_EFORMAT", name);
	ok(doc == NULL, "%s: no document", name);
	ok(strstr(err.message, name) && strstr(err.message, what),
	   "%s: message names the file and says '%s' (%s)", name, what,
	   err.message);
}

static void bad_memory(const char *label, const char *data, size_t len,
		       const char *what)
{
	hx_read_options opts;
	hx_doc *doc = NULL;
	hx_error err;
	int rc;

	hx_read_options_init(&opts);
	opts.format = HX_FORMAT_PDF;
	hx_error_init(&err);
	rc = hx_read_memory(&doc, "mem.pdf", data, len, &opts, &err);
	is_int(rc, HX_EFORMAT, "%s: HX_EFORMAT", label);
	ok(doc == NULL && strstr(err.message, "mem.pdf") &&
	       strstr(err.message, what),
	   "%s: says '%s' (%s)", label, what, err.message);
}

/* A well-formed PDF whose page tree holds no page. */
static const char zero_pages[] =
    "%PDF-1.4\n"
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    "trailer << /Root 1 0 R /Size 3 >>\n"
    "%%EOF\n";

int main(int argc, char **argv)
{
	hx_read_options opts;
	hx_doc *doc = NULL;
	hx_error err;
	char path[1024];

	if (argc < 2) {
		fprintf(stderr, "usage: test-read-pdf DATA_DIR\n");
		return 2;
	}
	dir = argv[1];
	is_int(hx_format_parse("pdf"), HX_FORMAT_PDF, "'pdf' names the format");
	report_en();
	report_zh();
	hyphen();
	two_column();
	chinese();
	arabic();
	bad("encrypted.pdf", "encrypted; hexalign cannot read "
			     "password-protected PDF");
	bad("truncated.pdf", "broken PDF");
	bad("image-only.pdf", "no text layer: image-only PDF (needs OCR)");
	bad_memory("empty", "", 0, "empty file");
	bad_memory("zero pages", zero_pages, sizeof(zero_pages) - 1,
		   "no pages");
	bad_memory("not a PDF", "hello", 5, "not a PDF");
	bad_memory("header only", "%PDF-1.7\n", 9, "broken PDF");

	/* Sniffed by content whatever the name, and the size cap holds. */
	snprintf(path, sizeof(path), "%s/hyphen.pdf", dir);
	hx_read_options_init(&opts);
	opts.max_input = 1000;
	hx_error_init(&err);
	is_int(hx_read_file(&doc, path, &opts, &err), HX_ELIMIT,
	       "max_input applies to PDF (%s)", err.message);
	{
		FILE *f = fopen(path, "rb");
		static char buf[1 << 16];
		size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
		if (f)
			fclose(f);
		hx_error_init(&err);
		is_int(hx_read_memory(&doc, "noext.bin", buf, n, NULL, &err),
		       HX_OK, "%%PDF- magic is enough to read a PDF (%s)",
		       err.message);
		hx_doc_free(doc);
	}
	return done_testing();
}
