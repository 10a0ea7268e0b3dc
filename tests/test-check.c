/*
 * test-check.c - the checks rule by rule: each with text that must be
 * reported and text that must not, taken from the CWG-COP council reports
 * (../shared/seeds/), the UDHR (tests/data/html/udhr/) and UN documents,
 * plus rule selection, the findings list, word lists, stems, the
 * message for a missing hunspell dictionary, and XLIFF segments as pairs
 * that point at their <target> (or <source>) line.
 *
 * argv[1] is the project's dictionaries/wordlist folder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hexalign/check.h>
#include <hexalign/termbase.h>
#include <hexalign/xliff.h>

#include "../src/lib/check/spell.h"
#include "tap.h"

/* The pairs here keep the six-field positional form hx_check_pair had
 * before it took codes: it must still build and mean "no codes", which
 * -Wextra would call a missing initializer. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const char *wordlists;

static hx_checker *checker(const char *rules)
{
	hx_check_options o;
	hx_checker *ck = NULL;

	hx_check_options_init(&o);
	o.wordlist_dir = wordlists;
	if (hx_checker_new(&ck, &o, NULL) < 0)
		return NULL;
	if (rules && hx_checker_only(ck, rules, NULL) < 0) {
		hx_checker_free(ck);
		return NULL;
	}
	return ck;
}

/* Check paragraphs (one per string, lines 1, 2, ...) under some rules. */
static hx_findings *check_paras(const char *rules, const char *lang,
				const char *const *paras, size_t n)
{
	hx_checker *ck = checker(rules);
	hx_findings *fs = NULL;
	hx_doc *doc = NULL;
	const char *langs[1] = {lang};

	if (!ck || hx_findings_new(&fs, NULL) < 0 ||
	    hx_doc_new(&doc, "t.txt", NULL) < 0)
		goto done;
	for (size_t i = 0; i < n; i++)
		hx_doc_add_block(doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0, paras[i],
				 strlen(paras[i]), i + 1, NULL);
	if (hx_check_docs(fs, ck, (const hx_doc *const *)&doc, langs, 1, NULL) <
	    0) {
		hx_findings_free(fs);
		fs = NULL;
	}
	hx_findings_sort(fs ? fs : NULL);
done:
	hx_doc_free(doc);
	hx_checker_free(ck);
	return fs;
}

static hx_findings *check1(const char *rules, const char *lang,
			   const char *text)
{
	return check_paras(rules, lang, &text, 1);
}

static hx_findings *check_pair(const char *rules, const char *sl,
			       const char *src, const char *tl, const char *tgt)
{
	hx_checker *ck = checker(rules);
	hx_findings *fs = NULL;
	hx_check_pair p = {"t.tmx", 3, src, strlen(src), tgt, strlen(tgt)};

	if (ck && hx_findings_new(&fs, NULL) == 0 &&
	    hx_check_pairs(fs, ck, sl, tl, &p, 1, NULL) < 0) {
		hx_findings_free(fs);
		fs = NULL;
	}
	hx_checker_free(ck);
	return fs;
}

static size_t count(const hx_findings *fs)
{
	return fs ? hx_findings_count(fs) : (size_t)-1;
}

static const char *found(const hx_findings *fs, size_t i)
{
	const hx_finding *f = fs ? hx_findings_get(fs, i) : NULL;
	return f ? f->found : "(none)";
}

static const char *suggestion(const hx_findings *fs, size_t i)
{
	const hx_finding *f = fs ? hx_findings_get(fs, i) : NULL;
	return f ? f->suggestion : "(none)";
}

static size_t column(const hx_findings *fs, size_t i)
{
	const hx_finding *f = fs ? hx_findings_get(fs, i) : NULL;
	return f ? f->column : 0;
}

/* One rule on one text: how many findings. */
static size_t n_of(const char *rule, const char *lang, const char *text)
{
	hx_findings *fs = check1(rule, lang, text);
	size_t n = count(fs);
	hx_findings_free(fs);
	return n;
}

static void test_rules_table(void)
{
	hx_checker *ck = checker(NULL);
	hx_error err;

	is_int(hx_rule_count(), 22, "22 rules");
	ok(hx_rule_find("term-deprecated") &&
	       hx_rule_find("term-deprecated")->severity == HX_SEVERITY_ERROR,
	   "term-deprecated is an error");
	ok(!hx_rule_find("no-such-rule"), "unknown id: NULL");
	ok(hx_rule_get(hx_rule_count()) == NULL, "past the end: NULL");
	for (size_t i = 0; i < hx_rule_count(); i++)
		if (!hx_rule_get(i)->description[0])
			ok(0, "rule %s has a description", hx_rule_get(i)->id);
	hx_error_init(&err);
	is_int(hx_checker_only(ck, "typo-*,spelling", &err), HX_OK,
	       "select by prefix");
	ok(hx_checker_is_on(ck, "typo-bracket") &&
	       hx_checker_is_on(ck, "spelling") &&
	       !hx_checker_is_on(ck, "bi-number"),
	   "typo-* and spelling on, the others off");
	is_int(hx_checker_ignore(ck, "typo-bracket", &err), HX_OK, "ignore");
	ok(!hx_checker_is_on(ck, "typo-bracket") &&
	       hx_checker_is_on(ck, "typo-quote"),
	   "ignored rule off, its neighbours on");
	is_int(hx_checker_only(ck, "spelling,typo-dubble", &err), HX_EINVAL,
	       "unknown rule id refused");
	ok(strstr(err.message, "typo-dubble") != NULL, "message names it: %s",
	   err.message);
	ok(hx_checker_is_on(ck, "typo-quote"),
	   "a refused list leaves the selection as it was");
	is_int(hx_checker_ignore(ck, "bi-*x", &err), HX_EINVAL,
	       "a prefix that matches nothing is refused");
	hx_checker_free(ck);
}

static void test_double_word(void)
{
	hx_findings *fs;

	fs = check1("typo-double-word", "en",
		    "The Council is invited to note the the report.");
	is_int(count(fs), 1, "double word: 'the the'");
	is_str(found(fs, 0), "the the", "found is both words");
	is_int(column(fs, 0), 32, "column in code points");
	hx_findings_free(fs);
	is_int(n_of("typo-double-word", "en",
		    "Within the allocated budget 2025-2026. The The report"),
	       1, "case-insensitive, shouted doubles too");
	is_int(n_of("typo-double-word", "en",
		    "Participants 10 10 and 20 20 in the table."),
	       0, "numbers repeat in tables");
	is_int(n_of("typo-double-word", "en",
		    "He said that that proposal had had support."),
	       0, "'that that', 'had had' are grammar");
	is_int(n_of("typo-double-word", "fr", "Nous nous réunissons à Genève."),
	       0, "French reflexive 'nous nous'");
	is_int(n_of("typo-double-word", "fr", "le le rapport"), 1,
	       "French 'le le'");
	is_int(n_of("typo-double-word", "en",
		    "The atoll of Bora Bora sent a delegation."),
	       0, "a doubled name");
	is_int(n_of("typo-double-word", "zh", "工作组常常讨论讨论问题"), 0,
	       "Han characters repeat in words");
	is_int(n_of("typo-double-word", "en", "the\u00a0the report"), 1,
	       "any white space between");
	is_int(n_of("typo-double-word", "en", "the, the report"), 0,
	       "punctuation between is no double");
	is_int(n_of("typo-double-word", "ru",
		    "Каждый человек имеет право право на жизнь"),
	       1, "Russian");
}

static void test_double_space(void)
{
	hx_findings *fs = check1("typo-double-space", "en",
				 "The Council is  invited to note the report.");
	is_int(count(fs), 1, "double space");
	is_int(column(fs, 0), 15, "at the first space");
	is_str(suggestion(fs, 0), " ", "suggests one space");
	hx_findings_free(fs);
	is_int(n_of("typo-double-space", "en",
		    "The Council is invited to note the report."),
	       0, "single spaces");
	is_int(n_of("typo-double-space", "zh", "会议批准了拟议的  国际电联"), 1,
	       "in Chinese too");
}

static void test_brackets(void)
{
	hx_findings *fs;

	/* C26/15, para 1.2, as published */
	fs = check1("typo-bracket", "en",
		    "The terms of reference for CWG-Internet are specified in "
		    "Annex 1 of the outcome of the 1st meeting).");
	is_int(count(fs), 1, "a ')' nobody opened");
	is_int(column(fs, 0), 99, "at the ')'");
	hx_findings_free(fs);
	is_int(n_of("typo-bracket", "en",
		    "The Council Working Group on Child Online Protection "
		    "(CWG-COP) is open to all [relevant] stakeholders."),
	       0, "balanced");
	is_int(
	    n_of("typo-bracket", "en", "Resolution 179 (Rev. Bucharest, 2022"),
	    1, "an unclosed '('");
	is_int(n_of("typo-bracket", "en", "the Group (see [Annex 1)]."), 2,
	       "crossed pairs: '[' unclosed and ']' unopened");
	is_int(
	    n_of(
		"typo-bracket", "zh",
		"讨论了三次网上征询的结果： 1) 5Rights（原称为IRights），2) "
		"下一次在线青年磋商的主题，以及3) 收到的有关COP框架的反馈意见"),
	    0, "inline enumerators 1) 2) 3) and balanced （）");
	is_int(n_of("typo-bracket", "en",
		    "as listed: a) youth; b) parents; iii) teachers"),
	       0, "letter and roman enumerators");
	is_int(n_of("typo-bracket", "zh", "国际电联（ITU是联合国专门机构"), 1,
	       "an unclosed full-width '（'");
	is_int(
	    n_of("typo-bracket", "en",
		 "See https://en.wikipedia.org/wiki/Bracket_(disambiguation) "
		 "for more."),
	    0, "nothing inside a URL");
}

static void test_quotes(void)
{
	is_int(n_of("typo-quote", "zh",
		    "他希望各位与会者将“伙伴关系促进互联互通（Partners to "
		    "Connect）视为一个富有成效的机会"),
	       1, "an unclosed “");
	is_int(n_of("typo-quote", "zh",
		    "他希望各位与会者将“伙伴关系促进互联互通（Partners to "
		    "Connect）”视为一个富有成效的机会"),
	       0, "“ ” paired");
	is_int(n_of("typo-quote", "ru",
		    "Он сказал: «Программа „Защита детей“ продолжается»."),
	       0, "Russian « „ “ »");
	is_int(n_of("typo-quote", "fr", "Le programme « Protection en ligne"),
	       1, "an unclosed «");
	is_int(n_of("typo-quote", "en", "the \"Partners to Connect initiative"),
	       1, "an odd ASCII '\"'");
	is_int(n_of("typo-quote", "en",
		    "the \"Partners to Connect\" initiative on a 3.5\" disk"),
	       0, "paired ASCII quotes; an inch mark");
	is_int(n_of("typo-quote", "zh", "《保护上网儿童（COP）导则》进展"), 0,
	       "《》 paired");
	is_int(n_of("typo-quote", "zh", "实施《保护上网儿童（COP）导则的进展"),
	       1, "an unclosed 《");
	is_int(n_of("typo-quote", "en",
		    "the Group’s work and the Chair’s summary"),
	       0, "apostrophes are no quotes");
}

static void test_zh_punct(void)
{
	hx_findings *fs;

	/* seed 002, para 1.2 */
	fs =
	    check1("typo-zh-ascii-punct", "zh",
		   "CWG-COP按照国际电联理事会2009年第1306号决议（2015年修订）和"
		   "第179号决议（2014年，釜山，修订版）开展工作。第1306号决议"
		   "做出决议:");
	is_int(count(fs), 1, "':' after Han at the end");
	is_str(suggestion(fs, 0), "：", "suggests the full-width colon");
	hx_findings_free(fs);
	fs = check1("typo-zh-ascii-punct", "zh",
		    "会议由主席主持,与会者讨论了文稿;会议成功吗?");
	is_int(count(fs), 3, "',' ';' '?' between Han");
	is_str(suggestion(fs, 0), "，", "full-width comma");
	hx_findings_free(fs);
	is_int(n_of("typo-zh-ascii-punct", "zh",
		    "理事会工作组(CWG-COP)对所有开放"),
	       2, "ASCII parentheses around a code in Chinese");
	is_int(n_of("typo-zh-ascii-punct", "zh",
		    "2023年10月10日举行的CWG-COP第19次会议的主要成果是："
		    "www.itu.int/md/S23-CLCWGCOP19-C-0005/en"),
	       0, "nothing in a URL");
	is_int(n_of("typo-zh-ascii-punct", "zh",
		    "会议于10:30开始，讨论了ITU-T, ITU-D的工作"),
	       0, "a time and commas between Latin codes");
	is_int(
	    n_of("typo-zh-ascii-punct", "en", "The Council, in Geneva, met."),
	    0, "English is not checked");
	is_int(n_of("typo-zh-ascii-punct", "zh",
		    "的结果： 1) 5Rights，2) 下一次在线青年磋商"),
	       0, "an inline enumerator is not a bracket");
}

static void test_digit_width(void)
{
	const char *mixed[] = {"２０２４年9月30日至10月1日举行第二十一次会议",
			       "2025年2月12-13日召开第二十二次会议"};
	const char *full[] = {"２０２４年９月３０日", "第２２次会议"};
	hx_findings *fs = check_paras("typo-digit-width", "zh", mixed, 2);

	is_int(count(fs), 1, "full-width digits among ASCII ones");
	is_str(found(fs, 0), "２０２４", "the full-width run");
	is_str(suggestion(fs, 0), "2024", "its ASCII form");
	hx_findings_free(fs);
	fs = check_paras("typo-digit-width", "zh", full, 2);
	is_int(count(fs), 0, "a document written in full-width only");
	hx_findings_free(fs);
}

static void test_spelling(void)
{
	hx_findings *fs;
	hx_checker *ck;
	hx_error err;

	fs = check1("spelling", "en",
		    "The Council is invitd to note the report.");
	is_int(count(fs), 1, "a misspelt word");
	is_str(found(fs, 0), "invitd", "the word");
	is_str(suggestion(fs, 0), "invited", "hunspell's suggestion");
	hx_findings_free(fs);
	is_int(
	    n_of("spelling", "en",
		 "The outcomes are at www.itu.int/md/S23-CLCWGCOP19-C-0005/en "
		 "and in C24/INF/5 and CWG-COP-19/2; write to cop@itu.int."),
	    0, "nothing in URLs, symbols, e-mail addresses");
	is_int(n_of("spelling", "en",
		    "Meetings chaired by Mr Abdelaziz Alzarooni, with UNICEF, "
		    "SWGfL, PARCEP and the 5Rights initiative."),
	       0, "names inside a sentence, acronyms, mixed case, digits");
	is_int(n_of("spelling", "en",
		    "It embeds child-centred safeguards in programmes on "
		    "cybersecurity and hotlines."),
	       0, "the domain word list (British spellings, ITU vocabulary)");
	is_int(n_of("spelling", "en", "Chilld online protection matters."), 1,
	       "a capitalised word opening a sentence is checked");
	is_int(
	    n_of("spelling", "fr",
		 "Tous les êtres humains naissent libres et égaux en dignité "
		 "et en droits."),
	    0, "French UDHR article 1");
	is_int(n_of("spelling", "fr", "Tous les êtres humains naisent libres."),
	       1, "French misspelling");
	is_int(
	    n_of("spelling", "es",
		 "Todos los seres humanos nacen libres e iguales en dignidad "
		 "y derechos."),
	    0, "Spanish UDHR article 1");
	is_int(n_of("spelling", "es", "Todos los seres humanos nasen libres."),
	       1, "Spanish misspelling");
	/* add_word: a name at a sentence start */
	ck = checker("spelling");
	hx_error_init(&err);
	if (hx_checker_spell_ready(ck, "en", &err) == HX_OK) {
		is_int(hx_checker_add_word(ck, "en", "Zarooni", 7, &err), HX_OK,
		       "add a word");
		hx_findings *f2 = NULL;
		hx_doc *doc = NULL;
		const char *l[1] = {"en"};
		hx_findings_new(&f2, NULL);
		hx_doc_new(&doc, "t", NULL);
		hx_doc_add_block(doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0,
				 "Zarooni chaired.", 16, 1, NULL);
		hx_check_docs(f2, ck, (const hx_doc *const *)&doc, l, 1, NULL);
		is_int(count(f2), 0, "an added word is accepted");
		hx_findings_free(f2);
		hx_doc_free(doc);
	} else {
		ok(0, "en dictionary: %s", err.message);
	}
	hx_checker_free(ck);
	is_int(n_of("spelling", "en", "Zarooni chaired."), 1,
	       "and not without it");
	is_int(n_of("spelling", "zh", "国际电联理事会"), 0,
	       "no spelling in zh");
}

/* Suggestions: one edit away in hunspell's order, capitalised like the
 * word, cached; hunspell's slow search for three other words only. */
static void test_suggestions(void)
{
	static const char *const paras[] = {
	    "The secretariat will circulate the schedule of meetnigs.",
	    "Empresa is a word of another language.",
	    "It named Qwzxkj, Vbnmlp, Jhgfdq, Plmokn and Zxcvbq in turn.",
	    "The list of meetnigs follows.",
	};
	hx_checker *ck = checker("spelling");
	hx_findings *fs = NULL;
	hx_doc *doc = NULL;
	const char *l[1] = {"en"};

	if (!ck || hx_checker_spell_ready(ck, "en", NULL) < 0) {
		ok(0, "en dictionary");
		hx_checker_free(ck);
		return;
	}
	hx_findings_new(&fs, NULL);
	hx_doc_new(&doc, "t.txt", NULL);
	for (size_t i = 0; i < 4; i++)
		hx_doc_add_block(doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0, paras[i],
				 strlen(paras[i]), i + 1, NULL);
	hx_check_docs(fs, ck, (const hx_doc *const *)&doc, l, 1, NULL);
	hx_findings_sort(fs);
	is_int(count(fs), 3,
	       "the typo twice and the capitalised word, no names inside");
	is_str(suggestion(fs, 0), "meetings", "two letters swapped");
	is_str(suggestion(fs, 1), "Impresa", "capitalised like the word");
	is_str(suggestion(fs, 2), "meetings", "the same answer again");
	hx_findings_free(fs);
	hx_doc_free(doc);
	hx_checker_free(ck);
	ck = checker("spelling");
	hx_findings_new(&fs, NULL);
	hx_doc_new(&doc, "t.txt", NULL);
	hx_doc_add_block(doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0,
			 "See vbnmlpq, jhgfdqw, plmoknz, zxcvbqw and qqxzvk.",
			 50, 1, NULL);
	hx_check_docs(fs, ck, (const hx_doc *const *)&doc, l, 1, NULL);
	is_int(count(fs), 5, "five unknown words");
	is_int(hx_checker_unsuggested(ck), 2,
	       "two past hunspell's three full searches, counted");
	hx_findings_free(fs);
	hx_doc_free(doc);
	hx_checker_free(ck);
}

static void test_missing_dictionary(void)
{
	char dir[] = "/tmp/hexalign-nodict-XXXXXX";
	hx_check_options o;
	hx_checker *ck = NULL;
	hx_error err;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	hx_check_options_init(&o);
	o.dict_dir = dir;
	hx_error_init(&err);
	hx_checker_new(&ck, &o, NULL);
	is_int(hx_checker_spell_ready(ck, "ru", &err), HX_ENOTFOUND,
	       "no dictionary: HX_ENOTFOUND");
	ok(strstr(err.message, "hunspell-ru") != NULL,
	   "the message names the package: %s", err.message);
	is_int(hx_checker_spell_ready(ck, "en", &err), HX_ENOTFOUND, "en too");
	ok(strstr(err.message, "hunspell-en-us") != NULL, "%s", err.message);
	is_int(hx_checker_spell_ready(ck, "zh", &err), HX_EINVAL,
	       "Chinese is not spell-checked");
	is_int(hx_checker_add_word(ck, "en", "CWG-COP", 7, &err), HX_OK,
	       "adding words without a dictionary is harmless");
	hx_checker_free(ck);
	rmdir(dir);
}

static void test_stem(void)
{
	hx__speller *sp = NULL;
	char **stems = NULL;
	size_t n = 0;
	bool hit = false;

	if (hx__speller_open(&sp, NULL, "en", NULL) < 0) {
		ok(0, "open en");
		return;
	}
	is_int(hx__speller_stem(sp, "stakeholders", 12, &stems, &n), HX_OK,
	       "stem");
	for (size_t i = 0; i < n; i++)
		hit |= !strcmp(stems[i], "stakeholder");
	ok(hit, "stakeholders -> stakeholder (%zu stems)", n);
	hx__speller_stems_free(stems, n);
	is_int(hx__speller_stem(sp, "xqzzv", 5, &stems, &n), HX_OK,
	       "stem of a non-word");
	is_int(n, 0, "no stems");
	hx__speller_stems_free(stems, n);
	is_str(hx__speller_package("es"), "hunspell-es", "package of es");
	hx__speller_free(sp);
}

static void test_variants(void)
{
	const char *seed[] = {
	    "2	CWG-COP的活动",
	    "鼓励CWG-COP与电信发展部门（ITU-D）第2研究组联络",
	    "继续开展CWGCOP的工作",
	    "促进所有相关利益攸关方均能参与CWG COP的工作",
	    "继续开展CWG‑COP的工作",
	    "促进ＣＷＧ－ＣＯＰ的工作",
	};
	hx_findings *fs = check_paras("term-variant", "zh", seed, 6);

	is_int(count(fs), 3, "CWGCOP, CWG COP, full-width: three variants");
	is_str(found(fs, 0), "CWGCOP", "no hyphen");
	is_str(suggestion(fs, 0), "CWG-COP", "the usual form suggested");
	is_str(found(fs, 1), "CWG COP", "a space");
	is_str(found(fs, 2), "ＣＷＧ－ＣＯＰ", "full-width");
	hx_findings_free(fs);
	const char *same[] = {"CWG-COP is open", "the work of CWG‑COP"};
	fs = check_paras("term-variant", "en", same, 2);
	is_int(count(fs), 0, "a non-breaking hyphen is the same term");
	hx_findings_free(fs);
	const char *names[] = {"WePROTECT全球联盟的文件",
			       "第三份介绍来自于WeProtect全球联盟",
			       "通过WeProtect全球联盟和理事会工作组等平台"};
	fs = check_paras("term-variant", "zh", names, 3);
	is_int(count(fs), 1, "case variant of a name");
	is_str(found(fs, 0), "WePROTECT", "the minority form");
	hx_findings_free(fs);
	const char *distinct[] = {"ITU-T Study Group 17", "ITU-D Study Group 2",
				  "CG-COP and CWG-COP"};
	fs = check_paras("term-variant", "en", distinct, 3);
	is_int(count(fs), 0, "different codes are no variants");
	hx_findings_free(fs);
}

static void test_bi_numbers(void)
{
	hx_findings *fs;

	fs = check_pair("bi-*", "en",
			"Plenipotentiary Conference Resolution 179", "zh",
			"全权代表大会第179号决议");
	is_int(count(fs), 0, "Resolution 179 = 第179号决议");
	hx_findings_free(fs);
	fs = check_pair("bi-*", "en",
			"Plenipotentiary Conference Resolution 179", "zh",
			"全权代表大会第178号决议");
	is_int(count(fs), 2, "179 missing, 178 extra");
	is_str(found(fs, 0), "179", "the source number");
	hx_findings_free(fs);
	fs = check_pair("bi-date", "en", "held on 30 September 2024 in Geneva",
			"zh", "于2024年9月30日在日内瓦举行");
	is_int(count(fs), 0, "30 September 2024 = 2024年9月30日");
	hx_findings_free(fs);
	fs = check_pair("bi-date", "en", "held on 30 September 2024 in Geneva",
			"zh", "于2024年9月29日在日内瓦举行");
	is_int(count(fs), 2, "a date that differs");
	hx_findings_free(fs);
	fs = check_pair("bi-symbol", "en", "Document C26/15-E", "zh",
			"C26/16号文件");
	is_int(count(fs), 2, "document symbols differ");
	hx_findings_free(fs);
	fs = check_pair("bi-symbol", "en", "Document C26/15-E", "zh",
			"C26/15-C号文件");
	is_int(count(fs), 0, "language suffixes do not matter");
	hx_findings_free(fs);
	fs =
	    check_pair("bi-number", "en", "Article 1", "fr", "Article premier");
	is_int(count(fs), 0, "Article 1 = Article premier");
	hx_findings_free(fs);
	fs = check_pair("bi-number", "en",
			"the twenty-third and twenty-fourth meetings", "zh",
			"第二十三次和第二十四次会议");
	is_int(count(fs), 0, "numbers in words on one side say nothing");
	hx_findings_free(fs);
	fs = check_pair("bi-number", "en", "about 100 participants", "ru",
			"около 1000 участников");
	is_int(count(fs), 2, "100 vs 1000 in Russian");
	hx_findings_free(fs);
}

static void test_bi_text(void)
{
	hx_findings *fs;

	fs = check_pair("bi-empty", "en", "Purpose", "zh", "");
	is_int(count(fs), 1, "empty target");
	hx_findings_free(fs);
	fs = check_pair("bi-empty", "en", "", "zh", "");
	is_int(count(fs), 0, "both empty: nothing to translate");
	hx_findings_free(fs);
	fs = check_pair("bi-same-as-source,bi-untranslated", "en",
			"The Council is invited to note the report.", "zh",
			"The Council is invited to note the report.");
	is_int(count(fs), 1, "copied source");
	is_str(hx_findings_get(fs, 0)->rule, "bi-same-as-source", "rule");
	hx_findings_free(fs);
	fs = check_pair("bi-same-as-source", "en", "CWG-COP", "zh", "CWG-COP");
	is_int(count(fs), 0, "a code travels as it is");
	hx_findings_free(fs);
	fs = check_pair("bi-same-as-source", "en", "Article 2", "fr",
			"Article 2");
	is_int(count(fs), 0, "'Article 2' is French too");
	hx_findings_free(fs);
	fs = check_pair("bi-untranslated", "en",
			"The Council is invited to note the report.", "zh",
			"The Council is invited to note the report (draft).");
	is_int(count(fs), 1, "English left in a Chinese target");
	hx_findings_free(fs);
	fs = check_pair("bi-untranslated", "en",
			"The Council is invited to note the report.", "zh",
			"请理事会将本报告记录在案。");
	is_int(count(fs), 0, "translated");
	hx_findings_free(fs);
	fs = check_pair("bi-untranslated", "en", "Report by the CWG-COP", "ru",
			"Доклад CWG-COP");
	is_int(count(fs), 0, "Russian with a Latin code");
	hx_findings_free(fs);
}

static void test_bi_consistency(void)
{
	hx_check_pair p[] = {
	    {"t.tmx", 10, "Action required by the Council", 30,
	     "理事会需采取的行动", strlen("理事会需采取的行动")},
	    {"t.tmx", 20, "Action required by the Council", 30, "需采取的行动",
	     strlen("需采取的行动")},
	    {"t.tmx", 30, "Financial implications", 22, "财务影响",
	     strlen("财务影响")},
	    {"t.tmx", 40, "Financial implication", 21, "财务影响",
	     strlen("财务影响")},
	    {"t.tmx", 50, "Financial implications", 22, "财务影响",
	     strlen("财务影响")},
	};
	hx_checker *ck = checker("bi-inconsistent-*");
	hx_findings *fs = NULL;

	hx_findings_new(&fs, NULL);
	is_int(hx_check_pairs(fs, ck, "en", "zh", p, 5, NULL), HX_OK, "pairs");
	hx_findings_sort(fs);
	is_int(count(fs), 2, "one of each");
	is_str(hx_findings_get(fs, 0)->rule, "bi-inconsistent-target",
	       "line 20: translated differently");
	is_int(hx_findings_get(fs, 0)->line, 20, "at the second occurrence");
	is_str(suggestion(fs, 0), "理事会需采取的行动",
	       "the first translation");
	is_str(hx_findings_get(fs, 1)->rule, "bi-inconsistent-source",
	       "line 40: a translation for two sources");
	hx_findings_free(fs);
	hx_checker_free(ck);
}

static void test_findings_list(void)
{
	const char *paras[] = {"the the  report (", "second  line"};
	hx_findings *fs = check_paras(NULL, "en", paras, 2);

	ok(count(fs) >= 4, "several findings (%zu)", count(fs));
	for (size_t i = 1; i < count(fs); i++) {
		const hx_finding *a = hx_findings_get(fs, i - 1),
				 *b = hx_findings_get(fs, i);
		if (a->line > b->line ||
		    (a->line == b->line && a->column > b->column))
			ok(0, "sorted at %zu", i);
	}
	is_int(hx_findings_max_severity(fs), HX_SEVERITY_ERROR,
	       "the worst is an error");
	const hx_finding *f = hx_findings_get(fs, 0);
	ok(f && !strcmp(f->file, "t.txt") && f->line == 1,
	   "file and line carried");
	ok(f && f->context_end <= strlen(f->context) &&
	       !strncmp(f->context + f->context_start, f->found,
			f->context_end - f->context_start),
	   "found is the context's span");
	hx_findings_free(fs);
	hx_findings_new(&fs, NULL);
	is_int(hx_findings_max_severity(fs), -1, "empty list: -1");
	hx_findings_free(fs);
	hx_findings_free(NULL);
	hx_checker_free(NULL);
}

static void test_termbase(void)
{
	static const char tsv[] = "concept\tlanguage\tterm\tstatus\n"
				  "cwg\ten\tCWG-COP\tpreferred\n"
				  "cwg\ten\tCWGCOP\tdeprecated\n"
				  "cwg\tzh\tCWG-COP\tpreferred\n"
				  "sh\ten\tstakeholder\tpreferred\n"
				  "sh\tzh\t利益攸关方\tpreferred\n";
	hx_termbase *tb = NULL;
	hx_checker *ck = checker(NULL);
	hx_findings *fs = NULL;
	hx_doc *doc = NULL;
	const char *l[1] = {"en"};
	const char *text = "The work of CWGCOP, of CWG‑COP and of CWG–COP "
			   "involves all Stakeholders.";

	if (hx_termbase_load_memory(&tb, "t.tsv", tsv, sizeof(tsv) - 1, NULL,
				    NULL) < 0) {
		ok(0, "term base");
		hx_checker_free(ck);
		return;
	}
	hx_checker_set_termbase(ck, tb, NULL);
	hx_checker_ignore(ck, "spelling", NULL);
	hx_findings_new(&fs, NULL);
	hx_doc_new(&doc, "t", NULL);
	hx_doc_add_block(doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0, text,
			 strlen(text), 1, NULL);
	hx_check_docs(fs, ck, (const hx_doc *const *)&doc, l, 1, NULL);
	hx_findings_sort(fs);
	is_int(count(fs), 2, "deprecated CWGCOP and the en-dash variant");
	is_str(hx_findings_get(fs, 0) ? hx_findings_get(fs, 0)->rule : "",
	       "term-deprecated", "deprecated");
	is_str(suggestion(fs, 0), "CWG-COP", "the preferred term");
	is_str(found(fs, 1), "CWG–COP", "an en dash is a variant");
	hx_findings_free(fs);
	hx_doc_free(doc);
	/* bilingual: the target lacks the term */
	hx_check_pair p[] = {{"t.tmx", 5, "all stakeholders", 16, "所有各方",
			      strlen("所有各方")},
			     {"t.tmx", 6, "all stakeholders", 16,
			      "所有利益攸关方", strlen("所有利益攸关方")}};
	hx_checker_only(ck, "bi-term-missing", NULL);
	hx_findings_new(&fs, NULL);
	hx_check_pairs(fs, ck, "en", "zh", p, 2, NULL);
	is_int(count(fs), 1, "one pair without 利益攸关方");
	is_int(hx_findings_get(fs, 0) ? hx_findings_get(fs, 0)->line : 0, 5,
	       "the first");
	is_str(suggestion(fs, 0), "利益攸关方", "the target term suggested");
	hx_findings_free(fs);
	hx_checker_free(ck);
	hx_termbase_free(tb);
}

/* hexalign check --xliff makes a pair of each segment at the line of its
 * <target>, or of its <source> when it has none; the reader gives both. */
static void test_xliff_lines(void)
{
	static const char *const files[2] = {
	    "<?xml version=\"1.0\"?>\n"
	    "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" "
	    "version=\"2.1\" srcLang=\"en\" trgLang=\"zh\">\n"
	    " <file id=\"f1\">\n"
	    "  <unit id=\"p1\">\n"
	    "   <segment id=\"p1s1\">\n"
	    "    <source>Resolution 179 (Rev. Bucharest, 2022)</source>\n"
	    "    <target>第178号决议（2022年，布加勒斯特，修订版）</target>\n"
	    "   </segment>\n"
	    "   <segment id=\"p1s2\">\n"
	    "    <source>The Council is invited to note the report.</source>\n"
	    "   </segment>\n"
	    "  </unit>\n"
	    " </file>\n"
	    "</xliff>\n",
	    "<?xml version=\"1.0\"?>\n"
	    "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" "
	    "version=\"1.2\">\n"
	    " <file original=\"r.docx\" source-language=\"en\" "
	    "target-language=\"zh\" datatype=\"x-docx\">\n"
	    "  <body>\n"
	    "   <trans-unit id=\"p1s1\">\n"
	    "    <source>Resolution 179 (Rev. Bucharest, 2022)</source>\n"
	    "    <target>第178号决议（2022年，布加勒斯特，修订版）</target>\n"
	    "   </trans-unit>\n"
	    "   <trans-unit id=\"p1s2\">\n"
	    "    <source>The Council is invited to note the report.</source>\n"
	    "   </trans-unit>\n"
	    "  </body>\n"
	    " </file>\n"
	    "</xliff>\n"};
	static const char *const name[2] = {"2.1", "1.2"};
	static const size_t src_line[2][2] = {{6, 10}, {6, 10}};
	char path[] = "/tmp/hexalign-test-check-XXXXXX";

	for (int v = 0; v < 2; v++) {
		hx_checker *ck = checker("bi-number,bi-empty");
		hx_findings *fs = NULL;
		hx_check_pair p[2];
		hx_xliff *x = NULL;
		int fd;

		strcpy(path, "/tmp/hexalign-test-check-XXXXXX");
		if ((fd = mkstemp(path)) < 0 ||
		    write(fd, files[v], strlen(files[v])) < 0) {
			ok(0, "XLIFF %s: temporary file", name[v]);
			continue;
		}
		close(fd);
		is_int(hx_xliff_read(&x, path, NULL), HX_OK, "XLIFF %s: read",
		       name[v]);
		unlink(path);
		if (!x || hx_xliff_count(x) != 2) {
			ok(0, "XLIFF %s: two segments", name[v]);
			hx_xliff_free(x);
			hx_checker_free(ck);
			continue;
		}
		for (size_t i = 0; i < 2; i++) {
			const hx_xliff_seg *g = hx_xliff_get(x, i);
			is_int(g->source_line, src_line[v][i],
			       "XLIFF %s: segment %zu: <source> line", name[v],
			       i + 1);
			is_int(g->target_line, i ? 0 : 7,
			       "XLIFF %s: segment %zu: <target> line", name[v],
			       i + 1);
			p[i] = (hx_check_pair){
			    path,
			    g->target ? g->target_line : g->source_line,
			    g->source,
			    strlen(g->source),
			    g->target,
			    g->target ? strlen(g->target) : 0};
		}
		is_int(hx_xliff_get(x, 0)->line, 5,
		       "XLIFF %s: the segment's own line, as merge reads it",
		       name[v]);
		hx_findings_new(&fs, NULL);
		is_int(hx_check_pairs(fs, ck, "en", "zh", p, 2, NULL), HX_OK,
		       "XLIFF %s: pairs", name[v]);
		hx_findings_sort(fs);
		is_int(count(fs), 3, "XLIFF %s: 179, 178, no target", name[v]);
		if (count(fs) == 3) {
			is_int(hx_findings_get(fs, 0)->line, 7,
			       "XLIFF %s: a number at the <target> line",
			       name[v]);
			is_str(hx_findings_get(fs, 2)->rule, "bi-empty",
			       "XLIFF %s: no target: bi-empty", name[v]);
			is_int(hx_findings_get(fs, 2)->line, 10,
			       "XLIFF %s: at the <source> line", name[v]);
		}
		hx_findings_free(fs);
		hx_xliff_free(x);
		hx_checker_free(ck);
	}
}

static void on_session_warning(void *payload, const char *message)
{
	(void)message;
	(*(int *)payload)++;
}

/* The session validates as the CLI did and checks what it is given. */
static void test_session(void)
{
	char path[] = "/tmp/hexalign-session-XXXXXX";
	int fd = mkstemp(path);
	const char *files[] = {path};
	hx_check_session_options o;
	hx_check_session *s = NULL;
	hx_error err;
	size_t n;
	int warnings = 0;

	static const char text[] = "The Council is invited to note the the "
				   "report.\n";
	ok(fd >= 0 &&
	       write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1),
	   "session: a document to check");
	close(fd);
	hx_check_session_options_init(&o);
	o.lang = "english";
	ok(hx_check_session_new(&s, files, 1, &o, &err) == HX_EINVAL && !s &&
	       strstr(err.message, "'english'"),
	   "session: a language that is no code");
	o.lang = NULL;
	ok(hx_check_session_new(&s, NULL, 0, &o, &err) == HX_ENOTFOUND,
	   "session: nothing to check");
	o.tmx = "x.tmx";
	o.target_lang = "zh";
	ok(hx_check_session_new(&s, NULL, 0, &o, &err) == HX_EINVAL,
	   "session: a TMX without its source language");
	o.tmx = NULL;
	o.target_lang = NULL;
	o.rules = "typo-nope";
	ok(hx_check_session_new(&s, files, 1, &o, &err) == HX_EINVAL,
	   "session: a rule that does not exist");
	o.rules = "typo-double-word";
	o.check.wordlist_dir = wordlists;
	o.warn = on_session_warning;
	o.payload = &warnings;
	ok(hx_check_session_new(&s, files, 1, &o, &err) == HX_OK,
	   "session: set up");
	ok(hx_check_session_run(s, &err) == HX_OK, "session: run");
	const char *const *names = hx_check_session_get_files(s, &n);
	ok(n == 1 && !strcmp(names[0], files[0]), "session: its input named");
	const hx_findings *fs = hx_check_session_get_findings(s);
	ok(hx_findings_count(fs) == 1 &&
	       !strcmp(hx_findings_get(fs, 0)->rule, "typo-double-word") &&
	       warnings == 0,
	   "session: the doubled word, no warning with spelling off");
	hx_check_session_free(s);
	hx_check_session_free(NULL);
	unlink(path);

	hx_findings_format ff = HX_FINDINGS_TEXT;
	ok(hx_findings_format_parse(&ff, "html") == HX_OK &&
	       ff == HX_FINDINGS_HTML &&
	       hx_findings_format_parse(&ff, "xml") == HX_EINVAL &&
	       ff == HX_FINDINGS_HTML,
	   "findings format names");
}

int main(int argc, char **argv)
{
	wordlists = argc > 1 ? argv[1] : NULL;
	test_rules_table();
	test_double_word();
	test_double_space();
	test_brackets();
	test_quotes();
	test_zh_punct();
	test_digit_width();
	test_spelling();
	test_suggestions();
	test_missing_dictionary();
	test_stem();
	test_variants();
	test_bi_numbers();
	test_bi_text();
	test_bi_consistency();
	test_findings_list();
	test_termbase();
	test_xliff_lines();
	test_session();
	return done_testing();
}
