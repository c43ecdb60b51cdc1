/* Unit tests for lib/fd_write.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <unistd.h>

#include <cmocka.h>

#include "fd_write.h"

static void
test_whole_buffer(void **state)
{
	char buf[16];
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(fd_write_all(fds[1], "hello\0world", 11), 0);
	assert_int_equal(fd_write_all(fds[1], "", 0), 0);
	assert_int_equal(close(fds[1]), 0);
	assert_int_equal(read(fds[0], buf, sizeof(buf)), 11);
	assert_memory_equal(buf, "hello\0world", 11);
	assert_int_equal(close(fds[0]), 0);
}

static void
test_error(void **state)
{
	(void)state;
	errno = 0;
	assert_int_equal(fd_write_all(-1, "x", 1), -1);
	assert_int_equal(errno, EBADF);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_buffer),
		cmocka_unit_test(test_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
