/*
 * examples.h - run the examples that rules carry (docs/rules.md).
 *
 * Each example is scanned as the content of one file (named by the rule's
 * examples.path, default "snippet.txt") with the whole rule set.  A positive
 * example must produce a finding of its rule; a negative one must not.
 * Used by `layerscan rules check` and by the test suite, so every default
 * rule's true- and false-positive examples are checked on every build.
 */
#ifndef LS_SCAN_EXAMPLES_H
#define LS_SCAN_EXAMPLES_H

#include <stddef.h>

#include "rules/rules.h"

/* Called for each failing example. */
typedef void (*ls_example_fail_cb)(void *ud, const struct ls_rule *r,
				   const struct ls_example *e);

/*
 * Run every example of every rule in `rs` (compiled).  Returns the number
 * of failures; *total (if not NULL) gets the number of examples run.
 */
size_t ls_examples_run(const struct ls_ruleset *rs, ls_example_fail_cb cb,
		       void *ud, size_t *total);

#endif
