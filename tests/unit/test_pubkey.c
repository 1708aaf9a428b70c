/*
 * test_pubkey.c - unit tests for finding/pubkey: private key -> SHA-256 of
 * the DER SubjectPublicKeyInfo, the published-key set, and the judgement
 * of private-key findings.
 *
 * The keys in fixtures/pubkeys were generated once with openssl and
 * ssh-keygen; fixtures/pubkeys/expected.tsv holds what openssl says their
 * fingerprints are (the README there has the commands).  Inputs are
 * copied into heap buffers of exactly their length, so a read past the
 * end shows under AddressSanitizer or valgrind.
 */
#define _GNU_SOURCE   /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding/finding.h"
#include "finding/pubkey.h"
#include "rules/rules.h"
#include "scan/scan.h"
#include "source/source.h"
#include "util/base64.h"
#include "util/err.h"
#include "util/xalloc.h"

#define DIR "fixtures/pubkeys/"

static char *exact(const char *s, size_t n)
{
	char *p = ls_xmalloc(n ? n : 1);

	memcpy(p, s, n);
	return p;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = ls_xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void hex(const unsigned char *fp, char out[2 * LS_PUBKEY_FP_LEN + 1])
{
	for (int i = 0; i < LS_PUBKEY_FP_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", fp[i]);
}

/* The fingerprint of text[0..n) as hex, or NULL; rc gets the result. */
static int fp_hex(const char *text, size_t n, char out[2 * LS_PUBKEY_FP_LEN + 1],
		  char type[LS_PUBKEY_TYPE_MAX])
{
	unsigned char fp[LS_PUBKEY_FP_LEN];
	struct ls_err err;
	char *p = exact(text, n);
	int rc;

	ls_err_clear(&err);
	rc = ls_pubkey_fingerprint(p, n, fp, type, &err);
	free(p);
	if (!rc)
		hex(fp, out);
	else
		assert_true(rc == LS_EFORMAT || rc == LS_EUNSUPPORTED);
	return rc;
}

static int fp_file(const char *name, char out[2 * LS_PUBKEY_FP_LEN + 1],
		   char type[LS_PUBKEY_TYPE_MAX])
{
	char path[256];
	size_t n;
	char *text;
	int rc;

	snprintf(path, sizeof(path), DIR "%s", name);
	text = slurp(path, &n);
	rc = fp_hex(text, n, out, type);
	free(text);
	return rc;
}

/* ---- every fixture against openssl ---- */

static void test_fixtures_match_openssl(void **state)
{
	size_t n, checked = 0, unreadable = 0;
	char *tsv = slurp(DIR "expected.tsv", &n);
	char *line = tsv, *next;

	(void)state;
	for (; line && *line; line = next) {
		char got[2 * LS_PUBKEY_FP_LEN + 1], type[LS_PUBKEY_TYPE_MAX];
		char *tab, *nl = strchr(line, '\n');
		int rc;

		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = 0;
		if (line[0] == '#' || !line[0])
			continue;
		tab = strchr(line, '\t');
		assert_non_null(tab);
		*tab = 0;
		rc = fp_file(line, got, type);
		if (!strcmp(tab + 1, "-")) {
			assert_int_equal(rc, LS_EUNSUPPORTED);
			unreadable++;
			continue;
		}
		if (rc)
			fail_msg("%s: rc %d", line, rc);
		if (strcmp(got, tab + 1))
			fail_msg("%s: got %s, openssl says %s", line, got, tab + 1);
		checked++;
	}
	free(tsv);
	assert_int_equal(checked, 25);
	assert_int_equal(unreadable, 2);
}

static void test_types(void **state)
{
	static const struct { const char *file, *type; } cases[] = {
		{ "rsa-pkcs1.pem", "rsa-1024" },
		{ "rsa-pkcs8.pem", "rsa-1024" },
		{ "rsa-pss-pkcs8.pem", "rsa-pss-1024" },
		{ "openssh-rsa.key", "rsa-1024" },
		{ "dsa-trad.pem", "dsa-1024" },
		{ "dsa-pkcs8.pem", "dsa-1024" },
		{ "ec-p256-sec1-nopub.pem", "ec-prime256v1" },
		{ "ec-p384-pkcs8.pem", "ec-secp384r1" },
		{ "ec-p521-sec1-nopub.pem", "ec-secp521r1" },
		{ "ec-k256-sec1.pem", "ec-secp256k1" },
		{ "openssh-ecdsa.key", "ec-prime256v1" },
		{ "ed25519-pkcs8.pem", "ed25519" },
		{ "openssh-ed25519-encrypted.key", "ed25519" },
		{ "ed448-pkcs8.pem", "ed448" },
		{ "x25519-pkcs8.pem", "x25519" },
		{ "x448-pkcs8.pem", "x448" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char got[2 * LS_PUBKEY_FP_LEN + 1], type[LS_PUBKEY_TYPE_MAX];
		assert_int_equal(fp_file(cases[i].file, got, type), 0);
		assert_string_equal(type, cases[i].type);
	}
}

/* Encrypted keys: the SHA-256 of the ciphertext, as sha256sum says. */
static void test_encrypted(void **state)
{
	size_t n, checked = 0;
	char *tsv = slurp(DIR "expected-encrypted.tsv", &n);
	unsigned char fp[LS_PUBKEY_FP_LEN];
	char got[2 * LS_PUBKEY_FP_LEN + 1], path[256];

	(void)state;
	for (char *line = tsv, *next; line && *line; line = next) {
		char *nl = strchr(line, '\n'), *tab, *text, *json;
		size_t tn, k = 0;

		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = 0;
		if (line[0] == '#' || !line[0])
			continue;
		tab = strchr(line, '\t');
		assert_non_null(tab);
		*tab = 0;
		snprintf(path, sizeof(path), DIR "%s", line);
		text = slurp(path, &tn);
		assert_int_equal(ls_pubkey_encrypted_fingerprint(text, tn, fp, NULL), 0);
		hex(fp, got);
		assert_string_equal(got, tab + 1);
		/* the same block as one JSON string */
		json = ls_xmalloc(2 * tn + 1);
		for (size_t i = 0; i < tn; i++) {
			if (text[i] == '\n') {
				json[k++] = '\\';
				json[k++] = 'n';
			} else {
				json[k++] = text[i];
			}
		}
		{
			char *j = exact(json, k);
			assert_int_equal(ls_pubkey_encrypted_fingerprint(j, k, fp, NULL), 0);
			free(j);
		}
		hex(fp, got);
		assert_string_equal(got, tab + 1);
		free(json);
		free(text);
		checked++;
	}
	free(tsv);
	assert_int_equal(checked, 2);
	/* an unencrypted key has no ciphertext fingerprint */
	{
		char *text = slurp(DIR "rsa-pkcs1.pem", &n);
		assert_int_equal(ls_pubkey_encrypted_fingerprint(text, n, fp, NULL),
				 LS_EUNSUPPORTED);
		free(text);
	}
}

/* ---- the armor as scanned files hold it ---- */

/* The base64 lines of a PEM text, each without its newline. */
static size_t body_lines(char *pem, char **lines, size_t max)
{
	size_t n = 0;

	for (char *p = pem; *p && n < max;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		if (strncmp(p, "-----", 5))
			lines[n++] = p;
		if (!nl)
			break;
		p = nl + 1;
	}
	return n;
}

static void test_escaped_forms(void **state)
{
	static const char *const forms[] = {
		/* before, between lines, after */
		"", "\n", "\n",                                   /* plain */
		"", "\r\n", "\r\n",                               /* CRLF */
		"    ", "\n    ", "\n    ",                       /* YAML */
		"", "\\n", "\\n",                                 /* JSON */
		"", "\\\\n", "\\\\n",                             /* JSON in JSON */
		"\\n\"\n  + \"", "\\n\"\n  + \"", "\\n\"\n  + \"", /* Java */
		"\\n'\n  '", "\\n'\n  '", "\\n'\n  '",            /* Python */
		"", "", "",                                       /* one line */
	};
	size_t n;
	char *pem = slurp(DIR "ec-p256-sec1.pem", &n);
	char want[2 * LS_PUBKEY_FP_LEN + 1], type[LS_PUBKEY_TYPE_MAX];
	char *lines[16];
	size_t nl;

	(void)state;
	assert_int_equal(fp_hex(pem, n, want, type), 0);
	nl = body_lines(pem, lines, 16);
	assert_true(nl >= 3);
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f += 3) {
		char buf[2048], got[2 * LS_PUBKEY_FP_LEN + 1];
		int k = snprintf(buf, sizeof(buf), "-----BEGIN EC PRIVATE KEY-----%s",
				 forms[f]);
		for (size_t i = 0; i < nl; i++)
			k += snprintf(buf + k, sizeof(buf) - (size_t)k, "%s%s",
				      lines[i], i + 1 < nl ? forms[f + 1] : forms[f + 2]);
		k += snprintf(buf + k, sizeof(buf) - (size_t)k,
			      "-----END EC PRIVATE KEY-----");
		if (fp_hex(buf, (size_t)k, got, type))
			fail_msg("form %zu not read: %s", f / 3, buf);
		assert_string_equal(got, want);
	}
	free(pem);
}

/* ---- malformed input: never a crash, never a made-up answer ---- */

static const char b64chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t b64_encode(const unsigned char *in, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)in[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = b64chars[(v >> 18) & 63];
		out[o++] = b64chars[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? b64chars[v & 63] : '=';
	}
	return o;
}

/* Decode a fixture's body; returns its DER length. */
static size_t fixture_der(const char *name, unsigned char *der, char *label,
			  size_t label_max)
{
	char path[256], *text, *b, *e, *body;
	size_t n, nb = 0;
	long dn;

	snprintf(path, sizeof(path), DIR "%s", name);
	text = slurp(path, &n);
	b = strstr(text, "-----BEGIN ");
	assert_non_null(b);
	e = strstr(b + 11, "-----");
	assert_non_null(e);
	snprintf(label, label_max, "%.*s", (int)(e - b - 11), b + 11);
	body = ls_xmalloc(n);
	for (char *p = e + 5; *p && strncmp(p, "-----END", 8); p++)
		if (!strchr(" \r\n", *p))
			body[nb++] = *p;
	dn = ls_base64_decode(body, nb, der);
	assert_true(dn > 0);
	free(body);
	free(text);
	return (size_t)dn;
}

static int try_der(const char *label, const unsigned char *der, size_t n)
{
	char *text = ls_xmalloc(n * 2 + 128), got[2 * LS_PUBKEY_FP_LEN + 1];
	char type[LS_PUBKEY_TYPE_MAX];
	int k = snprintf(text, 64, "-----BEGIN %s-----\n", label);
	int rc;

	k += (int)b64_encode(der, n, text + k);
	k += snprintf(text + k, 64, "\n-----END %s-----\n", label);
	rc = fp_hex(text, (size_t)k, got, type);
	free(text);
	return rc;
}

static void test_mutated_der(void **state)
{
	static const char *const files[] = {
		"rsa-pkcs1.pem", "rsa-pkcs8.pem", "rsa-pss-pkcs8.pem",
		"dsa-trad.pem", "dsa-pkcs8.pem", "ec-p256-sec1.pem",
		"ec-p256-sec1-nopub.pem", "ec-p384-pkcs8-nopub.pem",
		"ed25519-pkcs8.pem", "ed448-pkcs8.pem", "x25519-pkcs8.pem",
		"openssh-rsa.key", "openssh-ecdsa.key", "openssh-dsa.key",
		"openssh-ed25519.key", "openssh-ed25519-encrypted.key",
	};
	static const unsigned char vals[] = { 0x00, 0x01, 0x7f, 0x80, 0x81,
					      0x82, 0x83, 0x84, 0xff };
	unsigned char der[LS_PUBKEY_DER_MAX];
	size_t tried = 0, accepted = 0;

	(void)state;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char label[64];
		size_t n = fixture_der(files[f], der, label, sizeof(label));

		assert_int_equal(try_der(label, der, n), 0);
		/* every truncation */
		for (size_t cut = 0; cut < n; cut++) {
			try_der(label, der, cut);
			tried++;
		}
		/* every byte of the first 200 set to each of the values (the
		 * headers and lengths live there) */
		for (size_t i = 0; i < n && i < 200; i++) {
			unsigned char keep = der[i];
			for (size_t v = 0; v < sizeof(vals); v++) {
				der[i] = vals[v];
				if (!try_der(label, der, n))
					accepted++;
				tried++;
			}
			der[i] = keep;
		}
	}
	assert_true(tried > 10000);
	/* a mutation inside a key's number still reads: some are accepted */
	assert_true(accepted > 0);
}

static void test_malformed_text(void **state)
{
	static const char *const bad[] = {
		"",
		"-----BEGIN RSA PRIVATE KEY-----",
		"-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----",
		"-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END EC PRIVATE KEY-----",
		"-----BEGIN RSA PRIVATE KEY-----\n!!!!!!!!\n-----END RSA PRIVATE KEY-----",
		"-----BEGIN RSA PRIVATE KEY-----\nA\n-----END RSA PRIVATE KEY-----",
		"-----BEGIN RSA PRIVATE KEY-----\nAA==AA==\n-----END RSA PRIVATE KEY-----",
		"-----BEGIN RSA PRIVATE KEY-----\nMIIE\\x\n-----END RSA PRIVATE KEY-----",
		"-----BEGIN RSA PRIVATE KEY-----\n\\\n-----END RSA PRIVATE KEY-----",
		"-----BEGIN PRIVATE KEY-----\nMIQAAAAA\n-----END PRIVATE KEY-----",
		"-----BEGIN PRIVATE KEY-----\nMID/////\n-----END PRIVATE KEY-----",
		"-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----",
		"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA/////w==\n-----END OPENSSH PRIVATE KEY-----",
		"-----BEGIN EC PRIVATE KEY-----\n\"MHcC\n-----END EC PRIVATE KEY-----",
	};
	/* encrypted, or not a private key the module reads */
	static const char *const unsupported[] = {
		"-----BEGIN ",
		"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----",
		"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMIIE\n-----END RSA PRIVATE KEY-----",
		"-----BEGIN PGP PRIVATE KEY BLOCK-----\nxx\n-----END PGP PRIVATE KEY BLOCK-----",
	};
	char got[2 * LS_PUBKEY_FP_LEN + 1], type[LS_PUBKEY_TYPE_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (fp_hex(bad[i], strlen(bad[i]), got, type) != LS_EFORMAT)
			fail_msg("case %zu: not LS_EFORMAT", i);
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		assert_int_equal(fp_hex(unsupported[i], strlen(unsupported[i]), got,
					type), LS_EUNSUPPORTED);
}

/* A key larger than LS_PUBKEY_DER_MAX is refused, not read past. */
static void test_oversized(void **state)
{
	size_t n = LS_PUBKEY_DER_MAX / 3 * 4 + 400, k = 0;
	char *text = ls_xmalloc(n + 128), got[2 * LS_PUBKEY_FP_LEN + 1];
	char type[LS_PUBKEY_TYPE_MAX];

	(void)state;
	k += (size_t)snprintf(text, 64, "-----BEGIN RSA PRIVATE KEY-----\n");
	memcpy(text + k, "MIQ", 3);
	for (size_t i = 3; i < n; i++)
		text[k + i] = 'A';
	k += n;
	k += (size_t)snprintf(text + k, 64, "\n-----END RSA PRIVATE KEY-----");
	assert_int_equal(fp_hex(text, k, got, type), LS_EFORMAT);
	free(text);
}

/* ---- the published set ---- */

static void test_published_parse(void **state)
{
	static const char good[] =
		"# comment\n"
		"\n"
		"ff00000000000000000000000000000000000000000000000000000000000001\trsa-2048\tSomeone's tests (Debian x 1)\t/a\n"
		"0000000000000000000000000000000000000000000000000000000000000002\ted25519\tOther\n"
		"8000000000000000000000000000000000000000000000000000000000000003\tec\tThird\t/c";
	static const char *const bad[] = {
		"00\trsa\tx\n",
		"zz00000000000000000000000000000000000000000000000000000000000001\trsa\tx\n",
		"0000000000000000000000000000000000000000000000000000000000000001 rsa x\n",
		"0000000000000000000000000000000000000000000000000000000000000001\trsa\n",
		"0000000000000000000000000000000000000000000000000000000000000001\trsa\t\n",
	};
	unsigned char fp[LS_PUBKEY_FP_LEN] = { 0 };
	struct ls_published *set;
	struct ls_err err;
	char *text = exact(good, sizeof(good) - 1);

	(void)state;
	ls_err_clear(&err);
	set = ls_published_parse(text, sizeof(good) - 1, "t.tsv", &err);
	free(text);
	assert_non_null(set);
	assert_int_equal(ls_published_count(set), 3);
	fp[31] = 2;
	assert_string_equal(ls_published_find(set, fp), "Other");
	fp[0] = 0xff;
	fp[31] = 1;
	assert_string_equal(ls_published_find(set, fp),
			    "Someone's tests (Debian x 1)");
	fp[0] = 0x80;
	fp[31] = 3;
	assert_string_equal(ls_published_find(set, fp), "Third");
	fp[31] = 4;
	assert_null(ls_published_find(set, fp));
	ls_published_free(set);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = strlen(bad[i]);
		char *b = exact(bad[i], n);
		char *two = ls_xasprintf("# ok\n%s", bad[i]);
		ls_err_clear(&err);
		assert_null(ls_published_parse(b, n, "t.tsv", &err));
		assert_int_equal(err.code, LS_EFORMAT);
		assert_int_equal(err.line, 1);
		assert_null(ls_published_parse(two, strlen(two), "t.tsv", &err));
		assert_int_equal(err.line, 2);
		free(b);
		free(two);
	}
	assert_null(ls_published_find(NULL, fp));
}

/* The built-in set has the keys of patterns/published-keys.tsv. */
static void test_published_default(void **state)
{
	size_t n;
	char *tsv = slurp("patterns/published-keys.tsv", &n);
	const struct ls_published *set = ls_published_default();
	size_t lines = 0;

	(void)state;
	for (char *l = tsv; l && *l;) {
		char *nl = strchr(l, '\n');
		if (*l != '#' && *l != '\n') {
			unsigned char fp[LS_PUBKEY_FP_LEN];
			for (int i = 0; i < LS_PUBKEY_FP_LEN; i++) {
				char two[3] = { l[2 * i], l[2 * i + 1], 0 }, *e;
				fp[i] = (unsigned char)strtoul(two, &e, 16);
				assert_true(*e == 0 && e == two + 2);
			}
			assert_non_null(ls_published_find(set, fp));
			lines++;
		}
		l = nl ? nl + 1 : NULL;
	}
	free(tsv);
	assert_true(lines >= 25);
	assert_int_equal(ls_published_count(set), lines);
	assert_ptr_equal(ls_published_default(), set);
}

/* ---- scanning: library self-test keys inside the library are info ---- */

struct scanned {
	struct ls_ruleset *rs;
	struct ls_diag d;
	struct ls_scan s;
};

/* Scan a fixture as the file `path` with the default private-key rules. */
static void scan_fixture(struct scanned *sc, const char *fixture,
			 const char *path)
{
	struct ls_scan_opts opts = { .threads = 1 };
	struct ls_worker *w;
	struct ls_item it;
	size_t n;
	char *bin = slurp(fixture, &n);

	assert_non_null(memchr(bin, 0, n));   /* binary, NUL-separated */
	sc->rs = ls_ruleset_new();
	ls_diag_init(&sc->d);
	assert_int_equal(ls_ruleset_load_default_file(sc->rs, "private-key.toml",
						      &sc->d), 0);
	ls_ruleset_compile(sc->rs, &sc->d);
	assert_int_equal(ls_diag_errors(&sc->d), 0);
	ls_scan_init(&sc->s, sc->rs, &opts);
	w = ls_worker_new(&sc->s);
	memset(&it, 0, sizeof(it));
	it.source = LS_SOURCE_FILE;
	it.path = (char *)path;
	it.history_index = -1;
	assert_int_equal(ls_worker_scan_buffer(w, &it, bin, n), 0);
	ls_worker_free(w);
	free(bin);
}

static void scanned_release(struct scanned *sc)
{
	ls_scan_release(&sc->s);
	ls_diag_release(&sc->d);
	ls_ruleset_free(sc->rs);
}

static void test_gnutls_binary(void **state)
{
	struct scanned sc;
	size_t gost = 0;

	(void)state;
	scan_fixture(&sc, DIR "gnutls-selftest-keys.bin",
		     "usr/lib/x86_64-linux-gnu/libgnutls.so.30");
	/* the six blocks with a line break after BEGIN (three GOST keys, EC
	 * P-256, DSA, RSA) */
	assert_int_equal(sc.s.findings.n, 6);
	for (size_t i = 0; i < sc.s.findings.n; i++) {
		const struct ls_finding *f = sc.s.findings.v[i];
		char got[2 * LS_PUBKEY_FP_LEN + 1], type[LS_PUBKEY_TYPE_MAX];

		assert_string_equal(f->rule->id, "private-key");
		assert_int_equal(f->severity, LS_SEV_INFO);
		assert_non_null(f->note);
		assert_string_equal(f->note,
				    "a published test key from GnuTLS's self-tests (Debian libgnutls30 3.7.9-2+deb12u7)");
		assert_int_equal(fp_hex(f->secret, f->secret_len, got, type), 0);
		gost += !strncmp(type, "gost", 4);
	}
	assert_int_equal(gost, 3);
	scanned_release(&sc);
}

/* mbedTLS's encrypted test key (CRLF, Proc-Type headers) in libmbedx509 */
static void test_mbedtls_encrypted_binary(void **state)
{
	struct scanned sc;
	const struct ls_finding *f;

	(void)state;
	scan_fixture(&sc, DIR "mbedtls-encrypted-ec.bin",
		     "usr/lib/x86_64-linux-gnu/libmbedx509.so.1");
	assert_int_equal(sc.s.findings.n, 1);
	f = sc.s.findings.v[0];
	assert_string_equal(f->rule->id, "private-key-encrypted");
	assert_int_equal(f->severity, LS_SEV_INFO);
	assert_string_equal(f->note,
			    "a published test key from mbedTLS's test certificates (Debian libmbedx509-1 2.28.3-1)");
	scanned_release(&sc);
}

/* A fresh key stays critical; a rule without the tag is left alone. */
static void test_judge(void **state)
{
	struct ls_ruleset *rs = ls_ruleset_new();
	struct ls_diag d;
	struct ls_rule tagless = { 0 }, *pk = NULL;
	struct ls_finding *f;
	size_t n;
	char *fresh = slurp(DIR "rsa-pkcs1.pem", &n);
	char *bin, *b, *e;

	(void)state;
	ls_diag_init(&d);
	assert_int_equal(ls_ruleset_load_default_file(rs, "private-key.toml", &d), 0);
	ls_ruleset_compile(rs, &d);
	pk = (struct ls_rule *)ls_ruleset_find(rs, "private-key");
	assert_non_null(pk);

	f = ls_finding_new(pk);
	f->secret = fresh;
	f->secret_len = n;
	assert_int_equal(ls_pubkey_judge_finding(f), 0);
	assert_int_equal(f->severity, LS_SEV_CRITICAL);
	assert_null(f->note);
	ls_finding_free(f);

	/* GnuTLS's DSA key, with a note already there */
	bin = slurp(DIR "gnutls-selftest-keys.bin", &n);
	b = memmem(bin, n, "-----BEGIN DSA", 14);
	assert_non_null(b);
	e = strstr(b, "-----END DSA PRIVATE KEY-----");
	assert_non_null(e);
	e += strlen("-----END DSA PRIVATE KEY-----");
	f = ls_finding_new(pk);
	f->secret = ls_xstrndup(b, (size_t)(e - b));
	f->secret_len = (size_t)(e - b);
	f->note = ls_xstrdup("in layer 0");
	assert_int_equal(ls_pubkey_judge_finding(f), 1);
	assert_int_equal(f->severity, LS_SEV_INFO);
	assert_string_equal(f->note,
			    "a published test key from GnuTLS's self-tests (Debian libgnutls30 3.7.9-2+deb12u7); in layer 0");
	/* the same secret under a rule without the tag */
	f->severity = LS_SEV_HIGH;
	f->rule = &tagless;
	assert_int_equal(ls_pubkey_judge_finding(f), 0);
	assert_int_equal(f->severity, LS_SEV_HIGH);
	ls_finding_free(f);

	free(bin);
	ls_diag_release(&d);
	ls_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_match_openssl),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_escaped_forms),
		cmocka_unit_test(test_mutated_der),
		cmocka_unit_test(test_malformed_text),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_published_parse),
		cmocka_unit_test(test_published_default),
		cmocka_unit_test(test_gnutls_binary),
		cmocka_unit_test(test_mbedtls_encrypted_binary),
		cmocka_unit_test(test_judge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
