/*
 * Bounded ring buffer with in-place access to its free and used areas and
 * storage that can grow up to a limit.
 */
#include "ringbuf.h"

#include <stdlib.h>
#include <string.h>

int
ringbuf_init(struct ringbuf *rb, size_t size)
{
	return ringbuf_init_growable(rb, size, size);
}

int
ringbuf_init_growable(struct ringbuf *rb, size_t size, size_t max)
{
	memset(rb, 0, sizeof(*rb));
	if (size == 0 || max < size || (rb->data = malloc(size)) == NULL)
		return -1;
	rb->size = size;
	rb->max = max;
	return 0;
}

int
ringbuf_grow(struct ringbuf *rb)
{
	unsigned char *data;
	size_t size, first;

	if (rb->size >= rb->max)
		return 0;
	size = rb->size > rb->max / 2 ? rb->max : rb->size * 2;
	if ((data = malloc(size)) == NULL)
		return -1;
	/* the oldest byte moves to offset 0, so the free area is one run */
	first = rb->size - rb->start;
	if (first > rb->used)
		first = rb->used;
	memcpy(data, rb->data + rb->start, first);
	memcpy(data + first, rb->data, rb->used - first);
	free(rb->data);
	rb->data = data;
	rb->size = size;
	rb->start = 0;
	return 1;
}

void
ringbuf_release(struct ringbuf *rb)
{
	free(rb->data);
	memset(rb, 0, sizeof(*rb));
}

size_t
ringbuf_used(const struct ringbuf *rb)
{
	return rb->used;
}

size_t
ringbuf_space(const struct ringbuf *rb)
{
	return rb->size - rb->used;
}

size_t
ringbuf_size(const struct ringbuf *rb)
{
	return rb->size;
}

bool
ringbuf_is_full(const struct ringbuf *rb)
{
	return rb->used == rb->size;
}

bool
ringbuf_is_empty(const struct ringbuf *rb)
{
	return rb->used == 0;
}

size_t
ringbuf_free_area(struct ringbuf *rb, unsigned char **p)
{
	size_t end;

	if (rb->used == rb->size) {
		*p = NULL;
		return 0;
	}
	end = (rb->start + rb->used) % rb->size;
	*p = rb->data + end;
	/* free space runs to the end of storage or up to the oldest byte */
	if (end >= rb->start)
		return rb->size - end;
	return rb->start - end;
}

void
ringbuf_produce(struct ringbuf *rb, size_t n)
{
	if (n > ringbuf_space(rb))
		abort();
	rb->used += n;
}

size_t
ringbuf_data_area(const struct ringbuf *rb, const unsigned char **p)
{
	if (rb->used == 0) {
		*p = NULL;
		return 0;
	}
	*p = rb->data + rb->start;
	if (rb->start + rb->used > rb->size)
		return rb->size - rb->start;
	return rb->used;
}

void
ringbuf_consume(struct ringbuf *rb, size_t n)
{
	if (n > rb->used)
		abort();
	rb->used -= n;
	/* an empty buffer restarts at 0 so later areas are contiguous */
	rb->start = rb->used == 0 ? 0 : (rb->start + n) % rb->size;
}

size_t
ringbuf_put(struct ringbuf *rb, const void *data, size_t len)
{
	const unsigned char *in = data;
	unsigned char *p = NULL;
	size_t done = 0, n;

	while (done < len && (n = ringbuf_free_area(rb, &p)) > 0) {
		if (n > len - done)
			n = len - done;
		memcpy(p, in + done, n);
		ringbuf_produce(rb, n);
		done += n;
	}
	return done;
}

size_t
ringbuf_get(struct ringbuf *rb, void *out, size_t len)
{
	unsigned char *o = out;
	const unsigned char *p = NULL;
	size_t done = 0, n;

	while (done < len && (n = ringbuf_data_area(rb, &p)) > 0) {
		if (n > len - done)
			n = len - done;
		memcpy(o + done, p, n);
		ringbuf_consume(rb, n);
		done += n;
	}
	return done;
}
