/*
 * cmd_context.c - `layerscan context [DIR]`: scan what a build would send.
 *
 * docs/cli/context.md.  The walk, file reading and matching are in the core
 * (source/context.c, scan/); this file wires options to them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "source/context.h"

int cmd_context(struct ls_opts *o)
{
	const char *dir = o->nargs > 0 ? o->args[0] : ".";
	struct ls_ruleset *rs;
	struct ls_source *src;
	struct ls_context_opts copts = { 0 };
	struct ls_scan scan;
	struct ls_scan_opts sopts = { o->threads, o->max_file_size };
	struct ls_err err;
	double t0 = ls_cli_now();
	int status;

	if (o->nargs > 1) {
		ls_cli_error("context takes one directory, not %d arguments",
			     o->nargs);
		return LS_EXIT_ERROR;
	}
	ls_err_clear(&err);
	if (o->list_files) {
		struct ls_item *it;
		int rc;
		if (ls_context_source_new(dir, &copts, &src, &err)) {
			ls_cli_error("'%s': %s", dir, err.msg);
			return LS_EXIT_ERROR;
		}
		status = LS_EXIT_CLEAN;
		while ((rc = src->next(src, &it, &err)) != 0) {
			if (rc < 0) {
				ls_cli_error("'%s': %s", err.name, err.msg);
				status = LS_EXIT_ERROR;
				ls_err_clear(&err);
				continue;
			}
			printf("%s\n", it->path);
			src->item_free(it);
		}
		src->free(src);
		return status;
	}
	rs = ls_cli_load_rules(o);
	if (!rs)
		return LS_EXIT_ERROR;
	if (ls_context_source_new(dir, &copts, &src, &err)) {
		ls_cli_error("'%s': %s", dir, err.msg);
		ls_ruleset_free(rs);
		return LS_EXIT_ERROR;
	}
	ls_scan_init(&scan, rs, &sopts);
	ls_scan_source(&scan, src);
	src->free(src);
	status = ls_cli_finish(o, &scan, "context", dir, ls_cli_now() - t0);
	ls_scan_release(&scan);
	ls_ruleset_free(rs);
	return status;
}
