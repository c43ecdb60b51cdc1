/* Unit tests for console-helper/list_output.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "list_output.h"
#include "manager.h"

/* Adds one console to list; every string is copied, console may be NULL. */
static void
add_console(struct console_list *list, const char *vmid, const char *vm,
    const char *host, const char *console)
{
	struct console_entry *e;

	list->entries = realloc(list->entries,
	    (list->count + 1) * sizeof(*list->entries));
	assert_non_null(list->entries);
	e = &list->entries[list->count++];
	memset(e, 0, sizeof(*e));
	e->vmid = strdup(vmid);
	e->vm = strdup(vm);
	e->host = strdup(host);
	assert_true(e->vmid != NULL && e->vm != NULL && e->host != NULL);
	if (console != NULL)
		assert_non_null(e->console = strdup(console));
}

static int
setup_list(void **state)
{
	struct console_list *list = calloc(1, sizeof(*list));

	if (list == NULL)
		return -1;
	add_console(list, "id-1", "db01", "hv2", NULL);
	add_console(list, "id-2", "tab\there\x1b]0;x\x07", "hv1", "serial1");
	add_console(list, "id-3", "caf\xc3\xa9 \"q\"\\", "::1", NULL);
	*state = list;
	return 0;
}

static int
teardown_list(void **state)
{
	console_list_free(*state);
	free(*state);
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
	    "\"console\":null},"
	    "{\"vmid\":\"id-2\",\"vm\":\"tab\\there\\u001B]0;x\\u0007\","
	    "\"host\":\"hv1\",\"console\":\"serial1\"},"
	    "{\"vmid\":\"id-3\",\"vm\":\"caf\\u00E9 \\\"q\\\"\\\\\","
	    "\"host\":\"::1\",\"console\":null}]}\n");
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
	add_console(&list, "id-9", "bad\xff", "hv1", NULL);
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
		    setup_list, teardown_list),
		cmocka_unit_test_setup_teardown(test_json_escaped, setup_list,
		    teardown_list),
		cmocka_unit_test(test_json_empty_list),
		cmocka_unit_test(test_json_invalid_utf8_stays_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
