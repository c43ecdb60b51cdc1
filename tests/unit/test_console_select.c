/* Unit tests for console-helper/console_select.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "console_fixtures.h"
#include "console_select.h"

static int
setup_list(void **state)
{
	struct console_list *list = calloc(1, sizeof(*list));

	if (list == NULL)
		return -1;
	console_fixtures_add(list, "u-3", "web01", "hv1", NULL);
	console_fixtures_add(list, "u-2", "db01", "hv2", NULL);
	/* a VM whose name is another VM's id */
	console_fixtures_add(list, "u-1", "u-3", "hv1", NULL);
	console_fixtures_add(list, "u-0", "db01", "hv1", NULL);
	*state = list;
	return 0;
}

static void
test_sort_by_name_then_id(void **state)
{
	struct console_list *list = *state;

	console_select_sort(list);
	assert_string_equal(list->entries[0].vmid, "u-0");
	assert_string_equal(list->entries[1].vmid, "u-2");
	assert_string_equal(list->entries[2].vm, "u-3");
	assert_string_equal(list->entries[3].vm, "web01");
}

static void
test_find(void **state)
{
	struct console_list *list = *state;
	const struct console_entry *e;

	e = console_select_find(list, TARGET_ID_OR_NAME, "web01");
	assert_non_null(e);
	assert_string_equal(e->vmid, "u-3");
	/* an id wins over a name */
	e = console_select_find(list, TARGET_ID_OR_NAME, "u-3");
	assert_non_null(e);
	assert_string_equal(e->vm, "web01");
	e = console_select_find(list, TARGET_NAME, "u-3");
	assert_non_null(e);
	assert_string_equal(e->vmid, "u-1");
	e = console_select_find(list, TARGET_ID, "u-2");
	assert_non_null(e);
	assert_string_equal(e->vm, "db01");
	assert_null(console_select_find(list, TARGET_ID, "web01"));
	assert_null(console_select_find(list, TARGET_NAME, "u-2"));
	assert_null(console_select_find(list, TARGET_ID_OR_NAME, "WEB01"));
	assert_null(console_select_find(list, TARGET_ID_OR_NAME, "web0"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sort_by_name_then_id,
		    setup_list, console_fixtures_teardown),
		cmocka_unit_test_setup_teardown(test_find, setup_list,
		    console_fixtures_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
