/*
 * Unit tests for console-helper/vm_console.c against libvirt's test driver
 * (test:///default), which has domains but no consoles: opening fails
 * after connecting and finding the domain, and nothing reaches the
 * consumer. Live consoles are covered by the end-to-end tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "vm_console.h"

static int calls;

static void
count_output(void *opaque, const unsigned char *buf, size_t len)
{
	(void)opaque;
	(void)buf;
	(void)len;
	calls++;
}

static void
count_sendable(void *opaque)
{
	(void)opaque;
	calls++;
}

static void
count_ended(void *opaque, enum bridge_end why)
{
	(void)opaque;
	(void)why;
	calls++;
}

static void
test_open_failure_leaves_nothing(void **state)
{
	struct vmconsole_config cfg;
	struct console_entry e = { 0 };
	struct vm_console_consumer consumer = { count_output, count_sendable,
	    count_ended, NULL };
	struct vm_console *vc = (struct vm_console *)&cfg;
	char vmid[] = "test", vm[] = "test", host[] = "hv1", error[512];

	(void)state;
	config_init(&cfg);
	free(cfg.libvirt_uri);
	assert_non_null(cfg.libvirt_uri = strdup("test:///default"));
	cfg.libvirt_keepalive_interval = 0;
	e.vmid = vmid;
	e.vm = vm;
	e.host = host;
	calls = 0;
	assert_int_equal(vm_console_open(&cfg, &e, false, &consumer, &vc,
	    error, sizeof(error)), CONSOLE_OPEN_FAILED);
	assert_null(vc);
	assert_non_null(strstr(error, "virDomainOpenConsole"));
	assert_int_equal(calls, 0);
	config_free(&cfg);
}

static void
test_unreachable_uri_fails(void **state)
{
	struct vmconsole_config cfg;
	struct console_entry e = { 0 };
	struct vm_console_consumer consumer = { count_output, count_sendable,
	    count_ended, NULL };
	struct vm_console *vc = NULL;
	char vmid[] = "test", vm[] = "test", host[] = "hv1", error[512];

	(void)state;
	config_init(&cfg);
	free(cfg.libvirt_uri);
	/* a UNIX socket that does not exist: refused at once */
	assert_non_null(cfg.libvirt_uri = strdup(
	    "qemu+unix:///system?socket=/nonexistent/vmconsole-test-sock"));
	e.vmid = vmid;
	e.vm = vm;
	e.host = host;
	calls = 0;
	assert_int_equal(vm_console_open(&cfg, &e, false, &consumer, &vc,
	    error, sizeof(error)), CONSOLE_OPEN_FAILED);
	assert_null(vc);
	assert_true(strlen(error) > 0);
	assert_int_equal(calls, 0);
	config_free(&cfg);
}

static void
test_close_of_nothing(void **state)
{
	(void)state;
	vm_console_close(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_failure_leaves_nothing),
		cmocka_unit_test(test_unreachable_uri_fails),
		cmocka_unit_test(test_close_of_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
