/* Syslog lines recording every console open, close and refusal. */
#include "audit.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "forced_command.h"
#include "log.h"
#include "validate.h"

void
audit_context_init(struct audit_context *ctx, const char *entity_id,
    const char *entity, const char *ssh_connection)
{
	unsigned char addr[sizeof(struct in6_addr)];
	char first[INET6_ADDRSTRLEN];
	size_t len;

	memset(ctx, 0, sizeof(*ctx));
	ctx->entity_id = entity_id;
	ctx->entity = entity;
	snprintf(ctx->from, sizeof(ctx->from), "unknown");
	if (ssh_connection == NULL)
		return;
	len = strcspn(ssh_connection, " ");
	if (len == 0 || len >= sizeof(first))
		return;
	memcpy(first, ssh_connection, len);
	first[len] = '\0';
	if (inet_pton(AF_INET, first, addr) == 1 ||
	    inet_pton(AF_INET6, first, addr) == 1)
		snprintf(ctx->from, sizeof(ctx->from), "%s", first);
}

void
audit_context_set_certificate(struct audit_context *ctx, const char *serial,
    const char *key_id)
{
	ctx->cert_serial = serial;
	ctx->cert_key_id = key_id;
}

char *
audit_quote(const char *s, char *out, size_t outlen)
{
	size_t o = 0;

	if (outlen < 3) {
		if (outlen > 0)
			out[0] = '\0';
		return out;
	}
	out[o++] = '"';
	for (; s != NULL && *s != '\0'; s++) {
		/* room for this byte, its escape, the closing quote, NUL */
		if (o + (*s == '"' || *s == '\\' ? 2 : 1) + 2 > outlen)
			break;
		if (*s == '"' || *s == '\\')
			out[o++] = '\\';
		out[o++] = *s;
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

/* The quoted fields of one audit line. */
struct audit_fields {
	char entity[AUDIT_QUOTED_SIZE(VALIDATE_ENTITY_MAX)];
	char name[AUDIT_QUOTED_SIZE(VALIDATE_ENTITY_MAX)];
	char vm[AUDIT_QUOTED_SIZE(VALIDATE_VM_MAX)];
	char vmid[AUDIT_QUOTED_SIZE(VALIDATE_VM_MAX)];
	char host[AUDIT_QUOTED_SIZE(VALIDATE_HOST_MAX)];
	char from[AUDIT_QUOTED_SIZE(INET6_ADDRSTRLEN)];
	/* " cert_serial=\"N\" cert_key_id=\"ID\"" or "" */
	char cert[AUDIT_QUOTED_SIZE(FORCED_COMMAND_KEY_ID_ENC_MAX) +
	    AUDIT_QUOTED_SIZE(24) + 32];
};

/* Fills f from ctx and, when not NULL, e. */
static void
quote_fields(struct audit_fields *f, const struct audit_context *ctx,
    const struct console_entry *e)
{
	char serial[AUDIT_QUOTED_SIZE(24)];
	char key_id[AUDIT_QUOTED_SIZE(FORCED_COMMAND_KEY_ID_ENC_MAX)];

	audit_quote(ctx->entity_id, f->entity, sizeof(f->entity));
	audit_quote(ctx->entity, f->name, sizeof(f->name));
	audit_quote(ctx->from, f->from, sizeof(f->from));
	audit_quote(e != NULL ? e->vm : NULL, f->vm, sizeof(f->vm));
	audit_quote(e != NULL ? e->vmid : NULL, f->vmid, sizeof(f->vmid));
	audit_quote(e != NULL ? e->host : NULL, f->host, sizeof(f->host));
	f->cert[0] = '\0';
	if (ctx->cert_serial != NULL)
		snprintf(f->cert, sizeof(f->cert),
		    " cert_serial=%s cert_key_id=%s",
		    audit_quote(ctx->cert_serial, serial, sizeof(serial)),
		    audit_quote(ctx->cert_key_id, key_id, sizeof(key_id)));
}

/*
 * Writes the mode field of a shared console's session (' mode="watch"'),
 * or nothing for a session without one, to buf. Returns buf.
 */
static const char *
mode_field(const struct audit_context *ctx, char *buf, size_t len)
{
	char quoted[AUDIT_QUOTED_SIZE(8)];

	if (ctx->mode == NULL)
		buf[0] = '\0';
	else
		snprintf(buf, len, " mode=%s",
		    audit_quote(ctx->mode, quoted, sizeof(quoted)));
	return buf;
}

void
audit_console_opened(const struct audit_context *ctx,
    const struct console_entry *e)
{
	struct audit_fields f;
	char mode[32];

	quote_fields(&f, ctx, e);
	log_info("console opened: entity=%s entity_name=%s vm=%s vmid=%s "
	    "host=%s from=%s%s%s", f.entity, f.name, f.vm, f.vmid, f.host,
	    f.from, f.cert, mode_field(ctx, mode, sizeof(mode)));
}

void
audit_console_closed(const struct audit_context *ctx,
    const struct console_entry *e, long long duration,
    unsigned long long bytes_to_vm, unsigned long long bytes_from_vm,
    const char *reason)
{
	struct audit_fields f;
	char why[AUDIT_QUOTED_SIZE(64)], mode[32];

	quote_fields(&f, ctx, e);
	log_info("console closed: entity=%s entity_name=%s vm=%s vmid=%s "
	    "host=%s from=%s%s duration=%llds bytes_to_vm=%llu "
	    "bytes_from_vm=%llu reason=%s%s", f.entity, f.name, f.vm, f.vmid,
	    f.host, f.from, f.cert, duration, bytes_to_vm, bytes_from_vm,
	    audit_quote(reason, why, sizeof(why)),
	    mode_field(ctx, mode, sizeof(mode)));
}

void
audit_console_failed(const struct audit_context *ctx,
    const struct console_entry *e, const char *reason)
{
	struct audit_fields f;
	char why[AUDIT_QUOTED_SIZE(64)];

	quote_fields(&f, ctx, e);
	log_info("console not opened: entity=%s entity_name=%s vm=%s vmid=%s "
	    "host=%s from=%s%s reason=%s", f.entity, f.name, f.vm, f.vmid,
	    f.host, f.from, f.cert, audit_quote(reason, why, sizeof(why)));
}

void
audit_console_denied(const struct audit_context *ctx, const char *requested)
{
	struct audit_fields f;
	char req[AUDIT_QUOTED_SIZE(VALIDATE_VM_MAX)];

	quote_fields(&f, ctx, NULL);
	log_info("console denied: entity=%s entity_name=%s requested=%s "
	    "from=%s%s", f.entity, f.name,
	    audit_quote(requested, req, sizeof(req)), f.from, f.cert);
}
