/*
 * tee.h - keep a copy of the bytes a reader passes, to hash them later.
 *
 * Provenance (docs/provenance.md) compares a file's bytes with the hash a
 * package database recorded, but only for files that gave a finding, and
 * whether a file gives one is known only after it was read.  Hashing every
 * file as it streams would cost more than the scan itself on image layers
 * (MD5 runs at a fraction of the scan's speed), so a source reads each
 * file through a tee that copies what passes into a buffer (a memcpy), and
 * hashes the copy only when the file had a finding.
 *
 * The buffer is reused from file to file (up to LS_TEE_KEEP bytes of it)
 * and holds at most `max` bytes
 * (LS_TEE_MAX by default): a longer file is not kept (ls_tee_digests()
 * says so), and its provenance stays unverified.  If the pipeline stopped
 * reading before the end (a binary file's prefix, --max-file-size),
 * ls_tee_drain() reads the rest through the tee first.
 *
 * Ownership: the tee owns its buffer; `under` is borrowed.
 */
#ifndef LS_CONTENT_TEE_H
#define LS_CONTENT_TEE_H

#include <stddef.h>

#include "content/chunk.h"

#define LS_TEE_MAX (8u << 20)
/* A buffer larger than this is freed before the next file. */
#define LS_TEE_KEEP (1u << 20)

struct ls_tee {
	struct ls_reader *under;   /* borrowed */
	char *buf;
	size_t n, alloc, max;
	int overflow;              /* more than max bytes passed */
	int eof;                   /* under returned 0 */
	int failed;                /* under returned an error */
};

struct ls_digests {
	unsigned char md5[16];
	unsigned char sha1[20];
	unsigned char sha256[32];
};

void ls_tee_init(struct ls_tee *t, size_t max);
void ls_tee_release(struct ls_tee *t);

/* Start a new file read from `under`; `r` becomes the reader to use. */
void ls_tee_start(struct ls_tee *t, struct ls_reader *under,
		  struct ls_reader *r);

/* The ls_reader function (ud: the tee). */
long ls_tee_read(void *ud, char *buf, size_t n, struct ls_err *err);

/*
 * Read what the pipeline left unread, keeping it.  0 when the tee now
 * holds the whole file, -1 when it cannot (longer than max, or the reader
 * failed).
 */
int ls_tee_drain(struct ls_tee *t);

/* Hash the whole file: 0, or -1 when the tee does not hold all of it. */
int ls_tee_digests(const struct ls_tee *t, struct ls_digests *d);

/* The same digests over a buffer. */
void ls_digests_of(const char *buf, size_t len, struct ls_digests *d);

#endif
