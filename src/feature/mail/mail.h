/*
 * Mail: the one way Praxis sends a message to a person. A feature renders
 * its content (text and HTML, from its own templates) and calls
 * mail_queue() inside the transaction of the change that calls for it; the
 * message is composed there, kept as a row of the outbox table, and sent
 * later by a "mail.send" job (feature/jobs/jobs.h), through the transport
 * the settings name:
 *
 *   mail-transport = file   one .eml per message under <data>/mail (the default)
 *   mail-transport = smtp   smtp-url (smtp:// with STARTTLS, or smtps://),
 *                           smtp-user and smtp-password, smtp-starttls,
 *                           smtp-ca-file; mail-from for the sender
 *
 * A 5xx answer from the SMTP server fails the message for good (its reply
 * kept in the outbox's last_error); a 4xx answer or a connection that fails
 * is tried again with the jobs' backoff. A message already sent is never
 * sent again, however often its job runs.
 *
 * Members choose which bulk categories they receive (/settings/mail, GET
 * and PATCH /api/v1/me/mail), and every bulk message carries a one-click
 * unsubscribe link (RFC 8058) that works without signing in: an HMAC of the
 * person and the category under a secret the instance keeps. Account mail
 * (confirmations, password resets) is always sent and has no such link.
 * Bulk mail goes only to confirmed addresses.
 */
#ifndef PRAXIS_FEATURE_MAIL_H
#define PRAXIS_FEATURE_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "http/http.h"
#include "view/html.h"

struct app;
struct arena;
struct db;

extern const struct feature feature_mail;

enum mail_category {
    MAIL_ACCOUNT,   /* confirmations, resets: always sent, no unsubscribe */
    MAIL_REMINDERS, /* before an event */
    MAIL_FOLLOWUPS, /* after an event: its summary */
    MAIL_NOTICES,   /* activity one follows */
    MAIL_CATEGORY__MAX
};

/* "account", "reminders", "followups", "notices": the names in the API and the database. */
const char *mail_category_name(enum mail_category c);
/* The category of a name, or -1. */
int mail_category_of(struct str name);

struct mail_attachment {
    const char *filename;     /* "event.ics": letters, digits, ". _ -" and spaces */
    const char *content_type; /* "text/calendar; method=REQUEST; charset=UTF-8" */
    struct str data;
};

struct mail {
    int64_t user_id;    /* the recipient's account (0: an address with no account) */
    struct str to_addr; /* the address, as stored (lower case) */
    struct str to_name; /* the display name; may be empty */
    enum mail_category category;
    struct str subject; /* one line of UTF-8 */
    struct str text;    /* the content, rendered by the caller from its text template */
    struct html html;   /* and from its HTML template (may be empty: text only) */
    const struct mail_attachment *att;
    size_t natt;
};

/*
 * Queue m on db, inside the caller's transaction (now is the time it is
 * queued at, unix seconds). For a bulk category the recipient must have an
 * account: nothing is queued (0, *outbox_id = 0) when they turned the
 * category off or have not confirmed their address. Otherwise the content
 * is wrapped in the mail layout (a footer saying why the person gets it,
 * with the unsubscribe link for bulk categories), composed as MIME, added
 * to the outbox and a "mail.send" job queued for it; *outbox_id (may be
 * NULL) gets its row. Returns 0, E_INVAL (an unusable address, subject,
 * name or attachment; a bulk message to no account), E_TOOBIG, or the
 * database's error.
 */
int mail_queue(struct app *app, struct db *db, const struct mail *m, int64_t now,
               int64_t *outbox_id);

/*
 * The address links in mail start with: the public-url setting, else
 * http://<listen address>:<port> of this server. NUL-terminated, in a.
 */
struct str mail_base_url(struct app *app, struct arena *a);

#endif
