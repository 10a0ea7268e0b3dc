/*
 * test-termbase.c - the term base reader: every real TBX sample in
 * data/tbx/ (Okapi, OmegaT: IBM, Maryland, Medtronic, Oracle, SDL
 * exports, one in windows-1254) with its counts checked against the file,
 * TBX v3 in both styles, TSV, the shipped tm/cwg-cop.tbx, and bad and
 * hostile input (malformed XML, unknown statuses, entity bombs, external
 * entities, encodings, empty files, missing languages). libxml2 must print
 * nothing: stderr is captured and checked at the end.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hexalign/hexalign.h>

#include "tap.h"

static char dir[1024];
static char tmpdir[] = "/tmp/hx-termbase-XXXXXX";

static hx_termbase *load_file(const char *name, hx_error *err)
{
	char path[2048];
	hx_termbase *tb = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	hx_error_init(err);
	if (hx_termbase_load(&tb, path, NULL, err) != HX_OK)
		printf("# %s\n", err->message);
	return tb;
}

/* Load a literal; returns the status, *out the term base or NULL. */
static int load_str(hx_termbase **out, const char *s, hx_error *err)
{
	hx_error_init(err);
	return hx_termbase_load_memory(out, "mem.tbx", s, strlen(s), NULL, err);
}

static size_t count_status(const hx_termbase *tb, hx_term_status st)
{
	size_t n = 0;

	for (size_t i = 0; i < hx_termbase_count(tb); i++)
		n += hx_termbase_term(tb, i)->status == st;
	return n;
}

static const hx_term *find(const hx_termbase *tb, const char *text)
{
	for (size_t i = 0; i < hx_termbase_count(tb); i++)
		if (!strcmp(hx_termbase_term(tb, i)->text, text))
			return hx_termbase_term(tb, i);
	return NULL;
}

/* ---- real samples ------------------------------------------------------- */

/* Counts from the files: grep -c '<termEntry', '<term[ >]' (non-empty
 * terms), and the distinct xml:lang of the langSets, case folded. */
static void test_samples(void)
{
	static const struct {
		const char *file;
		size_t concepts, terms, langs;
		const char *lang0;
	} s[] = {
	    {"ibm_tbx.tbx", 5, 11, 2, "en"},
	    {"maryland.tbx", 1, 13, 4, "fr"},
	    {"medtronic_TBX.tbx", 3, 62, 14, "en"},
	    {"omegat-sampleTBXfile.tbx", 1, 2, 2, "en"},
	    {"oracle_TBX.tbx", 2, 6, 2, "en"},
	    {"sdl_tbx.tbx", 223, 472, 2, "de"},
	    {"test01.tbx", 1, 2, 2, "en"},
	    {"test02_win1254.tbx", 1, 2, 2, "en"},
	};
	hx_error err;

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		hx_termbase *tb = load_file(s[i].file, &err);
		ok(tb != NULL, "%s loads", s[i].file);
		if (!tb)
			continue;
		is_int(hx_termbase_concept_count(tb), s[i].concepts,
		       "%s: concepts", s[i].file);
		is_int(hx_termbase_count(tb), s[i].terms, "%s: terms",
		       s[i].file);
		is_int(hx_termbase_lang_count(tb), s[i].langs, "%s: languages",
		       s[i].file);
		is_str(hx_termbase_lang(tb, 0), s[i].lang0,
		       "%s: first language", s[i].file);
		hx_termbase_free(tb);
	}
}

static void test_sample_details(void)
{
	hx_termbase *tb;
	const hx_term *t;
	hx_error err;
	size_t n, first;

	/* Medtronic: 3 preferredTerm-admn-sts, 2 deprecatedTerm-admn-sts. */
	if ((tb = load_file("medtronic_TBX.tbx", &err))) {
		is_int(count_status(tb, HX_TERM_PREFERRED), 3,
		       "medtronic: preferred terms");
		is_int(count_status(tb, HX_TERM_DEPRECATED), 2,
		       "medtronic: deprecated terms");
		t = find(tb, "audible notification");
		ok(t && t->status == HX_TERM_DEPRECATED,
		   "medtronic: 'audible notification' is deprecated");
		is_str(t ? t->status_text : NULL, "deprecatedTerm-admn-sts",
		       "medtronic: status as written");
		is_int(t ? t->line : 0, 350, "medtronic: the term's line");
		t = t ? hx_termbase_preferred(tb, t->concept_index, "en-US")
		      : NULL;
		is_str(t ? t->text : NULL, "audible alert",
		       "medtronic: preferred term of its concept");
		is_str(t ? t->pos : NULL, "noun", "medtronic: part of speech");
		ok(t && t->definition &&
		       !strncmp(t->definition,
				"the notification of a patient "
				"(and subsequent clinitian "
				"notification ) of",
				71),
		   "medtronic: the concept's definition, one line");
		ok(t && t->note &&
		       strstr(t->note, "clinic.; See patient alert"),
		   "medtronic: the concept's two notes joined");
		hx_termbase_free(tb);
	}
	/* Oracle: standardizedTerm-admn-sts is normative: preferred. */
	if ((tb = load_file("oracle_TBX.tbx", &err))) {
		t = find(tb, "Entidade de Supervisão de Província");
		ok(t && t->status == HX_TERM_PREFERRED,
		   "oracle: standardizedTerm reads as preferred");
		is_str(t ? t->note : NULL, "Termo específico aos EUA.",
		       "oracle: the langSet's note reaches its terms");
		t = find(tb, "Provincial Reporting Establishment");
		ok(t != NULL, "oracle: trailing space of a term trimmed");
		is_str(t ? t->concept : NULL, "c1", "oracle: concept id");
		hx_termbase_free(tb);
	}
	/* windows-1254: declared, converted by libxml2. */
	if ((tb = load_file("test02_win1254.tbx", &err))) {
		is_str(hx_termbase_term(tb, 0)->text,
		       "term with: \xC3\xA9\xC3\xA1 and \xC4\xB0\xC4\xB1",
		       "windows-1254 decoded (é á İ ı)");
		is_str(hx_termbase_term(tb, 1)->lang, "tr",
		       "windows-1254: Turkish");
		hx_termbase_free(tb);
	}
	/* IBM: context sentences; one concept with two English langSets. */
	if ((tb = load_file("ibm_tbx.tbx", &err))) {
		t = find(tb, "navigation trail");
		ok(t && t->context &&
		       strstr(t->context, "navigation trail, "
					  "sometimes called"),
		   "ibm: descrip type=context, white space made one space");
		first = hx_termbase_concept_terms(tb, 0, &n);
		is_int(n, 3, "ibm: concept c1 has three terms");
		is_int(first, 0, "ibm: concept c1 comes first");
		is_str(hx_termbase_concept_id(tb, 0), "c1", "ibm: concept id");
		hx_termbase_free(tb);
	}
	/* SDL: 44 empty <term/> placeholders are left out. */
	if ((tb = load_file("sdl_tbx.tbx", &err))) {
		size_t c7 = 0;
		while (c7 < hx_termbase_concept_count(tb) &&
		       strcmp(hx_termbase_concept_id(tb, c7), "c7"))
			c7++;
		is_int(c7, 5, "sdl: c7 is the sixth concept (there is no c2)");
		ok(c7 < 223 && hx_termbase_preferred(tb, c7, "de") == NULL,
		   "sdl: concept c7 has no German term (empty <term/>)");
		t = c7 < 223 ? hx_termbase_preferred(tb, c7, "en") : NULL;
		is_str(t ? t->text : NULL, "backslant", "sdl: c7 in English");
		hx_termbase_free(tb);
	}
	/* The Maryland file has EN in upper case on <martif> only. */
	if ((tb = load_file("maryland.tbx", &err))) {
		ok(hx_termbase_has_lang(tb, "en-GB"),
		   "maryland: has en (asked as en-GB)");
		ok(!hx_termbase_has_lang(tb, "zh"), "maryland: no zh");
		t = hx_termbase_term(tb, 0);
		is_str(t->type, "entryTerm", "maryland: termType kept");
		hx_termbase_free(tb);
	}
}

/* ---- the shipped term base ---------------------------------------------- */

static void test_shipped(void)
{
	char path[2048];
	hx_termbase *tb = NULL;
	const hx_term *t;
	hx_error err;
	size_t deprecated = 0;

	snprintf(path, sizeof(path), "%s/../../../tm/cwg-cop.tbx", dir);
	hx_error_init(&err);
	ok(hx_termbase_load(&tb, path, NULL, &err) == HX_OK,
	   "tm/cwg-cop.tbx loads");
	if (!tb) {
		printf("# %s\n", err.message);
		return;
	}
	ok(hx_termbase_concept_count(tb) >= 40 &&
	       hx_termbase_concept_count(tb) <= 80,
	   "cwg-cop.tbx: 40 to 80 concepts (%zu)",
	   hx_termbase_concept_count(tb));
	is_int(hx_termbase_lang_count(tb), 2, "cwg-cop.tbx: two languages");
	ok(hx_termbase_has_lang(tb, "en") && hx_termbase_has_lang(tb, "zh"),
	   "cwg-cop.tbx: en and zh");
	t = find(tb, "CWGCOP");
	ok(t && t->status == HX_TERM_DEPRECATED, "CWGCOP is deprecated");
	t = t ? hx_termbase_suggest(tb, t) : NULL;
	is_str(t ? t->text : NULL, "CWG-COP",
	       "the suggestion for CWGCOP is the acronym CWG-COP");
	t = t ? hx_termbase_preferred(tb, t->concept_index, "en") : NULL;
	is_str(t ? t->text : NULL,
	       "Council Working Group on Child Online Protection",
	       "the concept's first preferred term is the full name");
	t = find(tb, "CWG-COP");
	ok(t && hx_termbase_suggest(tb, t) == NULL,
	   "nothing to suggest for a preferred acronym");
	t = find(tb, "CWG COP");
	ok(t && t->status == HX_TERM_DEPRECATED, "CWG COP is deprecated");
	t = find(tb, "safety by design");
	ok(t && t->status == HX_TERM_DEPRECATED,
	   "safety by design is deprecated");
	t = t ? hx_termbase_suggest(tb, t) : NULL;
	is_str(t ? t->text : NULL, "safety-by-design",
	       "the suggestion for it is safety-by-design");
	for (size_t i = 0; i < hx_termbase_count(tb); i++) {
		t = hx_termbase_term(tb, i);
		deprecated += t->status == HX_TERM_DEPRECATED;
		if (t->status == HX_TERM_DEPRECATED &&
		    !hx_termbase_suggest(tb, t))
			ok(0, "deprecated '%s' has a suggestion", t->text);
	}
	ok(deprecated >= 5, "cwg-cop.tbx: deprecated variants (%zu)",
	   deprecated);
	hx_termbase_free(tb);
}

/* ---- TBX v3 ------------------------------------------------------------- */

static void test_v3(void)
{
	/* DCA style: TBX-Basic v3 with data categories as attributes. */
	static const char dca[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" "
	    "xmlns=\"urn:iso:std:iso:30042:ed-2\">\n"
	    "<tbxHeader><fileDesc><sourceDesc><p>t</p></sourceDesc>"
	    "</fileDesc></tbxHeader>\n"
	    "<text><body>\n"
	    "<conceptEntry id=\"c1\">\n"
	    "<descrip type=\"definition\">a group of the Council</descrip>\n"
	    "<langSec xml:lang=\"en-US\">\n"
	    "<termSec><term>CWG-COP</term>\n"
	    "<termNote type=\"administrativeStatus\">preferred</termNote>\n"
	    "<termNote type=\"partOfSpeech\">noun</termNote></termSec>\n"
	    "<termSec><term>CWGCOP</term>\n"
	    "<termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts"
	    "</termNote>\n<note>seen in C26/15</note></termSec>\n"
	    "</langSec>\n"
	    "<langSec xml:lang=\"zh-Hans\"><termSec><term>理事会保护上网儿童"
	    "工作组</term></termSec></langSec>\n"
	    "</conceptEntry>\n"
	    "</body></text></tbx>\n";
	/* DCT style: data categories as elements, with a prefix. */
	static const char dct[] =
	    "<tbx type=\"TBX-Basic\" style=\"dct\" xml:lang=\"en\" "
	    "xmlns=\"urn:iso:std:iso:30042:ed-2\" "
	    "xmlns:basic=\"http://www.tbxinfo.net/ns/basic\">\n"
	    "<text><body>\n"
	    "<conceptEntry id=\"sbd\"><langSec xml:lang=\"en\">\n"
	    "<termSec><term>safety by design</term>\n"
	    "<basic:administrativeStatus>supersededTerm-admn-sts"
	    "</basic:administrativeStatus>\n"
	    "<basic:partOfSpeech>noun</basic:partOfSpeech></termSec>\n"
	    "<termSec><term>safety-by-design</term>\n"
	    "<basic:administrativeStatus>admitted"
	    "</basic:administrativeStatus></termSec>\n"
	    "</langSec></conceptEntry>\n"
	    "</body></text></tbx>\n";
	hx_termbase *tb;
	const hx_term *t;
	hx_error err;

	ok(load_str(&tb, dca, &err) == HX_OK, "TBX v3 (DCA) loads");
	if (tb) {
		is_int(hx_termbase_count(tb), 3, "v3 DCA: three terms");
		t = find(tb, "CWGCOP");
		ok(t && t->status == HX_TERM_DEPRECATED, "v3 DCA: deprecated");
		is_str(t ? t->note : NULL, "seen in C26/15", "v3 DCA: note");
		is_int(t ? t->line : 0, 11, "v3 DCA: the term's line");
		t = hx_termbase_preferred(tb, 0, "en");
		is_str(t ? t->text : NULL, "CWG-COP", "v3 DCA: preferred");
		is_str(t ? t->definition : NULL, "a group of the Council",
		       "v3 DCA: concept definition");
		t = hx_termbase_preferred(tb, 0, "zh-CN");
		is_str(t ? t->lang : NULL, "zh", "v3: zh-Hans is zh");
		hx_termbase_free(tb);
	}
	ok(load_str(&tb, dct, &err) == HX_OK, "TBX v3 (DCT) loads");
	if (tb) {
		t = find(tb, "safety by design");
		ok(t && t->status == HX_TERM_SUPERSEDED, "v3 DCT: superseded");
		is_str(t ? t->pos : NULL, "noun", "v3 DCT: part of speech");
		t = hx_termbase_preferred(tb, 0, "en");
		is_str(t ? t->text : NULL, "safety-by-design",
		       "v3 DCT: admitted is usable when nothing is preferred");
		hx_termbase_free(tb);
	}
}

/* ---- TSV ---------------------------------------------------------------- */

static void test_tsv(void)
{
	static const char good[] =
	    "\xEF\xBB\xBF# CWG-COP terms, kept by the editors\r\n"
	    "concept\tlanguage\tterm\tstatus\tnote\r\n"
	    "\r\n"
	    "cwg\ten\tCWG-COP\tpreferred\t\r\n"
	    "cwg\ten\tCWGCOP\tdeprecated\tseen in C26/15\r\n"
	    "itu\ten-GB\tITU\t\t\r\n"
	    "cwg\tzh-CN\t理事会保护上网儿童工作组\tpreferredTerm-admn-sts\r\n"
	    "# a comment between rows\r\n"
	    "itu\tzh\t国际电联\tadmitted\t\"the short \"\"name\"\"\"\r\n";
	hx_termbase *tb;
	const hx_term *t;
	hx_error err;
	int rc;

	ok(load_str(&tb, good, &err) == HX_OK, "TSV with CRLF and BOM loads");
	if (tb) {
		is_int(hx_termbase_count(tb), 5, "TSV: five terms");
		is_int(hx_termbase_concept_count(tb), 2,
		       "TSV: rows of one concept are one concept");
		t = hx_termbase_term(tb, 2);
		is_str(t->text, "理事会保护上网儿童工作组",
		       "TSV: a concept's rows grouped, in file order");
		is_str(t->lang, "zh", "TSV: zh-CN is zh");
		t = find(tb, "CWGCOP");
		ok(t && t->status == HX_TERM_DEPRECATED, "TSV: deprecated");
		is_str(t ? t->note : NULL, "seen in C26/15", "TSV: note");
		is_int(t ? t->line : 0, 5, "TSV: line of the row");
		t = find(tb, "国际电联");
		is_str(t ? t->note : NULL, "the short \"name\"",
		       "TSV: a quoted field unquoted");
		t = find(tb, "ITU");
		ok(t && t->status == HX_TERM_UNSPECIFIED && !t->note,
		   "TSV: empty status and note");
		hx_termbase_free(tb);
	}
	rc = load_str(&tb,
		      "concept\tlanguage\tterm\tstatus\n"
		      "a\ten\tone\tpreferred\n"
		      "b\ten\n"
		      "c\ten\tthree\n",
		      &err);
	ok(rc == HX_EFORMAT && !tb, "TSV: a row without its term is refused");
	is_str(err.message,
	       "mem.tbx:3: 2 tab-separated fields, the header asks for at "
	       "least 3 (concept, language and term)",
	       "TSV: the bad line named");
	rc = load_str(&tb,
		      "concept\tlanguage\tterm\tstatus\n"
		      "a\ten\tone\tforbidden\n",
		      &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "mem.tbx:2: unknown "
						   "status 'forbidden'"),
	   "TSV: unknown status named with its line");
	rc = load_str(&tb, "concept\tlang\tterme\n", &err);
	ok(rc == HX_EFORMAT &&
	       strstr(err.message, "mem.tbx:1: unknown column 'terme'"),
	   "TSV: unknown column");
	rc = load_str(&tb, "concept\tlanguage\tstatus\na\ten\tpreferred\n",
		      &err);
	ok(rc == HX_EFORMAT &&
	       strstr(err.message, "mem.tbx:1: the header has no 'term'"),
	   "TSV: header without term");
	rc = load_str(&tb, "concept\tlanguage\tterm\na\ten\tcaf\xE9\n", &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "mem.tbx:2: invalid UTF-8"),
	   "TSV in Latin-1: invalid UTF-8 with its line");
	rc = load_str(&tb, "concept\tlanguage\tterm\nx\t英语\tITU\n", &err);
	ok(rc == HX_EFORMAT &&
	       strstr(err.message, "mem.tbx:2: '英语' is not a language code"),
	   "TSV: a language that is not a BCP 47 tag");
	rc = load_str(&tb, "concept\tlanguage\tterm\n", &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "no terms"),
	   "TSV: a header alone has no terms");
	rc = load_str(&tb, "concept\tlanguage\tterm\n\ten\tx\n", &err);
	ok(rc == HX_EFORMAT &&
	       strstr(err.message, "mem.tbx:2: empty concept field"),
	   "TSV: empty concept");
}

/* UTF-16 with a BOM: TBX through libxml2, TSV converted. */
static void test_utf16(void)
{
	static const char tbx[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
	    "<martif type=\"TBX\"><text><body><termEntry id=\"x\">"
	    "<langSet xml:lang=\"fr\"><tig><term>Conférence de "
	    "plénipotentiaires</term></tig></langSet></termEntry>"
	    "</body></text></martif>\n";
	static const char tsv[] =
	    "concept\tlanguage\tterm\nx\tzh\t全权代表大会\n";
	const char *src[2] = {tbx, tsv};
	const char *want[2] = {"Conférence de plénipotentiaires",
			       "全权代表大会"};

	for (int k = 0; k < 2; k++) {
		for (int be = 0; be < 2; be++) {
			unsigned char buf[1024];
			size_t n = 0, i = 0, len = strlen(src[k]);
			hx_termbase *tb = NULL;
			hx_error err;
			buf[n++] = be ? 0xFE : 0xFF;
			buf[n++] = be ? 0xFF : 0xFE;
			while (i < len) { /* BMP only: UTF-8 to UTF-16 */
				unsigned c = (unsigned char)src[k][i];
				if (c < 0x80)
					i += 1;
				else if (c < 0xE0)
					c = (c & 0x1F) << 6 |
					    (src[k][i + 1] & 0x3F),
					i += 2;
				else
					c = (c & 0x0F) << 12 |
					    (src[k][i + 1] & 0x3F) << 6 |
					    (src[k][i + 2] & 0x3F),
					i += 3;
				buf[n++] = (unsigned char)(be ? c >> 8 : c);
				buf[n++] = (unsigned char)(be ? c : c >> 8);
			}
			hx_error_init(&err);
			hx_termbase_load_memory(&tb, "u16", (const char *)buf,
						n, NULL, &err);
			ok(tb &&
			       !strcmp(hx_termbase_term(tb, 0)->text, want[k]),
			   "UTF-16%s with BOM (%s)", be ? "BE" : "LE",
			   k ? "TSV" : "TBX");
			if (!tb)
				printf("# %s\n", err.message);
			hx_termbase_free(tb);
		}
	}
}

/* ---- bad and hostile TBX ------------------------------------------------ */

#define HEAD "<?xml version=\"1.0\"?>\n<martif type=\"TBX\">\n<text><body>\n"
#define TAIL "</body></text>\n</martif>\n"

static void test_bad(void)
{
	static const char bomb[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE martif [\n"
	    " <!ENTITY a "
	    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
	    " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
	    " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
	    " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
	    " <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
	    " <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
	    " <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
	    " <!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
	    "]>\n"
	    "<martif type=\"TBX\"><text><body><termEntry><langSet "
	    "xml:lang=\"en\"><tig><term>&h;</term></tig></langSet>"
	    "</termEntry></body></text></martif>\n";
	static const char xxe[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE martif [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	    "<martif type=\"TBX\"><text><body><termEntry><langSet "
	    "xml:lang=\"en\"><tig><term>&x;</term></tig></langSet>"
	    "</termEntry></body></text></martif>\n";
	static const char xxe_param[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE martif [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/x\">"
	    "\n%p;]>\n"
	    "<martif/>\n";
	/* An external DTD is named but never fetched, as in the samples. */
	static const char ext_dtd[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE martif SYSTEM \"http://127.0.0.1:9/TBXcoreStructV02."
	    "dtd\">\n"
	    "<martif type=\"TBX\"><text><body><termEntry><langSet "
	    "xml:lang=\"en\"><tig><term>ITU</term></tig></langSet>"
	    "</termEntry></body></text></martif>\n";
	static const char undeclared[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE martif SYSTEM \"TBXcoreStructV02.dtd\">\n"
	    "<martif type=\"TBX\"><text><body><termEntry><langSet "
	    "xml:lang=\"en\"><tig>\n<term>A&nbsp;B</term></tig></langSet>"
	    "</termEntry></body></text></martif>\n";
	hx_termbase *tb;
	hx_error err;
	clock_t t0;
	int rc;

	t0 = clock();
	rc = load_str(&tb, bomb, &err);
	ok(rc == HX_EFORMAT && !tb, "billion laughs refused");
	ok(strstr(err.message, "mem.tbx:3: the DOCTYPE declares entity 'a'") !=
	       NULL,
	   "billion laughs: the first declaration and its line named");
	ok((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0,
	   "billion laughs: nothing expanded (fast)");
	if (rc != HX_EFORMAT)
		printf("# %s\n", err.message);

	rc = load_str(&tb, xxe, &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "entity 'x'") &&
	       !strstr(err.message, "root:"),
	   "external entity refused, file not read");
	rc = load_str(&tb, xxe_param, &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "entity 'p'"),
	   "external parameter entity refused");
	rc = load_str(&tb, ext_dtd, &err);
	ok(rc == HX_OK && tb && hx_termbase_count(tb) == 1,
	   "an external DTD is not fetched and the file loads");
	hx_termbase_free(tb);
	rc = load_str(&tb, undeclared, &err);
	ok(rc == HX_EFORMAT && !strncmp(err.message, "mem.tbx:4: ", 11) &&
	       strstr(err.message, "'nbsp' not defined"),
	   "an undeclared entity is an error with its line");
	if (!strstr(err.message, "nbsp"))
		printf("# %s\n", err.message);

	rc = load_str(&tb,
		      HEAD "<termEntry id=\"c1\">\n<langSet xml:lang=\"en\">\n"
			   "<tig><term>ITU</term></tig>\n"
			   "</termEntry>\n" TAIL,
		      &err);
	ok(rc == HX_EFORMAT && !tb, "malformed XML refused");
	ok(!strncmp(err.message, "mem.tbx:7:", 10) &&
	       strstr(err.message, "mismatch"),
	   "malformed XML: the line of the error");
	if (strncmp(err.message, "mem.tbx:7:", 10))
		printf("# %s\n", err.message);

	rc = load_str(&tb,
		      HEAD "<termEntry id=\"c1\">\n<langSet xml:lang=\"en\">\n"
			   "<tig><term>CWG COP</term>\n"
			   "<termNote type=\"administrativeStatus\">forbidden"
			   "</termNote></tig>\n"
			   "</langSet></termEntry>\n" TAIL,
		      &err);
	ok(rc == HX_EFORMAT, "unknown status refused");
	is_str(err.message,
	       "mem.tbx:6: unknown status 'forbidden' of term 'CWG COP' "
	       "(expected preferred, admitted, deprecated or superseded, or "
	       "a TBX value such as deprecatedTerm-admn-sts)",
	       "unknown status: named with the term and its line");

	rc = load_str(&tb,
		      HEAD "<termEntry>\n<langSet>\n<tig><term>ITU</term></tig>"
			   "</langSet></termEntry>\n" TAIL,
		      &err);
	ok(rc == HX_EFORMAT &&
	       strstr(err.message, "mem.tbx:5: <langSet> without xml:lang"),
	   "langSet without a language");
	rc = load_str(&tb,
		      "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><body/>"
		      "</tmx>\n",
		      &err);
	ok(rc == HX_EFORMAT &&
	       strstr(err.message, "mem.tbx:2: root element <tmx>"),
	   "not TBX: the root named");
	rc = load_str(&tb, "<martif type=\"TBX\"><martifHeader/></martif>",
		      &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "without <text><body>"),
	   "martif without a body");
	rc = load_str(&tb, HEAD TAIL, &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "no terms"),
	   "a TBX without entries has no terms");
	rc = load_str(&tb,
		      HEAD "<termEntry><langSet xml:lang=\"en\">"
			   "<tig><term>ITU</term></tig></langSet>",
		      &err);
	ok(rc == HX_EFORMAT && !strncmp(err.message, "mem.tbx:4:", 10),
	   "truncated TBX: an error at its last line");
	rc = load_str(&tb, "", &err);
	is_str(err.message, "mem.tbx: empty file", "empty file");
	ok(rc == HX_EFORMAT, "empty file: a format error");
	rc = load_str(&tb, "\xEF\xBB\xBF \r\n\t\n", &err);
	is_str(err.message, "mem.tbx: empty file", "BOM and blanks: empty");
	rc = hx_termbase_load(&tb, "/nonexistent/x.tbx", NULL, &err);
	ok(rc == HX_ENOTFOUND && strstr(err.message, "/nonexistent/x.tbx"),
	   "a missing file: HX_ENOTFOUND with its path");
}

/* An undeclared windows-1254 file is not UTF-8: a clear error. */
static void test_undeclared_encoding(void)
{
	char path[2048], *data;
	FILE *f;
	size_t n;
	hx_termbase *tb = NULL;
	hx_error err;
	char *decl;
	int rc;

	snprintf(path, sizeof(path), "%s/test02_win1254.tbx", dir);
	if (!(f = fopen(path, "rb"))) {
		ok(0, "open %s", path);
		return;
	}
	data = calloc(1, 4096);
	n = fread(data, 1, 4095, f);
	fclose(f);
	/* Drop the encoding from the declaration. */
	decl = strstr(data, "encoding=\"windows-1254\"");
	ok(decl != NULL && n > 0, "the sample declares windows-1254");
	if (decl)
		memset(decl, ' ', strlen("encoding=\"windows-1254\""));
	hx_error_init(&err);
	rc = hx_termbase_load_memory(&tb, "w.tbx", data, strlen(data), NULL,
				     &err);
	ok(rc == HX_EFORMAT && !tb, "undeclared windows-1254 refused");
	ok(!strncmp(err.message, "w.tbx:18: ", 10) &&
	       strstr(err.message, "name its encoding"),
	   "undeclared encoding: the line and what to do");
	printf("# %s\n", err.message);
	free(data);
}

static void test_require_lang(void)
{
	hx_termbase *tb;
	hx_error err;

	if (load_str(&tb,
		     "concept\tlanguage\tterm\n1\ten\tITU\n1\tzh\t国际电联\n",
		     &err) != HX_OK) {
		ok(0, "load: %s", err.message);
		return;
	}
	ok(hx_termbase_require_lang(tb, "zh-CN", &err) == HX_OK,
	   "require zh-CN: present");
	hx_error_init(&err);
	ok(hx_termbase_require_lang(tb, "fr", &err) == HX_ENOTFOUND,
	   "require fr: HX_ENOTFOUND");
	is_str(err.message,
	       "mem.tbx: no terms in 'fr' (the term base has en, "
	       "zh)",
	       "a missing language: the message lists those present");
	hx_termbase_free(tb);
}

int main(int argc, char **argv)
{
	char errpath[1200];
	int saved, fd;
	FILE *f;
	long size;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	if (!mkdtemp(tmpdir))
		return 2;
	/* Everything libxml2 might print lands here. */
	snprintf(errpath, sizeof(errpath), "%s/stderr", tmpdir);
	fflush(stderr);
	saved = dup(2);
	fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);

	test_samples();
	test_sample_details();
	test_shipped();
	test_v3();
	test_tsv();
	test_utf16();
	test_bad();
	test_undeclared_encoding();
	test_require_lang();

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fopen(errpath, "rb");
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	ok(size == 0, "nothing printed on stderr (%ld bytes)", size);
	unlink(errpath);
	rmdir(tmpdir);
	return done_testing();
}
