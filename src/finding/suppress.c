/*
 * suppress.c - ignore files and baselines; see suppress.h.
 *
 * Entries are kept in a list and looked up through a string set, so
 * applying N entries to M findings costs O(N + 3M).
 */
#define _GNU_SOURCE
#include "finding/suppress.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "finding/fingerprint.h"
#include "util/strset.h"
#include "util/xalloc.h"

void ls_suppress_init(struct ls_suppress *s)
{
	memset(s, 0, sizeof(*s));
}

void ls_suppress_release(struct ls_suppress *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->e[i].text);
		free(s->e[i].file);
	}
	free(s->e);
	memset(s, 0, sizeof(*s));
}

static void add(struct ls_suppress *s, const char *text, size_t len,
		const char *file, int line)
{
	struct ls_suppress_entry *e;

	LS_ALLOC_GROW(s->e, s->n + 1, s->alloc);
	e = &s->e[s->n++];
	e->text = ls_xstrndup(text, len);
	e->file = ls_xstrdup(file);
	e->line = line;
	e->used = 0;
}

static int read_all(const char *path, char **buf, size_t *len,
		    struct ls_err *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;

	if (!f)
		return errno == ENOENT ? LS_ENOTFOUND :
			ls_err_set(err, LS_EIO, path, 0, 0, "cannot open: %s",
				   strerror(errno));
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) ||
	    (unsigned long long)st.st_size > LS_SUPPRESS_FILE_MAX) {
		fclose(f);
		return ls_err_set(err, LS_EIO, path, 0, 0,
				  "not a regular file of at most %u bytes",
				  LS_SUPPRESS_FILE_MAX);
	}
	*buf = ls_xmalloc((size_t)st.st_size + 1);
	*len = fread(*buf, 1, (size_t)st.st_size, f);
	(*buf)[*len] = '\0';
	fclose(f);
	return 0;
}

int ls_suppress_load_ignore(struct ls_suppress *s, const char *path,
			    struct ls_err *err)
{
	char *buf = NULL;
	size_t len = 0, pos = 0;
	int line = 0, rc = read_all(path, &buf, &len, err);

	if (rc)
		return rc;
	while (pos < len) {
		const char *p = buf + pos;
		const char *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos;
		size_t a = 0, b = n;

		line++;
		pos += n + 1;
		while (a < b && (p[a] == ' ' || p[a] == '\t'))
			a++;
		while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t' ||
				 p[b - 1] == '\r'))
			b--;
		if (a == b || p[a] == '#')
			continue;
		add(s, p + a, b - a, path, line);
	}
	free(buf);
	return 0;
}

int ls_suppress_load_baseline(struct ls_suppress *s, const char *path,
			      struct ls_err *err)
{
	json_error_t je;
	json_t *doc, *arr, *f;
	size_t i;
	struct stat st;

	if (stat(path, &st))
		return ls_err_set(err, LS_EIO, path, 0, 0, "cannot open: %s",
				  strerror(errno));
	if ((unsigned long long)st.st_size > LS_SUPPRESS_FILE_MAX)
		return ls_err_set(err, LS_ELIMIT, path, 0, 0,
				  "baseline larger than %u bytes",
				  LS_SUPPRESS_FILE_MAX);
	doc = json_load_file(path, 0, &je);
	if (!doc)
		return ls_err_set(err, LS_EFORMAT, path, je.line, je.column,
				  "not a JSON report: %s", je.text);
	arr = json_object_get(doc, "findings");
	if (!json_is_array(arr)) {
		json_decref(doc);
		return ls_err_set(err, LS_EFORMAT, path, 0, 0,
				  "not a layerscan JSON report: no \"findings\" array");
	}
	json_array_foreach(arr, i, f) {
		const char *fp = json_string_value(json_object_get(f, "fingerprint"));
		if (fp)
			add(s, fp, strlen(fp), path, 0);
	}
	json_decref(doc);
	return 0;
}

char *ls_fingerprint_content(const struct ls_finding *f)
{
	const char *id = f->rule ? f->rule->id : "";
	size_t n = strlen(id);
	char *m = ls_xmalloc(n + 1 + f->secret_len);
	char hex[65];

	memcpy(m, id, n + 1);
	memcpy(m + n + 1, f->secret, f->secret_len);
	ls_sha256_hex(m, n + 1 + f->secret_len, hex);
	free(m);
	return ls_xasprintf("sha256:%s", hex);
}

char *ls_fingerprint_positional(const struct ls_finding *f)
{
	const char *id = f->rule ? f->rule->id : "";
	char *where, *out;

	if (f->source == LS_SOURCE_CONFIG)
		where = ls_xasprintf("image-config/%s", f->key ? f->key : "");
	else if (f->source == LS_SOURCE_HISTORY)
		where = ls_xasprintf("image-history/%ld", f->history_index);
	else if (f->layer && f->layer->index >= 0)
		where = ls_xasprintf("layer-%d/%s", f->layer->index, f->path);
	else
		where = ls_xstrdup(f->path);
	if (f->commit && f->commit->id)
		out = ls_xasprintf("%s:%s:%s:%lu", f->commit->id, where, id, f->line);
	else
		out = ls_xasprintf("%s:%s:%lu", where, id, f->line);
	free(where);
	return out;
}

void ls_suppress_apply(struct ls_suppress *s, struct ls_findings *l)
{
	struct ls_strset idx;
	size_t o = 0;

	if (!s->n)
		return;
	ls_strset_init(&idx);
	for (size_t i = 0; i < s->n; i++)
		if (!ls_strset_get(&idx, s->e[i].text, NULL))
			ls_strset_put(&idx, s->e[i].text, (long)i);
	for (size_t i = 0; i < l->n; i++) {
		struct ls_finding *f = l->v[i];
		char *fps[3];
		int hit = 0;
		long at;

		fps[0] = ls_xstrdup(f->fingerprint);
		fps[1] = ls_fingerprint_content(f);
		fps[2] = ls_fingerprint_positional(f);
		for (int k = 0; k < 3; k++) {
			if (ls_strset_get(&idx, fps[k], &at)) {
				hit = 1;
				/* mark every entry with that text */
				for (size_t j = (size_t)at; j < s->n; j++)
					if (!strcmp(s->e[j].text, fps[k]))
						s->e[j].used = 1;
			}
			free(fps[k]);
		}
		if (hit) {
			ls_finding_free(f);
			s->suppressed++;
		} else {
			l->v[o++] = f;
		}
	}
	l->n = o;
	ls_strset_release(&idx);
}
