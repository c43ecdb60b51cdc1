/* The output of the "list" command: text lines or a JSON document. */
#ifndef VMCONSOLE_LIST_OUTPUT_H
#define VMCONSOLE_LIST_OUTPUT_H

#include <stdio.h>

#include "manager.h"

/*
 * Writes one "vmid<TAB>vm<TAB>host" line per entry, in list order, every
 * field neutralised for the terminal. Returns 0, or -1 on a write error.
 */
int list_output_text(FILE *out, const struct console_list *list);

/*
 * Writes {"version":1,"consoles":[{"vmid":..,"vm":..,"host":..,
 * "console":..|null},..]} and a newline, ASCII only (JSON escapes).
 * Returns 0, or -1 on a write or memory error.
 */
int list_output_json(FILE *out, const struct console_list *list);

#endif
