/*
 * Opening a console within libvirt_connect_timeout: a host that is down,
 * drops packets or accepts the connection and then stays silent can keep
 * libvirt's connect waiting for minutes (the kernel's SYN retries, a TLS
 * handshake nobody answers). The open runs in a thread; the caller waits
 * for it only that long, whatever the URI's transport (tls, tcp, ssh,
 * unix).
 */
#ifndef VMCONSOLE_OPEN_DEADLINE_H
#define VMCONSOLE_OPEN_DEADLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "console_open.h"
#include "manager.h"

/*
 * As console_open(), but gives up after cfg->libvirt_connect_timeout
 * seconds with CONSOLE_OPEN_FAILED and "no answer from HOST within N s"
 * in error. An open given up on is released by its thread when it ends.
 */
enum console_open_status console_open_within(
    const struct vmconsole_config *cfg, const struct console_entry *e,
    bool force, struct console_connection *cc, char *error, size_t errlen);

#endif
