/* Parsing and validation of the manager's consoles document. */
#include "consoles_doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "manager_doc.h"
#include "validate.h"

/* Releases the strings of e and clears it. */
static void
console_entry_free(struct console_entry *e)
{
	size_t i;

	free(e->vmid);
	free(e->vm);
	free(e->host);
	free(e->console);
	for (i = 0; e->entities != NULL && e->entities[i] != NULL; i++)
		free(e->entities[i]);
	free(e->entities);
	for (i = 0; e->watcher_ids != NULL && e->watcher_ids[i] != NULL; i++)
		free(e->watcher_ids[i]);
	free(e->watcher_ids);
	free(e->writer);
	memset(e, 0, sizeof(*e));
}

void
console_list_free(struct console_list *list)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; i < list->count; i++)
		console_entry_free(&list->entries[i]);
	free(list->entries);
	list->entries = NULL;
	list->count = 0;
}

/*
 * Copies the optional array of entity ids named member ("entities",
 * "watchers") into *ids. Returns 0 (also when it is absent or null), or -1
 * with *why set.
 */
static int
parse_entity_ids(json_t *obj, const char *member, char ***ids,
    const char **why)
{
	json_t *list = json_object_get(obj, member), *v;
	const char *id;
	size_t i;

	if (list == NULL || json_is_null(list))
		return 0;
	if (!json_is_array(list)) {
		*why = "not an array";
		return -1;
	}
	if ((*ids = calloc(json_array_size(list) + 1,
	    sizeof(**ids))) == NULL) {
		*why = "out of memory";
		return -1;
	}
	json_array_foreach(list, i, v) {
		if (!json_is_string(v) ||
		    strlen(json_string_value(v)) != json_string_length(v)) {
			*why = "holds something other than an entity id";
			return -1;
		}
		id = json_string_value(v);
		if (!validate_entity(id, why))
			return -1;
		if (((*ids)[i] = strdup(id)) == NULL) {
			*why = "out of memory";
			return -1;
		}
	}
	return 0;
}

/* Sets *dst to a copy of src; returns 0, or -1 with *why set. */
static int
copy_string(char **dst, const char *src, const char **why)
{
	if ((*dst = strdup(src)) == NULL) {
		*why = "out of memory";
		return -1;
	}
	return 0;
}

/*
 * Fills e from one array element. Returns 0, or -1 with *field and *why
 * saying what is wrong (e is then released by the caller).
 */
static int
parse_entry(json_t *obj, struct console_entry *e, const char **field,
    const char **why)
{
	const char *vmid, *vm, *host, *console;

	*field = "";
	if (!json_is_object(obj)) {
		*why = "not an object";
		return -1;
	}
	*field = "vmid";
	if (manager_doc_required_string(obj, "vmid", &vmid, why) != 0 ||
	    !validate_vmid(vmid, why) || copy_string(&e->vmid, vmid, why) != 0)
		return -1;
	*field = "vm";
	if (manager_doc_required_string(obj, "vm", &vm, why) != 0 ||
	    !validate_vm_name(vm, why) || copy_string(&e->vm, vm, why) != 0)
		return -1;
	*field = "host";
	if (manager_doc_required_string(obj, "host", &host, why) != 0 ||
	    !validate_host(host, why) || copy_string(&e->host, host, why) != 0)
		return -1;
	*field = "console";
	if (manager_doc_string(obj, "console", &console, why) < 0)
		return -1;
	if (console != NULL && (!validate_console_name(console, why) ||
	    copy_string(&e->console, console, why) != 0))
		return -1;
	*field = "entities";
	if (parse_entity_ids(obj, "entities", &e->entities, why) != 0)
		return -1;
	*field = "watchers";
	return parse_entity_ids(obj, "watchers", &e->watcher_ids, why);
}

int
consoles_doc_parse(const char *body, size_t len, const char *origin,
    struct console_list *out, char *err, size_t errlen)
{
	json_t *root = NULL, *consoles, *obj;
	const char *field, *why;
	struct console_entry *e;
	size_t i;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if ((consoles = manager_doc_load(body, len, "console_list",
	    "consoles", &root, err, errlen)) == NULL)
		goto out;
	if ((out->entries = calloc(json_array_size(consoles) + 1,
	    sizeof(*out->entries))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	json_array_foreach(consoles, i, obj) {
		e = &out->entries[out->count];
		why = "invalid";
		if (parse_entry(obj, e, &field, &why) != 0) {
			log_warning("%s: skipping consoles[%zu]%s%s%s: %s",
			    origin, i, *field != '\0' ? " \"" : "", field,
			    *field != '\0' ? "\"" : "", why);
			console_entry_free(e);
			continue;
		}
		out->count++;
	}
	ret = 0;
 out:
	if (ret != 0)
		console_list_free(out);
	json_decref(root);
	return ret;
}
