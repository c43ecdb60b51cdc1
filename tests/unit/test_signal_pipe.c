/* Unit tests for console-helper/signal_pipe.c. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "signal_pipe.h"

typedef void (*signal_handler)(int);

/* Returns the handler currently installed for sig. */
static signal_handler
current_handler(int sig)
{
	struct sigaction sa;

	assert_int_equal(sigaction(sig, NULL, &sa), 0);
	return sa.sa_handler;
}

static void
test_signals_arrive_in_order(void **state)
{
	struct signal_pipe_saved saved;
	int fd;

	(void)state;
	memset(&saved, 0, sizeof(saved));
	fd = signal_pipe_open();
	assert_true(fd >= 0);
	/* one pipe per process: opening again hands out the same one */
	assert_int_equal(signal_pipe_open(), fd);
	assert_int_equal(signal_pipe_next(fd), 0);
	assert_int_equal(signal_pipe_install(&saved), 0);
	assert_int_equal(raise(SIGTERM), 0);
	assert_int_equal(raise(SIGHUP), 0);
	assert_int_equal(raise(SIGPIPE), 0);
	assert_int_equal(signal_pipe_next(fd), SIGTERM);
	assert_int_equal(signal_pipe_next(fd), SIGHUP);
	assert_int_equal(signal_pipe_next(fd), SIGPIPE);
	assert_int_equal(signal_pipe_next(fd), 0);
	signal_pipe_restore(&saved);
}

static void
test_restore_puts_back_dispositions(void **state)
{
	struct signal_pipe_saved saved;
	struct sigaction quit_before, term_before;

	(void)state;
	memset(&saved, 0, sizeof(saved));
	/* whatever the test inherited, start from a known state */
	assert_int_equal(sigaction(SIGQUIT, NULL, &quit_before), 0);
	assert_int_equal(sigaction(SIGTERM, NULL, &term_before), 0);
	assert_ptr_not_equal(signal(SIGQUIT, SIG_IGN), SIG_ERR);
	assert_ptr_not_equal(signal(SIGTERM, SIG_DFL), SIG_ERR);
	assert_int_equal(signal_pipe_open() >= 0, 1);
	assert_int_equal(signal_pipe_install(&saved), 0);
	assert_ptr_not_equal(current_handler(SIGQUIT), SIG_IGN);
	assert_ptr_not_equal(current_handler(SIGTERM), SIG_DFL);
	signal_pipe_restore(&saved);
	assert_ptr_equal(current_handler(SIGQUIT), SIG_IGN);
	assert_ptr_equal(current_handler(SIGTERM), SIG_DFL);
	/* a second restore changes nothing */
	signal_pipe_restore(&saved);
	assert_ptr_equal(current_handler(SIGQUIT), SIG_IGN);
	assert_int_equal(sigaction(SIGQUIT, &quit_before, NULL), 0);
	assert_int_equal(sigaction(SIGTERM, &term_before, NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signals_arrive_in_order),
		cmocka_unit_test(test_restore_puts_back_dispositions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
