/* examples.c - run rule examples; see examples.h. */
#include "scan/examples.h"

#include <string.h>

#include "scan/scan.h"
#include "policy/policy.h"
#include "source/containerfile.h"
#include "util/xalloc.h"

/*
 * A check rule's example is a Containerfile, checked as if the context
 * held a `.env` file with a secret.  1 if the rule reported something.
 */
static int check_example(struct ls_scan *scan, const struct ls_rule *r,
			 const struct ls_example *e)
{
	struct ls_containerfile *cf = NULL;
	struct ls_err err;
	struct ls_finding *env = ls_finding_new(r);
	int found = 0;

	env->path = ls_xstrdup(".env");
	env->secret = ls_xstrdup("");
	ls_findings_add(&scan->findings, env);
	ls_err_clear(&err);
	if (!ls_containerfile_parse(e->text, e->len, "Containerfile", &cf, &err)) {
		ls_containerfile_check(cf, scan, "Containerfile");
		ls_containerfile_free(cf);
	}
	for (size_t j = 0; j < scan->findings.n; j++)
		if (scan->findings.v[j]->rule == r &&
		    scan->findings.v[j]->source == LS_SOURCE_CONTAINERFILE)
			found = 1;
	ls_findings_release(&scan->findings);
	return found;
}

size_t ls_examples_run(const struct ls_ruleset *rs, ls_example_fail_cb cb,
		       void *ud, size_t *total)
{
	struct ls_scan scan;
	struct ls_scan_opts opts = { .threads = 1 };
	struct ls_worker *w;
	size_t fails = 0, n = 0;

	ls_scan_init(&scan, rs, &opts);
	w = ls_worker_new(&scan);
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct ls_rule *r = rs->rules[i];
		for (size_t k = 0; k < r->nexamples; k++) {
			const struct ls_example *e = &r->examples[k];
			struct ls_item it;
			int found = 0;

			memset(&it, 0, sizeof(it));
			it.source = LS_SOURCE_FILE;
			it.history_index = -1;
			it.path = e->path ? e->path :
				  r->example_path ? r->example_path
						  : (char *)"snippet.txt";
			if (r->check == LS_CHECK_IMAGE_POLICY ||
			    r->check == LS_CHECK_CONTAINERFILE_POLICY) {
				struct ls_err err;
				ls_err_clear(&err);
				found = ls_policy_example(&scan, r, e, &err);
				ls_findings_release(&scan.findings);
				if (found < 0)
					found = !e->positive;   /* a failure */
			} else if (r->check &&
				   r->check != LS_CHECK_TABLE_COLUMN) {
				found = check_example(&scan, r, e);
			} else {
				ls_worker_scan_buffer(w, &it, e->text, e->len);
				/* a decoding rule's finding may carry the
				 * id of the rule that matched the decoded text */
				for (size_t j = 0; j < scan.findings.n; j++)
					if (scan.findings.v[j]->rule == r ||
					    scan.findings.v[j]->via == r)
						found = 1;
				ls_findings_release(&scan.findings);
			}
			n++;
			if (found != e->positive) {
				fails++;
				if (cb)
					cb(ud, r, e);
			}
		}
	}
	ls_worker_free(w);
	ls_scan_release(&scan);
	if (total)
		*total = n;
	return fails;
}
