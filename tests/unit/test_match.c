/*
 * test_match.c - unit tests for the matcher and the per-item scan pipeline.
 *
 * Each test loads a small rule set from a TOML string (ls_ruleset_load_toml
 * + ls_ruleset_compile), scans a buffer as one file with ls_worker_scan_buffer
 * (chunks -> matcher -> findings, with line/column and the generic-rule
 * tidy-up) and checks the findings.  A few tests call ls_matcher_scan
 * directly to check the own-region contract.  Buffers are heap copies of
 * exactly their length, so a read past the end is caught under ASan.
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

#include "content/chunk.h"
#include "finding/finding.h"
#include "rules/match.h"
#include "rules/pathlit.h"
#include "rules/rules.h"
#include "scan/examples.h"
#include "scan/scan.h"
#include "util/xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A valid GitHub token (crc32-base62 checksum right) and a lookalike. */
#define GHP_OK "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"
#define GHO_BAD "gho_16C7e42F292c6912E7710c838347Ae178B4a"

/* ---- helpers ---- */

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

/* Scan buf[0..len) as file `path` with one worker; findings are sorted. */
static void scan_buf(const struct ls_ruleset *rs, const char *path,
		     const char *buf, size_t len, struct ls_scan *s)
{
	struct ls_scan_opts opts = { .threads = 1 };
	struct ls_worker *w;
	struct ls_item it;
	char *copy = ls_xmalloc(len ? len : 1);

	memcpy(copy, buf, len);
	ls_scan_init(s, rs, &opts);
	w = ls_worker_new(s);
	memset(&it, 0, sizeof(it));
	it.source = LS_SOURCE_FILE;
	it.path = (char *)path;
	assert_int_equal(ls_worker_scan_buffer(w, &it, copy, len), 0);
	ls_worker_free(w);
	free(copy);
	ls_findings_sort(&s->findings);
}

static void scan_str(const struct ls_ruleset *rs, const char *path,
		     const char *text, struct ls_scan *s)
{
	scan_buf(rs, path, text, strlen(text), s);
}

static size_t count_rule(const struct ls_scan *s, const char *id)
{
	size_t n = 0;

	for (size_t i = 0; i < s->findings.n; i++)
		n += !strcmp(s->findings.v[i]->rule->id, id);
	return n;
}

/* The i-th finding of rule `id` (in report order), or a test failure. */
static const struct ls_finding *nth(const struct ls_scan *s, const char *id,
				    size_t i)
{
	for (size_t k = 0; k < s->findings.n; k++)
		if (!strcmp(s->findings.v[k]->rule->id, id) && i-- == 0)
			return s->findings.v[k];
	fail_msg("no finding #%zu of rule '%s'", i, id);
	return NULL;
}

static void dump(const struct ls_scan *s)
{
	for (size_t i = 0; i < s->findings.n; i++) {
		const struct ls_finding *f = s->findings.v[i];
		print_message("  %s %s:%lu:%lu '%s'%s\n", f->rule->id, f->path,
			      f->line, f->column, f->secret,
			      f->decoded ? " (decoded)" : "");
	}
	for (size_t i = 0; i < s->errors.n; i++)
		print_message("  error: %s\n", s->errors.v[i]);
}

/* Expect exactly `n` findings in all, and no scan errors. */
static void expect_total(const struct ls_scan *s, size_t n)
{
	if (s->findings.n != n || s->errors.n) {
		dump(s);
		fail_msg("%zu findings and %zu errors, want %zu findings",
			 s->findings.n, s->errors.n, n);
	}
}

static void expect_finding(const struct ls_scan *s, const char *id,
			   size_t i, unsigned long line, unsigned long col,
			   const char *secret)
{
	const struct ls_finding *f = nth(s, id, i);

	if (f->line != line || f->column != col || strcmp(f->secret, secret)) {
		dump(s);
		fail_msg("%s #%zu: got %lu:%lu '%s', want %lu:%lu '%s'", id, i,
			 f->line, f->column, f->secret, line, col, secret);
	}
}

/* ---- secret group ---- */

static const char secret_group_rules[] =
	"[[rules]]\n"
	"id = 'explicit'\n"
	"regex = '''ex-(a+)-(b+)'''\n"
	"secretGroup = 2\n"
	"keywords = ['ex-']\n"
	"[[rules]]\n"
	"id = 'first-non-empty'\n"
	"regex = '''fn:(x*)(tok_[a-z]+)'''\n"
	"keywords = ['fn:']\n"
	"[[rules]]\n"
	"id = 'explicit-empty'\n"
	"regex = '''ee:(x*)(tok_[a-z]+)'''\n"
	"secretGroup = 1\n"
	"keywords = ['ee:']\n"
	"[[rules]]\n"
	"id = 'alternation'\n"
	"regex = '''alt(?:a=(\\w+)|b=(\\w+))'''\n"
	"keywords = ['alt']\n"
	"[[rules]]\n"
	"id = 'no-group'\n"
	"regex = '''ng_[0-9]{4}'''\n"
	"keywords = ['ng_']\n";

static void test_secret_group(void **state)
{
	struct ls_ruleset *rs = load_rules(secret_group_rules);
	struct ls_scan s;

	(void)state;
	scan_str(rs, "f.txt",
		 "x ex-aaa-bbbb\n"          /* group 2 */
		 "fn:tok_abc\n"              /* group 1 empty: group 2 */
		 "ee:tok_abc\n"              /* group 1 asked for, empty */
		 "altb=zzz\n"                /* group 1 unset: group 2 */
		 "  ng_1234\n",              /* no group: whole match */
		 &s);
	expect_total(&s, 4);
	expect_finding(&s, "explicit", 0, 1, 10, "bbbb");
	expect_finding(&s, "first-non-empty", 0, 2, 4, "tok_abc");
	assert_int_equal(count_rule(&s, "explicit-empty"), 0);
	expect_finding(&s, "alternation", 0, 4, 6, "zzz");
	expect_finding(&s, "no-group", 0, 5, 3, "ng_1234");
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/* ---- entropy, stopwords ---- */

static void test_entropy_strictly_greater(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'e2'\n"
		"regex = '''e2=([a-z]+)'''\n"
		"entropy = 2\n"             /* an integer is fine */
		"keywords = ['e2=']\n");
	static const struct {
		const char *text;
		size_t want;
	} cases[] = {
		{ "e2=abcd", 0 },       /* entropy exactly 2.0 */
		{ "e2=abcdabcd", 0 },   /* still 2.0 */
		{ "e2=abcde", 1 },      /* 2.32 */
		{ "e2=aaaaaaaa", 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ls_scan s;
		scan_str(rs, "f", cases[i].text, &s);
		if (s.findings.n != cases[i].want) {
			dump(&s);
			fail_msg("'%s': %zu findings, want %zu", cases[i].text,
				 s.findings.n, cases[i].want);
		}
		if (s.findings.n)
			assert_true(s.findings.v[0]->entropy > 2.0);
		ls_scan_release(&s);
	}
	ls_ruleset_free(rs);
}

static void test_stopwords(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'sw'\n"
		"regex = '''sw=(\\w+)'''\n"
		"keywords = ['sw=']\n"
		"  [[rules.allowlists]]\n"
		"  stopwords = ['Example', 'dummy']\n");
	struct ls_scan s;

	(void)state;
	scan_str(rs, "f",
		 "sw=myEXAMPLEkey\n"     /* case-insensitive */
		 "sw=xdummyx\n"
		 "sw=realvalue9\n"
		 "sw=exampl\n",          /* no stopword in full */
		 &s);
	expect_total(&s, 2);
	expect_finding(&s, "sw", 0, 3, 4, "realvalue9");
	expect_finding(&s, "sw", 1, 4, 4, "exampl");
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/* ---- allowlists ---- */

static void test_allowlist_regex_targets(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'tsecret'\n"
		"regex = '''KEY1=(\\w+)'''\n"
		"keywords = ['key1=']\n"
		"  [[rules.allowlists]]\n"
		"  regexes = ['''^zero0+$''', '''KEY1''']\n"   /* 2nd: never the secret */
		"[[rules]]\n"
		"id = 'tmatch'\n"
		"regex = '''(?:TEST_)?KEY2=(\\w+)'''\n"
		"keywords = ['key2=']\n"
		"  [[rules.allowlists]]\n"
		"  regexTarget = 'match'\n"
		"  regexes = ['''^TEST_''']\n"
		"[[rules]]\n"
		"id = 'tline'\n"
		"regex = '''KEY3=(\\w+)'''\n"
		"keywords = ['key3=']\n"
		"  [[rules.allowlists]]\n"
		"  regexTarget = 'line'\n"
		"  regexes = ['''#\\s*fake''']\n");
	struct ls_scan s;

	(void)state;
	scan_str(rs, "f",
		 "KEY1=zero000\n"               /* allowed: secret */
		 "KEY1=k1real\n"                /* kept: 'KEY1' is not in it */
		 "TEST_KEY2=k2a\n"              /* allowed: match */
		 "KEY2=k2b\n"                   /* kept */
		 "KEY3=k3a  # fake\n"           /* allowed: line */
		 "KEY3=k3b\n"                   /* kept */
		 "# fake\n",
		 &s);
	expect_total(&s, 3);
	expect_finding(&s, "tsecret", 0, 2, 6, "k1real");
	expect_finding(&s, "tmatch", 0, 4, 6, "k2b");
	expect_finding(&s, "tline", 0, 6, 6, "k3b");
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

static const char cond_rules_fmt[] =
	"[[rules]]\n"
	"id = 'c'\n"
	"regex = '''tok_(\\w+)'''\n"
	"keywords = ['tok_']\n"
	"  [[rules.allowlists]]\n"
	"  condition = '%s'\n"
	"  regexes = ['''^test''']\n"
	"  paths = ['''^fixtures/''']\n";

static void test_allowlist_condition(void **state)
{
	static const struct {
		const char *cond, *path, *text;
		size_t want;
	} cases[] = {
		{ "OR", "src/a", "tok_real", 1 },
		{ "OR", "src/a", "tok_testvalue", 0 },
		{ "OR", "fixtures/a", "tok_real", 0 },
		{ "OR", "fixtures/a", "tok_testvalue", 0 },
		{ "AND", "src/a", "tok_real", 1 },
		{ "AND", "src/a", "tok_testvalue", 1 },
		{ "AND", "fixtures/a", "tok_real", 1 },
		{ "AND", "fixtures/a", "tok_testvalue", 0 },
		{ "and", "fixtures/a", "tok_testvalue", 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char doc[512];
		struct ls_ruleset *rs;
		struct ls_scan s;

		snprintf(doc, sizeof(doc), cond_rules_fmt, cases[i].cond);
		rs = load_rules(doc);
		scan_str(rs, cases[i].path, cases[i].text, &s);
		if (s.findings.n != cases[i].want)
			fail_msg("%s %s '%s': %zu findings, want %zu",
				 cases[i].cond, cases[i].path, cases[i].text,
				 s.findings.n, cases[i].want);
		ls_scan_release(&s);
		ls_ruleset_free(rs);
	}
}

static void test_global_allowlist_target_rules(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'rule-a'\n"
		"regex = '''a=(\\w+)'''\n"
		"keywords = ['a=']\n"
		"[[rules]]\n"
		"id = 'rule-b'\n"
		"regex = '''b=(\\w+)'''\n"
		"keywords = ['b=']\n"
		"[[allowlists]]\n"
		"regexes = ['''placeholder''']\n"
		"targetRules = ['rule-a']\n"
		"[[allowlists]]\n"               /* no targetRules: every rule */
		"stopwords = ['changeme']\n"
		"[allowlist]\n"                  /* the old single form */
		"paths = ['''(^|/)vendor/''']\n");
	struct ls_scan s;

	(void)state;
	scan_str(rs, "src/x",
		 "a=placeholder1\n"      /* allowed for rule-a */
		 "b=placeholder2\n"      /* not for rule-b */
		 "a=changeme1\n"         /* global stopword: both rules */
		 "b=changeme2\n"
		 "a=real1\n",
		 &s);
	expect_total(&s, 2);
	expect_finding(&s, "rule-a", 0, 5, 3, "real1");
	expect_finding(&s, "rule-b", 0, 2, 3, "placeholder2");
	ls_scan_release(&s);
	scan_str(rs, "lib/vendor/x", "a=real1 b=real2", &s);
	expect_total(&s, 0);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/* ---- path rules ---- */

static void test_path_rules(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'pem-file'\n"
		"path = '''\\.pem$'''\n"
		"[[rules]]\n"
		"id = 'env-password'\n"
		"path = '''(^|/)\\.env$'''\n"
		"regex = '''PASSWORD=(\\S+)'''\n"
		"keywords = ['password=']\n");
	struct ls_scan s;

	(void)state;
	/* path only: a finding with no position, even for an empty file */
	scan_str(rs, "keys/server.pem", "", &s);
	expect_total(&s, 1);
	expect_finding(&s, "pem-file", 0, 0, 0, "");
	ls_scan_release(&s);

	scan_str(rs, "keys/server.pem.txt", "PASSWORD=hunter22", &s);
	expect_total(&s, 0);
	ls_scan_release(&s);

	/* path + regex: both must match */
	scan_str(rs, "app/.env", "USER=x\nPASSWORD=hunter22\n", &s);
	expect_total(&s, 1);
	expect_finding(&s, "env-password", 0, 2, 10, "hunter22");
	ls_scan_release(&s);

	scan_str(rs, "app/env", "PASSWORD=hunter22\n", &s);
	expect_total(&s, 0);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/*
 * Path signatures (the results memo's test of "treated alike"): a rule's
 * path; its allowlists' paths only where the rule runs; other rules'
 * allowlist paths everywhere; global allowlist paths.
 */
static void test_path_signature(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'env-file'\n"
		"path = '''(^|/)\\.env$'''\n"
		"  [[rules.allowlists]]\n"
		"  paths = ['''(^|/)usr/''']\n"
		"[[rules]]\n"
		"id = 'pw'\n"
		"regex = '''PASSWORD=(\\S+)'''\n"
		"keywords = ['password=']\n"
		"  [[rules.allowlists]]\n"
		"  paths = ['''(^|/)tests/''', '''_test\\.go$''']\n"
		"[[allowlists]]\n"
		"paths = ['''\\.lock$''']\n");
	struct ls_matcher *m = ls_matcher_new(rs);
	unsigned char a[8], b[8];
	size_t n;

	(void)state;
	n = ls_matcher_path_sig(m, "x", NULL, 0);
	assert_int_equal(n, 4);
	/* usr/ matters only to env-file's allowlist, which does not run
	 * unless the path is a .env */
	ls_matcher_path_sig(m, "usr/a.txt", a, sizeof(a));
	ls_matcher_path_sig(m, "srv/a.txt", b, sizeof(b));
	assert_memory_equal(a, b, n);
	assert_int_equal(a[0], 0);
	assert_int_equal(a[1], 3);
	ls_matcher_path_sig(m, "usr/.env", a, sizeof(a));
	ls_matcher_path_sig(m, "srv/.env", b, sizeof(b));
	assert_int_equal(a[0], 1);
	assert_int_equal(a[1], 1);
	assert_int_equal(b[1], 0);
	assert_memory_not_equal(a, b, n);
	/* a rule without a path: its allowlist paths count everywhere */
	ls_matcher_path_sig(m, "app/tests/a.txt", a, sizeof(a));
	ls_matcher_path_sig(m, "app/src/a.txt", b, sizeof(b));
	assert_int_equal(a[2], 1);
	assert_int_equal(b[2], 0);
	ls_matcher_path_sig(m, "x_test.go", a, sizeof(a));
	assert_int_equal(a[2], 1);
	/* global allowlists */
	ls_matcher_path_sig(m, "Cargo.lock", a, sizeof(a));
	assert_int_equal(a[3], 1);
	assert_int_equal(b[3], 0);
	/* a short buffer: only cap bytes written, the length still told */
	assert_int_equal(ls_matcher_path_sig(m, "x", a, 1), 4);
	ls_matcher_free(m);
	ls_ruleset_free(rs);
}

/* ---- inline allow ---- */

static void test_inline_allow(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'tok'\n"
		"regex = '''tok_[a-z0-9]{8}'''\n"
		"keywords = ['tok_']\n");
	struct ls_scan s;

	(void)state;
	scan_str(rs, "f",
		 "a = tok_aaaa1111  # layerscan:allow\n"
		 "b = tok_bbbb2222  // gitleaks:allow\n"
		 "# layerscan:allow is on the line above\n"
		 "c = tok_cccc3333\n",
		 &s);
	expect_total(&s, 1);
	expect_finding(&s, "tok", 0, 4, 5, "tok_cccc3333");
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/* ---- binary content and keyword-less rules ---- */

static const char binary_rules[] =
	"[[rules]]\n"
	"id = 'kw-default'\n"            /* keywords: binary = true */
	"regex = '''tok_[a-z0-9]{8}'''\n"
	"keywords = ['tok_']\n"
	"[[rules]]\n"
	"id = 'kw-text-only'\n"
	"regex = '''pw=([a-z0-9]{8})'''\n"
	"keywords = ['pw=']\n"
	"binary = false\n"
	"[[rules]]\n"
	"id = 'nokw-default'\n"          /* no keywords: binary = false */
	"regex = '''NK[0-9]{6}'''\n"
	"[[rules]]\n"
	"id = 'nokw-binary'\n"
	"regex = '''NB[0-9]{6}'''\n"
	"binary = true\n";

static void test_binary_buffer(void **state)
{
	struct ls_ruleset *rs = load_rules(binary_rules);
	static const char text[] =
		"tok_abcd1234 pw=abcd1234 NK123456 NB123456\n";
	char bin[64];
	struct ls_scan s;

	(void)state;
	/* text: every rule runs; keyword-less rules too */
	scan_str(rs, "f", text, &s);
	expect_total(&s, 4);
	expect_finding(&s, "nokw-default", 0, 1, 26, "NK123456");
	ls_scan_release(&s);

	/* a NUL in the first bytes: only rules with binary = true */
	bin[0] = '\x7f';
	bin[1] = '\0';
	memcpy(bin + 2, text, sizeof(text) - 1);
	scan_buf(rs, "f.bin", bin, sizeof(text) + 1, &s);
	expect_total(&s, 2);
	expect_finding(&s, "kw-default", 0, 1, 3, "tok_abcd1234");
	expect_finding(&s, "nokw-binary", 0, 1, 37, "NB123456");
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/* ---- window ---- */

/*
 * "marker" + n spaces + "END123456": the match ends n + 9 bytes after the
 * keyword.  The line goes on (no newline near), so the window is not
 * widened to a line end.
 */
static size_t window_case(const struct ls_ruleset *rs, size_t n)
{
	size_t len = 300 + 6 + n + 9 + 2000;
	char *buf = ls_xmalloc(len);
	struct ls_scan s;
	size_t found;

	memset(buf, 'q', len);
	memcpy(buf + 300, "marker", 6);
	memset(buf + 306, ' ', n);
	memcpy(buf + 306 + n, "END123456;", 10);
	scan_buf(rs, "f", buf, len, &s);
	found = s.findings.n;
	if (found) {
		expect_total(&s, 1);
		expect_finding(&s, "w", 0, 1, 306 + n + 3 + 1, "123456");
	}
	ls_scan_release(&s);
	free(buf);
	return found;
}

static void test_window(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'w'\n"
		"regex = '''marker *END([0-9]{6})'''\n"
		"keywords = ['marker']\n"
		"window = 64\n");

	(void)state;
	assert_int_equal(window_case(rs, 0), 1);
	assert_int_equal(window_case(rs, 55), 1);    /* ends exactly 64 after */
	assert_int_equal(window_case(rs, 56), 0);    /* 65 after */
	assert_int_equal(window_case(rs, 600), 0);
	ls_ruleset_free(rs);

	/* the default window is 1024 */
	rs = load_rules("[[rules]]\n"
			"id = 'w'\n"
			"regex = '''marker *END([0-9]{6})'''\n"
			"keywords = ['marker']\n");
	assert_int_equal(window_case(rs, 1015), 1);
	assert_int_equal(window_case(rs, 1016), 0);
	ls_ruleset_free(rs);
}

/*
 * ^ and $ in a rule's regex are line anchors: a value that ends a line
 * other than the last, or a name that starts one, matches.
 */
static void test_line_anchors(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'eol'\n"
		"regex = '''token: ([a-z0-9]{8})(?=[ \\t]*(?:,|$))'''\n"
		"keywords = ['token']\n"
		"[[rules]]\n"
		"id = 'bol'\n"
		"regex = '''^pw=([a-z0-9]{8})'''\n"
		"keywords = ['pw=']\n");
	struct ls_scan s;

	(void)state;
	scan_str(rs, "f", "a\ntoken: abcd1234\nnext line\n", &s);
	expect_total(&s, 1);
	expect_finding(&s, "eol", 0, 2, 8, "abcd1234");
	ls_scan_release(&s);
	scan_str(rs, "f", "x\r\nfirst line\npw=abcd1234\nmore\n", &s);
	expect_total(&s, 1);
	expect_finding(&s, "bol", 0, 3, 4, "abcd1234");
	ls_scan_release(&s);
	/* CRLF line ends: $ stands before the \r */
	scan_str(rs, "f", "a\r\ntoken: abcd1234\r\nnext line\r\n", &s);
	expect_total(&s, 1);
	expect_finding(&s, "eol", 0, 2, 8, "abcd1234");
	ls_scan_release(&s);
	/* not in mid-line, nor before more characters */
	scan_str(rs, "f", "token: abcd1234x\nx pw=abcd1234\n", &s);
	expect_total(&s, 0);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/*
 * `lookbehind`: matches start from that many bytes before a keyword hit
 * to the hit's end, and only there.  With the default, a match may start
 * anywhere in the window (and 256 bytes before the hit).
 */
static void test_lookbehind(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'lb'\n"
		"regex = '''[a-z]{2,8}=(tok[0-9]{6})'''\n"
		"keywords = ['=tok']\n"
		"lookbehind = 8\n");
	struct ls_scan s;

	(void)state;
	/* the name (up to 8 bytes) before the hit: found */
	scan_str(rs, "f", "x abcdefgh=tok123456 y", &s);
	expect_total(&s, 1);
	ls_scan_release(&s);
	/* two hits whose start ranges are apart, on one line: both */
	scan_str(rs, "f",
		 "ab=tok111111 .......................... cd=tok222222", &s);
	expect_total(&s, 2);
	ls_scan_release(&s);
	/* a keyword hit inside a match does not start another one */
	scan_str(rs, "f", "ab=tok123456=tok654321", &s);
	expect_total(&s, 1);
	ls_scan_release(&s);
	ls_ruleset_free(rs);

	/* a regex that could also match away from any hit: with lookbehind
	 * set, only starts near a hit are tried; without, the whole window */
	rs = load_rules("[[rules]]\n"
			"id = 'far'\n"
			"regex = '''(?:=tok|key)([0-9]{6})'''\n"
			"keywords = ['=tok']\n"
			"lookbehind = 0\n");
	scan_str(rs, "f", "=tokabc key123456", &s);
	expect_total(&s, 0);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
	rs = load_rules("[[rules]]\n"
			"id = 'far'\n"
			"regex = '''(?:=tok|key)([0-9]{6})'''\n"
			"keywords = ['=tok']\n");
	scan_str(rs, "f", "=tokabc key123456", &s);
	expect_total(&s, 1);
	ls_scan_release(&s);
	ls_ruleset_free(rs);

	/* the offset limit belongs to the lookbehind rule's windows: a rule
	 * without lookbehind later in the same item is not limited (PCRE2
	 * fails a pattern compiled without PCRE2_USE_OFFSET_LIMIT when its
	 * match context carries a limit) */
	rs = load_rules("[[rules]]\n"
			"id = 'a-near'\n"
			"regex = '''(?:=tok|key)([0-9]{6})'''\n"
			"keywords = ['=tok']\n"
			"lookbehind = 0\n"
			"[[rules]]\n"
			"id = 'b-free'\n"
			"regex = '''zz([0-9]{6})'''\n"
			"keywords = ['zz']\n");
	{
		char buf[1200];
		memset(buf, '.', sizeof(buf));
		memcpy(buf, "=tok123456 key123456\n", 21);
		for (size_t i = 100; i < sizeof(buf); i += 100)
			buf[i] = '\n';
		memcpy(buf + 1100, "x zz654321\n", 11);
		scan_buf(rs, "f", buf, 1111, &s);
		expect_total(&s, 2);
		ls_scan_release(&s);
	}
	ls_ruleset_free(rs);
}

/*
 * A path pattern's trailing literals (pathlit.h) reject paths before the
 * regex runs: they must be literals one of which every accepted path
 * contains, and be left out when the pattern could end otherwise.
 */
static void test_path_literal(void **state)
{
#define E "\x01"   /* a literal that must end the path */
	static const struct {
		const char *pattern, *lits;
		int icase;
	} cases[] = {
		{ "\\.json$", E ".json", 0 },
		{ "(?i)(?:^|/)[^/]*\\.KeyTab$", E ".keytab", 1 },
		{ "(?:^|/)\\.p4tickets$", E ".p4tickets", 0 },
		{ "(?i)(?:^|/)(?:\\.p4tickets|p4tickets\\.txt)$",
		  E ".p4tickets\n" E "p4tickets.txt", 1 },
		/* optional groups and characters at the end are skipped */
		{ "(?:jwt[_.-]?secret|jwtsecret|jwt)(?:\\.hex|\\.txt)?$",
		  "secret\njwtsecret\njwt", 0 },
		{ "(?:passwd|passwords?)(?:\\.txt)?$", "passwd\npassword", 0 },
		{ "(?:artemis-)?users\\.properties$", E "users.properties", 0 },
		/* top-level alternatives: each ends in $, each has a literal */
		{ "\\.pem$|(?:^|/)id_rsa$", E ".pem\n" E "id_rsa", 0 },
		{ "a\\.txt$|b$", NULL, 0 },           /* "b" is too short */
		{ "a\\.txt|\\.ini$", NULL, 0 },       /* an alternative without $ */
		{ "[^/]+$", NULL, 0 },
		/* no literal at the end: the longest one outside groups */
		{ "(?i)(?:^|/)openvpn/(?:[^/]+/)*[^/]*(?:auth|pass)[^/]*$",
		  "openvpn/", 1 },
		{ "(?:^|/)config/(?:master|credentials/[a-z]+)\\.key$",
		  E ".key", 0 },
		{ "abcd?[0-9]+$", "abc", 0 },       /* d? is optional */
		{ "ab?[0-9]+$", NULL, 0 },          /* "a" alone */
		{ "\\.env(?:\\.[^/]*)?$", ".env", 0 },
		{ "(?:json|ya?ml)$", NULL, 0 },       /* "ml" is too short */
		{ "(?:a|b)x\\.ini$", E "x.ini", 0 },    /* | inside a group */
		{ "[|]abc\\.conf$", E "abc.conf", 0 },  /* | in a class */
		{ "\\d\\.log$", E ".log", 0 },          /* \d is no literal */
		{ "(?<=/)\\.netrc$", E ".netrc", 0 },
		{ "(?=x)abc$|(?<!y)def$", E "abc\n" E "def", 0 },
		{ "x(?<!\\.git)$", NULL, 0 },         /* a lookbehind at the end */
		{ "(?:\\.pem)+$", NULL, 0 },          /* a repeated group */
		{ "cost\\$", NULL, 0 },               /* an escaped $ */
		{ "ab$", NULL, 0 },                   /* too short */
		{ "(?x) a b c \\.ini$", NULL, 0 },    /* blanks ignored */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int icase = -1;
		char *got = ls_path_literals(cases[i].pattern, &icase);

		if (cases[i].lits) {
			if (!got)
				fail_msg("%s: no literals", cases[i].pattern);
			assert_string_equal(got, cases[i].lits);
			assert_int_equal(icase, cases[i].icase);
		} else if (got) {
			fail_msg("%s: literals \"%s\"", cases[i].pattern, got);
		}
		free(got);
	}
	/* any one literal is enough; case as the pattern says */
	assert_int_equal(ls_path_literals_ok(E ".p4tickets\n" E "p4tickets.txt",
					     1, "home/P4Tickets.txt"), 1);
	assert_int_equal(ls_path_literals_ok(E ".p4tickets\n" E "p4tickets.txt",
					     0, "home/P4Tickets.txt"), 0);
	assert_int_equal(ls_path_literals_ok(E ".json", 0, "a/b.yaml"), 0);
	/* a suffix literal must end the path, a plain one may be anywhere */
	assert_int_equal(ls_path_literals_ok(E ".env", 0, "a/.env.local"), 0);
	assert_int_equal(ls_path_literals_ok(".env", 0, "a/.env.local"), 1);
	/* given the lowered path, the same answers (a case-sensitive literal
	 * still compares the path itself) */
	assert_int_equal(ls_path_literals_ok_lower(E ".p4tickets\n" E "p4tickets.txt",
						   1, "home/P4Tickets.txt",
						   "home/p4tickets.txt"), 1);
	assert_int_equal(ls_path_literals_ok_lower("chrony", 1, "etc/Chrony/x.keys",
						   "etc/chrony/x.keys"), 1);
	assert_int_equal(ls_path_literals_ok_lower("chrony", 1, "etc/ntp/x.keys",
						   "etc/ntp/x.keys"), 0);
	assert_int_equal(ls_path_literals_ok_lower(E ".json", 0, "a/B.JSON",
						   "a/b.json"), 0);
#undef E
	/* and the matcher agrees with the regex */
	{
		struct ls_ruleset *rs = load_rules(
			"[[rules]]\nid = 'p'\npath = '(?i)\\.keytab$'\n");
		struct ls_matcher *m = ls_matcher_new(rs);
		assert_int_equal(ls_matcher_path_ok(m, rs->rules[0],
						    "etc/KRB5.KEYTAB"), 1);
		assert_int_equal(ls_matcher_path_ok(m, rs->rules[0],
						    "etc/krb5.keytab.bak"), 0);
		assert_int_equal(ls_matcher_path_ok(m, rs->rules[0],
						    "etc/krb5.conf"), 0);
		ls_matcher_free(m);
		ls_ruleset_free(rs);
	}
}

/* A window near a line end is widened to it. */
static void test_window_widened_to_line_end(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'w'\n"
		"regex = '''marker *END([0-9]{6})'''\n"
		"keywords = ['marker']\n"
		"window = 64\n");
	char buf[256];
	struct ls_scan s;

	(void)state;
	/* match ends 100 bytes after the keyword, the line 2 bytes later */
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "marker", 6);
	memcpy(buf + 6 + 91, "END123456;\nrest", 15);
	scan_buf(rs, "f", buf, 6 + 91 + 15, &s);
	expect_total(&s, 1);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/*
 * BUG: a match cut by the end of its window is reported truncated.
 * The regex runs with the window end as the subject end, so `\b` (and
 * lookaheads) see "end of subject" instead of the real next byte: a 400-
 * character run after "tok_" yields a 36-character "secret" that the
 * regex, run on the real content, could never match (match.c run_window:
 * pcre2_match(..., in->buf, we, off, ...)).  The header comment says
 * lookbehind and \b "see the real neighbouring bytes"; only the start
 * does.  Expected: no finding, or the whole token, never a cut one.
 */
static void test_window_end_truncates_secret(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'tok'\n"
		"regex = '''\\b(tok_[a-z0-9]+)\\b'''\n"
		"keywords = ['tok_']\n"
		"window = 32\n");
	size_t len = 4 + 400 + 1000, cut = 0;
	char *buf = ls_xmalloc(len);
	struct ls_scan s;

	(void)state;
	memset(buf, ' ', len);
	memcpy(buf, "tok_", 4);
	for (size_t i = 0; i < 400; i++)
		buf[4 + i] = "abc123"[i % 6];
	scan_buf(rs, "f", buf, len, &s);
	for (size_t i = 0; i < s.findings.n; i++) {
		const struct ls_finding *f = s.findings.v[i];
		if (f->secret_len != 404) {
			print_message("secret cut at the window end: %zu bytes '%s'\n",
				      f->secret_len, f->secret);
			cut++;
		}
	}
	ls_scan_release(&s);
	free(buf);
	ls_ruleset_free(rs);
	assert_int_equal(cut, 0);
}

/* ---- validators ---- */

static void test_validate_crc32_base62(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'gh'\n"
		"regex = '''\\b(gh[pousr]_[A-Za-z0-9]{36})\\b'''\n"
		"keywords = ['ghp_', 'gho_']\n"
		"validate = 'crc32-base62'\n");
	struct ls_scan s;

	(void)state;
	scan_str(rs, "f", "a=" GHO_BAD "\nb=" GHP_OK "\n", &s);
	expect_total(&s, 1);
	expect_finding(&s, "gh", 0, 2, 3, GHP_OK);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/* ---- decoding ---- */

static const char docker_rules[] =
	"[[rules]]\n"
	"id = 'docker-auth'\n"
	"regex = '''\"auth\"\\s*:\\s*\"([A-Za-z0-9+/]{8,}={0,2})\"'''\n"
	"keywords = ['\"auth\"']\n"
	"decode = 'base64'\n"
	"decodedRegex = '''^[^:]+:(.+)$'''\n"
	"entropy = 3.0\n"
	"  [[rules.allowlists]]\n"
	"  stopwords = ['changeme']\n";

static void test_decode_base64(void **state)
{
	struct ls_ruleset *rs = load_rules(docker_rules);
	struct ls_scan s;
	const struct ls_finding *f;

	(void)state;
	/* base64("user:S3cr3tPassw0rdXyZ") */
	scan_str(rs, "config.json",
		 "{\"auths\": {\"r.example\": {\n"
		 "  \"auth\": \"dXNlcjpTM2NyM3RQYXNzdzByZFh5Wg==\"}}}\n", &s);
	expect_total(&s, 1);
	expect_finding(&s, "docker-auth", 0, 2, 12,
		       "dXNlcjpTM2NyM3RQYXNzdzByZFh5Wg==");
	f = nth(&s, "docker-auth", 0);
	assert_int_equal(f->decoded, 1);
	assert_true(f->entropy > 3.0);
	ls_scan_release(&s);

	static const char *const none[] = {
		/* base64("user:aaaaaaaaaaaa"): the password has no entropy */
		"\"auth\": \"dXNlcjphYWFhYWFhYWFhYWE=\"",
		/* base64("user:changeme-Xy9Q"): a stopword in the value */
		"\"auth\": \"dXNlcjpjaGFuZ2VtZS1YeTlR\"",
		/* base64("nocolonhereXyZ123"): decodedRegex does not match */
		"\"auth\": \"bm9jb2xvbmhlcmVYeVoxMjM=\"",
		/* not base64 (length 4n+1) */
		"\"auth\": \"dXNlcjpTM2NyM\"",
		/* decodes to binary bytes */
		"\"auth\": \"AAECAwQFBgcICQoL\"",
	};
	for (size_t i = 0; i < ARRAY_SIZE(none); i++) {
		scan_str(rs, "config.json", none[i], &s);
		if (s.findings.n) {
			dump(&s);
			fail_msg("case %zu: want no finding", i);
		}
		ls_scan_release(&s);
	}
	ls_ruleset_free(rs);
}

static const char inner_rules[] =
	"[[rules]]\n"
	"id = 'b64-value'\n"
	"regex = '''b64:([A-Za-z0-9+/]{16,}={0,2})'''\n"
	"keywords = ['b64:']\n"
	"decode = 'base64'\n"
	"entropy = 5.0\n"            /* never reports on its own here */
	"[[rules]]\n"
	"id = 'github-pat'\n"
	"regex = '''\\b(ghp_[A-Za-z0-9]{36})\\b'''\n"
	"keywords = ['ghp_']\n"
	"validate = 'crc32-base62'\n";

/* base64("token=" GHP_OK) */
#define GHP_B64 "dG9rZW49Z2hwX3pRV0J1VFNPb1JpNEE5c3BIY1ZZNW5jbnNEa3hrSjBtTHExNw=="

static void test_decoded_inner_rule(void **state)
{
	struct ls_ruleset *rs = load_rules(inner_rules);
	struct ls_scan s;
	const struct ls_finding *f;

	(void)state;
	scan_str(rs, "secret.yaml", "data:\n  t: b64:" GHP_B64 "\n", &s);
	expect_total(&s, 1);
	/* reported at the encoded value, with the inner rule's id */
	expect_finding(&s, "github-pat", 0, 2, 10, GHP_B64);
	f = nth(&s, "github-pat", 0);
	assert_int_equal(f->decoded, 1);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/*
 * BUG: a finding that an inner rule makes in decoded text ignores the
 * inline allow comment on the line where it is reported.  docs/rules.md:
 * "a finding whose line carries layerscan:allow or gitleaks:allow is
 * dropped"; judge_decoded() (match.c) passes inner findings to the
 * callback without calling allowed() for the outer line, while the
 * decoding rule's own finding is checked.
 */
static void test_decoded_inner_rule_inline_allow(void **state)
{
	struct ls_ruleset *rs = load_rules(inner_rules);
	struct ls_scan s;
	size_t n;

	(void)state;
	scan_str(rs, "secret.yaml",
		 "data:\n  t: b64:" GHP_B64 "  # layerscan:allow\n", &s);
	n = s.findings.n + s.errors.n;
	if (n)
		dump(&s);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
	assert_int_equal(n, 0);
}

/* ---- decoding XML character references ---- */

static const char xml_rules[] =
	"[[rules]]\n"
	"id = 'xml-text'\n"
	"regex = '''[^\\r\\n]{0,256}?&(?:quot|apos|#0{0,2}3[49]);[^\\r\\n]{0,4000}'''\n"
	"keywords = ['&quot;', '&apos;', '&#39;']\n"
	"decode = 'xml'\n"
	"window = 4096\n"
	"[[rules]]\n"
	"id = 'quoted-secret'\n"
	"regex = '''secret = '([A-Za-z0-9]{12,})''''\n"
	"keywords = ['secret']\n"
	"[[rules]]\n"
	"id = 'acme-token'\n"
	"regex = '''acme_[a-z0-9]{16}'''\n"
	"keywords = ['acme_']\n"
	"[[rules]]\n"
	"id = 'after-quote'\n"
	"regex = '''(?<=\")zz_[a-z0-9]{16}'''\n"
	"keywords = ['zz_']\n";

static void test_decode_xml(void **state)
{
	struct ls_ruleset *rs = load_rules(xml_rules);
	struct ls_scan s;
	const struct ls_finding *f;

	(void)state;
	/* the quotes are escaped: only the unescaped text matches; the
	 * finding is at the secret's place in the file, not the span's */
	scan_str(rs, "channel.xml",
		 "<script>\n  var secret = &apos;Zq8vLm2Pw9Xk7T&apos;;</script>\n",
		 &s);
	expect_total(&s, 1);
	expect_finding(&s, "quoted-secret", 0, 2, 22, "Zq8vLm2Pw9Xk7T");
	f = nth(&s, "quoted-secret", 0);
	assert_int_equal(f->decoded, 1);
	assert_non_null(f->via);
	assert_string_equal(f->via->id, "xml-text");
	ls_scan_release(&s);

	/* numeric references too */
	scan_str(rs, "a.xml", "x secret = &#39;Zq8vLm2Pw9Xk7T&#039; y\n", &s);
	expect_total(&s, 1);
	expect_finding(&s, "quoted-secret", 0, 1, 17, "Zq8vLm2Pw9Xk7T");
	ls_scan_release(&s);

	/* a match the plain scan sees as it is (no reference inside it) is
	 * the plain scan's: reported once, not decoded */
	scan_str(rs, "a.xml",
		 "<v>&quot;acme_0123456789abcdef&quot;</v>\n", &s);
	expect_total(&s, 1);
	f = nth(&s, "acme-token", 0);
	assert_int_equal(f->decoded, 0);
	ls_scan_release(&s);

	/* a match in the unescaped text that covers no reference (here the
	 * quote is only looked behind at) is left to the plain scan, which
	 * does not see it: not reported (docs/rules.md, Decoding) */
	scan_str(rs, "a.xml", "<v>&quot;zz_0123456789abcdef&quot;</v>\n", &s);
	expect_total(&s, 0);
	ls_scan_release(&s);

	/* nothing found in the unescaped text: the decoding rule reports
	 * nothing and claims nothing */
	scan_str(rs, "a.xml", "<d>say &quot;hello&quot; please</d>\n", &s);
	expect_total(&s, 0);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/* ---- decoding JSON string escapes ---- */

static const char json_rules[] =
	"[[rules]]\n"
	"id = 'json-text'\n"
	"regex = '''[^\\r\\n]{0,256}?\\\\(?:/|u00[0-9A-Fa-f]{2}|n)[^\\r\\n]{0,1024}'''\n"
	"keywords = ['\\/', '\\u00', '\\n']\n"
	"decode = 'json'\n"
	"window = 2048\n"
	"[[rules]]\n"
	"id = 'url-pass'\n"
	"regex = '''https://[a-z]+:([A-Za-z0-9]{12,})@'''\n"
	"keywords = ['https://']\n"
	"[[rules]]\n"
	"id = 'next-line'\n"
	"regex = '''(?m)key:\\n(zz[a-z0-9]{14})$'''\n"
	"keywords = ['key:']\n";

static void test_decode_json(void **state)
{
	struct ls_ruleset *rs = load_rules(json_rules);
	struct ls_scan s;
	const struct ls_finding *f;

	(void)state;
	/* escaped slashes hide the URL; the finding is at the password's
	 * place in the file, decoded by the json rule */
	scan_str(rs, "export.json",
		 "[\n {\"text\": \"see https:\\/\\/ops:Kq8vTm2Lx5Wz@h.example\\/x\"}\n",
		 &s);
	expect_total(&s, 1);
	expect_finding(&s, "url-pass", 0, 2, 30, "Kq8vTm2Lx5Wz");
	f = nth(&s, "url-pass", 0);
	assert_int_equal(f->decoded, 1);
	assert_string_equal(f->via->id, "json-text");
	ls_scan_release(&s);

	/* a message's lines joined with \n: the value under its label */
	scan_str(rs, "export.json",
		 "{\"text\": \"key:\\nzz0123456789abcd\\nthanks\"}\n", &s);
	expect_total(&s, 1);
	expect_finding(&s, "next-line", 0, 1, 17, "zz0123456789abcd");
	ls_scan_release(&s);

	/* nothing escaped inside the match: the plain scan's finding, once */
	scan_str(rs, "export.json",
		 "{\"a\": \"x\\/y\", \"u\": \"https://ops:Kq8vTm2Lx5Wz@h\"}\n", &s);
	expect_total(&s, 1);
	f = nth(&s, "url-pass", 0);
	assert_int_equal(f->decoded, 0);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/* ---- generic rules yield ---- */

static void test_generic_overlap_dropped(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'generic-secret'\n"
		"regex = '''(?i)secret\\s*=\\s*(\\S+)'''\n"
		"keywords = ['secret']\n"
		"tags = ['generic']\n"
		"[[rules]]\n"
		"id = 'acme-token'\n"
		"regex = '''acme_[a-z0-9]{16}'''\n"
		"keywords = ['acme_']\n"
		"[[rules]]\n"
		"id = 'other-generic'\n"     /* generic vs generic: one stays */
		"regex = '''(?i)secret\\s*=\\s*(\\S{4})'''\n"
		"keywords = ['secret']\n"
		"tags = ['api', 'generic']\n");
	struct ls_scan s;

	(void)state;
	scan_str(rs, "f",
		 "SECRET = acme_0123456789abcdef\n"   /* specific wins */
		 "secret = Zq8vLm2Pw9Xk\n"            /* generic alone */
		 "acme_fedcba9876543210 secret=abcd\n",   /* no overlap */
		 &s);
	assert_int_equal(count_rule(&s, "acme-token"), 2);
	assert_int_equal(count_rule(&s, "generic-secret"), 2);
	expect_finding(&s, "generic-secret", 0, 2, 10, "Zq8vLm2Pw9Xk");
	expect_finding(&s, "generic-secret", 1, 3, 30, "abcd");
	/* same severity, no path: the rule first by id is kept */
	assert_int_equal(count_rule(&s, "other-generic"), 0);
	expect_total(&s, 4);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/* Structural rules (a URL's password) yield to provider rules and win over
 * generic ones; two structural findings on one span both stay. */
static void test_structural_overlap(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'url-pw'\n"
		"regex = '''://[a-z]+:([^@\\s]+)@'''\n"
		"keywords = ['://']\n"
		"tags = ['url', 'structural']\n"
		"[[rules]]\n"
		"id = 'url-pw-2'\n"
		"regex = '''://[a-z]+:([^@\\s]{4,})@'''\n"
		"keywords = ['://']\n"
		"tags = ['structural']\n"
		"[[rules]]\n"
		"id = 'acme-token'\n"
		"regex = '''acme_[a-z0-9]{16}'''\n"
		"keywords = ['acme_']\n"
		"[[rules]]\n"
		"id = 'generic-secret'\n"
		"regex = '''(?i)secret\\s*=\\s*\\S*?:(\\S+)@'''\n"
		"keywords = ['secret']\n"
		"tags = ['generic']\n");
	struct ls_scan s;

	(void)state;
	scan_str(rs, "f",
		 "x https://u:acme_0123456789abcdef@h\n"      /* provider wins */
		 "secret = https://u:Zq8vLm2Pw9Xk@h\n",       /* structural wins */
		 &s);
	assert_int_equal(count_rule(&s, "acme-token"), 1);
	assert_int_equal(count_rule(&s, "url-pw"), 1);
	assert_int_equal(count_rule(&s, "url-pw-2"), 1);
	assert_int_equal(count_rule(&s, "generic-secret"), 0);
	expect_finding(&s, "url-pw", 0, 2, 20, "Zq8vLm2Pw9Xk");
	expect_total(&s, 3);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/* One keyword shared by several rules is one prefilter pattern that wakes
 * every rule of it (prefilter.c: a Hyperscan pattern per distinct keyword). */
static void test_shared_keyword(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'a'\n"
		"regex = '''tok_a_[0-9]{6}'''\n"
		"keywords = ['tok_', 'zzz']\n"
		"[[rules]]\n"
		"id = 'b'\n"
		"regex = '''tok_b_[0-9]{6}'''\n"
		"keywords = ['TOK_']\n"
		"[[rules]]\n"
		"id = 'c'\n"
		"regex = '''tok_c_[0-9]{6}'''\n"
		"keywords = ['tok_', 'tok_']\n");
	struct ls_scan s;

	(void)state;
	scan_str(rs, "f", "tok_a_123456 tok_b_234567\ntok_c_345678\n", &s);
	assert_int_equal(count_rule(&s, "a"), 1);
	assert_int_equal(count_rule(&s, "b"), 1);
	assert_int_equal(count_rule(&s, "c"), 1);
	expect_total(&s, 3);
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/* ---- chunk boundaries ---- */

/* Text with newlines every 50 bytes or so; no keyword of the rules below. */
static char *filler(size_t len)
{
	char *p = ls_xmalloc(len);
	unsigned seed = 1;

	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = ((seed >> 16) % 50 == 0) ? '\n'
						: (char)('a' + (seed >> 16) % 20);
	}
	return p;
}

static void naive_pos(const char *p, size_t off, unsigned long *line,
		      unsigned long *col)
{
	size_t ls = 0;

	*line = 1;
	for (size_t i = 0; i < off; i++) {
		if (p[i] == '\n') {
			(*line)++;
			ls = i + 1;
		}
	}
	*col = off - ls + 1;
}

static void test_secret_across_chunk_boundaries(void **state)
{
	static const size_t at[] = {
		LS_CHUNK_SIZE - 10,                        /* own-region edge */
		LS_CHUNK_SIZE + LS_CHUNK_OVERLAP - 10,     /* 1st buffer end */
		2 * (size_t)LS_CHUNK_SIZE - 3,
		2 * (size_t)LS_CHUNK_SIZE + LS_CHUNK_OVERLAP - 20,
		3 * (size_t)LS_CHUNK_SIZE - 25,            /* near the end */
	};
	static const char tok[] = "tok_Q2w9E8r7T6y5U4i3";   /* 20 bytes */
	size_t len = 3 * (size_t)LS_CHUNK_SIZE;
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'tok'\n"
		"regex = '''\\b(tok_[A-Za-z0-9]{16})\\b'''\n"
		"keywords = ['tok_']\n");
	char *p = filler(len);
	struct ls_scan s;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(at); i++) {
		memcpy(p + at[i] - 1, " ", 1);
		memcpy(p + at[i], tok, sizeof(tok) - 1);
		p[at[i] + sizeof(tok) - 1] = ' ';
	}
	scan_buf(rs, "big.txt", p, len, &s);
	expect_total(&s, ARRAY_SIZE(at));
	for (size_t i = 0; i < ARRAY_SIZE(at); i++) {
		unsigned long line, col;
		naive_pos(p, at[i], &line, &col);
		expect_finding(&s, "tok", i, line, col, tok);
	}
	assert_int_equal(s.stats.bytes, len);
	ls_scan_release(&s);
	free(p);
	ls_ruleset_free(rs);
}

/*
 * BUG: a match that starts before a chunk boundary and whose keyword lies
 * after it is reported twice.  The next chunk's buffer starts exactly at
 * the boundary (chunk.c keeps only the overlap after it, and scan.c sets
 * own_start = 0), so its window begins in the middle of the match and the
 * regex matches the tail, which that chunk owns: the same secret at the
 * same line/column comes out of both chunks.  Expected: one finding.
 */
static void test_match_straddling_chunk_start_reported_once(void **state)
{
	static const char kv[] = "my_secret_api_key = 'AbCdEfGhIjKlMnOpQrSt'";
	size_t len = 2 * (size_t)LS_CHUNK_SIZE;
	size_t at = LS_CHUNK_SIZE - 5;   /* boundary inside "my_secret_api" */
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'kv'\n"
		"regex = '''[a-z_]{0,20}key\\s*=\\s*'([A-Za-z0-9]{20})''''\n"
		"keywords = ['key']\n");
	char *p = filler(len);
	struct ls_scan s;
	unsigned long line, col;
	size_t n;
	int ok;

	(void)state;
	p[at - 1] = '\n';
	memcpy(p + at, kv, sizeof(kv) - 1);
	p[at + sizeof(kv) - 1] = '\n';
	scan_buf(rs, "big.txt", p, len, &s);
	naive_pos(p, at + 21, &line, &col);
	n = s.findings.n;
	ok = n == 1 && s.errors.n == 0 && s.findings.v[0]->line == line &&
	     s.findings.v[0]->column == col &&
	     !strcmp(s.findings.v[0]->secret, "AbCdEfGhIjKlMnOpQrSt");
	if (!ok)
		dump(&s);
	ls_scan_release(&s);
	free(p);
	ls_ruleset_free(rs);
	assert_int_equal(n, 1);
	assert_true(ok);
}

/* ---- adversarial input ---- */

static void test_adversarial_long_line(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'password'\n"
		"regex = '''(?i)password\\s*[:=]\\s*['\"]?([^'\"\\s]{8,})'''\n"
		"keywords = ['password']\n");
	static const char unit[] = "PASSWORD:'abcdefg' ";   /* 7: one short */
	size_t len = 10u << 20;
	char *p = ls_xmalloc(len);
	struct ls_scan s;

	(void)state;
	/* one 10 MB line: a keyword every 19 bytes, never a match */
	for (size_t i = 0; i < len; i++)
		p[i] = unit[i % (sizeof(unit) - 1)];
	scan_buf(rs, "min.js", p, len, &s);
	expect_total(&s, 0);
	ls_scan_release(&s);

	/* the keyword, then 10 MB of blanks: \s* runs to the window end */
	memset(p, ' ', len);
	memcpy(p, "password", 8);
	memcpy(p + len - 10, "=abcdefgh9", 10);
	scan_buf(rs, "min.js", p, len, &s);
	expect_total(&s, 0);
	ls_scan_release(&s);

	/* and a real one at the very end of it */
	memset(p + len - 40, ' ', 40);
	memcpy(p + len - 30, "password = 'Xy9Qw8Er7Ty6'", 25);
	p[len - 1] = '\n';
	scan_buf(rs, "min.js", p, len, &s);
	expect_total(&s, 1);
	expect_finding(&s, "password", 0, 1, len - 30 + 13, "Xy9Qw8Er7Ty6");
	ls_scan_release(&s);
	free(p);
	ls_ruleset_free(rs);
}

/* A regex that hits the PCRE2 match limit is an error for the file. */
static void test_match_limit_is_an_error(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'catastrophic'\n"
		"regex = '''(?m)^(a|aa)+$'''\n"
		"keywords = ['aaaa']\n"
		"[[rules]]\n"
		"id = 'tok'\n"
		"regex = '''tok_[0-9]{4}'''\n"
		"keywords = ['tok_']\n");
	char buf[200];
	struct ls_scan s;

	(void)state;
	memset(buf, 'a', sizeof(buf));
	buf[sizeof(buf) - 1] = '!';
	memcpy(buf, "tok_1234\n", 9);
	scan_buf(rs, "f", buf, sizeof(buf), &s);
	/* the other rule still ran */
	assert_int_equal(count_rule(&s, "tok"), 1);
	assert_int_equal(count_rule(&s, "catastrophic"), 0);
	assert_int_equal(s.errors.n, 1);
	assert_non_null(strstr(s.errors.v[0], "match limit"));
	assert_non_null(strstr(s.errors.v[0], "'f'"));
	ls_scan_release(&s);
	ls_ruleset_free(rs);
}

/* ---- ls_matcher_scan directly ---- */

struct collected {
	size_t starts[16];
	size_t n;
	size_t stop_after;   /* 0 = never stop */
};

/*
 * File rules with `content`: the file finding stands only when the content
 * matches somewhere, is reported once per file however often it matches,
 * at line 0; \A is the file's first byte, never a later chunk's start; an
 * inline allow on the matching line allows the file; a binary file is
 * judged only by a rule with binary = true.
 */
static void test_file_rule_content(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'npmrc-literal'\n"
		"path = '''(^|/)\\.npmrc$'''\n"
		"content = '''(?m)_authToken=(?!\\$\\{)\\S'''\n"
		"[[rules]]\n"
		"id = 'magic'\n"
		"content = '''\\A\\x30\\x82..\\x02\\x01\\x03'''\n"
		"binary = true\n"
		"[[rules]]\n"
		"id = 'magic-text-only'\n"
		"content = '''\\AMAGIC'''\n");
	static const char der[] = "\x30\x82\x01\x02\x02\x01\x03\x30\x00\x01";
	struct ls_scan s;
	size_t big = LS_CHUNK_SIZE + LS_CHUNK_OVERLAP + 4096;
	char *buf;

	(void)state;
	/* only references: no finding */
	scan_str(rs, "web/.npmrc", "//r/:_authToken=${NPM_TOKEN}\n", &s);
	expect_total(&s, 0);
	ls_scan_release(&s);
	/* a literal value: one file finding, even with two literal lines */
	scan_str(rs, "web/.npmrc",
		 "a=1\n//r/:_authToken=abc\n//s/:_authToken=def\n", &s);
	expect_total(&s, 1);
	expect_finding(&s, "npmrc-literal", 0, 0, 0, "");
	ls_scan_release(&s);
	/* the path still has to match */
	scan_str(rs, "web/npmrc.txt", "//r/:_authToken=abc\n", &s);
	expect_total(&s, 0);
	ls_scan_release(&s);
	/* an inline allow on the line that made it stand */
	scan_str(rs, "web/.npmrc",
		 "//r/:_authToken=abc # layerscan:allow\n", &s);
	expect_total(&s, 0);
	ls_scan_release(&s);
	/* an empty file matches no content */
	scan_str(rs, "web/.npmrc", "", &s);
	expect_total(&s, 0);
	ls_scan_release(&s);

	/* \A: the binary header at the first byte, whatever the name */
	scan_buf(rs, "certs/bundle.bin", der, sizeof(der) - 1, &s);
	expect_total(&s, 1);
	expect_finding(&s, "magic", 0, 0, 0, "");
	ls_scan_release(&s);
	/* not at the first byte: nothing */
	{
		char shifted[sizeof(der)];
		shifted[0] = 'x';
		memcpy(shifted + 1, der, sizeof(der) - 1);
		scan_buf(rs, "certs/bundle.bin", shifted, sizeof(der), &s);
		expect_total(&s, 0);
		ls_scan_release(&s);
	}
	/* a header at the start of the second chunk is not the file's */
	buf = filler(big);
	for (size_t off = 1024; off + 5 <= big; off += 1024)
		memcpy(buf + off, "MAGIC", 5);   /* chunk starts among them */
	scan_buf(rs, "data/big.txt", buf, big, &s);
	expect_total(&s, 0);
	ls_scan_release(&s);
	memcpy(buf, "MAGIC", 5);
	scan_buf(rs, "data/big.txt", buf, big, &s);
	expect_total(&s, 1);
	expect_finding(&s, "magic-text-only", 0, 0, 0, "");
	ls_scan_release(&s);
	free(buf);
	/* binary content: only the rule with binary = true runs */
	{
		static const char bin[] = "MAGIC\0\0\0";
		scan_buf(rs, "data/blob", bin, sizeof(bin) - 1, &s);
		expect_total(&s, 0);
		ls_scan_release(&s);
	}
	ls_ruleset_free(rs);
}

/* `content` excludes `regex`; binary examples in base64. */
static void test_file_rule_content_schema(void **state)
{
	struct ls_ruleset *rs = ls_ruleset_new();
	struct ls_diag d;
	static const char bad[] =
		"[[rules]]\n"
		"id = 'both'\n"
		"regex = 'x'\n"
		"content = 'y'\n";
	static const char b64ex[] =
		"[[rules]]\n"
		"id = 'b'\n"
		"content = '''\\A\\x00\\xff'''\n"
		"binary = true\n"
		"[rules.examples]\n"
		"positiveBase64 = ['AP8A']\n"
		"negativeBase64 = ['/wA=']\n";
	const struct ls_rule *r;

	(void)state;
	ls_diag_init(&d);
	assert_int_not_equal(ls_ruleset_load_toml(rs, bad, strlen(bad),
						  "t.toml", 0, &d), 0);
	assert_true(ls_diag_errors(&d) > 0);
	ls_diag_release(&d);
	ls_ruleset_free(rs);

	rs = load_rules(b64ex);
	r = ls_ruleset_find(rs, "b");
	assert_non_null(r);
	assert_int_equal(r->nexamples, 2);
	assert_int_equal(r->examples[0].len, 3);
	assert_memory_equal(r->examples[0].text, "\x00\xff\x00", 3);
	assert_true(r->examples[0].positive);
	assert_int_equal(r->examples[1].len, 2);
	assert_false(r->examples[1].positive);
	assert_int_equal(ls_examples_run(rs, NULL, NULL, NULL), 0);
	ls_ruleset_free(rs);
}

static int collect(void *ud, const struct ls_match *m)
{
	struct collected *c = ud;

	if (c->n < ARRAY_SIZE(c->starts))
		c->starts[c->n++] = m->secret_start;
	return c->stop_after && c->n >= c->stop_after ? 42 : 0;
}

static void test_matcher_own_region_and_stop(void **state)
{
	struct ls_ruleset *rs = load_rules(
		"[[rules]]\n"
		"id = 'tok'\n"
		"regex = '''tok_[0-9]{4}'''\n"
		"keywords = ['tok_']\n");
	/*                   0         1         2         3
	 *                   0123456789012345678901234567890123 */
	static const char t[] = "tok_0001 tok_0002 tok_0003 tok_0004";
	struct ls_matcher *m = ls_matcher_new(rs);
	struct ls_match_input in;
	struct collected c;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.buf = t;
	in.len = sizeof(t) - 1;
	in.own_start = 9;     /* a match starting at 9 is ours */
	in.own_end = 27;      /* one starting at 27 is not */
	memset(&c, 0, sizeof(c));
	assert_int_equal(ls_matcher_scan(m, &in, collect, &c), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.starts[0], 9);
	assert_int_equal(c.starts[1], 18);

	/* a non-zero callback value stops the scan and is returned */
	in.own_start = 0;
	in.own_end = in.len;
	memset(&c, 0, sizeof(c));
	c.stop_after = 1;
	assert_int_equal(ls_matcher_scan(m, &in, collect, &c), 42);
	assert_int_equal(c.n, 1);
	/* and leaves the matcher reusable */
	memset(&c, 0, sizeof(c));
	assert_int_equal(ls_matcher_scan(m, &in, collect, &c), 0);
	assert_int_equal(c.n, 4);
	assert_int_equal(ls_matcher_limit_hits(m), 0);
	ls_matcher_free(m);
	ls_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secret_group),
		cmocka_unit_test(test_file_rule_content),
		cmocka_unit_test(test_file_rule_content_schema),
		cmocka_unit_test(test_entropy_strictly_greater),
		cmocka_unit_test(test_stopwords),
		cmocka_unit_test(test_allowlist_regex_targets),
		cmocka_unit_test(test_allowlist_condition),
		cmocka_unit_test(test_global_allowlist_target_rules),
		cmocka_unit_test(test_path_rules),
		cmocka_unit_test(test_inline_allow),
		cmocka_unit_test(test_binary_buffer),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_line_anchors),
		cmocka_unit_test(test_lookbehind),
		cmocka_unit_test(test_path_literal),
		cmocka_unit_test(test_window_widened_to_line_end),
		cmocka_unit_test(test_validate_crc32_base62),
		cmocka_unit_test(test_decode_base64),
		cmocka_unit_test(test_decoded_inner_rule),
		cmocka_unit_test(test_decode_xml),
		cmocka_unit_test(test_decode_json),
		cmocka_unit_test(test_generic_overlap_dropped),
		cmocka_unit_test(test_structural_overlap),
		cmocka_unit_test(test_shared_keyword),
		cmocka_unit_test(test_secret_across_chunk_boundaries),
		cmocka_unit_test(test_adversarial_long_line),
		cmocka_unit_test(test_match_limit_is_an_error),
		cmocka_unit_test(test_matcher_own_region_and_stop),
		/* BUG: these fail until src/ is fixed (see the comments) */
		cmocka_unit_test(test_window_end_truncates_secret),
		cmocka_unit_test(test_decoded_inner_rule_inline_allow),
		cmocka_unit_test(test_match_straddling_chunk_start_reported_once),
		cmocka_unit_test(test_path_signature),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
