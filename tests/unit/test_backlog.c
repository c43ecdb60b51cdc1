/* Unit tests for console-helper/backlog.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backlog.h"

static void
test_grows_up_to_the_limit(void **state)
{
	struct ringbuf rb;
	unsigned char chunk[300], out[1024];
	size_t taken = 0, i;

	(void)state;
	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = (unsigned char)i;
	assert_int_equal(backlog_init(&rb, 256, 1024), 0);
	assert_int_equal(backlog_add(&rb, chunk, 300, &taken), BACKLOG_OK);
	assert_int_equal(taken, 300);
	assert_true(ringbuf_size(&rb) >= 300);
	assert_int_equal(backlog_add(&rb, chunk, 300, &taken), BACKLOG_OK);
	assert_int_equal(backlog_add(&rb, chunk, 300, &taken), BACKLOG_OK);
	assert_int_equal(ringbuf_used(&rb), 900);
	/* 124 more fit, the rest cannot be held */
	assert_int_equal(backlog_add(&rb, chunk, 300, &taken), BACKLOG_FULL);
	assert_int_equal(taken, 124);
	assert_int_equal(ringbuf_size(&rb), 1024);
	/* what was held comes out in order */
	assert_int_equal(ringbuf_get(&rb, out, 300), 300);
	assert_memory_equal(out, chunk, 300);
	ringbuf_release(&rb);
}

static void
test_room_made_by_the_terminal_is_reused(void **state)
{
	struct ringbuf rb;
	unsigned char chunk[256] = { 0 }, out[256];
	size_t taken = 0;

	(void)state;
	assert_int_equal(backlog_init(&rb, 256, 256), 0);
	assert_int_equal(backlog_add(&rb, chunk, 256, &taken), BACKLOG_OK);
	assert_int_equal(backlog_add(&rb, chunk, 1, &taken), BACKLOG_FULL);
	assert_int_equal(taken, 0);
	assert_int_equal(ringbuf_get(&rb, out, 100), 100);
	assert_int_equal(backlog_add(&rb, chunk, 100, &taken), BACKLOG_OK);
	assert_int_equal(ringbuf_used(&rb), 256);
	ringbuf_release(&rb);
}

static void
test_bad_sizes_refused(void **state)
{
	struct ringbuf rb;

	(void)state;
	assert_int_equal(backlog_init(&rb, 512, 256), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grows_up_to_the_limit),
		cmocka_unit_test(test_room_made_by_the_terminal_is_reused),
		cmocka_unit_test(test_bad_sizes_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
