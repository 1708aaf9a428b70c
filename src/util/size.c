/* size.c - parse and format byte counts; see size.h. */
#include "util/size.h"

#include <stdio.h>
#include <strings.h>

static const struct unit {
	const char *name;
	unsigned long long mul;
} units[] = {
	{ "", 1 }, { "b", 1 },
	{ "kib", 1ull << 10 }, { "mib", 1ull << 20 }, { "gib", 1ull << 30 },
	{ "tib", 1ull << 40 },
	{ "kb", 1000ull }, { "mb", 1000000ull }, { "gb", 1000000000ull },
	{ "tb", 1000000000000ull },
};

int ls_size_parse(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (~0ull - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (*p == ' ')
		p++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(p, units[i].name))
			continue;
		if (*p == '\0' && p > s && p[-1] == ' ')
			return -1;   /* "12 " */
		if (v && units[i].mul > ~0ull / v)
			return -1;
		*out = v * units[i].mul;
		return 0;
	}
	return -1;
}

char *ls_size_format(char *buf, size_t len, unsigned long long n)
{
	static const char *const names[] = { "KiB", "MiB", "GiB", "TiB" };
	int u = -1;

	while (u < 3 && n && !(n & 1023)) {
		n >>= 10;
		u++;
	}
	if (u >= 0)
		snprintf(buf, len, "%llu %s", n, names[u]);
	else
		snprintf(buf, len, "%llu byte%s", n, n == 1 ? "" : "s");
	return buf;
}

void ls_size_human(unsigned long long n, char *buf, size_t len)
{
	static const char *const u[] = { "B", "KB", "MB", "GB", "TB" };
	double v = (double)n;
	int i = 0;

	while (v >= 1000 && i < 4) {
		v /= 1000;
		i++;
	}
	if (!i)
		snprintf(buf, len, "%llu B", n);
	else
		snprintf(buf, len, "%.1f %s", v, u[i]);
}
