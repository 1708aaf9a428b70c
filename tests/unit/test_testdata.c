/*
 * test_testdata.c - unit tests for src/finding/testdata.c: which paths are
 * test material, and how a finding there is ranked.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "finding/testdata.h"

static const char *const test_paths[] = {
	"tests/certs/server.key",
	"Lib/test/keycert.pem",
	"src/app/__tests__/login.js",
	"pkg/client/testdata/config.yaml",
	"spec/fixtures/users.yml",
	"ext/mysqli/tests/connect.inc",
	"ext/standard/tests/http/bug123.phpt",
	"internal/config/config_test.go",
	"app/test_settings.py",
	"app/views_test.py",
	"conftest.py",
	"web/src/checkout.test.ts",
	"web/src/checkout.spec.js",
	"spec/models/user_spec.rb",
	"src/test/java/com/acme/ClientTest.java",
	"Acme.Tests/ClientTests.cs",
	"Tests/LoginTest.php",
	"layer-2/app/TESTS/x.env",
	"test-fixtures/a",
	"e/__fixtures__/b.json",
	"contrib/pgcrypto/expected/pgp-decrypt.out",
	"src/test/regress/input/copy.source",
	"testenv/certs/server-key.pem",
	"gcc/testsuite/x.c",
	"t/lib-httpd/ssl.cnf",
};

static const char *const other_paths[] = {
	"app/settings.py",
	"config/test.yml.sample",   /* a file named test.yml is config */
	"contest/entry.py",          /* "test" inside a word */
	"attestation/keys.pem",
	"src/latest/config.json",
	"app/testing_utils.go",
	"Test.java",                /* nothing before the suffix */
	"test.py",
	"protests.txt",
	"tools/ttt/x",
	"contrib/pgcrypto/sql/pgp-decrypt.sql",
	".env",
	"",
};

static void paths(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(test_paths) / sizeof(*test_paths); i++)
		if (!ls_testdata_path(test_paths[i]))
			fail_msg("not test material: %s", test_paths[i]);
	for (size_t i = 0; i < sizeof(other_paths) / sizeof(*other_paths); i++)
		if (ls_testdata_path(other_paths[i]))
			fail_msg("test material: %s", other_paths[i]);
	assert_false(ls_testdata_path(NULL));
}

static struct ls_finding *finding(struct ls_rule *r, const char *path,
				  enum ls_severity sev, const char *note)
{
	struct ls_finding *f = ls_finding_new(r);

	f->path = strdup(path);
	f->severity = sev;
	f->note = note ? strdup(note) : NULL;
	return f;
}

static void ranking(void **state)
{
	struct ls_rule plain = { .id = "aws-access-key", .severity = LS_SEV_CRITICAL };
	struct ls_rule checked = { .id = "github-pat", .severity = LS_SEV_CRITICAL,
				   .validate = LS_VALIDATE_CRC32_BASE62 };
	struct ls_finding *f;

	(void)state;
	f = finding(&plain, "tests/aws.env", LS_SEV_CRITICAL, NULL);
	assert_int_equal(ls_testdata_judge_finding(f), 1);
	assert_int_equal(f->severity, LS_SEV_LOW);
	assert_string_equal(f->note, LS_TESTDATA_NOTE);
	ls_finding_free(f);

	/* an earlier note is kept after ours */
	f = finding(&plain, "spec/x.rb", LS_SEV_HIGH, "modified package file");
	assert_int_equal(ls_testdata_judge_finding(f), 1);
	assert_string_equal(f->note, LS_TESTDATA_NOTE "; modified package file");
	ls_finding_free(f);

	/* outside test material: unchanged */
	f = finding(&plain, "app/aws.env", LS_SEV_CRITICAL, NULL);
	assert_int_equal(ls_testdata_judge_finding(f), 0);
	assert_int_equal(f->severity, LS_SEV_CRITICAL);
	assert_null(f->note);
	ls_finding_free(f);

	/* a checksum-valid format keeps its severity */
	f = finding(&checked, "tests/gh.env", LS_SEV_CRITICAL, NULL);
	assert_int_equal(ls_testdata_judge_finding(f), 0);
	assert_int_equal(f->severity, LS_SEV_CRITICAL);
	ls_finding_free(f);

	/* info (a published key) is never raised */
	f = finding(&plain, "tests/k.pem", LS_SEV_INFO, "a published test key");
	assert_int_equal(ls_testdata_judge_finding(f), 0);
	assert_int_equal(f->severity, LS_SEV_INFO);
	ls_finding_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paths),
		cmocka_unit_test(ranking),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
