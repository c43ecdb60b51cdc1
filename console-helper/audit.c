/* Syslog lines recording every console open, close and refusal. */
#include "audit.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

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
audit_console_opened(const struct audit_context *ctx,
    const struct console_entry *e)
{
	log_info("console opened: entity=%s (%s) vm=%s (%s) host=%s from=%s%s%s",
	    ctx->entity_id, ctx->entity, e->vm, e->vmid, e->host, ctx->from,
	    ctx->mode != NULL ? " mode=" : "",
	    ctx->mode != NULL ? ctx->mode : "");
}

void
audit_console_closed(const struct audit_context *ctx,
    const struct console_entry *e, long long duration,
    unsigned long long bytes_to_vm, unsigned long long bytes_from_vm,
    const char *reason)
{
	log_info("console closed: entity=%s (%s) vm=%s (%s) host=%s from=%s "
	    "duration=%llds bytes_to_vm=%llu bytes_from_vm=%llu reason=%s%s%s",
	    ctx->entity_id, ctx->entity, e->vm, e->vmid, e->host, ctx->from,
	    duration, bytes_to_vm, bytes_from_vm, reason,
	    ctx->mode != NULL ? " mode=" : "",
	    ctx->mode != NULL ? ctx->mode : "");
}

void
audit_console_failed(const struct audit_context *ctx,
    const struct console_entry *e, const char *reason)
{
	log_info("console not opened: entity=%s (%s) vm=%s (%s) host=%s "
	    "from=%s reason=%s", ctx->entity_id, ctx->entity, e->vm, e->vmid,
	    e->host, ctx->from, reason);
}

void
audit_console_denied(const struct audit_context *ctx, const char *requested)
{
	log_info("console denied: entity=%s (%s) requested=%s from=%s",
	    ctx->entity_id, ctx->entity, requested, ctx->from);
}
