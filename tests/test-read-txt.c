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

/* Read text as a .txt file with the given line layout; the blocks'
 * texts joined with '|', labels before a tab: "1.\tText|Next". */
static const char *blocks_of(const char *text, hx_txt_lines mode)
{
	static char out[2048];
	hx_read_options opts;
	hx_doc *doc = NULL;
	hx_error err;
	size_t o = 0;

	hx_read_options_init(&opts);
	opts.format = HX_FORMAT_TXT;
	opts.txt_lines = mode;
	hx_error_init(&err);
	out[0] = '\0';
	if (hx_read_memory(&doc, "t.txt", text, strlen(text), &opts, &err) <
	    0) {
		snprintf(out, sizeof(out), "error: %s", err.message);
		return out;
	}
	for (size_t i = 0; i < hx_doc_count(doc); i++) {
		const hx_block *b = hx_doc_get_block(doc, i);
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s%s%s",
				      i ? "|" : "", b->label,
				      *b->label ? "\t" : "", b->text);
		if (o >= sizeof(out))
			break;
	}
	hx_doc_free(doc);
	return out;
}

/* Text cleaning: what a Word export or a wrapped extract does to a
 * sentence, undone before the segmenter sees it. */
static void test_cleaning(void)
{
	const hx_txt_lines P = HX_TXT_LINES_PARAGRAPHS,
			   W = HX_TXT_LINES_WRAPPED;

	/* A manual line break inside a sentence: the line ends in a space
	 * and the next starts in lower case or with "(". */
	is_str(blocks_of("It was a cold \nnight in the city.\n", P),
	       "It was a cold night in the city.", "manual break joined");
	is_str(blocks_of("up to 400 yd \n( 365.8 m ).", P),
	       "up to 400 yd ( 365.8 m ).", "'(' continues the line");
	/* Without the space, or before a capital or a label, a line is a
	 * paragraph: that is what Word writes. */
	is_str(blocks_of("features\ncontact manager\nevents", P),
	       "features|contact manager|events", "short lines stay apart");
	is_str(blocks_of("It ended \nThe next", P), "It ended|The next",
	       "capital after a space: new paragraph");
	is_str(blocks_of("as follows: \ne)\tReinforcing it;", P),
	       "as follows:|e)\tReinforcing it;", "labelled line not joined");
	/* The sentence's own full stop on the next line. */
	is_str(blocks_of("contact us for pricing\n.\n\n\nPricing Info\n", P),
	       "contact us for pricing.|Pricing Info", "lone '.' joined");
	is_str(blocks_of("for pricing\n. Pricing Info", P),
	       "for pricing. Pricing Info", "'. Next' joined");
	/* Tables of contents typed with dot leaders. */
	is_str(blocks_of("About Me.........................5\n"
			 "        Chapter 2 ............... 6\n"
			 "What's the Score?.......... 9\n"
			 "How To Calculate........ 16-17\n"
			 "Annexes.................\n",
			 P),
	       "About Me|Chapter 2|What's the Score?|How To Calculate|Annexes",
	       "dot leaders and page numbers dropped");
	is_str(blocks_of("He paused.... 5 days later\nWait...\n", P),
	       "He paused.... 5 days later|Wait...",
	       "dots inside text are text");
	/* Banner rules glued to text. */
	is_str(blocks_of("//////////Header starts here\r//////////////", P),
	       "Header starts here", "banner rules dropped");
	is_str(blocks_of("a/b/c and 10 - 5\n", P), "a/b/c and 10 - 5",
	       "short runs are text");

	/* Wrapped lines: joined up to a blank line or a list item. */
	is_str(blocks_of("This is a sentence\ncut off in the middle.", W),
	       "This is a sentence cut off in the middle.", "wrapped joined");
	is_str(blocks_of("LAURA MILENA LEÓN \nSANDOVAL, identificada", W),
	       "LAURA MILENA LEÓN SANDOVAL, identificada",
	       "wrapped joined before a capital");
	is_str(blocks_of("• 9. Stop smoking \n• 10. Get some rest \n \n"
			 "You have the best chance if you follow \n"
			 "a few simple guidelines:  \n\n"
			 "1. Organise your care early",
			 W),
	       "• 9. Stop smoking|• 10. Get some rest|You have the best "
	       "chance if you follow a few simple guidelines:|1. Organise "
	       "your care early",
	       "items and blank lines start paragraphs");
	is_str(blocks_of("the coordi-\nnation of CWG-\nCOP work", W),
	       "the coordination of CWG-COP work",
	       "hyphen dropped before lower case only");
	is_str(blocks_of("In 2012 the group\n2012 was the year", W),
	       "In 2012 the group 2012 was the year",
	       "a year is not a list label");
	is_str(blocks_of("理事会保护上网儿童\n工作组第18次会议", W),
	       "理事会保护上网儿童工作组第18次会议",
	       "no space between Chinese lines");
	is_str(blocks_of("Contents\n1 Introduction ........ 1\n"
			 "2 Activities ...... 2\n\n1.1 The Group\nmet.",
			 W),
	       "Contents|1 Introduction|2 Activities|1.1 The Group met.",
	       "contents entries are not wrapped lines");
	is_str(blocks_of("the report\nof the Group\n", P),
	       "the report|of the Group", "the same lines as paragraphs");
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

	test_cleaning();

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
