/*
 * test_table.c - unit tests for src/rules/table.c: which lines are table
 * headers, which cells of a column come back, and where a table ends.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rules/table.h"

struct got {
	char text[512];   /* the cells, each followed by '|' */
	size_t n;
	const char *buf;
};

static int on_cell(void *ud, size_t s, size_t e)
{
	struct got *g = ud;
	size_t len = strlen(g->text);

	snprintf(g->text + len, sizeof(g->text) - len, "%.*s|", (int)(e - s),
		 g->buf + s);
	g->n++;
	return 0;
}

/* The cells of the column whose header cell is the first `name` in buf. */
static const char *column(const char *buf, const char *name, size_t limit,
			  struct got *g)
{
	const char *h = strstr(buf, name);

	memset(g, 0, sizeof(*g));
	g->buf = buf;
	assert_non_null(h);
	ls_table_column(buf, strlen(buf), (size_t)(h - buf),
			(size_t)(h - buf) + strlen(name), limit, on_cell, g);
	return g->text;
}

static void csv(void **state)
{
	struct got g;

	(void)state;
	/* quoted cells, "" inside, a comma inside quotes, an empty cell */
	assert_string_equal(column(
		"name,\"notes\",password\n"
		"a,\"one, two\",p1\n"
		"b,\"say \"\"hi\"\"\",\"p,2\"\n"
		"c,,\n"
		"d,x,p4\n", "password", 4096, &g),
		"p1|p,2|p4|");
	/* a UTF-8 byte order mark before the header (Excel's CSV UTF-8) */
	assert_string_equal(column(
		"\xef\xbb\xbfhostname,username,password,notes\n"
		"r1,admin,Dt4rh.nMGp.qLm,spare\n", "password", 4096, &g),
		"Dt4rh.nMGp.qLm|");
	/* a header cell may start with a digit when it has a letter (2FA) */
	assert_string_equal(column(
		"Platform,Login,Password,2FA\n"
		"Twitch,social,U7M!Way_5HY0LpMv,app\n", "Password", 4096, &g),
		"U7M!Way_5HY0LpMv|");
	/* a row with another number of cells is skipped, not the table's
	 * end; a blank line is its end */
	assert_string_equal(column(
		"user,password\nu1,p1\nbroken\nu2,p2\n\nu3,p3\n",
		"password", 4096, &g), "p1|p2|");
	/* a note quoted over several lines: the cells before it count, the
	 * lines that continue it are not rows (not even one that happens to
	 * have as many cells as the header) */
	assert_string_equal(column(
		"id,user,password,notes\n"
		"1,a,p1,\"first line\n"
		"second line\n"
		"x,y,z,w\n"
		"last line\"\n"
		"2,b,p2,short\n"
		"3,c,\"p,3\",\"two\n"
		"lines\"\n"
		"4,d,p4,\"n\"\n", "password", 4096, &g),
		"p1|p2|p,3|p4|");
	/* a header cell with a note in parentheses; an unbalanced one is
	 * not a header */
	assert_string_equal(column(
		"Unit\tResident (code)\tWi-Fi passphrase\tNotes\r\n"
		"A112\tt0041288\tzmp7-ufmf-ccq8\t\r\n", "passphrase", 4096, &g),
		"zmp7-ufmf-ccq8|");
	assert_string_equal(column(
		"f(user,password\nu1,p1\n", "password", 4096, &g), "");
	/* the open field is the column itself: not judged */
	assert_string_equal(column(
		"user,password\nu1,\"p1\nrest\"\nu2,p2\n", "password",
		4096, &g), "p2|");
	/* CRLF, tab-separated */
	assert_string_equal(column(
		"user\tsecret\r\nu1\tk1\r\nu2\tk2\r\n", "secret", 4096, &g),
		"k1|k2|");
	/* semicolons win when they are the most frequent separator */
	assert_string_equal(column(
		"Dienst;Konto;Password\nDruck;svc;p1\n", "Password", 4096, &g),
		"p1|");
	/* the limit: rows starting more than `limit` bytes after the header
	 * are not read */
	assert_string_equal(column(
		"user,password\nu1,p1\nu2,p2\nu3,p3\n", "password", 12, &g),
		"p1|p2|");
}

static void markdown(void **state)
{
	struct got g;

	(void)state;
	assert_string_equal(column(
		"Intro\n\n| Network | **Password** | Notes |\n"
		"| :--- | --- | ---: |\n"
		"| a | `p1` | x |\n"
		"| b | p\\|2 | y |\n"
		"text after the table\n"
		"| c | p3 | z |\n", "Password", 4096, &g),
		"p1|p\\|2|");
	/* indented Markdown is still a table */
	assert_string_equal(column(
		"  | user | password |\n  |---|---|\n  | u | p1 |\n",
		"password", 4096, &g), "p1|");
}

static void html(void **state)
{
	struct got g;

	(void)state;
	/* <th> header, <td> rows one per line, tags around the value,
	 * lines without cells skipped, </table> ends it */
	assert_string_equal(column(
		"<table><tbody>\n"
		"<tr><th>Name</th><TH class=\"x\"><p>Password</p></TH></tr>\n"
		"<tr>\n"
		"<tr><td>a</td><td><p><code>p1</code></p></td></tr>\n"
		"<tr><td>b</td><td>only one</td><td>extra</td></tr>\n"
		"<tr><td>c</td><td>p3</td></tr></table>\n"
		"<tr><td>d</td><td>p4</td></tr>\n", "Password", 4096, &g),
		"p1|");
	/* an unclosed cell ends at the next one */
	assert_string_equal(column(
		"<tr><th>user<th>password\n<tr><td>u<td>p1\n", "password",
		4096, &g), "p1|");
}

static void not_headers(void **state)
{
	struct got g;

	(void)state;
	/* a single cell */
	assert_string_equal(column("password\nhunter2x\n", "password", 4096,
				   &g), "");
	/* a data row is no header: a number is not a name */
	assert_string_equal(column(
		"2024,password,x\n1,p1,y\n", "password", 4096, &g), "");
	/* a cell that is not a short name */
	assert_string_equal(column(
		"x = f(a),password\n1,p1\n", "password", 4096, &g), "");
	assert_string_equal(column(
		"name,password,a cell far longer than forty characters in all\n"
		"1,p1,x\n", "password", 4096, &g), "");
	/* code: blanks after the comma, an indented line */
	assert_string_equal(column(
		"check user, password\nf(s, @ctx)\n", "password", 4096, &g),
		"");
	assert_string_equal(column(
		"user,password\n  u1,p1\nu2,p2\n", "password", 4096, &g),
		"p2|");
	{
		/* a header line over 4 KiB is not one; a long row ends it */
		static char big[6000];
		memset(big, 'a', sizeof(big) - 1);
		memcpy(big + 5000, ",password\nu,p1\n", 16);
		assert_string_equal(column(big, ",password", 8192, &g), "");
		memset(big, 'a', sizeof(big) - 1);
		memcpy(big, "user,password\nu,p1\nu,", 22);
		assert_string_equal(column(big, "password", 8192, &g), "p1|");
	}
}

static void fixed_width(void **state)
{
	struct got g;

	(void)state;
	/* PowerShell's Format-Table: a column by its underline (a cell
	 * that overflows it is cut at the next column), blanks
	 * inside a cell, a row too short for the column, a blank line ends
	 * the table */
	assert_string_equal(column(
		"VMHost            Account NewPassword     Changed\r\n"
		"------            ------- -----------     -------\r\n"
		"esx01.example.net root    q8Vt-Lw2mRx9    28.10.2026 22:14\r\n"
		"esx02.example.net root    (skipped: Maintenance)\r\n"
		"esx03\r\n"
		"esx04.example.net root    Zr7kP2nWq4\r\n"
		"\r\n"
		"esx05.example.net root    after-blank1\r\n",
		"NewPassword", 4096, &g),
		"q8Vt-Lw2mRx9|(skipped: Mainte|Zr7kP2nWq4|");
	/* sqlcmd: the last column runs to the line's end */
	assert_string_equal(column(
		"name       pwd\n"
		"---------- ----------\n"
		"svc_report Rp4!x8Lm2q\n", "pwd", 4096, &g), "Rp4!x8Lm2q|");
	/* no underline, an underline with text in it, a single run, a
	 * header cell that is not a name: not a table */
	assert_string_equal(column(
		"name       pwd\nsvc_report Rp4!x8Lm2q\n", "pwd", 4096, &g), "");
	assert_string_equal(column(
		"name       pwd\n---------- ---x------\nsvc Rp4!x8Lm2q\n", "pwd",
		4096, &g), "");
	assert_string_equal(column(
		"name       x pwd\n---------- x ----------\nsvc_report y Rp4!x8Lm2q\n",
		"pwd", 4096, &g), "");
	assert_string_equal(column(
		"name pwd\n--------\nsvc  Rp4!x8Lm2q\n", "pwd", 4096, &g), "");
	assert_string_equal(column(
		"x = f(1)   pwd\n---------- ----------\nsvc_report Rp4!x8Lm2q\n",
		"pwd", 4096, &g), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv),
		cmocka_unit_test(markdown),
		cmocka_unit_test(html),
		cmocka_unit_test(not_headers),
		cmocka_unit_test(fixed_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
