/*
 * Eight bytes at a time: tests over a 64-bit word for whether any of its
 * bytes is below a bound or equal to a byte, for the escapers' common case
 * of text with nothing to escape. Each test is exact about whether some byte
 * matches, not about which: a caller that finds one looks byte by byte.
 */
#ifndef PRAXIS_CORE_WORD_H
#define PRAXIS_CORE_WORD_H

#include <stdint.h>
#include <string.h>

#define WORD_ONES  0x0101010101010101ULL
#define WORD_HIGHS 0x8080808080808080ULL
/* Nonzero when some byte of x is below n (n <= 128). */
#define WORD_BELOW(x, n) (((x)-WORD_ONES * (n)) & ~(x)&WORD_HIGHS)
/* Nonzero when some byte of x is c. */
#define WORD_HAS(x, c) WORD_BELOW((x) ^ (WORD_ONES * (c)), 1)

/* The 8 bytes at p, in whatever alignment. */
static inline uint64_t word_at(const void *p)
{
    uint64_t x;

    memcpy(&x, p, sizeof(x));
    return x;
}

#endif
