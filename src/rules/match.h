/*
 * match.h - run a compiled rule set over a buffer.
 *
 * A matcher is per-thread scratch (PCRE2 match data, JIT stack, window
 * lists); the rule set it reads is shared and read-only.  For one buffer:
 *
 *   prefilter (every keyword, one pass)
 *   -> per triggered rule, merged windows around its hits
 *   -> PCRE2 on each window only
 *   -> secret group, validator, entropy, decoding, allowlists, inline allow
 *   -> callback with a `struct ls_match` for each survivor.
 *
 * Buffers are chunks of a larger stream: `own_start`/`own_end` say which
 * match start offsets this chunk reports, so a match in the overlap between
 * two chunks is reported by exactly one of them.
 *
 * Errors: a regex (a rule's, or one of its allowlists') that hits a PCRE2
 * limit on this input is counted in `limit_hits` (the scan goes on with the
 * other rules); the caller reports it as an error for the item, naming the
 * rule, so a partial scan never looks clean.  The limits bound every regex
 * run, so no rule takes superlinear time; and after LS_MATCH_RULE_HITS_MAX
 * limit hits in one item a rule is not run on the rest of that item, so
 * the time one rule can burn on an item is bounded too.  When a rule's
 * regex hits a limit, its search goes on from the next line; an allowlist
 * regex that hit a limit counts as not matching, so the finding is
 * reported rather than hidden.
 */
#ifndef LS_RULES_MATCH_H
#define LS_RULES_MATCH_H

#include <stddef.h>

#include "rules/rules.h"

/* PCRE2 limits per match attempt: no rule can take superlinear time. */
#define LS_MATCH_LIMIT 2000000u
#define LS_DEPTH_LIMIT 20000u
#define LS_HEAP_LIMIT_KIB 65536u
#define LS_MATCH_RULE_HITS_MAX 4u

struct ls_match {
	const struct ls_rule *rule;
	size_t match_start, match_end;   /* offsets in the buffer */
	size_t secret_start, secret_end;
	double entropy;
	int decoded;                     /* found by decoding (base64, xml, json) */
	const struct ls_rule *via;       /* the decoding rule, if decoded */
	/*
	 * 1: not a finding.  A specific (non-generic) rule matched this span
	 * and judged it not a secret (checksum, entropy, allowlist); the span
	 * is "claimed", so generic rules must not report it either.
	 */
	int rejected;
	/*
	 * 1: a file rule's finding (a `path` and/or `content` rule, no
	 * regex): it names the file, not a place in it; offsets are 0.
	 */
	int file;
};

/* Return non-zero to stop the scan of this buffer. */
typedef int (*ls_match_cb)(void *ud, const struct ls_match *m);

struct ls_match_input {
	const char *buf;
	size_t len;
	size_t own_start, own_end;   /* report matches starting here */
	const char *path;            /* for path rules/allowlists; may be NULL */
	const char *commit;          /* for commit allowlists; may be NULL */
	int binary;                  /* run only rules with binary = true */
	/*
	 * 1: the buffer is a chunk of the item whose path was given to
	 * ls_matcher_scan_path() last, so judge the file rules that have a
	 * `content` condition on it too.  A chunk with own_start == 0 is the
	 * item's first (\A in `content` is the file's first byte).
	 */
	int file_rules;
};

struct ls_matcher;

/* Borrows `rs` (compiled); the matcher must be freed before it. */
struct ls_matcher *ls_matcher_new(const struct ls_ruleset *rs);
void ls_matcher_free(struct ls_matcher *m);

/* Scan one buffer.  Returns 0, or the callback's non-zero value. */
int ls_matcher_scan(struct ls_matcher *m, const struct ls_match_input *in,
		    ls_match_cb cb, void *ud);

/*
 * Start an item: apply the file rules (no regex) that have a `path` and no
 * `content` to `path`, and forget which `content` rules were met (call
 * once per item, before its chunks).  Matches have all offsets 0 and
 * `file` set.  The file rules with `content` are judged by
 * ls_matcher_scan() on the item's chunks (`file_rules`): each is reported
 * at most once per item, when its path matches (or it has none) and its
 * `content` matches a chunk.
 */
int ls_matcher_scan_path(struct ls_matcher *m, const char *path,
			 ls_match_cb cb, void *ud);

/* 1 if some rule with a `path` regex restricts it to other paths. */
int ls_matcher_path_ok(struct ls_matcher *m, const struct ls_rule *r,
		       const char *path);

/*
 * The path signature of `path`: one byte for each path regex the rule set
 * holds (a rule's `path`, an allowlist's `paths`): 0 no match, 1 a match,
 * 2 an error, 3 not asked (the allowlists of a rule whose `path` does not
 * match: the rule does not run there; and the allowlists of a file rule
 * with a `content` condition, which are asked only when the content
 * matched: see ls_matcher_content_hits()).  Two paths with the same
 * signature are treated alike by every rule and allowlist, so the same
 * bytes give the same findings under either, unless a `content` condition
 * matched (the results memo, scan/memo.h, relies on it and does not keep
 * a scan in which one did).  Writes up to `cap` bytes to `out` (may be
 * NULL) and returns the signature's length.
 */
size_t ls_matcher_path_sig(struct ls_matcher *m, const char *path,
			   unsigned char *out, size_t cap);

/* How many times a file rule's `content` condition matched since the
 * matcher was made (before its allowlists were asked). */
size_t ls_matcher_content_hits(const struct ls_matcher *m);

/* Regex runs that hit a PCRE2 limit since the matcher was made. */
size_t ls_matcher_limit_hits(const struct ls_matcher *m);
/* Reset that counter (per item). */
void ls_matcher_reset_limit_hits(struct ls_matcher *m);
/* The first rule that hit a limit since the reset, or NULL. */
const struct ls_rule *ls_matcher_limit_rule(const struct ls_matcher *m);

#endif
