/*
 * pubkey.c - private key -> SubjectPublicKeyInfo -> SHA-256; see pubkey.h.
 *
 * Three steps, each bounded by the one before:
 *
 *  1. Armor.  The secret of a private-key finding is a PEM block as the
 *     scanned file holds it: plain, indented (YAML), one JSON string with
 *     "\n" escapes, or string literals concatenated line by line
 *     ("...\n" + "...").  The body between the BEGIN and END lines is read
 *     into base64 characters.  When the body holds quotes, only the text
 *     inside them counts (the first quote character seen is the one that
 *     toggles; we start inside, as the BEGIN line itself is inside the
 *     string): a '+' outside is the language's concatenation, one inside
 *     is base64.  A ':' means RFC 1421 headers (Proc-Type: 4,ENCRYPTED):
 *     an encrypted key, whose ciphertext starts after the DEK-Info IV.
 *
 *  2. DER.  A minimal reader of definite-length DER (der_next): one-byte
 *     tags, lengths of at most three bytes, every length checked against
 *     what is left of the enclosing element.  Not nettle's asn1.h: that
 *     iterator is fine for reading, but the writing half (below) is ours
 *     anyway, and the reader is twenty lines.  OpenSSH's wire format
 *     (uint32-length strings) gets its own reader (ssh_string).
 *
 *  3. SubjectPublicKeyInfo, built the way OpenSSL writes it (RFC 5280,
 *     3279, 5480, 8410; the GOST form is GnuTLS's, as certtool prints it):
 *       SEQUENCE { AlgorithmIdentifier, BIT STRING { 0 unused bits, key } }
 *     written into one bounded buffer: contents first, then each header
 *     is slid in front of them (out_wrap).  Integers are re-encoded in
 *     minimal form, so a sloppy encoder's extra leading zero does not
 *     change the fingerprint.  Public keys that a private key does not
 *     carry are computed with nettle/hogweed: Ed25519, Ed448, X25519,
 *     X448, EC points on the NIST and GOST curves nettle has, DSA y =
 *     g^x mod p (GMP, with the sizes capped: a hostile 16 KB modulus
 *     would otherwise cost seconds).
 */
#include "finding/pubkey.h"

#include <gmp.h>
#include <nettle/curve25519.h>
#include <nettle/curve448.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/eddsa.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "finding/finding.h"
#include "rules/rules.h"
#include "util/base64.h"
#include "util/sort.h"
#include "util/hex.h"
#include "util/xalloc.h"

/* Room for the SPKI: the key's integers plus a few headers. */
#define OUT_MAX (LS_PUBKEY_DER_MAX + 256)
/* DSA as specified tops out at 3072 bits; more is refused, not computed. */
#define DSA_P_BITS_MAX 4096
#define DSA_X_BITS_MAX 512
/* base64 characters of a LS_PUBKEY_DER_MAX key, and what they decode to */
#define B64_MAX (LS_PUBKEY_DER_MAX / 3 * 4 + 4)
#define DER_BUF LS_BASE64_DECODED_MAX(B64_MAX)

/* ---- step 1: armor ---- */

static const char *find_mem(const char *h, size_t hn, const char *n)
{
	size_t nn = strlen(n);

	for (size_t i = 0; nn <= hn && i <= hn - nn; i++)
		if (h[i] == n[0] && !memcmp(h + i, n, nn))
			return h + i;
	return NULL;
}

static int is_b64(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

enum label { L_RSA, L_EC, L_DSA, L_OPENSSH, L_PKCS8, L_ENCRYPTED };

static int is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/*
 * RFC 1421 headers in [body, end): past "DEK-Info: <cipher>,<hex iv>", or
 * NULL when there is no DEK-Info header.
 */
static const char *skip_dek_info(const char *body, const char *end)
{
	const char *p = find_mem(body, (size_t)(end - body), "DEK-Info:");

	if (!p)
		return NULL;
	p += strlen("DEK-Info:");
	while (p < end && *p == ' ')
		p++;
	while (p < end && (is_b64((unsigned char)*p) || *p == '-' || *p == '_'))
		p++;
	if (p == end || *p != ',')
		return NULL;
	p++;
	while (p < end && is_hex((unsigned char)*p))
		p++;
	return p;
}

/*
 * Find the block, check its labels, decode its body into `der` (at least
 * DER_BUF bytes).  Returns the decoded length or a negative LS_E* code.
 * An encrypted key (ENCRYPTED PRIVATE KEY, or RFC 1421 headers with a
 * DEK-Info) sets *label to L_ENCRYPTED; `der` then holds the ciphertext.
 */
static long unarmor(const char *text, size_t len, enum label *label,
		    unsigned char *der, struct ls_err *err)
{
	static const struct { const char *name; enum label l; } labels[] = {
		{ "RSA PRIVATE KEY-----", L_RSA },
		{ "EC PRIVATE KEY-----", L_EC },
		{ "DSA PRIVATE KEY-----", L_DSA },
		{ "OPENSSH PRIVATE KEY-----", L_OPENSSH },
		{ "ENCRYPTED PRIVATE KEY-----", L_ENCRYPTED },
		{ "PRIVATE KEY-----", L_PKCS8 },
	};
	const char *p, *end, *body, *lab = NULL;
	size_t nb = 0, i;
	char quote = 0;
	int inside = 1;
	char endline[48];

	if (len > LS_PUBKEY_TEXT_MAX)
		len = LS_PUBKEY_TEXT_MAX;
	p = find_mem(text, len, "-----BEGIN ");
	if (!p)
		return ls_err_set(err, LS_EFORMAT, NULL, 0, 0, "no BEGIN line");
	p += strlen("-----BEGIN ");
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		size_t ln = strlen(labels[i].name);
		if ((size_t)(text + len - p) >= ln && !memcmp(p, labels[i].name, ln)) {
			*label = labels[i].l;
			lab = labels[i].name;
			body = p + ln;
			break;
		}
	}
	if (!lab)
		return ls_err_set(err, LS_EUNSUPPORTED, NULL, 0, 0,
				  "not a private key label");
	snprintf(endline, sizeof(endline), "-----END %s", lab);
	end = find_mem(body, (size_t)(text + len - body), endline);
	if (!end)
		return ls_err_set(err, LS_EFORMAT, NULL, 0, 0,
				  "no matching END line");
	/* RFC 1421 headers ("Proc-Type: 4,ENCRYPTED", "DEK-Info: ..."): an
	 * encrypted key, its ciphertext after the headers */
	if (memchr(body, ':', (size_t)(end - body))) {
		body = skip_dek_info(body, end);
		if (!body)
			return ls_err_set(err, LS_EUNSUPPORTED, NULL, 0, 0,
					  "PEM headers without DEK-Info");
		*label = L_ENCRYPTED;
	}
	{
		char buf[B64_MAX];

		for (const char *q = body; q < end; q++) {
			unsigned char c = (unsigned char)*q;

			if (c == '"' || c == '\'') {
				if (!quote)
					quote = (char)c;
				if (c == (unsigned char)quote) {
					inside = !inside;
					continue;
				}
			}
			if (!inside)
				continue;
			if (c == '\\') {
				/* \n, \r, \\n, \\r */
				while (q + 1 < end && q[1] == '\\')
					q++;
				if (q + 1 < end && (q[1] == 'n' || q[1] == 'r')) {
					q++;
					continue;
				}
				return ls_err_set(err, LS_EFORMAT, NULL, 0, 0,
						  "stray backslash in the body");
			}
			if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
				continue;
			if (!is_b64(c))
				return ls_err_set(err, LS_EFORMAT, NULL, 0, 0,
						  "not base64 in the body");
			if (nb == sizeof(buf))
				return ls_err_set(err, LS_EFORMAT, NULL, 0, 0,
						  "key larger than %d bytes",
						  LS_PUBKEY_DER_MAX);
			buf[nb++] = (char)c;
		}
		{
			long n = ls_base64_decode(buf, nb, der);
			if (n <= 0)
				return ls_err_set(err, LS_EFORMAT, NULL, 0, 0,
						  "bad base64");
			return n;
		}
	}
}

/* ---- step 2: DER and SSH readers ---- */

enum {
	T_INT = 0x02, T_BITS = 0x03, T_OCTETS = 0x04, T_NULL = 0x05,
	T_OID = 0x06, T_SEQ = 0x30, T_CTX0 = 0xa0, T_CTX1 = 0xa1,
};

struct view {
	const unsigned char *p;
	size_t n;
};

struct tlv {
	unsigned tag;
	const unsigned char *v;     /* contents */
	size_t len;
	const unsigned char *raw;   /* the whole element */
	size_t raw_len;
};

/* Read one element off the front of `d`.  0, or -1 if malformed. */
static int der_next(struct view *d, struct tlv *t)
{
	size_t i = 2, l;

	if (d->n < 2 || (d->p[0] & 0x1f) == 0x1f)
		return -1;
	l = d->p[1];
	if (l & 0x80) {
		size_t k = l & 0x7f;
		if (k == 0 || k > 3 || d->n - 2 < k)
			return -1;
		l = 0;
		while (k--)
			l = (l << 8) | d->p[i++];
	}
	if (l > d->n - i)
		return -1;
	t->tag = d->p[0];
	t->v = d->p + i;
	t->len = l;
	t->raw = d->p;
	t->raw_len = i + l;
	d->p += i + l;
	d->n -= i + l;
	return 0;
}

static int der_expect(struct view *d, unsigned tag, struct tlv *t)
{
	return der_next(d, t) || t->tag != tag ? -1 : 0;
}

static struct view inner(const struct tlv *t)
{
	struct view v = { t->v, t->len };
	return v;
}

/* A non-negative integer's magnitude without leading zeros; -1 if negative. */
static int magnitude(const unsigned char *v, size_t len, struct view *m)
{
	if (len && (v[0] & 0x80))
		return -1;
	while (len && !v[0]) {
		v++;
		len--;
	}
	m->p = v;
	m->n = len;
	return 0;
}

static int der_uint(struct view *d, struct view *m)
{
	struct tlv t;

	if (der_expect(d, T_INT, &t) || !t.len)
		return -1;
	return magnitude(t.v, t.len, m);
}

static unsigned bits_of(const struct view *m)
{
	unsigned b = 0;

	if (!m->n)
		return 0;
	for (unsigned c = m->p[0]; c; c >>= 1)
		b++;
	return (unsigned)(m->n - 1) * 8 + b;
}

/* OpenSSH: uint32 length, then that many bytes. */
static int ssh_string(struct view *d, struct view *s)
{
	uint32_t l;

	if (d->n < 4)
		return -1;
	l = (uint32_t)d->p[0] << 24 | (uint32_t)d->p[1] << 16 |
	    (uint32_t)d->p[2] << 8 | d->p[3];
	if (l > d->n - 4)
		return -1;
	s->p = d->p + 4;
	s->n = l;
	d->p += 4 + (size_t)l;
	d->n -= 4 + (size_t)l;
	return 0;
}

static int view_is(const struct view *v, const char *s)
{
	return v->n == strlen(s) && !memcmp(v->p, s, v->n);
}

/* ---- step 3: writing the SubjectPublicKeyInfo ---- */

struct out {
	unsigned char b[OUT_MAX];
	size_t n;
	int bad;
};

static void out_put(struct out *o, const void *p, size_t k)
{
	if (o->bad || k > OUT_MAX - o->n) {
		o->bad = 1;
		return;
	}
	if (k)
		memcpy(o->b + o->n, p, k);
	o->n += k;
}

static void out_byte(struct out *o, unsigned char c)
{
	out_put(o, &c, 1);
}

/* Put a header in front of everything written since `start`. */
static void out_wrap(struct out *o, unsigned tag, size_t start)
{
	size_t len = o->n - start, h;
	unsigned char hdr[5];

	if (o->bad)
		return;
	hdr[0] = (unsigned char)tag;
	if (len < 0x80) {
		hdr[1] = (unsigned char)len;
		h = 2;
	} else if (len < 0x100) {
		hdr[1] = 0x81;
		hdr[2] = (unsigned char)len;
		h = 3;
	} else if (len < 0x10000) {
		hdr[1] = 0x82;
		hdr[2] = (unsigned char)(len >> 8);
		hdr[3] = (unsigned char)len;
		h = 4;
	} else {
		hdr[1] = 0x83;
		hdr[2] = (unsigned char)(len >> 16);
		hdr[3] = (unsigned char)(len >> 8);
		hdr[4] = (unsigned char)len;
		h = 5;
	}
	if (h > OUT_MAX - o->n) {
		o->bad = 1;
		return;
	}
	memmove(o->b + start + h, o->b + start, len);
	memcpy(o->b + start, hdr, h);
	o->n += h;
}

/* INTEGER from a magnitude (no leading zeros). */
static void out_uint(struct out *o, const struct view *m)
{
	size_t start = o->n;

	if (!m->n || (m->p[0] & 0x80))
		out_byte(o, 0);
	out_put(o, m->p, m->n);
	out_wrap(o, T_INT, start);
}

static void out_oid(struct out *o, const unsigned char *oid, size_t n)
{
	size_t start = o->n;

	out_put(o, oid, n);
	out_wrap(o, T_OID, start);
}

static const unsigned char OID_RSA[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 1 };
static const unsigned char OID_RSA_PSS[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 10 };
static const unsigned char OID_DSA[] = { 0x2a, 0x86, 0x48, 0xce, 0x38, 4, 1 };
static const unsigned char OID_EC[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 2, 1 };
static const unsigned char OID_ED25519[] = { 0x2b, 101, 112 };
static const unsigned char OID_ED448[] = { 0x2b, 101, 113 };
static const unsigned char OID_X25519[] = { 0x2b, 101, 110 };
static const unsigned char OID_X448[] = { 0x2b, 101, 111 };
static const unsigned char OID_GOST2001[] = { 0x2a, 0x85, 3, 2, 2, 19 };
static const unsigned char OID_GOST12_256[] = { 0x2a, 0x85, 3, 7, 1, 1, 1, 1 };
static const unsigned char OID_GOST12_512[] = { 0x2a, 0x85, 3, 7, 1, 1, 1, 2 };

#define IS_OID(t, o) ((t)->len == sizeof(o) && !memcmp((t)->v, (o), sizeof(o)))

/* The named curves: OID, OpenSSL's name, OpenSSH's name, nettle's curve. */
struct curve {
	unsigned char oid[10];
	size_t oid_len;
	const char *name, *ssh;
	const struct ecc_curve *(*get)(void);
};

static const struct curve curves[] = {
	{ { 0x2a, 0x86, 0x48, 0xce, 0x3d, 3, 1, 7 }, 8, "prime256v1", "nistp256",
	  nettle_get_secp_256r1 },
	{ { 0x2b, 0x81, 0x04, 0x00, 0x22 }, 5, "secp384r1", "nistp384",
	  nettle_get_secp_384r1 },
	{ { 0x2b, 0x81, 0x04, 0x00, 0x23 }, 5, "secp521r1", "nistp521",
	  nettle_get_secp_521r1 },
	{ { 0x2b, 0x81, 0x04, 0x00, 0x21 }, 5, "secp224r1", NULL,
	  nettle_get_secp_224r1 },
	{ { 0x2a, 0x86, 0x48, 0xce, 0x3d, 3, 1, 1 }, 8, "prime192v1", NULL,
	  nettle_get_secp_192r1 },
	{ { 0x2b, 0x81, 0x04, 0x00, 0x0a }, 5, "secp256k1", NULL, NULL },
	/* GOST parameter sets (the public key is written little-endian) */
	{ { 0x2a, 0x85, 3, 2, 2, 35, 1 }, 7, "gost-cryptopro-a", NULL,
	  nettle_get_gost_gc256b },
	{ { 0x2a, 0x85, 3, 2, 2, 36, 0 }, 7, "gost-cryptopro-xcha", NULL,
	  nettle_get_gost_gc256b },
	{ { 0x2a, 0x85, 3, 7, 1, 2, 1, 1, 2 }, 9, "gost-tc26-256-b", NULL,
	  nettle_get_gost_gc256b },
	{ { 0x2a, 0x85, 3, 7, 1, 2, 1, 2, 1 }, 9, "gost-tc26-512-a", NULL,
	  nettle_get_gost_gc512a },
};

static const struct curve *curve_by_oid(const struct tlv *t)
{
	if (t->tag != T_OID)
		return NULL;
	for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (t->len == curves[i].oid_len &&
		    !memcmp(t->v, curves[i].oid, t->len))
			return &curves[i];
	return NULL;
}

struct key {
	struct out o;
	char type[LS_PUBKEY_TYPE_MAX];
};

/* SEQUENCE { alg, BIT STRING { 0, key } } around `o` holding alg at 0
 * and the key from `key_start`. */
static void spki_finish(struct out *o, size_t key_start)
{
	size_t start;

	/* BIT STRING: the unused-bits byte goes in front of the key */
	out_byte(o, 0);
	if (o->bad)
		return;
	memmove(o->b + key_start + 1, o->b + key_start, o->n - 1 - key_start);
	o->b[key_start] = 0;
	out_wrap(o, T_BITS, key_start);
	start = 0;
	out_wrap(o, T_SEQ, start);
}

static int rsa_spki(struct key *k, const struct tlv *alg, const struct view *n,
		    const struct view *e)
{
	struct out *o = &k->o;
	size_t key;

	if (alg) {
		out_put(o, alg->raw, alg->raw_len);
	} else {
		out_oid(o, OID_RSA, sizeof(OID_RSA));
		out_byte(o, T_NULL);
		out_byte(o, 0);
		out_wrap(o, T_SEQ, 0);
	}
	key = o->n;
	out_uint(o, n);
	out_uint(o, e);
	out_wrap(o, T_SEQ, key);
	spki_finish(o, key);
	snprintf(k->type, sizeof(k->type), "%s-%u", alg ? "rsa-pss" : "rsa",
		 bits_of(n));
	return o->bad ? -1 : 0;
}

static int dsa_spki(struct key *k, const struct view *p, const struct view *q,
		    const struct view *g, const struct view *y)
{
	struct out *o = &k->o;
	size_t params, key;

	out_oid(o, OID_DSA, sizeof(OID_DSA));
	params = o->n;
	out_uint(o, p);
	out_uint(o, q);
	out_uint(o, g);
	out_wrap(o, T_SEQ, params);
	out_wrap(o, T_SEQ, 0);
	key = o->n;
	out_uint(o, y);
	spki_finish(o, key);
	snprintf(k->type, sizeof(k->type), "dsa-%u", bits_of(p));
	return o->bad ? -1 : 0;
}

/* id-ecPublicKey with the curve parameters as given (raw DER element). */
static int ec_spki(struct key *k, const unsigned char *params, size_t plen,
		   const unsigned char *point, size_t n, const char *name)
{
	struct out *o = &k->o;
	size_t key;

	out_oid(o, OID_EC, sizeof(OID_EC));
	out_put(o, params, plen);
	out_wrap(o, T_SEQ, 0);
	key = o->n;
	out_put(o, point, n);
	spki_finish(o, key);
	snprintf(k->type, sizeof(k->type), "ec-%s", name ? name : "explicit");
	return o->bad ? -1 : 0;
}

/* RFC 8410: AlgorithmIdentifier without parameters. */
static int raw_spki(struct key *k, const unsigned char *oid, size_t oid_len,
		    const unsigned char *pub, size_t n, const char *name)
{
	struct out *o = &k->o;
	size_t key;

	out_oid(o, oid, oid_len);
	out_wrap(o, T_SEQ, 0);
	key = o->n;
	out_put(o, pub, n);
	spki_finish(o, key);
	snprintf(k->type, sizeof(k->type), "%s", name);
	return o->bad ? -1 : 0;
}

/*
 * The public point d*G on `c`, each coordinate `size` bytes, big-endian
 * (x then y) or little-endian (GOST).  -1 if d is out of range.
 */
static int ec_mul_g(const struct ecc_curve *c, const unsigned char *d,
		    size_t dn, int little, unsigned char *x, unsigned char *y,
		    size_t size)
{
	struct ecc_scalar s;
	struct ecc_point p;
	mpz_t z, px, py;
	int ok = 0;

	mpz_inits(z, px, py, NULL);
	mpz_import(z, dn, little ? -1 : 1, 1, 0, 0, d);
	ecc_scalar_init(&s, c);
	ecc_point_init(&p, c);
	if (ecc_scalar_set(&s, z)) {
		size_t nx, ny;
		ecc_point_mul_g(&p, &s);
		ecc_point_get(&p, px, py);
		if (mpz_sizeinbase(px, 256) <= size &&
		    mpz_sizeinbase(py, 256) <= size) {
			memset(x, 0, size);
			memset(y, 0, size);
			/* mpz_export writes the minimal bytes: pad to `size` */
			if (little) {
				mpz_export(x, &nx, -1, 1, 0, 0, px);
				mpz_export(y, &ny, -1, 1, 0, 0, py);
			} else {
				unsigned char tmp[80];
				mpz_export(tmp, &nx, 1, 1, 0, 0, px);
				memcpy(x + size - nx, tmp, nx);
				mpz_export(tmp, &ny, 1, 1, 0, 0, py);
				memcpy(y + size - ny, tmp, ny);
			}
			ok = 1;
		}
	}
	ecc_point_clear(&p);
	ecc_scalar_clear(&s);
	mpz_clears(z, px, py, NULL);
	return ok ? 0 : -1;
}

/*
 * SEC1 ECPrivateKey (RFC 5915) in `v`; `alg_params` is the curve from a
 * PKCS#8 AlgorithmIdentifier, or NULL.
 */
static int ec_private(struct key *k, struct view v, const struct tlv *alg_params,
		      struct ls_err *err)
{
	struct tlv seq, ver, priv, t, params = { 0 }, pub = { 0 };
	struct view s;
	const struct curve *c;

	if (der_expect(&v, T_SEQ, &seq))
		goto bad;
	s = inner(&seq);
	if (der_expect(&s, T_INT, &ver) || ver.len != 1 || ver.v[0] != 1 ||
	    der_expect(&s, T_OCTETS, &priv))
		goto bad;
	while (s.n) {
		if (der_next(&s, &t))
			goto bad;
		if (t.tag == T_CTX0) {
			struct view pv = inner(&t);
			if (der_next(&pv, &params) || pv.n)
				goto bad;
		} else if (t.tag == T_CTX1) {
			struct view pv = inner(&t);
			if (der_expect(&pv, T_BITS, &pub) || pv.n)
				goto bad;
		}
	}
	if (!params.raw) {
		if (!alg_params)
			return ls_err_set(err, LS_EUNSUPPORTED, NULL, 0, 0,
					  "EC key without curve");
		params = *alg_params;
	}
	c = curve_by_oid(&params);
	if (pub.raw) {
		if (pub.len < 2 || pub.v[0] != 0)
			goto bad;
		return ec_spki(k, params.raw, params.raw_len, pub.v + 1,
			       pub.len - 1, c ? c->name : NULL) ?
			ls_err_set(err, LS_EFORMAT, NULL, 0, 0, "key too large") : 0;
	}
	if (!c || !c->get || !strncmp(c->name, "gost", 4))
		return ls_err_set(err, LS_EUNSUPPORTED, NULL, 0, 0,
				  "EC key without public point on an unsupported curve");
	{
		const struct ecc_curve *ec = c->get();
		size_t size = ((size_t)ecc_bit_size(ec) + 7) / 8;
		unsigned char pt[1 + 2 * 66];

		if (priv.len > 66 || size > 66 ||
		    ec_mul_g(ec, priv.v, priv.len, 0, pt + 1, pt + 1 + size, size))
			goto bad;
		pt[0] = 4;
		if (ec_spki(k, params.raw, params.raw_len, pt, 1 + 2 * size,
			    c->name))
			goto bad;
	}
	return 0;
bad:
	return ls_err_set(err, LS_EFORMAT, NULL, 0, 0, "malformed EC key");
}

/* PKCS#1 RSAPrivateKey: version, n, e, ... */
static int rsa_private(struct key *k, struct view v, const struct tlv *pss)
{
	struct tlv seq, ver;
	struct view s, n, e;

	if (der_expect(&v, T_SEQ, &seq))
		return -1;
	s = inner(&seq);
	if (der_expect(&s, T_INT, &ver) || der_uint(&s, &n) || der_uint(&s, &e) ||
	    !n.n || !e.n)
		return -1;
	return rsa_spki(k, pss, &n, &e);
}

/* OpenSSL's DSA private key: 0, p, q, g, y, x */
static int dsa_private(struct key *k, struct view v)
{
	struct tlv seq, ver;
	struct view s, p, q, g, y;

	if (der_expect(&v, T_SEQ, &seq))
		return -1;
	s = inner(&seq);
	if (der_expect(&s, T_INT, &ver) || der_uint(&s, &p) || der_uint(&s, &q) ||
	    der_uint(&s, &g) || der_uint(&s, &y) || !p.n)
		return -1;
	return dsa_spki(k, &p, &q, &g, &y);
}

/* PKCS#8 DSA: y = g^x mod p, with bounded sizes. */
static int dsa_pkcs8(struct key *k, const struct tlv *params, struct view x_der,
		     struct ls_err *err)
{
	struct view s = inner(params), p, q, g, x;
	unsigned char ybuf[DSA_P_BITS_MAX / 8 + 1];
	struct view y;
	size_t yn;
	mpz_t mp, mg, mx, my;

	if (params->tag != T_SEQ || der_uint(&s, &p) || der_uint(&s, &q) ||
	    der_uint(&s, &g) || der_uint(&x_der, &x) || !p.n)
		return ls_err_set(err, LS_EFORMAT, NULL, 0, 0, "malformed DSA key");
	if (bits_of(&p) > DSA_P_BITS_MAX || bits_of(&x) > DSA_X_BITS_MAX ||
	    bits_of(&g) > DSA_P_BITS_MAX)
		return ls_err_set(err, LS_EUNSUPPORTED, NULL, 0, 0,
				  "DSA key larger than %d bits", DSA_P_BITS_MAX);
	if (!(p.p[p.n - 1] & 1))
		return ls_err_set(err, LS_EFORMAT, NULL, 0, 0, "malformed DSA key");
	mpz_inits(mp, mg, mx, my, NULL);
	mpz_import(mp, p.n, 1, 1, 0, 0, p.p);
	mpz_import(mg, g.n, 1, 1, 0, 0, g.p);
	mpz_import(mx, x.n, 1, 1, 0, 0, x.p);
	mpz_powm(my, mg, mx, mp);
	yn = 0;
	if (mpz_sgn(my))
		mpz_export(ybuf, &yn, 1, 1, 0, 0, my);
	mpz_clears(mp, mg, mx, my, NULL);
	y.p = ybuf;
	y.n = yn;
	if (dsa_spki(k, &p, &q, &g, &y))
		return ls_err_set(err, LS_EFORMAT, NULL, 0, 0, "key too large");
	return 0;
}

/* The inner OCTET STRING of an RFC 8410 key: exactly `n` bytes. */
static int curve_priv(struct view v, size_t n, const unsigned char **out)
{
	struct tlv t;

	if (der_expect(&v, T_OCTETS, &t) || t.len != n)
		return -1;
	*out = t.v;
	return 0;
}

static int gost_pkcs8(struct key *k, const struct tlv *alg,
		      const struct tlv *params, struct view pk, const char *name,
		      struct ls_err *err)
{
	struct view s = inner(params);
	struct tlv set, t;
	const struct curve *c;
	const unsigned char *d;
	size_t dn, size;
	int little;
	unsigned char buf[2 * 64];
	struct out *o = &k->o;
	size_t key;

	if (params->tag != T_SEQ || der_next(&s, &set))
		return ls_err_set(err, LS_EFORMAT, NULL, 0, 0, "malformed GOST key");
	c = curve_by_oid(&set);
	if (!c || !c->get || strncmp(c->name, "gost", 4))
		return ls_err_set(err, LS_EUNSUPPORTED, NULL, 0, 0,
				  "GOST parameter set not supported");
	size = ((size_t)ecc_bit_size(c->get()) + 7) / 8;
	/* the key: an OCTET STRING (little-endian), an INTEGER, or raw */
	s = pk;
	if (!der_next(&s, &t) && !s.n &&
	    (t.tag == T_OCTETS || t.tag == T_INT)) {
		d = t.v;
		dn = t.len;
		little = t.tag == T_OCTETS;
	} else {
		d = pk.p;
		dn = pk.n;
		little = 1;
	}
	if (!dn || dn > size + 1 || size > 64 ||
	    ec_mul_g(c->get(), d, dn, little, buf, buf + size, size))
		return ls_err_set(err, LS_EFORMAT, NULL, 0, 0, "malformed GOST key");
	out_put(o, alg->raw, alg->raw_len);
	key = o->n;
	out_put(o, buf, 2 * size);
	out_wrap(o, T_OCTETS, key);
	spki_finish(o, key);
	snprintf(k->type, sizeof(k->type), "%s", name);
	return o->bad ? ls_err_set(err, LS_EFORMAT, NULL, 0, 0, "key too large") : 0;
}

/* PKCS#8 PrivateKeyInfo / RFC 5958 OneAsymmetricKey */
static int pkcs8(struct key *k, struct view v, struct ls_err *err)
{
	struct tlv seq, ver, alg, oid, params = { 0 }, pk;
	struct view s, a, pv;
	const unsigned char *d;
	unsigned char pub[57];

	if (der_expect(&v, T_SEQ, &seq))
		goto bad;
	s = inner(&seq);
	if (der_expect(&s, T_INT, &ver) || der_expect(&s, T_SEQ, &alg) ||
	    der_expect(&s, T_OCTETS, &pk))
		goto bad;
	a = inner(&alg);
	if (der_expect(&a, T_OID, &oid) || (a.n && der_next(&a, &params)))
		goto bad;
	pv = inner(&pk);
	if (IS_OID(&oid, OID_RSA))
		return rsa_private(k, pv, NULL) ? ls_err_set(err, LS_EFORMAT,
			NULL, 0, 0, "malformed RSA key") : 0;
	if (IS_OID(&oid, OID_RSA_PSS))
		return rsa_private(k, pv, &alg) ? ls_err_set(err, LS_EFORMAT,
			NULL, 0, 0, "malformed RSA key") : 0;
	if (IS_OID(&oid, OID_EC))
		return ec_private(k, pv, params.raw ? &params : NULL, err);
	if (IS_OID(&oid, OID_DSA)) {
		if (!params.raw)
			goto bad;
		return dsa_pkcs8(k, &params, pv, err);
	}
	if (IS_OID(&oid, OID_ED25519)) {
		if (curve_priv(pv, 32, &d))
			goto bad;
		ed25519_sha512_public_key(pub, d);
		return raw_spki(k, OID_ED25519, sizeof(OID_ED25519), pub, 32,
				"ed25519") ? -1 : 0;
	}
	if (IS_OID(&oid, OID_ED448)) {
		if (curve_priv(pv, 57, &d))
			goto bad;
		ed448_shake256_public_key(pub, d);
		return raw_spki(k, OID_ED448, sizeof(OID_ED448), pub, 57,
				"ed448") ? -1 : 0;
	}
	if (IS_OID(&oid, OID_X25519)) {
		if (curve_priv(pv, 32, &d))
			goto bad;
		curve25519_mul_g(pub, d);
		return raw_spki(k, OID_X25519, sizeof(OID_X25519), pub, 32,
				"x25519") ? -1 : 0;
	}
	if (IS_OID(&oid, OID_X448)) {
		if (curve_priv(pv, 56, &d))
			goto bad;
		curve448_mul_g(pub, d);
		return raw_spki(k, OID_X448, sizeof(OID_X448), pub, 56,
				"x448") ? -1 : 0;
	}
	if (params.raw && (IS_OID(&oid, OID_GOST2001) ||
			   IS_OID(&oid, OID_GOST12_256) ||
			   IS_OID(&oid, OID_GOST12_512)))
		return gost_pkcs8(k, &alg, &params, pv,
				  IS_OID(&oid, OID_GOST2001) ? "gost2001" :
				  IS_OID(&oid, OID_GOST12_256) ? "gost2012-256" :
				  "gost2012-512", err);
	return ls_err_set(err, LS_EUNSUPPORTED, NULL, 0, 0,
			  "unsupported key algorithm");
bad:
	return ls_err_set(err, LS_EFORMAT, NULL, 0, 0, "malformed PKCS#8 key");
}

/* An SSH mpint is a two's-complement big-endian integer. */
static int ssh_mpint(struct view *d, struct view *m)
{
	struct view s;

	if (ssh_string(d, &s))
		return -1;
	return magnitude(s.p, s.n, m);
}

/* OpenSSH PROTOCOL.key: the first public key blob. */
static int openssh(struct key *k, struct view v, struct ls_err *err)
{
	static const char magic[] = "openssh-key-v1";   /* and its NUL */
	struct view cipher, kdf, kdfopt, blob, type;

	if (v.n < sizeof(magic) || memcmp(v.p, magic, sizeof(magic)))
		goto bad;
	v.p += sizeof(magic);
	v.n -= sizeof(magic);
	if (ssh_string(&v, &cipher) || ssh_string(&v, &kdf) ||
	    ssh_string(&v, &kdfopt) || v.n < 4)
		goto bad;
	if (v.p[0] || v.p[1] || v.p[2] || !v.p[3])
		goto bad;   /* at least one key, and not billions */
	v.p += 4;
	v.n -= 4;
	if (ssh_string(&v, &blob) || ssh_string(&blob, &type))
		goto bad;
	if (view_is(&type, "ssh-rsa")) {
		struct view e, n;
		if (ssh_mpint(&blob, &e) || ssh_mpint(&blob, &n) || !n.n || !e.n)
			goto bad;
		return rsa_spki(k, NULL, &n, &e) ? -1 : 0;
	}
	if (view_is(&type, "ssh-dss")) {
		struct view p, q, g, y;
		if (ssh_mpint(&blob, &p) || ssh_mpint(&blob, &q) ||
		    ssh_mpint(&blob, &g) || ssh_mpint(&blob, &y) || !p.n)
			goto bad;
		return dsa_spki(k, &p, &q, &g, &y) ? -1 : 0;
	}
	if (view_is(&type, "ssh-ed25519")) {
		struct view pk;
		if (ssh_string(&blob, &pk) || pk.n != 32)
			goto bad;
		return raw_spki(k, OID_ED25519, sizeof(OID_ED25519), pk.p, 32,
				"ed25519") ? -1 : 0;
	}
	if (type.n > 11 && !memcmp(type.p, "ecdsa-sha2-", 11)) {
		struct view name, q;
		if (ssh_string(&blob, &name) || ssh_string(&blob, &q) || !q.n)
			goto bad;
		for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++) {
			const struct curve *c = &curves[i];
			unsigned char params[12];
			if (!c->ssh || !view_is(&name, c->ssh))
				continue;
			params[0] = T_OID;
			params[1] = (unsigned char)c->oid_len;
			memcpy(params + 2, c->oid, c->oid_len);
			return ec_spki(k, params, c->oid_len + 2, q.p, q.n,
				       c->name) ? -1 : 0;
		}
	}
	return ls_err_set(err, LS_EUNSUPPORTED, NULL, 0, 0,
			  "unsupported OpenSSH key type");
bad:
	return ls_err_set(err, LS_EFORMAT, NULL, 0, 0, "malformed OpenSSH key");
}

int ls_pubkey_fingerprint(const char *text, size_t len,
			  unsigned char fp[LS_PUBKEY_FP_LEN],
			  char type[LS_PUBKEY_TYPE_MAX], struct ls_err *err)
{
	unsigned char *der = ls_xmalloc(DER_BUF);
	struct key *k = ls_xcalloc(1, sizeof(*k));
	struct view v;
	enum label label = L_PKCS8;
	long n;
	int rc;

	n = unarmor(text, len, &label, der, err);
	if (n < 0) {
		rc = (int)n;
		goto out;
	}
	v.p = der;
	v.n = (size_t)n;
	switch (label) {
	case L_RSA:
		rc = rsa_private(k, v, NULL) ? ls_err_set(err, LS_EFORMAT,
			NULL, 0, 0, "malformed RSA key") : 0;
		break;
	case L_DSA:
		rc = dsa_private(k, v) ? ls_err_set(err, LS_EFORMAT,
			NULL, 0, 0, "malformed DSA key") : 0;
		break;
	case L_EC:
		rc = ec_private(k, v, NULL, err);
		break;
	case L_OPENSSH:
		rc = openssh(k, v, err);
		break;
	case L_ENCRYPTED:
		rc = ls_err_set(err, LS_EUNSUPPORTED, NULL, 0, 0,
				"encrypted key");
		break;
	default:
		rc = pkcs8(k, v, err);
		break;
	}
	if (!rc && k->o.bad)
		rc = ls_err_set(err, LS_EFORMAT, NULL, 0, 0, "key too large");
	if (rc > 0 || (rc < 0 && rc != LS_EUNSUPPORTED && rc != LS_EFORMAT))
		rc = ls_err_set(err, LS_EFORMAT, NULL, 0, 0, "malformed key");
	if (!rc) {
		struct sha256_ctx ctx;
		sha256_init(&ctx);
		sha256_update(&ctx, k->o.n, k->o.b);
		sha256_digest(&ctx, LS_PUBKEY_FP_LEN, fp);
		if (type)
			snprintf(type, LS_PUBKEY_TYPE_MAX, "%s", k->type);
	}
out:
	free(der);
	free(k);
	return rc;
}

int ls_pubkey_encrypted_fingerprint(const char *text, size_t len,
				    unsigned char fp[LS_PUBKEY_FP_LEN],
				    struct ls_err *err)
{
	unsigned char *der = ls_xmalloc(DER_BUF);
	enum label label = L_PKCS8;
	long n = unarmor(text, len, &label, der, err);
	int rc = 0;

	if (n >= 0 && label != L_ENCRYPTED)
		rc = ls_err_set(err, LS_EUNSUPPORTED, NULL, 0, 0,
				"not an encrypted key");
	else if (n < 0)
		rc = (int)n;
	if (!rc) {
		struct sha256_ctx ctx;
		sha256_init(&ctx);
		sha256_update(&ctx, (size_t)n, der);
		sha256_digest(&ctx, LS_PUBKEY_FP_LEN, fp);
	}
	free(der);
	return rc;
}

/* ---- the published set ---- */

struct published_key {
	unsigned char fp[LS_PUBKEY_FP_LEN];
	char *origin;
};

struct ls_published {
	struct published_key *v;
	size_t n;
};

static int cmp_key(const void *a, const void *b)
{
	return memcmp(((const struct published_key *)a)->fp,
		      ((const struct published_key *)b)->fp, LS_PUBKEY_FP_LEN);
}

struct ls_published *ls_published_parse(const char *text, size_t len,
					const char *name, struct ls_err *err)
{
	struct ls_published *set = ls_xcalloc(1, sizeof(*set));
	size_t alloc = 0;
	int lineno = 0;

	for (size_t i = 0; i < len;) {
		const char *line = text + i, *nl = memchr(line, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - line) : len - i;
		const char *t1, *t2, *t3;
		struct published_key k;

		i += ll + (nl ? 1 : 0);
		lineno++;
		if (!ll || line[0] == '#')
			continue;
		t1 = memchr(line, '\t', ll);
		t2 = t1 ? memchr(t1 + 1, '\t', ll - (size_t)(t1 + 1 - line)) : NULL;
		if (!t1 || t1 - line != 2 * LS_PUBKEY_FP_LEN || !t2)
			goto bad;
		if (ls_hex_decode(line, LS_PUBKEY_FP_LEN, k.fp))
			goto bad;
		t3 = memchr(t2 + 1, '\t', ll - (size_t)(t2 + 1 - line));
		if (!t3)
			t3 = line + ll;
		if (t3 == t2 + 1)
			goto bad;
		k.origin = ls_xstrndup(t2 + 1, (size_t)(t3 - t2 - 1));
		LS_ALLOC_GROW(set->v, set->n + 1, alloc);
		set->v[set->n++] = k;
	}
	if (set->n > 1)
		ls_sort(set->v, set->n, sizeof(*set->v), cmp_key);
	return set;
bad:
	ls_published_free(set);
	ls_err_set(err, LS_EFORMAT, name, lineno, 0,
		   "expected <sha256 hex> TAB <type> TAB <origin>");
	return NULL;
}

void ls_published_free(struct ls_published *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		free(set->v[i].origin);
	free(set->v);
	free(set);
}

size_t ls_published_count(const struct ls_published *set)
{
	return set ? set->n : 0;
}

const char *ls_published_find(const struct ls_published *set,
			      const unsigned char fp[LS_PUBKEY_FP_LEN])
{
	size_t lo = 0, hi = set ? set->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(set->v[mid].fp, fp, LS_PUBKEY_FP_LEN);
		if (!c)
			return set->v[mid].origin;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* generated from patterns/published-keys.tsv by src/tools/embed.c */
extern const struct ls_embedded_file ls_published_keys_file[];

static struct ls_published *builtin;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void load_builtin(void)
{
	const struct ls_embedded_file *f = ls_published_keys_file;
	char *text = ls_xmalloc(f->raw_len + 1);
	uLongf n = (uLongf)f->raw_len;
	struct ls_err err;

	ls_err_clear(&err);
	if (uncompress((Bytef *)text, &n, f->data, (uLong)f->len) != Z_OK ||
	    n != f->raw_len)
		LS_BUG("built-in %s is damaged", f->name);
	builtin = ls_published_parse(text, n, f->name, &err);
	if (!builtin)
		LS_BUG("built-in %s, line %d: %s", f->name, err.line, err.msg);
	free(text);
}

const struct ls_published *ls_published_default(void)
{
	pthread_once(&builtin_once, load_builtin);
	return builtin;
}

static int has_tag(const struct ls_rule *r, const char *tag)
{
	for (size_t i = 0; r && i < r->ntags; i++)
		if (!strcmp(r->tags[i], tag))
			return 1;
	return 0;
}

int ls_pubkey_is_note(const char *note)
{
	return note && !strncmp(note, LS_PUBKEY_NOTE_PREFIX,
				sizeof(LS_PUBKEY_NOTE_PREFIX) - 1);
}

int ls_pubkey_judge_finding(struct ls_finding *f)
{
	unsigned char fp[LS_PUBKEY_FP_LEN];
	const char *origin;
	char *note;

	if (!f->secret || !has_tag(f->rule, "private-key"))
		return 0;
	if (ls_pubkey_fingerprint(f->secret, f->secret_len, fp, NULL, NULL) &&
	    ls_pubkey_encrypted_fingerprint(f->secret, f->secret_len, fp, NULL))
		return 0;
	origin = ls_published_find(ls_published_default(), fp);
	if (!origin)
		return 0;
	f->severity = LS_SEV_INFO;
	if (f->note)
		note = ls_xasprintf(LS_PUBKEY_NOTE_PREFIX "%s; %s", origin,
				    f->note);
	else
		note = ls_xasprintf(LS_PUBKEY_NOTE_PREFIX "%s", origin);
	free(f->note);
	f->note = note;
	return 1;
}
