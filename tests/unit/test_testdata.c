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

static char *target(const char *path, const char *text, const char *at)
{
	const char *p = strstr(text, at);

	assert_non_null(p);
	return ls_testdata_patch_target(path, text, strlen(text), (size_t)(p - text));
}

static void patches(void **state)
{
	static const char patch[] =
		"Description: x\n"
		"--- a/tests/data/test998\n"
		"+++ b/tests/data/test998\t2024-01-01 10:00:00\n"
		"@@ -0,0 +1,2 @@\n"
		"+Authorization: Basic QUxBRERJTg==\n"
		"Index: pkg-1.0/src/auth.c token=Zq8v\n"
		"--- pkg-1.0.orig/src/auth.c\n"
		"+++ pkg-1.0/src/auth.c\n"
		"@@ -1 +1 @@\n"
		" int a;\n"
		"-char *pw = \"old\";\n"
		"+char *pw = \"new\";\n"
		"--- a/gone\n"
		"+++ /dev/null\n"
		"@@ -1 +0,0 @@\n"
		"-password=gone1\n";
	struct ls_rule plain = { .id = "http-basic-auth", .severity = LS_SEV_HIGH };
	struct ls_finding *f;
	char *t;

	(void)state;
	t = target("debian/patches/fix.patch", patch, "QUxB");
	assert_string_equal(t, "b/tests/data/test998");
	free(t);
	t = target("x.diff", patch, "new");
	assert_string_equal(t, "pkg-1.0/src/auth.c");
	free(t);
	t = target("a/b.debdiff", patch, "old");
	assert_string_equal(t, "pkg-1.0/src/auth.c");
	free(t);
	/* a deleted file, a line outside a hunk, a file that is no patch */
	assert_null(target("x.patch", patch, "gone1"));
	assert_null(target("x.patch", patch, "Description"));
	assert_null(target("x.patch", patch, "Zq8v"));
	assert_null(target("src/auth.c", patch, "QUxB"));
	assert_null(target("mypatches/x", patch, "QUxB"));
	t = target("patches/x", patch, "QUxB");
	assert_non_null(t);
	free(t);

	f = ls_finding_new(&plain);
	f->path = strdup("debian/patches/fix.patch");
	f->severity = LS_SEV_HIGH;
	assert_int_equal(ls_testdata_judge_finding_in(f, patch, sizeof(patch) - 1,
						      (size_t)(strstr(patch, "QUxB") - patch)), 1);
	assert_int_equal(f->severity, LS_SEV_LOW);
	assert_string_equal(f->note, LS_TESTDATA_NOTE " (the patch changes b/tests/data/test998)");
	ls_finding_free(f);

	f = ls_finding_new(&plain);
	f->path = strdup("debian/patches/fix.patch");
	f->severity = LS_SEV_HIGH;
	assert_int_equal(ls_testdata_judge_finding_in(f, patch, sizeof(patch) - 1,
						      (size_t)(strstr(patch, "new") - patch)), 0);
	assert_int_equal(f->severity, LS_SEV_HIGH);
	ls_finding_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paths),
		cmocka_unit_test(ranking),
		cmocka_unit_test(patches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
