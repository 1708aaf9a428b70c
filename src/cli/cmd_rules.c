/*
 * cmd_rules.c - `layerscan rules list` and `layerscan rules check [FILE]`.
 *
 * check: load FILE (or, with no FILE, the built-in defaults), print every
 * problem as file:line:column: message, warn about rules without keywords,
 * then run every rule's examples.  Exit 0 when all is well, 1 when only
 * examples fail, 2 when the file has errors.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "scan/examples.h"

static void on_fail(void *ud, const struct ls_rule *r,
		    const struct ls_example *e)
{
	(void)ud;
	fprintf(stderr, "%s:%d: rule '%s': %s example %s\n", r->file, e->line,
		r->id, e->positive ? "positive" : "negative",
		e->positive ? "produced no finding" : "produced a finding");
}

static int rules_check(struct ls_opts *o)
{
	struct ls_ruleset *rs = ls_ruleset_new();
	struct ls_diag d;
	size_t fails, total = 0, nex = 0;
	int status = LS_EXIT_CLEAN;
	const char *file = o->nargs > 1 ? o->args[1] : NULL;

	if (o->nargs > 2) {
		ls_cli_error("rules check takes one file");
		ls_ruleset_free(rs);
		return LS_EXIT_ERROR;
	}
	ls_diag_init(&d);
	if (file)
		ls_ruleset_load_file(rs, file, LS_LOAD_FOLLOW_EXTEND, &d);
	else
		ls_ruleset_load_defaults(rs, &d);
	if (!ls_diag_errors(&d))
		ls_ruleset_compile(rs, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	if (ls_diag_errors(&d)) {
		ls_cli_error("%s: %zu error%s", file ? file : "default rules",
			     ls_diag_errors(&d),
			     ls_diag_errors(&d) == 1 ? "" : "s");
		ls_diag_release(&d);
		ls_ruleset_free(rs);
		return LS_EXIT_ERROR;
	}
	ls_diag_release(&d);
	for (size_t i = 0; i < rs->nrules; i++)
		nex += rs->rules[i]->nexamples;
	fails = ls_examples_run(rs, on_fail, NULL, &total);
	if (!o->quiet)
		printf("%zu rules, %zu examples, %zu failed\n", rs->nrules,
		       total, fails);
	if (fails)
		status = LS_EXIT_FINDINGS;
	ls_ruleset_free(rs);
	return status;
}

/* A keyword as text on one line: \n \r \t \\ escaped, a comma as \x2c
 * (commas separate keywords), other control bytes as \xHH. */
static void print_keyword(const char *kw)
{
	for (const unsigned char *p = (const unsigned char *)kw; *p; p++) {
		if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\r')
			fputs("\\r", stdout);
		else if (*p == '\t')
			fputs("\\t", stdout);
		else if (*p == '\\')
			fputs("\\\\", stdout);
		else if (*p == ',' || *p < 0x20 || *p == 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
}

static int rules_list(struct ls_opts *o)
{
	struct ls_ruleset *rs = ls_cli_load_rules(o);

	if (!rs)
		return LS_EXIT_ERROR;
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct ls_rule *r = rs->rules[i];
		printf("%-40s %-8s ", r->id, ls_severity_name(r->severity));
		for (size_t k = 0; k < r->nkeywords; k++) {
			if (k)
				putchar(',');
			print_keyword(r->keywords[k]);
		}
		if (r->check)
			printf("(check: %s)", ls_check_name(r->check));
		else if (!r->nkeywords)
			printf("%s", r->regex ? "(no keywords)" : "(path rule)");
		putchar('\n');
	}
	ls_ruleset_free(rs);
	return LS_EXIT_CLEAN;
}

int cmd_rules(struct ls_opts *o)
{
	if (o->nargs < 1) {
		ls_cli_error("rules: missing action (list or check)");
		return LS_EXIT_ERROR;
	}
	if (!strcmp(o->args[0], "list"))
		return rules_list(o);
	if (!strcmp(o->args[0], "check"))
		return rules_check(o);
	ls_cli_error("rules: unknown action '%s' (use list or check)",
		     o->args[0]);
	return LS_EXIT_ERROR;
}
