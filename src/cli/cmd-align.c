/* cmd-align.c - placeholder, being written. */
#include "commands.h"
int cmd_align(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 2;
}
