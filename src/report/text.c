/*
 * text.c - the report for people.
 *
 * One block per finding: severity and rule, where, the redacted secret, and
 * the fix; then a one-line summary.  Colour only when asked (the CLI decides:
 * a terminal and no NO_COLOR).
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/xalloc.h"

static const char *sev_color(enum ls_severity s)
{
	switch (s) {
	case LS_SEV_CRITICAL:
		return "\033[1;31m";
	case LS_SEV_HIGH:
		return "\033[31m";
	case LS_SEV_MEDIUM:
		return "\033[33m";
	default:
		return "\033[36m";
	}
}

static void human_bytes(unsigned long long b, char *out, size_t n)
{
	static const char *const units[] = { "B", "KB", "MB", "GB", "TB" };
	double v = (double)b;
	int u = 0;

	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	if (u == 0)
		snprintf(out, n, "%llu B", b);
	else
		snprintf(out, n, "%.1f %s", v, units[u]);
}

/* 14212 -> "14,212" */
static void thousands(unsigned long long v, char *out, size_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%llu", v), o = 0;

	for (int i = 0; i < len && (size_t)o + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

/* Distinct layers holding findings (image scans). */
static size_t layers_with_findings(const struct ls_findings *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct ls_finding *f = l->v[i];
		int seen = 0;
		if (!f->layer || f->layer->index < 0)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = l->v[j]->layer &&
			       l->v[j]->layer->index == f->layer->index;
		n += !seen;
	}
	return n;
}

static void upper(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		out[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
	out[i] = '\0';
}

static int write_text(FILE *out, const struct ls_report *r)
{
	const struct ls_findings *l = r->findings;
	const char *bold = r->color ? "\033[1m" : "";
	const char *dim = r->color ? "\033[2m" : "";
	const char *reset = r->color ? "\033[0m" : "";
	size_t bysev[5] = { 0 };
	char size[32], files[40];
	unsigned long long nfiles;

	for (size_t i = 0; i < l->n; i++) {
		const struct ls_finding *f = l->v[i];
		const struct ls_rule *rule = f->rule;
		char sev[16];
		char *path = ls_printable(f->path, strlen(f->path));
		char *sec = r->redact ? ls_redact(f->secret, f->secret_len)
				      : ls_printable(f->secret, f->secret_len);
		/* names and notes may quote the scanned input */
		char *key = f->key ? ls_printable(f->key, strlen(f->key)) : NULL;
		char *note = f->note ? ls_printable(f->note, strlen(f->note)) : NULL;

		bysev[f->severity]++;
		upper(ls_severity_name(f->severity), sev, sizeof(sev));
		fprintf(out, "%s%-8s%s %s%s%s  %s\n",
			r->color ? sev_color(f->severity) : "", sev, reset,
			bold, rule->id, reset,
			rule->description ? rule->description : "");
		if (f->field || f->history_index >= 0) {
			/* image config or history: say which entry */
			if (f->field && key)
				fprintf(out, "         at      image config %s %s\n",
					f->field, key);
			else if (f->field)
				fprintf(out, "         at      image config %s\n",
					f->field);
			else if (key)
				fprintf(out, "         at      history[%ld] build argument %s\n",
					f->history_index, key);
			else
				fprintf(out, "         at      history[%ld]\n",
					f->history_index);
		} else if (f->line) {
			fprintf(out, "         at      %s:%lu:%lu\n", path,
				f->line, f->column);
		} else {
			fprintf(out, "         at      %s\n", path);
		}
		if (f->commit && f->commit->id) {
			const struct ls_finding_commit *c = f->commit;
			char *au = ls_printable(c->author ? c->author : "",
						c->author ? strlen(c->author) : 0);
			char *msg = ls_printable(c->message ? c->message : "",
						 c->message ? strlen(c->message) : 0);
			fprintf(out, "         commit  %.12s %s %s: %s\n", c->id,
				c->date ? c->date : "", au, msg);
			free(au);
			free(msg);
		}
		if (f->layer && f->layer->index >= 0) {
			char *cb = f->layer->created_by ?
				ls_printable(f->layer->created_by,
					     strlen(f->layer->created_by)) : NULL;
			char *bi = f->layer->base && f->layer->base_image ?
				ls_printable(f->layer->base_image,
					     strlen(f->layer->base_image)) : NULL;
			fprintf(out, "         layer   %d%s%s%s", f->layer->index,
				cb ? " (" : "", cb ? cb : "", cb ? ")" : "");
			/* a layer of the base image (docs/image.md) */
			if (f->layer->base)
				fprintf(out, " [base%s%s]", bi ? ": " : "",
					bi ? bi : "");
			fputc('\n', out);
			if (f->nlayers > 1) {
				fprintf(out, "         also in layers");
				for (size_t k = 1; k < f->nlayers; k++)
					fprintf(out, " %d", f->layers[k]);
				fputc('\n', out);
			}
			free(cb);
			free(bi);
		}
		if (f->secret_len)
			fprintf(out, "         secret  %s%s\n", sec,
				!f->decoded ? "" : f->via && f->via->decode == LS_DECODE_XML
				? " (in XML-escaped text)" : f->via &&
				f->via->decode == LS_DECODE_JSON
				? " (in JSON-escaped text)" : " (base64-decoded)");
		if (f->provenance != LS_PROV_NONE && f->package) {
			char *pk = ls_printable(f->package, strlen(f->package));
			fprintf(out, "         package %s (%s)\n", pk,
				f->provenance == LS_PROV_MODIFIED ?
				"modified after the package installed it" :
				f->provenance == LS_PROV_UNVERIFIED ?
				"not checked against the package" :
				"installed by the package, unchanged");
			free(pk);
		}
		if (note)
			fprintf(out, "         note    %s\n", note);
		if (rule->fix)
			fprintf(out, "         fix     %s%s%s\n", dim, rule->fix,
				reset);
		fputc('\n', out);
		free(path);
		free(sec);
		free(key);
		free(note);
	}
	human_bytes(r->stats ? r->stats->bytes : 0, size, sizeof(size));
	thousands(r->stats ? r->stats->files : 0, files, sizeof(files));
	nfiles = r->stats ? r->stats->files : 0;
	if (!l->n) {
		fprintf(out, "no findings in %s file%s, %s in %.2f s\n", files,
			nfiles == 1 ? "" : "s", size, r->seconds);
	} else {
		int first = 1;
		size_t nl = layers_with_findings(l);
		fprintf(out, "%zu finding%s (", l->n, l->n == 1 ? "" : "s");
		for (int s = LS_SEV_CRITICAL; s >= LS_SEV_INFO; s--) {
			if (!bysev[s])
				continue;
			fprintf(out, "%s%zu %s", first ? "" : ", ", bysev[s],
				ls_severity_name((enum ls_severity)s));
			first = 0;
		}
		fprintf(out, ") in ");
		if (nl)
			fprintf(out, "%zu layer%s, ", nl, nl == 1 ? "" : "s");
		fprintf(out, "%s file%s, %s in %.2f s\n", files,
			nfiles == 1 ? "" : "s", size, r->seconds);
	}
	return ferror(out) ? LS_EIO : 0;
}

const struct ls_reporter ls_reporter_text = { "text", write_text };
