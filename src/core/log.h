/*
 * Logging: one line per call to standard error, written with a single
 * write() so lines from several threads never interleave.
 * Format: "2026-11-23T14:00:00Z level message".
 */
#ifndef PRAXIS_CORE_LOG_H
#define PRAXIS_CORE_LOG_H

#include <stdbool.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG__MAX };

void log_set_level(enum log_level level);
bool log_enabled(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Write a prepared line (newline added) as is, to standard output. */
void log_raw(const char *line, unsigned long len);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
