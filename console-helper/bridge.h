/*
 * The console bridge: copies bytes between a VM's console (vm_console.h)
 * and the ssh session's terminal until something ends the session.
 */
#ifndef VMCONSOLE_BRIDGE_H
#define VMCONSOLE_BRIDGE_H

#include <stdbool.h>

#include "audit.h"
#include "config.h"
#include "end_reason.h"
#include "manager.h"

struct bridge_request {
	const struct vmconsole_config *cfg;
	const struct audit_context *audit;
	const struct console_entry *entry;
	bool force;			/* take the console over if busy */
	int in_fd;			/* the user's terminal */
	int out_fd;
};

struct bridge_result {
	enum bridge_end end;
	/* BRIDGE_CONNECT_FAILED: why, as libvirt said it (not neutralised) */
	char error[512];
};

/*
 * Connects to the entry's host, opens its console, prints the banner and
 * bridges it to in_fd/out_fd (raw mode when in_fd is a tty) until the user
 * detaches or the session ends. Every path restores the terminal and
 * releases the console. Returns the reason, also stored in res->end.
 */
enum bridge_end bridge_run(const struct bridge_request *req,
    struct bridge_result *res);

#endif
