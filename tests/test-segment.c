/*
 * test-segment.c - the sentence segmenter and the SRX loader: what UN
 * documents in the six languages need (abbreviations, citations, document
 * symbols, initials, Chinese punctuation), and how bad rule files fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "tap.h"

/* Segments of text joined by " | ", or "ERROR: message". Static buffer:
 * tests are single-threaded and compare right away. */
static const char *split_with(const char *lang, const hx_srx *srx,
			      const char *text)
{
	static char buf[8192];
	hx_segmenter *seg = NULL;
	hx_span *spans = NULL;
	size_t n = 0, len = 0;
	hx_error err;

	hx_error_init(&err);
	buf[0] = '\0';
	if (hx_segmenter_new(&seg, lang, srx, &err) < 0 ||
	    hx_segmenter_split(&spans, &n, seg, text, strlen(text), &err) < 0) {
		snprintf(buf, sizeof(buf), "ERROR: %s", err.message);
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%.*s",
					i ? " | " : "",
					(int)(spans[i].end - spans[i].start),
					text + spans[i].start);
done:
	free(spans);
	hx_segmenter_free(seg);
	return buf;
}

static const char *split(const char *lang, const char *text)
{
	return split_with(lang, NULL, text);
}

static void english(void)
{
	is_str(split("en", "Mr. Smith met Dr. Li and Mrs. Brown. They "
			   "talked."),
	       "Mr. Smith met Dr. Li and Mrs. Brown. | They talked.",
	       "en: titles before names");
	is_str(split("en", "Resolution 179 (Rev. Bucharest, 2022) applies. "
			   "Council Resolution 1306 (Mod. 2015) too."),
	       "Resolution 179 (Rev. Bucharest, 2022) applies. | Council "
	       "Resolution 1306 (Mod. 2015) too.",
	       "en: citations with Rev. and Mod.");
	is_str(split("en", "See document C26/15-E and A/RES/70/1. The "
			   "Council agreed."),
	       "See document C26/15-E and A/RES/70/1. | The Council agreed.",
	       "en: document symbols");
	is_str(split("en", "See para. 12, paras. 3-5, No. 3, Nos. 4 and 5, "
			   "Corr. 1, Add. 2, pp. 4-7 and art. 5. Next."),
	       "See para. 12, paras. 3-5, No. 3, Nos. 4 and 5, Corr. 1, "
	       "Add. 2, pp. 4-7 and art. 5. | Next.",
	       "en: references");
	is_str(split("en", "The rate rose by 1.5 per cent in 2025. It fell."),
	       "The rate rose by 1.5 per cent in 2025. | It fell.",
	       "en: decimal numbers");
	is_str(split("en", "Visit www.itu.int/md/S25-CL-C-0005/en or write "
			   "to info@itu.int. Then reply."),
	       "Visit www.itu.int/md/S25-CL-C-0005/en or write to "
	       "info@itu.int. | Then reply.",
	       "en: URL and e-mail address");
	is_str(split("en", "See https://www.itu.int/x?id=3. Then stop."),
	       "See https://www.itu.int/x?id=3. | Then stop.",
	       "en: question mark inside a URL");
	is_str(split("en", "J. R. R. Tolkien and Alfred E. Sloan met."),
	       "J. R. R. Tolkien and Alfred E. Sloan met.", "en: initials");
	is_str(split("en", "He lives in the U.S. The U.S. Army is large."),
	       "He lives in the U.S. | The U.S. Army is large.",
	       "en: U.S. ends a sentence only before a sentence starter");
	is_str(split("en", "H.E. Mr. Li, Prof. Wu and Amb. Ito spoke."),
	       "H.E. Mr. Li, Prof. Wu and Amb. Ito spoke.",
	       "en: H.E., Prof., Amb.");
	is_str(split("en", "The Council: (a) noted the report; (b) approved "
			   "it. Then it closed."),
	       "The Council: (a) noted the report; (b) approved it. | Then it "
	       "closed.",
	       "en: list labels inside a sentence");
	is_str(split("en", "1. The Council is invited to note the report."),
	       "1. The Council is invited to note the report.",
	       "en: paragraph number stays with its sentence");
	is_str(split("en", "Apples, pears, etc. are fruit. We sell fruit, "
			   "vegetables, etc. The shop opens at 9."),
	       "Apples, pears, etc. are fruit. | We sell fruit, vegetables, "
	       "etc. | The shop opens at 9.",
	       "en: etc. ends a sentence only before a capital");
	is_str(split("en", "Use e.g. tables, i.e. lists. It works."),
	       "Use e.g. tables, i.e. lists. | It works.", "en: e.g. and i.e.");
	is_str(split("en", "On Jan. 20 and Feb. 3 the Co. met. Fig. 2 shows "
			   "it."),
	       "On Jan. 20 and Feb. 3 the Co. met. | Fig. 2 shows it.",
	       "en: months and Fig.");
	is_str(split("en", "It grew at large.[7] This was new."),
	       "It grew at large.[7] | This was new.",
	       "en: footnote mark after a full stop");
	is_str(split("en", "We waited... Then it started. Really? Yes!"),
	       "We waited... | Then it started. | Really? | Yes!",
	       "en: ellipsis, question and exclamation");
	is_str(split("en", "'Is it?' she asked. He nodded."),
	       "'Is it?' she asked. | He nodded.",
	       "en: lower case after a question mark continues");
	is_str(split("en", "Annex A. The Council noted it."),
	       "Annex A. | The Council noted it.",
	       "en: a label letter can end a sentence");
	/* Inline lists that start after a sentence, or start again. */
	is_str(split("en", "They went to the store. w) hello x) hello y) "
			   "hello"),
	       "They went to the store. | w) hello | x) hello | y) hello",
	       "en: a list after a sentence");
	is_str(split("en", "1.) The first item 2.) The second item 1.) The "
			   "first item. 2.) The second item."),
	       "1.) The first item | 2.) The second item | 1.) The first "
	       "item. | 2.) The second item.",
	       "en: a list that starts again from 1");
	is_str(split("en", "It was noted. 5. The Council agreed to "
			   "paragraph 6. The text stands."),
	       "It was noted. | 5. The Council agreed to paragraph 6. | The "
	       "text stands.",
	       "en: a label after a sentence needs its next item");
	is_str(split("en", "It was adopted. 1. The Council noted resolution "
			   "5. The Group agreed."),
	       "It was adopted. | 1. The Council noted resolution 5. | The "
	       "Group agreed.",
	       "en: a number out of sequence is not an item");
	/* A manual line break inside a block (DOCX w:br). */
	is_str(split("en", "It was a cold\nnight in the city. It snowed."),
	       "It was a cold\nnight in the city. | It snowed.",
	       "en: a line break before lower case continues the sentence");
	is_str(split("en", "Agenda item 3\nThe Council noted it."),
	       "Agenda item 3 | The Council noted it.",
	       "en: a line break before a capital ends the line");
	/* A quotation broken off by a dash. */
	is_str(split("en", "Alice began, \"If you please, sir--\" The Rabbit "
			   "started."),
	       "Alice began, \"If you please, sir--\" | The Rabbit started.",
	       "en: a quotation cut by a dash ends the sentence");
	is_str(split("en", "Next came a voice--\"Pat! Pat! Where are you?\" "
			   "And then silence."),
	       "Next came a voice--\"Pat! Pat! Where are you?\" | And then "
	       "silence.",
	       "en: a quotation opened after a dash");
}

static void french(void)
{
	is_str(split("fr", "M. Dupont et MM. Durand ont parlé. Mme Martin "
			   "aussi."),
	       "M. Dupont et MM. Durand ont parlé. | Mme Martin aussi.",
	       "fr: M., MM., Mme");
	is_str(split("fr", "Voir p. ex. l'art. 5, le chap. II et le n° 3. "
			   "Fin."),
	       "Voir p. ex. l'art. 5, le chap. II et le n° 3. | Fin.",
	       "fr: p. ex., art., chap., n°");
	is_str(split("fr", "Il y a env. 30 pays, cf. la liste, etc. Le "
			   "Conseil a pris note."),
	       "Il y a env. 30 pays, cf. la liste, etc. | Le Conseil a pris "
	       "note.",
	       "fr: env., cf., etc.");
}

static void russian(void)
{
	is_str(split("ru", "В 2010 г. Виктор посетил г. Волгоград. Он "
			   "уехал."),
	       "В 2010 г. Виктор посетил г. Волгоград. | Он уехал.", "ru: г.");
	is_str(split("ru", "А. С. Пушкин и Л.Н. Толстой жили в XIX в., т.е. "
			   "давно."),
	       "А. С. Пушкин и Л.Н. Толстой жили в XIX в., т.е. давно.",
	       "ru: initials, т.е.");
	is_str(split("ru", "См. стр. 5 и рис. 3, ст. 12, п. 4. Далее."),
	       "См. стр. 5 и рис. 3, ст. 12, п. 4. | Далее.", "ru: references");
	is_str(split("ru", "Выделено 5 млн. долл. и 3 тыс. руб. Проф. Иванов "
			   "и др. Совет согласился."),
	       "Выделено 5 млн. долл. и 3 тыс. руб. | Проф. Иванов и др. | "
	       "Совет согласился.",
	       "ru: млн., тыс., проф., и др.");
}

static void spanish(void)
{
	is_str(split("es", "El Sr. García y la Dra. López llegaron. ¿Vienes? "
			   "¡Sí!"),
	       "El Sr. García y la Dra. López llegaron. | ¿Vienes? | ¡Sí!",
	       "es: Sr., Dra., ¿? and ¡!");
	is_str(split("es", "Véase el núm. 3, pág. 12, art. 5 y aprox. 5 "
			   "países de EE.UU. y Europa."),
	       "Véase el núm. 3, pág. 12, art. 5 y aprox. 5 países de EE.UU. "
	       "y Europa.",
	       "es: núm., pág., art., aprox., EE.UU.");
	is_str(split("es", "Ud. y Uds. lo saben, etc. El Consejo tomó nota."),
	       "Ud. y Uds. lo saben, etc. | El Consejo tomó nota.",
	       "es: Ud., Uds., etc.");
}

static void chinese(void)
{
	is_str(split("zh", "这是第一句。这是第二句！真的吗？是的。"),
	       "这是第一句。 | 这是第二句！ | 真的吗？ | 是的。",
	       "zh: 。！？ end sentences");
	is_str(split("zh", "甲方同意；乙方反对。会议结束。"),
	       "甲方同意；乙方反对。 | 会议结束。", "zh: ； does not");
	is_str(split("zh", "他说：“好。”会议结束（见附件）。下一句。"),
	       "他说：“好。” | 会议结束（见附件）。 | 下一句。",
	       "zh: closing quote and bracket stay with the sentence");
	is_str(split("zh", "真的吗？“是的。”"), "真的吗？ | “是的。”",
	       "zh: an opening quote starts the next sentence");
	is_str(split("zh", "详见www.itu.int和第1.1节。完。"),
	       "详见www.itu.int和第1.1节。 | 完。",
	       "zh: no break inside Latin tokens");
	is_str(split("zh", "我们去看《摔跤吧！爸爸》好吗？好！"),
	       "我们去看《摔跤吧！爸爸》好吗？ | 好！",
	       "zh: no break inside a book title");
}

static void arabic(void)
{
	is_str(split("ar", "قال د. أحمد إن الاجتماع مهم. هل وافق الجميع؟ "
			   "نعم!"),
	       "قال د. أحمد إن الاجتماع مهم. | هل وافق الجميع؟ | نعم!",
	       "ar: د. and ؟");
	is_str(split("ar", "وقال د\u202a.\u202c ديفيد إنها مريضة. وليس "
			   "معروفا."),
	       "وقال د\u202a.\u202c ديفيد إنها مريضة. | وليس معروفا.",
	       "ar: direction marks around the full stop");
}

static void spans(void)
{
	const char *text = "  Hello.  World.  ";
	hx_segmenter *seg = NULL;
	hx_span *sp = NULL;
	hx_error err;
	size_t n = 99;

	hx_error_init(&err);
	ok(hx_segmenter_new(&seg, "en", NULL, &err) == HX_OK,
	   "segmenter with the default rules: %s", err.message);
	ok(hx_segmenter_split(&sp, &n, seg, text, strlen(text), &err) == HX_OK,
	   "split");
	is_int(n, 2, "two sentences");
	if (n == 2) {
		is_int(sp[0].start, 2, "first starts after the spaces");
		is_int(sp[0].end, 8, "first ends at its full stop");
		is_int(sp[1].start, 10, "second starts at W");
		is_int(sp[1].end, 16, "trailing white space trimmed");
	}
	free(sp);
	sp = NULL;
	ok(hx_segmenter_split(&sp, &n, seg, "   ", 3, &err) == HX_OK && n == 0,
	   "white space only: no sentences");
	free(sp);
	sp = NULL;
	ok(hx_segmenter_split(&sp, &n, seg, "a\xff. B\xc3", 6, &err) == HX_OK &&
	       n == 2 && sp[1].end == 6,
	   "ill-formed UTF-8 segments without failing");
	free(sp);
	hx_segmenter_free(seg);
	hx_segmenter_free(NULL);
	hx_srx_free(NULL);
	is_str(split("en", ""), "", "empty text");
	is_str(split("en", "Ünïcödé 𝒳 text. Next 😀."),
	       "Ünïcödé 𝒳 text. | Next 😀.",
	       "offsets are bytes, also past the BMP");
}

/* Load SRX from a string; returns the status, message in *err. */
static int load(hx_srx **srx, const char *xml, hx_error *err)
{
	hx_error_init(err);
	return hx_srx_load_memory(srx, "t.srx", xml, strlen(xml), err);
}

#define SRX_HEAD(cascade)                                                      \
	"<?xml version=\"1.0\"?>\n"                                            \
	"<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">\n"          \
	"<header segmentsubflows=\"yes\" cascade=\"" cascade "\"/>\n"          \
	"<body>\n<languagerules>\n"

static void srx_errors(void)
{
	hx_srx *srx = NULL;
	hx_error err;
	int rc;

	rc = load(&srx,
		  SRX_HEAD("no") "<languagerule languagerulename=\"a\">\n"
				 "<rule break=\"no\">\n"
				 "<beforebreak>(Mr</beforebreak>\n"
				 "</rule></languagerule></languagerules>\n"
				 "<maprules/></body></srx>\n",
		  &err);
	is_int(rc, HX_EFORMAT, "bad regex: HX_EFORMAT");
	is_str(err.message,
	       "t.srx:8: bad regular expression in beforebreak: "
	       "U_REGEX_MISMATCHED_PAREN",
	       "bad regex: file, line, part and ICU's error");
	ok(srx == NULL, "nothing returned on failure");

	rc = load(&srx,
		  SRX_HEAD("no") "<languagerule languagerulename=\"a\">\n"
				 "<rule><beforebreak>x</beforebreak>\n"
				 "<afterbreak>[a-</afterbreak>\n"
				 "</rule></languagerule></languagerules>\n"
				 "<maprules/></body></srx>\n",
		  &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "t.srx:8: bad regular "
						   "expression in afterbreak"),
	   "bad afterbreak: %s", err.message);

	rc = load(&srx, "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"/>\n",
		  &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "not an SRX 2.0 file"),
	   "not SRX: %s", err.message);

	rc =
	    load(&srx, "<srx xmlns=\"http://www.lisa.org/srx20\"><body>", &err);
	ok(rc == HX_EFORMAT && strncmp(err.message, "t.srx:1: ", 9) == 0,
	   "malformed XML: %s", err.message);

	rc = load(&srx,
		  "<?xml version=\"1.0\"?>\n<!DOCTYPE srx [<!ENTITY a "
		  "\"aaaa\">]>\n<srx><body>&a;</body></srx>\n",
		  &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "entity"),
	   "entity declarations refused: %s", err.message);

	rc = load(&srx,
		  SRX_HEAD("no") "</languagerules>\n<maprules>\n"
				 "<languagemap languagepattern=\".*\" "
				 "languagerulename=\"nope\"/>\n"
				 "</maprules></body></srx>\n",
		  &err);
	ok(rc == HX_EFORMAT &&
	       strstr(err.message, "t.srx:8: languagemap names languagerule "
				   "\"nope\""),
	   "undefined languagerule: %s", err.message);

	rc = load(&srx,
		  SRX_HEAD("no") "<languagerule languagerulename=\"a\">\n"
				 "<rule break=\"maybe\"/>\n"
				 "</languagerule></languagerules>\n"
				 "<maprules/></body></srx>\n",
		  &err);
	ok(rc == HX_EFORMAT && strstr(err.message, "t.srx:7: rule break"),
	   "bad break attribute: %s", err.message);

	hx_error_init(&err);
	rc = hx_srx_load(&srx, "/nonexistent/x.srx", &err);
	is_int(rc, HX_ENOTFOUND, "missing file: HX_ENOTFOUND");

	/* Java-only syntax found in LanguageTool's and Okapi's files. */
	rc = load(&srx,
		  SRX_HEAD("no") "<languagerule languagerulename=\"a\">\n"
				 "<rule break=\"no\"><beforebreak>\\bw\\.\\s"
				 "</beforebreak><afterbreak>(?:V?I{0,3})"
				 "(?&lt;=[XVI]+)</afterbreak></rule>\n"
				 "<rule><beforebreak></beforebreak>"
				 "<afterbreak>&lt;0}</afterbreak></rule>\n"
				 "</languagerule></languagerules>\n"
				 "<maprules/></body></srx>\n",
		  &err);
	is_int(rc, HX_OK, "Java look-behind and lone } accepted: %s",
	       err.message);
	hx_srx_free(srx);
	srx = NULL;

	hx_error_init(&err);
	ok(hx_srx_load_default(&srx, &err) == HX_OK, "built-in rules load");
	hx_srx_free(srx);
}

/* Two rule blocks: "foo" breaks for English only, "bar" for everyone. */
#define CASCADE_SRX(cascade)                                                   \
	SRX_HEAD(cascade)                                                      \
	"<languagerule languagerulename=\"en\"><rule break=\"yes\">"           \
	"<beforebreak>foo</beforebreak><afterbreak>\\s</afterbreak>"           \
	"</rule></languagerule>\n"                                             \
	"<languagerule languagerulename=\"all\"><rule break=\"yes\">"          \
	"<beforebreak>bar</beforebreak><afterbreak>\\s</afterbreak>"           \
	"</rule></languagerule>\n"                                             \
	"</languagerules>\n<maprules>\n"                                       \
	"<languagemap languagepattern=\"en.*\" languagerulename=\"en\"/>\n"    \
	"<languagemap languagepattern=\".*\" languagerulename=\"all\"/>\n"     \
	"</maprules></body></srx>\n"

static void cascade(void)
{
	const char *text = "one foo two bar three";
	hx_srx *srx = NULL;
	hx_error err;

	ok(load(&srx, CASCADE_SRX("yes"), &err) == HX_OK, "cascade=yes loads");
	is_str(split_with("en", srx, text), "one foo | two bar | three",
	       "cascade=yes: every matching map applies");
	is_str(split_with("fr", srx, text), "one foo two bar | three",
	       "cascade=yes: only the maps that match the language");
	hx_srx_free(srx);
	srx = NULL;
	ok(load(&srx, CASCADE_SRX("no"), &err) == HX_OK, "cascade=no loads");
	is_str(split_with("en", srx, text), "one foo | two bar three",
	       "cascade=no: the first matching map only");
	is_str(split_with("fr", srx, text), "one foo two bar | three",
	       "cascade=no: falls through to the next map that matches");
	hx_srx_free(srx);
}

static void custom_rules(void)
{
	hx_srx *srx = NULL;
	hx_error err;

	/* Rules decide in order: the first matching rule wins. */
	ok(load(&srx,
		SRX_HEAD("no") "<languagerule languagerulename=\"x\">\n"
			       "<rule break=\"no\"><beforebreak>Two\\."
			       "</beforebreak><afterbreak>\\s"
			       "</afterbreak></rule>\n"
			       "<rule break=\"yes\"><beforebreak>;"
			       "</beforebreak><afterbreak>\\s"
			       "</afterbreak></rule>\n"
			       "<rule break=\"yes\"><beforebreak>[;.]"
			       "</beforebreak><afterbreak>\\s"
			       "</afterbreak></rule>\n"
			       "</languagerule></languagerules>\n<maprules>"
			       "<languagemap languagepattern=\".*\" "
			       "languagerulename=\"x\"/></maprules></body>"
			       "</srx>\n",
		&err) == HX_OK,
	   "custom rules load: %s", err.message);
	is_str(split_with("en", srx, "One. Two. Three; four."),
	       "One. | Two. Three; | four.",
	       "custom rules veto ICU's break and add their own");
	hx_srx_free(srx);
	srx = NULL;

	ok(load(&srx, SRX_HEAD("no") "</languagerules><maprules/></body></srx>",
		&err) == HX_OK,
	   "a file without rules loads");
	is_str(split_with("en", srx, "He met Dr. Li. Then he left."),
	       "He met Dr. | Li. | Then he left.",
	       "without rules ICU decides alone (and splits after Dr.)");
	hx_srx_free(srx);
}

int main(void)
{
	english();
	french();
	russian();
	spanish();
	chinese();
	arabic();
	spans();
	srx_errors();
	cascade();
	custom_rules();
	return done_testing();
}
