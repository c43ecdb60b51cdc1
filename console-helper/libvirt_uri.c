/* Expansion of the libvirt_uri template for one host. */
#include "libvirt_uri.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "validate.h"

#define HOST_PLACEHOLDER "{host}"

char *
libvirt_uri_expand(const char *template, const char *host)
{
	char *uri = NULL, *o;
	const char *p, *why = NULL;
	size_t count = 0, hostlen, len;
	int bracket;

	if (!validate_host(host, &why)) {
		log_error("invalid console host \"%s\": %s", host,
		    why != NULL ? why : "not a host name or address");
		return NULL;
	}
	/* an IPv6 literal needs brackets to be told from a port */
	bracket = strchr(host, ':') != NULL;
	hostlen = strlen(host) + (bracket ? 2 : 0);
	for (p = template; (p = strstr(p, HOST_PLACEHOLDER)) != NULL;
	    p += strlen(HOST_PLACEHOLDER))
		count++;
	len = strlen(template) + count * hostlen + 1;
	if ((uri = malloc(len)) == NULL) {
		log_error("out of memory");
		return NULL;
	}
	for (o = uri, p = template; *p != '\0';) {
		if (strncmp(p, HOST_PLACEHOLDER,
		    strlen(HOST_PLACEHOLDER)) != 0) {
			*o++ = *p++;
			continue;
		}
		if (bracket)
			*o++ = '[';
		memcpy(o, host, strlen(host));
		o += strlen(host);
		if (bracket)
			*o++ = ']';
		p += strlen(HOST_PLACEHOLDER);
	}
	*o = '\0';
	return uri;
}
