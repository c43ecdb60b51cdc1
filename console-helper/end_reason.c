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
	case BRIDGE_VM_SHUT_DOWN:
		return "vm-shut-down";
	case BRIDGE_VM_DESTROYED:
		return "vm-destroyed";
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

bool
end_reason_from_lifecycle(int event, int detail, enum bridge_end *end)
{
	if (event != VIR_DOMAIN_EVENT_STOPPED)
		return false;
	*end = detail == VIR_DOMAIN_EVENT_STOPPED_DESTROYED ?
	    BRIDGE_VM_DESTROYED : BRIDGE_VM_SHUT_DOWN;
	return true;
}
