/*
 * Chat's pages: a space's chat (its general channel beside the list of
 * its channels), a channel, a direct conversation, the caller's
 * conversations, and the forms to write, edit, delete, open channels,
 * change their settings, add people and make a message a topic.
 * Server-rendered HTML that works without JavaScript; every page takes
 * the same steps as the API (chat_int.h), so a rule is written once.
 */
#include "feature/spaces/pages.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "feature/chat/chat.h"
#include "feature/chat/chat_int.h"
#include "feature/chat/views.h"
#include "feature/spaces/spaces.h"
#include "http/session.h"
#include "view/markdown.h"

/* Small helpers ------------------------------------------------------------- */

static struct url url_f(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A link this code writes, with printf. */
static struct url url_f(struct req *r, const char *fmt, ...)
{
    char tmp[LIMIT_URL];
    struct buf b;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    buf_init(&b, &r->arena, LIMIT_URL);
    if (n > 0 && (size_t)n < sizeof(tmp))
        buf_append(&b, tmp, (size_t)n);
    return url_of_buf(&r->arena, &b);
}

static struct url person_url(struct req *r, struct str handle)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_URL);
    BUF_LIT(&b, "/people/");
    buf_put_str(&b, handle);
    return url_of_buf(&r->arena, &b);
}

/* Where a channel lives: a space's general channel on the space's chat page. */
static struct url channel_url(struct req *r, const struct channel *c, const char *tail)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_URL);
    if (c->kind == CHAT_KIND_GENERAL) {
        BUF_LIT(&b, "/spaces/");
        buf_put_str(&b, c->space_slug);
        BUF_LIT(&b, "/chat");
    } else {
        buf_printf(&b, "/channels/%lld", (long long)c->id);
    }
    buf_puts(&b, tail);
    return url_of_buf(&r->arena, &b);
}

static void see_other(struct resp *w, struct url to)
{
    w->status = 303;
    resp_header(w, "Location", to.ptr);
}

static const char *const months[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

/* "14:05" today, "3 March, 14:05" this year, else with the year; all UTC. */
static struct view_chat_time time_of(struct req *r, int64_t t)
{
    struct view_chat_time out = {STR_NULL, STR_NULL, STR_NULL};
    int64_t now = clock_unix();
    struct tm tm, today;
    char iso[21];
    struct buf b;

    clock_rfc3339(t, iso);
    out.iso = str_make(arena_strndup(&r->arena, iso, strlen(iso)), strlen(iso));
    if (clock_utc(t, &tm) || clock_utc(now, &today))
        return out;
    buf_init(&b, &r->arena, 64);
    buf_printf(&b, "%d %s %d, %02d:%02d UTC", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
               tm.tm_hour, tm.tm_min);
    out.full = buf_str(&b);
    buf_init(&b, &r->arena, 64);
    if (tm.tm_year == today.tm_year && tm.tm_yday == today.tm_yday)
        buf_printf(&b, "%02d:%02d", tm.tm_hour, tm.tm_min);
    else if (tm.tm_year == today.tm_year)
        buf_printf(&b, "%d %s, %02d:%02d", tm.tm_mday, months[tm.tm_mon], tm.tm_hour, tm.tm_min);
    else
        buf_printf(&b, "%d %s %d, %02d:%02d", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
                   tm.tm_hour, tm.tm_min);
    out.text = buf_str(&b);
    return out;
}

/* The first character of a name, capitalised when it is an ASCII letter. */
static struct str initial_of(struct req *r, struct str name)
{
    size_t n = 1;
    char *out;

    name = str_trim(name);
    if (!name.len)
        return STR_LIT("?");
    while (n < name.len && n < 4 && ((unsigned char)name.ptr[n] & 0xC0) == 0x80)
        n++;
    out = arena_strndup(&r->arena, name.ptr, n);
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
    return str_make(out, n);
}

/* The message recorded for field, or an empty view. */
static struct str field_error(struct req *r, const char *field)
{
    for (size_t i = 0; i < r->nerrs; i++)
        if (r->errs[i].field && strcmp(r->errs[i].field, field) == 0)
            return str_c(r->errs[i].msg);
    return STR_NULL;
}

/* The first error without a field (a refusal, a conflict), or an empty view. */
static struct str general_error(struct req *r)
{
    for (size_t i = 0; i < r->nerrs; i++)
        if (!r->errs[i].field)
            return str_c(r->errs[i].msg);
    return STR_NULL;
}

/* What the router found wrong with the inputs must not outlive a 403 or 404 that answers first. */
static void forget_input_errors(struct req *r)
{
    r->nerrs = 0;
    r->err_msg = NULL;
    r->invalid = 0;
}

/* The route's {id} as a positive number; anything else names nothing (404). */
static int id_param(struct req *r, int64_t *id)
{
    if (str_to_i64(req_param(r, "id"), id) || *id <= 0) {
        forget_input_errors(r);
        req_fail(r, E_NOTFOUND, NULL, "there is nothing at this address");
        return E_NOTFOUND;
    }
    return 0;
}

/* The answer when opening or a step refused rc: the refusal first, input problems forgotten. */
static int refused(struct req *r, int rc, const char *missing, const char *why)
{
    const char *msg = NULL;

    if (rc != E_PERM && rc != E_NOTFOUND && rc != E_CONFLICT)
        return rc;
    if (rc != E_NOTFOUND)
        msg = r->nerrs && !r->errs[r->nerrs - 1].field ? r->errs[r->nerrs - 1].msg : why;
    forget_input_errors(r);
    req_fail(r, rc, NULL, rc == E_NOTFOUND ? missing : msg);
    return rc;
}

static const char *const no_channel = "there is no such channel";
static const char *const no_message = "there is no such message";
static const char *const no_space = "there is no such space";

/* What the forms of a channel's page hold when it is shown again. */
struct form_state {
    struct str body;                  /* the message being written */
    struct str new_name, new_members; /* opening a channel */
    bool new_private, create_failed;  /* … and whether that failed */
    struct str rename, handles;       /* settings */
    bool settings_failed, add_failed; /* which of them failed */
    int64_t before;                   /* the page of history (0: the latest) */
};

/* The notice a redirect asked for (?notice=…). */
static struct str notice_of(struct req *r)
{
    const struct kv *kv = kv_get(&r->query, STR_LIT("notice"));

    if (!kv)
        return STR_NULL;
    if (str_eq_c(kv->value, "created"))
        return STR_LIT("The channel is open.");
    if (str_eq_c(kv->value, "saved"))
        return STR_LIT("Saved.");
    if (str_eq_c(kv->value, "added"))
        return STR_LIT("They are in the channel now.");
    if (str_eq_c(kv->value, "deleted"))
        return STR_LIT("The message was deleted.");
    return STR_NULL;
}

/* A channel's page ---------------------------------------------------------- */

/* "Message deleted by its author", or by whom. */
static struct str deleted_note(struct req *r, const struct chat_message *m)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_TEXT_DEFAULT);
    BUF_LIT(&b, "Message deleted");
    if (m->deleted_by.len && str_eq(m->deleted_by, m->author_handle)) {
        BUF_LIT(&b, " by its author");
    } else if (m->deleted_by.len) {
        BUF_LIT(&b, " by @");
        buf_put_str(&b, m->deleted_by);
    }
    BUF_LIT(&b, ".");
    return buf_str(&b);
}

static void message_view(struct req *r, const struct channel *c, const struct space *s,
                         const struct chat_message *m, struct view_chat_message *v)
{
    bool mine = r->actor && m->author_id == r->actor->id;

    v->id = m->id;
    v->has_author = m->author_handle.len > 0;
    v->author = m->author_name.len ? m->author_name : m->author_handle;
    v->initial = initial_of(r, v->has_author ? v->author : STR_NULL);
    if (v->has_author)
        v->author_href = person_url(r, m->author_handle);
    v->at = time_of(r, m->created_at);
    v->self_href = url_f(r, "#m-%lld", (long long)m->id);
    v->deleted = m->deleted_at != 0;
    v->edited = m->edited_at && !v->deleted;
    if (v->deleted)
        v->deleted_note = deleted_note(r, m);
    else
        v->html = markdown_stored(m->html);
    v->has_topic = m->topic_id != 0;
    if (v->has_topic) {
        v->topic_href = url_f(r, "/topics/%lld", (long long)m->topic_id);
        v->topic_title = m->topic_title;
    }
    v->can_edit = mine && !v->deleted;
    v->can_delete = !v->deleted && (mine || chat_moderates(r, c, s));
    v->can_topic = r->actor && !v->deleted && !v->has_topic && c->kind != CHAT_KIND_DIRECT &&
                   spaces_can(r, s, ACT_POST) && (c->kind != CHAT_KIND_PRIVATE || mine);
    v->edit_url = url_f(r, "/messages/%lld/edit", (long long)m->id);
    v->delete_url = url_f(r, "/messages/%lld/delete", (long long)m->id);
    v->topic_url = url_f(r, "/messages/%lld/topic", (long long)m->id);
    v->has_actions = v->can_edit || v->can_delete || v->can_topic;
}

/* "#planning", or a conversation's people. */
static struct str title_of(struct req *r, const struct channel *c, const struct chat_person *people,
                           size_t n)
{
    struct buf b;

    if (c->kind == CHAT_KIND_DIRECT)
        return chat_dm_title(r, people, n);
    buf_init(&b, &r->arena, LIMIT_TEXT_DEFAULT);
    buf_putc(&b, '#');
    buf_put_str(&b, c->name);
    return buf_str(&b);
}

static struct str kind_label(const struct channel *c)
{
    switch (c->kind) {
    case CHAT_KIND_GENERAL:
        return c->read_only ? STR_LIT("The space's general channel · read-only")
                            : STR_LIT("The space's general channel, open to everyone in it");
    case CHAT_KIND_PUBLIC:
        return c->read_only ? STR_LIT("Public channel · read-only") : STR_LIT("Public channel");
    case CHAT_KIND_PRIVATE:
        return c->read_only ? STR_LIT("Private channel · read-only · only the people in it see it")
                            : STR_LIT("Private channel · only the people in it see it");
    case CHAT_KIND_DIRECT:
    case CHAT_KIND__MAX:
        break;
    }
    return STR_LIT("Direct conversation · only the people in it see it");
}

/* The messages and the form: the room, rendered into the page. Marks what it shows read. */
static int room_of(struct req *r, const struct channel *c, const struct space *s,
                   const struct form_state *st, struct str label, struct html *out)
{
    struct view_chat_room vm = {0};
    struct view_chat_message *items;
    struct chat_message *m;
    size_t n;
    bool more;
    struct buf b;
    int rc = chat_messages_before(r, c->id, st->before, CHAT_PAGE + 1, &m, &n);

    if (rc)
        return rc;
    more = n > CHAT_PAGE;
    if (more)
        n = CHAT_PAGE;
    items = arena_calloc(&r->arena, n ? n : 1, sizeof(*items));
    for (size_t i = 0; i < n; i++) {
        const struct chat_message *x = &m[n - 1 - i]; /* oldest first */

        message_view(r, c, s, x, &items[i]);
        items[i].first_new = r->actor && c->last_read && !st->before && x->id > c->last_read &&
                             (i == 0 || m[n - i].id <= c->last_read) &&
                             x->author_id != r->actor->id;
    }
    if (r->actor && !st->before && n) {
        rc = chat_mark_read(r, c, m[0].id);
        if (rc)
            return rc;
    }
    vm.channel_id = c->id;
    vm.csrf = csrf_token(r);
    vm.label = label;
    vm.messages = items;
    vm.nmessages = n;
    vm.empty = str_c(st->before ? "No older messages."
                     : c->kind == CHAT_KIND_DIRECT
                         ? "No messages yet. Say hello."
                         : "No messages yet. Say hello, ask a quick question, share a link.");
    vm.has_older = more;
    if (more) {
        char tail[64];

        snprintf(tail, sizeof(tail), "?before=%lld#messages", (long long)m[n - 1].id);
        vm.older_url = channel_url(r, c, tail);
    }
    vm.has_newer = st->before > 0;
    vm.newer_url = channel_url(r, c, "#messages");
    vm.can_post = chat_can_post(r, c, s);
    vm.post_action = url_f(r, "/channels/%lld/messages", (long long)c->id);
    vm.body = st->body;
    vm.body_error = field_error(r, "body");
    vm.read_only_notice = !vm.can_post && c->read_only && r->actor && spaces_can(r, s, ACT_POST);
    vm.join_hint = r->actor && !vm.can_post && !vm.read_only_notice;
    vm.signin_hint = !r->actor;
    if (c->space_id)
        vm.space_url = space_pages_link(r, c->space_slug, "");
    vm.signin_url = url_f(r, "/signin?next=/channels/%lld", (long long)c->id);
    buf_init(&b, &r->arena, LIMIT_PAGE);
    if (view_chat_room(&b, &vm))
        return E_TOOBIG;
    *out = html_from_buf(&b);
    return 0;
}

/* The space's channels for the list beside a channel, c the current one. */
static int channel_items(struct req *r, const struct space *s, const struct channel *c,
                         const struct view_chat_channel_item **out, size_t *n)
{
    struct view_chat_channel_item *items;
    struct channel *all;
    int rc = chat_channels_of_space(r, s->id, &all, n);

    if (rc)
        return rc;
    items = arena_calloc(&r->arena, *n ? *n : 1, sizeof(*items));
    for (size_t i = 0; i < *n; i++) {
        items[i].name = all[i].name;
        items[i].href = channel_url(r, &all[i], "");
        items[i].is_private = all[i].kind == CHAT_KIND_PRIVATE;
        items[i].read_only = all[i].read_only;
        items[i].current = all[i].id == c->id;
        /* The one on show is being read now. */
        items[i].unread = items[i].current ? 0 : all[i].unread;
    }
    *out = items;
    return 0;
}

/* A channel's page, its forms holding st, answered with status. */
static int channel_view(struct req *r, struct resp *w, const struct channel *c,
                        const struct space *s, const struct form_state *st, int status)
{
    struct view_chat_page vm = {0};
    struct view_chat_link *people = NULL, *crumbs;
    struct chat_person *members = NULL;
    size_t nmembers = 0;
    struct buf body, title;
    int rc = 0;

    if (c->kind == CHAT_KIND_PRIVATE || c->kind == CHAT_KIND_DIRECT)
        rc = chat_members_of(r, c->id, &members, &nmembers);
    if (rc)
        return rc;
    vm.csrf = csrf_token(r);
    vm.title = title_of(r, c, members, nmembers);
    vm.kind_label = kind_label(c);
    vm.in_space = c->kind != CHAT_KIND_DIRECT;
    if (vm.in_space) {
        rc = space_pages_chat_chrome(r, s, &vm.head, &vm.tabs);
        if (!rc)
            rc = channel_items(r, s, c, &vm.channels, &vm.nchannels);
        if (rc)
            return rc;
        vm.can_create = r->actor && spaces_can(r, s, ACT_POST);
        vm.create_action = space_pages_link(r, s->slug, "/chat");
    } else {
        crumbs = arena_calloc(&r->arena, 2, sizeof(*crumbs));
        crumbs[0].name = STR_LIT("Messages");
        crumbs[0].href = URL_LIT("/messages");
        crumbs[1].name = vm.title;
        crumbs[1].href = channel_url(r, c, "");
        vm.crumbs = crumbs;
        vm.ncrumbs = 2;
    }
    if (c->kind == CHAT_KIND_PRIVATE || c->kind == CHAT_KIND_DIRECT) {
        people = arena_calloc(&r->arena, nmembers ? nmembers : 1, sizeof(*people));
        for (size_t i = 0; i < nmembers; i++) {
            people[i].name = members[i].name.len ? members[i].name : members[i].handle;
            people[i].href = person_url(r, members[i].handle);
        }
        vm.members = people;
        vm.nmembers = nmembers;
    }
    vm.new_name = st->new_name;
    vm.new_members = st->new_members;
    vm.new_private = st->new_private;
    vm.create_open = st->create_failed;
    if (st->create_failed) {
        vm.name_error = field_error(r, "name");
        vm.members_error = field_error(r, "members");
    }
    vm.can_rename = r->actor && (c->kind == CHAT_KIND_PUBLIC || c->kind == CHAT_KIND_PRIVATE) &&
                    (c->created_by == r->actor->id || chat_moderates(r, c, s));
    vm.can_read_only = chat_moderates(r, c, s);
    vm.can_add = chat_may_add(r, c, s);
    vm.has_settings = vm.can_rename || vm.can_read_only || vm.can_add;
    vm.settings_action = url_f(r, "/channels/%lld/settings", (long long)c->id);
    vm.members_action = url_f(r, "/channels/%lld/members", (long long)c->id);
    vm.rename = st->settings_failed ? st->rename : c->name;
    if (st->settings_failed)
        vm.rename_error = field_error(r, "name");
    vm.read_only = c->read_only;
    vm.handles = st->handles;
    if (st->add_failed)
        vm.handles_error = field_error(r, "handles");
    vm.notice = notice_of(r);
    if (status != 200) {
        vm.error = general_error(r);
        if (!vm.error.len)
            vm.error = STR_LIT("Something in the form below needs attention.");
    }
    rc = room_of(r, c, s, st, vm.title, &vm.room);
    if (rc)
        return rc;
    resp_body_init(r, &body);
    view_chat_page(&body, &vm);
    buf_init(&title, &r->arena, LIMIT_TEXT_DEFAULT);
    buf_put_str(&title, vm.title);
    if (vm.in_space) {
        BUF_LIT(&title, " \xc2\xb7 Chat \xc2\xb7 ");
        buf_put_str(&title, s->name);
    }
    rc = resp_page(r, w, buf_str(&title), STR_NULL, &body);
    w->status = status;
    return rc;
}

/* The status a failed form answers with. */
static int status_of(int rc)
{
    return rc == E_CONFLICT ? 409 : rc == E_PERM ? 403 : 400;
}

/* /spaces/{slug}/chat: the space's general channel, opened by slug. */
static int open_general(struct req *r, struct channel *c, struct space *s, enum action act)
{
    int64_t id;
    int rc = spaces_open(r, req_param(r, "slug"), act, s);

    if (rc)
        return refused(r, rc, no_space, "join this space to take part in its chat");
    rc = chat_general_ensure(r, s->id, &id);
    if (!rc)
        rc = chat_open(r, id, c, s);
    return rc;
}

int chat_space_page(struct req *r, struct resp *w)
{
    struct form_state st = {0};
    struct channel c = {0};
    struct space s = {0};
    int rc = open_general(r, &c, &s, ACT_READ);

    if (rc)
        return rc;
    if (r->invalid)
        return r->invalid;
    st.before = req_in(r, CL_BEFORE)->present ? req_in(r, CL_BEFORE)->num : 0;
    return channel_view(r, w, &c, &s, &st, 200);
}

int chat_create_page(struct req *r, struct resp *w)
{
    struct form_state st = {0};
    struct channel c = {0};
    struct space s = {0};
    int64_t id;
    int rc = open_general(r, &c, &s, ACT_POST);

    if (rc)
        return rc;
    rc = r->invalid;
    if (!rc)
        rc = chat_create_channel(r, &s, req_in(r, CC_NAME)->text, req_in(r, CC_PRIVATE)->flag,
                                 req_in(r, CC_MEMBERS), &id);
    if (!rc) {
        see_other(w, url_f(r, "/channels/%lld?notice=created", (long long)id));
        return 0;
    }
    if (rc != E_INVAL && rc != E_CONFLICT)
        return rc;
    st.new_name = req_in(r, CC_NAME)->text;
    st.new_members = req_in(r, CC_MEMBERS)->text;
    st.new_private = req_in(r, CC_PRIVATE)->flag;
    st.create_failed = true;
    return channel_view(r, w, &c, &s, &st, status_of(rc));
}

/* Channel {id}, or the refusal. */
static int open_channel(struct req *r, struct channel *c, struct space *s)
{
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = chat_open(r, id, c, s);
    if (rc)
        return refused(r, rc, no_channel, "you may not read this channel");
    return 0;
}

int chat_channel_page(struct req *r, struct resp *w)
{
    struct form_state st = {0};
    struct channel c = {0};
    struct space s = {0};
    int rc = open_channel(r, &c, &s);

    if (rc)
        return rc;
    if (r->invalid)
        return r->invalid;
    st.before = req_in(r, CL_BEFORE)->present ? req_in(r, CL_BEFORE)->num : 0;
    return channel_view(r, w, &c, &s, &st, 200);
}

int chat_post_page(struct req *r, struct resp *w)
{
    struct form_state st = {0};
    struct channel c = {0};
    struct space s = {0};
    int64_t id;
    char tail[48];
    int rc = open_channel(r, &c, &s);

    if (rc)
        return rc;
    rc = chat_may_post(r, &c, &s);
    if (rc)
        return refused(r, rc, no_channel, "you may not write in this channel");
    rc = r->invalid;
    if (!rc)
        rc = chat_post(r, &c, &s, req_in(r, CB_BODY)->text, &id);
    if (!rc) {
        snprintf(tail, sizeof(tail), "#m-%lld", (long long)id);
        see_other(w, channel_url(r, &c, tail));
        return 0;
    }
    if (rc != E_INVAL)
        return rc;
    st.body = req_in(r, CB_BODY)->text;
    return channel_view(r, w, &c, &s, &st, 400);
}

int chat_members_page(struct req *r, struct resp *w)
{
    struct form_state st = {0};
    struct channel c = {0};
    struct space s = {0};
    int rc = open_channel(r, &c, &s);

    if (rc)
        return rc;
    rc = r->invalid;
    if (!rc)
        rc = chat_add_members(r, &c, &s, req_in(r, CH_HANDLES));
    if (!rc) {
        see_other(w, channel_url(r, &c, "?notice=added"));
        return 0;
    }
    if (rc == E_PERM)
        return refused(r, rc, no_channel, "you may not add people here");
    if (rc != E_INVAL)
        return rc;
    st.handles = req_in(r, CH_HANDLES)->text;
    st.add_failed = true;
    return channel_view(r, w, &c, &s, &st, 400);
}

int chat_settings_page(struct req *r, struct resp *w)
{
    struct form_state st = {0};
    struct channel c = {0};
    struct space s = {0};
    int rc = open_channel(r, &c, &s);

    if (rc)
        return rc;
    rc = r->invalid;
    if (!rc)
        rc = chat_update(r, &c, &s, req_in(r, CU_NAME), req_in(r, CU_READ_ONLY));
    if (!rc) {
        rc = chat_channel_load(r, c.id, &c);
        if (rc)
            return rc;
        see_other(w, channel_url(r, &c, "?notice=saved"));
        return 0;
    }
    if (rc == E_PERM)
        return refused(r, rc, no_channel, "you may not change this channel");
    if (rc != E_INVAL && rc != E_CONFLICT)
        return rc;
    st.rename = req_in(r, CU_NAME)->text;
    st.settings_failed = true;
    return channel_view(r, w, &c, &s, &st, status_of(rc));
}

/* Messages -------------------------------------------------------------------- */

/* Message {id} with its channel, or the refusal. */
static int open_message(struct req *r, struct chat_message *m, struct channel *c, struct space *s)
{
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = chat_open_message(r, id, m, c, s);
    if (rc)
        return refused(r, rc, no_message, "you may not read this message");
    return 0;
}

static struct url message_url(struct req *r, const struct channel *c, int64_t id)
{
    char tail[64];

    snprintf(tail, sizeof(tail), "?before=%lld#m-%lld", (long long)id + 1, (long long)id);
    return channel_url(r, c, tail);
}

static int edit_view(struct req *r, struct resp *w, const struct channel *c,
                     const struct chat_message *m, struct str text, int status)
{
    struct view_chat_edit vm = {0};
    struct buf body;
    int rc;

    vm.csrf = csrf_token(r);
    vm.action = url_f(r, "/messages/%lld/edit", (long long)m->id);
    vm.cancel_url = message_url(r, c, m->id);
    vm.body = text;
    vm.body_error = field_error(r, "body");
    if (status != 200 && !vm.body_error.len)
        vm.error = general_error(r);
    resp_body_init(r, &body);
    view_chat_edit(&body, &vm);
    rc = resp_page(r, w, STR_LIT("Edit your message"), STR_NULL, &body);
    w->status = status;
    return rc;
}

/* The message {id} for its author to change: 404, 403 for anyone else, 409 once deleted. */
static int open_own(struct req *r, struct chat_message *m, struct channel *c, struct space *s)
{
    int rc = open_message(r, m, c, s);

    if (rc)
        return rc;
    if (m->author_id != r->actor->id)
        return refused(r, E_PERM, no_message, "only its author edits a message");
    if (m->deleted_at)
        return refused(r, E_CONFLICT, no_message, "this message was deleted");
    return 0;
}

int chat_edit_form(struct req *r, struct resp *w)
{
    struct chat_message m = {0};
    struct channel c = {0};
    struct space s = {0};
    int rc = open_own(r, &m, &c, &s);

    if (rc)
        return rc;
    return edit_view(r, w, &c, &m, m.body, 200);
}

int chat_edit_page(struct req *r, struct resp *w)
{
    struct chat_message m = {0};
    struct channel c = {0};
    struct space s = {0};
    int rc = open_own(r, &m, &c, &s);

    if (rc)
        return rc;
    rc = r->invalid;
    if (!rc)
        rc = chat_edit(r, &c, &m, req_in(r, CB_BODY)->text);
    if (rc == E_INVAL)
        return edit_view(r, w, &c, &m, req_in(r, CB_BODY)->text, 400);
    if (rc)
        return rc;
    see_other(w, message_url(r, &c, m.id));
    return 0;
}

int chat_delete_page(struct req *r, struct resp *w)
{
    struct chat_message m = {0};
    struct channel c = {0};
    struct space s = {0};
    int rc = open_message(r, &m, &c, &s);

    if (rc)
        return rc;
    rc = chat_delete(r, &c, &s, &m);
    if (rc)
        return refused(r, rc, no_message, "only its author or a facilitator deletes a message");
    see_other(w, message_url(r, &c, m.id));
    return 0;
}

static int topic_view(struct req *r, struct resp *w, const struct channel *c, const struct space *s,
                      const struct chat_message *m, struct str title, int status)
{
    struct view_chat_topic vm = {0};
    struct buf body;
    int rc;

    vm.csrf = csrf_token(r);
    vm.action = url_f(r, "/messages/%lld/topic", (long long)m->id);
    vm.cancel_url = message_url(r, c, m->id);
    vm.space_name = s->name;
    vm.author = m->author_name.len ? m->author_name : STR_LIT("a former member");
    vm.quote = markdown_stored(m->html);
    vm.title = title;
    vm.title_error = field_error(r, "title");
    if (status != 200 && !vm.title_error.len)
        vm.error = general_error(r);
    resp_body_init(r, &body);
    view_chat_topic(&body, &vm);
    rc = resp_page(r, w, STR_LIT("Continue in a topic"), STR_NULL, &body);
    w->status = status;
    return rc;
}

/* Whether the caller may make message m a topic at all, before any input is looked at. */
static int may_make_topic(struct req *r, const struct channel *c, const struct space *s,
                          const struct chat_message *m)
{
    if (c->kind == CHAT_KIND_DIRECT) {
        forget_input_errors(r);
        return req_fail(r, E_INVAL, NULL, "a direct conversation has no space to hold a topic");
    }
    if (!spaces_can(r, s, ACT_POST))
        return refused(r, E_PERM, no_message, "join this space to start a topic in it");
    if (c->kind == CHAT_KIND_PRIVATE && m->author_id != r->actor->id)
        return refused(r, E_PERM, no_message,
                       "in a private channel only its author makes a message a topic");
    if (m->deleted_at || m->topic_id)
        return refused(r, E_CONFLICT, no_message,
                       m->deleted_at ? "this message was deleted"
                                     : "this message continues in a topic already");
    return 0;
}

int chat_topic_form(struct req *r, struct resp *w)
{
    struct chat_message m = {0};
    struct channel c = {0};
    struct space s = {0};
    int rc = open_message(r, &m, &c, &s);

    if (!rc)
        rc = may_make_topic(r, &c, &s, &m);
    if (rc)
        return rc;
    return topic_view(r, w, &c, &s, &m, STR_NULL, 200);
}

int chat_topic_page(struct req *r, struct resp *w)
{
    struct chat_message m = {0};
    struct channel c = {0};
    struct space s = {0};
    int64_t topic_id = 0, post_id = 0;
    int rc = open_message(r, &m, &c, &s);

    if (!rc)
        rc = may_make_topic(r, &c, &s, &m);
    if (rc)
        return rc;
    rc = r->invalid;
    if (!rc)
        rc = chat_make_topic(r, &c, &m, req_in(r, CT_TITLE)->text, &topic_id, &post_id);
    if (!rc) {
        see_other(w, url_f(r, "/topics/%lld", (long long)topic_id));
        return 0;
    }
    if (rc == E_INVAL && field_error(r, "title").len)
        return topic_view(r, w, &c, &s, &m, req_in(r, CT_TITLE)->text, 400);
    return refused(r, rc, no_message, "you may not make a topic of this message");
}

/* Direct conversations ------------------------------------------------------- */

static int dms_view(struct req *r, struct resp *w, struct str handles, int status)
{
    struct view_chat_dms vm = {0};
    struct view_chat_dm_item *items;
    struct channel *c;
    struct chat_people *people = NULL;
    size_t n = 0;
    struct buf body;
    int rc = chat_dms_of_reader(r, &c, &n);

    if (!rc)
        rc = chat_dm_people(r, c, n, &people);
    if (rc)
        return rc;
    items = arena_calloc(&r->arena, n ? n : 1, sizeof(*items));
    for (size_t i = 0; i < n; i++) {
        items[i].title = chat_dm_title(r, people[i].people, people[i].n);
        items[i].href = channel_url(r, &c[i], "");
        items[i].unread = c[i].unread;
        items[i].has_last = c[i].last_message_at != 0;
        if (items[i].has_last)
            items[i].last = time_of(r, c[i].last_message_at);
    }
    vm.csrf = csrf_token(r);
    vm.items = items;
    vm.nitems = n;
    vm.action = URL_LIT("/messages");
    vm.handles = handles;
    vm.handles_error = field_error(r, "handles");
    if (status != 200 && !vm.handles_error.len)
        vm.error = general_error(r);
    resp_body_init(r, &body);
    view_chat_dms(&body, &vm);
    rc = resp_page(r, w, STR_LIT("Messages"), STR_NULL, &body);
    w->status = status;
    return rc;
}

int chat_dms_page(struct req *r, struct resp *w)
{
    return dms_view(r, w, STR_NULL, 200);
}

int chat_dm_page(struct req *r, struct resp *w)
{
    int64_t id = 0;
    bool created = false;
    int rc = r->invalid;

    if (!rc)
        rc = chat_start_dm(r, req_in(r, CH_HANDLES), &id, &created);
    if (!rc) {
        see_other(w, url_f(r, "/channels/%lld", (long long)id));
        return 0;
    }
    if (rc != E_INVAL)
        return rc;
    return dms_view(r, w, req_in(r, CH_HANDLES)->text, 400);
}
