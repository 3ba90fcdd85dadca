/*
 * Error codes shared by every layer. Functions that act return 0 (E_OK) or
 * one of these negatives; http/resp.c maps them to a status in one place.
 */
#ifndef PRAXIS_CORE_ERR_H
#define PRAXIS_CORE_ERR_H

enum err {
    E_OK = 0,
    E_INVAL = -1,    /* bad input: 400 */
    E_NOTFOUND = -2, /* 404, also for things the actor may not see */
    E_CONFLICT = -3, /* constraint violation, duplicate: 409 */
    E_PERM = -4,     /* forbidden: 403 */
    E_TOOBIG = -5,   /* a bounded buffer or input limit was hit: 413 */
    E_DB = -6,       /* database failure: 500 (503 when unreachable) */
    E_IO = -7,       /* file or socket failure: 500 */
    E_UNAVAIL = -8,  /* a dependency is down: 503 */
};

/* A short lower-case description of an error code; never NULL. */
const char *err_str(int err);

#endif
