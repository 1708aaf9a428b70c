/* strset.c - string set; see strset.h. */
#include "util/strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

void ls_strset_init(struct ls_strset *s)
{
	memset(s, 0, sizeof(*s));
}

void ls_strset_release(struct ls_strset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->vals);
	memset(s, 0, sizeof(*s));
}

static size_t slot(const struct ls_strset *s, const char *key)
{
	size_t i = (size_t)hash(key) & (s->cap - 1);

	while (s->keys[i] && strcmp(s->keys[i], key))
		i = (i + 1) & (s->cap - 1);
	return i;
}

static void grow(struct ls_strset *s)
{
	struct ls_strset n;

	n.cap = s->cap ? s->cap * 2 : 16;
	n.n = s->n;
	n.keys = ls_xcalloc(n.cap, sizeof(char *));
	n.vals = ls_xcalloc(n.cap, sizeof(long));
	for (size_t i = 0; i < s->cap; i++) {
		if (s->keys[i]) {
			size_t j = slot(&n, s->keys[i]);
			n.keys[j] = s->keys[i];
			n.vals[j] = s->vals[i];
		}
	}
	free(s->keys);
	free(s->vals);
	*s = n;
}

void ls_strset_put(struct ls_strset *s, const char *key, long val)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap)
		grow(s);
	i = slot(s, key);
	if (!s->keys[i]) {
		s->keys[i] = ls_xstrdup(key);
		s->n++;
	}
	/* clang-analyzer cannot see into ls_xcalloc(), so it lets grow()'s
	 * new arrays alias the old ones grow() frees: a false use-after-free */
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
	s->vals[i] = val;
}

int ls_strset_get(const struct ls_strset *s, const char *key, long *val)
{
	size_t i;

	if (!s->cap)
		return 0;
	i = slot(s, key);
	if (!s->keys[i])
		return 0;
	if (val)
		*val = s->vals[i];
	return 1;
}
