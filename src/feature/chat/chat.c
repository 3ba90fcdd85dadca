/*
 * Chat's API, the steps it shares with the pages, and the feature's
 * routes (pages.c holds the pages' handlers).
 */
#include "feature/chat/chat.h"

#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/json.h"
#include "core/utf8.h"
#include "feature/chat/chat_int.h"
#include "feature/discuss/discuss.h"
#include "feature/profiles/profiles.h"
#include "feature/spaces/spaces.h"

/* Inputs --------------------------------------------------------------------- */

const struct field chat_body_fields[CB__MAX] = {
    [CB_BODY] = {"body", FIELD_TEXT, true, CHAT_BODY_MAX, 0, 0},
};
const struct field chat_create_fields[CC__MAX] = {
    [CC_NAME] = {"name", FIELD_TEXT, true, CHAT_NAME_MAX + 1, 0, 0},
    [CC_PRIVATE] = {"private", FIELD_BOOL, false, 0, 0, 0},
    [CC_MEMBERS] = {"members", FIELD_LIST, false, MARKDOWN_HANDLE_MAX + 1, 0, CHAT_HANDLES},
};
const struct field chat_update_fields[CU__MAX] = {
    [CU_NAME] = {"name", FIELD_TEXT, false, CHAT_NAME_MAX + 1, 0, 0},
    [CU_READ_ONLY] = {"read_only", FIELD_BOOL, false, 0, 0, 0},
};
const struct field chat_handles_fields[CH__MAX] = {
    [CH_HANDLES] = {"handles", FIELD_LIST, true, MARKDOWN_HANDLE_MAX + 1, 0, CHAT_HANDLES},
};
const struct field chat_topic_fields[CT__MAX] = {
    [CT_TITLE] = {"title", FIELD_TEXT, true, TOPIC_TITLE_MAX, 0, 0},
};
const struct field chat_list_fields[CL__MAX] = {
    [CL_BEFORE] = {"before", FIELD_INT, false, 0, 1, INT64_MAX},
};

enum { RD_MESSAGE_ID, RD__MAX };

static const struct field read_fields[RD__MAX] = {
    [RD_MESSAGE_ID] = {"message_id", FIELD_INT, false, 0, 1, INT64_MAX},
};

/* Opening what a request names ----------------------------------------------- */

int chat_open(struct req *r, int64_t id, struct channel *c, struct space *s)
{
    int rc = chat_channel_load(r, id, c);

    memset(s, 0, sizeof(*s));
    if (!rc && c->kind == CHAT_KIND_DIRECT) {
        rc = c->is_member ? 0 : E_NOTFOUND;
    } else if (!rc) {
        rc = spaces_open_id(r, c->space_id, ACT_READ, s);
        if (!rc && c->kind == CHAT_KIND_PRIVATE && !c->is_member)
            rc = E_NOTFOUND;
    }
    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "there is no such channel");
    return rc;
}

int chat_open_message(struct req *r, int64_t id, struct chat_message *m, struct channel *c,
                      struct space *s)
{
    int rc = chat_message_load(r, id, m);

    if (!rc)
        rc = chat_open(r, m->channel_id, c, s);
    if (rc == E_NOTFOUND) {
        r->nerrs = 0;
        return req_fail(r, E_NOTFOUND, NULL, "there is no such message");
    }
    return rc;
}

int chat_open_channel(struct req *r, int64_t id, int64_t *space_id)
{
    struct channel c = {0};
    struct space s = {0};
    int rc = chat_open(r, id, &c, &s);

    *space_id = rc ? 0 : c.space_id;
    return rc;
}

bool chat_moderates(struct req *r, const struct channel *c, const struct space *s)
{
    return r->actor && c->kind != CHAT_KIND_DIRECT && spaces_can(r, s, ACT_MODERATE);
}

bool chat_may_add(struct req *r, const struct channel *c, const struct space *s)
{
    return r->actor && c->kind == CHAT_KIND_PRIVATE &&
           (c->created_by == r->actor->id || chat_moderates(r, c, s));
}

int chat_may_post(struct req *r, const struct channel *c, const struct space *s)
{
    if (!r->actor)
        return req_fail_status(r, 401, "sign in first");
    if (c->kind == CHAT_KIND_DIRECT)
        return 0; /* open to the caller: they are in it */
    if (!spaces_can(r, s, ACT_POST))
        return req_fail(r, E_PERM, NULL, "join this space to take part in its chat");
    if (c->read_only && !spaces_can(r, s, ACT_MODERATE))
        return req_fail(r, E_PERM, NULL, "this channel is read-only: only facilitators post here");
    return 0;
}

bool chat_can_post(struct req *r, const struct channel *c, const struct space *s)
{
    if (!r->actor)
        return false;
    if (c->kind == CHAT_KIND_DIRECT)
        return true;
    return spaces_can(r, s, ACT_POST) && (!c->read_only || spaces_can(r, s, ACT_MODERATE));
}

/* The route's {id} as a positive number; anything else names nothing (404). */
static int id_param(struct req *r, int64_t *id)
{
    if (str_to_i64(req_param(r, "id"), id) || *id <= 0)
        return req_fail(r, E_NOTFOUND, NULL, "there is nothing here");
    return 0;
}

/* Steps ---------------------------------------------------------------------- */

/* A channel's name as typed: trimmed, a leading '#' dropped, checked. */
static int name_in(struct req *r, const char *field, struct str raw, struct str *name)
{
    const char *msg;

    *name = str_trim(raw);
    if (name->len && name->ptr[0] == '#')
        *name = str_trim(str_make(name->ptr + 1, name->len - 1));
    msg = chat_rule_name(*name);
    if (msg)
        return req_fail(r, E_INVAL, field, msg);
    return 0;
}

/* "@handle ..." in the arena, for a message naming the person at fault. */
static const char *about(struct req *r, struct str handle, const char *what)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_TEXT_DEFAULT);
    BUF_LIT(&b, "has @");
    buf_put_str(&b, handle);
    buf_puts(&b, what);
    return buf_str(&b).ptr;
}

/*
 * The people a list of handles names ("@" optional, any case), in the
 * arena; with s, each must be able to read it. *ids has room for one more.
 */
static int people_in(struct req *r, const char *field, const struct value *v, const struct space *s,
                     int64_t **ids, size_t *n)
{
    *n = 0;
    *ids = arena_calloc(&r->arena, v->nitems + 1, sizeof(**ids));
    for (size_t i = 0; i < v->nitems; i++) {
        struct str h = str_trim(v->items[i]);
        char *lower;
        bool can = true;
        int rc;

        if (h.len && h.ptr[0] == '@')
            h = str_make(h.ptr + 1, h.len - 1);
        lower = str_dup(&r->arena, h);
        for (size_t k = 0; k < h.len; k++)
            if (lower[k] >= 'A' && lower[k] <= 'Z')
                lower[k] = (char)(lower[k] - 'A' + 'a');
        h = str_make(lower, h.len);
        rc = h.len ? user_id_of(r, h, &(*ids)[*n]) : E_NOTFOUND;
        if (rc == E_NOTFOUND)
            return req_fail(r, E_INVAL, field, about(r, h, ", who is not someone here"));
        if (rc)
            return rc;
        if (s) {
            rc = spaces_user_can(r, s, (*ids)[*n], ACT_READ, &can);
            if (rc)
                return rc;
            if (!can)
                return req_fail(r, E_INVAL, field, about(r, h, ", who may not read this space"));
        }
        (*n)++;
    }
    return 0;
}

int chat_create_channel(struct req *r, const struct space *s, struct str raw, bool private,
                        const struct value *members, int64_t *id)
{
    struct str name;
    int64_t *ids = NULL, general;
    size_t n = 0;
    int rc = name_in(r, "name", raw, &name);

    if (members->nitems && !private)
        rc = req_fail(r, E_INVAL, "members", "are only for a private channel");
    else if (private && people_in(r, "members", members, s, &ids, &n))
        rc = E_INVAL;
    if (rc)
        return rc;
    /* The general channel first, so a channel named "general" cannot take its place. */
    rc = chat_general_ensure(r, s->id, &general);
    if (!rc)
        rc = chat_channel_create(r, s, private ? CHAT_KIND_PRIVATE : CHAT_KIND_PUBLIC, name, ids, n,
                                 id);
    if (rc == E_CONFLICT)
        return req_fail(r, E_CONFLICT, "name", "is taken by another channel of this space");
    return rc;
}

int chat_update(struct req *r, const struct channel *c, const struct space *s,
                const struct value *name_v, const struct value *ro_v)
{
    struct str name = c->name;
    bool ro = c->read_only;
    int rc;

    if (c->kind == CHAT_KIND_DIRECT)
        return req_fail(r, E_INVAL, name_v->present ? "name" : "read_only",
                        "a direct conversation has no name or settings to change");
    if (!name_v->present && !ro_v->present)
        return req_fail(r, E_INVAL, "read_only", "send name, read_only or both");
    if (ro_v->present) {
        if (!chat_moderates(r, c, s))
            return req_fail(r, E_PERM, "read_only",
                            "only facilitators make a channel read-only or open it again");
        ro = ro_v->flag;
    }
    if (name_v->present) {
        if (c->kind == CHAT_KIND_GENERAL)
            return req_fail(r, E_INVAL, "name", "the general channel keeps its name");
        if (c->created_by != r->actor->id && !chat_moderates(r, c, s))
            return req_fail(r, E_PERM, "name",
                            "only the person who opened it or a facilitator renames a channel");
        rc = name_in(r, "name", name_v->text, &name);
        if (rc)
            return rc;
    }
    if (str_eq(name, c->name) && ro == c->read_only)
        return 0;
    rc = chat_channel_update(r, c, name, ro);
    if (rc == E_CONFLICT)
        return req_fail(r, E_CONFLICT, "name", "is taken by another channel of this space");
    return rc;
}

int chat_add_members(struct req *r, const struct channel *c, const struct space *s,
                     const struct value *handles)
{
    int64_t *ids;
    size_t n;

    if (c->kind == CHAT_KIND_DIRECT)
        return req_fail(r, E_INVAL, "handles",
                        "cannot grow a conversation: start a new one with everyone in it");
    if (c->kind != CHAT_KIND_PRIVATE)
        return req_fail(r, E_INVAL, "handles",
                        "cannot be added: a public channel is open to everyone in the space");
    if (!chat_may_add(r, c, s))
        return req_fail(r, E_PERM, NULL,
                        "only the person who opened this channel or a facilitator adds people");
    if (people_in(r, "handles", handles, s, &ids, &n))
        return E_INVAL;
    return chat_members_add(r, c, ids, n);
}

int chat_start_dm(struct req *r, const struct value *handles, int64_t *id, bool *created)
{
    int64_t *ids;
    size_t n, people;

    if (people_in(r, "handles", handles, NULL, &ids, &n))
        return E_INVAL;
    ids[n++] = r->actor->id;
    (void)chat_dm_key(&r->arena, ids, n, &people);
    if (people < 2)
        return req_fail(r, E_INVAL, "handles", "must name someone besides you");
    if (people > CHAT_DM_PEOPLE)
        return req_fail(r, E_INVAL, "handles", "may name at most 8 people besides you");
    return chat_dm_open(r, ids, n, id, created);
}

/* A message's Markdown, rendered as posts are; the field is "body". */
static int text_in(struct req *r, struct str body, struct post_text *text)
{
    if (!utf8_valid(body.ptr, body.len))
        return req_fail(r, E_INVAL, "body", "is not valid UTF-8");
    if (utf8_len(body.ptr, body.len) > CHAT_BODY_MAX)
        return req_fail(r, E_INVAL, "body", "is longer than 4000 characters");
    return discuss_prepare_text(r, "body", body, text);
}

int chat_post(struct req *r, const struct channel *c, const struct space *s, struct str body,
              int64_t *id)
{
    struct post_text text;
    int rc = chat_may_post(r, c, s);

    if (!rc)
        rc = text_in(r, body, &text);
    if (!rc)
        rc = chat_message_post(r, c, &text, id);
    return rc;
}

int chat_edit(struct req *r, const struct channel *c, const struct chat_message *m, struct str body)
{
    struct post_text text = {0};
    int rc;

    if (m->author_id != r->actor->id)
        return req_fail(r, E_PERM, NULL, "only its author edits a message");
    if (m->deleted_at)
        return req_fail(r, E_CONFLICT, NULL, "this message was deleted");
    rc = text_in(r, body, &text);
    if (rc)
        return rc;
    if (str_eq(text.body, m->body))
        return 0; /* nothing changed */
    return chat_message_edit(r, c, m, &text);
}

int chat_delete(struct req *r, const struct channel *c, const struct space *s,
                const struct chat_message *m)
{
    if (m->author_id != r->actor->id && !chat_moderates(r, c, s))
        return req_fail(r, E_PERM, NULL, "only its author or a facilitator deletes a message");
    if (m->deleted_at)
        return req_fail(r, E_CONFLICT, NULL, "this message was deleted already");
    return chat_message_delete(r, c, m);
}

/* Markdown's punctuation escaped, so a name stays words. */
static void put_plain(struct buf *b, struct str s)
{
    for (size_t i = 0; i < s.len; i++) {
        if (strchr("\\`*_{}[]()<>#+-.!|~&@", s.ptr[i]) && s.ptr[i])
            buf_putc(b, '\\');
        buf_putc(b, s.ptr[i]);
    }
}

/*
 * The first post of a topic made from a message: who wrote it, where (a
 * link to the page of the channel that holds it), then its words quoted.
 */
static struct str quoted_message(struct req *r, const struct channel *c,
                                 const struct chat_message *m)
{
    struct str body = str_trim(m->body);
    struct buf b;

    buf_init(&b, &r->arena, (size_t)CHAT_BODY_MAX * 8);
    if (m->author_name.len)
        BUF_LIT(&b, "**");
    put_plain(&b, m->author_name.len ? m->author_name : STR_LIT("A former member"));
    if (m->author_name.len)
        BUF_LIT(&b, "**");
    BUF_LIT(&b, " wrote in [#");
    put_plain(&b, c->name);
    buf_printf(&b, "](/channels/%lld?before=%lld#m-%lld):\n\n> ", (long long)c->id,
               (long long)m->id + 1, (long long)m->id);
    for (size_t i = 0; i < body.len; i++) {
        buf_putc(&b, body.ptr[i]);
        if (body.ptr[i] == '\n')
            BUF_LIT(&b, "> ");
    }
    BUF_LIT(&b, "\n");
    return buf_str(&b);
}

int chat_make_topic(struct req *r, const struct channel *c, const struct chat_message *m,
                    struct str title, int64_t *topic_id, int64_t *post_id)
{
    struct space s = {0};
    struct post_text text;
    const char *msg;
    int rc;

    if (c->kind == CHAT_KIND_DIRECT)
        return req_fail(r, E_INVAL, NULL,
                        "a direct conversation has no space to hold a topic: start one in a "
                        "space instead");
    rc = spaces_open_id(r, c->space_id, ACT_POST, &s);
    if (rc == E_PERM) {
        r->nerrs = 0;
        return req_fail(r, E_PERM, NULL, "join this space to start a topic in it");
    }
    if (rc)
        return rc;
    if (c->kind == CHAT_KIND_PRIVATE && m->author_id != r->actor->id)
        return req_fail(r, E_PERM, NULL,
                        "in a private channel only its author makes a message a topic for the "
                        "whole space");
    if (m->deleted_at)
        return req_fail(r, E_CONFLICT, NULL, "this message was deleted");
    if (m->topic_id)
        return req_fail(r, E_CONFLICT, NULL, "this message continues in a topic already");
    title = str_trim(title);
    msg = rule_title(title);
    if (msg)
        return req_fail(r, E_INVAL, "title", msg);
    rc = discuss_prepare_text(r, "body", quoted_message(r, c, m), &text);
    if (!rc)
        rc = chat_message_to_topic(r, c, &s, m, title, &text, topic_id, post_id);
    if (rc == E_CONFLICT)
        return req_fail(r, E_CONFLICT, NULL, "this message continues in a topic already");
    return rc;
}

int chat_read(struct req *r, const struct channel *c, int64_t message_id)
{
    struct chat_message m = {0};
    int rc;

    if (!r->actor)
        return 0;
    if (message_id) {
        rc = chat_message_load(r, message_id, &m);
        if (rc == E_NOTFOUND || (!rc && m.channel_id != c->id))
            return req_fail(r, E_INVAL, "message_id", "is not a message of this channel");
    } else {
        rc = chat_latest_id(r, c->id, &message_id);
    }
    if (rc)
        return rc;
    return chat_mark_read(r, c, message_id);
}

/* JSON ----------------------------------------------------------------------- */

static void space_json(struct json *j, const struct channel *c)
{
    json_key(j, "space");
    if (c->space_id)
        json_str(j, c->space_slug);
    else
        json_null(j);
}

static void time_or_null(struct json *j, const char *key, int64_t t)
{
    json_key(j, key);
    json_i64_or_null(j, t);
}

void chat_message_json(struct req *r, struct json *j, const struct channel *c,
                       const struct chat_message *m, bool event)
{
    json_obj_open(j);
    json_key(j, "id");
    json_i64(j, m->id);
    json_key(j, "channel");
    json_i64(j, m->channel_id);
    space_json(j, c);
    profile_ref_json(j, "author", m->author_handle, m->author_name);
    json_key(j, "body");
    json_str(j, m->body);
    json_key(j, "html");
    json_str(j, m->html);
    json_key(j, "created_at");
    json_i64(j, m->created_at);
    time_or_null(j, "edited_at", m->edited_at);
    if (!event) {
        json_key(j, "deleted");
        if (m->deleted_at) {
            json_obj_open(j);
            json_key(j, "at");
            json_i64(j, m->deleted_at);
            json_key(j, "by");
            json_str(j, m->deleted_by);
            json_obj_close(j);
        } else {
            json_null(j);
        }
        json_key(j, "mine");
        json_bool(j, r->actor && m->author_id == r->actor->id);
    }
    json_key(j, "topic");
    if (m->topic_id) {
        json_obj_open(j);
        json_key(j, "id");
        json_i64(j, m->topic_id);
        json_key(j, "title");
        json_str(j, m->topic_title);
        json_obj_close(j);
    } else {
        json_null(j);
    }
    json_obj_close(j);
}

void chat_channel_json(struct json *j, const struct channel *c, const struct chat_person *members,
                       size_t nmembers, bool may_post)
{
    json_obj_open(j);
    json_key(j, "id");
    json_i64(j, c->id);
    space_json(j, c);
    json_key(j, "kind");
    json_str_c(j, chat_kind_name(c->kind));
    json_key(j, "name");
    json_str(j, c->name);
    json_key(j, "private");
    json_bool(j, c->kind == CHAT_KIND_PRIVATE || c->kind == CHAT_KIND_DIRECT);
    json_key(j, "read_only");
    json_bool(j, c->read_only);
    profile_ref_json(j, "created_by", c->creator_handle, c->creator_name);
    json_key(j, "created_at");
    json_i64(j, c->created_at);
    time_or_null(j, "last_message_at", c->last_message_at);
    json_key(j, "last_read");
    json_i64(j, c->last_read);
    json_key(j, "unread");
    json_i64(j, c->unread);
    json_key(j, "can_post");
    json_bool(j, may_post);
    json_key(j, "members");
    if (members) {
        json_arr_open(j);
        for (size_t i = 0; i < nmembers; i++) {
            json_obj_open(j);
            json_key(j, "handle");
            json_str(j, members[i].handle);
            json_key(j, "name");
            json_str(j, members[i].name);
            json_obj_close(j);
        }
        json_arr_close(j);
    } else {
        json_null(j);
    }
    json_obj_close(j);
}

struct str chat_dm_title(struct req *r, const struct chat_person *people, size_t n)
{
    size_t others = 0, k = 0;
    struct buf b;

    for (size_t i = 0; i < n; i++)
        others += !r->actor || people[i].id != r->actor->id;
    buf_init(&b, &r->arena, LIMIT_TEXT_DEFAULT);
    for (size_t i = 0; i < n; i++) {
        if (r->actor && people[i].id == r->actor->id)
            continue;
        if (k)
            buf_puts(&b, k + 1 == others ? " and " : ", ");
        buf_put_str(&b, people[i].name.len ? people[i].name : people[i].handle);
        k++;
    }
    if (!k)
        BUF_LIT(&b, "Just you");
    return buf_str(&b);
}

/* Answers -------------------------------------------------------------------- */

/* {"channel": …} for a channel the caller may read (opened already, or just written). */
static int answer_channel(struct req *r, struct resp *w, int64_t id, int status)
{
    struct channel c = {0};
    struct space s = {0};
    struct chat_person *members = NULL;
    size_t n = 0;
    struct json j;
    int rc = chat_open(r, id, &c, &s);

    if (!rc && (c.kind == CHAT_KIND_PRIVATE || c.kind == CHAT_KIND_DIRECT))
        rc = chat_members_of(r, c.id, &members, &n);
    if (rc)
        return rc;
    resp_json(w);
    w->status = status;
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "channel");
    chat_channel_json(&j, &c, members, n, chat_can_post(r, &c, &s));
    json_obj_close(&j);
    return 0;
}

static int answer_message(struct req *r, struct resp *w, int64_t id, int status)
{
    struct chat_message m = {0};
    struct channel c = {0};
    struct space s = {0};
    struct json j;
    int rc = chat_open_message(r, id, &m, &c, &s);

    if (rc)
        return rc;
    resp_json(w);
    w->status = status;
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "message");
    chat_message_json(r, &j, &c, &m, false);
    json_obj_close(&j);
    return 0;
}

/* Channels ------------------------------------------------------------------- */

static int list_channels_api(struct req *r, struct resp *w)
{
    struct space s = {0};
    struct channel *c;
    size_t n;
    int64_t general;
    struct json j;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_READ, &s);

    if (!rc)
        rc = chat_general_ensure(r, s.id, &general);
    if (!rc)
        rc = chat_channels_of_space(r, s.id, &c, &n);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "space");
    json_str(&j, s.slug);
    json_key(&j, "channels");
    json_arr_open(&j);
    for (size_t i = 0; i < n; i++)
        chat_channel_json(&j, &c[i], NULL, 0, chat_can_post(r, &c[i], &s));
    json_arr_close(&j);
    json_obj_close(&j);
    return 0;
}

static int create_channel_api(struct req *r, struct resp *w)
{
    struct space s = {0};
    int64_t id = 0;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_POST, &s);

    if (!rc)
        rc = chat_create_channel(r, &s, req_in(r, CC_NAME)->text, req_in(r, CC_PRIVATE)->flag,
                                 req_in(r, CC_MEMBERS), &id);
    if (rc)
        return rc;
    return answer_channel(r, w, id, 201);
}

static int show_channel_api(struct req *r, struct resp *w)
{
    int64_t id;
    int rc = id_param(r, &id);

    if (rc)
        return rc;
    return answer_channel(r, w, id, 200);
}

static int update_channel_api(struct req *r, struct resp *w)
{
    struct channel c = {0};
    struct space s = {0};
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = chat_open(r, id, &c, &s);
    if (!rc)
        rc = chat_update(r, &c, &s, req_in(r, CU_NAME), req_in(r, CU_READ_ONLY));
    if (rc)
        return rc;
    return answer_channel(r, w, id, 200);
}

static int members_api(struct req *r, struct resp *w)
{
    struct channel c = {0};
    struct space s = {0};
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = chat_open(r, id, &c, &s);
    if (!rc)
        rc = chat_add_members(r, &c, &s, req_in(r, CH_HANDLES));
    if (rc)
        return rc;
    return answer_channel(r, w, id, 200);
}

static int read_api(struct req *r, struct resp *w)
{
    struct channel c = {0};
    struct space s = {0};
    const struct value *v = req_in(r, RD_MESSAGE_ID);
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = chat_open(r, id, &c, &s);
    if (!rc)
        rc = chat_read(r, &c, v->present ? v->num : 0);
    if (rc)
        return rc;
    return answer_channel(r, w, id, 200);
}

/* Direct conversations -------------------------------------------------------- */

static int start_dm_api(struct req *r, struct resp *w)
{
    int64_t id = 0;
    bool created = false;
    int rc = chat_start_dm(r, req_in(r, CH_HANDLES), &id, &created);

    if (rc)
        return rc;
    return answer_channel(r, w, id, created ? 201 : 200);
}

static int list_dms_api(struct req *r, struct resp *w)
{
    struct channel *c;
    struct chat_people *people = NULL;
    size_t n = 0;
    struct json j;
    int rc = chat_dms_of_reader(r, &c, &n);

    if (!rc)
        rc = chat_dm_people(r, c, n, &people);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "conversations");
    json_arr_open(&j);
    for (size_t i = 0; i < n; i++)
        chat_channel_json(&j, &c[i], people[i].people, people[i].n, true);
    json_arr_close(&j);
    json_obj_close(&j);
    return 0;
}

/* Messages ------------------------------------------------------------------- */

static int list_messages_api(struct req *r, struct resp *w)
{
    struct channel c = {0};
    struct space s = {0};
    struct chat_message *m;
    const struct value *before = req_in(r, CL_BEFORE);
    size_t n;
    bool more;
    int64_t id;
    struct json j;
    int rc = id_param(r, &id);

    if (!rc)
        rc = chat_open(r, id, &c, &s);
    if (!rc)
        rc =
            chat_messages_before(r, c.id, before->present ? before->num : 0, CHAT_PAGE + 1, &m, &n);
    if (rc)
        return rc;
    more = n > CHAT_PAGE;
    if (more)
        n = CHAT_PAGE;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "channel");
    json_i64(&j, c.id);
    json_key(&j, "messages");
    json_arr_open(&j);
    for (size_t i = n; i-- > 0;) /* oldest first */
        chat_message_json(r, &j, &c, &m[i], false);
    json_arr_close(&j);
    json_key(&j, "next");
    if (more)
        json_i64(&j, m[n - 1].id);
    else
        json_null(&j);
    json_obj_close(&j);
    return 0;
}

static int post_message_api(struct req *r, struct resp *w)
{
    struct channel c = {0};
    struct space s = {0};
    int64_t id, message_id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = chat_open(r, id, &c, &s);
    if (!rc)
        rc = chat_post(r, &c, &s, req_in(r, CB_BODY)->text, &message_id);
    if (rc)
        return rc;
    return answer_message(r, w, message_id, 201);
}

static int edit_message_api(struct req *r, struct resp *w)
{
    struct chat_message m = {0};
    struct channel c = {0};
    struct space s = {0};
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = chat_open_message(r, id, &m, &c, &s);
    if (!rc)
        rc = chat_edit(r, &c, &m, req_in(r, CB_BODY)->text);
    if (rc)
        return rc;
    return answer_message(r, w, id, 200);
}

static int delete_message_api(struct req *r, struct resp *w)
{
    struct chat_message m = {0};
    struct channel c = {0};
    struct space s = {0};
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = chat_open_message(r, id, &m, &c, &s);
    if (!rc)
        rc = chat_delete(r, &c, &s, &m);
    if (rc)
        return rc;
    return answer_message(r, w, id, 200);
}

static int topic_api(struct req *r, struct resp *w)
{
    struct chat_message m = {0};
    struct channel c = {0};
    struct space s = {0};
    int64_t id, topic_id = 0, post_id = 0;
    int rc = id_param(r, &id);

    if (!rc)
        rc = chat_open_message(r, id, &m, &c, &s);
    if (!rc)
        rc = chat_make_topic(r, &c, &m, req_in(r, CT_TITLE)->text, &topic_id, &post_id);
    return rc ? rc : discuss_topic_created(r, w, &s, topic_id, post_id);
}

/* The feature ----------------------------------------------------------------- */

#define CHANNEL "/api/v1/channels/{id}"
#define MESSAGE "/api/v1/messages/{id}"
#define FORM    (ROUTE_AUTH | ROUTE_OWN_ERRORS)

static const struct route routes[] = {
    {HTTP_GET, "/api/v1/spaces/{slug}/channels", list_channels_api, NULL, 0, 0},
    {HTTP_POST, "/api/v1/spaces/{slug}/channels", create_channel_api, chat_create_fields, CC__MAX,
     ROUTE_AUTH},
    {HTTP_GET, CHANNEL, show_channel_api, NULL, 0, 0},
    {HTTP_PATCH, CHANNEL, update_channel_api, chat_update_fields, CU__MAX, ROUTE_AUTH},
    {HTTP_GET, CHANNEL "/messages", list_messages_api, chat_list_fields, CL__MAX, 0},
    {HTTP_POST, CHANNEL "/messages", post_message_api, chat_body_fields, CB__MAX, ROUTE_AUTH},
    {HTTP_POST, CHANNEL "/read", read_api, read_fields, RD__MAX, ROUTE_AUTH},
    {HTTP_POST, CHANNEL "/members", members_api, chat_handles_fields, CH__MAX, ROUTE_AUTH},
    {HTTP_PATCH, MESSAGE, edit_message_api, chat_body_fields, CB__MAX, ROUTE_AUTH},
    {HTTP_DELETE, MESSAGE, delete_message_api, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, MESSAGE "/topic", topic_api, chat_topic_fields, CT__MAX, ROUTE_AUTH},
    {HTTP_GET, "/api/v1/dm", list_dms_api, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, "/api/v1/dm", start_dm_api, chat_handles_fields, CH__MAX, ROUTE_AUTH},
    /* The pages (pages.c). */
    {HTTP_GET, "/spaces/{slug}/chat", chat_space_page, chat_list_fields, CL__MAX, ROUTE_OWN_ERRORS},
    {HTTP_POST, "/spaces/{slug}/chat", chat_create_page, chat_create_fields, CC__MAX, FORM},
    {HTTP_GET, "/channels/{id}", chat_channel_page, chat_list_fields, CL__MAX, ROUTE_OWN_ERRORS},
    {HTTP_POST, "/channels/{id}/messages", chat_post_page, chat_body_fields, CB__MAX, FORM},
    {HTTP_POST, "/channels/{id}/members", chat_members_page, chat_handles_fields, CH__MAX, FORM},
    {HTTP_POST, "/channels/{id}/settings", chat_settings_page, chat_update_fields, CU__MAX, FORM},
    {HTTP_GET, "/messages", chat_dms_page, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, "/messages", chat_dm_page, chat_handles_fields, CH__MAX, FORM},
    {HTTP_GET, "/messages/{id}/edit", chat_edit_form, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, "/messages/{id}/edit", chat_edit_page, chat_body_fields, CB__MAX, FORM},
    {HTTP_POST, "/messages/{id}/delete", chat_delete_page, NULL, 0, ROUTE_AUTH},
    {HTTP_GET, "/messages/{id}/topic", chat_topic_form, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, "/messages/{id}/topic", chat_topic_page, chat_topic_fields, CT__MAX, FORM},
};

const struct feature feature_chat = {
    .name = "chat",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};
