/*
 * apk.c - Alpine's installed database (lib/apk/db/installed).
 *
 * Stanzas of "X:value" lines separated by blank lines (the Alpine wiki's
 * "Apk spec" page, database section).  What we read: P: the package name,
 * V: its version, F: a directory (relative to the root), R: a file in the
 * last F, Z: the checksum of the last R.  Checksums are "Q1" + base64 of
 * the SHA-1 (apk-tools 2), "Q2" + base64 of the SHA-256 (newer apk), or
 * 32 hex digits (MD5, old databases).  Everything else (A:, C:, M:, a:,
 * D:, ...) is skipped.  P: and V: come first in the stanzas apk writes;
 * a stanza whose files come before any P: owns nothing (counted skipped).
 *
 * A file's R: line is remembered until the next R:, F: or the end of the
 * stanza, so a Z: that follows it can still give it its hash.
 */
#include <string.h>

#include "source/pkgdb/internal.h"
#include "util/base64.h"
#include "util/hex.h"

struct apk_state {
	long pkg;                         /* -1 before the stanza's first file */
	const char *name, *version;
	size_t name_n, version_n;
	char dir[LS_PKGDB_PATH_MAX];
	int dirlen;                       /* -1: no F: yet */
	char file[LS_PKGDB_PATH_MAX];
	int filelen;                      /* -1: nothing pending */
};

static int flush(struct pdb_parse *ps, struct apk_state *st,
		 enum ls_pkgdb_alg alg, const unsigned char *digest)
{
	int rc;

	if (st->filelen < 0)
		return 0;
	rc = pdb_claim_add(ps, (uint32_t)st->pkg, CL_APK, st->file,
			   (size_t)st->filelen, alg, digest, 0);
	st->filelen = -1;
	return rc;
}

static void stanza_reset(struct apk_state *st)
{
	st->pkg = -1;
	st->name = st->version = NULL;
	st->name_n = st->version_n = 0;
	st->dirlen = -1;
	st->filelen = -1;
}

/* Decode a Z: value; the algorithm or LS_PKGDB_ALG_NONE if unreadable. */
static enum ls_pkgdb_alg checksum(const char *v, size_t n, unsigned char *out)
{
	unsigned char tmp[LS_BASE64_DECODED_MAX(64)];
	long got;

	if (n == 32 && !ls_hex_decode(v, 16, out))
		return LS_PKGDB_ALG_MD5;
	if (n < 3 || n > 64 || v[0] != 'Q' || (v[1] != '1' && v[1] != '2'))
		return LS_PKGDB_ALG_NONE;
	got = ls_base64_decode(v + 2, n - 2, tmp);
	if (v[1] == '1' && got == 20) {
		memcpy(out, tmp, 20);
		return LS_PKGDB_ALG_SHA1;
	}
	if (v[1] == '2' && got == 32) {
		memcpy(out, tmp, 32);
		return LS_PKGDB_ALG_SHA256;
	}
	return LS_PKGDB_ALG_NONE;
}

int pdb_apk_installed(struct pdb_parse *ps, const char *buf, size_t len)
{
	struct pdb_lines it;
	struct apk_state st;
	const char *line;
	size_t n;
	int rc;

	stanza_reset(&st);
	pdb_lines_init(&it, buf, len);
	while ((rc = pdb_lines_next(ps, &it, &line, &n)) > 0) {
		const char *v = line + 2;
		size_t vn = n >= 2 ? n - 2 : 0;

		if (!n) {
			if ((rc = flush(ps, &st, LS_PKGDB_ALG_NONE, NULL)) < 0)
				return rc;
			stanza_reset(&st);
			continue;
		}
		if (n < 2 || line[1] != ':') {
			ps->db->skipped++;
			continue;
		}
		switch (line[0]) {
		case 'P':
			st.name = v;
			st.name_n = vn;
			break;
		case 'V':
			st.version = v;
			st.version_n = vn;
			break;
		case 'F':
			if ((rc = flush(ps, &st, LS_PKGDB_ALG_NONE, NULL)) < 0)
				return rc;
			st.dirlen = vn ? pdb_path_join(st.dir, ps->path, ps->rootlen, v, vn)
				       : (int)ps->rootlen;
			if (!vn) {
				/* files at the root itself */
				memcpy(st.dir, ps->path, ps->rootlen);
				st.dir[ps->rootlen] = '\0';
			}
			if (st.dirlen < 0)
				ps->db->skipped++;
			break;
		case 'R':
			if ((rc = flush(ps, &st, LS_PKGDB_ALG_NONE, NULL)) < 0)
				return rc;
			if (st.pkg < 0 && st.name && st.name_n && st.name_n < 256) {
				st.pkg = pdb_pkg_add(ps, LS_PKGDB_ECO_APK, st.name,
						     st.name_n, st.version,
						     st.version_n, NULL, 0);
				if (st.pkg < 0)
					return (int)st.pkg;
			}
			if (st.pkg < 0 || st.dirlen < 0 || !vn ||
			    memchr(v, '/', vn)) {
				ps->db->skipped++;
				break;
			}
			st.filelen = pdb_path_join(st.file, st.dir, (size_t)st.dirlen,
						   v, vn);
			if (st.filelen < 0)
				ps->db->skipped++;
			break;
		case 'Z':
			if (st.filelen >= 0) {
				unsigned char d[LS_PKGDB_DIGEST_MAX];
				enum ls_pkgdb_alg alg = checksum(v, vn, d);

				if (alg == LS_PKGDB_ALG_NONE)
					ps->db->skipped++;
				if ((rc = flush(ps, &st, alg, d)) < 0)
					return rc;
			}
			break;
		default:
			break;
		}
	}
	if (rc < 0)
		return rc;
	return flush(ps, &st, LS_PKGDB_ALG_NONE, NULL);
}
