/*
 * cmd-check.c - `hexalign check`: read documents (or an aligned TMX, a
 * translated XLIFF, or a document and its translation, aligned here), run
 * the checks of <hexalign/check.h> and write the findings with
 * hx_findings_write(): compiler-style lines, JSON lines or an HTML report.
 * Exit 1 when a finding is an error, so a documents team can stop a
 * pipeline on it.
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
		if (langs[i] && !hx_lang_code_valid(langs[i])) {
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

/* A pair that may be two documents is a warning: the findings of a
 * misalignment would be noise, but the editor decides. */
static void on_warning(void *payload, const char *message)
{
	(void)payload;
	cli_error("warning: %s", message);
}

static hx_findings_format findings_format(const char *name)
{
	return !strcmp(name, "json")   ? HX_FINDINGS_JSON
	       : !strcmp(name, "html") ? HX_FINDINGS_HTML
				       : HX_FINDINGS_TEXT;
}

int cmd_check(int argc, char **argv)
{
	struct opts o = {.format = "text"};
	hx_doc *docs[MAX_INPUTS + 2] = {0};
	const hx_doc *checked[MAX_INPUTS + 2] = {0};
	const char *langs[MAX_INPUTS + 2] = {0};
	const char *names[MAX_INPUTS + 1];
	const hx_check_pair *pairs = NULL;
	hx_check_input *bi = NULL;
	hx_check_options copts;
	hx_findings *fs = NULL;
	hx_checker *ck = NULL;
	hx_termbase *tb = NULL;
	cli_output out = {0};
	size_t ndocs = 0, npairs = 0, nnames = 0;
	int nfiles, rc;
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
		hx_check_align_options ao = {cli_lexicon_dir(NULL), on_warning,
					     NULL};
		if (hx_read_file(&docs[ndocs], o.target, NULL, &err) < 0) {
			cli_error("%s", err.message);
			goto done;
		}
		langs[ndocs] = o.target_lang;
		names[nnames++] = o.target;
		ndocs++;
		if (hx_check_input_align(&bi, docs[0], langs[0], docs[1],
					 langs[1], &ao, &err) < 0) {
			cli_error("%s", err.message);
			goto done;
		}
	}
	for (size_t i = 0; i < ndocs; i++)
		checked[i] = docs[i];
	if (o.tmx || o.xliff) {
		const char *path = o.tmx ? o.tmx : o.xliff;
		if ((o.tmx ? hx_check_input_tmx(&bi, path, o.source_lang,
						o.target_lang, &err)
			   : hx_check_input_xliff(&bi, path, o.source_lang,
						  o.target_lang, &err)) < 0) {
			cli_error("%s", err.message);
			goto done;
		}
		ndocs = 2;
		for (int s = 0; s < 2; s++) {
			checked[s] = hx_check_input_get_doc(bi, s);
			langs[s] = hx_check_input_get_lang(bi, s);
		}
		names[nnames++] = path;
	}
	if (bi)
		pairs = hx_check_input_pairs(bi, &npairs);
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
	if (hx_check_docs(fs, ck, checked + first, langs + first, ndocs - first,
			  &err) < 0 ||
	    (bi && hx_check_pairs(fs, ck, langs[0], langs[1], pairs, npairs,
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
	hx_findings_write(out.f, fs, findings_format(o.format), names, nnames,
			  &err);
	if (cli_output_close(&out, true) < 0)
		goto done;
	rc = hx_findings_max_severity(fs) == HX_SEVERITY_ERROR ? 1 : 0;
done:
	hx_check_input_free(bi);
	for (size_t i = 0; i < MAX_INPUTS + 2; i++)
		hx_doc_free(docs[i]);
	hx_findings_free(fs);
	hx_checker_free(ck);
	hx_termbase_free(tb);
	return rc;
}
