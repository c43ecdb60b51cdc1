/* Unit tests for console-helper/output_gather.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "output_gather.h"

/* The first output ever, and output after a quiet spell, go at once. */
static void
test_output_after_quiet_goes_at_once(void **state)
{
	struct output_gather g;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_true(output_gather_arrived(&g, 1, 1000));
	assert_int_equal(output_gather_due(&g), 0);
	/* the echo of the next keystroke, a second later */
	assert_true(output_gather_arrived(&g, 1, 2000));
	assert_true(output_gather_arrived(&g, 5, 2000 + GATHER_MS));
	assert_int_equal(output_gather_due(&g), 0);
}

/* Output that follows output closely waits, at most GATHER_MS. */
static void
test_flowing_output_is_held_until_due(void **state)
{
	struct output_gather g;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_true(output_gather_arrived(&g, 2048, 1000));
	assert_false(output_gather_arrived(&g, 2048, 1001));
	assert_int_equal(output_gather_due(&g), 1001 + GATHER_MS);
	/* more arrives: the deadline of the first held byte stays */
	assert_false(output_gather_arrived(&g, 4096, 1002));
	assert_int_equal(output_gather_due(&g), 1001 + GATHER_MS);
	/* the caller's timer fires and sends what is held */
	output_gather_sent(&g, 4096);
	assert_int_equal(output_gather_due(&g), 0);
	/* still flowing: the next piece is held again */
	assert_false(output_gather_arrived(&g, 3000, 1001 + GATHER_MS));
	assert_int_equal(output_gather_due(&g), 1001 + 2 * GATHER_MS);
}

/* A piece that arrives once the held bytes are due sends them. */
static void
test_arrival_past_due_sends(void **state)
{
	struct output_gather g;
	long long t = 500;
	int i;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_true(output_gather_arrived(&g, 100, t));
	assert_false(output_gather_arrived(&g, 100, ++t));
	/* pieces every millisecond, the timer not yet run */
	for (i = 2; i <= GATHER_MS; i++)
		assert_false(output_gather_arrived(&g, 100 * (size_t)i, ++t));
	assert_true(output_gather_arrived(&g, 100 * (size_t)i, ++t));
	assert_int_equal(output_gather_due(&g), 0);
}

/* GATHER_BYTES held go at once, whatever the time. */
static void
test_enough_bytes_go_at_once(void **state)
{
	struct output_gather g;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_true(output_gather_arrived(&g, 10, 7));
	assert_false(output_gather_arrived(&g, GATHER_BYTES - 1, 7));
	assert_true(output_gather_arrived(&g, GATHER_BYTES, 7));
	assert_int_equal(output_gather_due(&g), 0);
	assert_true(output_gather_arrived(&g, 3 * GATHER_BYTES, 8));
}

/* Nothing held is never sent, and does not start a deadline. */
static void
test_nothing_held(void **state)
{
	struct output_gather g;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_false(output_gather_arrived(&g, 0, 100));
	assert_int_equal(output_gather_due(&g), 0);
	/* but it was output: what follows closely is held */
	assert_false(output_gather_arrived(&g, 10, 101));
	assert_int_equal(output_gather_due(&g), 101 + GATHER_MS);
}

/*
 * The source may be left unread only while output trickles and bytes are
 * held: PAUSE_MS at most, never past what is due.
 */
static void
test_pause_only_while_output_trickles(void **state)
{
	struct output_gather g;

	(void)state;
	memset(&g, 0, sizeof(g));
	/* nothing held: no pause */
	assert_int_equal(output_gather_pause_ms(&g, 0, 100), 0);
	assert_true(output_gather_arrived(&g, 30, 100));
	output_gather_sent(&g, 30);
	assert_int_equal(output_gather_pause_ms(&g, 0, 100), 0);
	/* a serial flood: small pieces held */
	assert_false(output_gather_arrived(&g, 25, 101));
	assert_int_equal(output_gather_pause_ms(&g, 25, 101), PAUSE_MS);
	/* never past the due time */
	assert_int_equal(output_gather_pause_ms(&g, 50, 101 + GATHER_MS - 1),
	    1);
	assert_int_equal(output_gather_pause_ms(&g, 50, 101 + GATHER_MS), 0);
	/* much held already: the source is read at once */
	assert_int_equal(output_gather_pause_ms(&g, PAUSE_BELOW_BYTES, 102),
	    0);
	output_gather_sent(&g, 1500);
	assert_false(output_gather_arrived(&g, 25, 105));
	assert_int_equal(output_gather_pause_ms(&g, 25, 105), PAUSE_MS);
}

/* After a gathering that sent much, a fast console is never kept waiting. */
static void
test_no_pause_after_a_large_gathering(void **state)
{
	struct output_gather g;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_true(output_gather_arrived(&g, 3000, 100));
	output_gather_sent(&g, 3000);
	assert_false(output_gather_arrived(&g, 2900, 101));
	assert_int_equal(output_gather_pause_ms(&g, 2900, 101), PAUSE_MS);
	assert_true(output_gather_arrived(&g, GATHER_BYTES, 102));
	output_gather_sent(&g, GATHER_BYTES);
	assert_false(output_gather_arrived(&g, 10, 103));
	assert_int_equal(output_gather_pause_ms(&g, 10, 103), 0);
	/* it slows down: one small gathering later, pauses come back */
	output_gather_sent(&g, 10);
	assert_false(output_gather_arrived(&g, 10, 104));
	assert_int_equal(output_gather_pause_ms(&g, 10, 104), PAUSE_MS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_after_quiet_goes_at_once),
		cmocka_unit_test(test_flowing_output_is_held_until_due),
		cmocka_unit_test(test_arrival_past_due_sends),
		cmocka_unit_test(test_enough_bytes_go_at_once),
		cmocka_unit_test(test_nothing_held),
		cmocka_unit_test(test_pause_only_while_output_trickles),
		cmocka_unit_test(test_no_pause_after_a_large_gathering),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
