/*
 * Why a connection to a hypervisor failed, said so that an operator knows
 * what to fix: TLS trust and certificate failures name the side at fault.
 */
#ifndef VMCONSOLE_CONNECT_ERROR_H
#define VMCONSOLE_CONNECT_ERROR_H

#include <stddef.h>

/*
 * Writes into buf (size len) the explanation of libvirt's message about a
 * failed connection to host: a TLS failure rephrased, anything else as
 * libvirt said it.
 */
void connect_error_explain(const char *host, const char *message, char *buf,
    size_t len);

#endif
