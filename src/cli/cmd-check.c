/*
 * cmd-check.c - `hexalign check`: read documents (or an aligned TMX, a
 * translated XLIFF, or a document and its translation, aligned here), run
 * the checks of
 * <hexalign/check.h> and print the findings as compiler-style lines, JSON
 * lines or an HTML report. Exit 1 when a finding is an error, so a
 * documents team can stop a pipeline on it.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "commands.h"
#include "util.h"

#define MAX_INPUTS 256

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: hexalign check [options] FILE...\n"
	    "       hexalign check [options] --target FILE -t LANG FILE\n"
	    "       hexalign check [options] --tmx FILE -s LANG -t LANG\n"
	    "       hexalign check [options] --xliff FILE [-s LANG] [-t LANG]\n"
	    "\n"
	    "Check documents for terminology, spelling and typography, and "
	    "language\n"
	    "versions against each other (numbers, dates, symbols, "
	    "untranslated text).\n"
	    "\n"
	    "  -l, --lang LANG        language of the FILEs (detected when "
	    "absent)\n"
	    "      --target FILE      the translation of the one FILE: "
	    "aligned, then compared\n"
	    "  -t, --target-lang LANG language of --target or the TMX target\n"
	    "      --tmx FILE         check the pairs of an aligned TMX\n"
	    "  -s, --source-lang LANG the TMX source language\n"
	    "      --xliff FILE       check the segments of an XLIFF 2.x or "
	    "1.2 (languages\n"
	    "                         from the file unless -s/-t say "
	    "otherwise)\n"
	    "      --tb FILE          term base (.tbx, .tsv)\n"
	    "      --format FMT       text (default), json, html\n"
	    "      --rules LIST       only these rules (ids, or prefixes "
	    "like typo-*)\n"
	    "      --ignore LIST      not these rules\n"
	    "      --list-rules       print the rules and exit\n"
	    "      --wordlist FILE    more accepted words, one a line "
	    "(repeatable)\n"
	    "      --dict-dir DIR     hunspell dictionaries (default "
	    "/usr/share/hunspell,\n"
	    "                         or $HEXALIGN_HUNSPELL_DIR)\n"
	    "  -o FILE                output file (default: stdout); "
	    "written whole or not at all\n"
	    "  -h, --help             this text\n"
	    "\n"
	    "text: FILE:LINE:COL: SEVERITY: MESSAGE [RULE]; LINE is the "
	    "source line (text),\n"
	    "the paragraph (DOCX), the <tu> line (TMX) or the <target> line "
	    "(XLIFF;\n"
	    "<source> when there is no target), COL counts characters.\n"
	    "Exit status: 0 no error-level finding, 1 errors found or input "
	    "unusable, 2 usage.\n");
}

static void list_rules(FILE *f)
{
	for (size_t i = 0; i < hx_rule_count(); i++) {
		const hx_rule *r = hx_rule_get(i);
		fprintf(f, "%-24s %-8s %s\n", r->id,
			hx_severity_str(r->severity), r->description);
	}
}

/* en, zh, ar, fr, ru, es and other two- or three-letter codes, with an
 * optional region or script ("zh-Hans", "en_GB"). */
static bool lang_valid(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz");
	if (n < 2 || n > 3)
		return false;
	if (!s[n])
		return true;
	if (s[n] != '-' && s[n] != '_')
		return false;
	size_t m = strspn(s + n + 1, "abcdefghijklmnopqrstuvwxyz"
				     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	return m >= 2 && m <= 8 && !s[n + 1 + m];
}

static const char *lexicon_dir(void)
{
	const char *env = getenv("HEXALIGN_LEXICON_DIR");
	FILE *f;

	if (env && *env)
		return env;
	if ((f = fopen(HX_LEXICON_INSTALL_DIR "/en-zh.tsv", "rb"))) {
		fclose(f);
		return HX_LEXICON_INSTALL_DIR;
	}
	return HX_LEXICON_DIR;
}

/* The shipped domain word lists: installed, else the source tree's. */
static const char *wordlist_dir(void)
{
	FILE *f = fopen(HX_WORDLIST_INSTALL_DIR "/en.txt", "rb");
	if (f) {
		fclose(f);
		return HX_WORDLIST_INSTALL_DIR;
	}
	return HX_WORDLIST_DIR;
}

/* --- Output ------------------------------------------------------------ */

static void write_text(FILE *f, const hx_findings *fs)
{
	for (size_t i = 0; i < hx_findings_count(fs); i++) {
		const hx_finding *x = hx_findings_get(fs, i);
		fprintf(f, "%s:%zu:%zu: %s: %s [%s]\n", x->file, x->line,
			x->column, hx_severity_str(x->severity), x->message,
			x->rule);
	}
}

static void json_field(FILE *f, const char *name, const char *v, bool comma)
{
	fprintf(f, "\"%s\":", name);
	cli_json_string(f, v, strlen(v));
	if (comma)
		fputc(',', f);
}

static void write_json(FILE *f, const hx_findings *fs)
{
	for (size_t i = 0; i < hx_findings_count(fs); i++) {
		const hx_finding *x = hx_findings_get(fs, i);
		fputc('{', f);
		json_field(f, "file", x->file, true);
		fprintf(f, "\"line\":%zu,\"column\":%zu,", x->line, x->column);
		json_field(f, "rule", x->rule, true);
		json_field(f, "severity", hx_severity_str(x->severity), true);
		json_field(f, "message", x->message, true);
		json_field(f, "found", x->found, true);
		json_field(f, "suggestion", x->suggestion, false);
		fputs("}\n", f);
	}
}

static void html_escape(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(s[i], f);
		}
	}
}

static void html_str(FILE *f, const char *s)
{
	html_escape(f, s, strlen(s));
}

/* Around a finding, this many bytes of its paragraph are shown, cut at
 * a character boundary. */
#define HTML_CONTEXT 160

static size_t back_to_char(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static void html_context(FILE *f, const hx_finding *x)
{
	const char *t = x->context;
	size_t len = strlen(t), s = x->context_start, e = x->context_end;
	size_t a = s > HTML_CONTEXT ? back_to_char(t, s - HTML_CONTEXT) : 0;
	size_t b =
	    len - e > HTML_CONTEXT ? back_to_char(t, e + HTML_CONTEXT) : len;

	if (a > 0)
		fputs("…", f);
	html_escape(f, t + a, s - a);
	if (e > s) {
		fputs("<mark>", f);
		html_escape(f, t + s, e - s);
		fputs("</mark>", f);
	}
	html_escape(f, t + e, b - e);
	if (b < len)
		fputs("…", f);
}

static void write_html(FILE *f, const hx_findings *fs, char **files, int nfiles)
{
	size_t n = hx_findings_count(fs), by_sev[3] = {0};

	for (size_t i = 0; i < n; i++)
		by_sev[hx_findings_get(fs, i)->severity]++;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	      "charset=\"utf-8\">\n<title>hexalign check</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:1em}"
	      "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}"
	      "td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;"
	      "text-align:left}"
	      "th{background:#eee}"
	      "td.loc{white-space:nowrap;font-family:monospace}"
	      "mark{background:#ffd54f}"
	      "span.error{color:#b00020;font-weight:bold}"
	      "span.warning{color:#a15c00}"
	      "span.info{color:#555}"
	      "p.d{color:#444}\n"
	      "</style>\n</head>\n<body>\n<h1>hexalign check</h1>\n<p>",
	      f);
	fprintf(f,
		"%zu findings: %zu errors, %zu warnings, %zu notes. Files: ", n,
		by_sev[HX_SEVERITY_ERROR], by_sev[HX_SEVERITY_WARNING],
		by_sev[HX_SEVERITY_INFO]);
	for (int i = 0; i < nfiles; i++) {
		fputs(i ? ", <code>" : "<code>", f);
		html_str(f, files[i]);
		fputs("</code>", f);
	}
	fputs(".</p>\n", f);
	for (size_t r = 0; r < hx_rule_count(); r++) {
		const hx_rule *rule = hx_rule_get(r);
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			k += !strcmp(hx_findings_get(fs, i)->rule, rule->id);
		if (!k)
			continue;
		fprintf(f, "<h2 id=\"%s\">%s <small>(%zu, %s)</small></h2>\n",
			rule->id, rule->id, k, hx_severity_str(rule->severity));
		fputs("<p class=\"d\">", f);
		html_str(f, rule->description);
		fputs("</p>\n<table>\n<tr><th>where</th><th>what</th>"
		      "<th>context</th><th>suggestion</th></tr>\n",
		      f);
		for (size_t i = 0; i < n; i++) {
			const hx_finding *x = hx_findings_get(fs, i);
			if (strcmp(x->rule, rule->id))
				continue;
			fputs("<tr><td class=\"loc\">", f);
			html_str(f, x->file);
			fprintf(
			    f, ":%zu:%zu</td><td><span class=\"%s\">%s</span> ",
			    x->line, x->column, hx_severity_str(x->severity),
			    hx_severity_str(x->severity));
			html_str(f, x->message);
			fputs("</td><td>", f);
			html_context(f, x);
			fputs("</td><td>", f);
			html_str(f, x->suggestion);
			fputs("</td></tr>\n", f);
		}
		fputs("</table>\n", f);
	}
	if (!n)
		fputs("<p>No findings.</p>\n", f);
	fputs("</body>\n</html>\n", f);
}

/* --- Bilingual input --------------------------------------------------- */

struct pairs {
	hx_check_pair *v;
	size_t n, cap;
	/* texts are copied: the TMX reader lends them for one callback */
	char **owned;
	size_t nowned;
};

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s ? s : "", n);
		d[n] = '\0';
	}
	return d;
}

static int pairs_add(struct pairs *p, const char *file, size_t line,
		     const char *src, size_t sl, const char *tgt, size_t tl)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		hx_check_pair *v = realloc(p->v, cap * sizeof(*v));
		char **o = realloc(p->owned, 2 * cap * sizeof(*o));
		if (v)
			p->v = v;
		if (o)
			p->owned = o;
		if (!v || !o)
			return -1;
		p->cap = cap;
	}
	char *s = dup_n(src, sl), *t = dup_n(tgt, tl);
	if (!s || !t) {
		free(s);
		free(t);
		return -1;
	}
	p->owned[p->nowned++] = s;
	p->owned[p->nowned++] = t;
	p->v[p->n++] = (hx_check_pair){file, line, s, sl, t, tl};
	return 0;
}

static void pairs_free(struct pairs *p)
{
	for (size_t i = 0; i < p->nowned; i++)
		free(p->owned[i]);
	free(p->owned);
	free(p->v);
}

/* "en" matches "en", "en-US", "EN_gb". */
static bool lang_is(const char *tag, const char *want)
{
	size_t n = strlen(want);
	if (strncasecmp(tag, want, n))
		return false;
	return tag[n] == '\0' || tag[n] == '-' || tag[n] == '_';
}

struct tmx_ctx {
	struct pairs *pairs;
	const char *path, *src, *tgt;
	hx_doc *src_doc, *tgt_doc;
};

static int on_unit(void *payload, const hx_tmx_header_read *hdr,
		   const hx_tmx_unit *tu, hx_error *err)
{
	struct tmx_ctx *c = payload;
	const hx_tmx_tuv_read *s = NULL, *t = NULL;

	(void)hdr;
	for (size_t i = 0; i < tu->ntuvs; i++) {
		if (!s && lang_is(tu->tuvs[i].lang, c->src))
			s = &tu->tuvs[i];
		else if (!t && lang_is(tu->tuvs[i].lang, c->tgt))
			t = &tu->tuvs[i];
	}
	if (!s || !t)
		return HX_OK; /* this unit does not hold the pair */
	if (pairs_add(c->pairs, c->path, tu->line, s->text, s->len, t->text,
		      t->len) < 0 ||
	    hx_doc_add_block(c->src_doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0,
			     s->text, s->len, tu->line, err) < 0 ||
	    hx_doc_add_block(c->tgt_doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0,
			     t->text, t->len, tu->line, err) < 0) {
		snprintf(err->message, sizeof(err->message), "out of memory");
		return HX_ENOMEM;
	}
	return HX_OK;
}

/* The language of one side of an XLIFF: the option, else the file's,
 * normalised as the memory stores it ("zh-CN" -> "zh"). NULL (with a
 * message) when neither names a usable code. */
static const char *xliff_lang(char *buf, size_t size, const char *given,
			      const char *in_file, const char *path,
			      const char *side, const char *opt)
{
	if (given)
		in_file = given;
	else if (!in_file || !*in_file) {
		cli_error("%s: the file names no %s language; give %s LANG",
			  path, side, opt);
		return NULL;
	}
	hx_tm_lang_norm(buf, size, in_file);
	if (!lang_valid(buf)) {
		cli_error("%s: %s language '%s' is not a language code; give "
			  "%s LANG",
			  path, side, in_file, opt);
		return NULL;
	}
	return buf;
}

/* Every segment of an XLIFF becomes a pair pointing at its <target>
 * line; a segment without a target (not translated yet) is an empty
 * target at its <source> line, which bi-empty reports. The targets also
 * make a document for the one-language checks, with the same lines. */
static int xliff_pairs(struct pairs *p, hx_doc *src_doc, hx_doc *tgt_doc,
		       const hx_xliff *x, const char *path, hx_error *err)
{
	for (size_t i = 0; i < hx_xliff_count(x); i++) {
		const hx_xliff_seg *g = hx_xliff_get(x, i);
		const char *t = g->target ? g->target : "";
		size_t line = g->target ? g->target_line : g->source_line;
		size_t sl = strlen(g->source), tl = strlen(t);
		if (pairs_add(p, path, line, g->source, sl, t, tl) < 0) {
			snprintf(err->message, sizeof(err->message),
				 "out of memory");
			return HX_ENOMEM;
		}
		int rc =
		    hx_doc_add_block(src_doc, HX_BLOCK_PARAGRAPH, 0, NULL, 0,
				     g->source, sl, g->source_line, err);
		if (rc < 0 ||
		    (rc = hx_doc_add_block(tgt_doc, HX_BLOCK_PARAGRAPH, 0, NULL,
					   0, t, tl, line, err)) < 0)
			return rc;
	}
	return HX_OK;
}

/* The sentences [start, start+n) of one side, joined as the language
 * writes them (no space between Chinese sentences). */
static char *join(const hx_sentences *s, size_t start, size_t n, size_t *len)
{
	bool spaced = strncmp(hx_sentences_get_lang(s), "zh", 2) != 0;
	size_t total = 1;
	char *b, *p;

	for (size_t k = 0; k < n; k++) {
		size_t l;
		hx_sentences_get(s, start + k, &l);
		total += l + 1;
	}
	if (!(b = p = malloc(total)))
		return NULL;
	for (size_t k = 0; k < n; k++) {
		size_t l;
		const char *t = hx_sentences_get(s, start + k, &l);
		if (k && spaced)
			*p++ = ' ';
		memcpy(p, t, l);
		p += l;
	}
	*p = '\0';
	*len = (size_t)(p - b);
	return b;
}

/* Align the document with its translation and make pairs of the beads
 * that have both sides. */
static int align_pairs(struct pairs *out, hx_doc *src, const char *src_lang,
		       hx_doc *tgt, const char *tgt_lang)
{
	hx_sentences *ss = NULL, *ts = NULL;
	hx_alignment *al = NULL;
	hx_lexicon *lex = NULL;
	hx_align_options ao;
	hx_error err;
	int rc = -1;

	hx_error_init(&err);
	hx_align_options_init(&ao);
	if (hx_sentences_from_doc(&ss, src, src_lang, NULL, &err) < 0 ||
	    hx_sentences_from_doc(&ts, tgt, tgt_lang, NULL, &err) < 0)
		goto fail;
	if (hx_lexicon_load_pair(&lex, lexicon_dir(), src_lang, tgt_lang,
				 &err) < 0 &&
	    err.code != HX_ENOTFOUND)
		goto fail;
	if (hx_align_run(&al, ss, ts, lex, &ao, &err) < 0)
		goto fail;
	if (hx_alignment_unrelated(al))
		cli_error("warning: %s and %s may not be versions of the same "
			  "document (same-document likelihood %.2f)",
			  hx_doc_get_path(src), hx_doc_get_path(tgt),
			  hx_alignment_same_document(al));
	for (size_t i = 0; i < hx_alignment_count(al); i++) {
		const hx_bead *b = hx_alignment_get(al, i);
		size_t sl, tl;
		char *s, *t;
		/* 1-0 and 0-1 beads are where the aligner found no partner,
		 * not proof of a missing translation: left out. */
		if (!b->src_n || !b->tgt_n)
			continue;
		s = join(ss, b->src_start, b->src_n, &sl);
		t = join(ts, b->tgt_start, b->tgt_n, &tl);
		int bad = !s || !t ||
			  pairs_add(out, hx_doc_get_path(tgt),
				    hx_sentences_get_line(ts, b->tgt_start), s,
				    sl, t, tl) < 0;
		free(s);
		free(t);
		if (bad) {
			snprintf(err.message, sizeof(err.message),
				 "out of memory");
			goto fail;
		}
	}
	rc = 0;
	goto done;
fail:
	cli_error("%s", err.message);
done:
	hx_alignment_free(al);
	hx_lexicon_free(lex);
	hx_sentences_free(ss);
	hx_sentences_free(ts);
	return rc;
}

/* --- The command ------------------------------------------------------- */

struct opts {
	const char *lang, *target, *target_lang, *tmx, *xliff, *source_lang;
	const char *tb;
	const char *format, *rules, *ignore, *out, *dict_dir;
	const char *wordlists[16];
	int nwordlists;
	bool list;
};

static int parse(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"lang", required_argument, NULL, 'l'},
	    {"target", required_argument, NULL, 'T'},
	    {"target-lang", required_argument, NULL, 't'},
	    {"tmx", required_argument, NULL, 'X'},
	    {"xliff", required_argument, NULL, 'x'},
	    {"source-lang", required_argument, NULL, 's'},
	    {"tb", required_argument, NULL, 'B'},
	    {"format", required_argument, NULL, 'f'},
	    {"rules", required_argument, NULL, 'R'},
	    {"ignore", required_argument, NULL, 'I'},
	    {"list-rules", no_argument, NULL, 'L'},
	    {"wordlist", required_argument, NULL, 'W'},
	    {"dict-dir", required_argument, NULL, 'D'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	int c;

	while ((c = getopt_long(argc, argv, "l:t:s:o:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'l':
			o->lang = optarg;
			break;
		case 'T':
			o->target = optarg;
			break;
		case 't':
			o->target_lang = optarg;
			break;
		case 'X':
			o->tmx = optarg;
			break;
		case 'x':
			o->xliff = optarg;
			break;
		case 's':
			o->source_lang = optarg;
			break;
		case 'B':
			o->tb = optarg;
			break;
		case 'f':
			o->format = optarg;
			break;
		case 'R':
			o->rules = optarg;
			break;
		case 'I':
			o->ignore = optarg;
			break;
		case 'L':
			o->list = true;
			break;
		case 'W':
			if (o->nwordlists == 16) {
				cli_error("check: at most 16 --wordlist");
				return 2;
			}
			o->wordlists[o->nwordlists++] = optarg;
			break;
		case 'D':
			o->dict_dir = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	return -1;
}

static int validate(const struct opts *o, int nfiles)
{
	const char *langs[] = {o->lang, o->target_lang, o->source_lang};

	if (strcmp(o->format, "text") && strcmp(o->format, "json") &&
	    strcmp(o->format, "html")) {
		cli_error("check: unknown format '%s' (text, json, html)",
			  o->format);
		return 2;
	}
	for (size_t i = 0; i < 3; i++)
		if (langs[i] && !lang_valid(langs[i])) {
			cli_error("check: '%s' is not a language code (en, zh, "
				  "ar, fr, ru, es, ...)",
				  langs[i]);
			return 2;
		}
	if (!!o->tmx + !!o->target + !!o->xliff > 1) {
		cli_error("check: --tmx, --xliff and --target exclude each "
			  "other");
		return 2;
	}
	if (o->xliff && nfiles) {
		cli_error("check: --xliff FILE wants no other file");
		return 2;
	}
	if (o->tmx && (!o->source_lang || !o->target_lang || nfiles)) {
		cli_error("check: --tmx FILE wants -s LANG and -t LANG and no "
			  "other file");
		return 2;
	}
	if (o->target && (!o->target_lang || nfiles != 1)) {
		cli_error("check: --target FILE wants -t LANG and exactly one "
			  "source FILE");
		return 2;
	}
	if (!o->tmx && !o->xliff && !nfiles) {
		cli_error("check: no file to check");
		usage(stderr);
		return 2;
	}
	if (nfiles > MAX_INPUTS) {
		cli_error("check: at most %d files at once", MAX_INPUTS);
		return 2;
	}
	return -1;
}

/* Each language checked: its dictionary, or a warning why spelling is
 * skipped; the word lists given. */
static int prepare_lang(hx_checker *ck, const struct opts *o, const char *lang)
{
	hx_error err;

	hx_error_init(&err);
	if (!hx_checker_is_on(ck, "spelling"))
		return 0;
	int rc = hx_checker_spell_ready(ck, lang, &err);
	if (rc == HX_ENOTFOUND || rc == HX_EFORMAT)
		cli_error("warning: %s; spelling not checked", err.message);
	if (rc < 0)
		return 0;
	for (int i = 0; i < o->nwordlists; i++)
		if (hx_checker_load_wordlist(ck, lang, o->wordlists[i], &err) <
		    0) {
			cli_error("%s", err.message);
			return -1;
		}
	return 0;
}

static const char *doc_lang(hx_doc *doc, const char *given)
{
	const char *l = given ? given : hx_doc_detect_lang(doc);
	return l ? l : "en";
}

int cmd_check(int argc, char **argv)
{
	struct opts o = {.format = "text"};
	hx_doc *docs[MAX_INPUTS + 2] = {0};
	const char *langs[MAX_INPUTS + 2] = {0};
	char *names[MAX_INPUTS + 1];
	struct pairs pairs = {0};
	hx_check_options copts;
	hx_findings *fs = NULL;
	hx_checker *ck = NULL;
	hx_termbase *tb = NULL;
	cli_output out = {0};
	hx_xliff *xliff = NULL;
	char xsrc[16], xtgt[16];
	size_t ndocs = 0;
	int nfiles, nnames = 0, rc;
	hx_error err;

	hx_error_init(&err);
	if ((rc = parse(&o, argc, argv)) >= 0)
		return rc;
	if (o.list) {
		list_rules(stdout);
		return 0;
	}
	nfiles = argc - optind;
	if ((rc = validate(&o, nfiles)) >= 0)
		return rc;
	rc = 1;
	hx_check_options_init(&copts);
	copts.dict_dir =
	    o.dict_dir ? o.dict_dir : getenv("HEXALIGN_HUNSPELL_DIR");
	if (copts.dict_dir && !*copts.dict_dir)
		copts.dict_dir = NULL;
	copts.wordlist_dir = wordlist_dir();
	if (hx_checker_new(&ck, &copts, &err) < 0 ||
	    hx_findings_new(&fs, &err) < 0) {
		cli_error("%s", err.message);
		goto done;
	}
	if ((o.rules && hx_checker_only(ck, o.rules, &err) < 0) ||
	    (o.ignore && hx_checker_ignore(ck, o.ignore, &err) < 0)) {
		cli_error("check: %s", err.message);
		rc = 2;
		goto done;
	}
	if (o.tb && (hx_termbase_load(&tb, o.tb, NULL, &err) < 0 ||
		     hx_checker_set_termbase(ck, tb, &err) < 0)) {
		cli_error("%s", err.message);
		goto done;
	}
	for (int i = 0; i < nfiles; i++) {
		if (hx_read_file(&docs[ndocs], argv[optind + i], NULL, &err) <
		    0) {
			cli_error("%s", err.message);
			goto done;
		}
		langs[ndocs] = doc_lang(docs[ndocs], o.lang);
		names[nnames++] = argv[optind + i];
		ndocs++;
	}
	if (o.target) {
		if (hx_read_file(&docs[ndocs], o.target, NULL, &err) < 0) {
			cli_error("%s", err.message);
			goto done;
		}
		langs[ndocs] = o.target_lang;
		names[nnames++] = (char *)o.target;
		ndocs++;
		if (align_pairs(&pairs, docs[0], langs[0], docs[1], langs[1]) <
		    0)
			goto done;
	}
	if (o.tmx) {
		struct tmx_ctx tc = {&pairs,	    o.tmx, o.source_lang,
				     o.target_lang, NULL,  NULL};
		if (hx_doc_new(&docs[0], o.tmx, &err) < 0 ||
		    hx_doc_new(&docs[1], o.tmx, &err) < 0) {
			cli_error("%s", err.message);
			goto done;
		}
		ndocs = 2;
		tc.src_doc = docs[0];
		tc.tgt_doc = docs[1];
		langs[0] = o.source_lang;
		langs[1] = o.target_lang;
		names[nnames++] = (char *)o.tmx;
		if (hx_tmx_read(o.tmx, NULL, on_unit, &tc, &err) < 0) {
			cli_error("%s", err.message);
			goto done;
		}
		if (!pairs.n) {
			cli_error("%s: no unit holds both '%s' and '%s'", o.tmx,
				  o.source_lang, o.target_lang);
			goto done;
		}
	}
	if (o.xliff) {
		if (hx_xliff_read(&xliff, o.xliff, &err) < 0) {
			cli_error("%s", err.message);
			goto done;
		}
		if (!(langs[0] = xliff_lang(xsrc, sizeof(xsrc), o.source_lang,
					    hx_xliff_get_src(xliff), o.xliff,
					    "source", "-s")) ||
		    !(langs[1] = xliff_lang(xtgt, sizeof(xtgt), o.target_lang,
					    hx_xliff_get_tgt(xliff), o.xliff,
					    "target", "-t")))
			goto done;
		if (hx_doc_new(&docs[0], o.xliff, &err) < 0 ||
		    hx_doc_new(&docs[1], o.xliff, &err) < 0 ||
		    xliff_pairs(&pairs, docs[0], docs[1], xliff, o.xliff,
				&err) < 0) {
			cli_error("%s", err.message);
			goto done;
		}
		ndocs = 2;
		names[nnames++] = (char *)o.xliff;
		if (!pairs.n) {
			cli_error("%s: no segment to check", o.xliff);
			goto done;
		}
	}
	/* A memory or an XLIFF is checked as a translation: its target side
	 * alone is read for typography and spelling. */
	size_t first = o.tmx || o.xliff ? 1 : 0;
	for (size_t i = first; i < ndocs; i++) {
		bool seen = false;
		for (size_t k = first; k < i; k++)
			seen |= !strcmp(langs[k], langs[i]);
		if (!seen && prepare_lang(ck, &o, langs[i]) < 0)
			goto done;
		hx_error_init(&err);
		if (!seen && tb &&
		    hx_termbase_require_lang(tb, langs[i], &err) < 0)
			cli_error("warning: %s; terms not checked in it",
				  err.message);
	}
	if (hx_check_docs(fs, ck, (const hx_doc *const *)docs + first,
			  langs + first, ndocs - first, &err) < 0 ||
	    ((o.tmx || o.xliff || o.target) &&
	     hx_check_pairs(fs, ck, langs[0], langs[1], pairs.v, pairs.n,
			    &err) < 0)) {
		cli_error("%s", err.message);
		goto done;
	}
	hx_findings_sort(fs);
	size_t unsug = hx_checker_unsuggested(ck);
	if (unsug)
		cli_error(
		    "note: %zu unknown word%s no suggestion: none is one "
		    "edit away, and hunspell's slow search runs for three "
		    "words per language only",
		    unsug, unsug == 1 ? " has" : "s have");
	if (cli_output_open(&out, o.out) < 0)
		goto done;
	if (!strcmp(o.format, "json"))
		write_json(out.f, fs);
	else if (!strcmp(o.format, "html"))
		write_html(out.f, fs, names, nnames);
	else
		write_text(out.f, fs);
	if (cli_output_close(&out, true) < 0)
		goto done;
	rc = hx_findings_max_severity(fs) == HX_SEVERITY_ERROR ? 1 : 0;
done:
	pairs_free(&pairs);
	for (size_t i = 0; i < MAX_INPUTS + 2; i++)
		hx_doc_free(docs[i]);
	hx_findings_free(fs);
	hx_checker_free(ck);
	hx_termbase_free(tb);
	hx_xliff_free(xliff);
	return rc;
}
