/*
 * cmd_image.c - `layerscan image FILE|DIR|-|podman:NAME`.
 *
 * docs/cli.md.  FILE is a saved image (docker-archive, oci-archive, either
 * compressed), DIR an oci-dir or docker-dir layout, `-` standard input, and
 * podman:NAME runs `podman save NAME` into a pipe, so a local image is
 * scanned without a temporary file.  The reading is src/source/image/.
 *
 * --base BASE (any of the same but -) is read first, its manifests and
 * config only (ls_image_base_read_*): its layers' diff IDs say which of
 * the image's layers are the base's (src/source/image/base.c,
 * docs/image.md).
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

/* Wait for podman: 0 when it exited 0, else its exit status (-1: killed). */
static int wait_podman(pid_t pid)
{
	int ws;

	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(ws))
		return -1;
	return WEXITSTATUS(ws);
}

/* Read --base into *base; prints the problem and returns -1 on failure. */
static int read_base(const struct ls_opts *o, struct ls_scan *scan,
		     struct ls_image_base *base)
{
	struct ls_err err;
	int rc;

	ls_err_clear(&err);
	if (!strncmp(o->base, "podman:", 7)) {
		int fd, st;
		pid_t pid = spawn_podman(o->base + 7, &fd);
		if (pid < 0) {
			ls_cli_error("--base '%s': cannot start podman: %s",
				     o->base, strerror(errno));
			return -1;
		}
		rc = ls_image_base_read_fd(base, scan, fd, o->base, &err);
		close(fd);
		st = wait_podman(pid);
		if (st) {
			ls_image_base_release(base);
			ls_cli_error("--base '%s': podman save failed (exit status %d)",
				     o->base, st);
			return -1;
		}
	} else {
		rc = ls_image_base_read_path(base, scan, o->base, NULL, &err);
	}
	if (rc) {
		ls_cli_error("--base '%s': %s", o->base,
			     err.msg[0] ? err.msg : "cannot read");
		return -1;
	}
	return 0;
}

int cmd_image(struct ls_opts *o)
{
	const char *target;
	struct ls_ruleset *rs;
	struct ls_scan scan;
	struct ls_scan_opts sopts = ls_cli_scan_opts(o);
	struct ls_image_opts iopts = { o->max_archive_depth, NULL,
				      o->include_vendor, NULL, o->include_base };
	struct ls_image_base base = { NULL, NULL, 0 };
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
	ls_cli_scan_deadline(&sopts, o);
	ls_scan_init(&scan, rs, &sopts);
	ls_err_clear(&err);
	if (o->base) {
		if (read_base(o, &scan, &base)) {
			ls_inventory_release(&inv);
			ls_scan_release(&scan);
			ls_ruleset_free(rs);
			return LS_EXIT_ERROR;
		}
		iopts.base = &base;
	}
	pg = ls_cli_progress_start(o, &scan);
	if (!strncmp(target, "podman:", 7)) {
		int fd, st;
		pid_t pid = spawn_podman(target + 7, &fd);
		if (pid < 0) {
			ls_cli_error("'%s': cannot start podman: %s", target,
				     strerror(errno));
			ls_cli_progress_stop(pg);
			ls_image_base_release(&base);
			ls_inventory_release(&inv);
			ls_scan_release(&scan);
			ls_ruleset_free(rs);
			return LS_EXIT_ERROR;
		}
		rc = ls_image_scan_fd(&scan, fd, target, &iopts, &err);
		close(fd);
		st = wait_podman(pid);
		if (st) {
			ls_scan_error(&scan, target,
				      "podman save failed (exit status %d)", st);
			rc = rc ? rc : LS_EIO;
			ls_err_clear(&err);
		}
	} else {
		rc = ls_image_scan_path(&scan, target, NULL, &iopts, &err);
	}
	ls_cli_progress_stop(pg);
	if (rc && err.msg[0]) {
		ls_cli_error("'%s': %s", err.name[0] ? err.name : target, err.msg);
		ls_image_base_release(&base);
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
	ls_image_base_release(&base);
	status = ls_cli_finish(o, &scan, "image", target, ls_cli_now() - t0);
	ls_scan_release(&scan);
	ls_ruleset_free(rs);
	return status;
}
