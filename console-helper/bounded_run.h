/*
 * Running a call that may block on the network (a libvirt call to a host
 * that went silent) in a thread of its own, waited for only so long.
 */
#ifndef VMCONSOLE_BOUNDED_RUN_H
#define VMCONSOLE_BOUNDED_RUN_H

#include <stdbool.h>

/*
 * Runs fn(arg) in a new thread and waits up to ms milliseconds for it to
 * return. Returns true when it returned in time, false when the wait was
 * given up (fn goes on in its thread: it must own arg and everything it
 * touches). Without a thread, runs fn(arg) here and returns true.
 */
bool bounded_run(void (*fn)(void *), void *arg, int ms);

#endif
