/*
 * cmd-check.c - `hexalign check`: parse the arguments, run a check
 * session of <hexalign/check.h> (documents, an aligned TMX, a translated
 * XLIFF, or a document and its translation, aligned there) and write the
 * findings with hx_findings_write(): compiler-style lines, JSON lines or
 * an HTML report. Exit 1 when a finding is an error, so a documents team
 * can stop a pipeline on it.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "commands.h"
#include "util.h"

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

/* --- The command ------------------------------------------------------- */

struct opts {
	hx_check_session_options s;
	const char *format, *out, *dict_dir;
	const char *wordlists[16];
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
			o->s.lang = optarg;
			break;
		case 'T':
			o->s.target = optarg;
			break;
		case 't':
			o->s.target_lang = optarg;
			break;
		case 'X':
			o->s.tmx = optarg;
			break;
		case 'x':
			o->s.xliff = optarg;
			break;
		case 's':
			o->s.source_lang = optarg;
			break;
		case 'B':
			o->s.termbase = optarg;
			break;
		case 'f':
			o->format = optarg;
			break;
		case 'R':
			o->s.rules = optarg;
			break;
		case 'I':
			o->s.ignore = optarg;
			break;
		case 'L':
			o->list = true;
			break;
		case 'W':
			if (o->s.nwordlists == 16) {
				cli_error("check: at most 16 --wordlist");
				return 2;
			}
			o->wordlists[o->s.nwordlists++] = optarg;
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

/* A pair that may be two documents, a missing dictionary, a language
 * the term base lacks: the findings are still worth reading. */
static void on_warning(void *payload, const char *message)
{
	(void)payload;
	cli_error("warning: %s", message);
}

/* Set up and run the session; the exit code when it cannot run. */
static int run(hx_check_session **s, struct opts *o, int argc, char **argv)
{
	hx_error err;
	int rc;

	hx_error_init(&err);
	o->s.check.dict_dir =
	    o->dict_dir ? o->dict_dir : getenv("HEXALIGN_HUNSPELL_DIR");
	if (o->s.check.dict_dir && !*o->s.check.dict_dir)
		o->s.check.dict_dir = NULL;
	o->s.check.wordlist_dir = cli_wordlist_dir();
	o->s.wordlists = o->wordlists;
	o->s.lexicon_dir = cli_lexicon_dir(NULL);
	o->s.warn = on_warning;
	rc = hx_check_session_new(s, (const char *const *)argv + optind,
				  (size_t)(argc - optind), &o->s, &err);
	if (rc == HX_EINVAL || rc == HX_ENOTFOUND) {
		cli_error("check: %s", err.message);
		if (rc == HX_ENOTFOUND)
			usage(stderr);
		return 2;
	}
	if (rc < 0 || hx_check_session_run(*s, &err) < 0) {
		cli_error("%s", err.message);
		return 1;
	}
	return -1;
}

int cmd_check(int argc, char **argv)
{
	struct opts o = {.format = "text"};
	hx_findings_format fmt;
	hx_check_session *s = NULL;
	const hx_findings *fs;
	cli_output out = {0};
	const char *const *names;
	size_t nnames;
	int rc;
	hx_error err;

	hx_error_init(&err);
	hx_check_session_options_init(&o.s);
	if ((rc = parse(&o, argc, argv)) >= 0)
		return rc;
	if (o.list) {
		list_rules(stdout);
		return 0;
	}
	if (hx_findings_format_parse(&fmt, o.format) < 0) {
		cli_error("check: unknown format '%s' (text, json, html)",
			  o.format);
		return 2;
	}
	if ((rc = run(&s, &o, argc, argv)) >= 0)
		goto done;
	rc = 1;
	fs = hx_check_session_get_findings(s);
	size_t unsug = hx_checker_unsuggested(hx_check_session_get_checker(s));
	if (unsug)
		cli_error(
		    "note: %zu unknown word%s no suggestion: none is one "
		    "edit away, and hunspell's slow search runs for three "
		    "words per language only",
		    unsug, unsug == 1 ? " has" : "s have");
	if (cli_output_open(&out, o.out) < 0)
		goto done;
	names = hx_check_session_get_files(s, &nnames);
	hx_findings_write(out.f, fs, fmt, names, nnames, &err);
	if (cli_output_close(&out, true) < 0)
		goto done;
	rc = hx_findings_max_severity(fs) == HX_SEVERITY_ERROR ? 1 : 0;
done:
	hx_check_session_free(s);
	return rc;
}
