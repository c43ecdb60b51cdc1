/*
 * Console output waiting for a slow terminal. libvirt cannot pause a
 * console stream, so output is taken at once into storage that grows up
 * to console_backlog_max; output that does not fit even then ends the
 * session rather than vanish unseen.
 */
#ifndef VMCONSOLE_BACKLOG_H
#define VMCONSOLE_BACKLOG_H

#include <stddef.h>

#include "ringbuf.h"

enum backlog_status {
	BACKLOG_OK,		/* everything was taken */
	BACKLOG_FULL,		/* at its limit: the rest could not be held */
	BACKLOG_NO_MEMORY,
};

/* Sets up a backlog of size bytes that may grow to max. Returns 0 or -1. */
int backlog_init(struct ringbuf *rb, size_t size, size_t max);

/*
 * Adds the len bytes at data, growing the storage when needed, and sets
 * *taken to how many were added (all of them unless the status says
 * otherwise).
 */
enum backlog_status backlog_add(struct ringbuf *rb, const void *data,
    size_t len, size_t *taken);

#endif
