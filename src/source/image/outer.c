/*
 * outer.c - the outer archive or layout directory, the blob table, the
 * two-pass reader with its layer tasks, and the entry points; see image.h.
 *
 * The pass over the input:
 *
 *   outer tar entry --+-- symlink (<id>/layer.tar -> ../<digest>.tar): remember
 *                     +-- small JSON (manifest, index, config): keep in memory
 *                     +-- archive (a layer: tar, tar.gz, tar.zst): scan now
 *                     +-- anything else: skip
 *
 * handle_blob() makes that choice for every blob, whoever reads it: the
 * one-pass reader (read_outer), a layer task of the two-pass reader
 * (scan_indexed) or the directory reader (scan_dir).  A layer goes to
 * layer.c.  At the end finish() hands over to config.c (which blob is
 * which layer of which image) and findings.c (completing the findings).
 */
#define _GNU_SOURCE
#include "source/image/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan/memo.h"
#include "source/inventory.h"
#include "util/size.h"
#include "util/sort.h"
#include "util/xalloc.h"

/* ---- the blob table ---- */

/* Strip "./" and "/" prefixes, duplicate and trailing slashes. */
char *ls_image_norm_path(const char *p)
{
	char *out = ls_xmalloc(strlen(p) + 1), *o = out;

	for (;;) {
		if (p[0] == '.' && p[1] == '/')
			p += 2;
		else if (p[0] == '/')
			p++;
		else
			break;
	}
	if (p[0] == '.' && p[1] == '\0')
		p++;
	for (; *p; p++) {
		if (*p == '/' && (o == out || o[-1] == '/'))
			continue;
		*o++ = *p;
	}
	while (o > out && o[-1] == '/')
		o--;
	*o = '\0';
	return out;
}

struct blob *ls_image_blob_get(struct img *im, const char *key)
{
	long i;

	if (ls_strset_get(&im->bykey, key, &i))
		return im->blobs[i];
	return NULL;
}

static struct blob *blob_new(struct img *im, const char *key)
{
	struct blob *b = ls_xcalloc(1, sizeof(*b));

	b->key = ls_xstrdup(key);
	b->index = -1;
	b->inv_index = -1;
	b->image_no = -1;
	ls_strset_init(&b->paths);
	ls_strset_init(&b->whiteouts);
	ls_strset_init(&b->opaque);
	ls_strset_init(&b->dig_index);
	ls_strset_init(&b->capped);
	b->layer.index = -1;
	b->layer.hidden_by = -1;
	b->layer.digest = b->key;
	LS_ALLOC_GROW(im->blobs, im->nblobs + 1, im->alloc);
	ls_strset_put(&im->bykey, key, (long)im->nblobs);
	im->blobs[im->nblobs++] = b;
	return b;
}

static void blob_free(struct blob *b)
{
	free(b->key);
	free(b->json);
	ls_strset_release(&b->paths);
	ls_strset_release(&b->whiteouts);
	ls_strset_release(&b->opaque);
	for (size_t i = 0; i < b->nhl; i++) {
		free(b->hl_name[i]);
		free(b->hl_target[i]);
	}
	free(b->hl_name);
	free(b->hl_target);
	free(b->digest);
	free(b->created_by);
	free(b->image);
	ls_inv_layer_free(b->inv);
	ls_image_blob_prov_release(b);
	free(b);
}

static int is_json_start(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t')
			continue;
		return p[i] == '{' || p[i] == '[';
	}
	return 0;
}

/* One blob of the image (outer archive entry or layout file). */
static void handle_blob(struct img *im, const char *key, struct ls_reader *r,
			long long size)
{
	struct blob *b = ls_image_blob_get(im, key);
	struct peeked pk;
	struct ls_err err;

	if (!b)
		b = blob_new(im, key);
	memset(&pk, 0, sizeof(pk));
	pk.under = r;
	ls_err_clear(&err);
	if (ls_image_peek_fill(&pk, &err) < 0) {
		ls_scan_error(im->scan, im->name, "'%s': %s", key, err.msg);
		b->failed = 1;
		return;
	}
	if (is_json_start(pk.buf, pk.n)) {
		size_t cap = pk.n + IOBUF, len = pk.n;
		unsigned long long max = im->scan->opts.limits.json_size;
		char *buf, sz[LS_SIZE_BUF];
		if (max > LS_JSON_SIZE_HARD_MAX)
			max = LS_JSON_SIZE_HARD_MAX;
		ls_size_format(sz, sizeof(sz), max);
		if (size >= 0 && (unsigned long long)size > max) {
			ls_scan_error(im->scan, im->name,
				      "'%s': JSON document larger than --max-json-size (%s): not read",
				      key, sz);
			b->failed = 1;
			return;
		}
		buf = ls_xmalloc(cap + 1);
		memcpy(buf, pk.buf, pk.n);
		for (;;) {
			long k;
			if (len > max) {
				ls_scan_error(im->scan, im->name,
					      "'%s': JSON document larger than --max-json-size (%s): not read",
					      key, sz);
				free(buf);
				b->failed = 1;
				return;
			}
			if (len == cap) {
				cap = cap * 2 < max + 1 ? cap * 2 : (size_t)max + 1;
				if (cap <= len)
					cap = len + 1;
				buf = ls_xrealloc(buf, cap + 1);
			}
			if (pk.eof)
				break;
			k = r->read(r->ud, buf + len, cap - len, &err);
			if (k < 0) {
				ls_scan_error(im->scan, im->name, "'%s': %s",
					      key, err.msg);
				free(buf);
				b->failed = 1;
				return;
			}
			if (!k)
				break;
			len += (size_t)k;
		}
		buf[len] = '\0';
		b->kind = BLOB_JSON;
		/* a name used twice: the later entry wins, as tar extracts */
		free(b->json);
		b->json = buf;
		b->json_len = len;
		return;
	}
	if (ls_image_looks_archive((const unsigned char *)pk.buf, pk.n)) {
		if (im->ids_only) {
			/* a base image (base.c): its layers are named by the
			 * config's diff IDs, never read */
			b->kind = BLOB_LAYER;
			return;
		}
		ls_image_scan_layer(im, b, &pk);
		return;
	}
	b->kind = BLOB_OTHER;
}

/* ---- symbolic links in the outer archive ---- */

/* Remember a link (podman: <id>/layer.tar -> ../<digest>.tar), its target
 * resolved; config.c's find_blob follows links. */
static void add_link(struct img *im, const char *name, const char *target)
{
	struct link *l;
	const char *slash = strrchr(name, '/');
	char *joined;

	if (target[0] == '/' || !slash)
		joined = ls_xstrdup(target);
	else
		joined = ls_xasprintf("%.*s/%s", (int)(slash - name), name, target);
	LS_ALLOC_GROW(im->links, im->nlinks + 1, im->links_alloc);
	l = &im->links[im->nlinks++];
	l->name = ls_xstrdup(name);
	/* resolve "a/../b" */
	{
		char *out = ls_xmalloc(strlen(joined) + 1);
		size_t o = 0;
		for (char *tok = joined; *tok;) {
			char *end = strchr(tok, '/');
			size_t n = end ? (size_t)(end - tok) : strlen(tok);
			if (n == 2 && !strncmp(tok, "..", 2)) {
				while (o > 0 && out[o - 1] != '/')
					o--;
				if (o > 0)
					o--;
			} else if (n && !(n == 1 && tok[0] == '.')) {
				if (o)
					out[o++] = '/';
				memcpy(out + o, tok, n);
				o += n;
			}
			tok += n;
			if (*tok == '/')
				tok++;
		}
		out[o] = '\0';
		l->target = ls_image_norm_path(out);
		free(out);
	}
	free(joined);
}

/* ---- entry points ---- */

static void img_release(struct img *im)
{
	for (size_t i = 0; i < im->nblobs; i++)
		blob_free(im->blobs[i]);
	free(im->blobs);
	ls_strset_release(&im->bykey);
	for (size_t i = 0; i < im->nlinks; i++) {
		free(im->links[i].name);
		free(im->links[i].target);
	}
	free(im->links);
	for (size_t i = 0; i < im->nimages; i++) {
		free(im->images[i].layers);
		free(im->images[i].base_name);
	}
	free(im->images);
	ls_worker_free(im->w);
	ls_memo_free(im->memo);
	if (im->tee)
		ls_tee_release(im->tee);
	free(im->tee);
	free(im->dbkept);
	free(im->defer);
}

static void img_init(struct img *im, struct ls_scan *scan, const char *name,
		     const struct ls_image_opts *o)
{
	memset(im, 0, sizeof(*im));
	im->scan = scan;
	im->name = name;
	im->max_depth = o && o->max_archive_depth >= 0 ?
		(unsigned)o->max_archive_depth : LS_IMAGE_MAX_DEPTH_DEFAULT;
	im->inv = o ? o->inv : NULL;
	im->include_vendor = o ? o->include_vendor : 0;
	im->base = o ? o->base : NULL;
	im->include_base = o ? o->include_base : 0;
	im->dbkept = ls_xcalloc(1, sizeof(*im->dbkept));
	im->tee = ls_xmalloc(sizeof(*im->tee));
	ls_tee_init(im->tee, 0);
	if (im->max_depth > 0)
		im->memo = ls_memo_new(MEMO_BUDGET);
	ls_strset_init(&im->bykey);
	im->w = ls_worker_new(scan);
}

static void finish(struct img *im)
{
	ls_image_resolve(im);
	if (im->ids_only)
		return;   /* a base image: ls_image_base_collect takes over */
	ls_image_base_setup(im);
	ls_image_provenance_setup(im);
	ls_image_complete_findings(im);
	ls_image_report_capped(im);
	ls_image_provenance_release(im);
	ls_image_collapse(im);
}

/* Read an outer archive (tar, possibly compressed) from an open handle. */
static int read_outer(struct img *im, struct archive *a, struct ls_err *err)
{
	struct archive_entry *e;
	int r, entries = 0;

	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
	       r == ARCHIVE_WARN) {
		const char *raw = archive_entry_pathname(e);
		char *name;
		struct entry_src es;
		struct ls_reader er;

		entries++;
		if (ls_scan_expired(im->scan))
			break;
		if (!raw || !raw[0])
			continue;
		if (strlen(raw) > im->scan->opts.limits.path_length) {
			char safe[80];
			ls_err_sanitize(safe, sizeof(safe), raw, strlen(raw) < 64 ? strlen(raw) : 64);
			ls_scan_error(im->scan, im->name,
				      "an entry name of %zu bytes is longer than --max-path-length (%llu): '%s...' was not read",
				      strlen(raw), im->scan->opts.limits.path_length,
				      safe);
			continue;
		}
		name = ls_image_norm_path(raw);
		if (archive_entry_filetype(e) == AE_IFLNK) {
			const char *t = archive_entry_symlink(e);
			if (t)
				add_link(im, name, t);
			free(name);
			continue;
		}
		if (archive_entry_filetype(e) != AE_IFREG) {
			free(name);
			continue;
		}
		es.a = a;
		es.image = im->name;
		es.layer = NULL;
		es.what = name;
		es.lb = NULL;
		es.check = 0;
		es.limit = NULL;
		er.read = ls_image_entry_read;
		er.ud = &es;
		handle_blob(im, name, &er, ls_image_entry_size(e));
		free(name);
	}
	if (r != ARCHIVE_EOF && r != ARCHIVE_OK && r != ARCHIVE_WARN) {
		const char *msg = archive_error_string(a);
		if (!entries)
			return ls_err_set(err, LS_EFORMAT, im->name, 0, 0,
					  "not a saved image: %s",
					  msg ? msg : "unrecognised format");
		ls_scan_error(im->scan, im->name, "truncated or corrupt archive: %s",
			      msg ? msg : "read error");
		im->truncated = 1;
	} else if (!entries) {
		return ls_err_set(err, LS_EFORMAT, im->name, 0, 0,
				  "empty archive: not a saved image");
	}
	return 0;
}

static int scan_archive(struct img *im, struct archive *a, int rc,
			struct ls_err *err)
{
	int ret;

	if (rc != ARCHIVE_OK) {
		ret = ls_err_set(err, LS_EFORMAT, im->name, 0, 0,
				 "cannot read: %s", archive_error_string(a) ?
				 archive_error_string(a) : "unknown error");
		archive_read_free(a);
		return ret;
	}
	ret = read_outer(im, a, err);
	archive_read_free(a);
	if (ret)
		return ret;
	finish(im);
	return 0;
}

/* ---- parallel layers ----
 *
 * A saved image in a regular, uncompressed tar file (podman save's
 * docker-archive and oci-archive) is read in two passes instead of one.
 * The first reads only the tar headers (libarchive seeks over the data) and
 * notes where each entry's bytes start.  Then each blob becomes a task
 * reading its own bytes with pread(2) from its offset, and the tasks run
 * on the scan's threads: several layers are inflated and scanned at once.
 *
 * Output must not depend on the thread count, so each task has a scan of
 * its own (findings, errors, notes) and a worker of its own, and the tasks'
 * results are merged in archive order afterwards: the run sees exactly what
 * the one-pass reader would have recorded, in the same order.  Only the
 * statistics go to the run's scan as they happen, for the progress line.
 * Blobs are created before the tasks start, so the tasks only read the
 * image's tables and each writes to its own blob.
 *
 * Anything unusual makes the first pass give up, and the image is read in
 * one pass as before: a compressed outer archive, a header error (the
 * one-pass reader reports it, and scans what comes before), an entry
 * that ends past the end of the file, sparse entries, unknown sizes, or
 * one name used twice.  Pipes and directory layouts are read in one pass.
 */

struct outer_ent {
	char *name;                 /* normalised */
	char *target;               /* symbolic link target, or NULL */
	long long off, size;        /* regular files: where the bytes are */
	struct blob *b;
	struct ls_scan sub;         /* the task's scan */
	int started;
};

struct pread_src {
	int fd;
	long long off, end;
	const char *image, *what;
};

static long pread_read(void *ud, char *buf, size_t n, struct ls_err *err)
{
	struct pread_src *s = ud;
	ssize_t k;

	if ((long long)n > s->end - s->off)
		n = (size_t)(s->end - s->off);
	if (!n)
		return 0;
	do
		k = pread(s->fd, buf, n, s->off);
	while (k < 0 && errno == EINTR);
	if (k < 0)
		return ls_err_set(err, LS_EIO, s->image, 0, 0, "'%s': %s",
				  s->what, strerror(errno));
	if (k == 0)
		return ls_err_set(err, LS_EFORMAT, s->image, 0, 0,
				  "'%s': truncated archive", s->what);
	s->off += k;
	return (long)k;
}

static void ents_free(struct outer_ent *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].target);
	}
	free(v);
}

/*
 * First pass: the entries of the tar in `fd`.  Returns the number of
 * entries (0 when the file does not qualify), with *out owned by the caller.
 */
static size_t index_outer(int fd, struct outer_ent **out)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct outer_ent *v = NULL;
	size_t n = 0, alloc = 0;
	struct ls_strset names;
	struct stat st;
	int r, ok = 1;

	*out = NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return 0;
	if (!a)
		LS_BUG("out of memory in libarchive");
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	ls_strset_init(&names);
	if (archive_read_open_fd(a, fd, IOBUF) != ARCHIVE_OK) {
		archive_read_free(a);
		ls_strset_release(&names);
		return 0;
	}
	while (ok && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *raw = archive_entry_pathname(e);
		unsigned type = archive_entry_filetype(e);
		struct outer_ent *o;

		if (archive_filter_code(a, 0) != ARCHIVE_FILTER_NONE ||
		    archive_entry_sparse_count(e) > 0) {
			ok = 0;
			break;
		}
		if (!raw || !raw[0] || (type != AE_IFREG && type != AE_IFLNK))
			continue;
		if (type == AE_IFLNK && !archive_entry_symlink(e))
			continue;
		LS_ALLOC_GROW(v, n + 1, alloc);
		o = &v[n++];
		memset(o, 0, sizeof(*o));
		o->name = ls_image_norm_path(raw);
		if (type == AE_IFLNK) {
			o->target = ls_xstrdup(archive_entry_symlink(e));
			continue;
		}
		if (!archive_entry_size_is_set(e) ||
		    ls_strset_get(&names, o->name, NULL)) {
			ok = 0;
			break;
		}
		ls_strset_put(&names, o->name, 0);
		o->size = (long long)archive_entry_size(e);
		o->off = (long long)archive_filter_bytes(a, 0);
		if (o->off < 0 || o->size < 0 || o->off + o->size > st.st_size)
			ok = 0;   /* truncated: the one-pass reader says where */
	}
	if (ok && r != ARCHIVE_EOF)
		ok = 0;
	archive_read_free(a);
	ls_strset_release(&names);
	if (!ok || !n) {
		ents_free(v, n);
		return 0;
	}
	*out = v;
	return n;
}

struct task_pool {
	struct img *im;
	int fd;
	struct outer_ent *ents;
	struct task_ref {
		long long size;
		size_t i;
	} *order;                   /* blobs, largest first */
	size_t n, next;
	pthread_mutex_t lock;
};

static void run_task(struct task_pool *p, struct outer_ent *o)
{
	struct img view = *p->im;
	struct pread_src ps = { p->fd, o->off, o->off + o->size,
				p->im->name, o->name };
	struct ls_reader r = { pread_read, &ps };
	struct ls_tee tee;

	ls_scan_init(&o->sub, p->im->scan->rs, &p->im->scan->opts);
	o->sub.root = p->im->scan->root;
	o->started = 1;
	view.scan = &o->sub;
	view.parent = p->im->scan;
	view.w = ls_worker_new(&o->sub);
	view.defer = NULL;
	view.ndefer = view.defer_alloc = view.defer_bytes = 0;
	view.tee = &tee;
	ls_tee_init(&tee, 0);
	handle_blob(&view, o->name, &r, o->size);
	ls_tee_release(&tee);
	ls_worker_free(view.w);
	free(view.defer);
}

static void *task_main(void *arg)
{
	struct task_pool *p = arg;

	for (;;) {
		struct outer_ent *o = NULL;
		pthread_mutex_lock(&p->lock);
		if (p->next < p->n && !ls_scan_expired(p->im->scan))
			o = &p->ents[p->order[p->next++].i];
		pthread_mutex_unlock(&p->lock);
		if (!o)
			return NULL;
		run_task(p, o);
	}
}

static void msgs_move(struct ls_msgs *to, struct ls_msgs *from)
{
	for (size_t i = 0; i < from->n; i++) {
		LS_ALLOC_GROW(to->v, to->n + 1, to->alloc);
		to->v[to->n++] = from->v[i];
	}
	from->n = 0;
}

/* A task's results into the run, as if they had been recorded there. */
static void merge_task(struct img *im, struct outer_ent *o)
{
	if (!o->started)
		return;
	ls_findings_take(&im->scan->findings, &o->sub.findings);
	msgs_move(&im->scan->errors, &o->sub.errors);
	msgs_move(&im->scan->warnings, &o->sub.warnings);
	msgs_move(&im->scan->notes, &o->sub.notes);
	ls_scan_release(&o->sub);
	o->started = 0;
}

/* Largest first, so that a big layer does not start last (then archive
 * order); the results are merged in archive order whatever this order. */
static int cmp_size_desc(const void *a, const void *b)
{
	const struct task_ref *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/*
 * Scan the image file `path` in two passes with its layers in parallel.
 * Returns 1 when done (the image was read), 0 when the file does not
 * qualify and the caller should read it in one pass.
 */
static int scan_indexed(struct img *im, const char *path)
{
	struct task_pool p;
	struct outer_ent *ents;
	size_t n;
	unsigned nth;
	pthread_t th[LS_THREADS_MAX];
	unsigned started = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = index_outer(fd, &ents);
	if (!n) {
		close(fd);
		return 0;
	}
	/* links and blobs first, in archive order, on this thread */
	for (size_t i = 0; i < n; i++) {
		if (ents[i].target) {
			add_link(im, ents[i].name, ents[i].target);
			continue;
		}
		ents[i].b = ls_image_blob_get(im, ents[i].name);
		if (!ents[i].b)
			ents[i].b = blob_new(im, ents[i].name);
	}
	memset(&p, 0, sizeof(p));
	p.im = im;
	p.fd = fd;
	p.ents = ents;
	p.order = ls_xcalloc(n, sizeof(*p.order));
	for (size_t i = 0; i < n; i++) {
		if (!ents[i].b)
			continue;
		p.order[p.n].size = ents[i].size;
		p.order[p.n++].i = i;
	}
	ls_sort(p.order, p.n, sizeof(*p.order), cmp_size_desc);
	pthread_mutex_init(&p.lock, NULL);
	nth = ls_scan_threads(&im->scan->opts);
	if (nth > 1) {
		for (unsigned i = 0; i < nth && i < LS_THREADS_MAX; i++) {
			if (pthread_create(&th[started], NULL, task_main, &p))
				break;
			started++;
		}
	}
	if (!started)
		task_main(&p);
	for (unsigned i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&p.lock);
	for (size_t i = 0; i < n; i++)
		merge_task(im, &ents[i]);
	free(p.order);
	ents_free(ents, n);
	close(fd);
	finish(im);
	return 1;
}

struct fd_src {
	int fd;
	const char *what;
};

static long fd_read(void *ud, char *buf, size_t n, struct ls_err *err)
{
	struct fd_src *s = ud;

	for (;;) {
		ssize_t k = read(s->fd, buf, n);
		if (k >= 0)
			return (long)k;
		if (errno != EINTR)
			return ls_err_set(err, LS_EIO, s->what, 0, 0,
					  "cannot read: %s", strerror(errno));
	}
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An OCI layout or docker-dir directory: read every regular file as a blob. */
static int scan_dir(struct img *im, const char *dir, struct ls_err *err)
{
	static const char *const subdirs[] = { "", "blobs/sha256" };
	int found = 0;

	for (int s = 0; s < 2; s++) {
		char *dpath = s ? ls_xasprintf("%s/%s", dir, subdirs[s])
				: ls_xstrdup(dir);
		DIR *d = opendir(dpath);
		struct dirent *de;
		char **names = NULL;
		size_t n = 0, alloc = 0;

		if (!d) {
			free(dpath);
			continue;
		}
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			LS_ALLOC_GROW(names, n + 1, alloc);
			names[n++] = ls_xstrdup(de->d_name);
		}
		closedir(d);
		ls_sort(names, n, sizeof(char *), cmp_cstr);
		for (size_t i = 0; i < n; i++) {
			char *full;
			if (ls_scan_expired(im->scan)) {
				free(names[i]);
				continue;
			}
			full = ls_xasprintf("%s/%s", dpath, names[i]);
			char *key = s ? ls_xasprintf("%s/%s", subdirs[s], names[i])
				      : ls_xstrdup(names[i]);
			int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
						    O_NONBLOCK);
			struct stat st;
			if (fd >= 0 && !fstat(fd, &st) && S_ISREG(st.st_mode)) {
				struct fd_src fs = { fd, key };
				struct ls_reader r = { fd_read, &fs };
				fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
				handle_blob(im, key, &r, (long long)st.st_size);
				found++;
			} else if (fd < 0 && errno != ELOOP) {
				ls_scan_error(im->scan, im->name, "'%s': cannot open: %s",
					      key, strerror(errno));
			}
			if (fd >= 0)
				close(fd);
			free(full);
			free(key);
			free(names[i]);
		}
		free(names);
		free(dpath);
	}
	if (!found)
		return ls_err_set(err, LS_EFORMAT, im->name, 0, 0,
				  "empty directory: not an image layout");
	finish(im);
	return 0;
}

/* ---- reading a base image (base.c) ---- */

/* A scan of its own, so that reading the base records nothing in the
 * caller's; the base image run's layers are skipped (ids_only). */
static void base_init(struct img *im, struct ls_scan *sub,
		      struct ls_scan *scan, const char *name)
{
	ls_scan_init(sub, scan->rs, &scan->opts);
	sub->root = scan->root;
	img_init(im, sub, name, NULL);
	im->ids_only = 1;
}

static int base_done(struct img *im, struct ls_scan *sub, int ret,
		     struct ls_image_base *base, struct ls_err *err)
{
	if (!ret)
		ret = ls_image_base_collect(im, base, err);
	img_release(im);
	ls_scan_release(sub);
	return ret;
}

int ls_image_base_read_fd(struct ls_image_base *base, struct ls_scan *scan,
			  int fd, const char *name, struct ls_err *err)
{
	struct img im;
	struct ls_scan sub;
	struct archive *a = ls_image_new_reader(0);

	memset(base, 0, sizeof(*base));
	base_init(&im, &sub, scan, name);
	return base_done(&im, &sub, scan_archive(&im, a, archive_read_open_fd(
							 a, fd, IOBUF), err),
			 base, err);
}

int ls_image_base_read_path(struct ls_image_base *base, struct ls_scan *scan,
			    const char *path, const char *name,
			    struct ls_err *err)
{
	struct img im;
	struct ls_scan sub;
	struct stat st;
	int ret;

	memset(base, 0, sizeof(*base));
	if (!name)
		name = path;
	if (!strcmp(path, "-"))
		return ls_err_set(err, LS_EINVAL, name, 0, 0,
				  "a base image cannot be read from standard input");
	if (stat(path, &st))
		return ls_err_set(err, errno == ENOENT ? LS_ENOTFOUND : LS_EIO,
				  name, 0, 0, "cannot open: %s", strerror(errno));
	base_init(&im, &sub, scan, name);
	if (S_ISDIR(st.st_mode)) {
		ret = scan_dir(&im, path, err);
	} else if (S_ISREG(st.st_mode)) {
		/* one pass: libarchive seeks over the layers' bytes */
		struct archive *a = ls_image_new_reader(0);
		ret = scan_archive(&im, a, archive_read_open_filename(
					   a, path, IOBUF), err);
	} else {
		ret = ls_err_set(err, LS_EINVAL, name, 0, 0,
				 "not a file or directory");
	}
	return base_done(&im, &sub, ret, base, err);
}

/* ---- scanning an image ---- */

int ls_image_scan_fd(struct ls_scan *scan, int fd, const char *name,
		     const struct ls_image_opts *o, struct ls_err *err)
{
	struct img im;
	struct archive *a = ls_image_new_reader(0);
	int ret;

	img_init(&im, scan, name, o);
	ret = scan_archive(&im, a, archive_read_open_fd(a, fd, IOBUF), err);
	img_release(&im);
	return ret;
}

int ls_image_scan_path(struct ls_scan *scan, const char *path,
		       const char *name, const struct ls_image_opts *o,
		       struct ls_err *err)
{
	struct img im;
	struct stat st;
	int ret;

	if (!name)
		name = path;
	if (!strcmp(path, "-"))
		return ls_image_scan_fd(scan, 0, name, o, err);
	if (stat(path, &st))
		return ls_err_set(err, errno == ENOENT ? LS_ENOTFOUND : LS_EIO,
				  name, 0, 0, "cannot open: %s", strerror(errno));
	img_init(&im, scan, name, o);
	if (S_ISDIR(st.st_mode)) {
		ret = scan_dir(&im, path, err);
	} else if (S_ISREG(st.st_mode)) {
		struct archive *a;
		if (scan_indexed(&im, path)) {
			ret = 0;
		} else {
			a = ls_image_new_reader(0);
			ret = scan_archive(&im, a, archive_read_open_filename(
						   a, path, IOBUF), err);
		}
	} else {
		ret = ls_err_set(err, LS_EINVAL, name, 0, 0,
				 "not a file or directory");
	}
	img_release(&im);
	return ret;
}
