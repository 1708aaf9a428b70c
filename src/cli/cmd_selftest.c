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

/*
 * The canary is stored reversed and turned around at run time, so that
 * neither this source file nor the binary holds it as text: scanning an
 * image that contains layerscan must not report layerscan.
 */
static const char canary_reversed[] = "71qLm0JkxkDsncn5YVcHps9A4iRoOSTuBWQz_phg";

int cmd_selftest(struct ls_opts *o)
{
	char token[sizeof(canary_reversed)];
	char text[256];
	size_t n = sizeof(canary_reversed) - 1;
	struct ls_opts dflt = *o;
	struct ls_ruleset *rs;
	struct ls_scan scan;
	struct ls_scan_opts sopts = { .threads = 1 };
	struct ls_worker *w;
	struct ls_item it;
	int ok;

	for (size_t i = 0; i < n; i++)
		token[i] = canary_reversed[n - 1 - i];
	token[n] = '\0';
	snprintf(text, sizeof(text),
		 "# layerscan selftest\nGITHUB_TOKEN=%s\nPLACEHOLDER_TOKEN=${GITHUB_TOKEN}\n",
		 token);
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
	ls_worker_scan_buffer(w, &it, text, strlen(text));
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
