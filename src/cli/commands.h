/*
 * commands.h - the subcommands; each takes its own argv (argv[0] is the
 * command name) and returns the process exit code: 0 ok, 1 failure or
 * findings, 2 usage error.
 */
#ifndef HX_CLI_COMMANDS_H
#define HX_CLI_COMMANDS_H

int cmd_segment(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_tm(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_pretranslate(int argc, char **argv);
int cmd_merge(int argc, char **argv);

#endif
