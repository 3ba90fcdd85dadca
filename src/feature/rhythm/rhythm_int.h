/* What the files of feature/rhythm share, and nothing else uses. */
#ifndef PRAXIS_FEATURE_RHYTHM_INT_H
#define PRAXIS_FEATURE_RHYTHM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "feature/jobs/jobs.h"

struct arena;
struct event;
struct followup;

/* The loop's jobs (mail.c): what each does is told there. */
int rhythm_remind(struct job *j);
int rhythm_ask_followup(struct job *j);
int rhythm_moved_up(struct job *j);
int rhythm_followup_mail(struct job *j);
int rhythm_plan(struct job *j);

/* A path made with printf, NUL-terminated in a. */
const char *rhythm_path(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * An occurrence's time for a reader: "Thursday 10 December 2026,
 * 18:00–19:30 (Europe/Paris)", in the reader's zone when it is known, else
 * the event's.
 */
struct str rhythm_when(struct arena *a, struct str event_tz, struct str reader_tz, int64_t start,
                       int64_t end);

/* The daily look at every space's rhythm: a notice to the facilitators of one gone quiet or
 * crowded. */
int rhythm_check(struct job *j);

#endif
