/*
 * UTF-8 validation (RFC 3629): rejects overlong forms, surrogates, code
 * points above U+10FFFF and truncated sequences. NUL bytes are rejected too,
 * since no text input of ours may carry one.
 */
#ifndef PRAXIS_CORE_UTF8_H
#define PRAXIS_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

bool utf8_valid(const char *p, size_t n);
/* Number of code points in valid UTF-8 (p, n). */
size_t utf8_len(const char *p, size_t n);

#endif
