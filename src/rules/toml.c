/*
 * toml.c - a TOML 1.0 parser; see toml.h for the interface.
 *
 * Structure.  The parser is a single forward pass over the bytes with
 * one byte of lookahead (three for string delimiters).  The document
 * level is a loop over lines: each line holds nothing, a comment, a
 * key/value pair or a table header.  Values are parsed by recursive
 * descent, but only arrays and inline tables recurse, and they carry a
 * depth counter capped at LS_TOML_MAX_DEPTH, so hostile input cannot
 * exhaust the stack.  Dotted keys are also capped at that many parts.
 * The text is never assumed to be NUL-terminated: every read goes
 * through the length.
 *
 * The tree is built in place.  A parser keeps a pointer to the "current"
 * table (the root, or the table named by the last header); key/value
 * lines insert into it.  Tables and arrays are growable arrays with a
 * doubling capacity (`alloc`), so building them is linear.
 *
 * Headers.  "[a.b.c]" walks from the root: "a" and "b" are looked up and,
 * if missing, created as *implicit* tables, which a later "[a]" or
 * "[a.b]" may still define.  The last part is created (or an implicit
 * table there is promoted) and marked *defined*; finding a table that is
 * already defined, was made by dotted keys, or is an inline table value
 * is the error "table '...' already defined".  When the walk meets an
 * array made by "[[...]]" it continues in that array's LAST element,
 * which is how "[[rules]]" followed by "[rules.examples]" or
 * "[[rules.allowlists]]" attaches to the rule just opened.
 *
 * Arrays of tables.  "[[x]]" makes x an array flagged as an array of
 * tables (or finds it) and appends a fresh defined table, which becomes
 * current.  Because each element is a new node, tables defined under the
 * previous element (x.y) do not clash with those of the next one.
 *
 * Redefinition.  Every table and array carries flags: IMPLICIT (made as
 * a header's parent), DEFINED (made by a header), DOTTED (made by a
 * dotted key such as "a.b = 1"), FROZEN (an inline table or an array
 * written as a value: closed once written) and AOT (made by "[[...]]").
 * The spec's rules then become local checks on the node at hand:
 *   - a key already present in its table is a duplicate;
 *   - "[x]" needs x absent or IMPLICIT;
 *   - "[[x]]" needs x absent or an AOT array; a static array is FROZEN;
 *   - a header may walk through any table except a FROZEN one, and
 *     through AOT arrays only;
 *   - a dotted key may walk through DOTTED tables (which can only belong
 *     to the section being written) and IMPLICIT ones (which then become
 *     DOTTED), but never through DEFINED or FROZEN tables or arrays.
 * This matches the spec's examples and the toml-test suite, including
 * "[fruit.apple.texture]" after "fruit.apple.color = ..." (allowed) and
 * "b.c.t = 1" under "[a]" after "[a.b.c]" (rejected).
 *
 * Duplicate detection.  Tables keep their keys in document order for
 * callers, who look them up by a linear scan (tables in rule files are
 * small).  The parser itself must not be quadratic on a table with many
 * keys, so it keeps one hash index for the whole parse, keyed by (table
 * node, key), that maps to the entry's position in its table.
 *
 * Positions.  Lines and columns are computed lazily from byte offsets by
 * a cursor that only moves forward (it restarts from the top only for an
 * error that points backwards), so recording the position of every value
 * stays linear.  Columns count characters, not bytes, on the line.
 *
 * Choices where the spec leaves room: CRLF inside multi-line strings is
 * stored as LF; a leading UTF-8 byte order mark is skipped; keys that
 * contain NUL (from "\u0000") are rejected because struct ls_toml_kv has
 * no length; floats that overflow to infinity are "float out of range".
 */
#include "rules/toml.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/hex.h"
#include "util/xalloc.h"

#define F_IMPLICIT 0x01u /* table created as the parent in a header */
#define F_DEFINED  0x02u /* table opened by [x], or an element of [[x]] */
#define F_DOTTED   0x04u /* table created by a dotted key */
#define F_FROZEN   0x08u /* inline table or array value: closed */
#define F_AOT      0x10u /* array created by [[x]] */

/* Longest key name quoted in an error message. */
#define KEY_NAME_MAX 128

struct keypart {
	size_t off;     /* into key.chars, NUL-terminated there */
	size_t len;
	int line, col;
};

/* The parts of the key being parsed; reused for every key. */
struct key {
	char *chars;
	size_t nchars, chars_alloc;
	struct keypart *parts;
	size_t n, parts_alloc;
};

/* One slot of the (table, key) -> entry index; t == NULL when empty. */
struct slot {
	const struct ls_toml_value *t;
	size_t idx;
	size_t hash;
};

struct kmap {
	struct slot *slots;
	size_t cap, n;  /* cap is 0 or a power of two */
};

struct parser {
	const char *s;
	size_t len, pos, start;
	const char *name;
	struct ls_err *err;

	/* position cursor for loc() */
	size_t cpos;
	int cline, ccol;

	/* scratch for decoded strings and number text */
	char *buf;
	size_t buflen, bufalloc;

	struct key key;
	struct kmap map;
	struct ls_toml_value *root, *cur;
};

/* ---- positions and errors ---- */

static void loc(struct parser *p, size_t pos, int *line, int *col)
{
	size_t i;

	if (pos > p->len)
		pos = p->len;
	if (pos < p->cpos) {
		p->cpos = p->start;
		p->cline = 1;
		p->ccol = 1;
	}
	for (i = p->cpos; i < pos; i++) {
		unsigned char c = (unsigned char)p->s[i];

		if (c == '\n') {
			if (p->cline < INT_MAX)
				p->cline++;
			p->ccol = 1;
		} else if ((c & 0xc0) != 0x80 && p->ccol < INT_MAX) {
			p->ccol++;
		}
	}
	p->cpos = pos;
	*line = p->cline;
	*col = p->ccol;
}

static int vfail(struct parser *p, int line, int col, const char *fmt,
		 va_list ap)
{
	char msg[LS_ERR_MSG_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	return ls_err_set(p->err, LS_EINVAL, p->name, line, col, "%s", msg);
}

__attribute__((format(printf, 3, 4)))
static int fail(struct parser *p, size_t pos, const char *fmt, ...)
{
	va_list ap;
	int line, col, r;

	loc(p, pos, &line, &col);
	va_start(ap, fmt);
	r = vfail(p, line, col, fmt, ap);
	va_end(ap);
	return r;
}

/* Fail at the start of key part `i`. */
__attribute__((format(printf, 3, 4)))
static int fail_part(struct parser *p, size_t i, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfail(p, p->key.parts[i].line, p->key.parts[i].col, fmt, ap);
	va_end(ap);
	return r;
}

/* ---- small helpers ---- */

static int peek(const struct parser *p, size_t off)
{
	if (p->pos + off >= p->len || p->pos + off < p->pos)
		return -1;
	return (unsigned char)p->s[p->pos + off];
}

static int is_bare(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_digit_base(int c, int base)
{
	int v = ls_hex_digit(c);

	return v >= 0 && v < base;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
		p->pos++;
}

/* Length of the newline at the cursor: 1 for LF, 2 for CRLF, else 0. */
static size_t newline_len(const struct parser *p)
{
	int c = peek(p, 0);

	if (c == '\n')
		return 1;
	if (c == '\r' && peek(p, 1) == '\n')
		return 2;
	return 0;
}

/*
 * Length of the valid UTF-8 sequence at s (n bytes available), or 0 if it
 * is malformed, overlong, a surrogate or above U+10FFFF.
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t need, i;

	if (c < 0x80)
		return 1;
	if (c < 0xc2)
		return 0;
	need = c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
	if (!need || n < need)
		return 0;
	for (i = 1; i < need; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0) ||
	    (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
		return 0;
	return need;
}

static void buf_add(struct parser *p, const char *s, size_t n)
{
	LS_ALLOC_GROW(p->buf, p->buflen + n + 1, p->bufalloc);
	memcpy(p->buf + p->buflen, s, n);
	p->buflen += n;
}

static void buf_addc(struct parser *p, char c)
{
	LS_ALLOC_GROW(p->buf, p->buflen + 2, p->bufalloc);
	p->buf[p->buflen++] = c;
}

static void buf_add_utf8(struct parser *p, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(p, u, n);
}

static const char *with_article(enum ls_toml_type type)
{
	switch (type) {
	case LS_TOML_STRING:
		return "a string";
	case LS_TOML_INTEGER:
		return "an integer";
	case LS_TOML_FLOAT:
		return "a float";
	case LS_TOML_BOOL:
		return "a boolean";
	case LS_TOML_ARRAY:
		return "an array";
	case LS_TOML_TABLE:
		return "a table";
	}
	return "a value";
}

/*
 * The first `nparts` parts of the current key, joined with dots (parts
 * that are not bare are quoted), made safe to print.  Uses the scratch
 * buffer, so call it only when failing.
 */
static const char *key_name(struct parser *p, size_t nparts,
			    char out[KEY_NAME_MAX])
{
	size_t i, j;

	p->buflen = 0;
	for (i = 0; i < nparts; i++) {
		const char *s = p->key.chars + p->key.parts[i].off;
		size_t len = p->key.parts[i].len;
		int bare = len > 0;

		for (j = 0; j < len; j++)
			if (!is_bare((unsigned char)s[j]))
				bare = 0;
		if (i)
			buf_addc(p, '.');
		if (!bare)
			buf_addc(p, '"');
		buf_add(p, s, len);
		if (!bare)
			buf_addc(p, '"');
	}
	ls_err_sanitize(out, KEY_NAME_MAX, p->buf, p->buflen);
	return out;
}

/* ---- values ---- */

static struct ls_toml_value *new_value(enum ls_toml_type type, int line,
				       int col, unsigned flags)
{
	struct ls_toml_value *v = ls_xcalloc(1, sizeof(*v));

	v->type = type;
	v->line = line;
	v->column = col;
	v->flags = flags;
	return v;
}

static void array_push(struct ls_toml_value *a, struct ls_toml_value *v)
{
	LS_ALLOC_GROW(a->u.array.items, a->u.array.n + 1, a->alloc);
	a->u.array.items[a->u.array.n++] = v;
}

void ls_toml_free(struct ls_toml_value *root)
{
	struct ls_toml_value **stack = NULL, *v;
	size_t n = 0, alloc = 0, i;

	/* iterative, so a deep tree cannot overflow the C stack */
	if (!root)
		return;
	LS_ALLOC_GROW(stack, 1, alloc);
	stack[n++] = root;
	while (n) {
		v = stack[--n];
		switch (v->type) {
		case LS_TOML_STRING:
			free(v->u.str.ptr);
			break;
		case LS_TOML_ARRAY:
			LS_ALLOC_GROW(stack, n + v->u.array.n, alloc);
			for (i = 0; i < v->u.array.n; i++)
				stack[n++] = v->u.array.items[i];
			free(v->u.array.items);
			break;
		case LS_TOML_TABLE:
			LS_ALLOC_GROW(stack, n + v->u.table.n, alloc);
			for (i = 0; i < v->u.table.n; i++) {
				free(v->u.table.kv[i].key);
				stack[n++] = v->u.table.kv[i].value;
			}
			free(v->u.table.kv);
			break;
		default:
			break;
		}
		free(v);
	}
	free(stack);
}

/* ---- the (table, key) index ---- */

static size_t key_hash(const struct ls_toml_value *t, const char *key)
{
	uint64_t h = 14695981039346656037ull ^
		     ((uint64_t)(uintptr_t)t * 0x9e3779b97f4a7c15ull);

	for (; *key; key++) {
		h ^= (unsigned char)*key;
		h *= 1099511628211ull;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return (size_t)h;
}

static struct ls_toml_value *map_get(const struct kmap *m,
				     const struct ls_toml_value *t,
				     const char *key)
{
	size_t h, i;

	if (!m->cap)
		return NULL;
	h = key_hash(t, key);
	for (i = h & (m->cap - 1); m->slots[i].t; i = (i + 1) & (m->cap - 1)) {
		const struct slot *s = &m->slots[i];

		if (s->hash == h && s->t == t &&
		    !strcmp(t->u.table.kv[s->idx].key, key))
			return t->u.table.kv[s->idx].value;
	}
	return NULL;
}

static void map_insert(struct kmap *m, const struct ls_toml_value *t,
		       size_t idx, size_t h)
{
	size_t i = h & (m->cap - 1);

	while (m->slots[i].t)
		i = (i + 1) & (m->cap - 1);
	m->slots[i].t = t;
	m->slots[i].idx = idx;
	m->slots[i].hash = h;
	m->n++;
}

static void map_put(struct kmap *m, const struct ls_toml_value *t,
		    const char *key, size_t idx)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct slot *old = m->slots;
		size_t oldcap = m->cap, i;

		m->cap = oldcap ? oldcap * 2 : 64;
		m->slots = ls_xcalloc(m->cap, sizeof(*m->slots));
		m->n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i].t)
				map_insert(m, old[i].t, old[i].idx,
					   old[i].hash);
		free(old);
	}
	map_insert(m, t, idx, key_hash(t, key));
}

/* Add key (taking ownership) and v to table t. */
static void table_add(struct parser *p, struct ls_toml_value *t, char *key,
		      struct ls_toml_value *v)
{
	LS_ALLOC_GROW(t->u.table.kv, t->u.table.n + 1, t->alloc);
	t->u.table.kv[t->u.table.n].key = key;
	t->u.table.kv[t->u.table.n].value = v;
	map_put(&p->map, t, key, t->u.table.n);
	t->u.table.n++;
}

/* ---- comments and whitespace ---- */

/* Skip a comment starting at '#', up to (not including) its newline. */
static int skip_comment(struct parser *p)
{
	p->pos++;
	while (p->pos < p->len) {
		unsigned char c = (unsigned char)p->s[p->pos];
		size_t n;

		if (c == '\n' || (c == '\r' && peek(p, 1) == '\n'))
			return 0;
		if (c == '\r')
			return fail(p, p->pos, "bare carriage return");
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(p, p->pos,
				    "control character U+%04X in comment", c);
		if (c < 0x80) {
			p->pos++;
			continue;
		}
		n = utf8_len((const unsigned char *)p->s + p->pos,
			     p->len - p->pos);
		if (!n)
			return fail(p, p->pos, "invalid UTF-8");
		p->pos += n;
	}
	return 0;
}

/* Skip whitespace, newlines and comments (inside arrays). */
static int skip_ws_nl(struct parser *p)
{
	for (;;) {
		size_t n;
		int r;

		skip_ws(p);
		if (peek(p, 0) == '#') {
			if ((r = skip_comment(p)))
				return r;
		} else if ((n = newline_len(p))) {
			p->pos += n;
		} else if (peek(p, 0) == '\r') {
			return fail(p, p->pos, "bare carriage return");
		} else {
			return 0;
		}
	}
}

/* ---- strings ---- */

/*
 * At a backslash inside a basic string opened at `open`: decode one escape
 * into the scratch buffer, or skip a line-ending backslash and the
 * whitespace after it (multi-line strings only).
 */
static int scan_escape(struct parser *p, size_t open, int multiline)
{
	size_t bs = p->pos, i, nd;
	unsigned long cp = 0;
	int c = peek(p, 1);

	switch (c) {
	case -1:
		return fail(p, open, "unterminated string");
	case 'b':
		buf_addc(p, '\b');
		break;
	case 't':
		buf_addc(p, '\t');
		break;
	case 'n':
		buf_addc(p, '\n');
		break;
	case 'f':
		buf_addc(p, '\f');
		break;
	case 'r':
		buf_addc(p, '\r');
		break;
	case '"':
		buf_addc(p, '"');
		break;
	case '\\':
		buf_addc(p, '\\');
		break;
	case 'u':
	case 'U':
		nd = c == 'u' ? 4 : 8;
		for (i = 0; i < nd; i++) {
			int d = peek(p, 2 + i);

			if (d < 0 || ls_hex_digit(d) < 0)
				return fail(p, bs, "invalid unicode escape");
			cp = cp * 16 + (unsigned long)ls_hex_digit(d);
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return fail(p, bs, "invalid unicode escape '\\%c%.*s'",
				    c, (int)nd, p->s + bs + 2);
		buf_add_utf8(p, cp);
		p->pos += 2 + nd;
		return 0;
	default:
		if (multiline && (c == ' ' || c == '\t' || c == '\n' ||
				  c == '\r')) {
			i = bs + 1;
			while (i < p->len &&
			       (p->s[i] == ' ' || p->s[i] == '\t'))
				i++;
			if (i < p->len && (p->s[i] == '\n' ||
					   (p->s[i] == '\r' && i + 1 < p->len &&
					    p->s[i + 1] == '\n'))) {
				/* line-ending backslash: trim to next text */
				p->pos = i;
				for (;;) {
					size_t n = newline_len(p);

					if (n)
						p->pos += n;
					else if (peek(p, 0) == ' ' ||
						 peek(p, 0) == '\t')
						p->pos++;
					else
						return 0;
				}
			}
		}
		if (c >= 0x20 && c < 0x7f)
			return fail(p, bs, "invalid escape '\\%c'", c);
		return fail(p, bs, "invalid escape sequence");
	}
	p->pos += 2;
	return 0;
}

/*
 * Scan a string starting at the cursor (at its opening delimiter) into the
 * scratch buffer.  `quote` is '"' for basic strings (with escapes) or '\''
 * for literal ones; `multiline` says whether the delimiter is tripled.
 */
static int scan_string(struct parser *p, char quote, int multiline)
{
	size_t open = p->pos, n;

	p->pos += multiline ? 3 : 1;
	p->buflen = 0;
	if (multiline)
		p->pos += newline_len(p);   /* trim a newline right after """ */
	for (;;) {
		unsigned char c;

		if (p->pos >= p->len)
			return fail(p, open, "unterminated string");
		c = (unsigned char)p->s[p->pos];
		if (c == (unsigned char)quote) {
			size_t q = 0;

			if (!multiline) {
				p->pos++;
				return 0;
			}
			while (peek(p, q) == quote)
				q++;
			if (q < 3) {
				buf_add(p, p->s + p->pos, q);
				p->pos += q;
				continue;
			}
			/* up to two quotes may sit right before the end */
			q = q > 5 ? 2 : q - 3;
			buf_add(p, p->s + p->pos, q);
			p->pos += q + 3;
			return 0;
		}
		if (c == '\\' && quote == '"') {
			int r = scan_escape(p, open, multiline);

			if (r)
				return r;
			continue;
		}
		if (c == '\n' || c == '\r') {
			if (!multiline)
				return fail(p, open, "unterminated string");
			n = newline_len(p);
			if (!n)
				return fail(p, p->pos, "bare carriage return");
			buf_addc(p, '\n');
			p->pos += n;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(p, p->pos,
				    "control character U+%04X in string", c);
		if (c < 0x80) {
			/* copy a run of plain printable ASCII at once */
			size_t end = p->pos + 1;

			while (end < p->len && p->s[end] >= 0x20 &&
			       p->s[end] < 0x7f && p->s[end] != quote &&
			       p->s[end] != '\\')
				end++;
			buf_add(p, p->s + p->pos, end - p->pos);
			p->pos = end;
			continue;
		}
		n = utf8_len((const unsigned char *)p->s + p->pos,
			     p->len - p->pos);
		if (!n)
			return fail(p, p->pos, "invalid UTF-8");
		buf_add(p, p->s + p->pos, n);
		p->pos += n;
	}
}

/* ---- keys ---- */

/* Parse a possibly dotted key into p->key. */
static int parse_key(struct parser *p)
{
	struct key *k = &p->key;

	k->n = 0;
	k->nchars = 0;
	for (;;) {
		struct keypart *part;
		size_t start = p->pos;
		int c = peek(p, 0), r;

		if (k->n >= LS_TOML_MAX_DEPTH)
			return fail(p, start, "nesting too deep");
		LS_ALLOC_GROW(k->parts, k->n + 1, k->parts_alloc);
		part = &k->parts[k->n];
		loc(p, start, &part->line, &part->col);
		if (c == '"' || c == '\'') {
			if (peek(p, 1) == c && peek(p, 2) == c)
				return fail(p, start,
					"multi-line string cannot be a key");
			if ((r = scan_string(p, (char)c, 0)))
				return r;
			if (memchr(p->buf, '\0', p->buflen))
				return fail(p, start,
					    "key contains a NUL character");
		} else if (is_bare(c)) {
			while (is_bare(peek(p, 0)))
				p->pos++;
			p->buflen = 0;
			buf_add(p, p->s + start, p->pos - start);
		} else {
			return fail(p, start, "expected a key");
		}
		LS_ALLOC_GROW(k->chars, k->nchars + p->buflen + 1,
			      k->chars_alloc);
		memcpy(k->chars + k->nchars, p->buf, p->buflen);
		part->off = k->nchars;
		part->len = p->buflen;
		k->nchars += p->buflen;
		k->chars[k->nchars++] = '\0';
		k->n++;

		skip_ws(p);
		if (peek(p, 0) != '.')
			return 0;
		p->pos++;
		skip_ws(p);
	}
}

static const char *key_part(const struct parser *p, size_t i)
{
	return p->key.chars + p->key.parts[i].off;
}

/* ---- scalar values ---- */

/*
 * Scan digits of `base` from *i (before e): at least one digit, and each
 * underscore between two digits.
 */
static int scan_digits(struct parser *p, size_t *i, size_t e, int base)
{
	size_t j = *i;

	if (j >= e || !is_digit_base((unsigned char)p->s[j], base))
		return fail(p, j, "invalid number");
	while (j < e) {
		unsigned char c = (unsigned char)p->s[j];

		if (is_digit_base(c, base)) {
			j++;
		} else if (c == '_') {
			if (j + 1 >= e ||
			    !is_digit_base((unsigned char)p->s[j + 1], base))
				return fail(p, j,
					"underscore must be between digits");
			j++;
		} else {
			break;
		}
	}
	*i = j;
	return 0;
}

static int is_token_char(int c)
{
	return is_bare(c) || c == '+' || c == '.' || c == ':';
}

/* Does the token look like a date (1979-05-27) or a time (07:32)? */
static int is_date_like(const char *s, size_t n)
{
	if (n >= 5 && is_digit((unsigned char)s[0]) &&
	    is_digit((unsigned char)s[1]) && is_digit((unsigned char)s[2]) &&
	    is_digit((unsigned char)s[3]) && s[4] == '-')
		return 1;
	return n >= 3 && is_digit((unsigned char)s[0]) &&
	       is_digit((unsigned char)s[1]) && s[2] == ':';
}

static int parse_float(struct parser *p, size_t s0, size_t e, int line,
		       int col, struct ls_toml_value **out)
{
	const char *dp = localeconv()->decimal_point;
	char *end;
	double d;
	size_t i;

	/* strtod follows LC_NUMERIC, so spell the point its way */
	if (!dp || !*dp)
		dp = ".";
	p->buflen = 0;
	for (i = s0; i < e; i++) {
		if (p->s[i] == '_')
			continue;
		if (p->s[i] == '.')
			buf_add(p, dp, strlen(dp));
		else
			buf_addc(p, p->s[i]);
	}
	p->buf[p->buflen] = '\0';
	d = strtod(p->buf, &end);
	if (end != p->buf + p->buflen)
		return fail(p, s0, "invalid number");
	if (isinf(d))
		return fail(p, s0, "float out of range");
	*out = new_value(LS_TOML_FLOAT, line, col, 0);
	(*out)->u.flt = d;
	return 0;
}

static int parse_integer(struct parser *p, size_t s0, size_t ds, size_t e,
			 int base, int neg, int line, int col,
			 struct ls_toml_value **out)
{
	unsigned long long lim = neg ? (unsigned long long)LLONG_MAX + 1
				     : (unsigned long long)LLONG_MAX;
	unsigned long long mag = 0;
	long long v;
	size_t i;

	for (i = ds; i < e; i++) {
		unsigned d;

		if (p->s[i] == '_')
			continue;
		d = (unsigned)ls_hex_digit((unsigned char)p->s[i]);
		if (mag > (lim - d) / (unsigned)base)
			return fail(p, s0, "integer out of range");
		mag = mag * (unsigned)base + d;
	}
	if (!neg)
		v = (long long)mag;
	else if (!mag)
		v = 0;
	else
		v = -(long long)(mag - 1) - 1;
	*out = new_value(LS_TOML_INTEGER, line, col, 0);
	(*out)->u.integer = v;
	return 0;
}

/* A value that is not a string, array or inline table. */
static int parse_bare_value(struct parser *p, int line, int col,
			    struct ls_toml_value **out)
{
	size_t s0 = p->pos, e = s0, i, ds, n;
	const char *t = p->s + s0;
	int neg = 0, isf = 0, r;

	while (e < p->len && is_token_char((unsigned char)p->s[e]))
		e++;
	n = e - s0;
	if (!n)
		return fail(p, s0, "expected a value");
	p->pos = e;
	if ((n == 4 && !memcmp(t, "true", 4)) ||
	    (n == 5 && !memcmp(t, "false", 5))) {
		*out = new_value(LS_TOML_BOOL, line, col, 0);
		(*out)->u.boolean = n == 4;
		return 0;
	}
	i = s0;
	if (*t == '+' || *t == '-') {
		neg = *t == '-';
		i++;
	}
	ds = i;
	if (e - i == 3 && (!memcmp(p->s + i, "inf", 3) ||
			   !memcmp(p->s + i, "nan", 3))) {
		double d = p->s[i] == 'i' ? (double)INFINITY : (double)NAN;

		*out = new_value(LS_TOML_FLOAT, line, col, 0);
		(*out)->u.flt = neg ? -d : d;
		return 0;
	}
	if (is_date_like(t, n))
		return fail(p, s0, "dates and times are not supported");
	if (i >= e || !is_digit((unsigned char)p->s[i])) {
		char shown[KEY_NAME_MAX];

		if (i > s0)
			return fail(p, i, "invalid number");
		ls_err_sanitize(shown, sizeof(shown), t, n);
		return fail(p, s0, "invalid value '%s'", shown);
	}
	if (p->s[i] == '0' && i + 1 < e &&
	    (p->s[i + 1] == 'x' || p->s[i + 1] == 'o' || p->s[i + 1] == 'b')) {
		int base = p->s[i + 1] == 'x' ? 16 : p->s[i + 1] == 'o' ? 8 : 2;

		if (i > s0)
			return fail(p, s0,
				    "sign not allowed on hex, octal or binary integer");
		i += 2;
		if ((r = scan_digits(p, &i, e, base)))
			return r;
		if (i != e)
			return fail(p, i, "invalid number");
		return parse_integer(p, s0, s0 + 2, e, base, 0, line, col, out);
	}
	if (p->s[i] == '0' && i + 1 < e &&
	    (is_digit((unsigned char)p->s[i + 1]) || p->s[i + 1] == '_'))
		return fail(p, i, "leading zeros are not allowed");
	if ((r = scan_digits(p, &i, e, 10)))
		return r;
	if (i < e && p->s[i] == '.') {
		isf = 1;
		i++;
		if (i >= e || !is_digit((unsigned char)p->s[i]))
			return fail(p, i,
				    "expected a digit after the decimal point");
		if ((r = scan_digits(p, &i, e, 10)))
			return r;
	}
	if (i < e && (p->s[i] == 'e' || p->s[i] == 'E')) {
		isf = 1;
		i++;
		if (i < e && (p->s[i] == '+' || p->s[i] == '-'))
			i++;
		if (i >= e || !is_digit((unsigned char)p->s[i]))
			return fail(p, i, "expected a digit in the exponent");
		if ((r = scan_digits(p, &i, e, 10)))
			return r;
	}
	if (i != e)
		return fail(p, i, "invalid number");
	if (isf)
		return parse_float(p, s0, e, line, col, out);
	return parse_integer(p, s0, ds, e, 10, neg, line, col, out);
}

/* ---- compound values ---- */

static int parse_value(struct parser *p, int depth,
		       struct ls_toml_value **out);

static int parse_keyval(struct parser *p, struct ls_toml_value *tab,
			int depth);

static int parse_array(struct parser *p, int depth, int line, int col,
		       struct ls_toml_value **out)
{
	struct ls_toml_value *a, *item;
	size_t open = p->pos;
	int r;

	if (depth >= LS_TOML_MAX_DEPTH)
		return fail(p, open, "nesting too deep");
	p->pos++;
	a = new_value(LS_TOML_ARRAY, line, col, F_FROZEN);
	for (;;) {
		if ((r = skip_ws_nl(p)))
			goto fail;
		if (p->pos >= p->len) {
			r = fail(p, open, "unterminated array");
			goto fail;
		}
		if (p->s[p->pos] == ']')
			break;
		if ((r = parse_value(p, depth + 1, &item)))
			goto fail;
		array_push(a, item);
		if ((r = skip_ws_nl(p)))
			goto fail;
		if (p->pos >= p->len) {
			r = fail(p, open, "unterminated array");
			goto fail;
		}
		if (p->s[p->pos] == ']')
			break;
		if (p->s[p->pos] != ',') {
			r = fail(p, p->pos, "expected ',' or ']' in array");
			goto fail;
		}
		p->pos++;
	}
	p->pos++;
	*out = a;
	return 0;
fail:
	ls_toml_free(a);
	return r;
}

static int parse_inline_table(struct parser *p, int depth, int line, int col,
			      struct ls_toml_value **out)
{
	struct ls_toml_value *t;
	size_t open = p->pos;
	int r, c;

	if (depth >= LS_TOML_MAX_DEPTH)
		return fail(p, open, "nesting too deep");
	p->pos++;
	t = new_value(LS_TOML_TABLE, line, col, F_FROZEN);
	skip_ws(p);
	if (peek(p, 0) == '}') {
		p->pos++;
		*out = t;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		c = peek(p, 0);
		if (c == '\n' || c == '\r') {
			r = fail(p, p->pos, "newline not allowed in inline table");
			goto fail;
		}
		if (c < 0) {
			r = fail(p, open, "unterminated inline table");
			goto fail;
		}
		if ((r = parse_keyval(p, t, depth + 1)))
			goto fail;
		skip_ws(p);
		c = peek(p, 0);
		if (c == '}')
			break;
		if (c == ',') {
			p->pos++;
			skip_ws(p);
			if (peek(p, 0) == '}') {
				r = fail(p, p->pos,
					 "trailing comma not allowed in inline table");
				goto fail;
			}
			continue;
		}
		if (c == '\n' || c == '\r')
			r = fail(p, p->pos, "newline not allowed in inline table");
		else if (c < 0)
			r = fail(p, open, "unterminated inline table");
		else
			r = fail(p, p->pos,
				 "expected ',' or '}' in inline table");
		goto fail;
	}
	p->pos++;
	*out = t;
	return 0;
fail:
	ls_toml_free(t);
	return r;
}

/* Parse the value at the cursor; `depth` arrays/inline tables enclose it. */
static int parse_value(struct parser *p, int depth, struct ls_toml_value **out)
{
	int c = peek(p, 0), line, col, r;

	loc(p, p->pos, &line, &col);
	if (c == '"' || c == '\'') {
		int ml = peek(p, 1) == c && peek(p, 2) == c;

		if ((r = scan_string(p, (char)c, ml)))
			return r;
		*out = new_value(LS_TOML_STRING, line, col, 0);
		(*out)->u.str.ptr = ls_xstrndup(p->buf, p->buflen);
		(*out)->u.str.len = p->buflen;
		return 0;
	}
	if (c == '[')
		return parse_array(p, depth, line, col, out);
	if (c == '{')
		return parse_inline_table(p, depth, line, col, out);
	return parse_bare_value(p, line, col, out);
}

/* ---- key/value pairs and headers ---- */

/*
 * Parse "key = value" into table `tab` (the current section or an inline
 * table being built).  Dotted keys walk and create tables below `tab`.
 */
static int parse_keyval(struct parser *p, struct ls_toml_value *tab,
			int depth)
{
	/* val = NULL: every failing parse_value() returns ls_err_set()'s
	 * nonzero code, which clang-analyzer (one file at a time) cannot see */
	struct ls_toml_value *t = tab, *v, *val = NULL;
	char name[KEY_NAME_MAX];
	size_t i, n;
	char *key;
	int r;

	if ((r = parse_key(p)))
		return r;
	n = p->key.n;
	for (i = 0; i + 1 < n; i++) {
		v = map_get(&p->map, t, key_part(p, i));
		if (!v) {
			v = new_value(LS_TOML_TABLE, p->key.parts[i].line,
				      p->key.parts[i].col, F_DOTTED);
			table_add(p, t, ls_xstrdup(key_part(p, i)), v);
		} else if (v->type != LS_TOML_TABLE) {
			return fail_part(p, i, "key '%s' is %s, not a table",
					 key_name(p, i + 1, name),
					 with_article(v->type));
		} else if (v->flags & F_FROZEN) {
			return fail_part(p, i,
					 "cannot extend inline table '%s'",
					 key_name(p, i + 1, name));
		} else if (v->flags & F_DEFINED) {
			return fail_part(p, i, "table '%s' already defined",
					 key_name(p, i + 1, name));
		} else if (v->flags & F_IMPLICIT) {
			v->flags = F_DOTTED;
		}
		t = v;
	}
	if (map_get(&p->map, t, key_part(p, n - 1)))
		return fail_part(p, n - 1, "duplicate key '%s'",
				 key_name(p, n, name));
	if (peek(p, 0) != '=')
		return fail(p, p->pos, "expected '=' after key");
	p->pos++;
	skip_ws(p);
	key = ls_xstrdup(key_part(p, n - 1));
	if ((r = parse_value(p, depth, &val))) {
		free(key);
		return r;
	}
	table_add(p, t, key, val);
	return 0;
}

/* Open the table named by p->key for "[key]" or "[[key]]". */
static int open_table(struct parser *p, int aot, int line, int col)
{
	struct ls_toml_value *t = p->root, *v, *elem;
	char name[KEY_NAME_MAX];
	size_t i, n = p->key.n;

	for (i = 0; i + 1 < n; i++) {
		v = map_get(&p->map, t, key_part(p, i));
		if (!v) {
			v = new_value(LS_TOML_TABLE, line, col, F_IMPLICIT);
			table_add(p, t, ls_xstrdup(key_part(p, i)), v);
		} else if (v->type == LS_TOML_ARRAY && (v->flags & F_AOT)) {
			v = v->u.array.items[v->u.array.n - 1];
		} else if (v->type == LS_TOML_ARRAY) {
			return fail_part(p, i,
					 "cannot extend static array '%s'",
					 key_name(p, i + 1, name));
		} else if (v->type != LS_TOML_TABLE) {
			return fail_part(p, i, "key '%s' is %s, not a table",
					 key_name(p, i + 1, name),
					 with_article(v->type));
		} else if (v->flags & F_FROZEN) {
			return fail_part(p, i,
					 "cannot extend inline table '%s'",
					 key_name(p, i + 1, name));
		}
		t = v;
	}

	v = map_get(&p->map, t, key_part(p, n - 1));
	if (aot) {
		if (!v) {
			v = new_value(LS_TOML_ARRAY, line, col, F_AOT);
			table_add(p, t, ls_xstrdup(key_part(p, n - 1)), v);
		} else if (v->type == LS_TOML_ARRAY && !(v->flags & F_AOT)) {
			return fail_part(p, n - 1,
					 "cannot append to static array '%s'",
					 key_name(p, n, name));
		} else if (v->type == LS_TOML_TABLE) {
			return fail_part(p, n - 1, "table '%s' already defined",
					 key_name(p, n, name));
		} else if (v->type != LS_TOML_ARRAY) {
			return fail_part(p, n - 1, "key '%s' already defined",
					 key_name(p, n, name));
		}
		elem = new_value(LS_TOML_TABLE, line, col, F_DEFINED);
		array_push(v, elem);
		p->cur = elem;
		return 0;
	}
	if (!v) {
		v = new_value(LS_TOML_TABLE, line, col, F_DEFINED);
		table_add(p, t, ls_xstrdup(key_part(p, n - 1)), v);
	} else if (v->type == LS_TOML_TABLE && (v->flags & F_IMPLICIT)) {
		v->flags = F_DEFINED;
		v->line = line;
		v->column = col;
	} else if (v->type == LS_TOML_TABLE) {
		return fail_part(p, n - 1, "table '%s' already defined",
				 key_name(p, n, name));
	} else if (v->flags & F_AOT) {
		return fail_part(p, n - 1,
				 "table '%s' already defined as an array of tables",
				 key_name(p, n, name));
	} else {
		return fail_part(p, n - 1, "key '%s' already defined",
				 key_name(p, n, name));
	}
	p->cur = v;
	return 0;
}

static int parse_header(struct parser *p)
{
	int aot = 0, line, col, r;

	loc(p, p->pos, &line, &col);
	p->pos++;
	if (peek(p, 0) == '[') {
		aot = 1;
		p->pos++;
	}
	skip_ws(p);
	if ((r = parse_key(p)))
		return r;
	/* parse_key() skipped the blanks after the key */
	if (peek(p, 0) != ']' || (aot && peek(p, 1) != ']'))
		return fail(p, p->pos, aot ?
			    "expected ']]' after array of tables name" :
			    "expected ']' after table name");
	p->pos += aot ? 2 : 1;
	return open_table(p, aot, line, col);
}

static int parse_document(struct parser *p)
{
	for (;;) {
		const char *what = NULL;
		size_t n;
		int c, r = 0;

		skip_ws(p);
		c = peek(p, 0);
		if (c < 0)
			return 0;
		if (c == '[') {
			r = parse_header(p);
			what = "expected newline after table header";
		} else if (c != '#' && c != '\n' && c != '\r') {
			r = parse_keyval(p, p->cur, 0);
			what = "expected newline after value";
		}
		if (r)
			return r;
		skip_ws(p);
		if (peek(p, 0) == '#' && (r = skip_comment(p)))
			return r;
		if (p->pos >= p->len)
			return 0;
		if ((n = newline_len(p))) {
			p->pos += n;
			continue;
		}
		if (p->s[p->pos] == '\r')
			return fail(p, p->pos, "bare carriage return");
		return fail(p, p->pos, "%s", what ? what : "expected newline");
	}
}

/* ---- public API ---- */

int ls_toml_parse(const char *text, size_t len, const char *name,
		  struct ls_toml_value **out, struct ls_err *err)
{
	struct parser p;
	int r;

	memset(&p, 0, sizeof(p));
	if (!text) {
		text = "";
		len = 0;
	}
	p.s = text;
	p.len = len;
	p.name = name;
	p.err = err;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		p.pos = p.start = 3;
	p.cpos = p.start;
	p.cline = 1;
	p.ccol = 1;
	p.bufalloc = 64;
	p.buf = ls_xmalloc(p.bufalloc);
	p.root = new_value(LS_TOML_TABLE, 1, 1, F_DEFINED);
	p.cur = p.root;

	r = parse_document(&p);

	free(p.buf);
	free(p.key.chars);
	free(p.key.parts);
	free(p.map.slots);
	if (r || !out) {
		ls_toml_free(p.root);
		if (out)
			*out = NULL;
		return r;
	}
	*out = p.root;
	return 0;
}

const struct ls_toml_value *ls_toml_get(const struct ls_toml_value *t,
					const char *key)
{
	size_t i;

	if (!t || !key || t->type != LS_TOML_TABLE)
		return NULL;
	for (i = 0; i < t->u.table.n; i++)
		if (!strcmp(t->u.table.kv[i].key, key))
			return t->u.table.kv[i].value;
	return NULL;
}

const char *ls_toml_type_name(enum ls_toml_type type)
{
	switch (type) {
	case LS_TOML_STRING:
		return "string";
	case LS_TOML_INTEGER:
		return "integer";
	case LS_TOML_FLOAT:
		return "float";
	case LS_TOML_BOOL:
		return "boolean";
	case LS_TOML_ARRAY:
		return "array";
	case LS_TOML_TABLE:
		return "table";
	}
	return "unknown";
}
