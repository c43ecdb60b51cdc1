/* Unit tests for console-helper/bounded_run.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "bounded_run.h"

static volatile int finished;

static void
quick(void *arg)
{
	*(int *)arg = 42;
	finished = 1;
}

/* Stands for a call to a host that answers late. */
static void
slow(void *arg)
{
	(void)arg;
	sleep(2);
	finished = 1;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_call_in_time(void **state)
{
	int value = 0;

	(void)state;
	finished = 0;
	assert_true(bounded_run(quick, &value, 5000));
	assert_int_equal(value, 42);
	assert_int_equal(finished, 1);
}

static void
test_late_call_given_up_and_finishes_alone(void **state)
{
	double t0;
	int i;

	(void)state;
	finished = 0;
	t0 = now();
	assert_false(bounded_run(slow, NULL, 200));
	assert_true(now() - t0 < 1.5);
	assert_int_equal(finished, 0);
	/* the call goes on in its thread and ends on its own */
	for (i = 0; i < 100 && !finished; i++)
		usleep(50 * 1000);
	assert_int_equal(finished, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_call_in_time),
		cmocka_unit_test(test_late_call_given_up_and_finishes_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
