/*
 * validate.c - token checksums; see validate.h.
 *
 * crc32-base62: PREFIX_ BODY CCCCCC.  PREFIX runs to the last '_', CCCCCC is
 * the last six characters and must equal base62(crc32(BODY)) with the
 * alphabet 0-9A-Za-z, most significant digit first, left-padded with '0'.
 * 62^6 > 2^32, so six digits always suffice.  zlib provides the CRC.
 *
 * crc32-base62-mismatch passes exactly when crc32-base62 fails: a rule of
 * its own reports such lookalikes at a lower severity (docs/rules.md,
 * "Validators").
 */
#include "rules/validate.h"

#include <string.h>
#include <zlib.h>

static const char b62[] =
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

int ls_validate_crc32_base62(const char *secret, size_t len)
{
	const char *us = NULL;
	const char *body;
	size_t blen;
	unsigned long crc;
	char want[6];

	for (size_t i = len; i > 0; i--) {
		if (secret[i - 1] == '_') {
			us = secret + i - 1;
			break;
		}
	}
	body = us ? us + 1 : secret;
	blen = (size_t)(secret + len - body);
	if (blen <= 6)
		return 0;
	blen -= 6;
	crc = crc32(0L, (const Bytef *)body, (uInt)blen);
	for (int i = 5; i >= 0; i--) {
		want[i] = b62[crc % 62];
		crc /= 62;
	}
	return memcmp(want, body + blen, 6) == 0;
}

int ls_validate(enum ls_validator v, const char *secret, size_t len)
{
	switch (v) {
	case LS_VALIDATE_NONE:
		return 1;
	case LS_VALIDATE_CRC32_BASE62:
		return ls_validate_crc32_base62(secret, len);
	case LS_VALIDATE_CRC32_BASE62_MISMATCH:
		return !ls_validate_crc32_base62(secret, len);
	case LS_VALIDATE_BIP39:
		return ls_validate_bip39(secret, len);
	}
	return 0;
}
