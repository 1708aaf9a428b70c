/*
 * internal.h - the store shared by pkgdb.c and the format readers
 * (dpkg.c, apk.c, wheel.c, npm.c); not for use outside src/source/pkgdb/.
 *
 * The store is a few flat arrays and three string maps:
 *   files[]   one per database path ever seen, with the versions that
 *             path had (one per layer that wrote or deleted it);
 *   vers[]    one per add or removal: layer, deleted, dead (replaced by a
 *             later add in the same layer, or failed to parse);
 *   pkgs[]    package records a version made (a status stanza, the
 *             package a .list file names, a lockfile entry...);
 *   claims[]  "this package claims this path": type, hash; chained per
 *             path through `next` from the head that `paths` maps the
 *             path to (claim index + 1, 0 ends the chain).
 * Nothing is resolved when a file is added: lookup walks the claims of
 * one path and keeps those whose version is the live one at its layer,
 * which is what makes the order of adds irrelevant.
 */
#ifndef LS_SOURCE_PKGDB_INTERNAL_H
#define LS_SOURCE_PKGDB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "source/pkgdb/pkgdb.h"
#include "util/strset.h"

enum pdb_claim_type {
	CL_DPKG_LIST = 1,    /* info/<key>.list */
	CL_DPKG_MD5,         /* info/<key>.md5sums */
	CL_DPKG_SD_MD5,      /* status.d/<key>.md5sums */
	CL_DPKG_CONFFILE,    /* a Conffiles line of a status stanza */
	CL_APK,
	CL_WHEEL,
	CL_NPM_LOCK,         /* the path is a package directory */
	CL_NPM_PKG,          /* same, from an npm 5/6 package.json */
};

struct pdb_file {
	char *path;
	enum ls_pkgdb_kind kind;
	size_t rootlen;          /* bytes of the prefix before var/lib/dpkg/ etc. */
	uint32_t *vers;
	size_t nvers, alloc;
};

struct pdb_ver {
	uint32_t file;
	int layer;
	unsigned char deleted;   /* a removal, not content */
	unsigned char dead;      /* replaced in its layer, or failed to parse */
};

enum pdb_pkg_flags {
	PKG_OK = 1u << 0,        /* dpkg: installed; npm: third-party */
};

struct pdb_pkg {
	uint32_t ver;
	unsigned char eco;       /* enum ls_pkgdb_eco */
	unsigned char flags;     /* enum pdb_pkg_flags */
	char *name, *version;
	char *key;               /* dpkg: info/status.d file stem; else NULL */
};

struct pdb_claim {
	uint32_t next;           /* claim index + 1 of the path's next claim */
	uint32_t pkg;
	unsigned char type, alg, flags;
	unsigned char digest[LS_PKGDB_DIGEST_MAX];
};

struct pdb_dirdel {
	char *dir;
	size_t len;
	int layer;
};

struct ls_pkgdb {
	struct pdb_file *files;
	size_t nfiles, files_alloc;
	struct pdb_ver *vers;
	size_t nvers, vers_alloc;
	struct pdb_pkg *pkgs;
	size_t npkgs, pkgs_alloc;
	struct pdb_claim *claims;
	size_t nclaims, claims_alloc;
	struct pdb_dirdel *dirdels;
	size_t ndirdels, dirdels_alloc;
	struct ls_strset filemap;    /* path -> files[] index */
	struct ls_strset paths;      /* claimed path -> claim index + 1 */
	struct ls_strset stanzas;    /* "<ver>:<key>" -> pkgs[] index (dpkg status) */
	size_t skipped;
	size_t removals;
};

/* A parse of one version: the reader's context. */
struct pdb_parse {
	struct ls_pkgdb *db;
	uint32_t ver;
	const char *path;        /* the database file */
	size_t rootlen;          /* see struct pdb_file */
	size_t entries;          /* claims + packages so far (FILE_ENTRIES_MAX) */
	struct ls_err *err;
};

/* Lines of a text buffer: '\n' ends a line, a '\r' before it is dropped. */
struct pdb_lines {
	const char *p, *end;
	int lineno;
};
void pdb_lines_init(struct pdb_lines *it, const char *buf, size_t len);
/* 1 and the line, 0 at the end, or LS_ELIMIT (err filled) for a line
 * longer than LS_PKGDB_LINE_MAX. */
int pdb_lines_next(struct pdb_parse *ps, struct pdb_lines *it,
		   const char **line, size_t *len);

/*
 * Join `base` (a normalised directory, may be empty) and `rel` into `out`
 * (LS_PKGDB_PATH_MAX bytes), normalising: "." and empty components go,
 * ".." pops one; a `rel` starting with '/' ignores `base`.  Returns the
 * length, or -1 when the result is empty, climbs above the root or is
 * too long.
 */
int pdb_path_join(char *out, const char *base, size_t baselen,
		  const char *rel, size_t rellen);

/* A package record of the version being parsed; returns its index or
 * LS_ELIMIT (err filled).  Strings are copied; version/key may be NULL. */
long pdb_pkg_add(struct pdb_parse *ps, enum ls_pkgdb_eco eco, const char *name,
		 size_t namelen, const char *version, size_t verlen,
		 const char *key, unsigned flags);

/* A claim of `path` (normalised, `len` bytes) by package `pkg`.  Returns
 * 0 or LS_ELIMIT (err filled). */
int pdb_claim_add(struct pdb_parse *ps, uint32_t pkg, enum pdb_claim_type type,
		  const char *path, size_t len, enum ls_pkgdb_alg alg,
		  const unsigned char *digest, unsigned flags);

/* The live version of file `f` at `layer`, or -1. */
long pdb_live(const struct ls_pkgdb *db, uint32_t f, int layer);
/* The live version at `layer` of the database file at `path`, or -1. */
long pdb_live_path(const struct ls_pkgdb *db, const char *path, int layer);

/* Readers, one per format. */
int pdb_dpkg_status(struct pdb_parse *ps, const char *buf, size_t len, int distroless);
int pdb_dpkg_list(struct pdb_parse *ps, const char *buf, size_t len);
int pdb_dpkg_md5sums(struct pdb_parse *ps, const char *buf, size_t len, int distroless);
int pdb_apk_installed(struct pdb_parse *ps, const char *buf, size_t len);
int pdb_wheel_record(struct pdb_parse *ps, const char *buf, size_t len);
int pdb_npm_lock(struct pdb_parse *ps, const char *buf, size_t len);
int pdb_npm_package_json(struct pdb_parse *ps, const char *buf, size_t len);

/* A candidate owner, while lookup weighs the claims of one path. */
struct pdb_cand {
	enum ls_pkgdb_eco eco;
	const char *name, *version;
	const char *key;         /* merge key (dpkg: the stem); may be NULL */
	size_t rootlen;          /* with key: claims merge only under one root */
	const char *root;
	enum ls_pkgdb_alg alg;
	unsigned char digest[LS_PKGDB_DIGEST_MAX];
	unsigned flags;
	uint32_t ver;            /* the version that vouches */
};

/* dpkg: does this live claim make a candidate at `layer`?  1 and `c`
 * filled, or 0 (the package is not installed, or no status says so). */
int pdb_dpkg_resolve(const struct ls_pkgdb *db, int layer,
		     const struct pdb_claim *cl, struct pdb_cand *c);

/* npm: the owner of `path` by package directory, 1 and `c` filled or 0. */
int pdb_npm_resolve(const struct ls_pkgdb *db, int layer, const char *path,
		    struct pdb_cand *c);

/* The chain of claims of `path`: first claim index + 1, 0 if none. */
uint32_t pdb_claims_of(const struct ls_pkgdb *db, const char *path);

#endif
