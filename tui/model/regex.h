/*
 * A POSIX extended regular expression subset matched over Unicode code
 * points, independent of the C library locale (regcomp is not: the same
 * UTF-8 pattern would mean something else under a GB18030 terminal).
 * Matching simulates the NFA (no backtracking): time is linear in the text
 * for a given pattern, so no pattern can make it hang. What is supported
 * is listed at val_text() in validate.h.
 */
#ifndef YC_REGEX_H
#define YC_REGEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rx;

/* Compiles pattern (UTF-8); NULL when it is malformed or too large. */
struct rx *rx_compile(const char *pattern);
/* True when rx matches the whole of text[0..n-1] (code points). */
bool rx_match(const struct rx *rx, const uint32_t *text, size_t n);
void rx_free(struct rx **rx);

#endif
