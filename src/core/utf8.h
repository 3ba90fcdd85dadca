/*
 * UTF-8 validation (RFC 3629): rejects overlong forms, surrogates, code
 * points above U+10FFFF and truncated sequences. NUL bytes are rejected too,
 * since no text input of ours may carry one.
 */
#ifndef PRAXIS_CORE_UTF8_H
#define PRAXIS_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool utf8_valid(const char *p, size_t n);
/* Number of code points in valid UTF-8 (p, n). */
size_t utf8_len(const char *p, size_t n);
/* The code point at p (valid UTF-8) and its length in bytes. */
uint32_t utf8_decode(const char *p, size_t *len);
/* Control characters (C0, DEL, C1) and the bidirectional overrides that can disguise text. */
bool utf8_is_control(uint32_t c);
/*
 * Whether valid UTF-8 (p, n) holds a control character (C0, DEL, C1, line
 * breaks and tabs included) or a bidirectional override that can disguise
 * text.
 */
bool utf8_has_control(const char *p, size_t n);

#endif
