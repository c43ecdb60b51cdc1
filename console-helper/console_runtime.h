/*
 * Where the broker of a shared console can be found: runtime_dir holds,
 * for each console held on this proxy, a socket, a lock file that makes
 * starting a broker race-free, and a state file ("PID WRITER WATCHERS")
 * that "list" reads. A console is named by a hash of its host, vmid and
 * device, so any vmid gives a short, safe file name; the broker checks the
 * full names in every hello.
 */
#ifndef VMCONSOLE_CONSOLE_RUNTIME_H
#define VMCONSOLE_CONSOLE_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "manager.h"

struct console_paths {
	char sock[108];		/* fits sockaddr_un.sun_path */
	char lock[4096];
	char state[4096];
};

/*
 * Creates dir (mode 0700) if missing and checks that it is a directory of
 * this user that nobody else may enter. Returns 0, or -1 after logging.
 */
int console_runtime_dir_check(const char *dir);

/*
 * Fills p for the console device console (NULL: the domain's first
 * console) of vmid on host under dir. Returns 0, or -1 after logging when
 * a name does not fit.
 */
int console_runtime_paths(const char *dir, const char *host,
    const char *vmid, const char *console, struct console_paths *p);

struct console_state {
	pid_t pid;
	char writer[257];	/* "" when nobody writes */
	unsigned long watchers;
	char vmid[257];		/* whose console it is */
};

/* Writes st to path atomically (a temporary file renamed). 0 or -1. */
int console_state_write(const char *path, const struct console_state *st);

/*
 * Reads the state at path. Returns true when it exists and its broker is
 * still alive.
 */
bool console_state_read(const char *path, struct console_state *st);

/*
 * Fills the writer and watchers of each entry of list from the state
 * files of its broker under dir (nothing when there is none).
 */
void console_runtime_fill_usage(const char *dir, struct console_list *list);

#endif
