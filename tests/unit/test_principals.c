/* Unit tests for authkeys/principals.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cert_fixtures.h"
#include "principals.h"

#define HELPER "/usr/libexec/vmconsole-proxy/vmconsole-console-helper"
#define CONF "/etc/vmconsole-proxy/vmconsole.conf"
#define LINE(id, name, rest) "restrict,pty,command=\"" HELPER " -c " CONF \
	" --entity-id=" id " --entity=" name rest "\" " id "\n"

/* Renders the fixture blob with check; returns the output. */
static char *
render(const char *blob, principal_check check, void *ctx)
{
	struct certificate c;
	const char *why = NULL;
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(certificate_parse(blob, &c, &why), 0);
	assert_int_equal(principals_render(&c, HELPER, CONF, check, ctx, &out,
	    &len), 0);
	assert_int_equal(strlen(out), len);
	certificate_free(&c);
	return out;
}

static void
test_valid_principals_only(void **state)
{
	char *out;

	(void)state;
	/* "bad\"p" and "x y" are no entity ids: no line, nothing quoted */
	out = render(CERT_ED25519, NULL, NULL);
	assert_string_equal(out,
	    LINE("u-42", "alice", " --cert-serial=77 --cert-key-id=alice")
	    LINE("vmconsole", "alice",
	    " --cert-serial=77 --cert-key-id=alice"));
	free(out);
}

static void
test_key_id_not_an_entity_name(void **state)
{
	char *out;

	(void)state;
	out = render(CERT_RSA, NULL, NULL);
	assert_string_equal(out, LINE("u-7", "u-7",
	    " --cert-serial=18446744073709551615 --cert-key-id=Alice%20Smith"));
	free(out);
	out = render(CERT_ECDSA, NULL, NULL);
	assert_string_equal(out, LINE("u-1", "u-1", " --cert-serial=0")
	    LINE("u-2", "u-2", " --cert-serial=0"));
	free(out);
}

/* principal_check knowing only u-2; counts its calls in *ctx. */
static int
only_u2(const char *entity_id, void *ctx)
{
	(*(int *)ctx)++;
	return strcmp(entity_id, "u-2") == 0;
}

/* principal_check that cannot reach the manager. */
static int
unreachable(const char *entity_id, void *ctx)
{
	(void)entity_id;
	(void)ctx;
	return -1;
}

static void
test_check(void **state)
{
	struct certificate c;
	const char *why = NULL;
	char *out;
	size_t len;
	int calls = 0;

	(void)state;
	out = render(CERT_ECDSA, only_u2, &calls);
	assert_string_equal(out, LINE("u-2", "u-2", " --cert-serial=0"));
	assert_int_equal(calls, 2);
	free(out);
	assert_int_equal(certificate_parse(CERT_ECDSA, &c, &why), 0);
	assert_int_equal(principals_render(&c, HELPER, CONF, unreachable, NULL,
	    &out, &len), -1);
	assert_null(out);
	certificate_free(&c);
}

static void
test_at_most_a_few_principals(void **state)
{
	char *names[PRINCIPALS_HONOURED_MAX + 4];
	char buf[sizeof(names) / sizeof(names[0])][16];
	struct certificate c;
	char *out, *p;
	size_t len, i, lines = 0;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.type = (char *)(uintptr_t)"ssh-ed25519-cert-v01@openssh.com";
	c.key_id = (char *)(uintptr_t)"many";
	c.key_id_len = 4;
	c.cert_type = CERTIFICATE_TYPE_USER;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(buf[i], sizeof(buf[i]), "u-%zu", i);
		names[i] = buf[i];
	}
	c.principals = names;
	c.nprincipals = sizeof(names) / sizeof(names[0]);
	assert_int_equal(principals_render(&c, HELPER, CONF, NULL, NULL, &out,
	    &len), 0);
	for (p = out; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_int_equal(lines, PRINCIPALS_HONOURED_MAX);
	assert_null(strstr(out, "--entity-id=u-8 "));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_principals_only),
		cmocka_unit_test(test_key_id_not_an_entity_name),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_at_most_a_few_principals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
