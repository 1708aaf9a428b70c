/*
 * test_image_hidden.c - unit tests for the hidden-by decision of the image
 * source (src/source/image/findings.c, ls_image_layer_hides): does a later
 * layer remove a file of an earlier one from the final filesystem?
 *
 * Each case gives a later layer as the layer reader records it
 * (src/source/image/layer.c): the paths of its entries, the paths its
 * whiteouts delete (an entry app/.wh.conf records "app/conf", a top-level
 * .wh.app records "app") and its opaque directories (app/.wh..wh..opq
 * records "app").
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

#include "source/image/internal.h"

#define SET_MAX 4

struct hide_case {
	const char *why;
	const char *paths[SET_MAX];      /* NULL-terminated */
	const char *whiteouts[SET_MAX];
	const char *opaque[SET_MAX];
	const char *path;                /* the earlier layer's file */
	int hidden;
};

static const struct hide_case cases[] = {
	/* hidden */
	{ "whiteout of the file itself", { NULL }, { "app/conf/x", NULL },
	  { NULL }, "app/conf/x", 1 },
	{ "whiteout of its parent", { NULL }, { "app/conf", NULL }, { NULL },
	  "app/conf/x", 1 },
	{ "whiteout of its grandparent (COPY conf/ /app/conf/, RUN rm -rf /app)",
	  { NULL }, { "app", NULL }, { NULL }, "app/conf/x", 1 },
	{ "whiteout four levels up", { NULL }, { "srv", NULL }, { NULL },
	  "srv/app/conf/deep/x", 1 },
	{ "opaque parent", { NULL }, { NULL }, { "app/conf", NULL },
	  "app/conf/x", 1 },
	{ "opaque grandparent", { NULL }, { NULL }, { "app", NULL },
	  "app/conf/x", 1 },
	{ "opaque great-grandparent, other entries around", { "etc/hosts", NULL },
	  { "tmp/x", NULL }, { "srv", NULL }, "srv/app/conf/x", 1 },
	{ "overwritten by a later layer", { "app/conf", "app/conf/x", NULL },
	  { NULL }, { NULL }, "app/conf/x", 1 },
	{ "overwritten at the top level", { ".env", NULL }, { NULL }, { NULL },
	  ".env", 1 },
	{ "whiteout of a top-level file", { NULL }, { ".env", NULL }, { NULL },
	  ".env", 1 },
	{ "archive member: the archive is overwritten",
	  { "lib/app.jar", NULL }, { NULL }, { NULL },
	  "lib/app.jar!META-INF/x.properties", 1 },
	{ "archive member: the archive's directory is deleted", { NULL },
	  { "lib", NULL }, { NULL }, "lib/app.jar!META-INF/x.properties", 1 },
	{ "archive member: the archive's directory is opaque", { NULL },
	  { NULL }, { "lib", NULL }, "lib/app.jar!a/b!c.txt", 1 },

	/* not hidden */
	{ "empty later layer", { NULL }, { NULL }, { NULL }, "app/conf/x", 0 },
	{ "whiteout of a sibling", { NULL }, { "app/conf/y", NULL }, { NULL },
	  "app/conf/x", 0 },
	{ "whiteout of the parent's sibling", { NULL }, { "app/config", NULL },
	  { NULL }, "app/conf/x", 0 },
	{ "whiteout of a prefix of the top directory (.wh.ap)", { NULL },
	  { "ap", NULL }, { NULL }, "app/x", 0 },
	{ "whiteout of a prefix of the file's name", { NULL }, { "app/x", NULL },
	  { NULL }, "app/xy", 0 },
	{ "whiteout of a longer name", { NULL }, { "app/xy", NULL }, { NULL },
	  "app/x", 0 },
	{ "whiteout of a path below the file", { NULL },
	  { "app/conf/x/y", NULL }, { NULL }, "app/conf/x", 0 },
	{ "opaque sibling directory", { NULL }, { NULL }, { "app/data", NULL },
	  "app/conf/x", 0 },
	{ "opaque prefix of the top directory", { NULL }, { NULL },
	  { "ap", NULL }, "app/x", 0 },
	{ "the parent directory written again (directories merge)",
	  { "app", "app/conf", "app/conf/y", NULL }, { NULL }, { NULL },
	  "app/conf/x", 0 },
	{ "a file whose name is a prefix written", { "app/con", NULL },
	  { NULL }, { NULL }, "app/conf/x", 0 },
	{ "archive member: another member's name in the layer",
	  { "META-INF/x.properties", NULL }, { NULL }, { NULL },
	  "lib/app.jar!META-INF/x.properties", 0 },
};

static void set_fill(struct ls_strset *s, const char *const *v)
{
	ls_strset_init(s);
	for (size_t i = 0; i < SET_MAX && v[i]; i++)
		ls_strset_put(s, v[i], 0);
}

static void test_layer_hides(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct hide_case *c = &cases[i];
		struct ls_strset paths, wh, opq;
		int got;

		set_fill(&paths, c->paths);
		set_fill(&wh, c->whiteouts);
		set_fill(&opq, c->opaque);
		got = ls_image_layer_hides(&paths, &wh, &opq, c->path);
		ls_strset_release(&paths);
		ls_strset_release(&wh);
		ls_strset_release(&opq);
		if (!got != !c->hidden)
			fail_msg("%s: '%s' %s, want %s", c->why, c->path,
				 got ? "hidden" : "not hidden",
				 c->hidden ? "hidden" : "not hidden");
	}
}

/* The sets are only read: asking twice gives the same answer, and the
 * path is not changed (the function cuts '!' and '/' in a copy). */
static void test_layer_hides_pure(void **state)
{
	struct ls_strset paths, wh, opq;
	char path[] = "lib/app.jar!a/b.txt";

	(void)state;
	ls_strset_init(&paths);
	ls_strset_init(&wh);
	ls_strset_init(&opq);
	ls_strset_put(&wh, "lib", 0);
	assert_true(ls_image_layer_hides(&paths, &wh, &opq, path));
	assert_true(ls_image_layer_hides(&paths, &wh, &opq, path));
	assert_string_equal(path, "lib/app.jar!a/b.txt");
	assert_false(ls_strset_get(&wh, "lib/app.jar", NULL));
	assert_false(ls_image_layer_hides(&paths, &wh, &opq, "libx/a"));
	ls_strset_release(&paths);
	ls_strset_release(&wh);
	ls_strset_release(&opq);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layer_hides),
		cmocka_unit_test(test_layer_hides_pure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
