/*
 * image.c - saved container images as a source; see image.h.
 *
 * The pass over the input:
 *
 *   outer tar entry --+-- symlink (<id>/layer.tar -> ../<digest>.tar): remember
 *                     +-- small JSON (manifest, index, config): keep in memory
 *                     +-- archive (a layer: tar, tar.gz, tar.zst): scan now
 *                     +-- anything else: skip
 *
 * A layer is scanned as a nested libarchive stream fed by a read callback
 * that pulls the outer entry's bytes.  For each layer entry: whiteouts
 * (.wh.NAME, .wh..wh..opq) and every path are recorded in the blob's path
 * sets; regular files go through the scan pipeline (or, when they are
 * archives themselves, are walked as nested archives up to a depth limit).
 *
 * At the end the manifests say which blobs are layers of which image, in
 * which order; each layer gets its index, its diff_id (the digest of the
 * uncompressed tar, the same in every format, so a docker-archive and an
 * oci-archive of one image give identical findings) and the history entry
 * that created it (history entries with empty_layer do not count).  Then
 * the image configs and history are scanned, each finding in a layer file is
 * completed, and copies of one secret at one path in several layers become
 * one finding listing those layers.
 */
#define _GNU_SOURCE
#include "source/image/image.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content/inflate.h"
#include "finding/fingerprint.h"
#include "scan/memo.h"
#include "source/inventory.h"
#include "util/buf.h"
#include "util/size.h"
#include "util/strset.h"
#include "util/sort.h"
#include "util/xalloc.h"

#define PEEK 1024
#define IOBUF (64u << 10)

enum blob_kind { BLOB_UNKNOWN, BLOB_JSON, BLOB_LAYER, BLOB_OTHER };

struct blob {
	char *key;                  /* entry name, normalised */
	enum blob_kind kind;
	char *json;
	size_t json_len;
	struct ls_strset paths;     /* every path in the layer */
	struct ls_strset whiteouts; /* paths deleted by this layer */
	struct ls_strset opaque;    /* directories made opaque */
	char **hl_name, **hl_target;     /* hard links in this layer */
	size_t nhl, hl_alloc;
	struct ls_finding_layer layer;   /* what items point to */
	int failed;                 /* reading it failed (error recorded) */
	struct ls_inv_layer *inv;   /* entries, for the inventory (or NULL) */
	long inv_index;             /* its index in the inventory, or -1 */
	/* assigned from the manifests */
	int index;                  /* -1: not a layer of any image */
	char *digest;
	char *created_by;
	char *image;                /* reference name of the image */
	int image_no;
};

struct link {
	char *name, *target;
};

struct img {
	struct ls_scan *scan;
	struct ls_worker *w;
	/*
	 * Set in a layer task's copy of the image (see "parallel layers"):
	 * `scan` is then the task's own, and `parent` the run's scan, where
	 * statistics go as they happen (for the progress line).
	 */
	struct ls_scan *parent;
	const char *name;
	unsigned max_depth;
	struct ls_inventory *inv;   /* filled when asked (NULL: not) */
	struct ls_memo *memo;       /* shared by the layer tasks (or NULL) */
	struct memo_rec *rec;       /* an archive's first copy being
				       recorded for the memo (or NULL) */
	struct deferred *defer;     /* archives set aside in this layer */
	size_t ndefer, defer_alloc, defer_bytes;
	struct blob **blobs;
	size_t nblobs, alloc;
	struct ls_strset bykey;     /* key -> blob index */
	struct link *links;
	size_t nlinks, links_alloc;
	int truncated;              /* the outer archive ended in an error */
	/* layers per image, in order */
	struct {
		struct blob **layers;
		size_t n;
	} *images;
	size_t nimages, images_alloc;
};

/* ---- small helpers ---- */

/* Strip "./" and "/" prefixes, duplicate and trailing slashes. */
static char *norm_path(const char *p)
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

static struct blob *blob_get(struct img *im, const char *key)
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

/* Magic numbers of what libarchive can open as an archive or filter. */
/* An entry's size when its header gives one, else -1. */
static long long entry_size(struct archive_entry *e)
{
	return archive_entry_size_is_set(e) ?
		(long long)archive_entry_size(e) : -1;
}

static int looks_archive(const unsigned char *p, size_t n)
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
 * What a layer may inflate to (--max-layer-size, --max-ratio): checked as
 * its entries' bytes and headers are read.  `raw` counts the blob's
 * (compressed) bytes; the inflated count is libarchive's position in the
 * uncompressed tar.  The first check that finds the layer over records
 * the error; from then on `over` stays set, every read of the layer fails
 * with LS_ELIMIT and no message (already reported: see ls_worker_scan) and
 * the entry loops stop.
 */
struct layer_budget {
	struct ls_scan *scan;
	struct archive *a;
	const unsigned long long *raw;
	const struct ls_limits *lim;
	int over;
	char cur[256];              /* the entry being read, for messages */
};

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

/* An ls_reader over the current entry of a libarchive handle. */
struct entry_src {
	struct archive *a;
	const char *image;          /* for messages: the image ... */
	const char *layer;          /* ... the layer (NULL: outer entry) ... */
	const char *what;           /* ... and the entry */
	struct layer_budget *lb;    /* the layer's budget, or NULL */
	int check;                  /* a layer's own entry: check lb */
	const int *limit;           /* the archive's reader hit a limit (it
				       is reported at the archive's end) */
};

static long entry_read(void *ud, char *buf, size_t n, struct ls_err *err)
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
		if (s->layer)
			return ls_err_set(err, LS_EFORMAT, s->image, 0, 0,
					  "layer %s: '%s': %s", s->layer, s->what,
					  msg);
		return ls_err_set(err, LS_EFORMAT, s->image, 0, 0, "'%s': %s",
				  s->what, msg);
	}
	return (long)k;
}

/* An ls_reader that first returns bytes already peeked from another. */
struct peeked {
	struct ls_reader *under;
	char buf[PEEK];
	size_t n, off;
	int eof;
	/* bomb accounting for nested archives (0 = off) */
	unsigned long long *produced;
	const unsigned long long *consumed;
	const struct ls_limits *lim;
	const char *image, *layer, *what;   /* for messages */
	int *limit;                 /* set to 2 when a limit is hit here */
	unsigned long long total;   /* bytes returned so far */
};

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
static int peek_fill(struct peeked *p, struct ls_err *err)
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

static struct archive *new_reader(int raw)
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
static void pass_stats(struct img *im)
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
static void scan_nested(struct img *im, struct blob *b, struct ls_reader *r,
			 const char *path, unsigned depth,
			 struct layer_budget *lb)
{
	struct archive *a = new_reader(1);
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
	else
		ls_scan_error(im->scan, im->name,
			      "layer %s: '%s' looks like an archive but cannot be read: %s",
			      b->key, path, archive_error_string(a) ?
			      archive_error_string(a) : "unknown format");
	archive_read_free(a);
	free(prefix);
	free(src);
}

/* ---- the results memo (scan/memo.h) ---- */

/* Archives in a layer up to this size are read whole and memoised. */
#define MEMO_BLOB_MAX (4u << 20)
/* What the memo may hold for a run, and for one archive's items. */
#define MEMO_BUDGET (8u << 20)
#define MEMO_ITEMS_MAX 100000

/* Archives a layer task sets aside, in all, while another thread scans a
 * copy of the same bytes (see scan_archive_memo()). */
#define MEMO_DEFER_MAX (8u << 20)

/* An archive set aside, and where its messages would have gone. */
struct deferred {
	char *buf;
	size_t len;
	unsigned char key[LS_MEMO_KEY];
	char *path;
	unsigned depth;
	size_t ne, nn;              /* errors and notes then */
};

/* An archive's first copy, while it is scanned. */
struct memo_rec {
	struct ls_memo_entry *e;
	size_t plen;                /* its item paths start with path '!' */
	int bad;                    /* something made it unfit to keep */
	unsigned char *sig;
};

/* A file of the archive being recorded was scanned. */
static void memo_rec_item(struct img *im, const char *path,
			  unsigned long long files, unsigned long long bytes)
{
	struct memo_rec *rec = im->rec;

	if (rec->bad)
		return;
	if (strlen(path) < rec->plen || rec->e->nsfx >= MEMO_ITEMS_MAX) {
		rec->bad = 1;
		return;
	}
	ls_worker_path_sig(im->w, path, rec->sig, rec->e->siglen);
	ls_memo_entry_item(rec->e, path + rec->plen, rec->sig);
	rec->e->files += files;
	rec->e->bytes += bytes;
}

/* Would the items of `e`, under `prefix`, meet the same rules? */
static int memo_fits(struct img *im, const struct ls_memo_entry *e,
		     const char *prefix)
{
	size_t plen = strlen(prefix);
	unsigned char *sig = ls_xmalloc(e->siglen + 1);
	struct ls_buf full = { 0 };
	int ok = 1;

	if (ls_worker_path_sig(im->w, "", NULL, 0) != e->siglen) {
		free(sig);
		return 0;
	}
	for (size_t i = 0; i < e->nsfx && ok; i++) {
		full.n = 0;
		ls_buf_add(&full, prefix, plen);
		ls_buf_adds(&full, e->sfx[i]);
		ls_worker_path_sig(im->w, full.s, sig, e->siglen);
		ok = !memcmp(sig, e->sigs + i * e->siglen, e->siglen);
	}
	ls_buf_release(&full);
	free(sig);
	return ok;
}

/* What a scan of the archive at `prefix` in layer `b` would record. */
static void memo_replay(struct img *im, struct blob *b,
			const struct ls_memo_entry *e, const char *prefix)
{
	struct ls_scan *s = im->scan;

	for (size_t i = 0; i < e->nf; i++) {
		struct ls_finding *f = ls_finding_dup(e->f[i]);
		char *p = ls_xasprintf("%s%s", prefix, f->path);
		free(f->path);
		f->path = p;
		ls_finding_set_layer(f, &b->layer);
		ls_fingerprint_set(f, f->path);
		pthread_mutex_lock(&s->lock);
		ls_findings_add(&s->findings, f);
		pthread_mutex_unlock(&s->lock);
	}
	pthread_mutex_lock(&s->lock);
	s->stats.files += e->files;
	s->stats.bytes += e->bytes;
	pthread_mutex_unlock(&s->lock);
	pass_stats(im);
}

/*
 * Read a layer file whole, up to `max` bytes, into a NUL-terminated buffer
 * (*out, owned by the caller).  The length, or < 0 after recording the
 * error (a limit that reported itself is not reported again).
 */
static long read_whole(struct img *im, struct blob *b, struct ls_reader *r,
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

/*
 * An archive's bytes `buf` (its memo key `key`) met in a layer: replay the
 * findings of an earlier copy of the same bytes, or scan it and keep what
 * it found.  `wait`: 0 sets it aside instead (returns 1 and keeps `buf`)
 * when another thread is scanning a copy right now; else frees `buf`.
 */
static int memo_archive(struct img *im, struct blob *b, char *buf, size_t len,
			const unsigned char key[LS_MEMO_KEY], const char *path,
			unsigned depth, struct layer_budget *lb, int wait)
{
	const struct ls_memo_entry *old;
	char *prefix;
	struct ls_mem_reader mb;
	struct ls_reader mr;
	struct ls_scan *s = im->scan;
	int st = ls_memo_claim(im->memo, key, wait, &old);

	if (st == LS_MEMO_BUSY)
		return 1;
	prefix = ls_xasprintf("%s!", path);
	ls_reader_mem(&mr, &mb, buf, len);
	if (st == LS_MEMO_HIT && memo_fits(im, old, prefix)) {
		memo_replay(im, b, old, prefix);
	} else if (st == LS_MEMO_HIT) {
		scan_nested(im, b, &mr, path, depth, lb);
	} else {
		struct memo_rec rec;
		size_t nf = s->findings.n, ne = s->errors.n, nn = s->notes.n;

		memset(&rec, 0, sizeof(rec));
		rec.e = ls_memo_entry_new(key, ls_worker_path_sig(im->w, "",
								  NULL, 0));
		rec.plen = strlen(prefix);
		rec.sig = ls_xmalloc(rec.e->siglen + 1);
		im->rec = &rec;
		scan_nested(im, b, &mr, path, depth, lb);
		im->rec = NULL;
		if (!rec.bad && s->errors.n == ne && s->notes.n == nn &&
		    !(lb && lb->over) && !ls_scan_expired(s)) {
			for (size_t i = nf; i < s->findings.n; i++)
				ls_memo_entry_finding(rec.e, s->findings.v[i],
						      rec.plen);
			ls_memo_put(im->memo, rec.e);
		} else {
			ls_memo_unclaim(im->memo, key);
			ls_memo_entry_free(rec.e);
		}
		free(rec.sig);
	}
	free(prefix);
	free(buf);
	return 0;
}

/*
 * An archive of `size` bytes in a layer: read it whole and hand it to
 * memo_archive().  When another thread is scanning a copy of the same bytes
 * (two layers that repeat a tree, read at once), the archive is set aside
 * until the end of the layer, by when that copy's result is usually there
 * to replay (memo_deferred()): waiting at once would leave this thread
 * idle, and not waiting would inflate the same bytes twice.
 */
static void scan_archive_memo(struct img *im, struct blob *b,
			      struct ls_reader *r, size_t size,
			      const char *path, unsigned depth,
			      struct layer_budget *lb)
{
	char *buf;
	long len = read_whole(im, b, r, path, size, &buf);
	unsigned char key[LS_MEMO_KEY];
	int wait;
	struct deferred *d;

	if (len < 0)
		return;
	ls_memo_key(key, buf, (size_t)len, (unsigned char)depth);
	wait = im->defer_bytes + (size_t)len > MEMO_DEFER_MAX;
	if (!memo_archive(im, b, buf, (size_t)len, key, path, depth, lb, wait))
		return;
	LS_ALLOC_GROW(im->defer, im->ndefer + 1, im->defer_alloc);
	d = &im->defer[im->ndefer++];
	d->buf = buf;
	d->len = (size_t)len;
	memcpy(d->key, key, LS_MEMO_KEY);
	d->path = ls_xstrdup(path);
	d->depth = depth;
	d->ne = im->scan->errors.n;
	d->nn = im->scan->notes.n;
	im->defer_bytes += (size_t)len;
}

/* Move l->v[from..n) to position `to` (<= from), keeping their order. */
static void msgs_move_tail(struct ls_msgs *l, size_t from, size_t to)
{
	size_t k = l->n - from;
	char **tmp;

	if (!k || to == from)
		return;
	tmp = ls_xcalloc(k, sizeof(*tmp));
	memcpy(tmp, l->v + from, k * sizeof(*tmp));
	memmove(l->v + to + k, l->v + to, (from - to) * sizeof(*tmp));
	memcpy(l->v + to, tmp, k * sizeof(*tmp));
	free(tmp);
}

/*
 * At the end of a layer: the archives set aside, in order, now waiting for
 * the other thread's copy if need be.  Their errors and notes go where a
 * scan in place would have put them, so the report is the same for any
 * --threads (findings are sorted anyway).
 */
static void memo_deferred(struct img *im, struct blob *b,
			  struct layer_budget *lb)
{
	struct ls_scan *s = im->scan;
	size_t moved_e = 0, moved_n = 0;

	for (size_t i = 0; i < im->ndefer; i++) {
		struct deferred *d = &im->defer[i];
		size_t ne = s->errors.n, nn = s->notes.n;

		memo_archive(im, b, d->buf, d->len, d->key, d->path, d->depth,
			     lb, 1);
		msgs_move_tail(&s->errors, ne, d->ne + moved_e);
		msgs_move_tail(&s->notes, nn, d->nn + moved_n);
		moved_e += s->errors.n - ne;
		moved_n += s->notes.n - nn;
		free(d->path);
	}
	im->ndefer = 0;
	im->defer_bytes = 0;
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

	memset(&pk, 0, sizeof(pk));
	pk.under = r;
	ls_err_clear(&err);
	if (peek_fill(&pk, &err) < 0) {
		ls_scan_error(im->scan, im->name, "layer %s: '%s': %s", b->key,
			      path, err.msg);
		return;
	}
	if (depth < im->max_depth &&
	    looks_archive((const unsigned char *)pk.buf, pk.n)) {
		/* only an archive in a layer itself: one inside another
		 * is memoised with it */
		if (im->memo && !im->rec && depth == 0 && size >= 0 &&
		    size <= (long long)MEMO_BLOB_MAX)
			scan_archive_memo(im, b, &pr, (size_t)size, path,
					  depth, lb);
		else
			scan_nested(im, b, &pr, path, depth, lb);
		return;
	}
	layer_item(im, b, path, &it);
	if (im->rec) {
		unsigned long long f0 = im->scan->stats.files;
		unsigned long long b0 = im->scan->stats.bytes;
		ls_worker_scan(im->w, &it, &pr);
		memo_rec_item(im, path, im->scan->stats.files - f0,
			      im->scan->stats.bytes - b0);
	} else {
		ls_worker_scan(im->w, &it, &pr);
	}
	pass_stats(im);
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
 * databases): read it whole, keep a copy in the inventory, and scan it
 * like any other file.
 */
static void scan_captured(struct img *im, struct blob *b, struct ls_reader *r,
			  const char *path)
{
	char *buf;
	long len = read_whole(im, b, r, path, LS_INV_CAPTURE_MAX, &buf);
	struct ls_item it;

	if (len < 0)
		return;
	layer_item(im, b, path, &it);
	ls_worker_scan_buffer(im->w, &it, buf, (size_t)len);
	ls_inv_layer_file(b->inv, path, buf, (size_t)len);
	pass_stats(im);
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
		p = norm_path(raw);
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
			b->hl_target[k] = norm_path(archive_entry_hardlink(e));
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
		er.read = entry_read;
		er.ud = &es;
		if (depth == 0 && b->inv && ls_inv_wants_file(p) &&
		    archive_entry_size(e) <= (la_int64_t)LS_INV_CAPTURE_MAX) {
			scan_captured(im, b, &er, p);
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
				  entry_size(e));
		} else {
			scan_file(im, b, &er, full, depth, lb,
				  entry_size(e));
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
		ls_scan_error(im->scan, im->name, "layer %s: %s%s%s", b->key,
			      depth ? what : "", depth ? ": " : "",
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
static void scan_layer(struct img *im, struct blob *b, struct peeked *pk)
{
	struct archive *a = new_reader(0);
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
		memo_deferred(im, b, &lb);
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

/* One blob of the image (outer archive entry or layout file). */
static void handle_blob(struct img *im, const char *key, struct ls_reader *r,
			long long size)
{
	struct blob *b = blob_get(im, key);
	struct peeked pk;
	struct ls_err err;

	if (!b)
		b = blob_new(im, key);
	memset(&pk, 0, sizeof(pk));
	pk.under = r;
	ls_err_clear(&err);
	if (peek_fill(&pk, &err) < 0) {
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
	if (looks_archive((const unsigned char *)pk.buf, pk.n)) {
		scan_layer(im, b, &pk);
		return;
	}
	b->kind = BLOB_OTHER;
}

/* ---- manifests ---- */

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
		l->target = norm_path(out);
		free(out);
	}
	free(joined);
}

/* The blob a manifest entry names: a path (with links) or a digest. */
static struct blob *find_blob(struct img *im, const char *ref)
{
	struct blob *b;
	char *n = norm_path(ref), *k;

	for (int hop = 0; hop < 8; hop++) {
		size_t i;
		for (i = 0; i < im->nlinks; i++)
			if (!strcmp(im->links[i].name, n))
				break;
		if (i == im->nlinks)
			break;
		free(n);
		n = ls_xstrdup(im->links[i].target);
	}
	b = blob_get(im, n);
	if (!b && !strncmp(n, "sha256:", 7)) {
		k = ls_xasprintf("blobs/sha256/%s", n + 7);
		b = blob_get(im, k);
		free(k);
		if (!b)
			b = blob_get(im, n + 7);
		if (!b) {
			k = ls_xasprintf("%s.tar", n + 7);
			b = blob_get(im, k);
			free(k);
		}
	}
	free(n);
	return b;
}

/*
 * Nesting depth of the JSON text: brackets outside strings, counted
 * without parsing, so a hostile document is refused before jansson builds
 * (and later frees, recursively) a deep tree.  Malformed text is the
 * parser's business; this only counts.
 */
size_t ls_image_json_depth(const char *buf, size_t len)
{
	size_t depth = 0, max = 0;
	int in_str = 0;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > max)
				max = depth;
		} else if ((c == ']' || c == '}') && depth) {
			depth--;
		}
	}
	return max;
}

static json_t *blob_json(struct img *im, struct blob *b, const char *what)
{
	json_error_t je;
	json_t *j;
	size_t depth;

	if (!b || b->kind != BLOB_JSON)
		return NULL;
	depth = ls_image_json_depth(b->json, b->json_len);
	if (depth > im->scan->opts.limits.json_depth) {
		ls_scan_error(im->scan, im->name,
			      "%s '%s': JSON nested %zu deep, deeper than --max-json-depth (%llu): not read",
			      what, b->key, depth, im->scan->opts.limits.json_depth);
		return NULL;
	}
	j = json_loadb(b->json, b->json_len, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		ls_scan_error(im->scan, im->name, "%s '%s': invalid JSON at line %d: %s",
			      what, b->key, je.line, je.text);
	return j;
}

static char *shell_join(json_t *arr)
{
	size_t n = json_array_size(arr), len = 0;
	char *s;

	for (size_t i = 0; i < n; i++) {
		const char *v = json_string_value(json_array_get(arr, i));
		len += (v ? strlen(v) : 0) + 1;
	}
	s = ls_xmalloc(len + 1);
	s[0] = '\0';
	len = 0;
	for (size_t i = 0; i < n; i++) {
		const char *v = json_string_value(json_array_get(arr, i));
		size_t vl = v ? strlen(v) : 0;
		if (i)
			s[len++] = ' ';
		memcpy(s + len, v ? v : "", vl);
		len += vl;
	}
	s[len] = '\0';
	return s;
}

static void scan_text(struct img *im, enum ls_source_kind src,
		      const char *path, const char *field, const char *key,
		      long hist, const char *text)
{
	struct ls_item it;

	memset(&it, 0, sizeof(it));
	it.source = src;
	it.path = (char *)path;
	it.field = field;
	it.key = key;
	it.history_index = hist;
	ls_worker_scan_buffer(im->w, &it, text, strlen(text));
}

/*
 * Build arguments that podman and docker record for RUN steps:
 * "|2 A=1 B=2 /bin/sh -c ..." -- N pairs after "|N ".  Each pair is scanned
 * as "NAME=VALUE" under the path "history:args", where rules that judge a
 * variable by its name apply.
 */
static void scan_build_args(struct img *im, long hist, const char *cb)
{
	char *end;
	long n;
	const char *p;

	if (cb[0] != '|')
		return;
	n = strtol(cb + 1, &end, 10);
	if (end == cb + 1 || *end != ' ' || n <= 0 || n > 1000)
		return;
	p = end + 1;
	for (long i = 0; i < n && *p; i++) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);
		char *pair = ls_xstrndup(p, len);
		char *eq = strchr(pair, '=');
		if (eq) {
			char *name = ls_xstrndup(pair, (size_t)(eq - pair));
			scan_text(im, LS_SOURCE_HISTORY, "history:args", NULL, name,
				  hist, pair);
			free(name);
		}
		free(pair);
		p += len;
		while (*p == ' ')
			p++;
	}
}

/* The command after "|N A=1 B=2 " (or all of `cb`). */
static const char *skip_build_args(const char *cb)
{
	char *end;
	long n;
	const char *p;

	if (cb[0] != '|')
		return cb;
	n = strtol(cb + 1, &end, 10);
	if (end == cb + 1 || *end != ' ' || n <= 0 || n > 1000)
		return cb;
	p = end + 1;
	for (long i = 0; i < n && *p; i++) {
		const char *sp = strchr(p, ' ');
		p = sp ? sp : p + strlen(p);
		while (*p == ' ')
			p++;
	}
	return p;
}

static void scan_config(struct img *im, json_t *cfg)
{
	json_t *c = json_object_get(cfg, "config"), *v, *hist;
	const char *key;
	size_t i;

	if (json_is_object(c)) {
		json_array_foreach(json_object_get(c, "Env"), i, v) {
			const char *s = json_string_value(v);
			const char *eq = s ? strchr(s, '=') : NULL;
			char *name;
			if (!s)
				continue;
			name = eq ? ls_xstrndup(s, (size_t)(eq - s)) : ls_xstrdup(s);
			scan_text(im, LS_SOURCE_CONFIG, "config:Env", "Env", name,
				  -1, s);
			free(name);
		}
		json_object_foreach(json_object_get(c, "Labels"), key, v) {
			const char *s = json_string_value(v);
			char *text;
			if (!s)
				continue;
			text = ls_xasprintf("%s=%s", key, s);
			scan_text(im, LS_SOURCE_CONFIG, "config:Labels", "Labels",
				  key, -1, text);
			free(text);
		}
		{
			static const char *const arrays[] = { "Cmd", "Entrypoint" };
			for (int k = 0; k < 2; k++) {
				json_t *a = json_object_get(c, arrays[k]);
				char *path, *s;
				if (!json_is_array(a) || !json_array_size(a))
					continue;
				s = shell_join(a);
				path = ls_xasprintf("config:%s", arrays[k]);
				scan_text(im, LS_SOURCE_CONFIG, path, arrays[k],
					  NULL, -1, s);
				free(path);
				free(s);
			}
		}
		v = json_object_get(json_object_get(c, "Healthcheck"), "Test");
		if (json_is_array(v) && json_array_size(v)) {
			char *s = shell_join(v);
			scan_text(im, LS_SOURCE_CONFIG, "config:Healthcheck",
				  "Healthcheck", NULL, -1, s);
			free(s);
		}
		v = json_object_get(c, "User");
		if (json_string_value(v) && json_string_value(v)[0])
			scan_text(im, LS_SOURCE_CONFIG, "config:User", "User",
				  NULL, -1, json_string_value(v));
	}
	hist = json_object_get(cfg, "history");
	json_array_foreach(hist, i, v) {
		const char *cb = json_string_value(json_object_get(v, "created_by"));
		char path[32];
		if (!cb)
			continue;
		snprintf(path, sizeof(path), "history:%zu", i);
		/* build arguments are judged one by one; the rest as text */
		scan_text(im, LS_SOURCE_HISTORY, path, NULL, NULL, (long)i,
			  skip_build_args(cb));
		scan_build_args(im, (long)i, cb);
	}
}

/* Strip "/bin/sh -c #(nop) " and similar noise from created_by. */
static char *tidy_created_by(const char *cb)
{
	const char *p = cb;
	const char *nop = strstr(p, "#(nop) ");

	if (nop)
		p = nop + 7;
	else if (!strncmp(p, "/bin/sh -c ", 11))
		p += 11;
	while (*p == ' ')
		p++;
	return ls_xstrdup(p);
}

/* The next layer of an inventory image, made by history entry `cb`: the
 * blob's entries move to the inventory the first time an image names it. */
static void inv_image_layer(struct img *im, struct ls_inv_image *iimg,
			    struct blob *b, const char *cb)
{
	char *tidy = cb ? tidy_created_by(cb) : NULL;

	if (b->inv_index < 0) {
		if (!b->inv)
			b->inv = ls_inv_layer_new();
		b->inv_index = (long)ls_inventory_add_layer(im->inv, b->inv);
		b->inv = NULL;
	}
	ls_inv_image_add_layer(iimg, (size_t)b->inv_index, b->digest, tidy);
	free(tidy);
}

/* Assign layer indexes, digests and instructions for one image. */
static void add_image(struct img *im, const char *ref, json_t *cfg,
		      const char *cfg_text, struct blob **layers,
		      const char **layer_refs, size_t n)
{
	json_t *diff = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
	json_t *hist = json_object_get(cfg, "history");
	size_t h = 0, nh = json_array_size(hist);
	size_t no = im->nimages;
	struct ls_inv_image *iimg = im->inv ?
		ls_inventory_add_image(im->inv, ref, cfg_text) : NULL;

	LS_ALLOC_GROW(im->images, im->nimages + 1, im->images_alloc);
	im->images[no].layers = ls_xcalloc(n ? n : 1, sizeof(struct blob *));
	im->images[no].n = n;
	im->nimages++;
	for (size_t i = 0; i < n; i++) {
		struct blob *b = layers[i];
		const char *cb = NULL;

		/* the i-th history entry that made a layer */
		while (h < nh && json_is_true(json_object_get(
					 json_array_get(hist, h), "empty_layer")))
			h++;
		if (h < nh)
			cb = json_string_value(json_object_get(
				json_array_get(hist, h), "created_by"));
		h++;
		im->images[no].layers[i] = b;
		if (!b) {
			ls_scan_error(im->scan, im->name,
				      "manifest names layer '%s' that is not in the image",
				      layer_refs[i]);
			continue;
		}
		if (b->kind != BLOB_LAYER && !b->failed) {
			ls_scan_error(im->scan, im->name,
				      "layer '%s' is not an archive", b->key);
			continue;
		}
		if (b->index < 0) {
			/* first named here (else shared with an earlier image) */
			b->index = (int)i;
			b->image_no = (int)no;
			b->image = ref ? ls_xstrdup(ref) : NULL;
			if (json_string_value(json_array_get(diff, i)))
				b->digest = ls_xstrdup(json_string_value(json_array_get(diff, i)));
			else if (!strncmp(layer_refs[i], "sha256:", 7))
				b->digest = ls_xstrdup(layer_refs[i]);
			else
				b->digest = ls_xstrdup(b->key);
			b->created_by = cb ? tidy_created_by(cb) : NULL;
		}
		if (iimg)
			inv_image_layer(im, iimg, b, cb);
	}
}

static void image_from_config(struct img *im, const char *ref,
			      struct blob *cfgb, json_t *layer_list,
			      int list_is_paths, struct ls_strset *seen_cfg)
{
	json_t *cfg;
	size_t n = json_array_size(layer_list);
	struct blob **layers = ls_xcalloc(n ? n : 1, sizeof(*layers));
	const char **refs = ls_xcalloc(n ? n : 1, sizeof(*refs));

	for (size_t i = 0; i < n; i++) {
		json_t *l = json_array_get(layer_list, i);
		refs[i] = list_is_paths ? json_string_value(l)
					: json_string_value(json_object_get(l, "digest"));
		if (!refs[i])
			refs[i] = "?";
		layers[i] = find_blob(im, refs[i]);
	}
	cfg = cfgb ? blob_json(im, cfgb, "config") : NULL;
	if (!cfg) {
		if (!cfgb)
			ls_scan_error(im->scan, im->name,
				      "image config of '%s' is missing",
				      ref ? ref : "image");
		cfg = json_object();
	}
	add_image(im, ref, cfg, cfgb && cfgb->kind == BLOB_JSON ? cfgb->json : NULL,
		  layers, refs, n);
	if (cfgb && !ls_strset_get(seen_cfg, cfgb->key, NULL)) {
		ls_strset_put(seen_cfg, cfgb->key, 0);
		scan_config(im, cfg);
	}
	json_decref(cfg);
	free(layers);
	free(refs);
}

static int is_attestation(json_t *desc)
{
	const char *t = json_string_value(json_object_get(
		json_object_get(desc, "annotations"),
		"vnd.docker.reference.type"));
	const char *os = json_string_value(json_object_get(
		json_object_get(desc, "platform"), "os"));

	return (t && !strcmp(t, "attestation-manifest")) ||
	       (os && !strcmp(os, "unknown"));
}

static void oci_index(struct img *im, json_t *index, int depth,
		      struct ls_strset *seen_cfg)
{
	json_t *mans = json_object_get(index, "manifests"), *d;
	size_t i;

	if (depth > 4)
		return;
	json_array_foreach(mans, i, d) {
		const char *dig = json_string_value(json_object_get(d, "digest"));
		const char *ref = json_string_value(json_object_get(
			json_object_get(d, "annotations"),
			"org.opencontainers.image.ref.name"));
		struct blob *mb;
		json_t *m;

		if (!dig || is_attestation(d))
			continue;
		mb = find_blob(im, dig);
		if (!mb) {
			ls_scan_error(im->scan, im->name,
				      "index names manifest '%s' that is not in the image",
				      dig);
			continue;
		}
		m = blob_json(im, mb, "manifest");
		if (!m)
			continue;
		if (json_object_get(m, "manifests")) {
			oci_index(im, m, depth + 1, seen_cfg);
		} else {
			const char *cd = json_string_value(json_object_get(
				json_object_get(m, "config"), "digest"));
			image_from_config(im, ref, cd ? find_blob(im, cd) : NULL,
					  json_object_get(m, "layers"), 0,
					  seen_cfg);
		}
		json_decref(m);
	}
}

static void resolve(struct img *im)
{
	struct blob *mj = blob_get(im, "manifest.json");
	struct blob *ix = blob_get(im, "index.json");
	json_t *m = mj ? blob_json(im, mj, "manifest") : NULL;
	struct ls_strset seen_cfg;

	ls_strset_init(&seen_cfg);
	if (m && json_is_array(m)) {
		/* docker-archive: [{Config, RepoTags, Layers}] */
		json_t *e;
		size_t i;
		json_array_foreach(m, i, e) {
			const char *cfg = json_string_value(json_object_get(e, "Config"));
			const char *ref = json_string_value(json_array_get(
				json_object_get(e, "RepoTags"), 0));
			image_from_config(im, ref, cfg ? find_blob(im, cfg) : NULL,
					  json_object_get(e, "Layers"), 1,
					  &seen_cfg);
		}
	} else if (ix) {
		json_t *j = blob_json(im, ix, "index");
		if (j)
			oci_index(im, j, 0, &seen_cfg);
		json_decref(j);
	} else if (m && json_is_object(m) && json_object_get(m, "layers")) {
		/* docker-dir: a registry manifest, blobs named by hex */
		const char *cd = json_string_value(json_object_get(
			json_object_get(m, "config"), "digest"));
		image_from_config(im, NULL, cd ? find_blob(im, cd) : NULL,
				  json_object_get(m, "layers"), 0, &seen_cfg);
	} else if (!mj && !ix) {
		ls_scan_error(im->scan, im->name, "%s",
			      im->truncated ?
			      "no manifest.json or index.json was read before the archive ended: layers cannot be placed" :
			      "no manifest.json or index.json: not a saved image");
	}
	json_decref(m);
	ls_strset_release(&seen_cfg);
}

/* ---- completing findings ---- */

/* Is `path` (in layer index i of image no) hidden by a later layer? */
static int hidden_by(struct img *im, int no, int i, const char *path)
{
	char *p = ls_xstrdup(path), *bang = strchr(p, '!');

	if (bang)
		*bang = '\0';   /* a member of an archive: the archive's path */
	for (size_t j = (size_t)i + 1; j < im->images[no].n; j++) {
		struct blob *b = im->images[no].layers[j];
		char *s;
		if (!b)
			continue;
		if (ls_strset_get(&b->whiteouts, p, NULL) ||
		    ls_strset_get(&b->paths, p, NULL)) {
			free(p);
			return (int)j;
		}
		/* ancestors: deleted, or made opaque */
		for (s = strrchr(p, '/'); s; s = strrchr(p, '/')) {
			int hit;
			*s = '\0';
			hit = ls_strset_get(&b->whiteouts, p, NULL) ||
			      ls_strset_get(&b->opaque, p, NULL);
			if (hit) {
				free(p);
				return (int)j;
			}
		}
		free(p);
		p = ls_xstrdup(path);
		if ((bang = strchr(p, '!')))
			*bang = '\0';
	}
	free(p);
	return -1;
}

static const char *layer_instruction(struct img *im, int no, int j)
{
	struct blob *b;

	if (no < 0 || j < 0 || (size_t)j >= im->images[no].n)
		return NULL;
	b = im->images[no].layers[j];
	return b ? b->created_by : NULL;
}

/*
 * How to keep a secret out of the layer that ships it, from the
 * instruction that made the layer.
 */
static const char *advice(const struct blob *b)
{
	const char *cb = b->created_by ? b->created_by : "";

	if (b->index == 0)
		return "it is in the base layer: rebuild from a clean base image, or tell the base image's maintainers";
	if (!strncmp(cb, "COPY", 4) || !strncmp(cb, "ADD", 3))
		return "the file came from the build context: list it in .containerignore (or keep it in a builder stage of a multi-stage build) and rebuild; deleting it in a later layer does not take it out of the image";
	return "the file was written by a RUN step: pass the secret with RUN --mount=type=secret so it never lands in a layer, or create the file in a builder stage of a multi-stage build";
}

static void add_layer_index(struct ls_finding *f, int idx)
{
	for (size_t k = 0; k < f->nlayers; k++)
		if (f->layers[k] == idx)
			return;
	LS_ALLOC_GROW(f->layers, f->nlayers + 1, f->layers_alloc);
	f->layers[f->nlayers++] = idx;
}

/*
 * Fill in the layer a finding is in: index, diff_id, instruction, and the
 * image's name when the input holds several (with one image, the name
 * would differ between save formats: docker-dir has none).
 */
static void set_layer(struct img *im, struct ls_finding *f,
		      const struct blob *b, int index)
{
	free(f->layer->digest);
	f->layer->digest = ls_xstrdup(b->digest ? b->digest : b->key);
	f->layer->index = index;
	free(f->layer->created_by);
	f->layer->created_by = b->created_by ? ls_xstrdup(b->created_by) : NULL;
	free(f->layer->image);
	f->layer->image = b->image && im->nimages > 1 ? ls_xstrdup(b->image)
						      : NULL;
}

/* hidden/hidden_by and the note, for a copy whose last position is `last` */
static void set_visibility(struct img *im, struct ls_finding *f,
			   const struct blob *b, int last)
{
	int hb = hidden_by(im, b->image_no, last, f->path);
	const char *extra = f->note;

	f->layer->hidden = hb >= 0;
	f->layer->hidden_by = hb;
	if (hb >= 0) {
		const char *by = layer_instruction(im, b->image_no, hb);
		f->note = ls_xasprintf(
			"removed from the final filesystem by layer %d%s%s%s, but layer %d still ships it: anyone with the image can extract it; %s%s%s",
			hb, by ? " (" : "", by ? by : "", by ? ")" : "",
			f->layer->index, advice(b), extra ? "; " : "",
			extra ? extra : "");
	} else {
		f->note = ls_xasprintf("%s%s%s", advice(b), extra ? "; " : "",
				       extra ? extra : "");
	}
	free((char *)extra);
}

/*
 * Complete the findings made in layers: which layer (a blob may stand at
 * several positions of one image: identical layers), visibility in the
 * final filesystem, and copies reachable through hard links made in that
 * or a later layer (a hard link entry has no data of its own, and keeps a
 * "deleted" file's content in the image under another name).
 */
static void complete_findings(struct img *im)
{
	struct ls_findings *l = &im->scan->findings;
	size_t n0 = l->n;

	for (size_t i = 0; i < n0; i++) {
		struct ls_finding *f = l->v[i];
		struct blob *b;
		int no, last;

		if (!f->layer || f->layer->index >= 0)
			continue;
		b = blob_get(im, f->layer->digest);
		if (!b)
			continue;
		set_layer(im, f, b, b->index);
		if (b->index < 0) {
			free(f->note);
			f->note = ls_xstrdup("in a blob that no manifest lists as a layer");
			continue;
		}
		no = b->image_no;
		last = b->index;
		for (size_t j = 0; j < im->images[no].n; j++) {
			if (im->images[no].layers[j] == b) {
				add_layer_index(f, (int)j);
				last = (int)j;
			}
		}
		free(f->note);
		f->note = NULL;
		set_visibility(im, f, b, last);
		for (size_t j = (size_t)b->index; j < im->images[no].n; j++) {
			struct blob *lb = im->images[no].layers[j];
			for (size_t k = 0; lb && k < lb->nhl; k++) {
				struct ls_finding *g;
				/* content findings only: a name rule judged
				 * the target's name, not the link's */
				if (!f->line || strcmp(lb->hl_target[k], f->path))
					continue;
				g = ls_finding_new(f->rule);
				g->severity = f->severity;
				g->source = f->source;
				g->path = ls_xstrdup(lb->hl_name[k]);
				g->line = f->line;
				g->column = f->column;
				g->end_line = f->end_line;
				g->end_column = f->end_column;
				g->secret = ls_xstrndup(f->secret, f->secret_len);
				g->secret_len = f->secret_len;
				g->entropy = f->entropy;
				g->layer = ls_xcalloc(1, sizeof(*g->layer));
				set_layer(im, g, lb, (int)j);
				add_layer_index(g, (int)j);
				g->note = ls_xasprintf("a hard link to %s, with the same content",
						       f->path);
				set_visibility(im, g, lb, (int)j);
				ls_fingerprint_set(g, g->path);
				ls_findings_add(l, g);
				f = l->v[i];   /* the list may have moved */
			}
		}
	}
}

/*
 * The same secret at the same path under the same rule in several layers:
 * keep the earliest (where it entered the image), list all layers, and call
 * it hidden only if every copy is.
 */
static int cmp_dup(const void *pa, const void *pb)
{
	const struct ls_finding *a = *(struct ls_finding *const *)pa;
	const struct ls_finding *b = *(struct ls_finding *const *)pb;
	int c = strcmp(a->fingerprint, b->fingerprint);

	if (c)
		return c;
	return (a->layer ? a->layer->index : -1) - (b->layer ? b->layer->index : -1);
}

static void collapse(struct img *im)
{
	struct ls_findings *l = &im->scan->findings;
	size_t o = 0;

	ls_sort(l->v, l->n, sizeof(*l->v), cmp_dup);
	for (size_t i = 0; i < l->n; i++) {
		struct ls_finding *f = l->v[i];
		struct ls_finding *keep = o ? l->v[o - 1] : NULL;

		if (keep && f->layer && keep->layer &&
		    !strcmp(keep->fingerprint, f->fingerprint) &&
		    keep->line == f->line) {
			add_layer_index(keep, f->layer->index);
			for (size_t k = 0; k < f->nlayers; k++)
				add_layer_index(keep, f->layers[k]);
			if (keep->layer->hidden &&
			    (!f->layer->hidden ||
			     f->layer->hidden_by > keep->layer->hidden_by)) {
				/* a later copy is visible, or hidden later:
				 * take its state and words */
				keep->layer->hidden = f->layer->hidden;
				keep->layer->hidden_by = f->layer->hidden_by;
				free(keep->note);
				keep->note = f->note;
				f->note = NULL;
			}
			ls_finding_free(f);
			continue;
		}
		if (f->layer)
			add_layer_index(f, f->layer->index);
		l->v[o++] = f;
	}
	l->n = o;
	ls_findings_sort(l);
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
	for (size_t i = 0; i < im->nimages; i++)
		free(im->images[i].layers);
	free(im->images);
	ls_worker_free(im->w);
	ls_memo_free(im->memo);
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
	if (im->max_depth > 0)
		im->memo = ls_memo_new(MEMO_BUDGET);
	ls_strset_init(&im->bykey);
	im->w = ls_worker_new(scan);
}

static void finish(struct img *im)
{
	resolve(im);
	complete_findings(im);
	collapse(im);
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
		name = norm_path(raw);
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
		er.read = entry_read;
		er.ud = &es;
		handle_blob(im, name, &er, entry_size(e));
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
		o->name = norm_path(raw);
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

	ls_scan_init(&o->sub, p->im->scan->rs, &p->im->scan->opts);
	o->sub.root = p->im->scan->root;
	o->started = 1;
	view.scan = &o->sub;
	view.parent = p->im->scan;
	view.w = ls_worker_new(&o->sub);
	view.defer = NULL;
	view.ndefer = view.defer_alloc = view.defer_bytes = 0;
	handle_blob(&view, o->name, &r, o->size);
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
		ents[i].b = blob_get(im, ents[i].name);
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

int ls_image_scan_fd(struct ls_scan *scan, int fd, const char *name,
		     const struct ls_image_opts *o, struct ls_err *err)
{
	struct img im;
	struct archive *a = new_reader(0);
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
			a = new_reader(0);
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
