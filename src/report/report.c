/* report.c - the reporter registry and shared helpers; see report.h. */
#include "report/report.h"

#include <string.h>

#include "util/xalloc.h"

static const struct ls_reporter *const reporters[] = {
	&ls_reporter_text,
	&ls_reporter_json,
	&ls_reporter_sarif,
	&ls_reporter_junit,
	NULL,
};

const struct ls_reporter *ls_reporter_find(const char *name)
{
	for (size_t i = 0; reporters[i]; i++)
		if (!strcmp(reporters[i]->name, name))
			return reporters[i];
	return NULL;
}

const char *ls_reporter_names(void)
{
	return "text, json, sarif, junit";
}

char *ls_redact(const char *secret, size_t len)
{
	size_t keep = len / 4;

	if (keep > 4)
		keep = 4;
	for (size_t i = 0; i < keep; i++) {
		if ((unsigned char)secret[i] < 0x20 ||
		    (unsigned char)secret[i] >= 0x7f) {
			keep = i;
			break;
		}
	}
	return ls_xasprintf("%.*s...", (int)keep, secret);
}

char *ls_printable(const char *s, size_t len)
{
	char *out = ls_xmalloc(len + 1);

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	out[len] = '\0';
	return out;
}
