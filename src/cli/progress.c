/*
 * progress.c - a progress line on standard error while a scan runs.
 *
 * Only when standard error is a terminal, not with --quiet, and only once
 * the scan has run for a second: short scans print nothing.  A thread
 * redraws the line four times a second from the scan's statistics (read
 * under the scan's lock) and clears it when the scan ends.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/xalloc.h"

struct ls_progress {
	struct ls_scan *scan;
	pthread_t th;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stop, shown;
};

static void *run(void *arg)
{
	struct ls_progress *p = arg;
	double t0 = ls_cli_now();
	struct timespec ts;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&p->cond, &p->lock, &ts);
		if (p->stop || ls_cli_now() - t0 < 1.0)
			continue;
		{
			struct ls_scan_stats st;
			pthread_mutex_lock(&p->scan->lock);
			st = p->scan->stats;
			pthread_mutex_unlock(&p->scan->lock);
			if (st.layers)
				fprintf(stderr, "\r\033[K%llu layers, %llu files, %.1f MB ...",
					st.layers, st.files, (double)st.bytes / 1e6);
			else
				fprintf(stderr, "\r\033[K%llu files, %.1f MB ...",
					st.files, (double)st.bytes / 1e6);
			p->shown = 1;
		}
	}
	if (p->shown)
		fputs("\r\033[K", stderr);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct ls_progress *ls_cli_progress_start(const struct ls_opts *o,
					  struct ls_scan *scan)
{
	struct ls_progress *p;

	if (o->quiet || !isatty(STDERR_FILENO) || getenv("CI"))
		return NULL;
	p = ls_xcalloc(1, sizeof(*p));
	p->scan = scan;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	if (pthread_create(&p->th, NULL, run, p)) {
		free(p);
		return NULL;
	}
	return p;
}

void ls_cli_progress_stop(struct ls_progress *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->th, NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p);
}
