#include "feature/discuss/model.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "db/db.h"
#include "feature/activity/activity.h"
#include "feature/discuss/cache.h"
#include "feature/discuss/discuss.h" /* discuss_post_json_keep(): and its JSON written */
#include "feature/discuss/pages.h"   /* discuss_dress_post(): a kept page keeps its posts dressed */
#include "feature/live/live.h"
#include "feature/notify/notify.h"
#include "feature/spaces/model.h"
#include "http/http.h"

static int64_t reader(struct req *r)
{
    return r->actor ? r->actor->id : 0;
}

static int64_t int_or_0(struct db_rows *rows, int col)
{
    return db_col_null(rows, col) ? 0 : db_col_int(rows, col);
}

/* Split "a,b,c" (tags as the database joins them) into an arena array. */
static void split_tags(struct arena *a, struct str joined, struct str **out, size_t *n)
{
    size_t cap = joined.len ? 1 : 0;

    for (size_t i = 0; i < joined.len; i++)
        cap += joined.ptr[i] == ',';
    *out = arena_calloc(a, cap ? cap : 1, sizeof(**out));
    *n = 0;
    while (joined.len) {
        long comma = str_index(joined, ',');
        size_t k = comma < 0 ? joined.len : (size_t)comma;

        (*out)[(*n)++] = str_make(joined.ptr, k);
        joined = comma < 0 ? STR_NULL : str_make(joined.ptr + k + 1, joined.len - k - 1);
    }
}

/* A topic from a TOPIC_COLS row. */
static void topic_from(struct req *r, struct db_rows *rows, struct topic *t)
{
    struct str watch;

    t->id = db_col_int(rows, 0);
    t->space_id = db_col_int(rows, 1);
    t->author_id = int_or_0(rows, 2);
    t->author_handle = db_col_text(rows, 3, &r->arena);
    t->author_name = db_col_text(rows, 4, &r->arena);
    t->kind = topic_kind_parse(db_col_text(rows, 5, &r->arena));
    if (t->kind == TOPIC__MAX)
        t->kind = TOPIC_DISCUSSION;
    t->title = db_col_text(rows, 6, &r->arena);
    t->pinned = db_col_int(rows, 7) != 0;
    t->accepted_post_id = int_or_0(rows, 8);
    t->posts_count = db_col_int(rows, 9);
    t->last_number = db_col_int(rows, 10);
    t->last_post_at = db_col_int(rows, 11);
    t->created_at = db_col_int(rows, 12);
    t->last_handle = db_col_text(rows, 13, &r->arena);
    t->last_name = db_col_text(rows, 14, &r->arena);
    t->last_read = db_col_int(rows, 15);
    watch = db_col_text(rows, 16, &r->arena);
    t->watch_set = watch.len > 0;
    t->watch = t->watch_set ? watch_level_parse(watch) : WATCH_NORMAL;
    if (t->watch == WATCH__MAX)
        t->watch = WATCH_NORMAL;
    split_tags(&r->arena, db_col_text(rows, 17, &r->arena), &t->tags, &t->ntags);
    t->version = db_col_int(rows, 18);
    t->people_version = db_col_int(rows, 19);
}

int topic_load(struct req *r, int64_t id, struct topic *out)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_TOPIC_BY_ID, (struct db_param[]){DB_INT(id), DB_INT(reader(r))}, 2,
                  &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        topic_from(r, &rows, out);
        out->space_watch = watch_level_parse(db_col_text(&rows, 20, &r->arena));
        if (out->space_watch == WATCH__MAX)
            out->space_watch = WATCH_NORMAL;
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : rc == 0 ? E_NOTFOUND : 0;
}

/* Append the rows of a topic list to *out (grown in the arena). */
static int read_topics(struct req *r, enum stmt st, const struct db_param *p, size_t np,
                       struct topic **out, size_t *n, size_t *cap)
{
    struct db_rows rows;
    int rc = db_query(req_db(r), st, p, np, &rows);

    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        if (*n == *cap)
            *out = arena_grow(&r->arena, *out, *n, cap, sizeof(**out));
        memset(&(*out)[*n], 0, sizeof(**out));
        topic_from(r, &rows, &(*out)[(*n)++]);
    }
    db_rows_done(&rows);
    return rc;
}

int topics_list(struct req *r, int64_t space_id, enum topic_filter f, struct str tag,
                const struct cursor *after, struct topic **out, size_t *n, struct cursor *next,
                bool *more)
{
    static const enum stmt stmts[FILTER__MAX] = {
        [FILTER_LATEST] = STMT_TOPICS_LATEST,
        [FILTER_UNANSWERED] = STMT_TOPICS_UNANSWERED,
        [FILTER_TAG] = STMT_TOPICS_TAGGED,
    };
    struct cursor c = after ? *after : (struct cursor){INT64_MAX, INT64_MAX};
    size_t cap = 0, pinned;
    int rc;

    *out = NULL;
    *n = 0;
    *more = false;
    if (!req_db(r))
        return E_UNAVAIL;
    if (!after && f == FILTER_LATEST) {
        rc = read_topics(r, STMT_TOPICS_PINNED,
                         (struct db_param[]){DB_INT(space_id), DB_INT(reader(r))}, 2, out, n, &cap);
        if (rc)
            return rc;
    }
    pinned = *n;
    rc = read_topics(r, stmts[f],
                     (struct db_param[]){DB_INT(space_id), DB_INT(reader(r)), DB_INT(c.key),
                                         DB_INT(c.id), DB_INT(PAGE_TOPICS), DB_TEXT(tag)},
                     f == FILTER_TAG ? 6 : 5, out, n, &cap);
    if (rc)
        return rc;
    if (*n - pinned == PAGE_TOPICS) {
        const struct topic *last = &(*out)[*n - 1];

        *more = true;
        next->key = f == FILTER_UNANSWERED ? last->created_at : last->last_post_at;
        next->id = last->id;
    }
    if (!*out)
        *out = arena_calloc(&r->arena, 1, sizeof(**out));
    return 0;
}

static int put_tags(struct db *db, int64_t topic_id, const struct str *tags, size_t ntags)
{
    int rc = 0;

    for (size_t i = 0; i < ntags && !rc; i++)
        rc = db_exec(db, STMT_TAG_INSERT, (struct db_param[]){DB_INT(topic_id), DB_TEXT(tags[i])},
                     2, NULL);
    return rc;
}

/* A new post, to the live streams of its topic and its space. */
static int emit_post(struct req *r, struct db *db, int64_t space_id, int64_t topic_id,
                     int64_t reply_to, const struct post_text *text, int64_t now, int64_t id,
                     int64_t number)
{
    struct live_event ev = {.type = "post", .space_id = space_id, .topic_id = topic_id};
    struct buf b;
    struct json j;

    buf_init(&b, &r->arena, LIVE_DATA_MAX);
    json_init(&j, &b);
    json_obj_open(&j);
    json_key(&j, "topic");
    json_i64(&j, topic_id);
    json_key(&j, "post");
    json_i64(&j, id);
    json_key(&j, "number");
    json_i64(&j, number);
    json_key(&j, "reply_to");
    json_i64_or_null(&j, reply_to);
    json_key(&j, "author");
    json_obj_open(&j);
    json_key(&j, "handle");
    json_str(&j, r->actor->handle);
    json_key(&j, "name");
    json_str(&j, r->actor->name);
    json_obj_close(&j);
    json_key(&j, "html");
    /* A post too long to travel whole says so; the page loads it. */
    json_str(&j, text->html.len < LIVE_DATA_MAX / 2 ? str_make(text->html.ptr, text->html.len)
                                                    : STR_NULL);
    json_key(&j, "created_at");
    json_i64(&j, now);
    json_obj_close(&j);
    if (b.toobig)
        return E_TOOBIG;
    ev.data = buf_str(&b);
    return live_emit(r->app, db, &ev);
}

/* Insert a post and move the topic's counters; in the caller's transaction. */
static int add_post(struct req *r, int64_t space_id, int64_t topic_id, int64_t reply_to,
                    const struct post_text *text, int64_t now, int64_t *id, int64_t *number)
{
    struct db *db = req_db(r);
    int rc = db_query_int(db, STMT_TOPIC_ADD_POST,
                          (struct db_param[]){DB_INT(topic_id), DB_INT(now), DB_INT(r->actor->id)},
                          3, number);

    if (rc)
        return rc;
    rc = db_query_int(db, STMT_POST_INSERT,
                      (struct db_param[]){
                          DB_INT(topic_id), DB_INT(space_id), DB_INT(r->actor->id), DB_INT(*number),
                          reply_to ? DB_INT(reply_to) : DB_NULL, DB_TEXT(text->body),
                          DB_TEXT(str_make(text->html.ptr, text->html.len)), DB_INT(now)},
                      8, id);
    if (!rc)
        rc = db_exec(db, STMT_READ_MARK,
                     (struct db_param[]){DB_INT(r->actor->id), DB_INT(topic_id), DB_INT(*number)},
                     3, NULL);
    if (!rc)
        rc = emit_post(r, db, space_id, topic_id, reply_to, text, now, *id, *number);
    return rc;
}

int topic_create_in(struct req *r, const struct space *s, enum topic_kind kind, struct str title,
                    const struct str *tags, size_t ntags, const struct post_text *text,
                    int64_t *topic_id, int64_t *post_id)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix(), number;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_query_int(db, STMT_TOPIC_INSERT,
                      (struct db_param[]){DB_INT(s->id), DB_INT(r->actor->id),
                                          DB_TEXTC(topic_kind_name(kind)), DB_TEXT(title),
                                          DB_INT(kind == TOPIC_ANNOUNCEMENT), DB_INT(now)},
                      6, topic_id);
    if (!rc)
        rc = put_tags(db, *topic_id, tags, ntags);
    if (!rc)
        rc = add_post(r, s->id, *topic_id, 0, text, now, post_id, &number);
    if (!rc)
        rc = db_exec(
            db, STMT_WATCH_TOPIC_PUT,
            (struct db_param[]){DB_INT(r->actor->id), DB_INT(*topic_id), DB_TEXTC("watching")}, 3,
            NULL);
    if (!rc)
        rc = activity_add(db, r->actor->id, "topic.create", "topic", *topic_id, s->id);
    if (!rc)
        rc = notify_new_post(r, s, *topic_id, *post_id, 0, 0, text->mentions.handles,
                             text->mentions.n);
    return rc;
}

int topic_create(struct req *r, const struct space *s, enum topic_kind kind, struct str title,
                 const struct str *tags, size_t ntags, const struct post_text *text,
                 int64_t *topic_id, int64_t *post_id)
{
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = topic_create_in(r, s, kind, title, tags, ntags, text, topic_id, post_id);
    return db_tx_end(db, rc);
}

int topic_update(struct req *r, const struct topic *t, struct str title, const struct str *tags,
                 size_t ntags, bool pinned)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix();
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_TOPIC_SET_TITLE,
                 (struct db_param[]){DB_INT(t->id), DB_TEXT(title), DB_INT(now)}, 3, NULL);
    if (!rc && pinned != t->pinned)
        rc = db_exec(db, STMT_TOPIC_SET_PINNED,
                     (struct db_param[]){DB_INT(t->id), DB_INT(pinned), DB_INT(now)}, 3, NULL);
    if (!rc && tags) {
        rc = db_exec(db, STMT_TAGS_CLEAR, (struct db_param[]){DB_INT(t->id)}, 1, NULL);
        if (!rc)
            rc = put_tags(db, t->id, tags, ntags);
    }
    if (!rc)
        rc = activity_add(db, r->actor->id,
                          pinned != t->pinned ? (pinned ? "topic.pin" : "topic.unpin")
                                              : "topic.edit",
                          "topic", t->id, t->space_id);
    return db_tx_end(db, rc);
}

int topic_accept(struct req *r, const struct space *s, const struct topic *t,
                 const struct post *answer)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix(), id = answer ? answer->id : 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_TOPIC_SET_ACCEPTED,
                 (struct db_param[]){DB_INT(t->id), id ? DB_INT(id) : DB_NULL, DB_INT(now)}, 3,
                 NULL);
    if (!rc)
        rc = activity_add(db, r->actor->id, id ? "topic.accept" : "topic.unaccept", "post",
                          id ? id : t->accepted_post_id, t->space_id);
    if (!rc && answer)
        rc = notify_one(r, s, NOTICE_ACCEPTED, answer->author_id, t->id, id);
    if (!rc && answer && t->author_id != r->actor->id)
        rc = notify_one(r, s, NOTICE_ACCEPTED, t->author_id, t->id, id);
    return db_tx_end(db, rc);
}

/* A post from a POST_COLS row, into arena a. */
static void post_from(struct arena *a, struct db_rows *rows, struct post *p)
{
    p->id = db_col_int(rows, 0);
    p->topic_id = db_col_int(rows, 1);
    p->space_id = db_col_int(rows, 2);
    p->number = db_col_int(rows, 3);
    p->reply_to = int_or_0(rows, 4);
    p->reply_to_number = int_or_0(rows, 5);
    p->author_id = int_or_0(rows, 6);
    p->author_handle = db_col_text(rows, 7, a);
    p->author_name = db_col_text(rows, 8, a);
    p->body = db_col_text(rows, 9, a);
    p->html = db_col_text(rows, 10, a);
    p->revision = db_col_int(rows, 11);
    p->created_at = db_col_int(rows, 12);
    p->edited_at = int_or_0(rows, 13);
    p->deleted_at = int_or_0(rows, 14);
    p->deleted_by = db_col_text(rows, 15, a);
    p->delete_reason = db_col_text(rows, 16, a);
}

bool reaction_by(const struct reaction_set *set, int64_t user_id)
{
    for (int64_t i = 0; user_id && i < set->count; i++)
        if (set->user_ids[i] == user_id)
            return true;
    return false;
}

/* Add one reactor to a post's set of that kind. */
static void add_reactor(struct arena *a, struct reaction_set *set, int64_t user_id,
                        struct str handle, struct str name)
{
    size_t n = (size_t)set->count, cap = set->cap;

    set->handles = arena_grow(a, set->handles, n, &cap, sizeof(struct str));
    cap = set->cap;
    set->names = arena_grow(a, set->names, n, &cap, sizeof(struct str));
    cap = set->cap;
    set->user_ids = arena_grow(a, set->user_ids, n, &cap, sizeof(int64_t));
    set->cap = cap;
    set->handles[n] = handle;
    set->names[n] = name;
    set->user_ids[n] = user_id;
    set->count++;
}

/* Fill the reactions of posts[0..n), the posts numbered (after, last] of a topic, in order. */
static int load_reactions(struct req *r, struct arena *a, int64_t topic_id, int64_t after,
                          struct post *posts, size_t n)
{
    struct db_rows rows;
    size_t k = 0;
    int rc =
        db_query(req_db(r), STMT_REACTIONS_OF_RANGE,
                 (struct db_param[]){DB_INT(topic_id), DB_INT(after), DB_INT(posts[n - 1].number)},
                 3, &rows);

    if (rc)
        return rc;
    /* Both lists are in post order: ids grow with numbers within a topic. */
    while ((rc = db_next(&rows)) > 0) {
        int64_t post_id = db_col_int(&rows, 0);
        enum reaction_kind kind = reaction_kind_parse(db_col_text(&rows, 1, a));

        while (k < n && posts[k].id != post_id)
            k++;
        if (k == n)
            break;
        if (kind == REACT__MAX)
            continue;
        add_reactor(a, &posts[k].reactions[kind], db_col_int(&rows, 2), db_col_text(&rows, 3, a),
                    db_col_text(&rows, 4, a));
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

int post_load(struct req *r, int64_t id, struct post *out)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_POST_BY_ID, (struct db_param[]){DB_INT(id)}, 1, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0)
        post_from(&r->arena, &rows, out);
    db_rows_done(&rows);
    return rc < 0 ? rc : rc == 0 ? E_NOTFOUND : 0;
}

int post_load_reactions(struct req *r, struct post *p)
{
    memset(p->reactions, 0, sizeof(p->reactions));
    return load_reactions(r, &r->arena, p->topic_id, p->number - 1, p, 1);
}

/* s as a JSON string, in arena a. */
static struct str json_of(struct arena *a, struct str s)
{
    struct buf b;

    buf_init(&b, a, SIZE_MAX / 2);
    json_escape(&b, s);
    return buf_str(&b);
}

/* Posts numbered above after, at most limit, with their reactions, into arena a. */
static int read_posts(struct req *r, struct arena *a, int64_t topic_id, int64_t after,
                      int64_t limit, struct post **out, size_t *n)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_POSTS_OF_TOPIC,
                  (struct db_param[]){DB_INT(topic_id), DB_INT(after), DB_INT(limit)}, 3, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        *out = arena_grow(a, *out, *n, &cap, sizeof(**out));
        memset(&(*out)[*n], 0, sizeof(**out));
        post_from(a, &rows, &(*out)[(*n)++]);
    }
    db_rows_done(&rows);
    if (rc < 0)
        return rc;
    if (!*n) {
        *out = arena_calloc(a, 1, sizeof(**out));
        return 0;
    }
    return load_reactions(r, a, topic_id, after, *out, *n);
}

int posts_page(struct req *r, const struct topic *t, int64_t after, int64_t limit,
               const struct post **out, size_t *n)
{
    struct arena *a;
    struct post *p;
    int rc;

    *out = page_cache_get(r, t, after, limit, n);
    if (*out)
        return 0;
    if (!page_cache_on()) {
        rc = read_posts(r, &r->arena, t->id, after, limit, &p, n);
        *out = p;
        return rc;
    }
    a = xmalloc(sizeof(*a));
    arena_init(a);
    rc = read_posts(r, a, t->id, after, limit, &p, n);
    for (size_t i = 0; !rc && i < *n; i++) {
        struct post_dress *d = arena_alloc(a, sizeof(*d));

        /* The words as the API sends them, escaped once for every reader to come. */
        p[i].body_json = json_of(a, p[i].body);
        p[i].html_json = json_of(a, p[i].html);
        /* And what the page shows of the post whoever reads it. */
        discuss_dress_post(a, &p[i], after, p[*n - 1].number, d);
        p[i].dress = d;
        discuss_post_json_keep(a, &p[i]);
    }
    if (rc) {
        arena_release(a);
        free(a);
        return rc;
    }
    page_cache_put(r, t, after, limit, a, p, *n);
    *out = p;
    return 0;
}

int post_create(struct req *r, const struct space *s, const struct topic *t,
                const struct post *reply_to, const struct post_text *text, int64_t *id,
                int64_t *number)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix();
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = add_post(r, s->id, t->id, reply_to ? reply_to->id : 0, text, now, id, number);
    if (!rc)
        rc = activity_add(db, r->actor->id, "post.create", "post", *id, s->id);
    if (!rc)
        rc = notify_new_post(r, s, t->id, *id, reply_to ? reply_to->author_id : 0,
                             t->kind == TOPIC_QUESTION ? t->author_id : 0, text->mentions.handles,
                             text->mentions.n);
    return db_tx_end(db, rc);
}

int post_edit(struct req *r, const struct post *p, const struct post_text *text)
{
    struct db *db = req_db(r);
    int64_t changed = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_POST_KEEP_REVISION, (struct db_param[]){DB_INT(p->id)}, 1, NULL);
    if (!rc)
        rc = db_exec(db, STMT_POST_UPDATE,
                     (struct db_param[]){DB_INT(p->id), DB_TEXT(text->body),
                                         DB_TEXT(str_make(text->html.ptr, text->html.len)),
                                         DB_INT(clock_unix())},
                     4, &changed);
    if (!rc && !changed)
        rc = E_CONFLICT; /* deleted meanwhile */
    if (!rc)
        rc = activity_add(db, r->actor->id, "post.edit", "post", p->id, p->space_id);
    return db_tx_end(db, rc);
}

int post_delete(struct req *r, const struct post *p, struct str reason)
{
    struct db *db = req_db(r);
    struct db_param id = DB_INT(p->id);
    int64_t changed = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(
        db, STMT_POST_TOMBSTONE,
        (struct db_param[]){id, DB_INT(clock_unix()), DB_INT(r->actor->id), DB_TEXT(reason)}, 4,
        &changed);
    if (!rc && !changed)
        rc = E_CONFLICT;
    if (!rc)
        rc = db_exec(db, STMT_POST_REVISIONS_DELETE, &id, 1, NULL);
    if (!rc)
        rc = db_exec(db, STMT_POST_REACTIONS_DELETE, &id, 1, NULL);
    if (!rc)
        rc = db_exec(db, STMT_POST_NOTIFICATIONS_DELETE, &id, 1, NULL);
    if (!rc)
        rc = db_exec(db, STMT_TOPIC_UNACCEPT_POST, &id, 1, NULL);
    if (!rc)
        rc = activity_add(db, r->actor->id, "post.delete", "post", p->id, p->space_id);
    return db_tx_end(db, rc);
}

int post_revisions(struct req *r, int64_t post_id, struct revision **out, size_t *n)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_POST_REVISIONS, (struct db_param[]){DB_INT(post_id)}, 1, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        struct revision *v;

        if (*n == cap)
            *out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
        v = &(*out)[(*n)++];
        v->revision = db_col_int(&rows, 0);
        v->body = db_col_text(&rows, 1, &r->arena);
        v->html = db_col_text(&rows, 2, &r->arena);
        v->created_at = db_col_int(&rows, 3);
    }
    db_rows_done(&rows);
    if (!*out)
        *out = arena_calloc(&r->arena, 1, sizeof(**out));
    return rc < 0 ? rc : 0;
}

int reaction_toggle(struct req *r, const struct space *s, const struct post *p,
                    enum reaction_kind kind, bool *on)
{
    struct db *db = req_db(r);
    struct db_param key[] = {DB_INT(p->id), DB_INT(r->actor->id),
                             DB_TEXTC(reaction_kind_name(kind)), DB_INT(clock_unix())};
    int64_t removed = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_REACTION_DELETE, key, 3, &removed);
    *on = !removed;
    if (!rc && *on)
        rc = db_exec(db, STMT_REACTION_INSERT, key, 4, NULL);
    if (!rc)
        rc = activity_add(db, r->actor->id, *on ? "reaction.add" : "reaction.remove", "post", p->id,
                          p->space_id);
    if (!rc && *on)
        rc = notify_one(r, s, NOTICE_REACTION, p->author_id, p->topic_id, p->id);
    return db_tx_end(db, rc);
}

int watch_set(struct req *r, int64_t space_id, int64_t topic_id, enum watch_level level)
{
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, topic_id ? STMT_WATCH_TOPIC_PUT : STMT_WATCH_SPACE_PUT,
                 (struct db_param[]){DB_INT(r->actor->id), DB_INT(topic_id ? topic_id : space_id),
                                     DB_TEXTC(watch_level_name(level))},
                 3, NULL);
    if (!rc)
        rc = activity_add(db, r->actor->id, "watch.set", topic_id ? "topic" : "space",
                          topic_id ? topic_id : space_id, space_id);
    return db_tx_end(db, rc);
}

int watch_of_space(struct req *r, int64_t space_id, enum watch_level *out)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int rc;

    *out = WATCH_NORMAL;
    if (!db)
        return E_UNAVAIL;
    if (!r->actor)
        return 0;
    rc = db_query(db, STMT_WATCH_SPACE_GET,
                  (struct db_param[]){DB_INT(r->actor->id), DB_INT(space_id)}, 2, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        *out = watch_level_parse(db_col_text(&rows, 0, &r->arena));
        if (*out == WATCH__MAX)
            *out = WATCH_NORMAL;
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

int topic_mark_read(struct req *r, const struct topic *t, int64_t number)
{
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    /* Reading writes only when there is something new: a page seen again costs no lock. */
    if (!r->actor || number <= t->last_read)
        return 0;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_READ_MARK,
                 (struct db_param[]){DB_INT(r->actor->id), DB_INT(t->id), DB_INT(number)}, 3, NULL);
    if (!rc)
        rc = db_exec(db, STMT_NOTIFICATIONS_READ_TOPIC,
                     (struct db_param[]){DB_INT(r->actor->id), DB_INT(t->id), DB_INT(clock_unix()),
                                         DB_INT(number)},
                     4, NULL);
    return db_tx_end(db, rc);
}
