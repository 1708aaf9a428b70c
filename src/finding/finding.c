/* finding.c - findings and their list; see finding.h. */
#include "finding/finding.h"

#include <stdlib.h>
#include <string.h>

#include "util/sort.h"
#include "util/xalloc.h"

static const char *const source_names[] = {
	"file", "config", "history", "containerfile", "commit", "policy"
};

const char *ls_source_name(enum ls_source_kind k)
{
	if ((unsigned)k < sizeof(source_names) / sizeof(source_names[0]))
		return source_names[k];
	return "unknown";
}

const char *ls_provenance_name(enum ls_provenance p)
{
	switch (p) {
	case LS_PROV_VENDOR: return "vendor";
	case LS_PROV_MODIFIED: return "modified";
	case LS_PROV_UNVERIFIED: return "unverified";
	case LS_PROV_NONE: break;
	}
	return "none";
}

struct ls_finding *ls_finding_new(const struct ls_rule *rule)
{
	struct ls_finding *f = ls_xcalloc(1, sizeof(*f));

	f->rule = rule;
	f->severity = rule ? rule->severity : LS_SEV_HIGH;
	f->history_index = -1;
	return f;
}

void ls_finding_free(struct ls_finding *f)
{
	if (!f)
		return;
	free(f->path);
	free(f->secret);
	free(f->note);
	if (f->layer) {
		free(f->layer->digest);
		free(f->layer->created_by);
		free(f->layer->image);
		free(f->layer->base_image);
		free(f->layer);
	}
	if (f->commit) {
		free(f->commit->id);
		free(f->commit->author);
		free(f->commit->email);
		free(f->commit->date);
		free(f->commit->message);
		free(f->commit);
	}
	free(f->layers);
	free(f->field);
	free(f->package);
	free(f->key);
	free(f);
}

static char *dup_or_null(const char *s)
{
	return s ? ls_xstrdup(s) : NULL;
}

void ls_finding_set_layer(struct ls_finding *f, const struct ls_finding_layer *l)
{
	if (f->layer) {
		free(f->layer->digest);
		free(f->layer->created_by);
		free(f->layer->image);
		free(f->layer->base_image);
		free(f->layer);
		f->layer = NULL;
	}
	if (!l)
		return;
	f->layer = ls_xcalloc(1, sizeof(*f->layer));
	*f->layer = *l;
	f->layer->digest = dup_or_null(l->digest);
	f->layer->created_by = dup_or_null(l->created_by);
	f->layer->image = dup_or_null(l->image);
	f->layer->base_image = dup_or_null(l->base_image);
}

struct ls_finding *ls_finding_dup(const struct ls_finding *f)
{
	struct ls_finding *d = ls_xmalloc(sizeof(*d));

	*d = *f;
	d->path = dup_or_null(f->path);
	d->secret = dup_or_null(f->secret);   /* secret_len stays as it is */
	d->note = dup_or_null(f->note);
	d->layer = NULL;
	ls_finding_set_layer(d, f->layer);
	if (f->commit) {
		d->commit = ls_xcalloc(1, sizeof(*d->commit));
		d->commit->id = dup_or_null(f->commit->id);
		d->commit->author = dup_or_null(f->commit->author);
		d->commit->email = dup_or_null(f->commit->email);
		d->commit->date = dup_or_null(f->commit->date);
		d->commit->message = dup_or_null(f->commit->message);
	}
	d->layers = NULL;
	d->layers_alloc = 0;
	if (f->nlayers) {
		d->layers = ls_xreallocarray(NULL, f->nlayers, sizeof(int));
		memcpy(d->layers, f->layers, f->nlayers * sizeof(int));
		d->layers_alloc = f->nlayers;
	}
	d->field = dup_or_null(f->field);
	d->package = dup_or_null(f->package);
	d->key = dup_or_null(f->key);
	return d;
}

void ls_findings_init(struct ls_findings *l)
{
	memset(l, 0, sizeof(*l));
}

void ls_findings_release(struct ls_findings *l)
{
	for (size_t i = 0; i < l->n; i++)
		ls_finding_free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void ls_findings_add(struct ls_findings *l, struct ls_finding *f)
{
	LS_ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = f;
}

void ls_findings_take(struct ls_findings *to, struct ls_findings *from)
{
	if (!from->n)
		return;
	LS_ALLOC_GROW(to->v, to->n + from->n, to->alloc);
	memcpy(to->v + to->n, from->v, from->n * sizeof(*from->v));
	to->n += from->n;
	from->n = 0;
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct ls_finding *a = *(struct ls_finding *const *)pa;
	const struct ls_finding *b = *(struct ls_finding *const *)pb;
	int c;

	if (a->source != b->source)
		return (int)a->source - (int)b->source;
	if (a->layer && b->layer && a->layer->index != b->layer->index)
		return a->layer->index - b->layer->index;
	if ((c = cmp_str(a->path, b->path)))
		return c;
	if (a->history_index != b->history_index)
		return a->history_index < b->history_index ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	if ((c = cmp_str(a->rule ? a->rule->id : NULL,
			 b->rule ? b->rule->id : NULL)))
		return c;
	return strcmp(a->fingerprint, b->fingerprint);
}

void ls_findings_sort(struct ls_findings *l)
{
	if (l->n > 1)
		ls_sort(l->v, l->n, sizeof(*l->v), cmp_finding);
}

size_t ls_findings_count_at_least(const struct ls_findings *l,
				  enum ls_severity sev)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += l->v[i]->severity >= sev;
	return n;
}
