/*
 * cmd-merge.c - `hexalign merge`: the round trip of a pre-translation.
 * After translators finish in their CAT tool, the XLIFF's targets go back
 * into the original DOCX, which the XLIFF names and whose checksum it
 * keeps.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "commands.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: hexalign merge [--original NEW.docx] NEW.zh.xlf -o "
		   "NEW.zh.docx\n"
		   "\n"
		   "Write the translated DOCX: the original document the XLIFF "
		   "was made from\n"
		   "(by `hexalign pretranslate`) with every paragraph's "
		   "sentences replaced by\n"
		   "their targets; a sentence without target stays as it was. "
		   "The original is\n"
		   "found where the XLIFF says (as given, or beside the XLIFF) "
		   "unless\n"
		   "--original names it; a document that is not the one the "
		   "XLIFF was made\n"
		   "from is refused, and nothing is written.\n");
}

int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"original", required_argument, NULL, 'O'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	const char *out = NULL, *original = NULL, *xlf;
	hx_docx_fill_stats st;
	hx_xliff *x = NULL;
	char *docx = NULL;
	hx_error err;
	int c, rc = 1;

	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'O':
			original = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc || !out) {
		cli_error("merge: give one XLIFF and -o OUT.docx");
		usage(stderr);
		return 2;
	}
	xlf = argv[optind];
	hx_error_init(&err);
	if (hx_xliff_read(&x, xlf, &err) < 0) {
		cli_error("%s", err.message);
		return 1;
	}
	if (original) {
		if (!(docx = strdup(original))) {
			cli_error("out of memory");
			goto done;
		}
	} else if (hx_xliff_find_original(&docx, x, xlf, &err) < 0) {
		cli_error("%s%s", err.message,
			  err.code == HX_ENOTFOUND
			      ? "; give it with --original FILE"
			      : "");
		goto done;
	}
	if (hx_xliff_merge(x, docx, out, &st, &err) < 0) {
		cli_error("%s", err.message);
		goto done;
	}
	if (st.refused)
		cli_error("%s: %zu paragraph%s holding an equation or a field "
			  "left as they were",
			  docx, st.refused, st.refused > 1 ? "s" : "");
	rc = 0;
done:
	free(docx);
	hx_xliff_free(x);
	return rc;
}
