/*
 * utf16.h - read a UTF-16 text (with its byte order mark) as UTF-8.
 *
 * Windows tools write text as UTF-16LE with a BOM: regedit's .reg exports,
 * PowerShell 5's Out-File and transcripts, .rdp and .udl files, Task
 * Scheduler's XML exports.  Read as bytes, every other byte is a NUL, so
 * such a file would be binary and no text rule would see it.  This reader
 * sits between a byte source and the chunker: a stream that starts with
 * FF FE (little-endian) or FE FF (big-endian) is converted to UTF-8 as it
 * is read (without the BOM); any other stream passes through unchanged.
 * Line numbers of findings are those of the text; columns count its UTF-8
 * bytes.  An unpaired surrogate becomes U+FFFD.
 */
#ifndef LS_CONTENT_UTF16_H
#define LS_CONTENT_UTF16_H

#include "content/chunk.h"

struct ls_utf16 {
	struct ls_reader *under;
	int mode;                  /* 0 undecided, 1 pass, 2 LE, 3 BE */
	unsigned char in[8192];    /* raw bytes not converted yet */
	size_t in_len, in_off;
	unsigned char out[8];      /* converted bytes not returned yet */
	size_t out_len, out_off;
	unsigned hi;               /* a high surrogate waiting for its pair */
	int eof;
};

/* r reads `under` through `u` (which must outlive r's use). */
void ls_reader_utf16(struct ls_reader *r, struct ls_utf16 *u,
		     struct ls_reader *under);

#endif
