/*
 * cmd-segment.c - `hexalign segment`: read documents, split every block
 * into sentences, print one sentence per line or JSON lines with where
 * each sentence came from.
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
		"usage: hexalign segment [-l LANG] [--srx FILE] [--format "
		"FMT] [--json] [--wrapped] [--quiet] FILE...\n"
		"\n"
		"Split each FILE (plain text, DOCX, HTML or PDF; '-' is stdin) "
		"into sentences\n"
		"and print one sentence per line.\n"
		"\n"
		"  -l, --lang LANG   language of the input (en, zh, ar, fr, "
		"ru, es);\n"
		"                    detected from the text when absent\n"
		"      --srx FILE    SRX 2.0 rules to use instead of the "
		"built-in ones\n"
		"      --format FMT  input format: auto (default), txt, "
		"docx, html, pdf\n"
		"      --json        one JSON object per sentence: file, "
		"block, line,\n"
		"                    kind, label, lang, lang_source, start, "
		"end, text\n"
		"      --wrapped     the lines of a text file are wrapped "
		"(a PDF extract,\n"
		"                    e-mail): join them up to a blank line "
		"or a list item;\n"
		"                    by default a line is a paragraph, as "
		"Word writes text\n"
		"  -q, --quiet       no progress on the terminal\n"
		"  -h, --help        this text\n");
}

/* Print a sentence on one line: a DOCX line break or tab becomes a space. */
static void print_plain(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputc(s[i] == '\n' || s[i] == '\t' || s[i] == '\r' ? ' ' : s[i],
		      out);
	fputc('\n', out);
}

static int segment_file(FILE *out, const char *path, const char *lang_opt,
			const hx_srx *srx, const hx_read_options *ropts,
			bool json, bool progress)
{
	hx_segmenter *seg = NULL;
	hx_doc *doc = NULL;
	hx_span *spans = NULL;
	const char *lang;
	hx_error err;
	size_t n, nb;
	int rc = 1;

	hx_error_init(&err);
	if (hx_read_file(&doc, path, ropts, &err) < 0) {
		cli_error("%s", err.message);
		goto done;
	}
	lang = lang_opt ? lang_opt : hx_doc_detect_lang(doc);
	if (!lang) {
		cli_error("%s: cannot tell the language; give it with -l",
			  path);
		goto done;
	}
	if (hx_segmenter_new(&seg, lang, srx, &err) < 0) {
		cli_error("%s", err.message);
		goto done;
	}
	nb = hx_doc_count(doc);
	for (size_t i = 0; i < nb; i++) {
		const hx_block *b = hx_doc_get_block(doc, i);
		if (progress && i % 256 == 0)
			cli_progress("segmenting", path, i, nb);
		if (hx_segmenter_split(&spans, &n, seg, b->text, b->text_len,
				       &err) < 0) {
			cli_error("%s:%zu: %s", path, b->line, err.message);
			goto done;
		}
		for (size_t k = 0; k < n; k++) {
			const char *s = b->text + spans[k].start;
			size_t len = spans[k].end - spans[k].start;
			if (!json) {
				print_plain(out, s, len);
				continue;
			}
			fputs("{\"file\":", out);
			hx_json_write_string(out, path, strlen(path));
			fprintf(out,
				",\"block\":%zu,\"line\":%zu,\"kind\":\"%s\","
				"\"label\":",
				i, b->line, hx_block_kind_str(b->kind));
			hx_json_write_string(out, b->label, strlen(b->label));
			fprintf(out,
				",\"lang\":\"%s\",\"lang_source\":\"%s\","
				"\"start\":%zu,\"end\":%zu,\"text\":",
				lang, lang_opt ? "option" : "detected",
				spans[k].start, spans[k].end);
			hx_json_write_string(out, s, len);
			fputs("}\n", out);
		}
		free(spans);
		spans = NULL;
	}
	if (progress)
		cli_progress_end();
	rc = 0;
done:
	free(spans);
	hx_segmenter_free(seg);
	hx_doc_free(doc);
	return rc;
}

int cmd_segment(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"lang", required_argument, NULL, 'l'},
	    {"srx", required_argument, NULL, 's'},
	    {"format", required_argument, NULL, 'f'},
	    {"json", no_argument, NULL, 'j'},
	    {"wrapped", no_argument, NULL, 'w'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	const char *lang = NULL, *srx_path = NULL, *out_path = NULL;
	cli_output out;
	hx_read_options ropts;
	hx_srx *srx = NULL;
	bool json = false, quiet = false;
	hx_error err;
	int c, rc = 0;

	hx_read_options_init(&ropts);
	hx_error_init(&err);
	while ((c = getopt_long(argc, argv, "l:o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			lang = optarg;
			break;
		case 's':
			srx_path = optarg;
			break;
		case 'f':
			if ((c = hx_format_parse(optarg)) < 0) {
				cli_error("segment: unknown format '%s'",
					  optarg);
				return 2;
			}
			ropts.format = (hx_format)c;
			break;
		case 'j':
			json = true;
			break;
		case 'w':
			ropts.txt_lines = HX_TXT_LINES_WRAPPED;
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
	if (optind >= argc) {
		cli_error("segment: no input file");
		usage(stderr);
		return 2;
	}
	if (srx_path && hx_srx_load(&srx, srx_path, &err) < 0) {
		cli_error("%s", err.message);
		return 1;
	}
	if (cli_output_open(&out, out_path) < 0) {
		hx_srx_free(srx);
		return 1;
	}
	for (int i = optind; i < argc; i++)
		if (segment_file(out.f, argv[i], lang, srx, &ropts, json,
				 cli_progress_enabled(quiet)))
			rc = 1;
	hx_srx_free(srx);
	/* On any failure the output file is not created: a half-segmented
	 * file would look complete to the next tool in a pipeline. */
	if (cli_output_close(&out, rc == 0) < 0)
		rc = 1;
	return rc;
}
