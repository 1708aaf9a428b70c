/*
 * pkgdb.c - the store, layer visibility and lookup; see pkgdb.h.
 *
 * Why nothing is resolved at add time: a layer's var/lib/dpkg/ comes after
 * its usr/ in the tar, a database may sit in a later layer than the files
 * it owns, and a whiteout may arrive before or after the file it hides.
 * So adds only record versions and claims (internal.h); lookup(L, path)
 * walks the claims of `path`, keeps those whose version is the live one
 * at L (pdb_live: newest version from a layer <= L, not dead, not hidden
 * by a removal above it and <= L) and weighs what is left.  A path has a
 * handful of claims at most (dpkg: .list + md5sums; a directory: one per
 * package), and a database file a handful of versions, so a lookup costs
 * one hash probe plus a few comparisons.
 */
#include "source/pkgdb/pkgdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source/pkgdb/internal.h"
#include "util/xalloc.h"

/* ---- kind_of ---- */

/* Does `dir` (length n) end with component(s) `suf`? */
static int dir_ends(const char *dir, size_t n, const char *suf)
{
	size_t m = strlen(suf);

	if (n < m || memcmp(dir + n - m, suf, m))
		return 0;
	return n == m || dir[n - m - 1] == '/';
}

static int str_ends(const char *s, size_t n, const char *suf)
{
	size_t m = strlen(suf);

	return n > m && !memcmp(s + n - m, suf, m);
}

/* Where the last component of `s` (length n) starts. */
static size_t last_comp(const char *s, size_t n)
{
	size_t i = n;

	while (i > 0 && s[i - 1] != '/')
		i--;
	return i;
}

/* Is `dir` (length n) ".../node_modules/<name>" or
 * ".../node_modules/@scope/<name>"? */
static int npm_pkg_dir(const char *dir, size_t n)
{
	size_t c = last_comp(dir, n), s;

	if (c == n || c == 0 || dir[c] == '.' || dir[c] == '@')
		return 0;
	if (dir_ends(dir, c - 1, "node_modules"))
		return 1;
	s = last_comp(dir, c - 1);
	if (dir[s] != '@' || c - 1 - s < 2 || s == 0)
		return 0;
	return dir_ends(dir, s - 1, "node_modules");
}

enum ls_pkgdb_kind ls_pkgdb_kind_of(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t dirlen, blen;

	if (!base)
		return LS_PKGDB_NONE;   /* every database lives in a directory */
	dirlen = (size_t)(base - path);
	base++;
	blen = strlen(base);
	if (!blen)
		return LS_PKGDB_NONE;
	if (!strcmp(base, "status") && dir_ends(path, dirlen, "var/lib/dpkg"))
		return LS_PKGDB_DPKG_STATUS;
	if (dir_ends(path, dirlen, "var/lib/dpkg/info")) {
		if (str_ends(base, blen, ".list"))
			return LS_PKGDB_DPKG_LIST;
		if (str_ends(base, blen, ".md5sums"))
			return LS_PKGDB_DPKG_MD5SUMS;
		return LS_PKGDB_NONE;
	}
	if (dir_ends(path, dirlen, "var/lib/dpkg/status.d")) {
		if (base[0] == '.')
			return LS_PKGDB_NONE;
		if (str_ends(base, blen, ".md5sums"))
			return LS_PKGDB_DPKG_STATUS_D_MD5;
		return LS_PKGDB_DPKG_STATUS_D;
	}
	if (!strcmp(base, "installed") && dir_ends(path, dirlen, "lib/apk/db"))
		return LS_PKGDB_APK_INSTALLED;
	if (!strcmp(base, "RECORD") && str_ends(path, dirlen, ".dist-info") &&
	    path[dirlen - 11] != '/')
		return LS_PKGDB_WHEEL_RECORD;
	if (!strcmp(base, ".package-lock.json") && dir_ends(path, dirlen, "node_modules"))
		return LS_PKGDB_NPM_LOCK;
	if (!strcmp(base, "package.json") && npm_pkg_dir(path, dirlen))
		return LS_PKGDB_NPM_PACKAGE_JSON;
	return LS_PKGDB_NONE;
}

/* ---- the store ---- */

struct ls_pkgdb *ls_pkgdb_new(void)
{
	struct ls_pkgdb *db = ls_xcalloc(1, sizeof(*db));

	ls_strset_init(&db->filemap);
	ls_strset_init(&db->paths);
	ls_strset_init(&db->stanzas);
	return db;
}

void ls_pkgdb_free(struct ls_pkgdb *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nfiles; i++) {
		free(db->files[i].path);
		free(db->files[i].vers);
	}
	for (size_t i = 0; i < db->npkgs; i++) {
		free(db->pkgs[i].name);
		free(db->pkgs[i].version);
		free(db->pkgs[i].key);
	}
	for (size_t i = 0; i < db->ndirdels; i++)
		free(db->dirdels[i].dir);
	free(db->files);
	free(db->vers);
	free(db->pkgs);
	free(db->claims);
	free(db->dirdels);
	ls_strset_release(&db->filemap);
	ls_strset_release(&db->paths);
	ls_strset_release(&db->stanzas);
	free(db);
}

/* Where the image root of a database file ends (the length of the prefix
 * its owned paths hang below); -1 for kinds whose paths are not rooted. */
static size_t root_of(const char *path, enum ls_pkgdb_kind kind)
{
	const char *anchor;
	const char *hit = NULL, *p = path;

	switch (kind) {
	case LS_PKGDB_DPKG_STATUS:
	case LS_PKGDB_DPKG_STATUS_D:
	case LS_PKGDB_DPKG_STATUS_D_MD5:
	case LS_PKGDB_DPKG_LIST:
	case LS_PKGDB_DPKG_MD5SUMS:
		anchor = "var/lib/dpkg/";
		break;
	case LS_PKGDB_APK_INSTALLED:
		anchor = "lib/apk/db/";
		break;
	default:
		return 0;
	}
	/* the last occurrence at a component start */
	while ((p = strstr(p, anchor))) {
		if (p == path || p[-1] == '/')
			hit = p;
		p++;
	}
	return hit ? (size_t)(hit - path) : 0;
}

static long file_get(struct ls_pkgdb *db, const char *path,
		     enum ls_pkgdb_kind kind, struct ls_err *err)
{
	long idx;
	struct pdb_file *f;

	if (ls_strset_get(&db->filemap, path, &idx))
		return idx;
	if (db->nfiles >= LS_PKGDB_FILES_MAX)
		return ls_err_set(err, LS_ELIMIT, path, 0, 0,
				  "more than %u package database files",
				  LS_PKGDB_FILES_MAX);
	LS_ALLOC_GROW(db->files, db->nfiles + 1, db->files_alloc);
	f = &db->files[db->nfiles];
	memset(f, 0, sizeof(*f));
	f->path = ls_xstrdup(path);
	f->kind = kind;
	f->rootlen = root_of(path, kind);
	ls_strset_put(&db->filemap, path, (long)db->nfiles);
	return (long)db->nfiles++;
}

static long ver_new(struct ls_pkgdb *db, uint32_t fi, int layer, int deleted,
		    struct ls_err *err)
{
	struct pdb_file *f = &db->files[fi];
	struct pdb_ver *v;

	if (db->nvers >= LS_PKGDB_FILES_MAX)
		return ls_err_set(err, LS_ELIMIT, f->path, 0, 0,
				  "more than %u package database versions",
				  LS_PKGDB_FILES_MAX);
	/* a second add (or removal) in one layer replaces the first */
	for (size_t i = 0; i < f->nvers; i++) {
		struct pdb_ver *o = &db->vers[f->vers[i]];

		if (o->layer == layer && !o->dead && o->deleted == deleted)
			o->dead = 1;
	}
	LS_ALLOC_GROW(db->vers, db->nvers + 1, db->vers_alloc);
	v = &db->vers[db->nvers];
	v->file = fi;
	v->layer = layer;
	v->deleted = (unsigned char)deleted;
	v->dead = 0;
	LS_ALLOC_GROW(f->vers, f->nvers + 1, f->alloc);
	f->vers[f->nvers++] = (uint32_t)db->nvers;
	return (long)db->nvers++;
}

long pdb_live(const struct ls_pkgdb *db, uint32_t fi, int layer)
{
	const struct pdb_file *f = &db->files[fi];
	long best = -1;
	const struct pdb_ver *bv = NULL;

	for (size_t i = 0; i < f->nvers; i++) {
		const struct pdb_ver *v = &db->vers[f->vers[i]];

		if (v->dead || v->layer > layer)
			continue;
		/* newer layer wins; in one layer content beats its removal */
		if (!bv || v->layer > bv->layer ||
		    (v->layer == bv->layer && bv->deleted && !v->deleted)) {
			bv = v;
			best = f->vers[i];
		}
	}
	if (!bv || bv->deleted)
		return -1;
	for (size_t i = 0; i < db->ndirdels; i++) {
		const struct pdb_dirdel *d = &db->dirdels[i];

		if (d->layer > bv->layer && d->layer <= layer &&
		    (d->len == 0 || (!strncmp(f->path, d->dir, d->len) &&
				     f->path[d->len] == '/')))
			return -1;
	}
	return best;
}

long pdb_live_path(const struct ls_pkgdb *db, const char *path, int layer)
{
	long fi;

	if (!ls_strset_get(&db->filemap, path, &fi))
		return -1;
	return pdb_live(db, (uint32_t)fi, layer);
}

uint32_t pdb_claims_of(const struct ls_pkgdb *db, const char *path)
{
	long head;

	return ls_strset_get(&db->paths, path, &head) ? (uint32_t)head : 0;
}

long pdb_pkg_add(struct pdb_parse *ps, enum ls_pkgdb_eco eco, const char *name,
		 size_t namelen, const char *version, size_t verlen,
		 const char *key, unsigned flags)
{
	struct ls_pkgdb *db = ps->db;
	struct pdb_pkg *p;

	if (++ps->entries > LS_PKGDB_FILE_ENTRIES_MAX)
		return ls_err_set(ps->err, LS_ELIMIT, ps->path, 0, 0,
				  "more than %u entries in one package database file",
				  LS_PKGDB_FILE_ENTRIES_MAX);
	LS_ALLOC_GROW(db->pkgs, db->npkgs + 1, db->pkgs_alloc);
	p = &db->pkgs[db->npkgs];
	p->ver = ps->ver;
	p->eco = (unsigned char)eco;
	p->flags = (unsigned char)flags;
	p->name = ls_xstrndup(name, namelen);
	p->version = ls_xstrndup(version ? version : "", version ? verlen : 0);
	p->key = key ? ls_xstrdup(key) : NULL;
	return (long)db->npkgs++;
}

int pdb_claim_add(struct pdb_parse *ps, uint32_t pkg, enum pdb_claim_type type,
		  const char *path, size_t len, enum ls_pkgdb_alg alg,
		  const unsigned char *digest, unsigned flags)
{
	struct ls_pkgdb *db = ps->db;
	struct pdb_claim *c;
	char key[LS_PKGDB_PATH_MAX];

	if (++ps->entries > LS_PKGDB_FILE_ENTRIES_MAX)
		return ls_err_set(ps->err, LS_ELIMIT, ps->path, 0, 0,
				  "more than %u entries in one package database file",
				  LS_PKGDB_FILE_ENTRIES_MAX);
	if (db->nclaims >= LS_PKGDB_ENTRIES_MAX)
		return ls_err_set(ps->err, LS_ELIMIT, ps->path, 0, 0,
				  "more than %u paths claimed by package databases",
				  LS_PKGDB_ENTRIES_MAX);
	if (len >= sizeof(key))
		return 0;   /* pdb_path_join never makes one */
	memcpy(key, path, len);
	key[len] = '\0';
	LS_ALLOC_GROW(db->claims, db->nclaims + 1, db->claims_alloc);
	c = &db->claims[db->nclaims];
	memset(c, 0, sizeof(*c));
	c->next = pdb_claims_of(db, key);
	c->pkg = pkg;
	c->type = (unsigned char)type;
	c->alg = (unsigned char)alg;
	c->flags = (unsigned char)flags;
	if (alg != LS_PKGDB_ALG_NONE)
		memcpy(c->digest, digest, ls_pkgdb_alg_len(alg));
	db->nclaims++;
	ls_strset_put(&db->paths, key, (long)db->nclaims);
	return 0;
}

/* ---- helpers for the readers ---- */

void pdb_lines_init(struct pdb_lines *it, const char *buf, size_t len)
{
	it->p = buf;
	it->end = buf + len;
	it->lineno = 0;
}

int pdb_lines_next(struct pdb_parse *ps, struct pdb_lines *it,
		   const char **line, size_t *len)
{
	const char *nl;
	size_t n;

	if (it->p >= it->end)
		return 0;
	nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	n = nl ? (size_t)(nl - it->p) : (size_t)(it->end - it->p);
	it->lineno++;
	if (n > LS_PKGDB_LINE_MAX)
		return ls_err_set(ps->err, LS_ELIMIT, ps->path, it->lineno, 0,
				  "line longer than %u bytes", LS_PKGDB_LINE_MAX);
	*line = it->p;
	*len = n && it->p[n - 1] == '\r' ? n - 1 : n;
	it->p += n + (nl != NULL);
	return 1;
}

int pdb_path_join(char *out, const char *base, size_t baselen,
		  const char *rel, size_t rellen)
{
	size_t o = 0;
	const char *srcs[2] = { base, rel };
	size_t lens[2] = { baselen, rellen };

	if (rellen && rel[0] == '/')
		lens[0] = 0;
	for (int s = 0; s < 2; s++) {
		const char *p = srcs[s], *end = srcs[s] + lens[s];

		while (p < end) {
			const char *c = p;
			size_t n;

			while (p < end && *p != '/')
				p++;
			n = (size_t)(p - c);
			if (p < end)
				p++;
			if (n == 0 || (n == 1 && c[0] == '.'))
				continue;
			if (n == 2 && c[0] == '.' && c[1] == '.') {
				if (o == 0)
					return -1;
				while (o > 0 && out[o - 1] != '/')
					o--;
				if (o > 0)
					o--;   /* the '/' */
				continue;
			}
			if (o + (o > 0) + n >= LS_PKGDB_PATH_MAX)
				return -1;
			if (o > 0)
				out[o++] = '/';
			memcpy(out + o, c, n);
			o += n;
		}
	}
	if (o == 0)
		return -1;
	out[o] = '\0';
	return (int)o;
}

/* ---- add, remove ---- */

static int is_text_kind(enum ls_pkgdb_kind k)
{
	return k != LS_PKGDB_NPM_LOCK && k != LS_PKGDB_NPM_PACKAGE_JSON;
}

int ls_pkgdb_add(struct ls_pkgdb *db, int layer, const char *path,
		 const char *buf, size_t len, struct ls_err *err)
{
	enum ls_pkgdb_kind kind = ls_pkgdb_kind_of(path);
	struct pdb_parse ps;
	long fi, vi;
	int rc;

	if (kind == LS_PKGDB_NONE || layer < 0)
		return ls_err_set(err, LS_EINVAL, path, 0, 0,
				  layer < 0 ? "negative layer" : "not a package database path");
	if (strlen(path) >= LS_PKGDB_PATH_MAX)
		return ls_err_set(err, LS_ELIMIT, NULL, 0, 0,
				  "package database path longer than %u bytes",
				  LS_PKGDB_PATH_MAX);
	if (len > LS_PKGDB_FILE_MAX)
		return ls_err_set(err, LS_ELIMIT, path, 0, 0,
				  "package database larger than %u bytes",
				  LS_PKGDB_FILE_MAX);
	/* a text database never holds a NUL; JSON is checked by jansson */
	if (is_text_kind(kind) && len && memchr(buf, '\0', len))
		return ls_err_set(err, LS_EFORMAT, path, 0, 0,
				  "package database holds NUL bytes");
	fi = file_get(db, path, kind, err);
	if (fi < 0)
		return (int)fi;
	vi = ver_new(db, (uint32_t)fi, layer, 0, err);
	if (vi < 0)
		return (int)vi;
	ps.db = db;
	ps.ver = (uint32_t)vi;
	ps.path = db->files[fi].path;
	ps.rootlen = db->files[fi].rootlen;
	ps.entries = 0;
	ps.err = err;
	switch (kind) {
	case LS_PKGDB_DPKG_STATUS:
		rc = pdb_dpkg_status(&ps, buf, len, 0);
		break;
	case LS_PKGDB_DPKG_STATUS_D:
		rc = pdb_dpkg_status(&ps, buf, len, 1);
		break;
	case LS_PKGDB_DPKG_STATUS_D_MD5:
		rc = pdb_dpkg_md5sums(&ps, buf, len, 1);
		break;
	case LS_PKGDB_DPKG_LIST:
		rc = pdb_dpkg_list(&ps, buf, len);
		break;
	case LS_PKGDB_DPKG_MD5SUMS:
		rc = pdb_dpkg_md5sums(&ps, buf, len, 0);
		break;
	case LS_PKGDB_APK_INSTALLED:
		rc = pdb_apk_installed(&ps, buf, len);
		break;
	case LS_PKGDB_WHEEL_RECORD:
		rc = pdb_wheel_record(&ps, buf, len);
		break;
	case LS_PKGDB_NPM_LOCK:
		rc = pdb_npm_lock(&ps, buf, len);
		break;
	case LS_PKGDB_NPM_PACKAGE_JSON:
		rc = pdb_npm_package_json(&ps, buf, len);
		break;
	default:
		LS_BUG("pkgdb kind %d", (int)kind);
	}
	if (rc < 0) {
		/* the version owns nothing; its claims stay, unreachable */
		db->vers[vi].dead = 1;
		return rc;
	}
	return 0;
}

int ls_pkgdb_remove(struct ls_pkgdb *db, int layer, const char *path)
{
	enum ls_pkgdb_kind kind = ls_pkgdb_kind_of(path);
	long fi, vi;

	if (kind == LS_PKGDB_NONE || layer < 0 || strlen(path) >= LS_PKGDB_PATH_MAX)
		return 0;
	fi = file_get(db, path, kind, NULL);
	if (fi < 0)
		return (int)fi;
	vi = ver_new(db, (uint32_t)fi, layer, 1, NULL);
	if (vi < 0)
		return (int)vi;
	db->removals++;
	return 0;
}

int ls_pkgdb_remove_dir(struct ls_pkgdb *db, int layer, const char *dir)
{
	struct pdb_dirdel *d;
	size_t n = strlen(dir);

	if (layer < 0)
		return 0;
	if (db->ndirdels + db->nvers >= LS_PKGDB_FILES_MAX)
		return LS_ELIMIT;
	while (n && dir[n - 1] == '/')
		n--;
	LS_ALLOC_GROW(db->dirdels, db->ndirdels + 1, db->dirdels_alloc);
	d = &db->dirdels[db->ndirdels++];
	d->dir = ls_xstrndup(dir, n);
	d->len = n;
	d->layer = layer;
	db->removals++;
	return 0;
}

/* ---- lookup ---- */

static int eco_rank(enum ls_pkgdb_eco e)
{
	return (int)e;   /* dpkg < apk < wheel < npm, as declared */
}

/* Is `a` a better owner than `b`? */
static int better(const struct pdb_cand *a, const struct pdb_cand *b)
{
	int ha = a->alg != LS_PKGDB_ALG_NONE, hb = b->alg != LS_PKGDB_ALG_NONE;

	if (ha != hb)
		return ha;
	if (a->eco != b->eco)
		return eco_rank(a->eco) < eco_rank(b->eco);
	return strcmp(a->name, b->name) < 0;
}

static int same_pkg(const struct pdb_cand *a, const struct pdb_cand *b)
{
	return a->eco == b->eco && a->key && b->key && !strcmp(a->key, b->key) &&
	       a->rootlen == b->rootlen && !strncmp(a->root, b->root, a->rootlen);
}

#define MAX_CANDS 64

struct cands {
	struct pdb_cand c[MAX_CANDS];
	size_t n;
	unsigned total;
};

/* Add a candidate, merging claims of one dpkg package (.list + md5sums +
 * conffile): the hash comes from whichever has one. */
static void cand_put(struct cands *cs, const struct pdb_cand *c)
{
	for (size_t i = 0; i < cs->n; i++) {
		struct pdb_cand *o = &cs->c[i];

		if (!same_pkg(o, c))
			continue;
		if (o->alg == LS_PKGDB_ALG_NONE && c->alg != LS_PKGDB_ALG_NONE) {
			o->alg = c->alg;
			memcpy(o->digest, c->digest, sizeof(o->digest));
			o->ver = c->ver;
		}
		o->flags |= c->flags;
		return;
	}
	cs->total++;
	if (cs->n < MAX_CANDS) {
		cs->c[cs->n++] = *c;
		return;
	}
	/* full (a directory every package lists): keep the best MAX_CANDS,
	 * so the answer is still the best of all, whatever the order */
	{
		size_t w = 0;

		for (size_t i = 1; i < cs->n; i++)
			if (better(&cs->c[w], &cs->c[i]))
				w = i;
		if (better(c, &cs->c[w]))
			cs->c[w] = *c;
	}
}

static void owner_fill(const struct ls_pkgdb *db, const struct pdb_cand *c,
		       unsigned nowners, struct ls_pkgdb_owner *out)
{
	static const char *const eco_names[] = { "", "dpkg", "apk", "wheel", "npm" };
	const char *sep = c->eco == LS_PKGDB_ECO_NPM ? "@" : " ";

	memset(out, 0, sizeof(*out));
	out->eco = c->eco;
	out->name = c->name;
	out->version = c->version;
	if (c->version[0])
		snprintf(out->display, sizeof(out->display), "%s:%s%s%s",
			 eco_names[c->eco], c->name, sep, c->version);
	else
		snprintf(out->display, sizeof(out->display), "%s:%s",
			 eco_names[c->eco], c->name);
	out->alg = c->alg;
	out->digest_len = ls_pkgdb_alg_len(c->alg);
	memcpy(out->digest, c->digest, out->digest_len);
	out->flags = c->flags;
	out->db_path = db->files[db->vers[c->ver].file].path;
	out->db_layer = db->vers[c->ver].layer;
	out->nowners = nowners;
}

static int lookup_direct(const struct ls_pkgdb *db, int layer, const char *path,
			 struct ls_pkgdb_owner *out)
{
	struct cands cs;
	struct pdb_cand c;
	const struct pdb_cand *best = NULL;

	cs.n = 0;
	cs.total = 0;
	for (uint32_t ci = pdb_claims_of(db, path); ci; ci = db->claims[ci - 1].next) {
		const struct pdb_claim *cl = &db->claims[ci - 1];
		const struct pdb_pkg *p = &db->pkgs[cl->pkg];

		if (pdb_live(db, db->vers[p->ver].file, layer) != (long)p->ver)
			continue;
		memset(&c, 0, sizeof(c));
		switch (cl->type) {
		case CL_DPKG_LIST:
		case CL_DPKG_MD5:
		case CL_DPKG_SD_MD5:
		case CL_DPKG_CONFFILE:
			if (!pdb_dpkg_resolve(db, layer, cl, &c))
				continue;
			break;
		case CL_APK:
		case CL_WHEEL:
			c.eco = (enum ls_pkgdb_eco)p->eco;
			c.name = p->name;
			c.version = p->version;
			c.key = NULL;   /* one claim, one candidate */
			c.alg = (enum ls_pkgdb_alg)cl->alg;
			memcpy(c.digest, cl->digest, sizeof(c.digest));
			c.flags = cl->flags;
			c.ver = p->ver;
			break;
		default:
			continue;   /* npm claims are package directories */
		}
		cand_put(&cs, &c);
	}
	if (pdb_npm_resolve(db, layer, path, &c))
		cand_put(&cs, &c);
	for (size_t i = 0; i < cs.n; i++)
		if (!best || better(&cs.c[i], best))
			best = &cs.c[i];
	if (!best)
		return 0;
	owner_fill(db, best, cs.total, out);
	return 1;
}

/* "<dir>/__pycache__/<mod>.<tag>.pyc" -> "<dir>/<mod>.py" in `src`;
 * 1 if `path` is such a file, 0 otherwise. */
static int pyc_source(const char *path, char *src, size_t srcsz)
{
	const char *base = strrchr(path, '/');
	const char *pc, *dot;
	size_t n = strlen(path), dirlen;

	base = base ? base + 1 : path;
	if (n < 4 || strcmp(path + n - 4, ".pyc"))
		return 0;
	pc = base - (base > path);   /* the '/' before base, or base */
	if ((size_t)(pc - path) < strlen("__pycache__") ||
	    memcmp(pc - 11, "__pycache__", 11) ||
	    (pc - 11 > path && pc[-12] != '/'))
		return 0;
	dot = strchr(base, '.');
	if (!dot || dot == base)
		return 0;
	dirlen = (size_t)(pc - 11 - path);   /* keeps the '/' before __pycache__ */
	if (dirlen + (size_t)(dot - base) + 4 >= srcsz)
		return 0;
	memcpy(src, path, dirlen);
	memcpy(src + dirlen, base, (size_t)(dot - base));
	memcpy(src + dirlen + (size_t)(dot - base), ".py", 4);
	return 1;
}

/*
 * Merged /usr: Debian 12 packages still list /bin/ls and /lib/x86_64-linux-
 * gnu/libc.so.6, but the image's /bin and /lib are symlinks into /usr, so
 * the layer stores usr/bin/ls.  The alias of "usr/bin/x" is "bin/x" (and
 * sbin, lib, lib32, lib64, libx32, libo32); NULL if `path` has none.
 */
static const char *usrmerge_alias(const char *path)
{
	static const char *const dirs[] = {
		"bin/", "sbin/", "lib/", "lib32/", "lib64/", "libx32/", "libo32/",
	};

	if (strncmp(path, "usr/", 4))
		return NULL;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!strncmp(path + 4, dirs[i], strlen(dirs[i])))
			return path + 4;
	return NULL;
}

/* Direct claims, then the merged-/usr alias. */
static int lookup_path(const struct ls_pkgdb *db, int layer, const char *path,
		       struct ls_pkgdb_owner *out)
{
	const char *alias;

	if (lookup_direct(db, layer, path, out))
		return 1;
	alias = usrmerge_alias(path);
	if (alias && lookup_direct(db, layer, alias, out)) {
		out->flags |= LS_PKGDB_USRMERGE;
		return 1;
	}
	return 0;
}

int ls_pkgdb_lookup(const struct ls_pkgdb *db, int layer, const char *path,
		    struct ls_pkgdb_owner *out)
{
	char src[LS_PKGDB_PATH_MAX];
	int pyc;

	memset(out, 0, sizeof(*out));
	while (path[0] == '/')
		path++;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	pyc = pyc_source(path, src, sizeof(src));
	if (lookup_path(db, layer, path, out)) {
		if (pyc && out->alg == LS_PKGDB_ALG_NONE)
			out->flags |= LS_PKGDB_DERIVED;
		return 1;
	}
	if (pyc && lookup_path(db, layer, src, out)) {
		out->alg = LS_PKGDB_ALG_NONE;
		out->digest_len = 0;
		memset(out->digest, 0, sizeof(out->digest));
		out->flags = LS_PKGDB_DERIVED | (out->flags & LS_PKGDB_USRMERGE);
		return 1;
	}
	memset(out, 0, sizeof(*out));
	return 0;
}

/* ---- verdicts, names, stats, hashing ---- */

enum ls_pkgdb_verdict ls_pkgdb_verdict(const struct ls_pkgdb_owner *owner,
				       const unsigned char *digest, size_t len)
{
	if (!owner || owner->eco == LS_PKGDB_ECO_NONE)
		return LS_PKGDB_NOT_OWNED;
	if (owner->alg == LS_PKGDB_ALG_NONE || !digest)
		return LS_PKGDB_UNVERIFIED;
	if (len != owner->digest_len)
		LS_BUG("digest of %zu bytes for %s", len,
		       ls_pkgdb_alg_name(owner->alg));
	return memcmp(digest, owner->digest, len) ? LS_PKGDB_MODIFIED
						  : LS_PKGDB_VENDOR;
}

const char *ls_pkgdb_verdict_name(enum ls_pkgdb_verdict v)
{
	switch (v) {
	case LS_PKGDB_VENDOR:
		return "vendor";
	case LS_PKGDB_MODIFIED:
		return "modified";
	case LS_PKGDB_UNVERIFIED:
		return "unverified";
	default:
		return "not-owned";
	}
}

const char *ls_pkgdb_alg_name(enum ls_pkgdb_alg alg)
{
	switch (alg) {
	case LS_PKGDB_ALG_MD5:
		return "md5";
	case LS_PKGDB_ALG_SHA1:
		return "sha1";
	case LS_PKGDB_ALG_SHA256:
		return "sha256";
	default:
		return "none";
	}
}

size_t ls_pkgdb_alg_len(enum ls_pkgdb_alg alg)
{
	switch (alg) {
	case LS_PKGDB_ALG_MD5:
		return 16;
	case LS_PKGDB_ALG_SHA1:
		return 20;
	case LS_PKGDB_ALG_SHA256:
		return 32;
	default:
		return 0;
	}
}

void ls_pkgdb_stats(const struct ls_pkgdb *db, struct ls_pkgdb_stats *st)
{
	st->files = db->nvers - db->removals + db->ndirdels;
	st->removals = db->removals;
	st->packages = db->npkgs;
	st->claims = db->nclaims;
	st->skipped = db->skipped;
}
