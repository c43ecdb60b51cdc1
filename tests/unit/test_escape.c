/* Unit tests for console-helper/escape.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "escape.h"

static void
test_escape_found(void **state)
{
	const unsigned char in[] = "ls\x1d" "rest";

	(void)state;
	assert_int_equal(escape_find(in, sizeof(in) - 1, 0x1d), 2);
	/* alone, at the start */
	assert_int_equal(escape_find(in + 2, 1, 0x1d), 0);
}

static void
test_no_escape(void **state)
{
	const unsigned char in[] = "echo hello\r";

	(void)state;
	assert_int_equal(escape_find(in, sizeof(in) - 1, 0x1d),
	    sizeof(in) - 1);
	assert_int_equal(escape_find(in, 0, 0x1d), 0);
}

static void
test_escape_disabled(void **state)
{
	const unsigned char in[] = "a\x1d" "b";

	(void)state;
	assert_int_equal(escape_find(in, 3, CONFIG_ESCAPE_NONE), 3);
}

static void
test_first_of_several(void **state)
{
	const unsigned char in[] = "ab~~c";

	(void)state;
	assert_int_equal(escape_find(in, 5, '~'), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_found),
		cmocka_unit_test(test_no_escape),
		cmocka_unit_test(test_escape_disabled),
		cmocka_unit_test(test_first_of_several),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
