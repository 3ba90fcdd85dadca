/*
 * Demo data: `praxis demo` fills an empty database with a believable
 * community of practice (a maths teachers' community with its groups, and a
 * small nursing one), so a fresh instance opens onto people, roles, interests,
 * join requests and weeks of activity instead of an empty page.
 *
 * Everyone in it has the same password, DEMO_PASSWORD: it is printed for
 * anyone to use, so the demo belongs on a machine of one's own.
 */
#ifndef PRAXIS_FEATURE_DEMO_H
#define PRAXIS_FEATURE_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct config;
struct db;

#define DEMO_PASSWORD "practice makes progress"

/* What demo_fill() made, and whom to sign in as. Strings are static. */
struct demo_result {
    int people, communities, groups, memberships, requests, interests, activities;
    const char *community;      /* the slug of the main community */
    const char *community_name; /* and its name; the roles below are in it */
    const char *owner, *facilitator, *member, *guest;
    const char *admin; /* an instance admin, in no space */
};

/*
 * Add the demo to db (migrated) in one transaction, with activity rows
 * spread over the past nine weeks. Passwords are hashed with argon2id at the
 * minimum cost when cheap_passwords is set (test mode only), else at the
 * interactive cost; everyone shares one hash, since they share the password
 * and forty interactive hashes would take ten seconds.
 *
 * Returns 0 and fills *out; E_CONFLICT, adding nothing, when the database
 * has people already; or another enum err when the database fails, with
 * nothing added. err gets one line on failure.
 */
int demo_fill(struct db *db, bool cheap_passwords, struct demo_result *out, char *err,
              size_t errlen);

/*
 * Print what was made and how to sign in: the sign-in page at the public
 * URL, else at the listen address, the handles with their roles and the
 * password.
 */
void demo_report(FILE *f, const struct demo_result *r, const struct config *cfg);

#endif
