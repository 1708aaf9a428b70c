/* jsonesc.c - JSON string escapes (see jsonesc.h). */
#include "util/jsonesc.h"

#include "util/hex.h"

/*
 * The character that the escape at `s` (just after its backslash, `n`
 * bytes left) stands for, and its length with the backslash in `*elen`; -1
 * if it is not one this decoder replaces.
 */
static int escape(const char *s, size_t n, size_t *elen)
{
	if (!n)
		return -1;
	*elen = 2;
	switch (s[0]) {
	case '/': return '/';
	case '"': return '"';
	case '\\': return '\\';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 'u':
		if (n >= 5) {
			int v = 0;
			for (int i = 1; i <= 4; i++) {
				int d = ls_hex_digit((unsigned char)s[i]);
				if (d < 0)
					return -1;
				v = v * 16 + d;
			}
			/* ASCII only: a wider character stays as it is written */
			if (v >= 1 && v <= 127) {
				*elen = 6;
				return v;
			}
		}
		return -1;
	default:
		return -1;
	}
}

size_t ls_json_unescape(const char *in, size_t len, unsigned char *out,
			uint16_t *pos, size_t *nrefs)
{
	size_t i = 0, j = 0;

	*nrefs = 0;
	while (i < len) {
		size_t elen;
		int c;

		if (in[i] == '\\' &&
		    (c = escape(in + i + 1, len - i - 1, &elen)) >= 0) {
			pos[j] = (uint16_t)i;   /* at the escape's backslash */
			out[j++] = (unsigned char)c;
			i += elen;
			(*nrefs)++;
			continue;
		}
		pos[j] = (uint16_t)i;
		out[j++] = (unsigned char)in[i++];
	}
	pos[j] = (uint16_t)len;
	return j;
}
