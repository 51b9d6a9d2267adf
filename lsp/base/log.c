/* log.c — levelled, timestamped, thread-safe log lines. */
#include "log.h"
#include "util.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct log {
	FILE *out;
	bool owns_out;
	enum log_level level;
	pthread_mutex_t lock;
};

static const char *const level_names[] = {
	[LOG_ERROR] = "error", [LOG_WARN] = "warn", [LOG_INFO] = "info",
	[LOG_DEBUG] = "debug", [LOG_TRACE] = "trace",
};

struct log *log_new(FILE *out, bool owns_out, enum log_level level)
{
	struct log *log = xcalloc(1, sizeof(*log));
	log->out = out;
	log->owns_out = owns_out;
	log->level = level;
	pthread_mutex_init(&log->lock, NULL);
	return log;
}

void log_free(struct log *log)
{
	if (!log)
		return;
	if (log->owns_out && log->out)
		fclose(log->out);
	pthread_mutex_destroy(&log->lock);
	free(log);
}

void log_set_level(struct log *log, enum log_level level)
{
	if (!log)
		return;
	pthread_mutex_lock(&log->lock);
	log->level = level;
	pthread_mutex_unlock(&log->lock);
}

bool log_enabled(const struct log *log, enum log_level level)
{
	return log && log->out && level <= log->level;
}

bool log_parse_level(const char *name, enum log_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return true;
		}
	}
	if (strcmp(name, "warning") == 0) {
		*out = LOG_WARN;
		return true;
	}
	return false;
}

void log_msg(struct log *log, enum log_level level, const char *fmt, ...)
{
	if (!log_enabled(log, level))
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	pthread_mutex_lock(&log->lock);
	fprintf(log->out, "%02d:%02d:%02d.%03ld %-5s ", tm.tm_hour, tm.tm_min,
		tm.tm_sec, ts.tv_nsec / 1000000, level_names[level]);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(log->out, fmt, ap);
	va_end(ap);
	fputc('\n', log->out);
	fflush(log->out);
	pthread_mutex_unlock(&log->lock);
}
