/*
 * strset.h - a set of strings (open addressing, FNV-1a), with an optional
 * integer value per string.
 *
 * Used for per-layer path sets (whiteouts, overwrites) and name -> record
 * maps.  Strings are copied; the set owns them.  Lookups are O(1) on
 * average; the table doubles at 50 % load.
 */
#ifndef LS_UTIL_STRSET_H
#define LS_UTIL_STRSET_H

#include <stddef.h>

struct ls_strset {
	char **keys;
	long *vals;
	size_t cap, n;
};

void ls_strset_init(struct ls_strset *s);
void ls_strset_release(struct ls_strset *s);
/* Add `key` (value `val`); if present, only the value is replaced. */
void ls_strset_put(struct ls_strset *s, const char *key, long val);
/* 1 if present (and *val set when val is not NULL), else 0. */
int ls_strset_get(const struct ls_strset *s, const char *key, long *val);

#endif
