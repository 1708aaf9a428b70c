/*
 * test_context.c - unit tests for the build-context walk
 * (src/source/context.c).
 *
 * Each test builds a tree under a fresh mkdtemp() directory in /tmp and
 * removes it at the end (teardown runs even when a test fails).  An alarm
 * turns a hang (a FIFO opened for reading blocks forever) into a failure.
 *
 * The walk order is a depth-first traversal where each directory's
 * regular files come first, sorted by byte value, then its subdirectories
 * in sorted order; the tests pin that, since reports and golden files rely
 * on a stable order.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scan/scan.h"
#include "source/context.h"
#include "source/ignore.h"
#include "util/xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- temp trees ---- */

struct tree {
	char root[64];
	char outside[64];     /* a second temp dir, "outside the root" */
};

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D || flag == FTW_DNR)
		return rmdir(path) ? (errno == ENOENT ? 0 : -1) : 0;
	return unlink(path) && errno != ENOENT ? -1 : 0;
}

/* Make every directory writable and searchable again (after chmod 000). */
static int unlock_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DNR || flag == FTW_DP)
		chmod(path, 0700);
	else if (flag == FTW_F && !(st->st_mode & S_IRUSR))
		chmod(path, 0600);
	return 0;
}

static void rm_rf(const char *dir)
{
	if (!dir[0])
		return;
	chmod(dir, 0700);
	nftw(dir, unlock_one, 64, FTW_PHYS);
	if (nftw(dir, rm_one, 64, FTW_DEPTH | FTW_PHYS))
		fprintf(stderr, "warning: cannot remove %s: %s\n", dir,
			strerror(errno));
}

/* A hang (a FIFO opened for reading blocks) ends the run as a failure. */
static void on_alarm(int sig)
{
	static const char msg[] = "test_context: timed out (a FIFO was opened?)\n";

	(void)sig;
	(void)!write(2, msg, sizeof(msg) - 1);
	_exit(1);
}

static int setup(void **state)
{
	struct tree *t = ls_xcalloc(1, sizeof(*t));

	snprintf(t->root, sizeof(t->root), "/tmp/ls-ctx-XXXXXX");
	snprintf(t->outside, sizeof(t->outside), "/tmp/ls-out-XXXXXX");
	if (!mkdtemp(t->root) || !mkdtemp(t->outside)) {
		free(t);
		return -1;
	}
	*state = t;
	signal(SIGALRM, on_alarm);
	alarm(30);
	return 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;

	alarm(0);
	rm_rf(t->root);
	rm_rf(t->outside);
	free(t);
	return 0;
}

static char *at(const char *dir, const char *rel)
{
	return ls_xasprintf("%s/%s", dir, rel);
}

static void put_file(const char *dir, const char *rel, const char *content)
{
	char *p = at(dir, rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		fail_msg("cannot create %s: %s", p, strerror(errno));
	assert_int_equal(write(fd, content, strlen(content)),
			 (ssize_t)strlen(content));
	close(fd);
	free(p);
}

static void put_dir(const char *dir, const char *rel)
{
	char *p = at(dir, rel);

	if (mkdir(p, 0755))
		fail_msg("cannot mkdir %s: %s", p, strerror(errno));
	free(p);
}

static void put_link(const char *dir, const char *rel, const char *target)
{
	char *p = at(dir, rel);

	if (symlink(target, p))
		fail_msg("cannot symlink %s: %s", p, strerror(errno));
	free(p);
}

static void put_fifo(const char *dir, const char *rel)
{
	char *p = at(dir, rel);

	if (mkfifo(p, 0644))
		fail_msg("cannot mkfifo %s: %s", p, strerror(errno));
	free(p);
}

/* ---- walking ---- */

struct walk {
	char **paths;
	char **contents;       /* what reading each item gave, or NULL */
	size_t n, alloc, contents_alloc;
	int errcodes[16];
	char errnames[16][LS_ERR_NAME_MAX];
	size_t nerr;
};

/* Read an item to the end through its reader. */
static char *read_item(struct ls_item *it, int *rc)
{
	struct ls_reader r;
	struct ls_err err;
	char *buf = NULL;
	size_t len = 0;

	ls_err_clear(&err);
	memset(&r, 0, sizeof(r));
	*rc = it->open(it, &r, &err);
	if (*rc)
		return NULL;
	for (;;) {
		char tmp[4096];
		long k = r.read(r.ud, tmp, sizeof(tmp), &err);
		if (k < 0) {
			*rc = (int)k;
			break;
		}
		if (!k)
			break;
		buf = ls_xrealloc(buf, len + (size_t)k + 1);
		memcpy(buf + len, tmp, (size_t)k);
		len += (size_t)k;
	}
	if (it->close)
		it->close(it);
	if (!buf)
		buf = ls_xstrdup("");
	else
		buf[len] = '\0';
	return buf;
}

static void walk_src(struct ls_source *src, int read_them, struct walk *w)
{
	struct ls_item *it;
	struct ls_err err;
	int rc, guard = 0;

	memset(w, 0, sizeof(*w));
	for (;;) {
		ls_err_clear(&err);
		rc = src->next(src, &it, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			if (w->nerr < ARRAY_SIZE(w->errcodes)) {
				w->errcodes[w->nerr] = rc;
				snprintf(w->errnames[w->nerr],
					 sizeof(w->errnames[0]), "%s",
					 err.name);
				w->nerr++;
			}
			assert_true(++guard < 100);
			continue;
		}
		LS_ALLOC_GROW(w->paths, w->n + 1, w->alloc);
		LS_ALLOC_GROW(w->contents, w->n + 1, w->contents_alloc);
		w->paths[w->n] = ls_xstrdup(it->path);
		w->contents[w->n] = NULL;
		if (read_them) {
			int orc;
			w->contents[w->n] = read_item(it, &orc);
			assert_int_equal(orc, 0);
		}
		w->n++;
		src->item_free(it);
	}
}

static void walk_dir(const char *root, const struct ls_context_opts *o,
		     int read_them, struct walk *w)
{
	struct ls_source *src = NULL;
	struct ls_err err;

	ls_err_clear(&err);
	if (ls_context_source_new(root, o, &src, &err))
		fail_msg("cannot open %s: %s", root, err.msg);
	walk_src(src, read_them, w);
	src->free(src);
}

static void walk_release(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->paths[i]);
		free(w->contents[i]);
	}
	free(w->paths);
	free(w->contents);
	memset(w, 0, sizeof(*w));
}

static void expect_paths(const struct walk *w, const char *const *want,
			 size_t nwant)
{
	size_t i;

	for (i = 0; i < w->n && i < nwant; i++)
		if (strcmp(w->paths[i], want[i]))
			break;
	if (i == w->n && i == nwant)
		return;
	for (size_t k = 0; k < w->n; k++)
		print_message("got  [%zu] '%s'\n", k, w->paths[k]);
	for (size_t k = 0; k < nwant; k++)
		print_message("want [%zu] '%s'\n", k, want[k]);
	fail_msg("walk differs at %zu", i);
}

/* ---- tests ---- */

static void test_sorted_relative_paths(void **state)
{
	struct tree *t = *state;
	static const char *const want[] = {
		"A.txt", "a.txt", "b.txt", "c",        /* root files first */
		"sub/z.txt",
		"sub/deeper/y.txt",
		"sub2/x.txt",
	};
	struct walk w, w2;

	put_file(t->root, "b.txt", "bbb");
	put_file(t->root, "a.txt", "aaa");
	put_file(t->root, "A.txt", "AAA");
	put_file(t->root, "c", "");
	put_dir(t->root, "sub2");
	put_file(t->root, "sub2/x.txt", "x");
	put_dir(t->root, "sub");
	put_file(t->root, "sub/z.txt", "zzz\nline2\n");
	put_dir(t->root, "sub/deeper");
	put_file(t->root, "sub/deeper/y.txt", "y");

	walk_dir(t->root, NULL, 1, &w);
	assert_int_equal(w.nerr, 0);
	expect_paths(&w, want, ARRAY_SIZE(want));
	assert_string_equal(w.contents[0], "AAA");
	assert_string_equal(w.contents[3], "");
	assert_string_equal(w.contents[4], "zzz\nline2\n");
	/* the same tree walks the same way again */
	walk_dir(t->root, NULL, 0, &w2);
	expect_paths(&w2, want, ARRAY_SIZE(want));
	walk_release(&w);
	walk_release(&w2);
}

static void test_symlinks_never_followed(void **state)
{
	struct tree *t = *state;
	static const char *const want[] = { "real.txt", "sub/s.txt" };
	char *outfile;
	struct walk w;

	put_file(t->outside, "outside.txt", "outside");
	outfile = at(t->outside, "outside.txt");
	put_file(t->root, "real.txt", "real");
	put_dir(t->root, "sub");
	put_file(t->root, "sub/s.txt", "s");
	put_link(t->root, "link-file", "real.txt");
	put_link(t->root, "link-dir", "sub");
	put_link(t->root, "link-out-dir", t->outside);
	put_link(t->root, "link-out-file", outfile);
	put_link(t->root, "link-up", "..");
	put_link(t->root, "dangling", "does-not-exist");
	put_link(t->root, "loop", "loop");
	put_link(t->root, "loop-a", "loop-b");
	put_link(t->root, "loop-b", "loop-a");
	put_link(t->root, "sub/parent", "..");
	put_link(t->root, "sub/abs-root", "/");

	walk_dir(t->root, NULL, 1, &w);
	assert_int_equal(w.nerr, 0);
	expect_paths(&w, want, ARRAY_SIZE(want));
	walk_release(&w);
	free(outfile);
}

static void test_fifo_skipped_never_opened(void **state)
{
	struct tree *t = *state;
	static const char *const want[] = { "a.txt", "z.txt" };
	struct ls_source *src = NULL;
	struct ls_err err;
	struct walk w;
	char *fifo;

	put_file(t->root, "a.txt", "a");
	put_fifo(t->root, "fifo");
	put_file(t->root, "z.txt", "z");
	walk_dir(t->root, NULL, 1, &w);
	assert_int_equal(w.nerr, 0);
	expect_paths(&w, want, ARRAY_SIZE(want));
	walk_release(&w);

	/* a FIFO as the root is refused, without blocking */
	fifo = at(t->root, "fifo");
	ls_err_clear(&err);
	assert_int_equal(ls_context_source_new(fifo, NULL, &src, &err),
			 LS_EINVAL);
	assert_non_null(strstr(err.msg, "not a directory or regular file"));
	free(fifo);
}

/* A file swapped for a FIFO or a link between the walk and the open. */
static void test_swapped_file_refused_at_open(void **state)
{
	struct tree *t = *state;
	struct ls_source *src = NULL;
	struct ls_item *it = NULL;
	struct ls_reader r;
	struct ls_err err;
	char *p, *tmp;

	put_file(t->root, "f1", "one");
	put_file(t->root, "f2", "two");
	assert_int_equal(ls_context_source_new(t->root, NULL, &src, &err), 0);

	/* f1 becomes a FIFO */
	assert_int_equal(src->next(src, &it, &err), 1);
	assert_string_equal(it->path, "f1");
	p = at(t->root, "f1");
	tmp = at(t->root, "f1.fifo");
	put_fifo(t->root, "f1.fifo");
	assert_int_equal(rename(tmp, p), 0);
	ls_err_clear(&err);
	memset(&r, 0, sizeof(r));
	assert_true(it->open(it, &r, &err) < 0);
	assert_non_null(strstr(err.msg, "no longer a regular file"));
	src->item_free(it);
	free(p);
	free(tmp);

	/* f2 becomes a symlink to a file outside */
	assert_int_equal(src->next(src, &it, &err), 1);
	assert_string_equal(it->path, "f2");
	put_file(t->outside, "o", "outside");
	p = at(t->root, "f2");
	tmp = at(t->outside, "o");
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink(tmp, p), 0);
	ls_err_clear(&err);
	memset(&r, 0, sizeof(r));
	assert_true(it->open(it, &r, &err) < 0);
	assert_int_equal(err.code, LS_EIO);
	src->item_free(it);
	free(p);
	free(tmp);

	assert_int_equal(src->next(src, &it, &err), 0);
	src->free(src);
}

/* A directory swapped for a link to outside before it is read. */
static void test_swapped_directory_not_followed(void **state)
{
	struct tree *t = *state;
	struct ls_source *src = NULL;
	struct ls_item *it = NULL;
	struct ls_err err;
	struct walk w;
	char *p, *moved;

	put_file(t->root, "a.txt", "a");
	put_dir(t->root, "sub");
	put_dir(t->root, "sub/deep");
	put_file(t->root, "sub/in.txt", "in");
	put_file(t->root, "sub/deep/d.txt", "d");
	put_dir(t->outside, "deep");
	put_file(t->outside, "secret.txt", "outside");
	put_file(t->outside, "deep/secret2.txt", "outside");

	/* 1: "sub" itself is swapped after the root was read */
	assert_int_equal(ls_context_source_new(t->root, NULL, &src, &err), 0);
	assert_int_equal(src->next(src, &it, &err), 1);
	assert_string_equal(it->path, "a.txt");
	src->item_free(it);
	p = at(t->root, "sub");
	moved = at(t->root, "sub.moved");
	assert_int_equal(rename(p, moved), 0);
	assert_int_equal(symlink(t->outside, p), 0);
	walk_src(src, 0, &w);
	src->free(src);
	assert_int_equal(w.n, 0);             /* nothing from outside */
	assert_int_equal(w.nerr, 1);
	assert_int_equal(w.errcodes[0], LS_EIO);
	assert_string_equal(w.errnames[0], "sub");
	walk_release(&w);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(rename(moved, p), 0);

	/* 2: a parent of a pending directory is swapped */
	assert_int_equal(ls_context_source_new(t->root, NULL, &src, &err), 0);
	assert_int_equal(src->next(src, &it, &err), 1);   /* a.txt */
	src->item_free(it);
	assert_int_equal(src->next(src, &it, &err), 1);   /* sub/in.txt */
	assert_string_equal(it->path, "sub/in.txt");
	src->item_free(it);
	assert_int_equal(rename(p, moved), 0);
	assert_int_equal(symlink(t->outside, p), 0);
	walk_src(src, 0, &w);                              /* sub/deep next */
	src->free(src);
	for (size_t i = 0; i < w.n; i++)
		if (strstr(w.paths[i], "secret"))
			fail_msg("walked outside the root: %s", w.paths[i]);
	assert_int_equal(w.n, 0);
	assert_int_equal(w.nerr, 1);
	assert_string_equal(w.errnames[0], "sub/deep");
	walk_release(&w);
	free(p);
	free(moved);
}

static void test_odd_names(void **state)
{
	struct tree *t = *state;
	static const char *const names[] = {
		" lead", "-dash", "new\nline", "tab\there", "with space.txt",
		"\xc3\xa9t\xc3\xa9", "bad\xff\xfeutf8", "quote'\"s", "back\\slash",
	};
	char *sorted[ARRAY_SIZE(names)];
	struct walk w;

	put_dir(t->root, "d i r\n");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char *content = ls_xasprintf("content of %zu", i);
		put_file(t->root, names[i], content);
		free(content);
		sorted[i] = (char *)names[i];
	}
	put_file(t->root, "d i r\n/in\x01side", "deep");
	/* expected: byte order */
	for (size_t i = 1; i < ARRAY_SIZE(sorted); i++)
		for (size_t j = i; j > 0 && strcmp(sorted[j - 1], sorted[j]) > 0;
		     j--) {
			char *x = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = x;
		}
	walk_dir(t->root, NULL, 1, &w);
	assert_int_equal(w.nerr, 0);
	assert_int_equal(w.n, ARRAY_SIZE(names) + 1);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		size_t k;
		assert_string_equal(w.paths[i], sorted[i]);
		for (k = 0; k < ARRAY_SIZE(names); k++)
			if (!strcmp(names[k], sorted[i]))
				break;
		{
			char *content = ls_xasprintf("content of %zu", k);
			assert_string_equal(w.contents[i], content);
			free(content);
		}
	}
	assert_string_equal(w.paths[ARRAY_SIZE(names)], "d i r\n/in\x01side");
	assert_string_equal(w.contents[ARRAY_SIZE(names)], "deep");
	walk_release(&w);
}

static void test_deep_tree(void **state)
{
	struct tree *t = *state;
	enum { DEPTH = 300 };
	int fd = open(t->root, O_RDONLY | O_DIRECTORY);
	char *want_leaf, *want_mid;
	struct walk w;
	size_t len = 0;

	/* made with *at() calls: no path is ever built from the root */
	assert_true(fd >= 0);
	for (int i = 0; i < DEPTH; i++) {
		int nfd;
		assert_int_equal(mkdirat(fd, "d", 0755), 0);
		nfd = openat(fd, "d", O_RDONLY | O_DIRECTORY);
		assert_true(nfd >= 0);
		close(fd);
		fd = nfd;
		if (i == DEPTH / 2 - 1) {
			int f = openat(fd, "mid.txt", O_WRONLY | O_CREAT, 0644);
			assert_true(f >= 0);
			close(f);
		}
	}
	{
		int f = openat(fd, "leaf.txt", O_WRONLY | O_CREAT, 0644);
		assert_true(f >= 0);
		assert_int_equal(write(f, "leaf", 4), 4);
		close(f);
	}
	close(fd);

	want_leaf = ls_xmalloc(DEPTH * 2 + 16);
	for (int i = 0; i < DEPTH; i++) {
		memcpy(want_leaf + len, "d/", 2);
		len += 2;
	}
	memcpy(want_leaf + len, "leaf.txt", 9);
	want_mid = ls_xstrdup(want_leaf);
	memcpy(want_mid + DEPTH, "mid.txt", 8);

	walk_dir(t->root, NULL, 1, &w);
	assert_int_equal(w.nerr, 0);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.paths[0], want_mid);
	assert_string_equal(w.paths[1], want_leaf);
	assert_string_equal(w.contents[1], "leaf");
	walk_release(&w);
	free(want_leaf);
	free(want_mid);
}

static void test_unreadable_directory(void **state)
{
	struct tree *t = *state;
	struct walk w;
	char *locked = at(t->root, "b-locked");
	int fd, privileged;

	put_file(t->root, "a.txt", "a");
	put_dir(t->root, "b-locked");
	put_file(t->root, "b-locked/hidden.txt", "h");
	put_dir(t->root, "c");
	put_file(t->root, "c/after.txt", "c");
	assert_int_equal(chmod(locked, 0), 0);
	/* as root (CAP_DAC_OVERRIDE), mode 000 does not stop reading */
	fd = open(locked, O_RDONLY | O_DIRECTORY);
	privileged = fd >= 0;
	if (fd >= 0)
		close(fd);

	walk_dir(t->root, NULL, 0, &w);
	if (privileged) {
		static const char *const want[] = {
			"a.txt", "b-locked/hidden.txt", "c/after.txt",
		};
		assert_int_equal(w.nerr, 0);
		expect_paths(&w, want, ARRAY_SIZE(want));
	} else {
		/* one error for that directory; the walk goes on */
		static const char *const want[] = { "a.txt", "c/after.txt" };
		assert_int_equal(w.nerr, 1);
		assert_int_equal(w.errcodes[0], LS_EIO);
		assert_string_equal(w.errnames[0], "b-locked");
		expect_paths(&w, want, ARRAY_SIZE(want));
	}
	walk_release(&w);
	chmod(locked, 0755);
	free(locked);
}

static void test_single_file_root(void **state)
{
	struct tree *t = *state;
	char *path;
	struct walk w;

	put_file(t->root, "only.env", "TOKEN=x\n");
	path = at(t->root, "only.env");
	walk_dir(path, NULL, 1, &w);
	assert_int_equal(w.nerr, 0);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.paths[0], path);
	assert_string_equal(w.contents[0], "TOKEN=x\n");
	walk_release(&w);
	free(path);
}

static void test_missing_path(void **state)
{
	struct tree *t = *state;
	struct ls_source *src = (struct ls_source *)0x1;
	struct ls_err err;
	char *missing = at(t->root, "nope");
	char *under_file;

	ls_err_clear(&err);
	assert_int_equal(ls_context_source_new(missing, NULL, &src, &err),
			 LS_ENOTFOUND);
	assert_int_equal(err.code, LS_ENOTFOUND);
	assert_string_equal(err.name, missing);
	assert_true(src == (struct ls_source *)0x1);   /* untouched */

	/* a path through a regular file is an error too (not "not found") */
	put_file(t->root, "file", "x");
	under_file = at(t->root, "file/x");
	ls_err_clear(&err);
	assert_true(ls_context_source_new(under_file, NULL, &src, &err) < 0);
	assert_int_not_equal(err.code, 0);
	free(missing);
	free(under_file);
}

/*
 * The walk with ignore rules: an excluded directory is not entered, and
 * with all_files every file is an item, the excluded ones marked.  (The
 * pattern semantics are tested with the ignore module; the patterns here
 * are plain names every engine reads the same way.)
 */
static void test_ignore_rules(void **state)
{
	struct tree *t = *state;
	static const char ignore_text[] = "build\nmain.o\nsrc/x.o\n";
	static const char *const want[] = { "main.c", "src/x.c" };
	static const struct {
		const char *path;
		int ignored;
	} want_all[] = {
		{ "main.c", 0 }, { "main.o", 1 }, { "build/out.c", 1 },
		{ "src/x.c", 0 }, { "src/x.o", 1 },
	};
	struct ls_context_opts o;
	struct ls_ignore *ig = NULL;
	struct ls_source *src = NULL;
	struct ls_item *it;
	struct ls_err err;
	struct walk w;
	size_t n = 0;

	put_file(t->root, "main.c", "");
	put_file(t->root, "main.o", "");
	put_dir(t->root, "build");
	put_file(t->root, "build/out.c", "");
	put_dir(t->root, "src");
	put_file(t->root, "src/x.c", "");
	put_file(t->root, "src/x.o", "");
	assert_int_equal(ls_ignore_parse(ignore_text, strlen(ignore_text),
					 ".containerignore", LS_ENGINE_PODMAN,
					 &ig, &err), 0);
	memset(&o, 0, sizeof(o));
	o.ignore = ig;
	walk_dir(t->root, &o, 0, &w);
	assert_int_equal(w.nerr, 0);
	expect_paths(&w, want, ARRAY_SIZE(want));
	walk_release(&w);

	o.all_files = 1;
	assert_int_equal(ls_context_source_new(t->root, &o, &src, &err), 0);
	while (src->next(src, &it, &err) == 1) {
		assert_true(n < ARRAY_SIZE(want_all));
		assert_string_equal(it->path, want_all[n].path);
		assert_int_equal(it->ignored, want_all[n].ignored);
		src->item_free(it);
		n++;
	}
	assert_int_equal(n, ARRAY_SIZE(want_all));
	src->free(src);
	ls_ignore_free(ig);
}

/* The whole pipeline over a context, with FIFOs and links in it. */
static void test_scan_source(void **state)
{
	struct tree *t = *state;
	static const char doc[] =
		"[[rules]]\n"
		"id = 'tok'\n"
		"regex = '''tok_[0-9]{4}'''\n"
		"keywords = ['tok_']\n";
	struct ls_ruleset *rs = ls_ruleset_new();
	struct ls_diag d;
	struct ls_source *src = NULL;
	struct ls_err err;
	struct ls_scan s;
	struct ls_scan_opts opts = { .threads = 2 };

	ls_diag_init(&d);
	assert_int_equal(ls_ruleset_load_toml(rs, doc, strlen(doc), "t.toml", 0,
					      &d), 0);
	ls_ruleset_compile(rs, &d);
	put_file(t->root, "a.txt", "x tok_1111\n");
	put_fifo(t->root, "b.fifo");
	put_dir(t->root, "c");
	put_file(t->root, "c/d.txt", "\n\n   tok_2222");
	put_file(t->outside, "o.txt", "tok_3333");
	put_link(t->root, "e-link", t->outside);

	assert_int_equal(ls_context_source_new(t->root, NULL, &src, &err), 0);
	ls_scan_init(&s, rs, &opts);
	assert_int_equal(ls_scan_source(&s, src), 0);
	assert_int_equal(s.errors.n, 0);
	assert_int_equal(s.stats.files, 2);
	assert_int_equal(s.findings.n, 2);
	assert_string_equal(s.findings.v[0]->path, "a.txt");
	assert_int_equal(s.findings.v[0]->line, 1);
	assert_int_equal(s.findings.v[0]->column, 3);
	assert_string_equal(s.findings.v[1]->path, "c/d.txt");
	assert_int_equal(s.findings.v[1]->line, 3);
	assert_int_equal(s.findings.v[1]->column, 4);
	ls_scan_release(&s);
	src->free(src);
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

/* Walk `root` in this process; the paths joined by '|', or NULL on error. */
static char *walk_joined(const char *root)
{
	struct ls_source *src = NULL;
	struct ls_item *it;
	struct ls_err err;
	char *out = ls_xstrdup("");
	int rc;

	if (ls_context_source_new(root, NULL, &src, &err)) {
		free(out);
		return NULL;
	}
	while ((rc = src->next(src, &it, &err)) != 0) {
		char *t;
		if (rc < 0) {
			free(out);
			out = NULL;
			break;
		}
		t = ls_xasprintf("%s%s|", out, it->path);
		free(out);
		out = t;
		src->item_free(it);
	}
	src->free(src);
	return out;
}

/*
 * BUG (UBSan): an empty directory makes read_dir() call
 * qsort(NULL, 0, ...) (context.c, read_dir(): names.v is still NULL);
 * qsort's base is declared nonnull, so the sanitizer build dies on any
 * context holding an empty directory.  Expected: empty directories are
 * walked and yield nothing.  The walks run in a child process, so the
 * sanitizer's exit fails this test (and the tree is still removed).
 */
static void test_empty_directory(void **state)
{
	struct tree *t = *state;
	pid_t pid;
	int status = 0;

	put_dir(t->root, "empty");
	put_file(t->root, "z.txt", "z");
	put_dir(t->outside, "sub");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* no cmocka asserts in the child: exit codes only */
		char *a = walk_joined(t->root);     /* a tree with one */
		char *b = walk_joined(t->outside);  /* only an empty dir */
		int ok = a && b && !strcmp(a, "z.txt|") && !strcmp(b, "");
		free(a);
		free(b);
		_exit(ok ? 0 : 10);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("walking a tree with an empty directory: child status %d",
			 status);
}

/*
 * BUG (security): without openat2 the walk follows a swapped parent
 * directory outside the root.  open_beneath() (context.c:81) falls back to
 * openat(O_NOFOLLOW) when openat2 fails with ENOSYS or EPERM (kernels
 * before 5.6, container seccomp profiles that do not know openat2, and
 * valgrind); O_NOFOLLOW only guards the last component, so "sub/deep"
 * resolves through a "sub" that was replaced by a symlink, and files from
 * outside the context are yielded.  context.h promises that "a directory
 * swapped for a link during the walk cannot lead outside it".  Expected:
 * the fallback resolves one component at a time with O_NOFOLLOW (or
 * refuses), and nothing outside is walked.
 *
 * A child process makes openat2 fail with ENOSYS (a seccomp filter) and
 * runs the swap; its exit status says what happened.
 */
static void test_no_openat2_fallback_stays_inside(void **state)
{
	struct tree *t = *state;
	pid_t pid;
	int status = 0;

	put_file(t->root, "a.txt", "a");
	put_dir(t->root, "sub");
	put_dir(t->root, "sub/deep");
	put_file(t->root, "sub/in.txt", "in");
	put_file(t->root, "sub/deep/d.txt", "d");
	put_dir(t->outside, "deep");
	put_file(t->outside, "deep/secret.txt", "outside");

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sock_filter f[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
				 offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
			BPF_STMT(BPF_RET | BPF_K,
				 SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = { ARRAY_SIZE(f), f };
		struct ls_source *src = NULL;
		struct ls_item *it = NULL;
		struct ls_err err;
		char *p = at(t->root, "sub"), *moved = at(t->root, "sub.moved");
		int rc, escaped = 0;

		/* (valgrind has no openat2 and may refuse the filter) */
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0)
			prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
		if (syscall(SYS_openat2, AT_FDCWD, ".", NULL, 0) >= 0 ||
		    errno != ENOSYS)
			_exit(4);
		if (ls_context_source_new(t->root, NULL, &src, &err))
			_exit(5);
		/* a.txt, then sub/in.txt; "sub/deep" is pending */
		if (src->next(src, &it, &err) != 1)
			_exit(6);
		src->item_free(it);
		if (src->next(src, &it, &err) != 1)
			_exit(6);
		src->item_free(it);
		if (rename(p, moved) || symlink(t->outside, p))
			_exit(7);
		while ((rc = src->next(src, &it, &err)) != 0) {
			if (rc < 0)
				continue;
			if (strstr(it->path, "secret"))
				escaped = 1;
			src->item_free(it);
		}
		src->free(src);
		free(p);
		free(moved);
		_exit(escaped ? 10 : 0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("child status %d: %s", status,
			 WIFEXITED(status) && WEXITSTATUS(status) == 10
				 ? "walked outside the root"
				 : "setup failed (seccomp?)");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sorted_relative_paths),
		T(test_symlinks_never_followed),
		T(test_fifo_skipped_never_opened),
		T(test_swapped_file_refused_at_open),
		T(test_swapped_directory_not_followed),
		T(test_odd_names),
		T(test_deep_tree),
		T(test_unreadable_directory),
		T(test_single_file_root),
		T(test_missing_path),
		T(test_ignore_rules),
		T(test_scan_source),
		/* BUG: these fail until src/ is fixed (see the comments); the
		 * first only under UBSan */
		T(test_empty_directory),
		T(test_no_openat2_fallback_stays_inside),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
