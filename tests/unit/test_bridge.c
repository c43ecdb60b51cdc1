/*
 * Unit tests for console-helper/bridge.c that need no hypervisor: a bridge
 * whose console cannot be opened (libvirt's test driver has none). Live
 * bridging is covered by the end-to-end tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bridge.h"

static void
test_open_failure_is_reported(void **state)
{
	struct vmconsole_config cfg;
	struct audit_context audit;
	struct console_entry e = { 0 };
	struct bridge_request req;
	struct bridge_result res;
	char vmid[] = "test", vm[] = "display name", host[] = "hv1";

	(void)state;
	config_init(&cfg);
	free(cfg.libvirt_uri);
	assert_non_null(cfg.libvirt_uri = strdup("test:///default"));
	cfg.libvirt_keepalive_interval = 0;
	audit_context_init(&audit, "u-1", "alice", NULL);
	e.vmid = vmid;
	e.vm = vm;
	e.host = host;
	memset(&req, 0, sizeof(req));
	req.cfg = &cfg;
	req.audit = &audit;
	req.entry = &e;
	req.in_fd = STDIN_FILENO;
	req.out_fd = STDOUT_FILENO;
	assert_int_equal(bridge_run(&req, &res), BRIDGE_CONNECT_FAILED);
	assert_int_equal(res.end, BRIDGE_CONNECT_FAILED);
	assert_non_null(strstr(res.error, "virDomainOpenConsole"));
	/* a vmid the host does not know is its own reason */
	e.vm = vmid;
	e.vmid = vm;
	assert_int_equal(bridge_run(&req, &res), BRIDGE_NO_SUCH_VM);
	assert_string_equal(res.error, "no such VM on hv1");
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_failure_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
