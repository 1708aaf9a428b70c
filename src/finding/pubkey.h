/*
 * pubkey.h - the public key of a private-key finding, and the set of
 * private keys published on purpose.
 *
 * A private key found in scanned content is a leak unless its authors
 * published it: libraries compile self-test keys into their binaries
 * (GnuTLS, mbedTLS), test suites ship .pem files (CPython, Go), RFCs print
 * example keys.  Such a key is recognised by its public key, so that every
 * encoding of the same key (PKCS#1, PKCS#8, SEC1, OpenSSH, any line
 * wrapping, escaped in a JSON string) matches the same entry:
 *
 *   fingerprint = SHA-256 of the DER SubjectPublicKeyInfo (RFC 5280) of
 *                 the key's public key
 *
 * the same bytes as `openssl pkey -in k.pem -pubout -outform DER | sha256sum`.
 * patterns/published-keys.tsv lists the fingerprints of the published keys
 * (built by src/tools/published-keys.sh; embedded into the binary), and a
 * finding of a rule tagged "private-key" whose key is in it is reported as
 * `info` with the note "a published test key from <origin>"
 * (ls_pubkey_judge_finding).
 *
 * What is read (ls_pubkey_fingerprint):
 *   RSA PRIVATE KEY      PKCS#1: n and e are in it
 *   DSA PRIVATE KEY      OpenSSL's (0, p, q, g, y, x)
 *   EC PRIVATE KEY       SEC1 (RFC 5915): the public point when present,
 *                        else computed for P-192/224/256/384/521
 *   PRIVATE KEY          PKCS#8 / RFC 5958 with RSA, RSA-PSS, DSA (y =
 *                        g^x mod p), EC as above, Ed25519, Ed448, X25519,
 *                        X448 (public keys derived with nettle), GOST R
 *                        34.10-2001/2012 on the curves nettle has (gc256b
 *                        = CryptoPro-A, gc512a)
 *   OPENSSH PRIVATE KEY  the public key blob (in clear text even when the
 *                        private part is encrypted): ssh-rsa, ssh-dss,
 *                        ssh-ed25519, ecdsa-sha2-nistp256/384/521
 * Not readable: ENCRYPTED PRIVATE KEY and legacy PEM with Proc-Type
 * headers (the public key is encrypted too), secp256k1 and other curves
 * nettle lacks when the key has no public point, security-key (sk-*)
 * OpenSSH keys.
 *
 * Encrypted keys are published too (mbedTLS compiles its test keys
 * encrypted with a published passphrase into libmbedx509).  Their public
 * key is out of reach, so they are recognised by their ciphertext instead:
 * ls_pubkey_encrypted_fingerprint, the SHA-256 of the decoded body (after
 * the RFC 1421 headers).  It names the same published bytes in any
 * armor, but not the same key in another encoding; the two kinds of
 * fingerprint share the published set (they hash different things).
 *
 * The input is hostile: the text may be cut, escaped, or garbage.  It is
 * read at most LS_PUBKEY_TEXT_MAX bytes; the decoded key at most
 * LS_PUBKEY_DER_MAX; every DER length is checked against what is left of
 * its enclosing element before it is used.
 */
#ifndef LS_FINDING_PUBKEY_H
#define LS_FINDING_PUBKEY_H

#include <stddef.h>

#include "util/err.h"

struct ls_finding;

/* Longest secret text considered (a PEM block with escapes and indents). */
#define LS_PUBKEY_TEXT_MAX 65536
/* Largest decoded key (an 8192-bit RSA key in PKCS#8 is ~4.9 KB). */
#define LS_PUBKEY_DER_MAX 16384
#define LS_PUBKEY_FP_LEN 32
/* Longest key type name ("rsa-16384", "ec-secp521r1", "gost2012-512"). */
#define LS_PUBKEY_TYPE_MAX 32

/*
 * The fingerprint of the private key in `text[0..len)` (the whole PEM
 * block, from "-----BEGIN"; escapes as found in scanned content: "\n",
 * "\\n", quotes, '+', indentation).  On success fills `fp` and, unless
 * NULL, `type` (e.g. "rsa-2048", "ec-prime256v1", "ed25519") and returns 0.
 * Returns LS_EUNSUPPORTED for keys whose public key is out of reach
 * (encrypted, unknown algorithm or curve), LS_EFORMAT for anything
 * malformed (err says what); never reads outside text[0..len).
 * Thread-safe.
 */
int ls_pubkey_fingerprint(const char *text, size_t len,
			  unsigned char fp[LS_PUBKEY_FP_LEN],
			  char type[LS_PUBKEY_TYPE_MAX], struct ls_err *err);

/*
 * For an encrypted key (ENCRYPTED PRIVATE KEY, or a legacy PEM block with
 * Proc-Type/DEK-Info headers): the SHA-256 of its decoded ciphertext.
 * Returns 0, LS_EUNSUPPORTED when the block is not an encrypted key, or
 * LS_EFORMAT.
 */
int ls_pubkey_encrypted_fingerprint(const char *text, size_t len,
				    unsigned char fp[LS_PUBKEY_FP_LEN],
				    struct ls_err *err);

/*
 * A set of published keys: fingerprint -> origin.
 *
 * The text format is patterns/published-keys.tsv: '#' comments and blank
 * lines are skipped, every other line is
 *   <64 hex digits> TAB <type> TAB <origin> [TAB <where>]
 * Loading checks every line (LS_EFORMAT naming the first bad one, with
 * err->line set).  The set owns its memory.
 */
struct ls_published;

/* Parse `text[0..len)`; `name` names it in errors.  NULL on error. */
struct ls_published *ls_published_parse(const char *text, size_t len,
					const char *name, struct ls_err *err);
void ls_published_free(struct ls_published *set);
size_t ls_published_count(const struct ls_published *set);
/* The origin of the key with fingerprint `fp` (borrowed), or NULL. */
const char *ls_published_find(const struct ls_published *set,
			      const unsigned char fp[LS_PUBKEY_FP_LEN]);

/*
 * The built-in set (patterns/published-keys.tsv as embedded at build
 * time), parsed on first use (thread-safe) and kept until exit.  A
 * damaged built-in file is a bug (LS_BUG).
 */
const struct ls_published *ls_published_default(void);

/*
 * For a finding of a rule tagged "private-key": when its secret is a key
 * in the built-in set (by its public key, or an encrypted key by its
 * ciphertext), lower its severity to LS_SEV_INFO and put "a
 * published test key from <origin>" in front of its note.  Returns 1 when
 * it did, 0 otherwise (not a private-key rule, not published, unreadable).
 */
int ls_pubkey_judge_finding(struct ls_finding *f);

/* How that note starts (a source that rewrites notes may keep it). */
#define LS_PUBKEY_NOTE_PREFIX "a published test key from "

/* Does `note` (NULL: no) start with that? */
int ls_pubkey_is_note(const char *note);

#endif
