/* The front page: the instance's name and a welcome for a new community. */
#ifndef PRAXIS_FEATURE_HOME_H
#define PRAXIS_FEATURE_HOME_H

#include "http/http.h"

extern const struct feature feature_home;

#endif
