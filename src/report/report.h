/*
 * report.h - reporters: write a finished scan in one format.
 *
 * A reporter is a name and a write function (a one-entry vtable); the list
 * is in report.c.  To add a format: write report/<name>.c with a `const
 * struct ls_reporter`, add one line to the registry, document it in
 * docs/cli.md.  Reporters borrow everything in `struct ls_report`.
 *
 * Secrets are redacted unless `redact` is 0 (--no-redact): a short prefix
 * and "...", see ls_redact().  Text from scanned input (paths, secrets) is
 * made safe for the output: control characters never reach a terminal, and
 * JSON strings are always valid UTF-8.
 */
#ifndef LS_REPORT_REPORT_H
#define LS_REPORT_REPORT_H

#include <stdio.h>

#include "finding/finding.h"
#include "scan/scan.h"

struct ls_report {
	const char *tool_version;
	const char *target_kind;       /* "context", "image", "git" */
	const char *target_name;
	const struct ls_findings *findings;
	const struct ls_msgs *errors;
	const struct ls_msgs *warnings;  /* NULL or empty: none */
	/* findings below this severity are reported but do not fail the
	   run (JUnit writes them as passing test cases) */
	enum ls_severity fail_on;
	const struct ls_scan_stats *stats;
	double seconds;
	int redact;
	int color;
};

struct ls_reporter {
	const char *name;
	/* 0, or a negative LS_E* code if writing failed */
	int (*write)(FILE *out, const struct ls_report *r);
};

extern const struct ls_reporter ls_reporter_text;
extern const struct ls_reporter ls_reporter_json;
extern const struct ls_reporter ls_reporter_sarif;
extern const struct ls_reporter ls_reporter_junit;

/* The reporter called `name`, or NULL. */
const struct ls_reporter *ls_reporter_find(const char *name);
/* "text, json, sarif, junit" for usage messages. */
const char *ls_reporter_names(void);

/*
 * The redacted form of a secret: at most a quarter of it and never more
 * than 4 bytes, then "...".  Stops at the first control byte.  Caller frees.
 */
char *ls_redact(const char *secret, size_t len);

/*
 * Copy of `s` for a terminal: control characters (C0, DEL, C1) and bytes
 * that are not valid UTF-8 become '?'; valid UTF-8 is kept.  Caller frees.
 */
char *ls_printable(const char *s, size_t len);

#endif
