/*
 * scan.h - one scan run: items in, findings and errors out.
 *
 * A `struct ls_scan` is the context of one run: the rule set (borrowed),
 * options, the findings list it owns, the errors met, and statistics.
 * Workers (one per thread) hold the per-thread scratch: a matcher and a
 * chunk buffer.  ls_scan_source() pulls items from a source on
 * `opts.threads` threads; ls_worker_scan() is the single-item pipeline
 * (chunks -> matcher -> findings) that sources with their own reading order
 * (an image archive) call directly.
 *
 * Findings are merged under a lock and sorted at the end, so the output
 * does not depend on the thread count.  Errors are plain messages
 * "name: problem", kept in the order they happened; the CLI prints them and
 * exits 2 when there is any.
 */
#ifndef LS_SCAN_SCAN_H
#define LS_SCAN_SCAN_H

#include <pthread.h>

#include "content/chunk.h"
#include "finding/finding.h"
#include "rules/match.h"
#include "rules/rules.h"
#include "source/source.h"

#define LS_THREADS_MAX 64

struct ls_scan_opts {
	unsigned threads;                  /* 0 = number of CPUs */
	unsigned long long max_file_size;  /* 0 = no limit */
};

struct ls_scan_stats {
	unsigned long long files;
	unsigned long long bytes;
	unsigned long long layers;         /* image layers read (images) */
};

struct ls_msgs {
	char **v;
	size_t n, alloc;
};

struct ls_scan {
	const struct ls_ruleset *rs;       /* borrowed */
	struct ls_scan_opts opts;
	struct ls_findings findings;
	struct ls_msgs errors;
	struct ls_msgs notes;              /* verbose-only information */
	struct ls_scan_stats stats;
	pthread_mutex_t lock;
};

void ls_scan_init(struct ls_scan *s, const struct ls_ruleset *rs,
		  const struct ls_scan_opts *opts);
void ls_scan_release(struct ls_scan *s);

/* Record an error / a note "name: message" (thread-safe). */
void ls_scan_error(struct ls_scan *s, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ls_scan_note(struct ls_scan *s, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ls_scan_error_err(struct ls_scan *s, const struct ls_err *err);

struct ls_worker;

struct ls_worker *ls_worker_new(struct ls_scan *s);
void ls_worker_free(struct ls_worker *w);

/*
 * Scan one item's bytes from `r`.  Findings go to the scan; problems are
 * recorded as scan errors.  Returns 0, or a negative code if the item could
 * not be read to the end.
 */
int ls_worker_scan(struct ls_worker *w, const struct ls_item *it,
		   struct ls_reader *r);

/* The same for bytes already in memory. */
int ls_worker_scan_buffer(struct ls_worker *w, const struct ls_item *it,
			  const char *buf, size_t len);

/* Pull every item of `src` through the pipeline on opts.threads threads. */
int ls_scan_source(struct ls_scan *s, struct ls_source *src);

/* Resolve opts.threads = 0 to the CPU count (capped). */
unsigned ls_scan_threads(const struct ls_scan_opts *opts);

#endif
