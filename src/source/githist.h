/*
 * githist.h - scan a git repository's history, or what is staged.
 *
 * History: every commit reachable from every ref (or from one rev, or in a
 * range A..B), oldest first (parents before children; among commits that
 * are ready at the same time, the older committer date first).  Each commit
 * is compared with its first parent, tree against tree, skipping subtrees
 * whose ids did not change; a (path, blob) pair that no earlier commit had
 * is an event.  Blobs are read once per "path class" (see githist.c) and
 * scanned on opts.threads threads; the findings of a blob are then given to
 * the events in commit order, and a finding -- rule, path, secret, the
 * fingerprint of docs/fingerprint.md -- is reported once, at the first
 * commit whose tree holds the secret at that path, with the line of that
 * version.  Later versions of the file with the same secret add nothing.
 *
 *   - Merge commits: a path whose blob equals one of the other parents'
 *     blobs is not new; only conflict resolutions and evil merges are.
 *   - Renames: a blob that disappears from one path and appears at another
 *     in the same commit (an exact rename) is not scanned again and its
 *     secrets are not reported again under the new path; later edits of
 *     the renamed file report only secrets that are new there.
 *   - Submodules (gitlinks) and symbolic links are not content: skipped.
 *   - Binary blobs go through the content pipeline like files (only rules
 *     marked `binary` run on them).
 *   - Shallow clones: the commits in .git/shallow have no parents; their
 *     trees count as added.  Repositories without commits are empty scans.
 *   - Ranges, --since and --max-commits: commits left out are a boundary;
 *     what a boundary commit already had at a path is known, not new, so
 *     only what the scanned commits add is reported.
 *
 * Staged (opts.staged): the index against HEAD (or against nothing when
 * HEAD is unborn), as a pre-commit hook sees it.  Each added, modified or
 * renamed file is scanned as it is in the index; a finding counts only if
 * one of its lines is an added line of the diff (binary files: only secrets
 * the HEAD version does not have).  Findings are `file` findings.
 *
 * History findings have source LS_SOURCE_COMMIT and a commit object: id,
 * author name and email, author date (ISO 8601, UTC) and the message
 * summary (its first paragraph, one line).
 *
 * Errors: ls_git_scan() returns a negative LS_E* code with `err` filled
 * when nothing can be scanned: not a repository, a bad --branch or --range,
 * --staged in a bare repository.  Everything else -- a corrupt or missing
 * commit, tree or blob, a blob over the size limit -- is a scan error that
 * names the repository and the object ('REPO': cannot read blob ID at PATH
 * in commit ID: why); the scan goes on with the rest and the CLI exits 2.
 *
 * Limits: blobs over LS_GIT_BLOB_MAX (or --max-file-size) are not read,
 * paths over LS_GIT_PATH_MAX bytes and trees nested deeper than
 * LS_GIT_DEPTH_MAX are not entered; each is a scan error.
 */
#ifndef LS_SOURCE_GITHIST_H
#define LS_SOURCE_GITHIST_H

#include "scan/scan.h"

#define LS_GIT_BLOB_MAX (256ull << 20)
#define LS_GIT_PATH_MAX 4096
#define LS_GIT_DEPTH_MAX 256
/* libgit2's object cache (trees), for the whole process, in raw bytes */
#define LS_GIT_CACHE_MAX (16ll << 20)
/* libgit2's pack mappings: window size, and all windows together.  Small
 * windows: tree reads jump around a large pack, and with 8 MiB windows
 * libgit2 remapped one ~50,000 times on git's history (a third of the run
 * in mmap, munmap and page faults); 1 MiB windows keep 32 of them. */
#define LS_GIT_WINDOW (1ull << 20)
#define LS_GIT_MAPPED_MAX (32ull << 20)

struct ls_git_opts {
	const char *branch;         /* only commits reachable from this rev */
	const char *range;          /* "A..B": in B, not in A */
	long long since;            /* with has_since: committer date >= since */
	int has_since;
	unsigned long max_commits;  /* 0: all; else the newest N */
	int staged;                 /* the index against HEAD */
	/*
	 * Scan every new blob whole instead of only what could hold a new
	 * secret (see "fast path" in githist.c).  The findings are the same;
	 * this is for tests and benchmarks.
	 */
	int full_scan;
};

/*
 * Scan the repository at `path`: a work tree (or a directory inside one),
 * a .git directory or a bare repository.  Findings, errors and statistics
 * go to `scan` (its rule set and options: threads, limits, deadline).
 * Returns 0, or a negative LS_E* code with `err` filled (see above).
 */
int ls_git_scan(struct ls_scan *scan, const char *path,
		const struct ls_git_opts *o, struct ls_err *err);

/*
 * The work tree root of the repository at `path` (as ls_git_scan() finds
 * it), without a trailing slash; NULL for a bare repository or no
 * repository.  Caller frees.  For finding .layerscan.toml and ignore files.
 */
char *ls_git_root(const char *path);

/*
 * Parse a --since date: YYYY-MM-DD (midnight UTC), YYYY-MM-DDTHH:MM[:SS]
 * with an optional Z or +HH:MM / -HH:MM offset (none: UTC; a space may
 * stand for the T), or @SECONDS.  Returns 0 and the Unix time in *out, or
 * LS_EINVAL.
 */
int ls_git_parse_date(const char *s, long long *out);

#endif
