/*
 * test-anchor.c - typed anchors: what is found in each of the six
 * languages, that the same value gets the same key everywhere, and that
 * odd input (empty, truncated UTF-8, random bytes) is survived.
 *
 * Some sentences are from the United Nations Parallel Corpus v1.0 dev set
 * (Ziemski, Junczys-Dowmunt, Pouliquen, LREC 2016; see
 * ../shared/data/un-docs/unpc-v1.0-devset/SOURCE.md), with the corpus's
 * disclaimer: The United Nations Parallel Corpus is made available without
 * warranty of any kind, explicit or implied. The United Nations
 * specifically makes no warranties or representations as to the accuracy
 * or completeness of the information contained in the United Nations
 * Corpus. Under no circumstances shall the United Nations be liable for
 * any loss, liability, injury or damage incurred or suffered that is
 * claimed to have resulted from the use of the United Nations Corpus. The
 * use of the United Nations Corpus is at the user's sole risk. The user
 * specifically acknowledges and agrees that the United Nations is not
 * liable for the conduct of any user. If the user is dissatisfied with
 * any of the material provided in the United Nations Corpus, the user's
 * sole and exclusive remedy is to discontinue using the United Nations
 * Corpus. Others are from ITU Council documents (C26/15, CWG-COP
 * reports).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/lib/align/anchor.h"
#include "tap.h"

/* The text in a buffer of exactly len bytes, so that a read past the end
 * is a read past the allocation (caught by ASan and valgrind). */
static char *exact_copy(const char *text, size_t len)
{
	char *t = malloc(len ? len : 1);

	if (t && len)
		memcpy(t, text, len);
	return t;
}

/* Every anchor of text as "type:value" joined by " | ". */
static char *describe_all(const char *lang, const char *text)
{
	size_t len = strlen(text), n = 0, used = 0;
	char *t = exact_copy(text, len), *out = calloc(1, 4096);
	hx__anchor *a = NULL;

	if (!t || !out || hx__anchors_find(&a, &n, lang, t, len) != 0) {
		free(t);
		free(out);
		return NULL;
	}
	for (size_t i = 0; i < n && used < 4000; i++) {
		char buf[256];

		hx__anchor_describe(buf, sizeof(buf), t, &a[i], lang);
		used += (size_t)snprintf(out + used, 4096 - used, "%s%s",
					 i ? " | " : "", buf);
	}
	free(a);
	free(t);
	return out;
}

static void check_as(const char *lang, const char *text, const char *want,
		     const char *name)
{
	char *got = describe_all(lang, text);

	is_str(got, want, "%s: %s", lang, name);
	free(got);
}

static void check(const char *lang, const char *text, const char *want)
{
	check_as(lang, text, want, text);
}

/* The keys of text's anchors, at most max; returns how many. */
static size_t keys(const char *lang, const char *text, uint64_t *k, size_t max)
{
	size_t len = strlen(text), n = 0, m;
	char *t = exact_copy(text, len);
	hx__anchor *a = NULL;

	if (!t || hx__anchors_find(&a, &n, lang, t, len) != 0)
		n = 0;
	m = n < max ? n : max;
	for (size_t i = 0; i < m; i++)
		k[i] = a[i].key;
	free(a);
	free(t);
	return n;
}

/* All texts have exactly one anchor, and it has the same key. */
static void same_key(const char *what, const char *const *pairs, size_t n)
{
	uint64_t first = 0, k;
	bool all = true;

	for (size_t i = 0; i < n; i++) {
		size_t got = keys(pairs[2 * i], pairs[2 * i + 1], &k, 1);

		is_int(got, 1, "%s: one anchor in %s '%s'", what, pairs[2 * i],
		       pairs[2 * i + 1]);
		if (i == 0)
			first = k;
		all &= got == 1 && k == first;
	}
	ok(all, "%s: one key in all %zu texts", what, n);
}

#define SAME_KEY(what, pairs)                                                  \
	same_key(what, pairs, sizeof(pairs) / sizeof(*(pairs)) / 2)

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void test_dates(void)
{
	static const char *const day[] = {
	    "zh", "2024年9月30日",	  "en", "30 September 2024",
	    "fr", "30 septembre 2024",	  "es", "30 de septiembre de 2024",
	    "ru", "30 сентября 2024 г.",  "ar", "30 أيلول/سبتمبر 2024",
	    "ar", "30 سبتمبر 2024",	  "ar", "٣٠ أيلول/سبتمبر ٢٠٢٤",
	    "en", "September 30, 2024",	  "en", "2024-09-30",
	    "zh", "二〇二四年九月三十日", "zh", "２０２４年９月３０日",
	};
	static const char *const month[] = {
	    "zh", "2024年9月",
	    "en", "September 2024",
	    "fr", "septembre 2024",
	    "es", "septiembre de 2024",
	    "ru", "в сентябре 2024 года",
	    "ar", "أيلول/سبتمبر 2024",
	};

	SAME_KEY("30 September 2024", day);
	SAME_KEY("September 2024", month);
	check("en", "30 September 2024", "date:2024-09-30");
	check("ru", "30 сентября 2024 г.", "date:2024-09-30");
	check("zh", "2024年9月", "date:2024-09");
	check("fr", "le 1er janvier 2025", "date:2025-01-01");
	check("en", "on 1 January 2025", "date:2025-01-01");
	check("ar", "29 كانون الثاني/يناير 2015", "date:2015-01-29");
	check("ar", "14 تشرين الأول/أكتوبر 2014", "date:2014-10-14");
	check("ar", "في 2 كانون الأول/ديسمبر 2014", "date:2014-12-02");
	check("ru", "в феврале 2015 года", "date:2015-02");
	check("fr", "en décembre 2014, puis en août 2015",
	      "date:2014-12 | date:2015-08");

	/* a year is a number; a month alone is nothing */
	check("en", "in 2024", "number:2024");
	check("zh", "2024年", "number:2024");
	check("zh", "二〇二四年", "number:2024");
	check("zh", "9月底", "");
	check("en", "in September", "");

	/* without a year, and ranges */
	check("en", "On 29 January, the Council met", "date:--01-29");
	check("zh", "12月24日", "date:--12-24");
	check("en", "from 28 to 30 September 2024",
	      "date:2024-09-28 | date:2024-09-30");
	check("en", "28-30 September 2024",
	      "date:2024-09-28 | date:2024-09-30");
	check("en", "30 September to 2 October 2024",
	      "date:2024-09-30 | date:2024-10-02");
	check("zh", "2024年9月30日至10月2日",
	      "date:2024-09-30 | date:2024-10-02");
	check("zh", "2024年9月28日至30日", "date:2024-09-28 | date:2024-09-30");
	check("zh", "2011年4月6和7日", "date:2011-04-06 | date:2011-04-07");
	check("zh", "从2014年4月至8月", "date:2014-04 | date:2014-08");
	check("ru", "с 28 по 30 сентября 2024 года",
	      "date:2024-09-28 | date:2024-09-30");

	/* UN Parallel Corpus, dev set line 108, six ways */
	check("en",
	      "At the forty-fifth Pacific Islands Forum, held in Koror, "
	      "Palau, from 29 to 31 July 2014, participants agreed to admit "
	      "Tokelau as an associate member.",
	      "date:2014-07-29 | date:2014-07-31");
	check(
	    "zh",
	    "在2014年7月29至31日于帕劳科罗尔举行的第四十五次太平洋岛屿论坛上，"
	    "与会者同意接纳托克劳为联系成员。",
	    "date:2014-07-29 | date:2014-07-31 | number:45");
	check(
	    "ar",
	    "وقد اتفق المشاركون في الدورة الخامسة والأربعين لمنتدى جزر المحيط "
	    "الهادئ الذي عقد في كورور، بالاو، في الفترة من 29 إلى 31 تموز/ "
	    "يوليه 2014، على قبول توكيلاو كعضو منتسب.",
	    "date:2014-07-29 | date:2014-07-31");
	check("fr",
	      "Lors du quarante-cinquième Forum des îles du Pacifique, qui "
	      "s'est tenu à Koror (République des Palaos) du 29 au 31 juillet "
	      "2014, les dirigeants ont décidé d'admettre les Tokélaou en "
	      "qualité de membre associé.",
	      "date:2014-07-29 | date:2014-07-31");
	check(
	    "ru",
	    "Участники сорок пятой сессии Форума тихоокеанских островов, "
	    "проведенной в Короре, Палау, 29 - 31 июля 2014 года, согласились "
	    "принять Токелау в качестве ассоциированного члена.",
	    "date:2014-07-29 | date:2014-07-31");
	check("es",
	      "En el 45º Foro de las Islas del Pacífico celebrado en Koror "
	      "(Palau) del 29 al 31 de julio de 2014, los participantes "
	      "acordaron admitir a Tokelau como miembro asociado.",
	      "number:45 | date:2014-07-29 | date:2014-07-31");
}

/* Every month in every language, spelled as the UN documents spell it. */
static void test_months(void)
{
	static const char *const names[][12] = {
	    {"January", "February", "March", "April", "May", "June", "July",
	     "August", "September", "October", "November", "December"},
	    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	     "août", "septembre", "octobre", "novembre", "décembre"},
	    {"de enero de", "de febrero de", "de marzo de", "de abril de",
	     "de mayo de", "de junio de", "de julio de", "de agosto de",
	     "de septiembre de", "de octubre de", "de noviembre de",
	     "de diciembre de"},
	    {"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
	     "августа", "сентября", "октября", "ноября", "декабря"},
	    {"كانون الثاني/يناير", "شباط/فبراير", "آذار/مارس", "نيسان/أبريل",
	     "أيار/مايو", "حزيران/يونيه", "تموز/يوليه", "آب/أغسطس",
	     "أيلول/سبتمبر", "تشرين الأول/أكتوبر", "تشرين الثاني/نوفمبر",
	     "كانون الأول/ديسمبر"},
	    {"1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月",
	     "10月", "11月", "12月"},
	};
	static const char *const langs[] = {"en", "fr", "es", "ru", "ar", "zh"};
	char text[128], want[32];

	for (size_t l = 0; l < 6; l++) {
		unsigned good = 0;

		for (int m = 0; m < 12; m++) {
			char *got;

			if (l == 5)
				snprintf(text, sizeof(text), "2024年%s15日",
					 names[l][m]);
			else
				snprintf(text, sizeof(text), "15 %s 2024",
					 names[l][m]);
			snprintf(want, sizeof(want), "date:2024-%02d-15",
				 m + 1);
			got = describe_all(langs[l], text);
			if (got && strcmp(got, want) == 0)
				good++;
			else
				printf("# %s: '%s' gave '%s'\n", langs[l], text,
				       got ? got : "(null)");
			free(got);
		}
		is_int(good, 12, "%s: all twelve months", langs[l]);
	}
}

static void test_numbers(void)
{
	static const char *const decimal[] = {
	    "en", "1,200.5",	  "zh", "1,200.5",	"fr", "1 200,5",
	    "fr", "1\u00a0200,5", "fr", "1\u202f200,5", "ru", "1 200,5",
	    "es", "1.200,5",	  "es", "1 200,5",	"ar", "١٬٢٠٠٫٥",
	    "ar", "1 200,5",	  "zh", "１,２００.５",
	};
	static const char *const pct[] = {
	    "en", "25%",	  "en", "25 per cent",	"fr", "25 %",
	    "zh", "百分之二十五", "ar", "25 في المائة", "ru", "25 процентов",
	};
	uint64_t k;

	SAME_KEY("1200.5", decimal);
	SAME_KEY("25 per cent", pct);
	check("en", "1,200.5", "number:1200.5");
	check("fr", "3,5 %", "number:3.5");
	check("en", "paragraph 1.2.3 and 2.10", "number:1.2.3 | number:2.10");
	check("en", "12,345,678 and 007", "number:12345678 | number:7");
	check("en", "in 2023 150 delegates", "number:2023 | number:150");
	check("fr", "les 15 000 participants", "number:15000");
	check("es", "1.200.000", "number:1200000");
	check("en", "the 17th and the 1990s", "number:17 | number:1990");
	check("en", "the post-2015 agenda", "number:2015");
	check("zh", "百分之三点五", "number:3.5");

	/* UN Arabic stores space-grouped numbers group-reversed */
	check("ar", "على 544 2 شخصا", "number:2544");
	check("ar", "بمبلغ 000 819 5 دولار", "number:5819000");
	check("ar", "لقَّمت 630.8 1 كغم", "number:1630.8");
	check("ar", "15 000", "number:15000");

	/* UN Parallel Corpus, dev set line 660 */
	check("en",
	      "32. During the reporting period, two besieged communities "
	      "were reached with food distributed to 2,544 people (1.2 per "
	      "cent of the 212,000 people in besieged areas); non-food items "
	      "distributed to 2,540 people (1.2 per cent); and medical "
	      "assistance distributed to 1,280 people (0.6 per cent), in "
	      "addition to vaccines.",
	      "number:32 | number:2544 | number:1.2 | number:212000 | "
	      "number:2540 | number:1.2 | number:1280 | number:0.6");
	check("zh",
	      "32. 在报告所述期间，向两个被围困社区的2 544人分发了粮食(在被围困"
	      "地区的212 000人中占1.2%)；向2 540人分发了非粮食物品(1.2%)；向1 "
	      "280人(0.6%)提供了疫苗及其他医疗救助。",
	      "number:32 | number:2544 | number:212000 | number:1.2 | "
	      "number:2540 | number:1.2 | number:1280 | number:0.6");
	check("ar",
	      "٣٢ - وتم الوصول خلال الفترة المشمولة بهذا التقرير إلى مجموعتين "
	      "محاصرتين، حيث وُزعت الأغذية على 544 2 شخصا (1.2 في المائة من "
	      "مجموع السكان في المناطق المحاصرة البالغ عددهم 000 212 شخص)؛",
	      "number:32 | number:2544 | number:1.2 | number:212000");
	check("es",
	      "se consiguió acceder a dos comunidades sitiadas con alimentos "
	      "que fueron distribuidos a 2.544 personas (el 1,2% de las "
	      "212.000 personas que se encuentran en zonas sitiadas);",
	      "number:2544 | number:1.2 | number:212000");

	/* Chinese numerals */
	check("zh", "第十八次会议", "number:18");
	check("zh", "第一百七十九号决议", "number:179");
	check("zh", "三万五千人", "number:35000");
	check("zh", "一百零五", "number:105");
	check("zh", "一亿二千万", "number:120000000");
	check("zh", "十个国家", "number:10");
	check("zh", "第一次", "number:1");
	check("zh", "第四条", "number:4");
	check("zh", "一些成员国", "");
	check("zh", "统一", "");
	check("zh", "一致同意", "");
	check("zh", "十分重要", "");
	check("zh", "千万不要", "");
	check("zh", "万一", "");
	check("zh", "一一对应", "");
	check("zh", "几十个国家", "");
	check("zh", "三四十人", "");
	check("zh", "一个问题", "");

	/* resolution numbers are numbers, in every language */
	static const char *const res[] = {
	    "en", "Resolution 179",	"zh", "第179号决议",
	    "fr", "résolution 179",	"ru", "резолюция 179",
	    "ar", "القرار 179",		"es", "Resolución 179",
	    "zh", "第一百七十九号决议",
	};
	SAME_KEY("resolution 179", res);

	ok(keys("en", "179", &k, 1) == 1 && k == fnv1a("number:179"),
	   "key is FNV-1a 64 of \"number:179\"");

	/* scale words: 135 million is 1.35亿 */
	static const char *const scale[] = {
	    "en", "135 million dollars",     "zh", "1.35亿美元",
	    "fr", "135 millions de dollars", "es", "135 millones de dólares",
	    "ru", "135 млн. долл. США",	     "ar", "135 مليون دولار",
	    "fr", "0,135 milliard",	     "en", "135,000,000",
	};
	SAME_KEY("135 million", scale);
	check("en", "US$ 135 million", "latin:us | number:135000000");
	check("zh", "200多万人", "number:2000000");
	check("zh", "1万亿", "number:1000000000000");
	check("fr", "2 billions", "number:2000000000000");
	check("es", "3.000 mil millones", "number:3000000000000");
	check("en", "1.5 million, 0.25 billion",
	      "number:1500000 | number:250000000");
}

static void test_symbols(void)
{
	static const char *const c26[] = {
	    "en", "Document C26/15-E", "zh", "C26/15-C号文件",
	    "fr", "Document C26/15-F", "ar", "الوثيقة C26/15-A",
	    "ru", "Документ C26/15-R", "es", "Documento C26/15-S",
	};
	uint64_t k;

	SAME_KEY("C26/15", c26);
	check("en", "Document C26/15-E", "symbol:C26/15");
	check("en", "see A/RES/70/1.", "symbol:A/RES/70/1");
	check("zh", "大会第A/RES/70/1号决议", "symbol:A/RES/70/1");
	check("en", "S/2023/45, C24/INF/3 and CWG-COP-18/2",
	      "symbol:S/2023/45 | symbol:C24/INF/3 | symbol:CWG-COP-18/2");
	check("en", "A/C.3/70/L.5/Rev.1", "symbol:A/C.3/70/L.5/Rev.1");
	check("en", "C26/15(Rev.1)-E", "symbol:C26/15(Rev.1)");
	check("en", "resolution 70/1", "symbol:70/1");
	check("en", "TCP/IP", "latin:tcp | latin:ip");
	ok(keys("en", "A/RES/70/1", &k, 1) == 1 &&
	       k == fnv1a("symbol:A/RES/70/1"),
	   "key is FNV-1a 64 of \"symbol:A/RES/70/1\"");
}

static void test_latin(void)
{
	static const char *const cwg[] = {
	    "zh", "理事会保护上网儿童工作组（CWG-COP）",
	    "en", "the Council Working Group (CWG-COP)",
	    "en", "the work of CWG\u2011COP", /* no-break hyphen */
	    "en", "the work of CWGCOP",
	    "ru", "Рабочая группа CWG-COP",
	    "ar", "فريق العمل CWG-COP",
	};
	uint64_t k;

	SAME_KEY("CWG-COP", cwg);
	check("zh", "国际电联（ITU-D）第2研究组和SG17",
	      "latin:itu-d | number:2 | latin:sg17");
	check("en", "ITU-D Study Group 2 and SG17",
	      "latin:itu-d | number:2 | latin:sg17");
	check("en", "UNICEF, G7, COVID-19 and 5G",
	      "latin:unicef | latin:g7 | "
	      "latin:covid-19 | latin:5g");
	check("en", "The Secretary-General of the Asia-Pacific region", "");
	check("fr", "l'UIT-D et les États-Unis", "latin:uit-d");
	check("zh", "（C09，最后修正C24）", "latin:c09 | latin:c24");
	check("zh", "通过Zoom平台", "latin:zoom");
	check("en", "via Zoom", "");
	ok(keys("en", "CWG-COP", &k, 1) == 1 && k == fnv1a("latin:cwgcop"),
	   "LATIN key leaves out '-' and '.'");
}

static void test_urls(void)
{
	uint64_t k1, k2, k3;

	check("en", "See https://www.itu.int/council.",
	      "url:https://www.itu.int/council");
	check("zh", "（见https://itu.int/cop）", "url:https://itu.int/cop");
	check("en", "(www.itu.int/cop/)", "url:www.itu.int/cop");
	check("en", "Write to CWG-COP@itu.int, or mailto:Council@ITU.int.",
	      "url:cwg-cop@itu.int | url:mailto:council@itu.int");
	keys("en", "https://www.itu.int/council", &k1, 1);
	keys("en", "http://WWW.ITU.INT/council/", &k2, 1);
	keys("fr", "www.itu.int/council", &k3, 1);
	ok(k1 == k2 && k2 == k3, "URL keys ignore scheme, case and final '/'");
	ok(k1 == fnv1a("url:www.itu.int/council"), "URL key leaves out scheme");
	keys("en", "mailto:council@itu.int", &k1, 1);
	keys("en", "council@itu.int", &k2, 1);
	ok(k1 == k2, "mailto: and a bare address have one key");
}

/* The seed sentences the project started from (ITU Council documents). */
static void test_itu(void)
{
	check(
	    "zh",
	    "根据国际电联理事会第1306号决议（C09，最后修正C24）和全权代表大会"
	    "第179号决议（2022年，布加勒斯特，修订版），本文件介绍了理事会保护"
	    "上网儿童工作组（CWG-COP）主席提交理事会2023、2024、2025和2026年会"
	    "议的四年期报告。",
	    "number:1306 | latin:c09 | latin:c24 | number:179 | number:2022 | "
	    "latin:cwg-cop | number:2023 | number:2024 | number:2025 | "
	    "number:2026");
	check(
	    "en",
	    "This report summarizes the main results of the twenty-third "
	    "and twenty-fourth meetings of the Council Working Group on "
	    "Child Online Protection (CWG-COP), held on 16 September 2025 "
	    "and 19 January 2026 respectively, as part of the Group’s work "
	    "since the 2025 session of the Council.",
	    "latin:cwg-cop | date:2025-09-16 | date:2026-01-19 | number:2025");
	check("zh",
	      "理事会保护上网儿童工作组（CWG-COP）第18次会议于2022年1月12日通过"
	      "Zoom平台在线举行。约有100名与会者",
	      "latin:cwg-cop | number:18 | date:2022-01-12 | latin:zoom | "
	      "number:100");
}

static void test_describe(void)
{
	const char *t = "30 September 2024";
	hx__anchor *a = NULL;
	char buf[8];
	size_t n = 0, need;

	ok(hx__anchors_find(&a, &n, "en", t, strlen(t)) == 0 && n == 1,
	   "one date");
	if (n != 1) {
		free(a);
		return;
	}
	need = hx__anchor_describe(buf, sizeof(buf), t, a, "en");
	is_int(need, strlen("date:2024-09-30"), "describe returns full length");
	is_str(buf, "date:20", "describe truncates and terminates");
	is_int(hx__anchor_describe(NULL, 0, t, a, "en"), need,
	       "describe with no buffer measures");
	is_int(a->start, 0, "start offset");
	is_int(a->end, strlen(t), "end offset");
	free(a);
}

static void test_edges(void)
{
	static hx__anchor stale; /* *out must be reset, not left as it was */
	hx__anchor *a = &stale;
	size_t n = 99;

	ok(hx__anchors_find(&a, &n, "en", NULL, 0) == 0 && n == 0 && !a,
	   "NULL empty text: no anchors, *out NULL");
	ok(hx__anchors_find(&a, &n, "zh", "", 0) == 0 && n == 0 && !a,
	   "empty text");
	check(NULL, "UNICEF", "latin:unicef");
	check("xx", "UNICEF", "latin:unicef");
	check("zh-CN", "中文UNICEF", "latin:unicef");
	check("en", "    ...   ", "");

	/* text cut inside a multibyte sequence: nothing past len is read */
	static const char *const cut[] = {
	    "2024年9月30\xe6\x97", "第十\xe5",	"30 сентября 2024 \xd0", "\xe4",
	    "\xf0\x9f\x98",	   "1 200\xc2", "CWG-COP\xe2\x80",
	};
	for (size_t i = 0; i < sizeof(cut) / sizeof(*cut); i++) {
		size_t len = strlen(cut[i]), bad = 0;
		char *t = exact_copy(cut[i], len);

		ok(t && hx__anchors_find(&a, &n, "zh", t, len) == 0,
		   "truncated input %zu", i);
		for (size_t j = 0; j < n; j++)
			bad += a[j].start >= a[j].end || a[j].end > len;
		is_int(bad, 0, "anchors of truncated input %zu within it", i);
		free(a);
		free(t);
	}
	/* a cut 日 is no 日 */
	check_as("zh", "2024年9月30\xe6\x97", "date:2024-09 | number:30",
		 "2024年9月30 and a cut 日");
	check_as("zh", "第十\xe5", "number:10", "第十 and a cut byte");
}

/* Random bytes, and random mixes of the pieces anchors are made of, in
 * every language: no crash, anchors in order and inside the text, and
 * describe() agrees with the key where the key is the plain hash. */
static void test_random(void)
{
	static const char *const langs[] = {"en", "zh", "ar", "fr", "ru", "es"};
	static const char *const bits[] = {
	    "1",   "0",	    "2024", " ",    "\u00a0",	 ",",	     ".",
	    "-",   "/",	    "年",   "月",   "日",	 "至",	     "第",
	    "十",  "一",    "百",   "分之", "September", "сентября", "أيلول",
	    "/",   "A",	    "C26",  "-E",   "www.",	 "http://",  "@",
	    "de ", "\xe6",  "\xd8", "٣",    "٬",	 "CWG",	     "(",
	    ")",   "Rev.1", "+",    "%",
	};
	uint32_t seed = 12345;
	size_t bad = 0, total = 0;
	char text[200], buf[512];

	for (int round = 0; round < 20000; round++) {
		size_t len = 0, n = 0;
		hx__anchor *a = NULL;
		const char *lang = langs[round % 6];
		char *t;

		while (len < 150) {
			seed = seed * 1103515245u + 12345u;
			if (round & 1) {
				text[len++] = (char)(seed >> 16);
			} else {
				const char *b =
				    bits[(seed >> 16) %
					 (sizeof(bits) / sizeof(*bits))];
				size_t bl = strlen(b);

				memcpy(text + len, b, bl);
				len += bl;
			}
		}
		t = exact_copy(text, len);
		if (!t || hx__anchors_find(&a, &n, lang, t, len) != 0) {
			bad++;
			free(t);
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			total++;
			if (a[i].start >= a[i].end || a[i].end > len ||
			    (i && a[i].start < a[i - 1].start)) {
				bad++;
				continue;
			}
			hx__anchor_describe(buf, sizeof(buf), t, &a[i], lang);
			if (a[i].type != HX_ANCHOR_LATIN &&
			    a[i].type != HX_ANCHOR_URL &&
			    a[i].key != fnv1a(buf))
				bad++;
		}
		free(a);
		free(t);
	}
	is_int(bad, 0, "random input: sound anchors (%zu checked)", total);
	ok(total > 1000, "random input produced anchors to check");
}

int main(void)
{
	test_dates();
	test_months();
	test_numbers();
	test_symbols();
	test_latin();
	test_urls();
	test_itu();
	test_describe();
	test_edges();
	test_random();
	return done_testing();
}
