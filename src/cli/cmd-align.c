/*
 * cmd-align.c - `hexalign align`: read the language versions of a
 * document, align each with the first (the pivot), and write the units as
 * TMX, bead lines, TSV or an HTML review page, or store them in a memory.
 * The work is hx_multialign_files() and its writers; this file parses the
 * arguments and says what happened.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "commands.h"
#include "util.h"

#define MAX_FILES HX_ALIGN_MAX_SIDES

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: hexalign align [options] PIVOT_FILE FILE...\n"
	    "\n"
	    "Align the language versions of one document sentence by "
	    "sentence. The first\n"
	    "file is the pivot (normally English); each other file is "
	    "aligned with it.\n"
	    "\n"
	    "  -l, --lang L1,L2,...   languages of the files, in order "
	    "(detected when absent)\n"
	    "  -o FILE                output file (default: stdout); "
	    "written whole or not at all\n"
	    "      --format FMT       tmx (default), beads, tsv, html\n"
	    "      --presegmented     inputs hold one sentence per line "
	    "(no segmentation)\n"
	    "      --min-score X      TMX/TSV/--db: drop beads scoring under "
	    "X (0..1)\n"
	    "      --db FILE.db       also store the units in a translation "
	    "memory; refused\n"
	    "                         (exit 1, the memory untouched) when "
	    "the files may not\n"
	    "                         be versions of the same document\n"
	    "      --force            store them anyway\n"
	    "      --lexicon-dir DIR  bilingual lexicons (default: the "
	    "shipped ones)\n"
	    "      --no-learn         do not learn a lexicon from the "
	    "document pair\n"
	    "      --srx FILE         SRX 2.0 segmentation rules\n"
	    "  -q, --quiet            no progress or counts (warnings about "
	    "confidence stay)\n"
	    "  -h, --help             this text\n"
	    "\n"
	    "Every unit has a confidence score 0..1 per language: a "
	    "<prop type=\"x-score-LANG\">\n"
	    "in TMX, columns after the texts in TSV, a column in HTML (rows "
	    "under 0.5\n"
	    "highlighted).\n"
	    "Nothing is dropped: a sentence the aligner matched with nothing "
	    "in another\n"
	    "language (a 1-0 or 0-1 bead) is a unit of its own, marked \"no "
	    "counterpart\".\n"
	    "tmx:   one <tu> per group of pivot sentences, a <tuv> per "
	    "language aligned;\n"
	    "       a <tu> lacking languages names them in <prop "
	    "type=\"x-no-counterpart\">\n"
	    "       (\"zh\", \"en,fr\"); it may hold one <tuv> only\n"
	    "tsv:   pivot TAB other languages in file order TAB their "
	    "scores TAB the\n"
	    "       languages with no counterpart (\"\" when none); a side "
	    "without one is\n"
	    "       empty, and so is its score\n"
	    "html:  rows with no counterpart somewhere are marked, the empty "
	    "side says so\n"
	    "beads: one line per bead, 0-based sentence indices: "
	    "[0]:[0, 1]  [2]:[]\n"
	    "       (two files only; the form ../shared/eval/align-score "
	    "reads)\n"
	    "--min-score drops doubtful pairings, never a sentence with no "
	    "counterpart;\n"
	    "--db stores units of two languages or more (a sentence alone "
	    "translates\n"
	    "nothing).\n");
}

/* Warnings about confidence are always shown; a missing lexicon only
 * without --quiet. */
/* --db: the units go into the memory (created when new), in one
 * transaction; a pair that may be two documents only with --force
 * (*refused, and the output is written all the same, for review). */
static int store(const hx_multialign *m, const char *db, double min_score,
		 bool force, bool quiet, bool *refused)
{
	hx_tm_import_stats st;
	hx_error err;
	int rc;

	hx_error_init(&err);
	if ((rc = hx_multialign_store_checked(&st, m, db, min_score, force,
					      &err)) < 0) {
		cli_error("%s", err.message);
		*refused = rc == HX_EINVAL;
		return *refused ? 0 : -1;
	}
	if (!quiet)
		fprintf(stderr,
			"hexalign: %s: %zu units added, %zu already "
			"there\n",
			db, st.added, st.duplicates);
	return 0;
}

/* --review: the alignment open as review "0", over the memory it was
 * stored in (none: saving is refused, the TMX download works). */
static int serve_review(const hx_multialign *m, const char *db,
			const char *listen)
{
	hx_tm_options to;
	hx_review *r = NULL;
	hx_serve_options so;
	hx_tm *tm = NULL;
	hx_error err;
	int rc;

	hx_error_init(&err);
	hx_tm_options_init(&to);
	to.create = true;
	if (db && hx_tm_open(&tm, db, &to, &err) < 0) {
		cli_error("%s", err.message);
		return 1;
	}
	if (hx_review_from_multialign(&r, m, NULL, &err) < 0) {
		cli_error("%s", err.message);
		hx_tm_free(tm);
		return 1;
	}
	hx_serve_options_init(&so);
	so.listen = listen ? listen : "127.0.0.1:0";
	rc = cli_serve(tm, r, &so, true);
	hx_tm_free(tm);
	return rc;
}

int cmd_align(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"lang", required_argument, NULL, 'l'},
	    {"format", required_argument, NULL, 'f'},
	    {"presegmented", no_argument, NULL, 'p'},
	    {"min-score", required_argument, NULL, 'm'},
	    {"lexicon-dir", required_argument, NULL, 'L'},
	    {"no-learn", no_argument, NULL, 'n'},
	    {"srx", required_argument, NULL, 's'},
	    {"db", required_argument, NULL, 'D'},
	    {"force", no_argument, NULL, 'F'},
	    {"review", no_argument, NULL, 'R'},
	    {"listen", required_argument, NULL, 'S'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	const char *paths[MAX_FILES], *langv[MAX_FILES] = {0};
	hx_multialign_options mo;
	hx_multialign_format fmt;
	hx_multialign *m = NULL;
	hx_srx *srx = NULL;
	const char *format = "tmx", *out_path = NULL, *lexdir_opt = NULL;
	const char *srx_path = NULL, *db_path = NULL, *listen = NULL;
	char *langs = NULL;
	bool quiet = false, force = false, refused = false, review = false;
	double min_score = 0;
	cli_output out = {0};
	hx_error err;
	int c, rc = 1, nin;

	hx_multialign_options_init(&mo);
	hx_error_init(&err);
	while ((c = getopt_long(argc, argv, "l:o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			langs = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'p':
			mo.presegmented = true;
			break;
		case 'm': {
			char *end;
			min_score = strtod(optarg, &end);
			if (!*optarg || *end || !(min_score >= 0) ||
			    min_score > 1) {
				cli_error("align: --min-score wants a number "
					  "from 0 to 1, not '%s'",
					  optarg);
				return 2;
			}
			break;
		}
		case 'L':
			lexdir_opt = optarg;
			break;
		case 'n':
			mo.align.learn = false;
			break;
		case 's':
			srx_path = optarg;
			break;
		case 'D':
			db_path = optarg;
			break;
		case 'F':
			force = true;
			break;
		case 'R':
			review = true;
			break;
		case 'S':
			listen = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	nin = argc - optind;
	if (nin < 2 || nin > MAX_FILES) {
		cli_error("align: give the pivot file and 1 to 5 other "
			  "language versions");
		usage(stderr);
		return 2;
	}
	if (hx_multialign_format_parse(&fmt, format) < 0) {
		cli_error("align: unknown format '%s' (tmx, beads, tsv, html)",
			  format);
		return 2;
	}
	if (fmt == HX_MULTIALIGN_BEADS && nin != 2) {
		cli_error("align: --format beads takes exactly two files");
		return 2;
	}
	if (mo.presegmented && !langs) {
		cli_error("align: --presegmented needs the languages (-l)");
		return 2;
	}
	for (int i = 0; i < nin; i++)
		paths[i] = argv[optind + i];
	if (langs) {
		int k = 0;
		for (char *tok = strtok(langs, ","); tok;
		     tok = strtok(NULL, ","), k++) {
			if (k >= nin) {
				cli_error("align: -l names more languages "
					  "than there are files");
				return 2;
			}
			if (!hx_lang_tag_valid(tok)) {
				cli_error("align: '%s' is not a language code "
					  "(en, zh, ar, fr, ru, es, ...)",
					  tok);
				return 2;
			}
			langv[k] = tok;
		}
		if (k != nin) {
			cli_error("align: -l names %d languages for %d files",
				  k, nin);
			return 2;
		}
		mo.langs = langv;
	}
	if (srx_path && hx_srx_load(&srx, srx_path, &err) < 0) {
		cli_error("%s", err.message);
		return 1;
	}
	mo.srx = srx;
	mo.lexicon_dir = cli_lexicon_dir(lexdir_opt);
	mo.warn = cli_multialign_warning;
	mo.payload = &quiet;
	if (hx_multialign_files(&m, paths, (size_t)nin, &mo, &err) < 0) {
		cli_error("%s", err.message);
		goto done;
	}
	if (db_path && store(m, db_path, min_score, force, quiet, &refused) < 0)
		goto done;
	if (review && !out_path) {
		rc = 0; /* the review is the output */
	} else if (fmt == HX_MULTIALIGN_TMX) {
		/* The TMX writer makes its own temporary file. */
		if (hx_multialign_write(NULL, out_path, m, fmt, min_score,
					&err) < 0)
			cli_error("%s", err.message);
		else
			rc = 0;
	} else if (cli_output_open(&out, out_path) == 0) {
		if (hx_multialign_write(out.f, NULL, m, fmt, min_score, &err) <
		    0)
			cli_error("%s", err.message);
		else
			rc = 0;
		if (cli_output_close(&out, rc == 0) < 0)
			rc = 1;
	}
	if (refused)
		rc = 1;
	if (rc == 0 && review)
		rc = serve_review(m, refused ? NULL : db_path, listen);
done:
	hx_multialign_free(m);
	hx_srx_free(srx);
	return rc;
}
