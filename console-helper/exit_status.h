/*
 * Exit statuses of vmconsole-console-helper. They are part of its
 * interface: scripts and the tests tell outcomes apart by them.
 */
#ifndef VMCONSOLE_EXIT_STATUS_H
#define VMCONSOLE_EXIT_STATUS_H

enum exit_status {
	EXIT_STATUS_OK = 0,		/* detached, quit, list, help, ... */
	EXIT_STATUS_NOT_FOUND = 1,	/* no consoles or access; no manager */
	EXIT_STATUS_USAGE = 2,		/* bad command, no terminal */
	EXIT_STATUS_CONNECT = 3,	/* hypervisor, console or VM not there */
	EXIT_STATUS_BUSY = 4,		/* another session holds the console */
	EXIT_STATUS_VM_ENDED = 5,	/* the VM stopped running on its host */
	EXIT_STATUS_LOST_HOST = 6,	/* the libvirt connection dropped */
	EXIT_STATUS_TAKEN_OVER = 7,	/* another session forced us out */
	EXIT_STATUS_CLIENT_GONE = 8,	/* the ssh client went away */
	EXIT_STATUS_TERMINATED = 9,	/* SIGTERM */
	EXIT_STATUS_TERMINAL_STALLED = 10, /* output backlog over its limit */
	EXIT_STATUS_VM_MIGRATED = 11,	/* the VM moved to another host */
};

#endif
