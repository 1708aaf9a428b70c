/*
 * blobset.c - a compact set of git object ids; see blobset.h.
 *
 * Object ids are SHA-1 digests, evenly spread: the first byte picks the
 * shard and the next eight the slot (mixed with the tag for pairs).  A
 * slot index is (hash * cap) >> 32, so capacities need not be powers of
 * two and a shard can grow by half instead of doubling.  Linear probing.
 */
#include "source/git/blobset.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/xalloc.h"

#define MIN_CAP 16u

void ls_blobset_init(struct ls_blobset *set, enum ls_blobset_kind kind)
{
	memset(set, 0, sizeof(*set));
	set->kind = kind;
}

void ls_blobset_release(struct ls_blobset *set)
{
	for (int i = 0; i < LS_BLOBSET_SHARDS; i++)
		free(set->s[i].v);
	memset(set->s, 0, sizeof(set->s));
	set->n = 0;
}

static uint32_t slot_of(const struct ls_blobset *set,
			const struct ls_blobset_shard *sh,
			const unsigned char id[20], uint32_t tag)
{
	uint64_t h;

	memcpy(&h, id + 1, 8);
	if (set->kind == LS_BLOBSET_BY_PAIR)
		h ^= (uint64_t)(tag + 1) * 0x9e3779b97f4a7c15ull;
	h ^= h >> 29;
	return (uint32_t)(((h & 0xffffffffu) * sh->cap) >> 32);
}

static int match(const struct ls_blobset *set, const struct ls_blobset_entry *e,
		 const unsigned char id[20], uint32_t tag)
{
	return !memcmp(e->id, id, 20) &&
	       (set->kind == LS_BLOBSET_BY_ID || e->tag == tag);
}

struct ls_blobset_entry *ls_blobset_find(struct ls_blobset *set,
					 const unsigned char id[20],
					 uint32_t tag)
{
	struct ls_blobset_shard *sh = &set->s[id[0]];
	uint32_t i;

	if (!sh->cap)
		return NULL;
	for (i = slot_of(set, sh, id, tag); sh->v[i].tag != LS_BLOBSET_EMPTY;
	     i = i + 1 == sh->cap ? 0 : i + 1)
		if (match(set, &sh->v[i], id, tag))
			return &sh->v[i];
	return NULL;
}

static struct ls_blobset_entry *put(const struct ls_blobset *set,
				    struct ls_blobset_shard *sh,
				    const unsigned char id[20], uint32_t tag)
{
	uint32_t i = slot_of(set, sh, id, tag);

	while (sh->v[i].tag != LS_BLOBSET_EMPTY)
		i = i + 1 == sh->cap ? 0 : i + 1;
	memcpy(sh->v[i].id, id, 20);
	sh->v[i].tag = tag;
	sh->n++;
	return &sh->v[i];
}

static void grow(const struct ls_blobset *set, struct ls_blobset_shard *sh)
{
	struct ls_blobset_shard old = *sh;
	uint32_t cap = old.cap ? old.cap + old.cap / 2 : MIN_CAP;

	if (old.cap > UINT32_MAX / 3)
		LS_BUG("blob set shard over %u entries", old.cap);
	sh->cap = cap;
	sh->n = 0;
	sh->v = ls_xreallocarray(NULL, cap, sizeof(*sh->v));
	memset(sh->v, 0xff, (size_t)cap * sizeof(*sh->v));
	for (uint32_t i = 0; i < old.cap; i++)
		if (old.v[i].tag != LS_BLOBSET_EMPTY)
			put(set, sh, old.v[i].id, old.v[i].tag);
	free(old.v);
}

struct ls_blobset_entry *ls_blobset_add(struct ls_blobset *set,
					const unsigned char id[20],
					uint32_t tag)
{
	struct ls_blobset_shard *sh = &set->s[id[0]];

	if (tag == LS_BLOBSET_EMPTY)
		LS_BUG("blob set: reserved tag");
	if ((uint64_t)(sh->n + 1) * 8 > (uint64_t)sh->cap * 7)
		grow(set, sh);
	set->n++;
	return put(set, sh, id, tag);
}

size_t ls_blobset_bytes(const struct ls_blobset *set)
{
	size_t b = 0;

	for (int i = 0; i < LS_BLOBSET_SHARDS; i++)
		b += (size_t)set->s[i].cap * sizeof(struct ls_blobset_entry);
	return b;
}
