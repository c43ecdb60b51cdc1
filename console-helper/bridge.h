/*
 * The console bridge: opens a VM's console through libvirt and copies bytes
 * between it and the ssh session's terminal until something ends it.
 */
#ifndef VMCONSOLE_BRIDGE_H
#define VMCONSOLE_BRIDGE_H

#include <stdbool.h>

#include "audit.h"
#include "config.h"
#include "manager.h"

/* Why a bridge ended (or never started). */
enum bridge_end {
	BRIDGE_DETACHED,	/* the user typed the escape character */
	BRIDGE_CONNECT_FAILED,	/* no console: see bridge_result.error */
	BRIDGE_BUSY,		/* another session holds the console */
	BRIDGE_VM_NOT_RUNNING,	/* the VM is defined but shut off */
	BRIDGE_VM_SHUT_DOWN,
	BRIDGE_VM_DESTROYED,
	BRIDGE_LOST_HOST,	/* the libvirt connection dropped */
	BRIDGE_TAKEN_OVER,	/* another session forced the console away */
	BRIDGE_CLIENT_GONE,	/* SIGHUP, or EOF or an error on the tty */
	BRIDGE_TERMINATED,	/* SIGTERM, SIGINT or SIGQUIT */
	BRIDGE_TERMINAL_STALLED, /* console_backlog_max of output unread */
};

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

/* Returns the word the audit log uses for an end reason ("detached"). */
const char *bridge_end_name(enum bridge_end end);

#endif
