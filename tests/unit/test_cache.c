/* Unit tests for lib/cache.c in a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache.h"
#include "tempfiles.h"

#define URL "https://m.example/keys?fingerprint=SHA256%3Ax"

struct fixture {
	char base[64];
	char dir[96];
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	if (tempfiles_make_dir("test_cache", fx->base, sizeof(fx->base)) != 0)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/cache", fx->base);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	if (tempfiles_remove_dir(fx->base) != 0)
		return -1;
	free(fx);
	return 0;
}

/* Returns the path of the entry for kind and url under dir in buf. */
static char *
entry_path(const char *dir, const char *kind, const char *url, char *buf,
    size_t len)
{
	char name[128];

	assert_non_null(cache_entry_name(kind, url, name, sizeof(name)));
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

static void
test_entry_name(void **state)
{
	char a[128], b[128], c[128];

	(void)state;
	assert_non_null(cache_entry_name("keys", URL, a, sizeof(a)));
	assert_non_null(cache_entry_name("keys", URL "y", b, sizeof(b)));
	assert_non_null(cache_entry_name("consoles", URL, c, sizeof(c)));
	assert_string_not_equal(a, b);
	assert_int_equal(strncmp(a, "keys-", 5), 0);
	assert_int_equal(strncmp(c, "consoles-", 9), 0);
	assert_int_equal(strlen(a), strlen("keys-") + 16 + strlen(".json"));
	assert_null(cache_entry_name("keys", URL, c, 8));
	/* the same URL always gives the same name */
	assert_non_null(cache_entry_name("keys", URL, b, sizeof(b)));
	assert_string_equal(a, b);
}

static void
test_store_and_load(void **state)
{
	struct fixture *fx = *state;
	char err[256], path[256];
	struct stat st;
	char *body = NULL;
	size_t len = 0;
	time_t age = -1;

	assert_int_equal(cache_store(fx->dir, "keys", URL, "{\"a\":1}\0z", 9),
	    0);
	assert_int_equal(stat(fx->dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	entry_path(fx->dir, "keys", URL, path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(cache_load(fx->dir, "keys", URL, 1024, &body, &len,
	    &age, err, sizeof(err)), 0);
	assert_int_equal(len, 9);
	assert_memory_equal(body, "{\"a\":1}\0z", 9);
	assert_true(age >= 0 && age < 60);
	free(body);
	/* a new answer replaces the old one */
	assert_int_equal(cache_store(fx->dir, "keys", URL, "new", 3), 0);
	assert_int_equal(cache_load(fx->dir, "keys", URL, 1024, &body, &len,
	    &age, err, sizeof(err)), 0);
	assert_string_equal(body, "new");
	free(body);
	/* other kinds and URLs are other entries */
	assert_int_equal(cache_load(fx->dir, "consoles", URL, 1024, &body,
	    &len, &age, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no cached copy"));
	assert_int_equal(cache_load(fx->dir, "keys", URL "z", 1024, &body,
	    &len, &age, err, sizeof(err)), -1);
	assert_null(body);
}

static void
test_no_temporary_left(void **state)
{
	struct fixture *fx = *state;
	char cmd[256];

	assert_int_equal(cache_store(fx->dir, "keys", URL, "x", 1), 0);
	assert_int_equal(cache_store(fx->dir, "keys", URL, "y", 1), 0);
	snprintf(cmd, sizeof(cmd), "test $(ls -A '%s' | wc -l) -eq 1",
	    fx->dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_age(void **state)
{
	struct fixture *fx = *state;
	struct timeval times[2];
	char err[256], path[256];
	char *body = NULL;
	size_t len;
	time_t age;

	assert_int_equal(cache_store(fx->dir, "keys", URL, "x", 1), 0);
	entry_path(fx->dir, "keys", URL, path, sizeof(path));
	memset(times, 0, sizeof(times));
	times[0].tv_sec = times[1].tv_sec = time(NULL) - 7200;
	assert_int_equal(utimes(path, times), 0);
	assert_int_equal(cache_load(fx->dir, "keys", URL, 1024, &body, &len,
	    &age, err, sizeof(err)), 0);
	assert_true(age >= 7200 && age < 7300);
	free(body);
	/* a time in the future is not trusted */
	times[0].tv_sec = times[1].tv_sec = time(NULL) + 7200;
	assert_int_equal(utimes(path, times), 0);
	assert_int_equal(cache_load(fx->dir, "keys", URL, 1024, &body, &len,
	    &age, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "future"));
}

static void
test_refused_entries(void **state)
{
	struct fixture *fx = *state;
	char err[256], path[256], target[256];
	char *body = NULL;
	size_t len;
	time_t age;

	assert_int_equal(cache_store(fx->dir, "keys", URL, "0123456789", 10),
	    0);
	/* larger than the caller's limit */
	assert_int_equal(cache_load(fx->dir, "keys", URL, 9, &body, &len,
	    &age, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "larger than 9 bytes"));
	/* a group-writable entry */
	entry_path(fx->dir, "keys", URL, path, sizeof(path));
	assert_int_equal(chmod(path, 0620), 0);
	assert_int_equal(cache_load(fx->dir, "keys", URL, 1024, &body, &len,
	    &age, err, sizeof(err)), -1);
	/* a symbolic link */
	snprintf(target, sizeof(target), "%s/elsewhere", fx->base);
	assert_int_equal(rename(path, target), 0);
	assert_int_equal(chmod(target, 0600), 0);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(cache_load(fx->dir, "keys", URL, 1024, &body, &len,
	    &age, err, sizeof(err)), -1);
	assert_null(body);
}

static void
test_unsafe_directory(void **state)
{
	struct fixture *fx = *state;
	char err[256];
	char *body = NULL;
	size_t len;
	time_t age;

	assert_int_equal(cache_store(fx->dir, "keys", URL, "x", 1), 0);
	assert_int_equal(chmod(fx->dir, 0777), 0);
	assert_int_equal(cache_load(fx->dir, "keys", URL, 1024, &body, &len,
	    &age, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "writable by it alone"));
	/* storing there is refused too, with a warning only */
	assert_int_equal(cache_store(fx->dir, "keys", URL, "y", 1), -1);
	assert_int_equal(chmod(fx->dir, 0700), 0);
	assert_int_equal(cache_load(fx->dir, "keys", URL, 1024, &body, &len,
	    &age, err, sizeof(err)), 0);
	assert_string_equal(body, "x");
	free(body);
}

static void
test_missing_parent(void **state)
{
	struct fixture *fx = *state;
	char dir[160], err[256];
	char *body = NULL;
	size_t len;
	time_t age;

	snprintf(dir, sizeof(dir), "%s/no/such", fx->base);
	assert_int_equal(cache_store(dir, "keys", URL, "x", 1), -1);
	assert_int_equal(cache_load(dir, "keys", URL, 1024, &body, &len,
	    &age, err, sizeof(err)), -1);
	/* loading never creates the directory */
	assert_int_equal(cache_load(fx->dir, "keys", URL, 1024, &body, &len,
	    &age, err, sizeof(err)), -1);
	assert_int_equal(access(fx->dir, F_OK), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_name),
		cmocka_unit_test_setup_teardown(test_store_and_load, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_temporary_left, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_age, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_entries, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unsafe_directory, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing_parent, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
