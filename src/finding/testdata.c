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

/* is `path` a patch: *.patch, *.diff, *.debdiff, or a file in a
 * patches/ folder (quilt's debian/patches keeps some without a suffix) */
int ls_testdata_patch_path(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n = strlen(path);

	base = base ? base + 1 : path;
	if (ends_with(path, n, ".patch") || ends_with(path, n, ".diff") ||
	    ends_with(path, n, ".debdiff"))
		return 1;
	return base - path >= 8 &&
	       memcmp(base - 8, "patches/", 8) == 0 &&
	       (base - path == 8 || base[-9] == '/');
}

/* how far back from a finding a patch's "+++ " line is looked for */
#define PATCH_LOOKBACK ((size_t)4 << 20)

char *ls_testdata_patch_target(const char *path, const char *buf,
			       size_t len, size_t off)
{
	size_t i, stop, e;

	if (!path || !buf || off > len || !ls_testdata_patch_path(path))
		return NULL;
	/* the finding's own line must be in a hunk: context, added or removed */
	for (i = off; i > 0 && buf[i - 1] != '\n'; i--)
		;
	if (i >= len || (buf[i] != '+' && buf[i] != ' ' && buf[i] != '-'))
		return NULL;
	stop = off > PATCH_LOOKBACK ? off - PATCH_LOOKBACK : 0;
	while (i > stop) {
		/* i is a line start; step to the start of the line before */
		size_t j = i - 1;
		while (j > stop && buf[j - 1] != '\n')
			j--;
		i = j;
		if (len - i > 4 && memcmp(buf + i, "+++ ", 4) == 0) {
			i += 4;
			for (e = i; e < len && buf[e] != '\n' && buf[e] != '\t' &&
				    buf[e] != '\r'; e++)
				;
			while (e > i && buf[e - 1] == ' ')
				e--;
			if (e == i || (e - i == 9 && memcmp(buf + i, "/dev/null", 9) == 0))
				return NULL;
			return ls_xstrndup(buf + i, e - i);
		}
		/* the "@@" hunk lines and the diff body go on; a line that is
		 * none of a hunk's means the finding is not in one */
	}
	return NULL;
}

static void rank(struct ls_finding *f, const char *why)
{
	char *note;

	f->severity = LS_SEV_LOW;
	if (f->note)
		note = ls_xasprintf("%s; %s", why, f->note);
	else
		note = ls_xstrdup(why);
	free(f->note);
	f->note = note;
}

static int rankable(const struct ls_finding *f)
{
	return f->rule && f->rule->validate == LS_VALIDATE_NONE &&
	       f->severity > LS_SEV_LOW;
}

int ls_testdata_judge_finding(struct ls_finding *f)
{
	if (!rankable(f) || !ls_testdata_path(f->path))
		return 0;
	rank(f, LS_TESTDATA_NOTE);
	return 1;
}

int ls_testdata_judge_finding_in(struct ls_finding *f, const char *buf,
				 size_t len, size_t off)
{
	char *target, *why;

	if (ls_testdata_judge_finding(f))
		return 1;
	if (!rankable(f))
		return 0;
	target = ls_testdata_patch_target(f->path, buf, len, off);
	if (!target)
		return 0;
	if (!ls_testdata_path(target)) {
		free(target);
		return 0;
	}
	why = ls_xasprintf(LS_TESTDATA_NOTE " (the patch changes %s)", target);
	rank(f, why);
	free(why);
	free(target);
	return 1;
}
