/*
 * test_memo.c - unit tests for the results memo's claims (src/scan/memo.c):
 * the first to ask for a key scans and holds the claim; another asking
 * without waiting is told it is busy; one that waits gets the result when
 * the claim ends, or the claim itself when the first gave up.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scan/memo.h"

static void key_of(unsigned char key[LS_MEMO_KEY], const char *s)
{
	ls_memo_key(key, s, strlen(s), 0);
}

static void test_claim_busy_hit(void **state)
{
	struct ls_memo *m = ls_memo_new(1 << 20);
	unsigned char k1[LS_MEMO_KEY], k2[LS_MEMO_KEY];
	const struct ls_memo_entry *e = (const void *)1;

	(void)state;
	key_of(k1, "first archive");
	key_of(k2, "second archive");
	/* same bytes, another depth: another key */
	ls_memo_key(k2, "first archive", 13, 1);
	assert_memory_not_equal(k1, k2, LS_MEMO_KEY);
	key_of(k2, "second archive");

	assert_int_equal(ls_memo_claim(m, k1, 0, &e), LS_MEMO_MINE);
	assert_null(e);
	/* someone else meets the same bytes meanwhile */
	assert_int_equal(ls_memo_claim(m, k1, 0, &e), LS_MEMO_BUSY);
	assert_null(e);
	/* other bytes are not held up */
	assert_int_equal(ls_memo_claim(m, k2, 0, &e), LS_MEMO_MINE);
	/* k1's scan is kept: the claim ends, later copies replay it */
	ls_memo_put(m, ls_memo_entry_new(k1, 0));
	assert_int_equal(ls_memo_claim(m, k1, 0, &e), LS_MEMO_HIT);
	assert_non_null(e);
	assert_memory_equal(e->key, k1, LS_MEMO_KEY);
	/* k2's scan is not kept (an error): the next copy scans again */
	ls_memo_unclaim(m, k2);
	assert_int_equal(ls_memo_claim(m, k2, 1, &e), LS_MEMO_MINE);
	ls_memo_unclaim(m, k2);
	ls_memo_free(m);
}

/* Over the budget: not kept, but the claim still ends. */
static void test_put_over_budget_ends_claim(void **state)
{
	struct ls_memo *m = ls_memo_new(1);
	unsigned char k[LS_MEMO_KEY];
	const struct ls_memo_entry *e;

	(void)state;
	key_of(k, "big");
	assert_int_equal(ls_memo_claim(m, k, 0, &e), LS_MEMO_MINE);
	ls_memo_put(m, ls_memo_entry_new(k, 0));
	assert_int_equal(ls_memo_claim(m, k, 0, &e), LS_MEMO_MINE);
	ls_memo_unclaim(m, k);
	ls_memo_free(m);
}

struct waiter {
	struct ls_memo *m;
	unsigned char key[LS_MEMO_KEY];
	int rc;
	const struct ls_memo_entry *e;
};

static void *wait_main(void *arg)
{
	struct waiter *w = arg;

	w->rc = ls_memo_claim(w->m, w->key, 1, &w->e);
	return NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Claim `name`, start a thread that waits for it, and end the claim after a
 * while: with a kept result (`keep`) or without.  Returns the waiter, whose
 * memo the caller frees.
 */
static struct waiter wait_while_claimed(const char *name, int keep)
{
	struct waiter w;
	pthread_t th;
	const struct ls_memo_entry *e;

	memset(&w, 0, sizeof(w));
	w.m = ls_memo_new(1 << 20);
	w.rc = -1;
	key_of(w.key, name);
	assert_int_equal(ls_memo_claim(w.m, w.key, 0, &e), LS_MEMO_MINE);
	assert_int_equal(pthread_create(&th, NULL, wait_main, &w), 0);
	sleep_ms(50);
	if (keep)
		ls_memo_put(w.m, ls_memo_entry_new(w.key, 0));
	else
		ls_memo_unclaim(w.m, w.key);
	assert_int_equal(pthread_join(th, NULL), 0);
	return w;
}

/* A waiting thread gets the result of the claim it waited for. */
static void test_wait_for_result(void **state)
{
	struct waiter w = wait_while_claimed("shared", 1);

	(void)state;
	assert_int_equal(w.rc, LS_MEMO_HIT);
	assert_non_null(w.e);
	ls_memo_free(w.m);
}

/* ... or the claim, when the first copy's result was not kept. */
static void test_wait_for_unclaim(void **state)
{
	struct waiter w = wait_while_claimed("broken", 0);
	const struct ls_memo_entry *e;

	(void)state;
	assert_int_equal(w.rc, LS_MEMO_MINE);
	assert_null(w.e);
	/* the waiter holds it now */
	assert_int_equal(ls_memo_claim(w.m, w.key, 0, &e), LS_MEMO_BUSY);
	ls_memo_unclaim(w.m, w.key);
	ls_memo_free(w.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_claim_busy_hit),
		cmocka_unit_test(test_put_over_budget_ends_claim),
		cmocka_unit_test(test_wait_for_result),
		cmocka_unit_test(test_wait_for_unclaim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
