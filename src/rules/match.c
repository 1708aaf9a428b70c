/*
 * match.c - the matcher: prefilter, windows, regex, judgement.
 *
 * Windows.  Each keyword hit of rule R at [k, k+len) opens the raw window
 * [k - LS_RULE_LOOKBEHIND, k + len + R.window).  Hits arrive in order of
 * their end offset, so a new raw window either overlaps R's last window (and
 * extends it) or starts a new one; R's windows are therefore few, sorted and
 * disjoint.  After the prefilter pass, each window is widened to line
 * boundaries when one is near (at most LS_LINE_SLACK bytes away: a minified
 * megabyte-long line must not turn a window into the whole buffer), then
 * R's regex runs over it with the whole buffer as subject, so lookbehind and
 * \b see the real neighbouring bytes.  Windows that touch after widening
 * are merged, so no match is reported twice.
 *
 * Rules without keywords get one window: the whole buffer.
 *
 * Judgement, in order: ownership (the match starts in this chunk's own
 * region), path restriction, secret group, validator, decoding or entropy,
 * allowlists, inline allow comments.  Decoding runs the whole rule set on
 * the decoded bytes with a nested matcher (depth-limited), reporting inner
 * findings at the encoded value (base64) or at the secret's own place in
 * the escaped text (xml, json).
 */
#define _GNU_SOURCE
#include "rules/match.h"

#include <string.h>

#include "rules/allow.h"
#include "rules/entropy.h"
#include "rules/pathlit.h"
#include "rules/prefilter.h"
#include "rules/table.h"
#include "rules/validate.h"
#include "util/base64.h"
#include "util/sort.h"
#include "util/jsonesc.h"
#include "util/xmlent.h"
#include "util/xalloc.h"

#define LS_LINE_SLACK 256
#define LS_DECODE_DEPTH_MAX 2
/* Decoded values longer than this are not judged (bounds the scratch). */
#define LS_DECODE_MAX (LS_RULE_WINDOW_MAX + LS_RULE_LOOKBEHIND)

struct window {
	size_t start, end;
	size_t lim;          /* starts_near rules: the last start position */
};

struct rulewin {
	struct window *w;
	size_t n, alloc;
};

struct ls_matcher {
	const struct ls_ruleset *rs;
	pcre2_match_data *md;        /* for rule regexes */
	pcre2_match_data *md_small;  /* for allowlists and path checks */
	pcre2_match_context *mctx;
	pcre2_match_context *mctx_lim;   /* mctx and an offset limit, for the
					    rules whose matches start near
					    their hits */
	pcre2_jit_stack *jit;
	struct rulewin *wins;        /* by rule index */
	unsigned *touched;
	size_t ntouched;
	const struct ls_match_input *in;   /* current buffer */
	signed char *path_ok;        /* by rule: -1 unknown, 0 no, 1 yes */
	char *lpath;                 /* the path in lower case, for path literals */
	size_t lpath_alloc;
	const char *lpath_of;        /* the path it was made from (this input) */
	size_t limit_hits;
	size_t content_hits;        /* ls_matcher_content_hits() */
	const struct ls_rule *limit_rule;   /* the first to hit a limit */
	unsigned char *rule_hits;   /* by rule: limit hits in this item */
	unsigned char *file_done;   /* by rule: a `content` file rule was
				       judged in this item */
	int depth;
	struct ls_matcher *sub;      /* for decoded content */
	unsigned char *decbuf;      /* LS_DECODE_MAX + 1 bytes */
	uint16_t *decpos;           /* xml, json: where each decoded byte came from */
	struct ls_prefilter_scratch *pfs;
};

struct ls_matcher *ls_matcher_new(const struct ls_ruleset *rs)
{
	struct ls_matcher *m = ls_xcalloc(1, sizeof(*m));
	uint32_t maxcap = 1;

	if (!rs->compiled)
		LS_BUG("matcher on an uncompiled rule set");
	m->rs = rs;
	for (size_t i = 0; i < rs->nrules; i++) {
		uint32_t c = 0;
		if (rs->rules[i]->regex) {
			pcre2_pattern_info(rs->rules[i]->regex,
					   PCRE2_INFO_CAPTURECOUNT, &c);
			if (c + 1 > maxcap)
				maxcap = c + 1;
		}
	}
	m->md = pcre2_match_data_create(maxcap, NULL);
	m->md_small = pcre2_match_data_create(1, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	if (!m->md || !m->md_small || !m->mctx)
		LS_BUG("out of memory in pcre2");
	pcre2_set_match_limit(m->mctx, LS_MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, LS_DEPTH_LIMIT);
	pcre2_set_heap_limit(m->mctx, LS_HEAP_LIMIT_KIB);
	m->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (m->jit)
		pcre2_jit_stack_assign(m->mctx, NULL, m->jit);
	/* the same limits, plus an offset limit set per window */
	m->mctx_lim = pcre2_match_context_copy(m->mctx);
	if (!m->mctx_lim)
		LS_BUG("out of memory in pcre2");
	m->wins = ls_xcalloc(rs->nrules ? rs->nrules : 1, sizeof(*m->wins));
	m->touched = ls_xcalloc(rs->nrules ? rs->nrules : 1, sizeof(unsigned));
	m->path_ok = ls_xmalloc(rs->nrules ? rs->nrules : 1);
	m->rule_hits = ls_xcalloc(rs->nrules ? rs->nrules : 1, 1);
	m->file_done = ls_xcalloc(rs->nrules ? rs->nrules : 1, 1);
	m->pfs = ls_prefilter_scratch_new(rs->pf);
	return m;
}

void ls_matcher_free(struct ls_matcher *m)
{
	if (!m)
		return;
	pcre2_match_data_free(m->md);
	pcre2_match_data_free(m->md_small);
	pcre2_match_context_free(m->mctx);
	pcre2_match_context_free(m->mctx_lim);
	pcre2_jit_stack_free(m->jit);
	for (size_t i = 0; i < m->rs->nrules; i++)
		free(m->wins[i].w);
	free(m->wins);
	free(m->touched);
	free(m->path_ok);
	free(m->lpath);
	free(m->rule_hits);
	free(m->file_done);
	ls_matcher_free(m->sub);
	free(m->decbuf);
	free(m->decpos);
	ls_prefilter_scratch_free(m->pfs);
	free(m);
}

size_t ls_matcher_content_hits(const struct ls_matcher *m)
{
	return m->content_hits;
}

size_t ls_matcher_limit_hits(const struct ls_matcher *m)
{
	return m->limit_hits + (m->sub ? ls_matcher_limit_hits(m->sub) : 0);
}

void ls_matcher_reset_limit_hits(struct ls_matcher *m)
{
	m->limit_hits = 0;
	m->limit_rule = NULL;
	memset(m->rule_hits, 0, m->rs->nrules ? m->rs->nrules : 1);
	if (m->sub)
		ls_matcher_reset_limit_hits(m->sub);
}

const struct ls_rule *ls_matcher_limit_rule(const struct ls_matcher *m)
{
	if (m->limit_rule)
		return m->limit_rule;
	return m->sub ? ls_matcher_limit_rule(m->sub) : NULL;
}

/* Rule r's regex (or an allowlist of it) hit a PCRE2 limit. */
static void limit_hit(struct ls_matcher *m, const struct ls_rule *r)
{
	m->limit_hits++;
	if (!m->limit_rule)
		m->limit_rule = r;
	if (m->rule_hits[r->index] < 255)
		m->rule_hits[r->index]++;
}

/* Has rule r used up its limit hits in this item (see match.h)? */
static int rule_spent(const struct ls_matcher *m, const struct ls_rule *r)
{
	return m->rule_hits[r->index] >= LS_MATCH_RULE_HITS_MAX;
}

/* ---- windows ---- */

/*
 * Add the window [start, end) whose matches start at or before lim.  For
 * a rule whose matches start near its hits (starts_near), windows merge
 * only when their start ranges [start, lim] meet, so no start position is
 * tried twice and none far from a hit is tried at all; for other rules
 * lim is end and windows merge when they overlap.
 */
static void add_window(struct ls_matcher *m, unsigned rule, size_t start,
		       size_t end, size_t lim)
{
	struct rulewin *rw = &m->wins[rule];

	if (rw->n) {
		struct window *last = &rw->w[rw->n - 1];
		if (start <= last->lim) {
			if (end > last->end)
				last->end = end;
			if (lim > last->lim)
				last->lim = lim;
			if (start < last->start)
				last->start = start;
			return;
		}
	} else {
		m->touched[m->ntouched++] = rule;
	}
	LS_ALLOC_GROW(rw->w, rw->n + 1, rw->alloc);
	rw->w[rw->n].start = start;
	rw->w[rw->n].end = end;
	rw->w[rw->n].lim = lim;
	rw->n++;
}

/* Does rule r's `path` (if any) accept this buffer's path?  Cached. */
static int rule_path_ok(struct ls_matcher *m, const struct ls_rule *r)
{
	if (!r->path)
		return 1;
	if (m->path_ok[r->index] < 0)
		m->path_ok[r->index] =
			(signed char)ls_matcher_path_ok(m, r, m->in->path);
	return m->path_ok[r->index];
}

static void on_keyword(void *ud, unsigned rule, size_t start, size_t len)
{
	struct ls_matcher *m = ud;
	const struct ls_rule *r = m->rs->rules[rule];
	size_t ws, we;

	if (m->in->binary && !r->binary)
		return;
	if (!r->regex || !rule_path_ok(m, r))
		return;
	ws = start > r->lookbehind ? start - r->lookbehind : 0;
	we = start + len + r->window;
	if (we > m->in->len)
		we = m->in->len;
	add_window(m, rule, ws, we, r->starts_near ? start + len : we);
}

static size_t widen_back(const char *buf, size_t pos)
{
	size_t lim = pos > LS_LINE_SLACK ? pos - LS_LINE_SLACK : 0;
	const char *nl;

	if (!pos || buf[pos - 1] == '\n')
		return pos;
	nl = memrchr(buf + lim, '\n', pos - lim);
	if (nl)
		return (size_t)(nl - buf) + 1;
	return lim == 0 ? 0 : pos;
}

/* A window's start: widened back to its line's start, unless the rule
 * says how far before a hit its matches start (nothing before that can
 * start a match, and PCRE2 would only try positions that cannot). */
static size_t back(const struct ls_rule *r, const char *buf, size_t pos)
{
	return r->starts_near ? pos : widen_back(buf, pos);
}

static size_t widen_fwd(const char *buf, size_t len, size_t pos)
{
	size_t lim = pos + LS_LINE_SLACK < len ? pos + LS_LINE_SLACK : len;
	const char *nl;

	if (pos >= len)
		return len;
	nl = memchr(buf + pos, '\n', lim - pos);
	if (nl)
		return (size_t)(nl - buf);
	return lim == len ? len : pos;
}

/* ---- judgement ---- */

static int line_has_allow(const char *buf, size_t ls, size_t le)
{
	static const char *const tags[] = { "layerscan:allow", "gitleaks:allow" };

	for (int i = 0; i < 2; i++)
		if (memmem(buf + ls, le - ls, tags[i], strlen(tags[i])))
			return 1;
	return 0;
}

/* The line(s) around [s, e), bounded. */
static void line_bounds(const char *buf, size_t len, size_t s, size_t e,
			size_t *ls, size_t *le)
{
	size_t lim = s > 4096 ? s - 4096 : 0;
	const char *nl = memrchr(buf + lim, '\n', s - lim);

	*ls = nl ? (size_t)(nl - buf) + 1 : lim;
	lim = e + 4096 < len ? e + 4096 : len;
	nl = e < lim ? memchr(buf + e, '\n', lim - e) : NULL;
	*le = nl ? (size_t)(nl - buf) : lim;
}

static int allowed(struct ls_matcher *m, const struct ls_rule *r,
		   const char *secret, size_t slen, size_t ms, size_t me)
{
	const struct ls_match_input *in = m->in;
	struct ls_allow_subject s;
	size_t ls, le;

	line_bounds(in->buf, in->len, ms, me, &ls, &le);
	if (line_has_allow(in->buf, ls, le))
		return 1;
	s.secret = secret;
	s.secret_len = slen;
	s.match = in->buf + ms;
	s.match_len = me - ms;
	s.line = in->buf + ls;
	s.line_len = le - ls;
	s.path = in->path;
	s.commit = in->commit;
	s.limit_hit = 0;
	if (ls_allowed(m->rs, r, &s, m->md_small, m->mctx))
		return 1;
	if (s.limit_hit)
		limit_hit(m, r);
	return 0;
}

/* One byte of a path signature: 0 no match, 1 a match, 2 an error. */
static unsigned char sig_one(struct ls_matcher *m, pcre2_code *const *re,
			     size_t n, const char *path)
{
	size_t len = strlen(path);

	for (size_t i = 0; i < n; i++) {
		int rc = pcre2_match(re[i], (PCRE2_SPTR)path, len, 0, 0,
				     m->md_small, m->mctx);
		if (rc >= 0)
			return 1;
		if (rc != PCRE2_ERROR_NOMATCH)
			return 2;
	}
	return 0;
}

size_t ls_matcher_path_sig(struct ls_matcher *m, const char *path,
			   unsigned char *out, size_t cap)
{
	const struct ls_ruleset *rs = m->rs;
	size_t n = 0;

#define PUT(re, k) do { \
		if (out && n < cap) \
			out[n] = sig_one(m, (re), (k), path); \
		n++; \
	} while (0)
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct ls_rule *r = rs->rules[i];
		int runs = 1;
		if (r->path) {
			PUT(&r->path, 1);
			runs = out && n <= cap && out[n - 1] == 1;
		}
		/* a `content` rule asks its allowlists only when its content
		 * matched, and a memo keeps no scan where that happened */
		if (r->content)
			runs = 0;
		/* a rule that does not run at this path: its allowlists
		 * do not matter (3: not asked) */
		for (size_t j = 0; j < r->nallow; j++) {
			if (!r->allow[j].npaths)
				continue;
			if (runs) {
				PUT(r->allow[j].paths, r->allow[j].npaths);
			} else {
				if (out && n < cap)
					out[n] = 3;
				n++;
			}
		}
	}
	for (size_t j = 0; j < rs->nglobal; j++)
		if (rs->global[j].npaths)
			PUT(rs->global[j].paths, rs->global[j].npaths);
#undef PUT
	return n;
}

int ls_matcher_path_ok(struct ls_matcher *m, const struct ls_rule *r,
		       const char *path)
{
	if (!r->path)
		return 1;
	if (!path)
		return 0;
	/* a literal that every accepted path contains (pathlit.h); the path
	 * is lowered once per input for the case-insensitive ones */
	if (r->path_lit && r->path_lit_icase && m->lpath_of != path) {
		size_t n = strlen(path);
		LS_ALLOC_GROW(m->lpath, n + 1, m->lpath_alloc);
		for (size_t i = 0; i <= n; i++)
			m->lpath[i] = (char)(path[i] >= 'A' && path[i] <= 'Z' ?
					     path[i] - 'A' + 'a' : path[i]);
		m->lpath_of = path;
	}
	if (r->path_lit &&
	    !ls_path_literals_ok_lower(r->path_lit, r->path_lit_icase, path,
				       r->path_lit_icase ? m->lpath : NULL))
		return 0;
	return pcre2_match(r->path, (PCRE2_SPTR)path, strlen(path), 0, 0,
			   m->md_small, m->mctx) >= 0;
}

static int is_text(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' &&
		     p[i] != '\t') || p[i] == 0x7f)
			return 0;
	return n > 0;
}

/* A specific rule recognised the span but rejected it: claim the span. */
static int claim(const struct ls_rule *r, struct ls_match *mt, ls_match_cb cb,
		 void *ud)
{
	if (r->generic)
		return 0;
	mt->rejected = 1;
	return cb(ud, mt);
}

struct inner {
	struct ls_match found[16];
	size_t n;
};

static int on_inner(void *ud, const struct ls_match *im)
{
	struct inner *in = ud;

	if (im->rejected)
		return 0;
	if (in->n < sizeof(in->found) / sizeof(in->found[0]))
		in->found[in->n++] = *im;
	return 0;
}

/*
 * The findings of the other rules in the text an xml or json decoding rule
 * unescaped (m->decbuf, m->decpos: pos[n] is the span's length).  A
 * match that covers no replaced reference is left to the plain scan, which
 * sees the same bytes; the others are reported at the original position of
 * their secret, under the inner rule.  The decoding rule itself never
 * reports and never claims.
 */
static int report_unescaped(struct ls_matcher *m, const struct ls_rule *r,
			    const struct ls_match *mt,
			    const struct inner *inner, ls_match_cb cb,
			    void *ud)
{
	const uint16_t *pos = m->decpos;
	int ret = 0;

	for (size_t i = 0; i < inner->n && !ret; i++) {
		const struct ls_match *im = &inner->found[i];
		struct ls_match out = *mt;
		int escaped = 0;

		if (im->rule == r || im->secret_end <= im->secret_start)
			continue;
		/* a decoded byte that came from a reference: its source is
		   longer than one byte */
		for (size_t j = im->match_start; j < im->match_end; j++)
			if (pos[j + 1] - pos[j] > 1) {
				escaped = 1;
				break;
			}
		if (!escaped)
			continue;
		out.rule = im->rule;
		out.entropy = im->entropy;
		out.secret_start = mt->secret_start + pos[im->secret_start];
		out.secret_end = mt->secret_start + pos[im->secret_end];
		out.decoded = 1;
		out.via = r;
		ret = cb(ud, &out);
	}
	return ret;
}

/*
 * A decoding rule matched: decode the secret and judge the decoded text.
 * Returns the callback's value.
 */
static int judge_decoded(struct ls_matcher *m, const struct ls_rule *r,
			 struct ls_match *mt, ls_match_cb cb, void *ud)
{
	const char *sec = m->in->buf + mt->secret_start;
	size_t slen = mt->secret_end - mt->secret_start;
	struct ls_match_input sub_in;
	struct inner inner = { .n = 0 };
	long n;
	const char *val;
	size_t vlen;

	if (slen > LS_DECODE_MAX || m->depth >= LS_DECODE_DEPTH_MAX)
		return 0;
	{
		/* an inline allow on the line covers what is decoded from it */
		size_t ls, le;
		line_bounds(m->in->buf, m->in->len, mt->match_start,
			    mt->match_end, &ls, &le);
		if (line_has_allow(m->in->buf, ls, le))
			return 0;
	}
	if (!m->decbuf)
		m->decbuf = ls_xmalloc(LS_DECODE_MAX + 1);
	if (r->decode == LS_DECODE_XML || r->decode == LS_DECODE_JSON) {
		size_t nrefs;
		if (!m->decpos)
			m->decpos = ls_xmalloc((LS_DECODE_MAX + 1) *
					       sizeof(*m->decpos));
		n = r->decode == LS_DECODE_XML
			? (long)ls_xml_unescape(sec, slen, m->decbuf,
						m->decpos, &nrefs)
			: (long)ls_json_unescape(sec, slen, m->decbuf,
						 m->decpos, &nrefs);
		/* nothing escaped, or not text: the plain scan has it all */
		if (!nrefs || !is_text(m->decbuf, (size_t)n))
			return 0;
	} else {
		n = ls_base64_decode(sec, slen, m->decbuf);
		if (n <= 0 || !is_text(m->decbuf, (size_t)n))
			return claim(r, mt, cb, ud);
	}
	m->decbuf[n] = '\0';

	/* other rules on the decoded text */
	if (!m->sub) {
		m->sub = ls_matcher_new(m->rs);
		m->sub->depth = m->depth + 1;
	}
	memset(&sub_in, 0, sizeof(sub_in));
	sub_in.buf = (const char *)m->decbuf;
	sub_in.len = (size_t)n;
	sub_in.own_start = 0;
	sub_in.own_end = (size_t)n;
	sub_in.path = m->in->path;
	sub_in.commit = m->in->commit;
	/* the nested scan reuses decbuf only after we are done with it */
	{
		unsigned char *keep = m->decbuf;
		m->decbuf = NULL;
		ls_matcher_scan(m->sub, &sub_in, on_inner, &inner);
		free(m->decbuf);
		m->decbuf = keep;
	}
	/* never the base64 judging below */
	if (r->decode == LS_DECODE_JSON || r->decode == LS_DECODE_XML)
		return report_unescaped(m, r, mt, &inner, cb, ud);
	if (inner.n) {
		int ret = 0;
		for (size_t i = 0; i < inner.n && !ret; i++) {
			struct ls_match out = *mt;
			if (inner.found[i].rule == r)
				continue;
			out.rule = inner.found[i].rule;
			out.entropy = inner.found[i].entropy;
			out.decoded = 1;
			out.via = r;
			ret = cb(ud, &out);
		}
		return ret;
	}

	/* judge the decoded value with this rule */
	val = (const char *)m->decbuf;
	vlen = (size_t)n;
	if (r->decoded_regex) {
		int rc = pcre2_match(r->decoded_regex, (PCRE2_SPTR)val, vlen, 0,
				     0, m->md, m->mctx);
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
		if (rc < 0)
			return claim(r, mt, cb, ud);
		for (int g = 1; g < rc; g++) {
			if (ov[2 * g] != PCRE2_UNSET &&
			    ov[2 * g + 1] > ov[2 * g]) {
				val += ov[2 * g];
				vlen = ov[2 * g + 1] - ov[2 * g];
				goto judged;
			}
		}
		val += ov[0];
		vlen = ov[1] - ov[0];
	}
judged:
	mt->entropy = ls_entropy(val, vlen);
	if (!ls_entropy_ok(val, vlen, mt->entropy, r->entropy))
		return claim(r, mt, cb, ud);
	if (allowed(m, r, val, vlen, mt->match_start, mt->match_end))
		return claim(r, mt, cb, ud);
	mt->decoded = 1;
	mt->via = r;
	return cb(ud, mt);
}

static int judge_secret(struct ls_matcher *m, const struct ls_rule *r,
			struct ls_match *mtp, ls_match_cb cb, void *ud);

static int judge(struct ls_matcher *m, const struct ls_rule *r, size_t rc,
		 ls_match_cb cb, void *ud)
{
	const struct ls_match_input *in = m->in;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
	struct ls_match mt;
	size_t ss = PCRE2_UNSET, se = 0;

	memset(&mt, 0, sizeof(mt));
	mt.rule = r;
	mt.match_start = ov[0];
	mt.match_end = ov[1];
	if (ov[0] < in->own_start || ov[0] >= in->own_end)
		return 0;
	if (r->secret_group > 0) {
		if ((size_t)r->secret_group >= rc ||
		    ov[2 * r->secret_group] == PCRE2_UNSET)
			return 0;
		ss = ov[2 * r->secret_group];
		se = ov[2 * r->secret_group + 1];
	} else {
		for (size_t g = 1; g < rc; g++) {
			if (ov[2 * g] != PCRE2_UNSET &&
			    ov[2 * g + 1] > ov[2 * g]) {
				ss = ov[2 * g];
				se = ov[2 * g + 1];
				break;
			}
		}
		if (ss == PCRE2_UNSET) {
			ss = ov[0];
			se = ov[1];
		}
	}
	if (se <= ss)
		return 0;
	mt.secret_start = ss;
	mt.secret_end = se;
	return judge_secret(m, r, &mt, cb, ud);
}

/* The secret of mt is set: path, validator, decoding or entropy,
 * allowlists. */
static int judge_secret(struct ls_matcher *m, const struct ls_rule *r,
			struct ls_match *mtp, ls_match_cb cb, void *ud)
{
	const struct ls_match_input *in = m->in;
	struct ls_match mt = *mtp;
	const char *sec = in->buf + mt.secret_start;
	size_t slen = mt.secret_end - mt.secret_start;

	if (r->path && !ls_matcher_path_ok(m, r, in->path))
		return 0;
	if (!ls_validate(r->validate, sec, slen))
		return claim(r, &mt, cb, ud);
	if (r->decode)
		return judge_decoded(m, r, &mt, cb, ud);
	mt.entropy = ls_entropy(sec, slen);
	if (!ls_entropy_ok(sec, slen, mt.entropy, r->entropy))
		return claim(r, &mt, cb, ud);
	if (allowed(m, r, sec, slen, mt.match_start, mt.match_end))
		return claim(r, &mt, cb, ud);
	return cb(ud, &mt);
}

struct table_ctx {
	struct ls_matcher *m;
	const struct ls_rule *r;
	ls_match_cb cb;
	void *ud;
};

static int on_table_cell(void *ud, size_t start, size_t end)
{
	struct table_ctx *t = ud;
	const struct ls_match_input *in = t->m->in;
	struct ls_match mt;

	if (start < in->own_start || start >= in->own_end)
		return 0;
	memset(&mt, 0, sizeof(mt));
	mt.rule = t->r;
	mt.match_start = mt.secret_start = start;
	mt.match_end = mt.secret_end = end;
	return judge_secret(t->m, t->r, &mt, t->cb, t->ud);
}

/*
 * A table-column rule's regex matched a header cell at [hs, he): judge
 * that column's cell in each row below (rules/table.h), as far as the
 * chunk overlap guarantees (LS_RULE_WINDOW_MAX bytes after the header).
 */
static int judge_table(struct ls_matcher *m, const struct ls_rule *r,
		       size_t hs, size_t he, ls_match_cb cb, void *ud)
{
	struct table_ctx t = { m, r, cb, ud };

	return ls_table_column(m->in->buf, m->in->len, hs, he, LS_RULE_WINDOW_MAX,
			       on_table_cell, &t);
}

/*
 * Run rule r's regex over the window [ws, we): matches start at or before
 * lim (PCRE2_UNSET: anywhere in the window).
 */
static int run_window(struct ls_matcher *m, const struct ls_rule *r,
		      size_t ws, size_t we, size_t lim, size_t *last_end,
		      ls_match_cb cb, void *ud)
{
	const struct ls_match_input *in = m->in;
	size_t off = ws;
	pcre2_match_context *mctx = m->mctx;

	ls_rule_jit(r);
	if (lim != PCRE2_UNSET) {
		mctx = m->mctx_lim;
		pcre2_set_offset_limit(mctx, lim);
	}
	while (off < we && off <= lim && !rule_spent(m, r)) {
		int rc = pcre2_match(r->regex, (PCRE2_SPTR)in->buf, we, off, 0,
				     m->md, mctx);
		PCRE2_SIZE *ov;
		size_t m0, m1;
		int ret;

		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0) {
			/* limits (match, depth, heap, JIT stack) and any
			 * other run-time failure: count it and go on from
			 * the next line of the window (rule_spent() ends
			 * this after a few hits) */
			const char *nl = memchr(in->buf + off, '\n', we - off);
			limit_hit(m, r);
			if (!nl)
				break;
			off = (size_t)(nl - in->buf) + 1;
			continue;
		}
		if (rc == 0)
			rc = 1;   /* ovector too small: cannot happen */
		ov = pcre2_get_ovector_pointer(m->md);
		if (ov[1] == we && we < in->len) {
			/*
			 * The match touches the window's end, where \b, $
			 * and lookaheads see an artificial end: run it again
			 * from the same start on the whole buffer.
			 */
			size_t start = ov[0];
			rc = pcre2_match(r->regex, (PCRE2_SPTR)in->buf, in->len,
					 start, PCRE2_ANCHORED, m->md, mctx);
			if (rc == PCRE2_ERROR_NOMATCH) {
				off = start + 1;
				continue;
			}
			if (rc < 0) {
				limit_hit(m, r);
				break;
			}
			if (rc == 0)
				rc = 1;
			ov = pcre2_get_ovector_pointer(m->md);
		}
		m0 = ov[0];
		m1 = ov[1];
		/* judge() may reuse the match data (decodedRegex) */
		if (r->check == LS_CHECK_TABLE_COLUMN)
			ret = judge_table(m, r, m0, m1, cb, ud);
		else
			ret = judge(m, r, (size_t)rc, cb, ud);
		if (ret)
			return ret;
		off = m1 > m0 ? m1 : m0 + 1;
		*last_end = m1;
	}
	return 0;
}

/*
 * File rules with a `content` condition, on one chunk of the item.  The
 * pattern runs from the chunk's own start to its end (the bytes before
 * own_start were the previous chunk's, and a match starting there was
 * tried then), with the whole chunk as subject so lookbehind sees real
 * bytes; \A can therefore only match in the item's first chunk, at the
 * file's first byte.  A rule is judged once per item: met (reported unless
 * a path allowlist allows it) or not yet.
 */
static int scan_file_rules(struct ls_matcher *m, ls_match_cb cb, void *ud)
{
	const struct ls_ruleset *rs = m->rs;
	const struct ls_match_input *in = m->in;
	int ret = 0;

	for (size_t k = 0; k < rs->npathonly && !ret; k++) {
		const struct ls_rule *r = rs->rules[rs->pathonly[k]];
		struct ls_match mt;
		int rc;

		if (!r->content || m->file_done[r->index] ||
		    (in->binary && !r->binary) || rule_spent(m, r) ||
		    !rule_path_ok(m, r) || in->own_start > in->len)
			continue;
		rc = pcre2_match(r->content, (PCRE2_SPTR)in->buf, in->len,
				 in->own_start, 0, m->md_small, m->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			continue;
		if (rc < 0) {
			limit_hit(m, r);
			continue;
		}
		m->file_done[r->index] = 1;
		m->content_hits++;
		{
			/* allowlists see the content match as the match and
			 * its line as the line (an inline allow there
			 * allows the file) */
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md_small);
			size_t ms = ov[0], me = ov[1] > ov[0] ? ov[1] : ov[0];
			if (allowed(m, r, "", 0, ms, me))
				continue;
		}
		memset(&mt, 0, sizeof(mt));
		mt.rule = r;
		mt.file = 1;
		ret = cb(ud, &mt);
	}
	return ret;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

int ls_matcher_scan(struct ls_matcher *m, const struct ls_match_input *in,
		    ls_match_cb cb, void *ud)
{
	const struct ls_ruleset *rs = m->rs;
	int ret = 0;

	m->in = in;
	m->ntouched = 0;
	m->lpath_of = NULL;   /* a new input: its path may be another's memory */
	memset(m->path_ok, -1, rs->nrules ? rs->nrules : 1);
	ls_prefilter_scan(rs->pf, m->pfs, (const unsigned char *)in->buf,
			  in->len, on_keyword, m);
	/* deterministic order: by rule index */
	ls_sort(m->touched, m->ntouched, sizeof(unsigned), cmp_uint);
	for (size_t t = 0; t < m->ntouched; t++) {
		const struct ls_rule *r = rs->rules[m->touched[t]];
		struct rulewin *rw = &m->wins[m->touched[t]];
		size_t i = 0, last_end = 0;

		while (i < rw->n && !ret) {
			size_t ws = back(r, in->buf, rw->w[i].start);
			size_t we = widen_fwd(in->buf, in->len, rw->w[i].end);
			size_t lim = rw->w[i].lim;
			/* merge windows that touch after widening (start-
			 * limited windows were merged as they were added) */
			while (!r->starts_near && i + 1 < rw->n &&
			       back(r, in->buf, rw->w[i + 1].start) <= we) {
				i++;
				we = widen_fwd(in->buf, in->len, rw->w[i].end);
			}
			/* a match that ran into this window's starts
			 * used them up, as in one merged window */
			if (ws < last_end)
				ws = last_end;
			ret = run_window(m, r, ws, we,
					 r->starts_near ? lim : PCRE2_UNSET,
					 &last_end, cb, ud);
			i++;
		}
		rw->n = 0;
	}
	for (size_t k = 0; k < rs->nnokw && !ret; k++) {
		const struct ls_rule *r = rs->rules[rs->nokw[k]];
		if ((in->binary && !r->binary) || !rule_path_ok(m, r))
			continue;
		size_t last_end = 0;
		ret = run_window(m, r, 0, in->len, PCRE2_UNSET, &last_end, cb,
				 ud);
	}
	if (in->file_rules && !m->depth && !ret)
		ret = scan_file_rules(m, cb, ud);
	/* leave no windows behind if a callback stopped us */
	for (size_t t = 0; t < m->ntouched; t++)
		m->wins[m->touched[t]].n = 0;
	m->ntouched = 0;
	return ret;
}

int ls_matcher_scan_path(struct ls_matcher *m, const char *path,
			 ls_match_cb cb, void *ud)
{
	const struct ls_ruleset *rs = m->rs;
	struct ls_match_input in;
	int ret = 0;

	memset(&in, 0, sizeof(in));
	in.buf = "";
	in.path = path;
	/* cppcheck-suppress autoVariables ; reset to NULL before returning */
	m->in = &in;
	m->lpath_of = NULL;
	memset(m->file_done, 0, rs->nrules ? rs->nrules : 1);
	for (size_t k = 0; k < rs->npathonly; k++) {
		const struct ls_rule *r = rs->rules[rs->pathonly[k]];
		struct ls_match mt;

		if (r->content || !ls_matcher_path_ok(m, r, path))
			continue;
		if (allowed(m, r, "", 0, 0, 0))
			continue;
		memset(&mt, 0, sizeof(mt));
		mt.rule = r;
		mt.file = 1;
		ret = cb(ud, &mt);
		if (ret)
			break;
	}
	m->in = NULL;
	return ret;
}
