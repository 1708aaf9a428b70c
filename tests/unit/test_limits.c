/*
 * test_limits.c - unit tests for the limits that are core logic
 * (docs/limits.md): the size syntax every size flag shares, the defaults
 * of a zeroed struct ls_limits, the JSON depth count that runs before
 * jansson, --max-file-size in the per-item pipeline (text: an error naming
 * the file; binary: a note), the deadline, and the PCRE2 limit handling in
 * the matcher (a limit hit names the rule and is an error, a rule is given
 * up on an item after LS_MATCH_RULE_HITS_MAX hits, an allowlist regex that
 * hits a limit does not hide the finding).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/match.h"
#include "rules/rules.h"
#include "scan/scan.h"
#include "source/image/image.h"
#include "util/size.h"
#include "util/xalloc.h"

/* ---- sizes ---- */

static void test_size_parse(void **state)
{
	static const struct {
		const char *s;
		unsigned long long v;
	} ok[] = {
		{ "0", 0 }, { "1", 1 }, { "123", 123 }, { "12B", 12 },
		{ "1KiB", 1024 }, { "64MiB", 64ull << 20 }, { "2GiB", 2ull << 30 },
		{ "1TiB", 1ull << 40 }, { "1kB", 1000 }, { "1KB", 1000 },
		{ "500MB", 500000000ull }, { "3GB", 3000000000ull },
		{ "2TB", 2000000000000ull }, { "100 MiB", 100ull << 20 },
		{ "1gib", 1ull << 30 }, { "18446744073709551615", ~0ull },
	};
	static const char *const bad[] = {
		"", " ", "-1", "+1", "1.5MiB", "1K", "1M", "1G", "MiB", "1 ",
		"1  MiB", "1MiBs", "0x10", "18446744073709551616",
		"17179869184GiB", "1 B ", "16EiB",
	};
	unsigned long long v;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = 42;
		if (ls_size_parse(ok[i].s, &v))
			fail_msg("'%s' was refused", ok[i].s);
		if (v != ok[i].v)
			fail_msg("'%s' gave %llu, want %llu", ok[i].s, v, ok[i].v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 42;
		if (!ls_size_parse(bad[i], &v))
			fail_msg("'%s' was accepted as %llu", bad[i], v);
		assert_int_equal(v, 42);
	}
}

static void test_size_format(void **state)
{
	char b[LS_SIZE_BUF];

	(void)state;
	assert_string_equal(ls_size_format(b, sizeof(b), 0), "0 bytes");
	assert_string_equal(ls_size_format(b, sizeof(b), 1), "1 byte");
	assert_string_equal(ls_size_format(b, sizeof(b), 1000), "1000 bytes");
	assert_string_equal(ls_size_format(b, sizeof(b), 1024), "1 KiB");
	assert_string_equal(ls_size_format(b, sizeof(b), 1536), "1536 bytes");
	assert_string_equal(ls_size_format(b, sizeof(b), 100ull << 20), "100 MiB");
	assert_string_equal(ls_size_format(b, sizeof(b), 4ull << 30), "4 GiB");
	assert_string_equal(ls_size_format(b, sizeof(b), 64ull << 30), "64 GiB");
	assert_string_equal(ls_size_format(b, sizeof(b), 3ull << 50), "3072 TiB");
	/* what is printed parses back to the same value */
	for (unsigned long long n = 1; n < (1ull << 45); n = n * 3 + 1024) {
		unsigned long long v;
		char *sp;
		ls_size_format(b, sizeof(b), n);
		sp = strstr(b, " bytes");
		if (sp)
			*sp = '\0';
		else if ((sp = strstr(b, " byte")))
			*sp = '\0';
		assert_int_equal(ls_size_parse(b, &v), 0);
		assert_int_equal(v, n);
	}
}

/* ---- defaults ---- */

static void test_limits_resolve(void **state)
{
	struct ls_limits l;

	(void)state;
	memset(&l, 0, sizeof(l));
	l.ratio = LS_LIMIT_NONE;
	l.entries = 7;
	ls_limits_resolve(&l);
	assert_int_equal(l.file_size, LS_DEFAULT_FILE_SIZE);
	assert_int_equal(l.layer_size, LS_DEFAULT_LAYER_SIZE);
	assert_int_equal(l.nested_size, LS_DEFAULT_NESTED_SIZE);
	assert_true(l.ratio == LS_LIMIT_NONE);   /* "no limit" stays */
	assert_int_equal(l.entries, 7);          /* a set value stays */
	assert_int_equal(l.path_length, LS_DEFAULT_PATH_LENGTH);
	assert_int_equal(l.json_size, LS_DEFAULT_JSON_SIZE);
	assert_int_equal(l.json_depth, LS_DEFAULT_JSON_DEPTH);
	/* ls_scan_init resolves them: a zeroed options struct is safe */
	{
		struct ls_ruleset *rs = ls_ruleset_new();
		struct ls_scan s;
		ls_ruleset_compile(rs, NULL);
		ls_scan_init(&s, rs, NULL);
		assert_int_equal(s.opts.limits.file_size, LS_DEFAULT_FILE_SIZE);
		assert_int_equal(s.opts.limits.entries, LS_DEFAULT_ENTRIES);
		assert_false(ls_scan_expired(&s));
		ls_scan_release(&s);
		ls_ruleset_free(rs);
	}
}

/* ---- JSON depth ---- */

static void test_json_depth(void **state)
{
	static const struct {
		const char *s;
		size_t depth;
	} cases[] = {
		{ "", 0 }, { "1", 0 }, { "\"[[[\"", 0 }, { "{}", 1 },
		{ "[[]]", 2 }, { "{\"a\":[{\"b\":[]}]}", 4 },
		{ "{\"a\":\"]]]\",\"b\":[1]}", 2 },
		{ "{\"a\":\"\\\"[[[\"}", 1 },        /* escaped quote */
		{ "[][][]", 1 }, { "]]]][[", 2 },   /* malformed: counts only */
		{ "{\"x\\\\\":[[1]]}", 3 },          /* escaped backslash */
	};
	char *deep;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t d = ls_image_json_depth(cases[i].s, strlen(cases[i].s));
		if (d != cases[i].depth)
			fail_msg("depth of '%s' is %zu, want %zu", cases[i].s, d,
				 cases[i].depth);
	}
	/* a million brackets: counted in one pass, no recursion */
	deep = ls_xmalloc(2000000);
	memset(deep, '[', 1000000);
	memset(deep + 1000000, ']', 1000000);
	assert_int_equal(ls_image_json_depth(deep, 2000000), 1000000);
	free(deep);
}

/* ---- the per-item pipeline ---- */

static struct ls_ruleset *load_rules(const char *toml)
{
	struct ls_ruleset *rs = ls_ruleset_new();
	struct ls_diag d;

	ls_diag_init(&d);
	ls_ruleset_load_toml(rs, toml, strlen(toml), "t.toml", 0, &d);
	if (ls_diag_errors(&d)) {
		for (size_t i = 0; i < d.n; i++)
			print_message("%s\n", d.msgs[i]);
		fail_msg("rule document has errors");
	}
	ls_ruleset_compile(rs, NULL);
	ls_diag_release(&d);
	return rs;
}

static const char token_rule[] =
	"[[rules]]\n"
	"id = \"tok\"\n"
	"regex = '''TOK_[A-Z0-9]{12}'''\n"
	"keywords = [\"tok_\"]\n";

/* Scan `len` bytes of `buf` as `path` with `opts`; returns the scan's
 * ls_worker_scan_buffer status. */
static int scan_with(const struct ls_ruleset *rs, struct ls_scan_opts *opts,
		     const char *path, const char *buf, size_t len,
		     struct ls_scan *s)
{
	struct ls_worker *w;
	struct ls_item it;
	int rc;

	ls_scan_init(s, rs, opts);
	w = ls_worker_new(s);
	memset(&it, 0, sizeof(it));
	it.source = LS_SOURCE_FILE;
	it.path = (char *)path;
	it.history_index = -1;
	rc = ls_worker_scan_buffer(w, &it, buf, len);
	ls_worker_free(w);
	return rc;
}

/* A text file over --max-file-size: the first chunk is scanned, the rest
 * is an error naming the file, the limit and the flag. */
static void test_max_file_size_text(void **state)
{
	struct ls_ruleset *rs = load_rules(token_rule);
	struct ls_scan_opts opts = { .threads = 1 };
	size_t len = 3 * LS_CHUNK_SIZE;
	char *buf = ls_xmalloc(len);
	struct ls_scan s;

	(void)state;
	memset(buf, 'x', len);
	memcpy(buf + 10, "TOK_ABCDEFGH1234", 16);                 /* chunk 1 */
	memcpy(buf + len - 100, "TOK_ZYXWVUTS9876", 16);          /* chunk 3 */
	opts.limits.file_size = LS_CHUNK_SIZE + LS_CHUNK_SIZE / 2;
	assert_int_equal(scan_with(rs, &opts, "big.txt", buf, len, &s), LS_ELIMIT);
	assert_int_equal(s.findings.n, 1);
	assert_int_equal(s.errors.n, 1);
	assert_string_equal(s.errors.v[0],
			    "'big.txt': file is larger than --max-file-size (1536 KiB): the rest was not scanned");
	ls_scan_release(&s);
	/* no limit: both found, no error */
	opts.limits.file_size = LS_LIMIT_NONE;
	assert_int_equal(scan_with(rs, &opts, "big.txt", buf, len, &s), 0);
	assert_int_equal(s.findings.n, 2);
	assert_int_equal(s.errors.n, 0);
	ls_scan_release(&s);
	/* binary (a NUL up front): the tail is skipped as binary, a note */
	buf[0] = '\0';
	opts.limits.file_size = LS_CHUNK_SIZE;
	assert_int_equal(scan_with(rs, &opts, "big.bin", buf, len, &s), LS_ELIMIT);
	assert_int_equal(s.errors.n, 0);
	assert_int_equal(s.notes.n, 1);
	assert_non_null(strstr(s.notes.v[0], "binary file larger than --max-file-size (1 MiB)"));
	ls_scan_release(&s);
	free(buf);
	ls_ruleset_free(rs);
}

/* An item in an image layer: the error names image, layer and file. */
static void test_item_error_names_layer(void **state)
{
	struct ls_ruleset *rs = load_rules(token_rule);
	struct ls_scan_opts opts = { .threads = 1 };
	struct ls_finding_layer layer;
	struct ls_worker *w;
	struct ls_item it;
	struct ls_scan s;
	char buf[4096];

	(void)state;
	memset(buf, 'y', sizeof(buf));
	memset(&layer, 0, sizeof(layer));
	layer.digest = "ab12.tar";
	opts.limits.file_size = 100;
	ls_scan_init(&s, rs, &opts);
	w = ls_worker_new(&s);
	memset(&it, 0, sizeof(it));
	it.source = LS_SOURCE_FILE;
	it.path = "usr/lib/big.txt";
	it.layer = &layer;
	it.origin = "app.tar";
	it.history_index = -1;
	assert_int_equal(ls_worker_scan_buffer(w, &it, buf, sizeof(buf)), LS_ELIMIT);
	assert_int_equal(s.errors.n, 1);
	assert_string_equal(s.errors.v[0],
			    "'app.tar': layer ab12.tar: 'usr/lib/big.txt': file is larger than --max-file-size (100 bytes): the rest was not scanned");
	ls_worker_free(w);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/* A deadline in the past: the item stops at once, the scan is expired. */
static void test_deadline(void **state)
{
	struct ls_ruleset *rs = load_rules(token_rule);
	struct ls_scan_opts opts = { .threads = 1 };
	struct ls_scan s;
	char buf[64] = "TOK_ABCDEFGH1234\n";

	(void)state;
	opts.deadline = ls_scan_now() - 1;
	assert_int_equal(scan_with(rs, &opts, "f", buf, strlen(buf), &s), LS_ELIMIT);
	assert_int_equal(s.findings.n, 0);
	assert_true(s.expired);
	assert_true(ls_scan_expired(&s));
	ls_scan_release(&s);
	/* far in the future: nothing happens */
	opts.deadline = ls_scan_now() + 3600;
	assert_int_equal(scan_with(rs, &opts, "f", buf, strlen(buf), &s), 0);
	assert_int_equal(s.findings.n, 1);
	assert_false(s.expired);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/* ---- PCRE2 limits ---- */

/*
 * A rule whose regex backtracks exponentially on "aaaa...!" and a sane
 * one.  The evil regex hits the match limit in every window; after
 * LS_MATCH_RULE_HITS_MAX hits it is not run again on this item, the error
 * names it, and the sane rule still finds its token.
 */
static void test_match_limit_named_and_capped(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = \"evil\"\n"
		"regex = '''evil=(?:(?:a|a)+|b)+c'''\n"
		"keywords = [\"evil=\"]\n"
		"[[rules]]\n"
		"id = \"tok\"\n"
		"regex = '''TOK_[A-Z0-9]{12}'''\n"
		"keywords = [\"tok_\"]\n");
	struct ls_scan_opts opts = { .threads = 1 };
	const char unit[] = "evil=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!c\n";
	size_t n = 64, ul = sizeof(unit) - 1, len = n * ul + 32;
	char *buf = ls_xmalloc(len);
	struct ls_scan s;
	double t0;

	(void)state;
	/* the windows are apart (a line each, and 2 KiB of filler) so that
	 * each is its own regex run */
	for (size_t i = 0; i < n; i++)
		memcpy(buf + i * ul, unit, ul);
	memcpy(buf + n * ul, "TOK_ABCDEFGH1234\n", 17);
	memset(buf + n * ul + 17, '\n', len - n * ul - 17);
	t0 = ls_scan_now();
	assert_int_equal(scan_with(rs, &opts, "f", buf, len, &s), 0);
	print_message("  %d windows of an exponential regex: %.2f s\n", (int)n,
		      ls_scan_now() - t0);
	assert_int_equal(s.findings.n, 1);
	assert_string_equal(s.findings.v[0]->rule->id, "tok");
	assert_int_equal(s.errors.n, 1);
	assert_string_equal(s.errors.v[0],
			    "'f': rule 'evil' hit the regex match limit (4 times): its matches in this file may be missed");
	ls_scan_release(&s);
	free(buf);
	ls_ruleset_free(rs);
}

/* An allowlist regex that hits a limit counts as not matching: the
 * finding is reported, with the error. */
static void test_allowlist_limit_reports(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = \"tok\"\n"
		"regex = '''TOK_([a]{40}!c)'''\n"
		"keywords = [\"tok_\"]\n"
		"[[rules.allowlists]]\n"
		"regexes = ['''^(?:(?:a|a)+|b)+c''']\n");
	struct ls_scan_opts opts = { .threads = 1 };
	const char text[] = "TOK_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!c\n";
	struct ls_scan s;

	(void)state;
	assert_int_equal(scan_with(rs, &opts, "f", text, strlen(text), &s), 0);
	assert_int_equal(s.findings.n, 1);
	assert_int_equal(s.errors.n, 1);
	assert_non_null(strstr(s.errors.v[0], "rule 'tok' hit the regex match limit"));
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_parse),
		cmocka_unit_test(test_size_format),
		cmocka_unit_test(test_limits_resolve),
		cmocka_unit_test(test_json_depth),
		cmocka_unit_test(test_max_file_size_text),
		cmocka_unit_test(test_item_error_names_layer),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_match_limit_named_and_capped),
		cmocka_unit_test(test_allowlist_limit_reports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
