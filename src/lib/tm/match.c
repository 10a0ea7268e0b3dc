/*
 * match.c - fuzzy match scores and token differences between two segments
 * of one language, as <hexalign/match.h> defines them. It compares the two
 * segments it is given, many times per query; finding the candidates in a
 * translation memory is the store's job, not this module's.
 *
 * Tokens. Words follow the word-boundary rules of Unicode Standard Annex
 * #29 ("Unicode Text Segmentation", section 4.1.1, rules WB4 to WB13b),
 * which is what ICU's UBRK_WORD iterator implements, but they are applied
 * here directly on the UTF-8 bytes instead of through ubrk. Measured with
 * ICU 72 on x86-64 (-O2) for a 110-byte English sentence: ubrk_open plus
 * utext_openUTF8 costs 10 us a segment, 2.7 us of it the iteration; a
 * ubrk_clone of a template still costs 3.2 us, and the API has no handle
 * to keep an iterator in (nor the library globals). The tokeniser is
 * called on every candidate, so that alone would cap it near 2 M tokens/s
 * before any hashing, where the rules below, hashes included, run at 5 to
 * 10 M tokens/s on English and French and 12 M on Chinese (same machine,
 * UDHR and ITU texts). ICU would also cut Han into dictionary words, and
 * here Chinese tokens are characters.
 *
 * So: letters, digits and '_' join into words; "l'Assemblée", "e.g",
 * "www.un.org" and "1,000.50" stay one word because ' . , join letters to
 * letters or digits to digits (WB6-7, WB11-12); marks and format
 * characters belong to what precedes them (WB4); every other punctuation
 * or symbol character is a token of its own. Each Han, kana or bopomofo
 * character is a token in every language, so Chinese is cut into
 * characters and Latin words inside it stay whole. Each private-use
 * character U+E000..U+F8FF is an inline-code placeholder (a tag token).
 * Two deviations from ICU, both for UN typography: U+202F NARROW NO-BREAK
 * SPACE is white space (ICU joins it to the word before, so French
 * "Article :" would give the token "Article\u202F"), except between digits,
 * where it, U+00A0 and U+2009 are the thousands separator of French and
 * Russian ("1 000"), and the number stays one token. Scripts that need a
 * dictionary (Thai, Khmer...) are not cut; `lang` does not change the
 * rules, since the script of each character decides.
 *
 * Each token keeps four 32-bit FNV-1a hashes (Fowler, Noll and Vo, see
 * draft-eastlake-fnv): its exact bytes; its loose form (case-folded, each
 * number one class symbol, every punctuation character one class, format
 * characters such as soft hyphen or RLM left out), which decides the 99
 * rule; and, to say which kind of difference two loosely equal tokens
 * have, its numbers alone and its other characters unfolded. White space
 * is no token; one hash per segment of every white-space run and where it
 * sits tells two token-identical segments apart (HX_MATCH_DIFF_SPACE).
 *
 * Scores. The edit distance is Levenshtein's (1966) by dynamic
 * programming (Wagner and Fischer 1974), on rows as long as the shorter
 * segment so that segments of up to 256 tokens need no allocation. Costs
 * are compared as pairs (edits, tag edits), so among the alignments with
 * fewest edits the one with fewest tag edits counts; each tag edit is one
 * point of penalty. With `min`, the score is below min as soon as
 * d > k = floor(max (100 - min) / 100): the length difference bounds d, and
 * an alignment with at most k edits stays within the diagonals |i - j| <= k,
 * so only that band is computed, and a row whose cells all exceed k ends
 * the search (Ukkonen 1985, "Algorithms for approximate string matching",
 * Information and Control 64). Both give the exact score whenever it is
 * >= min.
 */
#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <hexalign/match.h>

#include "base/error-private.h"
#include "base/text.h"
#include "tm/match-private.h"

/* Token flags; hx__match_seg_token() hands them to the tests. */
enum { TOK_NUMBER = 1, TOK_PUNCT = 2, TOK_TAG = 4 };
/* Internal, kept from the tests: the token holds a C_MIDLETTER or
 * C_MIDNUMLET character, so hx__match_seg_index() has parts to look for.
 * hash_char() sees every character anyway, and most words have none, so
 * the index need not read them all a third time. */
#define TOK_JOINED 0x100u

struct tok {
	uint32_t exact; /* the bytes */
	uint32_t loose; /* case-folded, numbers and punctuation as classes */
	uint32_t num;	/* the digits and separators of its numbers */
	uint32_t rest;	/* everything else but format characters, unfolded */
	uint32_t start, end;
	uint16_t flags;
	uint16_t kind; /* HX_MATCH_DIFF_* bits when the token is inserted */
};

/* The loose forms of a query's tokens with their counts, so that a
 * candidate's bag distance (tokens it cannot pair with the query's, order
 * aside) bounds its edit distance in O(n) before the O(nk) band: see
 * hx__match_seg_prepare(). used/gen count one candidate's pairings
 * without clearing the table between candidates. */
struct bag {
	size_t mask;
	uint32_t gen;
	struct bag_slot {
		uint32_t key, gen;
		uint16_t have, used;
	} slot[];
};

struct hx_match_seg {
	struct bag *bag; /* for a query, once prepared */
	size_t n, cap;
	uint32_t ws; /* white space and where it sits */
	struct tok t[];
};

/* Character classes of UAX #29 (section 4.1.1) as far as we need them. */
enum cls {
	C_SPACE,     /* white space and controls: between tokens, never one */
	C_EXTEND,    /* marks, format characters: part of what precedes (WB4) */
	C_LETTER,    /* ALetter */
	C_DIGIT,     /* Numeric */
	C_EXTNUM,    /* ExtendNumLet ('_'): joins any of these (WB13a-b) */
	C_MIDLETTER, /* joins letter to letter (WB6-7) */
	C_MIDNUMLET, /* joins letter to letter or digit to digit */
	C_MIDNUM,    /* joins digit to digit (WB11-12) */
	C_IDEO,	     /* Han, kana, bopomofo: one token each */
	C_TAG,	     /* inline-code placeholder */
	C_OTHER	     /* any other punctuation or symbol: one token each */
};

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u
/* Outside Unicode, so no character folds to them. */
#define NUM_CLASS   0x110000u
#define PUNCT_CLASS ((FNV_BASIS ^ 0x110001u) * FNV_PRIME)

/* hx__utf8_next() with ASCII, most of every UN language's bytes but
 * Chinese, decoded in line, and two- and three-byte sequences (Cyrillic,
 * Arabic, Han) too when they end before len. Those are decoded with the
 * same arithmetic as hx__utf8_next() (continuation bytes taken as they
 * are, unchecked), so that even invalid input gives the same code points;
 * a sequence cut by len or of four bytes goes to it. */
static inline uint32_t next(const char *text, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *)text + *i;

	if (s[0] < 0x80) {
		(*i)++;
		return s[0];
	}
	if (s[0] < 0xE0 && len - *i >= 2) {
		*i += 2;
		return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3Fu);
	}
	if (s[0] >= 0xE0 && s[0] < 0xF0 && len - *i >= 3) {
		*i += 3;
		return (uint32_t)(s[0] & 0x0F) << 12 |
		       (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3Fu);
	}
	return hx__utf8_next(text, len, i);
}

static uint32_t mix(uint32_t h, uint32_t c)
{
	/* FNV-1a on whole code points: each step is a bijection of h. */
	return (h ^ c) * FNV_PRIME;
}

static bool is_ideo(uint32_t c)
{
	UErrorCode st = U_ZERO_ERROR;
	UScriptCode sc;

	if (c < 0x2E80)
		return false;
	/* The prolonged sound marks are Script=Common, but kana. */
	if (c == 0x30FC || c == 0xFF70)
		return true;
	sc = uscript_getScript((UChar32)c, &st);
	return sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA ||
	       sc == USCRIPT_KATAKANA || sc == USCRIPT_BOPOMOFO ||
	       sc == USCRIPT_KATAKANA_OR_HIRAGANA;
}

/* Thousands separators of French and Russian typography, kept inside a
 * number (a deviation from UAX #29, see the top of the file). */
static bool is_numspace(uint32_t c)
{
	return c == 0x00A0 || c == 0x202F || c == 0x2009;
}

/* The class of c, from the rules; classify() answers from bmp.info for
 * the BMP and calls this above it. */
static enum cls classify_slow(uint32_t c)
{
	if (c < 0x80) {
		if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			return C_LETTER;
		if (c >= '0' && c <= '9')
			return C_DIGIT;
		if (c <= 0x20 || c == 0x7F)
			return C_SPACE;
		switch (c) {
		case '_':
			return C_EXTNUM;
		case '.':
		case '\'':
			return C_MIDNUMLET;
		case ',':
		case ';':
			return C_MIDNUM;
		default:
			/* ':' is MidLetter in UAX #29, but ICU's root
			 * rules take it out ("a:b" is three tokens). */
			return C_OTHER;
		}
	}
	if (c >= 0x4E00 && c <= 0x9FFF)
		return C_IDEO; /* most of Chinese text, without the lookups */
	if (c >= 0xE000 && c <= 0xF8FF)
		return C_TAG;
	switch (c) {
	case 0x00B7:
	case 0x0387:
	case 0x055F:
	case 0x05F4:
	case 0x2027:
	case 0xFE13:
		return C_MIDLETTER;
	case 0x2018:
	case 0x2019:
	case 0x2024:
	case 0xFE52:
	case 0xFF07:
	case 0xFF0E:
		return C_MIDNUMLET;
	case 0x037E:
	case 0x0589:
	case 0x060C: /* Arabic comma */
	case 0x060D:
	case 0x066B: /* Arabic decimal separator (Numeric in UAX #29) */
	case 0x066C: /* Arabic thousands separator */
	case 0x07F8:
	case 0x2044:
	case 0xFE10:
	case 0xFE14:
	case 0xFE50:
	case 0xFE54:
	case 0xFF0C:
	case 0xFF1B:
		return C_MIDNUM;
	}
	if (hx__is_space(c))
		return C_SPACE;
	switch (u_charType((UChar32)c)) {
	case U_UPPERCASE_LETTER:
	case U_LOWERCASE_LETTER:
	case U_TITLECASE_LETTER:
	case U_MODIFIER_LETTER:
	case U_OTHER_LETTER:
		return is_ideo(c) ? C_IDEO : C_LETTER;
	case U_LETTER_NUMBER:
		return C_LETTER;
	case U_DECIMAL_DIGIT_NUMBER:
		return C_DIGIT;
	case U_NON_SPACING_MARK:
	case U_ENCLOSING_MARK:
	case U_COMBINING_SPACING_MARK:
	case U_FORMAT_CHAR:
		return C_EXTEND;
	case U_CONNECTOR_PUNCTUATION:
		return C_EXTNUM;
	case U_CONTROL_CHAR:
		return C_SPACE;
	default:
		return C_OTHER;
	}
}

static uint32_t fold_slow(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 0x20 : c;
	return (uint32_t)u_foldCase((UChar32)c, U_FOLD_CASE_DEFAULT);
}

/*
 * What the tokeniser asks of each character, for every BMP code point: in
 * a profile (perf) of a large import, classify() with the ICU look-ups and
 * hx__is_space() behind it, u_charType() and u_foldCase() took 12% of the
 * whole process, asked again for characters that repeat all the time. The
 * tables hold the answers of classify_slow(), fold_slow() and ICU
 * themselves, so they cannot disagree with them; code points above the
 * BMP (rare in UN text) still ask those. Surrogate code points, which
 * valid UTF-8 does not hold, get whatever classify_slow() answers, as
 * before.
 *
 * 192 KiB, built on first use, once per process (pthread_once). This is
 * no state in the STYLE.md sense: after the build nothing writes it, and
 * it is a function of the ICU data only, so handles stay independent and
 * the library thread-compatible. ICU itself keeps such tables.
 */
enum {
	CP_CLASS = 0x0F,    /* enum cls */
	CP_FORMAT = 0x10,   /* u_charType() == U_FORMAT_CHAR */
	CP_PUNCT = 0x20,    /* u_ispunct() */
	CP_FOLD_ICU = 0x40, /* folds outside the BMP: bmp.fold cannot hold it */
};

static struct {
	uint8_t info[0x10000];
	uint16_t fold[0x10000];
} bmp;
static pthread_once_t bmp_once = PTHREAD_ONCE_INIT;

static void bmp_build(void)
{
	for (uint32_t c = 0; c < 0x10000; c++) {
		uint32_t f = fold_slow(c);
		unsigned info = (unsigned)classify_slow(c);

		if (u_charType((UChar32)c) == U_FORMAT_CHAR)
			info |= CP_FORMAT;
		if (u_ispunct((UChar32)c))
			info |= CP_PUNCT;
		/* Simple case folding keeps the BMP in the BMP as of
		 * Unicode 15, but a table must not bet on it. */
		if (f > 0xFFFF)
			info |= CP_FOLD_ICU;
		bmp.info[c] = (uint8_t)info;
		bmp.fold[c] = (uint16_t)f;
	}
}

/* Every entry point that reaches classify() and the rest calls this. */
static void bmp_init(void)
{
	pthread_once(&bmp_once, bmp_build);
}

static inline enum cls classify(uint32_t c)
{
	if (c < 0x10000)
		return (enum cls)(bmp.info[c] & CP_CLASS);
	return classify_slow(c);
}

static inline bool is_format(uint32_t c)
{
	if (c < 0x10000)
		return bmp.info[c] & CP_FORMAT;
	return u_charType((UChar32)c) == U_FORMAT_CHAR;
}

static inline bool is_punct(uint32_t c)
{
	if (c < 0x10000)
		return bmp.info[c] & CP_PUNCT;
	return u_ispunct((UChar32)c);
}

static inline uint32_t fold(uint32_t c)
{
	if (c < 0x10000 && !(bmp.info[c] & CP_FOLD_ICU))
		return bmp.fold[c];
	return fold_slow(c);
}

static bool wordy(enum cls k)
{
	return k == C_LETTER || k == C_DIGIT || k == C_EXTNUM;
}

/*
 * A token's hashes, flags and kind, one character at a time. tokenize()
 * feeds it the characters word_end() reads anyway, so that the characters
 * of most tokens are decoded and classified once, not twice; tok_hash()
 * feeds it a whole token it did not read. Both go through hash_char(), so
 * the two cannot hash a token differently.
 */
struct hasher {
	uint32_t loose, num, rest;
	enum cls k0, last;
	bool in_num, other;
	uint16_t flags;
};

/* Start h on a token of class k0. */
static void hash_start(struct hasher *h, enum cls k0)
{
	h->loose = h->num = h->rest = FNV_BASIS;
	h->k0 = k0;
	h->last = C_SPACE;
	h->in_num = h->other = false;
	h->flags = 0;
}

/* The token's next character, c of class k. */
static inline void hash_char(struct hasher *h, uint32_t c, enum cls k)
{
	/* Inside a word, a middle character after a digit is a separator:
	 * word_end() saw digits on both sides. */
	if (k == C_DIGIT || (wordy(h->k0) && h->last == C_DIGIT && !wordy(k) &&
			     k != C_EXTEND)) {
		h->num = mix(h->num, c);
		if (!h->in_num)
			h->loose = mix(h->loose, NUM_CLASS);
		h->in_num = true;
		if (k == C_DIGIT)
			h->flags |= TOK_NUMBER;
	} else if (k == C_EXTEND && is_format(c)) {
		/* Invisible (soft hyphen, RLM, ZWNJ): exact only. */
	} else {
		if (k != C_EXTEND)
			h->in_num = false;
		h->rest = mix(h->rest, c);
		h->loose = mix(h->loose, fold(c));
		h->other = true;
	}
	if (k == C_MIDNUMLET || k == C_MIDLETTER)
		h->flags |= TOK_JOINED;
	if (k != C_EXTEND)
		h->last = k;
}

/* Fill in t (start and end set) from h, which has read all of t; first is
 * its first character. */
static void hash_end(struct tok *t, const struct hasher *h, const char *text,
		     uint32_t first)
{
	uint32_t exact = FNV_BASIS;

	for (size_t b = t->start; b < t->end; b++)
		exact = (exact ^ (unsigned char)text[b]) * FNV_PRIME;
	t->exact = exact;
	if (h->k0 == C_TAG) {
		/* A placeholder stands for inline code, which has no
		 * case: its loose form is itself. */
		t->loose = t->num = t->rest = exact;
		t->flags = TOK_TAG;
		t->kind = HX_MATCH_DIFF_TAGS;
		return;
	}
	t->flags = h->flags;
	t->num = h->num;
	t->rest = h->rest;
	t->loose = h->loose;
	if (!wordy(h->k0) && is_punct(first)) {
		t->flags |= TOK_PUNCT;
		t->loose = PUNCT_CLASS;
		t->kind = HX_MATCH_DIFF_PUNCT;
		return;
	}
	t->kind = 0;
	if (t->flags & TOK_NUMBER)
		t->kind |= HX_MATCH_DIFF_NUMBERS;
	if (h->other || !t->kind)
		t->kind |= HX_MATCH_DIFF_WORDS;
}

/* Fill in the hashes, flags and kind of t, a token of class k0 that
 * tokenize() did not read (a part of a joined word). */
static void tok_hash(struct tok *t, const char *text, enum cls k0)
{
	struct hasher h;
	size_t i = t->start;
	uint32_t first = 0;

	hash_start(&h, k0);
	while (i < t->end) {
		size_t at = i;
		uint32_t c = next(text, t->end, &i);

		if (at == t->start)
			first = c;
		hash_char(&h, c, classify(c));
	}
	hash_end(t, &h, text, first);
}

static size_t skip_extend(const char *text, size_t len, size_t i)
{
	while (i < len) {
		size_t j = i;

		if (classify(next(text, len, &j)) != C_EXTEND)
			break;
		i = j;
	}
	return i;
}

/* The end of the word whose first character (class `last`) ends at i; hs
 * reads every character after that one which the word takes. */
static size_t word_end(const char *text, size_t len, size_t i, enum cls last,
		       struct hasher *hs)
{
	while (i < len) {
		size_t j = i, h;
		uint32_t c = next(text, len, &j);
		enum cls k = classify(c), after;
		bool letters, digits;

		if (k == C_EXTEND || wordy(k)) {
			if (k != C_EXTEND)
				last = k;
			hash_char(hs, c, k);
			i = j;
			continue;
		}
		/* A middle character joins only when the same kind
		 * follows it, marks after it aside (WB4). */
		h = skip_extend(text, len, j);
		if (h >= len)
			break;
		after = classify(next(text, len, &h));
		letters = last == C_LETTER && after == C_LETTER &&
			  (k == C_MIDLETTER || k == C_MIDNUMLET);
		digits = last == C_DIGIT && after == C_DIGIT &&
			 (k == C_MIDNUM || k == C_MIDNUMLET ||
			  (k == C_SPACE && is_numspace(c)));
		if (!letters && !digits)
			break;
		/* Joined (rare): c, its marks and `after` are the word's,
		 * the last two read again for hs. */
		hash_char(hs, c, k);
		while (j < h) {
			uint32_t d = next(text, h, &j);

			hash_char(hs, d, classify(d));
		}
		last = after;
		i = h;
	}
	return i;
}

static int push(hx_match_seg **sp, size_t start, size_t end)
{
	hx_match_seg *s = *sp;

	if (s->n == s->cap) {
		size_t cap = s->cap * 2;
		hx_match_seg *g;

		g = realloc(s, sizeof(*s) + cap * sizeof(s->t[0]));
		if (!g)
			return HX_ENOMEM;
		g->cap = cap;
		*sp = s = g;
	}
	s->t[s->n].start = (uint32_t)start;
	s->t[s->n].end = (uint32_t)end;
	s->n++;
	return HX_OK;
}

/* Cut text into *sp's tokens; *sp has room for at least 8 (grows). */
static int tokenize(hx_match_seg **sp, const char *text, size_t len)
{
	hx_match_seg *s = *sp;
	size_t i = 0;

	bmp_init();
	s->n = 0;
	s->ws = FNV_BASIS;
	while (i < len) {
		size_t start = i;
		uint32_t c = next(text, len, &i);
		enum cls k = classify(c);
		struct hasher h;

		if (k == C_SPACE || k == C_EXTEND) {
			/* Marks here follow white space or nothing. */
			s->ws = mix(mix(s->ws, (uint32_t)s->n), c);
			continue;
		}
		hash_start(&h, k);
		hash_char(&h, c, k);
		if (wordy(k)) {
			i = word_end(text, len, i, k, &h);
		} else {
			/* Marks on a symbol or a Han character are rare:
			 * read them twice. */
			size_t end = skip_extend(text, len, i);

			while (i < end) {
				uint32_t d = next(text, end, &i);

				hash_char(&h, d, classify(d));
			}
		}
		if (push(sp, start, i) < 0)
			return HX_ENOMEM;
		s = *sp;
		hash_end(&s->t[s->n - 1], &h, text, c);
	}
	return HX_OK;
}

int hx_match_seg_new(hx_match_seg **out, const char *lang, const char *text,
		     size_t len, hx_error *err)
{
	assert(out && (text || !len));
	*out = NULL;
	(void)lang; /* the script of each character decides, see above */
	return hx__match_seg_reuse(out, text, len, err);
}

int hx__match_seg_reuse(hx_match_seg **sp, const char *text, size_t len,
			hx_error *err)
{
	hx_match_seg *s = *sp;
	/* About 5 bytes a token in the six UN languages; grow if not. */
	size_t cap = len / 4 + 8;

	if (len > UINT32_MAX)
		return hx__error_set(
		    err, HX_ELIMIT, "segment of %zu bytes: at most 4 GiB", len);
	if (s && s->bag) {
		free(s->bag);
		s->bag = NULL;
	}
	if (!s || s->cap < cap) {
		free(s);
		*sp = NULL;
		if (!(s = malloc(sizeof(*s) + cap * sizeof(s->t[0]))))
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		s->cap = cap;
		s->bag = NULL;
		*sp = s;
	}
	if (tokenize(sp, text, len) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	return HX_OK;
}

size_t hx__match_seg_loose16(const hx_match_seg *s, uint16_t *out, size_t cap)
{
	size_t n = s->n < cap ? s->n : cap;
	for (size_t i = 0; i < n; i++)
		out[i] = (uint16_t)(s->t[i].loose ^ s->t[i].loose >> 16);
	return n;
}

uint32_t hx__match_seg_loose_hash(const hx_match_seg *s)
{
	uint32_t h = FNV_BASIS;
	for (size_t i = 0; i < s->n; i++)
		h = mix(h, s->t[i].loose);
	return h;
}

size_t hx__match_seg_index(const hx_match_seg *s, const char *text,
			   struct hx__index_tok *out, size_t cap)
{
	size_t n = 0;

	bmp_init(); /* s was made on another thread, perhaps */
	for (size_t i = 0; i < s->n && n < cap; i++) {
		const struct tok *t = &s->t[i];
		if (t->flags & TOK_PUNCT)
			continue;
		out[n].key = t->loose;
		out[n].num = t->flags & TOK_NUMBER ? t->num : 0;
		out[n++].part = false;
		if (t->flags & (TOK_TAG | TOK_NUMBER) ||
		    !(t->flags & TOK_JOINED))
			continue;
		/* A word joined by ' . or a middle dot ("l'Assemblée",
		 * "www.un.org") is also each of its parts, so that a
		 * concordance search for "Assemblée" finds it. */
		size_t j = t->start, ps = t->start;
		bool joined = false;
		while (j <= t->end && n < cap) {
			size_t at = j;
			enum cls k = C_SPACE;
			if (j < t->end)
				k = classify(next(text, t->end, &j));
			else
				j++;
			if (k != C_MIDNUMLET && k != C_MIDLETTER && at < t->end)
				continue;
			if (at == t->end && !joined)
				break;
			joined = true;
			if (at > ps) {
				struct tok part = {0};
				part.start = (uint32_t)ps;
				part.end = (uint32_t)at;
				tok_hash(&part, text, C_LETTER);
				out[n].key = part.loose;
				out[n].num = 0;
				out[n++].part = true;
			}
			ps = j;
		}
	}
	return n;
}

void hx_match_seg_free(hx_match_seg *s)
{
	if (s)
		free(s->bag);
	free(s);
}

int hx__match_seg_prepare(hx_match_seg *q)
{
	size_t size = 16;
	while (size < q->n * 2)
		size *= 2;
	free(q->bag);
	q->bag = calloc(1, sizeof(*q->bag) + size * sizeof(q->bag->slot[0]));
	if (!q->bag)
		return HX_ENOMEM;
	q->bag->mask = size - 1;
	for (size_t i = 0; i < q->n; i++) {
		uint32_t key = q->t[i].loose;
		size_t k = (key * 0x9e3779b1u) & q->bag->mask;
		while (q->bag->slot[k].have && q->bag->slot[k].key != key)
			k = (k + 1) & q->bag->mask;
		q->bag->slot[k].key = key;
		if (q->bag->slot[k].have < UINT16_MAX)
			q->bag->slot[k].have++;
	}
	return HX_OK;
}

/* How many of s's tokens pair with one of the query's by loose form. */
static size_t bag_pairs(struct bag *b, const hx_match_seg *s)
{
	size_t pairs = 0;
	if (++b->gen == 0) { /* wrapped: forget every old count */
		for (size_t k = 0; k <= b->mask; k++)
			b->slot[k].gen = 0;
		b->gen = 1;
	}
	for (size_t i = 0; i < s->n; i++) {
		uint32_t key = s->t[i].loose;
		size_t k = (key * 0x9e3779b1u) & b->mask;
		while (b->slot[k].have && b->slot[k].key != key)
			k = (k + 1) & b->mask;
		struct bag_slot *x = &b->slot[k];
		if (!x->have)
			continue;
		if (x->gen != b->gen)
			x->gen = b->gen, x->used = 0;
		if (x->used < x->have)
			x->used++, pairs++;
	}
	return pairs;
}

size_t hx_match_seg_count(const hx_match_seg *s)
{
	assert(s);
	return s->n;
}

/* For tests/test-match.c, which checks token boundaries and flags against
 * ICU, and for terms-mine.c, which cuts its n-grams at the same tokens. */
void hx__match_seg_token(const hx_match_seg *s, size_t i, size_t *start,
			 size_t *end, unsigned *flags)
{
	assert(s && i < s->n);
	*start = s->t[i].start;
	*end = s->t[i].end;
	*flags = s->t[i].flags & ~TOK_JOINED;
}

/* Also for tests/test-match.c: the first BMP code point on which what the
 * tokeniser asks (the tables, the in-line decoder) and the slow answers
 * disagree, or UINT32_MAX when none does. The tables are filled from those
 * answers, so this guards later changes to classify() and the rest. */
uint32_t hx__match_check_tables(void);

uint32_t hx__match_check_tables(void)
{
	bmp_init();
	for (uint32_t c = 0; c < 0x10000; c++) {
		char buf[4];
		size_t len = hx__utf8_put(buf, c);

		if (classify(c) != classify_slow(c) ||
		    fold(c) != fold_slow(c) ||
		    is_format(c) != (u_charType((UChar32)c) == U_FORMAT_CHAR) ||
		    is_punct(c) != (bool)u_ispunct((UChar32)c))
			return c;
		/* Whole, and cut short as at the end of a token. */
		for (size_t cut = 1; cut <= len; cut++) {
			size_t i = 0, j = 0;

			if (next(buf, cut, &i) != hx__utf8_next(buf, cut, &j) ||
			    i != j)
				return c;
		}
	}
	return UINT32_MAX;
}

/* Which kind of difference a and b (exact forms differ) have, when their
 * loose forms are equal. */
static unsigned loose_kind(const struct tok *a, const struct tok *b)
{
	unsigned k = 0;

	if (a->flags & TOK_PUNCT)
		return HX_MATCH_DIFF_PUNCT;
	if (a->num != b->num)
		k |= HX_MATCH_DIFF_NUMBERS;
	if (a->rest != b->rest)
		k |= HX_MATCH_DIFF_CASE;
	/* Only soft hyphens, bidi marks and the like differ. */
	return k ? k : HX_MATCH_DIFF_SPACE;
}

static unsigned sub_kind(const struct tok *a, const struct tok *b)
{
	if (a->loose == b->loose)
		return loose_kind(a, b);
	return a->kind | b->kind;
}

/*
 * Equal lengths: 100 or 99 when the tokens pair up (loosely), else -1.
 * Token-identical segments score 100 even when their white space differs
 * (d = 0; "identical token sequences score 100"), with HX_MATCH_DIFF_SPACE
 * set so that a caller can still tell.
 */
static int same_length(const hx_match_seg *q, const hx_match_seg *s,
		       unsigned *kinds)
{
	bool differ = false;
	unsigned k = 0;

	for (size_t i = 0; i < q->n; i++) {
		const struct tok *a = &q->t[i], *b = &s->t[i];

		if (a->exact == b->exact)
			continue;
		if (a->loose != b->loose)
			return -1;
		k |= loose_kind(a, b);
		differ = true;
	}
	if (q->ws != s->ws)
		k |= HX_MATCH_DIFF_SPACE;
	*kinds = k;
	return differ ? 99 : 100;
}

/* A cost is (edits << 32) + tag edits: fewest edits first, then fewest tag
 * edits among those. */
typedef uint64_t cost_t;
#define EDIT	     ((cost_t)1 << 32)
#define INF	     (UINT64_MAX / 4)
#define EDITS(c)     ((size_t)((c) >> 32))
#define STACK_TOKENS 256

static cost_t indel(const struct tok *t)
{
	return EDIT + ((t->flags & TOK_TAG) != 0);
}

static cost_t subst(const struct tok *a, const struct tok *b)
{
	if (a->exact == b->exact)
		return 0;
	return EDIT + (((a->flags | b->flags) & TOK_TAG) != 0);
}

/* floor(100 (1 - d / max)) in integers. */
static int percent(size_t max, size_t d)
{
	return (int)(100 * (max - d) / max);
}

/*
 * The banded dynamic programming: a (n tokens) against b (m <= n), cells
 * with |i - j| <= k only. Returns the score, or a value below min (the
 * bound for k + 1 edits) when d > k, or HX_ENOMEM.
 */
static int band(const hx_match_seg *a, const hx_match_seg *b, size_t k,
		unsigned *kinds)
{
	cost_t stack_c[2 * (STACK_TOKENS + 1)];
	unsigned char stack_k[2 * (STACK_TOKENS + 1)];
	cost_t *prev = stack_c, *cur = stack_c + STACK_TOKENS + 1;
	unsigned char *pk = stack_k, *ck = stack_k + STACK_TOKENS + 1;
	size_t n = a->n, m = b->n;
	void *heap = NULL;
	cost_t last;
	int score;

	if (m > STACK_TOKENS) {
		/* The score has no error channel: a negative status is
		 * below any min, so a filtering caller drops the pair. */
		heap = malloc(2 * (m + 1) * (sizeof(cost_t) + 1));
		if (!heap)
			return HX_ENOMEM;
		prev = heap;
		cur = prev + m + 1;
		pk = (unsigned char *)(cur + m + 1);
		ck = pk + m + 1;
	}
	prev[0] = 0;
	pk[0] = 0;
	for (size_t j = 1; j <= m && j <= k; j++) {
		prev[j] = prev[j - 1] + indel(&b->t[j - 1]);
		pk[j] = pk[j - 1] | b->t[j - 1].kind;
	}
	if (k < m)
		prev[k + 1] = INF;
	for (size_t i = 1; i <= n; i++) {
		const struct tok *x = &a->t[i - 1];
		size_t lo = i > k ? i - k : 1, hi = i + k < m ? i + k : m;
		cost_t del = indel(x), row_min = INF;

		/* lo <= m: n - m <= k was checked by the caller. */
		if (i <= k) {
			cur[0] = prev[0] + del;
			ck[0] = pk[0] | x->kind;
			row_min = cur[0];
		} else {
			cur[lo - 1] = INF;
		}
		for (size_t j = lo; j <= hi; j++) {
			const struct tok *y = &b->t[j - 1];
			cost_t s = subst(x, y), best = prev[j - 1] + s, c;
			int from = 0;

			/* Ties go to the diagonal, then to deletion, as in
			 * hx_match_diff(). */
			if ((c = prev[j] + del) < best)
				best = c, from = 1;
			if ((c = cur[j - 1] + indel(y)) < best)
				best = c, from = 2;
			cur[j] = best;
			if (from == 0)
				ck[j] = s ? pk[j - 1] |
						(unsigned char)sub_kind(x, y)
					  : pk[j - 1];
			else if (from == 1)
				ck[j] = pk[j] | (unsigned char)x->kind;
			else
				ck[j] = ck[j - 1] | (unsigned char)y->kind;
			if (best < row_min)
				row_min = best;
		}
		if (hi < m)
			cur[hi + 1] = INF;
		if (EDITS(row_min) > k) {
			/* Costs never fall along a path (Ukkonen 1985). */
			free(heap);
			*kinds = HX_MATCH_DIFF_WORDS;
			return percent(n, k + 1);
		}
		cost_t *tc = prev;
		unsigned char *tk = pk;
		prev = cur, cur = tc;
		pk = ck, ck = tk;
	}
	last = prev[m];
	*kinds = pk[m];
	free(heap);
	if (EDITS(last) > k) {
		*kinds = HX_MATCH_DIFF_WORDS;
		return percent(n, k + 1);
	}
	score = percent(n, EDITS(last)) - (int)(uint32_t)last;
	if (score < 0)
		score = 0;
	if ((uint32_t)last && score > 99)
		score = 99;
	/* A real edit (not numbers, punctuation or case, which same_length()
	 * scores) never reads as 99, however long the segment: 99 must mean
	 * "fix the numbers and it is exact" to a pre-translation. */
	if (EDITS(last) > 0 && score > 98)
		score = 98;
	return score;
}

int hx_match_score(const hx_match_seg *q, const hx_match_seg *s, int min,
		   unsigned *diff_kinds)
{
	const hx_match_seg *a = q, *b = s;
	unsigned dummy, *kinds = diff_kinds ? diff_kinds : &dummy;
	size_t k;
	int r;

	assert(q && s);
	*kinds = 0;
	/* Exact and 99 matches pair their tokens one to one: O(n). */
	if (q->n == s->n && (r = same_length(q, s, kinds)) >= 0)
		return r;
	/* Distance and kinds are symmetric: a row is as long as the shorter. */
	if (a->n < b->n)
		a = s, b = q;
	if (b->n == 0) {
		unsigned kd = 0;

		for (size_t i = 0; i < a->n; i++)
			kd |= a->t[i].kind;
		*kinds = kd;
		return 0; /* d = max, and no score below 0 for the tags */
	}
	if (min > 100)
		min = 100;
	k = min <= 0 ? a->n : a->n * (size_t)(100 - min) / 100;
	if (a->n - b->n > k) {
		*kinds = HX_MATCH_DIFF_WORDS;
		return percent(a->n, a->n - b->n);
	}
	/* Every token of the longer side that pairs with none of the other
	 * costs an edit, wherever it stands (the bag distance; Bartolini,
	 * Ciaccia and Patella 2002, "String matching with metric trees
	 * using an approximate distance", SPIRE). */
	if (q->bag) {
		size_t d = a->n - bag_pairs(q->bag, s);
		if (d > k) {
			*kinds = HX_MATCH_DIFF_WORDS;
			return percent(a->n, d);
		}
	}
	return band(a, b, k, kinds);
}

/* The full dynamic programming matrix of q (rows) against s, for the
 * traceback of hx_match_diff(). */
static void fill(cost_t *d, const hx_match_seg *q, const hx_match_seg *s)
{
	size_t n = q->n, m = s->n, w = m + 1;

	d[0] = 0;
	for (size_t j = 1; j <= m; j++)
		d[j] = d[j - 1] + indel(&s->t[j - 1]);
	for (size_t i = 1; i <= n; i++) {
		const struct tok *x = &q->t[i - 1];
		cost_t *row = d + i * w, *up = row - w;

		row[0] = up[0] + indel(x);
		for (size_t j = 1; j <= m; j++) {
			const struct tok *y = &s->t[j - 1];
			cost_t best = up[j - 1] + subst(x, y), c;

			if ((c = up[j] + indel(x)) < best)
				best = c;
			if ((c = row[j - 1] + indel(y)) < best)
				best = c;
			row[j] = best;
		}
	}
}

/* The byte range of tokens [from, to) of s; empty ranges sit at the end
 * of the token before. */
static void span(const hx_match_seg *s, size_t from, size_t to, size_t *start,
		 size_t *end)
{
	if (to > from) {
		*start = s->t[from].start;
		*end = s->t[to - 1].end;
	} else {
		*start = *end = from ? s->t[from - 1].end : 0;
	}
}

int hx_match_diff(hx_diff **out, size_t *n, const hx_match_seg *q,
		  const hx_match_seg *s, hx_error *err)
{
	size_t rows = q->n + 1, w = s->n + 1, nops = 0, nruns = 0;
	size_t i = q->n, j = s->n, qi = 0, sj = 0;
	cost_t *d = NULL;
	unsigned char *ops = NULL;
	hx_diff *runs = NULL;
	int rc;

	assert(out && n && q && s);
	*out = NULL;
	*n = 0;
	if (!q->n && !s->n)
		return HX_OK;
	if (rows > SIZE_MAX / sizeof(*d) / w) {
		return hx__error_set(err, HX_ELIMIT,
				     "diff of %zu by %zu tokens: too large",
				     q->n, s->n);
	}
	d = malloc(rows * w * sizeof(*d));
	ops = malloc(q->n + s->n);
	if (!d || !ops)
		goto nomem;
	fill(d, q, s);
	/* Back from the end, with the ties fill() broke the same way. */
	while (i || j) {
		cost_t here = d[i * w + j];
		hx_diff_op op;

		if (i && j &&
		    here == d[(i - 1) * w + j - 1] +
				subst(&q->t[i - 1], &s->t[j - 1])) {
			op = q->t[i - 1].exact == s->t[j - 1].exact
				 ? HX_DIFF_SAME
				 : HX_DIFF_REPLACE;
			i--, j--;
		} else if (i &&
			   here == d[(i - 1) * w + j] + indel(&q->t[i - 1])) {
			op = HX_DIFF_INSERT;
			i--;
		} else {
			op = HX_DIFF_DELETE;
			j--;
		}
		ops[nops++] = (unsigned char)op;
	}
	for (size_t o = 0; o < nops; o++)
		nruns += !o || ops[o] != ops[o - 1];
	runs = malloc(nruns * sizeof(*runs));
	if (!runs)
		goto nomem;
	/* ops runs backwards; runs forwards. */
	for (size_t o = nops, r = 0; o > 0; r++) {
		hx_diff_op op = (hx_diff_op)ops[o - 1];
		size_t q0 = qi, s0 = sj;

		for (; o > 0 && ops[o - 1] == op; o--) {
			qi += op != HX_DIFF_DELETE;
			sj += op != HX_DIFF_INSERT;
		}
		runs[r].op = op;
		span(q, q0, qi, &runs[r].q_start, &runs[r].q_end);
		span(s, s0, sj, &runs[r].s_start, &runs[r].s_end);
	}
	free(d);
	free(ops);
	*out = runs;
	*n = nruns;
	return HX_OK;
nomem:
	rc = hx__error_set(err, HX_ENOMEM, "out of memory");
	free(d);
	free(ops);
	return rc;
}
