/* Unit tests for console-helper/session.c that need no terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "exit_status.h"
#include "session.h"

/*
 * Runs session_connect() with stdin on /dev/null and stderr in a file;
 * returns its status and what it printed in out (size len).
 */
static int
connect_without_tty(char *out, size_t len)
{
	struct vmconsole_config cfg;
	struct audit_context audit;
	struct console_entry e = { 0 };
	char vmid[] = "id-1", vm[] = "web01", host[] = "hv1";
	char path[] = "/tmp/test_session.XXXXXX";
	int saved_in, saved_err, null_fd, tmp, status;
	ssize_t n;

	config_init(&cfg);
	audit_context_init(&audit, "u-1", "alice", NULL);
	e.vmid = vmid;
	e.vm = vm;
	e.host = host;
	assert_true((tmp = mkstemp(path)) >= 0);
	assert_true((null_fd = open("/dev/null", O_RDONLY)) >= 0);
	fflush(stderr);
	saved_in = dup(STDIN_FILENO);
	saved_err = dup(STDERR_FILENO);
	dup2(null_fd, STDIN_FILENO);
	dup2(tmp, STDERR_FILENO);
	status = session_connect(&cfg, &audit, &e, false);
	fflush(stderr);
	dup2(saved_in, STDIN_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_in);
	close(saved_err);
	close(null_fd);
	n = pread(tmp, out, len - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(tmp);
	unlink(path);
	config_free(&cfg);
	return status;
}

static void
test_terminal_required(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(connect_without_tty(out, sizeof(out)),
	    EXIT_STATUS_USAGE);
	assert_string_equal(out, "a terminal is required: use ssh -t\n");
}

/*
 * Runs session_report_end() for end with stderr in a file; returns its
 * status and what it printed in out (size len).
 */
static int
report_to_string(const struct vmconsole_config *cfg, enum bridge_end end,
    char *out, size_t len)
{
	struct console_entry e = { 0 };
	struct bridge_result res;
	char vmid[] = "id-1", vm[] = "web01", host[] = "hv1";
	char path[] = "/tmp/test_session.XXXXXX";
	int saved_err, tmp, status;
	ssize_t n;

	e.vmid = vmid;
	e.vm = vm;
	e.host = host;
	memset(&res, 0, sizeof(res));
	res.end = end;
	assert_true((tmp = mkstemp(path)) >= 0);
	fflush(stderr);
	saved_err = dup(STDERR_FILENO);
	dup2(tmp, STDERR_FILENO);
	status = session_report_end(cfg, &e, &res);
	fflush(stderr);
	dup2(saved_err, STDERR_FILENO);
	close(saved_err);
	n = pread(tmp, out, len - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(tmp);
	unlink(path);
	return status;
}

/* How a session ended, as the user reads it, and its exit status. */
static void
test_end_messages(void **state)
{
	struct vmconsole_config cfg;
	char out[256];

	(void)state;
	config_init(&cfg);
	assert_int_equal(report_to_string(&cfg, BRIDGE_VM_SHUT_DOWN, out,
	    sizeof(out)), EXIT_STATUS_VM_ENDED);
	assert_string_equal(out, "\nconsole closed: web01 shut down\n");
	assert_int_equal(report_to_string(&cfg, BRIDGE_VM_CRASHED, out,
	    sizeof(out)), EXIT_STATUS_VM_ENDED);
	assert_string_equal(out, "\nconsole closed: web01 crashed\n");
	assert_int_equal(report_to_string(&cfg, BRIDGE_VM_SAVED, out,
	    sizeof(out)), EXIT_STATUS_VM_ENDED);
	assert_non_null(strstr(out, "web01 was saved to disk"));
	/* a migrated VM has its own status: connecting again follows it */
	assert_int_equal(report_to_string(&cfg, BRIDGE_VM_MIGRATED, out,
	    sizeof(out)), EXIT_STATUS_VM_MIGRATED);
	assert_int_equal(EXIT_STATUS_VM_MIGRATED, 11);
	assert_string_equal(out, "\nconsole closed: web01 migrated away from "
	    "hv1; connect again to follow it to its new host\n");
	assert_int_equal(report_to_string(&cfg, BRIDGE_LOST_HOST, out,
	    sizeof(out)), EXIT_STATUS_LOST_HOST);
	assert_string_equal(out,
	    "\nconsole closed: lost the connection to hv1\n");
	assert_int_equal(report_to_string(&cfg, BRIDGE_TAKEN_OVER, out,
	    sizeof(out)), EXIT_STATUS_TAKEN_OVER);
	assert_int_equal(report_to_string(&cfg, BRIDGE_BUSY, out,
	    sizeof(out)), EXIT_STATUS_BUSY);
	assert_string_equal(out, "console of web01 is busy: another session "
	    "holds it; type \"web01 --force\" to take it over (a session "
	    "whose connection dropped holds it until hv1 notices)\n");
	assert_int_equal(report_to_string(&cfg, BRIDGE_NO_SUCH_VM, out,
	    sizeof(out)), EXIT_STATUS_CONNECT);
	assert_string_equal(out,
	    "cannot open the console of web01: no such VM on hv1\n");
	assert_int_equal(report_to_string(&cfg, BRIDGE_TERMINATED, out,
	    sizeof(out)), EXIT_STATUS_TERMINATED);
	assert_string_equal(out, "\nconsole closed: terminated\n");
	assert_int_equal(report_to_string(&cfg, BRIDGE_CLIENT_GONE, out,
	    sizeof(out)), EXIT_STATUS_CLIENT_GONE);
	assert_string_equal(out, "");
	/* the limit in the message is the configured one */
	assert_int_equal(report_to_string(&cfg, BRIDGE_TERMINAL_STALLED, out,
	    sizeof(out)), EXIT_STATUS_TERMINAL_STALLED);
	assert_int_equal(EXIT_STATUS_TERMINAL_STALLED, 10);
	assert_string_equal(out, "\nconsole closed: the terminal stopped "
	    "reading (more than 1048576 bytes of console output waiting)\n");
	cfg.console_backlog_max = 65536;
	assert_int_equal(report_to_string(&cfg, BRIDGE_TERMINAL_STALLED, out,
	    sizeof(out)), EXIT_STATUS_TERMINAL_STALLED);
	assert_string_equal(out, "\nconsole closed: the terminal stopped "
	    "reading (more than 65536 bytes of console output waiting)\n");
	config_free(&cfg);
}

/*
 * After a console chosen in the picker ends, the picker comes back unless
 * the client is gone or the helper was told to stop.
 */
static void
test_user_remains_after(void **state)
{
	(void)state;
	assert_true(session_user_remains(EXIT_STATUS_OK));
	assert_true(session_user_remains(EXIT_STATUS_CONNECT));
	assert_true(session_user_remains(EXIT_STATUS_BUSY));
	assert_true(session_user_remains(EXIT_STATUS_VM_ENDED));
	assert_true(session_user_remains(EXIT_STATUS_LOST_HOST));
	assert_true(session_user_remains(EXIT_STATUS_TAKEN_OVER));
	assert_true(session_user_remains(EXIT_STATUS_VM_MIGRATED));
	assert_false(session_user_remains(EXIT_STATUS_CLIENT_GONE));
	assert_false(session_user_remains(EXIT_STATUS_TERMINATED));
	/* a terminal that stopped reading is not a user at the prompt */
	assert_false(session_user_remains(EXIT_STATUS_TERMINAL_STALLED));
	assert_false(session_user_remains(EXIT_STATUS_USAGE));
	assert_false(session_user_remains(EXIT_STATUS_NOT_FOUND));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terminal_required),
		cmocka_unit_test(test_end_messages),
		cmocka_unit_test(test_user_remains_after),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
