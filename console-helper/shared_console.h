/*
 * A session of a shared console, the ssh-facing side: finds the console's
 * broker on this proxy or starts it (console_broker.h), joins it as writer
 * or watcher, and copies between the broker and the user's terminal until
 * the session ends. It needs no libvirt connection of its own.
 */
#ifndef VMCONSOLE_SHARED_CONSOLE_H
#define VMCONSOLE_SHARED_CONSOLE_H

#include <stdbool.h>

#include "bridge.h"
#include "broker_proto.h"

/*
 * Runs the session of req->entry with mode (write, watch or force) and
 * replay lines of history (-1: console_replay_lines). Every path restores
 * the terminal. Returns the reason, also stored in res->end; a broker that
 * vanished is BRIDGE_LOST_HOST with res->error saying so.
 */
enum bridge_end shared_console_run(const struct bridge_request *req,
    enum broker_mode mode, long replay, struct bridge_result *res);

#endif
