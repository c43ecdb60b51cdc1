/* Unit tests for lib/termsafe.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "termsafe.h"

/* Checks that in renders as want. */
static void
check(const char *in, const char *want)
{
	char out[256];
	char *dup;

	assert_int_equal(termsafe_escape(in, out, sizeof(out)), strlen(want));
	assert_string_equal(out, want);
	dup = termsafe_dup(in);
	assert_non_null(dup);
	assert_string_equal(dup, want);
	free(dup);
}

static void
test_printable_kept(void **state)
{
	(void)state;
	check("", "");
	check("web01 [x] ~!", "web01 [x] ~!");
	check("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	check("a\\x1b", "a\\x1b");
}

static void
test_controls_escaped(void **state)
{
	(void)state;
	check("\x1b[2J\x1b]0;title\x07", "\\x1b[2J\\x1b]0;title\\x07");
	check("a\nb\rc\td", "a\\x0ab\\x0dc\\x09d");
	check("\x7f", "\\x7f");
	/* C1 controls, CSI in its 8-bit form included */
	check("\xc2\x9b" "31m", "\\xc2\\x9b31m");
	check("\xc2\x85", "\\xc2\\x85");
}

static void
test_invalid_utf8_escaped(void **state)
{
	(void)state;
	check("\xff", "\\xff");
	check("\xc3", "\\xc3");
	check("\xc3x", "\\xc3x");
	check("\xc0\xaf", "\\xc0\\xaf");
	check("\xe0\x80\xaf", "\\xe0\\x80\\xaf");
	check("\xed\xa0\x80", "\\xed\\xa0\\x80");
	check("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
	check("\xf0\x9f\x98", "\\xf0\\x9f\\x98");
}

static void
test_truncation(void **state)
{
	char out[6];

	(void)state;
	/* never splits an escape or a character, always terminates */
	assert_int_equal(termsafe_escape("abcdefgh", out, sizeof(out)), 5);
	assert_string_equal(out, "abcde");
	assert_int_equal(termsafe_escape("a\x1b\x1b", out, sizeof(out)), 5);
	assert_string_equal(out, "a\\x1b");
	assert_int_equal(termsafe_escape("abcd\xc3\xa9", out, sizeof(out)), 4);
	assert_string_equal(out, "abcd");
	assert_int_equal(termsafe_escape("x", out, 1), 0);
	assert_string_equal(out, "");
	assert_int_equal(termsafe_escape("x", out, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printable_kept),
		cmocka_unit_test(test_controls_escaped),
		cmocka_unit_test(test_invalid_utf8_escaped),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
