/* Unit tests for console-helper/console_log.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "console_log.h"
#include "tempfiles.h"

static char dir[256];

static int
setup(void **state)
{
	(void)state;
	return tempfiles_make_dir("test_console_log", dir, sizeof(dir));
}

static int
teardown(void **state)
{
	(void)state;
	return tempfiles_remove_dir(dir);
}

/* Returns the contents of dir/name (static storage, "" if missing). */
static const char *
contents(const char *name)
{
	static char buf[8192];
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf[0] = '\0';
	if ((f = fopen(path, "r")) == NULL)
		return buf;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
test_output_and_events_on_their_own_lines(void **state)
{
	struct console_log lg;
	struct stat st;
	char path[512];

	(void)state;
	assert_int_equal(console_log_open(&lg, dir, "web-1", NULL, 4096), 0);
	console_log_event(&lg, 0, "alice (u-42) attached write");
	console_log_output(&lg, "login: ", 7);
	console_log_event(&lg, 86400, "alice (u-42) detached write");
	console_log_close(&lg);
	assert_string_equal(contents("web-1.log"),
	    "[1970-01-01 00:00:00 UTC] alice (u-42) attached write\n"
	    "login: \n"
	    "[1970-01-02 00:00:00 UTC] alice (u-42) detached write\n");
	snprintf(path, sizeof(path), "%s/web-1.log", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static void
test_rotates_to_one_old_file(void **state)
{
	struct console_log lg;
	char line[100];
	int i;

	(void)state;
	memset(line, 'a', sizeof(line));
	line[99] = '\n';
	assert_int_equal(console_log_open(&lg, dir, "r", NULL, 250), 0);
	for (i = 0; i < 5; i++) {
		line[0] = (char)('0' + i);
		console_log_output(&lg, line, sizeof(line));
	}
	console_log_close(&lg);
	/* 2 lines per file: 0 1 | 2 3 | 4; only the newest old file stays */
	assert_int_equal(strlen(contents("r.log")), 100);
	assert_int_equal(contents("r.log")[0], '4');
	assert_int_equal(strlen(contents("r.log.1")), 200);
	assert_int_equal(contents("r.log.1")[0], '2');
}

static void
test_odd_names_are_escaped_and_no_dir_means_no_log(void **state)
{
	struct console_log lg;

	(void)state;
	assert_int_equal(console_log_open(&lg, dir, "../x/y", NULL, 4096), 0);
	console_log_output(&lg, "z\n", 2);
	console_log_close(&lg);
	assert_string_equal(contents("%2E.%2Fx%2Fy.log"), "z\n");
	/* a named device has a log of its own, which no vmid can name */
	assert_int_equal(console_log_open(&lg, dir, "a", "console1", 4096),
	    0);
	console_log_output(&lg, "v\n", 2);
	console_log_close(&lg);
	assert_string_equal(contents("a+console1.log"), "v\n");
	assert_int_equal(console_log_open(&lg, dir, "a+console1", "", 4096),
	    0);
	console_log_output(&lg, "w\n", 2);
	console_log_close(&lg);
	assert_string_equal(contents("a%2Bconsole1.log"), "w\n");
	assert_string_equal(contents("a+console1.log"), "v\n");
	assert_int_equal(console_log_open(&lg, NULL, "web", NULL, 4096), 0);
	assert_int_equal(lg.fd, -1);
	console_log_output(&lg, "ignored", 7);
	console_log_close(&lg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_output_and_events_on_their_own_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotates_to_one_old_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_odd_names_are_escaped_and_no_dir_means_no_log, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
