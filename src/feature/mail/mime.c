#include "feature/mail/mime.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/utf8.h"

#define FOLD_AT   78 /* RFC 5322's line length to keep to when a header can be folded */
#define WORD_MAX  75 /* RFC 2047: an encoded-word's length at most */
#define WORD_LINE 76 /* RFC 2047: a line holding encoded-words at most */
#define QP_LINE   76 /* RFC 2045: a quoted-printable line, its soft break included */
#define B64_LINE  57 /* bytes that make a 76-character line of base64 */

static const char hex[] = "0123456789ABCDEF";
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of the up to three bytes at s (n of them) into out[4], padded with '='. */
static void b64_group(const unsigned char *s, size_t n, char out[4])
{
    uint32_t x = (uint32_t)s[0] << 16;

    if (n > 1)
        x |= (uint32_t)s[1] << 8;
    if (n > 2)
        x |= s[2];
    out[0] = b64[x >> 18 & 63];
    out[1] = b64[x >> 12 & 63];
    out[2] = '=';
    out[3] = '=';
    if (n > 1)
        out[2] = b64[x >> 6 & 63];
    if (n > 2)
        out[3] = b64[x & 63];
}

/* Values ---------------------------------------------------------------- */

static bool is_atext(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("!#$%&'*+-/=?^_`{|}~", c);
}

bool mime_addr_ok(struct str a)
{
    size_t at = 0, ats = 0;

    if (a.len < 3 || a.len > 254)
        return false;
    for (size_t i = 0; i < a.len; i++) {
        char c = a.ptr[i];

        if (c == '@') {
            at = i;
            ats++;
        } else if (c != '.' && !is_atext(c)) {
            return false;
        }
    }
    return ats == 1 && at > 0 && at + 1 < a.len;
}

/*
 * Whether a header value may be written at all: UTF-8 without control
 * characters (CR and LF above all; tabs are fine) or bidirectional overrides.
 */
static bool value_ok(struct str v)
{
    size_t i = 0;

    if (!utf8_valid(v.ptr, v.len))
        return false;
    while (i < v.len) {
        size_t len;
        uint32_t c = utf8_decode(v.ptr + i, &len);

        if (c != '\t' && utf8_is_control(c))
            return false;
        i += len;
    }
    return true;
}

static bool printable_ascii(struct str v)
{
    for (size_t i = 0; i < v.len; i++)
        if (v.ptr[i] < 0x20 || v.ptr[i] > 0x7e)
            return false;
    return true;
}

static bool has(struct str v, const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0; i + n <= v.len; i++)
        if (memcmp(v.ptr + i, s, n) == 0)
            return true;
    return false;
}

/* Headers ---------------------------------------------------------------- */

/* A header being written: the column of the line it is on decides where to fold. */
struct hdr {
    struct buf *b;
    size_t col;
    bool first; /* nothing after the colon yet */
};

static void hdr_begin(struct hdr *h, struct buf *b, const char *name)
{
    h->b = b;
    buf_puts(b, name);
    buf_putc(b, ':');
    h->col = strlen(name) + 1;
    h->first = true;
}

/* A space and tok, or a fold (CRLF and a space) and tok when the line would pass limit. */
static void hdr_token(struct hdr *h, const char *p, size_t n, size_t limit)
{
    if (!h->first && h->col + 1 + n > limit) {
        BUF_LIT(h->b, "\r\n ");
        h->col = 1;
    } else {
        buf_putc(h->b, ' ');
        h->col++;
    }
    buf_append(h->b, p, n);
    h->col += n;
    h->first = false;
}

static int hdr_end(struct hdr *h)
{
    BUF_LIT(h->b, "\r\n");
    return h->b->toobig ? E_TOOBIG : 0;
}

/* How many bytes of (p, n) fit in max bytes without splitting a UTF-8 character. */
static size_t utf8_cut(const char *p, size_t n, size_t max)
{
    size_t k;

    if (n <= max)
        return n;
    k = max;
    while (k > 0 && ((unsigned char)p[k] & 0xc0) == 0x80)
        k--;
    return k;
}

/*
 * v as "=?UTF-8?B?...?=" words, each at most 75 characters and fitting in a
 * 76-character line with what is before it, split between characters.
 * Decoders drop the folding between adjacent words, so v comes back whole.
 */
static void hdr_encoded(struct hdr *h, struct str v)
{
    size_t off = 0;

    /* After a long header name there may be no room for a word: start on the next line. */
    if (h->first && h->col + 1 + 40 > WORD_LINE) {
        h->first = false;
        h->col = WORD_LINE;
    }
    while (off < v.len) {
        size_t chars = h->first ? WORD_LINE - (h->col + 1) : WORD_MAX;
        size_t take, k = 0;
        char word[WORD_MAX + 1];

        if (chars > WORD_MAX)
            chars = WORD_MAX;
        /* 12 characters of "=?UTF-8?B?" and "?="; four of base64 for every three bytes. */
        take = utf8_cut(v.ptr + off, v.len - off, (chars - 12) / 4 * 3);
        memcpy(word, "=?UTF-8?B?", sizeof("=?UTF-8?B?"));
        k = 10;
        for (size_t i = 0; i < take; i += 3, k += 4)
            b64_group((const unsigned char *)v.ptr + off + i, take - i, word + k);
        word[k++] = '?';
        word[k++] = '=';
        hdr_token(h, word, k, WORD_LINE);
        off += take;
    }
}

/*
 * The longest word (a run without spaces) that fits every line of a header
 * called name: its first line holds "Name: " too; the others begin with the
 * space of the fold.
 */
static size_t word_room(const char *name)
{
    return FOLD_AT - strlen(name) - 2;
}

static size_t longest_word(struct str v)
{
    size_t most = 0;

    for (size_t i = 0, run = 0; i < v.len; i++) {
        run = v.ptr[i] == ' ' ? 0 : run + 1;
        if (run > most)
            most = run;
    }
    return most;
}

int mime_header_text(struct buf *out, const char *name, struct str v)
{
    struct hdr h;
    size_t start = 0;

    if (!value_ok(v))
        return E_INVAL;
    v = str_trim(v);
    hdr_begin(&h, out, name);
    /* Plain when every word fits a folded line and nothing looks like an encoded-word. */
    if (!printable_ascii(v) || has(v, "=?") || longest_word(v) > word_room(name)) {
        hdr_encoded(&h, v);
        return hdr_end(&h);
    }
    /* One token per word; runs of spaces give empty words, so they survive the folding. */
    for (size_t i = 0; i <= v.len; i++) {
        if (i == v.len || v.ptr[i] == ' ') {
            hdr_token(&h, v.ptr + start, i - start, FOLD_AT);
            start = i + 1;
        }
    }
    return hdr_end(&h);
}

/*
 * A display name as the phrase before the address: its words as they are
 * when they are atoms, else one quoted-string, else (non-ASCII, or too long
 * for a line) encoded-words, which fold anywhere.
 */
static void phrase(struct hdr *h, const char *name, struct str dn)
{
    size_t room = word_room(name), start = 0, k = 0, i;
    bool atoms = true;
    char q[FOLD_AT + 1];

    if (!printable_ascii(dn) || has(dn, "=?") || longest_word(dn) > room) {
        hdr_encoded(h, dn);
        return;
    }
    for (i = 0; i < dn.len; i++)
        if (dn.ptr[i] != ' ' && !is_atext(dn.ptr[i]))
            atoms = false;
    if (atoms) {
        for (i = 0; i <= dn.len; i++) {
            if (i == dn.len || dn.ptr[i] == ' ') {
                if (i > start)
                    hdr_token(h, dn.ptr + start, i - start, FOLD_AT);
                start = i + 1;
            }
        }
        return;
    }
    /* A quoted-string is one token, since folding inside it would change it. */
    q[k++] = '"';
    for (i = 0; i < dn.len && k + 3 <= room; i++) {
        if (dn.ptr[i] == '"' || dn.ptr[i] == '\\')
            q[k++] = '\\';
        q[k++] = dn.ptr[i];
    }
    if (i < dn.len) {
        hdr_encoded(h, dn); /* too long for one line */
        return;
    }
    q[k++] = '"';
    hdr_token(h, q, k, FOLD_AT);
}

int mime_header_addr(struct buf *out, const char *name, const struct mime_addr *a)
{
    struct str dn = str_trim(a->name);
    struct hdr h;
    char addr[260];

    if (!mime_addr_ok(a->addr) || !value_ok(dn))
        return E_INVAL;
    hdr_begin(&h, out, name);
    if (dn.len)
        phrase(&h, name, dn);
    addr[0] = '<';
    memcpy(addr + 1, a->addr.ptr, a->addr.len);
    addr[a->addr.len + 1] = '>';
    hdr_token(&h, addr, a->addr.len + 2, FOLD_AT);
    return hdr_end(&h);
}

void mime_date(int64_t t, char out[MIME_DATE_MAX])
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;

    if (clock_utc(t, &tm)) {
        memset(&tm, 0, sizeof(tm));
        tm.tm_mday = 1;
        tm.tm_year = 70;
        tm.tm_wday = 4;
    }
    snprintf(out, MIME_DATE_MAX, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
             tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Bodies ----------------------------------------------------------------- */

/* Whether the byte at line[i] must be written as =XX; col is where it would go. */
static bool qp_escape(const char *line, size_t n, size_t i, size_t col)
{
    unsigned char c = (unsigned char)line[i];

    if (c == ' ' || c == '\t')
        return i + 1 == n; /* trailing white space would be dropped in transit */
    if (c < 33 || c > 126 || c == '=')
        return true;
    /* A lone dot ends an SMTP message, and "From " at a line's start gets mangled in mboxes. */
    if (col == 0 && c == '.')
        return true;
    return col == 0 && c == 'F' && n - i >= 5 && memcmp(line + i, "From ", 5) == 0;
}

static void qp_line(struct buf *out, const char *line, size_t n)
{
    size_t col = 0;

    for (size_t i = 0; i < n; i++) {
        bool esc = qp_escape(line, n, i, col);

        /*
         * A line that goes on needs room for its soft break's "=" within the
         * 76; the last piece of a line does not.
         */
        size_t limit = i + 1 == n ? QP_LINE : QP_LINE - 1;

        if (col + (esc ? 3 : 1) > limit) {
            BUF_LIT(out, "=\r\n");
            col = 0;
            esc = qp_escape(line, n, i, col);
        }
        if (esc) {
            unsigned char c = (unsigned char)line[i];
            char e[3] = {'=', hex[c >> 4], hex[c & 15]};

            buf_append(out, e, 3);
            col += 3;
        } else {
            buf_putc(out, line[i]);
            col++;
        }
    }
    BUF_LIT(out, "\r\n");
}

int mime_qp_append(struct buf *out, struct str text)
{
    size_t start = 0;

    for (size_t i = 0; i <= text.len; i++) {
        size_t end;

        if (i < text.len && text.ptr[i] != '\n')
            continue;
        if (i == text.len && start == text.len && text.len)
            break; /* the text ended with its newline: no empty line after it */
        end = i;
        if (end > start && text.ptr[end - 1] == '\r' && i < text.len)
            end--;
        qp_line(out, text.ptr + start, end - start);
        start = i + 1;
    }
    return out->toobig ? E_TOOBIG : 0;
}

int mime_base64_append(struct buf *out, struct str data)
{
    for (size_t off = 0; off < data.len; off += B64_LINE) {
        size_t n = data.len - off < B64_LINE ? data.len - off : B64_LINE;
        char line[80];
        size_t k = 0;

        for (size_t i = 0; i < n; i += 3, k += 4)
            b64_group((const unsigned char *)data.ptr + off + i, n - i, line + k);
        line[k++] = '\r';
        line[k++] = '\n';
        buf_append(out, line, k);
    }
    return out->toobig ? E_TOOBIG : 0;
}

/* The message ------------------------------------------------------------- */

static bool boundary_ok(struct str s)
{
    if (s.len < 8 || s.len > 40)
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

static bool filename_ok(struct str s)
{
    if (s.len == 0 || s.len > 100 || s.ptr[0] == '.' || s.ptr[0] == ' ')
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || c == ' '))
            return false;
    }
    return true;
}

/* type/subtype followed by "; name=value" parameters, in printable ASCII without quotes. */
static bool content_type_ok(struct str s)
{
    long slash = str_index(s, '/');

    if (s.len == 0 || s.len > 200 || slash <= 0 || !printable_ascii(s))
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] == '"' || s.ptr[i] == '\\')
            return false;
    return true;
}

/* The boundaries begin with "=_", which quoted-printable and base64 never write. */
static void boundary(struct buf *out, const char *kind, struct str seed)
{
    BUF_LIT(out, "=_");
    buf_puts(out, kind);
    buf_putc(out, '_');
    buf_put_str(out, seed);
}

static void part_head(struct buf *out, const char *kind, struct str seed, bool close)
{
    BUF_LIT(out, "--");
    boundary(out, kind, seed);
    if (close)
        BUF_LIT(out, "--");
    BUF_LIT(out, "\r\n");
}

static void text_part(struct buf *out, const char *subtype, struct str body)
{
    BUF_LIT(out, "Content-Type: text/");
    buf_puts(out, subtype);
    BUF_LIT(out, "; charset=UTF-8\r\n"
                 "Content-Transfer-Encoding: quoted-printable\r\n"
                 "\r\n");
    mime_qp_append(out, body);
}

/* The text part, or multipart/alternative of the text and HTML parts, headers included. */
static void alternative(struct buf *out, const struct mime_message *m)
{
    if (!m->html.len) {
        text_part(out, "plain", m->text);
        return;
    }
    BUF_LIT(out, "Content-Type: multipart/alternative;\r\n boundary=\"");
    boundary(out, "alt", m->boundary);
    BUF_LIT(out, "\"\r\n\r\n");
    part_head(out, "alt", m->boundary, false);
    text_part(out, "plain", m->text);
    part_head(out, "alt", m->boundary, false);
    text_part(out, "html", m->html);
    part_head(out, "alt", m->boundary, true);
}

static void attachment(struct buf *out, const struct mime_attachment *a)
{
    BUF_LIT(out, "Content-Type: ");
    buf_put_str(out, a->content_type);
    BUF_LIT(out, ";\r\n name=\"");
    buf_put_str(out, a->filename);
    BUF_LIT(out, "\"\r\nContent-Disposition: attachment;\r\n filename=\"");
    buf_put_str(out, a->filename);
    BUF_LIT(out, "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    mime_base64_append(out, a->data);
}

int mime_compose(struct buf *out, const struct mime_message *m)
{
    char date[MIME_DATE_MAX];
    int rc;

    if (!boundary_ok(m->boundary) || !mime_addr_ok(m->message_id) ||
        (m->unsubscribe.len && (!printable_ascii(m->unsubscribe) || has(m->unsubscribe, " ") ||
                                has(m->unsubscribe, ">") || m->unsubscribe.len > 900)))
        return E_INVAL;
    for (size_t i = 0; i < m->natt; i++)
        if (!filename_ok(m->att[i].filename) || !content_type_ok(m->att[i].content_type))
            return E_INVAL;
    mime_date(m->date, date);
    BUF_LIT(out, "Date: ");
    buf_puts(out, date);
    BUF_LIT(out, "\r\n");
    rc = mime_header_addr(out, "From", &m->from);
    if (!rc)
        rc = mime_header_addr(out, "To", &m->to);
    if (!rc)
        rc = mime_header_text(out, "Subject", m->subject);
    if (rc)
        return rc;
    BUF_LIT(out, "Message-ID: <");
    buf_put_str(out, m->message_id);
    BUF_LIT(out, ">\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n");
    if (m->unsubscribe.len) {
        /*
         * RFC 8058: a POST to the URL unsubscribes, with no further step and
         * no sign-in. On one line, however long (within 998): some readers
         * keep the white space of a fold after the colon as part of the value.
         */
        BUF_LIT(out, "List-Unsubscribe: <");
        buf_put_str(out, m->unsubscribe);
        BUF_LIT(out, ">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
    }
    if (!m->natt) {
        alternative(out, m);
        return out->toobig ? E_TOOBIG : 0;
    }
    BUF_LIT(out, "Content-Type: multipart/mixed;\r\n boundary=\"");
    boundary(out, "mix", m->boundary);
    BUF_LIT(out, "\"\r\n\r\nThis is a message in MIME format.\r\n");
    part_head(out, "mix", m->boundary, false);
    alternative(out, m);
    for (size_t i = 0; i < m->natt; i++) {
        part_head(out, "mix", m->boundary, false);
        attachment(out, &m->att[i]);
    }
    part_head(out, "mix", m->boundary, true);
    return out->toobig ? E_TOOBIG : 0;
}
