/* Rendering authorized_keys lines that force the console helper. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forced_command.h"
#include "log.h"
#include "validate.h"

bool
authkeys_safe_path(const char *path)
{
	/* the login shell applies the same rule to what we write */
	return forced_command_safe_path(path);
}

/* Returns true when the first len bytes of s are printable ASCII. */
static bool
printable_ascii_until(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/*
 * Returns the newly allocated line for e (values already validated), or
 * NULL on ENOMEM.
 */
static char *
build_line(const struct key_entry *e, const char *helper_path,
    const char *conf_path)
{
	const bool ex = e->expiry != NULL, fr = e->from != NULL;
	const char *parts[] = {
		"restrict,pty,command=\"", helper_path, " -c ", conf_path,
		" --entity-id=", e->entityid, " --entity=", e->entity, "\"",
		ex ? ",expiry-time=\"" : "", ex ? e->expiry : "",
		ex ? "\"" : "",
		fr ? ",from=\"" : "", fr ? e->from : "", fr ? "\"" : "",
		" ", e->keytype, " ", e->keyblob, "\n",
	};
	size_t i, len = 0, n;
	char *line;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		len += strlen(parts[i]);
	if ((line = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0, len = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		n = strlen(parts[i]);
		memcpy(line + len, parts[i], n);
		len += n;
	}
	line[len] = '\0';
	return line;
}

char *
authkeys_render_line(const struct key_entry *e, const char *helper_path,
    const char *conf_path)
{
	const char *why = "invalid", *field = NULL;
	char *line = NULL, *ret = NULL;
	size_t n;

	if (!authkeys_safe_path(helper_path))
		field = "helper path";
	else if (!authkeys_safe_path(conf_path))
		field = "configuration path";
	else if (e->entityid == NULL || !validate_entity(e->entityid, &why))
		field = "entityid";
	else if (e->entity == NULL || !validate_entity(e->entity, &why))
		field = "entity";
	else if (e->keytype == NULL || !validate_key_type(e->keytype, &why))
		field = "key type";
	else if (e->keyblob == NULL ||
	    !validate_key_blob(e->keytype, e->keyblob, &why))
		field = "key";
	else if (e->expiry != NULL && !validate_expiry_time(e->expiry))
		field = "expiry";
	else if (e->from != NULL && !validate_from(e->from, &why))
		field = "from";
	if (field != NULL) {
		log_error("refusing to print a key line: invalid %s (%s)",
		    field, why);
		goto out;
	}
	if ((line = build_line(e, helper_path, conf_path)) == NULL) {
		log_error("out of memory");
		goto out;
	}
	n = strlen(line);
	/* the checks above leave nothing that could end the line early */
	if (strchr(line, '\n') != line + n - 1 ||
	    !printable_ascii_until(line, n - 1)) {
		log_error("refusing to print a key line: unexpected byte");
		goto out;
	}
	ret = line;
	line = NULL;
 out:
	free(line);
	return ret;
}

int
authkeys_render_list(const struct key_list *list, const char *helper_path,
    const char *conf_path, char **out, size_t *len)
{
	char *buf = NULL, *line = NULL, *grown;
	size_t used = 0, n, i;
	int ret = -1;

	*out = NULL;
	*len = 0;
	if ((buf = calloc(1, 1)) == NULL) {
		log_error("out of memory");
		goto out;
	}
	for (i = 0; i < list->count; i++) {
		if ((line = authkeys_render_line(&list->entries[i],
		    helper_path, conf_path)) == NULL)
			continue;
		n = strlen(line);
		if ((grown = realloc(buf, used + n + 1)) == NULL) {
			log_error("out of memory");
			goto out;
		}
		buf = grown;
		memcpy(buf + used, line, n + 1);
		used += n;
		free(line);
		line = NULL;
	}
	*out = buf;
	*len = used;
	buf = NULL;
	ret = 0;
 out:
	free(line);
	free(buf);
	return ret;
}
