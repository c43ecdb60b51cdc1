/* Carrying out the command the user typed: list, connect, picker, help. */
#ifndef VMCONSOLE_DISPATCH_H
#define VMCONSOLE_DISPATCH_H

#include "audit.h"
#include "command.h"
#include "config.h"

/* Returns true when cmd needs the configuration (all but help, version). */
bool dispatch_needs_config(const struct helper_command *cmd);

/*
 * Runs cmd for the entity in audit, printing everything the user sees.
 * cfg may be NULL when dispatch_needs_config() says so. Returns the exit
 * status (exit_status.h).
 */
int dispatch_command(const struct vmconsole_config *cfg,
    const struct audit_context *audit, const struct helper_command *cmd);

#endif
