/*
 * wheel.c - what pip installed: <site>/<name>-<version>.dist-info/RECORD.
 *
 * RECORD is CSV (PEP 376, the wheel spec's "RECORD" section): one line
 * per installed file, "path,hash,size", hash "sha256=<urlsafe base64
 * without padding>" or empty (RECORD itself, .pyc files pip compiled).
 * Paths are relative to <site>, the dist-info directory's parent, and
 * climb out of it for scripts ("../../../bin/pip" from
 * lib/python3.11/site-packages); pdb_path_join resolves them, and refuses
 * one that climbs above the root.  A field may be quoted ("a,b.py") with
 * "" for a quote: only the path field is read that way, the hash never
 * holds a comma.
 *
 * The package's name and version come from the directory name: the wheel
 * spec escapes '-' in both, so the first '-' separates them.
 */
#include <string.h>

#include "source/pkgdb/internal.h"
#include "util/base64.h"

/* A SHA-256 in base64 takes 43 characters (44 padded). */
#define HASH_B64_MAX 64

/* The first CSV field of `s` (unquoted into `out`); returns the index of
 * the ',' after it, or -1. */
static long csv_field(const char *s, size_t n, char *out, size_t outsz,
		      size_t *outlen)
{
	size_t i = 0, o = 0;

	if (n && s[0] == '"') {
		for (i = 1; i < n; i++) {
			if (s[i] == '"') {
				if (i + 1 < n && s[i + 1] == '"') {
					i++;
				} else {
					i++;
					break;
				}
			}
			if (o + 1 >= outsz)
				return -1;
			out[o++] = s[i];
		}
		if (i >= n || s[i] != ',')
			return -1;
	} else {
		const char *c = memchr(s, ',', n);

		if (!c)
			return -1;
		i = (size_t)(c - s);
		if (i >= outsz)
			return -1;
		memcpy(out, s, i);
		o = i;
	}
	*outlen = o;
	return (long)i;
}

int pdb_wheel_record(struct pdb_parse *ps, const char *buf, size_t len)
{
	const char *rec = strrchr(ps->path, '/');   /* ".../x.dist-info/RECORD" */
	const char *dist, *dash;
	size_t sitelen, distlen;
	struct pdb_lines it;
	const char *line;
	size_t n;
	int rc;
	long pkg;

	dist = rec;
	while (dist > ps->path && dist[-1] != '/')
		dist--;
	sitelen = dist > ps->path ? (size_t)(dist - ps->path - 1) : 0;
	distlen = (size_t)(rec - dist) - strlen(".dist-info");
	dash = memchr(dist, '-', distlen);
	pkg = pdb_pkg_add(ps, LS_PKGDB_ECO_WHEEL, dist,
			  dash ? (size_t)(dash - dist) : distlen,
			  dash ? dash + 1 : NULL,
			  dash ? distlen - (size_t)(dash + 1 - dist) : 0, NULL, 0);
	if (pkg < 0)
		return (int)pkg;
	pdb_lines_init(&it, buf, len);
	while ((rc = pdb_lines_next(ps, &it, &line, &n)) > 0) {
		char rel[LS_PKGDB_PATH_MAX], path[LS_PKGDB_PATH_MAX];
		unsigned char d[LS_BASE64_DECODED_MAX(HASH_B64_MAX)];
		enum ls_pkgdb_alg alg = LS_PKGDB_ALG_NONE;
		size_t rellen, hn;
		const char *h, *hend;
		long c;
		int plen;

		if (!n)
			continue;
		c = csv_field(line, n, rel, sizeof(rel), &rellen);
		if (c < 0 || !rellen) {
			ps->db->skipped++;
			continue;
		}
		h = line + c + 1;
		hend = memchr(h, ',', n - (size_t)c - 1);
		hn = hend ? (size_t)(hend - h) : n - (size_t)c - 1;
		if (hn > 7 && !memcmp(h, "sha256=", 7)) {
			if (hn - 7 > HASH_B64_MAX ||
			    ls_base64_decode(h + 7, hn - 7, d) != 32) {
				ps->db->skipped++;
				continue;
			}
			alg = LS_PKGDB_ALG_SHA256;
		} else if (hn && (hn < 4 || memcmp(h, "sha", 3) || !memchr(h, '=', hn))) {
			ps->db->skipped++;
			continue;
		}
		plen = pdb_path_join(path, ps->path, sitelen, rel, rellen);
		if (plen < 0) {
			ps->db->skipped++;
			continue;
		}
		rc = pdb_claim_add(ps, (uint32_t)pkg, CL_WHEEL, path, (size_t)plen,
				   alg, d, 0);
		if (rc < 0)
			return rc;
	}
	return rc;
}
