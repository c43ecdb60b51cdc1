/*
 * The console helper's command line as vmconsole-authkeys writes it into
 * command="..." and as the service account's login shell accepts it:
 *
 *   HELPER -c CONF --entity-id=ID --entity=NAME
 *          [--cert-serial=SERIAL [--cert-key-id=KEYID]]
 *
 * One space between words, nothing else. Whatever sshd is configured to
 * accept, the login shell runs this and only this (docs/security.md).
 */
#ifndef VMCONSOLE_FORCED_COMMAND_H
#define VMCONSOLE_FORCED_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

/* Longest raw key id carried to the helper; longer ones are cut. */
#define FORCED_COMMAND_KEY_ID_MAX	256
/* The key id percent-encoded: three characters a byte at most. */
#define FORCED_COMMAND_KEY_ID_ENC_MAX	(3 * FORCED_COMMAND_KEY_ID_MAX)
/* Words of the longest command line above, and its terminating NULL. */
#define FORCED_COMMAND_ARGV_MAX		8

struct forced_command {
	char *buf;			/* the words, NUL-separated */
	char *argv[FORCED_COMMAND_ARGV_MAX];	/* NULL-terminated */
	const char *config_path;
	const char *entity_id;
	const char *entity;
	const char *cert_serial;	/* NULL for a plain key */
	const char *cert_key_id;	/* NULL: plain key or empty key id */
};

/*
 * Returns true when path is absolute and made only of [A-Za-z0-9/._+-]:
 * safe inside command="..." and in any shell that might run it.
 */
bool forced_command_safe_path(const char *path);

/* Returns true for a certificate serial: 1..20 decimal digits, < 2^64. */
bool forced_command_valid_serial(const char *s);

/* Returns true for an encoded key id: [A-Za-z0-9._@+%-]{1,768}. */
bool forced_command_valid_key_id(const char *s);

/*
 * Writes the percent-encoding of the first len bytes of key_id (at most
 * FORCED_COMMAND_KEY_ID_MAX are taken) to out: bytes outside
 * [A-Za-z0-9._@+-] become %XX. An empty key id gives "" (no option is
 * written for it).
 */
void forced_command_encode_key_id(const char *key_id, size_t len,
    char out[FORCED_COMMAND_KEY_ID_ENC_MAX + 1]);

/*
 * Returns the newly allocated command line for the values given
 * (cert_serial NULL for a plain key; cert_key_id NULL or "" when there is
 * none, and only with a serial), or NULL after logging when a value is
 * not valid.
 */
char *forced_command_format(const char *helper_path, const char *config_path,
    const char *entity_id, const char *entity, const char *cert_serial,
    const char *cert_key_id);

/*
 * Splits and checks cmd, which must be exactly what
 * forced_command_format() makes with helper_path. Returns 0 with *out
 * filled (free with forced_command_free()), or -1 with *why saying what
 * is wrong, for one log line.
 */
int forced_command_parse(const char *cmd, const char *helper_path,
    struct forced_command *out, const char **why);

void forced_command_free(struct forced_command *fc);

#endif
