/*
 * Unit tests for lib/http_fetch.c with file:// URLs; http and https are
 * exercised end to end against a real server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "http_fetch.h"
#include "tempfiles.h"

struct fixture {
	char dir[64];
	struct vmconsole_config cfg;
};

/* Writes len bytes of data to dir/name and returns its path in buf. */
static char *
write_file(const char *dir, const char *name, const char *data, size_t len,
    char *buf, size_t buflen)
{
	snprintf(buf, buflen, "%s/%s", dir, name);
	tempfiles_write(buf, data, len);
	return buf;
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	if (tempfiles_make_dir("test_http_fetch", fx->dir, sizeof(fx->dir)) != 0)
		return -1;
	config_init(&fx->cfg);
	fx->cfg.manager_max_response = 1024;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	if (tempfiles_remove_dir(fx->dir) != 0)
		return -1;
	config_free(&fx->cfg);
	free(fx);
	return 0;
}

static void
test_file_url(void **state)
{
	struct fixture *fx = *state;
	char path[128], url[160], err[HTTP_FETCH_ERR_MAX];
	char *body = NULL;
	size_t len = 0;

	write_file(fx->dir, "doc.json", "{\"version\": 1}\n\0x", 17, path,
	    sizeof(path));
	snprintf(url, sizeof(url), "file://%s", path);
	assert_int_equal(http_fetch(&fx->cfg, url, &body, &len, err,
	    sizeof(err)), 0);
	/* the body is returned byte for byte, NUL included */
	assert_int_equal(len, 17);
	assert_memory_equal(body, "{\"version\": 1}\n\0x", 17);
	assert_int_equal(body[len], '\0');
	free(body);
}

static void
test_empty_file(void **state)
{
	struct fixture *fx = *state;
	char path[128], url[160], err[HTTP_FETCH_ERR_MAX];
	char *body = NULL;
	size_t len = 1;

	write_file(fx->dir, "empty", "", 0, path, sizeof(path));
	snprintf(url, sizeof(url), "file://%s", path);
	assert_int_equal(http_fetch(&fx->cfg, url, &body, &len, err,
	    sizeof(err)), 0);
	assert_int_equal(len, 0);
	assert_string_equal(body, "");
	free(body);
}

static void
test_size_cap(void **state)
{
	struct fixture *fx = *state;
	char path[128], url[160], err[HTTP_FETCH_ERR_MAX], data[1025];
	char *body = NULL;
	size_t len = 0;

	memset(data, 'x', sizeof(data));
	write_file(fx->dir, "big", data, 1024, path, sizeof(path));
	snprintf(url, sizeof(url), "file://%s", path);
	assert_int_equal(http_fetch(&fx->cfg, url, &body, &len, err,
	    sizeof(err)), 0);
	assert_int_equal(len, 1024);
	free(body);
	write_file(fx->dir, "big", data, 1025, path, sizeof(path));
	assert_int_equal(http_fetch(&fx->cfg, url, &body, &len, err,
	    sizeof(err)), -1);
	assert_null(body);
	assert_non_null(strstr(err, "answer larger than 1024 bytes"));
	assert_non_null(strstr(err, path));
}

static void
test_missing_file(void **state)
{
	struct fixture *fx = *state;
	char url[160], err[HTTP_FETCH_ERR_MAX];
	char *body = NULL;
	size_t len = 0;

	snprintf(url, sizeof(url), "file://%s/none?token=secret#frag",
	    fx->dir);
	assert_int_equal(http_fetch(&fx->cfg, url, &body, &len, err,
	    sizeof(err)), -1);
	assert_null(body);
	assert_non_null(strstr(err, "cannot fetch file://"));
	assert_null(strstr(err, "secret"));
	assert_null(strstr(err, "frag"));
}

static void
test_other_schemes_refused(void **state)
{
	struct fixture *fx = *state;
	char err[HTTP_FETCH_ERR_MAX];
	char *body = NULL;
	size_t len = 0;

	assert_int_equal(http_fetch(&fx->cfg, "ftp://127.0.0.1/x", &body,
	    &len, err, sizeof(err)), -1);
	assert_int_equal(http_fetch(&fx->cfg, "gopher://127.0.0.1/x", &body,
	    &len, err, sizeof(err)), -1);
	assert_int_equal(http_fetch(&fx->cfg, "dict://127.0.0.1/x", &body,
	    &len, err, sizeof(err)), -1);
	assert_null(body);
}

static void
test_bad_token_fails_fetch(void **state)
{
	struct fixture *fx = *state;
	char path[128], tok[128], url[160], err[HTTP_FETCH_ERR_MAX];
	char *body = NULL;
	size_t len = 0;

	write_file(fx->dir, "doc", "{}", 2, path, sizeof(path));
	write_file(fx->dir, "token", "\n", 1, tok, sizeof(tok));
	snprintf(url, sizeof(url), "file://%s", path);
	fx->cfg.manager_token_file = strdup(tok);
	assert_int_equal(http_fetch(&fx->cfg, url, &body, &len, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "empty"));
	write_file(fx->dir, "token", "abc\n", 4, tok, sizeof(tok));
	assert_int_equal(http_fetch(&fx->cfg, url, &body, &len, err,
	    sizeof(err)), 0);
	free(body);
}

static void
test_token_not_sent_over_plain_http(void **state)
{
	struct fixture *fx = *state;
	char tok[128], err[HTTP_FETCH_ERR_MAX];
	char *body = NULL;
	size_t len = 0;

	write_file(fx->dir, "token", "abc\n", 4, tok, sizeof(tok));
	fx->cfg.manager_token_file = strdup(tok);
	/* refused before any connection is tried: nothing listens there */
	assert_int_equal(http_fetch(&fx->cfg, "http://192.0.2.1/keys?t=x",
	    &body, &len, err, sizeof(err)), -1);
	assert_string_equal(err, "cannot fetch http://192.0.2.1/keys: the "
	    "bearer token is only sent over https, or plain http to this "
	    "machine");
	assert_int_equal(http_fetch(&fx->cfg, "HTTP://localhost.evil/",
	    &body, &len, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bearer token"));
	assert_int_equal(http_fetch(&fx->cfg, "http://127.example.com/",
	    &body, &len, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bearer token"));
	assert_null(body);
	/* to this machine it may go; nothing listens on port 9, so the
	 * failure must come from the connection, not from the policy */
	assert_int_equal(http_fetch(&fx->cfg, "http://127.0.0.1:9/",
	    &body, &len, err, sizeof(err)), -1);
	assert_null(strstr(err, "bearer token"));
	assert_int_equal(http_fetch(&fx->cfg, "http://localhost:9/",
	    &body, &len, err, sizeof(err)), -1);
	assert_null(strstr(err, "bearer token"));
	assert_int_equal(http_fetch(&fx->cfg, "http://[::1]:9/",
	    &body, &len, err, sizeof(err)), -1);
	assert_null(strstr(err, "bearer token"));
}

static void
test_read_token(void **state)
{
	struct fixture *fx = *state;
	char path[128], err[HTTP_FETCH_ERR_MAX], big[HTTP_FETCH_TOKEN_MAX + 1];
	char *t;

	write_file(fx->dir, "t", "s3cr3t.token-_~+/=\n", 19, path,
	    sizeof(path));
	t = http_fetch_read_token(path, err, sizeof(err));
	assert_non_null(t);
	assert_string_equal(t, "s3cr3t.token-_~+/=");
	free(t);
	write_file(fx->dir, "t", "abc\r\n", 5, path, sizeof(path));
	t = http_fetch_read_token(path, err, sizeof(err));
	assert_non_null(t);
	assert_string_equal(t, "abc");
	free(t);
	write_file(fx->dir, "t", "abc", 3, path, sizeof(path));
	t = http_fetch_read_token(path, err, sizeof(err));
	assert_non_null(t);
	free(t);
	write_file(fx->dir, "t", "", 0, path, sizeof(path));
	assert_null(http_fetch_read_token(path, err, sizeof(err)));
	write_file(fx->dir, "t", "a\nb\n", 4, path, sizeof(path));
	assert_null(http_fetch_read_token(path, err, sizeof(err)));
	write_file(fx->dir, "t", "a b", 3, path, sizeof(path));
	assert_null(http_fetch_read_token(path, err, sizeof(err)));
	write_file(fx->dir, "t", "ab\n\n", 4, path, sizeof(path));
	assert_null(http_fetch_read_token(path, err, sizeof(err)));
	write_file(fx->dir, "t", "a\0b", 3, path, sizeof(path));
	assert_null(http_fetch_read_token(path, err, sizeof(err)));
	write_file(fx->dir, "t", "\xc3\xa9", 2, path, sizeof(path));
	assert_null(http_fetch_read_token(path, err, sizeof(err)));
	memset(big, 'a', sizeof(big));
	write_file(fx->dir, "t", big, sizeof(big), path, sizeof(path));
	assert_null(http_fetch_read_token(path, err, sizeof(err)));
	assert_non_null(strstr(err, "longer"));
	assert_null(http_fetch_read_token(fx->dir, err, sizeof(err)));
	snprintf(path, sizeof(path), "%s/none", fx->dir);
	assert_null(http_fetch_read_token(path, err, sizeof(err)));
}

static void
test_redact_url(void **state)
{
	static const char *const cases[][2] = {
		{ "https://m.example/keys", "https://m.example/keys" },
		{ "https://user:pw@m.example:8443/k?token=x#y",
		    "https://m.example:8443/k" },
		{ "https://a@b@m.example/k@x", "https://m.example/k@x" },
		{ "http://m/?fingerprint=SHA256:x", "http://m/" },
		{ "file:///srv/keys.json", "file:///srv/keys.json" },
		{ "not a url?x", "not a url" },
	};
	size_t i;
	char *r;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = http_fetch_redact_url(cases[i][0]);
		assert_non_null(r);
		assert_string_equal(r, cases[i][1]);
		free(r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_file_url, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_token_not_sent_over_plain_http, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_size_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_other_schemes_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_token_fails_fetch,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_token, setup,
		    teardown),
		cmocka_unit_test(test_redact_url),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
