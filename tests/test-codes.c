/*
 * test-codes.c - inline codes past the reader: a paragraph's codes cut
 * into its sentences, a memory match's TMX codes put on the new source's
 * (or appended, with the score lowered), the XLIFF written with them and
 * read back, and check --xliff finding a target that lost one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hexalign/hexalign.h>

#include "tap.h"

static char tmpdir[] = "/tmp/hx-test-codes-XXXXXX";

static const char *tmp(const char *name)
{
	static char buf[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

/* Codes in one line, as test-read-docx.c prints them. */
static const char *codes_str(const hx_inline *v, size_t n)
{
	static char buf[1024];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && o < sizeof(buf) - 64; i++) {
		const hx_inline *c = &v[i];
		char k = c->kind == HX_INLINE_OPEN    ? '('
			 : c->kind == HX_INLINE_CLOSE ? ')'
						      : '!';
		o += (size_t)snprintf(
		    buf + o, sizeof(buf) - o, "%s%c%s#%u@%zu-%zu", i ? " " : "",
		    k, hx_inline_type_str(c->type), c->id, c->start, c->end);
	}
	return buf;
}

/* Coded text with each placeholder as {k}, readable in a test. */
static const char *show(const char *s)
{
	static char buf[1024];
	size_t o = 0;

	if (!s)
		return "(null)";
	for (const unsigned char *p = (const unsigned char *)s;
	     *p && o < sizeof(buf) - 8; p++) {
		if (p[0] == 0xEE && p[1] >= 0x80 && p[1] <= 0x8F && p[2]) {
			unsigned k =
			    ((p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu)) - 0x0u;
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "{%u}",
					      k);
			p += 2;
		} else {
			buf[o++] = (char)*p;
		}
	}
	buf[o] = '\0';
	return buf;
}

static const char *para =
    "The Council adopted the programme. It thanked the Chair.";

/* bold "Council", an italic pair from "programme" into the second
 * sentence ("It thanked"), a footnote reference after "Chair." */
static const hx_inline para_codes[] = {
    {HX_INLINE_OPEN, HX_INLINE_BOLD, 4, 11, 1, "<w:rPr><w:b/></w:rPr>", ""},
    {HX_INLINE_CLOSE, HX_INLINE_BOLD, 11, 11, 1, "", ""},
    {HX_INLINE_OPEN, HX_INLINE_ITALIC, 24, 45, 2, "<w:rPr><w:i/></w:rPr>", ""},
    {HX_INLINE_CLOSE, HX_INLINE_ITALIC, 45, 45, 2, "", ""},
    {HX_INLINE_STANDALONE, HX_INLINE_FOOTNOTE, 56, 56, 3,
     "<w:footnoteReference w:id=\"2\"/>", ""},
};

#define TMX_HEAD                                                               \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">"    \
	"<header srclang=\"en\" datatype=\"plaintext\" segtype=\"sentence\" "  \
	"adminlang=\"en\" o-tmf=\"x\" creationtool=\"t\" "                     \
	"creationtoolversion=\"1\"/><body>\n"

static hx_doc *make_doc(void)
{
	hx_doc *doc = NULL;
	hx_error err;

	hx_error_init(&err);
	if (hx_doc_new(&doc, "t.docx", &err) < 0 ||
	    hx_doc_add_block_codes(doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0, para,
				   strlen(para), 1, para_codes,
				   sizeof(para_codes) / sizeof(*para_codes),
				   &err) < 0 ||
	    hx_doc_add_block(doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0,
			     "No codes here.", 14, 2, &err) < 0)
		printf("# make_doc: %s\n", err.message);
	return doc;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* A memory: "The Council adopted the programme." with its bold as
 * bpt/ept in both languages (the French moves it), "It thanked the
 * Chair." plain, and the plain paragraph. */
static hx_tm *make_tm(void)
{
	static const char tmx[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<tmx version=\"1.4\"><header srclang=\"en\" "
	    "datatype=\"plaintext\" "
	    "segtype=\"sentence\" adminlang=\"en\" o-tmf=\"x\" "
	    "creationtool=\"t\" creationtoolversion=\"1\"/><body>\n"
	    "<tu><tuv xml:lang=\"en\"><seg>The <bpt i=\"1\">&lt;b&gt;</bpt>"
	    "Council<ept i=\"1\">&lt;/b&gt;</ept> adopted the <bpt i=\"2\">"
	    "&lt;i&gt;</bpt>programme.</seg></tuv>"
	    "<tuv xml:lang=\"fr\"><seg>Le <bpt i=\"2\">&lt;i&gt;</bpt>"
	    "programme</seg></tuv></tu>\n"
	    "<tu><tuv xml:lang=\"en\"><seg>It thanked the Chair.</seg></tuv>"
	    "<tuv xml:lang=\"fr\"><seg>Il a remercié le Président.</seg>"
	    "</tuv></tu>\n"
	    "<tu><tuv xml:lang=\"en\"><seg>No codes here.</seg></tuv>"
	    "<tuv xml:lang=\"fr\"><seg>Pas de codes ici.</seg></tuv></tu>\n"
	    "</body></tmx>\n";
	const char *paths[1];
	hx_tm_options o;
	hx_tm *tm = NULL;
	hx_error err;

	(void)tmx;
	hx_error_init(&err);
	paths[0] = tmp("m.tmx");
	write_file(paths[0], tmx);
	hx_tm_options_init(&o);
	o.create = true;
	if (hx_tm_open(&tm, tmp("m.db"), &o, &err) < 0 ||
	    hx_tm_import_tmx(tm, paths, 1, NULL, NULL, NULL, &err) < 0)
		printf("# make_tm: %s\n", err.message);
	return tm;
}

static const hx_pt_segment *by_id(const hx_pt *pt, const char *id)
{
	for (size_t i = 0; i < hx_pt_count(pt); i++)
		if (!strcmp(hx_pt_get(pt, i)->id, id))
			return hx_pt_get(pt, i);
	return NULL;
}

/* A fresh memory db holding file `name` (TMX or XLIFF) of text. */
static int memory_from(hx_tm **tm, const char *db, const char *name,
		       const char *text, hx_error *err)
{
	const char *paths[1] = {tmp(name)};
	hx_tm_options o;
	int rc;

	write_file(paths[0], text);
	hx_tm_options_init(&o);
	o.create = true;
	if ((rc = hx_tm_open(tm, tmp(db), &o, err)) < 0)
		return rc;
	return hx_tm_import_files(*tm, paths, 1, NULL, NULL, NULL, err);
}

/* make_doc() pre-translated into French against memory_from(). */
static int pretranslate_with(hx_pt **pt, hx_tm **tm, hx_doc **doc,
			     const char *db, const char *name, const char *text,
			     hx_error *err)
{
	int rc = memory_from(tm, db, name, text, err);

	*doc = make_doc();
	if (rc == HX_OK)
		rc = hx_pretranslate(pt, *doc, *tm, "en", "fr", NULL, err);
	return rc;
}

static void test_split(const hx_pt *pt)
{
	const hx_pt_segment *s1 = by_id(pt, "p1s1"), *s2 = by_id(pt, "p1s2");
	const hx_pt_segment *s3 = by_id(pt, "p2s1");

	ok(s1 && s2 && s3, "three segments");
	if (!s1 || !s2 || !s3)
		return;
	is_str(s1->source, "The Council adopted the programme.",
	       "sentence 1 text as before");
	is_str(codes_str(s1->codes, s1->ncodes),
	       "(bold#1@4-11 )bold#1@11-11 (italic#2@24-34 )italic#2@34-34",
	       "sentence 1: bold whole, italic cut at the sentence's end");
	is_str(codes_str(s2->codes, s2->ncodes),
	       "(italic#2@0-10 )italic#2@10-10 !footnote#3@21-21",
	       "sentence 2: the italic's rest, and the note reference "
	       "after its full stop");
	is_int((int)s3->ncodes, 0, "a plain paragraph has no codes");
	ok(s3->codes == NULL && s3->target_coded == NULL, "and nothing coded");
}

static void test_mapping(const hx_pt *pt)
{
	const hx_pt_segment *s1 = by_id(pt, "p1s1"), *s2 = by_id(pt, "p1s2");
	const hx_pt_segment *s3 = by_id(pt, "p2s1");

	if (!s1 || !s2 || !s3)
		return;
	printf("# s1 score %d target %s\n", s1->score, show(s1->target_coded));
	ok(s2->score == 99 && s2->codes_appended,
	   "a plain memory target cannot take the codes: 99, appended "
	   "(score %d)",
	   s2->score);
	is_str(show(s2->target_coded), "Il a remercié le Président.{0}{1}{2}",
	       "codes appended after the text");
	is_str(s2->target, "Il a remercié le Président.",
	       "the plain target has no placeholders");
	is_int(s3->score, 100, "a plain sentence keeps its exact match");
	is_str(s3->target, "Pas de codes ici.", "and its target");
	ok(!s3->codes_appended, "with nothing appended");
}

static bool has_placeholder(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		if (p[0] == 0xEE || (p[0] == 0xEF && p[1] >= 0x80 &&
				     p[1] <= 0xA3)) /* U+E000..U+F8FF */
			return true;
	return false;
}

/* Only target_coded holds placeholders: what people read (the target,
 * the memory's source shown beside it) never does. */
static void no_placeholders(const hx_pt *pt)
{
	size_t bad = 0;

	for (size_t i = 0; i < hx_pt_count(pt); i++) {
		const hx_pt_segment *s = hx_pt_get(pt, i);
		if (has_placeholder(s->target) ||
		    has_placeholder(s->match_source)) {
			printf("# %s: target '%s' match source '%s'\n", s->id,
			       show(s->target), show(s->match_source));
			bad++;
		}
	}
	is_int((int)bad, 0,
	       "no placeholder in any target or memory source shown");
}

/* A memory whose codes do map: the same sentence, codes in the TMX. */
static void test_mapped(void)
{
	static const char tmx[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<tmx version=\"1.4\"><header srclang=\"en\" "
	    "datatype=\"plaintext\" "
	    "segtype=\"sentence\" adminlang=\"en\" o-tmf=\"x\" "
	    "creationtool=\"t\" creationtoolversion=\"1\"/><body>\n"
	    "<tu><tuv xml:lang=\"en\"><seg>The <bpt i=\"1\">&lt;b&gt;</bpt>"
	    "Council<ept i=\"1\">&lt;/b&gt;</ept> adopted the <bpt i=\"2\">"
	    "&lt;i&gt;</bpt>programme.<ept i=\"2\">&lt;/i&gt;</ept></seg>"
	    "</tuv><tuv xml:lang=\"fr\"><seg>Le <bpt i=\"1\">&lt;b&gt;</bpt>"
	    "Conseil<ept i=\"1\">&lt;/b&gt;</ept> a adopté le <bpt i=\"2\">"
	    "&lt;i&gt;</bpt>programme.<ept i=\"2\">&lt;/i&gt;</ept></seg>"
	    "</tuv></tu>\n"
	    "<tu><tuv xml:lang=\"en\"><seg><bpt i=\"1\">&lt;i&gt;</bpt>It "
	    "thanked<ept i=\"1\">&lt;/i&gt;</ept> the Chair.<ph x=\"1\">"
	    "&lt;fn/&gt;</ph></seg></tuv><tuv xml:lang=\"fr\"><seg>Il a "
	    "<bpt i=\"1\">&lt;i&gt;</bpt>remercié<ept i=\"1\">&lt;/i&gt;"
	    "</ept> le Président.<ph x=\"1\">&lt;fn/&gt;</ph></seg></tuv>"
	    "</tu>\n"
	    "<tu><tuv xml:lang=\"en\"><seg>No codes here.</seg></tuv>"
	    "<tuv xml:lang=\"fr\"><seg>Pas de <bpt i=\"1\">&lt;b&gt;</bpt>"
	    "codes<ept i=\"1\">&lt;/b&gt;</ept> ici.</seg></tuv></tu>\n"
	    "</body></tmx>\n";
	hx_tm *tm = NULL;
	hx_doc *doc = NULL;
	hx_pt *pt = NULL;
	hx_error err;

	hx_error_init(&err);
	int rc =
	    pretranslate_with(&pt, &tm, &doc, "m2.db", "m2.tmx", tmx, &err);
	is_int(rc, HX_OK, "pretranslate against a coded memory: %s",
	       err.message);
	if (pt) {
		const hx_pt_segment *s1 = by_id(pt, "p1s1");
		const hx_pt_segment *s2 = by_id(pt, "p1s2");
		ok(s1 && s1->score >= 100 && !s1->codes_appended,
		   "same codes: an exact (or context) match (%d)",
		   s1 ? s1->score : -1);
		is_str(show(s1 ? s1->target_coded : NULL),
		       "Le {0}Conseil{1} a adopté le {2}programme.{3}",
		       "the target's bpt/ept on the source's codes");
		ok(s2 && s2->score >= 100 && !s2->codes_appended,
		   "sentence 2 exact too (%d)", s2 ? s2->score : -1);
		is_str(show(s2 ? s2->target_coded : NULL),
		       "Il a {0}remercié{1} le Président.{2}",
		       "a moved pair and the note reference by its x");
		is_str(s2 ? s2->target : "", "Il a remercié le Président.",
		       "plain target");
		const hx_pt_segment *s3 = by_id(pt, "p2s1");
		is_str(s3 ? s3->target : "", "Pas de codes ici.",
		       "a plain sentence's target has none of the memory's "
		       "placeholders");
		no_placeholders(pt);
	}
	hx_pt_free(pt);
	hx_tm_free(tm);
	hx_doc_free(doc);
}

/*
 * The draft of a paragraph whose first run is bold, against a plain
 * memory (the codes are appended): its runs are cloned from that run's
 * properties, and taking the bold off the unformatted text once freed a
 * name the document's dictionary owned (a crash).
 */
static void test_draft_bold_first(const char *dir)
{
	static const char tmx[] =
	    TMX_HEAD "<tu><tuv xml:lang=\"en\"><seg>The Council met in Geneva "
		     "today.</seg></tuv><tuv xml:lang=\"fr\"><seg>Le Conseil "
		     "s'est réuni à Genève aujourd'hui.</seg></tuv></tu>\n"
		     "</body></tmx>\n";
	char docx[512];
	hx_read_options ro;
	hx_tm *tm = NULL;
	hx_doc *doc = NULL, *back = NULL;
	hx_pt *pt = NULL;
	hx_error err;
	int rc;

	snprintf(docx, sizeof(docx), "%s/bold-first.docx", dir);
	hx_error_init(&err);
	hx_read_options_init(&ro);
	rc = memory_from(&tm, "bf.db", "bf.tmx", tmx, &err);
	if (rc == HX_OK)
		rc = hx_read_file(&doc, docx, &ro, &err);
	if (rc == HX_OK)
		rc = hx_pretranslate(&pt, doc, tm, "en", "fr", NULL, &err);
	is_int(rc, HX_OK, "pretranslate bold-first.docx: %s", err.message);
	if (pt) {
		const hx_pt_segment *s = by_id(pt, "p1s1");
		ok(s && s->codes_appended && s->score == 99,
		   "a plain memory target takes the bold appended (99)");
		rc = hx_pt_write_docx(pt, docx, tmp("bf.fr.docx"), NULL, &err);
		is_int(rc, HX_OK, "the draft is written: %s", err.message);
		if (rc == HX_OK)
			rc = hx_read_file(&back, tmp("bf.fr.docx"), &ro, &err);
		const hx_block *b = back && hx_doc_count(back)
					? hx_doc_get_block(back, 0)
					: NULL;
		is_str(b ? b->text : "(none)",
		       "Le Conseil s'est réuni à Genève aujourd'hui.",
		       "and reads back with the target");
		size_t bold = 0;
		for (size_t k = 0; b && k < b->ncodes; k++)
			if (b->codes[k].type == HX_INLINE_BOLD &&
			    b->codes[k].end > b->codes[k].start)
				bold += b->codes[k].end - b->codes[k].start;
		ok(b && !bold,
		   "the translated text itself is not bold (%zu "
		   "bytes bold: %s)",
		   bold, b ? codes_str(b->codes, b->ncodes) : "");
	}
	hx_pt_free(pt);
	hx_doc_free(back);
	hx_doc_free(doc);
	hx_tm_free(tm);
}

/*
 * A finished XLIFF goes back into the memory with its codes: the same
 * formatted sentence is then an exact match whose target has the codes
 * where the translator put them, not appended (a plain unit was stored
 * before, and the match was a 99 with the codes at the end).
 */
static void test_xliff_flows_back(void)
{
	static const char xlf[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" "
	    "version=\"2.1\" srcLang=\"en\" trgLang=\"fr\">\n"
	    "<file id=\"f1\"><unit id=\"p1\">\n"
	    "<segment id=\"p1s1\" state=\"translated\">\n"
	    "<source>The <pc id=\"1\" type=\"fmt\" subType=\"xlf:b\">Council"
	    "</pc> adopted the <pc id=\"2\" type=\"fmt\" subType=\"xlf:i\">"
	    "programme.</pc></source>\n"
	    "<target>Le <pc id=\"1\" type=\"fmt\" subType=\"xlf:b\">Conseil"
	    "</pc> a adopté le <pc id=\"2\" type=\"fmt\" subType=\"xlf:i\">"
	    "programme.</pc></target>\n"
	    "</segment></unit></file></xliff>\n";
	hx_tm *tm = NULL;
	hx_doc *doc = NULL;
	hx_pt *pt = NULL;
	hx_error err;

	hx_error_init(&err);
	int rc =
	    pretranslate_with(&pt, &tm, &doc, "back.db", "done.xlf", xlf, &err);
	is_int(rc, HX_OK, "import a finished XLIFF, pretranslate: %s",
	       err.message);
	const hx_pt_segment *s1 = pt ? by_id(pt, "p1s1") : NULL;
	ok(s1 && s1->score >= 100 && !s1->codes_appended,
	   "the formatted sentence is exact (%d)", s1 ? s1->score : -1);
	is_str(show(s1 ? s1->target_coded : NULL),
	       "Le {0}Conseil{1} a adopté le {2}programme.{3}",
	       "with the codes where the translator put them");
	hx_pt_free(pt);
	hx_tm_free(tm);
	hx_doc_free(doc);
}

int main(int argc, char **argv)
{
	hx_doc *doc;
	hx_tm *tm;
	hx_pt *pt = NULL;
	hx_error err;
	int rc;

	if (!mkdtemp(tmpdir))
		return 1;
	doc = make_doc();
	tm = make_tm();
	hx_error_init(&err);
	rc = hx_pretranslate(&pt, doc, tm, "en", "fr", NULL, &err);
	is_int(rc, HX_OK, "pretranslate: %s", err.message);
	if (pt) {
		test_split(pt);
		test_mapping(pt);
		no_placeholders(pt);
	}
	test_mapped();
	test_xliff_flows_back();
	if (argc > 1)
		test_draft_bold_first(argv[1]);
	else
		ok(0, "usage: test-codes DOCX_DIR");
	hx_pt_free(pt);
	hx_tm_free(tm);
	hx_doc_free(doc);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	return done_testing();
}
