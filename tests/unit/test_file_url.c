/* Unit tests for lib/file_url.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <cmocka.h>

#include "file_url.h"
#include "tempfiles.h"

static void
test_path(void **state)
{
	char err[128], *p;

	(void)state;
	assert_non_null(p = file_url_path("file:///srv/keys.json", err,
	    sizeof(err)));
	assert_string_equal(p, "/srv/keys.json");
	free(p);
	assert_non_null(p = file_url_path("FILE://localhost/a%20b%3Ac?q=1#f",
	    err, sizeof(err)));
	assert_string_equal(p, "/a b:c");
	free(p);
	assert_null(file_url_path("file://other/x", err, sizeof(err)));
	assert_null(file_url_path("file:relative", err, sizeof(err)));
	assert_null(file_url_path("file:///a%00b", err, sizeof(err)));
	assert_null(file_url_path("file:///a%zz", err, sizeof(err)));
	assert_null(file_url_path("file:///a%4", err, sizeof(err)));
	assert_true(file_url_is_file("File:///x"));
	assert_false(file_url_is_file("https://x/file:"));
}

/* The same identity is not read again; a new version is. */
static void
test_identity(void **state)
{
	struct fetch_answer a, b;
	struct timeval times[2];
	char dir[64], path[128], url[160], err[256];

	(void)state;
	assert_int_equal(tempfiles_make_dir("test_file_url", dir,
	    sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/doc", dir);
	snprintf(url, sizeof(url), "file://%s", path);
	tempfiles_write_text(path, "one");
	assert_int_equal(file_url_fetch(url, url, 1024, NULL, &a, err,
	    sizeof(err)), FETCH_OK);
	assert_string_equal(a.body, "one");
	assert_true(a.validators.file_known);
	assert_int_equal(file_url_fetch(url, url, 1024, &a.validators, &b,
	    err, sizeof(err)), FETCH_NOT_MODIFIED);
	assert_null(b.body);
	tempfiles_write_text(path, "two");
	memset(times, 0, sizeof(times));
	times[0].tv_sec = times[1].tv_sec = 1000000;
	assert_int_equal(utimes(path, times), 0);
	assert_int_equal(file_url_fetch(url, url, 1024, &a.validators, &b,
	    err, sizeof(err)), FETCH_OK);
	assert_string_equal(b.body, "two");
	http_fetch_answer_free(&a);
	http_fetch_answer_free(&b);
	assert_int_equal(file_url_fetch(url, url, 2, NULL, &a, err,
	    sizeof(err)), FETCH_FAILED);
	assert_non_null(strstr(err, "larger than 2 bytes"));
	assert_int_equal(tempfiles_remove_dir(dir), 0);
	assert_int_equal(file_url_fetch(url, url, 1024, NULL, &a, err,
	    sizeof(err)), FETCH_FAILED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
