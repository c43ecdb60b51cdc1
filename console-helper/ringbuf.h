/*
 * A bounded byte ring buffer for one direction of the console bridge. The
 * bridge reads into the free area and writes out of the used area in place,
 * so bytes are never dropped or reordered. Its storage may grow on demand
 * up to a fixed limit, keeping the bytes held in order.
 */
#ifndef VMCONSOLE_RINGBUF_H
#define VMCONSOLE_RINGBUF_H

#include <stdbool.h>
#include <stddef.h>

struct ringbuf {
	unsigned char *data;
	size_t size;		/* capacity in bytes */
	size_t start;		/* offset of the oldest byte */
	size_t used;		/* bytes held */
	size_t max;		/* the most size may grow to */
};

/* Allocates a buffer of size bytes (> 0). Returns 0, or -1 on ENOMEM. */
int ringbuf_init(struct ringbuf *rb, size_t size);
/*
 * Allocates a buffer of size bytes (> 0) that ringbuf_grow() may enlarge
 * up to max (>= size) bytes. Returns 0, or -1 on ENOMEM or bad sizes.
 */
int ringbuf_init_growable(struct ringbuf *rb, size_t size, size_t max);
void ringbuf_release(struct ringbuf *rb);

/* Returns the number of bytes held. */
size_t ringbuf_used(const struct ringbuf *rb);
/* Returns the number of bytes that can be added without growing. */
size_t ringbuf_space(const struct ringbuf *rb);
/* Returns the current capacity in bytes. */
size_t ringbuf_size(const struct ringbuf *rb);

/*
 * Doubles the storage, or grows it to the limit if doubling would pass it,
 * keeping the bytes held in order. Returns 1 when it grew, 0 when the
 * buffer is already at its limit, -1 on ENOMEM (the buffer is unchanged).
 */
int ringbuf_grow(struct ringbuf *rb);
bool ringbuf_is_full(const struct ringbuf *rb);
bool ringbuf_is_empty(const struct ringbuf *rb);

/*
 * Sets *p to the contiguous free area after the newest byte and returns its
 * length (0 when full); ringbuf_produce() then adds the n bytes written there.
 */
size_t ringbuf_free_area(struct ringbuf *rb, unsigned char **p);
void ringbuf_produce(struct ringbuf *rb, size_t n);

/*
 * Sets *p to the contiguous run of the oldest bytes and returns its length
 * (0 when empty); ringbuf_consume() then drops the n bytes taken from it.
 */
size_t ringbuf_data_area(const struct ringbuf *rb, const unsigned char **p);
void ringbuf_consume(struct ringbuf *rb, size_t n);

/* Copies in as much of data as fits; returns the number of bytes added. */
size_t ringbuf_put(struct ringbuf *rb, const void *data, size_t len);

/* Copies out and drops up to len of the oldest bytes; returns how many. */
size_t ringbuf_get(struct ringbuf *rb, void *out, size_t len);

#endif
