/*
 * fuzz_containerfile.c - the Containerfile parser and checks
 * (src/source/containerfile.c), as `layerscan context` runs them: the
 * context holds one file with a finding (so copy-context has something to
 * name), the Containerfile itself is scanned by the ordinary rules, then
 * ls_containerfile_check() attributes those findings to stages and runs
 * the ENV/ARG, arg-in-run and copy-context checks with the default rules.
 */
#include "fuzz.h"
#include "source/containerfile.h"

/* A valid GitHub token (its checksum is right), as in test_match.c. */
static const char context_file[] =
	"GITHUB_TOKEN=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\n";

static void scan_text(struct ls_scan *scan, const char *path,
		      const char *text, size_t len)
{
	struct ls_worker *w = ls_worker_new(scan);
	struct ls_item it;

	memset(&it, 0, sizeof(it));
	it.source = LS_SOURCE_FILE;
	it.path = (char *)path;
	it.history_index = -1;
	(void)ls_worker_scan_buffer(w, &it, text, len);
	ls_worker_free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_containerfile *cf = NULL;
	struct ls_scan scan;
	struct ls_err err;

	if (size > LS_CONTAINERFILE_MAX)
		return 0;
	ls_err_clear(&err);
	if (ls_containerfile_parse((const char *)data, size, "Containerfile",
				   &cf, &err)) {
		if (cf)
			fuzz_die("error with a result");
		if (!err.msg[0])
			fuzz_die("error without a message");
		return 0;
	}
	for (size_t i = 0; i < cf->nst; i++)
		free(ls_containerfile_stage_words(cf, (int)i));
	fuzz_scan_init(&scan);
	scan_text(&scan, "app/.env", context_file, sizeof(context_file) - 1);
	scan_text(&scan, "Containerfile", (const char *)data, size);
	ls_containerfile_check(cf, &scan, "Containerfile");
	ls_findings_sort(&scan.findings);
	fuzz_debug(&scan, "containerfile");
	ls_scan_release(&scan);
	ls_containerfile_free(cf);
	return 0;
}
