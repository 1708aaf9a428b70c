/*
 * test_utf16.c - unit tests for src/content/utf16.c: UTF-16 text with a
 * BOM is read as UTF-8, anything else passes through unchanged.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "content/utf16.h"

/* A source that hands out at most `step` bytes per read. */
struct slow {
	const unsigned char *p;
	size_t len, off, step;
};

static long slow_read(void *ud, char *buf, size_t n, struct ls_err *err)
{
	struct slow *s = ud;
	size_t k = s->len - s->off;

	(void)err;
	if (k > n)
		k = n;
	if (k > s->step)
		k = s->step;
	memcpy(buf, s->p + s->off, k);
	s->off += k;
	return (long)k;
}

/* Read all of `in` through the UTF-16 reader, `step` bytes per source
 * read and `outstep` bytes per call; returns the length read into out. */
static size_t read_all(const void *in, size_t len, size_t step,
		       size_t outstep, char *out, size_t cap)
{
	struct slow s = { in, len, 0, step };
	struct ls_reader src = { slow_read, &s }, r;
	static struct ls_utf16 u;
	struct ls_err err;
	size_t got = 0;
	long k;

	ls_err_clear(&err);
	ls_reader_utf16(&r, &u, &src);
	while ((k = r.read(r.ud, out + got,
			   cap - got < outstep ? cap - got : outstep,
			   &err)) > 0)
		got += (size_t)k;
	assert_int_equal(k, 0);
	return got;
}

static void little_endian(void **state)
{
	/* BOM, "a=é\r\n", U+1F600 as a surrogate pair */
	static const unsigned char in[] = {
		0xff, 0xfe, 'a', 0, '=', 0, 0xe9, 0, '\r', 0, '\n', 0,
		0x3d, 0xd8, 0x00, 0xde,
	};
	static const char want[] = "a=\xc3\xa9\r\n\xf0\x9f\x98\x80";
	char out[64];

	(void)state;
	for (size_t step = 1; step <= sizeof(in); step++) {
		for (size_t o = 1; o <= 8; o++) {
			size_t n = read_all(in, sizeof(in), step, o, out,
					    sizeof(out));
			assert_int_equal(n, strlen(want));
			assert_memory_equal(out, want, n);
		}
	}
}

static void big_endian_and_bad_units(void **state)
{
	/* BOM FE FF, "k", a lone low surrogate, a high surrogate then "x",
	 * and an odd byte at the end */
	static const unsigned char in[] = {
		0xfe, 0xff, 0, 'k', 0xdc, 0x00, 0xd8, 0x00, 0, 'x', 0x41,
	};
	static const char want[] =
		"k\xef\xbf\xbd\xef\xbf\xbdx\xef\xbf\xbd";
	char out[64];
	size_t n = read_all(in, sizeof(in), 3, 64, out, sizeof(out));

	(void)state;
	assert_int_equal(n, strlen(want));
	assert_memory_equal(out, want, n);
}

static void pass_through(void **state)
{
	static const char in[] = "\xff no BOM here, \0 bytes kept";
	char out[64];
	size_t n = read_all(in, sizeof(in) - 1, 2, 5, out, sizeof(out));

	(void)state;
	assert_int_equal(n, sizeof(in) - 1);
	assert_memory_equal(out, in, n);
	n = read_all("", 0, 1, 1, out, sizeof(out));
	assert_int_equal(n, 0);
	n = read_all("\xff", 1, 1, 1, out, sizeof(out));
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(little_endian),
		cmocka_unit_test(big_endian_and_bad_units),
		cmocka_unit_test(pass_through),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
