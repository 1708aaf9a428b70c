/*
 * place.h - what the finding rankings read in a path, as one value.
 *
 * A finding's severity depends on its path as well as its bytes: test
 * material is ranked low (testdata.h), and so are a generic rule's findings
 * in documentation or a code comment's example (prose.h); a patch's hunk is
 * judged by the file it changes.  Where the same bytes are scanned once and
 * their findings given to several paths (a nested archive's copies, a blob
 * at several paths of a history), two paths may share the findings only if
 * they have the same place, as well as the same path signature for the
 * rules (rules/match.h).
 */
#ifndef LS_FINDING_PLACE_H
#define LS_FINDING_PLACE_H

enum {
	LS_PLACE_TEST = 1,   /* ls_testdata_path */
	LS_PLACE_PATCH = 2,  /* ls_testdata_patch_path */
	LS_PLACE_DOC = 4,    /* ls_prose_path */
	LS_PLACE_CODE = 8,   /* ls_prose_code_path */
};

/* The LS_PLACE_* bits of `path` (0 for NULL). */
unsigned ls_finding_place(const char *path);

#endif
