/*
 * The one place that talks to the manager: a libcurl transfer configured
 * with the protocols, redirect policy, TLS settings, credentials, timeouts
 * and size cap from vmconsole.conf, so no caller can forget one.
 */
#ifndef VMCONSOLE_HTTP_FETCH_H
#define VMCONSOLE_HTTP_FETCH_H

#include <stddef.h>

#include "config.h"

/* Room for an error message of http_fetch() and http_fetch_read_token(). */
#define HTTP_FETCH_ERR_MAX 1024
/* Largest bearer token file accepted. */
#define HTTP_FETCH_TOKEN_MAX 8192

/*
 * Fetches an http://, https:// or file:// URL. Returns 0 and sets *body to
 * a newly allocated, NUL-terminated copy of the answer and *len to its
 * length (at most cfg->manager_max_response). Returns -1 and writes one
 * line to err saying why (HTTP status other than 200, transfer error,
 * answer too large, bad token file), naming the URL without credentials,
 * query or fragment.
 */
int http_fetch(const struct vmconsole_config *cfg, const char *url,
    char **body, size_t *len, char *err, size_t errlen);

/*
 * Returns a newly allocated copy of url fit for messages: user
 * information, query and fragment are removed. NULL on ENOMEM.
 */
char *http_fetch_redact_url(const char *url);

/*
 * Reads a bearer token: the whole file, one trailing newline removed.
 * Returns a newly allocated token, or NULL with the reason in err when the
 * file cannot be read or the token is empty, too long or holds anything but
 * printable ASCII without blanks.
 */
char *http_fetch_read_token(const char *path, char *err, size_t errlen);

#endif
