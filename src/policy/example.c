/*
 * example.c - run a policy rule's examples (see policy.h).
 *
 * A containerfile-policy example is a Containerfile.  An image-policy
 * example describes an image in JSON, small enough to write by hand in
 * patterns/policy.toml:
 *
 *   { "options": { "policy": "distroless", "max-size": "1MB",
 *                  "user": "1000" },
 *     "config":  { "User": "app", "Healthcheck": { "Test": ["CMD", "x"] } },
 *     "history": [ "HEALTHCHECK CMD x" ],
 *     "layers": [ { "created_by": "RUN apt-get install -y gcc",
 *                   "bytes": 1000,
 *                   "entries": [ "f 0755 usr/bin/gcc 900", "d 1777 tmp",
 *                                "l usr/bin/cc gcc" ],
 *                   "whiteouts": [ "app/.env" ], "opaque": [ "cache" ],
 *                   "files": { "etc/passwd": "root:x:0:0::/root:/bin/sh" } } ] }
 *
 * An entry is "TYPE MODE PATH [SIZE]" (TYPE f, d or o) or "l PATH TARGET"
 * / "h PATH TARGET"; every key may be left out.  Each "files" item is also
 * a regular file entry of the layer.
 */
#define _GNU_SOURCE
#include "policy/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/size.h"
#include "util/xalloc.h"

static int bad(struct ls_err *err, const char *rule, const char *msg)
{
	return ls_err_set(err, LS_EINVAL, rule, 0, 0, "image example: %s", msg);
}

/* "TYPE MODE PATH [SIZE]" or "l|h PATH TARGET"; 0 or -1. */
static int add_entry(struct ls_inv_layer *l, const char *s)
{
	char *copy = ls_xstrdup(s), *save = NULL, *end;
	char *type = strtok_r(copy, " ", &save);
	char *a = type ? strtok_r(NULL, " ", &save) : NULL;
	char *b = a ? strtok_r(NULL, " ", &save) : NULL;
	char *sz = b ? strtok_r(NULL, " ", &save) : NULL;
	unsigned long long size = 0;
	unsigned long mode;
	int ret = -1;

	if (!b || strlen(type) != 1)
		goto out;
	if (type[0] == 'l' || type[0] == 'h') {
		ls_inv_layer_add(l, a, b, type[0] == 'l' ? LS_INV_SYMLINK
							 : LS_INV_HARDLINK,
				 0777, 0, 0, 0);
		ret = 0;
		goto out;
	}
	if (!strchr("fdo", type[0]))
		goto out;
	mode = strtoul(a, &end, 8);
	if (*end || mode > 07777)
		goto out;
	if (sz) {
		size = strtoull(sz, &end, 10);
		if (*end)
			goto out;
	}
	ls_inv_layer_add(l, b, NULL, type[0], (unsigned)mode, size, 0, 0);
	ret = 0;
out:
	free(copy);
	return ret;
}

static int build(json_t *j, struct ls_inventory *inv, struct ls_err *err,
		 const char *rule)
{
	json_t *layers = json_object_get(j, "layers"), *l, *v;
	json_t *cfg = json_object(), *hist = json_array();
	struct ls_inv_image *img;
	char *text;
	size_t i, k;
	const char *key;

	v = json_object_get(j, "config");
	json_object_set_new(cfg, "config", v ? json_incref(v) : json_object());
	json_array_foreach(json_object_get(j, "history"), i, v) {
		json_t *h = json_object();
		json_object_set(h, "created_by", v);
		json_object_set_new(h, "empty_layer", json_true());
		json_array_append_new(hist, h);
	}
	json_array_foreach(layers, i, l) {
		json_t *h = json_object();
		const char *cb = json_string_value(json_object_get(l, "created_by"));
		json_object_set_new(h, "created_by", json_string(cb ? cb : ""));
		json_array_append_new(hist, h);
	}
	json_object_set_new(cfg, "history", hist);
	text = json_dumps(cfg, JSON_COMPACT);
	json_decref(cfg);
	img = ls_inventory_add_image(inv, NULL, text);
	free(text);
	json_array_foreach(layers, i, l) {
		struct ls_inv_layer *il = ls_inv_layer_new();
		char digest[48];
		const char *cb = json_string_value(json_object_get(l, "created_by"));

		snprintf(digest, sizeof(digest), "sha256:example%zu", i);
		il->bytes = (unsigned long long)json_integer_value(
			json_object_get(l, "bytes"));
		json_array_foreach(json_object_get(l, "entries"), k, v) {
			if (!json_string_value(v) ||
			    add_entry(il, json_string_value(v))) {
				ls_inv_layer_free(il);
				return bad(err, rule, "an entry is not \"TYPE MODE PATH [SIZE]\" or \"l|h PATH TARGET\"");
			}
		}
		json_array_foreach(json_object_get(l, "whiteouts"), k, v)
			if (json_string_value(v))
				ls_inv_layer_whiteout(il, json_string_value(v));
		json_array_foreach(json_object_get(l, "opaque"), k, v)
			if (json_string_value(v))
				ls_inv_layer_opaque(il, json_string_value(v));
		json_object_foreach(json_object_get(l, "files"), key, v) {
			const char *s = json_string_value(v);
			if (!s)
				continue;
			ls_inv_layer_add(il, key, NULL, LS_INV_FILE, 0644,
					 strlen(s), 0, 0);
			ls_inv_layer_file(il, key, ls_xstrdup(s), strlen(s));
		}
		ls_inv_image_add_layer(img, ls_inventory_add_layer(inv, il),
				       digest, cb);
	}
	return 0;
}

int ls_policy_example(struct ls_scan *scan, const struct ls_rule *r,
		      const struct ls_example *e, struct ls_err *err)
{
	struct ls_policy_opts o = { LS_POLICY_PRODUCTION, 0, NULL };
	int found = 0;

	if (r->check == LS_CHECK_CONTAINERFILE_POLICY) {
		struct ls_containerfile *cf = NULL;
		if (ls_containerfile_parse(e->text, e->len, "Containerfile", &cf,
					   err))
			return -1;
		ls_policy_check_containerfile(scan, cf, "Containerfile");
		ls_containerfile_free(cf);
	} else {
		json_error_t je;
		json_t *j = json_loadb(e->text, e->len, 0, &je), *opt;
		struct ls_inventory inv;
		const char *s;
		int rc;

		if (!json_is_object(j)) {
			json_decref(j);
			return ls_err_set(err, LS_EINVAL, r->id, je.line, je.column,
					  "image example is not a JSON object: %s",
					  je.text);
		}
		opt = json_object_get(j, "options");
		if ((s = json_string_value(json_object_get(opt, "policy"))) &&
		    ls_policy_parse_sets(s, &o.sets)) {
			json_decref(j);
			return bad(err, r->id, "options.policy is not production or distroless");
		}
		if ((s = json_string_value(json_object_get(opt, "max-size"))) &&
		    ls_size_parse(s, &o.max_size)) {
			json_decref(j);
			return bad(err, r->id, "options.max-size is not a size");
		}
		o.user = json_string_value(json_object_get(opt, "user"));
		ls_inventory_init(&inv);
		rc = build(j, &inv, err, r->id);
		if (!rc)
			ls_policy_check_image(scan, &inv, &o);
		ls_inventory_release(&inv);
		json_decref(j);
		if (rc)
			return -1;
	}
	for (size_t i = 0; i < scan->findings.n; i++)
		if (scan->findings.v[i]->rule == r)
			found = 1;
	return found;
}
