/*
 * test-tmx-write.c - the TMX writer: real six-language UN text written,
 * parsed back with libxml2 and compared byte for byte, the file validated
 * against the TMX 1.4b DTD of data/tmx/, and every way of failing (bad
 * input, missing directory, full disk, file size limit, failed rename,
 * abandon) checked to leave nothing behind. The texts are the UDHR article
 * 1 and two sentences of the UN Parallel Corpus devset; see
 * data/tmx/SOURCE.md for their origin and terms.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <dirent.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>

#include <hexalign/hexalign.h>

#include "tap.h"

/* One tuv from a string literal; sizeof keeps embedded NULs. */
#define TUV(lang, text)                                                        \
	{                                                                      \
		lang, text, sizeof(text) - 1                                   \
	}
#define R "\xEF\xBF\xBD" /* U+FFFD */

static const char *dir;	      /* tests/data/tmx */
static char scratch[512];     /* a private directory for the output */
static xmlDtdPtr tmx_dtd;     /* data/tmx/tmx14.dtd */
static char xml_errors[2048]; /* what libxml2 said, for diagnostics */

/* UDHR article 1 (GA resolution 217 A (III)), the official versions. */
static const hx_tmx_tuv udhr_title[] = {
    TUV("en", "Article 1"), TUV("zh", "第一条"),
    TUV("ar", "المادة 1"),  TUV("fr", "Article premier"),
    TUV("ru", "Статья 1"),  TUV("es", "Artículo 1"),
};
static const hx_tmx_tuv udhr_art1[] = {
    TUV("en", "All human beings are born free and equal in dignity and "
	      "rights. They are endowed with reason and conscience and "
	      "should act towards one another in a spirit of brotherhood."),
    TUV("zh", "人人生而自由,在尊严和权利上一律平等。他们赋有理性和良心,"
	      "并应以兄弟关系的精神相对待。"),
    TUV("ar", "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وقد "
	      "وهبوا عقلاً وضميرًا وعليهم أن يعامل بعضهم بعضًا بروح الإخاء."),
    TUV("fr", "Tous les êtres humains naissent libres et égaux en dignité "
	      "et en droits. Ils sont doués de raison et de conscience et "
	      "doivent agir les uns envers les autres dans un esprit de "
	      "fraternité."),
    TUV("ru", "Все люди рождаются свободными и равными в своем достоинстве "
	      "и правах. Они наделены разумом и совестью и должны поступать "
	      "в отношении друг друга в духе братства."),
    TUV("es", "Todos los seres humanos nacen libres e iguales en dignidad y "
	      "derechos y, dotados como están de razón y conciencia, deben "
	      "comportarse fraternalmente los unos con los otros."),
};
/* UNPC devset line 539 (S/2015/159): "&" in English, "'" in French. */
static const hx_tmx_tuv unpc_539[] = {
    TUV("en", "It can accommodate six cascades, and is divided between an "
	      "area designated by Iran for the production of UF6 enriched up "
	      "to 20% U-235 (Cascades 1 and 6) and an area designated by Iran "
	      "for R&D (Cascades 2, 3, 4 and 5)."),
    TUV("zh", "该设施能容纳六套级联，并被分隔为一个伊朗指定的铀-235丰度达到"
	      "20%的六氟化铀生产区(1号和6号级联)和一个伊朗指定的研发区(2号、"
	      "3号、4号和5号级联)。"),
    TUV("fr", "Elle peut accueillir six cascades et comprend une zone "
	      "désignée par l'Iran pour la production d'UF6 enrichi jusqu'à "
	      "20 % en 235U (cascades 1 et 6) et une autre désignée par "
	      "l'Iran pour la R-D (cascades 2, 3, 4 et 5)."),
};
/* UNPC devset line 8 (S/2015/55): '"' in English and Spanish, "<<" ">>"
 * in French and Russian, "'" in Arabic. */
static const hx_tmx_tuv unpc_8[] = {
    TUV("en", "According to preliminary information, the bombardment was "
	      "carried out using multiple \"Grad\" rocket launchers from "
	      "inside terrorist-controlled territory."),
    TUV("fr", "Selon les premières informations, le bombardement aurait été "
	      "effectué au moyen de lance-roquettes multiples << Grad >> "
	      "depuis le territoire contrôlé par les terroristes."),
    TUV("ru", "По предварительным данным, обстрел был произведен с "
	      "использованием нескольких реактивных систем залпового огня "
	      "<<Град>> с территории, контролируемой террористами."),
    TUV("ar", "وكشفت المعلومات الأولية أن عملية القصف تمت باستخدام قاذفات "
	      "الصواريخ المتعددة من طراز 'غراد` انطلاقا من أراضٍ يسيطر "
	      "عليها إرهابيون."),
    TUV("es", "Según información preliminar, se lanzaron varios cohetes "
	      "\"Grad\" desde el territorio controlado por los terroristas."),
};
/* Synthetic: markup-like text must come back as text, and legal
 * whitespace (tab, LF, CR, CRLF) exactly; an empty segment stays empty. */
static const hx_tmx_tuv tricky[] = {
    TUV("en", "<b>Tom & \"Jerry\"</b> it's &amp; ]]> &#1;"),
    TUV("zh-Hans", "第1段\t第2段\n第3段\r\n第4段\r"),
    TUV("sr-Latn-RS", ""),
    TUV("es-419", "  leading and trailing spaces  "),
};

static const hx_tmx_prop doc_s2015_159[] = {{"x-document", "S/2015/159"}};
static const hx_tmx_prop doc_a_res[] = {
    {"x-document", "A/RES/217 (III)"},
    {"x-note", "Résolution 217 A & \"B\" <III>"},
};
static const hx_tmx_prop hdr_props[] = {
    {"x-corpus", "UDHR & UNPC <devset> \"v1.0\" 'six'"},
    {"x-description", "Déclaration universelle — 世界人权宣言"},
};

static const hx_tmx_tu corpus[] = {
    {udhr_title, 6, doc_a_res, 2, "udhr-1-title"},
    {udhr_art1, 6, doc_a_res, 1, "udhr-1"},
    {unpc_539, 3, doc_s2015_159, 1, "unpc-539"},
    {unpc_8, 5, NULL, 0, NULL},
    {tricky, 4, NULL, 0, "a&b \"c\" <d> 'e'\té"},
};
#define NCORPUS (sizeof(corpus) / sizeof(corpus[0]))

static hx_tmx_header header_en(void)
{
	hx_tmx_header h;

	memset(&h, 0, sizeof(h));
	h.srclang = "en";
	h.creationdate = "20240315T101500Z";
	return h;
}

/* scratch/name; four buffers in turn, so a test can hold a few paths. */
static const char *at(const char *name)
{
	static char p[4][1024];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", scratch, name);
	return p[k];
}

static int entries(const char *d, bool *has_tmp)
{
	DIR *dh = opendir(d);
	struct dirent *e;
	int n = 0;

	if (has_tmp)
		*has_tmp = false;
	if (!dh)
		return -1;
	while ((e = readdir(dh))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		n++;
		if (has_tmp && strstr(e->d_name, ".tmp."))
			*has_tmp = true;
	}
	closedir(dh);
	return n;
}

static bool exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static int rm_entry(const char *p, const struct stat *st, int type,
		    struct FTW *ftw)
{
	return remove(p);
}

/* Open, add every unit, close. On an add failure the writer is freed. */
static int write_tmx(const char *path, const hx_tmx_header *h,
		     const hx_tmx_tu *tus, size_t n, hx_error *err)
{
	hx_tmx_writer *w = NULL;
	int rc;

	hx_error_init(err);
	if ((rc = hx_tmx_writer_open(&w, path, h, err)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = hx_tmx_writer_add(w, &tus[i], err)) < 0) {
			hx_tmx_writer_free(w);
			return rc;
		}
	}
	return hx_tmx_writer_close(w, err);
}

__attribute__((format(printf, 2, 3))) static void collect(void *ctx,
							  const char *fmt, ...)
{
	size_t n = strlen(xml_errors);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(xml_errors + n, sizeof(xml_errors) - n, fmt, ap);
	va_end(ap);
}

/* Strict parse: a document that is not well-formed gives NULL. XML_PARSE_
 * NONET and no DTDLOAD/NOENT: the DOCTYPE's "tmx14.dtd" is not fetched,
 * the DTD comes from the fixture in dtd_valid(). */
static xmlDocPtr parse(const char *path, const char *mem, bool quiet)
{
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	int opts = XML_PARSE_NONET | (quiet ? XML_PARSE_NOERROR : 0);
	xmlDocPtr doc;

	if (!ctxt)
		return NULL;
	doc = path ? xmlCtxtReadFile(ctxt, path, NULL, opts)
		   : xmlCtxtReadMemory(ctxt, mem, (int)strlen(mem), "mem.tmx",
				       NULL, opts);
	if (doc && !ctxt->wellFormed) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

static bool dtd_valid(xmlDocPtr doc)
{
	xmlValidCtxtPtr v = xmlNewValidCtxt();
	int ok_;

	xml_errors[0] = '\0';
	if (!v || !doc || !tmx_dtd) {
		xmlFreeValidCtxt(v);
		return false;
	}
	v->error = collect;
	v->warning = collect;
	ok_ = xmlValidateDtd(v, doc, tmx_dtd);
	xmlFreeValidCtxt(v);
	return ok_ == 1;
}

static bool is_el(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name);
}

/* The next element sibling from n on (n included); text between elements
 * must be indentation only. */
static xmlNodePtr element(xmlNodePtr n)
{
	for (; n && n->type != XML_ELEMENT_NODE; n = n->next)
		if (n->type == XML_TEXT_NODE && !xmlIsBlankNode(n))
			return NULL;
	return n;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	n = n ? element(n->children) : NULL;
	while (n && !is_el(n, name))
		n = element(n->next);
	return n;
}

static char *attr(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetProp(n, BAD_CAST name);
}

static void is_attr(xmlNodePtr n, const char *name, const char *want,
		    const char *what)
{
	char *got = n ? attr(n, name) : NULL;

	is_str(got, want, "%s %s", what, name);
	xmlFree(got);
}

/* A <seg> holds only text, and exactly want. */
static void is_seg(xmlNodePtr seg, const char *want, size_t len,
		   const char *what)
{
	bool text_only = seg != NULL;
	char *got;

	for (xmlNodePtr c = seg ? seg->children : NULL; c; c = c->next)
		if (c->type != XML_TEXT_NODE)
			text_only = false;
	got = seg ? (char *)xmlNodeGetContent(seg) : NULL;
	ok(text_only && got && strlen(got) == len && !memcmp(got, want, len),
	   "%s: seg round-trips", what);
	if (!(got && strlen(got) == len && !memcmp(got, want, len)))
		printf("#   got:  '%s'\n#   want: '%.*s'\n",
		       got ? got : "(null)", (int)len, want);
	xmlFree(got);
}

static void is_prop(xmlNodePtr p, const hx_tmx_prop *want, const char *what)
{
	char *got = p ? (char *)xmlNodeGetContent(p) : NULL;

	ok(is_el(p, "prop"), "%s: prop %s present", what, want->type);
	is_attr(p, "type", want->type, what);
	is_str(got, want->value, "%s: prop %s value", what, want->type);
	xmlFree(got);
}

/* Every unit of want, in order, with its tuid, props then tuvs. */
static void check_body(xmlDocPtr doc, const hx_tmx_tu *want, size_t n)
{
	xmlNodePtr body = child(xmlDocGetRootElement(doc), "body");
	xmlNodePtr tu = body ? element(body->children) : NULL;
	size_t i;

	ok(body != NULL, "document has a body");
	for (i = 0; i < n && is_el(tu, "tu"); i++, tu = element(tu->next)) {
		char what[64], *tuid = attr(tu, "tuid");
		xmlNodePtr c = element(tu->children);

		snprintf(what, sizeof(what), "unit %zu", i + 1);
		is_str(tuid, want[i].tuid, "%s: tuid", what);
		xmlFree(tuid);
		for (size_t k = 0; k < want[i].nprops;
		     k++, c = c ? element(c->next) : NULL)
			is_prop(c, &want[i].props[k], what);
		for (size_t k = 0; k < want[i].ntuvs; k++) {
			const hx_tmx_tuv *v = &want[i].tuvs[k];
			char *lang = NULL;

			ok(is_el(c, "tuv"), "%s: tuv %zu present", what, k + 1);
			if (!c)
				break;
			lang = (char *)xmlGetNsProp(c, BAD_CAST "lang",
						    XML_XML_NAMESPACE);
			is_str(lang, v->lang, "%s: tuv %zu xml:lang", what,
			       k + 1);
			xmlFree(lang);
			snprintf(what, sizeof(what), "unit %zu %s", i + 1,
				 v->lang);
			ok(is_el(element(c->children), "seg") &&
			       !element(element(c->children)->next),
			   "%s: the tuv holds one seg and nothing else", what);
			is_seg(child(c, "seg"), v->text, v->len, what);
			snprintf(what, sizeof(what), "unit %zu", i + 1);
			c = element(c->next);
		}
		ok(c == NULL, "%s: nothing after the last tuv", what);
	}
	is_int(i, n, "%zu units read back", n);
	ok(tu == NULL, "no unit beyond the last");
}

static size_t count_units(xmlDocPtr doc)
{
	xmlNodePtr body = child(xmlDocGetRootElement(doc), "body");
	size_t n = 0;

	for (xmlNodePtr c = body ? body->children : NULL; c; c = c->next)
		n += is_el(c, "tu");
	return n;
}

static void test_corpus(void)
{
	const char *path = at("corpus.tmx");
	hx_tmx_header h = header_en();
	xmlNodePtr root, hdr, p;
	xmlDocPtr doc;
	hx_error err;
	struct stat st;
	bool tmp;
	char line[128] = "";
	FILE *f;

	h.props = hdr_props;
	h.nprops = 2;
	is_int(write_tmx(path, &h, corpus, NCORPUS, &err), HX_OK,
	       "six-language corpus written: %s", err.message);
	is_int(entries(scratch, &tmp), 1, "only the TMX is left");
	ok(!tmp, "no temporary file left");
	ok(stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       (st.st_mode & 0777) == 0644,
	   "a regular file with mode 0644 under umask 022 (%o)",
	   (unsigned)(st.st_mode & 0777));

	f = fopen(path, "r");
	ok(f && fgets(line, sizeof(line), f), "file readable");
	is_str(line, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
	       "line 1: the XML declaration");
	ok(f && fgets(line, sizeof(line), f), "second line");
	is_str(line, "<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n",
	       "line 2: the DOCTYPE on one line");
	if (f)
		fclose(f);

	doc = parse(path, NULL, false);
	ok(doc != NULL, "libxml2 parses it (well-formed)");
	if (!doc)
		return;
	ok(dtd_valid(doc), "valid against the TMX 1.4b DTD %s", xml_errors);
	ok(doc->intSubset && !strcmp((char *)doc->intSubset->name, "tmx") &&
	       doc->intSubset->SystemID &&
	       !strcmp((char *)doc->intSubset->SystemID, "tmx14.dtd") &&
	       !doc->intSubset->ExternalID,
	   "DOCTYPE tmx SYSTEM \"tmx14.dtd\"");
	root = xmlDocGetRootElement(doc);
	ok(is_el(root, "tmx"), "root is <tmx>");
	is_attr(root, "version", "1.4", "tmx");
	hdr = element(root->children);
	ok(is_el(hdr, "header"), "<header> comes first");
	is_attr(hdr, "creationtool", "hexalign", "header");
	is_attr(hdr, "creationtoolversion", hx_version(), "header");
	is_attr(hdr, "segtype", "sentence", "header");
	is_attr(hdr, "o-tmf", "hexalign", "header");
	is_attr(hdr, "adminlang", "en", "header");
	is_attr(hdr, "srclang", "en", "header");
	is_attr(hdr, "datatype", "plaintext", "header");
	is_attr(hdr, "creationdate", "20240315T101500Z", "header");
	p = hdr ? element(hdr->children) : NULL;
	is_prop(p, &hdr_props[0], "header");
	p = p ? element(p->next) : NULL;
	is_prop(p, &hdr_props[1], "header");
	ok(p && !element(p->next), "header has two props and nothing else");
	ok(hdr && is_el(element(hdr->next), "body"), "<body> follows");
	check_body(doc, corpus, NCORPUS);
	xmlFreeDoc(doc);
	unlink(path);
}

/* The checks above would pass vacuously if the DTD or parser let anything
 * through: show they reject what they must. */
static void test_checkers(void)
{
	xmlDocPtr doc;

	doc = parse(NULL,
		    "<tmx version=\"1.4\"><header creationtool=\"x\" "
		    "creationtoolversion=\"1\" segtype=\"sentence\" "
		    "o-tmf=\"x\" adminlang=\"en\" datatype=\"plaintext\"/>"
		    "<body><tu/></body></tmx>",
		    true);
	ok(doc != NULL, "checker: a well-formed bad TMX parses");
	ok(!dtd_valid(doc), "checker: DTD rejects no srclang and empty <tu>");
	xmlFreeDoc(doc);
	doc = parse(NULL, "<seg>a&#1;b</seg>", true);
	ok(doc == NULL, "checker: parser rejects &#1;");
	xmlFreeDoc(doc);
	doc = parse(NULL, "<seg>a\x0b b</seg>", true);
	ok(doc == NULL, "checker: parser rejects a raw U+000B");
	xmlFreeDoc(doc);
}

/*
 * Characters XML 1.0 forbids (C0 but tab, LF, CR; U+FFFE, U+FFFF) become
 * U+FFFD, one for one, in text, props and attributes; the allowed DEL,
 * C1 NEL and an existing U+FFFD are kept.
 */
static void test_control(void)
{
	static const char in[] =
	    "nul\0c0:\x01\x02\x03\x04\x05\x06\x07\x08|\x0b|\x0c|"
	    "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c"
	    "\x1d\x1e\x1f|kept:\t\n\r|\x7f\xc2\x85|nonchar:\xef\xbf\xbe"
	    "\xef\xbf\xbf|" R "|\xef\xbf\xbc";
	static const char want[] =
	    "nul" R "c0:" R R R R R R R R "|" R "|" R
	    "|" R R R R R R R R R R R R R R R R R R
	    "|kept:\t\n\r|\x7f\xc2\x85|nonchar:" R R "|" R "|\xef\xbf\xbc";
	const hx_tmx_tuv tin[] = {{"en", in, sizeof(in) - 1},
				  TUV("fr", "bell\a")};
	const hx_tmx_tuv twant[] = {{"en", want, sizeof(want) - 1},
				    TUV("fr", "bell" R)};
	const hx_tmx_prop pin[] = {{"x-\x01type", "vt\x0b."}};
	const hx_tmx_prop pwant[] = {{"x-" R "type", "vt" R "."}};
	const hx_tmx_tu tu_in = {tin, 2, pin, 1, "id\x1f"};
	const hx_tmx_tu tu_want = {twant, 2, pwant, 1, "id" R};
	const char *path = at("control.tmx");
	hx_error err;
	xmlDocPtr doc;

	is_int(
	    write_tmx(path, &(hx_tmx_header){.srclang = "en"}, &tu_in, 1, &err),
	    HX_OK, "text with control characters is written: %s", err.message);
	doc = parse(path, NULL, false);
	ok(doc != NULL, "control characters: still well-formed XML");
	ok(dtd_valid(doc), "control characters: DTD-valid %s", xml_errors);
	if (doc)
		check_body(doc, &tu_want, 1);
	xmlFreeDoc(doc);
	unlink(path);
}

static void test_bad_utf8(void)
{
	static const struct {
		const char *s;
		size_t len, off;
		const char *why;
	} bad[] = {
	    {"abc\xC3(", 5, 3, "bad continuation byte"},
	    {"\xC0\xAF", 2, 0, "overlong '/'"},
	    {"ok \xED\xA0\x80", 6, 3, "UTF-16 surrogate"},
	    {"end \xE4\xB8", 6, 4, "truncated at the end"},
	    {"\xF4\x90\x80\x80", 4, 0, "past U+10FFFF"},
	    {"\xE6\x96\x87\xFF", 4, 3, "0xFF"},
	};
	const char *path = at("utf8.tmx");
	const hx_tmx_prop badprop[] = {{"x-doc", "A/\xFF"}};
	hx_tmx_writer *w = NULL;
	hx_error err;
	xmlDocPtr doc;
	char want[128];
	size_t n = 0;

	hx_error_init(&err);
	is_int(hx_tmx_writer_open(&w, path, &(hx_tmx_header){.srclang = "en"},
				  &err),
	       HX_OK, "open for bad UTF-8");
	if (!w)
		return;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hx_tmx_tuv v[] = {TUV("en", "fine"),
				  {"fr", bad[i].s, bad[i].len}};
		hx_tmx_tu tu = {v, 2, NULL, 0, "bad-1"};
		hx_error_init(&err);
		is_int(hx_tmx_writer_add(w, &tu, &err), HX_EINVAL,
		       "invalid UTF-8 (%s) rejected", bad[i].why);
		snprintf(want, sizeof(want),
			 "unit %zu (tuid bad-1): tuv 2 (fr): invalid UTF-8 at "
			 "byte offset %zu",
			 ++n, bad[i].off);
		ok(!strncmp(err.message, path, strlen(path)) &&
		       strstr(err.message, want),
		   "message names file, unit, tuv and offset: %s", err.message);
	}
	{
		hx_tmx_tuv v[] = {TUV("en", "x")};
		hx_tmx_tu tu = {v, 1, NULL, 0, "bad\xFF"};
		n++;
		is_int(hx_tmx_writer_add(w, &tu, &err), HX_EINVAL,
		       "invalid UTF-8 in tuid rejected");
		ok(strstr(err.message, "unit 7: tuid: invalid UTF-8 at byte "
				       "offset 3"),
		   "message says tuid and offset: %s", err.message);
		tu.tuid = NULL;
		tu.props = badprop;
		tu.nprops = 1;
		n++;
		is_int(hx_tmx_writer_add(w, &tu, &err), HX_EINVAL,
		       "invalid UTF-8 in a prop rejected");
		ok(strstr(err.message, "unit 8: prop 1 (x-doc): invalid UTF-8 "
				       "at byte offset 2"),
		   "message names the prop: %s", err.message);
	}
	/* A rejected unit writes nothing: the writer goes on. */
	hx_error_init(&err);
	is_int(hx_tmx_writer_add(w, &corpus[2], &err), HX_OK,
	       "a good unit after the rejected ones: %s", err.message);
	is_int(hx_tmx_writer_close(w, &err), HX_OK, "close after rejects: %s",
	       err.message);
	doc = parse(path, NULL, false);
	ok(doc && dtd_valid(doc), "file is valid TMX after rejects %s",
	   xml_errors);
	if (doc)
		check_body(doc, &corpus[2], 1);
	xmlFreeDoc(doc);
	unlink(path);
}

static void expect_open_einval(const hx_tmx_header *h, const char *needle,
			       const char *what)
{
	const char *path = at("header.tmx");
	hx_tmx_writer *w = (hx_tmx_writer *)&w; /* must be reset to NULL */
	hx_error err;
	bool tmp;

	hx_error_init(&err);
	is_int(hx_tmx_writer_open(&w, path, h, &err), HX_EINVAL, "%s rejected",
	       what);
	ok(w == NULL, "%s: no writer returned", what);
	ok(strstr(err.message, needle) != NULL, "%s: message says '%s': %s",
	   what, needle, err.message);
	ok(!exists(path) && entries(scratch, &tmp) == 0 && !tmp,
	   "%s: no file, no temporary file", what);
}

static void test_header(void)
{
	hx_tmx_header h = header_en();
	hx_tmx_prop p = {"", "v"};
	const char *path = at("all.tmx");
	hx_tmx_writer *w = NULL;
	hx_error err;
	xmlDocPtr doc;

	expect_open_einval(NULL, "srclang", "no header");
	h.srclang = NULL;
	expect_open_einval(&h, "srclang is required", "missing srclang");
	h.srclang = "";
	expect_open_einval(&h, "srclang is required", "empty srclang");
	h.srclang = "en_US";
	expect_open_einval(&h, "srclang 'en_US'", "srclang en_US");
	h = header_en();
	h.adminlang = "en_GB";
	expect_open_einval(&h, "adminlang 'en_GB'", "adminlang en_GB");
	h = header_en();
	h.segtype = "word";
	expect_open_einval(&h, "segtype 'word'", "segtype word");
	h = header_en();
	h.creationdate = "2024-03-15T10:15:00Z";
	expect_open_einval(&h, "creationdate", "ISO 8601 extended date");
	h = header_en();
	h.datatype = "";
	expect_open_einval(&h, "datatype", "empty datatype");
	h = header_en();
	h.props = &p;
	h.nprops = 1;
	expect_open_einval(&h, "header.tmx: TMX header: prop 1: type",
			   "header prop without type");
	p.type = "x-doc";
	p.value = NULL;
	expect_open_einval(&h, "prop 1 (x-doc): value is NULL",
			   "header prop without value");
	is_int(hx_tmx_writer_open(&w, at("x.tmx"), NULL, NULL), HX_EINVAL,
	       "a NULL hx_error is fine");

	/* TMX 1.4b section 3.1: srclang="*all*", any tuv can be the source.
	 * The default creationdate is now, in UTC. */
	h = header_en();
	h.srclang = "*all*";
	h.creationdate = NULL;
	h.segtype = "paragraph";
	h.datatype = "html";
	h.o_tmf = "UN eLUNa";
	h.adminlang = "fr-CH";
	is_int(write_tmx(path, &h, corpus, 1, &err), HX_OK,
	       "srclang *all* accepted: %s", err.message);
	doc = parse(path, NULL, false);
	ok(doc && dtd_valid(doc), "srclang *all*: DTD-valid %s", xml_errors);
	if (doc) {
		xmlNodePtr hdr = child(xmlDocGetRootElement(doc), "header");
		char *date = attr(hdr, "creationdate");
		struct tm tm;
		time_t t;

		is_attr(hdr, "srclang", "*all*", "header");
		is_attr(hdr, "segtype", "paragraph", "header");
		is_attr(hdr, "datatype", "html", "header");
		is_attr(hdr, "o-tmf", "UN eLUNa", "header");
		is_attr(hdr, "adminlang", "fr-CH", "header");
		memset(&tm, 0, sizeof(tm));
		ok(date && strlen(date) == 16 &&
		       sscanf(date, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year,
			      &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
			      &tm.tm_sec) == 6,
		   "default creationdate has the TMX shape: %s",
		   date ? date : "(none)");
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		t = timegm(&tm);
		ok(llabs((long long)(t - time(NULL))) < 300,
		   "default creationdate is now, UTC");
		xmlFree(date);
	}
	xmlFreeDoc(doc);
	unlink(path);
}

static void test_units(void)
{
	static const char *bad_langs[] = {
	    "",	   "en us",  "en_US",		"-en",
	    "en-", "en--US", "zh-\xe4\xb8\xad", "abcdefghi"};
	static const char *good_langs[] = {"en", "zh-Hans", "sr-Latn-RS",
					   "es-419", "x-klingon"};
	const char *path = at("units.tmx");
	hx_tmx_writer *w = NULL;
	hx_error err;
	hx_tmx_tu tu = {NULL, 0, NULL, 0, "empty"};
	hx_tmx_tuv v = TUV("en", "x");

	hx_error_init(&err);
	is_int(hx_tmx_writer_open(&w, path, &(hx_tmx_header){.srclang = "en"},
				  &err),
	       HX_OK, "open for unit checks");
	if (!w)
		return;
	is_int(hx_tmx_writer_add(w, &tu, &err), HX_EINVAL,
	       "a unit without tuvs is rejected");
	ok(strstr(err.message, "unit 1 (tuid empty): no tuv"), "message: %s",
	   err.message);
	tu.tuvs = &v;
	tu.ntuvs = 1;
	tu.tuid = NULL;
	for (size_t i = 0; i < sizeof(bad_langs) / sizeof(*bad_langs); i++) {
		v.lang = bad_langs[i];
		is_int(hx_tmx_writer_add(w, &tu, &err), HX_EINVAL,
		       "tuv lang '%s' rejected", bad_langs[i]);
		ok(strstr(err.message, "is not a language tag"), "message: %s",
		   err.message);
	}
	v.lang = NULL;
	is_int(hx_tmx_writer_add(w, &tu, &err), HX_EINVAL,
	       "NULL tuv lang rejected");
	hx_error_init(&err);
	for (size_t i = 0; i < sizeof(good_langs) / sizeof(*good_langs); i++) {
		v.lang = good_langs[i];
		is_int(hx_tmx_writer_add(w, &tu, &err), HX_OK,
		       "tuv lang '%s' accepted: %s", good_langs[i],
		       err.message);
	}
	v.lang = "en";
	v.text = NULL;
	is_int(hx_tmx_writer_add(w, &tu, &err), HX_EINVAL,
	       "NULL text with a length rejected");
	{
		/* The limit, and that libxml2 without XML_PARSE_HUGE takes a
		 * segment at the limit even when escaping makes it 6 MiB. */
		size_t max = (size_t)1 << 20;
		char *big = malloc(max + 1);
		if (!big)
			return;
		memset(big, '"', max + 1);
		v.text = big;
		v.len = max + 1;
		is_int(hx_tmx_writer_add(w, &tu, &err), HX_ELIMIT,
		       "text over 1 MiB: HX_ELIMIT");
		ok(strstr(err.message, "text of 1048577 bytes, more than "
				       "1048576"),
		   "message: %s", err.message);
		v.len = max;
		hx_error_init(&err);
		is_int(hx_tmx_writer_add(w, &tu, &err), HX_OK,
		       "text of 1 MiB of '\"' accepted: %s", err.message);
		free(big);
		v.text = NULL;
	}
	v.len = 0;
	hx_error_init(&err);
	is_int(hx_tmx_writer_add(w, &tu, &err), HX_OK,
	       "NULL text of length 0 is empty");
	is_int(hx_tmx_writer_close(w, &err), HX_OK, "close: %s", err.message);
	{
		xmlDocPtr doc = parse(path, NULL, false);
		ok(doc && dtd_valid(doc), "units file DTD-valid %s",
		   xml_errors);
		is_int(doc ? count_units(doc) : 0,
		       sizeof(good_langs) / sizeof(*good_langs) + 2,
		       "only the accepted units were written");
		xmlFreeDoc(doc);
	}
	unlink(path);
}

static void test_missing_dir(void)
{
	const char *path = at("no-such-dir/sub/out.tmx");
	hx_tmx_writer *w = (hx_tmx_writer *)&w;
	hx_tmx_header h = header_en();
	hx_error err;
	bool tmp;

	hx_error_init(&err);
	is_int(hx_tmx_writer_open(&w, path, &h, &err), HX_EIO,
	       "non-existent directory: HX_EIO");
	ok(w == NULL, "non-existent directory: no writer");
	ok(!strncmp(err.message, path, strlen(path)) &&
	       strstr(err.message, strerror(ENOENT)),
	   "message is 'PATH: what (strerror)': %s", err.message);
	ok(!exists(at("no-such-dir")) && entries(scratch, &tmp) == 0,
	   "non-existent directory: nothing created");
}

static void test_abandon(void)
{
	const char *path = at("abandon.tmx");
	hx_tmx_header h = header_en();
	hx_tmx_writer *w = NULL;
	hx_error err;
	char buf[16] = "";
	bool tmp;
	FILE *f;

	hx_error_init(&err);
	is_int(hx_tmx_writer_open(&w, path, &h, &err), HX_OK, "open");
	is_int(hx_tmx_writer_add(w, &corpus[1], &err), HX_OK, "add");
	is_int(entries(scratch, &tmp), 1, "while open: one file");
	ok(tmp && !exists(path),
	   "while open: it is the temporary, not the TMX");
	hx_tmx_writer_free(w);
	ok(!exists(path) && entries(scratch, &tmp) == 0,
	   "free without close: no file, no temporary file");
	hx_tmx_writer_free(NULL);
	ok(1, "hx_tmx_writer_free(NULL) is fine");

	/* An existing file survives an abandoned rewrite untouched, and is
	 * replaced by a completed one. */
	f = fopen(path, "w");
	fputs("old\n", f);
	fclose(f);
	w = NULL;
	is_int(hx_tmx_writer_open(&w, path, &h, &err), HX_OK, "reopen");
	is_int(hx_tmx_writer_add(w, &corpus[1], &err), HX_OK, "add");
	hx_tmx_writer_free(w);
	f = fopen(path, "r");
	ok(f && fgets(buf, sizeof(buf), f), "old file still there");
	if (f)
		fclose(f);
	is_str(buf, "old\n", "old file untouched by an abandoned writer");
	is_int(entries(scratch, &tmp), 1, "and no temporary file");
	is_int(write_tmx(path, &h, corpus, 2, &err), HX_OK, "rewrite: %s",
	       err.message);
	{
		xmlDocPtr doc = parse(path, NULL, false);
		ok(doc && count_units(doc) == 2,
		   "completed rewrite replaced the old file");
		xmlFreeDoc(doc);
	}
	unlink(path);
}

/* Two writers on one path get distinct temporary names; the last close
 * wins, as with rename(2). */
static void test_two_writers(void)
{
	const char *path = at("twice.tmx");
	hx_tmx_header h = header_en();
	hx_tmx_writer *a = NULL, *b = NULL;
	hx_error err;
	xmlDocPtr doc;
	bool tmp;

	hx_error_init(&err);
	ok(hx_tmx_writer_open(&a, path, &h, &err) == HX_OK &&
	       hx_tmx_writer_open(&b, path, &h, &err) == HX_OK,
	   "two writers open on one path");
	is_int(entries(scratch, &tmp), 2, "two temporary files");
	if (!a || !b) {
		hx_tmx_writer_free(a);
		hx_tmx_writer_free(b);
		return;
	}
	hx_tmx_writer_add(a, &corpus[0], &err);
	hx_tmx_writer_add(b, &corpus[0], &err);
	hx_tmx_writer_add(b, &corpus[1], &err);
	is_int(hx_tmx_writer_close(a, &err), HX_OK, "first close");
	is_int(hx_tmx_writer_close(b, &err), HX_OK, "second close");
	doc = parse(path, NULL, false);
	ok(doc && count_units(doc) == 2, "the second writer's file is there");
	xmlFreeDoc(doc);
	is_int(entries(scratch, &tmp), 1, "no temporary left");
	unlink(path);
}

/* Run fn with file descriptor 1 pointing at target, TAP output held
 * back meanwhile. */
static int with_stdout(const char *target, int (*fn)(hx_error *), hx_error *err)
{
	int saved, fd, rc;

	fflush(stdout);
	saved = dup(1);
	fd = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (saved < 0 || fd < 0)
		return 1;
	dup2(fd, 1);
	close(fd);
	rc = fn(err);
	/* No fflush here: the writer's close must have flushed. What it left
	 * in the buffer (or /dev/full refused) must not reach the TAP. */
	__fpurge(stdout);
	dup2(saved, 1);
	close(saved);
	clearerr(stdout);
	return rc;
}

static int write_to_stdout(hx_error *err)
{
	hx_tmx_header h = header_en();

	return write_tmx("-", &h, corpus, NCORPUS, err);
}

/* Small enough to sit in stdio's buffer: the error shows only when close
 * flushes. */
static int write_one_to_stdout(hx_error *err)
{
	hx_tmx_header h = header_en();

	return write_tmx("-", &h, corpus, 1, err);
}

static void test_stdout(void)
{
	const char *path = at("stdout.tmx");
	hx_error err;
	xmlDocPtr doc;
	bool tmp;

	is_int(with_stdout(path, write_to_stdout, &err), HX_OK,
	       "\"-\" writes to standard output: %s", err.message);
	doc = parse(path, NULL, false);
	ok(doc && dtd_valid(doc), "standard output got a valid TMX %s",
	   xml_errors);
	if (doc)
		check_body(doc, corpus, NCORPUS);
	xmlFreeDoc(doc);
	unlink(path);
	ok(entries(scratch, &tmp) == 0 && !exists("-"),
	   "no file named '-' or temporary anywhere");

	is_int(with_stdout("/dev/full", write_to_stdout, &err), HX_EIO,
	       "standard output on a full disk: HX_EIO");
	ok(strstr(err.message, "standard output: write failed") &&
	       strstr(err.message, strerror(ENOSPC)),
	   "message: %s", err.message);
	is_int(with_stdout("/dev/full", write_one_to_stdout, &err), HX_EIO,
	       "full disk found by the final flush: HX_EIO");
	ok(strstr(err.message, "standard output: write failed") &&
	       strstr(err.message, strerror(ENOSPC)),
	   "message: %s", err.message);
}

/* A file size limit makes write(2) fail with EFBIG part-way: the
 * failure must surface as HX_EIO and leave nothing. */
static void test_write_error(void)
{
	const char *path = at("big.tmx");
	hx_tmx_header h = header_en();
	hx_tmx_writer *w = NULL;
	struct rlimit old, lim;
	int rc = HX_OK, again = HX_OK, closed = HX_OK, open_rc;
	hx_error err, err2;
	size_t i;
	bool tmp;

	if (getrlimit(RLIMIT_FSIZE, &old) != 0) {
		ok(1, "# SKIP no RLIMIT_FSIZE");
		return;
	}
	lim = old;
	lim.rlim_cur = 16384;
	signal(SIGXFSZ, SIG_IGN);
	fflush(stdout);
	setrlimit(RLIMIT_FSIZE, &lim);
	hx_error_init(&err);
	hx_error_init(&err2);
	open_rc = hx_tmx_writer_open(&w, path, &h, &err);
	for (i = 0; w && i < 1000 && rc == HX_OK; i++)
		rc = hx_tmx_writer_add(w, &corpus[1], &err);
	if (w) {
		again = hx_tmx_writer_add(w, &corpus[1], &err2);
		closed = hx_tmx_writer_close(w, &err2);
	}
	setrlimit(RLIMIT_FSIZE, &old);

	is_int(open_rc, HX_OK, "open under a 16 KiB file size limit");
	is_int(rc, HX_EIO, "an add fails with HX_EIO (after %zu units)", i);
	ok(i > 2 && i < 1000, "it fails once the limit is reached");
	ok(!strncmp(err.message, path, strlen(path)) &&
	       strstr(err.message, "write failed") &&
	       strstr(err.message, strerror(EFBIG)),
	   "message: %s", err.message);
	is_int(again, HX_EIO, "the writer stays failed");
	is_int(closed, HX_EIO, "close reports the failure");
	ok(!exists(path) && entries(scratch, &tmp) == 0,
	   "failed write: no file, no temporary file");
}

static void test_rename_error(void)
{
	const char *path = at("adir");
	hx_tmx_header h = header_en();
	hx_error err;
	bool tmp;
	FILE *f;

	mkdir(path, 0755);
	f = fopen(at("adir/keep"), "w");
	if (f)
		fclose(f);
	is_int(write_tmx(path, &h, corpus, 1, &err), HX_EIO,
	       "destination is a directory: close fails with HX_EIO");
	ok(!strncmp(err.message, path, strlen(path)) &&
	       strstr(err.message, "cannot rename into place") &&
	       strstr(err.message, strerror(EISDIR)),
	   "message: %s", err.message);
	ok(entries(scratch, &tmp) == 1 && !tmp && exists(at("adir/keep")),
	   "temporary removed, the directory untouched");
	unlink(at("adir/keep"));
	rmdir(path);
}

/* The writer streams: many units, and libxml2's buffer flushed many
 * times over, come back complete. The mode follows the umask. */
static void test_many(void)
{
	const char *path = at("many.tmx");
	hx_tmx_header h = header_en();
	hx_tmx_writer *w = NULL;
	hx_error err;
	int rc = HX_OK;
	struct stat st;
	xmlDocPtr doc;
	mode_t old = umask(077);

	hx_error_init(&err);
	rc = hx_tmx_writer_open(&w, path, &h, &err);
	for (size_t i = 0; rc == HX_OK && i < 20000; i++)
		rc = hx_tmx_writer_add(w, &corpus[i % NCORPUS], &err);
	if (w)
		rc = rc == HX_OK ? hx_tmx_writer_close(w, &err)
				 : (hx_tmx_writer_free(w), rc);
	umask(old);
	is_int(rc, HX_OK, "20000 units written: %s", err.message);
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	   "umask 077 gives mode 0600 (%o)", (unsigned)(st.st_mode & 0777));
	doc = parse(path, NULL, false);
	is_int(doc ? count_units(doc) : 0, 20000, "20000 units read back");
	ok(doc && dtd_valid(doc), "large file DTD-valid %s", xml_errors);
	xmlFreeDoc(doc);
	unlink(path);
}

/* ---- inline codes ------------------------------------------------------ */

#define PH0 "\xEE\x80\x80" /* U+E000 */
#define PH1 "\xEE\x80\x81"
#define PH2 "\xEE\x80\x82"
#define PH3 "\xEE\x80\x83"

static char *file_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = calloc(1, (size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
}

/* Write one unit of one tuv with codes; the <seg> as written, or NULL. */
static char *coded_seg(const char *text, const hx_tmx_code *codes, size_t n,
		       int *rc)
{
	hx_tmx_header h = header_en();
	hx_tmx_tuv v[2] = {{"en", text, strlen(text)}, {"fr", "x", 1}};
	hx_tmx_codes c[2] = {{codes, n}, {NULL, 0}};
	hx_tmx_tu tu = {v, 2, NULL, 0, NULL};
	hx_tmx_writer *w = NULL;
	char *all, *seg = NULL, *a, *b;
	xmlDocPtr doc;
	hx_error err;

	hx_error_init(&err);
	*rc = hx_tmx_writer_open(&w, at("codes.tmx"), &h, &err);
	if (*rc < 0)
		return NULL;
	*rc = hx_tmx_writer_add_coded(w, &tu, c, &err);
	if (*rc < 0) {
		hx_tmx_writer_free(w);
		return NULL;
	}
	if ((*rc = hx_tmx_writer_close(w, &err)) < 0)
		return NULL;
	doc = parse(at("codes.tmx"), NULL, false);
	ok(dtd_valid(doc), "codes: valid against the DTD %s", xml_errors);
	xmlFreeDoc(doc);
	all = file_text(at("codes.tmx"));
	if (all && (a = strstr(all, "<seg>")) && (b = strstr(a, "</seg>")))
		seg = strndup(a + 5, (size_t)(b - a - 5));
	free(all);
	return seg;
}

static void test_codes(void)
{
	const hx_tmx_code pair[] = {
	    {.kind = HX_TMX_CODE_BPT,
	     .content = "<a href=\"x&y\">",
	     .i = "1",
	     .x = "2",
	     .type = "link"},
	    {.kind = HX_TMX_CODE_EPT,
	     .content = "</a>",
	     .i = "1",
	     .type = "dropped: ept has no type"},
	    {.kind = HX_TMX_CODE_PH, .content = "", .x = "3", .assoc = "p"},
	    {.kind = HX_TMX_CODE_IT, .content = "<i>", .pos = "begin"},
	};
	const hx_tmx_code his[] = {
	    {.kind = HX_TMX_CODE_HI, .content = "", .type = "bold", .end = 15},
	    {.kind = HX_TMX_CODE_HI, .content = "", .end = 12},
	    {.kind = HX_TMX_CODE_UT, .content = "{\\b}", .x = "\"q\""},
	    {.kind = HX_TMX_CODE_HI, .content = "", .end = HX_TMX_END_UNKNOWN},
	};
	const hx_tmx_code sloppy[] = {
	    {.kind = HX_TMX_CODE_BPT, .content = "<b>"},
	    {.kind = HX_TMX_CODE_IT, .content = "<i>", .pos = "middle"},
	    {.kind = HX_TMX_CODE_HI, .content = "", .end = 2},
	};
	const hx_tmx_code bad[] = {{.kind = 0, .content = ""}};
	char *seg;
	int rc;

	seg = coded_seg("See " PH0 "the " PH1 "text" PH2 " " PH3 "more.", pair,
			4, &rc);
	is_str(seg,
	       "See <bpt i=\"1\" x=\"2\" type=\"link\">&lt;a "
	       "href=\"x&amp;y\"&gt;</bpt>the <ept i=\"1\">&lt;/a&gt;</ept>"
	       "text<ph x=\"3\" assoc=\"p\"/> <it pos=\"begin\">&lt;i&gt;</it>"
	       "more.",
	       "bpt, ept, ph, it: attributes in DTD order, content escaped, "
	       "empty content as an empty element (rc %d)",
	       rc);
	free(seg);

	/* Offsets: PH0 at 0, "a " 3-5, PH1 at 5, "bc" 8-10, PH2 10-13:
	 * the inner <hi> ends at 12, inside the <ut>'s placeholder, so at
	 * the next character; the outer at 15. */
	seg = coded_seg(PH0 "a " PH1 "bc" PH2 "de" PH3 "f", his, 4, &rc);
	is_str(seg,
	       "<hi type=\"bold\">a <hi>bc<ut x=\"&quot;q&quot;\">{\\b}</ut>"
	       "</hi>de</hi><hi>f</hi>",
	       "nested <hi>s closed at their ends, an unknown end at the end "
	       "of the segment (rc %d)",
	       rc);
	free(seg);

	seg = coded_seg(PH0 PH1 PH2 "x" PH3 "\xEF\x80\xB7", sloppy, 3, &rc);
	is_str(seg,
	       "<ph>&lt;b&gt;</ph><ph>&lt;i&gt;</ph><hi></hi>x" PH3
	       "\xEF\x80\xB7",
	       "bpt without i and it without a valid pos as <ph>; a <hi> "
	       "ending before it starts is empty; other private-use "
	       "characters as they are (rc %d)",
	       rc);
	free(seg);

	seg = coded_seg(PH0, bad, 1, &rc);
	ok(!seg && rc == HX_EINVAL, "a code of unknown kind: HX_EINVAL");
	free(seg);
	seg = coded_seg(PH0, NULL, 1, &rc);
	ok(!seg && rc == HX_EINVAL, "n codes and NULL: HX_EINVAL");
	free(seg);
}

/* hx_tmx_writer_add_meta(): notes after the props, the unit's attributes
 * as given, valid against the DTD; a bad note or attribute rejected with
 * the writer still usable and nothing of the unit written. */
static void test_meta(void)
{
	hx_tmx_header h = header_en();
	hx_tmx_tuv v[2] = {TUV("en", "Article 1"),
			   TUV("fr", "Article premier")};
	hx_tmx_prop p = {"x-score-fr", "0.97"};
	const char *notes[] = {"Checked.", "A & B <c>"};
	hx_tmx_tu tu = {v, 2, &p, 1, "u1"};
	hx_tmx_tu_meta m = {notes,    2,	  "20260101T000000Z",
			    "editor", "20260102", NULL};
	const char *null_note[] = {NULL};
	hx_tmx_tu_meta bad_note = {null_note, 1, NULL, NULL, NULL, NULL};
	hx_tmx_tu_meta empty_attr = {NULL, 0, NULL, "", NULL, NULL};
	const char *utf8_note[] = {"caf\xC3"};
	hx_tmx_tu_meta bad_utf8 = {utf8_note, 1, NULL, NULL, NULL, NULL};
	hx_tmx_writer *w = NULL;
	hx_error err;
	xmlDocPtr doc;
	char *all;

	hx_error_init(&err);
	if (hx_tmx_writer_open(&w, at("meta.tmx"), &h, &err) < 0) {
		ok(0, "meta: open: %s", err.message);
		return;
	}
	is_int(hx_tmx_writer_add_meta(w, &tu, NULL, &bad_note, &err), HX_EINVAL,
	       "meta: a NULL note is refused");
	is_int(hx_tmx_writer_add_meta(w, &tu, NULL, &empty_attr, &err),
	       HX_EINVAL, "meta: an empty creationid is refused");
	ok(strstr(err.message, "creationid is empty"), "meta: says so: %s",
	   err.message);
	is_int(hx_tmx_writer_add_meta(w, &tu, NULL, &bad_utf8, &err), HX_EINVAL,
	       "meta: a note of invalid UTF-8 is refused");
	ok(strstr(err.message, "note 1: invalid UTF-8"), "meta: says so: %s",
	   err.message);
	hx_error_init(&err);
	is_int(hx_tmx_writer_add_meta(w, &tu, NULL, &m, &err), HX_OK,
	       "meta: the unit is written after the refusals: %s", err.message);
	is_int(hx_tmx_writer_close(w, &err), HX_OK, "meta: closed");
	doc = parse(at("meta.tmx"), NULL, false);
	ok(dtd_valid(doc), "meta: valid against the DTD %s", xml_errors);
	xmlFreeDoc(doc);
	all = file_text(at("meta.tmx"));
	ok(all &&
	       strstr(all, "<tu tuid=\"u1\" creationdate=\"20260101T000000Z\" "
			   "creationid=\"editor\" changedate=\"20260102\">\n"
			   "      <prop type=\"x-score-fr\">0.97</prop>\n"
			   "      <note>Checked.</note>\n"
			   "      <note>A &amp; B &lt;c&gt;</note>\n"
			   "      <tuv"),
	   "meta: attributes, then props, then notes, escaped");
	size_t units = 0;
	for (const char *x = all; x && (x = strstr(x, "<tu ")); x++)
		units++;
	is_int(units, 1, "meta: the refused units left nothing behind");
	ok(all && !strstr(all, "changeid"), "meta: a NULL attribute is left "
					    "out");
	free(all);
}

int main(int argc, char **argv)
{
	char dtd_path[1024];
	const char *tmpdir = getenv("TMPDIR");

	dir = argc > 1 ? argv[1] : "tests/data/tmx";
	umask(022);
	snprintf(scratch, sizeof(scratch), "%s/hx-tmx-XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(scratch)) {
		printf("Bail out! cannot create %s: %s\n", scratch,
		       strerror(errno));
		return 1;
	}
	snprintf(dtd_path, sizeof(dtd_path), "%s/tmx14.dtd", dir);
	tmx_dtd = xmlParseDTD(NULL, BAD_CAST dtd_path);
	ok(tmx_dtd != NULL, "TMX 1.4b DTD loaded from %s", dtd_path);

	test_checkers();
	test_corpus();
	test_control();
	test_bad_utf8();
	test_header();
	test_units();
	test_missing_dir();
	test_abandon();
	test_two_writers();
	test_stdout();
	test_write_error();
	test_rename_error();
	test_many();
	test_codes();
	test_meta();

	xmlFreeDtd(tmx_dtd);
	nftw(scratch, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	return done_testing();
}
