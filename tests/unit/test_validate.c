/* Unit tests for lib/validate.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "validate.h"

#define ED25519_BLOB \
	"AAAAC3NzaC1lZDI1NTE5AAAAIPya8IKGURXWudGgSi6WDGO1OTPFFvFp" \
	"8muqpPlYM78N"
#define RSA_BLOB \
	"AAAAB3NzaC1yc2EAAAADAQABAAAAQQABAgMEBQYHCAkKCwwNDg8QERIT" \
	"FBUWFxgZGhscHR4fICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9" \
	"Pj9A"
#define ECDSA_BLOB \
	"AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBAAA" \
	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
	"AAAAAAAAAAAAAAAAAAAAAAAAAAA="

static void
test_entity(void **state)
{
	const char *why = NULL;
	char long_id[VALIDATE_ENTITY_MAX + 2];

	(void)state;
	assert_true(validate_entity("u-42", NULL));
	assert_true(validate_entity("alice.smith+ops@example_1", NULL));
	assert_false(validate_entity("", &why));
	assert_string_equal(why, "empty");
	assert_false(validate_entity("a b", NULL));
	assert_false(validate_entity("a\"b", NULL));
	assert_false(validate_entity("a,b", NULL));
	assert_false(validate_entity("a\nb", NULL));
	assert_false(validate_entity("a\\b", NULL));
	assert_false(validate_entity("\xc3\xa9", NULL));
	memset(long_id, 'a', sizeof(long_id));
	long_id[VALIDATE_ENTITY_MAX] = '\0';
	assert_true(validate_entity(long_id, NULL));
	long_id[VALIDATE_ENTITY_MAX] = 'a';
	long_id[VALIDATE_ENTITY_MAX + 1] = '\0';
	assert_false(validate_entity(long_id, NULL));
}

static void
test_key_type(void **state)
{
	(void)state;
	assert_true(validate_key_type("ssh-ed25519", NULL));
	assert_true(validate_key_type("ssh-rsa", NULL));
	assert_true(validate_key_type("ecdsa-sha2-nistp521", NULL));
	assert_true(validate_key_type("sk-ssh-ed25519@openssh.com", NULL));
	assert_true(validate_key_type("ssh-ed25519-cert-v01@openssh.com",
	    NULL));
	assert_false(validate_key_type("rsa-sha2-256", NULL));
	assert_false(validate_key_type("ssh-dss", NULL));
	assert_false(validate_key_type("", NULL));
	assert_false(validate_key_type("ssh-ed25519 ", NULL));
	assert_false(validate_key_type("restrict ssh-ed25519", NULL));
}

static void
test_key_blob(void **state)
{
	const char *why = NULL;

	(void)state;
	assert_true(validate_key_blob("ssh-ed25519", ED25519_BLOB, NULL));
	assert_true(validate_key_blob("ssh-rsa", RSA_BLOB, NULL));
	assert_true(validate_key_blob("ecdsa-sha2-nistp256", ECDSA_BLOB,
	    NULL));
	/* a blob of one type claimed as another */
	assert_false(validate_key_blob("ssh-rsa", ED25519_BLOB, &why));
	assert_string_equal(why,
	    "key blob does not hold a key of the stated type");
	/* only the framed type string, no key material */
	assert_false(validate_key_blob("ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5",
	    NULL));
	/* a longer type string with the claimed one as prefix */
	assert_false(validate_key_blob("ssh-ed25519",
	    "AAAADHNzaC1lZDI1NTE5eAAAAAA=", NULL));
	assert_false(validate_key_blob("ssh-ed25519", "", NULL));
	/* not base64, bad length, bad padding, non-canonical bits */
	assert_false(validate_key_blob("ssh-ed25519",
	    "AAAAC3NzaC1lZDI1NTE5AAAAIPya8IKGURXWudGgSi6WDGO1OTPFFvFp"
	    "8muqpPlYM78", NULL));
	assert_false(validate_key_blob("ssh-ed25519",
	    "AAAAC3NzaC1lZDI1NTE5AAAAIPya8IKGURXWudGgSi6WDGO1OTPFFvFp"
	    "8muqpPlYM7\"N", NULL));
	assert_false(validate_key_blob("ssh-ed25519",
	    "AAAAC3NzaC1lZDI1NTE5AAAAIPya8IKGURXWudGgSi6WDGO1OTPFFvFp"
	    "8muqpPl YM78N", NULL));
	assert_false(validate_key_blob("ssh-ed25519", "AAA=AAAA", NULL));
	assert_false(validate_key_blob("ssh-ed25519", "A=AA", NULL));
	assert_false(validate_key_blob("ssh-ed25519", "====", NULL));
	assert_false(validate_key_blob("ecdsa-sha2-nistp256",
	    "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAB=",
	    NULL));
	/* a huge length prefix must not be trusted */
	assert_false(validate_key_blob("ssh-ed25519", "/////3NzaC1lZDI1NTE5",
	    NULL));
}

static void
test_from(void **state)
{
	const char *why = NULL;
	char big[VALIDATE_FROM_MAX + 2];

	(void)state;
	assert_true(validate_from("192.0.2.0/24,2001:db8::/32", NULL));
	assert_true(validate_from("*.example.com,!bad.example.com", NULL));
	assert_true(validate_from("10.0.0.?", NULL));
	assert_false(validate_from("", NULL));
	assert_false(validate_from("a,,b", &why));
	assert_string_equal(why, "empty pattern");
	assert_false(validate_from("a,", NULL));
	assert_false(validate_from(",a", NULL));
	assert_false(validate_from("!", NULL));
	assert_false(validate_from("a,!", NULL));
	assert_false(validate_from("a!b", NULL));
	assert_false(validate_from("!!a", NULL));
	assert_false(validate_from("a\"", NULL));
	assert_false(validate_from("a b", NULL));
	assert_false(validate_from("a\n", NULL));
	assert_false(validate_from("a\\", NULL));
	memset(big, 'a', sizeof(big));
	big[VALIDATE_FROM_MAX] = '\0';
	assert_true(validate_from(big, NULL));
	big[VALIDATE_FROM_MAX] = 'a';
	big[VALIDATE_FROM_MAX + 1] = '\0';
	assert_false(validate_from(big, NULL));
}

static void
test_expiry(void **state)
{
	char out[VALIDATE_EXPIRY_LEN];
	const char *why = NULL;

	(void)state;
	assert_true(validate_expiry("2027-01-31T00:00:00Z", out, NULL));
	assert_string_equal(out, "20270131000000Z");
	assert_true(validate_expiry("2028-02-29T23:59:59+00:00", out, NULL));
	assert_string_equal(out, "20280229235959Z");
	assert_false(validate_expiry("2027-02-29T00:00:00Z", out, &why));
	assert_string_equal(why, "no such date or time");
	assert_false(validate_expiry("2100-02-29T00:00:00Z", out, NULL));
	assert_true(validate_expiry("2000-02-29T00:00:00Z", out, NULL));
	assert_false(validate_expiry("2027-01-31T00:00:00+01:00", out, &why));
	assert_string_equal(why, "only UTC times (Z or +00:00) are accepted");
	assert_false(validate_expiry("2027-01-31T00:00:00", out, NULL));
	assert_false(validate_expiry("2027-01-31 00:00:00Z", out, NULL));
	assert_false(validate_expiry("2027-01-31T24:00:00Z", out, NULL));
	assert_false(validate_expiry("2027-13-01T00:00:00Z", out, NULL));
	assert_false(validate_expiry("2027-00-01T00:00:00Z", out, NULL));
	assert_false(validate_expiry("2027-01-00T00:00:00Z", out, NULL));
	assert_false(validate_expiry("2027-01-31T00:60:00Z", out, NULL));
	assert_false(validate_expiry("2027-01-31T00:00:60Z", out, NULL));
	assert_false(validate_expiry("2027-01-31T00:00:00.5Z", out, NULL));
	assert_false(validate_expiry("+027-01-31T00:00:00Z", out, NULL));
	assert_false(validate_expiry("1969-12-31T23:59:59Z", out, NULL));
	assert_false(validate_expiry("2027-01-31T00:00:00Z\"", out, NULL));
	assert_false(validate_expiry("", out, NULL));
	/* sshd's form, as stored and rendered */
	assert_true(validate_expiry_time("20310203040506Z"));
	assert_false(validate_expiry_time("2031020304050Z"));
	assert_false(validate_expiry_time("20310203040506"));
	assert_false(validate_expiry_time("2031020304050xZ"));
	assert_false(validate_expiry_time(""));
}

static void
test_host(void **state)
{
	char label[70], name[300];

	(void)state;
	assert_true(validate_host("hv1.example.com", NULL));
	assert_true(validate_host("localhost", NULL));
	assert_true(validate_host("192.0.2.1", NULL));
	assert_true(validate_host("2001:db8::1", NULL));
	assert_true(validate_host("::1", NULL));
	assert_true(validate_host("1a.example", NULL));
	assert_false(validate_host("", NULL));
	assert_false(validate_host("-hv1", NULL));
	assert_false(validate_host("hv1-.example", NULL));
	assert_false(validate_host("hv1..example", NULL));
	assert_false(validate_host("hv1.example.", NULL));
	assert_false(validate_host(".example", NULL));
	assert_false(validate_host("hv_1", NULL));
	assert_false(validate_host("hv1 ", NULL));
	assert_false(validate_host("hv1/x", NULL));
	assert_false(validate_host("hv1@x", NULL));
	assert_false(validate_host("[::1]", NULL));
	assert_false(validate_host("10.1", NULL));
	assert_false(validate_host("192.0.2.256", NULL));
	assert_false(validate_host("h\xc3\xa9", NULL));
	memset(label, 'a', sizeof(label));
	label[63] = '\0';
	assert_true(validate_host(label, NULL));
	label[63] = 'a';
	label[64] = '\0';
	assert_false(validate_host(label, NULL));
	/* 4 labels of 63 and 3 dots: 255 > 253 */
	label[63] = '\0';
	snprintf(name, sizeof(name), "%s.%s.%s.%s", label, label, label,
	    label);
	assert_false(validate_host(name, NULL));
}

static void
test_vmid_and_name(void **state)
{
	char big[VALIDATE_VM_MAX + 2];

	(void)state;
	assert_true(validate_vmid("5b8f1c2e-0d6a-4f4e-9c1e-1234567890ab",
	    NULL));
	assert_false(validate_vmid("", NULL));
	assert_false(validate_vmid("a b", NULL));
	assert_false(validate_vmid("a\tb", NULL));
	assert_false(validate_vmid("a\x7f", NULL));
	assert_false(validate_vmid("\xc3\xa9", NULL));
	assert_true(validate_vm_name("web01", NULL));
	assert_true(validate_vm_name("caf\xc3\xa9 \x1b[31m", NULL));
	assert_false(validate_vm_name("", NULL));
	assert_false(validate_vm_name("bad\xff", NULL));
	assert_false(validate_vm_name("\xc0\xaf", NULL));
	assert_false(validate_vm_name("\xed\xa0\x80", NULL));
	memset(big, 'v', sizeof(big));
	big[VALIDATE_VM_MAX] = '\0';
	assert_true(validate_vm_name(big, NULL));
	assert_true(validate_vmid(big, NULL));
	big[VALIDATE_VM_MAX] = 'v';
	big[VALIDATE_VM_MAX + 1] = '\0';
	assert_false(validate_vm_name(big, NULL));
	assert_false(validate_vmid(big, NULL));
}

static void
test_console_name(void **state)
{
	(void)state;
	assert_true(validate_console_name("serial0", NULL));
	assert_true(validate_console_name("ua-console.1_x", NULL));
	assert_false(validate_console_name("", NULL));
	assert_false(validate_console_name("serial 0", NULL));
	assert_false(validate_console_name("a/b", NULL));
	assert_false(validate_console_name(
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    NULL));
}

static void
test_fingerprint(void **state)
{
	(void)state;
	assert_true(validate_fingerprint(
	    "SHA256:qSfzhJJrdeCsTqB2INhrMNbqK1rxOo/kQY0qzKqSGS0", NULL));
	assert_true(validate_fingerprint(
	    "MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48", NULL));
	assert_false(validate_fingerprint("", NULL));
	assert_false(validate_fingerprint("SHA256:a b", NULL));
	assert_false(validate_fingerprint("SHA256:a\"", NULL));
	assert_false(validate_fingerprint("SHA256:a\n", NULL));
}

static void
test_utf8(void **state)
{
	(void)state;
	assert_true(validate_utf8("abc", 3));
	assert_true(validate_utf8("\xf0\x9f\x98\x80", 4));
	assert_false(validate_utf8("a\0b", 3));
	assert_false(validate_utf8("\xf0\x9f\x98", 3));
	assert_false(validate_utf8("\xf4\x90\x80\x80", 4));
	assert_false(validate_utf8("\xe0\x80\x80", 3));
	assert_false(validate_utf8("\x80", 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entity),
		cmocka_unit_test(test_key_type),
		cmocka_unit_test(test_key_blob),
		cmocka_unit_test(test_from),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_vmid_and_name),
		cmocka_unit_test(test_console_name),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
