/*
 * rules.h - the rule set: loading rule files, and what a compiled rule holds.
 *
 * A rule set is built once (load one or more TOML documents, then compile),
 * is read-only while scans run (any number of threads may share it), and is
 * freed in one call.  Findings borrow `struct ls_rule` pointers from it, so
 * the rule set must outlive every finding list made with it.
 *
 * The TOML schema is gitleaks' rule schema plus layerscan keys; docs/rules.md
 * is its manual.  Loading never stops at the first problem: every problem in
 * a document is collected into a `struct ls_diag` as "file:line:column:
 * message", so a user fixes them all at once; the caller then refuses to scan
 * when ls_diag_errors() is non-zero.
 */
#ifndef LS_RULES_RULES_H
#define LS_RULES_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdatomic.h>
#include <stddef.h>

#include "util/err.h"

enum ls_severity {
	LS_SEV_INFO,
	LS_SEV_LOW,
	LS_SEV_MEDIUM,
	LS_SEV_HIGH,
	LS_SEV_CRITICAL,
};

const char *ls_severity_name(enum ls_severity sev);
/* Parse a severity name; returns -1 if unknown. */
int ls_severity_parse(const char *name);

enum ls_allow_target {
	LS_ALLOW_SECRET,
	LS_ALLOW_MATCH,
	LS_ALLOW_LINE,
};

enum ls_validator {
	LS_VALIDATE_NONE,
	LS_VALIDATE_CRC32_BASE62,
	LS_VALIDATE_CRC32_BASE62_MISMATCH,
	LS_VALIDATE_BIP39,
};

/*
 * Structural checks that are not a regex over content; the rule carries
 * the id, severity and fix, and its `regex` (if any) is the check's own
 * parameter.  See source/containerfile.h.
 */
enum ls_check {
	LS_CHECK_NONE,
	LS_CHECK_ARG_IN_RUN,       /* regex: the secret-looking ARG names */
	LS_CHECK_COPY_CONTEXT,
	/* the production policy (policy/policy.h): which check is the rule's
	 * id; examples are image descriptions or Containerfiles */
	LS_CHECK_IMAGE_POLICY,
	LS_CHECK_CONTAINERFILE_POLICY,
	/* a content rule: its regex finds a table's header cell, and the
	 * cells of that column are the secrets (rules/table.h) */
	LS_CHECK_TABLE_COLUMN,
};

/* The `check` key's value for a check kind. */
const char *ls_check_name(enum ls_check c);

enum ls_decoder {
	LS_DECODE_NONE,
	LS_DECODE_BASE64,
	LS_DECODE_XML,      /* XML character references (util/xmlent.h) */
	LS_DECODE_JSON,     /* JSON string escapes (util/jsonesc.h) */
};

/* The `decode` key's value for a decoder ("base64", "xml", "json"). */
const char *ls_decoder_name(enum ls_decoder d);

struct ls_allowlist {
	char *description;
	int and_condition;          /* condition = "AND" */
	enum ls_allow_target target;
	pcre2_code **regexes;
	size_t nregexes;
	char **stopwords;           /* lowercased */
	size_t nstopwords;
	pcre2_code **paths;
	size_t npaths;
	char **commits;
	size_t ncommits;
	char **target_rules;        /* global allowlists only; empty = all */
	size_t ntarget_rules;
};

struct ls_example {
	char *text;
	size_t len;
	int positive;
	int line;                   /* where it is written, for messages */
	char *path;                 /* scanned as this file; NULL: the rule's
				       examples.path (negativePaths entries
				       set it, with empty text) */
};

/* Largest `window` a rule may ask for; the chunk overlap is sized from it. */
#define LS_RULE_WINDOW_MAX 16384
#define LS_RULE_WINDOW_DEFAULT 1024
/* How far before a keyword hit a match may start. */
#define LS_RULE_LOOKBEHIND 256

struct ls_rule {
	char *id;
	char *description;
	char *fix;                  /* NULL if none */
	char *regex_src;            /* NULL for path-only rules */
	pcre2_code *regex;
	int secret_group;           /* 0 = first non-empty group */
	double entropy;             /* 0 = no check */
	char **keywords;            /* lowercased */
	size_t nkeywords;
	pcre2_code *path;           /* NULL if none */
	/*
	 * The literals one of which every path `path` accepts contains
	 * (".json", ".p4tickets" or "p4tickets.txt", "openvpn/"),
	 * '\n'-joined, or NULL (pathlit.h).  A path with none is rejected before the regex
	 * runs.
	 */
	char *path_lit;
	int path_lit_icase;         /* compare ignoring case */
	/*
	 * `content`, for a file rule (no `regex`): a pattern the file's bytes
	 * must match somewhere for the file finding to stand (docs/rules.md,
	 * "File rules").  \A is the file's first byte.  NULL: the path alone
	 * is the finding.
	 */
	pcre2_code *content;
	char **tags;
	size_t ntags;
	enum ls_severity severity;
	enum ls_validator validate;
	enum ls_decoder decode;
	pcre2_code *decoded_regex;  /* NULL if none */
	enum ls_check check;        /* structural check, not content */
	int binary;                 /* run on binary content */
	int generic;                /* tagged "generic": yields to others */
	atomic_int jitted;          /* regex JIT-compiled (ls_rule_jit) */
	int structural;             /* tagged "structural": a secret's place
	                             * (a URL's password, an Authorization
	                             * header) without its issuer: yields to
	                             * provider rules, generic rules yield to it */
	size_t window;
	/*
	 * How far before a keyword hit a match may start: LS_RULE_LOOKBEHIND,
	 * or the rule's `lookbehind`.  With `lookbehind` set (starts_near), a
	 * match also starts no later than the hit's end: only those start
	 * positions are tried (a PCRE2 offset limit), and windows are not
	 * widened back to their line's start.
	 */
	size_t lookbehind;
	int starts_near;
	struct ls_allowlist *allow;
	size_t nallow;
	struct ls_example *examples;
	size_t nexamples;
	char *example_path;         /* NULL: "snippet.txt" */
	char *file;                 /* where defined, for messages */
	int line;
	unsigned index;             /* position in the rule set */
};

/* Messages collected while loading; each is "file:line:column: msg". */
struct ls_diag {
	char **msgs;
	int *is_error;
	size_t n, alloc;
	size_t nerrors;
};

void ls_diag_init(struct ls_diag *d);
void ls_diag_release(struct ls_diag *d);
void ls_diag_add(struct ls_diag *d, int is_error, const char *file, int line,
		 int column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
size_t ls_diag_errors(const struct ls_diag *d);

struct ls_prefilter;

/*
 * One key of a `[policy]` table: a policy check's name with a severity or
 * "off", or a setting (max-size, user).  Values are kept as text; the
 * policy (policy/policy.c) judges names and values when it runs.
 */
struct ls_policy_setting {
	char *key, *value;
	char *file;
	int line;
};

struct ls_ruleset {
	struct ls_rule **rules;
	size_t nrules, alloc;
	struct ls_allowlist *global;
	size_t nglobal, global_alloc;
	struct ls_policy_setting *policy;   /* [policy] tables, in load order */
	size_t npolicy, policy_alloc;
	/* [scan] fail-on and min-severity (an enum ls_severity), -1 when no
	 * rule file set them; the command line wins */
	int fail_on, min_severity;
	/* after ls_ruleset_compile(): */
	struct ls_prefilter *pf;
	unsigned *nokw;             /* rules with a regex and no keywords */
	size_t nnokw;
	unsigned *pathonly;         /* file rules: a path and/or content,
				       no regex */
	size_t npathonly;
	unsigned *pathregex;        /* rules with both */
	size_t npathregex;
	int compiled;
};

struct ls_ruleset *ls_ruleset_new(void);
void ls_ruleset_free(struct ls_ruleset *rs);

/*
 * JIT-compile `r`'s regex if that has not been done (rules load without
 * it: most rules never run in a scan).  Call before any pcre2_match on
 * r->regex; safe from several threads at once.
 */
void ls_rule_jit(const struct ls_rule *r);

/*
 * Flags for ls_ruleset_load_toml().
 * LS_LOAD_FOLLOW_EXTEND: honour [extend] useDefault / path (user configs);
 *   the default patterns themselves are loaded without it.
 */
enum ls_load_flags {
	LS_LOAD_FOLLOW_EXTEND = 1 << 0,
};

/*
 * Parse a TOML rule document and add its rules and global allowlists to
 * `rs`.  A rule whose id already exists replaces the earlier one (so a user
 * config that extends the defaults can override a default rule).  Problems
 * go to `diag`; returns 0, or LS_EINVAL if any error was added.
 */
int ls_ruleset_load_toml(struct ls_ruleset *rs, const char *text, size_t len,
			 const char *name, unsigned flags,
			 struct ls_diag *diag);

/* Read a file and load it (see above).  An unreadable file is an error. */
int ls_ruleset_load_file(struct ls_ruleset *rs, const char *path,
			 unsigned flags, struct ls_diag *diag);

/* Add the built-in default rules (the patterns/ files, compiled in). */
int ls_ruleset_load_defaults(struct ls_ruleset *rs, struct ls_diag *diag);
/* Add one built-in pattern file by name ("policy.toml"); LS_ENOTFOUND
 * if there is none. */
int ls_ruleset_load_default_file(struct ls_ruleset *rs, const char *name,
				 struct ls_diag *diag);

/* Drop the rule with this id, if any.  Returns 1 if one was dropped. */
int ls_ruleset_disable(struct ls_ruleset *rs, const char *id);

/*
 * Build the keyword prefilter and the rule indexes.  Call once after the
 * last load; the rule set is then read-only.  Warnings (e.g. rules with no
 * keywords) go to `diag`.
 */
int ls_ruleset_compile(struct ls_ruleset *rs, struct ls_diag *diag);

/* The rule with this id, or NULL. */
const struct ls_rule *ls_ruleset_find(const struct ls_ruleset *rs,
				      const char *id);

/*
 * The built-in pattern files, NULL-terminated (generated at build time by
 * src/tools/embed.c): each deflated with zlib, `len` bytes that inflate to
 * `raw_len`.
 */
struct ls_embedded_file {
	const char *name;
	const unsigned char *data;
	size_t len;
	size_t raw_len;
};
extern const struct ls_embedded_file ls_default_patterns[];

#endif
