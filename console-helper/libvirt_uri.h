/* The libvirt connection URI for a console's host, from libvirt_uri. */
#ifndef VMCONSOLE_LIBVIRT_URI_H
#define VMCONSOLE_LIBVIRT_URI_H

/*
 * Returns a newly allocated copy of template with every "{host}" replaced
 * by host (an IPv6 literal in brackets); a template without "{host}" is
 * returned as is. Returns NULL after logging when host is not a valid host
 * name or address, or on ENOMEM.
 */
char *libvirt_uri_expand(const char *template, const char *host);

#endif
