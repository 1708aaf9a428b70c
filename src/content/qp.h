/*
 * qp.h - read a mail message with its quoted-printable parts decoded.
 *
 * Saved mail (.eml, .mht, mbox, Maildir files) carries text parts as
 * quoted-printable (RFC 2045 6.7): every `=` is written `=3D` and lines
 * longer than 76 characters are cut with a soft break, `=` at the line's
 * end.  A pasted `API_KEY=3Dsk-...`, or a token cut in two by a soft
 * break, is then not what a rule sees in the message as read.  This reader
 * sits between the UTF-16 reader and the chunker: a stream whose first
 * 4 KB have a `MIME-Version:` or `Content-Transfer-Encoding:` header at a
 * line's start is read as mail, anything else passes through unchanged.
 *
 * In mail, header blocks are followed (the message's, each MIME part's, and
 * a forwarded message's) and the body of a part whose header says
 * `Content-Transfer-Encoding: quoted-printable` is decoded until a line
 * that is one of the message's boundaries: `=XX` becomes its byte (except
 * CR, LF and NUL, which stay escaped so that line numbers and the binary
 * test are those of the file), and a soft break joins the two lines.  The
 * reader remembers where each join is (up to LS_QP_JOINS of them; later
 * soft breaks only lose their `=`), and ls_qp_place() turns a line and
 * column of the decoded stream into the file's.  Anything malformed passes
 * as is.
 */
#ifndef LS_CONTENT_QP_H
#define LS_CONTENT_QP_H

#include "content/chunk.h"

#define LS_QP_SNIFF 4096
#define LS_QP_LINE 1024       /* bytes of a line kept to read it as a header */
#define LS_QP_BOUNDARIES 8    /* multipart boundaries remembered */
#define LS_QP_BOUNDARY 72     /* RFC 2046: at most 70 characters */
#define LS_QP_JOINS (1u << 18)   /* soft breaks joined per stream */

struct ls_qp {
	/* state, reset per stream (everything before `in`) */
	struct ls_reader *under;
	int mode;                  /* 0 undecided, 1 pass, 2 mail */
	size_t in_len, in_off;
	size_t out_len, out_off;
	int eof, done;
	int head;                  /* in a header block */
	int qp;                    /* this body is quoted-printable */
	int pend_qp, pend_msg;     /* what the current header block said */
	int prev_blank;            /* the last line was blank */
	int esc;                   /* 0, or '=' seen (1), '=' + hex (2), '=' CR (3) */
	unsigned char esc_c;
	unsigned long long pos;    /* decoded bytes written */
	size_t njoin;              /* soft breaks joined */
	size_t line_len;
	size_t bnd_len[LS_QP_BOUNDARIES];
	int nbnd;
	/* buffers */
	unsigned char in[8192];    /* raw bytes not decoded yet */
	unsigned char out[2 * 8192 + 16];   /* decoded bytes not returned yet */
	unsigned char line[LS_QP_LINE];   /* the current line's first bytes */
	char bnd[LS_QP_BOUNDARIES][LS_QP_BOUNDARY + 1];
	/* kept across streams */
	unsigned long long *join;  /* decoded offset where each joined line goes on */
	size_t join_alloc;
};

/* r reads `under` through `q` (which must outlive r's use; zero it before
 * its first use, and release it after the last). */
void ls_reader_qp(struct ls_reader *r, struct ls_qp *q,
		  struct ls_reader *under);
void ls_qp_release(struct ls_qp *q);

/*
 * `line` and `col` (1-based) are those of decoded offset `off` counted in
 * the decoded stream: make them the file's, adding the joined lines before
 * `off`.
 */
void ls_qp_place(const struct ls_qp *q, unsigned long long off,
		 unsigned long *line, unsigned long *col);

#endif
