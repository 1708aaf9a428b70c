/*
 * buf.h - growable byte strings and string vectors.
 *
 * struct ls_buf: bytes, always NUL-terminated, grown by doubling.  The
 * owner frees `s` with ls_buf_release() or takes it with ls_buf_detach().
 * A zeroed struct is an empty buffer.  Buffers fed by scanned input must be
 * bounded by the caller (each use names its maximum).
 *
 * struct ls_strv: a vector of heap strings it owns (push takes ownership).
 * A zeroed struct is an empty vector.
 */
#ifndef LS_UTIL_BUF_H
#define LS_UTIL_BUF_H

#include <stddef.h>

struct ls_buf {
	char *s;
	size_t n, cap;
};

void ls_buf_add(struct ls_buf *b, const char *s, size_t n);
void ls_buf_adds(struct ls_buf *b, const char *s);
void ls_buf_addf(struct ls_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hand over the string (never NULL; "" when empty); the buffer is reset. */
char *ls_buf_detach(struct ls_buf *b);
void ls_buf_release(struct ls_buf *b);

struct ls_strv {
	char **v;
	size_t n, alloc;
};

/* Append `s`; the vector takes ownership. */
void ls_strv_push(struct ls_strv *v, char *s);
/* Free every string (the array stays allocated; n = 0). */
void ls_strv_clear(struct ls_strv *v);
/* Free every string and the array. */
void ls_strv_release(struct ls_strv *v);

#endif
