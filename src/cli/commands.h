/*
 * commands.h - the subcommands; each takes its own argv (argv[0] is the
 * command name) and returns the process exit code: 0 ok, 1 failure or
 * findings, 2 usage error.
 */
#ifndef HX_CLI_COMMANDS_H
#define HX_CLI_COMMANDS_H

#include <stdbool.h>

#include <hexalign/hexalign.h>

int cmd_segment(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_tm(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_pretranslate(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_terms(int argc, char **argv);

/**
 * Serve tm (may be NULL) with `review` open as "0" (taken; may be NULL)
 * as so says until SIGINT, SIGTERM or SIGHUP; browse: open the URL with
 * xdg-open when stdout is a terminal. Returns the exit code.
 */
int cli_serve(hx_tm *tm, hx_review *review, const hx_serve_options *so,
	      bool browse);

#endif
