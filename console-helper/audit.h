/*
 * Audit trail of console sessions in syslog (LOG_AUTHPRIV): who opened
 * which console from where, for how long, and how much went each way.
 */
#ifndef VMCONSOLE_AUDIT_H
#define VMCONSOLE_AUDIT_H

#include <netinet/in.h>

#include "manager.h"

/* Who is asking: fixed for the whole ssh session. */
struct audit_context {
	const char *entity_id;
	const char *entity;
	char from[INET6_ADDRSTRLEN];	/* client address, or "unknown" */
	const char *cert_serial;	/* NULL unless logged in by certificate */
	const char *cert_key_id;	/* percent-encoded, or NULL */
	const char *mode;	/* "write" or "watch" of a shared console */
};

/*
 * Room audit_quote() needs for a value of n bytes: each byte may double,
 * plus the quotes and the NUL.
 */
#define AUDIT_QUOTED_SIZE(n)	(2 * (n) + 3)

/*
 * Writes s to out between double quotes, with '"' and '\\' escaped by a
 * backslash, so that a value cannot end its field early or make up
 * another ("web01\" host=\"x" stays one vm field). Truncates to fit
 * outlen, never in the middle of an escape. Returns out.
 */
char *audit_quote(const char *s, char *out, size_t outlen);

/*
 * Fills ctx; the client address is the first field of ssh_connection
 * (SSH_CONNECTION), kept only when it is an IPv4 or IPv6 address.
 */
void audit_context_init(struct audit_context *ctx, const char *entity_id,
    const char *entity, const char *ssh_connection);

/*
 * Records that the session logged in with a certificate: its serial and
 * percent-encoded key id (validated by the caller) go to every line.
 */
void audit_context_set_certificate(struct audit_context *ctx,
    const char *serial, const char *key_id);

/* Logs a console being opened. */
void audit_console_opened(const struct audit_context *ctx,
    const struct console_entry *e);

/* Logs a console being closed and why (a short word such as "detached"). */
void audit_console_closed(const struct audit_context *ctx,
    const struct console_entry *e, long long duration,
    unsigned long long bytes_to_vm, unsigned long long bytes_from_vm,
    const char *reason);

/* Logs a console that could not be opened and why. */
void audit_console_failed(const struct audit_context *ctx,
    const struct console_entry *e, const char *reason);

/* Logs a request for a console the entity does not have. */
void audit_console_denied(const struct audit_context *ctx,
    const char *requested);

#endif
