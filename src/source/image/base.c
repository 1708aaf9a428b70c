/*
 * base.c - which layers are the base image's; see image.h and
 * docs/image.md ("Base layers").
 *
 * An application image is its base image's layers plus its own.  A secret
 * in a base layer is real, but it is not the application's to fix: it is
 * reported at info with the base named, so it does not change the exit
 * status, unless --include-base.  Which layers are the base's:
 *
 *   - with --base BASE, BASE's layers: its config's rootfs.diff_ids must
 *     be, in order, the first diff IDs of the image.  A diff ID is the
 *     digest of the uncompressed layer, the same in every save format, so
 *     a docker-archive base matches an oci-dir application.  When they
 *     are not a prefix (the application was built on another version of
 *     the base) nothing is base, with a warning: a wrong --base must not
 *     hide the application's findings.
 *   - without --base, what the image says itself: podman/buildah write the
 *     org.opencontainers.image.base.name (and .digest) annotations into
 *     the manifest of an image built --format oci, and that is the only
 *     place an image names its base.  The annotation does not say how many
 *     layers the base has; buildah's history does: every history entry it
 *     writes has a comment "FROM <image>", where <image> is the base for
 *     the first entry of the build (later entries of a build with layer
 *     caching name the intermediate image before them).  So the base's
 *     layers are those made by the history entries before the first one
 *     whose comment is exactly "FROM " + the annotation's name, provided
 *     the history accounts for every layer.  The history alone (a
 *     docker-archive, a --format docker build) is not taken as a
 *     statement: a comment is free text, and the first "FROM" comment
 *     there may be the base's own build.
 *   - otherwise nothing is base.
 *
 * Only layer findings are judged: the config is the final image's, and
 * the policy (--policy) judges the final image as a whole.  A secret of a
 * base layer that a later layer deletes is still the base's (the finding
 * is in the base layer); a base file that a later layer rewrites is that
 * layer's finding (findings.c does not collapse copies across the base's
 * end).
 */
#include "source/image/internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define ANN_BASE_NAME "org.opencontainers.image.base.name"
#define ANN_BASE_DIGEST "org.opencontainers.image.base.digest"

static void set_base(struct img *im, size_t no, size_t n, const char *name)
{
	free(im->images[no].base_name);
	im->images[no].base_name = n ? ls_xstrdup(name) : NULL;
	im->images[no].nbase = n;
}

void ls_image_base_from_annotation(struct img *im, size_t no,
				   json_t *annotations, json_t *history)
{
	const char *name = json_string_value(json_object_get(annotations,
							     ANN_BASE_NAME));
	const char *digest = json_string_value(json_object_get(annotations,
							       ANN_BASE_DIGEST));
	size_t nl = im->images[no].n, made = 0, before = 0, i;
	int found = 0;
	json_t *h;
	char *want;

	if (!name || !name[0])
		return;
	want = ls_xasprintf("FROM %s", name);
	json_array_foreach(history, i, h) {
		const char *c = json_string_value(json_object_get(h, "comment"));
		if (!found && c && !strcmp(c, want)) {
			found = 1;
			before = made;
		}
		if (!json_is_true(json_object_get(h, "empty_layer")))
			made++;
	}
	free(want);
	if (!found || made != nl) {
		ls_scan_note(im->scan, im->name,
			     "the image names its base '%s'%s%s%s, but its history %s: no layer is taken as the base's (--base BASE says which)",
			     name, digest ? " (" : "", digest ? digest : "",
			     digest ? ")" : "",
			     !found ? "does not say where that base ends"
				    : "does not account for every layer");
		return;
	}
	set_base(im, no, before, name);
}

void ls_image_base_setup(struct img *im)
{
	const struct ls_image_base *base = im->base;

	if (!base)
		return;
	for (size_t no = 0; no < im->nimages; no++) {
		size_t n = im->images[no].n, bad = base->n;

		for (size_t i = 0; i < base->n && i < n; i++) {
			const struct blob *b = im->images[no].layers[i];
			if (!b || !b->digest || strcmp(b->digest, base->diff_ids[i])) {
				bad = i;
				break;
			}
		}
		if (bad == base->n && base->n > n)
			bad = n;
		if (bad < base->n) {
			ls_scan_warning(im->scan, im->name,
					"--base '%s' is not the base of %s: its layer %zu (%s) is %s: no layer is taken as the base's",
					base->name,
					im->images[no].layers && n &&
					im->images[no].layers[0] &&
					im->images[no].layers[0]->image ?
					im->images[no].layers[0]->image : "the image",
					bad, base->diff_ids[bad],
					bad < n ? "not the image's layer at that position"
						: "past the image's last layer");
			set_base(im, no, 0, NULL);
			continue;
		}
		set_base(im, no, base->n, base->name);
	}
}

void ls_image_base_judge(struct img *im, struct ls_finding *f, int no)
{
	char *words;

	if (!f->layer || no < 0 || (size_t)no >= im->nimages ||
	    f->layer->index < 0 ||
	    (size_t)f->layer->index >= im->images[no].nbase)
		return;
	f->layer->base = 1;
	free(f->layer->base_image);
	f->layer->base_image = ls_xstrdup(im->images[no].base_name);
	words = ls_xasprintf(
		"in a layer of the base image %s: the base ships it, not this image's own layers%s",
		im->images[no].base_name,
		im->include_base ? "" : " (--include-base ranks it by its rule)");
	if (!im->include_base)
		f->severity = LS_SEV_INFO;
	if (f->note) {
		char *both = ls_xasprintf("%s; %s", words, f->note);
		free(words);
		words = both;
	}
	free(f->note);
	f->note = words;
}

int ls_image_base_collect(struct img *im, struct ls_image_base *base,
			  struct ls_err *err)
{
	size_t n;

	if (im->scan->errors.n)
		return ls_err_set(err, LS_EFORMAT, im->name, 0, 0, "%s",
				  im->scan->errors.v[0]);
	if (im->nimages != 1)
		return ls_err_set(err, LS_EFORMAT, im->name, 0, 0,
				  "a base image must be one image, and this holds %zu",
				  im->nimages);
	n = im->images[0].n;
	if (n > LS_IMAGE_BASE_MAX_LAYERS)
		return ls_err_set(err, LS_ELIMIT, im->name, 0, 0,
				  "a base image of %zu layers: more than %d",
				  n, LS_IMAGE_BASE_MAX_LAYERS);
	base->diff_ids = ls_xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		const struct blob *b = im->images[0].layers[i];
		if (!b || !b->digest) {
			ls_image_base_release(base);
			return ls_err_set(err, LS_EFORMAT, im->name, 0, 0,
					  "the base's layer %zu is not in it", i);
		}
		base->diff_ids[i] = ls_xstrdup(b->digest);
		base->n = i + 1;
	}
	base->name = ls_xstrdup(im->name);
	return 0;
}

void ls_image_base_release(struct ls_image_base *base)
{
	if (!base)
		return;
	for (size_t i = 0; i < base->n; i++)
		free(base->diff_ids[i]);
	free(base->diff_ids);
	free(base->name);
	memset(base, 0, sizeof(*base));
}
