/*
 * allow.h - allowlists: the vetoes applied to a candidate finding.
 *
 * gitleaks semantics: an allowlist has up to four checks (regexes against a
 * target, stopwords in the secret, path regexes, commit ids).  With
 * condition OR (the default) any one check that is set and passes allows the
 * finding; with AND every check that is set must pass.  A global allowlist
 * with `targetRules` applies only to those rules.
 */
#ifndef LS_RULES_ALLOW_H
#define LS_RULES_ALLOW_H

#include <stddef.h>

#include "rules/rules.h"

struct ls_allow_subject {
	const char *secret;
	size_t secret_len;
	const char *match;
	size_t match_len;
	const char *line;           /* the line(s) holding the match */
	size_t line_len;
	const char *path;           /* NULL if none */
	const char *commit;         /* NULL if none */
	int limit_hit;              /* out: a regex hit a PCRE2 limit (it
				       counted as not matching) */
};

/*
 * 1 if any of the rule's allowlists or the applicable global allowlists
 * allows this finding.  `md` is match data with room for one pair.
 */
int ls_allowed(const struct ls_ruleset *rs, const struct ls_rule *rule,
	       struct ls_allow_subject *s, pcre2_match_data *md,
	       pcre2_match_context *mctx);

#endif
