/* Unit tests for console-helper/picker.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pty.h>

#include <cmocka.h>

#include "console_fixtures.h"
#include "manager.h"
#include "picker.h"

/* The list every test uses, already in picker (VM name) order. */
static int
setup_list(void **state)
{
	struct console_list *list = calloc(1, sizeof(*list));

	if (list == NULL)
		return -1;
	console_fixtures_add(list, "id-db", "db01", "hv2", NULL);
	console_fixtures_add(list, "2", "evil\x1b[2Jname", "hv1", NULL);
	console_fixtures_add(list, "id-web", "web01", "2001:db8::1", NULL);
	*state = list;
	return 0;
}

static void
test_render(void **state)
{
	struct console_list *list = *state;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(picker_render(out, list), 0);
	fclose(out);
	assert_string_equal(text,
	    "  1. db01 [id-db] on hv2\n"
	    "  2. evil\\x1b[2Jname [2] on hv1\n"
	    "  3. web01 [id-web] on 2001:db8::1\n");
	free(text);
}

static void
test_hint(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	(void)state;
	assert_non_null(out);
	assert_int_equal(picker_hint(out, 3), 0);
	fclose(out);
	assert_string_equal(text, "invalid choice: enter a number from 1 to "
	    "3, a name, an id, or q\n");
	free(text);
}

/* Interprets line and checks the answer and, when chosen, the index. */
static void
check_answer(const struct console_list *list, const char *line,
    enum picker_answer want, size_t want_index)
{
	size_t index = 99;

	assert_int_equal(picker_interpret(list, line, &index), want);
	if (want == PICKER_CHOSEN || want == PICKER_CHOSEN_FORCE)
		assert_int_equal(index, want_index);
}

static void
test_interpret_numbers(void **state)
{
	struct console_list *list = *state;

	check_answer(list, "1\n", PICKER_CHOSEN, 0);
	check_answer(list, "  3 \r\n", PICKER_CHOSEN, 2);
	/* a number is a position even when some VM id is that number */
	check_answer(list, "2", PICKER_CHOSEN, 1);
	check_answer(list, "0\n", PICKER_INVALID, 0);
	check_answer(list, "4\n", PICKER_INVALID, 0);
	check_answer(list, "+1\n", PICKER_INVALID, 0);
	check_answer(list, "-1\n", PICKER_INVALID, 0);
	check_answer(list, "99999999999999999999\n", PICKER_INVALID, 0);
}

static void
test_interpret_names_and_ids(void **state)
{
	struct console_list *list = *state;

	check_answer(list, "web01\n", PICKER_CHOSEN, 2);
	check_answer(list, "id-db\n", PICKER_CHOSEN, 0);
	check_answer(list, "evil\x1b[2Jname\n", PICKER_CHOSEN, 1);
	check_answer(list, "WEB01\n", PICKER_INVALID, 0);
	check_answer(list, "web0\n", PICKER_INVALID, 0);
	check_answer(list, "\n", PICKER_INVALID, 0);
	check_answer(list, "", PICKER_INVALID, 0);
}

static void
test_interpret_force(void **state)
{
	struct console_list *list = *state;

	check_answer(list, "--force 1\n", PICKER_CHOSEN_FORCE, 0);
	check_answer(list, " --force\t web01 \n", PICKER_CHOSEN_FORCE, 2);
	check_answer(list, "--force id-db", PICKER_CHOSEN_FORCE, 0);
	check_answer(list, "--force\n", PICKER_INVALID, 0);
	check_answer(list, "--force q\n", PICKER_INVALID, 0);
	check_answer(list, "--force --force 1\n", PICKER_INVALID, 0);
	check_answer(list, "--force 9\n", PICKER_INVALID, 0);
	check_answer(list, "--forced 1\n", PICKER_INVALID, 0);
	check_answer(list, "1 --force\n", PICKER_CHOSEN_FORCE, 0);
	check_answer(list, "web01\t--force \n", PICKER_CHOSEN_FORCE, 2);
	check_answer(list, "--force 1 --force\n", PICKER_INVALID, 0);
	check_answer(list, "1 --force --force\n", PICKER_INVALID, 0);
	check_answer(list, "1 2 --force\n", PICKER_INVALID, 0);
	check_answer(list, "1 --forced\n", PICKER_INVALID, 0);
	check_answer(list, " --force\n", PICKER_INVALID, 0);
	/*
	 * A line of nothing but --force words is read in linear time: the
	 * choice after or before --force is a plain one, never parsed again
	 * for --force (a nested reading took seconds per line).
	 */
	check_answer(list, "--force --force --force --force --force --force "
	    "--force --force --force --force --force --force --force --force "
	    "--force --force --force --force --force --force 1 --force "
	    "--force --force --force --force --force --force --force --force "
	    "--force --force --force --force --force --force --force\n",
	    PICKER_INVALID, 0);
}

static void
test_interpret_quit(void **state)
{
	struct console_list *list = *state;

	check_answer(list, "q\n", PICKER_QUIT, 0);
	check_answer(list, " exit \n", PICKER_QUIT, 0);
	check_answer(list, "quit\n", PICKER_INVALID, 0);
}

/*
 * Runs picker_choose() on the slave side of a pty after typing input on
 * the master side; returns the answer and the picker's output in *text.
 */
static enum picker_answer
choose_with_input(const struct console_list *list, const char *input,
    size_t input_len, size_t *index, char **text)
{
	enum picker_answer a;
	size_t len = 0;
	FILE *out = NULL;
	int master = -1, slave = -1;

	assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
	assert_int_equal(write(master, input, input_len), (ssize_t)input_len);
	out = open_memstream(text, &len);
	assert_non_null(out);
	a = picker_choose(slave, out, list, index);
	fclose(out);
	close(slave);
	close(master);
	return a;
}

static void
test_choose_after_invalid(void **state)
{
	static const char input[] = "nope\n3\n";
	struct console_list *list = *state;
	char *text = NULL;
	size_t index = 99;

	assert_int_equal(choose_with_input(list, input, sizeof(input) - 1,
	    &index, &text), PICKER_CHOSEN);
	assert_int_equal(index, 2);
	assert_non_null(strstr(text, "  1. db01 [id-db] on hv2\n"));
	assert_non_null(strstr(text, PICKER_PROMPT "invalid choice: enter a "
	    "number from 1 to 3, a name, an id, or q\n" PICKER_PROMPT));
	free(text);
}

static void
test_choose_ctrl_d_quits(void **state)
{
	static const char input[] = "\x04";
	struct console_list *list = *state;
	char *text = NULL;
	size_t index = 99;

	assert_int_equal(choose_with_input(list, input, sizeof(input) - 1,
	    &index, &text), PICKER_QUIT);
	free(text);
}

static void
test_choose_long_line_is_invalid(void **state)
{
	struct console_list *list = *state;
	char input[PICKER_LINE_MAX * 2 + 16], *text = NULL;
	size_t index = 99, n = PICKER_LINE_MAX * 2;

	/* a long line of digits must not be read as several answers */
	memset(input, '1', n);
	memcpy(input + n, "\nq\n", 3);
	assert_int_equal(choose_with_input(list, input, n + 3, &index,
	    &text), PICKER_QUIT);
	assert_non_null(strstr(text, "invalid choice"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_render, setup_list,
		    console_fixtures_teardown),
		cmocka_unit_test(test_hint),
		cmocka_unit_test_setup_teardown(test_interpret_numbers,
		    setup_list, console_fixtures_teardown),
		cmocka_unit_test_setup_teardown(test_interpret_names_and_ids,
		    setup_list, console_fixtures_teardown),
		cmocka_unit_test_setup_teardown(test_interpret_force,
		    setup_list, console_fixtures_teardown),
		cmocka_unit_test_setup_teardown(test_interpret_quit,
		    setup_list, console_fixtures_teardown),
		cmocka_unit_test_setup_teardown(test_choose_after_invalid,
		    setup_list, console_fixtures_teardown),
		cmocka_unit_test_setup_teardown(test_choose_ctrl_d_quits,
		    setup_list, console_fixtures_teardown),
		cmocka_unit_test_setup_teardown(
		    test_choose_long_line_is_invalid, setup_list,
		    console_fixtures_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
