/*
 * test_toml.c - unit tests for the TOML parser (src/rules/toml.c).
 *
 * Every document is copied into a heap buffer of exactly its length, with
 * no NUL after it, so AddressSanitizer or valgrind catch any read past the
 * end.  Most tests are tables of documents and expected results.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/toml.h"
#include "util/err.h"
#include "util/xalloc.h"

/* ---- helpers ---- */

/* Parse `n` bytes of `doc` from an exact-size copy. */
static int parse_n(const char *doc, size_t n, struct ls_toml_value **out,
		   struct ls_err *err)
{
	char *copy = ls_xmalloc(n);
	int r;

	memcpy(copy, doc, n);
	ls_err_clear(err);
	r = ls_toml_parse(copy, n, "t.toml", out, err);
	free(copy);
	return r;
}

static struct ls_toml_value *parse_ok_n(const char *doc, size_t n)
{
	struct ls_toml_value *root = NULL;
	struct ls_err err;

	if (parse_n(doc, n, &root, &err))
		fail_msg("unexpected error %d:%d: %s\n--- document:\n%.*s",
			 err.line, err.column, err.msg, (int)n, doc);
	assert_non_null(root);
	assert_int_equal(root->type, LS_TOML_TABLE);
	return root;
}

static struct ls_toml_value *parse_ok(const char *doc)
{
	return parse_ok_n(doc, strlen(doc));
}

/* Expect an error at line:col whose message contains `msg`. */
static void expect_error_n(const char *doc, size_t n, int line, int col,
			   const char *msg)
{
	struct ls_toml_value *root = (struct ls_toml_value *)1;
	struct ls_err err;
	int r = parse_n(doc, n, &root, &err);

	if (r != LS_EINVAL || err.line != line || err.column != col ||
	    !strstr(err.msg, msg))
		fail_msg("document:\n%.*s\n--- want %d:%d: ...%s...\n"
			 "--- got  r=%d %d:%d: %s", (int)n, doc, line, col,
			 msg, r, err.line, err.column, err.msg);
	assert_null(root);
	assert_int_equal(err.code, LS_EINVAL);
	assert_string_equal(err.name, "t.toml");
	/* style: lowercase start, no final period */
	assert_true(err.msg[0] < 'A' || err.msg[0] > 'Z');
	assert_true(err.msg[strlen(err.msg) - 1] != '.');
}

static void expect_error(const char *doc, int line, int col, const char *msg)
{
	expect_error_n(doc, strlen(doc), line, col, msg);
}

/* Follow a dotted path of plain names (no array indexing). */
static const struct ls_toml_value *path(const struct ls_toml_value *t,
					const char *dotted)
{
	char *copy = ls_xstrdup(dotted), *part = copy, *dot;

	for (;;) {
		dot = strchr(part, '.');
		if (dot)
			*dot = '\0';
		t = ls_toml_get(t, part);
		if (!dot || !t)
			break;
		part = dot + 1;
	}
	free(copy);
	return t;
}

static const struct ls_toml_value *typed(const struct ls_toml_value *t,
					 const char *dotted,
					 enum ls_toml_type type)
{
	const struct ls_toml_value *v = path(t, dotted);

	if (!v)
		fail_msg("no value at '%s'", dotted);
	else if (v->type != type)   /* else: cmocka's _fail is not noreturn */
		fail_msg("'%s' is a %s, want %s", dotted,
			 ls_toml_type_name(v->type), ls_toml_type_name(type));
	return v;
}

static const char *str_at(const struct ls_toml_value *t, const char *dotted)
{
	return typed(t, dotted, LS_TOML_STRING)->u.str.ptr;
}

static long long int_at(const struct ls_toml_value *t, const char *dotted)
{
	return typed(t, dotted, LS_TOML_INTEGER)->u.integer;
}

static size_t arr_n(const struct ls_toml_value *t, const char *dotted)
{
	return typed(t, dotted, LS_TOML_ARRAY)->u.array.n;
}

static const struct ls_toml_value *item(const struct ls_toml_value *t,
					const char *dotted, size_t i)
{
	const struct ls_toml_value *a = typed(t, dotted, LS_TOML_ARRAY);

	assert_true(i < a->u.array.n);
	return a->u.array.items[i];
}

/* ---- empty documents ---- */

static void test_empty(void **state)
{
	static const char *docs[] = {
		"",
		"\n",
		"   \t \n\n\t\n",
		"# only a comment",
		"# one\n# two\n\n   # indented\n",
		"# crlf\r\n\r\n",
		"\xef\xbb\xbf",
		"\xef\xbb\xbf# byte order mark\n",
		"#\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 utf-8 in a comment\t\n",
	};
	struct ls_toml_value *root = NULL;
	struct ls_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		root = parse_ok(docs[i]);
		assert_int_equal(root->u.table.n, 0);
		ls_toml_free(root);
	}
	/* NULL text with length 0 is an empty document */
	ls_err_clear(&err);
	assert_int_equal(ls_toml_parse(NULL, 0, "x", &root, &err), 0);
	assert_int_equal(root->u.table.n, 0);
	ls_toml_free(root);
	ls_toml_free(NULL);
}

/* ---- strings ---- */

#define S(lit) lit, sizeof(lit) - 1

static const struct {
	const char *doc;
	const char *want;
	size_t len;
} string_cases[] = {
	{ "k = \"hello\"", S("hello") },
	{ "k = \"\"", S("") },
	{ "k = ''", S("") },
	{ "k = \"\\b\\t\\n\\f\\r\\\"\\\\\"", S("\b\t\n\f\r\"\\") },
	{ "k = \"\\u00e9\\u20AC\\U0001F600\"",
	  S("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80") },
	{ "k = \"\\u007f\\u0080\\uFFFF\\U0010FFFF\"",
	  S("\x7f\xc2\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf") },
	{ "k = \"a\\u0000b\"", S("a\0b") },
	{ "k = \"\\U00000000\"", S("\0") },
	{ "k = \"tab\there\"", S("tab\there") },
	{ "k = \"h\xc3\xa9llo \xe2\x82\xac\"", S("h\xc3\xa9llo \xe2\x82\xac") },
	{ "k = \"# not a comment\" # a comment", S("# not a comment") },
	{ "k = 'C:\\Users\\nodejs\\templates'",
	  S("C:\\Users\\nodejs\\templates") },
	{ "k = '<\\i\\c*\\s*>'", S("<\\i\\c*\\s*>") },
	{ "k = 'Tom \"Dubs\" Preston'", S("Tom \"Dubs\" Preston") },
	/* multi-line basic */
	{ "k = \"\"\"\nRoses are red\nViolets are blue\"\"\"",
	  S("Roses are red\nViolets are blue") },
	{ "k = \"\"\"\r\nRoses\r\nViolets\r\n\"\"\"", S("Roses\nViolets\n") },
	{ "k = \"\"\"one line\"\"\"", S("one line") },
	{ "k = \"\"\"\n\nkeeps the second newline\"\"\"",
	  S("\nkeeps the second newline") },
	{ "k = \"\"\"\nThe quick brown \\\n\n\n  fox jumps over \\\n"
	  "    the lazy dog.\"\"\"",
	  S("The quick brown fox jumps over the lazy dog.") },
	{ "k = \"\"\"\\\n       The quick brown \\\n       fox.\\\n"
	  "       \"\"\"", S("The quick brown fox.") },
	{ "k = \"\"\"a \\  \t \n   b\"\"\"", S("a b") },
	{ "k = \"\"\"a \\\r\n   b\"\"\"", S("a b") },
	{ "k = \"\"\"two quotes: \"\". ok\"\"\"", S("two quotes: \"\". ok") },
	{ "k = \"\"\"three quotes: \"\"\\\".\"\"\"",
	  S("three quotes: \"\"\".") },
	{ "k = \"\"\"\"This,\" she said, \"is pointless.\"\"\"\"",
	  S("\"This,\" she said, \"is pointless.\"") },
	{ "k = \"\"\"a\"\"\"\"\"", S("a\"\"") },
	{ "k = \"\"\"\"\"\"", S("") },
	{ "k = \"\"\"\\ttab\\u00e9\"\"\"", S("\ttab\xc3\xa9") },
	/* multi-line literal */
	{ "k = '''\nThe first newline is\ntrimmed in raw strings.\n'''",
	  S("The first newline is\ntrimmed in raw strings.\n") },
	{ "k = '''I [dw]on't need \\d{2} apples'''",
	  S("I [dw]on't need \\d{2} apples") },
	{ "k = ''''That,' she said, 'is still pointless.''''",
	  S("'That,' she said, 'is still pointless.'") },
	{ "k = '''a'''''", S("a''") },
	{ "k = ''''''", S("") },
	{ "k = '''\\n is not an escape \\'''", S("\\n is not an escape \\") },
	{ "k = '''crlf\r\nline'''", S("crlf\nline") },
};

static void test_strings(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(string_cases) / sizeof(string_cases[0]); i++) {
		struct ls_toml_value *root = parse_ok(string_cases[i].doc);
		const struct ls_toml_value *v =
			typed(root, "k", LS_TOML_STRING);

		if (v->u.str.len != string_cases[i].len ||
		    memcmp(v->u.str.ptr, string_cases[i].want,
			   string_cases[i].len))
			fail_msg("case %zu: %s\n got %zu bytes '%s'", i,
				 string_cases[i].doc, v->u.str.len,
				 v->u.str.ptr);
		assert_int_equal(v->u.str.ptr[v->u.str.len], '\0');
		ls_toml_free(root);
	}
}

static void test_string_with_nul(void **state)
{
	struct ls_toml_value *root;
	const struct ls_toml_value *v;

	(void)state;
	root = parse_ok("k = \"\\u0000\"\nl = \"x\\u0000y\\u0000\"");
	v = typed(root, "k", LS_TOML_STRING);
	assert_int_equal(v->u.str.len, 1);
	assert_int_equal(v->u.str.ptr[0], '\0');
	v = typed(root, "l", LS_TOML_STRING);
	assert_int_equal(v->u.str.len, 4);
	assert_memory_equal(v->u.str.ptr, "x\0y\0", 5);
	ls_toml_free(root);

	/* a raw NUL byte is a control character, in strings and comments */
	expect_error_n("k = \"a\0b\"", 9, 1, 7, "control character U+0000");
	expect_error_n("k = 1 # \0", 9, 1, 9, "control character U+0000");
	expect_error_n("k = '\0'", 7, 1, 6, "control character U+0000");
}

/* ---- integers, floats, booleans ---- */

static const struct {
	const char *text;
	long long want;
} int_cases[] = {
	{ "+99", 99 },
	{ "42", 42 },
	{ "0", 0 },
	{ "-17", -17 },
	{ "-0", 0 },
	{ "+0", 0 },
	{ "1_000", 1000 },
	{ "5_349_221", 5349221 },
	{ "53_49_221", 5349221 },
	{ "1_2_3_4_5", 12345 },
	{ "0xDEADBEEF", 0xDEADBEEFLL },
	{ "0xdeadbeef", 0xDEADBEEFLL },
	{ "0xdead_beef", 0xDEADBEEFLL },
	{ "0x00ff", 255 },
	{ "0o01234567", 01234567 },
	{ "0o755", 0755 },
	{ "0b11010110", 214 },
	{ "0b1_0", 2 },
	{ "9223372036854775807", 9223372036854775807LL },
	{ "-9223372036854775808", -9223372036854775807LL - 1 },
	{ "0x7FFFFFFFFFFFFFFF", 9223372036854775807LL },
	{ "0o777777777777777777777", 9223372036854775807LL },
	{ "0b111111111111111111111111111111111111111111111111111111111111111",
	  9223372036854775807LL },
};

static void test_integers(void **state)
{
	char doc[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(int_cases) / sizeof(int_cases[0]); i++) {
		struct ls_toml_value *root;

		snprintf(doc, sizeof(doc), "v = %s\n", int_cases[i].text);
		root = parse_ok(doc);
		if (int_at(root, "v") != int_cases[i].want)
			fail_msg("%s: got %lld", int_cases[i].text,
				 int_at(root, "v"));
		ls_toml_free(root);
	}
}

static const struct {
	const char *text;
	double want;
} float_cases[] = {
	{ "+1.0", 1.0 },
	{ "3.1415", 3.1415 },
	{ "-0.01", -0.01 },
	{ "5e+22", 5e+22 },
	{ "1e06", 1e06 },
	{ "-2E-2", -2E-2 },
	{ "6.626e-34", 6.626e-34 },
	{ "224_617.445_991_228", 224617.445991228 },
	{ "1e1_0", 1e10 },
	{ "0.0", 0.0 },
	{ "0e0", 0.0 },
	{ "+0.0", 0.0 },
	{ "3.0e0_1", 30.0 },
	{ "1.7976931348623157e308", 1.7976931348623157e308 },
	{ "1e-400", 0.0 },
};

static void test_floats(void **state)
{
	struct ls_toml_value *root;
	char doc[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(float_cases) / sizeof(float_cases[0]); i++) {
		const struct ls_toml_value *v;

		snprintf(doc, sizeof(doc), "v = %s\n", float_cases[i].text);
		root = parse_ok(doc);
		v = typed(root, "v", LS_TOML_FLOAT);
		if (v->u.flt != float_cases[i].want)
			fail_msg("%s: got %.17g", float_cases[i].text,
				 v->u.flt);
		ls_toml_free(root);
	}

	root = parse_ok("a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\n"
			"f = -nan\ng = -0.0\n");
	assert_true(isinf(typed(root, "a", LS_TOML_FLOAT)->u.flt));
	assert_true(typed(root, "a", LS_TOML_FLOAT)->u.flt > 0);
	assert_true(typed(root, "b", LS_TOML_FLOAT)->u.flt > 0);
	assert_true(isinf(typed(root, "c", LS_TOML_FLOAT)->u.flt));
	assert_true(typed(root, "c", LS_TOML_FLOAT)->u.flt < 0);
	assert_true(isnan(typed(root, "d", LS_TOML_FLOAT)->u.flt));
	assert_true(isnan(typed(root, "e", LS_TOML_FLOAT)->u.flt));
	assert_true(isnan(typed(root, "f", LS_TOML_FLOAT)->u.flt));
	assert_true(signbit(typed(root, "g", LS_TOML_FLOAT)->u.flt));
	ls_toml_free(root);
}

static void test_booleans(void **state)
{
	struct ls_toml_value *root;

	(void)state;
	root = parse_ok("t = true\nf = false # comment\narr = [true,false]");
	assert_int_equal(typed(root, "t", LS_TOML_BOOL)->u.boolean, 1);
	assert_int_equal(typed(root, "f", LS_TOML_BOOL)->u.boolean, 0);
	assert_int_equal(item(root, "arr", 0)->u.boolean, 1);
	assert_int_equal(item(root, "arr", 1)->u.boolean, 0);
	ls_toml_free(root);
}

/* ---- arrays and inline tables ---- */

static void test_arrays(void **state)
{
	struct ls_toml_value *root;
	const struct ls_toml_value *v;

	(void)state;
	root = parse_ok(
		"integers = [ 1, 2, 3 ]\n"
		"colors = [ \"red\", 'yellow', \"\"\"green\"\"\" ]\n"
		"nested = [ [ 1, 2 ], [3, 4, 5] ]\n"
		"mixed = [ 0.5, \"x\", true, [1], { k = 1 }, -7 ]\n"
		"multi = [\n"
		"  1,  # first\n"
		"  2, # second, with a trailing comma\n"
		"]\n"
		"empty = []\n"
		"empty2 = [ # only a comment\n"
		"\n"
		"]\n"
		"strings = [ \"all\", 'strings', \"\"\"are the same\"\"\", "
		"'''type''' ]\n"
		"tables = [ { x = 1, y = 2 }, { x = 3 } ]\n");
	assert_int_equal(arr_n(root, "integers"), 3);
	assert_int_equal(item(root, "integers", 2)->u.integer, 3);
	assert_int_equal(arr_n(root, "colors"), 3);
	assert_string_equal(item(root, "colors", 1)->u.str.ptr, "yellow");
	assert_string_equal(item(root, "colors", 2)->u.str.ptr, "green");
	v = item(root, "nested", 1);
	assert_int_equal(v->type, LS_TOML_ARRAY);
	assert_int_equal(v->u.array.n, 3);
	assert_int_equal(v->u.array.items[2]->u.integer, 5);
	assert_int_equal(arr_n(root, "mixed"), 6);
	assert_int_equal(item(root, "mixed", 0)->type, LS_TOML_FLOAT);
	assert_int_equal(item(root, "mixed", 1)->type, LS_TOML_STRING);
	assert_int_equal(item(root, "mixed", 2)->type, LS_TOML_BOOL);
	assert_int_equal(item(root, "mixed", 3)->type, LS_TOML_ARRAY);
	assert_int_equal(item(root, "mixed", 4)->type, LS_TOML_TABLE);
	assert_int_equal(int_at(item(root, "mixed", 4), "k"), 1);
	assert_int_equal(item(root, "mixed", 5)->u.integer, -7);
	assert_int_equal(arr_n(root, "multi"), 2);
	assert_int_equal(arr_n(root, "empty"), 0);
	assert_int_equal(arr_n(root, "empty2"), 0);
	assert_int_equal(arr_n(root, "strings"), 4);
	assert_int_equal(arr_n(root, "tables"), 2);
	assert_int_equal(int_at(item(root, "tables", 0), "y"), 2);
	assert_int_equal(int_at(item(root, "tables", 1), "x"), 3);
	assert_null(ls_toml_get(item(root, "tables", 1), "y"));
	ls_toml_free(root);
}

static void test_inline_tables(void **state)
{
	struct ls_toml_value *root;
	const struct ls_toml_value *v;

	(void)state;
	root = parse_ok(
		"name = { first = \"Tom\", last = \"Preston-Werner\" }\n"
		"point = {x=1,y=2}\n"
		"animal = { type.name = \"pug\", type.size = 'small' }\n"
		"deep = { a = { b = { c = 1 } } }\n"
		"empty = {}\n"
		"spaced = {   }\n"
		"arr = { list = [ 1,\n 2 ] }\n");
	v = typed(root, "name", LS_TOML_TABLE);
	assert_int_equal(v->u.table.n, 2);
	assert_string_equal(v->u.table.kv[0].key, "first");
	assert_string_equal(v->u.table.kv[1].key, "last");
	assert_string_equal(str_at(root, "name.last"), "Preston-Werner");
	assert_int_equal(int_at(root, "point.y"), 2);
	assert_string_equal(str_at(root, "animal.type.name"), "pug");
	assert_string_equal(str_at(root, "animal.type.size"), "small");
	assert_int_equal(typed(root, "animal", LS_TOML_TABLE)->u.table.n, 1);
	assert_int_equal(int_at(root, "deep.a.b.c"), 1);
	assert_int_equal(typed(root, "empty", LS_TOML_TABLE)->u.table.n, 0);
	assert_int_equal(typed(root, "spaced", LS_TOML_TABLE)->u.table.n, 0);
	assert_int_equal(arr_n(root, "arr.list"), 2);
	ls_toml_free(root);
}

/* ---- keys and tables ---- */

static void test_keys(void **state)
{
	struct ls_toml_value *root;
	const struct ls_toml_value *v;

	(void)state;
	root = parse_ok(
		"key = 1\n"
		"bare_key = 2\n"
		"bare-key = 3\n"
		"1234 = 4\n"
		"\"127.0.0.1\" = 5\n"
		"\"character encoding\" = 6\n"
		"\"\xca\x8e\xc7\x9d\xca\x9e\" = 7\n"
		"'key2' = 8\n"
		"'quoted \"value\"' = 9\n"
		"\"\" = 10\n"
		"\"esc\\u0041\\t\" = 11\n"
		"3.14159 = \"pi\"\n"
		"physical.color = \"orange\"\n"
		"physical.shape = \"round\"\n"
		"site.\"google.com\" = true\n"
		"fruit . flavor = \"banana\"\n"
		"fruit.\t'name' = \"x\"\n"
		"a.b.c.d = 1\n"
		"a.b.e = 2\n"
		"a.x = 3\n");
	assert_int_equal(int_at(root, "key"), 1);
	assert_int_equal(int_at(root, "bare_key"), 2);
	assert_int_equal(int_at(root, "bare-key"), 3);
	assert_int_equal(int_at(root, "1234"), 4);
	assert_int_equal(ls_toml_get(root, "127.0.0.1")->u.integer, 5);
	assert_int_equal(ls_toml_get(root, "character encoding")->u.integer, 6);
	assert_int_equal(ls_toml_get(root, "\xca\x8e\xc7\x9d\xca\x9e")
			 ->u.integer, 7);
	assert_int_equal(int_at(root, "key2"), 8);
	assert_int_equal(ls_toml_get(root, "quoted \"value\"")->u.integer, 9);
	assert_int_equal(ls_toml_get(root, "")->u.integer, 10);
	assert_int_equal(ls_toml_get(root, "escA\t")->u.integer, 11);
	assert_string_equal(str_at(root, "3.14159"), "pi");
	assert_string_equal(str_at(root, "physical.color"), "orange");
	assert_string_equal(str_at(root, "physical.shape"), "round");
	v = typed(root, "site", LS_TOML_TABLE);
	assert_int_equal(ls_toml_get(v, "google.com")->u.boolean, 1);
	assert_string_equal(str_at(root, "fruit.flavor"), "banana");
	assert_string_equal(str_at(root, "fruit.name"), "x");
	assert_int_equal(int_at(root, "a.b.c.d"), 1);
	assert_int_equal(int_at(root, "a.b.e"), 2);
	assert_int_equal(int_at(root, "a.x"), 3);
	/* document order is kept */
	v = typed(root, "a.b", LS_TOML_TABLE);
	assert_int_equal(v->u.table.n, 2);
	assert_string_equal(v->u.table.kv[0].key, "c");
	assert_string_equal(v->u.table.kv[1].key, "e");
	ls_toml_free(root);
}

static void test_tables(void **state)
{
	struct ls_toml_value *root;
	const struct ls_toml_value *v;

	(void)state;
	root = parse_ok(
		"top = 0\n"
		"[table-1]\n"
		"key1 = \"some string\"\n"
		"key2 = 123\n"
		"\n"
		"[dog.\"tater.man\"]\n"
		"type.name = \"pug\"\n"
		"\n"
		"[ j . \"\xca\x9e\" . 'l' ]  # spaces and a comment\n"
		"k = 1\n"
		"[x.y.z.w] # implicit x, x.y and x.y.z\n"
		"[x] # defining a super-table afterwards is fine\n"
		"q = 1\n"
		"[fruit]\n"
		"apple.color = \"red\"\n"
		"apple.taste.sweet = true\n"
		"[fruit.apple.texture] # sub-table of a dotted table\n"
		"smooth = true\n"
		"[animal]\n"
		"[fruit.orange] # out of order\n"
		"juicy = 1\n"
		"[empty]\n");
	assert_int_equal(int_at(root, "top"), 0);
	assert_string_equal(str_at(root, "table-1.key1"), "some string");
	assert_int_equal(int_at(root, "table-1.key2"), 123);
	v = typed(root, "dog", LS_TOML_TABLE);
	v = ls_toml_get(v, "tater.man");
	assert_non_null(v);
	assert_string_equal(str_at(v, "type.name"), "pug");
	assert_int_equal(int_at(root, "j.\xca\x9e.l.k"), 1);
	assert_int_equal(typed(root, "x.y.z.w", LS_TOML_TABLE)->u.table.n, 0);
	assert_int_equal(int_at(root, "x.q"), 1);
	assert_int_equal(typed(root, "x", LS_TOML_TABLE)->line, 12);
	assert_string_equal(str_at(root, "fruit.apple.color"), "red");
	assert_int_equal(typed(root, "fruit.apple.taste.sweet",
			       LS_TOML_BOOL)->u.boolean, 1);
	assert_int_equal(typed(root, "fruit.apple.texture.smooth",
			       LS_TOML_BOOL)->u.boolean, 1);
	assert_int_equal(int_at(root, "fruit.orange.juicy"), 1);
	assert_int_equal(typed(root, "animal", LS_TOML_TABLE)->u.table.n, 0);
	assert_int_equal(typed(root, "empty", LS_TOML_TABLE)->u.table.n, 0);
	/* root order: top table-1 dog j x fruit animal empty */
	assert_int_equal(root->u.table.n, 8);
	assert_string_equal(root->u.table.kv[5].key, "fruit");
	ls_toml_free(root);
}

static void test_array_of_tables(void **state)
{
	struct ls_toml_value *root;
	const struct ls_toml_value *r0, *r1, *a;

	(void)state;
	root = parse_ok(
		"title = \"rules\"\n"                   /* 1 */
		"[[rules]]\n"                           /* 2 */
		"id = \"first\"\n"                      /* 3 */
		"[rules.examples]\n"                    /* 4 */
		"positive = [\"x\"]\n"                  /* 5 */
		"[[rules.allowlists]]\n"                /* 6 */
		"regexes = ['''a''']\n"                 /* 7 */
		"[[rules.allowlists]]\n"                /* 8 */
		"paths = ['''b''']\n"                   /* 9 */
		"[rules.allowlists.extra]\n"            /* 10 */
		"k = 1\n"                               /* 11 */
		"[[rules]]\n"                           /* 12 */
		"id = \"second\"\n"                     /* 13 */
		"[[rules.allowlists]]\n"                /* 14 */
		"stopwords = [\"c\"]\n"                 /* 15 */
		"[rules.examples] # new rule, new table\n" /* 16 */
		"negative = []\n"                       /* 17 */
		"[[rules]]\n"                           /* 18 */
		"[allowlist]\n"                         /* 19 */
		"paths = []\n");                        /* 20 */
	assert_string_equal(str_at(root, "title"), "rules");
	assert_int_equal(arr_n(root, "rules"), 3);
	r0 = item(root, "rules", 0);
	r1 = item(root, "rules", 1);
	assert_int_equal(r0->type, LS_TOML_TABLE);
	assert_int_equal(r0->line, 2);
	assert_int_equal(r0->column, 1);
	assert_int_equal(r1->line, 12);
	assert_string_equal(str_at(r0, "id"), "first");
	assert_int_equal(r0->u.table.n, 3);     /* id examples allowlists */
	assert_int_equal(arr_n(r0, "examples.positive"), 1);
	assert_int_equal(arr_n(r0, "allowlists"), 2);
	a = item(r0, "allowlists", 0);
	assert_string_equal(a->u.table.kv[0].key, "regexes");
	assert_int_equal(a->u.table.n, 1);
	a = item(r0, "allowlists", 1);
	assert_string_equal(item(a, "paths", 0)->u.str.ptr, "b");
	assert_int_equal(int_at(a, "extra.k"), 1);
	assert_int_equal(a->line, 8);

	assert_string_equal(str_at(r1, "id"), "second");
	assert_int_equal(arr_n(r1, "allowlists"), 1);
	assert_string_equal(item(item(r1, "allowlists", 0), "stopwords", 0)
			    ->u.str.ptr, "c");
	assert_int_equal(arr_n(r1, "examples.negative"), 0);
	assert_null(ls_toml_get(r1, "paths"));
	assert_int_equal(item(root, "rules", 2)->u.table.n, 0);
	assert_int_equal(arr_n(root, "allowlist.paths"), 0);
	ls_toml_free(root);

	/* the spec's example */
	root = parse_ok(
		"[[fruits]]\n"
		"name = \"apple\"\n"
		"[fruits.physical]  # subtable\n"
		"color = \"red\"\n"
		"shape = \"round\"\n"
		"[[fruits.varieties]]  # nested array of tables\n"
		"name = \"red delicious\"\n"
		"[[fruits.varieties]]\n"
		"name = \"granny smith\"\n"
		"[[fruits]]\n"
		"name = \"banana\"\n"
		"[[fruits.varieties]]\n"
		"name = \"plantain\"\n");
	assert_int_equal(arr_n(root, "fruits"), 2);
	r0 = item(root, "fruits", 0);
	assert_string_equal(str_at(r0, "physical.color"), "red");
	assert_int_equal(arr_n(r0, "varieties"), 2);
	assert_string_equal(str_at(item(r0, "varieties", 1), "name"),
			    "granny smith");
	r1 = item(root, "fruits", 1);
	assert_null(ls_toml_get(r1, "physical"));
	assert_string_equal(str_at(item(r1, "varieties", 0), "name"),
			    "plantain");
	ls_toml_free(root);

	/* [[x.y]] creating x implicitly, and a dotted table as parent */
	root = parse_ok("a.b = 1\n[[a.list]]\nn = 1\n[[a.list]]\nn = 2\n"
			"[[p.q]]\n[p]\nr = 1\n");
	assert_int_equal(int_at(root, "a.b"), 1);
	assert_int_equal(arr_n(root, "a.list"), 2);
	assert_int_equal(int_at(item(root, "a.list", 1), "n"), 2);
	assert_int_equal(arr_n(root, "p.q"), 1);
	assert_int_equal(int_at(root, "p.r"), 1);
	ls_toml_free(root);
}

/* ---- a realistic rule file ---- */

static const char gitleaks_doc[] =
	"# gitleaks-style configuration\n"
	"title = \"gitleaks config\"\n"
	"\n"
	"[extend]\n"
	"useDefault = false\n"
	"\n"
	"[allowlist]\n"
	"description = \"global allow list\"\n"
	"paths = [\n"
	"  '''gitleaks\\.toml''',\n"
	"  '''(.*?)(jpg|gif|doc|pdf|bin)$''',\n"
	"]\n"
	"\n"
	"[[rules]]\n"
	"id = \"aws-access-token\"\n"
	"description = \"Identified a pattern that may indicate AWS "
	"credentials\"\n"
	"regex = '''(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}'''\n"
	"keywords = [\"akia\", \"asia\"]\n"
	"entropy = 3.0\n"
	"\n"
	"[[rules]]\n"
	"id = \"generic-api-key\"\n"
	"regex = '''(?i)[\\w.-]{0,50}?(?:access|auth|(?-i:[Aa]pi|API))"
	"(?:[ \\t\\w.-]{0,20})[\\s'\"]{0,3}(?:=|>|:{1,3}=|\\|\\||:|=>|\\?=|,)"
	"[\\x60'\"\\s=]{0,5}([\\w.=-]{10,150})"
	"(?:[\\x60'\"\\s;]|\\\\[nr]|$)'''\n"
	"secretGroup = 1\n"
	"keywords = [\"access\", \"api\", \"auth\"]\n"
	"tags = []\n"
	"[rules.examples]\n"
	"positive = [\"api_key = \\\"abcdefghij0123456789\\\"\"]\n"
	"negative = ['''api_key = \"${API_KEY}\"''']\n"
	"[[rules.allowlists]]\n"
	"description = 'ignore identifiers'\n"
	"condition = \"AND\"\n"
	"regexTarget = \"line\"\n"
	"regexes = [\n"
	"    '''^[a-zA-Z_.-]+$''',  # identifiers\n"
	"    '''\"\"''', # two quotes\n"
	"]\n"
	"stopwords = [\n"
	"  \"000000\",\n"
	"  \"example\",\n"
	"]\n"
	"[[rules.allowlists]]\n"
	"paths = ['''(^|/)test(s)?/''']\n"
	"\n"
	"[[rules]]\n"
	"id = \"private-key\"\n"
	"regex = '''(?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY"
	"(?: BLOCK)?-----[\\s\\S-]{64,}?KEY(?: BLOCK)?-----'''\n"
	"keywords = [\"-----BEGIN\"]\n"
	"multiline = \"\"\"\n"
	"first line\\n\\\n"
	"  second\"\"\"\n";

static void check_gitleaks(const struct ls_toml_value *root)
{
	const struct ls_toml_value *r, *al;

	assert_string_equal(str_at(root, "title"), "gitleaks config");
	assert_int_equal(typed(root, "extend.useDefault", LS_TOML_BOOL)
			 ->u.boolean, 0);
	assert_int_equal(arr_n(root, "allowlist.paths"), 2);
	assert_string_equal(item(root, "allowlist.paths", 0)->u.str.ptr,
			    "gitleaks\\.toml");
	assert_string_equal(item(root, "allowlist.paths", 1)->u.str.ptr,
			    "(.*?)(jpg|gif|doc|pdf|bin)$");
	assert_int_equal(arr_n(root, "rules"), 3);

	r = item(root, "rules", 0);
	assert_string_equal(str_at(r, "id"), "aws-access-token");
	assert_string_equal(str_at(r, "regex"),
			    "(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}");
	assert_true(typed(r, "entropy", LS_TOML_FLOAT)->u.flt == 3.0);
	assert_int_equal(arr_n(r, "keywords"), 2);
	assert_null(ls_toml_get(r, "allowlists"));

	r = item(root, "rules", 1);
	assert_string_equal(str_at(r, "regex"),
		"(?i)[\\w.-]{0,50}?(?:access|auth|(?-i:[Aa]pi|API))"
		"(?:[ \\t\\w.-]{0,20})[\\s'\"]{0,3}(?:=|>|:{1,3}=|\\|\\||:|=>|"
		"\\?=|,)[\\x60'\"\\s=]{0,5}([\\w.=-]{10,150})"
		"(?:[\\x60'\"\\s;]|\\\\[nr]|$)");
	assert_int_equal(int_at(r, "secretGroup"), 1);
	assert_int_equal(arr_n(r, "tags"), 0);
	assert_string_equal(item(r, "examples.positive", 0)->u.str.ptr,
			    "api_key = \"abcdefghij0123456789\"");
	assert_string_equal(item(r, "examples.negative", 0)->u.str.ptr,
			    "api_key = \"${API_KEY}\"");
	assert_int_equal(arr_n(r, "allowlists"), 2);
	al = item(r, "allowlists", 0);
	assert_string_equal(str_at(al, "condition"), "AND");
	assert_int_equal(arr_n(al, "regexes"), 2);
	assert_string_equal(item(al, "regexes", 0)->u.str.ptr,
			    "^[a-zA-Z_.-]+$");
	assert_string_equal(item(al, "regexes", 1)->u.str.ptr, "\"\"");
	assert_int_equal(arr_n(al, "stopwords"), 2);
	al = item(r, "allowlists", 1);
	assert_string_equal(item(al, "paths", 0)->u.str.ptr,
			    "(^|/)test(s)?/");

	r = item(root, "rules", 2);
	assert_string_equal(str_at(r, "regex"),
		"(?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----"
		"[\\s\\S-]{64,}?KEY(?: BLOCK)?-----");
	assert_string_equal(str_at(r, "multiline"), "first line\nsecond");
}

static void test_gitleaks_file(void **state)
{
	struct ls_toml_value *root;

	(void)state;
	root = parse_ok(gitleaks_doc);
	check_gitleaks(root);
	ls_toml_free(root);
}

/* The same file with CRLF line endings parses to the same tree. */
static void test_crlf(void **state)
{
	size_t n = sizeof(gitleaks_doc) - 1, i, o = 0;
	char *crlf = ls_xmalloc(2 * n);
	struct ls_toml_value *root;

	(void)state;
	for (i = 0; i < n; i++) {
		if (gitleaks_doc[i] == '\n')
			crlf[o++] = '\r';
		crlf[o++] = gitleaks_doc[i];
	}
	root = parse_ok_n(crlf, o);
	check_gitleaks(root);
	ls_toml_free(root);
	free(crlf);

	root = parse_ok("a = 1\r\n[t]\r\nb = [\r\n 1, # c\r\n 2\r\n]\r\n"
			"s = '''\r\nx\r\n'''\r\n");
	assert_int_equal(int_at(root, "a"), 1);
	assert_int_equal(arr_n(root, "t.b"), 2);
	assert_string_equal(str_at(root, "t.s"), "x\n");
	assert_int_equal(typed(root, "t.s", LS_TOML_STRING)->line, 7);
	ls_toml_free(root);
}

/* ---- positions of values ---- */

static void test_positions(void **state)
{
	struct ls_toml_value *root;
	const struct ls_toml_value *v;

	(void)state;
	root = parse_ok(
		"a = 1\n"
		"  b   =   \"x\"\n"
		"\"\xc3\xa9\xc3\xa9\" = 'after two 2-byte chars'\n"
		"arr = [\n"
		"  10,\n"
		"    { k = 2 } ]\n"
		"[t.u]\n"
		"dotted.key = true\n");
	v = typed(root, "a", LS_TOML_INTEGER);
	assert_int_equal(v->line, 1);
	assert_int_equal(v->column, 5);
	v = typed(root, "b", LS_TOML_STRING);
	assert_int_equal(v->line, 2);
	assert_int_equal(v->column, 11);
	v = ls_toml_get(root, "\xc3\xa9\xc3\xa9");
	assert_non_null(v);
	assert_int_equal(v->line, 3);
	assert_int_equal(v->column, 8);         /* columns count characters */
	v = item(root, "arr", 0);
	assert_int_equal(v->line, 5);
	assert_int_equal(v->column, 3);
	v = item(root, "arr", 1);
	assert_int_equal(v->line, 6);
	assert_int_equal(v->column, 5);
	v = typed(v, "k", LS_TOML_INTEGER);
	assert_int_equal(v->line, 6);
	assert_int_equal(v->column, 11);
	v = typed(root, "t", LS_TOML_TABLE);    /* made by the header */
	assert_int_equal(v->line, 7);
	assert_int_equal(v->column, 1);
	v = typed(root, "t.u.dotted", LS_TOML_TABLE);
	assert_int_equal(v->line, 8);
	assert_int_equal(v->column, 1);
	v = typed(root, "t.u.dotted.key", LS_TOML_BOOL);
	assert_int_equal(v->line, 8);
	assert_int_equal(v->column, 14);
	ls_toml_free(root);
}

/* ---- invalid documents ---- */

static const struct {
	const char *doc;
	int line, col;
	const char *msg;
} invalid_cases[] = {
	/* keys and structure */
	{ "a = 1\na = 2\n", 2, 1, "duplicate key 'a'" },
	{ "a.b = 1\na.b = 2\n", 2, 3, "duplicate key 'a.b'" },
	{ "a 1", 1, 3, "expected '=' after key" },
	{ "a\n= 1", 1, 2, "expected '=' after key" },
	{ "a$b = 1", 1, 2, "expected '=' after key" },
	{ "= 1", 1, 1, "expected a key" },
	{ "a. = 1", 1, 4, "expected a key" },
	{ "\"\"\"k\"\"\" = 1", 1, 1, "multi-line string cannot be a key" },
	{ "\"a\\u0000b\" = 1", 1, 1, "key contains a NUL character" },
	{ "a = 1 b = 2", 1, 7, "expected newline after value" },
	{ "a = \"x\" \"y\"", 1, 9, "expected newline after value" },
	{ "a = \n", 1, 5, "expected a value" },
	{ "a =", 1, 4, "expected a value" },
	{ "a = hello", 1, 5, "invalid value 'hello'" },
	{ "a = truee", 1, 5, "invalid value 'truee'" },
	{ "a = 1\rb = 2", 1, 6, "bare carriage return" },
	{ "\xef\xbb\xbf= 1", 1, 1, "expected a key" },
	/* tables */
	{ "[a]\nx = 1\n[a]\n", 3, 2, "table 'a' already defined" },
	{ "[a]\n[a.b]\n[ a . b ]\n", 3, 7, "table 'a.b' already defined" },
	{ "[a.b.c]\nz = 9\n[a]\nb.c.t = 1", 4, 3,
	  "table 'b.c' already defined" },
	{ "[fruit]\napple.color = 'red'\n[fruit.apple]", 3, 8,
	  "table 'fruit.apple' already defined" },
	{ "a.b = 1\n[a]", 2, 2, "table 'a' already defined" },
	{ "a = {}\n[a]", 2, 2, "table 'a' already defined" },
	{ "a = {b = 1} # c\n[a.c]", 2, 2, "cannot extend inline table 'a'" },
	{ "a = {b = 1}\na.c = 2", 2, 1, "cannot extend inline table 'a'" },
	{ "a = {b = {c = 1}, b.d = 2}", 1, 19,
	  "cannot extend inline table 'b'" },
	{ "a = [{}]\n[[a]]", 2, 3, "cannot append to static array 'a'" },
	{ "a = [1]\n[a.b]", 2, 2, "cannot extend static array 'a'" },
	{ "[[a]]\n[a]", 2, 2, "table 'a' already defined as an array" },
	{ "[a]\n[[a]]", 2, 3, "table 'a' already defined" },
	{ "a = 1\n[a]", 2, 2, "key 'a' already defined" },
	{ "a = 1\n[[a]]", 2, 3, "key 'a' already defined" },
	{ "a = 1\na.b = 2", 2, 1, "key 'a' is an integer, not a table" },
	{ "a = 's'\n[a.b]", 2, 2, "key 'a' is a string, not a table" },
	{ "[[x]]\n[x.\"y z\".w]\n[x]", 3, 2,
	  "table 'x' already defined as an array" },
	{ "[[a]]\nb = 1\nb = 2", 3, 1, "duplicate key 'b'" },
	{ "[t]\nk = 1\n[[t.k]]", 3, 5, "key 't.k' already defined" },
	{ "[a", 1, 3, "expected ']' after table name" },
	{ "[a b]", 1, 4, "expected ']' after table name" },
	{ "[[a]", 1, 4, "expected ']]' after array of tables name" },
	{ "[[a] ]", 1, 4, "expected ']]' after array of tables name" },
	{ "[ [a] ]", 1, 3, "expected a key" },
	{ "[]", 1, 2, "expected a key" },
	{ "[a] b = 1", 1, 5, "expected newline after table header" },
	{ "[a]]", 1, 4, "expected newline after table header" },
	/* strings */
	{ "a = \"abc\n", 1, 5, "unterminated string" },
	{ "a = \"abc", 1, 5, "unterminated string" },
	{ "a = \"abc\\", 1, 5, "unterminated string" },
	{ "a = 'abc\ndef'", 1, 5, "unterminated string" },
	{ "\n\na = '''abc\n\n", 3, 5, "unterminated string" },
	{ "a = \"\"\"abc\"\"", 1, 5, "unterminated string" },
	{ "a = \"\\q\"", 1, 6, "invalid escape '\\q'" },
	{ "a = \"\\e\"", 1, 6, "invalid escape '\\e'" },
	{ "a = \"\\x41\"", 1, 6, "invalid escape '\\x'" },
	{ "a = \"abc\\ \n\"", 1, 9, "invalid escape '\\ '" },
	{ "a = \"\"\"abc\\ def\"\"\"", 1, 11, "invalid escape '\\ '" },
	{ "x = 1\ny = 2\n\n  z = \"ok\"\n  w = \"bad\\x\"\n", 5, 11,
	  "invalid escape '\\x'" },
	{ "k = \"\xc3\xa9\\q\"", 1, 7, "invalid escape '\\q'" },
	{ "a = \"\\uD800\"", 1, 6, "invalid unicode escape" },
	{ "a = \"\\U00110000\"", 1, 6, "invalid unicode escape" },
	{ "a = \"\\u12\"", 1, 6, "invalid unicode escape" },
	{ "a = \"\\u12G4\"", 1, 6, "invalid unicode escape" },
	{ "a = \"\x01\"", 1, 6, "control character U+0001 in string" },
	{ "a = \"\x7f\"", 1, 6, "control character U+007F in string" },
	{ "a = '''\x1b'''", 1, 8, "control character U+001B in string" },
	{ "a = \"\"\"x\ry\"\"\"", 1, 9, "bare carriage return" },
	{ "a = \"\xff\"", 1, 6, "invalid UTF-8" },
	{ "a = \"\xc0\xaf\"", 1, 6, "invalid UTF-8" },
	{ "a = \"\xed\xa0\x80\"", 1, 6, "invalid UTF-8" },
	{ "a = \"\xf4\x90\x80\x80\"", 1, 6, "invalid UTF-8" },
	{ "a = '\xe2\x82'", 1, 6, "invalid UTF-8" },
	{ "# \x7f comment", 1, 3, "control character U+007F in comment" },
	{ "a = 1 # \x01", 1, 9, "control character U+0001 in comment" },
	{ "# \xc3", 1, 3, "invalid UTF-8" },
	/* numbers */
	{ "a = 01", 1, 5, "leading zeros are not allowed" },
	{ "a = -01", 1, 6, "leading zeros are not allowed" },
	{ "a = 0_0", 1, 5, "leading zeros are not allowed" },
	{ "a = 00.5", 1, 5, "leading zeros are not allowed" },
	{ "a = 1__0", 1, 6, "underscore must be between digits" },
	{ "a = 1_", 1, 6, "underscore must be between digits" },
	{ "a = 1_.5", 1, 6, "underscore must be between digits" },
	{ "a = 0x_1", 1, 7, "invalid number" },
	{ "a = _1", 1, 5, "invalid value '_1'" },
	{ "a = 9223372036854775808", 1, 5, "integer out of range" },
	{ "a = -9223372036854775809", 1, 5, "integer out of range" },
	{ "a = 0x8000000000000000", 1, 5, "integer out of range" },
	{ "a = 0b1111111111111111111111111111111111111111111111111111111111"
	  "111111", 1, 5, "integer out of range" },
	{ "a = 99999999999999999999999999", 1, 5, "integer out of range" },
	{ "a = +0x1", 1, 5, "sign not allowed" },
	{ "a = 0X1F", 1, 6, "invalid number" },
	{ "a = 0b102", 1, 9, "invalid number" },
	{ "a = 0o8", 1, 7, "invalid number" },
	{ "a = 0x", 1, 7, "invalid number" },
	{ "a = 1.", 1, 7, "expected a digit after the decimal point" },
	{ "a = 1.e5", 1, 7, "expected a digit after the decimal point" },
	{ "a = .5", 1, 5, "invalid value '.5'" },
	{ "a = 1e", 1, 7, "expected a digit in the exponent" },
	{ "a = 1e+", 1, 8, "expected a digit in the exponent" },
	{ "a = 1.5.3", 1, 8, "invalid number" },
	{ "a = -", 1, 6, "invalid number" },
	{ "a = +inf_", 1, 6, "invalid number" },
	{ "a = 1e400", 1, 5, "float out of range" },
	{ "a = -1e400", 1, 5, "float out of range" },
	/* dates and times */
	{ "a = 1979-05-27", 1, 5, "dates and times are not supported" },
	{ "a = 07:32:00", 1, 5, "dates and times are not supported" },
	{ "a = 1979-05-27T07:32:00Z", 1, 5,
	  "dates and times are not supported" },
	{ "a = 1979-05-27 07:32:00", 1, 5,
	  "dates and times are not supported" },
	{ "\n  a = [ 1, 1979-05-27T00:32:00.999999-07:00 ]", 2, 12,
	  "dates and times are not supported" },
	{ "a = { d = 00:32:00.5 }", 1, 11,
	  "dates and times are not supported" },
	/* arrays and inline tables */
	{ "a = [1 2]", 1, 8, "expected ',' or ']' in array" },
	{ "a = [1,,2]", 1, 8, "expected a value" },
	{ "a = [,]", 1, 6, "expected a value" },
	{ "a = [1, 2", 1, 5, "unterminated array" },
	{ "a = [1, 2 # ]\n", 1, 5, "unterminated array" },
	{ "a = [1, \"x]", 1, 9, "unterminated string" },
	{ "a = {b = 1,}", 1, 12, "trailing comma not allowed" },
	{ "a = {b = 1\n}", 1, 11, "newline not allowed in inline table" },
	{ "a = {\nb = 1}", 1, 6, "newline not allowed in inline table" },
	{ "a = {b = 1, b = 2}", 1, 13, "duplicate key 'b'" },
	{ "a = {b = 1 c = 2}", 1, 12, "expected ',' or '}' in inline table" },
	{ "a = {b = 1", 1, 5, "unterminated inline table" },
	{ "a = {b}", 1, 7, "expected '=' after key" },
	{ "a = {,}", 1, 6, "expected a key" },
	{ "a = {b.c = 1, b = 2}", 1, 15, "duplicate key 'b'" },
	{ "a = [{b = 1, b = 1}]", 1, 14, "duplicate key 'b'" },
};

static void test_invalid(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(invalid_cases) / sizeof(invalid_cases[0]); i++)
		expect_error(invalid_cases[i].doc, invalid_cases[i].line,
			     invalid_cases[i].col, invalid_cases[i].msg);
}

/* Only the first error is reported, and the error struct is complete. */
static void test_first_error(void **state)
{
	struct ls_toml_value *root = (struct ls_toml_value *)1;
	struct ls_err err;
	char line[LS_ERR_MSG_MAX + 64];

	(void)state;
	assert_int_equal(parse_n("ok = 1\na = \"\\q\"\nb = 01\n", 23, &root,
				 &err), LS_EINVAL);
	assert_null(root);
	assert_string_equal(err.msg, "invalid escape '\\q'");
	assert_string_equal(ls_err_format(&err, line, sizeof(line)),
			    "t.toml:2:6: invalid escape '\\q'");
	/* control characters in keys never reach the message */
	expect_error("\"a\\u001b[31m\" = 1\n\"a\\u001b[31m\" = 2", 2, 1,
		     "duplicate key '\"a?[31m\"'");
	/* a NULL err is allowed */
	assert_int_equal(ls_toml_parse("a = ", 4, NULL, &root, NULL),
			 LS_EINVAL);
	assert_null(root);
}

/* ---- limits and robustness ---- */

static char *repeat(const char *head, const char *open, size_t n,
		    const char *mid, const char *close, size_t *len)
{
	size_t lo = strlen(open), lc = strlen(close), lh = strlen(head),
	       lm = strlen(mid), i, o = 0;
	char *s = ls_xmalloc(lh + n * (lo + lc) + lm + 1);

	memcpy(s, head, lh);
	o = lh;
	for (i = 0; i < n; i++, o += lo)
		memcpy(s + o, open, lo);
	memcpy(s + o, mid, lm);
	o += lm;
	for (i = 0; i < n; i++, o += lc)
		memcpy(s + o, close, lc);
	s[o] = '\0';
	*len = o;
	return s;
}

static void test_depth_limit(void **state)
{
	struct ls_toml_value *root;
	const struct ls_toml_value *v;
	size_t len, i;
	char *doc;

	(void)state;
	/* exactly the limit parses */
	doc = repeat("a = ", "[", LS_TOML_MAX_DEPTH, "1", "]", &len);
	root = parse_ok_n(doc, len);
	v = ls_toml_get(root, "a");
	for (i = 0; i < LS_TOML_MAX_DEPTH; i++) {
		assert_int_equal(v->type, LS_TOML_ARRAY);
		v = v->u.array.items[0];
	}
	assert_int_equal(v->u.integer, 1);
	ls_toml_free(root);
	free(doc);

	/* one more does not; the error points at the deepest '[' */
	doc = repeat("a = ", "[", LS_TOML_MAX_DEPTH + 1, "1", "]", &len);
	expect_error_n(doc, len, 1, 5 + LS_TOML_MAX_DEPTH, "nesting too deep");
	free(doc);

	doc = repeat("a = ", "{b = ", LS_TOML_MAX_DEPTH, "1", "}", &len);
	root = parse_ok_n(doc, len);
	ls_toml_free(root);
	free(doc);
	doc = repeat("a = ", "{b = ", LS_TOML_MAX_DEPTH + 1, "1", "}", &len);
	expect_error_n(doc, len, 1, 5 + 5 * LS_TOML_MAX_DEPTH,
		       "nesting too deep");
	free(doc);

	doc = repeat("a = ", "[{b = ", LS_TOML_MAX_DEPTH / 2 + 1, "1", "}]",
		     &len);
	expect_error_n(doc, len, 1, 5 + 6 * (LS_TOML_MAX_DEPTH / 2),
		       "nesting too deep");
	free(doc);

	/* hostile depth fails cleanly instead of overflowing the stack */
	doc = repeat("a = ", "[", 1000000, "", "", &len);
	expect_error_n(doc, len, 1, 5 + LS_TOML_MAX_DEPTH, "nesting too deep");
	free(doc);

	/* dotted keys and headers are capped at the same number of parts */
	doc = repeat("", "k.", LS_TOML_MAX_DEPTH - 1, "k = 1", "", &len);
	root = parse_ok_n(doc, len);
	ls_toml_free(root);
	free(doc);
	doc = repeat("", "k.", LS_TOML_MAX_DEPTH, "k = 1", "", &len);
	expect_error_n(doc, len, 1, 1 + 2 * LS_TOML_MAX_DEPTH,
		       "nesting too deep");
	free(doc);
	doc = repeat("[", "k.", LS_TOML_MAX_DEPTH, "k]", "", &len);
	expect_error_n(doc, len, 1, 2 + 2 * LS_TOML_MAX_DEPTH,
		       "nesting too deep");
	free(doc);
}

/* Text after `len` is never read, and errors at the end use `len`. */
static void test_length_respected(void **state)
{
	struct ls_toml_value *root = NULL;
	struct ls_err err;
	const char big[] = "a = 12345\nb = 2";

	(void)state;
	ls_err_clear(&err);
	assert_int_equal(ls_toml_parse(big, 5, "t", &root, &err), 0);
	assert_int_equal(int_at(root, "a"), 1);
	assert_null(ls_toml_get(root, "b"));
	ls_toml_free(root);
	assert_int_equal(ls_toml_parse("a = \"xyz\"", 7, "t", &root, &err),
			 LS_EINVAL);
	assert_string_equal(err.msg, "unterminated string");
	assert_int_equal(ls_toml_parse("a = tru", 6, "t", &root, &err),
			 LS_EINVAL);
	assert_string_equal(err.msg, "invalid value 'tr'");
}

/* Every prefix and many one-byte mutations of a real file: no crash, leak
 * or out-of-bounds read; errors always carry a position. */
static void test_mutations(void **state)
{
	static const char subst[] = { '"', '\'', '[', ']', '{', '}', '\n',
				      '\\', '#', '=', ',', '.', '\r', '\0',
				      (char)0xff, (char)0xc3 };
	size_t n = sizeof(gitleaks_doc) - 1, i, j;
	char *doc = ls_xmalloc(n);
	struct ls_toml_value *root;
	struct ls_err err;
	int r;

	(void)state;
	for (i = 0; i <= n; i++) {
		r = parse_n(gitleaks_doc, i, &root, &err);
		if (r) {
			assert_int_equal(r, LS_EINVAL);
			assert_true(err.line >= 1 && err.column >= 1);
		} else {
			ls_toml_free(root);
		}
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < sizeof(subst); j++) {
			memcpy(doc, gitleaks_doc, n);
			doc[i] = subst[j];
			r = parse_n(doc, n, &root, &err);
			if (r) {
				assert_int_equal(r, LS_EINVAL);
				assert_true(err.line >= 1 && err.column >= 1);
			} else {
				ls_toml_free(root);
			}
		}
	}
	free(doc);
}

static double seconds_since(clock_t start)
{
	return (double)(clock() - start) / CLOCKS_PER_SEC;
}

/* 10,000 keys in one table must not be quadratic. */
static void test_many_keys(void **state)
{
	enum { NKEYS = 10000 };
	size_t cap = NKEYS * 32, len = 0, i;
	char *doc = ls_xmalloc(cap);
	struct ls_toml_value *root;
	struct ls_err err;
	clock_t start;

	(void)state;
	for (i = 0; i < NKEYS; i++)
		len += (size_t)snprintf(doc + len, cap - len,
					"key_%zu = %zu\n", i, i);
	start = clock();
	root = parse_ok_n(doc, len);
	assert_true(seconds_since(start) < 1.0);
	assert_int_equal(root->u.table.n, NKEYS);
	assert_int_equal(int_at(root, "key_9999"), 9999);
	assert_string_equal(root->u.table.kv[1234].key, "key_1234");
	ls_toml_free(root);

	/* the same keys in an inline table, then a duplicate at the end */
	len = (size_t)snprintf(doc, cap, "t = {");
	for (i = 0; i < NKEYS; i++)
		len += (size_t)snprintf(doc + len, cap - len, "k%zu = %zu, ",
					i, i);
	len += (size_t)snprintf(doc + len, cap - len, "k0 = 1}");
	start = clock();
	assert_int_equal(parse_n(doc, len, &root, &err), LS_EINVAL);
	assert_true(seconds_since(start) < 1.0);
	assert_string_equal(err.msg, "duplicate key 'k0'");
	free(doc);
}

static char *rule_file(size_t nrules, size_t *len)
{
	size_t cap = nrules * 700 + 1, i;
	char *doc = ls_xmalloc(cap);

	*len = 0;
	for (i = 0; i < nrules; i++)
		*len += (size_t)snprintf(doc + *len, cap - *len,
			"[[rules]]\n"
			"id = \"rule-%zu\"\n"
			"description = \"A fairly long description of rule "
			"number %zu, as real files have\"\n"
			"regex = '''(?i)\\b(token_%zu)[a-z0-9_-]{0,20}"
			"(?:=|:)\\s*['\"]?([a-f0-9]{40})['\"]?'''\n"
			"keywords = [\"token_%zu\", \"secret\", \"key\"]\n"
			"entropy = 3.5\n"
			"[rules.examples]\n"
			"positive = ['''token_%zu = \"0123456789abcdef"
			"0123456789abcdef01234567\"''']\n"
			"[[rules.allowlists]]\n"
			"regexes = ['''^example$''', '''^test$''']\n"
			"stopwords = [\"dummy\"]\n\n", i, i, i, i, i);
	return doc;
}

/* One long line holding an array of n one-digit integers. */
static char *long_line(size_t n, size_t *len)
{
	size_t cap = 2 * n + 16, i;
	char *doc = ls_xmalloc(cap);

	*len = (size_t)snprintf(doc, cap, "a = [");
	for (i = 0; i < n; i++)
		*len += (size_t)snprintf(doc + *len, cap - *len, "%zu,",
					 i % 10);
	*len += (size_t)snprintf(doc + *len, cap - *len, "]");
	return doc;
}

static double time_parse(const char *doc, size_t len,
			 struct ls_toml_value **root)
{
	clock_t start = clock();

	*root = parse_ok_n(doc, len);
	return seconds_since(start);
}

/*
 * Big inputs parse in linear time.  Absolute times depend on the build
 * (sanitizers, valgrind), so compare an input with one four times larger:
 * linear work takes about 4x as long, quadratic work 16x.
 */
static void test_big_rule_file(void **state)
{
	struct ls_toml_value *root;
	double t1, t4;
	size_t len;
	char *doc;

	(void)state;
	doc = rule_file(1500, &len);
	t1 = time_parse(doc, len, &root);
	ls_toml_free(root);
	free(doc);

	doc = rule_file(6000, &len);
	assert_true(len > 2 * 1000 * 1000);
	t4 = time_parse(doc, len, &root);
	if (t4 > 10 * t1 + 0.05)
		fail_msg("not linear: %.3f s for 1500 rules, %.3f s for 6000",
			 t1, t4);
	assert_int_equal(arr_n(root, "rules"), 6000);
	assert_string_equal(str_at(item(root, "rules", 5999), "id"),
			    "rule-5999");
	assert_int_equal(arr_n(item(root, "rules", 42), "allowlists"), 1);
	assert_int_equal(item(root, "rules", 5999)->line, 5999 * 12 + 1);
	ls_toml_free(root);
	free(doc);

	/* one long line of values: columns must be computed linearly too */
	doc = long_line(50000, &len);
	t1 = time_parse(doc, len, &root);
	ls_toml_free(root);
	free(doc);
	doc = long_line(200000, &len);
	t4 = time_parse(doc, len, &root);
	if (t4 > 10 * t1 + 0.05)
		fail_msg("not linear: %.3f s for 50k items, %.3f s for 200k",
			 t1, t4);
	assert_int_equal(arr_n(root, "a"), 200000);
	assert_int_equal(item(root, "a", 199999)->column, (int)(len - 2));
	ls_toml_free(root);
	free(doc);
}

/* ---- lookups and names ---- */

static void test_get_and_type_names(void **state)
{
	struct ls_toml_value *root;
	const struct ls_toml_value *a;

	(void)state;
	root = parse_ok("a = [1]\nb = 2\n");
	assert_null(ls_toml_get(NULL, "a"));
	assert_null(ls_toml_get(root, NULL));
	assert_null(ls_toml_get(root, "missing"));
	a = ls_toml_get(root, "a");
	assert_non_null(a);
	assert_null(ls_toml_get(a, "a"));       /* not a table */
	assert_null(ls_toml_get(ls_toml_get(root, "b"), "x"));
	ls_toml_free(root);

	assert_string_equal(ls_toml_type_name(LS_TOML_STRING), "string");
	assert_string_equal(ls_toml_type_name(LS_TOML_INTEGER), "integer");
	assert_string_equal(ls_toml_type_name(LS_TOML_FLOAT), "float");
	assert_string_equal(ls_toml_type_name(LS_TOML_BOOL), "boolean");
	assert_string_equal(ls_toml_type_name(LS_TOML_ARRAY), "array");
	assert_string_equal(ls_toml_type_name(LS_TOML_TABLE), "table");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_string_with_nul),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_arrays),
		cmocka_unit_test(test_inline_tables),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_array_of_tables),
		cmocka_unit_test(test_gitleaks_file),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_first_error),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_length_respected),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_big_rule_file),
		cmocka_unit_test(test_get_and_type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
