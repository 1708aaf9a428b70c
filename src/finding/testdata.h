/*
 * testdata.h - findings in test material are reported, ranked low.
 *
 * A test suite holds credentials on purpose: a fixture key a TLS test
 * loads, a password a login test types, a token a client test sends to a
 * mock.  They are reported (a real key pasted into a test is still a
 * leak), but a finding in test material is ranked `low` with the note
 * LS_TESTDATA_NOTE instead of its rule's severity (docs/rules.md, "Test
 * material"), so that `--fail-on medium` lets a pipeline pass on them
 * while the report still lists them.  Two exceptions keep the rule's
 * severity: a rule whose format carries a checksum (`validate`: a GitHub
 * or npm token whose CRC is right is a token someone issued, not a made-up
 * test value), and findings already below low (info stays info).
 *
 * Test material, by path alone ('/'-separated, any source: a context, an
 * image layer, a commit):
 *   a folder named test, tests, testing, spec, specs, __tests__, __mocks__,
 *     __fixtures__, testdata, test-data, test_data, fixtures, test-fixtures,
 *     test_fixtures, testfixtures, regress, expected, testenv, testsuite, t
 *     (any case), anywhere in the path;
 *   a file named as a test: *_test.go, *_test.py, test_*.py, conftest.py,
 *     *.test.* and *.spec.* (JavaScript, TypeScript, ...), *_spec.rb,
 *     *_test.rb, *Test.java/kt/scala/groovy/cs, *Tests.java/kt/cs,
 *     *.phpt, *Test.php.
 *
 * A patch (*.patch, *.diff, *.debdiff, a file in a patches/ folder: a
 * Debian source package's debian/patches) is judged by the file its hunk
 * changes: a key in the hunk that adds tests/certs/server.key is test
 * material too, with the target named in the note.
 */
#ifndef LS_FINDING_TESTDATA_H
#define LS_FINDING_TESTDATA_H

#include "finding/finding.h"

#define LS_TESTDATA_NOTE "in test data (a test folder or a test file): ranked low"

/* 1 if `path` is test material as above, else 0. */
int ls_testdata_path(const char *path);

/*
 * Rank `f` if its path is test material: severity low, LS_TESTDATA_NOTE
 * put before any note it has.  Returns 1 if `f` changed, else 0.
 */
int ls_testdata_judge_finding(struct ls_finding *f);

/* 1 if `path` is a patch as above (*.patch, *.diff, *.debdiff, patches/). */
int ls_testdata_patch_path(const char *path);

/*
 * The file a patch's hunk changes, for a finding at byte `off` of `buf`
 * (`len` bytes of the file at `path`): the path on the nearest "+++ "
 * line before it, as the patch writes it (b/tests/x, pkg-1.0/tests/x), in
 * a new string; NULL if `path` is not a patch, the finding's line is not
 * a hunk's, or no "+++ " line is found in the 4 MiB before it.
 */
char *ls_testdata_patch_target(const char *path, const char *buf,
			       size_t len, size_t off);

/*
 * ls_testdata_judge_finding, and for a finding in a patch the path the
 * hunk changes (ls_testdata_patch_target) judged the same way, the note
 * naming it.  `buf` is the text around the finding (the chunk), `off`
 * the finding's offset in it.
 */
int ls_testdata_judge_finding_in(struct ls_finding *f, const char *buf,
				 size_t len, size_t off);

#endif
