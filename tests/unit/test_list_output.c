/* Unit tests for console-helper/list_output.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "console_fixtures.h"
#include "list_output.h"
#include "manager.h"

static int
setup_list(void **state)
{
	struct console_list *list = calloc(1, sizeof(*list));

	if (list == NULL)
		return -1;
	console_fixtures_add(list, "id-1", "db01", "hv2", NULL);
	console_fixtures_add(list, "id-2", "tab\there\x1b]0;x\x07", "hv1", "serial1");
	console_fixtures_add(list, "id-3", "caf\xc3\xa9 \"q\"\\", "::1", NULL);
	*state = list;
	return 0;
}

static void
test_text_neutralised(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(list_output_text(out, *state), 0);
	fclose(out);
	assert_string_equal(text,
	    "id-1\tdb01\thv2\n"
	    "id-2\ttab\\x09here\\x1b]0;x\\x07\thv1\n"
	    "id-3\tcaf\xc3\xa9 \"q\"\\\t::1\n");
	free(text);
}

static void
test_json_escaped(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(list_output_json(out, *state), 0);
	fclose(out);
	assert_string_equal(text,
	    "{\"version\":1,\"consoles\":["
	    "{\"vmid\":\"id-1\",\"vm\":\"db01\",\"host\":\"hv2\","
	    "\"console\":null,\"writer\":null,\"watchers\":0},"
	    "{\"vmid\":\"id-2\",\"vm\":\"tab\\there\\u001B]0;x\\u0007\","
	    "\"host\":\"hv1\",\"console\":\"serial1\",\"writer\":null,"
	    "\"watchers\":0},"
	    "{\"vmid\":\"id-3\",\"vm\":\"caf\\u00E9 \\\"q\\\"\\\\\","
	    "\"host\":\"::1\",\"console\":null,\"writer\":null,"
	    "\"watchers\":0}]}\n");
	free(text);
}

static void
test_json_empty_list(void **state)
{
	struct console_list empty = { NULL, 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	(void)state;
	assert_non_null(out);
	assert_int_equal(list_output_json(out, &empty), 0);
	assert_int_equal(list_output_text(out, &empty), 0);
	fclose(out);
	assert_string_equal(text, "{\"version\":1,\"consoles\":[]}\n");
	free(text);
}

static void
test_json_invalid_utf8_stays_valid(void **state)
{
	struct console_list list = { NULL, 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	(void)state;
	assert_non_null(out);
	console_fixtures_add(&list, "id-9", "bad\xff", "hv1", NULL);
	assert_int_equal(list_output_json(out, &list), 0);
	fclose(out);
	assert_non_null(strstr(text, "\"vm\":\"bad\\\\xff\""));
	free(text);
	console_list_free(&list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_text_neutralised,
		    setup_list, console_fixtures_teardown),
		cmocka_unit_test_setup_teardown(test_json_escaped, setup_list,
		    console_fixtures_teardown),
		cmocka_unit_test(test_json_empty_list),
		cmocka_unit_test(test_json_invalid_utf8_stays_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
