/*
 * npm.c - node_modules: npm 7+'s hidden lockfile and npm 5/6's
 * package.json fields.
 *
 * npm records no file list and no per-file hash; what it records is which
 * package directories it put where, and from where.  So a claim here is
 * a package directory ("app/node_modules/@s/c"), and lookup of a file
 * finds the deepest package directory containing it (pdb_npm_resolve):
 * ".../node_modules/<name>/" or ".../node_modules/@scope/<name>/", never
 * ".bin" or ".package-lock.json" (names starting with '.').
 *
 * Which database governs a directory: the hidden lockfile of the nearest
 * node_modules above it that has one live at the layer.  When one
 * governs, it alone decides: listed and third-party is vendor, listed as
 * a link, file: or git dependency is the user's, and not listed at all
 * (the user copied it there, or npm never saw it) is the user's.  Only
 * when none governs does an npm 5/6 package.json vouch for its own
 * directory, through "_resolved"/"_integrity".
 *
 * "Third-party" (pkgdb.h): not a link; "resolved" an http(s) URL (a
 * registry tarball), or no "resolved" but "version" and "integrity" (npm
 * leaves the URL out with omit-lockfile-registry-resolved), or inBundle.
 */
#include <string.h>

#include <jansson.h>

#include "source/pkgdb/internal.h"

#define LOCK_NAME "node_modules/.package-lock.json"
#define MAX_DEPTH 64   /* node_modules levels looked at in one path */

static int is_url(const char *s)
{
	return !strncmp(s, "https://", 8) || !strncmp(s, "http://", 7);
}

static const char *jstr(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_t *load(struct pdb_parse *ps, const char *buf, size_t len)
{
	json_error_t je;
	json_t *root = json_loadb(buf, len, 0, &je);

	if (!root) {
		ls_err_set(ps->err, LS_EFORMAT, ps->path, je.line > 0 ? je.line : 0,
			   je.column > 0 ? je.column : 0, "bad JSON: %s", je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		ls_err_set(ps->err, LS_EFORMAT, ps->path, 0, 0,
			   "top level is not a JSON object");
		return NULL;
	}
	return root;
}

/* The package name a directory path ends with: "a" or "@s/c". */
static const char *dir_name(const char *dir, size_t n, size_t *namelen)
{
	const char *nm = dir + n;

	while (nm > dir && nm[-1] != '/')
		nm--;
	if (nm - dir >= 2 && nm[-1] == '/') {
		const char *s = nm - 1;

		while (s > dir && s[-1] != '/')
			s--;
		if (*s == '@')
			nm = s;
	}
	*namelen = (size_t)(dir + n - nm);
	return nm;
}

static int third_party(const json_t *e)
{
	const char *resolved = jstr(e, "resolved");

	if (json_is_true(json_object_get(e, "link")))
		return 0;
	if (resolved)
		return is_url(resolved);
	if (json_is_true(json_object_get(e, "inBundle")))
		return 1;
	return jstr(e, "version") && jstr(e, "integrity");
}

int pdb_npm_lock(struct pdb_parse *ps, const char *buf, size_t len)
{
	size_t dirlen = strlen(ps->path) - strlen(LOCK_NAME);
	json_t *root = load(ps, buf, len), *pkgs, *e;
	const char *k;
	int rc = 0;

	if (!root)
		return LS_EFORMAT;
	pkgs = json_object_get(root, "packages");
	if (!json_is_object(pkgs)) {
		json_decref(root);
		return ls_err_set(ps->err, LS_EFORMAT, ps->path, 0, 0,
				  "no \"packages\" object (lockfile older than npm 7?)");
	}
	json_object_foreach(pkgs, k, e) {
		char path[LS_PKGDB_PATH_MAX];
		const char *name, *version;
		size_t namelen;
		int plen;
		long pkg;

		if (!*k)
			continue;   /* the project itself */
		/* workspace and link targets are the user's directories */
		if (strncmp(k, "node_modules/", 13) || !json_is_object(e)) {
			if (!json_is_object(e))
				ps->db->skipped++;
			continue;
		}
		plen = pdb_path_join(path, ps->path, dirlen, k, strlen(k));
		if (plen < 0) {
			ps->db->skipped++;
			continue;
		}
		name = jstr(e, "name");
		if (name)
			namelen = strlen(name);
		else
			name = dir_name(path, (size_t)plen, &namelen);
		version = jstr(e, "version");
		pkg = pdb_pkg_add(ps, LS_PKGDB_ECO_NPM, name, namelen, version,
				  version ? strlen(version) : 0, NULL,
				  third_party(e) ? PKG_OK : 0);
		if (pkg < 0) {
			rc = (int)pkg;
			break;
		}
		rc = pdb_claim_add(ps, (uint32_t)pkg, CL_NPM_LOCK, path, (size_t)plen,
				   LS_PKGDB_ALG_NONE, NULL, 0);
		if (rc < 0)
			break;
	}
	json_decref(root);
	return rc;
}

int pdb_npm_package_json(struct pdb_parse *ps, const char *buf, size_t len)
{
	size_t dirlen = strlen(ps->path) - strlen("/package.json");
	json_t *root = load(ps, buf, len);
	const char *resolved, *name, *version;
	size_t namelen;
	unsigned flags = 0;
	long pkg;
	int rc;

	if (!root)
		return LS_EFORMAT;
	resolved = jstr(root, "_resolved");
	if (resolved ? is_url(resolved) : jstr(root, "_integrity") != NULL)
		flags = PKG_OK;
	name = jstr(root, "name");
	if (name)
		namelen = strlen(name);
	else
		name = dir_name(ps->path, dirlen, &namelen);
	version = jstr(root, "version");
	pkg = pdb_pkg_add(ps, LS_PKGDB_ECO_NPM, name, namelen, version,
			  version ? strlen(version) : 0, NULL, flags);
	rc = pkg < 0 ? (int)pkg
		     : pdb_claim_add(ps, (uint32_t)pkg, CL_NPM_PKG, ps->path, dirlen,
				     LS_PKGDB_ALG_NONE, NULL, 0);
	json_decref(root);
	return rc;
}

/* The live npm claim of type `type` at directory `dir` whose version is
 * `ver` (or any live one when ver < 0); its package or NULL. */
static const struct pdb_pkg *claim_at(const struct ls_pkgdb *db, int layer,
				      const char *dir, int type, long ver)
{
	for (uint32_t ci = pdb_claims_of(db, dir); ci; ci = db->claims[ci - 1].next) {
		const struct pdb_claim *cl = &db->claims[ci - 1];
		const struct pdb_pkg *p = &db->pkgs[cl->pkg];

		if (cl->type != type)
			continue;
		if (ver >= 0 ? (long)p->ver == ver
			     : pdb_live(db, db->vers[p->ver].file, layer) == (long)p->ver)
			return p;
	}
	return NULL;
}

int pdb_npm_resolve(const struct ls_pkgdb *db, int layer, const char *path,
		    struct pdb_cand *c)
{
	size_t nm[MAX_DEPTH], nnm = 0, dend = 0, n = strlen(path);
	char buf[LS_PKGDB_PATH_MAX + sizeof(LOCK_NAME)];
	const struct pdb_pkg *p = NULL;
	int governed = 0;

	if (n >= LS_PKGDB_PATH_MAX)
		return 0;
	/* every package directory ".../node_modules/<name>/" on the way down */
	for (const char *s = path; (s = strstr(s, "node_modules/")); s++) {
		size_t i = (size_t)(s - path), j = i + 13, e;

		if (i && path[i - 1] != '/')
			continue;
		if (path[j] == '.' || path[j] == '/' || !path[j])
			continue;
		e = j;
		if (path[j] == '@') {
			const char *sl = strchr(path + j, '/');

			if (!sl || sl == path + j + 1)
				continue;
			e = (size_t)(sl - path) + 1;
			if (!path[e] || path[e] == '/')
				continue;
		}
		while (path[e] && path[e] != '/')
			e++;
		if (path[e] != '/' || e == j)
			continue;   /* the name is the last component: not inside */
		if (nnm == MAX_DEPTH)
			return 0;
		nm[nnm++] = i;
		dend = e;
	}
	if (!nnm)
		return 0;
	memcpy(buf, path, dend);
	buf[dend] = '\0';
	/* the nearest hidden lockfile decides alone */
	for (size_t k = nnm; k-- > 0 && !governed;) {
		char lock[LS_PKGDB_PATH_MAX + sizeof(LOCK_NAME)];
		long lv;

		memcpy(lock, path, nm[k]);
		memcpy(lock + nm[k], LOCK_NAME, sizeof(LOCK_NAME));
		lv = pdb_live_path(db, lock, layer);
		if (lv < 0)
			continue;
		governed = 1;
		p = claim_at(db, layer, buf, CL_NPM_LOCK, lv);
	}
	if (!governed)
		p = claim_at(db, layer, buf, CL_NPM_PKG, -1);
	if (!p || !(p->flags & PKG_OK))
		return 0;
	memset(c, 0, sizeof(*c));
	c->eco = LS_PKGDB_ECO_NPM;
	c->name = p->name;
	c->version = p->version;
	c->alg = LS_PKGDB_ALG_NONE;
	c->ver = p->ver;
	return 1;
}
