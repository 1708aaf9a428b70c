/*
 * table.h - the cells of one column of a text table (CSV, TSV, a
 * semicolon-separated export, a Markdown pipe table), for the rules whose
 * `check` is "table-column" (docs/rules.md, "Table columns").
 */
#ifndef LS_RULES_TABLE_H
#define LS_RULES_TABLE_H

#include <stddef.h>

/* At most this many rows after a header are read. */
#define LS_TABLE_ROWS_MAX 1000

/*
 * Called for the column's cell in each row: [start, end) in the buffer,
 * without the cell's surrounding blanks, quotes or back-ticks; never
 * empty.  A non-zero return stops the walk and is returned.
 */
typedef int (*ls_table_cell_cb)(void *ud, size_t start, size_t end);

/*
 * [hs, he) is a header cell (or a part of one) that a rule's regex
 * matched in buf.  When its line (at most 4 KiB) is a table header -- at least two cells
 * split by ',', ';', a tab or '|', or <th> cells of an HTML row (whose rows
 * are then the following lines with <td> cells, up to </table>), each a
 * short name without the tags around it (a letter, then up to
 * 39 letters, digits, blanks or "_.-/#"; outside Markdown, no blank at a
 * cell's edge) -- cb gets that column's cell in each following row with
 * the header's number of cells (outside Markdown, not indented), up to `limit`
 * bytes after the header, LS_TABLE_ROWS_MAX rows, a line over 4 KiB, or the first blank line
 * (a Markdown table also ends at a line that is not a row; its |---| line
 * is skipped).  A line without those separators is a header when the next
 * line underlines it with runs of '-' or '=' (PowerShell's Format-Table,
 * sqlcmd, SQL*Plus): each run starts a column, up to the next run, and its
 * header text must be a name; rows then go to the first blank line.
 * Returns 0, or cb's non-zero value.
 */
int ls_table_column(const char *buf, size_t len, size_t hs, size_t he,
		    size_t limit, ls_table_cell_cb cb, void *ud);

#endif
