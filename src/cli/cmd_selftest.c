/*
 * cmd_selftest.c - `layerscan selftest`: a canary scan for health checks.
 *
 * Loads the built-in rules, scans an in-memory text with one planted token
 * (a made-up GitHub token whose CRC-32 checksum is valid, so it exercises
 * the prefilter, the regex, the validator, entropy and allowlists) and one
 * placeholder that must not be reported.  Exit 0 only if exactly the canary
 * is found; 1 otherwise.  It reads and writes no files, so it works in a
 * read-only container as any user.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

/* The canary is split so that this source file is not itself a finding. */
#define CANARY_PREFIX "ghp_"
#define CANARY_BODY "zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ0mLq17"

int cmd_selftest(struct ls_opts *o)
{
	static const char text[] =
		"# layerscan selftest\n"
		"GITHUB_TOKEN=" CANARY_PREFIX CANARY_BODY "\n"
		"PLACEHOLDER_TOKEN=${GITHUB_TOKEN}\n";
	struct ls_opts dflt = *o;
	struct ls_ruleset *rs;
	struct ls_scan scan;
	struct ls_scan_opts sopts = { 1, 0 };
	struct ls_worker *w;
	struct ls_item it;
	int ok;

	dflt.config = NULL;   /* always the built-in rules */
	rs = ls_cli_load_rules(&dflt);
	if (!rs)
		return LS_EXIT_FINDINGS;
	ls_scan_init(&scan, rs, &sopts);
	w = ls_worker_new(&scan);
	memset(&it, 0, sizeof(it));
	it.source = LS_SOURCE_FILE;
	it.path = (char *)"selftest.env";
	it.history_index = -1;
	ls_worker_scan_buffer(w, &it, text, sizeof(text) - 1);
	ls_worker_free(w);
	ok = scan.findings.n == 1 && !scan.errors.n &&
	     !strcmp(scan.findings.v[0]->rule->id, "github-pat") &&
	     scan.findings.v[0]->line == 2 && scan.findings.v[0]->column == 14;
	if (!o->quiet)
		printf("selftest: %s (%zu rules, %zu finding%s)\n",
		       ok ? "ok" : "FAILED", rs->nrules, scan.findings.n,
		       scan.findings.n == 1 ? "" : "s");
	ls_scan_release(&scan);
	ls_ruleset_free(rs);
	return ok ? LS_EXIT_CLEAN : LS_EXIT_FINDINGS;
}
