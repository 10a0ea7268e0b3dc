/*
 * anchor.c - finding typed anchors (numbers, dates, document symbols,
 * Latin-script tokens, URLs) in one sentence of any of the six UN
 * languages, and reducing each to a key that is the same in every
 * language. The aligner matches anchors by key; deciding what a match is
 * worth is its business, not this file's. This is a hand-written scanner,
 * not a tokenizer or a date library: it knows the forms UN and ITU
 * documents use and nothing else.
 *
 * Keys. Every anchor has a normalised value, rendered by
 * hx__anchor_describe() as "type:value" ("number:1200.5",
 * "date:2024-09-30", "symbol:C26/15", "latin:cwg-cop",
 * "url:https://itu.int/cop"). The key is FNV-1a 64 (Fowler, Noll, Vo;
 * draft-eastlake-fnv) over those bytes, with two exceptions that make the
 * key looser than the text a reader sees: a LATIN key skips '-' and '.'
 * (CWG-COP = CWGCOP = CWG‑COP with U+2011), and a URL key skips the scheme
 * (http://, https://, ftp://, mailto:), so http and https links match.
 * find() computes every key by running the same normaliser describe()
 * runs, on the anchor's own bytes only, so the two can never disagree.
 *
 * Decisions worth knowing.
 * - Numbers are written as digits without grouping, '.' as the decimal
 *   point: "1,200.5" (en, zh), "1 200,5" (fr, ru, with space, NBSP or
 *   U+202F), "1.200,5" (es), "١٬٢٠٠٫٥" (ar) all give 1200.5. Leading zeros
 *   go, trailing fraction zeros stay (2.10 is not 2.1 in a section number).
 *   Dotted section numbers keep their dots (1.2.3). Scale words multiply:
 *   "135 million" = "1.35亿" = "135 млн" = 135000000. UN Arabic stores
 *   space-grouped numbers group by group reversed ("000 819 5" is
 *   5819000); see num_reversed().
 * - Percentages are plain numbers: "25%", "25 per cent", "百分之二十五" are
 *   all number:25; the per cent sign or words are outside the anchor.
 * - A date swallows its numbers: "30 September 2024" is one DATE, and its
 *   year is NOT also emitted as a NUMBER. Dates parse the same way in every
 *   language, so both sides of a pair get the date; emitting the year too
 *   would count one fact twice. A year alone ("in 2024", "2024年") is a
 *   NUMBER. A month alone ("9月", "in September") is nothing.
 * - Dates without a year are "--MM-DD" (ISO 8601 form for a day of no
 *   particular year). In a range the first date takes what it lacks from
 *   the second ("28-30 September 2024", "30 September to 2 October 2024")
 *   and in Chinese the second from the first ("2024年9月28日至30日"); such
 *   an anchor's span covers the whole range, so describe() can redo it.
 * - "Resolution 179", "第179号决议", "القرار 179" are left as NUMBER 179:
 *   the word for "resolution" differs per language and the number alone
 *   already matches. "70/1" (a resolution in UN style) is a SYMBOL.
 * - Chinese numerals become numbers only when they clearly are: a value
 *   of 10 or more written with two or more characters (十八, 二〇二四), an
 *   ordinal (第十八次, 第一, 第四条 = article 4), or 十 before a counter
 *   (十个). Small counts (三项, 两次, 一个) are not: the other five languages
 *   write them as words ("three items"); on the UN dev set 5 of 120 matched
 *   a digit on the English side, by chance. Runs that open with 百/千/万/亿
 *   (百姓, 千万, 万一) and ill-formed runs (一一, 三四十) are words.
 * - Symbols drop the ITU language suffix (-E -C -A -F -R -S), so C26/15-E
 *   and C26/15-C are one document.
 * - LATIN in Latin-script text (en, fr, es) is a code: a part with two
 *   capitals or more that outnumber its small letters (UNICEF, ITU-T,
 *   SDGs; not Secretary-General), or capitals with digits (SG17, G7,
 *   COVID-19). In zh, ar and ru every Latin run is one.
 *
 * Measured on the UN Parallel Corpus dev set (2562 six-way sentences):
 * 95-97% of English dates and 93-97% of English numbers have an anchor
 * with the same key in the zh, ar and ru versions (fr and es drop many
 * paragraph numbers: 79%); 30-70 MB/s of text on one core.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/error.h>

#include "align/anchor.h"
#include "base/text.h"

/* --- Languages -------------------------------------------------------- */

/* A word of a table and its value: a month, or a scale's power of ten. */
struct month {
	/* as fold() leaves it: month_in() compares the first bytes */
	const char *name;
	unsigned char m;
};

struct lang {
	bool comma_decimal; /* "1,5" is one and a half */
	bool dot_groups;    /* "1.200" is twelve hundred */
	bool every_latin;   /* every Latin run is an anchor (non-Latin text) */
	bool month_day;	    /* "September 30, 2024" */
	bool rtl_groups;    /* "000 819 5" is 5 819 000, see num_reversed() */
	uint32_t script;    /* block of non-Latin month names: 0x400, 0x600 */
	const struct month *months, *scales;
	size_t nmonths, nscales;
};

static const struct month months_en[] = {
    {"january", 1},   {"february", 2}, {"march", 3},	 {"april", 4},
    {"may", 5},	      {"june", 6},     {"july", 7},	 {"august", 8},
    {"september", 9}, {"october", 10}, {"november", 11}, {"december", 12},
};

static const struct month months_fr[] = {
    {"janvier", 1},   {"février", 2},	{"fevrier", 2},	  {"mars", 3},
    {"avril", 4},     {"mai", 5},	{"juin", 6},	  {"juillet", 7},
    {"août", 8},      {"aout", 8},	{"septembre", 9}, {"octobre", 10},
    {"novembre", 11}, {"décembre", 12}, {"decembre", 12},
};

static const struct month months_es[] = {
    {"enero", 1},      {"febrero", 2},	 {"marzo", 3},	  {"abril", 4},
    {"mayo", 5},       {"junio", 6},	 {"julio", 7},	  {"agosto", 8},
    {"septiembre", 9}, {"setiembre", 9}, {"octubre", 10}, {"noviembre", 11},
    {"diciembre", 12},
};

/* Nominative, genitive (with a day: "30 сентября") and prepositional ("в
 * сентябре 2024 года"). */
static const struct month months_ru[] = {
    {"январь", 1},   {"января", 1},   {"январе", 1},   {"февраль", 2},
    {"февраля", 2},  {"феврале", 2},  {"март", 3},     {"марта", 3},
    {"марте", 3},    {"апрель", 4},   {"апреля", 4},   {"апреле", 4},
    {"май", 5},	     {"мая", 5},      {"мае", 5},      {"июнь", 6},
    {"июня", 6},     {"июне", 6},     {"июль", 7},     {"июля", 7},
    {"июле", 7},     {"август", 8},   {"августа", 8},  {"августе", 8},
    {"сентябрь", 9}, {"сентября", 9}, {"сентябре", 9}, {"октябрь", 10},
    {"октября", 10}, {"октябре", 10}, {"ноябрь", 11},  {"ноября", 11},
    {"ноябре", 11},  {"декабрь", 12}, {"декабря", 12}, {"декабре", 12},
};

/* UN Arabic writes the Levantine name, '/', the Egyptian one ("أيلول/سبتمبر");
 * other texts use either alone. Written folded: bare alef for أ إ آ (so
 * "ايلول" matches أيلول), ي for ى. The space in two-word names matches any
 * white space. */
static const struct month months_ar[] = {
    {"كانون الثاني", 1},  {"شباط", 2},
    {"اذار", 3},	  {"نيسان", 4},
    {"ايار", 5},	  {"حزيران", 6},
    {"تموز", 7},	  {"اب", 8},
    {"ايلول", 9},	  {"تشرين الاول", 10},
    {"تشرين الثاني", 11}, {"كانون الاول", 12},
    {"يناير", 1},	  {"فبراير", 2},
    {"مارس", 3},	  {"ابريل", 4},
    {"مايو", 5},	  {"يونيو", 6},
    {"يونيه", 6},	  {"يوليو", 7},
    {"يوليه", 7},	  {"اغسطس", 8},
    {"سبتمبر", 9},	  {"اكتوبر", 10},
    {"نوفمبر", 11},	  {"ديسمبر", 12},
};

/* Scale words after a number, as powers of ten ("135 million" is the
 * 1.35亿 of the Chinese version). A billion is 10^9 in English and in UN
 * Arabic (بليون), 10^12 in French and Spanish. 万 and 亿 work in any text. */
static const struct month scales_en[] = {
    {"million", 6},  {"millions", 6},  {"billion", 9},
    {"billions", 9}, {"trillion", 12}, {"trillions", 12},
};

static const struct month scales_fr[] = {
    {"million", 6},   {"millions", 6}, {"milliard", 9},
    {"milliards", 9}, {"billion", 12}, {"billions", 12},
};

static const struct month scales_es[] = {
    {"mil millones", 9}, {"millón", 6},	 {"millon", 6},
    {"millones", 6},	 {"billón", 12}, {"billones", 12},
};

static const struct month scales_ru[] = {
    {"млн", 6},	  {"миллион", 6},   {"миллиона", 6},   {"миллионов", 6},
    {"млрд", 9},  {"миллиард", 9},  {"миллиарда", 9},  {"миллиардов", 9},
    {"трлн", 12}, {"триллион", 12}, {"триллиона", 12}, {"триллионов", 12},
};

static const struct month scales_ar[] = {
    {"مليون", 6}, {"ملايين", 6},  {"بليون", 9},	   {"بلايين", 9},
    {"مليار", 9}, {"مليارات", 9}, {"تريليون", 12},
};

#define N(a)	  (sizeof(a) / sizeof((a)[0]))
#define MONTHS(t) .months = (t), .nmonths = N(t)
#define SCALES(t) .scales = (t), .nscales = N(t)

enum { L_EN, L_ZH, L_AR, L_FR, L_RU, L_ES };

static const struct lang langs[] = {
    [L_EN] = {.month_day = true, MONTHS(months_en), SCALES(scales_en)},
    [L_ZH] = {.every_latin = true, MONTHS(months_en), SCALES(scales_en)},
    [L_AR] = {.comma_decimal = true,
	      .every_latin = true,
	      .rtl_groups = true,
	      .script = 0x600,
	      MONTHS(months_ar),
	      SCALES(scales_ar)},
    [L_FR] = {.comma_decimal = true, MONTHS(months_fr), SCALES(scales_fr)},
    [L_RU] = {.comma_decimal = true,
	      .every_latin = true,
	      .script = 0x400,
	      MONTHS(months_ru),
	      SCALES(scales_ru)},
    [L_ES] = {.comma_decimal = true,
	      .dot_groups = true,
	      MONTHS(months_es),
	      SCALES(scales_es)},
};

static const struct lang *lang_get(const char *code)
{
	static const char names[][3] = {"en", "zh", "ar", "fr", "ru", "es"};

	if (!code || !code[0] || !code[1] ||
	    (code[2] && code[2] != '-' && code[2] != '_'))
		return &langs[L_EN];
	for (size_t k = 0; k < N(names); k++)
		if ((code[0] | 0x20) == names[k][0] &&
		    (code[1] | 0x20) == names[k][1])
			return &langs[k];
	return &langs[L_EN];
}

/* Between two days of a range: "28-30", "du 28 au 30", "del 28 al 30",
 * "с 28 по 30", "من 28 إلى 30", "15 و 29". */
static const char *const range_words[] = {
    "to", "and", "au", "et", "al", "y", "по", "до", "и", "إلى", "حتى", "و",
};

/* After a day number: 1st, 1er, 1ᵉʳ, 1.º; after any number: 1990s, 2e. */
static const char *const ordinal_suffixes[] = {
    "st",  "nd",  "rd", "th", "s", "e", "er", "re",
    "ème", "eme", "ᵉ",	"ᵉʳ", "º", "ª", ".º", ".ª",
};

/* --- Characters ------------------------------------------------------- */

/* The text being scanned; len is where scanning must stop (the end of the
 * text in find(), the end of the anchor in describe()). */
struct scan {
	const unsigned char *s;
	size_t len;
	const struct lang *lang;
};

/*
 * The code point at i, *next past it. 0 with *next == i at the end. Input
 * is valid UTF-8 by contract; a bad or truncated sequence still only
 * yields U+FFFD and one byte, never a read past len. Full-width digits and
 * letters (common in Chinese text) come back as ASCII.
 */
static uint32_t cp_at(const struct scan *sc, size_t i, size_t *next)
{
	const unsigned char *s = sc->s;
	uint32_t c;
	size_t n;

	if (i >= sc->len) {
		*next = i;
		return 0;
	}
	c = s[i];
	if (c < 0x80) {
		*next = i + 1;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF)
		n = 1, c &= 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 2, c &= 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 3, c &= 0x07;
	else
		goto bad;
	if (sc->len - i <= n)
		goto bad;
	for (size_t k = 1; k <= n; k++) {
		if ((s[i + k] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i + k] & 0x3F);
	}
	*next = i + n + 1;
	if ((c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
	    (c >= 0xFF41 && c <= 0xFF5A))
		c -= 0xFEE0;
	return c;
bad:
	*next = i + 1;
	return 0xFFFD;
}

/* Decode one code point of a trusted NUL-terminated table string. */
static uint32_t str_next(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint32_t c = s[0];
	int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;

	if (n)
		c &= 0x3F >> n;
	for (int k = 1; k <= n; k++)
		c = (c << 6) | (s[k] & 0x3F);
	*p += n + 1;
	return c;
}

static bool is_digit(uint32_t c)
{
	return c - '0' < 10u;
}

static bool is_alpha(uint32_t c)
{
	return (c | 0x20) - 'a' < 26u;
}

static bool is_alnum(uint32_t c)
{
	return is_digit(c) || is_alpha(c);
}

static bool is_upper(uint32_t c)
{
	return c - 'A' < 26u;
}

/* Decimal digits of the scripts the six languages write numbers in. */
static int digit_val(uint32_t c)
{
	if (c - '0' < 10u)
		return (int)(c - '0');
	if (c - 0x660 < 10u) /* Arabic-Indic */
		return (int)(c - 0x660);
	if (c - 0x6F0 < 10u) /* Extended Arabic-Indic */
		return (int)(c - 0x6F0);
	return -1;
}

/* Latin letters beyond ASCII and combining marks: they continue a word, so
 * "Québec" holds no token "Qu". */
static bool is_latin_ext(uint32_t c)
{
	return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
	       (c >= 0x300 && c <= 0x36F) || (c >= 0x1E00 && c <= 0x1EFF);
}

static bool is_cyrillic(uint32_t c)
{
	return c >= 0x400 && c <= 0x52F;
}

static bool is_arabic_letter(uint32_t c)
{
	return (c >= 0x620 && c <= 0x65F) || (c >= 0x66E && c <= 0x6D3) ||
	       c == 0x6D5 || (c >= 0x6FA && c <= 0x6FF);
}

/* Letters that make a word go on. CJK is left out on purpose: Chinese has
 * no spaces, so a Latin token or a number may touch an ideograph. */
static bool is_letter(uint32_t c)
{
	return is_alpha(c) || is_latin_ext(c) || (c >= 0x370 && c <= 0x52F) ||
	       is_arabic_letter(c);
}

/* White space plus the invisible marks that sit between tokens in
 * right-to-left and Chinese text (ZWSP, LRM/RLM, ALM, bidi embeddings). */
static bool is_gap(uint32_t c)
{
	return hx__is_space(c) || (c >= 0x200B && c <= 0x200F) || c == 0x061C ||
	       c == 0x2060 || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/* Is c one of the ASCII characters of set? (strchr() alone would take a
 * truncated code point, or the terminating NUL, as a member.) */
static bool in_set(uint32_t c, const char *set)
{
	return c && c < 0x80 && strchr(set, (int)c);
}

static bool is_hyphen(uint32_t c)
{
	return c == '-' || c == 0x2010 || c == 0x2011;
}

/* What joins the two ends of a range: hyphens, dashes, minus, tildes. */
static bool is_dash(uint32_t c)
{
	return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 ||
	       c == '~' || c == 0x301C || c == 0xFF5E;
}

/* Case and spelling variants the month and connector tables ignore. */
static uint32_t fold(uint32_t c)
{
	if (c < 0x80)
		return c - 'A' < 26u ? c + 32 : c;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		c += 80;
	switch (c) {
	case 0x451: /* ё */
		return 0x435;
	case 0x622: /* آ أ إ ٱ -> ا */
	case 0x623:
	case 0x625:
	case 0x671:
		return 0x627;
	case 0x649: /* ى -> ي */
		return 0x64A;
	}
	return c;
}

static size_t skip_gaps(const struct scan *sc, size_t i)
{
	size_t nx;

	while (i < sc->len && is_gap(cp_at(sc, i, &nx)))
		i = nx;
	return i;
}

/*
 * Does word w (a table string; ' ' stands for any white space) start at i
 * and end at a word boundary? *end is past it.
 */
static bool match_word(const struct scan *sc, size_t i, const char *w,
		       size_t *end)
{
	size_t nx;

	while (*w) {
		uint32_t wc = str_next(&w);

		if (wc == ' ') {
			if (!is_gap(cp_at(sc, i, &nx)))
				return false;
			i = skip_gaps(sc, i);
			continue;
		}
		if (fold(cp_at(sc, i, &nx)) != fold(wc) || nx == i)
			return false;
		i = nx;
	}
	if (is_letter(cp_at(sc, i, &nx)))
		return false;
	*end = i;
	return true;
}

static bool match_gap_word(const struct scan *sc, size_t i, const char *w,
			   size_t *end)
{
	size_t e, nx;

	if (!match_word(sc, i, w, &e) || !is_gap(cp_at(sc, e, &nx)))
		return false;
	*end = skip_gaps(sc, e);
	return true;
}

/* Does the text just before i end with the UTF-8 bytes of one character? */
static bool before_is(const struct scan *sc, size_t i, const char *u8)
{
	size_t n = strlen(u8);

	return i >= n && memcmp(sc->s + i - n, u8, n) == 0;
}

/* --- Output: a value written and hashed at once ----------------------- */

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME  0x100000001b3ULL

struct sink {
	char *buf; /* may be NULL: hash only */
	size_t size, len;
	uint64_t h;
	bool unhashed; /* shown to the reader, left out of the key */
};

static void put(struct sink *k, char c)
{
	if (k->buf && k->len + 1 < k->size)
		k->buf[k->len] = c;
	k->len++;
	if (!k->unhashed) {
		k->h ^= (unsigned char)c;
		k->h *= FNV_PRIME;
	}
}

static void put_str(struct sink *k, const char *s)
{
	while (*s)
		put(k, *s++);
}

static void put_uint(struct sink *k, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	while (n)
		put(k, tmp[--n]);
}

/* --- Numbers ---------------------------------------------------------- */

/* A run of digits at i (any script); *n their count. Written to k when
 * given, without leading zeros while *lead. */
static size_t digits_at(const struct scan *sc, size_t i, size_t *n,
			struct sink *k, bool *lead)
{
	size_t nx;
	int d;

	*n = 0;
	while ((d = digit_val(cp_at(sc, i, &nx))) >= 0) {
		if (k && !(lead && *lead && d == 0)) {
			put(k, (char)('0' + d));
			if (lead)
				*lead = false;
		}
		(*n)++;
		i = nx;
	}
	return i;
}

/* The value of a short digit run at i (at most 9 digits, else *n = 0). */
static size_t int_at(const struct scan *sc, size_t i, unsigned *v, size_t *n)
{
	size_t e = digits_at(sc, i, n, NULL, NULL), nx;

	*v = 0;
	if (*n > 9) {
		*n = 0;
		return i;
	}
	for (size_t p = i; p < e; p = nx)
		*v = *v * 10 + (unsigned)digit_val(cp_at(sc, p, &nx));
	return e;
}

static bool is_space_sep(uint32_t c)
{
	return c == ' ' || c == 0xA0 || c == 0x202F || c == 0x2009;
}

static bool is_group_sep(const struct lang *l, uint32_t c)
{
	/* Any language may group with (thin, no-break) spaces: UN Chinese and
	 * ITU English do too. */
	return is_space_sep(c) || c == 0x66C ||
	       (c == ',' && !l->comma_decimal) || (c == '.' && l->dot_groups);
}

/*
 * UN Arabic documents store a number grouped with spaces with its groups
 * in reverse order: "000 819 5" is 5 819 000 and "630.8 1" is 1 630.8
 * (each group is a left-to-right run laid out right to left; on the UN
 * dev set the English side confirms it). Read that way when the groups
 * fit: three digits (with the decimal part, if any), then groups of three
 * and a last group of one to three.
 */
static size_t num_reversed(const struct scan *sc, size_t i, struct sink *k)
{
	size_t g[8], ng = 1, n, p, q, r, t, frac = 0;
	bool lead = true;
	uint32_t c;

	g[0] = i;
	p = digits_at(sc, i, &n, NULL, NULL);
	if (n != 3)
		return i;
	c = cp_at(sc, p, &q);
	if ((c == '.' || c == ',' || c == 0x66B) &&
	    digit_val(cp_at(sc, q, &r)) >= 0) {
		frac = q;
		p = digits_at(sc, q, &n, NULL, NULL);
	}
	while (ng < N(g) && is_space_sep(cp_at(sc, p, &q))) {
		r = digits_at(sc, q, &n, NULL, NULL);
		c = cp_at(sc, r, &t);
		if (n < 1 || n > 3 ||
		    ((c == '.' || c == ',' || c == 0x66B) &&
		     digit_val(cp_at(sc, t, &t)) >= 0))
			break;
		g[ng++] = q;
		p = r;
		if (n < 3)
			break;
	}
	if (ng < 2)
		return i;
	if (k) {
		while (ng--)
			digits_at(sc, g[ng], &n, k, &lead);
		if (lead)
			put(k, '0');
		if (frac) {
			put(k, '.');
			digits_at(sc, frac, &n, k, NULL);
		}
	}
	return p;
}

/*
 * A number in digits at i, with thousands groups and a decimal part as the
 * language writes them; returns its end and writes the canonical form to
 * k. A separator only counts between a 1-3 digit head and groups of
 * exactly three ("2023 150 delegates" is two numbers), and one kind of
 * separator per number.
 */
static size_t num_at(const struct scan *sc, size_t i, struct sink *k)
{
	bool lead = true, dot;
	size_t n, p, q, r, t;
	uint32_t c, sep = 0;

	if (sc->lang->rtl_groups && (p = num_reversed(sc, i, k)) > i)
		return p;
	p = digits_at(sc, i, &n, k, &lead);
	if (n == 0)
		return i;
	while (n <= 3) {
		c = cp_at(sc, p, &q);
		if (!is_group_sep(sc->lang, c) || (sep && c != sep))
			break;
		r = digits_at(sc, q, &t, NULL, NULL);
		if (t != 3)
			break;
		sep = c;
		digits_at(sc, q, &t, k, &lead);
		p = r;
	}
	if (lead && k)
		put(k, '0');
	c = cp_at(sc, p, &q);
	dot = c == '.';
	if (c != sep &&
	    (dot || c == 0x66B || (c == ',' && sc->lang->comma_decimal)) &&
	    digit_val(cp_at(sc, q, &r)) >= 0) {
		if (k)
			put(k, '.');
		p = digits_at(sc, q, &t, k, NULL);
		/* section numbers: 1.2.3 */
		while (dot && cp_at(sc, p, &q) == '.' &&
		       digit_val(cp_at(sc, q, &r)) >= 0) {
			if (k)
				put(k, '.');
			p = digits_at(sc, q, &t, k, NULL);
		}
	}
	return p;
}

/* An ordinal or plural suffix glued to a number (1st, 1er, 1990s), or e. */
static size_t suffix_end(const struct scan *sc, size_t e)
{
	size_t end, nx;
	uint32_t c = cp_at(sc, e, &nx);

	if (!is_letter(c) && c != '.' && c != 0xBA && c != 0xAA && c != 0x1D49)
		return e;
	for (size_t k = 0; k < N(ordinal_suffixes); k++)
		if (match_word(sc, e, ordinal_suffixes[k], &end) &&
		    !is_digit(cp_at(sc, end, &nx)))
			return end;
	return e;
}

/* --- Chinese numerals ------------------------------------------------- */

enum { ZH_LIANG = 0x4E24, ZH_DIAN = 0x70B9 };

static int zh_digit(uint32_t c)
{
	switch (c) {
	case 0x3007: /* 〇 */
	case 0x96F6: /* 零 */
		return 0;
	case 0x4E00: /* 一 */
		return 1;
	case 0x4E8C:   /* 二 */
	case ZH_LIANG: /* 两 */
		return 2;
	case 0x4E09: /* 三 */
		return 3;
	case 0x56DB: /* 四 */
		return 4;
	case 0x4E94: /* 五 */
		return 5;
	case 0x516D: /* 六 */
		return 6;
	case 0x4E03: /* 七 */
		return 7;
	case 0x516B: /* 八 */
		return 8;
	case 0x4E5D: /* 九 */
		return 9;
	}
	return -1;
}

static uint64_t zh_unit(uint32_t c)
{
	switch (c) {
	case 0x5341: /* 十 */
		return 10;
	case 0x767E: /* 百 */
		return 100;
	case 0x5343: /* 千 */
		return 1000;
	case 0x4E07: /* 万 */
		return 10000;
	case 0x4EBF: /* 亿 */
		return 100000000;
	}
	return 0;
}

static bool is_zh_numeral(uint32_t c)
{
	return zh_digit(c) >= 0 || zh_unit(c);
}

/* Measure words after which 十 is ten, not part of a word (十分, 十足):
 * 条项次个届号名位人份款章节段页种类国票轮期批件家所天周年岁倍组场部席元点. */
static const uint16_t counters[] = {
    0x6761, 0x9879, 0x6B21, 0x4E2A, 0x5C4A, 0x53F7, 0x540D, 0x4F4D, 0x4EBA,
    0x4EFD, 0x6B3E, 0x7AE0, 0x8282, 0x6BB5, 0x9875, 0x79CD, 0x7C7B, 0x56FD,
    0x7968, 0x8F6E, 0x671F, 0x6279, 0x4EF6, 0x5BB6, 0x6240, 0x5929, 0x5468,
    0x5E74, 0x5C81, 0x500D, 0x7EC4, 0x573A, 0x90E8, 0x5E2D, 0x5143, ZH_DIAN,
};

static bool is_counter(uint32_t c)
{
	for (size_t k = 0; k < N(counters); k++)
		if (c == counters[k])
			return true;
	return false;
}

struct zhnum {
	uint64_t v;
	size_t end;	 /* end of the run, valid or not */
	unsigned nch;	 /* characters in the run */
	bool unit_first; /* opens with 百, 千, 万 or 亿 */
};

/*
 * The run of Chinese numerals at i, read positionally (一百七十九 = 179,
 * 三万五千 = 35000, 一百零五 = 105) or, failing that, digit by digit when
 * it has three or more digits (二〇二四 = 2024). Returns false when the run
 * is neither; z->end is set either way.
 */
static bool zh_numeral(const struct scan *sc, size_t i, struct zhnum *z)
{
	uint64_t total = 0, wan = 0, sec = 0, last = 10000, dv = 0, u, x;
	bool pos_ok = true, all_digits = true, liang = false;
	unsigned nd = 0;
	int digit = -1, d;
	size_t p = i, nx;
	uint32_t c;

	memset(z, 0, sizeof(*z));
	for (;; p = nx) {
		c = cp_at(sc, p, &nx);
		d = zh_digit(c);
		u = zh_unit(c);
		if (d < 0 && !u)
			break;
		if (z->nch++ == 0)
			z->unit_first = u > 10;
		if (d >= 0) {
			liang |= c == ZH_LIANG;
			if (++nd <= 18)
				dv = dv * 10 + (uint64_t)d;
			if (digit >= 0)
				pos_ok = false; /* 一一, 二〇: not positional */
			if (d > 0)
				digit = d;
			continue;
		}
		all_digits = false;
		if (u < 10000) {
			/* units fall within a section: 千 > 百 > 十 */
			if (u >= last || (digit < 0 && (u != 10 || sec)))
				pos_ok = false;
			sec += (digit >= 0 ? (uint64_t)digit : 1) * u;
			last = u;
		} else {
			x = sec + (digit > 0 ? (uint64_t)digit : 0);
			if (u == 10000) {
				if (!x || wan)
					pos_ok = false;
				wan = x * 10000;
			} else {
				x += wan;
				if (!x || total + x > 10000000000ULL)
					pos_ok = false;
				else
					total = (total + x) * u;
				wan = 0;
			}
			sec = 0;
			last = 10000;
		}
		digit = -1;
	}
	z->end = p;
	if (!z->nch)
		return false;
	if (pos_ok) {
		z->v = total + wan + sec + (digit > 0 ? (uint64_t)digit : 0);
		return true;
	}
	if (all_digits && !liang && nd >= 3 && nd <= 18) {
		z->v = dv;
		return true;
	}
	return false;
}

/* A number in a Chinese date: digits or numerals, at most 9999. */
static size_t zh_int(const struct scan *sc, size_t i, unsigned *v)
{
	struct zhnum z;
	size_t n, e, nx;
	uint32_t c = cp_at(sc, i, &nx);

	if (digit_val(c) >= 0) {
		e = int_at(sc, i, v, &n);
		return n && n <= 4 ? e : i;
	}
	if (!zh_numeral(sc, i, &z) || z.unit_first || z.v > 9999)
		return i;
	*v = (unsigned)z.v;
	return z.end;
}

/* --- Dates ------------------------------------------------------------ */

struct ymd {
	unsigned y, m, d; /* 0: not given */
};

enum { D_NONE, D_ONE, D_BACK, D_FWD, D_SKIP };

/*
 * What date_at() found at a position p. D_ONE: date a, ending at e1.
 * D_BACK: a range whose first date a was completed from the second b
 * (s2..e2); a's anchor spans p..e2. D_FWD: a Chinese range whose second
 * date b was completed from a; a spans p..e1, b spans p..e2. D_SKIP: a
 * month name alone (9月), no anchor, ends at e1.
 */
struct dhit {
	int kind;
	struct ymd a, b;
	size_t e1, s2, e2;
};

static int month_in(const struct scan *sc, size_t i, const struct month *t,
		    size_t n, size_t *end)
{
	char pre[8];
	size_t np, nx;

	/* This runs for every word of the text, so compare the first two
	 * letters first (every name has two; Arabic words mostly start with
	 * the article, one letter would not do). */
	np = hx__utf8_put(pre, fold(cp_at(sc, i, &nx)));
	np += hx__utf8_put(pre + np, fold(cp_at(sc, nx, &nx)));
	for (size_t k = 0; k < n; k++) {
		const char *w = t[k].name;
		size_t j = 0;

		while (j < np && w[j] && w[j] == pre[j])
			j++;
		if (j == np && match_word(sc, i, w, end))
			return t[k].m;
	}
	return 0;
}

/* A month name of the text's language or English at i, with an
 * alternative name after '/' ("أيلول/سبتمبر", "تموز/ يوليه"). */
static unsigned month_at(const struct scan *sc, size_t i, size_t *end)
{
	const struct lang *l = sc->lang;
	size_t e, e2, p, nx;
	int m;

	m = month_in(sc, i, l->months, l->nmonths, &e);
	if (!m && l->months != months_en && i < sc->len && sc->s[i] < 0x80)
		m = month_in(sc, i, months_en, N(months_en), &e);
	if (!m)
		return 0;
	p = skip_gaps(sc, e);
	if (cp_at(sc, p, &nx) == '/') {
		p = skip_gaps(sc, nx);
		if (month_in(sc, p, l->months, l->nmonths, &e2) == m)
			e = e2;
	}
	*end = e;
	return (unsigned)m;
}

enum { ZH_WAN = 0x4E07, ZH_YI = 0x4EBF };

/* The power of ten of a scale word after a number ending at i ("135
 * million", "1,35 milliard", "1.35亿", "200多万"), *end past it; 0 if none. */
static unsigned scale_at(const struct scan *sc, size_t i, size_t *end)
{
	size_t p = skip_gaps(sc, i), nx, q;
	uint32_t c = cp_at(sc, p, &nx);
	int e;

	if (p == i && (c == 0x591A || c == 0x4F59)) /* 多 余: "over" */
		c = cp_at(sc, p = nx, &nx);
	if (c == ZH_WAN || c == ZH_YI) {
		*end = nx;
		if (c == ZH_WAN && cp_at(sc, nx, &q) == ZH_YI) { /* 万亿 */
			*end = q;
			return 12;
		}
		return c == ZH_WAN ? 4 : 8;
	}
	if (p == i)
		return 0;
	e = month_in(sc, p, sc->lang->scales, sc->lang->nscales, end);
	return (unsigned)e;
}

/* Write the number v (n bytes, canonical) times 10^exp, canonical. */
static void put_scaled(struct sink *k, const char *v, size_t n, unsigned exp)
{
	const char *dot = memchr(v, '.', n);
	size_t ni = dot ? (size_t)(dot - v) : n, nf = dot ? n - ni - 1 : 0;
	bool lead = true;

	for (size_t j = 0; j < ni + exp; j++) {
		char c = j < ni ? v[j] : j - ni < nf ? dot[1 + j - ni] : '0';

		if (lead && c == '0')
			continue;
		put(k, c);
		lead = false;
	}
	if (lead)
		put(k, '0');
	if (nf > exp) {
		put(k, '.');
		for (size_t j = exp; j < nf; j++)
			put(k, dot[1 + j]);
	}
}

static bool year_at(const struct scan *sc, size_t i, unsigned *y, size_t *end)
{
	size_t n, e = int_at(sc, i, y, &n);

	if (n != 4 || *y < 1000 || *y > 2999)
		return false;
	*end = e;
	return true;
}

/* "de" before a Spanish month or year: "30 de septiembre de 2024". */
static size_t skip_de(const struct scan *sc, size_t i)
{
	size_t e;

	return match_gap_word(sc, i, "de", &e) ? e : i;
}

/* The day number at i (1-31, not a decimal like 1.5), *end past it. */
static bool day_at(const struct scan *sc, size_t i, unsigned *d, size_t *end)
{
	size_t n, e = int_at(sc, i, d, &n), q, nx;
	uint32_t c;

	if (n == 0 || n > 2 || *d < 1 || *d > 31)
		return false;
	c = cp_at(sc, e, &q);
	if ((c == '.' || c == ',' || c == 0x66B) &&
	    digit_val(cp_at(sc, q, &nx)) >= 0)
		return false;
	*end = e;
	return true;
}

/*
 * A day-first date at i: "30 September 2024", "1er janvier 2025", "30 de
 * septiembre de 2024", "30 сентября 2024", "30 أيلول/سبتمبر 2024", or a
 * day and month. A bare day ("28" of "28-30 September") returns true with
 * d->m == 0.
 */
static bool dmy_at(const struct scan *sc, size_t i, struct ymd *d, size_t *end)
{
	size_t p, q, e;
	unsigned v;

	memset(d, 0, sizeof(*d));
	if (!day_at(sc, i, &d->d, &p))
		return false;
	p = suffix_end(sc, p);
	*end = p;
	q = skip_gaps(sc, p);
	if (q == p)
		return true;
	q = skip_de(sc, q);
	if (!(d->m = month_at(sc, q, &e)))
		return true;
	*end = e;
	/* "11-24 February, 2014" happens too */
	if (cp_at(sc, e, &q) != ',')
		q = e;
	p = skip_gaps(sc, q);
	if (p > e && year_at(sc, skip_de(sc, p), &v, &e)) {
		d->y = v;
		*end = e;
	}
	return true;
}

/* A month-first date at i: "September 2024", "septiembre de 2024",
 * "сентябре 2024 года", "أيلول/سبتمبر 2024", en "September 30, 2024". */
static bool mdy_at(const struct scan *sc, size_t i, struct ymd *d, size_t *end)
{
	size_t e, p, q, nx;

	memset(d, 0, sizeof(*d));
	if (!(d->m = month_at(sc, i, &e)))
		return false;
	p = skip_gaps(sc, e);
	if (p == e)
		return false;
	if (year_at(sc, skip_de(sc, p), &d->y, end))
		return true;
	if (!sc->lang->month_day || !day_at(sc, p, &d->d, &e))
		return false;
	*end = e;
	q = suffix_end(sc, e);
	if (cp_at(sc, q, &nx) == ',')
		q = nx;
	p = skip_gaps(sc, q);
	if (p > e && year_at(sc, p, &d->y, &e))
		*end = e;
	return true;
}

/* 2024-09-30 */
static bool iso_at(const struct scan *sc, size_t i, struct ymd *d, size_t *end)
{
	size_t n, p, q, nx;

	p = int_at(sc, i, &d->y, &n);
	if (n != 4 || cp_at(sc, p, &nx) != '-')
		return false;
	p = int_at(sc, nx, &d->m, &n);
	if (n != 2 || cp_at(sc, p, &nx) != '-')
		return false;
	q = int_at(sc, nx, &d->d, &n);
	if (n != 2 || d->m < 1 || d->m > 12 || d->d < 1 || d->d > 31)
		return false;
	*end = q;
	return true;
}

/* A range connector after a date or day; *end at the next date. */
static bool conn_at(const struct scan *sc, size_t i, size_t *end)
{
	size_t g = skip_gaps(sc, i), nx;

	if (is_dash(cp_at(sc, g, &nx))) {
		*end = skip_gaps(sc, nx);
		return true;
	}
	if (g == i)
		return false;
	for (size_t k = 0; k < N(range_words); k++)
		if (match_gap_word(sc, g, range_words[k], end))
			return true;
	return false;
}

enum { ZH_NIAN = 0x5E74, ZH_YUE = 0x6708, ZH_RI = 0x65E5, ZH_HAO = 0x53F7 };

/* A number then a character (年, 月, 日/号), spaces allowed between. */
static size_t zh_part(const struct scan *sc, size_t i, unsigned *v,
		      uint32_t unit)
{
	size_t e, p, nx;
	unsigned x;
	uint32_t c;

	if ((e = zh_int(sc, i, &x)) == i)
		return i;
	p = skip_gaps(sc, e);
	c = cp_at(sc, p, &nx);
	if (c != unit && !(unit == ZH_RI && c == ZH_HAO))
		return i;
	*v = x;
	return nx;
}

/* 至 到 和 及 、 and dashes: ranges and pairs of dates share a year */
static bool is_zh_conn(uint32_t c)
{
	return c == 0x81F3 || c == 0x5230 || c == 0x548C || c == 0x53CA ||
	       c == 0x3001 || is_dash(c);
}

/*
 * "2014年7月29至31日": two days sharing one 日. The first date's anchor ends
 * after "29", so a day number that runs to the end of the scan counts as
 * a day: that is how describe() sees it again.
 */
static bool zh_day_range(const struct scan *sc, size_t i, struct dhit *h)
{
	size_t e, p, q, nx;
	unsigned d1, d2;

	e = zh_int(sc, i, &d1);
	if (e == i || d1 < 1 || d1 > 31)
		return false;
	if (e < sc->len) {
		p = skip_gaps(sc, e);
		if (!is_zh_conn(cp_at(sc, p, &nx)))
			return false;
		p = skip_gaps(sc, nx);
		q = zh_part(sc, p, &d2, ZH_RI);
		if (q == p || d2 < 1 || d2 > 31)
			return false;
		h->b = h->a;
		h->b.d = d2;
		h->e2 = q;
	}
	h->a.d = d1;
	h->e1 = e;
	h->kind = e < sc->len ? D_FWD : D_ONE;
	return true;
}

/* 2024年9月30日, 2024年9月, 9月30日, 二〇二四年九月三十日, and ranges
 * 2024年9月28日至30日, 2024年9月30日至10月2日. */
static bool zh_date_at(const struct scan *sc, size_t i, struct dhit *h)
{
	struct ymd *a = &h->a, *b = &h->b;
	size_t p, q, nx;
	uint32_t c;

	p = zh_part(sc, i, &a->y, ZH_NIAN);
	if (p > i) {
		if (a->y < 1000 || a->y > 2999)
			return false;
		p = skip_gaps(sc, p);
	} else {
		a->y = 0;
		p = i;
	}
	q = zh_part(sc, p, &a->m, ZH_YUE);
	if (q == p || a->m < 1 || a->m > 12)
		return false;
	p = skip_gaps(sc, q);
	h->e1 = q;
	q = zh_part(sc, p, &a->d, ZH_RI);
	if (q > p && a->d >= 1 && a->d <= 31)
		h->e1 = q;
	else if (zh_day_range(sc, p, h))
		return true;
	else
		a->d = 0;
	if (!a->y && !a->d) {
		h->kind = D_SKIP;
		return true;
	}
	h->kind = D_ONE;
	/* the second date of a range takes the year (and month) of the first */
	p = skip_gaps(sc, h->e1);
	c = cp_at(sc, p, &nx);
	if (!is_zh_conn(c))
		return true;
	p = skip_gaps(sc, nx);
	*b = *a;
	q = zh_part(sc, p, &b->m, ZH_YUE);
	if (q > p) {
		if (b->m < 1 || b->m > 12)
			return true;
		p = skip_gaps(sc, q);
	} else if (!a->d) {
		return true; /* 2024年4月至8月 needs the second month */
	}
	if (a->d) {
		q = zh_part(sc, p, &b->d, ZH_RI);
		if (q == p || b->d < 1 || b->d > 31)
			return true;
	}
	h->kind = D_FWD;
	h->e2 = q;
	return true;
}

static void date_at(const struct scan *sc, size_t i, struct dhit *h)
{
	struct ymd b;
	size_t e, s2, e2, nx;
	uint32_t c = cp_at(sc, i, &nx);

	memset(h, 0, sizeof(*h));
	if (is_letter(c)) {
		if (mdy_at(sc, i, &h->a, &h->e1))
			h->kind = D_ONE;
		return;
	}
	if (digit_val(c) < 0) {
		zh_date_at(sc, i, h);
		return;
	}
	if (iso_at(sc, i, &h->a, &h->e1)) {
		h->kind = D_ONE;
		return;
	}
	if (zh_date_at(sc, i, h))
		return;
	memset(h, 0, sizeof(*h));
	if (!dmy_at(sc, i, &h->a, &e))
		return;
	if (h->a.m && h->a.y) {
		h->kind = D_ONE;
		h->e1 = e;
		return;
	}
	/* "28-30 September 2024", "30 September to 2 October 2024" */
	if (conn_at(sc, e, &s2) && dmy_at(sc, s2, &b, &e2) && b.m &&
	    (!h->a.m || (!h->a.y && b.y))) {
		if (!h->a.m)
			h->a.m = b.m;
		h->a.y = b.y;
		h->b = b;
		h->kind = D_BACK;
		h->s2 = s2;
		h->e2 = e2;
		return;
	}
	if (h->a.m) {
		h->kind = D_ONE;
		h->e1 = e;
	}
}

static void put_date(struct sink *k, const struct ymd *d)
{
	if (d->y)
		put_uint(k, d->y, 4);
	else
		put(k, '-');
	put(k, '-');
	put_uint(k, d->m, 2);
	if (d->d) {
		put(k, '-');
		put_uint(k, d->d, 2);
	}
}

/* --- Symbols, URLs, Latin tokens -------------------------------------- */

/*
 * A document symbol at i: Latin capitals and digits joined by '/', with
 * '.', '-' and "(Rev.1)" inside segments (A/RES/70/1, S/2023/45,
 * A/C.3/70/L.5/Rev.1, C26/15(Rev.1)-E, CWG-COP-18/2, 70/1). Needs a '/'
 * and a digit. *extent is how far the scan went even on failure, so the
 * caller does not rescan a long "A/B/C/..." from each capital.
 */
static size_t symbol_at(const struct scan *sc, size_t i, size_t *extent)
{
	bool slash = false, digit = false;
	size_t p = i, nx, q, r;
	uint32_t c, next;

	c = cp_at(sc, i, &nx);
	*extent = nx;
	if (!is_upper(c) && !is_digit(c))
		return i;
	for (;;) {
		c = cp_at(sc, p, &nx);
		if (is_alnum(c)) {
			digit |= is_digit(c);
			p = nx;
			continue;
		}
		next = cp_at(sc, nx, &q);
		if ((c == '.' || is_hyphen(c)) && is_alnum(next) && p > i) {
			p = nx;
			continue;
		}
		if (c == '/' && is_alnum(next)) {
			slash = true;
			p = nx;
			continue;
		}
		if (c == '(' && is_alnum(next) && p > i) {
			for (r = nx;
			     is_alnum(c = cp_at(sc, r, &q)) || c == '.';)
				r = q;
			if (c == ')') {
				p = q;
				continue;
			}
		}
		break;
	}
	*extent = p;
	return slash && digit ? p : i;
}

static const char *const url_prefixes[] = {
    "https://", "http://", "ftp://", "mailto:", "www.",
};

/* Length of the URL prefix at s (ASCII, any case), 0 if none; *scheme is
 * whether it is a scheme the key leaves out. */
static size_t url_prefix(const unsigned char *s, size_t len, bool *scheme)
{
	if (!len || !strchr("hfmw", s[0] | 0x20))
		return 0;
	for (size_t k = 0; k < N(url_prefixes); k++) {
		const char *w = url_prefixes[k];
		size_t n = strlen(w), j = 0;

		while (j < n && j < len && (s[j] | 0x20) == (unsigned char)w[j])
			j++;
		if (j == n) {
			*scheme = w[0] != 'w';
			return n;
		}
	}
	return 0;
}

/* A URL at i; trailing punctuation ("see www.itu.int.") is left out. */
static size_t url_at(const struct scan *sc, size_t i)
{
	const unsigned char *s = sc->s;
	size_t n, p, open = 0, close = 0, nx;
	bool scheme;

	if (!(n = url_prefix(s + i, sc->len - i, &scheme)) ||
	    !is_alnum(cp_at(sc, i + n, &nx)))
		return i;
	for (p = i + n; p < sc->len && s[p] > 0x20 && s[p] < 0x7F &&
			!strchr("<>\"{}|\\^`", s[p]);
	     p++) {
		open += s[p] == '(';
		close += s[p] == ')';
	}
	while (p > i + n) {
		unsigned char c = s[p - 1];

		if (c == ')' && close > open)
			close--;
		else if (!strchr(".,;:!?'\"*]", c))
			break;
		p--;
	}
	return p;
}

/* An e-mail address at i. *skip is where the local part ends, so that a
 * failed "a+a+a+..." is scanned once. */
static size_t email_at(const struct scan *sc, size_t i, size_t *skip)
{
	size_t p = i, nx, e = i, labels = 0;
	uint32_t c;

	while (is_alnum(c = cp_at(sc, p, &nx)) || in_set(c, "._%+-"))
		p = nx;
	*skip = p;
	if (p == i || c != '@')
		return i;
	p = nx;
	for (;;) {
		size_t q = p;

		while (is_alnum(c = cp_at(sc, q, &nx)) || (c == '-' && q > p))
			q = nx;
		if (q == p)
			break;
		labels++;
		e = q;
		if (c != '.' || !is_alnum(cp_at(sc, nx, &q)))
			break;
		p = nx;
	}
	return labels >= 2 ? e : i;
}

struct latin {
	unsigned caps, digits;
	bool acronym;	 /* a part like UNICEF, ITU, SDGs, PhD */
	size_t head_end; /* end of the first part */
};

/* A Latin token at i: letters and digits, with '-', '.', '_', '&' inside
 * (ITU-D, SG17, R&D, CWG‑COP with a no-break hyphen). */
static size_t latin_at(const struct scan *sc, size_t i, struct latin *t)
{
	unsigned caps = 0, lower = 0;
	size_t p = i, nx, q;
	uint32_t c;

	memset(t, 0, sizeof(*t));
	for (;;) {
		/* small letters, most of every word, without the decoder */
		while (p < sc->len && (unsigned)(sc->s[p] - 'a') < 26u)
			lower++, p++;
		c = cp_at(sc, p, &nx);
		if (is_alnum(c)) {
			caps += is_upper(c);
			lower += c - 'a' < 26u;
			t->digits += is_digit(c);
			p = nx;
			continue;
		}
		/* capitals must outnumber small letters within one part, so
		 * Secretary-General and Asia-Pacific are not acronyms */
		t->acronym |= caps >= 2 && caps > lower;
		t->caps += caps;
		caps = lower = 0;
		if (!t->head_end)
			t->head_end = p;
		if ((c == '.' || c == '_' || c == '&' || is_hyphen(c)) &&
		    p > i && is_alnum(cp_at(sc, nx, &q))) {
			p = nx;
			continue;
		}
		return p;
	}
}

static size_t skip_latin_word(const struct scan *sc, size_t i)
{
	size_t nx;
	uint32_t c;

	while (is_alnum(c = cp_at(sc, i, &nx)) || is_latin_ext(c))
		i = nx;
	return i;
}

/* --- Normalised values ------------------------------------------------ */

static const char *type_name(hx__anchor_type t)
{
	switch (t) {
	case HX_ANCHOR_NUMBER:
		return "number";
	case HX_ANCHOR_DATE:
		return "date";
	case HX_ANCHOR_SYMBOL:
		return "symbol";
	case HX_ANCHOR_LATIN:
		return "latin";
	case HX_ANCHOR_URL:
		return "url";
	}
	return "unknown";
}

static void value_number(struct sink *k, const struct scan *sc, size_t s)
{
	char v[64];
	struct sink tmp = {v, sizeof(v), 0, FNV_OFFSET, false};
	const char *dot;
	struct zhnum z;
	size_t nx, p, e;
	unsigned exp;
	uint32_t c;

	if (!is_zh_numeral(cp_at(sc, s, &nx))) {
		e = num_at(sc, s, &tmp);
		dot = tmp.len < sizeof(v) ? memchr(v, '.', tmp.len) : NULL;
		/* The span holds a scale word only where find() saw one. A
		 * section number (1.2.3) is not scaled; nor is a number too
		 * long for v, which only a fuzzer writes. */
		if ((exp = scale_at(sc, e, &p)) && tmp.len < sizeof(v) &&
		    !(dot &&
		      memchr(dot + 1, '.', tmp.len - (size_t)(dot + 1 - v))))
			put_scaled(k, v, tmp.len, exp);
		else
			num_at(sc, s, k);
		return;
	}
	zh_numeral(sc, s, &z);
	put_uint(k, z.v, 1);
	/* 百分之三点五: a decimal part is inside the span only after 百分之 */
	if (cp_at(sc, z.end, &p) == ZH_DIAN) {
		put(k, '.');
		while (zh_digit(c = cp_at(sc, p, &nx)) >= 0 && c != ZH_LIANG) {
			put(k, (char)('0' + zh_digit(c)));
			p = nx;
		}
	}
}

static void value_date(struct sink *k, const struct scan *sc, size_t s)
{
	struct dhit h;

	date_at(sc, s, &h);
	if (h.kind == D_FWD && h.e2 == sc->len)
		put_date(k, &h.b);
	else if (h.kind != D_NONE && h.kind != D_SKIP)
		put_date(k, &h.a);
}

static void value_symbol(struct sink *k, const struct scan *sc, size_t s)
{
	size_t p, nx, last = s, prev = s, end = sc->len;
	uint32_t c;

	/* the ITU language suffix: C26/15-E and C26/15-C are one document */
	for (p = s; p < sc->len; p = nx) {
		prev = last;
		last = p;
		cp_at(sc, p, &nx);
	}
	c = cp_at(sc, last, &nx);
	if (last > s && prev > s && is_hyphen(cp_at(sc, prev, &nx)) &&
	    in_set(c, "ECAFRS"))
		end = prev;
	for (p = s; p < end; p = nx) {
		c = cp_at(sc, p, &nx);
		put(k, is_hyphen(c) ? '-' : c < 0x80 ? (char)c : '?');
	}
}

static void value_latin(struct sink *k, const struct scan *sc, size_t s)
{
	size_t nx;

	for (size_t p = s; p < sc->len; p = nx) {
		uint32_t c = cp_at(sc, p, &nx);
		bool loose = c == '.' || is_hyphen(c);

		k->unhashed = loose;
		put(k, is_hyphen(c) ? '-' : c < 0x80 ? (char)fold(c) : '?');
	}
	k->unhashed = false;
}

static void value_url(struct sink *k, const struct scan *sc, size_t s)
{
	const unsigned char *t = sc->s;
	size_t n, end = sc->len;
	bool scheme = false;

	n = url_prefix(t + s, end - s, &scheme);
	while (end > s + n && t[end - 1] == '/')
		end--;
	for (size_t p = s; p < end; p++) {
		k->unhashed = scheme && p < s + n;
		put(k, (char)fold(t[p] < 0x80 ? t[p] : '?'));
	}
	k->unhashed = false;
}

/* "type:value" of the anchor t at s; sc->len is the anchor's end. */
static void value(struct sink *k, const struct scan *sc, hx__anchor_type t,
		  size_t s)
{
	put_str(k, type_name(t));
	put(k, ':');
	switch (t) {
	case HX_ANCHOR_NUMBER:
		value_number(k, sc, s);
		break;
	case HX_ANCHOR_DATE:
		value_date(k, sc, s);
		break;
	case HX_ANCHOR_SYMBOL:
		value_symbol(k, sc, s);
		break;
	case HX_ANCHOR_LATIN:
		value_latin(k, sc, s);
		break;
	case HX_ANCHOR_URL:
		value_url(k, sc, s);
		break;
	}
}

/* --- Finding ---------------------------------------------------------- */

struct finder {
	struct scan sc;
	hx__anchor *v;
	size_t n, cap;
	int rc;
	/* Failed scans reach this far; no need to try again inside. */
	size_t no_symbol, no_email, no_latin;
};

static void emit(struct finder *f, hx__anchor_type t, size_t s, size_t e)
{
	struct scan sub = f->sc;
	struct sink k = {NULL, 0, 0, FNV_OFFSET, false};

	if (f->rc)
		return;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		hx__anchor *v = realloc(f->v, cap * sizeof(*v));

		if (!v) {
			f->rc = HX_ENOMEM;
			return;
		}
		f->v = v;
		f->cap = cap;
	}
	sub.len = e;
	value(&k, &sub, t, s);
	f->v[f->n++] = (hx__anchor){t, k.h, s, e};
}

static size_t emit_date(struct finder *f, size_t i, const struct dhit *h)
{
	switch (h->kind) {
	case D_ONE:
		emit(f, HX_ANCHOR_DATE, i, h->e1);
		return h->e1;
	case D_BACK:
		emit(f, HX_ANCHOR_DATE, i, h->e2);
		emit(f, HX_ANCHOR_DATE, h->s2, h->e2);
		return h->e2;
	case D_FWD:
		emit(f, HX_ANCHOR_DATE, i, h->e1);
		emit(f, HX_ANCHOR_DATE, i, h->e2);
		return h->e2;
	}
	return h->e1; /* D_SKIP */
}

/* A token that starts with a digit of any script. */
static size_t on_digit(struct finder *f, size_t i)
{
	const struct scan *sc = &f->sc;
	struct latin t;
	struct dhit h;
	size_t p, e, s, nx;
	uint32_t c;

	date_at(sc, i, &h);
	if (h.kind != D_NONE)
		return emit_date(f, i, &h);
	for (p = i; is_digit(cp_at(sc, p, &nx));)
		p = nx;
	if (p > i && cp_at(sc, p, &nx) == '/') {
		e = symbol_at(sc, i, &s);
		if (e > i) {
			emit(f, HX_ANCHOR_SYMBOL, i, e);
			return e;
		}
	}
	e = num_at(sc, i, NULL);
	if (scale_at(sc, e, &s)) {
		emit(f, HX_ANCHOR_NUMBER, i, s);
		return s;
	}
	c = cp_at(sc, e, &nx);
	if (is_alpha(c) || is_latin_ext(c)) {
		if ((s = suffix_end(sc, e)) > e) {
			emit(f, HX_ANCHOR_NUMBER, i, e);
			return s;
		}
		/* 5G, 3GPP: letters glued to digits make a code */
		s = latin_at(sc, i, &t);
		if (s > e && !is_latin_ext(cp_at(sc, s, &nx))) {
			emit(f, HX_ANCHOR_LATIN, i, s);
			return s;
		}
		return skip_latin_word(sc, s > e ? s : e);
	}
	emit(f, HX_ANCHOR_NUMBER, i, e);
	return e;
}

/* A run of Chinese numerals: a date, a number, or part of a word. */
static size_t on_zh(struct finder *f, size_t i, uint32_t c, size_t nx)
{
	const struct scan *sc = &f->sc;
	struct zhnum z;
	struct dhit h;
	size_t p, q, r;
	bool ok;

	/* 百分之二十五, 百分之三点五: a percentage, whatever the value */
	if (c == 0x767E && cp_at(sc, nx, &p) == 0x5206 &&
	    cp_at(sc, p, &q) == 0x4E4B) {
		if (!zh_numeral(sc, q, &z) || z.unit_first)
			return q;
		p = z.end;
		if (cp_at(sc, p, &r) == ZH_DIAN &&
		    zh_digit(cp_at(sc, r, &nx)) >= 0)
			for (p = r; zh_digit(c = cp_at(sc, p, &r)) >= 0 &&
				    c != ZH_LIANG;)
				p = r;
		emit(f, HX_ANCHOR_NUMBER, q, p);
		return p;
	}
	date_at(sc, i, &h);
	if (h.kind != D_NONE)
		return emit_date(f, i, &h);
	if (!zh_numeral(sc, i, &z) || z.unit_first)
		return z.end;
	if (before_is(sc, i, "第"))
		ok = true;
	else if (before_is(sc, i, "几") || before_is(sc, i, "数"))
		ok = false; /* 几十, 数百: "dozens", not ten */
	else if (z.nch >= 2 && z.v >= 10)
		ok = true;
	else
		ok = z.v == 10 && is_counter(cp_at(sc, z.end, &p));
	if (ok)
		emit(f, HX_ANCHOR_NUMBER, i, z.end);
	return z.end;
}

/* A word that starts with an ASCII (or full-width) letter. */
static size_t on_word(struct finder *f, size_t i)
{
	const struct scan *sc = &f->sc;
	struct latin t;
	struct dhit h;
	size_t e, w, x, nx;
	uint32_t c0, c;

	if (i < f->no_latin) {
		for (e = i; e < f->no_latin && is_alnum(cp_at(sc, e, &nx));)
			e = nx;
		return e;
	}
	if ((e = url_at(sc, i)) > i) {
		emit(f, HX_ANCHOR_URL, i, e);
		return e;
	}
	c0 = cp_at(sc, i, &nx);
	w = latin_at(sc, i, &t);
	c = cp_at(sc, w, &nx);
	if ((c == '@' || c == '+' || c == '%') && i >= f->no_email) {
		if ((e = email_at(sc, i, &x)) > i) {
			emit(f, HX_ANCHOR_URL, i, e);
			return e;
		}
		f->no_email = x;
	}
	if (c == '/' && is_upper(c0) && i >= f->no_symbol) {
		if ((e = symbol_at(sc, i, &x)) > i) {
			emit(f, HX_ANCHOR_SYMBOL, i, e);
			return e;
		}
		f->no_symbol = x;
	}
	if (!t.digits && (w - i >= 3 || is_latin_ext(c))) {
		date_at(sc, i, &h);
		if (h.kind != D_NONE)
			return emit_date(f, i, &h);
	}
	if (is_latin_ext(c))
		return skip_latin_word(sc, w);
	if (sc->lang->every_latin || t.acronym || (t.digits && t.caps)) {
		emit(f, HX_ANCHOR_LATIN, i, w);
		return w;
	}
	if (!t.digits)
		return w;
	/* Not a code, but "post-2015" and "s.10.103" hold numbers: go on at
	 * the first part that starts with a digit. Parts of a token that is
	 * no code are no code either, and no_latin says so to the calls
	 * that come back inside it. */
	f->no_latin = w;
	for (e = t.head_end; e < w;) {
		cp_at(sc, e, &nx); /* the '-' or '.' */
		if (is_digit(cp_at(sc, nx, &x)))
			return nx;
		for (e = nx; e < w && is_alnum(cp_at(sc, e, &x));)
			e = x;
	}
	return w;
}

/* A Cyrillic or Arabic word: maybe a month opening a date. */
static size_t on_script_word(struct finder *f, size_t i, uint32_t c)
{
	const struct scan *sc = &f->sc;
	uint32_t script = c >= 0x600 ? 0x600 : 0x400;
	struct dhit h;
	size_t nx;

	if (sc->lang->script == script) {
		date_at(sc, i, &h);
		if (h.kind != D_NONE)
			return emit_date(f, i, &h);
	}
	while ((c = cp_at(sc, i, &nx)) &&
	       (script == 0x600 ? is_arabic_letter(c) : is_cyrillic(c)))
		i = nx;
	return i;
}

int hx__anchors_find(hx__anchor **out, size_t *n, const char *lang,
		     const char *text, size_t len)
{
	struct finder f = {
	    .sc = {(const unsigned char *)text, len, lang_get(lang)}};
	const unsigned char *s = f.sc.s;
	size_t i = 0, nx, r;
	uint32_t c;

	assert(out && n && (text || !len));
	*out = NULL;
	*n = 0;
	while (i < len && !f.rc) {
		unsigned char b = s[i];

		/* ASCII first: it is most of the bytes of five languages */
		if (b < 0x80) {
			if (is_alpha(b))
				r = on_word(&f, i);
			else if (is_digit(b))
				r = on_digit(&f, i);
			else
				r = i + 1;
		} else {
			c = cp_at(&f.sc, i, &nx);
			if (digit_val(c) >= 0)
				r = on_digit(&f, i);
			else if (is_alpha(c))
				r = on_word(&f, i);
			else if (is_zh_numeral(c))
				r = on_zh(&f, i, c, nx);
			else if (is_latin_ext(c))
				r = skip_latin_word(&f.sc, i);
			else if (is_cyrillic(c) || is_arabic_letter(c))
				r = on_script_word(&f, i, c);
			else
				r = nx;
			if (r <= i)
				r = nx;
		}
		i = r > i ? r : i + 1;
	}
	if (f.rc) {
		free(f.v);
		return f.rc;
	}
	*out = f.v;
	*n = f.n;
	return HX_OK;
}

size_t hx__anchor_describe(char *buf, size_t size, const char *text,
			   const hx__anchor *a, const char *lang)
{
	struct sink k = {buf, size, 0, FNV_OFFSET, false};
	struct scan sc;

	assert(a && (text || !a->end) && a->start <= a->end);
	sc = (struct scan){(const unsigned char *)text, a->end, lang_get(lang)};
	value(&k, &sc, a->type, a->start);
	if (buf && size)
		buf[k.len < size ? k.len : size - 1] = '\0';
	return k.len;
}
