/*
 * cmd_stub.c - subcommands that are part of the CLI contract but not built
 * yet.  They say so and exit 2, so a pipeline never mistakes them for a
 * clean scan.
 */
#include "cli/cli.h"

int cmd_git(struct ls_opts *o)
{
	(void)o;
	ls_cli_error("'git' is not implemented yet");
	return LS_EXIT_ERROR;
}
