/* End reasons of a console session and their source in libvirt's events. */
#include "end_reason.h"

#include <libvirt/libvirt.h>

const char *
bridge_end_name(enum bridge_end end)
{
	switch (end) {
	case BRIDGE_DETACHED:
		return "detached";
	case BRIDGE_CONNECT_FAILED:
		return "connect-failed";
	case BRIDGE_BUSY:
		return "busy";
	case BRIDGE_NO_SUCH_VM:
		return "no-such-vm";
	case BRIDGE_VM_NOT_RUNNING:
		return "vm-not-running";
	case BRIDGE_VM_SHUT_DOWN:
		return "vm-shut-down";
	case BRIDGE_VM_DESTROYED:
		return "vm-destroyed";
	case BRIDGE_VM_CRASHED:
		return "vm-crashed";
	case BRIDGE_VM_MIGRATED:
		return "vm-migrated";
	case BRIDGE_VM_SAVED:
		return "vm-saved";
	case BRIDGE_CONSOLE_CLOSED:
		return "console-closed";
	case BRIDGE_LOST_HOST:
		return "connection-lost";
	case BRIDGE_TAKEN_OVER:
		return "taken-over";
	case BRIDGE_CLIENT_GONE:
		return "client-disconnected";
	case BRIDGE_TERMINATED:
		return "terminated";
	case BRIDGE_TERMINAL_STALLED:
		return "terminal-stalled";
	}
	return "unknown";
}

/* Returns the end a STOPPED event's detail stands for. */
static enum bridge_end
stopped_end(int detail)
{
	switch (detail) {
	case VIR_DOMAIN_EVENT_STOPPED_DESTROYED:
		return BRIDGE_VM_DESTROYED;
	case VIR_DOMAIN_EVENT_STOPPED_CRASHED:
	case VIR_DOMAIN_EVENT_STOPPED_FAILED:
		return BRIDGE_VM_CRASHED;
	case VIR_DOMAIN_EVENT_STOPPED_MIGRATED:
		return BRIDGE_VM_MIGRATED;
	case VIR_DOMAIN_EVENT_STOPPED_SAVED:
		return BRIDGE_VM_SAVED;
	default:
		/* shut down, or replaced by a snapshot's state */
		return BRIDGE_VM_SHUT_DOWN;
	}
}

bool
end_reason_from_lifecycle(int event, int detail, enum bridge_end *end)
{
	switch (event) {
	case VIR_DOMAIN_EVENT_STOPPED:
		*end = stopped_end(detail);
		return true;
	case VIR_DOMAIN_EVENT_CRASHED:
		*end = BRIDGE_VM_CRASHED;
		return true;
	case VIR_DOMAIN_EVENT_PMSUSPENDED:
		if (detail != VIR_DOMAIN_EVENT_PMSUSPENDED_DISK)
			return false;
		*end = BRIDGE_VM_SAVED;
		return true;
	default:
		return false;
	}
}
