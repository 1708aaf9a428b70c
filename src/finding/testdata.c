/*
 * testdata.c - is a path test material, and ranking findings there
 * (testdata.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "finding/testdata.h"
#include "util/xalloc.h"

static const char *const test_dirs[] = {
	"test", "tests", "testing", "spec", "specs", "__tests__", "__mocks__",
	"__fixtures__", "testdata", "test-data", "test_data", "fixtures",
	"test-fixtures", "test_fixtures", "testfixtures",
	/* pg_regress keeps expected output in expected/ (PostgreSQL and its
	 * extensions), wget's tests live in testenv/, DejaGnu's in testsuite/,
	 * Perl's and git's in t/ */
	"regress", "expected", "testenv", "testsuite", "t",
};

static int is_test_dir(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(test_dirs) / sizeof(test_dirs[0]); i++)
		if (strlen(test_dirs[i]) == n && strncasecmp(s, test_dirs[i], n) == 0)
			return 1;
	return 0;
}

static int ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* `name` (n bytes, no '/') is named as a test */
static int is_test_file(const char *name, size_t n)
{
	static const char *const suffixes[] = {
		"_test.go", "_test.py", "_spec.rb", "_test.rb", ".phpt",
		"Test.java", "Tests.java", "Test.kt", "Tests.kt", "Test.scala",
		"Test.groovy", "Test.cs", "Tests.cs", "Test.php",
	};
	const char *dot;

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (ends_with(name, n, suffixes[i]) && n > strlen(suffixes[i]))
			return 1;
	if (n > 8 && strncmp(name, "test_", 5) == 0 && ends_with(name, n, ".py"))
		return 1;
	if (n == 11 && memcmp(name, "conftest.py", 11) == 0)
		return 1;
	/* x.test.ts, x.spec.js: ".test." or ".spec." before the extension */
	dot = NULL;
	for (size_t i = n; i > 0; i--)
		if (name[i - 1] == '.') {
			dot = name + i - 1;
			break;
		}
	if (dot && dot > name) {
		size_t stem = (size_t)(dot - name);
		if ((stem > 5 && memcmp(dot - 5, ".test", 5) == 0) ||
		    (stem > 5 && memcmp(dot - 5, ".spec", 5) == 0))
			return 1;
	}
	return 0;
}

int ls_testdata_path(const char *path)
{
	const char *p = path, *slash;

	if (!path)
		return 0;
	while ((slash = strchr(p, '/')) != NULL) {
		if (slash > p && is_test_dir(p, (size_t)(slash - p)))
			return 1;
		p = slash + 1;
	}
	return is_test_file(p, strlen(p));
}

int ls_testdata_judge_finding(struct ls_finding *f)
{
	char *note;

	if (!f->rule || f->rule->validate != LS_VALIDATE_NONE ||
	    f->severity <= LS_SEV_LOW || !ls_testdata_path(f->path))
		return 0;
	f->severity = LS_SEV_LOW;
	if (f->note)
		note = ls_xasprintf(LS_TESTDATA_NOTE "; %s", f->note);
	else
		note = ls_xstrdup(LS_TESTDATA_NOTE);
	free(f->note);
	f->note = note;
	return 1;
}
