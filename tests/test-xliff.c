/*
 * test-xliff.c - the XLIFF writer and reader: XLIFF 2.1 output valid
 * against the OASIS core + matches + metadata schemas and XLIFF 1.2
 * against the strict schema (xmllint), both read back to the same ids
 * and targets, hostile and broken input refused with FILE:LINE.
 *
 * usage: test-xliff DATA_DIR   (tests/data)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hexalign/hexalign.h>

#include "tap.h"

static const char *data_dir;
static char tmpdir[] = "/tmp/hx-test-xliff-XXXXXX";

static const char *tmp(const char *name)
{
	static char buf[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	fputs(text, f);
	fclose(f);
}

/* xmllint's verdict; the schemas live in tests/data/xliff/. */
static int validate(const char *schema, const char *file)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd),
		 "xmllint --noout --nonet --schema %s/xliff/%s %s "
		 ">/dev/null 2>%s/xmllint.err",
		 data_dir, schema, file, tmpdir);
	return system(cmd);
}

static hx_pt_segment seg(const char *id, const char *unit, size_t para,
			 const char *src, const char *tgt, int score)
{
	hx_pt_segment s;

	memset(&s, 0, sizeof(s));
	s.id = id;
	s.unit_id = unit;
	s.para = para;
	s.source = src;
	s.target = tgt;
	s.score = score;
	s.repeat_of = SIZE_MAX;
	s.match_source = tgt ? src : NULL;
	s.origin = tgt ? "cwg-cop.tmx" : NULL;
	return s;
}

static hx_pt *sample(void)
{
	hx_pt_segment s[6];
	hx_pt *pt = NULL;
	hx_error err;

	s[0] =
	    seg("p1s1", "p1", 1, "The Council is invited to note the report.",
		"请理事会注意本报告。", 101);
	s[1] = seg("p1s2", "p1", 1, "R&D <costs> \"rose\" by 5 %.",
		   "研发<费用>\"增长\"了5%。", 87);
	s[1].match_source = "R&D <costs> \"rose\" by 4 %.";
	s[2] = seg("p2s1", "p2", 2, "A bell\x07 rang.", NULL, 0);
	s[3] = seg("p3s1", "p3", 3, "Resolution 180 applies.",
		   "第180号决议适用。", 99);
	s[3].match_source = "Resolution 179 applies.";
	s[3].numbers_fixed = true;
	s[4] = seg("p4s1", "p4", 4, "R&D <costs> \"rose\" by 5 %.",
		   "研发<费用>\"增长\"了5%。", 87);
	s[4].repeat_of = 1;
	s[5] = seg("fn1s1", "fn1", 1, "See the annex.", "见附件。", 100);
	s[5].kind = HX_BLOCK_FOOTNOTE;
	hx_error_init(&err);
	if (hx_pt_from_segments(&pt, s, 6, "en", "zh-CN", 75, &err) < 0)
		printf("# %s\n", err.message);
	return pt;
}

static void check_read_back(const char *path, const char *what)
{
	hx_xliff *x = NULL;
	hx_error err;
	const hx_xliff_seg *g;

	hx_error_init(&err);
	is_int(hx_xliff_read(&x, path, &err), HX_OK, "%s: read back", what);
	if (!x) {
		printf("# %s\n", err.message);
		return;
	}
	is_int(hx_xliff_count(x), 6, "%s: six segments", what);
	is_str(hx_xliff_get_src(x), "en", "%s: source language", what);
	is_str(hx_xliff_get_tgt(x), "zh", "%s: target language normalised",
	       what);
	is_str(hx_xliff_get_original(x), "report.docx", "%s: original", what);
	is_str(hx_xliff_get_checksum(x), "fnv1a64-0123456789abcdef-42",
	       "%s: checksum", what);
	g = hx_xliff_get(x, 0);
	is_str(g->id, "p1s1", "%s: segment id", what);
	is_str(g->unit_id, "p1", "%s: unit id", what);
	is_str(g->target, "请理事会注意本报告。", "%s: target", what);
	g = hx_xliff_get(x, 1);
	is_str(g->source, "R&D <costs> \"rose\" by 5 %.",
	       "%s: markup characters survive", what);
	is_str(g->target, "研发<费用>\"增长\"了5%。",
	       "%s: markup characters survive in the target", what);
	g = hx_xliff_get(x, 2);
	is_str(g->source, "A bell\xEF\xBF\xBD rang.",
	       "%s: a control character became U+FFFD", what);
	ok(g->target == NULL, "%s: no target without a match", what);
	is_str(hx_xliff_get(x, 5)->id, "fn1s1", "%s: footnote id", what);
	hx_xliff_free(x);
}

static int count_in(const char *path, const char *needle)
{
	static char buf[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	int c = 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	for (char *p = buf; (p = strstr(p, needle)); p++)
		c++;
	return c;
}

static void test_write(void)
{
	hx_xliff_write_options o;
	hx_pt *pt = sample();
	hx_error err;
	const char *x2 = tmp("s21.xlf"), *x1 = tmp("s12.xlf");

	ok(pt != NULL, "sample pre-translation built");
	if (!pt)
		return;
	hx_error_init(&err);
	hx_xliff_write_options_init(&o);
	o.original = "report.docx";
	o.checksum = "fnv1a64-0123456789abcdef-42";
	is_int(hx_xliff_write(pt, x2, &o, &err), HX_OK, "XLIFF 2.1 written");
	is_int(validate("2.1/matches.xsd", x2), 0,
	       "XLIFF 2.1 valid against core + matches + metadata schemas");
	is_int(count_in(x2, "<mtc:match "), 5, "one mtc:match per target");
	is_int(count_in(x2, "similarity=\"100\""), 2,
	       "context (101) reported as similarity 100");
	is_int(count_in(x2, "subState=\"hx:numbers-fixed\""), 1,
	       "fixed numbers marked");
	is_int(count_in(x2, "state=\"translated\""), 2,
	       "context and exact are translated");
	is_int(count_in(x2, "type=\"tm\""), 5, "matches typed tm");
	check_read_back(x2, "2.1");

	o.version = HX_XLIFF_12;
	is_int(hx_xliff_write(pt, x1, &o, &err), HX_OK, "XLIFF 1.2 written");
	is_int(validate("1.2/xliff-core-1.2-strict.xsd", x1), 0,
	       "XLIFF 1.2 valid against the strict schema");
	is_int(count_in(x1, "approved=\"yes\""), 2, "two approved units");
	is_int(count_in(x1, "state-qualifier=\"fuzzy-match\""), 1,
	       "fuzzy-match qualifier");
	is_int(count_in(x1, "state-qualifier=\"leveraged-tm\""), 1,
	       "numbers fixed: leveraged-tm");
	is_int(count_in(x1, "state-qualifier=\"leveraged-inherited\""), 1,
	       "repetition: leveraged-inherited");
	is_int(count_in(x1, "match-quality=\"101\""), 1,
	       "alt-trans match-quality of a context match");
	is_int(count_in(x1, "<group id="), 5, "one group per paragraph");
	check_read_back(x1, "1.2");

	hx_xliff_write_options_init(&o);
	is_int(hx_xliff_write(pt, "/nonexistent-dir/x.xlf", &o, &err), HX_EIO,
	       "unwritable destination: HX_EIO");
	ok(strstr(err.message, "/nonexistent-dir/x.xlf") != NULL,
	   "the message names the file");
	hx_pt_free(pt);
}

/* A match that lost points for its alignment: XLIFF 2.1 keeps the
 * texts' similarity, gives the lowered matchQuality, the penalty in the
 * match's metadata and a note; XLIFF 1.2 the lowered match-quality and
 * the reason in its note. Both stay valid, and read back. */
static void test_write_penalty(void)
{
	hx_pt_segment s[2];
	hx_pt *pt = NULL;
	hx_xliff *x = NULL;
	hx_error err;
	const char *x2 = tmp("pen21.xlf"), *x1 = tmp("pen12.xlf");

	s[0] = seg("p1s1", "p1", 1, "Within the allocated budget 2025-2026.",
		   "在2025-2026年划拨预算范围内。", 90);
	s[0].penalty = 10;
	s[0].penalty_reason = "alignment score 0.40, not reviewed";
	s[1] =
	    seg("p1s2", "p1", 1, "The Council is invited to note the report.",
		"请理事会注意本报告。", 100);
	hx_error_init(&err);
	if (hx_pt_from_segments(&pt, s, 2, "en", "zh", 75, &err) < 0) {
		ok(0, "penalty: built: %s", err.message);
		return;
	}
	is_str(hx_pt_get(pt, 0)->penalty_reason, s[0].penalty_reason,
	       "penalty: the reason is copied");
	ok(hx_pt_get(pt, 0)->band == HX_PT_85, "penalty: 90 is not exact");
	is_int(hx_xliff_write(pt, x2, NULL, &err), HX_OK,
	       "penalty: XLIFF 2.1 written");
	is_int(validate("2.1/matches.xsd", x2), 0, "penalty: 2.1 valid");
	is_int(count_in(x2, "similarity=\"100\" matchQuality=\"90\""), 1,
	       "penalty: similarity of the texts, quality lowered");
	is_int(count_in(x2, "matchQuality"), 1,
	       "penalty: no matchQuality where nothing was lowered");
	is_int(count_in(x2, "<mda:meta type=\"penalty\">10</mda:meta>"), 1,
	       "penalty: in the match's metadata");
	is_int(count_in(x2, "p1s1: 10 points off the match: alignment score "
			    "0.40, not reviewed</note>"),
	       1, "penalty: a note says why");
	is_int(count_in(x2, "subState=\"hx:unreviewed-exact\""), 1,
	       "penalty: an exact text from an unreviewed alignment");
	is_int(hx_xliff_read(&x, x2, &err), HX_OK, "penalty: 2.1 reads back");
	ok(x && hx_xliff_count(x) == 2 &&
	       !strcmp(hx_xliff_get(x, 0)->target, s[0].target),
	   "penalty: the target reads back");
	hx_xliff_free(x);

	hx_xliff_write_options o;
	hx_xliff_write_options_init(&o);
	o.version = HX_XLIFF_12;
	is_int(hx_xliff_write(pt, x1, &o, &err), HX_OK,
	       "penalty: XLIFF 1.2 written");
	is_int(validate("1.2/xliff-core-1.2-strict.xsd", x1), 0,
	       "penalty: 1.2 valid");
	is_int(count_in(x1, "match-quality=\"90\""), 1,
	       "penalty: 1.2 match-quality lowered");
	is_int(count_in(x1, "unreviewed-exact match (90%); 10 points off the "
			    "match: alignment score 0.40, not reviewed</note>"),
	       1, "penalty: 1.2 note says why");
	hx_pt_free(pt);
}

static void test_schema_says_no(void)
{
	char bad[1024], good[1024];

	snprintf(bad, sizeof(bad),
		 "%s/xliff/suite/Bad-mtc_type-value-not-in-list.xlf", data_dir);
	snprintf(good, sizeof(good),
		 "%s/xliff/suite/Good-mtc_match-with-inlines.xlf", data_dir);
	ok(validate("2.1/matches.xsd", bad) != 0,
	   "an invalid mtc:match type fails validation (OASIS suite)");
	is_int(validate("2.1/matches.xsd", good), 0,
	       "a valid matches module passes (OASIS suite)");
	put(tmp("bad12.xlf"),
	    "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\" "
	    "xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"><file "
	    "original=\"a\" source-language=\"en\" datatype=\"x-docx\"><body>"
	    "<trans-unit id=\"1\"><source>a</source><target "
	    "state=\"bogus\">b</target></trans-unit></body></file></xliff>\n");
	ok(validate("1.2/xliff-core-1.2-strict.xsd", tmp("bad12.xlf")) != 0,
	   "an XLIFF 1.2 with a bad state fails validation");
}

static void test_read_foreign(void)
{
	char good[1024];
	hx_xliff *x = NULL;
	hx_error err;

	hx_error_init(&err);
	snprintf(good, sizeof(good),
		 "%s/xliff/suite/Good-mtc_match-with-inlines.xlf", data_dir);
	is_int(hx_xliff_read(&x, good, &err), HX_OK, "OASIS sample read");
	if (!x)
		return;
	is_int(hx_xliff_count(x), 1, "one segment (matches are not segments)");
	is_str(hx_xliff_get(x, 0)->source, "Bold text.",
	       "inline codes reduced to their text");
	ok(hx_xliff_get_checksum(x) == NULL, "no checksum in a foreign file");
	hx_xliff_free(x);
}

static void expect_error(const char *name, const char *text, int code,
			 const char *needle, const char *what)
{
	hx_xliff *x = NULL;
	hx_error err;

	hx_error_init(&err);
	put(tmp(name), text);
	is_int(hx_xliff_read(&x, tmp(name), &err), code, "%s: refused", what);
	ok(x == NULL, "%s: nothing returned", what);
	ok(strstr(err.message, needle) != NULL, "%s: message has '%s'", what,
	   needle);
	if (!strstr(err.message, needle))
		printf("#   message: %s\n", err.message);
}

static void test_bad_input(void)
{
	hx_xliff *x = NULL;
	hx_error err;

	expect_error("broken.xlf",
		     "<?xml version=\"1.0\"?>\n<xliff "
		     "xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" "
		     "version=\"2.1\" srcLang=\"en\">\n<file id=\"f\"><unit "
		     "id=\"u\"><segment id=\"s\"><source>a</sorce>\n"
		     "</segment></unit></file></xliff>\n",
		     HX_EFORMAT, "broken.xlf:3: malformed XML", "invalid XML");
	expect_error("bomb.xlf",
		     "<?xml version=\"1.0\"?>\n<!DOCTYPE xliff [<!ENTITY a "
		     "\"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;\">]>\n"
		     "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" "
		     "version=\"2.1\" srcLang=\"en\"><file id=\"f\"><unit "
		     "id=\"u\"><segment id=\"s\"><source>&b;</source>"
		     "</segment></unit></file></xliff>\n",
		     HX_EFORMAT, "DOCTYPE not allowed", "entity bomb");
	expect_error("tmx.xlf",
		     "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><body/>"
		     "</tmx>\n",
		     HX_EFORMAT, "not XLIFF", "another format");
	expect_error("dup.xlf",
		     "<?xml version=\"1.0\"?>\n<xliff "
		     "xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" "
		     "version=\"2.1\" srcLang=\"en\"><file id=\"f\">\n<unit "
		     "id=\"u\"><segment id=\"s\"><source>a</source></segment>"
		     "\n<segment id=\"s\"><source>b</source></segment></unit>"
		     "</file></xliff>\n",
		     HX_EFORMAT, "dup.xlf:4: segment id 's' used twice",
		     "duplicate ids");
	expect_error("noid.xlf",
		     "<?xml version=\"1.0\"?>\n<xliff "
		     "xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" "
		     "version=\"2.1\" srcLang=\"en\"><file id=\"f\"><unit "
		     "id=\"u\">\n<segment><source>a</source></segment></unit>"
		     "</file></xliff>\n",
		     HX_EFORMAT, "noid.xlf:3: segment without id",
		     "segment without id");
	expect_error("empty.xlf", "", HX_EFORMAT, "empty.xlf:1", "empty file");
	hx_error_init(&err);
	is_int(hx_xliff_read(&x, tmp("missing.xlf"), &err), HX_ENOTFOUND,
	       "missing file: HX_ENOTFOUND");
}

/* An XLIFF 2.1 of one segment: source on line 3, target on line 4. */
#define X2(src, tgt)                                                           \
	"<?xml version=\"1.0\"?>\n<xliff "                                     \
	"xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.1\" "     \
	"srcLang=\"en\" trgLang=\"fr\"><file id=\"f\"><unit id=\"u\">"         \
	"<segment id=\"s\">\n<source>" src "</source>\n<target>" tgt           \
	"</target>\n</segment></unit></file></xliff>\n"
/* The same in 1.2. */
#define X1(src, tgt)                                                           \
	"<?xml version=\"1.0\"?>\n<xliff version=\"1.2\" "                     \
	"xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"><file "               \
	"original=\"a\" "                                                      \
	"source-language=\"en\" target-language=\"fr\" datatype=\"x\"><body>"  \
	"<trans-unit id=\"1\">\n<source>" src "</source>\n<target>" tgt        \
	"</target>\n</trans-unit></body></file></xliff>\n"

static void test_bad_codes(void)
{
	expect_error("pc-noid.xlf", X2("a", "<pc>b</pc>"), HX_EFORMAT,
		     "pc-noid.xlf:4: <pc> without id", "2.x pc without id");
	expect_error("ph-noid.xlf", X2("a<ph/>", "b"), HX_EFORMAT,
		     "ph-noid.xlf:3: <ph> without id", "2.x ph without id");
	expect_error("sc-noid.xlf", X2("a<sc/>b<ec/>", "b"), HX_EFORMAT,
		     "sc-noid.xlf:3: <sc> without id", "2.x sc without id");
	expect_error("g-noid.xlf", X1("<g ctype=\"bold\">a</g>", "b"),
		     HX_EFORMAT, "g-noid.xlf:3: <g> without id",
		     "1.2 g without id");
	expect_error("x-noid.xlf", X1("a", "b<x/>"), HX_EFORMAT,
		     "x-noid.xlf:4: <x> without id", "1.2 x without id");
	expect_error("bx-noid.xlf", X1("a<bx rid=\"1\"/>b<ex rid=\"1\"/>", "b"),
		     HX_EFORMAT, "bx-noid.xlf:3: <bx> without id",
		     "1.2 bx without id");
	expect_error("ec-none.xlf",
		     X2("<sc id=\"1\"/>a<ec startRef=\"1\"/>",
			"b\n<ec startRef=\"1\"/>"),
		     HX_EFORMAT,
		     "ec-none.xlf:5: <ec> ends '1', which no start before it "
		     "opens",
		     "2.x ec naming no open sc, at its own line");
	expect_error("ec-noref.xlf", X2("a", "<sc id=\"1\"/>b<ec/>"),
		     HX_EFORMAT, "ec-noref.xlf:4: <ec> without startRef",
		     "2.x ec without startRef");
	expect_error(
	    "ex-none.xlf",
	    X1("a", "<bx id=\"1\" rid=\"1\"/>b<ex id=\"2\" rid=\"7\"/>"),
	    HX_EFORMAT,
	    "ex-none.xlf:4: <ex> ends '7', which no start before it "
	    "opens",
	    "1.2 ex rid naming no open bx");
	expect_error("sc-open.xlf", X2("a\n<sc id=\"2\"/>b", "b"), HX_EFORMAT,
		     "sc-open.xlf:4: <sc id=\"2\"> is never ended in its "
		     "<source>",
		     "2.x sc never ended, at its line");
	expect_error("bpt-open.xlf", X1("a", "<bpt id=\"1\">&lt;b&gt;</bpt>b"),
		     HX_EFORMAT,
		     "bpt-open.xlf:4: <bpt id=\"1\"> is never ended in its "
		     "<target>",
		     "1.2 bpt never ended");
	expect_error("dup.xlf", X2("a", "<ph id=\"1\"/>b\n<ph id=\"1\"/>"),
		     HX_EFORMAT,
		     "dup.xlf:5: code id '1' used twice in one <target>",
		     "two ph with one id");
	expect_error(
	    "dup-pc.xlf", X2("<pc id=\"a1\">a</pc>\n<pc id=\"a1\">b</pc>", "b"),
	    HX_EFORMAT, "dup-pc.xlf:4: code id 'a1' used twice in one <source>",
	    "two pc with one id");
}

/* The codes of one side in one line: (id )id !id. */
static const char *ids_of(const hx_inline *v, size_t n)
{
	static char buf[256];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && o < sizeof(buf) - 24; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%c%u",
				      i ? " " : "",
				      v[i].kind == HX_INLINE_OPEN    ? '('
				      : v[i].kind == HX_INLINE_CLOSE ? ')'
								     : '!',
				      v[i].id);
	return buf;
}

/* Read `text` as `name` and give its first segment, or NULL. */
static const hx_xliff_seg *read_one(hx_xliff **x, const char *name,
				    const char *text)
{
	hx_error err;

	hx_error_init(&err);
	put(tmp(name), text);
	if (hx_xliff_read(x, tmp(name), &err) < 0) {
		printf("# %s\n", err.message);
		return NULL;
	}
	return hx_xliff_get(*x, 0);
}

static void test_code_ids(void)
{
	hx_xliff *x = NULL;
	const hx_xliff_seg *g;

	g = read_one(&x, "rid.xlf",
		     X1("<bx id=\"1\" rid=\"5\" ctype=\"bold\"/>a<ex id=\"2\" "
			"rid=\"5\"/> <bpt id=\"3\">&lt;i&gt;</bpt>b<ept "
			"id=\"3\">&lt;/i&gt;</ept>",
			"<bx id=\"8\" rid=\"5\" ctype=\"bold\"/>c<ex id=\"9\" "
			"rid=\"5\"/>"));
	ok(g != NULL, "1.2 bx/ex by rid, bpt/ept by id: read");
	if (g) {
		is_str(ids_of(g->source_codes, g->nsource_codes), "(5 )5 (3 )3",
		       "an ex pairs with its bx by rid, an ept by id");
		is_str(ids_of(g->target_codes, g->ntarget_codes), "(5 )5",
		       "the target's pair by rid too, whatever its own ids");
		is_int(g->source_codes[0].type, HX_INLINE_BOLD,
		       "the bx's ctype");
	}
	hx_xliff_free(x);
	x = NULL;

	g = read_one(&x, "names.xlf",
		     X2("<pc id=\"a1\">a</pc> <ph id=\"b2\"/><sc id=\"7\"/>c"
			"<ec startRef=\"7\"/>",
			"<ph id=\"b2\"/><pc id=\"a1\">x</pc> <pc id=\"z9\">y"
			"</pc>"));
	ok(g != NULL, "ids that are not numbers: read");
	if (g) {
		is_str(ids_of(g->source_codes, g->nsource_codes),
		       "(1000000 )1000000 !1000001 (7 )7",
		       "names numbered from 1000000 in order met");
		is_str(ids_of(g->target_codes, g->ntarget_codes),
		       "!1000001 (1000000 )1000000 (1000002 )1000002",
		       "the target's a1 and b2 are the source's; z9 is new");
	}
	hx_xliff_free(x);
	x = NULL;

	g = read_one(&x, "isolated.xlf",
		     X2("<sc id=\"1\" isolated=\"yes\"/>a",
			"b<ec id=\"4\" isolated=\"yes\"/>"));
	ok(g && g->nsource_codes == 1 && g->ntarget_codes == 1,
	   "isolated sc and ec need no partner in their segment");
	hx_xliff_free(x);
}

static void test_checksum(void)
{
	char a[64], b[64], c[64];
	hx_error err;

	hx_error_init(&err);
	put(tmp("c1"), "one document");
	put(tmp("c2"), "one documenT");
	is_int(hx_xliff_checksum(a, sizeof(a), tmp("c1"), &err), HX_OK,
	       "checksum");
	hx_xliff_checksum(b, sizeof(b), tmp("c1"), &err);
	hx_xliff_checksum(c, sizeof(c), tmp("c2"), &err);
	is_str(a, b, "the same file, the same checksum");
	ok(strcmp(a, c) != 0, "one byte changed, another checksum");
	ok(!strncmp(a, "fnv1a64-", 8) && strlen(a) == 8 + 16 + 3,
	   "shape fnv1a64-HEX16-SIZE: %s", a);
	is_int(hx_xliff_checksum(a, sizeof(a), tmp("none"), &err), HX_ENOTFOUND,
	       "missing file");
}

int main(int argc, char **argv)
{
	char rm[600];

	if (argc < 2) {
		fprintf(stderr, "usage: test-xliff DATA_DIR\n");
		return 2;
	}
	data_dir = argv[1];
	if (!mkdtemp(tmpdir))
		return 1;
	test_write();
	test_write_penalty();
	test_schema_says_no();
	test_read_foreign();
	test_bad_input();
	test_bad_codes();
	test_code_ids();
	test_checksum();
	snprintf(rm, sizeof(rm), "rm -rf %s", tmpdir);
	if (system(rm) != 0)
		printf("# could not remove %s\n", tmpdir);
	return done_testing();
}
