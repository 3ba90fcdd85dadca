/* Time: wall-clock seconds for storage, monotonic microseconds for durations. */
#ifndef PRAXIS_CORE_CLOCK_H
#define PRAXIS_CORE_CLOCK_H

#include <stdint.h>

struct tm;

/* Unix seconds, as stored in the database (never now() in SQL). */
int64_t clock_unix(void);
/* Monotonic microseconds, for measuring durations. */
int64_t clock_mono_us(void);
/* Format unix seconds as an RFC 3339 UTC string into out (at least 21 bytes). */
void clock_rfc3339(int64_t t, char out[21]);
/*
 * Unix seconds as a UTC calendar time, as gmtime_r() gives it (tm_year,
 * tm_mon, tm_mday, tm_hour, tm_min, tm_sec, tm_wday, tm_yday; tm_isdst 0),
 * by arithmetic alone: glibc's gmtime_r() takes a process-wide lock, and a
 * page shows dozens of times. 0, or -1 when the year does not fit an int
 * (where gmtime_r() returns NULL).
 */
int clock_utc(int64_t t, struct tm *tm);
/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar (m 1..12, d 1..31). */
int64_t clock_days_from_civil(int64_t y, int m, int d);
/*
 * Read a moment given as unix seconds ("1796000000") or as UTC RFC 3339
 * ("2026-12-06T10:00:00Z", seconds optional). 0, or -1 when s is neither.
 */
int clock_parse(const char *s, int64_t *out);

#endif
