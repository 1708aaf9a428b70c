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

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if none. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	size_t len = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 :
		     p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
	unsigned cp;

	if (!len || len > n || p[0] >= 0xf5)
		return 0;
	cp = p[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

char *ls_printable(const char *s, size_t len)
{
	char *out = ls_xmalloc(len + 1);
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		size_t k = u[i] < 0x80 ? 1 : utf8_seq(u + i, len - i);
		/* C0 controls, DEL, C1 controls (U+0080-U+009F: some
		 * terminals obey them) and invalid UTF-8 become '?' */
		if (k == 0 || (k == 1 && (u[i] < 0x20 || u[i] == 0x7f)) ||
		    (k == 2 && u[i] == 0xc2 && u[i + 1] < 0xa0)) {
			out[o++] = '?';
			i += k ? k : 1;
			continue;
		}
		memcpy(out + o, s + i, k);
		o += k;
		i += k;
	}
	out[o] = '\0';
	return out;
}
