/* Unit tests for console-helper/libvirt_loader.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "libvirt_loader.h"

/* Nothing is loaded until a libvirt function is called; then it works. */
static void
test_loaded_on_first_call(void **state)
{
	virConnectPtr conn;

	(void)state;
	assert_false(libvirt_loader_loaded());
	assert_int_equal(virEventRegisterDefaultImpl(), 0);
	assert_true(libvirt_loader_loaded());
	assert_non_null(conn = virConnectOpenAuth("test:///default", NULL, 0));
	assert_int_equal(virConnectIsAlive(conn), 1);
	assert_null(virDomainLookupByName(conn, "no-such-domain"));
	assert_non_null(virGetLastErrorMessage());
	assert_int_equal(virConnectClose(conn), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loaded_on_first_call),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
