/*
 * Unit tests for lib/log.c: levels, escaping, and log lines copied to a
 * stderr that is non-blocking and full when they are written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

/*
 * Points stderr at a non-blocking pipe filled to the brim, logs lines,
 * while a child drains the pipe only after a pause. Returns everything the
 * child read, newly allocated.
 */
static char *
log_into_full_pipe(int nlines)
{
	static char out[1 << 20];
	int fds[2], saved, i, status;
	size_t got = 0;
	ssize_t n;
	char fill[4096];
	pid_t pid;
	FILE *f;

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
	memset(fill, 'f', sizeof(fill));
	while (write(fds[1], fill, sizeof(fill)) > 0)
		;
	assert_int_equal(errno, EAGAIN);
	assert_true((f = tmpfile()) != NULL);
	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		close(fds[1]);
		usleep(200 * 1000);
		while ((n = read(fds[0], out, sizeof(out))) > 0)
			if (fwrite(out, 1, (size_t)n, f) != (size_t)n)
				_exit(1);
		_exit(fflush(f) == 0 ? 0 : 1);
	}
	close(fds[0]);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fds[1], STDERR_FILENO);
	close(fds[1]);
	log_open("test_log", true);
	log_set_level(LOG_LEVEL_DEBUG);
	for (i = 0; i < nlines; i++)
		log_info("line %d of the log \x1b[2J", i);
	log_set_stderr(false);
	dup2(saved, STDERR_FILENO);
	close(saved);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	rewind(f);
	got = fread(out, 1, sizeof(out) - 1, f);
	out[got] = '\0';
	fclose(f);
	return out;
}

static void
test_lines_wait_for_a_full_stderr(void **state)
{
	char want[64], *out, *p;
	int i;

	(void)state;
	out = log_into_full_pipe(200);
	/* past the filler, every line whole and in order */
	p = out + strspn(out, "f");
	for (i = 0; i < 200; i++) {
		snprintf(want, sizeof(want),
		    "test_log: line %d of the log \\x1b[2J\n", i);
		if (strncmp(p, want, strlen(want)) != 0)
			fail_msg("line %d missing or cut: \"%.60s\"", i, p);
		p += strlen(want);
	}
	assert_string_equal(p, "");
}

static void
test_levels(void **state)
{
	enum log_level l;

	(void)state;
	assert_int_equal(log_level_parse("DEBUG", &l), 0);
	assert_int_equal(l, LOG_LEVEL_DEBUG);
	assert_int_equal(log_level_parse("warning", &l), 0);
	assert_int_equal(l, LOG_LEVEL_WARNING);
	assert_int_equal(log_level_parse("loud", &l), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_wait_for_a_full_stderr),
		cmocka_unit_test(test_levels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
