/*
 * The recent output of a shared console, kept for sessions that attach
 * later: at most console_history_max bytes, the oldest dropped first.
 * Storage grows on demand, so a quiet console costs little.
 */
#ifndef VMCONSOLE_CONSOLE_HISTORY_H
#define VMCONSOLE_CONSOLE_HISTORY_H

#include <stddef.h>

#include "ringbuf.h"

struct console_history {
	struct ringbuf ring;
	size_t max;		/* 0: nothing is kept */
};

/* Sets up an empty history of at most max bytes. Returns 0 or -1. */
int console_history_init(struct console_history *h, size_t max);
void console_history_release(struct console_history *h);

/*
 * Appends len bytes, dropping the oldest when full. Returns 0, or -1 when
 * memory ran out (the history is then cleared but stays usable).
 */
int console_history_add(struct console_history *h, const void *data,
    size_t len);

/* Returns the bytes held. */
size_t console_history_used(const struct console_history *h);

/*
 * Returns how many bytes at the end of the history make up its last lines
 * lines (a line starts at the beginning or after a newline; an unfinished
 * last line counts as one), but no more than max_bytes.
 */
size_t console_history_tail(const struct console_history *h, size_t lines,
    size_t max_bytes);

/* Copies the last len bytes (len <= used) into out. */
void console_history_copy_tail(const struct console_history *h,
    unsigned char *out, size_t len);

#endif
