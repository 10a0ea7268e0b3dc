/*
 * cmd-terms.c - `hexalign terms`: `mine` writes the term candidates of a
 * memory or an aligned TMX (TBX-Basic, JSON or an HTML review page);
 * `check-base` lists the preferred terms of a term base that the memory
 * translates otherwise. Arguments and output only: the work is
 * <hexalign/terms.h>.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "commands.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hexalign terms mine [options] MEMORY\n"
		"       hexalign terms check-base [options] TERMBASE MEMORY\n"
		"\n"
		"mine: English term candidates of a memory (or an aligned "
		"TMX), ranked by\n"
		"termhood (C-value), each with its translation in every "
		"language of the\n"
		"memory, chosen by association (Dice) over the aligned "
		"units.\n"
		"check-base: the preferred terms of TERMBASE that the "
		"memory translates\n"
		"otherwise, with the renderings it uses instead.\n"
		"\n"
		"  -f, --format FMT   mine: tbx (default), json, html\n"
		"      --json         check-base: JSON lines\n"
		"  -n, --max N        mine: candidates to keep (default 100)\n"
		"      --min-freq N   mine: occurrences a candidate needs "
		"(default 3)\n"
		"      --dict-dir DIR hunspell dictionaries (en_US: general "
		"English words)\n"
		"  -o FILE            output file (default: stdout); written "
		"whole or not at all\n"
		"  -q, --quiet        no progress line\n"
		"  -h, --help         this text\n"
		"\n"
		"MEMORY is a memory file (hexalign tm) or a TMX file, told "
		"apart by content.\n"
		"Exit status: 0 ok (check-base: no finding), 1 findings or "
		"input unusable,\n"
		"2 usage.\n");
}

struct opts {
	const char *format, *out, *dict_dir;
	size_t max, min_freq;
	bool json, quiet;
};

static int number(size_t *v, const char *s, const char *what)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (!*s || *end || n < 1) {
		cli_error("terms: %s wants a positive number, not '%s'", what,
			  s);
		return -1;
	}
	*v = (size_t)n;
	return 0;
}

static int parse(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"json", no_argument, NULL, 'J'},
	    {"max", required_argument, NULL, 'n'},
	    {"min-freq", required_argument, NULL, 'm'},
	    {"dict-dir", required_argument, NULL, 'D'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	int c;

	while ((c = getopt_long(argc, argv, "f:n:o:qh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'f':
			o->format = optarg;
			break;
		case 'J':
			o->json = true;
			break;
		case 'n':
			if (number(&o->max, optarg, "--max") < 0)
				return 2;
			break;
		case 'm':
			if (number(&o->min_freq, optarg, "--min-freq") < 0)
				return 2;
			break;
		case 'D':
			o->dict_dir = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'q':
			o->quiet = true;
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

static void options(hx_terms_options *to, const struct opts *o)
{
	hx_terms_options_init(to);
	if (o->max)
		to->max_terms = o->max;
	if (o->min_freq)
		to->min_freq = o->min_freq;
	to->dict_dir =
	    o->dict_dir ? o->dict_dir : getenv("HEXALIGN_HUNSPELL_DIR");
	if (to->dict_dir && !*to->dict_dir)
		to->dict_dir = NULL;
}

static int mine(const struct opts *o, int argc, char **argv)
{
	hx_terms_options to;
	hx_terms_format fmt;
	hx_terms *t = NULL;
	cli_output out = {0};
	hx_error err;
	int rc = 1;

	hx_error_init(&err);
	if (!strcmp(o->format, "tbx"))
		fmt = HX_TERMS_TBX;
	else if (!strcmp(o->format, "json"))
		fmt = HX_TERMS_JSON;
	else if (!strcmp(o->format, "html"))
		fmt = HX_TERMS_HTML;
	else {
		cli_error("terms: unknown format '%s' (tbx, json, html)",
			  o->format);
		return 2;
	}
	if (argc - optind != 1) {
		cli_error("terms mine: give one memory or TMX file");
		usage(stderr);
		return 2;
	}
	options(&to, o);
	bool progress = cli_progress_enabled(o->quiet);
	if (progress)
		cli_progress("mining", argv[optind], 0, 1);
	int r = hx_terms_mine(&t, argv[optind], &to, &err);
	if (progress)
		cli_progress_end();
	if (r < 0) {
		cli_error("%s", err.message);
		return 1;
	}
	if (cli_output_open(&out, o->out) < 0)
		goto done;
	if (hx_terms_write(out.f, t, argv[optind], fmt, &err) < 0) {
		cli_error("%s", err.message);
		cli_output_close(&out, false);
		goto done;
	}
	if (cli_output_close(&out, true) < 0)
		goto done;
	rc = 0;
done:
	hx_terms_free(t);
	return rc;
}

static int check_base(const struct opts *o, int argc, char **argv)
{
	hx_termbase_options tbo;
	hx_terms_options to;
	hx_termbase *tb = NULL;
	hx_terms_check *c = NULL;
	cli_output out = {0};
	hx_error err;
	int rc = 1;

	hx_error_init(&err);
	if (argc - optind != 2) {
		cli_error("terms check-base: give a term base and a memory");
		usage(stderr);
		return 2;
	}
	hx_termbase_options_init(&tbo);
	options(&to, o);
	if (hx_termbase_load(&tb, argv[optind], &tbo, &err) < 0 ||
	    hx_terms_check_base(&c, tb, argv[optind + 1], &to, &err) < 0) {
		cli_error("%s", err.message);
		goto done;
	}
	if (cli_output_open(&out, o->out) < 0)
		goto done;
	if (hx_terms_check_write(out.f, c, o->json, &err) < 0) {
		cli_error("%s", err.message);
		cli_output_close(&out, false);
		goto done;
	}
	if (cli_output_close(&out, true) < 0)
		goto done;
	rc = hx_terms_check_count(c) ? 1 : 0;
done:
	hx_terms_check_free(c);
	hx_termbase_free(tb);
	return rc;
}

int cmd_terms(int argc, char **argv)
{
	struct opts o = {.format = "tbx"};
	const char *sub;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	if (strcmp(sub, "mine") && strcmp(sub, "check-base")) {
		cli_error("terms: unknown command '%s' (mine, check-base)",
			  sub);
		return 2;
	}
	if ((rc = parse(&o, argc - 1, argv + 1)) >= 0)
		return rc;
	argc--, argv++;
	return !strcmp(sub, "mine") ? mine(&o, argc, argv)
				    : check_base(&o, argc, argv);
}
