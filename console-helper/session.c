/* Running one console session and reporting how it ended. */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bridge.h"
#include "broker_roster.h"
#include "exit_status.h"
#include "log.h"
#include "shared_console.h"
#include "termsafe.h"

bool
session_has_terminal(void)
{
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

int
session_no_terminal(void)
{
	fprintf(stderr, "a terminal is required: use ssh -t\n");
	return EXIT_STATUS_USAGE;
}

int
session_report_end(const struct vmconsole_config *cfg,
    const struct console_entry *e, const struct bridge_result *res)
{
	char *vm = NULL, *host = NULL, *why = NULL;
	int status = EXIT_STATUS_CONNECT;

	vm = termsafe_dup(e->vm);
	host = termsafe_dup(e->host);
	why = termsafe_dup(res->error);
	if (vm == NULL || host == NULL || why == NULL) {
		log_error("out of memory");
		goto out;
	}
	switch (res->end) {
	case BRIDGE_DETACHED:
		/* the next prompt or shell line starts on a line of its own */
		fprintf(stderr, "\n");
		status = EXIT_STATUS_OK;
		break;
	case BRIDGE_CONNECT_FAILED:
		fprintf(stderr, "cannot connect to %s: %s\n", host, why);
		status = EXIT_STATUS_CONNECT;
		break;
	case BRIDGE_BUSY:
		/* a session whose link dropped holds it until the host
		 * notices, which its own keepalive decides */
		fprintf(stderr, "console of %s is busy: another session holds "
		    "it; type \"%s --force\" to take it over (a session "
		    "whose connection dropped holds it until %s notices)\n",
		    vm, vm, host);
		status = EXIT_STATUS_BUSY;
		break;
	case BRIDGE_VM_NOT_RUNNING:
		fprintf(stderr, "cannot open the console of %s: the VM is not "
		    "running (shut off)\n", vm);
		status = EXIT_STATUS_CONNECT;
		break;
	case BRIDGE_NO_SUCH_VM:
		fprintf(stderr, "cannot open the console of %s: no such VM on "
		    "%s\n", vm, host);
		status = EXIT_STATUS_CONNECT;
		break;
	case BRIDGE_VM_SHUT_DOWN:
		fprintf(stderr, "\nconsole closed: %s shut down\n", vm);
		status = EXIT_STATUS_VM_ENDED;
		break;
	case BRIDGE_VM_DESTROYED:
		fprintf(stderr, "\nconsole closed: %s was destroyed\n", vm);
		status = EXIT_STATUS_VM_ENDED;
		break;
	case BRIDGE_VM_CRASHED:
		fprintf(stderr, "\nconsole closed: %s crashed\n", vm);
		status = EXIT_STATUS_VM_ENDED;
		break;
	case BRIDGE_VM_SAVED:
		fprintf(stderr, "\nconsole closed: %s was saved to disk; it "
		    "runs again once restored\n", vm);
		status = EXIT_STATUS_VM_ENDED;
		break;
	case BRIDGE_CONSOLE_CLOSED:
		fprintf(stderr, "\nconsole closed: %s closed the console of "
		    "%s\n", host, vm);
		status = EXIT_STATUS_VM_ENDED;
		break;
	case BRIDGE_VM_MIGRATED:
		fprintf(stderr, "\nconsole closed: %s migrated away from %s; "
		    "connect again to follow it to its new host\n", vm, host);
		status = EXIT_STATUS_VM_MIGRATED;
		break;
	case BRIDGE_LOST_HOST:
		if (why[0] != '\0') {
			/* a shared console's broker, not the host, went */
			fprintf(stderr, "\nconsole closed: %s\n", why);
			status = EXIT_STATUS_LOST_HOST;
			break;
		}
		fprintf(stderr, "\nconsole closed: lost the connection to "
		    "%s\n", host);
		status = EXIT_STATUS_LOST_HOST;
		break;
	case BRIDGE_TAKEN_OVER:
		fprintf(stderr, "\nconsole closed: another session took over "
		    "the console\n");
		status = EXIT_STATUS_TAKEN_OVER;
		break;
	case BRIDGE_CLIENT_GONE:
		status = EXIT_STATUS_CLIENT_GONE;
		break;
	case BRIDGE_TERMINATED:
		fprintf(stderr, "\nconsole closed: terminated\n");
		status = EXIT_STATUS_TERMINATED;
		break;
	case BRIDGE_TERMINAL_STALLED:
		fprintf(stderr, "\nconsole closed: the terminal stopped "
		    "reading (more than %ld bytes of console output "
		    "waiting)\n", cfg->console_backlog_max);
		status = EXIT_STATUS_TERMINAL_STALLED;
		break;
	}
	fflush(stderr);
 out:
	free(vm);
	free(host);
	free(why);
	return status;
}

int
session_connect(const struct vmconsole_config *cfg,
    const struct audit_context *audit, const struct console_entry *e,
    bool force)
{
	return session_connect_shared(cfg, audit, e, force, false, -1);
}

int
session_connect_shared(const struct vmconsole_config *cfg,
    const struct audit_context *audit, const struct console_entry *e,
    bool force, bool watch, long replay)
{
	struct bridge_request req;
	struct bridge_result res;
	enum broker_mode mode;
	char *vm = NULL;

	if (!session_has_terminal())
		return session_no_terminal();
	if (broker_roster_requested_mode(e->watch_only, watch, force,
	    &mode) != 0) {
		vm = termsafe_dup(e->vm);
		fprintf(stderr, "you may only watch the console of %s: --force "
		    "is not allowed\n", vm != NULL ? vm : "this VM");
		free(vm);
		audit_console_failed(audit, e, "force-refused");
		return EXIT_STATUS_USAGE;
	}
	req.cfg = cfg;
	req.audit = audit;
	req.entry = e;
	req.force = force;
	req.in_fd = STDIN_FILENO;
	req.out_fd = STDOUT_FILENO;
	(void)shared_console_run(&req, mode, replay, &res);
	return session_report_end(cfg, e, &res);
}

bool
session_user_remains(int status)
{
	switch (status) {
	case EXIT_STATUS_OK:
	case EXIT_STATUS_CONNECT:
	case EXIT_STATUS_BUSY:
	case EXIT_STATUS_VM_ENDED:
	case EXIT_STATUS_LOST_HOST:
	case EXIT_STATUS_TAKEN_OVER:
	case EXIT_STATUS_VM_MIGRATED:
		return true;
	default:
		return false;
	}
}
