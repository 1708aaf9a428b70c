/*
 * layer.c - one layer's entries, in order; see image.h.
 *
 * A layer is scanned as a nested libarchive stream fed by a read callback
 * (la_read) that pulls the outer entry's bytes through a peeked reader (the
 * bytes handle_blob looked at first) and, for gzip, ISA-L.  For each layer
 * entry: whiteouts (.wh.NAME, .wh..wh..opq) and every path are recorded in
 * the blob's path sets, hard links in its link list, the entry in the
 * inventory; regular files go through the scan pipeline (or, when they are
 * archives themselves, are walked as nested archives up to a depth limit:
 * scan_nested, here because it opens an archive the same way as
 * ls_image_scan_layer; archives small enough to memoise go to nested.c).
 *
 * The readers and the layer's budget (--max-layer-size, --max-ratio,
 * --max-nested-size) are here too: every byte of a layer passes them.
 */
#include "source/image/internal.h"
#include "source/pkgdb/pkgdb.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/inflate.h"
#include "source/inventory.h"
#include "util/size.h"
#include "util/xalloc.h"

/* An entry's size when its header gives one, else -1. */
long long ls_image_entry_size(struct archive_entry *e)
{
	return archive_entry_size_is_set(e) ?
		(long long)archive_entry_size(e) : -1;
}

/* Magic numbers of what libarchive can open as an archive or filter. */
int ls_image_looks_archive(const unsigned char *p, size_t n)
{
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return 1;                               /* gzip */
	if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f &&
	    p[3] == 0xfd)
		return 1;                               /* zstd */
	if (n >= 6 && !memcmp(p, "\xfd" "7zXZ", 5))
		return 1;                               /* xz */
	if (n >= 3 && !memcmp(p, "BZh", 3))
		return 1;                               /* bzip2 */
	if (n >= 4 && !memcmp(p, "PK\003\004", 4))
		return 1;                               /* zip, jar, whl */
	if (n >= 262 && !memcmp(p + 257, "ustar", 5))
		return 1;                               /* tar */
	return 0;
}

/* ---- readers ---- */

/*
 * Is the layer over its budget (struct layer_budget, internal.h)?  The
 * first time it is, the error is recorded; LS_ELIMIT from then on.
 */
static int layer_over(struct layer_budget *lb, const char *image,
		      const char *layer, const char *what)
{
	unsigned long long out, in;
	char sz[LS_SIZE_BUF];

	if (!lb)
		return 0;
	if (lb->over)
		return LS_ELIMIT;
	out = (unsigned long long)archive_filter_bytes(lb->a, 0);
	in = *lb->raw;
	if (out > lb->lim->layer_size) {
		lb->over = 1;
		ls_scan_error(lb->scan, image,
			      "layer %s: inflates to more than --max-layer-size (%s), at '%s': the rest of the layer was not scanned",
			      layer, ls_size_format(sz, sizeof(sz),
						    lb->lim->layer_size), what);
		return LS_ELIMIT;
	}
	if (lb->lim->ratio != LS_LIMIT_NONE && out > LS_RATIO_FLOOR_LAYER &&
	    out / (in + 1) >= lb->lim->ratio) {
		lb->over = 1;
		ls_scan_error(lb->scan, image,
			      "layer %s: decompression bomb: %llu bytes from %llu, reaching --max-ratio (%llu:1), at '%s': the rest of the layer was not scanned",
			      layer, out, in, lb->lim->ratio, what);
		return LS_ELIMIT;
	}
	return 0;
}

/* struct entry_src: internal.h */
static int layer_fault(const struct la_src *s);

long ls_image_entry_read(void *ud, char *buf, size_t n, struct ls_err *err)
{
	struct entry_src *s = ud;
	la_ssize_t k;

	if (s->check && layer_over(s->lb, s->image, s->layer, s->what))
		return LS_ELIMIT;
	k = archive_read_data(s->a, buf, n);
	if (k < 0 && ((s->lb && s->lb->over) || (s->limit && *s->limit)))
		return LS_ELIMIT;   /* a limit, reported by its checker */

	if (k < 0) {
		const char *msg = archive_error_string(s->a) ?
			archive_error_string(s->a) : "read error";
		/* a member of an archive inside a layer (encrypted, damaged,
		 * an unsupported method) while the layer itself reads fine:
		 * a warning (scan.h, "warnings") */
		if (s->layer && !s->check && !layer_fault(s->under))
			return ls_err_set(err, LS_EUNREADABLE, s->image, 0, 0,
					  "layer %s: '%s': %s", s->layer,
					  s->what, msg);
		if (s->layer)
			return ls_err_set(err, LS_EFORMAT, s->image, 0, 0,
					  "layer %s: '%s': %s", s->layer, s->what,
					  msg);
		return ls_err_set(err, LS_EFORMAT, s->image, 0, 0, "'%s': %s",
				  s->what, msg);
	}
	return (long)k;
}

/* The ls_reader of struct peeked (internal.h). */
static long peeked_read(void *ud, char *buf, size_t n, struct ls_err *err)
{
	struct peeked *p = ud;
	long k;

	if (p->off < p->n) {
		size_t m = p->n - p->off;
		if (m > n)
			m = n;
		memcpy(buf, p->buf + p->off, m);
		p->off += m;
		k = (long)m;
	} else if (p->eof) {
		return 0;
	} else {
		k = p->under->read(p->under->ud, buf, n, err);
		if (k <= 0)
			return k;
	}
	p->total += (unsigned long long)k;
	if (p->produced) {
		unsigned long long out = *p->produced += (unsigned long long)k;
		char sz[LS_SIZE_BUF];
		if (*p->limit)
			return LS_ELIMIT;   /* reported */
		if (p->lim->ratio != LS_LIMIT_NONE &&
		    out > LS_RATIO_FLOOR_NESTED &&
		    out / (*p->consumed + 1) >= p->lim->ratio) {
			*p->limit = 2;
			return ls_err_set(err, LS_ELIMIT, p->image, 0, 0,
					  "layer %s: '%s': decompression bomb: %llu bytes from %llu, reaching --max-ratio (%llu:1): the rest was not scanned",
					  p->layer, p->what, out, *p->consumed,
					  p->lim->ratio);
		}
		if (out > p->lim->nested_size) {
			*p->limit = 2;
			return ls_err_set(err, LS_ELIMIT, p->image, 0, 0,
					  "layer %s: '%s': nested archive inflates to more than --max-nested-size (%s): the rest was not scanned",
					  p->layer, p->what,
					  ls_size_format(sz, sizeof(sz), p->lim->nested_size));
		}
	}
	return k;
}

/* Fill p->buf with up to PEEK bytes from p->under. */
int ls_image_peek_fill(struct peeked *p, struct ls_err *err)
{
	while (p->n < PEEK) {
		long k = p->under->read(p->under->ud, p->buf + p->n, PEEK - p->n,
					err);
		if (k < 0)
			return (int)k;
		if (k == 0) {
			p->eof = 1;
			break;
		}
		p->n += (size_t)k;
	}
	return 0;
}

/* libarchive read callback over an ls_reader (for nested archives). */
struct la_src {
	struct ls_reader *r;
	char buf[IOBUF];
	unsigned long long consumed;
	struct ls_err err;
	int failed;
	/*
	 * Limits, checked on every read: libarchive also reads to skip the
	 * data of entries nobody reads (links, a file cut short by
	 * --max-file-size), and a filter (gzip, zstd, xz) may inflate a bomb
	 * doing so.  A layer: its budget (NULL: none); a nested archive
	 * (`nested` set): --max-nested-size and --max-ratio on the bytes its
	 * filters give, against `consumed`.
	 */
	struct layer_budget *lb;
	int nested;
	const struct ls_limits *lim;
	const char *image, *layer, *what;
	int limit;                  /* err holds a limit's whole message */
};

/*
 * Did the bytes under an archive fail to come (the layer's fault, or a
 * limit), rather than the archive itself being unreadable?  A member of
 * a nested archive that could not be read passes LS_EUNREADABLE up: that
 * stays the archive's fault.
 */
static int layer_fault(const struct la_src *s)
{
	return s && s->failed && s->err.code != LS_EUNREADABLE;
}

static la_ssize_t la_read(struct archive *a, void *ud, const void **out)
{
	struct la_src *s = ud;
	long k;

	if (s->lb && !s->nested &&
	    layer_over(s->lb, s->image, s->layer, s->lb->cur)) {
		s->failed = 1;
		s->err.msg[0] = '\0';
		archive_set_error(a, EIO, "%s", "layer over its limit");
		return -1;
	}
	if (s->limit) {
		archive_set_error(a, EIO, "%s", "nested archive over its limit");
		return -1;
	}
	if (s->nested) {
		unsigned long long o = (unsigned long long)archive_filter_bytes(a, 0);
		char sz[LS_SIZE_BUF];
		int over = 0;
		if (o > s->lim->nested_size) {
			snprintf(s->err.msg, sizeof(s->err.msg),
				 "layer %s: '%s': nested archive inflates to more than --max-nested-size (%s): the rest was not scanned",
				 s->layer, s->what,
				 ls_size_format(sz, sizeof(sz), s->lim->nested_size));
			over = 1;
		} else if (s->lim->ratio != LS_LIMIT_NONE &&
			   o > LS_RATIO_FLOOR_NESTED &&
			   o / (s->consumed + 1) >= s->lim->ratio) {
			snprintf(s->err.msg, sizeof(s->err.msg),
				 "layer %s: '%s': decompression bomb: %llu bytes from %llu, reaching --max-ratio (%llu:1): the rest was not scanned",
				 s->layer, s->what, o, s->consumed, s->lim->ratio);
			over = 1;
		}
		if (over) {
			s->failed = 1;
			s->limit = 1;
			archive_set_error(a, EIO, "%s", s->err.msg);
			return -1;
		}
	}
	k = s->r->read(s->r->ud, s->buf, sizeof(s->buf), &s->err);
	if (k < 0) {
		s->failed = 1;
		archive_set_error(a, EIO, "%s", s->err.msg);
		return -1;
	}
	s->consumed += (unsigned long long)k;
	*out = s->buf;
	return (la_ssize_t)k;
}

struct archive *ls_image_new_reader(int raw)
{
	struct archive *a = archive_read_new();

	if (!a)
		LS_BUG("out of memory in libarchive");
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	/* a lone compressed file (app.log.gz) reads as one entry "data" */
	if (raw)
		archive_read_support_format_raw(a);
	return a;
}

/* ---- layers and nested archives ---- */

static void scan_entries(struct img *im, struct blob *b, struct archive *a,
			 const char *prefix, unsigned depth, const char *what,
			 struct la_src *src, struct layer_budget *lb);

/* The item for a file of layer `b` (`path` borrowed). */
static void layer_item(struct img *im, struct blob *b, const char *path,
		       struct ls_item *it)
{
	memset(it, 0, sizeof(*it));
	it->source = LS_SOURCE_FILE;
	it->path = (char *)path;
	it->layer = &b->layer;
	it->origin = im->name;
	it->history_index = -1;
}

/* In a layer task: pass the statistics on to the run as they come. */
void ls_image_pass_stats(struct img *im)
{
	if (!im->parent)
		return;
	pthread_mutex_lock(&im->parent->lock);
	im->parent->stats.files += im->scan->stats.files;
	im->parent->stats.bytes += im->scan->stats.bytes;
	pthread_mutex_unlock(&im->parent->lock);
	im->scan->stats.files = 0;
	im->scan->stats.bytes = 0;
}

/* Walk the archive whose bytes `r` gives, found at `path`. */
void ls_image_scan_nested(struct img *im, struct blob *b, struct ls_reader *r,
			  const char *path, unsigned depth,
			  struct layer_budget *lb)
{
	struct archive *a = ls_image_new_reader(1);
	struct la_src *src = ls_xcalloc(1, sizeof(*src));
	char *prefix = ls_xasprintf("%s!", path);

	src->r = r;
	src->nested = 1;
	src->lim = &im->scan->opts.limits;
	src->lb = lb;
	src->image = im->name;
	src->layer = b->key;
	src->what = path;
	if (archive_read_open2(a, src, NULL, la_read, NULL, NULL) == ARCHIVE_OK)
		scan_entries(im, b, a, prefix, depth + 1, path, src, lb);
	else if (layer_fault(src) || src->limit)
		ls_scan_error(im->scan, im->name,
			      "layer %s: '%s' looks like an archive but cannot be read: %s",
			      b->key, path, src->err.msg[0] ? src->err.msg :
			      archive_error_string(a) ? archive_error_string(a) :
			      "unknown format");
	else    /* the archive's own fault, not the layer's: a warning */
		ls_scan_warning(im->scan, im->name,
				"layer %s: '%s' looks like an archive but cannot be read: %s",
				b->key, path, archive_error_string(a) ?
				archive_error_string(a) : "unknown format");
	archive_read_free(a);
	free(prefix);
	free(src);
}

/*
 * Read a layer file whole, up to `max` bytes, into a NUL-terminated buffer
 * (*out, owned by the caller).  The length, or < 0 after recording the
 * error (a limit that reported itself is not reported again).
 */
long ls_image_read_whole(struct img *im, struct blob *b, struct ls_reader *r,
			 const char *path, size_t max, char **out)
{
	size_t cap = max < 8192 ? max : 8192, len = 0;
	char *buf = ls_xmalloc(cap + 1);
	struct ls_err err;

	ls_err_clear(&err);
	for (;;) {
		long k;
		if (len == cap) {
			if (cap >= max)
				break;
			cap = cap > max / 2 ? max : cap * 2;
			buf = ls_xrealloc(buf, cap + 1);
		}
		k = r->read(r->ud, buf + len, cap - len, &err);
		if (k < 0) {
			if (k != LS_ELIMIT || err.msg[0])
				ls_scan_error(im->scan, im->name,
					      "layer %s: '%s': %s", b->key,
					      path, err.msg);
			free(buf);
			return k;
		}
		if (!k)
			break;
		len += (size_t)k;
	}
	buf[len] = '\0';
	*out = buf;
	return (long)len;
}

/* How many findings the scan holds (workers add under the lock). */
static size_t findings_count(struct ls_scan *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->findings.n;
	pthread_mutex_unlock(&s->lock);
	return n;
}

/*
 * Scan one regular file of a layer (or of a nested archive): as a nested
 * archive when it is one and the depth allows, else through the pipeline.
 * `size` is the entry's size when known, else -1.
 */
static void scan_file(struct img *im, struct blob *b, struct ls_reader *r,
		      const char *path, unsigned depth, struct layer_budget *lb,
		      long long size)
{
	struct peeked pk;
	struct ls_err err;
	struct ls_item it;
	struct ls_reader pr = { peeked_read, &pk };
	struct ls_reader tr, *use = &pr;
	struct ls_tee *tee = NULL;
	size_t n0 = 0, d0 = 0;
	int capped = 0;

	memset(&pk, 0, sizeof(pk));
	pk.under = r;
	ls_err_clear(&err);
	if (ls_image_peek_fill(&pk, &err) < 0) {
		if (err.code == LS_EUNREADABLE)   /* names layer and path */
			ls_scan_warning(im->scan, im->name, "%s", err.msg);
		else
			ls_scan_error(im->scan, im->name, "layer %s: '%s': %s",
				      b->key, path, err.msg);
		return;
	}
	/* a layer's own file goes through the tee, so that its digests can
	 * be taken if it gives a finding (provenance.c); an archive's are
	 * the compressed bytes', as the package database has them */
	if (depth == 0 && im->tee &&
	    (size < 0 || size <= (long long)im->tee->max)) {
		tee = im->tee;
		ls_tee_start(tee, &pr, &tr);
		use = &tr;
		n0 = findings_count(im->scan);
		d0 = im->ndefer;
	}
	if (depth < im->max_depth &&
	    ls_image_looks_archive((const unsigned char *)pk.buf, pk.n)) {
		/* only an archive in a layer itself: one inside another
		 * is memoised with it */
		if (im->memo && !im->rec && depth == 0 && size >= 0 &&
		    size <= (long long)MEMO_BLOB_MAX)
			ls_image_scan_archive_memo(im, b, use, (size_t)size,
						   path, depth, lb);
		else
			ls_image_scan_nested(im, b, use, path, depth, lb);
	} else {
		layer_item(im, b, path, &it);
		if (depth == 0)
			it.capped = &capped;
		if (im->rec) {
			unsigned long long f0 = im->scan->stats.files;
			unsigned long long b0 = im->scan->stats.bytes;
			ls_worker_scan(im->w, &it, use);
			ls_image_memo_rec_item(im, path,
					       im->scan->stats.files - f0,
					       im->scan->stats.bytes - b0);
		} else {
			ls_worker_scan(im->w, &it, use);
		}
	}
	/* findings now, or an archive set aside whose findings come at the
	 * end of the layer (nested.c) */
	if (tee && (findings_count(im->scan) > n0 || im->ndefer > d0) &&
	    !ls_tee_drain(tee)) {
		struct ls_digests d;
		if (!ls_tee_digests(tee, &d))
			ls_image_keep_digests(b, path, &d);
	}
	if (capped)
		ls_image_keep_capped(b, path);
	ls_image_pass_stats(im);
}

/* Record a layer entry in the inventory. */
static void inv_add(struct ls_inv_layer *l, struct archive_entry *e,
		    const char *path)
{
	char type;
	const char *link = NULL;

	if (archive_entry_hardlink(e)) {
		type = LS_INV_HARDLINK;
		link = archive_entry_hardlink(e);
	} else {
		switch (archive_entry_filetype(e)) {
		case AE_IFREG:
			type = LS_INV_FILE;
			break;
		case AE_IFDIR:
			type = LS_INV_DIR;
			break;
		case AE_IFLNK:
			type = LS_INV_SYMLINK;
			link = archive_entry_symlink(e);
			break;
		default:
			type = LS_INV_OTHER;
			break;
		}
	}
	ls_inv_layer_add(l, path, link, type,
			 (unsigned)archive_entry_perm(e) |
			 ((unsigned)archive_entry_mode(e) & 07000),
			 archive_entry_size(e) > 0 ?
			 (unsigned long long)archive_entry_size(e) : 0,
			 (unsigned long)archive_entry_uid(e),
			 (unsigned long)archive_entry_gid(e));
}

/*
 * A small system file the policy reads (/etc/passwd, the package
 * databases; `inv`) or a package database provenance reads (`db`): read
 * it whole, keep a copy in the inventory and or for provenance, and scan
 * it like any other file.
 */
static void scan_captured(struct img *im, struct blob *b, struct ls_reader *r,
			  const char *path, int inv, int db)
{
	char *buf;
	long len = ls_image_read_whole(im, b, r, path,
				       db ? DBFILE_MAX : LS_INV_CAPTURE_MAX,
				       &buf);
	struct ls_item it;
	struct ls_digests d;
	size_t n0 = findings_count(im->scan);
	int capped = 0;

	if (len < 0)
		return;
	layer_item(im, b, path, &it);
	it.capped = &capped;
	ls_worker_scan_buffer(im->w, &it, buf, (size_t)len);
	if (capped)
		ls_image_keep_capped(b, path);
	if (findings_count(im->scan) > n0) {
		/* a package's own package.json is both */
		ls_digests_of(buf, (size_t)len, &d);
		ls_image_keep_digests(b, path, &d);
	}
	if (db)
		ls_image_keep_dbfile(im, b, path, buf, (size_t)len);
	if (inv)
		ls_inv_layer_file(b->inv, path, buf, (size_t)len);  /* takes buf */
	else
		free(buf);
	ls_image_pass_stats(im);
}

/* "layer L: " or "layer L: 'ARCHIVE': " for messages about an archive */
#define WHERE_FMT "layer %s: %s%s%s"
#define WHERE_ARGS(b, depth, what) (b)->key, (depth) ? "'" : "", \
	(depth) ? (what) : "", (depth) ? "': " : ""

static void scan_entries(struct img *im, struct blob *b, struct archive *a,
			 const char *prefix, unsigned depth, const char *what,
			 struct la_src *src, struct layer_budget *lb)
{
	const struct ls_limits *lim = &im->scan->opts.limits;
	struct archive_entry *e;
	int r;
	unsigned long long produced = 0, entries = 0;

	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
	       r == ARCHIVE_WARN) {
		const char *raw = archive_entry_pathname(e);
		char *p, *base, *full;
		struct entry_src es;
		struct ls_reader er;
		size_t rawlen;
		int inv, db;

		if (!depth && lb)
			ls_err_sanitize(lb->cur, sizeof(lb->cur), raw ? raw : "",
					raw ? strlen(raw) : 0);
		if (!depth && layer_over(lb, im->name, b->key, lb ? lb->cur : ""))
			break;
		if (lb && lb->over)
			break;
		if (ls_scan_expired(im->scan))
			break;
		if (++entries > lim->entries) {
			ls_scan_error(im->scan, im->name,
				      WHERE_FMT "more than --max-entries (%llu) entries: the rest was not scanned",
				      WHERE_ARGS(b, depth, what), lim->entries);
			break;
		}
		if (!raw || !raw[0])
			continue;   /* nameless entries carry nothing */
		rawlen = strlen(raw);
		if (rawlen > lim->path_length) {
			char safe[80];
			ls_err_sanitize(safe, sizeof(safe), raw, strlen(raw) < 64 ? strlen(raw) : 64);
			ls_scan_error(im->scan, im->name,
				      WHERE_FMT "an entry name of %zu bytes is longer than --max-path-length (%llu): '%s...' was not scanned",
				      WHERE_ARGS(b, depth, what), rawlen,
				      lim->path_length, safe);
			continue;
		}
		p = ls_image_norm_path(raw);
		if (!p[0]) {
			free(p);
			continue;
		}
		base = strrchr(p, '/');
		base = base ? base + 1 : p;
		if (depth == 0 && !strncmp(base, ".wh.", 4)) {
			/* whiteouts: name the deleted path */
			size_t dl = (size_t)(base - p);
			char *dir = ls_xstrndup(p, dl ? dl - 1 : 0);
			if (!strcmp(base, ".wh..wh..opq")) {
				ls_strset_put(&b->opaque, dir, 0);
				if (b->inv)
					ls_inv_layer_opaque(b->inv, dir);
			} else {
				char *gone = dl ? ls_xasprintf("%s/%s", dir, base + 4)
						: ls_xstrdup(base + 4);
				ls_strset_put(&b->whiteouts, gone, 0);
				if (b->inv)
					ls_inv_layer_whiteout(b->inv, gone);
				free(gone);
			}
			free(dir);
			free(p);
			continue;
		}
		if (depth == 0)
			ls_strset_put(&b->paths, p, 0);
		if (depth == 0 && b->inv)
			inv_add(b->inv, e, p);
		if (depth == 0 && archive_entry_hardlink(e)) {
			/* no data of its own: the content is its target's */
			size_t k = b->nhl;
			LS_ALLOC_GROW(b->hl_name, k + 1, b->hl_alloc);
			b->hl_target = ls_xreallocarray(b->hl_target, b->hl_alloc,
							sizeof(char *));
			b->hl_name[k] = ls_xstrdup(p);
			b->hl_target[k] = ls_image_norm_path(archive_entry_hardlink(e));
			b->nhl++;
			free(p);
			continue;
		}
		if (archive_entry_filetype(e) != AE_IFREG) {
			free(p);
			continue;
		}
		full = ls_xasprintf("%s%s", prefix, p);
		es.a = a;
		es.image = im->name;
		es.layer = b->key;
		es.what = full;
		es.lb = lb;
		es.check = !depth;
		es.limit = src ? &src->limit : NULL;
		es.under = src;
		er.read = ls_image_entry_read;
		er.ud = &es;
		inv = depth == 0 && b->inv && ls_inv_wants_file(p) &&
			archive_entry_size(e) <= (la_int64_t)LS_INV_CAPTURE_MAX;
		db = depth == 0 && ls_pkgdb_kind_of(p) != LS_PKGDB_NONE &&
			archive_entry_size(e) <= (la_int64_t)DBFILE_MAX;
		if (inv || db) {
			scan_captured(im, b, &er, p, inv, db);
		} else if (depth > 0) {
			/* nested archive member: count inflation */
			struct peeked bomb;
			struct ls_reader br = { peeked_read, &bomb };
			memset(&bomb, 0, sizeof(bomb));
			bomb.under = &er;
			bomb.off = bomb.n = 0;
			bomb.produced = &produced;
			bomb.consumed = &src->consumed;
			bomb.lim = lim;
			bomb.limit = &src->limit;
			bomb.image = im->name;
			bomb.layer = b->key;
			bomb.what = what;
			scan_file(im, b, &br, full, depth, lb,
				  ls_image_entry_size(e));
		} else {
			scan_file(im, b, &er, full, depth, lb,
				  ls_image_entry_size(e));
		}
		free(full);
		free(p);
		if (lb && lb->over)
			break;
	}
	if (r != ARCHIVE_EOF && r != ARCHIVE_OK && r != ARCHIVE_WARN &&
	    !(lb && lb->over) && src && src->limit == 1) {
		ls_scan_error(im->scan, im->name, "%s", src->err.msg);
	} else if (r != ARCHIVE_EOF && r != ARCHIVE_OK && r != ARCHIVE_WARN &&
		   !(lb && lb->over) && !(src && src->limit)) {
		const char *msg = archive_error_string(a);
		if (src && src->failed && src->err.msg[0])
			msg = src->err.msg;
		if (depth && !layer_fault(src))
			/* an archive inside a layer is damaged, the layer
			 * is not: a warning (scan.h, "warnings") */
			ls_scan_warning(im->scan, im->name, "layer %s: %s: %s",
					b->key, what,
					msg ? msg : "truncated or corrupt archive");
		else
			ls_scan_error(im->scan, im->name, "layer %s: %s%s%s",
				      b->key, depth ? what : "",
				      depth ? ": " : "",
				      msg ? msg : "truncated or corrupt archive");
		if (!depth)
			b->failed = 1;
	}
}

/*
 * Scan a blob that looks like a layer.  A gzip layer is inflated by ISA-L
 * (content/inflate.h), three times as fast as libarchive's zlib; libarchive
 * then reads a plain tar.
 */
void ls_image_scan_layer(struct img *im, struct blob *b, struct peeked *pk)
{
	struct archive *a = ls_image_new_reader(0);
	struct la_src *src = ls_xcalloc(1, sizeof(*src));
	struct ls_reader pr = { peeked_read, pk };
	struct ls_gunzip *gz = NULL;
	struct ls_reader gr;
	struct ls_scan *stats = im->parent ? im->parent : im->scan;
	struct layer_budget lb;

	b->kind = BLOB_LAYER;
	if (im->inv && !b->inv)
		b->inv = ls_inv_layer_new();
	src->r = &pr;
	lb.scan = im->scan;
	lb.a = a;
	lb.raw = &pk->total;
	lb.lim = &im->scan->opts.limits;
	lb.over = 0;
	snprintf(lb.cur, sizeof(lb.cur), "(the first entry)");
	src->lb = &lb;
	src->lim = lb.lim;
	src->image = im->name;
	src->layer = b->key;
	if (ls_is_gzip((const unsigned char *)pk->buf, pk->n)) {
		gz = ls_gunzip_new(&pr);
		gr.read = ls_gunzip_read;
		gr.ud = gz;
		src->r = &gr;
	}
	if (archive_read_open2(a, src, NULL, la_read, NULL, NULL) != ARCHIVE_OK) {
		ls_scan_error(im->scan, im->name, "layer %s: not an archive: %s",
			      b->key, archive_error_string(a) ?
			      archive_error_string(a) : "unknown format");
		b->failed = 1;
	} else {
		scan_entries(im, b, a, "", 0, b->key, src, &lb);
		ls_image_memo_deferred(im, b, &lb);
		if (b->inv) {
			la_int64_t n = archive_filter_bytes(a, 0);
			b->inv->bytes = n > 0 ? (unsigned long long)n : 0;
		}
	}
	archive_read_free(a);
	free(src);
	ls_gunzip_free(gz);
	pthread_mutex_lock(&stats->lock);
	stats->stats.layers++;
	pthread_mutex_unlock(&stats->lock);
}
