/*
 * util.h - what every subcommand of the CLI shares: messages in the
 * "hexalign: ..." form, JSON string output, progress on a terminal.
 */
#ifndef HX_CLI_UTIL_H
#define HX_CLI_UTIL_H

#include <stdbool.h>
#include <stdio.h>

#include <hexalign/hexalign.h>

/** Print "hexalign: MESSAGE\n" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Whether progress should be shown: stderr is a terminal and not --quiet. */
bool cli_progress_enabled(bool quiet);

/** Overwrite the progress line on stderr: "VERB NAME: DONE/TOTAL". */
void cli_progress(const char *verb, const char *name, size_t done,
		  size_t total);

/** Clear the progress line. */
void cli_progress_end(void);

/**
 * Output that appears whole or not at all: with a path, writing goes to a
 * temporary file beside it that cli_output_close() renames into place
 * (or removes, when commit is false); without one (NULL or "-"), stdout.
 */
typedef struct cli_output {
	FILE *f;
	char *path;
	char *tmp;
} cli_output;

/** Open; prints the error and returns -1 on failure. */
int cli_output_open(cli_output *out, const char *path);

/** Flush and commit or discard; prints the error and returns -1 on failure. */
int cli_output_close(cli_output *out, bool commit);

/** The bilingual lexicons: opt when given, else $HEXALIGN_LEXICON_DIR,
 * else the installed ones, else the source tree's. */
const char *cli_lexicon_dir(const char *opt);

/* An alignment warning on stderr; payload points to a bool "quiet", which
 * silences only the missing-lexicon one. */
void cli_multialign_warning(void *payload, hx_multialign_warning kind,
			    const char *message);

/** The shipped domain word lists: the installed ones, else the source
 * tree's. */
const char *cli_wordlist_dir(void);

#endif
