/*
 * source.h - the item iterator every source implements.
 *
 * A source (a directory, an image archive, a git history) yields items one
 * at a time.  An item names where bytes come from (a display path plus
 * optional layer or commit details) and opens a reader for them.  The scan
 * runner calls next() under a lock, then open()/close() from a worker
 * thread, so next() need not be thread-safe but open() must not touch
 * shared state of the source without its own locking.
 *
 * To add a source: fill a `struct ls_source` (see source/context.c, the
 * smallest one) and give the CLI a way to make it.
 *
 * Errors: next() returns a negative LS_E* code with `err` filled for a
 * problem with one entry (unreadable file, bad name): the runner records it
 * and calls next() again.  A source that cannot go on sets `dead` before
 * returning its error; the runner then stops pulling from it.
 */
#ifndef LS_SOURCE_SOURCE_H
#define LS_SOURCE_SOURCE_H

#include "content/chunk.h"
#include "finding/finding.h"
#include "util/err.h"

struct ls_item {
	enum ls_source_kind source;
	char *path;                       /* display path, owned */
	const struct ls_finding_layer *layer;   /* borrowed or NULL */
	const struct ls_finding_commit *commit; /* borrowed or NULL */
	const char *field, *key;          /* image config: "Env", "API_KEY" */
	long history_index;               /* image history entry, or -1 */
	const char *note;                 /* copied into findings, or NULL */
	const char *origin;               /* for messages: the image the
					     layer is in (NULL: none) */
	const char *match_path;           /* path for path rules (NULL: path) */
	unsigned long line_base;          /* line number of the first byte
					     (0: 1); for text cut from a file */
	int ignored;                      /* excluded by the ignore file but
					     scanned (--all-files): findings
					     are two severity levels lower */
	int *capped;                      /* when not NULL: set to 1 if
					     --max-findings cut the item's
					     findings, and the source reports
					     it (an image judges it after
					     provenance); NULL: an error */
	/* Open the content; fills `r`.  0 or a negative LS_E* code. */
	int (*open)(struct ls_item *it, struct ls_reader *r,
		    struct ls_err *err);
	void (*close)(struct ls_item *it);
	void *priv;
};

struct ls_source {
	const char *name;
	/* 1: an item in *out; 0: no more items; < 0: error (see above) */
	int (*next)(struct ls_source *s, struct ls_item **out,
		    struct ls_err *err);
	void (*item_free)(struct ls_item *it);
	void (*free)(struct ls_source *s);
	int dead;
	void *priv;
};

#endif
