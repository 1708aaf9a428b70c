/*
 * prefilter.c - keyword prefilter: Aho-Corasick compiled to a DFA.
 *
 * Why: running 150+ regexes over every byte costs well under 1 MB/s, while
 * only a tiny share of (file, rule) pairs contain the rule's keyword at all
 * (see docs/internals/matcher.md).  So one pass finds every keyword, and only
 * the rules whose keywords occur run their regex, on a window around the hit.
 *
 * How:
 * 1. Keywords are lowercased and inserted into a trie.  Each trie node
 *    that ends a keyword remembers (rule, keyword length) pairs.
 * 2. Bytes are mapped to classes: every distinct byte used in a keyword gets
 *    its own class, upper-case letters share their lower-case letter's
 *    class, and all other bytes share class 0.  A rule set with a few
 *    hundred keywords uses about 40 classes, so the DFA table stays small
 *    (states x classes x 4 bytes) and mostly in cache.
 * 3. A breadth-first pass computes failure links (longest proper suffix that
 *    is also a trie path) and, from them, the full transition of every state
 *    on every class, so scanning is one table lookup per byte with no
 *    backtracking.  Outputs of a state's failure chain are merged into the
 *    state, so a state knows every keyword that ends there.
 * 4. The table stores premultiplied row offsets (state * nclasses), shifted
 *    left by one with the low bit set when the target state has outputs, so
 *    the hot loop is `v = delta[(v >> 1) + cls[byte]]` plus a bit test.
 * 5. Four streams.  Each step of that loop waits for the previous one (the
 *    next row depends on the last lookup), so one stream leaves the CPU
 *    mostly idle, waiting a few cycles of load latency per byte.  The scan
 *    cuts the buffer in four and runs the parts side by side, four
 *    independent chains in one loop: about twice the bytes per cycle
 *    (docs/performance.md).  Stream s > 0 starts in the start state
 *    `maxlen - 1` bytes before its part: the state of an Aho-Corasick
 *    automaton after byte i depends only on the last `maxlen` bytes, so from
 *    its part on it is in exactly the state a single pass would be, and
 *    reports the same occurrences.  Callers rely on occurrences coming in
 *    order of their end, so a later stream's are held in a small fixed
 *    buffer and reported after the earlier streams'; when a buffer fills,
 *    the side-by-side loop stops there and each stream finishes alone, in
 *    order.
 *
 * Hyperscan.  When layerscan is built with Hyperscan (Debian's
 * libhyperscan-dev, amd64) and the CPU runs it, the keywords are compiled
 * into a Hyperscan literal database instead and the DFA is not built:
 * Hyperscan's SIMD literal matcher reads text about three times as fast as
 * the four DFA streams (docs/performance.md).  It reports the same
 * occurrences, also in order of their end; each (keyword, rule) pair is
 * one Hyperscan pattern whose id says its rule and length, and duplicate
 * pairs are dropped as the DFA merges them.  Scanning needs per-thread
 * scratch space, hence ls_prefilter_scratch.  LAYERSCAN_PREFILTER=dfa or
 * ls_prefilter_use_dfa() keeps the DFA (tests run both engines).
 */
#include "rules/prefilter.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef LS_HAVE_HYPERSCAN
#include <hs.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#endif

#include "util/err.h"
#include "util/sort.h"
#include "util/xalloc.h"

struct out {
	unsigned rule;
	unsigned len;
};

struct node {
	uint32_t *child;   /* [nclasses] during build, by class; 0 = none */
	uint32_t fail;
	struct out *outs;
	size_t nouts, outs_alloc;
};

struct pending {
	unsigned char *kw;
	size_t len;
	unsigned rule;
};

struct ls_prefilter {
	/* build input */
	struct pending *pend;
	size_t npend, pend_alloc;
	/* compiled */
	uint8_t cls[256];
	unsigned ncls;
	size_t nstates;
	uint32_t *delta;          /* nstates * ncls, premultiplied targets */
	uint32_t *out_start;      /* by state */
	uint32_t *out_count;
	struct out *outs;
	size_t maxlen;            /* longest keyword */
	int built;
	int dfa_only;             /* ls_prefilter_use_dfa() */
#ifdef LS_HAVE_HYPERSCAN
	hs_database_t *hs;        /* set: Hyperscan, and no DFA */
	uint64_t hs_key;          /* of the distinct keywords (saved_key()) */
	int hs_loaded;            /* hs came from the saved database */
	struct out *hs_out;       /* the (rule, keyword) pairs, by keyword */
	size_t *hs_first;         /* pattern id -> its pairs in hs_out */
#endif
};

struct ls_prefilter_scratch {
#ifdef LS_HAVE_HYPERSCAN
	hs_scratch_t *hs;
#endif
	int unused;
};

struct ls_prefilter *ls_prefilter_new(void)
{
	return ls_xcalloc(1, sizeof(struct ls_prefilter));
}

void ls_prefilter_free(struct ls_prefilter *pf)
{
	if (!pf)
		return;
	for (size_t i = 0; i < pf->npend; i++)
		free(pf->pend[i].kw);
	free(pf->pend);
	free(pf->delta);
	free(pf->out_start);
	free(pf->out_count);
	free(pf->outs);
#ifdef LS_HAVE_HYPERSCAN
	hs_free_database(pf->hs);
	free(pf->hs_out);
	free(pf->hs_first);
#endif
	free(pf);
}

void ls_prefilter_use_dfa(struct ls_prefilter *pf)
{
	if (pf->built)
		LS_BUG("prefilter engine chosen after build");
	pf->dfa_only = 1;
}

#ifdef LS_HAVE_HYPERSCAN
/* Why the build must keep the DFA here, or NULL when Hyperscan can run. */
static const char *hs_unusable(void)
{
	const char *env = getenv("LAYERSCAN_PREFILTER");

	if (env && !strcmp(env, "dfa"))
		return "LAYERSCAN_PREFILTER=dfa";
	if (hs_valid_platform() != HS_SUCCESS)
		return "this CPU cannot run Hyperscan";
	return NULL;
}
#endif

const char *ls_prefilter_describe(void)
{
#ifdef LS_HAVE_HYPERSCAN
	const char *why = hs_unusable();
	static char desc[96];

	if (why)
		snprintf(desc, sizeof(desc), "built-in DFA (%s)", why);
	else
		snprintf(desc, sizeof(desc), "Hyperscan %s", hs_version());
	return desc;
#else
	return "built-in DFA (built without Hyperscan)";
#endif
}

const char *ls_prefilter_engine(const struct ls_prefilter *pf)
{
#ifdef LS_HAVE_HYPERSCAN
	if (pf->hs)
		return "hyperscan";
#else
	(void)pf;
#endif
	return "dfa";
}

static unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

void ls_prefilter_add(struct ls_prefilter *pf, const char *kw, size_t len,
		      unsigned rule)
{
	struct pending *p;

	if (pf->built)
		LS_BUG("prefilter add after build");
	if (!len)
		return;
	LS_ALLOC_GROW(pf->pend, pf->npend + 1, pf->pend_alloc);
	p = &pf->pend[pf->npend++];
	p->kw = ls_xmalloc(len);
	for (size_t i = 0; i < len; i++)
		p->kw[i] = lower((unsigned char)kw[i]);
	p->len = len;
	p->rule = rule;
}

static uint32_t new_node(struct node **nodes, size_t *n, size_t *alloc,
			 unsigned ncls)
{
	LS_ALLOC_GROW(*nodes, *n + 1, *alloc);
	memset(&(*nodes)[*n], 0, sizeof(struct node));
	(*nodes)[*n].child = ls_xcalloc(ncls, sizeof(uint32_t));
	return (uint32_t)(*n)++;
}

static void add_out(struct node *nd, unsigned rule, unsigned len)
{
	for (size_t i = 0; i < nd->nouts; i++)
		if (nd->outs[i].rule == rule && nd->outs[i].len == len)
			return;
	LS_ALLOC_GROW(nd->outs, nd->nouts + 1, nd->outs_alloc);
	nd->outs[nd->nouts].rule = rule;
	nd->outs[nd->nouts].len = len;
	nd->nouts++;
}

#ifdef LS_HAVE_HYPERSCAN
/*
 * A saved database: "LSHSDB1" and a NUL, the 8-byte key (little-endian) of
 * the keywords it was compiled from, then hs_serialize_database()'s bytes.
 */
#define SAVED_MAGIC "LSHSDB1"
#define SAVED_HEAD 16
static const unsigned char *saved_blob;
static size_t saved_len;

/* FNV-1a over the Hyperscan version and each (length, bytes) keyword. */
static uint64_t saved_key(const char *const *exprs, const size_t *lens,
			  size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	const char *v = hs_version();

#define MIX(b) (h = (h ^ (unsigned char)(b)) * 1099511628211ULL)
	for (size_t i = 0; v[i]; i++)
		MIX(v[i]);
	for (size_t i = 0; i < n; i++) {
		for (unsigned k = 0; k < 8; k++)
			MIX(lens[i] >> (8 * k));
		for (size_t k = 0; k < lens[i]; k++)
			MIX(exprs[i][k]);
	}
#undef MIX
	return h;
}

/* Load the saved database when it was made from these keywords. */
static hs_database_t *load_saved(uint64_t key)
{
	hs_database_t *db = NULL;
	uint64_t k = 0;

	if (!saved_blob || saved_len <= SAVED_HEAD ||
	    memcmp(saved_blob, SAVED_MAGIC, 8))
		return NULL;
	for (unsigned i = 0; i < 8; i++)
		k |= (uint64_t)saved_blob[8 + i] << (8 * i);
	if (k != key)
		return NULL;
	/* a database for another CPU or Hyperscan version is refused here */
	if (hs_deserialize_database((const char *)saved_blob + SAVED_HEAD,
				    saved_len - SAVED_HEAD, &db) != HS_SUCCESS)
		return NULL;
	return db;
}
#endif

void ls_prefilter_set_saved(const void *blob, size_t len)
{
#ifdef LS_HAVE_HYPERSCAN
	saved_blob = blob;
	saved_len = len;
#else
	(void)blob;
	(void)len;
#endif
}

int ls_prefilter_save(const struct ls_prefilter *pf, unsigned char **out,
		      size_t *len)
{
#ifdef LS_HAVE_HYPERSCAN
	char *bytes = NULL;
	size_t n = 0;

	if (!pf->hs || hs_serialize_database(pf->hs, &bytes, &n) != HS_SUCCESS)
		return -1;
	*out = ls_xmalloc(SAVED_HEAD + n);
	memcpy(*out, SAVED_MAGIC, 8);
	for (unsigned i = 0; i < 8; i++)
		(*out)[8 + i] = (unsigned char)(pf->hs_key >> (8 * i));
	memcpy(*out + SAVED_HEAD, bytes, n);
	*len = SAVED_HEAD + n;
	free(bytes);   /* hs_serialize_database uses the misc allocator: malloc */
	return 0;
#else
	(void)pf;
	(void)out;
	(void)len;
	return -1;
#endif
}

int ls_prefilter_loaded_saved(const struct ls_prefilter *pf)
{
#ifdef LS_HAVE_HYPERSCAN
	return pf->hs_loaded;
#else
	(void)pf;
	return 0;
#endif
}

#ifdef LS_HAVE_HYPERSCAN
static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = *(const struct pending *const *)a;
	const struct pending *y = *(const struct pending *const *)b;
	int c;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	c = memcmp(x->kw, y->kw, x->len);
	if (c)
		return c;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/*
 * Compile the keywords into a Hyperscan database; 0 when Hyperscan cannot
 * be used here (the CPU lacks what it needs, or it refused to compile),
 * and the DFA is built instead.
 */
static int build_hs(struct ls_prefilter *pf)
{
	struct pending **sorted;
	const char **exprs;
	unsigned *flags, *ids;
	size_t *lens, n = 0;
	hs_compile_error_t *err = NULL;
	int ok;

	if (pf->dfa_only || !pf->npend || hs_unusable())
		return 0;
	sorted = ls_xcalloc(pf->npend, sizeof(*sorted));
	for (size_t i = 0; i < pf->npend; i++)
		sorted[i] = &pf->pend[i];
	ls_sort(sorted, pf->npend, sizeof(*sorted), cmp_pending);
	exprs = ls_xcalloc(pf->npend, sizeof(*exprs));
	flags = ls_xcalloc(pf->npend, sizeof(*flags));
	ids = ls_xcalloc(pf->npend, sizeof(*ids));
	lens = ls_xcalloc(pf->npend, sizeof(*lens));
	pf->hs_out = ls_xcalloc(pf->npend, sizeof(*pf->hs_out));
	pf->hs_first = ls_xcalloc(pf->npend + 1, sizeof(*pf->hs_first));
	/*
	 * One Hyperscan pattern per distinct keyword (several rules share
	 * "password", "token", ...): the compiler's time grows with the
	 * patterns, and a hit reports every rule of its keyword.
	 */
	for (size_t i = 0, k = 0; i < pf->npend; i++) {
		if (i && !cmp_pending(&sorted[i - 1], &sorted[i]))
			continue;   /* the same rule and keyword twice */
		if (!n || sorted[i]->len != lens[n - 1] ||
		    memcmp(sorted[i]->kw, exprs[n - 1], sorted[i]->len)) {
			exprs[n] = (const char *)sorted[i]->kw;
			lens[n] = sorted[i]->len;
			flags[n] = HS_FLAG_CASELESS;
			ids[n] = (unsigned)n;
			pf->hs_first[n] = k;
			if (sorted[i]->len > pf->maxlen)
				pf->maxlen = sorted[i]->len;
			n++;
		}
		pf->hs_out[k].rule = sorted[i]->rule;
		pf->hs_out[k].len = (unsigned)sorted[i]->len;
		pf->hs_first[n] = ++k;
	}
	pf->hs_key = saved_key(exprs, lens, n);
	pf->hs = load_saved(pf->hs_key);
	pf->hs_loaded = pf->hs != NULL;
	if (pf->hs) {
		ok = 1;
	} else {
		ok = hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)n,
					  HS_MODE_BLOCK, NULL, &pf->hs,
					  &err) == HS_SUCCESS;
#ifdef __GLIBC__
		/* the compiler's working memory (~9 MB for the default
		 * rules) is free now: give it back rather than keep it for
		 * the whole run */
		malloc_trim(0);
#endif
	}
	if (!ok) {
		hs_free_compile_error(err);
		pf->hs = NULL;
		free(pf->hs_out);
		pf->hs_out = NULL;
		free(pf->hs_first);
		pf->hs_first = NULL;
		pf->maxlen = 0;
	}
	free(sorted);
	free(exprs);
	free(flags);
	free(ids);
	free(lens);
	return ok;
}
#endif

void ls_prefilter_build(struct ls_prefilter *pf)
{
	struct node *nodes = NULL;
	size_t n = 0, alloc = 0, nouts = 0;
	uint32_t *queue;
	size_t qh = 0, qt = 0;
	unsigned ncls = 1;

	if (pf->built)
		LS_BUG("prefilter built twice");
#ifdef LS_HAVE_HYPERSCAN
	if (build_hs(pf)) {
		pf->built = 1;
		return;
	}
#endif
	/* byte classes */
	memset(pf->cls, 0, sizeof(pf->cls));
	for (size_t i = 0; i < pf->npend; i++) {
		for (size_t j = 0; j < pf->pend[i].len; j++) {
			unsigned char c = pf->pend[i].kw[j];
			if (!pf->cls[c])
				pf->cls[c] = (uint8_t)ncls++;
			if (ncls > 255)
				LS_BUG("too many keyword byte classes");
		}
	}
	for (int c = 'A'; c <= 'Z'; c++)
		pf->cls[c] = pf->cls[c - 'A' + 'a'];
	pf->ncls = ncls;

	/* trie */
	new_node(&nodes, &n, &alloc, ncls);
	for (size_t i = 0; i < pf->npend; i++) {
		uint32_t s = 0;
		if (pf->pend[i].len > pf->maxlen)
			pf->maxlen = pf->pend[i].len;
		for (size_t j = 0; j < pf->pend[i].len; j++) {
			unsigned c = pf->cls[pf->pend[i].kw[j]];
			if (!nodes[s].child[c]) {
				uint32_t t = new_node(&nodes, &n, &alloc, ncls);
				nodes[s].child[c] = t;
			}
			s = nodes[s].child[c];
		}
		add_out(&nodes[s], pf->pend[i].rule, (unsigned)pf->pend[i].len);
	}

	/* failure links and full transitions, breadth first */
	queue = ls_xmalloc(n * sizeof(uint32_t));
	for (unsigned c = 0; c < ncls; c++) {
		uint32_t t = nodes[0].child[c];
		if (t) {
			nodes[t].fail = 0;
			queue[qt++] = t;
		}
	}
	while (qh < qt) {
		uint32_t s = queue[qh++];
		struct node *f = &nodes[nodes[s].fail];
		for (size_t i = 0; i < f->nouts; i++)
			add_out(&nodes[s], f->outs[i].rule, f->outs[i].len);
		for (unsigned c = 0; c < ncls; c++) {
			uint32_t t = nodes[s].child[c];
			if (t) {
				nodes[t].fail = nodes[nodes[s].fail].child[c];
				queue[qt++] = t;
			} else {
				nodes[s].child[c] =
					nodes[nodes[s].fail].child[c];
			}
		}
	}
	free(queue);

	/* flatten */
	pf->nstates = n;
	pf->delta = ls_xmalloc(n * ncls * sizeof(uint32_t));
	pf->out_start = ls_xcalloc(n, sizeof(uint32_t));
	pf->out_count = ls_xcalloc(n, sizeof(uint32_t));
	for (size_t s = 0; s < n; s++)
		nouts += nodes[s].nouts;
	pf->outs = ls_xcalloc(nouts ? nouts : 1, sizeof(struct out));
	nouts = 0;
	for (size_t s = 0; s < n; s++) {
		for (unsigned c = 0; c < ncls; c++)
			pf->delta[s * ncls + c] =
				(nodes[s].child[c] * ncls) << 1 |
				(nodes[nodes[s].child[c]].nouts > 0);
		pf->out_start[s] = (uint32_t)nouts;
		pf->out_count[s] = (uint32_t)nodes[s].nouts;
		if (nodes[s].nouts)
			memcpy(pf->outs + nouts, nodes[s].outs,
			       nodes[s].nouts * sizeof(struct out));
		nouts += nodes[s].nouts;
		free(nodes[s].child);
		free(nodes[s].outs);
	}
	free(nodes);
	pf->built = 1;
}

size_t ls_prefilter_states(const struct ls_prefilter *pf)
{
	return pf->nstates;
}

struct ls_prefilter_scratch *
ls_prefilter_scratch_new(const struct ls_prefilter *pf)
{
	struct ls_prefilter_scratch *s = ls_xcalloc(1, sizeof(*s));

	if (!pf->built)
		LS_BUG("prefilter scratch before build");
#ifdef LS_HAVE_HYPERSCAN
	if (pf->hs && hs_alloc_scratch(pf->hs, &s->hs) != HS_SUCCESS) {
		fprintf(stderr, "layerscan: out of memory allocating Hyperscan scratch space\n");
		exit(2);
	}
#endif
	return s;
}

void ls_prefilter_scratch_free(struct ls_prefilter_scratch *s)
{
	if (!s)
		return;
#ifdef LS_HAVE_HYPERSCAN
	hs_free_scratch(s->hs);
#endif
	free(s);
}

/* Report the outputs of the state `v` (a delta value) reached at byte i. */
static void report(const struct ls_prefilter *pf, uint32_t v, size_t i,
		   ls_prefilter_cb cb, void *ud)
{
	uint32_t st = (v >> 1) / pf->ncls;
	const struct out *o = pf->outs + pf->out_start[st];

	for (uint32_t k = 0; k < pf->out_count[st]; k++)
		cb(ud, o[k].rule, i + 1 - o[k].len, o[k].len);
}

/* One stream over buf[from..to) from state v; returns the final state. */
static uint32_t scan_one(const struct ls_prefilter *pf,
			 const unsigned char *buf, size_t from, size_t to,
			 uint32_t v, ls_prefilter_cb cb, void *ud)
{
	const uint32_t *delta = pf->delta;
	const uint8_t *cls = pf->cls;

	for (size_t i = from; i < to; i++) {
		v = delta[(v >> 1) + cls[buf[i]]];
		if (__builtin_expect(v & 1, 0))
			report(pf, v, i, cb, ud);
	}
	return v;
}

/* Streams scanned side by side, and below what size one is enough. */
#define LS_PF_STREAMS 4
#define LS_PF_STREAMS_MIN 4096
/* Occurrences held back per later stream while the earlier ones run. */
#define LS_PF_HELD_MAX 512

struct held {
	size_t n;
	struct { size_t i; uint32_t v; } at[LS_PF_HELD_MAX];
};

/* Hold stream s's occurrence at byte i; 1 when its buffer is now full. */
static inline int hold(struct held *h, size_t i, uint32_t v)
{
	h->at[h->n].i = i;
	h->at[h->n].v = v;
	return ++h->n == LS_PF_HELD_MAX;
}

#ifdef LS_HAVE_HYPERSCAN
struct hs_ctx {
	const struct ls_prefilter *pf;
	ls_prefilter_cb cb;
	void *ud;
	size_t base;       /* offset of the piece in the caller's buffer */
	size_t min_end;    /* piece-relative: ends below were reported */
};

static int on_hs_match(unsigned id, unsigned long long from,
		       unsigned long long to, unsigned flags, void *ctx)
{
	struct hs_ctx *c = ctx;
	const struct ls_prefilter *pf = c->pf;

	(void)from;
	(void)flags;
	if (to < c->min_end)
		return 0;
	for (size_t k = pf->hs_first[id]; k < pf->hs_first[id + 1]; k++) {
		const struct out *o = &pf->hs_out[k];
		c->cb(c->ud, o->rule, c->base + (size_t)to - o->len, o->len);
	}
	return 0;
}

/* hs_scan() takes an unsigned int length: longer buffers go in pieces that
 * overlap by maxlen - 1 bytes, each occurrence reported by one piece. */
#define LS_PF_HS_PIECE ((size_t)1 << 30)

static void scan_hs(const struct ls_prefilter *pf,
		    struct ls_prefilter_scratch *s, const unsigned char *buf,
		    size_t len, ls_prefilter_cb cb, void *ud)
{
	struct hs_ctx c = { pf, cb, ud, 0, 0 };
	size_t done = 0;   /* occurrences ending at or before it: reported */

	if (!s || !s->hs)
		LS_BUG("prefilter scan without its scratch");
	do {
		size_t from = done > pf->maxlen - 1 ? done - (pf->maxlen - 1) : 0;
		size_t n = len - from < LS_PF_HS_PIECE ? len - from
						      : LS_PF_HS_PIECE;
		c.base = from;
		c.min_end = done - from + 1;
		if (hs_scan(pf->hs, (const char *)buf + from, (unsigned)n, 0,
			    s->hs, on_hs_match, &c) != HS_SUCCESS)
			LS_BUG("hs_scan failed");
		done = from + n;
	} while (done < len);
}
#endif

void ls_prefilter_scan(const struct ls_prefilter *pf,
		       struct ls_prefilter_scratch *scratch,
		       const unsigned char *buf, size_t len,
		       ls_prefilter_cb cb, void *ud)
{
	const uint32_t *delta = pf->delta;
	const uint8_t *cls = pf->cls;
	struct held held[LS_PF_STREAMS];   /* [0] unused */
	size_t seg, from[LS_PF_STREAMS], to[LS_PF_STREAMS], k;
	const unsigned char *p0, *p1, *p2, *p3;
	uint32_t v[LS_PF_STREAMS] = { 0 };
	int full = 0;

	if (!pf->built || !pf->npend)
		return;
#ifdef LS_HAVE_HYPERSCAN
	if (pf->hs) {
		scan_hs(pf, scratch, buf, len, cb, ud);
		return;
	}
#endif
	(void)scratch;
	seg = len / LS_PF_STREAMS;
	if (len < LS_PF_STREAMS_MIN || pf->maxlen * 4 > seg) {
		scan_one(pf, buf, 0, len, 0, cb, ud);
		return;
	}
	/*
	 * Stream s reports the occurrences that end in [s * seg, (s+1) * seg)
	 * (the last one: to len) and starts maxlen - 1 bytes earlier.
	 */
	for (int s = 0; s < LS_PF_STREAMS; s++) {
		from[s] = s ? s * seg - (pf->maxlen - 1) : 0;
		to[s] = s + 1 < LS_PF_STREAMS ? (s + 1) * seg : len;
		held[s].n = 0;
	}
	p0 = buf;
	p1 = buf + from[1];
	p2 = buf + from[2];
	p3 = buf + from[3];
	for (k = 0; k < seg && !full; k++) {
		uint32_t a = delta[(v[0] >> 1) + cls[p0[k]]];
		uint32_t b = delta[(v[1] >> 1) + cls[p1[k]]];
		uint32_t c = delta[(v[2] >> 1) + cls[p2[k]]];
		uint32_t d = delta[(v[3] >> 1) + cls[p3[k]]];
		v[0] = a;
		v[1] = b;
		v[2] = c;
		v[3] = d;
		if (__builtin_expect((a | b | c | d) & 1, 0)) {
			/* a later stream's first maxlen - 1 bytes only lead in */
			if (a & 1)
				report(pf, a, k, cb, ud);
			if ((b & 1) && from[1] + k >= seg)
				full |= hold(&held[1], from[1] + k, b);
			if ((c & 1) && from[2] + k >= 2 * seg)
				full |= hold(&held[2], from[2] + k, c);
			if ((d & 1) && from[3] + k >= 3 * seg)
				full |= hold(&held[3], from[3] + k, d);
		}
	}
	/* finish each stream alone, in order, after the held occurrences */
	scan_one(pf, buf, k, to[0], v[0], cb, ud);
	for (int s = 1; s < LS_PF_STREAMS; s++) {
		for (size_t h = 0; h < held[s].n; h++)
			report(pf, held[s].at[h].v, held[s].at[h].i, cb, ud);
		scan_one(pf, buf, from[s] + k, to[s], v[s], cb, ud);
	}
}
