/*
 * praxis: the command line. Reads settings, then runs one command:
 * serve, migrate, schema, version or help.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"
#include "feature/activity/activity.h"
#include "feature/demo/demo.h"
#include "feature/jobs/jobs.h"

struct command {
    const char *name;
    const char *summary;
    const char *usage;
    int (*run)(struct config *cfg, int argc, char **argv);
    const char *own_flag;  /* a flag of the command's own, not a setting; passed on in argv */
    const char *own_value; /* the same, for a flag followed by its value ("--scale N") */
};

static int cmd_serve(struct config *cfg, int argc, char **argv);
static int cmd_migrate(struct config *cfg, int argc, char **argv);
static int cmd_schema(struct config *cfg, int argc, char **argv);
static int cmd_version(struct config *cfg, int argc, char **argv);
static int cmd_admin(struct config *cfg, int argc, char **argv);
static int cmd_demo(struct config *cfg, int argc, char **argv);
static int cmd_jobs(struct config *cfg, int argc, char **argv);
static int cmd_help(struct config *cfg, int argc, char **argv);

static const struct command commands[] = {
    {"serve", "serve the web pages, the API and the live streams",
     "praxis serve [--listen HOST:PORT] [--data DIR] [--db URL] [--config FILE] [settings…]\n\n"
     "Applies pending migrations, then serves until SIGTERM or SIGINT, when it stops\n"
     "accepting, finishes the requests in flight and exits 0.",
     cmd_serve, NULL, NULL},
    {"migrate", "apply pending database migrations and exit",
     "praxis migrate [--db URL] [--data DIR]\n\n"
     "Applies every migration the database lacks, in order, and prints its version.\n"
     "Refuses a database that is newer than this binary.",
     cmd_migrate, NULL, NULL},
    {"schema", "print the database's columns, normalised, for comparing backends",
     "praxis schema [--db URL]", cmd_schema, NULL, NULL},
    {"admin", "make a person an instance admin, or no longer one",
     "praxis admin add HANDLE | praxis admin remove HANDLE [--db URL]\n\n"
     "Instance admins can see and manage every space, for moderation.",
     cmd_admin, NULL, NULL},
    {"demo", "fill an empty database with a demo community and print how to sign in",
     "praxis demo [--if-empty] [--scale N] [--db URL] [--data DIR] [settings…]\n\n"
     "Adds a maths teachers' community with five groups, a small nursing one, some forty\n"
     "people with profiles and interests, every role, join requests, weeks of activity and\n"
     "discussions (questions answered and not, announcements, replies, reactions, notices),\n"
     "all in one transaction, then prints how to sign in (every demo person has the password\n"
     "'" DEMO_PASSWORD "'). Refuses, exit 1, a database that has people\n"
     "already; with --if-empty it then adds nothing and exits 0 (make run does this).\n"
     "--test-mode on --password-cost minimum makes the password hashes cheap, for tests.\n\n"
     "--scale N makes a large instance for benchmarks instead: N people (1 to 100000), about\n"
     "10N topics and 100N posts over the past year in three communities and six groups, some\n"
     "private, with tags, replies, accepted answers and reactions, but no activity rows, read\n"
     "state or notifications. It commits in batches and prints its progress on stderr; it too\n"
     "refuses a database that has people, and one it stopped half-way holds what it committed.",
     cmd_demo, "--if-empty", "--scale"},
    {"jobs", "list the queued, running and failed jobs, or run the due ones now",
     "praxis jobs list [queued|running|done|failed] | praxis jobs run [--as-of TIME] "
     "[settings…]\n\n"
     "list prints the newest jobs (of one state if named), with their attempts and last\n"
     "error. run does one pass: every job due now, one after another, as the worker of\n"
     "'praxis serve' would, and prints how it went. --as-of runs them as if it were TIME\n"
     "(unix seconds or 2026-12-06T10:00:00Z): for tests, so refused unless --test-mode on.",
     cmd_jobs, NULL, "--as-of"},
    {"version", "print the version", "praxis version", cmd_version, NULL, NULL},
    {"help", "show commands and settings", "praxis help [COMMAND]", cmd_help, NULL, NULL},
};

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_settings(FILE *f)
{
    fprintf(f, "\nSettings (praxis.conf key = value; PRAXIS_KEY in the environment; --key on "
               "the command line):\n");
    for (int i = 0; i < CONFIG__MAX; i++)
        fprintf(f, "  --%-16s %s (default: %s)\n", config_docs[i].key, config_docs[i].help,
                *config_docs[i].def ? config_docs[i].def : "none");
}

static int cmd_help(struct config *cfg, int argc, char **argv)
{
    const struct command *c = argc > 1 ? find_command(argv[1]) : NULL;

    (void)cfg;
    if (c) {
        printf("usage: %s\n\n%s.\n", c->usage, c->summary);
        print_settings(stdout);
        return 0;
    }
    printf("usage: praxis COMMAND [settings…]\n\nPraxis: where a community of practice runs "
           "itself.\n\nCommands:\n");
    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        printf("  %-10s %s\n", commands[i].name, commands[i].summary);
    printf("\n'praxis help COMMAND' or 'praxis COMMAND --help' tells more.\n");
    print_settings(stdout);
    return 0;
}

static int cmd_version(struct config *cfg, int argc, char **argv)
{
    (void)cfg;
    (void)argc;
    (void)argv;
    printf("praxis %s\n", PRAXIS_VERSION);
    return 0;
}

static int cmd_serve(struct config *cfg, int argc, char **argv)
{
    struct app a;
    int rc;

    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "praxis: serve takes no arguments besides settings\n");
        return 2;
    }
    rc = app_init(&a, cfg);
    if (!rc)
        rc = app_serve(&a);
    app_fini(&a);
    return rc ? 1 : 0;
}

static int open_db(struct config *cfg, struct db **db)
{
    char err[512];

    if (app_open_db(cfg, db, err, sizeof(err))) {
        fprintf(stderr, "praxis: %s\n", err);
        return E_UNAVAIL;
    }
    return 0;
}

static int cmd_migrate(struct config *cfg, int argc, char **argv)
{
    struct db *db;
    char err[512];
    int applied = 0, version = 0, rc;

    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "praxis: migrate takes no arguments besides settings\n");
        return 2;
    }
    if (open_db(cfg, &db))
        return 1;
    rc = db_migrate(db, &applied, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "praxis: migrate: %s\n", err);
    } else {
        db_schema_version(db, &version);
        printf("migrate: applied %d, database at version %d (%s)\n", applied, version,
               db_backend_name(db_backend(db)));
    }
    db_close(db);
    return rc ? 1 : 0;
}

static int set_admin(struct db *db, const char *handle, bool on, char *err, size_t errlen)
{
    struct db_rows rows;
    int64_t id = 0;
    int rc;

    rc = db_query(db, STMT_USER_BY_HANDLE, (struct db_param[]){DB_TEXTC(handle)}, 1, &rows);
    if (rc)
        goto fail;
    rc = db_next(&rows);
    if (rc > 0)
        id = db_col_int(&rows, 0);
    db_rows_done(&rows);
    if (rc < 0)
        goto fail;
    if (!id) {
        snprintf(err, errlen, "nobody has the handle '%s'", handle);
        return E_NOTFOUND;
    }
    rc = db_tx_begin(db);
    if (rc)
        goto fail;
    rc = db_exec(db, STMT_USER_SET_ADMIN,
                 (struct db_param[]){DB_TEXTC(handle), DB_INT(on), DB_INT(clock_unix())}, 3, NULL);
    if (!rc)
        rc = activity_add(db, 0, on ? "admin-add" : "admin-remove", "user", id, 0);
    if (rc) {
        db_tx_rollback(db);
        goto fail;
    }
    rc = db_tx_commit(db);
    if (!rc)
        return 0;
fail:
    snprintf(err, errlen, "database: %s", db_errmsg(db));
    return rc;
}

static int cmd_admin(struct config *cfg, int argc, char **argv)
{
    struct db *db;
    char err[512];
    bool on;
    int rc;

    if (argc != 3 || (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "remove") != 0)) {
        fprintf(stderr, "usage: praxis admin add HANDLE | praxis admin remove HANDLE\n");
        return 2;
    }
    on = strcmp(argv[1], "add") == 0;
    if (open_db(cfg, &db))
        return 1;
    rc = db_migrate(db, NULL, err, sizeof(err));
    if (!rc)
        rc = set_admin(db, argv[2], on, err, sizeof(err));
    if (rc)
        fprintf(stderr, "praxis: admin: %s\n", err);
    else
        printf("%s is %s an instance admin\n", argv[2], on ? "now" : "no longer");
    db_close(db);
    return rc ? 1 : 0;
}

static int cmd_demo(struct config *cfg, int argc, char **argv)
{
    struct demo_result res;
    struct demo_scale_result big;
    struct db *db;
    char err[512];
    bool if_empty = false, had_people = false;
    int64_t scale = 0;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--if-empty") == 0 && !if_empty) {
            if_empty = true;
        } else if (strcmp(argv[i], "--scale") == 0 && !scale && i + 1 < argc &&
                   !str_to_i64(str_c(argv[i + 1]), &scale) && scale >= 1 &&
                   scale <= DEMO_SCALE_MAX) {
            i++;
        } else {
            fprintf(stderr,
                    "usage: praxis demo [--if-empty] [--scale N] [settings…] (N from 1 "
                    "to %d)\n",
                    DEMO_SCALE_MAX);
            return 2;
        }
    }
    if (open_db(cfg, &db))
        return 1;
    rc = db_migrate(db, NULL, err, sizeof(err));
    if (!rc) {
        if (scale)
            rc = demo_scale(db, cfg->password_cost_min, scale, stderr, &big, err, sizeof(err));
        else
            rc = demo_fill(db, cfg->password_cost_min, &res, err, sizeof(err));
        had_people = rc == E_CONFLICT;
    }
    db_close(db);
    if (had_people && if_empty) {
        printf("demo: the database has people already; nothing added\n");
        return 0;
    }
    if (rc) {
        fprintf(stderr, "praxis: demo: %s\n", err);
        return 1;
    }
    if (scale)
        demo_scale_report(stdout, &big, cfg);
    else
        demo_report(stdout, &res, cfg);
    return 0;
}

static int jobs_list_cmd(struct config *cfg, const char *state)
{
    struct db *db;
    struct arena a;
    struct jobs_counts c;
    struct job_row *x;
    size_t n;
    char err[512], iso[21];
    int rc;

    if (open_db(cfg, &db))
        return 1;
    arena_init(&a);
    rc = db_migrate(db, NULL, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "praxis: jobs: %s\n", err);
        goto out;
    }
    rc = jobs_count(db, &c);
    if (!rc)
        rc = jobs_list(db, &a, state, INT64_MAX, JOBS_PAGE, &x, &n);
    if (rc) {
        fprintf(stderr, "praxis: jobs: %s\n", db_errmsg(db));
        goto out;
    }
    printf("%lld queued, %lld running, %lld done, %lld failed\n", (long long)c.queued,
           (long long)c.running, (long long)c.done, (long long)c.failed);
    for (size_t i = 0; i < n; i++) {
        clock_rfc3339(x[i].run_at, iso);
        printf("%-8lld %-8s %-20s %s  attempts %d%s%s\n", (long long)x[i].id, x[i].state.ptr,
               x[i].kind.ptr, iso, x[i].attempts, x[i].last_error.len ? "  " : "",
               x[i].last_error.ptr);
    }
out:
    arena_release(&a);
    db_close(db);
    return rc ? 1 : 0;
}

static int jobs_run_cmd(struct config *cfg, const char *as_of)
{
    struct app app;
    struct db *db;
    struct jobs_pass pass;
    int64_t now = clock_unix();
    int rc;

    if (as_of && !cfg->test_mode) {
        fprintf(stderr,
                "praxis: jobs run --as-of moves time, for tests: it needs --test-mode on\n");
        return 2;
    }
    if (as_of && clock_parse(as_of, &now)) {
        fprintf(stderr,
                "praxis: jobs run --as-of '%s': expected unix seconds or a UTC time such "
                "as 2026-12-06T10:00:00Z\n",
                as_of);
        return 2;
    }
    if (app_init_offline(&app, cfg))
        return 1;
    rc = open_db(cfg, &db);
    if (!rc) {
        rc = jobs_run_due(&app, db, now, &pass);
        if (rc)
            fprintf(stderr, "praxis: jobs: %s\n", db_errmsg(db));
        else
            printf("jobs: ran %d: %d done, %d to try again, %d failed\n", pass.ran, pass.done,
                   pass.retried, pass.failed);
        db_close(db);
    }
    app_fini(&app);
    return rc ? 1 : 0;
}

static int cmd_jobs(struct config *cfg, int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "list") == 0)
        return jobs_list_cmd(cfg, "");
    if (argc == 3 && strcmp(argv[1], "list") == 0 && job_state_valid(argv[2]))
        return jobs_list_cmd(cfg, argv[2]);
    if (argc == 2 && strcmp(argv[1], "run") == 0)
        return jobs_run_cmd(cfg, NULL);
    if (argc == 4 && strcmp(argv[1], "run") == 0 && strcmp(argv[2], "--as-of") == 0)
        return jobs_run_cmd(cfg, argv[3]);
    fprintf(stderr, "usage: praxis jobs list [queued|running|done|failed] | praxis jobs run "
                    "[--as-of TIME]\n");
    return 2;
}

static int cmd_schema(struct config *cfg, int argc, char **argv)
{
    struct db *db;
    struct arena a;
    struct str out;
    int rc;

    (void)argc;
    (void)argv;
    if (open_db(cfg, &db))
        return 1;
    arena_init(&a);
    rc = db_schema_dump(db, &a, &out);
    if (!rc)
        fwrite(out.ptr, 1, out.len, stdout);
    else
        fprintf(stderr, "praxis: schema: %s\n", db_errmsg(db));
    arena_release(&a);
    db_close(db);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    const struct command *c;
    struct config cfg;
    char err[512], *own[4];
    int nown = 0, rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        cmd_help(NULL, 0, NULL);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(NULL, 0, NULL);
    c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "praxis: unknown command '%s'; see 'praxis help'\n", argv[1]);
        return 2;
    }
    argc--;
    argv++;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: %s\n\n%s.\n", c->usage, c->summary);
            print_settings(stdout);
            return 0;
        }
    }
    /*
     * The command's own flags are no settings: keep them (and a value that
     * follows one) out of config_load(), then pass them on in their order.
     */
    for (int i = 1; i < argc && nown < (int)ARRAY_LEN(own);) {
        bool flag = c->own_flag && strcmp(argv[i], c->own_flag) == 0;
        bool valued = c->own_value && strcmp(argv[i], c->own_value) == 0;
        int take = valued && i + 1 < argc ? 2 : 1;

        if (!flag && !valued) {
            i++;
            continue;
        }
        if (nown + take > (int)ARRAY_LEN(own))
            break;
        for (int k = 0; k < take; k++)
            own[nown++] = argv[i + k];
        memmove(&argv[i], &argv[i + take], (size_t)(argc - i - take + 1) * sizeof(*argv));
        argc -= take;
    }
    config_init(&cfg);
    rc = config_load(&cfg, &argc, argv, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "praxis: %s\n", err);
        config_release(&cfg);
        return 2;
    }
    for (int k = 0; k < nown; k++)
        argv[argc++] = own[k];
    argv[argc] = NULL;
    log_set_level(cfg.log_level);
    rc = c->run(&cfg, argc, argv);
    config_release(&cfg);
    return rc;
}
