/*
 * entropy.h - Shannon entropy of a candidate secret.
 *
 * H = -sum(p_i * log2(p_i)) over the byte frequencies of the string, in
 * bits per byte (0 for an empty or one-symbol string, at most 8).  Random
 * base62 of 20+ characters scores above ~4; words and repeated characters
 * score low, which is how generic rules tell `changeme` from a real token.
 * Like gitleaks, bytes are counted (not Unicode code points).
 */
#ifndef LS_RULES_ENTROPY_H
#define LS_RULES_ENTROPY_H

#include <stddef.h>

double ls_entropy(const char *s, size_t len);

#endif
