/*
 * test_util.c - unit tests for the small pure helpers: entropy, base64,
 * the crc32-base62 validator, redaction, error sanitizing, fingerprints and
 * the findings sort order.
 *
 * Inputs are copied into heap buffers of exactly their length (no NUL after
 * them) where the function takes a length, so a read past the end shows up
 * under AddressSanitizer or valgrind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding/finding.h"
#include "finding/fingerprint.h"
#include "report/report.h"
#include "rules/entropy.h"
#include "rules/validate.h"
#include "util/jsonesc.h"
#include "util/xmlent.h"
#include "util/base64.h"
#include "util/err.h"
#include "util/xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* An exact-size heap copy of n bytes of s (no terminator). */
static char *exact(const char *s, size_t n)
{
	char *p = ls_xmalloc(n ? n : 1);

	memcpy(p, s, n);
	return p;
}

/* ---- entropy ---- */

static double entropy_of(const char *s, size_t n)
{
	char *p = exact(s, n);
	double h = ls_entropy(p, n);

	free(p);
	return h;
}

static void test_entropy_known_values(void **state)
{
	static const struct {
		const char *s;
		double want;
	} cases[] = {
		{ "", 0.0 },
		{ "a", 0.0 },
		{ "aaaa", 0.0 },
		{ "ab", 1.0 },
		{ "aabb", 1.0 },
		{ "abcd", 2.0 },
		{ "0123456789abcdef", 4.0 },
		{ "aab", 0.9182958340544896 },   /* -(2/3 log 2/3 + 1/3 log 1/3) */
		{ "ABab", 2.0 },                 /* case matters: bytes */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		double h = entropy_of(cases[i].s, strlen(cases[i].s));
		if (fabs(h - cases[i].want) > 1e-9)
			fail_msg("entropy(\"%s\") = %.12f, want %.12f",
				 cases[i].s, h, cases[i].want);
	}
}

static void test_entropy_counts_bytes(void **state)
{
	/* "é" is two bytes; a NUL and a 0xff byte are symbols like any other */
	static const char utf8[] = "\xc3\xa9";
	static const char mixed[] = { '\0', (char)0xff, 'a', 'b' };
	unsigned char all[256];

	(void)state;
	assert_true(fabs(entropy_of(utf8, 2) - 1.0) < 1e-9);
	assert_true(fabs(entropy_of(mixed, sizeof(mixed)) - 2.0) < 1e-9);
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	assert_true(fabs(entropy_of((const char *)all, 256) - 8.0) < 1e-9);
}

static int entropy_ok_of(const char *s, double min)
{
	size_t n = strlen(s);
	char *p = exact(s, n);
	int ok = ls_entropy_ok(p, n, ls_entropy(p, n), min);

	free(p);
	return ok;
}

static void test_entropy_hex_bar(void **state)
{
	(void)state;
	/* no minimum: anything passes */
	assert_true(entropy_ok_of("aaaa", 0));
	/* 3.48 bits: under 3.5 as base62 would be, over 2.5 as hex is judged */
	assert_true(entropy_ok_of("8711fa13fe8676f2bbc57a2bef73a65f", 3.5));
	assert_true(entropy_ok_of("8711FA13FE8676F2BBC57A2BEF73A65F", 3.5));
	/* the same letters moved out of hex (a->g ... f->l): the same 3.48 bits,
	 * judged at 3.5 */
	assert_false(entropy_ok_of("8711gl13lk8676l2hhi57g2hkl73g65l", 3.5));
	/* under 16 digits hex gets no allowance */
	assert_false(entropy_ok_of("99d4d826a8c9b5", 3.5));
	/* a hex run still needs more than the lowered bar: deadbeef x4 is 2.16 */
	assert_false(entropy_ok_of("deadbeefdeadbeefdeadbeefdeadbeef", 3.5));
	/* the lowered bar is strict too: 0123456789abcdef is 4.0, not above
	 * 5.0 - 1, but above 4.9 - 1 */
	assert_false(entropy_ok_of("0123456789abcdef", 5.0));
	assert_true(entropy_ok_of("0123456789abcdef", 4.9));
}

/* ---- base64 ---- */

struct b64_case {
	const char *in;
	const char *want;   /* NULL: must be rejected */
	size_t want_len;
};

static void test_base64_table(void **state)
{
	static const struct b64_case cases[] = {
		{ "", "", 0 },
		{ "QQ==", "A", 1 },
		{ "QQ", "A", 1 },                  /* padding optional */
		{ "QUI=", "AB", 2 },
		{ "QUI", "AB", 2 },
		{ "QUJD", "ABC", 3 },
		{ "QUJDRA==", "ABCD", 4 },
		{ "dXNlcjpTM2NyM3RQYXNzdzByZFh5Wg==", "user:S3cr3tPassw0rdXyZ", 22 },
		{ "+/+/", "\xfb\xff\xbf", 3 },     /* standard alphabet */
		{ "-_-_", "\xfb\xff\xbf", 3 },     /* URL alphabet */
		{ "AAAA", "\0\0\0", 3 },           /* NUL bytes decode */
		{ "Q", NULL, 0 },                  /* len % 4 == 1 */
		{ "QUJDR", NULL, 0 },              /* len % 4 == 1 */
		{ "QUJDR===", NULL, 0 },           /* after padding: % 4 == 1 */
		{ "QU JD", NULL, 0 },              /* whitespace is not skipped */
		{ "QUJ\nD", NULL, 0 },
		{ "QU=D", NULL, 0 },               /* padding in the middle */
		{ "QUJ*", NULL, 0 },
		{ "QUJ\x80", NULL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t n = strlen(cases[i].in);
		char *in = exact(cases[i].in, n);
		unsigned char *out = ls_xmalloc(LS_BASE64_DECODED_MAX(n));
		long got = ls_base64_decode(in, n, out);

		if (!cases[i].want) {
			if (got != -1)
				fail_msg("base64 \"%s\": want -1, got %ld",
					 cases[i].in, got);
		} else {
			if (got != (long)cases[i].want_len ||
			    memcmp(out, cases[i].want, cases[i].want_len))
				fail_msg("base64 \"%s\": got %ld bytes, want %zu",
					 cases[i].in, got, cases[i].want_len);
		}
		free(in);
		free(out);
	}
}

/* Round trip against an encoder written here, every length 0..64. */
static size_t b64_encode(const unsigned char *in, size_t n, char *out,
			 int url, int pad)
{
	const char *alpha = url
		? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		size_t k = n - i < 3 ? n - i : 3;
		if (k > 1)
			v |= (unsigned)in[i + 1] << 8;
		if (k > 2)
			v |= in[i + 2];
		out[o++] = alpha[(v >> 18) & 63];
		out[o++] = alpha[(v >> 12) & 63];
		if (k > 1)
			out[o++] = alpha[(v >> 6) & 63];
		else if (pad)
			out[o++] = '=';
		if (k > 2)
			out[o++] = alpha[v & 63];
		else if (pad)
			out[o++] = '=';
	}
	return o;
}

static void test_base64_round_trip(void **state)
{
	unsigned char data[64], out[LS_BASE64_DECODED_MAX(100)];
	char enc[100];
	unsigned seed = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++) {
		seed = seed * 1103515245u + 12345u;
		data[i] = (unsigned char)(seed >> 16);
	}
	for (size_t n = 0; n <= sizeof(data); n++) {
		for (int mode = 0; mode < 4; mode++) {
			size_t el = b64_encode(data, n, enc, mode & 1, mode & 2);
			char *in = exact(enc, el);
			long got = ls_base64_decode(in, el, out);
			free(in);
			if (got != (long)n || memcmp(out, data, n))
				fail_msg("round trip n=%zu mode=%d: got %ld", n,
					 mode, got);
			assert_true((size_t)got <= LS_BASE64_DECODED_MAX(el));
		}
	}
}

/* ---- crc32-base62 ---- */

static int validate_str(const char *s)
{
	size_t n = strlen(s);
	char *p = exact(s, n);
	int r = ls_validate_crc32_base62(p, n);

	free(p);
	return r;
}

static void xml_case(const char *in, const char *want, size_t want_refs)
{
	size_t len = strlen(in), n, refs;
	char *buf = malloc(len ? len : 1);
	unsigned char *out = malloc(len + 1);
	uint16_t *pos = malloc((len + 1) * sizeof(*pos));

	assert_non_null(buf);
	assert_non_null(out);
	assert_non_null(pos);
	memcpy(buf, in, len);             /* no NUL after the input */
	n = ls_xml_unescape(buf, len, out, pos, &refs);
	out[n] = '\0';
	if (strcmp((char *)out, want) || refs != want_refs)
		fail_msg("'%s': got '%s' (%zu), want '%s' (%zu)", in,
			 (char *)out, refs, want, want_refs);
	/* every output byte points at its source; the last entry at len */
	assert_int_equal(pos[n], len);
	for (size_t j = 0; j < n; j++) {
		assert_true(pos[j] < len);
		if (j)
			assert_true(pos[j] > pos[j - 1]);
	}
	free(buf);
	free(out);
	free(pos);
}

static void test_xml_unescape(void **state)
{
	(void)state;
	xml_case("a &quot;b&quot; &apos;c&apos;", "a \"b\" 'c'", 4);
	xml_case("&amp;&lt;&gt;", "&<>", 3);
	xml_case("&#39;x&#039;&#x27;&#X22;", "'x''\"", 4);
	/* not replaced: unknown names, non-ASCII, NUL, no ';' */
	xml_case("&nbsp;&#233;&#0;&#x1F600;&quot",
		 "&nbsp;&#233;&#0;&#x1F600;&quot", 0);
	xml_case("&#39", "&#39", 0);
	xml_case("&", "&", 0);
	xml_case("", "", 0);
	/* a numeric reference is not read past six digits */
	xml_case("&#0000039;", "&#0000039;", 0);
}

static void json_case(const char *in, const char *want, size_t want_refs)
{
	size_t len = strlen(in), n, refs;
	char *buf = malloc(len ? len : 1);
	unsigned char *out = malloc(len + 1);
	uint16_t *pos = malloc((len + 1) * sizeof(*pos));

	assert_non_null(buf);
	assert_non_null(out);
	assert_non_null(pos);
	memcpy(buf, in, len);             /* no NUL after the input */
	n = ls_json_unescape(buf, len, out, pos, &refs);
	out[n] = '\0';
	if (strcmp((char *)out, want) || refs != want_refs)
		fail_msg("'%s': got '%s' (%zu), want '%s' (%zu)", in,
			 (char *)out, refs, want, want_refs);
	assert_int_equal(pos[n], len);
	for (size_t j = 0; j < n; j++) {
		assert_true(pos[j] < len);
		if (j)
			assert_true(pos[j] > pos[j - 1]);
	}
	free(buf);
	free(out);
	free(pos);
}

static void test_json_unescape(void **state)
{
	(void)state;
	json_case("https:\\/\\/h.example\\/x", "https://h.example/x", 3);
	json_case("a\\u003d\\u003D \\\"q\\\" \\\\ \\n\\t\\r",
		  "a== \"q\" \\ \n\t\r", 8);
	/* not replaced: non-ASCII, NUL, short or bad \u, other escapes */
	json_case("\\u00e9\\u0000\\u12\\uzzzz\\b\\x",
		  "\\u00e9\\u0000\\u12\\uzzzz\\b\\x", 0);
	json_case("\\", "\\", 0);
	json_case("", "", 0);
	/* an escaped backslash is one escape: \\/ is a backslash and a slash */
	json_case("\\\\/", "\\/", 1);
}

static void test_validate_crc32_base62(void **state)
{
	static const struct {
		const char *tok;
		int want;
	} cases[] = {
		{ "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", 1 },
		/* one body character changed */
		{ "ghp_zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ1mLq17", 0 },
		/* checksum case matters (base62 is case-sensitive) */
		{ "ghp_zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ0mlq17", 0 },
		/* a lookalike from documentation: wrong checksum */
		{ "gho_16C7e42F292c6912E7710c838347Ae178B4a", 0 },
		/* the same body with its right checksum */
		{ "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", 1 },
		{ "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", 1 },
		{ "npm_Q9xT4mZp7LwR2vK8sN3bH6yJ0cF5dG4KfvSM", 0 },
		/* the prefix runs to the LAST '_' */
		{ "x_y_aaa4OWxsj", 1 },
		{ "x_aaa4OWxsj", 1 },
		/* too short: a body of six characters or fewer */
		{ "ghp_", 0 },
		{ "ghp_abcdef", 0 },
		{ "ghp_4OWxsj", 0 },
		{ "", 0 },
		{ "_", 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (validate_str(cases[i].tok) != cases[i].want)
			fail_msg("crc32-base62(\"%s\") != %d", cases[i].tok,
				 cases[i].want);
	/* ls_validate dispatches */
	assert_int_equal(ls_validate(LS_VALIDATE_NONE, "x", 1), 1);
	assert_int_equal(ls_validate(LS_VALIDATE_CRC32_BASE62, "ghp_abcdef",
				     10), 0);
	assert_int_equal(ls_validate(LS_VALIDATE_CRC32_BASE62,
				     "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",
				     40), 1);
}

/* The length is honoured: a valid token followed by more bytes is not. */
static void test_validate_uses_length(void **state)
{
	const char *tok = "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XYZ";

	(void)state;
	assert_int_equal(ls_validate_crc32_base62(tok, 40), 1);
	assert_int_equal(ls_validate_crc32_base62(tok, 43), 0);
	assert_int_equal(ls_validate_crc32_base62(tok, 39), 0);
	/* the mismatch validator is its negation */
	assert_int_equal(ls_validate(LS_VALIDATE_CRC32_BASE62_MISMATCH, tok, 40), 0);
	assert_int_equal(ls_validate(LS_VALIDATE_CRC32_BASE62_MISMATCH, tok, 39), 1);
	assert_int_equal(ls_validate(LS_VALIDATE_CRC32_BASE62, tok, 40), 1);
}

/*
 * bip39: 12..24 list words with a correct checksum, anywhere in the run
 * (longest first); a changed word, a word not in the list, or fewer than
 * 12 words fail.  The mnemonics are random (python3 secrets), encoded per
 * the BIP.
 */
static void test_validate_bip39(void **state)
{
	static const char m12[] = "pave rocket tide caution ozone palm flip catalog observe avoid extend soul";
	static const char m24[] = "raccoon move series gesture flush solve grit praise notable couch brush skill welcome steak output play clarify visit dawn spin above verb online blanket";
	static const char bad[] = "inflict balance garlic truth finish cousin acid abstract elegant region athlete donor";
	char buf[512];

	(void)state;
	assert_int_equal(ls_validate_bip39(m12, strlen(m12)), 1);
	assert_int_equal(ls_validate_bip39(m24, strlen(m24)), 1);
	assert_int_equal(ls_validate_bip39(bad, strlen(bad)), 0);
	/* the mnemonic inside a longer run of words, numbered on lines */
	snprintf(buf, sizeof(buf), "keep safe %s then restore", m12);
	assert_int_equal(ls_validate_bip39(buf, strlen(buf)), 1);
	/* eleven of its words are not enough */
	assert_int_equal(ls_validate_bip39(m12, (size_t)(strrchr(m12, ' ') - m12)),
			 0);
	/* a word that is not in the list breaks the run */
	snprintf(buf, sizeof(buf), "%s", m12);
	memcpy(buf, "zzzz", 4);
	assert_int_equal(ls_validate_bip39(buf, strlen(buf)), 0);
	assert_int_equal(ls_validate(LS_VALIDATE_BIP39, m24, strlen(m24)), 1);
}

/* ---- redaction and printable copies ---- */

static void test_redact(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} cases[] = {
		{ "", 0, "..." },
		{ "abc", 3, "..." },                      /* quarter of 3 = 0 */
		{ "abcdefgh", 8, "ab..." },
		{ "abcdefghijklmnop", 16, "abcd..." },
		{ "abcdefghijklmnopqrstuvwxyz", 26, "abcd..." },  /* cap 4 */
		{ "a\nbcdefghijklmnop", 17, "a..." },    /* stops at control */
		{ "\x1b[31mabcdefghijklmn", 19, "..." },
		{ "ab\0cdefghijklmnop", 17, "ab..." },   /* NUL is control */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *in = exact(cases[i].in, cases[i].len);
		char *r = ls_redact(in, cases[i].len);
		if (strcmp(r, cases[i].want))
			fail_msg("redact case %zu: got \"%s\", want \"%s\"", i,
				 r, cases[i].want);
		free(r);
		free(in);
	}
}

static void test_printable(void **state)
{
	static const char in[] = "a\tb\nc\x7f" "d\0e\x1b" "f\xc3\xa9";
	char *p;

	(void)state;
	p = ls_printable(in, sizeof(in) - 1);
	assert_int_equal(strlen(p), sizeof(in) - 1);
	assert_string_equal(p, "a?b?c?d?e?f\xc3\xa9");
	free(p);
	p = ls_printable("", 0);
	assert_string_equal(p, "");
	free(p);
}

/* ---- ls_err ---- */

static void test_err_sanitize(void **state)
{
	static const struct {
		const char *in;
		size_t n;
		const char *want;
	} cases[] = {
		{ "hello", 16, "hello" },
		{ "a\nb\rc\x1b[0m\x7f", 16, "a?b?c?[0m?" },
		{ "abcdefg", 8, "abcdefg" },         /* exactly fits */
		{ "abcdefgh", 8, "abcd..." },        /* one too many */
		{ "abcdefghijklmnopqrstuvwxyz", 8, "abcd..." },
		{ "abcdefghijklmnopqrstuvwxyz", 4, "..." },
		{ "abcdef", 3, "ab" },               /* too small for "..." */
		{ "abcdef", 1, "" },
		{ "\xc3\xa9t\xc3\xa9", 16, "\xc3\xa9t\xc3\xa9" },  /* high bytes kept */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char out[32];
		size_t len = strlen(cases[i].in);
		char *in = exact(cases[i].in, len);

		memset(out, 'Z', sizeof(out));
		ls_err_sanitize(out, cases[i].n, in, len);
		if (strcmp(out, cases[i].want))
			fail_msg("sanitize case %zu: got \"%s\", want \"%s\"",
				 i, out, cases[i].want);
		/* never writes past n */
		for (size_t k = cases[i].n; k < sizeof(out); k++)
			assert_int_equal(out[k], 'Z');
		free(in);
	}
	/* embedded NUL is a control byte, and the length is honoured */
	{
		char out[16];
		ls_err_sanitize(out, sizeof(out), "a\0b", 3);
		assert_string_equal(out, "a?b");
	}
	/* n == 0 writes nothing */
	{
		char out[2] = { 'Z', 'Z' };
		ls_err_sanitize(out, 0, "abc", 3);
		assert_int_equal(out[0], 'Z');
	}
}

static void test_err_set_format(void **state)
{
	struct ls_err err;
	char buf[256];

	(void)state;
	assert_int_equal(ls_err_set(&err, LS_EINVAL, "f.toml", 3, 7, "bad %s",
				    "thing"), LS_EINVAL);
	assert_string_equal(ls_err_format(&err, buf, sizeof(buf)),
			    "f.toml:3:7: bad thing");
	ls_err_set(&err, LS_EIO, "f", 3, 0, "x");
	assert_string_equal(ls_err_format(&err, buf, sizeof(buf)), "f:3: x");
	ls_err_set(&err, LS_EIO, NULL, 0, 0, "x");
	assert_string_equal(ls_err_format(&err, buf, sizeof(buf)), "x");
	assert_int_equal(ls_err_set(NULL, LS_ELIMIT, "f", 1, 1, "x"),
			 LS_ELIMIT);
	ls_err_clear(&err);
	assert_int_equal(err.code, 0);
	assert_string_equal(err.msg, "");
}

/* ---- fingerprints ---- */

static struct ls_rule *mkrule(const char *id)
{
	struct ls_rule *r = ls_xcalloc(1, sizeof(*r));

	r->id = ls_xstrdup(id);
	r->severity = LS_SEV_HIGH;
	return r;
}

static void rmrule(struct ls_rule *r)
{
	free(r->id);
	free(r);
}

static void fp_of(const struct ls_rule *r, const char *where,
		  const char *secret, size_t slen, char out[LS_FINGERPRINT_MAX])
{
	struct ls_finding *f = ls_finding_new(r);

	f->secret = ls_xstrndup(secret, slen);
	f->secret_len = slen;
	ls_fingerprint_set(f, where);
	memcpy(out, f->fingerprint, LS_FINGERPRINT_MAX);
	ls_finding_free(f);
}

static void test_fingerprint_format_pinned(void **state)
{
	struct ls_rule *r = mkrule("acme-api-token");
	char fp[LS_FINGERPRINT_MAX];

	(void)state;
	/*
	 * docs: "ls1:" + first 32 hex digits of
	 * SHA-256("ls1" NUL rule-id NUL where NUL secret).  Computed once
	 * with Python's hashlib; a format change must change docs/ too.
	 */
	fp_of(r, "config/.env", "acme_4f9d2c7b1e8a6f3d0c5b9e2a7d4f1c8b", 37, fp);
	assert_string_equal(fp, "ls1:56286d4d13ad003491949777ef0405ca");
	rmrule(r);
}

static void test_fingerprint_stability(void **state)
{
	struct ls_rule *a = mkrule("rule-a"), *b = mkrule("rule-b");
	struct ls_rule *a2 = mkrule("rule-a");
	char base[LS_FINGERPRINT_MAX], fp[LS_FINGERPRINT_MAX];
	struct {
		const char *where, *secret;
	} differ[] = {
		{ "dir/file ", "s3cr3t" },
		{ "dir/file2", "s3cr3t" },
		{ "dir/file", "s3cr3T" },
		{ "dir/file", "s3cr3" },
		/* the NUL separators keep the fields apart */
		{ "dir/fil", "es3cr3t" },
		{ "", "dir/files3cr3t" },
	};

	(void)state;
	fp_of(a, "dir/file", "s3cr3t", 6, base);
	assert_int_equal(strncmp(base, "ls1:", 4), 0);
	assert_int_equal(strlen(base), 4 + 32);
	for (size_t i = 4; i < strlen(base); i++)
		assert_non_null(strchr("0123456789abcdef", base[i]));

	/* same inputs: same value, even from another rule object */
	fp_of(a, "dir/file", "s3cr3t", 6, fp);
	assert_string_equal(fp, base);
	fp_of(a2, "dir/file", "s3cr3t", 6, fp);
	assert_string_equal(fp, base);

	/* another rule id */
	fp_of(b, "dir/file", "s3cr3t", 6, fp);
	assert_string_not_equal(fp, base);
	for (size_t i = 0; i < ARRAY_SIZE(differ); i++) {
		fp_of(a, differ[i].where, differ[i].secret,
		      strlen(differ[i].secret), fp);
		if (!strcmp(fp, base))
			fail_msg("case %zu (%s, %s) has the base fingerprint",
				 i, differ[i].where, differ[i].secret);
	}
	/* secret bytes after a NUL count (secret_len, not strlen) */
	fp_of(a, "dir/file", "s3cr3t\0x", 8, fp);
	assert_string_not_equal(fp, base);
	rmrule(a);
	rmrule(a2);
	rmrule(b);
}

static void test_sha256_hex(void **state)
{
	char out[65];

	(void)state;
	ls_sha256_hex("", 0, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb924"
				 "27ae41e4649b934ca495991b7852b855");
	ls_sha256_hex("abc", 3, out);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
}

/* ---- sort order ---- */

static void test_findings_sort(void **state)
{
	struct ls_rule *ra = mkrule("a-rule"), *rb = mkrule("b-rule");
	/* expected order */
	struct {
		enum ls_source_kind src;
		const char *path;
		unsigned long line, col;
		struct ls_rule *rule;
		const char *secret;
	} want[] = {
		{ LS_SOURCE_FILE, "a/x", 1, 5, ra, "s" },
		{ LS_SOURCE_FILE, "a/x", 2, 1, rb, "s" },
		{ LS_SOURCE_FILE, "a/x", 2, 3, ra, "s" },
		{ LS_SOURCE_FILE, "a/x", 2, 3, rb, "s" },
		{ LS_SOURCE_FILE, "a/x", 10, 1, ra, "s" },   /* 10 after 2 */
		{ LS_SOURCE_FILE, "a/y", 1, 1, ra, "s" },
		{ LS_SOURCE_FILE, "b", 1, 1, ra, "s" },
		{ LS_SOURCE_CONFIG, "a", 1, 1, ra, "s" },    /* source first */
	};
	const size_t n = ARRAY_SIZE(want);
	struct ls_findings l;
	unsigned seed = 7;

	(void)state;
	for (int round = 0; round < 20; round++) {
		size_t perm[ARRAY_SIZE(want)];
		for (size_t i = 0; i < n; i++)
			perm[i] = i;
		for (size_t i = n - 1; i > 0; i--) {
			size_t j, t;
			seed = seed * 1103515245u + 12345u;
			j = (seed >> 16) % (i + 1);
			t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
		}
		ls_findings_init(&l);
		for (size_t i = 0; i < n; i++) {
			size_t k = perm[i];
			struct ls_finding *f = ls_finding_new(want[k].rule);
			f->source = want[k].src;
			f->path = ls_xstrdup(want[k].path);
			f->line = want[k].line;
			f->column = want[k].col;
			f->secret = ls_xstrdup(want[k].secret);
			f->secret_len = strlen(f->secret);
			f->note = ls_xasprintf("%zu", k);
			ls_fingerprint_set(f, f->path);
			ls_findings_add(&l, f);
		}
		ls_findings_sort(&l);
		assert_int_equal(l.n, n);
		for (size_t i = 0; i < n; i++) {
			char idx[16];
			snprintf(idx, sizeof(idx), "%zu", i);
			if (strcmp(l.v[i]->note, idx))
				fail_msg("round %d: position %zu holds case %s",
					 round, i, l.v[i]->note);
		}
		ls_findings_release(&l);
	}
	rmrule(ra);
	rmrule(rb);
}

/* Equal path/line/column/rule: the fingerprint decides, so order is total. */
static void test_findings_sort_by_fingerprint(void **state)
{
	struct ls_rule *r = mkrule("r");
	struct ls_findings l;
	const char *secrets[] = { "one", "two", "three", "four", "five" };

	(void)state;
	ls_findings_init(&l);
	for (size_t i = 0; i < ARRAY_SIZE(secrets); i++) {
		struct ls_finding *f = ls_finding_new(r);
		f->path = ls_xstrdup("p");
		f->line = f->column = 1;
		f->secret = ls_xstrdup(secrets[i]);
		f->secret_len = strlen(secrets[i]);
		ls_fingerprint_set(f, "p");
		ls_findings_add(&l, f);
	}
	ls_findings_sort(&l);
	for (size_t i = 1; i < l.n; i++)
		assert_true(strcmp(l.v[i - 1]->fingerprint,
				   l.v[i]->fingerprint) < 0);
	assert_int_equal(ls_findings_count_at_least(&l, LS_SEV_HIGH), l.n);
	assert_int_equal(ls_findings_count_at_least(&l, LS_SEV_CRITICAL), 0);
	ls_findings_release(&l);
	rmrule(r);
}

/*
 * BUG (UBSan): ls_findings_take() with two empty lists calls
 * memcpy(NULL, NULL, 0) (finding.c:78); memcpy's pointers are declared
 * nonnull, so the sanitizer build aborts.  Expected: moving nothing is a
 * no-op.  (The non-empty case is checked first.)
 */
static void test_findings_take(void **state)
{
	struct ls_rule *r = mkrule("r");
	struct ls_findings a, b, e1, e2;

	(void)state;
	ls_findings_init(&a);
	ls_findings_init(&b);
	for (int i = 0; i < 3; i++) {
		struct ls_finding *f = ls_finding_new(r);
		f->line = (unsigned long)i;
		ls_findings_add(i < 1 ? &a : &b, f);
	}
	ls_findings_take(&a, &b);
	assert_int_equal(a.n, 3);
	assert_int_equal(b.n, 0);
	assert_int_equal(a.v[2]->line, 2);
	/* into a non-empty list from an empty one */
	ls_findings_take(&a, &b);
	assert_int_equal(a.n, 3);
	ls_findings_release(&a);
	ls_findings_release(&b);

	ls_findings_init(&e1);
	ls_findings_init(&e2);
	ls_findings_take(&e1, &e2);
	assert_int_equal(e1.n, 0);
	ls_findings_release(&e1);
	ls_findings_release(&e2);
	rmrule(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entropy_known_values),
		cmocka_unit_test(test_xml_unescape),
		cmocka_unit_test(test_json_unescape),
		cmocka_unit_test(test_entropy_counts_bytes),
		cmocka_unit_test(test_entropy_hex_bar),
		cmocka_unit_test(test_base64_table),
		cmocka_unit_test(test_base64_round_trip),
		cmocka_unit_test(test_validate_crc32_base62),
		cmocka_unit_test(test_validate_uses_length),
		cmocka_unit_test(test_validate_bip39),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_printable),
		cmocka_unit_test(test_err_sanitize),
		cmocka_unit_test(test_err_set_format),
		cmocka_unit_test(test_fingerprint_format_pinned),
		cmocka_unit_test(test_fingerprint_stability),
		cmocka_unit_test(test_sha256_hex),
		cmocka_unit_test(test_findings_sort),
		cmocka_unit_test(test_findings_sort_by_fingerprint),
		/* BUG: fails under UBSan until src/ is fixed (see the comment) */
		cmocka_unit_test(test_findings_take),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
