/* Unit tests for lib/url_template.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "url_template.h"

static const struct manager_request request = {
	.user = "vmconsole",
	.keytype = "ssh-ed25519",
	.fingerprint = "SHA256:ab+c/d=",
	.key = "AAAA+/==",
	.entityid = "u-42@x",
};

/* Expands tmpl with request and compares with want (NULL: must fail). */
static void
check(const char *tmpl, const struct manager_request *req, const char *want)
{
	char *got = url_template_expand(tmpl, req);

	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_no_placeholder(void **state)
{
	(void)state;
	check("https://m.example/keys.json", &request,
	    "https://m.example/keys.json");
	check("file:///srv/keys.json?x=%41", &request,
	    "file:///srv/keys.json?x=%41");
}

static void
test_every_placeholder(void **state)
{
	(void)state;
	check("https://m/k?u={user}&t={keytype}&f={fingerprint}&k={key}"
	    "&e={entityid}", &request,
	    "https://m/k?u=vmconsole&t=ssh-ed25519&f=SHA256%3Aab%2Bc%2Fd%3D"
	    "&k=AAAA%2B%2F%3D%3D&e=u-42%40x");
	check("https://m/{entityid}/{entityid}", &request,
	    "https://m/u-42%40x/u-42%40x");
}

static void
test_encoding(void **state)
{
	struct manager_request req = { 0 };
	char *enc;

	(void)state;
	req.user = "a b&c=d?e#f\n\"%~._-";
	check("http://m/{user}", &req,
	    "http://m/a%20b%26c%3Dd%3Fe%23f%0A%22%25~._-");
	req.user = "\xc3\xa9";
	check("http://m/{user}", &req, "http://m/%C3%A9");
	/* NULL members expand to nothing */
	check("http://m/?e={entityid}", &req, "http://m/?e=");
	enc = url_encode("");
	assert_non_null(enc);
	assert_string_equal(enc, "");
	free(enc);
}

static void
test_errors(void **state)
{
	(void)state;
	check("http://m/{nope}", &request, NULL);
	check("http://m/{User}", &request, NULL);
	check("http://m/{user", &request, NULL);
	check("http://m/user}", &request, NULL);
	check("http://m/{}", &request, NULL);
	check("http://m/{{user}}", &request, NULL);
	check("http://m/{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}",
	    &request, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_placeholder),
		cmocka_unit_test(test_every_placeholder),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
