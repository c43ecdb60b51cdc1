/* Unit tests for lib/termsafe.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "termsafe.h"

/* Checks that termsafe_fputs() writes want for in. */
static void
check_fputs(const char *in, const char *want)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(termsafe_fputs(in, out), 0);
	assert_int_equal(fclose(out), 0);
	assert_string_equal(text, want);
	free(text);
}

/* Checks that termsafe_dputs() writes want for in. */
static void
check_dputs(const char *in, const char *want)
{
	size_t want_len = strlen(want), got = 0;
	char *buf = malloc(want_len + 2);
	ssize_t n;
	int fds[2];

	assert_non_null(buf);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(termsafe_dputs(in, fds[1]), 0);
	assert_int_equal(close(fds[1]), 0);
	while ((n = read(fds[0], buf + got, want_len + 1 - got)) > 0)
		got += (size_t)n;
	assert_int_equal(n, 0);
	assert_int_equal(close(fds[0]), 0);
	assert_int_equal(got, want_len);
	assert_memory_equal(buf, want, want_len);
	free(buf);
}

/* Checks that in renders as want through every entry point. */
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
	check_fputs(in, want);
	check_dputs(in, want);
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
test_bidi_controls_escaped(void **state)
{
	(void)state;
	/* right-to-left override: "web01" would show as "10bew" */
	check("\xe2\x80\xae" "10bew", "\\xe2\\x80\\xae10bew");
	/* isolates and marks */
	check("a\xe2\x81\xa6" "b", "a\\xe2\\x81\\xa6b");
	check("\xe2\x80\x8f", "\\xe2\\x80\\x8f");
	check("\xd8\x9c", "\\xd8\\x9c");
	/* neighbours of those ranges stay */
	check("\xe2\x80\x94", "\xe2\x80\x94");
	check("\xe2\x81\xb0", "\xe2\x81\xb0");
}

static void
test_invisible_characters_escaped(void **state)
{
	(void)state;
	/* "web01" and "web\u200b01" must not look the same */
	check("web\xe2\x80\x8b" "01", "web\\xe2\\x80\\x8b01");
	check("\xe2\x80\x8c", "\\xe2\\x80\\x8c");
	check("\xe2\x80\x8d", "\\xe2\\x80\\x8d");
	check("\xe2\x81\xa0", "\\xe2\\x81\\xa0");
	check("\xef\xbb\xbf" "db01", "\\xef\\xbb\\xbfdb01");
	check("a\xe2\x80\xa8" "b", "a\\xe2\\x80\\xa8b");
	check("a\xe2\x80\xa9" "b", "a\\xe2\\x80\\xa9b");
	check("soft\xc2\xad" "hyphen", "soft\\xc2\\xadhyphen");
	/* visible neighbours stay */
	check("\xe2\x80\x8a", "\xe2\x80\x8a");
	check("\xe2\x80\x90", "\xe2\x80\x90");
	check("\xc2\xac\xc2\xae", "\xc2\xac\xc2\xae");
	check("\xef\xbb\xbe", "\xef\xbb\xbe");
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

static void
test_long_string_written_whole(void **state)
{
	char in[3 * 500 + 1], want[6 * 500 + 1];
	size_t i;

	(void)state;
	/* longer than termsafe_dputs()' buffer, escapes across its edge */
	for (i = 0; i < 500; i++) {
		memcpy(in + 3 * i, "\x1b" "ab", 3);
		memcpy(want + 6 * i, "\\x1bab", 6);
	}
	in[sizeof(in) - 1] = '\0';
	want[sizeof(want) - 1] = '\0';
	check_fputs(in, want);
	check_dputs(in, want);
}

static void
test_write_errors(void **state)
{
	FILE *f;

	(void)state;
	errno = 0;
	assert_int_equal(termsafe_dputs("x\x1b", -1), -1);
	assert_int_equal(errno, EBADF);
	assert_non_null(f = fopen("/dev/null", "r"));
	assert_int_equal(termsafe_fputs("x", f), -1);
	assert_int_equal(fclose(f), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printable_kept),
		cmocka_unit_test(test_controls_escaped),
		cmocka_unit_test(test_bidi_controls_escaped),
		cmocka_unit_test(test_invisible_characters_escaped),
		cmocka_unit_test(test_invalid_utf8_escaped),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_long_string_written_whole),
		cmocka_unit_test(test_write_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
