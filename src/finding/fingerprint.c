/* fingerprint.c - finding fingerprints; see fingerprint.h. */
#include "finding/fingerprint.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

static void hex(const unsigned char *d, size_t n, char *out)
{
	static const char h[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = h[d[i] >> 4];
		out[2 * i + 1] = h[d[i] & 15];
	}
	out[2 * n] = '\0';
}

void ls_sha256_hex(const void *data, size_t len, char out[65])
{
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(d), d);
	hex(d, sizeof(d), out);
}

void ls_fingerprint_set(struct ls_finding *f, const char *where)
{
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_SIZE];
	const char *id = f->rule ? f->rule->id : "";
	char h[33];

	sha256_init(&ctx);
	sha256_update(&ctx, 4, (const uint8_t *)"ls1");
	sha256_update(&ctx, strlen(id) + 1, (const uint8_t *)id);
	sha256_update(&ctx, strlen(where) + 1, (const uint8_t *)where);
	sha256_update(&ctx, f->secret_len, (const uint8_t *)f->secret);
	sha256_digest(&ctx, sizeof(d), d);
	hex(d, 16, h);
	snprintf(f->fingerprint, sizeof(f->fingerprint), "ls1:%s", h);
}
