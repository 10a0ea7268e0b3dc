/*
 * cmd-pretranslate.c - `hexalign pretranslate`: a new document against
 * the memory, written as XLIFF for translators, optionally as a draft
 * DOCX, with the analysis a manager reads (text on stdout, or a report
 * file in text, JSON or HTML).
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
	    f, "usage: hexalign pretranslate --db FILE.db -s LANG -t LANG "
	       "[--min N] [--xliff 2.1|1.2]\n"
	       "                             [--docx OUT.docx] [--report "
	       "R.html|R.json|R.txt]\n"
	       "                             [--format txt|docx|html] "
	       "[--srx FILE] [-q] NEW.docx -o OUT.xlf\n"
	       "\n"
	       "Every sentence of NEW gets its best match from the memory; "
	       "those at --min\n"
	       "or above get a target. Bands: context (101: exact, and the "
	       "memory holds the\n"
	       "same neighbours), exact (100), 95-99 (numbers replaced from "
	       "the new source\n"
	       "where certain), 85-94, 75-84, 50-74, no match, repetitions "
	       "(met earlier in\n"
	       "the document; counted ahead of 100%% matches, as CAT tools "
	       "do). Words: Chinese\n"
	       "counted in characters.\n"
	       "A match from an alignment nobody reviewed loses points "
	       "(x-score-LANG under 0.9:\n"
	       "5, under 0.5: 10; none with x-reviewed yes), so it is never "
	       "taken for an exact\n"
	       "match: the XLIFF says why (2.1: matchQuality, the match's "
	       "metadata and a note;\n"
	       "1.2: match-quality and the note), the JSON report lists them "
	       "in \"penalised\".\n"
	       "\n"
	       "  -o FILE        the XLIFF (- for standard output)\n"
	       "  --min N        lowest score pre-translated (default 75)\n"
	       "  --xliff V      2.1 (default; matches module) or 1.2 "
	       "(alt-trans)\n"
	       "  --docx FILE    a draft DOCX: matched paragraphs in the "
	       "target language,\n"
	       "                 fuzzy matches highlighted\n"
	       "  --report FILE  the analysis as .html, .json or .txt\n"
	       "  --report-format html|json|txt\n"
	       "                 the report's format when FILE (- for standard "
	       "output)\n"
	       "                 has no such extension\n"
	       "  --exact-over-repetitions\n"
	       "                 count a repeated 100%% match as exact, not "
	       "as a repetition\n"
	       "  -q, --quiet    no analysis table on standard output\n"
	       "\n"
	       "Merge the translated XLIFF back with `hexalign merge`.\n");
}

struct opts {
	const char *db, *src, *tgt, *out, *docx, *report, *format, *srx;
	const char *input;
	int min;
	hx_pt_report_format report_fmt;
	hx_xliff_version version;
	bool quiet, report_fmt_given, exact_over_rep;
};

static int parse(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, 'D'},
	    {"min", required_argument, NULL, 'm'},
	    {"xliff", required_argument, NULL, 'x'},
	    {"docx", required_argument, NULL, 'd'},
	    {"report", required_argument, NULL, 'r'},
	    {"report-format", required_argument, NULL, 'R'},
	    {"format", required_argument, NULL, 'f'},
	    {"srx", required_argument, NULL, 'S'},
	    {"exact-over-repetitions", no_argument, NULL, 'E'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	int c;

	memset(o, 0, sizeof(*o));
	o->min = 75;
	while ((c = getopt_long(argc, argv, "s:t:o:qh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'D':
			o->db = optarg;
			break;
		case 's':
			o->src = optarg;
			break;
		case 't':
			o->tgt = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'm': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 0 || v > 100) {
				cli_error("pretranslate: --min wants a score "
					  "from 0 to 100, not '%s'",
					  optarg);
				return 2;
			}
			o->min = (int)v;
			break;
		}
		case 'x':
			if (!strcmp(optarg, "1.2"))
				o->version = HX_XLIFF_12;
			else if (!strcmp(optarg, "2.1") || !strcmp(optarg, "2"))
				o->version = HX_XLIFF_21;
			else {
				cli_error(
				    "pretranslate: --xliff is 2.1 or 1.2, "
				    "not '%s'",
				    optarg);
				return 2;
			}
			break;
		case 'd':
			o->docx = optarg;
			break;
		case 'E':
			o->exact_over_rep = true;
			break;
		case 'r':
			o->report = optarg;
			break;
		case 'R':
			if (hx_pt_report_format_parse(&o->report_fmt, optarg) <
			    0) {
				cli_error("pretranslate: --report-format is "
					  "html, json or txt, not '%s'",
					  optarg);
				return 2;
			}
			o->report_fmt_given = true;
			break;
		case 'f':
			o->format = optarg;
			break;
		case 'S':
			o->srx = optarg;
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
	if (optind + 1 != argc) {
		cli_error("pretranslate: give one document to pre-translate");
		usage(stderr);
		return 2;
	}
	o->input = argv[optind];
	if (!o->db || !o->src || !o->tgt || !o->out) {
		cli_error("pretranslate: --db, -s, -t and -o are required");
		usage(stderr);
		return 2;
	}
	if (o->report && !o->report_fmt_given &&
	    hx_pt_report_format_of_path(&o->report_fmt, o->report) < 0) {
		cli_error("pretranslate: %s: the report is .html, .json or "
			  ".txt (or give --report-format)",
			  o->report);
		return 2;
	}
	if (o->format && hx_format_parse(o->format) < 0) {
		cli_error("pretranslate: unknown format '%s' (txt, docx, html)",
			  o->format);
		return 2;
	}
	return -1;
}

/* What the draft left in the source language, so nobody expects it. */
static void on_note(void *payload, const char *message)
{
	(void)payload;
	cli_error("%s", message);
}

static int write_report(const struct opts *o, const hx_pt *pt)
{
	cli_output out = {0};
	hx_error err;
	int rc;

	hx_error_init(&err);
	if (cli_output_open(&out, o->report) < 0)
		return -1;
	rc = hx_pt_report_write(out.f, pt, o->report_fmt, o->input, &err);
	if (rc < 0)
		cli_error("%s: %s", o->report, err.message);
	return cli_output_close(&out, rc == 0) < 0 || rc < 0 ? -1 : 0;
}

int cmd_pretranslate(int argc, char **argv)
{
	hx_pt_file_options fo;
	hx_docx_fill_stats st;
	struct opts o;
	hx_pt *pt = NULL;
	hx_error err;
	int rc;

	if ((rc = parse(&o, argc, argv)) >= 0)
		return rc;
	rc = 1;
	hx_error_init(&err);
	hx_pt_file_options_init(&fo);
	if (o.format)
		fo.format = (hx_format)hx_format_parse(o.format);
	fo.pt.min_score = o.min;
	fo.pt.exact_over_repetitions = o.exact_over_rep;
	fo.srx_path = o.srx;
	if (hx_pretranslate_file(&pt, o.input, o.db, o.src, o.tgt, &fo, &err) <
		0 ||
	    hx_pt_write_xliff(pt, o.input, o.out, o.version, &err) < 0) {
		cli_error("%s", err.message);
		goto done;
	}
	if (o.docx) {
		if (hx_pt_write_docx(pt, o.input, o.docx, &st, &err) < 0) {
			cli_error("%s", err.message);
			goto done;
		}
		hx_docx_kept_foreach(&st, o.input, on_note, NULL);
	}
	if (o.report && write_report(&o, pt) < 0)
		goto done;
	if (!o.quiet && strcmp(o.out, "-") &&
	    !(o.report && !strcmp(o.report, "-")) &&
	    hx_pt_report_write(stdout, pt, HX_PT_REPORT_TEXT, o.input, &err) <
		0) {
		cli_error("%s", err.message);
		goto done;
	}
	rc = 0;
done:
	hx_pt_free(pt);
	return rc;
}
