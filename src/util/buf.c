/* buf.c - growable strings and string vectors; see buf.h. */
#include "util/buf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void ls_buf_add(struct ls_buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = ls_xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

void ls_buf_adds(struct ls_buf *b, const char *s)
{
	ls_buf_add(b, s, strlen(s));
}

void ls_buf_addf(struct ls_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = ls_xvasprintf(fmt, ap);
	va_end(ap);
	ls_buf_adds(b, s);
	free(s);
}

char *ls_buf_detach(struct ls_buf *b)
{
	char *s = b->s ? b->s : ls_xstrdup("");

	memset(b, 0, sizeof(*b));
	return s;
}

void ls_buf_release(struct ls_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

void ls_strv_push(struct ls_strv *v, char *s)
{
	LS_ALLOC_GROW(v->v, v->n + 1, v->alloc);
	v->v[v->n++] = s;
}

void ls_strv_clear(struct ls_strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	v->n = 0;
}

void ls_strv_release(struct ls_strv *v)
{
	ls_strv_clear(v);
	free(v->v);
	memset(v, 0, sizeof(*v));
}
