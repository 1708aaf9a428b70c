/*
 * ignore.h - .containerignore / .dockerignore, exactly as the engine reads it.
 *
 * Two engines, two sets of rules (docs/context.md has the full story):
 *
 * LS_ENGINE_PODMAN (default; podman 4 / buildah 1.28):
 *   - file: with -f FILE, <FILE>.containerignore or <FILE>.dockerignore
 *     (a relative FILE is joined to the CONTEXT directory; if both exist the
 *     .dockerignore wins), else <ctx>/.containerignore, else
 *     <ctx>/.dockerignore;
 *   - lines: split on \n; a line that is empty or whose first byte is '#'
 *     is skipped; '/' is trimmed from both ends, then white space; Clean();
 *     '!' starts an exception;
 *   - match: ^PATTERN(/.*)?$ with '*', '**', '?' translated, '.' and '$'
 *     escaped, '\' escaping the next byte, and every other byte handed to
 *     the regex engine as is (so + ( ) { } | ^ [ ] keep regex meaning);
 *     last matching pattern wins;
 *   - walk: an excluded directory is skipped unless an exception pattern P
 *     has the directory path as a prefix of "P/".
 *
 * LS_ENGINE_DOCKER (docker build / BuildKit, moby/patternmatcher):
 *   - file: <FILE>.dockerignore next to the Dockerfile (relative to the
 *     working directory), else <ctx>/.dockerignore; .containerignore is not
 *     read;
 *   - lines: a UTF-8 BOM is dropped; '#' lines skipped; white space trimmed
 *     (also after '!'); Clean(); a leading '/' dropped;
 *   - match: ^PATTERN$ with . + ( ) | { } $ escaped; a path is excluded when
 *     the pattern matches it or one of its parent directories; last
 *     matching pattern wins; no directory is skipped that an exception
 *     could reach.
 *
 * Bad patterns (an unclosed '[', a trailing '\', a regex the engine would
 * reject) are errors, as they fail the build itself.
 */
#ifndef LS_SOURCE_IGNORE_H
#define LS_SOURCE_IGNORE_H

#include <stddef.h>

#include "util/err.h"

enum ls_engine {
	LS_ENGINE_PODMAN,
	LS_ENGINE_DOCKER,
};

struct ls_ignore;

/*
 * Parse ignore-file text.  `name` is used in messages.  Returns 0 and
 * *out, or LS_EINVAL with err naming the file, line and pattern.
 */
int ls_ignore_parse(const char *text, size_t len, const char *name,
		    enum ls_engine engine, struct ls_ignore **out,
		    struct ls_err *err);

/*
 * Find and parse the ignore file a build of `ctxdir` would use.
 * `containerfile` is the -f argument or NULL.  *out is NULL when there is
 * no ignore file; *used (caller frees, may be NULL) names the file read.
 */
int ls_ignore_load(const char *ctxdir, const char *containerfile,
		   enum ls_engine engine, struct ls_ignore **out, char **used,
		   struct ls_err *err);

void ls_ignore_free(struct ls_ignore *ig);

/* 1 if `rel` (a path relative to the context, '/'-separated) is excluded. */
int ls_ignore_excluded(const struct ls_ignore *ig, const char *rel);

/*
 * For an excluded directory: 1 if the walk must still descend into it
 * because an exception may re-include something below.
 */
int ls_ignore_descend(const struct ls_ignore *ig, const char *reldir);

/* Number of patterns (for messages and tests). */
size_t ls_ignore_count(const struct ls_ignore *ig);

#endif
