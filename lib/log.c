/* Levelled logging to syslog and stderr with control characters escaped. */
#include "log.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

#include "termsafe.h"

/* How long a log line may wait for a full, non-blocking stderr. */
#define LOG_STDERR_WAIT_MS	2000
#define LOG_STDERR_POLL_MS	50

static enum log_level current_level = LOG_LEVEL_INFO;
static bool copy_to_stderr;
static const char *log_ident = "vmconsole-proxy";

static const char *const level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARNING] = "warning",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_VERBOSE] = "verbose",
	[LOG_LEVEL_DEBUG] = "debug",
};

static const int syslog_priorities[] = {
	[LOG_LEVEL_ERROR] = LOG_ERR,
	[LOG_LEVEL_WARNING] = LOG_WARNING,
	[LOG_LEVEL_INFO] = LOG_INFO,
	[LOG_LEVEL_VERBOSE] = LOG_INFO,
	[LOG_LEVEL_DEBUG] = LOG_DEBUG,
};

void
log_open(const char *ident, bool to_stderr)
{
	log_ident = ident;
	copy_to_stderr = to_stderr;
	openlog(ident, LOG_PID, LOG_AUTHPRIV);
}

void
log_set_level(enum log_level level)
{
	current_level = level;
}

void
log_set_stderr(bool to_stderr)
{
	copy_to_stderr = to_stderr;
}

int
log_level_parse(const char *name, enum log_level *level)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcasecmp(name, level_names[i]) == 0) {
			*level = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

/*
 * Writes line to stderr whole. stderr may share the session's pty with the
 * console bridge, which makes it non-blocking: a full pty then answers
 * EAGAIN, and the line is written once the terminal takes it, waiting at
 * most LOG_STDERR_WAIT_MS in all so that a stalled client cannot hold the
 * program. Bypasses stdio, whose buffer would keep a half-written line.
 */
static void
write_stderr_line(const char *line)
{
	struct pollfd pfd = { STDERR_FILENO, POLLOUT, 0 };
	size_t len = strlen(line), off = 0;
	int waited = 0;
	ssize_t n;

	fflush(stderr);
	while (off < len) {
		n = write(STDERR_FILENO, line + off, len - off);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    waited < LOG_STDERR_WAIT_MS) {
			(void)poll(&pfd, 1, LOG_STDERR_POLL_MS);
			waited += LOG_STDERR_POLL_MS;
			continue;
		}
		return;
	}
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char raw[2048];
	char safe[2048 * 4 + 1];
	char line[sizeof(safe) + 64];
	va_list ap;

	if (level > current_level)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	termsafe_escape(raw, safe, sizeof(safe));

	syslog(syslog_priorities[level], "%s", safe);
	if (copy_to_stderr) {
		snprintf(line, sizeof(line), "%s: %s%s\n", log_ident,
		    level == LOG_LEVEL_ERROR ? "" :
		    level == LOG_LEVEL_WARNING ? "warning: " : "", safe);
		write_stderr_line(line);
	}
}
