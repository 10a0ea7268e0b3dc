/*
 * test-match.c - fuzzy match scores and diffs (src/lib/match.c): tokens
 * against ICU's word boundaries, the score rules of <hexalign/match.h> on
 * UN sentences in the six languages, the banded scorer against a plain
 * reference on generated pairs, and diff runs with their byte offsets.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include <hexalign/hexalign.h>
#include <hexalign/match.h>

#include "tap.h"

/* From match.c, for tests only; the flags are its TOK_* values. */
void hx__match_seg_token(const hx_match_seg *s, size_t i, size_t *start,
			 size_t *end, unsigned *flags);
enum { TOK_NUMBER = 1, TOK_PUNCT = 2, TOK_TAG = 4 };
uint32_t hx__match_check_tables(void);

#define NUMBERS HX_MATCH_DIFF_NUMBERS
#define PUNCT	HX_MATCH_DIFF_PUNCT
#define CASE	HX_MATCH_DIFF_CASE
#define SPACE	HX_MATCH_DIFF_SPACE
#define TAGS	HX_MATCH_DIFF_TAGS
#define WORDS	HX_MATCH_DIFF_WORDS

static hx_match_seg *seg(const char *lang, const char *text)
{
	hx_match_seg *s = NULL;
	hx_error err;

	hx_error_init(&err);
	if (hx_match_seg_new(&s, lang, text, strlen(text), &err) != HX_OK ||
	    !s) {
		printf("Bail out! hx_match_seg_new: %s\n", err.message);
		exit(1);
	}
	return s;
}

static int score(const char *lang, const char *q, const char *s, int min,
		 unsigned *kinds)
{
	hx_match_seg *a = seg(lang, q), *b = seg(lang, s);
	int r = hx_match_score(a, b, min, kinds);

	hx_match_seg_free(a);
	hx_match_seg_free(b);
	return r;
}

/* Check score and kinds both ways round (the score is symmetric). */
static void check(const char *lang, const char *q, const char *s, int want,
		  unsigned want_kinds, const char *what)
{
	unsigned k1 = 0xFFFF, k2 = 0xFFFF;
	int r1 = score(lang, q, s, 0, &k1), r2 = score(lang, s, q, 0, &k2);

	is_int(r1, want, "%s: score", what);
	is_int(k1, want_kinds, "%s: kinds", what);
	ok(r2 == r1 && k2 == k1, "%s: symmetric (%d %u)", what, r2, k2);
}

/* The tokens of text joined by '|', and their flags: '.' none, '#'
 * number, 'p' punctuation, 't' tag. */
static void tokens(const char *lang, const char *text, char *buf, size_t cap,
		   char *flags)
{
	hx_match_seg *s = seg(lang, text);
	size_t n = hx_match_seg_count(s), used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t start, end;
		unsigned f;

		hx__match_seg_token(s, i, &start, &end, &f);
		used += (size_t)snprintf(buf + used, cap - used, "%s%.*s",
					 i ? "|" : "", (int)(end - start),
					 text + start);
		if (flags)
			flags[i] = f & TOK_TAG	    ? 't'
				   : f & TOK_PUNCT  ? 'p'
				   : f & TOK_NUMBER ? '#'
						    : '.';
	}
	if (flags)
		flags[n] = '\0';
	hx_match_seg_free(s);
}

static void check_tokens(const char *lang, const char *text, const char *want,
			 const char *want_flags)
{
	char got[2048], flags[512], name[256];
	size_t i;

	/* A newline in a test name would break the TAP stream. */
	for (i = 0; text[i] && i + 1 < sizeof(name); i++)
		name[i] = (unsigned char)text[i] < 0x20 ? '?' : text[i];
	name[i] = '\0';
	tokens(lang, text, got, sizeof(got), flags);
	is_str(got, want, "tokens of '%s'", name);
	if (want_flags)
		is_str(flags, want_flags, "flags of '%s'", name);
}

/* ICU's UBRK_WORD segments of text, white-space segments left out. */
static void icu_tokens(const char *lang, const char *text, char *buf,
		       size_t cap)
{
	UErrorCode st = U_ZERO_ERROR;
	UText *ut = utext_openUTF8(NULL, text, -1, &st);
	UBreakIterator *bi = ubrk_open(UBRK_WORD, lang, NULL, 0, &st);
	size_t used = 0;
	int32_t p, q;

	ubrk_setUText(bi, ut, &st);
	if (U_FAILURE(st)) {
		printf("Bail out! ICU: %s\n", u_errorName(st));
		exit(1);
	}
	buf[0] = '\0';
	p = ubrk_first(bi);
	while ((q = ubrk_next(bi)) != UBRK_DONE) {
		if (strspn(text + p, " ") < (size_t)(q - p))
			used += (size_t)snprintf(buf + used, cap - used,
						 "%s%.*s", used ? "|" : "",
						 (int)(q - p), text + p);
		p = q;
	}
	ubrk_close(bi);
	utext_close(ut);
}

static const struct {
	const char *lang, *text;
} un[] = {
    {"en", "The General Assembly adopted resolution 70/1 on 25 September "
	   "2015, entitled \"Transforming our world: the 2030 Agenda for "
	   "Sustainable Development\"; it's the U.N.'s plan (1,000.50 "
	   "e.g.) for www.un.org."},
    {"fr", "L'Assemblée générale a adopté la résolution 70/1 le 25 "
	   "septembre 2015, intitulée « Transformer notre monde : le "
	   "Programme de développement durable à l’horizon 2030 »."},
    {"ru", "Генеральная Ассамблея приняла резолюцию 70/1 от 25 сентября "
	   "2015 года, озаглавленную «Преобразование нашего мира: "
	   "Повестка дня в области устойчивого развития на период до "
	   "2030 года»."},
    {"ar", "اعتمدت الجمعية العامة القرار 70/1 المؤرخ 25 أيلول/سبتمبر "
	   "2015، المعنون ”تحويل عالمنا: خطة التنمية المستدامة لعام "
	   "2030“، وأرقامه ١٬٢٣٤٫٥."},
    {"es", "La Asamblea General aprobó la resolución 70/1, de 25 de "
	   "septiembre de 2015, titulada «Transformar nuestro mundo: la "
	   "Agenda 2030 para el Desarrollo Sostenible»."},
    {"en", "Resolution 179 (Rev. Dubai, 2018) of the Plenipotentiary "
	   "Conference: ITU's role in child online protection - "
	   "§ 3.2, 50% and $5."},
};

static void test_tokens(void)
{
	char want[2048], got[2048];

	/* Same boundaries as ICU on the five space-delimited languages. */
	for (size_t i = 0; i < sizeof(un) / sizeof(un[0]); i++) {
		icu_tokens(un[i].lang, un[i].text, want, sizeof(want));
		tokens(un[i].lang, un[i].text, got, sizeof(got), NULL);
		is_str(got, want, "%s sentence %zu: ICU's words", un[i].lang,
		       i);
	}
	check_tokens("en", "Resolution 179 (Rev. Dubai, 2018).",
		     "Resolution|179|(|Rev|.|Dubai|,|2018|)|.", ".#p.p.p#pp");
	check_tokens("fr", "l'Assemblée, 1,5 % ; qu’il",
		     "l'Assemblée|,|1,5|%|;|qu’il", ".p#pp.");
	/* Chinese: characters; Latin words and numbers stay whole. */
	check_tokens(
	    "zh", "第70/1号决议：联合国UNESCO大会，２０１５年。",
	    "第|70|/|1|号|决|议|：|联|合|国|UNESCO|大|会|，|２０１５|年|"
	    "。",
	    ".#p#...p......p#.p");
	/* Kana too, in any language. */
	check_tokens("en", "ITU カタカナーforum", "ITU|カ|タ|カ|ナ|ー|forum",
		     NULL);
	/* Placeholders are tokens of their own, even inside a word. */
	check_tokens("en", "Click \xee\x80\x80Save\xee\x80\x81 now.",
		     "Click|\xee\x80\x80|Save|\xee\x80\x81|now|.", ".t.t.p");
	check_tokens("en",
		     "a\xee\x80\x80"
		     "b",
		     "a|\xee\x80\x80|b", ".t.");
	/* French thousands separators keep a number whole; U+202F before
	 * ':' is white space (ICU would make "Article\u202F" a word). */
	check_tokens("fr",
		     "1\xe2\x80\xaf"
		     "000 et 2\xc2\xa0"
		     "500 Article\xe2\x80\xaf: 5\xc2\xa0x",
		     "1\xe2\x80\xaf"
		     "000|et|2\xc2\xa0"
		     "500|Article|:|5|x",
		     "#.#.p#.");
	/* White space is never a token, leading format marks neither. */
	check_tokens("ar", " \xe2\x80\x8f  \t\n", "", "");
	check_tokens("en", "", "", "");
	/* A soft hyphen stays inside its word (WB4). */
	check_tokens("en",
		     "develop\xc2\xad"
		     "ment",
		     "develop\xc2\xad"
		     "ment",
		     ".");
}

static void test_scores(void)
{
	unsigned k;
	int r;

	/* Identical. */
	for (size_t i = 0; i < sizeof(un) / sizeof(un[0]); i++)
		check(un[i].lang, un[i].text, un[i].text, 100, 0, "identical");
	check("zh", "大会通过了第70/1号决议。", "大会通过了第70/1号决议。", 100,
	      0, "identical zh");

	/* One word changed: 10 tokens -> 90, 11 -> 90, 7 -> 85. */
	check("en",
	      "The Committee adopted the draft resolution without a vote.",
	      "The Committee rejected the draft resolution without a vote.", 90,
	      WORDS, "en one word of 10");
	check("es",
	      "La Comisión aprobó el proyecto de resolución sin votación.",
	      "La Comisión rechazó el proyecto de resolución sin votación.", 90,
	      WORDS, "es one word of 10");
	check("fr", "Le Comité a adopté le projet de résolution sans vote.",
	      "Le Comité a rejeté le projet de résolution sans vote.", 90,
	      WORDS, "fr one word of 11");
	check("ru", "Комитет принял проект резолюции без голосования.",
	      "Комитет отклонил проект резолюции без голосования.", 85, WORDS,
	      "ru one word of 7");
	check("ar", "اعتمدت اللجنة مشروع القرار دون تصويت.",
	      "اعتمدت الجمعية مشروع القرار دون تصويت.", 85, WORDS,
	      "ar one word of 7");
	/* A word deleted: 10 against 9 tokens, d = 1. */
	check("en",
	      "The Committee adopted the draft resolution without a vote.",
	      "The Committee adopted the resolution without a vote.", 90, WORDS,
	      "en one word deleted");

	/* Only numbers, case or punctuation: 99 and which. */
	check("en", "Resolution 179", "Resolution 180", 99, NUMBERS,
	      "number changed");
	check("en", "Resolution 179 (Rev. Dubai, 2018)",
	      "Resolution 180 (Rev. Guadalajara, 2010)", 66, WORDS | NUMBERS,
	      "number and a word changed");
	check("en", "a total of 1,000 delegates",
	      "a total of 2\xe2\x80\xaf"
	      "500 delegates",
	      99, NUMBERS, "numbers of any form");
	check("ar", "القرار 179 لعام ٢٠١٨", "القرار 179 لعام 2018", 99, NUMBERS,
	      "Arabic-Indic digits");
	check("en", "Resolution 179 (Rev. Dubai, 2018)",
	      "resolution 179 (REV. Dubai, 2018)", 99, CASE, "case only");
	check("fr", "Résolution 179 (Rév. Dubaï, 2018)",
	      "résolution 179 (rév. dubaï, 2018)", 99, CASE, "case fr");
	check("ru", "Резолюция 179", "РЕЗОЛЮЦИЯ 179", 99, CASE, "case ru");
	check("en", "Resolution 179 (Rev. Dubai, 2018)",
	      "Resolution 179 (Rev. Dubai; 2018);", 80, PUNCT,
	      "punctuation added is an edit");
	check("en", "Resolution 179 (Rev. Dubai, 2018).",
	      "Resolution 179 [Rev. Dubai; 2018]!", 99, PUNCT,
	      "punctuation only");
	check("zh", "第179号决议，2018年。", "第179号决议,2018年.", 99, PUNCT,
	      "full-width punctuation");
	check("es", "Resolución 179, de 2018", "resolución 180; de 2019", 99,
	      CASE | NUMBERS | PUNCT, "case, numbers and punctuation");
	check("en", "A1 and b2", "a2 and b2", 99, CASE | NUMBERS,
	      "case and number in one token");
	check("en", "sustainable development",
	      "sustainable develop\xc2\xadment", 99, SPACE, "soft hyphen");
	/* White space is not a token: 100, but the bit says so. */
	check("en", "Resolution 179 (Rev. Dubai, 2018)",
	      "Resolution  179 ( Rev. Dubai,2018) ", 100, SPACE,
	      "white space only");
	check("en", "Resolution 179",
	      "Resolution\xc2\xa0"
	      "180",
	      99, NUMBERS | SPACE, "number and white space");

	/* Chinese: one character of 20. */
	r = score("zh", "联合国大会通过了关于可持续发展目标的决议",
		  "联合国大会通过了关于可持续发展指标的决议", 0, &k);
	is_int(r, 95, "zh one character of 20");
	is_int(k, WORDS, "zh kinds");
	{
		hx_match_seg *s =
		    seg("zh", "联合国大会通过了关于可持续发展目标的决议");

		is_int(hx_match_seg_count(s), 20, "zh 20 tokens");
		hx_match_seg_free(s);
	}

	/* Tags: each tag edit costs its edit and one point. */
	check("en", "Click \xee\x80\x80Save\xee\x80\x81 to keep the changes.",
	      "Click \xee\x80\x82Save\xee\x80\x83 to keep the changes.", 75,
	      TAGS, "placeholders changed: 100 * 7/9 - 2");
	check("en", "Click \xee\x80\x80Save\xee\x80\x81 to keep the changes.",
	      "Click Save to keep the changes.", 75, TAGS,
	      "placeholders removed");
	check("en", "Click \xee\x80\x80Save\xee\x80\x81 to keep the changes.",
	      "Click \xee\x80\x80Save\xee\x80\x81 to keep all changes.", 88,
	      WORDS, "same placeholders, a word changed");
	check("en",
	      "Resolution \xee\x80\x80"
	      "179\xee\x80\x81",
	      "Resolution \xee\x80\x80"
	      "180\xee\x80\x81",
	      99, NUMBERS, "same placeholders, a number changed");
	{
		/* 150 tokens: one changed tag would floor to 99; the penalty
		 * takes it to 98. */
		char a[2048] = "", b[2048] = "";

		for (int i = 0; i < 149; i++) {
			strcat(a, "word ");
			strcat(b, "word ");
		}
		strcat(a, "\xee\x80\x80");
		strcat(b, "\xee\x80\x81");
		check("en", a, b, 98, TAGS, "one tag of 150");
		a[strlen(a) - 3] = 'x';
		a[strlen(a) - 2] = '\0';
		check("en", a, b, 98, TAGS | WORDS, "a tag for a word of 150");
		/* Without tags, a word of 150 would floor to 99; a real edit
		 * is capped at 98 so 99 keeps its meaning. */
		b[strlen(b) - 3] = 'y';
		b[strlen(b) - 2] = '\0';
		check("en", a, b, 98, WORDS, "a word of 150");
	}

	/* Empty segments. */
	check("en", "", "", 100, 0, "both empty");
	check("en", " ", "", 100, SPACE, "white space against empty");
	check("en", "", "Resolution 179", 0, NUMBERS | WORDS, "one empty");
	check("en", "", "\xee\x80\x80", 0, TAGS, "empty against a tag");
}

static void test_min(void)
{
	const char *q =
	    "The Committee adopted the draft resolution without a vote.";
	const char *s = "The Council adopted it.";
	const char *t =
	    "A working group considered the proposal on the agenda.";
	int full = score("en", q, s, 0, NULL);

	/* d = 7 of 10. */
	is_int(full, 30, "true score");
	/* Length alone: 5 tokens difference > k = 3. */
	ok(score("en", q, s, 70, NULL) < 70, "length bound < 70");
	/* k = 5 lets the lengths through; the band stops at d > 5. */
	ok(score("en", q, s, 50, NULL) < 50, "band cut-off < 50");
	is_int(score("en", q, s, 30, NULL), 30, "exact at min = score");
	is_int(score("en", q, s, -5, NULL), 30, "min below 0 = 0");
	ok(score("en", q, s, 500, NULL) < 100, "min past 100");
	/* Equal lengths, nothing in common. */
	is_int(score("en", q, t, 0, NULL), 10, "unrelated: only '.' shared");
	ok(score("en", q, t, 70, NULL) < 70, "unrelated cut off");
}

/*
 * Property test. Segments are words of a small vocabulary joined by
 * spaces, so the reference knows their tokens: `loose` says which are
 * loosely equal, `kind` what the 99 rule reports.
 */
static const struct {
	const char *s;
	int loose;
	unsigned kind;
	int tag;
} vocab[] = {
    {"assembly", 0, CASE, 0},
    {"Assembly", 0, CASE, 0},
    {"council", 1, CASE, 0},
    {"Council", 1, CASE, 0},
    {"resolution", 2, CASE, 0},
    {"RESOLUTION", 2, CASE, 0},
    {"adopted", 3, CASE, 0},
    {"the", 4, CASE, 0},
    {"The", 4, CASE, 0},
    {"draft", 5, CASE, 0},
    {"vote", 6, CASE, 0},
    {"179", 7, NUMBERS, 0},
    {"180", 7, NUMBERS, 0},
    {"2018", 7, NUMBERS, 0},
    {"1,000", 7, NUMBERS, 0},
    {",", 8, PUNCT, 0},
    {";", 8, PUNCT, 0},
    {".", 8, PUNCT, 0},
    {"(", 8, PUNCT, 0},
    {"\xee\x80\x80", 9, TAGS, 1},
    {"\xee\x80\x81", 10, TAGS, 1},
    {"\xee\x80\x82", 11, TAGS, 1},
    {"会", 12, CASE, 0},
    {"议", 13, CASE, 0},
};
#define NVOCAB (sizeof(vocab) / sizeof(vocab[0]))
#define MAXLEN 320

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t rnd(uint32_t n)
{
	/* xorshift64 (Marsaglia 2003), fixed seed: reproducible. */
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32) % n;
}

/* The header's definition, by full dynamic programming on (d, tags). */
static int ref_score(const int *a, size_t n, const int *b, size_t m,
		     int *rule99)
{
	static uint64_t d[(MAXLEN + 1) * (MAXLEN + 1)];
	const uint64_t E = (uint64_t)1 << 32;
	size_t w = m + 1, max = n > m ? n : m, dist;
	int exact = n == m, loose = n == m, sc;
	uint32_t tags;

	for (size_t i = 0; i < n && i < m; i++) {
		exact &= a[i] == b[i];
		loose &= vocab[a[i]].loose == vocab[b[i]].loose;
	}
	*rule99 = !exact && loose;
	if (exact)
		return 100;
	if (loose)
		return 99;
	for (size_t i = 0; i <= n; i++) {
		for (size_t j = 0; j <= m; j++) {
			uint64_t best = UINT64_MAX, c;

			if (!i && !j) {
				d[0] = 0;
				continue;
			}
			if (i && j) {
				best = d[(i - 1) * w + j - 1];
				if (a[i - 1] != b[j - 1])
					best += E + (vocab[a[i - 1]].tag |
						     vocab[b[j - 1]].tag);
			}
			if (i && (c = d[(i - 1) * w + j] + E +
				      (uint64_t)vocab[a[i - 1]].tag) < best)
				best = c;
			if (j && (c = d[i * w + j - 1] + E +
				      (uint64_t)vocab[b[j - 1]].tag) < best)
				best = c;
			d[i * w + j] = best;
		}
	}
	dist = (size_t)(d[n * w + m] >> 32);
	tags = (uint32_t)d[n * w + m];
	sc = (int)(100 * (max - dist) / max) - (int)tags;
	if (sc < 0)
		sc = 0;
	if (tags && sc > 99)
		sc = 99;
	if (dist > 0 && sc > 98)
		sc = 98;
	return sc;
}

static unsigned ref_kinds99(const int *a, const int *b, size_t n)
{
	unsigned k = 0;

	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			k |= vocab[a[i]].kind;
	return k;
}

static hx_match_seg *make(const int *w, size_t n)
{
	static char buf[MAXLEN * 12];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s",
					 i ? " " : "", vocab[w[i]].s);
	return seg("en", buf);
}

static void test_property(void)
{
	static int a[MAXLEN], b[MAXLEN];
	int bad_ref = 0, bad_band = 0, bad_kinds = 0, bad_sym = 0;
	int bad_count = 0, above = 0, below = 0, big = 0, n99 = 0;
	const int pairs = 4000;

	for (int p = 0; p < pairs; p++) {
		size_t n = rnd(50) == 0 ? 257 + rnd(40) : rnd(26), m;
		hx_match_seg *x, *y;
		unsigned k0, k1, ks;
		int want, full, min, banded, rule99, loose_only;

		for (size_t i = 0; i < n; i++)
			a[i] = (int)rnd(NVOCAB);
		/* b: a with a few edits, so that scores spread over 0..100;
		 * one pair in four with loose-equal replacements only. */
		memcpy(b, a, n * sizeof(*a));
		m = n;
		loose_only = rnd(4) == 0;
		for (uint32_t e = rnd((uint32_t)n / 3 + 3); e > 0; e--) {
			uint32_t op = rnd(4), at = m ? rnd((uint32_t)m) : 0;

			if (loose_only && m) {
				int v = (int)rnd(NVOCAB);

				if (vocab[v].loose == vocab[b[at]].loose)
					b[at] = v;
			} else if (op == 0 && m < MAXLEN) {
				memmove(b + at + 1, b + at,
					(m - at) * sizeof(*b));
				b[at] = (int)rnd(NVOCAB);
				m++;
			} else if (op == 1 && m) {
				memmove(b + at, b + at + 1,
					(m - at - 1) * sizeof(*b));
				m--;
			} else if (m) {
				b[at] = (int)rnd(NVOCAB);
			}
		}
		big += n > 256 && m > 256;
		x = make(a, n);
		y = make(b, m);
		if (hx_match_seg_count(x) != n || hx_match_seg_count(y) != m)
			bad_count++;
		want = ref_score(a, n, b, m, &rule99);
		full = hx_match_score(x, y, 0, &k0);
		if (full != want && bad_ref++ < 3)
			printf("# pair %d: score %d, reference %d\n", p, full,
			       want);
		n99 += rule99;
		if (rule99 && k0 != ref_kinds99(a, b, n) && bad_kinds++ < 3)
			printf("# pair %d: kinds %u, reference %u\n", p, k0,
			       ref_kinds99(a, b, n));
		if (hx_match_score(y, x, 0, &ks) != full || ks != k0)
			bad_sym++;
		min = rnd(3) ? (int)rnd(101) : 70;
		banded = hx_match_score(x, y, min, &k1);
		if (want >= min) {
			above++;
			if ((banded != full || k1 != k0) && bad_band++ < 3)
				printf("# pair %d min %d: banded %d/%u, full "
				       "%d/%u\n",
				       p, min, banded, k1, full, k0);
		} else {
			below++;
			if (banded >= min && bad_band++ < 3)
				printf("# pair %d min %d: banded %d, want < "
				       "min (%d)\n",
				       p, min, banded, want);
		}
		hx_match_seg_free(x);
		hx_match_seg_free(y);
	}
	is_int(bad_count, 0, "generated token counts");
	is_int(bad_ref, 0, "%d pairs: full DP = reference", pairs);
	is_int(bad_kinds, 0, "99 kinds = reference");
	is_int(bad_sym, 0, "symmetric");
	is_int(bad_band, 0, "banded = full when >= min, else < min");
	ok(above > 400 && below > 400, "both sides of min tried (%d, %d)",
	   above, below);
	ok(n99 > 50, "the 99 rule tried (%d)", n99);
	ok(big > 10, "pairs past the stack buffer tried (%d)", big);
}

static void check_run(const hx_diff *d, hx_diff_op op, size_t qs, size_t qe,
		      size_t ss, size_t se, const char *what)
{
	ok(d->op == op && d->q_start == qs && d->q_end == qe &&
	       d->s_start == ss && d->s_end == se,
	   "%s: got op %d q %zu..%zu s %zu..%zu", what, (int)d->op, d->q_start,
	   d->q_end, d->s_start, d->s_end);
}

static void test_diff(void)
{
	const char *q = "The Committee adopted the draft resolution without a "
			"vote, as orally amended.";
	const char *s = "The Council adopted the revised draft resolution "
			"without a vote.";
	hx_match_seg *a = seg("en", q), *b = seg("en", s), *e = seg("en", "");
	hx_diff *d = NULL;
	size_t n = 99;
	hx_error err;

	hx_error_init(&err);
	is_int(hx_match_diff(&d, &n, a, b, &err), HX_OK, "diff ok");
	is_int(n, 7, "seven runs");
	if (d && n == 7) {
		check_run(&d[0], HX_DIFF_SAME, 0, 3, 0, 3, "The");
		check_run(&d[1], HX_DIFF_REPLACE, 4, 13, 4, 11,
			  "Committee/Council");
		check_run(&d[2], HX_DIFF_SAME, 14, 25, 12, 23, "adopted the");
		check_run(&d[3], HX_DIFF_DELETE, 25, 25, 24, 31, "revised");
		check_run(&d[4], HX_DIFF_SAME, 26, 57, 32, 63,
			  "draft ... vote");
		check_run(&d[5], HX_DIFF_INSERT, 57, 76, 63, 63,
			  ", as orally amended");
		check_run(&d[6], HX_DIFF_SAME, 76, 77, 63, 64, "final stop");
	}
	free(d);
	hx_match_seg_free(a);
	hx_match_seg_free(b);

	/* Chinese: 第|179|号|决|议 against 第|180|号|决|议. */
	a = seg("zh", "第179号决议");
	b = seg("zh", "第180号决议");
	is_int(hx_match_diff(&d, &n, a, b, &err), HX_OK, "zh diff ok");
	is_int(n, 3, "zh three runs");
	if (d && n == 3) {
		check_run(&d[0], HX_DIFF_SAME, 0, 3, 0, 3, "第");
		check_run(&d[1], HX_DIFF_REPLACE, 3, 6, 3, 6, "179/180");
		check_run(&d[2], HX_DIFF_SAME, 6, 15, 6, 15, "号决议");
	}
	free(d);

	/* Against nothing: one run; two empties: none. */
	is_int(hx_match_diff(&d, &n, e, a, &err), HX_OK, "empty query ok");
	ok(n == 1 && d, "one run");
	if (d && n == 1)
		check_run(&d[0], HX_DIFF_DELETE, 0, 0, 0, 15, "all deleted");
	free(d);
	is_int(hx_match_diff(&d, &n, a, e, &err), HX_OK, "empty source ok");
	if (d && n == 1)
		check_run(&d[0], HX_DIFF_INSERT, 0, 15, 0, 0, "all inserted");
	else
		ok(0, "one run");
	free(d);
	d = (hx_diff *)1;
	is_int(hx_match_diff(&d, &n, e, e, &err), HX_OK, "two empties ok");
	ok(n == 0 && d == NULL, "no runs, NULL");
	hx_match_seg_free(a);
	hx_match_seg_free(b);
	hx_match_seg_free(e);
}

/* What `hexalign tm lookup --help` says of the scores, held to it: 99 is
 * for segments of as many tokens that pair up loosely; a punctuation mark
 * missing or added is an edit like a word, capped at 98, though the
 * match still says it differs in punctuation. */
static void test_help_claims(void)
{
	const char *s7 = "The Council took note of the report.";

	check("en", s7, "The Council took note of the report,", 99, PUNCT,
	      "one punctuation mark for another, same length: 99");
	check("en", s7, "The Council took note of the Report.", 99, CASE,
	      "case only: 99");
	check("en", "The Council took note of the report, as amended.",
	      "The Council took note of the report as amended.", 90, PUNCT,
	      "a comma missing, 10 tokens against 9: an edit, 90");
	check("en", "The Council took note of the 2024 report.",
	      "The Council took note of the 2024 report", 88, PUNCT,
	      "a final stop missing, 9 tokens against 8: 88");
	check("en", "They are endowed with reason and conscience",
	      "They are endowed with reason and conscience,", 87, PUNCT,
	      "a trailing comma missing, 8 tokens against 7: 87");
}

/* Many scores on 15-word sentences at min = 70, no timing: every answer
 * must equal the first one for the same pair. */
static void test_many(void)
{
	static const char *sent[] = {
	    "The Council shall meet at least once a year at the seat of "
	    "the Union in Geneva.",
	    "The Council shall meet at least twice a year at the seat of "
	    "the Union in Geneva.",
	    "The Council shall meet at least once a year at the "
	    "headquarters of the Union.",
	    "The Conference shall meet every four years at a place "
	    "decided by the Council.",
	    "Member States shall submit their reports to the "
	    "Secretary-General before 31 March 2025.",
	    "Member States shall submit their reports to the "
	    "Secretary-General before 30 April 2026.",
	    "Le Conseil se réunit au moins une fois par an au siège de "
	    "l'Union à Genève.",
	    "Совет собирается не реже одного раза в год в штаб-квартире "
	    "Союза в Женеве.",
	};
	enum { N = sizeof(sent) / sizeof(sent[0]) };
	hx_match_seg *s[N];
	int first[N][N];
	long mismatches = 0, above = 0;

	for (int i = 0; i < N; i++)
		s[i] = seg("en", sent[i]);
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			first[i][j] = hx_match_score(s[i], s[j], 70, NULL);
	for (long r = 0; r < 100000; r++) {
		int i = (int)(r % N), j = (int)((r / N) % N);
		int sc = hx_match_score(s[i], s[j], 70, NULL);

		mismatches += sc != first[i][j] || sc < 0 || sc > 100;
		above += sc >= 70;
	}
	is_int(mismatches, 0, "100000 scores at min 70, all stable");
	ok(above > 100000 / 5 && above < 100000 / 2, "some above 70 (%ld)",
	   above);
	for (int i = 0; i < N; i++)
		hx_match_seg_free(s[i]);
}

/* The tokeniser answers from tables for the BMP; they must agree with the
 * rules and ICU on every code point, surrogates included. */
static void test_tables(void)
{
	uint32_t bad = hx__match_check_tables();

	ok(bad == UINT32_MAX, "BMP tables agree with the rules");
	if (bad != UINT32_MAX)
		printf("# first disagreement on U+%04X\n", (unsigned)bad);
}

int main(void)
{
	test_tables();
	test_tokens();
	test_scores();
	test_min();
	test_property();
	test_diff();
	test_help_claims();
	test_many();
	return done_testing();
}
