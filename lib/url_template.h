/*
 * Expansion of the manager URL templates: {fingerprint}, {keytype}, {key},
 * {user} and {entityid} are replaced by the request's values, URL-encoded.
 */
#ifndef VMCONSOLE_URL_TEMPLATE_H
#define VMCONSOLE_URL_TEMPLATE_H

#include "manager.h"

/*
 * Returns a newly allocated URL: tmpl with every placeholder replaced by
 * the percent-encoded value (RFC 3986 unreserved characters kept, NULL
 * values empty). Returns NULL after logging one line for an unknown
 * placeholder, an unmatched brace or lack of memory.
 */
char *url_template_expand(const char *tmpl, const struct manager_request *req);

/* Returns a newly allocated percent-encoding of s, or NULL on ENOMEM. */
char *url_encode(const char *s);

#endif
