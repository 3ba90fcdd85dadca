/* The home page's data: the only code of this feature that talks to the database. */
#ifndef PRAXIS_FEATURE_HOME_MODEL_H
#define PRAXIS_FEATURE_HOME_MODEL_H

#include "core/str.h"

struct req;

struct home_model {
    struct str name;    /* the instance's name */
    struct str tagline; /* may be empty */
};

/* Read the instance's settings; E_UNAVAIL when the database cannot be reached. */
int home_load(struct req *r, struct home_model *m);

#endif
