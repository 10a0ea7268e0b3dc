/*
 * test-check-codes.c - the inline code rules of hx_check_pairs()
 * (bi-code-missing, bi-code-extra, bi-code-order, bi-code-nesting), each
 * on a pair that needs it and silent on a correct one, and the column of
 * a finding in the target's plain text.
 *
 * Segments are written with their codes as {KIND TYPE ID}: {(b1} starts
 * bold pair 1, {)b1} ends it, {!f3} is footnote reference 3; the test
 * turns them into coded text, plain text and hx_inline arrays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/check.h>

#include "tap.h"

/* One side of a pair as hx_check_pair takes it. */
struct side {
	char coded[512], plain[512];
	hx_inline codes[16];
	size_t n;
};

static size_t put_code(char *buf, unsigned k)
{
	unsigned c = 0xE000u + k; /* three bytes in UTF-8 */

	buf[0] = (char)(0xE0 | (c >> 12));
	buf[1] = (char)(0x80 | ((c >> 6) & 0x3F));
	buf[2] = (char)(0x80 | (c & 0x3F));
	return 3;
}

static void parse(struct side *s, const char *spec)
{
	size_t o = 0, p = 0;

	memset(s, 0, sizeof(*s));
	while (*spec) {
		if (*spec != '{') {
			s->coded[o++] = *spec;
			s->plain[p++] = *spec++;
			continue;
		}
		hx_inline *k = &s->codes[s->n];
		k->kind = spec[1] == '('   ? HX_INLINE_OPEN
			  : spec[1] == ')' ? HX_INLINE_CLOSE
					   : HX_INLINE_STANDALONE;
		k->type = spec[2] == 'b'   ? HX_INLINE_BOLD
			  : spec[2] == 'i' ? HX_INLINE_ITALIC
			  : spec[2] == 'l' ? HX_INLINE_LINK
					   : HX_INLINE_FOOTNOTE;
		k->id = (unsigned)strtoul(spec + 3, (char **)&spec, 10);
		k->data = k->disp = "";
		spec++; /* '}' */
		o += put_code(s->coded + o, (unsigned)s->n++);
	}
}

/* The pair of two sides written as the header says, codes NULL where a
 * side has none; valid until the next call. */
static void make(hx_check_pair *p, const char *src, const char *tgt)
{
	static struct side s, t;

	parse(&s, src);
	parse(&t, tgt);
	memset(p, 0, sizeof(*p));
	p->file = "t.xlf";
	p->line = 7;
	p->src = s.plain;
	p->src_len = strlen(s.plain);
	p->tgt = t.plain;
	p->tgt_len = strlen(t.plain);
	p->src_coded = s.n ? s.coded : NULL;
	p->src_codes = s.n ? s.codes : NULL;
	p->nsrc_codes = s.n;
	p->tgt_coded = t.n ? t.coded : NULL;
	p->tgt_codes = t.n ? t.codes : NULL;
	p->ntgt_codes = t.n;
}

/* The findings of the rules `only` on one pair, sorted. */
static hx_findings *run_pair(const hx_check_pair *p, const char *only)
{
	hx_findings *fs = NULL;
	hx_checker *ck = NULL;

	if (hx_findings_new(&fs, NULL) < 0 || hx_checker_new(&ck, NULL, NULL) ||
	    hx_checker_only(ck, only, NULL) < 0 ||
	    hx_check_pairs(fs, ck, "en", "fr", p, 1, NULL) < 0)
		printf("# run failed\n");
	hx_checker_free(ck);
	if (fs)
		hx_findings_sort(fs);
	return fs;
}

static hx_findings *run(const char *src, const char *tgt)
{
	hx_check_pair p;

	make(&p, src, tgt);
	return run_pair(&p, "bi-code-*");
}

/* The findings as "COL rule: message" lines, for one comparison. */
static const char *lines(const hx_findings *fs)
{
	static char buf[4096];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; fs && i < hx_findings_count(fs); i++) {
		const hx_finding *f = hx_findings_get(fs, i);
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%zu %s: %s",
				      i ? "\n" : "", f->column, f->rule,
				      f->message);
	}
	return buf;
}

static void expect(const char *src, const char *tgt, const char *want,
		   const char *what)
{
	hx_findings *fs = run(src, tgt);

	is_str(lines(fs), want, "%s", what);
	hx_findings_free(fs);
}

static void test_correct(void)
{
	expect("The {(b1}Council{)b1} met.{!f3}",
	       "Le {(b1}Conseil{)b1} s'est réuni.{!f3}", "",
	       "the same codes in the same order: nothing");
	expect("The Council met.", "Le Conseil s'est réuni.", "",
	       "no codes on either side: nothing");
	expect("The {(b1}Council{)b1} met.", "", "",
	       "an empty target is bi-empty's, not a missing code");
	expect("The {(b1}Council {(i2}met{)i2}{)b1}.",
	       "Le {(b1}Conseil {(i2}s'est réuni{)i2}{)b1}.", "",
	       "nested pairs kept nested: nothing");
}

static void test_missing(void)
{
	expect("The {(b1}Council{)b1} met.{!f3}", "Le Conseil s'est réuni.",
	       "1 bi-code-missing: the source's bold code 1 is not in the "
	       "target\n"
	       "1 bi-code-missing: the source's footnote code 3 is not in "
	       "the target",
	       "a lost pair is one finding, a lost note reference another");
	expect("The {(b1}Council{)b1} met.", "Le {(b1}Conseil s'est réuni.",
	       "1 bi-code-missing: the end of the source's bold code 1 is not "
	       "in the target\n"
	       "4 bi-code-nesting: bold code 1 starts and never ends",
	       "a lost end: missing, and the start left open");
}

static void test_extra(void)
{
	expect("The Council met.", "Le {(b1}Conseil{)b1} s'est réuni.",
	       "4 bi-code-extra: the target's bold code 1 is not in the source",
	       "a pair only the target has, at its start");
	expect("The Council met.{!f3}", "Le Conseil{!f3} s'est réuni.{!f3}",
	       "24 bi-code-extra: footnote code 3 is in the target more often "
	       "than in the source (2, not 1)",
	       "the second of a code the source has once");
}

static void test_order(void)
{
	expect("The {(b1}Council{)b1} adopted the {(i2}report{)i2}.{!f3}",
	       "Le {(i2}rapport{)i2} a été adopté par le {(b1}Conseil{)b1}."
	       "{!f3}",
	       "4 bi-code-order: codes in another order than in the source: "
	       "italic code 2 where the source has bold code 1",
	       "two pairs swapped: one warning, at the first out of place");
	expect("{!f1}a {!f2}b {!f3}c {!f4}d", "{!f4}a {!f3}b {!f2}c {!f1}d",
	       "1 bi-code-order: codes in another order than in the source: "
	       "footnote code 4 where the source has footnote code 1",
	       "four codes reversed: still one warning");
}

static void test_nesting(void)
{
	expect("The {(b1}Council {(i2}met{)i2}{)b1}.",
	       "Le {(b1}Conseil {(i2}s'est{)b1} réuni{)i2}.",
	       "17 bi-code-nesting: the end of bold code 1 comes while italic "
	       "code 2, started inside it, is still open (overlapping codes)",
	       "overlapping pairs, at the end that closes the outer one");
	expect("The {(b1}Council{)b1} met.",
	       "Le {)b1}Conseil{(b1} s'est réuni.",
	       "4 bi-code-nesting: the end of bold code 1 comes before its "
	       "start",
	       "an end before its start, told once");
	expect("The {(b1}Council met.", "Le {(b1}Conseil s'est réuni.", "",
	       "a start the source leaves open too (isolated) is fine");
}

static void test_column(void)
{
	/* "Le Conseil é" is 13 bytes and 12 code points: the column counts
	 * code points of the plain text before the code. */
	expect("The {(b1}Council{)b1} met.{!f3}",
	       "Le Conseil é{!f3}{(b1}x{)b1}",
	       "13 bi-code-order: codes in another order than in the source: "
	       "footnote code 3 where the source has bold code 1",
	       "a code after a two-byte letter: column in code points");
	{
		/* Plain text that is not the coded text without its
		 * placeholders (a 1.2 <bpt> holding "<fn/>"): the start. */
		hx_check_pair p;
		hx_findings *fs;
		make(&p, "a {(b1}b{)b1}", "x {!f3}y");
		p.tgt = "x <fn/>y";
		p.tgt_len = strlen(p.tgt);
		fs = run_pair(&p, "bi-code-extra");
		is_str(lines(fs),
		       "1 bi-code-extra: the target's footnote code 3 is not "
		       "in the source",
		       "text that differs from the coded text: column 1");
		hx_findings_free(fs);
	}
}

static void test_off(void)
{
	hx_check_pair p;
	hx_findings *fs;

	make(&p, "{(b1}a{)b1}", "b");
	fs = run_pair(&p, "bi-code-extra,bi-code-order,bi-code-nesting");
	is_int(hx_findings_count(fs), 0, "a rule turned off says nothing");
	hx_findings_free(fs);
	ok(hx_rule_find("bi-code-nesting") &&
	       hx_rule_find("bi-code-nesting")->severity == HX_SEVERITY_ERROR &&
	       hx_rule_find("bi-code-order")->severity == HX_SEVERITY_WARNING,
	   "severities: nesting an error, order a warning");
}

int main(void)
{
	test_correct();
	test_missing();
	test_extra();
	test_order();
	test_nesting();
	test_column();
	test_off();
	return done_testing();
}
