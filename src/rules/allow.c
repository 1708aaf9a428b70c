/* allow.c - allowlist checks; see allow.h. */
#include "rules/allow.h"

#include <string.h>
#include <strings.h>

/* A regex that fails other than by not matching (a PCRE2 limit) counts
 * as not matching, and sets *hit. */
static int re_any(pcre2_code *const *res, size_t n, const char *s, size_t len,
		  pcre2_match_data *md, pcre2_match_context *mctx, int *hit)
{
	for (size_t i = 0; i < n; i++) {
		int rc = pcre2_match(res[i], (PCRE2_SPTR)s, len, 0, 0, md, mctx);
		if (rc >= 0)
			return 1;
		if (rc != PCRE2_ERROR_NOMATCH)
			*hit = 1;
	}
	return 0;
}

/* Case-insensitive substring test; stopwords are stored lowercased. */
static int contains_lower(const char *s, size_t len, const char *word)
{
	size_t wl = strlen(word);

	if (!s || !wl || wl > len)
		return 0;
	for (size_t i = 0; i + wl <= len; i++) {
		size_t k;
		for (k = 0; k < wl; k++) {
			unsigned char c = (unsigned char)s[i + k];
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			if (c != (unsigned char)word[k])
				break;
		}
		if (k == wl)
			return 1;
	}
	return 0;
}

static int one(const struct ls_allowlist *a, struct ls_allow_subject *s,
	       pcre2_match_data *md, pcre2_match_context *mctx)
{
	int set = 0, passed = 0;

	if (a->nregexes) {
		const char *t = s->secret;
		size_t tl = s->secret_len;
		int ok;
		if (a->target == LS_ALLOW_MATCH) {
			t = s->match;
			tl = s->match_len;
		} else if (a->target == LS_ALLOW_LINE) {
			t = s->line;
			tl = s->line_len;
		}
		ok = t && re_any(a->regexes, a->nregexes, t, tl, md, mctx,
				 &s->limit_hit);
		set++;
		passed += ok;
		if (ok && !a->and_condition)
			return 1;
	}
	if (a->nstopwords) {
		int ok = 0;
		for (size_t i = 0; i < a->nstopwords && !ok; i++)
			ok = contains_lower(s->secret, s->secret_len,
					    a->stopwords[i]);
		set++;
		passed += ok;
		if (ok && !a->and_condition)
			return 1;
	}
	if (a->npaths) {
		int ok = s->path && re_any(a->paths, a->npaths, s->path,
					   strlen(s->path), md, mctx,
					   &s->limit_hit);
		set++;
		passed += ok;
		if (ok && !a->and_condition)
			return 1;
	}
	if (a->ncommits) {
		int ok = 0;
		for (size_t i = 0; s->commit && i < a->ncommits && !ok; i++)
			ok = !strcasecmp(a->commits[i], s->commit);
		set++;
		passed += ok;
		if (ok && !a->and_condition)
			return 1;
	}
	return a->and_condition && set && passed == set;
}

int ls_allowed(const struct ls_ruleset *rs, const struct ls_rule *rule,
	       struct ls_allow_subject *s, pcre2_match_data *md,
	       pcre2_match_context *mctx)
{
	for (size_t i = 0; i < rule->nallow; i++)
		if (one(&rule->allow[i], s, md, mctx))
			return 1;
	for (size_t i = 0; i < rs->nglobal; i++) {
		const struct ls_allowlist *a = &rs->global[i];
		if (a->ntarget_rules) {
			size_t k;
			for (k = 0; k < a->ntarget_rules; k++)
				if (!strcmp(a->target_rules[k], rule->id))
					break;
			if (k == a->ntarget_rules)
				continue;
		}
		if (one(a, s, md, mctx))
			return 1;
	}
	return 0;
}
