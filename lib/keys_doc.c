/* Parsing and validation of the manager's keys document. */
#include "keys_doc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "manager_doc.h"
#include "validate.h"

/* Releases the strings of e and clears it. */
static void
key_entry_free(struct key_entry *e)
{
	free(e->entityid);
	free(e->entity);
	free(e->keytype);
	free(e->keyblob);
	free(e->expiry);
	free(e->from);
	memset(e, 0, sizeof(*e));
}

void
key_list_free(struct key_list *list)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; i < list->count; i++)
		key_entry_free(&list->entries[i]);
	free(list->entries);
	list->entries = NULL;
	list->count = 0;
}

/*
 * Splits an authorized_keys style "type blob [comment]" into newly
 * allocated type and blob; the comment is dropped. Returns 0, or -1 with
 * *why set.
 */
static int
split_key(const char *key, char **type, char **blob, const char **why)
{
	size_t tlen, blen;
	const char *b;

	tlen = strcspn(key, " \t");
	if (tlen == 0 || key[tlen] == '\0') {
		*why = "expected \"TYPE BASE64 [COMMENT]\"";
		return -1;
	}
	b = key + tlen + strspn(key + tlen, " \t");
	blen = strcspn(b, " \t");
	if (blen == 0) {
		*why = "expected \"TYPE BASE64 [COMMENT]\"";
		return -1;
	}
	if ((*type = strndup(key, tlen)) == NULL ||
	    (*blob = strndup(b, blen)) == NULL) {
		free(*type);
		*type = NULL;
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
parse_entry(json_t *obj, struct key_entry *e, const char **field,
    const char **why)
{
	const char *entityid, *entity, *key, *expiry, *from;
	char when[VALIDATE_EXPIRY_LEN];

	*field = "";
	if (!json_is_object(obj)) {
		*why = "not an object";
		return -1;
	}
	*field = "entityid";
	if (manager_doc_required_string(obj, "entityid", &entityid, why) != 0 ||
	    !validate_entity(entityid, why))
		return -1;
	*field = "entity";
	if (manager_doc_required_string(obj, "entity", &entity, why) != 0 ||
	    !validate_entity(entity, why))
		return -1;
	*field = "key";
	if (manager_doc_required_string(obj, "key", &key, why) != 0)
		return -1;
	if (split_key(key, &e->keytype, &e->keyblob, why) != 0 ||
	    !validate_key_type(e->keytype, why) ||
	    !validate_key_blob(e->keytype, e->keyblob, why))
		return -1;
	*field = "expiry";
	if (manager_doc_string(obj, "expiry", &expiry, why) < 0)
		return -1;
	if (expiry != NULL) {
		if (!validate_expiry(expiry, when, why))
			return -1;
		if ((e->expiry = strdup(when)) == NULL) {
			*why = "out of memory";
			return -1;
		}
	}
	*field = "from";
	if (manager_doc_string(obj, "from", &from, why) < 0)
		return -1;
	if (from != NULL) {
		if (!validate_from(from, why))
			return -1;
		if ((e->from = strdup(from)) == NULL) {
			*why = "out of memory";
			return -1;
		}
	}
	if ((e->entityid = strdup(entityid)) == NULL ||
	    (e->entity = strdup(entity)) == NULL) {
		*field = "";
		*why = "out of memory";
		return -1;
	}
	return 0;
}

int
keys_doc_parse(const char *body, size_t len, const char *origin,
    struct key_list *out, char *err, size_t errlen)
{
	json_t *root = NULL, *keys, *obj;
	const char *field, *why;
	struct key_entry *e;
	size_t i;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if ((keys = manager_doc_load(body, len, "key_list", "keys", &root,
	    err, errlen)) == NULL)
		goto out;
	if ((out->entries = calloc(json_array_size(keys) + 1,
	    sizeof(*out->entries))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	json_array_foreach(keys, i, obj) {
		e = &out->entries[out->count];
		why = "invalid";
		if (parse_entry(obj, e, &field, &why) != 0) {
			log_warning("%s: skipping keys[%zu]%s%s%s: %s", origin,
			    i, *field != '\0' ? " \"" : "", field,
			    *field != '\0' ? "\"" : "", why);
			key_entry_free(e);
			continue;
		}
		out->count++;
	}
	ret = 0;
 out:
	if (ret != 0)
		key_list_free(out);
	json_decref(root);
	return ret;
}
