/*
 * internal.h - what the files of src/source/image/ share; see image.h for
 * the map of the folder.  Nothing outside this folder includes it (but the
 * unit tests, which link build/liblayerscan.a).
 *
 * Ownership, in one place:
 *   - struct img is one image run, on the stack of an entry point
 *     (outer.c: img_init/img_release).  It owns the blobs, the links, the
 *     images' layer lists, the worker, the memo and the deferred list.  A
 *     layer task works on a shallow copy (outer.c, run_task) whose `scan`,
 *     `w` and `defer` are its own; everything else is borrowed from the
 *     run's img and only read, but for the task's own blob.
 *   - struct blob is one entry of the outer archive or file of a layout,
 *     created by outer.c (blob_new), freed by img_release.  layer.c fills
 *     its path sets, hard links and inventory layer while the layer is
 *     read; config.c assigns index, digest, created_by and image from the
 *     manifests; findings.c reads all of it.
 *   - findings go to im->scan (a task's own scan while layers run in
 *     parallel: outer.c merges them in archive order).
 *
 * Errors: nothing here returns an error for a layer: problems are recorded
 * with ls_scan_error() naming the image and the layer, and the walk goes
 * on (image.h, "Errors").  Only the entry points return LS_E* codes.
 */
#ifndef LS_SOURCE_IMAGE_INTERNAL_H
#define LS_SOURCE_IMAGE_INTERNAL_H

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>

#include "content/tee.h"
#include "scan/scan.h"
#include "source/image/image.h"
#include "util/strset.h"

struct ls_inv_layer;
struct ls_memo;
struct ls_pkgdb;
struct la_src;                  /* layer.c */
struct memo_rec;                /* nested.c */
struct deferred;                /* nested.c */

/* Bytes peeked at the start of a blob or file to tell what it is. */
#define PEEK 1024
/* Read buffer for libarchive and for the outer archive. */
#define IOBUF (64u << 10)

/* Archives in a layer up to this size are read whole and memoised
 * (layer.c decides, nested.c does it). */
#define MEMO_BLOB_MAX (4u << 20)
/* What the memo may hold for a run (outer.c creates the memo). */
#define MEMO_BUDGET (8u << 20)

/* What a blob turned out to be (outer.c, handle_blob). */
enum blob_kind { BLOB_UNKNOWN, BLOB_JSON, BLOB_LAYER, BLOB_OTHER };

/* An entry of the outer archive or a file of a layout (see the top). */
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
	/* provenance.c: package database files this layer holds (copies),
	 * and the digests of its files that gave findings */
	struct dbfile *dbfiles;
	size_t ndb, db_alloc;
	struct ls_strset dig_index;  /* path -> index in digs */
	struct ls_digests *digs;
	size_t ndig, dig_alloc;
	struct ls_strset capped;     /* files whose findings --max-findings
					cut (judged in provenance.c) */
};

/* A package database file of a layer, kept until the end (provenance.c). */
struct dbfile {
	char *path;
	char *buf;
	size_t len;
};

/* A symbolic link of the outer archive, target resolved (outer.c). */
struct link {
	char *name, *target;
};

/* One image run (see the top). */
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
	/* provenance.c: the tee files are read through (a layer task has
	 * its own), --include-vendor, and one package database per image
	 * (built at the end) */
	struct ls_tee *tee;
	int include_vendor;
	unsigned long long *dbkept; /* database bytes kept by the run (shared
				       by the layer tasks; atomic) */
	struct ls_pkgdb **pkgdbs;
	/* base.c: reading a base image (ls_image_base_read_*): layers are
	 * neither read nor scanned, configs not scanned; --base (borrowed,
	 * or NULL) and --include-base */
	int ids_only;
	const struct ls_image_base *base;
	int include_base;
	/* layers per image, in order; the first nbase of them are the base
	 * image's, named base_name (owned; NULL when nbase is 0) */
	struct {
		struct blob **layers;
		size_t n;
		size_t nbase;
		char *base_name;
	} *images;
	size_t nimages, images_alloc;
};

/* ---- outer.c: the blob table ---- */

/* Strip "./" and "/" prefixes, duplicate and trailing slashes (caller
 * frees). */
char *ls_image_norm_path(const char *p);

/* The blob named `key` (normalised), or NULL; borrowed from `im`. */
struct blob *ls_image_blob_get(struct img *im, const char *key);

/* ---- layer.c: reading archives and walking layers ---- */

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
	const struct la_src *under; /* the archive's byte source (layer.c),
				       to tell the layer's faults from the
				       archive's own; NULL: none */
};

/* An ls_reader (ud: struct entry_src) over the current entry. */
long ls_image_entry_read(void *ud, char *buf, size_t n, struct ls_err *err);

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

/* Fill p->buf with up to PEEK bytes from p->under: 0 or the reader's
 * negative code (err filled). */
int ls_image_peek_fill(struct peeked *p, struct ls_err *err);

/* A libarchive reader for layers and nested archives (tar, zip, every
 * filter; `raw`: a lone compressed file reads as one entry). */
struct archive *ls_image_new_reader(int raw);

/* Does this start like something libarchive opens (an archive or a
 * compressed file)? */
int ls_image_looks_archive(const unsigned char *p, size_t n);

/* An entry's size when its header gives one, else -1. */
long long ls_image_entry_size(struct archive_entry *e);

/* Scan blob `b`, whose first bytes `pk` holds, as a layer: every entry,
 * whiteouts, hard links, the inventory, then the archives set aside. */
void ls_image_scan_layer(struct img *im, struct blob *b, struct peeked *pk);

/* Walk the archive whose bytes `r` gives, found at `path` in layer `b`
 * at nesting `depth` (its members are at depth + 1). */
void ls_image_scan_nested(struct img *im, struct blob *b, struct ls_reader *r,
			  const char *path, unsigned depth,
			  struct layer_budget *lb);

/* Read a layer file whole, up to `max` bytes, into *out (NUL-terminated,
 * caller frees).  The length, or < 0 after recording the error. */
long ls_image_read_whole(struct img *im, struct blob *b, struct ls_reader *r,
			 const char *path, size_t max, char **out);

/* In a layer task: pass the statistics on to the run as they come. */
void ls_image_pass_stats(struct img *im);

/* ---- nested.c: the results memo for archives inside layers ---- */

/* An archive of `size` (<= MEMO_BLOB_MAX) bytes at `path` in layer `b`:
 * replay an earlier copy's findings, scan it and record them, or set it
 * aside until the end of the layer. */
void ls_image_scan_archive_memo(struct img *im, struct blob *b,
				struct ls_reader *r, size_t size,
				const char *path, unsigned depth,
				struct layer_budget *lb);

/* While im->rec is set: a file of the archive being recorded was scanned
 * (`files`, `bytes`: what it added to the statistics). */
void ls_image_memo_rec_item(struct img *im, const char *path,
			    unsigned long long files, unsigned long long bytes);

/* At the end of layer `b`: scan the archives set aside, their messages
 * where a scan in place would have put them. */
void ls_image_memo_deferred(struct img *im, struct blob *b,
			    struct layer_budget *lb);

/* ---- config.c: manifests, configs, history ---- */

/* Once every blob is read: place the layers from the manifests (index,
 * digest, created_by, image) and scan the configs and history. */
void ls_image_resolve(struct img *im);

/* ---- provenance.c: who installed a file (docs/provenance.md) ---- */

/* Largest package database file kept (a big image's dpkg status is a few
 * MB; RECORDs and lockfiles are smaller), and all of them in a run (the
 * realistic Node image keeps 5.6 MB): past it, the rest own nothing. */
#define DBFILE_MAX (16u << 20)
#define DBFILE_BUDGET (256ull << 20)

/* Keep a copy of database file `path` (its bytes `buf`, borrowed) of
 * layer `b`, within DBFILE_BUDGET (a note when past it). */
void ls_image_keep_dbfile(struct img *im, struct blob *b, const char *path,
			  const char *buf, size_t len);

/* Record the digests of layer `b`'s file `path` (it gave a finding). */
void ls_image_keep_digests(struct blob *b, const char *path,
			   const struct ls_digests *d);

/* Layer `b`'s file `path` had more findings than --max-findings. */
void ls_image_keep_capped(struct blob *b, const char *path);

/*
 * After the findings are judged: report each capped file, as a warning
 * when a package installed it unchanged (its findings are info), else as
 * the scan error it always was.
 */
void ls_image_report_capped(struct img *im);

/* Free what a blob keeps for provenance. */
void ls_image_blob_prov_release(struct blob *b);

/*
 * After ls_image_resolve: build each image's package database from its
 * layers' database files, whiteouts and opaque directories, in layer
 * order (whatever order the layers and files arrived in).
 */
void ls_image_provenance_setup(struct img *im);
void ls_image_provenance_release(struct img *im);

/*
 * Judge layer finding `f` of image `no`, at layer index f->layer->index,
 * whose content is the file `content` of blob `cb` (for a hard-link copy,
 * the target's): set its provenance, package, severity and note.
 */
void ls_image_judge(struct img *im, struct ls_finding *f, int no,
		    const struct blob *cb, const char *content);

/* ---- base.c: the base image's layers ---- */

/*
 * config.c, for image `no` just placed: when the manifest's annotations
 * (NULL: none) name the base (org.opencontainers.image.base.name) and the
 * config's history says where its layers end (buildah's "FROM <name>"
 * comment on the first entry of the build), the first layers are the
 * base's.  Otherwise nothing is (with a note saying why, when the
 * annotation is there).
 */
void ls_image_base_from_annotation(struct img *im, size_t no,
				   json_t *annotations, json_t *history);

/* After ls_image_resolve: with --base, match its diff IDs as a prefix of
 * each image's layers (a warning, and nothing is base, when they are
 * not); this overrides the annotation. */
void ls_image_base_setup(struct img *im);

/* Judge layer finding `f` of image `no`: in a base layer, mark it base,
 * name the base in its note, and make it info unless --include-base. */
void ls_image_base_judge(struct img *im, struct ls_finding *f, int no);

/* After a base image was read (ids_only): its diff IDs into `base`
 * (0), or a negative code with `err` filled. */
int ls_image_base_collect(struct img *im, struct ls_image_base *base,
			  struct ls_err *err);

/* ---- findings.c: completing findings ---- */

/*
 * Does a later layer with these sets (its `paths`, the paths its
 * whiteouts delete, its opaque directories; all normalised, as
 * ls_image_norm_path gives) hide `path` of an earlier layer?  A member of
 * an archive ("a.jar!x") is judged by the archive's path.  Hidden: the
 * path itself is deleted or overwritten, or one of its ancestors is
 * deleted or made opaque.  Pure: reads the sets, allocates nothing that
 * outlives the call.
 */
int ls_image_layer_hides(const struct ls_strset *paths,
			 const struct ls_strset *whiteouts,
			 const struct ls_strset *opaque, const char *path);

/* Fill in each layer finding's layer, visibility, note and hard-link
 * copies (after ls_image_resolve). */
void ls_image_complete_findings(struct img *im);

/* One finding for copies of a secret at one path in several layers;
 * sorts the findings. */
void ls_image_collapse(struct img *im);

#endif
