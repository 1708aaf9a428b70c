/*
 * scan.c - the per-item pipeline and the worker pool; see scan.h.
 *
 * Per item: file rules that need no bytes (a `path` alone) first, then
 * chunks through the matcher, which also judges the file rules with a
 * `content` condition (reported once per item, as file findings).  Matches become findings in an item-local list, so that the
 * item can be tidied before it is published: a finding of a rule tagged
 * "generic" is dropped when a specific rule found a secret overlapping it
 * (the specific rule says more: which provider, how to revoke), and so is
 * one of a rule tagged "structural" (a URL's password, an Authorization
 * header: the place of a secret, not its issuer) when a provider rule
 * found it.
 */
#define _GNU_SOURCE
#include "scan/scan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "content/qp.h"
#include "content/utf16.h"
#include "finding/fingerprint.h"
#include "finding/pubkey.h"
#include "finding/place.h"
#include "finding/prose.h"
#include "finding/testdata.h"
#include "util/size.h"
#include "util/sort.h"
#include "util/xalloc.h"

static void msgs_add(struct ls_msgs *m, char *s)
{
	LS_ALLOC_GROW(m->v, m->n + 1, m->alloc);
	m->v[m->n++] = s;
}

static void msgs_release(struct ls_msgs *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

void ls_limits_resolve(struct ls_limits *l)
{
#define DEF(f, v) if (!l->f) l->f = (v)
	DEF(file_size, LS_DEFAULT_FILE_SIZE);
	DEF(layer_size, LS_DEFAULT_LAYER_SIZE);
	DEF(nested_size, LS_DEFAULT_NESTED_SIZE);
	DEF(ratio, LS_DEFAULT_RATIO);
	DEF(entries, LS_DEFAULT_ENTRIES);
	DEF(path_length, LS_DEFAULT_PATH_LENGTH);
	DEF(json_size, LS_DEFAULT_JSON_SIZE);
	DEF(json_depth, LS_DEFAULT_JSON_DEPTH);
	DEF(findings, LS_DEFAULT_FINDINGS);
#undef DEF
}

double ls_scan_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int ls_scan_expired(struct ls_scan *s)
{
	struct ls_scan *r = s->root ? s->root : s;

	if (__atomic_load_n(&r->expired, __ATOMIC_RELAXED))
		return 1;
	if (s->opts.deadline <= 0 || ls_scan_now() < s->opts.deadline)
		return 0;
	__atomic_store_n(&r->expired, 1, __ATOMIC_RELAXED);
	return 1;
}

void ls_scan_init(struct ls_scan *s, const struct ls_ruleset *rs,
		  const struct ls_scan_opts *opts)
{
	memset(s, 0, sizeof(*s));
	s->rs = rs;
	s->root = s;
	if (opts)
		s->opts = *opts;
	ls_limits_resolve(&s->opts.limits);
	ls_findings_init(&s->findings);
	pthread_mutex_init(&s->lock, NULL);
}

void ls_scan_release(struct ls_scan *s)
{
	ls_findings_release(&s->findings);
	msgs_release(&s->errors);
	msgs_release(&s->warnings);
	msgs_release(&s->notes);
	pthread_mutex_destroy(&s->lock);
}

static void vrecord(struct ls_scan *s, struct ls_msgs *m, const char *name,
		    const char *fmt, va_list ap)
{
	char msg[1024], safe[1024];
	char *line;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (name) {
		ls_err_sanitize(safe, sizeof(safe), name, strlen(name));
		line = ls_xasprintf("'%s': %s", safe, msg);
	} else {
		line = ls_xstrdup(msg);
	}
	pthread_mutex_lock(&s->lock);
	msgs_add(m, line);
	pthread_mutex_unlock(&s->lock);
}

void ls_scan_error(struct ls_scan *s, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrecord(s, &s->errors, name, fmt, ap);
	va_end(ap);
}

void ls_scan_note(struct ls_scan *s, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrecord(s, &s->notes, name, fmt, ap);
	va_end(ap);
}

void ls_scan_warning(struct ls_scan *s, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrecord(s, &s->warnings, name, fmt, ap);
	va_end(ap);
}

void ls_scan_clear_warnings(struct ls_scan *s)
{
	msgs_release(&s->warnings);
	memset(&s->warnings, 0, sizeof(s->warnings));
}

void ls_scan_warning_err(struct ls_scan *s, const struct ls_err *err)
{
	char buf[LS_ERR_MSG_MAX + LS_ERR_NAME_MAX + 64];

	if (err->name[0])
		ls_scan_warning(s, err->name, "%s", err->msg);
	else
		ls_scan_warning(s, NULL, "%s", ls_err_format(err, buf, sizeof(buf)));
}

void ls_scan_error_err(struct ls_scan *s, const struct ls_err *err)
{
	char buf[LS_ERR_MSG_MAX + LS_ERR_NAME_MAX + 64];

	if (err->name[0] && err->line)
		ls_scan_error(s, err->name, "line %d: %s", err->line, err->msg);
	else if (err->name[0])
		ls_scan_error(s, err->name, "%s", err->msg);
	else
		ls_scan_error(s, NULL, "%s", ls_err_format(err, buf, sizeof(buf)));
}

/*
 * An error about one item, naming where it is: "'IMAGE': layer L: 'PATH':
 * ..." for a file in an image layer, "'PATH': ..." otherwise.
 */
static void item_error(struct ls_scan *s, const struct ls_item *it,
		       const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void item_error(struct ls_scan *s, const struct ls_item *it,
		       const char *fmt, ...)
{
	char msg[768], safe[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (it->origin && it->layer && it->layer->digest) {
		ls_err_sanitize(safe, sizeof(safe), it->path, strlen(it->path));
		ls_scan_error(s, it->origin, "layer %s: '%s': %s",
			      it->layer->digest, safe, msg);
	} else {
		ls_scan_error(s, it->path, "%s", msg);
	}
}

/* ---- worker ---- */

struct pending {
	struct ls_finding *f;            /* NULL: a claim, not a finding */
	unsigned long long start, end;   /* stream offsets of the secret */
	int rank;                        /* 0 provider, 1 structural, 2 generic */
};

struct ls_worker {
	struct ls_scan *scan;
	struct ls_matcher *m;
	struct ls_chunker ch;
	struct ls_utf16 u16;             /* the item's UTF-16 reader */
	struct ls_qp qp;                 /* its quoted-printable reader */
	/* current item */
	const struct ls_item *it;
	struct pending *pend;
	size_t npend, pend_alloc;
	/*
	 * --max-findings: at most that many findings of an item are
	 * published, the first in position order after tidying; at most
	 * four times as many are held while the item is read (a finding
	 * often has a generic twin that tidying drops), so memory is bounded
	 * whatever the item holds.
	 */
	unsigned long long nfound;       /* findings held for the item */
	int dropped;                     /* some were not held or published */
};

struct ls_worker *ls_worker_new(struct ls_scan *s)
{
	struct ls_worker *w = ls_xcalloc(1, sizeof(*w));

	w->scan = s;
	w->m = ls_matcher_new(s->rs);
	ls_chunker_init(&w->ch);
	return w;
}

void ls_worker_free(struct ls_worker *w)
{
	if (!w)
		return;
	ls_matcher_free(w->m);
	ls_chunker_release(&w->ch);
	ls_qp_release(&w->qp);
	free(w->pend);
	free(w);
}

static struct ls_finding *finding_for(struct ls_worker *w,
				      const struct ls_match *mt)
{
	const struct ls_item *it = w->it;
	struct ls_finding *f = ls_finding_new(mt->rule);

	f->source = it->source;
	f->path = ls_xstrdup(it->path);
	f->entropy = mt->entropy;
	f->decoded = mt->decoded;
	f->via = mt->via;
	f->field = it->field ? ls_xstrdup(it->field) : NULL;
	f->key = it->key ? ls_xstrdup(it->key) : NULL;
	f->history_index = it->history_index;
	f->note = it->note ? ls_xstrdup(it->note) : NULL;
	if (it->ignored)
		f->severity = f->severity >= LS_SEV_LOW + 2 ? f->severity - 2
							     : LS_SEV_INFO;
	if (it->layer) {
		f->layer = ls_xcalloc(1, sizeof(*f->layer));
		*f->layer = *it->layer;
		f->layer->digest = it->layer->digest ?
			ls_xstrdup(it->layer->digest) : NULL;
		f->layer->created_by = it->layer->created_by ?
			ls_xstrdup(it->layer->created_by) : NULL;
		f->layer->image = it->layer->image ?
			ls_xstrdup(it->layer->image) : NULL;
	}
	if (it->commit) {
		const struct ls_finding_commit *c = it->commit;
		f->commit = ls_xcalloc(1, sizeof(*f->commit));
#define DUP(x) (c->x ? ls_xstrdup(c->x) : NULL)
		f->commit->id = DUP(id);
		f->commit->author = DUP(author);
		f->commit->email = DUP(email);
		f->commit->date = DUP(date);
		f->commit->message = DUP(message);
#undef DUP
	}
	return f;
}

/* How readily a rule's finding yields to an overlapping one (see above). */
static int rule_rank(const struct ls_rule *r)
{
	if (!r)
		return 0;
	return r->generic ? 2 : r->structural ? 1 : 0;
}

static void pend_add(struct ls_worker *w, struct ls_finding *f,
		     unsigned long long start, unsigned long long end)
{
	LS_ALLOC_GROW(w->pend, w->npend + 1, w->pend_alloc);
	w->pend[w->npend].f = f;
	w->pend[w->npend].start = start;
	w->pend[w->npend].end = end;
	w->pend[w->npend].rank = rule_rank(f->rule);
	w->npend++;
}

/* May the item hold one more finding?  (See `nfound`.) */
static int hold(struct ls_worker *w)
{
	unsigned long long lim = w->scan->opts.limits.findings;

	if (lim != LS_LIMIT_NONE && w->nfound >= 4 * lim) {
		w->dropped = 1;
		return 0;
	}
	w->nfound++;
	return 1;
}

static int on_path_match(void *ud, const struct ls_match *mt);

static int on_match(void *ud, const struct ls_match *mt)
{
	struct ls_worker *w = ud;
	struct ls_chunker *c = &w->ch;
	struct ls_finding *f;
	size_t slen = mt->secret_end - mt->secret_start;

	if (mt->file)
		return on_path_match(ud, mt);
	if (mt->rejected) {
		LS_ALLOC_GROW(w->pend, w->npend + 1, w->pend_alloc);
		w->pend[w->npend].f = NULL;
		w->pend[w->npend].start = c->base + mt->secret_start;
		w->pend[w->npend].end = c->base + mt->secret_end;
		/* a claim keeps others off the span as its rule's finding
		 * would (a generic rule never claims) */
		w->pend[w->npend].rank = mt->rule && mt->rule->structural;
		w->npend++;
		return 0;
	}
	if (!hold(w))
		return 0;
	f = finding_for(w, mt);

	ls_chunker_position(c, mt->secret_start, &f->line, &f->column);
	ls_chunker_position(c, mt->secret_end, &f->end_line, &f->end_column);
	/* lines a quoted-printable soft break joined count as in the file */
	ls_qp_place(&w->qp, c->base + mt->secret_start, &f->line, &f->column);
	ls_qp_place(&w->qp, c->base + mt->secret_end, &f->end_line,
		    &f->end_column);
	f->secret = ls_xstrndup(c->buf + mt->secret_start, slen);
	f->secret_len = slen;
	/* a private key its authors published (a library's self-test key)
	 * is info, with a note saying whose (finding/pubkey.h) */
	ls_pubkey_judge_finding(f);
	/* test material is reported, ranked low (finding/testdata.h), and a
	 * generic rule's finding in documentation too (finding/prose.h) */
	ls_testdata_judge_finding_in(f, c->buf, c->len, mt->secret_start);
	ls_prose_judge_finding_in(f, c->buf, c->len, mt->secret_start);
	pend_add(w, f, c->base + mt->secret_start, c->base + mt->secret_end);
	return 0;
}

static int on_path_match(void *ud, const struct ls_match *mt)
{
	struct ls_worker *w = ud;
	struct ls_finding *f;

	if (!hold(w))
		return 0;
	f = finding_for(w, mt);
	f->secret = ls_xstrdup("");
	ls_testdata_judge_finding(f);
	pend_add(w, f, 0, 0);
	return 0;
}

/* Of two overlapping generic findings, is `q` the one to keep over `p`? */
static int generic_beats(const struct pending *q, const struct pending *p,
			 size_t qi, size_t pi)
{
	const struct ls_rule *a = q->f->rule, *b = p->f->rule;

	if (q->f->severity != p->f->severity)
		return q->f->severity > p->f->severity;
	if (!a->path != !b->path)
		return a->path != NULL;   /* restricted to a context: closer */
	if (a->index != b->index)
		return a->index < b->index;
	return qi < pi;
}

static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

/*
 * Keep one of two findings of one rule on one span.  Drop a finding that
 * overlaps one of a lower rank or a claim (a span a
 * specific rule recognised and rejected) of a lower rank: generic findings
 * under structural or provider ones, structural under provider ones; keep
 * one of overlapping generic findings, then publish.  Pending entries are sorted
 * by start, so each pair of overlapping spans is met once in a forward
 * sweep: linear in the entries plus the overlapping pairs.
 */
static void publish(struct ls_worker *w)
{
	struct ls_scan *s = w->scan;
	struct pending *pd = w->pend;
	size_t n = w->npend;
	unsigned char *drop;
	unsigned long long kept = 0;

	if (n > 1)
		ls_sort(pd, n, sizeof(*pd), cmp_pending);
	drop = ls_xcalloc(n ? n : 1, 1);
	for (size_t i = 0; i < n; i++) {
		if (pd[i].end <= pd[i].start)
			continue;   /* path findings have no span */
		for (size_t j = i + 1; j < n && pd[j].start < pd[i].end; j++) {
			struct pending *a = &pd[i], *b = &pd[j];
			if (b->end <= b->start)
				continue;
			/* the same finding twice (two decoding rules
			 * that decoded the same value): once */
			if (a->f && b->f && a->f->rule == b->f->rule &&
			    a->start == b->start && a->end == b->end) {
				if (!drop[i])
					drop[j] = 1;
				continue;
			}
			if (a->f && a->rank > b->rank)
				drop[i] = 1;
			else if (b->f && b->rank > a->rank)
				drop[j] = 1;
			else if (a->rank == 2 && b->rank == 2 && a->f && b->f)
				drop[generic_beats(b, a, j, i) ? i : j] = 1;
		}
	}
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < n; i++) {
		struct ls_finding *f = pd[i].f;
		if (!f)
			continue;   /* a claim */
		if (!drop[i] && kept >= s->opts.limits.findings) {
			drop[i] = 1;
			w->dropped = 1;
		}
		if (drop[i]) {
			ls_finding_free(f);
			continue;
		}
		kept++;
		if (f->key) {
			char *where = ls_xasprintf("%s:%s", f->path, f->key);
			ls_fingerprint_set(f, where);
			free(where);
		} else {
			ls_fingerprint_set(f, f->path);
		}
		ls_findings_add(&s->findings, f);
	}
	pthread_mutex_unlock(&s->lock);
	free(drop);
	w->npend = 0;
}

static void reset_chunker(struct ls_chunker *c)
{
	char *buf = c->buf;
	size_t *nl = c->nl, nl_alloc = c->nl_alloc;

	memset(c, 0, sizeof(*c));
	c->buf = buf;
	c->nl = nl;
	c->nl_alloc = nl_alloc;
	c->base_line = 1;
}

/*
 * --max-file-size: a reader that ends after `left` bytes, and sets `over`
 * if the item had more (it reads one byte further to know).
 */
struct capped {
	struct ls_reader *under;
	unsigned long long left;
	int over;
};

static long capped_read(void *ud, char *buf, size_t n, struct ls_err *err)
{
	struct capped *c = ud;
	long k;

	if (!c->left) {
		char probe;
		if (c->over)
			return 0;
		k = c->under->read(c->under->ud, &probe, 1, err);
		if (k < 0)
			return k;
		c->over = k > 0;
		return 0;
	}
	if (n > c->left)
		n = (size_t)c->left;
	k = c->under->read(c->under->ud, buf, n, err);
	if (k > 0)
		c->left -= (unsigned long long)k;
	return k;
}

int ls_worker_scan(struct ls_worker *w, const struct ls_item *it,
		   struct ls_reader *r)
{
	struct ls_scan *s = w->scan;
	struct ls_err err;
	int ret = 0, rc;
	struct capped cap = { r, s->opts.limits.file_size, 0 };
	struct ls_reader capr = { capped_read, &cap }, ur, cr;
	struct ls_utf16 *u16 = &w->u16;

	w->it = it;
	w->npend = 0;
	w->nfound = w->dropped = 0;
	reset_chunker(&w->ch);
	ls_matcher_reset_limit_hits(w->m);
	ls_err_clear(&err);
	/* UTF-16 text (a BOM) is read as UTF-8, mail with its
	 * quoted-printable parts decoded; the size cap counts the file's own
	 * bytes */
	ls_reader_utf16(&ur, u16, &capr);
	ls_reader_qp(&cr, &w->qp, &ur);
	if (it->line_base)
		w->ch.base_line = it->line_base;
	ls_matcher_scan_path(w->m, it->match_path ? it->match_path : it->path,
			     on_path_match, w);
	while ((rc = ls_chunker_next(&w->ch, &cr, &err)) == 1) {
		struct ls_match_input in;

		if (ls_scan_expired(s)) {
			ret = LS_ELIMIT;
			break;
		}
		memset(&in, 0, sizeof(in));
		in.buf = w->ch.buf;
		in.len = w->ch.len;
		in.own_start = w->ch.own_start;
		in.own_end = w->ch.own_end;
		in.path = it->match_path ? it->match_path : it->path;
		in.commit = it->commit ? it->commit->id : NULL;
		in.binary = w->ch.binary;
		in.file_rules = 1;
		ls_matcher_scan(w->m, &in, on_match, w);
	}
	if (rc == 0 && cap.over) {
		char sz[LS_SIZE_BUF];
		ls_size_format(sz, sizeof(sz), s->opts.limits.file_size);
		/* a binary file is judged only by the few binary rules: its
		 * tail is skipped as binary, with a note */
		if (w->ch.binary)
			ls_scan_note(s, it->path,
				     "binary file larger than --max-file-size (%s): the rest was skipped",
				     sz);
		else
			item_error(s, it,
				   "file is larger than --max-file-size (%s): the rest was not scanned",
				   sz);
		ret = LS_ELIMIT;
	}
	if (rc == LS_ELIMIT && !err.msg[0]) {
		ret = rc;   /* the reader's limit, reported by the reader */
	} else if (rc < 0) {
		if (!err.name[0])
			snprintf(err.name, sizeof(err.name), "%s", it->path);
		if (rc == LS_EUNREADABLE)
			ls_scan_warning_err(s, &err);
		else
			ls_scan_error_err(s, &err);
		ret = rc;
	}
	if (ls_matcher_limit_hits(w->m)) {
		const struct ls_rule *lr = ls_matcher_limit_rule(w->m);
		size_t n = ls_matcher_limit_hits(w->m);
		item_error(s, it,
			   "rule '%s' hit the regex match limit (%zu time%s): its matches in this file may be missed",
			   lr ? lr->id : "?", n, n == 1 ? "" : "s");
	}
	publish(w);
	if (w->dropped && it->capped)
		*it->capped = 1;
	else if (w->dropped)
		item_error(s, it,
			   "more than --max-findings (%llu) findings: the rest were not reported",
			   s->opts.limits.findings);
	/* statistics count files, not config fields or history entries */
	if (it->source == LS_SOURCE_FILE) {
		pthread_mutex_lock(&s->lock);
		s->stats.files++;
		s->stats.bytes += w->ch.total;
		pthread_mutex_unlock(&s->lock);
	}
	return ret;
}

size_t ls_worker_content_hits(const struct ls_worker *w)
{
	return ls_matcher_content_hits(w->m);
}

size_t ls_worker_path_sig(struct ls_worker *w, const char *path,
			  unsigned char *out, size_t cap)
{
	size_t n = ls_matcher_path_sig(w->m, path, out, cap);

	/* and the path's place: the rankings of on_match read it too */
	if (out && n < cap)
		out[n] = (unsigned char)ls_finding_place(path);
	return n + 1;
}

int ls_worker_scan_buffer(struct ls_worker *w, const struct ls_item *it,
			  const char *buf, size_t len)
{
	struct ls_mem_reader mb;
	struct ls_reader r;

	ls_reader_mem(&r, &mb, buf, len);
	return ls_worker_scan(w, it, &r);
}

/* ---- pool ---- */

unsigned ls_scan_threads(const struct ls_scan_opts *opts)
{
	long n = (long)opts->threads;

	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n <= 0)
		n = 1;
	if (n > LS_THREADS_MAX)
		n = LS_THREADS_MAX;
	return (unsigned)n;
}

struct pool {
	struct ls_scan *scan;
	struct ls_source *src;
	pthread_mutex_t lock;
};

static void *worker_main(void *arg)
{
	struct pool *p = arg;
	struct ls_worker *w = ls_worker_new(p->scan);

	for (;;) {
		struct ls_item *it = NULL;
		struct ls_err err;
		struct ls_reader r;
		int rc;

		ls_err_clear(&err);
		pthread_mutex_lock(&p->lock);
		rc = p->src->dead || ls_scan_expired(p->scan) ? 0 :
			p->src->next(p->src, &it, &err);
		pthread_mutex_unlock(&p->lock);
		if (rc == 0)
			break;
		if (rc < 0) {
			ls_scan_error_err(p->scan, &err);
			continue;
		}
		ls_err_clear(&err);
		memset(&r, 0, sizeof(r));
		if (it->open(it, &r, &err) < 0) {
			if (!err.name[0])
				snprintf(err.name, sizeof(err.name), "%s",
					 it->path);
			ls_scan_error_err(p->scan, &err);
		} else {
			ls_worker_scan(w, it, &r);
			if (it->close)
				it->close(it);
		}
		p->src->item_free(it);
	}
	ls_worker_free(w);
	return NULL;
}

int ls_scan_source(struct ls_scan *s, struct ls_source *src)
{
	struct pool p = { .scan = s, .src = src };
	unsigned n = ls_scan_threads(&s->opts);
	pthread_t th[LS_THREADS_MAX];
	unsigned started = 0;

	pthread_mutex_init(&p.lock, NULL);
	if (n == 1) {
		worker_main(&p);
	} else {
		for (unsigned i = 0; i < n; i++) {
			if (pthread_create(&th[i], NULL, worker_main, &p))
				break;
			started++;
		}
		if (!started)
			worker_main(&p);
		for (unsigned i = 0; i < started; i++)
			pthread_join(th[i], NULL);
	}
	pthread_mutex_destroy(&p.lock);
	ls_findings_sort(&s->findings);
	return 0;
}
