/*
 * fuzz_rules.c - the rule loader (src/rules/load.c): a TOML rule document
 * into a rule set, compiled (PCRE2, prefilter), and every rule's examples
 * run through the matcher (src/scan/examples.c), as `layerscan rules check`
 * does.  [extend] is not followed (it would read files).
 */
#include "fuzz.h"
#include "scan/examples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_ruleset *rs = ls_ruleset_new();
	struct ls_diag d;
	size_t total = 0;

	ls_diag_init(&d);
	if (!ls_ruleset_load_toml(rs, (const char *)data, size, "fuzz.toml", 0,
				  &d) && !ls_diag_errors(&d)) {
		ls_ruleset_compile(rs, &d);
		(void)ls_examples_run(rs, NULL, NULL, &total);
		for (size_t i = 0; i < rs->nrules; i++)
			(void)ls_ruleset_find(rs, rs->rules[i]->id);
	}
	ls_diag_release(&d);
	ls_ruleset_free(rs);
	return 0;
}
