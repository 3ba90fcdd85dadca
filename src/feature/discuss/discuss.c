#include "feature/discuss/discuss.h"

#include <string.h>

#include "app.h"
#include "core/alloc.h"
#include "core/config.h"
#include "core/err.h"
#include "core/json.h"
#include "core/utf8.h"
#include "feature/discuss/cache.h"
#include "feature/profiles/profiles.h"
#include "feature/spaces/spaces.h"

/* Opening what a request names --------------------------------------------- */

int discuss_open_topic(struct req *r, int64_t id, enum action act, struct topic *t, struct space *s)
{
    int rc = topic_load(r, id, t);

    if (!rc)
        rc = spaces_open_id(r, t->space_id, act, s);
    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "there is no such topic");
    return rc;
}

int discuss_open_post(struct req *r, int64_t id, enum action act, struct post *p, struct topic *t,
                      struct space *s)
{
    int rc = post_load(r, id, p);

    if (!rc)
        rc = topic_load(r, p->topic_id, t);
    if (!rc)
        rc = spaces_open_id(r, p->space_id, act, s);
    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "there is no such post");
    return rc;
}

/* The route's {id} as a positive number; anything else names nothing (404). */
static int id_param(struct req *r, int64_t *id)
{
    if (str_to_i64(req_param(r, "id"), id) || *id <= 0)
        return req_fail(r, E_NOTFOUND, NULL, "there is nothing here");
    return 0;
}

int discuss_prepare_text(struct req *r, const char *field, struct str body, struct post_text *out)
{
    int rc;

    memset(out, 0, sizeof(*out));
    out->body = body;
    if (!str_trim(body).len)
        return req_fail(r, E_INVAL, field, "is required");
    rc = markdown_render_mentions(&r->arena, body, (size_t)POST_BODY_MAX * 4, &out->html,
                                  &out->mentions);
    if (rc == E_TOOBIG)
        return req_fail(r, E_INVAL, field, "is too long or too complex to show");
    if (rc)
        return req_fail(r, E_INVAL, field, "could not be rendered");
    return 0;
}

int discuss_prepare_tags(struct req *r, const struct value *v, struct str **tags, size_t *n)
{
    *n = 0;
    *tags = arena_calloc(&r->arena, v->nitems ? v->nitems : 1, sizeof(**tags));
    for (size_t i = 0; i < v->nitems; i++) {
        struct str tag;
        const char *msg = rule_tag(&r->arena, v->items[i], &tag);
        bool again = false;

        if (msg)
            return req_fail(r, E_INVAL, "tags", msg);
        for (size_t k = 0; k < *n; k++)
            again |= str_eq((*tags)[k], tag);
        if (!again)
            (*tags)[(*n)++] = tag;
    }
    if (*n > TAGS_MAX)
        return req_fail(r, E_INVAL, "tags", "may hold at most 5 tags");
    return 0;
}

/* JSON --------------------------------------------------------------------- */

int64_t topic_unread(const struct topic *t)
{
    return t->last_read ? t->last_number - t->last_read : t->last_number;
}

void discuss_topic_json(struct json *j, const struct topic *t, const struct space *s)
{
    json_obj_open(j);
    json_key(j, "id");
    json_i64(j, t->id);
    json_key(j, "space");
    json_str(j, s->slug);
    json_key(j, "kind");
    json_str_c(j, topic_kind_name(t->kind));
    json_key(j, "title");
    json_str(j, t->title);
    json_key(j, "tags");
    json_arr_open(j);
    for (size_t i = 0; i < t->ntags; i++)
        json_str(j, t->tags[i]);
    json_arr_close(j);
    json_key(j, "pinned");
    json_bool(j, t->pinned);
    json_key(j, "accepted_post_id");
    json_i64_or_null(j, t->accepted_post_id);
    profile_ref_json(j, "author", t->author_handle, t->author_name);
    profile_ref_json(j, "last_poster", t->last_handle, t->last_name);
    json_key(j, "posts_count");
    json_i64(j, t->posts_count);
    json_key(j, "last_number");
    json_i64(j, t->last_number);
    json_key(j, "last_read");
    json_i64(j, t->last_read);
    json_key(j, "unread");
    json_i64(j, topic_unread(t));
    json_key(j, "watch");
    if (t->watch_set)
        json_str_c(j, watch_level_name(t->watch));
    else
        json_null(j);
    json_key(j, "created_at");
    json_i64(j, t->created_at);
    json_key(j, "last_post_at");
    json_i64(j, t->last_post_at);
    json_obj_close(j);
}

/* A post's JSON beside its body and HTML: ids, author, dates, reactions. */
#define POST_JSON_ROOM 512

/*
 * A post's JSON with accepted and each reaction's mine as given. When at is
 * not NULL, at[0] is where accepted's value begins and at[1 + k] where
 * reaction k's mine does (see discuss_post_json_keep()).
 */
static void post_json_write(struct json *j, const struct post *p, bool accepted,
                            const bool mine[REACT__MAX], size_t at[POST_JSON_PARTS - 1])
{
    json_obj_open(j);
    json_key(j, "id");
    json_i64(j, p->id);
    json_key(j, "topic_id");
    json_i64(j, p->topic_id);
    json_key(j, "number");
    json_i64(j, p->number);
    json_key(j, "reply_to");
    if (p->reply_to) {
        json_obj_open(j);
        json_key(j, "id");
        json_i64(j, p->reply_to);
        json_key(j, "number");
        json_i64(j, p->reply_to_number);
        json_obj_close(j);
    } else {
        json_null(j);
    }
    profile_ref_json(j, "author", p->author_handle, p->author_name);
    json_key(j, "body");
    if (p->body_json.len)
        json_escaped(j, p->body_json);
    else
        json_str(j, p->body);
    json_key(j, "html");
    if (p->html_json.len)
        json_escaped(j, p->html_json);
    else
        json_str(j, p->html);
    json_key(j, "revision");
    json_i64(j, p->revision);
    json_key(j, "accepted");
    if (at)
        at[0] = j->b->len;
    json_bool(j, accepted);
    json_key(j, "created_at");
    json_i64(j, p->created_at);
    json_key(j, "edited_at");
    json_i64_or_null(j, p->edited_at);
    json_key(j, "deleted");
    if (p->deleted_at) {
        json_obj_open(j);
        json_key(j, "at");
        json_i64(j, p->deleted_at);
        json_key(j, "by");
        json_str(j, p->deleted_by);
        json_key(j, "reason");
        json_str(j, p->delete_reason);
        json_obj_close(j);
    } else {
        json_null(j);
    }
    json_key(j, "reactions");
    json_obj_open(j);
    for (int k = 0; k < REACT__MAX; k++) {
        const struct reaction_set *set = &p->reactions[k];

        json_key(j, reaction_kind_name((enum reaction_kind)k));
        json_obj_open(j);
        json_key(j, "count");
        json_i64(j, set->count);
        json_key(j, "mine");
        if (at)
            at[1 + k] = j->b->len;
        json_bool(j, mine[k]);
        json_key(j, "who");
        json_arr_open(j);
        for (int64_t i = 0; i < set->count; i++) {
            json_obj_open(j);
            json_key(j, "handle");
            json_str(j, set->handles[i]);
            json_key(j, "name");
            json_str(j, set->names[i]);
            json_obj_close(j);
        }
        json_arr_close(j);
        json_obj_close(j);
    }
    json_obj_close(j);
    json_obj_close(j);
}

void discuss_post_json_keep(struct arena *a, struct post *p)
{
    static const bool no[REACT__MAX];
    size_t at[POST_JSON_PARTS - 1], from = 0;
    struct json j;
    struct buf b;

    buf_init(&b, a, LIMIT_PAGE);
    buf_grow(&b, p->body_json.len + p->html_json.len + POST_JSON_ROOM);
    json_init(&j, &b);
    post_json_write(&j, p, false, no, at);
    if (b.toobig)
        return; /* written whole on each request instead */
    /* Cut around each "false" written where the reader's own values go. */
    for (int i = 0; i < POST_JSON_PARTS - 1; i++) {
        p->json_parts[i] = str_make(b.ptr + from, at[i] - from);
        from = at[i] + strlen("false");
    }
    p->json_parts[POST_JSON_PARTS - 1] = str_make(b.ptr + from, b.len - from);
}

void discuss_post_json(struct json *j, const struct post *p, const struct topic *t, int64_t reader)
{
    bool accepted = t && t->accepted_post_id == p->id, mine[REACT__MAX];

    for (int k = 0; k < REACT__MAX; k++)
        mine[k] = reaction_by(&p->reactions[k], reader);
    if (!p->json_parts[0].len) {
        post_json_write(j, p, accepted, mine, NULL);
        return;
    }
    /* A kept page's post: its parts, and between them what is this reader's. */
    json_escaped(j, p->json_parts[0]);
    buf_puts(j->b, accepted ? "true" : "false");
    for (int k = 0; k < REACT__MAX; k++) {
        buf_append(j->b, p->json_parts[1 + k].ptr, p->json_parts[1 + k].len);
        buf_puts(j->b, mine[k] ? "true" : "false");
    }
    buf_append(j->b, p->json_parts[POST_JSON_PARTS - 1].ptr,
               p->json_parts[POST_JSON_PARTS - 1].len);
}

static void cursor_json(struct req *r, struct json *j, bool more, struct cursor next)
{
    json_key(j, "next_cursor");
    if (more)
        json_str(j, cursor_format(&r->arena, next));
    else
        json_null(j);
}

/* Topics ------------------------------------------------------------------- */

enum { TC_TITLE, TC_BODY, TC_KIND, TC_TAGS, TC__MAX };

static const struct field create_fields[TC__MAX] = {
    [TC_TITLE] = {"title", FIELD_TEXT, true, TOPIC_TITLE_MAX, 0, 0},
    [TC_BODY] = {"body", FIELD_TEXT, true, POST_BODY_MAX, 0, 0},
    [TC_KIND] = {"kind", FIELD_TEXT, false, 20, 0, 0},
    [TC_TAGS] = {"tags", FIELD_LIST, false, (size_t)TAG_MAX * 2, 0, 20},
};

int discuss_topic_kind_in(struct req *r, struct str name, const struct space *s,
                          enum topic_kind *kind)
{
    *kind = name.len ? topic_kind_parse(name) : TOPIC_DISCUSSION;
    if (*kind == TOPIC__MAX)
        return req_fail(r, E_INVAL, "kind", "must be discussion, question or announcement");
    if (*kind == TOPIC_SUMMARY)
        return req_fail(r, E_INVAL, "kind", "summaries come from an event's follow-up");
    if (*kind == TOPIC_ANNOUNCEMENT && !spaces_can(r, s, ACT_MODERATE))
        return req_fail(r, E_PERM, "kind", "only facilitators make announcements");
    return 0;
}

/* Answer with a post the caller just wrote or changed in topic t (opened already). */
static int answer_post(struct req *r, struct resp *w, int64_t post_id, const struct topic *t,
                       int status)
{
    struct post p = {0};
    struct json j;
    int rc = post_load(r, post_id, &p);

    if (!rc)
        rc = post_load_reactions(r, &p);
    if (rc)
        return rc;
    resp_json(w);
    w->status = status;
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "post");
    discuss_post_json(&j, &p, t, r->actor ? r->actor->id : 0);
    json_obj_close(&j);
    return 0;
}

static int create_topic_api(struct req *r, struct resp *w)
{
    struct space s = {0};
    struct post_text text;
    struct str title = str_trim(req_in(r, TC_TITLE)->text), *tags;
    enum topic_kind kind;
    const char *msg;
    size_t ntags;
    int64_t topic_id, post_id;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_POST, &s);

    if (rc)
        return rc;
    rc = discuss_topic_kind_in(r, req_in(r, TC_KIND)->text, &s, &kind);
    if ((msg = rule_title(title)))
        rc = req_fail(r, E_INVAL, "title", msg);
    if (discuss_prepare_tags(r, req_in(r, TC_TAGS), &tags, &ntags))
        rc = E_INVAL;
    if (discuss_prepare_text(r, "body", req_in(r, TC_BODY)->text, &text))
        rc = E_INVAL;
    if (rc)
        return rc;
    rc = topic_create(r, &s, kind, title, tags, ntags, &text, &topic_id, &post_id);
    return rc ? rc : discuss_topic_created(r, w, &s, topic_id, post_id);
}

int discuss_topic_created(struct req *r, struct resp *w, const struct space *s, int64_t topic_id,
                          int64_t post_id)
{
    struct topic t = {0};
    struct post p = {0};
    struct json j;
    int rc = topic_load(r, topic_id, &t);

    if (!rc)
        rc = post_load(r, post_id, &p);
    if (rc)
        return rc;
    resp_json(w);
    w->status = 201;
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "topic");
    discuss_topic_json(&j, &t, s);
    json_key(&j, "post");
    discuss_post_json(&j, &p, &t, r->actor ? r->actor->id : 0);
    json_obj_close(&j);
    return 0;
}

enum { TL_FILTER, TL_TAG, TL_CURSOR, TL__MAX };

static const struct field list_fields[TL__MAX] = {
    [TL_FILTER] = {"filter", FIELD_TEXT, false, 20, 0, 0},
    [TL_TAG] = {"tag", FIELD_TEXT, false, (size_t)TAG_MAX * 2, 0, 0},
    [TL_CURSOR] = {"cursor", FIELD_TEXT, false, 48, 0, 0},
};

int discuss_list_in(struct req *r, size_t filter_i, size_t tag_i, size_t cursor_i,
                    enum topic_filter *f, struct str *tag, struct cursor *c, bool *has_cursor)
{
    const struct value *fv = req_in(r, filter_i), *tv = req_in(r, tag_i), *cv = req_in(r, cursor_i);
    int rc = 0;

    *f = fv->text.len ? topic_filter_parse(fv->text) : FILTER_LATEST;
    *tag = STR_NULL;
    if (*f == FILTER__MAX)
        rc = req_fail(r, E_INVAL, "filter", "must be latest, unanswered or tag");
    if (tv->text.len) {
        const char *msg = rule_tag(&r->arena, tv->text, tag);

        if (msg)
            rc = req_fail(r, E_INVAL, "tag", msg);
        else if (*f == FILTER_LATEST)
            *f = FILTER_TAG;
    } else if (*f == FILTER_TAG) {
        rc = req_fail(r, E_INVAL, "tag", "is required with filter=tag");
    }
    *has_cursor = cv->text.len > 0;
    if (*has_cursor && !cursor_parse(cv->text, c))
        rc = req_fail(r, E_INVAL, "cursor", "is not a cursor this list gave");
    return rc;
}

static int list_topics_api(struct req *r, struct resp *w)
{
    struct space s = {0};
    struct topic *t;
    enum topic_filter f;
    struct str tag;
    struct cursor c, next = {0};
    bool has_cursor, more;
    size_t n;
    struct json j;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_READ, &s);

    if (rc)
        return rc;
    rc = discuss_list_in(r, TL_FILTER, TL_TAG, TL_CURSOR, &f, &tag, &c, &has_cursor);
    if (!rc)
        rc = topics_list(r, s.id, f, tag, has_cursor ? &c : NULL, &t, &n, &next, &more);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "filter");
    json_str_c(&j, topic_filter_name(f));
    json_key(&j, "topics");
    json_arr_open(&j);
    for (size_t i = 0; i < n; i++)
        discuss_topic_json(&j, &t[i], &s);
    json_arr_close(&j);
    cursor_json(r, &j, more, next);
    json_obj_close(&j);
    return 0;
}

enum { TS_CURSOR, TS__MAX };

static const struct field show_fields[TS__MAX] = {
    [TS_CURSOR] = {"cursor", FIELD_TEXT, false, 48, 0, 0},
};

static int show_topic_api(struct req *r, struct resp *w)
{
    struct topic t = {0};
    struct space s = {0};
    const struct post *p;
    struct cursor c = {0, 0};
    size_t n, room = POST_JSON_ROOM;
    int64_t id;
    struct json j;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_topic(r, id, ACT_READ, &t, &s);
    if (rc)
        return rc;
    if (req_in(r, TS_CURSOR)->text.len && !cursor_parse(req_in(r, TS_CURSOR)->text, &c))
        return req_fail(r, E_INVAL, "cursor", "is not a cursor this topic gave");
    rc = posts_page(r, &t, c.key, PAGE_POSTS, &p, &n);
    if (!rc && n)
        rc = topic_mark_read(r, &t, p[n - 1].number);
    if (rc)
        return rc;
    /* Room for the whole answer at once, rather than growing by copies. */
    for (size_t i = 0; i < n; i++)
        room += (p[i].body_json.len ? p[i].body_json.len + p[i].html_json.len
                                    : 2 * (p[i].body.len + p[i].html.len)) +
                POST_JSON_ROOM;
    buf_grow(&w->body, room);
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "topic");
    discuss_topic_json(&j, &t, &s);
    json_key(&j, "posts");
    json_arr_open(&j);
    for (size_t i = 0; i < n; i++)
        discuss_post_json(&j, &p[i], &t, r->actor ? r->actor->id : 0);
    json_arr_close(&j);
    cursor_json(r, &j, n == PAGE_POSTS && p[n - 1].number < t.last_number,
                (struct cursor){n ? p[n - 1].number : 0, n ? p[n - 1].id : 0});
    json_obj_close(&j);
    return 0;
}

enum { TE_TITLE, TE_TAGS, TE_PINNED, TE__MAX };

static const struct field edit_topic_fields[TE__MAX] = {
    [TE_TITLE] = {"title", FIELD_TEXT, false, TOPIC_TITLE_MAX, 0, 0},
    [TE_TAGS] = {"tags", FIELD_LIST, false, (size_t)TAG_MAX * 2, 0, 20},
    [TE_PINNED] = {"pinned", FIELD_BOOL, false, 0, 0, 0},
};

static int edit_topic_api(struct req *r, struct resp *w)
{
    struct topic t = {0};
    struct space s = {0};
    struct str title, *tags = NULL;
    size_t ntags = 0;
    bool pinned;
    const char *msg;
    int64_t id;
    struct json j;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_topic(r, id, ACT_READ, &t, &s);
    if (rc)
        return rc;
    if (t.author_id != r->actor->id && !spaces_can(r, &s, ACT_MODERATE))
        return req_fail(r, E_PERM, NULL, "only its author or a facilitator edits a topic");
    pinned = req_in(r, TE_PINNED)->present ? req_in(r, TE_PINNED)->flag : t.pinned;
    if (pinned != t.pinned && !spaces_can(r, &s, ACT_MODERATE))
        return req_fail(r, E_PERM, "pinned", "only facilitators pin and unpin");
    title = req_in(r, TE_TITLE)->present ? str_trim(req_in(r, TE_TITLE)->text) : t.title;
    if ((msg = rule_title(title)))
        rc = req_fail(r, E_INVAL, "title", msg);
    if (req_in(r, TE_TAGS)->present && discuss_prepare_tags(r, req_in(r, TE_TAGS), &tags, &ntags))
        rc = E_INVAL;
    if (!rc)
        rc = topic_update(r, &t, title, tags, ntags, pinned);
    if (!rc)
        rc = topic_load(r, t.id, &t);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "topic");
    discuss_topic_json(&j, &t, &s);
    json_obj_close(&j);
    return 0;
}

/* Posts -------------------------------------------------------------------- */

enum { PC_BODY, PC_REPLY_TO, PC__MAX };

static const struct field reply_fields[PC__MAX] = {
    [PC_BODY] = {"body", FIELD_TEXT, true, POST_BODY_MAX, 0, 0},
    [PC_REPLY_TO] = {"reply_to", FIELD_INT, false, 0, 1, INT64_MAX},
};

int discuss_reply(struct req *r, const struct space *s, const struct topic *t, int64_t reply_to,
                  struct str body, int64_t *id, int64_t *number)
{
    struct post parent;
    struct post_text text;
    int rc = 0;

    if (reply_to) {
        rc = post_load(r, reply_to, &parent);
        if (rc == E_NOTFOUND || (!rc && parent.topic_id != t->id))
            rc = req_fail(r, E_INVAL, "reply_to", "is not a post in this topic");
    }
    if (discuss_prepare_text(r, "body", body, &text))
        rc = E_INVAL;
    if (rc)
        return rc;
    return post_create(r, s, t, reply_to ? &parent : NULL, &text, id, number);
}

static int reply_api(struct req *r, struct resp *w)
{
    struct topic t = {0};
    struct space s = {0};
    int64_t id, post_id, number;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_topic(r, id, ACT_POST, &t, &s);
    if (!rc)
        rc = discuss_reply(r, &s, &t,
                           req_in(r, PC_REPLY_TO)->present ? req_in(r, PC_REPLY_TO)->num : 0,
                           req_in(r, PC_BODY)->text, &post_id, &number);
    if (rc)
        return rc;
    return answer_post(r, w, post_id, &t, 201);
}

enum { PE_BODY, PE__MAX };

static const struct field edit_post_fields[PE__MAX] = {
    [PE_BODY] = {"body", FIELD_TEXT, true, POST_BODY_MAX, 0, 0},
};

int discuss_edit(struct req *r, const struct post *p, struct str body)
{
    struct post_text text;

    if (p->author_id != r->actor->id)
        return req_fail(r, E_PERM, NULL, "only its author edits a post");
    if (p->deleted_at)
        return req_fail(r, E_CONFLICT, NULL, "this post was deleted");
    if (discuss_prepare_text(r, "body", body, &text))
        return E_INVAL;
    if (str_eq(text.body, p->body))
        return 0; /* nothing changed: no revision */
    return post_edit(r, p, &text);
}

static int edit_post_api(struct req *r, struct resp *w)
{
    struct post p = {0};
    struct topic t = {0};
    struct space s = {0};
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_post(r, id, ACT_READ, &p, &t, &s);
    if (!rc)
        rc = discuss_edit(r, &p, req_in(r, PE_BODY)->text);
    if (rc)
        return rc;
    return answer_post(r, w, p.id, &t, 200);
}

enum { PD_REASON, PD__MAX };

static const struct field delete_fields[PD__MAX] = {
    [PD_REASON] = {"reason", FIELD_TEXT, false, DELETE_REASON_MAX, 0, 0},
};

int discuss_delete(struct req *r, const struct space *s, const struct post *p, struct str reason)
{
    bool own = p->author_id == r->actor->id;

    if (!own && !spaces_can(r, s, ACT_MODERATE))
        return req_fail(r, E_PERM, NULL, "only its author or a facilitator deletes a post");
    if (p->deleted_at)
        return req_fail(r, E_CONFLICT, NULL, "this post was deleted already");
    reason = str_trim(reason);
    if (!own && !reason.len)
        return req_fail(r, E_INVAL, "reason", "is required when deleting someone else's post");
    if (utf8_has_control(reason.ptr, reason.len))
        return req_fail(r, E_INVAL, "reason", "must be one line without control characters");
    return post_delete(r, p, reason);
}

static int delete_post_api(struct req *r, struct resp *w)
{
    struct post p = {0};
    struct topic t = {0};
    struct space s = {0};
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_post(r, id, ACT_READ, &p, &t, &s);
    if (!rc)
        rc = discuss_delete(r, &s, &p, req_in(r, PD_REASON)->text);
    if (rc)
        return rc;
    return answer_post(r, w, p.id, &t, 200);
}

static int revisions_api(struct req *r, struct resp *w)
{
    struct post p = {0};
    struct topic t = {0};
    struct space s = {0};
    struct revision *v;
    size_t n;
    int64_t id;
    struct json j;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_post(r, id, ACT_READ, &p, &t, &s);
    if (!rc)
        rc = post_revisions(r, p.id, &v, &n);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "post_id");
    json_i64(&j, p.id);
    json_key(&j, "revisions");
    json_arr_open(&j);
    for (size_t i = 0; i <= n; i++) {
        bool current = i == n;

        if (current && p.deleted_at)
            break;
        json_obj_open(&j);
        json_key(&j, "revision");
        json_i64(&j, current ? p.revision : v[i].revision);
        json_key(&j, "current");
        json_bool(&j, current);
        json_key(&j, "body");
        json_str(&j, current ? p.body : v[i].body);
        json_key(&j, "html");
        json_str(&j, current ? p.html : v[i].html);
        json_key(&j, "created_at");
        json_i64(&j, current ? (p.edited_at ? p.edited_at : p.created_at) : v[i].created_at);
        json_obj_close(&j);
    }
    json_arr_close(&j);
    json_obj_close(&j);
    return 0;
}

/* Reactions, answers, watching --------------------------------------------- */

enum { RE_KIND, RE__MAX };

static const struct field react_fields[RE__MAX] = {
    [RE_KIND] = {"kind", FIELD_TEXT, true, 20, 0, 0},
};

int discuss_react(struct req *r, const struct space *s, const struct post *p, struct str name,
                  bool *on)
{
    enum reaction_kind kind = reaction_kind_parse(name);

    if (kind == REACT__MAX)
        return req_fail(r, E_INVAL, "kind", "must be like, thanks, insightful or helped");
    if (!spaces_can(r, s, ACT_POST))
        return req_fail(r, E_PERM, NULL, "join the space to react");
    if (p->deleted_at)
        return req_fail(r, E_CONFLICT, NULL, "this post was deleted");
    if (p->author_id == r->actor->id)
        return req_fail(r, E_PERM, NULL, "you cannot react to your own post");
    return reaction_toggle(r, s, p, kind, on);
}

static int react_api(struct req *r, struct resp *w)
{
    struct post p = {0};
    struct topic t = {0};
    struct space s = {0};
    int64_t id;
    bool on;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_post(r, id, ACT_READ, &p, &t, &s);
    if (!rc)
        rc = discuss_react(r, &s, &p, req_in(r, RE_KIND)->text, &on);
    if (rc)
        return rc;
    return answer_post(r, w, p.id, &t, 200);
}

enum { AC_POST_ID, AC__MAX };

static const struct field accept_fields[AC__MAX] = {
    [AC_POST_ID] = {"post_id", FIELD_INT, true, 0, 0, INT64_MAX},
};

int discuss_accept(struct req *r, const struct space *s, const struct topic *t, int64_t post_id)
{
    struct post p = {0};
    int rc;

    if (t->author_id != r->actor->id && !spaces_can(r, s, ACT_MODERATE))
        return req_fail(r, E_PERM, NULL, "only the asker or a facilitator accepts an answer");
    if (t->kind != TOPIC_QUESTION)
        return req_fail(r, E_INVAL, "post_id", "only a question has an accepted answer");
    if (!post_id)
        return topic_accept(r, s, t, NULL);
    rc = post_load(r, post_id, &p);
    if (rc == E_NOTFOUND || (!rc && p.topic_id != t->id))
        return req_fail(r, E_INVAL, "post_id", "is not a post in this topic");
    if (rc)
        return rc;
    if (p.number == 1)
        return req_fail(r, E_INVAL, "post_id", "is the question itself");
    if (p.deleted_at)
        return req_fail(r, E_INVAL, "post_id", "was deleted");
    return topic_accept(r, s, t, &p);
}

static int answer_topic(struct req *r, struct resp *w, int64_t id)
{
    struct topic t = {0};
    struct space s = {0};
    struct json j;
    int rc = discuss_open_topic(r, id, ACT_READ, &t, &s);

    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "topic");
    discuss_topic_json(&j, &t, &s);
    json_obj_close(&j);
    return 0;
}

static int accept_api(struct req *r, struct resp *w)
{
    struct topic t = {0};
    struct space s = {0};
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_topic(r, id, ACT_READ, &t, &s);
    if (!rc)
        rc = discuss_accept(r, &s, &t, req_in(r, AC_POST_ID)->num);
    if (rc)
        return rc;
    return answer_topic(r, w, t.id);
}

enum { WA_LEVEL, WA__MAX };

static const struct field watch_fields[WA__MAX] = {
    [WA_LEVEL] = {"level", FIELD_TEXT, true, 20, 0, 0},
};

int discuss_watch_level_in(struct req *r, struct str name, enum watch_level *level)
{
    *level = watch_level_parse(name);
    if (*level == WATCH__MAX)
        return req_fail(r, E_INVAL, "level", "must be watching, normal or muted");
    return 0;
}

static int watch_topic_api(struct req *r, struct resp *w)
{
    struct topic t = {0};
    struct space s = {0};
    enum watch_level level;
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_topic(r, id, ACT_WATCH, &t, &s);
    if (!rc)
        rc = discuss_watch_level_in(r, req_in(r, WA_LEVEL)->text, &level);
    if (!rc)
        rc = watch_set(r, s.id, t.id, level);
    if (rc)
        return rc;
    return answer_topic(r, w, t.id);
}

static int watch_space_api(struct req *r, struct resp *w)
{
    struct space s = {0};
    enum watch_level level;
    struct json j;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_WATCH, &s);

    if (!rc)
        rc = discuss_watch_level_in(r, req_in(r, WA_LEVEL)->text, &level);
    if (!rc)
        rc = watch_set(r, s.id, 0, level);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "space");
    json_str(&j, s.slug);
    json_key(&j, "watch");
    json_str_c(&j, watch_level_name(level));
    json_obj_close(&j);
    return 0;
}

#define TOPIC "/api/v1/topics/{id}"
#define POST  "/api/v1/posts/{id}"

static const struct route routes[] = {
    {HTTP_POST, "/api/v1/spaces/{slug}/topics", create_topic_api, create_fields, TC__MAX,
     ROUTE_AUTH},
    {HTTP_GET, "/api/v1/spaces/{slug}/topics", list_topics_api, list_fields, TL__MAX, 0},
    {HTTP_POST, "/api/v1/spaces/{slug}/watch", watch_space_api, watch_fields, WA__MAX, ROUTE_AUTH},
    {HTTP_GET, TOPIC, show_topic_api, show_fields, TS__MAX, 0},
    {HTTP_PATCH, TOPIC, edit_topic_api, edit_topic_fields, TE__MAX, ROUTE_AUTH},
    {HTTP_POST, TOPIC "/posts", reply_api, reply_fields, PC__MAX, ROUTE_AUTH},
    {HTTP_POST, TOPIC "/accept", accept_api, accept_fields, AC__MAX, ROUTE_AUTH},
    {HTTP_POST, TOPIC "/watch", watch_topic_api, watch_fields, WA__MAX, ROUTE_AUTH},
    {HTTP_PATCH, POST, edit_post_api, edit_post_fields, PE__MAX, ROUTE_AUTH},
    {HTTP_DELETE, POST, delete_post_api, delete_fields, PD__MAX, ROUTE_AUTH},
    {HTTP_GET, POST "/revisions", revisions_api, NULL, 0, 0},
    {HTTP_POST, POST "/reactions", react_api, react_fields, RE__MAX, ROUTE_AUTH},
};

/* Topic pages' posts are kept in memory by the page-cache setting. */
static int init(struct app *a)
{
    page_cache_init((size_t)a->cfg->page_cache_mb * 1024 * 1024);
    return 0;
}

static void fini(struct app *a)
{
    (void)a;
    page_cache_fini();
}

static void metrics(struct buf *b)
{
    struct page_cache_stats st;

    page_cache_stats(&st);
    buf_printf(b,
               "# HELP praxis_page_cache_hits_total Topic pages shown from posts kept in memory.\n"
               "# TYPE praxis_page_cache_hits_total counter\n"
               "praxis_page_cache_hits_total %llu\n"
               "# HELP praxis_page_cache_misses_total Topic pages whose posts were read afresh.\n"
               "# TYPE praxis_page_cache_misses_total counter\n"
               "praxis_page_cache_misses_total %llu\n"
               "# HELP praxis_page_cache_pages Topic pages' posts kept in memory.\n"
               "# TYPE praxis_page_cache_pages gauge\n"
               "praxis_page_cache_pages %llu\n"
               "# HELP praxis_page_cache_bytes Memory those pages take.\n"
               "# TYPE praxis_page_cache_bytes gauge\n"
               "praxis_page_cache_bytes %llu\n",
               (unsigned long long)st.hits, (unsigned long long)st.misses,
               (unsigned long long)st.pages, (unsigned long long)st.bytes);
}

const struct feature feature_discuss = {
    .name = "discuss",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
    .init = init,
    .fini = fini,
    .metrics = metrics,
};
