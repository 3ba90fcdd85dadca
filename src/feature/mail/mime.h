/*
 * MIME messages (RFC 5322, 2045-2047, 8058), composed as pure code: no
 * clock, no randomness, no I/O. The caller gives the date, the Message-ID
 * and a boundary seed, so the same input always gives the same bytes and
 * the unit tests (tests/unit/t_mail.c) can look at every line.
 *
 * What comes out: lines ending in CRLF, none longer than 998 octets (the
 * SMTP limit) and headers folded near 78; bodies in quoted-printable (so any
 * text passes, whatever its line lengths), attachments in base64 at 76
 * columns; non-ASCII display names and subjects as RFC 2047 encoded-words.
 * A header value that holds CR, LF or another control character is refused
 * (E_INVAL), never written, so no input can add a header of its own.
 */
#ifndef PRAXIS_FEATURE_MAIL_MIME_H
#define PRAXIS_FEATURE_MAIL_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"

/* A mailbox: a display name (any UTF-8, may be empty) and a plain local@domain address. */
struct mime_addr {
    struct str name;
    struct str addr;
};

struct mime_attachment {
    struct str filename;     /* printable ASCII: letters, digits, ". _ -" and spaces */
    struct str content_type; /* "text/calendar; method=REQUEST; charset=UTF-8" */
    struct str data;         /* any bytes */
};

struct mime_message {
    struct mime_addr from, to;
    struct str subject;    /* UTF-8, one line */
    struct str message_id; /* "random@host", written inside < > */
    int64_t date;          /* unix seconds, written in UTC */
    struct str text;       /* the plain-text part; lines may end in \n or \r\n */
    struct str html;       /* the HTML part; empty for a text-only message */
    const struct mime_attachment *att;
    size_t natt;
    struct str unsubscribe; /* the one-click unsubscribe URL (bulk mail), or empty */
    struct str boundary;    /* 8 to 40 letters and digits, different for every message */
};

/*
 * Append the whole message to out: headers, then multipart/alternative
 * (text, then HTML) inside multipart/mixed when there are attachments. With
 * an unsubscribe URL it adds List-Unsubscribe and List-Unsubscribe-Post:
 * List-Unsubscribe=One-Click. Returns 0, E_INVAL when a header value is
 * unusable (a control character or invalid UTF-8 in the subject or a name,
 * an address that is not plain local@domain, a bad filename, Message-ID or
 * boundary), or E_TOOBIG when out is full.
 */
int mime_compose(struct buf *out, const struct mime_message *m);

/* The pieces, for the tests. */

/* Whether addr is local@domain in printable ASCII with nothing headers treat as syntax. */
bool mime_addr_ok(struct str addr);
/* The RFC 5322 date of unix seconds t in UTC: "Thu, 05 Dec 2024 09:33:00 +0000". */
#define MIME_DATE_MAX 64
void mime_date(int64_t t, char out[MIME_DATE_MAX]);
/*
 * Append text as quoted-printable: each line of it (ending in \n or \r\n)
 * becomes a line ending in CRLF, split with soft breaks so none passes 76
 * characters; '=', controls, non-ASCII bytes, a space or tab at a line's
 * end and a dot or "From " at its start are escaped.
 */
int mime_qp_append(struct buf *out, struct str text);
/* Append data as base64 in lines of 76 characters, each ending in CRLF. */
int mime_base64_append(struct buf *out, struct str data);
/*
 * Append "Name: value" CRLF for an unstructured value (a subject): as it is,
 * folded at spaces, when it is printable ASCII; else as UTF-8 encoded-words
 * of at most 75 characters, split between characters. E_INVAL for control
 * characters (CR and LF among them) or invalid UTF-8.
 */
int mime_header_text(struct buf *out, const char *name, struct str value);
/* Append "Name: display name <addr>" CRLF, the name quoted or encoded as it needs. */
int mime_header_addr(struct buf *out, const char *name, const struct mime_addr *a);

#endif
