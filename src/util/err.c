/* err.c - error details; see err.h. */
#define _GNU_SOURCE
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ls_err_clear(struct ls_err *err)
{
	if (!err)
		return;
	err->code = 0;
	err->name[0] = '\0';
	err->line = 0;
	err->column = 0;
	err->msg[0] = '\0';
}

int ls_err_set(struct ls_err *err, int code, const char *name, int line,
	       int column, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	snprintf(err->name, sizeof(err->name), "%s", name ? name : "");
	err->line = line;
	err->column = column;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

char *ls_err_format(const struct ls_err *err, char *out, size_t n)
{
	if (!n)
		return out;
	if (err->name[0] && err->line && err->column)
		snprintf(out, n, "%s:%d:%d: %s", err->name, err->line,
			 err->column, err->msg);
	else if (err->name[0] && err->line)
		snprintf(out, n, "%s:%d: %s", err->name, err->line, err->msg);
	else if (err->name[0])
		snprintf(out, n, "%s: %s", err->name, err->msg);
	else
		snprintf(out, n, "%s", err->msg);
	return out;
}

void ls_err_sanitize(char *out, size_t n, const char *in, size_t len)
{
	size_t i, o = 0;

	if (!n)
		return;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		if (o + 1 >= n) {
			if (n >= 4) {
				o = n - 4;
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	out[o] = '\0';
}

void ls_bug_fl(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
