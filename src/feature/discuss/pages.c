#include "feature/discuss/pages.h"

#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "feature/discuss/discuss.h"
#include "feature/discuss/views.h"
#include "feature/spaces/pages.h"
#include "feature/spaces/spaces.h"
#include "http/session.h"
#include "view/markdown.h"

#define RECENT_TOPICS 5 /* on a space's own page */
#define MINUTE        ((int64_t)60)
#define HOUR          (60 * MINUTE)
#define DAY           (24 * HOUR)

/* Small helpers ------------------------------------------------------------- */

static struct url person_url(struct arena *a, struct str handle)
{
    struct buf b;

    buf_init(&b, a, LIMIT_URL);
    BUF_LIT(&b, "/people/");
    buf_put_str(&b, handle);
    return url_of_buf(a, &b);
}

/* "/topics/<id><tail>" and "/posts/<id><tail>". */
static struct url topic_url(struct req *r, int64_t id, const char *tail)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_URL);
    BUF_LIT(&b, "/topics/");
    buf_put_i64(&b, id);
    buf_puts(&b, tail);
    return url_of_buf(&r->arena, &b);
}

static struct url post_action(struct arena *a, int64_t id, const char *tail)
{
    struct buf b;

    buf_init(&b, a, LIMIT_URL);
    BUF_LIT(&b, "/posts/");
    buf_put_i64(&b, id);
    buf_puts(&b, tail);
    return url_of_buf(a, &b);
}

/* Where the page that holds post number starts: the cursor below it. */
static int64_t page_start(int64_t number)
{
    return number > 0 ? (number - 1) / PAGE_POSTS * PAGE_POSTS : 0;
}

/* "/topics/<id>?cursor=<after>.0" into b: one page of a topic, named exactly. */
static void put_topic_page(struct buf *b, int64_t topic_id, int64_t after)
{
    BUF_LIT(b, "/topics/");
    buf_put_i64(b, topic_id);
    BUF_LIT(b, "?cursor=");
    buf_put_i64(b, after);
    BUF_LIT(b, ".0");
}

/* That page's URL, then <extra>. */
static struct url topic_page_url(struct req *r, int64_t topic_id, int64_t after, const char *extra)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_URL);
    put_topic_page(&b, topic_id, after);
    buf_puts(&b, extra);
    return url_of_buf(&r->arena, &b);
}

/* That page's URL, then <param><id>#reply: a reply or a quote of post <id>. */
static struct url reply_form_url(struct arena *a, int64_t topic_id, int64_t after,
                                 const char *param, int64_t id)
{
    struct buf b;

    buf_init(&b, a, LIMIT_URL);
    put_topic_page(&b, topic_id, after);
    buf_puts(&b, param);
    buf_put_i64(&b, id);
    BUF_LIT(&b, "#reply");
    return url_of_buf(a, &b);
}

static struct url post_url(struct arena *a, int64_t topic_id, int64_t number)
{
    struct buf b;

    buf_init(&b, a, LIMIT_URL);
    put_topic_page(&b, topic_id, page_start(number));
    if (number > 0) {
        BUF_LIT(&b, "#post-");
        buf_put_i64(&b, number);
    }
    return url_of_buf(a, &b);
}

struct url discuss_post_url(struct req *r, int64_t topic_id, int64_t number)
{
    return post_url(&r->arena, topic_id, number);
}

static void see_other(struct resp *w, struct url to)
{
    w->status = 303;
    resp_header(w, "Location", to.ptr);
}

/* head + the number: "Edit post #3". */
static struct str numbered(struct req *r, const char *head, int64_t n)
{
    struct buf b;

    buf_init(&b, &r->arena, 128);
    buf_puts(&b, head);
    buf_put_i64(&b, n);
    return buf_str(&b);
}

/* "1 reply", "3 replies": one and many as given. */
static struct str count_of(struct req *r, int64_t n, const char *one, const char *many)
{
    struct buf b;

    buf_init(&b, &r->arena, 64);
    buf_put_i64(&b, n);
    buf_putc(&b, ' ');
    buf_puts(&b, n == 1 ? one : many);
    return buf_str(&b);
}

static const char *const months[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

/* "14 March 2026" */
static void put_day(struct buf *b, const struct tm *tm)
{
    buf_put_i64(b, tm->tm_mday);
    buf_putc(b, ' ');
    buf_puts(b, months[tm->tm_mon]);
    buf_putc(b, ' ');
    buf_put_i64(b, (int64_t)tm->tm_year + 1900);
}

/* "07": two digits. */
static void put_2d(struct buf *b, int v)
{
    char d[2] = {(char)('0' + v / 10 % 10), (char)('0' + v % 10)};

    buf_append(b, d, 2);
}

/* A moment's RFC 3339 form, and its full date and time in UTC for a title: "14 March 2026, 09:05
 * UTC". */
static void moment_fixed(struct arena *a, int64_t t, struct str *iso, struct str *full)
{
    char text[21];
    struct tm tm;
    struct buf b;

    clock_rfc3339(t, text);
    *iso = str_make(arena_strndup(a, text, strlen(text)), strlen(text));
    *full = STR_NULL;
    if (clock_utc(t, &tm))
        return;
    buf_init(&b, a, 64);
    put_day(&b, &tm);
    BUF_LIT(&b, ", ");
    put_2d(&b, tm.tm_hour);
    buf_putc(&b, ':');
    put_2d(&b, tm.tm_min);
    BUF_LIT(&b, " UTC");
    *full = buf_str(&b);
}

/* A moment as people say it now: "just now", "5 minutes ago", "yesterday", "3 days ago", then "14
 * March 2026". */
static struct str moment_text(struct req *r, int64_t t)
{
    int64_t ago = clock_unix() - t;
    struct tm tm;
    struct buf b;

    if (ago < MINUTE)
        return STR_LIT("just now");
    if (ago < HOUR)
        return count_of(r, ago / MINUTE, "minute ago", "minutes ago");
    if (ago < DAY)
        return count_of(r, ago / HOUR, "hour ago", "hours ago");
    if (ago < 2 * DAY)
        return STR_LIT("yesterday");
    if (ago < 7 * DAY)
        return count_of(r, ago / DAY, "day ago", "days ago");
    if (clock_utc(t, &tm))
        return STR_NULL;
    buf_init(&b, &r->arena, 48);
    put_day(&b, &tm);
    return buf_str(&b);
}

/* A moment for people, with its RFC 3339 form and full date and time for the title. */
static struct view_discuss_time time_of(struct req *r, int64_t t)
{
    struct view_discuss_time out;

    moment_fixed(&r->arena, t, &out.iso, &out.full);
    out.text = moment_text(r, t);
    return out;
}

/* The first character of a name, capitalised when it is an ASCII letter. */
static struct str initial_of(struct arena *a, struct str name)
{
    size_t n = 1;
    char *out;

    name = str_trim(name);
    if (!name.len)
        return STR_LIT("?");
    while (n < name.len && n < 4 && ((unsigned char)name.ptr[n] & 0xC0) == 0x80)
        n++;
    out = arena_strndup(a, name.ptr, n);
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

/*
 * The answer when opening refused rc: a reader who may not take part hears
 * why (403), whoever may not read hears that there is no such thing (404),
 * and other errors stand. Problems with the inputs are forgotten: the
 * refusal answers first.
 */
static int refused(struct req *r, int rc, const char *missing, const char *why)
{
    if (rc != E_PERM && rc != E_NOTFOUND)
        return rc;
    forget_input_errors(r);
    req_fail(r, rc, NULL, rc == E_PERM ? why : missing);
    return rc;
}

static const char *const no_space = "there is no such space";
static const char *const no_topic = "there is no such topic";
static const char *const no_post = "there is no such post";

/* Where each field's error links to, and what the summary calls it. */
static const struct {
    const char *field;
    const char *href;
    const char *label;
} form_labels[] = {
    {"title", "#title", "Title"}, {"kind", "#kind", "Kind"},       {"body", "#body", "Your post"},
    {"tags", "#tags", "Tags"},    {"reason", "#reason", "Reason"}, {"reply_to", "#body", "Reply"},
};

/* The error summary: one linked line per recorded field error the forms know. */
static void error_summary(struct req *r, const char *body_label,
                          const struct view_discuss_error **out, size_t *n)
{
    struct view_discuss_error *errs = arena_calloc(&r->arena, r->nerrs + 1, sizeof(*errs));

    *n = 0;
    for (size_t i = 0; i < r->nerrs; i++) {
        for (size_t j = 0; j < ARRAY_LEN(form_labels); j++) {
            if (!r->errs[i].field || strcmp(r->errs[i].field, form_labels[j].field) != 0 ||
                url_build(&r->arena, str_c(form_labels[j].href), &errs[*n].href))
                continue;
            errs[*n].label = str_c(
                strcmp(form_labels[j].field, "body") == 0 ? body_label : form_labels[j].label);
            errs[*n].message = str_c(r->errs[i].msg);
            (*n)++;
        }
    }
    *out = errs;
}

/* Answer with body in the layout (and head_extra in its head), then set status. */
static int page(struct req *r, struct resp *w, struct str title, struct html head,
                const struct buf *body, int status)
{
    int rc = resp_page_head(r, w, title, STR_NULL, head, body);

    w->status = status;
    return rc;
}

/* The breadcrumb of a space's discussion pages: [community ›] space › Discussions [› topic]. */
static int crumbs_of(struct req *r, const struct space *s, const struct topic *t,
                     const struct view_discuss_link **out, size_t *n)
{
    struct view_discuss_link *c = arena_calloc(&r->arena, 4, sizeof(*c));
    struct space parent;
    int rc;

    *n = 0;
    if (s->parent_id) {
        rc = spaces_open(r, s->parent_slug, ACT_READ, &parent);
        if (!rc) {
            c[*n].name = parent.name;
            c[(*n)++].href = space_pages_link(r, parent.slug, "");
        } else if (rc != E_NOTFOUND) {
            return rc;
        }
    }
    c[*n].name = s->name;
    c[(*n)++].href = space_pages_link(r, s->slug, "");
    c[*n].name = STR_LIT("Discussions");
    c[(*n)++].href = space_pages_link(r, s->slug, "/topics");
    if (t) {
        c[*n].name = t->title;
        c[(*n)++].href = topic_url(r, t->id, "");
    }
    *out = c;
    return 0;
}

/* A tag's link: the space's topics with that tag. */
static struct url tag_url(struct req *r, struct str slug, struct str tag)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_URL);
    BUF_LIT(&b, "/spaces/");
    buf_put_str(&b, slug);
    BUF_LIT(&b, "/topics?tag=");
    buf_put_str(&b, tag);
    return url_of_buf(&r->arena, &b);
}

static void tag_links(struct req *r, const struct space *s, const struct topic *t,
                      const struct view_discuss_link **out, size_t *n)
{
    struct view_discuss_link *tags = arena_calloc(&r->arena, t->ntags + 1, sizeof(*tags));

    for (size_t i = 0; i < t->ntags; i++) {
        tags[i].name = t->tags[i];
        tags[i].href = tag_url(r, s->slug, t->tags[i]);
    }
    *out = tags;
    *n = t->ntags;
}

/* The watch control ---------------------------------------------------------- */

static const char *const watch_notes[WATCH__MAX] = {
    [WATCH_NORMAL] = "You hear of replies to you, mentions and answers to your questions.",
    [WATCH_WATCHING] = "You hear of every new post.",
    [WATCH_MUTED] = "You hear of nothing here, mentions included.",
};

static int watch_control(struct req *r, struct url action, const char *id, const char *label,
                         enum watch_level level, const char *note, struct html *out)
{
    struct view_discuss_watch vm = {0};
    struct buf b;

    vm.csrf = csrf_token(r);
    vm.action = action;
    vm.id = str_c(id);
    vm.label = str_c(label);
    vm.watching = level == WATCH_WATCHING;
    vm.normal = level == WATCH_NORMAL;
    vm.muted = level == WATCH_MUTED;
    vm.note = str_c(note ? note : watch_notes[level < WATCH__MAX ? level : WATCH_NORMAL]);
    buf_init(&b, &r->arena, LIMIT_PAGE);
    if (view_discuss_watch(&b, &vm))
        return E_TOOBIG;
    *out = html_from_buf(&b);
    return 0;
}

/* What a redirect after changing a level asks the page to say (?notice=…). */
static struct str watch_notice(struct req *r, const char *what)
{
    const struct kv *kv = kv_get(&r->query, STR_LIT("notice"));
    struct buf b;

    if (!kv)
        return STR_NULL;
    buf_init(&b, &r->arena, 160);
    if (str_eq_c(kv->value, "watching"))
        buf_printf(&b, "You are watching %s now: you will hear of every new post.", what);
    else if (str_eq_c(kv->value, "normal"))
        buf_printf(&b,
                   "Back to normal for %s: you will hear of replies to you, mentions and "
                   "answers.",
                   what);
    else if (str_eq_c(kv->value, "muted"))
        buf_printf(&b, "You muted %s: you will hear nothing of it.", what);
    else
        return STR_NULL;
    return buf_str(&b);
}

/* Topic lists ---------------------------------------------------------------- */

/* A topic as a list shows it. */
static void topic_item(struct req *r, const struct space *s, const struct topic *t,
                       struct view_topic_item *it)
{
    int64_t replies = t->posts_count > 0 ? t->posts_count - 1 : 0;

    it->title = t->title;
    it->href = topic_url(r, t->id, "");
    it->pinned = t->pinned;
    it->is_question = t->kind == TOPIC_QUESTION;
    it->answered = t->accepted_post_id != 0;
    it->is_announcement = t->kind == TOPIC_ANNOUNCEMENT;
    tag_links(r, s, t, &it->tags, &it->ntags);
    it->replies = replies ? count_of(r, replies, "reply", "replies") : STR_LIT("No replies yet");
    it->last = time_of(r, t->last_post_at ? t->last_post_at : t->created_at);
    it->has_who = t->last_handle.len > 0;
    it->who = t->last_name;
    if (it->has_who)
        it->who_href = person_url(&r->arena, t->last_handle);
    if (r->actor) {
        int64_t unread = topic_unread(t);

        if (!t->last_read)
            it->unread = STR_LIT("New");
        else if (unread > 0)
            it->unread = count_of(r, unread, "new", "new");
    }
}

int discuss_space_summary(struct req *r, const struct space *s, struct html *topics,
                          struct html *head)
{
    struct view_topics_recent vm = {0};
    struct view_topic_item *items;
    struct topic *t;
    struct cursor next;
    bool more;
    size_t n;
    struct buf b;
    int rc;

    *topics = HTML_EMPTY;
    *head = HTML_EMPTY;
    rc = topics_list(r, s->id, FILTER_LATEST, STR_NULL, NULL, &t, &n, &next, &more);
    if (!rc)
        rc = discuss_feed_link(r, s, head);
    if (rc)
        return rc;
    items = arena_calloc(&r->arena, RECENT_TOPICS, sizeof(*items));
    for (size_t i = 0; i < n && vm.ntopics < RECENT_TOPICS; i++)
        topic_item(r, s, &t[i], &items[vm.ntopics++]);
    vm.topics = items;
    vm.all_url = space_pages_link(r, s->slug, "/topics");
    vm.can_post = spaces_can(r, s, ACT_POST);
    vm.new_url = space_pages_link(r, s->slug, "/topics/new");
    buf_init(&b, &r->arena, LIMIT_PAGE);
    if (view_topics_recent(&b, &vm))
        return E_TOOBIG;
    *topics = html_from_buf(&b);
    return 0;
}

enum { TL_FILTER, TL_TAG, TL_CURSOR, TL__MAX };

static const struct field list_fields[TL__MAX] = {
    [TL_FILTER] = {"filter", FIELD_TEXT, false, 20, 0, 0},
    [TL_TAG] = {"tag", FIELD_TEXT, false, (size_t)TAG_MAX * 2, 0, 0},
    [TL_CURSOR] = {"cursor", FIELD_TEXT, false, 48, 0, 0},
};

/* "/spaces/<slug>/topics" with the filter, and the cursor when one is given. */
static struct url list_url(struct req *r, struct str slug, enum topic_filter f, struct str tag,
                           const struct cursor *c)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_URL);
    BUF_LIT(&b, "/spaces/");
    buf_put_str(&b, slug);
    BUF_LIT(&b, "/topics");
    if (f == FILTER_UNANSWERED)
        BUF_LIT(&b, "?filter=unanswered");
    else if (f == FILTER_TAG) {
        BUF_LIT(&b, "?tag=");
        buf_put_str(&b, tag);
    }
    if (c) {
        buf_puts(&b, f == FILTER_LATEST ? "?cursor=" : "&cursor=");
        buf_put_str(&b, cursor_format(&r->arena, *c));
    }
    return url_of_buf(&r->arena, &b);
}

/* The sign-in page, coming back to a space's topics. */
static struct url signin_to_topics(struct req *r, struct str slug)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_URL);
    BUF_LIT(&b, "/signin?next=/spaces/");
    buf_put_str(&b, slug);
    BUF_LIT(&b, "/topics");
    return url_of_buf(&r->arena, &b);
}

static int topics_page(struct req *r, struct resp *w)
{
    struct view_topics vm = {0};
    struct view_topic_item *items;
    struct space s;
    struct topic *t = NULL;
    enum topic_filter f = FILTER_LATEST;
    struct str tag = STR_NULL;
    struct cursor c, next = {0, 0};
    bool has_cursor = false, more = false;
    struct html feed;
    size_t n = 0;
    struct buf body, title;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_READ, &s), status = 200;

    if (rc)
        return refused(r, rc, no_space, "you may not read this space");
    if (!r->invalid)
        rc = discuss_list_in(r, TL_FILTER, TL_TAG, TL_CURSOR, &f, &tag, &c, &has_cursor);
    if (r->invalid || rc) {
        /* A tag typed into the filter comes back with its error; anything else is a bad link. */
        if (!field_error(r, "tag").len)
            return r->invalid ? r->invalid : rc;
        vm.tag = req_in(r, TL_TAG)->text;
        vm.tag_error = field_error(r, "tag");
        f = FILTER_LATEST;
        tag = STR_NULL;
        has_cursor = false;
        status = 400;
    } else {
        vm.tag = tag;
    }
    rc = topics_list(r, s.id, f, tag, has_cursor ? &c : NULL, &t, &n, &next, &more);
    if (!rc)
        rc = space_pages_discussions_chrome(r, &s, &vm.head, &vm.tabs);
    if (!rc)
        rc = discuss_feed_link(r, &s, &feed);
    if (rc)
        return rc;
    if (spaces_can(r, &s, ACT_WATCH)) {
        enum watch_level level;

        rc = watch_of_space(r, s.id, &level);
        if (!rc)
            rc = watch_control(r, space_pages_link(r, s.slug, "/watch"), "watch-space",
                               "Notifications from this space:", level, NULL, &vm.watch);
        if (rc)
            return rc;
    }
    vm.notice = watch_notice(r, "this space");
    vm.f_latest = f == FILTER_LATEST;
    vm.f_unanswered = f == FILTER_UNANSWERED;
    vm.f_tag = f == FILTER_TAG;
    vm.latest_url = list_url(r, s.slug, FILTER_LATEST, STR_NULL, NULL);
    vm.unanswered_url = list_url(r, s.slug, FILTER_UNANSWERED, STR_NULL, NULL);
    vm.tag_url = list_url(r, s.slug, FILTER_TAG, tag, NULL);
    vm.tag_action = vm.latest_url;
    items = arena_calloc(&r->arena, n ? n : 1, sizeof(*items));
    for (size_t i = 0; i < n; i++)
        topic_item(r, &s, &t[i], &items[i]);
    vm.topics = items;
    vm.ntopics = n;
    vm.empty = str_c(has_cursor         ? "No older topics."
                     : vm.f_unanswered  ? "No unanswered questions: every question here has an "
                                          "accepted answer."
                     : vm.f_tag         ? "No topics have this tag yet."
                     : vm.tag_error.len ? "No topics to show."
                                        : "No topics yet. Ask a question or share something that "
                                          "worked for you: the first topic starts the "
                                          "conversation.");
    vm.has_older = more;
    if (more)
        vm.older_url = list_url(r, s.slug, f, tag, &next);
    vm.later_page = has_cursor;
    vm.newest_url = list_url(r, s.slug, f, tag, NULL);
    vm.can_post = spaces_can(r, &s, ACT_POST);
    vm.new_url = space_pages_link(r, s.slug, "/topics/new");
    vm.join_hint = r->actor && !vm.can_post;
    vm.signin_hint = !r->actor;
    vm.space_url = space_pages_link(r, s.slug, "");
    vm.signin_url = signin_to_topics(r, s.slug);
    vm.has_feed = feed.len > 0;
    vm.feed_url = space_pages_link(r, s.slug, "/feed.atom");
    vm.has_foot = vm.has_feed || vm.watch.len;
    vm.live = r->actor != NULL;
    vm.space_slug = s.slug;
    resp_body_init(r, &body);
    view_topics(&body, &vm);
    buf_init(&title, &r->arena, LIMIT_TEXT_DEFAULT);
    BUF_LIT(&title, "Discussions \xc2\xb7 ");
    buf_put_str(&title, s.name);
    return page(r, w, buf_str(&title), feed, &body, status);
}

/* Starting a topic ------------------------------------------------------------ */

enum { NT_TITLE, NT_BODY, NT_KIND, NT_TAGS, NT__MAX };

static const struct field new_fields[NT__MAX] = {
    [NT_TITLE] = {"title", FIELD_TEXT, true, TOPIC_TITLE_MAX, 0, 0},
    [NT_BODY] = {"body", FIELD_TEXT, true, POST_BODY_MAX, 0, 0},
    [NT_KIND] = {"kind", FIELD_TEXT, false, 20, 0, 0},
    [NT_TAGS] = {"tags", FIELD_LIST, false, (size_t)TAG_MAX * 2, 0, 20},
};

static const char *const not_a_poster = "join this space to take part in its discussions";

static int new_topic_view(struct req *r, struct resp *w, const struct space *s,
                          struct view_topic_new *vm, int status)
{
    struct buf body, title;
    int rc = crumbs_of(r, s, NULL, &vm->crumbs, &vm->ncrumbs);

    if (rc)
        return rc;
    vm->space_name = s->name;
    vm->action = space_pages_link(r, s->slug, "/topics/new");
    vm->cancel_url = space_pages_link(r, s->slug, "/topics");
    vm->csrf = csrf_token(r);
    vm->can_announce = spaces_can(r, s, ACT_MODERATE);
    vm->title_error = field_error(r, "title");
    vm->body_error = field_error(r, "body");
    vm->kind_error = field_error(r, "kind");
    vm->tags_error = field_error(r, "tags");
    error_summary(r, "Your post", &vm->errors, &vm->nerrors);
    if (status != 200 && !vm->nerrors)
        vm->form_error = str_c(r->err_msg);
    if (!vm->k_question && !vm->k_announcement)
        vm->k_discussion = true;
    resp_body_init(r, &body);
    view_topic_new(&body, vm);
    buf_init(&title, &r->arena, LIMIT_TEXT_DEFAULT);
    BUF_LIT(&title, "Start a topic \xc2\xb7 ");
    buf_put_str(&title, s->name);
    return page(r, w, buf_str(&title), HTML_EMPTY, &body, status);
}

static int new_topic_form(struct req *r, struct resp *w)
{
    struct view_topic_new vm = {0};
    struct space s;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_POST, &s);

    if (rc)
        return refused(r, rc, no_space, not_a_poster);
    return new_topic_view(r, w, &s, &vm, 200);
}

static int new_topic_save(struct req *r, struct resp *w)
{
    struct view_topic_new vm = {0};
    struct space s;
    struct str title = str_trim(req_in(r, NT_TITLE)->text), *tags = NULL;
    struct post_text text;
    enum topic_kind kind = TOPIC_DISCUSSION;
    int64_t topic_id, post_id;
    size_t ntags = 0;
    const char *msg;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_POST, &s), bad;

    if (rc)
        return refused(r, rc, no_space, not_a_poster);
    bad = r->invalid;
    if (!field_error(r, "kind").len) {
        rc = discuss_topic_kind_in(r, req_in(r, NT_KIND)->text, &s, &kind);
        if (rc)
            bad = rc;
    }
    msg = field_error(r, "title").len ? NULL : rule_title(title);
    if (msg)
        bad = req_fail(r, E_INVAL, "title", msg);
    if (!field_error(r, "tags").len && discuss_prepare_tags(r, req_in(r, NT_TAGS), &tags, &ntags))
        bad = E_INVAL;
    if (!field_error(r, "body").len &&
        discuss_prepare_text(r, "body", req_in(r, NT_BODY)->text, &text))
        bad = E_INVAL;
    if (!bad) {
        rc = topic_create(r, &s, kind, title, tags, ntags, &text, &topic_id, &post_id);
        if (rc)
            return rc;
        see_other(w, topic_url(r, topic_id, ""));
        return 0;
    }
    vm.title = req_in(r, NT_TITLE)->text;
    vm.body = req_in(r, NT_BODY)->text;
    vm.tags = req_in(r, NT_TAGS)->text;
    kind = topic_kind_parse(req_in(r, NT_KIND)->text);
    vm.k_question = kind == TOPIC_QUESTION;
    vm.k_announcement = kind == TOPIC_ANNOUNCEMENT && spaces_can(r, &s, ACT_MODERATE);
    return new_topic_view(r, w, &s, &vm, bad == E_PERM ? 403 : 400);
}

/* A topic's page ---------------------------------------------------------------- */

/* What the reply form holds when the page is shown. */
struct reply_state {
    const struct post *to; /* the post replied to; NULL for the topic */
    struct str body;
};

/* "Ana Lima, Ben Okafor": who gave a reaction. */
static struct str names_of(struct arena *a, const struct reaction_set *set)
{
    struct buf b;

    buf_init(&b, a, LIMIT_TEXT_DEFAULT);
    for (int64_t i = 0; i < set->count; i++) {
        if (i)
            BUF_LIT(&b, ", ");
        buf_put_str(&b, set->names[i].len ? set->names[i] : set->handles[i]);
    }
    return buf_str(&b);
}

/* The tombstone's words: who deleted the post, and why when someone else did. */
static struct str deleted_note(struct arena *a, const struct post *p)
{
    struct buf b;

    buf_init(&b, a, LIMIT_TEXT_DEFAULT);
    if (p->deleted_by.len && str_eq(p->deleted_by, p->author_handle)) {
        BUF_LIT(&b, "Deleted by its author");
    } else if (p->deleted_by.len) {
        BUF_LIT(&b, "Deleted by @");
        buf_put_str(&b, p->deleted_by);
    } else {
        BUF_LIT(&b, "Deleted");
    }
    if (p->delete_reason.len) {
        BUF_LIT(&b, ": ");
        buf_put_str(&b, p->delete_reason);
    } else {
        BUF_LIT(&b, ".");
    }
    return buf_str(&b);
}

/* Room for a piece of a post a template renders: its names and links are bounded well below. */
#define PART_MAX ((size_t)1 << 20)

/* What a template rendered into b (rc: what it returned), less its last newline; empty on failure.
 */
static struct html part_of(const struct buf *b, int rc)
{
    return rc ? HTML_EMPTY : html_chomp(html_from_buf(b));
}

/* Reaction k of post p, named by who: its button, pressed when mine, or its list item. */
static struct html reaction_part(struct arena *a, const struct post *p, int k, struct str who,
                                 bool button, bool mine)
{
    struct view_reaction v = {
        .button = button,
        .mine = mine,
        .kind = str_c(reaction_kind_name((enum reaction_kind)k)),
        .label = str_c(reaction_kind_label((enum reaction_kind)k)),
        .count = p->reactions[k].count,
        .who = who,
    };
    struct buf b;

    buf_init(&b, a, PART_MAX);
    return part_of(&b, view_reaction(&b, &v));
}

void discuss_dress_post(struct arena *a, const struct post *p, int64_t after, int64_t last_shown,
                        struct post_dress *d)
{
    struct view_post_links links = {.number = p->number};
    const struct {
        bool *flag;
        struct html *out;
    } pieces[] = {
        {&links.react, &d->react_form},
        {&links.reply, &d->reply_links},
        {&links.edit, &d->edit_link},
        {&links.delete, &d->delete_link},
    };
    struct view_post_head h = {
        .number = p->number,
        .has_author = p->author_handle.len > 0,
        .author = p->author_name.len ? p->author_name : p->author_handle,
    };
    struct buf b;

    memset(d, 0, sizeof(*d));
    h.initial = initial_of(a, h.has_author ? h.author : STR_NULL);
    if (h.has_author)
        h.author_href = person_url(a, p->author_handle);
    h.self_href = post_url(a, p->topic_id, p->number);
    moment_fixed(a, p->created_at, &h.at_iso, &h.at_full);
    buf_init(&b, a, PART_MAX);
    d->head = part_of(&b, view_post_head(&b, &h));
    if (p->reply_to && p->reply_to_number > after && p->reply_to_number <= last_shown) {
        buf_init(&b, a, 64);
        BUF_LIT(&b, "#post-");
        buf_put_i64(&b, p->reply_to_number);
        d->reply_href = url_of_buf(a, &b);
    } else if (p->reply_to) {
        d->reply_href = post_url(a, p->topic_id, p->reply_to_number);
    }
    for (int k = 0; k < REACT__MAX; k++) {
        d->who[k] = names_of(a, &p->reactions[k]);
        if (p->reactions[k].count)
            d->item[k] = reaction_part(a, p, k, d->who[k], false, false);
    }
    if (p->deleted_at) {
        d->deleted_note = deleted_note(a, p);
        return;
    }
    for (int k = 0; k < REACT__MAX; k++)
        d->button[k] = reaction_part(a, p, k, d->who[k], true, false);
    if (p->edited_at)
        d->revisions_url = post_action(a, p->id, "/revisions");
    links.react_action = post_action(a, p->id, "/react");
    links.reply_url = reply_form_url(a, p->topic_id, after, "&reply_to=", p->id);
    links.quote_url = reply_form_url(a, p->topic_id, after, "&quote=", p->id);
    links.edit_url = post_action(a, p->id, "/edit");
    links.delete_url = post_action(a, p->id, "/delete");
    /* Each piece of post_links.html, its flag alone set. */
    for (size_t i = 0; i < ARRAY_LEN(pieces); i++) {
        *pieces[i].flag = true;
        buf_init(&b, a, PART_MAX);
        *pieces[i].out = part_of(&b, view_post_links(&b, &links));
        *pieces[i].flag = false;
    }
}

/* A post as the page shows it, with what the viewer may do to it. */
static void post_view(struct req *r, const struct space *s, const struct topic *t,
                      const struct post *p, int64_t after, int64_t last_shown, int64_t seen,
                      struct view_post *v)
{
    bool can_post = spaces_can(r, s, ACT_POST), moderate = spaces_can(r, s, ACT_MODERATE);
    bool mine = r->actor && p->author_id == r->actor->id;
    bool asker = r->actor && t->author_id == r->actor->id;
    struct view_part *parts = arena_alloc(&r->arena, REACT__MAX * sizeof(*parts));
    const struct post_dress *d = p->dress;
    struct post_dress own;

    if (!d) { /* not a kept page's: dressed for this request alone */
        discuss_dress_post(&r->arena, p, after, last_shown, &own);
        d = &own;
    }
    v->id = p->id;
    v->number = p->number;
    v->head = d->head;
    v->at_text = moment_text(r, p->created_at);
    v->deleted = p->deleted_at != 0;
    v->edited = p->edited_at && !v->deleted;
    v->revisions_url = d->revisions_url;
    v->is_reply = p->reply_to != 0;
    v->reply_number = p->reply_to_number;
    v->reply_href = d->reply_href;
    v->accepted = t->accepted_post_id == p->id;
    v->first_new = r->actor && seen > 0 && p->number == seen + 1;
    if (v->deleted)
        v->deleted_note = d->deleted_note;
    else
        v->html = markdown_stored(p->html);
    v->can_react = can_post && !v->deleted && !mine && r->actor;
    if (v->can_react) {
        /* Every kind, as a button: the reader's own pressed, worked out now. */
        v->react_form = d->react_form;
        for (int k = 0; k < REACT__MAX; k++)
            parts[k].html = reaction_by(&p->reactions[k], r->actor->id)
                                ? reaction_part(&r->arena, p, k, d->who[k], true, true)
                                : d->button[k];
        v->buttons = parts;
        v->nbuttons = REACT__MAX;
    } else {
        for (int k = 0; k < REACT__MAX; k++)
            if (d->item[k].len)
                parts[v->nitems++].html = d->item[k];
        v->items = parts;
    }
    v->can_reply = can_post && !v->deleted;
    if (v->can_reply)
        v->reply_links = d->reply_links;
    v->can_edit = mine && !v->deleted;
    if (v->can_edit)
        v->edit_link = d->edit_link;
    v->can_delete = !v->deleted && (mine || moderate) && r->actor;
    if (v->can_delete)
        v->delete_link = d->delete_link;
    if (t->kind == TOPIC_QUESTION && p->number > 1 && !v->deleted && (asker || moderate)) {
        v->can_accept = !v->accepted;
        v->can_unaccept = v->accepted;
    }
    v->has_actions =
        v->can_reply || v->can_edit || v->can_delete || v->can_accept || v->can_unaccept;
}

/* "> " before each line of a post's Markdown, and a blank line to write under. */
static struct str quoted(struct req *r, struct str body)
{
    struct buf b;

    buf_init(&b, &r->arena, (size_t)POST_BODY_MAX * 8);
    body = str_trim(body);
    BUF_LIT(&b, "> ");
    for (size_t i = 0; i < body.len; i++) {
        buf_putc(&b, body.ptr[i]);
        if (body.ptr[i] == '\n')
            BUF_LIT(&b, "> ");
    }
    BUF_LIT(&b, "\n\n");
    return b.toobig ? STR_NULL : buf_str(&b);
}

enum { TS_CURSOR, TS_QUOTE, TS_REPLY_TO, TS__MAX };

static const struct field show_fields[TS__MAX] = {
    [TS_CURSOR] = {"cursor", FIELD_TEXT, false, 48, 0, 0},
    [TS_QUOTE] = {"quote", FIELD_INT, false, 0, 1, INT64_MAX},
    [TS_REPLY_TO] = {"reply_to", FIELD_INT, false, 0, 1, INT64_MAX},
};

/*
 * The topic's page of posts numbered above after, the reply form holding
 * reply, answered with status. Marks the topic read up to the last post shown.
 */
static int topic_view(struct req *r, struct resp *w, struct topic *t, const struct space *s,
                      int64_t after, const struct reply_state *reply, int status)
{
    struct view_topic vm = {0};
    struct view_post *posts;
    const struct post *p;
    struct post accepted;
    bool have_accepted = false;
    int64_t seen = t->last_read, last_shown;
    size_t n;
    struct buf body, b;
    int rc = posts_page(r, t, after, PAGE_POSTS, &p, &n);

    if (!rc)
        rc = crumbs_of(r, s, NULL, &vm.crumbs, &vm.ncrumbs);
    if (!rc && n)
        rc = topic_mark_read(r, t, p[n - 1].number);
    if (rc)
        return rc;
    last_shown = n ? p[n - 1].number : after;
    /* The accepted answer, shown again under the question on the first page. */
    if (t->accepted_post_id && after == 0 && n) {
        for (size_t i = 0; i < n && !have_accepted; i++) {
            if (p[i].id == t->accepted_post_id) {
                accepted = p[i];
                have_accepted = true;
            }
        }
        if (!have_accepted) {
            rc = post_load(r, t->accepted_post_id, &accepted);
            if (rc && rc != E_NOTFOUND)
                return rc;
            have_accepted = !rc;
        }
        have_accepted = have_accepted && !accepted.deleted_at;
    }
    posts = arena_calloc(&r->arena, n ? n : 1, sizeof(*posts));
    for (size_t i = 0; i < n; i++) {
        post_view(r, s, t, &p[i], after, last_shown, seen, &posts[i]);
        posts[i].accepted_after = have_accepted && p[i].number == 1;
    }
    vm.posts = posts;
    vm.nposts = n;
    if (have_accepted) {
        vm.show_accepted = true;
        vm.accepted_author =
            accepted.author_name.len ? accepted.author_name : STR_LIT("a former member");
        vm.accepted_number = accepted.number;
        vm.accepted_href = discuss_post_url(r, t->id, accepted.number);
        vm.accepted_html = markdown_stored(accepted.html);
    }
    vm.accept_action = topic_url(r, t->id, "/accept");
    vm.title = t->title;
    vm.pinned = t->pinned;
    vm.is_question = t->kind == TOPIC_QUESTION;
    vm.answered = t->accepted_post_id != 0;
    vm.is_announcement = t->kind == TOPIC_ANNOUNCEMENT;
    tag_links(r, s, t, &vm.tags, &vm.ntags);
    vm.started_by = t->author_name.len ? t->author_name : STR_LIT("a former member");
    vm.started = time_of(r, t->created_at);
    vm.counts = count_of(r, t->posts_count, "post", "posts");
    vm.notice = watch_notice(r, "this topic");
    vm.csrf = csrf_token(r);
    if (spaces_can(r, s, ACT_WATCH)) {
        enum watch_level level = t->watch;
        const char *note = NULL;

        if (!t->watch_set) {
            level = t->space_watch;
            note = level == WATCH_WATCHING ? "As for the whole space: you hear of every new post."
                   : level == WATCH_MUTED  ? "As for the whole space: muted."
                                           : NULL;
        }
        rc = watch_control(r, topic_url(r, t->id, "/watch"), "watch-topic",
                           "Notifications from this topic:", level, note, &vm.watch);
        if (rc)
            return rc;
    }
    vm.has_earlier = after > 0;
    if (vm.has_earlier)
        vm.earlier_url = topic_page_url(r, t->id, after > PAGE_POSTS ? after - PAGE_POSTS : 0, "");
    vm.has_later = n && last_shown < t->last_number;
    vm.live = r->actor && !vm.has_later;
    vm.topic_id = t->id;
    vm.space_slug = s->slug;
    if (vm.has_later)
        vm.later_url = topic_page_url(r, t->id, last_shown, "");
    if (vm.has_earlier || vm.has_later) {
        buf_init(&b, &r->arena, 128);
        buf_printf(&b, "Posts %lld to %lld of %lld", (long long)after + 1, (long long)last_shown,
                   (long long)t->last_number);
        vm.range = buf_str(&b);
    }
    vm.can_reply = spaces_can(r, s, ACT_POST) && r->actor;
    vm.reply_action = topic_url(r, t->id, "/reply");
    vm.body = reply->body;
    if (reply->to) {
        vm.reply_to = reply->to->id;
        buf_init(&b, &r->arena, LIMIT_TEXT_DEFAULT);
        buf_printf(&b, "#%lld by ", (long long)reply->to->number);
        buf_put_str(&b, reply->to->author_name.len ? reply->to->author_name
                                                   : STR_LIT("a former member"));
        vm.replying_to = buf_str(&b);
        vm.replying_href = discuss_post_url(r, t->id, reply->to->number);
        vm.cancel_reply_url = topic_page_url(r, t->id, after, "#reply");
    }
    vm.body_error = field_error(r, "body");
    if (!vm.body_error.len)
        vm.body_error = field_error(r, "reply_to");
    error_summary(r, "Your reply", &vm.errors, &vm.nerrors);
    if (status != 200 && !vm.nerrors)
        vm.form_error = str_c(r->err_msg);
    vm.join_hint = r->actor && !vm.can_reply;
    vm.signin_hint = !r->actor;
    vm.space_url = space_pages_link(r, s->slug, "");
    buf_init(&b, &r->arena, LIMIT_URL);
    buf_printf(&b, "/signin?next=/topics/%lld", (long long)t->id);
    vm.signin_url = url_of_buf(&r->arena, &b);
    resp_body_init(r, &body);
    view_topic(&body, &vm);
    return page(r, w, t->title, HTML_EMPTY, &body, status);
}

/* The post named by the query's field i, when it is a live post of topic t. */
static int post_in_topic(struct req *r, size_t i, const struct topic *t, struct post *p, bool *ok)
{
    const struct value *v = req_in(r, i);
    int rc;

    *ok = false;
    if (!v->present)
        return 0;
    rc = post_load(r, v->num, p);
    if (rc == E_NOTFOUND)
        return 0;
    if (rc)
        return rc;
    *ok = p->topic_id == t->id && !p->deleted_at;
    return 0;
}

static int topic_page(struct req *r, struct resp *w)
{
    struct reply_state reply = {NULL, STR_NULL};
    struct topic t;
    struct space s;
    struct post quote, to;
    struct cursor c = {0, 0};
    const struct value *cv;
    bool ok;
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_topic(r, id, ACT_READ, &t, &s);
    if (rc)
        return refused(r, rc, no_topic, "you may not read this topic");
    if (r->invalid)
        return r->invalid;
    cv = req_in(r, TS_CURSOR);
    if (cv->text.len && !cursor_parse(cv->text, &c))
        return req_fail(r, E_INVAL, "cursor", "is not a page of this topic");
    /* Opening a topic read before: straight to the first post not seen yet. */
    if (!r->query_raw.len && r->actor && t.last_read > 0 && t.last_read < t.last_number) {
        see_other(w, discuss_post_url(r, t.id, t.last_read + 1));
        return 0;
    }
    rc = post_in_topic(r, TS_REPLY_TO, &t, &to, &ok);
    if (!rc && ok)
        reply.to = &to;
    if (!rc)
        rc = post_in_topic(r, TS_QUOTE, &t, &quote, &ok);
    if (rc)
        return rc;
    if (ok) {
        reply.to = &quote;
        reply.body = quoted(r, quote.body);
    }
    return topic_view(r, w, &t, &s, c.key, &reply, 200);
}

/* Replying ------------------------------------------------------------------- */

enum { PR_BODY, PR_REPLY_TO, PR__MAX };

static const struct field reply_fields[PR__MAX] = {
    [PR_BODY] = {"body", FIELD_TEXT, true, POST_BODY_MAX, 0, 0},
    [PR_REPLY_TO] = {"reply_to", FIELD_INT, false, 0, 1, INT64_MAX},
};

static int reply_page(struct req *r, struct resp *w)
{
    struct reply_state reply = {NULL, STR_NULL};
    struct topic t;
    struct space s;
    struct post to;
    int64_t id, post_id = 0, number = 0;
    bool ok = false;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_topic(r, id, ACT_POST, &t, &s);
    if (rc)
        return refused(r, rc, no_topic, not_a_poster);
    rc = r->invalid;
    if (!rc)
        rc = discuss_reply(r, &s, &t,
                           req_in(r, PR_REPLY_TO)->present ? req_in(r, PR_REPLY_TO)->num : 0,
                           req_in(r, PR_BODY)->text, &post_id, &number);
    if (!rc) {
        see_other(w, discuss_post_url(r, t.id, number));
        return 0;
    }
    if (rc != E_INVAL)
        return rc;
    /* Show the form again under the latest posts, with what was typed. */
    if (req_in(r, PR_REPLY_TO)->present && !field_error(r, "reply_to").len) {
        int lrc = post_in_topic(r, PR_REPLY_TO, &t, &to, &ok);

        if (lrc)
            return lrc;
        if (ok)
            reply.to = &to;
    }
    reply.body = req_in(r, PR_BODY)->text;
    return topic_view(r, w, &t, &s, page_start(t.last_number), &reply, 400);
}

/* Editing, deleting, versions ------------------------------------------------ */

static int edit_view(struct req *r, struct resp *w, const struct space *s, const struct topic *t,
                     const struct post *p, struct str text, int status)
{
    struct view_post_edit vm = {0};
    struct buf body;
    int rc = crumbs_of(r, s, t, &vm.crumbs, &vm.ncrumbs);

    if (rc)
        return rc;
    vm.number = p->number;
    vm.action = post_action(&r->arena, p->id, "/edit");
    vm.cancel_url = discuss_post_url(r, t->id, p->number);
    vm.csrf = csrf_token(r);
    vm.body = text;
    vm.body_error = field_error(r, "body");
    error_summary(r, "Your post", &vm.errors, &vm.nerrors);
    if (status != 200 && !vm.nerrors)
        vm.form_error = str_c(r->err_msg);
    resp_body_init(r, &body);
    view_post_edit(&body, &vm);
    return page(r, w, numbered(r, "Edit post #", p->number), HTML_EMPTY, &body, status);
}

/* The post {id} for its author to change: 404, 403 for anyone else, 409 once deleted. */
static int open_own_post(struct req *r, struct post *p, struct topic *t, struct space *s)
{
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_post(r, id, ACT_READ, p, t, s);
    if (rc)
        return refused(r, rc, no_post, "you may not read this post");
    if (p->author_id != r->actor->id) {
        forget_input_errors(r);
        req_fail(r, E_PERM, NULL, "only its author edits a post");
        return E_PERM;
    }
    if (p->deleted_at) {
        forget_input_errors(r);
        req_fail(r, E_CONFLICT, NULL, "this post was deleted");
        return E_CONFLICT;
    }
    return 0;
}

static int edit_form(struct req *r, struct resp *w)
{
    struct post p;
    struct topic t;
    struct space s;
    int rc = open_own_post(r, &p, &t, &s);

    if (rc)
        return rc;
    return edit_view(r, w, &s, &t, &p, p.body, 200);
}

enum { PE_BODY, PE__MAX };

static const struct field edit_fields[PE__MAX] = {
    [PE_BODY] = {"body", FIELD_TEXT, true, POST_BODY_MAX, 0, 0},
};

static int edit_save(struct req *r, struct resp *w)
{
    struct post p;
    struct topic t;
    struct space s;
    int rc = open_own_post(r, &p, &t, &s);

    if (rc)
        return rc;
    rc = r->invalid;
    if (!rc)
        rc = discuss_edit(r, &p, req_in(r, PE_BODY)->text);
    if (rc == E_INVAL)
        return edit_view(r, w, &s, &t, &p, req_in(r, PE_BODY)->text, 400);
    if (rc)
        return rc;
    see_other(w, discuss_post_url(r, t.id, p.number));
    return 0;
}

/* The post {id} for its author or a facilitator to delete. */
static int open_deletable(struct req *r, struct post *p, struct topic *t, struct space *s)
{
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_post(r, id, ACT_READ, p, t, s);
    if (rc)
        return refused(r, rc, no_post, "you may not read this post");
    if (p->author_id != r->actor->id && !spaces_can(r, s, ACT_MODERATE)) {
        forget_input_errors(r);
        req_fail(r, E_PERM, NULL, "only its author or a facilitator deletes a post");
        return E_PERM;
    }
    if (p->deleted_at) {
        forget_input_errors(r);
        req_fail(r, E_CONFLICT, NULL, "this post was deleted already");
        return E_CONFLICT;
    }
    return 0;
}

static int delete_view(struct req *r, struct resp *w, const struct space *s, const struct topic *t,
                       const struct post *p, struct str reason, int status)
{
    struct view_post_delete vm = {0};
    struct buf body;
    int rc = crumbs_of(r, s, t, &vm.crumbs, &vm.ncrumbs);

    if (rc)
        return rc;
    vm.number = p->number;
    vm.author = p->author_name.len ? p->author_name : STR_LIT("a former member");
    vm.html = markdown_stored(p->html);
    vm.action = post_action(&r->arena, p->id, "/delete");
    vm.cancel_url = discuss_post_url(r, t->id, p->number);
    vm.csrf = csrf_token(r);
    vm.need_reason = p->author_id != r->actor->id;
    vm.reason = reason;
    vm.reason_error = field_error(r, "reason");
    error_summary(r, "Your post", &vm.errors, &vm.nerrors);
    if (status != 200 && !vm.nerrors)
        vm.form_error = str_c(r->err_msg);
    resp_body_init(r, &body);
    view_post_delete(&body, &vm);
    return page(r, w, numbered(r, "Delete post #", p->number), HTML_EMPTY, &body, status);
}

static int delete_form(struct req *r, struct resp *w)
{
    struct post p;
    struct topic t;
    struct space s;
    int rc = open_deletable(r, &p, &t, &s);

    if (rc)
        return rc;
    return delete_view(r, w, &s, &t, &p, STR_NULL, 200);
}

enum { PD_REASON, PD__MAX };

static const struct field delete_fields[PD__MAX] = {
    [PD_REASON] = {"reason", FIELD_TEXT, false, DELETE_REASON_MAX, 0, 0},
};

static int delete_save(struct req *r, struct resp *w)
{
    struct post p;
    struct topic t;
    struct space s;
    int rc = open_deletable(r, &p, &t, &s);

    if (rc)
        return rc;
    rc = r->invalid;
    if (!rc)
        rc = discuss_delete(r, &s, &p, req_in(r, PD_REASON)->text);
    if (rc == E_INVAL)
        return delete_view(r, w, &s, &t, &p, req_in(r, PD_REASON)->text, 400);
    if (rc)
        return rc;
    see_other(w, discuss_post_url(r, t.id, p.number));
    return 0;
}

static int revisions_page(struct req *r, struct resp *w)
{
    struct view_post_revisions vm = {0};
    struct view_revision *rows;
    struct revision *v;
    struct post p;
    struct topic t;
    struct space s;
    struct buf body;
    size_t n = 0;
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_post(r, id, ACT_READ, &p, &t, &s);
    if (rc)
        return refused(r, rc, no_post, "you may not read this post");
    rc = post_revisions(r, p.id, &v, &n);
    if (!rc)
        rc = crumbs_of(r, &s, &t, &vm.crumbs, &vm.ncrumbs);
    if (rc)
        return rc;
    vm.number = p.number;
    vm.author = p.author_name;
    vm.post_href = discuss_post_url(r, t.id, p.number);
    vm.deleted = p.deleted_at != 0;
    rows = arena_calloc(&r->arena, n + 1, sizeof(*rows));
    for (size_t i = 0; i < n; i++) {
        rows[i].revision = v[i].revision;
        rows[i].at = time_of(r, v[i].created_at);
        rows[i].html = markdown_stored(v[i].html);
    }
    if (!vm.deleted) {
        rows[n].revision = p.revision;
        rows[n].current = true;
        rows[n].at = time_of(r, p.edited_at ? p.edited_at : p.created_at);
        rows[n].html = markdown_stored(p.html);
        n++;
    }
    vm.revisions = rows;
    vm.nrevisions = n;
    resp_body_init(r, &body);
    view_post_revisions(&body, &vm);
    return page(r, w, numbered(r, "Versions of post #", p.number), HTML_EMPTY, &body, 200);
}

/* Reactions, answers, watching ---------------------------------------------- */

enum { RE_KIND, RE__MAX };

static const struct field react_fields[RE__MAX] = {
    [RE_KIND] = {"kind", FIELD_TEXT, true, 20, 0, 0},
};

static int react_page(struct req *r, struct resp *w)
{
    struct post p;
    struct topic t;
    struct space s;
    int64_t id;
    bool on;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_post(r, id, ACT_POST, &p, &t, &s);
    if (rc)
        return refused(r, rc, no_post, "join this space to react");
    if (r->invalid)
        return r->invalid;
    rc = discuss_react(r, &s, &p, req_in(r, RE_KIND)->text, &on);
    if (rc)
        return rc;
    see_other(w, discuss_post_url(r, t.id, p.number));
    return 0;
}

enum { AC_POST_ID, AC__MAX };

static const struct field accept_fields[AC__MAX] = {
    [AC_POST_ID] = {"post_id", FIELD_INT, true, 0, 0, INT64_MAX},
};

static int accept_page(struct req *r, struct resp *w)
{
    struct topic t;
    struct space s;
    struct post p;
    int64_t id, post_id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_topic(r, id, ACT_READ, &t, &s);
    if (rc)
        return refused(r, rc, no_topic, "you may not read this topic");
    if (t.author_id != r->actor->id && !spaces_can(r, &s, ACT_MODERATE))
        return refused(r, E_PERM, no_topic, "only the asker or a facilitator accepts an answer");
    if (r->invalid)
        return r->invalid;
    post_id = req_in(r, AC_POST_ID)->num;
    rc = discuss_accept(r, &s, &t, post_id);
    if (!rc && post_id)
        rc = post_load(r, post_id, &p);
    if (rc)
        return rc;
    see_other(w, discuss_post_url(r, t.id, post_id ? p.number : 1));
    return 0;
}

enum { WA_LEVEL, WA__MAX };

static const struct field watch_fields[WA__MAX] = {
    [WA_LEVEL] = {"level", FIELD_TEXT, true, 20, 0, 0},
};

static int watch_topic_page(struct req *r, struct resp *w)
{
    struct topic t;
    struct space s;
    enum watch_level level;
    struct buf b;
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = discuss_open_topic(r, id, ACT_WATCH, &t, &s);
    if (rc)
        return refused(r, rc, no_topic, "you may not watch this topic");
    rc = r->invalid;
    if (!rc)
        rc = discuss_watch_level_in(r, req_in(r, WA_LEVEL)->text, &level);
    if (!rc)
        rc = watch_set(r, s.id, t.id, level);
    if (rc)
        return rc;
    buf_init(&b, &r->arena, 64);
    buf_printf(&b, "?notice=%s", watch_level_name(level));
    see_other(w, topic_url(r, t.id, buf_str(&b).ptr));
    return 0;
}

static int watch_space_page(struct req *r, struct resp *w)
{
    struct space s;
    enum watch_level level;
    struct buf b;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_WATCH, &s);

    if (rc)
        return refused(r, rc, no_space, "you may not watch this space");
    rc = r->invalid;
    if (!rc)
        rc = discuss_watch_level_in(r, req_in(r, WA_LEVEL)->text, &level);
    if (!rc)
        rc = watch_set(r, s.id, 0, level);
    if (rc)
        return rc;
    buf_init(&b, &r->arena, 64);
    buf_printf(&b, "/topics?notice=%s", watch_level_name(level));
    see_other(w, space_pages_link(r, s.slug, buf_str(&b).ptr));
    return 0;
}

/* Routes ------------------------------------------------------------------------ */

#define SPACE_PAGE "/spaces/{slug}"
#define TOPIC_PAGE "/topics/{id}"
#define POST_PAGE  "/posts/{id}"
#define FORM       (ROUTE_AUTH | ROUTE_OWN_ERRORS)

static const struct route routes[] = {
    {HTTP_GET, SPACE_PAGE "/topics", topics_page, list_fields, TL__MAX, ROUTE_OWN_ERRORS},
    {HTTP_GET, SPACE_PAGE "/topics/new", new_topic_form, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, SPACE_PAGE "/topics/new", new_topic_save, new_fields, NT__MAX, FORM},
    {HTTP_POST, SPACE_PAGE "/watch", watch_space_page, watch_fields, WA__MAX, FORM},
    {HTTP_GET, SPACE_PAGE "/feed.atom", discuss_feed_page, NULL, 0, 0},
    {HTTP_GET, TOPIC_PAGE, topic_page, show_fields, TS__MAX, ROUTE_OWN_ERRORS},
    {HTTP_POST, TOPIC_PAGE "/reply", reply_page, reply_fields, PR__MAX, FORM},
    {HTTP_POST, TOPIC_PAGE "/accept", accept_page, accept_fields, AC__MAX, FORM},
    {HTTP_POST, TOPIC_PAGE "/watch", watch_topic_page, watch_fields, WA__MAX, FORM},
    {HTTP_GET, POST_PAGE "/edit", edit_form, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, POST_PAGE "/edit", edit_save, edit_fields, PE__MAX, FORM},
    {HTTP_GET, POST_PAGE "/delete", delete_form, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, POST_PAGE "/delete", delete_save, delete_fields, PD__MAX, FORM},
    {HTTP_POST, POST_PAGE "/react", react_page, react_fields, RE__MAX, FORM},
    {HTTP_GET, POST_PAGE "/revisions", revisions_page, NULL, 0, 0},
};

const struct feature feature_discuss_pages = {
    .name = "discuss-pages",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};
