/* Unit tests for authkeys/invocation.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "invocation.h"
#include "tempfiles.h"

#define USAGE "usage: test [-c FILE] [-v] A B"

struct fixture {
	char dir[64];
	char conf[128];
	struct vmconsole_config cfg;
	struct invocation inv;
	char *argv[8];		/* what inv.args points into */
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	if (tempfiles_make_dir("test_invocation", fx->dir,
	    sizeof(fx->dir)) != 0)
		return -1;
	snprintf(fx->conf, sizeof(fx->conf), "%s/vmconsole.conf", fx->dir);
	tempfiles_write_text(fx->conf, "manager_timeout = 7\n");
	config_init(&fx->cfg);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	invocation_free(&fx->inv);
	config_free(&fx->cfg);
	for (size_t i = 0; i < sizeof(fx->argv) / sizeof(fx->argv[0]); i++)
		free(fx->argv[i]);
	if (tempfiles_remove_dir(fx->dir) != 0)
		return -1;
	free(fx);
	return 0;
}

/* invocation_start() on the given words (argv[0] added). */
static int
start(struct fixture *fx, int nargs, const char *const *words, int count)
{
	int i;

	assert_true(count + 2 <= (int)(sizeof(fx->argv) / sizeof(fx->argv[0])));
	for (i = 0; i < count + 2; i++) {
		free(fx->argv[i]);
		fx->argv[i] = NULL;
	}
	assert_non_null(fx->argv[0] = strdup("vmconsole-authkeys"));
	for (i = 0; i < count; i++)
		assert_non_null(fx->argv[i + 1] = strdup(words[i]));
	return invocation_start(count + 1, fx->argv, nargs, USAGE, &fx->inv,
	    &fx->cfg);
}

static void
test_arguments_after_options(void **state)
{
	struct fixture *fx = *state;
	const char *words[] = { "-c", fx->conf, "alice", "ssh-ed25519" };

	assert_int_equal(start(fx, 2, words, 4), 0);
	assert_string_equal(fx->inv.args[0], "alice");
	assert_string_equal(fx->inv.args[1], "ssh-ed25519");
	assert_string_equal(fx->inv.conf_path, fx->conf);
	assert_false(fx->inv.verbose);
	assert_int_equal(fx->cfg.manager_timeout, 7);
}

static void
test_wrong_count_is_usage(void **state)
{
	struct fixture *fx = *state;
	const char *few[] = { "-c", fx->conf, "alice" };
	const char *many[] = { "-c", fx->conf, "alice", "b", "c" };

	assert_int_equal(start(fx, 2, few, 3), 2);
	invocation_free(&fx->inv);
	assert_int_equal(start(fx, 2, many, 5), 2);
}

/* sshd passes the user name as given: one that looks like an option is
 * an argument only after the options end, else a usage error. */
static void
test_option_like_user_is_usage(void **state)
{
	struct fixture *fx = *state;
	const char *words[] = { "-x", "b" };

	assert_int_equal(start(fx, 2, words, 2), 2);
}

/* The path goes into forced commands: a relative one is made absolute. */
static void
test_relative_conf_made_absolute(void **state)
{
	struct fixture *fx = *state;
	const char *words[] = { "-c", "vmconsole.conf", "a", "b" };
	char cwd[256], there[256], want[300];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(fx->dir), 0);
	assert_non_null(getcwd(there, sizeof(there)));
	assert_int_equal(start(fx, 2, words, 4), 0);
	assert_int_equal(chdir(cwd), 0);
	snprintf(want, sizeof(want), "%s/vmconsole.conf", there);
	assert_string_equal(fx->inv.conf_path, want);
	assert_int_equal(fx->cfg.manager_timeout, 7);
}

static void
test_unsafe_conf_path_refused(void **state)
{
	struct fixture *fx = *state;
	const char *words[] = { "-c", "/etc/vm console.conf", "a", "b" };

	assert_int_equal(start(fx, 2, words, 4), 1);
}

static void
test_missing_conf_refused(void **state)
{
	struct fixture *fx = *state;
	char path[160];
	const char *words[] = { "-c", path, "a", "b" };

	snprintf(path, sizeof(path), "%s/absent.conf", fx->dir);
	assert_int_equal(start(fx, 2, words, 4), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_arguments_after_options,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_count_is_usage,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_option_like_user_is_usage,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_relative_conf_made_absolute, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsafe_conf_path_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_conf_refused,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
