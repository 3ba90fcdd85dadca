/*
 * Settings. Each comes from, in rising precedence: its default, the config
 * file (praxis.conf, "key = value"), the environment (PRAXIS_<KEY>, upper
 * case, '-' as '_') and the command line (--key VALUE or --key=VALUE).
 * Defaults need nothing: a bare `praxis serve` runs.
 *
 * Strings in struct config are owned by it (heap) and freed by config_release().
 */
#ifndef PRAXIS_CORE_CONFIG_H
#define PRAXIS_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/log.h"

enum config_key {
    CONFIG_LISTEN,
    CONFIG_DATA,
    CONFIG_DB,
    CONFIG_CONFIG,
    CONFIG_NAME,
    CONFIG_BODY_LIMIT,
    CONFIG_THREADS,
    CONFIG_LOG_LEVEL,
    CONFIG_ACCESS_LOG,
    CONFIG_MAX_CONNECTIONS,
    CONFIG_CONN_MEMORY,
    CONFIG_TIMEOUT,
    CONFIG_PUBLIC_URL,
    CONFIG_TEST_MODE,
    CONFIG_PASSWORD_COST,
    CONFIG_SIGNUPS_PER_HOUR,
    CONFIG_SIGNIN_FAILURES,
    CONFIG_SIGNIN_FAILURES_ADDR,
    CONFIG_JOBS,
    CONFIG_MAIL_TRANSPORT,
    CONFIG_MAIL_FROM,
    CONFIG_SMTP_URL,
    CONFIG_SMTP_USER,
    CONFIG_SMTP_PASSWORD,
    CONFIG_SMTP_STARTTLS,
    CONFIG_SMTP_CA_FILE,
    CONFIG_LIVE_PING,
    CONFIG_LIVE_QUEUE,
    CONFIG_LIVE_NODE_TIMEOUT,
    CONFIG_PAGE_CACHE,
    CONFIG__MAX
};

/* How mail leaves (feature/mail): .eml files under <data>/mail, or an SMTP server. */
enum mail_transport { MAIL_TRANSPORT_FILE, MAIL_TRANSPORT_SMTP };
/* STARTTLS on smtp:// URLs: insist on it, use it when offered, or never. */
enum smtp_starttls { SMTP_STARTTLS_REQUIRED, SMTP_STARTTLS_OPTIONAL, SMTP_STARTTLS_OFF };

struct config {
    char *listen_host; /* numeric IPv4 or IPv6 address */
    unsigned listen_port;
    char *data;   /* data folder */
    char *db;     /* database URL; "" means sqlite:<data>/praxis.db */
    char *config; /* config file path; "" means ./praxis.conf when present */
    char *name;   /* the instance's name; "" keeps the stored one */
    size_t body_limit;
    unsigned threads; /* 0 means one per core */
    enum log_level log_level;
    bool access_log;
    unsigned max_connections;
    size_t conn_memory;
    unsigned timeout;                /* idle connection timeout, seconds */
    char *public_url;                /* e.g. https://praxis.example.org; "" when unknown */
    bool public_https;               /* public_url starts with https:// */
    bool test_mode;                  /* enables test-only routes and clocks; never in production */
    bool password_cost_min;          /* argon2id at its minimum cost: test mode only */
    unsigned signups_per_hour;       /* sign-ups from one address per hour */
    unsigned signin_failures;        /* failed sign-ins per account per 15 minutes */
    unsigned signin_failures_addr;   /* failed sign-ins per address per 15 minutes */
    bool jobs;                       /* serve runs the jobs worker */
    const char *source[CONFIG__MAX]; /* where each value came from, for messages */

    /* Mail (feature/mail). */
    enum mail_transport mail_transport;
    enum smtp_starttls smtp_starttls;
    char *mail_from;     /* the From address; "" means praxis@<host> */
    char *smtp_url;      /* smtp://HOST:PORT or smtps://HOST:PORT, or "" */
    char *smtp_user;     /* "" means no authentication */
    char *smtp_password; /* with smtp_user */
    char *smtp_ca_file;  /* CA certificates (PEM); "" means the system's */

    /* Live streams (feature/live). */
    unsigned live_ping;         /* seconds between keep-alive comments */
    unsigned live_queue;        /* events a stream may fall behind before it is cut */
    unsigned live_node_timeout; /* seconds without a heartbeat before a node counts as gone */

    /* Topic pages' posts kept in memory (feature/discuss/cache.c). */
    unsigned page_cache_mb; /* 0: none */
};

/* Every setting with its name, default and one line of help, for `praxis help`. */
struct config_doc {
    const char *key;
    const char *def;
    const char *help;
};
extern const struct config_doc config_docs[CONFIG__MAX];

/* Set every field to its default. */
void config_init(struct config *c);
void config_release(struct config *c);
/*
 * Set one setting by name from text. On failure returns E_INVAL and writes
 * one line naming the setting and the problem into err.
 */
int config_set(struct config *c, const char *key, const char *value, const char *source, char *err,
               size_t errlen);
/* Read "key = value" lines; '#' starts a comment. Errors name file:line. */
int config_load_file(struct config *c, const char *path, char *err, size_t errlen);
/* Apply PRAXIS_* variables from environ. */
int config_load_env(struct config *c, char *err, size_t errlen);
/*
 * The whole chain for a command: defaults, file, environment, then the
 * flags in argv (consumed flags are removed from argv and *argc updated;
 * leftover positional arguments remain). An unknown flag is an error.
 */
int config_load(struct config *c, int *argc, char **argv, char *err, size_t errlen);
/* Rules across settings (one setting allowed only with another); run by config_load(). */
int config_check(const struct config *c, char *err, size_t errlen);
/* The effective database URL (fills in the default from the data folder); owned by c. */
const char *config_db_url(struct config *c);

#endif
