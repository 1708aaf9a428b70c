/*
 * prose.c - is a path documentation, and ranking generic findings there
 * (prose.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "finding/prose.h"
#include "util/xalloc.h"

static const char *const doc_dirs[] = {
	"doc", "docs", "documentation", "man", "guides",
};

static const char *const doc_suffixes[] = {
	"md", "markdown", "mdx", "rst", "rest", "adoc", "asciidoc", "texi",
	"texinfo", "pod", "rdoc",
};

static const char *const doc_names[] = {
	"changelog", "changes", "news", "history", "readme",
};

static int in_list(const char *s, size_t n, const char *const *list,
		   size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(list[i]) == n && strncasecmp(s, list[i], n) == 0)
			return 1;
	return 0;
}

#define IN(s, n, list) in_list((s), (n), (list), sizeof(list) / sizeof((list)[0]))

static const char *const code_suffixes[] = {
	"py", "rb", "pl", "pm", "sh", "bash", "r", "ex", "exs", "js", "mjs",
	"cjs", "jsx", "ts", "tsx", "go", "java", "kt", "kts", "scala",
	"groovy", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "cs", "php",
	"rs", "swift", "dart", "lua", "m", "mm", "rbs", "pyi",
};

/* configuration and data suffixes: README.json is not prose */
static const char *const data_suffixes[] = {
	"json", "yml", "yaml", "toml", "ini", "conf", "cfg", "env", "xml",
	"properties", "plist",
};

/* `name` (n bytes, no '/') is a documentation file */
static int is_doc_file(const char *name, size_t n)
{
	const char *dot = memchr(name, '.', n);
	const char *last = NULL;
	size_t stem = dot ? (size_t)(dot - name) : n, sn;

	for (size_t i = n; i > 0; i--)
		if (name[i - 1] == '.') {
			last = name + i;
			break;
		}
	sn = last ? (size_t)(name + n - last) : 0;
	/* CHANGELOG, NEWS.txt, README.md, README.Debian, Changes: not
	 * changes.json or readme.c */
	if (IN(name, stem, doc_names) &&
	    (!last || (!IN(last, sn, code_suffixes) && !IN(last, sn, data_suffixes))))
		return 1;
	return last && last > name + 1 && IN(last, sn, doc_suffixes);
}

int ls_prose_path(const char *path)
{
	const char *p = path, *slash;

	if (!path)
		return 0;
	while ((slash = strchr(p, '/')) != NULL) {
		if (slash > p && IN(p, (size_t)(slash - p), doc_dirs))
			return 1;
		p = slash + 1;
	}
	return is_doc_file(p, strlen(p));
}


int ls_prose_code_path(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	return dot && dot > base && IN(dot + 1, strlen(dot + 1), code_suffixes);
}

int ls_prose_comment_example(const char *buf, size_t len, size_t off)
{
	size_t i, e;

	if (!buf || off > len)
		return 0;
	for (i = off; i > 0 && buf[i - 1] != '\n'; i--)
		;
	while (i < off && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	/* the comment marker: # // * -- */
	if (i < off && buf[i] == '#')
		e = i + 1;
	else if (i + 1 < off && ((buf[i] == '/' && buf[i + 1] == '/') ||
				 (buf[i] == '-' && buf[i + 1] == '-')))
		e = i + 2;
	else if (i < off && buf[i] == '*' && (i + 1 >= off || buf[i + 1] != '/'))
		e = i + 1;
	else
		return 0;
	/* an example: indented further (two spaces or a tab, as rdoc, yard,
	 * javadoc and godoc set code off) or after a prompt */
	if (e < off && buf[e] == '\t')
		return 1;
	if (e + 1 < off && buf[e] == ' ' && buf[e + 1] == ' ')
		return 1;
	if (e < off && buf[e] == ' ')
		e++;
	if (e + 4 <= off && (memcmp(buf + e, ">>> ", 4) == 0 ||
			     memcmp(buf + e, "irb>", 4) == 0))
		return 1;
	return 0;
}

static void rank(struct ls_finding *f, const char *why)
{
	char *note;

	f->severity = LS_SEV_LOW;
	if (f->note)
		note = ls_xasprintf("%s; %s", why, f->note);
	else
		note = ls_xstrdup(why);
	free(f->note);
	f->note = note;
}

/* Is `f` a finding these rankings apply to: a generic or structural rule's
 * (no provider format proves its value), not already low? */
static int rankable(const struct ls_finding *f)
{
	return f->rule && (f->rule->generic || f->rule->structural) &&
	       f->severity > LS_SEV_LOW;
}

int ls_prose_judge_finding(struct ls_finding *f)
{
	if (!rankable(f) || !ls_prose_path(f->path))
		return 0;
	rank(f, f->rule->generic ? LS_PROSE_NOTE : LS_PROSE_STRUCT_NOTE);
	return 1;
}

int ls_prose_judge_finding_in(struct ls_finding *f, const char *buf,
			      size_t len, size_t off)
{
	if (ls_prose_judge_finding(f))
		return 1;
	if (!rankable(f) || !f->path || !ls_prose_code_path(f->path) ||
	    !ls_prose_comment_example(buf, len, off))
		return 0;
	rank(f, f->rule->generic ? LS_PROSE_COMMENT_NOTE
				 : LS_PROSE_STRUCT_COMMENT_NOTE);
	return 1;
}
