/*
 * test-read-txt.c - the plain-text reader on the real seeds and on every
 * kind of bad or unusual encoding.
 */
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

/* The first block whose text starts with prefix, or NULL. */
static const hx_block *find(const hx_doc *doc, const char *prefix)
{
	for (size_t i = 0; i < hx_doc_count(doc); i++) {
		const hx_block *b = hx_doc_get_block(doc, i);
		if (!strncmp(b->text, prefix, strlen(prefix)))
			return b;
	}
	return NULL;
}

static void expect_error(const char *name, int code, const char *needle)
{
	hx_doc *doc = NULL;
	hx_error err;
	int rc = read_fixture(&doc, name, &err);

	is_int(rc, code, "%s fails with %s", name, hx_status_str(code));
	ok(doc == NULL, "%s gives no document", name);
	ok(strstr(err.message, name) && strstr(err.message, needle),
	   "%s message names file and '%s': %s", name, needle, err.message);
}

int main(int argc, char **argv)
{
	const hx_block *b;
	hx_doc *doc = NULL, *d2 = NULL;
	hx_error err;

	dir = argc > 1 ? argv[1] : "tests/data/txt";

	ok(read_fixture(&doc, "seed-en-004.txt", &err) == HX_OK,
	   "read en seed: %s", err.message);
	is_str(hx_doc_detect_lang(doc), "en", "en seed detected as en");
	b = hx_doc_get_block(doc, 0);
	is_str(b->text, "Agenda item: PL-2", "bookmarks and image dropped");
	is_int(b->line, 2, "first block is line 2");
	b = find(doc, "Document C26/15-E");
	ok(b != NULL, "document symbol line kept");
	for (size_t i = 0; i < hx_doc_count(doc); i++) {
		b = hx_doc_get_block(doc, i);
		ok(!strstr(b->text, "[bookmark:") && !strstr(b->text, "____"),
		   "block %zu has no artefact", i);
	}
	hx_doc_free(doc);

	ok(read_fixture(&doc, "seed-zh-003.txt", &err) == HX_OK,
	   "read zh seed");
	is_str(hx_doc_detect_lang(doc), "zh", "zh seed detected as zh");
	b = find(doc, "草拟的议程获得通过");
	ok(b && !strcmp(b->label, "3.1"), "label after bookmark: 3.1");
	b = find(doc, "理事会保护上网儿童工作组（CWG-COP）第18次会议于");
	ok(b && !strcmp(b->label, "1.1") && b->kind == HX_BLOCK_PARAGRAPH,
	   "numbered paragraph 1.1");
	b = find(doc, "引言");
	ok(b && !strcmp(b->label, "1") && b->kind == HX_BLOCK_HEADING,
	   "'1\\t引言' is a heading");
	b = find(doc, "摩洛哥王国数字化发展署的文件");
	ok(b && !strcmp(b->label, "–") && b->kind == HX_BLOCK_LIST_ITEM,
	   "dash bullet is a list item");
	hx_doc_free(doc);

	/* The same text in four encodings reads the same. */
	ok(read_fixture(&doc, "utf8-bom-crlf.txt", &err) == HX_OK,
	   "utf8 bom crlf");
	ok(read_fixture(&d2, "utf16le-bom.txt", &err) == HX_OK, "utf16le bom");
	is_int(hx_doc_count(d2), hx_doc_count(doc), "utf16le same blocks");
	for (size_t i = 0; i < hx_doc_count(doc) && i < hx_doc_count(d2); i++)
		if (strcmp(hx_doc_get_block(doc, i)->text,
			   hx_doc_get_block(d2, i)->text))
			ok(0, "utf16le block %zu differs", i);
	ok(!strchr(hx_doc_get_block(doc, 1)->text, '\r'), "no CR left");
	is_int(hx_doc_get_block(doc, 1)->line, hx_doc_get_block(d2, 1)->line,
	       "CRLF counts lines like LF");
	hx_doc_free(d2);
	ok(read_fixture(&d2, "utf16be-bom.txt", &err) == HX_OK, "utf16be bom");
	is_int(hx_doc_count(d2), hx_doc_count(doc), "utf16be same blocks");
	hx_doc_free(d2);
	hx_doc_free(doc);

	ok(read_fixture(&doc, "cr-only.txt", &err) == HX_OK, "CR line ends");
	is_int(hx_doc_count(doc), 2, "CR splits lines");
	is_int(hx_doc_get_block(doc, 1)->line, 2, "second line number");
	hx_doc_free(doc);

	expect_error("empty.txt", HX_EFORMAT, "empty file");
	expect_error("blank.txt", HX_EFORMAT, "no text");
	expect_error("invalid-utf8.txt", HX_EFORMAT,
		     ":2: invalid UTF-8 at byte offset 47");
	expect_error("nul.txt", HX_EFORMAT, "NUL byte at offset 3");
	expect_error("utf16-lone-surrogate.txt", HX_EFORMAT,
		     "invalid UTF-16LE at byte offset 4");
	expect_error("does-not-exist.txt", HX_ENOTFOUND, "cannot open");
	return done_testing();
}
