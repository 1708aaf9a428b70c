/* xmlent.c - XML character references (see xmlent.h). */
#include "util/xmlent.h"

#include <string.h>

#include "util/hex.h"

/*
 * The character that the reference at `s` (just after its '&', `n` bytes
 * left) stands for, and its length through ';' in `*rlen`; -1 if it is not
 * one this decoder replaces.
 */
static int reference(const char *s, size_t n, size_t *rlen)
{
	static const struct {
		const char *name;
		char c;
	} named[] = {
		{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
		{ "quot;", '"' }, { "apos;", '\'' },
	};

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		size_t l = strlen(named[i].name);
		if (n >= l && memcmp(s, named[i].name, l) == 0) {
			*rlen = l + 1;
			return named[i].c;
		}
	}
	if (n >= 3 && s[0] == '#') {
		int hex = s[1] == 'x' || s[1] == 'X';
		size_t i = hex ? 2 : 1;
		long v = 0;
		size_t digits = 0;

		for (; i < n && digits < 6; i++, digits++) {
			int d = hex ? ls_hex_digit((unsigned char)s[i])
				    : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0'
								  : -1);
			if (d < 0)
				break;
			v = v * (hex ? 16 : 10) + d;
		}
		/* ASCII only: a wider character stays as it is written */
		if (digits && i < n && s[i] == ';' && v > 0 && v < 128) {
			*rlen = i + 2;
			return (int)v;
		}
	}
	return -1;
}

size_t ls_xml_unescape(const char *in, size_t len, unsigned char *out,
		       uint16_t *pos, size_t *nrefs)
{
	size_t i = 0, j = 0;

	*nrefs = 0;
	while (i < len) {
		size_t rlen;
		int c;

		if (in[i] == '&' &&
		    (c = reference(in + i + 1, len - i - 1, &rlen)) >= 0) {
			pos[j] = (uint16_t)i;   /* at the reference's '&' */
			out[j++] = (unsigned char)c;
			i += rlen;
			(*nrefs)++;
			continue;
		}
		pos[j] = (uint16_t)i;
		out[j++] = (unsigned char)in[i++];
	}
	pos[j] = (uint16_t)len;
	return j;
}
