/*
 * hex.h - hexadecimal digits: rule files' escapes, package databases'
 * digests, the published-keys data.
 */
#ifndef LS_UTIL_HEX_H
#define LS_UTIL_HEX_H

#include <stddef.h>

/* The value of hex digit `c` (either case), or -1. */
int ls_hex_digit(int c);

/*
 * Decode the 2 * `n` hex digits at `s` into `n` bytes at `out`: 0, or -1
 * (out partly written) when one is not a hex digit.
 */
int ls_hex_decode(const char *s, size_t n, unsigned char *out);

#endif
