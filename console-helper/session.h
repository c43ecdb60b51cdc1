/*
 * One console session as the user sees it: the terminal check, the bridge,
 * and the one-line message and exit status for how it ended.
 */
#ifndef VMCONSOLE_SESSION_H
#define VMCONSOLE_SESSION_H

#include <stdbool.h>

#include "audit.h"
#include "bridge.h"
#include "config.h"
#include "manager.h"

/* Returns true when the session has a terminal (stdin and stdout). */
bool session_has_terminal(void);

/*
 * Prints "a terminal is required: use ssh -t" and returns the exit status
 * for it.
 */
int session_no_terminal(void);

/*
 * Bridges the console of e to the terminal on stdin/stdout. Returns
 * EXIT_STATUS_OK when the user detached, else prints why the session ended
 * and returns its exit status (exit_status.h).
 */
int session_connect(const struct vmconsole_config *cfg,
    const struct audit_context *audit, const struct console_entry *e,
    bool force);

/*
 * As session_connect(), for a console shared on this proxy: watch attaches
 * read-only, replay asks for that many lines of earlier output (-1: the
 * configured number). An entity that may only watch e is attached
 * read-only and refused --force.
 */
int session_connect_shared(const struct vmconsole_config *cfg,
    const struct audit_context *audit, const struct console_entry *e,
    bool force, bool watch, long replay);

/*
 * Prints the one-line message for how the bridge of e ended (nothing for a
 * vanished client, a line break after a detach) to stderr and returns its
 * exit status.
 */
int session_report_end(const struct vmconsole_config *cfg,
    const struct console_entry *e, const struct bridge_result *res);

/*
 * Returns true when a session that ended with status (from
 * session_connect()) leaves the user at the terminal able to choose
 * another console: detached, the console could not be opened or was
 * closed by the VM, its host or another session. False when the client is
 * gone or stopped reading, or the helper was told to stop.
 */
bool session_user_remains(int status);

#endif
