/*
 * inflate.c - streaming gzip with ISA-L; see inflate.h.
 *
 * isal_inflate() with crc_flag = ISAL_GZIP parses the member header,
 * inflates, and checks the trailer; it stops at the end of the member
 * (block_state ISAL_BLOCK_FINISH) with the unread input still in
 * next_in/avail_in.  A read returns as soon as some output is ready, so the
 * caller's buffer size bounds the work per call.  At the end of a member
 * the input is topped up so that the next two bytes can be checked for
 * another member's magic.
 */
#include "content/inflate.h"

#include <isa-l/igzip_lib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct ls_gunzip {
	struct ls_reader *under;
	struct inflate_state st;
	int in_eof;             /* `under` returned 0 */
	int done;               /* last member finished */
	unsigned char in[LS_GUNZIP_IN];
};

int ls_is_gzip(const unsigned char *p, size_t n)
{
	return n >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8;
}

struct ls_gunzip *ls_gunzip_new(struct ls_reader *under)
{
	struct ls_gunzip *g = ls_xmalloc(sizeof(*g));

	g->under = under;
	g->in_eof = 0;
	g->done = 0;
	isal_inflate_init(&g->st);
	g->st.crc_flag = ISAL_GZIP;
	g->st.next_in = g->in;
	g->st.avail_in = 0;
	return g;
}

void ls_gunzip_free(struct ls_gunzip *g)
{
	free(g);
}

static const char *isal_msg(int rc)
{
	switch (rc) {
	case ISAL_INVALID_BLOCK:
		return "invalid deflate block";
	case ISAL_INVALID_SYMBOL:
		return "invalid deflate symbol";
	case ISAL_INVALID_LOOKBACK:
		return "invalid back-reference distance";
	case ISAL_INVALID_WRAPPER:
		return "invalid gzip header";
	case ISAL_UNSUPPORTED_METHOD:
		return "unsupported compression method";
	case ISAL_INCORRECT_CHECKSUM:
		return "CRC-32 or length mismatch";
	default:
		return "decompression failed";
	}
}

/*
 * Move unread input to the front and read until at least `want` bytes are
 * buffered or the input ends.  Returns 0 or the reader's negative code.
 */
static int top_up(struct ls_gunzip *g, size_t want, struct ls_err *err)
{
	size_t have = g->st.avail_in;

	if (have && g->st.next_in != g->in)
		memmove(g->in, g->st.next_in, have);
	g->st.next_in = g->in;
	while (have < want && !g->in_eof) {
		long k = g->under->read(g->under->ud, (char *)g->in + have,
					sizeof(g->in) - have, err);
		if (k < 0)
			return (int)k;
		if (k == 0)
			g->in_eof = 1;
		have += (size_t)k;
	}
	g->st.avail_in = (uint32_t)have;
	return 0;
}

long ls_gunzip_read(void *ud, char *buf, size_t n, struct ls_err *err)
{
	struct ls_gunzip *g = ud;
	int stuck = 0;

	if (n > UINT32_MAX)
		n = UINT32_MAX;
	while (!g->done) {
		uint32_t in_before;
		size_t out;
		int rc;

		if (g->st.block_state == ISAL_BLOCK_FINISH) {
			/* another member? */
			uint8_t *next;
			uint32_t avail;
			if ((rc = top_up(g, 3, err)) < 0)
				return rc;
			if (!ls_is_gzip(g->st.next_in, g->st.avail_in)) {
				g->done = 1;
				break;
			}
			next = g->st.next_in;
			avail = g->st.avail_in;
			isal_inflate_reset(&g->st);
			g->st.crc_flag = ISAL_GZIP;
			g->st.next_in = next;
			g->st.avail_in = avail;
		}
		if (!g->st.avail_in) {
			if (g->in_eof)
				return ls_err_set(err, LS_EFORMAT, NULL, 0, 0,
						  "gzip: unexpected end of data");
			if ((rc = top_up(g, 1, err)) < 0)
				return rc;
			continue;
		}
		in_before = g->st.avail_in;
		g->st.next_out = (uint8_t *)buf;
		g->st.avail_out = (uint32_t)n;
		rc = isal_inflate(&g->st);
		if (rc < 0)
			return ls_err_set(err, LS_EFORMAT, NULL, 0, 0, "gzip: %s",
					  isal_msg(rc));
		out = n - g->st.avail_out;
		if (out)
			return (long)out;
		/* no output: input consumed (headers), member end, or stuck */
		if (g->st.avail_in == in_before &&
		    g->st.block_state != ISAL_BLOCK_FINISH && ++stuck > 2)
			return ls_err_set(err, LS_EFORMAT, NULL, 0, 0,
					  "gzip: decompression made no progress");
	}
	return 0;
}
