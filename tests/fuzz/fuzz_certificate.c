/*
 * A certificate as sshd passes it to vmconsole-authkeys --principals (the
 * input is the decoded blob; it is base64-encoded here as sshd would),
 * then the principals lines. Whatever the certificate holds, every line
 * must bind its own principal with a forced command that the login shell
 * accepts as it is, and hold nothing but printable ASCII.
 */
#include <stdlib.h>
#include <string.h>

#include "certificate.h"
#include "forced_command.h"
#include "fuzz_support.h"
#include "principals.h"
#include "validate.h"

#define HELPER "/usr/libexec/vmconsole-proxy/vmconsole-console-helper"
#define CONF "/etc/vmconsole-proxy/vmconsole.conf"
#define PREFIX "restrict,pty,command=\""

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

/* Returns the padded base64 text of the size bytes at data. */
static char *
base64(const uint8_t *data, size_t size)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc(size / 3 * 4 + 8), *o = out;
	size_t i;
	uint32_t v;

	FUZZ_CHECK(out != NULL, "out of memory");
	for (i = 0; i < size; i += 3) {
		v = (uint32_t)data[i] << 16;
		if (i + 1 < size)
			v |= (uint32_t)data[i + 1] << 8;
		if (i + 2 < size)
			v |= data[i + 2];
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < size ? tab[(v >> 6) & 63] : '=';
		*o++ = i + 2 < size ? tab[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

/* Aborts unless line is one safe principals line. */
static void
check_line(const struct certificate *c, char *line)
{
	struct forced_command fc;
	const char *why = NULL, *p;
	char *quote, *principal;
	size_t i, n;
	int found = 0;

	for (p = line; *p != '\0'; p++)
		FUZZ_CHECK(*p >= 0x20 && *p < 0x7f, "unprintable byte");
	FUZZ_CHECK(strncmp(line, PREFIX, strlen(PREFIX)) == 0, "prefix");
	quote = strchr(line + strlen(PREFIX), '"');
	FUZZ_CHECK(quote != NULL && quote[1] == ' ', "command not closed");
	principal = quote + 2;
	*quote = '\0';
	FUZZ_CHECK(forced_command_parse(line + strlen(PREFIX), HELPER, &fc,
	    &why) == 0, "the login shell refuses the command");
	FUZZ_CHECK(strcmp(fc.entity_id, principal) == 0,
	    "command bound to another principal");
	FUZZ_CHECK(validate_entity(principal, NULL), "invalid principal");
	FUZZ_CHECK(fc.cert_serial != NULL, "no serial");
	for (i = 0; i < c->nprincipals; i++)
		found |= strcmp(c->principals[i], principal) == 0;
	FUZZ_CHECK(found, "a principal the certificate does not have");
	n = strlen(fc.entity);
	FUZZ_CHECK(strcmp(fc.entity, principal) == 0 ||
	    (n == c->key_id_len && strcmp(fc.entity, c->key_id) == 0),
	    "entity name neither principal nor key id");
	forced_command_free(&fc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct certificate c;
	const char *why = NULL;
	char *b64, *out = NULL, *line, *next;
	size_t len = 0, lines = 0;

	if (size > VALIDATE_KEYBLOB_MAX / 4 * 3)
		return 0;
	b64 = base64(data, size);
	if (certificate_parse(b64, &c, &why) != 0) {
		FUZZ_CHECK(why != NULL, "refused without a reason");
		free(b64);
		return 0;
	}
	FUZZ_CHECK(principals_render(&c, HELPER, CONF, NULL, NULL, &out,
	    &len) == 0, "render failed");
	FUZZ_CHECK(strlen(out) == len, "length");
	for (line = out; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		FUZZ_CHECK(next != NULL, "line without newline");
		*next++ = '\0';
		check_line(&c, line);
		lines++;
	}
	FUZZ_CHECK(lines <= PRINCIPALS_HONOURED_MAX, "too many lines");
	free(out);
	certificate_free(&c);
	free(b64);
	return 0;
}
