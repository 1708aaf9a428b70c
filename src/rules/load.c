/*
 * load.c - turn TOML rule documents into a rule set.
 *
 * The loader is a schema checker over the tree that toml.c builds.  It never
 * stops at the first problem: each key is checked for its type and value,
 * every regex is compiled, and each problem is added to the caller's
 * `struct ls_diag` with the position of the offending value, so `layerscan
 * rules check` can list them all.  A document with any error adds nothing to
 * the rule set (rules are built into a scratch list first and moved in only
 * when the document is clean), so a half-loaded config can never be used.
 *
 * Keys we do not know are warnings, not errors: gitleaks grows new keys and
 * an old layerscan should still read a newer config.  Keys we know but do not
 * support (gitleaks' composite `required` rules) are errors, because quietly
 * ignoring them would change what a rule reports.
 */
#define _GNU_SOURCE
#include "rules/rules.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "rules/pathlit.h"
#include "rules/prefilter.h"
#include "rules/toml.h"
#include "util/base64.h"
#include "util/sort.h"
#include "util/xalloc.h"

/* Largest rule file we read: rule files are small; this bounds memory. */
#define LS_RULEFILE_MAX (16u << 20)

static const char *const sev_names[] = { "info", "low", "medium", "high",
					 "critical" };

const char *ls_severity_name(enum ls_severity sev)
{
	if ((unsigned)sev < sizeof(sev_names) / sizeof(sev_names[0]))
		return sev_names[sev];
	return "unknown";
}

int ls_severity_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(sev_names) / sizeof(sev_names[0]); i++)
		if (!strcasecmp(name, sev_names[i]))
			return (int)i;
	return -1;
}

/* ---- diagnostics ---- */

void ls_diag_init(struct ls_diag *d)
{
	memset(d, 0, sizeof(*d));
}

void ls_diag_release(struct ls_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	free(d->is_error);
	memset(d, 0, sizeof(*d));
}

void ls_diag_add(struct ls_diag *d, int is_error, const char *file, int line,
		 int column, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	size_t alloc = d->alloc;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	LS_ALLOC_GROW(d->msgs, d->n + 1, d->alloc);
	LS_ALLOC_GROW(d->is_error, d->n + 1, alloc);
	if (line > 0 && column > 0)
		d->msgs[d->n] = ls_xasprintf("%s:%d:%d: %s%s", file, line,
					     column, is_error ? "" : "warning: ", msg);
	else if (line > 0)
		d->msgs[d->n] = ls_xasprintf("%s:%d: %s%s", file, line,
					     is_error ? "" : "warning: ", msg);
	else
		d->msgs[d->n] = ls_xasprintf("%s: %s%s", file,
					     is_error ? "" : "warning: ", msg);
	d->is_error[d->n] = is_error;
	d->n++;
	if (is_error)
		d->nerrors++;
}

size_t ls_diag_errors(const struct ls_diag *d)
{
	return d->nerrors;
}

/* ---- freeing ---- */

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void free_codev(pcre2_code **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pcre2_code_free(v[i]);
	free(v);
}

static void allowlist_release(struct ls_allowlist *a)
{
	free(a->description);
	free_codev(a->regexes, a->nregexes);
	free_strv(a->stopwords, a->nstopwords);
	free_codev(a->paths, a->npaths);
	free_strv(a->commits, a->ncommits);
	free_strv(a->target_rules, a->ntarget_rules);
	memset(a, 0, sizeof(*a));
}

static void rule_free(struct ls_rule *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->description);
	free(r->fix);
	free(r->regex_src);
	free(r->path_lit);
	pcre2_code_free(r->regex);
	free_strv(r->keywords, r->nkeywords);
	pcre2_code_free(r->path);
	pcre2_code_free(r->content);
	free_strv(r->tags, r->ntags);
	pcre2_code_free(r->decoded_regex);
	for (size_t i = 0; i < r->nallow; i++)
		allowlist_release(&r->allow[i]);
	free(r->allow);
	for (size_t i = 0; i < r->nexamples; i++) {
		free(r->examples[i].text);
		free(r->examples[i].path);
	}
	free(r->examples);
	free(r->example_path);
	free(r->file);
	free(r);
}

struct ls_ruleset *ls_ruleset_new(void)
{
	struct ls_ruleset *rs = ls_xcalloc(1, sizeof(struct ls_ruleset));

	rs->fail_on = rs->min_severity = -1;
	return rs;
}

void ls_ruleset_free(struct ls_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->nrules; i++)
		rule_free(rs->rules[i]);
	free(rs->rules);
	for (size_t i = 0; i < rs->nglobal; i++)
		allowlist_release(&rs->global[i]);
	free(rs->global);
	for (size_t i = 0; i < rs->npolicy; i++) {
		free(rs->policy[i].key);
		free(rs->policy[i].value);
		free(rs->policy[i].file);
	}
	free(rs->policy);
	ls_prefilter_free(rs->pf);
	free(rs->nokw);
	free(rs->pathonly);
	free(rs->pathregex);
	free(rs);
}

/* ---- typed accessors that report problems ---- */

struct ctx {
	const char *file;
	struct ls_diag *diag;
	struct ls_ruleset *rs;
	unsigned flags;
	int depth;                  /* [extend] path recursion */
};

#define ERR_AT(c, v, ...) \
	ls_diag_add((c)->diag, 1, (c)->file, (v)->line, (v)->column, __VA_ARGS__)
#define WARN_AT(c, v, ...) \
	ls_diag_add((c)->diag, 0, (c)->file, (v)->line, (v)->column, __VA_ARGS__)

static const char *article(enum ls_toml_type t)
{
	return t == LS_TOML_ARRAY || t == LS_TOML_INTEGER ? "an" : "a";
}

static const struct ls_toml_value *get_typed(struct ctx *c,
					     const struct ls_toml_value *t,
					     const char *key,
					     enum ls_toml_type type)
{
	const struct ls_toml_value *v = ls_toml_get(t, key);

	if (!v)
		return NULL;
	if (v->type == type)
		return v;
	/* an integer is fine where a float is wanted (entropy = 3) */
	if (type == LS_TOML_FLOAT && v->type == LS_TOML_INTEGER)
		return v;
	ERR_AT(c, v, "'%s' must be %s %s, not %s %s", key, article(type),
	       ls_toml_type_name(type), article(v->type),
	       ls_toml_type_name(v->type));
	return NULL;
}

static char *get_str(struct ctx *c, const struct ls_toml_value *t,
		     const char *key)
{
	const struct ls_toml_value *v = get_typed(c, t, key, LS_TOML_STRING);

	if (!v)
		return NULL;
	if (strlen(v->u.str.ptr) != v->u.str.len) {
		ERR_AT(c, v, "'%s' must not contain NUL characters", key);
		return NULL;
	}
	return ls_xstrdup(v->u.str.ptr);
}

/* An array of strings; returns the count, or 0 (and *out = NULL). */
static size_t get_strv(struct ctx *c, const struct ls_toml_value *t,
		       const char *key, char ***out, int lower)
{
	const struct ls_toml_value *v = get_typed(c, t, key, LS_TOML_ARRAY);
	size_t n = 0;

	*out = NULL;
	if (!v)
		return 0;
	*out = ls_xcalloc(v->u.array.n + 1, sizeof(char *));
	for (size_t i = 0; i < v->u.array.n; i++) {
		const struct ls_toml_value *it = v->u.array.items[i];
		if (it->type != LS_TOML_STRING) {
			ERR_AT(c, it, "'%s' must hold strings, not %s %s", key,
			       article(it->type), ls_toml_type_name(it->type));
			continue;
		}
		char *s = ls_xstrdup(it->u.str.ptr);
		if (lower)
			for (char *p = s; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p - 'A' + 'a');
		(*out)[n++] = s;
	}
	return n;
}

/*
 * Compile a PCRE2 pattern.  No UTF or UCP: rules are byte-oriented and \w,
 * \d, \b stay ASCII, which keeps the JIT fast on non-ASCII input.  `jit`
 * 0 leaves the JIT compilation to the first use (ls_rule_jit: a rule's
 * main regex, which most scans never run for most rules).
 */
static pcre2_code *compile_opts(struct ctx *c, const struct ls_toml_value *v,
				const char *key, int jit, uint32_t opts)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *re;
	pcre2_compile_context *cc = NULL;

	/* a rule's line anchors also stand before and after "\r\n" (files
	 * written on Windows): see the caller */
	if (opts & PCRE2_MULTILINE) {
		cc = pcre2_compile_context_create(NULL);
		if (cc)
			pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
	}
	re = pcre2_compile((PCRE2_SPTR)v->u.str.ptr, v->u.str.len, opts,
			   &errcode, &erroff, cc);
	pcre2_compile_context_free(cc);
	if (!re) {
		PCRE2_UCHAR buf[256];
		pcre2_get_error_message(errcode, buf, sizeof(buf));
		ERR_AT(c, v, "'%s' does not compile at offset %zu: %s", key,
		       (size_t)erroff, (char *)buf);
		return NULL;
	}
	/*
	 * JIT is an optimisation: if it is refused, the interpreter runs.
	 * LAYERSCAN_NO_JIT=1 turns it off on purpose: valgrind cannot follow
	 * JIT-generated code and reports false errors inside it.
	 */
	if (jit && !getenv("LAYERSCAN_NO_JIT"))
		(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

static pcre2_code *compile_re(struct ctx *c, const struct ls_toml_value *v,
			      const char *key, int jit)
{
	return compile_opts(c, v, key, jit, 0);
}

static pcre2_code *get_re(struct ctx *c, const struct ls_toml_value *t,
			  const char *key)
{
	const struct ls_toml_value *v = get_typed(c, t, key, LS_TOML_STRING);

	return v ? compile_re(c, v, key, 1) : NULL;
}

static size_t get_rev(struct ctx *c, const struct ls_toml_value *t,
		      const char *key, pcre2_code ***out)
{
	const struct ls_toml_value *v = get_typed(c, t, key, LS_TOML_ARRAY);
	size_t n = 0;

	*out = NULL;
	if (!v)
		return 0;
	*out = ls_xcalloc(v->u.array.n + 1, sizeof(pcre2_code *));
	for (size_t i = 0; i < v->u.array.n; i++) {
		const struct ls_toml_value *it = v->u.array.items[i];
		pcre2_code *re;
		if (it->type != LS_TOML_STRING) {
			ERR_AT(c, it, "'%s' must hold strings, not %s %s", key,
			       article(it->type), ls_toml_type_name(it->type));
			continue;
		}
		re = compile_re(c, it, key, 1);
		if (re)
			(*out)[n++] = re;
	}
	return n;
}

static void check_keys(struct ctx *c, const struct ls_toml_value *t,
		       const char *const *known, const char *what)
{
	for (size_t i = 0; i < t->u.table.n; i++) {
		const char *k = t->u.table.kv[i].key;
		size_t j;
		for (j = 0; known[j]; j++)
			if (!strcmp(k, known[j]))
				break;
		if (!known[j])
			WARN_AT(c, t->u.table.kv[i].value,
				"unknown key '%s' in %s is ignored", k, what);
	}
}

/* ---- allowlists ---- */

static const char *const allow_keys[] = {
	"description", "condition", "regexTarget", "regexes", "stopwords",
	"paths", "commits", "targetRules", NULL
};

static void parse_allowlist(struct ctx *c, const struct ls_toml_value *t,
			    struct ls_allowlist *a, int global)
{
	const struct ls_toml_value *v;

	memset(a, 0, sizeof(*a));
	if (t->type != LS_TOML_TABLE) {
		ERR_AT(c, t, "an allowlist must be a table");
		return;
	}
	check_keys(c, t, allow_keys, "an allowlist");
	a->description = get_str(c, t, "description");
	if ((v = get_typed(c, t, "condition", LS_TOML_STRING))) {
		if (!strcasecmp(v->u.str.ptr, "AND"))
			a->and_condition = 1;
		else if (strcasecmp(v->u.str.ptr, "OR"))
			ERR_AT(c, v, "'condition' must be \"OR\" or \"AND\"");
	}
	if ((v = get_typed(c, t, "regexTarget", LS_TOML_STRING))) {
		if (!strcmp(v->u.str.ptr, "secret") || !v->u.str.ptr[0])
			a->target = LS_ALLOW_SECRET;
		else if (!strcmp(v->u.str.ptr, "match"))
			a->target = LS_ALLOW_MATCH;
		else if (!strcmp(v->u.str.ptr, "line"))
			a->target = LS_ALLOW_LINE;
		else
			ERR_AT(c, v, "'regexTarget' must be \"secret\", \"match\" or \"line\"");
	}
	a->nregexes = get_rev(c, t, "regexes", &a->regexes);
	a->nstopwords = get_strv(c, t, "stopwords", &a->stopwords, 1);
	a->npaths = get_rev(c, t, "paths", &a->paths);
	a->ncommits = get_strv(c, t, "commits", &a->commits, 1);
	if (global)
		a->ntarget_rules = get_strv(c, t, "targetRules",
					    &a->target_rules, 0);
	else if ((v = ls_toml_get(t, "targetRules")))
		WARN_AT(c, v, "'targetRules' only applies to global allowlists");
}

/* `[x.allowlist]` (one table) and `[[x.allowlists]]` (an array). */
static void parse_allowlists(struct ctx *c, const struct ls_toml_value *t,
			     struct ls_allowlist **out, size_t *nout,
			     size_t *alloc, int global)
{
	const struct ls_toml_value *one = ls_toml_get(t, "allowlist");
	const struct ls_toml_value *many = ls_toml_get(t, "allowlists");

	if (one) {
		LS_ALLOC_GROW(*out, *nout + 1, *alloc);
		parse_allowlist(c, one, &(*out)[(*nout)++], global);
	}
	if (many) {
		if (many->type != LS_TOML_ARRAY) {
			ERR_AT(c, many, "'allowlists' must be an array of tables");
			return;
		}
		for (size_t i = 0; i < many->u.array.n; i++) {
			LS_ALLOC_GROW(*out, *nout + 1, *alloc);
			parse_allowlist(c, many->u.array.items[i],
					&(*out)[(*nout)++], global);
		}
	}
}

/* ---- rules ---- */

static const char *const rule_keys[] = {
	"id", "description", "regex", "secretGroup", "entropy", "keywords",
	"path", "tags", "allowlist", "allowlists", "severity", "fix",
	"validate", "decode", "decodedRegex", "binary", "window", "lookbehind",
	"examples",
	"check", "content", NULL
};

static void parse_examples(struct ctx *c, const struct ls_toml_value *t,
			   struct ls_rule *r)
{
	static const char *const keys[] = { "positive", "negative", "path",
					    "negativePaths", "positiveBase64",
					    "negativeBase64", NULL };
	/* the *Base64 forms hold a binary file's bytes, which a TOML string
	 * (UTF-8) cannot: a keystore's header, say */
	static const char *const kinds[] = { "positive", "negative",
					     "positiveBase64",
					     "negativeBase64" };

	if (t->type != LS_TOML_TABLE) {
		ERR_AT(c, t, "'examples' must be a table");
		return;
	}
	check_keys(c, t, keys, "examples");
	r->example_path = get_str(c, t, "path");
	{
		char **np = NULL;
		size_t n = get_strv(c, t, "negativePaths", &np, 0);
		for (size_t i = 0; i < n; i++) {
			struct ls_example *e;
			r->examples = ls_xreallocarray(r->examples,
						       r->nexamples + 1,
						       sizeof(*r->examples));
			e = &r->examples[r->nexamples++];
			memset(e, 0, sizeof(*e));
			e->text = ls_xstrdup("");
			e->path = np[i];
			e->line = ls_toml_get(t, "negativePaths")->line;
		}
		free(np);
	}
	for (int k = 0; k < 4; k++) {
		const struct ls_toml_value *v =
			get_typed(c, t, kinds[k], LS_TOML_ARRAY);
		if (!v)
			continue;
		for (size_t i = 0; i < v->u.array.n; i++) {
			const struct ls_toml_value *it = v->u.array.items[i];
			struct ls_example *e;
			if (it->type != LS_TOML_STRING) {
				ERR_AT(c, it, "examples must be strings");
				continue;
			}
			r->examples = ls_xreallocarray(r->examples,
						       r->nexamples + 1,
						       sizeof(*r->examples));
			e = &r->examples[r->nexamples++];
			memset(e, 0, sizeof(*e));
			if (k >= 2) {
				long n;
				e->text = ls_xmalloc(LS_BASE64_DECODED_MAX(
					it->u.str.len) + 1);
				n = ls_base64_decode(it->u.str.ptr,
						     it->u.str.len,
						     (unsigned char *)e->text);
				if (n < 0) {
					ERR_AT(c, it, "'%s' example is not base64",
					       kinds[k]);
					n = 0;
				}
				e->text[n] = '\0';
				e->len = (size_t)n;
			} else {
				e->text = ls_xstrndup(it->u.str.ptr,
						      it->u.str.len);
				e->len = it->u.str.len;
			}
			e->positive = (k % 2 == 0);
			e->line = it->line;
		}
	}
}

static struct ls_rule *parse_rule(struct ctx *c, const struct ls_toml_value *t)
{
	struct ls_rule *r;
	const struct ls_toml_value *v;
	size_t nerr = c->diag->nerrors, alloc = 0;

	if (t->type != LS_TOML_TABLE) {
		ERR_AT(c, t, "each [[rules]] entry must be a table");
		return NULL;
	}
	r = ls_xcalloc(1, sizeof(*r));
	r->file = ls_xstrdup(c->file);
	r->line = t->line;
	r->severity = LS_SEV_HIGH;
	r->window = LS_RULE_WINDOW_DEFAULT;
	r->lookbehind = LS_RULE_LOOKBEHIND;
	check_keys(c, t, rule_keys, "a rule");
	if ((v = ls_toml_get(t, "required")))
		ERR_AT(c, v, "composite rules ('required') are not supported");
	if ((v = ls_toml_get(t, "skipReport")))
		ERR_AT(c, v, "'skipReport' is not supported");

	r->id = get_str(c, t, "id");
	if (!r->id) {
		if (!ls_toml_get(t, "id"))
			ERR_AT(c, t, "rule has no 'id'");
	} else if (!r->id[0]) {
		ERR_AT(c, ls_toml_get(t, "id"), "rule 'id' is empty");
	}
	r->description = get_str(c, t, "description");
	r->fix = get_str(c, t, "fix");
	if ((v = get_typed(c, t, "regex", LS_TOML_STRING))) {
		r->regex_src = ls_xstrdup(v->u.str.ptr);
		/*
		 * A rule's regex runs over a window of a whole file, not over
		 * one line, so ^ and $ mean the start and end of a line
		 * (PCRE2_MULTILINE, as if it began with (?m)): without it, $
		 * matched only at the window's end and a rule ending in
		 * "(?=...|$)" missed every value that ends a line but the last.
		 * Lines end at "\n", "\r\n" or "\r" (PCRE2_NEWLINE_ANYCRLF),
		 * so the same rule reads a file saved with CRLF line ends.
		 * A rule whose matches start near its keyword runs with an
		 * offset limit (match.c), which PCRE2 must know of.
		 */
		r->regex = compile_opts(c, v, "regex", 0,
					PCRE2_MULTILINE |
					(ls_toml_get(t, "lookbehind") ?
					 PCRE2_USE_OFFSET_LIMIT : 0));
	}
	r->path = get_re(c, t, "path");
	if (r->path)
		r->path_lit = ls_path_literals(
			ls_toml_get(t, "path")->u.str.ptr, &r->path_lit_icase);
	if ((v = get_typed(c, t, "check", LS_TOML_STRING))) {
		if (!strcmp(v->u.str.ptr, "arg-in-run"))
			r->check = LS_CHECK_ARG_IN_RUN;
		else if (!strcmp(v->u.str.ptr, "copy-context"))
			r->check = LS_CHECK_COPY_CONTEXT;
		else if (!strcmp(v->u.str.ptr, "image-policy"))
			r->check = LS_CHECK_IMAGE_POLICY;
		else if (!strcmp(v->u.str.ptr, "containerfile-policy"))
			r->check = LS_CHECK_CONTAINERFILE_POLICY;
		else if (!strcmp(v->u.str.ptr, "table-column"))
			r->check = LS_CHECK_TABLE_COLUMN;
		else
			ERR_AT(c, v, "unknown check '%s' (use arg-in-run, copy-context, image-policy, containerfile-policy or table-column)",
			       v->u.str.ptr);
	}
	if (r->check == LS_CHECK_TABLE_COLUMN && !ls_toml_get(t, "regex"))
		ERR_AT(c, t, "rule '%s': check 'table-column' needs a 'regex' for the header cell",
		       r->id ? r->id : "?");
	r->content = get_re(c, t, "content");
	if (!ls_toml_get(t, "regex") && !ls_toml_get(t, "path") &&
	    !ls_toml_get(t, "check") && !ls_toml_get(t, "content"))
		ERR_AT(c, t, "rule '%s' needs a 'regex', a 'path', or both",
		       r->id ? r->id : "?");
	if ((v = ls_toml_get(t, "content")) &&
	    (ls_toml_get(t, "regex") || ls_toml_get(t, "check")))
		ERR_AT(c, v, "'content' is for file rules: a rule with 'content' has no 'regex' or 'check'");
	if ((v = get_typed(c, t, "secretGroup", LS_TOML_INTEGER))) {
		uint32_t ncap = 0;
		if (r->regex)
			pcre2_pattern_info(r->regex, PCRE2_INFO_CAPTURECOUNT,
					   &ncap);
		if (v->u.integer < 0 || (r->regex && v->u.integer > ncap))
			ERR_AT(c, v, "'secretGroup' %lld is out of range: the regex has %u groups",
			       v->u.integer, ncap);
		else
			r->secret_group = (int)v->u.integer;
	}
	if ((v = get_typed(c, t, "entropy", LS_TOML_FLOAT))) {
		r->entropy = v->type == LS_TOML_INTEGER ? (double)v->u.integer
							: v->u.flt;
		if (!(r->entropy >= 0 && r->entropy <= 8))
			ERR_AT(c, v, "'entropy' must be between 0 and 8");
	}
	r->nkeywords = get_strv(c, t, "keywords", &r->keywords, 1);
	for (size_t i = 0; i < r->nkeywords; i++)
		if (!r->keywords[i][0])
			ERR_AT(c, ls_toml_get(t, "keywords"), "empty keyword");
	r->ntags = get_strv(c, t, "tags", &r->tags, 0);
	for (size_t i = 0; i < r->ntags; i++)
		if (!strcmp(r->tags[i], "generic"))
			r->generic = 1;
		else if (!strcmp(r->tags[i], "structural"))
			r->structural = 1;
	if ((v = get_typed(c, t, "severity", LS_TOML_STRING))) {
		int s = ls_severity_parse(v->u.str.ptr);
		if (s < 0)
			ERR_AT(c, v, "unknown severity '%s' (use critical, high, medium, low or info)",
			       v->u.str.ptr);
		else
			r->severity = (enum ls_severity)s;
	}
	if ((v = get_typed(c, t, "validate", LS_TOML_STRING))) {
		if (!strcmp(v->u.str.ptr, "crc32-base62"))
			r->validate = LS_VALIDATE_CRC32_BASE62;
		else if (!strcmp(v->u.str.ptr, "crc32-base62-mismatch"))
			r->validate = LS_VALIDATE_CRC32_BASE62_MISMATCH;
		else if (!strcmp(v->u.str.ptr, "bip39"))
			r->validate = LS_VALIDATE_BIP39;
		else
			ERR_AT(c, v, "unknown validator '%s'", v->u.str.ptr);
	}
	if ((v = get_typed(c, t, "decode", LS_TOML_STRING))) {
		if (!strcmp(v->u.str.ptr, "base64"))
			r->decode = LS_DECODE_BASE64;
		else if (!strcmp(v->u.str.ptr, "xml"))
			r->decode = LS_DECODE_XML;
		else if (!strcmp(v->u.str.ptr, "json"))
			r->decode = LS_DECODE_JSON;
		else
			ERR_AT(c, v, "unknown decoder '%s'", v->u.str.ptr);
	}
	r->decoded_regex = get_re(c, t, "decodedRegex");
	if (r->decoded_regex && !r->decode)
		ERR_AT(c, ls_toml_get(t, "decodedRegex"),
		       "'decodedRegex' needs 'decode'");
	r->binary = r->nkeywords > 0;
	if ((v = get_typed(c, t, "binary", LS_TOML_BOOL)))
		r->binary = v->u.boolean;
	if ((v = get_typed(c, t, "window", LS_TOML_INTEGER))) {
		if (v->u.integer < 1 || v->u.integer > LS_RULE_WINDOW_MAX)
			ERR_AT(c, v, "'window' must be between 1 and %d",
			       LS_RULE_WINDOW_MAX);
		else
			r->window = (size_t)v->u.integer;
	}
	if ((v = get_typed(c, t, "lookbehind", LS_TOML_INTEGER))) {
		if (v->u.integer < 0 || v->u.integer > LS_RULE_LOOKBEHIND)
			ERR_AT(c, v, "'lookbehind' must be between 0 and %d",
			       LS_RULE_LOOKBEHIND);
		else
			r->lookbehind = (size_t)v->u.integer;
		r->starts_near = 1;
	}
	parse_allowlists(c, t, &r->allow, &r->nallow, &alloc, 0);
	if ((v = ls_toml_get(t, "examples")))
		parse_examples(c, v, r);

	if (c->diag->nerrors != nerr) {
		rule_free(r);
		return NULL;
	}
	return r;
}

static void add_rule(struct ls_ruleset *rs, struct ls_rule *r)
{
	for (size_t i = 0; i < rs->nrules; i++) {
		if (!strcmp(rs->rules[i]->id, r->id)) {
			rule_free(rs->rules[i]);
			rs->rules[i] = r;
			return;
		}
	}
	LS_ALLOC_GROW(rs->rules, rs->nrules + 1, rs->alloc);
	rs->rules[rs->nrules++] = r;
}

int ls_ruleset_disable(struct ls_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->nrules; i++) {
		if (!strcmp(rs->rules[i]->id, id)) {
			rule_free(rs->rules[i]);
			memmove(&rs->rules[i], &rs->rules[i + 1],
				(rs->nrules - i - 1) * sizeof(rs->rules[0]));
			rs->nrules--;
			return 1;
		}
	}
	return 0;
}

static int load_doc(struct ctx *c, const char *text, size_t len);

static int load_file_ctx(struct ctx *c, const char *path)
{
	FILE *f;
	struct stat st;
	char *buf;
	size_t n;
	int ret;
	struct ctx sub = *c;

	f = fopen(path, "rb");
	if (!f) {
		ls_diag_add(c->diag, 1, path, 0, 0, "cannot open: %s",
			    strerror(errno));
		return LS_EIO;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		ls_diag_add(c->diag, 1, path, 0, 0, "not a regular file");
		fclose(f);
		return LS_EIO;
	}
	if ((unsigned long long)st.st_size > LS_RULEFILE_MAX) {
		ls_diag_add(c->diag, 1, path, 0, 0,
			    "rule file is larger than %u bytes", LS_RULEFILE_MAX);
		fclose(f);
		return LS_ELIMIT;
	}
	buf = ls_xmalloc((size_t)st.st_size + 1);
	n = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		ls_diag_add(c->diag, 1, path, 0, 0, "cannot read: %s",
			    strerror(errno));
		fclose(f);
		free(buf);
		return LS_EIO;
	}
	fclose(f);
	sub.file = path;
	ret = load_doc(&sub, buf, n);
	free(buf);
	return ret;
}

static void handle_extend(struct ctx *c, const struct ls_toml_value *ext,
			  char ***disabled, size_t *ndisabled)
{
	static const char *const keys[] = { "useDefault", "path",
					    "disabledRules", NULL };
	const struct ls_toml_value *v;

	if (ext->type != LS_TOML_TABLE) {
		ERR_AT(c, ext, "'extend' must be a table");
		return;
	}
	check_keys(c, ext, keys, "[extend]");
	*ndisabled = get_strv(c, ext, "disabledRules", disabled, 0);
	if (!(c->flags & LS_LOAD_FOLLOW_EXTEND))
		return;
	if ((v = get_typed(c, ext, "useDefault", LS_TOML_BOOL)) && v->u.boolean)
		ls_ruleset_load_defaults(c->rs, c->diag);
	if ((v = get_typed(c, ext, "path", LS_TOML_STRING))) {
		char *p;
		if (c->depth >= 4) {
			ERR_AT(c, v, "[extend] paths nest too deeply");
			return;
		}
		if (v->u.str.ptr[0] == '/' || !strchr(c->file, '/')) {
			p = ls_xstrdup(v->u.str.ptr);
		} else {
			const char *slash = strrchr(c->file, '/');
			p = ls_xasprintf("%.*s/%s", (int)(slash - c->file),
					 c->file, v->u.str.ptr);
		}
		c->depth++;
		load_file_ctx(c, p);
		c->depth--;
		free(p);
	}
}

const char *ls_decoder_name(enum ls_decoder d)
{
	return d == LS_DECODE_XML ? "xml" : d == LS_DECODE_JSON ? "json"
		: d == LS_DECODE_BASE64 ? "base64" : "none";
}

const char *ls_check_name(enum ls_check c)
{
	switch (c) {
	case LS_CHECK_ARG_IN_RUN:
		return "arg-in-run";
	case LS_CHECK_COPY_CONTEXT:
		return "copy-context";
	case LS_CHECK_IMAGE_POLICY:
		return "image-policy";
	case LS_CHECK_CONTAINERFILE_POLICY:
		return "containerfile-policy";
	case LS_CHECK_TABLE_COLUMN:
		return "table-column";
	default:
		return "none";
	}
}

/*
 * [policy]: check = "off" | "<severity>", max-size = "500MB",
 * user = "1000" (or 1000).  Kept as text when the document has no errors.
 */
static void parse_policy(struct ctx *c, const struct ls_toml_value *t,
			 size_t nerr0)
{
	if (t->type != LS_TOML_TABLE) {
		ERR_AT(c, t, "'policy' must be a table ([policy])");
		return;
	}
	for (size_t i = 0; i < t->u.table.n; i++) {
		const char *k = t->u.table.kv[i].key;
		const struct ls_toml_value *v = t->u.table.kv[i].value;
		struct ls_policy_setting *ps;
		char *val;

		if (v->type == LS_TOML_INTEGER && !strcmp(k, "user")) {
			val = ls_xasprintf("%lld", v->u.integer);
		} else if (v->type == LS_TOML_STRING &&
			   strlen(v->u.str.ptr) == v->u.str.len) {
			val = ls_xstrdup(v->u.str.ptr);
		} else {
			ERR_AT(c, v, "[policy] '%s' must be a string", k);
			continue;
		}
		if (strcmp(k, "max-size") && strcmp(k, "user") &&
		    strcmp(val, "off") && ls_severity_parse(val) < 0) {
			ERR_AT(c, v, "[policy] '%s' must be \"off\" or a severity (info, low, medium, high, critical), not '%s'",
			       k, val);
			free(val);
			continue;
		}
		if (c->diag->nerrors != nerr0) {
			free(val);
			continue;
		}
		LS_ALLOC_GROW(c->rs->policy, c->rs->npolicy + 1,
			      c->rs->policy_alloc);
		ps = &c->rs->policy[c->rs->npolicy++];
		ps->key = ls_xstrdup(k);
		ps->value = val;
		ps->file = ls_xstrdup(c->file);
		ps->line = v->line;
	}
}

/*
 * [scan]: fail-on = "<severity>", min-severity = "<severity>" (the same as
 * --fail-on and --min-severity; docs/cli.md).  A later file wins.
 */
static void parse_scan(struct ctx *c, const struct ls_toml_value *t,
		       size_t nerr0)
{
	if (t->type != LS_TOML_TABLE) {
		ERR_AT(c, t, "'scan' must be a table ([scan])");
		return;
	}
	for (size_t i = 0; i < t->u.table.n; i++) {
		const char *k = t->u.table.kv[i].key;
		const struct ls_toml_value *v = t->u.table.kv[i].value;
		int sev;

		if (strcmp(k, "fail-on") && strcmp(k, "min-severity")) {
			ERR_AT(c, v, "[scan] has no key '%s' (use fail-on or min-severity)",
			       k);
			continue;
		}
		if (v->type != LS_TOML_STRING ||
		    strlen(v->u.str.ptr) != v->u.str.len ||
		    (sev = ls_severity_parse(v->u.str.ptr)) < 0) {
			ERR_AT(c, v, "[scan] '%s' must be a severity (info, low, medium, high, critical)",
			       k);
			continue;
		}
		if (c->diag->nerrors != nerr0)
			continue;
		if (!strcmp(k, "fail-on"))
			c->rs->fail_on = sev;
		else
			c->rs->min_severity = sev;
	}
}

static int load_doc(struct ctx *c, const char *text, size_t len)
{
	static const char *const top_keys[] = {
		"title", "description", "extend", "rules", "allowlist",
		"allowlists", "minVersion", "policy", "scan", NULL
	};
	struct ls_toml_value *root = NULL;
	struct ls_err err;
	const struct ls_toml_value *v;
	struct ls_rule **tmp = NULL;
	size_t ntmp = 0, tmpalloc = 0, nerr0 = c->diag->nerrors;
	char **disabled = NULL;
	size_t ndisabled = 0;
	struct ls_allowlist *gl = NULL;
	size_t ngl = 0, glalloc = 0;

	ls_err_clear(&err);
	if (ls_toml_parse(text, len, c->file, &root, &err)) {
		ls_diag_add(c->diag, 1, c->file, err.line, err.column, "%s",
			    err.msg);
		return LS_EINVAL;
	}
	check_keys(c, root, top_keys, "the rule file");
	if ((v = ls_toml_get(root, "extend")))
		handle_extend(c, v, &disabled, &ndisabled);
	if ((v = ls_toml_get(root, "rules"))) {
		if (v->type != LS_TOML_ARRAY) {
			ERR_AT(c, v, "'rules' must be an array of tables ([[rules]])");
		} else {
			for (size_t i = 0; i < v->u.array.n; i++) {
				struct ls_rule *r =
					parse_rule(c, v->u.array.items[i]);
				if (!r)
					continue;
				for (size_t j = 0; j < ntmp; j++) {
					if (!strcmp(tmp[j]->id, r->id)) {
						ls_diag_add(c->diag, 1, c->file,
							    r->line, 0,
							    "duplicate rule id '%s' (first at line %d)",
							    r->id, tmp[j]->line);
						break;
					}
				}
				LS_ALLOC_GROW(tmp, ntmp + 1, tmpalloc);
				tmp[ntmp++] = r;
			}
		}
	}
	parse_allowlists(c, root, &gl, &ngl, &glalloc, 1);
	if ((v = ls_toml_get(root, "policy")))
		parse_policy(c, v, nerr0);
	if ((v = ls_toml_get(root, "scan")))
		parse_scan(c, v, nerr0);

	if (c->diag->nerrors == nerr0) {
		for (size_t i = 0; i < ndisabled; i++)
			ls_ruleset_disable(c->rs, disabled[i]);
		for (size_t i = 0; i < ntmp; i++)
			add_rule(c->rs, tmp[i]);
		for (size_t i = 0; i < ngl; i++) {
			LS_ALLOC_GROW(c->rs->global, c->rs->nglobal + 1,
				      c->rs->global_alloc);
			c->rs->global[c->rs->nglobal++] = gl[i];
		}
	} else {
		for (size_t i = 0; i < ntmp; i++)
			rule_free(tmp[i]);
		for (size_t i = 0; i < ngl; i++)
			allowlist_release(&gl[i]);
	}
	free(tmp);
	free(gl);
	free_strv(disabled, ndisabled);
	ls_toml_free(root);
	return c->diag->nerrors == nerr0 ? 0 : LS_EINVAL;
}

int ls_ruleset_load_toml(struct ls_ruleset *rs, const char *text, size_t len,
			 const char *name, unsigned flags,
			 struct ls_diag *diag)
{
	struct ctx c = { .file = name, .diag = diag, .rs = rs, .flags = flags };

	if (rs->compiled)
		LS_BUG("rule set loaded after compile");
	return load_doc(&c, text, len);
}

int ls_ruleset_load_file(struct ls_ruleset *rs, const char *path,
			 unsigned flags, struct ls_diag *diag)
{
	struct ctx c = { .file = path, .diag = diag, .rs = rs, .flags = flags };

	return load_file_ctx(&c, path);
}

static int load_embedded(struct ls_ruleset *rs, const char *only,
			 struct ls_diag *diag)
{
	int ret = only ? LS_ENOTFOUND : 0;

	for (const struct ls_embedded_file *f = ls_default_patterns; f->name;
	     f++) {
		char *name;

		if (only && strcmp(only, f->name))
			continue;
		if (only)
			ret = 0;
		name = ls_xasprintf("patterns/%s", f->name);
		char *text = ls_xmalloc(f->raw_len + 1);
		uLongf n = (uLongf)f->raw_len;

		if (uncompress((Bytef *)text, &n, f->data, (uLong)f->len) != Z_OK ||
		    n != f->raw_len)
			LS_BUG("built-in rule file %s is damaged", f->name);
		if (ls_ruleset_load_toml(rs, text, n, name, 0, diag))
			ret = LS_EINVAL;
		free(text);
		free(name);
	}
	return ret;
}

int ls_ruleset_load_defaults(struct ls_ruleset *rs, struct ls_diag *diag)
{
	return load_embedded(rs, NULL, diag);
}

int ls_ruleset_load_default_file(struct ls_ruleset *rs, const char *name,
				 struct ls_diag *diag)
{
	return load_embedded(rs, name, diag);
}

const struct ls_rule *ls_ruleset_find(const struct ls_ruleset *rs,
				      const char *id)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (!strcmp(rs->rules[i]->id, id))
			return rs->rules[i];
	return NULL;
}

static int cmp_rule_id(const void *a, const void *b)
{
	const struct ls_rule *ra = *(struct ls_rule *const *)a;
	const struct ls_rule *rb = *(struct ls_rule *const *)b;

	return strcmp(ra->id, rb->id);
}

int ls_ruleset_compile(struct ls_ruleset *rs, struct ls_diag *diag)
{
	size_t a1 = 0, a2 = 0, a3 = 0;

	if (rs->compiled)
		LS_BUG("rule set compiled twice");
	/* sorted by id: output order and rule indexes are deterministic */
	if (rs->nrules)
		ls_sort(rs->rules, rs->nrules, sizeof(rs->rules[0]), cmp_rule_id);
	rs->pf = ls_prefilter_new();
	for (size_t i = 0; i < rs->nrules; i++) {
		struct ls_rule *r = rs->rules[i];
		r->index = (unsigned)i;
		if (r->check && r->check != LS_CHECK_TABLE_COLUMN)
			continue;   /* applied by its check, never to content */
		for (size_t k = 0; k < r->nkeywords; k++)
			ls_prefilter_add(rs->pf, r->keywords[k],
					 strlen(r->keywords[k]), r->index);
		if (r->regex && !r->nkeywords) {
			LS_ALLOC_GROW(rs->nokw, rs->nnokw + 1, a1);
			rs->nokw[rs->nnokw++] = r->index;
			if (diag && !r->path)
				ls_diag_add(diag, 0, r->file, r->line, 0,
					    "rule '%s' has no keywords: its regex runs over every byte scanned, which is slow",
					    r->id);
		}
		if ((r->path || r->content) && !r->regex) {
			LS_ALLOC_GROW(rs->pathonly, rs->npathonly + 1, a2);
			rs->pathonly[rs->npathonly++] = r->index;
		} else if (r->path) {
			LS_ALLOC_GROW(rs->pathregex, rs->npathregex + 1, a3);
			rs->pathregex[rs->npathregex++] = r->index;
		}
	}
	ls_prefilter_build(rs->pf);
	rs->compiled = 1;
	return 0;
}

/*
 * JIT-compile a rule's main regex the first time it is about to run.  The
 * workers share the rule: the first one compiles under a lock, the others
 * wait for it, and after that the flag (read with acquire order) lets
 * every match go straight on.  A refused JIT leaves the interpreter, as
 * at load time.
 */
static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;

void ls_rule_jit(const struct ls_rule *r)
{
	struct ls_rule *w = (struct ls_rule *)r;   /* heap object, never const */

	if (!r->regex || atomic_load_explicit(&w->jitted, memory_order_acquire))
		return;
	pthread_mutex_lock(&jit_lock);
	if (!atomic_load_explicit(&w->jitted, memory_order_relaxed)) {
		if (!getenv("LAYERSCAN_NO_JIT"))
			(void)pcre2_jit_compile(w->regex, PCRE2_JIT_COMPLETE);
		atomic_store_explicit(&w->jitted, 1, memory_order_release);
	}
	pthread_mutex_unlock(&jit_lock);
}
