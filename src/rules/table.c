/*
 * table.c - walk one column of a text table.
 *
 * People keep credentials in tables: a password manager's CSV export, a
 * spreadsheet of service accounts, a wiki page with a | Network | Password |
 * table.  No regex can line a value up with its column name, so a rule with
 * `check = "table-column"` finds the header cell with its regex, and this
 * walks the rows below it and hands back that column's cells.
 *
 * Lines are split one at a time.  A CSV row whose last field opens a quote
 * that closes on a later line (a note with a line break) still gives the
 * cells before that field, and the lines that continue the field are not
 * rows; any other line whose cell count differs from the header's is
 * skipped, not guessed at.
 */
#define _GNU_SOURCE
#include "rules/table.h"

#include <string.h>

#define CELLS_MAX 64
/* A longer line is not a table's header or row (and a 10 MB line must not
 * be walked once per header-like cell in it). */
#define LINE_MAX_BYTES 4096

struct cells {
	size_t n;                   /* cells in the line (may exceed CELLS_MAX) */
	size_t s[CELLS_MAX], e[CELLS_MAX];
};

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The end of p's line, or (size_t)-1 past LINE_MAX_BYTES. */
static size_t line_end(const char *buf, size_t len, size_t p)
{
	size_t lim = len - p > LINE_MAX_BYTES ? p + LINE_MAX_BYTES : len;
	const char *nl = memchr(buf + p, '\n', lim - p);

	if (nl)
		return (size_t)(nl - buf);
	return lim == len ? len : (size_t)-1;
}

/* The line's end without its CR, if any. */
static size_t text_end(const char *buf, size_t ls, size_t le)
{
	return le > ls && buf[le - 1] == '\r' ? le - 1 : le;
}

/* The start of p's line, or (size_t)-1 past LINE_MAX_BYTES. */
static size_t line_start(const char *buf, size_t p)
{
	size_t lim = p > LINE_MAX_BYTES ? p - LINE_MAX_BYTES : 0;

	while (p > lim && buf[p - 1] != '\n')
		p--;
	if (p && buf[p - 1] != '\n')
		return (size_t)-1;
	return p;
}

/* Is the trimmed line a Markdown table row (starts with '|')? */
static int md_row(const char *buf, size_t ls, size_t le)
{
	while (ls < le && blank(buf[ls]))
		ls++;
	return ls < le && buf[ls] == '|';
}

/* A Markdown |---|:--:| line. */
static int md_rule(const char *buf, size_t ls, size_t le)
{
	int dash = 0;

	for (size_t i = ls; i < le; i++) {
		if (buf[i] == '-')
			dash = 1;
		else if (buf[i] != '|' && buf[i] != ':' && !blank(buf[i]))
			return 0;
	}
	return dash;
}

static void put(struct cells *c, size_t s, size_t e)
{
	if (c->n < CELLS_MAX) {
		c->s[c->n] = s;
		c->e[c->n] = e;
	}
	c->n++;
}

/* Split [ls, le) at sep; '"' quotes a CSV field ("" inside), '\|' is not a
 * Markdown separator.  Returns 1 when the last field's quote is still open
 * at le (the field goes on on the next line), else 0. */
static int split(const char *buf, size_t ls, size_t le, char sep,
		 struct cells *c)
{
	size_t s = ls;
	int quoted = 0;

	c->n = 0;
	for (size_t i = ls; i < le; i++) {
		char ch = buf[i];
		if (sep != '|' && ch == '"') {
			if (quoted && i + 1 < le && buf[i + 1] == '"') {
				i++;
				continue;
			}
			/* a quote opens a field only at its start */
			if (quoted) {
				quoted = 0;
			} else {
				size_t k = s;
				while (k < i && blank(buf[k]))
					k++;
				if (k == i)
					quoted = 1;
			}
		} else if (ch == sep && !quoted &&
			   !(sep == '|' && i > ls && buf[i - 1] == '\\')) {
			put(c, s, i);
			s = i + 1;
		}
	}
	put(c, s, le);
	if (sep == '|' && c->n >= 2 && c->n <= CELLS_MAX) {
		/* drop what is before the first '|' and after the last */
		size_t first = 0, last = c->n;
		size_t k;
		for (k = c->s[0]; k < c->e[0] && blank(buf[k]); k++)
			;
		if (k == c->e[0])
			first = 1;
		for (k = c->s[c->n - 1]; k < c->e[c->n - 1] && blank(buf[k]);
		     k++)
			;
		if (k == c->e[c->n - 1])
			last = c->n - 1;
		memmove(c->s, c->s + first, (last - first) * sizeof(c->s[0]));
		memmove(c->e, c->e + first, (last - first) * sizeof(c->e[0]));
		c->n = last - first;
	}
	return quoted;
}

/* Does the CSV field that a previous line left open close in [ls, le)?
 * Quotes toggle it; "" inside the field is an escaped quote. */
static int closes_quote(const char *buf, size_t ls, size_t le)
{
	for (size_t i = ls; i < le; i++) {
		if (buf[i] != '"')
			continue;
		if (i + 1 < le && buf[i + 1] == '"') {
			i++;
			continue;
		}
		return 1;
	}
	return 0;
}

/* Is there "<tag" (th or td, any case) followed by '>', ' ' or a tab at p? */
static int html_open(const char *buf, size_t p, size_t le, char t2)
{
	return p + 4 <= le && buf[p] == '<' &&
	       (buf[p + 1] == 't' || buf[p + 1] == 'T') &&
	       (buf[p + 2] | 0x20) == t2 &&
	       (buf[p + 3] == '>' || buf[p + 3] == ' ' || buf[p + 3] == '\t');
}

/*
 * The <th> (t2 'h') or <td> (t2 'd') cells of an HTML table row on one
 * line: each from after its start tag's '>' to its "</t?" end tag (or the
 * next cell's start).
 */
static void split_html(const char *buf, size_t ls, size_t le, char t2,
		       struct cells *c)
{
	size_t i = ls;

	c->n = 0;
	while (i < le) {
		const char *gt;
		size_t s, e;

		if (!html_open(buf, i, le, t2)) {
			i++;
			continue;
		}
		gt = memchr(buf + i, '>', le - i);
		if (!gt)
			break;
		s = (size_t)(gt - buf) + 1;
		for (e = s; e < le; e++)
			if (buf[e] == '<' && e + 3 < le &&
			    ((buf[e + 1] == '/' && (buf[e + 2] | 0x20) == 't' &&
			      (buf[e + 3] | 0x20) == t2) ||
			     html_open(buf, e, le, t2)))
				break;
		put(c, s, e);
		i = e;
		if (i < le && buf[i + 1] == '/')
			i += 4;
	}
}

/* The cell's text without blanks, the tags around it (<p><code>), and one
 * pair of "" or `` or ** around it. */
static void inner(const char *buf, size_t *s, size_t *e)
{
	for (;;) {
		while (*s < *e && blank(buf[*s]))
			(*s)++;
		while (*e > *s && blank(buf[*e - 1]))
			(*e)--;
		if (*s < *e && buf[*s] == '<') {
			const char *gt = memchr(buf + *s, '>', *e - *s);
			if (!gt)
				break;
			*s = (size_t)(gt - buf) + 1;
		} else if (*e > *s && buf[*e - 1] == '>') {
			const char *lt = memrchr(buf + *s, '<', *e - *s);
			if (!lt)
				break;
			*e = (size_t)(lt - buf);
		} else {
			break;
		}
	}
	if (*e - *s >= 2 &&
	    ((buf[*s] == '"' && buf[*e - 1] == '"') ||
	     (buf[*s] == '`' && buf[*e - 1] == '`'))) {
		(*s)++;
		(*e)--;
	} else if (*e - *s >= 4 && !memcmp(buf + *s, "**", 2) &&
		   !memcmp(buf + *e - 2, "**", 2)) {
		*s += 2;
		*e -= 2;
	}
}

/* A header cell: up to 40 of [A-Za-z0-9 _.-/#], starting with a letter or a
 * digit and holding a letter ("2FA", not "2024"). */
static int name_cell(const char *buf, size_t s, size_t e)
{
	int letter = 0, open = 0;

	inner(buf, &s, &e);
	if (s == e || e - s > 40)
		return 0;
	if (!((buf[s] >= 'A' && buf[s] <= 'Z') ||
	      (buf[s] >= 'a' && buf[s] <= 'z') ||
	      (buf[s] >= '0' && buf[s] <= '9')))
		return 0;
	for (size_t i = s; i < e; i++) {
		char ch = buf[i];
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == ' ' || ch == '_' ||
		      ch == '.' || ch == '-' || ch == '/' || ch == '#' ||
		      ch == '(' || ch == ')'))
			return 0;
		/* a note in parentheses ("Resident (Yardi code)"), closed
		 * within the cell: not a call spread over cells */
		if (ch == '(' && open++)
			return 0;
		if (ch == ')' && !open--)
			return 0;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'))
			letter = 1;
	}
	/* a name has a letter: "2FA" is one, "2024" or "1" is data */
	return letter && !open;
}

/*
 * A fixed-width table's underline (PowerShell's Format-Table, sqlcmd,
 * SQL*Plus): runs of '-' (or '=') split by blanks, at least two, nothing
 * else.  c gets each run's offsets from the line's start.
 */
static int dash_rule(const char *buf, size_t ls, size_t le, struct cells *c)
{
	size_t i = ls;

	c->n = 0;
	while (i < le) {
		size_t s;

		if (blank(buf[i])) {
			i++;
			continue;
		}
		if (buf[i] != '-' && buf[i] != '=')
			return 0;
		s = i;
		while (i < le && buf[i] == buf[s])
			i++;
		if (i < le && !blank(buf[i]))
			return 0;
		put(c, s - ls, i - ls);
	}
	return c->n >= 2 && c->n <= CELLS_MAX;
}

/*
 * A header over a dash underline: column i spans from its run's start to
 * the next run's; its header text (trimmed) must be a name.  Returns the
 * column of [hs, he)'s middle, or cols->n (0 when there is no underline)
 * when it is not such a table.
 */
static size_t fixed_header(const char *buf, size_t len, size_t hls,
			   size_t hle, size_t mid, struct cells *cols)
{
	size_t uls, ule, col;

	cols->n = 0;
	if (hle >= len)
		return 0;
	uls = hle + 1;
	ule = line_end(buf, len, uls);
	if (ule == (size_t)-1 ||
	    !dash_rule(buf, uls, text_end(buf, uls, ule), cols)) {
		cols->n = 0;
		return 0;
	}
	col = cols->n;
	for (size_t i = 0; i < cols->n; i++) {
		size_t s = hls + cols->s[i];
		size_t e = i + 1 < cols->n ? hls + cols->s[i + 1] : hle;
		size_t te = text_end(buf, hls, hle);

		if (e > te)
			e = te;
		if (s >= e || !name_cell(buf, s, e))
			return cols->n;
		if (s <= mid && mid < e)
			col = i;
	}
	return col;
}

/* Walk the rows under a fixed-width header's underline (which ends at
 * ule): column col's text in each, up to a blank line. */
static int fixed_rows(const char *buf, size_t len, size_t ule, size_t limit,
		      const struct cells *cols, size_t col,
		      ls_table_cell_cb cb, void *ud)
{
	size_t p = ule < len ? ule + 1 : len, rows = 0;

	while (p < len && p - ule <= limit && rows < LS_TABLE_ROWS_MAX) {
		size_t ls = p, le = line_end(buf, len, p), te, cs, ce, k;
		int ret;

		if (le == (size_t)-1)
			break;
		p = le < len ? le + 1 : len;
		te = text_end(buf, ls, le);
		for (k = ls; k < te && blank(buf[k]); k++)
			;
		if (k == te)
			break;  /* the fixed-width table ends at a blank line */
		rows++;
		cs = ls + cols->s[col];
		if (cs >= te)
			continue;
		ce = col + 1 < cols->n ? ls + cols->s[col + 1] : te;
		if (ce > te)
			ce = te;
		inner(buf, &cs, &ce);
		if (cs == ce)
			continue;
		ret = cb(ud, cs, ce);
		if (ret)
			return ret;
	}
	return 0;
}

/* The header's separator: '|' for a Markdown row, else the most frequent
 * unquoted tab, ',' or ';' (0: none). */
static char header_sep(const char *buf, size_t ls, size_t le)
{
	static const char cand[] = { '\t', ',', ';' };
	size_t count[3] = { 0, 0, 0 }, best = 0;
	int quoted = 0;
	char sep = 0;

	if (md_row(buf, ls, le))
		return '|';
	for (size_t i = ls; i < le; i++)
		if (html_open(buf, i, le, 'h'))
			return 'h';
	for (size_t i = ls; i < le; i++) {
		if (buf[i] == '"')
			quoted = !quoted;
		for (int k = 0; k < 3 && !quoted; k++)
			if (buf[i] == cand[k])
				count[k]++;
	}
	for (int k = 0; k < 3; k++) {
		if (count[k] > best) {
			best = count[k];
			sep = cand[k];
		}
	}
	return sep;
}

int ls_table_column(const char *buf, size_t len, size_t hs, size_t he,
		    size_t limit, ls_table_cell_cb cb, void *ud)
{
	size_t hls, hle, col, p, rows = 0, mid;
	struct cells hdr, row;
	char sep;
	int cont = 0;   /* inside a CSV field quoted over several lines */

	if (hs >= len || he > len || he < hs)
		return 0;
	hls = line_start(buf, hs);
	hle = line_end(buf, len, hs);
	if (hls == (size_t)-1 || hle == (size_t)-1 || he > hle)
		return 0;
	/* a file's UTF-8 byte order mark (Excel's "CSV UTF-8") is not part
	 * of the first header cell */
	if (hle - hls >= 3 && !memcmp(buf + hls, "\xef\xbb\xbf", 3))
		hls += 3;
	sep = header_sep(buf, hls, text_end(buf, hls, hle));
	if (!sep) {
		mid = hs + (he - hs) / 2;
		col = fixed_header(buf, len, hls, hle, mid, &hdr);
		if (col >= hdr.n)
			return 0;
		return fixed_rows(buf, len, line_end(buf, len, hle + 1), limit,
				  &hdr, col, cb, ud);
	}
	if (sep == 'h')
		split_html(buf, hls, text_end(buf, hls, hle), 'h', &hdr);
	else
		split(buf, hls, text_end(buf, hls, hle), sep, &hdr);
	if (hdr.n < 2 || hdr.n > CELLS_MAX)
		return 0;
	mid = hs + (he - hs) / 2;
	col = hdr.n;
	for (size_t i = 0; i < hdr.n; i++) {
		if (!name_cell(buf, hdr.s[i], hdr.e[i]))
			return 0;
		/* an export writes "a,b,c"; code lists "a, b, c" (and is
		 * indented) */
		if (sep != '|' && sep != 'h' && hdr.e[i] > hdr.s[i] &&
		    (blank(buf[hdr.s[i]]) || blank(buf[hdr.e[i] - 1])))
			return 0;
		if (hdr.s[i] <= mid && mid <= hdr.e[i] && col == hdr.n)
			col = i;
	}
	if (col == hdr.n)
		return 0;

	p = hle < len ? hle + 1 : len;
	while (p < len && p - hle <= limit && rows < LS_TABLE_ROWS_MAX) {
		size_t ls = p, le = line_end(buf, len, p), cs, ce;
		size_t k;
		int ret;

		if (le == (size_t)-1)
			break;                  /* not a table's row */
		p = le < len ? le + 1 : len;
		for (k = ls; k < le && blank(buf[k]); k++)
			;
		if (k == le)
			break;                  /* a blank line ends the table */
		if (sep == '|') {
			if (!md_row(buf, ls, le))
				break;
			if (md_rule(buf, ls, le))
				continue;
		}
		if (sep == 'h') {
			/* rows until the table's end; lines without a
			 * cell (<tbody>, <tr>) are not rows */
			if (memmem(buf + ls, le - ls, "</table", 7) ||
			    memmem(buf + ls, le - ls, "</TABLE", 7))
				break;
			split_html(buf, ls, text_end(buf, ls, le), 'd', &row);
			if (!row.n)
				continue;
			rows++;
		} else if (sep == '|') {
			rows++;
			split(buf, ls, text_end(buf, ls, le), sep, &row);
		} else {
			int open;

			rows++;
			if (cont) {
				/* the rest of a field a previous row left
				 * open, not a row; what follows its closing
				 * quote is not judged either */
				if (closes_quote(buf, ls, le))
					cont = 0;
				continue;
			}
			if (blank(buf[ls]))
				continue;
			open = split(buf, ls, text_end(buf, ls, le), sep, &row);
			if (open) {
				/* the row goes on below: its cells before
				 * the open field are whole */
				cont = 1;
				if (row.n > hdr.n || col + 1 >= row.n)
					continue;
				row.n = hdr.n;
			}
		}
		if (row.n != hdr.n)
			continue;
		cs = row.s[col];
		ce = row.e[col];
		inner(buf, &cs, &ce);
		if (cs == ce)
			continue;
		ret = cb(ud, cs, ce);
		if (ret)
			return ret;
	}
	return 0;
}
