/*
 * Events' parsers of outside input, on anything: local times, moments,
 * check-in codes, join links, zone names and RRULEs (libical parses those
 * after our own checks). Checks that what is accepted is what the rules
 * promise: a local time formats and reads back the same, a code is six
 * characters of the alphabet, a zone name holds no "..", a canonical rule
 * is accepted again as itself, and its expansion stays in order and in
 * bounds.
 *
 * fuzz-src: src/feature/events/rules.c src/feature/events/recur.c
 * fuzz-pkg: libical
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/str.h"
#include "feature/events/recur.h"
#include "feature/events/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena arena; /* all zero is the state arena_init() gives */

static void local_times(struct str s)
{
    struct local_time t;
    char text[20];

    if (rule_local_time(s, &t))
        return;
    local_time_format(t, text);
    {
        struct local_time again;

        ASSERT(!rule_local_time(str_c(text), &again));
        ASSERT(local_time_seconds(again) == local_time_seconds(t));
        ASSERT(local_time_seconds(local_time_from_seconds(local_time_seconds(t))) ==
               local_time_seconds(t));
    }
}

static void codes(struct str s)
{
    char code[CHECKIN_CODE_LEN + 1];

    if (!checkin_code_normal(s, code))
        return;
    ASSERT(strlen(code) == CHECKIN_CODE_LEN);
    ASSERT(strspn(code, checkin_alphabet) == CHECKIN_CODE_LEN);
}

static void zones(struct str s)
{
    if (!zone_name_ok(s))
        return;
    ASSERT(s.len && s.ptr[0] != '/' && s.ptr[0] != '.');
    for (size_t i = 0; i + 1 < s.len; i++)
        ASSERT(!(s.ptr[i] == '.' && s.ptr[i + 1] == '.'));
}

static void rules(struct str s)
{
    static const struct local_time start = {2026, 10, 13, 18, 0, 0};
    struct recur_spec spec = {STR_LIT("Europe/Paris"), start, 3600, STR_NULL, NULL, 0};
    struct occurrence o[32];
    struct str canon, again;
    size_t n;
    bool more;

    if (rule_rrule(&arena, s, spec.tz, start, &canon) || !canon.len)
        return;
    ASSERT(!rule_rrule(&arena, canon, spec.tz, start, &again));
    ASSERT(str_eq(canon, again));
    spec.rrule = canon;
    ASSERT(!recur_expand(&spec, 0, (int64_t)4102444800, o, 32, &n, &more));
    ASSERT(n >= 1 && o[0].start_local.hour == 18);
    for (size_t i = 1; i < n; i++)
        ASSERT(o[i].start > o[i - 1].start);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct str s = str_make((const char *)data, size);
    int64_t t;
    size_t i;

    recur_init();
    local_times(s);
    (void)parse_moment(s, &t);
    codes(s);
    zones(s);
    (void)rule_join_url(s);
    /* Text after a first newline is a rule: a seed can hold several inputs. */
    for (i = 0; i < size && data[i] != '\n'; i++)
        ;
    rules(i < size ? str_make(s.ptr + i + 1, size - i - 1) : s);
    arena_reset(&arena);
    return 0;
}
