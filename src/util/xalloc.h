/*
 * xalloc.h - allocation wrappers that never return NULL.
 *
 * Out of memory is not a recoverable condition for a scanner: these print
 * one line to stderr and exit with status 2 (the input-error status, since
 * a scan that could not finish must never look clean).  There are no OOM
 * branches anywhere else in the code.
 */
#ifndef LS_UTIL_XALLOC_H
#define LS_UTIL_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *ls_xmalloc(size_t n);
void *ls_xcalloc(size_t nmemb, size_t size);
void *ls_xrealloc(void *p, size_t n);
/* realloc for arrays with overflow check: nmemb * size bytes. */
void *ls_xreallocarray(void *p, size_t nmemb, size_t size);
char *ls_xstrdup(const char *s);
/* Copy `n` bytes of `s` and add a NUL. */
char *ls_xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *ls_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *ls_xvasprintf(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));

/*
 * Grow an array `p` holding `nr` elements with capacity `alloc` so it can
 * hold at least `need` elements (like git's ALLOC_GROW).
 */
#define LS_ALLOC_GROW(p, need, alloc)                                        \
	do {                                                                 \
		if ((size_t)(need) > (alloc)) {                              \
			size_t ls_ag_n = (alloc) ? (alloc) * 2 : 8;          \
			if (ls_ag_n < (size_t)(need))                        \
				ls_ag_n = (size_t)(need);                    \
			(p) = ls_xreallocarray((p), ls_ag_n, sizeof(*(p)));  \
			(alloc) = ls_ag_n;                                   \
		}                                                            \
	} while (0)

#endif
