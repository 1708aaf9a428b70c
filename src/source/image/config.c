/*
 * config.c - manifests, image configs, history; see image.h.
 *
 * At the end the manifests say which blobs are layers of which image, in
 * which order; each layer gets its index, its diff_id (the digest of the
 * uncompressed tar, the same in every format, so a docker-archive and an
 * oci-archive of one image give identical findings) and the history entry
 * that created it (history entries with empty_layer do not count).  Then
 * the image configs and history are scanned: Env, Labels, Cmd, Entrypoint,
 * Healthcheck, User, each history entry and its build arguments.
 */
#include "source/image/internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source/inventory.h"
#include "util/xalloc.h"

/* ---- manifests ---- */

/* The blob a manifest entry names: a path (with links) or a digest. */
static struct blob *find_blob(struct img *im, const char *ref)
{
	struct blob *b;
	char *n = ls_image_norm_path(ref), *k;

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
	b = ls_image_blob_get(im, n);
	if (!b && !strncmp(n, "sha256:", 7)) {
		k = ls_xasprintf("blobs/sha256/%s", n + 7);
		b = ls_image_blob_get(im, k);
		free(k);
		if (!b)
			b = ls_image_blob_get(im, n + 7);
		if (!b) {
			k = ls_xasprintf("%s.tar", n + 7);
			b = ls_image_blob_get(im, k);
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
		      const char **layer_refs, size_t n, json_t *annotations)
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
	im->images[no].nbase = 0;
	im->images[no].base_name = NULL;
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
	if (!im->ids_only)
		ls_image_base_from_annotation(im, no, annotations, hist);
}

static void image_from_config(struct img *im, const char *ref,
			      struct blob *cfgb, json_t *layer_list,
			      int list_is_paths, json_t *annotations,
			      struct ls_strset *seen_cfg)
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
		  layers, refs, n, annotations);
	if (cfgb && !im->ids_only && !ls_strset_get(seen_cfg, cfgb->key, NULL)) {
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
					  json_object_get(m, "annotations"),
					  seen_cfg);
		}
		json_decref(m);
	}
}

void ls_image_resolve(struct img *im)
{
	struct blob *mj = ls_image_blob_get(im, "manifest.json");
	struct blob *ix = ls_image_blob_get(im, "index.json");
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
					  json_object_get(e, "Layers"), 1, NULL,
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
				  json_object_get(m, "layers"), 0,
				  json_object_get(m, "annotations"), &seen_cfg);
	} else if (!mj && !ix) {
		ls_scan_error(im->scan, im->name, "%s",
			      im->truncated ?
			      "no manifest.json or index.json was read before the archive ended: layers cannot be placed" :
			      "no manifest.json or index.json: not a saved image");
	}
	json_decref(m);
	ls_strset_release(&seen_cfg);
}
