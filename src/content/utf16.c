/*
 * utf16.c - read a UTF-16 text (with its byte order mark) as UTF-8.
 */
#include "content/utf16.h"

#include <string.h>

/* Fill u->in from the source; returns <0 on error, 0 at its end. */
static long refill(struct ls_utf16 *u, struct ls_err *err)
{
	long k;

	if (u->in_off) {
		memmove(u->in, u->in + u->in_off, u->in_len - u->in_off);
		u->in_len -= u->in_off;
		u->in_off = 0;
	}
	k = u->under->read(u->under->ud, (char *)u->in + u->in_len,
			   sizeof(u->in) - u->in_len, err);
	if (k > 0)
		u->in_len += (size_t)k;
	else if (k == 0)
		u->eof = 1;
	return k;
}

static size_t put_utf8(unsigned char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Convert the next code unit(s) into u->out; 0 when more input is needed. */
static int convert_one(struct ls_utf16 *u)
{
	const unsigned char *p = u->in + u->in_off;
	unsigned unit;

	if (u->in_len - u->in_off < 2)
		return 0;
	unit = u->mode == 2 ? (unsigned)(p[0] | p[1] << 8)
			    : (unsigned)(p[0] << 8 | p[1]);
	u->in_off += 2;
	u->out_off = 0;
	if (u->hi) {
		unsigned hi = u->hi;
		u->hi = 0;
		if (unit >= 0xdc00 && unit <= 0xdfff) {
			u->out_len = put_utf8(u->out, 0x10000 +
					      ((hi - 0xd800) << 10) +
					      (unit - 0xdc00));
			return 1;
		}
		/* an unpaired high surrogate, then this unit */
		u->out_len = put_utf8(u->out, 0xfffd);
		u->in_off -= 2;
		return 1;
	}
	if (unit >= 0xd800 && unit <= 0xdbff) {
		u->hi = unit;
		u->out_len = 0;
		return 1;
	}
	if (unit >= 0xdc00 && unit <= 0xdfff)
		unit = 0xfffd;
	u->out_len = put_utf8(u->out, unit);
	return 1;
}

static long utf16_read(void *ud, char *buf, size_t n, struct ls_err *err)
{
	struct ls_utf16 *u = ud;
	size_t got = 0;

	if (!u->mode) {
		while (u->in_len < 2 && !u->eof) {
			long k = refill(u, err);
			if (k < 0)
				return k;
		}
		if (u->in_len >= 2 && u->in[0] == 0xff && u->in[1] == 0xfe) {
			u->mode = 2;
			u->in_off = 2;
		} else if (u->in_len >= 2 && u->in[0] == 0xfe &&
			   u->in[1] == 0xff) {
			u->mode = 3;
			u->in_off = 2;
		} else {
			u->mode = 1;
		}
	}
	if (u->mode == 1) {
		/* pass through: first what the sniff read, then the source */
		if (u->in_off < u->in_len) {
			size_t k = u->in_len - u->in_off;
			if (k > n)
				k = n;
			memcpy(buf, u->in + u->in_off, k);
			u->in_off += k;
			return (long)k;
		}
		return u->under->read(u->under->ud, buf, n, err);
	}
	while (got < n) {
		if (u->out_off < u->out_len) {
			buf[got++] = (char)u->out[u->out_off++];
			continue;
		}
		if (convert_one(u))
			continue;
		if (u->eof) {
			/* a dangling high surrogate or odd byte at the end */
			if (u->hi || u->in_off < u->in_len) {
				u->hi = 0;
				u->in_off = u->in_len;
				u->out_off = 0;
				u->out_len = put_utf8(u->out, 0xfffd);
				continue;
			}
			break;
		}
		if (got)
			break;   /* return what we have before reading on */
		{
			long k = refill(u, err);
			if (k < 0)
				return k;
		}
	}
	return (long)got;
}

void ls_reader_utf16(struct ls_reader *r, struct ls_utf16 *u,
		     struct ls_reader *under)
{
	/* the buffers are filled before they are read: reset only the
	 * state (this runs for every item scanned) */
	u->under = under;
	u->mode = 0;
	u->in_len = u->in_off = 0;
	u->out_len = u->out_off = 0;
	u->hi = 0;
	u->eof = 0;
	r->read = utf16_read;
	r->ud = u;
}
