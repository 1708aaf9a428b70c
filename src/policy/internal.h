/* internal.h - what the policy's files share (not for other modules). */
#ifndef LS_POLICY_INTERNAL_H
#define LS_POLICY_INTERNAL_H

#include "policy/policy.h"

/*
 * The rule for check `id` when it applies: present in the rule set, a
 * policy check, and not turned off.  *sev gets its severity.
 */
const struct ls_rule *ls_policy_rule(const struct ls_ruleset *rs,
				     const char *id, enum ls_severity *sev);

/*
 * A policy finding for `r` at `path` with `note` (taken).  `where` keys
 * the fingerprint (stable for the same problem at the same place).
 * Added to `scan` by ls_policy_add().
 */
struct ls_finding *ls_policy_finding(const struct ls_rule *r,
				     enum ls_severity sev, const char *path,
				     const char *where, char *note);
void ls_policy_add(struct ls_scan *scan, struct ls_finding *f);

#endif
