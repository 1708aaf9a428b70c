/* tee.c - keep a copy of what a reader passes (see tee.h). */
#include "content/tee.h"

#include <stdlib.h>
#include <string.h>

#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "util/err.h"
#include "util/xalloc.h"

void ls_tee_init(struct ls_tee *t, size_t max)
{
	memset(t, 0, sizeof(*t));
	t->max = max ? max : LS_TEE_MAX;
}

void ls_tee_release(struct ls_tee *t)
{
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

void ls_tee_start(struct ls_tee *t, struct ls_reader *under,
		  struct ls_reader *r)
{
	t->under = under;
	/* a big buffer is not kept from file to file: most files are small,
	 * and the memory would stay resident for the whole scan */
	if (t->alloc > LS_TEE_KEEP) {
		free(t->buf);
		t->buf = NULL;
		t->alloc = 0;
	}
	t->n = 0;
	t->overflow = t->eof = t->failed = 0;
	r->read = ls_tee_read;
	r->ud = t;
}

static void keep(struct ls_tee *t, const char *p, size_t n)
{
	if (t->overflow)
		return;
	if (n > t->max - t->n) {
		t->overflow = 1;
		return;
	}
	if (t->n + n > t->alloc) {
		size_t a = t->alloc ? t->alloc : 64 * 1024;
		while (a < t->n + n)
			a *= 2;
		if (a > t->max)
			a = t->max;
		t->buf = ls_xrealloc(t->buf, a);
		t->alloc = a;
	}
	memcpy(t->buf + t->n, p, n);
	t->n += n;
}

long ls_tee_read(void *ud, char *buf, size_t n, struct ls_err *err)
{
	struct ls_tee *t = ud;
	long got;

	if (t->eof)
		return 0;
	got = t->under->read(t->under->ud, buf, n, err);
	if (got < 0)
		t->failed = 1;
	else if (got == 0)
		t->eof = 1;
	else
		keep(t, buf, (size_t)got);
	return got;
}

int ls_tee_drain(struct ls_tee *t)
{
	char tmp[64 * 1024];
	struct ls_err err;

	ls_err_clear(&err);
	while (!t->eof && !t->failed && !t->overflow)
		if (ls_tee_read(t, tmp, sizeof(tmp), &err) < 0)
			break;
	return t->eof && !t->failed && !t->overflow ? 0 : -1;
}

void ls_digests_of(const char *buf, size_t len, struct ls_digests *d)
{
	struct md5_ctx m;
	struct sha1_ctx s1;
	struct sha256_ctx s2;
	const uint8_t *p = (const uint8_t *)buf;

	md5_init(&m);
	md5_update(&m, len, p);
	md5_digest(&m, sizeof(d->md5), d->md5);
	sha1_init(&s1);
	sha1_update(&s1, len, p);
	sha1_digest(&s1, sizeof(d->sha1), d->sha1);
	sha256_init(&s2);
	sha256_update(&s2, len, p);
	sha256_digest(&s2, sizeof(d->sha256), d->sha256);
}

int ls_tee_digests(const struct ls_tee *t, struct ls_digests *d)
{
	if (!t->eof || t->failed || t->overflow)
		return -1;
	ls_digests_of(t->buf ? t->buf : "", t->n, d);
	return 0;
}
