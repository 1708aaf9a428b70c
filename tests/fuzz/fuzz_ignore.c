/*
 * fuzz_ignore.c - .containerignore/.dockerignore (src/source/ignore.c).
 *
 * Input: one byte choosing the engine (bit 0: docker, else podman), then
 * the ignore file, then optionally a NUL byte and paths to judge, one per
 * line (without it, a fixed list is judged).  Every path is asked
 * ls_ignore_excluded(), and every directory prefix of it
 * ls_ignore_descend(), as the context walk does.
 */
#include "fuzz.h"
#include "source/ignore.h"

static const char *const fixed_paths[] = {
	"a", "a/b", "a/b/c.txt", ".env", "app/.env", "node_modules/x/y.js",
	"secrets/id_rsa", "docs/README.md", "Containerfile", ".git/config",
	"a b/c d", "x.", "$x", "[x]", "**", "dir/sub/deep/file.key",
};

static void judge(const struct ls_ignore *ig, const char *path)
{
	size_t len = strlen(path);
	char *dir = ls_xstrndup(path, len);

	(void)ls_ignore_excluded(ig, path);
	for (size_t i = len; i > 0; i--) {
		if (dir[i - 1] != '/')
			continue;
		dir[i - 1] = '\0';
		if (dir[0])
			(void)ls_ignore_descend(ig, dir);
	}
	free(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_ignore *ig = NULL;
	struct ls_err err;
	enum ls_engine engine;
	const uint8_t *sep;
	size_t tlen;

	if (size < 1)
		return 0;
	engine = (data[0] & 1) ? LS_ENGINE_DOCKER : LS_ENGINE_PODMAN;
	data++;
	size--;
	sep = memchr(data, '\0', size);
	tlen = sep ? (size_t)(sep - data) : size;
	ls_err_clear(&err);
	if (ls_ignore_parse((const char *)data, tlen, ".containerignore", engine,
			    &ig, &err)) {
		if (ig)
			fuzz_die("error with a result");
		if (!err.msg[0])
			fuzz_die("error without a message");
		return 0;
	}
	(void)ls_ignore_count(ig);
	if (sep) {
		char *paths = fuzz_copy(sep + 1, size - tlen - 1);
		char *p = paths;
		while (p) {
			char *nl = strchr(p, '\n');
			if (nl)
				*nl = '\0';
			if (p[0])
				judge(ig, p);
			p = nl ? nl + 1 : NULL;
		}
		free(paths);
	} else {
		for (size_t i = 0; i < sizeof(fixed_paths) / sizeof(fixed_paths[0]); i++)
			judge(ig, fixed_paths[i]);
	}
	ls_ignore_free(ig);
	return 0;
}
