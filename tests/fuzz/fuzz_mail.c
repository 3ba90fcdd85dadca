/*
 * Mail: the unsubscribe token from a link (outside input), and the MIME
 * encoders that outside text goes through. The first byte picks:
 *   0  mail_token_check(): a token it accepts is the one mail_token_make()
 *      writes for the person and category it names;
 *   1  mime_header_text() on the rest: refused (E_INVAL), or one header
 *      whose lines end in CRLF, hold only printable ASCII and are at most
 *      78 long, so no input adds a header of its own;
 *   2  mime_qp_append(): lines of 76 at most, printable ASCII, tabs and
 *      CRLF only, decoding back to the input with its line ends as CRLF;
 *   3  mime_header_addr() with the rest as the display name: as for 1.
 *
 * fuzz-src: src/feature/mail/mime.c src/feature/mail/token.c src/feature/mail/category.c
 * fuzz-pkg: libsodium
 */
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "feature/mail/mail_int.h"
#include "feature/mail/mime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena arena; /* all zero is the state arena_init() gives */

/*
 * Every line ends in CRLF, holds printable ASCII only (and tabs, where tab
 * says they may stand: quoted-printable keeps those inside a line) and is
 * at most max long.
 */
static void check_lines(struct str s, size_t max, bool tab)
{
    size_t col = 0;

    ASSERT(s.len >= 2 && s.ptr[s.len - 2] == '\r' && s.ptr[s.len - 1] == '\n');
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];

        if (c == '\r') {
            ASSERT(i + 1 < s.len && s.ptr[i + 1] == '\n');
            ASSERT(col <= max);
            col = 0;
            i++;
            continue;
        }
        ASSERT((c >= 0x20 && c < 0x7f) || (tab && c == '\t'));
        col++;
    }
}

/* A header is one logical line: every line after the first starts with white space. */
static void check_header(struct str s)
{
    check_lines(s, 78, false);
    for (size_t i = 0; i + 2 < s.len; i++)
        if (s.ptr[i] == '\r')
            ASSERT(s.ptr[i + 2] == ' ');
}

static int hex(char c)
{
    return c <= '9' ? c - '0' : c - 'A' + 10;
}

static void check_qp(struct str in, struct str out)
{
    struct buf want, got;

    check_lines(out, 76, true);
    buf_init(&want, &arena, 4 * in.len + 8);
    buf_init(&got, &arena, 4 * in.len + 8);
    /* What the text says, with its line ends (LF or CRLF) as CRLF, and a last one. */
    for (size_t i = 0; i < in.len; i++) {
        if (in.ptr[i] == '\r' && i + 1 < in.len && in.ptr[i + 1] == '\n')
            continue;
        if (in.ptr[i] == '\n')
            BUF_LIT(&want, "\r\n");
        else
            buf_putc(&want, in.ptr[i]);
    }
    if (!in.len || in.ptr[in.len - 1] != '\n')
        BUF_LIT(&want, "\r\n");
    for (size_t i = 0; i < out.len; i++) {
        if (out.ptr[i] == '=' && out.ptr[i + 1] == '\r') {
            i += 2;
        } else if (out.ptr[i] == '=') {
            buf_putc(&got, (char)(hex(out.ptr[i + 1]) << 4 | hex(out.ptr[i + 2])));
            i += 2;
        } else {
            buf_putc(&got, out.ptr[i]);
        }
    }
    ASSERT(got.len == want.len && memcmp(got.ptr, want.ptr, got.len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char key[MAIL_KEY_BYTES] = "a fixed key for the fuzzer.....";
    struct str in;
    struct buf out;
    int rc;

    if (size < 1 || size > 4096)
        return 0;
    if (sodium_init() < 0)
        abort();
    in = str_make((const char *)data + 1, size - 1);
    buf_init(&out, &arena, 64 * 1024);
    switch (data[0] % 4) {
    case 0: {
        int64_t id = 0;
        enum mail_category c = MAIL_ACCOUNT;
        char again[MAIL_TOKEN_MAX];

        if (mail_token_check(key, in, &id, &c) == 0) {
            ASSERT(id > 0 && c > MAIL_ACCOUNT && c < MAIL_CATEGORY__MAX);
            mail_token_make(key, id, c, again);
            ASSERT(strlen(again) == in.len && memcmp(again, in.ptr, in.len) == 0);
        }
        break;
    }
    case 1:
        rc = mime_header_text(&out, "Subject", in);
        ASSERT(rc == 0 || rc == E_INVAL);
        if (rc == 0)
            check_header(buf_str(&out));
        break;
    case 2:
        ASSERT(mime_qp_append(&out, in) == 0);
        check_qp(in, buf_str(&out));
        break;
    default: {
        struct mime_addr a = {in, STR_LIT("someone@example.org")};

        rc = mime_header_addr(&out, "To", &a);
        ASSERT(rc == 0 || rc == E_INVAL);
        if (rc == 0)
            check_header(buf_str(&out));
        break;
    }
    }
    arena_reset(&arena);
    return 0;
}
