/* Unit tests for console-helper/terminal.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include <pty.h>

#include <cmocka.h>

#include "terminal.h"

/* Returns the local mode flags of fd. */
static tcflag_t
lflags(int fd)
{
	struct termios t;

	assert_int_equal(tcgetattr(fd, &t), 0);
	return t.c_lflag;
}

static void
test_raw_and_restore(void **state)
{
	int master = -1, slave = -1;

	(void)state;
	assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
	assert_true(lflags(slave) & ICANON);
	assert_int_equal(terminal_enter_raw(slave), 0);
	assert_false(lflags(slave) & (ICANON | ECHO | ISIG));
	/* entering twice would lose the saved settings */
	assert_int_equal(terminal_enter_raw(slave), -1);
	terminal_restore();
	assert_true(lflags(slave) & ICANON);
	assert_true(lflags(slave) & ECHO);
	/* restoring again is harmless */
	terminal_restore();
	assert_true(lflags(slave) & ICANON);
	close(slave);
	close(master);
}

static void
test_not_a_tty(void **state)
{
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(terminal_enter_raw(fds[0]), -1);
	assert_int_equal(terminal_ensure_cooked(fds[0]), -1);
	terminal_restore();
	close(fds[0]);
	close(fds[1]);
}

static void
test_ensure_cooked(void **state)
{
	struct termios t;
	int master = -1, slave = -1;

	(void)state;
	assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
	assert_int_equal(tcgetattr(slave, &t), 0);
	cfmakeraw(&t);
	assert_int_equal(tcsetattr(slave, TCSANOW, &t), 0);
	assert_int_equal(terminal_ensure_cooked(slave), 0);
	assert_true(lflags(slave) & ICANON);
	assert_true(lflags(slave) & ECHO);
	close(slave);
	close(master);
}

static void
test_nonblocking_and_back(void **state)
{
	int fds[2], flags;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_false(fcntl(fds[0], F_GETFL) & O_NONBLOCK);
	flags = terminal_set_nonblocking(fds[0]);
	assert_true(flags >= 0);
	assert_true(fcntl(fds[0], F_GETFL) & O_NONBLOCK);
	terminal_restore_flags(fds[0], &flags);
	assert_false(fcntl(fds[0], F_GETFL) & O_NONBLOCK);
	assert_int_equal(flags, -1);
	/* once only: a second restore leaves later changes alone */
	(void)fcntl(fds[0], F_SETFL, O_NONBLOCK);
	terminal_restore_flags(fds[0], &flags);
	assert_true(fcntl(fds[0], F_GETFL) & O_NONBLOCK);
	assert_int_equal(terminal_set_nonblocking(-1), -1);
	close(fds[0]);
	close(fds[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_and_restore),
		cmocka_unit_test(test_not_a_tty),
		cmocka_unit_test(test_nonblocking_and_back),
		cmocka_unit_test(test_ensure_cooked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
