/*
 * cmd_git.c - `layerscan git [DIR]`: scan a repository's history, or what
 * is staged in its index.
 *
 * docs/git.md.  The walk, diffing and attribution are in the core
 * (source/githist.c); this file checks the git options (--branch, --range,
 * --since, --max-commits, --staged), wires them to it and reports.
 *
 * LAYERSCAN_GIT_FULL_SCAN=1 in the environment turns the fast path off
 * (every new blob is scanned whole); tests and `make bench-git` use it to
 * show that both give the same findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli/cli.h"
#include "source/githist.h"

int cmd_git(struct ls_opts *o)
{
	const char *dir = o->nargs > 0 ? o->args[0] : ".";
	const char *full = getenv("LAYERSCAN_GIT_FULL_SCAN");
	struct ls_git_opts gopts;
	struct ls_ruleset *rs;
	struct ls_scan scan;
	struct ls_scan_opts sopts = ls_cli_scan_opts(o);
	struct ls_err err;
	double t0 = ls_cli_now();
	struct ls_progress *pg;
	char *root;
	int status, rc;

#ifdef __GLIBC__
	/*
	 * glibc gives each thread its own arena and keeps what is freed in
	 * it; with the tree and blob passes alternating on every thread,
	 * that was ~100 MB of free memory held on curl's history.  Two
	 * arenas are enough for two to four threads (docs/performance.md).
	 */
	mallopt(M_ARENA_MAX, 2);
#endif
	if (o->nargs > 1) {
		ls_cli_error("git takes one repository, not %d arguments",
			     o->nargs);
		return LS_EXIT_ERROR;
	}
	memset(&gopts, 0, sizeof(gopts));
	gopts.branch = o->git_branch;
	gopts.range = o->git_range;
	gopts.max_commits = o->git_max_commits;
	gopts.staged = o->git_staged;
	gopts.full_scan = full && full[0] && strcmp(full, "0");
	if (o->git_since) {
		if (ls_git_parse_date(o->git_since, &gopts.since)) {
			ls_cli_error("--since wants a date like 2024-01-31 or 2024-01-31T12:00:00Z, not '%s'",
				     o->git_since);
			return LS_EXIT_ERROR;
		}
		gopts.has_since = 1;
	}
	if (o->git_branch && o->git_range) {
		ls_cli_error("--branch and --range do not go together");
		return LS_EXIT_ERROR;
	}
	if (o->git_staged && (o->git_branch || o->git_range || o->git_since ||
			      o->git_max_commits)) {
		ls_cli_error("--staged scans the index; --branch, --range, --since and --max-commits are for history");
		return LS_EXIT_ERROR;
	}
	/* .layerscan.toml, .gitleaks.toml and ignore files: at the work
	 * tree's root, as gitleaks looks for them */
	root = ls_git_root(dir);
	o->scan_dir = root;
	rs = ls_cli_load_rules(o);
	if (!rs) {
		free(root);
		return LS_EXIT_ERROR;
	}
	ls_cli_scan_deadline(&sopts, o);
	ls_scan_init(&scan, rs, &sopts);
	ls_err_clear(&err);
	pg = ls_cli_progress_start(o, &scan);
	rc = ls_git_scan(&scan, dir, &gopts, &err);
	ls_cli_progress_stop(pg);
	if (rc < 0) {
		ls_cli_error("'%s': %s", err.name[0] ? err.name : dir, err.msg);
		status = LS_EXIT_ERROR;
	} else {
		status = ls_cli_finish(o, &scan,
				       o->git_staged ? "staged" : "git", dir,
				       ls_cli_now() - t0);
	}
	ls_scan_release(&scan);
	ls_ruleset_free(rs);
	o->scan_dir = NULL;
	free(root);
	return status;
}
