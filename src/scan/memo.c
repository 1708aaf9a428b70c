/* memo.c - the results memo; see memo.h. */
#include "scan/memo.h"

#include <nettle/sha2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strset.h"
#include "util/xalloc.h"

struct ls_memo {
	pthread_mutex_t lock;
	pthread_cond_t done;           /* a claim ended */
	struct ls_strset index;        /* hex key -> entry */
	struct ls_memo_entry **v;
	size_t n, alloc;
	size_t used, budget;
	unsigned char (*claimed)[LS_MEMO_KEY];   /* copies being scanned */
	size_t nclaimed, claimed_alloc;
};

struct ls_memo *ls_memo_new(size_t budget)
{
	struct ls_memo *m = ls_xcalloc(1, sizeof(*m));

	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->done, NULL);
	ls_strset_init(&m->index);
	m->budget = budget;
	return m;
}

void ls_memo_free(struct ls_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		ls_memo_entry_free(m->v[i]);
	free(m->v);
	ls_strset_release(&m->index);
	free(m->claimed);
	pthread_cond_destroy(&m->done);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

void ls_memo_key(unsigned char key[LS_MEMO_KEY], const void *data, size_t len,
		 unsigned char tag)
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, len, data);
	sha256_digest(&c, SHA256_DIGEST_SIZE, key);
	key[SHA256_DIGEST_SIZE] = tag;
}

static void hex(char out[2 * LS_MEMO_KEY + 1], const unsigned char *key)
{
	for (size_t i = 0; i < LS_MEMO_KEY; i++)
		snprintf(out + 2 * i, 3, "%02x", key[i]);
}

/* Index of `key` among the claimed keys, or -1.  Under the lock. */
static long claimed_at(const struct ls_memo *m,
		       const unsigned char key[LS_MEMO_KEY])
{
	for (size_t i = 0; i < m->nclaimed; i++)
		if (!memcmp(m->claimed[i], key, LS_MEMO_KEY))
			return (long)i;
	return -1;
}

/* End the claim on `key`, if any, and wake the waiters.  Under the lock. */
static void unclaim(struct ls_memo *m, const unsigned char key[LS_MEMO_KEY])
{
	long i = claimed_at(m, key);

	if (i < 0)
		return;
	memcpy(m->claimed[i], m->claimed[m->nclaimed - 1], LS_MEMO_KEY);
	m->nclaimed--;
	pthread_cond_broadcast(&m->done);
}

int ls_memo_claim(struct ls_memo *m, const unsigned char key[LS_MEMO_KEY],
		  int wait, const struct ls_memo_entry **e)
{
	char h[2 * LS_MEMO_KEY + 1];
	long i;
	int rc;

	*e = NULL;
	hex(h, key);
	pthread_mutex_lock(&m->lock);
	for (;;) {
		if (ls_strset_get(&m->index, h, &i)) {
			*e = m->v[i];
			rc = LS_MEMO_HIT;
			break;
		}
		if (claimed_at(m, key) < 0) {
			LS_ALLOC_GROW(m->claimed, m->nclaimed + 1,
				      m->claimed_alloc);
			memcpy(m->claimed[m->nclaimed++], key, LS_MEMO_KEY);
			rc = LS_MEMO_MINE;
			break;
		}
		if (!wait) {
			rc = LS_MEMO_BUSY;
			break;
		}
		/* another thread scans a copy: its result, or the claim */
		pthread_cond_wait(&m->done, &m->lock);
	}
	pthread_mutex_unlock(&m->lock);
	return rc;
}

void ls_memo_unclaim(struct ls_memo *m, const unsigned char key[LS_MEMO_KEY])
{
	pthread_mutex_lock(&m->lock);
	unclaim(m, key);
	pthread_mutex_unlock(&m->lock);
}

struct ls_memo_entry *ls_memo_entry_new(const unsigned char key[LS_MEMO_KEY],
					size_t siglen)
{
	struct ls_memo_entry *e = ls_xcalloc(1, sizeof(*e));

	memcpy(e->key, key, LS_MEMO_KEY);
	e->siglen = siglen;
	e->cost = sizeof(*e);
	return e;
}

void ls_memo_entry_item(struct ls_memo_entry *e, const char *sfx,
			const unsigned char *sig)
{
	size_t need = (e->nsfx + 1) * e->siglen;

	LS_ALLOC_GROW(e->sfx, e->nsfx + 1, e->sfx_alloc);
	LS_ALLOC_GROW(e->sigs, need ? need : 1, e->sigs_alloc);
	e->sfx[e->nsfx] = ls_xstrdup(sfx);
	if (e->siglen)
		memcpy(e->sigs + e->nsfx * e->siglen, sig, e->siglen);
	e->nsfx++;
	e->cost += strlen(sfx) + 1 + e->siglen + 2 * sizeof(char *);
}

void ls_memo_entry_finding(struct ls_memo_entry *e, const struct ls_finding *f,
			   size_t plen)
{
	struct ls_finding *t = ls_finding_dup(f);
	size_t len = f->path ? strlen(f->path) : 0;

	free(t->path);
	t->path = ls_xstrdup(len >= plen ? f->path + plen : "");
	ls_finding_set_layer(t, NULL);
	t->fingerprint[0] = '\0';
	LS_ALLOC_GROW(e->f, e->nf + 1, e->f_alloc);
	e->f[e->nf++] = t;
	e->cost += sizeof(*t) + strlen(t->path) + (t->secret ? strlen(t->secret) : 0) + 64;
}

void ls_memo_entry_free(struct ls_memo_entry *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nsfx; i++)
		free(e->sfx[i]);
	free(e->sfx);
	free(e->sigs);
	for (size_t i = 0; i < e->nf; i++)
		ls_finding_free(e->f[i]);
	free(e->f);
	free(e);
}

void ls_memo_put(struct ls_memo *m, struct ls_memo_entry *e)
{
	char h[2 * LS_MEMO_KEY + 1];

	hex(h, e->key);
	pthread_mutex_lock(&m->lock);
	unclaim(m, e->key);
	if (m->used + e->cost > m->budget || ls_strset_get(&m->index, h, NULL)) {
		pthread_mutex_unlock(&m->lock);
		ls_memo_entry_free(e);
		return;
	}
	LS_ALLOC_GROW(m->v, m->n + 1, m->alloc);
	ls_strset_put(&m->index, h, (long)m->n);
	m->v[m->n++] = e;
	m->used += e->cost;
	pthread_mutex_unlock(&m->lock);
}
