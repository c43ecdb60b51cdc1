/*
 * Signals as events: the handled signals (SIGTERM, SIGHUP, SIGINT, SIGQUIT,
 * SIGPIPE) are written as one byte each to a non-blocking self-pipe, whose
 * read end an event loop watches.
 */
#ifndef VMCONSOLE_SIGNAL_PIPE_H
#define VMCONSOLE_SIGNAL_PIPE_H

#include <signal.h>
#include <stdbool.h>

#define SIGNAL_PIPE_NSIGNALS 5

/* The dispositions replaced by signal_pipe_install(), to put back. */
struct signal_pipe_saved {
	struct sigaction old[SIGNAL_PIPE_NSIGNALS];
	bool installed;
};

/*
 * Creates the self-pipe once per process. Returns its read end, or -1
 * after logging.
 */
int signal_pipe_open(void);

/* Routes the handled signals to the pipe; returns 0 or -1 after logging. */
int signal_pipe_install(struct signal_pipe_saved *saved);

/* Puts back what signal_pipe_install() replaced; safe to call twice. */
void signal_pipe_restore(struct signal_pipe_saved *saved);

/*
 * Reads the next pending signal number from the pipe's read end fd.
 * Returns it, or 0 when none is pending.
 */
int signal_pipe_next(int fd);

#endif
