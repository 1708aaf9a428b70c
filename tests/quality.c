/*
 * quality.c - score a JSON report against a labelled corpus.
 *
 * usage: quality LABELS.tsv REPORT.json [MINIMUM]
 * LABELS.tsv: header, then "path<TAB>line<TAB>kind" per planted secret.
 * A finding counts at its (path, line); several findings on one line count
 * once; findings at line 0 (rules that match a file name, not content) are
 * left out, since labels mark content.  recall = labelled lines found / labelled lines; precision =
 * reported lines that are labelled / reported lines.  Prints both, the
 * misses and the false positives, and exits 1 if either is below its
 * minimum.  MINIMUM is a file next to the corpus recording the figures it
 * must keep (fixtures/corpus/minimum): lines "recall R" and "precision P",
 * '#' comments; both are compared as printed, to three decimals.  Without
 * MINIMUM both minimums are 0.95.
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct key {
	char *path;
	long line;
	char *what;   /* kind for labels, rule for findings */
	int hit;
};

/* Read "recall R" and "precision P" from `path`; 0, or -1 (said why). */
static int read_minimum(const char *path, double *rmin, double *pmin)
{
	FILE *f = fopen(path, "r");
	char buf[256];
	int lineno = 0, have_r = 0, have_p = 0;

	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(buf, sizeof(buf), f)) {
		char name[32], *end;
		const char *num;
		double v;
		int n = 0;

		lineno++;
		if (buf[0] == '#' || strspn(buf, " \t\r\n") == strlen(buf))
			continue;
		if (sscanf(buf, "%31s %n", name, &n) != 1 || !n) {
			fprintf(stderr, "%s:%d: expected \"recall R\" or \"precision P\"\n", path, lineno);
			fclose(f);
			return -1;
		}
		num = buf + n;
		v = strtod(num, &end);
		if (end == num || strspn(end, " \t\r\n") != strlen(end) || v < 0 || v > 1 ||
		    (strcmp(name, "recall") && strcmp(name, "precision"))) {
			fprintf(stderr, "%s:%d: expected \"recall R\" or \"precision P\" with 0 <= value <= 1\n", path, lineno);
			fclose(f);
			return -1;
		}
		if (!strcmp(name, "recall")) {
			*rmin = v;
			have_r = 1;
		} else {
			*pmin = v;
			have_p = 1;
		}
	}
	fclose(f);
	if (!have_r || !have_p) {
		fprintf(stderr, "%s: needs both a recall and a precision line\n", path);
		return -1;
	}
	return 0;
}

/* v >= min, both as printed with three decimals */
static int at_least(double v, double min)
{
	return lround(v * 1000) >= lround(min * 1000);
}

static int cmp_key(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

int main(int argc, char **argv)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0, nl = 0, nf = 0, found = 0, tpf = 0;
	struct key *labels = NULL, *finds = NULL;
	json_t *doc, *arr;
	json_error_t jerr;
	double rmin = 0.95, pmin = 0.95, recall, precision;
	int first = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: quality LABELS.tsv REPORT.json [MINIMUM]\n");
		return 2;
	}
	if (argc > 3 && read_minimum(argv[3], &rmin, &pmin))
		return 2;
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	while (getline(&line, &cap, f) > 0) {
		char *save = NULL, *path, *ln, *kind;

		path = line;
		ln = strchr(path, '\t');
		if (first || !ln) {
			first = 0;
			continue;
		}
		*ln++ = '\0';
		kind = strchr(ln, '\t');
		if (kind)
			*kind++ = '\0';
		labels = realloc(labels, (nl + 1) * sizeof(*labels));
		labels[nl].path = strdup(path);
		labels[nl].line = strtol(ln, NULL, 10);
		labels[nl].what = strdup(kind ? strtok_r(kind, "\n", &save) : "?");
		labels[nl].hit = 0;
		nl++;
	}
	fclose(f);
	free(line);
	doc = json_load_file(argv[2], 0, &jerr);
	if (!doc) {
		fprintf(stderr, "%s:%d: %s\n", argv[2], jerr.line, jerr.text);
		return 2;
	}
	arr = json_object_get(doc, "findings");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		if (json_integer_value(json_object_get(o, "line")) == 0)
			continue;
		finds = realloc(finds, (nf + 1) * sizeof(*finds));
		finds[nf].path = strdup(json_string_value(json_object_get(o, "path")));
		finds[nf].line = (long)json_integer_value(json_object_get(o, "line"));
		finds[nf].what = strdup(json_string_value(json_object_get(o, "rule")));
		finds[nf].hit = 0;
		nf++;
	}
	qsort(finds, nf, sizeof(*finds), cmp_key);
	/* unique reported lines */
	{
		size_t u = 0;
		for (size_t i = 0; i < nf; i++) {
			if (u && !cmp_key(&finds[u - 1], &finds[i])) {
				free(finds[i].path);
				free(finds[i].what);
				continue;
			}
			finds[u++] = finds[i];
		}
		nf = u;
	}
	for (size_t i = 0; i < nl; i++) {
		struct key *k = bsearch(&labels[i], finds, nf, sizeof(*finds), cmp_key);
		if (k) {
			labels[i].hit = 1;
			if (!k->hit)
				tpf++;
			k->hit = 1;
			found++;
		}
	}
	printf("missed (labelled, not found):\n");
	for (size_t i = 0; i < nl; i++)
		if (!labels[i].hit)
			printf("  %s:%ld  %s\n", labels[i].path, labels[i].line,
			       labels[i].what);
	printf("false positives (found, not labelled):\n");
	for (size_t i = 0; i < nf; i++)
		if (!finds[i].hit)
			printf("  %s:%ld  %s\n", finds[i].path, finds[i].line,
			       finds[i].what);
	recall = nl ? (double)found / (double)nl : 1;
	precision = nf ? (double)tpf / (double)nf : 1;
	printf("labelled %zu, reported lines %zu, found %zu\n", nl, nf, found);
	printf("recall %.3f, precision %.3f (minimum %.3f and %.3f%s%s)\n",
	       recall, precision, rmin, pmin, argc > 3 ? ": " : "",
	       argc > 3 ? argv[3] : "");
	if (!at_least(recall, rmin))
		printf("FAIL: recall %.3f is below the minimum %.3f\n", recall, rmin);
	if (!at_least(precision, pmin))
		printf("FAIL: precision %.3f is below the minimum %.3f\n", precision, pmin);
	for (size_t i = 0; i < nl; i++) {
		free(labels[i].path);
		free(labels[i].what);
	}
	for (size_t i = 0; i < nf; i++) {
		free(finds[i].path);
		free(finds[i].what);
	}
	free(labels);
	free(finds);
	json_decref(doc);
	return at_least(recall, rmin) && at_least(precision, pmin) ? 0 : 1;
}
