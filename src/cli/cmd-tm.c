/*
 * cmd-tm.c - `hexalign tm`: the translation memory from the command line:
 * import TMX, look segments up (fuzzy, with what differs), concordance,
 * export, statistics.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hexalign/hexalign.h>

#include "commands.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: hexalign tm import --db FILE.db [-q] X.tmx...\n"
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
	    "zh-Hant)\n"
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

/* The query against the match source, as [-source-]{+query+}; nothing
 * when it cannot be made (out of memory). */
static void print_diff(FILE *f, const char *lang, const char *query,
		       size_t qlen, const char *source, bool json)
{
	char *out = NULL;
	size_t olen = 0;

	if (hx_match_diff_render(&out, &olen, lang, query, qlen, source,
				 strlen(source), NULL) < 0)
		return;
	if (json)
		cli_json_string(f, out, olen);
	else
		fwrite(out, 1, olen, f);
	free(out);
}

struct opts {
	const char *db, *src, *tgt, *file, *out;
	int min;
	size_t max;
	bool json, quiet, timing, exhaustive, max_given;
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int lookup_one(FILE *f, hx_tm *tm, const struct opts *o,
		      const char *query, size_t len)
{
	hx_tm_lookup_options lo;
	hx_tm_results *r = NULL;
	hx_error err;
	char kinds[64];

	hx_error_init(&err);
	hx_tm_lookup_options_init(&lo);
	lo.min_score = o->min;
	lo.max = o->max;
	lo.exhaustive = o->exhaustive;
	double t0 = now_ms();
	if (hx_tm_lookup(&r, tm, o->src, o->tgt, query, len, &lo, &err) < 0) {
		cli_error("%s", err.message);
		return -1;
	}
	double ms = now_ms() - t0;
	size_t n = hx_tm_results_count(r);
	if (!o->json)
		fprintf(f, "%.*s\n", (int)len, query);
	if (!n && !o->json)
		fprintf(f, "  (no match at %d%% or more)\n", o->min);
	/* One line for a query without a match too, so that the output of
	 * -f lines up with the queries; --timing adds ms, as on a match. */
	if (!n && o->json) {
		fputs("{\"query\":", f);
		cli_json_string(f, query, len);
		fputs(",\"score\":null,\"matches\":0", f);
		if (o->timing)
			fprintf(f, ",\"ms\":%.3f", ms);
		fputs("}\n", f);
	}
	for (size_t i = 0; i < n; i++) {
		const hx_tm_match *m = hx_tm_results_get(r, i);
		hx_match_diff_kinds_str(kinds, sizeof(kinds), m->diff_kinds);
		if (o->json) {
			fputs("{\"query\":", f);
			cli_json_string(f, query, len);
			fprintf(f, ",\"score\":%d,\"source\":", m->score);
			cli_json_string(f, m->source, strlen(m->source));
			fputs(",\"target\":", f);
			cli_json_string(f, m->target, strlen(m->target));
			fputs(",\"origin\":", f);
			cli_json_string(f, m->origin, strlen(m->origin));
			fputs(",\"differs\":", f);
			cli_json_string(f, kinds, strlen(kinds));
			fputs(",\"diff\":", f);
			print_diff(f, o->src, query, len, m->source, true);
			fprintf(f, ",\"unit\":%lld", (long long)m->unit);
			if (m->penalty) {
				fprintf(f,
					",\"penalty\":%d,\"penalty_reason\":",
					m->penalty);
				cli_json_string(f, m->penalty_reason,
						strlen(m->penalty_reason));
			}
			if (o->timing)
				fprintf(f, ",\"ms\":%.3f", ms);
			fputs("}\n", f);
			continue;
		}
		/* What differs is the text's business, before any penalty. */
		int similar = m->score + m->penalty;
		fprintf(f, "  %3d  %s\n       %s\n", m->score, m->source,
			m->target);
		if (similar < 100) {
			fputs("       diff: ", f);
			print_diff(f, o->src, query, len, m->source, false);
			fputc('\n', f);
		}
		fprintf(f, "       from: %s%s%s",
			m->origin[0] ? m->origin : "(unknown)",
			kinds[0] && similar < 100 ? "; differs in: " : "",
			similar < 100 ? kinds : "");
		if (m->penalty)
			fprintf(f, "; %d points off: %s", m->penalty,
				m->penalty_reason);
		fputc('\n', f);
	}
	hx_tm_results_free(r);
	return 0;
}

static int do_lookup(hx_tm *tm, const struct opts *o, int argc, char **argv)
{
	int rc = 0;

	if (o->file) {
		FILE *in = strcmp(o->file, "-") ? fopen(o->file, "rb") : stdin;
		char *line = NULL;
		size_t cap = 0, lineno = 0;
		ssize_t n;
		if (!in) {
			cli_error("%s: %s", o->file, strerror(errno));
			return 1;
		}
		while ((n = getline(&line, &cap, in)) >= 0) {
			lineno++;
			while (n &&
			       (line[n - 1] == '\n' || line[n - 1] == '\r'))
				n--;
			if (!n)
				continue;
			if (lookup_one(stdout, tm, o, line, (size_t)n) < 0) {
				cli_error("%s:%zu: look-up failed", o->file,
					  lineno);
				rc = 1;
				break;
			}
		}
		free(line);
		if (in != stdin)
			fclose(in);
		return rc;
	}
	if (argc < 1) {
		cli_error("tm lookup: give the text to look up, or -f FILE");
		return 2;
	}
	for (int i = 0; i < argc; i++)
		if (lookup_one(stdout, tm, o, argv[i], strlen(argv[i])) < 0)
			rc = 1;
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
			  o->max_given ? o->max : 0, &err) < 0) {
		cli_error("%s", err.message);
		return 1;
	}
	for (size_t i = 0; i < hx_tm_results_count(r); i++) {
		const hx_tm_match *m = hx_tm_results_get(r, i);
		size_t s, e;
		hx_tm_results_span(r, i, &s, &e);
		if (o->json) {
			fputs("{\"term\":", stdout);
			cli_json_string(stdout, argv[0], strlen(argv[0]));
			fputs(",\"source\":", stdout);
			cli_json_string(stdout, m->source, strlen(m->source));
			fprintf(stdout,
				",\"start\":%zu,\"end\":%zu,\"target\":", s, e);
			cli_json_string(stdout, m->target, strlen(m->target));
			fputs(",\"origin\":", stdout);
			cli_json_string(stdout, m->origin, strlen(m->origin));
			fputs("}\n", stdout);
			continue;
		}
		printf("%.*s[[%.*s]]%s\n    %s\n", (int)s, m->source,
		       (int)(e - s), m->source + s, m->source + e, m->target);
	}
	if (!o->json)
		fprintf(stderr, "hexalign: %zu units hold '%s'\n",
			hx_tm_results_count(r), argv[0]);
	hx_tm_results_free(r);
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
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	struct opts o = {0};
	hx_tm_options topts;
	hx_tm *tm = NULL;
	hx_error err;
	const char *sub;
	int c, rc = 1;

	o.min = 70;
	o.max = 5;
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
				o.min = (int)v;
			else
				o.max = (size_t)v, o.max_given = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'T':
			o.timing = true;
			break;
		case 'E':
			o.exhaustive = true;
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
		cli_error("tm import: no TMX file");
		return 2;
	}
	if (!strcmp(sub, "export") && (!o.out || (!o.src != !o.tgt))) {
		cli_error("tm export: give -o OUT.tmx (and both -s and -t, or "
			  "neither)");
		return 2;
	}
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
		if (hx_tm_import_tmx(tm, (const char *const *)argv,
				     (size_t)argc, &st, prog ? progress : NULL,
				     argv[0], &err) < 0) {
			if (prog)
				cli_progress_end();
			cli_error("%s", err.message);
			cli_error("nothing was imported: %s is as it was",
				  o.db);
			goto done;
		}
		if (prog)
			cli_progress_end();
		if (!o.quiet)
			fprintf(stderr,
				"hexalign: %s: %zu units read, %zu added, %zu "
				"duplicates skipped, %zu with fewer than two "
				"languages skipped; %zu segments\n",
				o.db, st.units_read, st.added, st.duplicates,
				st.skipped, st.segments);
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
		printf("units      %zu\nsegments   %zu\nfile       %lld "
		       "bytes\nschema     %d\nlanguages ",
		       st.units, st.segments, (long long)st.file_bytes,
		       st.schema_version);
		for (size_t i = 0; i < st.nlangs; i++)
			printf(" %s:%zu", st.langs[i], st.per_lang[i]);
		printf("\n");
		rc = 0;
	}
done:
	hx_tm_free(tm);
	return rc;
}
