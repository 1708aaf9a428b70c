/*
 * pathlit.h - the literals a `path` pattern requires.
 *
 * Most `path` patterns end in a literal before their final `$` ("\.json$",
 * "(?:^|/)\.p4tickets$", "(?:\.pem|\.key)$"); the others mostly hold one
 * outside any group ("(?:^|/)openvpn/[^/]*$").  A path that contains none of
 * those literals cannot match, and a substring search is far cheaper than a
 * regex run for every rule on every file's path.  The literals are worked
 * out once, when the rule is loaded; a pattern with neither ("[^/]+$",
 * "x*$", a lookaround at the end) has none, and its regex alone decides.
 */
#ifndef LS_RULES_PATHLIT_H
#define LS_RULES_PATHLIT_H

/*
 * The literals pattern `p` requires (at least 3 bytes each, any one of
 * which a matching path contains), joined by '\n', lower-cased when *icase
 * is set (the pattern has a "(?i"); NULL when it requires none.  A literal
 * that must end the path (no optional part after it) starts with the byte
 * 0x01.
 */
char *ls_path_literals(const char *p, int *icase);

/* Does `path` contain one of the literals `lits` (from ls_path_literals)? */
int ls_path_literals_ok(const char *lits, int icase, const char *path);

/* The same, given also `lpath`, the path in lower case (ASCII), which
 * makes a case-insensitive literal a plain substring search. */
int ls_path_literals_ok_lower(const char *lits, int icase, const char *path,
			      const char *lpath);

#endif
