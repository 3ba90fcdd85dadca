#ifndef PRAXIS_FEATURE_TESTING_PROBE_H
#define PRAXIS_FEATURE_TESTING_PROBE_H

#include "feature/jobs/jobs.h"

/*
 * A kind of job for the tests of the queue itself: its payload
 * {"outcome": "done"|"retry"|"fail", "sleep_ms": n} says how a run ends,
 * and how long it takes first.
 */
int testing_probe_run(struct job *j);

#endif
