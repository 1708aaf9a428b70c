/*
 * main.c - global options, the command table, and the exit status.
 *
 * Adding a subcommand:
 *   1. write cli/cmd_foo.c with `int cmd_foo(struct ls_opts *)` (declare it
 *      in cli/cli.h); it returns an LS_EXIT_* status;
 *   2. add a row to `commands[]` below, with its one-line summary and usage;
 *   3. document it in docs/cli.md (and docs/cli/foo.md for a big one);
 *   4. add an end-to-end test in tests/e2e/.
 * Options are global: they may stand before or after the subcommand.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "rules/prefilter.h"
#include "rules/rules.h"
#include "util/size.h"
#include "version.h"

struct command {
	const char *name;
	int (*fn)(struct ls_opts *);
	const char *summary;
	const char *usage;
};

static const struct command commands[] = {
	{ "context", cmd_context, "scan a build context directory",
	  "layerscan context [options] [DIR]\n"
	  "\n"
	  "Scan what `podman build DIR` would send: every regular file under DIR\n"
	  "(default .) that the build's ignore file keeps. Symbolic links are never\n"
	  "followed.\n"
	  "\n"
	  "  -f, --file FILE      the Containerfile, as given to `podman build -f`\n"
	  "                       (selects FILE.containerignore when it exists; without\n"
	  "                       -f, DIR/Containerfile, else DIR/Dockerfile, is FILE)\n"
	  "      --engine ENGINE  podman (default) or docker: whose ignore-file rules\n"
	  "      --all-files      also scan ignored files (reported 2 severities lower)\n"
	  "      --list-files     print the files the build would send, one per line\n"
	  "      --policy NAME    also check the Containerfile against a policy:\n"
	  "                       production or distroless (docs/policy.md)\n" },
	{ "image", cmd_image, "scan a saved container image",
	  "layerscan image [options] FILE|DIR|-|podman:NAME\n"
	  "\n"
	  "Scan every layer of a saved image, its config and its history.\n"
	  "FILE: `podman save` or `docker save` output (docker-archive or\n"
	  "oci-archive, optionally compressed as a whole); DIR: an oci-dir or\n"
	  "docker-dir layout; -: the same on standard input; podman:NAME: runs\n"
	  "`podman save NAME` into a pipe.\n"
	  "\n"
	  "  --base BASE            the image was built FROM BASE (a file, a layout\n"
	  "                         directory or podman:NAME; its layers must be the\n"
	  "                         image's first layers): findings in those layers\n"
	  "                         are the base's, reported at info with the base\n"
	  "                         named. Without --base, the base is what the image\n"
	  "                         names itself (org.opencontainers.image.base.name,\n"
	  "                         with buildah's history), else nothing; docs/image.md\n"
	  "  --include-base         findings in base layers keep their rules' severity\n"
	  "  --max-archive-depth N  archives inside layers are opened N deep (default 3)\n"
	  "  --policy NAME          also check the image against a policy: production,\n"
	  "                         or distroless (production plus no shell or package\n"
	  "                         manager); docs/policy.md\n"
	  "  --policy-user USER     the policy requires this user (UID or name)\n"
	  "  --max-size SIZE        the policy's size budget, uncompressed (500MB, 1GiB)\n" },
	{ "git", cmd_git, "scan a git repository's history or staged changes",
	  "layerscan git [options] [DIR]\n"
	  "\n"
	  "Scan every commit reachable from any ref of the repository at DIR\n"
	  "(default .; a work tree, a .git directory or a bare repository). Each\n"
	  "secret is reported once, at the commit that introduced it (docs/git.md).\n"
	  "\n"
	  "  --branch REF         only commits reachable from REF\n"
	  "  --range A..B         only commits in B and not in A (a push, a merge request)\n"
	  "  --since DATE         only commits since DATE (YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM])\n"
	  "  --max-commits N      only the newest N commits\n"
	  "  --staged             what is staged in the index against HEAD (pre-commit)\n" },
	{ "rules", cmd_rules, "list or check rules",
	  "layerscan rules list [--config FILE]\n"
	  "layerscan rules check [FILE]\n"
	  "\n"
	  "list   print each rule's id, severity and keywords\n"
	  "check  load FILE (default: the built-in rules), report every problem\n"
	  "       as file:line:column: message, and run the rules' examples.\n"
	  "       Exit 0 if all is well, 1 if examples fail, 2 on errors.\n" },
	{ "version", cmd_version, "print the version", "layerscan version\n" },
	{ "selftest", cmd_selftest, "scan a built-in canary (for health checks)",
	  "layerscan selftest\n"
	  "\n"
	  "Scan an in-memory text holding one planted fake token with the built-in\n"
	  "rules. Exit 0 only if exactly that token is found. Reads no files.\n" },
};

static const char global_usage[] =
	"usage: layerscan <command> [options] [args]\n"
	"       layerscan [options] IMAGE.tar     (same as: layerscan image IMAGE.tar)\n"
	"\n"
	"Find secrets in container build contexts, images and git history.\n"
	"\n"
	"commands:\n";

static const char options_help[] =
	"\n"
	"options:\n"
	"      --format FORMAT  report format: text (default), json, sarif, junit\n"
	"  -o, --output FILE    write the report to FILE instead of stdout\n"
	"  -c, --config FILE    rules file (gitleaks TOML schema); default: built-in rules\n"
	"      --no-redact      show secrets in full (redacted by default)\n"
	"  -q, --quiet          no summary line when there are no findings\n"
	"  -v, --verbose        also print notes and rule warnings\n"
	"  -j, --threads N      worker threads (default: number of CPUs)\n"
	"      --exit-code N    exit status when there are findings (default 1)\n"
	"      --fail-on SEV    exit 1 only for findings at or above SEV: info, low\n"
	"                       (default), medium, high, critical; lower ones are\n"
	"                       still reported\n"
	"      --min-severity SEV  leave findings below SEV out of the report\n"
	"      --allow-partial  errors (unreadable input, limits hit) are still\n"
	"                       reported, but the exit status is 0 or 1 by findings\n"
	"      --strict         content that could not be read inside readable input\n"
	"                       (an encrypted or damaged archive entry in a layer) is\n"
	"                       an error (exit 2), not a warning\n"
	"      --include-vendor files a package manager installed unchanged (dpkg,\n"
	"                       apk, wheel RECORD, npm lockfile) keep their rules'\n"
	"                       severity instead of info\n"
	"      --timeout TIME   stop after TIME (90, 90s, 5m, 1h) and report what\n"
	"                       was found so far, as an error; default: none\n"
	"      --color WHEN     auto (default), always, never; NO_COLOR is honoured\n"
	"      --baseline FILE  report only findings not in FILE (a JSON report)\n"
	"      --write-baseline FILE  also write this scan's JSON report to FILE\n"
	"      --ignore-file FILE  fingerprints to ignore (default: .layerscanignore\n"
	"                       and .gitleaksignore in the scanned directory)\n"
	"      --report-unused-ignores  warn about ignore entries that matched nothing\n"
	"  -h, --help           this help; `layerscan COMMAND --help` for a command\n"
	"\n"
	"limits (SIZE: bytes, or with a unit: 64KiB 100MiB 2GiB 500MB; 0 = none;\n"
	"hitting one is an error naming the item, see docs/limits.md):\n"
	"      --max-file-size SIZE    text files (default 256MiB; binary files\n"
	"                              over it are skipped as binary)\n"
	"      --max-layer-size SIZE   bytes inflated per image layer (64GiB)\n"
	"      --max-nested-size SIZE  per archive inside a layer (4GiB)\n"
	"      --max-ratio N           inflated:compressed, layers and nested (200)\n"
	"      --max-entries N         per layer, nested archive, context (1000000)\n"
	"      --max-path-length N     bytes of an entry's name (4096)\n"
	"      --max-json-size SIZE    image manifests and configs (16MiB, at most 1GiB)\n"
	"      --max-json-depth N      their nesting (64, at most 2048)\n"
	"      --max-findings N        findings kept per file (1000)\n"
	"\n"
	"exit status: 0 no findings, 1 findings, 2 usage or input error (also when\n"
	"a scan was incomplete). See docs/exit-codes.md.\n";

/* The keyword database compiled when layerscan was built (src/tools/hsdb.c). */
extern const unsigned char ls_saved_prefilter[];
extern const size_t ls_saved_prefilter_len;

int cmd_version(struct ls_opts *o)
{
	printf("layerscan %s\n", LS_VERSION);
	if (o->verbose) {
		struct ls_ruleset *rs = ls_ruleset_new();
		struct ls_diag d;
		const char *how = "?";

		printf("keyword prefilter: %s\n", ls_prefilter_describe());
		ls_diag_init(&d);
		if (!ls_ruleset_load_defaults(rs, &d) &&
		    !ls_ruleset_compile(rs, &d))
			how = strcmp(ls_prefilter_engine(rs->pf), "hyperscan") ?
			      "the DFA" : ls_prefilter_loaded_saved(rs->pf) ?
			      "the database saved at build time" :
			      "compiled at start";
		ls_diag_release(&d);
		ls_ruleset_free(rs);
		printf("default rules' keywords: %s\n", how);
	}
	return LS_EXIT_CLEAN;
}

static void print_usage(FILE *out)
{
	fputs(global_usage, out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fputs(options_help, out);
}

static int parse_uint(const char *s, unsigned long long max,
		      unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!s[0] || s[0] == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * A limit's value: a size (ls_size_parse) or a count.  0 means no limit
 * (LS_LIMIT_NONE) unless `max` is given (then 1..max).
 */
static int parse_limit(const char *opt, const char *s, int size,
		       unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	char buf[LS_SIZE_BUF];
	int bad = size ? ls_size_parse(s, &v) : parse_uint(s, ~0ull, &v);

	if (!bad && max && (!v || v > max))
		bad = 1;
	if (bad) {
		if (max && size)
			ls_cli_error("%s wants a size from 1 byte to %s (like 16MiB), not '%s'",
				     opt, ls_size_format(buf, sizeof(buf), max), s);
		else if (max)
			ls_cli_error("%s wants a number from 1 to %llu, not '%s'",
				     opt, max, s);
		else if (size)
			ls_cli_error("%s wants a size (bytes, or like 64KiB, 100MiB, 2GiB, 500MB; 0 = no limit), not '%s'",
				     opt, s);
		else
			ls_cli_error("%s wants a number (0 = no limit), not '%s'",
				     opt, s);
		return -1;
	}
	*out = v ? v : LS_LIMIT_NONE;
	return 0;
}

/* --timeout: seconds, or N followed by s, m or h; 0 = none. */
static int parse_duration(const char *s, double *out)
{
	unsigned long long v;
	char *end;
	double mul = 1;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || v > 1000000000ull)
		return -1;
	if (!strcmp(end, "m"))
		mul = 60;
	else if (!strcmp(end, "h"))
		mul = 3600;
	else if (*end && strcmp(end, "s"))
		return -1;
	*out = (double)v * mul;
	return 0;
}

enum {
	OPT_NO_REDACT = 256,
	OPT_EXIT_CODE,
	OPT_MAX_FILE_SIZE,
	OPT_COLOR,
	OPT_LIST_FILES,
	OPT_MAX_ARCHIVE_DEPTH,
	OPT_FORMAT,
	OPT_BASELINE,
	OPT_WRITE_BASELINE,
	OPT_IGNORE_FILE,
	OPT_REPORT_UNUSED,
	OPT_ENGINE,
	OPT_ALL_FILES,
	OPT_GIT_BRANCH,
	OPT_GIT_RANGE,
	OPT_GIT_SINCE,
	OPT_GIT_MAX_COMMITS,
	OPT_GIT_STAGED,
	OPT_POLICY,
	OPT_POLICY_USER,
	OPT_MAX_SIZE,
	OPT_MAX_LAYER_SIZE,
	OPT_MAX_NESTED_SIZE,
	OPT_MAX_RATIO,
	OPT_MAX_ENTRIES,
	OPT_MAX_FINDINGS,
	OPT_MAX_PATH_LENGTH,
	OPT_MAX_JSON_SIZE,
	OPT_MAX_JSON_DEPTH,
	OPT_TIMEOUT,
	OPT_ALLOW_PARTIAL,
	OPT_STRICT,
	OPT_INCLUDE_VENDOR,
	OPT_FAIL_ON,
	OPT_MIN_SEVERITY,
	OPT_BASE,
	OPT_INCLUDE_BASE,
};

static const struct option longopts[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "write-baseline", required_argument, NULL, OPT_WRITE_BASELINE },
	{ "ignore-file", required_argument, NULL, OPT_IGNORE_FILE },
	{ "report-unused-ignores", no_argument, NULL, OPT_REPORT_UNUSED },
	{ "file", required_argument, NULL, 'f' },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "all-files", no_argument, NULL, OPT_ALL_FILES },
	{ "output", required_argument, NULL, 'o' },
	{ "config", required_argument, NULL, 'c' },
	{ "no-redact", no_argument, NULL, OPT_NO_REDACT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "threads", required_argument, NULL, 'j' },
	{ "exit-code", required_argument, NULL, OPT_EXIT_CODE },
	{ "max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "list-files", no_argument, NULL, OPT_LIST_FILES },
	{ "max-archive-depth", required_argument, NULL, OPT_MAX_ARCHIVE_DEPTH },
	{ "branch", required_argument, NULL, OPT_GIT_BRANCH },
	{ "range", required_argument, NULL, OPT_GIT_RANGE },
	{ "since", required_argument, NULL, OPT_GIT_SINCE },
	{ "max-commits", required_argument, NULL, OPT_GIT_MAX_COMMITS },
	{ "staged", no_argument, NULL, OPT_GIT_STAGED },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "policy-user", required_argument, NULL, OPT_POLICY_USER },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "max-layer-size", required_argument, NULL, OPT_MAX_LAYER_SIZE },
	{ "max-nested-size", required_argument, NULL, OPT_MAX_NESTED_SIZE },
	{ "max-ratio", required_argument, NULL, OPT_MAX_RATIO },
	{ "max-entries", required_argument, NULL, OPT_MAX_ENTRIES },
	{ "max-findings", required_argument, NULL, OPT_MAX_FINDINGS },
	{ "max-path-length", required_argument, NULL, OPT_MAX_PATH_LENGTH },
	{ "max-json-size", required_argument, NULL, OPT_MAX_JSON_SIZE },
	{ "max-json-depth", required_argument, NULL, OPT_MAX_JSON_DEPTH },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "allow-partial", no_argument, NULL, OPT_ALLOW_PARTIAL },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "include-vendor", no_argument, NULL, OPT_INCLUDE_VENDOR },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "min-severity", required_argument, NULL, OPT_MIN_SEVERITY },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "include-base", no_argument, NULL, OPT_INCLUDE_BASE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse(int argc, char **argv, struct ls_opts *o)
{
	int c;
	unsigned long long v;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:c:qvj:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->containerfile = optarg;
			break;
		case OPT_ENGINE:
			if (!strcmp(optarg, "podman"))
				o->engine = LS_ENGINE_PODMAN;
			else if (!strcmp(optarg, "docker"))
				o->engine = LS_ENGINE_DOCKER;
			else {
				ls_cli_error("--engine wants podman or docker, not '%s'",
					     optarg);
				return -1;
			}
			break;
		case OPT_ALL_FILES:
			o->all_files = 1;
			break;
		case OPT_POLICY:
			if (ls_policy_parse_sets(optarg, &o->policy.sets)) {
				ls_cli_error("--policy wants production or distroless, not '%s'",
					     optarg);
				return -1;
			}
			break;
		case OPT_POLICY_USER:
			if (!optarg[0] || strchr(optarg, ':')) {
				ls_cli_error("--policy-user wants a user name or UID, not '%s'",
					     optarg);
				return -1;
			}
			o->policy.user = optarg;
			break;
		case OPT_MAX_SIZE:
			if (ls_size_parse(optarg, &o->policy.max_size) ||
			    !o->policy.max_size) {
				ls_cli_error("--max-size wants a size such as 500MB or 1GiB, not '%s'",
					     optarg);
				return -1;
			}
			break;
		case OPT_BASELINE:
			o->baseline = optarg;
			break;
		case OPT_WRITE_BASELINE:
			o->write_baseline = optarg;
			break;
		case OPT_IGNORE_FILE:
			o->ignore_file = optarg;
			break;
		case OPT_REPORT_UNUSED:
			o->report_unused_ignores = 1;
			break;
		case OPT_FORMAT:
			if (!ls_reporter_find(optarg)) {
				ls_cli_error("unknown format '%s' (use %s)", optarg,
					     ls_reporter_names());
				return -1;
			}
			o->format = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'c':
			o->config = optarg;
			break;
		case OPT_NO_REDACT:
			o->no_redact = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'j':
			if (parse_uint(optarg, LS_THREADS_MAX, &v) || !v) {
				ls_cli_error("--threads wants a number from 1 to %d, not '%s'",
					     LS_THREADS_MAX, optarg);
				return -1;
			}
			o->threads = (unsigned)v;
			break;
		case OPT_EXIT_CODE:
			if (parse_uint(optarg, 255, &v)) {
				ls_cli_error("--exit-code wants a number from 0 to 255, not '%s'",
					     optarg);
				return -1;
			}
			o->exit_code = (int)v;
			break;
		case OPT_MAX_FILE_SIZE:
			if (parse_limit("--max-file-size", optarg, 1, 0,
					&o->limits.file_size))
				return -1;
			break;
		case OPT_MAX_LAYER_SIZE:
			if (parse_limit("--max-layer-size", optarg, 1, 0,
					&o->limits.layer_size))
				return -1;
			break;
		case OPT_MAX_NESTED_SIZE:
			if (parse_limit("--max-nested-size", optarg, 1, 0,
					&o->limits.nested_size))
				return -1;
			break;
		case OPT_MAX_RATIO:
			if (parse_limit("--max-ratio", optarg, 0, 0,
					&o->limits.ratio))
				return -1;
			break;
		case OPT_MAX_ENTRIES:
			if (parse_limit("--max-entries", optarg, 0, 0,
					&o->limits.entries))
				return -1;
			break;
		case OPT_MAX_FINDINGS:
			if (parse_limit("--max-findings", optarg, 0, 0,
					&o->limits.findings))
				return -1;
			break;
		case OPT_MAX_PATH_LENGTH:
			if (parse_limit("--max-path-length", optarg, 0, 0,
					&o->limits.path_length))
				return -1;
			break;
		case OPT_MAX_JSON_SIZE:
			if (parse_limit("--max-json-size", optarg, 1,
					LS_JSON_SIZE_HARD_MAX, &o->limits.json_size))
				return -1;
			break;
		case OPT_MAX_JSON_DEPTH:
			if (parse_limit("--max-json-depth", optarg, 0, 2048,
					&o->limits.json_depth))
				return -1;
			break;
		case OPT_TIMEOUT:
			if (parse_duration(optarg, &o->timeout)) {
				ls_cli_error("--timeout wants seconds, or a number with s, m or h (90, 90s, 5m, 1h; 0 = none), not '%s'",
					     optarg);
				return -1;
			}
			break;
		case OPT_ALLOW_PARTIAL:
			o->allow_partial = 1;
			break;
		case OPT_STRICT:
			o->strict = 1;
			break;
		case OPT_INCLUDE_VENDOR:
			o->include_vendor = 1;
			break;
		case OPT_FAIL_ON:
		case OPT_MIN_SEVERITY: {
			int sev = ls_severity_parse(optarg);
			if (sev < 0) {
				ls_cli_error("%s wants a severity (info, low, medium, high, critical), not '%s'",
					     c == OPT_FAIL_ON ? "--fail-on" : "--min-severity",
					     optarg);
				return -1;
			}
			if (c == OPT_FAIL_ON)
				o->fail_on = sev;
			else
				o->min_severity = sev;
			break;
		}
		case OPT_COLOR:
			if (!strcmp(optarg, "auto"))
				o->color = -1;
			else if (!strcmp(optarg, "always"))
				o->color = 1;
			else if (!strcmp(optarg, "never"))
				o->color = 0;
			else {
				ls_cli_error("--color wants auto, always or never, not '%s'",
					     optarg);
				return -1;
			}
			break;
		case OPT_LIST_FILES:
			o->list_files = 1;
			break;
		case OPT_MAX_ARCHIVE_DEPTH:
			if (parse_uint(optarg, 16, &v)) {
				ls_cli_error("--max-archive-depth wants a number from 0 to 16, not '%s'",
					     optarg);
				return -1;
			}
			o->max_archive_depth = (int)v;
			break;
		case OPT_GIT_BRANCH:
			o->git_branch = optarg;
			break;
		case OPT_GIT_RANGE:
			o->git_range = optarg;
			break;
		case OPT_GIT_SINCE:
			o->git_since = optarg;
			break;
		case OPT_GIT_MAX_COMMITS:
			if (parse_uint(optarg, ~0ul, &v) || !v) {
				ls_cli_error("--max-commits wants a positive number, not '%s'",
					     optarg);
				return -1;
			}
			o->git_max_commits = (unsigned long)v;
			break;
		case OPT_GIT_STAGED:
			o->git_staged = 1;
			break;
		case OPT_BASE:
			if (!optarg[0]) {
				ls_cli_error("--base wants an image: a file, a layout directory or podman:NAME");
				return -1;
			}
			o->base = optarg;
			break;
		case OPT_INCLUDE_BASE:
			o->include_base = 1;
			break;
		case 'h':
			o->help = 1;
			break;
		case ':':
			ls_cli_error("option '%s' needs a value", argv[optind - 1]);
			return -1;
		default:
			if (optopt)
				ls_cli_error("unknown option '-%c'", optopt);
			else
				ls_cli_error("unknown option '%s'", argv[optind - 1]);
			return -1;
		}
	}
	return optind;
}

/* `layerscan FILE` (an existing file, -, podman:NAME) means `image FILE`. */
static int looks_like_image(const char *arg)
{
	struct stat st;

	return !strcmp(arg, "-") || !strncmp(arg, "podman:", 7) ||
	       (!stat(arg, &st) && S_ISREG(st.st_mode));
}

int main(int argc, char **argv)
{
	struct ls_opts o;
	const struct command *cmd = NULL;
	int first;

	ls_prefilter_set_saved(ls_saved_prefilter, ls_saved_prefilter_len);
	memset(&o, 0, sizeof(o));
	o.format = "text";
	o.exit_code = LS_EXIT_FINDINGS;
	o.fail_on = o.min_severity = -1;
	o.color = -1;
	o.max_archive_depth = -1;
	first = parse(argc, argv, &o);
	if (first < 0) {
		fputs("usage: layerscan <command> [options] [args] (see layerscan --help)\n",
		      stderr);
		return LS_EXIT_ERROR;
	}
	if (first >= argc) {
		print_usage(o.help ? stdout : stderr);
		return o.help ? LS_EXIT_CLEAN : LS_EXIT_ERROR;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[first], commands[i].name))
			cmd = &commands[i];
	o.args = argv + first + 1;
	o.nargs = argc - first - 1;
	if (!cmd && looks_like_image(argv[first])) {
		cmd = &commands[1];
		o.args = argv + first;
		o.nargs = argc - first;
	}
	if (!cmd) {
		ls_cli_error("unknown command '%s' (see layerscan --help)",
			     argv[first]);
		return LS_EXIT_ERROR;
	}
	if (!o.policy.sets && (o.policy.user || o.policy.max_size)) {
		ls_cli_error("--policy-user and --max-size belong to a policy: add --policy production");
		return LS_EXIT_ERROR;
	}
	if (o.policy.sets && cmd->fn != cmd_image && cmd->fn != cmd_context) {
		ls_cli_error("--policy applies to the image and context commands, not '%s'",
			     cmd->name);
		return LS_EXIT_ERROR;
	}
	if (o.help) {
		fputs(cmd->usage, stdout);
		fputs(options_help, stdout);
		return LS_EXIT_CLEAN;
	}
	return cmd->fn(&o);
}
