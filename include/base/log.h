/*
 * log.h — levelled logging to stderr or a file. Thread-safe; every function
 * accepts a NULL log (then it does nothing), so tests can pass NULL.
 */
#ifndef VAULT_LOG_H
#define VAULT_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG, LOG_TRACE };

struct log;

/* Writes to out (not closed by log_free unless owns_out). */
struct log *log_new(FILE *out, bool owns_out, enum log_level level);
void log_free(struct log *log);
void log_set_level(struct log *log, enum log_level level);
bool log_enabled(const struct log *log, enum log_level level);
/* "error", "warn", "info", "debug", "trace" (also "warning"). */
bool log_parse_level(const char *name, enum log_level *out);
void log_msg(struct log *log, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
