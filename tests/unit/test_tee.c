/* test_tee.c - the tee that keeps a file's bytes for provenance hashes */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "content/tee.h"
#include "util/err.h"

/* "abc": the FIPS 180 and RFC 1321 test vectors */
static const unsigned char abc_md5[16] = {
	0x90, 0x01, 0x50, 0x98, 0x3c, 0xd2, 0x4f, 0xb0,
	0xd6, 0x96, 0x3f, 0x7d, 0x28, 0xe1, 0x7f, 0x72 };
static const unsigned char abc_sha1[20] = {
	0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
	0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d };
static const unsigned char abc_sha256[32] = {
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
	0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
	0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };

/* read everything through r in pieces of `step` bytes */
static size_t read_all(struct ls_reader *r, size_t step, size_t stop)
{
	char buf[4096];
	struct ls_err err;
	size_t total = 0;
	long got;

	ls_err_clear(&err);
	while (total < stop &&
	       (got = r->read(r->ud, buf, step < sizeof(buf) ? step : sizeof(buf), &err)) > 0)
		total += (size_t)got;
	return total;
}

static void whole_file(void **state)
{
	struct ls_mem_reader m;
	struct ls_reader under, r;
	struct ls_tee t;
	struct ls_digests d;

	(void)state;
	ls_tee_init(&t, 0);
	ls_reader_mem(&under, &m, "abc", 3);
	ls_tee_start(&t, &under, &r);
	assert_int_equal(read_all(&r, 1, (size_t)-1), 3);
	assert_int_equal(ls_tee_digests(&t, &d), 0);
	assert_memory_equal(d.md5, abc_md5, 16);
	assert_memory_equal(d.sha1, abc_sha1, 20);
	assert_memory_equal(d.sha256, abc_sha256, 32);
	ls_tee_release(&t);
}

/* the pipeline stopped early (a binary prefix): drain reads the rest */
static void drain_rest(void **state)
{
	static char big[300000];
	struct ls_mem_reader m;
	struct ls_reader under, r;
	struct ls_tee t;
	struct ls_digests d, want;

	(void)state;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + (i >> 9));
	ls_digests_of(big, sizeof(big), &want);
	ls_tee_init(&t, 0);
	ls_reader_mem(&under, &m, big, sizeof(big));
	ls_tee_start(&t, &under, &r);
	assert_true(read_all(&r, 4096, 8192) >= 8192);
	assert_int_equal(ls_tee_digests(&t, &d), -1);   /* not all read */
	assert_int_equal(ls_tee_drain(&t), 0);
	assert_int_equal(ls_tee_digests(&t, &d), 0);
	assert_memory_equal(d.md5, want.md5, 16);
	assert_memory_equal(d.sha256, want.sha256, 32);
	/* the buffer is reused for the next file */
	ls_reader_mem(&under, &m, "abc", 3);
	ls_tee_start(&t, &under, &r);
	read_all(&r, 2, (size_t)-1);
	assert_int_equal(ls_tee_digests(&t, &d), 0);
	assert_memory_equal(d.sha1, abc_sha1, 20);
	ls_tee_release(&t);
}

/* a file longer than the maximum is not kept: no digest, not a wrong one */
static void overflow(void **state)
{
	static char big[5000];
	struct ls_mem_reader m;
	struct ls_reader under, r;
	struct ls_tee t;
	struct ls_digests d;

	(void)state;
	memset(big, 'x', sizeof(big));
	ls_tee_init(&t, 4096);
	ls_reader_mem(&under, &m, big, sizeof(big));
	ls_tee_start(&t, &under, &r);
	assert_int_equal(read_all(&r, 1000, (size_t)-1), sizeof(big));
	assert_int_equal(ls_tee_digests(&t, &d), -1);
	assert_int_equal(ls_tee_drain(&t), -1);
	assert_true(t.n <= 4096);
	ls_tee_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_file),
		cmocka_unit_test(drain_rest),
		cmocka_unit_test(overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
