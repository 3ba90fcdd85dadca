#include "app.h"

#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "feature/accounts/accounts.h"
#include "feature/accounts/email.h"
#include "feature/chat/chat.h"
#include "feature/discuss/discuss.h"
#include "feature/discuss/pages.h"
#include "feature/events/events.h"
#include "feature/events/feeds.h"
#include "feature/events/pages.h"
#include "feature/home/home.h"
#include "feature/instance/instance.h"
#include "feature/jobs/jobs.h"
#include "feature/live/live.h"
#include "feature/mail/mail.h"
#include "feature/notify/notify.h"
#include "feature/notify/pages.h"
#include "feature/ops/ops.h"
#include "feature/profiles/profiles.h"
#include "feature/rhythm/rhythm.h"
#include "feature/search/search.h"
#include "feature/spaces/pages.h"
#include "feature/spaces/spaces.h"
#include "feature/static/static.h"
#include "feature/testing/testing.h"
#include "http/router.h"
#include "http/server.h"

/* The features, in the order their routes are matched. */
const struct feature *const app_features[] = {
    &feature_home,          /* / */
    &feature_accounts,      /* sign-up, sign-in, /api/v1/me */
    &feature_account_mail,  /* /confirm-email, /forgot-password, /reset-password */
    &feature_spaces,        /* communities and groups */
    &feature_space_pages,   /* their pages */
    &feature_discuss,       /* topics, posts, reactions, watching */
    &feature_discuss_pages, /* their pages, a space's Atom feed */
    &feature_chat,          /* channels, direct conversations; /spaces/{slug}/chat */
    &feature_events,        /* /api/v1/spaces/{slug}/events, /api/v1/events */
    &feature_event_feeds,   /* .ics: space and personal calendars */
    &feature_event_pages,   /* /spaces/{slug}/calendar, /events/{id} (and its .ics) */
    &feature_followups,     /* /api/v1/events/{id}/followup, /events/{id}/followup */
    &feature_rhythm,        /* reminders and follow-up mail; /spaces/{slug}/rhythm */
    &feature_live,          /* /api/v1/stream, presence */
    &feature_notify,        /* /api/v1/notifications */
    &feature_notify_pages,  /* /notifications */
    &feature_instance,      /* /api/v1/instance */
    &feature_jobs,          /* the worker; /api/v1/admin/jobs */
    &feature_jobs_pages,    /* /admin/jobs */
    &feature_mail,          /* mail.send; /settings/mail, /api/v1/me/mail, /unsubscribe */
    &feature_profiles,      /* /people, /settings/profile, /api/v1/users */
    &feature_search,        /* /search, /api/v1/search */
    &feature_ops,           /* /healthz, /metrics */
    &feature_static,        /* /assets */
    &feature_testing,       /* test mode only */
};
const size_t app_nfeatures = ARRAY_LEN(app_features);

/* Create the data folder (and its parents) if it is missing. */
static int make_dirs(const char *path)
{
    char tmp[4096];
    size_t n = strlen(path);

    if (n == 0 || n >= sizeof(tmp))
        return E_INVAL;
    memcpy(tmp, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] != '/' && tmp[i] != '\0')
            continue;
        tmp[i] = '\0';
        if (mkdir(tmp, 0750) && errno != EEXIST)
            return E_IO;
        tmp[i] = path[i];
    }
    return 0;
}

int app_open_db(struct config *cfg, struct db **out, char *err, size_t errlen)
{
    const char *url = config_db_url(cfg);
    enum db_backend b;
    char msg[400];
    int rc;

    if (db_backend_of(url, &b)) {
        snprintf(err, errlen, "bad setting db = '%s': expected sqlite:PATH or postgres://…", url);
        return E_INVAL;
    }
    if (b == DB_SQLITE && make_dirs(cfg->data)) {
        snprintf(err, errlen, "bad setting data = '%s': cannot create the folder: %s", cfg->data,
                 strerror(errno));
        return E_IO;
    }
    rc = db_open(out, url, msg, sizeof(msg));
    if (rc)
        snprintf(err, errlen, "database (setting db = '%s'): %s", url, msg);
    return rc;
}

/* Migrate, store the configured name, and read the stored one. */
static int prepare_db(struct app *a)
{
    struct db *db;
    char err[512];
    struct arena arena;
    struct db_rows rows;
    int rc, applied = 0;

    rc = app_open_db(a->cfg, &db, err, sizeof(err));
    if (rc) {
        log_error("%s", err);
        return rc;
    }
    rc = db_migrate(db, &applied, err, sizeof(err));
    if (rc) {
        log_error("migrate: %s", err);
        goto out;
    }
    if (applied)
        log_info("migrate: applied %d migration%s", applied, applied == 1 ? "" : "s");
    if (*a->cfg->name) {
        struct db_param p[] = {DB_TEXTC("name"), DB_TEXTC(a->cfg->name), DB_INT(clock_unix())};

        rc = db_exec(db, STMT_SETTING_PUT, p, ARRAY_LEN(p), NULL);
        if (rc) {
            log_error("cannot store the instance's name: %s", db_errmsg(db));
            goto out;
        }
    }
    arena_init(&arena);
    rc = db_query(db, STMT_SETTING_GET, (struct db_param[]){DB_TEXTC("name")}, 1, &rows);
    if (!rc && db_next(&rows) > 0)
        a->name = xstrdup(db_col_text(&rows, 0, &arena).ptr);
    if (!rc)
        db_rows_done(&rows);
    arena_release(&arena);
    if (!a->name)
        a->name = xstrdup("Praxis");
out:
    db_close(db);
    return rc;
}

int app_init(struct app *a, struct config *cfg)
{
    int rc;

    memset(a, 0, sizeof(*a));
    a->cfg = cfg;
    if (sodium_init() < 0) {
        log_error("libsodium failed to start");
        return E_IO;
    }
    log_set_level(cfg->log_level);
    a->db_url = config_db_url(cfg);
    if (db_backend_of(a->db_url, &a->backend))
        a->backend = DB_SQLITE; /* app_open_db() below names the bad setting */
    rc = prepare_db(a);
    if (rc)
        return rc;
    a->router = router_new(app_features, app_nfeatures, cfg->test_mode);
    a->unread_count = notify_unread_count;
    a->calendar_url = events_feed_url;
    a->page_notice = account_page_notice;
    if (cfg->test_mode)
        log_warn("test mode is on: test-only routes are served; never run it so in production");
    for (size_t i = 0; i < app_nfeatures; i++) {
        if (app_features[i]->init) {
            rc = app_features[i]->init(a);
            if (rc) {
                log_error("feature %s failed to start: %s", app_features[i]->name, err_str(rc));
                return rc;
            }
        }
    }
    return 0;
}

int app_init_offline(struct app *a, struct config *cfg)
{
    memset(a, 0, sizeof(*a));
    a->cfg = cfg;
    if (sodium_init() < 0) {
        log_error("libsodium failed to start");
        return E_IO;
    }
    a->db_url = config_db_url(cfg);
    if (db_backend_of(a->db_url, &a->backend))
        a->backend = DB_SQLITE;
    return prepare_db(a);
}

int app_serve(struct app *a)
{
    sigset_t set;
    int sig = 0;

    /* Every thread inherits this mask, so only sigwait() below sees the signals. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (live_start(a))
        return E_IO;
    a->server = server_start(a);
    if (!a->server) {
        live_stop(a);
        return E_IO;
    }
    if (jobs_start(a)) {
        live_end_streams(a);
        server_stop(a->server);
        a->server = NULL;
        live_stop(a);
        return E_IO;
    }
    log_info("praxis %s serving %s on %s", PRAXIS_VERSION, a->name, db_backend_name(a->backend));
    while (sigwait(&set, &sig) != 0)
        ;
    log_info("received %s: finishing requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
    live_end_streams(a);
    jobs_stop(a);
    server_stop(a->server);
    a->server = NULL;
    live_stop(a);
    log_info("stopped");
    return 0;
}

void app_fini(struct app *a)
{
    for (size_t i = app_nfeatures; i-- > 0;)
        if (app_features[i]->fini)
            app_features[i]->fini(a);
    router_free(a->router);
    free(a->name);
    memset(a, 0, sizeof(*a));
}
