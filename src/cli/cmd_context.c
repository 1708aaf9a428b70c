/*
 * cmd_context.c - `layerscan context [DIR]`: scan what a build would send.
 *
 * docs/context.md.  The ignore file (source/ignore.c), the walk
 * (source/context.c) and the matching are in the core; this file wires
 * options to them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "source/containerfile.h"
#include "source/context.h"
#include "source/ignore.h"
#include "util/sort.h"
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
	ls_sort(paths, n, sizeof(*paths), cmp_path);
	for (size_t i = 0; i < n; i++) {
		printf("%s\n", paths[i]);
		free(paths[i]);
	}
	free(paths);
	return status;
}

/* `path` relative to `dir` if it lies inside it, else NULL. */
static char *inside(const char *dir, const char *path)
{
	char *rd = realpath(dir, NULL), *rp = realpath(path, NULL), *rel = NULL;
	size_t n;

	if (rd && rp) {
		n = strlen(rd);
		if (!strncmp(rp, rd, n) && rp[n] == '/')
			rel = ls_xstrdup(rp + n + 1);
	}
	free(rd);
	free(rp);
	return rel;
}

/*
 * The Containerfile checks: find the file (-f, else Containerfile or
 * Dockerfile in the context), scan it if the walk did not (it is outside
 * the context or ignored), then run the checks over the scan's findings.
 */
static void containerfile_checks(const struct ls_opts *o, const char *dir,
				 const struct ls_ignore *ig, struct ls_scan *scan)
{
	char *file = o->containerfile ? ls_xstrdup(o->containerfile)
				      : ls_containerfile_discover(dir);
	char *rel, *shown, *text = NULL;
	FILE *f;
	size_t n = 0;
	struct ls_containerfile *cf = NULL;
	struct ls_err err;

	if (!file) {
		if (o->policy.sets)
			ls_scan_error(scan, dir, "--policy: no Containerfile or Dockerfile to check (use -f FILE)");
		return;
	}
	if (o->containerfile && file[0] != '/' && access(file, F_OK)) {
		/* podman reads -f relative to the working directory; when
		 * nothing is there, the user meant the context's file */
		char *alt = ls_xasprintf("%s/%s", dir, file);
		if (!access(alt, F_OK)) {
			free(file);
			file = alt;
		} else {
			free(alt);
		}
	}
	f = fopen(file, "rb");
	if (!f) {
		ls_scan_error(scan, file, "cannot open the Containerfile: %s",
			      strerror(errno));
		free(file);
		return;
	}
	text = ls_xmalloc(LS_CONTAINERFILE_MAX + 1);
	n = fread(text, 1, LS_CONTAINERFILE_MAX + 1, f);
	fclose(f);
	if (n > LS_CONTAINERFILE_MAX) {
		ls_scan_error(scan, file, "Containerfile larger than %u bytes",
			      LS_CONTAINERFILE_MAX);
		free(text);
		free(file);
		return;
	}
	rel = inside(dir, file);
	shown = rel ? rel : ls_xstrdup(file);
	if (!rel || ls_ignore_excluded(ig, rel)) {
		/* not scanned by the walk: scan it here */
		struct ls_worker *w = ls_worker_new(scan);
		struct ls_item it;
		memset(&it, 0, sizeof(it));
		it.source = LS_SOURCE_FILE;
		it.path = shown;
		it.history_index = -1;
		ls_worker_scan_buffer(w, &it, text, n);
		ls_worker_free(w);
	}
	ls_err_clear(&err);
	if (ls_containerfile_parse(text, n, shown, &cf, &err))
		ls_scan_error(scan, file, "%s", err.msg);
	else
		ls_containerfile_check(cf, scan, shown);
	if (cf && o->policy.sets) {
		ls_policy_check_containerfile(scan, cf, shown);
		ls_findings_sort(&scan->findings);
	}
	ls_containerfile_free(cf);
	free(text);
	free(shown);
	free(file);
}

int cmd_context(struct ls_opts *o)
{
	const char *dir = o->nargs > 0 ? o->args[0] : ".";
	struct ls_ruleset *rs = NULL;
	struct ls_source *src = NULL;
	struct ls_ignore *ig = NULL;
	struct ls_context_opts copts = { 0 };
	struct ls_scan scan;
	struct ls_scan_opts sopts = ls_cli_scan_opts(o);
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
	copts.limits = &sopts.limits;
	/* ignore files and rules are looked for in a directory, not beside
	 * a single file given as the context */
	{
		struct stat st;
		o->scan_dir = !stat(dir, &st) && S_ISDIR(st.st_mode) ? dir : NULL;
	}
	copts.all_files = o->all_files && !o->list_files;
	if (!o->list_files && (!(rs = ls_cli_load_rules(o)) ||
				ls_cli_policy_setup(o, rs))) {
		ls_ruleset_free(rs);
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
		ls_cli_scan_deadline(&sopts, o);
		ls_scan_init(&scan, rs, &sopts);
		if (used)
			ls_scan_note(&scan, used, "ignore file in use (%zu patterns)",
				     ls_ignore_count(ig));
		{
			struct ls_progress *pg = ls_cli_progress_start(o, &scan);
			ls_scan_source(&scan, src);
			ls_cli_progress_stop(pg);
		}
		containerfile_checks(o, dir, ig, &scan);
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
