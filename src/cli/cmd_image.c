/*
 * cmd_image.c - `layerscan image FILE|DIR|-|podman:NAME`.
 *
 * docs/cli.md.  FILE is a saved image (docker-archive, oci-archive, either
 * compressed), DIR an oci-dir or docker-dir layout, `-` standard input, and
 * podman:NAME runs `podman save NAME` into a pipe, so a local image is
 * scanned without a temporary file.  The reading is src/source/image.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "source/image/image.h"
#include "source/inventory.h"

/* Start `podman save --format docker-archive NAME`; its stdout in *fd. */
static pid_t spawn_podman(const char *name, int *fd)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execlp("podman", "podman", "save", "--format", "docker-archive",
		       name, (char *)NULL);
		fprintf(stderr, "layerscan: cannot run podman: %s\n",
			strerror(errno));
		_exit(127);
	}
	close(p[1]);
	*fd = p[0];
	return pid;
}

int cmd_image(struct ls_opts *o)
{
	const char *target;
	struct ls_ruleset *rs;
	struct ls_scan scan;
	struct ls_scan_opts sopts = ls_cli_scan_opts(o);
	struct ls_image_opts iopts = { o->max_archive_depth, NULL,
				      o->include_vendor };
	struct ls_inventory inv;
	struct ls_err err;
	double t0 = ls_cli_now();
	struct ls_progress *pg;
	int status, rc;

	if (o->nargs != 1) {
		ls_cli_error("image takes one argument: a saved image, a layout directory, - or podman:NAME");
		return LS_EXIT_ERROR;
	}
	target = o->args[0];
	rs = ls_cli_load_rules(o);
	if (!rs)
		return LS_EXIT_ERROR;
	if (ls_cli_policy_setup(o, rs)) {
		ls_ruleset_free(rs);
		return LS_EXIT_ERROR;
	}
	ls_inventory_init(&inv);
	if (o->policy.sets)
		iopts.inv = &inv;
	ls_scan_init(&scan, rs, &sopts);
	ls_err_clear(&err);
	pg = ls_cli_progress_start(o, &scan);
	if (!strncmp(target, "podman:", 7)) {
		int fd, ws;
		pid_t pid = spawn_podman(target + 7, &fd);
		if (pid < 0) {
			ls_cli_error("'%s': cannot start podman: %s", target,
				     strerror(errno));
			ls_scan_release(&scan);
			ls_ruleset_free(rs);
			return LS_EXIT_ERROR;
		}
		rc = ls_image_scan_fd(&scan, fd, target, &iopts, &err);
		close(fd);
		while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(ws) || WEXITSTATUS(ws)) {
			ls_scan_error(&scan, target,
				      "podman save failed (exit status %d)",
				      WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
			rc = rc ? rc : LS_EIO;
			ls_err_clear(&err);
		}
	} else {
		rc = ls_image_scan_path(&scan, target, NULL, &iopts, &err);
	}
	ls_cli_progress_stop(pg);
	if (rc && err.msg[0]) {
		ls_cli_error("'%s': %s", err.name[0] ? err.name : target, err.msg);
		ls_inventory_release(&inv);
		ls_scan_release(&scan);
		ls_ruleset_free(rs);
		return LS_EXIT_ERROR;
	}
	if (o->policy.sets) {
		ls_policy_check_image(&scan, &inv, &o->policy);
		ls_findings_sort(&scan.findings);
	}
	ls_inventory_release(&inv);
	status = ls_cli_finish(o, &scan, "image", target, ls_cli_now() - t0);
	ls_scan_release(&scan);
	ls_ruleset_free(rs);
	return status;
}
