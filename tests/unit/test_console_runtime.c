/* Unit tests for console-helper/console_runtime.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "console_fixtures.h"
#include "console_runtime.h"
#include "tempfiles.h"

static char dir[256];

static int
setup(void **state)
{
	(void)state;
	return tempfiles_make_dir("test_console_runtime", dir, sizeof(dir));
}

static int
teardown(void **state)
{
	(void)state;
	return tempfiles_remove_dir(dir);
}

static void
test_dir_is_created_private_and_checked(void **state)
{
	char sub[512];
	struct stat st;

	(void)state;
	snprintf(sub, sizeof(sub), "%s/run", dir);
	assert_int_equal(console_runtime_dir_check(sub), 0);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* one that others may enter is refused */
	assert_int_equal(chmod(sub, 0755), 0);
	assert_int_equal(console_runtime_dir_check(sub), -1);
}

static void
test_paths_differ_by_host_and_vmid(void **state)
{
	struct console_paths a, b, c;
	char longdir[200];

	(void)state;
	assert_int_equal(console_runtime_paths("/r", "hv1", "vm", NULL, &a), 0);
	assert_int_equal(console_runtime_paths("/r", "hv2", "vm", NULL, &b), 0);
	assert_int_equal(console_runtime_paths("/r", "hv1", "../../etc", NULL, &c),
	    0);
	assert_string_not_equal(a.sock, b.sock);
	assert_int_equal(strncmp(c.sock, "/r/", 3), 0);
	assert_null(strchr(c.sock + 3, '/'));
	assert_int_equal(strlen(a.sock), strlen("/r/") + 16 + 5);
	/* too long for a unix socket name */
	memset(longdir, 'd', sizeof(longdir) - 1);
	longdir[0] = '/';
	longdir[sizeof(longdir) - 1] = '\0';
	assert_int_equal(console_runtime_paths(longdir, "h", "v", NULL, &a), -1);
}

static void
test_each_console_of_a_vm_has_its_own_paths(void **state)
{
	struct console_paths first, serial, virtio, again;

	(void)state;
	assert_int_equal(console_runtime_paths("/r", "hv1", "vm", NULL,
	    &first), 0);
	assert_int_equal(console_runtime_paths("/r", "hv1", "vm", "serial0",
	    &serial), 0);
	assert_int_equal(console_runtime_paths("/r", "hv1", "vm", "console1",
	    &virtio), 0);
	assert_int_equal(console_runtime_paths("/r", "hv1", "vm", "console1",
	    &again), 0);
	/* the serial and the virtio console of one VM never share a broker */
	assert_string_not_equal(serial.sock, virtio.sock);
	assert_string_not_equal(serial.lock, virtio.lock);
	assert_string_not_equal(serial.state, virtio.state);
	assert_string_not_equal(first.sock, virtio.sock);
	/* the same device always finds the same broker */
	assert_string_equal(virtio.sock, again.sock);
	assert_string_equal(virtio.state, again.state);
}

static void
test_state_of_a_live_broker_fills_the_list(void **state)
{
	struct console_list *list = calloc(1, sizeof(*list));
	struct console_paths p;
	struct console_state st;

	assert_non_null(list);
	*state = list;
	console_fixtures_add(list, "id-w", "web01", "hv1", NULL);
	console_fixtures_add(list, "id-d", "db01", "hv1", NULL);
	assert_int_equal(console_runtime_paths(dir, "hv1", "id-w", NULL, &p),
	    0);
	memset(&st, 0, sizeof(st));
	st.pid = getpid();
	st.watchers = 2;
	strcpy(st.writer, "alice");
	strcpy(st.vmid, "id-w");
	assert_int_equal(console_state_write(p.state, &st), 0);
	console_runtime_fill_usage(dir, list);
	assert_string_equal(list->entries[0].writer, "alice");
	assert_int_equal(list->entries[0].watchers, 2);
	assert_null(list->entries[1].writer);
	assert_int_equal(list->entries[1].watchers, 0);
	/* a state file whose broker is gone counts for nothing */
	st.pid = 0x7ffffff0;
	assert_int_equal(console_state_write(p.state, &st), 0);
	assert_false(console_state_read(p.state, &st));
	console_fixtures_teardown(state);
	teardown(NULL);
	setup(NULL);
	*state = NULL;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_dir_is_created_private_and_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_paths_differ_by_host_and_vmid, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_each_console_of_a_vm_has_its_own_paths, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_state_of_a_live_broker_fills_the_list, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
