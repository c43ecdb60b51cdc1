/*
 * A VM's console as libvirt serves it: the connection to its host, the
 * console stream and the domain's events, driven by libvirt's default
 * event loop. It hands the console's output and the end of the console to
 * a consumer through callbacks, queues bytes to send in a bounded buffer,
 * and never blocks the loop. It knows nothing of terminals, so the same
 * module can feed one session or several.
 */
#ifndef VMCONSOLE_VM_CONSOLE_H
#define VMCONSOLE_VM_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "console_open.h"
#include "end_reason.h"
#include "manager.h"

struct vm_console;

struct vm_console_consumer {
	/* The console printed len bytes; the consumer takes them all. */
	void (*output)(void *opaque, const unsigned char *buf, size_t len);
	/* Room opened up for vm_console_send(). */
	void (*sendable)(void *opaque);
	/* The console ended (once); nothing more is delivered after. */
	void (*ended)(void *opaque, enum bridge_end why);
	void *opaque;
};

/*
 * Opens the console of e (console_open()) and starts watching it, sending
 * through a buffer of cfg->console_buffer_size bytes. On success sets *out
 * and returns CONSOLE_OPEN_OK; otherwise writes the reason to error (size
 * errlen) and returns the status.
 */
enum console_open_status vm_console_open(const struct vmconsole_config *cfg,
    const struct console_entry *e, bool force,
    const struct vm_console_consumer *consumer, struct vm_console **out,
    char *error, size_t errlen);

/*
 * Queues up to len bytes for the VM and starts sending them. Returns how
 * many were taken: fewer when the buffer is full (wait for sendable), 0
 * once the console ended.
 */
size_t vm_console_send(struct vm_console *vc, const void *buf, size_t len);

/* Returns the free room in the send buffer (0 once the console ended). */
size_t vm_console_send_room(const struct vm_console *vc);

/* Returns the bytes queued and not yet sent (0 once the console ended). */
size_t vm_console_unsent(const struct vm_console *vc);

/* Stops (false) or resumes (true) delivering the console's output. */
void vm_console_set_receiving(struct vm_console *vc, bool receiving);

/*
 * While a serial console's output trickles in and is being gathered,
 * waits a moment before the caller runs libvirt's event loop again;
 * returns at once otherwise. See the comment in vm_console.c.
 */
void vm_console_pace(const struct vm_console *vc);

/* Returns the bytes sent to and received from the VM so far. */
unsigned long long vm_console_bytes_sent(const struct vm_console *vc);
unsigned long long vm_console_bytes_received(const struct vm_console *vc);

/*
 * Releases the console and the connection and frees vc; no callback runs
 * after it. Safe on NULL.
 */
void vm_console_close(struct vm_console *vc);

#endif
