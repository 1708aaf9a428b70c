/*
 * sort.h - qsort that accepts an empty array.
 *
 * qsort(NULL, 0, ...) is undefined behaviour (its first argument is
 * declared non-null), and empty lists are everywhere here: a directory
 * without entries, a scan without findings.  Use ls_sort instead of qsort.
 */
#ifndef LS_UTIL_SORT_H
#define LS_UTIL_SORT_H

#include <stdlib.h>

static inline void ls_sort(void *base, size_t n, size_t size,
			   int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

#endif
