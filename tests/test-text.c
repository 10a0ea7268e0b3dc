/*
 * test-text.c - UTF-8/UTF-16 helpers, NFC, label recognition and language
 * detection.
 */
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "../src/lib/read/read-private.h"
#include "../src/lib/base/text.h"
#include "tap.h"

static void label(const char *s, const char *want_label, const char *want_text)
{
	size_t ll, off;
	char got[64];

	hx__label_split(s, strlen(s), &ll, &off);
	memcpy(got, s, ll);
	got[ll] = '\0';
	is_str(got, want_label, "label of '%s'", s);
	is_str(s + off, want_text, "text after label of '%s'", s);
}

int main(void)
{
	size_t bad = 0, n;
	char *out;

	ok(hx__utf8_valid("abc 中文 ع", strlen("abc 中文 ع"), &bad), "valid");
	ok(!hx__utf8_valid("ab\xc0\xaf", 4, &bad) && bad == 2, "overlong /");
	ok(!hx__utf8_valid("a\xed\xa0\x80", 4, &bad) && bad == 1, "surrogate");
	ok(!hx__utf8_valid("abc\xe4\xb8", 5, &bad) && bad == 3, "truncated");
	ok(!hx__utf8_valid("\xf4\x90\x80\x80", 4, &bad) && bad == 0,
	   "past U+10FFFF");

	/* e + combining acute -> é (U+00E9) */
	ok(hx__nfc(&out, &n, "Re\xcc\x81sum", 7) == 0, "nfc ok");
	is_str(out, "R\xc3\xa9sum", "nfc composes");
	free(out);

	/* The quick test says yes only for text NFC leaves alone. */
	{
		static const char *const yes[] = {
		    "理事会通过了第179号决议。", "Совет принял резолюцию.",
		    "اعتمد المجلس القرار.", "Résumé à l'Assemblée", ""};
		static const char *const no[] = {
		    "e\xcc\x81",		/* a mark to compose */
		    "\xe1\x84\x80\xe1\x85\xa1", /* Hangul L V: composes */
		    "\xef\xac\x80\xcc\x81",	/* ff ligature, then a mark */
		    "a\xf0\x9f\x98\x80", /* outside the BMP: ICU decides */
		    "a\xc3",		 /* truncated */
		    "\xed\xa0\x80",	 /* a surrogate */
		    "\xe2\x84\xab", /* U+212B ANGSTROM SIGN: NFC is U+00C5 */
		};
		for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
			ok(hx__nfc_quick(yes[i], strlen(yes[i])),
			   "quick NFC yes: %s", yes[i]);
			ok(hx__nfc(&out, &n, yes[i], strlen(yes[i])) == 0 &&
			       !strcmp(out, yes[i]),
			   "and NFC agrees");
			free(out);
		}
		for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
			ok(!hx__nfc_quick(no[i], strlen(no[i])),
			   "quick NFC no: case %zu", i);
		/* Every BMP character the test passes is its own NFC. */
		size_t bad_cp = 0, passed = 0;
		for (uint32_t c = 0x80; c < 0x10000; c++) {
			char b[4];
			size_t k = hx__utf8_put(b, c);
			if ((c >= 0xD800 && c < 0xE000) || !hx__nfc_quick(b, k))
				continue;
			passed++;
			if (hx__nfc(&out, &n, b, k) != 0 || n != k ||
			    memcmp(out, b, k))
				bad_cp++;
			free(out);
		}
		ok(passed > 50000 && bad_cp == 0,
		   "%zu BMP characters pass the quick test, %zu of them "
		   "change under NFC",
		   passed, bad_cp);
	}

	{
		const unsigned char le[] = {'H',  0,	0x2d, 0x4e,
					    0x3d, 0xd8, 0x00, 0xde};
		ok(hx__utf16_to_utf8(&out, &n, le, sizeof(le), false, &bad) ==
		       0,
		   "utf16le");
		is_str(out, "H中\xf0\x9f\x98\x80", "utf16le with a pair");
		free(out);
		ok(hx__utf16_to_utf8(&out, &n, le, 4, true, &bad) == 0,
		   "utf16be decodes other bytes");
		free(out);
		ok(hx__utf16_to_utf8(&out, &n, le, 6, false, &bad) ==
			   HX_EFORMAT &&
		       bad == 4,
		   "lone high surrogate at 4");
	}

	label("1.1\tThe Council", "1.1", "The Council");
	label("1\tIntroduction", "1", "Introduction");
	label("a)\tfirst item", "a)", "first item");
	label("(iii)\tthird", "(iii)", "third");
	label("–\tbullet", "–", "bullet");
	label("•\tbullet", "•", "bullet");
	label("一\t引言", "一", "引言");
	label("十二、\t标题", "十二、", "标题");
	label("\tno label", "", "no label");
	label("1.5 million people\tare", "", "1.5 million people\tare");
	label("Report\tof the", "", "Report\tof the");
	label("abc)\tnot roman", "", "abc)\tnot roman");

	is_str(hx_lang_detect("The Council took note of the report.", 36), "en",
	       "english");
	is_str(hx_lang_detect("Le Conseil a pris note du rapport et des "
			      "recommandations.",
			      57),
	       "fr", "french");
	is_str(hx_lang_detect("El Consejo tomó nota del informe y de las "
			      "recomendaciones.",
			      59),
	       "es", "spanish");
	{
		const char *zh = "理事会保护上网儿童工作组（CWG-COP）的报告";
		const char *ar = "يولد جميع الناس أحرارا متساوين في الكرامة";
		const char *ru = "Все люди рождаются свободными и равными";
		is_str(hx_lang_detect(zh, strlen(zh)), "zh",
		       "chinese with "
		       "latin acronym");
		is_str(hx_lang_detect(ar, strlen(ar)), "ar", "arabic");
		is_str(hx_lang_detect(ru, strlen(ru)), "ru", "russian");
	}
	ok(hx_lang_detect("1.1 2024", 8) == NULL, "no letters, no language");

	/* The code the checks normalise and the tag align writes differ
	 * in separators and subtag counts only. */
	{
		static const struct {
			const char *s;
			bool code, tag;
		} langs[] = {
		    {"en", true, true},	     {"zh-Hans", true, true},
		    {"en_GB", true, false},  {"zh-Hant-TW", false, true},
		    {"en-a", false, true},   {"en-", false, false},
		    {"en--x", false, false}, {"english", false, false},
		    {"EN", false, false},    {"en-abcdefghi", false, false},
		    {"es-419", true, true},
		};
		for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
			ok(hx_lang_code_valid(langs[i].s) == langs[i].code,
			   "code '%s'", langs[i].s);
			ok(hx_lang_tag_valid(langs[i].s) == langs[i].tag,
			   "tag '%s'", langs[i].s);
		}
	}
	return done_testing();
}
