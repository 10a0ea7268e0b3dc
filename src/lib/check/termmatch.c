/*
 * termmatch.c - the term matcher: every term of one language found in a
 * text in a single pass of an Aho-Corasick automaton (Aho and Corasick,
 * "Efficient string matching", CACM 18(6), 1975) over normalised code
 * points, so the cost is the text's length plus the hits, not the number
 * of terms times the text.
 *
 * Text and terms are normalised alike into "units": one code point each
 * of ICU's NFKC_Casefold of every character (case folding, compatibility
 * forms such as full-width Latin, default-ignorable characters removed,
 * UAX #15 and UTS #46), with white space and the hyphens and dashes left
 * out of the key and remembered as the "gap" before the next unit, so
 * that a hyphen, a space and nothing between two parts make the same key.
 * Each unit keeps the bytes it came from, which is how hits point into
 * the original text and how a hit tells what differs from its term as
 * written. With a stemmer, a second automaton holds the terms with each
 * word replaced by its stem and runs over the text stemmed the same way.
 *
 * This module finds; it does not judge (the checks do), and it knows no
 * file format (termbase.c).
 */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>

#include <hexalign/termmatch.h>
#include <hexalign/tm.h>

#include "base/error-private.h"
#include "base/grow.h"
#include "base/text.h"

/* A unit that no key contains: where a dash with spaces around it (" – ",
 * a list dash or a parenthetical) stands, so no term runs across it. */
#define BREAK 0x110000u

/* What the gap before a unit held. */
enum { G_SPACE = 1, G_DASH = 2, G_IGNORABLE = 4 };

typedef struct unit {
	uint32_t cp;	     /* normalised */
	uint32_t raw;	     /* the character as written */
	uint32_t start, end; /* its bytes in the source string */
	uint8_t gap;	     /* G_* of what came between this and the last */
	uint8_t head; /* first unit of its character (ß folds to "ss") */
} unit;

typedef struct units {
	unit *u;
	size_t n, cap;
} units;

/* Characters fold through a small cache: a text repeats few of them. */
#define CACHE_SIZE 4096
typedef struct fold_cache {
	uint32_t key[CACHE_SIZE]; /* cp + 1; 0 empty */
	uint8_t n[CACHE_SIZE];
	uint32_t out[CACHE_SIZE][3];
} fold_cache;

typedef struct normaliser {
	const UNormalizer2 *nfkc_cf, *nfkc;
	fold_cache *cache;
} normaliser;

/* A trie node with its failure link, its output (the group of the key
 * ending here, or -1) and dict, the nearest node down the failure chain
 * where a key ends (0: none). */
typedef struct trie_node {
	uint32_t fail, dict, depth, parent, label;
	int32_t out;
} trie_node;

/* One automaton: a trie of keys with failure and output links. */
typedef struct automaton {
	trie_node *nodes;
	size_t nnodes, cnodes;
	/* Transitions (node, cp) -> child, open addressing. */
	uint64_t *keys;
	uint32_t *vals;
	size_t cap, used;
} automaton;

/* Terms that normalise to one key. */
typedef struct group {
	size_t first, n; /* into members */
} group;

typedef struct term_info {
	const char *text;
	size_t len;
	size_t index; /* what hits report */
	units u;      /* the term normalised, for telling differences */
} term_info;

struct hx_termmatch {
	hx_termmatch_options opts;
	normaliser norm;
	term_info *terms;
	size_t nterms;
	char **owned; /* copies of the strings of hx_termmatch_new_strings */
	automaton plain, stemmed;
	group *groups[2];
	size_t ngroups[2];
	size_t *members[2];
};

void hx_termmatch_options_init(hx_termmatch_options *opts)
{
	assert(opts);
	memset(opts, 0, sizeof(*opts));
}

/* ---- normalisation ------------------------------------------------------ */

static bool is_dash(uint32_t c)
{
	/* NFKC has already made U+2011 U+2010, U+FF0D and U+FE63 '-'. */
	return c == '-' || c == 0x2010 || c == 0x2012 || c == 0x2013 ||
	       c == 0x2212;
}

/* NFKC_Casefold of one character into out (up to 3 code points; longer
 * foldings, which no letter has, are cut). Returns how many. */
static size_t fold(normaliser *nz, uint32_t c, uint32_t out[3])
{
	UChar in[2], res[16];
	UErrorCode st = U_ZERO_ERROR;
	int32_t ilen = 0, rlen, i = 0;
	size_t n = 0, slot;

	if (c < 0x80) {
		out[0] = c >= 'A' && c <= 'Z' ? c + 32 : c;
		return 1;
	}
	slot = (c * 2654435761u) % CACHE_SIZE;
	if (nz->cache && nz->cache->key[slot] == c + 1) {
		memcpy(out, nz->cache->out[slot], sizeof(nz->cache->out[slot]));
		return nz->cache->n[slot];
	}
	U16_APPEND_UNSAFE(in, ilen, c);
	rlen = unorm2_normalize(nz->nfkc_cf, in, ilen, res, 16, &st);
	if (U_FAILURE(st)) {
		out[0] = c;
		n = 1;
	} else {
		while (i < rlen && n < 3) {
			UChar32 r;
			U16_NEXT(res, i, rlen, r);
			out[n++] = (uint32_t)r;
		}
	}
	if (nz->cache) {
		nz->cache->key[slot] = c + 1;
		nz->cache->n[slot] = (uint8_t)n;
		memcpy(nz->cache->out[slot], out, sizeof(nz->cache->out[slot]));
	}
	return n;
}

/* NFKC without case folding, for telling width from case in a hit. */
static uint32_t width_fold(const normaliser *nz, uint32_t c)
{
	UChar in[2], res[8];
	UErrorCode st = U_ZERO_ERROR;
	int32_t ilen = 0, rlen, i = 0;
	UChar32 r;

	if (c < 0x80)
		return c;
	U16_APPEND_UNSAFE(in, ilen, c);
	rlen = unorm2_normalize(nz->nfkc, in, ilen, res, 8, &st);
	if (U_FAILURE(st) || rlen == 0)
		return c;
	U16_NEXT(res, i, rlen, r);
	return i == rlen ? (uint32_t)r : c;
}

static int push(units *us, const unit *u)
{
	if (hx__grow((void **)&us->u, &us->cap, us->n + 1, sizeof(unit)) < 0)
		return -1;
	us->u[us->n++] = *u;
	return 0;
}

/*
 * s (valid UTF-8) into units. White space and dashes go into the gap of
 * the next unit; a dash with white space on both sides becomes a BREAK
 * unit (a dash at a line end, "CWG-\nCOP", still joins). Offsets are
 * relative to s.
 */
static int normalise(normaliser *nz, const char *s, size_t len, units *us)
{
	uint8_t gap = 0;
	bool spaced_dash = false; /* white space, then a dash, in this gap */
	size_t i = 0;

	us->n = 0;
	while (i < len) {
		size_t start = i;
		uint32_t c = hx__utf8_next(s, len, &i), f[3];
		size_t nf = fold(nz, c, f), kept = 0;
		unit u;

		if (nf == 0) {
			gap |= G_IGNORABLE;
			continue;
		}
		for (size_t k = 0; k < nf; k++) {
			if (hx__is_space(f[k])) {
				if (spaced_dash && us->n) {
					u.cp = BREAK;
					u.raw = 0;
					u.start = u.end = (uint32_t)start;
					u.gap = gap;
					u.head = 1;
					if (push(us, &u) < 0)
						return HX_ENOMEM;
					gap = 0;
					spaced_dash = false;
				}
				gap |= G_SPACE;
				continue;
			}
			if (is_dash(f[k])) {
				spaced_dash = (gap & G_SPACE) != 0;
				gap |= G_DASH;
				continue;
			}
			u.cp = f[k];
			u.raw = c;
			u.start = (uint32_t)start;
			u.end = (uint32_t)i;
			u.gap = gap;
			u.head = kept == 0;
			if (push(us, &u) < 0)
				return HX_ENOMEM;
			gap = 0;
			spaced_dash = false;
			kept++;
		}
	}
	return HX_OK;
}

/* ---- word edges --------------------------------------------------------- */

enum { W_NONE, W_LETTER, W_DIGIT, W_UNSPACED };

/* Scripts written without spaces between words: a term may sit anywhere
 * in them. */
static bool unspaced_script(uint32_t c)
{
	UErrorCode st = U_ZERO_ERROR;
	UScriptCode sc = uscript_getScript((UChar32)c, &st);

	switch (sc) {
	case USCRIPT_HAN:
	case USCRIPT_HIRAGANA:
	case USCRIPT_KATAKANA:
	case USCRIPT_BOPOMOFO:
	case USCRIPT_THAI:
	case USCRIPT_LAO:
	case USCRIPT_KHMER:
	case USCRIPT_MYANMAR:
	case USCRIPT_TIBETAN:
	case USCRIPT_YI:
		return true;
	default:
		return false;
	}
}

static int word_class(uint32_t c)
{
	if (c < 0x80) {
		if ((c | 32) >= 'a' && (c | 32) <= 'z')
			return W_LETTER;
		return c >= '0' && c <= '9' ? W_DIGIT : W_NONE;
	}
	if (u_isdigit((UChar32)c))
		return W_DIGIT;
	if (!u_hasBinaryProperty((UChar32)c, UCHAR_ALPHABETIC) &&
	    !(U_GET_GC_MASK((UChar32)c) & U_GC_M_MASK))
		return W_NONE;
	return unspaced_script(c) ? W_UNSPACED : W_LETTER;
}

static bool ignorable(uint32_t c)
{
	return u_hasBinaryProperty((UChar32)c,
				   UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

/* The code point before byte i of s, ignorables skipped; 0 at the start. */
static uint32_t before(const char *s, size_t i)
{
	while (i > 0) {
		size_t k = i - 1, j;
		uint32_t c;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		j = k;
		c = hx__utf8_next(s, i, &j);
		if (!ignorable(c))
			return c;
		i = k;
	}
	return 0;
}

static uint32_t after(const char *s, size_t len, size_t i)
{
	while (i < len) {
		uint32_t c = hx__utf8_next(s, len, &i);
		if (!ignorable(c))
			return c;
	}
	return 0;
}

/* A hit [start, end) whose first or last character continues a word of a
 * spaced script (letter after letter, digit after digit) is inside a
 * longer word. Letters meeting digits are an edge: Chinese text glues
 * acronyms to numbers ("CWG-COP2015年"). */
static bool whole_word(const char *s, size_t len, size_t start, size_t end)
{
	size_t j = start;
	uint32_t first = hx__utf8_next(s, len, &j);
	uint32_t last = before(s, end);
	int wf = word_class(first), wl = word_class(last);

	if ((wf == W_LETTER || wf == W_DIGIT) &&
	    word_class(before(s, start)) == wf)
		return false;
	if ((wl == W_LETTER || wl == W_DIGIT) &&
	    word_class(after(s, len, end)) == wl)
		return false;
	return true;
}

/* ---- the automaton ------------------------------------------------------ */

static uint64_t mix64(uint64_t x)
{
	/* splitmix64's finaliser (Steele, Lea, Flood 2014). */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static uint32_t go(const automaton *a, uint32_t node, uint32_t cp)
{
	uint64_t k = (uint64_t)node << 32 | cp;
	size_t mask = a->cap - 1, i = mix64(k) & mask;

	if (!a->cap)
		return 0;
	for (; a->vals[i]; i = (i + 1) & mask)
		if (a->keys[i] == k)
			return a->vals[i];
	return 0; /* the root is never a child */
}

static int edges_grow(automaton *a)
{
	size_t cap = a->cap ? a->cap * 2 : 1024;
	uint64_t *keys = calloc(cap, sizeof(*keys));
	uint32_t *vals = calloc(cap, sizeof(*vals));

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -1;
	}
	for (size_t i = 0; i < a->cap; i++) {
		size_t j;
		if (!a->vals[i])
			continue;
		for (j = mix64(a->keys[i]) & (cap - 1); vals[j];
		     j = (j + 1) & (cap - 1))
			;
		keys[j] = a->keys[i];
		vals[j] = a->vals[i];
	}
	free(a->keys);
	free(a->vals);
	a->keys = keys;
	a->vals = vals;
	a->cap = cap;
	return 0;
}

static int node_new(automaton *a, uint32_t parent, uint32_t label,
		    uint32_t *out)
{
	trie_node *v;

	if (a->nnodes >= UINT32_MAX - 1 ||
	    hx__grow((void **)&a->nodes, &a->cnodes, a->nnodes + 1,
		     sizeof(trie_node)) < 0)
		return -1;
	v = &a->nodes[a->nnodes];
	v->fail = v->dict = 0;
	v->depth = a->nnodes ? a->nodes[parent].depth + 1 : 0;
	v->parent = parent;
	v->label = label;
	v->out = -1;
	*out = (uint32_t)a->nnodes++;
	return 0;
}

/* The node of key (inserted as needed). */
static int insert(automaton *a, const unit *key, size_t n, uint32_t *node)
{
	uint32_t s = 0, next;

	if (!a->nnodes && node_new(a, 0, 0, &s) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((next = go(a, s, key[i].cp))) {
			s = next;
			continue;
		}
		if ((a->used + 1) * 2 > a->cap && edges_grow(a) < 0)
			return -1;
		if (node_new(a, s, key[i].cp, &next) < 0)
			return -1;
		uint64_t k = (uint64_t)s << 32 | key[i].cp;
		size_t mask = a->cap - 1, j = mix64(k) & mask;
		while (a->vals[j])
			j = (j + 1) & mask;
		a->keys[j] = k;
		a->vals[j] = next;
		a->used++;
		s = next;
	}
	*node = s;
	return 0;
}

/* Failure links breadth first: a node's link is the longest proper suffix
 * of its key that is also a path, found from its parent's link; dict is
 * the nearest node on the failure chain where a key ends. */
static int link(automaton *a)
{
	size_t n = a->nnodes, maxd = 0, *count = NULL, *order = NULL;

	if (n == 0)
		return 0;
	for (size_t v = 0; v < n; v++)
		if (a->nodes[v].depth > maxd)
			maxd = a->nodes[v].depth;
	count = calloc(maxd + 2, sizeof(*count));
	order = malloc(n * sizeof(*order));
	if (!count || !order) {
		free(count);
		free(order);
		return -1;
	}
	for (size_t v = 0; v < n; v++)
		count[a->nodes[v].depth + 1]++;
	for (size_t d = 1; d <= maxd + 1; d++)
		count[d] += count[d - 1];
	for (size_t v = 0; v < n; v++)
		order[count[a->nodes[v].depth]++] = v;
	for (size_t k = 1; k < n; k++) {
		uint32_t v = (uint32_t)order[k], p = a->nodes[v].parent, f, g;
		if (p == 0) {
			a->nodes[v].fail = 0;
		} else {
			for (f = a->nodes[p].fail;
			     f && !go(a, f, a->nodes[v].label);)
				f = a->nodes[f].fail;
			g = go(a, f, a->nodes[v].label);
			a->nodes[v].fail = g != v ? g : 0;
		}
		f = a->nodes[v].fail;
		a->nodes[v].dict = a->nodes[f].out >= 0 ? f : a->nodes[f].dict;
	}
	free(count);
	free(order);
	return 0;
}

static void automaton_free(automaton *a)
{
	free(a->nodes);
	free(a->keys);
	free(a->vals);
}

/* ---- stems -------------------------------------------------------------- */

typedef struct stem_sink {
	char *first;
	size_t len;
	bool failed;
} stem_sink;

static void stem_add(void *sink, const char *stem, size_t len)
{
	stem_sink *s = sink;
	size_t bad;

	/* The first valid one is used: a key can follow one path only. */
	if (s->first || s->failed || !len || !hx__utf8_valid(stem, len, &bad))
		return;
	if (!(s->first = malloc(len)))
		s->failed = true;
	else
		memcpy(s->first, stem, len), s->len = len;
}

/* Words are runs of letters of spaced scripts with nothing between. */
static bool word_unit(const unit *u)
{
	return u->cp != BREAK && word_class(u->raw) == W_LETTER;
}

/* A cache of stems for one run or one build: word bytes -> folded stem. */
typedef struct stem_entry {
	char *word;
	size_t wlen;
	uint32_t *cps;
	size_t ncps;
} stem_entry;

typedef struct stem_cache {
	stem_entry *e;
	size_t cap, used;
} stem_cache;

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static void stem_cache_free(stem_cache *c)
{
	for (size_t i = 0; i < c->cap; i++) {
		free(c->e[i].word);
		free(c->e[i].cps);
	}
	free(c->e);
}

static int cache_grow(stem_cache *c)
{
	size_t cap = c->cap ? c->cap * 2 : 256;
	stem_entry *e = calloc(cap, sizeof(*e));

	if (!e)
		return -1;
	for (size_t i = 0; i < c->cap; i++) {
		size_t j;
		if (!c->e[i].word)
			continue;
		for (j = hash_bytes(c->e[i].word, c->e[i].wlen) & (cap - 1);
		     e[j].word; j = (j + 1) & (cap - 1))
			;
		e[j] = c->e[i];
	}
	free(c->e);
	c->e = e;
	c->cap = cap;
	return 0;
}

/* The folded stem of word (its own units when the stemmer knows none). */
static int stem_of(const hx_termmatch *m, normaliser *nz, stem_cache *c,
		   const char *word, size_t wlen, const stem_entry **out,
		   hx_error *err)
{
	stem_sink sink = {NULL, 0, false};
	units su = {NULL, 0, 0};
	stem_entry *e;
	size_t j;
	int rc;

	if ((c->used + 1) * 2 > c->cap && cache_grow(c) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (j = hash_bytes(word, wlen) & (c->cap - 1); c->e[j].word;
	     j = (j + 1) & (c->cap - 1))
		if (c->e[j].wlen == wlen && !memcmp(c->e[j].word, word, wlen)) {
			*out = &c->e[j];
			return HX_OK;
		}
	rc = m->opts.stem(m->opts.stem_payload, word, wlen, stem_add, &sink,
			  err);
	if (rc < 0) {
		free(sink.first);
		return rc;
	}
	if (sink.failed || normalise(nz, sink.first ? sink.first : word,
				     sink.first ? sink.len : wlen, &su) < 0) {
		free(sink.first);
		free(su.u);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	free(sink.first);
	e = &c->e[j];
	e->word = malloc(wlen ? wlen : 1);
	e->cps = malloc((su.n ? su.n : 1) * sizeof(uint32_t));
	if (!e->word || !e->cps) {
		free(e->word);
		free(e->cps);
		e->word = NULL;
		free(su.u);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	memcpy(e->word, word, wlen);
	e->wlen = wlen;
	for (size_t k = 0; k < su.n; k++)
		e->cps[k] = su.u[k].cp;
	e->ncps = su.n;
	free(su.u);
	c->used++;
	*out = e;
	return HX_OK;
}

/*
 * The units of s (normalised as us) with each word replaced by its stem:
 * every unit of a stem spans the whole word, so a hit covers whole words
 * of the text.
 */
static int stem_units(const hx_termmatch *m, normaliser *nz, stem_cache *c,
		      const char *s, const units *us, units *out, hx_error *err)
{
	size_t i = 0;
	int rc;

	out->n = 0;
	while (i < us->n) {
		size_t k = i + 1;
		const stem_entry *e = NULL;
		if (!word_unit(&us->u[i])) {
			if (push(out, &us->u[i]) < 0)
				return hx__error_set(err, HX_ENOMEM,
						     "out of memory");
			i++;
			continue;
		}
		while (k < us->n && word_unit(&us->u[k]) && !us->u[k].gap)
			k++;
		rc = stem_of(m, nz, c, s + us->u[i].start,
			     us->u[k - 1].end - us->u[i].start, &e, err);
		if (rc < 0)
			return rc;
		for (size_t x = 0; x < e->ncps; x++) {
			unit u = us->u[i];
			u.cp = e->cps[x];
			u.end = us->u[k - 1].end;
			u.head = x == 0;
			u.gap = x == 0 ? us->u[i].gap : 0;
			if (push(out, &u) < 0)
				return hx__error_set(err, HX_ENOMEM,
						     "out of memory");
		}
		i = k;
	}
	return HX_OK;
}

/* ---- building ----------------------------------------------------------- */

void hx_termmatch_free(hx_termmatch *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nterms; i++)
		free(m->terms[i].u.u);
	if (m->owned)
		for (size_t i = 0; i < m->nterms; i++)
			free(m->owned[i]);
	free(m->owned);
	free(m->terms);
	automaton_free(&m->plain);
	automaton_free(&m->stemmed);
	for (int k = 0; k < 2; k++) {
		free(m->groups[k]);
		free(m->members[k]);
	}
	free(m->norm.cache);
	free(m);
}

static int norm_init(normaliser *nz, hx_error *err)
{
	UErrorCode st = U_ZERO_ERROR;

	nz->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
	if (U_SUCCESS(st))
		nz->nfkc = unorm2_getNFKCInstance(&st);
	if (U_FAILURE(st))
		return hx__error_set(err, HX_ENOMEM,
				     "cannot load ICU's NFKC data (%s)",
				     u_errorName(st));
	if (!(nz->cache = calloc(1, sizeof(*nz->cache))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	return HX_OK;
}

/*
 * Insert every term's key into automaton k and gather the terms of each
 * key into groups. next[] chains the members of a group while building;
 * members[k] lists them group by group afterwards.
 */
static int build(hx_termmatch *m, int k, const units *keys, hx_error *err)
{
	automaton *a = k ? &m->stemmed : &m->plain;
	size_t *next = NULL, *head = NULL, *tail = NULL, ng = 0, ch = 0, ct = 0;
	size_t at = 0;
	int rc = HX_OK;

	if (!(next = malloc((m->nterms + 1) * sizeof(*next))) ||
	    !(m->members[k] = malloc((m->nterms + 1) * sizeof(size_t))))
		goto nomem;
	for (size_t t = 0; t < m->nterms; t++) {
		uint32_t node;
		next[t] = SIZE_MAX;
		if (!keys[t].n)
			continue;
		if (insert(a, keys[t].u, keys[t].n, &node) < 0)
			goto nomem;
		if (a->nodes[node].out >= 0) {
			size_t g = (size_t)a->nodes[node].out;
			next[tail[g]] = t;
			tail[g] = t;
			continue;
		}
		if (ng >= INT32_MAX ||
		    hx__grow((void **)&head, &ch, ng + 1, sizeof(*head)) < 0 ||
		    hx__grow((void **)&tail, &ct, ng + 1, sizeof(*tail)) < 0)
			goto nomem;
		head[ng] = tail[ng] = t;
		a->nodes[node].out = (int32_t)ng++;
	}
	if (!(m->groups[k] = malloc((ng + 1) * sizeof(group))))
		goto nomem;
	for (size_t g = 0; g < ng; g++) {
		m->groups[k][g].first = at;
		for (size_t t = head[g]; t != SIZE_MAX; t = next[t])
			m->members[k][at++] = t;
		m->groups[k][g].n = at - m->groups[k][g].first;
	}
	m->ngroups[k] = ng;
	if (link(a) < 0)
		goto nomem;
	goto done;
nomem:
	rc = hx__error_set(err, HX_ENOMEM, "out of memory");
done:
	free(next);
	free(head);
	free(tail);
	return rc;
}

/* Normalise every term and build the automata. */
static int compile(hx_termmatch *m, hx_error *err)
{
	units *skeys = NULL;
	units *pkeys = NULL;
	stem_cache cache = {NULL, 0, 0};
	int rc;

	if ((rc = norm_init(&m->norm, err)) < 0)
		return rc;
	if (!(pkeys = calloc(m->nterms + 1, sizeof(*pkeys))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (size_t t = 0; t < m->nterms; t++) {
		term_info *ti = &m->terms[t];
		if (normalise(&m->norm, ti->text, ti->len, &ti->u) < 0) {
			rc = hx__error_set(err, HX_ENOMEM, "out of memory");
			goto done;
		}
		pkeys[t] = ti->u;
	}
	if ((rc = build(m, 0, pkeys, err)) < 0 || !m->opts.stem)
		goto done;
	if (!(skeys = calloc(m->nterms + 1, sizeof(*skeys)))) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t t = 0; t < m->nterms; t++)
		if ((rc = stem_units(m, &m->norm, &cache, m->terms[t].text,
				     &m->terms[t].u, &skeys[t], err)) < 0)
			goto done;
	rc = build(m, 1, skeys, err);
done:
	if (skeys)
		for (size_t t = 0; t < m->nterms; t++)
			free(skeys[t].u);
	free(skeys);
	free(pkeys); /* the units themselves belong to the terms */
	stem_cache_free(&cache);
	return rc;
}

int hx_termmatch_new(hx_termmatch **out, const hx_termbase *tb,
		     const char *lang, const hx_termmatch_options *opts,
		     hx_error *err)
{
	hx_termmatch *m;
	size_t n, k = 0;
	char want[32];
	int rc;

	assert(out && tb && lang);
	*out = NULL;
	if ((rc = hx_termbase_require_lang(tb, lang, err)) < 0)
		return rc;
	n = hx_termbase_count(tb);
	if (!(m = calloc(1, sizeof(*m))) ||
	    !(m->terms = calloc(n + 1, sizeof(*m->terms)))) {
		free(m);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	if (opts)
		m->opts = *opts;
	hx_tm_lang_norm(want, sizeof(want), lang);
	for (size_t i = 0; i < n; i++) {
		const hx_term *t = hx_termbase_term(tb, i);
		/* Term languages are normalised already. */
		if (strcmp(want, t->lang))
			continue;
		m->terms[k].text = t->text;
		m->terms[k].len = t->len;
		m->terms[k].index = i;
		k++;
	}
	m->nterms = k;
	if ((rc = compile(m, err)) < 0) {
		hx_termmatch_free(m);
		return rc;
	}
	*out = m;
	return HX_OK;
}

int hx_termmatch_new_strings(hx_termmatch **out, const char *const *terms,
			     size_t n, const hx_termmatch_options *opts,
			     hx_error *err)
{
	hx_termmatch *m;
	size_t bad;
	int rc;

	assert(out && (terms || !n));
	*out = NULL;
	if (!(m = calloc(1, sizeof(*m))) ||
	    !(m->terms = calloc(n + 1, sizeof(*m->terms))) ||
	    !(m->owned = calloc(n + 1, sizeof(*m->owned)))) {
		if (m)
			free(m->terms);
		free(m);
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	if (opts)
		m->opts = *opts;
	for (size_t i = 0; i < n; i++, m->nterms++) {
		size_t len = strlen(terms[i]);
		if (!hx__utf8_valid(terms[i], len, &bad)) {
			rc = hx__error_set(
			    err, HX_EINVAL,
			    "term %zu: invalid UTF-8 at byte %zu", i + 1, bad);
			goto fail;
		}
		if (!(m->owned[i] = malloc(len + 1))) {
			rc = hx__error_set(err, HX_ENOMEM, "out of memory");
			goto fail;
		}
		memcpy(m->owned[i], terms[i], len + 1);
		m->terms[i].text = m->owned[i];
		m->terms[i].len = len;
		m->terms[i].index = i;
	}
	if ((rc = compile(m, err)) < 0)
		goto fail;
	*out = m;
	return HX_OK;
fail:
	hx_termmatch_free(m);
	return rc;
}

size_t hx_termmatch_count(const hx_termmatch *m)
{
	assert(m);
	return m->nterms;
}

/* ---- matching ----------------------------------------------------------- */

/* What lies between two units: the bytes of s from a's end to b's start. */
static void gap_bytes(const char *s, const unit *a, const unit *b,
		      const char **p, size_t *n)
{
	*p = s + a->end;
	*n = b->start > a->end ? b->start - a->end : 0;
}

/* The next code point of a gap that is not ignorable, or 0 at its end. */
static uint32_t gap_next(const char *p, size_t n, size_t *i)
{
	while (*i < n) {
		uint32_t c = hx__utf8_next(p, n, i);
		if (!ignorable(c))
			return c;
	}
	return 0;
}

/* Two gaps alike once ignorables are left out (they count apart). */
static bool gap_same(const char *pa, size_t na, const char *pb, size_t nb)
{
	size_t i = 0, j = 0;
	uint32_t a, b;

	do {
		a = gap_next(pa, na, &i);
		b = gap_next(pb, nb, &j);
	} while (a && a == b);
	return a == b;
}

/* How the surface units (of text) differ from the term's units; both are
 * the same key, unit for unit. */
static unsigned differences(const normaliser *nz, const char *text,
			    const unit *s, const term_info *t)
{
	const unit *u = t->u.u;
	unsigned d = 0;

	for (size_t k = 0; k < t->u.n; k++) {
		const unit *a = &s[k], *b = &u[k];
		if (k > 0 && (a->head || b->head)) {
			unsigned sa = a->gap & (G_SPACE | G_DASH);
			unsigned sb = b->gap & (G_SPACE | G_DASH);
			const char *pa, *pb;
			size_t na, nb;
			gap_bytes(text, &s[k - 1], a, &pa, &na);
			gap_bytes(t->text, &u[k - 1], b, &pb, &nb);
			if (!sa != !sb || (sa & G_DASH) != (sb & G_DASH))
				d |= HX_TERM_DIFF_JOIN;
			else if (sa && !gap_same(pa, na, pb, nb))
				d |= (sa & G_SPACE) != (sb & G_SPACE) ||
					     !(sa & G_DASH)
					 ? HX_TERM_DIFF_SPACE
					 : HX_TERM_DIFF_DASH;
			if ((a->gap | b->gap) & G_IGNORABLE &&
			    (a->gap & G_IGNORABLE) != (b->gap & G_IGNORABLE))
				d |= HX_TERM_DIFF_IGNORABLE;
		}
		if (a->head != b->head) {
			d |= HX_TERM_DIFF_CASE;
		} else if (a->head && a->raw != b->raw) {
			uint32_t wa = width_fold(nz, a->raw);
			uint32_t wb = width_fold(nz, b->raw);
			if (wa != a->raw || wb != b->raw)
				d |= HX_TERM_DIFF_WIDTH;
			if (wa != wb)
				d |= HX_TERM_DIFF_CASE;
		}
	}
	return d;
}

typedef struct cand {
	size_t start, end;
	size_t term; /* index into m->terms */
	unsigned diff;
	bool stemmed;
} cand;

typedef struct cands {
	cand *c;
	size_t n, cap;
} cands;

static int popcount(unsigned x)
{
	int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/* Run automaton k over us, adding the whole-word hits to out. */
static int scan(const hx_termmatch *m, normaliser *nz, int k, const char *text,
		size_t len, const units *us, cands *out)
{
	const automaton *a = k ? &m->stemmed : &m->plain;
	uint32_t s = 0;

	if (!a->nnodes)
		return HX_OK;
	for (size_t i = 0; i < us->n; i++) {
		uint32_t c = us->u[i].cp, g;
		for (;;) {
			if ((g = go(a, s, c))) {
				s = g;
				break;
			}
			if (!s)
				break;
			s = a->nodes[s].fail;
		}
		for (uint32_t t = a->nodes[s].out >= 0 ? s : a->nodes[s].dict;
		     t; t = a->nodes[t].dict) {
			size_t first = i + 1 - a->nodes[t].depth;
			const unit *u0 = &us->u[first];
			const group *gr = &m->groups[k][a->nodes[t].out];
			cand cd;
			if (!u0->head || (i + 1 < us->n && !us->u[i + 1].head &&
					  us->u[i + 1].start == us->u[i].start))
				continue; /* inside one character's folding */
			cd.start = u0->start;
			cd.end = us->u[i].end;
			if (!whole_word(text, len, cd.start, cd.end))
				continue;
			cd.stemmed = k == 1;
			cd.term = m->members[k][gr->first];
			cd.diff = HX_TERM_DIFF_INFLECTION;
			if (!cd.stemmed) {
				int best = 99;
				for (size_t x = 0; x < gr->n; x++) {
					size_t ti =
					    m->members[k][gr->first + x];
					unsigned d = differences(nz, text, u0,
								 &m->terms[ti]);
					if (popcount(d) < best) {
						best = popcount(d);
						cd.term = ti;
						cd.diff = d;
					}
				}
			}
			if (hx__grow((void **)&out->c, &out->cap, out->n + 1,
				     sizeof(cand)) < 0)
				return HX_ENOMEM;
			out->c[out->n++] = cd;
		}
	}
	return HX_OK;
}

/* Longest first, then leftmost, then found without the stemmer. */
static int by_length(const void *x, const void *y)
{
	const cand *a = x, *b = y;
	size_t la = a->end - a->start, lb = b->end - b->start;

	if (la != lb)
		return la > lb ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->stemmed != b->stemmed)
		return a->stemmed ? 1 : -1;
	return a->term < b->term ? -1 : a->term > b->term;
}

static int by_position(const void *x, const void *y)
{
	const hx_term_hit *a = x, *b = y;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end > b->end ? -1 : 1;
	return a->term < b->term ? -1 : a->term > b->term;
}

/* Keep the longest of overlapping hits (all of them with ALL, but one
 * per span and term). */
static int select_hits(const hx_termmatch *m, cands *cs, size_t len,
		       hx_term_hit **hits, size_t *n)
{
	unsigned char *taken = NULL;
	hx_term_hit *h;
	size_t k = 0;

	if (!cs->n)
		return HX_OK;
	qsort(cs->c, cs->n, sizeof(cand), by_length);
	if (!(h = malloc(cs->n * sizeof(*h))))
		return HX_ENOMEM;
	if (!(m->opts.flags & HX_TERMMATCH_ALL) &&
	    !(taken = calloc(len / 8 + 1, 1))) {
		free(h);
		return HX_ENOMEM;
	}
	for (size_t i = 0; i < cs->n; i++) {
		const cand *c = &cs->c[i];
		bool free_span = true;
		if (taken) {
			for (size_t b = c->start; b < c->end && free_span; b++)
				free_span = !(taken[b / 8] & 1u << (b % 8));
			if (!free_span)
				continue;
			for (size_t b = c->start; b < c->end; b++)
				taken[b / 8] |= (unsigned char)(1u << (b % 8));
		} else if (i > 0 && c->start == cs->c[i - 1].start &&
			   c->end == cs->c[i - 1].end &&
			   m->terms[c->term].index ==
			       m->terms[cs->c[i - 1].term].index) {
			continue;
		}
		h[k].start = c->start;
		h[k].end = c->end;
		h[k].term = m->terms[c->term].index;
		h[k].diff = c->diff;
		k++;
	}
	free(taken);
	qsort(h, k, sizeof(*h), by_position);
	*hits = h;
	*n = k;
	return HX_OK;
}

int hx_termmatch_run(hx_term_hit **hits, size_t *n, const hx_termmatch *m,
		     const char *text, size_t len, hx_error *err)
{
	units us = {NULL, 0, 0}, ss = {NULL, 0, 0};
	cands cs = {NULL, 0, 0};
	stem_cache cache = {NULL, 0, 0};
	normaliser nz;
	size_t bad;
	int rc;

	assert(hits && n && m && (text || !len));
	*hits = NULL;
	*n = 0;
	if (len > UINT32_MAX)
		return hx__error_set(err, HX_EINVAL,
				     "text of %zu bytes: the matcher takes at "
				     "most 4 GiB at a time",
				     len);
	if (!hx__utf8_valid(text, len, &bad))
		return hx__error_set(err, HX_EINVAL,
				     "invalid UTF-8 at byte %zu of the text",
				     bad);
	/* The matcher's own cache is shared state; a run has its own, so
	 * runs on one matcher may go on in several threads. */
	nz = m->norm;
	if (!(nz.cache = malloc(sizeof(*nz.cache))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	memcpy(nz.cache, m->norm.cache, sizeof(*nz.cache));
	rc = normalise(&nz, text, len, &us);
	if (rc == HX_OK)
		rc = scan(m, &nz, 0, text, len, &us, &cs);
	if (rc == HX_OK && m->opts.stem && m->stemmed.nnodes) {
		rc = stem_units(m, &nz, &cache, text, &us, &ss, err);
		if (rc == HX_OK)
			rc = scan(m, &nz, 1, text, len, &ss, &cs);
		else
			goto done; /* err is set */
	}
	if (rc == HX_OK)
		rc = select_hits(m, &cs, len, hits, n);
	if (rc == HX_ENOMEM)
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
done:
	free(us.u);
	free(ss.u);
	free(cs.c);
	free(nz.cache);
	stem_cache_free(&cache);
	return rc;
}

void hx_term_hits_free(hx_term_hit *hits)
{
	free(hits);
}
