/*
 * test-read-html.c - the HTML reader: the six UN language versions of the
 * Universal Declaration of Human Rights read block for block like a plain
 * scan of their source, lists numbered as a browser numbers them, the
 * noise of a real page (script, style, head, hidden) left out, XHTML read
 * as XML with entity declarations refused, and the limits enforced.
 *
 * Usage: test-read-html DIR, where DIR is tests/data/html.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "tap.h"

static const char *dir;

static int load(hx_doc **doc, const char *file, hx_error *err)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	hx_error_init(err);
	return hx_read_file(doc, path, NULL, err);
}

static int mem(hx_doc **doc, const char *html, hx_error *err)
{
	hx_read_options opts;

	hx_read_options_init(&opts);
	opts.format = HX_FORMAT_HTML;
	hx_error_init(err);
	return hx_read_memory(doc, "mem.html", html, strlen(html), &opts, err);
}

static char *slurp(const char *file, size_t *len)
{
	char path[4096], *buf = NULL;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (!(f = fopen(path, "rb")))
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* ---- UDHR in six languages ---------------------------------------------- */

struct udhr {
	const char *file, *lang;
	int paragraphs; /* <p> elements in the file, counted with grep */
	const char *title, *first, *last;
};

static const struct udhr udhr[] = {
    {"eng", "en", 60, "Universal Declaration of Human Rights",
     "Whereas recognition of the inherent dignity and of the equal and "
     "inalienable rights of all members of the human family is the foundation "
     "of freedom, justice and peace in the world,",
     "Nothing in this Declaration may be interpreted as implying for any "
     "State, group or person any right to engage in any activity or to perform "
     "any act aimed at the destruction of any of the rights and freedoms set "
     "forth herein."},
    {"arb", "ar", 59, "الإعلان العالمي لحقوق الإنسان",
     "لمّا كان الاعتراف بالكرامة المتأصلة في جميع أعضاء الأسرة البشرية وبحقوقهم "
     "المتساوية الثابتة هو أساس الحرية والعدل والسلام في العالم.",
     "ليس في هذا الإعلان نص يجوز تأويله على أنه يخول لدولة أو جماعة أو فرد أي "
     "حق في القيام بنشاط أو تأدية عمل يهدف إلى هدم الحقوق والحريات الواردة "
     "فيه."},
    {"cmn_hans", "zh", 58, "世界人权宣言",
     "鉴于对人类家庭所有成员的固有尊严及其平等的和不移的权利的承认,"
     "乃是世界自由、正义与和平的基础,",
     "本宣言的任何条文,"
     "不得解释为默许任何国家、集团或个人有权进行任何旨在破坏本宣言所载的任何权"
     "利和自由的活动或行为。"},
    {"fra", "fr", 59, "Déclaration universelle des droits de l’homme",
     "Considérant que la reconnaissance de la dignité inhérente à tous les "
     "membres de la famille humaine et de leurs droits égaux et inaliénables "
     "constitue le fondement de la liberté, de la justice et de la paix dans "
     "le monde,",
     "Aucune disposition de la présente Déclaration ne peut être interprétée "
     "comme impliquant pour un État, un groupement ou un individu un droit "
     "quelconque de se livrer à une activité ou d’accomplir un acte visant à "
     "la destruction des droits et libertés qui y sont énoncés."},
    {"rus", "ru", 59, "Всеобщая декларация прав человека",
     "Принимая во внимание, что признание достоинства, присущего всем членам "
     "человеческой семьи, и равных и неотъемлемых прав их является основой "
     "свободы, справедливости и всеобщего мира; и",
     "Ничто в настоящей Декларации не может быть истолковано, как "
     "предоставление какому-либо государству, группе лиц или отдельным лицам "
     "права заниматься какой-либо деятельностью или совершать действия, "
     "направленные к уничтожению прав и свобод, изложенных в настоящей "
     "Декларации."},
    {"spa", "es", 60, "Declaración Universal de Derechos Humanos",
     "Considerando que la libertad, la justicia y la paz en el mundo tienen "
     "por base el reconocimiento de la dignidad intrínseca y de los derechos "
     "iguales e inalienables de todos los miembros de la familia humana;",
     "Nada en esta Declaración podrá interpretarse en el sentido de que "
     "confiere derecho alguno al Estado, a un grupo o a una persona, para "
     "emprender y desarrollar actividades o realizar actos tendientes a la "
     "supresión de cualquiera de los derechos y libertades proclamados en esta "
     "Declaración."},
};

/* One element of the reference scan. */
struct want {
	hx_block_kind kind;
	int level;
	char label[16];
	const char *text;
	size_t text_len;
	size_t line;
};

/*
 * The blocks the reader should give, found by a plain scan of the source
 * rather than by a parser: these files have no inline markup, entities or
 * line breaks inside an <h1>, <h2> or <p>, and every <li> holds one <p>,
 * so "text up to the next '<'" is the whole text of an element.
 */
static size_t scan(const char *s, struct want *w, size_t max)
{
	size_t n = 0, line = 1;
	int item = 0;
	bool in_li = false;

	for (const char *p = s; *p && n < max; p++) {
		if (*p == '\n')
			line++;
		if (*p != '<')
			continue;
		if (!strncmp(p, "<ol>", 4)) {
			item = 0;
		} else if (!strncmp(p, "<li>", 4)) {
			item++;
			in_li = true;
		} else if (!strncmp(p, "</li>", 5)) {
			in_li = false;
		} else if (!strncmp(p, "<h1>", 4) || !strncmp(p, "<h2>", 4) ||
			   !strncmp(p, "<p>", 3)) {
			struct want *x = &w[n++];

			memset(x, 0, sizeof(*x));
			x->line = line;
			if (p[1] == 'h') {
				x->kind = HX_BLOCK_HEADING;
				x->level = p[2] - '0';
			} else if (in_li) {
				x->kind = HX_BLOCK_LIST_ITEM;
				x->level = 1;
				snprintf(x->label, sizeof(x->label), "%d.",
					 item);
			} else {
				x->kind = HX_BLOCK_PARAGRAPH;
			}
			x->text = strchr(p, '>') + 1;
			x->text_len = strcspn(x->text, "<");
		}
	}
	return n;
}

static void test_udhr(const struct udhr *u)
{
	char file[64], *src = NULL;
	struct want want[256];
	size_t n_want, len, n, i, bad = (size_t)-1;
	int headings = 0, h2 = 0, items = 0, paras = 0;
	hx_doc *doc = NULL;
	const hx_block *b;
	hx_error err;
	int rc;

	snprintf(file, sizeof(file), "udhr/%s.html", u->file);
	rc = load(&doc, file, &err);
	is_int(rc, HX_OK, "%s: read (%s)", u->file, err.message);
	if (rc != HX_OK)
		return;
	n = hx_doc_count(doc);
	is_str(hx_doc_get_lang(doc), u->lang, "%s: lang from <html lang>",
	       u->file);
	for (i = 0; i < n; i++) {
		b = hx_doc_get_block(doc, i);
		headings += b->kind == HX_BLOCK_HEADING;
		h2 += b->kind == HX_BLOCK_HEADING && b->level == 2;
		items += b->kind == HX_BLOCK_LIST_ITEM;
		paras += b->kind == HX_BLOCK_PARAGRAPH;
	}
	is_int(headings, 32, "%s: 1 h1 + 31 h2 headings", u->file);
	is_int(h2, 31, "%s: 31 level-2 headings", u->file);
	is_int(items, 32, "%s: 32 list items", u->file);
	/* Each <li> holds one <p>, which becomes the item. */
	is_int(paras + items, u->paragraphs, "%s: every <p> is a block",
	       u->file);
	b = hx_doc_get_block(doc, 0);
	is_str(b->text, u->title, "%s: title", u->file);
	is_int(b->level, 1, "%s: title is h1", u->file);
	b = hx_doc_get_block(doc, 2);
	is_str(b->text, u->first, "%s: first paragraph", u->file);
	b = hx_doc_get_block(doc, n - 1);
	is_str(b->text, u->last, "%s: last paragraph", u->file);
	b = hx_doc_get_block(doc, n - 2);
	ok(b->kind == HX_BLOCK_HEADING && b->level == 2,
	   "%s: the article 30 heading comes before it", u->file);

	src = slurp(file, &len);
	ok(src != NULL, "%s: slurp", u->file);
	if (!src)
		goto done;
	n_want = scan(src, want, 256);
	is_int(n, n_want, "%s: as many blocks as the source scan", u->file);
	for (i = 0; i < n && i < n_want && bad == (size_t)-1; i++) {
		const struct want *x = &want[i];

		b = hx_doc_get_block(doc, i);
		if (b->kind != x->kind || b->level != x->level ||
		    strcmp(b->label, x->label) || b->line != x->line ||
		    b->text_len != x->text_len ||
		    memcmp(b->text, x->text, x->text_len))
			bad = i;
	}
	ok(bad == (size_t)-1,
	   "%s: every block's kind, level, label, line and text match the "
	   "source",
	   u->file);
	if (bad != (size_t)-1) {
		b = hx_doc_get_block(doc, bad);
		printf("#   block %zu: %s/%d [%s] line %zu '%s'\n", bad,
		       hx_block_kind_str(b->kind), b->level, b->label, b->line,
		       b->text);
		printf("#   want: %s/%d [%s] line %zu '%.*s'\n",
		       hx_block_kind_str(want[bad].kind), want[bad].level,
		       want[bad].label, want[bad].line, (int)want[bad].text_len,
		       want[bad].text);
	}
done:
	free(src);
	hx_doc_free(doc);
}

/* ---- a page with the usual noise ---------------------------------------- */

static const struct expect {
	hx_block_kind kind;
	int level;
	const char *label, *text;
	size_t line;
} basic[] = {
    {HX_BLOCK_HEADING, 1, "", "Security Council", 10},
    {HX_BLOCK_PARAGRAPH, 0, "",
     "First paragraph, spread over two lines\u00a0& more.", 11},
    {HX_BLOCK_PARAGRAPH, 0, "", "Line one\nline two", 13},
    {HX_BLOCK_LIST_ITEM, 1, "3.", "Third item", 17},
    {HX_BLOCK_LIST_ITEM, 1, "4.", "Fourth item", 18},
    {HX_BLOCK_LIST_ITEM, 2, "\u2022", "Nested bullet", 20},
    {HX_BLOCK_LIST_ITEM, 1, "", "Tail of fourth", 22},
    {HX_BLOCK_LIST_ITEM, 1, "a.", "Alpha in p", 24},
    {HX_BLOCK_LIST_ITEM, 1, "z.", "Zulu", 24},
    {HX_BLOCK_LIST_ITEM, 1, "aa.", "Double", 24},
    {HX_BLOCK_LIST_ITEM, 1, "II.", "Roman two", 25},
    {HX_BLOCK_LIST_ITEM, 1, "I.", "Roman one", 25},
    {HX_BLOCK_PARAGRAPH, 0, "", "Votes", 27},
    {HX_BLOCK_TABLE_CELL, 0, "", "Member", 28},
    {HX_BLOCK_TABLE_CELL, 0, "", "Vote", 28},
    {HX_BLOCK_TABLE_CELL, 0, "", "France", 29},
    {HX_BLOCK_TABLE_CELL, 0, "", "Yes\n(with reservation)", 29},
    {HX_BLOCK_PARAGRAPH, 0, "", "Loose div text", 31},
    {HX_BLOCK_PARAGRAPH, 0, "", "Para in div", 31},
    {HX_BLOCK_PARAGRAPH, 0, "", "after para", 31},
    {HX_BLOCK_PARAGRAPH, 0, "", "keep   this\n\tspacing", 32},
    {HX_BLOCK_PARAGRAPH, 0, "2.", "Typed label paragraph", 35},
    {HX_BLOCK_HEADING, 3, "", "Last heading", 37},
};

static void test_basic(void)
{
	size_t n = sizeof(basic) / sizeof(*basic);
	hx_doc *doc = NULL;
	hx_error err;
	int rc;

	rc = load(&doc, "basic.html", &err);
	is_int(rc, HX_OK, "basic: read (%s)", err.message);
	if (rc != HX_OK)
		return;
	is_int(hx_doc_count(doc), n, "basic: block count");
	is_str(hx_doc_get_lang(doc), "en", "basic: lang en-GB -> en");
	for (size_t i = 0; i < n && i < hx_doc_count(doc); i++) {
		const hx_block *b = hx_doc_get_block(doc, i);
		const struct expect *e = &basic[i];

		is_str(b->text, e->text, "basic %zu: text", i);
		is_str(b->label, e->label, "basic %zu: label", i);
		ok(b->kind == e->kind && b->level == e->level,
		   "basic %zu: %s/%d", i, hx_block_kind_str(e->kind), e->level);
		is_int(b->line, e->line, "basic %zu: line", i);
	}
	hx_doc_free(doc);
}

/* ---- small cases --------------------------------------------------------- */

/* Read html from memory; check its blocks as "label|text" joined by "/". */
static void check(const char *html, const char *want, const char *what)
{
	char got[1024] = "";
	hx_doc *doc = NULL;
	hx_error err;
	int rc;

	rc = mem(&doc, html, &err);
	if (rc != HX_OK) {
		snprintf(got, sizeof(got), "error %d: %s", rc, err.message);
	} else {
		for (size_t i = 0; i < hx_doc_count(doc); i++) {
			const hx_block *b = hx_doc_get_block(doc, i);
			size_t l = strlen(got);

			snprintf(got + l, sizeof(got) - l, "%s%s|%s",
				 i ? "/" : "", b->label, b->text);
		}
	}
	is_str(got, want, "%s", what);
	hx_doc_free(doc);
}

static void test_small(void)
{
	check("<ol type=\"i\" start=\"4\"><li>a</li><li value=\"9\">b</li>"
	      "<li>c</li></ol>",
	      "iv.|a/ix.|b/x.|c", "ol type=i start=4, li value");
	check("<ol type=A start=27><li>a</li></ol><ol start=0 type=a>"
	      "<li>b</li></ol>",
	      "AA.|a/0.|b", "alpha past Z; alpha 0 falls back to decimal");
	check("<ol><li>Outer<ol><li>Inner</li></ol></li><li>Next</li></ol>",
	      "1.|Outer/1.|Inner/2.|Next", "nested ol counts apart");
	check("<ul><li><div></div><p>x</p></li></ul>", "\u2022|x",
	      "an empty block inside li does not eat the bullet");
	check("<ul><li>  <ul><li>in</li></ul> tail</li></ul>",
	      "\u2022|in/\u2022|tail",
	      "an item with no text before its sublist keeps its bullet");
	check("<dl><dt>Term</dt><dd>Definition</dd></dl>", "|Term/|Definition",
	      "dt and dd");
	check("<p>a <span> b </span>\n c</p>", "|a b c",
	      "white space collapses across inline elements");
	check("<p>x<script>bad()</script><style>p{}</style>y</p>", "|xy",
	      "script and style inside a paragraph");
	check("<body><p>one<p>two<div>three</div></body>", "|one/|two/|three",
	      "unclosed p is recovered");
	check("<li>Orphan</li>", "|Orphan", "li outside a list has no label");
	check("<p><ruby>\u5b89<rt>an</rt></ruby>\u7406\u4f1a</p>",
	      "|\u5b89\u7406\u4f1a", "ruby annotations are not text");
	check("<p>1.5 million</p><p>a)\tb</p>", "|1.5 million/a)|b",
	      "only a tab marks a typed label");
	check("<p>A&eacute;&#233;&#x4E00;&copy;</p>",
	      "|A\u00e9\u00e9\u4e00\u00a9", "character references");
	check("<p>e\xcc\x81</p>", "|\u00e9", "text is NFC");
	check("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/"
	      "xhtml\"><body><p>a&amp;b<br/>c</p></body></html>",
	      "|a&b\nc", "XHTML from memory");
	check("<!DOCTYPE html [<!ENTITY a \"x\">]><html xmlns=\"http://"
	      "www.w3.org/1999/xhtml\"><body><p>&a;</p></body></html>",
	      "error -5: mem.html: the DOCTYPE declares entities; refused "
	      "(entity expansion is never done)",
	      "one entity declaration is refused");
	check("<html><head><title>t</title></head><body></body></html>",
	      "error -5: mem.html: no text found", "no body text");
	check("<p>ok</p>\n<p>\xff\xfe bad</p>",
	      "error -5: mem.html:2: invalid UTF-8 in text",
	      "bytes that are not UTF-8 are refused with their line");
	check("<!DOCTYPE html [<!ENTITY a \"x\">]><p>&a;</p>",
	      "error -5: mem.html: the DOCTYPE declares entities; refused "
	      "(entity expansion is never done)",
	      "an internal subset sends even plain HTML to the XML guard");
}

static void test_files(void)
{
	hx_doc *doc = NULL;
	hx_error err;
	int rc;

	rc = load(&doc, "xhtml.xhtml", &err);
	is_int(rc, HX_OK, "xhtml: read (%s)", err.message);
	if (rc == HX_OK) {
		is_int(hx_doc_count(doc), 4, "xhtml: 4 blocks");
		is_str(hx_doc_get_lang(doc), "fr", "xhtml: lang");
		is_str(hx_doc_get_block(doc, 0)->text,
		       "R\u00e9solution 2231 (2015)", "xhtml: h2");
		is_int(hx_doc_get_block(doc, 0)->level, 2, "xhtml: h2 level");
		is_str(hx_doc_get_block(doc, 1)->text,
		       "Le\u00a0Conseil de s\u00e9curit\u00e9,",
		       "xhtml: &nbsp; without the DTD");
		is_str(hx_doc_get_block(doc, 2)->text,
		       "Rappelant ses r\u00e9solutions", "xhtml: li");
		is_str(hx_doc_get_block(doc, 2)->label, "\u2022",
		       "xhtml: bullet");
		is_str(hx_doc_get_block(doc, 3)->text,
		       "Texte <brut> & donn\u00e9es", "xhtml: CDATA");
		is_int(hx_doc_get_block(doc, 3)->line, 9, "xhtml: line");
	}
	hx_doc_free(doc);
	doc = NULL;

	rc = load(&doc, "entity-bomb.xhtml", &err);
	is_int(rc, HX_EFORMAT, "entity bomb refused");
	ok(strstr(err.message, "entity-bomb.xhtml: the DOCTYPE declares "
			       "entities") != NULL,
	   "entity bomb message: %s", err.message);
	ok(doc == NULL, "entity bomb: no document");

	rc = load(&doc, "broken.xhtml", &err);
	is_int(rc, HX_OK, "broken XHTML falls back to HTML (%s)", err.message);
	if (rc == HX_OK) {
		is_int(hx_doc_count(doc), 2, "broken: 2 blocks");
		is_str(hx_doc_get_block(doc, 1)->text, "Second\u00a0one",
		       "broken: HTML entity");
		is_int(hx_doc_get_block(doc, 0)->line, 3, "broken: line");
	}
	hx_doc_free(doc);
	doc = NULL;

	rc = load(&doc, "latin1.html", &err);
	is_int(rc, HX_OK, "latin1: read (%s)", err.message);
	if (rc == HX_OK)
		is_str(hx_doc_get_block(doc, 0)->text,
		       "R\u00e9solution \u201cadopt\u00e9e\u201d",
		       "latin1: meta charset, read as windows-1252");
	hx_doc_free(doc);
	doc = NULL;

	rc = load(&doc, "no-meta.html", &err);
	is_int(rc, HX_OK, "no-meta: read (%s)", err.message);
	if (rc == HX_OK)
		is_str(hx_doc_get_block(doc, 0)->text,
		       "Sans m\u00e9ta : \u00ab\u00a0texte\u00a0\u00bb "
		       "\u5b89\u7406\u4f1a",
		       "no-meta: UTF-8 by default");
	hx_doc_free(doc);
	doc = NULL;

	rc = load(&doc, "utf16le.html", &err);
	is_int(rc, HX_OK, "utf16le: read (%s)", err.message);
	if (rc == HX_OK) {
		is_int(hx_doc_count(doc), 1, "utf16le: 1 block");
		is_str(hx_doc_get_block(doc, 0)->text,
		       "\u0421\u043e\u0432\u0435\u0442 "
		       "\u0411\u0435\u0437\u043e\u043f\u0430\u0441\u043d\u043e"
		       "\u0441\u0442\u0438",
		       "utf16le: BOM honoured");
	}
	hx_doc_free(doc);
	doc = NULL;

	rc = load(&doc, "deep.html", &err);
	is_int(rc, HX_ELIMIT, "300 nested divs exceed the depth limit");
	ok(strstr(err.message, "nested deeper than 256") != NULL,
	   "depth message: %s", err.message);
	rc = load(&doc, "deep-ok.html", &err);
	is_int(rc, HX_OK, "250 nested divs are fine (%s)", err.message);
	if (rc == HX_OK)
		is_str(hx_doc_get_block(doc, 0)->text, "deep but fine",
		       "deep-ok: text");
	hx_doc_free(doc);
	doc = NULL;

	rc = load(&doc, "not-html.html", &err);
	is_int(rc, HX_EFORMAT, "binary junk is refused");
	ok(strstr(err.message, "not-html.html: not an HTML document") ||
	       strstr(err.message, "not-html.html: no text found"),
	   "junk message: %s", err.message);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	for (size_t i = 0; i < sizeof(udhr) / sizeof(*udhr); i++)
		test_udhr(&udhr[i]);
	test_basic();
	test_small();
	test_files();
	return done_testing();
}
