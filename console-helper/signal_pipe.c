/* Signals delivered to the event loop through a self-pipe. */
#include "signal_pipe.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static const int handled_signals[SIGNAL_PIPE_NSIGNALS] = {
	SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGPIPE
};

/* The handler writes the signal number, the loop reads it. */
static int signal_pipe[2] = { -1, -1 };

/* Async-signal-safe: hands the signal number to the event loop. */
static void
on_signal(int sig)
{
	int saved_errno = errno;
	unsigned char c = (unsigned char)sig;
	ssize_t r;

	r = write(signal_pipe[1], &c, 1);
	(void)r;		/* a full pipe already holds a wake-up */
	errno = saved_errno;
}

int
signal_pipe_open(void)
{
	int fds[2] = { -1, -1 }, i;

	if (signal_pipe[0] >= 0)
		return signal_pipe[0];
	if (pipe(fds) != 0) {
		log_error("cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < 2; i++) {
		if (fcntl(fds[i], F_SETFL, O_NONBLOCK) != 0 ||
		    fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0) {
			log_error("cannot set up a pipe: %s", strerror(errno));
			close(fds[0]);
			close(fds[1]);
			return -1;
		}
	}
	signal_pipe[0] = fds[0];
	signal_pipe[1] = fds[1];
	return signal_pipe[0];
}

int
signal_pipe_install(struct signal_pipe_saved *saved)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < SIGNAL_PIPE_NSIGNALS; i++) {
		if (sigaction(handled_signals[i], &sa, &saved->old[i]) != 0) {
			log_error("cannot handle signal %d: %s",
			    handled_signals[i], strerror(errno));
			while (i-- > 0)
				(void)sigaction(handled_signals[i],
				    &saved->old[i], NULL);
			return -1;
		}
	}
	saved->installed = true;
	return 0;
}

void
signal_pipe_restore(struct signal_pipe_saved *saved)
{
	size_t i;

	if (!saved->installed)
		return;
	for (i = 0; i < SIGNAL_PIPE_NSIGNALS; i++)
		(void)sigaction(handled_signals[i], &saved->old[i], NULL);
	saved->installed = false;
}

int
signal_pipe_next(int fd)
{
	unsigned char sig;

	return read(fd, &sig, 1) == 1 ? sig : 0;
}
