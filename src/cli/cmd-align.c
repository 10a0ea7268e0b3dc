/*
 * cmd-align.c - `hexalign align`: read the language versions of a
 * document, align each with the first (the pivot), and write the beads as
 * TMX, bead lines, TSV or an HTML review page.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hexalign/hexalign.h>

#include "commands.h"
#include "util.h"

#define MAX_FILES 6

static void usage(FILE *f)
{
	fprintf(f,
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
		"      --min-score X      TMX/TSV: drop beads scoring under X "
		"(0..1)\n"
		"      --lexicon-dir DIR  bilingual lexicons (default: the "
		"shipped ones)\n"
		"      --no-learn         do not learn a lexicon from the "
		"document pair\n"
		"      --srx FILE         SRX 2.0 segmentation rules\n"
		"  -q, --quiet            no progress, no warnings about "
		"confidence\n"
		"  -h, --help             this text\n"
		"\n"
		"beads: one line per bead, 0-based sentence indices: "
		"[0]:[0, 1]  [2]:[]\n"
		"(two files only). Every bead has a confidence score 0..1.\n");
}

struct input {
	const char *path;
	const char *lang;
	bool lang_given;
	hx_doc *doc;
	hx_sentences *sents;
};

static const char *lexicon_dir(const char *opt)
{
	const char *env = getenv("HEXALIGN_LEXICON_DIR");
	if (opt)
		return opt;
	if (env && *env)
		return env;
	return HX_LEXICON_DIR;
}

static int load_input(struct input *in, bool preseg, const hx_srx *srx)
{
	hx_error err;

	hx_error_init(&err);
	if (preseg) {
		if (!in->lang) {
			cli_error("%s: --presegmented needs the languages "
				  "(-l)",
				  in->path);
			return -1;
		}
		if (hx_sentences_read_lines(&in->sents, in->path, in->lang,
					    &err) < 0) {
			cli_error("%s", err.message);
			return -1;
		}
		return 0;
	}
	if (hx_read_file(&in->doc, in->path, NULL, &err) < 0) {
		cli_error("%s", err.message);
		return -1;
	}
	const char *det = hx_doc_detect_lang(in->doc);
	if (!in->lang)
		in->lang = det;
	else if (det && strncmp(det, in->lang, 2))
		cli_error("warning: %s: -l says '%s' but the text looks like "
			  "'%s'",
			  in->path, in->lang, det);
	if (!in->lang) {
		cli_error("%s: cannot tell the language; give it with -l",
			  in->path);
		return -1;
	}
	if (hx_sentences_from_doc(&in->sents, in->doc, in->lang, srx, &err) <
	    0) {
		cli_error("%s", err.message);
		return -1;
	}
	return 0;
}

static void print_ids(FILE *f, size_t start, size_t n)
{
	fputc('[', f);
	for (size_t k = 0; k < n; k++)
		fprintf(f, "%s%zu", k ? ", " : "", start + k);
	fputc(']', f);
}

static void write_beads(FILE *f, const hx_alignment *al)
{
	for (size_t i = 0; i < hx_alignment_count(al); i++) {
		const hx_bead *b = hx_alignment_get(al, i);
		print_ids(f, b->src_start, b->src_n);
		fputc(':', f);
		print_ids(f, b->tgt_start, b->tgt_n);
		fputc('\n', f);
	}
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
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	struct input in[MAX_FILES];
	hx_alignment *al[MAX_FILES] = {0};
	hx_lexicon *lex = NULL;
	hx_align_options aopts;
	hx_srx *srx = NULL;
	const char *format = "tmx", *out_path = NULL, *lexdir_opt = NULL;
	const char *srx_path = NULL;
	char *langs = NULL;
	bool preseg = false, quiet = false;
	double min_score = 0;
	cli_output out = {0};
	hx_error err;
	int c, rc = 1, nin;

	memset(in, 0, sizeof(in));
	hx_align_options_init(&aopts);
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
			preseg = true;
			break;
		case 'm': {
			char *end;
			min_score = strtod(optarg, &end);
			if (*end || min_score < 0 || min_score > 1) {
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
			aopts.learn = false;
			break;
		case 's':
			srx_path = optarg;
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
	if (strcmp(format, "tmx") && strcmp(format, "beads") &&
	    strcmp(format, "tsv") && strcmp(format, "html")) {
		cli_error("align: unknown format '%s' (tmx, beads, tsv, html)",
			  format);
		return 2;
	}
	if (strcmp(format, "beads") == 0 && nin != 2) {
		cli_error("align: --format beads takes exactly two files");
		return 2;
	}
	for (int i = 0; i < nin; i++)
		in[i].path = argv[optind + i];
	if (langs) {
		int k = 0;
		for (char *tok = strtok(langs, ","); tok;
		     tok = strtok(NULL, ","), k++) {
			if (k >= nin) {
				cli_error("align: -l names more languages "
					  "than there are files");
				return 2;
			}
			in[k].lang = tok;
			in[k].lang_given = true;
		}
		if (k != nin) {
			cli_error("align: -l names %d languages for %d files",
				  k, nin);
			return 2;
		}
	}
	if (srx_path && hx_srx_load(&srx, srx_path, &err) < 0) {
		cli_error("%s", err.message);
		return 1;
	}
	for (int i = 0; i < nin; i++)
		if (load_input(&in[i], preseg, srx) < 0)
			goto done;
	for (int i = 1; i < nin; i++) {
		hx_lexicon_free(lex);
		lex = NULL;
		if (hx_lexicon_load_pair(&lex, lexicon_dir(lexdir_opt),
					 in[0].lang, in[i].lang, &err) < 0) {
			if (err.code != HX_ENOTFOUND) {
				cli_error("%s", err.message);
				goto done;
			}
			if (!quiet)
				cli_error("warning: %s", err.message);
		}
		if (hx_align_run(&al[i], in[0].sents, in[i].sents, lex, &aopts,
				 &err) < 0) {
			cli_error("%s", err.message);
			goto done;
		}
		double conf = hx_alignment_confidence(al[i]);
		size_t ns = hx_sentences_count(in[0].sents),
		       nt = hx_sentences_count(in[i].sents);
		if (!quiet && (conf < 0.3 || ns == 0 || nt == 0))
			cli_error("warning: %s and %s: overall confidence "
				  "%.2f (%zu and %zu sentences): they may not "
				  "be versions of the same document",
				  in[0].path, in[i].path, conf, ns, nt);
	}
	if (cli_output_open(&out, out_path) < 0)
		goto done;
	if (!strcmp(format, "beads"))
		write_beads(out.f, al[1]);
	rc = 0;
	(void)min_score;
	if (cli_output_close(&out, rc == 0) < 0)
		rc = 1;
done:
	for (int i = 0; i < nin; i++) {
		hx_alignment_free(al[i]);
		hx_sentences_free(in[i].sents);
		hx_doc_free(in[i].doc);
	}
	hx_lexicon_free(lex);
	hx_srx_free(srx);
	return rc;
}
