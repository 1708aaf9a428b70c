/*
 * fuzz_matcher.c - the per-item pipeline with the default rules: chunker,
 * keyword prefilter, PCRE2 rules, entropy, validators, base64 decoding,
 * allowlists, finding positions (src/scan/scan.c, src/rules/match.c).
 *
 * Input: one byte choosing the file name (path rules and path allowlists
 * depend on it), then the file's content, scanned from a heap buffer of
 * exactly its length.  The rules are compiled once per process.
 */
#include "fuzz.h"

static const char *const paths[] = {
	"app/config.txt", ".env", "id_rsa", "config/secrets.yml", ".npmrc",
	".docker/config.json", "src/main.go", "package-lock.json",
	"test/fixtures/example.py", "Containerfile", "key.pem", "a.bin",
	".git-credentials", "settings.xml", "terraform.tfvars", "x.min.js",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_scan scan;
	struct ls_worker *w;
	struct ls_item it;
	char *buf;

	if (size < 1)
		return 0;
	fuzz_scan_init(&scan);
	w = ls_worker_new(&scan);
	memset(&it, 0, sizeof(it));
	it.source = LS_SOURCE_FILE;
	it.path = (char *)paths[data[0] % (sizeof(paths) / sizeof(paths[0]))];
	it.history_index = -1;
	/* an exact-length copy: data + 1 is not the start of a heap block */
	buf = ls_xmalloc(size - 1 ? size - 1 : 1);
	memcpy(buf, data + 1, size - 1);
	(void)ls_worker_scan_buffer(w, &it, buf, size - 1);
	ls_worker_free(w);
	/* a finding's secret is text of the file, unless it was decoded */
	for (size_t i = 0; i < scan.findings.n; i++) {
		const struct ls_finding *f = scan.findings.v[i];
		if (!f->rule)
			fuzz_die("finding without a rule");
		if (!f->decoded && f->secret_len &&
		    !memmem(buf, size - 1, f->secret, f->secret_len))
			fuzz_die("a secret that is not in the file");
		if (f->secret[f->secret_len] != '\0')
			fuzz_die("secret not NUL-terminated");
	}
	free(buf);
	ls_findings_sort(&scan.findings);
	fuzz_debug(&scan, it.path);
	ls_scan_release(&scan);
	return 0;
}
