/*
 * Unit tests for console-helper/connect_error.c, with the messages
 * libvirt 9.0 gives for each failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "connect_error.h"

static char out[512];

static const char *
explain(const char *message)
{
	connect_error_explain("hv1", message, out, sizeof(out));
	return out;
}

static void
test_certificate_refused_by_host(void **state)
{
	(void)state;
	assert_string_equal(explain(
	    "Unable to read TLS confirmation: Input/output error"),
	    "hv1 refused this proxy's certificate (is its DN in the host's "
	    "tls_allowed_dn_list?)");
	assert_non_null(strstr(explain("server verification (of our "
	    "certificate or IP address) failed"),
	    "hv1 refused this proxy's certificate"));
}

static void
test_own_certificate_dates(void **state)
{
	(void)state;
	assert_string_equal(explain("The client certificate "
	    "/etc/pki/libvirt/clientcert.pem has expired"),
	    "this proxy's client certificate for hv1 has expired");
	assert_string_equal(explain("The client certificate "
	    "/etc/pki/libvirt/clientcert.pem is not yet active"),
	    "this proxy's client certificate for hv1 is not valid yet");
}

static void
test_host_certificate_not_trusted(void **state)
{
	(void)state;
	assert_string_equal(explain("authentication failed: Failed to verify "
	    "peer's certificate"), "authentication failed: Failed to verify "
	    "peer's certificate");
	assert_string_equal(explain("Unable to verify TLS peer: The peer did "
	    "not send any certificates."),
	    "the TLS certificate of hv1 is not signed by the CA this proxy "
	    "trusts");
	assert_string_equal(explain("The certificate hasn't got a known "
	    "issuer"), "the TLS certificate of hv1 is not signed by the CA "
	    "this proxy trusts");
	assert_string_equal(explain("Certificate [session] owner does not "
	    "match the hostname hv1"),
	    "the TLS certificate of hv1 is not issued for that name");
	assert_string_equal(explain("The server certificate "
	    "/etc/pki/CA/x.pem has expired"),
	    "the TLS certificate of hv1 has expired");
}

static void
test_missing_credentials(void **state)
{
	(void)state;
	assert_string_equal(explain("Cannot access CA certificate "
	    "'/etc/pki/CA/cacert.pem': No such file or directory"),
	    "this proxy's TLS credentials for hv1 cannot be read: Cannot "
	    "access CA certificate '/etc/pki/CA/cacert.pem': No such file "
	    "or directory");
}

static void
test_other_errors_unchanged(void **state)
{
	(void)state;
	assert_string_equal(explain("unable to connect to server at "
	    "'hv1:16514': Connection refused"), "unable to connect to server "
	    "at 'hv1:16514': Connection refused");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_certificate_refused_by_host),
		cmocka_unit_test(test_own_certificate_dates),
		cmocka_unit_test(test_host_certificate_not_trusted),
		cmocka_unit_test(test_missing_credentials),
		cmocka_unit_test(test_other_errors_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
