/*
 * err.h - error codes and error details for the scanner core.
 *
 * Core functions return 0 on success or a negative LS_E* code. When they
 * fail they fill a caller-supplied `struct ls_err` with a one-line message
 * and, where it makes sense, the input name and a 1-based line and column.
 * The core never prints; cli/ turns a `struct ls_err` into a message.
 *
 * Messages follow the style guide: lowercase, no final period, what failed
 * first, subject quoted.  Text copied from scanned input must go through
 * ls_err_sanitize() so control characters never reach a terminal.
 */
#ifndef LS_UTIL_ERR_H
#define LS_UTIL_ERR_H

#include <stddef.h>

enum ls_errcode {
	LS_OK = 0,
	LS_EINVAL = -1,   /* malformed input: bad TOML, bad regex, bad option */
	LS_EIO = -2,      /* cannot read or open something */
	LS_ENOTFOUND = -3,
	LS_ELIMIT = -4,   /* a configured limit was hit */
	LS_EUNSUPPORTED = -5,
	LS_EFORMAT = -6,  /* input is not in the expected format */
	LS_EUNREADABLE = -7, /* content inside readable input that cannot be
				read (an encrypted or damaged member of an
				archive in a layer): a warning, not an error */
};

#define LS_ERR_MSG_MAX 512
#define LS_ERR_NAME_MAX 1024

struct ls_err {
	int code;                   /* one of enum ls_errcode, 0 when clear */
	char name[LS_ERR_NAME_MAX]; /* input the error is about ("" if none) */
	int line;                   /* 1-based, 0 when unknown */
	int column;                 /* 1-based, 0 when unknown */
	char msg[LS_ERR_MSG_MAX];   /* what went wrong, no name/position */
};

/* Reset to "no error". */
void ls_err_clear(struct ls_err *err);

/*
 * Record an error and return `code`, so callers can write
 *   return ls_err_set(err, LS_EINVAL, file, line, col, "bad %s", x);
 * `err` may be NULL (the details are dropped).  `name` may be NULL.
 */
int ls_err_set(struct ls_err *err, int code, const char *name, int line,
	       int column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * Format as "name:line:column: msg" (parts that are unknown are left out)
 * into `out` of size `n`.  Returns `out`.
 */
char *ls_err_format(const struct ls_err *err, char *out, size_t n);

/*
 * Copy `in` (length `len`, not necessarily NUL-terminated) into `out` of
 * size `n`, replacing control bytes and DEL with '?', and truncating with
 * "..." if needed.  Always NUL-terminates when n > 0.
 */
void ls_err_sanitize(char *out, size_t n, const char *in, size_t len);

/* Report a broken invariant with file:line and abort. */
#define LS_BUG(...) ls_bug_fl(__FILE__, __LINE__, __VA_ARGS__)
void ls_bug_fl(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

#endif
