/* Loading a manager API v1 document and checking its envelope. */
#include "manager_doc.h"

#include <stdio.h>
#include <string.h>

json_t *
manager_doc_load(const char *body, size_t len, const char *content,
    const char *member, json_t **root, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *doc = NULL, *v, *list = NULL;

	*root = NULL;
	if ((doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		snprintf(err, errlen, "not valid JSON: line %d column %d: %s",
		    jerr.line, jerr.column, jerr.text);
		goto out;
	}
	if (!json_is_object(doc)) {
		snprintf(err, errlen, "the document is not a JSON object");
		goto out;
	}
	v = json_object_get(doc, "version");
	if (v == NULL) {
		snprintf(err, errlen, "no \"version\" member");
		goto out;
	}
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		snprintf(err, errlen, "unsupported \"version\" (only 1 is "
		    "understood)");
		goto out;
	}
	v = json_object_get(doc, "content");
	if (v != NULL && (!json_is_string(v) ||
	    strcmp(json_string_value(v), content) != 0)) {
		snprintf(err, errlen, "\"content\" is not \"%s\"", content);
		goto out;
	}
	list = json_object_get(doc, member);
	if (!json_is_array(list)) {
		snprintf(err, errlen, "\"%s\" is missing or not an array",
		    member);
		list = NULL;
		goto out;
	}
	*root = doc;
	doc = NULL;
 out:
	json_decref(doc);
	return list;
}

int
manager_doc_string(json_t *obj, const char *name, const char **value,
    const char **why)
{
	json_t *v = json_object_get(obj, name);

	*value = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		*why = "not a string";
		return -1;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		*why = "contains a NUL character";
		return -1;
	}
	*value = json_string_value(v);
	return 1;
}

int
manager_doc_required_string(json_t *obj, const char *name,
    const char **value, const char **why)
{
	switch (manager_doc_string(obj, name, value, why)) {
	case 1:
		return 0;
	case 0:
		*why = "missing";
		return -1;
	default:
		return -1;
	}
}
