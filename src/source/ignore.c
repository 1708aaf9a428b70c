/*
 * ignore.c - ignore files with each engine's own semantics; see ignore.h.
 *
 * Both engines turn a glob into a Go regular expression; we turn the same
 * glob into the same expression for PCRE2, compiled with the options that
 * make PCRE2 behave like Go's regexp here: UTF-8 (a '?' is one character,
 * not one byte), invalid UTF-8 tolerated in paths, and '$' only at the very
 * end (Go's '$' never matches before a final newline).
 *
 * Go's path/filepath.Clean is reimplemented in clean() because both
 * engines clean patterns with it before matching; and filepath.Match's
 * syntax check in check_glob(), because a pattern it rejects fails the
 * build.
 */
#define _GNU_SOURCE
#include "source/ignore.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define LS_IGNORE_FILE_MAX (4u << 20)

struct pattern {
	char *clean;          /* the cleaned pattern, without '!' */
	int exception;
	pcre2_code *re;
};

struct ls_ignore {
	enum ls_engine engine;
	struct pattern *p;
	size_t n, alloc;
	int exceptions;
	pcre2_match_data *md;
};

/* ---- Go's filepath.Clean, for '/' paths ---- */

static char *clean(const char *in)
{
	size_t n = strlen(in), w = 0, r = 0, dotdot = 0;
	int rooted = n && in[0] == '/';
	char *out = ls_xmalloc(n + 2);

	if (!n) {
		out[0] = '.';
		out[1] = '\0';
		return out;
	}
	if (rooted) {
		out[w++] = '/';
		r = 1;
		dotdot = 1;
	}
	while (r < n) {
		if (in[r] == '/') {
			r++;
		} else if (in[r] == '.' && (r + 1 == n || in[r + 1] == '/')) {
			r++;
		} else if (in[r] == '.' && in[r + 1] == '.' &&
			   (r + 2 == n || in[r + 2] == '/')) {
			r += 2;
			if (w > dotdot) {
				w--;
				while (w > dotdot && out[w] != '/')
					w--;
			} else if (!rooted) {
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				out[w++] = '/';
			while (r < n && in[r] != '/')
				out[w++] = in[r++];
		}
	}
	if (w == 0)
		out[w++] = '.';
	out[w] = '\0';
	return out;
}

/* ---- filepath.Match's syntax check ---- */

static int check_glob(const char *p)
{
	for (size_t i = 0; p[i]; i++) {
		if (p[i] == '\\') {
			if (!p[i + 1])
				return -1;
			i++;
		} else if (p[i] == '[') {
			size_t j = i + 1;
			int nrange = 0;
			if (p[j] == '^')
				j++;
			for (;;) {
				if (!p[j])
					return -1;
				if (p[j] == ']' && nrange)
					break;
				/* a range: c or c-c; c may be \x */
				if (p[j] == '\\') {
					if (!p[j + 1])
						return -1;
					j += 2;
				} else if (p[j] == '-' || p[j] == ']') {
					return -1;
				} else {
					j++;
				}
				if (p[j] == '-') {
					j++;
					if (p[j] == '\\') {
						if (!p[j + 1])
							return -1;
						j += 2;
					} else if (!p[j] || p[j] == '-' || p[j] == ']') {
						return -1;
					} else {
						j++;
					}
				}
				nrange++;
			}
			i = j;
		}
	}
	return 0;
}

/* ---- glob to regex ---- */

/* Length of the UTF-8 character at p (1 for invalid bytes). */
static size_t char_len(const unsigned char *p)
{
	if (p[0] >= 0xf0 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 &&
	    (p[3] & 0xc0) == 0x80)
		return 4;
	if (p[0] >= 0xe0 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80)
		return 3;
	if (p[0] >= 0xc0 && (p[1] & 0xc0) == 0x80)
		return 2;
	return 1;
}

static char *to_regex(const char *pat, enum ls_engine engine)
{
	const char *escape = engine == LS_ENGINE_DOCKER ? ".+()|{}$" : ".$";
	struct ls_buf b = { NULL, 0, 0 };
	const unsigned char *p = (const unsigned char *)pat;

	ls_buf_adds(&b, "^");
	while (*p) {
		if (*p == '*') {
			if (p[1] == '*') {
				p += 2;
				if (*p == '/')
					p++;
				if (!*p)
					ls_buf_adds(&b, ".*");
				else
					ls_buf_adds(&b, "(.*/)?");
			} else {
				ls_buf_adds(&b, "[^/]*");
				p++;
			}
		} else if (*p == '?') {
			ls_buf_adds(&b, "[^/]");
			p++;
		} else if (strchr(escape, *p)) {
			char e[2] = { '\\', (char)*p };
			ls_buf_add(&b, e, 2);
			p++;
		} else if (*p == '\\') {
			if (!p[1]) {
				/* podman: a bad pattern; docker: a literal '\' */
				ls_buf_adds(&b, "\\\\");
				p++;
			} else {
				size_t k = char_len(p + 1);
				ls_buf_adds(&b, "\\");
				ls_buf_add(&b, (const char *)p + 1, k);
				p += 1 + k;
			}
		} else {
			size_t k = char_len(p);
			ls_buf_add(&b, (const char *)p, k);
			p += k;
		}
	}
	ls_buf_adds(&b, engine == LS_ENGINE_DOCKER ? "$" : "(/.*)?$");
	return b.s;
}

/* ---- parsing ---- */

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static char *trim(const char *s, size_t n, int (*pred)(unsigned char))
{
	while (n && pred((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && pred((unsigned char)s[n - 1]))
		n--;
	return ls_xstrndup(s, n);
}

static int is_slash(unsigned char c)
{
	return c == '/';
}

static int add_pattern(struct ls_ignore *ig, const char *raw, const char *name,
		       int line, struct ls_err *err)
{
	char *p = trim(raw, strlen(raw), is_space);
	char *c, *body, *rx;
	struct pattern *pt;
	int errcode;
	PCRE2_SIZE erroff;

	if (!p[0]) {
		free(p);
		return 0;
	}
	c = clean(p);
	free(p);
	LS_ALLOC_GROW(ig->p, ig->n + 1, ig->alloc);
	pt = &ig->p[ig->n];
	memset(pt, 0, sizeof(*pt));
	if (c[0] == '!') {
		if (!c[1]) {
			free(c);
			return ls_err_set(err, LS_EINVAL, name, line, 0,
					  "illegal exclusion pattern \"!\"");
		}
		pt->exception = 1;
		ig->exceptions = 1;
		if (ig->engine == LS_ENGINE_PODMAN) {
			char *cc = clean(c + 1);
			body = ls_xstrdup(cc[0] == '/' ? cc + 1 : cc);
			free(cc);
		} else {
			body = ls_xstrdup(c + 1);
		}
		free(c);
	} else {
		body = c;
	}
	if (check_glob(body)) {
		ls_err_set(err, LS_EINVAL, name, line, 0,
			   "bad pattern '%s': it fails the build too", body);
		free(body);
		return LS_EINVAL;
	}
	rx = to_regex(body, ig->engine);
	pt->re = pcre2_compile((PCRE2_SPTR)rx, PCRE2_ZERO_TERMINATED,
			       PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
			       PCRE2_DOLLAR_ENDONLY, &errcode, &erroff, NULL);
	free(rx);
	if (!pt->re) {
		PCRE2_UCHAR msg[128];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		ls_err_set(err, LS_EINVAL, name, line, 0,
			   "bad pattern '%s': %s (it fails the build too)", body,
			   (char *)msg);
		free(body);
		return LS_EINVAL;
	}
	if (!getenv("LAYERSCAN_NO_JIT"))   /* see rules/load.c */
		pcre2_jit_compile(pt->re, PCRE2_JIT_COMPLETE);
	pt->clean = body;
	ig->n++;
	return 0;
}

int ls_ignore_parse(const char *text, size_t len, const char *name,
		    enum ls_engine engine, struct ls_ignore **out,
		    struct ls_err *err)
{
	struct ls_ignore *ig = ls_xcalloc(1, sizeof(*ig));
	size_t pos = 0;
	int line = 0;

	ig->engine = engine;
	ig->md = pcre2_match_data_create(1, NULL);
	/* a UTF-8 byte-order mark is dropped by docker and podman 4.3.1 alike */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char *l = ls_xstrndup(text + pos, n);
		int rc = 0;

		line++;
		pos += n + 1;
		if (memchr(text + pos - n - 1, '\0', n)) {
			/* NUL bytes end the line for Go strings too; keep it
			 * simple and refuse: no engine reads such a file
			 * meaningfully */
			free(l);
			ls_ignore_free(ig);
			return ls_err_set(err, LS_EINVAL, name, line, 0,
					  "NUL byte in ignore file");
		}
		if (engine == LS_ENGINE_PODMAN) {
			if (l[0] && l[0] != '#') {
				char *t = trim(l, strlen(l), is_slash);
				rc = add_pattern(ig, t, name, line, err);
				free(t);
			}
		} else if (l[0] != '#') {
			/* bufio.ScanLines drops a final \r */
			char *t = trim(l, strlen(l), is_space);
			if (t[0]) {
				int inv = t[0] == '!';
				char *body = inv ? trim(t + 1, strlen(t + 1), is_space)
						 : ls_xstrdup(t);
				char *full;
				if (body[0]) {
					char *c = clean(body);
					free(body);
					body = (strlen(c) > 1 && c[0] == '/') ?
						ls_xstrdup(c + 1) : ls_xstrdup(c);
					free(c);
				}
				full = ls_xasprintf("%s%s", inv ? "!" : "", body);
				rc = add_pattern(ig, full, name, line, err);
				free(full);
				free(body);
			}
			free(t);
		}
		free(l);
		if (rc) {
			ls_ignore_free(ig);
			return rc;
		}
	}
	*out = ig;
	return 0;
}

void ls_ignore_free(struct ls_ignore *ig)
{
	if (!ig)
		return;
	for (size_t i = 0; i < ig->n; i++) {
		free(ig->p[i].clean);
		pcre2_code_free(ig->p[i].re);
	}
	free(ig->p);
	pcre2_match_data_free(ig->md);
	free(ig);
}

size_t ls_ignore_count(const struct ls_ignore *ig)
{
	return ig ? ig->n : 0;
}

static int re_match(const struct ls_ignore *ig, const struct pattern *p,
		    const char *s, size_t n)
{
	/* match data is per ignore set: callers do not share one across
	 * threads (the walk runs on one thread) */
	return pcre2_match(p->re, (PCRE2_SPTR)s, n, 0, 0, ig->md, NULL) >= 0;
}

int ls_ignore_excluded(const struct ls_ignore *ig, const char *rel)
{
	int matched = 0;
	size_t len = strlen(rel);

	if (!ig)
		return 0;
	for (size_t i = 0; i < ig->n; i++) {
		const struct pattern *p = &ig->p[i];
		int m;

		if (ig->engine == LS_ENGINE_DOCKER) {
			if (p->exception != matched)
				continue;
			m = re_match(ig, p, rel, len);
			/* or one of the parent directories */
			for (size_t k = 0; !m && k < len; k++)
				if (rel[k] == '/')
					m = re_match(ig, p, rel, k);
		} else {
			m = re_match(ig, p, rel, len);
		}
		if (m)
			matched = !p->exception;
	}
	return matched;
}

int ls_ignore_descend(const struct ls_ignore *ig, const char *reldir)
{
	size_t dl = strlen(reldir);

	if (!ig || !ig->exceptions)
		return 0;
	if (ig->engine == LS_ENGINE_DOCKER)
		return 1;   /* every file is judged on its own */
	for (size_t i = 0; i < ig->n; i++) {
		const struct pattern *p = &ig->p[i];
		char *spec;
		int hit;

		if (!p->exception)
			continue;
		{
			/* buildah: strings.HasPrefix(Trim(spec, "/") + "/", dir) */
			char *t = trim(p->clean, strlen(p->clean), is_slash);
			spec = ls_xasprintf("%s/", t);
			free(t);
		}
		hit = strlen(spec) >= dl && !strncmp(spec, reldir, dl);
		free(spec);
		if (hit)
			return 1;
	}
	return 0;
}

/* ---- finding the file ---- */

static int read_small(const char *path, char **buf, size_t *len,
		      struct ls_err *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t n;

	if (!f)
		return errno == ENOENT || errno == ENOTDIR ? LS_ENOTFOUND :
			ls_err_set(err, LS_EIO, path, 0, 0, "cannot open: %s",
				   strerror(errno));
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fclose(f);
		return ls_err_set(err, LS_EIO, path, 0, 0, "not a regular file");
	}
	if ((unsigned long long)st.st_size > LS_IGNORE_FILE_MAX) {
		fclose(f);
		return ls_err_set(err, LS_ELIMIT, path, 0, 0,
				  "ignore file larger than %u bytes",
				  LS_IGNORE_FILE_MAX);
	}
	*buf = ls_xmalloc((size_t)st.st_size + 1);
	n = fread(*buf, 1, (size_t)st.st_size, f);
	fclose(f);
	(*buf)[n] = '\0';
	*len = n;
	return 0;
}

static int exists(const char *p)
{
	struct stat st;

	return !stat(p, &st);
}

int ls_ignore_load(const char *ctxdir, const char *containerfile,
		   enum ls_engine engine, struct ls_ignore **out, char **used,
		   struct ls_err *err)
{
	char *cands[4] = { NULL, NULL, NULL, NULL };
	size_t nc = 0;
	int ret = 0;

	*out = NULL;
	if (used)
		*used = NULL;
	if (!containerfile && engine == LS_ENGINE_PODMAN) {
		/* podman build DIR without -f uses DIR/Containerfile, else
		 * DIR/Dockerfile, and so that file's own ignore file (4.3.1) */
		char *p = ls_xasprintf("%s/Containerfile", ctxdir);
		struct stat st;
		if (!stat(p, &st) && S_ISREG(st.st_mode))
			containerfile = "Containerfile";
		free(p);
		p = ls_xasprintf("%s/Dockerfile", ctxdir);
		if (!containerfile && !stat(p, &st) && S_ISREG(st.st_mode))
			containerfile = "Dockerfile";
		free(p);
	}
	if (containerfile) {
		char *base;
		if (engine == LS_ENGINE_PODMAN && containerfile[0] != '/')
			base = ls_xasprintf("%s/%s", ctxdir, containerfile);
		else
			base = ls_xstrdup(containerfile);
		if (engine == LS_ENGINE_PODMAN) {
			/* buildah 1.28: .dockerignore overrides .containerignore */
			char *d = ls_xasprintf("%s.dockerignore", base);
			char *c = ls_xasprintf("%s.containerignore", base);
			if (exists(d)) {
				cands[nc++] = d;
				free(c);
			} else if (exists(c)) {
				cands[nc++] = c;
				free(d);
			} else {
				free(c);
				free(d);
			}
		} else {
			char *d = ls_xasprintf("%s.dockerignore", base);
			if (exists(d))
				cands[nc++] = d;
			else
				free(d);
		}
		free(base);
	}
	if (!nc) {
		if (engine == LS_ENGINE_PODMAN)
			cands[nc++] = ls_xasprintf("%s/.containerignore", ctxdir);
		cands[nc++] = ls_xasprintf("%s/.dockerignore", ctxdir);
	}
	for (size_t i = 0; i < nc; i++) {
		char *buf = NULL;
		size_t len = 0;
		int rc = read_small(cands[i], &buf, &len, err);
		if (rc == LS_ENOTFOUND)
			continue;
		if (rc < 0) {
			ret = rc;
			break;
		}
		ret = ls_ignore_parse(buf, len, cands[i], engine, out, err);
		free(buf);
		if (!ret && used) {
			*used = cands[i];
			cands[i] = NULL;
		}
		break;
	}
	for (size_t i = 0; i < nc; i++)
		free(cands[i]);
	return ret;
}
