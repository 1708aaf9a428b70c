/*
 * image.h - scan a saved container image: every layer, the config, history.
 *
 * Inputs (detected from the content, not the name):
 *   - docker-archive (`podman save`, `docker save` before 25): a tar with
 *     manifest.json, <id>.json configs and layer tars (podman writes
 *     <id>/layer.tar as symlinks to ../<digest>.tar);
 *   - OCI image layout in a tar (oci-archive, `docker save` 25+) or a
 *     directory (oci-dir): oci-layout, index.json, blobs/sha256/...;
 *   - docker-dir (the "dir" transport): a directory with a registry
 *     manifest.json and blobs named by their hex digest;
 *   - any of the archives compressed as a whole (.tar.gz, .tar.zst, ...).
 * Layers may be plain tar, gzip or zstd (libarchive filters).
 *
 * Reading: a saved image *file* (a seekable, uncompressed outer tar) is read
 * in two passes: the first reads only the tar headers, then each layer is
 * read from its own offset and scanned on the thread pool, biggest first,
 * with results merged in archive order (output does not depend on
 * --threads).  Gzip layers are inflated with ISA-L (content/inflate.c).
 * Pipes, layout directories and compressed outer archives use one pass:
 * the outer archive is read once, in order.  Small JSON entries
 * (manifests, configs, index) are kept in memory (at most
 * --max-json-size bytes each); every other entry that is an archive is
 * scanned as a layer the moment it arrives, as a nested libarchive stream,
 * never extracted.  Which layer a blob is, and which history entry made it,
 * is known only at the end (podman writes manifest.json last), so findings
 * carry the blob's name until then and are completed afterwards: layer
 * index, diff_id digest, created_by, and whether a later layer hides the
 * file (whiteout, opaque directory, or overwrite).
 *
 * Memory: per layer, the set of paths it contains (for whiteout and
 * overwrite checks); the JSON documents; the findings.  Never file contents
 * beyond the chunk buffer.
 *
 * Limits (scan->opts.limits, docs/limits.md): bytes inflated per layer
 * (--max-layer-size) and per nested archive (--max-nested-size), the
 * inflation ratio of both (--max-ratio, judged past LS_RATIO_FLOOR_LAYER
 * and LS_RATIO_FLOOR_NESTED bytes), entries per layer or nested archive
 * (--max-entries), entry name length (--max-path-length), JSON documents'
 * size and depth (--max-json-size, --max-json-depth), nested archive
 * depth (ls_image_opts), the deadline.  Each hit is a scan error naming
 * the image, the layer and the entry; a layer over its budget stops there.
 *
 * Errors: a blob that cannot be read, a manifest naming a missing blob, or
 * a corrupt archive are recorded as scan errors (exit 2) naming the image
 * and the layer; findings from the readable parts are still reported.
 * Returns a negative code (and fills `err`) only when nothing could be read.
 *
 * The folder, one step a file, in the order the data flows (internal.h
 * holds what they share: struct img and struct blob, with who owns what,
 * and the few ls_image_* functions one file calls in another):
 *
 *   outer.c     what the input is and who reads it: the outer archive
 *               (one pass; compressed outer archives, pipes), the
 *               two-pass reader of an image file with its layer tasks
 *               and their merge in archive order, layout directories
 *               (oci-dir, docker-dir), the blob table, symbolic links,
 *               the entry points below.  Each blob: small JSON kept,
 *               an archive handed to layer.c, the rest skipped.
 *   layer.c     one layer's entries in order: whiteouts, opaque
 *               directories, hard links, the path sets, inventory
 *               entries and captured files; regular files to the scan
 *               pipeline, archives among them walked as nested archives
 *               (scan_nested is here: it opens an archive the way a layer
 *               is opened).  Also the readers every layer byte passes:
 *               the layer's budget, entry and peeked readers, the
 *               libarchive read callback with the nested limits.
 *   nested.c    the results memo for archives in layers: an archive read
 *               whole, replayed when its bytes were scanned before, or
 *               set aside until the end of the layer while another thread
 *               scans a copy.
 *   config.c    after the last blob: the manifests (docker-archive
 *               manifest.json, OCI index and manifests, docker-dir) say
 *               which blob is which layer of which image (index, diff_id,
 *               created_by); the image config (Env, Labels, Cmd,
 *               Entrypoint, Healthcheck, User) and history with its build
 *               arguments are scanned; the inventory gets its images.
 *   provenance.c  who put a file there: package database files kept as
 *               layers pass (layer.c hands them over, and the digests of
 *               each file that gave a finding, taken from a tee:
 *               content/tee.h), one database per image built in layer
 *               order once config.c has placed the layers, and each
 *               finding judged: vendor (info unless --include-vendor),
 *               modified, unverified or the author's (docs/provenance.md).
 *   base.c      which layers are the base image's: read BASE's diff
 *               IDs (ls_image_base_read_*: the manifests and config
 *               only, no layer is scanned), match them as a prefix of
 *               each image's layers, or else take the image's own base
 *               annotation with buildah's history; judge a finding in a
 *               base layer (info, the base named, unless --include-base).
 *   findings.c  then each finding made in a layer is completed: its
 *               layer, hidden or not (ls_image_layer_hides: whiteout,
 *               opaque directory, overwrite), advice, provenance,
 *               hard-link copies; copies in several layers collapse into
 *               one finding.
 *
 * A file may call another only through internal.h.
 *
 * Warnings (scan.h): a member of an archive inside a layer that cannot be
 * read (encrypted, damaged, an unsupported method) or a nested archive
 * that cannot be opened, while the layer's own bytes come fine, is a
 * warning; the layer failing to read is an error.
 */
#ifndef LS_SOURCE_IMAGE_H
#define LS_SOURCE_IMAGE_H

#include "scan/scan.h"

#define LS_IMAGE_MAX_DEPTH_DEFAULT 3

struct ls_inventory;

struct ls_image_opts {
	int max_archive_depth;   /* nested archives in layers; < 0: default */
	/* When not NULL, filled with every image's config and its layers'
	 * entries (source/inventory.h), for the production policy. */
	struct ls_inventory *inv;
	/* --include-vendor: findings in files a package installed keep
	 * their rules' severity (provenance.c) */
	int include_vendor;
	/* --base: the base image's layers (borrowed; NULL: none given, then
	 * the image's own base annotation decides, see base.c) */
	const struct ls_image_base *base;
	/* --include-base: findings in base layers keep their rules'
	 * severity */
	int include_base;
};

/*
 * A base image as `image --base BASE` names it: its name (for notes) and
 * the diff IDs of its layers, in order (rootfs.diff_ids of its config).
 * Filled by ls_image_base_read_path/_fd, freed by ls_image_base_release.
 * At most LS_IMAGE_BASE_MAX_LAYERS layers.
 */
#define LS_IMAGE_BASE_MAX_LAYERS 4096

struct ls_image_base {
	char *name;
	char **diff_ids;
	size_t n;
};

/*
 * Read the base image at `path` (anything ls_image_scan_path reads) or
 * from `fd` (a pipe from `podman save`): only its manifests and config,
 * no layer is scanned (a layer's bytes are skipped, or read past on a
 * pipe).  `name` names it in messages and notes (NULL: path).  The input
 * must hold exactly one image.  Returns 0, or a negative LS_E* code with
 * `err` filled (an unreadable input, no image, several images, a layer
 * missing, any scan error met while reading); `scan` only lends its
 * rule set and options (limits), and is not written to.
 */
int ls_image_base_read_path(struct ls_image_base *base, struct ls_scan *scan,
			    const char *path, const char *name,
			    struct ls_err *err);
int ls_image_base_read_fd(struct ls_image_base *base, struct ls_scan *scan,
			  int fd, const char *name, struct ls_err *err);
void ls_image_base_release(struct ls_image_base *base);

/*
 * Scan the image at `path`: a file, a directory layout, or "-" for
 * standard input.  `name` is used in messages (NULL: path).
 */
int ls_image_scan_path(struct ls_scan *scan, const char *path,
		       const char *name, const struct ls_image_opts *o,
		       struct ls_err *err);

/* The same for an open file descriptor (a pipe from `podman save`). */
int ls_image_scan_fd(struct ls_scan *scan, int fd, const char *name,
		     const struct ls_image_opts *o, struct ls_err *err);

/* Nesting depth of a JSON text (brackets outside strings; 0 for none). */
size_t ls_image_json_depth(const char *buf, size_t len);

#endif
