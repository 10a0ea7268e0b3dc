/*
 * terms-ngram.c - the words the term miner counts: a segment cut into the
 * memory's own tokens (match.c, UAX #29 word boundaries), hyphenated
 * words joined, punctuation, numbers and inline codes kept as breaks no
 * n-gram crosses; each word keyed so that its forms count as one. Also
 * the stop words that may not open or close a term. Not a tokeniser of
 * its own: the boundaries are the ones look-ups and the index use.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "align/lexicon.h"
#include "base/error-private.h"
#include "base/grow.h"
#include "base/text.h"
#include "terms/terms-private.h"
#include "tm/match-private.h"

/* FNV-1a, 64 bits (Fowler, Noll and Vo; draft-eastlake-fnv). */
uint64_t hx__thash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h ? h : 1;
}

/* "-" or U+2011 NON-BREAKING HYPHEN, which UN texts write in names. */
static bool is_hyphen(const char *s, size_t a, size_t b)
{
	return (b - a == 1 && s[a] == '-') ||
	       (b - a == 3 && !memcmp(s + a, "\xe2\x80\x91", 3));
}

/* The key of text[s, e): each part of a hyphenated word keyed on its
 * own, so that the light stem of "государства-члены" is not the stem of
 * "государства" alone. */
static uint64_t word_key(const char *lang, const char *text, size_t s, size_t e)
{
	uint64_t h = 0;
	size_t a = s;
	for (size_t i = s; i <= e; i++) {
		bool cut = i == e;
		size_t hl = 0;
		if (!cut && text[i] == '-')
			cut = true, hl = 1;
		else if (!cut && e - i >= 3 &&
			 !memcmp(text + i, "\xe2\x80\x91", 3))
			cut = true, hl = 3;
		if (!cut)
			continue;
		char buf[256];
		size_t kl =
		    hx__word_key(buf, sizeof(buf), lang, text + a, i - a);
		if (kl)
			h = h ? hx__tmix(h, hx__thash(buf, kl))
			      : hx__thash(buf, kl);
		a = i + hl;
		if (hl)
			i += hl - 1;
	}
	return h;
}

/* French elision: "l'Assemblée" is the article and "Assemblée", so that
 * "l'Assemblée générale" and "Assemblée générale" count as one n-gram
 * (the article a word of its own, a stop word at the edges). */
static int split_elisions(struct hx__tword **w, size_t *n, size_t *cap,
			  const char *text, bool stem)
{
	for (size_t i = 0; i < *n; i++) {
		struct hx__tword t = (*w)[i];
		size_t j = t.start, q = 0;
		if (!t.key)
			continue;
		while (j < t.end && j - t.start < 3 &&
		       ((text[j] >= 'a' && text[j] <= 'z') ||
			(text[j] >= 'A' && text[j] <= 'Z')))
			j++;
		if (j > t.start && j < t.end && text[j] == '\'')
			q = 1;
		else if (j > t.start && t.end - j > 3 &&
			 !memcmp(text + j, "\xe2\x80\x99", 3))
			q = 3;
		if (!q || j + q >= t.end)
			continue;
		if (hx__grow((void **)w, cap, *n + 1, sizeof(**w)) < 0)
			return HX_ENOMEM;
		memmove(*w + i + 1, *w + i, (*n - i) * sizeof(**w));
		(*n)++;
		(*w)[i].end = (uint32_t)(j + q);
		(*w)[i].key = word_key("und", text, t.start, j + q);
		(*w)[i + 1].start = (uint32_t)(j + q);
		(*w)[i + 1].key =
		    word_key(stem ? "fr" : "und", text, j + q, t.end);
		i++;
	}
	return HX_OK;
}

int hx__twords(struct hx__tword **w, size_t *n, size_t *cap, hx_match_seg **seg,
	       const char *lang, const char *text, size_t len, bool stem,
	       hx_error *err)
{
	size_t nt, k = 0;
	int rc;

	*n = 0;
	if ((rc = hx__match_seg_reuse(seg, text, len, err)) < 0)
		return rc;
	nt = hx_match_seg_count(*seg);
	if (hx__grow((void **)w, cap, nt + 1, sizeof(**w)) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (size_t i = 0; i < nt; i++) {
		size_t s, e;
		unsigned fl;
		hx__match_seg_token(*seg, i, &s, &e, &fl);
		if (fl & HX__TOK_PUNCT) {
			/* A hyphen touching a word on both sides joins them:
			 * the next word is appended to this one below. */
			if (k && (*w)[k - 1].key && (*w)[k - 1].end == s &&
			    is_hyphen(text, s, e) && i + 1 < nt) {
				size_t s2, e2;
				unsigned f2;
				hx__match_seg_token(*seg, i + 1, &s2, &e2, &f2);
				if (s2 == e && !f2) {
					(*w)[k - 1].end = (uint32_t)e2;
					(*w)[k - 1].key = 2; /* keyed below */
					i++;
					continue;
				}
			}
			(*w)[k++] =
			    (struct hx__tword){(uint32_t)s, (uint32_t)e, 0};
			continue;
		}
		(*w)[k++] =
		    (struct hx__tword){(uint32_t)s, (uint32_t)e, fl ? 0 : 2};
	}
	for (size_t i = 0; i < k; i++) {
		struct hx__tword *t = &(*w)[i];
		if (t->key)
			t->key = word_key(stem ? lang : "und", text, t->start,
					  t->end);
	}
	if (!strcmp(lang, "fr") &&
	    (rc = split_elisions(w, &k, cap, text, stem)) < 0)
		return hx__error_set(err, rc, "out of memory");
	*n = k;
	return HX_OK;
}

/* Written for hexalign (Apache-2.0, like the code): English function
 * words, and the verbs, adverbs and determiners of council documents
 * that make "also requests" or "such measures" look like terms. Sorted
 * for bsearch. The second list is what may stand inside a term: "Council
 * Working Group on Child Online Protection", "freedom of expression". */
static const char *const en_stop[] = {
    "a",	"about",      "above",	 "according", "across",
    "after",	"again",      "against", "all",	      "almost",
    "along",	"already",    "also",	 "although",  "always",
    "am",	"among",      "an",	 "and",	      "another",
    "any",	"are",	      "around",	 "as",	      "at",
    "be",	"became",     "because", "become",    "been",
    "before",	"being",      "below",	 "between",   "both",
    "but",	"by",	      "can",	 "could",     "did",
    "do",	"does",	      "doing",	 "done",      "down",
    "due",	"during",     "each",	 "either",    "else",
    "etc",	"even",	      "ever",	 "every",     "few",
    "for",	"from",	      "further", "had",	      "has",
    "have",	"having",     "he",	 "her",	      "here",
    "hers",	"him",	      "his",	 "how",	      "however",
    "i",	"if",	      "in",	 "including", "into",
    "is",	"it",	      "its",	 "itself",    "just",
    "least",	"less",	      "made",	 "make",      "many",
    "may",	"me",	      "might",	 "more",      "most",
    "much",	"must",	      "my",	 "namely",    "near",
    "neither",	"no",	      "nor",	 "not",	      "now",
    "of",	"off",	      "often",	 "on",	      "once",
    "one",	"only",	      "onto",	 "or",	      "other",
    "others",	"otherwise",  "our",	 "ours",      "out",
    "over",	"own",	      "per",	 "rather",    "regarding",
    "same",	"several",    "shall",	 "she",	      "should",
    "since",	"so",	      "some",	 "still",     "such",
    "than",	"that",	      "the",	 "their",     "theirs",
    "them",	"themselves", "then",	 "there",     "therefore",
    "these",	"they",	      "this",	 "those",     "though",
    "through",	"throughout", "thus",	 "to",	      "too",
    "toward",	"towards",    "under",	 "unless",    "until",
    "up",	"upon",	      "us",	 "very",      "via",
    "was",	"we",	      "well",	 "were",      "what",
    "whatever", "when",	      "where",	 "whereas",   "whether",
    "which",	"while",      "who",	 "whom",      "whose",
    "why",	"will",	      "with",	 "within",    "without",
    "would",	"yet",	      "you",	 "your",
};
static const char *const en_inner[] = {"and", "for", "in", "of",
				       "on",  "the", "to"};

static int cmp_word(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

bool hx__en_stop(const char *w, size_t len, bool *inner)
{
	char buf[32];
	*inner = false;
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, w, len);
	buf[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] = (char)(buf[i] - 'A' + 'a');
	if (!bsearch(buf, en_stop, sizeof(en_stop) / sizeof(*en_stop),
		     sizeof(*en_stop), cmp_word))
		return false;
	*inner = bsearch(buf, en_inner, sizeof(en_inner) / sizeof(*en_inner),
			 sizeof(*en_inner), cmp_word) != NULL;
	return true;
}

/* Articles, prepositions and conjunctions that a translation does not
 * start or end with ("de sécurité", "Consejo de"), one short list per
 * language, written for hexalign. Arabic prepositions stand alone here;
 * the proclitics are split by the key (lexicon.c). */
static const char *const tgt_stop[][32] = {
    {"fr",   "le",  "la",  "les",  "l'",  "d'",	 "l’", "d’", "de",
     "des",  "du",  "et",  "à",	   "au",  "aux", "en", "un", "une",
     "pour", "par", "sur", "dans", "que", "qui", NULL},
    {"es", "el",  "la",	  "los", "las", "de",  "del",	"y", "a", "al", "en",
     "un", "una", "para", "por", "con", "que", "sobre", "e", "o", NULL},
    {"ru", "и", "в", "на", "с", "по", "для", "о", "об", "к", "из", "от", "что",
     "а", "не", "за", NULL},
    {"ar", "في", "من", "على", "إلى", "عن", "أن", "و", "أو", "التي", "الذي",
     "ما", "مع", NULL},
};

bool hx__tgt_stop(const char *lang, const char *w, size_t len)
{
	for (size_t i = 0; i < sizeof(tgt_stop) / sizeof(*tgt_stop); i++) {
		if (strcmp(tgt_stop[i][0], lang))
			continue;
		for (size_t j = 1; tgt_stop[i][j]; j++) {
			const char *s = tgt_stop[i][j];
			size_t sl = strlen(s);
			if (len == sl && !strncasecmp(w, s, sl))
				return true;
		}
	}
	return false;
}
