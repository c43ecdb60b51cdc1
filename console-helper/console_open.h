/*
 * Opening a VM's console through libvirt: the connection to its host, the
 * domain, and a non-blocking console stream, with busy consoles told apart
 * from other failures.
 */
#ifndef VMCONSOLE_CONSOLE_OPEN_H
#define VMCONSOLE_CONSOLE_OPEN_H

#include <stdbool.h>
#include <stddef.h>

#include <libvirt/libvirt.h>

#include "config.h"
#include "manager.h"

struct console_connection {
	virConnectPtr conn;
	virDomainPtr dom;
	virStreamPtr stream;
	bool opened;		/* the stream carries the console */
};

enum console_open_status {
	CONSOLE_OPEN_OK,
	CONSOLE_OPEN_FAILED,	/* error holds the reason */
	CONSOLE_OPEN_BUSY,	/* another session holds it and !force */
	CONSOLE_OPEN_NOT_RUNNING, /* the domain exists but is shut off */
	CONSOLE_OPEN_NO_SUCH_VM, /* the host has no domain with that vmid */
};

/*
 * Connects to the host of e (cfg->libvirt_uri, keepalive from cfg, never
 * prompting for credentials), finds the domain by its vmid (a UUID, else
 * the libvirt name; never the display name), and opens its console in safe
 * mode (force: taking it over). On failure writes the reason to error
 * (size errlen) and leaves cc empty.
 */
enum console_open_status console_open(const struct vmconsole_config *cfg,
    const struct console_entry *e, bool force,
    struct console_connection *cc, char *error, size_t errlen);

/*
 * Releases the console at once (the stream is aborted, not drained) and
 * closes the connection. Safe on an empty cc.
 */
void console_close(struct console_connection *cc);

/* Returns true when the vmid s has the form of a UUID. */
bool console_vmid_is_uuid(const char *s);

/* Returns libvirt's message for the last error of this thread. */
const char *console_last_error(void);

#endif
