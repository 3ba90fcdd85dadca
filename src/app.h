/*
 * The application: settings, the list of features, the router and the
 * server. One per process, owned by main().
 */
#ifndef PRAXIS_APP_H
#define PRAXIS_APP_H

#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "db/db.h"

struct html;
struct hub;
struct live;
struct req;
struct router;
struct server;

struct app {
    struct config *cfg;
    const char *db_url;
    enum db_backend backend;
    char *name; /* the instance's name, read from the database at start */
    struct router *router;
    struct server *server;
    struct live *live; /* presence and this node among others while serving (feature/live) */
    struct hub *hub;   /* the live streams' hub while serving (http/hub.h) */
    /* The signed-in caller's unread notifications, for the page shell (NULL: none shown). */
    int (*unread_count)(struct req *r, int64_t *n);
    /* The signed-in caller's personal calendar address, for GET /api/v1/me (NULL: none). */
    int (*calendar_url)(struct req *r, struct str *out);
    /* A notice above the page for the signed-in caller (an address to confirm), or empty. */
    int (*page_notice)(struct req *r, struct html *out);
};

/* Every feature, in the order their routes are tried. */
extern const struct feature *const app_features[];
extern const size_t app_nfeatures;

/*
 * Open the database, apply pending migrations, store the configured name,
 * build the router and run the features' init hooks. Errors are logged; the
 * return is 0 or an enum err.
 */
int app_init(struct app *a, struct config *cfg);
/*
 * Open a connection to the configured database, creating the data folder
 * first when the database is SQLite. On failure err holds one line naming
 * the setting at fault.
 */
int app_open_db(struct config *cfg, struct db **out, char *err, size_t errlen);
/*
 * The same for a command that runs features' code without serving (praxis
 * jobs run): migrate and read the name, but no router and no init hooks.
 * Released by app_fini().
 */
int app_init_offline(struct app *a, struct config *cfg);
/* Serve until SIGTERM or SIGINT, then drain and stop. */
int app_serve(struct app *a);
void app_fini(struct app *a);

#endif
