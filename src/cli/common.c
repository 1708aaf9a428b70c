/* common.c - rule loading, output and exit status for subcommands. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "finding/suppress.h"
#include "util/xalloc.h"
#include "version.h"

double ls_cli_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct ls_scan_opts ls_cli_scan_opts(const struct ls_opts *o)
{
	struct ls_scan_opts so;

	memset(&so, 0, sizeof(so));
	so.threads = o->threads;
	so.limits = o->limits;
	return so;
}

void ls_cli_scan_deadline(struct ls_scan_opts *so, const struct ls_opts *o)
{
	if (o->timeout > 0)
		so->deadline = ls_scan_now() + o->timeout;
}

/*
 * Configuration discovery, as gitleaks users expect: --config, else
 * .layerscan.toml, else .gitleaks.toml in the scanned directory (context
 * and git scans), else the built-in rules.  Caller frees.
 */
static char *discover_config(const struct ls_opts *o)
{
	static const char *const names[] = { ".layerscan.toml", ".gitleaks.toml" };
	struct stat st;

	if (o->config)
		return ls_xstrdup(o->config);
	if (!o->scan_dir)
		return NULL;
	for (int i = 0; i < 2; i++) {
		char *p = ls_xasprintf("%s/%s", o->scan_dir, names[i]);
		if (!stat(p, &st) && S_ISREG(st.st_mode)) {
			if (o->verbose)
				fprintf(stderr, "layerscan: note: using rules from '%s'\n", p);
			return p;
		}
		free(p);
	}
	return NULL;
}

struct ls_ruleset *ls_cli_load_rules(const struct ls_opts *o)
{
	struct ls_ruleset *rs = ls_ruleset_new();
	struct ls_diag d;
	char *config = discover_config(o);
	int bad;

	ls_diag_init(&d);
	if (config)
		ls_ruleset_load_file(rs, config, LS_LOAD_FOLLOW_EXTEND, &d);
	else
		ls_ruleset_load_defaults(rs, &d);
	if (o->policy.sets && !ls_ruleset_find(rs, "policy-root-user") &&
	    !ls_diag_errors(&d)) {
		/* a config without the defaults: the policy's checks still
		 * need their rules (a [policy] table tunes them) */
		ls_ruleset_load_default_file(rs, "policy.toml", &d);
	}
	bad = ls_diag_errors(&d) > 0;
	if (!bad)
		ls_ruleset_compile(rs, NULL);
	for (size_t i = 0; i < d.n; i++)
		if (d.is_error[i] || o->verbose)
			ls_cli_error("%s", d.msgs[i]);
	if (bad)
		ls_cli_error("%s: rules not loaded: %zu error%s",
			     config ? config : "default rules",
			     ls_diag_errors(&d), ls_diag_errors(&d) == 1 ? "" : "s");
	ls_diag_release(&d);
	free(config);
	if (bad) {
		ls_ruleset_free(rs);
		return NULL;
	}
	return rs;
}

int ls_cli_policy_setup(struct ls_opts *o, const struct ls_ruleset *rs)
{
	struct ls_err err;

	if (!o->policy.sets)
		return 0;
	ls_err_clear(&err);
	if (ls_policy_configure(rs, &o->policy, &err)) {
		char buf[LS_ERR_MSG_MAX + LS_ERR_NAME_MAX + 32];
		ls_cli_error("%s", ls_err_format(&err, buf, sizeof(buf)));
		return -1;
	}
	return 0;
}

/*
 * Ignore files and the baseline: --ignore-file, else .layerscanignore and
 * .gitleaksignore in the scanned directory; --baseline.  Returns 0, or -1
 * after printing why one of them could not be read.
 */
static int suppress(const struct ls_opts *o, struct ls_scan *scan)
{
	struct ls_suppress s;
	struct ls_err err;
	int ret = 0;

	ls_suppress_init(&s);
	ls_err_clear(&err);
	if (o->ignore_file) {
		if (ls_suppress_load_ignore(&s, o->ignore_file, &err)) {
			ls_cli_error("'%s': %s", o->ignore_file,
				     err.msg[0] ? err.msg : "cannot open");
			ret = -1;
		}
	} else if (o->scan_dir) {
		static const char *const names[] = { ".layerscanignore",
						     ".gitleaksignore" };
		for (int i = 0; i < 2 && !ret; i++) {
			char *p = ls_xasprintf("%s/%s", o->scan_dir, names[i]);
			int rc = ls_suppress_load_ignore(&s, p, &err);
			if (rc && rc != LS_ENOTFOUND) {
				ls_cli_error("'%s': %s", p, err.msg);
				ret = -1;
			}
			free(p);
		}
	}
	if (!ret && o->baseline && ls_suppress_load_baseline(&s, o->baseline, &err)) {
		char buf[LS_ERR_MSG_MAX + LS_ERR_NAME_MAX + 32];
		ls_cli_error("%s", ls_err_format(&err, buf, sizeof(buf)));
		ret = -1;
	}
	if (!ret) {
		ls_suppress_apply(&s, &scan->findings);
		if (s.suppressed && o->verbose)
			fprintf(stderr, "layerscan: note: %zu finding%s suppressed by ignore files or the baseline\n",
				s.suppressed, s.suppressed == 1 ? "" : "s");
		for (size_t i = 0; o->report_unused_ignores && i < s.n; i++) {
			if (s.e[i].used)
				continue;
			if (s.e[i].line)
				ls_cli_warn("%s:%d: unused ignore entry '%s'", s.e[i].file,
					    s.e[i].line, s.e[i].text);
			else
				ls_cli_warn("%s: unused baseline entry '%s'", s.e[i].file,
					    s.e[i].text);
		}
	}
	ls_suppress_release(&s);
	return ret;
}

static int write_baseline(const struct ls_opts *o, const struct ls_report *r)
{
	FILE *f = fopen(o->write_baseline, "w");
	int bad;

	if (!f) {
		ls_cli_error("cannot write '%s': %s", o->write_baseline,
			     strerror(errno));
		return -1;
	}
	bad = ls_reporter_json.write(f, r) < 0;
	if (fclose(f) || bad) {
		ls_cli_error("cannot write '%s'", o->write_baseline);
		return -1;
	}
	return 0;
}

/* --min-severity: findings below `min` are left out of the report. */
static void drop_below(struct ls_scan *scan, int min)
{
	struct ls_findings *l = &scan->findings;
	size_t k = 0;

	for (size_t i = 0; i < l->n; i++) {
		if ((int)l->v[i]->severity < min)
			ls_finding_free(l->v[i]);
		else
			l->v[k++] = l->v[i];
	}
	l->n = k;
}

int ls_cli_finish(const struct ls_opts *o, struct ls_scan *scan,
		  const char *kind, const char *target, double seconds)
{
	const struct ls_reporter *rep = ls_reporter_find(o->format);
	struct ls_report r;
	FILE *out = stdout;
	int status;

	if (scan->expired)
		ls_scan_error(scan, NULL,
			      "the scan took longer than --timeout (%g s) and was stopped: what was not reached was not scanned",
			      o->timeout);
	if (suppress(o, scan))
		return LS_EXIT_ERROR;
	drop_below(scan, o->min_severity >= 0 ? o->min_severity :
		   scan->rs && scan->rs->min_severity >= 0 ?
		   scan->rs->min_severity : LS_SEV_INFO);
	memset(&r, 0, sizeof(r));
	r.tool_version = LS_VERSION;
	r.target_kind = kind;
	r.target_name = target;
	r.findings = &scan->findings;
	if (o->strict) {
		/* --strict: what could not be read is an error */
		for (size_t i = 0; i < scan->warnings.n; i++)
			ls_scan_error(scan, NULL, "%s (--strict)",
				      scan->warnings.v[i]);
		ls_scan_clear_warnings(scan);
	}
	r.errors = &scan->errors;
	r.warnings = &scan->warnings;
	r.fail_on = o->fail_on >= 0 ? (enum ls_severity)o->fail_on :
		    scan->rs && scan->rs->fail_on >= 0 ?
		    (enum ls_severity)scan->rs->fail_on : LS_SEV_LOW;
	r.stats = &scan->stats;
	r.seconds = seconds;
	r.redact = !o->no_redact;
	if (o->output) {
		out = fopen(o->output, "w");
		if (!out) {
			ls_cli_error("cannot write '%s': %s", o->output,
				     strerror(errno));
			return LS_EXIT_ERROR;
		}
	}
	if (o->color >= 0)
		r.color = o->color;
	else {
		const char *nc = getenv("NO_COLOR");
		r.color = !o->output && isatty(STDOUT_FILENO) && !(nc && nc[0]);
	}
	for (size_t i = 0; o->verbose && i < scan->notes.n; i++)
		fprintf(stderr, "layerscan: note: %s\n", scan->notes.v[i]);
	for (size_t i = 0; i < scan->warnings.n; i++)
		ls_cli_warn("%s", scan->warnings.v[i]);
	for (size_t i = 0; i < scan->errors.n; i++)
		ls_cli_error("%s", scan->errors.v[i]);
	if (o->write_baseline && write_baseline(o, &r)) {
		if (out != stdout)
			fclose(out);
		return LS_EXIT_ERROR;
	}
	if (!(o->quiet && !scan->findings.n && !strcmp(rep->name, "text")))
		if (rep->write(out, &r) < 0)
			ls_cli_error("cannot write the report");
	if (out != stdout && fclose(out)) {
		ls_cli_error("cannot write '%s': %s", o->output, strerror(errno));
		return LS_EXIT_ERROR;
	}
	if (out == stdout && (fflush(stdout) || ferror(stdout))) {
		/* a full disk or a closed pipe: the report is lost */
		ls_cli_error("cannot write the report to standard output: %s",
			     strerror(errno));
		return LS_EXIT_ERROR;
	}
	if (scan->errors.n) {
		ls_cli_error("%zu error%s: the scan is incomplete%s",
			     scan->errors.n, scan->errors.n == 1 ? "" : "s",
			     o->allow_partial ? " (--allow-partial: the exit status says only whether there are findings)" : "");
		if (!o->allow_partial)
			return LS_EXIT_ERROR;
	}
	/* findings below --fail-on (default low: info findings such as
	 * vendor files, published test keys, setuid files) are listed but do
	 * not fail the run */
	status = LS_EXIT_CLEAN;
	for (size_t i = 0; i < scan->findings.n; i++)
		if (scan->findings.v[i]->severity >= r.fail_on)
			status = o->exit_code;
	return status;
}
