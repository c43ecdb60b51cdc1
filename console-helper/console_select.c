/* Sorting and exact lookup of consoles by VM id or name. */
#include "console_select.h"

#include <stdlib.h>
#include <string.h>

/* qsort comparator: returns <0, 0 or >0 by VM name, VM id, host. */
static int
compare_entries(const void *a, const void *b)
{
	const struct console_entry *x = a, *y = b;
	int r;

	if ((r = strcmp(x->vm, y->vm)) != 0)
		return r;
	if ((r = strcmp(x->vmid, y->vmid)) != 0)
		return r;
	return strcmp(x->host, y->host);
}

void
console_select_sort(struct console_list *list)
{
	if (list->count > 1)
		qsort(list->entries, list->count, sizeof(list->entries[0]),
		    compare_entries);
}

/* Returns the first entry whose vmid equals vmid, or NULL. */
static const struct console_entry *
find_by_id(const struct console_list *list, const char *vmid)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (strcmp(list->entries[i].vmid, vmid) == 0)
			return &list->entries[i];
	return NULL;
}

/* Returns the first entry whose VM name equals name, or NULL. */
static const struct console_entry *
find_by_name(const struct console_list *list, const char *name)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (strcmp(list->entries[i].vm, name) == 0)
			return &list->entries[i];
	return NULL;
}

const struct console_entry *
console_select_find(const struct console_list *list,
    enum command_target target, const char *vm)
{
	const struct console_entry *e = NULL;

	switch (target) {
	case TARGET_ID:
		e = find_by_id(list, vm);
		break;
	case TARGET_NAME:
		e = find_by_name(list, vm);
		break;
	case TARGET_ID_OR_NAME:
		if ((e = find_by_id(list, vm)) == NULL)
			e = find_by_name(list, vm);
		break;
	}
	return e;
}
