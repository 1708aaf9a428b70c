/*
 * containerfile.h - parse a Containerfile/Dockerfile and check what it does
 * with secrets.
 *
 * The parser follows the Dockerfile reference: parser directives at the top
 * (`# escape=`` ` ``), instructions case-insensitive, line continuations with
 * the escape character (comment lines inside a continuation are dropped),
 * heredocs (`RUN <<EOF`, `<<-EOF`, quoted terminators, several per
 * instruction), JSON (exec) and shell forms, multi-stage `FROM ... AS name`,
 * and `${VAR}` substitution (`$V`, `${V}`, `${V:-x}`, `${V-x}`, `${V:+x}`,
 * `${V+x}`) from ARG and ENV values in scope.
 *
 * A stage "reaches the final image" if it is the last stage or an ancestor
 * of it through `FROM <stage>`.  A stage used only by `COPY --from` does not:
 * only the files copied out of it do.
 *
 * The checks (rules in patterns/containerfile.toml with a `check` key, plus
 * every ordinary rule on ENV and ARG values) report at the instruction's
 * line, name the stage, and say whether it reaches the final image; findings
 * in stages that do not are two severity levels lower:
 *   - ENV and ARG values, judged as "NAME=value" by all rules (so the
 *     name-based container-secret-variable rule applies);
 *   - arg-in-run: a secret-named ARG used by a RUN (its value is recorded in
 *     the image history even without a default);
 *   - copy-context: COPY/ADD of the whole context while files holding
 *     findings are sent (names them);
 *   - every finding of the ordinary scan inside the Containerfile itself
 *     (inline secrets in RUN, ADD of URLs with credentials) gets the same
 *     stage attribution.
 */
#ifndef LS_SOURCE_CONTAINERFILE_H
#define LS_SOURCE_CONTAINERFILE_H

#include <stddef.h>

#include "scan/scan.h"
#include "util/err.h"

#define LS_CONTAINERFILE_MAX (1u << 20)

struct ls_cf_instr {
	char *cmd;          /* upper case: FROM, RUN, ENV, ... */
	char *args;         /* after the keyword; continuations joined */
	char *heredoc;      /* bodies of heredocs, or NULL */
	int line, end_line; /* 1-based, first and last physical line */
	int stage;          /* index into stages, -1 before the first FROM */
	int json;           /* exec form: args is a JSON array */
};

struct ls_cf_stage {
	char *name;         /* AS name, or NULL */
	char *base;         /* FROM image (substituted) */
	int line;
	int parent;         /* stage used as base, or -1 */
	int reaches_final;
};

struct ls_containerfile {
	char *name;
	char *text;         /* the whole file, for exact columns */
	size_t len;
	struct ls_cf_instr *in;
	size_t n, alloc;
	struct ls_cf_stage *st;
	size_t nst, st_alloc;
	char escape;
};

/* Parse `len` bytes of `text`.  Errors name the file and line. */
int ls_containerfile_parse(const char *text, size_t len, const char *name,
			   struct ls_containerfile **out, struct ls_err *err);
void ls_containerfile_free(struct ls_containerfile *cf);

/* Human words for a stage: "stage 'build' (not in the final image)". */
char *ls_containerfile_stage_words(const struct ls_containerfile *cf, int st);

/*
 * Run the checks after a scan of the context (whose findings are in
 * `scan`).  `path` is the Containerfile's display path; findings already
 * in `scan` at that path are attributed to their stage.  Findings of
 * context files (source file, not ignored) feed copy-context.
 */
void ls_containerfile_check(struct ls_containerfile *cf, struct ls_scan *scan,
			    const char *path);

/* Default Containerfile of a context: Containerfile, else Dockerfile. */
char *ls_containerfile_discover(const char *ctxdir);

#endif
