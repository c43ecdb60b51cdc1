/*
 * Unit tests for console-helper/console_open.c, against libvirt's test
 * driver (test:///default): it has a domain "test" but no consoles, so
 * every open fails, after the steps before it succeeded.
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
#include "console_open.h"

/* UUID of the test driver's built-in domain "test". */
#define TEST_DOMAIN_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"

static int
setup_config(void **state)
{
	struct vmconsole_config *cfg = calloc(1, sizeof(*cfg));

	if (cfg == NULL)
		return -1;
	config_init(cfg);
	free(cfg->libvirt_uri);
	if ((cfg->libvirt_uri = strdup("test:///default")) == NULL)
		return -1;
	/* the test driver has no keepalive */
	cfg->libvirt_keepalive_interval = 0;
	*state = cfg;
	return 0;
}

static int
teardown_config(void **state)
{
	config_free(*state);
	free(*state);
	return 0;
}

/* Tries to open the console of (vmid, vm, host); returns the status. */
static enum console_open_status
try_open(const struct vmconsole_config *cfg, const char *vmid,
    const char *vm, const char *host, char *error, size_t errlen)
{
	struct console_entry e = { 0 };
	struct console_connection cc;
	char vmid_buf[64], vm_buf[64], host_buf[64];
	enum console_open_status st;

	snprintf(vmid_buf, sizeof(vmid_buf), "%s", vmid);
	snprintf(vm_buf, sizeof(vm_buf), "%s", vm);
	snprintf(host_buf, sizeof(host_buf), "%s", host);
	e.vmid = vmid_buf;
	e.vm = vm_buf;
	e.host = host_buf;
	st = console_open(cfg, &e, false, &cc, error, errlen);
	/* a failed open leaves nothing to release */
	assert_null(cc.conn);
	assert_null(cc.dom);
	assert_null(cc.stream);
	console_close(&cc);
	return st;
}

static void
test_domain_found_by_uuid(void **state)
{
	char error[512];

	assert_int_equal(try_open(*state, TEST_DOMAIN_UUID, "renamed", "hv1",
	    error, sizeof(error)), CONSOLE_OPEN_FAILED);
	/* it got as far as opening the console */
	assert_non_null(strstr(error, "virDomainOpenConsole"));
}

static void
test_domain_found_by_name(void **state)
{
	char error[512];

	/* a vmid that is not a UUID is the libvirt name */
	assert_int_equal(try_open(*state, "test", "display name", "hv1", error,
	    sizeof(error)), CONSOLE_OPEN_FAILED);
	assert_non_null(strstr(error, "virDomainOpenConsole"));
}

static void
test_display_name_never_used(void **state)
{
	char error[512];

	/* an unknown UUID does not fall back on the display name "test" */
	assert_int_equal(try_open(*state,
	    "6695eb01-f6a4-8304-79aa-000000000000", "test", "hv1", error,
	    sizeof(error)), CONSOLE_OPEN_NO_SUCH_VM);
	assert_string_equal(error, "no such VM on hv1");
	/* nor a vmid that is a name */
	assert_int_equal(try_open(*state, "not-a-domain", "test", "hv1",
	    error, sizeof(error)), CONSOLE_OPEN_NO_SUCH_VM);
	assert_string_equal(error, "no such VM on hv1");
}

static void
test_vmid_forms(void **state)
{
	(void)state;
	assert_true(console_vmid_is_uuid(TEST_DOMAIN_UUID));
	assert_true(console_vmid_is_uuid("6695eb01f6a4830479aa97f2502e193f"));
	assert_true(console_vmid_is_uuid(
	    "6695EB01-F6A4-8304-79AA-97F2502E193F"));
	assert_false(console_vmid_is_uuid("web01"));
	assert_false(console_vmid_is_uuid(""));
	/* hyphens in the wrong places, a non-hex digit, one digit short */
	assert_false(console_vmid_is_uuid(
	    "6695eb01f-6a4-8304-79aa-97f2502e193f"));
	assert_false(console_vmid_is_uuid(
	    "6695eb01-f6a4-8304-79aa-97f2502e193g"));
	assert_false(console_vmid_is_uuid("6695eb01f6a4830479aa97f2502e193"));
}

/*
 * A domain that is defined but shut off is told apart from other failures,
 * in words a user understands. The test driver's state is shared by the
 * connections of this process while one stays open.
 */
static void
test_shut_off_domain_is_not_running(void **state)
{
	static const char xml[] =
	    "<domain type='test'><name>stopped</name>"
	    "<uuid>6695eb01-f6a4-8304-79aa-0000000000aa</uuid>"
	    "<memory>8192</memory><os><type>hvm</type></os></domain>";
	virConnectPtr conn;
	virDomainPtr dom;
	char error[512];

	assert_non_null(conn = virConnectOpen("test:///default"));
	assert_non_null(dom = virDomainDefineXML(conn, xml));
	assert_int_equal(virDomainIsActive(dom), 0);
	assert_int_equal(try_open(*state,
	    "6695eb01-f6a4-8304-79aa-0000000000aa", "stopped", "hv1", error,
	    sizeof(error)), CONSOLE_OPEN_NOT_RUNNING);
	assert_string_equal(error, "the VM is not running");
	/* a running domain whose open fails is not reported as stopped */
	assert_int_equal(try_open(*state, TEST_DOMAIN_UUID, "test", "hv1",
	    error, sizeof(error)), CONSOLE_OPEN_FAILED);
	assert_int_equal(virDomainUndefine(dom), 0);
	virDomainFree(dom);
	virConnectClose(conn);
}

static void
test_invalid_host(void **state)
{
	char error[512];

	assert_int_equal(try_open(*state, TEST_DOMAIN_UUID, "test", "a/b",
	    error, sizeof(error)), CONSOLE_OPEN_FAILED);
	assert_string_equal(error, "invalid host or libvirt_uri");
}

static void
test_unreachable_uri(void **state)
{
	struct vmconsole_config *cfg = *state;
	char error[512];

	free(cfg->libvirt_uri);
	assert_non_null(cfg->libvirt_uri = strdup("nosuchdriver:///x"));
	assert_int_equal(try_open(cfg, TEST_DOMAIN_UUID, "test", "hv1",
	    error, sizeof(error)), CONSOLE_OPEN_FAILED);
	assert_true(error[0] != '\0');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_domain_found_by_uuid,
		    setup_config, teardown_config),
		cmocka_unit_test_setup_teardown(test_domain_found_by_name,
		    setup_config, teardown_config),
		cmocka_unit_test_setup_teardown(test_display_name_never_used,
		    setup_config, teardown_config),
		cmocka_unit_test_setup_teardown(
		    test_shut_off_domain_is_not_running, setup_config,
		    teardown_config),
		cmocka_unit_test(test_vmid_forms),
		cmocka_unit_test_setup_teardown(test_invalid_host,
		    setup_config, teardown_config),
		cmocka_unit_test_setup_teardown(test_unreachable_uri,
		    setup_config, teardown_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
