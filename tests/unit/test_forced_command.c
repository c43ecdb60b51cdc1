/*
 * Unit tests for lib/forced_command.c: what authkeys writes is what the
 * login shell accepts, and nothing else is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "forced_command.h"

#define HELPER "/usr/libexec/vmconsole-proxy/vmconsole-console-helper"
#define CONF "/etc/vmconsole-proxy/vmconsole.conf"
#define PLAIN HELPER " -c " CONF " --entity-id=u-42 --entity=alice"

static void
test_round_trip(void **state)
{
	struct forced_command fc;
	const char *why = NULL;
	char *cmd;

	(void)state;
	cmd = forced_command_format(HELPER, CONF, "u-42", "alice", NULL, NULL);
	assert_non_null(cmd);
	assert_string_equal(cmd, PLAIN);
	assert_int_equal(forced_command_parse(cmd, HELPER, &fc, &why), 0);
	assert_string_equal(fc.argv[0], HELPER);
	assert_string_equal(fc.argv[1], "-c");
	assert_string_equal(fc.config_path, CONF);
	assert_string_equal(fc.entity_id, "u-42");
	assert_string_equal(fc.entity, "alice");
	assert_null(fc.cert_serial);
	assert_null(fc.argv[5]);
	forced_command_free(&fc);
	free(cmd);

	cmd = forced_command_format(HELPER, CONF, "u-42", "alice", "77",
	    "Alice%20Smith");
	assert_non_null(cmd);
	assert_string_equal(cmd, PLAIN
	    " --cert-serial=77 --cert-key-id=Alice%20Smith");
	assert_int_equal(forced_command_parse(cmd, HELPER, &fc, &why), 0);
	assert_string_equal(fc.cert_serial, "77");
	assert_string_equal(fc.cert_key_id, "Alice%20Smith");
	assert_null(fc.argv[7]);
	forced_command_free(&fc);
	free(cmd);

	/* an empty key id is left out */
	cmd = forced_command_format(HELPER, CONF, "u-42", "alice", "0", "");
	assert_string_equal(cmd, PLAIN " --cert-serial=0");
	assert_int_equal(forced_command_parse(cmd, HELPER, &fc, &why), 0);
	assert_null(fc.cert_key_id);
	forced_command_free(&fc);
	free(cmd);
}

/* Commands the login shell must refuse. */
static void
test_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"id",
		"/bin/sh",
		"/bin/sh -c id",
		PLAIN "; id",
		PLAIN " ; id",
		PLAIN "\nid",
		PLAIN " -v",
		PLAIN " --entity=bob",
		PLAIN "  ",
		PLAIN " ",
		" " PLAIN,
		HELPER "  -c " CONF " --entity-id=u-42 --entity=alice",
		HELPER " -c " CONF " --entity=alice --entity-id=u-42",
		HELPER " -c relative.conf --entity-id=u-42 --entity=alice",
		HELPER " -c " CONF " --entity-id=u-42 --entity=al$(id)",
		HELPER " -c " CONF " --entity-id=`id` --entity=alice",
		HELPER " -c " CONF " --entity-id=u\"42 --entity=alice",
		HELPER " -c " CONF " --entity-id= --entity=alice",
		HELPER " -c /etc/x;id --entity-id=u-42 --entity=alice",
		HELPER "x -c " CONF " --entity-id=u-42 --entity=alice",
		"/tmp/vmconsole-console-helper -c " CONF
		    " --entity-id=u-42 --entity=alice",
		PLAIN " --cert-key-id=alice",
		PLAIN " --cert-serial=x1",
		PLAIN " --cert-serial=18446744073709551616",
		PLAIN " --cert-serial=1 --cert-key-id=a'b",
		PLAIN " --cert-serial=1 --cert-key-id=a/b",
		PLAIN " --cert-serial=1 --cert-key-id=",
		PLAIN " --cert-serial=1 --cert-key-id=a extra",
		PLAIN " --cert-serial=1 --cert-serial=2",
	};
	struct forced_command fc;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (forced_command_parse(bad[i], HELPER, &fc, &why) == 0)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_non_null(why);
		assert_null(fc.buf);
	}
	assert_int_equal(forced_command_parse(NULL, HELPER, &fc, &why), -1);
}

static void
test_key_id_encoding(void **state)
{
	char out[FORCED_COMMAND_KEY_ID_ENC_MAX + 1];
	char long_id[FORCED_COMMAND_KEY_ID_MAX + 50];

	(void)state;
	forced_command_encode_key_id("alice", 5, out);
	assert_string_equal(out, "alice");
	forced_command_encode_key_id("Alice Smith\"', %", 16, out);
	assert_string_equal(out, "Alice%20Smith%22%27%2C%20%25");
	assert_true(forced_command_valid_key_id(out));
	forced_command_encode_key_id("\xff\n", 2, out);
	assert_string_equal(out, "%FF%0A");
	memset(long_id, 0x01, sizeof(long_id));
	forced_command_encode_key_id(long_id, sizeof(long_id), out);
	assert_int_equal(strlen(out), FORCED_COMMAND_KEY_ID_ENC_MAX);
	assert_true(forced_command_valid_key_id(out));
	forced_command_encode_key_id("", 0, out);
	assert_string_equal(out, "");
	assert_false(forced_command_valid_key_id(""));
}

static void
test_serial(void **state)
{
	(void)state;
	assert_true(forced_command_valid_serial("0"));
	assert_true(forced_command_valid_serial("18446744073709551615"));
	assert_false(forced_command_valid_serial("18446744073709551616"));
	assert_false(forced_command_valid_serial("99999999999999999999"));
	assert_false(forced_command_valid_serial("123456789012345678901"));
	assert_false(forced_command_valid_serial(""));
	assert_false(forced_command_valid_serial("-1"));
	assert_false(forced_command_valid_serial("1 "));
}

static void
test_format_refuses_bad_values(void **state)
{
	(void)state;
	assert_null(forced_command_format(HELPER, CONF, "u 42", "a", NULL,
	    NULL));
	assert_null(forced_command_format(HELPER, CONF, "u", "a\"", NULL,
	    NULL));
	assert_null(forced_command_format("relative", CONF, "u", "a", NULL,
	    NULL));
	assert_null(forced_command_format(HELPER, "/etc/a b", "u", "a", NULL,
	    NULL));
	assert_null(forced_command_format(HELPER, CONF, "u", "a", NULL,
	    "keyid"));
	assert_null(forced_command_format(HELPER, CONF, "u", "a", "1",
	    "key id"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_key_id_encoding),
		cmocka_unit_test(test_serial),
		cmocka_unit_test(test_format_refuses_bad_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
