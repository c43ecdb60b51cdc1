/* Unit tests for console-helper/options.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAX_ARGS 8

/* Writable copies of argument strings, as main() gets them. */
static char *argv_copy[MAX_ARGS + 1];

/* Returns an argv copied from args (freed by free_argv()). */
static char **
make_argv(const char *const *args, int argc)
{
	int i;

	assert_true(argc <= MAX_ARGS);
	for (i = 0; i < argc; i++)
		assert_non_null(argv_copy[i] = strdup(args[i]));
	argv_copy[argc] = NULL;
	return argv_copy;
}

static void
free_argv(void)
{
	int i;

	for (i = 0; argv_copy[i] != NULL; i++) {
		free(argv_copy[i]);
		argv_copy[i] = NULL;
	}
}

/* Parses args and returns options_parse()'s result. */
static int
parse(const char *const *args, int argc, struct helper_options *o)
{
	return options_parse(argc, make_argv(args, argc), o);
}

static void
test_accepted(void **state)
{
	const char *const args[] = { "helper", "-c", "/etc/v.conf",
	    "--entity-id=u-42", "--entity=alice@example.org", "-v" };
	struct helper_options o;

	(void)state;
	assert_int_equal(parse(args, ARGC(args), &o), 0);
	assert_string_equal(o.config_path, "/etc/v.conf");
	assert_string_equal(o.entity_id, "u-42");
	assert_string_equal(o.entity, "alice@example.org");
	assert_true(o.verbose);
	free_argv();
}

static void
test_default_config(void **state)
{
	const char *const args[] = { "helper", "--entity=a.b+c_-",
	    "--entity-id=1" };
	struct helper_options o;

	(void)state;
	assert_int_equal(parse(args, ARGC(args), &o), 0);
	assert_string_equal(o.config_path, VMCONSOLE_CONF_FILE);
	assert_false(o.verbose);
	free_argv();
}

/* Checks that args are refused. */
static void
check_refused(const char *const *args, int argc)
{
	struct helper_options o;

	assert_int_equal(parse(args, argc, &o), -1);
	free_argv();
}

static void
test_certificate_options(void **state)
{
	const char *const args[] = { "helper", "-c", "/etc/v.conf",
	    "--entity-id=u-42", "--entity=alice", "--cert-serial=77",
	    "--cert-key-id=Alice%20Smith" };
	const char *const bad_serial[] = { "helper", "--entity-id=1",
	    "--entity=a", "--cert-serial=1x" };
	const char *const id_alone[] = { "helper", "--entity-id=1",
	    "--entity=a", "--cert-key-id=alice" };
	const char *const bad_id[] = { "helper", "--entity-id=1",
	    "--entity=a", "--cert-serial=1", "--cert-key-id=a b" };
	struct helper_options o;

	(void)state;
	assert_int_equal(parse(args, ARGC(args), &o), 0);
	assert_string_equal(o.cert_serial, "77");
	assert_string_equal(o.cert_key_id, "Alice%20Smith");
	free_argv();
	check_refused(bad_serial, ARGC(bad_serial));
	check_refused(id_alone, ARGC(id_alone));
	check_refused(bad_id, ARGC(bad_id));
}

static void
test_refused(void **state)
{
	const char *const missing_id[] = { "helper", "--entity=a" };
	const char *const missing_name[] = { "helper", "--entity-id=1" };
	const char *const empty[] = { "helper", "--entity-id=",
	    "--entity=a" };
	const char *const blank[] = { "helper", "--entity-id=a b",
	    "--entity=a" };
	const char *const semicolon[] = { "helper", "--entity-id=1",
	    "--entity=a;b" };
	const char *const twice[] = { "helper", "--entity-id=1",
	    "--entity-id=2", "--entity=a" };
	const char *const unknown[] = { "helper", "--entity-id=1",
	    "--entity=a", "x" };
	const char *const no_file[] = { "helper", "--entity-id=1",
	    "--entity=a", "-c" };
	char long_id[160] = "--entity-id=";
	const char *const too_long[] = { "helper", long_id, "--entity=a" };

	(void)state;
	memset(long_id + 12, 'x', 129);
	long_id[12 + 129] = '\0';
	check_refused(missing_id, ARGC(missing_id));
	check_refused(missing_name, ARGC(missing_name));
	check_refused(empty, ARGC(empty));
	check_refused(blank, ARGC(blank));
	check_refused(semicolon, ARGC(semicolon));
	check_refused(twice, ARGC(twice));
	check_refused(unknown, ARGC(unknown));
	check_refused(no_file, ARGC(no_file));
	check_refused(too_long, ARGC(too_long));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_default_config),
		cmocka_unit_test(test_certificate_options),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
