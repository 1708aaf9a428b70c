/*
 * test_prefilter.c - unit tests for the keyword prefilter.
 *
 * Every test runs twice: with the engine the build chose (Hyperscan when
 * layerscan is built with it) and with the DFA (ls_prefilter_use_dfa()).
 *
 * Each test collects the (rule, start, len) triples the prefilter reports
 * and compares them, as a sorted set, with what a test expects; the last
 * test compares with a naive search over random buffers.  Buffers are heap
 * copies of exactly their length so a read past the end is caught.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/prefilter.h"
#include "util/xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct hit {
	unsigned rule;
	size_t start, len;
};

struct hits {
	struct hit *v;
	size_t n, alloc;
	size_t last_end;      /* to check hits come in end order */
	int out_of_order;
};

static void on_hit(void *ud, unsigned rule, size_t start, size_t len)
{
	struct hits *h = ud;

	if (start + len < h->last_end)
		h->out_of_order = 1;
	h->last_end = start + len;
	LS_ALLOC_GROW(h->v, h->n + 1, h->alloc);
	h->v[h->n].rule = rule;
	h->v[h->n].start = start;
	h->v[h->n].len = len;
	h->n++;
}

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return 0;
}

/* Sort and drop exact duplicates. */
static void hits_normalize(struct hits *h)
{
	size_t o = 0;

	if (h->n)
		qsort(h->v, h->n, sizeof(h->v[0]), cmp_hit);
	for (size_t i = 0; i < h->n; i++)
		if (!o || cmp_hit(&h->v[o - 1], &h->v[i]))
			h->v[o++] = h->v[i];
	h->n = o;
}

/* Scan an exact-size copy of buf; hits are sorted (duplicates kept). */
static void scan(const struct ls_prefilter *pf, const void *buf, size_t len,
		 struct hits *h)
{
	unsigned char *copy = ls_xmalloc(len ? len : 1);

	struct ls_prefilter_scratch *s = ls_prefilter_scratch_new(pf);

	memset(h, 0, sizeof(*h));
	memcpy(copy, buf, len);
	ls_prefilter_scan(pf, s, copy, len, on_hit, h);
	ls_prefilter_scratch_free(s);
	free(copy);
	assert_false(h->out_of_order);
	if (h->n)
		qsort(h->v, h->n, sizeof(h->v[0]), cmp_hit);
}

struct kw {
	const char *s;
	unsigned rule;
};

/* The engine of this round: 0 the build's choice, 1 the DFA. */
static int use_dfa;

static struct ls_prefilter *new_pf(void)
{
	struct ls_prefilter *pf = ls_prefilter_new();

	if (use_dfa)
		ls_prefilter_use_dfa(pf);
	return pf;
}

static int round_default(void **state)
{
	(void)state;
	use_dfa = 0;
	return 0;
}

static int round_dfa(void **state)
{
	(void)state;
	use_dfa = 1;
	return 0;
}

static struct ls_prefilter *build(const struct kw *kws, size_t n)
{
	struct ls_prefilter *pf = new_pf();

	for (size_t i = 0; i < n; i++)
		ls_prefilter_add(pf, kws[i].s, strlen(kws[i].s), kws[i].rule);
	ls_prefilter_build(pf);
	return pf;
}

/* Expect exactly `want` (sorted by start, len, rule). */
static void expect_hits(const struct hits *got, const struct hit *want,
			size_t nwant)
{
	size_t i;

	for (i = 0; i < got->n && i < nwant; i++)
		if (cmp_hit(&got->v[i], &want[i]))
			break;
	if (i == got->n && i == nwant)
		return;
	for (size_t k = 0; k < got->n; k++)
		print_message("got  rule %u start %zu len %zu\n",
			      got->v[k].rule, got->v[k].start, got->v[k].len);
	for (size_t k = 0; k < nwant; k++)
		print_message("want rule %u start %zu len %zu\n", want[k].rule,
			      want[k].start, want[k].len);
	fail_msg("hits differ at index %zu", i);
}

/* ---- tests ---- */

static void test_case_insensitive_offsets(void **state)
{
	static const struct kw kws[] = {
		{ "ghp_", 0 },
		{ "Password", 1 },   /* keywords are lowercased when added */
	};
	/*         0         1         2         3         4
	 *         0123456789012345678901234567890123456789012345 */
	const char buf[] = "xx GHP_abc PASSWORD=1 password PaSsWoRd ghp_";
	static const struct hit want[] = {
		{ 0, 3, 4 },
		{ 1, 11, 8 },
		{ 1, 22, 8 },
		{ 1, 31, 8 },
		{ 0, 40, 4 },
	};
	struct ls_prefilter *pf = build(kws, ARRAY_SIZE(kws));
	struct hits h;

	(void)state;
	scan(pf, buf, strlen(buf), &h);
	expect_hits(&h, want, ARRAY_SIZE(want));
	free(h.v);
	/* a keyword cut by the end of the buffer is not reported */
	scan(pf, "xx ghp", 6, &h);
	assert_int_equal(h.n, 0);
	free(h.v);
	ls_prefilter_free(pf);
}

static void test_overlapping_keywords(void **state)
{
	static const struct kw kws[] = {
		{ "key", 0 },
		{ "apikey", 1 },
		{ "api_key", 2 },
	};
	/*                  0         1         2
	 *                  0123456789012345678901234 */
	const char buf[] = "my_APIKEY=1 api_key=2 key";
	static const struct hit want[] = {
		{ 1, 3, 6 },    /* APIKEY */
		{ 0, 6, 3 },    /* its KEY */
		{ 2, 12, 7 },   /* api_key */
		{ 0, 16, 3 },   /* its key */
		{ 0, 22, 3 },
	};
	struct ls_prefilter *pf = build(kws, ARRAY_SIZE(kws));
	struct hits h;

	(void)state;
	scan(pf, buf, strlen(buf), &h);
	expect_hits(&h, want, ARRAY_SIZE(want));
	free(h.v);
	ls_prefilter_free(pf);
}

/* Suffix and prefix relations, and repeats that overlap themselves. */
static void test_suffix_prefix_and_self_overlap(void **state)
{
	static const struct kw kws[] = {
		{ "api_token", 0 },
		{ "token", 1 },      /* suffix of api_token */
		{ "gh", 2 },
		{ "ghp_", 3 },       /* gh is a prefix of it */
		{ "aa", 4 },
	};
	/*                  0         1         2
	 *                  01234567890123456789012 */
	const char buf[] = "API_TOKEN ghp_ gh aaaa";
	static const struct hit want[] = {
		{ 0, 0, 9 },
		{ 1, 4, 5 },
		{ 2, 10, 2 },
		{ 3, 10, 4 },
		{ 2, 15, 2 },
		{ 4, 18, 2 },
		{ 4, 19, 2 },
		{ 4, 20, 2 },
	};
	struct ls_prefilter *pf = build(kws, ARRAY_SIZE(kws));
	struct hits h;

	(void)state;
	scan(pf, buf, strlen(buf), &h);
	expect_hits(&h, want, ARRAY_SIZE(want));
	free(h.v);
	ls_prefilter_free(pf);
}

static void test_same_keyword_several_rules(void **state)
{
	static const struct kw kws[] = {
		{ "aws", 3 },
		{ "AWS", 7 },     /* same keyword, another rule */
		{ "aws", 3 },     /* same keyword, same rule: reported once */
		{ "akia", 3 },
	};
	const char buf[] = "Aws AKIA";
	static const struct hit want[] = {
		{ 3, 0, 3 },
		{ 7, 0, 3 },
		{ 3, 4, 4 },
	};
	struct ls_prefilter *pf = build(kws, ARRAY_SIZE(kws));
	struct hits h;

	(void)state;
	scan(pf, buf, strlen(buf), &h);
	expect_hits(&h, want, ARRAY_SIZE(want));
	free(h.v);
	ls_prefilter_free(pf);
}

/* Only A-Z fold; NUL and high bytes are ordinary bytes. */
static void test_binary_bytes(void **state)
{
	struct ls_prefilter *pf = new_pf();
	/* keywords: "\xc3\xa9t\xc3\xa9", "a\0b", "`x" */
	static const char k0[] = "\xc3\xa9t\xc3\xa9";
	static const char k1[] = { 'a', '\0', 'b' };
	static const char k2[] = "`x";
	/* buf: positions noted below */
	static const char buf[] = {
		'\0', '\0', (char)0xc3, (char)0xa9, 'T', (char)0xc3,
		(char)0xa9,                         /* 2: k0, T folds */
		(char)0xc3, (char)0x89, 't', (char)0xc3, (char)0x89,
		/* 7: "ÉtÉ": 0x89 is not 0xa9 (no folding above ASCII) */
		'A', '\0', 'B',                     /* 12: k1 */
		'a', '\0', '\0', 'b',               /* 15: not k1 */
		'@', 'X',                           /* 19: '@' is not '`' */
		'`', 'X',                           /* 21: k2 */
		(char)0xe0, (char)0xd8,             /* 0xc0+: no folding */
		(char)0xff, (char)0x80, '\0',
	};
	static const struct hit want[] = {
		{ 0, 2, 5 },
		{ 1, 12, 3 },
		{ 2, 21, 2 },
	};
	struct hits h;

	(void)state;
	ls_prefilter_add(pf, k0, sizeof(k0) - 1, 0);
	ls_prefilter_add(pf, k1, sizeof(k1), 1);
	ls_prefilter_add(pf, k2, sizeof(k2) - 1, 2);
	ls_prefilter_build(pf);
	scan(pf, buf, sizeof(buf), &h);
	expect_hits(&h, want, ARRAY_SIZE(want));
	free(h.v);
	ls_prefilter_free(pf);
}

/* Keyword bytes that differ only above 0x7f or by the 0x20 bit. */
static void test_no_folding_outside_ascii_letters(void **state)
{
	/* 0xc1 is 'A' | 0x80; 0xe1 is 'a' | 0x80 */
	static const struct kw kws[] = {
		{ "\xe1\xe2", 0 },
		{ "[", 1 },       /* 0x5b; '{' is 0x7b */
	};
	const char buf[] = "\xc1\xc2 \xe1\xe2 { [";
	static const struct hit want[] = {
		{ 0, 3, 2 },
		{ 1, 8, 1 },
	};
	struct ls_prefilter *pf = build(kws, ARRAY_SIZE(kws));
	struct hits h;

	(void)state;
	scan(pf, buf, strlen(buf), &h);
	expect_hits(&h, want, ARRAY_SIZE(want));
	free(h.v);
	ls_prefilter_free(pf);
}

static void test_empty_prefilter(void **state)
{
	struct ls_prefilter *pf;
	struct hits h;

	(void)state;
	/* freed without a build */
	pf = new_pf();
	ls_prefilter_add(pf, "x", 1, 0);
	ls_prefilter_free(pf);
	ls_prefilter_free(NULL);

	/* built with nothing */
	pf = new_pf();
	ls_prefilter_build(pf);
	if (use_dfa)
		assert_int_equal(ls_prefilter_states(pf), 1);
	scan(pf, "anything at all", 15, &h);
	assert_int_equal(h.n, 0);
	free(h.v);
	ls_prefilter_free(pf);

	/* an empty keyword is ignored */
	pf = new_pf();
	ls_prefilter_add(pf, "", 0, 0);
	ls_prefilter_build(pf);
	scan(pf, "abc", 3, &h);
	assert_int_equal(h.n, 0);
	free(h.v);
	ls_prefilter_free(pf);

	/* an empty buffer */
	pf = new_pf();
	ls_prefilter_add(pf, "a", 1, 0);
	ls_prefilter_build(pf);
	if (use_dfa) {
		assert_int_equal(ls_prefilter_states(pf), 2);
		assert_string_equal(ls_prefilter_engine(pf), "dfa");
	}
#ifdef LS_HAVE_HYPERSCAN
	/* built with Hyperscan: the first round must have used it */
	if (!use_dfa && !getenv("LAYERSCAN_PREFILTER"))
		assert_string_equal(ls_prefilter_engine(pf), "hyperscan");
#endif
	scan(pf, "", 0, &h);
	assert_int_equal(h.n, 0);
	free(h.v);
	ls_prefilter_free(pf);
}

/* ---- compared with a naive search ---- */

static unsigned rnd_state;

static unsigned rnd(void)
{
	/* xorshift32, fixed seed per test */
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Every occurrence of every keyword, by memmem on lowercased copies. */
static void naive(const unsigned char *buf, size_t len,
		  unsigned char kws[][8], const size_t *kwlen,
		  const unsigned *rules, size_t nkw, struct hits *h)
{
	unsigned char *low = ls_xmalloc(len ? len : 1);

	memset(h, 0, sizeof(*h));
	for (size_t i = 0; i < len; i++)
		low[i] = lower(buf[i]);
	for (size_t k = 0; k < nkw; k++) {
		unsigned char kl[8];
		size_t off = 0;
		for (size_t i = 0; i < kwlen[k]; i++)
			kl[i] = lower(kws[k][i]);
		while (off < len) {
			const unsigned char *p = memmem(low + off, len - off, kl,
							kwlen[k]);
			if (!p)
				break;
			LS_ALLOC_GROW(h->v, h->n + 1, h->alloc);
			h->v[h->n].rule = rules[k];
			h->v[h->n].start = (size_t)(p - low);
			h->v[h->n].len = kwlen[k];
			h->n++;
			off = (size_t)(p - low) + 1;
		}
	}
	free(low);
	hits_normalize(h);
}

static void random_compare(unsigned seed, const char *alphabet, size_t nalpha,
			   size_t nkw, size_t nbuf, size_t maxlen)
{
	unsigned char (*kws)[8] = ls_xcalloc(nkw, sizeof(*kws));
	size_t *kwlen = ls_xcalloc(nkw, sizeof(size_t));
	unsigned *rules = ls_xcalloc(nkw, sizeof(unsigned));
	struct ls_prefilter *pf = new_pf();
	size_t total = 0;

	rnd_state = seed;
	for (size_t k = 0; k < nkw; k++) {
		kwlen[k] = 1 + rnd() % 6;
		for (size_t i = 0; i < kwlen[k]; i++)
			kws[k][i] = (unsigned char)alphabet[rnd() % nalpha];
		rules[k] = rnd() % 40;
		ls_prefilter_add(pf, (const char *)kws[k], kwlen[k], rules[k]);
	}
	ls_prefilter_build(pf);
	for (size_t b = 0; b < nbuf; b++) {
		size_t len = rnd() % maxlen;
		unsigned char *buf = ls_xmalloc(len ? len : 1);
		struct hits got, want;

		for (size_t i = 0; i < len; i++)
			buf[i] = (unsigned char)alphabet[rnd() % nalpha];
		/* now and then, a byte from anywhere */
		for (size_t i = 0; i < len / 16; i++)
			buf[rnd() % len] = (unsigned char)rnd();
		scan(pf, buf, len, &got);
		naive(buf, len, kws, kwlen, rules, nkw, &want);
		/* duplicates only when one rule has one keyword twice */
		hits_normalize(&got);
		if (got.n != want.n)
			fail_msg("seed %u buffer %zu (len %zu): %zu hits, naive %zu",
				 seed, b, len, got.n, want.n);
		expect_hits(&got, want.v, want.n);
		total += got.n;
		free(got.v);
		free(want.v);
		free(buf);
	}
	/* the comparison must have compared something */
	assert_true(total > nbuf);
	ls_prefilter_free(pf);
	free(kws);
	free(kwlen);
	free(rules);
}

static void test_random_vs_naive_small_alphabet(void **state)
{
	/* few symbols: many overlapping hits and deep failure chains */
	static const char alpha[] = "abAB_\0\xff";

	(void)state;
	random_compare(0x12345678u, alpha, sizeof(alpha) - 1, 200, 60, 3000);
}

static void test_random_vs_naive_wide_alphabet(void **state)
{
	char alpha[200];

	(void)state;
	/* every byte value 0x00-0xc7: many byte classes */
	for (size_t i = 0; i < sizeof(alpha); i++)
		alpha[i] = (char)i;
	random_compare(0xdeadbeefu, alpha, sizeof(alpha), 220, 40, 20000);
}

/*
 * Exactly the keyword multiset: a hit count check against duplicate
 * reports (the DFA merges failure-chain outputs; each must appear once).
 */
static void test_no_duplicate_reports(void **state)
{
	static const struct kw kws[] = {
		{ "a", 0 }, { "aa", 0 }, { "aaa", 0 }, { "aaaa", 0 },
		{ "a", 1 },
	};
	struct ls_prefilter *pf = build(kws, ARRAY_SIZE(kws));
	struct hits h;
	size_t n = 10;

	(void)state;
	scan(pf, "aaaaaaaaaa", n, &h);
	/* rule 0: n + (n-1) + (n-2) + (n-3); rule 1: n */
	assert_int_equal(h.n, n + (n - 1) + (n - 2) + (n - 3) + n);
	free(h.v);
	ls_prefilter_free(pf);
}

/*
 * A database saved from one build is loaded by a build with the same
 * keywords (also added for other rules and in another order: the key is the
 * distinct keyword set) and gives the same hits; a build with one keyword
 * more compiles its own.  Where Hyperscan does not run (the DFA round, a
 * CPU without it, valgrind's) nothing is saved and nothing is loaded.
 */
static void test_saved_database(void **state)
{
	static const struct kw kws[] = {
		{ "password", 0 }, { "ghp_", 1 }, { "token", 2 }, { "\ndata:\n", 3 },
	};
	static const struct kw same[] = {
		{ "\nDATA:\n", 0 }, { "token", 0 }, { "password", 2 },
		{ "GHP_", 1 }, { "token", 3 },
	};
	static const struct kw more[] = {
		{ "password", 0 }, { "ghp_", 1 }, { "token", 2 }, { "\ndata:\n", 3 },
		{ "secret", 4 },
	};
	const char *text = "x ghp_ password:\ndata:\n secret token";
	struct ls_prefilter *pf = build(kws, ARRAY_SIZE(kws)), *again, *other;
	unsigned char *blob = NULL;
	size_t len = 0;
	struct hits a, b;

	(void)state;
	if (ls_prefilter_save(pf, &blob, &len)) {
		assert_string_equal(ls_prefilter_engine(pf), "dfa");
		ls_prefilter_free(pf);
		return;
	}
	assert_string_equal(ls_prefilter_engine(pf), "hyperscan");
	assert_false(ls_prefilter_loaded_saved(pf));
	ls_prefilter_set_saved(blob, len);
	again = build(same, ARRAY_SIZE(same));
	other = build(more, ARRAY_SIZE(more));
	ls_prefilter_set_saved(NULL, 0);
	assert_true(ls_prefilter_loaded_saved(again));
	assert_false(ls_prefilter_loaded_saved(other));
	scan(pf, text, strlen(text), &a);
	/* the same places: `same` maps the keywords to other rules */
	scan(again, text, strlen(text), &b);
	assert_int_equal(a.n, 4);
	assert_int_equal(b.n, 5);   /* "token" twice: rules 0 and 3 */
	free(a.v);
	free(b.v);
	scan(other, text, strlen(text), &a);
	assert_int_equal(a.n, 5);
	free(a.v);
	/* a damaged blob is refused, not trusted */
	blob[len / 2] ^= 0x5a;
	blob[len - 1] ^= 0x5a;
	ls_prefilter_set_saved(blob, len);
	ls_prefilter_free(again);
	again = build(kws, ARRAY_SIZE(kws));
	ls_prefilter_set_saved(NULL, 0);
	assert_false(ls_prefilter_loaded_saved(again));
	scan(again, text, strlen(text), &b);
	assert_int_equal(b.n, 4);
	free(b.v);
	ls_prefilter_free(pf);
	ls_prefilter_free(again);
	ls_prefilter_free(other);
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_insensitive_offsets),
		cmocka_unit_test(test_overlapping_keywords),
		cmocka_unit_test(test_suffix_prefix_and_self_overlap),
		cmocka_unit_test(test_same_keyword_several_rules),
		cmocka_unit_test(test_binary_bytes),
		cmocka_unit_test(test_no_folding_outside_ascii_letters),
		cmocka_unit_test(test_empty_prefilter),
		cmocka_unit_test(test_random_vs_naive_small_alphabet),
		cmocka_unit_test(test_random_vs_naive_wide_alphabet),
		cmocka_unit_test(test_no_duplicate_reports),
		cmocka_unit_test(test_saved_database),
	};

	int failed;

	failed = cmocka_run_group_tests_name("default engine", tests,
					     round_default, NULL);
	failed += cmocka_run_group_tests_name("dfa", tests, round_dfa, NULL);
	return failed;
}
