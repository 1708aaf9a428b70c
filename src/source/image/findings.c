/*
 * findings.c - completing the findings made in layers; see image.h.
 *
 * Once config.c has placed the layers, each finding in a layer file gets
 * its layer (index, diff_id, instruction), whether a later layer hides it
 * (whiteout, opaque directory, or overwrite) and the advice that goes with
 * it; hard links copy a finding to the link's name; and copies of one
 * secret at one path in several layers become one finding listing those
 * layers.
 */
#include "source/image/internal.h"

#include <stdlib.h>
#include <string.h>

#include "finding/fingerprint.h"
#include "finding/pubkey.h"
#include "util/sort.h"
#include "util/xalloc.h"

/* ---- completing findings ---- */

/*
 * Does a later layer hide `path`?  Its own whiteout or an overwrite hides
 * the path itself; a whiteout or an opaque marker hides everything under
 * an ancestor, however far up (`COPY conf/ /app/conf/` then `RUN rm -rf
 * /app`: the whiteout is .wh.app, and it hides app/conf/x).  Names are
 * compared whole, so .wh.ap does not hide app/x.
 */
int ls_image_layer_hides(const struct ls_strset *paths,
			 const struct ls_strset *whiteouts,
			 const struct ls_strset *opaque, const char *path)
{
	char *p = ls_xstrdup(path), *bang = strchr(p, '!'), *s;
	int hit;

	if (bang)
		*bang = '\0';   /* a member of an archive: the archive's path */
	hit = ls_strset_get(whiteouts, p, NULL) ||
	      ls_strset_get(paths, p, NULL);
	/* ancestors: deleted, or made opaque */
	for (s = strrchr(p, '/'); !hit && s; s = strrchr(p, '/')) {
		*s = '\0';
		hit = ls_strset_get(whiteouts, p, NULL) ||
		      ls_strset_get(opaque, p, NULL);
	}
	free(p);
	return hit;
}

/* Is `path` (in layer index i of image no) hidden by a later layer? */
static int hidden_by(struct img *im, int no, int i, const char *path)
{
	for (size_t j = (size_t)i + 1; j < im->images[no].n; j++) {
		struct blob *b = im->images[no].layers[j];
		if (b && ls_image_layer_hides(&b->paths, &b->whiteouts,
					      &b->opaque, path))
			return (int)j;
	}
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
static const char *advice(const struct img *im, const struct blob *b)
{
	const char *cb = b->created_by ? b->created_by : "";

	if (b->image_no >= 0 && b->index >= 0 &&
	    (size_t)b->index < im->images[b->image_no].nbase)
		return "rebuild FROM a base image that does not ship it, or tell the base image's maintainers";
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
	/* a published test key: its note says all (finding/pubkey.h) */
	if (ls_pubkey_is_note(extra))
		return;
	if (hb >= 0) {
		const char *by = layer_instruction(im, b->image_no, hb);
		f->note = ls_xasprintf(
			"removed from the final filesystem by layer %d%s%s%s, but layer %d still ships it: anyone with the image can extract it; %s%s%s",
			hb, by ? " (" : "", by ? by : "", by ? ")" : "",
			f->layer->index, advice(im, b), extra ? "; " : "",
			extra ? extra : "");
	} else {
		f->note = ls_xasprintf("%s%s%s", advice(im, b), extra ? "; " : "",
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
void ls_image_complete_findings(struct img *im)
{
	struct ls_findings *l = &im->scan->findings;
	size_t n0 = l->n;

	for (size_t i = 0; i < n0; i++) {
		struct ls_finding *f = l->v[i];
		struct blob *b;
		int no, last;
		enum ls_severity sev0;

		if (!f->layer || f->layer->index >= 0)
			continue;
		b = ls_image_blob_get(im, f->layer->digest);
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
		if (!ls_pubkey_is_note(f->note)) {
			free(f->note);
			f->note = NULL;
		}
		set_visibility(im, f, b, last);
		sev0 = f->severity;
		ls_image_judge(im, f, no, b, f->path);
		ls_image_base_judge(im, f, no);
		for (size_t j = (size_t)b->index; j < im->images[no].n; j++) {
			struct blob *lb = im->images[no].layers[j];
			for (size_t k = 0; lb && k < lb->nhl; k++) {
				struct ls_finding *g;
				/* content findings only: a name rule judged
				 * the target's name, not the link's */
				if (!f->line || strcmp(lb->hl_target[k], f->path))
					continue;
				g = ls_finding_new(f->rule);
				g->severity = sev0;
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
				ls_image_judge(im, g, no, b, f->path);
				ls_image_base_judge(im, g, no);
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
 * it hidden only if every copy is.  Copies in base layers and copies in the
 * image's own layers stay two findings (base.c).
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

void ls_image_collapse(struct img *im)
{
	struct ls_findings *l = &im->scan->findings;
	size_t o = 0;

	ls_sort(l->v, l->n, sizeof(*l->v), cmp_dup);
	for (size_t i = 0; i < l->n; i++) {
		struct ls_finding *f = l->v[i];
		struct ls_finding *keep = o ? l->v[o - 1] : NULL;

		/* never across the base's end: a copy in a layer of the
		 * image's own is its finding, whatever the base ships */
		if (keep && f->layer && keep->layer &&
		    !strcmp(keep->fingerprint, f->fingerprint) &&
		    keep->line == f->line &&
		    keep->layer->base == f->layer->base) {
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
