/* Unit tests for console-helper/libvirt_uri.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "libvirt_uri.h"

/* Expands tmpl for host and compares with want (NULL: must fail). */
static void
check(const char *tmpl, const char *host, const char *want)
{
	char *got = libvirt_uri_expand(tmpl, host);

	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_host_names(void **state)
{
	(void)state;
	check("qemu+tls://{host}/system", "hv1.example.com",
	    "qemu+tls://hv1.example.com/system");
	check("qemu+tls://{host}/system?pkipath=/etc/x", "hv1",
	    "qemu+tls://hv1/system?pkipath=/etc/x");
	check("qemu+ssh://root@{host}/system?x={host}", "hv2",
	    "qemu+ssh://root@hv2/system?x=hv2");
}

static void
test_addresses(void **state)
{
	(void)state;
	check("qemu+tls://{host}/system", "192.0.2.7",
	    "qemu+tls://192.0.2.7/system");
	check("qemu+tls://{host}/system", "2001:db8::1",
	    "qemu+tls://[2001:db8::1]/system");
	check("qemu+tls://{host}:16514/system", "::1",
	    "qemu+tls://[::1]:16514/system");
}

static void
test_template_without_host(void **state)
{
	(void)state;
	check("qemu:///session", "hv1", "qemu:///session");
	check("qemu:///system", "::1", "qemu:///system");
	check("test:///{hos}t", "hv1", "test:///{hos}t");
}

static void
test_bad_hosts(void **state)
{
	(void)state;
	check("qemu+tls://{host}/system", "", NULL);
	check("qemu+tls://{host}/system", "hv1/../x", NULL);
	check("qemu+tls://{host}/system", "hv1?x=1", NULL);
	check("qemu+tls://{host}/system", "a b", NULL);
	check("qemu+tls://{host}/system", "user@hv1", NULL);
	check("qemu+tls://{host}/system", "[::1]", NULL);
	check("qemu+tls://{host}/system", "hv1\n", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_names),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_template_without_host),
		cmocka_unit_test(test_bad_hosts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
