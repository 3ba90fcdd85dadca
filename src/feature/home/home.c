#include "feature/home/home.h"

#include "core/alloc.h"
#include "feature/home/model.h"
#include "feature/home/views.h"
#include "feature/spaces/spaces.h"

/* "/spaces/<slug>" (slugs are a-z, 0-9 and '-'); "/" should it ever not be a URL. */
static struct url space_url(struct req *r, struct str slug)
{
    struct buf b;
    struct url u;

    buf_init(&b, &r->arena, LIMIT_URL);
    BUF_LIT(&b, "/spaces/");
    buf_put_str(&b, slug);
    if (b.toobig || url_build(&r->arena, buf_str(&b), &u))
        return URL_LIT("/");
    return u;
}

/* "1 member", "12 members". */
static struct str members_of_space(struct req *r, int64_t n)
{
    struct buf b;

    buf_init(&b, &r->arena, 32);
    buf_printf(&b, "%lld %s", (long long)n, n == 1 ? "member" : "members");
    return buf_str(&b);
}

static void card_of(struct req *r, const struct space *s, struct view_home_space *c)
{
    c->name = s->name;
    c->purpose = s->purpose;
    c->href = space_url(r, s->slug);
    c->members = members_of_space(r, s->members);
    c->is_private = !s->is_public;
    if (s->role != ROLE_NONE)
        c->role = str_c(role_name(s->role));
}

/* The visible space with this id, or NULL. */
static const struct space *find(const struct space *all, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (all[i].id == id)
            return &all[i];
    return NULL;
}

/*
 * From what the person may read (spaces_visible(), so the one policy has
 * decided): their communities with the groups they are in, groups they are
 * in without their community, and the public communities they are not in.
 */
static int home_spaces(struct req *r, struct view_home *vm)
{
    struct view_home_space *mine, *discover;
    struct space *all;
    size_t n;
    int rc = spaces_visible(r, &all, &n);

    if (rc)
        return rc;
    mine = arena_calloc(&r->arena, n ? n : 1, sizeof(*mine));
    discover = arena_calloc(&r->arena, n ? n : 1, sizeof(*discover));
    for (size_t i = 0; i < n; i++) {
        const struct space *s = &all[i], *parent;

        if (s->parent_id == 0 && s->role != ROLE_NONE) {
            struct view_home_space *c = &mine[vm->nmine++];
            struct view_home_group *groups = arena_calloc(&r->arena, n, sizeof(*groups));

            card_of(r, s, c);
            for (size_t k = 0; k < n; k++) {
                if (all[k].parent_id != s->id || all[k].role == ROLE_NONE)
                    continue;
                groups[c->ngroups].name = all[k].name;
                groups[c->ngroups].href = space_url(r, all[k].slug);
                groups[c->ngroups++].role = str_c(role_name(all[k].role));
            }
            c->groups = groups;
        } else if (s->parent_id && s->role != ROLE_NONE && s->parent_role == ROLE_NONE) {
            /* A guest invited into one group: the group stands alone. */
            struct view_home_space *c = &mine[vm->nmine++];

            card_of(r, s, c);
            c->is_group = true;
            parent = find(all, n, s->parent_id);
            if (parent)
                c->community = parent->name;
        } else if (s->parent_id == 0 && s->is_public && s->role == ROLE_NONE) {
            card_of(r, s, &discover[vm->ndiscover++]);
        }
    }
    vm->mine = mine;
    vm->discover = discover;
    return 0;
}

static int home(struct req *r, struct resp *w)
{
    struct home_model m;
    struct view_home vm = {0};
    struct buf body;
    int rc;

    rc = home_load(r, &m);
    if (!rc)
        rc = home_spaces(r, &vm);
    if (rc)
        return rc;
    vm.instance_name = m.name;
    vm.tagline = m.tagline;
    vm.signed_in = r->actor != NULL;
    if (r->actor) {
        rc = spaces_may_create_community(r, &vm.can_create);
        if (rc)
            return rc;
    }
    resp_body_init(r, &body);
    view_home(&body, &vm);
    return resp_page(r, w, STR_NULL, m.tagline, &body);
}

static const struct route routes[] = {
    {HTTP_GET, "/", home, NULL, 0, 0},
};

const struct feature feature_home = {
    .name = "home",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};
