/* The line that tells the user which console they are connected to. */
#ifndef VMCONSOLE_BANNER_H
#define VMCONSOLE_BANNER_H

#include "config.h"
#include "manager.h"

/*
 * Writes "Connected to VM (VMID) on HOST. Escape character is ^]" to fd,
 * names neutralised. Returns 0, or -1 when the terminal cannot take it.
 */
int banner_print(int fd, const struct vmconsole_config *cfg,
    const struct console_entry *e);

#endif
