/*
 * context.h - a build context (a directory) as a source of items.
 *
 * Walks DIR without recursion (an explicit stack, so depth is bounded only
 * by memory), in sorted order, yielding every regular file with its path
 * relative to DIR ('/'-separated).  Symbolic links are never followed, and
 * files are opened with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)
 * relative to DIR, so a directory swapped for a link during the walk cannot
 * lead outside it.  FIFOs, sockets and devices are skipped, never opened.
 *
 * If DIR is a regular file, that one file is the only item.
 *
 * An optional filter decides which paths the walk keeps (the ignore-file
 * matcher of the build-context issue plugs in here).
 */
#ifndef LS_SOURCE_CONTEXT_H
#define LS_SOURCE_CONTEXT_H

#include "source/source.h"

/*
 * Return 1 to keep `rel` (a file, or a directory to descend into), 0 to
 * skip it.  `is_dir` says which.
 */
typedef int (*ls_context_filter)(void *ud, const char *rel, int is_dir);

struct ls_context_opts {
	ls_context_filter filter;   /* NULL: keep everything */
	void *filter_ud;
	int list_only;              /* items are never opened */
};

/*
 * Make a source over `dir`.  Returns 0 and *out, or a negative LS_E* code
 * with `err` filled (dir missing, unreadable, not a directory or file).
 */
int ls_context_source_new(const char *dir, const struct ls_context_opts *o,
			  struct ls_source **out, struct ls_err *err);

#endif
