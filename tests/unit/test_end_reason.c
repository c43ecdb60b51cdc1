/* Unit tests for console-helper/end_reason.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <libvirt/libvirt.h>

#include "end_reason.h"

static void
test_end_names(void **state)
{
	(void)state;
	assert_string_equal(bridge_end_name(BRIDGE_DETACHED), "detached");
	assert_string_equal(bridge_end_name(BRIDGE_BUSY), "busy");
	assert_string_equal(bridge_end_name(BRIDGE_NO_SUCH_VM), "no-such-vm");
	assert_string_equal(bridge_end_name(BRIDGE_VM_NOT_RUNNING),
	    "vm-not-running");
	assert_string_equal(bridge_end_name(BRIDGE_VM_SHUT_DOWN),
	    "vm-shut-down");
	assert_string_equal(bridge_end_name(BRIDGE_VM_DESTROYED),
	    "vm-destroyed");
	assert_string_equal(bridge_end_name(BRIDGE_VM_CRASHED), "vm-crashed");
	assert_string_equal(bridge_end_name(BRIDGE_VM_MIGRATED),
	    "vm-migrated");
	assert_string_equal(bridge_end_name(BRIDGE_VM_SAVED), "vm-saved");
	assert_string_equal(bridge_end_name(BRIDGE_CONSOLE_CLOSED),
	    "console-closed");
	assert_string_equal(bridge_end_name(BRIDGE_LOST_HOST),
	    "connection-lost");
	assert_string_equal(bridge_end_name(BRIDGE_TAKEN_OVER), "taken-over");
	assert_string_equal(bridge_end_name(BRIDGE_CLIENT_GONE),
	    "client-disconnected");
	assert_string_equal(bridge_end_name(BRIDGE_TERMINATED), "terminated");
	assert_string_equal(bridge_end_name(BRIDGE_TERMINAL_STALLED),
	    "terminal-stalled");
	assert_string_equal(bridge_end_name(BRIDGE_CONNECT_FAILED),
	    "connect-failed");
}

/* Returns the end for (event, detail), or -1 when the VM runs on. */
static int
end_of(int event, int detail)
{
	enum bridge_end end = BRIDGE_DETACHED;

	if (!end_reason_from_lifecycle(event, detail, &end))
		return -1;
	return (int)end;
}

static void
test_stopped_events(void **state)
{
	(void)state;
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_STOPPED,
	    VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN), BRIDGE_VM_SHUT_DOWN);
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_STOPPED,
	    VIR_DOMAIN_EVENT_STOPPED_DESTROYED), BRIDGE_VM_DESTROYED);
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_STOPPED,
	    VIR_DOMAIN_EVENT_STOPPED_CRASHED), BRIDGE_VM_CRASHED);
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_STOPPED,
	    VIR_DOMAIN_EVENT_STOPPED_FAILED), BRIDGE_VM_CRASHED);
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_STOPPED,
	    VIR_DOMAIN_EVENT_STOPPED_MIGRATED), BRIDGE_VM_MIGRATED);
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_STOPPED,
	    VIR_DOMAIN_EVENT_STOPPED_SAVED), BRIDGE_VM_SAVED);
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_STOPPED,
	    VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT), BRIDGE_VM_SHUT_DOWN);
}

static void
test_crash_and_hibernation(void **state)
{
	(void)state;
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_CRASHED,
	    VIR_DOMAIN_EVENT_CRASHED_PANICKED), BRIDGE_VM_CRASHED);
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_PMSUSPENDED,
	    VIR_DOMAIN_EVENT_PMSUSPENDED_DISK), BRIDGE_VM_SAVED);
	/* suspended to memory: QEMU and its console stay */
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_PMSUSPENDED,
	    VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY), -1);
	/* paused for a migration that may still fail */
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_SUSPENDED,
	    VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED), -1);
}

static void
test_events_that_do_not_end(void **state)
{
	(void)state;
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_STARTED,
	    VIR_DOMAIN_EVENT_STARTED_BOOTED), -1);
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_SUSPENDED,
	    VIR_DOMAIN_EVENT_SUSPENDED_PAUSED), -1);
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_RESUMED,
	    VIR_DOMAIN_EVENT_RESUMED_UNPAUSED), -1);
	/* the guest begins to shut down: STOPPED tells how it ended */
	assert_int_equal(end_of(VIR_DOMAIN_EVENT_SHUTDOWN,
	    VIR_DOMAIN_EVENT_SHUTDOWN_GUEST), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_end_names),
		cmocka_unit_test(test_stopped_events),
		cmocka_unit_test(test_crash_and_hibernation),
		cmocka_unit_test(test_events_that_do_not_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
