/*
 * containerfile.c - the policy's checks that can be made on a
 * Containerfile before building; see policy.h.
 *
 * The final image is the last stage plus the stages it is built FROM
 * (cf->st[].parent): USER and HEALTHCHECK are inherited along that chain,
 * and packages installed anywhere on it end up in the image.
 */
#define _GNU_SOURCE
#include "policy/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

struct cctx {
	struct ls_scan *scan;
	const struct ls_containerfile *cf;
	const char *path;
	int *chain;                 /* stages of the final image, base first */
	size_t nchain;
};

static void add(struct cctx *c, const char *id, const struct ls_cf_instr *in,
		int line, const char *what, char *note)
{
	enum ls_severity sev;
	const struct ls_rule *r = ls_policy_rule(c->scan->rs, id, &sev);
	char *where;
	struct ls_finding *f;

	if (!r) {
		free(note);
		return;
	}
	where = ls_xasprintf("%s:%s", c->path, what);
	f = ls_policy_finding(r, sev, c->path, where, note);
	free(where);
	f->line = (unsigned long)(in ? in->line : line);
	f->column = 1;
	f->end_line = (unsigned long)(in ? in->end_line : line);
	ls_policy_add(c->scan, f);
}

static int in_chain(const struct cctx *c, int stage)
{
	for (size_t i = 0; i < c->nchain; i++)
		if (c->chain[i] == stage)
			return 1;
	return 0;
}

/* The last instruction `cmd` of the final image's stages, or NULL. */
static const struct ls_cf_instr *last_of(const struct cctx *c, const char *cmd)
{
	const struct ls_cf_instr *last = NULL;

	for (size_t k = 0; k < c->nchain; k++)
		for (size_t i = 0; i < c->cf->n; i++)
			if (c->cf->in[i].stage == c->chain[k] &&
			    !strcmp(c->cf->in[i].cmd, cmd))
				last = &c->cf->in[i];
	return last;
}

static int final_line(const struct cctx *c)
{
	return c->cf->st[c->cf->nst - 1].line;
}

static void check_user(struct cctx *c)
{
	const struct ls_cf_instr *u = last_of(c, "USER");
	char *user;
	size_t n;

	if (!u) {
		add(c, "policy-cf-root-user", NULL, final_line(c), "USER",
		    ls_xstrdup("the final stage sets no USER: the image runs as root unless its base image sets another user"));
		return;
	}
	user = ls_xstrdup(u->args);
	n = strcspn(user, ": \t");
	user[n] = '\0';
	if (!strcmp(user, "root") || !strcmp(user, "0"))
		add(c, "policy-cf-root-user", u, 0, "USER",
		    ls_xasprintf("USER %s: the image runs as root", user));
	free(user);
}

static void check_healthcheck(struct cctx *c)
{
	const struct ls_cf_instr *h = last_of(c, "HEALTHCHECK");

	if (!h)
		add(c, "policy-cf-no-healthcheck", NULL, final_line(c),
		    "HEALTHCHECK",
		    ls_xstrdup("the final stage has no HEALTHCHECK (and with podman, build with --format docker: the default OCI format drops it)"));
	else if (!strncasecmp(h->args, "NONE", 4))
		add(c, "policy-cf-no-healthcheck", h, 0, "HEALTHCHECK",
		    ls_xstrdup("HEALTHCHECK NONE turns the health check off"));
}

/*
 * RUN steps of the final image that install compilers or development
 * packages (and do not remove them in the same step), and FROM lines of
 * the final image that start from a toolchain image.
 */
static void check_build_tools(struct cctx *c)
{
	static const char *const install_re =
		"(?:\\b(?:apt-get|apt|aptitude|yum|dnf|microdnf|zypper)\\b[^;&|\\n]*?\\binstall\\b"
		"|\\bapk\\b[^;&|\\n]*?\\badd\\b)"
		"[^;&|\\n]*?(?<![\\w.+-])(build-essential|build-base|gcc|g\\+\\+|clang|make|cmake"
		"|golang|rustc|cargo|[a-z0-9.+]+-dev(?:el)?)(?![\\w.+-])";
	static const char *const remove_re =
		"\\b(?:apt-get|apt|yum|dnf|zypper)\\b[^;&|\\n]*?\\b(?:purge|remove|autoremove|erase)\\b"
		"|\\bapk\\b[^;&|\\n]*?\\bdel\\b";
	static const char *const toolchains[] = {
		"golang", "rust", "gcc", "maven", "gradle", "buildpack-deps",
		NULL
	};
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *ins = pcre2_compile((PCRE2_SPTR)install_re,
					PCRE2_ZERO_TERMINATED, PCRE2_CASELESS,
					&ec, &eo, NULL);
	pcre2_code *rem = pcre2_compile((PCRE2_SPTR)remove_re,
					PCRE2_ZERO_TERMINATED, PCRE2_CASELESS,
					&ec, &eo, NULL);
	pcre2_match_data *md;

	if (!ins || !rem)
		LS_BUG("policy: build-tools patterns do not compile");
	md = pcre2_match_data_create_from_pattern(ins, NULL);
	for (size_t i = 0; i < c->cf->n; i++) {
		const struct ls_cf_instr *in = &c->cf->in[i];
		const char *texts[2] = { in->args, in->heredoc };
		char *pkg = NULL;
		int removed = 0;

		if (!in_chain(c, in->stage) || strcmp(in->cmd, "RUN"))
			continue;
		for (int t = 0; t < 2; t++) {
			PCRE2_SIZE *ov;
			if (!texts[t])
				continue;
			if (!pkg && pcre2_match(ins, (PCRE2_SPTR)texts[t],
						strlen(texts[t]), 0, 0, md,
						NULL) >= 0) {
				ov = pcre2_get_ovector_pointer(md);
				pkg = ls_xstrndup(texts[t] + ov[2], ov[3] - ov[2]);
			}
			if (pcre2_match(rem, (PCRE2_SPTR)texts[t],
					strlen(texts[t]), 0, 0, md, NULL) >= 0)
				removed = 1;
		}
		if (pkg && !removed)
			add(c, "policy-cf-build-tools", in, 0, pkg,
			    ls_xasprintf("RUN installs %s in %s: build tools ship with the image; install them in a builder stage and COPY --from it only what runs",
					 pkg, c->cf->nst == 1 ?
					 "a single-stage build" :
					 "a stage of the final image"));
		free(pkg);
	}
	pcre2_match_data_free(md);
	pcre2_code_free(ins);
	pcre2_code_free(rem);
	for (size_t k = 0; k < c->nchain; k++) {
		const struct ls_cf_stage *st = &c->cf->st[c->chain[k]];
		const char *b = st->base, *slash = strrchr(b, '/');
		const char *name = slash ? slash + 1 : b;
		size_t n = strcspn(name, ":@");

		if (st->parent >= 0)
			continue;
		for (int i = 0; toolchains[i]; i++) {
			if (strlen(toolchains[i]) == n &&
			    !strncmp(name, toolchains[i], n)) {
				char *what = ls_xasprintf("FROM %s", b);
				add(c, "policy-cf-build-tools", NULL, st->line, what,
				    ls_xasprintf("the final image starts FROM %s, a toolchain image: its compilers ship with the image",
						 b));
				free(what);
			}
		}
	}
}

/* `latest` or untagged bases, every stage (a stage name is not a base). */
static void check_base_tags(struct cctx *c)
{
	for (size_t s = 0; s < c->cf->nst; s++) {
		const struct ls_cf_stage *st = &c->cf->st[s];
		const char *b = st->base, *slash, *colon;
		char *what;

		if (st->parent >= 0 || !b[0] || !strcmp(b, "scratch") ||
		    strchr(b, '$') || strchr(b, '@'))
			continue;
		slash = strrchr(b, '/');
		colon = strchr(slash ? slash : b, ':');
		if (colon && strcmp(colon + 1, "latest"))
			continue;
		what = ls_xasprintf("FROM %s", b);
		add(c, "policy-cf-base-tag", NULL, st->line, what,
		    colon ? ls_xasprintf("FROM %s: 'latest' moves; the build is not reproducible", b)
			  : ls_xasprintf("FROM %s has no tag (it means 'latest', which moves): the build is not reproducible", b));
		free(what);
	}
}

static int is_url(const char *s)
{
	return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8) ||
	       !strncasecmp(s, "git@", 4) || !strncasecmp(s, "ftp://", 6);
}

/* ADD of a remote source without --checksum: its content can change. */
static void check_add_url(struct cctx *c)
{
	for (size_t i = 0; i < c->cf->n; i++) {
		const struct ls_cf_instr *in = &c->cf->in[i];
		const char *p = in->args;
		int checksum = 0;
		char *url = NULL;

		if (strcmp(in->cmd, "ADD"))
			continue;
		while (*p) {
			size_t n;
			while (*p == ' ' || *p == '\t' || *p == '[' || *p == '"' ||
			       *p == ',')
				p++;
			n = strcspn(p, " \t\",]");
			if (!n)
				break;
			if (!strncmp(p, "--checksum", 10))
				checksum = 1;
			else if (!url && is_url(p))
				url = ls_xstrndup(p, n);
			p += n;
		}
		if (url && !checksum) {
			add(c, "policy-cf-add-url", in, 0, url,
			    ls_xasprintf("ADD downloads %s at build time without --checksum: what ships can change between builds", url));
		}
		free(url);
	}
}

void ls_policy_check_containerfile(struct ls_scan *scan,
				   const struct ls_containerfile *cf,
				   const char *path)
{
	struct cctx c;
	int n = 0;

	if (!cf->nst)
		return;
	memset(&c, 0, sizeof(c));
	c.scan = scan;
	c.cf = cf;
	c.path = path;
	c.chain = ls_xcalloc(cf->nst, sizeof(int));
	for (int s = (int)cf->nst - 1; s >= 0 && n < (int)cf->nst;
	     s = cf->st[s].parent)
		c.chain[n++] = s;
	/* base first */
	for (int i = 0; i < n / 2; i++) {
		int t = c.chain[i];
		c.chain[i] = c.chain[n - 1 - i];
		c.chain[n - 1 - i] = t;
	}
	c.nchain = (size_t)n;
	check_user(&c);
	check_healthcheck(&c);
	check_build_tools(&c);
	check_base_tags(&c);
	check_add_url(&c);
	free(c.chain);
}
