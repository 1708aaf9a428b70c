/*
 * test_chunk.c - unit tests for the chunker (src/content/chunk.c).
 *
 * Streams come from an in-memory reader that returns short reads of a
 * random size in 1..max bytes (fixed seed), and can fail after a given
 * number of bytes.  Every chunk is checked against the stream: its bytes,
 * its overlap with the previous chunk, and that the own regions tile the
 * stream exactly once.  Positions are compared with a naive count over the
 * whole stream.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/chunk.h"
#include "util/err.h"
#include "util/xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define CAP ((size_t)LS_CHUNK_SIZE + LS_CHUNK_OVERLAP + LS_CHUNK_BACK)

/* ---- an in-memory reader with short reads ---- */

struct memsrc {
	const char *p;
	size_t len, off;
	size_t maxread;          /* each read returns 1..maxread bytes */
	unsigned seed;
	size_t fail_at;          /* fail once off reaches this; 0 = never */
	size_t calls;
};

static unsigned next_rand(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static long mem_read(void *ud, char *buf, size_t n, struct ls_err *err)
{
	struct memsrc *m = ud;
	size_t k;

	m->calls++;
	if (m->fail_at && m->off >= m->fail_at)
		return ls_err_set(err, LS_EIO, "mem", 0, 0,
				  "cannot read: injected failure at %zu",
				  m->off);
	k = 1 + next_rand(&m->seed) % m->maxread;
	if (k > n)
		k = n;
	if (k > m->len - m->off)
		k = m->len - m->off;
	if (m->fail_at && m->off + k > m->fail_at)
		k = m->fail_at - m->off;
	memcpy(buf, m->p + m->off, k);
	m->off += k;
	return (long)k;
}

static struct ls_reader reader_for(struct memsrc *m)
{
	struct ls_reader r = { mem_read, m };

	return r;
}

/* ---- streams ---- */

/* Printable text with newlines; no NUL. */
static char *text_stream(size_t len, unsigned seed)
{
	char *p = ls_xmalloc(len ? len : 1);

	for (size_t i = 0; i < len; i++) {
		unsigned r = next_rand(&seed);
		p[i] = (r % 61 == 0) ? '\n' : (char)('a' + r % 26);
	}
	return p;
}

/* ---- naive positions ---- */

struct naive_pos {
	uint32_t *line, *col;    /* for every offset 0..len */
};

static void naive_init(struct naive_pos *np, const char *p, size_t len)
{
	uint32_t line = 1, col = 1;

	np->line = ls_xmalloc((len + 1) * sizeof(uint32_t));
	np->col = ls_xmalloc((len + 1) * sizeof(uint32_t));
	for (size_t i = 0; i <= len; i++) {
		np->line[i] = line;
		np->col[i] = col;
		if (i < len && p[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
}

static void naive_release(struct naive_pos *np)
{
	free(np->line);
	free(np->col);
}

static void check_pos(struct ls_chunker *c, const struct naive_pos *np,
		      size_t off)
{
	unsigned long line = 0, col = 0;
	size_t abs = (size_t)c->base + off;

	ls_chunker_position(c, off, &line, &col);
	if (line != np->line[abs] || col != np->col[abs])
		fail_msg("offset %zu (chunk base %llu + %zu): got %lu:%lu, want %u:%u",
			 abs, c->base, off, line, col, np->line[abs],
			 np->col[abs]);
}

/*
 * Run the chunker over `p` and check chunk invariants; with `np`, also
 * positions at the edges and at `nrand` random offsets of every chunk.
 * Returns the number of chunks.
 */
static size_t run_and_check(const char *p, size_t len, size_t maxread,
			    unsigned seed, const struct naive_pos *np,
			    size_t nrand)
{
	struct memsrc m = { p, len, 0, maxread, seed, 0, 0 };
	struct ls_reader r = reader_for(&m);
	struct ls_chunker c;
	struct ls_err err;
	unsigned long long own_next = 0, prev_end = 0;
	size_t nchunks = 0;
	int rc;

	ls_chunker_init(&c);
	ls_err_clear(&err);
	while ((rc = ls_chunker_next(&c, &r, &err)) == 1) {
		unsigned long long end = c.base + c.len;

		nchunks++;
		assert_true(c.len > 0);
		assert_true(c.len <= CAP);
		assert_true(c.own_end <= c.len);
		assert_true(c.own_end > 0);
		/* the bytes are the stream's */
		assert_true(end <= len);
		assert_memory_equal(c.buf, p + c.base, c.len);
		/* own regions tile the stream; later chunks start with
		 * LS_CHUNK_BACK bytes of look-back they do not own */
		assert_int_equal(c.own_start, nchunks > 1 ? LS_CHUNK_BACK : 0);
		if (c.base + c.own_start != own_next)
			fail_msg("chunk %zu starts owning at %llu, want %llu",
				 nchunks, c.base + c.own_start, own_next);
		own_next = c.base + c.own_end;
		/* consecutive chunks share the overlap and the look-back */
		if (nchunks > 1)
			assert_int_equal(prev_end - c.base,
					 LS_CHUNK_OVERLAP + LS_CHUNK_BACK);
		prev_end = end;
		/* a chunk that is not the last is full */
		if (c.own_end != c.len) {
			assert_int_equal(c.len, CAP);
			assert_int_equal(c.own_end, LS_CHUNK_SIZE + LS_CHUNK_BACK);
		}
		if (np) {
			size_t edges[] = { 0, 1, c.own_end - 1, c.own_end,
					   c.len - 1, c.len };
			unsigned s = seed ^ (unsigned)nchunks;
			/* random offsets first: the newline index is lazy */
			for (size_t i = 0; i < nrand; i++)
				check_pos(&c, np,
					  next_rand(&s) % (c.len + 1));
			for (size_t i = 0; i < ARRAY_SIZE(edges); i++)
				if (edges[i] <= c.len)
					check_pos(&c, np, edges[i]);
		}
	}
	assert_int_equal(rc, 0);
	assert_int_equal(own_next, len);
	assert_int_equal(c.total, len);
	/* the end is sticky */
	assert_int_equal(ls_chunker_next(&c, &r, &err), 0);
	assert_int_equal(m.off, len);
	ls_chunker_release(&c);
	return nchunks;
}

/* ---- tests ---- */

static void test_chunks_tile_stream(void **state)
{
	static const struct {
		size_t len;
		size_t chunks;
	} cases[] = {
		{ 1, 1 },
		{ 100, 1 },
		{ LS_CHUNK_SIZE - 1, 1 },
		{ LS_CHUNK_SIZE, 1 },
		{ LS_CHUNK_SIZE + 1, 1 },
		{ CAP - 1, 1 },
		{ CAP, 2 },                       /* full, then overlap only */
		{ CAP + 1, 2 },
		/* after the first, each chunk owns LS_CHUNK_SIZE more */
		{ 2 * (size_t)LS_CHUNK_SIZE + LS_CHUNK_OVERLAP, 2 },
		{ CAP + LS_CHUNK_SIZE, 3 },
		{ 3 * (size_t)LS_CHUNK_SIZE + 12345, 3 },
		{ CAP + 2 * (size_t)LS_CHUNK_SIZE, 4 },
	};
	size_t maxlen = 0;
	char *p;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (cases[i].len > maxlen)
			maxlen = cases[i].len;
	p = text_stream(maxlen, 99);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t n = run_and_check(p, cases[i].len, 65536, (unsigned)i,
					 NULL, 0);
		if (n != cases[i].chunks)
			fail_msg("len %zu: %zu chunks, want %zu", cases[i].len,
				 n, cases[i].chunks);
	}
	free(p);
}

/* Tiny reads: the chunker must keep reading until a chunk is full. */
static void test_tiny_reads(void **state)
{
	size_t len = CAP + 5000;
	char *p = text_stream(len, 5);

	(void)state;
	assert_int_equal(run_and_check(p, len, 7, 1, NULL, 0), 2);
	free(p);
}

static void test_positions_match_naive_count(void **state)
{
	size_t len = 3 * (size_t)LS_CHUNK_SIZE + 777;
	char *p = text_stream(len, 42);
	struct naive_pos np;

	(void)state;
	/* a newline exactly at chunk edges */
	p[LS_CHUNK_SIZE - 1] = '\n';
	p[LS_CHUNK_SIZE] = '\n';
	p[2 * (size_t)LS_CHUNK_SIZE] = '\n';
	p[CAP - 1] = '\n';
	naive_init(&np, p, len);
	run_and_check(p, len, 100000, 3, &np, 400);
	naive_release(&np);
	free(p);
}

/* A line longer than a chunk: columns keep counting across chunks. */
static void test_positions_long_line(void **state)
{
	size_t len = 3 * (size_t)LS_CHUNK_SIZE + 100;
	char *p = text_stream(len, 8);
	struct naive_pos np;

	(void)state;
	/* one line from 1000 to 2.5 MiB: no newline in the 2nd chunk */
	for (size_t i = 1000; i < 5 * (size_t)LS_CHUNK_SIZE / 2; i++)
		if (p[i] == '\n')
			p[i] = 'x';
	p[999] = '\n';
	naive_init(&np, p, len);
	assert_int_equal(np.line[5 * (size_t)LS_CHUNK_SIZE / 2 - 1],
			 np.line[1000]);
	run_and_check(p, len, 1 << 20, 11, &np, 300);
	naive_release(&np);
	free(p);
}

/* CRLF: '\r' is an ordinary byte of the line; columns count bytes. */
static void test_positions_crlf(void **state)
{
	size_t len = (size_t)LS_CHUNK_SIZE + 3 * LS_CHUNK_OVERLAP;
	char *p = ls_xmalloc(len);
	struct naive_pos np;

	(void)state;
	for (size_t i = 0; i < len; i++)
		p[i] = (i % 40 == 38) ? '\r' : (i % 40 == 39) ? '\n' : 'k';
	naive_init(&np, p, len);
	/* spot check the naive count: offset 40 is line 2, column 1 */
	assert_int_equal(np.line[40], 2);
	assert_int_equal(np.col[40], 1);
	assert_int_equal(np.col[38], 39);    /* the '\r' */
	run_and_check(p, len, 3000, 2, &np, 500);
	naive_release(&np);
	free(p);
}

/* A stream that is all newlines, and one with none. */
static void test_positions_extremes(void **state)
{
	size_t len = (size_t)LS_CHUNK_SIZE + LS_CHUNK_OVERLAP + 4096;
	char *p = ls_xmalloc(len);
	struct naive_pos np;

	(void)state;
	memset(p, '\n', len);
	naive_init(&np, p, len);
	run_and_check(p, len, 1 << 16, 4, &np, 200);
	naive_release(&np);
	memset(p, 'z', len);
	naive_init(&np, p, len);
	run_and_check(p, len, 1 << 16, 5, &np, 200);
	naive_release(&np);
	free(p);
}

static int first_chunk_binary(const char *p, size_t len, size_t maxread)
{
	struct memsrc m = { p, len, 0, maxread, 1, 0, 0 };
	struct ls_reader r = reader_for(&m);
	struct ls_chunker c;
	struct ls_err err;
	int bin;

	ls_chunker_init(&c);
	assert_int_equal(ls_chunker_next(&c, &r, &err), 1);
	bin = c.binary;
	/* the verdict holds for later chunks too */
	while (ls_chunker_next(&c, &r, &err) == 1)
		assert_int_equal(c.binary, bin);
	ls_chunker_release(&c);
	return bin;
}

static void test_binary_sniff(void **state)
{
	static const struct {
		size_t nul_at;        /* (size_t)-1: none */
		int binary;
	} cases[] = {
		{ 0, 1 },
		{ 5, 1 },
		{ LS_BINARY_SNIFF - 1, 1 },
		{ LS_BINARY_SNIFF, 0 },
		{ LS_BINARY_SNIFF + 1, 0 },
		{ (size_t)LS_CHUNK_SIZE + 10, 0 },   /* in the 2nd chunk */
		{ (size_t)-1, 0 },
	};
	size_t len = (size_t)LS_CHUNK_SIZE + 100000;
	char *p = text_stream(len, 17);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *q = ls_xmalloc(len);
		memcpy(q, p, len);
		if (cases[i].nul_at != (size_t)-1)
			q[cases[i].nul_at] = '\0';
		/* byte-at-a-time reads for the first 8000 bytes would be slow;
		 * 1..13 byte reads still split the sniffed prefix */
		if (first_chunk_binary(q, len, 13) != cases[i].binary)
			fail_msg("NUL at %zu: binary should be %d",
				 cases[i].nul_at, cases[i].binary);
		free(q);
	}
	free(p);

	/* ls_is_binary on its own, including short buffers */
	assert_int_equal(ls_is_binary("", 0), 0);
	assert_int_equal(ls_is_binary("\0", 1), 1);
	assert_int_equal(ls_is_binary("abc\0", 3), 0);   /* length honoured */
	assert_int_equal(ls_is_binary("\xff\xfe\x80", 3), 0);
}

static void test_empty_stream(void **state)
{
	struct memsrc m = { "", 0, 0, 10, 1, 0, 0 };
	struct ls_reader r = reader_for(&m);
	struct ls_chunker c;
	struct ls_err err;

	(void)state;
	ls_chunker_init(&c);
	ls_err_clear(&err);
	assert_int_equal(ls_chunker_next(&c, &r, &err), 0);
	assert_int_equal(ls_chunker_next(&c, &r, &err), 0);
	assert_int_equal(c.total, 0);
	assert_int_equal(err.code, 0);
	ls_chunker_release(&c);
}

static void test_reader_error(void **state)
{
	static const size_t fail_at[] = {
		1,                      /* first read of the stream */
		5000,                   /* inside the first chunk */
		CAP + 100,              /* while filling the second chunk */
	};
	size_t len = 2 * CAP;
	char *p = text_stream(len, 3);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(fail_at); i++) {
		struct memsrc m = { p, len, 0, 4096, 9, fail_at[i], 0 };
		struct ls_reader r = reader_for(&m);
		struct ls_chunker c;
		struct ls_err err;
		int rc, good = 0;

		ls_chunker_init(&c);
		ls_err_clear(&err);
		while ((rc = ls_chunker_next(&c, &r, &err)) == 1)
			good++;
		assert_int_equal(rc, LS_EIO);
		assert_int_equal(err.code, LS_EIO);
		assert_non_null(strstr(err.msg, "injected failure"));
		/* chunks before the failure were whole */
		assert_int_equal(good, fail_at[i] > CAP ? 1 : 0);
		ls_chunker_release(&c);
	}
	free(p);

	/* failing on the very first call */
	{
		struct memsrc m = { "abc", 3, 0, 4, 1, 0, 0 };
		struct ls_reader r = reader_for(&m);
		struct ls_chunker c;
		struct ls_err err;

		m.fail_at = 1;
		m.off = 1;    /* already at the failure point */
		ls_chunker_init(&c);
		ls_err_clear(&err);
		assert_int_equal(ls_chunker_next(&c, &r, &err), LS_EIO);
		ls_chunker_release(&c);
	}
}

static void test_release_and_reinit(void **state)
{
	struct ls_chunker c;

	(void)state;
	ls_chunker_init(&c);
	assert_non_null(c.buf);
	assert_int_equal(c.base_line, 1);
	ls_chunker_release(&c);
	assert_null(c.buf);
	assert_null(c.nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chunks_tile_stream),
		cmocka_unit_test(test_tiny_reads),
		cmocka_unit_test(test_positions_match_naive_count),
		cmocka_unit_test(test_positions_long_line),
		cmocka_unit_test(test_positions_crlf),
		cmocka_unit_test(test_positions_extremes),
		cmocka_unit_test(test_binary_sniff),
		cmocka_unit_test(test_empty_stream),
		cmocka_unit_test(test_reader_error),
		cmocka_unit_test(test_release_and_reinit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
