/*
 * junit.c - JUnit XML for CI systems that show test reports.
 *
 * One test suite; each finding is a failed test case (classname = rule id,
 * name = where), each scan error an errored test case, and a clean scan
 * one passing test case, so the report is never empty.  Text from scanned
 * input is XML-escaped and stripped of characters XML 1.0 cannot hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/xalloc.h"

static void xml(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
				fputc('?', out);
			else if (*p >= 0x80)
				fputc('?', out);   /* keep the document valid */
			else
				fputc(*p, out);
		}
	}
}

static int write_junit(FILE *out, const struct ls_report *r)
{
	const struct ls_findings *l = r->findings;
	size_t nerr = r->errors ? r->errors->n : 0;
	size_t nwarn = r->warnings ? r->warnings->n : 0;
	size_t tests = l->n + nerr + (l->n || nerr ? 0 : 1);
	size_t nfail = 0;

	for (size_t i = 0; i < l->n; i++)
		nfail += l->v[i]->severity >= r->fail_on;

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(out, "<testsuites name=\"layerscan\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n",
		tests, nfail, nerr, r->seconds);
	fprintf(out, "  <testsuite name=\"layerscan ");
	xml(out, r->target_kind);
	fputc(' ', out);
	xml(out, r->target_name);
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n",
		tests, nfail, nerr, r->seconds);
	for (size_t i = 0; i < l->n; i++) {
		const struct ls_finding *f = l->v[i];
		char *sec = r->redact ? ls_redact(f->secret, f->secret_len)
				      : ls_printable(f->secret, f->secret_len);
		char where[64];
		int fail;

		fprintf(out, "    <testcase classname=\"");
		xml(out, f->rule->id);
		fprintf(out, "\" name=\"");
		if (f->layer && f->layer->index >= 0) {
			snprintf(where, sizeof(where), "layer %d%s: ",
				 f->layer->index,
				 f->layer->base ? " (base)" : "");
			xml(out, where);
		}
		xml(out, f->path);
		if (f->line) {
			snprintf(where, sizeof(where), ":%lu:%lu", f->line, f->column);
			xml(out, where);
		}
		/* below the gate: a passing test case whose output says
		   what was found */
		fail = f->severity >= r->fail_on;
		fprintf(out, fail ? "\">\n      <failure type=\"%s\" message=\""
				  : "\">\n      <system-out>%s: ",
			ls_severity_name(f->severity));
		xml(out, f->rule->description ? f->rule->description : f->rule->id);
		fprintf(out, fail ? "\">" : "&#10;");
		if (f->secret_len) {
			xml(out, "secret: ");
			xml(out, sec);
			fprintf(out, "&#10;");
		}
		fprintf(out, "fingerprint: %s", f->fingerprint);
		if (f->note) {
			fprintf(out, "&#10;note: ");
			xml(out, f->note);
		}
		if (f->rule->fix) {
			fprintf(out, "&#10;fix: ");
			xml(out, f->rule->fix);
		}
		fprintf(out, fail ? "</failure>\n    </testcase>\n"
				  : "</system-out>\n    </testcase>\n");
		free(sec);
	}
	for (size_t i = 0; i < nerr; i++) {
		fprintf(out, "    <testcase classname=\"layerscan\" name=\"scan error %zu\">\n      <error message=\"", i + 1);
		xml(out, r->errors->v[i]);
		fprintf(out, "\"/>\n    </testcase>\n");
	}
	if (!l->n && !nerr)
		fprintf(out, "    <testcase classname=\"layerscan\" name=\"no secrets found\"/>\n");
	if (nwarn) {
		fprintf(out, "    <system-err>");
		for (size_t i = 0; i < nwarn; i++) {
			fprintf(out, "warning: ");
			xml(out, r->warnings->v[i]);
			fprintf(out, "&#10;");
		}
		fprintf(out, "</system-err>\n");
	}
	fprintf(out, "  </testsuite>\n</testsuites>\n");
	return ferror(out) ? LS_EIO : 0;
}

const struct ls_reporter ls_reporter_junit = { "junit", write_junit };
