/*
 * Unit tests for console-helper/dispatch.c: the commands that need no
 * terminal, with the manager answering from a file:// URL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "dispatch.h"
#include "exit_status.h"
#include "tempfiles.h"

struct fixture {
	char dir[64];
	char doc[128];
	struct vmconsole_config cfg;
	struct audit_context audit;
	char out[8192];		/* what the command printed on stdout */
	char err[8192];		/* and on stderr */
};

static const char consoles_doc[] =
    "{\"version\":1,\"consoles\":["
    "{\"vmid\":\"id-w\",\"vm\":\"web01\",\"host\":\"hv1\"},"
    "{\"vmid\":\"id-e\",\"vm\":\"evil\\u001b[2J\",\"host\":\"hv2\","
    "\"console\":\"serial1\"},"
    "{\"vmid\":\"id-d\",\"vm\":\"db01\",\"host\":\"hv1\"},"
    "{\"vmid\":\"id-x\",\"vm\":\"other\",\"host\":\"hv1\","
    "\"entities\":[\"u-99\"]}]}";

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char url[256];

	if (fx == NULL)
		return -1;
	if (tempfiles_make_dir("test_dispatch", fx->dir,
	    sizeof(fx->dir)) != 0) {
		free(fx);
		return -1;
	}
	snprintf(fx->doc, sizeof(fx->doc), "%s/consoles.json", fx->dir);
	tempfiles_write_text(fx->doc, consoles_doc);
	config_init(&fx->cfg);
	snprintf(url, sizeof(url), "file://%s", fx->doc);
	fx->cfg.manager_consoles_url = strdup(url);
	free(fx->cfg.cache_dir);
	fx->cfg.cache_dir = strdup(fx->dir);
	fx->cfg.cache_max_stale = 0;
	/* consoles are opened through a broker whose socket lives here */
	snprintf(url, sizeof(url), "%s/run", fx->dir);
	free(fx->cfg.runtime_dir);
	fx->cfg.runtime_dir = strdup(url);
	audit_context_init(&fx->audit, "u-42", "alice", NULL);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	int ret;

	config_free(&fx->cfg);
	ret = tempfiles_remove_dir(fx->dir);
	free(fx);
	return ret;
}

/* Reads the whole of fd from its start into buf (size len). */
static void
read_back(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
}

/*
 * Parses text and runs it with stdin on /dev/null and stdout and stderr
 * captured into fx. Returns the exit status.
 */
static int
run(struct fixture *fx, const char *text)
{
	struct helper_command cmd;
	char out_path[128], err_path[128];
	int saved[3], out, err, null_fd, status;

	assert_int_equal(command_parse(text, &cmd), 0);
	snprintf(out_path, sizeof(out_path), "%s/out", fx->dir);
	snprintf(err_path, sizeof(err_path), "%s/err", fx->dir);
	assert_true((out = open(out_path, O_RDWR | O_CREAT | O_TRUNC,
	    0600)) >= 0);
	assert_true((err = open(err_path, O_RDWR | O_CREAT | O_TRUNC,
	    0600)) >= 0);
	assert_true((null_fd = open("/dev/null", O_RDONLY)) >= 0);
	fflush(stdout);
	fflush(stderr);
	saved[0] = dup(0);
	saved[1] = dup(1);
	saved[2] = dup(2);
	dup2(null_fd, 0);
	dup2(out, 1);
	dup2(err, 2);
	status = dispatch_command(dispatch_needs_config(&cmd) ? &fx->cfg :
	    NULL, &fx->audit, &cmd);
	fflush(stdout);
	fflush(stderr);
	dup2(saved[0], 0);
	dup2(saved[1], 1);
	dup2(saved[2], 2);
	read_back(out, fx->out, sizeof(fx->out));
	read_back(err, fx->err, sizeof(fx->err));
	close(saved[0]);
	close(saved[1]);
	close(saved[2]);
	close(out);
	close(err);
	close(null_fd);
	command_free(&cmd);
	return status;
}

/*
 * Runs text with stdin and stdout on a new pty whose input already holds
 * typed, and stderr captured into fx->err; what the pty showed (output and
 * echo) goes into fx->out. Returns the exit status.
 */
static int
run_on_pty(struct fixture *fx, const char *text, const char *typed)
{
	struct helper_command cmd;
	char err_path[128];
	int saved[3], master, slave, err, status;
	size_t got = 0;
	ssize_t n;

	assert_int_equal(command_parse(text, &cmd), 0);
	assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
	assert_int_equal(write(master, typed, strlen(typed)),
	    (ssize_t)strlen(typed));
	snprintf(err_path, sizeof(err_path), "%s/err", fx->dir);
	assert_true((err = open(err_path, O_RDWR | O_CREAT | O_TRUNC,
	    0600)) >= 0);
	fflush(stdout);
	fflush(stderr);
	saved[0] = dup(0);
	saved[1] = dup(1);
	saved[2] = dup(2);
	dup2(slave, 0);
	dup2(slave, 1);
	dup2(err, 2);
	status = dispatch_command(&fx->cfg, &fx->audit, &cmd);
	fflush(stdout);
	fflush(stderr);
	dup2(saved[0], 0);
	dup2(saved[1], 1);
	dup2(saved[2], 2);
	read_back(err, fx->err, sizeof(fx->err));
	/* everything shown is already in the pty's buffer */
	assert_int_equal(fcntl(master, F_SETFL, O_NONBLOCK), 0);
	while (got < sizeof(fx->out) - 1 && ((n = read(master, fx->out + got,
	    sizeof(fx->out) - 1 - got)) > 0 || (n < 0 && errno == EINTR)))
		got += n > 0 ? (size_t)n : 0;
	fx->out[got] = '\0';
	close(saved[0]);
	close(saved[1]);
	close(saved[2]);
	close(err);
	close(slave);
	close(master);
	command_free(&cmd);
	return status;
}

/* Returns how many times needle occurs in haystack. */
static int
count_of(const char *haystack, const char *needle)
{
	const char *p = haystack;
	int n = 0;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/*
 * A console chosen in the picker that cannot be opened (libvirt's test
 * driver has none of these domains) gets its one-line message, neutralised,
 * and the picker again; q then leaves normally.
 */
static void
test_picker_comes_back_after_failed_open(void **state)
{
	struct fixture *fx = *state;

	free(fx->cfg.libvirt_uri);
	assert_non_null(fx->cfg.libvirt_uri = strdup("test:///default"));
	fx->cfg.libvirt_keepalive_interval = 0;
	assert_int_equal(run_on_pty(fx, "", "1\nid-e\nq\n"), EXIT_STATUS_OK);
	assert_int_equal(count_of(fx->out, "  1. db01 [id-d] on hv1"), 3);
	assert_int_equal(count_of(fx->out, "Choose a console"), 3);
	assert_non_null(strstr(fx->err, ": no such VM on hv1\n"));
	assert_non_null(strstr(fx->err, ": no such VM on hv2\n"));
	assert_null(strchr(fx->err, '\x1b'));
	assert_int_equal(count_of(fx->err, "\n"), 2);
}

/* A console named on the command line keeps its message and status. */
static void
test_named_console_failure_is_final(void **state)
{
	struct fixture *fx = *state;

	free(fx->cfg.libvirt_uri);
	assert_non_null(fx->cfg.libvirt_uri = strdup("test:///default"));
	fx->cfg.libvirt_keepalive_interval = 0;
	assert_int_equal(run_on_pty(fx, "web01", "q\n"),
	    EXIT_STATUS_CONNECT);
	assert_non_null(strstr(fx->err,
	    "cannot open the console of web01: no such VM on hv1\n"));
	assert_null(strstr(fx->out, "Choose a console"));
}

static void
test_help_and_version(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(run(fx, "help"), EXIT_STATUS_OK);
	assert_non_null(strstr(fx->out, "connect --vm-id=ID"));
	assert_int_equal(run(fx, "--help"), EXIT_STATUS_OK);
	assert_non_null(strstr(fx->out, "list [--format=json]"));
	assert_int_equal(run(fx, "version"), EXIT_STATUS_OK);
	assert_string_equal(fx->out,
	    "vmconsole-console-helper " VMCONSOLE_VERSION "\n");
	assert_false(dispatch_needs_config(&(struct helper_command){
	    .kind = COMMAND_VERSION }));
}

static void
test_list_sorted_and_neutralised(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(run(fx, "list"), EXIT_STATUS_OK);
	assert_string_equal(fx->out,
	    "id-d\tdb01\thv1\n"
	    "id-e\tevil\\x1b[2J\thv2\n"
	    "id-w\tweb01\thv1\n");
	assert_string_equal(fx->err, "");
}

/*
 * Runs text in a child whose stdout is a pipe nobody reads any more;
 * returns the child's wait status.
 */
static int
run_to_vanished_client(struct fixture *fx, const char *text)
{
	struct helper_command cmd;
	int fds[2], status = -1, null_fd;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		close(fds[0]);
		/* the child starts from the default a shell would give it */
		signal(SIGPIPE, SIG_DFL);
		null_fd = open("/dev/null", O_RDWR);
		dup2(fds[1], 1);
		dup2(null_fd, 2);
		if (command_parse(text, &cmd) != 0)
			_exit(99);
		_exit(dispatch_command(&fx->cfg, &fx->audit, &cmd));
	}
	close(fds[0]);
	close(fds[1]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

/* list to a client that went away: exit status 8, not death by SIGPIPE */
static void
test_list_to_vanished_client(void **state)
{
	struct fixture *fx = *state;
	int status;

	status = run_to_vanished_client(fx, "list");
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), EXIT_STATUS_CLIENT_GONE);
	status = run_to_vanished_client(fx, "list --format=json");
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), EXIT_STATUS_CLIENT_GONE);
	status = run_to_vanished_client(fx, "help");
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), EXIT_STATUS_CLIENT_GONE);
}

static void
test_list_json(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(run(fx, "list --format=json"), EXIT_STATUS_OK);
	assert_string_equal(fx->out,
	    "{\"version\":1,\"consoles\":["
	    "{\"vmid\":\"id-d\",\"vm\":\"db01\",\"host\":\"hv1\","
	    "\"console\":null,\"writer\":null,\"watchers\":0},"
	    "{\"vmid\":\"id-e\",\"vm\":\"evil\\u001B[2J\",\"host\":\"hv2\","
	    "\"console\":\"serial1\",\"writer\":null,\"watchers\":0},"
	    "{\"vmid\":\"id-w\",\"vm\":\"web01\",\"host\":\"hv1\","
	    "\"console\":null,\"writer\":null,\"watchers\":0}]}\n");
}

static void
test_unknown_or_foreign_vm(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(run(fx, "nosuch"), EXIT_STATUS_NOT_FOUND);
	assert_string_equal(fx->err, "no such VM or access denied\n");
	/* another entity's VM gets the very same answer */
	assert_int_equal(run(fx, "other"), EXIT_STATUS_NOT_FOUND);
	assert_string_equal(fx->err, "no such VM or access denied\n");
	assert_int_equal(run(fx, "connect --vm-id=web01"),
	    EXIT_STATUS_NOT_FOUND);
	assert_int_equal(run(fx, "connect --vm-name=id-w"),
	    EXIT_STATUS_NOT_FOUND);
}

static void
test_connect_needs_terminal(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(run(fx, "web01"), EXIT_STATUS_USAGE);
	assert_string_equal(fx->err, "a terminal is required: use ssh -t\n");
	assert_int_equal(run(fx, "--force connect --vm-id=id-w"),
	    EXIT_STATUS_USAGE);
	assert_int_equal(run(fx, ""), EXIT_STATUS_USAGE);
	assert_string_equal(fx->err, "a terminal is required: use ssh -t\n");
}

static void
test_no_consoles(void **state)
{
	struct fixture *fx = *state;

	tempfiles_write_text(fx->doc, "{\"version\":1,\"consoles\":[]}");
	assert_int_equal(run(fx, ""), EXIT_STATUS_NOT_FOUND);
	assert_string_equal(fx->err, "no consoles available\n");
	assert_int_equal(run(fx, "list"), EXIT_STATUS_OK);
	assert_string_equal(fx->out, "");
}

static void
test_manager_failure(void **state)
{
	struct fixture *fx = *state;

	unlink(fx->doc);
	assert_int_equal(run(fx, "list"), EXIT_STATUS_NOT_FOUND);
	assert_string_equal(fx->err,
	    "cannot get the console list from the manager\n");
	assert_int_equal(run(fx, "web01"), EXIT_STATUS_NOT_FOUND);
	assert_int_equal(run(fx, ""), EXIT_STATUS_NOT_FOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_help_and_version, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_list_sorted_and_neutralised, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_to_vanished_client,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_json, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unknown_or_foreign_vm,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_connect_needs_terminal,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_consoles, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_manager_failure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_picker_comes_back_after_failed_open, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_named_console_failure_is_final, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
