/* Carrying out a parsed command for one entity. */
#include "dispatch.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "console_runtime.h"
#include "console_select.h"
#include "exit_status.h"
#include "list_output.h"
#include "log.h"
#include "manager.h"
#include "picker.h"
#include "session.h"

static const char help_text[] =
    "Usage: ssh -t USER@PROXY [COMMAND]\n"
    "  (no command)             choose a console from a list\n"
    "  VM                       connect to the console of VM (id or name)\n"
    "  connect --vm-id=ID       connect to the console of the VM with id ID\n"
    "  connect --vm-name=NAME   connect to the console of the VM named NAME\n"
    "  VM --force, connect ... --force\n"
    "                           take over a console another session holds\n"
    "  VM --watch               watch a console read-only\n"
    "  VM --replay=N            first show the last N lines it printed\n"
    "  list [--format=json]     list the consoles you may use\n"
    "  help                     show this help\n"
    "  version                  show the version\n"
    "The escape character shown when connecting leaves a console.\n";

bool
dispatch_needs_config(const struct helper_command *cmd)
{
	return cmd->kind != COMMAND_HELP && cmd->kind != COMMAND_VERSION;
}

/*
 * Fetches the entity's consoles, sorted by VM name. Returns 0, or prints
 * the manager failure and returns -1.
 */
static int
fetch_consoles(const struct vmconsole_config *cfg,
    const struct audit_context *audit, struct console_list *list)
{
	struct manager_request req;

	memset(&req, 0, sizeof(req));
	memset(list, 0, sizeof(*list));
	req.user = cfg->login_user;
	req.entityid = audit->entity_id;
	if (manager_fetch_consoles(cfg, &req, list) != 0) {
		fprintf(stderr, "cannot get the console list from the "
		    "manager\n");
		return -1;
	}
	console_select_sort(list);
	return 0;
}

/* Runs "list"; returns the exit status. */
static int
run_list(const struct vmconsole_config *cfg,
    const struct audit_context *audit, const struct helper_command *cmd)
{
	struct console_list list;
	int status = EXIT_STATUS_NOT_FOUND;

	if (fetch_consoles(cfg, audit, &list) != 0)
		return EXIT_STATUS_NOT_FOUND;
	console_runtime_fill_usage(cfg->runtime_dir, &list);
	if ((cmd->json ? list_output_json(stdout, &list) :
	    list_output_text(stdout, &list)) != 0) {
		log_verbose("cannot write the console list: the client is "
		    "gone");
		status = EXIT_STATUS_CLIENT_GONE;
		goto out;
	}
	status = EXIT_STATUS_OK;
 out:
	console_list_free(&list);
	return status;
}

/* Connects to the console the command names; returns the exit status. */
static int
run_connect(const struct vmconsole_config *cfg,
    const struct audit_context *audit, const struct helper_command *cmd)
{
	struct console_list list;
	const struct console_entry *e;
	int status = EXIT_STATUS_NOT_FOUND;

	if (fetch_consoles(cfg, audit, &list) != 0)
		return EXIT_STATUS_NOT_FOUND;
	/* one message for both: whether a VM exists is not disclosed */
	if ((e = console_select_find(&list, cmd->target, cmd->vm)) == NULL) {
		audit_console_denied(audit, cmd->vm);
		fprintf(stderr, "no such VM or access denied\n");
		goto out;
	}
	status = session_connect_shared(cfg, audit, e, cmd->force,
	    cmd->watch, cmd->replay);
 out:
	console_list_free(&list);
	return status;
}

/*
 * Shows the picker until the user leaves or is gone; a single console is
 * connected to without asking, and that session's end is final as for a
 * named console. A console chosen in the picker that cannot be opened or
 * closes under the user brings the picker back after its message, as
 * conserver and ovirt-vmconsole do. The list is fetched afresh each round
 * so revoked access takes effect. Returns the exit status.
 */
static int
run_picker(const struct vmconsole_config *cfg,
    const struct audit_context *audit)
{
	struct console_list list;
	enum picker_answer a;
	size_t index = 0;
	int status, first = 1;

	for (;;) {
		if (fetch_consoles(cfg, audit, &list) != 0)
			return EXIT_STATUS_NOT_FOUND;
		if (list.count == 0) {
			fprintf(stderr, "no consoles available\n");
			status = EXIT_STATUS_NOT_FOUND;
			goto out;
		}
		if (first && list.count == 1) {
			status = session_connect(cfg, audit, &list.entries[0],
			    false);
			goto out;
		}
		first = 0;
		if (!session_has_terminal()) {
			status = session_no_terminal();
			goto out;
		}
		a = picker_choose(STDIN_FILENO, stdout, &list, &index);
		if (a != PICKER_CHOSEN && a != PICKER_CHOSEN_FORCE) {
			status = a == PICKER_QUIT ? EXIT_STATUS_OK :
			    EXIT_STATUS_CLIENT_GONE;
			goto out;
		}
		status = session_connect(cfg, audit, &list.entries[index],
		    a == PICKER_CHOSEN_FORCE);
		if (!session_user_remains(status))
			goto out;
		console_list_free(&list);
	}
 out:
	console_list_free(&list);
	return status;
}

int
dispatch_command(const struct vmconsole_config *cfg,
    const struct audit_context *audit, const struct helper_command *cmd)
{
	/*
	 * A client gone while we write must end the command with
	 * EXIT_STATUS_CLIENT_GONE, not kill it: writes fail with EPIPE
	 * instead. The bridge handles SIGPIPE itself while it runs.
	 */
	signal(SIGPIPE, SIG_IGN);
	switch (cmd->kind) {
	case COMMAND_HELP:
		fputs(help_text, stdout);
		return fflush(stdout) == 0 ? EXIT_STATUS_OK :
		    EXIT_STATUS_CLIENT_GONE;
	case COMMAND_VERSION:
		printf("vmconsole-console-helper %s\n", VMCONSOLE_VERSION);
		return fflush(stdout) == 0 ? EXIT_STATUS_OK :
		    EXIT_STATUS_CLIENT_GONE;
	case COMMAND_LIST:
		return run_list(cfg, audit, cmd);
	case COMMAND_CONNECT:
		return run_connect(cfg, audit, cmd);
	case COMMAND_PICKER:
		return run_picker(cfg, audit);
	}
	return EXIT_STATUS_USAGE;
}
