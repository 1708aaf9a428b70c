/*
 * fuzz.h - shared helpers of the libFuzzer targets (tests/fuzz/fuzz_*.c).
 *
 * Each target is one translation unit that includes this header once.  The
 * default rule set is built on first use and kept for the whole process
 * (it stays reachable, so LeakSanitizer does not count it); everything a
 * run allocates is freed before the run returns.  Nothing is written to
 * disk: images are assembled in memory and handed over as memfds.
 */
#ifndef LS_FUZZ_H
#define LS_FUZZ_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rules/rules.h"
#include "scan/scan.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_die(const char *what)
{
	fprintf(stderr, "fuzz harness: %s\n", what);
	abort();
}

/* The built-in rules, compiled once; aborts if they do not load. */
static inline const struct ls_ruleset *fuzz_default_rules(void)
{
	static struct ls_ruleset *rs;
	struct ls_diag d;

	if (rs)
		return rs;
	rs = ls_ruleset_new();
	ls_diag_init(&d);
	if (ls_ruleset_load_defaults(rs, &d) || ls_diag_errors(&d))
		fuzz_die("default rules do not load");
	ls_ruleset_compile(rs, NULL);
	ls_diag_release(&d);
	return rs;
}

/* A one-thread scan with the default rules. */
static inline void fuzz_scan_init(struct ls_scan *s)
{
	struct ls_scan_opts o = { .threads = 1 };

	ls_scan_init(s, fuzz_default_rules(), &o);
}

/*
 * With FUZZ_DEBUG set in the environment: print what a scan found, to
 * check by hand that a seed reaches what it should (never while fuzzing).
 */
static inline void fuzz_debug(const struct ls_scan *s, const char *what)
{
	static int on = -1;

	if (on < 0)
		on = getenv("FUZZ_DEBUG") != NULL;
	if (!on)
		return;
	fprintf(stderr, "%s: %zu findings, %zu errors\n", what, s->findings.n,
		s->errors.n);
	for (size_t i = 0; i < s->findings.n; i++)
		fprintf(stderr, "  %s %s:%lu layer %d\n", s->findings.v[i]->rule->id,
			s->findings.v[i]->path, s->findings.v[i]->line,
			s->findings.v[i]->layer ? s->findings.v[i]->layer->index : -1);
	for (size_t i = 0; i < s->errors.n; i++)
		fprintf(stderr, "  error: %s\n", s->errors.v[i]);
}

/* A memfd holding `len` bytes, positioned at 0. */
static inline int fuzz_memfd(const void *data, size_t len)
{
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	const char *p = data;

	if (fd < 0)
		fuzz_die("memfd_create failed");
	while (len) {
		ssize_t k = write(fd, p, len);
		if (k <= 0)
			fuzz_die("write to memfd failed");
		p += k;
		len -= (size_t)k;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		fuzz_die("lseek on memfd failed");
	return fd;
}

/* A NUL-terminated heap copy of exactly `len` bytes plus the NUL. */
static inline char *fuzz_copy(const uint8_t *data, size_t len)
{
	char *p = ls_xmalloc(len + 1);

	if (len)
		memcpy(p, data, len);
	p[len] = '\0';
	return p;
}

#endif
