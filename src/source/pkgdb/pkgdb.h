/*
 * pkgdb.h - package databases: which package installed a file, and what
 * its bytes should be.
 *
 * Why.  An ordinary image (a Debian base, a Node service) holds thousands
 * of files a package manager installed: changelogs, man pages, libraries,
 * node_modules.  A secret found there is almost always a test vector or
 * an example, and the user can do nothing about it.  A file is "vendor"
 * only when a package database in the image owns it and, where the
 * database records a hash, the file's bytes match it.  A file that is
 * owned but modified (hash differs) or not owned at all is the user's.
 * This module reads the databases and answers "who owns this path, and
 * with which digest"; it never reads the owned files themselves (the
 * caller hashes them: content/tee.h, ls_digests_of).
 *
 * Paths.  Every path is image-relative and normalised: no leading "/" or
 * "./", no "//", "." or ".." components ("usr/share/doc/curl/copyright").
 * A context scan uses paths relative to the context directory.  A
 * database found below a prefix ("rootfs/var/lib/dpkg/status") vouches
 * for paths below the same prefix ("rootfs/usr/...").
 *
 * Use.
 *     struct ls_pkgdb *db = ls_pkgdb_new();
 *     for every entry of every layer (any order):
 *         if (ls_pkgdb_kind_of(path) != LS_PKGDB_NONE)
 *             ls_pkgdb_add(db, layer, path, bytes, len, &err);  (warn on < 0)
 *         for a whiteout of `path`: ls_pkgdb_remove(db, layer, path);
 *         for an opaque directory `dir`: ls_pkgdb_remove_dir(db, layer, dir);
 *     then, for each file to judge:
 *         if (ls_pkgdb_lookup(db, layer, path, &owner)) {
 *             hash the bytes with owner.alg (unless LS_PKGDB_ALG_NONE);
 *             v = ls_pkgdb_verdict(&owner, digest, digest_len);
 *         }
 *     ls_pkgdb_free(db);
 * All adds and removes come before the first lookup (lookups read a
 * frozen store; calling add after a lookup is allowed but the answers
 * before it reflected the store as it then was).  The store is not
 * thread-safe for writers; concurrent lookups on a store nobody writes to
 * are safe (lookup only reads).
 *
 * Layers.  `layer` is the layer index, 0 the lowest (a context uses 0).
 * The store keeps every version of every database file by layer.
 * lookup(L, path) sees, for each database file, its newest version from
 * a layer <= L, unless a removal (whiteout or opaque directory) at a
 * layer t with version < t <= L hides it.  A removal hides only lower
 * layers: a file written in the same layer as its whiteout stays.  Two
 * adds of one path in one layer: the later replaces the earlier (a tar
 * may hold a path twice; the last one wins).  Database files and the
 * files they own arrive in any order: nothing is resolved before lookup.
 *
 * Formats (one file each: dpkg.c, apk.c, wheel.c, npm.c).
 *
 * dpkg, under <root>var/lib/dpkg/:
 *   status             stanzas (deb822): Package, Status, Version,
 *                      Architecture, Multi-Arch, Conffiles.  A package
 *                      counts only if its Status is "<want> ok installed"
 *                      (any want: install, hold, deinstall, purge);
 *                      half-installed, unpacked, config-files and the rest
 *                      own nothing.  Conffiles lines are
 *                      " /etc/x <md5> [obsolete] [remove-on-upgrade]":
 *                      the conffile is owned with that md5 (conffiles are
 *                      not in md5sums) and flagged LS_PKGDB_CONFFILE;
 *                      "newconffile" instead of an md5 means the hash is
 *                      unknown (owned, LS_PKGDB_ALG_NONE).
 *   info/<pkg>.list    ownership: one "/path" a line, directories too.
 *   info/<pkg>.md5sums "<md5>  path" (no leading "/"): ownership + md5.
 *                      <pkg> is "name" or "name:arch" (Multi-Arch: same).
 *   status.d/<name>    distroless: one stanza per file; a stanza without
 *                      a Status field counts as installed.
 *   status.d/<name>.md5sums  its md5sums (distroless has no .list).
 *   info/ files count only while the status file has an installed stanza
 *   for their package (a .list without status owns nothing: dpkg's
 *   database is the status file; the info/ files are its annex).
 *   status.d/<name>.md5sums counts while status.d/<name> is installed.
 *   A file in .list but not in md5sums (or a package without md5sums)
 *   is owned with LS_PKGDB_ALG_NONE: verdict LS_PKGDB_UNVERIFIED.
 *
 * apk, <root>lib/apk/db/installed: stanzas of "X:value" lines separated
 *   by blank lines: P: name, V: version, F: directory (relative), R: a
 *   file in the last F, Z: the last R's checksum: "Q1" + base64 of its
 *   SHA-1, "Q2" + base64 of its SHA-256, or 32 hex digits (MD5, very old
 *   databases).  A file without Z is owned, unverified.  (Written from the
 *   Alpine wiki's "Apk spec" page; no Alpine rootfs was at hand, so the
 *   unit tests use a hand-written database.)
 *
 * wheel, <site>/<name>-<version>.dist-info/RECORD: CSV lines
 *   "path,sha256=<urlsafe base64, no padding>,size"; paths are relative
 *   to <site> and may climb ("../../../bin/pip"); an absolute path is
 *   taken as image-relative.  Lines with an empty hash (RECORD itself,
 *   .pyc files) are owned, unverified.  Name and version come from the
 *   directory name (split at its first '-'); METADATA is not read.
 *   sha384/sha512 entries are owned, unverified.  .egg-info
 *   (installed-files.txt) is not read.
 *
 * npm, <dir>/node_modules/.package-lock.json (npm 7+'s hidden lockfile):
 *   "packages" keys "node_modules/a", "node_modules/a/node_modules/b",
 *   "node_modules/@s/c" are package directories relative to <dir>.  A
 *   package is third-party when it is not a link and its "resolved" is an
 *   http(s) URL, or "resolved" is absent and it has "version" and
 *   "integrity", or it is "inBundle" (shipped inside a third-party
 *   tarball).  A link, a file: or git "resolved", or a package directory
 *   the lockfile does not list, is the user's.
 *   <dir>/node_modules/<pkg or @s/pkg>/package.json: npm 5/6 wrote
 *   "_resolved" and "_integrity" into it; with an http(s) "_resolved" (or
 *   "_integrity" and no "_resolved") it makes the package third-party,
 *   but only where no hidden lockfile governs the directory.
 *   A file is owned by the deepest package directory containing it.  npm
 *   keeps no per-file hash: owners are LS_PKGDB_ALG_NONE, so a file added
 *   inside a registry package directory cannot be told apart from the
 *   package's own.
 *
 * Python bytecode.  `<dir>/__pycache__/<mod>.<tag>.pyc` is generated at
 * install time (Debian's py3compile, pip) and listed by nobody or without
 * a hash: when no database owns it, it is owned by the owner of
 * `<dir>/<mod>.py`, with no hash and LS_PKGDB_DERIVED; an owned .pyc in
 * __pycache__ without a hash is flagged LS_PKGDB_DERIVED too.
 *
 * Merged /usr.  Debian 12 packages list /bin/ls, /sbin/x, /lib/...; in a
 * merged-/usr image /bin is a symlink to usr/bin and the layer stores
 * usr/bin/ls.  When nothing owns "usr/{bin,sbin,lib,lib32,lib64,libx32,
 * libo32}/x", lookup asks for "{bin,...}/x" and flags the answer
 * LS_PKGDB_USRMERGE.  (On an image without merged /usr the two are
 * different files; the hash still decides, so such a file is vendor only
 * if its bytes are the package's.)  Only at the image root, not below a
 * prefix.
 *
 * Several owners.  When several packages claim one path (dpkg
 * directories, diversions, two ecosystems), lookup prefers an owner with a
 * hash, then dpkg, apk, wheel, npm, then the smaller package name: the
 * answer is deterministic whatever the order of adds.  owner.nowners says
 * how many claimed it.
 *
 * Database files themselves (status, RECORD, .package-lock.json) are
 * owned by nobody; callers that care test ls_pkgdb_kind_of().
 *
 * Errors.  ls_pkgdb_add() returns LS_EFORMAT for a file that is not in
 * its format (NUL bytes in a text database, JSON that does not parse or
 * whose top level is not an object) and LS_ELIMIT when a limit below is
 * hit; the file is then not recorded at all (it owns nothing).  The
 * direction is safe: a database the module cannot read makes files the
 * user's, never vendor.  Lines that do not parse (a .list line without
 * "/", an md5sums line with a bad digest, a RECORD line with an unknown
 * hash) are skipped and counted in ls_pkgdb_stats.skipped.
 *
 * Ownership: the store copies everything it is given; strings in a
 * struct ls_pkgdb_owner are borrowed from the store and valid until
 * ls_pkgdb_free().
 */
#ifndef LS_SOURCE_PKGDB_PKGDB_H
#define LS_SOURCE_PKGDB_PKGDB_H

#include <stddef.h>

#include "util/err.h"

/* Limits. */
#define LS_PKGDB_FILE_MAX (64u << 20)       /* bytes of one database file */
#define LS_PKGDB_LINE_MAX (64u << 10)       /* bytes of one line */
#define LS_PKGDB_PATH_MAX 4096              /* bytes of one path */
#define LS_PKGDB_FILE_ENTRIES_MAX (1u << 20) /* paths or packages one file claims */
#define LS_PKGDB_ENTRIES_MAX (1u << 23)     /* paths claimed, whole store */
#define LS_PKGDB_FILES_MAX (1u << 18)       /* database file versions + removals */
#define LS_PKGDB_DISPLAY_MAX 320            /* owner.display, truncated */
#define LS_PKGDB_DIGEST_MAX 32              /* SHA-256 */

/* What a path is, as a database file. */
enum ls_pkgdb_kind {
	LS_PKGDB_NONE = 0,
	LS_PKGDB_DPKG_STATUS,       /* var/lib/dpkg/status */
	LS_PKGDB_DPKG_STATUS_D,     /* var/lib/dpkg/status.d/<name> */
	LS_PKGDB_DPKG_STATUS_D_MD5, /* var/lib/dpkg/status.d/<name>.md5sums */
	LS_PKGDB_DPKG_LIST,         /* var/lib/dpkg/info/<pkg>.list */
	LS_PKGDB_DPKG_MD5SUMS,      /* var/lib/dpkg/info/<pkg>.md5sums */
	LS_PKGDB_APK_INSTALLED,     /* lib/apk/db/installed */
	LS_PKGDB_WHEEL_RECORD,      /* <site>/<x>.dist-info/RECORD */
	LS_PKGDB_NPM_LOCK,          /* <dir>/node_modules/.package-lock.json */
	LS_PKGDB_NPM_PACKAGE_JSON,  /* <dir>/node_modules/<pkg>/package.json */
};

enum ls_pkgdb_eco {
	LS_PKGDB_ECO_NONE = 0,
	LS_PKGDB_ECO_DPKG,
	LS_PKGDB_ECO_APK,
	LS_PKGDB_ECO_WHEEL,
	LS_PKGDB_ECO_NPM,
};

enum ls_pkgdb_alg {
	LS_PKGDB_ALG_NONE = 0,   /* the database records no hash for the file */
	LS_PKGDB_ALG_MD5,        /* 16 bytes */
	LS_PKGDB_ALG_SHA1,       /* 20 bytes */
	LS_PKGDB_ALG_SHA256,     /* 32 bytes */
};

enum ls_pkgdb_owner_flags {
	LS_PKGDB_CONFFILE = 1u << 0, /* a dpkg conffile (users edit these) */
	LS_PKGDB_DERIVED = 1u << 1,  /* .pyc generated from an owned .py */
	LS_PKGDB_USRMERGE = 1u << 2, /* owned as bin/x, found as usr/bin/x */
};

struct ls_pkgdb_owner {
	enum ls_pkgdb_eco eco;
	const char *name;        /* package name (borrowed from the store) */
	const char *version;     /* "" when the database has none (borrowed) */
	/* "dpkg:libgnutls30 3.7.9-2+deb12u3", "apk:busybox 1.36.1-r2",
	 * "wheel:requests 2.31.0", "npm:axios@1.7.2" */
	char display[LS_PKGDB_DISPLAY_MAX];
	enum ls_pkgdb_alg alg;   /* hash the file this way, then ls_pkgdb_verdict() */
	unsigned char digest[LS_PKGDB_DIGEST_MAX];
	size_t digest_len;       /* 0 with LS_PKGDB_ALG_NONE */
	unsigned flags;          /* enum ls_pkgdb_owner_flags */
	const char *db_path;     /* the database file that vouches (borrowed) */
	int db_layer;            /* and the layer its version came from */
	unsigned nowners;        /* how many packages claimed the path (for
				  * diagnostics; past 64 one package may
				  * count twice) */
};

enum ls_pkgdb_verdict {
	LS_PKGDB_NOT_OWNED = 0,  /* no database owns it: the user's */
	LS_PKGDB_VENDOR,         /* owned and the digest matches */
	LS_PKGDB_MODIFIED,       /* owned but the digest differs: the user's */
	LS_PKGDB_UNVERIFIED,     /* owned, the database has no hash for it */
};

struct ls_pkgdb_stats {
	size_t files;            /* database file versions recorded */
	size_t removals;         /* whiteouts and opaque dirs recorded */
	size_t packages;         /* package records (stanzas, lock entries, ...) */
	size_t claims;           /* path claims */
	size_t skipped;          /* lines or entries that did not parse */
};

/* Which database file `path` is (normalised, see above).  Cheap: it only
 * looks at the last few path components; called for every file. */
enum ls_pkgdb_kind ls_pkgdb_kind_of(const char *path);

/* A new, empty store; free with ls_pkgdb_free() (NULL is a no-op). */
struct ls_pkgdb *ls_pkgdb_new(void);
void ls_pkgdb_free(struct ls_pkgdb *db);

/*
 * Feed one database file's bytes (`buf`, `len`, borrowed) as found at
 * `path` in layer `layer` (>= 0).  Returns 0, or LS_EINVAL (not a database
 * path, negative layer), LS_EFORMAT or LS_ELIMIT with `err` filled (name:
 * the path, line where known); the file then owns nothing.
 */
int ls_pkgdb_add(struct ls_pkgdb *db, int layer, const char *path,
		 const char *buf, size_t len, struct ls_err *err);

/* `path` was deleted (whiteout) at `layer`.  Paths that are no database
 * file are ignored.  Returns 0, or LS_ELIMIT past LS_PKGDB_FILES_MAX. */
int ls_pkgdb_remove(struct ls_pkgdb *db, int layer, const char *path);

/* Directory `dir` was made opaque (or deleted) at `layer`: every
 * database file below it from a lower layer is gone.  Returns 0 or
 * LS_ELIMIT. */
int ls_pkgdb_remove_dir(struct ls_pkgdb *db, int layer, const char *dir);

/*
 * Who owns `path` as the image stood at `layer`: 1 and `*out` filled, or
 * 0 (not owned; `*out` cleared, eco LS_PKGDB_ECO_NONE).  See "Several
 * owners" and "Python bytecode" above.
 */
int ls_pkgdb_lookup(const struct ls_pkgdb *db, int layer, const char *path,
		    struct ls_pkgdb_owner *out);

/*
 * The verdict for a file given its owner (NULL or eco NONE: not owned)
 * and its digest in owner->alg (`digest` NULL when the caller did not
 * hash it: LS_PKGDB_UNVERIFIED).  `len` must be owner->digest_len.
 */
enum ls_pkgdb_verdict ls_pkgdb_verdict(const struct ls_pkgdb_owner *owner,
				       const unsigned char *digest, size_t len);

/* "not-owned", "vendor", "modified", "unverified". */
const char *ls_pkgdb_verdict_name(enum ls_pkgdb_verdict v);

/* "none", "md5", "sha1", "sha256"; and the digest length (0 for none). */
const char *ls_pkgdb_alg_name(enum ls_pkgdb_alg alg);
size_t ls_pkgdb_alg_len(enum ls_pkgdb_alg alg);

void ls_pkgdb_stats(const struct ls_pkgdb *db, struct ls_pkgdb_stats *st);

#endif
