/*
 * pathlit.c - the literals a `path` pattern requires; see pathlit.h.
 *
 * The pattern is read backwards from its final `$`: plain characters and
 * escaped punctuation are a literal; an optional character or group (x?,
 * (...)?) just before `$` is skipped; a group of alternatives gives each
 * alternative's own trailing literals.  Anything else ends the literal.
 * When that leaves less than LIT_MIN bytes, the longest literal run outside
 * any group (best_run) is used instead, as a substring.  A pattern with
 * alternatives at its top level needs every alternative to end in `$`.  The
 * result is a necessary condition only: a path with none of the literals
 * is rejected, any other path goes to the regex.
 */
#define _GNU_SOURCE
#include "rules/pathlit.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define LIT_MIN 3
#define LIT_MAX 64
/* before a literal that must end the path (a suffix, not just a substring) */
#define END_MARK '\x01'

struct lits {
	char *s;        /* '\n'-joined */
	size_t len;
	int none;       /* a part requires no literal: no constraint */
};

struct pat {
	const char *p;
	size_t n;
	long *open;     /* open[i]: index of the '(' that ')' at i closes, or -1 */
};

static int is_plain(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '/' ||
	       c == ' ' || c == '%' || c == '@' || c == '~' || c == '=' ||
	       c == ',' || c == ':' || c == '\'' || c == '"' || c == '#' ||
	       c == '&' || c == '!' || c == ';' || c == '<' || c == '>';
}

/* Is p[i] escaped (an odd number of backslashes before it, from b)? */
static int escaped(const struct pat *pt, size_t b, size_t i)
{
	size_t k = 0;

	while (i > b && pt->p[i - 1] == '\\') {
		k++;
		i--;
	}
	return k % 2;
}

/* A literal; `end`: it ends the path (nothing optional skipped after it). */
static void add(struct lits *l, const char *rev, size_t k, int end)
{
	if (k < LIT_MIN) {
		l->none = 1;
		return;
	}
	l->s = ls_xrealloc(l->s, l->len + k + 3);
	if (l->len)
		l->s[l->len++] = '\n';
	if (end)
		l->s[l->len++] = END_MARK;
	for (size_t i = 0; i < k; i++)
		l->s[l->len++] = rev[k - 1 - i];
	l->s[l->len] = 0;
}

static void region(const struct pat *pt, size_t b, size_t e, struct lits *l,
		   int depth, int end);

/*
 * The alternatives of the group whose ')' is at c (its content after the
 * "(", "(?:", "(?i:" ... opener), each giving its own literals.
 */
static void group(const struct pat *pt, size_t c, struct lits *l, int depth,
		  int end)
{
	const char *p = pt->p;
	long o = pt->open[c];
	size_t s, d = 0;
	int cls = 0;

	if (o < 0 || depth > 8) {
		l->none = 1;
		return;
	}
	s = (size_t)o + 1;
	if (p[s] == '?') {
		/* (?: (?i: (?-i: (?| only: lookarounds and named groups say
		 * nothing usable */
		size_t k = s + 1;
		if (p[k] == '|') {
			s = k + 1;
		} else {
			while (k < c && ((p[k] >= 'a' && p[k] <= 'z') ||
					 p[k] == '-'))
				k++;
			if (k >= c || p[k] != ':') {
				l->none = 1;
				return;
			}
			s = k + 1;
		}
	}
	/* split at this group's own '|' */
	for (size_t i = s; i < c; i++) {
		if (p[i] == '\\') {
			i++;
			continue;
		}
		if (cls) {
			if (p[i] == ']')
				cls = 0;
			continue;
		}
		if (p[i] == '[') {
			cls = 1;
			if (i + 1 < c && p[i + 1] == ']')
				i++;
		} else if (p[i] == '(') {
			d++;
		} else if (p[i] == ')') {
			d--;
		} else if (p[i] == '|' && !d) {
			region(pt, s, i, l, depth + 1, end);
			s = i + 1;
		}
	}
	region(pt, s, c, l, depth + 1, end);
}

/*
 * The longest literal run of p[b..e) outside any group and class, whose
 * last character is not made optional by a quantifier after it: a match of
 * the region contains it somewhere.  Its length, the run (reversed, as
 * add() takes it) in rev.
 */
static size_t best_run(const struct pat *pt, size_t b, size_t e, char *rev)
{
	const char *p = pt->p;
	char cur[LIT_MAX];
	size_t best = 0, k = 0, depth = 0;
	int cls = 0;

	for (size_t i = b; i <= e; i++) {
		char c = i < e ? p[i] : 0;

		if (i < e && !cls && !depth) {
			if (c == '\\' && i + 1 < e) {
				char d = p[i + 1];
				if (!((d >= 'a' && d <= 'z') ||
				      (d >= 'A' && d <= 'Z') ||
				      (d >= '0' && d <= '9'))) {
					if (k < LIT_MAX)
						cur[k++] = d;
					i++;
					continue;
				}
			} else if (is_plain(c)) {
				if (k < LIT_MAX)
					cur[k++] = c;
				continue;
			}
		}
		/* the run ends here: a quantifier makes its last char optional */
		if (i < e && (c == '?' || c == '*' || c == '{') && k)
			k--;
		if (k > best && k < LIT_MAX) {
			best = k;
			for (size_t j = 0; j < k; j++)
				rev[j] = cur[k - 1 - j];
		}
		k = 0;
		if (i >= e)
			break;
		if (c == '\\') {
			i++;
		} else if (cls) {
			if (c == ']')
				cls = 0;
		} else if (c == '[') {
			cls = 1;
			if (i + 1 < e && p[i + 1] == ']')
				i++;
		} else if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (depth)
				depth--;
		}
	}
	return best;
}

/*
 * The literals that p[b..e) requires at its end (a match ends at e);
 * `end`: e is the path's end (nothing optional skipped so far).
 */
static void region(const struct pat *pt, size_t b, size_t e, struct lits *l,
		   int depth, int end)
{
	const char *p = pt->p;
	char rev[LIT_MAX];
	size_t k = 0, e0 = e;

	while (e > b && k < LIT_MAX) {
		char c = p[e - 1];

		if (escaped(pt, b, e - 1)) {
			/* \. is a dot; \d \w \b ... are classes */
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9'))
				break;
			rev[k++] = c;
			e -= 2;
			continue;
		}
		if (is_plain(c)) {
			rev[k++] = c;
			e--;
			continue;
		}
		if (c == '?' && !k && e - 1 > b) {
			/* an optional character or group at the end: it may be
			 * absent, so what comes before it is required */
			char d = p[e - 2];
			if (d == ')' && !escaped(pt, b, e - 2) &&
			    pt->open[e - 2] >= (long)b) {
				e = (size_t)pt->open[e - 2];
				end = 0;
				continue;
			}
			if (is_plain(d) && !escaped(pt, b, e - 2)) {
				e -= 2;
				end = 0;
				continue;
			}
			break;
		}
		if (c == ')' && !k) {
			group(pt, e - 1, l, depth, end);
			return;
		}
		break;
	}
	if (k < LIT_MIN) {
		/* no literal at the end: one that the region holds anywhere */
		k = best_run(pt, b, e0, rev);
		end = 0;
	}
	add(l, rev, k, end);
}

char *ls_path_literals(const char *p, int *icase)
{
	struct pat pt = { p, strlen(p), NULL };
	struct lits l = { NULL, 0, 0 };
	long *stack;
	size_t sp = 0, s = 0;
	int cls = 0;

	*icase = strstr(p, "(?i") != NULL;
	if (pt.n < 2 || strstr(p, "(?x") || strstr(p, "\\Q"))
		return NULL;
	pt.open = ls_xmalloc(pt.n * sizeof(long));
	stack = ls_xmalloc(pt.n * sizeof(long));
	for (size_t i = 0; i < pt.n; i++) {
		pt.open[i] = -1;
		if (p[i] == '\\') {
			if (i + 1 < pt.n)
				pt.open[++i] = -1;
			continue;
		}
		if (cls) {
			if (p[i] == ']')
				cls = 0;
		} else if (p[i] == '[') {
			cls = 1;
			if (i + 1 < pt.n && p[i + 1] == ']')
				pt.open[++i] = -1;
		} else if (p[i] == '(') {
			stack[sp++] = (long)i;
		} else if (p[i] == ')' && sp) {
			pt.open[i] = stack[--sp];
		} else if (p[i] == '|' && !sp) {
			/* a top-level alternative: it must end in $ too */
			if (i == s || p[i - 1] != '$' || escaped(&pt, s, i - 1))
				l.none = 1;
			else
				region(&pt, s, i - 1, &l, 0, 1);
			s = i + 1;
		}
	}
	if (sp || cls || p[pt.n - 1] != '$' || escaped(&pt, s, pt.n - 1))
		l.none = 1;
	else
		region(&pt, s, pt.n - 1, &l, 0, 1);
	free(stack);
	free(pt.open);
	if (l.none || !l.s) {
		free(l.s);
		return NULL;
	}
	if (*icase)
		for (char *q = l.s; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q - 'A' + 'a');
	return l.s;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int ls_path_literals_ok(const char *lits, int icase, const char *path)
{
	return ls_path_literals_ok_lower(lits, icase, path, NULL);
}

int ls_path_literals_ok_lower(const char *lits, int icase, const char *path,
			      const char *lpath)
{
	size_t plen = strlen(path);

	if (!icase)
		lpath = NULL;

	while (*lits) {
		const char *nl = strchr(lits, '\n');
		size_t k = nl ? (size_t)(nl - lits) : strlen(lits);
		int end = *lits == END_MARK;

		if (end) {
			lits++;
			k--;
		}
		if (end) {
			/* the path's last k bytes (the literal is lower-case
			 * when icase) */
			if (k <= plen && lpath) {
				if (!memcmp(lpath + plen - k, lits, k))
					return 1;
			} else if (k <= plen) {
				const char *t = path + plen - k;
				size_t i = 0;
				if (icase)
					while (i < k && lower(t[i]) == lits[i])
						i++;
				else
					while (i < k && t[i] == lits[i])
						i++;
				if (i == k)
					return 1;
			}
		} else {
			char one[LIT_MAX + 1];
			memcpy(one, lits, k);
			one[k] = 0;
			if (lpath ? strstr(lpath, one) != NULL
			    : icase ? strcasestr(path, one) != NULL
				    : strstr(path, one) != NULL)
				return 1;
		}
		if (!nl)
			break;
		lits = nl + 1;
	}
	return 0;
}
