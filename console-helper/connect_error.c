/*
 * Explaining failed connections. libvirt reports TLS failures with generic
 * codes (system error, RPC error) and tells them apart only in its message,
 * so the message is what is read here; it is libvirt's own, untranslated
 * in the service's C locale.
 */
#include "connect_error.h"

#include <stdio.h>
#include <string.h>

/* Returns 1 when message contains every one of the strings in words. */
static int
mentions(const char *message, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strstr(message, *words) == NULL)
			return 0;
	return 1;
}

void
connect_error_explain(const char *host, const char *message, char *buf,
    size_t len)
{
	static const char *const refused1[] = { "TLS confirmation", NULL };
	static const char *const refused2[] = { "server verification", NULL };
	static const char *const own_expired[] = { "client certificate",
	    "expired", NULL };
	static const char *const own_early[] = { "client certificate",
	    "not yet active", NULL };
	static const char *const peer_expired[] = { "server certificate",
	    "expired", NULL };
	static const char *const untrusted1[] = { "Unable to verify TLS peer",
	    NULL };
	static const char *const untrusted2[] = { "known issuer", NULL };
	static const char *const wrong_name[] = { "does not match the hostname",
	    NULL };
	static const char *const no_creds1[] = { "Cannot access", "certificate",
	    NULL };
	static const char *const no_creds2[] = { "Cannot access", "key",
	    NULL };
	static const char *const no_creds3[] = { "Cannot read", "certificate",
	    NULL };

	if (mentions(message, refused1) || mentions(message, refused2))
		snprintf(buf, len, "%s refused this proxy's certificate (is "
		    "its DN in the host's tls_allowed_dn_list?)", host);
	else if (mentions(message, own_expired))
		snprintf(buf, len, "this proxy's client certificate for %s "
		    "has expired", host);
	else if (mentions(message, own_early))
		snprintf(buf, len, "this proxy's client certificate for %s "
		    "is not valid yet", host);
	else if (mentions(message, peer_expired))
		snprintf(buf, len, "the TLS certificate of %s has expired",
		    host);
	else if (mentions(message, wrong_name))
		snprintf(buf, len, "the TLS certificate of %s is not issued "
		    "for that name", host);
	else if (mentions(message, untrusted1) ||
	    mentions(message, untrusted2))
		snprintf(buf, len, "the TLS certificate of %s is not signed "
		    "by the CA this proxy trusts", host);
	else if (mentions(message, no_creds1) || mentions(message, no_creds2) ||
	    mentions(message, no_creds3))
		snprintf(buf, len, "this proxy's TLS credentials for %s cannot "
		    "be read: %s", host, message);
	else
		snprintf(buf, len, "%s", message);
}
