/* Unit tests for lib/cache.c in a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache.h"
#include "tempfiles.h"

#define URL "https://m.example/keys?fingerprint=SHA256%3Ax"

static const struct cache_limits roomy = { 1000, 1024 * 1024 };

struct fixture {
	char base[64];
	char dir[96];
	struct fetch_validators v;
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
	snprintf(fx->v.etag, sizeof(fx->v.etag), "\"v1\"");
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
	char name[CACHE_NAME_MAX];

	assert_non_null(cache_entry_name(kind, url, name, sizeof(name)));
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

/* Returns the number of files in dir whose names start with prefix. */
static int
count_files(const char *dir, const char *prefix)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0 &&
		    strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* Sets the modification time of path to ago seconds in the past. */
static void
age_file(const char *path, long ago)
{
	struct timeval times[2];

	memset(times, 0, sizeof(times));
	times[0].tv_sec = times[1].tv_sec = time(NULL) - ago;
	assert_int_equal(utimes(path, times), 0);
}

static void
test_entry_name(void **state)
{
	char a[CACHE_NAME_MAX], b[CACHE_NAME_MAX], c[CACHE_NAME_MAX];

	(void)state;
	assert_non_null(cache_entry_name("keys", URL, a, sizeof(a)));
	assert_non_null(cache_entry_name("keys", URL "y", b, sizeof(b)));
	assert_non_null(cache_entry_name("consoles", URL, c, sizeof(c)));
	assert_string_not_equal(a, b);
	assert_int_equal(strncmp(a, "keys-", 5), 0);
	assert_int_equal(strncmp(c, "consoles-", 9), 0);
	/* a SHA-256: 64 hexadecimal digits */
	assert_int_equal(strlen(a), strlen("keys-") + 64);
	assert_null(cache_entry_name("keys", URL, c, 8));
	assert_non_null(cache_entry_name("keys", URL, b, sizeof(b)));
	assert_string_equal(a, b);
}

static void
test_store_and_open(void **state)
{
	struct fixture *fx = *state;
	struct cache_entry e;
	char err[256];

	assert_int_equal(cache_open(fx->dir, "keys", URL, 1024, &e, err,
	    sizeof(err)), 1);
	assert_int_equal(cache_store(fx->dir, &roomy, "keys", URL, &fx->v,
	    "{\"a\":1}\0z", 9), 0);
	assert_int_equal(cache_open(fx->dir, "keys", URL, 1024, &e, err,
	    sizeof(err)), 0);
	assert_int_equal(e.payload_len, 9);
	assert_memory_equal(e.payload, "{\"a\":1}\0z", 9);
	assert_string_equal(e.validators.etag, "\"v1\"");
	assert_true(e.age >= 0 && e.age < 5);
	cache_close(&e);
	/* another kind or URL has no entry */
	assert_int_equal(cache_open(fx->dir, "consoles", URL, 1024, &e, err,
	    sizeof(err)), 1);
	assert_int_equal(cache_open(fx->dir, "keys", URL "z", 1024, &e, err,
	    sizeof(err)), 1);
}

/* An entry copied to another URL's name is refused: the URL is inside. */
static void
test_entry_used_only_for_its_url(void **state)
{
	struct fixture *fx = *state;
	char from[256], to[256], err[256];
	struct cache_entry e;

	assert_int_equal(cache_store(fx->dir, &roomy, "keys", URL, &fx->v,
	    "x", 1), 0);
	entry_path(fx->dir, "keys", URL, from, sizeof(from));
	entry_path(fx->dir, "keys", URL "other", to, sizeof(to));
	assert_int_equal(rename(from, to), 0);
	assert_int_equal(cache_open(fx->dir, "keys", URL "other", 1024, &e,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "another URL"));
}

static void
test_unchanged_content_not_rewritten(void **state)
{
	struct fixture *fx = *state;
	struct stat before, after;
	char path[256];

	assert_int_equal(cache_store(fx->dir, &roomy, "keys", URL, &fx->v,
	    "same", 4), 0);
	entry_path(fx->dir, "keys", URL, path, sizeof(path));
	age_file(path, 100);
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(cache_store(fx->dir, &roomy, "keys", URL, &fx->v,
	    "same", 4), 0);
	assert_int_equal(stat(path, &after), 0);
	/* the same file, only marked confirmed */
	assert_int_equal(before.st_ino, after.st_ino);
	assert_true(after.st_mtime > before.st_mtime);
	assert_int_equal(cache_store(fx->dir, &roomy, "keys", URL, &fx->v,
	    "diff", 4), 0);
	assert_int_equal(stat(path, &after), 0);
	assert_int_not_equal(before.st_ino, after.st_ino);
	assert_int_equal(count_files(fx->dir, ".tmp-"), 0);
}

static void
test_mark_confirmed_and_remove(void **state)
{
	struct fixture *fx = *state;
	struct cache_entry e;
	char path[256], err[256];

	assert_int_equal(cache_store(fx->dir, &roomy, "keys", URL, &fx->v,
	    "x", 1), 0);
	entry_path(fx->dir, "keys", URL, path, sizeof(path));
	age_file(path, 300);
	assert_int_equal(cache_open(fx->dir, "keys", URL, 1024, &e, err,
	    sizeof(err)), 0);
	assert_true(e.age >= 300 && e.age < 305);
	cache_mark_confirmed(&e);
	cache_close(&e);
	assert_int_equal(cache_open(fx->dir, "keys", URL, 1024, &e, err,
	    sizeof(err)), 0);
	assert_true(e.age < 5);
	cache_close(&e);
	cache_remove(fx->dir, "keys", URL);
	assert_int_equal(cache_open(fx->dir, "keys", URL, 1024, &e, err,
	    sizeof(err)), 1);
	/* removing what is not there is quiet */
	cache_remove(fx->dir, "keys", URL);
}

static void
test_oldest_evicted_by_count(void **state)
{
	struct fixture *fx = *state;
	const struct cache_limits three = { 3, 1024 * 1024 };
	char url[64], path[256], err[256];
	struct cache_entry e;
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(url, sizeof(url), "%s%d", URL, i);
		assert_int_equal(cache_store(fx->dir, &three, "keys", url,
		    &fx->v, "x", 1), 0);
		entry_path(fx->dir, "keys", url, path, sizeof(path));
		/* entry 0 is the oldest */
		age_file(path, 100 - i);
	}
	assert_int_equal(count_files(fx->dir, "keys-"), 3);
	assert_int_equal(cache_store(fx->dir, &three, "keys", URL "new",
	    &fx->v, "x", 1), 0);
	assert_int_equal(count_files(fx->dir, "keys-"), 3);
	assert_int_equal(cache_open(fx->dir, "keys", URL "0", 1024, &e, err,
	    sizeof(err)), 1);
	assert_int_equal(cache_open(fx->dir, "keys", URL "1", 1024, &e, err,
	    sizeof(err)), 0);
	cache_close(&e);
	assert_int_equal(cache_open(fx->dir, "keys", URL "new", 1024, &e, err,
	    sizeof(err)), 0);
	cache_close(&e);
}

static void
test_oldest_evicted_by_bytes(void **state)
{
	struct fixture *fx = *state;
	const struct cache_limits small = { 1000, 3000 };
	char big[1000], path[256], err[256];
	struct cache_entry e;

	memset(big, 'b', sizeof(big));
	assert_int_equal(cache_store(fx->dir, &small, "keys", URL "a", &fx->v,
	    big, sizeof(big)), 0);
	entry_path(fx->dir, "keys", URL "a", path, sizeof(path));
	age_file(path, 50);
	assert_int_equal(cache_store(fx->dir, &small, "keys", URL "b", &fx->v,
	    big, sizeof(big)), 0);
	assert_int_equal(cache_store(fx->dir, &small, "keys", URL "c", &fx->v,
	    big, sizeof(big)), 0);
	/* three entries with their headers exceed 3000 bytes: a goes */
	assert_int_equal(cache_open(fx->dir, "keys", URL "a", 2048, &e, err,
	    sizeof(err)), 1);
	assert_int_equal(count_files(fx->dir, "keys-"), 2);
	/* a single answer larger than the bound is not kept at all */
	assert_int_equal(cache_store(fx->dir, &(struct cache_limits){ 10,
	    500 }, "keys", URL "d", &fx->v, big, sizeof(big)), -1);
}

static void
test_stale_temporary_files_removed(void **state)
{
	struct fixture *fx = *state;
	char stale[256], young[256];

	assert_int_equal(cache_store(fx->dir, &roomy, "keys", URL, &fx->v,
	    "x", 1), 0);
	snprintf(stale, sizeof(stale), "%s/.tmp-keys-dead.AbCdEf", fx->dir);
	snprintf(young, sizeof(young), "%s/.tmp-keys-busy.GhIjKl", fx->dir);
	tempfiles_write_text(stale, "half");
	tempfiles_write_text(young, "half");
	age_file(stale, CACHE_STALE_TEMP_SECONDS + 60);
	assert_int_equal(cache_store(fx->dir, &roomy, "keys", URL "2", &fx->v,
	    "y", 1), 0);
	assert_int_equal(access(stale, F_OK), -1);
	/* a writer still at work keeps its file */
	assert_int_equal(access(young, F_OK), 0);
}

static void
test_refused_entries(void **state)
{
	struct fixture *fx = *state;
	char path[256], err[256];
	struct cache_entry e;

	assert_int_equal(cache_store(fx->dir, &roomy, "keys", URL, &fx->v,
	    "0123456789", 10), 0);
	entry_path(fx->dir, "keys", URL, path, sizeof(path));
	/* others may write it */
	assert_int_equal(chmod(path, 0622), 0);
	assert_int_equal(cache_open(fx->dir, "keys", URL, 1024, &e, err,
	    sizeof(err)), -1);
	assert_int_equal(chmod(path, 0600), 0);
	/* from the future */
	age_file(path, -3600);
	assert_int_equal(cache_open(fx->dir, "keys", URL, 1024, &e, err,
	    sizeof(err)), -1);
	/* a second ahead: a fine file timestamp against a coarse clock */
	age_file(path, -1);
	assert_int_equal(cache_open(fx->dir, "keys", URL, 1024, &e, err,
	    sizeof(err)), 0);
	assert_int_equal(e.age, 0);
	cache_close(&e);
	/* damaged: cut short */
	assert_int_equal(truncate(path, 40), 0);
	age_file(path, 1);
	assert_int_equal(cache_open(fx->dir, "keys", URL, 1024, &e, err,
	    sizeof(err)), -1);
	/* not an entry at all */
	tempfiles_write_text(path, "{\"version\": 1, \"keys\": []}");
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(cache_open(fx->dir, "keys", URL, 1024, &e, err,
	    sizeof(err)), -1);
}

static void
test_unsafe_directory(void **state)
{
	struct fixture *fx = *state;
	struct cache_entry e;
	char err[256];

	assert_int_equal(cache_store(fx->dir, &roomy, "keys", URL, &fx->v,
	    "x", 1), 0);
	assert_int_equal(chmod(fx->dir, 0777), 0);
	assert_int_equal(cache_open(fx->dir, "keys", URL, 1024, &e, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "writable by it alone"));
	assert_int_equal(cache_store(fx->dir, &roomy, "keys", URL, &fx->v,
	    "y", 1), -1);
	assert_int_equal(chmod(fx->dir, 0700), 0);
}

static void
test_missing_parent(void **state)
{
	struct fixture *fx = *state;
	struct cache_entry e;
	char dir[160], err[256];

	snprintf(dir, sizeof(dir), "%s/no/such", fx->base);
	assert_int_equal(cache_store(dir, &roomy, "keys", URL, &fx->v, "x", 1),
	    -1);
	assert_int_equal(cache_open(dir, "keys", URL, 1024, &e, err,
	    sizeof(err)), 1);
}

static void
test_lock_is_exclusive(void **state)
{
	struct fixture *fx = *state;
	struct cache_entry a, b;
	char err[256];
	int la, lb;

	assert_int_equal(cache_store(fx->dir, &roomy, "keys", URL, &fx->v,
	    "x", 1), 0);
	assert_int_equal(cache_open(fx->dir, "keys", URL, 1024, &a, err,
	    sizeof(err)), 0);
	assert_int_equal(cache_open(fx->dir, "keys", URL, 1024, &b, err,
	    sizeof(err)), 0);
	assert_true((la = cache_lock(&a, 1)) != -1);
	/* another open file description waits, then gives up */
	assert_int_equal(cache_lock(&b, 0), -1);
	/* the lock belongs to a's open file: released once both are closed */
	close(la);
	cache_close(&a);
	assert_true((lb = cache_lock(&b, 0)) != -1);
	close(lb);
	cache_close(&b);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_name),
		T(test_store_and_open),
		T(test_entry_used_only_for_its_url),
		T(test_unchanged_content_not_rewritten),
		T(test_mark_confirmed_and_remove),
		T(test_oldest_evicted_by_count),
		T(test_oldest_evicted_by_bytes),
		T(test_stale_temporary_files_removed),
		T(test_refused_entries),
		T(test_unsafe_directory),
		T(test_missing_parent),
		T(test_lock_is_exclusive),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
