/*
 * prose.h - a generic rule's finding in documentation is ranked low.
 *
 * The generic rules (tagged "generic": a password-like name assigned a
 * value) have no format that proves a secret, and documentation is full
 * of them: a user's password set to a word in a changelog, an example
 * session in a guide, a grammar role in reStructuredText.  A generic
 * finding in documentation is reported at `low` with the note
 * LS_PROSE_NOTE instead of its rule's severity (docs/rules.md,
 * "Documentation"), and so is a structural rule's (tagged "structural":
 * a URL's password, an Authorization header, an SQL password), with
 * LS_PROSE_STRUCT_NOTE; a provider-format rule (a token with a prefix, a
 * checksum or a fixed shape) keeps its severity there, since a real token
 * pasted in a README is a leak.
 *
 * Documentation, by path alone:
 *   a file with a documentation suffix: .md, .markdown, .mdx, .rst,
 *     .rest, .adoc, .asciidoc, .texi, .texinfo, .pod, .rdoc;
 *   a file named CHANGELOG, CHANGES, NEWS, HISTORY, README (any case),
 *     without a suffix or with any suffix but a source file's (.c, .py,
 *     ...) or a configuration file's (.json, .yml, .ini, .env, ...):
 *     README.md, NEWS.txt, README.Debian, README.curl;
 *   any file under a folder named doc, docs, Doc, documentation, man or
 *     guides (an image's /usr/share/doc and /usr/share/man too).
 *
 * And documentation inside code: in a source file (.py, .rb, .js, .go, .c,
 * ... ), a comment line set off as an example, the way rdoc, yard,
 * javadoc and godoc write one: the comment marker (#, //, *, --) followed
 * by a tab, by two spaces or more, or by a prompt (>>>, irb>).  A comment
 * with one space (`# password = "x"`, code switched off) keeps its
 * severity: that is a value someone used.
 */
#ifndef LS_FINDING_PROSE_H
#define LS_FINDING_PROSE_H

#include "finding/finding.h"

#define LS_PROSE_NOTE "in documentation, a generic rule: ranked low"
#define LS_PROSE_COMMENT_NOTE \
	"in a code comment's example (documentation), a generic rule: ranked low"
/* The same for a structural rule's finding (rules.h: a URL's password, an
 * Authorization header, an SQL password: a place, not a provider format). */
#define LS_PROSE_STRUCT_NOTE \
	"in documentation, a structural rule (no provider format): ranked low"
#define LS_PROSE_STRUCT_COMMENT_NOTE \
	"in a code comment's example (documentation), a structural rule (no provider format): ranked low"

/* 1 if `path` is documentation as above, else 0. */
int ls_prose_path(const char *path);

/*
 * Rank `f` if its rule is generic or structural and its path documentation: severity
 * low, LS_PROSE_NOTE put before any note it has.  Returns 1 if `f`
 * changed, else 0.
 */
int ls_prose_judge_finding(struct ls_finding *f);

/* 1 if `path` is a source file whose comments can hold examples. */
int ls_prose_code_path(const char *path);

/* 1 if the line holding byte `off` of `buf` is a comment set off as an
 * example (above), else 0. */
int ls_prose_comment_example(const char *buf, size_t len, size_t off);

/*
 * ls_prose_judge_finding, and in a source file a finding on a comment
 * example line (LS_PROSE_COMMENT_NOTE).  `buf` is the text around the
 * finding (the chunk), `off` its offset there.
 */
int ls_prose_judge_finding_in(struct ls_finding *f, const char *buf,
			      size_t len, size_t off);

#endif
