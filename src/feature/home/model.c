#include "feature/home/model.h"

#include "feature/instance/instance.h"
#include "http/http.h"

int home_load(struct req *r, struct home_model *m)
{
    struct instance_settings is;
    int rc = instance_settings_now(r, &is);

    if (rc)
        return rc;
    m->name = is.name;
    m->tagline = is.tagline;
    return 0;
}
