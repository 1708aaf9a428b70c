/*
 * jsonesc.h - JSON string escapes: the `decode = "json"` rules read text
 * that a JSON file holds escaped (https:\/\/hooks... in a Slack export,
 * \u003d for '=' in a Google Chat export, \n between the lines of a
 * message).
 */
#ifndef LS_UTIL_JSONESC_H
#define LS_UTIL_JSONESC_H

#include <stddef.h>
#include <stdint.h>

/*
 * Replace the escapes \/ \" \\ \n \r \t and \uXXXX (an ASCII character
 * other than NUL) in `in[0..len)`, writing at most `len` bytes to `out`;
 * anything else is copied as it is.  `pos[j]` is set to the offset in `in`
 * of the text that output byte j came from, and `pos[n]` to `len` (so `pos`
 * has room for len + 1 entries and len must fit in uint16_t).  Returns n,
 * the output length, and stores the number of escapes replaced in
 * `*nrefs`.
 */
size_t ls_json_unescape(const char *in, size_t len, unsigned char *out,
			uint16_t *pos, size_t *nrefs);

#endif
