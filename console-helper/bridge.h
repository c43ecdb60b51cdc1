/*
 * What a console session asks for and how it ended. The session's side is
 * shared_console.c (the terminal) and console_broker.c (the VM's console,
 * vm_console.h, shared by every session of that console on this proxy).
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

#endif
