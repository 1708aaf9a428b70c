/*
 * test_policy.c - unit tests for the image inventory (the final filesystem
 * after whiteouts, opaque directories and overwrites), sizes written by
 * people, and the policy settings ([policy] tables, severities, "off").
 * The checks themselves are exercised by the rules' examples
 * (patterns/policy.toml, `layerscan rules check`) and on real images by
 * tests/e2e/40*.
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

#include "policy/policy.h"
#include "source/inventory.h"
#include "util/size.h"

static struct ls_inv_layer *layer(const char *const *files)
{
	struct ls_inv_layer *l = ls_inv_layer_new();

	for (int i = 0; files[i]; i++)
		ls_inv_layer_add(l, files[i], NULL, LS_INV_FILE, 0644, 10, 0, 0);
	return l;
}

/* The final filesystem as "path@pos" joined by spaces. */
static char *final_list(const struct ls_inventory *inv)
{
	struct ls_inv_final *fin;
	size_t n = ls_inv_flatten(inv, &inv->images[0], &fin);
	char *out = calloc(1, 4096);
	size_t o = 0;

	for (size_t i = 0; i < n && o < 4096; i++)
		o += (size_t)snprintf(out + o, 4096 - o, "%s%s@%zu",
				      i ? " " : "", fin[i].e->path, fin[i].pos);
	free(fin);
	return out;
}

static void test_flatten(void **state)
{
	static const char *const l0[] = { "a/x", "a/y", "b/z", "c/keep", "etc/passwd", NULL };
	static const char *const l1[] = { "a/y", "b/new", NULL };
	static const char *const l2[] = { "c/keep2", NULL };
	struct ls_inventory inv;
	struct ls_inv_image *img;
	struct ls_inv_layer *a = layer(l0), *b = layer(l1), *c = layer(l2);
	char *got;

	(void)state;
	ls_inventory_init(&inv);
	/* layer 1 deletes a/x and makes b opaque (b/z gone, b/new stays);
	 * layer 2 deletes the whole c directory, then adds c/keep2 */
	ls_inv_layer_whiteout(b, "a/x");
	ls_inv_layer_opaque(b, "b");
	ls_inv_layer_whiteout(c, "c");
	ls_inv_layer_file(a, "etc/passwd", strdup("root:x:0:0::/:/bin/sh\n"), 22);
	img = ls_inventory_add_image(&inv, "img", "{}");
	ls_inv_image_add_layer(img, ls_inventory_add_layer(&inv, a), "d0", NULL);
	ls_inv_image_add_layer(img, ls_inventory_add_layer(&inv, b), "d1", NULL);
	ls_inv_image_add_layer(img, ls_inventory_add_layer(&inv, c), "d2", NULL);
	got = final_list(&inv);
	assert_string_equal(got, "a/y@1 b/new@1 c/keep2@2 etc/passwd@0");
	free(got);
	{
		struct ls_inv_final *fin;
		size_t n = ls_inv_flatten(&inv, img, &fin), pos = 9;
		const struct ls_inv_file *f =
			ls_inv_final_file(&inv, img, fin, n, "etc/passwd", &pos);
		assert_non_null(f);
		assert_int_equal(pos, 0);
		assert_null(ls_inv_final_file(&inv, img, fin, n, "a/x", NULL));
		free(fin);
	}
	ls_inventory_release(&inv);
}

static void test_wants_file(void **state)
{
	(void)state;
	assert_true(ls_inv_wants_file("etc/passwd"));
	assert_true(ls_inv_wants_file("var/lib/dpkg/status"));
	assert_true(ls_inv_wants_file("var/lib/dpkg/status.d/libc6"));
	assert_true(ls_inv_wants_file("lib/apk/db/installed"));
	assert_false(ls_inv_wants_file("var/lib/dpkg/status.d/"));
	assert_false(ls_inv_wants_file("var/lib/dpkg/status.d/a/b"));
	assert_false(ls_inv_wants_file("etc/passwd-"));
	assert_false(ls_inv_wants_file("home/etc/passwd"));
}

static void test_sizes(void **state)
{
	unsigned long long v;
	char buf[32];

	(void)state;
	assert_int_equal(ls_size_parse("500MB", &v), 0);
	assert_true(v == 500000000ull);
	assert_int_equal(ls_size_parse("25 mb", &v), 0);
	assert_true(v == 25000000ull);
	assert_int_equal(ls_size_parse("1GB", &v), 0);
	assert_true(v == 1000000000ull);
	assert_int_equal(ls_size_parse("64MiB", &v), 0);
	assert_true(v == 64ull << 20);
	assert_int_equal(ls_size_parse("4096", &v), 0);
	assert_true(v == 4096);
	assert_int_equal(ls_size_parse("10kb", &v), 0);
	assert_true(v == 10000);
	assert_int_equal(ls_size_parse("", &v), -1);
	assert_int_equal(ls_size_parse("MB", &v), -1);
	assert_int_equal(ls_size_parse("-5MB", &v), -1);
	assert_int_equal(ls_size_parse("5 parsecs", &v), -1);
	assert_int_equal(ls_size_parse("1e30", &v), -1);
	ls_size_human(612400000ull, buf, sizeof(buf));
	assert_string_equal(buf, "612.4 MB");
	ls_size_human(999, buf, sizeof(buf));
	assert_string_equal(buf, "999 B");
}

static void test_sets(void **state)
{
	unsigned s;

	(void)state;
	assert_int_equal(ls_policy_parse_sets("production", &s), 0);
	assert_int_equal(s, LS_POLICY_PRODUCTION);
	assert_int_equal(ls_policy_parse_sets("distroless", &s), 0);
	assert_int_equal(s, LS_POLICY_PRODUCTION | LS_POLICY_DISTROLESS);
	assert_int_equal(ls_policy_parse_sets("production,distroless", &s), 0);
	assert_int_equal(ls_policy_parse_sets("prod", &s), -1);
	assert_int_equal(ls_policy_parse_sets("", &s), -1);
	assert_int_equal(ls_policy_parse_sets(",", &s), -1);
}

static struct ls_ruleset *load(const char *toml)
{
	struct ls_ruleset *rs = ls_ruleset_new();
	struct ls_diag d;

	ls_diag_init(&d);
	ls_ruleset_load_default_file(rs, "policy.toml", &d);
	if (toml)
		ls_ruleset_load_toml(rs, toml, strlen(toml), "cfg.toml", 0, &d);
	assert_int_equal(ls_diag_errors(&d), 0);
	ls_diag_release(&d);
	ls_ruleset_compile(rs, NULL);
	return rs;
}

static void test_settings(void **state)
{
	struct ls_ruleset *rs = load("[policy]\nsetuid = \"off\"\nroot-user = \"low\"\n"
				     "max-size = \"300MB\"\nuser = 1000\n");
	struct ls_policy_opts o = { LS_POLICY_PRODUCTION, 0, NULL };
	struct ls_err err;

	(void)state;
	ls_err_clear(&err);
	assert_int_equal(ls_policy_configure(rs, &o, &err), 0);
	assert_true(o.max_size == 300000000ull);
	assert_string_equal(o.user, "1000");
	assert_int_equal(ls_policy_severity(rs, ls_ruleset_find(rs, "policy-setuid")), -1);
	assert_int_equal(ls_policy_severity(rs, ls_ruleset_find(rs, "policy-root-user")),
			 LS_SEV_LOW);
	assert_int_equal(ls_policy_severity(rs, ls_ruleset_find(rs, "policy-no-healthcheck")),
			 LS_SEV_MEDIUM);
	/* the command line wins */
	o.max_size = 5;
	o.user = "app";
	assert_int_equal(ls_policy_configure(rs, &o, &err), 0);
	assert_true(o.max_size == 5);
	assert_string_equal(o.user, "app");
	ls_ruleset_free(rs);

	rs = load("[policy]\nno-such-check = \"off\"\n");
	o.max_size = 0;
	assert_int_not_equal(ls_policy_configure(rs, &o, &err), 0);
	assert_non_null(strstr(err.msg, "no-such-check"));
	assert_int_equal(err.line, 2);
	ls_ruleset_free(rs);
}

static void test_bad_values(void **state)
{
	static const char *const bad[] = {
		"[policy]\nsetuid = \"loud\"\n",
		"[policy]\nsetuid = 3\n",
		"policy = 1\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ls_ruleset *rs = ls_ruleset_new();
		struct ls_diag d;
		ls_diag_init(&d);
		ls_ruleset_load_toml(rs, bad[i], strlen(bad[i]), "cfg.toml", 0, &d);
		assert_int_not_equal(ls_diag_errors(&d), 0);
		ls_diag_release(&d);
		ls_ruleset_free(rs);
	}
	{
		struct ls_ruleset *rs = load("[policy]\nmax-size = \"huge\"\n");
		struct ls_policy_opts o = { LS_POLICY_PRODUCTION, 0, NULL };
		struct ls_err err;
		ls_err_clear(&err);
		assert_int_not_equal(ls_policy_configure(rs, &o, &err), 0);
		ls_ruleset_free(rs);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flatten),
		cmocka_unit_test(test_wants_file),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_bad_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
