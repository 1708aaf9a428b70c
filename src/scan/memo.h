/*
 * memo.h - the results memo: what scanning an archive's bytes found,
 * replayed for the next copy of the same bytes.
 *
 * Images repeat files: `RUN chown -R` or `COPY --chown` copies a tree into a
 * new layer, multi-stage builds copy the same jars and tarballs, one test
 * archive ships at two paths.  A nested archive costs most per byte (its
 * bzip2 or zip must be inflated, then everything in it scanned), so the
 * image reader keys each small one by the SHA-256 of its bytes and records
 * what its scan found: the paths of the items in it (after the archive's
 * own path and '!') with their path signatures (rules/match.h), the
 * findings (paths relative the same way), and the files and bytes it
 * counted.  The next copy with the same key is not read again when every
 * item path under the new archive path has the same signature as before:
 * the findings are copied under the new path and layer.  An archive whose
 * scan recorded any error or note is not kept (its messages name where it
 * was), so a replay is always exactly what a scan would give, whatever the
 * thread count and whichever copy comes first.
 *
 * Thread-safe: entries are immutable once put and live as long as the memo;
 * a copy being scanned is claimed, and other threads that meet the same
 * bytes meanwhile are told so or wait for its result (ls_memo_claim()).
 * The memo holds at most `budget` bytes; past it, nothing more is kept.
 */
#ifndef LS_SCAN_MEMO_H
#define LS_SCAN_MEMO_H

#include <stddef.h>

#include "finding/finding.h"

#define LS_MEMO_KEY 33   /* SHA-256 of the bytes, and a tag */

struct ls_memo_entry {
	unsigned char key[LS_MEMO_KEY];
	size_t siglen;                 /* bytes of each path signature */
	char **sfx;                    /* item paths after the prefix */
	unsigned char *sigs;           /* nsfx signatures, siglen bytes each */
	size_t nsfx, sfx_alloc, sigs_alloc;
	struct ls_finding **f;         /* path after the prefix, no layer */
	size_t nf, f_alloc;
	unsigned long long files, bytes;
	size_t cost;                   /* memory held, roughly */
};

struct ls_memo;

struct ls_memo *ls_memo_new(size_t budget);
void ls_memo_free(struct ls_memo *m);

/* The key of `len` bytes at `data`; `tag` tells apart scans of the same
 * bytes that differ in some other way (the nesting depth left). */
void ls_memo_key(unsigned char key[LS_MEMO_KEY], const void *data, size_t len,
		 unsigned char tag);

/*
 * Ask for the entry of `key`:
 * - LS_MEMO_HIT: there is one, in *e;
 * - LS_MEMO_MINE: there is none, and the caller now holds the claim on
 *   `key`: it scans its copy and ends the claim with ls_memo_put() or
 *   ls_memo_unclaim();
 * - LS_MEMO_BUSY (only when !wait): another thread holds the claim, and is
 *   scanning a copy of the same bytes right now.
 * With `wait`, the call waits for the end of another thread's claim, so two
 * threads that meet copies of one archive at once inflate it once.  A
 * thread must not wait while it holds a claim (the image reader claims only
 * archives met directly in a layer, never inside one).
 */
enum { LS_MEMO_HIT, LS_MEMO_MINE, LS_MEMO_BUSY };
int ls_memo_claim(struct ls_memo *m, const unsigned char key[LS_MEMO_KEY],
		  int wait, const struct ls_memo_entry **e);
void ls_memo_unclaim(struct ls_memo *m, const unsigned char key[LS_MEMO_KEY]);

/* Building an entry while the first copy is scanned. */
struct ls_memo_entry *ls_memo_entry_new(const unsigned char key[LS_MEMO_KEY],
					size_t siglen);
void ls_memo_entry_item(struct ls_memo_entry *e, const char *sfx,
			const unsigned char *sig);
/* Keep a template of `f`, its path without its first `plen` bytes. */
void ls_memo_entry_finding(struct ls_memo_entry *e, const struct ls_finding *f,
			   size_t plen);
void ls_memo_entry_free(struct ls_memo_entry *e);

/* Keep `e` (the memo takes it; freed at once when the key is already there
 * or the budget is spent), and end the claim on its key. */
void ls_memo_put(struct ls_memo *m, struct ls_memo_entry *e);

#endif
