/*
 * cli.h - what the subcommands share: parsed options, messages, rule
 * loading, report output and the exit-status contract (docs/exit-codes.md).
 *
 * Only cli/ and main.c print or exit.  Messages go to stderr as
 * "layerscan: <what failed>: <why>", lowercase, no final period.
 */
#ifndef LS_CLI_CLI_H
#define LS_CLI_CLI_H

#include <stdio.h>

#include "policy/policy.h"
#include "report/report.h"
#include "rules/rules.h"
#include "scan/scan.h"
#include "source/ignore.h"

/* Exit statuses: the contract in docs/exit-codes.md. */
#define LS_EXIT_CLEAN 0
#define LS_EXIT_FINDINGS 1
#define LS_EXIT_ERROR 2

struct ls_opts {
	const char *format;         /* "text" (default), "json" */
	const char *output;         /* NULL = stdout */
	const char *config;
	const char *scan_dir;       /* where to look for .layerscan.toml and
				       .layerscanignore / .gitleaksignore */
	const char *baseline;       /* --baseline: a previous JSON report */
	const char *write_baseline; /* --write-baseline FILE */
	const char *ignore_file;    /* --ignore-file FILE */
	int report_unused_ignores;
	int no_redact;
	int quiet;
	int verbose;
	unsigned threads;           /* 0 = CPUs */
	int exit_code;              /* status when findings, default 1 */
	struct ls_limits limits;    /* --max-*: user's 0 is LS_LIMIT_NONE,
				       unset fields are 0 (the default) */
	double timeout;             /* --timeout seconds, 0 = none */
	int allow_partial;          /* --allow-partial: errors do not
				       decide the exit status */
	int fail_on;                /* --fail-on: exit 1 only for findings at
				       or above it (-1: [scan] or low) */
	int min_severity;           /* --min-severity: leave lower findings
				       out of the report (-1: [scan] or all) */
	int strict;                 /* --strict: warnings (content that
				       could not be read) are errors */
	int include_vendor;         /* --include-vendor: files a package
				       manager installed keep their rules'
				       severity */
	int color;                  /* -1 auto, 0 never, 1 always */
	int help;
	/* subcommand-specific flags */
	int list_files;
	const char *containerfile;  /* context: -f, as for podman build */
	enum ls_engine engine;      /* context: whose ignore rules */
	int all_files;              /* context: scan ignored files too */
	int max_archive_depth;      /* image: nested archives, < 0 = default */
	const char *base;           /* image: --base BASE (NULL: none) */
	int include_base;           /* image: --include-base */
	const char *git_branch;     /* git: --branch REF */
	const char *git_range;      /* git: --range A..B */
	const char *git_since;      /* git: --since DATE, parsed by cmd_git */
	unsigned long git_max_commits;  /* git: --max-commits N, 0 = all */
	int git_staged;             /* git: --staged */
	struct ls_policy_opts policy;   /* --policy, --policy-user, --max-size */
	/* positional arguments after the subcommand */
	char **args;
	int nargs;
};

/* Print "layerscan: msg" to stderr. */
void ls_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ls_cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Load the rule set the options ask for (--config, else .layerscan.toml or
 * .gitleaks.toml in o->scan_dir, else the defaults) and compile it.
 * Prints every problem; returns NULL if the rules are unusable.
 */
struct ls_ruleset *ls_cli_load_rules(const struct ls_opts *o);

/*
 * With --policy: apply the rule set's [policy] settings to o->policy.
 * Prints the problem and returns -1 when a setting is wrong.
 */
int ls_cli_policy_setup(struct ls_opts *o, const struct ls_ruleset *rs);

/*
 * Write the report for a finished scan (to --output or stdout), print scan
 * errors to stderr, and return the exit status.
 */
int ls_cli_finish(const struct ls_opts *o, struct ls_scan *scan,
		  const char *kind, const char *target, double seconds);

/*
 * A progress line on stderr while a scan runs (a terminal only, after one
 * second, not with --quiet or CI set).  start returns NULL when there is
 * none; stop(NULL) is a no-op.
 */
struct ls_progress;
struct ls_progress *ls_cli_progress_start(const struct ls_opts *o,
					  struct ls_scan *scan);
void ls_cli_progress_stop(struct ls_progress *p);

/* Scan options from the command line: threads and limits. */
struct ls_scan_opts ls_cli_scan_opts(const struct ls_opts *o);

/* Set the deadline of --timeout in `so`, counted from this call: made just
 * before the scan starts, so that loading and compiling the rules (slow
 * under a sanitizer) is not part of it. */
void ls_cli_scan_deadline(struct ls_scan_opts *so, const struct ls_opts *o);

/* Seconds since an arbitrary start, monotonic. */
double ls_cli_now(void);

int cmd_context(struct ls_opts *o);
int cmd_image(struct ls_opts *o);
int cmd_git(struct ls_opts *o);
int cmd_rules(struct ls_opts *o);
int cmd_version(struct ls_opts *o);
int cmd_selftest(struct ls_opts *o);

#endif
