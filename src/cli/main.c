/*
 * main.c - the hexalign command: a table of subcommands and the options
 * every command shares (--help, --version). Each subcommand lives in its
 * own cmd-<name>.c; this file holds no logic of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "commands.h"
#include "util.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
    {"segment", cmd_segment,
     "split documents into sentences (txt, docx, html, pdf; six UN languages)"},
    {"align", cmd_align,
     "align language versions of a document into TMX (up to six at once)"},
    {"tm", cmd_tm,
     "translation memory: import TMX, look up, concordance, export"},
    {"check", cmd_check,
     "terminology, spelling, typography and bilingual QA checks"},
    {"pretranslate", cmd_pretranslate,
     "pre-translate a document from the memory: XLIFF, draft DOCX, analysis"},
    {"merge", cmd_merge, "write the translated DOCX from a finished XLIFF"},
    {"serve", cmd_serve,
     "review alignments, look up and search the memory in a browser"},
    {"terms", cmd_terms,
     "mine term candidates from the memory; check a term base against it"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: hexalign <command> [options] FILE...\n\n"
		   "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\n'hexalign <command> --help' describes a command.\n");
}

/* stdout is buffered: a full disk shows only when it is flushed, so every
 * exit goes through here and a lost write is an error, not rc 0. */
static int finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("standard output: %s",
			  errno ? strerror(errno) : "write failed");
		return rc ? rc : 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return finish(0);
	}
	if (!strcmp(argv[1], "--version")) {
		printf("hexalign %s\n", hx_version());
		return finish(0);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return finish(commands[i].run(argc - 1, argv + 1));
	cli_error("unknown command '%s'", argv[1]);
	usage(stderr);
	return 2;
}
