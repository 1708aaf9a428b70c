/*
 * test_load.c - unit tests for the rule loader (src/rules/load.c): the
 * diagnostics for bad rule files, warnings, [extend], replacing rules,
 * both allowlist forms, a realistic gitleaks config, and the built-in
 * default rules with their examples.
 *
 * Diagnostics must read "NAME:LINE:COLUMN: message" (the column left out
 * only where the loader has none), so `layerscan rules check` points a
 * user at the exact place.  Documents are copied into exact-size heap
 * buffers, so a read past the end is caught under ASan.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/allow.h"
#include "rules/rules.h"
#include "scan/examples.h"
#include "scan/scan.h"
#include "util/xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ---- */

static int load_into(struct ls_ruleset *rs, const char *doc, const char *name,
		     unsigned flags, struct ls_diag *d)
{
	size_t n = strlen(doc);
	char *copy = ls_xmalloc(n ? n : 1);
	int r;

	memcpy(copy, doc, n);
	r = ls_ruleset_load_toml(rs, copy, n, name, flags, d);
	free(copy);
	return r;
}

static void dump_diag(const struct ls_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		print_message("  [%s] %s\n", d->is_error[i] ? "error" : "warn",
			      d->msgs[i]);
}

/* Load a document that must be clean (warnings allowed). */
static struct ls_ruleset *load_ok(const char *doc, struct ls_diag *d)
{
	struct ls_ruleset *rs = ls_ruleset_new();

	ls_diag_init(d);
	if (load_into(rs, doc, "t.toml", 0, d) || ls_diag_errors(d)) {
		dump_diag(d);
		fail_msg("unexpected errors");
	}
	return rs;
}

static size_t count_warnings(const struct ls_diag *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += !d->is_error[i];
	return n;
}

/* ---- diagnostics for bad documents ---- */

struct bad_case {
	const char *what;
	const char *doc;
	const char *prefix;     /* the message starts with this */
	const char *contains;   /* and contains this */
};

static const struct bad_case bad_cases[] = {
	{ "unknown severity",
	  "title = 'x'\n"
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "severity = 'urgent'\n",
	  "bad.toml:5:12: ", "unknown severity 'urgent'" },
	{ "regex does not compile",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = '''(unclosed'''\n",
	  "bad.toml:3:9: ", "'regex' does not compile at offset 9" },
	{ "path regex does not compile",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "  path = '[z-a]'\n",
	  "bad.toml:3:10: ", "'path' does not compile" },
	{ "allowlist regex does not compile",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "[[rules.allowlists]]\n"
	  "regexes = ['ok', '*bad']\n",
	  "bad.toml:5:18: ", "'regexes' does not compile" },
	{ "secretGroup out of range",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = '(a)(b)'\n"
	  "secretGroup = 3\n",
	  "bad.toml:4:15: ", "'secretGroup' 3 is out of range: the regex has 2 groups" },
	{ "negative secretGroup",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = '(a)'\n"
	  "secretGroup = -1\n",
	  "bad.toml:4:15: ", "out of range" },
	{ "missing id",
	  "# comment\n"
	  "\n"
	  "[[rules]]\n"
	  "regex = 'x'\n",
	  "bad.toml:3:1: ", "rule has no 'id'" },
	{ "empty id",
	  "[[rules]]\n"
	  "id = ''\n"
	  "regex = 'x'\n",
	  "bad.toml:2:6: ", "rule 'id' is empty" },
	{ "neither regex nor path",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "[[rules]]\n"
	  "id = 'b'\n"
	  "keywords = ['b']\n",
	  "bad.toml:3:1: ", "rule 'b' needs a 'regex', a 'path', or both" },
	{ "duplicate id",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "\n"
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'y'\n",
	  "bad.toml:5: ", "duplicate rule id 'a' (first at line 1)" },
	{ "decodedRegex without decode",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x(y)'\n"
	  "decodedRegex = '^(.*)$'\n",
	  "bad.toml:4:16: ", "'decodedRegex' needs 'decode'" },
	{ "window 0",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "window = 0\n",
	  "bad.toml:4:10: ", "'window' must be between 1 and 16384" },
	{ "window too large",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "window = 16385\n",
	  "bad.toml:4:10: ", "'window' must be between 1 and 16384" },
	{ "entropy out of range",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "entropy = 8.5\n",
	  "bad.toml:4:11: ", "'entropy' must be between 0 and 8" },
	{ "entropy of the wrong type",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "entropy = 'high'\n",
	  "bad.toml:4:11: ", "'entropy' must be a float, not a string" },
	{ "keywords not an array",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "keywords = 'x'\n",
	  "bad.toml:4:12: ", "'keywords' must be a" },
	{ "keywords holding a number",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "keywords = ['x', 12]\n",
	  "bad.toml:4:18: ", "'keywords' must hold strings, not a" },
	{ "empty keyword",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "keywords = ['x', '']\n",
	  "bad.toml:4:12: ", "empty keyword" },
	{ "id of the wrong type",
	  "[[rules]]\n"
	  "id = 5\n"
	  "regex = 'x'\n",
	  "bad.toml:2:6: ", "'id' must be a string, not a" },
	{ "secretGroup of the wrong type",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = '(x)'\n"
	  "secretGroup = 1.0\n",
	  "bad.toml:4:15: ", "'secretGroup' must be a" },
	{ "binary of the wrong type",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "binary = 'yes'\n",
	  "bad.toml:4:10: ", "'binary' must be a bool" },
	{ "rules not an array of tables",
	  "rules = 'x'\n",
	  "bad.toml:1:9: ", "'rules' must be an array of tables" },
	{ "unknown validator",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "validate = 'luhn'\n",
	  "bad.toml:4:12: ", "unknown validator 'luhn'" },
	{ "unknown decoder",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "decode = 'hex'\n",
	  "bad.toml:4:10: ", "unknown decoder 'hex'" },
	{ "bad regexTarget",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "  [rules.allowlist]\n"
	  "  regexTarget = 'file'\n",
	  "bad.toml:5:17: ", "'regexTarget' must be" },
	{ "bad condition",
	  "[[allowlists]]\n"
	  "condition = 'XOR'\n",
	  "bad.toml:2:13: ", "'condition' must be \"OR\" or \"AND\"" },
	{ "composite rule",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x'\n"
	  "[[rules.required]]\n"
	  "id = 'b'\n",
	  "bad.toml:4:", "composite rules ('required') are not supported" },
	{ "malformed TOML: unterminated string",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "regex = 'x\n",
	  "bad.toml:3:", "" },
	{ "malformed TOML: key without value",
	  "title = 'x'\n"
	  "[[rules]]\n"
	  "id =\n",
	  "bad.toml:3:", "" },
	{ "malformed TOML: redefined key",
	  "[[rules]]\n"
	  "id = 'a'\n"
	  "id = 'b'\n",
	  "bad.toml:3:", "" },
};

static void test_bad_documents(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct ls_ruleset *rs = ls_ruleset_new();
		struct ls_diag d;
		size_t k;
		int r;

		ls_diag_init(&d);
		r = load_into(rs, c->doc, "bad.toml", 0, &d);
		for (k = 0; k < d.n; k++)
			if (d.is_error[k] &&
			    !strncmp(d.msgs[k], c->prefix, strlen(c->prefix)) &&
			    strstr(d.msgs[k], c->contains))
				break;
		if (r != LS_EINVAL || !ls_diag_errors(&d) || k == d.n) {
			dump_diag(&d);
			fail_msg("%s: want an error \"%s...%s...\" (r=%d)",
				 c->what, c->prefix, c->contains, r);
		}
		/* style: lowercase message, no final period */
		{
			const char *m = d.msgs[k] + strlen(c->prefix);
			if (*m == ' ')
				m++;
			assert_false(*m >= 'A' && *m <= 'Z');
			assert_true(m[strlen(m) - 1] != '.');
		}
		/* a document with an error adds nothing */
		assert_int_equal(rs->nrules, 0);
		assert_int_equal(rs->nglobal, 0);
		ls_diag_release(&d);
		ls_ruleset_free(rs);
	}
}

/* Every problem of a document is reported, not only the first. */
static void test_all_problems_reported(void **state)
{
	static const char doc[] =
		"[[rules]]\n"
		"id = 'a'\n"
		"regex = '(x'\n"             /* 3 */
		"severity = 'urgent'\n"      /* 4 */
		"[[rules]]\n"
		"id = 'b'\n"
		"regex = 'ok'\n"
		"window = 0\n"               /* 8 */
		"[[allowlists]]\n"
		"paths = ['(']\n";           /* 10 */
	static const char *const want[] = {
		"t.toml:3:9: ", "t.toml:4:12: ", "t.toml:8:10: ",
		"t.toml:10:10: ",
	};
	struct ls_ruleset *rs = ls_ruleset_new();
	struct ls_diag d;

	(void)state;
	ls_diag_init(&d);
	assert_int_equal(load_into(rs, doc, "t.toml", 0, &d), LS_EINVAL);
	if (ls_diag_errors(&d) != ARRAY_SIZE(want)) {
		dump_diag(&d);
		fail_msg("%zu errors, want %zu", ls_diag_errors(&d),
			 ARRAY_SIZE(want));
	}
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		size_t k;
		for (k = 0; k < d.n; k++)
			if (!strncmp(d.msgs[k], want[i], strlen(want[i])))
				break;
		if (k == d.n) {
			dump_diag(&d);
			fail_msg("no message at %s", want[i]);
		}
	}
	assert_int_equal(rs->nrules, 0);
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

/*
 * BUG (minor, messages): type errors use "a" before every type name, so
 * users read "'keywords' must be a array, not a string" and "'id' must be
 * a string, not a integer" (load.c get_typed() and get_strv()/get_rev()
 * format "must be a %s, not a %s" / "must hold strings, not a %s" with
 * ls_toml_type_name()).  Expected: "an array", "an integer".
 */
static void test_type_messages_use_right_article(void **state)
{
	static const struct {
		const char *doc, *want;
	} cases[] = {
		{ "[[rules]]\nid = 'a'\nregex = 'x'\nkeywords = 'x'\n",
		  "t.toml:4:12: 'keywords' must be an array, not a string" },
		{ "[[rules]]\nid = 5\nregex = 'x'\n",
		  "t.toml:2:6: 'id' must be a string, not an integer" },
		{ "[[rules]]\nid = 'a'\nregex = 'x'\ntags = [1]\n",
		  "t.toml:4:9: 'tags' must hold strings, not an integer" },
	};
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ls_ruleset *rs = ls_ruleset_new();
		struct ls_diag d;

		ls_diag_init(&d);
		load_into(rs, cases[i].doc, "t.toml", 0, &d);
		if (d.n != 1 || strcmp(d.msgs[0], cases[i].want)) {
			dump_diag(&d);
			print_message("want exactly: %s\n", cases[i].want);
			bad++;
		}
		ls_diag_release(&d);
		ls_ruleset_free(rs);
	}
	assert_int_equal(bad, 0);
}

/* ---- warnings ---- */

static void test_unknown_keys_are_warnings(void **state)
{
	static const char doc[] =
		"title = 'x'\n"
		"colour = 'blue'\n"                  /* 2 */
		"[[rules]]\n"
		"id = 'a'\n"
		"regex = 'x'\n"
		"keywords = ['x']\n"
		"futureKey = true\n"                 /* 7 */
		"  [[rules.allowlists]]\n"
		"  regexes = ['y']\n"
		"  targetRules = ['a']\n"           /* 10: global only */
		"  whatever = 1\n"                   /* 11 */
		"[[allowlists]]\n"
		"paths = ['z']\n"
		"extra = []\n";                      /* 14 */
	static const char *const want[] = {
		"t.toml:2:10: warning: unknown key 'colour' in the rule file is ignored",
		"t.toml:7:13: warning: unknown key 'futureKey' in a rule is ignored",
		"t.toml:10:17: warning: 'targetRules' only applies to global allowlists",
		"t.toml:11:14: warning: unknown key 'whatever' in an allowlist is ignored",
		"t.toml:14:9: warning: unknown key 'extra' in an allowlist is ignored",
	};
	struct ls_diag d;
	struct ls_ruleset *rs = load_ok(doc, &d);

	(void)state;
	if (count_warnings(&d) != ARRAY_SIZE(want)) {
		dump_diag(&d);
		fail_msg("%zu warnings, want %zu", count_warnings(&d),
			 ARRAY_SIZE(want));
	}
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		size_t k;
		for (k = 0; k < d.n; k++)
			if (!strcmp(d.msgs[k], want[i]))
				break;
		if (k == d.n) {
			dump_diag(&d);
			fail_msg("missing warning: %s", want[i]);
		}
	}
	/* the rule and allowlists were loaded */
	assert_int_equal(rs->nrules, 1);
	assert_int_equal(rs->rules[0]->nallow, 1);
	assert_int_equal(rs->rules[0]->allow[0].ntarget_rules, 0);
	assert_int_equal(rs->nglobal, 1);
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

static void test_compile_warns_about_keywordless_rules(void **state)
{
	static const char doc[] =
		"[[rules]]\n"
		"id = 'with-kw'\n"
		"regex = 'x'\n"
		"keywords = ['x']\n"
		"\n"
		"[[rules]]\n"                       /* 6 */
		"id = 'no-kw'\n"
		"regex = 'y'\n"
		"[[rules]]\n"
		"id = 'path-only'\n"                /* no regex: no warning */
		"path = 'z'\n";
	struct ls_diag d;
	struct ls_ruleset *rs = load_ok(doc, &d);

	(void)state;
	assert_int_equal(d.n, 0);
	assert_int_equal(ls_ruleset_compile(rs, &d), 0);
	if (d.n != 1 || d.nerrors != 0 ||
	    strncmp(d.msgs[0], "t.toml:6: warning: rule 'no-kw' has no keywords",
		    strlen("t.toml:6: warning: rule 'no-kw' has no keywords"))) {
		dump_diag(&d);
		fail_msg("want one warning about 'no-kw'");
	}
	/* the indexes compile builds */
	assert_int_equal(rs->nnokw, 1);
	assert_string_equal(rs->rules[rs->nokw[0]]->id, "no-kw");
	assert_int_equal(rs->npathonly, 1);
	assert_string_equal(rs->rules[rs->pathonly[0]]->id, "path-only");
	/* rules are sorted by id and indexed */
	for (size_t i = 0; i < rs->nrules; i++) {
		assert_int_equal(rs->rules[i]->index, i);
		if (i)
			assert_true(strcmp(rs->rules[i - 1]->id,
					   rs->rules[i]->id) < 0);
	}
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

/* ---- values that load ---- */

static void test_rule_fields(void **state)
{
	static const char doc[] =
		"[[rules]]\n"
		"id = 'acme-api-token'\n"
		"description = 'Acme API token'\n"
		"regex = '''\\b(acme_[a-z0-9]{32})\\b'''\n"
		"secretGroup = 1\n"
		"entropy = 3\n"
		"keywords = ['ACME_', 'Acme-Key']\n"
		"path = '''\\.env$'''\n"
		"tags = ['acme', 'generic']\n"
		"severity = 'CRITICAL'\n"
		"fix = 'revoke it'\n"
		"window = 2048\n"
		"  [rules.examples]\n"
		"  path = 'config/.env'\n"
		"  positive = ['acme_4f9d2c7b1e8a6f3d0c5b9e2a7d4f1c8b']\n"
		"  negative = ['a', 'b']\n";
	struct ls_diag d;
	struct ls_ruleset *rs = load_ok(doc, &d);
	const struct ls_rule *r;

	(void)state;
	assert_int_equal(d.n, 0);
	r = ls_ruleset_find(rs, "acme-api-token");
	assert_non_null(r);
	assert_null(ls_ruleset_find(rs, "acme"));
	assert_string_equal(r->description, "Acme API token");
	assert_string_equal(r->regex_src, "\\b(acme_[a-z0-9]{32})\\b");
	assert_non_null(r->regex);
	assert_non_null(r->path);
	assert_int_equal(r->secret_group, 1);
	assert_true(r->entropy == 3.0);
	assert_int_equal(r->nkeywords, 2);
	assert_string_equal(r->keywords[0], "acme_");      /* lowercased */
	assert_string_equal(r->keywords[1], "acme-key");
	assert_int_equal(r->ntags, 2);
	assert_int_equal(r->generic, 1);
	assert_int_equal(r->severity, LS_SEV_CRITICAL);    /* any case */
	assert_string_equal(r->fix, "revoke it");
	assert_int_equal(r->window, 2048);
	assert_int_equal(r->binary, 1);                    /* has keywords */
	assert_string_equal(r->example_path, "config/.env");
	assert_int_equal(r->nexamples, 3);
	assert_int_equal(r->examples[0].positive, 1);
	assert_int_equal(r->examples[1].positive, 0);
	assert_int_equal(r->examples[0].line, 15);
	assert_string_equal(r->file, "t.toml");
	assert_int_equal(r->line, 1);
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

static void test_rule_defaults(void **state)
{
	struct ls_diag d;
	struct ls_ruleset *rs = load_ok("[[rules]]\nid = 'a'\nregex = 'x'\n",
					&d);
	const struct ls_rule *r = ls_ruleset_find(rs, "a");

	(void)state;
	assert_non_null(r);
	assert_int_equal(r->severity, LS_SEV_HIGH);
	assert_int_equal(r->window, LS_RULE_WINDOW_DEFAULT);
	assert_int_equal(r->secret_group, 0);
	assert_true(r->entropy == 0.0);
	assert_int_equal(r->binary, 0);                    /* no keywords */
	assert_int_equal(r->validate, LS_VALIDATE_NONE);
	assert_int_equal(r->decode, LS_DECODE_NONE);
	assert_null(r->fix);
	assert_null(r->path);
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

/* ---- several documents ---- */

static const char base_doc[] =
	"[[rules]]\n"
	"id = 'a'\n"
	"description = 'one'\n"
	"regex = 'aaa'\n"
	"[[rules]]\n"
	"id = 'b'\n"
	"regex = 'bbb'\n"
	"[[rules]]\n"
	"id = 'c'\n"
	"regex = 'ccc'\n";

static void test_extend_disabled_rules(void **state)
{
	static const char user_doc[] =
		"[extend]\n"
		"useDefault = false\n"
		"disabledRules = ['a', 'c', 'not-there']\n"
		"[[rules]]\n"
		"id = 'd'\n"
		"regex = 'ddd'\n";
	struct ls_diag d;
	struct ls_ruleset *rs = load_ok(base_doc, &d);

	(void)state;
	assert_int_equal(load_into(rs, user_doc, "user.toml", 0, &d), 0);
	assert_int_equal(ls_diag_errors(&d), 0);
	assert_int_equal(rs->nrules, 2);
	assert_null(ls_ruleset_find(rs, "a"));
	assert_non_null(ls_ruleset_find(rs, "b"));
	assert_null(ls_ruleset_find(rs, "c"));
	assert_non_null(ls_ruleset_find(rs, "d"));
	assert_int_equal(ls_ruleset_disable(rs, "b"), 1);
	assert_int_equal(ls_ruleset_disable(rs, "b"), 0);
	assert_int_equal(rs->nrules, 1);
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

static void test_later_document_replaces_rule(void **state)
{
	static const char override[] =
		"[[rules]]\n"
		"id = 'b'\n"
		"description = 'two'\n"
		"regex = 'BBB'\n"
		"severity = 'low'\n";
	struct ls_diag d;
	struct ls_ruleset *rs = load_ok(base_doc, &d);
	const struct ls_rule *r;

	(void)state;
	assert_int_equal(load_into(rs, override, "user.toml", 0, &d), 0);
	assert_int_equal(rs->nrules, 3);
	r = ls_ruleset_find(rs, "b");
	assert_string_equal(r->description, "two");
	assert_string_equal(r->regex_src, "BBB");
	assert_int_equal(r->severity, LS_SEV_LOW);
	assert_string_equal(r->file, "user.toml");
	/* a bad later document replaces nothing */
	assert_int_equal(load_into(rs,
				   "[[rules]]\nid = 'a'\nregex = '('\n",
				   "bad.toml", 0, &d), LS_EINVAL);
	r = ls_ruleset_find(rs, "a");
	assert_non_null(r);
	assert_string_equal(r->description, "one");
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

static void test_allowlist_forms(void **state)
{
	static const char doc[] =
		"[[rules]]\n"
		"id = 'old-form'\n"
		"regex = 'x'\n"
		"  [rules.allowlist]\n"
		"  regexes = ['a', 'b']\n"
		"  stopwords = ['Example']\n"
		"[[rules]]\n"
		"id = 'new-form'\n"
		"regex = 'y'\n"
		"  [[rules.allowlists]]\n"
		"  description = 'first'\n"
		"  condition = 'AND'\n"
		"  regexTarget = 'line'\n"
		"  regexes = ['c']\n"
		"  paths = ['d']\n"
		"  [[rules.allowlists]]\n"
		"  regexTarget = 'match'\n"
		"  commits = ['ABC123']\n"
		"[[rules]]\n"
		"id = 'both'\n"
		"regex = 'z'\n"
		"  [rules.allowlist]\n"
		"  regexes = ['e']\n"
		"  [[rules.allowlists]]\n"
		"  regexes = ['f']\n"
		"[allowlist]\n"
		"description = 'old global'\n"
		"paths = ['vendor/']\n"
		"[[allowlists]]\n"
		"targetRules = ['new-form', 'both']\n"
		"regexes = ['g']\n"
		"[[allowlists]]\n"
		"stopwords = ['h']\n";
	struct ls_diag d;
	struct ls_ruleset *rs = load_ok(doc, &d);
	const struct ls_rule *r;

	(void)state;
	assert_int_equal(d.n, 0);
	r = ls_ruleset_find(rs, "old-form");
	assert_int_equal(r->nallow, 1);
	assert_int_equal(r->allow[0].nregexes, 2);
	assert_int_equal(r->allow[0].target, LS_ALLOW_SECRET);
	assert_int_equal(r->allow[0].and_condition, 0);
	assert_int_equal(r->allow[0].nstopwords, 1);
	assert_string_equal(r->allow[0].stopwords[0], "example");

	r = ls_ruleset_find(rs, "new-form");
	assert_int_equal(r->nallow, 2);
	assert_string_equal(r->allow[0].description, "first");
	assert_int_equal(r->allow[0].and_condition, 1);
	assert_int_equal(r->allow[0].target, LS_ALLOW_LINE);
	assert_int_equal(r->allow[0].npaths, 1);
	assert_int_equal(r->allow[1].target, LS_ALLOW_MATCH);
	assert_int_equal(r->allow[1].ncommits, 1);
	assert_string_equal(r->allow[1].commits[0], "abc123");

	r = ls_ruleset_find(rs, "both");
	assert_int_equal(r->nallow, 2);

	assert_int_equal(rs->nglobal, 3);
	assert_string_equal(rs->global[0].description, "old global");
	assert_int_equal(rs->global[0].npaths, 1);
	assert_int_equal(rs->global[1].ntarget_rules, 2);
	assert_string_equal(rs->global[1].target_rules[1], "both");
	assert_int_equal(rs->global[2].nstopwords, 1);
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

/* ---- a realistic gitleaks config ---- */

/*
 * Written from the gitleaks config schema (config/gitleaks.toml of
 * gitleaks v8): rules with keywords, secretGroup, entropy, tags, a
 * path-only rule, per-rule allowlists in both forms with regexTarget and
 * stopwords, and a global [allowlist] with paths and regexes.
 */
static const char gitleaks_config[] =
	"# This file has been auto-generated.\n"
	"title = \"gitleaks config\"\n"
	"\n"
	"[allowlist]\n"
	"description = \"global allow list\"\n"
	"paths = [\n"
	"    '''gitleaks\\.toml''',\n"
	"    '''(?i)\\.(?:bmp|gif|jpe?g|png|svg|tiff?)$''',\n"
	"    '''(?:^|/)node_modules(?:/.*)?$''',\n"
	"    '''(?:^|/)vendor/''',\n"
	"]\n"
	"regexes = [\n"
	"    '''^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$''',\n"
	"]\n"
	"\n"
	"[[rules]]\n"
	"id = \"aws-access-token\"\n"
	"description = \"Identified a pattern that may indicate AWS credentials, risking unauthorized cloud resource access and data breaches on AWS platforms.\"\n"
	"regex = '''\\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\\b'''\n"
	"entropy = 3\n"
	"keywords = [\n"
	"    \"a3t\",\n"
	"    \"akia\",\n"
	"    \"asia\",\n"
	"    \"abia\",\n"
	"    \"acca\",\n"
	"]\n"
	"[[rules.allowlists]]\n"
	"regexes = [\n"
	"    '''.+EXAMPLE$''',\n"
	"]\n"
	"\n"
	"[[rules]]\n"
	"id = \"generic-api-key\"\n"
	"description = \"Detected a Generic API Key, potentially exposing access to various services and sensitive operations.\"\n"
	"regex = '''(?i)[\\w.-]{0,50}?(?:access|auth|(?-i:[Aa]pi|API)|credential|creds|key|passw(?:or)?d|secret|token)(?:[ \\t\\w.-]{0,20})[\\s'\"]{0,3}(?:=|>|:{1,3}=|\\|\\||:|=>|\\?=|,)[\\x60'\"\\s=]{0,5}([\\w.=-]{10,150}|[a-z0-9][a-z0-9+/]{11,}={0,3})(?:[\\x60'\"\\s;]|\\\\[nr]|$)'''\n"
	"secretGroup = 1\n"
	"entropy = 3.5\n"
	"keywords = [\n"
	"    \"access\",\n"
	"    \"api\",\n"
	"    \"auth\",\n"
	"    \"key\",\n"
	"    \"credential\",\n"
	"    \"creds\",\n"
	"    \"passwd\",\n"
	"    \"password\",\n"
	"    \"secret\",\n"
	"    \"token\",\n"
	"]\n"
	"tags = [\"generic\"]\n"
	"[[rules.allowlists]]\n"
	"regexTarget = \"match\"\n"
	"regexes = [\n"
	"    '''(?i)(?:access(?:ibility|or)|access[_.-]?id|random[_.-]?access|api[_.-]?(?:id|name|version)|rapid|capital|author|(?:credentials?[_.-]?id|withCredentials)|(?:bucket|foreign|hot|idx|natural|primary|pub(?:lic)?|schema|sequence)[_.-]?key|key[_.-]?(?:alias|board|code|frame|id|length|mesh|name|pair|press(?:ed)?|ring|selector|signature|size|stone|storetype|word|up|down|left|right)|(?:secret)[_.-]?(?:length|name|size)|(?:csrf)[_.-]?token|(?:token)[_.-]?(?:type|length|name))''',\n"
	"]\n"
	"[[rules.allowlists]]\n"
	"stopwords = [\n"
	"    \"000000\",\n"
	"    \"aaaaaa\",\n"
	"    \"abcdef\",\n"
	"    \"changeme\",\n"
	"    \"example\",\n"
	"    \"placeholder\",\n"
	"]\n"
	"\n"
	"[[rules]]\n"
	"id = \"github-pat\"\n"
	"description = \"Uncovered a GitHub Personal Access Token, potentially leading to unauthorized repository access and sensitive content exposure.\"\n"
	"regex = '''ghp_[0-9a-zA-Z]{36}'''\n"
	"entropy = 3\n"
	"keywords = [\"ghp_\"]\n"
	"\n"
	"[[rules]]\n"
	"id = \"private-key\"\n"
	"description = \"Identified a Private Key, which may compromise cryptographic security and sensitive data encryption.\"\n"
	"regex = '''(?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\\s\\S-]{64,}?KEY(?: BLOCK)?-----'''\n"
	"keywords = [\"-----begin\"]\n"
	"\n"
	"[[rules]]\n"
	"id = \"pkcs12-file\"\n"
	"description = \"Found a PKCS #12 file, which may contain bundled private keys and certificates.\"\n"
	"path = '''(?i)(?:^|\\/)[^\\/]+\\.p(?:12|fx)$'''\n"
	"\n"
	"[[rules]]\n"
	"id = \"slack-bot-token\"\n"
	"description = \"Identified a Slack Bot token, which may compromise bot integrations and communication channel security.\"\n"
	"regex = '''(xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*)'''\n"
	"keywords = [\"xoxb\"]\n"
	"[rules.allowlist]\n"
	"regexTarget = \"line\"\n"
	"regexes = ['''(?i)slack[_-]?example''']\n"
	"paths = ['''(?:^|/)docs/''']\n";

static size_t scan_count(const struct ls_ruleset *rs, const char *path,
			 const char *text, const char *id)
{
	struct ls_scan s;
	struct ls_scan_opts opts = { .threads = 1 };
	struct ls_worker *w;
	struct ls_item it;
	size_t n = 0;

	ls_scan_init(&s, rs, &opts);
	w = ls_worker_new(&s);
	memset(&it, 0, sizeof(it));
	it.path = (char *)path;
	ls_worker_scan_buffer(w, &it, text, strlen(text));
	for (size_t i = 0; i < s.findings.n; i++)
		n += !strcmp(s.findings.v[i]->rule->id, id);
	assert_int_equal(s.errors.n, 0);
	ls_worker_free(w);
	ls_scan_release(&s);
	return n;
}

static void test_gitleaks_config(void **state)
{
	static const char *const ids[] = {
		"aws-access-token", "generic-api-key", "github-pat",
		"private-key", "pkcs12-file", "slack-bot-token",
	};
	struct ls_diag d;
	struct ls_ruleset *rs = load_ok(gitleaks_config, &d);

	(void)state;
	if (d.n) {
		dump_diag(&d);
		fail_msg("a gitleaks config must load without any message");
	}
	assert_int_equal(rs->nrules, ARRAY_SIZE(ids));
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
		assert_non_null(ls_ruleset_find(rs, ids[i]));
	assert_int_equal(rs->nglobal, 1);
	assert_int_equal(rs->global[0].npaths, 4);
	assert_int_equal(ls_ruleset_find(rs, "generic-api-key")->secret_group,
			 1);
	assert_int_equal(ls_ruleset_find(rs, "generic-api-key")->generic, 1);
	assert_int_equal(ls_ruleset_find(rs, "generic-api-key")->allow[0].target,
			 LS_ALLOW_MATCH);
	assert_int_equal(ls_ruleset_compile(rs, &d), 0);
	assert_int_equal(d.n, 0);

	/* and it works */
	assert_int_equal(scan_count(rs, "src/aws.py",
				    "aws_id = 'AKIAQWERTYUIOPASDF23'\n",
				    "aws-access-token"), 1);
	assert_int_equal(scan_count(rs, "src/aws.py",
				    "aws_id = 'AKIAIOSFODNN7EXAMPLE'\n",
				    "aws-access-token"), 0);
	assert_int_equal(scan_count(rs, "node_modules/x/aws.py",
				    "aws_id = 'AKIAQWERTYUIOPASDF23'\n",
				    "aws-access-token"), 0);
	assert_int_equal(scan_count(rs, "app/config.env",
				    "DB_PASSWORD = \"q8Zr2LmW9xTv4Kp\"\n",
				    "generic-api-key"), 1);
	assert_int_equal(scan_count(rs, "app/config.env",
				    "DB_PASSWORD = \"changeme12345\"\n",
				    "generic-api-key"), 0);
	assert_int_equal(scan_count(rs, "certs/client.PFX", "",
				    "pkcs12-file"), 1);
	assert_int_equal(scan_count(rs, "app/slack.txt",
				    "bot: xoxb-1234567890-1234567890-AbCdEf\n",
				    "slack-bot-token"), 1);
	assert_int_equal(scan_count(rs, "docs/slack.md",
				    "bot: xoxb-1234567890-1234567890-AbCdEf\n",
				    "slack-bot-token"), 0);
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

/* ---- examples ---- */

static void on_fail(void *ud, const struct ls_rule *r,
		    const struct ls_example *e)
{
	size_t *n = ud;

	print_message("%s:%d: rule '%s': %s example failed\n", r->file,
		      e->line, r->id, e->positive ? "positive" : "negative");
	(*n)++;
}

/* The example runner itself: a failing example is counted. */
static void test_examples_runner(void **state)
{
	static const char doc[] =
		"[[rules]]\n"
		"id = 'tok'\n"
		"regex = '''tok_[0-9]{4}'''\n"
		"keywords = ['tok_']\n"
		"path = '''\\.env$'''\n"
		"  [rules.examples]\n"
		"  path = 'x.env'\n"
		"  positive = ['T=tok_1234', 'T=tok_12']\n"      /* 2nd fails */
		"  negative = ['T=tok_', 'T=tok_9999']\n";      /* 2nd fails */
	struct ls_diag d;
	struct ls_ruleset *rs = load_ok(doc, &d);
	size_t total = 0, called = 0;

	(void)state;
	ls_ruleset_compile(rs, &d);
	assert_int_equal(ls_examples_run(rs, on_fail, &called, &total), 2);
	assert_int_equal(total, 4);
	assert_int_equal(called, 2);
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

static void test_default_rules(void **state)
{
	struct ls_ruleset *rs = ls_ruleset_new();
	struct ls_diag d;
	size_t total = 0, fails, called = 0, nex = 0;

	(void)state;
	ls_diag_init(&d);
	if (ls_ruleset_load_defaults(rs, &d) || ls_diag_errors(&d)) {
		dump_diag(&d);
		fail_msg("the default rules have errors");
	}
	assert_true(rs->nrules > 0);
	assert_int_equal(ls_ruleset_compile(rs, &d), 0);
	assert_int_equal(ls_diag_errors(&d), 0);
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct ls_rule *r = rs->rules[i];
		/* style guide: every default rule carries examples */
		if (!r->nexamples)
			fail_msg("default rule '%s' has no examples", r->id);
		if (strncmp(r->file, "patterns/", 9))
			fail_msg("rule '%s' file '%s'", r->id, r->file);
		nex += r->nexamples;
	}
	fails = ls_examples_run(rs, on_fail, &called, &total);
	assert_int_equal(total, nex);
	assert_int_equal(called, fails);
	if (fails)
		fail_msg("%zu of %zu default-rule examples fail", fails, total);
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

/*
 * docs/rules.md, "Test code": every rule tagged generic reports in test
 * code only a value that looks generated.  A rule added to generic.toml (or
 * tagged generic elsewhere) but left out of that allowlist's targetRules
 * would report `password = "hunter2"`-like test values: session 19 found 35
 * such rules.  A plain value is allowed in tests/ for every generic rule,
 * and a generated-looking one is not (the allowlist, not some other
 * list, is what drops the first).
 */
static void test_generic_rules_soften_in_tests(void **state)
{
	struct ls_ruleset *rs = ls_ruleset_new();
	struct ls_diag d;
	pcre2_match_data *md;
	size_t ngeneric = 0;
	static const char plain[] = "opensesame42";
	static const char line_plain[] = "password = \"opensesame42\"";
	static const char generated[] = "Wq7RkP2mZt9TbL4vHx3N";
	static const char line_generated[] = "password = \"Wq7RkP2mZt9TbL4vHx3N\"";

	(void)state;
	ls_diag_init(&d);
	assert_int_equal(ls_ruleset_load_defaults(rs, &d), 0);
	assert_int_equal(ls_ruleset_compile(rs, &d), 0);
	md = pcre2_match_data_create(1, NULL);
	assert_non_null(md);
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct ls_rule *r = rs->rules[i];
		struct ls_allow_subject s = { 0 };

		if (!r->generic)
			continue;
		ngeneric++;
		s.secret = plain;
		s.secret_len = sizeof plain - 1;
		s.match = s.line = line_plain;
		s.match_len = s.line_len = sizeof line_plain - 1;
		s.path = "tests/accounts.conf";
		if (!ls_allowed(rs, r, &s, md, NULL))
			fail_msg("generic rule '%s' (%s) is not softened in test code: "
				 "add it to the test-code allowlist's targetRules in "
				 "patterns/generic.toml", r->id, r->file);
		s.secret = generated;
		s.secret_len = sizeof generated - 1;
		s.match = s.line = line_generated;
		s.match_len = s.line_len = sizeof line_generated - 1;
		if (ls_allowed(rs, r, &s, md, NULL))
			fail_msg("generic rule '%s' drops a generated-looking value "
				 "in test code", r->id);
	}
	assert_true(ngeneric > 50);
	pcre2_match_data_free(md);
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

/*
 * BUG (UBSan): compiling a rule set with no rules (a config holding only
 * allowlists, or one whose [extend] disabledRules removed every rule) calls
 * qsort(NULL, 0, ...) at load.c:785 (ls_ruleset_compile); glibc declares
 * qsort's base nonnull, so the sanitizer build aborts here.  Expected: an
 * empty rule set compiles and scans to no findings.
 */
static void test_compile_empty_ruleset(void **state)
{
	struct ls_diag d;
	struct ls_ruleset *rs = load_ok("[[allowlists]]\npaths = ['x']\n", &d);

	(void)state;
	assert_int_equal(rs->nrules, 0);
	assert_int_equal(ls_ruleset_compile(rs, &d), 0);
	assert_int_equal(ls_diag_errors(&d), 0);
	assert_int_equal(scan_count(rs, "f", "anything", "x"), 0);
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_documents),
		cmocka_unit_test(test_all_problems_reported),
		cmocka_unit_test(test_unknown_keys_are_warnings),
		cmocka_unit_test(test_compile_warns_about_keywordless_rules),
		cmocka_unit_test(test_rule_fields),
		cmocka_unit_test(test_rule_defaults),
		cmocka_unit_test(test_extend_disabled_rules),
		cmocka_unit_test(test_later_document_replaces_rule),
		cmocka_unit_test(test_allowlist_forms),
		cmocka_unit_test(test_gitleaks_config),
		cmocka_unit_test(test_examples_runner),
		cmocka_unit_test(test_default_rules),
		cmocka_unit_test(test_generic_rules_soften_in_tests),
		/* BUG: these fail until src/ is fixed (see the comments) */
		cmocka_unit_test(test_type_messages_use_right_article),
		cmocka_unit_test(test_compile_empty_ruleset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
