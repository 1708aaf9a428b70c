/*
 * test_pkgdb.c - unit tests for the package databases
 * (src/source/pkgdb/).
 *
 * Fixtures (fixtures/pkgdb/, read at run time from the repository root,
 * where `make unit` runs the tests; README there says where each came
 * from):
 *   dpkg/        real var/lib/dpkg files of a Debian bookworm machine:
 *                the status stanzas, .list and .md5sums of adduser,
 *                netbase (conffiles), gcc-12-base:amd64 (Multi-Arch:
 *                same), pkg-config:amd64 (a "newconffile" conffile) and
 *                ed (lists /bin/red: merged /usr);
 *   distroless/  netbase's real stanza and md5sums in the status.d form;
 *   files/       real files those packages installed, to hash; and the
 *                hand-written apk fixture's files;
 *   apk/         a HAND-WRITTEN lib/apk/db/installed (no Alpine rootfs
 *                was reachable), after the Alpine wiki's "Apk spec";
 *   wheel/       the real RECORD pip 23.0.1 wrote when installing
 *                Debian's pip wheel (../../../bin/pip lines included);
 *   npm/         real hidden lockfiles of `npm install` (npm 11, with
 *                and without "resolved"), a real npm 6 package.json with
 *                _resolved/_integrity and an npm 11 one without.
 * Where a test needs a variant (an edited conffile, a not-installed
 * stanza, a git dependency) it edits a copy in memory and says so.
 *
 * Buffers passed to the module are exact-size heap copies (no NUL after
 * them), so a read past the end shows under ASan or valgrind.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/tee.h"
#include "source/pkgdb/pkgdb.h"
#include "util/err.h"
#include "util/xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FX "fixtures/pkgdb/"
#define DPKG FX "dpkg/var/lib/dpkg/"
#define SITE "usr/local/lib/python3.11/site-packages/"

/* ---- helpers ---- */

struct blob {
	char *p;
	size_t n;
};

static struct blob slurp(const char *path)
{
	struct blob b = { NULL, 0 };
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		fail_msg("cannot open fixture %s (run from the repository root)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	assert_true(n >= 0);
	b.n = (size_t)n;
	b.p = ls_xmalloc(b.n ? b.n : 1);
	assert_int_equal(fread(b.p, 1, b.n, f), b.n);
	fclose(f);
	return b;
}

/* Replace the first `from` in b by `to` (a new exact-size buffer). */
static struct blob edit(struct blob b, const char *from, const char *to)
{
	struct blob r;
	char *z = ls_xstrndup(b.p, b.n);
	char *hit = strstr(z, from);
	size_t fl = strlen(from), tl = strlen(to), off;

	if (!hit)
		fail_msg("edit: '%s' not in the fixture", from);
	off = (size_t)(hit - z);
	r.n = b.n - fl + tl;
	r.p = ls_xmalloc(r.n);
	memcpy(r.p, b.p, off);
	memcpy(r.p + off, to, tl);
	memcpy(r.p + off + tl, b.p + off + fl, b.n - off - fl);
	free(z);
	return r;
}

static void add_buf(struct ls_pkgdb *db, int layer, const char *path, struct blob b)
{
	struct ls_err err;
	int rc;

	ls_err_clear(&err);
	rc = ls_pkgdb_add(db, layer, path, b.p, b.n, &err);
	if (rc)
		fail_msg("add %s: %d %s:%d: %s", path, rc, err.name, err.line, err.msg);
}

static void add_fx(struct ls_pkgdb *db, int layer, const char *path, const char *fx)
{
	struct blob b = slurp(fx);

	add_buf(db, layer, path, b);
	free(b.p);
}

static size_t digest(enum ls_pkgdb_alg alg, struct blob b, unsigned char *out)
{
	struct ls_digests d;
	size_t n = ls_pkgdb_alg_len(alg);

	/* what the image source hashes with (content/tee.h) */
	ls_digests_of(b.p, b.n, &d);
	if (alg == LS_PKGDB_ALG_MD5)
		memcpy(out, d.md5, n);
	else if (alg == LS_PKGDB_ALG_SHA1)
		memcpy(out, d.sha1, n);
	else if (alg == LS_PKGDB_ALG_SHA256)
		memcpy(out, d.sha256, n);
	return n;
}

/* The verdict for `path` at `layer` whose bytes are `b`. */
static enum ls_pkgdb_verdict judge(const struct ls_pkgdb *db, int layer,
				   const char *path, struct blob b)
{
	struct ls_pkgdb_owner o;
	unsigned char d[LS_PKGDB_DIGEST_MAX];
	size_t n;

	if (!ls_pkgdb_lookup(db, layer, path, &o))
		return ls_pkgdb_verdict(NULL, NULL, 0);
	if (o.alg == LS_PKGDB_ALG_NONE)
		return ls_pkgdb_verdict(&o, NULL, 0);
	n = digest(o.alg, b, d);
	return ls_pkgdb_verdict(&o, d, n);
}

static enum ls_pkgdb_verdict judge_fx(const struct ls_pkgdb *db, int layer,
				      const char *path, const char *fx)
{
	struct blob b = slurp(fx);
	enum ls_pkgdb_verdict v = judge(db, layer, path, b);

	free(b.p);
	return v;
}

/* The display string of `path`'s owner, or "-". */
static const char *owner_of(const struct ls_pkgdb *db, int layer, const char *path)
{
	static struct ls_pkgdb_owner o;

	return ls_pkgdb_lookup(db, layer, path, &o) ? o.display : "-";
}

static const char *const dpkg_files[][2] = {
	{ "var/lib/dpkg/status", DPKG "status" },
	{ "var/lib/dpkg/info/adduser.list", DPKG "info/adduser.list" },
	{ "var/lib/dpkg/info/adduser.md5sums", DPKG "info/adduser.md5sums" },
	{ "var/lib/dpkg/info/netbase.list", DPKG "info/netbase.list" },
	{ "var/lib/dpkg/info/netbase.md5sums", DPKG "info/netbase.md5sums" },
	{ "var/lib/dpkg/info/gcc-12-base:amd64.list", DPKG "info/gcc-12-base:amd64.list" },
	{ "var/lib/dpkg/info/gcc-12-base:amd64.md5sums", DPKG "info/gcc-12-base:amd64.md5sums" },
	{ "var/lib/dpkg/info/pkg-config:amd64.list", DPKG "info/pkg-config:amd64.list" },
	{ "var/lib/dpkg/info/pkg-config:amd64.md5sums", DPKG "info/pkg-config:amd64.md5sums" },
	{ "var/lib/dpkg/info/ed.list", DPKG "info/ed.list" },
	{ "var/lib/dpkg/info/ed.md5sums", DPKG "info/ed.md5sums" },
};

static struct ls_pkgdb *dpkg_db(int layer)
{
	struct ls_pkgdb *db = ls_pkgdb_new();

	for (size_t i = 0; i < ARRAY_SIZE(dpkg_files); i++)
		add_fx(db, layer, dpkg_files[i][0], dpkg_files[i][1]);
	return db;
}

/* ---- kind_of ---- */

static void test_kind_of(void **state)
{
	static const struct {
		const char *path;
		enum ls_pkgdb_kind kind;
	} t[] = {
		{ "var/lib/dpkg/status", LS_PKGDB_DPKG_STATUS },
		{ "rootfs/var/lib/dpkg/status", LS_PKGDB_DPKG_STATUS },
		{ "xvar/lib/dpkg/status", LS_PKGDB_NONE },
		{ "var/lib/dpkg/status-old", LS_PKGDB_NONE },
		{ "var/lib/dpkg/available", LS_PKGDB_NONE },
		{ "var/lib/dpkg/status.d/libc6", LS_PKGDB_DPKG_STATUS_D },
		{ "var/lib/dpkg/status.d/libc6.md5sums", LS_PKGDB_DPKG_STATUS_D_MD5 },
		{ "var/lib/dpkg/status.d/.hidden", LS_PKGDB_NONE },
		{ "var/lib/dpkg/info/curl.list", LS_PKGDB_DPKG_LIST },
		{ "var/lib/dpkg/info/libc6:amd64.list", LS_PKGDB_DPKG_LIST },
		{ "var/lib/dpkg/info/libc6:amd64.md5sums", LS_PKGDB_DPKG_MD5SUMS },
		{ "var/lib/dpkg/info/curl.postinst", LS_PKGDB_NONE },
		{ "var/lib/dpkg/info/curl.conffiles", LS_PKGDB_NONE },
		{ "var/lib/dpkg/info/.list", LS_PKGDB_NONE },
		{ "lib/apk/db/installed", LS_PKGDB_APK_INSTALLED },
		{ "lib/apk/db/installed.new", LS_PKGDB_NONE },
		{ "usr/lib/python3/site-packages/pip-23.0.1.dist-info/RECORD", LS_PKGDB_WHEEL_RECORD },
		{ "pip-23.0.1.dist-info/RECORD", LS_PKGDB_WHEEL_RECORD },
		{ ".dist-info/RECORD", LS_PKGDB_NONE },
		{ "x/.dist-info/RECORD", LS_PKGDB_NONE },
		{ "x/pip.egg-info/RECORD", LS_PKGDB_NONE },
		{ "app/node_modules/.package-lock.json", LS_PKGDB_NPM_LOCK },
		{ "node_modules/.package-lock.json", LS_PKGDB_NPM_LOCK },
		{ "app/package-lock.json", LS_PKGDB_NONE },
		{ "app/node_modules/ms/package.json", LS_PKGDB_NPM_PACKAGE_JSON },
		{ "node_modules/ms/package.json", LS_PKGDB_NPM_PACKAGE_JSON },
		{ "app/node_modules/@types/node/package.json", LS_PKGDB_NPM_PACKAGE_JSON },
		{ "a/node_modules/d/node_modules/ms/package.json", LS_PKGDB_NPM_PACKAGE_JSON },
		{ "app/node_modules/@types/package.json", LS_PKGDB_NONE },
		{ "app/node_modules/ms/lib/package.json", LS_PKGDB_NONE },
		{ "app/node_modules/.bin/package.json", LS_PKGDB_NONE },
		{ "app/package.json", LS_PKGDB_NONE },
		{ "package.json", LS_PKGDB_NONE },
		{ "status", LS_PKGDB_NONE },
		{ "", LS_PKGDB_NONE },
		{ "etc/passwd", LS_PKGDB_NONE },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		if (ls_pkgdb_kind_of(t[i].path) != t[i].kind)
			fail_msg("kind_of(%s) = %d, want %d", t[i].path,
				 ls_pkgdb_kind_of(t[i].path), t[i].kind);
}

/* ---- dpkg ---- */

static void test_dpkg_vendor_and_modified(void **state)
{
	struct ls_pkgdb *db = dpkg_db(0);
	struct ls_pkgdb_owner o;
	struct blob b = slurp(FX "files/usr/share/doc/netbase/copyright"), m;

	(void)state;
	assert_int_equal(ls_pkgdb_lookup(db, 0, "usr/share/doc/netbase/copyright", &o), 1);
	assert_int_equal(o.eco, LS_PKGDB_ECO_DPKG);
	assert_string_equal(o.name, "netbase");
	assert_string_equal(o.version, "6.4");
	assert_string_equal(o.display, "dpkg:netbase 6.4");
	assert_int_equal(o.alg, LS_PKGDB_ALG_MD5);
	assert_int_equal(o.digest_len, 16);
	assert_int_equal(o.flags, 0);
	assert_string_equal(o.db_path, "var/lib/dpkg/info/netbase.md5sums");
	assert_int_equal(judge(db, 0, "usr/share/doc/netbase/copyright", b), LS_PKGDB_VENDOR);
	/* one byte more: modified */
	m = edit(b, "Debian", "Debiam");
	assert_int_equal(judge(db, 0, "usr/share/doc/netbase/copyright", m), LS_PKGDB_MODIFIED);
	/* the same bytes at a path nobody owns: the user's */
	assert_int_equal(judge(db, 0, "usr/share/doc/netbase/copyright.bak", b), LS_PKGDB_NOT_OWNED);
	/* a leading "/" or "./" is tolerated */
	assert_string_equal(owner_of(db, 0, "/usr/share/doc/netbase/copyright"), "dpkg:netbase 6.4");
	assert_string_equal(owner_of(db, 0, "./usr/share/doc/netbase/copyright"), "dpkg:netbase 6.4");

	/* Multi-Arch: same: info/gcc-12-base:amd64.* and the stanza's key */
	assert_int_equal(ls_pkgdb_lookup(db, 0, "usr/share/doc/gcc-12-base/TODO.Debian", &o), 1);
	assert_string_equal(o.display, "dpkg:gcc-12-base 12.2.0-14+deb12u1");
	assert_int_equal(judge_fx(db, 0, "usr/share/doc/gcc-12-base/TODO.Debian",
				  FX "files/usr/share/doc/gcc-12-base/TODO.Debian"),
			 LS_PKGDB_VENDOR);
	/* directories from .list are owned, without hash; "/." is not */
	assert_int_equal(ls_pkgdb_lookup(db, 0, "usr/share/doc/netbase", &o), 1);
	assert_int_equal(o.alg, LS_PKGDB_ALG_NONE);
	assert_true(o.nowners >= 1);
	assert_int_equal(ls_pkgdb_lookup(db, 0, "usr", &o), 1);
	assert_true(o.nowners >= 4);   /* every package lists /usr */
	assert_string_equal(o.display, "dpkg:adduser 3.134");   /* smallest name */
	assert_int_equal(ls_pkgdb_lookup(db, 0, ".", &o), 0);
	assert_int_equal(ls_pkgdb_lookup(db, 0, "", &o), 0);
	free(b.p);
	free(m.p);
	ls_pkgdb_free(db);
}

/* A package whose md5sums file is missing: owned, no hash, unverified.
 * (Every package on the machine the fixtures came from has md5sums, so
 * the test leaves netbase's out.) */
static void test_dpkg_missing_md5sums(void **state)
{
	struct ls_pkgdb *db = ls_pkgdb_new();
	struct ls_pkgdb_owner o;

	(void)state;
	add_fx(db, 0, "var/lib/dpkg/status", DPKG "status");
	add_fx(db, 0, "var/lib/dpkg/info/netbase.list", DPKG "info/netbase.list");
	assert_int_equal(ls_pkgdb_lookup(db, 0, "usr/share/doc/netbase/copyright", &o), 1);
	assert_string_equal(o.display, "dpkg:netbase 6.4");
	assert_int_equal(o.alg, LS_PKGDB_ALG_NONE);
	assert_int_equal(o.digest_len, 0);
	assert_int_equal(judge_fx(db, 0, "usr/share/doc/netbase/copyright",
				  FX "files/usr/share/doc/netbase/copyright"),
			 LS_PKGDB_UNVERIFIED);
	/* md5sums alone (no .list) owns too */
	add_fx(db, 0, "var/lib/dpkg/info/gcc-12-base:amd64.md5sums",
	       DPKG "info/gcc-12-base:amd64.md5sums");
	assert_int_equal(judge_fx(db, 0, "usr/share/doc/gcc-12-base/TODO.Debian",
				  FX "files/usr/share/doc/gcc-12-base/TODO.Debian"),
			 LS_PKGDB_VENDOR);
	ls_pkgdb_free(db);
}

static void test_dpkg_conffiles(void **state)
{
	struct ls_pkgdb *db = dpkg_db(0);
	struct ls_pkgdb_owner o;
	struct blob b = slurp(FX "files/etc/ethertypes"), m;

	(void)state;
	assert_int_equal(ls_pkgdb_lookup(db, 0, "etc/ethertypes", &o), 1);
	assert_string_equal(o.display, "dpkg:netbase 6.4");
	assert_int_equal(o.alg, LS_PKGDB_ALG_MD5);
	assert_true(o.flags & LS_PKGDB_CONFFILE);
	assert_int_equal(judge(db, 0, "etc/ethertypes", b), LS_PKGDB_VENDOR);
	/* the user edits the conffile: modified, the user's */
	m = edit(b, "IPv4", "IPv5");
	assert_int_equal(judge(db, 0, "etc/ethertypes", m), LS_PKGDB_MODIFIED);
	assert_int_equal(judge_fx(db, 0, "etc/adduser.conf", FX "files/etc/adduser.conf"),
			 LS_PKGDB_VENDOR);
	/* conffiles of other packages' files are not mixed up */
	assert_int_equal(judge(db, 0, "etc/adduser.conf", b), LS_PKGDB_MODIFIED);
	/* "newconffile remove-on-upgrade": owned, hash unknown */
	assert_int_equal(ls_pkgdb_lookup(db, 0, "etc/dpkg/dpkg.cfg.d/pkg-config-hook-config", &o), 1);
	assert_string_equal(o.display, "dpkg:pkg-config 1.8.1-1");
	assert_int_equal(o.alg, LS_PKGDB_ALG_NONE);
	assert_true(o.flags & LS_PKGDB_CONFFILE);
	free(b.p);
	free(m.p);
	ls_pkgdb_free(db);
}

/* info/ files count only with an installed stanza in the live status. */
static void test_dpkg_not_installed(void **state)
{
	struct ls_pkgdb *db = ls_pkgdb_new();
	struct blob st = slurp(DPKG "status"), rm;

	(void)state;
	add_fx(db, 0, "var/lib/dpkg/info/netbase.list", DPKG "info/netbase.list");
	add_fx(db, 0, "var/lib/dpkg/info/netbase.md5sums", DPKG "info/netbase.md5sums");
	/* no status at all */
	assert_string_equal(owner_of(db, 0, "usr/share/doc/netbase/copyright"), "-");
	/* a status where netbase is removed, its conffiles kept (edited copy) */
	rm = edit(st, "Package: netbase\nStatus: install ok installed",
		  "Package: netbase\nStatus: deinstall ok config-files");
	add_buf(db, 0, "var/lib/dpkg/status", rm);
	assert_string_equal(owner_of(db, 0, "usr/share/doc/netbase/copyright"), "-");
	assert_string_equal(owner_of(db, 0, "etc/ethertypes"), "-");
	assert_string_equal(owner_of(db, 0, "etc/adduser.conf"), "dpkg:adduser 3.134");
	/* layer 1: the package installed again */
	add_buf(db, 1, "var/lib/dpkg/status", st);
	assert_string_equal(owner_of(db, 1, "usr/share/doc/netbase/copyright"), "dpkg:netbase 6.4");
	assert_string_equal(owner_of(db, 0, "usr/share/doc/netbase/copyright"), "-");
	free(st.p);
	free(rm.p);
	ls_pkgdb_free(db);
}

/* The answers do not depend on the order of adds. */
static void test_order_independence(void **state)
{
	struct ls_pkgdb *fwd = ls_pkgdb_new(), *rev = ls_pkgdb_new();
	struct blob lists[5];
	size_t checked = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(dpkg_files); i++)
		add_fx(fwd, 0, dpkg_files[i][0], dpkg_files[i][1]);
	for (size_t i = ARRAY_SIZE(dpkg_files); i-- > 0;)
		add_fx(rev, 0, dpkg_files[i][0], dpkg_files[i][1]);
	lists[0] = slurp(DPKG "info/adduser.list");
	lists[1] = slurp(DPKG "info/netbase.list");
	lists[2] = slurp(DPKG "info/gcc-12-base:amd64.list");
	lists[3] = slurp(DPKG "info/pkg-config:amd64.list");
	lists[4] = slurp(DPKG "info/ed.list");
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		char *z = ls_xstrndup(lists[l].p, lists[l].n), *save = NULL;

		for (char *line = strtok_r(z, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			struct ls_pkgdb_owner a, b;
			int ra = ls_pkgdb_lookup(fwd, 0, line + 1, &a);
			int rb = ls_pkgdb_lookup(rev, 0, line + 1, &b);

			assert_int_equal(ra, rb);
			assert_string_equal(a.display, b.display);
			assert_int_equal(a.alg, b.alg);
			assert_memory_equal(a.digest, b.digest, sizeof(a.digest));
			assert_int_equal(a.flags, b.flags);
			assert_int_equal(a.nowners, b.nowners);
			checked += (size_t)ra;
		}
		free(z);
		free(lists[l].p);
	}
	assert_true(checked > 150);
	ls_pkgdb_free(fwd);
	ls_pkgdb_free(rev);
}

static void test_layers(void **state)
{
	struct ls_pkgdb *db = dpkg_db(2);
	const char *f = "usr/share/doc/netbase/copyright";
	struct blob md5 = slurp(DPKG "info/netbase.md5sums"), bad;

	(void)state;
	/* a file at layer 0 owned by a DB only written at layer 2 */
	assert_string_equal(owner_of(db, 0, f), "-");
	assert_string_equal(owner_of(db, 1, f), "-");
	assert_string_equal(owner_of(db, 2, f), "dpkg:netbase 6.4");
	assert_string_equal(owner_of(db, 9, f), "dpkg:netbase 6.4");
	ls_pkgdb_free(db);

	/* a DB deleted at layer 1 */
	db = dpkg_db(0);
	assert_int_equal(ls_pkgdb_remove(db, 1, "var/lib/dpkg/status"), 0);
	assert_string_equal(owner_of(db, 0, f), "dpkg:netbase 6.4");
	assert_string_equal(owner_of(db, 1, f), "-");
	assert_string_equal(owner_of(db, 5, f), "-");
	/* written again at layer 3 */
	add_fx(db, 3, "var/lib/dpkg/status", DPKG "status");
	assert_string_equal(owner_of(db, 2, f), "-");
	assert_string_equal(owner_of(db, 3, f), "dpkg:netbase 6.4");
	/* a whiteout and a file in one layer: the file stays */
	assert_int_equal(ls_pkgdb_remove(db, 3, "var/lib/dpkg/status"), 0);
	assert_string_equal(owner_of(db, 3, f), "dpkg:netbase 6.4");
	/* removals of paths that are no database: ignored */
	assert_int_equal(ls_pkgdb_remove(db, 1, "usr/share/doc/netbase/copyright"), 0);
	ls_pkgdb_free(db);

	/* an opaque info/ directory at layer 1 hides the lower annex */
	db = dpkg_db(0);
	assert_int_equal(ls_pkgdb_remove_dir(db, 1, "var/lib/dpkg/info/"), 0);
	assert_string_equal(owner_of(db, 0, f), "dpkg:netbase 6.4");
	assert_string_equal(owner_of(db, 1, f), "-");
	/* conffiles come from status, which is not under info/ */
	assert_string_equal(owner_of(db, 1, "etc/ethertypes"), "dpkg:netbase 6.4");
	/* "var/lib/dpkg/info2" is not under "var/lib/dpkg/info" */
	assert_int_equal(ls_pkgdb_remove_dir(db, 1, "var/lib/dpkg/inf"), 0);
	assert_string_equal(owner_of(db, 0, f), "dpkg:netbase 6.4");
	ls_pkgdb_free(db);

	/* two adds in one layer: the later wins (here: with a wrong md5) */
	db = dpkg_db(0);
	bad = edit(md5, "78dd2c7c6f487348e4a0092c17a19d42", "00000000000000000000000000000000");
	add_buf(db, 0, "var/lib/dpkg/info/netbase.md5sums", bad);
	assert_int_equal(judge_fx(db, 0, f, FX "files/usr/share/doc/netbase/copyright"),
			 LS_PKGDB_MODIFIED);
	/* a later layer restores it; the earlier layer still sees the bad one */
	add_buf(db, 4, "var/lib/dpkg/info/netbase.md5sums", md5);
	assert_int_equal(judge_fx(db, 4, f, FX "files/usr/share/doc/netbase/copyright"),
			 LS_PKGDB_VENDOR);
	assert_int_equal(judge_fx(db, 3, f, FX "files/usr/share/doc/netbase/copyright"),
			 LS_PKGDB_MODIFIED);
	free(md5.p);
	free(bad.p);
	ls_pkgdb_free(db);
}

static void test_distroless(void **state)
{
	struct ls_pkgdb *db = ls_pkgdb_new();
	struct ls_pkgdb_owner o;

	(void)state;
	add_fx(db, 0, "var/lib/dpkg/status.d/netbase.md5sums",
	       FX "distroless/var/lib/dpkg/status.d/netbase.md5sums");
	/* the md5sums without its stanza owns nothing */
	assert_string_equal(owner_of(db, 0, "usr/share/doc/netbase/copyright"), "-");
	add_fx(db, 1, "var/lib/dpkg/status.d/netbase",
	       FX "distroless/var/lib/dpkg/status.d/netbase");
	assert_string_equal(owner_of(db, 0, "usr/share/doc/netbase/copyright"), "-");
	assert_int_equal(ls_pkgdb_lookup(db, 1, "usr/share/doc/netbase/copyright", &o), 1);
	assert_string_equal(o.display, "dpkg:netbase 6.4");
	assert_int_equal(o.alg, LS_PKGDB_ALG_MD5);
	assert_int_equal(judge_fx(db, 1, "usr/share/doc/netbase/copyright",
				  FX "files/usr/share/doc/netbase/copyright"),
			 LS_PKGDB_VENDOR);
	assert_int_equal(judge_fx(db, 1, "etc/ethertypes", FX "files/etc/ethertypes"),
			 LS_PKGDB_VENDOR);
	assert_int_equal(judge_fx(db, 1, "etc/protocols", FX "files/etc/ethertypes"),
			 LS_PKGDB_MODIFIED);
	ls_pkgdb_free(db);

	/* a stanza without Status (distroless writes only installed ones) */
	db = ls_pkgdb_new();
	{
		struct blob st = slurp(FX "distroless/var/lib/dpkg/status.d/netbase");
		struct blob ns = edit(st, "Status: install ok installed\n", "");

		add_buf(db, 0, "var/lib/dpkg/status.d/netbase", ns);
		add_fx(db, 0, "var/lib/dpkg/status.d/netbase.md5sums",
		       FX "distroless/var/lib/dpkg/status.d/netbase.md5sums");
		assert_string_equal(owner_of(db, 0, "usr/share/doc/netbase/copyright"),
				    "dpkg:netbase 6.4");
		free(st.p);
		free(ns.p);
	}
	ls_pkgdb_free(db);
}

/* Merged /usr: ed lists /bin/red, the image stores usr/bin/red. */
static void test_usrmerge(void **state)
{
	struct ls_pkgdb *db = dpkg_db(0);
	struct ls_pkgdb_owner o;
	struct blob red = slurp(FX "files/usr/bin/red"), m;

	(void)state;
	assert_int_equal(ls_pkgdb_lookup(db, 0, "bin/red", &o), 1);
	assert_int_equal(o.flags, 0);
	assert_int_equal(ls_pkgdb_lookup(db, 0, "usr/bin/red", &o), 1);
	assert_string_equal(o.display, "dpkg:ed 1.19-1");
	assert_int_equal(o.flags, LS_PKGDB_USRMERGE);
	assert_int_equal(judge(db, 0, "usr/bin/red", red), LS_PKGDB_VENDOR);
	m = edit(red, "--restricted", "--unrestricted");
	assert_int_equal(judge(db, 0, "usr/bin/red", m), LS_PKGDB_MODIFIED);
	/* not an aliased directory; not at the root */
	assert_string_equal(owner_of(db, 0, "usr/share/bin/red"), "-");
	assert_string_equal(owner_of(db, 0, "usr/bin/usr/bin/red"), "-");
	assert_string_equal(owner_of(db, 0, "x/usr/bin/red"), "-");
	assert_string_equal(owner_of(db, 0, "usr/binx/red"), "-");
	free(red.p);
	free(m.p);
	ls_pkgdb_free(db);
}

/* A database below a prefix vouches for paths below the same prefix. */
static void test_rooted(void **state)
{
	struct ls_pkgdb *db = ls_pkgdb_new();

	(void)state;
	add_fx(db, 0, "rootfs/var/lib/dpkg/status", DPKG "status");
	add_fx(db, 0, "rootfs/var/lib/dpkg/info/netbase.md5sums", DPKG "info/netbase.md5sums");
	assert_string_equal(owner_of(db, 0, "rootfs/usr/share/doc/netbase/copyright"),
			    "dpkg:netbase 6.4");
	assert_string_equal(owner_of(db, 0, "usr/share/doc/netbase/copyright"), "-");
	assert_string_equal(owner_of(db, 0, "rootfs/etc/ethertypes"), "dpkg:netbase 6.4");
	ls_pkgdb_free(db);
}

/* ---- apk (hand-written database, see the top) ---- */

static void test_apk(void **state)
{
	struct ls_pkgdb *db = ls_pkgdb_new();
	struct ls_pkgdb_owner o;
	struct blob motd = slurp(FX "files/apk/etc/motd"), m;

	(void)state;
	add_fx(db, 0, "lib/apk/db/installed", FX "apk/installed");
	assert_int_equal(ls_pkgdb_lookup(db, 0, "etc/motd", &o), 1);
	assert_int_equal(o.eco, LS_PKGDB_ECO_APK);
	assert_string_equal(o.display, "apk:alpine-baselayout-data 3.4.3-r2");
	assert_int_equal(o.alg, LS_PKGDB_ALG_SHA1);   /* Q1 */
	assert_int_equal(judge(db, 0, "etc/motd", motd), LS_PKGDB_VENDOR);
	m = edit(motd, "Welcome", "welcome");
	assert_int_equal(judge(db, 0, "etc/motd", m), LS_PKGDB_MODIFIED);
	assert_int_equal(judge_fx(db, 0, "etc/shells", FX "files/apk/etc/shells"),
			 LS_PKGDB_VENDOR);
	/* Q2: SHA-256 */
	assert_int_equal(ls_pkgdb_lookup(db, 0, "bin/busybox", &o), 1);
	assert_string_equal(o.display, "apk:busybox 1.36.1-r2");
	assert_int_equal(o.alg, LS_PKGDB_ALG_SHA256);
	assert_int_equal(judge_fx(db, 0, "bin/busybox", FX "files/apk/bin/busybox"),
			 LS_PKGDB_VENDOR);
	/* hex: MD5 (the fixture's digest matches nothing) */
	assert_int_equal(ls_pkgdb_lookup(db, 0, "etc/securetty", &o), 1);
	assert_int_equal(o.alg, LS_PKGDB_ALG_MD5);
	assert_int_equal(judge(db, 0, "etc/securetty", motd), LS_PKGDB_MODIFIED);
	/* no Z: owned, unverified */
	assert_int_equal(ls_pkgdb_lookup(db, 0, "etc/apk/world", &o), 1);
	assert_int_equal(o.alg, LS_PKGDB_ALG_NONE);
	assert_int_equal(judge(db, 0, "etc/apk/world", motd), LS_PKGDB_UNVERIFIED);
	/* not listed */
	assert_string_equal(owner_of(db, 0, "etc/hosts"), "-");
	assert_string_equal(owner_of(db, 0, "etc"), "-");
	free(motd.p);
	free(m.p);
	ls_pkgdb_free(db);
}

/* ---- wheel ---- */

static void test_wheel(void **state)
{
	struct ls_pkgdb *db = ls_pkgdb_new();
	struct ls_pkgdb_owner o;
	struct ls_pkgdb_stats st;
	struct blob pip = slurp(FX "files/wheel/bin/pip"), m;

	(void)state;
	add_fx(db, 0, SITE "pip-23.0.1.dist-info/RECORD", FX "wheel/RECORD");
	/* "../../../bin/pip" from usr/local/lib/python3.11/site-packages */
	assert_int_equal(ls_pkgdb_lookup(db, 0, "usr/local/bin/pip", &o), 1);
	assert_int_equal(o.eco, LS_PKGDB_ECO_WHEEL);
	assert_string_equal(o.display, "wheel:pip 23.0.1");
	assert_string_equal(o.name, "pip");
	assert_string_equal(o.version, "23.0.1");
	assert_int_equal(o.alg, LS_PKGDB_ALG_SHA256);
	assert_int_equal(judge(db, 0, "usr/local/bin/pip", pip), LS_PKGDB_VENDOR);
	assert_int_equal(judge(db, 0, "usr/local/bin/pip3.11", pip), LS_PKGDB_VENDOR);
	m = edit(pip, "import re", "import os");
	assert_int_equal(judge(db, 0, "usr/local/bin/pip", m), LS_PKGDB_MODIFIED);
	assert_int_equal(judge_fx(db, 0, SITE "pip/__init__.py", FX "files/wheel/pip/__init__.py"),
			 LS_PKGDB_VENDOR);
	/* RECORD's own line has no hash */
	assert_int_equal(ls_pkgdb_lookup(db, 0, SITE "pip-23.0.1.dist-info/RECORD", &o), 1);
	assert_int_equal(o.alg, LS_PKGDB_ALG_NONE);
	assert_string_equal(owner_of(db, 0, "usr/local/bin/pip4"), "-");
	assert_string_equal(owner_of(db, 0, "bin/pip"), "-");
	ls_pkgdb_stats(db, &st);
	assert_int_equal(st.claims, 506);
	assert_int_equal(st.skipped, 0);
	free(pip.p);
	free(m.p);
	ls_pkgdb_free(db);
}

static void test_pyc_derived(void **state)
{
	struct ls_pkgdb *db = ls_pkgdb_new();
	struct ls_pkgdb_owner o;
	struct blob rec = slurp(FX "wheel/RECORD"), pyc;

	(void)state;
	add_buf(db, 0, SITE "pip-23.0.1.dist-info/RECORD", rec);
	/* pip installed with --no-compile: no .pyc in RECORD */
	assert_int_equal(ls_pkgdb_lookup(db, 0, SITE "pip/__pycache__/__init__.cpython-311.pyc", &o), 1);
	assert_string_equal(o.display, "wheel:pip 23.0.1");
	assert_int_equal(o.alg, LS_PKGDB_ALG_NONE);
	assert_int_equal(o.flags, LS_PKGDB_DERIVED);
	assert_int_equal(judge(db, 0, SITE "pip/__pycache__/__init__.cpython-311.pyc", rec),
			 LS_PKGDB_UNVERIFIED);
	assert_int_equal(ls_pkgdb_lookup(db, 0, SITE "pip/__pycache__/__main__.cpython-311.opt-1.pyc", &o), 1);
	assert_int_equal(o.flags, LS_PKGDB_DERIVED);
	/* a module nobody owns, a .pyc outside __pycache__, a bare "x.pyc" */
	assert_string_equal(owner_of(db, 0, SITE "pip/__pycache__/mine.cpython-311.pyc"), "-");
	assert_string_equal(owner_of(db, 0, SITE "pip/__init__.pyc"), "-");
	assert_string_equal(owner_of(db, 0, SITE "pip/x__pycache__/__init__.cpython-311.pyc"), "-");
	assert_string_equal(owner_of(db, 0, "__pycache__/.pyc"), "-");
	assert_string_equal(owner_of(db, 0, "__pycache__/a.pyc"), "-");
	/* a .pyc RECORD lists without hash (pip compiled it): flagged too */
	pyc = edit(rec, "pip/__init__.py,", "pip/__pycache__/__init__.cpython-311.pyc,,\npip/__init__.py,");
	add_buf(db, 1, SITE "pip-23.0.1.dist-info/RECORD", pyc);
	assert_int_equal(ls_pkgdb_lookup(db, 1, SITE "pip/__pycache__/__init__.cpython-311.pyc", &o), 1);
	assert_int_equal(o.flags, LS_PKGDB_DERIVED);
	free(rec.p);
	free(pyc.p);
	ls_pkgdb_free(db);
}

/* ---- npm ---- */

static void npm_common(const struct ls_pkgdb *db, int layer)
{
	struct ls_pkgdb_owner o;

	assert_string_equal(owner_of(db, layer, "app/node_modules/ms/index.js"), "npm:ms@2.1.3");
	assert_string_equal(owner_of(db, layer, "app/node_modules/ms/package.json"), "npm:ms@2.1.3");
	/* nested: the deepest package directory */
	assert_string_equal(owner_of(db, layer, "app/node_modules/debug/node_modules/ms/index.js"),
			    "npm:ms@2.0.0");
	assert_string_equal(owner_of(db, layer, "app/node_modules/debug/src/node.js"),
			    "npm:debug@2.6.9");
	/* scoped */
	assert_string_equal(owner_of(db, layer, "app/node_modules/@types/node/fs/promises.d.ts"),
			    "npm:@types/node@20.19.43");
	/* a link (npm install ./mylib) and its target are the user's */
	assert_string_equal(owner_of(db, layer, "app/node_modules/mylib/index.js"), "-");
	assert_string_equal(owner_of(db, layer, "app/mylib/index.js"), "-");
	/* not in the lockfile: the user's */
	assert_string_equal(owner_of(db, layer, "app/node_modules/leftpad/index.js"), "-");
	assert_string_equal(owner_of(db, layer, "app/node_modules/@types/bun/index.d.ts"), "-");
	assert_string_equal(owner_of(db, layer, "app/node_modules/debug/node_modules/x/a.js"), "-");
	/* not in a package directory */
	assert_string_equal(owner_of(db, layer, "app/server.js"), "-");
	assert_string_equal(owner_of(db, layer, "app/node_modules/.package-lock.json"), "-");
	assert_string_equal(owner_of(db, layer, "app/node_modules/.bin/debug"), "-");
	assert_string_equal(owner_of(db, layer, "app/node_modules/ms"), "-");
	/* another project's node_modules */
	assert_string_equal(owner_of(db, layer, "other/node_modules/ms/index.js"), "-");
	/* no per-file hash: unverified */
	assert_int_equal(ls_pkgdb_lookup(db, layer, "app/node_modules/ms/index.js", &o), 1);
	assert_int_equal(o.alg, LS_PKGDB_ALG_NONE);
	assert_int_equal(ls_pkgdb_verdict(&o, NULL, 0), LS_PKGDB_UNVERIFIED);
}

static void test_npm_lock(void **state)
{
	struct ls_pkgdb *db = ls_pkgdb_new();
	struct blob lk = slurp(FX "npm/package-lock-resolved.json"), git, file;

	(void)state;
	add_buf(db, 0, "app/node_modules/.package-lock.json", lk);
	npm_common(db, 0);
	ls_pkgdb_free(db);

	/* npm's omit-lockfile-registry-resolved: version + integrity, no URL */
	db = ls_pkgdb_new();
	add_fx(db, 0, "app/node_modules/.package-lock.json", FX "npm/package-lock-noresolved.json");
	npm_common(db, 0);
	ls_pkgdb_free(db);

	/* edited copies: ms from git, from a file: tarball: the user's */
	git = edit(lk, "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz",
		   "git+ssh://git@github.com/vercel/ms.git#1304f150b38027e0f8d4b2e8fd6ad1be5bf7f73f");
	file = edit(lk, "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz", "file:../ms-2.1.3.tgz");
	db = ls_pkgdb_new();
	add_buf(db, 0, "app/node_modules/.package-lock.json", git);
	add_buf(db, 1, "app/node_modules/.package-lock.json", file);
	add_buf(db, 2, "app/node_modules/.package-lock.json", lk);
	assert_string_equal(owner_of(db, 0, "app/node_modules/ms/index.js"), "-");
	assert_string_equal(owner_of(db, 1, "app/node_modules/ms/index.js"), "-");
	assert_string_equal(owner_of(db, 2, "app/node_modules/ms/index.js"), "npm:ms@2.1.3");
	assert_string_equal(owner_of(db, 0, "app/node_modules/debug/index.js"), "npm:debug@2.6.9");
	/* a link is the user's even with a version and an integrity */
	{
		struct blob ln = edit(lk, "\"resolved\": \"mylib\",",
				      "\"version\": \"0.1.0\", \"integrity\": \"sha512-x\",");

		add_buf(db, 5, "app/node_modules/.package-lock.json", ln);
		assert_string_equal(owner_of(db, 5, "app/node_modules/mylib/index.js"), "-");
		assert_string_equal(owner_of(db, 5, "app/node_modules/ms/index.js"), "npm:ms@2.1.3");
		free(ln.p);
	}
	/* the lockfile deleted at layer 3 */
	ls_pkgdb_remove(db, 3, "app/node_modules/.package-lock.json");
	assert_string_equal(owner_of(db, 3, "app/node_modules/debug/index.js"), "-");
	free(lk.p);
	free(git.p);
	free(file.p);
	ls_pkgdb_free(db);
}

static void test_npm_package_json(void **state)
{
	struct ls_pkgdb *db = ls_pkgdb_new();

	(void)state;
	/* npm 6 wrote _resolved/_integrity: third-party without a lockfile */
	add_fx(db, 0, "old/node_modules/ms/package.json", FX "npm/npm6-ms-package.json");
	/* npm 11's package.json has neither: it vouches for nothing */
	add_fx(db, 0, "new/node_modules/ms/package.json", FX "npm/npm11-ms-package.json");
	assert_string_equal(owner_of(db, 0, "old/node_modules/ms/index.js"), "npm:ms@2.1.3");
	assert_string_equal(owner_of(db, 0, "new/node_modules/ms/index.js"), "-");
	/* a hidden lockfile governs once present, and it does not list ms */
	{
		struct blob lk = slurp(FX "npm/package-lock-resolved.json");
		struct blob nolist = edit(lk, "\"node_modules/ms\"", "\"node_modules/ms-not\"");

		add_buf(db, 1, "old/node_modules/.package-lock.json", nolist);
		assert_string_equal(owner_of(db, 0, "old/node_modules/ms/index.js"), "npm:ms@2.1.3");
		assert_string_equal(owner_of(db, 1, "old/node_modules/ms/index.js"), "-");
		free(lk.p);
		free(nolist.p);
	}
	ls_pkgdb_free(db);
}

/* ---- several ecosystems, verdict helpers ---- */

static void test_verdict_helpers(void **state)
{
	struct ls_pkgdb_owner o;
	unsigned char d[LS_PKGDB_DIGEST_MAX] = { 0 };

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_int_equal(ls_pkgdb_verdict(NULL, d, 16), LS_PKGDB_NOT_OWNED);
	assert_int_equal(ls_pkgdb_verdict(&o, d, 16), LS_PKGDB_NOT_OWNED);
	o.eco = LS_PKGDB_ECO_DPKG;
	assert_int_equal(ls_pkgdb_verdict(&o, d, 0), LS_PKGDB_UNVERIFIED);
	o.alg = LS_PKGDB_ALG_MD5;
	o.digest_len = 16;
	assert_int_equal(ls_pkgdb_verdict(&o, NULL, 0), LS_PKGDB_UNVERIFIED);
	assert_int_equal(ls_pkgdb_verdict(&o, d, 16), LS_PKGDB_VENDOR);
	d[15] = 1;
	assert_int_equal(ls_pkgdb_verdict(&o, d, 16), LS_PKGDB_MODIFIED);
	assert_string_equal(ls_pkgdb_verdict_name(LS_PKGDB_VENDOR), "vendor");
	assert_string_equal(ls_pkgdb_verdict_name(LS_PKGDB_MODIFIED), "modified");
	assert_string_equal(ls_pkgdb_verdict_name(LS_PKGDB_UNVERIFIED), "unverified");
	assert_string_equal(ls_pkgdb_verdict_name(LS_PKGDB_NOT_OWNED), "not-owned");
	assert_string_equal(ls_pkgdb_alg_name(LS_PKGDB_ALG_SHA256), "sha256");
	assert_int_equal(ls_pkgdb_alg_len(LS_PKGDB_ALG_SHA1), 20);
	assert_int_equal(ls_pkgdb_alg_len(LS_PKGDB_ALG_NONE), 0);
	/* known digests of "abc" */
	{
		static const unsigned char md5_abc[16] = {
			0x90, 0x01, 0x50, 0x98, 0x3c, 0xd2, 0x4f, 0xb0,
			0xd6, 0x96, 0x3f, 0x7d, 0x28, 0xe1, 0x7f, 0x72 };
		struct blob abc = { (char *)"abc", 3 };

		assert_int_equal(digest(LS_PKGDB_ALG_MD5, abc, d), 16);
		assert_memory_equal(d, md5_abc, 16);
	}
}

/* A path claimed by dpkg (with hash) and npm (without): dpkg wins. */
static void test_several_owners(void **state)
{
	struct ls_pkgdb *db = ls_pkgdb_new();
	struct ls_pkgdb_owner o;
	static const char list[] = "/.\n/usr\n/usr/lib\n/usr/lib/node_modules\n"
				   "/usr/lib/node_modules/ms\n"
				   "/usr/lib/node_modules/ms/index.js\n";
	static const char md5[] = "0123456789abcdef0123456789abcdef  usr/lib/node_modules/ms/index.js\n";
	static const char status[] = "Package: node-ms\nStatus: install ok installed\n"
				     "Architecture: all\nVersion: 2.1.3+~cs0.7.31-3\n";
	struct blob lk = slurp(FX "npm/package-lock-resolved.json");

	(void)state;
	add_buf(db, 0, "usr/lib/node_modules/.package-lock.json", lk);
	add_buf(db, 0, "var/lib/dpkg/info/node-ms.list", (struct blob){ (char *)list, sizeof(list) - 1 });
	add_buf(db, 0, "var/lib/dpkg/info/node-ms.md5sums", (struct blob){ (char *)md5, sizeof(md5) - 1 });
	add_buf(db, 0, "var/lib/dpkg/status", (struct blob){ (char *)status, sizeof(status) - 1 });
	assert_int_equal(ls_pkgdb_lookup(db, 0, "usr/lib/node_modules/ms/index.js", &o), 1);
	assert_string_equal(o.display, "dpkg:node-ms 2.1.3+~cs0.7.31-3");
	assert_int_equal(o.nowners, 2);
	assert_string_equal(owner_of(db, 0, "usr/lib/node_modules/ms/readme.md"), "npm:ms@2.1.3");
	free(lk.p);
	ls_pkgdb_free(db);
}

/* More claimants than lookup keeps apart (a directory every package
 * lists): the answer is still the best of all, in any order of adds. */
static void test_many_owners(void **state)
{
	struct ls_pkgdb *db[2] = { ls_pkgdb_new(), ls_pkgdb_new() };
	char status[200 * 64] = "", path[64], body[64];
	size_t sl = 0;

	(void)state;
	for (int i = 0; i < 150; i++)
		sl += (size_t)snprintf(status + sl, sizeof(status) - sl,
				       "Package: p%03d\nStatus: install ok installed\n"
				       "Version: 1\n\n", i);
	for (int k = 0; k < 2; k++) {
		add_buf(db[k], 0, "var/lib/dpkg/status", (struct blob){ status, sl });
		for (int j = 0; j < 150; j++) {
			int i = k ? 149 - j : j;
			int n = snprintf(body, sizeof(body), "/usr\n/usr/x\n");

			snprintf(path, sizeof(path), "var/lib/dpkg/info/p%03d.list", i);
			add_buf(db[k], 0, path, (struct blob){ body, (size_t)n });
			/* one package in the middle also has an md5 for /usr/x */
			if (i == 77) {
				n = snprintf(body, sizeof(body),
					     "0123456789abcdef0123456789abcdef  usr/x\n");
				snprintf(path, sizeof(path), "var/lib/dpkg/info/p%03d.md5sums", i);
				add_buf(db[k], 0, path, (struct blob){ body, (size_t)n });
			}
		}
	}
	for (int k = 0; k < 2; k++) {
		struct ls_pkgdb_owner o;

		assert_int_equal(ls_pkgdb_lookup(db[k], 0, "usr", &o), 1);
		assert_string_equal(o.display, "dpkg:p000 1");
		assert_int_equal(o.nowners, 150);
		assert_int_equal(ls_pkgdb_lookup(db[k], 0, "usr/x", &o), 1);
		assert_string_equal(o.display, "dpkg:p077 1");
		assert_int_equal(o.alg, LS_PKGDB_ALG_MD5);
		ls_pkgdb_free(db[k]);
	}
}

/* ---- malformed input and limits ---- */

static void test_malformed(void **state)
{
	struct ls_pkgdb *db = ls_pkgdb_new();
	struct ls_err err;
	struct ls_pkgdb_stats st;
	struct blob status = slurp(DPKG "status"), list = slurp(DPKG "info/netbase.list");
	char *junk, *big;
	size_t bign = LS_PKGDB_LINE_MAX + 100;

	(void)state;
	/* truncated: the status cut inside the netbase stanza, the list mid-line */
	{
		const char *cut = strstr(status.p, "Package: netbase");
		struct blob t;

		assert_non_null(cut);
		t.n = (size_t)(cut - status.p) +
		      strlen("Package: netbase\nStatus: install ok installed\n");
		t.p = ls_xmalloc(t.n);
		memcpy(t.p, status.p, t.n);
		add_buf(db, 0, "var/lib/dpkg/status", t);
		free(t.p);
		t.n = list.n - 5;
		t.p = ls_xmalloc(t.n);
		memcpy(t.p, list.p, t.n);
		add_buf(db, 0, "var/lib/dpkg/info/netbase.list", t);
		free(t.p);
		/* the stanza has Package and Status; the list lost its last line */
		assert_string_equal(owner_of(db, 0, "usr/share/doc/netbase"), "dpkg:netbase");
		assert_string_equal(owner_of(db, 0, "usr/share/doc/netbase/copyright"), "-");
	}
	/* binary junk with NUL bytes: a format error, nothing recorded */
	junk = ls_xmalloc(4096);
	for (size_t i = 0; i < 4096; i++)
		junk[i] = (char)((i * 2654435761u) >> 13);
	junk[100] = '\0';
	ls_err_clear(&err);
	assert_int_equal(ls_pkgdb_add(db, 1, "var/lib/dpkg/status", junk, 4096, &err), LS_EFORMAT);
	assert_string_equal(err.name, "var/lib/dpkg/status");
	assert_string_equal(owner_of(db, 1, "usr/share/doc/netbase"), "dpkg:netbase");   /* layer 0's */
	for (size_t k = 0; k < 7; k++) {
		static const char *const paths[] = {
			"var/lib/dpkg/info/x.list", "var/lib/dpkg/info/x.md5sums",
			"var/lib/dpkg/status.d/x", "lib/apk/db/installed",
			"site/x-1.dist-info/RECORD", "node_modules/.package-lock.json",
			"node_modules/x/package.json",
		};
		assert_int_equal(ls_pkgdb_add(db, 1, paths[k], junk, 4096, &err), LS_EFORMAT);
	}
	/* junk without NUL: lines skipped, no error */
	for (size_t i = 0; i < 4096; i++)
		if (!junk[i])
			junk[i] = 'x';
	{
		static const char *const paths[] = {
			"var/lib/dpkg/info/x.list", "var/lib/dpkg/info/x.md5sums",
			"var/lib/dpkg/status.d/x", "var/lib/dpkg/status.d/x.md5sums",
			"lib/apk/db/installed", "site/x-1.dist-info/RECORD",
		};
		for (size_t k = 0; k < ARRAY_SIZE(paths); k++) {
			int rc = ls_pkgdb_add(db, 2, paths[k], junk, 4096, &err);

			assert_true(rc == 0 || rc == LS_ELIMIT);
		}
	}
	ls_pkgdb_stats(db, &st);
	assert_true(st.skipped > 0);
	/* a line longer than LS_PKGDB_LINE_MAX: LS_ELIMIT with its line number;
	 * the file then owns nothing */
	big = ls_xmalloc(status.n + bign);
	memcpy(big, status.p, status.n);
	memset(big + status.n, 'a', bign - 1);
	big[status.n + bign - 1] = '\n';
	ls_err_clear(&err);
	assert_int_equal(ls_pkgdb_add(db, 3, "var/lib/dpkg/status", big, status.n + bign, &err),
			 LS_ELIMIT);
	assert_true(err.line > 100);
	assert_non_null(strstr(err.msg, "line longer"));
	assert_string_equal(owner_of(db, 3, "usr/share/doc/netbase"), "dpkg:netbase");   /* layer 0's */
	/* JSON: bad, an array, no "packages" */
	assert_int_equal(ls_pkgdb_add(db, 0, "node_modules/.package-lock.json", "{\"a\":", 5, &err),
			 LS_EFORMAT);
	assert_int_equal(ls_pkgdb_add(db, 0, "node_modules/.package-lock.json", "[1,2]", 5, &err),
			 LS_EFORMAT);
	assert_int_equal(ls_pkgdb_add(db, 0, "node_modules/.package-lock.json",
				      "{\"lockfileVersion\":1}", 21, &err),
			 LS_EFORMAT);
	assert_int_equal(ls_pkgdb_add(db, 0, "node_modules/x/package.json", "\"s\"", 3, &err),
			 LS_EFORMAT);
	/* odd entries in a good lockfile are skipped */
	{
		static const char lk[] = "{\"packages\":{\"\":{},\"node_modules/a\":1,"
			"\"node_modules/b\":{\"version\":\"1\",\"integrity\":\"sha512-x\"},"
			"\"node_modules/../../c\":{\"version\":\"1\",\"integrity\":\"x\"}}}";

		assert_int_equal(ls_pkgdb_add(db, 0, "p/node_modules/.package-lock.json",
					      lk, sizeof(lk) - 1, &err), 0);
		assert_string_equal(owner_of(db, 0, "p/node_modules/b/x.js"), "npm:b@1");
		assert_string_equal(owner_of(db, 0, "p/node_modules/a/x.js"), "-");
	}
	/* RECORD lines: climbing above the root, bad hashes, quotes */
	{
		static const char rec[] =
			"../../../../../../../etc/passwd,,\n"
			"a.py,sha256=!!!!,1\n"
			"b.py,md5=abc,1\n"
			"\"c,d.py\",sha512=abc,1\n"
			"\"unterminated,sha256=,1\n"
			",,\n"
			"noComma\n"
			"e.py,sha256=ungrouped-but-too-short,1\n";

		ls_pkgdb_stats(db, &st);
		size_t before = st.skipped;

		assert_int_equal(ls_pkgdb_add(db, 0, "s/x-1.dist-info/RECORD", rec,
					      sizeof(rec) - 1, &err), 0);
		assert_string_equal(owner_of(db, 0, "s/c,d.py"), "wheel:x 1");
		assert_string_equal(owner_of(db, 0, "etc/passwd"), "-");
		assert_string_equal(owner_of(db, 0, "s/a.py"), "-");
		ls_pkgdb_stats(db, &st);
		assert_int_equal(st.skipped - before, 7);
	}
	/* not a database path; a negative layer */
	assert_int_equal(ls_pkgdb_add(db, 0, "etc/passwd", "x", 1, &err), LS_EINVAL);
	assert_int_equal(ls_pkgdb_add(db, -1, "var/lib/dpkg/status", "x", 1, &err), LS_EINVAL);
	free(junk);
	free(big);
	free(status.p);
	free(list.p);
	ls_pkgdb_free(db);
}

static void test_limits(void **state)
{
	struct ls_pkgdb *db = ls_pkgdb_new();
	struct ls_err err;
	size_t n = LS_PKGDB_FILE_ENTRIES_MAX + 1, len = 3 * n;
	char *buf = ls_xmalloc(len), *huge;

	(void)state;
	/* LS_PKGDB_FILE_ENTRIES_MAX claims in one file (one package record
	 * and n lines: the package counts too) */
	for (size_t i = 0; i < n; i++)
		memcpy(buf + 3 * i, "/a\n", 3);
	ls_err_clear(&err);
	assert_int_equal(ls_pkgdb_add(db, 0, "var/lib/dpkg/info/x.list", buf, len, &err),
			 LS_ELIMIT);
	assert_non_null(strstr(err.msg, "entries"));
	assert_int_equal(ls_pkgdb_add(db, 0, "var/lib/dpkg/info/x.list", buf, len - 6, &err), 0);
	free(buf);
	/* LS_PKGDB_FILE_MAX bytes */
	huge = ls_xcalloc(1, (size_t)LS_PKGDB_FILE_MAX + 1);
	assert_int_equal(ls_pkgdb_add(db, 0, "var/lib/dpkg/status", huge,
				      (size_t)LS_PKGDB_FILE_MAX + 1, &err),
			 LS_ELIMIT);
	assert_non_null(strstr(err.msg, "larger than"));
	free(huge);
	/* LS_PKGDB_PATH_MAX */
	{
		char *p = ls_xmalloc(LS_PKGDB_PATH_MAX + 32);

		memset(p, 'd', LS_PKGDB_PATH_MAX + 32);
		memcpy(p + LS_PKGDB_PATH_MAX, "/var/lib/dpkg/status", 21);
		assert_int_equal(ls_pkgdb_add(db, 0, p, "x", 1, &err), LS_ELIMIT);
		free(p);
	}
	ls_pkgdb_free(db);
}

/* Random damage to every fixture: no crash, no leak, lookups still work. */
static void test_mutations(void **state)
{
	static const char *const fx[][2] = {
		{ "var/lib/dpkg/status", DPKG "status" },
		{ "var/lib/dpkg/info/adduser.list", DPKG "info/adduser.list" },
		{ "var/lib/dpkg/info/adduser.md5sums", DPKG "info/adduser.md5sums" },
		{ "var/lib/dpkg/status.d/netbase", FX "distroless/var/lib/dpkg/status.d/netbase" },
		{ "lib/apk/db/installed", FX "apk/installed" },
		{ SITE "pip-23.0.1.dist-info/RECORD", FX "wheel/RECORD" },
		{ "app/node_modules/.package-lock.json", FX "npm/package-lock-resolved.json" },
		{ "app/node_modules/ms/package.json", FX "npm/npm6-ms-package.json" },
	};
	uint32_t seed = 12345;
	struct ls_pkgdb *db = ls_pkgdb_new();

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(fx); k++) {
		struct blob b = slurp(fx[k][1]);

		for (int round = 0; round < 40; round++) {
			struct blob m;
			struct ls_err err;
			struct ls_pkgdb_owner o;

			m.n = b.n;
			m.p = ls_xmalloc(m.n);
			memcpy(m.p, b.p, m.n);
			for (int f = 0; f < 1 + round % 8; f++) {
				seed = seed * 1103515245u + 12345u;
				m.p[(seed >> 8) % m.n] = (char)(seed >> 3);
			}
			seed = seed * 1103515245u + 12345u;
			if (round % 3 == 0)
				m.n = (seed >> 8) % m.n;
			(void)ls_pkgdb_add(db, round, fx[k][0], m.p, m.n, &err);
			(void)ls_pkgdb_lookup(db, round, "usr/share/doc/adduser/TODO", &o);
			(void)ls_pkgdb_lookup(db, round, "etc/motd", &o);
			(void)ls_pkgdb_lookup(db, round, "usr/local/bin/pip", &o);
			(void)ls_pkgdb_lookup(db, round, "app/node_modules/ms/index.js", &o);
			free(m.p);
		}
		free(b.p);
	}
	ls_pkgdb_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_of),
		cmocka_unit_test(test_dpkg_vendor_and_modified),
		cmocka_unit_test(test_dpkg_missing_md5sums),
		cmocka_unit_test(test_dpkg_conffiles),
		cmocka_unit_test(test_dpkg_not_installed),
		cmocka_unit_test(test_order_independence),
		cmocka_unit_test(test_layers),
		cmocka_unit_test(test_distroless),
		cmocka_unit_test(test_usrmerge),
		cmocka_unit_test(test_rooted),
		cmocka_unit_test(test_apk),
		cmocka_unit_test(test_wheel),
		cmocka_unit_test(test_pyc_derived),
		cmocka_unit_test(test_npm_lock),
		cmocka_unit_test(test_npm_package_json),
		cmocka_unit_test(test_verdict_helpers),
		cmocka_unit_test(test_several_owners),
		cmocka_unit_test(test_many_owners),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
