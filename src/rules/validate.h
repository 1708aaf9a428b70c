/*
 * validate.h - checksums that a token format carries.
 *
 * GitHub (ghp_ gho_ ghu_ ghs_ ghr_) and npm (npm_) tokens end in six base62
 * characters that encode the CRC-32 of the random body before them: a
 * lookalike with a wrong checksum (a typo, a doc example, a made-up test
 * value) is not a live token, so it is not reported.  The format is
 * described in docs/rules.md ("Validators").  crc32-base62-mismatch is its
 * negation, for the rules that report such lookalikes at low severity
 * outside documentation and tests.
 *
 * BIP-39 mnemonics (wallet seed phrases) carry a SHA-256 checksum in their
 * last word: validate = "bip39" (bip39.c).
 */
#ifndef LS_RULES_VALIDATE_H
#define LS_RULES_VALIDATE_H

#include <stddef.h>

#include "rules/rules.h"

/*
 * Check `secret` against `v`.  Returns 1 if it passes (or v is
 * LS_VALIDATE_NONE), 0 if not.
 */
int ls_validate(enum ls_validator v, const char *secret, size_t len);

/* The crc32-base62 check alone, exposed for tests. */
int ls_validate_crc32_base62(const char *secret, size_t len);

/*
 * bip39 (bip39.c): some 12, 15, 18, 21 or 24 consecutive lower-case words
 * of `secret` are a BIP-39 mnemonic (English list, correct checksum).
 */
int ls_validate_bip39(const char *secret, size_t len);

#endif
