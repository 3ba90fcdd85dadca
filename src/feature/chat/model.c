#include "feature/chat/model.h"

#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "db/db.h"
#include "feature/activity/activity.h"
#include "feature/chat/chat_int.h"
#include "feature/discuss/model.h"
#include "feature/live/live.h"
#include "feature/spaces/model.h"
#include "http/http.h"

static int64_t reader(struct req *r)
{
    return r->actor ? r->actor->id : 0;
}

/* Channels ------------------------------------------------------------------- */

/* A channel from a CHAT_CHANNEL_COLS row. */
static void channel_from(struct req *r, struct db_rows *rows, struct channel *c)
{
    memset(c, 0, sizeof(*c));
    c->id = db_col_int(rows, 0);
    c->space_id = db_col_int(rows, 1);
    c->kind = chat_kind_parse(db_col_text(rows, 2, &r->arena));
    if (c->kind == CHAT_KIND__MAX)
        c->kind = CHAT_KIND_PRIVATE; /* unknown: the most guarded */
    c->name = db_col_text(rows, 3, &r->arena);
    c->read_only = db_col_int(rows, 4) != 0;
    c->created_by = db_col_int(rows, 5);
    c->creator_handle = db_col_text(rows, 6, &r->arena);
    c->creator_name = db_col_text(rows, 7, &r->arena);
    c->created_at = db_col_int(rows, 8);
    c->last_message_at = db_col_int(rows, 9);
    c->space_slug = db_col_text(rows, 10, &r->arena);
    c->last_read = db_col_int(rows, 11);
    c->is_member = db_col_int(rows, 12) > 0;
    c->unread = r->actor ? db_col_int(rows, 13) : 0;
}

/* The rows of a channel statement into *out (grown in the arena). */
static int read_channels(struct req *r, enum stmt st, const struct db_param *p, size_t np,
                         struct channel **out, size_t *n)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, st, p, np, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        if (*n == cap)
            *out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
        channel_from(r, &rows, &(*out)[(*n)++]);
    }
    db_rows_done(&rows);
    if (!*out)
        *out = arena_calloc(&r->arena, 1, sizeof(**out));
    return rc < 0 ? rc : 0;
}

int chat_channel_load(struct req *r, int64_t id, struct channel *out)
{
    struct channel *c;
    size_t n;
    int rc = read_channels(r, STMT_CHAT_CHANNEL_BY_ID,
                           (struct db_param[]){DB_INT(id), DB_INT(reader(r))}, 2, &c, &n);

    if (rc)
        return rc;
    if (!n)
        return E_NOTFOUND;
    *out = c[0];
    return 0;
}

int chat_channels_of_space(struct req *r, int64_t space_id, struct channel **out, size_t *n)
{
    return read_channels(r, STMT_CHAT_CHANNELS_OF_SPACE,
                         (struct db_param[]){DB_INT(space_id), DB_INT(reader(r))}, 2, out, n);
}

int chat_dms_of_reader(struct req *r, struct channel **out, size_t *n)
{
    return read_channels(r, STMT_CHAT_DMS_OF_USER,
                         (struct db_param[]){DB_INT(CHAT_DMS_LISTED), DB_INT(reader(r))}, 2, out,
                         n);
}

static void person_from(struct req *r, struct db_rows *rows, int col, struct chat_person *p)
{
    p->id = db_col_int(rows, col);
    p->handle = db_col_text(rows, col + 1, &r->arena);
    p->name = db_col_text(rows, col + 2, &r->arena);
}

int chat_members_of(struct req *r, int64_t channel_id, struct chat_person **out, size_t *n)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_CHAT_MEMBERS_OF, (struct db_param[]){DB_INT(channel_id)}, 1, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        if (*n == cap)
            *out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
        person_from(r, &rows, 0, &(*out)[(*n)++]);
    }
    db_rows_done(&rows);
    if (!*out)
        *out = arena_calloc(&r->arena, 1, sizeof(**out));
    return rc < 0 ? rc : 0;
}

int chat_dm_people(struct req *r, const struct channel *dms, size_t n, struct chat_people **out)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int rc;

    *out = arena_calloc(&r->arena, n + 1, sizeof(struct chat_people));
    if (!db)
        return E_UNAVAIL;
    if (!n)
        return 0;
    rc =
        db_query(db, STMT_CHAT_DM_PEOPLE_OF_USER, (struct db_param[]){DB_INT(reader(r))}, 1, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        int64_t channel = db_col_int(&rows, 0);

        for (size_t i = 0; i < n; i++) {
            struct chat_people *l = &(*out)[i];

            if (dms[i].id != channel)
                continue;
            if (l->n == l->cap)
                l->people = arena_grow(&r->arena, l->people, l->n, &l->cap, sizeof(*l->people));
            person_from(r, &rows, 1, &l->people[l->n++]);
            break;
        }
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

int chat_general_ensure(struct req *r, int64_t space_id, int64_t *id)
{
    struct db *db = req_db(r);
    struct db_param sp = DB_INT(space_id);
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_query_int(db, STMT_CHAT_GENERAL_OF_SPACE, &sp, 1, id);
    if (rc != E_NOTFOUND)
        return rc;
    /* Made once, by whoever comes first; a second maker's insert does nothing. */
    rc = db_exec(db, STMT_CHAT_GENERAL_INSERT,
                 (struct db_param[]){sp, DB_TEXTC(CHAT_GENERAL), DB_INT(clock_unix())}, 3, NULL);
    if (!rc)
        rc = db_query_int(db, STMT_CHAT_GENERAL_OF_SPACE, &sp, 1, id);
    return rc;
}

/* Record a live event of type with the JSON in data, in the open transaction. */
static int emit(struct req *r, const char *type, int64_t space_id, int64_t channel_id,
                const struct buf *data)
{
    struct live_event ev = {type, space_id, 0, channel_id, 0, buf_str(data)};

    if (data->toobig)
        return E_TOOBIG;
    return live_emit(r->app, req_db(r), &ev);
}

/* The "channel" event: a channel opened or changed. */
static int emit_channel(struct req *r, int64_t id)
{
    struct channel c;
    struct json j;
    struct buf b;
    int rc = chat_channel_load(r, id, &c);

    if (rc)
        return rc;
    buf_init(&b, &r->arena, LIVE_DATA_MAX);
    json_init(&j, &b);
    json_obj_open(&j);
    json_key(&j, "id");
    json_i64(&j, c.id);
    json_key(&j, "space");
    if (c.space_id)
        json_str(&j, c.space_slug);
    else
        json_null(&j);
    json_key(&j, "name");
    json_str(&j, c.name);
    json_key(&j, "private");
    json_bool(&j, c.kind == CHAT_KIND_PRIVATE || c.kind == CHAT_KIND_DIRECT);
    json_key(&j, "read_only");
    json_bool(&j, c.read_only);
    json_obj_close(&j);
    /* A public channel is news to the whole space; a private one only to its own streams. */
    if (c.kind == CHAT_KIND_PUBLIC || c.kind == CHAT_KIND_GENERAL)
        return emit(r, "channel", c.space_id, 0, &b);
    return emit(r, "channel", c.space_id, c.id, &b);
}

/* The "message" and "message.edited" events: the message as it is now. */
static int emit_message(struct req *r, const char *type, const struct channel *c, int64_t id)
{
    struct chat_message m;
    struct json j;
    struct buf b;
    int rc = chat_message_load(r, id, &m);

    if (rc)
        return rc;
    buf_init(&b, &r->arena, LIVE_DATA_MAX);
    json_init(&j, &b);
    chat_message_json(r, &j, c, &m, true);
    return emit(r, type, c->space_id, c->id, &b);
}

static int add_member(struct db *db, int64_t channel_id, int64_t user_id, int64_t by, int64_t now)
{
    return db_exec(
        db, STMT_CHAT_MEMBER_ADD,
        (struct db_param[]){DB_INT(channel_id), DB_INT(user_id), DB_INT(by), DB_INT(now)}, 4, NULL);
}

int chat_channel_create(struct req *r, const struct space *s, enum chat_kind kind, struct str name,
                        const int64_t *members, size_t n, int64_t *id)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix(), me = r->actor->id;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_query_int(db, STMT_CHAT_CHANNEL_INSERT,
                      (struct db_param[]){DB_INT(s->id), DB_TEXTC(chat_kind_name(kind)),
                                          DB_TEXT(name), DB_TEXT(chat_name_key(&r->arena, name)),
                                          DB_INT(me), DB_INT(now)},
                      6, id);
    if (!rc && kind == CHAT_KIND_PRIVATE)
        rc = add_member(db, *id, me, me, now);
    for (size_t i = 0; !rc && kind == CHAT_KIND_PRIVATE && i < n; i++)
        rc = add_member(db, *id, members[i], me, now);
    if (!rc)
        rc = activity_add(db, me, "channel.create", "channel", *id, s->id);
    if (!rc)
        rc = emit_channel(r, *id);
    return db_tx_end(db, rc);
}

int chat_channel_update(struct req *r, const struct channel *c, struct str name, bool read_only)
{
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_CHAT_CHANNEL_UPDATE,
                 (struct db_param[]){DB_INT(c->id), DB_TEXT(name),
                                     DB_TEXT(chat_name_key(&r->arena, name)), DB_INT(read_only),
                                     DB_INT(clock_unix())},
                 5, NULL);
    if (!rc)
        rc = activity_add(db, r->actor->id,
                          read_only != c->read_only
                              ? (read_only ? "channel.read_only" : "channel.open")
                              : "channel.rename",
                          "channel", c->id, c->space_id);
    if (!rc)
        rc = emit_channel(r, c->id);
    return db_tx_end(db, rc);
}

int chat_members_add(struct req *r, const struct channel *c, const int64_t *ids, size_t n)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix();
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    for (size_t i = 0; !rc && i < n; i++)
        rc = add_member(db, c->id, ids[i], r->actor->id, now);
    if (!rc)
        rc = activity_add(db, r->actor->id, "channel.members", "channel", c->id, c->space_id);
    if (!rc)
        rc = emit_channel(r, c->id);
    return db_tx_end(db, rc);
}

int chat_dm_open(struct req *r, int64_t *ids, size_t n, int64_t *id, bool *created)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix(), me = r->actor->id;
    size_t people;
    struct str key = chat_dm_key(&r->arena, ids, n, &people);
    struct db_rows rows;
    int rc;

    *created = false;
    if (!db)
        return E_UNAVAIL;
    rc = db_query_int(db, STMT_CHAT_DM_BY_KEY, (struct db_param[]){DB_TEXT(key)}, 1, id);
    if (rc != E_NOTFOUND)
        return rc;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    /* Someone may have made it meanwhile: then nothing comes back, and it is found below. */
    rc = db_query(db, STMT_CHAT_DM_INSERT,
                  (struct db_param[]){DB_TEXT(key), DB_INT(me), DB_INT(now)}, 3, &rows);
    if (!rc) {
        rc = db_next(&rows);
        if (rc > 0)
            *id = db_col_int(&rows, 0);
        *created = rc > 0;
        rc = rc < 0 ? rc : 0;
    }
    db_rows_done(&rows);
    for (size_t i = 0; !rc && *created && i < n; i++)
        if (i == 0 || ids[i] != ids[i - 1])
            rc = add_member(db, *id, ids[i], me, now);
    if (!rc && *created)
        rc = activity_add(db, me, "dm.create", "channel", *id, 0);
    if (!rc && *created)
        rc = emit_channel(r, *id);
    if (!rc && !*created)
        rc = db_query_int(db, STMT_CHAT_DM_BY_KEY, (struct db_param[]){DB_TEXT(key)}, 1, id);
    return db_tx_end(db, rc);
}

/* Messages ------------------------------------------------------------------- */

/* A message from a CHAT_MESSAGE_COLS row. */
static void message_from(struct req *r, struct db_rows *rows, struct chat_message *m)
{
    memset(m, 0, sizeof(*m));
    m->id = db_col_int(rows, 0);
    m->channel_id = db_col_int(rows, 1);
    m->author_id = db_col_int(rows, 2);
    m->author_handle = db_col_text(rows, 3, &r->arena);
    m->author_name = db_col_text(rows, 4, &r->arena);
    m->body = db_col_text(rows, 5, &r->arena);
    m->html = db_col_text(rows, 6, &r->arena);
    m->created_at = db_col_int(rows, 7);
    m->edited_at = db_col_int(rows, 8);
    m->deleted_at = db_col_int(rows, 9);
    m->deleted_by = db_col_text(rows, 10, &r->arena);
    m->topic_id = db_col_int(rows, 11);
    m->topic_title = db_col_text(rows, 12, &r->arena);
}

int chat_messages_before(struct req *r, int64_t channel_id, int64_t before, int64_t limit,
                         struct chat_message **out, size_t *n)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_CHAT_MESSAGES_BEFORE,
                  (struct db_param[]){DB_INT(channel_id), DB_INT(before > 0 ? before : INT64_MAX),
                                      DB_INT(limit)},
                  3, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        if (*n == cap)
            *out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
        message_from(r, &rows, &(*out)[(*n)++]);
    }
    db_rows_done(&rows);
    if (!*out)
        *out = arena_calloc(&r->arena, 1, sizeof(**out));
    return rc < 0 ? rc : 0;
}

int chat_message_load(struct req *r, int64_t id, struct chat_message *out)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_CHAT_MESSAGE_BY_ID, (struct db_param[]){DB_INT(id)}, 1, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0)
        message_from(r, &rows, out);
    db_rows_done(&rows);
    return rc < 0 ? rc : rc == 0 ? E_NOTFOUND : 0;
}

static int read_mark(struct db *db, int64_t channel_id, int64_t user_id, int64_t message_id,
                     int64_t now)
{
    return db_exec(
        db, STMT_CHAT_READ_MARK,
        (struct db_param[]){DB_INT(channel_id), DB_INT(user_id), DB_INT(message_id), DB_INT(now)},
        4, NULL);
}

int chat_message_post(struct req *r, const struct channel *c, const struct post_text *text,
                      int64_t *id)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix(), me = r->actor->id;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_query_int(db, STMT_CHAT_MESSAGE_INSERT,
                      (struct db_param[]){DB_INT(c->id), DB_INT(me), DB_TEXT(text->body),
                                          DB_TEXT(str_make(text->html.ptr, text->html.len)),
                                          DB_INT(now)},
                      5, id);
    if (!rc)
        rc = db_exec(db, STMT_CHAT_CHANNEL_TOUCH, (struct db_param[]){DB_INT(c->id), DB_INT(now)},
                     2, NULL);
    if (!rc)
        rc = read_mark(db, c->id, me, *id, now);
    if (!rc)
        rc = activity_add(db, me, "message.create", "message", *id, c->space_id);
    if (!rc)
        rc = emit_message(r, "message", c, *id);
    return db_tx_end(db, rc);
}

int chat_message_edit(struct req *r, const struct channel *c, const struct chat_message *m,
                      const struct post_text *text)
{
    struct db *db = req_db(r);
    int64_t changed = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_CHAT_MESSAGE_UPDATE,
                 (struct db_param[]){DB_INT(m->id), DB_TEXT(text->body),
                                     DB_TEXT(str_make(text->html.ptr, text->html.len)),
                                     DB_INT(clock_unix())},
                 4, &changed);
    if (!rc && !changed)
        rc = E_CONFLICT; /* deleted meanwhile */
    if (!rc)
        rc = activity_add(db, r->actor->id, "message.edit", "message", m->id, c->space_id);
    if (!rc)
        rc = emit_message(r, "message.edited", c, m->id);
    return db_tx_end(db, rc);
}

int chat_message_delete(struct req *r, const struct channel *c, const struct chat_message *m)
{
    struct db *db = req_db(r);
    int64_t changed = 0;
    struct json j;
    struct buf b;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_CHAT_MESSAGE_TOMBSTONE,
                 (struct db_param[]){DB_INT(m->id), DB_INT(clock_unix()), DB_INT(r->actor->id)}, 3,
                 &changed);
    if (!rc && !changed)
        rc = E_CONFLICT;
    if (!rc)
        rc = activity_add(db, r->actor->id, "message.delete", "message", m->id, c->space_id);
    if (!rc) {
        buf_init(&b, &r->arena, 128);
        json_init(&j, &b);
        json_obj_open(&j);
        json_key(&j, "id");
        json_i64(&j, m->id);
        json_key(&j, "channel");
        json_i64(&j, c->id);
        json_obj_close(&j);
        rc = emit(r, "message.deleted", c->space_id, c->id, &b);
    }
    return db_tx_end(db, rc);
}

int chat_message_to_topic(struct req *r, const struct channel *c, const struct space *s,
                          const struct chat_message *m, struct str title,
                          const struct post_text *text, int64_t *topic_id, int64_t *post_id)
{
    struct db *db = req_db(r);
    int64_t changed = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = topic_create_in(r, s, TOPIC_DISCUSSION, title, NULL, 0, text, topic_id, post_id);
    if (!rc)
        rc = db_exec(db, STMT_CHAT_MESSAGE_SET_TOPIC,
                     (struct db_param[]){DB_INT(m->id), DB_INT(*topic_id)}, 2, &changed);
    if (!rc && !changed)
        rc = E_CONFLICT; /* linked or deleted meanwhile */
    if (!rc)
        rc = activity_add(db, r->actor->id, "message.topic", "message", m->id, c->space_id);
    if (!rc)
        rc = emit_message(r, "message.edited", c, m->id);
    return db_tx_end(db, rc);
}

int chat_latest_id(struct req *r, int64_t channel_id, int64_t *id)
{
    struct db *db = req_db(r);

    if (!db)
        return E_UNAVAIL;
    return db_query_int(db, STMT_CHAT_LATEST_MESSAGE, (struct db_param[]){DB_INT(channel_id)}, 1,
                        id);
}

int chat_mark_read(struct req *r, const struct channel *c, int64_t message_id)
{
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    /* Reading writes only when there is something new: a page seen again costs no lock. */
    if (!r->actor || message_id <= c->last_read)
        return 0;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = read_mark(db, c->id, r->actor->id, message_id, clock_unix());
    return db_tx_end(db, rc);
}
