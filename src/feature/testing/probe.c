/* The probe job of the test routes (testing.c); apart, because it reads JSON with jansson. */
#include "feature/testing/probe.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/*
 * A kind of job for the tests of the queue itself: its payload says how a
 * run ends ("done", "retry" or "fail"), and how long it takes first.
 */
int testing_probe_run(struct job *j)
{
    json_error_t jerr;
    json_t *root = json_loadb(j->payload.ptr, j->payload.len, 0, &jerr);
    const char *outcome = root ? json_string_value(json_object_get(root, "outcome")) : NULL;
    json_int_t ms = root ? json_integer_value(json_object_get(root, "sleep_ms")) : 0;
    int rc = JOB_DONE;

    if (ms > 0 && ms <= 5000)
        nanosleep(&(struct timespec){(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L}, NULL);
    if (!outcome) {
        snprintf(j->err, sizeof(j->err), "the payload names no outcome");
        rc = JOB_FAIL;
    } else if (strcmp(outcome, "retry") == 0) {
        snprintf(j->err, sizeof(j->err), "asked to fail for now (attempt %d)", j->attempt);
        rc = JOB_RETRY;
    } else if (strcmp(outcome, "fail") == 0) {
        snprintf(j->err, sizeof(j->err), "asked to fail for good");
        rc = JOB_FAIL;
    }
    json_decref(root);
    return rc;
}
