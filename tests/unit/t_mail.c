/*
 * Mail as pure code: MIME composition (quoted-printable, base64, encoded
 * words, folding, CRLF, the 998-octet limit, header injection), the
 * unsubscribe tokens and the mail layout's two templates.
 */
#include <sodium.h>
#include <stdlib.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/utf8.h"
#include "feature/mail/mail_int.h"
#include "feature/mail/mime.h"
#include "feature/mail/views.h"
#include "tap.h"

static struct arena arena;

static struct str s(const char *c)
{
    return str_c(c);
}

static struct buf fresh(void)
{
    struct buf b;

    buf_init(&b, &arena, (size_t)16 * 1024 * 1024);
    return b;
}

/* Whether every line of b ends in CRLF and none is longer than max octets. */
static bool lines_ok(struct str b, size_t max)
{
    size_t start = 0;

    if (b.len < 2 || b.ptr[b.len - 2] != '\r' || b.ptr[b.len - 1] != '\n')
        return false;
    for (size_t i = 0; i < b.len; i++) {
        if (b.ptr[i] == '\r' && (i + 1 == b.len || b.ptr[i + 1] != '\n'))
            return false;
        if (b.ptr[i] == '\n') {
            if (i == 0 || b.ptr[i - 1] != '\r' || i - 1 - start > max)
                return false;
            start = i + 1;
        }
    }
    return true;
}

static bool contains(struct str hay, const char *needle)
{
    size_t n = strlen(needle);

    for (size_t i = 0; i + n <= hay.len; i++)
        if (memcmp(hay.ptr + i, needle, n) == 0)
            return true;
    return false;
}

static size_t find(struct str hay, const char *needle)
{
    size_t n = strlen(needle);

    for (size_t i = 0; i + n <= hay.len; i++)
        if (memcmp(hay.ptr + i, needle, n) == 0)
            return i;
    return (size_t)-1;
}

/* Quoted-printable back to bytes, CRLF line ends becoming \n: the round trip's other half. */
static struct str qp_decode(struct str in)
{
    char *out = arena_alloc(&arena, in.len + 1);
    size_t k = 0;

    for (size_t i = 0; i < in.len; i++) {
        if (in.ptr[i] == '=' && i + 2 < in.len && in.ptr[i + 1] == '\r' && in.ptr[i + 2] == '\n') {
            i += 2;
        } else if (in.ptr[i] == '=' && i + 2 < in.len) {
            out[k++] = (char)(hex_value(in.ptr[i + 1]) << 4 | hex_value(in.ptr[i + 2]));
            i += 2;
        } else if (in.ptr[i] == '\r' && i + 1 < in.len && in.ptr[i + 1] == '\n') {
            out[k++] = '\n';
            i++;
        } else {
            out[k++] = in.ptr[i];
        }
    }
    out[k] = '\0';
    return str_make(out, k);
}

/* text and a newline: what decoding gives back, the last line having its line end too. */
static const char *nl(const char *text)
{
    size_t n = strlen(text);
    char *out = arena_alloc(&arena, n + 2);

    memcpy(out, text, n);
    out[n] = '\n';
    out[n + 1] = '\0';
    return out;
}

static struct str qp(const char *text)
{
    struct buf b = fresh();

    mime_qp_append(&b, s(text));
    return buf_str(&b);
}

static void quoted_printable(void)
{
    struct buf b;
    char *long_line, *eq_line;
    struct str out;

    is_str(qp("plain text").ptr, "plain text\r\n", "plain ASCII passes as it is");
    is_str(qp("a=b").ptr, "a=3Db\r\n", "'=' is escaped");
    is_str(qp("end \nnext").ptr, "end=20\r\nnext\r\n", "a trailing space is escaped");
    is_str(qp("tab\t\n").ptr, "tab=09\r\n", "a trailing tab is escaped");
    is_str(qp("in the middle").ptr, "in the middle\r\n", "inner spaces are not");
    is_str(qp("café").ptr, "caf=C3=A9\r\n", "non-ASCII bytes are escaped");
    is_str(qp("a\r\nb\n").ptr, "a\r\nb\r\n", "CRLF and LF both end a line, once");
    is_str(qp("a\rb").ptr, "a=0Db\r\n", "a bare CR is escaped, not a line end");
    is_str(qp(".\n.hidden").ptr, "=2E\r\n=2Ehidden\r\n", "a dot starting a line is escaped");
    is_str(qp("From me\nnot From").ptr, "=46rom me\r\nnot From\r\n", "so is From at a start");
    is_str(qp("").ptr, "\r\n", "nothing is one empty line");
    is_str(qp("a\n\nb\n").ptr, "a\r\n\r\nb\r\n", "empty lines stay");

    long_line = arena_alloc(&arena, 5001);
    memset(long_line, 'x', 5000);
    long_line[5000] = '\0';
    out = qp(long_line);
    ok(lines_ok(out, 76), "a 5000-character line is split into lines of 76 at most");
    ok(contains(out, "=\r\n"), "with soft breaks");
    is_str(qp_decode(out).ptr, nl(long_line), "which decode back to the line");

    /* An escape must not be cut by a soft break: 74 x then '=' makes =3D at column 75. */
    eq_line = arena_alloc(&arena, 200);
    memset(eq_line, 'x', 74);
    memcpy(eq_line + 74, "=é==", sizeof("=é=="));
    out = qp(eq_line);
    ok(lines_ok(out, 76), "escapes near the limit keep lines at 76");
    is_str(qp_decode(out).ptr, nl(eq_line), "and decode back whole");
    ok(!contains(out, "=\r\n3D") && !contains(out, "=3\r\n"), "no escape is split");

    /* A line of exactly 76 fits with no soft break; 77 needs one. */
    memset(eq_line, 'y', 76);
    eq_line[76] = '\0';
    is_int(qp(eq_line).len, 78, "76 characters make one line");
    eq_line[76] = 'y';
    eq_line[77] = '\0';
    ok(contains(qp(eq_line), "=\r\n"), "77 make two");
    /* Trailing space at the very limit is still escaped and still fits. */
    memset(eq_line, 'z', 75);
    eq_line[75] = ' ';
    eq_line[76] = '\0';
    out = qp(eq_line);
    ok(lines_ok(out, 76) && qp_decode(out).len == 77, "a space at the limit survives");

    /* Every byte value, in lines of all lengths, comes back. */
    b = fresh();
    for (int i = 0; i < 256; i++) {
        char c = (char)i;

        if (c != '\n' && c != '\r')
            buf_putc(&b, c);
        if (i % 37 == 0)
            buf_putc(&b, '\n');
    }
    buf_putc(&b, '\n');
    {
        struct buf enc = fresh();

        mime_qp_append(&enc, buf_str(&b));
        ok(lines_ok(buf_str(&enc), 76), "any bytes give short CRLF lines");
        ok(qp_decode(buf_str(&enc)).len == b.len &&
               memcmp(qp_decode(buf_str(&enc)).ptr, b.ptr, b.len) == 0,
           "and come back byte for byte");
        for (size_t i = 0; i < enc.len; i++)
            if ((unsigned char)enc.ptr[i] > 126) {
                ok(0, "only ASCII is written");
                break;
            }
    }
}

static void base64(void)
{
    struct buf b = fresh();
    unsigned char raw[300], back[300];
    size_t got = 0;
    char *flat;
    size_t k = 0;

    for (size_t i = 0; i < sizeof(raw); i++)
        raw[i] = (unsigned char)(i * 7 + 3);
    mime_base64_append(&b, str_make((const char *)raw, sizeof(raw)));
    ok(lines_ok(buf_str(&b), 76), "base64 lines of 76 at most, CRLF");
    is_int(find(buf_str(&b), "\r\n"), 76, "full lines are 76");
    flat = arena_alloc(&arena, b.len + 1);
    for (size_t i = 0; i < b.len; i++)
        if (b.ptr[i] != '\r' && b.ptr[i] != '\n')
            flat[k++] = b.ptr[i];
    ok(sodium_base642bin(back, sizeof(back), flat, k, NULL, &got, NULL,
                         sodium_base64_VARIANT_ORIGINAL) == 0 &&
           got == sizeof(raw) && memcmp(back, raw, got) == 0,
       "and decode back");
    b = fresh();
    mime_base64_append(&b, s("ab"));
    is_str(b.ptr, "YWI=\r\n", "padding for a short tail");
}

static struct str header_text(const char *name, const char *value, int *rc)
{
    struct buf b = fresh();

    *rc = mime_header_text(&b, name, s(value));
    return buf_str(&b);
}

/* The encoded-words of a header value decoded and joined, as a reader would. */
static struct str words_decode(struct str h)
{
    struct buf out = fresh();
    size_t i = 0;

    for (;;) {
        size_t at = find(str_make(h.ptr + i, h.len - i), "=?UTF-8?B?"), start, end;
        unsigned char bin[100];
        size_t got = 0;

        if (at == (size_t)-1)
            break;
        start = i + at + 10;
        end = find(str_make(h.ptr + start, h.len - start), "?=");
        if (end == (size_t)-1)
            return STR_NULL;
        end += start;
        if (sodium_base642bin(bin, sizeof(bin), h.ptr + start, end - start, NULL, &got, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0)
            return STR_NULL;
        buf_append(&out, bin, got);
        i = end + 2;
    }
    return buf_str(&out);
}

/* Every encoded-word of h is at most 75 characters and holds whole UTF-8 characters. */
static bool words_ok(struct str h)
{
    size_t i = 0;

    while (i < h.len) {
        size_t at = find(str_make(h.ptr + i, h.len - i), "=?UTF-8?B?");
        size_t start, end;
        unsigned char bin[100];
        size_t got = 0;

        if (at == (size_t)-1)
            return true;
        start = i + at + 10;
        end = find(str_make(h.ptr + start, h.len - start), "?=");
        if (end == (size_t)-1)
            return false;
        end += start;
        if (end + 2 - (i + at) > 75)
            return false;
        if (sodium_base642bin(bin, sizeof(bin), h.ptr + start, end - start, NULL, &got, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0 ||
            !utf8_valid((const char *)bin, got))
            return false;
        i = end + 2;
    }
    return true;
}

/* A folded header unfolded: CRLF before white space removed. */
static struct str unfold(struct str h)
{
    char *out = arena_alloc(&arena, h.len + 1);
    size_t k = 0;

    for (size_t i = 0; i < h.len; i++) {
        if (h.ptr[i] == '\r' && i + 2 < h.len && h.ptr[i + 1] == '\n' && h.ptr[i + 2] == ' ') {
            i++;
            continue;
        }
        out[k++] = h.ptr[i];
    }
    out[k] = '\0';
    return str_make(out, k);
}

static void headers(void)
{
    struct str h;
    int rc;
    const char *long_ascii = "A rather long subject line that goes on and on about the next "
                             "meeting of the community and what we will talk about there";
    const char *long_utf8 = "Réunion mensuelle de la communauté : ordre du jour, lieu, heure, "
                            "et les ressources partagées après la séance — 日本語も少し";

    h = header_text("Subject", "Hello there", &rc);
    is_int(rc, 0, "a plain subject");
    is_str(h.ptr, "Subject: Hello there\r\n", "written as it is");

    h = header_text("Subject", "Réunion", &rc);
    is_str(h.ptr, "Subject: =?UTF-8?B?UsOpdW5pb24=?=\r\n", "non-ASCII as an encoded-word");

    h = header_text("Subject", long_utf8, &rc);
    is_int(rc, 0, "a long non-ASCII subject");
    ok(lines_ok(h, 76), "folded into lines of 76 at most");
    ok(words_ok(h), "words of 75 at most, whole characters each");
    is_str(words_decode(h).ptr, long_utf8, "decoding gives it back");

    h = header_text("Subject", long_ascii, &rc);
    ok(lines_ok(h, 78), "a long ASCII subject is folded at 78");
    is_str(unfold(h).ptr,
           "Subject: A rather long subject line that goes on and on about the next meeting of "
           "the community and what we will talk about there\r\n",
           "and unfolds back");
    h = header_text("Subject", "two  spaces", &rc);
    is_str(h.ptr, "Subject: two  spaces\r\n", "runs of spaces survive");
    h = header_text("Subject", "looks =?like?= a word", &rc);
    ok(contains(h, "=?UTF-8?B?"), "text that looks like an encoded-word is encoded");

    header_text("Subject", "Hi\r\nBcc: victim@example.org", &rc);
    is_int(rc, E_INVAL, "CR LF in a subject is refused");
    header_text("Subject", "Hi\nBcc: victim@example.org", &rc);
    is_int(rc, E_INVAL, "a bare LF too");
    header_text("Subject", "Hi\rthere", &rc);
    is_int(rc, E_INVAL, "a bare CR too");
    header_text("Subject", "bell\a", &rc);
    is_int(rc, E_INVAL, "other controls too");
    header_text("Subject", "caf\xe9", &rc);
    is_int(rc, E_INVAL, "invalid UTF-8 too");
    header_text("Subject", "next\xc2\x85line", &rc);
    is_int(rc, E_INVAL, "and the C1 next-line");
}

static struct str header_addr(const char *name, const char *addr, int *rc)
{
    struct buf b = fresh();
    struct mime_addr a = {s(name), s(addr)};

    *rc = mime_header_addr(&b, "To", &a);
    return buf_str(&b);
}

static void addresses(void)
{
    struct str h;
    int rc;

    ok(mime_addr_ok(s("ann.lee+x@example.org")), "a plain address");
    ok(!mime_addr_ok(s("ann lee@example.org")), "a space is refused");
    ok(!mime_addr_ok(s("ann@example.org>")), "an angle bracket is refused");
    ok(!mime_addr_ok(s("ann@exa@mple.org")), "two @ are refused");
    ok(!mime_addr_ok(s("annexample.org")), "no @ is refused");
    ok(!mime_addr_ok(s("ann@example.org\r\nBcc: x@y.z")), "CR LF is refused");
    ok(!mime_addr_ok(s("zoë@example.org")), "non-ASCII is refused");
    ok(!mime_addr_ok(s("\"ann\"@example.org")), "quotes are refused");

    h = header_addr("Ann Lee", "ann@example.org", &rc);
    is_str(h.ptr, "To: Ann Lee <ann@example.org>\r\n", "a plain name");
    h = header_addr("", "ann@example.org", &rc);
    is_str(h.ptr, "To: <ann@example.org>\r\n", "no name");
    h = header_addr("Lee, Ann", "ann@example.org", &rc);
    is_str(h.ptr, "To: \"Lee, Ann\" <ann@example.org>\r\n", "specials make a quoted-string");
    h = header_addr("Ann \"the\" Lee\\", "ann@example.org", &rc);
    is_str(h.ptr, "To: \"Ann \\\"the\\\" Lee\\\\\" <ann@example.org>\r\n",
           "quotes and backslashes are escaped in it");
    h = header_addr("Zoë Ångström", "zoe@example.org", &rc);
    is_str(h.ptr, "To: =?UTF-8?B?Wm/DqyDDhW5nc3Ryw7Zt?= <zoe@example.org>\r\n",
           "non-ASCII as an encoded-word");
    h = header_addr("Ann\r\nBcc: victim@example.org", "ann@example.org", &rc);
    is_int(rc, E_INVAL, "CR LF in a name is refused");
    header_addr("Ann", "ann@example.org\r\nBcc: victim@example.org", &rc);
    is_int(rc, E_INVAL, "and in an address");
    h = header_addr("Émilie-Françoise de la Tour d'Auvergne et des Pays Lointains du Nord",
                    "emilie@example.org", &rc);
    ok(lines_ok(h, 78) && words_ok(h), "a long encoded name is folded");
}

static void attachment_msg(struct mime_message *m, struct mime_attachment *att)
{
    memset(m, 0, sizeof(*m));
    m->from = (struct mime_addr){s("Praxis Lab"), s("praxis@example.org")};
    m->to = (struct mime_addr){s("Zoë"), s("zoe@example.org")};
    m->subject = s("Rappel : réunion");
    m->message_id = s("abc123@example.org");
    m->date = 1733391180;
    m->text = s("Hello.\nSee you.\n");
    m->html = s("<p>Hello.</p>");
    m->boundary = s("seed0123abcd");
    att->filename = s("event.ics");
    att->content_type = s("text/calendar; method=REQUEST; charset=UTF-8");
    att->data = s("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
}

static struct str compose(const struct mime_message *m, int *rc)
{
    struct buf b = fresh();

    *rc = mime_compose(&b, m);
    return buf_str(&b);
}

static void messages(void)
{
    struct mime_message m;
    struct mime_attachment att, bad;
    struct str out;
    char date[MIME_DATE_MAX];
    int rc;

    mime_date(0, date);
    is_str(date, "Thu, 01 Jan 1970 00:00:00 +0000", "the epoch in RFC 5322 form");
    mime_date(1733391180, date);
    is_str(date, "Thu, 05 Dec 2024 09:33:00 +0000", "a later date");

    attachment_msg(&m, &att);
    out = compose(&m, &rc);
    is_int(rc, 0, "text and HTML");
    ok(lines_ok(out, 78), "every line CRLF, none over 78");
    ok(contains(out, "Date: Thu, 05 Dec 2024 09:33:00 +0000\r\n"), "Date");
    ok(contains(out, "Message-ID: <abc123@example.org>\r\n"), "Message-ID in angle brackets");
    ok(contains(out, "MIME-Version: 1.0\r\n"), "MIME-Version");
    ok(contains(out, "From: Praxis Lab <praxis@example.org>\r\n"), "From");
    ok(contains(out, "To: =?UTF-8?B?Wm/Dqw==?= <zoe@example.org>\r\n"), "To, encoded");
    ok(contains(out, "Content-Type: multipart/alternative;\r\n boundary=\"=_alt_seed0123abcd\""),
       "multipart/alternative");
    ok(find(out, "text/plain") < find(out, "text/html"), "text before HTML");
    ok(!contains(out, "List-Unsubscribe"), "no unsubscribe without a URL");
    ok(find(out, "\r\n\r\n") > find(out, "Subject:"), "headers end before the body");

    m.unsubscribe = s("https://cop.example.org/unsubscribe/42.reminders.abc");
    out = compose(&m, &rc);
    ok(contains(out, "\r\nList-Unsubscribe: <https://cop.example.org/unsubscribe/"
                     "42.reminders.abc>\r\n"),
       "List-Unsubscribe with the URL, on one line");
    ok(contains(out, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"),
       "and the one-click header");

    m.att = &att;
    m.natt = 1;
    out = compose(&m, &rc);
    is_int(rc, 0, "with an attachment");
    ok(lines_ok(out, 78), "still CRLF and short");
    ok(contains(out, "Content-Type: multipart/mixed;\r\n boundary=\"=_mix_seed0123abcd\""),
       "multipart/mixed around it");
    ok(find(out, "multipart/mixed") < find(out, "multipart/alternative") &&
           find(out, "multipart/alternative") < find(out, "text/calendar"),
       "the alternative first, then the attachment");
    ok(contains(out, "Content-Type: text/calendar; method=REQUEST; charset=UTF-8;\r\n "
                     "name=\"event.ics\""),
       "the calendar's type");
    ok(contains(out, "Content-Disposition: attachment;\r\n filename=\"event.ics\""),
       "as an attachment with its filename");
    ok(contains(out, "QkVHSU46VkNBTEVOREFSDQpFTkQ6VkNBTEVOREFSDQo=\r\n"), "in base64");
    ok(contains(out, "\r\n--=_mix_seed0123abcd--\r\n"), "the outer part closes");

    /* Content that mimics a boundary cannot end a part: quoted-printable escapes its '='. */
    m.text = s("--=_alt_seed0123abcd--\n");
    out = compose(&m, &rc);
    ok(contains(out, "--=3D_alt_seed0123abcd--\r\n"), "a boundary in the text is escaped");

    /* A body of one enormous line still leaves in short lines. */
    {
        char *huge = arena_alloc(&arena, 20001);

        memset(huge, 'w', 20000);
        huge[20000] = '\0';
        m.text = s(huge);
        m.html = s(huge);
        out = compose(&m, &rc);
        ok(rc == 0 && lines_ok(out, 998), "no line over 998 octets, whatever the body");
    }

    m.html = STR_NULL;
    m.natt = 0;
    m.text = s("Only text.");
    out = compose(&m, &rc);
    ok(contains(out, "Content-Type: text/plain; charset=UTF-8\r\n"
                     "Content-Transfer-Encoding: quoted-printable\r\n"),
       "text alone is one text/plain part");
    ok(!contains(out, "multipart"), "with no multipart");

    /* Nothing from outside may add a header. */
    attachment_msg(&m, &att);
    m.subject = s("Hi\r\nBcc: victim@example.org");
    compose(&m, &rc);
    is_int(rc, E_INVAL, "a subject with CR LF is refused");
    attachment_msg(&m, &att);
    m.to.name = s("Zoë\nBcc: victim@example.org");
    compose(&m, &rc);
    is_int(rc, E_INVAL, "a name with LF is refused");
    attachment_msg(&m, &att);
    m.to.addr = s("zoe@example.org\r\nBcc: victim@example.org");
    compose(&m, &rc);
    is_int(rc, E_INVAL, "an address with CR LF is refused");
    attachment_msg(&m, &att);
    m.message_id = s("x@y\r\nBcc: v@w.org");
    compose(&m, &rc);
    is_int(rc, E_INVAL, "a Message-ID with CR LF is refused");
    attachment_msg(&m, &att);
    m.unsubscribe = s("https://x.org/u\r\nBcc: v@w.org");
    compose(&m, &rc);
    is_int(rc, E_INVAL, "an unsubscribe URL with CR LF is refused");
    attachment_msg(&m, &bad);
    bad.filename = s("evil\".ics");
    m.att = &bad;
    m.natt = 1;
    compose(&m, &rc);
    is_int(rc, E_INVAL, "a filename with a quote is refused");
    bad.filename = s("event.ics");
    bad.content_type = s("text/calendar\r\nBcc: v@w.org");
    compose(&m, &rc);
    is_int(rc, E_INVAL, "a content type with CR LF is refused");
    attachment_msg(&m, &att);
    m.boundary = s("short");
    compose(&m, &rc);
    is_int(rc, E_INVAL, "a short boundary seed is refused");
}

static void tokens(void)
{
    unsigned char key[MAIL_KEY_BYTES], other[MAIL_KEY_BYTES];
    char t[MAIL_TOKEN_MAX], bad[MAIL_TOKEN_MAX], zero[MAIL_TOKEN_MAX + 2];
    enum mail_category c = MAIL_ACCOUNT;
    int64_t id = 0;

    memset(key, 7, sizeof(key));
    memset(other, 8, sizeof(other));
    mail_token_make(key, 42, MAIL_REMINDERS, t);
    ok(strncmp(t, "42.reminders.", 13) == 0, "a token names the person and the category");
    is_int(mail_token_check(key, s(t), &id, &c), 0, "and checks");
    is_int(id, 42, "the person");
    is_int(c, MAIL_REMINDERS, "the category");
    is_int(mail_token_check(other, s(t), &id, &c), E_NOTFOUND, "not under another key");
    memcpy(bad, t, sizeof(bad));
    bad[0] = '4';
    bad[1] = '3';
    is_int(mail_token_check(key, s(bad), &id, &c), E_NOTFOUND, "not for another person");
    mail_token_make(key, 42, MAIL_NOTICES, bad);
    memcpy(bad + 3 + strlen("notices"), t + 3 + strlen("reminders"), 23);
    is_int(mail_token_check(key, s(bad), &id, &c), E_NOTFOUND, "not for another category");
    memcpy(bad, t, sizeof(bad));
    bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == 'A' ? 'B' : 'A';
    is_int(mail_token_check(key, s(bad), &id, &c), E_NOTFOUND, "not with a changed MAC");
    mail_token_make(key, 42, MAIL_ACCOUNT, bad);
    is_int(mail_token_check(key, s(bad), &id, &c), E_NOTFOUND, "account mail has no token");
    snprintf(zero, sizeof(zero), "0%s", t);
    is_int(mail_token_check(key, s(zero), &id, &c), E_NOTFOUND, "no leading zero");
    is_int(mail_token_check(key, s(""), &id, &c), E_NOTFOUND, "not empty");
    is_int(mail_token_check(key, s("42.reminders"), &id, &c), E_NOTFOUND, "not without a MAC");
    is_int(mail_token_check(key, s("x.reminders.AAAAAAAAAAAAAAAAAAAAAA"), &id, &c), E_NOTFOUND,
           "not with a bad id");
    is_int(mail_token_check(key, s("-1.reminders.AAAAAAAAAAAAAAAAAAAAAA"), &id, &c), E_NOTFOUND,
           "not with a negative id");
}

static void categories(void)
{
    is_str(mail_category_name(MAIL_ACCOUNT), "account", "account");
    is_str(mail_category_name(MAIL_FOLLOWUPS), "followups", "followups");
    is_int(mail_category_of(s("notices")), MAIL_NOTICES, "by name");
    is_int(mail_category_of(s("Notices")), -1, "names are exact");
    is_int(mail_category_of(s("")), -1, "no name, no category");
}

static void layout(void)
{
    struct view_mail_layout vm = {0};
    struct buf text = fresh(), html = fresh();

    vm.instance_name = s("Teachers & Co");
    vm.subject = s("Tomorrow <at> 6");
    vm.body_text = s("Bring <notes> & ideas.");
    vm.body_html = HTML_LIT("<p>Bring <em>notes</em>.</p>");
    vm.why = s("You get reminders because you said you would come to an event at Teachers & Co.");
    vm.category = s("reminders of events");
    vm.unsubscribe = URL_LIT("https://cop.example.org/unsubscribe/1.reminders.x");
    vm.settings = URL_LIT("https://cop.example.org/settings/mail");
    vm.home = URL_LIT("https://cop.example.org/");
    is_int(text_mail_layout(&text, &vm), 0, "the text layout renders");
    ok(contains(buf_str(&text), "Bring <notes> & ideas.\n\n-- \n"), "text is written as it is");
    ok(contains(buf_str(&text), "Stop reminders of events in one click: "
                                "https://cop.example.org/unsubscribe/1.reminders.x\n"),
       "with the unsubscribe link");
    ok(contains(buf_str(&text), "Teachers & Co"), "no entities in text");
    is_int(view_mail_layout(&html, &vm), 0, "the HTML layout renders");
    ok(contains(buf_str(&html), "<p>Bring <em>notes</em>.</p>"), "the content's HTML as it is");
    ok(contains(buf_str(&html), "Teachers &amp; Co"), "text escaped in HTML");
    ok(contains(buf_str(&html), "<title>Tomorrow &lt;at&gt; 6</title>"), "the subject as title");
    ok(contains(buf_str(&html), "href=\"https://cop.example.org/unsubscribe/1.reminders.x\""),
       "the unsubscribe link");
    vm.unsubscribe = (struct url){"", 0};
    text = fresh();
    text_mail_layout(&text, &vm);
    ok(!contains(buf_str(&text), "unsubscribe"), "account mail has no unsubscribe link");
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    arena_init(&arena);
    quoted_printable();
    base64();
    headers();
    addresses();
    messages();
    tokens();
    categories();
    layout();
    arena_release(&arena);
    return tap_done();
}
