/*
 * chunk.c - capped overlapping chunks; see chunk.h.
 *
 * Invariant between chunks: after a chunk is scanned, its last
 * LS_CHUNK_OVERLAP bytes move to the front of the buffer and the line
 * counters advance over the bytes that were dropped, so `base_line` and
 * `base_line_start` always describe buf[0].
 */
#include "content/chunk.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void ls_chunker_init(struct ls_chunker *c)
{
	memset(c, 0, sizeof(*c));
	c->buf = ls_xmalloc(LS_CHUNK_SIZE + LS_CHUNK_OVERLAP + LS_CHUNK_BACK);
	c->base_line = 1;
}

static long mem_read(void *ud, char *buf, size_t n, struct ls_err *err)
{
	struct ls_mem_reader *m = ud;
	size_t k = m->len - m->off;

	(void)err;
	if (k > n)
		k = n;
	memcpy(buf, m->p + m->off, k);
	m->off += k;
	return (long)k;
}

void ls_reader_mem(struct ls_reader *r, struct ls_mem_reader *m,
		   const char *p, size_t len)
{
	m->p = p;
	m->len = len;
	m->off = 0;
	r->read = mem_read;
	r->ud = m;
}

void ls_chunker_release(struct ls_chunker *c)
{
	free(c->buf);
	free(c->nl);
	memset(c, 0, sizeof(*c));
}

int ls_is_binary(const char *buf, size_t len)
{
	return memchr(buf, '\0', len < LS_BINARY_SNIFF ? len : LS_BINARY_SNIFF)
	       != NULL;
}

/* Account for buf[0..n) leaving the window. */
static void advance(struct ls_chunker *c, size_t n)
{
	const char *p = c->buf, *end = c->buf + n;
	const char *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		c->base_line++;
		c->base_line_start = c->base + (unsigned long long)(nl - c->buf) + 1;
		p = nl + 1;
	}
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
	c->base += n;
}

int ls_chunker_next(struct ls_chunker *c, struct ls_reader *r,
		    struct ls_err *err)
{
	const size_t cap = LS_CHUNK_SIZE + LS_CHUNK_OVERLAP + LS_CHUNK_BACK;

	if (c->started) {
		if (c->eof)
			return 0;
		/* keep the overlap and the look-back before it */
		advance(c, c->own_end - LS_CHUNK_BACK);
		c->own_start = LS_CHUNK_BACK;
	}
	while (!c->eof && c->len < cap) {
		long n = r->read(r->ud, c->buf + c->len, cap - c->len, err);
		if (n < 0)
			return (int)n;
		if (n == 0)
			c->eof = 1;
		c->len += (size_t)n;
		c->total += (unsigned long long)n;
	}
	c->nl_valid = 0;
	if (!c->started) {
		c->started = 1;
		if (!c->len)
			return 0;
		c->binary = ls_is_binary(c->buf, c->len);
	}
	c->own_end = c->eof ? c->len : c->len - LS_CHUNK_OVERLAP;
	return 1;
}

void ls_chunker_position(struct ls_chunker *c, size_t off,
			 unsigned long *line, unsigned long *col)
{
	size_t lo = 0, hi;

	if (!c->nl_valid) {
		const char *p = c->buf, *end = c->buf + c->len, *nl;
		c->nnl = 0;
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			LS_ALLOC_GROW(c->nl, c->nnl + 1, c->nl_alloc);
			c->nl[c->nnl++] = (size_t)(nl - c->buf);
			p = nl + 1;
		}
		c->nl_valid = 1;
	}
	/* number of newlines before off */
	hi = c->nnl;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->nl[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	*line = c->base_line + lo;
	if (lo == 0)
		*col = (unsigned long)(c->base + off - c->base_line_start) + 1;
	else
		*col = (unsigned long)(off - c->nl[lo - 1]);
}
