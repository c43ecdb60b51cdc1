/* Unit tests for console-helper/audit.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "audit.h"

/* Checks the client address audit keeps for an SSH_CONNECTION value. */
static void
check_from(const char *ssh_connection, const char *want)
{
	struct audit_context ctx;

	audit_context_init(&ctx, "u-42", "alice", ssh_connection);
	assert_string_equal(ctx.entity_id, "u-42");
	assert_string_equal(ctx.entity, "alice");
	assert_string_equal(ctx.from, want);
}

static void
test_remote_address(void **state)
{
	(void)state;
	check_from("192.0.2.10 50022 192.0.2.1 2222", "192.0.2.10");
	check_from("2001:db8::7 50022 2001:db8::1 2222", "2001:db8::7");
	check_from("::ffff:192.0.2.10 1 2 3", "::ffff:192.0.2.10");
	check_from(NULL, "unknown");
	check_from("", "unknown");
	check_from(" 192.0.2.10 1 2 3", "unknown");
	check_from("host.example 1 2 3", "unknown");
	check_from("192.0.2.10\n1 2 3", "unknown");
	check_from("1.2.3.4.5 1 2 3", "unknown");
	check_from("2001:db8::7%eth0 1 2 3", "unknown");
	check_from("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
	    "1 2 3", "unknown");
}

static void
test_log_lines(void **state)
{
	struct audit_context ctx;
	struct console_entry e = { 0 };
	char vmid[] = "id-1", vm[] = "web\n01", host[] = "hv1";

	(void)state;
	/* nothing to compare (syslog); must not crash on odd names */
	e.vmid = vmid;
	e.vm = vm;
	e.host = host;
	audit_context_init(&ctx, "u-42", "alice", "192.0.2.10 1 2 3");
	audit_console_opened(&ctx, &e);
	audit_console_closed(&ctx, &e, 12, 3, 4000, "detached");
	audit_console_failed(&ctx, &e, "busy");
	audit_console_denied(&ctx, "nope\x1b[2J");
	audit_context_set_certificate(&ctx, "77", "Alice%20Smith");
	audit_console_opened(&ctx, &e);
	audit_console_denied(&ctx, "web01\" host=\"x");
}

/* Quoting keeps every value one field, whatever it holds. */
static void
test_quote(void **state)
{
	char out[AUDIT_QUOTED_SIZE(32)], small[8];

	(void)state;
	assert_string_equal(audit_quote("web01", out, sizeof(out)),
	    "\"web01\"");
	assert_string_equal(audit_quote("web01 host=evil", out, sizeof(out)),
	    "\"web01 host=evil\"");
	assert_string_equal(audit_quote("a\" host=\"b", out, sizeof(out)),
	    "\"a\\\" host=\\\"b\"");
	assert_string_equal(audit_quote("back\\slash", out, sizeof(out)),
	    "\"back\\\\slash\"");
	assert_string_equal(audit_quote("", out, sizeof(out)), "\"\"");
	assert_string_equal(audit_quote(NULL, out, sizeof(out)), "\"\"");
	/* truncation keeps the closing quote and never splits an escape */
	assert_string_equal(audit_quote("abcdefgh", small, sizeof(small)),
	    "\"abcde\"");
	assert_string_equal(audit_quote("abcd\"fg", small, sizeof(small)),
	    "\"abcd\"");
	assert_string_equal(audit_quote("abc\"fg", small, sizeof(small)),
	    "\"abc\\\"\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remote_address),
		cmocka_unit_test(test_log_lines),
		cmocka_unit_test(test_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
