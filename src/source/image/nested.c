/*
 * nested.c - the results memo for archives inside layers; see image.h.
 *
 * The same jar or wheel often ships in several layers, or in several
 * images of one run.  An archive in a layer (not one inside another) of up
 * to MEMO_BLOB_MAX bytes is read whole and keyed by its bytes and depth
 * (scan/memo.h): the first copy is scanned (by layer.c's
 * ls_image_scan_nested) and its findings kept; later copies replay them
 * under their own path, when the rules would judge the member paths the
 * same way.  A copy met while another thread scans the first is set aside
 * until the end of its layer.
 */
#include "source/image/internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "finding/fingerprint.h"
#include "scan/memo.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* ---- the results memo (scan/memo.h) ---- */

/* What the memo may hold for one archive's items (MEMO_BUDGET, for the
 * run, is in internal.h). */
#define MEMO_ITEMS_MAX 100000

/* Archives a layer task sets aside, in all, while another thread scans a
 * copy of the same bytes (see ls_image_scan_archive_memo()). */
#define MEMO_DEFER_MAX (8u << 20)

/* An archive set aside, and where its messages would have gone. */
struct deferred {
	char *buf;
	size_t len;
	unsigned char key[LS_MEMO_KEY];
	char *path;
	unsigned depth;
	size_t ne, nw, nn;          /* errors, warnings and notes then */
};

/* An archive's first copy, while it is scanned. */
struct memo_rec {
	struct ls_memo_entry *e;
	size_t plen;                /* its item paths start with path '!' */
	int bad;                    /* something made it unfit to keep */
	unsigned char *sig;
};

/* A file of the archive being recorded was scanned. */
void ls_image_memo_rec_item(struct img *im, const char *path,
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
	ls_image_pass_stats(im);
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
		ls_image_scan_nested(im, b, &mr, path, depth, lb);
	} else {
		struct memo_rec rec;
		size_t nf = s->findings.n, ne = s->errors.n, nn = s->notes.n;
		size_t nw = s->warnings.n;
		/* a file rule's content matched: its path allowlists (not in
		 * the signature) were asked, so another path may differ */
		size_t nc = ls_worker_content_hits(im->w);

		memset(&rec, 0, sizeof(rec));
		rec.e = ls_memo_entry_new(key, ls_worker_path_sig(im->w, "",
								  NULL, 0));
		rec.plen = strlen(prefix);
		rec.sig = ls_xmalloc(rec.e->siglen + 1);
		im->rec = &rec;
		ls_image_scan_nested(im, b, &mr, path, depth, lb);
		im->rec = NULL;
		if (!rec.bad && s->errors.n == ne && s->notes.n == nn &&
		    s->warnings.n == nw &&
		    ls_worker_content_hits(im->w) == nc &&
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
 * to replay (ls_image_memo_deferred()): waiting at once would leave this
 * thread idle, and not waiting would inflate the same bytes twice.
 */
void ls_image_scan_archive_memo(struct img *im, struct blob *b,
				struct ls_reader *r, size_t size,
				const char *path, unsigned depth,
				struct layer_budget *lb)
{
	char *buf;
	long len = ls_image_read_whole(im, b, r, path, size, &buf);
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
	d->nw = im->scan->warnings.n;
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
void ls_image_memo_deferred(struct img *im, struct blob *b,
			    struct layer_budget *lb)
{
	struct ls_scan *s = im->scan;
	size_t moved_e = 0, moved_w = 0, moved_n = 0;

	for (size_t i = 0; i < im->ndefer; i++) {
		struct deferred *d = &im->defer[i];
		size_t ne = s->errors.n, nn = s->notes.n, nw = s->warnings.n;

		memo_archive(im, b, d->buf, d->len, d->key, d->path, d->depth,
			     lb, 1);
		msgs_move_tail(&s->errors, ne, d->ne + moved_e);
		msgs_move_tail(&s->notes, nn, d->nn + moved_n);
		msgs_move_tail(&s->warnings, nw, d->nw + moved_w);
		moved_e += s->errors.n - ne;
		moved_w += s->warnings.n - nw;
		moved_n += s->notes.n - nn;
		free(d->path);
	}
	im->ndefer = 0;
	im->defer_bytes = 0;
}
