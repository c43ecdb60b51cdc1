/*
 * Why a console session ended (or never started), and how libvirt's
 * domain lifecycle events translate into those reasons.
 */
#ifndef VMCONSOLE_END_REASON_H
#define VMCONSOLE_END_REASON_H

#include <stdbool.h>

enum bridge_end {
	BRIDGE_DETACHED,	/* the user typed the escape character */
	BRIDGE_CONNECT_FAILED,	/* no console: see bridge_result.error */
	BRIDGE_BUSY,		/* another session holds the console */
	BRIDGE_NO_SUCH_VM,	/* the host has no domain with the vmid */
	BRIDGE_VM_NOT_RUNNING,	/* the VM is defined but shut off */
	BRIDGE_VM_SHUT_DOWN,
	BRIDGE_VM_DESTROYED,
	BRIDGE_VM_CRASHED,	/* crashed, or QEMU died */
	BRIDGE_VM_MIGRATED,	/* now runs on another host */
	BRIDGE_VM_SAVED,	/* saved or suspended to disk */
	BRIDGE_CONSOLE_CLOSED,	/* the host closed it and said no more */
	BRIDGE_LOST_HOST,	/* the libvirt connection dropped */
	BRIDGE_TAKEN_OVER,	/* another session forced the console away */
	BRIDGE_CLIENT_GONE,	/* SIGHUP, or EOF or an error on the tty */
	BRIDGE_TERMINATED,	/* SIGTERM, SIGINT or SIGQUIT */
	BRIDGE_TERMINAL_STALLED, /* console_backlog_max of output unread */
};

/* Returns the word the audit log uses for an end reason ("detached"). */
const char *bridge_end_name(enum bridge_end end);

/*
 * Translates a libvirt lifecycle event (VIR_DOMAIN_EVENT_*) and its detail
 * into the end of a console session. Returns true and sets *end when the
 * event ends the VM's run on this host, false for events that do not
 * (started, suspended, resumed, a guest starting to shut down).
 */
bool end_reason_from_lifecycle(int event, int detail, enum bridge_end *end);

#endif
