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

/*
 * Whether a secret of entropy h passes a rule's minimum (0: no check).
 * A secret made only of hex digits is judged one bit lower: hex carries
 * at most 4 bits a character, so a random 32-digit key averages 3.6 and
 * one in five falls under the 3.5 a base62 token is held to (a random
 * 16-digit one averages 3.2).  Words, repetitions and short runs stay
 * far below either bar.
 */
int ls_entropy_ok(const char *s, size_t len, double h, double min);

#endif
