/*
 * authorized_keys lines for the keys the manager grants. Every value is
 * checked again right here, where it meets sshd's option syntax, so no
 * byte from the manager can add an option, a line or leave a quote.
 */
#ifndef VMCONSOLE_AUTHKEYS_RENDER_H
#define VMCONSOLE_AUTHKEYS_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "manager.h"

/*
 * Returns true when path is absolute and made only of [A-Za-z0-9/._+-]:
 * safe inside command="..." and in the shell sshd runs it with.
 */
bool authkeys_safe_path(const char *path);

/*
 * Returns a newly allocated line, newline included:
 *   restrict,pty,command="HELPER -c CONF --entity-id=ID --entity=NAME"
 *   [,expiry-time="YYYYMMDDhhmmssZ"][,from="PATTERNS"] TYPE BLOB
 * or NULL after logging one line when a value fails validation.
 */
char *authkeys_render_line(const struct key_entry *e, const char *helper_path,
    const char *conf_path);

/*
 * Renders every entry of list into one newly allocated buffer *out of
 * *len bytes (entries that fail validation are logged and left out).
 * Returns 0, or -1 on ENOMEM after logging.
 */
int authkeys_render_list(const struct key_list *list,
    const char *helper_path, const char *conf_path, char **out, size_t *len);

#endif
