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

/*
 * Limits on what hostile input can make a scan do (docs/limits.md).  Each
 * has a command-line flag.  In this struct 0 means "the default" (so a
 * zeroed struct is safe), and LS_LIMIT_NONE means no limit; the CLI maps
 * a user's 0 ("no limit") to LS_LIMIT_NONE.  ls_limits_resolve() fills in
 * the defaults.  Hitting a limit is a scan error for the item (exit 2),
 * never a silent skip: the message names the item, the limit and its flag.
 */
#define LS_LIMIT_NONE (~0ull)
#define LS_DEFAULT_FILE_SIZE (256ull << 20)    /* --max-file-size */
#define LS_DEFAULT_LAYER_SIZE (64ull << 30)    /* --max-layer-size */
#define LS_DEFAULT_NESTED_SIZE (4ull << 30)    /* --max-nested-size */
#define LS_DEFAULT_RATIO 200ull                /* --max-ratio */
#define LS_DEFAULT_ENTRIES 1000000ull          /* --max-entries */
#define LS_DEFAULT_PATH_LENGTH 4096ull         /* --max-path-length */
#define LS_DEFAULT_JSON_SIZE (16ull << 20)     /* --max-json-size */
#define LS_DEFAULT_JSON_DEPTH 64ull            /* --max-json-depth */
#define LS_DEFAULT_FINDINGS 1000ull            /* --max-findings */
/* JSON documents are held in memory: never more than this (nor deeper than
 * jansson's own JSON_PARSER_MAX_DEPTH, 2048) */
#define LS_JSON_SIZE_HARD_MAX (1ull << 30)
/* The ratio is judged only past these many inflated bytes: small archives
 * of zeros and sparse files compress far better than 200:1 and are fine. */
#define LS_RATIO_FLOOR_NESTED (64ull << 20)
#define LS_RATIO_FLOOR_LAYER (1ull << 30)

struct ls_limits {
	unsigned long long file_size;    /* bytes of one file (text; binary
					    files stop with a note) */
	unsigned long long layer_size;   /* bytes inflated per image layer */
	unsigned long long nested_size;  /* bytes inflated per nested archive */
	unsigned long long ratio;        /* inflated : compressed */
	unsigned long long entries;      /* per layer, nested archive, context */
	unsigned long long path_length;  /* bytes of an entry's name */
	unsigned long long json_size;    /* bytes of an image JSON document */
	unsigned long long json_depth;   /* nesting of an image JSON document */
	unsigned long long findings;     /* findings kept per item (file,
					    config field, commit patch) */
};

/* Replace 0 fields by the defaults above. */
void ls_limits_resolve(struct ls_limits *l);

struct ls_scan_opts {
	unsigned threads;                  /* 0 = number of CPUs */
	struct ls_limits limits;           /* resolved by ls_scan_init */
	double deadline;                   /* --timeout: ls_scan_now() value
					      at which to stop; 0 = none */
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
	struct ls_msgs errors;             /* the scan is incomplete: exit 2 */
	/*
	 * Content that could not be read inside input that could (an
	 * encrypted or damaged archive entry inside a layer, an unsupported
	 * compression there): reported, but the exit status stays 0/1
	 * unless --strict makes them errors.
	 */
	struct ls_msgs warnings;
	struct ls_msgs notes;              /* verbose-only information */
	struct ls_scan_stats stats;
	pthread_mutex_t lock;
	/*
	 * The deadline passed: every loop stops at its next check and the
	 * findings so far are reported.  Set once, on `root` (the run's scan;
	 * an image layer task's own scan points to it).
	 */
	int expired;
	struct ls_scan *root;
};

void ls_scan_init(struct ls_scan *s, const struct ls_ruleset *rs,
		  const struct ls_scan_opts *opts);
void ls_scan_release(struct ls_scan *s);

/* Record an error / a note / a warning "name: message" (thread-safe). */
void ls_scan_error(struct ls_scan *s, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ls_scan_note(struct ls_scan *s, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ls_scan_warning(struct ls_scan *s, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Drop the warnings recorded so far (after --strict copied them). */
void ls_scan_clear_warnings(struct ls_scan *s);
void ls_scan_error_err(struct ls_scan *s, const struct ls_err *err);
void ls_scan_warning_err(struct ls_scan *s, const struct ls_err *err);

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

/* ls_matcher_path_sig() with the worker's matcher, then one byte more: the
 * path's place (finding/place.h), which the rankings of findings read. */
size_t ls_worker_path_sig(struct ls_worker *w, const char *path,
			  unsigned char *out, size_t cap);

/* ls_matcher_content_hits() of the worker's matcher. */
size_t ls_worker_content_hits(const struct ls_worker *w);

/*
 * 1 if the scan must stop: opts.deadline has passed (checked against the
 * clock, cheap enough for every chunk or archive entry).  The first caller
 * to see it sets root->expired; the CLI reports it once.
 */
int ls_scan_expired(struct ls_scan *s);

/* Seconds on the monotonic clock (the base of opts.deadline). */
double ls_scan_now(void);

/* Pull every item of `src` through the pipeline on opts.threads threads. */
int ls_scan_source(struct ls_scan *s, struct ls_source *src);

/* Resolve opts.threads = 0 to the CPU count (capped). */
unsigned ls_scan_threads(const struct ls_scan_opts *opts);

#endif
