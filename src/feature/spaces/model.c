#include "feature/spaces/model.h"

#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "db/db.h"
#include "feature/activity/activity.h"
#include "feature/events/events.h"
#include "feature/instance/instance.h"
#include "feature/profiles/rules.h"
#include "http/http.h"

/* A role from a memberships row, treating an expired guest as none. */
static enum role role_from(struct db_rows *rows, int col, int64_t now, struct arena *a)
{
    enum role role;

    if (db_col_null(rows, col))
        return ROLE_NONE;
    role = role_parse(db_col_text(rows, col, a));
    if (role == ROLE__MAX)
        return ROLE_NONE;
    if (role == ROLE_GUEST && !db_col_null(rows, col + 1) && db_col_int(rows, col + 1) <= now)
        return ROLE_NONE;
    return role;
}

static int64_t actor_id(struct req *r)
{
    return r->actor ? r->actor->id : 0;
}

int role_of(struct req *r, int64_t space_id, int64_t user_id, enum role *role)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int rc;

    *role = ROLE_NONE;
    if (!db)
        return E_UNAVAIL;
    if (!space_id || !user_id)
        return 0;
    rc = db_query(db, STMT_SPACE_ROLE, (struct db_param[]){DB_INT(space_id), DB_INT(user_id)}, 2,
                  &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0)
        *role = role_from(&rows, 0, clock_unix(), &r->arena);
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

/* Load the space the statement st finds by key (its slug or its id). */
static int load(struct req *r, enum stmt st, struct db_param key, struct space *s)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int64_t now = clock_unix();
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, st, (struct db_param[]){key, DB_INT(actor_id(r))}, 2, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        s->id = db_col_int(&rows, 0);
        s->parent_id = db_col_null(&rows, 1) ? 0 : db_col_int(&rows, 1);
        s->slug = db_col_text(&rows, 2, &r->arena);
        s->name = db_col_text(&rows, 3, &r->arena);
        s->purpose = db_col_text(&rows, 4, &r->arena);
        s->charter = db_col_text(&rows, 5, &r->arena);
        s->charter_html = db_col_text(&rows, 6, &r->arena);
        s->is_public = str_eq_c(db_col_text(&rows, 7, &r->arena), "public");
        s->join = join_parse(db_col_text(&rows, 8, &r->arena));
        if (s->join == JOIN__MAX)
            s->join = JOIN_INVITE;
        s->members_create_groups = db_col_int(&rows, 9) != 0;
        s->created_at = db_col_int(&rows, 10);
        s->parent_slug = db_col_text(&rows, 11, &r->arena);
        s->parent_public = str_eq_c(db_col_text(&rows, 12, &r->arena), "public");
        if (s->parent_id)
            s->members_create_groups = db_col_int(&rows, 13) != 0;
        s->members = -1; /* space_count_members() */
        s->role = role_from(&rows, 14, now, &r->arena);
        s->parent_role = role_from(&rows, 16, now, &r->arena);
        s->pending = db_col_int(&rows, 18) > 0;
    }
    db_rows_done(&rows);
    if (rc < 0)
        return rc;
    return rc == 0 ? E_NOTFOUND : 0;
}

int space_load(struct req *r, struct str slug, struct space *s)
{
    return load(r, STMT_SPACE_BY_SLUG, DB_TEXT(slug), s);
}

int space_load_id(struct req *r, int64_t id, struct space *s)
{
    return load(r, STMT_SPACE_BY_ID, DB_INT(id), s);
}

int space_members(struct req *r, const struct space *s, int64_t *n)
{
    struct db *db = req_db(r);

    *n = s->members;
    if (s->members >= 0)
        return 0;
    if (!db)
        return E_UNAVAIL;
    return db_query_int(db, STMT_SPACE_MEMBER_COUNT,
                        (struct db_param[]){DB_INT(s->id), DB_INT(clock_unix())}, 2, n);
}

/* The spaces the caller may read, counted (SPACES_FOR) or not (SPACES_FOR_UNCOUNTED). */
static int visible(struct req *r, bool counted, struct space **out, size_t *n)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int64_t now = clock_unix();
    size_t cap = 16;
    int rc;

    *n = 0;
    *out = arena_calloc(&r->arena, cap, sizeof(**out));
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, counted ? STMT_SPACES_FOR : STMT_SPACES_FOR_UNCOUNTED,
                  (struct db_param[]){DB_INT(actor_id(r)), DB_INT(now)}, counted ? 2 : 1, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        struct space s = {0};
        struct policy_space ps;
        struct policy_actor pa;

        s.id = db_col_int(&rows, 0);
        s.parent_id = db_col_null(&rows, 1) ? 0 : db_col_int(&rows, 1);
        s.is_public = str_eq_c(db_col_text(&rows, 5, &r->arena), "public");
        s.join = join_parse(db_col_text(&rows, 6, &r->arena));
        if (s.join == JOIN__MAX)
            s.join = JOIN_INVITE;
        s.members_create_groups = db_col_int(&rows, 7) != 0;
        s.parent_public = str_eq_c(db_col_text(&rows, 9, &r->arena), "public");
        s.role = role_from(&rows, 10, now, &r->arena);
        s.parent_role = role_from(&rows, 12, now, &r->arena);
        ps = (struct policy_space){s.parent_id != 0, s.is_public, s.join, s.parent_public,
                                   s.members_create_groups};
        pa = (struct policy_actor){r->actor != NULL, r->actor && r->actor->is_admin, s.role,
                                   s.parent_role, false};
        if (!policy_can(&pa, ACT_READ, &ps))
            continue;
        s.slug = db_col_text(&rows, 2, &r->arena);
        s.name = db_col_text(&rows, 3, &r->arena);
        s.purpose = db_col_text(&rows, 4, &r->arena);
        s.parent_slug = db_col_text(&rows, 8, &r->arena);
        s.members = db_col_int(&rows, 14);
        s.created_at = db_col_int(&rows, 15);
        *out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = s;
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

int spaces_visible(struct req *r, struct space **out, size_t *n)
{
    return visible(r, true, out, n);
}

int spaces_readable(struct req *r, struct space **out, size_t *n)
{
    return visible(r, false, out, n);
}

int space_create(struct req *r, const struct new_space *ns, int64_t *id)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix(), taken = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_query_int(db, STMT_SPACE_SLUG_TAKEN, (struct db_param[]){DB_TEXT(ns->slug)}, 1, &taken);
    if (!rc && taken)
        rc = E_CONFLICT;
    if (!rc) {
        struct db_param p[] = {ns->parent_id ? DB_INT(ns->parent_id) : DB_NULL,
                               DB_TEXT(ns->slug),
                               DB_TEXT(ns->name),
                               DB_TEXT(ns->purpose),
                               DB_TEXT(ns->charter),
                               DB_TEXT(ns->charter_html),
                               DB_TEXTC(ns->is_public ? "public" : "private"),
                               DB_TEXTC(join_name(ns->join)),
                               DB_INT(ns->members_create_groups),
                               DB_INT(actor_id(r)),
                               DB_INT(now)};

        rc = db_query_int(db, STMT_SPACE_INSERT, p, ARRAY_LEN(p), id);
    }
    if (!rc)
        rc = db_exec(db, STMT_MEMBERSHIP_INSERT,
                     (struct db_param[]){DB_INT(*id), DB_INT(actor_id(r)),
                                         DB_TEXTC(role_name(ROLE_OWNER)), DB_NULL, DB_INT(now)},
                     5, NULL);
    if (!rc)
        rc = activity_add(db, actor_id(r), "create", "space", *id, *id);
    if (rc) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

int space_save(struct req *r, const struct space *s)
{
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    {
        struct db_param p[] = {DB_INT(s->id),
                               DB_TEXT(s->name),
                               DB_TEXT(s->purpose),
                               DB_TEXT(s->charter),
                               DB_TEXT(s->charter_html),
                               DB_TEXTC(s->is_public ? "public" : "private"),
                               DB_TEXTC(join_name(s->join)),
                               DB_INT(s->members_create_groups),
                               DB_INT(clock_unix())};

        rc = db_exec(db, STMT_SPACE_UPDATE, p, ARRAY_LEN(p), NULL);
    }
    if (!rc)
        rc = activity_add(db, actor_id(r), "update", "space", s->id, s->id);
    if (rc) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

int user_id_of(struct req *r, struct str handle, int64_t *id)
{
    struct db *db = req_db(r);

    if (!db)
        return E_UNAVAIL;
    return db_query_int(db, STMT_USER_ID_BY_HANDLE, (struct db_param[]){DB_TEXT(handle)}, 1, id);
}

/* Inside a transaction: add the membership and its activity row. */
static int add_in_tx(struct db *db, int64_t actor, int64_t space_id, int64_t user_id,
                     enum role role, int64_t guest_until, const char *verb)
{
    int rc = db_exec(
        db, STMT_MEMBERSHIP_INSERT,
        (struct db_param[]){DB_INT(space_id), DB_INT(user_id), DB_TEXTC(role_name(role)),
                            guest_until ? DB_INT(guest_until) : DB_NULL, DB_INT(clock_unix())},
        5, NULL);

    if (!rc)
        rc = db_exec(db, STMT_REQUEST_DELETE,
                     (struct db_param[]){DB_INT(space_id), DB_INT(user_id)}, 2, NULL);
    if (!rc)
        rc = activity_add(db, actor ? actor : user_id, verb, "membership", user_id, space_id);
    return rc;
}

int member_add(struct req *r, int64_t space_id, int64_t user_id, enum role role,
               int64_t guest_until, const char *verb)
{
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    return db_tx_end(db, add_in_tx(db, actor_id(r), space_id, user_id, role, guest_until, verb));
}

/* Whether removing or demoting user_id leaves s with an owner. */
static int keeps_owner(struct db *db, const struct space *s, enum role current)
{
    int64_t owners = 0;
    int rc;

    if (current != ROLE_OWNER)
        return 0;
    rc = db_query_int(db, STMT_SPACE_OWNERS, (struct db_param[]){DB_INT(s->id)}, 1, &owners);
    if (rc)
        return rc;
    return owners > 1 ? 0 : E_CONFLICT;
}

/*
 * Inside a transaction: take user_id out of one space. When they are its
 * last owner, ownership passes on (succession) or the change is refused.
 */
static int leave_one(struct req *r, struct db *db, int64_t space_id, int64_t user_id,
                     bool succession, const char *verb)
{
    struct space one = {.id = space_id};
    enum role current;
    int64_t changed = 0, heir = 0;
    int rc = role_of(r, space_id, user_id, &current);

    if (!rc)
        rc = keeps_owner(db, &one, current);
    if (rc == E_CONFLICT && succession) {
        rc = db_query_int(db, STMT_SPACE_SUCCESSOR,
                          (struct db_param[]){DB_INT(space_id), DB_INT(user_id)}, 2, &heir);
        if (rc == E_NOTFOUND)
            rc = 0; /* nobody else is left: the space waits for an instance admin */
        else if (!rc)
            rc = db_exec(db, STMT_MEMBERSHIP_SET_ROLE,
                         (struct db_param[]){DB_INT(space_id), DB_INT(heir),
                                             DB_TEXTC(role_name(ROLE_OWNER)), DB_NULL},
                         4, NULL);
        if (!rc && heir)
            rc = activity_add(db, user_id, "succeed", "membership", heir, space_id);
    }
    if (!rc)
        rc = db_exec(db, STMT_MEMBERSHIP_DELETE,
                     (struct db_param[]){DB_INT(space_id), DB_INT(user_id)}, 2, &changed);
    if (!rc && !changed)
        rc = E_NOTFOUND;
    if (!rc)
        rc = activity_add(db, actor_id(r) ? actor_id(r) : user_id, verb, "membership", user_id,
                          space_id);
    /* Their answers to the space's events go with them; whoever waited moves up. */
    if (!rc)
        rc = events_member_left(r, space_id, user_id);
    return rc;
}

int member_remove(struct req *r, const struct space *s, int64_t user_id, const char *verb)
{
    struct db *db = req_db(r);
    bool leaving = strcmp(verb, "leave") == 0;
    int64_t groups[256];
    size_t ngroups = 0;
    struct db_rows rows;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    /* Leaving a community leaves its groups too; ownership of each passes on. */
    if (!s->parent_id) {
        rc = db_query(db, STMT_USER_GROUPS_IN, (struct db_param[]){DB_INT(s->id), DB_INT(user_id)},
                      2, &rows);
        if (!rc) {
            int more;

            while ((more = db_next(&rows)) > 0)
                if (ngroups < ARRAY_LEN(groups))
                    groups[ngroups++] = db_col_int(&rows, 0);
            db_rows_done(&rows);
            rc = more < 0 ? more : 0;
        }
    }
    for (size_t i = 0; !rc && i < ngroups; i++)
        rc = leave_one(r, db, groups[i], user_id, true, verb);
    if (!rc)
        rc = leave_one(r, db, s->id, user_id, leaving, verb);
    return db_tx_end(db, rc);
}

int member_set_role(struct req *r, const struct space *s, int64_t user_id, enum role role)
{
    struct db *db = req_db(r);
    enum role current;
    int64_t changed = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = role_of(r, s->id, user_id, &current);
    if (!rc && current == ROLE_NONE)
        rc = E_NOTFOUND;
    if (!rc && role != ROLE_OWNER)
        rc = keeps_owner(db, s, current);
    if (!rc)
        rc = db_exec(
            db, STMT_MEMBERSHIP_SET_ROLE,
            (struct db_param[]){DB_INT(s->id), DB_INT(user_id), DB_TEXTC(role_name(role)), DB_NULL},
            4, &changed);
    if (!rc)
        rc = activity_add(db, actor_id(r), "role", "membership", user_id, s->id);
    return db_tx_end(db, rc);
}

/* Attach each member's interests (one query for the whole space). */
static int add_interests(struct req *r, struct db *db, int64_t space_id, struct member *m, size_t n)
{
    struct db_rows rows;
    int rc, more;

    if (!n)
        return 0;
    rc = db_query(db, STMT_SPACE_MEMBER_INTERESTS, (struct db_param[]){DB_INT(space_id)}, 1, &rows);
    if (rc)
        return rc;
    while ((more = db_next(&rows)) > 0) {
        int64_t uid = db_col_int(&rows, 0);

        for (size_t i = 0; i < n; i++) {
            struct member_interest *mi;

            if (m[i].id != uid)
                continue;
            m[i].interests = arena_realloc(&r->arena, m[i].interests, m[i].ninterests * sizeof(*mi),
                                           (m[i].ninterests + 1) * sizeof(*mi));
            mi = &m[i].interests[m[i].ninterests++];
            mi->kind = db_col_text(&rows, 1, &r->arena);
            mi->label = db_col_text(&rows, 2, &r->arena);
            break;
        }
    }
    db_rows_done(&rows);
    return more < 0 ? more : 0;
}

int members_of(struct req *r, int64_t space_id, struct str q, struct str kind, struct member **out,
               size_t *n)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    struct buf pat;
    struct str key = interest_key(&r->arena, q);
    size_t cap = 16;
    int rc;

    *n = 0;
    *out = arena_calloc(&r->arena, cap, sizeof(**out));
    if (!db)
        return E_UNAVAIL;
    /* %q% folded to lower case as interests are, with LIKE's own characters escaped by '!'. */
    buf_init(&pat, &r->arena, 512);
    buf_putc(&pat, '%');
    for (size_t i = 0; i < key.len; i++) {
        char c = key.ptr[i];

        if (c == '%' || c == '_' || c == '!')
            buf_putc(&pat, '!');
        buf_putc(&pat, c);
    }
    if (key.len)
        buf_putc(&pat, '%');
    rc = db_query(db, STMT_SPACE_MEMBERS,
                  (struct db_param[]){DB_INT(space_id), DB_INT(clock_unix()),
                                      DB_TEXT(buf_str(&pat)), DB_TEXT(kind)},
                  4, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        struct member *m;

        *out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
        m = &(*out)[(*n)++];
        memset(m, 0, sizeof(*m));
        m->id = db_col_int(&rows, 0);
        m->handle = db_col_text(&rows, 1, &r->arena);
        m->name = db_col_text(&rows, 2, &r->arena);
        m->role = role_parse(db_col_text(&rows, 3, &r->arena));
        m->guest_until = db_col_null(&rows, 4) ? 0 : db_col_int(&rows, 4);
        m->joined_at = db_col_int(&rows, 5);
    }
    db_rows_done(&rows);
    if (rc < 0)
        return rc;
    return add_interests(r, db, space_id, *out, *n);
}

int request_add(struct req *r, int64_t space_id, int64_t user_id, struct str message)
{
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_REQUEST_INSERT,
                 (struct db_param[]){DB_INT(space_id), DB_INT(user_id), DB_TEXT(message),
                                     DB_INT(clock_unix())},
                 4, NULL);
    if (!rc)
        rc = activity_add(db, user_id, "request", "membership", user_id, space_id);
    return db_tx_end(db, rc);
}

int request_decide(struct req *r, int64_t space_id, int64_t user_id, bool approve)
{
    struct db *db = req_db(r);
    int64_t changed = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_REQUEST_DELETE, (struct db_param[]){DB_INT(space_id), DB_INT(user_id)}, 2,
                 &changed);
    if (!rc && !changed)
        rc = E_NOTFOUND;
    if (!rc && approve)
        rc = add_in_tx(db, actor_id(r), space_id, user_id, ROLE_MEMBER, 0, "approve");
    else if (!rc)
        rc = activity_add(db, actor_id(r), "decline", "membership", user_id, space_id);
    return db_tx_end(db, rc);
}

int requests_of(struct req *r, int64_t space_id, struct join_request **out, size_t *n)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    size_t cap = 8;
    int rc;

    *n = 0;
    *out = arena_calloc(&r->arena, cap, sizeof(**out));
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_SPACE_REQUESTS, (struct db_param[]){DB_INT(space_id)}, 1, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        struct join_request *q;

        *out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
        q = &(*out)[(*n)++];
        q->handle = db_col_text(&rows, 0, &r->arena);
        q->name = db_col_text(&rows, 1, &r->arena);
        q->message = db_col_text(&rows, 2, &r->arena);
        q->created_at = db_col_int(&rows, 3);
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

int invite_add(struct req *r, int64_t space_id, struct str token_hash, enum role role,
               int64_t guest_until, int64_t max_uses, int64_t expires_at)
{
    struct db *db = req_db(r);
    int64_t id = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    {
        struct db_param p[] = {
            DB_INT(space_id),          DB_TEXT(token_hash),
            DB_TEXTC(role_name(role)), guest_until ? DB_INT(guest_until) : DB_NULL,
            DB_INT(max_uses),          DB_INT(expires_at),
            DB_INT(actor_id(r)),       DB_INT(clock_unix())};

        rc = db_query_int(db, STMT_INVITE_INSERT, p, ARRAY_LEN(p), &id);
    }
    if (!rc)
        rc = activity_add(db, actor_id(r), "invite", "invite", id, space_id);
    return db_tx_end(db, rc);
}

int invite_usable(struct req *r, struct str token_hash)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int64_t now = clock_unix();
    bool usable = false;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_INVITE_BY_HASH, (struct db_param[]){DB_TEXT(token_hash)}, 1, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0)
        usable = db_col_int(&rows, 6) > now && db_col_int(&rows, 5) < db_col_int(&rows, 4) &&
                 (db_col_null(&rows, 3) || db_col_int(&rows, 3) > now);
    db_rows_done(&rows);
    if (rc < 0)
        return rc;
    return usable ? 0 : E_NOTFOUND;
}

int invite_accept(struct req *r, struct str token_hash, int64_t user_id, struct str *slug)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int64_t id = 0, space_id = 0, guest_until = 0, max_uses = 0, uses = 0, expires = 0;
    int64_t now = clock_unix(), changed = 0;
    enum role role = ROLE_MEMBER, current;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_query(db, STMT_INVITE_BY_HASH, (struct db_param[]){DB_TEXT(token_hash)}, 1, &rows);
    if (rc)
        return db_tx_end(db, rc);
    rc = db_next(&rows);
    if (rc > 0) {
        id = db_col_int(&rows, 0);
        space_id = db_col_int(&rows, 1);
        role = role_parse(db_col_text(&rows, 2, &r->arena));
        guest_until = db_col_null(&rows, 3) ? 0 : db_col_int(&rows, 3);
        max_uses = db_col_int(&rows, 4);
        uses = db_col_int(&rows, 5);
        expires = db_col_int(&rows, 6);
        *slug = db_col_text(&rows, 7, &r->arena);
    }
    db_rows_done(&rows);
    if (rc < 0)
        return db_tx_end(db, rc);
    if (rc == 0 || expires <= now || uses >= max_uses || (guest_until && guest_until <= now))
        return db_tx_end(db, E_NOTFOUND);
    rc = role_of(r, space_id, user_id, &current);
    if (rc || current >= ROLE_MEMBER || (current == ROLE_GUEST && role == ROLE_GUEST))
        return db_tx_end(db, rc); /* already in: nothing to use up */
    rc = db_exec(db, STMT_INVITE_USE, (struct db_param[]){DB_INT(id)}, 1, &changed);
    if (!rc && !changed)
        rc = E_NOTFOUND;
    if (!rc && current == ROLE_GUEST)
        rc = db_exec(db, STMT_MEMBERSHIP_SET_ROLE,
                     (struct db_param[]){DB_INT(space_id), DB_INT(user_id),
                                         DB_TEXTC(role_name(role)), DB_NULL},
                     4, NULL);
    else if (!rc)
        rc =
            add_in_tx(db, user_id, space_id, user_id, role == ROLE_GUEST ? ROLE_GUEST : ROLE_MEMBER,
                      role == ROLE_GUEST ? guest_until : 0, "accept-invite");
    return db_tx_end(db, rc);
}

int communities_admins_only(struct req *r, bool *admins)
{
    struct db *db = req_db(r);
    struct instance_settings is;
    int rc;

    *admins = false;
    if (!db)
        return E_UNAVAIL;
    rc = instance_settings_get(db, &r->arena, &is);
    if (!rc)
        *admins = is.admins_create_communities;
    return rc;
}

int standing_of(struct req *r, const struct space *s, int64_t user_id, struct policy_actor *a)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int64_t now = clock_unix();
    int rc;

    *a = (struct policy_actor){0};
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_USER_STANDING,
                  (struct db_param[]){DB_INT(user_id), DB_INT(s->id), DB_INT(s->parent_id)}, 3,
                  &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        a->signed_in = true;
        a->is_admin = db_col_int(&rows, 0) != 0;
        a->role = role_from(&rows, 1, now, &r->arena);
        a->parent_role = role_from(&rows, 3, now, &r->arena);
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}
