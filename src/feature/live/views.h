/*
 * The live feature's page: whether the person appears offline
 * (presence_settings.html). Appends to b and returns 0 or E_TOOBIG.
 */
#ifndef PRAXIS_FEATURE_LIVE_VIEWS_H
#define PRAXIS_FEATURE_LIVE_VIEWS_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/str.h"

struct view_presence_settings {
    struct str csrf;
    struct str notice;
    bool hidden;
};
int view_presence_settings(struct buf *b, const struct view_presence_settings *v);

#endif
