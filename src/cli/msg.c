/* msg.c - messages to stderr; see cli.h. */
#include <stdarg.h>
#include <stdio.h>

#include "cli/cli.h"

void ls_cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("layerscan: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void ls_cli_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("layerscan: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
