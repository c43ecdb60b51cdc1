/* Writing whole buffers to file descriptors despite short writes. */
#ifndef VMCONSOLE_FD_WRITE_H
#define VMCONSOLE_FD_WRITE_H

#include <stddef.h>

/*
 * Writes all len bytes at buf to fd, retrying short writes and EINTR.
 * Returns 0, or -1 with errno set.
 */
int fd_write_all(int fd, const void *buf, size_t len);

#endif
