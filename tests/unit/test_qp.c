/*
 * test_qp.c - unit tests for src/content/qp.c: mail is read with its
 * quoted-printable parts decoded, lines joined by soft breaks are placed
 * back at the file's lines, anything else passes through unchanged.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "content/qp.h"

/* A source that hands out at most `step` bytes per read. */
struct slow {
	const char *p;
	size_t len, off, step;
};

static long slow_read(void *ud, char *buf, size_t n, struct ls_err *err)
{
	struct slow *s = ud;
	size_t k = s->len - s->off;

	(void)err;
	if (k > n)
		k = n;
	if (k > s->step)
		k = s->step;
	memcpy(buf, s->p + s->off, k);
	s->off += k;
	return (long)k;
}

static struct ls_qp q;   /* large: not on the stack */

/* Read all of `in` through the reader, `step` bytes per source read and
 * `outstep` per call; returns the length read into out (NUL-terminated). */
static size_t read_all(const char *in, size_t step, size_t outstep,
		       char *out, size_t cap)
{
	struct slow s = { in, strlen(in), 0, step };
	struct ls_reader src = { slow_read, &s }, r;
	struct ls_err err;
	size_t got = 0;
	long k;

	ls_err_clear(&err);
	ls_reader_qp(&r, &q, &src);
	while ((k = r.read(r.ud, out + got,
			   cap - 1 - got < outstep ? cap - 1 - got : outstep,
			   &err)) > 0)
		got += (size_t)k;
	assert_int_equal(k, 0);
	out[got] = 0;
	return got;
}

static const char mail[] =
	"Return-Path: <a@example.org>\r\n"
	"Subject: keys =3D here\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: multipart/mixed;\r\n"
	"\tboundary=\"=_Part_7\"\r\n"
	"\r\n"
	"--=_Part_7\r\n"
	"Content-Type: text/plain; charset=utf-8\r\n"
	"Content-Transfer-Encoding: quoted-printable\r\n"
	"\r\n"
	"API_KEY=3Dsk-abc caf=C3=A9 line=0Aend\r\n"
	"the token is xyz0123456789xyz0123456789xyz0123456789xyz0123456789xyz01=\r\n"
	"23456789 and more\r\n"
	"  Khxocl3uHOGSEx8UzTtVqBq/z2fFosFVzuAqysp80lk=\r\n"
	"bad =ZZ and =4\r\n"
	"--=_Part_7\r\n"
	"Content-Type: application/octet-stream\r\n"
	"Content-Transfer-Encoding: base64\r\n"
	"\r\n"
	"QUJDRA=3D=\r\n"
	"--=_Part_7--\r\n"
	"tail=3D=";

static const char want[] =
	"Return-Path: <a@example.org>\r\n"
	"Subject: keys =3D here\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: multipart/mixed;\r\n"
	"\tboundary=\"=_Part_7\"\r\n"
	"\r\n"
	"--=_Part_7\r\n"
	"Content-Type: text/plain; charset=utf-8\r\n"
	"Content-Transfer-Encoding: quoted-printable\r\n"
	"\r\n"
	"API_KEY=sk-abc caf\xc3\xa9 line=0Aend\r\n"
	"the token is xyz0123456789xyz0123456789xyz0123456789xyz0123456789xyz01"
	"23456789 and more\r\n"
	"  Khxocl3uHOGSEx8UzTtVqBq/z2fFosFVzuAqysp80lk=\r\n"
	"bad =ZZ and =4\r\n"
	"--=_Part_7\r\n"
	"Content-Type: application/octet-stream\r\n"
	"Content-Transfer-Encoding: base64\r\n"
	"\r\n"
	"QUJDRA=3D=\r\n"
	"--=_Part_7--\r\n"
	"tail=3D=";

static void decodes_quoted_printable_parts(void **state)
{
	char out[2048];

	(void)state;
	for (size_t step = 1; step <= 64; step += 7) {
		for (size_t o = 1; o <= 9; o += 4) {
			size_t n = read_all(mail, step, o, out, sizeof(out));
			assert_string_equal(out, want);
			assert_int_equal(n, strlen(want));
		}
	}
	ls_qp_release(&q);
}

static void places_joined_lines(void **state)
{
	char out[2048];
	const char *z, *k;
	unsigned long line, col;

	(void)state;
	read_all(mail, 4096, 4096, out, sizeof(out));
	/* "23456789 and" is on the file's line 13, column 1; in the decoded
	 * text it is on line 12, after the joined line's 70 bytes */
	z = strstr(out, "23456789 and");
	line = 12;
	col = 71;
	assert_int_equal(col, z - strstr(out, "the token") + 1);
	ls_qp_place(&q, (unsigned long long)(z - out), &line, &col);
	assert_int_equal(line, 13);
	assert_int_equal(col, 1);
	/* "and more", further on the same file line */
	line = 12;
	col = 80;
	ls_qp_place(&q, (unsigned long long)(z - out) + 9, &line, &col);
	assert_int_equal(line, 13);
	assert_int_equal(col, 10);
	/* before the join: unchanged */
	line = 12;
	col = 5;
	ls_qp_place(&q, (unsigned long long)(strstr(out, "the token") - out) + 4,
		    &line, &col);
	assert_int_equal(line, 12);
	assert_int_equal(col, 5);
	/* a later line: one line further down */
	k = strstr(out, "  Khx");
	line = 13;
	col = 1;
	ls_qp_place(&q, (unsigned long long)(k - out), &line, &col);
	assert_int_equal(line, 14);
	assert_int_equal(col, 1);
	ls_qp_release(&q);
}

static void passes_other_text(void **state)
{
	static const char *const in[] = {
		"",
		"x",
		"PASSWORD=3Dabc\nlong line=\nnext\n",
		/* a header name, but not at a line's start */
		"note: MIME-Version: 1.0\nContent-Transfer-Encoding= quoted-printable\n\nk=3Dv=\nw\n",
	};
	char out[256];
	unsigned long line = 3, col = 2;

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		read_all(in[i], 3, 5, out, sizeof(out));
		assert_string_equal(out, in[i]);
	}
	ls_qp_place(&q, 20, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 2);
	ls_qp_release(&q);
}

static void mbox_and_forwarded_messages(void **state)
{
	static const char in[] =
		"From a@example.org Mon Jan  1 00:00:00 2024\n"
		"MIME-Version: 1.0\n"
		"Content-Type: message/rfc822\n"
		"\n"
		"Subject: fwd\n"
		"Content-Transfer-Encoding: quoted-printable\n"
		"\n"
		"pw=3Done\n"
		"\n"
		"From b@example.org Mon Jan  1 00:00:01 2024\n"
		"Content-Transfer-Encoding: 7bit\n"
		"\n"
		"pw=3Dtwo\n";
	static const char want2[] =
		"From a@example.org Mon Jan  1 00:00:00 2024\n"
		"MIME-Version: 1.0\n"
		"Content-Type: message/rfc822\n"
		"\n"
		"Subject: fwd\n"
		"Content-Transfer-Encoding: quoted-printable\n"
		"\n"
		"pw=one\n"
		"\n"
		"From b@example.org Mon Jan  1 00:00:01 2024\n"
		"Content-Transfer-Encoding: 7bit\n"
		"\n"
		"pw=3Dtwo\n";
	char out[1024];

	(void)state;
	read_all(in, 5, 7, out, sizeof(out));
	assert_string_equal(out, want2);
	ls_qp_release(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_quoted_printable_parts),
		cmocka_unit_test(places_joined_lines),
		cmocka_unit_test(passes_other_text),
		cmocka_unit_test(mbox_and_forwarded_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
