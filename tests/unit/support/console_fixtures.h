/* Console lists built by hand for the console helper's unit tests. */
#ifndef VMCONSOLE_TEST_CONSOLE_FIXTURES_H
#define VMCONSOLE_TEST_CONSOLE_FIXTURES_H

#include "manager.h"

/*
 * Appends one console to list, every string copied; console may be NULL
 * (the default console). Fails the test when out of memory.
 */
void console_fixtures_add(struct console_list *list, const char *vmid,
    const char *vm, const char *host, const char *console);

/* cmocka teardown for a calloc'ed console_list in *state; returns 0. */
int console_fixtures_teardown(void **state);

#endif
