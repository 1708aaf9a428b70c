/*
 * policy.c - policy settings and the checks on a built image; see
 * policy.h.  The Containerfile checks are in containerfile.c, the
 * examples in example.c.
 */
#define _GNU_SOURCE
#include "policy/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "finding/fingerprint.h"
#include "util/buf.h"
#include "util/size.h"
#include "util/strset.h"
#include "util/xalloc.h"

/* Findings listed one per path stop after this many per check. */
#define LIST_MAX 50

/* ---- settings ---- */

int ls_policy_parse_sets(const char *s, unsigned *sets)
{
	char *copy = ls_xstrdup(s), *save = NULL;
	int ret = 0;

	*sets = 0;
	for (char *t = strtok_r(copy, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (!strcmp(t, "production"))
			*sets |= LS_POLICY_PRODUCTION;
		else if (!strcmp(t, "distroless"))
			*sets |= LS_POLICY_PRODUCTION | LS_POLICY_DISTROLESS;
		else
			ret = -1;
	}
	free(copy);
	return ret || !*sets ? -1 : 0;
}

static int is_policy_rule(const struct ls_rule *r)
{
	return r->check == LS_CHECK_IMAGE_POLICY ||
	       r->check == LS_CHECK_CONTAINERFILE_POLICY;
}

int ls_policy_configure(const struct ls_ruleset *rs, struct ls_policy_opts *o,
			struct ls_err *err)
{
	const char *max = NULL;
	const char *user = NULL;

	for (size_t i = 0; i < rs->npolicy; i++) {
		const struct ls_policy_setting *ps = &rs->policy[i];
		if (!strcmp(ps->key, "max-size")) {
			unsigned long long v;
			if (ls_size_parse(ps->value, &v) || !v)
				return ls_err_set(err, LS_EINVAL, ps->file,
						  ps->line, 0,
						  "[policy] max-size must be a size such as \"500MB\", not '%s'",
						  ps->value);
			max = ps->value;
		} else if (!strcmp(ps->key, "user")) {
			user = ps->value;
		} else {
			char *id = ls_xasprintf("policy-%s", ps->key);
			const struct ls_rule *r = ls_ruleset_find(rs, id);
			free(id);
			if (!r || !is_policy_rule(r))
				return ls_err_set(err, LS_EINVAL, ps->file,
						  ps->line, 0,
						  "[policy] '%s' is not a policy check (see `layerscan rules list`: the ids starting with policy-, without that prefix)",
						  ps->key);
		}
	}
	if (!o->max_size && max)
		ls_size_parse(max, &o->max_size);
	if (!o->user && user && user[0])
		o->user = user;
	return 0;
}

int ls_policy_severity(const struct ls_ruleset *rs, const struct ls_rule *r)
{
	const char *name = strncmp(r->id, "policy-", 7) ? r->id : r->id + 7;
	int sev = (int)r->severity;

	/* the last setting wins, as later files extend earlier ones */
	for (size_t i = 0; i < rs->npolicy; i++) {
		if (strcmp(rs->policy[i].key, name))
			continue;
		if (!strcmp(rs->policy[i].value, "off"))
			sev = -1;
		else
			sev = ls_severity_parse(rs->policy[i].value);
	}
	return sev;
}

const struct ls_rule *ls_policy_rule(const struct ls_ruleset *rs,
				     const char *id, enum ls_severity *sev)
{
	const struct ls_rule *r = ls_ruleset_find(rs, id);
	int s;

	if (!r || !is_policy_rule(r))
		return NULL;
	s = ls_policy_severity(rs, r);
	if (s < 0)
		return NULL;
	*sev = (enum ls_severity)s;
	return r;
}

struct ls_finding *ls_policy_finding(const struct ls_rule *r,
				     enum ls_severity sev, const char *path,
				     const char *where, char *note)
{
	struct ls_finding *f = ls_finding_new(r);

	f->severity = sev;
	f->source = LS_SOURCE_POLICY;
	f->path = ls_xstrdup(path);
	f->secret = ls_xstrdup("");
	f->note = note;
	ls_fingerprint_set(f, where);
	return f;
}

void ls_policy_add(struct ls_scan *scan, struct ls_finding *f)
{
	pthread_mutex_lock(&scan->lock);
	ls_findings_add(&scan->findings, f);
	pthread_mutex_unlock(&scan->lock);
}

/* ---- one image ---- */

struct ictx {
	struct ls_scan *scan;
	const struct ls_ruleset *rs;
	const struct ls_policy_opts *o;
	const struct ls_inventory *inv;
	const struct ls_inv_image *img;
	int multi;                      /* the input holds several images */
	json_t *cfg;                    /* the image config's "config" */
	json_t *hist;                   /* its "history" */
	struct ls_inv_final *fin;
	size_t nfin;
};

static const struct ls_inv_layer *layer_at(const struct ictx *c, size_t pos)
{
	return c->inv->layers[c->img->layers[pos].layer];
}

/* Point `f` at the layer in position `pos` of the image. */
static void set_layer(const struct ictx *c, struct ls_finding *f, size_t pos)
{
	const struct ls_inv_image_layer *il = &c->img->layers[pos];

	f->layer = ls_xcalloc(1, sizeof(*f->layer));
	f->layer->index = (int)pos;
	f->layer->digest = ls_xstrdup(il->digest ? il->digest : "");
	f->layer->created_by = il->created_by ? ls_xstrdup(il->created_by)
					      : NULL;
	f->layer->hidden_by = -1;
	f->layer->image = c->multi && c->img->name ? ls_xstrdup(c->img->name)
						   : NULL;
	LS_ALLOC_GROW(f->layers, f->nlayers + 1, f->layers_alloc);
	f->layers[f->nlayers++] = (int)pos;
}

static void also_layer(struct ls_finding *f, size_t pos)
{
	for (size_t i = 0; i < f->nlayers; i++)
		if (f->layers[i] == (int)pos)
			return;
	LS_ALLOC_GROW(f->layers, f->nlayers + 1, f->layers_alloc);
	f->layers[f->nlayers++] = (int)pos;
}

/* "in image NAME: " when the input holds several images. */
static char *image_prefix(const struct ictx *c)
{
	return c->multi && c->img->name ?
	       ls_xasprintf("image %s: ", c->img->name) : ls_xstrdup("");
}

static struct ls_finding *new_finding(const struct ictx *c, const char *id,
				      const char *path, const char *where,
				      char *note)
{
	enum ls_severity sev;
	const struct ls_rule *r = ls_policy_rule(c->rs, id, &sev);
	char *pre, *w;
	struct ls_finding *f;

	if (!r) {
		free(note);
		return NULL;
	}
	pre = image_prefix(c);
	w = ls_xasprintf("%s%s", c->img->name && c->multi ? c->img->name : "",
			 where);
	f = ls_policy_finding(r, sev, path, w, ls_xasprintf("%s%s", pre, note));
	free(w);
	free(pre);
	free(note);
	return f;
}

/* ---- users ---- */

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/*
 * Look `name` up in passwd text: 1 and *uid when found.  With name NULL,
 * look `*uid` up and return its name in *found (caller frees).
 */
static int passwd_find(const char *text, const char *name, unsigned long *uid,
		       char **found)
{
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = ls_xstrndup(p, n), *save = NULL;
		char *user = strtok_r(line, ":", &save);
		char *pw = user ? strtok_r(NULL, ":", &save) : NULL;
		char *id = pw ? strtok_r(NULL, ":", &save) : NULL;

		if (user && id && all_digits(id)) {
			unsigned long v = strtoul(id, NULL, 10);
			if (name && !strcmp(user, name)) {
				*uid = v;
				free(line);
				return 1;
			}
			if (!name && v == *uid) {
				if (found)
					*found = ls_xstrdup(user);
				free(line);
				return 1;
			}
		}
		free(line);
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

static void check_user(struct ictx *c)
{
	const char *user = json_string_value(json_object_get(c->cfg, "User"));
	const struct ls_inv_file *pw = ls_inv_final_file(c->inv, c->img, c->fin,
							 c->nfin, "etc/passwd",
							 NULL);
	char *u = ls_xstrdup(user ? user : ""), *colon = strchr(u, ':');
	unsigned long uid = 0;
	int known = 0, root = 0;
	struct ls_finding *f;

	if (colon)
		*colon = '\0';
	if (!u[0]) {
		known = root = 1;
	} else if (all_digits(u)) {
		uid = strtoul(u, NULL, 10);
		known = 1;
		root = uid == 0;
	} else if (pw && passwd_find(pw->data, u, &uid, NULL)) {
		known = 1;
		root = uid == 0;
	} else if (!strcmp(u, "root")) {
		known = root = 1;
	}
	if (!known) {
		f = new_finding(c, "policy-user-missing",
				pw ? "etc/passwd" : "config:User", "config:User",
				pw ? ls_xasprintf("the image runs as user '%s', which /etc/passwd does not list: the container fails to start",
						  u)
				   : ls_xasprintf("the image runs as user '%s', but it has no /etc/passwd to name that user: the container fails to start",
						  u));
		if (f) {
			f->field = ls_xstrdup("User");
			ls_policy_add(c->scan, f);
		}
	}
	f = NULL;
	if (root) {
		f = new_finding(c, "policy-root-user", "config:User",
				"config:User",
				user && user[0] ?
				ls_xasprintf("the image runs as root (config User is '%s')",
					     user) :
				ls_xstrdup("the image runs as root (config User is empty: no USER instruction)"));
		if (f) {
			f->field = ls_xstrdup("User");
			ls_policy_add(c->scan, f);
		}
	}
	if (c->o->user && known && !f) {
		const char *want = c->o->user;
		unsigned long wuid = 0;
		int match;

		if (all_digits(want))
			wuid = strtoul(want, NULL, 10);
		else if (!(pw && passwd_find(pw->data, want, &wuid, NULL)))
			wuid = (unsigned long)-1;
		match = (all_digits(want) || wuid != (unsigned long)-1) ?
			wuid == uid : !strcmp(want, u);
		if (!match) {
			f = new_finding(c, "policy-user-uid", "config:User",
					"config:User",
					ls_xasprintf("the image runs as %s%s%s (uid %lu), the policy asks for user %s",
						     u[0] ? "'" : "root", u[0] ? u : "",
						     u[0] ? "'" : "", uid, want));
			if (f) {
				f->field = ls_xstrdup("User");
				ls_policy_add(c->scan, f);
			}
		}
	}
	free(u);
}

/* ---- health check ---- */

static void check_healthcheck(struct ictx *c)
{
	json_t *test = json_object_get(json_object_get(c->cfg, "Healthcheck"),
				       "Test");
	const char *t0 = json_string_value(json_array_get(test, 0));
	json_t *h;
	size_t i;
	long dropped = -1;
	struct ls_finding *f;

	if (json_array_size(test) && t0 && strcmp(t0, "NONE"))
		return;
	json_array_foreach(c->hist, i, h) {
		const char *cb = json_string_value(json_object_get(h, "created_by"));
		const char *hc = cb ? strstr(cb, "HEALTHCHECK ") : NULL;
		if (hc && strncmp(hc + 12, "NONE", 4))
			dropped = (long)i;
	}
	if (dropped >= 0 && !json_array_size(test))
		f = new_finding(c, "policy-no-healthcheck", "config:Healthcheck",
				"config:Healthcheck",
				ls_xasprintf("the Containerfile has a HEALTHCHECK (history entry %ld) but the image config has none: the OCI image format cannot hold one, and podman builds OCI-format images by default, dropping HEALTHCHECK with only a warning; build with `podman build --format docker`, and save or push in docker format (`podman save --format docker-archive`), not oci-archive or oci-dir",
					     dropped));
	else
		f = new_finding(c, "policy-no-healthcheck", "config:Healthcheck",
				"config:Healthcheck",
				ls_xstrdup(json_array_size(test) ?
					   "the image disables its health check (HEALTHCHECK NONE)" :
					   "the image has no HEALTHCHECK: orchestrators cannot tell a hung service from a healthy one (note: podman's default OCI format drops HEALTHCHECK; build with --format docker)"));
	if (f) {
		f->field = ls_xstrdup("Healthcheck");
		f->history_index = dropped;
		ls_policy_add(c->scan, f);
	}
}

/* ---- size ---- */

static unsigned long long layer_bytes(const struct ls_inv_layer *l)
{
	unsigned long long sum = 0;

	if (l->bytes)
		return l->bytes;
	for (size_t i = 0; i < l->n; i++)
		sum += l->e[i].size;
	return sum;
}

static void check_size(struct ictx *c)
{
	unsigned long long total = 0;
	size_t top[3] = { 0 }, ntop = 0;
	char tot[32], max[32];
	struct ls_buf note = { 0 };
	struct ls_finding *f;

	if (!c->o->max_size)
		return;
	for (size_t i = 0; i < c->img->nlayers; i++)
		total += layer_bytes(layer_at(c, i));
	if (total <= c->o->max_size)
		return;
	/* the three largest layers, largest first */
	for (size_t i = 0; i < c->img->nlayers; i++) {
		unsigned long long b = layer_bytes(layer_at(c, i));
		size_t k = ntop < 3 ? ntop++ : 3;
		while (k > 0 && layer_bytes(layer_at(c, top[k - 1])) < b) {
			if (k < 3)
				top[k] = top[k - 1];
			k--;
		}
		if (k < 3)
			top[k] = i;
	}
	ls_size_human(total, tot, sizeof(tot));
	ls_size_human(c->o->max_size, max, sizeof(max));
	ls_buf_addf(&note, "the image is %s uncompressed, over the %s budget; largest layers:",
		    tot, max);
	for (size_t k = 0; k < ntop; k++) {
		const struct ls_inv_image_layer *il = &c->img->layers[top[k]];
		char sz[32];
		ls_size_human(layer_bytes(layer_at(c, top[k])), sz, sizeof(sz));
		ls_buf_addf(&note, "%s layer %zu %s (%s)", k ? ";" : "", top[k],
			    sz, il->created_by ? il->created_by : "no history");
	}
	f = new_finding(c, "policy-image-size", "image", "image:size",
			ls_buf_detach(&note));
	if (f) {
		set_layer(c, f, top[0]);
		for (size_t k = 1; k < ntop; k++)
			also_layer(f, top[k]);
		ls_policy_add(c->scan, f);
	}
}

/* ---- files by name ---- */

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Is the entry in a bin or sbin directory? */
static int in_bin_dir(const char *p)
{
	const char *s = strrchr(p, '/');
	size_t n;
	const char *d;

	if (!s)
		return 0;
	for (d = s; d > p && d[-1] != '/'; d--)
		;
	n = (size_t)(s - d);
	return (n == 3 && !strncmp(d, "bin", 3)) ||
	       (n == 4 && !strncmp(d, "sbin", 4));
}

static int executable(const struct ls_inv_entry *e)
{
	return e->type == LS_INV_SYMLINK || e->type == LS_INV_HARDLINK ||
	       (e->type == LS_INV_FILE && (e->mode & 0111));
}

/* `name` is `stem`, optionally followed by "-VERSION" (digits, dots). */
static int stem_version(const char *name, const char *stem)
{
	size_t n = strlen(stem);

	if (strncmp(name, stem, n))
		return 0;
	if (!name[n])
		return 1;
	if (name[n] != '-' || !name[n + 1])
		return 0;
	for (const char *p = name + n + 1; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			return 0;
	return 1;
}

static int is_compiler(const char *name)
{
	static const char *const cc[] = {
		"gcc", "g++", "cc", "c++", "clang", "clang++", "gfortran",
		"tcc", NULL
	};
	static const char *const tools[] = {
		"make", "gmake", "cmake", "ninja", "rustc", "cargo", "go",
		"javac", "ld", "ld.bfd", "ld.gold", NULL
	};
	const char *dash;

	for (int i = 0; tools[i]; i++)
		if (!strcmp(name, tools[i]))
			return 1;
	for (int i = 0; cc[i]; i++)
		if (stem_version(name, cc[i]))
			return 1;
	/* target-prefixed drivers: x86_64-linux-gnu-gcc-12 */
	dash = strstr(name, "-linux-");
	if (dash) {
		const char *last = strrchr(name, '-');
		for (const char *p = dash + 1; p && p <= last; p = strchr(p, '-')) {
			p++;
			for (int i = 0; cc[i]; i++)
				if (stem_version(p, cc[i]))
					return 1;
			if (!strchr(p, '-'))
				break;
		}
	}
	return 0;
}

static int is_shell(const char *name)
{
	static const char *const sh[] = {
		"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox",
		NULL
	};

	for (int i = 0; sh[i]; i++)
		if (!strcmp(name, sh[i]))
			return 1;
	return 0;
}

static int is_package_manager(const char *name)
{
	static const char *const pm[] = {
		"apt", "apt-get", "aptitude", "dpkg", "apk", "yum", "dnf",
		"microdnf", "rpm", "zypper", "pip", "pip3", "npm", NULL
	};

	for (int i = 0; pm[i]; i++)
		if (!strcmp(name, pm[i]))
			return 1;
	return !strncmp(name, "pip3.", 5);
}

/*
 * One finding per layer for the entries in bin directories that `pred`
 * accepts, listing their names.
 */
static void binaries_by_layer(struct ictx *c, const char *id,
			      int (*pred)(const char *), const char *what,
			      const char *why)
{
	for (size_t pos = 0; pos < c->img->nlayers; pos++) {
		struct ls_buf names = { 0 };
		const char *first = NULL;
		size_t n = 0;

		for (size_t i = 0; i < c->nfin; i++) {
			const struct ls_inv_entry *e = c->fin[i].e;
			if (c->fin[i].pos != pos || !in_bin_dir(e->path) ||
			    !executable(e) || !pred(base_name(e->path)))
				continue;
			if (!first)
				first = e->path;
			if (n < 12)
				ls_buf_addf(&names, "%s/%s", n ? ", " : "", e->path);
			n++;
		}
		if (n) {
			struct ls_finding *f;
			char *where = ls_xasprintf("%s:layer:%s", id,
						   c->img->layers[pos].digest ?
						   c->img->layers[pos].digest : "");
			f = new_finding(c, id, first, where,
					ls_xasprintf("%s in the final image: %s%s; %s",
						     what, names.s,
						     n > 12 ? " and more" : "", why));
			free(where);
			if (f) {
				set_layer(c, f, pos);
				ls_policy_add(c->scan, f);
			}
		}
		ls_buf_release(&names);
	}
}

/* ---- packages ---- */

struct pkg {
	char *name;
	unsigned long line;     /* in the final database file */
	size_t pos;             /* layer that first lists it */
};

static int dev_package(const char *name)
{
	size_t n = strlen(name);

	return (n > 4 && !strcmp(name + n - 4, "-dev")) ||
	       !strcmp(name, "build-essential") || !strcmp(name, "build-base");
}

/*
 * Installed package names in a dpkg status (or status.d) file or an apk
 * database, with their line numbers; `apk` selects the format.
 */
static void list_packages(const char *text, int apk,
			  void (*cb)(void *, const char *, unsigned long),
			  void *ud)
{
	const char *p = text;
	unsigned long line = 1, pkg_line = 0;
	char *pkg = NULL;
	int installed = 0, have_status = 0;

	for (;;) {
		const char *nl = p ? strchr(p, '\n') : NULL;
		size_t n = !p ? 0 : nl ? (size_t)(nl - p) : strlen(p);
		int end = !p || !*p;

		if (end || n == 0) {
			/* end of a stanza */
			if (pkg && (apk || installed || !have_status))
				cb(ud, pkg, pkg_line);
			free(pkg);
			pkg = NULL;
			installed = have_status = 0;
			if (end)
				break;
		} else if (apk && n > 2 && !strncmp(p, "P:", 2)) {
			free(pkg);
			pkg = ls_xstrndup(p + 2, n - 2);
			pkg_line = line;
		} else if (!apk && n > 8 && !strncmp(p, "Package:", 8)) {
			const char *v = p + 8;
			while (*v == ' ')
				v++;
			free(pkg);
			pkg = ls_xstrndup(v, n - (size_t)(v - p));
			pkg_line = line;
		} else if (!apk && n > 7 && !strncmp(p, "Status:", 7)) {
			have_status = 1;
			installed = n >= 10 && !strncmp(p + n - 10, " installed", 10);
		}
		p = nl ? nl + 1 : NULL;
		line++;
	}
}

struct pkglist {
	struct pkg *v;
	size_t n, alloc;
	size_t pos;
	struct ls_strset names;     /* name -> index */
};

static void collect_dev(void *ud, const char *name, unsigned long line)
{
	struct pkglist *l = ud;
	long k;

	if (!dev_package(name))
		return;
	if (ls_strset_get(&l->names, name, &k)) {
		/* a later layer lists it again: keep the earliest layer */
		l->v[k].line = line;
		return;
	}
	LS_ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n].name = ls_xstrdup(name);
	l->v[l->n].line = line;
	l->v[l->n].pos = l->pos;
	ls_strset_put(&l->names, name, (long)l->n);
	l->n++;
}

/* A lower layer's copy of the database lists `name`: if it is one of the
 * final development packages not yet placed, it came from this layer. */
static void place_pkg(void *ud, const char *name, unsigned long line)
{
	struct pkglist *l = ud;
	long k;

	(void)line;
	if (ls_strset_get(&l->names, name, &k) && l->v[k].pos > l->pos)
		l->v[k].pos = l->pos;
}

/*
 * Development packages in the final image, per package database: the
 * final database lists them; the layer named is the first whose copy of
 * the database lists each.
 */
static int check_dev_packages(struct ictx *c, const char *db, int apk)
{
	size_t fpos;
	const struct ls_inv_file *fin = ls_inv_final_file(c->inv, c->img, c->fin,
							  c->nfin, db, &fpos);
	struct pkglist all;

	if (!fin)
		return 0;
	memset(&all, 0, sizeof(all));
	ls_strset_init(&all.names);
	all.pos = fpos;
	list_packages(fin->data, apk, collect_dev, &all);
	/* the earliest layer listing each: every lower copy read once */
	for (size_t pos = 0; pos < fpos && all.n; pos++) {
		const struct ls_inv_layer *l = layer_at(c, pos);
		all.pos = pos;
		for (size_t k = 0; k < l->nfiles; k++)
			if (!strcmp(l->files[k].path, db))
				list_packages(l->files[k].data, apk, place_pkg,
					      &all);
	}
	for (size_t pos = 0; pos < c->img->nlayers; pos++) {
		struct ls_buf names = { 0 };
		unsigned long line = 0;
		size_t n = 0;
		for (size_t i = 0; i < all.n; i++) {
			if (all.v[i].pos != pos)
				continue;
			if (!line || all.v[i].line < line)
				line = all.v[i].line;
			if (n < 12)
				ls_buf_addf(&names, "%s%s", n ? ", " : "",
					    all.v[i].name);
			n++;
		}
		if (n) {
			char *where = ls_xasprintf("%s:layer:%s", db,
						   c->img->layers[pos].digest ?
						   c->img->layers[pos].digest : "");
			struct ls_finding *f = new_finding(
				c, "policy-build-tools", db, where,
				ls_xasprintf("%zu development package%s installed: %s%s; headers and static libraries are build inputs, not runtime dependencies",
					     n, n == 1 ? "" : "s", names.s,
					     n > 12 ? " and more" : ""));
			free(where);
			if (f) {
				f->line = line;
				f->column = 1;
				set_layer(c, f, pos);
				ls_policy_add(c->scan, f);
			}
		}
		ls_buf_release(&names);
	}
	for (size_t i = 0; i < all.n; i++)
		free(all.v[i].name);
	free(all.v);
	ls_strset_release(&all.names);
	return 1;
}

/* C headers where no package database explains them (built from source). */
static void check_headers(struct ictx *c)
{
	size_t n = 0, pos = 0;
	const char *first = NULL;

	for (size_t i = 0; i < c->nfin; i++) {
		const char *p = c->fin[i].e->path;
		size_t l = strlen(p);
		if (c->fin[i].e->type != LS_INV_FILE || l < 3 ||
		    strcmp(p + l - 2, ".h") ||
		    (strncmp(p, "usr/include/", 12) &&
		     strncmp(p, "usr/local/include/", 18)))
			continue;
		if (!first) {
			first = p;
			pos = c->fin[i].pos;
		}
		n++;
	}
	if (n) {
		struct ls_finding *f = new_finding(
			c, "policy-build-tools", first, "headers",
			ls_xasprintf("%zu C header file%s under usr/include or usr/local/include: build inputs left in the final image",
				     n, n == 1 ? "" : "s"));
		if (f) {
			set_layer(c, f, pos);
			ls_policy_add(c->scan, f);
		}
	}
}

/* ---- caches ---- */

/* A path below `dir` in the root's or any user's home: ".cache/pip" */
static int in_home(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	const char *rest = NULL;

	if (!strncmp(p, "root/", 5))
		rest = p + 5;
	else if (!strncmp(p, "home/", 5) && strchr(p + 5, '/'))
		rest = strchr(p + 5, '/') + 1;
	return rest && !strncmp(rest, dir, n) && rest[n] == '/';
}

/* The kinds of cache check_caches() reports, in report order. */
enum cache {
	CACHE_APT, CACHE_APT_LISTS, CACHE_APK, CACHE_YUM, CACHE_PIP,
	CACHE_NPM, CACHE_YARN, CACHE_GO, CACHE_MAVEN, CACHE_CARGO, NCACHE
};

static const char *const cache_names[NCACHE] = {
	"apt package cache (var/cache/apt)",
	"apt package lists (var/lib/apt/lists)",
	"apk cache (var/cache/apk)",
	"yum/dnf cache (var/cache)",
	"pip cache (~/.cache/pip)",
	"npm cache (~/.npm)",
	"yarn cache",
	"Go build and module cache",
	"Maven/Gradle repository cache",
	"Cargo registry cache (~/.cargo/registry)",
};

/* The cache a file belongs to, or -1. */
static int cache_kind(const char *p)
{
	size_t l = strlen(p);

	if (!strncmp(p, "var/cache/apt/", 14) && l > 4 &&
	    (!strcmp(p + l - 4, ".deb") || !strcmp(p + l - 4, ".bin")))
		return CACHE_APT;
	if (!strncmp(p, "var/lib/apt/lists/", 18) &&
	    strcmp(p + 18, "lock") && strncmp(p + 18, "partial/", 8))
		return CACHE_APT_LISTS;
	if (!strncmp(p, "var/cache/apk/", 14) || !strncmp(p, "etc/apk/cache/", 14))
		return CACHE_APK;
	if (!strncmp(p, "var/cache/yum/", 14) || !strncmp(p, "var/cache/dnf/", 14))
		return CACHE_YUM;
	if (in_home(p, ".cache/pip"))
		return CACHE_PIP;
	if (in_home(p, ".npm/_cacache") || in_home(p, ".npm/_logs"))
		return CACHE_NPM;
	if (!strncmp(p, "usr/local/share/.cache/yarn/", 28) ||
	    in_home(p, ".cache/yarn"))
		return CACHE_YARN;
	if (in_home(p, ".cache/go-build") || in_home(p, "go/pkg/mod"))
		return CACHE_GO;
	if (in_home(p, ".m2/repository") || in_home(p, ".gradle/caches"))
		return CACHE_MAVEN;
	if (in_home(p, ".cargo/registry"))
		return CACHE_CARGO;
	return -1;
}

/*
 * One pass over the final filesystem sorts cache files by kind; then one
 * finding per kind, at the layer that added most of its bytes.
 */
static void check_caches(struct ictx *c)
{
	size_t nl = c->img->nlayers;
	struct {
		unsigned long long bytes;
		size_t n;
		const char *first;
	} k[NCACHE];
	/* per[kind * nl + pos]: bytes (+1 per file) from layer pos */
	unsigned long long *per = ls_xcalloc(NCACHE * (nl ? nl : 1),
					     sizeof(*per));

	memset(k, 0, sizeof(k));
	for (size_t i = 0; i < c->nfin; i++) {
		const struct ls_inv_entry *e = c->fin[i].e;
		int kind = e->type == LS_INV_FILE ? cache_kind(e->path) : -1;
		if (kind < 0)
			continue;
		if (!k[kind].first)
			k[kind].first = e->path;
		k[kind].n++;
		k[kind].bytes += e->size;
		per[(size_t)kind * nl + c->fin[i].pos] += e->size + 1;
	}
	for (int kind = 0; kind < NCACHE; kind++) {
		const unsigned long long *lp = per + (size_t)kind * nl;
		size_t best = 0;
		char sz[32];
		struct ls_finding *f;

		if (!k[kind].n)
			continue;
		for (size_t pos = 1; pos < nl; pos++)
			if (lp[pos] > lp[best])
				best = pos;
		ls_size_human(k[kind].bytes, sz, sizeof(sz));
		f = new_finding(c, "policy-package-cache", k[kind].first,
				cache_names[kind],
				ls_xasprintf("%s left in the image: %zu file%s, %s",
					     cache_names[kind], k[kind].n,
					     k[kind].n == 1 ? "" : "s", sz));
		if (!f)
			continue;
		set_layer(c, f, best);
		for (size_t pos = 0; pos < nl; pos++)
			if (lp[pos] && pos != best)
				also_layer(f, pos);
		ls_policy_add(c->scan, f);
	}
	free(per);
}

/* ---- permissions ---- */

static void check_modes(struct ictx *c)
{
	size_t nww = 0, nsu = 0;

	for (size_t i = 0; i < c->nfin; i++) {
		const struct ls_inv_entry *e = c->fin[i].e;
		struct ls_finding *f = NULL;
		char *where;

		if ((e->type == LS_INV_FILE || e->type == LS_INV_DIR) &&
		    (e->mode & 0002) &&
		    !(e->type == LS_INV_DIR && (e->mode & 01000))) {
			if (nww++ < LIST_MAX) {
				where = ls_xasprintf("mode:%s", e->path);
				f = new_finding(c, "policy-world-writable", e->path,
						where,
						ls_xasprintf("%s writable by every user (mode %04o)",
							     e->type == LS_INV_DIR ?
							     "directory" : "file",
							     e->mode));
				free(where);
				if (f) {
					set_layer(c, f, c->fin[i].pos);
					ls_policy_add(c->scan, f);
				}
			}
		}
		if (e->type == LS_INV_FILE && (e->mode & 06000)) {
			if (nsu++ < LIST_MAX) {
				where = ls_xasprintf("setuid:%s", e->path);
				f = new_finding(c, "policy-setuid", e->path, where,
						ls_xasprintf("%s%s%s binary (mode %04o, owner uid %lu)",
							     (e->mode & 04000) ? "setuid" : "",
							     (e->mode & 06000) == 06000 ? " and " : "",
							     (e->mode & 02000) ? "setgid" : "",
							     e->mode, e->uid));
				free(where);
				if (f) {
					set_layer(c, f, c->fin[i].pos);
					ls_policy_add(c->scan, f);
				}
			}
		}
	}
	if (nww > LIST_MAX || nsu > LIST_MAX)
		ls_scan_note(c->scan, "policy",
			     "%zu world-writable and %zu setuid/setgid entries; the first %d of each are reported",
			     nww, nsu, LIST_MAX);
}

static void check_one(struct ictx *c)
{
	json_t *root = NULL;
	json_error_t je;

	if (c->img->config)
		root = json_loads(c->img->config, 0, &je);
	c->cfg = json_object_get(root, "config");
	c->hist = json_object_get(root, "history");
	c->nfin = ls_inv_flatten(c->inv, c->img, &c->fin);
	if (root) {
		check_user(c);
		check_healthcheck(c);
	}
	check_size(c);
	binaries_by_layer(c, "policy-build-tools", is_compiler,
			  "compilers and build tools",
			  "build in a builder stage and copy only the result into the final image (multi-stage build)");
	{
		int dpkg = check_dev_packages(c, "var/lib/dpkg/status", 0);
		int apk = check_dev_packages(c, "lib/apk/db/installed", 1);
		if (!dpkg && !apk)
			check_headers(c);
	}
	check_caches(c);
	if (c->o->sets & LS_POLICY_DISTROLESS) {
		binaries_by_layer(c, "policy-shell", is_shell, "a shell",
				  "a distroless image has none");
		binaries_by_layer(c, "policy-package-manager",
				  is_package_manager, "a package manager",
				  "a distroless image has none");
	}
	check_modes(c);
	free(c->fin);
	c->fin = NULL;
	json_decref(root);
}

void ls_policy_check_image(struct ls_scan *scan,
			   const struct ls_inventory *inv,
			   const struct ls_policy_opts *o)
{
	for (size_t i = 0; i < inv->nimages; i++) {
		struct ictx c;

		memset(&c, 0, sizeof(c));
		c.scan = scan;
		c.rs = scan->rs;
		c.o = o;
		c.inv = inv;
		c.img = &inv->images[i];
		c.multi = inv->nimages > 1;
		check_one(&c);
	}
}
