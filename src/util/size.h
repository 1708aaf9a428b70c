/*
 * size.h - byte counts written by people: "500MB", "25 MB", "1.5GB",
 * "64MiB", "4096".
 *
 * KB, MB, GB, TB (and K, M, G, T) are powers of 1000, as `podman images`
 * prints sizes; KiB, MiB, GiB, TiB are powers of 1024.  Case does not
 * matter; a trailing "B" alone means bytes.
 */
#ifndef LS_UTIL_SIZE_H
#define LS_UTIL_SIZE_H

/* 0 and *out set, or -1 when `s` is not a size. */
int ls_parse_size(const char *s, unsigned long long *out);

/* "612.4 MB" (powers of 1000, one decimal) into out[n]. */
void ls_format_size(unsigned long long b, char *out, unsigned long n);

#endif
