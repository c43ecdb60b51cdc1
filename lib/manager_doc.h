/*
 * The envelope shared by the manager API v1 documents:
 * {"version": 1, "content": "<kind>_list", "<member>": [...]}.
 */
#ifndef VMCONSOLE_MANAGER_DOC_H
#define VMCONSOLE_MANAGER_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/*
 * Parses body (len bytes, duplicate object keys rejected) and checks the
 * envelope: "version" must be 1, "content", when present, must equal
 * content, and member must be an array. Returns the array, borrowed from
 * *root which the caller releases with json_decref(); or NULL with the
 * reason in err and *root NULL.
 */
json_t *manager_doc_load(const char *body, size_t len, const char *content,
    const char *member, json_t **root, char *err, size_t errlen);

/*
 * Looks up the string member name of obj. Returns 1 and sets *value when it
 * is a string without NUL bytes, 0 when it is absent or null, -1 with *why
 * set when it has another type.
 */
int manager_doc_string(json_t *obj, const char *name, const char **value,
    const char **why);

/*
 * Like manager_doc_string() for a member that must be there: returns 0 and
 * sets *value, or -1 with *why set ("missing" when absent or null).
 */
int manager_doc_required_string(json_t *obj, const char *name,
    const char **value, const char **why);

#endif
