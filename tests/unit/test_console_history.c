/* Unit tests for console-helper/console_history.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "console_history.h"

/* Returns the last len bytes of h as a string (static storage). */
static const char *
tail_text(const struct console_history *h, size_t len)
{
	static char buf[4096];

	assert_true(len < sizeof(buf));
	console_history_copy_tail(h, (unsigned char *)buf, len);
	buf[len] = '\0';
	return buf;
}

static void
test_keeps_the_newest_bytes_up_to_max(void **state)
{
	struct console_history h;
	char chunk[1000];
	size_t i;

	(void)state;
	assert_int_equal(console_history_init(&h, 2500), 0);
	for (i = 0; i < 5; i++) {
		memset(chunk, 'a' + (int)i, sizeof(chunk));
		assert_int_equal(console_history_add(&h, chunk,
		    sizeof(chunk)), 0);
	}
	assert_int_equal(console_history_used(&h), 2500);
	/* the oldest went first: half of 'c', then all of 'd' and 'e' */
	tail_text(&h, 2500);
	assert_int_equal(tail_text(&h, 2500)[0], 'c');
	assert_int_equal(tail_text(&h, 2500)[499], 'c');
	assert_int_equal(tail_text(&h, 2500)[500], 'd');
	assert_int_equal(tail_text(&h, 2500)[2499], 'e');
	console_history_release(&h);
}

static void
test_a_write_bigger_than_max_keeps_its_end(void **state)
{
	struct console_history h;
	char big[300];

	(void)state;
	memset(big, 'x', sizeof(big));
	big[299] = 'z';
	assert_int_equal(console_history_init(&h, 100), 0);
	assert_int_equal(console_history_add(&h, "ab", 2), 0);
	assert_int_equal(console_history_add(&h, big, sizeof(big)), 0);
	assert_int_equal(console_history_used(&h), 100);
	assert_int_equal(tail_text(&h, 1)[0], 'z');
	console_history_release(&h);
}

static void
test_zero_max_keeps_nothing(void **state)
{
	struct console_history h;

	(void)state;
	assert_int_equal(console_history_init(&h, 0), 0);
	assert_int_equal(console_history_add(&h, "abc\n", 4), 0);
	assert_int_equal(console_history_used(&h), 0);
	assert_int_equal(console_history_tail(&h, 24, 1000), 0);
	console_history_release(&h);
}

static void
test_replay_counts_lines_from_the_end(void **state)
{
	struct console_history h;
	const char *text = "one\ntwo\nthree\nfour\n";

	(void)state;
	assert_int_equal(console_history_init(&h, 4096), 0);
	assert_int_equal(console_history_add(&h, text, strlen(text)), 0);
	assert_int_equal(console_history_tail(&h, 0, 1000), 0);
	/* a final newline does not make an empty last line */
	assert_string_equal(tail_text(&h, console_history_tail(&h, 1, 1000)),
	    "four\n");
	assert_string_equal(tail_text(&h, console_history_tail(&h, 2, 1000)),
	    "three\nfour\n");
	/* more lines than there are: all of it */
	assert_string_equal(tail_text(&h, console_history_tail(&h, 9, 1000)),
	    text);
	/* an unfinished line, such as a prompt, is a line */
	assert_int_equal(console_history_add(&h, "web01# ", 7), 0);
	assert_string_equal(tail_text(&h, console_history_tail(&h, 2, 1000)),
	    "four\nweb01# ");
	/* never more than max_bytes */
	assert_int_equal(console_history_tail(&h, 9, 5), 5);
	assert_string_equal(tail_text(&h, 5), "b01# ");
	console_history_release(&h);
}

static void
test_replay_across_the_wrap(void **state)
{
	struct console_history h;
	char line[16];
	unsigned int i;

	(void)state;
	/* 16-byte history, 10-byte lines: the ring wraps every time */
	assert_int_equal(console_history_init(&h, 16), 0);
	for (i = 0; i < 10; i++) {
		snprintf(line, sizeof(line), "line%05u", i % 10);
		line[9] = '\n';
		assert_int_equal(console_history_add(&h, line, 10), 0);
	}
	assert_string_equal(tail_text(&h, console_history_tail(&h, 1, 100)),
	    "line00009\n");
	/* the line before is cut by the limit: what is left of it */
	assert_string_equal(tail_text(&h, console_history_tail(&h, 2, 100)),
	    "00008\nline00009\n");
	console_history_release(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keeps_the_newest_bytes_up_to_max),
		cmocka_unit_test(test_a_write_bigger_than_max_keeps_its_end),
		cmocka_unit_test(test_zero_max_keeps_nothing),
		cmocka_unit_test(test_replay_counts_lines_from_the_end),
		cmocka_unit_test(test_replay_across_the_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
