/*
 * dpkg.c - Debian's package database (var/lib/dpkg/); see pkgdb.h for
 * the files and what they mean.
 *
 * dpkg's database proper is the status file; info/<pkg>.list and
 * info/<pkg>.md5sums are its annex, named after the package ("name", or
 * "name:arch" for Multi-Arch: same packages).  So .list and md5sums lines
 * become claims of a package record that knows only that name (its key),
 * and lookup asks the status file live at its layer whether the package
 * is installed and what its version is (pdb_dpkg_resolve).  The stanzas
 * are indexed by "<version index>:<key>" in db->stanzas.
 *
 * Distroless images have no .list files and no status file: one stanza
 * per package in status.d/<name> and its md5sums in status.d/<name>.md5sums;
 * there the key is <name>, the file's name.
 *
 * Conffiles are not in md5sums; their md5 is in the stanza's Conffiles
 * field, " /etc/x <md5>" with "obsolete" and "remove-on-upgrade" flags
 * after it, and "newconffile" instead of the md5 while dpkg has not yet
 * recorded one.  A path could hold spaces, so the line is read from its
 * end: flags, then the hash, then the path is the rest.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "source/pkgdb/internal.h"
#include "util/hex.h"
#include "util/xalloc.h"

#define STATUS_REL "var/lib/dpkg/status"
#define STATUS_D_REL "var/lib/dpkg/status.d/"

/* The name of the database file without directory and `suffix`. */
static void file_stem(const char *path, const char *suffix, char *out, size_t n)
{
	const char *b = strrchr(path, '/');
	size_t len, sl = strlen(suffix);

	b = b ? b + 1 : path;
	len = strlen(b);
	if (len >= sl && !strcmp(b + len - sl, suffix))
		len -= sl;
	if (len >= n)
		len = n - 1;
	memcpy(out, b, len);
	out[len] = '\0';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

/* "<want> ok installed": the third word is "installed", the second "ok". */
static int status_installed(const char *s, size_t n)
{
	const char *w[3];
	size_t wl[3];
	int k = 0;
	size_t i = 0;

	while (k < 3) {
		while (i < n && is_space(s[i]))
			i++;
		if (i >= n)
			return 0;
		w[k] = s + i;
		while (i < n && !is_space(s[i]))
			i++;
		wl[k] = (size_t)(s + i - w[k]);
		k++;
	}
	return wl[1] == 2 && !memcmp(w[1], "ok", 2) &&
	       wl[2] == 9 && !memcmp(w[2], "installed", 9);
}

struct stanza {
	const char *name, *status, *version, *arch, *multiarch;
	size_t name_n, status_n, version_n, arch_n, multiarch_n;
};

/* One Conffiles line: " /etc/x <md5> [obsolete] [remove-on-upgrade]". */
static int conffile_line(struct pdb_parse *ps, uint32_t pkg, const char *s, size_t n)
{
	const char *h;
	size_t hn;
	unsigned char md5[16];
	enum ls_pkgdb_alg alg = LS_PKGDB_ALG_NONE;
	char path[LS_PKGDB_PATH_MAX];
	int plen;

	trim(&s, &n);
	for (;;) {
		/* the last word */
		size_t e = n;

		while (e && !is_space(s[e - 1]))
			e--;
		h = s + e;
		hn = n - e;
		if ((hn == 8 && !memcmp(h, "obsolete", 8)) ||
		    (hn == 17 && !memcmp(h, "remove-on-upgrade", 17))) {
			n = e;
			trim(&s, &n);
			continue;
		}
		n = e;
		break;
	}
	trim(&s, &n);
	if (!n || s[0] != '/')
		goto skip;
	if (hn == 32 && !ls_hex_decode(h, 16, md5))
		alg = LS_PKGDB_ALG_MD5;
	else if (!(hn == 11 && !memcmp(h, "newconffile", 11)))
		goto skip;
	while (n && s[0] == '/') {
		s++;
		n--;
	}
	plen = pdb_path_join(path, ps->path, ps->rootlen, s, n);
	if (plen < 0)
		goto skip;
	return pdb_claim_add(ps, pkg, CL_DPKG_CONFFILE, path, (size_t)plen, alg,
			     md5, LS_PKGDB_CONFFILE);
skip:
	ps->db->skipped++;
	return 0;
}

static int field_is(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && !strncasecmp(s, name, n);
}

/* One stanza, lines [from, to) of the file starting at line `lineno`. */
static int stanza(struct pdb_parse *ps, const char *from, const char *to,
		  int distroless)
{
	struct stanza st;
	struct pdb_lines it;
	const char *line;
	size_t n;
	int rc, in_conf = 0;
	char key[LS_PKGDB_PATH_MAX], skey[LS_PKGDB_PATH_MAX + 32];
	unsigned flags = 0;
	long pkg, old;

	memset(&st, 0, sizeof(st));
	pdb_lines_init(&it, from, (size_t)(to - from));
	while ((rc = pdb_lines_next(ps, &it, &line, &n)) > 0) {
		const char *colon, *v;
		size_t vn;

		if (n && is_space(line[0]))
			continue;
		colon = memchr(line, ':', n);
		if (!colon)
			continue;
		v = colon + 1;
		vn = n - (size_t)(v - line);
		trim(&v, &vn);
#define FIELD(fname, member)                                          \
		if (field_is(line, (size_t)(colon - line), fname)) {  \
			st.member = v;                                \
			st.member##_n = vn;                           \
			continue;                                     \
		}
		FIELD("Package", name)
		FIELD("Status", status)
		FIELD("Version", version)
		FIELD("Architecture", arch)
		FIELD("Multi-Arch", multiarch)
#undef FIELD
	}
	if (rc < 0)
		return rc;
	if (!st.name || !st.name_n || st.name_n >= 256) {
		ps->db->skipped++;
		return 0;
	}
	if (st.status ? status_installed(st.status, st.status_n) : distroless)
		flags |= PKG_OK;
	if (distroless)
		file_stem(ps->path, "", key, sizeof(key));
	else if (st.multiarch && st.multiarch_n == 4 && !memcmp(st.multiarch, "same", 4) &&
		 st.arch && st.arch_n && st.arch_n < 64)
		snprintf(key, sizeof(key), "%.*s:%.*s", (int)st.name_n, st.name,
			 (int)st.arch_n, st.arch);
	else
		snprintf(key, sizeof(key), "%.*s", (int)st.name_n, st.name);
	pkg = pdb_pkg_add(ps, LS_PKGDB_ECO_DPKG, st.name, st.name_n, st.version,
			  st.version_n, key, flags);
	if (pkg < 0)
		return (int)pkg;
	/* two stanzas with one key: an installed one wins */
	snprintf(skey, sizeof(skey), "%u:%s", ps->ver, key);
	if (!ls_strset_get(&ps->db->stanzas, skey, &old) ||
	    !(ps->db->pkgs[old].flags & PKG_OK))
		ls_strset_put(&ps->db->stanzas, skey, pkg);

	pdb_lines_init(&it, from, (size_t)(to - from));
	while ((rc = pdb_lines_next(ps, &it, &line, &n)) > 0) {
		if (n && is_space(line[0])) {
			if (in_conf && (rc = conffile_line(ps, (uint32_t)pkg, line, n)) < 0)
				return rc;
			continue;
		}
		in_conf = n >= 10 && !strncasecmp(line, "Conffiles:", 10);
	}
	return rc;
}

int pdb_dpkg_status(struct pdb_parse *ps, const char *buf, size_t len, int distroless)
{
	struct pdb_lines it;
	const char *line, *start = NULL;
	size_t n;
	int rc;

	pdb_lines_init(&it, buf, len);
	for (;;) {
		const char *here = it.p;
		int blank;

		rc = pdb_lines_next(ps, &it, &line, &n);
		if (rc < 0)
			return rc;
		blank = 1;
		for (size_t i = 0; rc && i < n; i++)
			if (!is_space(line[i]) && line[i] != '\r')
				blank = 0;
		if (rc && !blank) {
			if (!start)
				start = here;
			continue;
		}
		if (start) {
			int r = stanza(ps, start, here, distroless);

			if (r < 0)
				return r;
			start = NULL;
			if (distroless)
				break;   /* one stanza a file */
		}
		if (!rc)
			break;
	}
	return 0;
}

/* The package record of an info/ or status.d/ annex file. */
static long annex_pkg(struct pdb_parse *ps, const char *suffix)
{
	char key[LS_PKGDB_PATH_MAX];
	const char *colon;

	file_stem(ps->path, suffix, key, sizeof(key));
	colon = strchr(key, ':');
	return pdb_pkg_add(ps, LS_PKGDB_ECO_DPKG, key,
			   colon ? (size_t)(colon - key) : strlen(key), NULL, 0, key, 0);
}

int pdb_dpkg_list(struct pdb_parse *ps, const char *buf, size_t len)
{
	struct pdb_lines it;
	const char *line;
	size_t n;
	int rc;
	long pkg = annex_pkg(ps, ".list");
	char path[LS_PKGDB_PATH_MAX];

	if (pkg < 0)
		return (int)pkg;
	pdb_lines_init(&it, buf, len);
	while ((rc = pdb_lines_next(ps, &it, &line, &n)) > 0) {
		int plen;

		if (!n || line[0] != '/') {
			ps->db->skipped++;
			continue;
		}
		while (n && line[0] == '/') {
			line++;
			n--;
		}
		if (!n || (n == 1 && line[0] == '.'))
			continue;   /* "/.", the root */
		plen = pdb_path_join(path, ps->path, ps->rootlen, line, n);
		if (plen < 0) {
			ps->db->skipped++;
			continue;
		}
		rc = pdb_claim_add(ps, (uint32_t)pkg, CL_DPKG_LIST, path,
				   (size_t)plen, LS_PKGDB_ALG_NONE, NULL, 0);
		if (rc < 0)
			return rc;
	}
	return rc;
}

int pdb_dpkg_md5sums(struct pdb_parse *ps, const char *buf, size_t len, int distroless)
{
	struct pdb_lines it;
	const char *line;
	size_t n;
	int rc;
	long pkg = annex_pkg(ps, ".md5sums");
	char path[LS_PKGDB_PATH_MAX];

	if (pkg < 0)
		return (int)pkg;
	pdb_lines_init(&it, buf, len);
	while ((rc = pdb_lines_next(ps, &it, &line, &n)) > 0) {
		unsigned char md5[16];
		size_t i = 32;
		int plen;

		if (!n)
			continue;
		if (n < 35 || !is_space(line[32]) || ls_hex_decode(line, 16, md5)) {
			ps->db->skipped++;
			continue;
		}
		while (i < n && (is_space(line[i]) || line[i] == '*'))
			i++;
		while (i < n && line[i] == '/')
			i++;
		plen = i < n ? pdb_path_join(path, ps->path, ps->rootlen,
					     line + i, n - i) : -1;
		if (plen < 0) {
			ps->db->skipped++;
			continue;
		}
		rc = pdb_claim_add(ps, (uint32_t)pkg,
				   distroless ? CL_DPKG_SD_MD5 : CL_DPKG_MD5, path,
				   (size_t)plen, LS_PKGDB_ALG_MD5, md5, 0);
		if (rc < 0)
			return rc;
	}
	return rc;
}

/* The installed stanza for `key` in the database file at `dbpath`, live
 * at `layer`, or NULL. */
static const struct pdb_pkg *find_stanza(const struct ls_pkgdb *db, int layer,
					 const char *dbpath, const char *key)
{
	char skey[LS_PKGDB_PATH_MAX + 32];
	long v = pdb_live_path(db, dbpath, layer), pi;
	const char *colon = strchr(key, ':');

	if (v < 0)
		return NULL;
	snprintf(skey, sizeof(skey), "%ld:%s", v, key);
	if (!ls_strset_get(&db->stanzas, skey, &pi)) {
		/* "name:arch" annex of a stanza that is not Multi-Arch: same */
		if (!colon)
			return NULL;
		snprintf(skey, sizeof(skey), "%ld:%.*s", v, (int)(colon - key), key);
		if (!ls_strset_get(&db->stanzas, skey, &pi))
			return NULL;
	}
	return db->pkgs[pi].flags & PKG_OK ? &db->pkgs[pi] : NULL;
}

int pdb_dpkg_resolve(const struct ls_pkgdb *db, int layer,
		     const struct pdb_claim *cl, struct pdb_cand *c)
{
	const struct pdb_pkg *p = &db->pkgs[cl->pkg], *sp;
	const struct pdb_file *f = &db->files[db->vers[p->ver].file];
	char dbpath[2 * LS_PKGDB_PATH_MAX];

	switch (cl->type) {
	case CL_DPKG_LIST:
	case CL_DPKG_MD5:
		snprintf(dbpath, sizeof(dbpath), "%.*s" STATUS_REL,
			 (int)f->rootlen, f->path);
		sp = find_stanza(db, layer, dbpath, p->key);
		break;
	case CL_DPKG_SD_MD5:
		snprintf(dbpath, sizeof(dbpath), "%.*s" STATUS_D_REL "%s",
			 (int)f->rootlen, f->path, p->key);
		sp = find_stanza(db, layer, dbpath, p->key);
		break;
	case CL_DPKG_CONFFILE:
		sp = p->flags & PKG_OK ? p : NULL;
		break;
	default:
		return 0;
	}
	if (!sp)
		return 0;
	c->eco = LS_PKGDB_ECO_DPKG;
	c->name = sp->name;
	c->version = sp->version;
	c->key = p->key;
	c->root = f->path;
	c->rootlen = f->rootlen;
	c->alg = (enum ls_pkgdb_alg)cl->alg;
	memcpy(c->digest, cl->digest, sizeof(c->digest));
	c->flags = cl->flags;
	c->ver = p->ver;
	return 1;
}
