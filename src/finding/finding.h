/*
 * finding.h - what a scan reports, and the list that owns the findings.
 *
 * A finding says which rule fired, where (an origin: a file path, plus a
 * layer or commit when the source has them), the 1-based line and column of
 * the secret's first byte, the secret itself (owned; reporters redact it),
 * and a stable fingerprint (see fingerprint.h).
 *
 * Ownership: a `struct ls_findings` owns its findings and everything they
 * point to, except `rule`, which is borrowed from the rule set (the rule set
 * must outlive the list).  Reporters only borrow.
 */
#ifndef LS_FINDING_FINDING_H
#define LS_FINDING_FINDING_H

#include <stddef.h>

#include "rules/rules.h"

/* What was scanned; the JSON `source` field. */
enum ls_source_kind {
	LS_SOURCE_FILE,
	LS_SOURCE_CONFIG,
	LS_SOURCE_HISTORY,
	LS_SOURCE_CONTAINERFILE,
	LS_SOURCE_COMMIT,
	LS_SOURCE_POLICY,        /* production policy (policy/policy.h) */
};

const char *ls_source_name(enum ls_source_kind k);

struct ls_finding_layer {
	int index;                  /* 0 = base layer */
	char *digest;
	char *created_by;
	int hidden;
	int hidden_by;              /* layer index, -1 if not hidden */
	char *image;                /* the image's name (RepoTags or
				       ref.name), when known; tells images
				       apart in `podman save -m` archives */
	int base;                   /* the layer is one of the base image's
				       (image --base, or the image's own
				       base annotation: docs/image.md) */
	char *base_image;           /* that base image's name, when base */
};

struct ls_finding_commit {
	char *id, *author, *email, *date, *message;
};

/*
 * Who put the file there (docs/provenance.md): a package database in the
 * scanned tree owns it or not.  NONE (0) means no package owns it: the
 * user's file.  VENDOR: owned and its bytes match the database's hash (or
 * the database keeps no hash, as npm).  MODIFIED: owned, but the bytes
 * differ from what the package installed.  UNVERIFIED: owned, but the
 * file could not be hashed (too large to keep, unreadable to its end).
 */
enum ls_provenance {
	LS_PROV_NONE,
	LS_PROV_VENDOR,
	LS_PROV_MODIFIED,
	LS_PROV_UNVERIFIED,      /* owned, but its bytes could not be
				    checked: the user's until shown otherwise */
};

const char *ls_provenance_name(enum ls_provenance p);

#define LS_FINGERPRINT_MAX 80

struct ls_finding {
	const struct ls_rule *rule;      /* borrowed */
	enum ls_severity severity;
	enum ls_source_kind source;
	char *path;                      /* display path, '/'-separated */
	unsigned long line, column;      /* 1-based; 0 = whole file */
	unsigned long end_line, end_column;
	char *secret;                    /* NUL-terminated copy */
	size_t secret_len;
	double entropy;
	int decoded;                     /* found in decoded text (via->decode) */
	const struct ls_rule *via;       /* the rule that decoded it (borrowed) */
	char *note;                      /* extra words for people, or NULL */
	char fingerprint[LS_FINGERPRINT_MAX];
	/* optional, set by sources that have them */
	struct ls_finding_layer *layer;
	struct ls_finding_commit *commit;
	int *layers;                     /* every layer shipping it */
	size_t nlayers, layers_alloc;
	char *field, *key;               /* image config findings */
	long history_index;              /* -1 when none */
	enum ls_provenance provenance;
	char *package;                   /* the owner, e.g. "dpkg:libgnutls30
					    3.7.9-2+deb12u3", or NULL */
};

/* A finding with every optional part empty; history_index = -1. */
struct ls_finding *ls_finding_new(const struct ls_rule *rule);
void ls_finding_free(struct ls_finding *f);

/* A deep copy (the rule stays borrowed). */
struct ls_finding *ls_finding_dup(const struct ls_finding *f);
/* Replace f's layer by a copy of `l` (NULL: none). */
void ls_finding_set_layer(struct ls_finding *f, const struct ls_finding_layer *l);

struct ls_findings {
	struct ls_finding **v;
	size_t n, alloc;
};

void ls_findings_init(struct ls_findings *l);
void ls_findings_release(struct ls_findings *l);
/* Append; the list takes ownership of `f`. */
void ls_findings_add(struct ls_findings *l, struct ls_finding *f);
/* Move all of `from` into `to` (from ends up empty). */
void ls_findings_take(struct ls_findings *to, struct ls_findings *from);
/*
 * Sort into the stable report order: path, line, column, rule id, then
 * fingerprint; so output is identical for any number of threads.
 */
void ls_findings_sort(struct ls_findings *l);
/* Count findings at or above `sev`. */
size_t ls_findings_count_at_least(const struct ls_findings *l,
				  enum ls_severity sev);

#endif
