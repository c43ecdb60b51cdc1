/* Rendering the entity's console list for "list" and "list --format=json". */
#include "list_output.h"

#include <stdlib.h>

#include <jansson.h>

#include "log.h"
#include "termsafe.h"

int
list_output_text(FILE *out, const struct console_list *list)
{
	const struct console_entry *e;
	size_t i;

	for (i = 0; i < list->count; i++) {
		e = &list->entries[i];
		if (termsafe_fputs(e->vmid, out) != 0 ||
		    fputc('\t', out) == EOF ||
		    termsafe_fputs(e->vm, out) != 0 ||
		    fputc('\t', out) == EOF ||
		    termsafe_fputs(e->host, out) != 0)
			return -1;
		/* a fourth column only for consoles in use on this proxy */
		if ((e->writer != NULL || e->watchers > 0) &&
		    fprintf(out, "\tin use: %s%s writing, %lu watching",
		    e->writer != NULL ? "" : "nobody",
		    e->writer != NULL ? e->writer : "", e->watchers) < 0)
			return -1;
		if (fputc('\n', out) == EOF)
			return -1;
	}
	return fflush(out) != 0 ? -1 : 0;
}

/*
 * Returns a JSON string for s. Text that is not valid UTF-8 (which jansson
 * refuses) is given in its neutralised form instead. NULL on ENOMEM.
 */
static json_t *
json_text(const char *s)
{
	json_t *j = NULL;
	char *safe = NULL;

	if ((j = json_string(s)) != NULL)
		return j;
	if ((safe = termsafe_dup(s)) != NULL)
		j = json_string(safe);
	free(safe);
	return j;
}

/* Returns the JSON object describing one console, or NULL on ENOMEM. */
static json_t *
json_entry(const struct console_entry *e)
{
	json_t *obj = NULL, *ret = NULL;

	/* json_object_set_new() takes the value, and fails on NULL */
	if ((obj = json_object()) == NULL ||
	    json_object_set_new(obj, "vmid", json_text(e->vmid)) != 0 ||
	    json_object_set_new(obj, "vm", json_text(e->vm)) != 0 ||
	    json_object_set_new(obj, "host", json_text(e->host)) != 0 ||
	    json_object_set_new(obj, "console", e->console != NULL ?
	    json_text(e->console) : json_null()) != 0 ||
	    json_object_set_new(obj, "writer", e->writer != NULL ?
	    json_text(e->writer) : json_null()) != 0 ||
	    json_object_set_new(obj, "watchers",
	    json_integer((json_int_t)e->watchers)) != 0)
		goto out;
	ret = obj;
	obj = NULL;
 out:
	json_decref(obj);
	return ret;
}

int
list_output_json(FILE *out, const struct console_list *list)
{
	json_t *root = NULL, *consoles = NULL;
	char *text = NULL;
	size_t i;
	int ret = -1;

	if ((root = json_object()) == NULL ||
	    json_object_set_new(root, "version", json_integer(1)) != 0 ||
	    (consoles = json_array()) == NULL ||
	    json_object_set(root, "consoles", consoles) != 0) {
		log_error("out of memory");
		goto out;
	}
	for (i = 0; i < list->count; i++) {
		if (json_array_append_new(consoles,
		    json_entry(&list->entries[i])) != 0) {
			log_error("out of memory");
			goto out;
		}
	}
	if ((text = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII |
	    JSON_PRESERVE_ORDER)) == NULL) {
		log_error("out of memory");
		goto out;
	}
	if (fprintf(out, "%s\n", text) < 0 || fflush(out) != 0)
		goto out;
	ret = 0;
 out:
	free(text);
	json_decref(consoles);
	json_decref(root);
	return ret;
}
