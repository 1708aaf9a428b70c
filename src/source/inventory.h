/*
 * inventory.h - what an image holds, as metadata: its images, their
 * configs and ordered layers, every layer's entries (path, type, mode,
 * owner, size), whiteouts, and the content of a few small system files
 * (/etc/passwd, the dpkg and apk databases).
 *
 * The image reader (image.c) fills an inventory when asked
 * (ls_image_opts.inv); the production policy (policy/) judges it.  Rule
 * examples build one from a small JSON description (policy/example.c).
 *
 * Memory: per entry a path and a few numbers (a 1 GB image with 60,000
 * files takes about 6 MB); captured files are capped at
 * LS_INV_CAPTURE_MAX bytes each, and only the paths ls_inv_wants_file()
 * accepts are captured.
 *
 * Ownership: the inventory owns everything in it; ls_inventory_release()
 * frees it all.  Layers are shared by images (one layer blob may belong to
 * several images of a `podman save -m` archive), so images point at
 * layers by index.
 */
#ifndef LS_SOURCE_INVENTORY_H
#define LS_SOURCE_INVENTORY_H

#include <stddef.h>

#define LS_INV_CAPTURE_MAX (16u << 20)

enum ls_inv_type {
	LS_INV_FILE = 'f',
	LS_INV_DIR = 'd',
	LS_INV_SYMLINK = 'l',
	LS_INV_HARDLINK = 'h',
	LS_INV_OTHER = 'o',      /* devices, FIFOs, sockets */
};

struct ls_inv_entry {
	char *path;              /* normalised: no leading "/" or "./" */
	char *link;              /* symlink or hardlink target, or NULL */
	unsigned mode;           /* permission bits with setuid/setgid/sticky */
	char type;               /* enum ls_inv_type */
	unsigned long long size;
	unsigned long uid, gid;
};

struct ls_inv_file {
	char *path;
	char *data;              /* NUL-terminated copy */
	size_t len;
};

struct ls_inv_layer {
	struct ls_inv_entry *e;
	size_t n, alloc;
	char **whiteouts, **opaque;   /* deleted paths, opaque directories */
	size_t nwh, wh_alloc, nop, op_alloc;
	struct ls_inv_file *files;
	size_t nfiles, files_alloc;
	unsigned long long bytes;     /* uncompressed tar bytes */
};

struct ls_inv_image_layer {
	size_t layer;            /* index into inventory.layers */
	char *digest;            /* diff_id */
	char *created_by;        /* tidied instruction, or NULL */
};

struct ls_inv_image {
	char *name;              /* reference, or NULL */
	char *config;            /* the image config JSON text, or NULL */
	struct ls_inv_image_layer *layers;
	size_t nlayers, alloc;
};

struct ls_inventory {
	struct ls_inv_layer **layers;
	size_t nlayers, layers_alloc;
	struct ls_inv_image *images;
	size_t nimages, images_alloc;
};

void ls_inventory_init(struct ls_inventory *inv);
void ls_inventory_release(struct ls_inventory *inv);

struct ls_inv_layer *ls_inv_layer_new(void);
void ls_inv_layer_free(struct ls_inv_layer *l);
/* Append an entry (copies path and link). */
void ls_inv_layer_add(struct ls_inv_layer *l, const char *path,
		      const char *link, char type, unsigned mode,
		      unsigned long long size, unsigned long uid,
		      unsigned long gid);
void ls_inv_layer_whiteout(struct ls_inv_layer *l, const char *path);
void ls_inv_layer_opaque(struct ls_inv_layer *l, const char *dir);
/* Keep a captured file's content (takes ownership of data). */
void ls_inv_layer_file(struct ls_inv_layer *l, const char *path, char *data,
		       size_t len);

/* Take ownership of a layer; returns its index. */
size_t ls_inventory_add_layer(struct ls_inventory *inv,
			      struct ls_inv_layer *l);
/* A new image (copies name and config); add its layers in order. */
struct ls_inv_image *ls_inventory_add_image(struct ls_inventory *inv,
					    const char *name,
					    const char *config);
void ls_inv_image_add_layer(struct ls_inv_image *img, size_t layer,
			    const char *digest, const char *created_by);

/*
 * Is `path` (normalised) one of the files whose content the policy reads?
 * /etc/passwd, /etc/group, var/lib/dpkg/status, var/lib/dpkg/status.d/ *,
 * lib/apk/db/installed.
 */
int ls_inv_wants_file(const char *path);

/*
 * The final filesystem of `img`: every entry no later layer deletes
 * (whiteout, opaque directory) or replaces, with the position (in
 * img->layers) of the layer it comes from.  Sorted by path.
 */
struct ls_inv_final {
	const struct ls_inv_entry *e;
	size_t pos;
};
size_t ls_inv_flatten(const struct ls_inventory *inv,
		      const struct ls_inv_image *img,
		      struct ls_inv_final **out);

/* The entry at `path` in a flattened filesystem, or NULL. */
const struct ls_inv_final *ls_inv_final_find(const struct ls_inv_final *fin,
					     size_t n, const char *path);

/* The captured content of `path` in the final filesystem, or NULL; *pos
 * (if not NULL) is set to the layer position it comes from. */
const struct ls_inv_file *ls_inv_final_file(const struct ls_inventory *inv,
					    const struct ls_inv_image *img,
					    const struct ls_inv_final *fin,
					    size_t n, const char *path,
					    size_t *pos);

#endif
