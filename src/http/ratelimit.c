#include "http/ratelimit.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "db/db.h"
#include "http/http.h"

static struct str key_of(struct req *r, const struct rate_rule *rule, struct str subject)
{
    struct buf b;

    buf_init(&b, &r->arena, 512);
    buf_puts(&b, rule->name);
    buf_putc(&b, ':');
    buf_append(&b, subject.ptr, subject.len < 256 ? subject.len : 256);
    return buf_str(&b);
}

static int verdict(const struct rate_rule *rule, int64_t hits, int64_t start, int64_t now,
                   int *retry_after)
{
    if (start + rule->window <= now || hits < rule->max)
        return 0;
    *retry_after = (int)(start + rule->window - now);
    if (*retry_after < 1)
        *retry_after = 1;
    return 1;
}

int rate_hit(struct req *r, const struct rate_rule *rule, struct str subject, int *retry_after)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int64_t now = clock_unix(), hits = 0, start = now;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_RATE_HIT,
                  (struct db_param[]){DB_TEXT(key_of(r, rule, subject)), DB_INT(now),
                                      DB_INT(now - rule->window)},
                  3, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        hits = db_col_int(&rows, 0);
        start = db_col_int(&rows, 1);
    }
    db_rows_done(&rows);
    if (rc < 0)
        return rc;
    /* Over the limit once this event is counted. */
    return verdict(rule, hits - 1, start, now, retry_after);
}

int rate_check(struct req *r, const struct rate_rule *rule, struct str subject, int *retry_after)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int64_t now = clock_unix(), hits = 0, start = now;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_RATE_GET, (struct db_param[]){DB_TEXT(key_of(r, rule, subject))}, 1,
                  &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        hits = db_col_int(&rows, 0);
        start = db_col_int(&rows, 1);
    }
    db_rows_done(&rows);
    if (rc < 0)
        return rc;
    return verdict(rule, hits, start, now, retry_after);
}

int rate_clear(struct req *r, const struct rate_rule *rule, struct str subject)
{
    struct db *db = req_db(r);

    if (!db)
        return E_UNAVAIL;
    return db_exec(db, STMT_RATE_CLEAR, (struct db_param[]){DB_TEXT(key_of(r, rule, subject))}, 1,
                   NULL);
}

int rate_refuse(struct req *r, struct resp *w, int retry_after, const char *msg)
{
    struct buf b;

    buf_init(&b, &r->arena, 32);
    buf_put_i64(&b, retry_after);
    resp_header(w, "Retry-After", b.ptr);
    return req_fail_status(r, 429, msg);
}
