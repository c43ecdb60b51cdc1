/* Raw mode for the bridge and restoring the terminal on every exit path. */
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"

/* Static because atexit() handlers take no argument. */
static struct termios saved_termios;
static volatile sig_atomic_t saved_fd = -1;
static bool atexit_registered;

void
terminal_restore(void)
{
	int fd = saved_fd;

	if (fd < 0)
		return;
	/* tcsetattr() is async-signal-safe; TCSADRAIN would wait forever */
	(void)tcsetattr(fd, TCSANOW, &saved_termios);
	saved_fd = -1;
}

int
terminal_enter_raw(int fd)
{
	struct termios raw;

	if (!atexit_registered) {
		if (atexit(terminal_restore) != 0) {
			log_error("cannot register terminal restore");
			return -1;
		}
		atexit_registered = true;
	}
	if (saved_fd >= 0) {
		log_error("terminal already in raw mode");
		return -1;
	}
	if (tcgetattr(fd, &saved_termios) != 0) {
		log_error("cannot read terminal settings: %s",
		    strerror(errno));
		return -1;
	}
	raw = saved_termios;
	cfmakeraw(&raw);
	saved_fd = fd;
	if (tcsetattr(fd, TCSANOW, &raw) != 0) {
		log_error("cannot switch the terminal to raw mode: %s",
		    strerror(errno));
		terminal_restore();
		return -1;
	}
	return 0;
}

int
terminal_ensure_cooked(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t) != 0) {
		log_error("cannot read terminal settings: %s",
		    strerror(errno));
		return -1;
	}
	t.c_lflag |= ICANON | ECHO | ECHOE | ECHOK | ISIG;
	t.c_iflag |= ICRNL;
	t.c_iflag &= ~(INLCR | IGNCR);
	t.c_oflag |= OPOST | ONLCR;
	if (tcsetattr(fd, TCSANOW, &t) != 0) {
		log_error("cannot set terminal settings: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
terminal_set_nonblocking(int fd)
{
	int flags;

	if ((flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		log_error("cannot make descriptor %d non-blocking: %s", fd,
		    strerror(errno));
		return -1;
	}
	return flags;
}

void
terminal_restore_flags(int fd, int *flags)
{
	if (*flags >= 0)
		(void)fcntl(fd, F_SETFL, *flags);
	*flags = -1;
}
