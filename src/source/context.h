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
 * With ignore rules (source/ignore.h) the walk yields exactly the files the
 * build would send.
 */
#ifndef LS_SOURCE_CONTEXT_H
#define LS_SOURCE_CONTEXT_H

#include "scan/scan.h"
#include "source/source.h"

struct ls_ignore;

struct ls_context_opts {
	/*
	 * The ignore rules of the build (borrowed; NULL: none).  Files they
	 * exclude are not items, and excluded directories are not entered
	 * unless the engine would enter them (see ignore.h) -- except with
	 * `all_files`, where excluded files are items marked `ignored`.
	 */
	const struct ls_ignore *ignore;
	int all_files;
	/*
	 * Limits (borrowed; NULL: the defaults): a file or directory whose
	 * path is longer than path_length is not opened, and a walk that
	 * meets more than `entries` names stops; each is an error from next().
	 */
	const struct ls_limits *limits;
};

/*
 * Make a source over `dir`.  Returns 0 and *out, or a negative LS_E* code
 * with `err` filled (dir missing, unreadable, not a directory or file).
 */
int ls_context_source_new(const char *dir, const struct ls_context_opts *o,
			  struct ls_source **out, struct ls_err *err);

#endif
