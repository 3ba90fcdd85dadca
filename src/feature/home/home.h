/* The front page: the instance's name, the person's communities, and public ones to discover. */
#ifndef PRAXIS_FEATURE_HOME_H
#define PRAXIS_FEATURE_HOME_H

#include "http/http.h"

extern const struct feature feature_home;

#endif
