/*
 * test-termmatch.c - the term matcher: the spellings of one term that must
 * meet (case, full-width forms, the Unicode hyphens and dashes, hyphen /
 * space / nothing, soft hyphens and joiners) and what each hit says about
 * them, whole words in Latin script and substrings in Chinese, the
 * longest of overlapping hits, byte offsets into the original text, the
 * stem hook with a fake stemmer, and the shipped tm/cwg-cop.tbx on lines
 * of the seed documents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "tap.h"

static char dir[1024];

typedef struct result {
	hx_term_hit *h;
	size_t n;
	int rc;
} result;

static result run(const hx_termmatch *m, const char *text)
{
	result r = {NULL, 0, 0};
	hx_error err;

	hx_error_init(&err);
	r.rc = hx_termmatch_run(&r.h, &r.n, m, text, strlen(text), &err);
	if (r.rc)
		printf("# run: %s\n", err.message);
	return r;
}

static hx_termmatch *strings(const char *const *terms, size_t n,
			     const hx_termmatch_options *opts)
{
	hx_termmatch *m = NULL;
	hx_error err;

	hx_error_init(&err);
	if (hx_termmatch_new_strings(&m, terms, n, opts, &err))
		printf("# new: %s\n", err.message);
	return m;
}

/* The hit's text, for messages and comparisons. */
static const char *surface(const char *text, const hx_term_hit *h)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%.*s", (int)(h->end - h->start),
		 text + h->start);
	return buf;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- one term, many spellings ------------------------------------------- */

static void test_variants(void)
{
	static const char *const terms[] = {"CWG-COP"};
	static const struct {
		const char *text, *what;
		unsigned diff;
	} v[] = {
	    {"CWG-COP", "as written", 0},
	    {"CWG COP", "space for hyphen", HX_TERM_DIFF_JOIN},
	    {"CWGCOP", "nothing for hyphen", HX_TERM_DIFF_JOIN},
	    {"cwg-cop", "lower case", HX_TERM_DIFF_CASE},
	    {"Cwg Cop", "case and space",
	     HX_TERM_DIFF_CASE | HX_TERM_DIFF_JOIN},
	    {"CWG\u2010COP", "U+2010 hyphen", HX_TERM_DIFF_DASH},
	    {"CWG\u2011COP", "U+2011 non-breaking hyphen", HX_TERM_DIFF_DASH},
	    {"CWG\u2012COP", "U+2012 figure dash", HX_TERM_DIFF_DASH},
	    {"CWG\u2013COP", "U+2013 en dash", HX_TERM_DIFF_DASH},
	    {"CWG\u2212COP", "U+2212 minus", HX_TERM_DIFF_DASH},
	    {"\uFF23\uFF37\uFF27\uFF0D\uFF23\uFF2F\uFF30", "full width",
	     HX_TERM_DIFF_WIDTH | HX_TERM_DIFF_DASH},
	    {"\uFF43\uFF57\uFF47-\uFF43\uFF4F\uFF50", "full-width lower case",
	     HX_TERM_DIFF_WIDTH | HX_TERM_DIFF_CASE},
	    {"CWG\u00A0COP", "no-break space for hyphen", HX_TERM_DIFF_JOIN},
	    {"CWG\u00ADCOP", "soft hyphen",
	     HX_TERM_DIFF_JOIN | HX_TERM_DIFF_IGNORABLE},
	    {"CWG-\u200DCOP", "zero-width joiner", HX_TERM_DIFF_IGNORABLE},
	    {"CWG-\nCOP", "a line break after the hyphen", HX_TERM_DIFF_SPACE},
	};
	hx_termmatch *m = strings(terms, 1, NULL);

	ok(m != NULL, "one term compiles");
	if (!m)
		return;
	for (size_t i = 0; i < N(v); i++) {
		char text[128];
		result r;
		snprintf(text, sizeof(text), "the %s met", v[i].text);
		r = run(m, text);
		ok(r.n == 1 && r.h[0].term == 0 &&
		       !strcmp(surface(text, &r.h[0]), v[i].text),
		   "%s: found, whole", v[i].what);
		is_int(r.n ? r.h[0].diff : 999, v[i].diff, "%s: diff",
		       v[i].what);
		hx_term_hits_free(r.h);
	}
	hx_termmatch_free(m);
}

/* Terms that normalise alike: the one the text writes exactly wins. */
static void test_same_key(void)
{
	static const char *const terms[] = {"CWG-COP", "CWGCOP", "CWG COP"};
	static const char text[] =
	    "CWG-COP, CWGCOP, CWG COP, Cwg-cop, CWG\u2011COP";
	static const size_t want_term[] = {0, 1, 2, 0, 0};
	static const unsigned want_diff[] = {0, 0, 0, HX_TERM_DIFF_CASE,
					     HX_TERM_DIFF_DASH};
	hx_termmatch *m = strings(terms, N(terms), NULL);
	result r;

	if (!m) {
		ok(0, "compile");
		return;
	}
	r = run(m, text);
	is_int(r.n, 5, "five hits for three terms of one key");
	for (size_t i = 0; i < r.n && i < 5; i++) {
		is_int(r.h[i].term, want_term[i], "hit %zu '%s': term", i,
		       surface(text, &r.h[i]));
		is_int(r.h[i].diff, want_diff[i], "hit %zu: diff", i);
	}
	hx_term_hits_free(r.h);
	hx_termmatch_free(m);
}

/* ---- where a term may be ------------------------------------------------ */

static void test_words(void)
{
	static const char *const terms[] = {"ITU", "Resolution 179", "CWG-COP",
					    "stakeholder"};
	static const struct {
		const char *text;
		size_t hits;
		const char *what;
	} w[] = {
	    {"ITUs and KITU and ITUX", 0, "not inside longer words"},
	    {"(ITU) ITU's ITU’s ITU.", 4, "next to punctuation"},
	    {"Resolution 1790 and 2179", 0, "numbers are whole too"},
	    {"Resolution 179 and Resolution 179a", 2,
	     "a letter after a number is an edge"},
	    {"CWG-COP2015年1月23日第9次会议", 1,
	     "an acronym glued to a number (Chinese text)"},
	    {"CWG-COP的活动", 1, "Latin term before a Chinese character"},
	    {"S23-CLCWGCOP19-C-0005", 0, "not inside a document symbol"},
	    {"stakeholders", 0, "no plural without a stemmer"},
	    {"ITU\u00AD", 1, "an ignorable after a term"},
	};
	hx_termmatch *m = strings(terms, N(terms), NULL);

	if (!m) {
		ok(0, "compile");
		return;
	}
	for (size_t i = 0; i < N(w); i++) {
		result r = run(m, w[i].text);
		is_int(r.n, w[i].hits, "%s: %s", w[i].what, w[i].text);
		hx_term_hits_free(r.h);
	}
	hx_termmatch_free(m);
}

static void test_chinese(void)
{
	static const char *const terms[] = {"保护上网儿童", "理事会",
					    "第179号决议"};
	static const char text[] =
	    "理事会保护上网儿童工作组根据全权代表大会第179号决议设立。";
	hx_termmatch *m = strings(terms, N(terms), NULL);
	result r;

	if (!m) {
		ok(0, "compile");
		return;
	}
	r = run(m, text);
	is_int(r.n, 3, "Chinese: terms found inside longer runs");
	if (r.n == 3) {
		is_str(surface(text, &r.h[0]), "理事会", "first: 理事会");
		is_int(r.h[0].start, 0, "理事会 at byte 0");
		is_str(surface(text, &r.h[1]), "保护上网儿童",
		       "second: 保护上网儿童");
		is_int(r.h[1].start, 9, "保护上网儿童 at byte 9");
		is_int(r.h[1].end, 27, "保护上网儿童 ends at byte 27");
		is_str(surface(text, &r.h[2]), "第179号决议",
		       "third: 第179号决议");
		is_int(r.h[2].term, 2, "third: term index 2");
	}
	hx_term_hits_free(r.h);
	hx_termmatch_free(m);
}

/* Offsets point into the text as given, not into its normalised form. */
static void test_offsets(void)
{
	static const char *const terms[] = {"child online protection",
					    "Straße"};
	/* Full-width and dashes make the normalised text shorter. */
	static const char text[] =
	    "Ｉｎ ２０２５ — "
	    "the\u00A0Child\u00ADOnline  Protection work; STRASSE.";
	hx_termmatch *m = strings(terms, N(terms), NULL);
	const char *want0 = "Child\u00ADOnline  Protection";
	result r;

	if (!m) {
		ok(0, "compile");
		return;
	}
	r = run(m, text);
	is_int(r.n, 2, "two hits after multi-byte text");
	if (r.n == 2) {
		is_int(r.h[0].start, strstr(text, "Child") - text,
		       "start: the byte of 'C'");
		is_int(r.h[0].end, strstr(text, " work") - text,
		       "end: the byte after 'n'");
		is_str(surface(text, &r.h[0]), want0, "the original bytes");
		ok(r.h[0].diff == (HX_TERM_DIFF_CASE | HX_TERM_DIFF_JOIN |
				   HX_TERM_DIFF_IGNORABLE | HX_TERM_DIFF_SPACE),
		   "case, join (soft hyphen for space), two spaces (diff %#x)",
		   r.h[0].diff);
		is_str(surface(text, &r.h[1]), "STRASSE",
		       "ß folds to ss: STRASSE is Straße");
		is_int(r.h[1].diff, HX_TERM_DIFF_CASE, "STRASSE: a case diff");
	}
	hx_term_hits_free(r.h);
	hx_termmatch_free(m);
}

/* ---- overlaps ------------------------------------------------------------ */

static void test_overlaps(void)
{
	static const char *const terms[] = {
	    "Council",
	    "Council Working Group on Child Online Protection",
	    "child online protection",
	    "Member States",
	    "States parties",
	    "Working Group"};
	static const char text[] =
	    "The ITU Council Working Group on Child Online Protection and "
	    "the Member States parties met.";
	hx_termmatch_options opts;
	hx_termmatch *m = strings(terms, N(terms), NULL), *all;
	result r;

	if (!m) {
		ok(0, "compile");
		return;
	}
	r = run(m, text);
	is_int(r.n, 2, "overlapping hits: the longest kept");
	if (r.n == 2) {
		is_int(r.h[0].term, 1, "the group's full name, not its parts");
		is_int(r.h[1].term, 4,
		       "'States parties' (longer) over 'Member States', "
		       "though that starts first");
	}
	hx_term_hits_free(r.h);
	hx_termmatch_options_init(&opts);
	opts.flags = HX_TERMMATCH_ALL;
	all = strings(terms, N(terms), &opts);
	r = run(all, text);
	is_int(r.n, 6, "HX_TERMMATCH_ALL: every hit");
	for (size_t i = 1; i < r.n; i++)
		ok(r.h[i - 1].start <= r.h[i].start, "in text order (%zu)", i);
	hx_term_hits_free(r.h);
	hx_termmatch_free(all);
	/* A dash between spaces is a break, not a joiner. */
	r = run(m, "the Member – States");
	is_int(r.n, 0, "no term across ' – '");
	hx_term_hits_free(r.h);
	hx_termmatch_free(m);
}

/* ---- the stem hook ------------------------------------------------------- */

typedef struct fake {
	int calls;
	int fail_on_x;
} fake;

/* English plurals the crude way: "stakeholders" -> "stakeholder". */
static int fake_stem(void *payload, const char *word, size_t len,
		     hx_termmatch_stem_add add, void *sink, hx_error *err)
{
	fake *f = payload;

	f->calls++;
	if (f->fail_on_x && len == 1 && word[0] == 'x') {
		hx_error_init(err);
		snprintf(err->message, sizeof(err->message), "stemmer broke");
		err->code = HX_EIO;
		return HX_EIO;
	}
	if (len > 3 && word[len - 1] == 's')
		add(sink, word, len - 1);
	return HX_OK;
}

static void test_stems(void)
{
	static const char *const terms[] = {"stakeholder", "Resolution 179",
					    "Member States", "CWG-COP"};
	static const char text[] =
	    "Stakeholders and stakeholders met the stakeholder; Resolutions "
	    "179 and Member States; CWG-COP's work.";
	hx_termmatch_options opts;
	hx_termmatch *m;
	fake f = {0, 0};
	hx_error err;
	result r;
	int before;

	hx_termmatch_options_init(&opts);
	opts.stem = fake_stem;
	opts.stem_payload = &f;
	m = strings(terms, N(terms), &opts);
	if (!m) {
		ok(0, "compile with a stemmer");
		return;
	}
	before = f.calls;
	ok(before > 0, "the stemmer saw the terms' words (%d calls)", before);
	r = run(m, text);
	is_int(r.n, 6, "inflected forms found");
	if (r.n == 6) {
		is_str(surface(text, &r.h[0]), "Stakeholders", "Stakeholders");
		is_int(r.h[0].diff, HX_TERM_DIFF_INFLECTION,
		       "Stakeholders: inflection");
		is_int(r.h[2].diff, 0, "stakeholder: exact, not inflected");
		is_str(surface(text, &r.h[3]), "Resolutions 179",
		       "Resolutions 179 is an inflection of Resolution 179");
		is_int(r.h[3].term, 1, "Resolutions 179: term 1");
		is_int(r.h[4].diff, 0,
		       "Member States: exact (its stem "
		       "matches too, exact wins)");
		is_str(surface(text, &r.h[5]), "CWG-COP",
		       "CWG-COP before 's: found");
	}
	/* Stakeholders, and, stakeholders, met, the, stakeholder,
	 * Resolutions, Member, States, CWG, COP, s (a lone letter is a
	 * word too), work: each distinct word once. */
	is_int(f.calls - before, 13,
	       "the stemmer is asked once per distinct word");
	hx_term_hits_free(r.h);

	f.fail_on_x = 1;
	hx_error_init(&err);
	{
		hx_term_hit *h = NULL;
		size_t n = 0;
		int rc = hx_termmatch_run(&h, &n, m, "a x b", 5, &err);
		ok(rc == HX_EIO && !h && n == 0,
		   "a failing stemmer stops the run with its status");
		is_str(err.message, "stemmer broke", "and its message");
	}
	hx_termmatch_free(m);

	/* Without the stemmer the plural is not the term. */
	m = strings(terms, N(terms), NULL);
	r = run(m, "Stakeholders met");
	is_int(r.n, 0, "without a stemmer: no inflected hits");
	hx_term_hits_free(r.h);
	hx_termmatch_free(m);
}

/* ---- edges and errors ---------------------------------------------------- */

static void test_edges(void)
{
	static const char *const terms[] = {"--", " ", "ITU"};
	hx_termmatch *m = strings(terms, N(terms), NULL);
	hx_term_hit *h = NULL;
	size_t n = 9;
	hx_error err;
	const char *bad[] = {"caf\xE9"};
	int rc;

	ok(m && hx_termmatch_count(m) == 3, "terms of dashes or spaces kept");
	if (!m)
		return;
	hx_error_init(&err);
	rc = hx_termmatch_run(&h, &n, m, "", 0, &err);
	ok(rc == HX_OK && n == 0 && !h, "empty text: no hits");
	rc = hx_termmatch_run(&h, &n, m, "-- -- ITU --", 12, &err);
	ok(rc == HX_OK && n == 1 && h[0].term == 2,
	   "a term that normalises to nothing never matches");
	hx_term_hits_free(h);
	rc = hx_termmatch_run(&h, &n, m, "ITU \xC3(", 6, &err);
	ok(rc == HX_EINVAL && !h && n == 0, "invalid UTF-8 refused");
	is_str(err.message, "invalid UTF-8 at byte 4 of the text",
	       "invalid UTF-8: the byte offset");
	hx_termmatch_free(m);
	hx_error_init(&err);
	m = NULL;
	rc = hx_termmatch_new_strings(&m, bad, 1, NULL, &err);
	ok(rc == HX_EINVAL && !m && strstr(err.message, "term 1"),
	   "a term that is not UTF-8 refused");
	m = strings(NULL, 0, NULL);
	rc = m ? hx_termmatch_run(&h, &n, m, "ITU", 3, &err) : -1;
	ok(rc == HX_OK && n == 0, "no terms: no hits");
	hx_termmatch_free(m);
}

/* ---- with a term base ---------------------------------------------------- */

static void test_termbase(void)
{
	static const char tsv[] = "concept\tlanguage\tterm\tstatus\n"
				  "itu\ten\tITU\tpreferred\n"
				  "itu\tzh-CN\t国际电联\tpreferred\n"
				  "cwg\ten\tCWG-COP\tpreferred\n"
				  "cwg\ten\tCWGCOP\tdeprecated\n";
	hx_termbase *tb = NULL;
	hx_termmatch *m = NULL;
	hx_error err;
	result r;
	int rc;

	hx_error_init(&err);
	if (hx_termbase_load_memory(&tb, "t.tsv", tsv, strlen(tsv), NULL,
				    &err)) {
		ok(0, "load: %s", err.message);
		return;
	}
	rc = hx_termmatch_new(&m, tb, "fr", NULL, &err);
	ok(rc == HX_ENOTFOUND && !m, "a language the base lacks: ENOTFOUND");
	ok(strstr(err.message, "no terms in 'fr'") != NULL,
	   "a language the base lacks: said so");
	rc = hx_termmatch_new(&m, tb, "en-US", NULL, &err);
	ok(rc == HX_OK && hx_termmatch_count(m) == 3, "en-US: the en terms");
	r = run(m, "ITU and CWGCOP, not 国际电联");
	is_int(r.n, 2, "only the language's terms are found");
	if (r.n == 2) {
		const hx_term *t = hx_termbase_term(tb, r.h[1].term);
		is_str(t->text, "CWGCOP", "hits index the term base");
		ok(t->status == HX_TERM_DEPRECATED, "the deprecated term");
		is_str(hx_termbase_suggest(tb, t)->text, "CWG-COP",
		       "and what to use instead");
	}
	hx_term_hits_free(r.h);
	hx_termmatch_free(m);
	hx_termbase_free(tb);
}

/*
 * The shipped term base on lines of the seed documents (the English
 * report C26/15-E, line 33; Chinese report 001, line 25 and 002, line 15;
 * see tm/cwg-cop.tbx): the deprecated spellings are found and the
 * non-breaking hyphen is not one of them.
 */
static void test_shipped(void)
{
	static const char en[] =
	    "to continue the work of CWGCOP, in order to facilitate the "
	    "membership's input and guidance on ITU's role in child online "
	    "protection; to facilitate the contribution and participation of "
	    "all relevant stakeholders in the work of CWG\u2011COP";
	static const char zh[] =
	    "鼓励CWG-COP与电信发展部门（ITU-D）第2研究组（SG）联络，分享CWGCOP"
	    "会议的输出成果；促进所有相关利益攸关方均能参与CWG COP的工作";
	char path[2048];
	hx_termbase *tb = NULL;
	hx_termmatch *m = NULL;
	size_t dep = 0, nbh = 0;
	hx_error err;
	result r;

	snprintf(path, sizeof(path), "%s/../../../tm/cwg-cop.tbx", dir);
	hx_error_init(&err);
	if (hx_termbase_load(&tb, path, NULL, &err)) {
		ok(0, "load %s: %s", path, err.message);
		return;
	}
	if (hx_termmatch_new(&m, tb, "en", NULL, &err) == HX_OK) {
		r = run(m, en);
		for (size_t i = 0; i < r.n; i++) {
			const hx_term *t = hx_termbase_term(tb, r.h[i].term);
			printf("# en %s -> %s (%s, diff %#x)\n",
			       surface(en, &r.h[i]), t->text,
			       hx_term_status_str(t->status), r.h[i].diff);
			dep += t->status == HX_TERM_DEPRECATED;
			nbh += r.h[i].diff == HX_TERM_DIFF_DASH &&
			       !strcmp(t->text, "CWG-COP");
		}
		is_int(dep, 1, "en: one deprecated spelling (CWGCOP)");
		is_int(nbh, 1, "en: CWG\u2011COP is CWG-COP with another dash");
		ok(r.n >= 5,
		   "en: ITU, child online protection, contribution, "
		   "stakeholder... found (%zu hits)",
		   r.n);
		hx_term_hits_free(r.h);
		hx_termmatch_free(m);
	}
	dep = 0;
	if (hx_termmatch_new(&m, tb, "zh", NULL, &err) == HX_OK) {
		r = run(m, zh);
		for (size_t i = 0; i < r.n; i++) {
			const hx_term *t = hx_termbase_term(tb, r.h[i].term);
			printf("# zh %s -> %s (%s)\n", surface(zh, &r.h[i]),
			       t->text, hx_term_status_str(t->status));
			dep += t->status == HX_TERM_DEPRECATED;
		}
		is_int(dep, 2,
		       "zh: two deprecated spellings (CWGCOP, CWG COP)");
		hx_term_hits_free(r.h);
		hx_termmatch_free(m);
	}
	hx_termbase_free(tb);
}

int main(int argc, char **argv)
{
	snprintf(dir, sizeof(dir), "%s", argc > 1 ? argv[1] : "tests/data/tbx");
	test_variants();
	test_same_key();
	test_words();
	test_chinese();
	test_offsets();
	test_overlaps();
	test_stems();
	test_edges();
	test_termbase();
	test_shipped();
	return done_testing();
}
