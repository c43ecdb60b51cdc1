/* The console helper's forced command line: written and checked. */
#include "forced_command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "validate.h"

#define SAFE_PATH_MAX	1024
#define SERIAL_DIGITS	20

/* Returns true for the bytes an entity name may hold. */
static bool
entity_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("._@+-", c) != NULL;
}

bool
forced_command_safe_path(const char *path)
{
	const char *p;

	if (path == NULL || path[0] != '/' || strlen(path) > SAFE_PATH_MAX)
		return false;
	for (p = path; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/._+-", *p) != NULL)
			continue;
		return false;
	}
	return true;
}

bool
forced_command_valid_serial(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > SERIAL_DIGITS)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	/* 2^64 - 1 has 20 digits: compare as text at that length */
	return n < SERIAL_DIGITS || strcmp(s, "18446744073709551615") <= 0;
}

bool
forced_command_valid_key_id(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > FORCED_COMMAND_KEY_ID_ENC_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!entity_char((unsigned char)s[i]) && s[i] != '%')
			return false;
	return true;
}

void
forced_command_encode_key_id(const char *key_id, size_t len,
    char out[FORCED_COMMAND_KEY_ID_ENC_MAX + 1])
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;
	size_t i, o = 0;

	if (len > FORCED_COMMAND_KEY_ID_MAX)
		len = FORCED_COMMAND_KEY_ID_MAX;
	for (i = 0; i < len; i++) {
		c = (unsigned char)key_id[i];
		if (entity_char(c)) {
			out[o++] = (char)c;
			continue;
		}
		out[o++] = '%';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 0x0f];
	}
	out[o] = '\0';
}

/* Returns why the values cannot form a command line, or NULL. */
static const char *
check_values(const char *helper_path, const char *config_path,
    const char *entity_id, const char *entity, const char *cert_serial,
    const char *cert_key_id)
{
	const char *why = NULL;

	if (!forced_command_safe_path(helper_path))
		return "helper path is not a safe absolute path";
	if (!forced_command_safe_path(config_path))
		return "configuration path is not a safe absolute path";
	if (entity_id == NULL || !validate_entity(entity_id, &why))
		return "invalid entity id";
	if (entity == NULL || !validate_entity(entity, &why))
		return "invalid entity name";
	if (cert_serial != NULL && !forced_command_valid_serial(cert_serial))
		return "invalid certificate serial";
	if (cert_key_id != NULL && (cert_serial == NULL ||
	    !forced_command_valid_key_id(cert_key_id)))
		return "invalid certificate key id";
	return NULL;
}

char *
forced_command_format(const char *helper_path, const char *config_path,
    const char *entity_id, const char *entity, const char *cert_serial,
    const char *cert_key_id)
{
	const char *why;
	char *out = NULL;
	size_t len;

	if (cert_key_id != NULL && *cert_key_id == '\0')
		cert_key_id = NULL;
	if ((why = check_values(helper_path, config_path, entity_id, entity,
	    cert_serial, cert_key_id)) != NULL) {
		log_error("refusing to write a forced command: %s", why);
		return NULL;
	}
	len = strlen(helper_path) + strlen(config_path) + strlen(entity_id) +
	    strlen(entity) + 64 + (cert_serial != NULL ?
	    strlen(cert_serial) : 0) + (cert_key_id != NULL ?
	    strlen(cert_key_id) : 0);
	if ((out = malloc(len)) == NULL) {
		log_error("out of memory");
		return NULL;
	}
	snprintf(out, len, "%s -c %s --entity-id=%s --entity=%s%s%s%s%s",
	    helper_path, config_path, entity_id, entity,
	    cert_serial != NULL ? " --cert-serial=" : "",
	    cert_serial != NULL ? cert_serial : "",
	    cert_key_id != NULL ? " --cert-key-id=" : "",
	    cert_key_id != NULL ? cert_key_id : "");
	return out;
}

/*
 * Returns the value of word when it starts with prefix, else NULL.
 */
static const char *
option_value(const char *word, const char *prefix)
{
	size_t n = strlen(prefix);

	return word != NULL && strncmp(word, prefix, n) == 0 ? word + n : NULL;
}

int
forced_command_parse(const char *cmd, const char *helper_path,
    struct forced_command *out, const char **why)
{
	struct forced_command fc;
	char *p, *expected = NULL;
	size_t nwords = 0, i;
	int ret = -1;

	memset(&fc, 0, sizeof(fc));
	memset(out, 0, sizeof(*out));
	*why = "not the console helper's command";
	if (cmd == NULL || strlen(cmd) > 4096)
		goto out;
	if ((fc.buf = strdup(cmd)) == NULL) {
		*why = "out of memory";
		goto out;
	}
	for (p = fc.buf; ; ) {
		if (nwords == FORCED_COMMAND_ARGV_MAX - 1)
			goto out;
		fc.argv[nwords++] = p;
		if ((p = strchr(p, ' ')) == NULL)
			break;
		*p++ = '\0';
	}
	if (nwords < 5 || nwords > 7)
		goto out;
	if (strcmp(fc.argv[0], helper_path) != 0 ||
	    strcmp(fc.argv[1], "-c") != 0)
		goto out;
	fc.config_path = fc.argv[2];
	fc.entity_id = option_value(fc.argv[3], "--entity-id=");
	fc.entity = option_value(fc.argv[4], "--entity=");
	fc.cert_serial = option_value(fc.argv[5], "--cert-serial=");
	fc.cert_key_id = option_value(fc.argv[6], "--cert-key-id=");
	if (fc.entity_id == NULL || fc.entity == NULL ||
	    (nwords >= 6 && fc.cert_serial == NULL) ||
	    (nwords == 7 && fc.cert_key_id == NULL))
		goto out;
	for (i = 0; i < nwords; i++)
		if (fc.argv[i][0] == '\0')
			goto out;
	if ((*why = check_values(helper_path, fc.config_path, fc.entity_id,
	    fc.entity, fc.cert_serial, fc.cert_key_id)) != NULL)
		goto out;
	/* what we would have written must be exactly what we were given */
	*why = "not in the form vmconsole-authkeys writes";
	if ((expected = forced_command_format(helper_path, fc.config_path,
	    fc.entity_id, fc.entity, fc.cert_serial, fc.cert_key_id)) == NULL ||
	    strcmp(expected, cmd) != 0)
		goto out;
	*why = NULL;
	*out = fc;
	memset(&fc, 0, sizeof(fc));
	ret = 0;
 out:
	free(expected);
	free(fc.buf);
	return ret;
}

void
forced_command_free(struct forced_command *fc)
{
	free(fc->buf);
	memset(fc, 0, sizeof(*fc));
}
