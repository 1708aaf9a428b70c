/* size.c - byte counts for people; see size.h. */
#define _GNU_SOURCE
#include "util/size.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

int ls_parse_size(const char *s, unsigned long long *out)
{
	static const struct {
		const char *name;
		double mul;
	} units[] = {
		{ "", 1 }, { "b", 1 },
		{ "k", 1e3 }, { "kb", 1e3 }, { "m", 1e6 }, { "mb", 1e6 },
		{ "g", 1e9 }, { "gb", 1e9 }, { "t", 1e12 }, { "tb", 1e12 },
		{ "kib", 1024.0 }, { "mib", 1048576.0 },
		{ "gib", 1073741824.0 }, { "tib", 1099511627776.0 },
	};
	char *end;
	double v;

	if (!s || !(*s >= '0' && *s <= '9'))
		return -1;
	v = strtod(s, &end);
	if (end == s || !isfinite(v) || v < 0)
		return -1;
	while (*end == ' ')
		end++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!strcasecmp(end, units[i].name)) {
			double b = v * units[i].mul;
			if (b >= 18446744073709551615.0)
				return -1;
			*out = (unsigned long long)(b + 0.5);
			return 0;
		}
	}
	return -1;
}

void ls_format_size(unsigned long long b, char *out, unsigned long n)
{
	static const char *const u[] = { "B", "KB", "MB", "GB", "TB" };
	double v = (double)b;
	int i = 0;

	while (v >= 1000 && i < 4) {
		v /= 1000;
		i++;
	}
	if (!i)
		snprintf(out, n, "%llu B", b);
	else
		snprintf(out, n, "%.1f %s", v, u[i]);
}
