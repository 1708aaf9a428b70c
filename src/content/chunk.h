/*
 * chunk.h - cut a byte stream into capped, overlapping chunks.
 *
 * Memory per stream is fixed (LS_CHUNK_SIZE + LS_CHUNK_OVERLAP +
 * LS_CHUNK_BACK), whatever the file size.  A chunk "owns" the match start
 * offsets [own_start, own_end): own_end is LS_CHUNK_OVERLAP before its end
 * (the last chunk owns to its end), and the next chunk starts LS_CHUNK_BACK
 * before that point with own_start = LS_CHUNK_BACK, so own regions tile the
 * stream.  A secret that crosses a boundary is seen whole by the chunk that
 * owns its start, and reported once.  The overlap is larger
 * than any rule window plus look-behind, see rules.h.
 *
 * Positions: ls_chunker_position() maps an offset in the current chunk to
 * the 1-based line and byte column in the whole stream.  Lines before the
 * chunk are counted as the chunker advances; inside the chunk a newline
 * index is built lazily, only when a chunk has findings.
 *
 * Binary: the first chunk decides, like git: a NUL byte in the first 8000
 * bytes makes the stream binary.
 */
#ifndef LS_CONTENT_CHUNK_H
#define LS_CONTENT_CHUNK_H

#include <stddef.h>

#include "util/err.h"

#define LS_CHUNK_SIZE (1u << 20)
#define LS_CHUNK_OVERLAP (32u << 10)
/* Bytes before a later chunk's own region: context for \b and look-behind,
 * and room for a match that began in the previous chunk to be seen whole
 * (so it is recognised as the previous chunk's, not reported again). */
#define LS_CHUNK_BACK (1u << 10)
#define LS_BINARY_SNIFF 8000

/*
 * A byte source.  read() returns the number of bytes stored (0 at the end)
 * or a negative LS_E* code after filling `err`; LS_ELIMIT with an empty
 * err.msg means the reader hit a limit it has reported itself.
 */
struct ls_reader {
	long (*read)(void *ud, char *buf, size_t n, struct ls_err *err);
	void *ud;
};

/* A reader over `len` bytes at `p` (borrowed); `m` holds its position. */
struct ls_mem_reader {
	const char *p;
	size_t len, off;
};
void ls_reader_mem(struct ls_reader *r, struct ls_mem_reader *m,
		   const char *p, size_t len);

struct ls_chunker {
	char *buf;                 /* LS_CHUNK_SIZE + LS_CHUNK_OVERLAP */
	size_t len;                /* bytes in buf */
	size_t own_start, own_end; /* this chunk's match starts */
	unsigned long long base;   /* stream offset of buf[0] */
	unsigned long base_line;   /* line number of buf[0] */
	unsigned long long base_line_start;  /* stream offset of that line */
	int binary;
	int eof;
	int started;
	unsigned long long total;  /* bytes read so far */
	/* lazy newline index of the current chunk */
	size_t *nl;
	size_t nnl, nl_alloc;
	int nl_valid;
};

void ls_chunker_init(struct ls_chunker *c);
void ls_chunker_release(struct ls_chunker *c);

/*
 * Make the next chunk from `r`.  Returns 1 when a chunk is ready (buf, len,
 * own_end), 0 at the end of the stream, or a negative LS_E* code from the
 * reader.  An empty stream yields no chunk.
 */
int ls_chunker_next(struct ls_chunker *c, struct ls_reader *r,
		    struct ls_err *err);

/* 1-based line and column of offset `off` in the current chunk. */
void ls_chunker_position(struct ls_chunker *c, size_t off,
			 unsigned long *line, unsigned long *col);

/* 1 if buf[0..len) looks binary (NUL in the sniffed prefix). */
int ls_is_binary(const char *buf, size_t len);

#endif
