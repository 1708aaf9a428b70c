/*
 * qp.c - read a mail message with its quoted-printable parts decoded.
 */
#include "content/qp.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/hex.h"
#include "util/xalloc.h"

/* Does s[0..n) start with `p`, ignoring case? */
static int prefix_ci(const unsigned char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && !strncasecmp((const char *)s, p, k);
}

/* The offset after `p` (lower case) in s[0..n), ignoring case, or 0. */
static size_t find_ci(const unsigned char *s, size_t n, const char *p)
{
	size_t k = strlen(p), i;

	for (i = 0; i + k <= n; i++)
		if (prefix_ci(s + i, n - i, p))
			return i + k;
	return 0;
}

/* A header line naming a multipart boundary: remember it. */
static void add_boundary(struct ls_qp *q, const unsigned char *l, size_t n)
{
	size_t at = find_ci(l, n, "boundary="), end, len;
	int i;

	if (!at || q->nbnd == LS_QP_BOUNDARIES)
		return;
	if (at < n && l[at] == '"') {
		at++;
		for (end = at; end < n && l[end] != '"'; end++)
			;
	} else {
		for (end = at; end < n && l[end] != ';' && l[end] != ' ' &&
		     l[end] != '\t'; end++)
			;
	}
	len = end - at;
	if (!len || len > LS_QP_BOUNDARY)
		return;
	for (i = 0; i < q->nbnd; i++)
		if (q->bnd_len[i] == len && !memcmp(q->bnd[i], l + at, len))
			return;
	memcpy(q->bnd[q->nbnd], l + at, len);
	q->bnd[q->nbnd][len] = 0;
	q->bnd_len[q->nbnd++] = len;
}

/* Is s[0..n) (after a line's "--") one of the boundaries, or its end? */
static int is_boundary(const struct ls_qp *q, const unsigned char *s,
		       size_t n)
{
	int i;

	for (i = 0; i < q->nbnd; i++) {
		size_t b = q->bnd_len[i];
		if ((n == b || (n == b + 2 && s[b] == '-' && s[b + 1] == '-')) &&
		    !memcmp(s, q->bnd[i], b))
			return 1;
	}
	return 0;
}

/* A line ended (its newline is written): read it as a header, a blank line,
 * a boundary or an mbox separator. */
static void end_line(struct ls_qp *q)
{
	const unsigned char *l = q->line;
	size_t n = q->line_len;
	int blank;

	while (n && (l[n - 1] == '\r' || l[n - 1] == ' ' || l[n - 1] == '\t'))
		n--;
	q->line_len = 0;
	blank = n == 0;
	if (!q->head) {
		if ((n >= 2 && l[0] == '-' && l[1] == '-' &&
		     is_boundary(q, l + 2, n - 2)) ||
		    (q->prev_blank && prefix_ci(l, n, "from "))) {
			/* a part's headers, or the next message of an mbox */
			q->head = 1;
			q->qp = q->pend_qp = q->pend_msg = 0;
			q->esc = 0;
		}
		q->prev_blank = blank;
		return;
	}
	q->prev_blank = blank;
	if (blank) {
		if (q->pend_msg) {
			/* a forwarded message: its own headers come next */
			q->pend_msg = q->pend_qp = 0;
			return;
		}
		q->head = 0;
		q->qp = q->pend_qp;
		q->pend_qp = 0;
		return;
	}
	if (prefix_ci(l, n, "content-transfer-encoding:"))
		q->pend_qp = find_ci(l, n, "quoted-printable") != 0;
	else if (prefix_ci(l, n, "content-type:") &&
		 find_ci(l, n, "message/rfc822"))
		q->pend_msg = 1;
	add_boundary(q, l, n);
}

static void emit(struct ls_qp *q, unsigned char c)
{
	q->out[q->out_len++] = c;
	q->pos++;
}

/*
 * A `=` at a line's end is a soft break, but people who write mail by hand
 * (and tools that paste a value into an already encoded body) leave base64
 * padding unescaped.  An encoder only breaks a line near its 76-character
 * limit, so a short line ending in a long base64 word and `=` keeps it.
 */
static int literal_padding(const struct ls_qp *q)
{
	size_t n = q->line_len, w = 0;

	while (n && (q->line[n - 1] == '\r' || q->line[n - 1] == '='))
		n--;
	if (n + 1 >= 70)
		return 0;
	while (w < n) {
		unsigned char c = q->line[n - 1 - w];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '+' || c == '/'))
			break;
		w++;
	}
	return w >= 16;
}

/* One raw byte: at most three bytes out. */
static void byte(struct ls_qp *q, unsigned char c)
{
	if (c != '\n' && q->line_len < sizeof(q->line))
		q->line[q->line_len++] = c;
	if (q->qp && !q->head) {
		switch (q->esc) {
		case 1:
			if (c == '\n') {
				if (!literal_padding(q))
					goto soft;
				q->esc = 0;
				emit(q, '=');
				break;
			}
			if (c == '\r') {
				q->esc = 3;
				return;
			}
			if (ls_hex_digit(c) >= 0) {
				q->esc = 2;
				q->esc_c = c;
				return;
			}
			q->esc = 0;
			emit(q, '=');
			break;
		case 2:
			q->esc = 0;
			if (ls_hex_digit(c) >= 0) {
				int v = ls_hex_digit(q->esc_c) << 4 |
					ls_hex_digit(c);
				if (v == 0 || v == '\n' || v == '\r') {
					/* keep lines and the binary test */
					emit(q, '=');
					emit(q, q->esc_c);
					emit(q, c);
				} else {
					emit(q, (unsigned char)v);
				}
				return;
			}
			emit(q, '=');
			emit(q, q->esc_c);
			break;
		case 3:
			q->esc = 0;
			if (c == '\n' && !literal_padding(q))
				goto soft;
			emit(q, '=');
			emit(q, '\r');
			break;
		}
		if (c == '=') {
			q->esc = 1;
			return;
		}
	}
	emit(q, c);
	if (c == '\n')
		end_line(q);
	return;
soft:
	/* a soft break: the lines join where that is remembered */
	q->esc = 0;
	q->line_len = 0;
	if (q->njoin == LS_QP_JOINS) {
		emit(q, '\n');
		return;
	}
	LS_ALLOC_GROW(q->join, q->njoin + 1, q->join_alloc);
	q->join[q->njoin++] = q->pos;
}

/* Decode what `in` holds into `out` (which is empty). */
static void decode(struct ls_qp *q)
{
	q->out_off = q->out_len = 0;
	while (q->out_len + 4 <= sizeof(q->out)) {
		if (q->in_off == q->in_len)
			return;
		byte(q, q->in[q->in_off++]);
	}
}

/* The end of the stream: what an escape held back. */
static void finish(struct ls_qp *q)
{
	q->out_off = q->out_len = 0;
	if (q->esc) {
		emit(q, '=');
		if (q->esc == 2)
			emit(q, q->esc_c);
		else if (q->esc == 3)
			emit(q, '\r');
		q->esc = 0;
	}
	q->done = 1;
}

/* Does the sniffed start of the stream look like mail headers?  Only line
 * starts whose first letter could begin either header are compared. */
static int looks_like_mail(const struct ls_qp *q)
{
	const unsigned char *p = q->in, *end = q->in + q->in_len;

	while (p < end) {
		if ((*p == 'm' || *p == 'M' || *p == 'c' || *p == 'C') &&
		    (prefix_ci(p, (size_t)(end - p), "mime-version:") ||
		     prefix_ci(p, (size_t)(end - p),
			       "content-transfer-encoding:")))
			return 1;
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			break;
		p++;
	}
	return 0;
}

static long qp_read(void *ud, char *buf, size_t n, struct ls_err *err)
{
	struct ls_qp *q = ud;
	long k;

	if (!q->mode) {
		while (q->in_len < LS_QP_SNIFF && !q->eof) {
			k = q->under->read(q->under->ud,
					   (char *)q->in + q->in_len,
					   LS_QP_SNIFF - q->in_len, err);
			if (k < 0)
				return k;
			if (k == 0)
				q->eof = 1;
			q->in_len += (size_t)k;
		}
		q->mode = looks_like_mail(q) ? 2 : 1;
		q->head = 1;
	}
	if (q->mode == 1) {
		/* pass through: first what the sniff read, then the source */
		if (q->in_off < q->in_len) {
			size_t m = q->in_len - q->in_off;
			if (m > n)
				m = n;
			memcpy(buf, q->in + q->in_off, m);
			q->in_off += m;
			return (long)m;
		}
		if (q->eof)
			return 0;
		return q->under->read(q->under->ud, buf, n, err);
	}
	for (;;) {
		if (q->out_off < q->out_len) {
			size_t m = q->out_len - q->out_off;
			if (m > n)
				m = n;
			memcpy(buf, q->out + q->out_off, m);
			q->out_off += m;
			return (long)m;
		}
		if (q->in_off < q->in_len) {
			decode(q);
			continue;
		}
		if (q->eof) {
			if (q->done)
				return 0;
			finish(q);
			continue;
		}
		q->in_off = q->in_len = 0;
		k = q->under->read(q->under->ud, (char *)q->in,
				   sizeof(q->in), err);
		if (k < 0)
			return k;
		if (k == 0)
			q->eof = 1;
		q->in_len = (size_t)k;
	}
}

void ls_reader_qp(struct ls_reader *r, struct ls_qp *q,
		  struct ls_reader *under)
{
	memset(q, 0, offsetof(struct ls_qp, in));
	q->under = under;
	r->read = qp_read;
	r->ud = q;
}

void ls_qp_release(struct ls_qp *q)
{
	free(q->join);
	q->join = NULL;
	q->join_alloc = 0;
}

void ls_qp_place(const struct ls_qp *q, unsigned long long off,
		 unsigned long *line, unsigned long *col)
{
	size_t lo = 0, hi = q->njoin;
	unsigned long long line_start;

	if (!q->njoin)   /* only mail joins lines */
		return;
	/* joins at or before off */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (q->join[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return;
	line_start = off - (*col - 1);
	*line += (unsigned long)lo;
	if (q->join[lo - 1] >= line_start)
		*col = (unsigned long)(off - q->join[lo - 1]) + 1;
}
