/* Unit tests for console-helper/command.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "command.h"

/* Parses text, which must be accepted, into *cmd. */
static void
parse_ok(const char *text, struct helper_command *cmd)
{
	assert_int_equal(command_parse(text, cmd), 0);
}

/* Checks that text is refused and leaves nothing behind. */
static void
parse_bad(const char *text)
{
	struct helper_command cmd;

	assert_int_equal(command_parse(text, &cmd), -1);
	assert_null(cmd.vm);
}

/* Checks a connect form: target, VM and force. */
static void
check_connect(const char *text, enum command_target target, const char *vm,
    bool force)
{
	struct helper_command cmd;

	parse_ok(text, &cmd);
	assert_int_equal(cmd.kind, COMMAND_CONNECT);
	assert_int_equal(cmd.target, target);
	assert_string_equal(cmd.vm, vm);
	assert_int_equal(cmd.force, force);
	command_free(&cmd);
}

static void
test_nothing_is_picker(void **state)
{
	struct helper_command cmd;

	(void)state;
	parse_ok(NULL, &cmd);
	assert_int_equal(cmd.kind, COMMAND_PICKER);
	parse_ok("", &cmd);
	assert_int_equal(cmd.kind, COMMAND_PICKER);
	parse_ok("  \t ", &cmd);
	assert_int_equal(cmd.kind, COMMAND_PICKER);
	assert_false(cmd.force);
}

static void
test_vm_word(void **state)
{
	(void)state;
	check_connect("web01", TARGET_ID_OR_NAME, "web01", false);
	check_connect("  web01 ", TARGET_ID_OR_NAME, "web01", false);
	check_connect("--force web01", TARGET_ID_OR_NAME, "web01", true);
	check_connect("web01 --force", TARGET_ID_OR_NAME, "web01", true);
	check_connect(" web01\t--force ", TARGET_ID_OR_NAME, "web01", true);
	check_connect("4b1d6a7e-2f0c-4c55-8d3e-0000000d3e01",
	    TARGET_ID_OR_NAME, "4b1d6a7e-2f0c-4c55-8d3e-0000000d3e01", false);
	/* no shell meaning: these are just (odd) VM names */
	check_connect("$(reboot)", TARGET_ID_OR_NAME, "$(reboot)", false);
	check_connect("'a'", TARGET_ID_OR_NAME, "'a'", false);
	check_connect("a;b", TARGET_ID_OR_NAME, "a;b", false);
}

static void
test_connect_forms(void **state)
{
	(void)state;
	check_connect("connect --vm-id=42", TARGET_ID, "42", false);
	check_connect("connect --vm-name=web01", TARGET_NAME, "web01", false);
	check_connect("--force connect --vm-id=42", TARGET_ID, "42", true);
	check_connect("connect --force --vm-name=w", TARGET_NAME, "w", true);
	check_connect("connect\t--vm-id=x=y", TARGET_ID, "x=y", false);
}

/* Options go anywhere: after the VM is how users type them behind ssh. */
static void
test_options_in_any_position(void **state)
{
	struct helper_command cmd;

	(void)state;
	check_connect("connect --vm-name=web01 --force", TARGET_NAME, "web01",
	    true);
	check_connect("connect --vm-id=42 --force", TARGET_ID, "42", true);
	check_connect("--vm-id=42 connect", TARGET_ID, "42", false);
	check_connect("--vm-name=w --force connect", TARGET_NAME, "w", true);
	check_connect("--force --vm-id=42 connect", TARGET_ID, "42", true);
	parse_ok("--format=json list", &cmd);
	assert_int_equal(cmd.kind, COMMAND_LIST);
	assert_true(cmd.json);
}

/* An option belongs to the commands that have a use for it. */
static void
test_option_of_another_command(void **state)
{
	(void)state;
	parse_bad("web01 --format=json");
	parse_bad("connect --vm-id=1 --format=json");
	parse_bad("list --force");
	parse_bad("--force list");
	parse_bad("help --force");
	parse_bad("version --force");
	parse_bad("web01 --vm-id=1");
	parse_bad("web01 --vm-name=web01");
	parse_bad("--help --force");
	parse_bad("--help web01");
	parse_bad("web01 --help");
}

/* --watch and --replay=N follow the VM as --force does. */
static void
test_session_options_anywhere(void **state)
{
	struct helper_command cmd;

	(void)state;
	check_connect("web01 --force", TARGET_ID_OR_NAME, "web01", true);
	check_connect("connect --vm-id=1 --force", TARGET_ID, "1", true);
	parse_ok("web01 --watch", &cmd);
	assert_true(cmd.watch);
	assert_false(cmd.force);
	assert_int_equal(cmd.replay, -1);
	assert_string_equal(cmd.vm, "web01");
	command_free(&cmd);
	parse_ok("--replay=0 connect --vm-name=db01 --watch", &cmd);
	assert_true(cmd.watch);
	assert_int_equal(cmd.replay, 0);
	assert_int_equal(cmd.target, TARGET_NAME);
	command_free(&cmd);
	parse_ok("web01 --replay=100000", &cmd);
	assert_int_equal(cmd.replay, 100000);
	assert_false(cmd.watch);
	command_free(&cmd);
}

static void
test_list_help_version(void **state)
{
	struct helper_command cmd;

	(void)state;
	parse_ok("list", &cmd);
	assert_int_equal(cmd.kind, COMMAND_LIST);
	assert_false(cmd.json);
	parse_ok("list --format=json", &cmd);
	assert_int_equal(cmd.kind, COMMAND_LIST);
	assert_true(cmd.json);
	parse_ok("help", &cmd);
	assert_int_equal(cmd.kind, COMMAND_HELP);
	parse_ok("--help", &cmd);
	assert_int_equal(cmd.kind, COMMAND_HELP);
	parse_ok(" version ", &cmd);
	assert_int_equal(cmd.kind, COMMAND_VERSION);
}

static void
test_rejected(void **state)
{
	char big[COMMAND_MAX_LEN + 2];

	(void)state;
	parse_bad("--force");
	parse_bad("connect");
	parse_bad("connect --vm-id=");
	parse_bad("connect --vm-name=");
	parse_bad("connect web01");
	parse_bad("connect --vm-id=1 --vm-name=a");
	parse_bad("connect --vm-id=1 --vm-id=1");
	parse_bad("web01 --force --force");
	parse_bad("web01 --force=yes");
	parse_bad("web01 --forced");
	parse_bad("web01 -f");
	parse_bad("web01 --");
	parse_bad("-- web01");
	parse_bad("connect --vm-id");
	parse_bad("--format list");
	parse_bad("web01 --watch --force");
	parse_bad("web01 --watch --watch");
	parse_bad("web01 --replay=");
	parse_bad("web01 --replay=-1");
	parse_bad("web01 --replay=1x");
	parse_bad("web01 --replay=100001");
	parse_bad("web01 --replay=1 --replay=2");
	parse_bad("--watch");
	parse_bad("connect --force --force --vm-id=1");
	parse_bad("--force --force web01");
	parse_bad("--force connect --force --vm-id=1");
	parse_bad("web01 web02");
	parse_bad("-x");
	parse_bad("--vm-id=1");
	parse_bad("list --format=xml");
	parse_bad("list json");
	parse_bad("list --format=json extra");
	parse_bad("help me");
	parse_bad("version 2");
	parse_bad("a b c d e");
	parse_bad("web01 --force web02");
	parse_bad("a --force b --force c --force d --force e");
	parse_bad("web01\n");
	parse_bad("web\00301");
	parse_bad("web\x7f");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	parse_bad(big);
}

static void
test_usage_is_one_line(void **state)
{
	(void)state;
	assert_non_null(strstr(command_usage(), "usage: "));
	assert_null(strchr(command_usage(), '\n'));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_is_picker),
		cmocka_unit_test(test_vm_word),
		cmocka_unit_test(test_connect_forms),
		cmocka_unit_test(test_options_in_any_position),
		cmocka_unit_test(test_option_of_another_command),
		cmocka_unit_test(test_session_options_anywhere),
		cmocka_unit_test(test_list_help_version),
		cmocka_unit_test(test_rejected),
		cmocka_unit_test(test_usage_is_one_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
