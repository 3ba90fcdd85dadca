/* What jobs.c shares with the admin page (pages.c), and nothing else does. */
#ifndef PRAXIS_FEATURE_JOBS_INT_H
#define PRAXIS_FEATURE_JOBS_INT_H

#include "feature/jobs/jobs.h"

/* The list's inputs, the same for the API and the page: ?state=&cursor=. */
enum { JL_STATE, JL_CURSOR, JL__MAX };
extern const struct field jobs_list_fields[JL__MAX];

/*
 * A page of the queue for an instance admin (anyone else: 404), by the
 * request's state and cursor: the rows, the counts by state, and the
 * cursor of the next page (0 at the end).
 */
int jobs_page_of(struct req *r, const char **state, struct job_row **x, size_t *n,
                 struct jobs_counts *counts, int64_t *next);
/* Queue the failed job {id} again, for an instance admin. */
int jobs_retry_of(struct req *r);

#endif
