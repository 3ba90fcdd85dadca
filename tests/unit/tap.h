/*
 * A small TAP producer for the C unit tests. Each test file is one program;
 * scripts/run-unit.sh runs them all and counts the "ok"/"not ok" lines.
 *
 *     ok(cond, "what holds");
 *     is_int(got, want, "what"); is_str(got, want, "what");
 *     return tap_done();
 */
#ifndef PRAXIS_TESTS_TAP_H
#define PRAXIS_TESTS_TAP_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

__attribute__((unused)) static int tap_ok(int cond, const char *file, int line, const char *what)
{
    tap_n++;
    if (cond) {
        printf("ok %d - %s\n", tap_n, what);
    } else {
        tap_failed++;
        printf("not ok %d - %s\n#   at %s:%d\n", tap_n, what, file, line);
    }
    fflush(stdout);
    return cond;
}

#define ok(cond, what) tap_ok(!!(cond), __FILE__, __LINE__, (what))

#define is_int(got, want, what)                                       \
    do {                                                              \
        long long got_ = (long long)(got), want_ = (long long)(want); \
        if (!tap_ok(got_ == want_, __FILE__, __LINE__, (what)))       \
            printf("#   got %lld, want %lld\n", got_, want_);         \
    } while (0)

#define is_str(got, want, what)                                                \
    do {                                                                       \
        const char *got_ = (got), *want_ = (want);                             \
        int same_ = got_ && want_ ? strcmp(got_, want_) == 0 : got_ == want_;  \
        if (!tap_ok(same_, __FILE__, __LINE__, (what)))                        \
            printf("#   got \"%s\"\n#  want \"%s\"\n", got_ ? got_ : "(null)", \
                   want_ ? want_ : "(null)");                                  \
    } while (0)

/* Compare a (ptr, len) view with a C string. */
#define is_mem(ptr, len, want, what)                                                        \
    do {                                                                                    \
        const char *w_ = (want);                                                            \
        size_t l_ = (len);                                                                  \
        int same_ = l_ == strlen(w_) && memcmp((ptr), w_, l_) == 0;                         \
        if (!tap_ok(same_, __FILE__, __LINE__, (what)))                                     \
            printf("#   got \"%.*s\"\n#  want \"%s\"\n", (int)l_, (const char *)(ptr), w_); \
    } while (0)

__attribute__((unused)) static int tap_done(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif
