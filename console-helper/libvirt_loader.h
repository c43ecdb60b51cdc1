/*
 * libvirt, loaded with dlopen() the first time the helper calls one of its
 * functions: version, help, list and the picker never map it, nor the
 * TLS, SASL and curl libraries it depends on. libvirt_loader.c defines the
 * libvirt functions the helper calls, each forwarding to the real one; a
 * new call into libvirt needs one line there.
 */
#ifndef VMCONSOLE_LIBVIRT_LOADER_H
#define VMCONSOLE_LIBVIRT_LOADER_H

#include <stdbool.h>

/* The soname loaded: the ABI of the headers compiled against. */
#define LIBVIRT_LOADER_SONAME "libvirt.so.0"

/* Returns true once libvirt has been loaded by this process. */
bool libvirt_loader_loaded(void);

#endif
