/*
 * test_prose.c - unit tests for src/finding/prose.c: which paths are
 * documentation, which comment lines are examples, and how a generic
 * finding there is ranked.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "finding/prose.h"

static const char *const doc_paths[] = {
	"README.md", "docs/setup.yml", "Doc/data/refcounts.dat",
	"guides/source/security.md", "activemodel/CHANGELOG.md", "CHANGELOG",
	"NEWS", "History.txt", "usr/share/doc/curl/README.Debian",
	"usr/share/man/man1/curl.1.gz", "x/y.rst", "a/b.adoc", "lib/Foo.pod",
	"manual.texi", "README", "README.curl", "pkg/README.Debian",
};

static const char *const other_paths[] = {
	"config/app.yml", "changes.json", "src/readme.c", "docs.py",
	"app/.env", "history/settings.ini", "libssl.so.3", ".md", "",
	"documents/x.ini", "README.json", "NEWS.yml",
};

static void paths(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(doc_paths) / sizeof(*doc_paths); i++)
		if (!ls_prose_path(doc_paths[i]))
			fail_msg("not documentation: %s", doc_paths[i]);
	for (size_t i = 0; i < sizeof(other_paths) / sizeof(*other_paths); i++)
		if (ls_prose_path(other_paths[i]))
			fail_msg("documentation: %s", other_paths[i]);
	assert_false(ls_prose_path(NULL));
}

/* is the line of `text` holding `at` a comment example */
static int example(const char *text, const char *at)
{
	const char *p = strstr(text, at);

	assert_non_null(p);
	return ls_prose_comment_example(text, strlen(text), (size_t)(p - text));
}

static void comments(void **state)
{
	(void)state;
	assert_true(example("x\n  #   user.password = 'a'\n", "password"));
	assert_true(example("#\tpassword = 'a'\n", "password"));
	assert_true(example("//  conn.password = 'a'", "password"));
	assert_true(example(" *   setPassword(\"a\")\n", "Password"));
	assert_true(example("# >>> login(password='a')\n", "password"));
	assert_true(example("-- irb> u.password = 'a'\n", "password"));
	/* code switched off, plain code, a comment closing */
	assert_false(example("# password = 'a'\n", "password"));
	assert_false(example("password = 'a'  #   note\n", "password"));
	assert_false(example("  password = 'a'\n", "password"));
	assert_false(example("*/ password = 'a'\n", "password"));
	assert_false(ls_prose_comment_example(NULL, 0, 0));
}

static struct ls_finding *finding(struct ls_rule *r, const char *path,
				  enum ls_severity sev)
{
	struct ls_finding *f = ls_finding_new(r);

	f->path = strdup(path);
	f->severity = sev;
	return f;
}

static void ranking(void **state)
{
	struct ls_rule generic = { .id = "generic-password", .severity = LS_SEV_MEDIUM,
				   .generic = 1 };
	struct ls_rule provider = { .id = "slack-bot-token", .severity = LS_SEV_HIGH };
	struct ls_rule structural = { .id = "url-credentials", .severity = LS_SEV_HIGH,
				      .structural = 1 };
	const char *ex = "class A\n  #   a.password = 'Vq7nT2wLz9'\nend\n";
	size_t off = (size_t)(strstr(ex, "password") - ex);
	struct ls_finding *f;

	(void)state;
	f = finding(&generic, "docs/setup.md", LS_SEV_MEDIUM);
	assert_int_equal(ls_prose_judge_finding(f), 1);
	assert_int_equal(f->severity, LS_SEV_LOW);
	assert_string_equal(f->note, LS_PROSE_NOTE);
	ls_finding_free(f);

	/* a provider format keeps its severity in a README */
	f = finding(&provider, "README.md", LS_SEV_HIGH);
	assert_int_equal(ls_prose_judge_finding(f), 0);
	assert_int_equal(f->severity, LS_SEV_HIGH);
	ls_finding_free(f);

	/* a comment example in code; the same text in a config file is not */
	f = finding(&generic, "lib/a.rb", LS_SEV_MEDIUM);
	assert_int_equal(ls_prose_judge_finding_in(f, ex, strlen(ex), off), 1);
	assert_int_equal(f->severity, LS_SEV_LOW);
	assert_string_equal(f->note, LS_PROSE_COMMENT_NOTE);
	ls_finding_free(f);
	f = finding(&generic, "conf/a.conf", LS_SEV_MEDIUM);
	assert_int_equal(ls_prose_judge_finding_in(f, ex, strlen(ex), off), 0);
	assert_int_equal(f->severity, LS_SEV_MEDIUM);
	ls_finding_free(f);

	/* a structural rule (a URL's password) is ranked too, with its own note */
	f = finding(&structural, "docs/proxy.md", LS_SEV_HIGH);
	assert_int_equal(ls_prose_judge_finding(f), 1);
	assert_int_equal(f->severity, LS_SEV_LOW);
	assert_string_equal(f->note, LS_PROSE_STRUCT_NOTE);
	ls_finding_free(f);
	f = finding(&structural, "lib/a.rb", LS_SEV_HIGH);
	assert_int_equal(ls_prose_judge_finding_in(f, ex, strlen(ex), off), 1);
	assert_string_equal(f->note, LS_PROSE_STRUCT_COMMENT_NOTE);
	ls_finding_free(f);
	f = finding(&structural, "config/app.yml", LS_SEV_HIGH);
	assert_int_equal(ls_prose_judge_finding(f), 0);
	assert_int_equal(f->severity, LS_SEV_HIGH);
	ls_finding_free(f);

	/* below low already: left alone */
	f = finding(&generic, "docs/a.md", LS_SEV_INFO);
	assert_int_equal(ls_prose_judge_finding(f), 0);
	assert_int_equal(f->severity, LS_SEV_INFO);
	ls_finding_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paths),
		cmocka_unit_test(comments),
		cmocka_unit_test(ranking),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
