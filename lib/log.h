/* Levelled logging to syslog (LOG_AUTHPRIV) and optionally stderr. */
#ifndef VMCONSOLE_LOG_H
#define VMCONSOLE_LOG_H

#include <stdbool.h>

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_INFO,
	LOG_LEVEL_VERBOSE,
	LOG_LEVEL_DEBUG,
};

/* Opens syslog under ident; to_stderr also copies every message to stderr. */
void log_open(const char *ident, bool to_stderr);
void log_set_level(enum log_level level);
void log_set_stderr(bool to_stderr);
/* Returns 0 and sets *level for a known level name, -1 otherwise. */
int log_level_parse(const char *name, enum log_level *level);

/*
 * Logs one line. Control characters in the formatted text are escaped, so
 * strings from the network cannot forge log lines or drive a terminal.
 */
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_error(...)   log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_LEVEL_WARNING, __VA_ARGS__)
#define log_info(...)    log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_verbose(...) log_msg(LOG_LEVEL_VERBOSE, __VA_ARGS__)
#define log_debug(...)   log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
