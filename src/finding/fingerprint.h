/*
 * fingerprint.h - stable identifiers for findings (docs/fingerprint.md).
 *
 * Format 1: "ls1:" followed by the first 32 hex digits of
 *   SHA-256("ls1" NUL rule-id NUL where NUL secret)
 * where `where` is the finding's path (for image config and history
 * findings: "config:<field>:<key>" or "history:<index>").  Line and column
 * are not part of it, so a fingerprint survives lines moving; the secret is
 * hashed, never shown.  The same secret under the same rule at the same path
 * has the same fingerprint on every machine and run.
 */
#ifndef LS_FINDING_FINGERPRINT_H
#define LS_FINDING_FINGERPRINT_H

#include <stddef.h>

#include "finding/finding.h"

/* Compute and store f->fingerprint from rule, where and secret. */
void ls_fingerprint_set(struct ls_finding *f, const char *where);

/* Lower-case hex SHA-256 of data (out: 65 bytes). */
void ls_sha256_hex(const void *data, size_t len, char out[65]);

#endif
