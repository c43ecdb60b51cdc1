/* Console lists built by hand for the console helper's unit tests. */
#include "console_fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

void
console_fixtures_add(struct console_list *list, const char *vmid,
    const char *vm, const char *host, const char *console)
{
	struct console_entry *e;

	list->entries = realloc(list->entries,
	    (list->count + 1) * sizeof(*list->entries));
	assert_non_null(list->entries);
	e = &list->entries[list->count++];
	memset(e, 0, sizeof(*e));
	e->vmid = strdup(vmid);
	e->vm = strdup(vm);
	e->host = strdup(host);
	assert_true(e->vmid != NULL && e->vm != NULL && e->host != NULL);
	if (console != NULL)
		assert_non_null(e->console = strdup(console));
}

int
console_fixtures_teardown(void **state)
{
	console_list_free(*state);
	free(*state);
	return 0;
}
