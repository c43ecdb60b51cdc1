/* The escape character that detaches a session from its console. */
#ifndef VMCONSOLE_ESCAPE_H
#define VMCONSOLE_ESCAPE_H

#include <stddef.h>

/*
 * Returns the offset of the first escape_char in the len bytes at buf, or
 * len when there is none (always len for CONFIG_ESCAPE_NONE). The bytes
 * before it are the user's and still go to the VM.
 */
size_t escape_find(const unsigned char *buf, size_t len, int escape_char);

#endif
