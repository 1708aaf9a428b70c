/*
 * policy.h - the production-readiness policy: are the promises a
 * production Containerfile makes kept by the image it built?
 *
 * Each check is a rule in patterns/policy.toml (`check = "image-policy"`
 * or `"containerfile-policy"`); the rule's id says which check, and the
 * rule carries the description, default severity and fix.  A `[policy]`
 * table in a rule file sets a check's severity or turns it "off" (the key
 * is the id without "policy-": `root-user = "off"`), and may set
 * `max-size` and `user`; command-line flags win over the table.
 *
 * On an image (its inventory, source/inventory.h), per image:
 *   policy-root-user        config User empty, root, 0 or 0:*, or a name
 *                           /etc/passwd maps to uid 0
 *   policy-user-missing     a named User /etc/passwd does not have
 *   policy-user-uid         --policy-user: the User is another one
 *   policy-no-healthcheck   no HEALTHCHECK in the config (the history says
 *                           when podman's OCI format dropped one)
 *   policy-image-size       uncompressed size over --max-size, naming the
 *                           largest layers and their instructions
 *   policy-build-tools      compilers and make in bin directories,
 *                           *-dev packages in the dpkg/apk databases, or
 *                           C headers where no package database says
 *   policy-package-cache    apt/apk/yum/dnf caches, apt lists, pip, npm,
 *                           yarn, Go, Maven caches left in the image
 *   policy-shell            (distroless) a shell
 *   policy-package-manager  (distroless) a package manager
 *   policy-world-writable   files and directories anyone may write
 *                           (sticky directories such as /tmp excepted)
 *   policy-setuid           setuid and setgid files
 * Findings point at the layer that added what they report.
 *
 * On a Containerfile (before building): policy-cf-root-user (no USER in
 * the final stage, or USER root), policy-cf-no-healthcheck, policy-cf-
 * build-tools (the final stage installs compilers), policy-cf-base-tag
 * (`latest` or untagged base images), policy-cf-add-url (ADD of a remote
 * URL without --checksum).
 *
 * Findings have source LS_SOURCE_POLICY and no secret; what they report is
 * in the note.  Severity "info" findings are informational: they do not
 * change the exit status (cli/common.c).
 */
#ifndef LS_POLICY_POLICY_H
#define LS_POLICY_POLICY_H

#include "rules/rules.h"
#include "scan/scan.h"
#include "source/containerfile.h"
#include "source/inventory.h"

enum ls_policy_set {
	LS_POLICY_PRODUCTION = 1 << 0,
	LS_POLICY_DISTROLESS = 1 << 1,   /* production, plus no shell or
					    package manager */
};

struct ls_policy_opts {
	unsigned sets;                   /* LS_POLICY_*; 0: no policy */
	unsigned long long max_size;     /* 0: no size budget */
	const char *user;                /* required user (UID or name), or
					    NULL; borrowed */
};

/* "production", "distroless" or a comma-separated list; 0 or -1. */
int ls_policy_parse_sets(const char *s, unsigned *sets);

/*
 * Take max-size and user from the rule set's [policy] tables where `o`
 * leaves them unset, and check that every key names a policy check or a
 * setting.  0, or LS_EINVAL with `err` naming the file and line.
 * `o->user` may then point into the rule set.
 */
int ls_policy_configure(const struct ls_ruleset *rs, struct ls_policy_opts *o,
			struct ls_err *err);

/* The image checks, for every image of `inv`; findings go to `scan`. */
void ls_policy_check_image(struct ls_scan *scan,
			   const struct ls_inventory *inv,
			   const struct ls_policy_opts *o);

/* The Containerfile checks; `path` is its display path. */
void ls_policy_check_containerfile(struct ls_scan *scan,
				   const struct ls_containerfile *cf,
				   const char *path);

/*
 * Run one example of a policy rule (scan/examples.c): an image
 * description in JSON (policy/example.c) or a Containerfile.  Returns 1 if
 * the rule reported something, 0 if not, -1 if the example is malformed.
 */
int ls_policy_example(struct ls_scan *scan, const struct ls_rule *r,
		      const struct ls_example *e, struct ls_err *err);

/* The rule's severity after [policy] settings; -1 when turned off. */
int ls_policy_severity(const struct ls_ruleset *rs, const struct ls_rule *r);

#endif
