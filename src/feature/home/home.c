#include "feature/home/home.h"

#include "core/alloc.h"
#include "feature/home/model.h"
#include "feature/home/views.h"

static int home(struct req *r, struct resp *w)
{
    struct home_model m;
    struct view_home vm = {0};
    struct buf body;
    int rc;

    rc = home_load(r, &m);
    if (rc)
        return rc;
    vm.instance_name = m.name;
    vm.tagline = m.tagline;
    vm.signed_in = r->actor != NULL;
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
