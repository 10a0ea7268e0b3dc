/*
 * cmd-tm.c - `hexalign tm`: the translation memory from the command line:
 * import TMX, look segments up (fuzzy, with what differs), concordance,
 * export, statistics.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hexalign/hexalign.h>

#include "commands.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: hexalign tm import --db FILE.db [-q] (X.tmx... | "
	    "X.xlf...)\n"
	    "       hexalign tm lookup --db FILE.db -s LANG -t LANG [--min N] "
	    "[--max N] [--json] (TEXT | -f FILE)\n"
	    "       hexalign tm concord --db FILE.db -s LANG -t LANG [--max N] "
	    "[--json] TERM\n"
	    "       hexalign tm export --db FILE.db [-s LANG -t LANG] -o "
	    "OUT.tmx\n"
	    "       hexalign tm stats --db FILE.db\n"
	    "\n"
	    "import   add the units of TMX files (any tool, TMX 1.1-1.4b) in "
	    "one\n"
	    "         transaction; exact duplicates are skipped; language "
	    "codes are\n"
	    "         normalised (en-US -> en, zh-CN -> zh, zh-TW -> "
	    "zh-Hant);\n"
	    "         or the finished segments of XLIFF 2.x/1.2 files "
	    "(state translated,\n"
	    "         reviewed, final, signed-off, or approved), the file "
	    "as origin;\n"
	    "         or the language versions of one finished document "
	    "(A.docx B.docx...,\n"
	    "         the source first): aligned, stored with their scores "
	    "(--force: even\n"
	    "         when they may not be one document)\n"
	    /* What match.c's scorer does (see match.h): 99 only through
	     * its same-length pairing; any token more or less is an edit. */
	    "lookup   best matches, score 0-100 over tokens (words; Chinese: "
	    "characters):\n"
	    "         100 the same tokens; 99 as many tokens, differing only "
	    "in numbers,\n"
	    "         case or one punctuation mark for another; else 100 x (1 "
	    "- edits /\n"
	    "         tokens of the longer), at most 98, where a punctuation "
	    "mark missing\n"
	    "         or added is an edit like a word (a trailing comma on 8 "
	    "tokens: 87);\n"
	    "         an inline code that differs costs a point more; the diff "
	    "marks\n"
	    "         [-source-]{+query+}. A unit from an alignment nobody "
	    "reviewed loses\n"
	    "         points, so it never passes for a checked match: its "
	    "x-score-LANG\n"
	    "         (target's, or source's when the target is the pivot; "
	    "the lower when\n"
	    "         both) under 0.9 costs 5, under 0.5 costs 10 (100 -> 95 "
	    "or 90), unless\n"
	    "         a prop x-reviewed says yes, true or 1; results are "
	    "ordered after the\n"
	    "         penalty, and --json gives \"penalty\" and "
	    "\"penalty_reason\"\n"
	    "concord  every unit whose source holds the term (whole words; "
	    "any substring\n"
	    "         in Chinese), the term in [[ ]]\n"
	    "export   the units as TMX 1.4b, inline codes as <bpt>, <ept>, "
	    "<ph>, <it>,\n"
	    "         <hi>, <ut> again, and every prop, note, tuid, date and "
	    "creator\n"
	    "         the memory kept (x-score-LANG included)\n"
	    "\n"
	    "  --min N      lowest score shown, after any penalty (default "
	    "70)\n"
	    "  --max N      most matches per query (default 5; concord: 0 = "
	    "all)\n"
	    "  --json       one JSON object per match per line; a look-up "
	    "without a\n"
	    "               match gives one line with \"score\":null,"
	    "\"matches\":0\n"
	    "  --timing     (lookup --json) add the look-up time in ms to "
	    "each line\n"
	    "  --exhaustive (lookup) score every unit instead of using the "
	    "index\n");
}

struct opts {
	const char *db, *src, *tgt, *file, *out;
	hx_tm_query_options q; /* lookup; concord reads max and json */
	bool quiet, max_given, force;
};

static int do_lookup(hx_tm *tm, const struct opts *o, int argc, char **argv)
{
	size_t line;
	hx_error err;
	int rc = 0;

	hx_error_init(&err);
	if (o->file) {
		if (hx_tm_lookup_file(&line, stdout, tm, o->src, o->tgt,
				      o->file, &o->q, &err) == HX_OK)
			return 0;
		cli_error("%s", err.message);
		if (line)
			cli_error("%s:%zu: look-up failed", o->file, line);
		return 1;
	}
	if (argc < 1) {
		cli_error("tm lookup: give the text to look up, or -f FILE");
		return 2;
	}
	for (int i = 0; i < argc; i++)
		if (hx_tm_lookup_write(stdout, tm, o->src, o->tgt, argv[i],
				       strlen(argv[i]), &o->q, &err) < 0) {
			cli_error("%s", err.message);
			rc = 1;
		}
	return rc;
}

static int do_concord(hx_tm *tm, const struct opts *o, int argc, char **argv)
{
	hx_tm_results *r = NULL;
	hx_error err;

	if (argc != 1) {
		cli_error("tm concord: give one term (quote a phrase)");
		return 2;
	}
	hx_error_init(&err);
	if (hx_tm_concord(&r, tm, o->src, o->tgt, argv[0], strlen(argv[0]),
			  o->max_given ? o->q.lookup.max : 0, &err) < 0) {
		cli_error("%s", err.message);
		return 1;
	}
	if (hx_tm_concord_write(stdout, r, argv[0], strlen(argv[0]), o->q.json,
				&err) < 0) {
		cli_error("standard output: %s", err.message);
		hx_tm_results_free(r);
		return 1;
	}
	if (!o->q.json)
		fprintf(stderr, "hexalign: %zu units hold '%s'\n",
			hx_tm_results_count(r), argv[0]);
	hx_tm_results_free(r);
	return 0;
}

static bool all_docx(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (n < 5 || strcasecmp(argv[i] + n - 5, ".docx"))
			return false;
	}
	return argc > 0;
}

/* The language versions of one finished document: aligned, then
 * stored with the alignment's scores. */
static int import_docx(const struct opts *o, int argc, char **argv)
{
	hx_multialign_import_options io;
	hx_tm_import_stats st;
	hx_error err;
	bool quiet = o->quiet;

	if (argc < 2) {
		cli_error("tm import: a DOCX alone translates nothing: give "
			  "its language versions, the source first");
		return 2;
	}
	hx_error_init(&err);
	hx_multialign_import_options_init(&io);
	io.align.lexicon_dir = cli_lexicon_dir(NULL);
	io.align.warn = cli_multialign_warning;
	io.align.payload = &quiet;
	io.force = o->force;
	if (hx_multialign_import_db(&st, (const char *const *)argv,
				    (size_t)argc, o->db, &io, &err) < 0) {
		cli_error("%s", err.message);
		return 1;
	}
	if (!o->quiet)
		fprintf(stderr,
			"hexalign: %s: %zu units added, %zu already there\n",
			o->db, st.added, st.duplicates);
	return 0;
}

static void progress(void *payload, size_t done, size_t total)
{
	(void)total;
	cli_progress("importing", (const char *)payload, done, 0);
}

int cmd_tm(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"source", required_argument, NULL, 's'},
	    {"target", required_argument, NULL, 't'},
	    {"min", required_argument, NULL, 'm'},
	    {"max", required_argument, NULL, 'M'},
	    {"json", no_argument, NULL, 'j'},
	    {"timing", no_argument, NULL, 'T'},
	    {"exhaustive", no_argument, NULL, 'E'},
	    {"force", no_argument, NULL, 'F'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	struct opts o = {0};
	hx_tm_options topts;
	hx_tm *tm = NULL;
	hx_error err;
	const char *sub;
	int c, rc = 1;

	hx_tm_query_options_init(&o.q);
	o.q.out_name = "standard output";
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	argc--, argv++;
	while ((c = getopt_long(argc, argv, "d:s:t:f:o:qh", longopts, NULL)) !=
	       -1) {
		char *end;
		long v;
		switch (c) {
		case 'd':
			o.db = optarg;
			break;
		case 's':
			o.src = optarg;
			break;
		case 't':
			o.tgt = optarg;
			break;
		case 'f':
			o.file = optarg;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'm':
		case 'M':
			v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 0 ||
			    (c == 'm' && v > 100)) {
				cli_error("tm: --%s wants a number%s, not '%s'",
					  c == 'm' ? "min" : "max",
					  c == 'm' ? " from 0 to 100" : "",
					  optarg);
				return 2;
			}
			if (c == 'm')
				o.q.lookup.min_score = (int)v;
			else
				o.q.lookup.max = (size_t)v, o.max_given = true;
			break;
		case 'j':
			o.q.json = true;
			break;
		case 'T':
			o.q.timing = true;
			break;
		case 'E':
			o.q.lookup.exhaustive = true;
			break;
		case 'F':
			o.force = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind, argv += optind;
	if (!o.db) {
		cli_error("tm %s: --db FILE is required", sub);
		return 2;
	}
	bool reading = strcmp(sub, "import") != 0;
	if (strcmp(sub, "import") && strcmp(sub, "lookup") &&
	    strcmp(sub, "concord") && strcmp(sub, "export") &&
	    strcmp(sub, "stats")) {
		cli_error("tm: unknown subcommand '%s' (import, lookup, "
			  "concord, export, stats)",
			  sub);
		return 2;
	}
	if ((!strcmp(sub, "lookup") || !strcmp(sub, "concord")) &&
	    (!o.src || !o.tgt)) {
		cli_error("tm %s: give the languages with -s and -t", sub);
		return 2;
	}
	if (!strcmp(sub, "import") && argc < 1) {
		cli_error("tm import: no TMX or XLIFF file");
		return 2;
	}
	if (!strcmp(sub, "export") && (!o.out || (!o.src != !o.tgt))) {
		cli_error("tm export: give -o OUT.tmx (and both -s and -t, or "
			  "neither)");
		return 2;
	}
	if (!strcmp(sub, "import") && all_docx(argc, argv))
		return import_docx(&o, argc, argv);
	hx_error_init(&err);
	hx_tm_options_init(&topts);
	topts.readonly = reading;
	topts.create = !reading;
	if (hx_tm_open(&tm, o.db, &topts, &err) < 0) {
		cli_error("%s", err.message);
		return 1;
	}
	if (!strcmp(sub, "import")) {
		hx_tm_import_stats st;
		bool prog = cli_progress_enabled(o.quiet);
		if (hx_tm_import_files(
			tm, (const char *const *)argv, (size_t)argc, &st,
			prog ? progress : NULL, argv[0], &err) < 0) {
			if (prog)
				cli_progress_end();
			cli_error("%s", err.message);
			cli_error("nothing was imported: %s is as it was",
				  hx_tm_name(tm));
			goto done;
		}
		if (prog)
			cli_progress_end();
		if (!o.quiet)
			fprintf(stderr,
				"hexalign: %s: %zu units read, %zu added, %zu "
				"duplicates skipped, %zu with fewer than two "
				"languages skipped; %zu segments\n",
				hx_tm_name(tm), st.units_read, st.added,
				st.duplicates, st.skipped, st.segments);
		if (!o.quiet && st.unfinished)
			fprintf(stderr,
				"hexalign: %s: %zu XLIFF segments not "
				"finished (no translated, reviewed or final "
				"state) left out\n",
				hx_tm_name(tm), st.unfinished);
		/* A loss, so said even with --quiet. */
		if (st.pua_replaced)
			fprintf(stderr,
				"hexalign: warning: %zu private-use "
				"characters (U+E000..U+F8FF) replaced by "
				"U+FFFD: hexalign uses them for inline "
				"codes\n",
				st.pua_replaced);
		rc = 0;
	} else if (!strcmp(sub, "lookup")) {
		rc = do_lookup(tm, &o, argc, argv);
	} else if (!strcmp(sub, "concord")) {
		rc = do_concord(tm, &o, argc, argv);
	} else if (!strcmp(sub, "export")) {
		size_t n = 0;
		if (hx_tm_export_tmx(tm, o.out, o.src, o.tgt, &n, &err) < 0) {
			cli_error("%s", err.message);
			goto done;
		}
		if (!o.quiet)
			fprintf(stderr, "hexalign: %s: %zu units written\n",
				o.out, n);
		rc = 0;
	} else {
		hx_tm_stats st;
		if (hx_tm_stats_get(&st, tm, &err) < 0) {
			cli_error("%s", err.message);
			goto done;
		}
		/* A lost write is reported once, by main's finish(). */
		rc = hx_tm_stats_write(stdout, &st, &err) < 0;
	}
done:
	hx_tm_free(tm);
	return rc;
}
