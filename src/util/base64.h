/*
 * base64.h - decode base64 found in scanned content.
 *
 * Accepts the standard (+/) and URL (-_) alphabets, with or without '='
 * padding; whitespace is not skipped (callers pass one token).  Used to judge
 * Kubernetes Secret `data:` values, docker config `auth` values and HTTP
 * Basic credentials.
 */
#ifndef LS_UTIL_BASE64_H
#define LS_UTIL_BASE64_H

#include <stddef.h>

/* Upper bound of the decoded size of `len` input bytes. */
#define LS_BASE64_DECODED_MAX(len) (((len) / 4 + 1) * 3)

/*
 * Decode `in[0..len)` into `out` (at least LS_BASE64_DECODED_MAX(len)
 * bytes).  Returns the decoded length, or -1 if the input is not base64.
 */
long ls_base64_decode(const char *in, size_t len, unsigned char *out);

#endif
