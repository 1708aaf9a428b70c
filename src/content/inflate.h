/*
 * inflate.h - a streaming gzip decoder as an ls_reader (ISA-L).
 *
 * Why: gzip image layers (oci-archive, docker save 25+) are inflated once
 * per scan, and zlib, which libarchive uses, inflates at a third of the
 * speed of ISA-L's igzip on these machines (see docs/performance.md): the
 * inflate alone was slower than the whole matcher.  So a gzip layer is
 * inflated here and libarchive sees a plain tar through its read callback.
 *
 * Format: one or more gzip members back to back (as gzip(1) and
 * libarchive accept), each checked against its CRC-32 and length trailer.
 * Bytes after the last member that do not start another member are
 * ignored, as libarchive does.
 *
 * Memory: fixed, about LS_GUNZIP_IN plus ISA-L's state (~ 90 KiB), per
 * decoder, whatever the stream's size.
 *
 * Errors: ls_gunzip_read() returns a negative LS_E* code with `err` filled:
 * the reader's own errors as they came, LS_EFORMAT for corrupt or
 * truncated gzip data (message "gzip: ...").
 */
#ifndef LS_CONTENT_INFLATE_H
#define LS_CONTENT_INFLATE_H

#include <stddef.h>

#include "content/chunk.h"

#define LS_GUNZIP_IN (128u << 10)

struct ls_gunzip;

/* 1 if p[0..n) starts like a gzip member (magic and deflate method). */
int ls_is_gzip(const unsigned char *p, size_t n);

/* Decode the gzip stream `under` (borrowed: it must outlive the decoder). */
struct ls_gunzip *ls_gunzip_new(struct ls_reader *under);
void ls_gunzip_free(struct ls_gunzip *g);

/* ls_reader read function; `ud` is a struct ls_gunzip. */
long ls_gunzip_read(void *ud, char *buf, size_t n, struct ls_err *err);

#endif
