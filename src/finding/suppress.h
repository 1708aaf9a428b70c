/*
 * suppress.h - known findings that a team chose to accept: ignore files and
 * baselines.
 *
 * Every finding has three fingerprints (docs/fingerprint.md):
 *   ls1:HEX       rule, path and secret (the `fingerprint` field);
 *   sha256:HEX    rule and secret only ("content"): survives the secret
 *                 moving to another line or file, and a different secret on
 *                 the same line is not hidden by it;
 *   [COMMIT:]PATH:RULE:LINE   gitleaks' positional form ("positional"), so
 *                 a .gitleaksignore carries over.
 * An ignore file (.layerscanignore, .gitleaksignore) lists fingerprints of
 * any form, one per line, `#` comments and blank lines allowed.  A baseline
 * is a previous JSON report: its findings' `ls1:` fingerprints are
 * suppressed.  Unused entries can be listed, so stale ones get cleaned up.
 */
#ifndef LS_FINDING_SUPPRESS_H
#define LS_FINDING_SUPPRESS_H

#include <stddef.h>

#include "finding/finding.h"
#include "util/err.h"

#define LS_SUPPRESS_FILE_MAX (64u << 20)

struct ls_suppress_entry {
	char *text;
	char *file;      /* where it was read */
	int line;
	int used;
};

struct ls_suppress {
	struct ls_suppress_entry *e;
	size_t n, alloc;
	size_t suppressed;       /* findings removed by ls_suppress_apply */
};

void ls_suppress_init(struct ls_suppress *s);
void ls_suppress_release(struct ls_suppress *s);

/* Add the entries of an ignore file.  A missing file is LS_ENOTFOUND. */
int ls_suppress_load_ignore(struct ls_suppress *s, const char *path,
			    struct ls_err *err);

/* Add the fingerprints of a JSON report written by --format json. */
int ls_suppress_load_baseline(struct ls_suppress *s, const char *path,
			      struct ls_err *err);

/* The content fingerprint ("sha256:" + hex) of a finding.  Caller frees. */
char *ls_fingerprint_content(const struct ls_finding *f);
/* The positional fingerprint ([commit:]path:rule:line).  Caller frees. */
char *ls_fingerprint_positional(const struct ls_finding *f);

/* Remove (and free) the findings an entry matches; mark entries used. */
void ls_suppress_apply(struct ls_suppress *s, struct ls_findings *l);

#endif
