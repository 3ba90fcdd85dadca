/* Unit tests for src/core: utf8, str, buf, json writer, arena. */
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "core/limits.h"
#include "core/str.h"
#include "core/utf8.h"
#include "tap.h"

#define U(lit) utf8_valid((lit), sizeof(lit) - 1)

static void test_utf8(void)
{
    ok(U(""), "utf8: empty");
    ok(U("plain ascii ~\x7f"), "utf8: ascii and DEL");
    ok(U("\xc2\x80 \xdf\xbf"), "utf8: two-byte bounds");
    ok(U("\xe0\xa0\x80 \xef\xbf\xbf"), "utf8: three-byte bounds");
    ok(U("\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf"), "utf8: four-byte bounds");
    ok(U("\xed\x9f\xbf \xee\x80\x80"), "utf8: around the surrogates");
    ok(!U("\x00"), "utf8: NUL");
    ok(!U("a\x00"
          "b"),
       "utf8: NUL inside");
    ok(!U("\xc0\xaf"), "utf8: overlong slash C0 AF");
    ok(!U("\xc1\xbf"), "utf8: overlong C1");
    ok(!U("\xe0\x80\xaf"), "utf8: overlong three-byte");
    ok(!U("\xe0\x9f\xbf"), "utf8: overlong three-byte max");
    ok(!U("\xf0\x80\x80\xaf"), "utf8: overlong four-byte");
    ok(!U("\xf0\x8f\xbf\xbf"), "utf8: overlong four-byte max");
    ok(!U("\xed\xa0\x80"), "utf8: lone high surrogate");
    ok(!U("\xed\xbf\xbf"), "utf8: lone low surrogate");
    ok(!U("\xed\xa0\xbd\xed\xb8\x80"), "utf8: surrogate pair (CESU-8)");
    ok(!U("\xf4\x90\x80\x80"), "utf8: U+110000");
    ok(!U("\xf5\x80\x80\x80"), "utf8: F5");
    ok(!U("\xff"), "utf8: FF");
    ok(!U("\x80"), "utf8: lone continuation");
    ok(!U("\xc3"), "utf8: truncated two-byte");
    ok(!U("\xe2\x82"), "utf8: truncated three-byte");
    ok(!U("\xf0\x9f\x98"), "utf8: truncated four-byte");
    ok(!U("\xe2\x28\xa1"), "utf8: bad continuation");
    ok(!U("\xc3\xa9\xc3"), "utf8: truncated after a good char");
    ok(utf8_valid("\xe2\x82\xac", 2) == false, "utf8: length honoured");
    is_int(utf8_len("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10), 4, "utf8_len: four");
}

static void test_str(void)
{
    int64_t v = 7;

    is_int(str_to_i64(STR_LIT("0"), &v), 0, "i64: zero");
    is_int(v, 0, "i64: zero value");
    is_int(str_to_i64(STR_LIT("-0"), &v), 0, "i64: minus zero");
    is_int(str_to_i64(STR_LIT("9223372036854775807"), &v), 0, "i64: INT64_MAX");
    ok(v == INT64_MAX, "i64: INT64_MAX value");
    is_int(str_to_i64(STR_LIT("-9223372036854775808"), &v), 0, "i64: INT64_MIN");
    ok(v == INT64_MIN, "i64: INT64_MIN value");
    v = 7;
    is_int(str_to_i64(STR_LIT("9223372036854775808"), &v), E_INVAL, "i64: INT64_MAX + 1");
    is_int(str_to_i64(STR_LIT("-9223372036854775809"), &v), E_INVAL, "i64: INT64_MIN - 1");
    is_int(str_to_i64(STR_LIT("18446744073709551616"), &v), E_INVAL, "i64: 2^64");
    is_int(str_to_i64(STR_LIT("99999999999999999999"), &v), E_INVAL, "i64: 20 digits");
    is_int(v, 7, "i64: out untouched on error");
    is_int(str_to_i64(STR_LIT(""), &v), E_INVAL, "i64: empty");
    is_int(str_to_i64(STR_LIT("-"), &v), E_INVAL, "i64: lone minus");
    is_int(str_to_i64(STR_LIT("+1"), &v), E_INVAL, "i64: plus sign");
    is_int(str_to_i64(STR_LIT(" 1"), &v), E_INVAL, "i64: leading space");
    is_int(str_to_i64(STR_LIT("1 "), &v), E_INVAL, "i64: trailing space");
    is_int(str_to_i64(STR_LIT("12a"), &v), E_INVAL, "i64: trailing letter");
    is_int(str_to_i64(STR_LIT("--1"), &v), E_INVAL, "i64: double minus");
    is_int(str_to_i64(STR_LIT("0x10"), &v), E_INVAL, "i64: hex");
    is_int(str_to_i64(str_make("12", 1), &v), 0, "i64: length honoured");
    is_int(v, 1, "i64: one digit read");
    is_int(str_to_i64(STR_LIT("000000000000000000042"), &v), E_INVAL,
           "i64: leading zeros past 19 digits");

    ok(str_eq(STR_LIT(""), STR_NULL), "str_eq: empty equals NULL view");
    ok(str_case_eq(STR_LIT("Content-Type"), STR_LIT("content-TYPE")), "str_case_eq");
    ok(!str_case_eq(STR_LIT("a"), STR_LIT("ab")), "str_case_eq: lengths differ");
    ok(str_eq(str_trim(STR_LIT(" \t x y\t ")), STR_LIT("x y")), "str_trim");
    ok(str_eq(str_trim(STR_LIT("\r\n x\n\n")), STR_LIT("x")), "str_trim drops line breaks too");
    is_int(str_index(STR_LIT("abc"), 'c'), 2, "str_index: found");
    is_int(str_index(STR_NULL, 'c'), -1, "str_index: empty");
    ok(str_starts_with(STR_LIT("abc"), STR_LIT("ab")), "str_starts_with");
    ok(str_ends_with(STR_LIT("abc"), STR_LIT("bc")), "str_ends_with");
    ok(!str_ends_with(STR_LIT("c"), STR_LIT("bc")), "str_ends_with: longer suffix");
}

static void test_buf(struct arena *a)
{
    struct buf b;
    int i;

    buf_init(&b, a, 8);
    ok(b.ptr && b.ptr[0] == '\0', "buf: empty is NUL-terminated");
    ok(buf_append(&b, NULL, 0) == 0 && b.len == 0, "buf: appending nothing from NULL");
    ok(buf_puts(&b, "ab") == 0 && buf_append(&b, NULL, 0) == 0 && b.len == 2,
       "buf: and after text");
    buf_reset(&b);
    is_int(buf_puts(&b, "12345678"), 0, "buf: fill to max");
    is_int(b.len, 8, "buf: len 8");
    is_int(b.ptr[8], 0, "buf: NUL after data");
    is_int(buf_putc(&b, 'x'), E_TOOBIG, "buf: one past max");
    ok(b.toobig, "buf: toobig set");
    is_str(b.ptr, "12345678", "buf: failed append left it as it was");
    is_int(buf_append(&b, "", 0), 0, "buf: empty append still fine");
    ok(b.toobig, "buf: toobig is sticky");
    buf_reset(&b);
    ok(!b.toobig && b.len == 0 && b.ptr[0] == '\0', "buf: reset clears");
    is_int(buf_printf(&b, "%d-%s", 12, "ab"), 0, "buf: printf");
    is_str(b.ptr, "12-ab", "buf: printf text");
    is_int(buf_printf(&b, "%s", "toolong"), E_TOOBIG, "buf: printf over max");
    is_str(b.ptr, "12-ab", "buf: printf over max left it as it was");

    buf_init(&b, a, 1000);
    for (i = 0; i < 300; i++)
        buf_putc(&b, 'a');
    is_int(buf_printf(&b, "%300d", 1), 0, "buf: long printf");
    is_int(b.len, 600, "buf: long printf length");
    is_int(b.ptr[600], 0, "buf: long printf NUL");
    is_int(buf_printf(&b, "%500d", 1), E_TOOBIG, "buf: long printf over max");
    is_int(b.len, 600, "buf: long printf over max leaves len");
    buf_reset(&b);
    is_int(buf_put_i64(&b, INT64_MIN), 0, "buf: put INT64_MIN");
    is_str(b.ptr, "-9223372036854775808", "buf: INT64_MIN text");
    buf_reset(&b);
    buf_put_u64(&b, UINT64_MAX);
    is_str(b.ptr, "18446744073709551615", "buf: UINT64_MAX text");
    {
        bool same = true;
        uint64_t p10 = 1;
        char want[24];

        for (uint64_t v = 0; v < 100000 && same; v++) { /* every number of 1 to 5 digits */
            buf_reset(&b);
            buf_put_u64(&b, v);
            snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
            same = strcmp(b.ptr, want) == 0;
        }
        for (int k = 0; k < 20 && same; k++, p10 *= 10) { /* each length's edges */
            for (int d = -1; d <= 1 && same; d++) {
                buf_reset(&b);
                buf_put_u64(&b, p10 + (uint64_t)(int64_t)d);
                snprintf(want, sizeof(want), "%llu",
                         (unsigned long long)(p10 + (uint64_t)(int64_t)d));
                same = strcmp(b.ptr, want) == 0;
            }
        }
        ok(same, "buf: put_u64 as printf has it, to 99999 and either side of each power of ten");
    }

    buf_init(&b, NULL, 4);
    is_int(buf_puts(&b, "heap"), 0, "buf: heap buffer");
    is_int(buf_puts(&b, "!"), E_TOOBIG, "buf: heap buffer max");
    buf_release(&b);
    ok(b.len == 0 && b.ptr[0] == '\0', "buf: released heap buffer is empty");
    buf_init(&b, a, 0);
    is_int(buf_putc(&b, 'x'), E_TOOBIG, "buf: max 0 takes nothing");
    ok(b.ptr[0] == '\0', "buf: max 0 stays empty");
}

/* json_escape() byte by byte, as the specification says, to check the word-at-a-time one. */
static void escape_slowly(struct buf *b, const unsigned char *p, size_t n)
{
    buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];

        if (c == '"' || c == '\\')
            buf_printf(b, "\\%c", c);
        else if (c == '\b')
            buf_puts(b, "\\b");
        else if (c == '\f')
            buf_puts(b, "\\f");
        else if (c == '\n')
            buf_puts(b, "\\n");
        else if (c == '\r')
            buf_puts(b, "\\r");
        else if (c == '\t')
            buf_puts(b, "\\t");
        else if (c < 0x20 || c == '<' || c == '>' || c == 0x7f)
            buf_printf(b, "\\u%04x", c);
        else
            buf_putc(b, (char)c);
    }
    buf_putc(b, '"');
}

/* Every byte value at every place of strings around the 8-byte words. */
static void test_json_words(struct arena *a)
{
    unsigned char src[40];
    struct buf fast, slow;
    bool same = true;

    buf_init(&fast, a, 4096);
    buf_init(&slow, a, 4096);
    for (size_t len = 0; len <= sizeof(src) && same; len++) {
        for (size_t at = 0; at < len && same; at++) {
            for (int c = 0; c < 256 && same; c++) {
                memset(src, 'a', sizeof(src));
                src[at] = (unsigned char)c;
                buf_reset(&fast);
                buf_reset(&slow);
                json_escape(&fast, str_make((const char *)src, len));
                escape_slowly(&slow, src, len);
                same = str_eq(buf_str(&fast), buf_str(&slow));
            }
        }
    }
    ok(same, "json_escape: word at a time agrees with byte by byte");
}

static void test_json(struct arena *a)
{
    test_json_words(a);
    struct buf b;
    struct json w;

    buf_init(&b, a, 4096);
    json_escape(&b, STR_LIT("a\"\\/\b\f\n\r\t\x01\x1f<>&'\x7f\xc3\xa9"));
    is_str(b.ptr, "\"a\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\\u003c\\u003e&'\\u007f\xc3\xa9\"",
           "json: escaping");
    buf_reset(&b);
    json_escape(&b, str_make("\0x", 2));
    is_str(b.ptr, "\"\\u0000x\"", "json: NUL escaped");
    buf_reset(&b);
    json_escape(&b, str_make("\x0b", 1));
    is_str(b.ptr, "\"\\u000b\"", "json: vertical tab");
    buf_reset(&b);
    json_escape(&b, STR_LIT("</script>"));
    ok(!strstr(b.ptr, "</"), "json: no </ survives");

    buf_reset(&b);
    json_init(&w, &b);
    json_obj_open(&w);
    json_key(&w, "a");
    json_i64(&w, -5);
    json_key(&w, "b");
    json_arr_open(&w);
    json_bool(&w, true);
    json_null(&w);
    json_str_c(&w, "x");
    json_f64(&w, 0.5);
    json_f64(&w, (double)INFINITY);
    json_arr_close(&w);
    json_key(&w, "c");
    json_obj_open(&w);
    json_obj_close(&w);
    json_obj_close(&w);
    is_str(b.ptr, "{\"a\":-5,\"b\":[true,null,\"x\",0.5,null],\"c\":{}}", "json: writer commas");

    /* A key that needs escaping still gets it; a value escaped before goes in as it was. */
    buf_reset(&b);
    json_init(&w, &b);
    json_obj_open(&w);
    json_key(&w, "q\"<");
    json_i64(&w, 1);
    json_key(&w, "n");
    json_i64_or_null(&w, 0);
    json_key(&w, "t");
    json_i64_or_null(&w, 7);
    json_key(&w, "longer than a word\n");
    json_i64(&w, 2);
    json_key(&w, "h");
    {
        struct buf pre;

        buf_init(&pre, a, 64);
        json_escape(&pre, STR_LIT("<p>"));
        json_escaped(&w, buf_str(&pre));
    }
    json_obj_close(&w);
    is_str(b.ptr,
           "{\"q\\\"\\u003c\":1,\"n\":null,\"t\":7,\"longer than a word\\n\":2,"
           "\"h\":\"\\u003cp\\u003e\"}",
           "json: keys escaped, values kept");

    /* A NULL key is "", as str_c() has it (and copies nothing from NULL). */
    buf_reset(&b);
    json_init(&w, &b);
    json_obj_open(&w);
    json_key(&w, NULL);
    json_i64(&w, 3);
    json_obj_close(&w);
    is_str(b.ptr, "{\"\":3}", "json: a NULL key is empty");

    buf_init(&b, a, 5);
    json_init(&w, &b);
    json_str_c(&w, "abcdef");
    ok(b.toobig, "json: overflow is sticky in the buffer");
}

static int order[4], norder;

static void note(void *p)
{
    order[norder++] = *(int *)p;
}

static void test_arena(struct arena *a)
{
    static int one = 1, two = 2, three = 3;
    char *p, *q, *big;
    size_t i;
    int ok_pattern = 1;

    p = arena_alloc(a, 1);
    q = arena_alloc(a, 1);
    ok(((uintptr_t)p & 15) == 0 && ((uintptr_t)q & 15) == 0, "arena: 16-byte aligned");
    ok(q != p, "arena: distinct allocations");
    is_int(a->total, 32, "arena: total counts rounded sizes");
    p = arena_alloc(a, 0);
    ok(p != NULL, "arena: zero-size allocation");

    p = arena_calloc(a, 10, 10);
    for (i = 0; i < 100; i++)
        ok_pattern &= p[i] == 0;
    ok(ok_pattern, "arena: calloc zeroes");

    p = arena_strndup(a, "hello world", 5);
    is_str(p, "hello", "arena: strndup");
    is_str(arena_strndup(a, NULL, 0), "", "arena: strndup of nothing");

    /* realloc of the latest allocation grows in place */
    p = arena_alloc(a, 16);
    memcpy(p, "0123456789abcdef", 16);
    q = arena_realloc(a, p, 16, 64);
    ok(q == p, "arena: realloc in place");
    ok(memcmp(q, "0123456789abcdef", 16) == 0, "arena: realloc keeps data");
    ok(arena_realloc(a, q, 64, 8) == q, "arena: shrink keeps the pointer");
    /* not the latest: moves and copies */
    p = arena_alloc(a, 16);
    memcpy(p, "ABCDEFGHIJKLMNOP", 16);
    (void)arena_alloc(a, 16);
    q = arena_realloc(a, p, 16, 32);
    ok(q != p && memcmp(q, "ABCDEFGHIJKLMNOP", 16) == 0, "arena: realloc moves and copies");
    q = arena_realloc(a, NULL, 0, 10);
    ok(q != NULL, "arena: realloc of NULL allocates");

    /* larger than a block */
    big = arena_alloc(a, 100000);
    memset(big, 'x', 100000);
    p = arena_alloc(a, 10);
    ok(p != NULL, "arena: allocation after a big one");
    q = arena_realloc(a, p, 10, 200000);
    q[199999] = 'y';
    ok(q[199999] == 'y', "arena: realloc across blocks");

    arena_defer(a, note, &one);
    arena_defer(a, note, &two);
    arena_defer(a, note, &three);
    norder = 0;
    arena_reset(a);
    is_int(norder, 3, "arena: defers ran");
    ok(order[0] == 3 && order[1] == 2 && order[2] == 1, "arena: defers ran last first");
    is_int(a->total, 0, "arena: reset clears total");
    ok(a->head == a->first && a->head, "arena: reset keeps the first block");
    arena_reset(a);
    is_int(norder, 3, "arena: defers run once");

    p = arena_alloc(a, 8);
    ok(p != NULL, "arena: usable after reset");
    arena_defer(a, note, &one);
    norder = 0;
    arena_release(a);
    is_int(norder, 1, "arena: release runs defers");
    ok(a->first == NULL && a->head == NULL, "arena: release frees everything");
    p = arena_alloc(a, 8);
    ok(p != NULL, "arena: usable after release");
    arena_release(a);
}

/*
 * A request for more than half the address space used to double the block
 * size until it wrapped to 0 and loop forever; it must die like any failed
 * allocation. Run in a child with an alarm so the old hang is a failure.
 */
/* A reset keeps the largest block within LIMIT_ARENA_KEEP, and nothing larger. */
static void test_arena_keep(void)
{
    struct arena a;
    const void *kept;

    arena_init(&a);
    arena_alloc(&a, 100);
    arena_alloc(&a, 100 * 1024); /* a second block, of 128 KB */
    arena_reset(&a);
    kept = a.first;
    ok(a.head == a.first, "arena: a reset starts from the block kept");
    arena_alloc(&a, 100 * 1024);
    ok(a.head == kept, "arena: the larger block was kept: the same need fits in it");
    arena_alloc(&a, LIMIT_ARENA_KEEP * 2);
    ok(a.head != kept, "arena: a need over it takes a new block");
    arena_reset(&a);
    ok(a.first == kept, "arena: a block over the limit is not kept");
    arena_release(&a);
}

static void test_arena_huge(void)
{
    int status = 0;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        struct arena a;

        alarm(5);
        if (!freopen("/dev/null", "w", stderr))
            _exit(3);
        arena_init(&a);
        (void)arena_alloc(&a, SIZE_MAX / 2 + 2);
        _exit(0);
    }
    ok(pid > 0 && waitpid(pid, &status, 0) == pid, "arena: child for a huge allocation");
    ok(!(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM),
       "arena: huge allocation dies instead of looping");
    ok(!(WIFEXITED(status) && WEXITSTATUS(status) == 0), "arena: huge allocation did not succeed");
}

static void test_arena_grow(void)
{
    struct arena a;
    int *v = NULL;
    size_t n = 0, cap = 0;
    int good = 1;

    arena_init(&a);
    for (int i = 0; i < 1000; i++) {
        v = arena_grow(&a, v, n, &cap, sizeof(*v));
        v[n++] = i;
    }
    for (int i = 0; i < 1000; i++)
        good &= v[i] == i;
    ok(good, "arena_grow: 1000 pushes keep every element");
    ok(cap >= 1000 && cap < 2048, "arena_grow: capacity doubles, from 8");
    ok(arena_grow(&a, v, 10, &cap, sizeof(*v)) == v, "arena_grow: no move while there is room");
    arena_release(&a);
}

static void test_clock(void)
{
    int64_t t = 0;
    char iso[21];

    ok(clock_parse("0", &t) == 0 && t == 0, "clock: unix zero");
    ok(clock_parse("1796000000", &t) == 0 && t == 1796000000, "clock: unix seconds");
    ok(clock_parse("2026-12-06T10:00:00Z", &t) == 0 && t == 1796551200, "clock: RFC 3339");
    ok(clock_parse("2026-12-06T10:00Z", &t) == 0 && t == 1796551200, "clock: without seconds");
    ok(clock_parse("1970-01-01T00:00:00Z", &t) == 0 && t == 0, "clock: the epoch");
    ok(clock_parse("2024-02-29T23:59:59Z", &t) == 0 && t == 1709251199, "clock: a leap day");
    clock_rfc3339(t, iso);
    ok(strcmp(iso, "2024-02-29T23:59:59Z") == 0, "clock: round trip");
    clock_rfc3339(0, iso);
    ok(strcmp(iso, "1970-01-01T00:00:00Z") == 0, "clock: the epoch as RFC 3339");
    clock_rfc3339(-61000000000LL, iso);
    ok(strcmp(iso, "0036-12-26T11:33:20Z") == 0, "clock: a year of two digits, zeros in front");
    ok(clock_parse("2023-02-29T00:00:00Z", &t) == -1, "clock: no leap day in 2023");
    ok(clock_parse("2026-13-01T00:00:00Z", &t) == -1, "clock: month 13");
    ok(clock_parse("2026-12-06T24:00:00Z", &t) == -1, "clock: hour 24");
    ok(clock_parse("2026-12-06T10:00:00+01:00", &t) == -1, "clock: offsets are not taken");
    ok(clock_parse("2026-12-06 10:00:00Z", &t) == -1, "clock: a space for T");
    ok(clock_parse("", &t) == -1, "clock: empty");
    ok(clock_parse("-5", &t) == -1, "clock: negative");
}

/* clock_utc() against libc's gmtime_r() over every field it fills. */
static bool utc_as_libc(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm mine, libc;

    if (!gmtime_r(&tt, &libc))
        return clock_utc(t, &mine) == -1;
    return clock_utc(t, &mine) == 0 && mine.tm_year == libc.tm_year && mine.tm_mon == libc.tm_mon &&
           mine.tm_mday == libc.tm_mday && mine.tm_hour == libc.tm_hour &&
           mine.tm_min == libc.tm_min && mine.tm_sec == libc.tm_sec &&
           mine.tm_wday == libc.tm_wday && mine.tm_yday == libc.tm_yday && mine.tm_isdst == 0;
}

static void test_clock_utc(void)
{
    static const int64_t edges[] = {
        0,          -1,         86399,      86400,        -86400,       -86401,       951782400,
        951868799,  4107542399, 4107542400, 253402300799, 253402300800, -62167219200, -62167219201,
        1709251199, 1796551200};
    uint64_t x = 88172645463325252ULL;
    bool good = true;
    int64_t bad = 0;

    for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
        if (good && !utc_as_libc(edges[i])) {
            good = false;
            bad = edges[i];
        }
    if (!good)
        printf("# unlike gmtime_r at %lld\n", (long long)bad);
    ok(good, "clock_utc: as gmtime_r at the epoch, day ends, leap days, 2100, 9999, year 0");
    /* A day at a time over years 1600..2400, which takes in every 400-year rule. */
    good = true;
    for (int64_t t = -11676096000LL; good && t < 13574563200LL; t += 86400 - 7)
        if (!utc_as_libc(t)) {
            good = false;
            bad = t;
        }
    if (!good)
        printf("# unlike gmtime_r at %lld\n", (long long)bad);
    ok(good, "clock_utc: as gmtime_r for every day from 1600 to 2400");
    good = true;
    for (int i = 0; good && i < 200000; i++) { /* xorshift over +-2^40 seconds */
        int64_t t;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        t = (int64_t)(x % (1ULL << 41)) - (1LL << 40);
        if (!utc_as_libc(t)) {
            good = false;
            bad = t;
        }
    }
    if (!good)
        printf("# unlike gmtime_r at %lld\n", (long long)bad);
    ok(good, "clock_utc: as gmtime_r at 200,000 moments over 70,000 years");
    ok(utc_as_libc(INT64_MAX) && utc_as_libc(INT64_MIN),
       "clock_utc: a year past an int fails as gmtime_r does");
}

int main(void)
{
    test_arena_grow();
    test_clock_utc();
    struct arena a;

    arena_init(&a);
    test_utf8();
    test_str();
    test_buf(&a);
    test_json(&a);
    arena_reset(&a);
    test_arena(&a);
    test_arena_keep();
    test_arena_huge();
    test_clock();
    return tap_done();
}
