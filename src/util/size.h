/*
 * size.h - byte counts as people write them, for limits and messages.
 *
 * One syntax for every size option (--max-file-size, --max-layer-size,
 * ...): a decimal number of bytes, optionally followed by a unit.  Binary
 * units KiB, MiB, GiB, TiB are powers of 1024; decimal units kB (or KB),
 * MB, GB, TB powers of 1000; B is bytes.  Units are case-insensitive, and
 * a space between number and unit is allowed ("64MiB", "500 MB", "1gib").
 * No fractions, no signs, no bare K/M/G (ambiguous between the two).
 */
#ifndef LS_UTIL_SIZE_H
#define LS_UTIL_SIZE_H

#include <stddef.h>

/*
 * Parse `s` into *out.  Returns 0, or -1 (nothing stored) for an empty or
 * malformed string, an unknown unit, or a value over 2^64 - 1.
 */
int ls_size_parse(const char *s, unsigned long long *out);

/*
 * Format `n` for a message: the largest binary unit that divides it
 * exactly ("100 MiB", "4 GiB"), else bytes ("1000 bytes", "1 byte").
 * Returns buf.
 */
char *ls_size_format(char *buf, size_t len, unsigned long long n);

#define LS_SIZE_BUF 32

/*
 * Format `n` the way `podman images` shows sizes, for people: powers of
 * 1000 with one decimal ("612.4 MB", "999 B").
 */
void ls_size_human(unsigned long long n, char *buf, size_t len);

#endif
