#include "feature/spaces/spaces.h"

#include <sodium.h>
#include <string.h>

#include "app.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "feature/profiles/rules.h"
#include "http/session.h"
#include "view/markdown.h"

#define DAY ((int64_t)24 * 3600)

/* Policy ------------------------------------------------------------------ */

static void policy_of(struct req *r, const struct space *s, struct policy_actor *a,
                      struct policy_space *ps)
{
    *a = (struct policy_actor){r->actor != NULL, r->actor && r->actor->is_admin, s->role,
                               s->parent_role, s->pending};
    *ps = (struct policy_space){s->parent_id != 0, s->is_public, s->join, s->parent_public,
                                s->members_create_groups};
}

/* The policy's answer on a space just loaded (rc its loader's result). */
static int open_loaded(struct req *r, int rc, enum action act, struct space *out)
{
    struct policy_actor a;
    struct policy_space ps;

    if (rc)
        return rc;
    policy_of(r, out, &a, &ps);
    if (!policy_can(&a, ACT_READ, &ps))
        return E_NOTFOUND;
    if (policy_can(&a, act, &ps))
        return 0;
    if (!r->actor)
        return req_fail_status(r, 401, "sign in first");
    return req_fail(r, E_PERM, NULL, "you may not do that here");
}

int spaces_open(struct req *r, struct str slug, enum action act, struct space *out)
{
    memset(out, 0, sizeof(*out));
    return open_loaded(r, space_load(r, slug, out), act, out);
}

int spaces_open_id(struct req *r, int64_t id, enum action act, struct space *out)
{
    memset(out, 0, sizeof(*out));
    return open_loaded(r, space_load_id(r, id, out), act, out);
}

int spaces_may_create_community(struct req *r, bool *may)
{
    struct policy_actor a = {r->actor != NULL, r->actor && r->actor->is_admin, ROLE_NONE, ROLE_NONE,
                             false};
    bool admins_only;
    int rc = communities_admins_only(r, &admins_only);

    *may = !rc && policy_can_create_community(&a, admins_only);
    return rc;
}

int spaces_user_can(struct req *r, const struct space *s, int64_t user_id, enum action act,
                    bool *can)
{
    struct policy_actor a, unused;
    struct policy_space ps;
    int rc = standing_of(r, s, user_id, &a);

    policy_of(r, s, &unused, &ps);
    *can = !rc && policy_can(&a, ACT_READ, &ps) && policy_can(&a, act, &ps);
    return rc;
}

bool spaces_can(struct req *r, const struct space *s, enum action act)
{
    struct policy_actor a;
    struct policy_space ps;

    policy_of(r, s, &a, &ps);
    return policy_can(&a, act, &ps);
}

/* Rules ------------------------------------------------------------------- */

const char *spaces_slug_rule(struct str s)
{
    if (s.len < 2 || s.len > 40)
        return "must be 2 to 40 characters";
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return "may hold only lower-case letters a-z, digits and -";
    }
    if (s.ptr[0] == '-' || s.ptr[s.len - 1] == '-')
        return "must not start or end with -";
    if (str_eq_c(s, "new"))
        return "is reserved";
    return NULL;
}

static int render_charter(struct req *r, struct str src, struct str *html)
{
    struct html h;
    int rc = markdown_render(&r->arena, src, 20000, &h);

    if (rc == E_TOOBIG)
        return req_fail(r, E_INVAL, "charter", "is too long");
    if (rc)
        return req_fail(r, E_INVAL, "charter", "could not be rendered");
    *html = str_make(h.ptr, h.len);
    return 0;
}

/* JSON -------------------------------------------------------------------- */

static void space_json(struct req *r, struct json *j, const struct space *s, bool full)
{
    json_obj_open(j);
    json_key(j, "id");
    json_i64(j, s->id);
    json_key(j, "slug");
    json_str(j, s->slug);
    json_key(j, "name");
    json_str(j, s->name);
    json_key(j, "purpose");
    json_str(j, s->purpose);
    json_key(j, "kind");
    json_str_c(j, s->parent_id ? "group" : "community");
    json_key(j, "parent");
    if (s->parent_id)
        json_str(j, s->parent_slug);
    else
        json_null(j);
    json_key(j, "visibility");
    json_str_c(j, s->is_public ? "public" : "private");
    json_key(j, "join");
    json_str_c(j, join_name(s->join));
    json_key(j, "members_create_groups");
    json_bool(j, s->members_create_groups);
    json_key(j, "members");
    json_i64(j, s->members);
    json_key(j, "role");
    if (s->role != ROLE_NONE)
        json_str_c(j, role_name(s->role));
    else
        json_null(j);
    if (full) {
        json_key(j, "charter");
        json_str(j, s->charter);
        json_key(j, "charter_html");
        json_str(j, s->charter_html);
        json_key(j, "pending");
        json_bool(j, s->pending);
        json_key(j, "can");
        json_obj_open(j);
        for (int a = ACT_JOIN; a < ACT__MAX; a++) {
            static const char *const names[ACT__MAX] = {
                [ACT_JOIN] = "join",
                [ACT_LEAVE] = "leave",
                [ACT_EDIT] = "edit",
                [ACT_CONFIGURE] = "configure",
                [ACT_CREATE_GROUP] = "create_group",
                [ACT_LIST_MEMBERS] = "list_members",
                [ACT_MANAGE_MEMBERS] = "manage_members",
                [ACT_GRANT_OWNER] = "grant_owner",
                [ACT_POST] = "post",
                [ACT_MODERATE] = "moderate",
                [ACT_WATCH] = "watch",
            };

            json_key(j, names[a]);
            json_bool(j, spaces_can(r, s, (enum action)a));
        }
        json_obj_close(j);
    }
    json_key(j, "created_at");
    json_i64(j, s->created_at);
    json_obj_close(j);
}

static int answer_space(struct req *r, struct resp *w, const struct space *loaded, int status)
{
    struct space *all, counted = *loaded, *s = &counted;
    size_t n;
    struct json j;
    int rc = space_members(r, loaded, &counted.members);

    if (!rc)
        rc = spaces_visible(r, &all, &n);
    if (rc)
        return rc;
    resp_json(w);
    w->status = status;
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "space");
    space_json(r, &j, s, true);
    json_key(&j, "groups");
    json_arr_open(&j);
    for (size_t i = 0; i < n; i++)
        if (all[i].parent_id == s->id)
            space_json(r, &j, &all[i], false);
    json_arr_close(&j);
    json_obj_close(&j);
    return 0;
}

/* Spaces ------------------------------------------------------------------ */

enum {
    SP_SLUG,
    SP_NAME,
    SP_PURPOSE,
    SP_VISIBILITY,
    SP_JOIN,
    SP_PARENT,
    SP_CHARTER,
    SP_MEMBERS_CREATE_GROUPS,
    SP__MAX
};

static const struct field create_fields[SP__MAX] = {
    [SP_SLUG] = {"slug", FIELD_TEXT, true, 40, 0, 0},
    [SP_NAME] = {"name", FIELD_TEXT, true, 80, 0, 0},
    [SP_PURPOSE] = {"purpose", FIELD_TEXT, true, 200, 0, 0},
    [SP_VISIBILITY] = {"visibility", FIELD_TEXT, true, 10, 0, 0},
    [SP_JOIN] = {"join", FIELD_TEXT, true, 10, 0, 0},
    [SP_PARENT] = {"parent", FIELD_TEXT, false, 40, 0, 0},
    [SP_CHARTER] = {"charter", FIELD_TEXT, false, 20000, 0, 0},
    [SP_MEMBERS_CREATE_GROUPS] = {"members_create_groups", FIELD_BOOL, false, 0, 0, 0},
};

/* Same names, all optional, for PATCH. */
static const struct field edit_fields[SP__MAX] = {
    [SP_SLUG] = {"slug", FIELD_TEXT, false, 40, 0, 0},
    [SP_NAME] = {"name", FIELD_TEXT, false, 80, 0, 0},
    [SP_PURPOSE] = {"purpose", FIELD_TEXT, false, 200, 0, 0},
    [SP_VISIBILITY] = {"visibility", FIELD_TEXT, false, 10, 0, 0},
    [SP_JOIN] = {"join", FIELD_TEXT, false, 10, 0, 0},
    [SP_PARENT] = {"parent", FIELD_TEXT, false, 40, 0, 0},
    [SP_CHARTER] = {"charter", FIELD_TEXT, false, 20000, 0, 0},
    [SP_MEMBERS_CREATE_GROUPS] = {"members_create_groups", FIELD_BOOL, false, 0, 0, 0},
};

/* Visibility and join policy, when given; both named on error. */
static int read_choices(struct req *r, bool *is_public, enum join_policy *join)
{
    const struct value *v = req_in(r, SP_VISIBILITY), *j = req_in(r, SP_JOIN);
    int rc = 0;

    if (v->present) {
        if (str_eq_c(v->text, "public"))
            *is_public = true;
        else if (str_eq_c(v->text, "private"))
            *is_public = false;
        else
            rc = req_fail(r, E_INVAL, "visibility", "must be public or private");
    }
    if (j->present) {
        *join = join_parse(j->text);
        if (*join == JOIN__MAX)
            rc = req_fail(r, E_INVAL, "join", "must be open, request or invite");
    }
    return rc;
}

static int create_api(struct req *r, struct resp *w)
{
    struct new_space ns = {0};
    struct space parent = {0}, made = {0};
    const char *msg;
    int64_t id = 0;
    int rc = 0;

    /* Access first: a space the caller may not see answers 404 whatever else is wrong. */
    if (req_in(r, SP_PARENT)->present && req_in(r, SP_PARENT)->text.len) {
        rc = spaces_open(r, req_in(r, SP_PARENT)->text, ACT_CREATE_GROUP, &parent);
        if (rc == E_NOTFOUND)
            return req_fail(r, E_NOTFOUND, "parent", "there is no such community");
        if (rc)
            return rc;
        ns.parent_id = parent.id;
    } else {
        bool may;

        rc = spaces_may_create_community(r, &may);
        if (rc)
            return rc;
        if (!may)
            return req_fail(r, E_PERM, NULL, "only instance admins may create communities here");
    }
    ns.slug = req_in(r, SP_SLUG)->text;
    ns.name = str_trim(req_in(r, SP_NAME)->text);
    ns.purpose = str_trim(req_in(r, SP_PURPOSE)->text);
    ns.charter = req_in(r, SP_CHARTER)->text;
    ns.members_create_groups = req_in(r, SP_MEMBERS_CREATE_GROUPS)->present
                                   ? req_in(r, SP_MEMBERS_CREATE_GROUPS)->flag
                                   : true;
    if ((msg = spaces_slug_rule(ns.slug)))
        rc = req_fail(r, E_INVAL, "slug", msg);
    if (read_choices(r, &ns.is_public, &ns.join))
        rc = E_INVAL;
    if (!rc && ns.charter.len)
        rc = render_charter(r, ns.charter, &ns.charter_html);
    if (rc)
        return rc;
    rc = space_create(r, &ns, &id);
    if (rc == E_CONFLICT)
        return req_fail(r, E_CONFLICT, "slug", "is taken");
    if (!rc)
        rc = space_load(r, ns.slug, &made);
    if (rc)
        return rc;
    return answer_space(r, w, &made, 201);
}

static int list_api(struct req *r, struct resp *w)
{
    struct space *all;
    size_t n;
    struct json j;
    int rc = spaces_visible(r, &all, &n);

    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "spaces");
    json_arr_open(&j);
    for (size_t i = 0; i < n; i++)
        space_json(r, &j, &all[i], false);
    json_arr_close(&j);
    json_obj_close(&j);
    return 0;
}

static int show_api(struct req *r, struct resp *w)
{
    struct space s;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_READ, &s);

    if (rc)
        return rc;
    return answer_space(r, w, &s, 200);
}

static int edit_api(struct req *r, struct resp *w)
{
    struct space s;
    bool configure;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_EDIT, &s);

    if (rc)
        return rc;
    if (req_in(r, SP_SLUG)->present && !str_eq(req_in(r, SP_SLUG)->text, s.slug))
        return req_fail(r, E_INVAL, "slug", "cannot be changed; links to the space use it");
    if (req_in(r, SP_PARENT)->present)
        return req_fail(r, E_INVAL, "parent", "cannot be changed");
    configure = req_in(r, SP_VISIBILITY)->present || req_in(r, SP_JOIN)->present ||
                req_in(r, SP_MEMBERS_CREATE_GROUPS)->present;
    if (configure && !spaces_can(r, &s, ACT_CONFIGURE))
        return req_fail(r, E_PERM, NULL,
                        "only an owner may change visibility, joining or group creation");
    if (req_in(r, SP_NAME)->present) {
        s.name = str_trim(req_in(r, SP_NAME)->text);
        if (!s.name.len)
            rc = req_fail(r, E_INVAL, "name", "is required");
    }
    if (req_in(r, SP_PURPOSE)->present) {
        s.purpose = str_trim(req_in(r, SP_PURPOSE)->text);
        if (!s.purpose.len)
            rc = req_fail(r, E_INVAL, "purpose", "is required");
    }
    if (read_choices(r, &s.is_public, &s.join))
        rc = E_INVAL;
    if (req_in(r, SP_MEMBERS_CREATE_GROUPS)->present)
        s.members_create_groups = req_in(r, SP_MEMBERS_CREATE_GROUPS)->flag;
    if (!rc && req_in(r, SP_CHARTER)->present) {
        s.charter = req_in(r, SP_CHARTER)->text;
        rc = render_charter(r, s.charter, &s.charter_html);
    }
    if (!rc)
        rc = space_save(r, &s);
    if (!rc)
        rc = space_load(r, s.slug, &s);
    if (rc)
        return rc;
    return answer_space(r, w, &s, 200);
}

/* Membership -------------------------------------------------------------- */

static int join_api(struct req *r, struct resp *w)
{
    struct space s;
    struct json j;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_READ, &s);
    bool requested;

    if (rc)
        return rc;
    if (!r->actor)
        return req_fail_status(r, 401, "sign in first");
    if (s.role != ROLE_NONE)
        return req_fail(r, E_CONFLICT, NULL, "you are a member already");
    if (s.pending)
        return req_fail(r, E_CONFLICT, NULL, "your request is waiting for a facilitator");
    if (!spaces_can(r, &s, ACT_JOIN))
        return req_fail(r, E_PERM, NULL,
                        s.join == JOIN_INVITE ? "this space is joined by invitation"
                                              : "join the community first");
    requested = s.join == JOIN_REQUEST;
    rc = requested ? request_add(r, s.id, r->actor->id, STR_NULL)
                   : member_add(r, s.id, r->actor->id, ROLE_MEMBER, 0, "join");
    if (rc)
        return rc;
    resp_json(w);
    w->status = requested ? 202 : 200;
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "status");
    json_str_c(&j, requested ? "requested" : "joined");
    json_key(&j, "role");
    if (requested)
        json_null(&j);
    else
        json_str_c(&j, "member");
    json_obj_close(&j);
    return 0;
}

static int leave_api(struct req *r, struct resp *w)
{
    struct space s;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_LEAVE, &s);

    if (rc == E_PERM)
        return req_fail(r, E_CONFLICT, NULL, "you are not a member");
    if (rc)
        return rc;
    rc = member_remove(r, &s, r->actor->id, "leave");
    if (rc)
        return rc;
    w->status = 204;
    return 0;
}

enum { MQ_Q, MQ_KIND, MQ__MAX };

static const struct field members_fields[MQ__MAX] = {
    [MQ_Q] = {"q", FIELD_TEXT, false, 100, 0, 0},
    [MQ_KIND] = {"kind", FIELD_TEXT, false, 10, 0, 0},
};

static int members_api(struct req *r, struct resp *w)
{
    struct space s;
    struct member *m;
    size_t n;
    struct json j;
    struct str kind = req_in(r, MQ_KIND)->text;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_LIST_MEMBERS, &s);

    if (rc)
        return rc;
    if (kind.len && interest_kind_parse(kind) < 0)
        return req_fail(r, E_INVAL, "kind", "must be help, learn or interest");
    rc = members_of(r, s.id, str_trim(req_in(r, MQ_Q)->text), kind, &m, &n);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "members");
    json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        json_obj_open(&j);
        json_key(&j, "handle");
        json_str(&j, m[i].handle);
        json_key(&j, "name");
        json_str(&j, m[i].name);
        json_key(&j, "role");
        json_str_c(&j, role_name(m[i].role));
        if (m[i].guest_until) {
            json_key(&j, "guest_until");
            json_i64(&j, m[i].guest_until);
        }
        json_key(&j, "joined_at");
        json_i64(&j, m[i].joined_at);
        json_key(&j, "interests");
        json_obj_open(&j);
        for (int k = 0; k < INTEREST__MAX; k++) {
            const char *kname = interest_kind_name((enum interest_kind)k);

            json_key(&j, kname);
            json_arr_open(&j);
            for (size_t x = 0; x < m[i].ninterests; x++)
                if (str_eq_c(m[i].interests[x].kind, kname))
                    json_str(&j, m[i].interests[x].label);
            json_arr_close(&j);
        }
        json_obj_close(&j);
        json_obj_close(&j);
    }
    json_arr_close(&j);
    json_obj_close(&j);
    return 0;
}

enum { MR_ROLE, MR__MAX };

static const struct field role_fields[MR__MAX] = {
    [MR_ROLE] = {"role", FIELD_TEXT, true, 20, 0, 0},
};

/* The person named by {handle}, who must be a member of s. */
static int member_target(struct req *r, const struct space *s, int64_t *id, enum role *role)
{
    int rc;

    *id = 0;
    *role = ROLE_NONE;
    rc = user_id_of(r, req_param(r, "handle"), id);

    if (!rc)
        rc = role_of(r, s->id, *id, role);
    if (!rc && *role == ROLE_NONE)
        rc = E_NOTFOUND;
    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "that person is not a member here");
    return rc;
}

static int role_api(struct req *r, struct resp *w)
{
    struct space s;
    enum role want = role_parse(req_in(r, MR_ROLE)->text), current;
    int64_t id;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_MANAGE_MEMBERS, &s);

    if (rc)
        return rc;
    if (want == ROLE__MAX || want == ROLE_NONE)
        return req_fail(r, E_INVAL, "role", "must be owner, facilitator or member");
    if (want == ROLE_GUEST)
        return req_fail(r, E_INVAL, "role", "guests join through an invite with an end date");
    rc = member_target(r, &s, &id, &current);
    if (rc)
        return rc;
    if ((want == ROLE_OWNER || current == ROLE_OWNER) && !spaces_can(r, &s, ACT_GRANT_OWNER))
        return req_fail(r, E_PERM, NULL, "only an owner may make or unmake owners");
    rc = member_set_role(r, &s, id, want);
    if (rc == E_CONFLICT)
        return req_fail(r, E_CONFLICT, "role", "a space keeps at least one owner");
    if (rc)
        return rc;
    w->status = 204;
    return 0;
}

static int remove_api(struct req *r, struct resp *w)
{
    struct space s;
    enum role current;
    int64_t id;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_MANAGE_MEMBERS, &s);

    if (!rc)
        rc = member_target(r, &s, &id, &current);
    if (rc)
        return rc;
    if (current == ROLE_OWNER && !spaces_can(r, &s, ACT_GRANT_OWNER))
        return req_fail(r, E_PERM, NULL, "only an owner may remove an owner");
    rc = member_remove(r, &s, id, "remove");
    if (rc == E_CONFLICT)
        return req_fail(r, E_CONFLICT, NULL, "a space keeps at least one owner");
    if (rc)
        return rc;
    w->status = 204;
    return 0;
}

static int requests_api(struct req *r, struct resp *w)
{
    struct space s;
    struct join_request *q;
    size_t n;
    struct json j;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_MANAGE_MEMBERS, &s);

    if (!rc)
        rc = requests_of(r, s.id, &q, &n);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "requests");
    json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        json_obj_open(&j);
        json_key(&j, "handle");
        json_str(&j, q[i].handle);
        json_key(&j, "name");
        json_str(&j, q[i].name);
        json_key(&j, "message");
        json_str(&j, q[i].message);
        json_key(&j, "created_at");
        json_i64(&j, q[i].created_at);
        json_obj_close(&j);
    }
    json_arr_close(&j);
    json_obj_close(&j);
    return 0;
}

static int decide(struct req *r, struct resp *w, bool approve)
{
    struct space s;
    int64_t id;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_MANAGE_MEMBERS, &s);

    if (!rc)
        rc = user_id_of(r, req_param(r, "handle"), &id);
    if (!rc)
        rc = request_decide(r, s.id, id, approve);
    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "there is no such request");
    if (rc)
        return rc;
    w->status = 204;
    return 0;
}

static int approve_api(struct req *r, struct resp *w)
{
    return decide(r, w, true);
}

static int decline_api(struct req *r, struct resp *w)
{
    return decide(r, w, false);
}

/* Invites ----------------------------------------------------------------- */

enum { IN_DAYS, IN_USES, IN_ROLE, IN_GUEST_DAYS, IN__MAX };

static const struct field invite_fields[IN__MAX] = {
    [IN_DAYS] = {"expires_in_days", FIELD_INT, false, 0, 1, 365},
    [IN_USES] = {"max_uses", FIELD_INT, false, 0, 1, 1000},
    [IN_ROLE] = {"role", FIELD_TEXT, false, 20, 0, 0},
    [IN_GUEST_DAYS] = {"guest_days", FIELD_INT, false, 0, 1, 365},
};

static int invite_api(struct req *r, struct resp *w)
{
    struct space s;
    unsigned char raw[32];
    char text[TOKEN_TEXT_LEN + 1], hash[65];
    int64_t now = clock_unix(), days, uses, guest_until = 0;
    enum role role = ROLE_MEMBER;
    struct buf url;
    struct json j;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_MANAGE_MEMBERS, &s);

    if (rc)
        return rc;
    days = req_in(r, IN_DAYS)->present ? req_in(r, IN_DAYS)->num : 14;
    uses = req_in(r, IN_USES)->present ? req_in(r, IN_USES)->num : 25;
    if (req_in(r, IN_ROLE)->present) {
        role = role_parse(req_in(r, IN_ROLE)->text);
        if (role != ROLE_MEMBER && role != ROLE_GUEST)
            return req_fail(r, E_INVAL, "role", "must be member or guest");
    }
    if (role == ROLE_GUEST)
        guest_until =
            now + (req_in(r, IN_GUEST_DAYS)->present ? req_in(r, IN_GUEST_DAYS)->num : 30) * DAY;
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(text, sizeof(text), raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    session_hash(str_c(text), hash);
    rc = invite_add(r, s.id, str_c(hash), role, guest_until, uses, now + days * DAY);
    if (rc)
        return rc;
    buf_init(&url, &r->arena, 512);
    buf_puts(&url, r->app->cfg->public_url);
    buf_printf(&url, "/invites/%s", text);
    resp_json(w);
    w->status = 201;
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "url");
    json_str(&j, buf_str(&url));
    json_key(&j, "token");
    json_str_c(&j, text);
    json_key(&j, "role");
    json_str_c(&j, role_name(role));
    json_key(&j, "expires_at");
    json_i64(&j, now + days * DAY);
    json_key(&j, "max_uses");
    json_i64(&j, uses);
    json_obj_close(&j);
    return 0;
}

static int accept_api(struct req *r, struct resp *w)
{
    struct str token = req_param(r, "token"), slug = STR_NULL;
    struct space s;
    char hash[65];
    int rc;

    session_hash(token, hash);
    rc = invite_accept(r, str_c(hash), r->actor->id, &slug);
    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "this invite is unknown, expired or used up");
    if (!rc)
        rc = spaces_open(r, slug, ACT_READ, &s);
    if (rc)
        return rc;
    return answer_space(r, w, &s, 200);
}

#define SPACE "/api/v1/spaces/{slug}"

static const struct route routes[] = {
    {HTTP_POST, "/api/v1/spaces", create_api, create_fields, SP__MAX, ROUTE_AUTH},
    {HTTP_GET, "/api/v1/spaces", list_api, NULL, 0, 0},
    {HTTP_GET, SPACE, show_api, NULL, 0, 0},
    {HTTP_PATCH, SPACE, edit_api, edit_fields, SP__MAX, ROUTE_AUTH},
    {HTTP_POST, SPACE "/join", join_api, NULL, 0, 0},
    {HTTP_POST, SPACE "/leave", leave_api, NULL, 0, ROUTE_AUTH},
    {HTTP_GET, SPACE "/members", members_api, members_fields, MQ__MAX, 0},
    {HTTP_PATCH, SPACE "/members/{handle}", role_api, role_fields, MR__MAX, ROUTE_AUTH},
    {HTTP_DELETE, SPACE "/members/{handle}", remove_api, NULL, 0, ROUTE_AUTH},
    {HTTP_GET, SPACE "/requests", requests_api, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, SPACE "/requests/{handle}/approve", approve_api, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, SPACE "/requests/{handle}/decline", decline_api, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, SPACE "/invites", invite_api, invite_fields, IN__MAX, ROUTE_AUTH},
    {HTTP_POST, "/api/v1/invites/{token}/accept", accept_api, NULL, 0, ROUTE_AUTH},
};

const struct feature feature_spaces = {
    .name = "spaces",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};
