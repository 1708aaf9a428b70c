/*
 * provenance.c - who put a file in the image: a package manager (dpkg,
 * apk, pip's RECORD, npm's lockfile) or the image's author.
 *
 * While layers are read, layer.c hands over each package database file it
 * meets (ls_image_keep_dbfile: a copy, kept until the end, since a layer's
 * var/lib/dpkg comes after its usr/ and a database may sit in a later
 * layer than the files it owns) and the digests of each file that gave a
 * finding (ls_image_keep_digests, from the tee: content/tee.h).  At the
 * end, when the layer order is known, each image gets one package
 * database built in layer order (source/pkgdb/pkgdb.h), and every finding
 * in a layer file is judged at the layer it came from (or, when no
 * database owned it then, at the image's last layer: a database may come
 * in a later layer than its files):
 *   - owned, and the bytes match the database's hash (or the database
 *     keeps none, as npm): vendor.  Reported at info with the package
 *     named, unless --include-vendor;
 *   - owned, bytes differ: modified after the package installed it; full
 *     severity, with a note saying so;
 *   - owned with a hash, but the file was too large to keep for hashing
 *     (LS_TEE_MAX) or could not be read to its end: unverified; full
 *     severity, with a note;
 *   - not owned: the author's; nothing changes.
 * A member of an archive ("x.jar!a/b") is judged by the archive file.
 * Findings in the image config and history are never vendor.
 */
#include <stdlib.h>
#include <string.h>

#include "finding/pubkey.h"
#include "source/image/internal.h"
#include "source/pkgdb/pkgdb.h"
#include "util/xalloc.h"

void ls_image_keep_dbfile(struct img *im, struct blob *b, const char *path,
			  const char *buf, size_t len)
{
	struct dbfile *d;

	if (im->dbkept &&
	    __atomic_add_fetch(im->dbkept, (unsigned long long)len,
			       __ATOMIC_RELAXED) > DBFILE_BUDGET) {
		/* its files stay the user's: the safe direction */
		ls_scan_note(im->scan, im->name,
			     "layer %s: package database '%s' not used: the image's package databases pass %llu MiB",
			     b->key, path, DBFILE_BUDGET >> 20);
		return;
	}
	LS_ALLOC_GROW(b->dbfiles, b->ndb + 1, b->db_alloc);
	d = &b->dbfiles[b->ndb++];
	d->path = ls_xstrdup(path);
	d->buf = ls_xmalloc(len ? len : 1);
	memcpy(d->buf, buf, len);
	d->len = len;
}

void ls_image_keep_digests(struct blob *b, const char *path,
			   const struct ls_digests *d)
{
	long at;

	if (ls_strset_get(&b->dig_index, path, &at)) {
		b->digs[at] = *d;   /* a path twice in a tar: the last wins */
		return;
	}
	LS_ALLOC_GROW(b->digs, b->ndig + 1, b->dig_alloc);
	b->digs[b->ndig] = *d;
	ls_strset_put(&b->dig_index, path, (long)b->ndig);
	b->ndig++;
}

static void free_dbfiles(struct blob *b)
{
	for (size_t i = 0; i < b->ndb; i++) {
		free(b->dbfiles[i].path);
		free(b->dbfiles[i].buf);
	}
	free(b->dbfiles);
	b->dbfiles = NULL;
	b->ndb = b->db_alloc = 0;
}

void ls_image_keep_capped(struct blob *b, const char *path)
{
	ls_strset_put(&b->capped, path, 0);
}

void ls_image_blob_prov_release(struct blob *b)
{
	free_dbfiles(b);
	ls_strset_release(&b->capped);
	ls_strset_release(&b->dig_index);
	free(b->digs);
	b->digs = NULL;
	b->ndig = b->dig_alloc = 0;
}

/* Feed layer `j`'s database files and deletions into `db`. */
static void feed_layer(struct img *im, struct ls_pkgdb *db, int j,
		       struct blob *b)
{
	/* the sets are hash tables: empty slots are NULL */
	for (size_t k = 0; k < b->whiteouts.cap; k++)
		if (b->whiteouts.keys[k])
			ls_pkgdb_remove(db, j, b->whiteouts.keys[k]);
	for (size_t k = 0; k < b->opaque.cap; k++)
		if (b->opaque.keys[k])
			ls_pkgdb_remove_dir(db, j, b->opaque.keys[k]);
	for (size_t k = 0; k < b->ndb; k++) {
		struct ls_err err;

		ls_err_clear(&err);
		if (ls_pkgdb_add(db, j, b->dbfiles[k].path, b->dbfiles[k].buf,
				 b->dbfiles[k].len, &err) < 0)
			/* its files stay the user's: the safe direction */
			ls_scan_note(im->scan, im->name,
				     "layer %d: package database '%s' not used: %s",
				     j, b->dbfiles[k].path, err.msg);
	}
}

void ls_image_provenance_setup(struct img *im)
{
	if (!im->nimages)
		return;
	im->pkgdbs = ls_xcalloc(im->nimages, sizeof(*im->pkgdbs));
	for (size_t no = 0; no < im->nimages; no++) {
		struct ls_pkgdb *db = NULL;

		for (size_t j = 0; j < im->images[no].n; j++) {
			struct blob *b = im->images[no].layers[j];
			if (!b || !b->ndb)
				continue;
			db = ls_pkgdb_new();
			break;
		}
		if (!db)
			continue;   /* no database at all: nothing is vendor */
		for (size_t j = 0; j < im->images[no].n; j++) {
			struct blob *b = im->images[no].layers[j];
			if (!b)
				continue;
			feed_layer(im, db, (int)j, b);
			/* the store has its own copy: with one image, no other
			 * database needs the bytes (peak memory) */
			if (im->nimages == 1)
				free_dbfiles(b);
		}
		im->pkgdbs[no] = db;
	}
}

void ls_image_provenance_release(struct img *im)
{
	for (size_t no = 0; im->pkgdbs && no < im->nimages; no++)
		ls_pkgdb_free(im->pkgdbs[no]);
	free(im->pkgdbs);
	im->pkgdbs = NULL;
}

/* The digest of `path` in blob `b` in algorithm `alg`, or NULL. */
static const unsigned char *digest_of(const struct blob *b, const char *path,
				      enum ls_pkgdb_alg alg)
{
	long at;

	if (!b || !ls_strset_get(&b->dig_index, path, &at))
		return NULL;
	switch (alg) {
	case LS_PKGDB_ALG_MD5: return b->digs[at].md5;
	case LS_PKGDB_ALG_SHA1: return b->digs[at].sha1;
	case LS_PKGDB_ALG_SHA256: return b->digs[at].sha256;
	case LS_PKGDB_ALG_NONE: break;
	}
	return NULL;
}

/* Put `words` before the finding's note ("words; note"). */
static void note_first(struct ls_finding *f, char *words)
{
	char *old = f->note;

	f->note = old ? ls_xasprintf("%s; %s", words, old) : words;
	if (old) {
		free(words);
		free(old);
	}
}

/*
 * Who installed `path` (an archive member: its archive) of image `no` at
 * layer `layer`, whose bytes are file `content` of blob `cb`: NONE (the
 * user's), VENDOR, MODIFIED or UNVERIFIED, with the owner in *o.
 */
static enum ls_provenance classify(struct img *im, int no, int layer,
				   const char *path, const struct blob *cb,
				   const char *content,
				   struct ls_pkgdb_owner *o)
{
	const unsigned char *dig = NULL;
	enum ls_pkgdb_verdict v;
	char *p, *cp, *bang;
	enum ls_provenance r = LS_PROV_NONE;

	if (!im->pkgdbs || no < 0 || (size_t)no >= im->nimages ||
	    !im->pkgdbs[no] || layer < 0)
		return LS_PROV_NONE;
	p = ls_xstrdup(path);
	if ((bang = strchr(p, '!')))
		*bang = '\0';
	/* the database as the image stood at the file's layer, else as it
	 * ends: a database may come in a later layer than its files (a
	 * multi-stage COPY of /usr, then of /var/lib/dpkg); the hash still
	 * decides where the database keeps one */
	if (!ls_pkgdb_lookup(im->pkgdbs[no], layer, p, o) &&
	    !ls_pkgdb_lookup(im->pkgdbs[no], (int)im->images[no].n - 1, p, o)) {
		free(p);
		return LS_PROV_NONE;
	}
	cp = ls_xstrdup(content ? content : p);
	if ((bang = strchr(cp, '!')))
		*bang = '\0';
	if (o->alg != LS_PKGDB_ALG_NONE)
		dig = digest_of(cb, cp, o->alg);
	v = ls_pkgdb_verdict(o, dig, dig ? o->digest_len : 0);
	if (v == LS_PKGDB_VENDOR ||
	    (v == LS_PKGDB_UNVERIFIED && o->alg == LS_PKGDB_ALG_NONE))
		r = LS_PROV_VENDOR;
	else if (v == LS_PKGDB_MODIFIED)
		r = LS_PROV_MODIFIED;
	else
		r = LS_PROV_UNVERIFIED;
	free(p);
	free(cp);
	return r;
}

void ls_image_judge(struct img *im, struct ls_finding *f, int no,
		    const struct blob *cb, const char *content)
{
	struct ls_pkgdb_owner o;
	enum ls_provenance r;

	if (f->source != LS_SOURCE_FILE || !f->layer)
		return;
	r = classify(im, no, f->layer->index, f->path, cb, content, &o);
	if (r == LS_PROV_NONE)
		return;
	f->provenance = r;
	free(f->package);
	f->package = ls_xstrdup(o.display);
	if (r == LS_PROV_VENDOR) {
		char *words = ls_xasprintf(
			"installed by %s%s: a package manager put this file there unchanged, so it is not the image's own secret%s",
			o.display,
			o.alg == LS_PKGDB_ALG_NONE ?
			" (its database keeps no hash of the file)" : "",
			im->include_vendor ? "" :
			" (--include-vendor ranks it by its rule)");
		if (!im->include_vendor)
			f->severity = LS_SEV_INFO;
		if (ls_pubkey_is_note(f->note)) {
			/* whose test key it is comes first */
			char *both = ls_xasprintf("%s; %s", f->note, words);
			free(words);
			words = both;
		}
		free(f->note);
		f->note = words;
		return;
	}
	if (r == LS_PROV_MODIFIED)
		note_first(f, ls_xasprintf(
			"%s installed this file, but its bytes no longer match the package's %s: it was changed after installation",
			o.display, ls_pkgdb_alg_name(o.alg)));
	else
		note_first(f, ls_xasprintf(
			"%s installed a file at this path, but this copy could not be checked against the package's %s (larger than %u MiB, or not read to its end), so it counts as the image's own",
			o.display, ls_pkgdb_alg_name(o.alg),
			LS_TEE_MAX >> 20));
}

void ls_image_report_capped(struct img *im)
{
	const unsigned long long lim = im->scan->opts.limits.findings;

	for (size_t i = 0; i < im->nblobs; i++) {
		const struct blob *b = im->blobs[i];
		for (size_t k = 0; k < b->capped.cap; k++) {
			const char *path = b->capped.keys[k];
			struct ls_pkgdb_owner o;

			if (!path)
				continue;   /* an empty slot of the table */

			if (!im->include_vendor &&
			    classify(im, b->image_no, b->index, path, b, path,
				     &o) == LS_PROV_VENDOR)
				ls_scan_warning(im->scan, im->name,
						"layer %s: '%s': more than --max-findings (%llu) findings in a file %s installed unchanged: the first %llu are reported, at info",
						b->key,
						path, lim, o.display, lim);
			else
				ls_scan_error(im->scan, im->name,
					      "layer %s: '%s': more than --max-findings (%llu) findings: the rest were not reported",
					      b->key,
					      path, lim);
		}
	}
}
