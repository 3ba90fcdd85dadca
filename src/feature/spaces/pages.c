#include "feature/spaces/pages.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/err.h"
#include "feature/discuss/pages.h"
#include "feature/profiles/rules.h"
#include "feature/spaces/pages_model.h"
#include "feature/spaces/spaces.h"
#include "feature/spaces/views.h"
#include "http/session.h"
#include "view/markdown.h"

#define DAY          ((int64_t)24 * 3600)
#define PREVIEW_MAX  8     /* names on a space's page; the directory has the rest */
#define CHARTER_MAX  20000 /* characters, as the API takes them */
#define CHARTER_SRC  ((size_t)4 * CHARTER_MAX)
#define INVITE_DAYS  14
#define INVITE_USES  25
#define GUEST_DAYS   30
#define SPACES_PATH  "/spaces/"
#define INVITES_PATH "/invites/"

/* Small helpers ------------------------------------------------------------- */

/* head + middle + tail as a struct url; "/" should it ever not be one. */
static struct url link3(struct req *r, const char *head, struct str middle, const char *tail)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_URL);
    buf_puts(&b, head);
    buf_put_str(&b, middle);
    buf_puts(&b, tail);
    return url_of_buf(&r->arena, &b);
}

/* "/spaces/<slug><tail>": slugs are a-z, 0-9 and '-', nothing to encode. */
static struct url space_link(struct req *r, struct str slug, const char *tail)
{
    return link3(r, SPACES_PATH, slug, tail);
}

struct url space_pages_link(struct req *r, struct str slug, const char *tail)
{
    return space_link(r, slug, tail);
}

static struct url person_link(struct req *r, struct str handle)
{
    return link3(r, "/people/", handle, "");
}

/* "/spaces/<slug><mid><handle><tail>": handles are a-z, 0-9, _ and -. */
static struct url space_person_link(struct req *r, struct str slug, const char *mid,
                                    struct str handle, const char *tail)
{
    struct buf b;
    struct url u;

    buf_init(&b, &r->arena, LIMIT_URL);
    buf_puts(&b, SPACES_PATH);
    buf_put_str(&b, slug);
    buf_puts(&b, mid);
    buf_put_str(&b, handle);
    buf_puts(&b, tail);
    if (b.toobig || url_build(&r->arena, buf_str(&b), &u))
        return URL_LIT("/");
    return u;
}

static void see_other(struct resp *w, struct url to)
{
    w->status = 303;
    resp_header(w, "Location", to.ptr);
}

/* head + middle + tail as text in the arena. */
static struct str text3(struct req *r, const char *head, struct str middle, const char *tail)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_TEXT_DEFAULT * 4);
    buf_puts(&b, head);
    buf_put_str(&b, middle);
    buf_puts(&b, tail);
    return buf_str(&b);
}

/* A number as text: "12". */
static struct str num_text(struct req *r, int64_t n)
{
    struct buf b;

    buf_init(&b, &r->arena, 32);
    buf_put_i64(&b, n);
    return buf_str(&b);
}

/* "1 member", "12 members". */
static struct str count_of(struct req *r, int64_t n, const char *one, const char *many)
{
    struct buf b;

    buf_init(&b, &r->arena, 64);
    buf_printf(&b, "%lld %s", (long long)n, n == 1 ? one : many);
    return buf_str(&b);
}

static const char *const months[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

/* "14 March 2026" for unix seconds, in UTC. */
static struct str date_of(struct req *r, int64_t t)
{
    struct tm tm;
    struct buf b;

    buf_init(&b, &r->arena, 48);
    if (clock_utc(t, &tm))
        return STR_NULL;
    buf_printf(&b, "%d %s %d", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900);
    return buf_str(&b);
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

/* What the router found wrong with the inputs must not outlive a 403 or 404 that answers first. */
static void forget_input_errors(struct req *r)
{
    r->nerrs = 0;
    r->err_msg = NULL;
    r->invalid = 0;
}

/* The short note a redirect asks the next page to show (?notice=…); fixed texts only. */
static const struct {
    const char *key;
    const char *text;
} notices[] = {
    {"created", "Your space is ready. Invite people, and write a charter so newcomers know what "
                "it is for."},
    {"saved", "Your changes are saved."},
    {"joined", "Welcome! You are a member now."},
    {"requested", "Your request is sent. A facilitator will look at it soon."},
    {"left", "You have left this space."},
    {"welcome", "Welcome! You joined through an invite."},
    {"role", "The role is changed."},
    {"removed", "They are no longer a member."},
    {"gone", "That person was not a member any more."},
    {"approved", "Approved: they are a member now."},
    {"declined", "Declined: the request is gone."},
    {"handled", "That request was already answered."},
};

static struct str notice_of(struct req *r)
{
    const struct kv *kv = kv_get(&r->query, STR_LIT("notice"));

    if (!kv)
        return STR_NULL;
    for (size_t i = 0; i < ARRAY_LEN(notices); i++)
        if (str_eq_c(kv->value, notices[i].key))
            return str_c(notices[i].text);
    return STR_NULL;
}

/* The page around a space --------------------------------------------------- */

enum tab {
    TAB_OVERVIEW,
    TAB_DISCUSSIONS,
    TAB_CHAT,
    TAB_CALENDAR,
    TAB_RHYTHM,
    TAB_MEMBERS,
    TAB_REQUESTS,
    TAB_INVITE,
    TAB_EDIT,
    TAB__MAX
};

static const char *const tab_labels[TAB__MAX] = {
    [TAB_OVERVIEW] = "Overview", [TAB_DISCUSSIONS] = "Discussions", [TAB_CHAT] = "Chat",
    [TAB_CALENDAR] = "Calendar", [TAB_RHYTHM] = "Rhythm",           [TAB_MEMBERS] = "Members",
    [TAB_REQUESTS] = "Requests", [TAB_INVITE] = "Invite",           [TAB_EDIT] = "Edit",
};
/* A section's own heading says a little more than its tab. */
static const char *const tab_titles[TAB__MAX] = {
    [TAB_OVERVIEW] = "Overview",
    [TAB_DISCUSSIONS] = "Discussions",
    [TAB_CHAT] = "Chat",
    [TAB_CALENDAR] = "Calendar",
    [TAB_RHYTHM] = "Rhythm",
    [TAB_MEMBERS] = "Members",
    [TAB_REQUESTS] = "Requests to join",
    [TAB_INVITE] = "Invite people",
    [TAB_EDIT] = "Edit this space",
};
static const char *const tab_paths[TAB__MAX] = {
    [TAB_OVERVIEW] = "",          [TAB_DISCUSSIONS] = "/topics", [TAB_CHAT] = "/chat",
    [TAB_CALENDAR] = "/calendar", [TAB_RHYTHM] = "/rhythm",      [TAB_MEMBERS] = "/members",
    [TAB_REQUESTS] = "/requests", [TAB_INVITE] = "/invite",      [TAB_EDIT] = "/edit",
};
static const enum action tab_actions[TAB__MAX] = {
    [TAB_OVERVIEW] = ACT_READ,
    [TAB_DISCUSSIONS] = ACT_READ,
    [TAB_CHAT] = ACT_READ,
    [TAB_CALENDAR] = ACT_READ,
    [TAB_RHYTHM] = ACT_READ,
    [TAB_MEMBERS] = ACT_LIST_MEMBERS,
    [TAB_REQUESTS] = ACT_MANAGE_MEMBERS,
    [TAB_INVITE] = ACT_MANAGE_MEMBERS,
    [TAB_EDIT] = ACT_EDIT,
};

/* A group's community, when the caller may read it; *found says whether. */
static int parent_of(struct req *r, const struct space *s, struct space *parent, bool *found)
{
    int rc;

    *found = false;
    if (!s->parent_id)
        return 0;
    rc = spaces_open(r, s->parent_slug, ACT_READ, parent);
    if (rc == E_NOTFOUND)
        return 0;
    if (!rc)
        *found = true;
    return rc;
}

/* What the eyebrow says: "Community · Public · Open to join". */
static struct str eyebrow_of(struct req *r, const struct space *s)
{
    static const char *const joins[JOIN__MAX] = {
        [JOIN_OPEN] = "Open to join",
        [JOIN_REQUEST] = "Join by request",
        [JOIN_INVITE] = "By invitation",
    };
    struct buf b;

    buf_init(&b, &r->arena, 128);
    buf_printf(&b, "%s \xc2\xb7 %s \xc2\xb7 %s", s->parent_id ? "Group" : "Community",
               s->is_public ? "Public" : "Private", s->join < JOIN__MAX ? joins[s->join] : "");
    return buf_str(&b);
}

struct chrome {
    struct html head, tabs;
};

/*
 * The head (breadcrumb, title, notice, and on the overview the membership
 * box in actions) and the tabs of a space's page, current being this one.
 */
static int space_chrome(struct req *r, const struct space *s, const struct space *parent,
                        enum tab current, struct html actions, struct chrome *out)
{
    struct view_space_crumb *crumbs = arena_calloc(&r->arena, 2, sizeof(*crumbs));
    struct view_space_tab *tabs = arena_calloc(&r->arena, TAB__MAX, sizeof(*tabs));
    struct view_space_head head = {0};
    struct view_space_tabs tv = {0};
    struct buf hb, tb;
    int rc;

    if (parent) {
        crumbs[head.ncrumbs].name = parent->name;
        crumbs[head.ncrumbs++].href = space_link(r, parent->slug, "");
    }
    if (current != TAB_OVERVIEW) {
        crumbs[head.ncrumbs].name = s->name;
        crumbs[head.ncrumbs++].href = space_link(r, s->slug, "");
        head.title = str_c(tab_titles[current]);
    } else {
        head.eyebrow = eyebrow_of(r, s);
        head.title = s->name;
        head.lead = s->purpose;
    }
    head.crumbs = crumbs;
    head.notice = notice_of(r);
    head.actions = actions;
    for (int t = 0; t < TAB__MAX; t++) {
        struct view_space_tab *tab = &tabs[tv.ntabs];

        if (!spaces_can(r, s, tab_actions[t]))
            continue;
        tab->label = str_c(tab_labels[t]);
        tab->href = space_link(r, s->slug, tab_paths[t]);
        tab->current = t == (int)current;
        if (t == TAB_MEMBERS) {
            int64_t members;

            rc = space_members(r, s, &members);
            if (rc)
                return rc;
            tab->count = num_text(r, members);
        }
        if (t == TAB_REQUESTS) {
            struct join_request *q;
            size_t n;

            rc = requests_of(r, s->id, &q, &n);
            if (rc)
                return rc;
            if (n)
                tab->count = num_text(r, (int64_t)n);
        }
        tv.ntabs++;
    }
    tv.tabs = tabs;
    if (tv.ntabs == 1)
        tv.ntabs = 0; /* the overview alone needs no tabs */
    buf_init(&hb, &r->arena, LIMIT_PAGE);
    buf_init(&tb, &r->arena, LIMIT_PAGE);
    if (view_space_head(&hb, &head) || view_space_tabs(&tb, &tv))
        return E_TOOBIG;
    out->head = html_from_buf(&hb);
    out->tabs = html_from_buf(&tb);
    return 0;
}

/* The head and tabs of a space's section that another feature's page shows. */
static int section_chrome(struct req *r, const struct space *s, enum tab t, struct html *head,
                          struct html *tabs)
{
    struct space parent;
    struct chrome c;
    bool has_parent;
    int rc = parent_of(r, s, &parent, &has_parent);

    if (!rc)
        rc = space_chrome(r, s, has_parent ? &parent : NULL, t, HTML_EMPTY, &c);
    if (rc)
        return rc;
    *head = c.head;
    *tabs = c.tabs;
    return 0;
}

int space_pages_discussions_chrome(struct req *r, const struct space *s, struct html *head,
                                   struct html *tabs)
{
    return section_chrome(r, s, TAB_DISCUSSIONS, head, tabs);
}

int space_pages_calendar_chrome(struct req *r, const struct space *s, struct html *head,
                                struct html *tabs)
{
    return section_chrome(r, s, TAB_CALENDAR, head, tabs);
}

int space_pages_rhythm_chrome(struct req *r, const struct space *s, struct html *head,
                              struct html *tabs)
{
    return section_chrome(r, s, TAB_RHYTHM, head, tabs);
}

int space_pages_chat_chrome(struct req *r, const struct space *s, struct html *head,
                            struct html *tabs)
{
    return section_chrome(r, s, TAB_CHAT, head, tabs);
}

/* "Members · Maths Teachers": the document's title for a section. */
static struct str section_title(struct req *r, const struct space *s, enum tab t)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_TEXT_DEFAULT * 4);
    buf_printf(&b, "%s \xc2\xb7 ", tab_labels[t]);
    buf_put_str(&b, s->name);
    return buf_str(&b);
}

/* Answer 200 with body in the layout, then set status. */
static int page(struct req *r, struct resp *w, struct str title, struct str desc,
                const struct buf *body, int status)
{
    int rc = resp_page(r, w, title, desc, body);

    w->status = status;
    return rc;
}

/*
 * A reader of s who may not take act: a 403 page that says why, with a way
 * back. Returns 0 (the page is the answer) or E_TOOBIG.
 */
static int forbidden(struct req *r, struct resp *w, const struct space *s, enum action act)
{
    struct view_space_forbidden vm = {0};
    struct buf body;

    vm.name = s->name;
    vm.space_url = space_link(r, s->slug, "");
    switch (act) {
    case ACT_JOIN:
        vm.title = str_c("You cannot join from here");
        vm.message = str_c(s->join == JOIN_INVITE
                               ? "This space is joined by invitation: ask a facilitator for an "
                                 "invite link."
                               : "Groups are for members of their community: join the community "
                                 "first.");
        break;
    case ACT_EDIT:
        vm.title = str_c("Only facilitators can edit this space");
        vm.message = str_c("If something here needs changing, ask one of its facilitators or "
                           "owners.");
        break;
    case ACT_CONFIGURE:
        vm.title = str_c("Only owners can change that");
        vm.message = str_c("Who can see a space, how people join it and who may create groups "
                           "are for its owners to decide.");
        break;
    case ACT_GRANT_OWNER:
        vm.title = str_c("Only owners can do that");
        vm.message = str_c("Making, unmaking or removing an owner is for the space's owners.");
        break;
    case ACT_CREATE_GROUP:
        vm.title = str_c("You cannot create a group here");
        vm.message = str_c(s->parent_id ? "A group cannot hold groups of its own: create the new "
                                          "one in the community."
                           : s->role >= ROLE_MEMBER
                               ? "In this community, facilitators and owners create the groups. "
                                 "Ask one of them."
                               : "Groups are created by the community's members. Join it first.");
        break;
    default:
        vm.title = str_c("Only facilitators can do that");
        vm.message = str_c("Looking after members, requests and invites is for the space's "
                           "facilitators and owners.");
        break;
    }
    resp_body_init(r, &body);
    view_space_forbidden(&body, &vm);
    return page(r, w, vm.title, STR_NULL, &body, 403);
}

/*
 * The answer when spaces_open() refused rc for act: the 403 page for a
 * reader without the right, else rc itself (404, 401, a database error).
 * Problems with the inputs are forgotten: the refusal answers first.
 */
static int refused(struct req *r, struct resp *w, const struct space *s, enum action act, int rc)
{
    forget_input_errors(r);
    if (rc == E_PERM)
        return forbidden(r, w, s, act);
    return rc;
}

/* A space's page ---------------------------------------------------------------- */

static int join_box(struct req *r, const struct space *s, const struct space *parent,
                    struct str guest_until, struct html *out)
{
    struct view_space_join j = {0};
    struct buf b;

    j.csrf = csrf_token(r);
    j.join_url = space_link(r, s->slug, "/join");
    j.leave_url = space_link(r, s->slug, "/leave");
    j.signin_url = link3(r, "/signin?next=" SPACES_PATH, s->slug, "");
    if (s->role != ROLE_NONE) {
        j.role = str_c(role_name(s->role));
        j.guest_until = guest_until;
    } else if (s->pending) {
        j.pending = true;
    } else if (!r->actor) {
        j.anonymous = s->join != JOIN_INVITE;
        j.by_invite = s->join == JOIN_INVITE;
    } else if (spaces_can(r, s, ACT_JOIN)) {
        j.can_join = true;
        j.by_request = s->join == JOIN_REQUEST;
    } else if (s->join == JOIN_INVITE) {
        j.by_invite = true;
    } else if (s->parent_id && parent) {
        j.need_community = true;
        j.community_name = parent->name;
        j.community_url = space_link(r, parent->slug, "");
    }
    buf_init(&b, &r->arena, LIMIT_PAGE);
    if (view_space_join(&b, &j))
        return E_TOOBIG;
    *out = html_from_buf(&b);
    return 0;
}

/* The guest's end date, when the caller is a guest here. */
static int guest_end(struct req *r, const struct space *s, struct str *out)
{
    struct member *m;
    size_t n;
    int rc;

    *out = STR_NULL;
    if (s->role != ROLE_GUEST)
        return 0;
    rc = members_of(r, s->id, r->actor->handle, STR_NULL, &m, &n);
    for (size_t i = 0; !rc && i < n; i++)
        if (str_eq(m[i].handle, r->actor->handle) && m[i].guest_until)
            *out = date_of(r, m[i].guest_until);
    return rc;
}

static int space_page(struct req *r, struct resp *w)
{
    struct space s, parent, *all;
    struct view_space vm = {0};
    struct view_space_group *groups;
    struct html actions, feed;
    struct str until = STR_NULL;
    struct chrome c;
    struct buf body;
    bool has_parent;
    size_t n;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_READ, &s);

    if (!rc)
        rc = parent_of(r, &s, &parent, &has_parent);
    if (!rc)
        rc = guest_end(r, &s, &until);
    if (!rc)
        rc = join_box(r, &s, has_parent ? &parent : NULL, until, &actions);
    if (!rc)
        rc = space_chrome(r, &s, has_parent ? &parent : NULL, TAB_OVERVIEW, actions, &c);
    if (!rc)
        rc = spaces_visible(r, &all, &n);
    if (!rc)
        rc = discuss_space_summary(r, &s, &vm.discussions, &feed);
    if (rc)
        return rc;
    vm.head = c.head;
    vm.tabs = c.tabs;
    vm.charter = markdown_stored(s.charter_html);
    vm.is_community = s.parent_id == 0;
    vm.can_edit = spaces_can(r, &s, ACT_EDIT);
    vm.edit_url = space_link(r, s.slug, "/edit");
    vm.can_create_group = spaces_can(r, &s, ACT_CREATE_GROUP);
    vm.new_group_url = link3(r, "/spaces/new?parent=", s.slug, "");
    groups = arena_calloc(&r->arena, n ? n : 1, sizeof(*groups));
    for (size_t i = 0; i < n; i++) {
        struct view_space_group *g = &groups[vm.ngroups];

        if (all[i].parent_id != s.id)
            continue;
        g->name = all[i].name;
        g->purpose = all[i].purpose;
        g->href = space_link(r, all[i].slug, "");
        g->members = count_of(r, all[i].members, "member", "members");
        g->is_private = !all[i].is_public;
        if (all[i].role != ROLE_NONE)
            g->role = str_c(role_name(all[i].role));
        vm.ngroups++;
    }
    vm.groups = groups;
    rc = space_members(r, &s, &s.members);
    if (rc)
        return rc;
    vm.members = count_of(r, s.members, "member", "members");
    vm.members_url = space_link(r, s.slug, "/members");
    vm.show_people = spaces_can(r, &s, ACT_LIST_MEMBERS);
    if (vm.show_people && r->actor)
        vm.live_slug = s.slug;
    if (vm.show_people) {
        struct view_space_person *people;
        struct member *m;
        size_t nm;

        rc = members_of(r, s.id, STR_NULL, STR_NULL, &m, &nm);
        if (rc)
            return rc;
        people = arena_calloc(&r->arena, PREVIEW_MAX, sizeof(*people));
        for (size_t i = 0; i < nm && vm.npeople < PREVIEW_MAX; i++) {
            people[vm.npeople].name = m[i].name;
            people[vm.npeople].initial = initial_of(r, m[i].name);
            people[vm.npeople++].href = person_link(r, m[i].handle);
        }
        vm.people = people;
        vm.more_people = nm > vm.npeople;
    }
    resp_body_init(r, &body);
    view_space(&body, &vm);
    return resp_page_head(r, w, s.name, s.purpose, feed, &body);
}

/* Creating and editing ------------------------------------------------------ */

enum {
    SF_SLUG,
    SF_NAME,
    SF_PURPOSE,
    SF_VISIBILITY,
    SF_JOIN,
    SF_PARENT,
    SF_CHARTER,
    SF_MEMBERS_CREATE_GROUPS,
    SF__MAX
};

static const struct field create_fields[SF__MAX] = {
    [SF_SLUG] = {"slug", FIELD_TEXT, true, 40, 0, 0},
    [SF_NAME] = {"name", FIELD_TEXT, true, 80, 0, 0},
    [SF_PURPOSE] = {"purpose", FIELD_TEXT, true, 200, 0, 0},
    [SF_VISIBILITY] = {"visibility", FIELD_TEXT, true, 10, 0, 0},
    [SF_JOIN] = {"join", FIELD_TEXT, true, 10, 0, 0},
    [SF_PARENT] = {"parent", FIELD_TEXT, false, 40, 0, 0},
    [SF_CHARTER] = {"charter", FIELD_TEXT, false, CHARTER_MAX, 0, 0},
    [SF_MEMBERS_CREATE_GROUPS] = {"members_create_groups", FIELD_BOOL, false, 0, 0, 0},
};

/* Editing: the same names; visibility, joining and group creation only from owners' forms. */
static const struct field edit_fields[SF__MAX] = {
    [SF_SLUG] = {"slug", FIELD_TEXT, false, 40, 0, 0},
    [SF_NAME] = {"name", FIELD_TEXT, true, 80, 0, 0},
    [SF_PURPOSE] = {"purpose", FIELD_TEXT, true, 200, 0, 0},
    [SF_VISIBILITY] = {"visibility", FIELD_TEXT, false, 10, 0, 0},
    [SF_JOIN] = {"join", FIELD_TEXT, false, 10, 0, 0},
    [SF_PARENT] = {"parent", FIELD_TEXT, false, 40, 0, 0},
    [SF_CHARTER] = {"charter", FIELD_TEXT, false, CHARTER_MAX, 0, 0},
    [SF_MEMBERS_CREATE_GROUPS] = {"members_create_groups", FIELD_BOOL, false, 0, 0, 0},
};

enum { NF_PARENT, NF__MAX };

static const struct field new_fields[NF__MAX] = {
    [NF_PARENT] = {"parent", FIELD_TEXT, false, 40, 0, 0},
};

/* The API's rule for a slug (spaces.c), so a page refuses what the API refuses. */

/* Where each field's error links to, and what the summary calls it. */
static const struct {
    const char *field;
    const char *href;
    const char *label;
} form_labels[] = {
    {"name", "#name", "Name"},
    {"slug", "#slug", "Address"},
    {"purpose", "#purpose", "Purpose"},
    {"visibility", "#visibility", "Who can see it"},
    {"join", "#join", "How people join"},
    {"charter", "#charter", "Charter"},
    {"expires_in_days", "#expires_in_days", "Days"},
    {"max_uses", "#max_uses", "Number of people"},
    {"role", "#role", "They join as"},
    {"guest_days", "#guest_days", "Guest days"},
};

/* The error summary: one linked line per recorded field error the form knows. */
static void error_summary(struct req *r, const struct view_space_error **out, size_t *n)
{
    struct view_space_error *errs = arena_calloc(&r->arena, r->nerrs + 1, sizeof(*errs));

    *n = 0;
    for (size_t i = 0; i < r->nerrs; i++) {
        for (size_t j = 0; j < ARRAY_LEN(form_labels); j++) {
            if (!r->errs[i].field || strcmp(r->errs[i].field, form_labels[j].field) != 0 ||
                url_build(&r->arena, str_c(form_labels[j].href), &errs[*n].href))
                continue;
            errs[*n].label = str_c(form_labels[j].label);
            errs[*n].message = str_c(r->errs[i].msg);
            (*n)++;
        }
    }
    *out = errs;
}

/* Fill the form's errors from what was recorded, and answer with it. */
static int form_page(struct req *r, struct resp *w, struct view_space_form *vm, struct str title,
                     int status)
{
    struct buf body;

    vm->csrf = csrf_token(r);
    vm->slug_error = field_error(r, "slug");
    vm->name_error = field_error(r, "name");
    vm->purpose_error = field_error(r, "purpose");
    vm->visibility_error = field_error(r, "visibility");
    vm->join_error = field_error(r, "join");
    vm->charter_error = field_error(r, "charter");
    error_summary(r, &vm->errors, &vm->nerrors);
    if (status != 200 && !vm->nerrors)
        vm->form_error = str_c(r->err_msg);
    resp_body_init(r, &body);
    view_space_form(&body, vm);
    return page(r, w, title, STR_NULL, &body, status);
}

/* Whether the signed-in caller may create a community here (the instance's setting). */
static int not_a_creator(struct req *r)
{
    forget_input_errors(r);
    return req_fail(r, E_PERM, NULL, "only the site's admins may create communities here");
}

static int new_form(struct req *r, struct resp *w)
{
    struct view_space_form vm = {0};
    const struct value *p = req_in(r, NF_PARENT);
    struct space parent;
    int rc;

    if (p->present && p->text.len) {
        rc = spaces_open(r, p->text, ACT_CREATE_GROUP, &parent);
        if (rc)
            return refused(r, w, &parent, ACT_CREATE_GROUP, rc);
        vm.is_group = true;
        vm.parent = parent.slug;
        vm.community = parent.name;
        vm.cancel_url = space_link(r, parent.slug, "");
    } else {
        bool may;

        rc = spaces_may_create_community(r, &may);
        if (rc)
            return rc;
        if (!may)
            return not_a_creator(r);
        vm.cancel_url = URL_LIT("/");
    }
    vm.action = URL_LIT("/spaces/new");
    vm.configure = true;
    vm.is_public = true;
    vm.join_open = true;
    vm.members_create_groups = true;
    return form_page(r, w, &vm, str_c(vm.is_group ? "Create a group" : "Create a community"), 200);
}

/* Render the charter from the form into *html; 0 or E_INVAL recorded. */
static int charter_html(struct req *r, struct str src, struct str *html)
{
    struct html h;
    int rc;

    *html = STR_NULL;
    if (!src.len)
        return 0;
    rc = markdown_render(&r->arena, src, CHARTER_SRC, &h);
    if (rc == E_TOOBIG)
        return req_fail(r, E_INVAL, "charter", "is too long or too complex to show");
    if (rc)
        return req_fail(r, E_INVAL, "charter", "could not be rendered");
    *html = str_make(h.ptr, h.len);
    return 0;
}

/* Visibility and joining from the form, when present; each problem recorded. */
static int read_choices(struct req *r, bool *is_public, enum join_policy *join)
{
    const struct value *v = req_in(r, SF_VISIBILITY), *j = req_in(r, SF_JOIN);
    int rc = 0;

    if (v->present && !field_error(r, "visibility").len) {
        if (str_eq_c(v->text, "public"))
            *is_public = true;
        else if (str_eq_c(v->text, "private"))
            *is_public = false;
        else
            rc = req_fail(r, E_INVAL, "visibility", "must be public or private");
    }
    if (j->present && !field_error(r, "join").len) {
        *join = join_parse(j->text);
        if (*join == JOIN__MAX) {
            *join = JOIN_OPEN;
            rc = req_fail(r, E_INVAL, "join", "must be one of the three choices");
        }
    }
    return rc;
}

static int new_save(struct req *r, struct resp *w)
{
    struct view_space_form vm = {0};
    const struct value *p = req_in(r, SF_PARENT);
    struct new_space ns = {0};
    struct space parent;
    const char *msg;
    int64_t id = 0;
    int rc, bad;

    /* Access first: a community the caller may not see answers 404 whatever else is wrong. */
    if (p->present && p->text.len) {
        rc = spaces_open(r, p->text, ACT_CREATE_GROUP, &parent);
        if (rc)
            return refused(r, w, &parent, ACT_CREATE_GROUP, rc);
        ns.parent_id = parent.id;
        vm.is_group = true;
        vm.parent = parent.slug;
        vm.community = parent.name;
        vm.cancel_url = space_link(r, parent.slug, "");
    } else {
        bool may;

        rc = spaces_may_create_community(r, &may);
        if (rc)
            return rc;
        if (!may)
            return not_a_creator(r);
        vm.cancel_url = URL_LIT("/");
    }
    bad = r->invalid;
    ns.slug = str_trim(req_in(r, SF_SLUG)->text);
    ns.name = str_trim(req_in(r, SF_NAME)->text);
    ns.purpose = str_trim(req_in(r, SF_PURPOSE)->text);
    ns.charter = req_in(r, SF_CHARTER)->text;
    ns.is_public = true;
    /* A checkbox left unticked sends nothing. */
    ns.members_create_groups = ns.parent_id ? true : req_in(r, SF_MEMBERS_CREATE_GROUPS)->flag;
    if (req_in(r, SF_SLUG)->present && !field_error(r, "slug").len &&
        (msg = spaces_slug_rule(ns.slug)))
        bad = req_fail(r, E_INVAL, "slug", msg);
    if (read_choices(r, &ns.is_public, &ns.join))
        bad = E_INVAL;
    if (!field_error(r, "charter").len && charter_html(r, ns.charter, &ns.charter_html))
        bad = E_INVAL;
    if (!bad) {
        rc = space_create(r, &ns, &id);
        if (rc == E_CONFLICT)
            bad = req_fail(r, E_CONFLICT, "slug", "is taken; choose another");
        else if (rc)
            return rc;
    }
    if (!bad) {
        see_other(w, space_link(r, ns.slug, "?notice=created"));
        return 0;
    }
    vm.action = URL_LIT("/spaces/new");
    vm.configure = true;
    vm.slug = req_in(r, SF_SLUG)->text;
    vm.name = req_in(r, SF_NAME)->text;
    vm.purpose = req_in(r, SF_PURPOSE)->text;
    vm.charter = ns.charter;
    vm.is_public = ns.is_public;
    vm.join_open = ns.join == JOIN_OPEN;
    vm.join_request = ns.join == JOIN_REQUEST;
    vm.join_invite = ns.join == JOIN_INVITE;
    vm.members_create_groups = ns.members_create_groups;
    return form_page(r, w, &vm, str_c(vm.is_group ? "Create a group" : "Create a community"),
                     bad == E_CONFLICT ? 409 : 400);
}

/* The edit form's fixed parts, for the space s. */
static int edit_view(struct req *r, const struct space *s, struct view_space_form *vm)
{
    struct space parent;
    struct chrome c;
    bool has_parent;
    int rc = parent_of(r, s, &parent, &has_parent);

    if (!rc)
        rc = space_chrome(r, s, has_parent ? &parent : NULL, TAB_EDIT, HTML_EMPTY, &c);
    if (rc)
        return rc;
    vm->head = c.head;
    vm->tabs = c.tabs;
    vm->editing = true;
    vm->is_group = s->parent_id != 0;
    vm->action = space_link(r, s->slug, "/edit");
    vm->cancel_url = space_link(r, s->slug, "");
    vm->slug = s->slug;
    vm->configure = spaces_can(r, s, ACT_CONFIGURE);
    return 0;
}

static int edit_form(struct req *r, struct resp *w)
{
    struct view_space_form vm = {0};
    struct space s;
    int rc;

    rc = spaces_open(r, req_param(r, "slug"), ACT_EDIT, &s);
    if (rc)
        return refused(r, w, &s, ACT_EDIT, rc);
    rc = edit_view(r, &s, &vm);
    if (rc)
        return rc;
    vm.name = s.name;
    vm.purpose = s.purpose;
    vm.charter = s.charter;
    vm.is_public = s.is_public;
    vm.join_open = s.join == JOIN_OPEN;
    vm.join_request = s.join == JOIN_REQUEST;
    vm.join_invite = s.join == JOIN_INVITE;
    vm.members_create_groups = s.members_create_groups;
    return form_page(r, w, &vm, section_title(r, &s, TAB_EDIT), 200);
}

static int edit_save(struct req *r, struct resp *w)
{
    struct view_space_form vm = {0};
    struct space s;
    bool configure;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_EDIT, &s), bad;

    if (rc)
        return refused(r, w, &s, ACT_EDIT, rc);
    configure = req_in(r, SF_VISIBILITY)->present || req_in(r, SF_JOIN)->present ||
                req_in(r, SF_MEMBERS_CREATE_GROUPS)->present;
    if (configure && !spaces_can(r, &s, ACT_CONFIGURE))
        return refused(r, w, &s, ACT_CONFIGURE, E_PERM);
    bad = r->invalid;
    if (req_in(r, SF_SLUG)->present && !str_eq(req_in(r, SF_SLUG)->text, s.slug))
        bad = req_fail(r, E_INVAL, "slug", "cannot be changed; links to the space use it");
    if (req_in(r, SF_PARENT)->present)
        bad = req_fail(r, E_INVAL, NULL, "a group stays in its community");
    s.name = str_trim(req_in(r, SF_NAME)->text);
    s.purpose = str_trim(req_in(r, SF_PURPOSE)->text);
    if (read_choices(r, &s.is_public, &s.join))
        bad = E_INVAL;
    /* Owners' form: an unticked box sends nothing, and means no. */
    if (configure && !s.parent_id)
        s.members_create_groups = req_in(r, SF_MEMBERS_CREATE_GROUPS)->flag;
    if (req_in(r, SF_CHARTER)->present && !field_error(r, "charter").len) {
        s.charter = req_in(r, SF_CHARTER)->text;
        if (charter_html(r, s.charter, &s.charter_html))
            bad = E_INVAL;
    }
    if (!bad) {
        rc = space_save(r, &s);
        if (rc)
            return rc;
        see_other(w, space_link(r, s.slug, "?notice=saved"));
        return 0;
    }
    rc = edit_view(r, &s, &vm);
    if (rc)
        return rc;
    vm.name = req_in(r, SF_NAME)->text;
    vm.purpose = req_in(r, SF_PURPOSE)->text;
    vm.charter = req_in(r, SF_CHARTER)->text;
    vm.is_public = s.is_public;
    vm.join_open = s.join == JOIN_OPEN;
    vm.join_request = s.join == JOIN_REQUEST;
    vm.join_invite = s.join == JOIN_INVITE;
    vm.members_create_groups = s.members_create_groups;
    return form_page(r, w, &vm, section_title(r, &s, TAB_EDIT), 400);
}

/* Joining and leaving --------------------------------------------------------- */

enum { JF_MESSAGE, JF__MAX };

static const struct field join_fields[JF__MAX] = {
    [JF_MESSAGE] = {"message", FIELD_TEXT, false, 500, 0, 0},
};

static int join_page(struct req *r, struct resp *w)
{
    struct space s;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_READ, &s);

    if (rc)
        return refused(r, w, &s, ACT_READ, rc);
    /* In already, or waiting: a second press changes nothing. */
    if (s.role != ROLE_NONE || s.pending) {
        see_other(w, space_link(r, s.slug, ""));
        return 0;
    }
    if (!spaces_can(r, &s, ACT_JOIN))
        return forbidden(r, w, &s, ACT_JOIN);
    if (r->invalid)
        return r->invalid;
    if (s.join == JOIN_REQUEST) {
        rc = request_add(r, s.id, r->actor->id, str_trim(req_in(r, JF_MESSAGE)->text));
        if (!rc)
            see_other(w, space_link(r, s.slug, "?notice=requested"));
    } else {
        rc = member_add(r, s.id, r->actor->id, ROLE_MEMBER, 0, "join");
        if (!rc)
            see_other(w, space_link(r, s.slug, "?notice=joined"));
    }
    return rc;
}

static int leave_page(struct req *r, struct resp *w)
{
    struct space s;
    struct str slug = req_param(r, "slug");
    int rc = spaces_open(r, slug, ACT_LEAVE, &s);

    if (rc == E_PERM) {
        /* Not in it: nothing to leave. */
        see_other(w, space_link(r, s.slug, ""));
        return 0;
    }
    if (!rc)
        rc = member_remove(r, &s, r->actor->id, "leave");
    if (rc)
        return rc;
    /* A private space is gone from view once left. */
    rc = spaces_open(r, slug, ACT_READ, &s);
    if (rc == E_NOTFOUND) {
        see_other(w, URL_LIT("/"));
        return 0;
    }
    if (rc)
        return rc;
    see_other(w, space_link(r, slug, "?notice=left"));
    return 0;
}

/* Members ----------------------------------------------------------------------- */

enum { MQ_Q, MQ_KIND, MQ__MAX };

static const struct field members_fields[MQ__MAX] = {
    [MQ_Q] = {"q", FIELD_TEXT, false, 100, 0, 0},
    [MQ_KIND] = {"kind", FIELD_TEXT, false, 10, 0, 0},
};

/* The labels of m's interests of kind k, in the arena. */
static void interests_of(struct req *r, const struct member *m, enum interest_kind k,
                         const struct str **out, size_t *n)
{
    const char *name = interest_kind_name(k);
    struct str *labels = arena_calloc(&r->arena, m->ninterests + 1, sizeof(*labels));

    *n = 0;
    for (size_t i = 0; i < m->ninterests; i++)
        if (str_eq_c(m->interests[i].kind, name))
            labels[(*n)++] = m->interests[i].label;
    *out = labels;
}

static int members_page(struct req *r, struct resp *w)
{
    struct view_space_members vm = {0};
    struct view_space_member *rows;
    struct space s, parent;
    struct member *m;
    struct chrome c;
    struct buf body;
    struct str kind;
    bool has_parent;
    size_t n;
    int rc, k;

    rc = spaces_open(r, req_param(r, "slug"), ACT_LIST_MEMBERS, &s);
    if (rc)
        return refused(r, w, &s, ACT_LIST_MEMBERS, rc);
    vm.q = str_trim(req_in(r, MQ_Q)->text);
    kind = str_trim(req_in(r, MQ_KIND)->text);
    k = kind.len ? interest_kind_parse(kind) : -1;
    if (kind.len && k < 0)
        return req_fail(r, E_INVAL, "kind", "must be help, learn or interest");
    vm.kind_help = k == INTEREST_HELP;
    vm.kind_learn = k == INTEREST_LEARN;
    vm.kind_interest = k == INTEREST_INTEREST;
    rc = members_of(r, s.id, vm.q, kind, &m, &n);
    if (!rc)
        rc = parent_of(r, &s, &parent, &has_parent);
    if (!rc)
        rc = space_chrome(r, &s, has_parent ? &parent : NULL, TAB_MEMBERS, HTML_EMPTY, &c);
    if (rc)
        return rc;
    vm.head = c.head;
    vm.tabs = c.tabs;
    vm.csrf = csrf_token(r);
    vm.search_action = space_link(r, s.slug, "/members");
    vm.clear_url = vm.search_action;
    vm.manage = spaces_can(r, &s, ACT_MANAGE_MEMBERS);
    vm.grant_owner = spaces_can(r, &s, ACT_GRANT_OWNER);
    vm.summary = vm.q.len
                     ? (n ? count_of(r, (int64_t)n, "match", "matches") : STR_LIT("No one matches"))
                     : count_of(r, (int64_t)n, "member", "members");
    rows = arena_calloc(&r->arena, n ? n : 1, sizeof(*rows));
    for (size_t i = 0; i < n; i++) {
        struct view_space_member *row = &rows[i];

        row->name = m[i].name;
        row->handle = m[i].handle;
        row->initial = initial_of(r, m[i].name);
        row->href = person_link(r, m[i].handle);
        row->role = str_c(role_name(m[i].role));
        if (m[i].guest_until)
            row->guest_until = date_of(r, m[i].guest_until);
        /* One's own role is for another steward to change: it guards against a slip. */
        row->editable = vm.manage && (m[i].role != ROLE_OWNER || vm.grant_owner) &&
                        !str_eq(m[i].handle, r->actor->handle);
        row->is_guest = m[i].role == ROLE_GUEST;
        row->is_member = m[i].role == ROLE_MEMBER;
        row->is_facilitator = m[i].role == ROLE_FACILITATOR;
        row->is_owner = m[i].role == ROLE_OWNER;
        row->role_action = space_person_link(r, s.slug, "/members/", m[i].handle, "");
        row->remove_action = space_person_link(r, s.slug, "/members/", m[i].handle, "/remove");
        interests_of(r, &m[i], INTEREST_HELP, &row->help, &row->nhelp);
        interests_of(r, &m[i], INTEREST_LEARN, &row->learn, &row->nlearn);
    }
    vm.members = rows;
    vm.nmembers = n;
    resp_body_init(r, &body);
    view_space_members(&body, &vm);
    return resp_page(r, w, section_title(r, &s, TAB_MEMBERS), STR_NULL, &body);
}

/* The member {handle} of s: 0 with *id and *role (ROLE_NONE when not a member); E_NOTFOUND. */
static int target_of(struct req *r, const struct space *s, int64_t *id, enum role *role)
{
    int rc = user_id_of(r, req_param(r, "handle"), id);

    *role = ROLE_NONE;
    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "there is nobody with that handle");
    if (!rc)
        rc = role_of(r, s->id, *id, role);
    return rc;
}

enum { RF_ROLE, RF__MAX };

static const struct field role_fields[RF__MAX] = {
    [RF_ROLE] = {"role", FIELD_TEXT, true, 20, 0, 0},
};

static int role_save(struct req *r, struct resp *w)
{
    struct space s;
    enum role want, current;
    int64_t id = 0;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_MANAGE_MEMBERS, &s);

    if (rc)
        return refused(r, w, &s, ACT_MANAGE_MEMBERS, rc);
    if (r->invalid)
        return r->invalid;
    want = role_parse(req_in(r, RF_ROLE)->text);
    if (want == ROLE__MAX || want == ROLE_NONE)
        return req_fail(r, E_INVAL, "role", "must be member, facilitator or owner");
    rc = target_of(r, &s, &id, &current);
    if (rc)
        return rc;
    if (current == ROLE_NONE)
        return req_fail(r, E_NOTFOUND, NULL, "that person is not a member here");
    if (want == current) {
        see_other(w, space_link(r, s.slug, "/members"));
        return 0;
    }
    if (want == ROLE_GUEST)
        return req_fail(r, E_INVAL, "role", "guests join through an invite with an end date");
    if ((want == ROLE_OWNER || current == ROLE_OWNER) && !spaces_can(r, &s, ACT_GRANT_OWNER))
        return forbidden(r, w, &s, ACT_GRANT_OWNER);
    rc = member_set_role(r, &s, id, want);
    if (rc == E_CONFLICT)
        return req_fail(r, E_CONFLICT, NULL,
                        "a space keeps at least one owner: make someone else an owner first");
    if (rc)
        return rc;
    see_other(w, space_link(r, s.slug, "/members?notice=role"));
    return 0;
}

static int remove_page(struct req *r, struct resp *w)
{
    struct space s;
    enum role current;
    int64_t id = 0;
    int rc;

    rc = spaces_open(r, req_param(r, "slug"), ACT_MANAGE_MEMBERS, &s);
    if (rc)
        return refused(r, w, &s, ACT_MANAGE_MEMBERS, rc);
    rc = target_of(r, &s, &id, &current);
    if (rc)
        return rc;
    if (current == ROLE_NONE) {
        see_other(w, space_link(r, s.slug, "/members?notice=gone"));
        return 0;
    }
    if (current == ROLE_OWNER && !spaces_can(r, &s, ACT_GRANT_OWNER))
        return forbidden(r, w, &s, ACT_GRANT_OWNER);
    rc = member_remove(r, &s, id, "remove");
    if (rc == E_CONFLICT)
        return req_fail(r, E_CONFLICT, NULL,
                        "a space keeps at least one owner: make someone else an owner first");
    if (rc)
        return rc;
    if (id == r->actor->id) {
        see_other(w, URL_LIT("/")); /* removed oneself: the space may be out of sight now */
        return 0;
    }
    see_other(w, space_link(r, s.slug, "/members?notice=removed"));
    return 0;
}

/* Requests ---------------------------------------------------------------------- */

static int requests_page(struct req *r, struct resp *w)
{
    struct view_space_requests vm = {0};
    struct view_space_request *rows;
    struct join_request *q;
    struct space s, parent;
    struct chrome c;
    struct buf body;
    bool has_parent;
    size_t n;
    int rc;

    rc = spaces_open(r, req_param(r, "slug"), ACT_MANAGE_MEMBERS, &s);
    if (rc)
        return refused(r, w, &s, ACT_MANAGE_MEMBERS, rc);
    rc = requests_of(r, s.id, &q, &n);
    if (!rc)
        rc = parent_of(r, &s, &parent, &has_parent);
    if (!rc)
        rc = space_chrome(r, &s, has_parent ? &parent : NULL, TAB_REQUESTS, HTML_EMPTY, &c);
    if (rc)
        return rc;
    vm.head = c.head;
    vm.tabs = c.tabs;
    vm.csrf = csrf_token(r);
    vm.by_request = s.join == JOIN_REQUEST;
    rows = arena_calloc(&r->arena, n ? n : 1, sizeof(*rows));
    for (size_t i = 0; i < n; i++) {
        rows[i].name = q[i].name;
        rows[i].handle = q[i].handle;
        rows[i].message = q[i].message;
        rows[i].when = date_of(r, q[i].created_at);
        rows[i].href = person_link(r, q[i].handle);
        rows[i].approve = space_person_link(r, s.slug, "/requests/", q[i].handle, "/approve");
        rows[i].decline = space_person_link(r, s.slug, "/requests/", q[i].handle, "/decline");
    }
    vm.requests = rows;
    vm.nrequests = n;
    resp_body_init(r, &body);
    view_space_requests(&body, &vm);
    return resp_page(r, w, section_title(r, &s, TAB_REQUESTS), STR_NULL, &body);
}

static int decide_page(struct req *r, struct resp *w, bool approve)
{
    struct space s;
    int64_t id = 0;
    int rc;

    rc = spaces_open(r, req_param(r, "slug"), ACT_MANAGE_MEMBERS, &s);
    if (rc)
        return refused(r, w, &s, ACT_MANAGE_MEMBERS, rc);
    rc = user_id_of(r, req_param(r, "handle"), &id);
    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "there is nobody with that handle");
    if (!rc)
        rc = request_decide(r, s.id, id, approve);
    if (rc == E_NOTFOUND) {
        /* Another steward answered first, or the button was pressed twice. */
        see_other(w, space_link(r, s.slug, "/requests?notice=handled"));
        return 0;
    }
    if (rc)
        return rc;
    see_other(w, space_link(r, s.slug,
                            approve ? "/requests?notice=approved" : "/requests?notice=declined"));
    return 0;
}

static int approve_page(struct req *r, struct resp *w)
{
    return decide_page(r, w, true);
}

static int decline_page(struct req *r, struct resp *w)
{
    return decide_page(r, w, false);
}

/* Invites ----------------------------------------------------------------------- */

enum { IF_DAYS, IF_USES, IF_ROLE, IF_GUEST_DAYS, IF__MAX };

static const struct field invite_fields[IF__MAX] = {
    [IF_DAYS] = {"expires_in_days", FIELD_INT, false, 0, 1, 365},
    [IF_USES] = {"max_uses", FIELD_INT, false, 0, 1, 1000},
    [IF_ROLE] = {"role", FIELD_TEXT, false, 20, 0, 0},
    [IF_GUEST_DAYS] = {"guest_days", FIELD_INT, false, 0, 1, 365},
};

/* The invite page around vm's form (and link, once made). */
static int invite_view(struct req *r, struct resp *w, const struct space *s,
                       struct view_space_invite *vm, int status)
{
    struct space parent;
    struct chrome c;
    struct buf body;
    bool has_parent;
    int rc = parent_of(r, s, &parent, &has_parent);

    if (!rc)
        rc = space_chrome(r, s, has_parent ? &parent : NULL, TAB_INVITE, HTML_EMPTY, &c);
    if (rc)
        return rc;
    vm->head = c.head;
    vm->tabs = c.tabs;
    vm->csrf = csrf_token(r);
    vm->action = space_link(r, s->slug, "/invite");
    resp_body_init(r, &body);
    view_space_invite(&body, vm);
    return page(r, w, section_title(r, s, TAB_INVITE), STR_NULL, &body, status);
}

/* The form's usual values. */
static void invite_defaults(struct req *r, struct view_space_invite *vm)
{
    vm->days = num_text(r, INVITE_DAYS);
    vm->uses = num_text(r, INVITE_USES);
    vm->guest_days = num_text(r, GUEST_DAYS);
}

static int invite_form(struct req *r, struct resp *w)
{
    struct view_space_invite vm = {0};
    struct space s;
    int rc;

    rc = spaces_open(r, req_param(r, "slug"), ACT_MANAGE_MEMBERS, &s);
    if (rc)
        return refused(r, w, &s, ACT_MANAGE_MEMBERS, rc);
    invite_defaults(r, &vm);
    return invite_view(r, w, &s, &vm, 200);
}

static int invite_make(struct req *r, struct resp *w)
{
    struct view_space_invite vm = {0};
    const struct value *role_in = req_in(r, IF_ROLE);
    struct space s;
    unsigned char raw[32];
    char token[TOKEN_TEXT_LEN + 1], hash[65];
    int64_t now = clock_unix(), days, uses, guest_until = 0;
    enum role role = ROLE_MEMBER;
    struct buf link;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_MANAGE_MEMBERS, &s);
    bool bad;

    if (rc)
        return refused(r, w, &s, ACT_MANAGE_MEMBERS, rc);
    if (role_in->present && role_in->text.len) {
        role = role_parse(role_in->text);
        if (role != ROLE_MEMBER && role != ROLE_GUEST) {
            role = ROLE_MEMBER;
            req_fail(r, E_INVAL, "role", "must be members or guests");
        }
    }
    /* The guests' days matter only for guests. */
    bad = field_error(r, "expires_in_days").len || field_error(r, "max_uses").len ||
          field_error(r, "role").len || (role == ROLE_GUEST && field_error(r, "guest_days").len);
    if (bad) {
        if (role != ROLE_GUEST && field_error(r, "guest_days").len) {
            size_t k = 0;

            for (size_t i = 0; i < r->nerrs; i++)
                if (!r->errs[i].field || strcmp(r->errs[i].field, "guest_days") != 0)
                    r->errs[k++] = r->errs[i];
            r->nerrs = k;
        }
        vm.days = req_in(r, IF_DAYS)->text;
        vm.uses = req_in(r, IF_USES)->text;
        vm.guest_days = req_in(r, IF_GUEST_DAYS)->text;
        vm.as_guest = role == ROLE_GUEST;
        vm.days_error = field_error(r, "expires_in_days");
        vm.uses_error = field_error(r, "max_uses");
        vm.role_error = field_error(r, "role");
        vm.guest_days_error = vm.as_guest ? field_error(r, "guest_days") : STR_NULL;
        error_summary(r, &vm.errors, &vm.nerrors);
        return invite_view(r, w, &s, &vm, 400);
    }
    days = req_in(r, IF_DAYS)->present ? req_in(r, IF_DAYS)->num : INVITE_DAYS;
    uses = req_in(r, IF_USES)->present ? req_in(r, IF_USES)->num : INVITE_USES;
    if (role == ROLE_GUEST)
        guest_until =
            now +
            (req_in(r, IF_GUEST_DAYS)->present ? req_in(r, IF_GUEST_DAYS)->num : GUEST_DAYS) * DAY;
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(token, sizeof(token), raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    session_hash(str_c(token), hash);
    rc = invite_add(r, s.id, str_c(hash), role, guest_until, uses, now + days * DAY);
    if (rc)
        return rc;
    buf_init(&link, &r->arena, 1024);
    buf_puts(&link, r->app->cfg->public_url);
    buf_printf(&link, INVITES_PATH "%s", token);
    vm.created = true;
    vm.link = buf_str(&link);
    vm.link_is_path = !r->app->cfg->public_url[0];
    vm.made_role = str_c(role == ROLE_GUEST ? "a guest" : "a member");
    vm.made_expires = date_of(r, now + days * DAY);
    vm.made_uses = count_of(r, uses, "time", "times");
    if (guest_until)
        vm.made_guest_until = date_of(r, guest_until);
    invite_defaults(r, &vm);
    return invite_view(r, w, &s, &vm, 200);
}

/* The invite landing page: the token is the permission to see what it opens. */
static int invite_landing_page(struct req *r, struct resp *w, struct str token, int status,
                               const struct invite_preview *p)
{
    struct view_invite vm = {0};
    struct buf body;
    int rc;

    if (p) {
        struct space s;

        vm.found = true;
        vm.name = p->name;
        vm.purpose = p->purpose;
        vm.community = p->parent_name;
        vm.is_group = p->parent_name.len > 0;
        vm.as_guest = p->role == ROLE_GUEST;
        if (p->guest_until)
            vm.guest_until = date_of(r, p->guest_until);
        vm.expires = date_of(r, p->expires_at);
        vm.signed_in = r->actor != NULL;
        vm.space_url = space_link(r, p->slug, "");
        vm.signup_url = link3(r, "/signup?invite=", token, "");
        vm.signin_url = link3(r, "/signin?next=" INVITES_PATH, token, "");
        vm.accept_action = link3(r, INVITES_PATH, token, "");
        vm.csrf = csrf_token(r);
        if (r->actor) {
            /* In already when accepting would change nothing (see invite_accept()). */
            rc = spaces_open(r, p->slug, ACT_READ, &s);
            if (rc && rc != E_NOTFOUND)
                return rc;
            vm.already =
                !rc && (s.role >= ROLE_MEMBER || (s.role == ROLE_GUEST && p->role == ROLE_GUEST));
        }
    }
    resp_body_init(r, &body);
    view_invite(&body, &vm);
    return page(
        r, w, p ? text3(r, "Invitation to ", p->name, "") : str_c("This invite link does not work"),
        STR_NULL, &body, status);
}

static int invite_landing(struct req *r, struct resp *w)
{
    struct str token = req_param(r, "token");
    struct invite_preview p;
    char hash[65];
    int rc;

    session_hash(token, hash);
    rc = invite_preview(r, str_c(hash), &p);
    if (rc == E_NOTFOUND)
        return invite_landing_page(r, w, token, 404, NULL);
    if (rc)
        return rc;
    return invite_landing_page(r, w, token, 200, &p);
}

static int invite_accept_page(struct req *r, struct resp *w)
{
    struct str token = req_param(r, "token"), slug = STR_NULL;
    char hash[65];
    int rc;

    session_hash(token, hash);
    rc = invite_accept(r, str_c(hash), r->actor->id, &slug);
    if (rc == E_NOTFOUND)
        return invite_landing_page(r, w, token, 404, NULL);
    if (rc)
        return rc;
    see_other(w, space_link(r, slug, "?notice=welcome"));
    return 0;
}

/* A person's spaces, for their profile ------------------------------------------ */

int space_pages_of_person(struct req *r, int64_t user_id, struct html *out)
{
    struct view_person_spaces vm = {0};
    struct view_person_space *rows;
    struct membership *mine;
    struct space *all;
    size_t nmine, nall;
    struct buf b;
    int rc;

    *out = HTML_EMPTY;
    rc = memberships_of(r, user_id, &mine, &nmine);
    if (!rc && nmine)
        rc = spaces_visible(r, &all, &nall);
    if (rc || !nmine)
        return rc;
    rows = arena_calloc(&r->arena, nmine, sizeof(*rows));
    for (size_t i = 0; i < nall; i++) {
        for (size_t k = 0; k < nmine && vm.nspaces < nmine; k++) {
            struct view_person_space *row = &rows[vm.nspaces];

            if (mine[k].space_id != all[i].id)
                continue;
            row->name = all[i].name;
            row->href = space_link(r, all[i].slug, "");
            row->role = str_c(role_name(mine[k].role));
            row->is_group = all[i].parent_id != 0;
            for (size_t j = 0; row->is_group && j < nall; j++)
                if (all[j].id == all[i].parent_id)
                    row->community = all[j].name;
            if (row->is_group && !row->community.len)
                row->community = str_c("a private community");
            vm.nspaces++;
        }
    }
    if (!vm.nspaces)
        return 0;
    vm.spaces = rows;
    buf_init(&b, &r->arena, LIMIT_PAGE);
    if (view_person_spaces(&b, &vm))
        return E_TOOBIG;
    *out = html_from_buf(&b);
    return 0;
}

/* Routes ------------------------------------------------------------------------ */

#define SPACE_PAGE "/spaces/{slug}"

static const struct route routes[] = {
    /* Before /spaces/{slug}: "new" is reserved, never a slug. */
    {HTTP_GET, "/spaces/new", new_form, new_fields, NF__MAX, ROUTE_AUTH},
    {HTTP_POST, "/spaces/new", new_save, create_fields, SF__MAX, ROUTE_AUTH | ROUTE_OWN_ERRORS},
    {HTTP_GET, SPACE_PAGE, space_page, NULL, 0, 0},
    {HTTP_GET, SPACE_PAGE "/edit", edit_form, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, SPACE_PAGE "/edit", edit_save, edit_fields, SF__MAX, ROUTE_AUTH | ROUTE_OWN_ERRORS},
    {HTTP_POST, SPACE_PAGE "/join", join_page, join_fields, JF__MAX, ROUTE_AUTH | ROUTE_OWN_ERRORS},
    {HTTP_POST, SPACE_PAGE "/leave", leave_page, NULL, 0, ROUTE_AUTH},
    {HTTP_GET, SPACE_PAGE "/members", members_page, members_fields, MQ__MAX, ROUTE_AUTH},
    {HTTP_POST, SPACE_PAGE "/members/{handle}", role_save, role_fields, RF__MAX,
     ROUTE_AUTH | ROUTE_OWN_ERRORS},
    {HTTP_POST, SPACE_PAGE "/members/{handle}/remove", remove_page, NULL, 0, ROUTE_AUTH},
    {HTTP_GET, SPACE_PAGE "/requests", requests_page, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, SPACE_PAGE "/requests/{handle}/approve", approve_page, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, SPACE_PAGE "/requests/{handle}/decline", decline_page, NULL, 0, ROUTE_AUTH},
    {HTTP_GET, SPACE_PAGE "/invite", invite_form, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, SPACE_PAGE "/invite", invite_make, invite_fields, IF__MAX,
     ROUTE_AUTH | ROUTE_OWN_ERRORS},
    {HTTP_GET, INVITES_PATH "{token}", invite_landing, NULL, 0, 0},
    {HTTP_POST, INVITES_PATH "{token}", invite_accept_page, NULL, 0, ROUTE_AUTH},
};

const struct feature feature_space_pages = {
    .name = "space-pages",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};
