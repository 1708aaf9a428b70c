/*
 * blobset.h - a compact set of git object ids with a 32-bit tag each: the
 * (blob, path) pairs a history scan has already had (source/githist.c).
 *
 * An entry is 24 bytes: the 20-byte id and the tag.  The table is cut in
 * 256 shards by the id's first byte; a shard is an open-addressing array
 * that grows by half when it is 7/8 full, so it is between 7/12 and 7/8
 * full and an entry costs 27-41 bytes (about 33 on average), and growing
 * copies one shard, never the whole set.
 *
 * Two kinds of lookup, chosen when the set is made:
 *   - by id (LS_BLOBSET_BY_ID): one entry per id; the tag is a value
 *     (githist: the first path id the blob was had at, and a flag bit).
 *   - by id and tag (LS_BLOBSET_BY_PAIR): the tag is part of the key.
 * Tag LS_BLOBSET_EMPTY (all ones) is reserved.
 *
 * Not thread-safe; the creator frees with ls_blobset_release().
 */
#ifndef LS_SOURCE_GIT_BLOBSET_H
#define LS_SOURCE_GIT_BLOBSET_H

#include <stddef.h>
#include <stdint.h>

#define LS_BLOBSET_EMPTY UINT32_MAX
#define LS_BLOBSET_SHARDS 256

enum ls_blobset_kind { LS_BLOBSET_BY_ID, LS_BLOBSET_BY_PAIR };

struct ls_blobset_entry {
	unsigned char id[20];
	uint32_t tag;               /* LS_BLOBSET_EMPTY: a free slot */
};

struct ls_blobset {
	enum ls_blobset_kind kind;
	struct ls_blobset_shard {
		struct ls_blobset_entry *v;
		uint32_t cap, n;
	} s[LS_BLOBSET_SHARDS];
	size_t n;                   /* entries in all shards */
};

void ls_blobset_init(struct ls_blobset *set, enum ls_blobset_kind kind);
void ls_blobset_release(struct ls_blobset *set);

/*
 * The entry for `id` (by id) or for (`id`, `tag`) (by pair), or NULL.
 * The pointer is valid until the next insertion; its tag may be changed
 * (by id only: in a by-pair set the tag is the key).
 */
struct ls_blobset_entry *ls_blobset_find(struct ls_blobset *set,
					 const unsigned char id[20],
					 uint32_t tag);

/*
 * Insert (`id`, `tag`), which must not be found yet; returns its entry
 * (valid until the next insertion).  Aborts on out-of-memory like
 * ls_xmalloc.
 */
struct ls_blobset_entry *ls_blobset_add(struct ls_blobset *set,
					const unsigned char id[20],
					uint32_t tag);

/* Bytes the set holds (its arrays), for the -v note and the tests. */
size_t ls_blobset_bytes(const struct ls_blobset *set);

#endif
