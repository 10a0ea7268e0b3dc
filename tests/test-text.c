/*
 * test-text.c - UTF-8/UTF-16 helpers, NFC, label recognition and language
 * detection.
 */
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "../src/lib/read-private.h"
#include "../src/lib/text.h"
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
	return done_testing();
}
