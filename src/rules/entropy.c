/* entropy.c - Shannon entropy; see entropy.h. */
#include "rules/entropy.h"

#include <math.h>

#include "util/hex.h"

double ls_entropy(const char *s, size_t len)
{
	size_t counts[256] = { 0 };
	double h = 0;

	if (!len)
		return 0;
	for (size_t i = 0; i < len; i++)
		counts[(unsigned char)s[i]]++;
	for (int i = 0; i < 256; i++) {
		if (counts[i]) {
			double p = (double)counts[i] / (double)len;
			h -= p * log2(p);
		}
	}
	return h;
}

int ls_entropy_ok(const char *s, size_t len, double h, double min)
{
	size_t i;

	if (min <= 0 || h > min)
		return 1;
	if (len < 16)
		return 0;
	for (i = 0; i < len; i++)
		if (ls_hex_digit((unsigned char)s[i]) < 0)
			return 0;
	return h > min - 1.0;
}
