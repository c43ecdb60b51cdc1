/* Unit tests for lib/curl_loader.c: libcurl is mapped on demand only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "curl_loader.h"

/* Returns 1 when this process has a libcurl mapped. */
static int
libcurl_mapped(void)
{
	char line[512];
	FILE *f;
	int found = 0;

	assert_non_null(f = fopen("/proc/self/maps", "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, "/libcurl") != NULL)
			found = 1;
	fclose(f);
	return found;
}

static void
test_loaded_on_first_use(void **state)
{
	const struct curl_api *a, *b;
	char err[256];

	(void)state;
	/* (the unit tests link libvirt, which brings a libcurl of its own) */
	assert_non_null(a = curl_loader_get(err, sizeof(err)));
	assert_int_equal(libcurl_mapped(), 1);
	assert_non_null(b = curl_loader_get(err, sizeof(err)));
	assert_ptr_equal(a, b);
	assert_string_equal(a->easy_strerror(CURLE_OK), "No error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loaded_on_first_use),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
