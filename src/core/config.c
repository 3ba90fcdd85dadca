#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"

extern char **environ;

const struct config_doc config_docs[CONFIG__MAX] = {
    [CONFIG_LISTEN] = {"listen", "127.0.0.1:8080",
                       "address and port to serve on (HOST:PORT; port 0 picks a free one)"},
    [CONFIG_DATA] = {"data", "./data", "data folder (SQLite database, mail, uploads)"},
    [CONFIG_DB] = {"db", "sqlite:<data>/praxis.db",
                   "database URL: sqlite:PATH, postgres://… or postgresql://…"},
    [CONFIG_CONFIG] = {"config", "./praxis.conf", "config file of key = value lines"},
    [CONFIG_NAME] = {"name", "", "the instance's name, stored in the database at start"},
    [CONFIG_BODY_LIMIT] = {"body-limit", "1048576", "largest request body in bytes"},
    [CONFIG_THREADS] = {"threads", "0", "worker threads; 0 means one per core"},
    [CONFIG_LOG_LEVEL] = {"log-level", "info", "debug, info, warn or error"},
    [CONFIG_ACCESS_LOG] = {"access-log", "on", "one line per request on standard output"},
    [CONFIG_MAX_CONNECTIONS] = {"max-connections", "10000", "open connections at most"},
    [CONFIG_CONN_MEMORY] = {"conn-memory", "12288", "memory pool per connection in bytes"},
    [CONFIG_TIMEOUT] = {"timeout", "60", "seconds an idle connection is kept"},
    [CONFIG_PUBLIC_URL] = {"public-url", "",
                           "the address people use, e.g. https://cop.example.org"},
    [CONFIG_TEST_MODE] = {"test-mode", "off", "test-only routes and clocks; never in production"},
    [CONFIG_PASSWORD_COST] = {"password-cost", "interactive",
                              "argon2id cost: interactive, or minimum (test mode only)"},
    [CONFIG_SIGNUPS_PER_HOUR] = {"signups-per-hour", "10", "sign-ups from one address per hour"},
    [CONFIG_SIGNIN_FAILURES] = {"signin-failures", "5",
                                "failed sign-ins per account per 15 minutes before 429"},
    [CONFIG_SIGNIN_FAILURES_ADDR] = {"signin-failures-addr", "20",
                                     "failed sign-ins per address per 15 minutes before 429"},
    [CONFIG_JOBS] = {"jobs", "on", "serve runs due jobs (reminders, mail); off leaves them queued"},
    [CONFIG_MAIL_TRANSPORT] = {"mail-transport", "file",
                               "file (.eml files under <data>/mail) or smtp (see smtp-url)"},
    [CONFIG_MAIL_FROM] = {"mail-from", "praxis@<host>",
                          "the address mail comes from; the instance's name is its display name"},
    [CONFIG_SMTP_URL] = {"smtp-url", "",
                         "smtp://HOST:PORT (STARTTLS) or smtps://HOST:PORT (TLS from the start)"},
    [CONFIG_SMTP_USER] = {"smtp-user", "", "user name for SMTP authentication; empty for none"},
    [CONFIG_SMTP_PASSWORD] = {"smtp-password", "", "password for SMTP authentication"},
    [CONFIG_SMTP_STARTTLS] = {"smtp-starttls", "required",
                              "STARTTLS on smtp:// URLs: required, optional or off"},
    [CONFIG_SMTP_CA_FILE] = {"smtp-ca-file", "",
                             "CA certificates (PEM) to trust for SMTP; empty for the system's"},
    [CONFIG_LIVE_PING] = {"live-ping", "15", "seconds between keep-alives on a live stream"},
    [CONFIG_LIVE_QUEUE] = {"live-queue", "64",
                           "events a live stream may fall behind before it is cut off"},
    [CONFIG_LIVE_NODE_TIMEOUT] = {"live-node-timeout", "60",
                                  "seconds without a heartbeat before a node's presence goes"},
    [CONFIG_PAGE_CACHE] = {"page-cache", "32",
                           "megabytes of topic pages' posts kept in memory; 0 for none"},
};

static void set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = xstrdup(v);
}

void config_init(struct config *c)
{
    memset(c, 0, sizeof(*c));
    c->listen_host = xstrdup("127.0.0.1");
    c->listen_port = 8080;
    c->data = xstrdup("./data");
    c->db = xstrdup("");
    c->config = xstrdup("");
    c->name = xstrdup("");
    c->public_url = xstrdup("");
    c->mail_from = xstrdup("");
    c->smtp_url = xstrdup("");
    c->smtp_user = xstrdup("");
    c->smtp_password = xstrdup("");
    c->smtp_ca_file = xstrdup("");
    c->body_limit = LIMIT_BODY_DEFAULT;
    c->log_level = LOG_INFO;
    c->access_log = true;
    c->max_connections = 10000;
    c->conn_memory = LIMIT_CONN_MEMORY;
    c->timeout = 60;
    c->signups_per_hour = 10;
    c->signin_failures = 5;
    c->signin_failures_addr = 20;
    c->jobs = true;
    c->live_ping = 15;
    c->live_queue = 64;
    c->page_cache_mb = 32;
    c->live_node_timeout = 60;
    for (int i = 0; i < CONFIG__MAX; i++)
        c->source[i] = "default";
}

void config_release(struct config *c)
{
    free(c->listen_host);
    free(c->data);
    free(c->db);
    free(c->config);
    free(c->name);
    free(c->public_url);
    free(c->mail_from);
    free(c->smtp_url);
    free(c->smtp_user);
    free(c->smtp_password);
    free(c->smtp_ca_file);
    memset(c, 0, sizeof(*c));
}

static int key_of(const char *key)
{
    char norm[64];
    size_t i;

    for (i = 0; i < sizeof(norm) - 1 && key[i]; i++) {
        char ch = key[i];

        if (ch == '_')
            ch = '-';
        else if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch | 0x20);
        norm[i] = ch;
    }
    norm[i] = '\0';
    for (int k = 0; k < CONFIG__MAX; k++)
        if (strcmp(norm, config_docs[k].key) == 0)
            return k;
    return -1;
}

static int parse_uint(const char *v, unsigned long long lo, unsigned long long hi,
                      unsigned long long *out)
{
    int64_t x;

    if (str_to_i64(str_c(v), &x) || x < 0 || (unsigned long long)x < lo ||
        (unsigned long long)x > hi)
        return E_INVAL;
    *out = (unsigned long long)x;
    return 0;
}

static int parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"1", "on", "yes", "true"};
    static const char *const no[] = {"0", "off", "no", "false"};

    for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
        if (strcmp(v, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcmp(v, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return E_INVAL;
}

/* HOST:PORT or [V6]:PORT, with a numeric address (names would need DNS at start). */
static int parse_listen(struct config *c, const char *v)
{
    const char *colon = strrchr(v, ':');
    char host[64];
    size_t hl;
    unsigned long long port;

    if (!colon || colon == v || parse_uint(colon + 1, 0, 65535, &port))
        return E_INVAL;
    hl = (size_t)(colon - v);
    if (v[0] == '[') {
        if (hl < 3 || v[hl - 1] != ']')
            return E_INVAL;
        v++;
        hl -= 2;
    }
    if (hl >= sizeof(host))
        return E_INVAL;
    memcpy(host, v, hl);
    host[hl] = '\0';
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof(host), "127.0.0.1");
    for (size_t i = 0; host[i]; i++)
        if (!isxdigit((unsigned char)host[i]) && host[i] != '.' && host[i] != ':')
            return E_INVAL;
    set_str(&c->listen_host, host);
    c->listen_port = (unsigned)port;
    return 0;
}

/*
 * local@domain in printable ASCII with nothing a mail header would read as
 * syntax: the From address goes into headers and the SMTP envelope as is.
 */
static bool mail_addr_plausible(const char *v)
{
    const char *at = strchr(v, '@');

    if (!at || at == v || !at[1] || strchr(at + 1, '@') || strlen(v) > 254)
        return false;
    for (const char *p = v; *p; p++)
        if (*p <= ' ' || *p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
            return false;
    return true;
}

/* smtp:// or smtps:// with a host, an optional port and nothing else. */
static bool smtp_url_plausible(const char *v)
{
    const char *host;

    if (strncmp(v, "smtp://", 7) == 0)
        host = v + 7;
    else if (strncmp(v, "smtps://", 8) == 0)
        host = v + 8;
    else
        return false;
    if (!*host || *host == ':' || *host == '/')
        return false;
    for (const char *p = host; *p; p++)
        if (*p <= ' ' || *p >= 0x7f || strchr("@/?#\\", *p))
            return false;
    return true;
}

int config_set(struct config *c, const char *key, const char *value, const char *source, char *err,
               size_t errlen)
{
    int k = key_of(key);
    unsigned long long n;
    const char *expect = NULL;

    if (k < 0) {
        snprintf(err, errlen, "unknown setting '%s' (from %s); see 'praxis help'", key, source);
        return E_INVAL;
    }
    switch ((enum config_key)k) {
    case CONFIG_LISTEN:
        if (parse_listen(c, value))
            expect = "HOST:PORT with a numeric address, e.g. 127.0.0.1:8080";
        break;
    case CONFIG_DATA:
        if (!*value)
            expect = "a folder path";
        else
            set_str(&c->data, value);
        break;
    case CONFIG_DB:
        if (*value && strncmp(value, "sqlite:", 7) != 0 && strncmp(value, "postgres://", 11) != 0 &&
            strncmp(value, "postgresql://", 13) != 0)
            expect = "sqlite:PATH, postgres://… or postgresql://…";
        else if (strcmp(value, "sqlite:") == 0)
            expect = "a path after sqlite:";
        else
            set_str(&c->db, value);
        break;
    case CONFIG_CONFIG:
        set_str(&c->config, value);
        break;
    case CONFIG_NAME:
        if (strlen(value) > 80)
            expect = "at most 80 characters";
        else
            set_str(&c->name, value);
        break;
    case CONFIG_BODY_LIMIT:
        if (parse_uint(value, 1024, LIMIT_BODY_MAX, &n))
            expect = "a byte count from 1024 to 67108864";
        else
            c->body_limit = (size_t)n;
        break;
    case CONFIG_THREADS:
        if (parse_uint(value, 0, 256, &n))
            expect = "a number from 0 (one per core) to 256";
        else
            c->threads = (unsigned)n;
        break;
    case CONFIG_LOG_LEVEL: {
        static const char *const names[] = {"debug", "info", "warn", "error"};
        size_t i;

        for (i = 0; i < ARRAY_LEN(names); i++)
            if (strcmp(value, names[i]) == 0)
                break;
        if (i == ARRAY_LEN(names))
            expect = "debug, info, warn or error";
        else
            c->log_level = (enum log_level)i;
        break;
    }
    case CONFIG_ACCESS_LOG:
        if (parse_bool(value, &c->access_log))
            expect = "on or off";
        break;
    case CONFIG_MAX_CONNECTIONS:
        if (parse_uint(value, 1, LIMIT_CONNECTIONS, &n))
            expect = "a number from 1 to 20000";
        else
            c->max_connections = (unsigned)n;
        break;
    case CONFIG_CONN_MEMORY:
        if (parse_uint(value, 8192, 1048576, &n))
            expect = "a byte count from 8192 to 1048576";
        else
            c->conn_memory = (size_t)n;
        break;
    case CONFIG_TIMEOUT:
        if (parse_uint(value, 1, 3600, &n))
            expect = "seconds from 1 to 3600";
        else
            c->timeout = (unsigned)n;
        break;
    case CONFIG_PUBLIC_URL:
        if (*value && strncmp(value, "http://", 7) != 0 && strncmp(value, "https://", 8) != 0)
            expect = "an http:// or https:// address";
        else {
            set_str(&c->public_url, value);
            c->public_https = strncmp(value, "https://", 8) == 0;
        }
        break;
    case CONFIG_JOBS:
        if (parse_bool(value, &c->jobs))
            expect = "on or off";
        break;
    case CONFIG_LIVE_PING:
        if (parse_uint(value, 1, 300, &n))
            expect = "seconds from 1 to 300";
        else
            c->live_ping = (unsigned)n;
        break;
    case CONFIG_LIVE_QUEUE:
        if (parse_uint(value, 4, 65536, &n))
            expect = "a count from 4 to 65536";
        else
            c->live_queue = (unsigned)n;
        break;
    case CONFIG_LIVE_NODE_TIMEOUT:
        if (parse_uint(value, 2, 3600, &n))
            expect = "seconds from 2 to 3600";
        else
            c->live_node_timeout = (unsigned)n;
        break;
    case CONFIG_PAGE_CACHE:
        if (parse_uint(value, 0, 65536, &n))
            expect = "megabytes from 0 to 65536";
        else
            c->page_cache_mb = (unsigned)n;
        break;
    case CONFIG_TEST_MODE:
        if (parse_bool(value, &c->test_mode))
            expect = "on or off";
        break;
    case CONFIG_PASSWORD_COST:
        if (strcmp(value, "interactive") == 0)
            c->password_cost_min = false;
        else if (strcmp(value, "minimum") == 0)
            c->password_cost_min = true;
        else
            expect = "interactive or minimum";
        break;
    case CONFIG_SIGNUPS_PER_HOUR:
    case CONFIG_SIGNIN_FAILURES:
    case CONFIG_SIGNIN_FAILURES_ADDR:
        if (parse_uint(value, 1, 1000000, &n)) {
            expect = "a number from 1 to 1000000";
        } else if (k == CONFIG_SIGNUPS_PER_HOUR) {
            c->signups_per_hour = (unsigned)n;
        } else if (k == CONFIG_SIGNIN_FAILURES) {
            c->signin_failures = (unsigned)n;
        } else {
            c->signin_failures_addr = (unsigned)n;
        }
        break;
    case CONFIG_MAIL_TRANSPORT:
        if (strcmp(value, "file") == 0)
            c->mail_transport = MAIL_TRANSPORT_FILE;
        else if (strcmp(value, "smtp") == 0)
            c->mail_transport = MAIL_TRANSPORT_SMTP;
        else
            expect = "file or smtp";
        break;
    case CONFIG_MAIL_FROM:
        if (*value && !mail_addr_plausible(value))
            expect = "an address such as praxis@example.org";
        else
            set_str(&c->mail_from, value);
        break;
    case CONFIG_SMTP_URL:
        if (*value && !smtp_url_plausible(value))
            expect = "smtp://HOST:PORT or smtps://HOST:PORT";
        else
            set_str(&c->smtp_url, value);
        break;
    case CONFIG_SMTP_USER:
        set_str(&c->smtp_user, value);
        break;
    case CONFIG_SMTP_PASSWORD:
        set_str(&c->smtp_password, value);
        break;
    case CONFIG_SMTP_STARTTLS:
        if (strcmp(value, "required") == 0)
            c->smtp_starttls = SMTP_STARTTLS_REQUIRED;
        else if (strcmp(value, "optional") == 0)
            c->smtp_starttls = SMTP_STARTTLS_OPTIONAL;
        else if (strcmp(value, "off") == 0)
            c->smtp_starttls = SMTP_STARTTLS_OFF;
        else
            expect = "required, optional or off";
        break;
    case CONFIG_SMTP_CA_FILE:
        set_str(&c->smtp_ca_file, value);
        break;
    case CONFIG__MAX:
        BUG("config key out of range");
    }
    if (expect) {
        snprintf(err, errlen, "bad setting %s = '%.100s' (from %s): expected %s",
                 config_docs[k].key, value, source, expect);
        return E_INVAL;
    }
    c->source[k] = source;
    return 0;
}

int config_load_file(struct config *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    char line[LIMIT_CONFIG_LINE + 2];
    char where[LIMIT_CONFIG_LINE];
    int lineno = 0, rc = 0;

    if (!f) {
        snprintf(err, errlen, "bad setting config = '%s': %s", path, strerror(errno));
        return E_IO;
    }
    while (fgets(line, sizeof(line), f)) {
        struct str s, key, value;
        long eq;

        lineno++;
        s = str_c(line);
        if (s.len > LIMIT_CONFIG_LINE) {
            snprintf(err, errlen, "%s:%d: line too long", path, lineno);
            rc = E_INVAL;
            break;
        }
        while (s.len && (s.ptr[s.len - 1] == '\n' || s.ptr[s.len - 1] == '\r'))
            s.len--;
        s = str_trim(s);
        if (s.len == 0 || s.ptr[0] == '#')
            continue;
        eq = str_index(s, '=');
        if (eq < 0) {
            snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
            rc = E_INVAL;
            break;
        }
        key = str_trim(str_make(s.ptr, (size_t)eq));
        value = str_trim(str_make(s.ptr + eq + 1, s.len - (size_t)eq - 1));
        /* Both views point into line[]; terminate them there. */
        line[key.ptr - line + (long)key.len] = '\0';
        line[value.ptr - line + (long)value.len] = '\0';
        snprintf(where, sizeof(where), "%s:%d", path, lineno);
        rc = config_set(c, line + (key.ptr - line), line + (value.ptr - line), where, err, errlen);
        if (rc)
            break;
    }
    fclose(f);
    return rc;
}

int config_load_env(struct config *c, char *err, size_t errlen)
{
    for (char **e = environ; *e; e++) {
        const char *eq;
        char key[64];
        size_t kl;
        int rc;

        if (strncmp(*e, "PRAXIS_", 7) != 0)
            continue;
        eq = strchr(*e, '=');
        if (!eq)
            continue;
        kl = (size_t)(eq - *e - 7);
        if (kl == 0 || kl >= sizeof(key))
            continue;
        memcpy(key, *e + 7, kl);
        key[kl] = '\0';
        if (key_of(key) < 0)
            continue; /* other PRAXIS_* variables belong to the test harness */
        rc = config_set(c, key, eq + 1, "environment", err, errlen);
        if (rc)
            return rc;
    }
    return 0;
}

/* Remove argv[i .. i+n-1]. */
static void drop_args(int *argc, char **argv, int i, int n)
{
    memmove(&argv[i], &argv[i + n], (size_t)(*argc - i - n + 1) * sizeof(*argv));
    *argc -= n;
}

int config_load(struct config *c, int *argc, char **argv, char *err, size_t errlen)
{
    const char *path = NULL;
    int rc, i;

    /* The config file's own path may come from a flag or the environment. */
    for (i = 1; i < *argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < *argc)
            path = argv[i + 1];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            path = argv[i] + 9;
    }
    if (!path && getenv("PRAXIS_CONFIG"))
        path = getenv("PRAXIS_CONFIG");
    if (path && *path) {
        rc = config_load_file(c, path, err, errlen);
        if (rc)
            return rc;
        set_str(&c->config, path);
    } else if (!path && access("praxis.conf", F_OK) == 0) {
        rc = config_load_file(c, "praxis.conf", err, errlen);
        if (rc)
            return rc;
        set_str(&c->config, "praxis.conf");
    }
    rc = config_load_env(c, err, errlen);
    if (rc)
        return rc;
    for (i = 1; i < *argc;) {
        const char *a = argv[i], *eq, *value;
        char key[64];
        size_t kl;
        int used;

        if (strncmp(a, "--", 2) != 0 || strcmp(a, "--help") == 0) {
            i++;
            continue;
        }
        eq = strchr(a, '=');
        kl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (kl >= sizeof(key)) {
            snprintf(err, errlen, "unknown flag %.80s", a);
            return E_INVAL;
        }
        memcpy(key, a + 2, kl);
        key[kl] = '\0';
        if (key_of(key) < 0) {
            snprintf(err, errlen, "unknown flag --%s; see 'praxis help'", key);
            return E_INVAL;
        }
        if (eq) {
            value = eq + 1;
            used = 1;
        } else if (i + 1 < *argc) {
            value = argv[i + 1];
            used = 2;
        } else {
            snprintf(err, errlen, "bad setting %s: flag --%s needs a value",
                     config_docs[key_of(key)].key, key);
            return E_INVAL;
        }
        rc = config_set(c, key, value, "command line", err, errlen);
        if (rc)
            return rc;
        drop_args(argc, argv, i, used);
    }
    return config_check(c, err, errlen);
}

int config_check(const struct config *c, char *err, size_t errlen)
{
    if (c->mail_transport == MAIL_TRANSPORT_SMTP && !*c->smtp_url) {
        snprintf(err, errlen, "bad setting mail-transport = 'smtp' (from %s): it needs smtp-url",
                 c->source[CONFIG_MAIL_TRANSPORT]);
        return E_INVAL;
    }
    if (c->password_cost_min && !c->test_mode) {
        snprintf(err, errlen,
                 "bad setting password-cost = 'minimum' (from %s): only with test-mode on",
                 c->source[CONFIG_PASSWORD_COST]);
        return E_INVAL;
    }
    return 0;
}

const char *config_db_url(struct config *c)
{
    if (!*c->db) {
        size_t n = strlen(c->data) + sizeof("sqlite:/praxis.db");
        char *u = xmalloc(n);

        snprintf(u, n, "sqlite:%s/praxis.db", c->data);
        free(c->db);
        c->db = u;
    }
    return c->db;
}
