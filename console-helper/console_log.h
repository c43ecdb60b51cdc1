/*
 * The console log of a shared console: everything the console printed
 * while this proxy held it, appended to DIR/NAME.log (mode 0600), with a
 * timestamped line for each attach, detach and takeover. At max bytes the
 * file is renamed to NAME.log.1 (replacing the older one) and a new one is
 * started. It may hold secrets typed at the console: the directory should
 * be readable by the service user only.
 */
#ifndef VMCONSOLE_CONSOLE_LOG_H
#define VMCONSOLE_CONSOLE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct console_log {
	int fd;			/* -1: no log */
	char path[4096];
	size_t size;		/* bytes in the current file */
	size_t max;
	bool at_line_start;	/* the last byte written was a newline */
};

/*
 * Opens the log of a console in dir: vmid.log for the VM's default
 * console, vmid+device.log for the console device the manager names
 * (characters outside [A-Za-z0-9._-] of either part are written as %XX).
 * dir NULL: no log. Returns 0, or -1 after logging (then no log is
 * written).
 */
int console_log_open(struct console_log *lg, const char *dir,
    const char *vmid, const char *device, size_t max);

/* Appends console output. */
void console_log_output(struct console_log *lg, const void *buf,
    size_t len);

/* Appends "[YYYY-MM-DD HH:MM:SS UTC] text" on a line of its own. */
void console_log_event(struct console_log *lg, time_t when,
    const char *text);

void console_log_close(struct console_log *lg);

#endif
