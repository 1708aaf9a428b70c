/*
 * context.c - walk a directory as a source; see context.h.
 *
 * State: a stack of directories still to read (relative paths) and the
 * sorted file names of the directory being emitted.  Reading a directory
 * pushes its subdirectories in reverse order, so popping visits them in
 * order and the whole walk is a sorted depth-first traversal: the same
 * tree always yields the same item order.
 */
#define _GNU_SOURCE
#include "source/context.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "source/ignore.h"
#include "util/sort.h"
#include "util/buf.h"
#include "util/xalloc.h"

struct ctx_src {
	struct ls_source src;
	struct ls_context_opts opts;
	int rootfd;
	char *root;                 /* as given, for messages */
	char *single;               /* DIR is a file: its path */
	struct ls_strv dirs;           /* stack */
	struct ls_strv files;          /* current directory, sorted */
	unsigned char *ignored;     /* per file: excluded, kept (all_files) */
	size_t ignored_alloc;
	size_t fi;
	int started;
	struct ls_limits lim;
	unsigned long long entries;  /* names seen so far */
};

struct ctx_item {
	struct ls_item item;
	struct ctx_src *cs;
	int fd;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Without openat2 (old kernels, some seccomp profiles, valgrind): walk the
 * path one component at a time from the root with O_NOFOLLOW, so no
 * symbolic link anywhere on the path is followed.
 */
static int open_by_components(int rootfd, const char *rel, int flags)
{
	char *copy = ls_xstrdup(rel), *save = NULL, *comp, *next;
	int fd = dup(rootfd);

	comp = strtok_r(copy, "/", &save);
	while (fd >= 0 && comp) {
		int nfd;
		next = strtok_r(NULL, "/", &save);
		if (!strcmp(comp, "..") || !strcmp(comp, ".")) {
			close(fd);
			fd = -1;
			errno = EXDEV;
			break;
		}
		nfd = openat(fd, comp, next ? (O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					       O_CLOEXEC)
					    : (flags | O_CLOEXEC | O_NOFOLLOW));
		close(fd);
		fd = nfd;
		comp = next;
	}
	free(copy);
	return fd;
}

/* openat2 beneath the root, no symlinks anywhere; see the fallback above. */
static int open_beneath(int rootfd, const char *rel, int flags)
{
	struct open_how how;
	long fd;

	memset(&how, 0, sizeof(how));
	how.flags = (unsigned long long)(flags | O_CLOEXEC | O_NOFOLLOW);
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
		      RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		fd = open_by_components(rootfd, rel, flags);
	return (int)fd;
}

static char *join(const char *dir, const char *name)
{
	return dir[0] ? ls_xasprintf("%s/%s", dir, name) : ls_xstrdup(name);
}

/*
 * With --all-files the walk enters excluded directories, so a file is
 * excluded if it, or (podman) a directory the engine would not enter on
 * the way to it, is excluded.
 */
static int excluded_file(struct ctx_src *cs, const char *p)
{
	const char *s;

	if (ls_ignore_excluded(cs->opts.ignore, p))
		return 1;
	if (!cs->opts.all_files)
		return 0;
	for (s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
		char *dir = ls_xstrndup(p, (size_t)(s - p));
		int pruned = ls_ignore_excluded(cs->opts.ignore, dir) &&
			     !ls_ignore_descend(cs->opts.ignore, dir);
		free(dir);
		if (pruned)
			return 1;
	}
	return 0;
}

/* Read directory `rel` ("" = root): push subdirs, collect files. */
static int read_dir(struct ctx_src *cs, const char *rel, struct ls_err *err)
{
	int fd = rel[0] ? open_beneath(cs->rootfd, rel, O_RDONLY | O_DIRECTORY)
			: dup(cs->rootfd);
	DIR *d;
	struct dirent *de;
	struct ls_strv names = { 0 };

	if (fd < 0)
		return ls_err_set(err, LS_EIO, rel, 0, 0,
				  "cannot open directory: %s", strerror(errno));
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return ls_err_set(err, LS_EIO, rel, 0, 0,
				  "cannot read directory: %s", strerror(errno));
	}
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (++cs->entries > cs->lim.entries) {
			closedir(d);
			ls_strv_release(&names);
			cs->src.dead = 1;
			return ls_err_set(err, LS_ELIMIT, cs->root, 0, 0,
					  "more than --max-entries (%llu) files and directories: the rest was not scanned",
					  cs->lim.entries);
		}
		ls_strv_push(&names, ls_xstrdup(de->d_name));
	}
	if (errno) {
		int e = errno;
		closedir(d);
		ls_strv_release(&names);
		return ls_err_set(err, LS_EIO, rel, 0, 0,
				  "cannot read directory: %s", strerror(e));
	}
	if (names.n)
		ls_sort(names.v, names.n, sizeof(char *), cmp_str);
	/* subdirectories are pushed in reverse so they pop in order */
	for (size_t i = names.n; i-- > 0;) {
		struct stat st;
		char *p;
		if (fstatat(dirfd(d), names.v[i], &st, AT_SYMLINK_NOFOLLOW))
			continue;   /* vanished during the walk */
		if (!S_ISDIR(st.st_mode))
			continue;
		p = join(rel, names.v[i]);
		/* an excluded directory is entered only if an exception may
		 * re-include something below it, or to list ignored files */
		if (cs->opts.ignore && !cs->opts.all_files &&
		    ls_ignore_excluded(cs->opts.ignore, p) &&
		    !ls_ignore_descend(cs->opts.ignore, p)) {
			free(p);
			continue;
		}
		ls_strv_push(&cs->dirs, p);
	}
	ls_strv_clear(&cs->files);
	cs->fi = 0;
	for (size_t i = 0; i < names.n; i++) {
		struct stat st;
		char *p;
		int ex;
		if (fstatat(dirfd(d), names.v[i], &st, AT_SYMLINK_NOFOLLOW))
			continue;
		if (!S_ISREG(st.st_mode))
			continue;   /* links, FIFOs, devices, sockets */
		p = join(rel, names.v[i]);
		ex = cs->opts.ignore && excluded_file(cs, p);
		if (ex && !cs->opts.all_files) {
			free(p);
			continue;
		}
		LS_ALLOC_GROW(cs->ignored, cs->files.n + 1, cs->ignored_alloc);
		cs->ignored[cs->files.n] = (unsigned char)ex;
		ls_strv_push(&cs->files, p);
	}
	closedir(d);
	ls_strv_release(&names);
	return 0;
}

static long fd_read(void *ud, char *buf, size_t n, struct ls_err *err)
{
	struct ctx_item *ci = ud;

	for (;;) {
		ssize_t k = read(ci->fd, buf, n);
		if (k >= 0)
			return (long)k;
		if (errno != EINTR)
			return ls_err_set(err, LS_EIO, ci->item.path, 0, 0,
					  "cannot read: %s", strerror(errno));
	}
}

static int item_open(struct ls_item *it, struct ls_reader *r,
		     struct ls_err *err)
{
	struct ctx_item *ci = (struct ctx_item *)it;
	struct stat st;

	if (ci->cs->single)
		ci->fd = open(ci->cs->single, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
					      O_NONBLOCK);
	else
		ci->fd = open_beneath(ci->cs->rootfd, it->path,
				      O_RDONLY | O_NONBLOCK);
	if (ci->fd < 0)
		return ls_err_set(err, LS_EIO, it->path, 0, 0,
				  "cannot open: %s", strerror(errno));
	if (fstat(ci->fd, &st) || !S_ISREG(st.st_mode)) {
		close(ci->fd);
		ci->fd = -1;
		return ls_err_set(err, LS_EIO, it->path, 0, 0,
				  "no longer a regular file");
	}
	/* back to blocking reads for a regular file */
	fcntl(ci->fd, F_SETFL, fcntl(ci->fd, F_GETFL) & ~O_NONBLOCK);
	r->read = fd_read;
	r->ud = ci;
	return 0;
}

static void item_close(struct ls_item *it)
{
	struct ctx_item *ci = (struct ctx_item *)it;

	if (ci->fd >= 0)
		close(ci->fd);
	ci->fd = -1;
}

static void item_free(struct ls_item *it)
{
	if (!it)
		return;
	free(it->path);
	free(it);
}

static struct ls_item *make_item(struct ctx_src *cs, char *path)
{
	struct ctx_item *ci = ls_xcalloc(1, sizeof(*ci));

	ci->cs = cs;
	ci->fd = -1;
	ci->item.source = LS_SOURCE_FILE;
	ci->item.history_index = -1;
	ci->item.path = path;
	ci->item.open = item_open;
	ci->item.close = item_close;
	return &ci->item;
}

/* A path over --max-path-length is not opened: an error naming its start. */
static int too_long(struct ctx_src *cs, const char *rel, const char *what,
		    struct ls_err *err)
{
	size_t n = strlen(rel);
	char safe[80];

	if (n <= cs->lim.path_length)
		return 0;
	ls_err_sanitize(safe, sizeof(safe), rel, n < 64 ? n : 64);
	return ls_err_set(err, LS_ELIMIT, cs->root, 0, 0,
			  "a %s path of %zu bytes is longer than --max-path-length (%llu): '%s...' was not scanned",
			  what, n, cs->lim.path_length, safe);
}

static int src_next(struct ls_source *s, struct ls_item **out,
		    struct ls_err *err)
{
	struct ctx_src *cs = s->priv;

	if (cs->single) {
		if (cs->started)
			return 0;
		cs->started = 1;
		*out = make_item(cs, ls_xstrdup(cs->single));
		return 1;
	}
	if (!cs->started) {
		cs->started = 1;
		ls_strv_push(&cs->dirs, ls_xstrdup(""));
	}
	while (cs->fi >= cs->files.n) {
		char *rel;
		int rc;
		if (!cs->dirs.n)
			return 0;
		rel = cs->dirs.v[--cs->dirs.n];
		rc = too_long(cs, rel, "directory", err);
		if (!rc)
			rc = read_dir(cs, rel, err);
		free(rel);
		if (rc < 0)
			return rc;
	}
	if (too_long(cs, cs->files.v[cs->fi], "file", err)) {
		free(cs->files.v[cs->fi]);
		cs->files.v[cs->fi++] = NULL;
		return LS_ELIMIT;
	}
	*out = make_item(cs, cs->files.v[cs->fi]);
	if (cs->ignored[cs->fi]) {
		(*out)->ignored = 1;
		(*out)->note = "ignored by the build's ignore file: not sent to the build (scanned because of --all-files)";
	}
	cs->files.v[cs->fi++] = NULL;
	return 1;
}

static void src_free(struct ls_source *s)
{
	struct ctx_src *cs;

	if (!s)
		return;
	cs = s->priv;
	if (cs->rootfd >= 0)
		close(cs->rootfd);
	ls_strv_release(&cs->dirs);
	ls_strv_release(&cs->files);
	free(cs->ignored);
	free(cs->root);
	free(cs->single);
	free(cs);
}

int ls_context_source_new(const char *dir, const struct ls_context_opts *o,
			  struct ls_source **out, struct ls_err *err)
{
	struct ctx_src *cs;
	struct stat st;
	int fd;

	fd = open(dir, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return ls_err_set(err, errno == ENOENT ? LS_ENOTFOUND : LS_EIO,
				  dir, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st)) {
		close(fd);
		return ls_err_set(err, LS_EIO, dir, 0, 0, "cannot stat: %s",
				  strerror(errno));
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		close(fd);
		return ls_err_set(err, LS_EINVAL, dir, 0, 0,
				  "not a directory or regular file");
	}
	cs = ls_xcalloc(1, sizeof(*cs));
	if (o)
		cs->opts = *o;
	if (o && o->limits)
		cs->lim = *o->limits;
	ls_limits_resolve(&cs->lim);
	cs->root = ls_xstrdup(dir);
	if (S_ISREG(st.st_mode)) {
		close(fd);
		cs->rootfd = -1;
		cs->single = ls_xstrdup(dir);
	} else {
		cs->rootfd = fd;
	}
	cs->src.name = cs->root;
	cs->src.next = src_next;
	cs->src.item_free = item_free;
	cs->src.free = src_free;
	cs->src.priv = cs;
	*out = &cs->src;
	return 0;
}
