/* inventory.c - an image's file metadata; see inventory.h. */
#include "source/inventory.h"

#include <stdlib.h>
#include <string.h>

#include "util/sort.h"
#include "util/strset.h"
#include "util/xalloc.h"

void ls_inventory_init(struct ls_inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
}

void ls_inv_layer_free(struct ls_inv_layer *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->e[i].path);
		free(l->e[i].link);
	}
	free(l->e);
	for (size_t i = 0; i < l->nwh; i++)
		free(l->whiteouts[i]);
	free(l->whiteouts);
	for (size_t i = 0; i < l->nop; i++)
		free(l->opaque[i]);
	free(l->opaque);
	for (size_t i = 0; i < l->nfiles; i++) {
		free(l->files[i].path);
		free(l->files[i].data);
	}
	free(l->files);
	free(l);
}

void ls_inventory_release(struct ls_inventory *inv)
{
	for (size_t i = 0; i < inv->nlayers; i++)
		ls_inv_layer_free(inv->layers[i]);
	free(inv->layers);
	for (size_t i = 0; i < inv->nimages; i++) {
		struct ls_inv_image *img = &inv->images[i];
		free(img->name);
		free(img->config);
		for (size_t k = 0; k < img->nlayers; k++) {
			free(img->layers[k].digest);
			free(img->layers[k].created_by);
		}
		free(img->layers);
	}
	free(inv->images);
	memset(inv, 0, sizeof(*inv));
}

struct ls_inv_layer *ls_inv_layer_new(void)
{
	return ls_xcalloc(1, sizeof(struct ls_inv_layer));
}

void ls_inv_layer_add(struct ls_inv_layer *l, const char *path,
		      const char *link, char type, unsigned mode,
		      unsigned long long size, unsigned long uid,
		      unsigned long gid)
{
	struct ls_inv_entry *e;

	LS_ALLOC_GROW(l->e, l->n + 1, l->alloc);
	e = &l->e[l->n++];
	e->path = ls_xstrdup(path);
	e->link = link ? ls_xstrdup(link) : NULL;
	e->type = type;
	e->mode = mode & 07777;
	e->size = size;
	e->uid = uid;
	e->gid = gid;
}

void ls_inv_layer_whiteout(struct ls_inv_layer *l, const char *path)
{
	LS_ALLOC_GROW(l->whiteouts, l->nwh + 1, l->wh_alloc);
	l->whiteouts[l->nwh++] = ls_xstrdup(path);
}

void ls_inv_layer_opaque(struct ls_inv_layer *l, const char *dir)
{
	LS_ALLOC_GROW(l->opaque, l->nop + 1, l->op_alloc);
	l->opaque[l->nop++] = ls_xstrdup(dir);
}

void ls_inv_layer_file(struct ls_inv_layer *l, const char *path, char *data,
		       size_t len)
{
	struct ls_inv_file *f;

	LS_ALLOC_GROW(l->files, l->nfiles + 1, l->files_alloc);
	f = &l->files[l->nfiles++];
	f->path = ls_xstrdup(path);
	f->data = data;
	f->len = len;
}

size_t ls_inventory_add_layer(struct ls_inventory *inv,
			      struct ls_inv_layer *l)
{
	LS_ALLOC_GROW(inv->layers, inv->nlayers + 1, inv->layers_alloc);
	inv->layers[inv->nlayers] = l;
	return inv->nlayers++;
}

struct ls_inv_image *ls_inventory_add_image(struct ls_inventory *inv,
					    const char *name,
					    const char *config)
{
	struct ls_inv_image *img;

	LS_ALLOC_GROW(inv->images, inv->nimages + 1, inv->images_alloc);
	img = &inv->images[inv->nimages++];
	memset(img, 0, sizeof(*img));
	img->name = name ? ls_xstrdup(name) : NULL;
	img->config = config ? ls_xstrdup(config) : NULL;
	return img;
}

void ls_inv_image_add_layer(struct ls_inv_image *img, size_t layer,
			    const char *digest, const char *created_by)
{
	struct ls_inv_image_layer *il;

	LS_ALLOC_GROW(img->layers, img->nlayers + 1, img->alloc);
	il = &img->layers[img->nlayers++];
	il->layer = layer;
	il->digest = digest ? ls_xstrdup(digest) : NULL;
	il->created_by = created_by ? ls_xstrdup(created_by) : NULL;
}

int ls_inv_wants_file(const char *path)
{
	static const char *const exact[] = {
		"etc/passwd", "etc/group", "var/lib/dpkg/status",
		"lib/apk/db/installed", NULL
	};

	for (int i = 0; exact[i]; i++)
		if (!strcmp(path, exact[i]))
			return 1;
	/* distroless images list their packages one file each */
	if (!strncmp(path, "var/lib/dpkg/status.d/", 22) && path[22] &&
	    !strchr(path + 22, '/'))
		return 1;
	return 0;
}

/* Is a parent directory of `path` (not `path` itself) in `set`? */
static int below_any(const struct ls_strset *set, const char *path)
{
	char *p;
	int hit = 0;

	if (!set->n)
		return 0;
	p = ls_xstrdup(path);
	for (char *s = strrchr(p, '/'); s && !hit; s = strrchr(p, '/')) {
		*s = '\0';
		hit = ls_strset_get(set, p, NULL);
	}
	free(p);
	return hit;
}

/* Is `path` or one of its parent directories in `set`? */
static int under_any(const struct ls_strset *set, const char *path)
{
	return set->n && (ls_strset_get(set, path, NULL) ||
			  below_any(set, path));
}

static int cmp_final(const void *a, const void *b)
{
	const struct ls_inv_final *x = a, *y = b;

	return strcmp(x->e->path, y->e->path);
}

/*
 * Top layer first: an entry is visible unless a layer above it has the
 * same path, deletes it or a parent (whiteout), or made a parent opaque.
 */
size_t ls_inv_flatten(const struct ls_inventory *inv,
		      const struct ls_inv_image *img,
		      struct ls_inv_final **out)
{
	struct ls_strset seen, gone, opaque;
	struct ls_inv_final *v = NULL;
	size_t n = 0, alloc = 0;

	ls_strset_init(&seen);
	ls_strset_init(&gone);
	ls_strset_init(&opaque);
	for (size_t k = img->nlayers; k-- > 0;) {
		const struct ls_inv_layer *l = inv->layers[img->layers[k].layer];

		for (size_t i = 0; i < l->n; i++) {
			const struct ls_inv_entry *e = &l->e[i];
			if (ls_strset_get(&seen, e->path, NULL) ||
			    under_any(&gone, e->path) ||
			    below_any(&opaque, e->path))
				continue;
			ls_strset_put(&seen, e->path, 0);
			LS_ALLOC_GROW(v, n + 1, alloc);
			v[n].e = e;
			v[n].pos = k;
			n++;
		}
		for (size_t i = 0; i < l->nwh; i++)
			ls_strset_put(&gone, l->whiteouts[i], 0);
		for (size_t i = 0; i < l->nop; i++)
			ls_strset_put(&opaque, l->opaque[i], 0);
	}
	ls_strset_release(&seen);
	ls_strset_release(&gone);
	ls_strset_release(&opaque);
	ls_sort(v, n, sizeof(*v), cmp_final);
	*out = v;
	return n;
}

const struct ls_inv_final *ls_inv_final_find(const struct ls_inv_final *fin,
					     size_t n, const char *path)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(fin[mid].e->path, path);
		if (!c)
			return &fin[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct ls_inv_file *ls_inv_final_file(const struct ls_inventory *inv,
					    const struct ls_inv_image *img,
					    const struct ls_inv_final *fin,
					    size_t n, const char *path,
					    size_t *pos)
{
	const struct ls_inv_final *f = ls_inv_final_find(fin, n, path);
	const struct ls_inv_layer *l;

	if (!f || f->e->type != LS_INV_FILE)
		return NULL;
	l = inv->layers[img->layers[f->pos].layer];
	for (size_t i = l->nfiles; i-- > 0;) {
		if (!strcmp(l->files[i].path, path)) {
			if (pos)
				*pos = f->pos;
			return &l->files[i];
		}
	}
	return NULL;
}
