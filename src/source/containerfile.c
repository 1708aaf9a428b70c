/*
 * containerfile.c - Containerfile parser and checks; see containerfile.h.
 *
 * Parsing is line-based, like the reference implementation: directives,
 * then logical lines (an instruction plus its continuations), then heredoc
 * bodies, which follow the line that opens them.  Arguments are kept as
 * text; the few instructions the checks need (FROM, ARG, ENV, COPY, ADD)
 * are split into words with shell-like quoting when used.
 */
#define _GNU_SOURCE
#include "source/containerfile.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "finding/fingerprint.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* ---- small string helpers ---- */

static char *trim_dup(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return ls_xstrndup(s, n);
}

/*
 * Split shell-like words: white space separates, quotes group (and are
 * removed), the escape character escapes outside single quotes.
 */
static void split_words(const char *s, char esc, struct ls_strv *out)
{
	while (*s) {
		char *w;
		size_t n = 0;
		char q = 0;

		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		w = ls_xmalloc(strlen(s) + 1);
		while (*s && (q || !isspace((unsigned char)*s))) {
			if (q) {
				if (*s == q) {
					q = 0;
					s++;
					continue;
				}
				if (q == '"' && *s == esc && s[1]) {
					s++;
				}
				w[n++] = *s++;
			} else if (*s == '"' || *s == '\'') {
				q = *s++;
			} else if (*s == esc && s[1]) {
				s++;
				w[n++] = *s++;
			} else {
				w[n++] = *s++;
			}
		}
		w[n] = '\0';
		ls_strv_push(out, w);
	}
}

/* ---- variables ---- */

struct vars {
	struct ls_strv names, values;
};

static const char *var_get(const struct vars *v, const char *name, size_t n)
{
	for (size_t i = v->names.n; i-- > 0;)
		if (strlen(v->names.v[i]) == n && !strncmp(v->names.v[i], name, n))
			return v->values.v[i];
	return NULL;
}

static void var_set(struct vars *v, const char *name, const char *value)
{
	ls_strv_push(&v->names, ls_xstrdup(name));
	ls_strv_push(&v->values, ls_xstrdup(value ? value : ""));
}

static void vars_release(struct vars *v)
{
	ls_strv_release(&v->names);
	ls_strv_release(&v->values);
}

/* Expand $V, ${V}, ${V:-x}, ${V-x}, ${V:+x}, ${V+x}; unknown: empty. */
static char *subst(const char *s, const struct vars *v, char esc)
{
	struct ls_buf b = { NULL, 0, 0 };

	ls_buf_add(&b, "", 0);
	while (*s) {
		if (*s == esc && s[1] == '$') {
			ls_buf_add(&b, "$", 1);
			s += 2;
		} else if (s[0] == '$' && s[1] == '{') {
			const char *end = strchr(s + 2, '}');
			const char *name = s + 2, *op;
			size_t nl;
			const char *val;
			if (!end) {
				ls_buf_add(&b, s, strlen(s));
				break;
			}
			for (op = name; op < end && (isalnum((unsigned char)*op) ||
						     *op == '_'); op++)
				;
			nl = (size_t)(op - name);
			val = var_get(v, name, nl);
			if (op == end) {
				if (val)
					ls_buf_add(&b, val, strlen(val));
			} else {
				int colon = *op == ':';
				char kind = colon ? op[1] : op[0];
				const char *word = op + (colon ? 2 : 1);
				int set = val && (!colon || val[0]);
				if (kind == '-' && !set)
					ls_buf_add(&b, word, (size_t)(end - word));
				else if (kind == '-' && set)
					ls_buf_add(&b, val, strlen(val));
				else if (kind == '+' && set)
					ls_buf_add(&b, word, (size_t)(end - word));
			}
			s = end + 1;
		} else if (s[0] == '$' && (isalpha((unsigned char)s[1]) ||
					   s[1] == '_')) {
			const char *name = s + 1, *p = name;
			const char *val;
			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			val = var_get(v, name, (size_t)(p - name));
			if (val)
				ls_buf_add(&b, val, strlen(val));
			s = p;
		} else {
			ls_buf_add(&b, s, 1);
			s++;
		}
	}
	return b.s;
}

/* ---- parsing ---- */

struct line {
	const char *p;
	size_t n;
};

static int is_comment(const struct line *l)
{
	size_t i = 0;

	while (i < l->n && isspace((unsigned char)l->p[i]))
		i++;
	return i < l->n && l->p[i] == '#';
}

static int is_blank(const struct line *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!isspace((unsigned char)l->p[i]))
			return 0;
	return 1;
}

/* Does the line end with the escape character (before white space)? */
static int continues(const char *s, size_t n, char esc, size_t *cut)
{
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n && s[n - 1] == esc) {
		*cut = n - 1;
		return 1;
	}
	return 0;
}

/* Heredoc openers in `args`: <<[-]["']WORD["'] */
static void heredoc_words(const char *args, struct ls_strv *words,
			  struct ls_strv *strip)
{
	for (const char *p = strstr(args, "<<"); p; p = strstr(p + 2, "<<")) {
		const char *q = p + 2;
		int dash = 0;
		char quote = 0;
		const char *w;
		if (*q == '-') {
			dash = 1;
			q++;
		}
		if (*q == '"' || *q == '\'')
			quote = *q++;
		w = q;
		while (isalnum((unsigned char)*q) || *q == '_' || *q == '-' ||
		       *q == '.')
			q++;
		if (q == w || (quote && *q != quote))
			continue;
		ls_strv_push(words, ls_xstrndup(w, (size_t)(q - w)));
		ls_strv_push(strip, ls_xstrdup(dash ? "-" : ""));
	}
}

static void add_stage(struct ls_containerfile *cf, const char *args,
		      struct vars *global, int line)
{
	struct ls_strv w = { 0 };
	struct ls_cf_stage *st;
	size_t i = 0;

	split_words(args, cf->escape, &w);
	while (i < w.n && !strncmp(w.v[i], "--", 2))
		i++;   /* --platform=... */
	LS_ALLOC_GROW(cf->st, cf->nst + 1, cf->st_alloc);
	st = &cf->st[cf->nst];
	memset(st, 0, sizeof(*st));
	st->line = line;
	st->parent = -1;
	st->base = i < w.n ? subst(w.v[i], global, cf->escape) : ls_xstrdup("");
	if (i + 2 < w.n && !strcasecmp(w.v[i + 1], "AS"))
		st->name = ls_xstrdup(w.v[i + 2]);
	for (size_t k = 0; k < cf->nst; k++)
		if (cf->st[k].name && !strcasecmp(cf->st[k].name, st->base))
			st->parent = (int)k;
	cf->nst++;
	ls_strv_release(&w);
}

int ls_containerfile_parse(const char *text, size_t len, const char *name,
			   struct ls_containerfile **out, struct ls_err *err)
{
	struct ls_containerfile *cf = ls_xcalloc(1, sizeof(*cf));
	struct line *lines = NULL;
	size_t nl = 0, alloc = 0, i = 0;
	int directives = 1;
	struct vars global = { 0 };

	cf->name = ls_xstrdup(name);
	cf->text = ls_xstrndup(text, len);
	cf->len = len;
	cf->escape = '\\';
	if (memchr(text, '\0', len)) {
		ls_containerfile_free(cf);
		return ls_err_set(err, LS_EFORMAT, name, 0, 0,
				  "not a Containerfile: binary content");
	}
	for (size_t pos = 0; pos < len;) {
		const char *nlp = memchr(text + pos, '\n', len - pos);
		size_t n = nlp ? (size_t)(nlp - (text + pos)) : len - pos;
		LS_ALLOC_GROW(lines, nl + 1, alloc);
		lines[nl].p = text + pos;
		lines[nl].n = (n && text[pos + n - 1] == '\r') ? n - 1 : n;
		nl++;
		pos += n + 1;
	}
	while (i < nl) {
		struct line *l = &lines[i];
		struct ls_buf args = { NULL, 0, 0 };
		struct ls_cf_instr *in;
		const char *p;
		size_t k, cut;

		if (directives && is_comment(l)) {
			/* # escape=` (only before any instruction) */
			char *t = trim_dup(l->p, l->n);
			char *eq = strchr(t, '=');
			if (eq) {
				char *key = trim_dup(t + 1, (size_t)(eq - t - 1));
				char *val = trim_dup(eq + 1, strlen(eq + 1));
				if (!strcasecmp(key, "escape") && strlen(val) == 1 &&
				    (val[0] == '`' || val[0] == '\\'))
					cf->escape = val[0];
				free(key);
				free(val);
			} else {
				directives = 0;
			}
			free(t);
			i++;
			continue;
		}
		if (is_blank(l) || is_comment(l)) {
			directives = 0;
			i++;
			continue;
		}
		directives = 0;
		/* keyword */
		p = l->p;
		k = 0;
		while (k < l->n && isspace((unsigned char)p[k]))
			k++;
		{
			size_t ks = k;
			while (k < l->n && !isspace((unsigned char)p[k]))
				k++;
			LS_ALLOC_GROW(cf->in, cf->n + 1, cf->alloc);
			in = &cf->in[cf->n];
			memset(in, 0, sizeof(*in));
			in->cmd = ls_xstrndup(p + ks, k - ks);
			for (char *c = in->cmd; *c; c++)
				*c = (char)toupper((unsigned char)*c);
		}
		in->line = (int)i + 1;
		/* arguments with continuations */
		ls_buf_add(&args, "", 0);
		{
			const char *a = p + k;
			size_t an = l->n - k;
			for (;;) {
				if (continues(a, an, cf->escape, &cut)) {
					ls_buf_add(&args, a, cut);
					i++;
					/* comment and empty lines inside are dropped */
					while (i < nl && (is_comment(&lines[i]) ||
							  is_blank(&lines[i])))
						i++;
					if (i >= nl)
						break;
					a = lines[i].p;
					an = lines[i].n;
					continue;
				}
				ls_buf_add(&args, a, an);
				break;
			}
		}
		in->end_line = (int)(i < nl ? i : nl - 1) + 1;
		in->args = trim_dup(args.s, args.n);
		free(args.s);
		i++;
		/* heredocs */
		if (!strcmp(in->cmd, "RUN") || !strcmp(in->cmd, "COPY") ||
		    !strcmp(in->cmd, "ADD")) {
			struct ls_strv words = { 0 }, strip = { 0 };
			struct ls_buf body = { NULL, 0, 0 };
			heredoc_words(in->args, &words, &strip);
			for (size_t h = 0; h < words.n && i < nl; h++) {
				while (i < nl) {
					const char *lp = lines[i].p;
					size_t ln = lines[i].n;
					i++;
					if (strip.v[h][0])
						while (ln && *lp == '\t') {
							lp++;
							ln--;
						}
					if (ln == strlen(words.v[h]) &&
					    !memcmp(lp, words.v[h], ln))
						break;
					ls_buf_add(&body, lp, ln);
					ls_buf_add(&body, "\n", 1);
				}
			}
			if (body.s) {
				in->heredoc = body.s;
				in->end_line = (int)i;
			}
			ls_strv_release(&words);
			ls_strv_release(&strip);
		}
		in->json = in->args[0] == '[';
		if (!strcmp(in->cmd, "FROM")) {
			add_stage(cf, in->args, &global, in->line);
		} else if (!strcmp(in->cmd, "ARG") && !cf->nst) {
			/* global ARGs: usable in FROM */
			struct ls_strv w = { 0 };
			split_words(in->args, cf->escape, &w);
			for (size_t q = 0; q < w.n; q++) {
				char *eq = strchr(w.v[q], '=');
				if (eq) {
					*eq = '\0';
					var_set(&global, w.v[q], eq + 1);
				}
			}
			ls_strv_release(&w);
		}
		in->stage = (int)cf->nst - 1;
		cf->n++;
	}
	vars_release(&global);
	free(lines);
	/* which stages reach the final image: the last and its FROM chain */
	if (cf->nst) {
		for (int s = (int)cf->nst - 1; s >= 0; s = cf->st[s].parent) {
			if (cf->st[s].reaches_final)
				break;
			cf->st[s].reaches_final = 1;
		}
	}
	*out = cf;
	return 0;
}

void ls_containerfile_free(struct ls_containerfile *cf)
{
	if (!cf)
		return;
	for (size_t i = 0; i < cf->n; i++) {
		free(cf->in[i].cmd);
		free(cf->in[i].args);
		free(cf->in[i].heredoc);
	}
	free(cf->in);
	for (size_t i = 0; i < cf->nst; i++) {
		free(cf->st[i].name);
		free(cf->st[i].base);
	}
	free(cf->st);
	free(cf->name);
	free(cf->text);
	free(cf);
}

char *ls_containerfile_stage_words(const struct ls_containerfile *cf, int st)
{
	const struct ls_cf_stage *s;

	if (st < 0 || (size_t)st >= cf->nst)
		return ls_xstrdup("before the first FROM");
	s = &cf->st[st];
	if (s->name)
		return ls_xasprintf("stage '%s' (%s)", s->name,
				    s->reaches_final ? "reaches the final image"
						     : "not in the final image");
	return ls_xasprintf("stage %d (%s)", st,
			    s->reaches_final ? "reaches the final image"
					     : "not in the final image");
}

char *ls_containerfile_discover(const char *ctxdir)
{
	static const char *const names[] = { "Containerfile", "Dockerfile" };
	struct stat st;

	for (int i = 0; i < 2; i++) {
		char *p = ls_xasprintf("%s/%s", ctxdir, names[i]);
		if (!stat(p, &st) && S_ISREG(st.st_mode))
			return p;
		free(p);
	}
	return NULL;
}

/* ---- checks ---- */

static const struct ls_cf_instr *instr_at(const struct ls_containerfile *cf,
					  unsigned long line)
{
	for (size_t i = 0; i < cf->n; i++)
		if ((unsigned long)cf->in[i].line <= line &&
		    line <= (unsigned long)cf->in[i].end_line)
			return &cf->in[i];
	return NULL;
}

static void demote(struct ls_finding *f)
{
	f->severity = f->severity >= LS_SEV_LOW + 2 ? f->severity - 2
						     : LS_SEV_INFO;
}

static void attribute(const struct ls_containerfile *cf, struct ls_finding *f,
		      const struct ls_cf_instr *in)
{
	char *words = ls_containerfile_stage_words(cf, in->stage);
	char *old = f->note;

	f->source = LS_SOURCE_CONTAINERFILE;
	f->note = ls_xasprintf("%s at line %d, in %s%s%s", in->cmd, in->line,
			       words, old ? "; " : "", old ? old : "");
	free(old);
	free(words);
	if (in->stage >= 0 && !cf->st[in->stage].reaches_final)
		demote(f);
}

static const struct ls_rule *check_rule(const struct ls_ruleset *rs,
					enum ls_check c)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i]->check == c)
			return rs->rules[i];
	return NULL;
}

static void add_check_finding(struct ls_scan *scan,
			      const struct ls_containerfile *cf,
			      const struct ls_rule *r, const char *path,
			      const struct ls_cf_instr *in, const char *secret,
			      char *note)
{
	struct ls_finding *f = ls_finding_new(r);
	char *where;

	f->source = LS_SOURCE_CONTAINERFILE;
	f->path = ls_xstrdup(path);
	f->line = (unsigned long)in->line;
	f->column = 1;
	f->end_line = (unsigned long)in->end_line;
	f->secret = ls_xstrdup(secret);
	f->secret_len = strlen(secret);
	f->note = note;
	where = ls_xasprintf("%s:%s", path, in->cmd);
	ls_fingerprint_set(f, where);
	free(where);
	{
		char *words = ls_containerfile_stage_words(cf, in->stage);
		char *n2 = ls_xasprintf("%s at line %d, in %s; %s", in->cmd,
					in->line, words, f->note);
		free(f->note);
		f->note = n2;
		free(words);
	}
	if (in->stage >= 0 && !cf->st[in->stage].reaches_final)
		demote(f);
	pthread_mutex_lock(&scan->lock);
	ls_findings_add(&scan->findings, f);
	pthread_mutex_unlock(&scan->lock);
}

/*
 * A finding made from synthetic "NAME=value" text: point it at the value
 * where it is written in the file (first line of the instruction holding it).
 */
static void fix_position(const struct ls_containerfile *cf,
			 const struct ls_cf_instr *in, struct ls_finding *f)
{
	const char *p = cf->text, *end = cf->text + cf->len;
	int line = 1;

	while (p < end && line < in->line) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return;
		p = nl + 1;
		line++;
	}
	for (; line <= in->end_line && p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *hit = f->secret_len ?
			memmem(p, n, f->secret, f->secret_len) : NULL;
		if (hit) {
			f->line = f->end_line = (unsigned long)line;
			f->column = (unsigned long)(hit - p) + 1;
			f->end_column = f->column + f->secret_len;
			return;
		}
		if (!nl)
			return;
		p = nl + 1;
	}
}

/* Scan "NAME=value" of an ENV or ARG as its own little item. */
static void scan_pair(struct ls_worker *w, const char *path, const char *kind,
		      const struct ls_cf_instr *in, const char *name,
		      const char *value)
{
	struct ls_item it;
	char *text = ls_xasprintf("%s=%s", name, value);
	char *mp = ls_xasprintf("containerfile:%s", kind);

	memset(&it, 0, sizeof(it));
	it.source = LS_SOURCE_CONTAINERFILE;
	it.path = (char *)path;
	it.match_path = mp;
	it.line_base = (unsigned long)in->line;
	it.key = name;
	it.history_index = -1;
	ls_worker_scan_buffer(w, &it, text, strlen(text));
	free(text);
	free(mp);
}

/* ENV/ARG pairs: "A=1 B=2", or legacy "ENV A value with spaces". */
static void pairs(const struct ls_cf_instr *in, char esc, struct ls_strv *names,
		  struct ls_strv *values)
{
	struct ls_strv w = { 0 };

	split_words(in->args, esc, &w);
	if (!strcmp(in->cmd, "ENV") && w.n >= 2 && !strchr(w.v[0], '=')) {
		const char *sp = in->args;
		while (*sp && !isspace((unsigned char)*sp))
			sp++;
		ls_strv_push(names, ls_xstrdup(w.v[0]));
		ls_strv_push(values, trim_dup(sp, strlen(sp)));
	} else {
		for (size_t i = 0; i < w.n; i++) {
			char *eq = strchr(w.v[i], '=');
			ls_strv_push(names, eq ? ls_xstrndup(w.v[i], (size_t)(eq - w.v[i]))
					    : ls_xstrdup(w.v[i]));
			ls_strv_push(values, eq ? ls_xstrdup(eq + 1) : NULL);
		}
	}
	ls_strv_release(&w);
}

static int uses_var(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = strchr(text, '$'); p; p = strchr(p + 1, '$')) {
		const char *q = p + 1;
		if (*q == '{')
			q++;
		if (!strncmp(q, name, n) && !(isalnum((unsigned char)q[n]) ||
					      q[n] == '_'))
			return 1;
	}
	return 0;
}

static int copies_context(const struct ls_cf_instr *in, char esc,
			  const struct vars *v)
{
	struct ls_strv w = { 0 };
	int all = 0;

	if (strcmp(in->cmd, "COPY") && strcmp(in->cmd, "ADD"))
		return 0;
	if (in->json) {
		json_t *a = json_loads(in->args, 0, NULL);
		size_t n = json_array_size(a);
		for (size_t i = 0; i + 1 < n; i++) {
			const char *s = json_string_value(json_array_get(a, i));
			if (s && (!strcmp(s, ".") || !strcmp(s, "./") ||
				  !strcmp(s, "*") || !strcmp(s, "./*")))
				all = 1;
		}
		json_decref(a);
		return all;
	}
	split_words(in->args, esc, &w);
	for (size_t i = 0; i + 1 < w.n; i++) {
		char *s;
		if (!strncmp(w.v[i], "--", 2)) {
			if (!strncmp(w.v[i], "--from", 6)) {
				ls_strv_release(&w);
				return 0;   /* from another stage or image */
			}
			continue;
		}
		s = subst(w.v[i], v, esc);
		if (!strcmp(s, ".") || !strcmp(s, "./") || !strcmp(s, "*") ||
		    !strcmp(s, "./*"))
			all = 1;
		free(s);
	}
	ls_strv_release(&w);
	return all;
}

void ls_containerfile_check(struct ls_containerfile *cf, struct ls_scan *scan,
			    const char *path)
{
	const struct ls_ruleset *rs = scan->rs;
	const struct ls_rule *arg_run = check_rule(rs, LS_CHECK_ARG_IN_RUN);
	const struct ls_rule *copy_ctx = check_rule(rs, LS_CHECK_COPY_CONTEXT);
	struct ls_worker *w = ls_worker_new(scan);
	struct ls_strv sent = { 0 };
	size_t before;
	struct vars *sv = ls_xcalloc(cf->nst + 1, sizeof(*sv));
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);

	/* files of the context that hold findings (for copy-context) */
	for (size_t i = 0; i < scan->findings.n; i++) {
		const struct ls_finding *f = scan->findings.v[i];
		int dup = 0;
		if (f->source != LS_SOURCE_FILE || !strcmp(f->path, path) ||
		    (f->note && strstr(f->note, "not sent to the build")))
			continue;
		for (size_t k = 0; k < sent.n && !dup; k++)
			dup = !strcmp(sent.v[k], f->path);
		if (!dup)
			ls_strv_push(&sent, ls_xstrdup(f->path));
	}
	/* findings of the ordinary scan inside the Containerfile */
	for (size_t i = 0; i < scan->findings.n; i++) {
		struct ls_finding *f = scan->findings.v[i];
		const struct ls_cf_instr *in;
		if (strcmp(f->path, path) || f->source != LS_SOURCE_FILE ||
		    !f->line)
			continue;
		if ((in = instr_at(cf, f->line)))
			attribute(cf, f, in);
	}
	before = scan->findings.n;
	for (size_t i = 0; i < cf->n; i++) {
		const struct ls_cf_instr *in = &cf->in[i];
		struct vars *v = &sv[in->stage + 1];
		struct ls_strv names = { 0 }, values = { 0 };

		if (!strcmp(in->cmd, "FROM"))
			continue;
		if (!strcmp(in->cmd, "ENV") || !strcmp(in->cmd, "ARG")) {
			pairs(in, cf->escape, &names, &values);
			for (size_t k = 0; k < names.n; k++) {
				char *val = values.v[k] ?
					subst(values.v[k], v, cf->escape) : NULL;
				if (val && val[0])
					scan_pair(w, path, in->cmd, in, names.v[k], val);
				var_set(v, names.v[k], val);
				if (!strcmp(in->cmd, "ARG") && arg_run &&
				    arg_run->regex &&
				    (ls_rule_jit(arg_run), 1) &&
				    pcre2_match(arg_run->regex,
						(PCRE2_SPTR)names.v[k],
						strlen(names.v[k]), 0, 0, md,
						NULL) >= 0) {
					/* used by a later RUN of this stage? */
					for (size_t r = i + 1; r < cf->n &&
					     cf->in[r].stage == in->stage; r++) {
						const struct ls_cf_instr *ri = &cf->in[r];
						if (strcmp(ri->cmd, "RUN") ||
						    !(uses_var(ri->args, names.v[k]) ||
						      (ri->heredoc &&
						       uses_var(ri->heredoc, names.v[k]))))
							continue;
						add_check_finding(scan, cf, arg_run, path, in,
							names.v[k],
							ls_xasprintf("build argument %s is used by RUN at line %d: podman and docker record the arguments a RUN step uses in the image history (\"|1 %s=...\"), so its value ships with the image even when passed with --build-arg",
								     names.v[k], ri->line,
								     names.v[k]));
						break;
					}
				}
				free(val);
			}
			ls_strv_release(&names);
			ls_strv_release(&values);
		}
		if (copy_ctx && sent.n && copies_context(in, cf->escape, v)) {
			struct ls_buf list = { NULL, 0, 0 };
			size_t shown = sent.n < 5 ? sent.n : 5;
			for (size_t k = 0; k < shown; k++) {
				if (k)
					ls_buf_add(&list, ", ", 2);
				ls_buf_add(&list, sent.v[k], strlen(sent.v[k]));
			}
			if (sent.n > shown) {
				char more[48];
				snprintf(more, sizeof(more), " and %zu more",
					 sent.n - shown);
				ls_buf_add(&list, more, strlen(more));
			}
			add_check_finding(scan, cf, copy_ctx, path, in, in->args,
				ls_xasprintf("%s copies the whole build context, which sends files that hold secrets: %s",
					     in->cmd, list.s));
			free(list.s);
		}
	}
	/* ENV/ARG findings came in through the worker as file findings of
	 * the synthetic items: attribute them too, and drop an ordinary
	 * finding of the same secret on the same instruction */
	for (size_t i = before; i < scan->findings.n; i++) {
		struct ls_finding *f = scan->findings.v[i];
		const struct ls_cf_instr *in = instr_at(cf, f->line);
		if (f->key && in && f->source == LS_SOURCE_CONTAINERFILE &&
		    (!f->note || !strstr(f->note, " at line "))) {
			attribute(cf, f, in);
			fix_position(cf, in, f);
		}
	}
	{
		size_t o = 0;
		for (size_t i = 0; i < scan->findings.n; i++) {
			struct ls_finding *f = scan->findings.v[i];
			int drop = 0;
			if (!f->key && f->source == LS_SOURCE_CONTAINERFILE &&
			    !strcmp(f->path, path)) {
				const struct ls_cf_instr *fi = instr_at(cf, f->line);
				for (size_t k = before; k < scan->findings.n && !drop; k++) {
					const struct ls_finding *g = scan->findings.v[k];
					drop = g->key && fi &&
					       instr_at(cf, g->line) == fi &&
					       strstr(f->secret, g->secret) != NULL;
				}
			}
			if (drop)
				ls_finding_free(f);
			else
				scan->findings.v[o++] = f;
		}
		scan->findings.n = o;
	}
	ls_findings_sort(&scan->findings);
	for (size_t s = 0; s <= cf->nst; s++)
		vars_release(&sv[s]);
	free(sv);
	pcre2_match_data_free(md);
	ls_strv_release(&sent);
	ls_worker_free(w);
}
