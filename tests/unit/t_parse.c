/* Unit tests for src/http/parse*.c: one case per failure mode. */
#include <jansson.h>
#include <stdlib.h>
#include <time.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "http/parse.h"
#include "tap.h"

static struct arena A;

#define S(lit) (lit), sizeof(lit) - 1

static int form(const char *p, size_t n, size_t max, struct kv_list *l, struct parse_err *e)
{
    return parse_urlencoded(p, n, max, &A, l, e);
}

static const char *val(const struct kv_list *l, const char *name)
{
    const struct kv *kv = kv_get(l, str_c(name));

    return kv ? kv->value.ptr : NULL;
}

static void test_pct_decode(void)
{
    struct str out;

    is_int(parse_pct_decode(S("a%20b+c"), false, &A, &out), 0, "pct: decodes %20");
    is_mem(out.ptr, out.len, "a b+c", "pct: plus kept without plus_is_space");
    is_int(out.ptr[out.len], 0, "pct: result NUL-terminated");
    is_int(parse_pct_decode(S("a%20b+c"), true, &A, &out), 0, "pct: form mode");
    is_mem(out.ptr, out.len, "a b c", "pct: plus is space in form mode");
    is_int(parse_pct_decode(S("%e2%82%AC"), false, &A, &out), 0, "pct: mixed-case hex");
    is_mem(out.ptr, out.len, "\xe2\x82\xac", "pct: euro sign");
    is_int(parse_pct_decode(S("%zz"), false, &A, &out), E_INVAL, "pct: %zz rejected");
    is_int(parse_pct_decode(S("%"), false, &A, &out), E_INVAL, "pct: lone % rejected");
    is_int(parse_pct_decode(S("ab%4"), false, &A, &out), E_INVAL, "pct: truncated escape");
    is_int(parse_pct_decode(S("%4g"), false, &A, &out), E_INVAL, "pct: second digit bad");
    is_int(parse_pct_decode(S("%+1"), true, &A, &out), E_INVAL, "pct: %+ rejected");
    is_int(parse_pct_decode(S("%00"), false, &A, &out), 0, "pct: %00 decodes");
    is_int(out.len, 1, "pct: %00 is one byte");
    is_int(parse_pct_decode(NULL, 0, false, &A, &out), 0, "pct: empty input");
    is_int(out.len, 0, "pct: empty output");
}

static void test_urlencoded(void)
{
    struct kv_list l;
    struct parse_err e;
    char big[LIMIT_FIELD_NAME + 8];

    is_int(form(S("a=1&b=hello+world&c=%C3%A9"), 64, &l, &e), 0, "form: basic");
    is_int(l.n, 3, "form: three fields");
    is_str(val(&l, "a"), "1", "form: a");
    is_str(val(&l, "b"), "hello world", "form: plus decoded");
    is_str(val(&l, "c"), "\xc3\xa9", "form: utf-8 value");
    ok(e.field == NULL && e.msg == NULL, "form: err cleared on success");
    ok(kv_get(&l, STR_LIT("d")) == NULL, "kv_get: absent is NULL");

    is_int(form(S("&&&a&&=&b=&&"), 64, &l, &e), 0, "form: empty pairs skipped");
    is_int(l.n, 2, "form: two fields from &&&");
    is_str(val(&l, "a"), "", "form: name without = has empty value");
    is_str(val(&l, "b"), "", "form: b= has empty value");

    is_int(form(S("=x&y=1"), 64, &l, &e), 0, "form: empty name");
    is_int(l.n, 1, "form: empty name skipped");
    is_int(form(S("a=1&a=2"), 64, &l, &e), 0, "form: repeated name");
    is_int(l.n, 2, "form: both kept");
    is_str(val(&l, "a"), "1", "form: kv_get gives the first");
    is_int(form(S("a=x=y"), 64, &l, &e), 0, "form: second = is in the value");
    is_str(val(&l, "a"), "x=y", "form: value x=y");
    is_int(form(S("a%3Db=c%26d"), 64, &l, &e), 0, "form: encoded = and &");
    is_str(val(&l, "a=b"), "c&d", "form: decoded after splitting");
    is_int(form(NULL, 0, 64, &l, &e), 0, "form: empty input");
    is_int(l.n, 0, "form: no fields");

    is_int(form(S("a=%zz"), 64, &l, &e), E_INVAL, "form: bad escape in value");
    is_str(e.field, "a", "form: bad escape names the field");
    is_str(e.msg, "bad percent-encoding", "form: bad escape message");
    is_int(form(S("a%=1"), 64, &l, &e), E_INVAL, "form: bad escape in name");
    ok(e.field == NULL, "form: bad name has no field");
    is_int(form(S("x=%C0%AF"), 64, &l, &e), E_INVAL, "form: overlong utf-8");
    is_str(e.field, "x", "form: overlong names the field");
    is_str(e.msg, "invalid UTF-8", "form: utf-8 message");
    is_int(form(S("x=%ED%A0%80"), 64, &l, &e), E_INVAL, "form: surrogate");
    is_int(form(S("x=a%00b"), 64, &l, &e), E_INVAL, "form: NUL in value");
    is_int(form(S("%FF=1"), 64, &l, &e), E_INVAL, "form: bad utf-8 name");
    ok(e.field == NULL, "form: bad utf-8 name has no field");
    is_int(form(S("x=\xff"), 64, &l, &e), E_INVAL, "form: raw bad byte");

    memset(big, 'n', sizeof(big));
    is_int(form(big, LIMIT_FIELD_NAME, 64, &l, &e), 0, "form: name at the limit");
    is_int(form(big, LIMIT_FIELD_NAME + 1, 64, &l, &e), E_INVAL, "form: name too long");
    is_str(e.msg, "field name too long", "form: name too long message");

    is_int(form(S("a&b&c"), 3, &l, &e), 0, "form: at max_fields");
    is_int(form(S("a&b&c&d"), 3, &l, &e), E_TOOBIG, "form: over max_fields");
    is_str(e.msg, "too many fields", "form: too many message");
    is_int(form(S("a&&&&&&&&b"), 2, &l, &e), 0, "form: empty pairs not counted");
    is_int(form(S("a=1"), 64, &l, NULL), 0, "form: err may be NULL");
    is_int(form(S("a=%"), 64, &l, NULL), E_INVAL, "form: err NULL on failure");
}

static void test_media_type(void)
{
    struct str type, v;

    is_int(
        parse_media_type(STR_LIT("Multipart/Form-Data; boundary=xyz"), "boundary", &A, &type, &v),
        0, "media: basic");
    is_str(type.ptr, "multipart/form-data", "media: type lower-cased");
    is_mem(v.ptr, v.len, "xyz", "media: token value");
    is_int(parse_media_type(STR_LIT("text/plain;charset=\"utf-8\" ; BOUNDARY=\"a \\\"q\\\" b\""),
                            "boundary", &A, &type, &v),
           0, "media: quoted value");
    is_mem(v.ptr, v.len, "a \"q\" b", "media: escaped quotes removed");
    is_int(parse_media_type(STR_LIT("text/plain"), "boundary", &A, &type, &v), 0,
           "media: absent param");
    ok(v.len == 0 && v.ptr, "media: absent param is an empty view");
    is_int(parse_media_type(STR_LIT("application/json;"), NULL, &A, &type, NULL), 0,
           "media: trailing ;");
    is_str(type.ptr, "application/json", "media: type without params");
    is_int(parse_media_type(STR_LIT("  text/html ;; a=b  "), "a", &A, &type, &v), 0,
           "media: spaces and empty params");
    is_mem(v.ptr, v.len, "b", "media: value after ;;");
    is_int(parse_media_type(STR_LIT(""), NULL, &A, &type, NULL), E_INVAL, "media: empty");
    is_int(parse_media_type(STR_LIT("text"), NULL, &A, &type, NULL), E_INVAL, "media: no subtype");
    is_int(parse_media_type(STR_LIT("text/"), NULL, &A, &type, NULL), E_INVAL,
           "media: empty subtype");
    is_int(parse_media_type(STR_LIT("te xt/plain"), NULL, &A, &type, NULL), E_INVAL,
           "media: space in type");
    is_int(parse_media_type(STR_LIT("text/plain; a"), NULL, &A, &type, NULL), E_INVAL,
           "media: param without =");
    is_int(parse_media_type(STR_LIT("text/plain; a=\"x"), NULL, &A, &type, NULL), E_INVAL,
           "media: unterminated quote");
    is_int(parse_media_type(STR_LIT("text/plain x"), NULL, &A, &type, NULL), E_INVAL,
           "media: junk after type");
    is_int(parse_media_type(STR_LIT("a/b; boundary=1; boundary=2"), "boundary", &A, &type, &v),
           E_INVAL, "media: duplicate param");
}

struct mp {
    struct part *parts;
    size_t n;
    struct parse_err e;
};

static int mp(const char *body, const char *boundary, struct mp *m)
{
    return parse_multipart(body, strlen(body), str_c(boundary), &A, &m->parts, &m->n, &m->e);
}

static void test_multipart(void)
{
    struct mp m;
    const char *body;
    char buf[8192];
    size_t i, len;

    body = "preamble\r\n--XyZ\r\n"
           "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
           "Hello\r\nworld\r\n"
           "--XyZ\r\n"
           "content-disposition: form-data; name=\"up\"; filename=\"a \\\"b\\\".txt\"\r\n"
           "Content-Type: text/plain \r\n\r\n"
           "\xff\x00\x01\r\n"
           "--XyZ--\r\nepilogue";
    len = strlen(body) + 1 + strlen(body + strlen(body) + 1); /* past the NUL */
    is_int(parse_multipart(body, len, STR_LIT("XyZ"), &A, &m.parts, &m.n, &m.e), 0, "mp: basic");
    is_int(m.n, 2, "mp: two parts");
    is_mem(m.parts[0].name.ptr, m.parts[0].name.len, "title", "mp: first name");
    is_mem(m.parts[0].data.ptr, m.parts[0].data.len, "Hello\r\nworld", "mp: text data");
    ok(!m.parts[0].is_file && m.parts[0].filename.len == 0, "mp: text is not a file");
    ok(m.parts[0].content_type.len == 0, "mp: no content type");
    ok(m.parts[1].is_file, "mp: file part");
    is_mem(m.parts[1].filename.ptr, m.parts[1].filename.len, "a \"b\".txt",
           "mp: filename unescaped");
    is_mem(m.parts[1].content_type.ptr, m.parts[1].content_type.len, "text/plain",
           "mp: content type trimmed");
    is_int(m.parts[1].data.len, 3, "mp: binary data kept");
    ok(m.parts[1].data.ptr > body && m.parts[1].data.ptr + 3 <= body + len,
       "mp: data is a view into the input");

    is_int(mp("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--", "b", &m), 0,
           "mp: no preamble, token name");
    is_mem(m.parts[0].data.ptr, m.parts[0].data.len, "1", "mp: data 1");
    is_int(mp("--b\nContent-Disposition: form-data; name=a\n\nx\n--b  \t\n"
              "Content-Disposition: form-data; name=c\n\n\n--b--",
              "b", &m),
           0, "mp: bare LF and transport padding");
    is_int(m.n, 2, "mp: two LF parts");
    is_mem(m.parts[0].data.ptr, m.parts[0].data.len, "x", "mp: LF data");
    is_int(m.parts[1].data.len, 0, "mp: empty LF data");
    is_int(mp("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n--b--", "b", &m), 0,
           "mp: empty data without its CRLF");
    is_int(m.parts[0].data.len, 0, "mp: empty data");
    is_int(mp("--b\r\nContent-Disposition: form-data; name=a; filename=\"\"\r\n\r\n\r\n--b--", "b",
              &m),
           0, "mp: empty filename");
    ok(m.parts[0].is_file && m.parts[0].filename.len == 0, "mp: empty filename is a file");
    is_int(mp("--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"C:\\dir\\f.txt\"\r\n"
              "\r\nx\r\n--b--",
              "b", &m),
           0, "mp: windows path");
    is_mem(m.parts[0].filename.ptr, m.parts[0].filename.len, "C:\\dir\\f.txt",
           "mp: backslashes kept");
    is_int(mp("--b\r\nX-Other: 1\r\nContent-Disposition: form-data; name=a; x=\"y\"\r\n\r\nv\r\n"
              "--b--",
              "b", &m),
           0, "mp: other headers and params ignored");
    is_int(mp("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--bb\r\n--b--", "b", &m),
           E_INVAL, "mp: boundary followed by junk");

    is_int(mp("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b\r\n", "b", &m),
           E_INVAL, "mp: missing final boundary");
    is_int(mp("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n", "b", &m), E_INVAL,
           "mp: no closing delimiter at all");
    is_str(m.e.msg, "missing final boundary", "mp: final boundary message");
    is_int(mp("no boundary here", "b", &m), E_INVAL, "mp: no boundary");
    is_int(mp("", "b", &m), E_INVAL, "mp: empty body");
    is_int(mp("--b--", "", &m), E_INVAL, "mp: empty boundary");
    is_int(mp("--b --", "b ", &m), E_INVAL, "mp: boundary ending in space");
    is_int(mp("--b\"--", "b\"", &m), E_INVAL, "mp: boundary with a quote");
    is_int(mp("--b--", "b", &m), 0, "mp: zero parts");
    is_int(m.n, 0, "mp: n is 0");
    is_int(mp("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "b", &m), E_INVAL,
           "mp: no content-disposition");
    is_str(m.e.msg, "part without a name", "mp: no name message");
    is_int(mp("--b\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--b--", "b", &m),
           E_INVAL, "mp: empty name");
    is_int(mp("--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--", "b", &m), E_INVAL,
           "mp: form-data without name");
    is_int(mp("--b\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--b--", "b", &m), E_INVAL,
           "mp: not form-data");
    is_int(mp("--b\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--b--", "b", &m),
           E_INVAL, "mp: duplicate name");
    is_int(mp("--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--", "b", &m),
           E_INVAL, "mp: unterminated quote");
    is_int(mp("--b\r\nContent-Disposition form-data; name=a\r\n\r\nx\r\n--b--", "b", &m), E_INVAL,
           "mp: header without colon");
    is_int(mp("--b\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\nx\r\n--b--", "b", &m),
           E_INVAL, "mp: folded header");
    is_int(mp("--b\r\nContent-Disposition: form-data; name=a\r\n", "b", &m), E_INVAL,
           "mp: unterminated headers");
    is_int(mp("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n\xc0\xaf\r\n--b--", "b", &m),
           E_INVAL, "mp: overlong utf-8 in text part");
    is_str(m.e.field, "a", "mp: utf-8 error names the field");
    is_int(mp("--b\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\nx\r\n--b--", "b", &m),
           E_INVAL, "mp: bad utf-8 name");
    ok(m.e.field == NULL, "mp: bad name has no field");
    is_int(mp("--b\r\nContent-Disposition: form-data; name=a; filename=\"\xed\xa0\x80\"\r\n\r\n"
              "x\r\n--b--",
              "b", &m),
           E_INVAL, "mp: surrogate in filename");
    is_int(mp("--b\r\nContent-Disposition: form-data; name=a; filename=f\r\n\r\n\xc0\xaf\r\n--b--",
              "b", &m),
           0, "mp: file data is not checked");

    /* limits */
    len = 0;
    for (i = 0; i < LIMIT_MULTIPART_HDRS; i++)
        len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%sX-H: %zu\r\n",
                                i ? "" : "--b\r\nContent-Disposition: form-data; name=a\r\n", i);
    len += (size_t)snprintf(buf + len, sizeof(buf) - len, "\r\nv\r\n--b--");
    is_int(mp(buf, "b", &m), E_TOOBIG, "mp: too many headers");
    is_str(m.e.msg, "too many part headers", "mp: too many headers message");
    len = 0;
    for (i = 0; i < LIMIT_MULTIPART_PARTS; i++)
        len += (size_t)snprintf(buf + len, sizeof(buf) - len,
                                "--b\r\nContent-Disposition: form-data; name=p%zu\r\n\r\n%zu\r\n",
                                i, i);
    len += (size_t)snprintf(buf + len, sizeof(buf) - len, "--b--");
    is_int(mp(buf, "b", &m), 0, "mp: parts at the limit");
    is_int(m.n, LIMIT_MULTIPART_PARTS, "mp: all parts");
    is_mem(m.parts[63].name.ptr, m.parts[63].name.len, "p63", "mp: last part name");
    is_mem(m.parts[63].data.ptr, m.parts[63].data.len, "63", "mp: last part data");
    snprintf(buf + len - 5, sizeof(buf) - len + 5,
             "--b\r\nContent-Disposition: form-data; name=x\r\n\r\n\r\n--b--");
    is_int(mp(buf, "b", &m), E_TOOBIG, "mp: one part too many");
    is_str(m.e.msg, "too many parts", "mp: too many parts message");
    memset(buf, 'n', LIMIT_BOUNDARY + 1);
    is_int(parse_multipart(S("--b--"), str_make(buf, LIMIT_BOUNDARY + 1), &A, &m.parts, &m.n, &m.e),
           E_INVAL, "mp: boundary over the limit");
    memcpy(buf, "--", 2);
    memset(buf + 2, 'n', LIMIT_BOUNDARY);
    memcpy(buf + 2 + LIMIT_BOUNDARY, "--", 2);
    is_int(parse_multipart(buf, LIMIT_BOUNDARY + 4, str_make(buf + 2, LIMIT_BOUNDARY), &A, &m.parts,
                           &m.n, &m.e),
           0, "mp: boundary at the limit");
}

/*
 * Hostile inputs must cost time linear in their size: a body full of near
 * delimiters, and one full of '&'. A quadratic scan of 4 MiB takes minutes.
 */
static void test_linear(void)
{
    size_t n = 4 << 20, i;
    char *big = malloc(n);
    struct part *parts;
    size_t nparts;
    struct kv_list l;
    clock_t t0 = clock();

    for (i = 0; i + 6 <= n; i += 6)
        memcpy(big + i, "\n--XyZ", 6);
    memset(big + i, '\n', n - i);
    is_int(parse_multipart(big, n, STR_LIT("XyZZ"), &A, &parts, &nparts, NULL), E_INVAL,
           "linear: near delimiters");
    memset(big, '&', n);
    is_int(parse_urlencoded(big, n, 64, &A, &l, NULL), 0, "linear: only ampersands");
    is_int(parse_cookies(big, n, &A, &l), 0, "linear: cookie of ampersands");
    ok((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0, "linear: hostile inputs are fast");
    free(big);
}

static void test_cookies(void)
{
    struct kv_list l;
    char big[2048];
    size_t i, len = 0;

    is_int(parse_cookies(S("a=1; b=\"two\";c=3 ;  d = 4 "), &A, &l), 0, "cookie: basic");
    is_int(l.n, 4, "cookie: four");
    is_str(val(&l, "a"), "1", "cookie: a");
    is_str(val(&l, "b"), "two", "cookie: quotes stripped");
    is_str(val(&l, "c"), "3", "cookie: trailing space");
    is_str(val(&l, "d"), "4", "cookie: spaces around =");
    is_int(parse_cookies(S("x; =v; a b=1; ok=%41; e=; q=\"; t=a\tb; u=\xc0\xaf; w=\x01"), &A, &l),
           0, "cookie: malformed skipped");
    is_int(l.n, 3, "cookie: good ones kept");
    is_str(val(&l, "ok"), "%41", "cookie: not percent-decoded");
    is_str(val(&l, "e"), "", "cookie: empty value");
    is_str(val(&l, "q"), "\"", "cookie: lone quote kept");
    ok(kv_get(&l, STR_LIT("t")) == NULL, "cookie: tab inside value skipped");
    ok(kv_get(&l, STR_LIT("u")) == NULL, "cookie: bad utf-8 skipped");
    is_int(parse_cookies(S(";;;"), &A, &l), 0, "cookie: only separators");
    is_int(l.n, 0, "cookie: none");
    is_int(parse_cookies(NULL, 0, &A, &l), 0, "cookie: empty header");
    is_int(parse_cookies(S("s=1; s=2"), &A, &l), 0, "cookie: duplicate");
    is_str(val(&l, "s"), "1", "cookie: first wins");
    for (i = 0; i < LIMIT_COOKIES + 10; i++)
        len += (size_t)snprintf(big + len, sizeof(big) - len, "c%zu=%zu;", i, i);
    is_int(parse_cookies(big, len, &A, &l), 0, "cookie: many");
    is_int(l.n, LIMIT_COOKIES, "cookie: stops at the limit");
    memset(big, 'n', LIMIT_FIELD_NAME + 1);
    memcpy(big + LIMIT_FIELD_NAME + 1, "=1; a=2", 7);
    is_int(parse_cookies(big, LIMIT_FIELD_NAME + 8, &A, &l), 0, "cookie: long name");
    is_int(l.n, 1, "cookie: long name skipped");
}

static void test_json(void)
{
    struct json_t *j;
    struct parse_err e;
    char deep[200];
    int i;

    is_int(parse_json(S("{\"a\": [1, 2, {\"b\": \"\\u00e9\"}]}"), &A, &j, &e), 0, "json: basic");
    ok(j && json_is_object(j), "json: object");
    is_int(json_array_size(json_object_get(j, "a")), 3, "json: array of three");
    is_int(parse_json(S("42"), &A, &j, &e), 0, "json: scalar at top");
    is_int(json_integer_value(j), 42, "json: 42");
    is_int(parse_json(S(""), &A, &j, &e), E_INVAL, "json: empty");
    is_str(e.msg, "empty body", "json: empty message");
    is_int(parse_json(S(" \r\n\t"), &A, &j, &e), E_INVAL, "json: whitespace only");
    ok(j == NULL, "json: out NULL on failure");
    is_int(parse_json(S("{\"a\":1,\"a\":2}"), &A, &j, &e), E_INVAL, "json: duplicate keys");
    ok(e.msg && strstr(e.msg, "line 1, column") == e.msg, "json: message has line and column");
    ok(e.msg && strstr(e.msg, "duplicate"), "json: message has jansson's text");
    is_int(parse_json(S("{\"a\":\"\\u0000\"}"), &A, &j, &e), E_INVAL, "json: \\u0000 rejected");
    is_int(parse_json(S("[\"\\ud800\"]"), &A, &j, &e), E_INVAL, "json: lone surrogate");
    is_int(parse_json(S("[\"\xc0\xaf\"]"), &A, &j, &e), E_INVAL, "json: overlong utf-8");
    is_int(parse_json(S("{} x"), &A, &j, &e), E_INVAL, "json: trailing garbage");
    is_int(parse_json(S("{}\n"), &A, &j, &e), 0, "json: trailing whitespace fine");
    is_int(parse_json(S("[1,"), &A, &j, &e), E_INVAL, "json: truncated");
    is_int(parse_json(S("[\"\x01\"]"), &A, &j, &e), E_INVAL, "json: control char");
    ok(e.msg && !strchr(e.msg, '\x01'), "json: message has no control chars");
    is_int(parse_json("[1]\0", 4, &A, &j, &e), E_INVAL, "json: NUL after value");

    for (i = 0; i < LIMIT_JSON_DEPTH; i++) {
        deep[i] = '[';
        deep[2 * LIMIT_JSON_DEPTH - 1 - i] = ']';
    }
    is_int(parse_json(deep, 2 * LIMIT_JSON_DEPTH, &A, &j, &e), 0, "json: depth at the limit");
    for (i = 0; i <= LIMIT_JSON_DEPTH; i++) {
        deep[i] = '[';
        deep[2 * LIMIT_JSON_DEPTH + 1 - i] = ']';
    }
    is_int(parse_json(deep, 2 * LIMIT_JSON_DEPTH + 2, &A, &j, &e), E_INVAL, "json: one too deep");
    is_str(e.msg, "nesting too deep", "json: depth message");
    for (i = 0; i < 40; i++)
        memcpy(deep + 5 * i, "{\"a\":", 5);
    deep[200 - 1] = '\0';
    is_int(parse_json(deep, 200, &A, &j, &e), E_INVAL, "json: objects 40 deep, truncated");
}

static void test_json_lifetime(void)
{
    struct json_t *j;
    struct parse_err e;

    is_int(parse_json(S("{\"k\":[true]}"), &A, &j, &e), 0, "json: parsed for lifetime");
    json_incref(j);
    arena_reset(&A);
    is_int(j->refcount, 1, "json: arena reset dropped its reference");
    json_decref(j);
}

int main(void)
{
    arena_init(&A);
    test_pct_decode();
    test_urlencoded();
    test_media_type();
    test_multipart();
    test_cookies();
    test_json();
    test_linear();
    arena_reset(&A);
    test_json_lifetime();
    arena_release(&A);
    return tap_done();
}
