/*
 * cmd_context.c - `layerscan context [DIR]`: scan what a build would send.
 *
 * docs/context.md.  The ignore file (source/ignore.c), the walk
 * (source/context.c) and the matching are in the core; this file wires
 * options to them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "source/context.h"
#include "source/ignore.h"
#include "util/xalloc.h"

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* `--list-files`: the paths the build would send, sorted, nothing else. */
static int list_files(struct ls_source *src)
{
	struct ls_item *it;
	struct ls_err err;
	int rc, status = LS_EXIT_CLEAN;
	char **paths = NULL;
	size_t n = 0, alloc = 0;

	ls_err_clear(&err);
	while ((rc = src->next(src, &it, &err)) != 0) {
		if (rc < 0) {
			ls_cli_error("'%s': %s", err.name, err.msg);
			status = LS_EXIT_ERROR;
			ls_err_clear(&err);
			continue;
		}
		if (!it->ignored) {
			LS_ALLOC_GROW(paths, n + 1, alloc);
			paths[n++] = it->path;
			it->path = NULL;
		}
		src->item_free(it);
	}
	qsort(paths, n, sizeof(*paths), cmp_path);
	for (size_t i = 0; i < n; i++) {
		printf("%s\n", paths[i]);
		free(paths[i]);
	}
	free(paths);
	return status;
}

int cmd_context(struct ls_opts *o)
{
	const char *dir = o->nargs > 0 ? o->args[0] : ".";
	struct ls_ruleset *rs = NULL;
	struct ls_source *src = NULL;
	struct ls_ignore *ig = NULL;
	struct ls_context_opts copts = { 0 };
	struct ls_scan scan;
	struct ls_scan_opts sopts = { o->threads, o->max_file_size };
	struct ls_err err;
	char *used = NULL;
	double t0 = ls_cli_now();
	int status;

	if (o->nargs > 1) {
		ls_cli_error("context takes one directory, not %d arguments",
			     o->nargs);
		return LS_EXIT_ERROR;
	}
	ls_err_clear(&err);
	if (ls_ignore_load(dir, o->containerfile, o->engine, &ig, &used, &err)) {
		char buf[LS_ERR_MSG_MAX + LS_ERR_NAME_MAX + 32];
		ls_cli_error("%s", ls_err_format(&err, buf, sizeof(buf)));
		return LS_EXIT_ERROR;
	}
	copts.ignore = ig;
	copts.all_files = o->all_files && !o->list_files;
	if (!o->list_files && !(rs = ls_cli_load_rules(o))) {
		ls_ignore_free(ig);
		free(used);
		return LS_EXIT_ERROR;
	}
	if (ls_context_source_new(dir, &copts, &src, &err)) {
		ls_cli_error("'%s': %s", dir, err.msg);
		ls_ruleset_free(rs);
		ls_ignore_free(ig);
		free(used);
		return LS_EXIT_ERROR;
	}
	if (o->list_files) {
		status = list_files(src);
	} else {
		ls_scan_init(&scan, rs, &sopts);
		if (used)
			ls_scan_note(&scan, used, "ignore file in use (%zu patterns)",
				     ls_ignore_count(ig));
		ls_scan_source(&scan, src);
		status = ls_cli_finish(o, &scan, "context", dir,
				       ls_cli_now() - t0);
		ls_scan_release(&scan);
	}
	src->free(src);
	ls_ruleset_free(rs);
	ls_ignore_free(ig);
	free(used);
	return status;
}
