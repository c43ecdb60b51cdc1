/* Finding the console a user asked for in the entity's console list. */
#ifndef VMCONSOLE_CONSOLE_SELECT_H
#define VMCONSOLE_CONSOLE_SELECT_H

#include "command.h"
#include "manager.h"

/*
 * Sorts the list in place by VM name, then VM id, then host, the order
 * every listing and the picker use.
 */
void console_select_sort(struct console_list *list);

/*
 * Returns the entry that target and vm name (TARGET_ID_OR_NAME: the entry
 * whose vmid equals vm, else the first whose VM name equals vm), or NULL
 * when the entity has no such console. Comparisons are exact.
 */
const struct console_entry *console_select_find(
    const struct console_list *list, enum command_target target,
    const char *vm);

#endif
