/*
 * test_githist.c - unit tests for the git source's pure parts: the --since
 * date parser.  The history walk itself is tested end to end on real
 * repositories (tests/e2e/2NN-git-*.sh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "source/githist.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void test_parse_date_good(void **state)
{
	static const struct {
		const char *s;
		long long want;
	} cases[] = {
		{ "1970-01-01", 0 },
		{ "2024-01-02", 1704153600 },
		{ "2024-02-29", 1709164800 },
		{ "2024-01-02T10:00:00Z", 1704189600 },
		{ "2024-01-02T10:00:00", 1704189600 },
		{ "2024-01-02 10:00", 1704189600 },
		{ "2024-01-02T12:00:00+02:00", 1704189600 },
		{ "2024-01-02T05:30:00-0430", 1704189600 },
		{ "1969-12-31T23:59:59Z", -1 },
		{ "@1704189600", 1704189600 },
		{ "@-5", -5 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		long long got = 42;
		if (ls_git_parse_date(cases[i].s, &got))
			fail_msg("'%s' was refused", cases[i].s);
		if (got != cases[i].want)
			fail_msg("'%s': got %lld, want %lld", cases[i].s, got,
				 cases[i].want);
	}
}

static void test_parse_date_bad(void **state)
{
	static const char *const bad[] = {
		"", "yesterday", "2 weeks ago", "2024", "2024-1-2",
		"2024-13-01", "2024-00-10", "2023-02-29", "1900-02-29", "2024-01-32", "2024-02-30",
		"2024-01-02T", "2024-01-02T25:00", "2024-01-02T10:60",
		"2024-01-02T10:00:00+", "2024-01-02T10:00:00+2",
		"2024-01-02T10:00:00Zjunk", "2024-01-02x", "@", "@12x",
		"@99999999999999999999999",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		long long got = 42;
		if (ls_git_parse_date(bad[i], &got) != LS_EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		if (got != 42)
			fail_msg("'%s': output written on failure", bad[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_date_good),
		cmocka_unit_test(test_parse_date_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
