/*
 * vmconsole-authkeys --principals: sshd's AuthorizedPrincipalsCommand.
 * For a certificate signed by a CA sshd trusts, prints one
 * authorized_principals line per acceptable principal, each forcing the
 * console helper bound to that principal as entity id:
 *
 *   restrict,pty,command="HELPER -c CONF --entity-id=P --entity=NAME
 *       --cert-serial=S --cert-key-id=ID" P
 *
 * NAME is the certificate's key id when it is a valid entity name, else P.
 */
#ifndef VMCONSOLE_AUTHKEYS_PRINCIPALS_H
#define VMCONSOLE_AUTHKEYS_PRINCIPALS_H

#include <stddef.h>

#include "certificate.h"
#include "config.h"

/* Principals honoured per certificate; the others are logged, not used. */
#define PRINCIPALS_HONOURED_MAX	8

/*
 * Returns 1 when the entity id may log in with a certificate, 0 when not
 * (after logging why), -1 when that cannot be known (after logging).
 */
typedef int (*principal_check)(const char *entity_id, void *ctx);

/*
 * Renders the lines for cert into one newly allocated buffer *out of
 * *len bytes. check, when not NULL, is asked about each principal.
 * Returns 0 (possibly with no line), or -1 after logging.
 */
int principals_render(const struct certificate *cert,
    const char *helper_path, const char *conf_path, principal_check check,
    void *ctx, char **out, size_t *len);

/*
 * The program when its first argument is --principals: argv[0] is that
 * argument. Returns the exit status, as main() does for keys.
 */
int principals_main(int argc, char **argv);

#endif
