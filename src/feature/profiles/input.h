/*
 * Reading the interests object of a JSON body. Apart from profiles.c
 * because jansson's names clash with the JSON writer's (core/json.h).
 */
#ifndef PRAXIS_FEATURE_PROFILES_INPUT_H
#define PRAXIS_FEATURE_PROFILES_INPUT_H

#include <stdbool.h>

#include "feature/profiles/rules.h"

struct req;

/*
 * Read {"interests": {"help": [...], "learn": [...], "interest": [...]}}
 * from r->json into lists, marking each list given; an absent or null
 * object or list is not given. Records a problem per list ("interests.help"
 * "must be a list of strings", "has more than 20 entries"...) or for the
 * object ("interests"); returns 0 or E_INVAL.
 */
int interests_from_json(struct req *r, struct interest_list lists[INTEREST__MAX],
                        bool given[INTEREST__MAX]);

#endif
