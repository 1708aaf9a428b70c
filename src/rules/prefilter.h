/*
 * prefilter.h - find every rule keyword in a buffer in one pass.
 *
 * Rules name keywords (literals such as "ghp_" or "password"); a rule's
 * regex only runs near a place where one of its keywords occurs.  This
 * module finds all keyword occurrences of all rules at once, ignoring ASCII
 * case, with an Aho-Corasick automaton compiled to a DFA (see prefilter.c).
 *
 * Build: ls_prefilter_new(), ls_prefilter_add() for each (keyword, rule),
 * ls_prefilter_build() once.  Afterwards the prefilter is read-only and may
 * be shared by threads; each thread scans with its own scratch
 * (ls_prefilter_scratch_new()).  Keywords are bytes; only A-Z fold to a-z.
 *
 * Two engines give the same occurrences: Hyperscan's literal matcher when
 * layerscan is built with it and the CPU can run it, else the DFA.
 */
#ifndef LS_RULES_PREFILTER_H
#define LS_RULES_PREFILTER_H

#include <stddef.h>

struct ls_prefilter;

struct ls_prefilter *ls_prefilter_new(void);
void ls_prefilter_free(struct ls_prefilter *pf);

/* Add keyword `kw` (len bytes, non-empty) for rule index `rule`. */
void ls_prefilter_add(struct ls_prefilter *pf, const char *kw, size_t len,
		      unsigned rule);

/* Use the DFA even where Hyperscan could run.  Call before the build. */
void ls_prefilter_use_dfa(struct ls_prefilter *pf);

/* Compile the automaton.  Call once, after the last add. */
void ls_prefilter_build(struct ls_prefilter *pf);

/*
 * A keyword database compiled ahead of time (Hyperscan only): the bytes
 * ls_prefilter_save() wrote when the binary was built, for the default
 * rules (src/tools/hsdb.c).  Compiling the default keywords is over half of
 * layerscan's start-up; a build whose distinct keywords are exactly the
 * saved ones (the default rules, also with extra allowlists or disabled
 * rules that keep every keyword) loads the saved database instead, when
 * this Hyperscan version on this CPU accepts it, and compiles otherwise.
 * Process-wide; call before any build.  `blob` must outlive the builds.
 */
void ls_prefilter_set_saved(const void *blob, size_t len);

/*
 * The built prefilter's database as bytes for ls_prefilter_set_saved():
 * 0 and a malloc'ed *out, or -1 when it has none (the DFA was built).
 */
int ls_prefilter_save(const struct ls_prefilter *pf, unsigned char **out,
		      size_t *len);

/* Whether the last Hyperscan build here loaded the saved database (tests). */
int ls_prefilter_loaded_saved(const struct ls_prefilter *pf);

/* The engine a build would choose here, for `layerscan version -v`. */
const char *ls_prefilter_describe(void);

/* "hyperscan" or "dfa": the engine the build chose. */
const char *ls_prefilter_engine(const struct ls_prefilter *pf);

/* Per-thread scan state, made after the build for that prefilter. */
struct ls_prefilter_scratch;
struct ls_prefilter_scratch *
ls_prefilter_scratch_new(const struct ls_prefilter *pf);
void ls_prefilter_scratch_free(struct ls_prefilter_scratch *s);

/*
 * Called for each occurrence: `rule` is the rule index, `start` the offset
 * of the keyword's first byte in the buffer, `len` its length.  The same
 * rule may be reported several times at one place when it has overlapping
 * keywords.
 */
typedef void (*ls_prefilter_cb)(void *ud, unsigned rule, size_t start,
				size_t len);

/*
 * Report every keyword occurrence in buf[0..len), in order of their end
 * (occurrences with the same end in any order).  `s` is this thread's
 * scratch for `pf`.
 */
void ls_prefilter_scan(const struct ls_prefilter *pf,
		       struct ls_prefilter_scratch *s,
		       const unsigned char *buf, size_t len,
		       ls_prefilter_cb cb, void *ud);

/* Number of DFA states, 0 with Hyperscan (for tests and `rules list
 * --stats`). */
size_t ls_prefilter_states(const struct ls_prefilter *pf);

#endif
