/*
 * lang.c - which of the six UN languages a text is in. Script decides for
 * Chinese, Arabic and Russian; for Latin script, counts of frequent
 * function words decide between English, French and Spanish. It is meant
 * for whole paragraphs of official text, not for single words, and does
 * not try to recognise languages outside the six.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <hexalign/doc.h>
#include <hexalign/tm.h>

#include "base/text.h"

/* Function words that are frequent in one language and rare in the other
 * two (closed-class words from the UN texts themselves; words shared by
 * two of the languages, such as "de" or "la" in fr/es, are left out). */
static const char *const en_words[] = {
    "the",   "of",    "and", "to",   "in",   "is",    "that",
    "for",   "with",  "be",  "on",   "by",   "this",  "are",
    "which", "shall", "has", "have", "its",  "from",  "or",
    "an",    "as",    "at",  "was",  "were", "their", NULL};
static const char *const fr_words[] = {
    "le",  "les", "des",   "du",  "et",	  "est", "une",	 "dans", "pour",
    "qui", "sur", "au",	   "aux", "avec", "ses", "leur", "sont", "être",
    "ou",  "ce",  "cette", "il",  "par",  "pas", "ne",	 NULL};
static const char *const es_words[] = {
    "el",  "los", "las", "del",	 "y",	 "es",	 "una",	 "en", "para",
    "que", "por", "con", "su",	 "sus",	 "al",	 "como", "o",  "se",
    "lo",  "ha",  "han", "este", "esta", "toda", "sin",	 NULL};

static bool in_list(const char *const *list, const char *w)
{
	for (; *list; list++)
		if (strcmp(*list, w) == 0)
			return true;
	return false;
}

const char *hx_lang_detect(const char *text, size_t len)
{
	size_t han = 0, arab = 0, cyr = 0, latin = 0, i = 0;
	int en = 0, fr = 0, es = 0;
	char word[32];
	size_t wlen = 0;
	bool word_ok = true;

	while (i <= len) {
		uint32_t c = i < len ? hx__utf8_next(text, len, &i) : ' ';
		UErrorCode st = U_ZERO_ERROR;
		UScriptCode sc;

		if (i >= len && c == ' ')
			i++;
		if (u_isalpha((UChar32)c)) {
			sc = uscript_getScript((UChar32)c, &st);
			if (sc == USCRIPT_HAN)
				han++;
			else if (sc == USCRIPT_ARABIC)
				arab++;
			else if (sc == USCRIPT_CYRILLIC)
				cyr++;
			else if (sc == USCRIPT_LATIN)
				latin++;
			if (wlen + 4 < sizeof(word))
				wlen += hx__utf8_put(
				    word + wlen,
				    (uint32_t)u_tolower((UChar32)c));
			else
				word_ok = false;
			continue;
		}
		if (wlen && word_ok) {
			word[wlen] = '\0';
			en += in_list(en_words, word);
			fr += in_list(fr_words, word);
			es += in_list(es_words, word);
		}
		wlen = 0;
		word_ok = true;
	}
	/* Chinese text quotes Latin acronyms (CWG-COP, ITU) and Arabic or
	 * Russian text may too, so a non-Latin script wins once it is a
	 * fair share of the letters, not only when it is the majority. */
	if (han && han * 4 >= latin)
		return "zh";
	if (arab && arab * 2 >= latin)
		return "ar";
	if (cyr && cyr * 2 >= latin)
		return "ru";
	if (!latin)
		return han ? "zh" : arab ? "ar" : cyr ? "ru" : NULL;
	if (fr > en && fr >= es)
		return "fr";
	if (es > en && es > fr)
		return "es";
	return "en";
}

const char *hx_doc_detect_lang(const hx_doc *doc)
{
	/* Enough text to be sure without reading a whole report. */
	enum { SAMPLE = 16384 };
	char buf[SAMPLE];
	size_t n = 0;

	for (size_t i = 0; i < hx_doc_count(doc) && n < SAMPLE - 1; i++) {
		const hx_block *b = hx_doc_get_block(doc, i);
		size_t take = b->text_len;
		if (take > SAMPLE - 1 - n) {
			/* Do not cut a UTF-8 sequence in two. */
			take = SAMPLE - 1 - n;
			while (take &&
			       ((unsigned char)b->text[take] & 0xC0) == 0x80)
				take--;
		}
		memcpy(buf + n, b->text, take);
		n += take;
		if (n < SAMPLE - 1)
			buf[n++] = ' ';
	}
	return hx_lang_detect(buf, n);
}

/* Language codes as the memory, the term bases and the checks compare
 * them (hx_tm_lang_norm in tm.h says how). */
const char *hx_tm_lang_norm(char *buf, size_t size, const char *lang)
{
	char low[64];
	size_t n = 0;

	for (; lang[n] && n + 1 < sizeof(low); n++)
		low[n] = (char)(lang[n] >= 'A' && lang[n] <= 'Z'
				    ? lang[n] - 'A' + 'a'
				: lang[n] == '_' ? '-'
						 : lang[n]);
	low[n] = '\0';
	size_t p = strcspn(low, "-");
	if (p == 2 && !strncmp(low, "zh", 2)) {
		const char *rest = low + 2;
		/* Traditional Chinese is another written language for a
		 * memory: Hant script, or the regions that write it. */
		if (strstr(rest, "-hant") || !strcmp(rest, "-tw") ||
		    !strcmp(rest, "-hk") || !strcmp(rest, "-mo")) {
			snprintf(buf, size, "zh-Hant");
			return buf;
		}
	}
	snprintf(buf, size, "%.*s", (int)(p < 8 ? p : 8), low);
	return buf;
}

/* A 2-3 letter language, then at most max_subtags subtags of min_len to 8
 * letters or digits, each after one of seps. The two public checks below
 * differ only in these three numbers, so they share one reading. */
static bool lang_shape(const char *s, const char *seps, size_t min_len,
		       size_t max_subtags)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz");
	if (n < 2 || n > 3)
		return false;
	for (size_t k = 0; s[n]; k++) {
		if (k == max_subtags || !strchr(seps, s[n]))
			return false;
		size_t m = strspn(s + n + 1, "abcdefghijklmnopqrstuvwxyz"
					     "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					     "0123456789");
		if (m < min_len || m > 8)
			return false;
		n += 1 + m;
	}
	return true;
}

bool hx_lang_code_valid(const char *s)
{
	return lang_shape(s, "-_", 2, 1);
}

bool hx_lang_tag_valid(const char *s)
{
	return lang_shape(s, "-", 1, SIZE_MAX);
}
