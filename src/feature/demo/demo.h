/*
 * Demo data: `praxis demo` fills an empty database with a believable
 * community of practice (a maths teachers' community with its groups, and a
 * small nursing one), so a fresh instance opens onto people, roles, interests,
 * join requests, weeks of activity and discussions instead of an empty page.
 * `praxis demo --scale N` makes a large made-up instance for benchmarks.
 *
 * Everyone in it has the same password, DEMO_PASSWORD: it is printed for
 * anyone to use, so the demo belongs on a machine of one's own.
 */
#ifndef PRAXIS_FEATURE_DEMO_H
#define PRAXIS_FEATURE_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct config;
struct db;

#define DEMO_PASSWORD "practice makes progress"

/* What demo_fill() made, and whom to sign in as. Strings are static. */
struct demo_result {
    int people, communities, groups, memberships, requests, interests, activities;
    int topics, posts, reactions, notifications, unread;
    const char *community;      /* the slug of the main community */
    const char *community_name; /* and its name; the roles below are in it */
    const char *owner, *facilitator, *member, *guest;
    const char *admin; /* an instance admin, in no space */
};

/*
 * Add the demo to db (migrated) in one transaction, with activity rows
 * spread over the past nine weeks, and discussions (discussions.c) with the
 * reactions, notifications and read state they would have left. Passwords
 * are hashed with argon2id at the minimum cost when cheap_passwords is set
 * (test mode only), else at the interactive cost; everyone shares one hash,
 * since they share the password and forty interactive hashes would take ten
 * seconds.
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

/* The largest N of demo_scale(): a hundred thousand people, ten million posts. */
#define DEMO_SCALE_MAX 100000

/* What demo_scale() made. The handle is in static storage. */
struct demo_scale_result {
    int64_t n; /* as asked */
    int64_t people, spaces, memberships, topics, posts, reactions, tags, accepted;
    double seconds;      /* the whole run, hashing the password included */
    double text_seconds; /* of which making up and rendering the posts' text */
    char member[32];     /* the handle of a member of every space, to sign in as */
};

/*
 * A large made-up instance for benchmarks, into an empty database (migrated):
 * n people (1 to DEMO_SCALE_MAX), about 10n topics and 100n posts spread
 * over the past year in three communities and six groups (two of the
 * communities' groups and the third community private), with tags,
 * replies, accepted answers and reactions. Authors follow a Zipf-like law;
 * the words come from a fixed vocabulary of some thousands, drawn the same
 * way, plus rare made-up names, from a seeded generator: the same n gives
 * the same instance, text and shape, apart from the times, which end now.
 *
 * Unlike demo_fill() it writes no activity rows, read state or
 * notifications, and commits every few thousand topics, so one that fails
 * half-way leaves what it committed: start again on a new database. Prints
 * a line of progress to progress (may be NULL) every tenth of the way.
 * Passwords as demo_fill(); everyone has DEMO_PASSWORD.
 *
 * Returns 0 and fills *out; E_CONFLICT, adding nothing, when the database
 * has people already; E_INVAL for n out of range; another enum err when the
 * database fails. err gets one line on failure.
 */
int demo_scale(struct db *db, bool cheap_passwords, int64_t n, FILE *progress,
               struct demo_scale_result *out, char *err, size_t errlen);

/* Print what demo_scale() made, how long it took and whom to sign in as. */
void demo_scale_report(FILE *f, const struct demo_scale_result *r, const struct config *cfg);

#endif
