/*
 * githist.c - git history and staged changes as a source; see githist.h.
 *
 * The history scan runs in four passes:
 *
 *   1. commits: load every commit reachable from the tips (all refs and
 *      HEAD, one rev, or B of A..B minus everything reachable from A), then
 *      order them parents first (Kahn's algorithm; among ready commits the
 *      oldest committer date, then the id, goes first), so the order does
 *      not depend on ref order or on hash tables.
 *   2. events: compare each commit's tree with its first parent's, skipping
 *      equal subtree ids (on all threads, see make_events()), and turn
 *      every (path, blob) pair that no earlier commit had into an event.
 *      An event is "silent" when what it carries is not new: the blob came
 *      from another parent of a merge, it is an exact rename, or it is what
 *      a boundary commit (outside the range) already had.  Silent events
 *      mark secrets as known without reporting them.  Each event points at
 *      a job: (blob, path class).
 *   3. jobs: read each job's blob once, in pack order (see pack_order()),
 *      and run it through the normal content pipeline
 *      (ls_worker_scan_buffer) on a private ls_scan, on opts.threads
 *      threads, each with its own git_repository (libgit2 objects are not
 *      shared between threads).  An edit of a bigger file is scanned only
 *      around its changed bytes (the fast path, see scan_changed()).
 *   4. attribution: walk the events in commit order; each finding of the
 *      event's job, put at the event's path, has a fingerprint (rule, path,
 *      secret); the first event that produces a fingerprint reports it,
 *      unless the event is silent.
 *
 * By induction over the commit order, every (path, blob) pair of every
 * scanned commit's tree is an event at the first commit that has it, so a
 * fingerprint is reported at the first commit whose tree holds that secret
 * at that path: the "straightforward" answer, got with each blob read and
 * scanned once.
 *
 * Path classes.  The matcher looks at the path in only a few places: rule
 * `path` regexes and allowlist path regexes (and, for commit allowlists,
 * the commit id).  Evaluating those conditions on a path gives a short bit
 * string, and the path's place (finding/place.h: test data, documentation,
 * a patch, source code, which the rankings of findings read); two paths
 * with the same bits get the same findings from the same blob, so a blob
 * is scanned once per class, not once per path.  With the
 * default rules almost every path is in the same class.
 *
 * Why not diff text?  Scanning the added lines of `git log -p` needs both
 * versions of every changed file and a line diff, and then positions have
 * to be mapped back; scanning new blobs needs the new version (plus, for
 * the fast path, the old one as bytes to compare), read in pack order, and
 * gives the exact line of the secret in the introducing version.  See
 * docs/git.md for the measurements.
 */
#define _GNU_SOURCE
#include "source/githist.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <malloc.h>
#include <git2/sys/odb_backend.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "finding/fingerprint.h"
#include "finding/place.h"
#include "rules/match.h"
#include "rules/prefilter.h"
#include "source/git/blobset.h"
#include "util/size.h"
#include "util/sort.h"
#include "util/strset.h"
#include "util/xalloc.h"

#define NONE UINT32_MAX

/* ---- a hash map from 24-byte keys (an oid and a 32-bit tag) ---- */

struct key24 {
	unsigned char b[24];
};

struct map24 {
	struct key24 *keys;
	uint32_t *vals;             /* NONE: empty slot */
	size_t cap, n;
};

static struct key24 mkkey(const git_oid *id, uint32_t tag)
{
	struct key24 k;

	memcpy(k.b, id->id, 20);
	memcpy(k.b + 20, &tag, 4);
	return k;
}

static size_t key_hash(const struct key24 *k)
{
	uint64_t a, b;

	memcpy(&a, k->b, 8);
	memcpy(&b, k->b + 16, 8);
	return (size_t)(a ^ (b * 0x9e3779b97f4a7c15ull));
}

static void map_release(struct map24 *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

static size_t map_find(const struct map24 *m, const struct key24 *k)
{
	size_t i = key_hash(k) & (m->cap - 1);

	while (m->vals[i] != NONE && memcmp(&m->keys[i], k, sizeof(*k)))
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* The value for `k`, or NONE. */
static uint32_t map_get(const struct map24 *m, const struct key24 *k)
{
	return m->cap ? m->vals[map_find(m, k)] : NONE;
}

static void map_put(struct map24 *m, const struct key24 *k, uint32_t v)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		struct map24 old = *m;
		m->cap = old.cap ? old.cap * 2 : 1024;
		m->keys = ls_xreallocarray(NULL, m->cap, sizeof(*m->keys));
		m->vals = ls_xreallocarray(NULL, m->cap, sizeof(*m->vals));
		memset(m->vals, 0xff, m->cap * sizeof(*m->vals));
		m->n = 0;
		for (size_t j = 0; j < old.cap; j++)
			if (old.vals[j] != NONE)
				map_put(m, &old.keys[j], old.vals[j]);
		free(old.keys);
		free(old.vals);
	}
	i = map_find(m, k);
	if (m->vals[i] == NONE) {
		m->keys[i] = *k;
		m->n++;
	}
	m->vals[i] = v;
}

/* ---- the run ---- */

enum {
	C_LOADED = 1 << 0,
	C_MISSING = 1 << 1,         /* could not be read (error recorded) */
	C_HIDDEN = 1 << 2,          /* reachable from the A of A..B */
	C_INCLUDED = 1 << 3,        /* scanned */
	C_SHALLOW = 1 << 4,         /* a shallow clone's boundary */
	C_QUEUED = 1 << 5,
};

struct gcommit {
	git_oid id, tree;
	long long time;             /* committer date */
	uint32_t *par;              /* indices; parents of shallow: none */
	unsigned npar;
	unsigned flags;
	uint32_t pending;           /* topo sort: included parents left */
	uint32_t kid0, nkids;       /* topo sort: children in kids[] */
	struct ls_finding_commit *info;  /* filled when it has findings */
};

/*
 * An event's job: a job of the window (an index below REF_PAST), or one
 * done in an earlier window: REF_PAST | its index in g->found, or
 * REF_CLEAN when it found nothing.
 */
#define REF_PAST 0x80000000u
#define REF_CLEAN (UINT32_MAX - 1)
/* path ids are below 2^31; in g->first, the bit says the blob's class-0
 * job is done */
#define DONE0 0x80000000u

struct event {
	uint32_t commit, path, job;
	uint32_t plain;             /* the job without commit allowlists, or NONE */
	int silent;
};

enum base_state { BASE_UNSET, BASE_ONE, BASE_NONE };

struct job {
	git_oid blob;
	uint32_t cls;
	uint32_t path, commit;      /* first use: scanned as this */
	git_oid base;               /* with BASE_ONE: the previous version */
	enum base_state base_state;
	int listed;                 /* scanned as in a commit allowlist */
	int whole;                  /* must be scanned whole (fast path off) */
	struct ls_findings res;     /* sorted by position */
};

struct gh {
	struct ls_scan *scan;
	const struct ls_git_opts *o;
	git_repository *repo;
	const char *name;           /* as given, for messages */
	char *gitdir;               /* for the scan threads */
	unsigned long long max_size;

	struct gcommit *c;
	size_t nc, c_alloc;
	struct map24 cmap;          /* commit id -> index */
	struct map24 shallow;
	uint32_t *order;            /* included commits, parents first */
	size_t norder;

	char **paths;               /* interned; index = path id */
	size_t npaths, paths_alloc;
	struct ls_strset pathid;
	uint32_t *path_class;       /* per path id, NONE until computed */
	size_t path_class_alloc;
	struct ls_strset classes;   /* bit string -> class id */

	/* path conditions of the rule set, for path classes */
	struct cond {
		pcre2_code *const *re;
		size_t n;
	} *pconds;
	size_t npconds;
	const struct ls_allowlist **cconds;   /* allowlists with commits */
	size_t ncconds;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	char *bits;                 /* class_of() scratch */

	/*
	 * For the whole history (see "Memory" above): the (blob, path)
	 * pairs had, the jobs done, the findings of those that found any.
	 */
	struct ls_blobset first;    /* blob -> first path id | DONE0 */
	struct ls_blobset more;     /* other (blob, path id) pairs */
	struct map24 done_other;    /* (blob, class > 0) done */
	struct map24 found_map;     /* (blob, class) -> index in found */
	struct ls_findings *found;  /* results of jobs done that found any */
	size_t nfound, found_alloc;
	struct ls_strset seen;      /* fingerprints known */
	size_t tot_ev, tot_jobs;

	/* the window: events and jobs not yet attributed */
	struct event *ev;
	size_t nev, ev_alloc;
	struct job *jobs;
	size_t njobs, jobs_alloc;
	struct map24 jobmap;        /* (blob, class) -> job in the window */
	double t_blobs, t_attr;

	/* the object database */
	struct packidx *idx;        /* pack indexes, mapped */
	size_t nidx;
	struct map24 bad;           /* loose objects libgit2 must not read */

	/* pass 3 */
	size_t reach;               /* fast path context; 0: off */
	struct ls_prefilter *bigpf; /* keywords of wide-window rules */
	size_t bigreach;            /* their reach */
	unsigned long long scanned; /* bytes through the matcher */
	uint32_t *run;              /* job indices in pack order */
	size_t next_job;
	pthread_mutex_t lock;       /* next_job, and make_events()' next */

	/* one repository handle and scanner per thread (history) */
	git_repository *repos[LS_THREADS_MAX];
	struct scanner *sc;
	unsigned nthreads;
};

static const char *git_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

static void hex(const git_oid *id, char out[GIT_OID_HEXSZ + 1])
{
	git_oid_tostr(out, GIT_OID_HEXSZ + 1, id);
}

static uint32_t path_intern(struct gh *g, const char *p)
{
	long v;

	if (ls_strset_get(&g->pathid, p, &v))
		return (uint32_t)v;
	if (g->npaths >= DONE0 - 1)
		LS_BUG("more than 2^31 paths");
	LS_ALLOC_GROW(g->paths, g->npaths + 1, g->paths_alloc);
	g->paths[g->npaths] = ls_xstrdup(p);
	ls_strset_put(&g->pathid, p, (long)g->npaths);
	return (uint32_t)g->npaths++;
}

/* ---- path classes ---- */

static void conds_init(struct gh *g)
{
	const struct ls_ruleset *rs = g->scan->rs;
	size_t alloc = 0, calloc_ = 0;

	for (size_t i = 0; i < rs->nrules; i++) {
		const struct ls_rule *r = rs->rules[i];
		if (r->path) {
			LS_ALLOC_GROW(g->pconds, g->npconds + 1, alloc);
			g->pconds[g->npconds].re = &rs->rules[i]->path;
			g->pconds[g->npconds++].n = 1;
		}
		for (size_t k = 0; k < r->nallow; k++) {
			if (r->allow[k].npaths) {
				LS_ALLOC_GROW(g->pconds, g->npconds + 1, alloc);
				g->pconds[g->npconds].re = r->allow[k].paths;
				g->pconds[g->npconds++].n = r->allow[k].npaths;
			}
			if (r->allow[k].ncommits) {
				LS_ALLOC_GROW(g->cconds, g->ncconds + 1, calloc_);
				g->cconds[g->ncconds++] = &r->allow[k];
			}
		}
	}
	for (size_t k = 0; k < rs->nglobal; k++) {
		if (rs->global[k].npaths) {
			LS_ALLOC_GROW(g->pconds, g->npconds + 1, alloc);
			g->pconds[g->npconds].re = rs->global[k].paths;
			g->pconds[g->npconds++].n = rs->global[k].npaths;
		}
		if (rs->global[k].ncommits) {
			LS_ALLOC_GROW(g->cconds, g->ncconds + 1, calloc_);
			g->cconds[g->ncconds++] = &rs->global[k];
		}
	}
	g->bits = ls_xmalloc(g->npconds + 1 + g->ncconds + 1);
	g->md = pcre2_match_data_create(1, NULL);
	g->mctx = pcre2_match_context_create(NULL);
	if (!g->md || !g->mctx)
		LS_BUG("out of memory for PCRE2 match data");
	/* the matcher's limits: a path regex never takes superlinear time */
	pcre2_set_match_limit(g->mctx, LS_MATCH_LIMIT);
	pcre2_set_depth_limit(g->mctx, LS_DEPTH_LIMIT);
}

/*
 * The class of `path` in `commit` (NONE: in no commit): which path and
 * commit conditions hold.  *listed: some commit condition holds.
 */
static uint32_t class_of(struct gh *g, uint32_t path, uint32_t commit,
			 int *listed)
{
	char *bits = g->bits;
	size_t n = 0;
	long v;

	*listed = 0;
	if (!g->ncconds && path < g->path_class_alloc &&
	    g->path_class[path] != NONE)
		return g->path_class[path];
	for (size_t i = 0; i < g->npconds; i++) {
		const char *p = g->paths[path];
		int hit = 0;
		for (size_t k = 0; k < g->pconds[i].n && !hit; k++)
			hit = pcre2_match(g->pconds[i].re[k], (PCRE2_SPTR)p,
					  strlen(p), 0, 0, g->md, g->mctx) >= 0;
		bits[n++] = hit ? '1' : '0';
	}
	/* the path's place: test data, documentation, ... are ranked by path
	 * (finding/place.h), so they cannot share another path's findings */
	bits[n++] = (char)('a' + ls_finding_place(g->paths[path]));
	if (g->ncconds) {
		char id[GIT_OID_HEXSZ + 1] = "";
		if (commit != NONE)
			hex(&g->c[commit].id, id);
		for (size_t i = 0; i < g->ncconds; i++) {
			int hit = 0;
			for (size_t k = 0; id[0] && k < g->cconds[i]->ncommits &&
					   !hit; k++)
				hit = !strcasecmp(g->cconds[i]->commits[k], id);
			bits[n++] = hit ? '1' : '0';
			*listed |= hit;
		}
	}
	bits[n] = '\0';
	if (!ls_strset_get(&g->classes, bits, &v)) {
		v = (long)g->classes.n;
		ls_strset_put(&g->classes, bits, v);
	}
	if (!g->ncconds) {
		if (path >= g->path_class_alloc) {
			size_t old = g->path_class_alloc;
			LS_ALLOC_GROW(g->path_class, path + 1, g->path_class_alloc);
			memset(g->path_class + old, 0xff,
			       (g->path_class_alloc - old) * sizeof(uint32_t));
		}
		g->path_class[path] = (uint32_t)v;
	}
	return (uint32_t)v;
}

/*
 * ---- pack indexes ----
 *
 * libgit2 does not tell where an object lies in a pack, so the pack
 * indexes (version 2: fan-out, sorted ids, CRCs, 31-bit offsets, large
 * offsets) are read here, mapped read-only, with every offset checked
 * against the file size.  Used for the reading order (pack_order()) and to
 * tell loose objects that are also packed (loose_check()).
 */
struct packidx {
	unsigned char *map;
	size_t len;
	uint32_t n;
	const unsigned char *ids, *offs, *large;
	size_t nlarge;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int idx_open(const char *path, struct packidx *x)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t need;

	memset(x, 0, sizeof(*x));
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || st.st_size < 8 + 1024 + 40) {
		close(fd);
		return -1;
	}
	x->len = (size_t)st.st_size;
	x->map = mmap(NULL, x->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (x->map == MAP_FAILED) {
		x->map = NULL;
		return -1;
	}
	if (be32(x->map) != 0xff744f63u || be32(x->map + 4) != 2)
		goto bad;
	x->n = be32(x->map + 8 + 255 * 4);
	need = 8 + 1024 + (size_t)x->n * 28 + 40;
	if (need > x->len)
		goto bad;
	x->ids = x->map + 8 + 1024;
	x->offs = x->ids + (size_t)x->n * 24;
	x->large = x->offs + (size_t)x->n * 4;
	x->nlarge = (x->len - need) / 8;
	return 0;
bad:
	munmap(x->map, x->len);
	x->map = NULL;
	return -1;
}

/* Offset of `id` in the pack, or UINT64_MAX. */
static uint64_t idx_find(const struct packidx *x, const git_oid *id)
{
	unsigned b = id->id[0];
	uint32_t lo = b ? be32(x->map + 8 + (b - 1) * 4) : 0;
	uint32_t hi = be32(x->map + 8 + b * 4);

	if (hi > x->n || lo > hi)
		return UINT64_MAX;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = memcmp(x->ids + (size_t)mid * 20, id->id, 20);
		if (!c) {
			uint32_t o = be32(x->offs + (size_t)mid * 4);
			if (o & 0x80000000u) {
				uint64_t k = o & 0x7fffffffu;
				if (k >= x->nlarge)
					return UINT64_MAX;
				return (uint64_t)be32(x->large + k * 8) << 32 |
				       be32(x->large + k * 8 + 4);
			}
			return o;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return UINT64_MAX;
}

/*
 * libgit2 1.5 trusts the offsets in a pack index and reads wherever they
 * point: a damaged index makes it read outside the pack mapping and crash.
 * Check what it would trust: the fan-out ascends and every offset falls
 * inside the pack.  0, or -1 with `why` set.
 */
static int idx_check(const struct packidx *x, unsigned long long packsize,
		     const char **why)
{
	uint32_t prev = 0;

	for (int b = 0; b < 256; b++) {
		uint32_t f = be32(x->map + 8 + b * 4);
		if (f < prev) {
			*why = "its fan-out table is not sorted";
			return -1;
		}
		prev = f;
	}
	for (uint32_t i = 0; i < x->n; i++) {
		uint64_t o = be32(x->offs + (size_t)i * 4);
		if (o & 0x80000000u) {
			uint64_t k = o & 0x7fffffffu;
			if (k >= x->nlarge) {
				*why = "an object's offset is missing";
				return -1;
			}
			o = (uint64_t)be32(x->large + k * 8) << 32 |
			    be32(x->large + k * 8 + 4);
		}
		if (o < 12 || o + 20 >= packsize) {
			*why = "an object's offset lies outside the pack";
			return -1;
		}
	}
	return 0;
}

/* Map every pack index; 0, or LS_EFORMAT with `err` filled. */
static int packs_open(struct gh *g, struct ls_err *err)
{
	char *dir = ls_xasprintf("%sobjects/pack",
				 git_repository_commondir(g->repo));
	size_t alloc = 0;
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	while (!rc && d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		const char *why;
		struct stat st;
		char *p, *pack;
		if (n < 5 || strcmp(de->d_name + n - 4, ".idx"))
			continue;
		LS_ALLOC_GROW(g->idx, g->nidx + 1, alloc);
		p = ls_xasprintf("%s/%s", dir, de->d_name);
		pack = ls_xasprintf("%s/%.*s.pack", dir, (int)(n - 4), de->d_name);
		/* libgit2 ignores an index without a pack, and so do we */
		if (!stat(pack, &st) && !idx_open(p, &g->idx[g->nidx])) {
			g->nidx++;
			if (idx_check(&g->idx[g->nidx - 1],
				      (unsigned long long)st.st_size, &why))
				rc = ls_err_set(err, LS_EFORMAT, g->name, 0, 0,
						"pack index '%s' is corrupt: %s; not scanned",
						de->d_name, why);
		}
		free(pack);
		free(p);
	}
	if (d)
		closedir(d);
	free(dir);
	return rc;
}

/* (pack number << 48 | offset) of `id`, or UINT64_MAX if in no pack. */
static void packs_find(const struct gh *g, const git_oid *id, uint64_t *pack,
		       uint64_t *off)
{
	*pack = UINT64_MAX;
	*off = 0;
	for (size_t i = 0; i < g->nidx; i++) {
		uint64_t o = idx_find(&g->idx[i], id);
		if (o != UINT64_MAX) {
			*pack = i;
			*off = o;
			return;
		}
	}
}

/*
 * ---- loose objects ----
 *
 * libgit2 1.5 loops forever reading a truncated loose object (zlib's
 * Z_BUF_ERROR is taken for "try again"; libgit2 issue #7342, fixed after
 * 1.9).  A hostile or damaged repository must not hang the scan, so every
 * loose object that is in no pack is inflated once here, before libgit2
 * reads anything, and those whose zlib stream does not end are put in
 * g->bad.  A small odb backend, added with the highest priority to every
 * repository handle, answers reads of those ids with an error, so libgit2
 * never gets to them, whichever API reads them (revparse, peel, diff).
 */
#define BAD_PRIORITY 1000

static int loose_valid(const char *file)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	unsigned char in[1 << 16], out[1 << 16];
	z_stream zs;
	int rc = Z_OK, ok = 0;

	if (fd < 0)
		return 1;           /* gone meanwhile: libgit2 says so */
	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK) {
		close(fd);
		return 0;
	}
	while (rc == Z_OK || rc == Z_BUF_ERROR) {
		ssize_t n;
		if (!zs.avail_in) {
			n = read(fd, in, sizeof(in));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;      /* the stream did not end */
			zs.next_in = in;
			zs.avail_in = (uInt)n;
		}
		zs.next_out = out;
		zs.avail_out = sizeof(out);
		rc = inflate(&zs, Z_NO_FLUSH);
	}
	ok = rc == Z_STREAM_END;
	inflateEnd(&zs);
	close(fd);
	return ok;
}

static void loose_check(struct gh *g)
{
	const char *common = git_repository_commondir(g->repo);

	for (int b = 0; b < 256; b++) {
		char *dir = ls_xasprintf("%sobjects/%02x", common, b);
		DIR *d = opendir(dir);
		struct dirent *de;

		while (d && (de = readdir(d))) {
			char hexid[GIT_OID_HEXSZ + 1], *file;
			uint64_t pack, off;
			git_oid id;
			if (strlen(de->d_name) != GIT_OID_HEXSZ - 2)
				continue;
			snprintf(hexid, 3, "%02x", b);
			memcpy(hexid + 2, de->d_name, GIT_OID_HEXSZ - 2);
			hexid[GIT_OID_HEXSZ] = '\0';
			if (git_oid_fromstr(&id, hexid))
				continue;
			packs_find(g, &id, &pack, &off);
			if (pack != UINT64_MAX)
				continue;   /* libgit2 reads the packed copy */
			file = ls_xasprintf("%s/%s", dir, de->d_name);
			if (!loose_valid(file)) {
				struct key24 k = mkkey(&id, 0);
				map_put(&g->bad, &k, 1);
			}
			free(file);
		}
		if (d)
			closedir(d);
		free(dir);
	}
}

struct badodb {
	git_odb_backend parent;
	const struct map24 *bad;    /* borrowed; read-only by now */
};

static int bad_has(git_odb_backend *be, const git_oid *id)
{
	const struct badodb *b = (const struct badodb *)be;
	struct key24 k = mkkey(id, 0);

	return map_get(b->bad, &k) != NONE;
}

static int bad_fail(void)
{
	git_error_set_str(GIT_ERROR_ODB,
			  "loose object is truncated or corrupt");
	return GIT_ERROR;
}

static int bad_read(void **data, size_t *len, git_object_t *type,
		    git_odb_backend *be, const git_oid *id)
{
	(void)data;
	(void)len;
	(void)type;
	return bad_has(be, id) ? bad_fail() : GIT_ENOTFOUND;
}

static int bad_read_header(size_t *len, git_object_t *type,
			   git_odb_backend *be, const git_oid *id)
{
	(void)len;
	(void)type;
	return bad_has(be, id) ? bad_fail() : GIT_ENOTFOUND;
}

static int bad_read_prefix(git_oid *out, void **data, size_t *len,
			   git_object_t *type, git_odb_backend *be,
			   const git_oid *id, size_t n)
{
	const struct badodb *b = (const struct badodb *)be;

	(void)out;
	(void)data;
	(void)len;
	(void)type;
	for (size_t i = 0; i < b->bad->cap; i++) {
		git_oid k;
		if (b->bad->vals[i] == NONE)
			continue;
		memcpy(k.id, b->bad->keys[i].b, GIT_OID_RAWSZ);
		if (!git_oid_ncmp(&k, id, n))
			return bad_fail();
	}
	return GIT_ENOTFOUND;
}

static int bad_exists(git_odb_backend *be, const git_oid *id)
{
	(void)be;
	(void)id;
	return 0;                   /* "not here": the others answer */
}

static void bad_free(git_odb_backend *be)
{
	free(be);
}

/* Put the guard in front of `repo`'s object database (if needed). */
static int guard(struct gh *g, git_repository *repo)
{
	struct badodb *b;
	git_odb *odb;
	int rc;

	if (!g->bad.n)
		return 0;
	if (git_repository_odb(&odb, repo))
		return -1;
	b = ls_xcalloc(1, sizeof(*b));
	git_odb_init_backend(&b->parent, GIT_ODB_BACKEND_VERSION);
	b->parent.read = bad_read;
	b->parent.read_header = bad_read_header;
	b->parent.read_prefix = bad_read_prefix;
	b->parent.exists = bad_exists;
	b->parent.free = bad_free;
	b->bad = &g->bad;
	rc = git_odb_add_backend(odb, &b->parent, BAD_PRIORITY);
	if (rc)
		free(b);
	git_odb_free(odb);
	return rc ? -1 : 0;
}

/* Open another handle on the repository, for a thread. */
static int repo_open(struct gh *g, git_repository **out)
{
	if (git_repository_open(out, g->gitdir))
		return -1;
	if (guard(g, *out)) {
		git_repository_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* ---- pass 1: commits ---- */

static uint32_t commit_get(struct gh *g, const git_oid *id)
{
	struct key24 k = mkkey(id, 0);
	uint32_t i = map_get(&g->cmap, &k);

	if (i != NONE)
		return i;
	LS_ALLOC_GROW(g->c, g->nc + 1, g->c_alloc);
	memset(&g->c[g->nc], 0, sizeof(g->c[g->nc]));
	git_oid_cpy(&g->c[g->nc].id, id);
	map_put(&g->cmap, &k, (uint32_t)g->nc);
	return (uint32_t)g->nc++;
}

/* Read commit i's tree, date and parents.  0, or -1 (error recorded). */
static int commit_load(struct gh *g, uint32_t i, uint32_t child)
{
	git_commit *cm;
	char id[GIT_OID_HEXSZ + 1];
	struct key24 k;
	unsigned n;

	if (g->c[i].flags & (C_LOADED | C_MISSING))
		return g->c[i].flags & C_MISSING ? -1 : 0;
	if (git_commit_lookup(&cm, g->repo, &g->c[i].id)) {
		hex(&g->c[i].id, id);
		g->c[i].flags |= C_MISSING;
		if (child != NONE) {
			char cid[GIT_OID_HEXSZ + 1];
			hex(&g->c[child].id, cid);
			ls_scan_error(g->scan, g->name,
				      "cannot read commit %s (parent of %s): %s",
				      id, cid, git_msg());
		} else {
			ls_scan_error(g->scan, g->name,
				      "cannot read commit %s: %s", id, git_msg());
		}
		return -1;
	}
	g->c[i].flags |= C_LOADED;
	git_oid_cpy(&g->c[i].tree, git_commit_tree_id(cm));
	g->c[i].time = (long long)git_commit_time(cm);
	k = mkkey(&g->c[i].id, 0);
	if (map_get(&g->shallow, &k) != NONE) {
		g->c[i].flags |= C_SHALLOW;
		n = 0;
	} else {
		n = git_commit_parentcount(cm);
	}
	if (n) {
		git_oid *ids = ls_xcalloc(n, sizeof(*ids));
		uint32_t *par = ls_xcalloc(n, sizeof(*par));
		for (unsigned p = 0; p < n; p++)
			git_oid_cpy(&ids[p], git_commit_parent_id(cm, p));
		git_commit_free(cm);
		/* commit_get() may move g->c */
		for (unsigned p = 0; p < n; p++)
			par[p] = commit_get(g, &ids[p]);
		free(ids);
		g->c[i].par = par;
		g->c[i].npar = n;
	} else {
		git_commit_free(cm);
	}
	return 0;
}

struct stack {
	uint32_t *v;
	size_t n, alloc;
};

static void push(struct stack *s, uint32_t i)
{
	LS_ALLOC_GROW(s->v, s->n + 1, s->alloc);
	s->v[s->n++] = i;
}

/* Mark everything reachable from the stack with `flag` (loading it). */
static void walk(struct gh *g, struct stack *st, unsigned flag,
		 unsigned stop)
{
	while (st->n) {
		uint32_t i = st->v[--st->n];
		if (g->c[i].flags & (flag | stop))
			continue;
		if (commit_load(g, i, NONE) < 0)
			continue;
		g->c[i].flags |= flag;
		for (unsigned p = 0; p < g->c[i].npar; p++) {
			uint32_t q = g->c[i].par[p];
			if (!(g->c[q].flags & (flag | stop)) &&
			    commit_load(g, q, i) == 0)
				push(st, q);
		}
	}
}

static void read_shallow(struct gh *g)
{
	char *path = ls_xasprintf("%sshallow", git_repository_commondir(g->repo));
	FILE *f = fopen(path, "r");
	char line[128];

	free(path);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		git_oid id;
		struct key24 k;
		if (strlen(line) < GIT_OID_HEXSZ ||
		    git_oid_fromstrn(&id, line, GIT_OID_HEXSZ))
			continue;
		k = mkkey(&id, 0);
		map_put(&g->shallow, &k, 1);
	}
	fclose(f);
}

/* Resolve a revision to a commit id.  0 or LS_EINVAL with err filled. */
static int rev_commit(struct gh *g, const char *rev, const char *what,
		      git_oid *out, struct ls_err *err)
{
	git_object *obj, *peeled;
	git_reference *ref;

	/* libgit2 reports a ref to an unreadable commit as "not found" */
	if (!git_reference_dwim(&ref, g->repo, rev)) {
		git_reference *res;
		if (!git_reference_resolve(&res, ref)) {
			struct key24 k = mkkey(git_reference_target(res), 0);
			char id[GIT_OID_HEXSZ + 1];
			hex(git_reference_target(res), id);
			git_reference_free(res);
			if (map_get(&g->bad, &k) != NONE) {
				git_reference_free(ref);
				return ls_err_set(err, LS_EIO, g->name, 0, 0,
						  "%s '%s': cannot read commit %s: loose object is truncated or corrupt",
						  what, rev, id);
			}
		}
		git_reference_free(ref);
	}
	if (git_revparse_single(&obj, g->repo, rev))
		return ls_err_set(err, LS_EINVAL, g->name, 0, 0,
				  "%s '%s': %s", what, rev, git_msg());
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT)) {
		git_object_free(obj);
		return ls_err_set(err, LS_EINVAL, g->name, 0, 0,
				  "%s '%s' is not a commit", what, rev);
	}
	git_oid_cpy(out, git_object_id(peeled));
	git_object_free(peeled);
	git_object_free(obj);
	return 0;
}

/*
 * The commit a resolved ref `res` (named `ref`) points at.  0 and *out;
 * 1: it points at a tree or blob (not history); -1: error recorded.
 */
static int peel_ref(struct gh *g, git_reference *ref, git_reference *res,
		    git_object **out)
{
	const git_oid *t = git_reference_target(res);
	char id[GIT_OID_HEXSZ + 1];
	struct key24 k;
	git_object *o;
	int rc;

	if (!t)
		return 1;
	hex(t, id);
	k = mkkey(t, 0);
	if (map_get(&g->bad, &k) != NONE) {
		ls_scan_error(g->scan, g->name,
			      "cannot read ref '%s': object %s: loose object is truncated or corrupt",
			      git_reference_name(ref), id);
		return -1;
	}
	if (git_object_lookup(&o, g->repo, t, GIT_OBJECT_ANY)) {
		ls_scan_error(g->scan, g->name,
			      "cannot read ref '%s': object %s: %s",
			      git_reference_name(ref), id, git_msg());
		return -1;
	}
	rc = git_object_peel(out, o, GIT_OBJECT_COMMIT);
	git_object_free(o);
	if (!rc)
		return 0;
	if (rc == GIT_EPEEL || rc == GIT_EINVALIDSPEC)
		return 1;
	ls_scan_error(g->scan, g->name, "cannot read ref '%s' (%s): %s",
		      git_reference_name(ref), id, git_msg());
	return -1;
}

/* Every ref and HEAD, peeled to commits; refs to other objects are not. */
static void all_tips(struct gh *g, struct stack *st)
{
	git_reference_iterator *it;
	git_reference *ref;
	git_object *obj;
	int rc;

	/* HEAD (detached, or an unborn branch: nothing); errors about its
	 * branch come from the ref walk below */
	if (!git_repository_head(&ref, g->repo)) {
		const git_oid *t = git_reference_target(ref);
		struct key24 k;
		if (t) {
			k = mkkey(t, 0);
			if (map_get(&g->bad, &k) == NONE &&
			    !git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT)) {
				push(st, commit_get(g, git_object_id(obj)));
				git_object_free(obj);
			}
		}
		git_reference_free(ref);
	}
	if (git_reference_iterator_new(&it, g->repo)) {
		ls_scan_error(g->scan, g->name, "cannot list refs: %s",
			      git_msg());
		return;
	}
	while ((rc = git_reference_next(&ref, it)) == 0) {
		git_reference *res;
		if (git_reference_resolve(&res, ref)) {
			ls_scan_note(g->scan, g->name,
				     "ignoring broken ref '%s'",
				     git_reference_name(ref));
			git_reference_free(ref);
			continue;
		}
		if (peel_ref(g, ref, res, &obj) == 0) {
			push(st, commit_get(g, git_object_id(obj)));
			git_object_free(obj);
		}
		git_reference_free(res);
		git_reference_free(ref);
	}
	if (rc != GIT_ITEROVER)
		ls_scan_error(g->scan, g->name, "cannot list refs: %s",
			      git_msg());
	git_reference_iterator_free(it);
}

static int tips(struct gh *g, struct ls_err *err)
{
	struct stack st = { 0 };
	git_oid id;

	if (g->o->range) {
		git_revspec spec;
		if (git_revparse(&spec, g->repo, g->o->range))
			return ls_err_set(err, LS_EINVAL, g->name, 0, 0,
					  "bad --range '%s': %s", g->o->range,
					  git_msg());
		git_object_free(spec.from);
		git_object_free(spec.to);
		if (!(spec.flags & GIT_REVSPEC_RANGE) ||
		    (spec.flags & GIT_REVSPEC_MERGE_BASE))
			return ls_err_set(err, LS_EINVAL, g->name, 0, 0,
					  "--range wants A..B, not '%s'",
					  g->o->range);
		{
			const char *dots = strstr(g->o->range, "..");
			char *a = ls_xstrndup(g->o->range,
					      (size_t)(dots - g->o->range));
			const char *b = dots + 2;
			int rc = rev_commit(g, a[0] ? a : "HEAD", "--range", &id,
					    err);
			free(a);
			if (rc)
				return rc;
			push(&st, commit_get(g, &id));
			walk(g, &st, C_HIDDEN, 0);
			if (rev_commit(g, b[0] ? b : "HEAD", "--range", &id, err)) {
				free(st.v);
				return err->code;
			}
			push(&st, commit_get(g, &id));
		}
	} else if (g->o->branch) {
		if (rev_commit(g, g->o->branch, "--branch", &id, err))
			return err->code;
		push(&st, commit_get(g, &id));
	} else {
		all_tips(g, &st);
	}
	walk(g, &st, C_INCLUDED, C_HIDDEN);
	free(st.v);
	return 0;
}

/* Heap of ready commits: older committer date first, then id. */
static int older(const struct gh *g, uint32_t a, uint32_t b)
{
	if (g->c[a].time != g->c[b].time)
		return g->c[a].time < g->c[b].time;
	return git_oid_cmp(&g->c[a].id, &g->c[b].id) < 0;
}

static void heap_push(const struct gh *g, struct stack *h, uint32_t i)
{
	size_t k;

	push(h, i);
	for (k = h->n - 1; k > 0; k = (k - 1) / 2) {
		uint32_t p = h->v[(k - 1) / 2];
		if (!older(g, h->v[k], p))
			break;
		h->v[(k - 1) / 2] = h->v[k];
		h->v[k] = p;
	}
}

static uint32_t heap_pop(const struct gh *g, struct stack *h)
{
	uint32_t top = h->v[0];
	size_t k = 0;

	h->v[0] = h->v[--h->n];
	for (;;) {
		size_t l = 2 * k + 1, r = l + 1, m = k;
		uint32_t t;
		if (l < h->n && older(g, h->v[l], h->v[m]))
			m = l;
		if (r < h->n && older(g, h->v[r], h->v[m]))
			m = r;
		if (m == k)
			break;
		t = h->v[m];
		h->v[m] = h->v[k];
		h->v[k] = t;
		k = m;
	}
	return top;
}

static int included(const struct gh *g, uint32_t i)
{
	return (g->c[i].flags & C_INCLUDED) != 0;
}

static void topo_order(struct gh *g)
{
	uint32_t *kids;
	size_t nk = 0;
	struct stack heap = { 0 };

	if (g->o->has_since)
		for (size_t i = 0; i < g->nc; i++)
			if (included(g, (uint32_t)i) &&
			    g->c[i].time < g->o->since)
				g->c[i].flags &= ~(unsigned)C_INCLUDED;
	/* children lists (included parents -> included children) */
	for (size_t i = 0; i < g->nc; i++) {
		if (!included(g, (uint32_t)i))
			continue;
		for (unsigned p = 0; p < g->c[i].npar; p++) {
			uint32_t q = g->c[i].par[p];
			if (included(g, q)) {
				g->c[q].nkids++;
				g->c[i].pending++;
			}
		}
	}
	for (size_t i = 0; i < g->nc; i++) {
		g->c[i].kid0 = (uint32_t)nk;
		nk += g->c[i].nkids;
		g->c[i].nkids = 0;
	}
	kids = ls_xcalloc(nk ? nk : 1, sizeof(*kids));
	for (size_t i = 0; i < g->nc; i++) {
		if (!included(g, (uint32_t)i))
			continue;
		for (unsigned p = 0; p < g->c[i].npar; p++) {
			uint32_t q = g->c[i].par[p];
			if (included(g, q))
				kids[g->c[q].kid0 + g->c[q].nkids++] = (uint32_t)i;
		}
	}
	g->order = ls_xcalloc(g->nc ? g->nc : 1, sizeof(*g->order));
	for (size_t i = 0; i < g->nc; i++)
		if (included(g, (uint32_t)i) && !g->c[i].pending)
			heap_push(g, &heap, (uint32_t)i);
	while (heap.n) {
		uint32_t i = heap_pop(g, &heap);
		g->order[g->norder++] = i;
		for (uint32_t k = 0; k < g->c[i].nkids; k++) {
			uint32_t ch = kids[g->c[i].kid0 + k];
			/* a parent listed twice has two entries here */
			g->c[ch].pending--;
			if (!g->c[ch].pending && !(g->c[ch].flags & C_QUEUED)) {
				g->c[ch].flags |= C_QUEUED;
				heap_push(g, &heap, ch);
			}
		}
	}
	free(heap.v);
	free(kids);
	if (g->o->max_commits && g->norder > g->o->max_commits) {
		size_t drop = g->norder - g->o->max_commits;
		for (size_t k = 0; k < drop; k++)
			g->c[g->order[k]].flags &= ~(unsigned)C_INCLUDED;
		memmove(g->order, g->order + drop,
			(g->norder - drop) * sizeof(*g->order));
		g->norder -= drop;
	}
}

/*
 * Memory at the end of each pass, for the -v note (docs/performance.md):
 * resident, anonymous and file-backed kB from /proc/self/status (0 where
 * there is none), and what libgit2's object cache holds.
 */
struct memmark {
	long rss, anon, file, hwm;
	long long cached;
	long inuse, heap;           /* malloc: in use, held (MB) */
};

static void mem_mark(struct memmark *m)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	ssize_t cur = 0, allowed = 0;

	memset(m, 0, sizeof(*m));
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmRSS:", 6))
			m->rss = strtol(line + 6, NULL, 10);
		else if (!strncmp(line, "RssAnon:", 8))
			m->anon = strtol(line + 8, NULL, 10);
		else if (!strncmp(line, "RssFile:", 8))
			m->file = strtol(line + 8, NULL, 10);
		else if (!strncmp(line, "VmHWM:", 6))
			m->hwm = strtol(line + 6, NULL, 10);
	}
	if (f)
		fclose(f);
	git_libgit2_opts(GIT_OPT_GET_CACHED_MEMORY, &cur, &allowed);
	m->cached = (long long)cur;
	{
		struct mallinfo2 mi = mallinfo2();
		m->inuse = (long)((mi.uordblks + mi.hblkhd) >> 20);
		m->heap = (long)((mi.arena + mi.hblkhd) >> 20);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- pass 2: events ---- */

struct change {
	char *path;
	git_oid old, new;
	int has_old, has_new;
};

struct changes {
	struct change *v;
	size_t n, alloc;
};

enum kind { K_NONE, K_TREE, K_FILE };

static enum kind entry_kind(const git_tree_entry *e)
{
	git_filemode_t m;

	if (!e)
		return K_NONE;
	m = git_tree_entry_filemode(e);
	if (m == GIT_FILEMODE_TREE)
		return K_TREE;
	if (m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE)
		return K_FILE;
	return K_NONE;   /* symbolic links, gitlinks (submodules) */
}

static void change_add(struct changes *cs, const char *path,
		       const git_tree_entry *o, const git_tree_entry *n)
{
	struct change *c;

	LS_ALLOC_GROW(cs->v, cs->n + 1, cs->alloc);
	c = &cs->v[cs->n++];
	memset(c, 0, sizeof(*c));
	c->path = ls_xstrdup(path);
	if (o) {
		git_oid_cpy(&c->old, git_tree_entry_id(o));
		c->has_old = 1;
	}
	if (n) {
		git_oid_cpy(&c->new, git_tree_entry_id(n));
		c->has_new = 1;
	}
}

static int tree_get(struct gh *g, git_repository *repo, const git_oid *id,
		    uint32_t commit, const char *prefix, git_tree **out)
{
	char tid[GIT_OID_HEXSZ + 1], cid[GIT_OID_HEXSZ + 1];

	*out = NULL;
	if (!id)
		return 0;
	if (!git_tree_lookup(out, repo, id))
		return 0;
	hex(id, tid);
	hex(&g->c[commit].id, cid);
	ls_scan_error(g->scan, g->name, "cannot read tree %s%s%s%s in commit %s: %s",
		      tid, prefix[0] ? " ('" : "", prefix,
		      prefix[0] ? "')" : "", cid, git_msg());
	return -1;
}

/*
 * Compare trees a (old, may be NULL) and b (new, may be NULL) under
 * `prefix`; append file changes to `cs`.
 */
static void diff_trees(struct gh *g, git_repository *repo, uint32_t commit,
		       const git_oid *a, const git_oid *b, const char *prefix,
		       int depth, struct changes *cs)
{
	git_tree *ta, *tb;
	size_t na, nb, i = 0, j = 0;
	char *path = NULL;
	size_t plen = strlen(prefix);

	if (depth > LS_GIT_DEPTH_MAX) {
		ls_scan_error(g->scan, g->name,
			      "'%s': trees nested deeper than %d; not scanned",
			      prefix, LS_GIT_DEPTH_MAX);
		return;
	}
	if (tree_get(g, repo, a, commit, prefix, &ta) < 0)
		return;
	if (tree_get(g, repo, b, commit, prefix, &tb) < 0) {
		git_tree_free(ta);
		return;
	}
	na = ta ? git_tree_entrycount(ta) : 0;
	nb = tb ? git_tree_entrycount(tb) : 0;
	while (i < na || j < nb) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(ta, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(tb, j) : NULL;
		int cmp = !ea ? 1 : !eb ? -1 : git_tree_entry_cmp(ea, eb);
		const git_tree_entry *e;
		enum kind ka, kb;
		size_t len;

		if (cmp < 0) {
			eb = NULL;
			i++;
		} else if (cmp > 0) {
			ea = NULL;
			j++;
		} else {
			i++;
			j++;
			if (!git_oid_cmp(git_tree_entry_id(ea),
					 git_tree_entry_id(eb)) &&
			    entry_kind(ea) == entry_kind(eb))
				continue;
		}
		ka = entry_kind(ea);
		kb = entry_kind(eb);
		if (ka == K_NONE && kb == K_NONE)
			continue;
		e = ea ? ea : eb;
		len = plen + 1 + strlen(git_tree_entry_name(e));
		if (len > LS_GIT_PATH_MAX) {
			ls_scan_error(g->scan, g->name,
				      "'%s/%.64s...': path longer than %d bytes; not scanned",
				      prefix, git_tree_entry_name(e),
				      LS_GIT_PATH_MAX);
			continue;
		}
		free(path);
		path = plen ? ls_xasprintf("%s/%s", prefix, git_tree_entry_name(e))
			    : ls_xstrdup(git_tree_entry_name(e));
		if (ka == K_TREE || kb == K_TREE) {
			diff_trees(g, repo, commit,
				   ka == K_TREE ? git_tree_entry_id(ea) : NULL,
				   kb == K_TREE ? git_tree_entry_id(eb) : NULL,
				   path, depth + 1, cs);
			/* a file replaced by a directory, or the reverse */
			if (ka == K_FILE)
				change_add(cs, path, ea, NULL);
			if (kb == K_FILE)
				change_add(cs, path, NULL, eb);
			continue;
		}
		change_add(cs, path, ka == K_FILE ? ea : NULL,
			   kb == K_FILE ? eb : NULL);
	}
	free(path);
	git_tree_free(ta);
	git_tree_free(tb);
}

/* 1 if a rule without keywords (it reads the whole blob) applies here. */
static int nokw_applies(struct gh *g, const char *path)
{
	const struct ls_ruleset *rs = g->scan->rs;

	for (size_t k = 0; k < rs->nnokw; k++) {
		const struct ls_rule *r = rs->rules[rs->nokw[k]];
		if (!r->path || pcre2_match(r->path, (PCRE2_SPTR)path,
					    strlen(path), 0, 0, g->md,
					    g->mctx) >= 0)
			return 1;
	}
	return 0;
}

/*
 * The job for `blob` at `path` in `commit`; with `plain`, as in a commit
 * no commit allowlist names.
 */
static uint32_t job_for(struct gh *g, const git_oid *blob, uint32_t path,
			uint32_t commit, int plain, int *listed)
{
	uint32_t cls = class_of(g, path, plain ? NONE : commit, listed);
	struct key24 k = mkkey(blob, cls);
	uint32_t j = map_get(&g->jobmap, &k);
	struct job *jb;
	int done;

	if (j != NONE)
		return j;
	/* done in an earlier window? */
	if (cls == 0) {
		const struct ls_blobset_entry *f =
			ls_blobset_find(&g->first, blob->id, 0);
		done = f && (f->tag & DONE0);
	} else {
		done = map_get(&g->done_other, &k) != NONE;
	}
	if (done) {
		j = map_get(&g->found_map, &k);
		return j == NONE ? REF_CLEAN : REF_PAST | j;
	}
	LS_ALLOC_GROW(g->jobs, g->njobs + 1, g->jobs_alloc);
	jb = &g->jobs[g->njobs];
	memset(jb, 0, sizeof(*jb));
	git_oid_cpy(&jb->blob, blob);
	jb->cls = cls;
	jb->path = path;
	jb->commit = commit;
	jb->listed = *listed;
	jb->whole = nokw_applies(g, g->paths[path]);
	ls_findings_init(&jb->res);
	map_put(&g->jobmap, &k, (uint32_t)g->njobs);
	return (uint32_t)g->njobs++;
}

/*
 * Add an event unless (blob, path) was had before.  `base`: the blob the
 * first parent had at this path (NULL: none).
 */
static void event_add(struct gh *g, uint32_t commit, const char *path,
		      const git_oid *blob, int silent, const git_oid *base)
{
	uint32_t pid = path_intern(g, path);
	struct ls_blobset_entry *f = ls_blobset_find(&g->first, blob->id, 0);
	struct event *e;
	struct job *jb;
	int listed;

	/* (blob, path) had before? */
	if (!f) {
		ls_blobset_add(&g->first, blob->id, pid);
	} else {
		if ((f->tag & ~DONE0) == pid ||
		    ls_blobset_find(&g->more, blob->id, pid))
			return;
		ls_blobset_add(&g->more, blob->id, pid);
	}
	g->tot_ev++;
	LS_ALLOC_GROW(g->ev, g->nev + 1, g->ev_alloc);
	e = &g->ev[g->nev++];
	e->commit = commit;
	e->path = pid;
	e->silent = silent;
	e->job = job_for(g, blob, pid, commit, 0, &listed);
	/*
	 * A commit allowlist drops what the listed commit adds; what it
	 * drops is still known afterwards, so the same blob is also
	 * scanned as in any other commit, to mark those secrets seen.
	 */
	e->plain = NONE;
	if (listed)
		e->plain = job_for(g, blob, pid, commit, 1, &listed);
	if (e->job >= REF_PAST)
		return;             /* scanned in an earlier window */
	jb = &g->jobs[e->job];
	/* the fast path needs one previous version, at the same path */
	if (silent || !base)
		jb->base_state = BASE_NONE;
	else if (jb->base_state == BASE_UNSET) {
		git_oid_cpy(&jb->base, base);
		jb->base_state = BASE_ONE;
	} else if (jb->base_state == BASE_ONE && git_oid_cmp(&jb->base, base))
		jb->base_state = BASE_NONE;
}

/* The blob at `path` in commit q's tree, if it is a file. */
static int blob_at(struct gh *g, uint32_t q, const char *path, git_oid *out)
{
	git_tree *t;
	git_tree_entry *e;
	int ok = 0;

	if (!(g->c[q].flags & C_LOADED) ||
	    git_tree_lookup(&t, g->repo, &g->c[q].tree))
		return 0;
	if (!git_tree_entry_bypath(&e, t, path)) {
		if (entry_kind(e) == K_FILE) {
			git_oid_cpy(out, git_tree_entry_id(e));
			ok = 1;
		}
		git_tree_entry_free(e);
	}
	git_tree_free(t);
	return ok;
}

static int cmp_oid_only(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/* What commit i changed against its first parent (or against nothing). */
static void diff_commit(struct gh *g, git_repository *repo, uint32_t i,
			struct changes *cs)
{
	const struct gcommit *c = &g->c[i];
	uint32_t p1 = NONE;

	if (c->npar && (g->c[c->par[0]].flags & C_LOADED))
		p1 = c->par[0];
	diff_trees(g, repo, i, p1 != NONE ? &g->c[p1].tree : NULL, &c->tree,
		   "", 0, cs);
}

/* Turn commit i's changes into events (in commit order); frees `cs`. */
static void commit_events(struct gh *g, uint32_t i, struct changes *cs)
{
	const struct gcommit *c = &g->c[i];
	git_oid *gone;
	size_t ngone = 0;

	/* exact renames: blobs this commit removed from some path */
	gone = ls_xcalloc(cs->n ? cs->n : 1, sizeof(*gone));
	for (size_t k = 0; k < cs->n; k++)
		if (cs->v[k].has_old && !cs->v[k].has_new)
			git_oid_cpy(&gone[ngone++], &cs->v[k].old);
	ls_sort(gone, ngone, sizeof(*gone), cmp_oid_only);
	for (size_t k = 0; k < cs->n; k++) {
		struct change *ch = &cs->v[k];
		int silent = 0;
		if (!ch->has_new)
			continue;
		/* what the parents had at this path is known */
		if (ch->has_old)
			event_add(g, i, ch->path, &ch->old, 1, NULL);
		for (unsigned p = 1; p < c->npar; p++) {
			git_oid o;
			if (blob_at(g, c->par[p], ch->path, &o)) {
				event_add(g, i, ch->path, &o, 1, NULL);
				silent |= !git_oid_cmp(&o, &ch->new);
			}
		}
		if (!ch->has_old && ngone &&
		    bsearch(&ch->new, gone, ngone, sizeof(*gone), cmp_oid_only))
			silent = 1;
		event_add(g, i, ch->path, &ch->new, silent,
			  ch->has_old ? &ch->old : NULL);
	}
	for (size_t k = 0; k < cs->n; k++)
		free(cs->v[k].path);
	free(cs->v);
	free(gone);
	memset(cs, 0, sizeof(*cs));
}

/*
 * Pass 2 in windows of DIFF_WINDOW commits: the tree diffs of a window run
 * on all threads (each with its own repository handle and tree cache,
 * taking DIFF_BATCH neighbouring commits at a time, so a parent's trees are
 * usually still cached), then the main thread turns them into events in
 * commit order.  The window bounds the memory the changes take.
 */
#define DIFF_WINDOW 4096
#define DIFF_BATCH 16
/*
 * Jobs per window of passes 3 and 4.  A job and its events take ~200
 * bytes while in the window; more jobs per window read more blobs in
 * pack order (docs/performance.md).
 */
#define JOB_WINDOW 65536

struct differ {
	struct gh *g;
	git_repository *repo;
	struct changes *chg;        /* the window's, by position */
	size_t base, n;
	size_t *next;
};

static void *diff_main(void *arg)
{
	struct differ *d = arg;
	struct gh *g = d->g;

	for (;;) {
		size_t k, end;
		/* g is set: make_events() runs at least one worker, since
		 * ls_scan_threads() (another file, unseen by clang-analyzer)
		 * returns at least 1 */
		/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
		pthread_mutex_lock(&g->lock);
		k = *d->next;
		*d->next += DIFF_BATCH;
		pthread_mutex_unlock(&g->lock);
		if (k >= d->n || ls_scan_expired(g->scan))
			break;
		end = k + DIFF_BATCH < d->n ? k + DIFF_BATCH : d->n;
		for (; k < end; k++)
			diff_commit(g, d->repo, g->order[d->base + k],
				    &d->chg[k]);
	}
	return NULL;
}

static void flush(struct gh *g);

/*
 * Pass 2, with passes 3 and 4 run on the window of events whenever it
 * holds JOB_WINDOW jobs, and at the end.
 */
static void make_events(struct gh *g)
{
	unsigned n = g->nthreads;
	struct differ d[LS_THREADS_MAX];
	pthread_t th[LS_THREADS_MAX];
	struct changes *chg;
	size_t next;

	if (!g->norder)
		return;
	if ((size_t)n > (g->norder + DIFF_BATCH - 1) / DIFF_BATCH)
		n = (unsigned)((g->norder + DIFF_BATCH - 1) / DIFF_BATCH);
	memset(d, 0, sizeof(d));
	for (unsigned t = 0; t < n; t++)
		d[t].repo = g->repos[t];
	chg = ls_xcalloc(DIFF_WINDOW, sizeof(*chg));
	for (size_t base = 0; base < g->norder; base += DIFF_WINDOW) {
		size_t cnt = g->norder - base < DIFF_WINDOW ? g->norder - base
							     : DIFF_WINDOW;
		unsigned started = 0;
		next = 0;
		for (unsigned t = 0; t < n; t++) {
			d[t].g = g;
			d[t].chg = chg;
			d[t].base = base;
			d[t].n = cnt;
			d[t].next = &next;
		}
		for (unsigned t = 1; t < n; t++) {
			if (pthread_create(&th[t], NULL, diff_main, &d[t]))
				break;
			started = t;
		}
		diff_main(&d[0]);
		for (unsigned t = 1; t <= started; t++)
			pthread_join(th[t], NULL);
		for (size_t k = 0; k < cnt; k++) {
			commit_events(g, g->order[base + k], &chg[k]);
			if (g->njobs >= JOB_WINDOW)
				flush(g);
		}
	}
	free(chg);
	flush(g);
}

/* ---- pass 3: scanning jobs ---- */

static int cmp_pos(const void *pa, const void *pb)
{
	const struct ls_finding *a = *(struct ls_finding *const *)pa;
	const struct ls_finding *b = *(struct ls_finding *const *)pb;
	int c;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	if (a->rule->index != b->rule->index)
		return a->rule->index < b->rule->index ? -1 : 1;
	if (a->secret_len != b->secret_len)
		return a->secret_len < b->secret_len ? -1 : 1;
	c = memcmp(a->secret, b->secret, a->secret_len);
	return c;
}

struct scanner {
	struct gh *g;
	git_repository *repo;
	git_odb *odb;
	struct ls_scan tmp;         /* findings land here, then move */
	struct ls_worker *w;
	struct ls_prefilter_scratch *bigpfs;   /* for g->bigpf */
	unsigned long long files, bytes;
	unsigned long long scanned;     /* bytes through the matcher */
};

static void move_errors(struct gh *g, struct ls_scan *tmp, const char *cid)
{
	for (size_t k = 0; k < tmp->errors.n; k++) {
		ls_scan_error(g->scan, g->name, "commit %.12s: %s", cid,
			      tmp->errors.v[k]);
		free(tmp->errors.v[k]);
	}
	tmp->errors.n = 0;
	for (size_t k = 0; k < tmp->notes.n; k++) {
		ls_scan_note(g->scan, g->name, "commit %.12s: %s", cid,
			     tmp->notes.v[k]);
		free(tmp->notes.v[k]);
	}
	tmp->notes.n = 0;
}

/*
 * The fast path.  A blob that replaces one earlier version at the same
 * path (the common case: an edit) can hold a secret that version did not
 * have only near the bytes that differ, because the matcher decides each
 * match from a bounded neighbourhood: a rule's regex runs only in a window
 * from LS_RULE_LOOKBEHIND bytes before one of its keyword hits to `window`
 * bytes after it, widened to whole lines, and the allowlists look at the
 * lines around the match.  A new match therefore lies within `reach` bytes
 * of a changed byte (reach: lookbehind + window + line slack), and the
 * window of any hit that can produce such a match lies within 2 * reach.
 * Scanning the changed bytes plus 2 * reach on each side, cut at line
 * starts, and keeping the matches that start within reach of the change,
 * gives exactly what a whole-blob scan gives there: the same rule, secret,
 * line and column.  What lies farther away was in the old version, whose
 * secrets at this path are already known (it was scanned, or is itself
 * an edit of a version that was).
 *
 * `reach` is derived from the default window.  Rules with a larger window
 * (multi-line formats: Kubernetes manifests, JWTs in JSON) and rules
 * without keywords would need far more context; a blob holding a keyword
 * of such a rule anywhere takes the whole scan (a small prefilter of just
 * those keywords decides).  Rules without keywords read whole blobs: the
 * paths they apply to take the whole scan (and one that applies to every
 * path turns the fast path off).  So do commit allowlists, binary blobs,
 * blobs over one chunk, and changes covering most of a blob.
 *
 * The changed bytes are one range: the two versions minus their common
 * prefix and suffix (two memcmp-like loops).  LAYERSCAN_GIT_FULL_SCAN=1
 * (opts->full_scan) turns the fast path off; the e2e tests and `make
 * bench-git` compare both on real histories.
 */
#define FAST_SLACK 512           /* line widening at both window ends */

static void on_big_hit(void *ud, unsigned rule, size_t start, size_t len)
{
	(void)rule;
	(void)start;
	(void)len;
	*(int *)ud = 1;
}

/*
 * Set up the fast path for this rule set: g->reach (0: off) and the
 * prefilter of the keywords of rules with wide windows.
 */
static void fast_init(struct gh *g)
{
	const struct ls_ruleset *rs = g->scan->rs;
	g->reach = 0;
	if (g->o->full_scan || g->ncconds)
		return;
	/* a rule without keywords runs over the whole blob: only those
	 * kept to some paths (config/master.key) leave the others alone */
	for (size_t k = 0; k < rs->nnokw; k++)
		if (!rs->rules[rs->nokw[k]]->path)
			return;
	g->reach = LS_RULE_LOOKBEHIND + LS_RULE_WINDOW_DEFAULT + FAST_SLACK;
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct ls_rule *r = rs->rules[i];
		if (!r->regex || r->window <= LS_RULE_WINDOW_DEFAULT)
			continue;
		if (!g->bigpf)
			g->bigpf = ls_prefilter_new();
		for (size_t k = 0; k < r->nkeywords; k++)
			ls_prefilter_add(g->bigpf, r->keywords[k],
					 strlen(r->keywords[k]), r->index);
		if (LS_RULE_LOOKBEHIND + r->window + FAST_SLACK > g->bigreach)
			g->bigreach = LS_RULE_LOOKBEHIND + r->window + FAST_SLACK;
	}
	if (g->bigpf)
		ls_prefilter_build(g->bigpf);
}

/* Where a finding's secret starts, as an offset in buf[0..len). */
static size_t finding_offset(const char *buf, size_t len, unsigned long line,
			     unsigned long col)
{
	size_t off = 0;

	while (line > 1 && off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		if (!nl)
			return len;
		off = (size_t)(nl - buf) + 1;
		line--;
	}
	return off + col - 1;
}

static unsigned long count_lines(const char *buf, size_t len)
{
	unsigned long n = 0;
	const char *p = buf, *end = buf + len;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		n++;
		p++;
	}
	return n;
}

static size_t common_prefix(const char *a, const char *b, size_t n)
{
	size_t i = 0;

	while (i + 64 <= n && !memcmp(a + i, b + i, 64))
		i += 64;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* Common suffix of a[0..al) and b[0..bl), at most n bytes. */
static size_t common_suffix(const char *a, size_t al, const char *b,
			    size_t bl, size_t n)
{
	size_t i = 0;

	while (i + 64 <= n && !memcmp(a + al - i - 64, b + bl - i - 64, 64))
		i += 64;
	while (i < n && a[al - 1 - i] == b[bl - 1 - i])
		i++;
	return i;
}

/*
 * Scan only the part of `nb` (new) that differs from `ob` (old), with
 * context.  Returns 1 when done (findings in s->tmp), 0 when the whole
 * blob must be scanned instead (s->tmp is then empty).
 */
static int scan_changed(struct scanner *s, const struct ls_item *it,
			const char *nb, size_t nl, const char *ob, size_t ol)
{
	struct gh *g = s->g;
	size_t reach = g->reach, p, q, rs, re, lim;
	struct ls_findings *res = &s->tmp.findings;
	unsigned long base_line;
	int big = 0;

	if (nl > LS_CHUNK_SIZE || nl < 4 * reach ||
	    ls_is_binary(nb, nl) || ls_is_binary(ob, ol))
		return 0;
	lim = nl < ol ? nl : ol;
	p = common_prefix(nb, ob, lim);
	q = nl - common_suffix(nb, nl, ob, ol, lim - p);
	rs = p > reach ? p - reach : 0;
	re = q + reach < nl ? q + reach : nl;
	if (re - rs > nl / 2)
		return 0;
	if (g->bigpf) {
		/* hits whose wide window reaches the change */
		size_t bs = p > g->bigreach ? p - g->bigreach : 0;
		size_t be = q + LS_RULE_LOOKBEHIND + FAST_SLACK;
		if (be > nl)
			be = nl;
		ls_prefilter_scan(g->bigpf, s->bigpfs,
				  (const unsigned char *)nb + bs, be - bs,
				  on_big_hit, &big);
		if (big)
			return 0;
	}
	/* start at a line start and end after a newline, so that lines and
	 * columns are the whole blob's */
	lim = rs > LS_RULE_WINDOW_DEFAULT ? rs - LS_RULE_WINDOW_DEFAULT : 0;
	while (rs > lim && nb[rs - 1] != '\n')
		rs--;
	if (rs > 0 && nb[rs - 1] != '\n')
		return 0;
	lim = re + LS_RULE_WINDOW_DEFAULT < nl ? re + LS_RULE_WINDOW_DEFAULT : nl;
	while (re < lim && nb[re - 1] != '\n')
		re++;
	if (re < nl && nb[re - 1] != '\n')
		return 0;
	base_line = count_lines(nb, rs);
	ls_worker_scan_buffer(s->w, it, nb + rs, re - rs);
	s->scanned += re - rs;
	/*
	 * Trust the region only if every match in it starts in the changed
	 * bytes: one outside may be an old secret, or one whose window the
	 * region cut; findings are rare, so the whole scan settles it.
	 */
	for (size_t k = 0; k < res->n; k++) {
		struct ls_finding *f = res->v[k];
		size_t off;
		if (!f->line)
			continue;
		off = rs + finding_offset(nb + rs, re - rs, f->line, f->column);
		if (off < p || off >= q) {
			for (size_t j = 0; j < res->n; j++)
				ls_finding_free(res->v[j]);
			res->n = 0;
			return 0;
		}
	}
	{
		size_t kept = 0;
		for (size_t k = 0; k < res->n; k++) {
			struct ls_finding *f = res->v[k];
			/* path-only findings: the old version had them */
			if (!f->line) {
				ls_finding_free(f);
				continue;
			}
			f->line += base_line;
			f->end_line += base_line;
			res->v[kept++] = f;
		}
		res->n = kept;
	}
	return 1;
}

static void run_job(struct scanner *s, struct job *jb)
{
	struct gh *g = s->g;
	const char *path = g->paths[jb->path];
	char bid[GIT_OID_HEXSZ + 1], cid[GIT_OID_HEXSZ + 1];
	struct ls_finding_commit fc;
	struct ls_item it;
	git_object_t type;
	git_blob *b, *ob = NULL;
	size_t size;
	int done = 0;

	hex(&jb->blob, bid);
	hex(&g->c[jb->commit].id, cid);
	if (git_odb_read_header(&size, &type, s->odb, &jb->blob) ||
	    git_blob_lookup(&b, s->repo, &jb->blob)) {
		ls_scan_error(g->scan, g->name,
			      "cannot read blob %s ('%s' in commit %s): %s",
			      bid, path, cid, git_msg());
		return;
	}
	(void)type;
	if (size > g->max_size) {
		char sz[LS_SIZE_BUF], sz2[LS_SIZE_BUF];
		ls_scan_error(g->scan, g->name,
			      "blob %s ('%s' in commit %s) is larger than %s (--max-file-size, at most %s for git); not scanned",
			      bid, path, cid, ls_size_format(sz, sizeof(sz), g->max_size),
			      ls_size_format(sz2, sizeof(sz2), LS_GIT_BLOB_MAX));
		git_blob_free(b);
		return;
	}
	memset(&it, 0, sizeof(it));
	memset(&fc, 0, sizeof(fc));
	fc.id = cid;
	it.source = LS_SOURCE_COMMIT;
	it.path = (char *)path;
	it.commit = jb->listed ? &fc : NULL;
	it.history_index = -1;
	if (jb->base_state == BASE_ONE && g->reach && !jb->whole &&
	    (size_t)git_blob_rawsize(b) <= LS_CHUNK_SIZE &&
	    !git_blob_lookup(&ob, s->repo, &jb->base)) {
		done = scan_changed(s, &it, git_blob_rawcontent(b),
				    (size_t)git_blob_rawsize(b),
				    git_blob_rawcontent(ob),
				    (size_t)git_blob_rawsize(ob));
		git_blob_free(ob);
	}
	if (!done) {
		ls_worker_scan_buffer(s->w, &it, git_blob_rawcontent(b),
				      (size_t)git_blob_rawsize(b));
		s->scanned += (unsigned long long)git_blob_rawsize(b);
	}
	/* now, not at the end, for the CLI's progress line */
	pthread_mutex_lock(&g->scan->lock);
	g->scan->stats.files++;
	g->scan->stats.bytes += (unsigned long long)git_blob_rawsize(b);
	pthread_mutex_unlock(&g->scan->lock);
	git_blob_free(b);
	ls_findings_take(&jb->res, &s->tmp.findings);
	ls_sort(jb->res.v, jb->res.n, sizeof(*jb->res.v), cmp_pos);
	if (s->tmp.errors.n || s->tmp.notes.n)
		move_errors(g, &s->tmp, cid);
}

/*
 * Threads take runs of JOB_BATCH neighbouring jobs: neighbours in a pack
 * share delta bases, and each thread keeps its own base cache warm.
 */
#define JOB_BATCH 32

static void *scan_main(void *arg)
{
	struct scanner *s = arg;
	struct gh *g = s->g;

	for (;;) {
		size_t j, end;
		pthread_mutex_lock(&g->lock);
		j = g->next_job;
		g->next_job += JOB_BATCH;
		pthread_mutex_unlock(&g->lock);
		if (j >= g->njobs || ls_scan_expired(g->scan))
			break;
		end = j + JOB_BATCH < g->njobs ? j + JOB_BATCH : g->njobs;
		for (; j < end; j++)
			run_job(s, &g->jobs[g->run[j]]);
	}
	return NULL;
}

/* A scanner on `repo` (borrowed). */
static int scanner_init(struct gh *g, struct scanner *s, git_repository *repo)
{
	memset(s, 0, sizeof(*s));
	s->g = g;
	s->repo = repo;
	if (git_repository_odb(&s->odb, s->repo))
		return -1;
	ls_scan_init(&s->tmp, g->scan->rs, &g->scan->opts);
	s->w = ls_worker_new(&s->tmp);
	if (g->bigpf)
		s->bigpfs = ls_prefilter_scratch_new(g->bigpf);
	return 0;
}

static void scanner_release(struct gh *g, struct scanner *s)
{
	ls_worker_free(s->w);
	ls_prefilter_scratch_free(s->bigpfs);
	ls_scan_release(&s->tmp);
	git_odb_free(s->odb);
	pthread_mutex_lock(&g->scan->lock);
	g->scan->stats.files += s->files;
	g->scan->stats.bytes += s->bytes;
	pthread_mutex_unlock(&g->scan->lock);
	g->scanned += s->scanned;
}

struct runkey {
	uint64_t pack, off;
	uint32_t job;
};

static int cmp_runkey(const void *pa, const void *pb)
{
	const struct runkey *a = pa, *b = pb;

	if (a->pack != b->pack)
		return a->pack < b->pack ? -1 : 1;
	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	return a->job < b->job ? -1 : a->job > b->job;
}

/*
 * Pack order.  Reading blobs in the order of their pack offsets is four
 * times faster than in commit order: a delta's base comes before it in the
 * pack, so the base is usually still in libgit2's delta-base cache, where
 * reading oldest commit first walks every delta chain from its far end.
 * An object in no pack (loose, or in an alternate) goes last.
 */
static void pack_order(struct gh *g)
{
	struct runkey *k = ls_xcalloc(g->njobs, sizeof(*k));

	for (size_t j = 0; j < g->njobs; j++) {
		packs_find(g, &g->jobs[j].blob, &k[j].pack, &k[j].off);
		k[j].job = (uint32_t)j;
	}
	ls_sort(k, g->njobs, sizeof(*k), cmp_runkey);
	g->run = ls_xcalloc(g->njobs, sizeof(*g->run));
	for (size_t j = 0; j < g->njobs; j++)
		g->run[j] = k[j].job;
	free(k);
}

/*
 * One repository handle and one scanner per thread, for the whole
 * history scan (g->repos[0] is g->repo).  0, or -1 when not even the
 * first can be made (error recorded).
 */
static int threads_open(struct gh *g)
{
	unsigned n = ls_scan_threads(&g->scan->opts);

	g->repos[0] = g->repo;
	for (unsigned t = 1; t < n; t++)
		if (repo_open(g, &g->repos[t])) {
			n = t;
			break;
		}
	g->sc = ls_xcalloc(n, sizeof(*g->sc));
	for (unsigned t = 0; t < n; t++) {
		if (scanner_init(g, &g->sc[t], g->repos[t]) < 0) {
			n = t;
			break;
		}
	}
	g->nthreads = n;
	if (!n) {
		ls_scan_error(g->scan, g->name, "cannot open the object database: %s",
			      git_msg());
		return -1;
	}
	return 0;
}

static void threads_close(struct gh *g)
{
	for (unsigned t = 0; t < g->nthreads; t++)
		scanner_release(g, &g->sc[t]);
	free(g->sc);
	g->sc = NULL;
	g->nthreads = 0;
	for (unsigned t = 1; t < LS_THREADS_MAX; t++) {
		git_repository_free(g->repos[t]);
		g->repos[t] = NULL;
	}
}

/* Pass 3 on the window's jobs. */
static void run_jobs(struct gh *g)
{
	unsigned n = g->nthreads;
	pthread_t th[LS_THREADS_MAX];
	unsigned started = 0;

	if (!g->njobs || !n)
		return;
	pack_order(g);
	g->next_job = 0;
	if (n > g->njobs)
		n = (unsigned)g->njobs;
	for (unsigned t = 1; t < n; t++) {
		if (pthread_create(&th[t], NULL, scan_main, &g->sc[t]))
			break;
		started = t;
	}
	scan_main(&g->sc[0]);
	for (unsigned t = 1; t <= started; t++)
		pthread_join(th[t], NULL);
	free(g->run);
	g->run = NULL;
}

/* ---- pass 4: attribution ---- */

static char *dup_or_null(const char *s)
{
	return s ? ls_xstrdup(s) : NULL;
}

static const struct ls_finding_commit *commit_info(struct gh *g, uint32_t i)
{
	struct gcommit *c = &g->c[i];
	struct ls_finding_commit *fc;
	git_commit *cm;
	char id[GIT_OID_HEXSZ + 1];

	if (c->info)
		return c->info;
	fc = ls_xcalloc(1, sizeof(*fc));
	hex(&c->id, id);
	fc->id = ls_xstrdup(id);
	if (!git_commit_lookup(&cm, g->repo, &c->id)) {
		const git_signature *a = git_commit_author(cm);
		struct tm tm;
		time_t t = (time_t)a->when.time;
		char date[64];
		const char *sum = git_commit_summary(cm);
		fc->author = dup_or_null(a->name);
		fc->email = dup_or_null(a->email);
		if (gmtime_r(&t, &tm) &&
		    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm))
			fc->date = ls_xstrdup(date);
		fc->message = ls_xstrdup(sum ? sum : "");
		git_commit_free(cm);
	}
	c->info = fc;
	return fc;
}

static void commit_info_free(struct ls_finding_commit *fc)
{
	if (!fc)
		return;
	free(fc->id);
	free(fc->author);
	free(fc->email);
	free(fc->date);
	free(fc->message);
	free(fc);
}

static struct ls_finding_commit *commit_dup(const struct ls_finding_commit *c)
{
	struct ls_finding_commit *d = ls_xcalloc(1, sizeof(*d));

	d->id = dup_or_null(c->id);
	d->author = dup_or_null(c->author);
	d->email = dup_or_null(c->email);
	d->date = dup_or_null(c->date);
	d->message = dup_or_null(c->message);
	return d;
}

/* A copy of job finding `r` at `path` (no commit). */
static struct ls_finding *finding_at(const struct ls_finding *r,
				     const char *path, enum ls_source_kind src)
{
	struct ls_finding *f = ls_finding_new(r->rule);

	f->severity = r->severity;
	f->source = src;
	f->path = ls_xstrdup(path);
	f->line = r->line;
	f->column = r->column;
	f->end_line = r->end_line;
	f->end_column = r->end_column;
	f->secret = ls_xstrndup(r->secret ? r->secret : "", r->secret_len);
	f->secret_len = r->secret_len;
	f->entropy = r->entropy;
	f->decoded = r->decoded;
	f->note = dup_or_null(r->note);
	ls_fingerprint_set(f, path);
	return f;
}

/* The findings of an event's job (NULL: none). */
static const struct ls_findings *job_res(const struct gh *g, uint32_t ref)
{
	if (ref == NONE || ref == REF_CLEAN)
		return NULL;
	if (ref & REF_PAST)
		return &g->found[ref & ~REF_PAST];
	return &g->jobs[ref].res;
}

/* Pass 4 on the window's events. */
static void attribute(struct gh *g)
{
	struct ls_findings out;

	ls_findings_init(&out);
	for (size_t k = 0; k < g->nev; k++) {
		const struct event *e = &g->ev[k];
		const struct ls_findings *res = job_res(g, e->job);
		const char *path = g->paths[e->path];

		for (size_t r = 0; res && r < res->n; r++) {
			const struct ls_finding *src = res->v[r];
			struct ls_finding probe;

			memset(&probe, 0, sizeof(probe));
			probe.rule = src->rule;
			probe.secret = src->secret;
			probe.secret_len = src->secret_len;
			ls_fingerprint_set(&probe, path);
			if (ls_strset_get(&g->seen, probe.fingerprint, NULL))
				continue;
			ls_strset_put(&g->seen, probe.fingerprint, 0);
			if (!e->silent) {
				struct ls_finding *f =
					finding_at(src, path, LS_SOURCE_COMMIT);
				f->commit = commit_dup(commit_info(g, e->commit));
				ls_findings_add(&out, f);
			}
		}
		/* what a commit allowlist dropped here is known too */
		res = job_res(g, e->plain);
		for (size_t r = 0; res && r < res->n; r++) {
			struct ls_finding probe;

			memset(&probe, 0, sizeof(probe));
			probe.rule = res->v[r]->rule;
			probe.secret = res->v[r]->secret;
			probe.secret_len = res->v[r]->secret_len;
			ls_fingerprint_set(&probe, path);
			ls_strset_put(&g->seen, probe.fingerprint, 0);
		}
	}
	pthread_mutex_lock(&g->scan->lock);
	ls_findings_take(&g->scan->findings, &out);
	pthread_mutex_unlock(&g->scan->lock);
	ls_findings_release(&out);
}

/*
 * Passes 3 and 4 on the window, then forget it but for what later
 * windows need: which jobs are done, and the findings of those that
 * found any.
 */
static void flush(struct gh *g)
{
	double t0 = now(), t1;

	run_jobs(g);
	t1 = now();
	attribute(g);
	for (size_t j = 0; j < g->njobs; j++) {
		struct job *jb = &g->jobs[j];
		struct key24 k = mkkey(&jb->blob, jb->cls);
		if (jb->cls == 0) {
			struct ls_blobset_entry *f =
				ls_blobset_find(&g->first, jb->blob.id, 0);
			if (!f)
				LS_BUG("a job's blob is not in the pair set");
			f->tag |= DONE0;
		} else {
			map_put(&g->done_other, &k, 1);
		}
		if (jb->res.n) {
			LS_ALLOC_GROW(g->found, g->nfound + 1, g->found_alloc);
			g->found[g->nfound] = jb->res;
			map_put(&g->found_map, &k, (uint32_t)g->nfound++);
		} else {
			ls_findings_release(&jb->res);
		}
	}
	g->tot_jobs += g->njobs;
	g->njobs = 0;
	g->nev = 0;
	map_release(&g->jobmap);
	/* the window's arrays are kept for the next one; what the threads
	 * freed goes back to the system (glibc keeps it otherwise) */
#ifdef __GLIBC__
	malloc_trim(0);
#endif
	g->t_blobs += t1 - t0;
	g->t_attr += now() - t1;
}

/* ---- staged ---- */

struct lines {
	unsigned long *v;           /* added line numbers, ascending */
	size_t n, alloc;
};

static int has_added(const struct lines *l, unsigned long a, unsigned long b)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {           /* first >= a */
		size_t mid = (lo + hi) / 2;
		if (l->v[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && l->v[lo] <= b;
}

/* Scan blob `id` at `path` into `out` (sorted).  0 or -1 (error recorded). */
static int scan_blob(struct gh *g, struct scanner *s, const git_oid *id,
		     const char *path, struct ls_findings *out)
{
	char bid[GIT_OID_HEXSZ + 1];
	struct ls_item it;
	git_object_t type;
	git_blob *b;
	size_t size;

	hex(id, bid);
	if (git_odb_read_header(&size, &type, s->odb, id) ||
	    git_blob_lookup(&b, s->repo, id)) {
		ls_scan_error(g->scan, g->name, "cannot read blob %s ('%s'): %s",
			      bid, path, git_msg());
		return -1;
	}
	if (size > g->max_size) {
		char sz[LS_SIZE_BUF], sz2[LS_SIZE_BUF];
		ls_scan_error(g->scan, g->name,
			      "blob %s ('%s') is larger than %s (--max-file-size, at most %s for git); not scanned",
			      bid, path, ls_size_format(sz, sizeof(sz), g->max_size),
			      ls_size_format(sz2, sizeof(sz2), LS_GIT_BLOB_MAX));
		git_blob_free(b);
		return -1;
	}
	memset(&it, 0, sizeof(it));
	it.source = LS_SOURCE_FILE;
	it.path = (char *)path;
	it.history_index = -1;
	ls_worker_scan_buffer(s->w, &it, git_blob_rawcontent(b),
			      (size_t)git_blob_rawsize(b));
	s->files++;
	s->bytes += (unsigned long long)git_blob_rawsize(b);
	git_blob_free(b);
	ls_findings_take(out, &s->tmp.findings);
	for (size_t k = 0; k < s->tmp.errors.n; k++) {
		ls_scan_error(g->scan, g->name, "staged: %s", s->tmp.errors.v[k]);
		free(s->tmp.errors.v[k]);
	}
	s->tmp.errors.n = 0;
	return 0;
}

static int same_secret(const struct ls_finding *a, const struct ls_finding *b)
{
	return a->rule == b->rule && a->secret_len == b->secret_len &&
	       !memcmp(a->secret, b->secret, a->secret_len);
}

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static void staged_delta(struct gh *g, struct scanner *s, git_diff *diff,
			 size_t idx, struct ls_findings *out)
{
	const git_diff_delta *d = git_diff_get_delta(diff, idx);
	struct ls_findings now, before;
	struct lines added = { 0 };
	git_patch *patch = NULL;
	const char *path = d->new_file.path;
	int binary;

	if (d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_MODIFIED &&
	    d->status != GIT_DELTA_RENAMED && d->status != GIT_DELTA_COPIED &&
	    d->status != GIT_DELTA_TYPECHANGE)
		return;
	if (d->new_file.mode != GIT_FILEMODE_BLOB &&
	    d->new_file.mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return;
	ls_findings_init(&now);
	ls_findings_init(&before);
	if (scan_blob(g, s, &d->new_file.id, path, &now) < 0)
		return;
	if (!now.n) {
		ls_findings_release(&now);
		return;
	}
	if (git_patch_from_diff(&patch, diff, idx)) {
		ls_scan_error(g->scan, g->name, "cannot diff '%s': %s", path,
			      git_msg());
		ls_findings_release(&now);
		return;
	}
	binary = (git_patch_get_delta(patch)->flags & GIT_DIFF_FLAG_BINARY) != 0;
	if (!binary) {
		for (size_t h = 0; h < git_patch_num_hunks(patch); h++) {
			int nl = git_patch_num_lines_in_hunk(patch, h);
			for (int k = 0; k < nl; k++) {
				const git_diff_line *l;
				if (git_patch_get_line_in_hunk(&l, patch, h,
							       (size_t)k) ||
				    l->origin != GIT_DIFF_LINE_ADDITION ||
				    l->new_lineno <= 0)
					continue;
				LS_ALLOC_GROW(added.v, added.n + 1, added.alloc);
				added.v[added.n++] = (unsigned long)l->new_lineno;
			}
		}
		ls_sort(added.v, added.n, sizeof(*added.v), cmp_ulong);
	} else if (d->old_file.mode == GIT_FILEMODE_BLOB ||
		   d->old_file.mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
		scan_blob(g, s, &d->old_file.id, d->old_file.path, &before);
	}
	for (size_t k = 0; k < now.n; k++) {
		struct ls_finding *f = now.v[k];
		int keep = 0;
		if (binary) {
			keep = 1;
			for (size_t q = 0; q < before.n && keep; q++)
				keep = !same_secret(f, before.v[q]);
		} else if (f->line == 0) {
			keep = d->status == GIT_DELTA_ADDED;
		} else {
			keep = has_added(&added, f->line,
					 f->end_line > f->line ? f->end_line
							       : f->line);
		}
		if (keep) {
			ls_findings_add(out, f);
			now.v[k] = NULL;
		}
	}
	for (size_t k = 0; k < now.n; k++)
		ls_finding_free(now.v[k]);
	now.n = 0;
	ls_findings_release(&now);
	ls_findings_release(&before);
	free(added.v);
	git_patch_free(patch);
}

static int staged(struct gh *g, struct ls_err *err)
{
	git_index *index;
	git_object *head = NULL;
	git_tree *tree = NULL;
	git_diff *diff;
	git_diff_options dopts = GIT_DIFF_OPTIONS_INIT;
	git_diff_find_options fopts = GIT_DIFF_FIND_OPTIONS_INIT;
	struct scanner s;
	struct ls_findings out;
	int rc;

	if (git_repository_is_bare(g->repo))
		return ls_err_set(err, LS_EINVAL, g->name, 0, 0,
				  "--staged needs a work tree, and this is a bare repository");
	if (git_repository_index(&index, g->repo))
		return ls_err_set(err, LS_EIO, g->name, 0, 0,
				  "cannot read the index: %s", git_msg());
	rc = git_revparse_single(&head, g->repo, "HEAD^{tree}");
	if (rc && rc != GIT_ENOTFOUND && rc != GIT_EUNBORNBRANCH) {
		git_index_free(index);
		return ls_err_set(err, LS_EIO, g->name, 0, 0,
				  "cannot read HEAD: %s", git_msg());
	}
	if (!rc)
		tree = (git_tree *)head;
	dopts.context_lines = 0;
	dopts.flags |= GIT_DIFF_IGNORE_SUBMODULES;
	if (git_diff_tree_to_index(&diff, g->repo, tree, index, &dopts)) {
		git_object_free(head);
		git_index_free(index);
		return ls_err_set(err, LS_EIO, g->name, 0, 0,
				  "cannot compare the index with HEAD: %s",
				  git_msg());
	}
	fopts.flags = GIT_DIFF_FIND_RENAMES;
	git_diff_find_similar(diff, &fopts);
	if (scanner_init(g, &s, g->repo) < 0) {
		git_diff_free(diff);
		git_object_free(head);
		git_index_free(index);
		return ls_err_set(err, LS_EIO, g->name, 0, 0,
				  "cannot open the object database: %s",
				  git_msg());
	}
	ls_findings_init(&out);
	for (size_t k = 0; k < git_diff_num_deltas(diff); k++)
		staged_delta(g, &s, diff, k, &out);
	scanner_release(g, &s);
	pthread_mutex_lock(&g->scan->lock);
	ls_findings_take(&g->scan->findings, &out);
	pthread_mutex_unlock(&g->scan->lock);
	ls_findings_release(&out);
	git_diff_free(diff);
	git_object_free(head);
	git_index_free(index);
	return 0;
}


static void gh_release(struct gh *g)
{
	for (size_t i = 0; i < g->nc; i++) {
		free(g->c[i].par);
		commit_info_free(g->c[i].info);
	}
	free(g->c);
	map_release(&g->cmap);
	map_release(&g->shallow);
	free(g->order);
	for (size_t i = 0; i < g->npaths; i++)
		free(g->paths[i]);
	free(g->paths);
	ls_strset_release(&g->pathid);
	free(g->path_class);
	ls_strset_release(&g->classes);
	free(g->pconds);
	free(g->cconds);
	pcre2_match_data_free(g->md);
	pcre2_match_context_free(g->mctx);
	free(g->bits);
	free(g->ev);
	for (size_t i = 0; i < g->njobs; i++)
		ls_findings_release(&g->jobs[i].res);
	free(g->jobs);
	free(g->run);
	map_release(&g->jobmap);
	ls_blobset_release(&g->first);
	ls_blobset_release(&g->more);
	map_release(&g->done_other);
	map_release(&g->found_map);
	for (size_t i = 0; i < g->nfound; i++)
		ls_findings_release(&g->found[i]);
	free(g->found);
	threads_close(g);
	ls_strset_release(&g->seen);
	ls_prefilter_free(g->bigpf);
	for (size_t i = 0; i < g->nidx; i++)
		munmap(g->idx[i].map, g->idx[i].len);
	free(g->idx);
	map_release(&g->bad);
	free(g->gitdir);
	git_repository_free(g->repo);
	pthread_mutex_destroy(&g->lock);
}

int ls_git_scan(struct ls_scan *scan, const char *path,
		const struct ls_git_opts *o, struct ls_err *err)
{
	struct gh g;
	double t[3];
	struct memmark mm[2];
	int rc = 0;

	memset(&g, 0, sizeof(g));
	g.scan = scan;
	g.o = o;
	g.name = path;
	g.max_size = LS_GIT_BLOB_MAX;
	if (scan->opts.limits.file_size < g.max_size)
		g.max_size = scan->opts.limits.file_size;
	pthread_mutex_init(&g.lock, NULL);
	ls_strset_init(&g.pathid);
	ls_strset_init(&g.classes);
	ls_strset_init(&g.seen);
	ls_blobset_init(&g.first, LS_BLOBSET_BY_ID);
	ls_blobset_init(&g.more, LS_BLOBSET_BY_PAIR);
	git_libgit2_init();
	/*
	 * libgit2's caches, set explicitly (docs/performance.md, "Git
	 * history: memory").  The object cache is one budget for the whole
	 * process, counted in raw object bytes (a parsed tree takes about
	 * twice that): trees only, since they are read again as the next
	 * commit's parent; commits and tags are read once (pass 1) and
	 * blobs once per job.  Packs are mapped in windows of
	 * LS_GIT_WINDOW up to LS_GIT_MAPPED_MAX in all (the defaults, 1 and
	 * 8 GiB, leave every page of the pack read resident).
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
			 (size_t)1 << 20);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT,
			 (size_t)0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TAG,
			 (size_t)0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB,
			 (size_t)0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)LS_GIT_CACHE_MAX);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)LS_GIT_WINDOW);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT,
			 (size_t)LS_GIT_MAPPED_MAX);
	/*
	 * Hashing every object read costs a third of the run (SHA-1 with
	 * collision detection); zlib's checksum still catches damaged data,
	 * and git itself does not re-hash on read either.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	rc = git_repository_open_ext(&g.repo, path, 0, NULL);
	if (rc) {
		if (rc == GIT_ENOTFOUND)
			rc = ls_err_set(err, LS_ENOTFOUND, path, 0, 0,
					"not a git repository");
		else
			rc = ls_err_set(err, LS_EIO, path, 0, 0,
					"cannot open the repository: %s",
					git_msg());
		g.repo = NULL;
		goto out;
	}
	g.gitdir = ls_xstrdup(git_repository_path(g.repo));
	rc = packs_open(&g, err);
	if (rc)
		goto out;
	loose_check(&g);
	if (guard(&g, g.repo)) {
		rc = ls_err_set(err, LS_EIO, path, 0, 0,
				"cannot open the object database: %s",
				git_msg());
		goto out;
	}
	conds_init(&g);
	fast_init(&g);
	if (o->staged) {
		rc = staged(&g, err);
		goto out;
	}
	read_shallow(&g);
	t[0] = now();
	rc = tips(&g, err);
	if (rc)
		goto out;
	topo_order(&g);
	t[1] = now();
	mem_mark(&mm[0]);
	if (threads_open(&g) == 0)
		make_events(&g);
	threads_close(&g);
	ls_findings_sort(&scan->findings);
	t[2] = now();
	mem_mark(&mm[1]);
	for (int k = 0; k < 2; k++)
		ls_scan_note(scan, path,
			     "memory after %s: rss %ld MB (anon %ld, file %ld), peak %ld MB, libgit2 cache %lld MB, malloc %ld MB in use of %ld",
			     k == 0 ? "commits" : "history", mm[k].rss >> 10,
			     mm[k].anon >> 10, mm[k].file >> 10, mm[k].hwm >> 10,
			     mm[k].cached >> 20, mm[k].inuse, mm[k].heap);
	ls_scan_note(scan, path,
		     "pairs had: %zu + %zu in %zu kB; %zu jobs kept with findings",
		     g.first.n, g.more.n,
		     (ls_blobset_bytes(&g.first) + ls_blobset_bytes(&g.more)) >> 10,
		     g.nfound);
	ls_scan_note(scan, path,
		     "%zu commits, %zu events, %zu blobs, %llu of %llu bytes through the matcher; commits %.2f s, trees %.2f s, blobs %.2f s, attribution %.2f s",
		     g.norder, g.tot_ev, g.tot_jobs, g.scanned, scan->stats.bytes,
		     t[1] - t[0], t[2] - t[1] - g.t_blobs - g.t_attr, g.t_blobs,
		     g.t_attr);
out:
	gh_release(&g);
	git_libgit2_shutdown();
	return rc;
}

char *ls_git_root(const char *path)
{
	git_repository *repo;
	char *root = NULL;

	git_libgit2_init();
	if (!git_repository_open_ext(&repo, path, 0, NULL)) {
		const char *w = git_repository_workdir(repo);
		if (w) {
			size_t n = strlen(w);
			while (n > 1 && w[n - 1] == '/')
				n--;
			root = ls_xstrndup(w, n);
		}
		git_repository_free(repo);
	}
	git_libgit2_shutdown();
	return root;
}

/* ---- dates ---- */

static int digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long long days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int ls_git_parse_date(const char *s, long long *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 0;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };

	if (s[0] == '@') {
		char *end;
		long long v;
		errno = 0;
		v = strtoll(s + 1, &end, 10);
		if (errno || end == s + 1 || *end)
			return LS_EINVAL;
		*out = v;
		return 0;
	}
	if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) ||
	    *s++ != '-' || digits(&s, 2, &d))
		return LS_EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
		return LS_EINVAL;
	if (*s == 'T' || *s == ' ') {
		s++;
		if (digits(&s, 2, &h) || *s++ != ':' || digits(&s, 2, &mi))
			return LS_EINVAL;
		if (*s == ':' && (s++, digits(&s, 2, &se)))
			return LS_EINVAL;
		if (h > 23 || mi > 59 || se > 60)
			return LS_EINVAL;
		if (*s == 'Z') {
			s++;
		} else if (*s == '+' || *s == '-') {
			sign = *s++ == '-' ? -1 : 1;
			if (digits(&s, 2, &oh))
				return LS_EINVAL;
			if (*s == ':')
				s++;
			if (digits(&s, 2, &om) || oh > 23 || om > 59)
				return LS_EINVAL;
		}
	}
	if (*s)
		return LS_EINVAL;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
	       sign * (oh * 3600 + om * 60);
	return 0;
}
