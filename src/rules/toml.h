/*
 * toml.h - a TOML 1.0 reader for rule files.
 *
 * Debian packages no TOML library for C, so this is ours.  It parses a whole
 * document held in memory into a tree of values and reports the first error
 * with the file name, a 1-based line and column, and a short message.
 *
 * Supported: all of TOML 1.0 except date and time values (offset date-time,
 * local date-time, local date, local time), which are rejected with the
 * error "dates and times are not supported".  That includes: bare, quoted and
 * dotted keys; basic, literal and multi-line strings with every escape
 * (\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX) and line-ending backslashes;
 * integers (decimal, 0x, 0o, 0b, underscores, +/-); floats (exponent, inf,
 * nan); booleans; arrays (mixed types allowed, trailing comma, newlines and
 * comments inside); inline tables; [tables]; [[arrays of tables]]; and the
 * spec's rules against redefining keys and tables.
 *
 * Strings are stored as UTF-8 with their length; they may contain NUL
 * (from \u0000), so use `len`, but they are also NUL-terminated for
 * convenience.  Invalid UTF-8 in the document is an error.
 *
 * Limits: nesting of arrays and inline tables is at most LS_TOML_MAX_DEPTH;
 * deeper input is an error, never a stack overflow.
 *
 * Ownership: ls_toml_parse() returns a tree the caller frees with
 * ls_toml_free().  Lookups return pointers borrowed from the tree.
 */
#ifndef LS_RULES_TOML_H
#define LS_RULES_TOML_H

#include <stddef.h>

#include "util/err.h"

#define LS_TOML_MAX_DEPTH 64

enum ls_toml_type {
	LS_TOML_STRING,
	LS_TOML_INTEGER,
	LS_TOML_FLOAT,
	LS_TOML_BOOL,
	LS_TOML_ARRAY,
	LS_TOML_TABLE,
};

struct ls_toml_value;

struct ls_toml_kv {
	char *key;                  /* NUL-terminated, UTF-8 */
	struct ls_toml_value *value;
};

struct ls_toml_value {
	enum ls_toml_type type;
	int line, column;           /* where the value starts (for a table
	                               made by a header: the header) */
	union {
		struct {
			char *ptr;          /* NUL-terminated copy */
			size_t len;
		} str;
		long long integer;
		double flt;
		int boolean;        /* 0 or 1 */
		struct {
			struct ls_toml_value **items;
			size_t n;
		} array;            /* also an array of tables */
		struct {
			struct ls_toml_kv *kv;  /* in document order */
			size_t n;
		} table;
	} u;
	/* private bookkeeping for the parser (implicit/defined/inline/
	 * array-of-tables flags) goes below; callers do not touch it */
	unsigned flags;
	size_t alloc;
};

/*
 * Parse `len` bytes of `text` (need not be NUL-terminated).  `name` is used
 * in error messages (e.g. the file path).  On success stores the root table
 * in *out and returns 0; on error returns LS_EINVAL and fills `err` with
 * name, line, column and message (e.g. "expected '=' after key").
 */
int ls_toml_parse(const char *text, size_t len, const char *name,
		  struct ls_toml_value **out, struct ls_err *err);

/* Free a tree returned by ls_toml_parse().  NULL is a no-op. */
void ls_toml_free(struct ls_toml_value *root);

/* Value for `key` in table `t`, or NULL if absent or `t` is not a table. */
const struct ls_toml_value *ls_toml_get(const struct ls_toml_value *t,
					const char *key);

/* Name of a type, for messages ("string", "integer", ...). */
const char *ls_toml_type_name(enum ls_toml_type type);

#endif
