/* Unit tests for console-helper/banner.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>

#include "banner.h"
#include "config.h"

/* Prints the banner of (vm, vmid, host) into a pipe; returns what came. */
static char *
banner_of(const char *vm, const char *vmid, const char *host, int esc)
{
	struct vmconsole_config cfg;
	struct console_entry e = { 0 };
	static char out[512];
	char vm_b[64], vmid_b[64], host_b[64];
	int fds[2];
	ssize_t n;

	config_init(&cfg);
	cfg.escape_char = esc;
	snprintf(vm_b, sizeof(vm_b), "%s", vm);
	snprintf(vmid_b, sizeof(vmid_b), "%s", vmid);
	snprintf(host_b, sizeof(host_b), "%s", host);
	e.vm = vm_b;
	e.vmid = vmid_b;
	e.host = host_b;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(banner_print(fds[1], &cfg, &e), 0);
	close(fds[1]);
	n = read(fds[0], out, sizeof(out) - 1);
	assert_true(n > 0);
	out[n] = '\0';
	close(fds[0]);
	config_free(&cfg);
	return out;
}

static void
test_banner_names_vm_id_host_and_escape(void **state)
{
	(void)state;
	assert_string_equal(banner_of("web01", "u-1", "hv1", 0x1d),
	    "Connected to web01 (u-1) on hv1. Escape character is ^]\r\n");
}

static void
test_banner_neutralises_names(void **state)
{
	char *s;

	(void)state;
	s = banner_of("evil\x1b[2J", "id", "hv1", 0x1d);
	assert_null(strchr(s, 0x1b));
	assert_non_null(strstr(s, "on hv1."));
}

static void
test_banner_to_a_closed_terminal_fails(void **state)
{
	struct vmconsole_config cfg;
	struct console_entry e = { 0 };
	char vm[] = "web01", vmid[] = "u-1", host[] = "hv1";
	int fds[2];

	(void)state;
	config_init(&cfg);
	e.vm = vm;
	e.vmid = vmid;
	e.host = host;
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(banner_print(fds[1], &cfg, &e), -1);
	signal(SIGPIPE, SIG_DFL);
	close(fds[1]);
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_banner_names_vm_id_host_and_escape),
		cmocka_unit_test(test_banner_neutralises_names),
		cmocka_unit_test(test_banner_to_a_closed_terminal_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
