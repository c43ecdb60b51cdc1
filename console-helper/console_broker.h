/*
 * The broker of a shared console: a process of its own, started by the
 * first session of a console, that holds the console (vm_console.h), its
 * history and log, and serves every session of that console on this proxy
 * over a unix socket in runtime_dir. One writer's keystrokes reach the VM;
 * watchers only see. Each session has its own bounded queue, so one that
 * stops reading is dropped alone. The broker ends when the console ends,
 * or when the last session left and console_linger seconds passed.
 */
#ifndef VMCONSOLE_CONSOLE_BROKER_H
#define VMCONSOLE_CONSOLE_BROKER_H

#include <stdbool.h>

#include "config.h"
#include "console_runtime.h"
#include "manager.h"

/*
 * Runs in a freshly forked process that holds the start lock: opens the
 * console of e (force: with libvirt's FORCE), listens on paths->sock, and
 * writes one status byte (enum console_open_status) and, on failure, the
 * reason to report_fd, then closes it. Serves sessions until the end and
 * never returns.
 */
void console_broker_main(const struct vmconsole_config *cfg,
    const struct console_entry *e, bool force,
    const struct console_paths *paths, int report_fd)
    __attribute__((noreturn));

#endif
