/* Appending a shared console's output to its log file, with rotation. */
#include "console_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd_write.h"
#include "log.h"

/* Opens lg->path for appending; returns 0 or -1 after logging. */
static int
open_file(struct console_log *lg)
{
	struct stat st;

	lg->fd = open(lg->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (lg->fd < 0 || fstat(lg->fd, &st) != 0) {
		log_error("cannot open the console log %s: %s", lg->path,
		    strerror(errno));
		if (lg->fd >= 0)
			close(lg->fd);
		lg->fd = -1;
		return -1;
	}
	/* an existing file keeps its mode; make sure it is private */
	(void)fchmod(lg->fd, 0600);
	lg->size = (size_t)st.st_size;
	lg->at_line_start = true;
	return 0;
}

/*
 * Appends name to lg->path at *n, characters outside [A-Za-z0-9._-] (and
 * a leading dot) as %XX. Returns 0, or -1 when it does not fit.
 */
static int
append_escaped(struct console_log *lg, size_t *n, const char *name)
{
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p != '\0'; p++) {
		if (*n + 8 >= sizeof(lg->path))
			return -1;
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    (*p == '.' && p != (const unsigned char *)name))
			lg->path[(*n)++] = (char)*p;
		else
			*n += (size_t)snprintf(lg->path + *n,
			    sizeof(lg->path) - *n, "%%%02X", *p);
	}
	return 0;
}

int
console_log_open(struct console_log *lg, const char *dir, const char *vmid,
    const char *device, size_t max)
{
	size_t n;
	int w;

	memset(lg, 0, sizeof(*lg));
	lg->fd = -1;
	lg->max = max;
	if (dir == NULL)
		return 0;
	if ((w = snprintf(lg->path, sizeof(lg->path), "%s/", dir)) < 0)
		return -1;
	n = (size_t)w;
	if (append_escaped(lg, &n, vmid) != 0)
		goto too_long;
	/* '+' is escaped in either part, so names cannot collide */
	if (device != NULL && device[0] != '\0') {
		lg->path[n++] = '+';
		if (append_escaped(lg, &n, device) != 0)
			goto too_long;
	}
	if (n + 5 >= sizeof(lg->path))
		goto too_long;
	memcpy(lg->path + n, ".log", 5);
	return open_file(lg);
 too_long:
	log_error("console log name too long in %s", dir);
	return -1;
}

/* Moves a full log to .1 and starts a new one. */
static void
rotate(struct console_log *lg)
{
	char old[sizeof(lg->path) + 2];

	snprintf(old, sizeof(old), "%s.1", lg->path);
	close(lg->fd);
	lg->fd = -1;
	if (rename(lg->path, old) != 0)
		log_error("cannot rotate the console log %s: %s", lg->path,
		    strerror(errno));
	(void)open_file(lg);
}

/* Writes len bytes, rotating first when they would pass the limit. */
static void
append(struct console_log *lg, const void *buf, size_t len)
{
	if (lg->fd < 0 || len == 0)
		return;
	if (lg->size > 0 && lg->size + len > lg->max) {
		rotate(lg);
		if (lg->fd < 0)
			return;
	}
	if (fd_write_all(lg->fd, buf, len) != 0) {
		log_error("cannot write the console log %s: %s", lg->path,
		    strerror(errno));
		close(lg->fd);
		lg->fd = -1;
		return;
	}
	lg->size += len;
	lg->at_line_start = ((const char *)buf)[len - 1] == '\n';
}

void
console_log_output(struct console_log *lg, const void *buf, size_t len)
{
	append(lg, buf, len);
}

void
console_log_event(struct console_log *lg, time_t when, const char *text)
{
	char line[1024];
	struct tm tm;
	int n;

	if (lg->fd < 0)
		return;
	gmtime_r(&when, &tm);
	n = snprintf(line, sizeof(line), "%s[%04d-%02d-%02d %02d:%02d:%02d "
	    "UTC] %s\n", lg->at_line_start ? "" : "\n", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, text);
	if (n > 0)
		append(lg, line, (size_t)n < sizeof(line) ? (size_t)n :
		    sizeof(line) - 1);
}

void
console_log_close(struct console_log *lg)
{
	if (lg->fd >= 0)
		close(lg->fd);
	lg->fd = -1;
}
